/*
 * proc: one program of the config, and its lives.
 *
 * A proc spawns its program (spawn.h) as the leader of a new session,
 * reads its output into the program's store and log file (procio.h),
 * applies the restart policy with backoff, and stops it with escalation
 * (stopseq.h).  An exit is reported only after the pipes have been
 * drained, so a program's last lines always come first; the program has
 * ended when its main process has exited, its pipes are at end of file
 * and nothing is left of its process tree (ptree.h).
 *
 * The owner (the engine) reaps children with waitpid() and hands each
 * status to the proc it belongs to, and hears of lines, output and state
 * changes through proc_events.
 */
#ifndef TEND_PROC_H
#define TEND_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "config.h"
#include "loop.h"
#include "store.h"
#include "vt.h"

enum proc_state {
	PROC_IDLE,		/* not started (autostart = false) */
	PROC_STARTING,		/* spawned, not yet up for startsecs */
	PROC_RUNNING,
	PROC_STOPPING,		/* a stop or kill was requested */
	PROC_EXITED,		/* ended: see proc_status.wait_status */
	PROC_BACKOFF,		/* ended, restarting after a delay */
	PROC_FATAL,		/* restarted startretries times; gave up */
	PROC_WAITING,		/* for what depends_on names: see why */
	PROC_BLOCKED,		/* depends_on can no longer be met: why */
};

struct proc_status {
	enum proc_state state;
	pid_t pid;		/* while the main process runs, else 0 */
	int stopped_by;		/* the signal that stopped it (SIGSTOP), 0 */
	bool alive;		/* the main process, processes it left or
				   open output: the run is not over */
	int64_t started_ms;	/* loop time of the last start */
	int64_t started_wall_ms;	/* the same as wall-clock time */
	int64_t ended_ms;	/* loop time of the last end */
	bool ended;		/* wait_status is valid */
	int wait_status;	/* of the last end, as from waitpid() */
	bool stop_requested;	/* the last end was asked for by tend */
	bool failed;		/* an end that tend did not ask for and
				   exitcodes did not expect */
	int retries;		/* quick failures in a row */
	int starts;		/* runs begun so far */
	int64_t restart_at_ms;	/* in PROC_BACKOFF */
	char error[256];	/* why the last start failed, or "" */
	char why[192];		/* waiting for / blocked by: "db ready" */
	size_t stdin_queued;	/* bytes waiting to be written */
	uint64_t bytes_read;	/* output read from this run */
	bool stdin_open;
};

struct proc;

struct proc_events {
	/* Every committed line of output, in order (see store.h). */
	void (*line)(void *ctx, struct proc *p, const struct store_line *line);
	/* Output was read: what follows the last complete line (a prompt)
	 * may have changed. */
	void (*output)(void *ctx, struct proc *p);
	/* The state changed.  What happened ("started pid 42", "exited 3")
	 * arrives as a line with STORE_NOTE, before this call. */
	void (*changed)(void *ctx, struct proc *p);
};

/* A proc for program PC of CFG (both must outlive it).  Its log file is
 * opened in cfg->log_dir, if set; a failure there becomes a note and
 * output goes on in memory.  CTX is passed to EVENTS.  NULL when out of
 * memory. */
struct proc *proc_new(struct loop *loop, const struct config *cfg,
    const struct program_config *pc, const struct proc_events *events,
    void *ctx);
/* SIGKILL to what still runs, without waiting; then free. */
void proc_free(struct proc *p);
void *proc_context(const struct proc *p);

/* A waitpid() status of the main process (exit, stop or continue). */
void proc_reaped(struct proc *p, int status);
/* Some process was reaped: P's tree may have emptied. */
void proc_check_tree(struct proc *p);

const char *proc_name(const struct proc *p);
const struct program_config *proc_config(const struct proc *p);
const struct proc_status *proc_status(const struct proc *p);
struct store *proc_store(struct proc *p);
const struct store *proc_store_const(const struct proc *p);
/* Its process group, 0 when none: for the crash handler. */
pid_t proc_group(const struct proc *p);
/* A pty program's terminal (what its pane draws), else NULL. */
const struct vt *proc_vt(const struct proc *p);

/* Input for a pty program's terminal, encoded as a terminal would send
 * it (vt.h): a key (or the character CH when KEY is VT_KEY_NONE), the
 * start or end of a paste, a mouse button.  -1 when it does not run, or
 * (mouse) does not want it. */
int proc_key(struct proc *p, enum vt_key key, uint32_t ch, int mods);
int proc_paste(struct proc *p, bool start);
int proc_mouse(struct proc *p, int row, int col, int button, bool pressed);

/* Actions; each returns 0, or -1 when it does not apply now. */
int proc_start(struct proc *p);
int proc_stop(struct proc *p);
int proc_kill(struct proc *p);
int proc_restart(struct proc *p);
/* tend is quitting: this run is the last, nothing restarts. */
void proc_final(struct proc *p);
/* A reload: PC (and CFG's [tend] settings) for the runs from now on, at
 * once when nothing runs, else from the next run (both must outlive P). */
void proc_reconfigure(struct proc *p, const struct config *cfg,
    const struct program_config *pc);
/* A program that does not run waits (WHY: "db ready"), is blocked ("migrate
 * exited 1"), or neither any more (WHY NULL: not started).  -1 while it
 * runs. */
int proc_wait(struct proc *p, enum proc_state state, const char *why);
/* Add a note line to the program's output (and log); with MSG NULL,
 * only tell the owner that something about P changed. */
void proc_note(struct proc *p, const char *msg);
/* Ctrl-C: the terminal's interrupt character with a pty, else SIGINT to
 * the process group. */
int proc_interrupt(struct proc *p);
/* The size of the program's terminal (pty mode): applied at once if it
 * runs, and at the next start; clamped to at least 1x1. */
void proc_resize(struct proc *p, int rows, int cols);
/* Send a line the user typed (without its newline): shown in the pane
 * and the log as input, then queued for stdin with a newline.  -1 with
 * errno EPIPE (stdin closed) or ENOBUFS (queue full). */
int proc_send_line(struct proc *p, const char *text, size_t len);
/* A line of client connection ID (conn.h), received or SENT: into the
 * pane, the log and every view as "‹ID TEXT" / "›ID TEXT". */
void proc_conn_line(struct proc *p, int id, bool sent, const char *text,
    size_t len);
/* Queue LEN bytes for the program's stdin. */
int proc_send(struct proc *p, const char *buf, size_t len);
/* Close the program's stdin once what is queued has been written (with a
 * pty: send the terminal's EOF character, Ctrl-D). */
int proc_close_stdin(struct proc *p);
/* Back-pressure: stop reading the program's output, or read again. */
void proc_pause_output(struct proc *p, bool paused);
/* Write buffered log lines and report log failures (once per turn). */
void proc_flush_log(struct proc *p);

#endif
