/* Unit tests for ansi: bytes of program output -> cells safe to draw. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uchar.h>
#include <cmocka.h>

#include "ansi.h"
#include "colour.h"

#define FFFD 0xfffd

static void
render(struct ansi_line *l, const char *s)
{
	ansi_render(l, s, strlen(s));
}

/* The cells of L, right halves left out, must be the code points WANT;
 * every wide cell must be followed by its right half and every right half
 * must follow a wide cell. */
static void
assert_text(const struct ansi_line *l, const char32_t *want)
{
	size_t i, k = 0;

	for (i = 0; i < l->len; i++) {
		const struct ansi_cell *c = &l->cells[i];

		if (c->width == 0) {
			assert_true(i > 0);
			assert_int_equal(l->cells[i - 1].width, 2);
			assert_int_equal(c->ch, 0);
			continue;
		}
		if (c->width == 2) {
			assert_true(i + 1 < l->len);
			assert_int_equal(l->cells[i + 1].width, 0);
		}
		assert_int_not_equal(want[k], 0);	/* a cell too many */
		assert_int_equal(c->ch, want[k]);
		k++;
	}
	assert_int_equal(want[k], 0);		/* a cell too few */
}

static void
assert_style(const struct ansi_cell *c, int32_t fg, int32_t bg, unsigned attr)
{
	assert_int_equal(c->style.fg, fg);
	assert_int_equal(c->style.bg, bg);
	assert_int_equal(c->style.attr, attr);
}

static int
cell_equal(const struct ansi_cell *a, const struct ansi_cell *b)
{
	return a->ch == b->ch && a->width == b->width &&
	    a->combining[0] == b->combining[0] &&
	    a->combining[1] == b->combining[1] &&
	    a->style.fg == b->style.fg && a->style.bg == b->style.bg &&
	    a->style.attr == b->style.attr;
}

static void
assert_lines_equal(const struct ansi_line *a, const struct ansi_line *b)
{
	size_t i;

	assert_int_equal(a->len, b->len);
	assert_int_equal(a->cursor, b->cursor);
	for (i = 0; i < a->len; i++)
		assert_true(cell_equal(&a->cells[i], &b->cells[i]));
}

/* Feeding S in three pieces, cut at every pair of points, must give the
 * same cells as feeding it whole. */
static void
assert_split_invariant(const char *s)
{
	struct ansi_line whole = { 0 }, part = { 0 };
	struct ansi_parser p;
	size_t n = strlen(s), i, j;

	render(&whole, s);
	for (i = 0; i <= n; i++) {
		for (j = i; j <= n; j++) {
			ansi_line_clear(&part);
			ansi_parser_init(&p);
			ansi_feed(&p, &part, s, i);
			ansi_feed(&p, &part, s + i, j - i);
			ansi_feed(&p, &part, s + j, n - j);
			ansi_finish(&p, &part);
			assert_lines_equal(&whole, &part);
		}
	}
	ansi_line_free(&whole);
	ansi_line_free(&part);
}

/* ---- text -------------------------------------------------------------- */

static void
test_plain_ascii(void **state)
{
	struct ansi_line l = { 0 };
	size_t i;

	(void)state;
	render(&l, "hello, world");
	assert_text(&l, U"hello, world");
	assert_int_equal(l.cursor, 12);
	for (i = 0; i < l.len; i++) {
		assert_int_equal(l.cells[i].width, 1);
		assert_int_equal(l.cells[i].combining[0], 0);
		assert_style(&l.cells[i], ANSI_DEFAULT, ANSI_DEFAULT, 0);
	}
	render(&l, "");
	assert_int_equal(l.len, 0);
	ansi_line_free(&l);
}

static void
test_wide(void **state)
{
	struct ansi_line l = { 0 };

	(void)state;
	render(&l, "a中文b");
	assert_text(&l, U"a中文b");
	assert_int_equal(l.len, 6);
	assert_int_equal(l.cursor, 6);
	assert_int_equal(l.cells[1].width, 2);
	assert_int_equal(l.cells[2].width, 0);
	assert_int_equal(l.cells[2].ch, 0);
	assert_int_equal(l.cells[3].ch, U'文');
	render(&l, "\x1b[31m😀👍");
	assert_text(&l, U"😀👍");
	assert_int_equal(l.len, 4);
	assert_int_equal(l.cells[0].width, 2);
	/* the right half carries the colour, so a background is unbroken */
	assert_int_equal(l.cells[1].style.fg, 1);
	ansi_line_free(&l);
}

static void
test_combining(void **state)
{
	struct ansi_line l = { 0 };

	(void)state;
	render(&l, "e\xcc\x81x");		/* e + U+0301 */
	assert_text(&l, U"ex");
	assert_int_equal(l.cells[0].combining[0], 0x301);
	assert_int_equal(l.cells[0].combining[1], 0);
	assert_int_equal(l.cells[1].combining[0], 0);
	/* only ANSI_MAX_COMBINING marks are kept */
	render(&l, "e\xcc\x81\xcc\x82\xcc\x83");
	assert_text(&l, U"e");
	assert_int_equal(l.cells[0].combining[0], 0x301);
	assert_int_equal(l.cells[0].combining[1], 0x302);
	/* nothing to attach to */
	render(&l, "\xcc\x81" "a");
	assert_text(&l, U"a");
	assert_int_equal(l.cells[0].combining[0], 0);
	/* a mark after a wide character joins its left half */
	render(&l, "中\xcc\x81");
	assert_text(&l, U"中");
	assert_int_equal(l.cells[0].combining[0], 0x301);
	assert_int_equal(l.cells[1].combining[0], 0);
	ansi_line_free(&l);
}

