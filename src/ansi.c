/*
 * ansi: owns the streaming parser that turns a child's raw output bytes
 * into cells that are safe to draw.
 *
 * Bytes go through two stages.  A UTF-8 decoder turns them into code
 * points (an invalid sequence becomes one U+FFFD per maximal subpart, as
 * Unicode recommends), then a VT500-style state machine decides what each
 * code point does: print, move the cursor within the line, change the SGR
 * style, or vanish inside an escape sequence.  Only SGR is obeyed (sgr.c
 * says what its parameters mean; ansiline.c holds the cells); every other
 * sequence is parsed just far enough to know where it ends, and no state
 * grows with the input, so an endless sequence costs nothing but time.
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
#include "sgr.h"

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

/* ---- writing to the line ---------------------------------------------- */

/* Keep whether the last character written fitted: see ANSI_S_DROPPED. */
static void
ansi_fitted(struct ansi_parser *p, bool fits)
{
	if (fits)
		p->state &= ~ANSI_S_DROPPED;
	else
		p->state |= ANSI_S_DROPPED;
}

static void
ansi_put(struct ansi_parser *p, struct ansi_line *line, uint32_t ch,
    int width, const struct ansi_style *style)
{
	ansi_fitted(p, ansi_line_put(line, ch, width, style));
}

/* A zero-width mark: it joins the character before, unless that one was
 * dropped. */
static void
ansi_combine(struct ansi_parser *p, struct ansi_line *line, uint32_t cp)
{
	if (!(p->state & ANSI_S_DROPPED))
		ansi_line_combine(line, cp);
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
		ansi_line_tab(line);
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

/* Past ANSI_NPARAMS, nparams is one over the limit: the rest was
 * dropped. */
static void
ansi_sgr(struct ansi_parser *p)
{
	sgr_apply(&p->style, p->params, p->sub,
	    p->nparams < ANSI_NPARAMS ? p->nparams : ANSI_NPARAMS);
}

/* SGR sets the style; CSI K erases within the line (the progress idiom
 * "\r<text>\e[K" then leaves no remnant); every other sequence is
 * consumed. */
static void
ansi_csi_dispatch(struct ansi_parser *p, struct ansi_line *line,
    uint32_t final)
{
	bool plain = p->intermediate == 0;

	ansi_enter(p, ANSI_S_GROUND);
	if (plain && final == 'm')
		ansi_sgr(p);
	else if (plain && final == 'K')
		ansi_line_erase(line, p->nparams > 0 && p->params[0] <= 2 ?
		    (int)p->params[0] : 0);
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
		ansi_csi_dispatch(p, line, cp);
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
		ansi_csi_dispatch(p, line, cp);	/* has intermediates */
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
	p->style = ANSI_STYLE_DEFAULT;
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
				ansi_fitted(p, ansi_line_put_ascii(line, s + i,
				    j - i, &p->style));
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

/* A style in 64 bits: the colours biased by one (so the default is 0),
 * 26 bits each, and the attributes. */
static uint64_t
ansi_pack(const struct ansi_style *s)
{
	return ((uint64_t)(uint32_t)(s->fg + 1) & 0x3ffffff) |
	    (((uint64_t)(uint32_t)(s->bg + 1) & 0x3ffffff) << 26) |
	    ((uint64_t)(s->attr & 0xfff) << 52);
}

static struct ansi_style
ansi_unpack(uint64_t c)
{
	struct ansi_style s;

	s.fg = (int32_t)(c & 0x3ffffff) - 1;
	s.bg = (int32_t)(c >> 26 & 0x3ffffff) - 1;
	s.attr = (uint16_t)(c >> 52 & 0xfff);
	return s;
}

void
ansi_render_from(struct ansi_line *line, const char *text, size_t len,
    uint64_t carry)
{
	struct ansi_parser p;

	ansi_line_clear(line);
	ansi_parser_init(&p);
	p.style = ansi_unpack(carry);
	ansi_feed(&p, line, text, len);
	ansi_finish(&p, line);
}

void
ansi_render(struct ansi_line *line, const char *text, size_t len)
{
	ansi_render_from(line, text, len, 0);
}

uint64_t
ansi_carry(uint64_t start, const char *text, size_t len)
{
	/* Only the style is wanted: cells past the first do not fit. */
	static struct ansi_line scratch = { .max = 1 };
	struct ansi_parser p;

	/* The common line has no escape: its end is its start. */
	if (memchr(text, 0x1b, len) == NULL && memchr(text, 0x9b, len) == NULL)
		return start;
	ansi_line_clear(&scratch);
	ansi_parser_init(&p);
	p.style = ansi_unpack(start);
	ansi_feed(&p, &scratch, text, len);
	return ansi_pack(&p.style);
}

/* ---- plain text -------------------------------------------------------- */

size_t
ansi_plain(const char *text, size_t len, char *out, size_t size)
{
	/* every visible cell takes at least one byte, so cells past SIZE
	 * could never be written */
	struct ansi_line line = { .max = size < ANSI_LINE_LIMIT ? size : 0 };
	size_t n;

	if (size == 0)
		return 0;
	ansi_render(&line, text, len);
	n = ansi_line_text(&line, out, size);
	ansi_line_free(&line);
	return n;
}
