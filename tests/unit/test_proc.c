/* Unit tests for the life of a program (proc, stopseq, ptree, health),
 * driven through an engine with real children and a fake clock: startsecs,
 * the restart backoff, stop escalation, stopped programs, spawn failures,
 * background jobs, readiness and probes.  No test sleeps for a timer. */
#define _GNU_SOURCE
#include <netinet/in.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <cmocka.h>

#include "harness.h"
#include "health.h"

static char why[256];

/* --- startsecs --------------------------------------------------------- */

/* Starting until the fake clock reaches startsecs, however much real
 * time passes; running at exactly startsecs. */
static void
test_startsecs_running_only_when_the_clock_passes(void **state)
{
	struct h *h = *state;
	const struct proc_status *st;
	struct proc *p;
	pid_t pid;
	int i;

	h_open(h, "[program:app]\ncommand = sleep 600\nautostart = false\n"
	    "startsecs = 5\n");
	p = h_prog(h, "app");
	st = proc_status(p);
	assert_int_equal(st->state, PROC_IDLE);
	assert_int_equal(engine_start(h->e, p, why, sizeof why), 0);
	assert_int_equal(st->state, PROC_STARTING);
	assert_true(st->pid > 0);
	assert_true(st->alive);
	assert_int_equal(st->started_ms, H_CLOCK0);
	pid = st->pid;
	for (i = 0; i < 5; i++)
		h_turn(h);
	assert_int_equal(st->state, PROC_STARTING);
	h_at(h, H_CLOCK0 + 4999);
	assert_int_equal(st->state, PROC_STARTING);
	h_at(h, H_CLOCK0 + 5000);
	assert_int_equal(st->state, PROC_RUNNING);
	assert_int_equal(st->pid, pid);
	assert_int_equal(st->retries, 0);
	assert_string_equal(h_notes(p), "started");
}

/* An exit before startsecs is a quick failure: counted, and restarted
 * after the first backoff step. */
static void
test_exit_before_startsecs_is_a_quick_failure(void **state)
{
	struct h *h = *state;
	const struct proc_status *st;
	struct proc *p;

	h_open(h, "[program:app]\ncommand = read line; exit 3\n"
	    "autostart = false\nautorestart = true\nstartsecs = 5\n");
	p = h_prog(h, "app");
	st = proc_status(p);
	assert_int_equal(engine_start(h->e, p, why, sizeof why), 0);
	h_at(h, H_CLOCK0 + 4999);
	assert_int_equal(st->state, PROC_STARTING);
	assert_int_equal(engine_eof(h->e, p, why, sizeof why), 0);
	H_WAIT(h, st->pid == 0);
	assert_true(st->ended);
	assert_true(WIFEXITED(st->wait_status));
	assert_int_equal(WEXITSTATUS(st->wait_status), 3);
	assert_int_equal(st->state, PROC_BACKOFF);
	assert_true(st->failed);
	assert_int_equal(st->retries, 1);
	assert_int_equal(st->ended_ms, H_CLOCK0 + 4999);
	assert_int_equal(st->restart_at_ms, H_CLOCK0 + 4999 + 1000);
	assert_string_equal(h_notes(p), "started\nstdin closed\nexited 3\n"
	    "restarting in 1s");
	assert_int_equal(engine_exit_status(h->e), 1);
}

/* --- backoff ------------------------------------------------------------ */

/* Quick failures in a row wait 1 s, 2 s, 4 s ... at most 30 s; nothing
 * starts a millisecond early; after startretries restarts the program
 * is fatal and stays so. */
