/*
 * engine: the core of tend, one per run of a config.
 *
 * It owns the loop, the programs (found by name), their health checks
 * and log files, the signals, the quit sequence and the exit status.
 * The views (the TUI, headless output, ctl connections) are its clients:
 * they subscribe to its events, draw or write what they need, and send
 * it commands.  None of them changes a program's state any other way,
 * and none of them owns the loop.
 *
 * Quitting: the first quit (q, SIGINT, SIGTERM, SIGHUP and the other
 * signals that would end tend) stops every program with its escalation;
 * a second one kills what is left.  The engine's loop ends when nothing
 * runs any more, after its clients have written out what they hold (for
 * at most ENGINE_FLUSH_MS after a quit: a reader that never reads must
 * not keep tend alive).
 */
#ifndef TEND_ENGINE_H
#define TEND_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "config.h"
#include "health.h"
#include "loop.h"
#include "proc.h"

#define ENGINE_FLUSH_MS 2000

struct engine;

/* News of a client connection to a program's socket (engine_conn_open). */
enum engine_conn_what {
	ENGINE_CONN_OPENED,	/* it is up */
	ENGINE_CONN_LINE,	/* TEXT came from the server */
	ENGINE_CONN_CLOSED,	/* over; TEXT says why (also a note) */
};

struct engine_conn_event {
	enum engine_conn_what what;
	int id;			/* "conn 2" */
	bool connected;		/* CLOSED: it had been up */
	const char *text;
	size_t len;
};

/* What `lines` tells of the lines P committed since it last told. */
struct engine_lines {
	uint64_t first_seq;	/* the first of them */
	bool note;		/* one of them is a note of tend's */
};

/* What a client hears.  Every member may be NULL. */
struct engine_events {
	/* A committed line of P's output, in order (see store.h): for a
	 * client that takes each one (headless output).  A flood commits
	 * millions, so a client that only needs to know of them takes
	 * `lines` instead. */
	void (*line)(void *ctx, struct proc *p, const struct store_line *line);
	/* P committed lines since the last `lines`: told once a turn,
	 * before `flush`, for a view to redraw or followers to serve. */
	void (*lines)(void *ctx, struct proc *p, const struct engine_lines *l);
	/* Output was read: P's unterminated tail (a prompt) may have
	 * changed. */
	void (*output)(void *ctx, struct proc *p);
	/* P's state or health changed. */
	void (*changed)(void *ctx, struct proc *p);
	/* A probe of P ended (its note came first). */
	void (*probed)(void *ctx, struct proc *p, const struct probe_result *r);
	/* A reload added P (it is in the list already). */
	void (*added)(void *ctx, struct proc *p);
	/* A reload removed P and its run is over: forget it (it is freed
	 * once every client has heard). */
	void (*removed)(void *ctx, struct proc *p);
	/* News of tend's own: "got SIGTERM: stopping every program". */
	void (*note)(void *ctx, const char *msg);
	/* Once per loop turn, before the loop sleeps: write out, draw. */
	void (*flush)(void *ctx);
	/* The run is over (every program has ended): a last word, which
	 * busy() then waits for. */
	void (*done)(void *ctx);
	/* True while the client still has output to deliver. */
	bool (*busy)(void *ctx);
	/* A client connection to P's socket opened, got a line, closed
	 * (its lines and notes are in P's output as well). */
	void (*conn)(void *ctx, struct proc *p,
	    const struct engine_conn_event *ev);
	/* New figures from engine_stats() (once a second while wanted). */
	void (*stats)(void *ctx);
};

/* An engine for CFG (which must outlive it); NULL with the reason in
 * ERR.  No program runs until engine_run(). */
struct engine *engine_new(const struct config *cfg, char *err,
    size_t errsize);
/* SIGKILL to whatever still runs; then free. */
void engine_free(struct engine *e);

struct loop *engine_loop(struct engine *e);
const struct config *engine_config(const struct engine *e);

/* EV (copied) and CTX; a client may unsubscribe from inside an event. */
int engine_subscribe(struct engine *e, const struct engine_events *ev,
    void *ctx);
void engine_unsubscribe(struct engine *e, void *ctx);

/* Headless: the run is over when no program runs and none will start
 * again by itself. */
void engine_set_exit_when_settled(struct engine *e, bool on);

/* Start the programs with autostart, then run the loop until the run is
 * over.  Returns 0, or -1 if poll() failed (everything was killed). */
int engine_run(struct engine *e);
/* 1 if some program failed without tend asking it to stop, else 0. */
int engine_exit_status(const struct engine *e);

/* The programs, in the config's order. */
size_t engine_count(const struct engine *e);
struct proc *engine_program(const struct engine *e, size_t i);
struct proc *engine_find(const struct engine *e, const char *name);
/* The program whose name is nearest NAME, for "did you mean"; NULL
 * when none is near. */
