/*
 * probecmd: a probe command's child, its output and the words for its
 * result.
 *
 * Owns the child (its pid, which is also its group), the read end of
 * the pipe its standard output and error share, the status pipe spawn.c
 * reports a failed chdir or exec through, and the output kept.
 */
#define _GNU_SOURCE
#include "probecmd.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "format.h"
#include "spawn.h"

#define PROBECMD_READ 4096		/* bytes per read, one read a turn */
#define PROBECMD_DRAIN (64 * 1024)	/* read at the end, at most */

struct probecmd {
	struct loop *loop;
	struct spawn_request req;	/* as started, for its messages */
	pid_t pid;			/* and its group */
	bool reaped;			/* pid may be another's now */
	int out_fd;
	int status_fd;
	int64_t started_ms;
	char kept[PROBECMD_KEEP];
	size_t nkept;
	size_t more;			/* bytes read past kept */
};

/* --- output ------------------------------------------------------------- */

static void
probecmd_close_out(struct probecmd *c)
{
	if (c->out_fd == -1)
		return;
	loop_del_fd(c->loop, c->out_fd);
	close(c->out_fd);
	c->out_fd = -1;
}

/* Read what is there, up to LIMIT bytes; the pipe is closed at its end. */
static void
probecmd_read(struct probecmd *c, size_t limit)
{
	char buf[PROBECMD_READ];
	size_t total = 0, keep;
	ssize_t n;

	while (c->out_fd != -1 && total < limit) {
		n = read(c->out_fd, buf, sizeof buf);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			return;
		if (n <= 0) {
			probecmd_close_out(c);
			return;
		}
		total += (size_t)n;
		keep = sizeof c->kept - c->nkept;
		if (keep > (size_t)n)
			keep = (size_t)n;
		memcpy(c->kept + c->nkept, buf, keep);
		c->nkept += keep;
		c->more += (size_t)n - keep;
	}
}

static void
probecmd_readable(struct loop *loop, int fd, int events, void *data)
{
	(void)loop;
	(void)fd;
	(void)events;
	probecmd_read(data, PROBECMD_READ);
}

/* --- the words ------------------------------------------------------------ */

struct probecmd_text {
	char *buf;
	size_t size, len;
};

/* Append LEN bytes of S whole, or nothing (false) when they do not fit. */
static bool
probecmd_put(struct probecmd_text *t, const char *s, size_t len)
{
	if (t->len + len >= t->size)
		return false;
	memcpy(t->buf + t->len, s, len);
	t->len += len;
	t->buf[t->len] = '\0';
	return true;
}

static void __attribute__((format(printf, 2, 3)))
probecmd_printf(struct probecmd_text *t, const char *fmt, ...)
{
	char piece[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(piece, sizeof piece, fmt, ap);
	va_end(ap);
	if (n > 0)
		probecmd_put(t, piece, (size_t)n < sizeof piece ? (size_t)n :
		    sizeof piece - 1);
}

/* S on one line: a line break reads " ⏎ ", a tab a space, another
 * control character \xHH.  What does not fit is left out. */
static void
probecmd_put_line(struct probecmd_text *t, const char *s, size_t len)
{
	static const char nl[] = " \u23ce ";
	char esc[8];
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		bool fits;

		if (ch == '\r' && i + 1 < len && s[i + 1] == '\n')
			continue;
		if (ch == '\n') {
			fits = probecmd_put(t, nl, sizeof nl - 1);
		} else if (ch == '\t') {
			fits = probecmd_put(t, " ", 1);
		} else if (ch < 0x20 || ch == 0x7f) {
			snprintf(esc, sizeof esc, "\\x%02x", ch);
			fits = probecmd_put(t, esc, 4);
		} else {
			fits = probecmd_put(t, s + i, 1);
		}
		if (!fits)
			return;
	}
}

/* LEN less a UTF-8 sequence that the end of S cuts short. */
static size_t
probecmd_utf8_whole(const char *s, size_t len)
{
	size_t i = len, tail = 0, need;
	unsigned char lead;

	while (i > 0 && tail < 3 && ((unsigned char)s[i - 1] & 0xc0) == 0x80) {
		i--;
		tail++;
	}
	if (i == 0 || (lead = (unsigned char)s[i - 1]) < 0xc0)
		return len;
	need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
	return tail + 1 < need ? i - 1 : len;
}

