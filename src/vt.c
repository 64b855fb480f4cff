/*
 * vt: libvterm's parser and state machine over a screen of our own.
 *
 * libvterm's own screen layer moves every cell of the screen on each
 * scroll (a 2,000,000-line flood took 20 s in a 200x50 window); here a
 * screen is a ring of rows: scrolling the whole screen moves where the
 * ring starts, and each row knows how many of its cells were written
 * (the rest are blank), so a scroll costs a row cleared and a flood
 * costs what the parser costs; plain lines at the bottom of the screen
 * skip the parser too (see "plain output" below).
 *
 * Owns the VTerm, both screens, the pen, the cursor, the title, and per
 * row whether it became a line and what it said then (see vt.h).
 */
#define _GNU_SOURCE
#include "vt.h"

#include <stdlib.h>
#include <string.h>
#include <vterm.h>

#define VT_PRIMARY 0
#define VT_ALT 1
#define VT_MAX_SIZE 4096	/* rows or columns */

struct vt_row {
	struct ansi_cell *cells;	/* cols of them */
	int len;			/* cells written; the rest are blank */
	bool line;			/* it became a line of the output */
	uint32_t hash;			/* of its text then */
};

struct vt {
	VTerm *term;
	VTermState *state;
	int rows, cols;
	struct vt_row *screen[2];	/* primary, alternate: rings of rows */
	int top[2];			/* where each ring starts: row 0 */
	/* The last rows that scrolled off the top of the alternate screen,
	 * as text, oldest first: its last copy starts with them (vim leaves
	 * with a newline that scrolls its first row off). */
	char **alt_gone;
	int alt_ngone;
	int cur;			/* which one is shown */
	/* Nothing but printable ASCII, CR and LF since the reset: the
	 * terminal's modes are still the reset's (see vt_plain_lines). */
	bool plain;
	struct ansi_style pen;
	int crow, ccol;			/* the cursor */
	bool cursor_visible;
	int mouse;			/* VTERM_PROP_MOUSE_* */
	char title[256];
	const struct vt_events *ev;
	void *ctx;
	char *text;			/* a row as UTF-8 */
	size_t textcap;
};

static const struct ansi_cell vt_blank = {
	' ', { 0, 0 }, { ANSI_DEFAULT, ANSI_DEFAULT, 0 }, 1
};

/* --- rows ---------------------------------------------------------------- */

/* Row R (0 at the top) of SCREEN. */
static inline struct vt_row *
vt_row_at(const struct vt *vt, int screen, int r)
{
	int i = vt->top[screen] + r;

	return &vt->screen[screen][i >= vt->rows ? i - vt->rows : i];
}

/* Row R of the screen shown. */
static inline struct vt_row *
vt_row(const struct vt *vt, int r)
{
	return vt_row_at(vt, vt->cur, r);
}

static void
vt_clear_row(struct vt_row *r)
{
	r->len = 0;
	r->line = false;
}

/* Cells up to COL written: blanks fill the gap. */
static void
vt_extend(struct vt_row *r, int col)
{
	while (r->len < col)
		r->cells[r->len++] = vt_blank;
}

/* Row R's text, trailing blanks left out, in vt->text; its length. */
static size_t
vt_row_text(struct vt *vt, const struct vt_row *r, int upto)
{
	size_t n = 0;
	int c, k, end = upto < r->len ? upto : r->len;

	while (end > 0 && r->cells[end - 1].ch == ' ' &&
	    r->cells[end - 1].combining[0] == 0)
		end--;
	for (c = 0; c < end; c++) {
		const struct ansi_cell *cell = &r->cells[c];

		if (cell->width == 0)
			continue;	/* the right half of a wide one */
		/* Each row that leaves the screen comes here: plain ASCII is
		 * copied, not encoded. */
		if (cell->ch - 1 < 0x7f && cell->combining[0] == 0) {
			vt->text[n++] = (char)cell->ch;
			continue;
		}
		n += ansi_line_utf8(cell->ch ? cell->ch : ' ', vt->text + n);
		for (k = 0; k < ANSI_MAX_COMBINING && cell->combining[k]; k++)
			n += ansi_line_utf8(cell->combining[k], vt->text + n);
	}
	return n;
}

