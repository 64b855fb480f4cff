/*
 * proc: spawning, feeding, stopping and reaping the programs of a config.
 *
 * Owns each program's pipes, its stdin queue, its process group, its
 * timers (startsecs, stop escalation, restart backoff), its store and log,
 * and the SIGCHLD handling for the whole set.  A program's end is reported
 * after its pipes are drained, so its last lines always come first.
 */
#define _GNU_SOURCE
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "logfile.h"
#include "spawn.h"

#define PROC_READ_CHUNK (64 * 1024)	/* one read per fd per turn */
#define PROC_DRAIN_MAX (1024 * 1024)	/* read at exit before reporting it */
#define PROC_STDIN_MAX (1024 * 1024)	/* queued input per program */
#define PROC_BACKOFF_MAX_MS 30000
#define PROC_GROUP_CHECK_MS 50
#define PROC_HOT_READ 4096	/* a read this big (a stdio buffer) is hot */
#define PROC_HOT_MS 1000	/* and the stream is then read at once */

enum proc_stop_phase {
	STOP_NONE,
	STOP_INPUT,		/* stop_input sent, waiting */
	STOP_SIGNAL,		/* stopsignal sent, waiting */
	STOP_KILL,		/* SIGKILL sent */
};

struct proc {
	struct proc_set *set;
	size_t index;
	const struct program_config *cfg;
	struct proc_status st;
	struct store *store;
	struct logfile *log;
	char log_error[600];		/* to report at the end of the turn */
	unsigned short rows, cols;	/* the pty's size */

	pid_t pgid;			/* group to signal; 0 once empty */
	int out_fd[STORE_NSTREAMS];	/* read ends, -1 when closed */
	int64_t hot_until[STORE_NSTREAMS];	/* read at once until then */
	int in_fd;			/* write end of stdin, -1 closed */
	int status_fd;			/* child's exec report, -1 done */

	char *inq;			/* stdin bytes not yet written */
	size_t inq_len, inq_cap;
	bool close_stdin_after_queue;

	enum proc_stop_phase stop_phase;
	bool restart_after_stop;
	uint64_t stop_timer, start_timer, backoff_timer;
};

struct proc_set {
	struct loop *loop;
	const struct config *cfg;
	struct proc_events ev;
	struct proc *procs;
	size_t nprocs;
	bool quitting;
};

static char proc_readbuf[PROC_READ_CHUNK];
/* For proc_set_emergency_stop(), which cannot be handed the set. */
static struct proc_set *proc_current_set;

static int proc_spawn(struct proc *p);
static void proc_stop_timer_fired(struct loop *loop, void *data);

/* --- events, log ------------------------------------------------------ */

/* The log is given up; the note saying so is added at the end of the
 * turn (this may run inside the store's observer, which must not add
 * lines to the store). */
static void
proc_log_failed(struct proc *p, const char *why)
{
	logfile_close(p->log);
	p->log = NULL;
	snprintf(p->log_error, sizeof p->log_error, "log disabled: %s", why);
}

/* Tell the view that P changed; MSG, if any, becomes a note line in the
 * program's output (and so in its log and headless output). */
static void
proc_changed(struct proc *p, const char *msg)
{
	if (msg != NULL)
		store_add_line(p->store, STORE_STDOUT, STORE_NOTE, msg,
		    strlen(msg), loop_now_ms());
	if (p->set->ev.changed != NULL)
		p->set->ev.changed(p, p->set->ev.ctx);
}

void
proc_note(struct proc *p, const char *msg)
{
	proc_changed(p, msg);
}

static void
proc_store_line(const struct store_line *line, void *ctx)
{
	struct proc *p = ctx;
	char err[512];

	if (p->log != NULL && logfile_line(p->log, line, err, sizeof err) == -1)
		proc_log_failed(p, err);
	if (p->set->ev.line != NULL)
		p->set->ev.line(p, line, p->set->ev.ctx);
}

/* --- formatting ------------------------------------------------------- */

