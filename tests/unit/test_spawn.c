/* Unit tests for what the shell is given to run: a simple command is
 * exec'd, so tend watches the program itself; anything more is left to
 * the shell as written. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "spawn.h"

static void
assert_line(const char *command, const char *want)
{
	char *line = spawn_command_line(command);

	assert_non_null(line);
	assert_string_equal(line, want);
	free(line);
}

static void
assert_left_alone(const char *command)
{
	assert_line(command, command);
}

static void
test_simple_commands_are_execd(void **state)
{
	(void)state;
	assert_line("sleep 600", "exec sleep 600");
	assert_line("python3 -m http.server 8070 --bind 127.0.0.1",
	    "exec python3 -m http.server 8070 --bind 127.0.0.1");
	assert_line("  tail -F /var/log/syslog", "exec   tail -F /var/log/syslog");
	assert_line("python3 -c 'import os; print(os.getpid())'",
	    "exec python3 -c 'import os; print(os.getpid())'");
	assert_line("echo \"a | b & c\" 'd; e' f\\;g",
	    "exec echo \"a | b & c\" 'd; e' f\\;g");
	assert_line("grep -v x <in >out", "exec grep -v x <in >out");
	assert_line("echo $HOME ${USER:-me}", "exec echo $HOME ${USER:-me}");
	assert_line("./server --port=8080", "exec ./server --port=8080");
}

static void
test_lists_and_pipes_are_left_alone(void **state)
{
	(void)state;
	assert_left_alone("echo a; echo b");
	assert_left_alone("make && ./run");
	assert_left_alone("a || b");
	assert_left_alone("seq 10 | sort -r");
	assert_left_alone("worker &");
	assert_left_alone("echo err >&2");
	assert_left_alone("(cd /tmp; ls)");
	assert_left_alone("echo `date`");
	assert_left_alone("echo $(date)");
	assert_left_alone("echo \"$(date)\"");
	assert_left_alone("echo one\necho two");
}

static void
test_keywords_builtins_assignments_are_left_alone(void **state)
{
	(void)state;
	assert_left_alone("while :; do date; sleep 1; done");
	assert_left_alone("if true then");
	assert_left_alone("exit 3");
	assert_left_alone("cd /tmp");
	assert_left_alone("read line");
	assert_left_alone("exec sleep 600");
	assert_left_alone("PORT=8080 ./server");
	assert_left_alone("{ echo a; }");
	assert_left_alone("");
	assert_left_alone("   ");
}

/* ARGV as one string, words joined by '|'. */
static void
assert_argv(const char *command, const char *want)
{
	char **argv = spawn_command_argv(command), buf[256] = "";
	size_t i;

	assert_non_null(argv);
	for (i = 0; argv[i] != NULL; i++) {
		if (i > 0)
			strcat(buf, "|");
		strcat(buf, argv[i]);
	}
	assert_string_equal(buf, want);
	free(argv);
}

static void
test_plain_commands_need_no_shell(void **state)
{
	(void)state;
	assert_argv("sleep 600", "sleep|600");
	assert_argv("  python3 -m http.server 8070\t--bind 127.0.0.1 ",
	    "python3|-m|http.server|8070|--bind|127.0.0.1");
	assert_argv("exec /tmp/nap 600", "/tmp/nap|600");
	assert_argv("./server --port=8080 a,b user@host:1 50%",
	    "./server|--port=8080|a,b|user@host:1|50%");
	assert_argv("x", "x");
}

static void
test_shell_words_need_the_shell(void **state)
{
	static const char *const need[] = {
		"echo 'a b'", "echo \"a\"", "echo a\\ b", "echo $HOME",
		"ls *.c", "ls ?", "ls [ab]", "cat ~/x", "echo {a,b}",
		"grep x <in", "echo >out", "echo a # note", "echo a; b",
		"a | b", "a && b", "worker &", "(ls)", "echo `date`",
		"cd /tmp", "PORT=1 ./server", "exec -a name sleep 1", "exec",
		"exec   ", "", "   ", "echo \xc3\xa9t\xc3\xa9", "echo !x",
		NULL
	};
	size_t i;

	(void)state;
	for (i = 0; need[i] != NULL; i++) {
		char **argv = spawn_command_argv(need[i]);

		if (argv != NULL)
			fail_msg("'%s' was split, but needs the shell", need[i]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple_commands_are_execd),
		cmocka_unit_test(test_lists_and_pipes_are_left_alone),
		cmocka_unit_test(test_keywords_builtins_assignments_are_left_alone),
		cmocka_unit_test(test_plain_commands_need_no_shell),
		cmocka_unit_test(test_shell_words_need_the_shell),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
