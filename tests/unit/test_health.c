/* Unit tests for the probes besides HTTP (probe_command, probe_tcp) and
 * restart_unhealthy, driven through an engine with real children and
 * sockets on a fake clock: success, failure, the output a command's
 * result shows, timeouts (the clock moves past probe_timeout; nothing
 * sleeps for it), readiness, and a restart after N failures in a row.
 * See harness.h for how the fake clock and real events meet. */
#define _GNU_SOURCE
#include <netinet/in.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <cmocka.h>

#include "harness.h"
#include "cond.h"
#include "health.h"

static char why[512];

/* A client of the engine that counts probe results and keeps the last. */
struct seen {
	int n;
	struct probe_result last;
};

static void
seen_probed(void *ctx, struct proc *p, const struct probe_result *r)
{
	struct seen *s = ctx;

	(void)p;
	s->n++;
	s->last = *r;
}

static void
watch_probes(struct h *h, struct seen *s)
{
	static const struct engine_events ev = { .probed = seen_probed };

	memset(s, 0, sizeof *s);
	assert_int_equal(engine_subscribe(h->e, &ev, s), 0);
}

/* Probe P now and wait for the result. */
static const struct probe_result *
probe_now(struct h *h, struct seen *s, struct proc *p)
{
	int n = s->n;

	assert_int_equal(engine_probe(h->e, p, why, sizeof why), 0);
	H_WAIT(h, s->n == n + 1);
	return &s->last;
}

/* The periodic probe due at T: none before it, its result after. */
static const struct probe_result *
probe_at(struct h *h, struct seen *s, int64_t t)
{
	int n = s->n;

	h_at(h, t - 1);
	assert_int_equal(s->n, n);
	h_at(h, t);
	H_WAIT(h, s->n == n + 1);
	return &s->last;
}

static void
touch(struct h *h, const char *name)
{
	char path[128];
	int fd;

	snprintf(path, sizeof path, "%s/%s", h->dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	close(fd);
}

/* The number in the file NAME of the test's folder, 0 until it is there. */
static pid_t
read_pid(struct h *h, const char *name)
{
	char path[128], buf[32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "%s/%s", h->dir, name);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0 || buf[n - 1] != '\n')
		return 0;
	buf[n] = '\0';
	return (pid_t)atoi(buf);
}

/* PID is gone, reaped too (a zombie still answers kill(pid, 0)). */
static bool
reaped(pid_t pid)
{
	return kill(pid, 0) == -1 && errno == ESRCH;
}

/* --- probe_command --------------------------------------------------------- */

/* A command that fails until a file appears: waiting (its failures in
 * the boot grace do not count), then ready with a note; it ran in the
 * program's folder.  depends_on's and ctl wait's condition follows. */
static void
test_command_ready_when_it_exits_0(void **state)
{
	struct h *h = *state;
	const struct health_status *hs;
	const struct probe_result *r;
	struct seen s;
	char desc[256];
	struct proc *p;
	int64_t t;

	h_open(h, "[program:db]\ncommand = sleep 600\nautostart = false\n"
	    "startsecs = 0\nprobe_command = test -f READY\n"
	    "probe_interval = 1\n");
	watch_probes(h, &s);
	p = h_prog(h, "db");
	hs = engine_health(h->e, p);
	assert_int_equal(engine_start(h->e, p, why, sizeof why), 0);
	t = loop_now(h->loop);
	assert_int_equal(hs->state, HEALTH_WAITING);
	r = probe_at(h, &s, t + 1000);
	assert_false(r->ok);
	assert_string_equal(r->text, "test -f READY exited 1");
	assert_string_equal(r->brief, "exited 1");
	assert_int_equal(hs->state, HEALTH_WAITING);
	assert_int_equal(hs->failures, 0);	/* booting */
	assert_int_equal(cond_check(h->e, p, COND_READY, why, sizeof why),
	    COND_WAITING);
	touch(h, "READY");
	r = probe_at(h, &s, t + 2000);
	assert_true(r->ok);
	assert_string_equal(r->text, "test -f READY exited 0");
	assert_int_equal(hs->state, HEALTH_READY);
	assert_int_equal(cond_check(h->e, p, COND_READY, why, sizeof why),
	    COND_MET);
	assert_string_equal(h_notes(p), "started\n"
	    "ready: probe test -f READY exited 0");
	engine_describe_health(h->e, p, desc, sizeof desc);
	assert_string_equal(desc, "ready \u00b7 probe exited 0 in 0 ms");
}

