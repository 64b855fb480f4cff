/*
 * proc: the life of one program: start, end, restart, stop.
 *
 * Owns the program's store and log file, its current run (the procio
 * with its fds, the ptree of its processes, the stopseq of a stop in
 * progress, the child's exec report) and its timers (startsecs, restart
 * backoff).  Everything a run does that a user should know becomes a
 * note line in the store, so the pane, the log and headless output all
 * see it from one path.
 */
#define _GNU_SOURCE
#include "proc.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ansi.h"
#include "format.h"
#include "logfile.h"
#include "procio.h"
#include "ptree.h"
#include "runas.h"
#include "spawn.h"
#include "stopseq.h"
#include "vt.h"

#define PROC_DRAIN_MAX (1024 * 1024)	/* read at exit before reporting it */
#define PROC_BACKOFF_MAX_MS 30000
#define PROC_MIN_ROWS 2			/* a pty is never smaller */
#define PROC_MIN_COLS 10
#define PROC_MAX_SIZE 4096		/* nor larger */
#define PROC_ROW_MAX (16 * 1024)	/* a terminal row as text */

struct proc {
	struct loop *loop;
	const struct config *cfg;	/* [tend]: shell, folder, log_dir */
	const struct program_config *pc;
	const struct proc_events *ev;
	void *ctx;
	struct proc_status st;
	struct store *store;
	struct logfile *log;		/* stdout's file, and stderr's unless */
	struct logfile *errlog;		/* stderr_logfile gives it its own */
	char log_error[600];		/* to report at the end of the turn */
	unsigned short rows, cols;	/* the pty's size */

	struct procio *io;
	struct vt *vt;			/* a pty program's terminal */
	struct ptree tree;
	struct stopseq stop;
	int status_fd;			/* child's exec report, -1 done */
	bool restart_after_stop;
	bool final;			/* tend is quitting */
	const struct config *next_cfg;	/* a reload's, for the next run */
	const struct program_config *next_pc;
	bool ending;			/* in proc_ended() */
	uint64_t start_timer, backoff_timer;
};

/* The wall clock in milliseconds: the start time a title shows must not
 * move between frames, so it is taken once. */
static int64_t
proc_wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int proc_spawn(struct proc *p);
static void proc_open_log(struct proc *p);
static void proc_apply_config(struct proc *p);

/* --- notes, log -------------------------------------------------------- */

/* The log is given up; the note saying so is added at the end of the
 * turn (this may run inside the store's observer, which must not add
 * lines to the store). */
static void
proc_log_failed(struct proc *p, struct logfile **lf, const char *why)
{
	logfile_close(*lf);
	*lf = NULL;
	snprintf(p->log_error, sizeof p->log_error, "log disabled: %s", why);
}

/* The file LINE goes to: stderr's own when it has one, none for stderr
 * when stderr_logfile = NONE, else stdout's (notes and input too). */
static struct logfile **
proc_log_for(struct proc *p, const struct store_line *line)
{
	bool err = line->stream == STORE_STDERR &&
	    !(line->flags & (STORE_NOTE | STORE_INPUT));

	if (err && p->pc->stderr_logfile != NULL)
		return &p->errlog;
	if (err && p->pc->stderr_log_none)
		return NULL;
	return &p->log;
}

void
proc_note(struct proc *p, const char *msg)
{
	if (msg != NULL)
		store_add_line(p->store, STORE_STDOUT, STORE_NOTE, msg,
		    strlen(msg), loop_now(p->loop));
	p->ev->changed(p->ctx, p);
}

static void
proc_store_line(const struct store_line *line, void *ctx)
{
	struct proc *p = ctx;
	struct logfile **lf = proc_log_for(p, line);
	char err[512];

	if (lf != NULL && *lf != NULL &&
	    logfile_line(*lf, line, err, sizeof err) == -1)
		proc_log_failed(p, lf, err);
	p->ev->line(p->ctx, p, line);
}

/* Open PATH (NULL: none) into *LF with the program's log settings. */
static void
proc_open_one_log(struct proc *p, struct logfile **lf, const char *path,
    long long max_bytes, int backups)
{
	struct logfile_opts o = {
		.max_bytes = max_bytes > 0 ? (uint64_t)max_bytes : 0,
		.backups = backups > 0 ? backups : 0,
		.timestamps = p->pc->log_timestamps > 0,
	};
	char err[512];

	if (path == NULL)
		return;
	*lf = logfile_open(path, &o, err, sizeof err);
	if (*lf == NULL)
		proc_log_failed(p, lf, err);
}

