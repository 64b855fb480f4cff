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
#include <ini.h>

/* Debian's inih has run-time settings (not in upstream inih): with them a
 * test can make it read lines of any length itself, as a reference.  Weak:
 * without them that test is skipped. */
extern bool ini_use_stack, ini_allow_realloc;
extern int ini_max_line, ini_initial_alloc;
#pragma weak ini_use_stack
#pragma weak ini_allow_realloc
#pragma weak ini_max_line
#pragma weak ini_initial_alloc

/* Every callback appends one line to the log. */
struct client {
	char log[65536];
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
	size_t i, j;

	client_log(user, "end");
	for (i = 0; i < n; i++) {
		assert_int_equal(e[i].len, strlen(e[i].value));
		assert_true(e[i].size > e[i].len);
		client_log(user, " %s=%s@%d", e[i].key, e[i].value, e[i].line);
		for (j = 0; j < e[i].ncomments; j++)
			client_log(user, "(cut %d:\"%s\")", e[i].comments[j].line,
			    e[i].comments[j].text);
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
 * on it is cut, and kept with the value); a key the client refused is not
 * kept, nor are the lines that continue it. */
static void
test_continuation_and_refusal(void **state)
{
	(void)state;
	READS("[a]\nk = one\n  two ; note\n\tthree;four\n\n  four\n",
	    "end\n[a] 1\nkey k 2\nend k=one two three;four four@2"
	    "(cut 3:\" ; note\")\n");
	READS_REFUSING("[a]\nk = 1\nskip = 2\nm = 3\n", "skip",
	    "end\n[a] 1\nkey k 2\nkey skip 3\nkey m 4\nend k=1@2 m=3@4\n");
	READS_REFUSING("[a]\nk = 1\nskip = 2\n  more\n", "skip",
	    "end\n[a] 1\nkey k 2\nkey skip 3\nend k=1@2\n");
	/* indented before any key: a key of its own */
	READS("[a]\n  k = 1\n", "end\n[a] 1\nkey k 2\nend k=1@2\n");
	/* a key line's comment, cut by inih */
	READS("[a]\nk = x ;c\nm =;kept\nn = ;all\n",
	    "end\n[a] 1\nkey k 2\nkey m 3\nkey n 4\nend k=x@2(cut 2:\" ;c\")"
	    " m=;kept@3 n=@4(cut 4:\" ;all\")\n");
}

/* Line endings, a byte order mark, and lines inih must not see. */
static void
test_lines_refused(void **state)
{
	char text[1024], want[1024];
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
	/* a ';' after white space before the '=' makes inih refuse it */
	READS("[a]\na ;b = c\nm = 1\n", "end\n[a] 1\n"
	    "error 2: not a 'key = value' line or a [section]\nkey m 3\n"
	    "end m=1@3\n");
	/* a key name too long for inih's buffer: no key is that long */
	n = snprintf(text, sizeof text, "[a]\n%0200d = 1\nm = 2\n", 0);
	assert_reads(text, (size_t)n, NULL, "end\n[a] 1\nerror 2: a key name "
	    "of more than 197 characters: no key is that long\nkey m 3\n"
	    "end m=2@3\n");
	/* a long header and a long comment line */
	n = snprintf(text, sizeof text, "[%0300d]\n;%0300d\nm = 2\n", 0, 0);
	snprintf(want, sizeof want, "end\n[%0300d] 1\nkey m 3\nend m=2@3\n",
	    0);
	assert_reads(text, (size_t)n, NULL, want);
}


/* What a client kept of one key: its value and the first comment cut. */
struct kept {
	const char *key;
	char value[16384];
	char comment[16384];
	bool seen, seen_m;
};

static void
kept_section(void *user, const char *name, int line)
{
	(void)user, (void)name, (void)line;
}

static bool
kept_key(void *user, const char *key, int line)
{
	(void)user, (void)key, (void)line;
	return true;
}

static void
kept_end(void *user, const struct configread_entry *e, size_t n)
{
	struct kept *k = user;
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(e[i].key, "m") == 0)
			k->seen_m = strcmp(e[i].value, "end") == 0;
		if (strcmp(e[i].key, k->key) != 0)
			continue;
		k->seen = true;
		assert_true(e[i].len < sizeof k->value);
		memcpy(k->value, e[i].value, e[i].len + 1);
		if (e[i].ncomments > 0)
			snprintf(k->comment, sizeof k->comment, "%s",
			    e[i].comments[0].text);
	}
}

static void __attribute__((format(printf, 4, 0)))
kept_report(void *user, bool warning, int line, const char *fmt, va_list ap)
{
	(void)user, (void)warning, (void)line, (void)ap;
	fail_msg("unexpected report: %s", fmt);
}

static const struct configread_ops kept_ops = {
	.section = kept_section,
	.key = kept_key,
	.end = kept_end,
	.report = kept_report,
};

