/* Unit tests for logfile and stamp: rotation's names and sizes, whole
 * lines across rotations, and the timestamp formats. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "logfile.h"
#include "stamp.h"
#include "store.h"

static void
test_backup_names(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(logfile_backup_name("web.log", 0, buf, sizeof buf), 7);
	assert_string_equal(buf, "web.log");
	logfile_backup_name("web.log", 1, buf, sizeof buf);
	assert_string_equal(buf, "web.log.1");
	logfile_backup_name("web.log", 10, buf, sizeof buf);
	assert_string_equal(buf, "web.log.10");
}

static void
test_needs_rotation(void **state)
{
	(void)state;
	assert_false(logfile_needs_rotation(100, 10, 0));	/* 0: never */
	assert_false(logfile_needs_rotation(90, 10, 100));	/* exactly fits */
	assert_true(logfile_needs_rotation(91, 10, 100));
	/* an empty file takes even a line longer than the maximum */
	assert_false(logfile_needs_rotation(0, 500, 100));
	assert_true(logfile_needs_rotation(1, 500, 100));
}

/* A store line of TEXT (static storage for the test). */
static const struct store_line *
line_of(const char *text, int64_t time_ms)
{
	static union {
		struct store_line l;
		char room[sizeof(struct store_line) + 256];
	} u;

	memset(&u, 0, sizeof u);
	u.l.time_ms = time_ms;
	u.l.len = (uint32_t)strlen(text);
	u.l.flags = STORE_EOL;
	memcpy(u.l.text, text, u.l.len);
	return &u.l;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 1 << 20);

	assert_non_null(f);
	*len = fread(buf, 1, (1 << 20) - 1, f);
	fclose(f);
	return buf;
}

/* 2000 numbered lines through a 4 KiB file with 3 backups: 4 files,
 * none above the maximum, whole lines only, and the newest lines all
 * there in order across .3 .2 .1 and the file itself. */
static void
test_rotation_keeps_lines(void **state)
{
	struct logfile_opts o = { .max_bytes = 4096, .backups = 3 };
	char dir[] = "/tmp/tend-test-logfile-XXXXXX", path[256], err[256];
	char name[300], text[32];
	struct logfile *lf;
	long expect = -1;
	int i, n;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/sub/p.log", dir);
	lf = logfile_open(path, &o, err, sizeof err);
	assert_non_null(lf);
	for (i = 1; i <= 2000; i++) {
		snprintf(text, sizeof text, "line %d", i);
		if (logfile_line(lf, line_of(text, 0), err, sizeof err) != 0)
			fail_msg("line %d: %s", i, err);
	}
	logfile_close(lf);
	for (n = 3; n >= 0; n--) {
		size_t len;
		char *buf, *p, *nl;
		struct stat st;

		logfile_backup_name(path, n, name, sizeof name);
		assert_int_equal(stat(name, &st), 0);
		assert_true(st.st_size <= 4096);
		buf = slurp(name, &len);
		assert_true(len > 0 && buf[len - 1] == '\n');
		for (p = buf; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
			long k;

			assert_int_equal(sscanf(p, "| line %ld", &k), 1);
			if (expect != -1)
				assert_int_equal(k, expect);
			expect = k + 1;
		}
		free(buf);
	}
	assert_int_equal(expect, 2001);
	logfile_backup_name(path, 4, name, sizeof name);
	assert_int_not_equal(access(name, F_OK), 0);	/* only 3 backups */
	snprintf(name, sizeof name, "rm -rf '%s'", dir);
	assert_int_equal(system(name), 0);
}

/* Timestamps: ISO 8601 local time with milliseconds and the offset. */
static void
test_stamp_formats(void **state)
{
	/* 2026-12-02 04:05:06.789 UTC */
	int64_t t = 1796184306789LL;
	char buf[64];

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	assert_int_equal(stamp_iso(t, buf, sizeof buf), STAMP_ISO_LEN);
	assert_string_equal(buf, "2026-12-02T04:05:06.789+00:00");
	assert_int_equal(stamp_clock(t, 1, buf, sizeof buf), STAMP_CLOCK_MS_LEN);
	assert_string_equal(buf, "04:05:06.789");
	assert_int_equal(stamp_clock(t, 0, buf, sizeof buf), STAMP_CLOCK_LEN);
	assert_string_equal(buf, "04:05:06");
	/* POSIX TZ: "<+0530>-5:30" is 5h30 east of UTC */
	setenv("TZ", "<+0530>-5:30", 1);
	tzset();
	stamp_iso(t + 1000, buf, sizeof buf);	/* another second: reconverted */
	assert_string_equal(buf, "2026-12-02T09:35:07.789+05:30");
	setenv("TZ", "<-03>3", 1);
	tzset();
	stamp_iso(t + 2000, buf, sizeof buf);
	assert_string_equal(buf, "2026-12-02T01:05:08.789-03:00");
	/* the offset from the monotonic clock */
	stamp_sync(1000);
	assert_true(stamp_wall(1000) > 1700000000000LL);
	assert_true(stamp_wall(2000) - stamp_wall(1000) == 1000);
}

/* With timestamps on, each line starts with one. */
static void
test_timestamped_line(void **state)
{
	struct logfile_opts o = { .timestamps = true };
	char dir[] = "/tmp/tend-test-logfile-XXXXXX", path[256], err[256];
	struct logfile *lf;
	size_t len;
	char *buf;

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/t.log", dir);
	stamp_sync(0);
	lf = logfile_open(path, &o, err, sizeof err);
	assert_non_null(lf);
	assert_int_equal(logfile_line(lf, line_of("hello", 0), err, sizeof err),
	    0);
	logfile_close(lf);
	buf = slurp(path, &len);
	assert_int_equal(len, STAMP_ISO_LEN + 1 + 2 + 5 + 1);
	assert_memory_equal(buf + STAMP_ISO_LEN, " | hello\n", 9);
	assert_true(buf[4] == '-' && buf[10] == 'T' && buf[19] == '.');
	free(buf);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backup_names),
		cmocka_unit_test(test_needs_rotation),
		cmocka_unit_test(test_rotation_keeps_lines),
		cmocka_unit_test(test_stamp_formats),
		cmocka_unit_test(test_timestamped_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