static void
test_bidi_controls_dropped(void **state)
{
	struct ansi_line l = { 0 };

	(void)state;
	render(&l, "a\xe2\x80\xae" "bc\xe2\x81\xa6" "d");	/* RLO, LRI */
	assert_text(&l, U"abcd");
	assert_int_equal(l.cells[0].combining[0], 0);
	assert_int_equal(l.cells[2].combining[0], 0);
	ansi_line_free(&l);
}

/* ---- UTF-8 ------------------------------------------------------------- */

static void
test_utf8_split_everywhere(void **state)
{
	static const char s[] = "a\xc3\xa9中\xf0\x9f\x98\x80\xcc\x81z";
	struct ansi_line l = { 0 };

	(void)state;
	render(&l, s);
	assert_text(&l, U"aé中😀z");
	assert_int_equal(l.cells[4].combining[0], 0x301);
	ansi_line_free(&l);
	assert_split_invariant(s);
}

static void
test_utf8_invalid(void **state)
{
	static const struct {
		const char *in;
		const char32_t *want;
	} cases[] = {
		/* the example of Unicode 15, section 3.9, table 3-8 */
		{ "\x61\xf1\x80\x80\xe1\x80\xc2\x62\x80\x63\x80\xbf\x64",
		  U"a\uFFFD\uFFFD\uFFFDb\uFFFDc\uFFFD\uFFFDd" },
		{ "\x80", U"\uFFFD" },
		{ "\xbf\xbfx", U"\uFFFD\uFFFDx" },
		{ "\xc0\x80", U"\uFFFD\uFFFD" },		/* overlong NUL */
		{ "\xc1\xbf", U"\uFFFD\uFFFD" },
		{ "\xe0\x80\xaf", U"\uFFFD\uFFFD\uFFFD" },	/* overlong '/' */
		{ "\xf0\x80\x80\xaf", U"\uFFFD\uFFFD\uFFFD\uFFFD" },
		{ "\xed\xa0\x80", U"\uFFFD\uFFFD\uFFFD" },	/* surrogate */
		{ "\xed\xbf\xbf", U"\uFFFD\uFFFD\uFFFD" },
		{ "\xf4\x90\x80\x80", U"\uFFFD\uFFFD\uFFFD\uFFFD" },
		{ "\xf5\x80\x80\x80", U"\uFFFD\uFFFD\uFFFD\uFFFD" },
		{ "\xfe\xff", U"\uFFFD\uFFFD" },
		{ "\xe2\x82", U"\uFFFD" },		/* cut by the end */
		{ "\xf0\x9f\x98", U"\uFFFD" },
		{ "\xe2\x82" "A", U"\uFFFDA" },		/* cut by ASCII */
		{ "\xe1\x80\xe2\x82\xac", U"\uFFFD€" },	/* cut by a lead */
		{ "\xc3\x1b[31mX", U"\uFFFDX" },		/* cut by ESC */
		{ "\xef\xbf\xbd", U"\uFFFD" },		/* a real U+FFFD */
		{ "\xe0\xa0\x80", U"\u0800" },		/* smallest 3-byte */
		{ "\xf4\x8f\xbf\xbf", U"\uFFFD" },	/* U+10FFFF: unprintable */
	};
	struct ansi_line l = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		render(&l, cases[i].in);
		assert_text(&l, cases[i].want);
	}
	render(&l, "\xc3\x1b[31mX");
	assert_int_equal(l.cells[1].style.fg, 1);
	ansi_line_free(&l);
	assert_split_invariant("\x61\xf1\x80\x80\xe1\x80\xc2\x62\x80\x63\x80"
	    "\xbf\x64\xed\xa0\x80\xf4\x90\x80\x80\xe2\x82");
}

static void
test_utf8_finish(void **state)
{
	struct ansi_line l = { 0 };
	struct ansi_parser p;

	(void)state;
	ansi_parser_init(&p);
	ansi_feed(&p, &l, "x\xe4\xb8", 3);
	assert_text(&l, U"x");		/* still waiting for a byte */
	ansi_finish(&p, &l);
	assert_text(&l, U"x\uFFFD");
	ansi_line_free(&l);
}

/* ---- SGR --------------------------------------------------------------- */

static void
test_sgr_16_colours(void **state)
{
	struct ansi_line l = { 0 };
	char buf[32];
	int c;

	(void)state;
	for (c = 0; c < 8; c++) {
		snprintf(buf, sizeof buf, "\x1b[%dmx\x1b[%dmy", 30 + c, 90 + c);
		render(&l, buf);
		assert_style(&l.cells[0], c, ANSI_DEFAULT, 0);
		assert_style(&l.cells[1], c + 8, ANSI_DEFAULT, 0);
		snprintf(buf, sizeof buf, "\x1b[%dmx\x1b[%dmy", 40 + c, 100 + c);
		render(&l, buf);
		assert_style(&l.cells[0], ANSI_DEFAULT, c, 0);
		assert_style(&l.cells[1], ANSI_DEFAULT, c + 8, 0);
	}
	render(&l, "\x1b[31;42ma\x1b[39mb\x1b[49mc");
	assert_text(&l, U"abc");
	assert_style(&l.cells[0], 1, 2, 0);
	assert_style(&l.cells[1], ANSI_DEFAULT, 2, 0);
	assert_style(&l.cells[2], ANSI_DEFAULT, ANSI_DEFAULT, 0);
	ansi_line_free(&l);
}

