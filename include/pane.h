/*
 * pane: lines drawn into a rectangle of the screen.
 *
 * Draws a line source (linesrc.h: one program's lines, a filtered set,
 * or several programs merged) and only the rows that are visible,
 * wrapping long lines or cutting them with a marker (and then scrolled
 * sideways).  stderr lines get a red gutter mark and colour; a merged
 * view's lines carry their program's name in its colour; with the time
 * column on, each line its arrival time (a tail, still being written,
 * none).  Search matches
 * are highlighted, and searching walks the source line by line.
 */
#ifndef TEND_PANE_H
#define TEND_PANE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

#include "linesrc.h"

/* Where a pane is looking; one per view, kept by the UI. */
struct pane_view {
	bool follow;		/* stick to the newest output */
	uint64_t top_key;	/* else: the line at the top ... */
	int top_skip;		/* ... less its first rows (a wrapped line) */
	uint64_t match_key;	/* the current search match, if has_match */
	bool has_match;
	int hcol;		/* columns scrolled right (lines cut) */
};

struct pane_geom {
	int y, x, h, w;		/* rows and columns, gutter included */
	bool wrap;		/* wrap long lines, else cut them */
	int label_w;		/* columns for a merged view's names, or 0 */
	int time_w;		/* columns for the arrival times (T), or 0 */
};

/* "HH:MM:SS " */
#define PANE_TIME_W 9

void pane_view_init(struct pane_view *v);

/* Draw S into G as V says; PATTERN (may be NULL or empty) is highlighted. */
void pane_draw(struct linesrc *s, const struct pane_view *v,
    const struct pane_geom *g, const wchar_t *pattern);

/* Scroll by ROWS screen rows (negative: back in time). */
void pane_scroll(struct linesrc *s, struct pane_view *v,
    const struct pane_geom *g, int rows);
/* A page on (DOWN) or back, the line at the edge kept in sight. */
void pane_page(struct linesrc *s, struct pane_view *v,
    const struct pane_geom *g, bool down);
/* The oldest line at the top. */
void pane_scroll_top(struct linesrc *s, struct pane_view *v);
void pane_follow(struct pane_view *v);
/* Sideways by COLS columns, when lines are cut rather than wrapped. */
void pane_scroll_side(struct pane_view *v, const struct pane_geom *g,
    int cols);

/* Find PATTERN from the current match (or the view) towards older lines
 * (BACKWARD) or newer ones; on success show the match near the top, the
 * lines after it below, and return 0. */
int pane_search(struct linesrc *s, struct pane_view *v,
    const struct pane_geom *g, const wchar_t *pattern, bool backward);

#endif