/* The program's environment is laid over tend's, as for the program. */
static void
test_command_has_the_programs_environment(void **state)
{
	struct h *h = *state;
	const struct probe_result *r;
	struct seen s;
	struct proc *p;

	h_open(h, "[program:app]\ncommand = sleep 600\nautostart = false\n"
	    "environment = GREETING=\"hello, world\"\n"
	    "probe_command = test \"$GREETING\" = \"hello, world\" && "
	    "test -n \"$PATH\" && test \"$(pwd)\" = \"%(here)s\"\n");
	watch_probes(h, &s);
	p = h_prog(h, "app");
	assert_int_equal(engine_start(h->e, p, why, sizeof why), 0);
	r = probe_now(h, &s, p);
	assert_true(r->ok);
	assert_int_equal(h_count_notes(p, "probe ok: test \"$GREETING\""), 1);
}

/* A failure shows the exit status and what the command said, stdout and
 * stderr in the order written, on one line. */
static void
test_command_failure_shows_its_output(void **state)
{
	struct h *h = *state;
	const struct probe_result *r;
	struct seen s;
	struct proc *p;

	h_open(h, "[program:db]\ncommand = sleep 600\nautostart = false\n"
	    "probe_command = echo 'no response'; echo 'try again' >&2; "
	    "printf 'tab\\there\\033[m\\n\\n'; exit 2\n");
	watch_probes(h, &s);
	p = h_prog(h, "db");
	assert_int_equal(engine_start(h->e, p, why, sizeof why), 0);
	r = probe_now(h, &s, p);
	assert_false(r->ok);
	assert_int_equal(r->status, 0);
	assert_string_equal(r->brief, "exited 2");
	assert_string_equal(r->text, "echo 'no response'; echo 'try again' >&2; "
	    "printf 'tab\\there\\033[m\\n\\n'; exit 2 exited 2: no response "
	    "\u23ce try again \u23ce tab here\\x1b[m");
	assert_int_equal(r->body_bytes, 35);
	assert_int_equal(h_count_notes(p, "probe FAILED: echo 'no response';"),
	    1);
	/* A manual probe's failure in the boot grace is said, not counted. */
	assert_int_equal(engine_health(h->e, p)->failures, 0);
}

/* Output past PROBECMD_KEEP bytes is counted, not kept. */
static void
test_command_output_is_bounded(void **state)
{
	struct h *h = *state;
	const struct probe_result *r;
	char want[1200];
	struct seen s;
	struct proc *p;
	const char *out;

	h_open(h, "[program:app]\ncommand = sleep 600\nautostart = false\n"
	    "probe_command = head -c 100000 /dev/zero | tr '\\0' x; exit 1\n");
	watch_probes(h, &s);
	p = h_prog(h, "app");
	assert_int_equal(engine_start(h->e, p, why, sizeof why), 0);
	r = probe_now(h, &s, p);
	assert_false(r->ok);
	assert_int_equal(r->body_bytes, 100000);
	out = strstr(r->text, " exited 1: ");
	assert_non_null(out);
	memset(want, 'x', 1024);
	snprintf(want + 1024, sizeof want - 1024, " \u2026 and %d more bytes",
	    100000 - 1024);
	assert_string_equal(out + strlen(" exited 1: "), want);
}

/* A command that hangs: nothing until the clock reaches probe_timeout,
 * then "timed out", with what it said so far, and its whole group
 * killed (a job it left in the background too). */
static void
test_command_timeout_kills_its_group(void **state)
{
	struct h *h = *state;
	const struct health_status *hs;
	const struct probe_result *r;
	pid_t sh, bg;
	struct seen s;
	struct proc *p;
	int64_t t;
	int i;

	h_open(h, "[program:app]\ncommand = sleep 600\nautostart = false\n"
	    "startsecs = 0\nprobe_timeout = 2\n"
	    "probe_command = sleep 60 & echo $! > bg.pid; echo waiting; "
	    "echo $$ > sh.pid; wait\n");
	watch_probes(h, &s);
	p = h_prog(h, "app");
	hs = engine_health(h->e, p);
	assert_int_equal(engine_start(h->e, p, why, sizeof why), 0);
	t = loop_now(h->loop);
	assert_int_equal(engine_probe(h->e, p, why, sizeof why), 0);
	H_WAIT(h, (sh = read_pid(h, "sh.pid")) > 0 &&
	    (bg = read_pid(h, "bg.pid")) > 0);
	for (i = 0; i < 10; i++)
		h_turn(h);	/* "waiting" is read (or at the timeout) */
	h_at(h, t + 1999);
	assert_int_equal(s.n, 0);
	assert_int_equal(kill(sh, 0), 0);
	assert_int_equal(kill(bg, 0), 0);
	h_at(h, t + 2000);
	assert_int_equal(s.n, 1);
	r = &s.last;
	assert_false(r->ok);
	assert_string_equal(r->brief, "");
	assert_non_null(strstr(r->text, "; wait: timed out after 2 s: waiting"));
	assert_int_equal(r->elapsed_ms, 2000);
	H_WAIT(h, reaped(sh) && reaped(bg));
	assert_true(hs->has_last);
	assert_int_equal(h_count_notes(p, "probe FAILED: sleep 60 & "), 1);
}

