/* Unit tests for ansiline: writing cells at the cursor of one line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ansiline.h"

static const struct ansi_style red = { 1, ANSI_DEFAULT, ANSI_BOLD };

static void
put(struct ansi_line *l, const char *ascii)
{
	assert_true(ansi_line_put_ascii(l, (const unsigned char *)ascii,
	    strlen(ascii), &red));
}

static void
test_put_moves_the_cursor(void **state)
{
	struct ansi_line l = { 0 };

	(void)state;
	put(&l, "ab");
	assert_true(ansi_line_put(&l, 0x4e2d, 2, &red));	/* 中 */
	assert_int_equal(l.len, 4);
	assert_int_equal(l.cursor, 4);
	assert_int_equal(l.cells[0].ch, 'a');
	assert_int_equal(l.cells[2].ch, 0x4e2d);
	assert_int_equal(l.cells[2].width, 2);
	assert_int_equal(l.cells[3].ch, 0);
	assert_int_equal(l.cells[3].width, 0);
	assert_int_equal(l.cells[3].style.fg, 1);
	assert_int_equal(l.cells[1].style.attr, ANSI_BOLD);
	ansi_line_free(&l);
	assert_null(l.cells);
	assert_int_equal(l.len + l.cap + l.cursor, 0);
}

/* Overwriting half of a wide character leaves a space in the other. */
static void
test_overwrite_splits_no_wide_character(void **state)
{
	struct ansi_line l = { 0 };

	(void)state;
	assert_true(ansi_line_put(&l, 0x4e2d, 2, &red));
	assert_true(ansi_line_put(&l, 0x6587, 2, &red));
	l.cursor = 1;
	put(&l, "xy");
	assert_int_equal(l.len, 4);
	assert_int_equal(l.cells[0].ch, ' ');
	assert_int_equal(l.cells[0].width, 1);
	assert_int_equal(l.cells[0].style.fg, 1);	/* keeps its style */
	assert_int_equal(l.cells[1].ch, 'x');
	assert_int_equal(l.cells[2].ch, 'y');
	assert_int_equal(l.cells[3].ch, ' ');
	assert_int_equal(l.cells[3].width, 1);
	ansi_line_free(&l);
}

static void
test_limit(void **state)
{
	struct ansi_line l = { .max = 3 };

	(void)state;
	assert_false(ansi_line_put_ascii(&l, (const unsigned char *)"abcd", 4,
	    &red));
	assert_int_equal(l.len, 3);
	assert_int_equal(l.cursor, 3);
	assert_false(ansi_line_put(&l, 'e', 1, &red));
	l.cursor = 2;
	assert_false(ansi_line_put(&l, 0x4e2d, 2, &red));	/* half fits */
	assert_int_equal(l.cells[2].ch, 'c');
	assert_true(ansi_line_put(&l, 'z', 1, &red));
	assert_int_equal(l.cells[2].ch, 'z');
	ansi_line_free(&l);
}

static void
test_tab(void **state)
{
	struct ansi_line l = { .max = 12 };
	size_t i;

	(void)state;
	put(&l, "ab");
	ansi_line_tab(&l);
	assert_int_equal(l.cursor, 8);
	assert_int_equal(l.len, 8);
	for (i = 2; i < 8; i++) {
		assert_int_equal(l.cells[i].ch, ' ');
		assert_int_equal(l.cells[i].style.fg, ANSI_DEFAULT);
		assert_int_equal(l.cells[i].style.attr, 0);
	}
	ansi_line_tab(&l);	/* the next stop is past the limit */
	assert_int_equal(l.cursor, 12);
	/* a tab over cells leaves them as they are */
	l.cursor = 0;
	ansi_line_tab(&l);
	assert_int_equal(l.cursor, 8);
	assert_int_equal(l.cells[0].ch, 'a');
	assert_int_equal(l.len, 12);
	ansi_line_free(&l);
}

static void
test_combine(void **state)
{
	struct ansi_line l = { 0 };

	(void)state;
	ansi_line_combine(&l, 0x301);	/* nothing to join */
	assert_int_equal(l.len, 0);
	assert_true(ansi_line_put(&l, 0x4e2d, 2, &red));
	ansi_line_combine(&l, 0x301);
	ansi_line_combine(&l, 0x302);
	ansi_line_combine(&l, 0x303);	/* a third: no room */
	assert_int_equal(l.cells[0].combining[0], 0x301);
	assert_int_equal(l.cells[0].combining[1], 0x302);
	assert_int_equal(l.cells[1].combining[0], 0);
	ansi_line_free(&l);
}

static void
test_text(void **state)
{
	struct ansi_line l = { 0 };
	char out[16];

	(void)state;
	put(&l, "e");
	ansi_line_combine(&l, 0x301);
	assert_true(ansi_line_put(&l, 0x4e2d, 2, &red));
	put(&l, "!");
	assert_int_equal(ansi_line_text(&l, out, sizeof out), 7);
	assert_string_equal(out, "e\xcc\x81\xe4\xb8\xad!");
	/* a character that does not fit whole is left out */
	assert_int_equal(ansi_line_text(&l, out, 6), 3);
	assert_string_equal(out, "e\xcc\x81");
	assert_int_equal(ansi_line_text(&l, out, 1), 0);
	assert_string_equal(out, "");
	assert_int_equal(ansi_line_text(&l, out, 0), 0);
	ansi_line_clear(&l);
	assert_int_equal(l.len + l.cursor, 0);
	assert_non_null(l.cells);	/* the memory is kept */
	assert_int_equal(ansi_line_text(&l, out, sizeof out), 0);
	ansi_line_free(&l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_moves_the_cursor),
		cmocka_unit_test(test_overwrite_splits_no_wide_character),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_tab),
		cmocka_unit_test(test_combine),
		cmocka_unit_test(test_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