static void
test_sgr_256_and_truecolor(void **state)
{
	struct ansi_line l = { 0 };

	(void)state;
	render(&l, "\x1b[38;5;196ma\x1b[48;5;21mb\x1b[38;5;0mc");
	assert_text(&l, U"abc");
	assert_style(&l.cells[0], 196, ANSI_DEFAULT, 0);
	assert_style(&l.cells[1], 196, 21, 0);
	assert_style(&l.cells[2], 0, 21, 0);
	render(&l, "\x1b[38;2;255;128;0ma\x1b[48;2;1;2;3;1mb");
	assert_style(&l.cells[0], ANSI_RGB(255, 128, 0), ANSI_DEFAULT, 0);
	assert_style(&l.cells[1], ANSI_RGB(255, 128, 0), ANSI_RGB(1, 2, 3),
	    ANSI_BOLD);
	assert_true(ANSI_IS_RGB(l.cells[1].style.bg));
	/* RGB black is still a colour, not the default */
	render(&l, "\x1b[38;2;0;0;0mx");
	assert_int_equal(l.cells[0].style.fg, ANSI_RGB(0, 0, 0));
	assert_int_not_equal(l.cells[0].style.fg, ANSI_DEFAULT);
	ansi_line_free(&l);
}

static void
test_sgr_colon_forms(void **state)
{
	struct ansi_line l = { 0 };

	(void)state;
	render(&l, "\x1b[38:5:208ma");
	assert_style(&l.cells[0], 208, ANSI_DEFAULT, 0);
	render(&l, "\x1b[38:2:10:20:30ma");
	assert_style(&l.cells[0], ANSI_RGB(10, 20, 30), ANSI_DEFAULT, 0);
	render(&l, "\x1b[38:2::10:20:30ma");	/* empty colour space id */
	assert_style(&l.cells[0], ANSI_RGB(10, 20, 30), ANSI_DEFAULT, 0);
	render(&l, "\x1b[48:2:0:1:2:3ma");	/* colour space id 0 */
	assert_style(&l.cells[0], ANSI_DEFAULT, ANSI_RGB(1, 2, 3), 0);
	render(&l, "\x1b[48:5:17ma");
	assert_style(&l.cells[0], ANSI_DEFAULT, 17, 0);
	/* sub-parameters stay with their parameter */
	render(&l, "\x1b[38:5:1;1;48:5:2;3ma");
	assert_style(&l.cells[0], 1, 2, ANSI_BOLD | ANSI_ITALIC);
	render(&l, "\x1b[4:3ma\x1b[4:0mb\x1b[4mc\x1b[4:9md\x1b[4:1;24me");
	assert_int_equal(l.cells[0].style.attr, ANSI_UNDERLINE);
	assert_int_equal(l.cells[1].style.attr, 0);
	assert_int_equal(l.cells[2].style.attr, ANSI_UNDERLINE);
	assert_int_equal(l.cells[3].style.attr, ANSI_UNDERLINE); /* 4:9 unknown */
	assert_int_equal(l.cells[4].style.attr, 0);
	ansi_line_free(&l);
}

static void
test_sgr_attributes(void **state)
{
	static const struct {
		int on, off;
		unsigned bit;
	} attrs[] = {
		{ 1, 22, ANSI_BOLD }, { 2, 22, ANSI_DIM },
		{ 3, 23, ANSI_ITALIC }, { 4, 24, ANSI_UNDERLINE },
		{ 21, 24, ANSI_UNDERLINE }, { 5, 25, ANSI_BLINK },
		{ 6, 25, ANSI_BLINK }, { 7, 27, ANSI_REVERSE },
		{ 9, 29, ANSI_STRIKE },
	};
	struct ansi_line l = { 0 };
	char buf[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof attrs / sizeof attrs[0]; i++) {
		snprintf(buf, sizeof buf, "\x1b[%dma\x1b[%dmb", attrs[i].on,
		    attrs[i].off);
		render(&l, buf);
		assert_int_equal(l.cells[0].style.attr, attrs[i].bit);
		assert_int_equal(l.cells[1].style.attr, 0);
	}
	render(&l, "\x1b[1;2;3;4;5;7;9ma\x1b[22mb\x1b[23;24;25;27;29mc");
	assert_int_equal(l.cells[0].style.attr, ANSI_BOLD | ANSI_DIM |
	    ANSI_ITALIC | ANSI_UNDERLINE | ANSI_BLINK | ANSI_REVERSE |
	    ANSI_STRIKE);
	assert_int_equal(l.cells[1].style.attr, ANSI_ITALIC | ANSI_UNDERLINE |
	    ANSI_BLINK | ANSI_REVERSE | ANSI_STRIKE);
	assert_int_equal(l.cells[2].style.attr, 0);
	ansi_line_free(&l);
}

static void
test_sgr_reset(void **state)
{
	struct ansi_line l = { 0 };

	(void)state;
	render(&l, "\x1b[1;31;42ma\x1b[0mb\x1b[1;33;44mc\x1b[md\x1b[1;;3me");
	assert_style(&l.cells[0], 1, 2, ANSI_BOLD);
	assert_style(&l.cells[1], ANSI_DEFAULT, ANSI_DEFAULT, 0);
	assert_style(&l.cells[2], 3, 4, ANSI_BOLD);
	assert_style(&l.cells[3], ANSI_DEFAULT, ANSI_DEFAULT, 0);
	assert_style(&l.cells[4], ANSI_DEFAULT, ANSI_DEFAULT, ANSI_ITALIC);
	/* a new render starts from the default style */
	render(&l, "\x1b[1mx");
	render(&l, "y");
	assert_style(&l.cells[0], ANSI_DEFAULT, ANSI_DEFAULT, 0);
	ansi_line_free(&l);
}

