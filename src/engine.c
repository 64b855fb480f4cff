/*
 * engine: the loop, the programs and their clients.
 *
 * Owns the loop, one record per program (its proc and health check, in
 * the config's order), the subscriber list, the signals (SIGCHLD reaping
 * and the ones that quit), the quit sequence and back-pressure holds.
 * Events from the programs are fed to health first, then fanned out to
 * every subscriber in the order they subscribed.
 */
#define _GNU_SOURCE
#include "engine.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conn.h"
#include "crash.h"
#include "deps.h"
#include "ptree.h"
#include "stamp.h"
#include "stats.h"
#include "watch.h"

/* Programs started per loop turn: between batches the loop serves
 * signals, keys and output, so a thousand programs do not hold it. */
#define ENGINE_START_BATCH 32

/* Signals that would end tend: each quits as SIGTERM does, so the
 * programs are stopped and the terminal given back, never orphaned. */
static const int engine_quit_signals[] = {
	SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM,
	SIGVTALRM, SIGPROF, SIGXCPU,
};

struct engine_prog {
	struct engine *e;
	struct proc *proc;
	struct health_check *check;
	bool removed;		/* a reload took it out: gone once it ends */
	bool lines_new;		/* committed lines `lines` has not told */
	struct engine_lines lines;
	struct engine_stats stats;
	pid_t stats_leader;	/* whose tree the baseline below is of */
	uint64_t stats_ticks;	/* CPU time at the last sample */
	int64_t stats_ms;	/* and its time */
};

struct engine_watched {
	pid_t pid;
	engine_pid_fn fn;
	void *ctx;
};

struct engine_sub {
	struct engine_events ev;
	void *ctx;
	bool dead;		/* unsubscribed during a dispatch */
};

struct engine {
	const struct config *cfg;	/* the one the programs come from now */
	struct config **reloaded;	/* configs loaded by reloads, kept while
					   programs may point into them */
	size_t nreloaded;
	struct loop *loop;
	struct health *health;
	struct engine_prog **progs;	/* in the config's order */
	size_t nprogs, progs_cap;
	struct deps *deps;		/* start and stop order */
	struct watch *watch;		/* restart on change, or NULL */
	struct conn_set *conns;		/* client connections to sockets */

	struct engine_sub *subs;
	size_t nsubs, subs_cap;
	int dispatching;		/* depth: subs may not move */
	size_t nline_subs;		/* subs with a `line` (dead ones too) */
	bool subs_dead;			/* some are to be compacted away */

	bool exit_when_settled;
	bool quitting, killing;
	bool started;			/* the autostart programs were started */
	size_t start_next;		/* the next one engine_start_all looks at */
	bool done;			/* clients were told the run is over */
	int64_t flush_deadline;		/* when quitting: stop waiting */
	uint64_t deadline_timer;
	int holds;			/* engine_hold_output() */
	bool loop_failed;
	struct engine_watched *watched;	/* engine_watch_pid() */
	size_t nwatched;
	int stats_wants;		/* engine_stats_want() */
	uint64_t stats_timer;
	int64_t stats_at;		/* loop time of the last sample, or -1 */
};

/* For the crash hook, which is handed nothing. */
static struct engine *engine_current;

/* --- subscribers ------------------------------------------------------ */

int
engine_subscribe(struct engine *e, const struct engine_events *ev, void *ctx)
{
	if (e->nsubs == e->subs_cap) {
		size_t cap = e->subs_cap ? e->subs_cap * 2 : 8;
		struct engine_sub *s = realloc(e->subs, cap * sizeof *s);

		if (s == NULL)
			return -1;
		e->subs = s;
		e->subs_cap = cap;
	}
	e->nline_subs += ev->line != NULL;
	e->subs[e->nsubs].ev = *ev;
	e->subs[e->nsubs].ctx = ctx;
	e->subs[e->nsubs].dead = false;
	e->nsubs++;
	return 0;
}

static void
engine_compact_subs(struct engine *e)
{
	size_t i, n = 0;

	if (!e->subs_dead)	/* the common case: every line ends here */
		return;
	e->nline_subs = 0;
	for (i = 0; i < e->nsubs; i++) {
		if (!e->subs[i].dead) {
			e->nline_subs += e->subs[i].ev.line != NULL;
			e->subs[n++] = e->subs[i];
		}
	}
	e->nsubs = n;
	e->subs_dead = false;
}

void
engine_unsubscribe(struct engine *e, void *ctx)
{
	size_t i;

	for (i = 0; i < e->nsubs; i++) {
		if (e->subs[i].ctx == ctx)
			e->subs[i].dead = e->subs_dead = true;
	}
	if (e->dispatching == 0)
		engine_compact_subs(e);
}

/* Call MEMBER of every live subscriber with ARGS.  Subscribers added
 * meanwhile are not called for this event. */
#define ENGINE_EACH(e, member, ...) do {				\
	size_t i_, n_ = (e)->nsubs;					\
									\
	(e)->dispatching++;						\
	for (i_ = 0; i_ < n_; i_++) {					\
		struct engine_sub *s_ = &(e)->subs[i_];			\
									\
		if (!s_->dead && s_->ev.member != NULL)			\
			s_->ev.member(s_->ctx, __VA_ARGS__);		\
	}								\
	if (--(e)->dispatching == 0)					\
		engine_compact_subs(e);					\
} while (0)

/* The same for members that take only the context. */
#define ENGINE_EACH0(e, member) do {					\
	size_t i_, n_ = (e)->nsubs;					\
									\
	(e)->dispatching++;						\
	for (i_ = 0; i_ < n_; i_++) {					\
		struct engine_sub *s_ = &(e)->subs[i_];			\
									\
		if (!s_->dead && s_->ev.member != NULL)			\
			s_->ev.member(s_->ctx);				\
	}								\
	if (--(e)->dispatching == 0)					\
		engine_compact_subs(e);					\
} while (0)

