/*
 * tiles: the grid of panes, and the rows it falls back to.
 */
#define _GNU_SOURCE
#include "tiles.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "ansi.h"
#include "draw.h"
#include "format.h"

#define TILES_USEFUL_W 100	/* wider text adds little to a log */
#define TILES_SEL_MIN_H 6	/* the selected tile under the rows */
#define TILES_ROW_NAME_MAX 16

/* How much of the log a grid of COLS columns shows: rows of text times
 * useful columns, 0 when its tiles are too small. */
static long
tiles_score(int n, int cols, int h, int w)
{
	int rows = (n + cols - 1) / cols, th = h / rows, tw = w / cols;

	if (th < TILES_MIN_H || tw < TILES_MIN_W)
		return 0;
	return (long)(th - 2) * (tw - 2 < TILES_USEFUL_W ? tw - 2 :
	    TILES_USEFUL_W);
}

/* The grid: the last row's tiles share its whole width. */
static void
tiles_grid(int n, int cols, int h, int w, struct tiles_box *box)
{
	int rows = (n + cols - 1) / cols, i;

	for (i = 0; i < n; i++) {
		int r = i / cols, c = i % cols;
		int in_row = r == rows - 1 ? n - r * cols : cols;

		box[i].y = r * h / rows;
		box[i].h = (r + 1) * h / rows - box[i].y;
		box[i].x = c * w / in_row;
		box[i].w = (c + 1) * w / in_row - box[i].x;
		box[i].row = false;
	}
}

/* One-line rows in COLS columns from row 0, RROWS rows, from program
 * FIRST on and without program SKIP (-1: none); the others get no box. */
static void
tiles_rows(int n, int first, int skip, int cols, int rrows, int w,
    struct tiles_box *box)
{
	int i, k = 0;

	for (i = 0; i < n; i++) {
		memset(&box[i], 0, sizeof box[i]);
		if (i < first || i == skip || k >= cols * rrows)
			continue;
		box[i].y = k % rrows;
		box[i].x = (k / rrows) * w / cols;
		box[i].w = (k / rrows + 1) * w / cols - box[i].x;
		box[i].h = 1;
		box[i].row = true;
		k++;
	}
}

void
tiles_layout(int n, int sel, int h, int w, struct tiles_box *box)
{
	int cols, best = 0, maxcols, rrows, first = 0;
	long score, top = 0;

	if (n <= 0)
		return;
	for (cols = 1; cols <= n; cols++) {
		score = tiles_score(n, cols, h, w);
		if (score > top) {
			top = score;
			best = cols;
		}
	}
	if (best > 0) {
		tiles_grid(n, best, h, w, box);
		return;
	}
	maxcols = w / TILES_ROW_MIN_W > 1 ? w / TILES_ROW_MIN_W : 1;
	/* Rows for the others in as few columns as leave the selected one
	 * a tile below them... */
	for (cols = 1; cols <= maxcols; cols++) {
		rrows = (n - 1 + cols - 1) / cols;
		if (rrows + TILES_SEL_MIN_H <= h) {
			tiles_rows(n, 0, sel, cols, rrows, w, box);
			box[sel].y = rrows;
			box[sel].h = h - rrows;
			box[sel].x = 0;
			box[sel].w = w;
			box[sel].row = false;
			return;
		}
	}
	/* ... else rows alone, all of them if they fit, else those around
	 * the selected one. */
	rrows = h > 0 ? h : 1;
	cols = (n + rrows - 1) / rrows;
	if (cols > maxcols) {
		cols = maxcols;
		first = sel - cols * rrows / 2;
		if (first > n - cols * rrows)
			first = n - cols * rrows;
		if (first < 0)
			first = 0;
	}
	tiles_rows(n, first, -1, cols, rrows, w, box);
}

int
tiles_hit(const struct tiles_box *box, int n, int y, int x)
{
	int i;

	for (i = 0; i < n; i++) {
		if (box[i].h > 0 && y >= box[i].y && y < box[i].y + box[i].h &&
		    x >= box[i].x && x < box[i].x + box[i].w)
			return i;
	}
	return -1;
}

void
tiles_draw_row(struct engine *e, const struct proc *p,
    const struct tiles_box *box, bool selected, const char *latest)
{
	attr_t base = selected ? A_REVERSE : A_NORMAL;
	int end = box->x + box->w, nw = (int)strlen(proc_name(p));
	char state[64];

	if (box->w < 2 || box->h < 1)
		return;
	format_state_short(proc_status(p), loop_now(engine_loop(e)), state,
	    sizeof state);
	attr_set(base, 0, NULL);
	mvhline(box->y, box->x, ' ', box->w - 1);
	if (nw > TILES_ROW_NAME_MAX)
		nw = TILES_ROW_NAME_MAX;
	if (nw > box->w - 2)
		nw = box->w - 2;
	attr_set(base | A_BOLD, 0, NULL);
	move(box->y, box->x + 1);
	draw_name(proc_name(p), nw);
	if (getcurx(stdscr) + 2 < end - 1) {
		addch(' ');
		draw_colour(base, draw_state_colour(proc_status(p)),
		    ANSI_DEFAULT);
		addnstr(state, end - 1 - getcurx(stdscr));
	}
	attr_set(base | A_DIM, 0, NULL);
	if (getcurx(stdscr) + 3 < end - 1) {
		addstr("  ");
		draw_cut(latest, end - 1);
	}
	attr_set(A_NORMAL, 0, NULL);
}
