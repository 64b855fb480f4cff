/*
 * ctl: the socket, its connections, and the requests they carry.
 *
 * Owns the listening socket and the lock file, and per connection its
 * request buffer, its output buffer and what its request still waits for
 * (lines to read for `logs`, a condition for `wait`, a probe's result).
 * Everything is non-blocking: a connection is read and written as its
 * socket allows, and its output never grows past CTL_OUT_MAX.
 */
#define _GNU_SOURCE
#include "ctl.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "command.h"
#include "cond.h"
#include "ctllogs.h"
#include "ctlproto.h"
#include "ctlstatus.h"

#define CTL_MAX_CONNS 1024
#define CTL_OUT_ROOM (256 * 1024)	/* logs read on while below this */
#define CTL_OUT_MAX (16 * 1024 * 1024)	/* then the connection is dropped */
/* Followers are served together, once a turn, and each may be given
 * at most its even share of CTL_SERVE_BYTES in CTL_SERVE_MS; one that
 * has used its share waits for the next.  So followers cost tend and the
 * machine at most 4 MB/s of a flood however many they are, in a few big
 * writes a second (fifty given all of `seq 1 2000000` as fast as they
 * took it made its drain 100 times slower), while a quiet line goes out
 * in the turn it came. */
#define CTL_SERVE_BYTES (1024 * 1024)
#define CTL_SERVE_MIN 4096		/* a follower's share is no smaller */
#define CTL_SERVE_MS 250
#define CTL_ACCEPTS_PER_TURN 64
#define CTL_LOGS_DEFAULT 100
#define CTL_FOREVER_MS (INT64_C(1) << 52)	/* 142 000 years: no limit */

enum ctl_job {
	CTL_JOB_NONE, CTL_JOB_LOGS, CTL_JOB_WAIT, CTL_JOB_PROBE,
	CTL_JOB_SOCKET,		/* connect, send-socket: a bridge to a conn */
};

struct ctl_conn {
	struct ctl *ctl;
	struct ctl_conn *next;
	int fd;
	char *in;		/* the request, up to its newline */
	size_t inlen;
	char *out;		/* response lines; out[outoff..outlen) not */
	size_t outoff, outlen, outcap;	/* yet written */
	size_t room;		/* logs read on while out holds less */
	int64_t window_at;	/* logs: given bytes since then */
	size_t given;
	int64_t serve_at;	/* its share is used: not served before */
	bool answered;		/* "x N" was queued: close once written */
	bool watching_write;

	enum ctl_job job;
	struct ctllogs *logs;
	struct proc **procs;	/* what wait or probe is about */
	size_t nprocs;
	enum cond_kind cond;
	char cond_word[24];	/* as the client said it: exited, ready */
	uint64_t timer;		/* wait --timeout */
	int sock_id;		/* CTL_JOB_SOCKET: the engine's conn, or 0 */
	char *sock_text;	/* send-socket: sent once it is up */
};

struct ctl {
	struct engine *e;
	struct loop *loop;
	int listen_fd;
	int lock_fd;
	char path[sizeof ((struct sockaddr_un *)0)->sun_path];
	char lock_path[PATH_MAX];
	struct ctl_conn *conns;
	size_t nconns;
	bool done;		/* the run is over */
	bool fresh;		/* followers may have lines to be served */
	int64_t wake_at;	/* the next follower's serve_at, or 0 */
	int64_t timer_at;	/* serve_timer's */
	uint64_t serve_timer;
};

static void ctl_conn_close(struct ctl_conn *c);
static void ctl_conn_write(struct ctl_conn *c);
static void ctl_sock_drop(struct ctl_conn *c);

/* A connection is closed at once but freed only in ctl_flush(), so no
 * caller is left holding a freed one. */

/* --- output ------------------------------------------------------------ */

/* One response line of KIND; the connection is dropped if a client that
 * does not read would make it pass CTL_OUT_MAX. */
static void
ctl_emit(void *ctx, char kind, const char *text, size_t len)
{
	struct ctl_conn *c = ctx;
	size_t need = c->outlen - c->outoff + len + 3;

	if (c->fd == -1)
		return;
	if (need > CTL_OUT_MAX) {
		c->outoff = c->outlen = 0;
		c->answered = true;
		return;
	}
	/* What was written is dropped only when the end is reached: one
	 * move a buffer, not one a write. */
	if (c->outoff > 0 && c->outlen + len + 3 > c->outcap) {
		memmove(c->out, c->out + c->outoff, c->outlen - c->outoff);
		c->outlen -= c->outoff;
		c->outoff = 0;
	}
	if (need > c->outcap) {
		size_t cap = c->outcap ? c->outcap : 4096;
		char *o;

		while (cap < need)
			cap *= 2;
		if ((o = realloc(c->out, cap)) == NULL)
			return;
		c->out = o;
		c->outcap = cap;
	}
	c->out[c->outlen++] = kind;
	c->out[c->outlen++] = ' ';
	memcpy(c->out + c->outlen, text, len);
	c->outlen += len;
	c->out[c->outlen++] = '\n';
}

