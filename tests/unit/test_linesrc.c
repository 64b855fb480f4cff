/* Unit tests for what panes show: filters and their incremental index,
 * and line sources merging stores by arrival, walked both ways. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "filter.h"
#include "linesrc.h"
#include "store.h"

static void
add(struct store *st, enum store_stream s, const char *text)
{
	char buf[256];

	snprintf(buf, sizeof buf, "%s\n", text);
	store_append(st, s, buf, strlen(buf), 0);
}

/* The texts of a walk, joined by commas. */
static void
walk_text(struct linesrc *s, char *out, size_t size)
{
	struct linesrc_line l;
	size_t n = 0;

	out[0] = '\0';
	while (linesrc_step(s, &l) && n + l.len + 2 < size) {
		memcpy(out + n, l.text, l.len);
		n += l.len;
		out[n++] = ',';
		out[n] = '\0';
	}
}

static void
test_filter_text_and_stderr(void **state)
{
	struct filter f = { 0 };

	(void)state;
	filter_set(&f, L"Apple", 5);
	assert_true(f.on);
	assert_true(filter_keeps(&f, "an APPLE a day", 14, STORE_STDOUT, 0));
	assert_false(filter_keeps(&f, "a banana", 8, STORE_STDOUT, 0));
	/* Colour codes inside the word do not hide it. */
	assert_true(filter_keeps(&f, "ap\033[31mple", 11, STORE_STDOUT, 0));
	filter_set(&f, L"!", 1);
	assert_true(f.err_only);
	assert_true(filter_keeps(&f, "anything", 8, STORE_STDERR, 0));
	assert_false(filter_keeps(&f, "anything", 8, STORE_STDOUT, 0));
	assert_false(filter_keeps(&f, "a note", 6, STORE_STDERR, STORE_NOTE));
	filter_set(&f, L"! time", 6);
	assert_true(filter_keeps(&f, "timeout", 7, STORE_STDERR, 0));
	assert_false(filter_keeps(&f, "timeout", 7, STORE_STDOUT, 0));
	assert_false(filter_keeps(&f, "refused", 7, STORE_STDERR, 0));
	filter_set(&f, L"\\!bang", 6);
	assert_false(f.err_only);
	assert_true(filter_keeps(&f, "say !BANG", 9, STORE_STDOUT, 0));
	filter_set(&f, L"", 0);
	assert_false(f.on);
	assert_true(filter_keeps(&f, "x", 1, STORE_STDOUT, 0));
}

/* The index follows new lines, and forgets those the ring dropped. */
static void
test_filter_index_incremental(void **state)
{
	struct store *st = store_new(4, 1 << 20, NULL, NULL);
	struct filter f = { 0 };
	struct filter_index fi = { 0 };

	(void)state;
	filter_set(&f, L"keep", 4);
	add(st, STORE_STDOUT, "keep 1");
	add(st, STORE_STDOUT, "drop 2");
	filter_index_update(&fi, &f, st);
	assert_int_equal(filter_index_count(&fi), 1);
	add(st, STORE_STDOUT, "keep 3");
	add(st, STORE_STDOUT, "keep 4");
	filter_index_update(&fi, &f, st);
	assert_int_equal(filter_index_count(&fi), 3);
	/* Two more: "keep 1" and "drop 2" leave the ring of 4. */
	add(st, STORE_STDOUT, "keep 5");
	add(st, STORE_STDOUT, "drop 6");
	filter_index_update(&fi, &f, st);
	assert_int_equal(filter_index_count(&fi), 3);
	assert_int_equal(filter_index_seq(&fi, 0), 2);
	assert_int_equal(filter_index_seq(&fi, 2), 4);
	/* A new pattern starts the index anew. */
	filter_set(&f, L"drop", 4);
	filter_index_update(&fi, &f, st);
	assert_int_equal(filter_index_count(&fi), 1);
	assert_int_equal(filter_index_seq(&fi, 0), 5);
	filter_index_free(&fi);
	store_free(st);
}

/* Bounded: the index never holds more than the ring, whatever comes. */
static void
test_filter_index_bounded(void **state)
{
	struct store *st = store_new(100, 1 << 20, NULL, NULL);
	struct filter f = { 0 };
	struct filter_index fi = { 0 };
	int i;

	(void)state;
	filter_set(&f, L"x", 1);
	for (i = 0; i < 10000; i++) {
		add(st, STORE_STDOUT, "x");
		if (i % 7 == 0)
			filter_index_update(&fi, &f, st);
	}
	filter_index_update(&fi, &f, st);
	assert_int_equal(filter_index_count(&fi), 100);
	assert_true(fi.cap <= 256);
	filter_index_free(&fi);
	store_free(st);
}