static void
proc_open_log(struct proc *p)
{
	proc_open_one_log(p, &p->log, p->pc->stdout_logfile,
	    p->pc->stdout_logfile_maxbytes, p->pc->stdout_logfile_backups);
	proc_open_one_log(p, &p->errlog, p->pc->stderr_logfile,
	    p->pc->stderr_logfile_maxbytes, p->pc->stderr_logfile_backups);
}

static void
proc_close_log(struct proc *p)
{
	logfile_close(p->log);
	logfile_close(p->errlog);
	p->log = p->errlog = NULL;
}

void
proc_flush_log(struct proc *p)
{
	char err[512];

	if (p->log != NULL && logfile_flush(p->log, err, sizeof err) == -1)
		proc_log_failed(p, &p->log, err);
	if (p->errlog != NULL && logfile_flush(p->errlog, err, sizeof err) ==
	    -1)
		proc_log_failed(p, &p->errlog, err);
	if (p->log_error[0] != '\0') {
		proc_note(p, p->log_error);
		p->log_error[0] = '\0';
	}
}

/* --- accessors -------------------------------------------------------- */

const char *
proc_name(const struct proc *p)
{
	return p->pc->name;
}

const struct program_config *
proc_config(const struct proc *p)
{
	return p->pc;
}

const struct proc_status *
proc_status(const struct proc *p)
{
	return &p->st;
}

struct store *
proc_store(struct proc *p)
{
	return p->store;
}

const struct store *
proc_store_const(const struct proc *p)
{
	return p->store;
}

void *
proc_context(const struct proc *p)
{
	return p->ctx;
}

pid_t
proc_group(const struct proc *p)
{
	return p->tree.id;
}

const struct vt *
proc_vt(const struct proc *p)
{
	return p->vt;
}

/* Keys for a pty program's terminal, which encodes them and replies
 * with the bytes (proc_vt_reply). */
int
proc_key(struct proc *p, enum vt_key key, uint32_t ch, int mods)
{
	if (p->vt == NULL || p->st.pid == 0 || !procio_stdin_open(p->io))
		return -1;
	if (key != VT_KEY_NONE)
		vt_key(p->vt, key, mods);
	else
		vt_char(p->vt, ch, mods);
	return 0;
}

int
proc_paste(struct proc *p, bool start)
{
	if (p->vt == NULL || p->st.pid == 0)
		return -1;
	vt_paste(p->vt, start);
	return 0;
}

int
proc_mouse(struct proc *p, int row, int col, int button, bool pressed)
{
	if (p->vt == NULL || p->st.pid == 0 || !vt_wants_mouse(p->vt))
		return -1;
	vt_mouse(p->vt, row, col, button, pressed);
	return 0;
}

static void
proc_cancel_timer(struct proc *p, uint64_t *timer)
{
	loop_del_timer(p->loop, *timer);
	*timer = 0;
}

static void
proc_sync_stdin(struct proc *p)
{
	p->st.stdin_queued = procio_queued(p->io);
	p->st.stdin_open = procio_stdin_open(p->io);
}

/* Is anything of the run left?  A stopped program whose processes are
 * all gone is over even if something outside its tree (a daemon that
 * made its own session) still holds its pipes: stop reading them. */
static void
proc_update_alive(struct proc *p)
{
	bool alive;

	if (p->ending)
		return;		/* proc_ended() looks once it is done */
	if (p->st.pid == 0 && p->st.stop_requested && procio_reading(p->io) &&
	    !ptree_alive(&p->tree)) {
		procio_drain(p->io, PROC_DRAIN_MAX);
		procio_close(p->io);
		proc_sync_stdin(p);
	}
	alive = p->st.pid != 0 || ptree_alive(&p->tree) ||
	    procio_reading(p->io);
	if (alive != p->st.alive) {
		p->st.alive = alive;
		p->ev->changed(p->ctx, p);
	}
}