void
proc_format_exit(int wait_status, char *buf, size_t size)
{
	if (WIFEXITED(wait_status)) {
		snprintf(buf, size, "exited %d", WEXITSTATUS(wait_status));
	} else if (WIFSIGNALED(wait_status)) {
		int sig = WTERMSIG(wait_status);

		snprintf(buf, size, "killed by SIG%s (rc -%d)%s",
		    config_signal_name(sig), sig,
		    WCOREDUMP(wait_status) ? ", core dumped" : "");
	} else {
		snprintf(buf, size, "ended (status 0x%x)", wait_status);
	}
}

void
proc_format_duration(int64_t ms, char *buf, size_t size)
{
	int64_t s = ms / 1000;

	if (ms < 0)
		ms = 0;
	if (ms < 10000)
		snprintf(buf, size, "%lld.%llds", (long long)(ms / 1000),
		    (long long)(ms % 1000 / 100));
	else if (s < 3600)
		snprintf(buf, size, s < 60 ? "%llds" : "%lldm%02llds",
		    s < 60 ? (long long)s : (long long)(s / 60),
		    (long long)(s % 60));
	else if (s < 86400)
		snprintf(buf, size, "%lldh%02lldm", (long long)(s / 3600),
		    (long long)(s % 3600 / 60));
	else
		snprintf(buf, size, "%lldd%02lldh", (long long)(s / 86400),
		    (long long)(s % 86400 / 3600));
}

void
proc_format_state(const struct proc *p, char *buf, size_t size)
{
	int64_t left;

	switch (p->st.state) {
	case PROC_STOPPED:
		snprintf(buf, size, "stopped");
		break;
	case PROC_STARTING:
		snprintf(buf, size, "starting");
		break;
	case PROC_RUNNING:
		snprintf(buf, size, "running");
		break;
	case PROC_STOPPING:
		snprintf(buf, size, "stopping");
		break;
	case PROC_EXITED:
		if (p->st.ended)
			proc_format_exit(p->st.wait_status, buf, size);
		else
			snprintf(buf, size, "failed to start");
		break;
	case PROC_BACKOFF:
		left = p->st.restart_at_ms - loop_now_ms();
		snprintf(buf, size, "backoff %llds",
		    (long long)((left > 0 ? left : 0) + 999) / 1000);
		break;
	case PROC_FATAL:
		snprintf(buf, size, "fatal");
		break;
	}
}

void
proc_format_summary(const struct proc *p, char *buf, size_t size)
{
	char how[128], took[32];

	if (!p->st.ended) {
		snprintf(buf, size, "%s: %s", p->cfg->name,
		    p->st.error[0] != '\0' ? p->st.error : "not started");
		return;
	}
	proc_format_exit(p->st.wait_status, how, sizeof how);
	proc_format_duration(p->st.ended_ms - p->st.started_ms, took,
	    sizeof took);
	snprintf(buf, size, "%s: %s%s after %s", p->cfg->name,
	    p->st.state == PROC_FATAL ? "fatal, last " : "", how, took);
}

/* --- accessors -------------------------------------------------------- */

const char *
proc_name(const struct proc *p)
{
	return p->cfg->name;
}

size_t
proc_index(const struct proc *p)
{
	return p->index;
}

