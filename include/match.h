/*
 * match: finding a pattern in a line as it is drawn.
 *
 * Search and filters match what the user sees: the cells of a rendered
 * line (ansiline.h), not its bytes, so colour codes inside a word never
 * hide it.  Matching is case-insensitive: the pattern is lower case.
 */
#ifndef TEND_MATCH_H
#define TEND_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "ansiline.h"

/* Whether LINE holds PATTERN (lower case; NULL or empty matches
 * nothing).  With HL, the cells of every match are set to MARK. */
bool match_cells(const struct ansi_line *line, const wchar_t *pattern,
    unsigned char *hl, unsigned char mark);

/* PATTERN of N characters in lower case into OUT (SIZE wide chars, a
 * NUL included). */
void match_lower(const wchar_t *pattern, size_t n, wchar_t *out,
    size_t size);

#endif
