/*
 * pane: drawing a line source, scrolling it and searching it.
 *
 * Owns the mapping from lines to screen rows.  A view is the newest
 * lines (follow), or a line at the top and how many of its first rows
 * are above the pane; every layout starts from there and goes down, so
 * a line found by search or Home lands at the top and what follows it
 * below.  Only visible lines are parsed (ansi.c) and drawn, so a pane
 * costs the same with 10 lines or 10,000.
 */
#define _GNU_SOURCE
#include "pane.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "ansi.h"
#include "ansiline.h"
#include "draw.h"
#include "match.h"
#include "stamp.h"
#include "tty.h"

#define PANE_STDERR_FG 1	/* red */
#define PANE_MATCH_BG 3		/* yellow */
#define PANE_CURRENT_BG 6	/* cyan */
#define PANE_INPUT_FG 6		/* cyan */
#define PANE_NOTE_FG 5		/* magenta */
#define PANE_CONTEXT_ROWS 2	/* above a search match */
#define PANE_SIDE_MAX 65536

/* How a line is marked in the gutter and coloured. */
enum pane_kind { PANE_OUT, PANE_ERR, PANE_INPUT, PANE_NOTE };

static const struct {
	int fg;			/* for the gutter mark and plain text */
	const wchar_t *first, *more;	/* gutter: first row, wrapped rows */
} pane_kinds[] = {
	[PANE_OUT] = { ANSI_DEFAULT, L" ", L" " },
	[PANE_ERR] = { PANE_STDERR_FG, L"\u258c", L"\u2502" },
	[PANE_INPUT] = { PANE_INPUT_FG, L"\u203a", L" " },
	[PANE_NOTE] = { PANE_NOTE_FG, L"\u25c6", L" " },
};

static struct ansi_line pane_cells;		/* reused for every line */
static unsigned char *pane_hl;			/* per cell: 0, 1 match, 2 current */
static size_t pane_hl_cap;

/* Where a layout starts: the line at the top and its rows above the
 * pane; FITS: every line shows, and then a followed pane has BLANK rows
 * above them (a short output sits at the bottom, by the key bar). */
struct pane_top {
	uint64_t key;
	int skip;
	int blank;
	bool fits;
};

void
pane_view_init(struct pane_view *v)
{
	memset(v, 0, sizeof *v);
	v->follow = true;
}

static int
pane_text_w(const struct pane_geom *g)
{
	return g->w - 1 - g->label_w - g->time_w;
}

/* A note's text stands off its mark ("◆ started pid 42"). */
static int
pane_indent(const struct linesrc_line *l)
{
	return (l->flags & STORE_NOTE) ? 1 : 0;
}

/* Rows the rendered line takes at text width TW: wide characters never
 * straddle. */
static int
pane_cells_rows(int tw, bool wrap)
{
	int rows = 1, col = 0;
	size_t i;

	if (!wrap || tw <= 0)
		return 1;
	for (i = 0; i < pane_cells.len; i++) {
		int w = pane_cells.cells[i].width;

		if (w > 0 && col + w > tw && col > 0) {
			rows++;
			col = 0;
		}
		col += w;
	}
	return rows;
}

static void
pane_render(const struct linesrc_line *l)
{
	ansi_render_from(&pane_cells, l->text, l->len, l->carry);
}

static int
pane_rows(const struct linesrc_line *l, const struct pane_geom *g)
{
	if (!g->wrap)
		return 1;	/* no need to parse it */
	pane_render(l);
	return pane_cells_rows(pane_text_w(g) - pane_indent(l), true);
}

/* --- layout ------------------------------------------------------------ */

/* The layout whose last row is the last row of the line at or before
 * KEY: walk back until the pane is full. */
static bool
pane_layout_bottom(struct linesrc *s, uint64_t key, const struct pane_geom *g,
    struct pane_top *t)
{
	struct linesrc_line l;
	int rows = 0;
	bool any = false;

	linesrc_walk_back(s, key);
	while (rows < g->h && linesrc_step(s, &l)) {
		rows += pane_rows(&l, g);
		t->key = l.key;
		any = true;
	}
	t->skip = rows > g->h ? rows - g->h : 0;
	t->blank = rows < g->h ? g->h - rows : 0;
	t->fits = rows < g->h || (rows == g->h && !linesrc_step(s, &l));
	return any;
}

