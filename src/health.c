/*
 * health: readiness and health of each program, from probes and output.
 *
 * Owns, per program, the probe timer, the health state and whether the
 * probe in flight was asked for by the user (its result is then always
 * noted; a periodic probe only notes changes).
 */
#define _GNU_SOURCE
#include "health.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct health_check {
	struct health *h;
	struct proc *p;
	struct health_status st;
	pid_t pid;		/* the run the state belongs to */
	int64_t started_ms;	/* of that run */
	bool been_ready;	/* in that run */
	uint64_t timer;
	uint64_t ready_timer;	/* the ready_log note, out of the observer */
	bool manual;		/* the probe in flight was asked for */
	bool start_failed;	/* the last periodic start failed (noted) */
};

struct health {
	struct loop *loop;
	const struct config *cfg;	/* shell and folder for commands */
	struct probe_set *probes;
	void (*on_result)(void *ctx, struct proc *p,
	    const struct probe_result *r);
	void *ctx;
};

static void health_probe_done(void *owner, const struct probe_result *r,
    void *ctx);

static bool
health_has_probe(const struct program_config *pc)
{
	return pc->probe_url != NULL || pc->probe_command != NULL ||
	    pc->probe_tcp != NULL;
}

static bool
health_watched(const struct proc *p)
{
	return health_has_probe(proc_config(p)) ||
	    proc_config(p)->ready_log != NULL;
}

struct health *
health_new(struct loop *loop, const struct config *cfg, char *err,
    size_t errsize)
{
	struct health *h;

	h = calloc(1, sizeof *h);
	if (h == NULL) {
		snprintf(err, errsize, "out of memory");
		return NULL;
	}
	h->loop = loop;
	h->cfg = cfg;
	h->probes = probe_set_new(loop, health_probe_done, h, err, errsize);
	if (h->probes == NULL) {
		free(h);
		return NULL;
	}
	return h;
}

void
health_on_result(struct health *h, void (*fn)(void *ctx, struct proc *p,
    const struct probe_result *r), void *ctx)
{
	h->on_result = fn;
	h->ctx = ctx;
}

bool
health_reaped(struct health *h, pid_t pid, int status)
{
	return probe_reaped(h->probes, pid, status);
}

void
health_free(struct health *h)
{
	if (h == NULL)
		return;
	probe_set_free(h->probes);
	free(h);
}

struct health_check *
health_check_new(struct health *h, struct proc *p)
{
	struct health_check *c = calloc(1, sizeof *c);

	if (c == NULL)
		return NULL;
	c->h = h;
	c->p = p;
	return c;
}

void
health_check_free(struct health_check *c)
{
	if (c == NULL)
		return;
	loop_del_timer(c->h->loop, c->timer);
	loop_del_timer(c->h->loop, c->ready_timer);
	probe_cancel(c->h->probes, c);
	free(c);
}

/* Room for a note that quotes a probe's result. */
#define HEALTH_NOTE_MAX (PROBE_TEXT_MAX + 128)

static void
health_note(struct health_check *e, const char *fmt, const char *text)
{
	char msg[HEALTH_NOTE_MAX];

	snprintf(msg, sizeof msg, fmt, text);
	proc_note(e->p, msg);
}

/* The program's probe, of whichever kind it has (config.c allows one);
 * a command runs where and as the program runs. */
static int
health_start_probe(struct health_check *e, char *why, size_t size)
{
	const struct program_config *pc = proc_config(e->p);
	struct probe_request req = {
		.kind = pc->probe_command != NULL ? PROBE_COMMAND :
		    pc->probe_tcp != NULL ? PROBE_TCP : PROBE_HTTP,
		.timeout = pc->probe_timeout,
		.url = pc->probe_url,
		.want_status = pc->probe_status,
		.want_body = pc->probe_body,
		.command = pc->probe_command,
		.shell = e->h->cfg->shell,
		.dir = pc->directory ? pc->directory : e->h->cfg->dir,
		.env = pc->environment,
		.address = pc->probe_tcp,
	};

	return probe_start(e->h->probes, e, &req, why, size);
}

static void health_arm(struct health_check *e);

static void
health_timer_fired(struct loop *loop, void *data)
{
	struct health_check *e = data;
	char why[256];

	(void)loop;
	e->timer = 0;
	if (probe_busy(e->h->probes, e))
		return;
	if (health_start_probe(e, why, sizeof why) == 0) {
		e->start_failed = false;
		return;
	}
	/* tend's trouble (no fds), not the program's: said once, and
	 * tried again at the next interval. */
	if (!e->start_failed)
		health_note(e, "probe: cannot start: %s", why);
	e->start_failed = true;
	health_arm(e);
}

static void
health_arm(struct health_check *e)
{
	double every = proc_config(e->p)->probe_interval;

	if (every > 0 && e->timer == 0 && e->pid != 0)
		e->timer = loop_add_timer(e->h->loop, (int64_t)(every * 1000),
		    health_timer_fired, e);
}

