/*
 * sgr: owns the meaning of SGR parameters — attributes, the basic, 256
 * and 24-bit colours, the ':' sub-parameter forms — as changes to an
 * ansi_style.  The escape sequence itself is the ansi parser's.
 */
#include "sgr.h"

#include <stdbool.h>
#include <stddef.h>

/* An extended colour (the arguments after 38, 48 or 58) in ARGS[0..N-1]
 * as a colour.h colour: 5;n, 2;r;g;b, or with ':' 2:cs:r:g:b.  Returns
 * how many arguments it used, or -1 if the rest of the list cannot be
 * trusted. */
static int
sgr_colour(const uint32_t *a, unsigned n, bool colon, int32_t *out)
{
	unsigned rgb;

	*out = -2;
	if (n < 1)
		return -1;
	if (a[0] == 5) {
		if (n < 2)
			return -1;
		if (a[1] <= 255)
			*out = (int32_t)a[1];
		return 2;
	}
	if (a[0] != 2)
		return -1;
	rgb = colon && n >= 5 ? 2 : 1;	/* skip a colour-space id */
	if (n < rgb + 3)
		return -1;
	if (a[rgb] <= 255 && a[rgb + 1] <= 255 && a[rgb + 2] <= 255)
		*out = ANSI_RGB((int32_t)a[rgb], (int32_t)a[rgb + 1],
		    (int32_t)a[rgb + 2]);
	return (int)rgb + 3;
}

static void
sgr_set_colour(struct ansi_style *st, uint32_t code, int32_t colour)
{
	if (colour == -2)
		return;
	if (code == 38)
		st->fg = colour;
	else if (code == 48)
		st->bg = colour;
	/* 58 (underline colour) is parsed only to be skipped */
}

/* A parameter with ':' sub-parameters SUB[0..NSUB-1]: only underline
 * styles and extended colours are known; anything else is ignored. */
static void
sgr_sub(struct ansi_style *st, uint32_t code, const uint32_t *sub,
    unsigned nsub)
{
	int32_t colour;

	if (code == 4 && sub[0] == 0)
		st->attr &= ~ANSI_UNDERLINE;
	else if (code == 4 && sub[0] <= 5)
		st->attr |= ANSI_UNDERLINE;
	else if (code == 38 || code == 48 || code == 58) {
		if (sgr_colour(sub, nsub, true, &colour) >= 0)
			sgr_set_colour(st, code, colour);
	}
}

/* Attribute codes: the bits each one sets and clears. */
static bool
sgr_attr(struct ansi_style *st, uint32_t code)
{
	static const struct {
		uint8_t code;
		uint8_t set, clear;
	} map[] = {
		{ 1, ANSI_BOLD, 0 }, { 2, ANSI_DIM, 0 }, { 3, ANSI_ITALIC, 0 },
		{ 4, ANSI_UNDERLINE, 0 }, { 5, ANSI_BLINK, 0 },
		{ 6, ANSI_BLINK, 0 }, { 7, ANSI_REVERSE, 0 },
		{ 9, ANSI_STRIKE, 0 }, { 21, ANSI_UNDERLINE, 0 },
		{ 22, 0, ANSI_BOLD | ANSI_DIM }, { 23, 0, ANSI_ITALIC },
		{ 24, 0, ANSI_UNDERLINE }, { 25, 0, ANSI_BLINK },
		{ 27, 0, ANSI_REVERSE }, { 29, 0, ANSI_STRIKE },
	};
	size_t i;

	for (i = 0; i < sizeof map / sizeof map[0]; i++) {
		if (map[i].code == code) {
			st->attr = (uint16_t)((st->attr | map[i].set) &
			    ~map[i].clear);
			return true;
		}
	}
	return false;
}

/* The code PARAMS[I], without ':' sub-parameters, and the ';' arguments
 * it takes; returns the index of the next code. */
static unsigned
sgr_code(struct ansi_style *st, const uint32_t *params, unsigned i,
    unsigned n)
{
	uint32_t code = params[i];
	int32_t colour;
	int used;

	if (sgr_attr(st, code))
		return i + 1;
	if (code == 0) {
		*st = ANSI_STYLE_DEFAULT;
	} else if (code >= 30 && code <= 37) {
		st->fg = (int32_t)(code - 30);
	} else if (code >= 90 && code <= 97) {
		st->fg = (int32_t)(code - 90 + 8);
	} else if (code >= 40 && code <= 47) {
		st->bg = (int32_t)(code - 40);
	} else if (code >= 100 && code <= 107) {
		st->bg = (int32_t)(code - 100 + 8);
	} else if (code == 39) {
		st->fg = ANSI_DEFAULT;
	} else if (code == 49) {
		st->bg = ANSI_DEFAULT;
	} else if (code == 38 || code == 48 || code == 58) {
		used = sgr_colour(params + i + 1, n - i - 1, false,
		    &colour);
		if (used < 0)
			return n;
		sgr_set_colour(st, code, colour);
		return i + 1 + (unsigned)used;
	}
	return i + 1;
}

void
sgr_apply(struct ansi_style *style, const uint32_t *params,
    const unsigned char *sub, unsigned n)
{
	unsigned i = 0, j;

	if (n == 0)
		*style = ANSI_STYLE_DEFAULT;
	while (i < n) {
		for (j = i; j + 1 < n && sub[j]; j++)
			;
		if (j > i) {
			sgr_sub(style, params[i], params + i + 1, j - i);
			i = j + 1;
		} else {
			i = sgr_code(style, params, i, n);
		}
	}
}
