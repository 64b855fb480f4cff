/*
 * vtpane: cells to curses characters, row by row.
 */
#define _GNU_SOURCE
#include "vtpane.h"

#include <curses.h>
#include <wchar.h>

#include "tty.h"

static void
vtpane_cell(const struct ansi_cell *c, int y, int x)
{
	wchar_t w[1 + ANSI_MAX_COMBINING + 1];
	cchar_t cc;
	int pair = tty_pair(c->style.fg, c->style.bg), k, n = 0;

	w[n++] = (wchar_t)(c->ch ? c->ch : ' ');
	for (k = 0; k < ANSI_MAX_COMBINING && c->combining[k]; k++)
		w[n++] = (wchar_t)c->combining[k];
	w[n] = L'\0';
	setcchar(&cc, w, tty_attrs(c->style.attr), (short)pair, &pair);
	mvadd_wch(y, x, &cc);
}

void
vtpane_draw(const struct vt *vt, const struct pane_geom *g, bool focus,
    int *cy, int *cx)
{
	int rows, cols, r, c, crow, ccol;
	bool shown;

	vt_size(vt, &rows, &cols);
	for (r = 0; r < rows && r < g->h; r++) {
		for (c = 0; c < cols && c + 1 < g->w; c++) {
			const struct ansi_cell *cell = vt_cell(vt, r, c);

			if (cell->width == 0)
				continue;	/* drawn with its left half */
			if (cell->width == 2 && c + 2 >= g->w)
				break;		/* a wide one that does not fit */
			vtpane_cell(cell, g->y + r, g->x + 1 + c);
		}
	}
	attr_set(A_NORMAL, 0, NULL);
	shown = vt_cursor(vt, &crow, &ccol);
	*cy = *cx = -1;
	if (focus && shown && crow < g->h && ccol + 1 < g->w) {
		*cy = g->y + crow;
		*cx = g->x + 1 + ccol;
	}
}