static void
engine_note(struct engine *e, const char *msg)
{
	ENGINE_EACH(e, note, msg);
}

/* --- client connections to the programs' sockets ---------------------- */

static void
engine_conn_tell(struct engine *e, struct proc *p, enum engine_conn_what what,
    int id, bool connected, const char *text, size_t len)
{
	struct engine_conn_event ev = { what, id, connected, text, len };

	ENGINE_EACH(e, conn, p, &ev);
}

static void
engine_conn_opened(void *ctx, void *owner, int id)
{
	struct engine *e = ctx;
	struct proc *p = owner;
	char msg[1200];

	snprintf(msg, sizeof msg, "conn %d: connected to %s", id,
	    proc_config(p)->socket);
	proc_note(p, msg);
	engine_conn_tell(e, p, ENGINE_CONN_OPENED, id, true, msg, strlen(msg));
}

static void
engine_conn_line(void *ctx, void *owner, int id, const char *text,
    size_t len)
{
	struct engine *e = ctx;
	struct proc *p = owner;

	proc_conn_line(p, id, false, text, len);
	engine_conn_tell(e, p, ENGINE_CONN_LINE, id, true, text, len);
}

static void
engine_conn_closed(void *ctx, void *owner, int id, bool connected,
    const char *why)
{
	struct engine *e = ctx;
	struct proc *p = owner;

	proc_note(p, why);
	engine_conn_tell(e, p, ENGINE_CONN_CLOSED, id, connected, why,
	    strlen(why));
}

static const struct conn_events engine_conn_events = {
	.opened = engine_conn_opened,
	.line = engine_conn_line,
	.closed = engine_conn_closed,
};

/* A program that no longer runs keeps no connections: the next run is
 * a new server. */
static void
engine_conns_follow(struct engine *e, struct proc *p)
{
	const struct proc_status *st = proc_status(p);
	char why[128];

	if (e->conns == NULL || conn_list(e->conns, p, NULL, 0) == 0 ||
	    (st->pid != 0 && (st->state == PROC_STARTING ||
	    st->state == PROC_RUNNING)))
		return;
	snprintf(why, sizeof why, "%s %s", proc_name(p),
	    st->state == PROC_STOPPING ? "is stopping" : "stopped");
	conn_close_owner(e->conns, p, why);
}

int
engine_conn_open(struct engine *e, struct proc *p, char *why, size_t size)
{
	const struct program_config *pc = proc_config(p);
	const struct proc_status *st = proc_status(p);

	if (pc->socket == NULL) {
		snprintf(why, size, "%s has no socket = HOST:PORT (or "
		    "unix:/PATH) in its config", proc_name(p));
		return -1;
	}
	if (st->pid == 0 || st->state == PROC_STOPPING) {
		snprintf(why, size, "%s is not running: s starts it",
		    proc_name(p));
		return -1;
	}
	return conn_open(e->conns, p, pc->socket, pc->probe_timeout, why, size);
}

int
engine_conn_send(struct engine *e, struct proc *p, int id, const char *text,
    size_t len, char *why, size_t size)
{
	char *line = malloc(len + 1);

	if (line == NULL) {
		snprintf(why, size, "out of memory");
		return -1;
	}
	memcpy(line, text, len);
	line[len] = '\n';
	if (conn_send(e->conns, p, id, line, len + 1) == -1) {
		snprintf(why, size, errno == ENOBUFS ? "conn %d: its queue is "
		    "full (the server is not reading); not sent" :
		    "conn %d is closed; not sent", id);
		free(line);
		return -1;
	}
	free(line);
	proc_conn_line(p, id, true, text, len);
	return 0;
}

int
engine_conn_close(struct engine *e, struct proc *p, int id, char *why,
    size_t size)
{
	if (conn_close(e->conns, p, id, NULL) == -1) {
		snprintf(why, size, "%s has no conn %d", proc_name(p), id);
		return -1;
	}
	return 0;
}

size_t
engine_conns(const struct engine *e, const struct proc *p, int *ids,
    size_t max)
{
	return e->conns != NULL ? conn_list(e->conns, p, ids, max) : 0;
}

bool
engine_conn_connecting(const struct engine *e, const struct proc *p, int id)
{
	return e->conns != NULL && conn_connecting(e->conns, p, id);
}

/* --- events from the programs ----------------------------------------- */

static void
engine_proc_line(void *ctx, struct proc *p, const struct store_line *line)
{
	struct engine_prog *g = ctx;

	health_line(g->check, line);
	if (!g->lines_new) {
		g->lines_new = true;
		g->lines.first_seq = line->seq;
		g->lines.note = false;
	}
	if (line->flags & STORE_NOTE)
		g->lines.note = true;
	if (g->e->nline_subs > 0)
		ENGINE_EACH(g->e, line, p, line);
}

/* Once a turn: `lines` for every program that committed some. */
static void
engine_tell_lines(struct engine *e)
{
	size_t i;

	for (i = 0; i < e->nprogs; i++) {
		struct engine_prog *g = e->progs[i];

		if (g->lines_new) {
			g->lines_new = false;
			ENGINE_EACH(e, lines, g->proc, &g->lines);
		}
	}
}

static void
engine_proc_output(void *ctx, struct proc *p)
{
	struct engine_prog *g = ctx;

	ENGINE_EACH(g->e, output, p);
}

static void engine_stats_arm(struct engine *e);

