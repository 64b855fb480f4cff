/*
 * filter: which lines of a pane to show.
 *
 * A filter keeps the lines that hold a text (case-insensitive, as the
 * search matches), or only stderr lines ("!" first), or stderr lines
 * that hold a text ("! timeout").  Its index is the list of a store's
 * lines it keeps, brought up to date incrementally (only the lines that
 * came since the last look are read), so a pane draws a filter over
 * 100,000 lines as fast as it draws the lines themselves.
 */
#ifndef TEND_FILTER_H
#define TEND_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

#include "store.h"

#define FILTER_MAX 256

struct filter {
	bool on;
	bool err_only;		/* stderr lines only */
	unsigned gen;		/* changes with every filter_set */
	wchar_t pattern[FILTER_MAX];	/* lower case; may be empty */
	wchar_t typed[FILTER_MAX];	/* as typed, for the title */
};

/* From the N characters the user typed: "!" first keeps only stderr,
 * "\!" first is a literal "!".  Nothing typed clears the filter. */
void filter_set(struct filter *f, const wchar_t *typed, size_t n);
void filter_clear(struct filter *f);

/* Whether F keeps a line of TEXT, LEN bytes, with STORE_* FLAGS from
 * STREAM. */
bool filter_keeps(const struct filter *f, const char *text, size_t len,
    int stream, int flags);

/* The lines of one store a filter keeps, by seq, oldest first. */
struct filter_index {
	uint64_t *seqs;		/* a ring */
	size_t cap, head, count;
	uint64_t next;		/* the first seq not looked at yet */
	unsigned gen;		/* of the filter it was made for */
	bool made;
};

/* Bring FI up to date with ST's lines and F (a new F starts it anew). */
void filter_index_update(struct filter_index *fi, const struct filter *f,
    const struct store *st);
size_t filter_index_count(const struct filter_index *fi);
/* The seq of the Ith kept line, 0 the oldest. */
uint64_t filter_index_seq(const struct filter_index *fi, size_t i);
void filter_index_free(struct filter_index *fi);

#endif