/* What a command leaves in the background is killed when it exits:
 * a probe leaves nothing behind. */
static void
test_command_leaves_nothing_behind(void **state)
{
	struct h *h = *state;
	const struct probe_result *r;
	struct seen s;
	struct proc *p;
	pid_t bg;

	h_open(h, "[program:app]\ncommand = sleep 600\nautostart = false\n"
	    "probe_command = sleep 60 & echo $! > bg.pid\n");
	watch_probes(h, &s);
	p = h_prog(h, "app");
	r = probe_now(h, &s, p);
	assert_true(r->ok);
	bg = read_pid(h, "bg.pid");
	assert_true(bg > 0);
	H_WAIT(h, reaped(bg));
}

/* A command that cannot run where the program runs says why. */
static void
test_command_in_a_missing_folder(void **state)
{
	struct h *h = *state;
	const struct probe_result *r;
	struct seen s;
	struct proc *p;
	char ini[512];

	snprintf(ini, sizeof ini, "[program:app]\ncommand = sleep 600\n"
	    "autostart = false\ndirectory = %s/gone\nprobe_command = true\n",
	    h->dir);
	h_open(h, ini);
	watch_probes(h, &s);
	p = h_prog(h, "app");
	r = probe_now(h, &s, p);
	assert_false(r->ok);
	assert_non_null(strstr(r->text, "true: cannot chdir to "));
	assert_non_null(strstr(r->text, "/gone: No such file or directory"));
}

/* --- probe_tcp --------------------------------------------------------------- */

static int
tcp_socket(int listen_backlog, int *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	if (listen_backlog >= 0)
		assert_int_equal(listen(fd, listen_backlog), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &alen), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

/* A program probed at ADDRESS, with a probe_timeout of TIMEOUT seconds. */
static struct proc *
tcp_program(struct h *h, const char *address, int timeout)
{
	char ini[256];

	snprintf(ini, sizeof ini, "[program:db]\ncommand = sleep 600\n"
	    "autostart = false\nstartsecs = 0\nprobe_tcp = %s\n"
	    "probe_timeout = %d\n", address, timeout);
	h_open(h, ini);
	return h_prog(h, "db");
}

/* A port that listens: connected, and ready. */
static void
test_tcp_connects(void **state)
{
	struct h *h = *state;
	const struct probe_result *r;
	char address[64], want[128], desc[256];
	struct seen s;
	struct proc *p;
	int fd, port;

	fd = tcp_socket(16, &port);
	snprintf(address, sizeof address, "127.0.0.1:%d", port);
	p = tcp_program(h, address, 2);
	watch_probes(h, &s);
	assert_int_equal(engine_start(h->e, p, why, sizeof why), 0);
	assert_int_equal(engine_health(h->e, p)->state, HEALTH_WAITING);
	r = probe_now(h, &s, p);
	assert_true(r->ok);
	assert_string_equal(r->brief, "connected");
	snprintf(want, sizeof want, "connect %s: connected in ", address);
	assert_true(strncmp(r->text, want, strlen(want)) == 0);
	assert_int_equal(engine_health(h->e, p)->state, HEALTH_READY);
	engine_describe_health(h->e, p, desc, sizeof desc);
	assert_true(strncmp(desc, "ready \u00b7 probe connected in ", 27) == 0);
	close(fd);
}

/* An IPv6 address in brackets. */
static void
test_tcp_ipv6(void **state)
{
	struct h *h = *state;
	struct sockaddr_in6 a = { .sin6_family = AF_INET6 };
	socklen_t alen = sizeof a;
	const struct probe_result *r;
	char address[64], want[128];
	struct seen s;
	struct proc *p;
	int fd;

	fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	a.sin6_addr = in6addr_loopback;
	if (bind(fd, (struct sockaddr *)&a, sizeof a) == -1) {
		close(fd);
		skip();		/* no IPv6 loopback here */
	}
	assert_int_equal(listen(fd, 16), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &alen), 0);
	snprintf(address, sizeof address, "[::1]:%d", ntohs(a.sin6_port));
	p = tcp_program(h, address, 2);
	watch_probes(h, &s);
	r = probe_now(h, &s, p);
	assert_true(r->ok);
	snprintf(want, sizeof want, "connect %s: connected in ", address);
	assert_true(strncmp(r->text, want, strlen(want)) == 0);
	close(fd);
}