static uint32_t
vt_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	while (n-- > 0)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* Row R becomes a line of the output. */
static void
vt_commit(struct vt *vt, struct vt_row *r)
{
	size_t n = vt_row_text(vt, r, vt->cols);

	r->line = true;
	r->hash = vt_hash(vt->text, n);
	vt->ev->line(vt->ctx, vt->text, n);
}

/* Row R leaves the top of the primary screen: a line, unless it was
 * one already and has not changed since.  It is cleared next, so what
 * it said needs no hash (a flood's every line comes here). */
static void
vt_leaving(struct vt *vt, struct vt_row *r)
{
	size_t n = vt_row_text(vt, r, vt->cols);

	if (!r->line || vt_hash(vt->text, n) != r->hash)
		vt->ev->line(vt->ctx, vt->text, n);
}

/* After output: the rows the cursor went below become lines.  Rows
 * above them that were lines and have been rewritten since come again
 * first, so the output keeps the screen's order; as long as no new row
 * is written, rewritten rows add nothing (a progress bar's redraws). */
static void
vt_settle(struct vt *vt)
{
	int r, end = vt->crow < vt->rows ? vt->crow : vt->rows, first = -1;

	if (vt->cur != VT_PRIMARY)
		return;
	for (r = 0; r < end && first == -1; r++) {
		if (!vt_row_at(vt, VT_PRIMARY, r)->line)
			first = r;
	}
	for (r = 0; first != -1 && r < end; r++) {
		struct vt_row *row = vt_row_at(vt, VT_PRIMARY, r);
		size_t n;

		if (!row->line) {
			vt_commit(vt, row);
			continue;
		}
		if (r > first)
			continue;
		n = vt_row_text(vt, row, vt->cols);
		if (vt_hash(vt->text, n) != row->hash)
			vt_commit(vt, row);
	}
}

/* The last row of SCREEN with something written, or -1. */
static int vt_last_written(struct vt *vt, int screen);

/* Every row of the primary screen, up to the last written one, that is
 * not a line yet or has changed since it was one, becomes one. */
static void
vt_flush_screen(struct vt *vt)
{
	int last = vt_last_written(vt, VT_PRIMARY), r;

	for (r = 0; r <= last; r++) {
		struct vt_row *row = vt_row_at(vt, VT_PRIMARY, r);
		size_t n = vt_row_text(vt, row, vt->cols);

		if (!row->line || vt_hash(vt->text, n) != row->hash)
			vt_commit(vt, row);
	}
}

/* The last row of SCREEN with something written, or -1. */
static int
vt_last_written(struct vt *vt, int screen)
{
	int r;

	for (r = vt->rows - 1; r >= 0; r--) {
		if (vt_row_text(vt, vt_row_at(vt, screen, r), vt->cols) > 0)
			return r;
	}
	return -1;
}

/* A full-screen program's screen, once, as lines. */
static void
vt_snapshot_alt(struct vt *vt)
{
	int last = vt_last_written(vt, VT_ALT), r;

	for (r = 0; r < vt->alt_ngone; r++) {
		vt->ev->line(vt->ctx, vt->alt_gone[r], strlen(vt->alt_gone[r]));
		free(vt->alt_gone[r]);
	}
	vt->alt_ngone = 0;
	for (r = 0; r <= last; r++)
		vt_commit(vt, vt_row_at(vt, VT_ALT, r));
}

/* Row R scrolls off the top of the alternate screen: keep its text, up
 * to a screenful of such rows. */
static void
vt_alt_leaving(struct vt *vt, struct vt_row *r)
{
	size_t n = vt_row_text(vt, r, vt->cols);
	char *text;

	if (vt->alt_gone == NULL &&
	    (vt->alt_gone = calloc((size_t)vt->rows, sizeof *vt->alt_gone)) ==
	    NULL)
		return;
	if ((text = strndup(vt->text, n)) == NULL)
		return;
	if (vt->alt_ngone == vt->rows) {
		free(vt->alt_gone[0]);
		memmove(vt->alt_gone, vt->alt_gone + 1,
		    (size_t)(vt->rows - 1) * sizeof *vt->alt_gone);
		vt->alt_ngone--;
	}
	vt->alt_gone[vt->alt_ngone++] = text;
}

static void
vt_alt_forget(struct vt *vt)
{
	int r;

	for (r = 0; r < vt->alt_ngone; r++)
		free(vt->alt_gone[r]);
	free(vt->alt_gone);
	vt->alt_gone = NULL;
	vt->alt_ngone = 0;
}

