/*
 * filter: a pattern over a pane's lines, and the index of what it keeps.
 *
 * The index is a ring of seqs.  Lines leave a store oldest first, so the
 * seqs that are gone are always at the front of the ring, and the ring
 * never holds more entries than the store holds lines.
 */
#define _GNU_SOURCE
#include "filter.h"

#include <stdlib.h>
#include <string.h>

#include "ansi.h"
#include "match.h"

#define FILTER_INDEX_MIN 64

static struct ansi_line filter_cells;	/* reused for every line */

void
filter_set(struct filter *f, const wchar_t *typed, size_t n)
{
	size_t skip = 0;

	filter_clear(f);
	if (n == 0)
		return;
	f->on = true;
	if (typed[0] == L'!') {
		f->err_only = true;
		skip = 1;
		while (skip < n && typed[skip] == L' ')
			skip++;
	} else if (n >= 2 && typed[0] == L'\\' && typed[1] == L'!') {
		skip = 1;
	}
	match_lower(typed + skip, n - skip, f->pattern, FILTER_MAX);
	wcsncpy(f->typed, typed, n < FILTER_MAX ? n : FILTER_MAX - 1);
	f->typed[n < FILTER_MAX ? n : FILTER_MAX - 1] = L'\0';
}

void
filter_clear(struct filter *f)
{
	unsigned gen = f->gen;

	memset(f, 0, sizeof *f);
	f->gen = gen + 1;
}

bool
filter_keeps(const struct filter *f, const char *text, size_t len,
    int stream, int flags)
{
	if (!f->on)
		return true;
	if (f->err_only && (stream != STORE_STDERR ||
	    (flags & (STORE_NOTE | STORE_INPUT))))
		return false;
	if (f->pattern[0] == L'\0')
		return true;
	ansi_render(&filter_cells, text, len);
	return match_cells(&filter_cells, f->pattern, NULL, 0);
}

static void
filter_index_reset(struct filter_index *fi, unsigned gen)
{
	fi->head = fi->count = 0;
	fi->next = 0;
	fi->gen = gen;
	fi->made = true;
}

static int
filter_index_push(struct filter_index *fi, uint64_t seq)
{
	if (fi->count == fi->cap) {
		size_t cap = fi->cap ? fi->cap * 2 : FILTER_INDEX_MIN, i;
		uint64_t *seqs = malloc(cap * sizeof *seqs);

		if (seqs == NULL)
			return -1;
		for (i = 0; i < fi->count; i++)
			seqs[i] = filter_index_seq(fi, i);
		free(fi->seqs);
		fi->seqs = seqs;
		fi->cap = cap;
		fi->head = 0;
	}
	fi->seqs[(fi->head + fi->count++) % fi->cap] = seq;
	return 0;
}

void
filter_index_update(struct filter_index *fi, const struct filter *f,
    const struct store *st)
{
	uint64_t first = store_first_seq(st), total = store_total(st), seq;

	if (!fi->made || fi->gen != f->gen)
		filter_index_reset(fi, f->gen);
	while (fi->count > 0 && fi->seqs[fi->head] < first) {
		fi->head = (fi->head + 1) % fi->cap;
		fi->count--;
	}
	for (seq = fi->next > first ? fi->next : first; seq < total; seq++) {
		const struct store_line *l = store_line_seq(st, seq);

		if (l != NULL && filter_keeps(f, l->text, l->len, l->stream,
		    l->flags) && filter_index_push(fi, seq) == -1)
			break;	/* out of memory: look again next time */
	}
	fi->next = seq;
}

size_t
filter_index_count(const struct filter_index *fi)
{
	return fi->count;
}

uint64_t
filter_index_seq(const struct filter_index *fi, size_t i)
{
	return fi->seqs[(fi->head + i) % fi->cap];
}

void
filter_index_free(struct filter_index *fi)
{
	free(fi->seqs);
	memset(fi, 0, sizeof *fi);
}
