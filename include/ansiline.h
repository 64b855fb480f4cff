/*
 * ansiline: one line of output as cells a terminal can draw.
 *
 * A cell is one character (a code point with up to two zero-width marks
 * joined to it) with its style; a wide character takes two cells, the
 * second an empty right half.  Writes go at the cursor and overwrite what
 * is there, so a line rewritten after '\r' shows its last state; a wide
 * character partly overwritten leaves a space, never half of itself.  No
 * escape sequences here: the ansi parser decides what to write.
 */
#ifndef TEND_ANSILINE_H
#define TEND_ANSILINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "colour.h"

/* ansi_style.attr bits */
#define ANSI_BOLD 0x01
#define ANSI_DIM 0x02
#define ANSI_ITALIC 0x04
#define ANSI_UNDERLINE 0x08
#define ANSI_BLINK 0x10
#define ANSI_REVERSE 0x20
#define ANSI_STRIKE 0x40
#define ANSI_CONTROL 0x80	/* a control picture tend substituted */

struct ansi_style {
	int32_t fg, bg;		/* colour.h colours */
	uint16_t attr;
};

/* The style of text no SGR has touched. */
#define ANSI_STYLE_DEFAULT \
	((struct ansi_style){ ANSI_DEFAULT, ANSI_DEFAULT, 0 })

#define ANSI_MAX_COMBINING 2

struct ansi_cell {
	uint32_t ch;		/* code point; 0 for the right half of a wide one */
	uint32_t combining[ANSI_MAX_COMBINING];	/* zero-width marks, 0 = none */
	struct ansi_style style;
	uint8_t width;		/* columns: 1 or 2 (0 for a right half) */
};

#define ANSI_LINE_LIMIT 65536	/* cells in a line whose max is 0 */

/* The cells of one line, growing as needed; `cursor` is where the next
 * cell goes (after '\r' it is 0 and later cells overwrite). */
struct ansi_line {
	struct ansi_cell *cells;
	size_t len, cap;
	size_t cursor;
	size_t max;		/* never more cells than this (0: the limit) */
};

/* Write CH, WIDTH (1 or 2) columns wide, in STYLE at the cursor and move
 * past it; false, with nothing written, if it does not fit. */
bool ansi_line_put(struct ansi_line *line, uint32_t ch, int width,
    const struct ansi_style *style);
/* The same for the N printable ASCII characters S at once (the common
 * case); those past the line's limit are left out, and then it returns
 * false. */
bool ansi_line_put_ascii(struct ansi_line *line, const unsigned char *s,
    size_t n, const struct ansi_style *style);
/* Move to the next tab stop (every 8 columns), as a terminal does: the
 * cells passed keep what they hold; past the end of the line they are
 * unstyled blanks. */
void ansi_line_tab(struct ansi_line *line);
/* Join the zero-width mark CP to the character before the cursor; it is
 * dropped at the start of the line or when that cell has marks enough. */
void ansi_line_combine(struct ansi_line *line, uint32_t cp);

/* The line's characters and their marks as UTF-8 in OUT: at most SIZE-1
 * bytes, no character cut, and a NUL; returns the length written. */
size_t ansi_line_text(const struct ansi_line *line, char *out, size_t size);

/* CP as UTF-8 in OUT (room for 4 bytes); returns its length. */
size_t ansi_line_utf8(uint32_t cp, char *out);

/* CSI K within the line: erase from the cursor to the end (0), from the
 * start through the cursor (1), or the whole line (2).  The cursor stays
 * where it is. */
void ansi_line_erase(struct ansi_line *line, int how);

/* Reset LINE to empty (keeps its memory). */
void ansi_line_clear(struct ansi_line *line);
void ansi_line_free(struct ansi_line *line);

#endif