/* --- libvterm's state callbacks ------------------------------------------ */

/* The other cells of a glyph: the marks joined to CHARS[0], which ends
 * at the first 0. */
static void
vt_put_marks(struct ansi_cell *cell, const uint32_t *chars)
{
	int k;
	bool more = chars[0] != 0;

	for (k = 0; k < ANSI_MAX_COMBINING; k++) {
		more = more && chars[k + 1] != 0;
		cell->combining[k] = more ? chars[k + 1] : 0;
	}
}

static int
vt_putglyph(VTermGlyphInfo *info, VTermPos pos, void *user)
{
	struct vt *vt = user;
	struct vt_row *r;
	struct ansi_cell *cell;

	if ((unsigned)pos.row >= (unsigned)vt->rows ||
	    (unsigned)pos.col >= (unsigned)vt->cols)
		return 1;	/* off the screen (or negative) */
	r = vt_row(vt, pos.row);
	vt_extend(r, pos.col);
	cell = &r->cells[pos.col];
	/* Called for every character of the output: the plain one is a
	 * single store. */
	if (info->chars[0] != 0 && info->chars[1] == 0 && info->width == 1) {
		*cell = (struct ansi_cell){ info->chars[0], { 0, 0 }, vt->pen, 1 };
		if (r->len <= pos.col)
			r->len = pos.col + 1;
		return 1;
	}
	cell->ch = info->chars[0] ? info->chars[0] : ' ';
	vt_put_marks(cell, info->chars);
	cell->style = vt->pen;
	cell->width = (uint8_t)(info->width > 1 ? 2 : 1);
	if (r->len < pos.col + 1)
		r->len = pos.col + 1;
	if (info->width > 1 && pos.col + 1 < vt->cols) {
		r->cells[pos.col + 1] = vt_blank;
		r->cells[pos.col + 1].ch = 0;
		r->cells[pos.col + 1].width = 0;
		r->cells[pos.col + 1].style = vt->pen;
		if (r->len < pos.col + 2)
			r->len = pos.col + 2;
	}
	return 1;
}

static int
vt_movecursor(VTermPos pos, VTermPos oldpos, int visible, void *user)
{
	struct vt *vt = user;

	(void)oldpos;
	vt->crow = pos.row;
	vt->ccol = pos.col;
	vt->cursor_visible = visible;
	return 1;
}

/* Rows [A, B) of the screen shown, in the reverse order. */
static void
vt_reverse(struct vt *vt, int a, int b)
{
	while (a < --b) {
		struct vt_row *x = vt_row(vt, a++), *y = vt_row(vt, b), t = *x;

		*x = *y;
		*y = t;
	}
}

/* Rows [TOP, BOTTOM) move up by N (down when N < 0); the rows that leave
 * are cleared and come in at the other end.  The whole screen turns its
 * ring, as a flood scrolls it once a line; a scroll region's rows are
 * rotated by three reversals. */
static void
vt_rotate(struct vt *vt, int top, int bottom, int n)
{
	int height = bottom - top, k = n > 0 ? n : -n, first, i;

	if (k >= height) {
		for (i = top; i < bottom; i++)
			vt_clear_row(vt_row(vt, i));
		return;
	}
	if (k == 0)
		return;
	if (height == vt->rows) {
		int t = vt->top[vt->cur] + (n > 0 ? k : vt->rows - k);

		vt->top[vt->cur] = t >= vt->rows ? t - vt->rows : t;
	} else {
		int mid = n > 0 ? top + k : bottom - k;

		vt_reverse(vt, top, mid);
		vt_reverse(vt, mid, bottom);
		vt_reverse(vt, top, bottom);
	}
	first = n > 0 ? bottom - k : top;
	for (i = first; i < first + k; i++)
		vt_clear_row(vt_row(vt, i));
}

/* RECT within the screen as this module has it (libvterm's idea of the
 * size can be ahead of ours if memory ran short at a resize). */
static bool
vt_fit(const struct vt *vt, VTermRect *r)
{
	if (r->start_row < 0)
		r->start_row = 0;
	if (r->start_col < 0)
		r->start_col = 0;
	if (r->end_row > vt->rows)
		r->end_row = vt->rows;
	if (r->end_col > vt->cols)
		r->end_col = vt->cols;
	return r->start_row < r->end_row && r->start_col < r->end_col;
}