static void __attribute__((format(printf, 3, 4)))
ctl_say(struct ctl_conn *c, char kind, const char *fmt, ...)
{
	char buf[PROBE_TEXT_MAX + 512];	/* room for a probe's result */
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n > 0)
		ctl_emit(c, kind, buf, (size_t)n < sizeof buf ? (size_t)n :
		    sizeof buf - 1);
}

/* The request is over: its exit status, then the connection closes. */
static void
ctl_finish(struct ctl_conn *c, int status)
{
	ctl_say(c, 'x', "%d", status);
	c->answered = true;
	ctl_sock_drop(c);
	c->job = CTL_JOB_NONE;
	loop_del_timer(c->ctl->loop, c->timer);
	c->timer = 0;
	ctl_conn_write(c);
}

static bool
ctl_room(void *ctx)
{
	struct ctl_conn *c = ctx;

	return c->outlen - c->outoff < c->room;
}

static void
ctl_pump_logs(struct ctl_conn *c)
{
	if (c->fd != -1 && c->job == CTL_JOB_LOGS && ctllogs_pump(c->logs, ctl_room,
	    ctl_emit, c))
		ctl_finish(c, 0);
}

static void
ctl_conn_write(struct ctl_conn *c)
{
	if (c->fd == -1)
		return;
	while (c->outoff < c->outlen) {
		ssize_t n = write(c->fd, c->out + c->outoff,
		    c->outlen - c->outoff);

		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			break;
		if (n == -1) {		/* the client went away */
			ctl_conn_close(c);
			return;
		}
		c->outoff += (size_t)n;
	}
	if (c->outoff == c->outlen)
		c->outoff = c->outlen = 0;
	if (c->outlen == 0 && c->answered) {
		ctl_conn_close(c);
		return;
	}
	if ((c->outlen > 0) != c->watching_write) {
		c->watching_write = c->outlen > 0;
		loop_set_fd_events(c->ctl->loop, c->fd, LOOP_READ |
		    (c->watching_write ? LOOP_WRITE : 0));
	}
}

/* --- requests ---------------------------------------------------------- */

/* The programs named in WORDS, all of them or none: an unknown name is
 * an error that names the nearest known one. */
static int
ctl_resolve(struct ctl_conn *c, char **words, int n)
{
	int i;

	free(c->procs);
	c->nprocs = 0;
	if ((c->procs = calloc((size_t)n + 1, sizeof *c->procs)) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		struct proc *p = engine_find(c->ctl->e, words[i]);
		struct proc *near;

		if (p != NULL) {
			c->procs[c->nprocs++] = p;
			continue;
		}
		near = engine_nearest(c->ctl->e, words[i]);
		if (near != NULL)
			ctl_say(c, 'e', "no program '%s'; did you mean '%s'?",
			    words[i], proc_name(near));
		else
			ctl_say(c, 'e', "no program '%s'", words[i]);
		return -1;
	}
	return 0;
}

static void
ctl_usage(struct ctl_conn *c, const struct cmd_entry *cmd)
{
	ctl_say(c, 'e', "usage: tend ctl %s%s%s", cmd->name,
	    cmd->usage[0] ? " " : "", cmd->usage);
	ctl_finish(c, 2);
}

/* What the commands of the table with an engine part say they did. */
static void
ctl_done_word(struct ctl_conn *c, enum cmd_id id, const struct proc *p)
{
	const struct proc_status *st = proc_status(p);

	switch (id) {
	case CMD_START:
		ctl_say(c, 'o', "%s: started, pid %d", proc_name(p), (int)st->pid);
		break;
	case CMD_STOP:
		ctl_say(c, 'o', "%s: stopping", proc_name(p));
		break;
	case CMD_KILL:
		ctl_say(c, 'o', "%s: sent SIGKILL", proc_name(p));
		break;
	case CMD_RESTART:
		ctl_say(c, 'o', "%s: restarting", proc_name(p));
		break;
	default:
		break;
	}
}

/* start, stop, restart, kill NAME...; send NAME TEXT; eof NAME. */
static void
ctl_run_on_programs(struct ctl_conn *c, const struct cmd_entry *cmd,
    char **args, int nargs)
{
	const char *text = "";
	char why[512];
	int status = 0;
	size_t i;

	if (cmd->id == CMD_SEND) {
		if (nargs != 2) {
			ctl_usage(c, cmd);
			return;
		}
		text = args[1];
		nargs = 1;
	} else if (nargs < 1 || (cmd->id == CMD_EOF && nargs != 1)) {
		ctl_usage(c, cmd);
		return;
	}
	if (ctl_resolve(c, args, nargs) == -1) {
		ctl_finish(c, 1);
		return;
	}
	for (i = 0; i < c->nprocs; i++) {
		if (cmd->run(c->ctl->e, c->procs[i], text, why, sizeof why) == -1) {
			ctl_say(c, 'e', "%s", why);
			status = 1;
		} else {
			ctl_done_word(c, cmd->id, c->procs[i]);
		}
	}
	ctl_finish(c, status);
}

