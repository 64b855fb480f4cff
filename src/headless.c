/*
 * headless: the writer that prints program output as prefixed lines.
 *
 * Owns an output buffer for stdout (written as the terminal or pipe
 * accepts it, so a slow reader never stalls the loop until the buffer is
 * full), the per-program record of how much of an unterminated line
 * (a prompt) was already shown, and the quit sequence of headless mode.
 */
#define _GNU_SOURCE
#include "headless.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ansi.h"
#include "health.h"
#include "loop.h"
#include "proc.h"

#define HEADLESS_BUF_MAX (8 * 1024 * 1024)	/* then writes block */
#define HEADLESS_TAIL_WAIT_MS 200	/* show a prompt after this quiet */
#define HEADLESS_NAME_MAX 24
#define HEADLESS_HEAD_MAX (HEADLESS_NAME_MAX + 1)	/* padded name, space */
/* A shown line: up to STORE_MAX_LINE cells, each at most 4 bytes of
 * UTF-8 plus combining marks. */
#define HEADLESS_PLAIN_MAX (STORE_MAX_LINE * 12)

/* An unterminated line (a prompt): shown once it has stopped changing
 * for HEADLESS_TAIL_WAIT_MS, so a flood is never cut mid-line. */
struct headless_tail {
	uint64_t total;		/* store_total() when last seen changing */
	size_t len;		/* its length then */
	int64_t since;		/* when it last changed */
	size_t shown;		/* bytes of it already printed */
};

struct headless {
	struct loop *loop;
	struct proc_set *set;
	struct health *health;
	int fd;
	bool fd_is_file;	/* or /dev/null: writes never block */
	bool fd_is_tty;		/* then lines are shown, not passed raw */
	char *plain;		/* a line made safe for the terminal */
	bool fd_watched;
	char *buf;
	size_t len, cap;
	int width;			/* names are padded to this */
	char *heads;			/* each program's padded name */
	struct headless_tail (*tails)[STORE_NSTREAMS];	/* per program */
	uint64_t tail_timer;
	bool check_settled;
	bool quitting;
	int status;
};

static void headless_write_out(struct headless *h, bool block);

/* Room for N more bytes at the end of the buffer, or NULL when memory is
 * short even after writing out what is there. */
static char *
headless_reserve(struct headless *h, size_t n)
{
	if (h->len > HEADLESS_BUF_MAX)
		headless_write_out(h, true);
	if (h->len + n > h->cap) {
		size_t cap = h->cap ? h->cap : 65536;
		char *b;

		while (cap < h->len + n)
			cap *= 2;
		b = realloc(h->buf, cap);
		if (b == NULL) {
			headless_write_out(h, true);
			if (h->len + n > h->cap)
				return NULL;
		} else {
			h->buf = b;
			h->cap = cap;
		}
	}
	return h->buf + h->len;
}

/* HEAD (the padded name), then "X ", TEXT and a newline, in one piece:
 * this runs for every line of a flood.  On a terminal the text is first
 * made safe (ansi_plain): a child's escape sequences must not reach it.
 * Into a pipe or a file every byte goes as it came. */
static void
headless_emit_head(struct headless *h, const char *head, char mark,
    const char *text, size_t n)
{
	size_t w = (size_t)h->width + 1;
	char *out;

	if (h->fd_is_tty && h->plain != NULL) {
		n = ansi_plain(text, n, h->plain, HEADLESS_PLAIN_MAX);
		text = h->plain;
	}
	if ((out = headless_reserve(h, w + 2 + n + 1)) == NULL)
		return;
	memcpy(out, head, w);
	out[w] = mark;
	out[w + 1] = ' ';
	memcpy(out + w + 2, text, n);
	out[w + 2 + n] = '\n';
	h->len += w + 2 + n + 1;
}

/* NAME padded to the names' width, and a space. */
static void
headless_pad_name(const struct headless *h, const char *name, char *head)
{
	size_t w = (size_t)h->width, k = strnlen(name, w);

	memcpy(head, name, k);
	memset(head + k, ' ', w - k + 1);
}

static void
headless_emit(struct headless *h, struct proc *p, char mark,
    const char *text, size_t n)
{
	headless_emit_head(h, h->heads + proc_index(p) * HEADLESS_HEAD_MAX,
	    mark, text, n);
}