static int
vt_scrollrect(VTermRect rect, int downward, int rightward, void *user)
{
	struct vt *vt = user;
	int i;

	if (!vt_fit(vt, &rect))
		return 1;
	/* Only whole rows are ours to rotate; the rest libvterm does with
	 * moverect and erase. */
	if (rightward != 0 || rect.start_col != 0 || rect.end_col != vt->cols)
		return 0;
	if (downward > 0 && rect.start_row == 0) {
		int k = downward < rect.end_row ? downward : rect.end_row;

		for (i = 0; i < k; i++) {
			if (vt->cur == VT_PRIMARY)
				vt_leaving(vt, vt_row_at(vt, VT_PRIMARY, i));
			else
				vt_alt_leaving(vt, vt_row_at(vt, VT_ALT, i));
		}
	}
	vt_rotate(vt, rect.start_row, rect.end_row, downward);
	return 1;
}

/* Make every cell of R real, so cells can be moved about. */
static void
vt_materialise(struct vt *vt, struct vt_row *r)
{
	vt_extend(r, vt->cols);
}

static int
vt_moverect(VTermRect dest, VTermRect src, void *user)
{
	struct vt *vt = user;
	int h, w, i, step, first;

	if (!vt_fit(vt, &dest) || !vt_fit(vt, &src))
		return 1;
	h = src.end_row - src.start_row < dest.end_row - dest.start_row ?
	    src.end_row - src.start_row : dest.end_row - dest.start_row;
	w = src.end_col - src.start_col < dest.end_col - dest.start_col ?
	    src.end_col - src.start_col : dest.end_col - dest.start_col;
	step = dest.start_row > src.start_row ? -1 : 1;
	first = step > 0 ? 0 : h - 1;
	for (i = first; i >= 0 && i < h; i += step) {
		struct vt_row *s = vt_row(vt, src.start_row + i);
		struct vt_row *d = vt_row(vt, dest.start_row + i);

		vt_materialise(vt, s);
		vt_materialise(vt, d);
		memmove(d->cells + dest.start_col, s->cells + src.start_col,
		    (size_t)w * sizeof *d->cells);
		if (w == vt->cols) {
			d->line = s->line;
			d->hash = s->hash;
		}
	}
	return 1;
}

static int
vt_erase(VTermRect rect, int selective, void *user)
{
	struct vt *vt = user;
	struct ansi_cell blank = vt_blank;
	bool whole;
	int r, c;

	(void)selective;
	if (!vt_fit(vt, &rect))
		return 1;
	whole = rect.start_row == 0 && rect.end_row == vt->rows &&
	    rect.start_col == 0 && rect.end_col == vt->cols;
	/* Clearing the primary screen must not lose what was on it. */
	if (whole && vt->cur == VT_PRIMARY)
		vt_flush_screen(vt);
	blank.style.bg = vt->pen.bg;	/* erased cells take the pen's ground */
	for (r = rect.start_row; r < rect.end_row; r++) {
		struct vt_row *row = vt_row(vt, r);

		if (rect.end_col >= vt->cols && blank.style.bg == ANSI_DEFAULT) {
			if (row->len > rect.start_col)
				row->len = rect.start_col;
		} else {
			vt_extend(row, rect.end_col);
			for (c = rect.start_col; c < rect.end_col; c++)
				row->cells[c] = blank;
		}
		/* A cleared screen is a new page: its rows are new lines. */
		if (whole)
			row->line = false;
	}
	return 1;
}

static int
vt_initpen(void *user)
{
	struct vt *vt = user;

	vt->pen = vt_blank.style;
	return 1;
}

static int32_t
vt_colour(const VTermColor *c, bool fg)
{
	if (fg ? VTERM_COLOR_IS_DEFAULT_FG(c) : VTERM_COLOR_IS_DEFAULT_BG(c))
		return ANSI_DEFAULT;
	if (VTERM_COLOR_IS_INDEXED(c))
		return c->indexed.idx;
	return ANSI_RGB(c->rgb.red, c->rgb.green, c->rgb.blue);
}

static void
vt_flag(struct vt *vt, uint16_t bit, bool on)
{
	if (on)
		vt->pen.attr |= bit;
	else
		vt->pen.attr &= (uint16_t)~bit;
}