void
proc_check_tree(struct proc *p)
{
	if (p->st.pid == 0 && p->st.alive) {
		stopseq_check(&p->stop);
		proc_update_alive(p);
	}
}

/* --- the run's fds ---------------------------------------------------- */

/* A pty program's output goes through its terminal, which says what
 * becomes lines; the row the cursor is on is the store's tail (a
 * prompt, for headless output). */
static void
proc_io_output(void *ctx, enum store_stream s, const char *buf, size_t len)
{
	struct proc *p = ctx;
	char row[PROC_ROW_MAX];

	p->st.bytes_read += len;
	if (p->vt != NULL) {
		vt_write(p->vt, buf, len);
		store_set_tail(p->store, STORE_STDOUT, row,
		    vt_cursor_row(p->vt, row, sizeof row), loop_now(p->loop));
	} else {
		store_append(p->store, s, buf, len, loop_now(p->loop));
	}
	p->ev->output(p->ctx, p);
}

static void
proc_io_eof(void *ctx, enum store_stream s)
{
	struct proc *p = ctx;

	store_flush(p->store, s, loop_now(p->loop));
	if (p->st.pid == 0)
		proc_update_alive(p);
}

static void
proc_io_stdin(void *ctx, enum procio_stdin_event what, size_t unsent)
{
	struct proc *p = ctx;
	char msg[128];

	proc_sync_stdin(p);
	switch (what) {
	case PROCIO_STDIN_DRAINED:
		proc_note(p, NULL);
		break;
	case PROCIO_STDIN_CLOSED:
		proc_note(p, "stdin closed");
		break;
	case PROCIO_STDIN_LOST:
		snprintf(msg, sizeof msg, "stdin closed by the program: %zu "
		    "bytes of input were not sent", unsent);
		proc_note(p, msg);
		break;
	}
}

static void
proc_vt_line(void *ctx, const char *text, size_t len)
{
	struct proc *p = ctx;

	store_add_line(p->store, STORE_STDOUT, 0, text, len, loop_now(p->loop));
}

/* What the terminal sends the program: keys, answers to its queries. */
static void
proc_vt_reply(void *ctx, const char *bytes, size_t len)
{
	struct proc *p = ctx;

	if (procio_send(p->io, bytes, len) == 0)
		proc_sync_stdin(p);
}

static void
proc_vt_fullscreen(void *ctx, bool on)
{
	proc_note(ctx, on ? "full screen: its last screen goes to the log "
	    "when it leaves" : "left the full screen");
}

static const struct vt_events proc_vt_events = {
	.line = proc_vt_line,
	.reply = proc_vt_reply,
	.fullscreen = proc_vt_fullscreen,
};

static const struct procio_events proc_io_events = {
	.output = proc_io_output,
	.eof = proc_io_eof,
	.stdin_event = proc_io_stdin,
};

/* Read what a child that failed before exec said about it. */
static void
proc_read_child_error(struct proc *p)
{
	struct spawn_request req = {
		.shell = p->cfg->shell,
		.dir = p->pc->directory ? p->pc->directory : p->cfg->dir,
		.user = p->pc->user,
	};

	if (p->status_fd == -1 || spawn_read_error(p->status_fd, &req,
	    p->st.error, sizeof p->st.error) == -1)
		return;
	loop_del_fd(p->loop, p->status_fd);
	close(p->status_fd);
	p->status_fd = -1;
}

static void
proc_status_readable(struct loop *loop, int fd, int events, void *data)
{
	(void)loop;
	(void)fd;
	(void)events;
	proc_read_child_error(data);
}

/* --- stopping --------------------------------------------------------- */

static void
proc_stop_note(void *ctx, const char *msg)
{
	proc_note(ctx, msg);
}

static bool
proc_stop_send_input(void *ctx)
{
	struct proc *p = ctx;
	const char *in = p->pc->stop_input;
	size_t len = strlen(in);

	if (!procio_can_send(p->io, len + 1) ||
	    procio_send(p->io, in, len) == -1 ||
	    procio_send(p->io, "\n", 1) == -1)
		return false;
	proc_sync_stdin(p);
	return true;
}

static void
proc_stop_done(void *ctx)
{
	struct proc *p = ctx;

	proc_update_alive(p);
	proc_note(p, NULL);
}