/* Rows from line KEY (or the first after it: *KEY is set to it), less
 * SKIP, to the end; counting stops past LIMIT. */
static int
pane_rows_from(struct linesrc *s, uint64_t *key, int skip,
    const struct pane_geom *g, int limit)
{
	struct linesrc_line l;
	int rows = -skip;
	bool first = true;

	linesrc_walk_on(s, *key);
	while (rows <= limit && linesrc_step(s, &l)) {
		if (first)
			*key = l.key;
		first = false;
		rows += pane_rows(&l, g);
	}
	return rows;
}

/* Where V's layout starts.  Scrolled near the end, the pane is filled
 * with the newest lines rather than left half blank; false when there
 * is nothing to show. */
static bool
pane_layout(struct linesrc *s, const struct pane_view *v,
    const struct pane_geom *g, struct pane_top *t)
{
	struct linesrc_line l;
	uint64_t key = v->top_key;
	int skip;

	if (v->follow)
		return pane_layout_bottom(s, LINESRC_LAST, g, t);
	/* The top line left the store: start from the oldest one there. */
	linesrc_walk_on(s, key);
	if (linesrc_step(s, &l))
		key = l.key;
	skip = key == v->top_key ? v->top_skip : 0;
	if (pane_rows_from(s, &key, skip, g, g->h) >= g->h) {
		t->key = key;
		t->skip = skip;
		t->blank = 0;
		t->fits = false;
		return true;
	}
	if (!pane_layout_bottom(s, LINESRC_LAST, g, t))
		return false;
	if (t->fits)
		t->blank = 0;	/* scrolled to the top: lines start there */
	return true;
}

/* --- drawing ----------------------------------------------------------- */

static void
pane_draw_cell(int y, int x, const struct ansi_cell *c, enum pane_kind kind,
    unsigned char hl)
{
	wchar_t wc[2 + ANSI_MAX_COMBINING];
	int32_t fg = c->style.fg, bg = c->style.bg;
	attr_t a = tty_attrs(c->style.attr);
	cchar_t cc;
	int pair, i, n = 0;

	wc[n++] = (wchar_t)c->ch;
	for (i = 0; i < ANSI_MAX_COMBINING && c->combining[i] != 0; i++)
		wc[n++] = (wchar_t)c->combining[i];
	wc[n] = L'\0';
	if (fg == ANSI_DEFAULT)
		fg = pane_kinds[kind].fg;
	if (kind == PANE_INPUT || kind == PANE_NOTE)
		a |= A_BOLD;
	if (c->style.attr & ANSI_CONTROL)
		a |= A_DIM;
	if (hl != 0) {
		fg = 0;
		bg = hl == 2 ? PANE_CURRENT_BG : PANE_MATCH_BG;
	}
	pair = tty_pair(fg, bg);
	setcchar(&cc, wc, a, 0, &pair);
	mvadd_wch(y, x, &cc);
}

static enum pane_kind
pane_kind_of(const struct linesrc_line *l)
{
	if (l->flags & STORE_NOTE)
		return PANE_NOTE;
	if (l->flags & STORE_INPUT)
		return PANE_INPUT;
	return l->stream == STORE_STDERR ? PANE_ERR : PANE_OUT;
}

/* The arrival time of a line (dim, so the text stands out), or blanks
 * for a wrapped row and a tail, which has none yet. */
static void
pane_draw_time(const struct pane_geom *g, int y, int64_t time_ms)
{
	char buf[16];

	attr_set(A_DIM, 0, NULL);
	move(y, g->x + 1 + g->label_w);
	if (time_ms != 0) {
		stamp_clock(stamp_wall(time_ms), 0, buf, sizeof buf);
		printw("%-*s", g->time_w, buf);
	} else {
		printw("%*s", g->time_w, "");
	}
}

/* The gutter and, in a merged view, whose line it is. */
static void
pane_draw_left(const struct pane_geom *g, int y, const struct linesrc_line *l,
    enum pane_kind kind, bool first)
{
	int pair = tty_pair(pane_kinds[kind].fg, ANSI_DEFAULT);