static void
engine_proc_changed(void *ctx, struct proc *p)
{
	struct engine_prog *g = ctx;

	/* health_new() may not have run yet while the procs are made. */
	if (g->check != NULL)
		health_changed(g->check);
	engine_conns_follow(g->e, p);
	ENGINE_EACH(g->e, changed, p);
	if (g->e->deps != NULL)
		deps_changed(g->e->deps, p);
	/* A program that starts while the stats are wanted. */
	engine_stats_arm(g->e);
}

static void engine_restart_unhealthy(struct engine *e, struct proc *p);

/* A probe's result: the clients hear it; then restart_unhealthy may
 * act on it. */
static void
engine_probed(void *ctx, struct proc *p, const struct probe_result *r)
{
	struct engine *e = ctx;

	ENGINE_EACH(e, probed, p, r);
	engine_restart_unhealthy(e, p);
}

static const struct proc_events engine_proc_events = {
	.line = engine_proc_line,
	.output = engine_proc_output,
	.changed = engine_proc_changed,
};

/* --- the programs ----------------------------------------------------- */

/* A program of CFG, at the end of the list. */
static struct engine_prog *
engine_add_prog(struct engine *e, const struct config *cfg,
    const struct program_config *pc)
{
	struct engine_prog *g;

	if (e->nprogs == e->progs_cap) {
		size_t cap = e->progs_cap ? e->progs_cap * 2 : 16;
		struct engine_prog **grown = realloc(e->progs,
		    cap * sizeof *grown);

		if (grown == NULL)
			return NULL;
		e->progs = grown;
		e->progs_cap = cap;
	}
	if ((g = calloc(1, sizeof *g)) == NULL)
		return NULL;
	g->e = e;
	g->proc = proc_new(e->loop, cfg, pc, &engine_proc_events, g);
	g->check = g->proc != NULL ? health_check_new(e->health, g->proc) : NULL;
	if (g->check == NULL) {
		proc_free(g->proc);
		free(g);
		return NULL;
	}
	e->progs[e->nprogs++] = g;
	return g;
}

static void
engine_free_prog(struct engine_prog *g)
{
	proc_free(g->proc);
	health_check_free(g->check);
	free(g);
}

size_t
engine_count(const struct engine *e)
{
	return e->nprogs;
}

struct proc *
engine_program(const struct engine *e, size_t i)
{
	return i < e->nprogs ? e->progs[i]->proc : NULL;
}

struct proc *
engine_find(const struct engine *e, const char *name)
{
	size_t i;

	for (i = 0; i < e->nprogs; i++) {
		if (strcmp(proc_name(e->progs[i]->proc), name) == 0)
			return e->progs[i]->proc;
	}
	return NULL;
}

/* Edits (insert, delete, change) between A and B, at most 99. */
static size_t
engine_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, prev[64], cur[64];

	if (la >= 64 || lb >= 64)
		return 99;
	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;

			cur[j] = sub < del ? (sub < ins ? sub : ins) :
			    (del < ins ? del : ins);
		}
		memcpy(prev, cur, (lb + 1) * sizeof *prev);
	}
	return prev[lb];
}

struct proc *
engine_nearest(const struct engine *e, const char *name)
{
	size_t i, best = 3;	/* "wbe" finds "web"; "db" does not find "web" */
	struct proc *near = NULL;

	for (i = 0; i < e->nprogs; i++) {
		size_t d = engine_distance(name, proc_name(e->progs[i]->proc));

		if (d < best && d < strlen(name)) {
			best = d;
			near = e->progs[i]->proc;
		}
	}
	return near;
}

static struct engine_prog *
engine_prog_of(const struct proc *p)
{
	return proc_context(p);
}

const struct health_status *
engine_health(const struct engine *e, const struct proc *p)
{
	(void)e;
	return health_status(engine_prog_of(p)->check);
}

void
engine_describe_health(const struct engine *e, const struct proc *p,
    char *buf, size_t size)
{
	(void)e;
	health_describe(engine_prog_of(p)->check, buf, size);
}

size_t
engine_alive(const struct engine *e)
{
	size_t i, n = 0;

	for (i = 0; i < e->nprogs; i++)
		n += proc_status(e->progs[i]->proc)->alive;
	return n;
}

/* Nothing runs, and nothing will start again by itself. */
static bool
engine_settled(const struct engine *e)
{
	size_t i;

	for (i = 0; i < e->nprogs; i++) {
		const struct proc_status *st = proc_status(e->progs[i]->proc);

		if (st->alive || st->state == PROC_BACKOFF)
			return false;
	}
	return true;
}

int
engine_exit_status(const struct engine *e)
{
	size_t i;

	if (e->loop_failed)
		return 1;
	for (i = 0; i < e->nprogs; i++) {
		if (proc_status(e->progs[i]->proc)->failed)
			return 1;
	}
	return 0;
}

/* --- commands --------------------------------------------------------- */

/* WHY from FMT, whose one %s is P's name: "web is not running". */
static int __attribute__((format(printf, 4, 0)))
engine_refuse(char *why, size_t size, const struct proc *p, const char *fmt)
{
	snprintf(why, size, fmt, proc_name(p));
	return -1;
}

int
engine_start(struct engine *e, struct proc *p, char *why, size_t size)
{
	const struct proc_status *st = proc_status(p);

	if (e->quitting || e->done)
		return engine_refuse(why, size, p, "%s is not started: tend is "
		    "quitting");
	const char *waiting = deps_waiting_for(e->deps, p);
	char note[256];

	if (st->pid != 0)
		return engine_refuse(why, size, p, "%s is already running");
	if (waiting != NULL) {
		snprintf(note, sizeof note, "started by hand; it was %s for %s",
		    st->state == PROC_BLOCKED ? "blocked" : "waiting", waiting);
		proc_note(p, note);
	}
	if (proc_start(p) == -1) {
		snprintf(why, size, "%s: %s", proc_name(p), st->error);
		return -1;
	}
	return 0;
}

