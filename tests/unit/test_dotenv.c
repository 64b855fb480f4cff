/* Unit tests for dotenv: each syntax rule of a .env file, and the line
 * of each error. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dotenv.h"

/* The variables and messages of one parse, one line each. */
struct result {
	char log[8192];
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

/* tend's environment, as the tests want it. */
static const char *
on_lookup(void *user, const char *key)
{
	(void)user;
	if (strcmp(key, "HOME") == 0)
		return "/home/me";
	if (strcmp(key, "EMPTY_OUTSIDE") == 0)
		return "";
	if (strcmp(key, "A") == 0)
		return "from-tend";
	return NULL;
}

/* Parsing TEXT (LEN bytes) logs WANT ("KEY=<value>@line" a line, after
 * the errors) and returns RC. */
static void
assert_parse(const char *text, size_t len, int rc, const char *want)
{
	struct result r = { .len = 0 };
	struct dotenv env;
	size_t i;

	r.log[0] = '\0';
	assert_int_equal(dotenv_parse(text, len, &env, on_lookup, NULL,
	    on_report, &r), rc);
	for (i = 0; i < env.n; i++)
		result_log(&r, "%s=<%s>@%d\n", env.vars[i].key, env.vars[i].value,
		    env.vars[i].line);
	dotenv_free(&env);
	assert_string_equal(r.log, want);
}

#define PARSES(text, want) assert_parse(text, sizeof text - 1, 0, want)
#define FAILS(text, want) assert_parse(text, sizeof text - 1, -1, want)

/* Blank lines, comments, "export", white space around '=', empty values,
 * a later line for a KEY replacing the earlier one. */
static void
test_lines(void **state)
{
	(void)state;
	PARSES("", "");
	PARSES("\n\n   \n\t\n", "");
	PARSES("# a comment\n  # indented\nA=1\n",
	    "A=<1>@3\n");
	PARSES("export B=2\nexport\tC = 3\n  D =4\nE= 5  \n",
	    "B=<2>@1\nC=<3>@2\nD=<4>@3\nE=<5>@4\n");
	PARSES("EMPTY=\nEMPTY2=''\nEMPTY3=\"\"\nSPACES=   \n",
	    "EMPTY=<>@1\nEMPTY2=<>@2\nEMPTY3=<>@3\nSPACES=<>@4\n");
	PARSES("K=1\nL=x\nK=2\n", "K=<2>@3\nL=<x>@2\n");
	PARSES("export=1\nexportX=2\n_u9=3\n",
	    "export=<1>@1\nexportX=<2>@2\n_u9=<3>@3\n");
	/* CRLF, a byte order mark, no newline at the end */
	PARSES("\xEF\xBB\xBF" "A=1\r\nB=\"x\"\r\nC=3",
	    "A=<1>@1\nB=<x>@2\nC=<3>@3\n");
}

/* An unquoted value: a '#' after white space starts a comment, one right
 * after text does not; quotes inside it are text. */
static void
test_unquoted(void **state)
{
	(void)state;
	PARSES("A=a b  c # comment\nB=x#y\nC= # only a comment\n"
	    "D=it's \"so\"\nE=a\t#tab\n",
	    "A=<a b  c>@1\nB=<x#y>@2\nC=<>@3\nD=<it's \"so\">@4\nE=<a>@5\n");
}

/* Single quotes: everything as it is; double quotes: \n \t \r \" \\ \$
 * escapes, references, other backslashes kept; both may span lines, and
 * only a comment may follow the closing quote. */
static void
test_quotes(void **state)
{
	(void)state;
	PARSES("A='$HOME \\n # x'\nB=\"a\\nb\\tc\\\"d\\\\e\\$f\\qg\"\n",
	    "A=<$HOME \\n # x>@1\nB=<a\nb\tc\"d\\e$f\\qg>@2\n");
	PARSES("A=\"one\ntwo\"\nB='x\ny'\nC=3\n",
	    "A=<one\ntwo>@1\nB=<x\ny>@3\nC=<3>@5\n");
	PARSES("A=\"x\"   # comment\nB='y'\t\n", "A=<x>@1\nB=<y>@2\n");
	PARSES("A=\" padded \"\n", "A=< padded >@1\n");
}

/* ${VAR} and $VAR: earlier values of the file, then tend's environment,
 * empty if neither; defaults; \$ and a lone '$'. */
static void
test_references(void **state)
{
	(void)state;
	PARSES("A=local\nB=${A}/$A-$HOME\nC=\"$B ${NOPE}x $NOPE\"\n",
	    "A=<local>@1\nB=<local/local-/home/me>@2\n"
	    "C=<local/local-/home/me x >@3\n");
	/* before the file sets A, A is tend's */
	PARSES("B=$A\nA=mine\nC=$A\n",
	    "B=<from-tend>@1\nA=<mine>@2\nC=<mine>@3\n");
	PARSES("A=${NOPE:-dflt} ${NOPE-d2} ${EMPTY_OUTSIDE:-e} "
	    "${EMPTY_OUTSIDE-kept}.\n", "A=<dflt d2 e .>@1\n");
	PARSES("A=\\$HOME \\\\$HOME $ 5$ $1 $\n",
	    "A=<$HOME \\$HOME $ 5$ $1 $>@1\n");
}

/* Each bad line is an error with its line; the good lines stay. */
static void
test_errors(void **state)
{
	(void)state;
	FAILS("A=1\nnot a line\nB=2\n",
	    "error 2: no '=' after not (a line is KEY=value)\n"
	    "A=<1>@1\nB=<2>@3\n");
	FAILS("MY-VAR=1\n1ABC=2\n=3\nC=ok\n",
	    "error 1: 'MY-VAR' is not a variable name (letters, digits and '_', "
	    "not first a digit)\n"
	    "error 2: '1ABC' is not a variable name (letters, digits and '_', "
	    "not first a digit)\n"
	    "error 3: '=3' is not a variable name (letters, digits and '_', not "
	    "first a digit)\nC=<ok>@4\n");
	FAILS("A='open\nB=2\n", "error 1: unterminated ' quote in the value of "
	    "A\nB=<2>@2\n");
	FAILS("X=1\nA=\"open \\\" still\nB=2\n", "error 2: unterminated \" quote "
	    "in the value of A\nX=<1>@1\nB=<2>@3\n");
	FAILS("A=\"x\" y\nB='multi\nline' z\nC=3\n",
	    "error 1: text after the closing quote of A: 'y'\n"
	    "error 3: text after the closing quote of B: 'z'\nC=<3>@4\n");
	FAILS("A=${HOME\nB=\"${X}${Y\"\nC=${1}\nD=${A B}\nE=${A:+x}\nF=1\n",
	    "error 1: unterminated ${ in the value of A\n"
	    "error 2: unterminated ${ in the value of B\n"
	    "error 3: '${1}' in the value of C is not ${NAME}, ${NAME:-default} "
	    "or ${NAME-default}\n"
	    "error 4: '${A B}' in the value of D is not ${NAME}, "
	    "${NAME:-default} or ${NAME-default}\n"
	    "error 5: '${A:+x}' in the value of E is not ${NAME}, "
	    "${NAME:-default} or ${NAME-default}\nF=<1>@6\n");
	FAILS("A\n", "error 1: no '=' after A (a line is KEY=value)\n");
	assert_parse("A=1\nB=x\0y\n", 8, -1, "error 2: a NUL byte: this is not "
	    "a text file\n");
}

static void
test_get(void **state)
{
	struct result r = { .len = 0 };
	struct dotenv env;

	(void)state;
	assert_int_equal(dotenv_parse("A=1\nB=2\n", 8, &env, NULL, NULL,
	    on_report, &r), 0);
	assert_string_equal(dotenv_get(&env, "B"), "2");
	assert_null(dotenv_get(&env, "C"));
	dotenv_free(&env);
	/* LOOKUP NULL: tend's environment itself */
	setenv("TEND_DOTENV_TEST", "real", 1);
	assert_int_equal(dotenv_parse("A=$TEND_DOTENV_TEST\n", 20, &env, NULL,
	    NULL, on_report, &r), 0);
	assert_string_equal(dotenv_get(&env, "A"), "real");
	dotenv_free(&env);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_unquoted),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_references),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_get),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