static void
test_backoff_doubles_to_30s_then_fatal(void **state)
{
	static const int64_t wait[] = {
		1000, 2000, 4000, 8000, 16000, 30000, 30000
	};
	struct h *h = *state;
	const struct proc_status *st;
	char want[2048], step[96];
	struct proc *p;
	size_t i, n = 0;

	h_open(h, "[program:app]\ncommand = exit 1\nautostart = false\n"
	    "autorestart = true\nstartretries = 7\n");
	p = h_prog(h, "app");
	st = proc_status(p);
	assert_int_equal(engine_start(h->e, p, why, sizeof why), 0);
	want[0] = '\0';
	for (i = 0; i < sizeof wait / sizeof wait[0]; i++) {
		int64_t at;

		H_WAIT(h, st->pid == 0);
		assert_int_equal(st->state, PROC_BACKOFF);
		assert_int_equal(st->retries, (int)i + 1);
		assert_int_equal(st->restart_at_ms, loop_now(h->loop) + wait[i]);
		snprintf(step, sizeof step, "started\nexited 1\nrestarting in "
		    "%llds\n", (long long)wait[i] / 1000);
		n += (size_t)snprintf(want + n, sizeof want - n, "%s", step);
		at = st->restart_at_ms;
		h_at(h, at - 1);
		assert_int_equal(st->state, PROC_BACKOFF);
		assert_int_equal(st->pid, 0);
		assert_int_equal(h_count_notes(p, "started pid"), (int)i + 1);
		h_at(h, at);
		assert_true(st->pid > 0);
		assert_int_equal(st->started_ms, at);
		assert_int_equal(h_count_notes(p, "started pid"), (int)i + 2);
	}
	H_WAIT(h, st->pid == 0);
	assert_int_equal(st->state, PROC_FATAL);
	assert_int_equal(st->retries, 8);
	assert_true(st->failed);
	snprintf(want + n, sizeof want - n, "started\nexited 1\nfatal: failed "
	    "to start 8 times in a row; not restarting");
	assert_string_equal(h_notes(p), want);
	/* Fatal means no timer is left to start it again. */
	h_at(h, h->clock + 10 * 60 * 1000);
	assert_int_equal(st->state, PROC_FATAL);
	assert_int_equal(h_count_notes(p, "started pid"), 8);
	assert_int_equal(engine_exit_status(h->e), 1);
}

/* A run that lived past startsecs resets the count: its restart comes
 * after 1 s, whatever the quick failures before it. */
static void
test_a_good_run_resets_the_backoff(void **state)
{
	struct h *h = *state;
	const struct proc_status *st;
	struct proc *p;
	int64_t t;

	h_open(h, "[program:app]\ncommand = read line; exit 1\n"
	    "autostart = false\nautorestart = true\nstartsecs = 5\n");
	p = h_prog(h, "app");
	st = proc_status(p);
	assert_int_equal(engine_start(h->e, p, why, sizeof why), 0);
	engine_eof(h->e, p, why, sizeof why);
	H_WAIT(h, st->pid == 0);
	assert_int_equal(st->retries, 1);
	assert_int_equal(st->restart_at_ms, H_CLOCK0 + 1000);
	h_at(h, H_CLOCK0 + 1000);
	engine_eof(h->e, p, why, sizeof why);
	H_WAIT(h, st->pid == 0);
	assert_int_equal(st->retries, 2);
	assert_int_equal(st->restart_at_ms, H_CLOCK0 + 1000 + 2000);
	t = H_CLOCK0 + 3000;
	h_at(h, t);
	assert_int_equal(st->state, PROC_STARTING);
	h_at(h, t + 5000);
	assert_int_equal(st->state, PROC_RUNNING);
	assert_int_equal(st->retries, 0);
	engine_eof(h->e, p, why, sizeof why);
	H_WAIT(h, st->pid == 0);
	assert_int_equal(st->state, PROC_BACKOFF);
	assert_int_equal(st->retries, 0);
	assert_int_equal(st->restart_at_ms, t + 5000 + 1000);
	assert_string_equal(h_notes(p),
	    "started\nstdin closed\nexited 1\nrestarting in 1s\n"
	    "started\nstdin closed\nexited 1\nrestarting in 2s\n"
	    "started\nstdin closed\nexited 1\nrestarting in 1s");
}

/* --- stopping ------------------------------------------------------------ */

/* A program that ignores SIGTERM gets it, then nothing until the fake
 * clock passes stopwaitsecs, then SIGKILL; a kill meanwhile adds no
 * second SIGKILL. */
