/*
 * proc: the programs tend runs, and their lives.
 *
 * A proc_set holds one proc per [program:x] of the config.  It spawns each
 * program as `$shell -c "$command"` in its own process group with pipes for
 * stdin, stdout and stderr, reads their output into the program's store
 * (and log file), writes queued input as the pipe accepts it, reaps
 * children on SIGCHLD, applies the restart policy with backoff, and stops
 * programs with the escalation stop_input -> stopsignal -> SIGKILL, always
 * to the whole process group.  An exit is reported only after the
 * program's output has been drained.
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

enum proc_state {
	PROC_STOPPED,		/* not started (autostart = false) */
	PROC_STARTING,		/* spawned, not yet up for startsecs */
	PROC_RUNNING,
	PROC_STOPPING,		/* a stop or kill was requested */
	PROC_EXITED,		/* ended: see proc_status.wait_status */
	PROC_BACKOFF,		/* ended, restarting after a delay */
	PROC_FATAL,		/* restarted startretries times; gave up */
};

struct proc_status {
	enum proc_state state;
	pid_t pid;		/* while the program runs, else 0 */
	int64_t started_ms;	/* monotonic time of the last start */
	int64_t ended_ms;	/* monotonic time of the last end */
	bool ended;		/* wait_status is valid */
	int wait_status;	/* of the last end, as from waitpid() */
	bool stop_requested;	/* the last end was asked for by tend */
	bool failed;		/* an end that tend did not ask for and
				   exitcodes did not expect */
	int retries;		/* quick failures in a row */
	int64_t restart_at_ms;	/* in PROC_BACKOFF */
	char error[256];	/* why the last start failed, or "" */
	size_t stdin_queued;	/* bytes waiting to be written */
	uint64_t bytes_read;	/* output read from this run */
	bool stdin_open;
};

struct proc;
struct proc_set;

struct proc_events {
	/* Every committed line of output, in order (see store.h). */
	void (*line)(struct proc *p, const struct store_line *line, void *ctx);
	/* The state changed.  What happened ("started pid 42", "exited 3")
	 * arrives as a line with STORE_NOTE, before this call. */
	void (*changed)(struct proc *p, void *ctx);
	/* Output was read: what follows the last complete line (a prompt,
	 * say) may have changed.  May be NULL. */
	void (*output)(struct proc *p, void *ctx);
	void *ctx;
};

/* Create one proc per program of CFG (which must outlive the set).  Log
 * files are opened in cfg->log_dir, if set; a failure there is reported
 * through EVENTS and output goes on in memory.  Returns NULL on error. */
struct proc_set *proc_set_new(struct loop *loop, const struct config *cfg,
    const struct proc_events *events);
/* Kills whatever still runs, without waiting. */
void proc_set_free(struct proc_set *set);
/* From a fatal-signal handler: SIGTERM to every process group (uses only
 * async-signal-safe calls). */
void proc_set_emergency_stop(void);

size_t proc_set_count(const struct proc_set *set);
struct proc *proc_set_get(struct proc_set *set, size_t index);

/* Start every program with autostart. */
void proc_set_start(struct proc_set *set);
/* Quit: stop every program at once, restart none from now on. */
void proc_set_stop(struct proc_set *set);
/* SIGKILL to every process group still alive. */
void proc_set_kill(struct proc_set *set);
/* Programs (or leftover processes of their groups) still alive. */
size_t proc_set_alive(const struct proc_set *set);
/* True when nothing runs and nothing will start again by itself. */
bool proc_set_settled(const struct proc_set *set);
/* True if some program failed without tend asking it to stop. */
bool proc_set_failed(const struct proc_set *set);
/* Write buffered log lines to disk (once per loop turn). */
void proc_set_flush_logs(struct proc_set *set);

const char *proc_name(const struct proc *p);
size_t proc_index(const struct proc *p);
const struct program_config *proc_config(const struct proc *p);
const struct proc_status *proc_status(const struct proc *p);
struct store *proc_store(struct proc *p);

/* Actions; each returns 0, or -1 when it does not apply now. */
int proc_start(struct proc *p);
int proc_stop(struct proc *p);
int proc_kill(struct proc *p);
int proc_restart(struct proc *p);
/* Add a note line to the program's output (and log): a probe result.
 * With MSG NULL, only tell the view that something about P changed. */
void proc_note(struct proc *p, const char *msg);
/* Send SIG to the program's process group. */
int proc_signal(struct proc *p, int sig);
/* Ctrl-C: the terminal's interrupt character with a pty, else SIGINT to
 * the process group. */
int proc_interrupt(struct proc *p);
/* The size of the program's terminal (pty mode); applied at once if it
 * runs, and at the next start. */
void proc_resize(struct proc *p, unsigned short rows, unsigned short cols);
/* Send a line the user typed (without its newline): shown in the pane
 * and the log as input, then queued for stdin with a newline. */
int proc_send_line(struct proc *p, const char *text, size_t len);
/* Queue LEN bytes for the program's stdin. */
int proc_send(struct proc *p, const char *buf, size_t len);
/* Close the program's stdin once what is queued has been written (with a
 * pty: send the terminal's EOF character, Ctrl-D). */
int proc_close_stdin(struct proc *p);

/* "exited 3", "killed by SIGTERM (rc -15)" for a waitpid() status. */
void proc_format_exit(int wait_status, char *buf, size_t size);
/* The state in a few words: "running", "exited 3", "backoff 4s", ... */
void proc_format_state(const struct proc *p, char *buf, size_t size);
/* How the program ended, for the lines printed when tend exits:
 * "web: killed by SIGTERM (rc -15) after 3m12s". */
void proc_format_summary(const struct proc *p, char *buf, size_t size);
/* "3m12s", "0.4s", "2h05m" */
void proc_format_duration(int64_t ms, char *buf, size_t size);

#endif
