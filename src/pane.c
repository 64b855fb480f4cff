/*
 * pane: drawing a program's output, scrolling it and searching it.
 *
 * Owns the mapping from store lines to screen rows.  The lines shown are
 * the store's ring followed by its unterminated tails (a prompt shows
 * before its newline comes).  Only visible lines are parsed (ansi.c) and
 * drawn, from the bottom up, so a pane costs the same with 10 lines or
 * 10,000.
 */
#define _GNU_SOURCE
#include "pane.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "ansi.h"
#include "ansiline.h"
#include "tty.h"

#define PANE_STDERR_FG 1	/* red */
#define PANE_MATCH_BG 3		/* yellow */
#define PANE_CURRENT_BG 6	/* cyan */
#define PANE_INPUT_FG 6		/* cyan */
#define PANE_NOTE_FG 5		/* magenta */

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

/* One line as the pane sees it: from the ring or a tail. */
struct pane_line {
	const char *text;
	size_t len;
	int stream;
	int flags;
	uint64_t seq;
	uint64_t carry;		/* the style it starts in (ansi_carry) */
};

/* The ring plus the tails, indexed 0 .. total-1 oldest first. */
struct pane_src {
	const struct store *st;
	size_t count, total;
	uint64_t first_seq;
	struct pane_line tails[STORE_NSTREAMS];
};

static struct ansi_line pane_cells;		/* reused for every line */
static unsigned char *pane_hl;			/* per cell: 0, 1 match, 2 current */
static size_t pane_hl_cap;

static void
pane_src_init(struct pane_src *s, const struct store *st)
{
	size_t n, i, k = 0;
	const char *t;

	s->st = st;
	s->count = store_count(st);
	s->first_seq = s->count ? store_line(st, 0)->seq : store_total(st);
	for (i = 0; i < STORE_NSTREAMS; i++) {
		t = store_partial(st, (enum store_stream)i, &n);
		if (t == NULL)
			continue;
		s->tails[k].text = t;
		s->tails[k].len = n;
		s->tails[k].stream = (int)i;
		s->tails[k].flags = 0;
		s->tails[k].seq = store_total(st) + k;
		s->tails[k].carry = store_partial_carry(st, (enum store_stream)i);
		k++;
	}
	s->total = s->count + k;
}

static void
pane_src_get(const struct pane_src *s, size_t i, struct pane_line *out)
{
	const struct store_line *l;

	if (i >= s->count) {
		*out = s->tails[i - s->count];
		return;
	}
	l = store_line(s->st, i);
	out->text = l->text;
	out->len = l->len;
	out->stream = l->stream;
	out->flags = l->flags;
	out->seq = l->seq;
	out->carry = l->carry;
}

/* Index of the line at the bottom of the pane. */
static size_t
pane_src_bottom(const struct pane_src *s, const struct pane_view *v)
{
	if (s->total == 0)
		return 0;
	if (v->follow || v->bottom_seq >= s->first_seq + s->total)
		return s->total - 1;
	if (v->bottom_seq < s->first_seq)
		return 0;
	return (size_t)(v->bottom_seq - s->first_seq);
}

void
pane_view_init(struct pane_view *v)
{
	memset(v, 0, sizeof *v);
	v->follow = true;
}

/* Rows LINE takes at text width TW: wide characters never straddle. */
static int
pane_rows(const struct ansi_line *line, int tw, bool wrap)
{
	int rows = 1, col = 0;
	size_t i;

	if (!wrap || tw <= 0)
		return 1;
	for (i = 0; i < line->len; i++) {
		int w = line->cells[i].width;

		if (w > 0 && col + w > tw && col > 0) {
			rows++;
			col = 0;
		}
		col += w;
	}
	return rows;
}

static bool
pane_cell_is(const struct ansi_cell *c, wchar_t want)
{
	return (wchar_t)towlower((wint_t)c->ch) == want;
}

/* Mark the cells of LINE that match PATTERN (lower-case: smart case is
 * applied by the caller) with MARK; returns whether anything matched. */
static bool
pane_match(const struct ansi_line *line, const wchar_t *pattern,
    unsigned char *hl, unsigned char mark)
{
	size_t plen = pattern ? wcslen(pattern) : 0, i, j, k;
	bool any = false;

	if (plen == 0)
		return false;
	for (i = 0; i < line->len; i++) {
		for (j = i, k = 0; j < line->len && k < plen; j++) {
			if (line->cells[j].width == 0)
				continue;
			if (!pane_cell_is(&line->cells[j], pattern[k]))
				break;
			k++;
		}
		if (k < plen)
			continue;
		any = true;
		if (hl != NULL)
			memset(hl + i, mark, j - i);
	}
	return any;
}

static void
pane_render(const struct pane_line *l)
{
	ansi_render_from(&pane_cells, l->text, l->len, l->carry);
}

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
pane_kind_of(const struct pane_line *l)
{
	if (l->flags & STORE_NOTE)
		return PANE_NOTE;
	if (l->flags & STORE_INPUT)
		return PANE_INPUT;
	return l->stream == STORE_STDERR ? PANE_ERR : PANE_OUT;
}