int
engine_stop(struct engine *e, struct proc *p, char *why, size_t size)
{
	const struct proc_status *st = proc_status(p);

	if (st->state == PROC_WAITING || st->state == PROC_BLOCKED) {
		deps_cancel(e->deps, p);
		proc_note(p, "not waiting any more");
		return 0;
	}
	if (proc_stop(p) == -1)
		return engine_refuse(why, size, p,
		    proc_status(p)->state == PROC_STOPPING ? "%s is stopping "
		    "already" : "%s is not running");
	return 0;
}

int
engine_kill(struct engine *e, struct proc *p, char *why, size_t size)
{
	(void)e;
	if (proc_kill(p) == -1)
		return engine_refuse(why, size, p, "%s is not running");
	return 0;
}

int
engine_restart(struct engine *e, struct proc *p, char *why, size_t size)
{
	if (e->quitting || e->done)
		return engine_refuse(why, size, p, "%s is not restarted: tend is "
		    "quitting");
	if (proc_restart(p) == -1) {
		snprintf(why, size, "%s: %s", proc_name(p),
		    proc_status(p)->error);
		return -1;
	}
	return 0;
}

/* restart_unhealthy = N: the Nth failed probe in a row of a run (health
 * counts none in the boot grace of a run that was never ready) restarts
 * it, once: the count goes on while it stops, and a new run counts
 * from 0. */
static void
engine_restart_unhealthy(struct engine *e, struct proc *p)
{
	const struct proc_status *st = proc_status(p);
	int n = proc_config(p)->restart_unhealthy;
	char msg[96], why[256];

	if (n <= 0 || engine_health(e, p)->failures != n || st->pid == 0 ||
	    st->state == PROC_STOPPING || e->quitting || e->done)
		return;
	snprintf(msg, sizeof msg, "restarting: %d failed probe%s in a row", n,
	    n == 1 ? "" : "s");
	proc_note(p, msg);
	if (engine_restart(e, p, why, sizeof why) == -1)
		proc_note(p, why);
}

int
engine_send_line(struct engine *e, struct proc *p, const char *text,
    size_t len, char *why, size_t size)
{
	(void)e;
	if (proc_send_line(p, text, len) == 0)
		return 0;
	return engine_refuse(why, size, p, errno == ENOBUFS ?
	    "%s: stdin queue full (the program is not reading); not sent" :
	    "%s: stdin is closed; not sent");
}

int
engine_eof(struct engine *e, struct proc *p, char *why, size_t size)
{
	(void)e;
	if (proc_close_stdin(p) == -1)
		return engine_refuse(why, size, p, "%s: stdin is already "
		    "closed");
	return 0;
}

int
engine_interrupt(struct engine *e, struct proc *p, char *why, size_t size)
{
	(void)e;
	if (proc_interrupt(p) == -1)
		return engine_refuse(why, size, p, "%s is not running");
	return 0;
}

int
engine_probe(struct engine *e, struct proc *p, char *why, size_t size)
{
	(void)e;
	return health_probe(engine_prog_of(p)->check, why, size);
}

void
engine_resize(struct engine *e, struct proc *p, int rows, int cols)
{
	(void)e;
	proc_resize(p, rows, cols);
}

int
engine_key(struct engine *e, struct proc *p, enum vt_key key, uint32_t ch,
    int mods)
{
	(void)e;
	return proc_key(p, key, ch, mods);
}

int
engine_paste(struct engine *e, struct proc *p, bool start)
{
	(void)e;
	return proc_paste(p, start);
}

int
engine_mouse(struct engine *e, struct proc *p, int row, int col, int button,
    bool pressed)
{
	(void)e;
	return proc_mouse(p, row, col, button, pressed);
}

/* --- reload ------------------------------------------------------------- */

static void engine_file_changed(void *ctx, void *owner, const char *path);

static struct engine_prog *
engine_prog_named(const struct engine *e, const char *name)
{
	size_t i;

	for (i = 0; i < e->nprogs; i++) {
		if (!e->progs[i]->removed &&
		    strcmp(proc_name(e->progs[i]->proc), name) == 0)
			return e->progs[i];
	}
	return NULL;
}

/* Keep CFG for as long as the engine, as programs point into it. */
static int
engine_keep_config(struct engine *e, struct config *cfg)
{
	struct config **kept = realloc(e->reloaded,
	    (e->nreloaded + 1) * sizeof *kept);

	if (kept == NULL)
		return -1;
	e->reloaded = kept;
	e->reloaded[e->nreloaded++] = cfg;
	return 0;
}

/* The list in the new config's order; programs on their way out last. */
static void
engine_reorder(struct engine *e, const struct config *cfg)
{
	size_t i, k, n = 0;
	struct engine_prog **order = calloc(e->nprogs + 1, sizeof *order);

	if (order == NULL)
		return;
	for (i = 0; i < cfg->nprograms; i++) {
		for (k = 0; k < e->nprogs; k++) {
			if (!e->progs[k]->removed && strcmp(proc_name(
			    e->progs[k]->proc), cfg->programs[i].name) == 0)
				order[n++] = e->progs[k];
		}
	}
	for (k = 0; k < e->nprogs; k++) {
		if (e->progs[k]->removed)
			order[n++] = e->progs[k];
	}
	if (n == e->nprogs)
		memcpy(e->progs, order, n * sizeof *order);
	free(order);
}