struct proc *engine_nearest(const struct engine *e, const char *name);
const struct health_status *engine_health(const struct engine *e,
    const struct proc *p);
/* "ready · probe 200 in 4 ms", or "". */
void engine_describe_health(const struct engine *e, const struct proc *p,
    char *buf, size_t size);

/* Commands.  Each returns 0, or -1 with a sentence for the user in WHY
 * ("web is not running"). */
int engine_start(struct engine *e, struct proc *p, char *why, size_t size);
int engine_stop(struct engine *e, struct proc *p, char *why, size_t size);
int engine_kill(struct engine *e, struct proc *p, char *why, size_t size);
int engine_restart(struct engine *e, struct proc *p, char *why,
    size_t size);
/* TEXT plus a newline to P's stdin (queued; shown as input). */
int engine_send_line(struct engine *e, struct proc *p, const char *text,
    size_t len, char *why, size_t size);
/* Close P's stdin (a pty gets Ctrl-D). */
int engine_eof(struct engine *e, struct proc *p, char *why, size_t size);
/* Ctrl-C: SIGINT to P's group, or the interrupt character on a pty. */
int engine_interrupt(struct engine *e, struct proc *p, char *why,
    size_t size);
/* Probe P now; the result arrives as a note and a change. */
int engine_probe(struct engine *e, struct proc *p, char *why, size_t size);
/* The size of P's terminal, for a pty program. */
void engine_resize(struct engine *e, struct proc *p, int rows, int cols);
/* Focus mode: a key, a paste's start or end, a mouse button, for a pty
 * program's terminal (see proc_key()). */
int engine_key(struct engine *e, struct proc *p, enum vt_key key,
    uint32_t ch, int mods);
int engine_paste(struct engine *e, struct proc *p, bool start);
int engine_mouse(struct engine *e, struct proc *p, int row, int col,
    int button, bool pressed);

/* A new client connection to P's `socket` (conn.h), connecting in the
 * loop with probe_timeout: its number, or -1 with WHY ("web has no
 * socket in its config").  Connections close when P stops. */
int engine_conn_open(struct engine *e, struct proc *p, char *why,
    size_t size);
/* TEXT plus a newline to connection ID of P (queued; shown as sent). */
int engine_conn_send(struct engine *e, struct proc *p, int id,
    const char *text, size_t len, char *why, size_t size);
int engine_conn_close(struct engine *e, struct proc *p, int id, char *why,
    size_t size);
/* P's open connections, oldest first (at most MAX numbers in IDS); the
 * count. */
size_t engine_conns(const struct engine *e, const struct proc *p, int *ids,
    size_t max);
bool engine_conn_connecting(const struct engine *e, const struct proc *p,
    int id);

/* Read the config again: new programs start, removed ones stop (and
 * leave the list once their run is over), changed ones restart, and the
 * others keep running untouched.  A config with errors changes nothing:
 * -1, the errors as notes, a sentence in WHY. */
int engine_reload(struct engine *e, char *why, size_t size);

/* The first quit stops everything; the next kills what is left. */
void engine_quit(struct engine *e, const char *why);
bool engine_quitting(const struct engine *e);
bool engine_killing(const struct engine *e);
/* Programs whose run is not over. */
size_t engine_alive(const struct engine *e);

/* What a program's processes cost (stats.h), from the last sample. */
struct engine_stats {
	bool known;		/* sampled while its processes were there */
	bool cpu_known;		/* cpu_percent holds a figure */
	double cpu_percent;	/* 100: one core busy */
	uint64_t rss_bytes;
	unsigned nprocs;
};

#define ENGINE_STATS_MS 1000	/* a sample a second, while wanted */

/* A client shows the stats (the TUI's wide list): while some client
 * wants them, /proc is sampled every ENGINE_STATS_MS; while none does,
 * nothing is (an idle tend does not wake up for them).  Wants count. */
void engine_stats_want(struct engine *e, bool want);
/* Sample now unless the last sample is recent (for a one-off reader,
 * such as `tend ctl status`).  A program's first sample in a run gives
 * its CPU % averaged over the run so far. */
void engine_stats_refresh(struct engine *e);
const struct engine_stats *engine_stats(const struct engine *e,
    const struct proc *p);

/* A child a client started itself (a pager): FN hears each of its
 * waitpid() statuses (WUNTRACED | WCONTINUED), as the engine reaps every
 * child; the watch ends after its exit or death. */
typedef void (*engine_pid_fn)(void *ctx, pid_t pid, int status);
int engine_watch_pid(struct engine *e, pid_t pid, engine_pid_fn fn,
    void *ctx);
void engine_unwatch_pid(struct engine *e, pid_t pid);

/* A client cannot keep up: stop reading the programs' output until it
 * releases (their writes wait in their pipes; nothing is lost).  Holds
 * count: output resumes when every hold is released. */
void engine_hold_output(struct engine *e, bool hold);

#endif
