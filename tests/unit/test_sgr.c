/* Unit tests for sgr: SGR parameter lists as changes of style. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sgr.h"

#define N(a) (unsigned)(sizeof (a) / sizeof (a)[0])

static const unsigned char no_sub[16];

static void
assert_style(const struct ansi_style *st, int32_t fg, int32_t bg,
    uint16_t attr)
{
	assert_int_equal(st->fg, fg);
	assert_int_equal(st->bg, bg);
	assert_int_equal(st->attr, attr);
}

static void
test_reset(void **state)
{
	struct ansi_style st = { 3, 4, ANSI_BOLD | ANSI_ITALIC };
	static const uint32_t zero[] = { 0 };

	(void)state;
	sgr_apply(&st, NULL, no_sub, 0);	/* CSI m */
	assert_style(&st, ANSI_DEFAULT, ANSI_DEFAULT, 0);
	st.attr = ANSI_DIM;
	sgr_apply(&st, zero, no_sub, 1);
	assert_style(&st, ANSI_DEFAULT, ANSI_DEFAULT, 0);
}

static void
test_attributes_and_basic_colours(void **state)
{
	struct ansi_style st = ANSI_STYLE_DEFAULT;
	static const uint32_t on[] = { 1, 3, 4, 7, 31, 102 };
	static const uint32_t off[] = { 22, 24, 39, 49 };

	(void)state;
	sgr_apply(&st, on, no_sub, N(on));
	assert_style(&st, 1, 10, ANSI_BOLD | ANSI_ITALIC | ANSI_UNDERLINE |
	    ANSI_REVERSE);
	sgr_apply(&st, off, no_sub, N(off));
	assert_style(&st, ANSI_DEFAULT, ANSI_DEFAULT, ANSI_ITALIC |
	    ANSI_REVERSE);
}

static void
test_extended_colours(void **state)
{
	struct ansi_style st = ANSI_STYLE_DEFAULT;
	static const uint32_t semi[] = { 38, 5, 208, 48, 2, 1, 2, 3, 1 };
	static const uint32_t colon[] = { 38, 2, 0, 10, 20, 30, 4, 3 };
	static const unsigned char colon_sub[] = { 1, 1, 1, 1, 1, 0, 1, 0 };
	static const uint32_t cut[] = { 38, 7, 1 };

	(void)state;
	sgr_apply(&st, semi, no_sub, N(semi));
	assert_style(&st, 208, ANSI_RGB(1, 2, 3), ANSI_BOLD);
	st = ANSI_STYLE_DEFAULT;
	sgr_apply(&st, colon, colon_sub, N(colon));	/* 38:2:0:10:20:30;4:3 */
	assert_style(&st, ANSI_RGB(10, 20, 30), ANSI_DEFAULT,
	    ANSI_UNDERLINE);
	/* an unknown colour form: the rest of the list is not trusted */
	st = ANSI_STYLE_DEFAULT;
	sgr_apply(&st, cut, no_sub, N(cut));
	assert_style(&st, ANSI_DEFAULT, ANSI_DEFAULT, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_attributes_and_basic_colours),
		cmocka_unit_test(test_extended_colours),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