static void
test_stop_escalates_to_sigkill_after_stopwaitsecs(void **state)
{
	struct h *h = *state;
	const struct proc_status *st;
	struct proc *p;
	pid_t pid;
	int64_t t;
	int i;

	h_open(h, "[program:stubborn]\n"
	    "command = trap '' TERM; echo ready; exec sleep 600\n"
	    "autostart = false\nstartsecs = 0\nstopwaitsecs = 1\n");
	p = h_prog(h, "stubborn");
	st = proc_status(p);
	assert_int_equal(engine_start(h->e, p, why, sizeof why), 0);
	h_wait_line(h, p, "ready");
	pid = st->pid;
	t = loop_now(h->loop);
	assert_int_equal(engine_stop(h->e, p, why, sizeof why), 0);
	assert_int_equal(st->state, PROC_STOPPING);
	assert_true(st->stop_requested);
	assert_string_equal(h_notes(p), "started\nstopping: sent SIGTERM");
	for (i = 0; i < 5; i++)
		h_turn(h);
	h_at(h, t + 999);
	assert_int_equal(st->state, PROC_STOPPING);
	assert_int_equal(st->pid, pid);
	assert_int_equal(kill(pid, 0), 0);
	assert_string_equal(h_notes(p), "started\nstopping: sent SIGTERM");
	h_at(h, t + 1000);
	assert_string_equal(h_notes(p), "started\nstopping: sent SIGTERM\n"
	    "sent SIGKILL: still running 1s after SIGTERM");
	/* Not reaped yet (that takes another turn): a kill now is no news. */
	assert_int_equal(st->pid, pid);
	assert_int_equal(engine_kill(h->e, p, why, sizeof why), 0);
	H_WAIT(h, !st->alive);
	assert_int_equal(st->state, PROC_EXITED);
	assert_true(WIFSIGNALED(st->wait_status));
	assert_int_equal(WTERMSIG(st->wait_status), SIGKILL);
	assert_false(st->failed);
	assert_string_equal(h_notes(p), "started\nstopping: sent SIGTERM\n"
	    "sent SIGKILL: still running 1s after SIGTERM\n"
	    "killed by SIGKILL (rc -9)");
	assert_int_equal(engine_exit_status(h->e), 0);
}

/* stop_input first; stopsignal only after stopwaitsecs; SIGKILL after
 * stopwaitsecs more. */
static void
test_stop_input_first_then_the_signal(void **state)
{
	struct h *h = *state;
	const struct proc_status *st;
	struct proc *p;
	int64_t t;

	h_open(h, "[program:polite]\ncommand = trap '' TERM; echo ready; "
	    "read line; echo \"got $line\"; exec sleep 600\n"
	    "autostart = false\nstartsecs = 0\nstopwaitsecs = 2\n"
	    "stop_input = bye\n");
	p = h_prog(h, "polite");
	st = proc_status(p);
	assert_int_equal(engine_start(h->e, p, why, sizeof why), 0);
	h_wait_line(h, p, "ready");
	t = loop_now(h->loop);
	assert_int_equal(engine_stop(h->e, p, why, sizeof why), 0);
	assert_int_equal(st->state, PROC_STOPPING);
	assert_string_equal(h_notes(p), "started\nstopping: sent stop_input");
	h_wait_line(h, p, "got bye");
	h_at(h, t + 1999);
	assert_string_equal(h_notes(p), "started\nstopping: sent stop_input");
	h_at(h, t + 2000);
	assert_string_equal(h_notes(p), "started\nstopping: sent stop_input\n"
	    "stopping: sent SIGTERM");
	h_at(h, t + 3999);
	assert_int_equal(h_count_notes(p, "sent SIGKILL"), 0);
	assert_int_equal(kill(st->pid, 0), 0);
	h_at(h, t + 4000);
	H_WAIT(h, !st->alive);
	assert_string_equal(h_notes(p), "started\nstopping: sent stop_input\n"
	    "stopping: sent SIGTERM\n"
	    "sent SIGKILL: still running 2s after SIGTERM\n"
	    "killed by SIGKILL (rc -9)");
}

