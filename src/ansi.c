/*
 * ansi: owns the translation of a child's raw output bytes into cells that
 * are safe to draw, and the colour reductions the UI needs for terminals
 * with fewer colours.
 *
 * Bytes go through two stages.  A UTF-8 decoder turns them into code
 * points (an invalid sequence becomes one U+FFFD per maximal subpart, as
 * Unicode recommends), then a VT500-style state machine decides what each
 * code point does: print, move the cursor within the line, change the SGR
 * style, or vanish inside an escape sequence.  Only SGR is obeyed; every
 * other sequence is parsed just far enough to know where it ends, and no
 * state grows with the input, so an endless sequence costs nothing but time.
 *
 * C1 controls: a raw byte 0x80..0x9F is not UTF-8 and so shows as U+FFFD
 * like any stray continuation byte.  A UTF-8 encoded C1 (U+0080..U+009F) is
 * never shown and never starts a sequence: it is far more often mojibake
 * (cp1252 text decoded as Latin-1) than a real CSI, and U+0098 or U+009E
 * would otherwise swallow the rest of the line.  It does end a sequence in
 * progress, so an OSC closed by an encoded ST (U+009C) still ends there.
 */
#define _GNU_SOURCE		/* wcwidth */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "ansi.h"

#define ANSI_LINE_LIMIT 65536	/* cells in a line whose max is 0 */
#define ANSI_LINE_FIRST 64	/* cells allocated for a new line */
#define ANSI_PARAM_MAX 65535	/* a larger CSI parameter is clamped */
#define ANSI_NPARAMS 16		/* == the size of ansi_parser.params */
#define ANSI_REPLACEMENT 0xfffd

/* Parser states (ansi_parser.state, low byte). */
enum {
	ANSI_S_GROUND,
	ANSI_S_ESC,
	ANSI_S_ESC_INTER,
	ANSI_S_CSI_PARAM,
	ANSI_S_CSI_INTER,
	ANSI_S_CSI_IGNORE,
	ANSI_S_OSC,
	ANSI_S_STRING,		/* DCS, SOS, PM, APC: all end at ST */
};
#define ANSI_S_MASK 0xff
/* The last character did not fit in the line, so a combining mark that
 * follows it must not land on the character before. */
#define ANSI_S_DROPPED 0x100

static const struct ansi_style ansi_default_style = {
	ANSI_DEFAULT, ANSI_DEFAULT, 0
};

/* ---- the line ---------------------------------------------------------- */

static size_t
ansi_limit(const struct ansi_line *line)
{
	return line->max != 0 ? line->max : ANSI_LINE_LIMIT;
}

/* Room for NEED cells, growing geometrically; -1 if memory ran out. */
static int
ansi_reserve(struct ansi_line *line, size_t need)
{
	struct ansi_cell *cells;
	size_t cap;

	if (need <= line->cap)
		return 0;
	cap = line->cap != 0 ? line->cap : ANSI_LINE_FIRST;
	while (cap < need && cap <= SIZE_MAX / 2)
		cap *= 2;
	if (cap < need)
		cap = need;
	if (cap > ansi_limit(line) && need <= ansi_limit(line))
		cap = ansi_limit(line);
	if (cap > SIZE_MAX / sizeof *cells)
		return -1;
	cells = realloc(line->cells, cap * sizeof *cells);
	if (cells == NULL)
		return -1;
	line->cells = cells;
	line->cap = cap;
	return 0;
}

static void
ansi_blank(struct ansi_cell *c, const struct ansi_style *style)
{
	struct ansi_style st = *style;	/* STYLE may point into C */

	memset(c, 0, sizeof *c);
	c->ch = ' ';
	c->width = 1;
	c->style = st;
}

/* Cells AT..END-1 are about to be overwritten: a wide character only
 * partly covered would leave half of itself behind, and a lone half is
 * not drawable, so the half that survives becomes a space. */