const struct program_config *
proc_config(const struct proc *p)
{
	return p->cfg;
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

size_t
proc_set_count(const struct proc_set *set)
{
	return set->nprocs;
}

struct proc *
proc_set_get(struct proc_set *set, size_t index)
{
	return index < set->nprocs ? &set->procs[index] : NULL;
}

/* What spawn needs to start P. */
static void
proc_request(const struct proc *p, struct spawn_request *req)
{
	const struct config *cfg = p->set->cfg;

	req->shell = cfg->shell;
	req->command = p->cfg->command;
	req->dir = p->cfg->directory ? p->cfg->directory : cfg->dir;
	req->env = p->cfg->environment;
	req->merge_stderr = p->cfg->redirect_stderr;
	req->pty = p->cfg->pty;
	req->rows = p->rows;
	req->cols = p->cols;
}

/* --- process groups --------------------------------------------------- */

static bool
proc_group_alive(struct proc *p)
{
	if (p->pgid == 0)
		return false;
	if (kill(-p->pgid, 0) == -1 && errno == ESRCH) {
		p->pgid = 0;
		return false;
	}
	return true;
}

/* The program or processes it left behind in its group still run. */
static bool
proc_alive(struct proc *p)
{
	return p->st.pid != 0 || proc_group_alive(p);
}

static void
proc_signal_group(struct proc *p, int sig)
{
	if (p->pgid != 0 && kill(-p->pgid, sig) == -1 && errno == ESRCH)
		p->pgid = 0;
}

static void
proc_cancel_timer(struct proc *p, uint64_t *timer)
{
	if (*timer != 0) {
		loop_del_timer(p->set->loop, *timer);
		*timer = 0;
	}
}

/* --- fds -------------------------------------------------------------- */

static void
proc_close_fd(struct proc *p, int *fd)
{
	if (*fd == -1)
		return;
	loop_del_fd(p->set->loop, *fd);
	close(*fd);
	*fd = -1;
}

static void
proc_drop_stdin(struct proc *p)
{
	proc_close_fd(p, &p->in_fd);
	p->inq_len = 0;
	p->close_stdin_after_queue = false;
	p->st.stdin_queued = 0;
	p->st.stdin_open = false;
}

/* Read one chunk from STREAM.  Returns bytes read, 0 at end of file (the
 * fd is then closed), -1 when nothing is ready. */
static ssize_t
proc_read_stream(struct proc *p, enum store_stream stream)
{
	ssize_t n;

	do
		n = read(p->out_fd[stream], proc_readbuf, sizeof proc_readbuf);
	while (n == -1 && errno == EINTR);
	if (n > 0) {
		p->st.bytes_read += (uint64_t)n;
		store_append(p->store, stream, proc_readbuf, (size_t)n,
		    loop_now_ms());
		if (p->set->ev.output != NULL)
			p->set->ev.output(p, p->set->ev.ctx);
		return n;
	}
	if (n == -1 && errno == EAGAIN)
		return -1;
	/* End of file, or an error such as EIO: the stream is over. */
	store_flush(p->store, stream, loop_now_ms());
	proc_close_fd(p, &p->out_fd[stream]);
	return 0;
}

/* How a pipe is watched: a line at a time may wait for the batch (see
 * LOOP_BATCH), a flood may not.  A stream that gave a read of a stdio
 * buffer's worth or more is hot and read at once for PROC_HOT_MS; a pty
 * is always read at once, as a terminal's echo must not lag. */
static int
proc_output_events(const struct proc *p, enum store_stream stream)
{
	if (p->cfg->pty || loop_now_ms() < p->hot_until[stream])
		return LOOP_READ;
	return LOOP_READ | LOOP_BATCH;
}

static void
proc_output_readable(struct loop *loop, int fd, int events, void *data)
{
	struct proc *p = data;
	enum store_stream stream = fd == p->out_fd[STORE_STDERR] ?
	    STORE_STDERR : STORE_STDOUT;
	ssize_t n;

	(void)events;
	n = proc_read_stream(p, stream);
	if (n >= PROC_HOT_READ)
		p->hot_until[stream] = loop_now_ms() + PROC_HOT_MS;
	if (n > 0)
		loop_set_fd_events(loop, fd, proc_output_events(p, stream));
}

/* Everything the dead program wrote is in the pipes already: read it
 * before its end is reported.  Bounded, in case a grandchild that holds
 * the pipe keeps writing. */
static void
proc_drain_output(struct proc *p)
{
	int stream;

	for (stream = 0; stream < STORE_NSTREAMS; stream++) {
		size_t total = 0;
		ssize_t n = 1;

		while (p->out_fd[stream] != -1 && n > 0 &&
		    total < PROC_DRAIN_MAX) {
			n = proc_read_stream(p, stream);
			total += n > 0 ? (size_t)n : 0;
		}
		store_flush(p->store, stream, loop_now_ms());
	}
}

static void
proc_stdin_writable(struct loop *loop, int fd, int events, void *data)
{
	struct proc *p = data;
	ssize_t n;

	(void)events;
	while (p->inq_len > 0) {
		n = write(fd, p->inq, p->inq_len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			return;
		if (n == -1) {
			char msg[128];

			snprintf(msg, sizeof msg, "stdin closed by the program:"
			    " %zu bytes of input were not sent", p->inq_len);
			proc_drop_stdin(p);
			proc_changed(p, msg);
			return;
		}
		memmove(p->inq, p->inq + n, p->inq_len - (size_t)n);
		p->inq_len -= (size_t)n;
		p->st.stdin_queued = p->inq_len;
	}
	loop_set_fd_events(loop, fd, 0);
	if (p->close_stdin_after_queue) {
		proc_drop_stdin(p);
		proc_changed(p, "stdin closed");
	} else {
		proc_changed(p, NULL);
	}
}

/* Read what a child that failed before exec said about it. */
static void
proc_read_child_error(struct proc *p)
{
	struct spawn_request req;

	if (p->status_fd == -1)
		return;
	proc_request(p, &req);
	if (spawn_read_error(p->status_fd, &req, p->st.error,
	    sizeof p->st.error) != -1)
		proc_close_fd(p, &p->status_fd);
}

static void
proc_status_readable(struct loop *loop, int fd, int events, void *data)
{
	(void)loop;
	(void)fd;
	(void)events;
	proc_read_child_error(data);
}

/* --- spawning --------------------------------------------------------- */

/* Watch the fds of a child just spawned. */
static int
proc_adopt(struct proc *p, const struct spawn_child *c)
{
	struct loop *loop = p->set->loop;
	int rc = 0;

	p->in_fd = c->in_fd;
	p->out_fd[STORE_STDOUT] = c->out_fd;
	p->out_fd[STORE_STDERR] = c->err_fd;
	p->status_fd = c->status_fd;
	rc |= loop_add_fd(loop, p->in_fd, 0, proc_stdin_writable, p);
	p->hot_until[STORE_STDOUT] = p->hot_until[STORE_STDERR] = 0;
	rc |= loop_add_fd(loop, p->out_fd[STORE_STDOUT],
	    proc_output_events(p, STORE_STDOUT), proc_output_readable, p);
	if (p->out_fd[STORE_STDERR] != -1)
		rc |= loop_add_fd(loop, p->out_fd[STORE_STDERR],
		    proc_output_events(p, STORE_STDERR), proc_output_readable,
		    p);
	rc |= loop_add_fd(loop, p->status_fd, LOOP_READ, proc_status_readable,
	    p);
	return rc;
}

/* Close what is left of the previous run before a new one. */
static void
proc_forget_run(struct proc *p)
{
	int stream;

	for (stream = 0; stream < STORE_NSTREAMS; stream++) {
		if (p->out_fd[stream] != -1) {
			store_flush(p->store, stream, loop_now_ms());
			proc_close_fd(p, &p->out_fd[stream]);
		}
	}
	proc_close_fd(p, &p->status_fd);
	proc_drop_stdin(p);
	/* Leftovers of the old group must not outlive their program. */
	proc_signal_group(p, SIGKILL);
	p->pgid = 0;
	proc_cancel_timer(p, &p->stop_timer);
	p->stop_phase = STOP_NONE;
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
		proc_changed(p, NULL);
	}
}

static int
proc_spawn(struct proc *p)
{
	struct spawn_request req;
	struct spawn_child c;
	char msg[64];

	proc_forget_run(p);
	p->st.error[0] = '\0';
	proc_request(p, &req);
	if (spawn_start(&req, &c, p->st.error, sizeof p->st.error) == -1)
		return -1;
	p->pgid = c.pid;
	if (proc_adopt(p, &c) == -1)
		snprintf(p->st.error, sizeof p->st.error, "out of memory");
	p->st.pid = c.pid;
	p->st.bytes_read = 0;
	p->st.state = PROC_STARTING;
	p->st.started_ms = loop_now_ms();
	p->st.stop_requested = false;
	p->st.stdin_open = true;
	p->restart_after_stop = false;
	proc_cancel_timer(p, &p->start_timer);
	if (p->cfg->startsecs > 0)
		p->start_timer = loop_add_timer(p->set->loop,
		    (int64_t)p->cfg->startsecs * 1000, proc_start_timer_fired, p);
	else
		p->st.state = PROC_RUNNING;
	snprintf(msg, sizeof msg, "started pid %d%s", (int)c.pid,
	    p->cfg->pty ? " on a pty" : "");
	proc_changed(p, msg);
	return 0;
}

/* --- ends and restarts ------------------------------------------------ */

static void
proc_backoff_fired(struct loop *loop, void *data)
{
	struct proc *p = data;

	(void)loop;
	p->backoff_timer = 0;
	if (p->st.state == PROC_BACKOFF && proc_spawn(p) == -1)
		proc_changed(p, p->st.error);
}

static bool
proc_should_restart(const struct proc *p)
{
	const struct program_config *cfg = p->cfg;
	int status = p->st.wait_status;
	bool expected = WIFEXITED(status) && cfg->exitcodes[WEXITSTATUS(status)];

	if (p->set->quitting || p->st.stop_requested)
		return false;
	return cfg->autorestart == CONFIG_RESTART_ALWAYS ||
	    (cfg->autorestart == CONFIG_RESTART_UNEXPECTED && !expected);
}

/* After an unrequested end: wait and start again, or give up.  Quick
 * failures in a row double the wait, so a crash loop costs nothing. */
static void
proc_schedule_restart(struct proc *p, bool quick_failure)
{
	int64_t delay;
	char msg[96];

	p->st.retries = quick_failure ? p->st.retries + 1 : 0;
	if (p->st.retries > p->cfg->startretries) {
		p->st.state = PROC_FATAL;
		p->st.failed = true;
		snprintf(msg, sizeof msg, "fatal: failed to start %d times in "
		    "a row; not restarting", p->st.retries);
		proc_changed(p, msg);
		return;
	}
	/* 1s, 2s, 4s ... 30s: quick failures in a row double the wait. */
	delay = 1000LL << (p->st.retries > 1 ? (p->st.retries < 6 ?
	    p->st.retries - 1 : 5) : 0);
	if (delay > PROC_BACKOFF_MAX_MS)
		delay = PROC_BACKOFF_MAX_MS;
	p->st.state = PROC_BACKOFF;
	p->st.restart_at_ms = loop_now_ms() + delay;
	p->backoff_timer = loop_add_timer(p->set->loop, delay,
	    proc_backoff_fired, p);
	snprintf(msg, sizeof msg, "restarting in %llds", (long long)delay / 1000);
	proc_changed(p, msg);
}

static void
proc_report_end(struct proc *p)
{
	char msg[512], how[64];
	int n;

	proc_format_exit(p->st.wait_status, how, sizeof how);
	n = snprintf(msg, sizeof msg, "%s", how);
	if (p->st.error[0] != '\0')
		snprintf(msg + n, sizeof msg - (size_t)n, ": %s", p->st.error);
	if (p->inq_len > 0) {
		char unsent[96];

		snprintf(unsent, sizeof unsent, "%zu bytes of input were not "
		    "sent", p->inq_len);
		proc_changed(p, unsent);
	}
	proc_drop_stdin(p);
	proc_changed(p, msg);
}

/* The program's main process is gone: report it, then apply the policy. */
static void
proc_ended(struct proc *p, int status)
{
	const struct program_config *cfg = p->cfg;
	bool quick = p->st.state == PROC_STARTING;
	bool expected;

	p->st.pid = 0;
	p->st.ended = true;
	p->st.wait_status = status;
	p->st.ended_ms = loop_now_ms();
	proc_cancel_timer(p, &p->start_timer);
	proc_read_child_error(p);
	proc_drain_output(p);
	if (!proc_group_alive(p)) {
		proc_cancel_timer(p, &p->stop_timer);
		p->stop_phase = STOP_NONE;
	}
	expected = WIFEXITED(status) && cfg->exitcodes[WEXITSTATUS(status)];
	p->st.failed = !p->st.stop_requested && !p->set->quitting && !expected;
	p->st.state = PROC_EXITED;
	proc_report_end(p);
	if (p->restart_after_stop && !p->set->quitting) {
		p->st.retries = 0;
		if (proc_spawn(p) == -1)
			proc_changed(p, p->st.error);
	} else if (proc_should_restart(p)) {
		proc_schedule_restart(p, quick);
	}
}

/* A SIGKILLed group takes a moment to empty; check until it has. */
static void
proc_group_check_fired(struct loop *loop, void *data)
{
	struct proc *p = data;

	p->stop_timer = 0;
	if (proc_group_alive(p)) {
		p->stop_timer = loop_add_timer(loop, PROC_GROUP_CHECK_MS,
		    proc_group_check_fired, p);
		return;
	}
	p->stop_phase = STOP_NONE;
	proc_changed(p, NULL);
}

static void
proc_reap(struct loop *loop, int signo, void *data)
{
	struct proc_set *set = data;
	size_t i;
	pid_t pid;
	int status;

	(void)loop;
	(void)signo;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = 0; i < set->nprocs; i++) {
			if (set->procs[i].st.pid == pid) {
				proc_ended(&set->procs[i], status);
				break;
			}
		}
	}
	/* Orphans left in a group are reaped here too (tend is their
	 * subreaper): note groups that have emptied. */
	for (i = 0; i < set->nprocs; i++) {
		struct proc *p = &set->procs[i];

		if (p->st.pid == 0 && p->stop_phase != STOP_NONE &&
		    !proc_group_alive(p)) {
			proc_cancel_timer(p, &p->stop_timer);
			p->stop_phase = STOP_NONE;
			proc_changed(p, NULL);
		}
	}
}