static void
test_sgr_malformed(void **state)
{
	static const struct {
		const char *in;
		int32_t fg, bg;
		unsigned attr;
	} cases[] = {
		{ "\x1b[38mx", ANSI_DEFAULT, ANSI_DEFAULT, 0 },
		{ "\x1b[38;5mx", ANSI_DEFAULT, ANSI_DEFAULT, 0 },
		{ "\x1b[38;5;256mx", ANSI_DEFAULT, ANSI_DEFAULT, 0 },
		{ "\x1b[38;5;300;1mx", ANSI_DEFAULT, ANSI_DEFAULT, ANSI_BOLD },
		{ "\x1b[38;2;1;2mx", ANSI_DEFAULT, ANSI_DEFAULT, 0 },
		{ "\x1b[38;2;256;0;0;1mx", ANSI_DEFAULT, ANSI_DEFAULT, ANSI_BOLD },
		{ "\x1b[48;2;1;2;3;4mx", ANSI_DEFAULT, ANSI_RGB(1, 2, 3),
		  ANSI_UNDERLINE },
		{ "\x1b[38;9;1mx", ANSI_DEFAULT, ANSI_DEFAULT, 0 },
		{ "\x1b[38:2:1:2mx", ANSI_DEFAULT, ANSI_DEFAULT, 0 },
		{ "\x1b[38:5mx", ANSI_DEFAULT, ANSI_DEFAULT, 0 },
		{ "\x1b[38:5:999;1mx", ANSI_DEFAULT, ANSI_DEFAULT, ANSI_BOLD },
		/* underline colour: parsed so its arguments are not codes */
		{ "\x1b[58;5;4mx", ANSI_DEFAULT, ANSI_DEFAULT, 0 },
		{ "\x1b[58;2;1;5;4;3mx", ANSI_DEFAULT, ANSI_DEFAULT, ANSI_ITALIC },
		{ "\x1b[58:2::1:2:3;1mx", ANSI_DEFAULT, ANSI_DEFAULT, ANSI_BOLD },
		{ "\x1b[59mx", ANSI_DEFAULT, ANSI_DEFAULT, 0 },
		{ "\x1b[73;8;53;1mx", ANSI_DEFAULT, ANSI_DEFAULT, ANSI_BOLD },
		{ "\x1b[1:2mx", ANSI_DEFAULT, ANSI_DEFAULT, 0 },
		{ "\x1b[31:1mx", ANSI_DEFAULT, ANSI_DEFAULT, 0 },
		/* not SGR: private markers, intermediates */
		{ "\x1b[>4;1mx", ANSI_DEFAULT, ANSI_DEFAULT, 0 },
		{ "\x1b[?1mx", ANSI_DEFAULT, ANSI_DEFAULT, 0 },
		{ "\x1b[=31mx", ANSI_DEFAULT, ANSI_DEFAULT, 0 },
		{ "\x1b[<1mx", ANSI_DEFAULT, ANSI_DEFAULT, 0 },
		{ "\x1b[1 mx", ANSI_DEFAULT, ANSI_DEFAULT, 0 },
		{ "\x1b[1?mx", ANSI_DEFAULT, ANSI_DEFAULT, 0 },
		{ "\x1b[1 1mx", ANSI_DEFAULT, ANSI_DEFAULT, 0 },
		{ "\x1b[1Mx", ANSI_DEFAULT, ANSI_DEFAULT, 0 },
		/* clamped values: far out of range, never wrapped */
		{ "\x1b[99999999999999999999mx", ANSI_DEFAULT, ANSI_DEFAULT, 0 },
		{ "\x1b[38;5;4294967297mx", ANSI_DEFAULT, ANSI_DEFAULT, 0 },
		{ "\x1b[38;2;4294967296;0;0;3mx", ANSI_DEFAULT, ANSI_DEFAULT,
		  ANSI_ITALIC },
	};
	struct ansi_line l = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		render(&l, cases[i].in);
		assert_text(&l, U"x");
		assert_style(&l.cells[0], cases[i].fg, cases[i].bg,
		    cases[i].attr);
	}
	ansi_line_free(&l);
}

static void
test_sgr_split_everywhere(void **state)
{
	static const char s[] = "a\x1b[1;38;2;10;20;30;48:5:200mb"
	    "\x1b[0;4mc\x1b[38:2::1:2:3md\x1b[m";
	struct ansi_line l = { 0 };

	(void)state;
	render(&l, s);
	assert_text(&l, U"abcd");
	assert_style(&l.cells[1], ANSI_RGB(10, 20, 30), 200, ANSI_BOLD);
	assert_style(&l.cells[2], ANSI_DEFAULT, ANSI_DEFAULT, ANSI_UNDERLINE);
	assert_style(&l.cells[3], ANSI_RGB(1, 2, 3), ANSI_DEFAULT,
	    ANSI_UNDERLINE);
	ansi_line_free(&l);
	assert_split_invariant(s);
}

static void
test_style_carries_across_feeds(void **state)
{
	struct ansi_line l = { 0 };
	struct ansi_parser p;

	(void)state;
	ansi_parser_init(&p);
	ansi_feed(&p, &l, "\x1b[1;3", 5);
	ansi_feed(&p, &l, "2m", 2);
	ansi_feed(&p, &l, "x", 1);
	ansi_finish(&p, &l);
	assert_text(&l, U"x");
	assert_style(&l.cells[0], 2, ANSI_DEFAULT, ANSI_BOLD);
	ansi_line_free(&l);
}

/* ---- controls ---------------------------------------------------------- */

static void
test_tabs(void **state)
{
	struct ansi_line l = { 0 };
	size_t i;

	(void)state;
	render(&l, "a\tb");
	assert_text(&l, U"a       b");
	assert_int_equal(l.len, 9);
	render(&l, "12345678\tx");
	assert_int_equal(l.len, 17);
	assert_int_equal(l.cells[16].ch, 'x');
	render(&l, "\t");
	assert_text(&l, U"        ");
	render(&l, "中\tx");
	assert_int_equal(l.cells[8].ch, 'x');
	/* tab padding is blank, not painted with the current style */
	render(&l, "\x1b[41ma\t");
	assert_int_equal(l.cells[0].style.bg, 1);
	for (i = 1; i < 8; i++)
		assert_int_equal(l.cells[i].style.bg, ANSI_DEFAULT);
	/* over existing text a tab only moves */
	render(&l, "abcdefghij\rab\tX");
	assert_text(&l, U"abcdefghXj");
	ansi_line_free(&l);
}

