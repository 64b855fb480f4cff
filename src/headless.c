/*
 * headless: the client that prints program output as prefixed lines.
 *
 * Owns an output buffer for stdout, written as the reader takes it on a
 * file description of tend's own that never blocks; past HEADLESS_BUF_MAX
 * it holds the engine's output (the programs' writes then wait in their
 * pipes, nothing is dropped) until the reader catches up.  Also owns, per
 * program, its padded name and how much of an unterminated line (a
 * prompt) was already shown.  A reader that goes away (EPIPE) ends the
 * run as SIGHUP does.  On a terminal (and NO_COLOR not set) each name is
 * in a colour of its program's and the programs' own SGR colours are
 * kept, rebuilt by sgrout; with --timestamps each line starts with its
 * arrival time.
 */
#define _GNU_SOURCE
#include "headless.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ansi.h"
#include "format.h"
#include "ptrmap.h"
#include "sgrout.h"
#include "stamp.h"

#define HEADLESS_BUF_MAX (8 * 1024 * 1024)	/* then back-pressure */
#define HEADLESS_BUF_LOW (1024 * 1024)		/* released below this */
#define HEADLESS_TAIL_WAIT_MS 200	/* show a prompt after this quiet */
#define HEADLESS_NAME_MAX 24		/* names are padded to at most this */
/* A shown line: up to STORE_MAX_LINE cells, each at most 4 bytes of
 * UTF-8 plus combining marks. */
#define HEADLESS_PLAIN_MAX (STORE_MAX_LINE * 12)
/* The same with the SGR sequences sgrout writes between cells; a line
 * of a colour per character is cut there. */
#define HEADLESS_SGR_MAX (STORE_MAX_LINE * 16)
#define HEADLESS_STAMP_LEN (STAMP_CLOCK_MS_LEN + 1)

/* Names in foreman's colours, in program order: cyan, yellow, green,
 * magenta, red, blue (bright), then again. */
static const char *const headless_name_colours[] = {
	"\033[36m", "\033[33m", "\033[32m", "\033[35m", "\033[31m",
	"\033[34m", "\033[96m", "\033[93m", "\033[92m", "\033[95m",
	"\033[91m", "\033[94m",
};
#define HEADLESS_NCOLOURS \
	(sizeof headless_name_colours / sizeof headless_name_colours[0])
#define HEADLESS_COLOUR_END "\033[0m"

/* An unterminated line (a prompt): shown once it has stopped changing
 * for HEADLESS_TAIL_WAIT_MS, so a flood is never cut mid-line. */
struct headless_tail {
	uint64_t total;		/* store_total() when last seen changing */
	size_t len;		/* its length then */
	int64_t since;		/* when it last changed */
	size_t shown;		/* bytes of it already printed */
};

struct headless_prog {
	char *head;		/* the padded name and a space */
	size_t headlen;
	struct headless_tail tails[STORE_NSTREAMS];
};

struct headless {
	struct engine *e;
	struct loop *loop;
	int fd;			/* tend's own description of stdout */
	bool own_fd;		/* opened here: close it */
	int restore_flags;	/* stdout's flags to put back, or -1 */
	bool fd_is_tty;		/* then lines are shown, not passed raw */
	bool colour;		/* on a tty without NO_COLOR: names coloured,
				   the programs' SGR colours kept */
	bool timestamps;	/* --timestamps: "HH:MM:SS.mmm " first */
	bool fd_watched;
	bool dead;		/* stdout is gone: write nothing more */
	bool holding;		/* engine_hold_output() is on */
	char *plain;		/* a line made safe for the terminal */
	char *buf;
	size_t len, cap;
	size_t width;		/* names are padded to this */
	struct ptrmap progs;	/* proc -> headless_prog */
	struct proc *last_proc;	/* the last looked up: a flood's lines */
	struct headless_prog *last_prog;	/* are one program's */
	struct headless_prog tend_prog;	/* "tend": the engine's notes */
	uint64_t tail_timer;
};

static void headless_write_out(struct headless *h);

/* --- the buffer ------------------------------------------------------- */

/* Room for N more bytes at the end of the buffer, or NULL when memory is
 * short (the line is then lost, and said so once). */
static char *
headless_reserve(struct headless *h, size_t n)
{
	if (h->len + n > h->cap) {
		size_t cap = h->cap ? h->cap : 65536;
		char *b;

		while (cap < h->len + n)
			cap *= 2;
		if ((b = realloc(h->buf, cap)) == NULL)
			return NULL;
		h->buf = b;
		h->cap = cap;
	}
	return h->buf + h->len;
}