/* A program that leaves on stop_input gets no signal at all. */
static void
test_stop_input_alone_can_end_it(void **state)
{
	struct h *h = *state;
	const struct proc_status *st;
	struct proc *p;

	h_open(h, "[program:repl]\ncommand = read line; echo \"got $line\"\n"
	    "autostart = false\nstartsecs = 0\nstop_input = quit\n");
	p = h_prog(h, "repl");
	st = proc_status(p);
	assert_int_equal(engine_start(h->e, p, why, sizeof why), 0);
	assert_int_equal(engine_stop(h->e, p, why, sizeof why), 0);
	H_WAIT(h, !st->alive);
	assert_true(h_has_line(p, "got quit"));
	assert_true(WIFEXITED(st->wait_status));
	assert_int_equal(WEXITSTATUS(st->wait_status), 0);
	assert_int_equal(loop_now(h->loop), H_CLOCK0);
	assert_string_equal(h_notes(p), "started\nstopping: sent stop_input\n"
	    "exited 0");
}

/* K twice: one SIGKILL note; once it is over, nothing to kill. */
static void
test_a_second_kill_notes_nothing(void **state)
{
	struct h *h = *state;
	const struct proc_status *st;
	struct proc *p;

	h_open(h, "[program:app]\ncommand = echo ready; exec sleep 600\n"
	    "autostart = false\nstartsecs = 0\n");
	p = h_prog(h, "app");
	st = proc_status(p);
	assert_int_equal(engine_start(h->e, p, why, sizeof why), 0);
	/* Under valgrind the child may not lead its group yet when
	 * engine_start() returns (see harness.h). */
	h_wait_line(h, p, "ready");
	assert_int_equal(engine_kill(h->e, p, why, sizeof why), 0);
	assert_int_equal(engine_kill(h->e, p, why, sizeof why), 0);
	assert_int_equal(st->state, PROC_STOPPING);
	H_WAIT(h, !st->alive);
	assert_string_equal(h_notes(p), "started\nsent SIGKILL\n"
	    "killed by SIGKILL (rc -9)");
	assert_int_equal(engine_kill(h->e, p, why, sizeof why), -1);
	assert_string_equal(why, "app is not running");
}

/* --- stopped programs --------------------------------------------------- */

/* The shell traps TERM (exit 7) and waits in `read` (stdin stays open):
 * a trapped signal stays pending while the shell is stopped.  (No child
 * process: a shell's child between fork and exec still has the trap, and
 * would take the TERM meant for it with it into exec.) */
static const char trapping_program[] =
    "[program:app]\ncommand = trap 'exit 7' TERM; echo ready; read x\n"
    "autostart = false\nstartsecs = 0\nstopwaitsecs = 5\n";

static void
test_sigstop_and_sigcont_are_seen(void **state)
{
	struct h *h = *state;
	const struct proc_status *st;
	struct proc *p;
	pid_t pid;

	h_open(h, trapping_program);
	p = h_prog(h, "app");
	st = proc_status(p);
	assert_int_equal(engine_start(h->e, p, why, sizeof why), 0);
	h_wait_line(h, p, "ready");
	pid = st->pid;
	assert_int_equal(st->stopped_by, 0);
	assert_int_equal(kill(pid, SIGSTOP), 0);
	H_WAIT(h, st->stopped_by != 0);
	assert_int_equal(st->stopped_by, SIGSTOP);
	assert_int_equal(st->pid, pid);
	assert_true(st->alive);
	assert_int_equal(st->state, PROC_RUNNING);
	assert_int_equal(kill(pid, SIGCONT), 0);
	H_WAIT(h, h_count_notes(p, "continued") == 1);
	assert_int_equal(st->stopped_by, 0);
	assert_int_equal(st->pid, pid);
	assert_string_equal(h_notes(p), "started\nstopped by SIGSTOP\n"
	    "continued");
}

/* Stopping a stopped program ends it at once: the stop signal is
 * followed by SIGCONT, so the trap runs; stopwaitsecs never passes. */
static void
test_stopping_a_stopped_program_does_not_wait(void **state)
{
	struct h *h = *state;
	const struct proc_status *st;
	struct proc *p;
	int64_t t;

	h_open(h, trapping_program);
	p = h_prog(h, "app");
	st = proc_status(p);
	assert_int_equal(engine_start(h->e, p, why, sizeof why), 0);
	h_wait_line(h, p, "ready");
	assert_int_equal(kill(-st->pid, SIGSTOP), 0);
	H_WAIT(h, st->stopped_by == SIGSTOP);
	t = loop_now(h->loop);
	assert_int_equal(engine_stop(h->e, p, why, sizeof why), 0);
	H_WAIT(h, !st->alive);
	assert_int_equal(loop_now(h->loop), t);
	assert_true(WIFEXITED(st->wait_status));
	assert_int_equal(WEXITSTATUS(st->wait_status), 7);
	assert_int_equal(h_count_notes(p, "stopping: sent SIGTERM"), 1);
	assert_int_equal(h_count_notes(p, "sent SIGKILL"), 0);
	assert_int_equal(h_count_notes(p, "exited 7"), 1);
	assert_int_equal(st->stopped_by, 0);
}

