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
 * (U+2400..U+2421).  The cells are an ansiline.h line; no curses here: the
 * UI turns cells into cchar_t.
 */
#ifndef TEND_ANSI_H
#define TEND_ANSI_H

#include <stddef.h>
#include <stdint.h>

#include "ansiline.h"

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

/* Parse a whole line from the default style. */
void ansi_render(struct ansi_line *line, const char *text, size_t len);
/* Parse a whole line from the style packed in CARRY (ansi_carry). */
void ansi_render_from(struct ansi_line *line, const char *text, size_t len,
    uint64_t carry);
/* The style at the end of TEXT, from the style packed in START, packed
 * (0 is the default style): a store_carry_fn, so a colour set on one
 * line carries on to the next, as in a terminal. */
uint64_t ansi_carry(uint64_t start, const char *text, size_t len);

/* The visible text of TEXT as UTF-8 (escapes removed, controls as
 * pictures), for searching.  Writes at most SIZE-1 bytes plus a NUL;
 * returns the length written. */
size_t ansi_plain(const char *text, size_t len, char *out, size_t size);

#endif