static void
headless_update_hold(struct headless *h)
{
	bool hold = h->len > (h->holding ? HEADLESS_BUF_LOW : HEADLESS_BUF_MAX);

	if (hold != h->holding) {
		h->holding = hold;
		engine_hold_output(h->e, hold);
	}
}

/* HEAD, then "X ", TEXT and a newline, in one piece: this runs for every
 * line of a flood.  On a terminal the text is first made safe
 * (ansi_plain): a child's escape sequences must not reach it.  Into a
 * pipe or a file every byte goes as it came. */
static void
headless_emit(struct headless *h, const struct headless_prog *g, char mark,
    const char *text, size_t n, uint64_t carry, int64_t time_ms)
{
	char stamp[HEADLESS_STAMP_LEN + 1];
	size_t slen = 0, m;
	char *out;

	if (h->dead)
		return;
	if (h->colour && h->plain != NULL) {
		n = sgrout_line(text, n, carry, h->plain, HEADLESS_SGR_MAX);
		text = h->plain;
	} else if (h->fd_is_tty && h->plain != NULL) {
		n = ansi_plain(text, n, h->plain, HEADLESS_PLAIN_MAX);
		text = h->plain;
	}
	/* MARK 0: the text has its own (a connection's "‹2 "). */
	m = mark != 0 ? 2 : 0;
	if (h->timestamps) {
		slen = stamp_clock(stamp_wall(time_ms), 1, stamp, sizeof stamp);
		stamp[slen++] = ' ';
	}
	if ((out = headless_reserve(h, slen + g->headlen + m + n + 1)) == NULL)
		return;
	memcpy(out, stamp, slen);
	out += slen;
	memcpy(out, g->head, g->headlen);
	out += g->headlen;
	if (m != 0) {
		out[0] = mark;
		out[1] = ' ';
	}
	memcpy(out + m, text, n);
	out[m + n] = '\n';
	h->len += slen + g->headlen + m + n + 1;
	headless_update_hold(h);
}

static void
headless_writable(struct loop *loop, int fd, int events, void *data)
{
	(void)loop;
	(void)fd;
	(void)events;
	headless_write_out(data);
}

/* stdout cannot take more: a reader that left (EPIPE, or EIO from a
 * terminal that hung up) ends the run as SIGHUP would; any other error
 * (a full disk, a file size limit) only ends the output. */
static void
headless_write_failed(struct headless *h, int err)
{
	h->dead = true;
	h->len = 0;
	headless_update_hold(h);
	if (err == EPIPE || err == EIO) {
		engine_quit(h->e, err == EPIPE ? "stdout was closed" :
		    "the terminal hung up");
	} else {
		fprintf(stderr, "tend: cannot write the output: %s; the "
		    "programs go on (see their logs)\n", strerror(err));
	}
}

/* Write what the fd takes now. */
static void
headless_write_out(struct headless *h)
{
	size_t off = 0;

	while (off < h->len) {
		ssize_t n = write(h->fd, h->buf + off, h->len - off);

		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			break;
		if (n == -1) {
			headless_write_failed(h, errno);
			off = h->len = 0;
			break;
		}
		off += (size_t)n;
	}
	if (off > 0) {
		memmove(h->buf, h->buf + off, h->len - off);
		h->len -= off;
	}
	headless_update_hold(h);
	if ((h->len > 0) != h->fd_watched) {
		h->fd_watched = h->len > 0;
		if (h->fd_watched)
			loop_add_fd(h->loop, h->fd, LOOP_WRITE, headless_writable, h);
		else
			loop_del_fd(h->loop, h->fd);
	}
}

/* --- programs --------------------------------------------------------- */

/* NAME padded to the names' width, and a space.  A longer name is shown
 * whole, never cut: two names that share their first letters must not
 * read the same. */
static int
headless_prog_init(struct headless *h, struct headless_prog *g,
    const char *name, size_t index)
{
	size_t n = strlen(name), w = n > h->width ? n : h->width, k = 0;
	const char *on = h->colour ? headless_name_colours[index %
	    HEADLESS_NCOLOURS] : "";
	const char *off = h->colour ? HEADLESS_COLOUR_END : "";

	if ((g->head = malloc(strlen(on) + w + strlen(off) + 1)) == NULL)
		return -1;
	memcpy(g->head, on, strlen(on));
	k += strlen(on);
	memcpy(g->head + k, name, n);
	k += n;
	memcpy(g->head + k, off, strlen(off));
	k += strlen(off);
	memset(g->head + k, ' ', w - n + 1);
	g->headlen = k + w - n + 1;
	return 0;
}

