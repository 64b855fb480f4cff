/*
 * linesrc: the lines a pane shows, in order.
 *
 * A source is one or more parts, each a program's store: all of its
 * lines or those a filter keeps, then its unterminated tails (a prompt
 * shows before its newline comes).  Every line has a key, its arrival
 * among the lines of all programs (store_line.order); tails have keys
 * above every stored line's, so they come last.  A pane walks a source
 * by key, so one program, a filtered one, and the merged view of many
 * are drawn, scrolled and searched by the same code.
 */
#ifndef TEND_LINESRC_H
#define TEND_LINESRC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "filter.h"
#include "store.h"

#define LINESRC_FIRST 0
#define LINESRC_LAST UINT64_MAX

struct linesrc_line {
	const char *text;
	size_t len;
	int stream;
	int flags;		/* STORE_* */
	uint64_t carry;		/* the style it starts in (ansi_carry) */
	uint64_t key;
	const char *label;	/* whose line, in a merged view; or NULL */
	int label_fg;
	int64_t time_ms;	/* arrival (monotonic); 0 for a tail */
};

struct linesrc_tail {
	const char *text;
	size_t len;
	int stream;
	uint64_t carry;
};

struct linesrc_part {
	const struct store *st;
	const struct filter *filter;		/* NULL: every line */
	const struct filter_index *index;	/* what the filter keeps */
	const char *label;
	int label_fg;
	size_t nring;		/* lines kept of the ring */
	size_t ntails;
	struct linesrc_tail tails[STORE_NSTREAMS];
};

struct linesrc {
	struct linesrc_part *parts;
	size_t nparts, cap;
	size_t *cur;		/* a walk: per part, where it is */
	bool back;		/* the walk goes towards older lines */
};

void linesrc_init(struct linesrc *s);
/* No parts (the memory is kept for the next ones). */
void linesrc_reset(struct linesrc *s);
void linesrc_free(struct linesrc *s);

/* Add ST's lines: those FI holds when F is on (bring FI up to date
 * first), else every one; LABEL marks them in a merged view.  -1 when
 * out of memory. */
int linesrc_add(struct linesrc *s, const struct store *st,
    const struct filter *f, const struct filter_index *fi,
    const char *label, int label_fg);

/* Lines in all (an upper bound: filtered tails are left out). */
bool linesrc_empty(const struct linesrc *s);

/* Walk back from KEY (the lines with keys up to it, newest first), or on
 * from it (keys from it, oldest first); linesrc_step gives each line in
 * turn, false at the end. */
void linesrc_walk_back(struct linesrc *s, uint64_t key);
void linesrc_walk_on(struct linesrc *s, uint64_t key);
bool linesrc_step(struct linesrc *s, struct linesrc_line *out);

#endif