/* A count of an option (-n 10): a whole number; one too big to hold
 * means "all of them". */
static int
ctl_count(const char *s, size_t *out)
{
	char *end;
	double v;

	if (s == NULL)
		return -1;
	v = strtod(s, &end);
	if (end == s || *end != '\0' || !(v >= 0))
		return -1;
	if (v >= (double)(SIZE_MAX / 2)) {
		*out = SIZE_MAX;
		return 0;
	}
	*out = (size_t)v;
	return (double)*out == v ? 0 : -1;
}

/* Seconds of an option (--timeout 2.5) in milliseconds; a time too long
 * to matter (inf, 1e300) is -1: no limit. */
static int
ctl_seconds(const char *s, int64_t *ms)
{
	char *end;
	double v;

	if (s == NULL)
		return -1;
	v = strtod(s, &end);
	if (end == s || *end != '\0' || !(v >= 0))
		return -1;
	*ms = v * 1000 >= (double)CTL_FOREVER_MS ? -1 : (int64_t)(v * 1000);
	return 0;
}

/* Split ARGS into names and options; OPTS names the options that take
 * a value ("-n", "--for", ...) and FLAGS those that do not. */
static int
ctl_split(char **args, int nargs, char **names, int *nnames,
    const char *const *opts, const char **values, const char *const *flags,
    bool *set)
{
	int i, k;

	*nnames = 0;
	for (i = 0; i < nargs; i++) {
		bool known = false;

		for (k = 0; opts != NULL && opts[k] != NULL; k++) {
			if (strcmp(args[i], opts[k]) == 0) {
				if (i + 1 == nargs)
					return -1;
				values[k] = args[++i];
				known = true;
			}
		}
		for (k = 0; flags != NULL && flags[k] != NULL; k++) {
			if (strcmp(args[i], flags[k]) == 0) {
				set[k] = true;
				known = true;
			}
		}
		if (!known && args[i][0] == '-')
			return -1;
		if (!known)
			names[(*nnames)++] = args[i];
	}
	return 0;
}

static void
ctl_status(struct ctl_conn *c, const struct cmd_entry *cmd, char **args,
    int nargs)
{
	if (nargs > 1 || (nargs == 1 && strcmp(args[0], "--json") != 0)) {
		ctl_usage(c, cmd);
		return;
	}
	ctlstatus_emit(c->ctl->e, nargs == 1, ctl_emit, c);
	ctl_finish(c, 0);
}

static void
ctl_logs(struct ctl_conn *c, const struct cmd_entry *cmd, char **args,
    int nargs)
{
	static const char *const opts[] = { "-n", NULL };
	static const char *const flags[] = { "-f", NULL };
	const char *values[1] = { NULL };
	bool follow[1] = { false };
	char *names[CTL_MAX_WORDS];
	size_t lines = CTL_LOGS_DEFAULT;
	int n;

	if (ctl_split(args, nargs, names, &n, opts, values, flags, follow) == -1 ||
	    n == 0 || (values[0] != NULL && ctl_count(values[0], &lines) == -1)) {
		ctl_usage(c, cmd);
		return;
	}
	if (ctl_resolve(c, names, n) == -1) {
		ctl_finish(c, 1);
		return;
	}
	c->logs = ctllogs_new(c->procs, c->nprocs, lines, follow[0]);
	if (c->logs == NULL) {
		ctl_say(c, 'e', "out of memory");
		ctl_finish(c, 1);
		return;
	}
	c->job = CTL_JOB_LOGS;
	c->ctl->fresh = true;	/* served with the others, this turn */
}

/* Are all the programs of a wait there?  Answers the request if they
 * are, or if one never will be. */
static void
ctl_wait_check(struct ctl_conn *c)
{
	char why[256];
	size_t i, met = 0;

	for (i = 0; i < c->nprocs; i++) {
		switch (cond_check(c->ctl->e, c->procs[i], c->cond, why,
		    sizeof why)) {
		case COND_MET:
			met++;
			break;
		case COND_FAILED:
			ctl_say(c, 'e', "%s", why);
			ctl_finish(c, 1);
			return;
		case COND_WAITING:
			break;
		}
	}
	if (met == c->nprocs)
		ctl_finish(c, 0);
}

static void
ctl_wait_timeout(struct loop *loop, void *data)
{
	struct ctl_conn *c = data;
	char why[256];
	size_t i;

	(void)loop;
	c->timer = 0;
	for (i = 0; i < c->nprocs; i++) {
		if (cond_check(c->ctl->e, c->procs[i], c->cond, why,
		    sizeof why) != COND_MET)
			ctl_say(c, 'e', "timed out: %s is not %s",
			    proc_name(c->procs[i]), c->cond_word);
	}
	ctl_finish(c, 1);
}