/* --- stopping --------------------------------------------------------- */

static void
proc_arm_stop_timer(struct proc *p)
{
	proc_cancel_timer(p, &p->stop_timer);
	p->stop_timer = loop_add_timer(p->set->loop,
	    (int64_t)p->cfg->stopwaitsecs * 1000, proc_stop_timer_fired, p);
}

static void
proc_send_stopsignal(struct proc *p)
{
	char msg[64];

	p->stop_phase = STOP_SIGNAL;
	proc_signal_group(p, p->cfg->stopsignal);
	snprintf(msg, sizeof msg, "stopping: sent SIG%s",
	    config_signal_name(p->cfg->stopsignal));
	proc_changed(p, msg);
	proc_arm_stop_timer(p);
}

static void
proc_send_kill(struct proc *p, const char *why)
{
	p->stop_phase = STOP_KILL;
	proc_signal_group(p, SIGKILL);
	proc_changed(p, why);
	proc_cancel_timer(p, &p->stop_timer);
	p->stop_timer = loop_add_timer(p->set->loop, PROC_GROUP_CHECK_MS,
	    proc_group_check_fired, p);
}

static void
proc_stop_timer_fired(struct loop *loop, void *data)
{
	struct proc *p = data;
	char msg[96];

	(void)loop;
	p->stop_timer = 0;
	if (!proc_alive(p)) {
		p->stop_phase = STOP_NONE;
		return;
	}
	if (p->stop_phase == STOP_INPUT) {
		proc_send_stopsignal(p);
		return;
	}
	snprintf(msg, sizeof msg, "sent SIGKILL: still running %ds after SIG%s",
	    p->cfg->stopwaitsecs, config_signal_name(p->cfg->stopsignal));
	proc_send_kill(p, msg);
}

