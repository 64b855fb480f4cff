/*
 * ansi: program output bytes -> cells a terminal can show safely.
 *
 * A streaming parser for one line of output at a time: UTF-8 is decoded
 * (an invalid byte becomes U+FFFD), SGR sequences set colours and
 * attributes, '\t' expands to the next multiple of 8, '\r' returns to the
 * start of the line and '\b' steps back (later text overwrites, as in a
 * terminal, so progress bars show their last state).  Every other escape
 * or control sequence (cursor moves, clears, OSC titles and clipboard, DCS,
 * bracketed paste, C1 controls) is consumed and never reaches the screen;
 * other C0 controls and DEL are shown as their Unicode control pictures
 * (U+2400..U+2421).  No curses here: the UI turns cells into cchar_t.
 */
#ifndef TEND_ANSI_H
#define TEND_ANSI_H

#include <stddef.h>
#include <stdint.h>

/* ansi_style.attr bits */
#define ANSI_BOLD 0x01
#define ANSI_DIM 0x02
#define ANSI_ITALIC 0x04
#define ANSI_UNDERLINE 0x08
#define ANSI_BLINK 0x10
#define ANSI_REVERSE 0x20
#define ANSI_STRIKE 0x40
#define ANSI_CONTROL 0x80	/* a control picture tend substituted */

/* A colour: ANSI_DEFAULT, a palette index 0..255, or ANSI_RGB(r, g, b). */
#define ANSI_DEFAULT (-1)
#define ANSI_RGB(r, g, b) \
	((int32_t)(0x1000000 | ((r) << 16) | ((g) << 8) | (b)))
#define ANSI_IS_RGB(c) ((c) >= 0x1000000)

struct ansi_style {
	int32_t fg, bg;
	uint16_t attr;
};

#define ANSI_MAX_COMBINING 2

struct ansi_cell {
	uint32_t ch;		/* code point; 0 for the right half of a wide one */
	uint32_t combining[ANSI_MAX_COMBINING];	/* zero-width marks, 0 = none */
	struct ansi_style style;
	uint8_t width;		/* columns: 1 or 2 (0 for a right half) */
};

/* The cells of one line, growing as needed; `cursor` is where the next
 * cell goes (after '\r' it is 0 and later cells overwrite). */
struct ansi_line {
	struct ansi_cell *cells;
	size_t len, cap;
	size_t cursor;
	size_t max;		/* never more cells than this (0: 65536) */
};

/* Parser state, carried across ansi_feed() calls, so a sequence or a
 * UTF-8 character split between two calls is still understood. */
struct ansi_parser {
	int state;
	struct ansi_style style;
	uint32_t params[16];
	unsigned nparams;
	unsigned char sub[16];	/* params[i] had ':' sub-parameters */
	char intermediate;
	uint32_t utf8_cp;
	unsigned utf8_need, utf8_len;
	unsigned char utf8_bytes[4];
};

void ansi_parser_init(struct ansi_parser *p);
/* Parse BUF into LINE (appending at LINE->cursor). */
void ansi_feed(struct ansi_parser *p, struct ansi_line *line,
    const char *buf, size_t len);
/* End of input: an incomplete UTF-8 character becomes U+FFFD. */
void ansi_finish(struct ansi_parser *p, struct ansi_line *line);

/* Reset LINE to empty (keeps its memory). */
void ansi_line_clear(struct ansi_line *line);
void ansi_line_free(struct ansi_line *line);

/* Parse a whole line from the default style. */
void ansi_render(struct ansi_line *line, const char *text, size_t len);

/* The visible text of TEXT as UTF-8 (escapes removed, controls as
 * pictures), for searching.  Writes at most SIZE-1 bytes plus a NUL;
 * returns the length written. */
size_t ansi_plain(const char *text, size_t len, char *out, size_t size);

/* Colour reduction for terminals with fewer colours. */
int ansi_rgb_to_256(int r, int g, int b);
int ansi_256_to_16(int index);
int ansi_256_to_8(int index);

#endif