/* A program's watch patterns, new or changed by a reload. */
static void
engine_rewatch(struct engine *e, struct proc *p)
{
	const struct program_config *pc = proc_config(p);
	char why[512], msg[600];

	if (e->watch != NULL)
		watch_remove(e->watch, p);
	if (pc->watch == NULL)
		return;
	if (e->watch == NULL && (e->watch = watch_new(e->loop,
	    engine_file_changed, e, why, sizeof why)) == NULL) {
		snprintf(msg, sizeof msg, "watch: %s", why);
		proc_note(p, msg);
		return;
	}
	if (watch_add(e->watch, p, pc->directory ? pc->directory : e->cfg->dir,
	    pc->watch, pc->watch_ignore, pc->watch_delay, why, sizeof why) == -1) {
		snprintf(msg, sizeof msg, "watch: %s", why);
		proc_note(p, msg);
	}
}

/* Apply NCFG program by program; counts what happened in N[4]: new,
 * changed, removed, unchanged. */
static void
engine_apply(struct engine *e, const struct config *ncfg, size_t n[4])
{
	size_t i;

	for (i = 0; i < e->nprogs; i++) {
		struct engine_prog *g = e->progs[i];
		const struct program_config *np = NULL;
		size_t k;

		if (g->removed)
			continue;
		for (k = 0; k < ncfg->nprograms && np == NULL; k++) {
			if (strcmp(ncfg->programs[k].name, proc_name(g->proc)) == 0)
				np = &ncfg->programs[k];
		}
		if (np == NULL) {
			n[2]++;
			g->removed = true;
			proc_note(g->proc, "reload: no longer in the config; "
			    "stopping it");
			proc_final(g->proc);
			proc_stop(g->proc);
		} else if (config_program_same(e->cfg, proc_config(g->proc), ncfg,
		    np)) {
			n[3]++;
			proc_reconfigure(g->proc, ncfg, np);
		} else {
			n[1]++;
			proc_reconfigure(g->proc, ncfg, np);
			engine_rewatch(e, g->proc);
			if (proc_status(g->proc)->pid != 0) {
				proc_note(g->proc, "reload: changed; restarting");
				proc_restart(g->proc);
			} else {
				proc_note(g->proc, "reload: changed");
			}
		}
	}
	for (i = 0; i < ncfg->nprograms; i++) {
		struct engine_prog *g;

		if (engine_prog_named(e, ncfg->programs[i].name) != NULL)
			continue;
		if ((g = engine_add_prog(e, ncfg, &ncfg->programs[i])) == NULL)
			continue;
		n[0]++;
		proc_note(g->proc, "reload: new in the config");
		engine_rewatch(e, g->proc);
		ENGINE_EACH(e, added, g->proc);
	}
}

int
engine_reload(struct engine *e, char *why, size_t size)
{
	struct config *ncfg = calloc(1, sizeof *ncfg);
	size_t n[4] = { 0, 0, 0, 0 }, i;
	struct proc *p;
	char msg[256];

	if (ncfg == NULL || e->quitting || e->done) {
		snprintf(why, size, ncfg == NULL ? "out of memory" :
		    "tend is quitting: no reload");
		free(ncfg);
		return -1;
	}
	if (config_load(e->cfg->path, ncfg) == -1) {
		for (i = 0; i < ncfg->nerrors; i++) {
			snprintf(msg, sizeof msg, "reload: %s", ncfg->errors[i]);
			engine_note(e, msg);
		}
		snprintf(why, size, "reload: %zu error%s in %s: nothing changed%s%s",
		    ncfg->nerrors, ncfg->nerrors == 1 ? "" : "s", e->cfg->path,
		    ncfg->nerrors > 0 ? "; " : "",
		    ncfg->nerrors > 0 ? ncfg->errors[0] : "");
		config_free(ncfg);
		free(ncfg);
		return -1;
	}
	if (engine_keep_config(e, ncfg) == -1) {
		config_free(ncfg);
		free(ncfg);
		snprintf(why, size, "out of memory");
		return -1;
	}
	for (i = 0; i < ncfg->nwarnings; i++) {
		snprintf(msg, sizeof msg, "reload: warning: %s", ncfg->warnings[i]);
		engine_note(e, msg);
	}
	engine_apply(e, ncfg, n);
	e->cfg = ncfg;
	engine_reorder(e, ncfg);
	deps_free(e->deps);
	e->deps = deps_new(e);
	for (i = 0; (p = deps_in_order(e->deps, i)) != NULL; i++) {
		const struct proc_status *st = proc_status(p);
		bool fresh = st->starts == 0 && st->state == PROC_IDLE &&
		    proc_config(p)->autostart && !engine_prog_of(p)->removed;

		/* New programs start; waiting ones wait in the new order. */
		if (fresh || st->state == PROC_WAITING)
			deps_start(e->deps, p);
	}
	snprintf(why, size, "reload: %zu new, %zu changed, %zu removed, %zu "
	    "unchanged", n[0], n[1], n[2], n[3]);
	engine_note(e, why);
	return 0;
}

/* Programs a reload removed leave the list once their run is over. */
static void
engine_drop_removed(struct engine *e)
{
	struct engine_prog *gone[64];
	size_t i, k = 0, ngone = 0;

	for (i = 0; i < e->nprogs; i++) {
		struct engine_prog *g = e->progs[i];

		if (g->removed && !proc_status(g->proc)->alive &&
		    ngone < sizeof gone / sizeof gone[0])
			gone[ngone++] = g;
		else
			e->progs[k++] = g;
	}
	if (ngone == 0)
		return;
	/* Out of the list first: clients may look at the list meanwhile. */
	e->nprogs = k;
	deps_free(e->deps);
	e->deps = deps_new(e);
	for (i = 0; i < ngone; i++) {
		conn_forget(e->conns, gone[i]->proc);
		ENGINE_EACH(e, removed, gone[i]->proc);
		if (e->watch != NULL)
			watch_remove(e->watch, gone[i]->proc);
		engine_free_prog(gone[i]);
	}
}

