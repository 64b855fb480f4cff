/*
 * tiles: where each program goes when every program is on screen (z).
 *
 * Tiles are laid out in a grid, as many columns as make the most of the
 * screen; when the programs are too many for tiles of a useful size,
 * each gets a one-line row (its name, its state and its latest line) and
 * the selected one also gets a tile below the rows while there is room.
 * Every program is shown as long as there is a row per program; past
 * that, the rows shown are those around the selected one.
 */
#ifndef TEND_TILES_H
#define TEND_TILES_H

#include <stdbool.h>

#include "engine.h"

#define TILES_MIN_H 4		/* a border, two lines, a border */
#define TILES_MIN_W 20
#define TILES_ROW_MIN_W 24	/* a one-line row */

struct tiles_box {
	int y, x, h, w;		/* h == 0: not on screen */
	bool row;		/* a one-line row, not a tile */
};

/* Boxes for N programs (SEL selected) in the top H rows of a screen W
 * wide, into BOX[0 .. N-1]. */
void tiles_layout(int n, int sel, int h, int w, struct tiles_box *box);

/* The box at row Y, column X, or -1. */
int tiles_hit(const struct tiles_box *box, int n, int y, int x);

/* P as a one-line row in BOX: the name, the state and LATEST (its last
 * line, plain text). */
void tiles_draw_row(struct engine *e, const struct proc *p,
    const struct tiles_box *box, bool selected, const char *latest);

#endif
