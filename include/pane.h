/*
 * pane: one program's output drawn into a rectangle of the screen.
 *
 * Reads the program's store (lines, then its unterminated tails) and draws
 * only the rows that are visible, bottom-up from the newest line or from
 * where the user scrolled to, wrapping long lines or cutting them with a
 * marker.  stderr lines get a red gutter mark and colour.  Search matches
 * are highlighted, and searching walks the store line by line.
 */
#ifndef TEND_PANE_H
#define TEND_PANE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

#include "store.h"

/* Where a pane is looking; one per program, kept by the UI. */
struct pane_view {
	bool follow;		/* stick to the newest output */
	uint64_t bottom_seq;	/* else: the line shown at the bottom */
	uint64_t match_seq;	/* the current search match, if has_match */
	bool has_match;
};

struct pane_geom {
	int y, x, h, w;		/* rows and columns, gutter included */
	bool wrap;		/* wrap long lines, else cut them */
};

void pane_view_init(struct pane_view *v);

/* Draw ST into G as V says; PATTERN (may be NULL or empty) is highlighted. */
void pane_draw(const struct store *st, const struct pane_view *v,
    const struct pane_geom *g, const wchar_t *pattern);

/* Scroll by ROWS screen rows (negative: back in time). */
void pane_scroll(const struct store *st, struct pane_view *v,
    const struct pane_geom *g, int rows);
void pane_scroll_top(const struct store *st, struct pane_view *v);
void pane_follow(struct pane_view *v);

/* Find PATTERN from the current match (or the bottom) towards older lines
 * (BACKWARD) or newer ones; on success show the match and return 0. */
int pane_search(const struct store *st, struct pane_view *v,
    const wchar_t *pattern, bool backward);

#endif