static void
ctl_wait(struct ctl_conn *c, const struct cmd_entry *cmd, char **args,
    int nargs)
{
	static const char *const opts[] = { "--for", "--timeout", NULL };
	const char *values[2] = { NULL, NULL };
	char *names[CTL_MAX_WORDS];
	int64_t timeout = -1;
	int n, kind = COND_READY;

	if (ctl_split(args, nargs, names, &n, opts, values, NULL, NULL) == -1 ||
	    n == 0 || (values[0] != NULL && (kind = cond_parse(values[0])) < 0) ||
	    (values[1] != NULL && ctl_seconds(values[1], &timeout) == -1)) {
		ctl_usage(c, cmd);
		return;
	}
	if (ctl_resolve(c, names, n) == -1) {
		ctl_finish(c, 1);
		return;
	}
	c->cond = (enum cond_kind)kind;
	snprintf(c->cond_word, sizeof c->cond_word, "%s",
	    values[0] != NULL ? values[0] : cond_name(c->cond));
	c->job = CTL_JOB_WAIT;
	if (timeout >= 0)
		c->timer = loop_add_timer(c->ctl->loop, timeout, ctl_wait_timeout,
		    c);
	ctl_wait_check(c);
}

static void
ctl_probe(struct ctl_conn *c, const struct cmd_entry *cmd, char **args,
    int nargs)
{
	char why[512];

	if (nargs != 1) {
		ctl_usage(c, cmd);
		return;
	}
	if (ctl_resolve(c, args, nargs) == -1) {
		ctl_finish(c, 1);
		return;
	}
	if (engine_probe(c->ctl->e, c->procs[0], why, sizeof why) == -1) {
		ctl_say(c, 'e', "%s", why);
		ctl_finish(c, 1);
		return;
	}
	c->job = CTL_JOB_PROBE;	/* ctl_probed() answers */
}

static void
ctl_quit(struct ctl_conn *c, const struct cmd_entry *cmd, int nargs)
{
	if (nargs != 0) {
		ctl_usage(c, cmd);
		return;
	}
	ctl_say(c, 'o', "stopping every program");
	ctl_finish(c, 0);
	engine_quit(c->ctl->e, "tend ctl quit");
}

static void
ctl_reload(struct ctl_conn *c, const struct cmd_entry *cmd, int nargs)
{
	char why[1024];

	if (nargs != 0) {
		ctl_usage(c, cmd);
		return;
	}
	if (engine_reload(c->ctl->e, why, sizeof why) == -1) {
		ctl_say(c, 'e', "%s", why);
		ctl_finish(c, 1);
		return;
	}
	ctl_say(c, 'o', "%s", why);
	ctl_finish(c, 0);
}

/* --- connect, send-socket: a bridge to a connection of the engine ------- */

/* The connection ends with the request (the client is done, or gone). */
static void
ctl_sock_drop(struct ctl_conn *c)
{
	char why[128];
	int id = c->sock_id;

	if (c->job != CTL_JOB_SOCKET || id == 0)
		return;
	c->sock_id = 0;		/* its closed event is not ours any more */
	engine_conn_close(c->ctl->e, c->procs[0], id, why, sizeof why);
}

/* connect NAME [--wait S]; send-socket NAME TEXT [--wait S].  The wait
 * is the client's: tend answers as lines come, until the client goes. */
static void
ctl_socket(struct ctl_conn *c, const struct cmd_entry *cmd, char **args,
    int nargs)
{
	int want = cmd->id == CMD_SEND_SOCKET ? 2 : 1, id;
	char why[512];

	if (nargs == want + 2 && strcmp(args[want], "--wait") == 0)
		nargs = want;
	if (nargs != want) {
		ctl_usage(c, cmd);
		return;
	}
	if (ctl_resolve(c, args, 1) == -1) {
		ctl_finish(c, 1);
		return;
	}
	if (want == 2 && (c->sock_text = strdup(args[1])) == NULL) {
		ctl_say(c, 'e', "out of memory");
		ctl_finish(c, 1);
		return;
	}
	if ((id = engine_conn_open(c->ctl->e, c->procs[0], why,
	    sizeof why)) == -1) {
		ctl_say(c, 'e', "%s", why);
		ctl_finish(c, 1);
		return;
	}
	c->job = CTL_JOB_SOCKET;
	c->sock_id = id;
}