/* P's place in the engine's order, for its colour. */
static size_t
headless_index(const struct headless *h, const struct proc *p)
{
	size_t i;

	for (i = 0; i < engine_count(h->e); i++) {
		if (engine_program(h->e, i) == p)
			return i;
	}
	return 0;
}

static struct headless_prog *
headless_prog(struct headless *h, struct proc *p)
{
	struct headless_prog *g;

	if (p == h->last_proc)
		return h->last_prog;
	if ((g = ptrmap_get(&h->progs, p)) != NULL) {
		h->last_proc = p;
		h->last_prog = g;
		return g;
	}
	if ((g = calloc(1, sizeof *g)) == NULL ||
	    headless_prog_init(h, g, proc_name(p), headless_index(h, p)) ==
	    -1 ||
	    ptrmap_put(&h->progs, p, g) == -1) {
		if (g != NULL)
			free(g->head);
		free(g);
		return &h->tend_prog;	/* shown under "tend", not lost */
	}
	return g;
}

static void
headless_line(void *ctx, struct proc *p, const struct store_line *line)
{
	struct headless *h = ctx;
	struct headless_prog *g = headless_prog(h, p);
	struct headless_tail *t = &g->tails[line->stream];
	size_t skip = t->shown <= line->len ? t->shown : 0;

	if (line->flags & STORE_NOTE) {
		headless_emit(h, g, '*', line->text, line->len, 0,
		    line->time_ms);
		return;
	}
	if (line->flags & STORE_CONN) {
		headless_emit(h, g, 0, line->text, line->len, 0,
		    line->time_ms);
		return;
	}
	t->shown = 0;
	/* A prompt shown as it was, and then answered, is not shown again;
	 * a line shown in part and finished later is shown whole, so every
	 * line of the output is one line here too. */
	if (skip > 0 && skip == line->len)
		return;
	headless_emit(h, g, line->stream == STORE_STDERR ? '!' : '|',
	    line->text, line->len, line->carry, line->time_ms);
}

static void
headless_removed(void *ctx, struct proc *p)
{
	struct headless *h = ctx;
	struct headless_prog *g = ptrmap_del(&h->progs, p);

	if (p == h->last_proc)
		h->last_proc = NULL;
	if (g != NULL) {
		free(g->head);
		free(g);
	}
}

static void
headless_note(void *ctx, const char *msg)
{
	struct headless *h = ctx;

	headless_emit(h, &h->tend_prog, '*', msg, strlen(msg), 0,
	    loop_now(h->loop));
}

/* Print the quiet tails not shown yet; returns the milliseconds until
 * the next one is due, or -1 if none waits. */
