/*
 * colour: owns the reduction of 24-bit and 256-colour values to the
 * palettes smaller terminals have, by nearest distance to the xterm
 * default colours.
 */
#include "colour.h"

#include <stdlib.h>

/* The xterm defaults for the 16 basic colours. */
static const unsigned char colour_basic_rgb[16][3] = {
	{ 0, 0, 0 }, { 205, 0, 0 }, { 0, 205, 0 }, { 205, 205, 0 },
	{ 0, 0, 238 }, { 205, 0, 205 }, { 0, 205, 205 }, { 229, 229, 229 },
	{ 127, 127, 127 }, { 255, 0, 0 }, { 0, 255, 0 }, { 255, 255, 0 },
	{ 92, 92, 255 }, { 255, 0, 255 }, { 0, 255, 255 }, { 255, 255, 255 },
};

/* The six levels of each axis of the 6x6x6 cube (indexes 16..231). */
static const int colour_cube_level[6] = { 0, 95, 135, 175, 215, 255 };

static int
colour_dist2(int r1, int g1, int b1, int r2, int g2, int b2)
{
	return (r1 - r2) * (r1 - r2) + (g1 - g2) * (g1 - g2) +
	    (b1 - b2) * (b1 - b2);
}

static int
colour_clamp8(int v)
{
	return v < 0 ? 0 : v > 255 ? 255 : v;
}

/* The cube level nearest to V (the levels are not evenly spaced). */
static int
colour_cube_index(int v)
{
	int i, best = 0;

	for (i = 1; i < 6; i++)
		if (abs(colour_cube_level[i] - v) <
		    abs(colour_cube_level[best] - v))
			best = i;
	return best;
}

int
colour_rgb_to_256(int r, int g, int b)
{
	int ri, gi, bi, grey, gv, cube_d, grey_d;

	r = colour_clamp8(r);
	g = colour_clamp8(g);
	b = colour_clamp8(b);
	ri = colour_cube_index(r);
	gi = colour_cube_index(g);
	bi = colour_cube_index(b);
	cube_d = colour_dist2(r, g, b, colour_cube_level[ri],
	    colour_cube_level[gi], colour_cube_level[bi]);
	/* the ramp is 8, 18, ..., 238 */
	grey = ((r + g + b) / 3 - 3) / 10;
	grey = grey < 0 ? 0 : grey > 23 ? 23 : grey;
	gv = 8 + 10 * grey;
	grey_d = colour_dist2(r, g, b, gv, gv, gv);
	if (grey_d < cube_d)
		return 232 + grey;
	return 16 + 36 * ri + 6 * gi + bi;
}

/* The colour of palette INDEX 16..255. */
static void
colour_256_rgb(int index, int rgb[3])
{
	int i;

	if (index >= 232) {
		rgb[0] = rgb[1] = rgb[2] = 8 + 10 * (index - 232);
		return;
	}
	i = index - 16;
	rgb[0] = colour_cube_level[i / 36];
	rgb[1] = colour_cube_level[i / 6 % 6];
	rgb[2] = colour_cube_level[i % 6];
}

/* The nearest of basic colours 0..N-1 to palette INDEX 16..255. */
static int
colour_nearest_basic(int index, int n)
{
	int rgb[3], i, d, best = 0, best_d = -1;

	colour_256_rgb(index, rgb);
	for (i = 0; i < n; i++) {
		d = colour_dist2(rgb[0], rgb[1], rgb[2], colour_basic_rgb[i][0],
		    colour_basic_rgb[i][1], colour_basic_rgb[i][2]);
		if (best_d < 0 || d < best_d) {
			best = i;
			best_d = d;
		}
	}
	return best;
}

int
colour_256_to_16(int index)
{
	if (index < 0 || index > 255)
		return ANSI_DEFAULT;
	if (index < 16)
		return index;
	return colour_nearest_basic(index, 16);
}

int
colour_256_to_8(int index)
{
	if (index < 0 || index > 255)
		return ANSI_DEFAULT;
	if (index < 16)
		return index & 7;
	return colour_nearest_basic(index, 8);
}