/* "s TEXT" lines from the client after its request: lines to send. */
static void
ctl_socket_input(struct ctl_conn *c)
{
	char *nl, *words[1], why[256];

	while (c->fd != -1 && c->job == CTL_JOB_SOCKET &&
	    (nl = memchr(c->in, '\n', c->inlen)) != NULL) {
		size_t used = (size_t)(nl - c->in) + 1;

		*nl = '\0';
		if (c->in[0] == 's' && c->in[1] == ' ' &&
		    ctlproto_decode(c->in + 2, words, 1) == 1 &&
		    engine_conn_send(c->ctl->e, c->procs[0], c->sock_id, words[0],
		    strlen(words[0]), why, sizeof why) == -1)
			ctl_say(c, 'e', "%s", why);
		memmove(c->in, c->in + used, c->inlen - used);
		c->inlen -= used;
	}
	if (c->inlen == CTL_REQUEST_MAX)
		c->inlen = 0;	/* a line longer than any client sends */
	ctl_conn_write(c);
}

static void
ctl_request(struct ctl_conn *c, char *line)
{
	char *words[CTL_MAX_WORDS];
	const struct cmd_entry *cmd;
	int n = ctlproto_decode(line, words, CTL_MAX_WORDS);

	if (n <= 0) {
		ctl_say(c, 'e', "a malformed request");
		ctl_finish(c, 2);
		return;
	}
	if (strcmp(words[0], "pid") == 0 && n == 1) {
		ctl_say(c, 'o', "%d", (int)getpid());
		ctl_finish(c, 0);
		return;
	}
	if ((cmd = cmd_find(words[0])) == NULL) {
		ctl_say(c, 'e', "no command '%s' (tend ctl --help lists them)",
		    words[0]);
		ctl_finish(c, 2);
		return;
	}
	switch (cmd->id) {
	case CMD_STATUS: ctl_status(c, cmd, words + 1, n - 1); break;
	case CMD_LOGS: ctl_logs(c, cmd, words + 1, n - 1); break;
	case CMD_WAIT: ctl_wait(c, cmd, words + 1, n - 1); break;
	case CMD_PROBE: ctl_probe(c, cmd, words + 1, n - 1); break;
	case CMD_QUIT: ctl_quit(c, cmd, n - 1); break;
	case CMD_RELOAD: ctl_reload(c, cmd, n - 1); break;
	case CMD_CONNECT:
	case CMD_SEND_SOCKET: ctl_socket(c, cmd, words + 1, n - 1); break;
	default: ctl_run_on_programs(c, cmd, words + 1, n - 1); break;
	}
}

/* --- connections ------------------------------------------------------- */

static void
ctl_conn_readable(struct loop *loop, int fd, int events, void *data)
{
	struct ctl_conn *c = data;
	char *nl;
	ssize_t n;

	(void)loop;
	if (events & LOOP_WRITE) {
		ctl_conn_write(c);
		if (c->job == CTL_JOB_LOGS)
			c->ctl->fresh = true;	/* room again */
	}
	if (c->fd == -1 || !(events & LOOP_READ))
		return;
	if (c->in == NULL && (c->in = malloc(CTL_REQUEST_MAX + 1)) == NULL) {
		ctl_conn_close(c);
		return;
	}
	n = read(fd, c->in + c->inlen, CTL_REQUEST_MAX - c->inlen);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		/* Gone: a follower that hung up, or a request never sent. */
		ctl_conn_close(c);
		return;
	}
	if (c->job == CTL_JOB_SOCKET) {
		c->inlen += (size_t)n;
		ctl_socket_input(c);
		return;
	}
	if (c->job != CTL_JOB_NONE || c->answered)
		return;		/* one request per connection */
	c->inlen += (size_t)n;
	c->in[c->inlen] = '\0';
	if ((nl = memchr(c->in, '\n', c->inlen)) != NULL) {
		size_t used = (size_t)(nl - c->in) + 1;

		*nl = '\0';
		ctl_request(c, c->in);
		/* What came after the request is the bridge's to send. */
		if (c->job == CTL_JOB_SOCKET && c->fd != -1) {
			memmove(c->in, c->in + used, c->inlen - used);
			c->inlen -= used;
			ctl_socket_input(c);
		}
	} else if (c->inlen == CTL_REQUEST_MAX) {
		ctl_say(c, 'e', "a request longer than %d bytes",
		    CTL_REQUEST_MAX);
		ctl_finish(c, 2);
	}
}

static void
ctl_conn_close(struct ctl_conn *c)
{
	if (c->fd == -1)
		return;
	ctl_sock_drop(c);
	loop_del_fd(c->ctl->loop, c->fd);
	close(c->fd);
	c->fd = -1;
	c->job = CTL_JOB_NONE;
	loop_del_timer(c->ctl->loop, c->timer);
	c->timer = 0;
}

/* Free the connections closed since the last turn. */
static void
ctl_reap(struct ctl *ctl)
{
	struct ctl_conn **pp = &ctl->conns, *c;

	while ((c = *pp) != NULL) {
		if (c->fd != -1) {
			pp = &c->next;
			continue;
		}
		*pp = c->next;
		ctl->nconns--;
		ctllogs_free(c->logs);
		free(c->procs);
		free(c->sock_text);
		free(c->in);
		free(c->out);
		free(c);
	}
}