static const struct stopseq_events proc_stop_events = {
	.note = proc_stop_note,
	.send_input = proc_stop_send_input,
	.done = proc_stop_done,
};

int
proc_stop(struct proc *p)
{
	if (p->st.state == PROC_BACKOFF) {
		proc_cancel_timer(p, &p->backoff_timer);
		p->st.state = PROC_EXITED;
		p->st.stop_requested = true;
		proc_note(p, "not restarting");
		return 0;
	}
	if (!p->st.alive || stopseq_active(&p->stop))
		return -1;
	p->st.stop_requested = true;
	if (p->st.pid != 0)
		p->st.state = PROC_STOPPING;
	stopseq_begin(&p->stop, p->st.pid != 0 && procio_stdin_open(p->io));
	/* Only the pipes may be left (held by a daemon that left the
	 * session): with no process to wait for, the stop is over now, not
	 * after stopwaitsecs. */
	if (p->st.pid == 0)
		stopseq_check(&p->stop);
	return 0;
}

int
proc_kill(struct proc *p)
{
	if (p->st.state == PROC_BACKOFF)
		return proc_stop(p);
	if (!p->st.alive)
		return -1;
	p->st.stop_requested = true;
	if (p->st.pid != 0)
		p->st.state = PROC_STOPPING;
	stopseq_kill(&p->stop, "sent SIGKILL");
	return 0;
}

/* --- starting --------------------------------------------------------- */

/* Close what is left of the previous run before a new one. */
static void
proc_forget_run(struct proc *p)
{
	int s;

	for (s = 0; s < STORE_NSTREAMS; s++)
		store_flush(p->store, s, loop_now(p->loop));
	procio_close(p->io);
	if (p->status_fd != -1) {
		loop_del_fd(p->loop, p->status_fd);
		close(p->status_fd);
		p->status_fd = -1;
	}
	/* Leftovers of the old run must not outlive their program. */
	ptree_signal(&p->tree, SIGKILL, NULL, 0);
	ptree_init(&p->tree, 0);
	stopseq_cancel(&p->stop);
	proc_sync_stdin(p);
}

static void
proc_start_timer_fired(struct loop *loop, void *data)
{
	struct proc *p = data;

	(void)loop;
	p->start_timer = 0;
	if (p->st.state == PROC_STARTING) {
		p->st.state = PROC_RUNNING;
		p->st.retries = 0;
		proc_note(p, NULL);
	}
}

/* Returns 0, or -1 with the reason in st.error. */
static int
proc_spawn(struct proc *p)
{
	struct spawn_request req;
	struct spawn_child c;
	struct runas user;
	char msg[64];
	int rc;

	proc_forget_run(p);
	proc_apply_config(p);
	p->st.error[0] = '\0';
	/* Looked up at each start, as supervisord does (its initgroups()):
	 * the user's groups may have changed since the config was read. */
	if (p->pc->user != NULL && runas_resolve(p->pc->user, &user,
	    p->st.error, sizeof p->st.error) == -1)
		return -1;
	req = (struct spawn_request){
		.shell = p->cfg->shell,
		.command = p->pc->command,
		.dir = p->pc->directory ? p->pc->directory : p->cfg->dir,
		.env = p->pc->environment,
		.merge_stderr = p->pc->redirect_stderr,
		.pty = p->pc->pty,
		.term = p->pc->pty ? VT_TERM : NULL,
		.rows = p->rows,
		.cols = p->cols,
		.set_umask = p->pc->umask >= 0,
		.umask = (mode_t)(p->pc->umask >= 0 ? p->pc->umask : 0),
		.user = p->pc->user,
		.runas = p->pc->user != NULL ? &user : NULL,
	};
	rc = spawn_start(&req, &c, p->st.error, sizeof p->st.error);
	if (p->pc->user != NULL)
		runas_free(&user);	/* the child has exec'd: vfork */
	if (rc == -1)
		return -1;
	ptree_init(&p->tree, c.pid);
	if (p->vt != NULL)
		vt_reset(p->vt);
	p->status_fd = c.status_fd;
	if (procio_adopt(p->io, &c, p->pc->pty) == -1 ||
	    loop_add_fd(p->loop, p->status_fd, LOOP_READ, proc_status_readable,
	    p) == -1)
		snprintf(p->st.error, sizeof p->st.error, "out of memory");
	p->st.pid = c.pid;
	p->st.starts++;
	p->st.stopped_by = 0;
	p->st.alive = true;
	p->st.bytes_read = 0;
	p->st.state = PROC_STARTING;
	p->st.started_ms = loop_now(p->loop);
	p->st.started_wall_ms = proc_wall_ms();
	p->st.stop_requested = false;
	p->restart_after_stop = false;
	proc_sync_stdin(p);
	proc_cancel_timer(p, &p->start_timer);
	if (p->pc->startsecs > 0)
		p->start_timer = loop_add_timer(p->loop,
		    (int64_t)p->pc->startsecs * 1000, proc_start_timer_fired, p);
	else
		p->st.state = PROC_RUNNING;
	snprintf(msg, sizeof msg, "started pid %d%s", (int)c.pid,
	    p->pc->pty ? " on a pty" : "");
	proc_note(p, msg);
	return 0;
}