static int
vt_setpenattr(VTermAttr attr, VTermValue *val, void *user)
{
	struct vt *vt = user;

	switch (attr) {
	case VTERM_ATTR_BOLD: vt_flag(vt, ANSI_BOLD, val->boolean); break;
	case VTERM_ATTR_UNDERLINE: vt_flag(vt, ANSI_UNDERLINE, val->number); break;
	case VTERM_ATTR_ITALIC: vt_flag(vt, ANSI_ITALIC, val->boolean); break;
	case VTERM_ATTR_BLINK: vt_flag(vt, ANSI_BLINK, val->boolean); break;
	case VTERM_ATTR_REVERSE: vt_flag(vt, ANSI_REVERSE, val->boolean); break;
	case VTERM_ATTR_STRIKE: vt_flag(vt, ANSI_STRIKE, val->boolean); break;
	case VTERM_ATTR_FOREGROUND: vt->pen.fg = vt_colour(&val->color, true); break;
	case VTERM_ATTR_BACKGROUND: vt->pen.bg = vt_colour(&val->color, false); break;
	default: break;
	}
	return 1;
}

/* A title without control characters: it is drawn in tend's own. */
static void
vt_set_title(struct vt *vt, const char *s)
{
	size_t i, n = 0;

	for (i = 0; s[i] != '\0' && n + 1 < sizeof vt->title; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c != 0x7f)
			vt->title[n++] = (char)c;
	}
	vt->title[n] = '\0';
}

static int
vt_settermprop(VTermProp prop, VTermValue *val, void *user)
{
	struct vt *vt = user;

	switch (prop) {
	case VTERM_PROP_ALTSCREEN:
		if ((vt->cur == VT_ALT) == !!val->boolean)
			break;
		if (val->boolean)
			vt_settle(vt);	/* what came before is output */
		else
			vt_snapshot_alt(vt);
		vt->cur = val->boolean ? VT_ALT : VT_PRIMARY;
		if (vt->ev->fullscreen != NULL)
			vt->ev->fullscreen(vt->ctx, val->boolean);
		break;
	case VTERM_PROP_TITLE:
		vt_set_title(vt, val->string);
		break;
	case VTERM_PROP_CURSORVISIBLE:
		vt->cursor_visible = val->boolean;
		break;
	case VTERM_PROP_MOUSE:
		vt->mouse = val->number;
		break;
	default:
		break;
	}
	return 1;
}

static int
vt_bell(void *user)
{
	(void)user;
	return 1;	/* a bell never reaches tend's terminal */
}

static int vt_resized(int rows, int cols, VTermPos *delta, void *user);

static int
vt_setlineinfo(int row, const VTermLineInfo *newinfo,
    const VTermLineInfo *oldinfo, void *user)
{
	(void)row;
	(void)newinfo;
	(void)oldinfo;
	(void)user;
	return 1;	/* double-width lines are drawn single */
}

static const VTermStateCallbacks vt_callbacks = {
	.putglyph = vt_putglyph,
	.movecursor = vt_movecursor,
	.scrollrect = vt_scrollrect,
	.moverect = vt_moverect,
	.erase = vt_erase,
	.initpen = vt_initpen,
	.setpenattr = vt_setpenattr,
	.settermprop = vt_settermprop,
	.bell = vt_bell,
	.resize = vt_resized,
	.setlineinfo = vt_setlineinfo,
};

static void
vt_output(const char *s, size_t len, void *user)
{
	struct vt *vt = user;

	vt->ev->reply(vt->ctx, s, len);
}

/* --- screens ------------------------------------------------------------- */

static void
vt_free_screen(struct vt_row *rows, int n)
{
	int i;

	for (i = 0; rows != NULL && i < n; i++)
		free(rows[i].cells);
	free(rows);
}

static struct vt_row *
vt_alloc_screen(int rows, int cols)
{
	struct vt_row *s = calloc((size_t)rows, sizeof *s);
	int i;

	for (i = 0; s != NULL && i < rows; i++) {
		if ((s[i].cells = malloc((size_t)cols * sizeof *s[i].cells)) ==
		    NULL) {
			vt_free_screen(s, i);
			return NULL;
		}
	}
	return s;
}

/* SCREEN at the new size in TO (a ring starting at its first row):
 * its rows from FIRST on, cut to COLS. */