int
proc_stop(struct proc *p)
{
	if (p->st.state == PROC_BACKOFF) {
		proc_cancel_timer(p, &p->backoff_timer);
		p->st.state = PROC_EXITED;
		p->st.stop_requested = true;
		proc_changed(p, "not restarting");
		return 0;
	}
	if (!proc_alive(p) || p->stop_phase != STOP_NONE)
		return -1;
	p->st.stop_requested = true;
	if (p->st.pid != 0)
		p->st.state = PROC_STOPPING;
	if (p->st.pid != 0 && p->cfg->stop_input != NULL && p->in_fd != -1) {
		size_t len = strlen(p->cfg->stop_input);

		p->stop_phase = STOP_INPUT;
		proc_send(p, p->cfg->stop_input, len);
		proc_send(p, "\n", 1);
		proc_changed(p, "stopping: sent stop_input");
		proc_arm_stop_timer(p);
		return 0;
	}
	proc_send_stopsignal(p);
	return 0;
}

int
proc_kill(struct proc *p)
{
	if (p->st.state == PROC_BACKOFF)
		return proc_stop(p);
	if (!proc_alive(p))
		return -1;
	p->st.stop_requested = true;
	if (p->st.pid != 0)
		p->st.state = PROC_STOPPING;
	proc_send_kill(p, "sent SIGKILL");
	return 0;
}