/* A host name: localhost, which libcurl's resolver answers (no
 * getaddrinfo() in the loop). */
static void
test_tcp_localhost(void **state)
{
	struct h *h = *state;
	const struct probe_result *r;
	char address[64];
	struct seen s;
	struct proc *p;
	int fd, port;

	fd = tcp_socket(16, &port);
	snprintf(address, sizeof address, "localhost:%d", port);
	p = tcp_program(h, address, 2);
	watch_probes(h, &s);
	r = probe_now(h, &s, p);
	assert_true(r->ok);
	assert_string_equal(r->brief, "connected");
	close(fd);
}

/* What is not HOST:PORT with a host name or address is refused before
 * any connect. */
static void
test_tcp_bad_host(void **state)
{
	struct h *h = *state;
	struct proc *p;

	p = tcp_program(h, "db/x:5432", 2);
	assert_int_equal(engine_probe(h->e, p, why, sizeof why), -1);
	assert_string_equal(why, "db: cannot probe: probe_tcp: 'db/x:5432' is "
	    "not HOST:PORT with a host name or an IP address");
}

/* A port nobody listens on: "connection refused", said plainly. */
static void
test_tcp_refused(void **state)
{
	struct h *h = *state;
	const struct probe_result *r;
	char address[64], want[128];
	struct seen s;
	struct proc *p;
	int fd, port;

	fd = tcp_socket(-1, &port);	/* bound, not listening */
	snprintf(address, sizeof address, "127.0.0.1:%d", port);
	p = tcp_program(h, address, 2);
	watch_probes(h, &s);
	assert_int_equal(engine_start(h->e, p, why, sizeof why), 0);
	r = probe_now(h, &s, p);
	assert_false(r->ok);
	assert_string_equal(r->brief, "");
	snprintf(want, sizeof want, "connect %s: connection refused", address);
	assert_string_equal(r->text, want);
	snprintf(want, sizeof want, "probe FAILED: connect %s: connection "
	    "refused", address);
	assert_int_equal(h_count_notes(p, want), 1);
	close(fd);
}

/* A listener whose queue is full drops the SYN: the connect hangs until
 * the clock reaches probe_timeout. */
static void
test_tcp_timeout(void **state)
{
	struct h *h = *state;
	struct sockaddr_in a = { .sin_family = AF_INET };
	const struct probe_result *r;
	char address[64], want[128];
	struct seen s;
	struct proc *p;
	int fd, port, filler, i;
	int64_t t;

	fd = tcp_socket(0, &port);
	filler = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((uint16_t)port);
	connect(filler, (struct sockaddr *)&a, sizeof a);	/* the queue's one */
	snprintf(address, sizeof address, "127.0.0.1:%d", port);
	/* Long: libcurl's own timeout, on the real clock, must not come
	 * first. */
	p = tcp_program(h, address, 30);
	watch_probes(h, &s);
	assert_int_equal(engine_start(h->e, p, why, sizeof why), 0);
	t = loop_now(h->loop);
	assert_int_equal(engine_probe(h->e, p, why, sizeof why), 0);
	for (i = 0; i < 20; i++)
		h_turn(h);
	h_at(h, t + 29999);
	assert_int_equal(s.n, 0);
	h_at(h, t + 30000);
	assert_int_equal(s.n, 1);
	r = &s.last;
	assert_false(r->ok);
	snprintf(want, sizeof want, "connect %s: timed out after 30 s", address);
	assert_string_equal(r->text, want);
	close(filler);
	close(fd);
}

/* --- messages ---------------------------------------------------------------- */

