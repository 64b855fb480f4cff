/*
 * ctllogs: per program, the seq of the next line to read (and, without
 * follow, the seq to stop at); the next line overall is the one that
 * arrived first.
 */
#define _GNU_SOURCE
#include "ctllogs.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CTLLOGS_NAME_MAX 24

struct ctllogs_src {
	struct proc *p;
	uint64_t next;
	uint64_t until;		/* UINT64_MAX when following */
};

struct ctllogs {
	struct ctllogs_src *src;
	size_t n;
	int width;		/* names padded to this */
	bool follow;
};

static char ctllogs_line[STORE_MAX_LINE + CTLLOGS_NAME_MAX + 256];

/* The source whose next line is oldest; -1 when none has one. */
static int
ctllogs_oldest(struct ctllogs *l)
{
	int best = -1;
	int64_t when = 0;
	size_t i;

	for (i = 0; i < l->n; i++) {
		struct ctllogs_src *s = &l->src[i];
		const struct store *st = proc_store_const(s->p);
		const struct store_line *line;

		if (s->next >= s->until || s->next >= store_total(st))
			continue;
		if (s->next < store_first_seq(st))
			return (int)i;	/* missed lines: say so at once */
		line = store_line_seq(st, s->next);
		if (best == -1 || line->time_ms < when) {
			best = (int)i;
			when = line->time_ms;
		}
	}
	return best;
}

/* Start BACK lines back in the merged output: step back, newest first. */
static void
ctllogs_rewind(struct ctllogs *l, size_t back)
{
	size_t k, i;

	for (k = 0; k < back; k++) {
		int best = -1;
		int64_t when = 0;

		for (i = 0; i < l->n; i++) {
			struct ctllogs_src *s = &l->src[i];
			const struct store_line *line;

			if (s->next <= store_first_seq(proc_store_const(s->p)))
				continue;
			line = store_line_seq(proc_store_const(s->p), s->next - 1);
			if (best == -1 || line->time_ms >= when) {
				best = (int)i;
				when = line->time_ms;
			}
		}
		if (best == -1)
			return;
		l->src[best].next--;
	}
}

struct ctllogs *
ctllogs_new(struct proc *const *procs, size_t n, size_t back, bool follow)
{
	struct ctllogs *l = calloc(1, sizeof *l);
	size_t i;

	if (l == NULL || (l->src = calloc(n ? n : 1, sizeof *l->src)) == NULL) {
		free(l);
		return NULL;
	}
	l->n = n;
	l->width = 4;
	l->follow = follow;
	for (i = 0; i < n; i++) {
		const struct store *st = proc_store_const(procs[i]);
		int w = (int)strlen(proc_name(procs[i]));

		l->src[i].p = procs[i];
		l->src[i].next = store_total(st);
		l->src[i].until = follow ? UINT64_MAX : store_total(st);
		if (w > l->width)
			l->width = w > CTLLOGS_NAME_MAX ? CTLLOGS_NAME_MAX : w;
	}
	ctllogs_rewind(l, back);
	return l;
}

void
ctllogs_free(struct ctllogs *l)
{
	if (l == NULL)
		return;
	free(l->src);
	free(l);
}

bool
ctllogs_reads(const struct ctllogs *l, const struct proc *p)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (l->src[i].p == p)
			return true;
	}
	return false;
}

static void
ctllogs_emit_line(struct ctllogs *l, const char *name, char mark,
    const char *text, size_t len, ctl_emit_fn emit, void *ctx)
{
	/* Built by hand, not with snprintf: fifty followers of a flood
	 * format every line fifty times.  MARK 0: the text has its own (a
	 * connection's "‹2 "). */
	size_t nl = strlen(name), w = l->width > 0 && (size_t)l->width > nl ?
	    (size_t)l->width : nl, n = w + 1;

	if (w + 3 + len >= sizeof ctllogs_line)
		return;
	memcpy(ctllogs_line, name, nl);
	memset(ctllogs_line + nl, ' ', w - nl + 1);
	if (mark != 0) {
		ctllogs_line[n++] = mark;
		ctllogs_line[n++] = ' ';
	}
	memcpy(ctllogs_line + n, text, len);
	emit(ctx, 'o', ctllogs_line, n + len);
}

bool
ctllogs_behind(const struct ctllogs *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		const struct ctllogs_src *s = &l->src[i];

		if (s->next < s->until && s->next < store_total(proc_store_const(
		    s->p)))
			return true;
	}
	return false;
}

bool
ctllogs_pump(struct ctllogs *l, bool (*room)(void *ctx), ctl_emit_fn emit,
    void *ctx)
{
	int i;

	while (room(ctx) && (i = ctllogs_oldest(l)) != -1) {
		struct ctllogs_src *s = &l->src[i];
		const struct store *st = proc_store_const(s->p);
		const struct store_line *line;
		uint64_t first = store_first_seq(st);

		if (s->next < first) {
			char msg[160];

			snprintf(msg, sizeof msg, "missed %llu lines of %s: "
			    "this reader fell behind", (unsigned long long)
			    (first - s->next), proc_name(s->p));
			ctllogs_emit_line(l, "tend", '*', msg, strlen(msg), emit,
			    ctx);
			s->next = first;
			continue;
		}
		line = store_line_seq(st, s->next++);
		ctllogs_emit_line(l, proc_name(s->p), (line->flags & STORE_NOTE) ?
		    '*' : (line->flags & STORE_CONN) ? 0 : line->stream == STORE_STDERR ? '!' : '|', line->text,
		    line->len, emit, ctx);
	}
	if (l->follow)
		return false;
	for (i = 0; i < (int)l->n; i++) {
		if (l->src[i].next < l->src[i].until)
			return false;
	}
	return true;
}