static void
headless_writable(struct loop *loop, int fd, int events, void *data)
{
	(void)loop;
	(void)fd;
	(void)events;
	headless_write_out(data, false);
}

/* Write what the fd takes now; with BLOCK, all of it. */
static void
headless_write_out(struct headless *h, bool block)
{
	size_t off = 0;

	while (off < h->len) {
		struct pollfd pfd = { h->fd, POLLOUT, 0 };
		size_t chunk = h->len - off;
		ssize_t n;

		if (!h->fd_is_file) {
			if (poll(&pfd, 1, block ? -1 : 0) == 0)
				break;
			/* POLLOUT promises room for PIPE_BUF bytes, no more. */
			if (chunk > PIPE_BUF)
				chunk = PIPE_BUF;
		}
		n = write(h->fd, h->buf + off, chunk);
		if (n == -1 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n == -1) {
			/* stdout is gone (closed pipe): nothing to show to. */
			off = h->len;
			break;
		}
		off += (size_t)n;
	}
	memmove(h->buf, h->buf + off, h->len - off);
	h->len -= off;
	if ((h->len > 0) != h->fd_watched) {
		h->fd_watched = h->len > 0;
		if (h->fd_watched)
			loop_add_fd(h->loop, h->fd, LOOP_WRITE, headless_writable, h);
		else
			loop_del_fd(h->loop, h->fd);
	}
}

static void
headless_line(struct proc *p, const struct store_line *line, void *ctx)
{
	struct headless *h = ctx;
	struct headless_tail *t = &h->tails[proc_index(p)][line->stream];
	size_t skip = t->shown <= line->len ? t->shown : 0;

	if (h->health != NULL)
		health_line(h->health, p, line);
	if (line->flags & STORE_NOTE) {
		headless_emit(h, p, '*', line->text, line->len);
		return;
	}
	t->shown = 0;
	if (skip > 0 && skip == line->len)
		return;
	headless_emit(h, p, line->stream == STORE_STDERR ? '!' : '|',
	    line->text + skip, line->len - skip);
}

static void
headless_changed(struct proc *p, void *ctx)
{
	struct headless *h = ctx;

	if (h->health != NULL)
		health_changed(h->health, p);
	h->check_settled = true;
}

/* Print the quiet tails not shown yet; returns the milliseconds until
 * the next one is due, or -1 if none waits. */
static int64_t
headless_show_tails(struct headless *h, bool print)
{
	int64_t now = loop_now_ms(), next = -1;
	size_t i, n;
	int s;

	for (i = 0; i < proc_set_count(h->set); i++) {
		struct proc *p = proc_set_get(h->set, i);
		struct store *st = proc_store(p);

		for (s = 0; s < STORE_NSTREAMS; s++) {
			struct headless_tail *t = &h->tails[i][s];
			const char *tail = store_partial(st, s, &n);
			int64_t due;

			if (tail == NULL || n <= t->shown)
				continue;
			if (t->total != store_total(st) || t->len != n) {
				t->total = store_total(st);
				t->len = n;
				t->since = now;
			}
			due = t->since + HEADLESS_TAIL_WAIT_MS - now;
			if (print && due <= 0) {
				headless_emit(h, p, s == STORE_STDERR ?
				    '!' : '|', tail + t->shown, n - t->shown);
				t->shown = n;
			} else if (next == -1 || due < next) {
				next = due > 0 ? due : 0;
			}
		}
	}
	return next;
}

static void
headless_tail_fired(struct loop *loop, void *data)
{
	struct headless *h = data;

	(void)loop;
	h->tail_timer = 0;
	headless_show_tails(h, true);
}

static void
headless_note(struct headless *h, const char *msg)
{
	char head[HEADLESS_HEAD_MAX];

	headless_pad_name(h, "tend", head);
	headless_emit_head(h, head, '*', msg, strlen(msg));
}

static void
headless_summary(struct headless *h)
{
	char line[512], *out;
	size_t i, n;

	for (i = 0; i < proc_set_count(h->set); i++) {
		proc_format_summary(proc_set_get(h->set, i), line, sizeof line);
		n = strlen(line);
		if ((out = headless_reserve(h, n + 1)) == NULL)
			return;
		memcpy(out, line, n);
		out[n] = '\n';
		h->len += n + 1;
	}
}

