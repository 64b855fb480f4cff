/* Unit tests for configval: the meaning of one config value's text. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "configval.h"

static void
test_bool(void **state)
{
	(void)state;
	assert_int_equal(configval_bool("TRUE"), 1);
	assert_int_equal(configval_bool("yes"), 1);
	assert_int_equal(configval_bool("On"), 1);
	assert_int_equal(configval_bool("1"), 1);
	assert_int_equal(configval_bool("false"), 0);
	assert_int_equal(configval_bool("NO"), 0);
	assert_int_equal(configval_bool("off"), 0);
	assert_int_equal(configval_bool("0"), 0);
	assert_int_equal(configval_bool("2"), -1);
	assert_int_equal(configval_bool(""), -1);
	assert_int_equal(configval_bool("truee"), -1);
}

static void
test_uint_and_seconds(void **state)
{
	(void)state;
	assert_int_equal(configval_uint("42", 100), 42);
	assert_int_equal(configval_uint("0", 100), 0);
	assert_int_equal(configval_uint("100", 100), 100);
	assert_int_equal(configval_uint("101", 100), -1);
	assert_int_equal(configval_uint("-1", 100), -1);
	assert_int_equal(configval_uint(" 1", 100), -1);
	assert_int_equal(configval_uint("4x", 100), -1);
	assert_int_equal(configval_uint("", 100), -1);
	assert_int_equal(configval_uint("99999999999999999999", 100), -1);

	assert_true(configval_seconds("0.5", 10) == 0.5);
	assert_true(configval_seconds(".25", 10) == 0.25);
	assert_true(configval_seconds("10", 10) == 10);
	assert_true(configval_seconds("0", 10) == 0);
	assert_true(configval_seconds("11", 10) < 0);
	assert_true(configval_seconds("-1", 10) < 0);
	assert_true(configval_seconds("inf", 10) < 0);
	assert_true(configval_seconds("1s", 10) < 0);
	assert_true(configval_seconds("", 10) < 0);
}

static void
test_signals(void **state)
{
	(void)state;
	assert_int_equal(configval_stopsignal("TERM"), SIGTERM);
	assert_int_equal(configval_stopsignal("sigint"), SIGINT);
	assert_int_equal(configval_stopsignal("SIGKILL"), SIGKILL);
	assert_int_equal(configval_stopsignal("usr2"), SIGUSR2);
	/* named, but not a signal tend stops a program with */
	assert_int_equal(configval_stopsignal("SEGV"), -1);
	assert_int_equal(configval_stopsignal("15"), -1);
	assert_int_equal(configval_stopsignal(""), -1);

	assert_string_equal(configval_signal_name(SIGHUP), "HUP");
	assert_string_equal(configval_signal_name(SIGWINCH), "WINCH");
	assert_string_equal(configval_signal_name(SIGABRT), "ABRT");
	assert_string_equal(configval_signal_name(0), "?");
	assert_string_equal(configval_signal_name(-3), "?");
}

static void
test_exitcodes(void **state)
{
	unsigned char codes[256];
	int i;

	(void)state;
	memset(codes, 7, sizeof codes);
	assert_int_equal(configval_exitcodes(" 0, 2 ,255", codes), 0);
	for (i = 0; i < 256; i++)
		assert_int_equal(codes[i], i == 0 || i == 2 || i == 255);
	assert_int_equal(configval_exitcodes("256", codes), -1);
	assert_int_equal(configval_exitcodes("1,,2", codes), -1);
	assert_int_equal(configval_exitcodes("1,", codes), -1);
	assert_int_equal(configval_exitcodes("1;2", codes), -1);
	assert_int_equal(configval_exitcodes("", codes), -1);
	assert_int_equal(configval_exitcodes("-1", codes), -1);
}