static void
ctl_accept(struct loop *loop, int fd, int events, void *data)
{
	struct ctl *ctl = data;
	int i, cfd;

	(void)events;
	for (i = 0; i < CTL_ACCEPTS_PER_TURN; i++) {
		struct ctl_conn *c;

		cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (cfd == -1)
			return;
		if (ctl->nconns >= CTL_MAX_CONNS ||
		    (c = calloc(1, sizeof *c)) == NULL) {
			close(cfd);
			continue;
		}
		c->ctl = ctl;
		c->fd = cfd;
		if (loop_add_fd(loop, cfd, LOOP_READ, ctl_conn_readable, c) == -1) {
			close(cfd);
			free(c);
			continue;
		}
		c->next = ctl->conns;
		ctl->conns = c;
		ctl->nconns++;
	}
}

/* --- events from the engine --------------------------------------------- */

/* Each event may close connections: walk with the next one saved. */
#define CTL_EACH(ctl, c, next) \
	for ((c) = (ctl)->conns; (c) != NULL && ((next) = (c)->next, 1); \
	    (c) = (next))

/* Followers read on once a turn, in ctl_flush(), not once a line:
 * walking fifty of them for every line of a flood cost a fifth of
 * tend's time.  (A turn reads one chunk a program, fewer lines than a
 * store keeps unless its scrollback is tiny; lines dropped before the
 * follower is served are told as missed.) */
static void
ctl_lines(void *ctx, struct proc *p, const struct engine_lines *l)
{
	struct ctl *ctl = ctx;

	(void)p;
	(void)l;
	ctl->fresh = true;
}

static void
ctl_changed(void *ctx, struct proc *p)
{
	struct ctl *ctl = ctx;
	struct ctl_conn *c, *next;

	(void)p;
	CTL_EACH(ctl, c, next) {
		if (c->job == CTL_JOB_WAIT)
			ctl_wait_check(c);
	}
}

static void
ctl_probed(void *ctx, struct proc *p, const struct probe_result *r)
{
	struct ctl *ctl = ctx;
	struct ctl_conn *c, *next;

	CTL_EACH(ctl, c, next) {
		if (c->job != CTL_JOB_PROBE || c->procs[0] != p)
			continue;
		ctl_say(c, 'o', "%s: probe %s: %s", proc_name(p),
		    r->ok ? "ok" : "FAILED", r->text);
		ctl_finish(c, r->ok ? 0 : 1);
	}
}

/* News of the connection a bridge is about: "c" when it is up (then
 * send-socket's line goes), its lines as "o", and its end. */
static void
ctl_conn_event(void *ctx, struct proc *p, const struct engine_conn_event *ev)
{
	struct ctl *ctl = ctx;
	struct ctl_conn *c, *next;
	char why[256];

	CTL_EACH(ctl, c, next) {
		if (c->fd == -1 || c->job != CTL_JOB_SOCKET || c->procs[0] != p ||
		    c->sock_id != ev->id)
			continue;
		if (ev->what == ENGINE_CONN_OPENED) {
			ctl_say(c, 'c', "conn %d", ev->id);
			if (c->sock_text != NULL &&
			    engine_conn_send(ctl->e, p, ev->id, c->sock_text,
			    strlen(c->sock_text), why, sizeof why) == -1)
				ctl_say(c, 'e', "%s", why);
		} else if (ev->what == ENGINE_CONN_LINE) {
			ctl_emit(c, 'o', ev->text, ev->len);
		} else {
			c->sock_id = 0;
			if (!ev->connected)
				ctl_emit(c, 'e', ev->text, ev->len);
			ctl_finish(c, ev->connected ? 0 : 1);
			continue;
		}
		ctl_conn_write(c);
	}
}

static void
ctl_serve_fired(struct loop *loop, void *data)
{
	struct ctl *ctl = data;

	(void)loop;
	ctl->serve_timer = 0;	/* this turn's ctl_flush() serves */
}

/* What is left of C's share in this window. */
static size_t
ctl_share_left(struct ctl_conn *c, size_t share, int64_t now)
{
	if (now - c->window_at >= CTL_SERVE_MS) {
		c->window_at = now;
		c->given = 0;
	}
	return share > c->given ? share - c->given : 0;
}

/* Every follower that is due reads on by what is left of its share,
 * and writes once; one left with lines its share did not cover is due
 * when its window ends (one that waits for its socket is woken by the
 * socket instead). */