/* --- spawn failures ------------------------------------------------------ */

static struct rlimit saved_nofile;
static bool nofile_lowered;

static void
restore_nofile(void)
{
	if (nofile_lowered) {
		assert_int_equal(setrlimit(RLIMIT_NOFILE, &saved_nofile), 0);
		nofile_lowered = false;
	}
}

/* No fd can be made from now on: the limit is the lowest free fd. */
static void
lower_nofile(void)
{
	struct rlimit lim;
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &saved_nofile), 0);
	lim = saved_nofile;
	lim.rlim_cur = (rlim_t)fd;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &lim), 0);
	nofile_lowered = true;
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		close(fd);
	assert_int_equal(fd, -1);
}

static int
teardown_nofile(void **state)
{
	if (nofile_lowered) {
		setrlimit(RLIMIT_NOFILE, &saved_nofile);
		nofile_lowered = false;
	}
	return h_teardown(state);
}

/* A restart that cannot make its pipes is noted and retried on the
 * backoff, until fatal; with fds to spare again, a start works. */
static void
test_spawn_failure_is_retried_until_fatal(void **state)
{
	struct h *h = *state;
	const struct proc_status *st;
	struct proc *p;

	h_open(h, "[program:app]\ncommand = exit 1\nautostart = false\n"
	    "autorestart = true\nstartretries = 2\n");
	p = h_prog(h, "app");
	st = proc_status(p);
	assert_int_equal(engine_start(h->e, p, why, sizeof why), 0);
	H_WAIT(h, st->pid == 0);
	assert_int_equal(st->restart_at_ms, H_CLOCK0 + 1000);
	lower_nofile();
	h_at(h, H_CLOCK0 + 1000);
	restore_nofile();
	assert_int_equal(st->pid, 0);
	assert_int_equal(st->state, PROC_BACKOFF);
	assert_string_equal(st->error, "cannot start: Too many open files");
	assert_int_equal(st->retries, 2);
	assert_int_equal(st->restart_at_ms, H_CLOCK0 + 1000 + 2000);
	lower_nofile();
	h_at(h, H_CLOCK0 + 3000);
	restore_nofile();
	assert_int_equal(st->state, PROC_FATAL);
	assert_true(st->failed);
	assert_string_equal(h_notes(p), "started\nexited 1\nrestarting in 1s\n"
	    "cannot start: Too many open files\nrestarting in 2s\n"
	    "cannot start: Too many open files\n"
	    "fatal: failed to start 3 times in a row; not restarting");
	assert_int_equal(engine_start(h->e, p, why, sizeof why), 0);
	assert_true(st->pid > 0);
	assert_string_equal(st->error, "");
	H_WAIT(h, st->pid == 0);
	assert_int_equal(st->state, PROC_BACKOFF);
	assert_int_equal(st->retries, 1);
}

/* --- what is left of a run ----------------------------------------------- */

/* `cat hold &`: the main process exits at once; the run stays alive,
 * however many turns pass, while the background cat holds its group
 * and its pipes, and is over once cat ends (the test lets it: end of
 * file on the FIFO it reads). */
