/*
 * ansiline: owns struct ansi_line — its cells and their memory, writing
 * characters at the cursor without leaving half a wide character, tab
 * stops, combining marks — and the line as UTF-8 text.
 */
#include "ansiline.h"

#include <stdlib.h>
#include <string.h>

#define ANSI_LINE_FIRST 64	/* cells allocated for a new line */

static size_t
ansi_line_limit(const struct ansi_line *line)
{
	return line->max != 0 ? line->max : ANSI_LINE_LIMIT;
}

/* Room for NEED cells, growing geometrically; -1 if memory ran out. */
static int
ansi_line_reserve(struct ansi_line *line, size_t need)
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
	if (cap > ansi_line_limit(line) && need <= ansi_line_limit(line))
		cap = ansi_line_limit(line);
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
ansi_line_blank(struct ansi_cell *c, const struct ansi_style *style)
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
ansi_line_unsplit(struct ansi_line *line, size_t at, size_t end)
{
	struct ansi_cell *c = line->cells;

	if (at > 0 && at < line->len && c[at].width == 0)
		ansi_line_blank(&c[at - 1], &c[at - 1].style);
	if (end < line->len && c[end].width == 0)
		ansi_line_blank(&c[end], &c[end].style);
}

bool
ansi_line_put(struct ansi_line *line, uint32_t ch, int width,
    const struct ansi_style *style)
{
	size_t at = line->cursor, end = at + (size_t)width;
	struct ansi_cell *c;

	if (end > ansi_line_limit(line) || ansi_line_reserve(line, end) < 0)
		return false;
	ansi_line_unsplit(line, at, end);
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
	return true;
}

bool
ansi_line_put_ascii(struct ansi_line *line, const unsigned char *s,
    size_t n, const struct ansi_style *style)
{
	size_t at = line->cursor, room, i;
	struct ansi_cell *c;
	bool fits;

	room = ansi_line_limit(line) > at ? ansi_line_limit(line) - at : 0;
	fits = n <= room;
	if (!fits)
		n = room;
	if (n == 0 || ansi_line_reserve(line, at + n) < 0)
		return fits;
	ansi_line_unsplit(line, at, at + n);
	c = &line->cells[at];
	for (i = 0; i < n; i++) {
		memset(&c[i], 0, sizeof c[i]);
		c[i].ch = s[i];
		c[i].width = 1;
		c[i].style = *style;
	}
	if (at + n > line->len)
		line->len = at + n;
	line->cursor = at + n;
	return fits;
}

void
ansi_line_tab(struct ansi_line *line)
{
	size_t stop = (line->cursor / 8 + 1) * 8, i;

	if (stop > ansi_line_limit(line))
		stop = ansi_line_limit(line);
	if (stop <= line->cursor)
		return;
	if (stop > line->len) {
		if (ansi_line_reserve(line, stop) < 0)
			return;
		for (i = line->len; i < stop; i++)
			ansi_line_blank(&line->cells[i], &ANSI_STYLE_DEFAULT);
		line->len = stop;
	}
	line->cursor = stop;
}

/* The mark joins the left half, if the cell before is a wide character. */
void
ansi_line_combine(struct ansi_line *line, uint32_t cp)
{
	struct ansi_cell *c;
	int i;

	if (line->cursor == 0)
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
ansi_line_erase(struct ansi_line *line, int how)
{
	size_t at = line->cursor < line->len ? line->cursor : line->len, i;
	size_t upto = how == 1 ? at + 1 : at;

	if (how == 1 || how == 2) {
		for (i = 0; i < upto && i < line->len; i++) {
			memset(&line->cells[i], 0, sizeof line->cells[i]);
			line->cells[i].ch = ' ';
			line->cells[i].width = 1;
			line->cells[i].style.fg = line->cells[i].style.bg =
			    ANSI_DEFAULT;
		}
	}
	/* A wide character cut in two by the erase is a blank as well. */
	if (how != 1 && at > 0 && at < line->len &&
	    line->cells[at].width == 0) {
		line->cells[at - 1].ch = ' ';
		line->cells[at - 1].width = 1;
	}
	if (how == 0 || how == 2)
		line->len = at;
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

/* ---- as text ----------------------------------------------------------- */

size_t
ansi_line_utf8(uint32_t cp, char *out)
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
ansi_line_text_put(uint32_t cp, char *out, size_t size, size_t *at)
{
	char enc[4];
	size_t n = ansi_line_utf8(cp, enc);

	if (*at + n >= size)
		return false;
	memcpy(out + *at, enc, n);
	*at += n;
	return true;
}

size_t
ansi_line_text(const struct ansi_line *line, char *out, size_t size)
{
	size_t at = 0, i;
	int k;

	if (size == 0)
		return 0;
	for (i = 0; i < line->len; i++) {
		const struct ansi_cell *c = &line->cells[i];

		if (c->width == 0)
			continue;
		if (!ansi_line_text_put(c->ch, out, size, &at))
			break;
		for (k = 0; k < ANSI_MAX_COMBINING && c->combining[k]; k++)
			if (!ansi_line_text_put(c->combining[k], out, size,
			    &at))
				break;
	}
	out[at] = '\0';
	return at;
}