int
proc_start(struct proc *p)
{
	if (p->st.pid != 0 || p->set->quitting)
		return -1;
	proc_cancel_timer(p, &p->backoff_timer);
	p->st.retries = 0;
	if (proc_spawn(p) == -1) {
		p->st.state = PROC_EXITED;
		p->st.ended = false;
		p->st.failed = true;
		proc_changed(p, p->st.error);
		return -1;
	}
	return 0;
}

int
proc_restart(struct proc *p)
{
	if (p->st.pid == 0)
		return proc_start(p);
	p->restart_after_stop = true;
	if (p->stop_phase == STOP_NONE)
		proc_stop(p);
	return 0;
}

int
proc_signal(struct proc *p, int sig)
{
	if (p->st.pid == 0)
		return -1;
	proc_signal_group(p, sig);
	return 0;
}

int
proc_interrupt(struct proc *p)
{
	if (p->st.pid == 0)
		return -1;
	/* Through the terminal, as Ctrl-C at a real one: the line discipline
	 * signals the foreground job, which may not be the whole group. */
	if (p->cfg->pty && p->in_fd != -1)
		return proc_send(p, "\003", 1);
	proc_signal_group(p, SIGINT);
	return 0;
}

void
proc_resize(struct proc *p, unsigned short rows, unsigned short cols)
{
	if (rows == p->rows && cols == p->cols)
		return;
	p->rows = rows;
	p->cols = cols;
	if (p->cfg->pty && p->out_fd[STORE_STDOUT] != -1)
		spawn_set_winsize(p->out_fd[STORE_STDOUT], rows, cols);
}