static void
test_a_background_job_keeps_the_run_alive(void **state)
{
	struct h *h = *state;
	const struct proc_status *st;
	char fifo[128];
	struct proc *p;
	int64_t deadline;
	pid_t group;
	int fd, i;

	snprintf(fifo, sizeof fifo, "%s/hold", h->dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	h_open(h, "[program:app]\ncommand = cat hold &\nautostart = false\n"
	    "startsecs = 0\n");
	p = h_prog(h, "app");
	st = proc_status(p);
	assert_int_equal(engine_start(h->e, p, why, sizeof why), 0);
	group = proc_group(p);
	assert_int_equal(group, st->pid);
	H_WAIT(h, st->pid == 0);
	assert_true(st->ended);
	assert_true(WIFEXITED(st->wait_status));
	assert_int_equal(WEXITSTATUS(st->wait_status), 0);
	assert_int_equal(st->state, PROC_EXITED);
	for (i = 0; i < 10; i++) {
		assert_true(st->alive);
		assert_true(h_group_exists(group));
		assert_int_equal(engine_alive(h->e), 1);
		h_turn(h);
	}
	/* cat has the FIFO open (a writer can open it): end its input. */
	H_WAIT(h, (fd = open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC)) >= 0);
	close(fd);
	/* Alive exactly while the group has a process. */
	deadline = loop_monotonic_ms() + H_WAIT_MS;
	while (st->alive) {
		assert_true(h_group_exists(group));
		if (loop_monotonic_ms() > deadline)
			fail_msg("the run did not end with its cat");
		h_turn(h);
	}
	assert_false(h_group_exists(group));
	assert_int_equal(engine_alive(h->e), 0);
	assert_int_equal(proc_group(p), 0);
	assert_string_equal(h_notes(p), "started\nexited 0");
}

/* A stop reaches what is left of a run whose main process is gone. */
static void
test_stop_reaches_a_background_job(void **state)
{
	struct h *h = *state;
	const struct proc_status *st;
	struct proc *p;
	pid_t group;
	int64_t t;

	h_open(h, "[program:app]\ncommand = sleep 600 &\nautostart = false\n"
	    "startsecs = 0\n");
	p = h_prog(h, "app");
	st = proc_status(p);
	assert_int_equal(engine_start(h->e, p, why, sizeof why), 0);
	group = proc_group(p);
	H_WAIT(h, st->pid == 0);
	assert_true(st->alive);
	t = loop_now(h->loop);
	assert_int_equal(engine_stop(h->e, p, why, sizeof why), 0);
	H_WAIT(h, !st->alive);
	assert_int_equal(loop_now(h->loop), t);
	assert_false(h_group_exists(group));
	assert_true(st->stop_requested);
	assert_false(st->failed);
	assert_string_equal(h_notes(p), "started\nexited 0\n"
	    "stopping: sent SIGTERM");
}

/* A daemon that left the session is not followed, but while it holds
 * the run's pipes the run is not over; a stop that finds no process of
 * the run left ends the run at once (proc_update_alive() stops reading
 * the pipes), not after stopwaitsecs, however long the daemon lives. */
static pid_t daemon_pid;

static int
teardown_daemon(void **state)
{
	if (daemon_pid > 0)
		kill(daemon_pid, SIGKILL);
	daemon_pid = 0;
	return h_teardown(state);
}

/* The pid in the line "PREFIX<pid>", or 0. */
static pid_t
line_pid(const struct store *store, const char *prefix)
{
	size_t i, len = strlen(prefix);
	char buf[32];

	for (i = 0; i < store_count(store); i++) {
		const struct store_line *l = store_line(store, i);

		if (l->len > len && l->len - len < sizeof buf &&
		    memcmp(l->text, prefix, len) == 0) {
			memcpy(buf, l->text + len, l->len - len);
			buf[l->len - len] = '\0';
			return (pid_t)atoi(buf);
		}
	}
	return 0;
}

static void
test_stop_of_a_run_only_a_daemon_holds(void **state)
{
	struct h *h = *state;
	const struct proc_status *st;
	struct proc *p;
	int64_t t;

	h_open(h, "[program:app]\ncommand = setsid sh -c "
	    "'echo daemon $$; exec sleep 600' &\nautostart = false\n"
	    "startsecs = 0\nstopwaitsecs = 5\n");
	p = h_prog(h, "app");
	st = proc_status(p);
	assert_int_equal(engine_start(h->e, p, why, sizeof why), 0);
	H_WAIT(h, st->pid == 0);
	H_WAIT(h, (daemon_pid = line_pid(proc_store_const(p), "daemon ")) > 0);
	assert_int_equal(kill(daemon_pid, 0), 0);
	assert_true(st->alive);		/* its pipes are open */
	t = loop_now(h->loop);
	assert_int_equal(engine_stop(h->e, p, why, sizeof why), 0);
	H_WAIT(h, !st->alive);
	assert_int_equal(loop_now(h->loop), t);
	assert_int_equal(kill(daemon_pid, 0), 0);	/* not followed */
	assert_int_equal(engine_alive(h->e), 0);
	assert_string_equal(h_notes(p), "started\nexited 0\n"
	    "stopping: sent SIGTERM");
}

