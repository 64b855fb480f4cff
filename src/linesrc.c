/*
 * linesrc: parts merged by key.
 *
 * Each part is a sorted run of keys (arrival order within one store only
 * grows), so a walk keeps one cursor per part and takes, at each step,
 * the part whose next line is the newest (back) or the oldest (on): a
 * walk over N lines of P parts costs N x P, and starting one costs a
 * binary search per part.
 */
#include "linesrc.h"

#include <stdlib.h>
#include <string.h>

/* Keys of tails: above every stored line's (1, 2, ... per line). */
#define LINESRC_TAIL_KEY (UINT64_C(1) << 62)

void
linesrc_init(struct linesrc *s)
{
	memset(s, 0, sizeof *s);
}

void
linesrc_reset(struct linesrc *s)
{
	s->nparts = 0;
}

void
linesrc_free(struct linesrc *s)
{
	free(s->parts);
	free(s->cur);
	linesrc_init(s);
}

static int
linesrc_grow(struct linesrc *s)
{
	size_t cap = s->cap ? s->cap * 2 : 8;
	struct linesrc_part *parts;
	size_t *cur;

	if ((parts = realloc(s->parts, cap * sizeof *parts)) == NULL)
		return -1;
	s->parts = parts;
	if ((cur = realloc(s->cur, cap * sizeof *cur)) == NULL)
		return -1;
	s->cur = cur;
	s->cap = cap;
	return 0;
}

int
linesrc_add(struct linesrc *s, const struct store *st, const struct filter *f,
    const struct filter_index *fi, const char *label, int label_fg)
{
	struct linesrc_part *p;
	size_t i, n;
	const char *t;

	if (s->nparts == s->cap && linesrc_grow(s) == -1)
		return -1;
	p = &s->parts[s->nparts++];
	p->st = st;
	p->filter = f != NULL && f->on ? f : NULL;
	p->index = fi;
	p->label = label;
	p->label_fg = label_fg;
	p->nring = p->filter ? filter_index_count(fi) : store_count(st);
	p->ntails = 0;
	for (i = 0; i < STORE_NSTREAMS; i++) {
		if ((t = store_partial(st, (enum store_stream)i, &n)) == NULL)
			continue;
		if (p->filter && !filter_keeps(p->filter, t, n, (int)i, 0))
			continue;
		p->tails[p->ntails].text = t;
		p->tails[p->ntails].len = n;
		p->tails[p->ntails].stream = (int)i;
		p->tails[p->ntails].carry = store_partial_carry(st,
		    (enum store_stream)i);
		p->ntails++;
	}
	return 0;
}

bool
linesrc_empty(const struct linesrc *s)
{
	size_t i;

	for (i = 0; i < s->nparts; i++) {
		if (s->parts[i].nring + s->parts[i].ntails > 0)
			return false;
	}
	return true;
}

static size_t
linesrc_len(const struct linesrc_part *p)
{
	return p->nring + p->ntails;
}

static const struct store_line *
linesrc_ring(const struct linesrc_part *p, size_t i)
{
	if (p->filter != NULL)
		return store_line_seq(p->st, filter_index_seq(p->index, i));
	return store_line(p->st, i);
}

static uint64_t
linesrc_key(const struct linesrc *s, size_t part, size_t i)
{
	const struct linesrc_part *p = &s->parts[part];
	const struct store_line *l;

	if (i >= p->nring)
		return LINESRC_TAIL_KEY + part * STORE_NSTREAMS + (i - p->nring);
	l = linesrc_ring(p, i);
	return l != NULL ? l->order : 0;
}

/* How many lines of PART have keys below KEY (OR_EQUAL: up to it). */
static size_t
linesrc_count_below(const struct linesrc *s, size_t part, uint64_t key,
    bool or_equal)
{
	size_t lo = 0, hi = linesrc_len(&s->parts[part]);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint64_t k = linesrc_key(s, part, mid);

		if (k < key || (or_equal && k == key))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void
linesrc_walk_back(struct linesrc *s, uint64_t key)
{
	size_t i;

	s->back = true;
	for (i = 0; i < s->nparts; i++)
		s->cur[i] = linesrc_count_below(s, i, key, true);
}

void
linesrc_walk_on(struct linesrc *s, uint64_t key)
{
	size_t i;

	s->back = false;
	for (i = 0; i < s->nparts; i++)
		s->cur[i] = linesrc_count_below(s, i, key, false);
}

static void
linesrc_get(const struct linesrc *s, size_t part, size_t i,
    struct linesrc_line *out)
{
	const struct linesrc_part *p = &s->parts[part];
	const struct store_line *l;

	out->key = linesrc_key(s, part, i);
	out->label = p->label;
	out->label_fg = p->label_fg;
	if (i >= p->nring) {
		const struct linesrc_tail *t = &p->tails[i - p->nring];

		out->text = t->text;
		out->len = t->len;
		out->stream = t->stream;
		out->flags = 0;
		out->carry = t->carry;
		out->time_ms = 0;	/* still being written: no time yet */
		return;
	}
	l = linesrc_ring(p, i);
	out->text = l->text;
	out->len = l->len;
	out->stream = l->stream;
	out->flags = l->flags;
	out->carry = l->carry;
	out->time_ms = l->time_ms;
}

bool
linesrc_step(struct linesrc *s, struct linesrc_line *out)
{
	size_t i, best = s->nparts;
	uint64_t best_key = 0, k;

	for (i = 0; i < s->nparts; i++) {
		if (s->back ? s->cur[i] == 0 :
		    s->cur[i] >= linesrc_len(&s->parts[i]))
			continue;
		k = linesrc_key(s, i, s->back ? s->cur[i] - 1 : s->cur[i]);
		if (best == s->nparts || (s->back ? k > best_key : k < best_key)) {
			best = i;
			best_key = k;
		}
	}
	if (best == s->nparts)
		return false;
	if (s->back)
		s->cur[best]--;
	linesrc_get(s, best, s->cur[best], out);
	if (!s->back)
		s->cur[best]++;
	return true;
}