/* --- ends and restarts ------------------------------------------------ */

static bool
proc_restarts(const struct proc *p)
{
	return !p->final && p->pc->autorestart != CONFIG_RESTART_NEVER;
}

static void proc_schedule_restart(struct proc *p, bool quick_failure);

/* A start failed before a process existed (no fds, no fork): say why;
 * a program that restarts by itself tries again, as after a quick
 * failure, so a passing EMFILE or EAGAIN does not leave it stuck. */
static void
proc_spawn_failed(struct proc *p)
{
	p->st.state = PROC_EXITED;
	p->st.ended = false;
	proc_note(p, p->st.error);
	if (proc_restarts(p))
		proc_schedule_restart(p, true);
	else
		p->st.failed = true;
}

static void
proc_backoff_fired(struct loop *loop, void *data)
{
	struct proc *p = data;

	(void)loop;
	p->backoff_timer = 0;
	if (p->st.state == PROC_BACKOFF && proc_spawn(p) == -1)
		proc_spawn_failed(p);
}

static bool
proc_should_restart(const struct proc *p)
{
	int status = p->st.wait_status;
	bool expected = WIFEXITED(status) && p->pc->exitcodes[WEXITSTATUS(status)];

	if (p->final || p->st.stop_requested)
		return false;
	return p->pc->autorestart == CONFIG_RESTART_ALWAYS ||
	    (p->pc->autorestart == CONFIG_RESTART_UNEXPECTED && !expected);
}

/* After an unrequested end: wait and start again, or give up.  Quick
 * failures in a row double the wait, so a crash loop costs nothing. */
static void
proc_schedule_restart(struct proc *p, bool quick_failure)
{
	int64_t delay;
	char msg[96];

	p->st.retries = quick_failure ? p->st.retries + 1 : 0;
	if (p->st.retries > p->pc->startretries) {
		p->st.state = PROC_FATAL;
		p->st.failed = true;
		snprintf(msg, sizeof msg, "fatal: failed to start %d times in "
		    "a row; not restarting", p->st.retries);
		proc_note(p, msg);
		return;
	}
	/* 1s, 2s, 4s ... 30s: quick failures in a row double the wait. */
	delay = 1000LL << (p->st.retries > 1 ? (p->st.retries < 6 ?
	    p->st.retries - 1 : 5) : 0);
	if (delay > PROC_BACKOFF_MAX_MS)
		delay = PROC_BACKOFF_MAX_MS;
	p->st.state = PROC_BACKOFF;
	p->st.restart_at_ms = loop_now(p->loop) + delay;
	proc_cancel_timer(p, &p->backoff_timer);
	p->backoff_timer = loop_add_timer(p->loop, delay, proc_backoff_fired,
	    p);
	snprintf(msg, sizeof msg, "restarting in %llds", (long long)delay / 1000);
	proc_note(p, msg);
}

static void
proc_report_end(struct proc *p)
{
	char msg[512], how[64];
	size_t unsent;
	int n;

	format_exit(p->st.wait_status, how, sizeof how);
	n = snprintf(msg, sizeof msg, "%s", how);
	if (p->st.error[0] != '\0')
		snprintf(msg + n, sizeof msg - (size_t)n, ": %s", p->st.error);
	/* Its stdin is of no use to what may be left of it. */
	if ((unsent = procio_drop_stdin(p->io)) > 0) {
		char note[96];

		snprintf(note, sizeof note, "%zu bytes of input were not sent",
		    unsent);
		proc_note(p, note);
	}
	proc_sync_stdin(p);
	proc_note(p, msg);
}