static void
ansi_unsplit(struct ansi_line *line, size_t at, size_t end)
{
	struct ansi_cell *c = line->cells;

	if (at > 0 && at < line->len && c[at].width == 0)
		ansi_blank(&c[at - 1], &c[at - 1].style);
	if (end < line->len && c[end].width == 0)
		ansi_blank(&c[end], &c[end].style);
}

/* Write a character WIDTH (1 or 2) columns wide at the cursor. */
static void
ansi_put(struct ansi_parser *p, struct ansi_line *line, uint32_t ch,
    int width, const struct ansi_style *style)
{
	size_t at = line->cursor, end = at + (size_t)width;
	struct ansi_cell *c;

	if (end > ansi_limit(line) || ansi_reserve(line, end) < 0) {
		p->state |= ANSI_S_DROPPED;
		return;
	}
	ansi_unsplit(line, at, end);
	c = &line->cells[at];
	memset(c, 0, sizeof *c * (size_t)width);
	c[0].ch = ch;
	c[0].width = (uint8_t)width;
	c[0].style = *style;
	if (width == 2)
		c[1].style = *style;	/* the right half: ch 0, width 0 */
	if (end > line->len)
		line->len = end;
	line->cursor = end;
	p->state &= ~ANSI_S_DROPPED;
}

/* Write N printable ASCII characters at once: the common case, and the
 * same as N calls of ansi_put(). */
static void
ansi_put_ascii(struct ansi_parser *p, struct ansi_line *line,
    const unsigned char *s, size_t n)
{
	size_t at = line->cursor, room, i;
	struct ansi_cell *c;

	room = ansi_limit(line) > at ? ansi_limit(line) - at : 0;
	if (n > room) {
		n = room;
		p->state |= ANSI_S_DROPPED;
	} else {
		p->state &= ~ANSI_S_DROPPED;
	}
	if (n == 0 || ansi_reserve(line, at + n) < 0)
		return;
	ansi_unsplit(line, at, at + n);
	c = &line->cells[at];
	for (i = 0; i < n; i++) {
		memset(&c[i], 0, sizeof c[i]);
		c[i].ch = s[i];
		c[i].width = 1;
		c[i].style = p->style;
	}
	if (at + n > line->len)
		line->len = at + n;
	line->cursor = at + n;
}

/* A tab moves to the next stop without touching the cells it passes, as
 * on a terminal; past the end of the line it leaves unstyled blanks. */
static void
ansi_tab(struct ansi_line *line)
{
	size_t stop = (line->cursor / 8 + 1) * 8, i;

	if (stop > ansi_limit(line))
		stop = ansi_limit(line);
	if (stop <= line->cursor)
		return;
	if (stop > line->len) {
		if (ansi_reserve(line, stop) < 0)
			return;
		for (i = line->len; i < stop; i++)
			ansi_blank(&line->cells[i], &ansi_default_style);
		line->len = stop;
	}
	line->cursor = stop;
}

/* A zero-width mark joins the cell before the cursor (the left half, if
 * that is a wide character). */
static void
ansi_combine(struct ansi_parser *p, struct ansi_line *line, uint32_t cp)
{
	struct ansi_cell *c;
	int i;

	if ((p->state & ANSI_S_DROPPED) || line->cursor == 0)
		return;
	c = &line->cells[line->cursor - 1];
	if (c->width == 0 && line->cursor >= 2)
		c--;
	for (i = 0; i < ANSI_MAX_COMBINING; i++) {
		if (c->combining[i] == 0) {
			c->combining[i] = cp;
			return;
		}
	}
}

void
ansi_line_clear(struct ansi_line *line)
{
	line->len = 0;
	line->cursor = 0;
}

void
ansi_line_free(struct ansi_line *line)
{
	free(line->cells);
	line->cells = NULL;
	line->len = line->cap = line->cursor = 0;
}

/* ---- printing and C0 controls ---------------------------------------- */

/* Bidi formatting characters have width 0 but would reorder the rest of
 * the screen row on a terminal that does bidi, so they are dropped. */
