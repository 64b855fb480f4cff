/* Unit tests for the tiles' layout: every program gets a box inside the
 * screen, none overlap, the selected one always shows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tiles.h"

/* Every box shown is inside H x W and overlaps no other; returns how
 * many are shown. */
static int
check_boxes(const struct tiles_box *b, int n, int h, int w)
{
	int i, j, shown = 0;

	for (i = 0; i < n; i++) {
		if (b[i].h == 0)
			continue;
		shown++;
		assert_true(b[i].y >= 0 && b[i].x >= 0);
		assert_true(b[i].y + b[i].h <= h);
		assert_true(b[i].x + b[i].w <= w);
		assert_true(b[i].w > 0);
		for (j = 0; j < i; j++) {
			if (b[j].h == 0)
				continue;
			assert_false(b[i].x < b[j].x + b[j].w &&
			    b[j].x < b[i].x + b[i].w &&
			    b[i].y < b[j].y + b[j].h &&
			    b[j].y < b[i].y + b[i].h);
		}
	}
	return shown;
}

static void
test_grid_nine_at_80x24(void **state)
{
	struct tiles_box b[9];
	int i;

	(void)state;
	tiles_layout(9, 0, 23, 80, b);
	assert_int_equal(check_boxes(b, 9, 23, 80), 9);
	for (i = 0; i < 9; i++) {
		assert_false(b[i].row);
		assert_true(b[i].h >= TILES_MIN_H);
		assert_true(b[i].w >= TILES_MIN_W);
	}
}

/* Forty programs at 80x24: rows for all, a tile for the selected one. */
static void
test_rows_forty_at_80x24(void **state)
{
	struct tiles_box b[40];
	int sel, i, tiles;

	(void)state;
	for (sel = 0; sel < 40; sel += 13) {
		tiles_layout(40, sel, 23, 80, b);
		assert_int_equal(check_boxes(b, 40, 23, 80), 40);
		for (i = 0, tiles = 0; i < 40; i++)
			tiles += !b[i].row;
		assert_int_equal(tiles, 1);
		assert_false(b[sel].row);
	}
}

static void
test_grid_forty_at_160x45(void **state)
{
	struct tiles_box b[40];
	int i;

	(void)state;
	tiles_layout(40, 5, 44, 160, b);
	assert_int_equal(check_boxes(b, 40, 44, 160), 40);
	for (i = 0; i < 40; i++)
		assert_false(b[i].row);
}

/* More programs than rows: those around the selected one, which shows. */
static void
test_too_many_rows(void **state)
{
	struct tiles_box b[500];
	int sel;

	(void)state;
	for (sel = 0; sel < 500; sel += 97) {
		tiles_layout(500, sel, 10, 40, b);
		assert_true(check_boxes(b, 500, 10, 40) > 0);
		assert_true(b[sel].h > 0);
	}
}

/* Every size down to 1x1 stays inside the screen. */
static void
test_small_sizes(void **state)
{
	struct tiles_box b[12];
	int h, w, n;

	(void)state;
	for (n = 1; n <= 12; n += 5)
		for (h = 1; h <= 8; h++)
			for (w = 1; w <= 30; w++) {
				tiles_layout(n, n - 1, h, w, b);
				check_boxes(b, n, h, w);
				assert_true(b[n - 1].h > 0);
			}
}

/* The last row's tiles share its width: no hole at the right. */
static void
test_last_row_full_width(void **state)
{
	struct tiles_box b[5];

	(void)state;
	tiles_layout(5, 0, 40, 120, b);
	check_boxes(b, 5, 40, 120);
	assert_int_equal(b[4].x + b[4].w, 120);
}

static void
test_hit(void **state)
{
	struct tiles_box b[9];
	int i;

	(void)state;
	tiles_layout(9, 0, 23, 80, b);
	for (i = 0; i < 9; i++)
		assert_int_equal(tiles_hit(b, 9, b[i].y + 1, b[i].x + 1), i);
	assert_int_equal(tiles_hit(b, 9, 23, 0), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grid_nine_at_80x24),
		cmocka_unit_test(test_rows_forty_at_80x24),
		cmocka_unit_test(test_grid_forty_at_160x45),
		cmocka_unit_test(test_too_many_rows),
		cmocka_unit_test(test_small_sizes),
		cmocka_unit_test(test_last_row_full_width),
		cmocka_unit_test(test_hit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
