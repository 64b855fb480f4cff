/* Unit tests for configread: what a client hears, in which order, when a
 * file is read through inih. */
#define _GNU_SOURCE		/* vasprintf */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "configread.h"

/* Every callback appends one line to the log. */
struct client {
	char log[8192];
	size_t len;
	const char *refuse;	/* a key the client does not keep */
};

static void __attribute__((format(printf, 2, 3)))
client_log(struct client *c, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(c->log + c->len, sizeof c->log - c->len, fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < sizeof c->log - c->len);
	c->len += (size_t)n;
}

static void
client_section(void *user, const char *name, int line)
{
	client_log(user, "[%s] %d\n", name, line);
}

static bool
client_key(void *user, const char *key, int line)
{
	struct client *c = user;

	client_log(c, "key %s %d\n", key, line);
	return c->refuse == NULL || strcmp(key, c->refuse) != 0;
}

static void
client_end(void *user, const struct configread_entry *e, size_t n)
{
	size_t i;

	client_log(user, "end");
	for (i = 0; i < n; i++) {
		assert_int_equal(e[i].len, strlen(e[i].value));
		assert_true(e[i].size > e[i].len);
		client_log(user, " %s=%s@%d", e[i].key, e[i].value, e[i].line);
	}
	client_log(user, "\n");
}

static void __attribute__((format(printf, 4, 0)))
client_report(void *user, bool warning, int line, const char *fmt,
    va_list ap)
{
	char *msg;

	assert_true(vasprintf(&msg, fmt, ap) >= 0);
	client_log(user, "%s %d: %s\n", warning ? "warning" : "error", line,
	    msg);
	free(msg);
}

static const struct configread_ops ops = {
	.section = client_section,
	.key = client_key,
	.end = client_end,
	.report = client_report,
};

/* Read TEXT (LEN bytes) as a file; the log must be WANT. */
static void
assert_reads(const char *text, size_t len, const char *refuse,
    const char *want)
{
	struct client c = { .refuse = refuse };
	char path[] = "/tmp/tend-configread-test.XXXXXX";
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
	assert_int_equal(configread_file(path, &ops, &c), 0);
	unlink(path);
	assert_string_equal(c.log, want);
}

#define READS(text, want) assert_reads(text, sizeof text - 1, NULL, want)
#define READS_REFUSING(text, refuse, want) \
	assert_reads(text, sizeof text - 1, refuse, want)

/* Sections end before each header and at the end of the file; the lines
 * before the first header are a section of their own. */
static void
test_sections_and_keys(void **state)
{
	(void)state;
	READS("; comment\n# another\n\n[a]\nk = v\nk2: w\n[b:c]\nx=1\n",
	    "end\n[a] 4\nkey k 5\nkey k2 6\nend k=v@5 k2=w@6\n"
	    "[b:c] 7\nkey x 8\nend x=1@8\n");
	READS("top = 1\n[a]\n", "key top 1\nend top=1@1\n[a] 2\nend\n");
	READS("", "end\n");
}

/* An indented line after a key continues its value (an inline comment
 * on it is cut); a key the client refused is not kept. */
static void
test_continuation_and_refusal(void **state)
{
	(void)state;
	READS("[a]\nk = one\n  two ; note\n\tthree;four\n\n  four\n",
	    "end\n[a] 1\nkey k 2\nend k=one two three;four four@2\n");
	READS_REFUSING("[a]\nk = 1\nskip = 2\nm = 3\n", "skip",
	    "end\n[a] 1\nkey k 2\nkey skip 3\nkey m 4\nend k=1@2 m=3@4\n");
	/* indented before any key: a key of its own */
	READS("[a]\n  k = 1\n", "end\n[a] 1\nkey k 2\nend k=1@2\n");
}

/* Line endings, a byte order mark, and lines inih must not see. */
static void
test_lines_refused(void **state)
{
	char text[512], want[512];
	int n;

	(void)state;
	READS("\xEF\xBB\xBF[a]\r\nk = v\r\n", "end\n[a] 1\nkey k 2\n"
	    "end k=v@2\n");
	READS("[a]\nk = v\nnot ini\n[b\nm = 1\n[c]\n",
	    "end\n[a] 1\nkey k 2\n"
	    "error 3: not a 'key = value' line or a [section]\n"
	    "error 4: section header without ']'\nend k=v@2\n"
	    "key m 5\nend m=1@5\n[c] 6\nend\n");
	READS("[a]\nk = a\0b\nm = 1\n", "end\n[a] 1\n"
	    "error 2: a NUL byte: this is not a text file\nkey m 3\n"
	    "end m=1@3\n");
	/* 200 characters are too many, 199 are not */
	n = snprintf(text, sizeof text, "[a]\nk = %0196d\nm = %0195d\n", 0, 0);
	snprintf(want, sizeof want, "end\n[a] 1\nerror 2: line is longer "
	    "than 199 characters; continue the value on the next line, "
	    "indented\nkey m 3\nend m=%0195d@3\n", 0);
	assert_reads(text, (size_t)n, NULL, want);
}

static void
test_not_opened(void **state)
{
	struct client c = { .refuse = NULL };

	(void)state;
	assert_int_equal(configread_file("/nonexistent/t.ini", &ops, &c), -1);
	assert_string_equal(c.log, "error 0: cannot open: No such file or "
	    "directory\n");
	c.len = 0;
	assert_int_equal(configread_file("/", &ops, &c), -1);
	assert_string_equal(c.log, "error 0: cannot open: Is a directory\n");
	c.len = 0;
	assert_int_equal(configread_file("/dev/null", &ops, &c), -1);
	assert_string_equal(c.log, "error 0: not a regular file (a character "
	    "device)\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sections_and_keys),
		cmocka_unit_test(test_continuation_and_refusal),
		cmocka_unit_test(test_lines_refused),
		cmocka_unit_test(test_not_opened),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