static void
test_no_probe_says_which_keys(void **state)
{
	struct h *h = *state;

	h_open(h, "[program:web]\ncommand = sleep 600\nautostart = false\n");
	assert_int_equal(engine_probe(h->e, h_prog(h, "web"), why, sizeof why),
	    -1);
	assert_string_equal(why, "no probe_url, probe_command or probe_tcp in "
	    "[program:web]");
}

/* --- restart_unhealthy --------------------------------------------------------- */

/* A probe that always fails, every second: the two in the boot grace do
 * not count, the third is one failure, the fourth the second in a row:
 * with restart_unhealthy = 2 that restarts the program, once, noted; the
 * new run gets its own grace. */
static void
test_restart_unhealthy_after_n_failures(void **state)
{
	struct h *h = *state;
	const struct health_status *hs;
	const struct proc_status *st;
	struct seen s;
	struct proc *p;
	pid_t first;
	int64_t t;

	h_open(h, "[program:web]\ncommand = echo up; exec sleep 600\n"
	    "autostart = false\nstartsecs = 0\nprobe_command = exit 3\n"
	    "probe_interval = 1\nrestart_unhealthy = 2\n");
	watch_probes(h, &s);
	p = h_prog(h, "web");
	st = proc_status(p);
	hs = engine_health(h->e, p);
	assert_int_equal(engine_start(h->e, p, why, sizeof why), 0);
	h_wait_line(h, p, "up");
	t = h->clock - LOOP_BATCH_MS;
	first = st->pid;
	probe_at(h, &s, t + 1000);
	probe_at(h, &s, t + 2000);
	assert_int_equal(hs->failures, 0);	/* the grace */
	assert_int_equal(st->pid, first);
	probe_at(h, &s, t + 3000);
	assert_int_equal(hs->failures, 1);
	assert_int_equal(st->pid, first);
	assert_int_equal(st->state, PROC_RUNNING);
	assert_int_equal(h_count_notes(p, "restarting"), 0);
	probe_at(h, &s, t + 4000);
	assert_int_equal(h_count_notes(p, "restarting: 2 failed probes in a "
	    "row"), 1);
	H_WAIT(h, st->pid != 0 && st->pid != first);
	assert_int_equal(st->starts, 2);
	assert_int_equal(hs->failures, 0);
	assert_string_equal(h_notes(p), "started\n"
	    "restarting: 2 failed probes in a row\n"
	    "stopping: sent SIGTERM\n"
	    "killed by SIGTERM (rc -15)\n"
	    "started");
	/* The new run: its first probes are in its grace again. */
	t = loop_now(h->loop);
	probe_at(h, &s, t + 1000);
	probe_at(h, &s, t + 2000);
	assert_int_equal(hs->failures, 0);
	assert_int_equal(st->starts, 2);
}

/* Without restart_unhealthy, failures make it unhealthy and no more. */
static void
test_no_restart_without_restart_unhealthy(void **state)
{
	struct h *h = *state;
	const struct health_status *hs;
	const struct proc_status *st;
	struct seen s;
	struct proc *p;
	int64_t t;
	int i;

	h_open(h, "[program:web]\ncommand = sleep 600\nautostart = false\n"
	    "startsecs = 0\nprobe_command = exit 3\nprobe_interval = 1\n");
	watch_probes(h, &s);
	p = h_prog(h, "web");
	st = proc_status(p);
	hs = engine_health(h->e, p);
	assert_int_equal(engine_start(h->e, p, why, sizeof why), 0);
	t = loop_now(h->loop);
	for (i = 1; i <= 8; i++)
		probe_at(h, &s, t + i * 1000);
	assert_int_equal(hs->failures, 6);
	assert_int_equal(hs->state, HEALTH_UNHEALTHY);
	assert_int_equal(st->starts, 1);
	assert_int_equal(h_count_notes(p, "restarting"), 0);
}

int
main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, h_setup, h_teardown)
	const struct CMUnitTest tests[] = {
		T(test_command_ready_when_it_exits_0),
		T(test_command_has_the_programs_environment),
		T(test_command_failure_shows_its_output),
		T(test_command_output_is_bounded),
		T(test_command_timeout_kills_its_group),
		T(test_command_leaves_nothing_behind),
		T(test_command_in_a_missing_folder),
		T(test_tcp_connects),
		T(test_tcp_ipv6),
		T(test_tcp_localhost),
		T(test_tcp_bad_host),
		T(test_tcp_refused),
		T(test_tcp_timeout),
		T(test_no_probe_says_which_keys),
		T(test_restart_unhealthy_after_n_failures),
		T(test_no_restart_without_restart_unhealthy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
