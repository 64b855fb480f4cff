/* Unit tests for sgrout: program output rebuilt for a terminal, colours
 * kept, every other escape sequence gone. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "ansi.h"
#include "sgrout.h"

static const char *
out_of(const char *text, uint64_t carry)
{
	static char buf[4096];

	sgrout_line(text, strlen(text), carry, buf, sizeof buf);
	return buf;
}

static void
test_plain_text_unchanged(void **state)
{
	(void)state;
	assert_string_equal(out_of("hello, wörld", 0), "hello, wörld");
	assert_string_equal(out_of("", 0), "");
}

static void
test_colours_kept(void **state)
{
	(void)state;
	assert_string_equal(out_of("a \033[31mred\033[0m b", 0),
	    "a \033[0;31mred\033[0m b");
	/* bold bright green on a 256-colour background, then truecolour */
	assert_string_equal(out_of("\033[1;92;48;5;200mX\033[38;2;1;2;3mY", 0),
	    "\033[0;1;92;48;5;200mX\033[0;1;38;2;1;2;3;48;5;200mY\033[0m");
	/* a line that ends coloured is reset at its end */
	assert_string_equal(out_of("\033[4mu", 0), "\033[0;4mu\033[0m");
}

static void
test_other_sequences_gone(void **state)
{
	(void)state;
	/* a title (OSC), a clear, a cursor move: none reaches the terminal */
	assert_string_equal(out_of("\033]0;pwned\007\033[2J\033[5;5Hok", 0),
	    "ok");
	/* a control character is a picture */
	assert_string_equal(out_of("a\001b", 0), "a\xe2\x90\x81" "b");
}

static void
test_carry(void **state)
{
	uint64_t red = ansi_carry(0, "\033[31m", 5);

	(void)state;
	/* the colour a previous line left on goes on */
	assert_string_equal(out_of("still", red), "\033[0;31mstill\033[0m");
}

static void
test_cut_to_size(void **state)
{
	char buf[16];
	size_t n;

	(void)state;
	n = sgrout_line("\033[31mabcdefghijklmnop", 19, 0, buf, sizeof buf);
	assert_true(n < sizeof buf);
	assert_int_equal(buf[n], '\0');
	/* still ends in the default style */
	assert_true(n >= 4 && memcmp(buf + n - 4, "\033[0m", 4) == 0);
}

/* Widths come from wcwidth(), which needs a UTF-8 locale. */
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
		cmocka_unit_test(test_plain_text_unchanged),
		cmocka_unit_test(test_colours_kept),
		cmocka_unit_test(test_other_sequences_gone),
		cmocka_unit_test(test_carry),
		cmocka_unit_test(test_cut_to_size),
	};

	return cmocka_run_group_tests(tests, setup_locale, NULL);
}