/* --- health -------------------------------------------------------------- */

/* ready_log: waiting while the output does not have the text, ready
 * (with a note) on the line that has it; none once the run is over. */
static void
test_ready_log_marks_ready(void **state)
{
	struct h *h = *state;
	const struct health_status *hs;
	const struct proc_status *st;
	char desc[256];
	struct proc *p;

	h_open(h, "[program:web]\ncommand = echo booting; read go; "
	    "echo \"Serving HTTP on port 1\"; exec sleep 600\n"
	    "autostart = false\nstartsecs = 0\nready_log = Serving HTTP\n");
	p = h_prog(h, "web");
	st = proc_status(p);
	hs = engine_health(h->e, p);
	assert_int_equal(hs->state, HEALTH_NONE);
	assert_int_equal(engine_start(h->e, p, why, sizeof why), 0);
	assert_int_equal(hs->state, HEALTH_WAITING);
	h_wait_line(h, p, "booting");
	assert_int_equal(hs->state, HEALTH_WAITING);
	engine_describe_health(h->e, p, desc, sizeof desc);
	assert_string_equal(desc, "");
	assert_int_equal(engine_send_line(h->e, p, "go", 2, why, sizeof why), 0);
	h_wait_line(h, p, "Serving HTTP on port 1");
	assert_int_equal(hs->state, HEALTH_READY);
	H_WAIT(h, h_count_notes(p, "ready") == 1);
	assert_string_equal(h_notes(p), "started\n"
	    "ready: output contains \"Serving HTTP\"");
	engine_describe_health(h->e, p, desc, sizeof desc);
	assert_string_equal(desc, "ready");
	assert_int_equal(engine_kill(h->e, p, why, sizeof why), 0);
	H_WAIT(h, !st->alive);
	assert_int_equal(hs->state, HEALTH_NONE);
}

/* An HTTP server on the engine's own loop: answers every request with
 * `status` and a body of as many bytes as requests so far, so a test
 * can tell one probe's result from the next. */
struct server {
	struct loop *loop;
	int fd, port, status, requests;
};

static void
server_client(struct loop *loop, int fd, int events, void *data)
{
	struct server *s = data;
	char buf[4096], body[64], resp[512];
	ssize_t n = read(fd, buf, sizeof buf - 1);
	int len;

	(void)events;
	if (n == -1 && errno == EAGAIN)
		return;
	if (n > 0) {
		buf[n] = '\0';
		if (strstr(buf, "\r\n\r\n") == NULL)
			return;		/* curl sends a request in one piece */
		s->requests++;
		memset(body, 'x', (size_t)s->requests);
		len = snprintf(resp, sizeof resp, "HTTP/1.1 %d %s\r\n"
		    "Content-Length: %d\r\nConnection: close\r\n\r\n%.*s",
		    s->status, s->status == 200 ? "OK" : "Internal Server Error",
		    s->requests, s->requests, body);
		assert_int_equal(write(fd, resp, (size_t)len), len);
	}
	loop_del_fd(loop, fd);
	close(fd);
}

static void
server_accept(struct loop *loop, int fd, int events, void *data)
{
	int c = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

	(void)events;
	if (c >= 0)
		assert_int_equal(loop_add_fd(loop, c, LOOP_READ, server_client,
		    data), 0);
}

static void
server_open(struct server *s)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof a;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	assert_true(s->fd >= 0);
	assert_int_equal(bind(s->fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(s->fd, 16), 0);
	assert_int_equal(getsockname(s->fd, (struct sockaddr *)&a, &alen), 0);
	s->port = ntohs(a.sin_port);
}

/* One periodic probe: the interval passes on the fake clock, the probe
 * runs for real against the server, its result arrives. */