static void
vt_copy_screen(const struct vt *vt, int screen, struct vt_row *to, int rows,
    int cols, int first)
{
	int i;

	for (i = 0; i < rows && first + i < vt->rows; i++) {
		const struct vt_row *f = vt_row_at(vt, screen, first + i);
		int n = f->len < cols ? f->len : cols;

		memcpy(to[i].cells, f->cells, (size_t)n * sizeof *f->cells);
		to[i].len = n;
		to[i].line = f->line;
		to[i].hash = f->hash;
	}
}

/* libvterm tells of the new size: keep the cursor's row in view (rows
 * above it that no longer fit leave the top, as a scroll would have
 * them leave). */
static int
vt_resized(int rows, int cols, VTermPos *delta, void *user)
{
	struct vt *vt = user;
	struct vt_row *s[2];
	int k, i, first = vt->crow >= rows ? vt->crow - rows + 1 : 0;

	s[0] = vt_alloc_screen(rows, cols);
	s[1] = vt_alloc_screen(rows, cols);
	if (s[0] == NULL || s[1] == NULL) {
		vt_free_screen(s[0], rows);
		vt_free_screen(s[1], rows);
		return 0;
	}
	if (vt->cur == VT_PRIMARY) {
		for (i = 0; i < first; i++)
			vt_leaving(vt, vt_row_at(vt, VT_PRIMARY, i));
	}
	for (k = 0; k < 2; k++) {
		vt_copy_screen(vt, k, s[k], rows, cols,
		    k == vt->cur ? first : 0);
		vt_free_screen(vt->screen[k], vt->rows);
		vt->screen[k] = s[k];
		vt->top[k] = 0;
	}
	delta->row = -first;
	vt_alt_forget(vt);
	vt->rows = rows;
	vt->cols = cols;
	free(vt->text);
	vt->textcap = (size_t)cols * 4 * (1 + ANSI_MAX_COMBINING) + 1;
	vt->text = malloc(vt->textcap);
	return vt->text != NULL;
}

static int
vt_clamp(int n)
{
	return n < 1 ? 1 : n > VT_MAX_SIZE ? VT_MAX_SIZE : n;
}

struct vt *
vt_new(int rows, int cols, const struct vt_events *ev, void *ctx)
{
	struct vt *vt = calloc(1, sizeof *vt);

	if (vt == NULL)
		return NULL;
	rows = vt_clamp(rows);
	cols = vt_clamp(cols);
	vt->ev = ev;
	vt->ctx = ctx;
	vt->rows = rows;
	vt->cols = cols;
	vt->pen = vt_blank.style;
	vt->cursor_visible = true;
	vt->textcap = (size_t)cols * 4 * (1 + ANSI_MAX_COMBINING) + 1;
	vt->screen[0] = vt_alloc_screen(rows, cols);
	vt->screen[1] = vt_alloc_screen(rows, cols);
	vt->text = malloc(vt->textcap);
	vt->term = vterm_new(rows, cols);
	if (vt->screen[0] == NULL || vt->screen[1] == NULL ||
	    vt->text == NULL || vt->term == NULL) {
		vt_free(vt);
		return NULL;
	}
	vterm_set_utf8(vt->term, 1);
	vterm_output_set_callback(vt->term, vt_output, vt);
	vt->state = vterm_obtain_state(vt->term);
	vterm_state_set_callbacks(vt->state, &vt_callbacks, vt);
	vterm_state_reset(vt->state, 1);
	vt->plain = true;
	return vt;
}

void
vt_free(struct vt *vt)
{
	if (vt == NULL)
		return;
	if (vt->term != NULL)
		vterm_free(vt->term);
	vt_free_screen(vt->screen[0], vt->rows);
	vt_free_screen(vt->screen[1], vt->rows);
	vt_alt_forget(vt);
	free(vt->text);
	free(vt);
}

/* --- plain output -----------------------------------------------------------
 *
 * A flood of plain lines costs libvterm a hundred instructions a
 * character.  While a program has written nothing but printable ASCII,
 * CR and LF, no escape sequence has touched the terminal's modes: no
 * scroll region, insert mode, origin mode or character set, autowrap on,
 * the pen as the reset left it.  Then a line "TEXT\r\n" that starts at
 * the left of the bottom row, shorter than the width, does exactly this
 * in libvterm: TEXT's characters go into the bottom row one column each,
 * CR goes back to its start, LF scrolls the screen up by one, and the
 * cursor ends where it began.  Such lines are done here, the same way;
 * anything else goes through libvterm. */