/* --- quitting ---------------------------------------------------------- */

void
engine_quit(struct engine *e, const char *why)
{
	char msg[256];
	size_t i;

	if (!e->quitting) {
		e->quitting = true;
		snprintf(msg, sizeof msg, "%s%sstopping every program (again "
		    "to kill them)", why ? why : "", why ? ": " : "");
		engine_note(e, msg);
		for (i = 0; i < e->nprogs; i++)
			proc_final(e->progs[i]->proc);
		deps_quit(e->deps);	/* dependents first */
		return;
	}
	if (!e->killing) {
		e->killing = true;
		snprintf(msg, sizeof msg, "%s%skilling every program",
		    why ? why : "", why ? " again: " : "");
		engine_note(e, msg);
	}
	for (i = 0; i < e->nprogs; i++) {
		if (proc_status(e->progs[i]->proc)->alive)
			proc_kill(e->progs[i]->proc);
	}
}

bool
engine_quitting(const struct engine *e)
{
	return e->quitting;
}

bool
engine_killing(const struct engine *e)
{
	return e->killing;
}

void
engine_set_exit_when_settled(struct engine *e, bool on)
{
	e->exit_when_settled = on;
}

void
engine_hold_output(struct engine *e, bool hold)
{
	bool was = e->holds > 0;
	size_t i;

	e->holds += hold ? 1 : -1;
	if (e->holds < 0)
		e->holds = 0;
	if ((e->holds > 0) == was)
		return;
	for (i = 0; i < e->nprogs; i++)
		proc_pause_output(e->progs[i]->proc, e->holds > 0);
}

/* --- stats ------------------------------------------------------------ */

/* One scan of /proc for every program with processes; each program's
 * CPU % is over the time since its last sample, or since its run began
 * for its first. */
static void
engine_stats_sample(struct engine *e)
{
	struct stats_tree *trees = calloc(e->nprogs + 1, sizeof *trees);
	int64_t now = loop_now(e->loop);
	size_t i;

	if (trees == NULL)
		return;
	for (i = 0; i < e->nprogs; i++)
		trees[i].leader = proc_group(e->progs[i]->proc);
	if (stats_scan(trees, e->nprogs) == 0) {
		for (i = 0; i < e->nprogs; i++) {
			struct engine_prog *g = e->progs[i];
			double cpu;

			if (trees[i].leader != g->stats_leader) {
				g->stats_leader = trees[i].leader;
				g->stats_ticks = 0;
				g->stats_ms = proc_status(g->proc)->started_ms;
			}
			memset(&g->stats, 0, sizeof g->stats);
			if (trees[i].leader == 0 || trees[i].nprocs == 0)
				continue;
			cpu = stats_cpu_percent(g->stats_ticks, trees[i].ticks,
			    now - g->stats_ms, stats_hz());
			g->stats.known = true;
			g->stats.cpu_known = cpu >= 0;
			g->stats.cpu_percent = cpu >= 0 ? cpu : 0;
			g->stats.rss_bytes = trees[i].rss_bytes;
			g->stats.nprocs = trees[i].nprocs;
			g->stats_ticks = trees[i].ticks;
			g->stats_ms = now;
		}
		e->stats_at = now;
	}
	free(trees);
}

static void
engine_stats_fired(struct loop *loop, void *data)
{
	struct engine *e = data;

	(void)loop;
	e->stats_timer = 0;
	engine_stats_sample(e);
	ENGINE_EACH0(e, stats);
	engine_stats_arm(e);
}

/* The next sample, when wanted and some program has processes: with
 * nothing running there is nothing to wake up for. */
static void
engine_stats_arm(struct engine *e)
{
	size_t i;

	if (e->stats_wants == 0 || e->stats_timer != 0)
		return;
	for (i = 0; i < e->nprogs; i++) {
		if (proc_group(e->progs[i]->proc) != 0) {
			e->stats_timer = loop_add_timer(e->loop, ENGINE_STATS_MS,
			    engine_stats_fired, e);
			return;
		}
	}
}

void
engine_stats_want(struct engine *e, bool want)
{
	e->stats_wants += want ? 1 : -1;
	if (e->stats_wants < 0)
		e->stats_wants = 0;
	if (e->stats_wants == 0) {
		loop_del_timer(e->loop, e->stats_timer);
		e->stats_timer = 0;
		return;
	}
	if (want && e->stats_timer == 0) {
		/* The figures show at once (RSS; CPU over the run so far). */
		engine_stats_sample(e);
		engine_stats_arm(e);
	}
}

void
engine_stats_refresh(struct engine *e)
{
	if (e->stats_at < 0 || loop_now(e->loop) - e->stats_at >=
	    ENGINE_STATS_MS / 2)
		engine_stats_sample(e);
}

const struct engine_stats *
engine_stats(const struct engine *e, const struct proc *p)
{
	(void)e;
	return &engine_prog_of(p)->stats;
}

/* --- the loop --------------------------------------------------------- */

static struct proc *
engine_by_pid(const struct engine *e, pid_t pid)
{
	size_t i;

	for (i = 0; i < e->nprogs; i++) {
		if (proc_status(e->progs[i]->proc)->pid == pid)
			return e->progs[i]->proc;
	}
	return NULL;
}

int
engine_watch_pid(struct engine *e, pid_t pid, engine_pid_fn fn, void *ctx)
{
	struct engine_watched *w = realloc(e->watched,
	    (e->nwatched + 1) * sizeof *w);

	if (w == NULL)
		return -1;
	e->watched = w;
	w[e->nwatched].pid = pid;
	w[e->nwatched].fn = fn;
	w[e->nwatched].ctx = ctx;
	e->nwatched++;
	return 0;
}