/* Read "[s]\nk = VALUE\nm = end\n" with configread into K. */
static void
read_kept(const char *value, struct kept *k)
{
	char path[] = "/tmp/tend-configread-test.XXXXXX";
	int fd = mkstemp(path);
	FILE *f;

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fprintf(f, "[s]\nk = %s\nm = end\n", value);
	fclose(f);
	memset(k, 0, sizeof *k);
	k->key = "k";
	assert_int_equal(configread_file(path, &kept_ops, k), 0);
	unlink(path);
	assert_true(k->seen);
	assert_true(k->seen_m);
}

/* A value far longer than inih's buffer comes back byte for byte, white
 * space and ';' included, wherever the pieces are cut; an inline comment
 * is cut where inih would cut it, across a piece boundary too. */
static void
test_long_lines(void **state)
{
	static char value[4096], want[4096];
	struct kept k;
	size_t n, m;

	(void)state;
	for (n = 150; n < 900; n++) {
		memset(value, 'x', n);
		strcpy(value + n, " ;c");
		read_kept(value, &k);
		value[n] = '\0';
		assert_string_equal(k.value, value);
		assert_string_equal(k.comment, " ;c");

		/* a ';' right after text is kept, wherever it falls */
		memset(value, 'x', n);
		strcpy(value + n, ";c  y");
		read_kept(value, &k);
		assert_string_equal(k.value, value);
		assert_string_equal(k.comment, "");
	}
	for (m = 1; m < 600; m += 7) {
		for (n = 180; n < 200; n++) {
			memset(value, 'x', n);
			memset(value + n, m % 2 ? ' ' : '\t', m);
			strcpy(value + n + m, "y; z ");
			memcpy(want, value, n + m + 4);
			want[n + m + 4] = '\0';
			read_kept(value, &k);
			assert_string_equal(k.value, want);
		}
	}
	/* white space before a long value goes, as before a short one */
	memset(value, ' ', 500);
	strcpy(value + 500, "v");
	read_kept(value, &k);
	assert_string_equal(k.value, "v");
}

/* The reference: Debian's inih told to read any line whole. */
static char ref_value[16384];

static int
ref_handler(void *user, const char *section, const char *name,
    const char *value)
{
	(void)user, (void)section;
	if (strcmp(name, "k") == 0)
		snprintf(ref_value, sizeof ref_value, "%s", value);
	return 1;
}

/*
 * Random values of every length up to 1500 from an alphabet of what
 * matters (white space, ';', '#', '=', ':', quotes): what configread makes
 * of "k = VALUE" through inih's 200-byte buffer is what inih makes of it
 * with a buffer the size of the line, and the comment configread notes is
 * exactly what inih cut.
 */
static void
test_same_as_inih_whole(void **state)
{
	static const char alphabet[] = "aaaaabbbc    \t\t;;;#=:\"'[]";
	static char value[2048], text[2200];
	bool stack, grow;
	int max, initial, trial;
	struct kept k;

	(void)state;
	if (&ini_use_stack == NULL || &ini_allow_realloc == NULL ||
	    &ini_max_line == NULL || &ini_initial_alloc == NULL)
		skip();
	srand(16);
	for (trial = 0; trial < 4000; trial++) {
		size_t len = (size_t)(rand() % 1500), i, stripped, v;

		for (i = 0; i < len; i++)
			value[i] = alphabet[rand() % (sizeof alphabet - 1)];
		value[len] = '\0';
		snprintf(text, sizeof text, "[s]\nk = %s\nm = end\n", value);
		stack = ini_use_stack, grow = ini_allow_realloc;
		max = ini_max_line, initial = ini_initial_alloc;
		ini_use_stack = false, ini_allow_realloc = true;
		ini_max_line = 1 << 16, ini_initial_alloc = 200;
		ref_value[0] = '\0';
		assert_int_equal(ini_parse_string(text, ref_handler, NULL), 0);
		ini_use_stack = stack, ini_allow_realloc = grow;
		ini_max_line = max, ini_initial_alloc = initial;

		read_kept(value, &k);
		if (strcmp(k.value, ref_value) != 0)
			fail_msg("trial %d: value [%s]: configread [%s], inih [%s]",
			    trial, value, k.value, ref_value);
		/* what inih cut: from after its value, past white space */
		for (v = 0; value[v] == ' ' || value[v] == '\t'; v++)
			;
		for (stripped = len; stripped > v && (value[stripped - 1] == ' ' ||
		    value[stripped - 1] == '\t'); stripped--)
			;
		if (v + strlen(ref_value) < stripped) {
			size_t c = v + strlen(ref_value);

			while (value[c] == ' ' || value[c] == '\t')
				c++;
			/* the white space before it: "k = " has one */
			if (c == 0)
				assert_true(k.comment[0] == ' ' &&
				    strcmp(k.comment + 1, value) == 0);
			else
				assert_string_equal(k.comment, value + c - 1);
		} else {
			assert_string_equal(k.comment, "");
		}
	}
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
		cmocka_unit_test(test_long_lines),
		cmocka_unit_test(test_same_as_inih_whole),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