static void
probe_at(struct h *h, struct server *s, struct proc *p, int64_t t)
{
	const struct health_status *hs = engine_health(h->e, p);
	int n = s->requests;

	h_at(h, t - 1);
	assert_int_equal(s->requests, n);
	h_at(h, t);
	H_WAIT(h, hs->has_last && hs->last.body_bytes == (size_t)n + 1);
	assert_int_equal(s->requests, n + 1);
	assert_int_equal(hs->last.status, s->status);
}

/* probe_interval on the fake clock: failures in the first 3 s of a run
 * that was never ready do not count; three after that make it
 * unhealthy (noted); a success makes it ready. */
static void
test_probes_follow_the_clock(void **state)
{
	struct h *h = *state;
	const struct health_status *hs;
	struct server s = { .status = 500 };
	char ini[512], desc[256];
	struct proc *p;
	int64_t t;
	int i;

	server_open(&s);
	snprintf(ini, sizeof ini, "[program:web]\ncommand = sleep 600\n"
	    "autostart = false\nstartsecs = 0\n"
	    "probe_url = http://127.0.0.1:%d/\nprobe_interval = 1\n", s.port);
	h_open(h, ini);
	s.loop = h->loop;
	assert_int_equal(loop_add_fd(h->loop, s.fd, LOOP_READ, server_accept,
	    &s), 0);
	p = h_prog(h, "web");
	hs = engine_health(h->e, p);
	assert_int_equal(engine_start(h->e, p, why, sizeof why), 0);
	t = loop_now(h->loop);
	assert_int_equal(hs->state, HEALTH_WAITING);
	for (i = 0; i < 5; i++)
		h_turn(h);
	assert_int_equal(s.requests, 0);
	probe_at(h, &s, p, t + 1000);
	probe_at(h, &s, p, t + 2000);
	assert_int_equal(hs->failures, 0);	/* booting: 2000 < 3000 ms */
	assert_int_equal(hs->state, HEALTH_WAITING);
	probe_at(h, &s, p, t + 3000);
	assert_int_equal(hs->failures, 1);
	probe_at(h, &s, p, t + 4000);
	assert_int_equal(hs->failures, 2);
	assert_int_equal(hs->state, HEALTH_WAITING);
	assert_int_equal(h_count_notes(p, "unhealthy"), 0);
	probe_at(h, &s, p, t + 5000);
	assert_int_equal(hs->failures, 3);
	assert_int_equal(hs->state, HEALTH_UNHEALTHY);
	assert_int_equal(h_count_notes(p, "unhealthy since "), 1);
	assert_non_null(strstr(h_notes(p), " (3 failed probes): GET "
	    "http://127.0.0.1:"));
	engine_describe_health(h->e, p, desc, sizeof desc);
	assert_true(strncmp(desc, "unhealthy \u00b7 probe 500 in ", 26) == 0);
	assert_non_null(strstr(desc, " ms (failed)"));
	s.status = 200;
	probe_at(h, &s, p, t + 6000);
	assert_int_equal(hs->state, HEALTH_READY);
	assert_int_equal(hs->failures, 0);
	assert_int_equal(h_count_notes(p, "ready: probe GET "), 1);
	loop_del_fd(h->loop, s.fd);
	close(s.fd);
}

int
main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, h_setup, h_teardown)
	const struct CMUnitTest tests[] = {
		T(test_startsecs_running_only_when_the_clock_passes),
		T(test_exit_before_startsecs_is_a_quick_failure),
		T(test_backoff_doubles_to_30s_then_fatal),
		T(test_a_good_run_resets_the_backoff),
		T(test_stop_escalates_to_sigkill_after_stopwaitsecs),
		T(test_stop_input_first_then_the_signal),
		T(test_stop_input_alone_can_end_it),
		T(test_a_second_kill_notes_nothing),
		T(test_sigstop_and_sigcont_are_seen),
		T(test_stopping_a_stopped_program_does_not_wait),
		cmocka_unit_test_setup_teardown(
		    test_spawn_failure_is_retried_until_fatal, h_setup,
		    teardown_nofile),
		T(test_a_background_job_keeps_the_run_alive),
		T(test_stop_reaches_a_background_job),
		cmocka_unit_test_setup_teardown(
		    test_stop_of_a_run_only_a_daemon_holds, h_setup,
		    teardown_daemon),
		T(test_ready_log_marks_ready),
		T(test_probes_follow_the_clock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
