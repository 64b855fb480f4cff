/* Unit tests for how tend words exit statuses and durations. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "format.h"

/* A real wait status, from a real child. */
static int
status_of(int how)
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		if (how < 0) {
			signal(-how, SIG_DFL);
			raise(-how);
		}
		_exit(how);
	}
	waitpid(pid, &st, 0);
	return st;
}

static void
test_exit_codes(void **state)
{
	char buf[64];

	(void)state;
	format_exit(status_of(0), buf, sizeof buf);
	assert_string_equal(buf, "exited 0");
	format_exit(status_of(3), buf, sizeof buf);
	assert_string_equal(buf, "exited 3");
}

static void
test_signals_python_style(void **state)
{
	char buf[64];

	(void)state;
	format_exit(status_of(-SIGTERM), buf, sizeof buf);
	assert_string_equal(buf, "killed by SIGTERM (rc -15)");
	format_exit(status_of(-SIGKILL), buf, sizeof buf);
	assert_string_equal(buf, "killed by SIGKILL (rc -9)");
	format_exit(status_of(-SIGINT), buf, sizeof buf);
	assert_string_equal(buf, "killed by SIGINT (rc -2)");
}

static void
test_durations(void **state)
{
	char buf[32];

	(void)state;
	format_duration(400, buf, sizeof buf);
	assert_string_equal(buf, "0.4s");
	format_duration(9999, buf, sizeof buf);
	assert_string_equal(buf, "9.9s");
	format_duration(42000, buf, sizeof buf);
	assert_string_equal(buf, "42s");
	format_duration(192000, buf, sizeof buf);
	assert_string_equal(buf, "3m12s");
	format_duration(2 * 3600000 + 5 * 60000, buf, sizeof buf);
	assert_string_equal(buf, "2h05m");
	format_duration(-5, buf, sizeof buf);
	assert_string_equal(buf, "0.0s");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_codes),
		cmocka_unit_test(test_signals_python_style),
		cmocka_unit_test(test_durations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