/* --- stdin ------------------------------------------------------------ */

int
proc_send(struct proc *p, const char *buf, size_t len)
{
	if (p->in_fd == -1 || p->close_stdin_after_queue) {
		errno = EPIPE;
		return -1;
	}
	if (p->inq_len + len > PROC_STDIN_MAX) {
		errno = ENOBUFS;
		return -1;
	}
	if (p->inq_len + len > p->inq_cap) {
		size_t cap = p->inq_cap ? p->inq_cap : 4096;
		char *q;

		while (cap < p->inq_len + len)
			cap *= 2;
		q = realloc(p->inq, cap);
		if (q == NULL)
			return -1;
		p->inq = q;
		p->inq_cap = cap;
	}
	memcpy(p->inq + p->inq_len, buf, len);
	p->inq_len += len;
	p->st.stdin_queued = p->inq_len;
	loop_set_fd_events(p->set->loop, p->in_fd, LOOP_WRITE);
	return 0;
}

int
proc_send_line(struct proc *p, const char *text, size_t len)
{
	if (p->in_fd == -1 || p->close_stdin_after_queue) {
		errno = EPIPE;
		return -1;
	}
	if (p->inq_len + len + 1 > PROC_STDIN_MAX) {
		errno = ENOBUFS;
		return -1;
	}
	/* A pty echoes what it is sent; pipes do not, so tend does. */
	if (!p->cfg->pty)
		store_add_line(p->store, STORE_STDOUT, STORE_INPUT, text, len,
		    loop_now_ms());
	proc_send(p, text, len);
	return proc_send(p, "\n", 1);
}

int
proc_close_stdin(struct proc *p)
{
	if (p->in_fd == -1)
		return -1;
	/* A terminal has no end of file: its EOF is the VEOF character. */
	if (p->cfg->pty)
		return proc_send(p, "\004", 1);
	p->close_stdin_after_queue = true;
	/* Writable right away when the queue is empty: closes it then. */
	loop_set_fd_events(p->set->loop, p->in_fd, LOOP_WRITE);
	return 0;
}

/* --- the set ---------------------------------------------------------- */

static int
proc_init(struct proc_set *set, struct proc *p, size_t index)
{
	char err[512];

	p->set = set;
	p->index = index;
	p->cfg = &set->cfg->programs[index];
	p->out_fd[STORE_STDOUT] = p->out_fd[STORE_STDERR] = -1;
	p->in_fd = p->status_fd = -1;
	p->st.state = PROC_STOPPED;
	p->store = store_new(set->cfg->scrollback, STORE_DEFAULT_MAX_BYTES,
	    proc_store_line, p);
	if (p->store == NULL)
		return -1;
	if (set->cfg->log_dir != NULL) {
		p->log = logfile_open(set->cfg->log_dir, p->cfg->name, err,
		    sizeof err);
		if (p->log == NULL)
			proc_log_failed(p, err);
	}
	return 0;
}

