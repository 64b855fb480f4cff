/*
 * sgr: Select Graphic Rendition, the CSI ... m sequence, as a change of
 * style.
 *
 * Known: reset (0 or no parameter), the attributes (bold, dim, italic,
 * underline, blink, reverse, strike and their resets), the 16 basic
 * colours, 38/48 with 5;n (256 colours) or 2;r;g;b (24-bit), also in the
 * ':' forms (38:5:n, 38:2:cs:r:g:b, 4:3 curly underline).  58 (underline
 * colour) is parsed only to be skipped; anything else is ignored.
 */
#ifndef TEND_SGR_H
#define TEND_SGR_H

#include <stdint.h>

#include "ansiline.h"

/* Apply the N parameters PARAMS to *STYLE.  SUB[i] != 0 when PARAMS[i]
 * was followed by ':' (PARAMS[i + 1] is its sub-parameter). */
void sgr_apply(struct ansi_style *style, const uint32_t *params,
    const unsigned char *sub, unsigned n);

#endif