static void
ctl_serve(struct ctl *ctl, int64_t now)
{
	struct ctl_conn *c, *next;
	size_t n = 0, share;

	ctl->fresh = false;
	ctl->wake_at = 0;
	for (c = ctl->conns; c != NULL; c = c->next)
		n += c->fd != -1 && c->job == CTL_JOB_LOGS;
	if (n == 0)
		return;
	share = CTL_SERVE_BYTES / n > CTL_SERVE_MIN ? CTL_SERVE_BYTES / n :
	    CTL_SERVE_MIN;
	CTL_EACH(ctl, c, next) {
		size_t held = c->outlen - c->outoff, now_held;

		if (c->fd == -1 || c->job != CTL_JOB_LOGS)
			continue;
		if (now >= c->serve_at) {
			size_t left = ctl_share_left(c, share, now);

			c->serve_at = 0;
			c->room = held + left < CTL_OUT_ROOM ? held + left :
			    CTL_OUT_ROOM;
			ctl_pump_logs(c);
			now_held = c->outlen - c->outoff;
			c->given += now_held > held ? now_held - held : 0;
			if (c->outlen > 0 && !c->watching_write)
				ctl_conn_write(c);
			if (c->fd != -1 && c->job == CTL_JOB_LOGS &&
			    ctllogs_behind(c->logs) &&
			    c->outlen - c->outoff < CTL_OUT_ROOM)
				c->serve_at = c->window_at + CTL_SERVE_MS;
		}
		if (c->fd != -1 && c->serve_at != 0 &&
		    (ctl->wake_at == 0 || c->serve_at < ctl->wake_at))
			ctl->wake_at = c->serve_at;
	}
}

/* Once a turn: serve followers when there is news or one is due, write
 * what is owed. */
static void
ctl_flush(void *ctx)
{
	struct ctl *ctl = ctx;
	struct ctl_conn *c, *next;
	int64_t now = loop_now(ctl->loop);

	if (ctl->fresh || (ctl->wake_at != 0 && now >= ctl->wake_at))
		ctl_serve(ctl, now);
	if (ctl->wake_at != 0 && (ctl->serve_timer == 0 ||
	    ctl->wake_at < ctl->timer_at)) {
		loop_del_timer(ctl->loop, ctl->serve_timer);
		ctl->timer_at = ctl->wake_at;
		ctl->serve_timer = loop_add_timer(ctl->loop, ctl->wake_at - now,
		    ctl_serve_fired, ctl);
	}
	CTL_EACH(ctl, c, next) {
		if (c->outlen > 0 && !c->watching_write)
			ctl_conn_write(c);
	}
	ctl_reap(ctl);
}

/* The run is over: followers are done, waiters never will be. */
static void
ctl_done(void *ctx)
{
	struct ctl *ctl = ctx;
	struct ctl_conn *c, *next;

	ctl->done = true;
	CTL_EACH(ctl, c, next) {
		if (c->fd == -1) {
			continue;
		} else if (c->job == CTL_JOB_LOGS) {
			c->room = CTL_OUT_ROOM;	/* the last word: all it holds */
			ctllogs_pump(c->logs, ctl_room, ctl_emit, c);
			ctl_finish(c, 0);
		} else if (c->job != CTL_JOB_NONE) {
			ctl_say(c, 'e', "tend has stopped every program");
			ctl_finish(c, 1);
		}
	}
}

/* A reload took P away: requests about it end. */
static void
ctl_removed(void *ctx, struct proc *p)
{
	struct ctl *ctl = ctx;
	struct ctl_conn *c, *next;
	size_t i;

	CTL_EACH(ctl, c, next) {
		bool about = c->job == CTL_JOB_LOGS ? ctllogs_reads(c->logs, p) :
		    false;

		for (i = 0; i < c->nprocs && c->job != CTL_JOB_LOGS; i++)
			about = about || c->procs[i] == p;
		if (c->fd == -1 || c->job == CTL_JOB_NONE || !about)
			continue;
		ctl_say(c, 'e', "%s was removed by a reload", proc_name(p));
		ctl_finish(c, 1);
	}
}

static bool
ctl_busy(void *ctx)
{
	struct ctl *ctl = ctx;
	struct ctl_conn *c;

	for (c = ctl->conns; c != NULL; c = c->next) {
		if (c->fd != -1 && c->outlen > c->outoff)
			return true;
	}
	return false;
}

/* --- the socket --------------------------------------------------------- */

/* The default socket's folder: made 0700, and refused when someone else
 * owns it or others may enter it. */
static int
ctl_make_dir(const char *path, char *err, size_t errsize)
{
	char dir[PATH_MAX], *slash;
	struct stat sb;

	snprintf(dir, sizeof dir, "%s", path);
	if ((slash = strrchr(dir, '/')) == NULL)
		return 0;
	*slash = '\0';
	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		snprintf(err, errsize, "cannot create %s: %s", dir,
		    strerror(errno));
		return -1;
	}
	if (lstat(dir, &sb) == -1 || !S_ISDIR(sb.st_mode) ||
	    sb.st_uid != getuid() || (sb.st_mode & 077) != 0) {
		snprintf(err, errsize, "%s is not a folder of yours that only "
		    "you may enter", dir);
		return -1;
	}
	return 0;
}