/* A success makes the program ready; failures in a row unhealthy. */
static void
health_apply(struct health_check *e, const struct probe_result *r)
{
	enum health_state was = e->st.state;
	char since[32];
	struct tm tm;
	time_t t;

	if (r->ok) {
		e->st.failures = 0;
		e->st.state = HEALTH_READY;
		if (!e->been_ready && !e->manual)
			health_note(e, "ready: probe %s", r->text);
		else if (was == HEALTH_UNHEALTHY && !e->manual)
			health_note(e, "healthy again: probe %s", r->text);
		e->been_ready = true;
		return;
	}
	/* A server still booting refuses connections: not a failure yet. */
	if (!e->been_ready &&
	    loop_now(e->h->loop) - e->started_ms < HEALTH_GRACE_MS)
		return;
	if (e->st.failures++ == 0)
		e->st.failing_since = (int64_t)time(NULL);
	if (e->st.failures < HEALTH_FAILURES || was == HEALTH_UNHEALTHY)
		return;
	e->st.state = HEALTH_UNHEALTHY;
	t = (time_t)e->st.failing_since;
	localtime_r(&t, &tm);
	strftime(since, sizeof since, "%H:%M:%S", &tm);
	if (!e->manual) {
		char msg[HEALTH_NOTE_MAX];

		snprintf(msg, sizeof msg, "unhealthy since %s (%d failed probes):"
		    " %s", since, e->st.failures, r->text);
		proc_note(e->p, msg);
	}
}

static void
health_probe_done(void *owner, const struct probe_result *r, void *ctx)
{
	struct health_check *e = owner;

	(void)ctx;
	e->st.has_last = true;
	e->st.last = *r;
	if (e->pid != 0)
		health_apply(e, r);
	if (e->manual)
		health_note(e, r->ok ? "probe ok: %s" : "probe FAILED: %s",
		    r->text);
	e->manual = false;
	health_arm(e);
	proc_note(e->p, NULL);
	if (e->h->on_result != NULL)
		e->h->on_result(e->h->ctx, e->p, r);
}

void
health_changed(struct health_check *e)
{
	struct health *h = e->h;
	struct proc *p = e->p;
	pid_t pid = proc_status(p)->pid;

	if (pid == e->pid)
		return;
	/* A new run, or the end of one: what was known is void. */
	e->pid = pid;
	e->started_ms = loop_now(e->h->loop);
	e->been_ready = false;
	e->st.state = pid != 0 && health_watched(p) ? HEALTH_WAITING :
	    HEALTH_NONE;
	e->st.failures = 0;
	e->st.has_last = false;	/* the title no longer shows it */
	if (e->timer != 0) {
		loop_del_timer(h->loop, e->timer);
		e->timer = 0;
	}
	if (!e->manual)
		probe_cancel(h->probes, e);
	health_arm(e);
}

static void
health_ready_fired(struct loop *loop, void *data)
{
	struct health_check *e = data;

	(void)loop;
	e->ready_timer = 0;
	health_note(e, "ready: output contains \"%s\"",
	    proc_config(e->p)->ready_log);
}

void
health_line(struct health_check *e, const struct store_line *line)
{
	struct health *h = e->h;
	const char *want;

	/* Every line of a flood comes here: the cheap tests first. */
	if (e->st.state != HEALTH_WAITING ||
	    (line->flags & (STORE_NOTE | STORE_INPUT | STORE_CONN)) ||
	    (want = proc_config(e->p)->ready_log) == NULL ||
	    memmem(line->text, line->len, want, strlen(want)) == NULL)
		return;
	e->st.state = HEALTH_READY;
	e->been_ready = true;
	/* This runs inside the store's observer, which must not add lines:
	 * the note follows in the same turn. */
	if (e->ready_timer == 0)
		e->ready_timer = loop_add_timer(h->loop, 0, health_ready_fired,
		    e);
}

int
health_probe(struct health_check *e, char *why, size_t size)
{
	struct health *h = e->h;
	struct proc *p = e->p;
	char err[256];

	if (!health_has_probe(proc_config(p))) {
		snprintf(why, size, "no probe_url, probe_command or probe_tcp in "
		    "[program:%s]", proc_name(p));
		return -1;
	}
	if (probe_busy(h->probes, e)) {
		e->manual = true;	/* report the one in flight */
		return 0;
	}
	if (health_start_probe(e, err, sizeof err) == -1) {
		snprintf(why, size, "%s: cannot probe: %s", proc_name(p), err);
		return -1;
	}
	e->manual = true;
	return 0;
}

const struct health_status *
health_status(const struct health_check *c)
{
	return &c->st;
}

void
health_describe(const struct health_check *c, char *buf, size_t size)
{
	const struct health_status *st = &c->st;
	const struct probe_result *r = &st->last;
	int n = 0;

	buf[0] = '\0';
	if (st->state == HEALTH_READY)
		n = snprintf(buf, size, "ready");
	else if (st->state == HEALTH_UNHEALTHY)
		n = snprintf(buf, size, "unhealthy");
	if (!st->has_last || n < 0 || (size_t)n >= size)
		return;
	if (r->brief[0] != '\0')
		snprintf(buf + n, size - (size_t)n, "%sprobe %s in %ld ms%s",
		    n ? " \u00b7 " : "", r->brief, r->elapsed_ms,
		    r->ok ? "" : " (failed)");
	else
		snprintf(buf + n, size - (size_t)n, "%sprobe failed",
		    n ? " \u00b7 " : "");
}