struct proc_set *
proc_set_new(struct loop *loop, const struct config *cfg,
    const struct proc_events *events)
{
	struct proc_set *set;
	size_t i;

	set = calloc(1, sizeof *set);
	if (set == NULL)
		return NULL;
	set->loop = loop;
	set->cfg = cfg;
	set->ev = *events;
	set->procs = calloc(cfg->nprograms ? cfg->nprograms : 1,
	    sizeof *set->procs);
	if (set->procs == NULL) {
		free(set);
		return NULL;
	}
	set->nprocs = cfg->nprograms;
	for (i = 0; i < set->nprocs; i++) {
		if (proc_init(set, &set->procs[i], i) == -1) {
			set->nprocs = i;
			proc_set_free(set);
			return NULL;
		}
	}
	/* A child that writes to a closed pipe must not kill tend. */
	signal(SIGPIPE, SIG_IGN);
#ifdef PR_SET_CHILD_SUBREAPER
	/* Orphaned grandchildren come back to tend to be reaped. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
#endif
	if (loop_watch_signal(loop, SIGCHLD, proc_reap, set) == -1) {
		proc_set_free(set);
		return NULL;
	}
	proc_current_set = set;
	return set;
}

void
proc_set_emergency_stop(void)
{
	struct proc_set *set = proc_current_set;
	size_t i;

	for (i = 0; set != NULL && i < set->nprocs; i++) {
		if (set->procs[i].pgid != 0)
			kill(-set->procs[i].pgid, SIGTERM);
	}
}

void
proc_set_free(struct proc_set *set)
{
	size_t i;

	if (set == NULL)
		return;
	if (proc_current_set == set)
		proc_current_set = NULL;
	for (i = 0; i < set->nprocs; i++) {
		struct proc *p = &set->procs[i];

		proc_signal_group(p, SIGKILL);
		proc_forget_run(p);
		proc_cancel_timer(p, &p->start_timer);
		proc_cancel_timer(p, &p->backoff_timer);
		store_free(p->store);
		logfile_close(p->log);
		free(p->inq);
	}
	free(set->procs);
	free(set);
}

void
proc_set_start(struct proc_set *set)
{
	size_t i;

	for (i = 0; i < set->nprocs; i++) {
		if (set->procs[i].cfg->autostart)
			proc_start(&set->procs[i]);
	}
}

void
proc_set_stop(struct proc_set *set)
{
	size_t i;

	set->quitting = true;
	for (i = 0; i < set->nprocs; i++)
		proc_stop(&set->procs[i]);
}

void
proc_set_kill(struct proc_set *set)
{
	size_t i;

	set->quitting = true;
	for (i = 0; i < set->nprocs; i++) {
		if (proc_alive(&set->procs[i]))
			proc_kill(&set->procs[i]);
	}
}

size_t
proc_set_alive(const struct proc_set *set)
{
	size_t i, n = 0;

	for (i = 0; i < set->nprocs; i++) {
		if (proc_alive(&set->procs[i]))
			n++;
	}
	return n;
}

bool
proc_set_settled(const struct proc_set *set)
{
	size_t i;

	for (i = 0; i < set->nprocs; i++) {
		const struct proc *p = &set->procs[i];

		if (p->st.state == PROC_BACKOFF || proc_alive(&set->procs[i]))
			return false;
	}
	return true;
}

bool
proc_set_failed(const struct proc_set *set)
{
	size_t i;

	for (i = 0; i < set->nprocs; i++) {
		if (set->procs[i].st.failed)
			return true;
	}
	return false;
}

void
proc_set_flush_logs(struct proc_set *set)
{
	char err[512];
	size_t i;

	for (i = 0; i < set->nprocs; i++) {
		struct proc *p = &set->procs[i];

		if (p->log != NULL && logfile_flush(p->log, err, sizeof err) == -1)
			proc_log_failed(p, err);
		if (p->log_error[0] != '\0') {
			proc_changed(p, p->log_error);
			p->log_error[0] = '\0';
		}
	}
}