static int64_t
headless_show_tails(struct headless *h, bool print)
{
	int64_t now = loop_now(h->loop), next = -1;
	size_t i, n;
	int s;

	for (i = 0; i < engine_count(h->e); i++) {
		struct proc *p = engine_program(h->e, i);
		struct store *st = proc_store(p);
		struct headless_prog *g;

		if (store_partial(st, STORE_STDOUT, &n) == NULL &&
		    store_partial(st, STORE_STDERR, &n) == NULL)
			continue;
		g = headless_prog(h, p);
		for (s = 0; s < STORE_NSTREAMS; s++) {
			struct headless_tail *t = &g->tails[s];
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
				headless_emit(h, g, s == STORE_STDERR ? '!' : '|',
				    tail + t->shown, n - t->shown,
				    t->shown == 0 ? store_partial_carry(st, s) : 0, now);
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
	if (!h->holding)
		headless_show_tails(h, true);
}

static void
headless_flush(void *ctx)
{
	struct headless *h = ctx;
	int64_t wait;

	/* A tail is not quiet while its pipe is not being read. */
	if (h->tail_timer == 0 && !h->holding &&
	    (wait = headless_show_tails(h, false)) >= 0)
		h->tail_timer = loop_add_timer(h->loop, wait, headless_tail_fired,
		    h);
	headless_write_out(h);
}

static bool
headless_busy(void *ctx)
{
	struct headless *h = ctx;

	return !h->dead && h->len > 0;
}

/* The run is over: how each program ended, after its output. */
static void
headless_done(void *ctx)
{
	struct headless *h = ctx;
	char line[512], *out;
	size_t i, n;

	for (i = 0; i < engine_count(h->e) && !h->dead; i++) {
		struct proc *p = engine_program(h->e, i);

		format_summary(proc_name(p), proc_status(p), line, sizeof line);
		n = strlen(line);
		if ((out = headless_reserve(h, n + 1)) == NULL)
			return;
		memcpy(out, line, n);
		out[n] = '\n';
		h->len += n + 1;
	}
}

/* --- stdout ------------------------------------------------------------ */

/* A description of stdout of tend's own, non-blocking, so the shell's is
 * left as it was: a pipe, a FIFO or a terminal is opened again through
 * /proc.  A socket cannot be: its flags are set and put back at the end.
 * A regular file or /dev/null never blocks and is used as it is. */
static void
headless_open_stdout(struct headless *h)
{
	struct stat sb, null;
	int fd;

	h->fd = STDOUT_FILENO;
	h->restore_flags = -1;
	if (fstat(STDOUT_FILENO, &sb) == -1 || S_ISREG(sb.st_mode) ||
	    (S_ISCHR(sb.st_mode) && stat("/dev/null", &null) == 0 &&
	    sb.st_rdev == null.st_rdev))
		return;
	if (!S_ISSOCK(sb.st_mode)) {
		fd = open("/proc/self/fd/1", O_WRONLY | O_NONBLOCK | O_NOCTTY |
		    O_CLOEXEC);
		if (fd != -1) {
			h->fd = fd;
			h->own_fd = true;
			return;
		}
	}
	h->restore_flags = fcntl(STDOUT_FILENO, F_GETFL);
	if (h->restore_flags != -1)
		fcntl(STDOUT_FILENO, F_SETFL, h->restore_flags | O_NONBLOCK);
}

static size_t
headless_width(struct engine *e)
{
	size_t i, w = strlen("tend");

	for (i = 0; i < engine_count(e); i++) {
		size_t n = strlen(proc_name(engine_program(e, i)));

		if (n > w)
			w = n;
	}
	return w < HEADLESS_NAME_MAX ? w : HEADLESS_NAME_MAX;
}

/* NO_COLOR (no-color.org): set and not empty, no colours. */
static bool
headless_no_color(void)
{
	const char *v = getenv("NO_COLOR");

	return v != NULL && v[0] != '\0';
}

struct headless *
headless_new(struct engine *e, const struct headless_opts *opts, char *err,
    size_t errsize)
{
	static const struct engine_events ev = {
		.line = headless_line,
		.note = headless_note,
		.flush = headless_flush,
		.busy = headless_busy,
		.done = headless_done,
		.removed = headless_removed,
	};
	struct headless *h = calloc(1, sizeof *h);

	snprintf(err, errsize, "out of memory");
	if (h == NULL)
		return NULL;
	h->e = e;
	h->loop = engine_loop(e);
	h->width = headless_width(e);
	headless_open_stdout(h);
	h->fd_is_tty = isatty(h->fd);
	h->colour = h->fd_is_tty && !headless_no_color();
	h->timestamps = opts != NULL && opts->timestamps;
	if (h->fd_is_tty && (h->plain = malloc(h->colour ? HEADLESS_SGR_MAX :
	    HEADLESS_PLAIN_MAX)) == NULL)
		goto fail;
	if (headless_prog_init(h, &h->tend_prog, "tend", engine_count(e)) ==
	    -1 ||
	    engine_subscribe(e, &ev, h) == -1)
		goto fail;
	engine_set_exit_when_settled(e, true);
	return h;
fail:
	headless_free(h);
	return NULL;
}

void
headless_free(struct headless *h)
{
	size_t i;

	if (h == NULL)
		return;
	engine_unsubscribe(h->e, h);
	if (h->fd_watched)
		loop_del_fd(h->loop, h->fd);
	loop_del_timer(h->loop, h->tail_timer);
	if (h->len > 0 && !h->dead)
		fprintf(stderr, "tend: stdout is not being read; %zu bytes of "
		    "output were not written\n", h->len);
	if (h->own_fd)
		close(h->fd);
	if (h->restore_flags != -1)
		fcntl(STDOUT_FILENO, F_SETFL, h->restore_flags);
	for (i = 0; i < engine_count(h->e); i++) {
		struct headless_prog *g = ptrmap_del(&h->progs,
		    engine_program(h->e, i));

		if (g != NULL) {
			free(g->head);
			free(g);
		}
	}
	ptrmap_free(&h->progs);
	free(h->tend_prog.head);
	free(h->plain);
	free(h->buf);
	free(h);
}