static void
pane_draw_gutter(int y, int x, enum pane_kind kind, bool first)
{
	int pair = tty_pair(pane_kinds[kind].fg, ANSI_DEFAULT);

	attr_set(A_BOLD, 0, &pair);
	mvaddwstr(y, x, first ? pane_kinds[kind].first : pane_kinds[kind].more);
	attr_set(A_NORMAL, 0, NULL);
}

/* Draw the rendered line in pane_cells, whose first row is screen row Y
 * (rows above TOP are skipped). */
static void
pane_draw_line(const struct pane_geom *g, int y, int top, enum pane_kind kind)
{
	int tw = g->w - 1, row = 0, col = 0;
	size_t i;

	if (y >= top)
		pane_draw_gutter(y, g->x, kind, true);
	for (i = 0; i < pane_cells.len; i++) {
		const struct ansi_cell *c = &pane_cells.cells[i];

		if (c->width == 0)
			continue;
		if (col + c->width > tw) {
			if (!g->wrap) {
				if (y >= top) {
					attr_set(A_REVERSE, 0, NULL);
					mvaddwstr(y, g->x + g->w - 1, L"\u203a");
					attr_set(A_NORMAL, 0, NULL);
				}
				return;
			}
			row++;
			col = 0;
			if (y + row >= top)
				pane_draw_gutter(y + row, g->x, kind, false);
		}
		if (y + row >= top)
			pane_draw_cell(y + row, g->x + 1 + col, c, kind,
			    pane_hl[i]);
		col += c->width;
	}
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
pane_draw(const struct store *st, const struct pane_view *v,
    const struct pane_geom *g, const wchar_t *pattern)
{
	struct pane_src s;
	struct pane_line l;
	int bottom = g->y + g->h;	/* first row below the pane */
	size_t i;

	if (g->h <= 0 || g->w <= 1)
		return;
	pane_src_init(&s, st);
	if (s.total == 0)
		return;
	for (i = pane_src_bottom(&s, v) + 1; i-- > 0 && bottom > g->y;) {
		int rows;

		pane_src_get(&s, i, &l);
		pane_render(&l);
		if (pane_grow_hl(pane_cells.len + 1) == -1)
			return;
		memset(pane_hl, 0, pane_cells.len + 1);
		pane_match(&pane_cells, pattern, pane_hl,
		    v->has_match && v->match_seq == l.seq ? 2 : 1);
		rows = pane_rows(&pane_cells, g->w - 1, g->wrap);
		bottom -= rows;
		pane_draw_line(g, bottom, g->y, pane_kind_of(&l));
	}
}

void
pane_follow(struct pane_view *v)
{
	v->follow = true;
	v->has_match = false;
}

void
pane_scroll_top(const struct store *st, struct pane_view *v)
{
	struct pane_src s;

	pane_src_init(&s, st);
	v->follow = false;
	v->bottom_seq = s.first_seq;
}

void
pane_scroll(const struct store *st, struct pane_view *v,
    const struct pane_geom *g, int rows)
{
	struct pane_src s;
	struct pane_line l;
	size_t i;

	pane_src_init(&s, st);
	if (s.total == 0)
		return;
	i = pane_src_bottom(&s, v);
	/* Walk whole lines until ROWS screen rows are passed. */
	while (rows < 0 && i > 0) {
		pane_src_get(&s, i, &l);
		pane_render(&l);
		rows += pane_rows(&pane_cells, g->w - 1, g->wrap);
		i--;
	}
	while (rows > 0 && i + 1 < s.total) {
		i++;
		pane_src_get(&s, i, &l);
		pane_render(&l);
		rows -= pane_rows(&pane_cells, g->w - 1, g->wrap);
	}
	pane_src_get(&s, i, &l);
	v->follow = i + 1 >= s.total;
	v->bottom_seq = l.seq;
}

int
pane_search(const struct store *st, struct pane_view *v,
    const wchar_t *pattern, bool backward)
{
	struct pane_src s;
	struct pane_line l;
	size_t i;

	pane_src_init(&s, st);
	if (s.total == 0 || pattern == NULL || pattern[0] == L'\0')
		return -1;
	if (v->has_match && v->match_seq >= s.first_seq &&
	    v->match_seq < s.first_seq + s.total)
		i = (size_t)(v->match_seq - s.first_seq);
	else
		i = pane_src_bottom(&s, v) + (backward ? 1 : 0);
	for (;;) {
		if (backward ? i == 0 : i + 1 >= s.total)
			return -1;
		i = backward ? i - 1 : i + 1;
		pane_src_get(&s, i, &l);
		pane_render(&l);
		if (pane_match(&pane_cells, pattern, NULL, 0))
			break;
	}
	v->has_match = true;
	v->match_seq = l.seq;
	v->follow = false;
	v->bottom_seq = l.seq;
	return 0;
}