	attr_set(A_BOLD, 0, &pair);
	mvaddwstr(y, g->x, first ? pane_kinds[kind].first :
	    pane_kinds[kind].more);
	if (g->label_w >= 4 && l->label != NULL) {
		draw_colour(A_BOLD, l->label_fg, ANSI_DEFAULT);
		move(y, g->x + 1);
		if (first)
			draw_name(l->label, g->label_w - 3);
		else
			printw("%*s", g->label_w - 3, "");
		addwstr(L" \u2502 ");
	}
	if (g->time_w > 0)
		pane_draw_time(g, y, first ? l->time_ms : 0);
	attr_set(A_NORMAL, 0, NULL);
}

static void
pane_draw_mark(int y, int x, const wchar_t *mark)
{
	attr_set(A_REVERSE, 0, NULL);
	mvaddwstr(y, x, mark);
	attr_set(A_NORMAL, 0, NULL);
}

/* Draw the rendered line in pane_cells from screen row Y, less its first
 * SKIP rows, down to row END (excluded); returns the rows drawn. */
static int
pane_draw_line(const struct pane_geom *g, const struct pane_view *v, int y,
    int skip, int end, const struct linesrc_line *l)
{
	enum pane_kind kind = pane_kind_of(l);
	int tw = pane_text_w(g) - pane_indent(l), row = 0, col = 0;
	int x0 = g->x + 1 + g->label_w + g->time_w + pane_indent(l);
	int hcol = g->wrap ? 0 : v->hcol;
	size_t i;

	if (skip == 0)
		pane_draw_left(g, y, l, kind, true);
	for (i = 0; i < pane_cells.len; i++) {
		const struct ansi_cell *c = &pane_cells.cells[i];
		int at;

		if (c->width == 0)
			continue;
		if (g->wrap && col + c->width > tw && col > 0) {
			row++;
			col = 0;
			if (y + row - skip >= end)
				break;
			if (row >= skip)
				pane_draw_left(g, y + row - skip, l, kind, false);
		}
		at = col - hcol;
		col += c->width;
		if (at < 0 || row < skip)
			continue;
		if (at + c->width > tw) {
			/* Cut: the rest is to the right. */
			pane_draw_mark(y, g->x + g->w - 1, L"\u203a");
			break;
		}
		pane_draw_cell(y + row - skip, x0 + at, c, kind, pane_hl[i]);
	}
	if (hcol > 0 && skip == 0 && pane_cells.len > 0)
		pane_draw_mark(y, x0, L"\u2039");	/* more to the left */
	return row + 1 - skip;
}

static int
pane_grow_hl(size_t n)
{
	unsigned char *p;

	if (n <= pane_hl_cap)
		return 0;
	p = realloc(pane_hl, n);
	if (p == NULL)
		return -1;
	pane_hl = p;
	pane_hl_cap = n;
	return 0;
}

void
pane_draw(struct linesrc *s, const struct pane_view *v,
    const struct pane_geom *g, const wchar_t *pattern)
{
	struct linesrc_line l;
	struct pane_top t;
	int y, end = g->y + g->h, skip;

	if (g->h <= 0 || pane_text_w(g) <= 0 || !pane_layout(s, v, g, &t))
		return;
	y = g->y + t.blank;
	skip = t.skip;
	linesrc_walk_on(s, t.key);
	while (y < end && linesrc_step(s, &l)) {
		pane_render(&l);
		if (pane_grow_hl(pane_cells.len + 1) == -1)
			return;
		memset(pane_hl, 0, pane_cells.len + 1);
		match_cells(&pane_cells, pattern, pane_hl,
		    v->has_match && v->match_key == l.key ? 2 : 1);
		y += pane_draw_line(g, v, y, skip, end, &l);
		skip = 0;
	}
}

/* --- moving ------------------------------------------------------------ */

void
pane_follow(struct pane_view *v)
{
	v->follow = true;
	v->has_match = false;
}

void
pane_scroll_top(struct linesrc *s, struct pane_view *v)
{
	(void)s;
	v->follow = false;
	v->top_key = LINESRC_FIRST;
	v->top_skip = 0;
}

/* Scrolled to where the newest line shows whole: follow from there. */
static void
pane_settle(struct linesrc *s, struct pane_view *v, const struct pane_geom *g)
{
	uint64_t key = v->top_key;

	if (pane_rows_from(s, &key, v->top_skip, g, g->h) <= g->h)
		pane_follow(v);
}

