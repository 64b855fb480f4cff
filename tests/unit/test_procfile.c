/* Unit tests for procfile: the lines of a Procfile, the line of each
 * error, and which file names are Procfiles. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "procfile.h"

struct result {
	char log[32768];
	size_t len;
};

static void __attribute__((format(printf, 2, 3)))
result_log(struct result *r, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(r->log + r->len, sizeof r->log - r->len, fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < sizeof r->log - r->len);
	r->len += (size_t)n;
}

static void
on_report(void *user, int line, const char *msg)
{
	result_log(user, "error %d: %s\n", line, msg);
}

/* Parsing TEXT (LEN bytes) logs WANT (the errors, then "NAME=<command>@line"
 * a program) and returns RC. */
static void
assert_parse(const char *text, size_t len, int rc, const char *want)
{
	struct result r = { .len = 0 };
	struct procfile pf;
	size_t i;

	r.log[0] = '\0';
	assert_int_equal(procfile_parse(text, len, &pf, on_report, &r), rc);
	for (i = 0; i < pf.n; i++)
		result_log(&r, "%s=<%s>@%d\n", pf.entries[i].name,
		    pf.entries[i].command, pf.entries[i].line);
	procfile_free(&pf);
	assert_string_equal(r.log, want);
}

#define PARSES(text, want) assert_parse(text, sizeof text - 1, 0, want)
#define FAILS(text, want) assert_parse(text, sizeof text - 1, -1, want)

static void
test_lines(void **state)
{
	(void)state;
	PARSES("", "");
	PARSES("web: bundle exec rails s -p $PORT\nworker:sidekiq\n",
	    "web=<bundle exec rails s -p $PORT>@1\nworker=<sidekiq>@2\n");
	/* comments and blank lines; white space around the parts; a '#'
	 * and a ':' inside a command are the shell's */
	PARSES("# the app\n\n   \nweb :  echo a # b: c  \n  \tclock:\tx\n",
	    "web=<echo a # b: c>@4\nclock=<x>@5\n");
	PARSES("a.b-c_9: x\n", "a.b-c_9=<x>@1\n");
	/* CRLF, a byte order mark, no newline at the end */
	PARSES("\xEF\xBB\xBF" "web: a\r\nworker: b", "web=<a>@1\nworker=<b>@2\n");
}

static void
test_long_line(void **state)
{
	char *text = malloc(20020), *want = malloc(20040);

	(void)state;
	memcpy(text, "web: ", 5);
	memset(text + 5, 'x', 20000);
	text[20005] = '\n';
	snprintf(want, 20040, "web=<%.*s>@1\n", 20000, text + 5);
	assert_parse(text, 20006, 0, want);
	free(text);
	free(want);
}

static void
test_errors(void **state)
{
	(void)state;
	FAILS("web: a\nnot a program line\nworker: b\n",
	    "error 2: 'not a program line' is not 'NAME: command'\n"
	    "web=<a>@1\nworker=<b>@3\n");
	FAILS("web: a\nweb: b\n", "error 2: duplicate program 'web' (first at "
	    "line 1)\nweb=<a>@1\n");
	FAILS(".dot: a\nsp ace: b\n: c\nslash/x: d\n",
	    "error 1: '.dot' is not a program name (letters, digits, '_', '-' "
	    "and '.', not first)\n"
	    "error 2: 'sp ace' is not a program name (letters, digits, '_', '-' "
	    "and '.', not first)\n"
	    "error 3: '' is not a program name (letters, digits, '_', '-' and "
	    "'.', not first)\n"
	    "error 4: 'slash/x' is not a program name (letters, digits, '_', "
	    "'-' and '.', not first)\n");
	FAILS("web:\nworker:   \n", "error 1: web has no command\n"
	    "error 2: worker has no command\n");
	assert_parse("web: a\nx: b\0c\n", 13, -1, "error 2: a NUL byte: this is "
	    "not a text file\nweb=<a>@1\n");
}

static void
test_names(void **state)
{
	(void)state;
	assert_true(procfile_is_name("Procfile"));
	assert_true(procfile_is_name("./Procfile"));
	assert_true(procfile_is_name("/srv/app/Procfile.dev"));
	assert_true(procfile_is_name("Procfile.local"));
	assert_true(procfile_is_name("dev.procfile"));
	assert_true(procfile_is_name("sub/x.procfile"));
	assert_false(procfile_is_name("Procfile."));
	assert_false(procfile_is_name(".procfile"));
	assert_false(procfile_is_name("procfile"));
	assert_false(procfile_is_name("Procfile.dev/tend.ini"));
	assert_false(procfile_is_name("tend.ini"));
	assert_false(procfile_is_name("MyProcfile"));
	assert_true(procfile_valid_name("web.1", 5));
	assert_false(procfile_valid_name(".web", 4));
	assert_false(procfile_valid_name("", 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