void
engine_unwatch_pid(struct engine *e, pid_t pid)
{
	size_t i;

	for (i = 0; i < e->nwatched; i++) {
		if (e->watched[i].pid == pid) {
			e->watched[i] = e->watched[--e->nwatched];
			return;
		}
	}
}

/* A status of a watched child: true when PID was one.  The watch ends
 * before FN hears of an end, so FN may watch another. */
static bool
engine_reaped_watched(struct engine *e, pid_t pid, int status)
{
	struct engine_watched w;
	size_t i;

	for (i = 0; i < e->nwatched; i++) {
		if (e->watched[i].pid != pid)
			continue;
		w = e->watched[i];
		if (WIFEXITED(status) || WIFSIGNALED(status))
			engine_unwatch_pid(e, pid);
		w.fn(w.ctx, pid, status);
		return true;
	}
	return false;
}

/* SIGCHLD: every status, the program's own and those of orphans (tend is
 * their subreaper); then the trees that may have emptied. */
static void
engine_reap(struct loop *loop, int signo, void *data)
{
	struct engine *e = data;
	struct proc *p;
	pid_t pid;
	size_t i;
	int status;

	(void)loop;
	(void)signo;
	ptree_forget();		/* what ended is seen ending */
	while ((pid = waitpid(-1, &status, WNOHANG | WUNTRACED |
	    WCONTINUED)) > 0) {
		if (engine_reaped_watched(e, pid, status))
			continue;
		if ((p = engine_by_pid(e, pid)) != NULL)
			proc_reaped(p, status);
		else
			health_reaped(e->health, pid, status);
	}
	/* What the trees hold now, the dead reaped: read /proc once for
	 * all of them. */
	ptree_forget();
	for (i = 0; i < e->nprogs; i++)
		proc_check_tree(e->progs[i]->proc);
}

static void
engine_signal(struct loop *loop, int signo, void *data)
{
	struct engine *e = data;
	char why[64];

	(void)loop;
	snprintf(why, sizeof why, "got SIG%s", config_signal_name(signo));
	engine_quit(e, why);
}

static bool
engine_clients_busy(struct engine *e)
{
	size_t i;

	for (i = 0; i < e->nsubs; i++) {
		if (!e->subs[i].dead && e->subs[i].ev.busy != NULL &&
		    e->subs[i].ev.busy(e->subs[i].ctx))
			return true;
	}
	return false;
}

static void
engine_deadline_fired(struct loop *loop, void *data)
{
	struct engine *e = data;

	(void)loop;
	e->deadline_timer = 0;	/* the before-sleep hook decides */
}

/* The run is over when a quit has stopped everything, or (headless) when
 * everything has ended. */
static bool
engine_over(const struct engine *e)
{
	if (e->quitting)
		return engine_alive(e) == 0;
	return e->started && e->exit_when_settled && engine_settled(e);
}

/* Once the run is over, clients get to write out what they hold, for at
 * most ENGINE_FLUSH_MS once a quit was asked for; then the loop ends. */
static void
engine_check_done(struct engine *e)
{
	int64_t now = loop_now(e->loop);

	if (!e->done || !engine_over(e))
		return;
	if (!engine_clients_busy(e)) {
		loop_stop(e->loop);
		return;
	}
	if (!e->quitting)
		return;
	if (e->flush_deadline == 0)
		e->flush_deadline = now + ENGINE_FLUSH_MS;
	if (now >= e->flush_deadline) {
		loop_stop(e->loop);
	} else if (e->deadline_timer == 0) {
		e->deadline_timer = loop_add_timer(e->loop,
		    e->flush_deadline - now, engine_deadline_fired, e);
	}
}

/* Once per turn: logs to disk; the last word to clients when the run is
 * over; clients write and draw; then, if they have nothing left to
 * write, the end. */
static void
engine_before_sleep(struct loop *loop, void *data)
{
	struct engine *e = data;
	size_t i;

	engine_drop_removed(e);
	deps_flush(e->deps);
	for (i = 0; i < e->nprogs; i++)
		proc_flush_log(e->progs[i]->proc);
	engine_tell_lines(e);
	if (!e->done && engine_over(e)) {
		e->done = true;
		ENGINE_EACH0(e, done);
	}
	ENGINE_EACH0(e, flush);
	engine_check_done(e);
	/* The next turn's lines get wall-clock times from this offset: one
	 * clock read per turn, not one per line. */
	stamp_sync(loop_now(loop));
	ptree_forget();		/* the next turn reads /proc afresh */
}

/* On a crash: SIGTERM (and SIGCONT, for a stopped one) to every
 * program's group, with async-signal-safe calls only. */
static void
engine_emergency_stop(void)
{
	struct engine *e = engine_current;
	size_t i;

	for (i = 0; e != NULL && i < e->nprogs; i++) {
		pid_t g = proc_group(e->progs[i]->proc);

		if (g != 0) {
			kill(-g, SIGTERM);
			kill(-g, SIGCONT);
		}
	}
}

/* A watched file changed: the program restarts, saying which (a program
 * that ended starts again: a fix to the code it crashed on). */
static void
engine_file_changed(void *ctx, void *owner, const char *path)
{
	struct engine *e = ctx;
	struct proc *p = owner;
	char msg[512], why[256];

	if (e->quitting || e->done)
		return;
	snprintf(msg, sizeof msg, "restarting: %s changed", path);
	proc_note(p, msg);
	if (engine_restart(e, p, why, sizeof why) == -1)
		proc_note(p, why);
}

/* Watchers for the programs that have `watch`; a failure is a note on
 * the program, and the rest runs without it.  Set up in the loop's first
 * turn, when every client has subscribed, so headless mode and the ctl
 * server see the notes too. */