/* The lock next to the socket: held while tend runs, with its pid. */
static int
ctl_lock(struct ctl *ctl, const char *config, char *err, size_t errsize,
    bool *refused)
{
	char pid[32];
	ssize_t n;

	snprintf(ctl->lock_path, sizeof ctl->lock_path, "%s.lock", ctl->path);
	ctl->lock_fd = open(ctl->lock_path, O_RDWR | O_CREAT | O_CLOEXEC |
	    O_NOFOLLOW, 0600);
	if (ctl->lock_fd == -1) {
		snprintf(err, errsize, "cannot open %s: %s", ctl->lock_path,
		    strerror(errno));
		return -1;
	}
	if (flock(ctl->lock_fd, LOCK_EX | LOCK_NB) == -1) {
		n = pread(ctl->lock_fd, pid, sizeof pid - 1, 0);
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		snprintf(err, errsize, "tend is already running %s (pid %s); "
		    "tend ctl quit stops it", config, pid[0] ? pid : "?");
		*refused = true;
		return -1;
	}
	n = snprintf(pid, sizeof pid, "%d\n", (int)getpid());
	if (ftruncate(ctl->lock_fd, 0) == -1 ||
	    pwrite(ctl->lock_fd, pid, (size_t)n, 0) != n) {
		snprintf(err, errsize, "cannot write %s: %s", ctl->lock_path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

static int
ctl_listen(struct ctl *ctl, char *err, size_t errsize)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	mode_t old;
	int rc;

	memcpy(sa.sun_path, ctl->path, sizeof sa.sun_path);
	/* Holding the lock, a socket there is a crashed tend's. */
	unlink(ctl->path);
	ctl->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (ctl->listen_fd == -1) {
		snprintf(err, errsize, "socket: %s", strerror(errno));
		return -1;
	}
	/* A socket takes its mode from the umask; 0600: only this user. */
	old = umask(0177);
	rc = bind(ctl->listen_fd, (struct sockaddr *)&sa, sizeof sa);
	umask(old);
	if (rc == -1 || listen(ctl->listen_fd, 64) == -1) {
		snprintf(err, errsize, "cannot listen on %s: %s", ctl->path,
		    strerror(errno));
		return -1;
	}
	return loop_add_fd(ctl->loop, ctl->listen_fd, LOOP_READ, ctl_accept, ctl);
}

struct ctl *
ctl_new(struct engine *e, const char *config, const char *socket,
    char *err, size_t errsize, bool *refused)
{
	static const struct engine_events ev = {
		.lines = ctl_lines,
		.changed = ctl_changed,
		.probed = ctl_probed,
		.flush = ctl_flush,
		.done = ctl_done,
		.busy = ctl_busy,
		.removed = ctl_removed,
		.conn = ctl_conn_event,
	};
	struct ctl *ctl = calloc(1, sizeof *ctl);

	*refused = false;
	if (ctl == NULL) {
		snprintf(err, errsize, "out of memory");
		return NULL;
	}
	ctl->e = e;
	ctl->loop = engine_loop(e);
	ctl->listen_fd = ctl->lock_fd = -1;
	if (socket != NULL && strlen(socket) >= sizeof ctl->path) {
		snprintf(err, errsize, "%s: a socket path this long does not "
		    "fit", socket);
		goto fail;
	}
	if (socket != NULL)
		snprintf(ctl->path, sizeof ctl->path, "%s", socket);
	else if (ctlproto_socket_path(config, ctl->path, sizeof ctl->path, err,
	    errsize) == -1 || ctl_make_dir(ctl->path, err, errsize) == -1)
		goto fail;
	if (ctl_lock(ctl, config, err, errsize, refused) == -1 ||
	    ctl_listen(ctl, err, errsize) == -1 ||
	    engine_subscribe(e, &ev, ctl) == -1)
		goto fail;
	return ctl;
fail:
	if (ctl->listen_fd != -1) {
		loop_del_fd(ctl->loop, ctl->listen_fd);
		close(ctl->listen_fd);
		unlink(ctl->path);
	}
	if (ctl->lock_fd != -1)
		close(ctl->lock_fd);
	free(ctl);
	return NULL;
}

void
ctl_free(struct ctl *ctl)
{
	struct ctl_conn *c;

	if (ctl == NULL)
		return;
	engine_unsubscribe(ctl->e, ctl);
	loop_del_timer(ctl->loop, ctl->serve_timer);
	for (c = ctl->conns; c != NULL; c = c->next)
		ctl_conn_close(c);
	ctl_reap(ctl);
	loop_del_fd(ctl->loop, ctl->listen_fd);
	close(ctl->listen_fd);
	unlink(ctl->path);
	unlink(ctl->lock_path);
	close(ctl->lock_fd);
	free(ctl);
}

const char *
ctl_path(const struct ctl *ctl)
{
	return ctl->path;
}
