/*
 * colour: the colours a cell carries, and their reduction for terminals
 * with fewer colours.
 *
 * A colour is ANSI_DEFAULT (the terminal's own), a palette index 0..255
 * (0..15 the basic colours, 16..231 the 6x6x6 cube, 232..255 the grey
 * ramp) or ANSI_RGB(r, g, b).  The reductions pick the nearest colour by
 * the xterm defaults of the palette.
 */
#ifndef TEND_COLOUR_H
#define TEND_COLOUR_H

#include <stdint.h>

#define ANSI_DEFAULT (-1)
#define ANSI_RGB(r, g, b) \
	((int32_t)(0x1000000 | ((r) << 16) | ((g) << 8) | (b)))
#define ANSI_IS_RGB(c) ((c) >= 0x1000000)

/* The palette index 16..255 nearest to R, G, B (each clamped to 0..255). */
int colour_rgb_to_256(int r, int g, int b);
/* INDEX 0..255 as a basic colour 0..15 (0..7); ANSI_DEFAULT if INDEX is
 * not an index.  0..15 become themselves (their low 3 bits). */
int colour_256_to_16(int index);
int colour_256_to_8(int index);

#endif
