/*
 * vtpane: cells to curses characters, row by row.
 *
 * The screen was erased for the frame, so a row's blank tail (the cells
 * past what was written, default blanks) is already there and only its
 * written cells are drawn: a flood's short lines cost a few cells a row,
 * not the pane's width.
 */
#define _GNU_SOURCE
#include "vtpane.h"

#include <curses.h>
#include <wchar.h>

#include "tty.h"

/* The curses attributes and pair of the last style drawn: cells of one
 * style come in runs, and the pair is looked up once a run. */
struct vtpane_pen {
	struct ansi_style style;
	attr_t attrs;
	int pair;
	bool set;
};

static bool
vtpane_same_style(const struct ansi_style *a, const struct ansi_style *b)
{
	return a->fg == b->fg && a->bg == b->bg && a->attr == b->attr;
}

static void
vtpane_cell(struct vtpane_pen *pen, const struct ansi_cell *c, int y, int x)
{
	wchar_t w[1 + ANSI_MAX_COMBINING + 1];
	cchar_t cc;
	int k, n = 0;

	if (!pen->set || !vtpane_same_style(&pen->style, &c->style)) {
		pen->style = c->style;
		pen->attrs = tty_attrs(c->style.attr);
		pen->pair = tty_pair(c->style.fg, c->style.bg);
		pen->set = true;
	}
	w[n++] = (wchar_t)(c->ch ? c->ch : ' ');
	for (k = 0; k < ANSI_MAX_COMBINING && c->combining[k]; k++)
		w[n++] = (wchar_t)c->combining[k];
	w[n] = L'\0';
	setcchar(&cc, w, pen->attrs, (short)pen->pair, &pen->pair);
	mvadd_wch(y, x, &cc);
}

void
vtpane_draw(const struct vt *vt, const struct pane_geom *g, bool focus,
    int *cy, int *cx)
{
	struct vtpane_pen pen = { .set = false };
	int rows, cols, r, c, len, crow, ccol;
	bool shown;

	vt_size(vt, &rows, &cols);
	for (r = 0; r < rows && r < g->h; r++) {
		const struct ansi_cell *cells = vt_row_cells(vt, r, &len);

		for (c = 0; c < len && c < cols && c + 1 < g->w; c++) {
			const struct ansi_cell *cell = &cells[c];

			if (cell->width == 0)
				continue;	/* drawn with its left half */
			if (cell->width == 2 && c + 2 >= g->w)
				break;		/* a wide one that does not fit */
			vtpane_cell(&pen, cell, g->y + r, g->x + 1 + c);
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
