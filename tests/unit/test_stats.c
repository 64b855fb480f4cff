/* Unit tests for the /proc reading of stats.c: stat lines (a command
 * name with spaces and parentheses, short and broken lines), CPU % from
 * two samples, and one scan of /proc finding a real process tree. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "stats.h"

/* A line as Linux writes it: pid (comm) state ppid pgrp session tty
 * tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
 * priority nice threads itrealvalue starttime vsize rss ... */
#define STAT_TAIL " S 100 4242 4242 0 -1 4194560 120 0 3 0 250 50 7 3 " \
	"20 0 1 0 12345 10000000 321 18446744073709551615 1 1 0 0 0 0 0 0 0"

static void
test_parse_plain(void **state)
{
	const char *line = "4242 (sleep)" STAT_TAIL "\n";
	struct stats_task t;

	(void)state;
	assert_int_equal(stats_parse(line, strlen(line), &t), 0);
	assert_int_equal(t.pid, 4242);
	assert_int_equal(t.ppid, 100);
	assert_int_equal(t.sid, 4242);
	assert_int_equal(t.ticks, 250 + 50 + 7 + 3);
	assert_int_equal(t.rss_pages, 321);
	assert_int_equal(t.threads, 1);
}

/* A name may hold spaces, parentheses and a ") S 1 2 3" of its own:
 * only the last ')' ends it. */
static void
test_parse_comm_with_spaces_and_parens(void **state)
{
	const char *line = "77 (my (odd) ) S 1 2 3 name)" STAT_TAIL;
	struct stats_task t;

	(void)state;
	assert_int_equal(stats_parse(line, strlen(line), &t), 0);
	assert_int_equal(t.pid, 77);
	assert_int_equal(t.ppid, 100);
	assert_int_equal(t.sid, 4242);
	assert_int_equal(t.ticks, 310);
	assert_int_equal(t.rss_pages, 321);
}

static void
test_parse_rejects_broken_lines(void **state)
{
	const char *cut = "4242 (sleep) S 100 4242 4242 0 -1 4194560 120";
	const char *noparen = "4242 sleep" STAT_TAIL;
	struct stats_task t;

	(void)state;
	assert_int_equal(stats_parse(cut, strlen(cut), &t), -1);
	assert_int_equal(stats_parse(noparen, strlen(noparen), &t), -1);
	assert_int_equal(stats_parse("", 0, &t), -1);
}

/* A kernel may give negative child times to a process whose children
 * were reaped oddly: they count as none, never as a huge number. */
static void
test_parse_negative_child_times(void **state)
{
	const char *line = "5 (x) S 1 5 5 0 -1 0 0 0 0 0 10 20 -4 -1 20 0 1 "
	    "0 1 1 9";
	struct stats_task t;

	(void)state;
	assert_int_equal(stats_parse(line, strlen(line), &t), 0);
	assert_int_equal(t.ticks, 30);
	assert_int_equal(t.rss_pages, 9);
}

static void
test_cpu_percent(void **state)
{
	(void)state;
	/* 100 ticks at 100 Hz in 1 s: one core. */
	assert_true(stats_cpu_percent(1000, 1100, 1000, 100) == 100.0);
	/* 50 ticks in 2 s: a quarter of one. */
	assert_true(stats_cpu_percent(0, 50, 2000, 100) == 25.0);
	/* Two cores busy. */
	assert_true(stats_cpu_percent(0, 400, 2000, 100) == 200.0);
	/* A process left the tree: less time than before counts as none. */
	assert_true(stats_cpu_percent(500, 300, 1000, 100) == 0.0);
	assert_true(stats_cpu_percent(0, 0, 1000, 100) == 0.0);
	/* No time between the samples: no figure. */
	assert_true(stats_cpu_percent(0, 10, 0, 100) < 0);
}

static void
test_format_bytes(void **state)
{
	char buf[16];

	(void)state;
	stats_format_bytes(812 * 1024, buf, sizeof buf);
	assert_string_equal(buf, "812K");
	stats_format_bytes(45 * 1048576 + 629146, buf, sizeof buf);
	assert_string_equal(buf, "45.6M");
	stats_format_bytes(512ull * 1048576, buf, sizeof buf);
	assert_string_equal(buf, "512M");
	stats_format_bytes(1288490189ull, buf, sizeof buf);
	assert_string_equal(buf, "1.2G");
}

/* A real tree: a session leader whose child left its group and then
 * started a session of its own still counts, once; a process outside
 * counts for nothing. */
static void
test_scan_real_tree(void **state)
{
	struct stats_tree trees[2], walked;
	int fds[2];
	pid_t leader, grandchild;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	if ((leader = fork()) == 0) {
		pid_t g;

		setsid();
		if ((g = fork()) == 0) {
			setsid();	/* a grandchild in a session of its own */
			close(fds[0]);
			close(fds[1]);
			pause();
			_exit(0);
		}
		close(fds[0]);
		/* Burn a little CPU, so the tree has some. */
		for (volatile long i = 0; i < 50000000; i++)
			;
		if (write(fds[1], &g, sizeof g) != sizeof g)
			_exit(1);
		pause();
		_exit(0);
	}
	close(fds[1]);
	assert_int_equal(read(fds[0], &grandchild, sizeof grandchild),
	    sizeof grandchild);
	close(fds[0]);
	trees[0].leader = leader;
	trees[1].leader = getpid();	/* not a session leader: finds none */
	assert_int_equal(stats_scan(trees, 2), 0);
	walked = trees[0];
	/* The other way: every process of /proc looked at. */
	setenv("TEND_STATS_SCAN_ALL", "1", 1);
	assert_int_equal(stats_scan(trees, 2), 0);
	unsetenv("TEND_STATS_SCAN_ALL");
	/* Killed first: a failed assertion must not leave them behind. */
	kill(grandchild, SIGKILL);
	kill(leader, SIGKILL);
	waitpid(leader, NULL, 0);
	assert_int_equal(walked.nprocs, 2);
	assert_true(walked.rss_bytes > 0);
	assert_true(walked.ticks > 0);
	assert_int_equal(trees[0].nprocs, 2);
	assert_true(trees[0].rss_bytes > 0);
	assert_true(trees[0].ticks >= walked.ticks);
	assert_int_equal(trees[1].nprocs, 0);
	assert_true(stats_hz() > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_plain),
		cmocka_unit_test(test_parse_comm_with_spaces_and_parens),
		cmocka_unit_test(test_parse_rejects_broken_lines),
		cmocka_unit_test(test_parse_negative_child_times),
		cmocka_unit_test(test_cpu_percent),
		cmocka_unit_test(test_format_bytes),
		cmocka_unit_test(test_scan_real_tree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