/* The top of the view moved ROWS back (negative) from T. */
static void
pane_back(struct linesrc *s, struct pane_top *t, const struct pane_geom *g,
    int rows)
{
	struct linesrc_line l;

	if (t->skip >= rows) {
		t->skip -= rows;
		return;
	}
	rows -= t->skip;
	t->skip = 0;
	linesrc_walk_back(s, t->key);
	linesrc_step(s, &l);	/* the top line itself */
	while (rows > 0 && linesrc_step(s, &l)) {
		int r = pane_rows(&l, g);

		t->key = l.key;
		t->skip = r > rows ? r - rows : 0;
		rows -= r;
	}
}

/* The top of the view moved ROWS on from T; false past the end. */
static bool
pane_on(struct linesrc *s, struct pane_top *t, const struct pane_geom *g,
    int rows)
{
	struct linesrc_line l;

	linesrc_walk_on(s, t->key);
	while (linesrc_step(s, &l)) {
		int left = pane_rows(&l, g) - t->skip;

		t->key = l.key;
		if (rows < left) {
			t->skip += rows;
			return true;
		}
		rows -= left;
		t->skip = 0;
	}
	return false;
}

static void
pane_set_top(struct pane_view *v, const struct pane_top *t)
{
	v->follow = false;
	v->top_key = t->key;
	v->top_skip = t->skip;
}

void
pane_scroll(struct linesrc *s, struct pane_view *v, const struct pane_geom *g,
    int rows)
{
	struct pane_top t;

	if (!pane_layout(s, v, g, &t) || t.fits)
		return;		/* it all shows already */
	if (rows < 0) {
		pane_back(s, &t, g, -rows);
	} else if (!pane_on(s, &t, g, rows)) {
		pane_follow(v);
		return;
	}
	pane_set_top(v, &t);
	pane_settle(s, v, g);
}

/* The key of the last line on screen. */
static uint64_t
pane_bottom_key(struct linesrc *s, const struct pane_top *t,
    const struct pane_geom *g)
{
	struct linesrc_line l;
	int rows = -t->skip;
	uint64_t key = t->key;

	linesrc_walk_on(s, t->key);
	while (rows < g->h - t->blank && linesrc_step(s, &l)) {
		rows += pane_rows(&l, g);
		key = l.key;
	}
	return key;
}

void
pane_page(struct linesrc *s, struct pane_view *v, const struct pane_geom *g,
    bool down)
{
	struct pane_top t;
	uint64_t edge;

	if (!pane_layout(s, v, g, &t) || t.fits)
		return;
	edge = down ? pane_bottom_key(s, &t, g) : t.key;
	if (edge == t.key) {
		/* One line fills the pane: go by rows. */
		pane_scroll(s, v, g, down ? g->h - 1 : -(g->h - 1));
		return;
	}
	if (down) {
		/* The last line on screen goes to the top. */
		t.key = edge;
		t.skip = 0;
	} else if (!pane_layout_bottom(s, edge, g, &t) || t.blank > 0) {
		/* The first line on screen goes to the bottom. */
		pane_scroll_top(s, v);
		return;
	}
	pane_set_top(v, &t);
	pane_settle(s, v, g);
}

void
pane_scroll_side(struct pane_view *v, const struct pane_geom *g, int cols)
{
	(void)g;
	v->hcol += cols;
	if (v->hcol < 0)
		v->hcol = 0;
	if (v->hcol > PANE_SIDE_MAX)
		v->hcol = PANE_SIDE_MAX;
}

int
pane_search(struct linesrc *s, struct pane_view *v, const struct pane_geom *g,
    const wchar_t *pattern, bool backward)
{
	struct linesrc_line l;
	struct pane_top t;

	if (pattern == NULL || pattern[0] == L'\0' || !pane_layout(s, v, g, &t))
		return -1;
	if (v->has_match) {
		if (backward)
			linesrc_walk_back(s, v->match_key - 1);
		else
			linesrc_walk_on(s, v->match_key + 1);
	} else if (backward) {
		linesrc_walk_back(s, pane_bottom_key(s, &t, g));
	} else {
		linesrc_walk_on(s, pane_bottom_key(s, &t, g) + 1);
	}
	for (;;) {
		if (!linesrc_step(s, &l))
			return -1;
		pane_render(&l);
		if (match_cells(&pane_cells, pattern, NULL, 0))
			break;
	}
	v->has_match = true;
	v->match_key = l.key;
	t.key = l.key;
	t.skip = 0;
	pane_back(s, &t, g, PANE_CONTEXT_ROWS);
	pane_set_top(v, &t);
	return 0;
}
