/*
 * sgrout: owns writing cells back out as text with SGR colours, for a
 * terminal that is not curses' (headless output on a tty).  The style
 * is written only where it changes, and always from a reset, so no
 * attribute of an earlier cell can leak into a later one.
 */
#include "sgrout.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ansi.h"

#define SGROUT_RESET "\033[0m"
#define SGROUT_CELL_MAX (4 * (1 + ANSI_MAX_COMBINING))	/* UTF-8 bytes */

/* ";38;5;N" and its kin for colour C as a foreground (BASE 30) or a
 * background (BASE 40); nothing for the default. */
static size_t
sgrout_colour(int32_t c, int base, char *out)
{
	int n;

	if (c == ANSI_DEFAULT || c < 0)
		return 0;
	if (ANSI_IS_RGB(c))
		n = sprintf(out, ";%d;2;%d;%d;%d", base + 8, (c >> 16) & 0xff,
		    (c >> 8) & 0xff, c & 0xff);
	else if (c < 8)
		n = sprintf(out, ";%d", base + c);
	else if (c < 16)
		n = sprintf(out, ";%d", base + 60 + c - 8);
	else
		n = sprintf(out, ";%d;5;%d", base + 8, c & 0xff);
	return n > 0 ? (size_t)n : 0;
}

size_t
sgrout_style(const struct ansi_style *style, char *out)
{
	static const struct { uint16_t bit; const char *code; } attrs[] = {
		{ ANSI_BOLD, ";1" }, { ANSI_DIM, ";2" }, { ANSI_ITALIC, ";3" },
		{ ANSI_UNDERLINE, ";4" }, { ANSI_BLINK, ";5" },
		{ ANSI_REVERSE, ";7" }, { ANSI_STRIKE, ";9" },
	};
	size_t n = 0, i;

	out[n++] = '\033';
	out[n++] = '[';
	out[n++] = '0';
	for (i = 0; i < sizeof attrs / sizeof attrs[0]; i++) {
		if (style->attr & attrs[i].bit) {
			memcpy(out + n, attrs[i].code, 2);
			n += 2;
		}
	}
	n += sgrout_colour(style->fg, 30, out + n);
	n += sgrout_colour(style->bg, 40, out + n);
	out[n++] = 'm';
	return n;
}

static bool
sgrout_same(const struct ansi_style *a, const struct ansi_style *b)
{
	return a->fg == b->fg && a->bg == b->bg &&
	    (a->attr & ~ANSI_CONTROL) == (b->attr & ~ANSI_CONTROL);
}

size_t
sgrout_line(const char *text, size_t len, uint64_t carry, char *out,
    size_t size)
{
	struct ansi_line line = { .max = 0 };
	struct ansi_style cur = ANSI_STYLE_DEFAULT, dflt = ANSI_STYLE_DEFAULT;
	size_t n = 0, i, k;
	/* room kept for a last reset and the NUL */
	size_t room = size > sizeof SGROUT_RESET ? size - sizeof SGROUT_RESET :
	    0;

	if (size == 0)
		return 0;
	ansi_render_from(&line, text, len, carry);
	for (i = 0; i < line.len; i++) {
		const struct ansi_cell *c = &line.cells[i];
		char cell[SGROUT_MAX + SGROUT_CELL_MAX];
		size_t m = 0;

		if (c->width == 0)
			continue;	/* a wide character's right half */
		if (!sgrout_same(&c->style, &cur)) {
			m = sgrout_style(&c->style, cell);
			cur = c->style;
		}
		m += ansi_line_utf8(c->ch != 0 ? c->ch : ' ', cell + m);
		for (k = 0; k < ANSI_MAX_COMBINING && c->combining[k] != 0; k++)
			m += ansi_line_utf8(c->combining[k], cell + m);
		if (n + m > room)
			break;
		memcpy(out + n, cell, m);
		n += m;
	}
	if (!sgrout_same(&cur, &dflt)) {
		memcpy(out + n, SGROUT_RESET, sizeof SGROUT_RESET - 1);
		n += sizeof SGROUT_RESET - 1;
	}
	out[n] = '\0';
	ansi_line_free(&line);
	return n;
}