static bool
ansi_is_bidi(uint32_t cp)
{
	return cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

static void
ansi_print(struct ansi_parser *p, struct ansi_line *line, uint32_t cp)
{
	int w;

	if (cp < 0x7f) {
		ansi_put(p, line, cp, 1, &p->style);
		return;
	}
	if (ansi_is_bidi(cp))
		return;
	w = wcwidth((wchar_t)cp);
	if (w == 0) {
		ansi_combine(p, line, cp);
		return;
	}
	if (w < 0 || w > 2) {
		cp = ANSI_REPLACEMENT;
		w = 1;
	}
	ansi_put(p, line, cp, w, &p->style);
}

/* A C0 control or DEL: the few that move within a line do so, the rest
 * show as their control picture, marked so the UI can tone them down. */
static void
ansi_control(struct ansi_parser *p, struct ansi_line *line, uint32_t c)
{
	struct ansi_style st;

	switch (c) {
	case '\t':
		ansi_tab(line);
		break;
	case '\r':
		line->cursor = 0;
		break;
	case '\b':
		if (line->cursor > 0)
			line->cursor--;
		break;
	default:
		st = p->style;
		st.attr |= ANSI_CONTROL;
		ansi_put(p, line, c == 0x7f ? 0x2421 : 0x2400 + c, 1, &st);
		return;
	}
	p->state &= ~ANSI_S_DROPPED;
}

/* ---- SGR --------------------------------------------------------------- */

/* An extended colour (the arguments after 38, 48 or 58) in ARGS[0..N-1]
 * as an ansi.h colour: 5;n, 2;r;g;b, or with ':' 2:cs:r:g:b.  Returns
 * how many arguments it used, or -1 if the rest of the list cannot be
 * trusted. */
static int
ansi_sgr_colour(const uint32_t *a, unsigned n, bool colon, int32_t *out)
{
	unsigned rgb;

	*out = -2;
	if (n < 1)
		return -1;
	if (a[0] == 5) {
		if (n < 2)
			return -1;
		if (a[1] <= 255)
			*out = (int32_t)a[1];
		return 2;
	}
	if (a[0] != 2)
		return -1;
	rgb = colon && n >= 5 ? 2 : 1;	/* skip a colour-space id */
	if (n < rgb + 3)
		return -1;
	if (a[rgb] <= 255 && a[rgb + 1] <= 255 && a[rgb + 2] <= 255)
		*out = ANSI_RGB((int32_t)a[rgb], (int32_t)a[rgb + 1],
		    (int32_t)a[rgb + 2]);
	return (int)rgb + 3;
}

static void
ansi_sgr_set_colour(struct ansi_style *st, uint32_t code, int32_t colour)
{
	if (colour == -2)
		return;
	if (code == 38)
		st->fg = colour;
	else if (code == 48)
		st->bg = colour;
	/* 58 (underline colour) is parsed only to be skipped */
}

/* A parameter with ':' sub-parameters SUB[0..NSUB-1]: only underline
 * styles and extended colours are known; anything else is ignored. */
static void
ansi_sgr_sub(struct ansi_style *st, uint32_t code, const uint32_t *sub,
    unsigned nsub)
{
	int32_t colour;

	if (code == 4 && sub[0] == 0)
		st->attr &= ~ANSI_UNDERLINE;
	else if (code == 4 && sub[0] <= 5)
		st->attr |= ANSI_UNDERLINE;
	else if (code == 38 || code == 48 || code == 58) {
		if (ansi_sgr_colour(sub, nsub, true, &colour) >= 0)
			ansi_sgr_set_colour(st, code, colour);
	}
}

/* Attribute codes: the bits each one sets and clears. */
static bool
ansi_sgr_attr(struct ansi_style *st, uint32_t code)
{
	static const struct {
		uint8_t code;
		uint8_t set, clear;
	} map[] = {
		{ 1, ANSI_BOLD, 0 }, { 2, ANSI_DIM, 0 }, { 3, ANSI_ITALIC, 0 },
		{ 4, ANSI_UNDERLINE, 0 }, { 5, ANSI_BLINK, 0 },
		{ 6, ANSI_BLINK, 0 }, { 7, ANSI_REVERSE, 0 },
		{ 9, ANSI_STRIKE, 0 }, { 21, ANSI_UNDERLINE, 0 },
		{ 22, 0, ANSI_BOLD | ANSI_DIM }, { 23, 0, ANSI_ITALIC },
		{ 24, 0, ANSI_UNDERLINE }, { 25, 0, ANSI_BLINK },
		{ 27, 0, ANSI_REVERSE }, { 29, 0, ANSI_STRIKE },
	};
	size_t i;

	for (i = 0; i < sizeof map / sizeof map[0]; i++) {
		if (map[i].code == code) {
			st->attr = (uint16_t)((st->attr | map[i].set) &
			    ~map[i].clear);
			return true;
		}
	}
	return false;
}

/* The code PARAMS[I], without ':' sub-parameters, and the ';' arguments
 * it takes; returns the index of the next code. */
static unsigned
ansi_sgr_code(struct ansi_style *st, const uint32_t *params, unsigned i,
    unsigned n)
{
	uint32_t code = params[i];
	int32_t colour;
	int used;

	if (ansi_sgr_attr(st, code))
		return i + 1;
	if (code == 0) {
		*st = ansi_default_style;
	} else if (code >= 30 && code <= 37) {
		st->fg = (int32_t)(code - 30);
	} else if (code >= 90 && code <= 97) {
		st->fg = (int32_t)(code - 90 + 8);
	} else if (code >= 40 && code <= 47) {
		st->bg = (int32_t)(code - 40);
	} else if (code >= 100 && code <= 107) {
		st->bg = (int32_t)(code - 100 + 8);
	} else if (code == 39) {
		st->fg = ANSI_DEFAULT;
	} else if (code == 49) {
		st->bg = ANSI_DEFAULT;
	} else if (code == 38 || code == 48 || code == 58) {
		used = ansi_sgr_colour(params + i + 1, n - i - 1, false,
		    &colour);
		if (used < 0)
			return n;
		ansi_sgr_set_colour(st, code, colour);
		return i + 1 + (unsigned)used;
	}
	return i + 1;
}

static void
ansi_sgr(struct ansi_parser *p)
{
	unsigned n = p->nparams < ANSI_NPARAMS ? p->nparams : ANSI_NPARAMS;
	unsigned i = 0, j;

	if (n == 0)
		p->style = ansi_default_style;
	while (i < n) {
		for (j = i; j + 1 < n && p->sub[j]; j++)
			;
		if (j > i) {
			ansi_sgr_sub(&p->style, p->params[i], p->params + i + 1,
			    j - i);
			i = j + 1;
		} else {
			i = ansi_sgr_code(&p->style, p->params, i, n);
		}
	}
}

/* ---- the state machine ------------------------------------------------ */

static void
ansi_set_state(struct ansi_parser *p, int state)
{
	p->state = state | (p->state & ANSI_S_DROPPED);
}

static void
ansi_enter(struct ansi_parser *p, int state)
{
	ansi_set_state(p, state);
	p->intermediate = 0;
	if (state == ANSI_S_CSI_PARAM) {
		p->nparams = 0;
		memset(p->params, 0, sizeof p->params);
		memset(p->sub, 0, sizeof p->sub);
	}
}

/* What acts in every state, as on a VT: ESC starts over, CAN, SUB and
 * C1 controls abort a sequence.  Returns whether CP was handled. */
static bool
ansi_anywhere(struct ansi_parser *p, uint32_t cp)
{
	if (cp == 0x1b) {
		ansi_enter(p, ANSI_S_ESC);
		return true;
	}
	if (cp == 0x18 || cp == 0x1a) {
		if ((p->state & ANSI_S_MASK) == ANSI_S_GROUND)
			return false;	/* shown as a control picture */
		ansi_enter(p, ANSI_S_GROUND);
		return true;
	}
	if (cp >= 0x80 && cp <= 0x9f) {
		ansi_enter(p, ANSI_S_GROUND);	/* see the top of the file */
		return true;
	}
	return false;
}

static void
ansi_ground(struct ansi_parser *p, struct ansi_line *line, uint32_t cp)
{
	if (cp < 0x20 || cp == 0x7f)
		ansi_control(p, line, cp);
	else
		ansi_print(p, line, cp);
}

/* A sequence cut short by a printable non-ASCII character: the character
 * is text, so it shows rather than vanishes. */
static void
ansi_abandon(struct ansi_parser *p, struct ansi_line *line, uint32_t cp)
{
	ansi_enter(p, ANSI_S_GROUND);
	ansi_ground(p, line, cp);
}

static void
ansi_esc(struct ansi_parser *p, struct ansi_line *line, uint32_t cp)
{
	if (cp < 0x20) {
		ansi_control(p, line, cp);
	} else if (cp <= 0x2f) {
		p->intermediate = (char)cp;
		ansi_set_state(p, ANSI_S_ESC_INTER);
	} else if (cp == '[') {
		ansi_enter(p, ANSI_S_CSI_PARAM);
	} else if (cp == ']') {
		ansi_enter(p, ANSI_S_OSC);
	} else if (cp == 'P' || cp == 'X' || cp == '^' || cp == '_') {
		ansi_enter(p, ANSI_S_STRING);
	} else if (cp < 0x7f) {
		ansi_enter(p, ANSI_S_GROUND);	/* ESC 7, ESC c, ST... */
	} else if (cp > 0x7f) {
		ansi_abandon(p, line, cp);
	}
}

/* ESC, intermediates (ESC ( B, ESC # 8...), then one final byte. */
static void
ansi_esc_inter(struct ansi_parser *p, struct ansi_line *line, uint32_t cp)
{
	if (cp < 0x20)
		ansi_control(p, line, cp);
	else if (cp >= 0x30 && cp < 0x7f)
		ansi_enter(p, ANSI_S_GROUND);
	else if (cp > 0x7f)
		ansi_abandon(p, line, cp);
}

static void
ansi_csi_digit(struct ansi_parser *p, uint32_t d)
{
	uint32_t *v;

	if (p->nparams > ANSI_NPARAMS)
		return;		/* past the parameters kept */
	if (p->nparams == 0)
		p->nparams = 1;
	v = &p->params[p->nparams - 1];
	*v = *v * 10 + d;
	if (*v > ANSI_PARAM_MAX)
		*v = ANSI_PARAM_MAX;
}

/* ';' starts a parameter, ':' a sub-parameter of the current one; an
 * empty parameter is 0.  Past ANSI_NPARAMS, nparams stays one over the
 * limit and everything is dropped. */
static void
ansi_csi_separator(struct ansi_parser *p, uint32_t cp)
{
	if (p->nparams == 0)
		p->nparams = 1;
	if (p->nparams >= ANSI_NPARAMS) {
		p->nparams = ANSI_NPARAMS + 1;
		return;
	}
	if (cp == ':')
		p->sub[p->nparams - 1] = 1;
	p->nparams++;
}

static void
ansi_csi_dispatch(struct ansi_parser *p, uint32_t final)
{
	bool sgr = final == 'm' && p->intermediate == 0;

	ansi_enter(p, ANSI_S_GROUND);
	if (sgr)
		ansi_sgr(p);
}

static void
ansi_csi_param(struct ansi_parser *p, struct ansi_line *line, uint32_t cp)
{
	if (cp < 0x20) {
		ansi_control(p, line, cp);
	} else if (cp >= '0' && cp <= '9') {
		ansi_csi_digit(p, cp - '0');
	} else if (cp == ';' || cp == ':') {
		ansi_csi_separator(p, cp);
	} else if (cp >= 0x3c && cp <= 0x3f) {
		/* a private marker is only one when it comes first */
		if (p->nparams == 0 && p->intermediate == 0)
			p->intermediate = (char)cp;
		else
			ansi_set_state(p, ANSI_S_CSI_IGNORE);
	} else if (cp <= 0x2f) {
		if (p->intermediate == 0)
			p->intermediate = (char)cp;
		ansi_set_state(p, ANSI_S_CSI_INTER);
	} else if (cp < 0x7f) {
		ansi_csi_dispatch(p, cp);
	} else if (cp > 0x7f) {
		ansi_set_state(p, ANSI_S_CSI_IGNORE);
	}
}

static void
ansi_csi_inter(struct ansi_parser *p, struct ansi_line *line, uint32_t cp)
{
	if (cp < 0x20)
		ansi_control(p, line, cp);
	else if (cp <= 0x2f)
		return;
	else if (cp >= 0x40 && cp < 0x7f)
		ansi_csi_dispatch(p, cp);	/* never SGR: has intermediates */
	else if (cp != 0x7f)
		ansi_set_state(p, ANSI_S_CSI_IGNORE);
}

/* A malformed CSI: swallowed up to its final byte. */
static void
ansi_csi_ignore(struct ansi_parser *p, struct ansi_line *line, uint32_t cp)
{
	if (cp < 0x20)
		ansi_control(p, line, cp);
	else if (cp >= 0x40 && cp < 0x7f)
		ansi_enter(p, ANSI_S_GROUND);
}

/* One decoded code point through the state machine. */
static void
ansi_code(struct ansi_parser *p, struct ansi_line *line, uint32_t cp)
{
	if (ansi_anywhere(p, cp))
		return;
	switch (p->state & ANSI_S_MASK) {
	case ANSI_S_GROUND:
		ansi_ground(p, line, cp);
		break;
	case ANSI_S_ESC:
		ansi_esc(p, line, cp);
		break;
	case ANSI_S_ESC_INTER:
		ansi_esc_inter(p, line, cp);
		break;
	case ANSI_S_CSI_PARAM:
		ansi_csi_param(p, line, cp);
		break;
	case ANSI_S_CSI_INTER:
		ansi_csi_inter(p, line, cp);
		break;
	case ANSI_S_CSI_IGNORE:
		ansi_csi_ignore(p, line, cp);
		break;
	case ANSI_S_OSC:
		/* xterm ends an OSC with BEL as well as ST (ESC \) */
		if (cp == 0x07)
			ansi_enter(p, ANSI_S_GROUND);
		break;
	default:		/* ANSI_S_STRING: only ST, CAN, SUB end it */
		break;
	}
}

/* ---- UTF-8 ------------------------------------------------------------- */

static void
ansi_utf8_reset(struct ansi_parser *p)
{
	p->utf8_cp = 0;
	p->utf8_need = 0;
	p->utf8_len = 0;
}

/* Whether B continues the pending sequence.  The second byte's range
 * depends on the lead so that overlong forms, surrogates and values past
 * U+10FFFF are refused at the first byte that proves them wrong. */
static bool
ansi_utf8_continues(const struct ansi_parser *p, unsigned char b)
{
	if (b < 0x80 || b > 0xbf)
		return false;
	if (p->utf8_len != 1)
		return true;
	switch (p->utf8_bytes[0]) {
	case 0xe0:
		return b >= 0xa0;
	case 0xed:
		return b <= 0x9f;
	case 0xf0:
		return b >= 0x90;
	case 0xf4:
		return b <= 0x8f;
	default:
		return true;
	}
}

static void
ansi_utf8_start(struct ansi_parser *p, struct ansi_line *line,
    unsigned char b)
{
	if (b < 0x80) {
		ansi_code(p, line, b);
		return;
	}
	if (b >= 0xc2 && b <= 0xdf) {
		p->utf8_need = 1;
		p->utf8_cp = b & 0x1f;
	} else if (b >= 0xe0 && b <= 0xef) {
		p->utf8_need = 2;
		p->utf8_cp = b & 0x0f;
	} else if (b >= 0xf0 && b <= 0xf4) {
		p->utf8_need = 3;
		p->utf8_cp = b & 0x07;
	} else {
		ansi_code(p, line, ANSI_REPLACEMENT);
		return;
	}
	p->utf8_bytes[0] = b;
	p->utf8_len = 1;
}

static void
ansi_utf8_byte(struct ansi_parser *p, struct ansi_line *line,
    unsigned char b)
{
	uint32_t cp;

	if (p->utf8_need == 0) {
		ansi_utf8_start(p, line, b);
		return;
	}
	if (!ansi_utf8_continues(p, b)) {
		/* the maximal subpart so far is one U+FFFD; B starts anew */
		ansi_utf8_reset(p);
		ansi_code(p, line, ANSI_REPLACEMENT);
		ansi_utf8_start(p, line, b);
		return;
	}
	p->utf8_cp = p->utf8_cp << 6 | (b & 0x3f);
	p->utf8_bytes[p->utf8_len++] = b;
	if (--p->utf8_need == 0) {
		cp = p->utf8_cp;
		ansi_utf8_reset(p);
		ansi_code(p, line, cp);
	}
}

/* ---- public entry points ----------------------------------------------- */

void
ansi_parser_init(struct ansi_parser *p)
{
	memset(p, 0, sizeof *p);
	p->state = ANSI_S_GROUND;
	p->style = ansi_default_style;
}

void
ansi_feed(struct ansi_parser *p, struct ansi_line *line, const char *buf,
    size_t len)
{
	const unsigned char *s = (const unsigned char *)buf;
	size_t i = 0, j;

	while (i < len) {
		/* most output is plain ASCII text: skip the machinery */
		if (p->utf8_need == 0 &&
		    (p->state & ANSI_S_MASK) == ANSI_S_GROUND) {
			for (j = i; j < len && s[j] >= 0x20 && s[j] < 0x7f; j++)
				;
			if (j > i) {
				ansi_put_ascii(p, line, s + i, j - i);
				i = j;
				continue;
			}
		}
		ansi_utf8_byte(p, line, s[i++]);
	}
}

void
ansi_finish(struct ansi_parser *p, struct ansi_line *line)
{
	if (p->utf8_need != 0) {
		ansi_utf8_reset(p);
		ansi_code(p, line, ANSI_REPLACEMENT);
	}
}

void
ansi_render(struct ansi_line *line, const char *text, size_t len)
{
	struct ansi_parser p;

	ansi_line_clear(line);
	ansi_parser_init(&p);
	ansi_feed(&p, line, text, len);
	ansi_finish(&p, line);
}

/* ---- plain text -------------------------------------------------------- */

static size_t
ansi_utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Append CP to OUT if it fits whole (a NUL must still fit after it). */
static bool
ansi_plain_put(uint32_t cp, char *out, size_t size, size_t *at)
{
	char enc[4];
	size_t n = ansi_utf8_encode(cp, enc);

	if (*at + n >= size)
		return false;
	memcpy(out + *at, enc, n);
	*at += n;
	return true;
}

size_t
ansi_plain(const char *text, size_t len, char *out, size_t size)
{
	/* every visible cell takes at least one byte, so cells past SIZE
	 * could never be written */
	struct ansi_line line = { .max = size < ANSI_LINE_LIMIT ? size : 0 };
	size_t at = 0, i;
	int k;

	if (size == 0)
		return 0;
	ansi_render(&line, text, len);
	for (i = 0; i < line.len; i++) {
		const struct ansi_cell *c = &line.cells[i];

		if (c->width == 0)
			continue;
		if (!ansi_plain_put(c->ch, out, size, &at))
			break;
		for (k = 0; k < ANSI_MAX_COMBINING && c->combining[k]; k++)
			if (!ansi_plain_put(c->combining[k], out, size, &at))
				break;
	}
	out[at] = '\0';
	ansi_line_free(&line);
	return at;
}

/* ---- colour reduction -------------------------------------------------- */

/* The xterm defaults for the 16 basic colours. */
static const unsigned char ansi_basic_rgb[16][3] = {
	{ 0, 0, 0 }, { 205, 0, 0 }, { 0, 205, 0 }, { 205, 205, 0 },
	{ 0, 0, 238 }, { 205, 0, 205 }, { 0, 205, 205 }, { 229, 229, 229 },
	{ 127, 127, 127 }, { 255, 0, 0 }, { 0, 255, 0 }, { 255, 255, 0 },
	{ 92, 92, 255 }, { 255, 0, 255 }, { 0, 255, 255 }, { 255, 255, 255 },
};

/* The six levels of each axis of the 6x6x6 cube (indexes 16..231). */
static const int ansi_cube_level[6] = { 0, 95, 135, 175, 215, 255 };

static int
ansi_dist2(int r1, int g1, int b1, int r2, int g2, int b2)
{
	return (r1 - r2) * (r1 - r2) + (g1 - g2) * (g1 - g2) +
	    (b1 - b2) * (b1 - b2);
}

static int
ansi_clamp8(int v)
{
	return v < 0 ? 0 : v > 255 ? 255 : v;
}

/* The cube level nearest to V (the levels are not evenly spaced). */
static int
ansi_cube_index(int v)
{
	int i, best = 0;

	for (i = 1; i < 6; i++)
		if (abs(ansi_cube_level[i] - v) < abs(ansi_cube_level[best] - v))
			best = i;
	return best;
}

int
ansi_rgb_to_256(int r, int g, int b)
{
	int ri, gi, bi, grey, gv, cube_d, grey_d;

	r = ansi_clamp8(r);
	g = ansi_clamp8(g);
	b = ansi_clamp8(b);
	ri = ansi_cube_index(r);
	gi = ansi_cube_index(g);
	bi = ansi_cube_index(b);
	cube_d = ansi_dist2(r, g, b, ansi_cube_level[ri], ansi_cube_level[gi],
	    ansi_cube_level[bi]);
	/* the ramp is 8, 18, ..., 238 */
	grey = ((r + g + b) / 3 - 3) / 10;
	grey = grey < 0 ? 0 : grey > 23 ? 23 : grey;
	gv = 8 + 10 * grey;
	grey_d = ansi_dist2(r, g, b, gv, gv, gv);
	if (grey_d < cube_d)
		return 232 + grey;
	return 16 + 36 * ri + 6 * gi + bi;
}

/* The colour of palette INDEX 16..255. */
static void
ansi_256_rgb(int index, int rgb[3])
{
	int i;

	if (index >= 232) {
		rgb[0] = rgb[1] = rgb[2] = 8 + 10 * (index - 232);
		return;
	}
	i = index - 16;
	rgb[0] = ansi_cube_level[i / 36];
	rgb[1] = ansi_cube_level[i / 6 % 6];
	rgb[2] = ansi_cube_level[i % 6];
}

/* The nearest of basic colours 0..N-1 to palette INDEX 16..255. */
static int
ansi_nearest_basic(int index, int n)
{
	int rgb[3], i, d, best = 0, best_d = -1;

	ansi_256_rgb(index, rgb);
	for (i = 0; i < n; i++) {
		d = ansi_dist2(rgb[0], rgb[1], rgb[2], ansi_basic_rgb[i][0],
		    ansi_basic_rgb[i][1], ansi_basic_rgb[i][2]);
		if (best_d < 0 || d < best_d) {
			best = i;
			best_d = d;
		}
	}
	return best;
}

int
ansi_256_to_16(int index)
{
	if (index < 0 || index > 255)
		return ANSI_DEFAULT;
	if (index < 16)
		return index;
	return ansi_nearest_basic(index, 16);
}

int
ansi_256_to_8(int index)
{
	if (index < 0 || index > 255)
		return ANSI_DEFAULT;
	if (index < 16)
		return index & 7;
	return ansi_nearest_basic(index, 8);
}