static bool
vt_plain_byte(unsigned char c)
{
	return (c >= 0x20 && c < 0x7f) || c == '\r' || c == '\n';
}

/* Is libvterm's cursor at the left of the bottom row of the primary
 * screen (not pending a wrap: that is only ever at the last column)? */
static bool
vt_at_bottom_left(const struct vt *vt)
{
	VTermPos pos;
	int rows, cols;

	if (!vt->plain || vt->cur != VT_PRIMARY || vt->cols < 2)
		return false;
	vterm_get_size(vt->term, &rows, &cols);
	if (rows != vt->rows || cols != vt->cols)
		return false;
	vterm_state_get_cursorpos(vt->state, &pos);
	return pos.row == vt->rows - 1 && pos.col == 0;
}

/* TEXT (N printable characters, fewer than the width) at the left of the
 * bottom row, then CR LF: what putglyph and scrollrect do for it. */
static void
vt_plain_line(struct vt *vt, const char *text, int n)
{
	struct vt_row *r = vt_row(vt, vt->rows - 1);
	VTermRect all = { .start_row = 0, .end_row = vt->rows,
	    .start_col = 0, .end_col = vt->cols };
	int c;

	for (c = 0; c < n; c++)
		r->cells[c] = (struct ansi_cell){ (unsigned char)text[c], { 0, 0 },
		    vt->pen, 1 };
	if (r->len < n)
		r->len = n;
	vt_scrollrect(all, 1, 0, vt);
}

/* The plain lines at the start of BUF done here; the bytes they took. */
static size_t
vt_plain_lines(struct vt *vt, const char *buf, size_t len)
{
	size_t done = 0, i;

	if (!vt_at_bottom_left(vt))
		return 0;
	for (;;) {
		for (i = done; i < len && i - done < (size_t)vt->cols; i++) {
			unsigned char c = (unsigned char)buf[i];

			if (c < 0x20 || c >= 0x7f)
				break;
		}
		if (i + 1 >= len || buf[i] != '\r' || buf[i + 1] != '\n' ||
		    i - done >= (size_t)vt->cols)
			return done;
		vt_plain_line(vt, buf + done, (int)(i - done));
		done = i + 2;
	}
}

/* The start of BUF through libvterm: up to its next line's end while the
 * output is plain (the line after may be done here), else all of it.
 * The bytes it took. */
static size_t
vt_through(struct vt *vt, const char *buf, size_t len)
{
	size_t i;

	for (i = 0; vt->plain && i < len; i++) {
		if (!vt_plain_byte((unsigned char)buf[i]))
			vt->plain = false;
		else if (buf[i] == '\n')
			len = i + 1;
	}
	vterm_input_write(vt->term, buf, len);
	return len;
}

void
vt_write(struct vt *vt, const char *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		done += vt_plain_lines(vt, buf + done, len - done);
		if (done < len)
			done += vt_through(vt, buf + done, len - done);
	}
	vt_settle(vt);
}

void
vt_resize(struct vt *vt, int rows, int cols)
{
	rows = vt_clamp(rows);
	cols = vt_clamp(cols);
	if (rows != vt->rows || cols != vt->cols)
		vterm_set_size(vt->term, rows, cols);
}

void
vt_finish(struct vt *vt)
{
	if (vt->cur == VT_ALT) {
		vt_snapshot_alt(vt);
		vt->cur = VT_PRIMARY;
	}
	vt_flush_screen(vt);
}

void
vt_reset(struct vt *vt)
{
	int r;

	vterm_state_reset(vt->state, 1);
	vt->plain = true;	/* the modes are the reset's again */
	for (r = 0; r < vt->rows; r++) {
		vt_clear_row(vt_row_at(vt, VT_PRIMARY, r));
		vt_clear_row(vt_row_at(vt, VT_ALT, r));
	}
	vt->cur = VT_PRIMARY;
	vt->title[0] = '\0';
	vt->mouse = 0;
	vt_alt_forget(vt);
}

/* --- drawing ------------------------------------------------------------- */