static void
headless_before_sleep(struct loop *loop, void *data)
{
	struct headless *h = data;
	int64_t wait;

	proc_set_flush_logs(h->set);
	if (h->check_settled) {
		h->check_settled = false;
		if (proc_set_settled(h->set)) {
			headless_summary(h);
			loop_stop(loop);
		}
	}
	if (h->tail_timer == 0 && (wait = headless_show_tails(h, false)) >= 0)
		h->tail_timer = loop_add_timer(loop, wait, headless_tail_fired, h);
	headless_write_out(h, false);
}

static void
headless_signal(struct loop *loop, int signo, void *data)
{
	struct headless *h = data;
	char msg[128];

	(void)loop;
	if (!h->quitting) {
		h->quitting = true;
		snprintf(msg, sizeof msg, "got SIG%s: stopping every program "
		    "(again to kill them)", config_signal_name(signo));
		headless_note(h, msg);
		proc_set_stop(h->set);
	} else {
		snprintf(msg, sizeof msg, "got SIG%s again: killing every "
		    "program", config_signal_name(signo));
		headless_note(h, msg);
		proc_set_kill(h->set);
	}
	h->check_settled = true;
}

/* A regular file or /dev/null takes any write at once; a pipe or a
 * terminal may not, and is written only as far as poll() promises. */
static bool
headless_never_blocks(int fd)
{
	struct stat sb, null;

	if (fstat(fd, &sb) == -1)
		return false;
	return S_ISREG(sb.st_mode) || (S_ISCHR(sb.st_mode) &&
	    stat("/dev/null", &null) == 0 && sb.st_rdev == null.st_rdev);
}

static int
headless_width(const struct config *cfg)
{
	size_t i, w = strlen("tend");

	for (i = 0; i < cfg->nprograms; i++) {
		size_t n = strlen(cfg->programs[i].name);

		if (n > w)
			w = n;
	}
	return (int)(w < HEADLESS_NAME_MAX ? w : HEADLESS_NAME_MAX);
}

int
headless_run(const struct config *cfg)
{
	struct proc_events ev = {
		.line = headless_line, .changed = headless_changed,
	};
	struct headless h;
	char err[256] = "out of memory";
	int rc = 0;
	size_t i;

	memset(&h, 0, sizeof h);
	h.fd = STDOUT_FILENO;
	h.fd_is_file = headless_never_blocks(h.fd);
	h.fd_is_tty = isatty(h.fd);
	if (h.fd_is_tty)
		h.plain = malloc(HEADLESS_PLAIN_MAX);
	h.width = headless_width(cfg);
	h.tails = calloc(cfg->nprograms + 1, sizeof *h.tails);
	h.heads = malloc((cfg->nprograms + 1) * HEADLESS_HEAD_MAX);
	for (i = 0; h.heads != NULL && i < cfg->nprograms; i++)
		headless_pad_name(&h, cfg->programs[i].name,
		    h.heads + i * HEADLESS_HEAD_MAX);
	h.loop = loop_new();
	ev.ctx = &h;
	if (h.tails == NULL || h.heads == NULL || h.loop == NULL ||
	    (h.set = proc_set_new(h.loop, cfg, &ev)) == NULL) {
		fprintf(stderr, "tend: cannot start: %s\n", strerror(errno));
		rc = 2;
		goto out;
	}
	h.health = health_new(h.loop, h.set, err, sizeof err);
	if (h.health == NULL) {
		fprintf(stderr, "tend: cannot start: %s\n", err);
		rc = 2;
		goto out;
	}
	loop_watch_signal(h.loop, SIGINT, headless_signal, &h);
	loop_watch_signal(h.loop, SIGTERM, headless_signal, &h);
	loop_watch_signal(h.loop, SIGHUP, headless_signal, &h);
	loop_set_before_sleep(h.loop, headless_before_sleep, &h);
	proc_set_start(h.set);
	h.check_settled = true;
	if (loop_run(h.loop) == -1) {
		fprintf(stderr, "tend: poll: %s\n", strerror(errno));
		proc_set_kill(h.set);
	}
	proc_set_flush_logs(h.set);
	headless_write_out(&h, true);
	rc = proc_set_failed(h.set) ? 1 : 0;
out:
	health_free(h.health);
	proc_set_free(h.set);
	loop_free(h.loop);
	free(h.tails);
	free(h.heads);
	free(h.plain);
	free(h.buf);
	return rc;
}