/* ": <output>", trimmed, on one line; then how much was not shown. */
static void
probecmd_put_output(struct probecmd_text *t, const struct probecmd *c)
{
	static const char space[] = " \t\r\n";
	size_t start = 0, len = c->nkept, hidden;

	if (c->more > 0)
		len = probecmd_utf8_whole(c->kept, len);
	hidden = c->nkept + c->more - len;
	while (start < len && strchr(space, c->kept[start]) != NULL &&
	    c->kept[start] != '\0')
		start++;
	while (len > start && strchr(space, c->kept[len - 1]) != NULL &&
	    c->kept[len - 1] != '\0')
		len--;
	if (len > start) {
		probecmd_put(t, ": ", 2);
		probecmd_put_line(t, c->kept + start, len - start);
	}
	if (c->more > 0)
		probecmd_printf(t, " \u2026 and %zu more bytes", hidden);
}

static void
probecmd_begin(const struct probecmd *c, struct probe_result *r,
    struct probecmd_text *t)
{
	memset(r, 0, sizeof *r);
	r->elapsed_ms = (long)(loop_now(c->loop) - c->started_ms);
	r->body_bytes = c->nkept + c->more;
	t->buf = r->text;
	t->size = sizeof r->text;
	t->len = 0;
	probecmd_put_line(t, c->req.command, strlen(c->req.command));
}

/* --- the child -------------------------------------------------------------- */

struct probecmd *
probecmd_start(struct loop *loop, const struct probe_request *req, char *err,
    size_t errsize)
{
	struct probecmd *c = calloc(1, sizeof *c);
	struct spawn_child child;

	if (c == NULL) {
		snprintf(err, errsize, "out of memory");
		return NULL;
	}
	c->loop = loop;
	c->req.shell = req->shell;
	c->req.command = req->command;
	c->req.dir = req->dir;
	c->req.env = req->env;
	c->req.merge_stderr = true;
	c->out_fd = c->status_fd = -1;
	if (spawn_start(&c->req, &child, err, errsize) == -1) {
		free(c);
		return NULL;
	}
	close(child.in_fd);	/* its stdin is at end of file */
	c->pid = child.pid;
	c->out_fd = child.out_fd;
	c->status_fd = child.status_fd;
	c->started_ms = loop_now(loop);
	if (loop_add_fd(loop, c->out_fd, LOOP_READ, probecmd_readable, c) == -1) {
		snprintf(err, errsize, "out of memory");
		probecmd_free(c);
		return NULL;
	}
	return c;
}

pid_t
probecmd_pid(const struct probecmd *c)
{
	return c->reaped ? 0 : c->pid;
}

/* Before the reap the pid is still the child's; the process itself is
 * signalled too, in case it has not made its group yet (valgrind runs
 * vfork() as fork()). */
static void
probecmd_kill(struct probecmd *c)
{
	kill(-c->pid, SIGKILL);
	if (!c->reaped)
		kill(c->pid, SIGKILL);
}

bool
probecmd_reaped(struct probecmd *c, int status, struct probe_result *r)
{
	struct probecmd_text t;
	char error[256], how[64];

	if (!WIFEXITED(status) && !WIFSIGNALED(status))
		return false;
	c->reaped = true;
	/* What it wrote is in the pipe; then the rest of its group goes
	 * (the leader's pid stays its group's while the group has one). */
	probecmd_read(c, PROBECMD_DRAIN);
	probecmd_kill(c);
	probecmd_close_out(c);
	error[0] = '\0';
	if (c->status_fd != -1 && spawn_read_error(c->status_fd, &c->req,
	    error, sizeof error) != 1)
		error[0] = '\0';
	probecmd_begin(c, r, &t);
	format_exit(status, how, sizeof how);
	if (error[0] != '\0') {
		probecmd_printf(&t, ": %s", error);
	} else {
		probecmd_printf(&t, " %s", how);
		snprintf(r->brief, sizeof r->brief, "%s", how);
		r->ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
	}
	probecmd_put_output(&t, c);
	return true;
}

void
probecmd_timed_out(struct probecmd *c, double timeout, struct probe_result *r)
{
	struct probecmd_text t;

	probecmd_read(c, PROBECMD_READ);
	probecmd_kill(c);
	probecmd_begin(c, r, &t);
	probecmd_printf(&t, ": timed out after %g s", timeout);
	probecmd_put_output(&t, c);
}

void
probecmd_free(struct probecmd *c)
{
	if (c == NULL)
		return;
	if (!c->reaped)
		probecmd_kill(c);
	probecmd_close_out(c);
	if (c->status_fd != -1)
		close(c->status_fd);
	free(c);
}