void
vt_size(const struct vt *vt, int *rows, int *cols)
{
	*rows = vt->rows;
	*cols = vt->cols;
}

const struct ansi_cell *
vt_cell(const struct vt *vt, int row, int col)
{
	const struct vt_row *r;

	if (row < 0 || row >= vt->rows || col < 0 || col >= vt->cols)
		return &vt_blank;
	r = vt_row(vt, row);
	return col < r->len ? &r->cells[col] : &vt_blank;
}

const struct ansi_cell *
vt_row_cells(const struct vt *vt, int row, int *len)
{
	const struct vt_row *r;

	*len = 0;
	if (row < 0 || row >= vt->rows)
		return NULL;
	r = vt_row(vt, row);
	*len = r->len;
	return r->cells;
}

bool
vt_cursor(const struct vt *vt, int *row, int *col)
{
	*row = vt->crow;
	*col = vt->ccol;
	return vt->cursor_visible;
}

const char *
vt_title(const struct vt *vt)
{
	return vt->title;
}

bool
vt_fullscreen(const struct vt *vt)
{
	return vt->cur == VT_ALT;
}

size_t
vt_cursor_row(const struct vt *vt, char *buf, size_t size)
{
	struct vt *w = (struct vt *)vt;	/* the scratch buffer only */
	size_t n;

	if (vt->crow < 0 || vt->crow >= vt->rows)
		return 0;
	n = vt_row_text(w, vt_row(vt, vt->crow), vt->cols);
	if (n >= size)
		n = size - 1;
	memcpy(buf, w->text, n);
	buf[n] = '\0';
	return n;
}

/* --- input --------------------------------------------------------------- */

static VTermModifier
vt_mods(int mods)
{
	return (VTermModifier)(((mods & VT_MOD_SHIFT) ? VTERM_MOD_SHIFT : 0) |
	    ((mods & VT_MOD_ALT) ? VTERM_MOD_ALT : 0) |
	    ((mods & VT_MOD_CTRL) ? VTERM_MOD_CTRL : 0));
}

void
vt_key(struct vt *vt, enum vt_key key, int mods)
{
	static const VTermKey map[] = {
		[VT_KEY_ENTER] = VTERM_KEY_ENTER, [VT_KEY_TAB] = VTERM_KEY_TAB,
		[VT_KEY_BACKSPACE] = VTERM_KEY_BACKSPACE,
		[VT_KEY_ESCAPE] = VTERM_KEY_ESCAPE, [VT_KEY_UP] = VTERM_KEY_UP,
		[VT_KEY_DOWN] = VTERM_KEY_DOWN, [VT_KEY_LEFT] = VTERM_KEY_LEFT,
		[VT_KEY_RIGHT] = VTERM_KEY_RIGHT, [VT_KEY_INS] = VTERM_KEY_INS,
		[VT_KEY_DEL] = VTERM_KEY_DEL, [VT_KEY_HOME] = VTERM_KEY_HOME,
		[VT_KEY_END] = VTERM_KEY_END, [VT_KEY_PAGEUP] = VTERM_KEY_PAGEUP,
		[VT_KEY_PAGEDOWN] = VTERM_KEY_PAGEDOWN,
	};

	if (key >= VT_KEY_F1 && key < VT_KEY_F1 + 12)
		vterm_keyboard_key(vt->term,
		    (VTermKey)VTERM_KEY_FUNCTION(key - VT_KEY_F1 + 1), vt_mods(mods));
	else if (key > VT_KEY_NONE && key < (int)(sizeof map / sizeof map[0]))
		vterm_keyboard_key(vt->term, map[key], vt_mods(mods));
}

void
vt_char(struct vt *vt, uint32_t ch, int mods)
{
	vterm_keyboard_unichar(vt->term, ch, vt_mods(mods));
}

void
vt_paste(struct vt *vt, bool start)
{
	if (start)
		vterm_keyboard_start_paste(vt->term);
	else
		vterm_keyboard_end_paste(vt->term);
}

bool
vt_wants_mouse(const struct vt *vt)
{
	return vt->mouse != VTERM_PROP_MOUSE_NONE;
}

void
vt_mouse(struct vt *vt, int row, int col, int button, bool pressed)
{
	vterm_mouse_move(vt->term, row, col, VTERM_MOD_NONE);
	vterm_mouse_button(vt->term, button, pressed, VTERM_MOD_NONE);
}