static void
engine_watch_files(struct engine *e)
{
	size_t i;

	for (i = 0; i < e->nprogs; i++) {
		struct proc *p = e->progs[i]->proc;
		const struct program_config *pc = proc_config(p);
		char why[512], msg[600];

		if (pc->watch == NULL)
			continue;
		if (e->watch == NULL && (e->watch = watch_new(e->loop,
		    engine_file_changed, e, why, sizeof why)) == NULL) {
			snprintf(msg, sizeof msg, "watch: %s", why);
			proc_note(p, msg);
			continue;
		}
		if (watch_add(e->watch, p, pc->directory ? pc->directory :
		    e->cfg->dir, pc->watch, pc->watch_ignore, pc->watch_delay, why,
		    sizeof why) == -1) {
			snprintf(msg, sizeof msg, "watch: %s", why);
			proc_note(p, msg);
		}
	}
}

static int
engine_watch_signals(struct engine *e)
{
	size_t i;

	/* A child writing to a closed pipe must not kill tend, and a write
	 * past a file size limit fails with EFBIG, which is reported. */
	signal(SIGPIPE, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN);
	if (loop_watch_signal(e->loop, SIGCHLD, engine_reap, e) == -1)
		return -1;
	/* Orphans of a program's tree come back to tend to be reaped, so
	 * tend hears when the last of them is gone. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	for (i = 0; i < sizeof engine_quit_signals / sizeof engine_quit_signals[0];
	    i++) {
		if (loop_watch_signal(e->loop, engine_quit_signals[i],
		    engine_signal, e) == -1)
			return -1;
	}
	return 0;
}

/* The programs start from the loop's first turn on, in start order and
 * ENGINE_START_BATCH a turn, so they count their times from a clock read
 * then, not when the engine was made. */
static void
engine_start_all(struct loop *loop, void *data)
{
	struct engine *e = data;
	struct proc *p;
	size_t end;

	(void)loop;
	if (e->start_next == 0)
		engine_watch_files(e);
	end = e->start_next + ENGINE_START_BATCH;
	for (; e->start_next < end &&
	    (p = deps_in_order(e->deps, e->start_next)) != NULL;
	    e->start_next++) {
		const struct proc_status *st = proc_status(p);

		/* Only what has not started by other means (a key, a ctl
		 * start, a reload) since the batches began. */
		if (proc_config(p)->autostart && !e->quitting &&
		    st->starts == 0 && st->state == PROC_IDLE &&
		    !engine_prog_of(p)->removed)
			deps_start(e->deps, p);
	}
	if (e->start_next < e->nprogs && !e->quitting)
		loop_add_timer(e->loop, 0, engine_start_all, e);
	else
		e->started = true;
}

int
engine_run(struct engine *e)
{
	size_t i;

	loop_add_timer(e->loop, 0, engine_start_all, e);
	if (loop_run(e->loop) == -1) {
		e->loop_failed = true;
		for (i = 0; i < e->nprogs; i++)
			proc_kill(e->progs[i]->proc);
		return -1;
	}
	for (i = 0; i < e->nprogs; i++)
		proc_flush_log(e->progs[i]->proc);
	return 0;
}

/* --- life ------------------------------------------------------------- */

struct loop *
engine_loop(struct engine *e)
{
	return e->loop;
}

const struct config *
engine_config(const struct engine *e)
{
	return e->cfg;
}

struct engine *
engine_new(const struct config *cfg, char *err, size_t errsize)
{
	struct engine *e = calloc(1, sizeof *e);
	size_t i;

	snprintf(err, errsize, "out of memory");
	if (e == NULL)
		return NULL;
	e->cfg = cfg;
	e->stats_at = -1;
	e->loop = loop_new();
	if (e->loop == NULL)
		goto fail;
	e->health = health_new(e->loop, cfg, err, errsize);
	if (e->health == NULL)
		goto fail;
	health_on_result(e->health, engine_probed, e);
	e->conns = conn_set_new(e->loop, &engine_conn_events, e);
	if (e->conns == NULL)
		goto fail;
	for (i = 0; i < cfg->nprograms; i++) {
		if (engine_add_prog(e, cfg, &cfg->programs[i]) == NULL)
			goto fail;
	}
	if ((e->deps = deps_new(e)) == NULL)
		goto fail;
	if (engine_watch_signals(e) == -1) {
		snprintf(err, errsize, "cannot watch signals: %s",
		    strerror(errno));
		goto fail;
	}
	loop_set_before_sleep(e->loop, engine_before_sleep, e);
	engine_current = e;
	crash_init();
	crash_on(engine_emergency_stop);
	return e;
fail:
	engine_free(e);
	return NULL;
}

void
engine_free(struct engine *e)
{
	size_t i;

	if (e == NULL)
		return;
	if (engine_current == e) {
		crash_off(engine_emergency_stop);
		engine_current = NULL;
	}
	/* No client hears of the last kills: they are gone already. */
	e->nsubs = 0;
	conn_set_free(e->conns);
	e->conns = NULL;
	for (i = 0; i < e->nprogs; i++)
		engine_free_prog(e->progs[i]);
	deps_free(e->deps);
	e->deps = NULL;
	watch_free(e->watch);
	health_free(e->health);
	loop_del_timer(e->loop, e->deadline_timer);
	loop_del_timer(e->loop, e->stats_timer);
	loop_free(e->loop);
	free(e->progs);
	free(e->subs);
	free(e->watched);
	for (i = 0; i < e->nreloaded; i++) {
		config_free(e->reloaded[i]);
		free(e->reloaded[i]);
	}
	free(e->reloaded);
	free(e);
}