static void
test_carriage_return_and_backspace(void **state)
{
	struct ansi_line l = { 0 };

	(void)state;
	render(&l, "10%\r20%\r30%");
	assert_text(&l, U"30%");
	render(&l, "hello\rHE");
	assert_text(&l, U"HEllo");
	assert_int_equal(l.cursor, 2);
	render(&l, "\x1b[31mred\r\x1b[32mg");
	assert_int_equal(l.cells[0].style.fg, 2);
	assert_int_equal(l.cells[1].style.fg, 1);
	render(&l, "ab\bc");
	assert_text(&l, U"ac");
	render(&l, "\b\bx");
	assert_text(&l, U"x");
	render(&l, "abc\b\b\b\bX");
	assert_text(&l, U"Xbc");
	ansi_line_free(&l);
}

static void
test_overwrite_wide_halves(void **state)
{
	struct ansi_line l = { 0 };

	(void)state;
	/* the left half overwritten: the right one becomes a space */
	render(&l, "中文\rx");
	assert_text(&l, U"x 文");
	assert_int_equal(l.cells[1].width, 1);
	render(&l, "ab中\rabc");
	assert_text(&l, U"abc ");
	/* the right half overwritten: the left one becomes a space */
	render(&l, "中\bx");
	assert_text(&l, U" x");
	/* a wide character over narrow ones and over half a wide one */
	render(&l, "abc\r中");
	assert_text(&l, U"中c");
	render(&l, "a中b\r中");
	assert_text(&l, U"中 b");
	render(&l, "中文\r\x1b[C文");	/* the CSI is swallowed, not obeyed */
	assert_text(&l, U"文文");
	ansi_line_free(&l);
}

static void
test_c0_control_pictures(void **state)
{
	static const char s[] = "\x00\x01\x07\x0a\x18\x1a\x1f\x7f";
	struct ansi_line l = { 0 };
	size_t i;

	(void)state;
	ansi_render(&l, s, sizeof s - 1);
	assert_text(&l, U"\u2400\u2401\u2407\u240A\u2418\u241A\u241F\u2421");
	for (i = 0; i < l.len; i++) {
		assert_int_equal(l.cells[i].width, 1);
		assert_int_equal(l.cells[i].style.attr, ANSI_CONTROL);
	}
	render(&l, "\x1b[1;31ma\x01");
	assert_style(&l.cells[1], 1, ANSI_DEFAULT, ANSI_BOLD | ANSI_CONTROL);
	assert_style(&l.cells[0], 1, ANSI_DEFAULT, ANSI_BOLD);
	/* a lone ESC at the end shows nothing */
	render(&l, "a\x1b");
	assert_text(&l, U"a");
	ansi_line_free(&l);
}

static void
test_c1_controls(void **state)
{
	struct ansi_line l = { 0 };

	(void)state;
	/* UTF-8 encoded C1: never shown */
	render(&l, "a\xc2\x85" "b\xc2\x80\xc2\x9f" "c");
	assert_text(&l, U"abc");
	/* ... never the start of a sequence (mojibake keeps its text) ... */
	render(&l, "\xc2\x9b" "31mx\xc2\x98" "tail");
	assert_text(&l, U"31mxtail");
	assert_int_equal(l.cells[3].style.fg, ANSI_DEFAULT);
	render(&l, "\xc2\x9d" "0;t\xc2\x90" "1\xc2\x9e" "p\xc2\x9f" "a");
	assert_text(&l, U"0;t1pa");
	/* ... but the end of one in progress, as an encoded ST */
	render(&l, "\x1b]0;title\xc2\x9c" "x\x1bP1$r\xc2\x9c" "y");
	assert_text(&l, U"xy");
	render(&l, "\x1b[31\xc2\x85" "1mz");
	assert_text(&l, U"1mz");
	assert_int_equal(l.cells[2].style.fg, ANSI_DEFAULT);
	/* raw 8-bit C1 bytes are not UTF-8: replaced, never obeyed */
	render(&l, "\x9b" "31mx\x85");
	assert_text(&l, U"\uFFFD31mx\uFFFD");
	assert_int_equal(l.cells[4].style.fg, ANSI_DEFAULT);
	ansi_line_free(&l);
}

/* ---- swallowed sequences ----------------------------------------------- */

/* CSI K erases within the line, the cursor staying where it is: the
 * progress idiom "\r<text>\e[K" leaves no remnant of a longer line. */
static void
test_erase_in_line(void **state)
{
	struct ansi_line l = { 0 };

	(void)state;
	render(&l, "\r[build] compiling a_long_name.c\x1b[K"
	    "\r[build] linking\x1b[K");
	assert_text(&l, U"[build] linking");
	render(&l, "abcdef\r\x1b[K");
	assert_text(&l, U"");
	render(&l, "abcdef\x1b[0K");
	assert_text(&l, U"abcdef");
	render(&l, "abcdef\rab\x1b[1K");
	assert_text(&l, U"   def");
	render(&l, "abcdef\rab\x1b[2Kxy");
	assert_text(&l, U"  xy");
	render(&l, "ab\x1b[5K");	/* an unknown mode erases to the end */
	assert_text(&l, U"ab");
	ansi_line_free(&l);
}

