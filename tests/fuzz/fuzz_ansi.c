/*
 * libFuzzer target for ansi: whatever a child prints, the cells must be
 * drawable and free of control characters, feeding the bytes in pieces
 * must not change the result, and the plain text must be clean UTF-8.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude \
 *       tests/fuzz/fuzz_ansi.c src/ansi.c src/ansiline.c src/sgr.c \
 *       -o /tmp/fuzz_ansi
 *   /tmp/fuzz_ansi -max_total_time=60 tests/fuzz/corpus/ansi
 *
 * The first three input bytes choose the split points and the line's
 * max; the rest is the output of the child.
 */
#include <locale.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ansi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
fuzz_bad_char(uint32_t ch)
{
	return ch < 0x20 || (ch >= 0x7f && ch <= 0x9f) ||
	    (ch >= 0xd800 && ch <= 0xdfff) || ch > 0x10ffff;
}

static void
fuzz_check_cells(const struct ansi_line *l)
{
	size_t limit = l->max ? l->max : 65536, i;
	int k;

	if (l->len > limit || l->len > l->cap || l->cursor > l->len)
		abort();
	for (i = 0; i < l->len; i++) {
		const struct ansi_cell *c = &l->cells[i];

		if (c->width > 2)
			abort();
		if (c->width == 0) {
			if (i == 0 || l->cells[i - 1].width != 2 || c->ch != 0 ||
			    c->combining[0] != 0)
				abort();
			continue;
		}
		if (c->width == 2 &&
		    (i + 1 >= l->len || l->cells[i + 1].width != 0))
			abort();
		if (fuzz_bad_char(c->ch))
			abort();
		for (k = 0; k < ANSI_MAX_COMBINING; k++)
			if (c->combining[k] != 0 && fuzz_bad_char(c->combining[k]))
				abort();
	}
}

static bool
fuzz_cells_equal(const struct ansi_line *a, const struct ansi_line *b)
{
	size_t i;

	if (a->len != b->len || a->cursor != b->cursor)
		return false;
	for (i = 0; i < a->len; i++) {
		const struct ansi_cell *x = &a->cells[i], *y = &b->cells[i];

		if (x->ch != y->ch || x->width != y->width ||
		    x->combining[0] != y->combining[0] ||
		    x->combining[1] != y->combining[1] ||
		    x->style.fg != y->style.fg || x->style.bg != y->style.bg ||
		    x->style.attr != y->style.attr)
			return false;
	}
	return true;
}

/* Strict UTF-8: no overlongs, surrogates or values past U+10FFFF. */
static bool
fuzz_valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0, need, k;
	uint32_t cp, min;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] >= 0xc2 && s[i] <= 0xdf) {
			need = 1, cp = s[i] & 0x1f, min = 0x80;
		} else if (s[i] >= 0xe0 && s[i] <= 0xef) {
			need = 2, cp = s[i] & 0x0f, min = 0x800;
		} else if (s[i] >= 0xf0 && s[i] <= 0xf4) {
			need = 3, cp = s[i] & 0x07, min = 0x10000;
		} else {
			return false;
		}
		if (need >= n - i)
			return false;
		for (k = 1; k <= need; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += need + 1;
	}
	return true;
}

static void
fuzz_check_plain(const char *text, size_t len, size_t size)
{
	char *out = malloc(size ? size : 1);
	size_t n;

	if (out == NULL)
		return;
	n = ansi_plain(text, len, out, size);
	if (size == 0) {
		if (n != 0)
			abort();
	} else if (n >= size || out[n] != '\0' || strlen(out) != n ||
	    memchr(out, 0x1b, n) != NULL ||
	    !fuzz_valid_utf8((const unsigned char *)out, n)) {
		abort();
	}
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool locale_set;
	struct ansi_line split = { 0 }, whole = { 0 };
	struct ansi_parser p;
	const char *text;
	size_t len, a, b;

	if (!locale_set) {
		setlocale(LC_CTYPE, "C.UTF-8");
		locale_set = true;
	}
	if (size < 3)
		return 0;
	text = (const char *)data + 3;
	len = size - 3;
	a = len ? data[0] % (len + 1) : 0;
	b = len ? data[1] % (len + 1) : 0;
	if (a > b) {
		size_t t = a;

		a = b;
		b = t;
	}
	/* mostly the default limit, sometimes a tiny one */
	split.max = whole.max = data[2] < 32 ? data[2] : 0;

	ansi_parser_init(&p);
	ansi_feed(&p, &split, text, a);
	ansi_feed(&p, &split, text + a, b - a);
	ansi_feed(&p, &split, text + b, len - b);
	ansi_finish(&p, &split);
	fuzz_check_cells(&split);

	ansi_render(&whole, text, len);
	fuzz_check_cells(&whole);
	if (!fuzz_cells_equal(&split, &whole))
		abort();

	fuzz_check_plain(text, len, 4096);
	fuzz_check_plain(text, len, data[0] % 16);

	ansi_line_free(&split);
	ansi_line_free(&whole);
	return 0;
}