static void
assert_path(const char *dir, const char *v, const char *want)
{
	char *got = configval_path(dir, v);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void
test_path(void **state)
{
	(void)state;
	assert_path("/d", "/abs/x", "/abs/x");
	assert_path("/d", ".", "/d");
	assert_path("/d", "", "/d");
	assert_path("/d", "./x", "/d/x");
	assert_path("/d", "x/y", "/d/x/y");
	assert_path("/d", "../x", "/d/../x");
}

/* configval_expand(V) is WANT, with no message. */
static void
assert_expands(const char *v, const char *program, const char *want)
{
	char *why = (char *)"unset", *got;

	got = configval_expand(v, "/here", program, &why);
	assert_null(why);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

/* configval_expand(V) fails, saying WHY. */
static void
assert_expand_fails(const char *v, const char *program, const char *want)
{
	char *why = NULL;

	assert_null(configval_expand(v, "/here", program, &why));
	assert_non_null(why);
	assert_string_equal(why, want);
	free(why);
}

static void
test_expand(void **state)
{
	(void)state;
	assert_int_equal(setenv("CONFIGVAL_X", "ex", 1), 0);
	unsetenv("CONFIGVAL_UNSET");
	assert_expands("plain", NULL, "plain");
	assert_expands("", NULL, "");
	assert_expands("a%(ENV_CONFIGVAL_X)sb", NULL, "aexb");
	assert_expands("%(here)s/logs", NULL, "/here/logs");
	assert_expands("%(program_name)s.log", "web", "web.log");
	assert_expands("100%% $((1 % 2)) %", NULL, "100% $((1 % 2)) %");
	/* NULL: not in a program's section ([tend]) */
	assert_expand_fails("%(program_name)s", NULL, "%(program_name)s: "
	    "no program here (it is known in [program:NAME] sections)");
	assert_expand_fails("x%(nope)s", "web", "%(nope)s: unknown "
	    "expansion (known: ENV_NAME, here, program_name, group_name, "
	    "process_num, numprocs)");
	assert_expand_fails("%(ENV_CONFIGVAL_UNSET)s", NULL,
	    "%(ENV_CONFIGVAL_UNSET)s: CONFIGVAL_UNSET is not set in tend's "
	    "environment");
	assert_expand_fails("a %(here", NULL, "unterminated %(...)s in "
	    "'a %(here'");
}

/* configval_environment(V) is the strings WANT, NULL-terminated. */
static void
assert_environment(const char *v, const char *const *want)
{
	char *why = (char *)"unset", **env;
	size_t i;

	env = configval_environment(v, "/here", "web", &why);
	assert_null(why);
	assert_non_null(env);
	for (i = 0; want[i] != NULL; i++) {
		assert_non_null(env[i]);
		assert_string_equal(env[i], want[i]);
	}
	assert_null(env[i]);
	configval_free_strv(env);
}

static void
assert_environment_fails(const char *v, const char *want)
{
	char *why = NULL;

	assert_null(configval_environment(v, "/here", "web", &why));
	assert_non_null(why);
	assert_string_equal(why, want);
	free(why);
}

static void
test_environment(void **state)
{
	static const char *const none[] = { NULL };
	static const char *const three[] = { "A=1", "B=x, y", "C=q ", NULL };
	static const char *const one[] = { "A=a,B=2", NULL };
	static const char *const named[] = { "N=web", "H=/here", NULL };

	(void)state;
	assert_environment("", none);
	assert_environment("  ", none);
	assert_environment(" A = 1 , B=\"x, y\",C='q '", three);
	/* expanded after the split: a comma in a variable adds nothing */
	assert_int_equal(setenv("CONFIGVAL_COMMA", "a,B=2", 1), 0);
	assert_environment("A=%(ENV_CONFIGVAL_COMMA)s", one);
	assert_environment("N=%(program_name)s,H=%(here)s", named);
	assert_environment_fails("A", "environment: missing '=' in 'A' "
	    "(expected KEY=value,KEY2=\"a, b\")");
	assert_environment_fails("1A=x", "environment: bad variable name in "
	    "'1A=x' (expected KEY=value,KEY2=\"a, b\")");
	assert_environment_fails("A=\"x", "environment: unterminated quote "
	    "in 'A=\"x' (expected KEY=value,KEY2=\"a, b\")");
	assert_environment_fails("A=1,B=%(nope)s", "environment: %(nope)s: unknown "
	    "expansion (known: ENV_NAME, here, program_name, group_name, "
	    "process_num, numprocs)");
	configval_free_strv(NULL);
}

static void
test_suggestions(void **state)
{
	static const char *const keys[] = { "command", "directory", "pty",
		NULL };
	char long_word[65];

	(void)state;
	assert_int_equal(configval_distance("abc", "abc"), 0);
	assert_int_equal(configval_distance("ABC", "abc"), 0);
	assert_int_equal(configval_distance("abc", "abd"), 1);
	assert_int_equal(configval_distance("abc", ""), 3);
	assert_int_equal(configval_distance("kitten", "sitting"), 3);
	memset(long_word, 'a', 64);
	long_word[64] = '\0';
	assert_true(configval_distance(long_word, "a") == SIZE_MAX);

	assert_string_equal(configval_nearest(keys, "comand"), "command");
	assert_string_equal(configval_nearest(keys, "Directroy"),
	    "directory");
	assert_string_equal(configval_nearest(keys, "ptx"), "pty");
	/* a short word is a typo at one edit, not two */
	assert_null(configval_nearest(keys, "pxx"));
	assert_null(configval_nearest(keys, "shell"));
}

/* supervisord's sizes: KB, MB, GB in any case, powers of 1024. */
static void
test_bytes(void **state)
{
	(void)state;
	assert_true(configval_bytes("0", 1LL << 40) == 0);
	assert_true(configval_bytes("1234", 1LL << 40) == 1234);
	assert_true(configval_bytes("64KB", 1LL << 40) == 65536);
	assert_true(configval_bytes("50MB", 1LL << 40) == 52428800);
	assert_true(configval_bytes("2gb", 1LL << 40) == 2147483648LL);
	assert_true(configval_bytes("1Mb", 1LL << 40) == 1048576);
	assert_true(configval_bytes("2GB", 1LL << 30) == -1);
	assert_true(configval_bytes("5TB", 1LL << 40) == -1);
	assert_true(configval_bytes("MB", 1LL << 40) == -1);
	assert_true(configval_bytes("-1", 1LL << 40) == -1);
	assert_true(configval_bytes("1 MB", 1LL << 40) == -1);
	assert_true(configval_bytes("", 1LL << 40) == -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bool),
		cmocka_unit_test(test_uint_and_seconds),
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_signals),
		cmocka_unit_test(test_exitcodes),
		cmocka_unit_test(test_path),
		cmocka_unit_test(test_expand),
		cmocka_unit_test(test_environment),
		cmocka_unit_test(test_suggestions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