/* The main process is gone: drain what it wrote, report, apply the
 * policy.  A partial line ends with the program that wrote it. */
static void
proc_ended(struct proc *p, int status)
{
	bool quick = p->st.state == PROC_STARTING, expected;
	int s;

	p->ending = true;
	p->st.pid = 0;
	p->st.stopped_by = 0;
	p->st.ended = true;
	p->st.wait_status = status;
	p->st.ended_ms = loop_now(p->loop);
	proc_cancel_timer(p, &p->start_timer);
	proc_read_child_error(p);
	procio_drain(p->io, PROC_DRAIN_MAX);
	if (p->vt != NULL) {
		store_set_tail(p->store, STORE_STDOUT, "", 0, loop_now(p->loop));
		vt_finish(p->vt);
	}
	for (s = 0; s < STORE_NSTREAMS; s++)
		store_flush(p->store, s, loop_now(p->loop));
	expected = WIFEXITED(status) && p->pc->exitcodes[WEXITSTATUS(status)];
	p->st.failed = !p->st.stop_requested && !p->final && !expected;
	p->st.state = PROC_EXITED;
	proc_report_end(p);
	stopseq_check(&p->stop);
	if (p->restart_after_stop && !p->final) {
		p->st.retries = 0;
		if (proc_spawn(p) == -1)
			proc_spawn_failed(p);
	} else if (proc_should_restart(p)) {
		proc_schedule_restart(p, quick);
	}
	p->ending = false;
	proc_update_alive(p);
}

void
proc_reaped(struct proc *p, int status)
{
	char msg[64];

	if (WIFSTOPPED(status)) {
		p->st.stopped_by = WSTOPSIG(status);
		snprintf(msg, sizeof msg, "stopped by SIG%s",
		    config_signal_name(p->st.stopped_by));
		proc_note(p, msg);
	} else if (WIFCONTINUED(status)) {
		p->st.stopped_by = 0;
		proc_note(p, "continued");
	} else {
		proc_ended(p, status);
	}
}

/* --- actions ---------------------------------------------------------- */

int
proc_start(struct proc *p)
{
	if (p->st.pid != 0 || p->final)
		return -1;
	proc_cancel_timer(p, &p->backoff_timer);
	p->st.retries = 0;
	if (proc_spawn(p) == -1) {
		proc_spawn_failed(p);
		return -1;
	}
	return 0;
}

int
proc_restart(struct proc *p)
{
	if (p->final)
		return -1;
	if (p->st.pid == 0)
		return proc_start(p);
	p->restart_after_stop = true;
	if (!stopseq_active(&p->stop))
		proc_stop(p);
	return 0;
}

void
proc_final(struct proc *p)
{
	p->final = true;
}

/* Take the reload's config, between runs. */
static void
proc_apply_config(struct proc *p)
{
	bool log_changed;

	if (p->next_pc == NULL)
		return;
	log_changed = !config_logs_same(p->pc, p->next_pc);
	p->cfg = p->next_cfg;
	p->pc = p->next_pc;
	p->next_cfg = NULL;
	p->next_pc = NULL;
	stopseq_init(&p->stop, p->loop, p->pc, &p->tree, &proc_stop_events, p);
	if (p->pc->pty && p->vt == NULL)
		p->vt = vt_new(p->rows, p->cols, &proc_vt_events, p);
	else if (!p->pc->pty && p->vt != NULL) {
		vt_free(p->vt);
		p->vt = NULL;
	}
	store_set_carry(p->store, p->vt != NULL ? NULL : ansi_carry);
	if (log_changed) {
		proc_close_log(p);
		proc_open_log(p);
	}
}

void
proc_reconfigure(struct proc *p, const struct config *cfg,
    const struct program_config *pc)
{
	p->next_cfg = cfg;
	p->next_pc = pc;
	if (!p->st.alive)
		proc_apply_config(p);
}