/* The style at a line's end, packed, is where the next line starts. */
static void
test_style_carries(void **state)
{
	struct ansi_line l = { 0 };
	uint64_t red = ansi_carry(0, "\x1b[1;31mred", 10), plain;

	(void)state;
	assert_int_equal(ansi_carry(0, "no escape at all", 16), 0);
	assert_int_equal(ansi_carry(red, "still red", 9), red);
	ansi_render_from(&l, "still red", 9, red);
	assert_style(&l.cells[0], 1, ANSI_DEFAULT, ANSI_BOLD);
	assert_style(&l.cells[8], 1, ANSI_DEFAULT, ANSI_BOLD);
	plain = ansi_carry(red, "end\x1b[0m", 7);
	assert_int_equal(plain, 0);
	ansi_render_from(&l, "\x1b[38;2;1;2;3mrgb", 18, plain);
	assert_style(&l.cells[0], ANSI_RGB(1, 2, 3), ANSI_DEFAULT, 0);
	ansi_render_from(&l, "x", 1, ansi_carry(0, "\x1b[48;5;200;7m", 14));
	assert_style(&l.cells[0], ANSI_DEFAULT, 200, ANSI_REVERSE);
	ansi_line_free(&l);
}

static void
test_sequences_swallowed(void **state)
{
	static const struct {
		const char *in;
		const char32_t *want;
	} cases[] = {
		{ "a\x1b[2Jb", U"ab" },
		{ "\x1b[Hx\x1b[1;1H\x1b[10;20f", U"x" },
		{ "\x1b[?1049hx\x1b[?1049l", U"x" },
		{ "\x1b[?25l\x1b[?2004hx\x1b[?7l", U"x" },
		{ "\x1b[200~paste\x1b[201~", U"paste" },
		{ "\x1b]0;title\x07x", U"x" },
		{ "\x1b]2;h\xc3\xa9llo 中\x1b\\x", U"x" },
		{ "\x1b]52;c;Zm9v\x1b\\x", U"x" },
		{ "\x1b]8;;http://example.com/\x1b\\link\x1b]8;;\x1b\\ after",
		  U"link after" },
		{ "\x1b]8;;http://e.com/\x07link\x1b]8;;\x07", U"link" },
		{ "\x1bP1$r0m\x1b\\x", U"x" },			/* DCS */
		{ "\x1bPq#0;2;0;0;0\x07still\x1b\\x", U"x" },	/* BEL: not ST */
		{ "\x1bXsos\x1b\\x\x1b^pm\x1b\\y\x1b_apc\x1b\\z", U"xyz" },
		{ "\x1b" "7x\x1b" "8\x1b" "cy\x1b" "Dz\x1b" "M", U"xyz" },
		{ "\x1b(Bx\x1b)0y\x1b#8z\x1b%G", U"xyz" },
		{ "\x1b[5 qx\x1b[>c\x1b[=5u\x1b[<0;1;2M", U"x" },
		{ "\x1b[1;2;3;4;5;6;7;8;9;10;11;12;13;14;15;16;17;18Hx", U"x" },
		{ "\x1b[38;5;1Hx", U"x" },
		{ "\x1b\x1b[31mx", U"x" },			/* ESC restarts */
		{ "\x1b[3\x1b[1mx", U"x" },
		/* ESC inside an OSC ends it and starts a new sequence */
		{ "\x1b]0;t\x1b[31mx", U"x" },
		/* CAN and SUB abort a sequence, whatever its kind */
		{ "\x1b]0;t\x18x", U"x" },
		{ "\x1b[31\x18mx", U"mx" },
		{ "\x1b[31\x1amx", U"mx" },
		{ "\x1bP1$r\x1a" "x", U"x" },
		{ "\x1b(\x18x", U"x" },
		/* non-ASCII text ends an ESC sequence and is shown */
		{ "\x1b\xc3\xa9x", U"éx" },
		{ "\x1b(\xc3\xa9x", U"éx" },
		/* C0 inside a CSI acts (as on a VT) and the CSI goes on */
		{ "\x1b[3\r1mx", U"x" },
	};
	struct ansi_line l = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		render(&l, cases[i].in);
		assert_text(&l, cases[i].want);
	}
	render(&l, "\x1b]0;t\x1b[31mx");
	assert_int_equal(l.cells[0].style.fg, 1);
	render(&l, "\x1b[31\x18mx");
	assert_int_equal(l.cells[0].style.fg, ANSI_DEFAULT);
	render(&l, "\x1b[3\r1mx");
	assert_int_equal(l.cells[0].style.fg, 1);
	render(&l, "\x1b]8;;http://e.com/\x1b\\\x1b[4mlink");
	assert_int_equal(l.cells[0].style.attr, ANSI_UNDERLINE);
	ansi_line_free(&l);
}

static void
test_unterminated_osc(void **state)
{
	struct ansi_line l = { 0 };
	struct ansi_parser p;
	char chunk[4096];
	size_t cap;
	int i;

	(void)state;
	/* the rest of the line is inside the OSC, as on a terminal ... */
	render(&l, "a\x1b]0;never ends and more text");
	assert_text(&l, U"a");
	/* ... but the next line starts afresh */
	render(&l, "more text");
	assert_text(&l, U"more text");
	/* a megabyte inside one OSC: nothing kept, nothing grows */
	ansi_parser_init(&p);
	ansi_line_clear(&l);
	ansi_feed(&p, &l, "ab\x1b]52;c;", 9);
	cap = l.cap;
	memset(chunk, 'Z', sizeof chunk);
	for (i = 0; i < 256; i++)
		ansi_feed(&p, &l, chunk, sizeof chunk);
	assert_int_equal(l.len, 2);
	assert_int_equal(l.cap, cap);
	ansi_feed(&p, &l, "\x07" "cd", 3);
	ansi_finish(&p, &l);
	assert_text(&l, U"abcd");
	/* the same for a DCS */
	ansi_parser_init(&p);
	ansi_line_clear(&l);
	ansi_feed(&p, &l, "\x1bP", 2);
	for (i = 0; i < 16; i++)
		ansi_feed(&p, &l, chunk, sizeof chunk);
	ansi_feed(&p, &l, "\x1b\\ok", 4);
	assert_text(&l, U"ok");
	ansi_line_free(&l);
}