/* Two stores merged in the order their lines came, both ways. */
static void
test_merge_by_arrival(void **state)
{
	struct store *a = store_new(100, 1 << 20, NULL, NULL);
	struct store *b = store_new(100, 1 << 20, NULL, NULL);
	struct linesrc s;
	char text[256];

	(void)state;
	add(a, STORE_STDOUT, "a1");
	add(b, STORE_STDOUT, "b1");
	add(b, STORE_STDERR, "b2");
	add(a, STORE_STDOUT, "a2");
	store_append(b, STORE_STDOUT, "prompt> ", 8, 0);	/* a tail */
	linesrc_init(&s);
	assert_int_equal(linesrc_add(&s, a, NULL, NULL, "a", 1), 0);
	assert_int_equal(linesrc_add(&s, b, NULL, NULL, "b", 2), 0);
	linesrc_walk_on(&s, LINESRC_FIRST);
	walk_text(&s, text, sizeof text);
	assert_string_equal(text, "a1,b1,b2,a2,prompt> ,");
	linesrc_walk_back(&s, LINESRC_LAST);
	walk_text(&s, text, sizeof text);
	assert_string_equal(text, "prompt> ,a2,b2,b1,a1,");
	linesrc_free(&s);
	store_free(a);
	store_free(b);
}

/* A walk from a key starts at that line (back: at or before it). */
static void
test_walk_from_key(void **state)
{
	struct store *a = store_new(100, 1 << 20, NULL, NULL);
	struct store *b = store_new(100, 1 << 20, NULL, NULL);
	struct linesrc s;
	struct linesrc_line l, b1;
	char text[256];

	(void)state;
	add(a, STORE_STDOUT, "a1");
	add(b, STORE_STDOUT, "b1");
	add(a, STORE_STDOUT, "a2");
	add(b, STORE_STDOUT, "b2");
	linesrc_init(&s);
	linesrc_add(&s, a, NULL, NULL, "a", 1);
	linesrc_add(&s, b, NULL, NULL, "b", 2);
	linesrc_walk_on(&s, LINESRC_FIRST);
	linesrc_step(&s, &l);
	linesrc_step(&s, &b1);
	assert_memory_equal(b1.text, "b1", 2);
	assert_string_equal(b1.label, "b");
	linesrc_walk_on(&s, b1.key);
	walk_text(&s, text, sizeof text);
	assert_string_equal(text, "b1,a2,b2,");
	linesrc_walk_back(&s, b1.key);
	walk_text(&s, text, sizeof text);
	assert_string_equal(text, "b1,a1,");
	linesrc_walk_back(&s, b1.key - 1);
	walk_text(&s, text, sizeof text);
	assert_string_equal(text, "a1,");
	linesrc_free(&s);
	store_free(a);
	store_free(b);
}

/* A filtered part shows only what its index keeps, tails included when
 * they match. */
static void
test_filtered_part(void **state)
{
	struct store *a = store_new(100, 1 << 20, NULL, NULL);
	struct filter f = { 0 };
	struct filter_index fi = { 0 };
	struct linesrc s;
	char text[256];

	(void)state;
	add(a, STORE_STDOUT, "apple 1");
	add(a, STORE_STDOUT, "banana 2");
	add(a, STORE_STDERR, "apple 3");
	store_append(a, STORE_STDOUT, "apple tail", 10, 0);
	filter_set(&f, L"apple", 5);
	filter_index_update(&fi, &f, a);
	linesrc_init(&s);
	linesrc_add(&s, a, &f, &fi, NULL, 0);
	linesrc_walk_on(&s, LINESRC_FIRST);
	walk_text(&s, text, sizeof text);
	assert_string_equal(text, "apple 1,apple 3,apple tail,");
	filter_set(&f, L"!", 1);
	filter_index_update(&fi, &f, a);
	linesrc_reset(&s);
	linesrc_add(&s, a, &f, &fi, NULL, 0);
	linesrc_walk_on(&s, LINESRC_FIRST);
	walk_text(&s, text, sizeof text);
	assert_string_equal(text, "apple 3,");
	linesrc_free(&s);
	filter_index_free(&fi);
	store_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filter_text_and_stderr),
		cmocka_unit_test(test_filter_index_incremental),
		cmocka_unit_test(test_filter_index_bounded),
		cmocka_unit_test(test_merge_by_arrival),
		cmocka_unit_test(test_walk_from_key),
		cmocka_unit_test(test_filtered_part),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