int
proc_wait(struct proc *p, enum proc_state state, const char *why)
{
	if (p->st.alive || p->st.state == PROC_BACKOFF)
		return -1;
	p->st.state = why != NULL ? state : p->st.ended ? PROC_EXITED :
	    PROC_IDLE;
	snprintf(p->st.why, sizeof p->st.why, "%s", why != NULL ? why : "");
	p->ev->changed(p->ctx, p);
	return 0;
}

int
proc_interrupt(struct proc *p)
{
	if (p->st.pid == 0)
		return -1;
	/* Through the terminal, as Ctrl-C at a real one: the line discipline
	 * signals the foreground job, which may not be the whole group. */
	if (p->pc->pty)
		return proc_send(p, "\003", 1);
	kill(-p->tree.id, SIGINT);
	return 0;
}

static unsigned short
proc_clamp(int n, int least)
{
	return (unsigned short)(n < least ? least : n > PROC_MAX_SIZE ?
	    PROC_MAX_SIZE : n);
}

void
proc_resize(struct proc *p, int rows, int cols)
{
	unsigned short r = proc_clamp(rows, PROC_MIN_ROWS);
	unsigned short c = proc_clamp(cols, PROC_MIN_COLS);

	if (r == p->rows && c == p->cols)
		return;
	p->rows = r;
	p->cols = c;
	if (p->vt != NULL)
		vt_resize(p->vt, r, c);
	procio_set_winsize(p->io, r, c);
}

/* --- stdin ------------------------------------------------------------ */

int
proc_send(struct proc *p, const char *buf, size_t len)
{
	int rc = procio_send(p->io, buf, len);

	proc_sync_stdin(p);
	return rc;
}

int
proc_send_line(struct proc *p, const char *text, size_t len)
{
	if (!procio_stdin_open(p->io)) {
		errno = EPIPE;
		return -1;
	}
	if (!procio_can_send(p->io, len + 1)) {
		errno = ENOBUFS;
		return -1;
	}
	/* A pty echoes what it is sent; pipes do not, so tend does. */
	if (!p->pc->pty)
		store_add_line(p->store, STORE_STDOUT, STORE_INPUT, text, len,
		    loop_now(p->loop));
	proc_send(p, text, len);
	return proc_send(p, "\n", 1);
}

int
proc_close_stdin(struct proc *p)
{
	int rc = procio_close_stdin(p->io);

	proc_sync_stdin(p);
	return rc;
}

void
proc_pause_output(struct proc *p, bool paused)
{
	procio_pause(p->io, paused);
}

/* --- life ------------------------------------------------------------- */

struct proc *
proc_new(struct loop *loop, const struct config *cfg,
    const struct program_config *pc, const struct proc_events *events,
    void *ctx)
{
	struct proc *p = calloc(1, sizeof *p);

	if (p == NULL)
		return NULL;
	p->loop = loop;
	p->cfg = cfg;
	p->pc = pc;
	p->ev = events;
	p->ctx = ctx;
	p->status_fd = -1;
	p->st.state = PROC_IDLE;
	ptree_init(&p->tree, 0);
	stopseq_init(&p->stop, loop, pc, &p->tree, &proc_stop_events, p);
	p->store = store_new(cfg->scrollback, STORE_DEFAULT_MAX_BYTES,
	    proc_store_line, p);
	/* Colours on pipes go on from line to line, as in a terminal; a
	 * pty program's lines come from its terminal, as plain text. */
	if (!pc->pty)
		store_set_carry(p->store, ansi_carry);
	p->io = procio_new(loop, &proc_io_events, p);
	p->rows = 24;
	p->cols = 80;
	if (pc->pty)
		p->vt = vt_new(p->rows, p->cols, &proc_vt_events, p);
	if (p->store == NULL || p->io == NULL || (pc->pty && p->vt == NULL)) {
		proc_free(p);
		return NULL;
	}
	proc_open_log(p);
	return p;
}

void
proc_free(struct proc *p)
{
	if (p == NULL)
		return;
	if (p->io != NULL)
		proc_forget_run(p);
	proc_cancel_timer(p, &p->start_timer);
	proc_cancel_timer(p, &p->backoff_timer);
	procio_free(p->io);
	vt_free(p->vt);
	store_free(p->store);
	proc_close_log(p);
	free(p);
}
