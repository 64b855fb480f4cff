/*
 * sgrout: a line of program output made safe for a terminal, its colours
 * kept.
 *
 * The ansi parser turns the text into cells (every escape sequence other
 * than SGR is consumed, controls become pictures); sgrout writes the
 * cells back as UTF-8 with SGR sequences tend composed itself, so what
 * reaches the terminal is only text and colours, never a program's own
 * bytes of an escape sequence.
 */
#ifndef TEND_SGROUT_H
#define TEND_SGROUT_H

#include <stddef.h>
#include <stdint.h>

#include "ansiline.h"

/* TEXT (LEN bytes), from the style packed in CARRY (ansi_carry), into
 * OUT: at most SIZE-1 bytes and a NUL, ending in the default style.  A
 * line that does not fit is cut at a cell.  Returns the length. */
size_t sgrout_line(const char *text, size_t len, uint64_t carry, char *out,
    size_t size);

/* The SGR sequence that sets STYLE from the default ("\033[0;1;31m"),
 * into OUT (at least SGROUT_MAX bytes); returns its length. */
#define SGROUT_MAX 64
size_t sgrout_style(const struct ansi_style *style, char *out);

#endif