static void
test_huge_parameter_lists(void **state)
{
	struct ansi_line l = { 0 };
	size_t n = 3 + 10000 * 2 + 4, i, at = 0;
	char *s = malloc(n + 1);

	(void)state;
	assert_non_null(s);
	/* 10,000 parameters: the first ones are used, the rest dropped */
	at += (size_t)sprintf(s, "\x1b[");
	for (i = 0; i < 10000; i++)
		at += (size_t)sprintf(s + at, "%s", i == 0 ? "1;" : "3;");
	sprintf(s + at, "31mx");
	render(&l, s);
	assert_text(&l, U"x");
	assert_style(&l.cells[0], ANSI_DEFAULT, ANSI_DEFAULT,
	    ANSI_BOLD | ANSI_ITALIC);
	/* ':' and digits without end */
	memset(s, ':', n);
	memcpy(s, "\x1b[4", 3);
	memcpy(s + n - 2, "mx", 2);
	s[n] = '\0';
	render(&l, s);
	assert_text(&l, U"x");
	memset(s, '9', n);
	memcpy(s, "\x1b[", 2);
	memcpy(s + n - 2, "mx", 2);
	render(&l, s);
	assert_text(&l, U"x");
	assert_style(&l.cells[0], ANSI_DEFAULT, ANSI_DEFAULT, 0);
	/* the 16th parameter is kept whole, the 17th is not glued to it */
	render(&l, "\x1b[1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;3;4;5mx");
	assert_style(&l.cells[0], ANSI_DEFAULT, ANSI_DEFAULT,
	    ANSI_BOLD | ANSI_ITALIC);
	/* a truecolour cut by the limit is dropped, never read past */
	render(&l, "\x1b[1;1;1;1;1;1;1;1;1;1;1;1;1;38;2;1;2;3mx");
	assert_style(&l.cells[0], ANSI_DEFAULT, ANSI_DEFAULT, ANSI_BOLD);
	render(&l, "\x1b[1;1;1;1;1;1;1;1;1;1;1;38;2;1;2;3mx");
	assert_style(&l.cells[0], ANSI_RGB(1, 2, 3), ANSI_DEFAULT, ANSI_BOLD);
	assert_true(l.cap <= 64);
	free(s);
	ansi_line_free(&l);
}

/* ---- the line ---------------------------------------------------------- */

static void
test_max_cells(void **state)
{
	struct ansi_line l = { 0 };
	char *big;

	(void)state;
	l.max = 5;
	render(&l, "abcdefgh");
	assert_text(&l, U"abcde");
	render(&l, "abcd中x");		/* no room for both halves */
	assert_text(&l, U"abcdx");
	render(&l, "abc中");
	assert_text(&l, U"abc中");
	render(&l, "abcdefg\rX");
	assert_text(&l, U"Xbcde");
	render(&l, "ab\t\t");
	assert_text(&l, U"ab   ");
	/* a mark after a character that did not fit is dropped with it */
	render(&l, "abcdef\xcc\x81");
	assert_int_equal(l.cells[4].combining[0], 0);
	render(&l, "abcde\xcc\x81");
	assert_int_equal(l.cells[4].combining[0], 0x301);
	/* max 0: 65536 */
	l.max = 0;
	big = malloc(70000);
	assert_non_null(big);
	memset(big, 'a', 70000);
	ansi_render(&l, big, 70000);
	assert_int_equal(l.len, 65536);
	assert_true(l.cap <= 65536);
	free(big);
	ansi_line_free(&l);
}

static void
test_line_clear_and_free(void **state)
{
	struct ansi_line l = { 0 };
	struct ansi_cell *cells;
	size_t cap;

	(void)state;
	render(&l, "0123456789012345678901234567890123456789012345678901234567"
	    "8901234567890123456789");
	assert_int_equal(l.len, 80);
	assert_true(l.cap >= 80);
	cells = l.cells;
	cap = l.cap;
	ansi_line_clear(&l);
	assert_int_equal(l.len, 0);
	assert_int_equal(l.cursor, 0);
	assert_ptr_equal(l.cells, cells);
	assert_int_equal(l.cap, cap);
	render(&l, "x");
	assert_ptr_equal(l.cells, cells);
	ansi_line_free(&l);
	assert_null(l.cells);
	assert_int_equal(l.len, 0);
	assert_int_equal(l.cap, 0);
	render(&l, "again");		/* usable after free */
	assert_text(&l, U"again");
	ansi_line_free(&l);
}

/* ---- plain text -------------------------------------------------------- */

static void
test_plain(void **state)
{
	static const char s[] = "\x1b[1;31mred\x1b[0m\x01中e\xcc\x81\t|"
	    "\x1b]0;title\x07\x1b[2J";
	static const char osc8[] = "\x1b]8;;u\x1b\\link\x1b]8;;\x1b\\";
	char out[64];
	size_t n;

	(void)state;
	n = ansi_plain(s, sizeof s - 1, out, sizeof out);
	assert_string_equal(out, "red\xe2\x90\x81中e\xcc\x81 |");
	assert_int_equal(n, strlen(out));
	n = ansi_plain("10%\r20%\r30%", 11, out, sizeof out);
	assert_string_equal(out, "30%");
	assert_int_equal(n, 3);
	n = ansi_plain(osc8, strlen(osc8), out, sizeof out);
	assert_string_equal(out, "link");
	n = ansi_plain("", 0, out, sizeof out);
	assert_string_equal(out, "");
	assert_int_equal(n, 0);
}

static void
test_plain_bounded(void **state)
{
	char out[8];
	size_t n;

	(void)state;
	memset(out, 'Q', sizeof out);
	n = ansi_plain("中文", 6, out, 4);	/* 3 bytes + NUL */
	assert_int_equal(n, 3);
	assert_string_equal(out, "中");
	n = ansi_plain("中文", 6, out, 3);	/* never half a character */
	assert_int_equal(n, 0);
	assert_string_equal(out, "");
	n = ansi_plain("abc", 3, out, 1);
	assert_int_equal(n, 0);
	assert_int_equal(out[0], '\0');
	out[0] = 'Q';
	n = ansi_plain("abc", 3, out, 0);
	assert_int_equal(n, 0);
	assert_int_equal(out[0], 'Q');		/* nothing written */
	n = ansi_plain("e\xcc\x81", 3, out, 2);
	assert_string_equal(out, "e");
	n = ansi_plain("abcdefghijk", 11, out, sizeof out);
	assert_int_equal(n, 7);
	assert_string_equal(out, "abcdefg");
	n = ansi_plain("abcdefghijk\rXY", 14, out, sizeof out);
	assert_string_equal(out, "XYcdefg");
}

/* ---- colours ----------------------------------------------------------- */

static void
test_rgb_to_256(void **state)
{
	(void)state;
	assert_int_equal(colour_rgb_to_256(255, 0, 0), 196);
	assert_int_equal(colour_rgb_to_256(0, 255, 0), 46);
	assert_int_equal(colour_rgb_to_256(0, 0, 255), 21);
	assert_int_equal(colour_rgb_to_256(0, 0, 0), 16);
	assert_int_equal(colour_rgb_to_256(255, 255, 255), 231);
	assert_int_equal(colour_rgb_to_256(95, 135, 175), 67);
	assert_int_equal(colour_rgb_to_256(250, 10, 5), 196);
	/* greys go to the ramp 232..255 when it is closer than the cube */
	assert_int_equal(colour_rgb_to_256(8, 8, 8), 232);
	assert_int_equal(colour_rgb_to_256(128, 128, 128), 244);
	assert_int_equal(colour_rgb_to_256(100, 100, 100), 241);
	assert_int_equal(colour_rgb_to_256(238, 238, 238), 255);
	assert_int_equal(colour_rgb_to_256(135, 135, 135), 102);	/* cube grey */
	/* out of range components are clamped */
	assert_int_equal(colour_rgb_to_256(300, -5, 0), 196);
}

static void
test_256_to_16_and_8(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < 16; i++)
		assert_int_equal(colour_256_to_16(i), i);
	assert_int_equal(colour_256_to_16(196), 9);
	assert_int_equal(colour_256_to_16(46), 10);
	assert_int_equal(colour_256_to_16(21), 4);
	assert_int_equal(colour_256_to_16(16), 0);
	assert_int_equal(colour_256_to_16(231), 15);
	assert_int_equal(colour_256_to_16(244), 8);
	assert_int_equal(colour_256_to_16(232), 0);
	assert_int_equal(colour_256_to_16(255), 7);
	assert_int_equal(colour_256_to_16(238), 8);	/* grey 68 */
	assert_int_equal(colour_256_to_16(237), 0);	/* grey 58 */
	for (i = 0; i < 8; i++) {
		assert_int_equal(colour_256_to_8(i), i);
		assert_int_equal(colour_256_to_8(i + 8), i);
	}
	assert_int_equal(colour_256_to_8(196), 1);
	assert_int_equal(colour_256_to_8(46), 2);
	assert_int_equal(colour_256_to_8(231), 7);
	assert_int_equal(colour_256_to_8(16), 0);
	for (i = 16; i < 256; i++) {
		assert_in_range(colour_256_to_16(i), 0, 15);
		assert_in_range(colour_256_to_8(i), 0, 7);
	}
	assert_int_equal(colour_256_to_16(-1), ANSI_DEFAULT);
	assert_int_equal(colour_256_to_16(256), ANSI_DEFAULT);
	assert_int_equal(colour_256_to_8(-1), ANSI_DEFAULT);
}

static int
setup_locale(void **state)
{
	(void)state;
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL &&
	    setlocale(LC_CTYPE, "en_US.UTF-8") == NULL) {
		fprintf(stderr, "no UTF-8 locale\n");
		return -1;
	}
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_ascii),
		cmocka_unit_test(test_wide),
		cmocka_unit_test(test_combining),
		cmocka_unit_test(test_bidi_controls_dropped),
		cmocka_unit_test(test_utf8_split_everywhere),
		cmocka_unit_test(test_utf8_invalid),
		cmocka_unit_test(test_utf8_finish),
		cmocka_unit_test(test_sgr_16_colours),
		cmocka_unit_test(test_sgr_256_and_truecolor),
		cmocka_unit_test(test_sgr_colon_forms),
		cmocka_unit_test(test_sgr_attributes),
		cmocka_unit_test(test_sgr_reset),
		cmocka_unit_test(test_sgr_malformed),
		cmocka_unit_test(test_sgr_split_everywhere),
		cmocka_unit_test(test_style_carries_across_feeds),
		cmocka_unit_test(test_tabs),
		cmocka_unit_test(test_carriage_return_and_backspace),
		cmocka_unit_test(test_overwrite_wide_halves),
		cmocka_unit_test(test_c0_control_pictures),
		cmocka_unit_test(test_c1_controls),
		cmocka_unit_test(test_sequences_swallowed),
		cmocka_unit_test(test_erase_in_line),
		cmocka_unit_test(test_style_carries),
		cmocka_unit_test(test_unterminated_osc),
		cmocka_unit_test(test_huge_parameter_lists),
		cmocka_unit_test(test_max_cells),
		cmocka_unit_test(test_line_clear_and_free),
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_plain_bounded),
		cmocka_unit_test(test_rgb_to_256),
		cmocka_unit_test(test_256_to_16_and_8),
	};

	return cmocka_run_group_tests(tests, setup_locale, NULL);
}
