/* Unit tests for the engine, with real children and a fake clock: the
 * quit sequence, the exit status, finding programs by name, the
 * commands' refusals, the subscribers, and engine_run() itself. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "harness.h"
#include "procio.h"

static char why[256];

/* A client that writes down what it hears. */
struct client {
	struct engine *e;
	char notes[1024];
	int lines, changed, flushes, done;
	uint64_t seqs[64];		/* of the lines, in order */
	bool leave_on_line;		/* unsubscribe in the first line */
	struct client *add_on_line;	/* subscribe it in the first line */
	struct client *drop_on_line;	/* unsubscribe it in the first line */
};

static void client_line(void *, struct proc *, const struct store_line *);
static void client_changed(void *, struct proc *);
static void client_note(void *, const char *);
static void client_flush(void *);
static void client_done(void *);

static const struct engine_events client_events = {
	.line = client_line,
	.changed = client_changed,
	.note = client_note,
	.flush = client_flush,
	.done = client_done,
};

static void
client_line(void *ctx, struct proc *p, const struct store_line *line)
{
	struct client *c = ctx;

	(void)p;
	if (c->lines < 64)
		c->seqs[c->lines] = line->seq;
	c->lines++;
	if (c->lines == 1 && c->leave_on_line)
		engine_unsubscribe(c->e, c);
	if (c->lines == 1 && c->add_on_line != NULL)
		assert_int_equal(engine_subscribe(c->e, &client_events,
		    c->add_on_line), 0);
	if (c->lines == 1 && c->drop_on_line != NULL)
		engine_unsubscribe(c->e, c->drop_on_line);
}

static void
client_changed(void *ctx, struct proc *p)
{
	struct client *c = ctx;

	(void)p;
	c->changed++;
}

static void
client_note(void *ctx, const char *msg)
{
	struct client *c = ctx;
	size_t n = strlen(c->notes);

	snprintf(c->notes + n, sizeof c->notes - n, "%s%s", n ? "\n" : "",
	    msg);
}

static void
client_flush(void *ctx)
{
	((struct client *)ctx)->flushes++;
}

static void
client_done(void *ctx)
{
	((struct client *)ctx)->done++;
}

/* --- quitting ------------------------------------------------------------ */

/* The first quit stops every program with its escalation; the second
 * kills what is left, at once; then the run is over and the loop ends. */
static void
test_quit_stops_then_kills(void **state)
{
	struct h *h = *state;
	const struct proc_status *web, *stub, *idle;
	struct client c = { .e = NULL };
	struct proc *pw, *ps, *pi;
	int64_t t;

	h_open(h, "[program:web]\ncommand = echo ready; exec sleep 600\n"
	    "autostart = false\nstartsecs = 0\n\n"
	    "[program:stubborn]\n"
	    "command = trap '' TERM; echo ready; exec sleep 600\n"
	    "autostart = false\nstartsecs = 0\nstopwaitsecs = 5\n\n"
	    "[program:idle]\ncommand = sleep 600\nautostart = false\n");
	c.e = h->e;
	assert_int_equal(engine_subscribe(h->e, &client_events, &c), 0);
	pw = h_prog(h, "web");
	ps = h_prog(h, "stubborn");
	pi = h_prog(h, "idle");
	web = proc_status(pw);
	stub = proc_status(ps);
	idle = proc_status(pi);
	/* One after the other: see h_wait_line(). */
	assert_int_equal(engine_start(h->e, pw, why, sizeof why), 0);
	h_wait_line(h, pw, "ready");
	assert_int_equal(engine_start(h->e, ps, why, sizeof why), 0);
	h_wait_line(h, ps, "ready");
	t = loop_now(h->loop);
	assert_false(engine_quitting(h->e));

	engine_quit(h->e, "test");
	assert_true(engine_quitting(h->e));
	assert_false(engine_killing(h->e));
	assert_string_equal(c.notes, "test: stopping every program (again to "
	    "kill them)");
	assert_int_equal(web->state, PROC_STOPPING);
	assert_int_equal(stub->state, PROC_STOPPING);
	assert_int_equal(idle->state, PROC_IDLE);
	H_WAIT(h, !web->alive);
	assert_true(WIFSIGNALED(web->wait_status));
	assert_int_equal(WTERMSIG(web->wait_status), SIGTERM);
	/* stubborn waits for its stopwaitsecs, which the clock never
	 * reaches: the run is not over. */
	assert_true(stub->alive);
	assert_int_equal(engine_alive(h->e), 1);
	assert_int_equal(c.done, 0);
	assert_false(loop_stopping(h->loop));
	assert_int_equal(engine_start(h->e, pi, why, sizeof why), -1);
	assert_string_equal(why, "idle is not started: tend is quitting");
	assert_int_equal(engine_restart(h->e, pw, why, sizeof why), -1);
	assert_string_equal(why, "web is not restarted: tend is quitting");

	engine_quit(h->e, "test");
	assert_true(engine_killing(h->e));
	engine_quit(h->e, "test");	/* a third: nothing new to say */
	assert_string_equal(c.notes, "test: stopping every program (again to "
	    "kill them)\ntest again: killing every program");
	assert_int_equal(h_count_notes(ps, "sent SIGKILL"), 1);
	H_WAIT(h, !stub->alive);
	assert_int_equal(loop_now(h->loop), t);
	assert_true(WIFSIGNALED(stub->wait_status));
	assert_int_equal(WTERMSIG(stub->wait_status), SIGKILL);
	assert_int_equal(engine_alive(h->e), 0);
	H_WAIT(h, loop_stopping(h->loop));
	assert_int_equal(c.done, 1);
	assert_int_equal(engine_exit_status(h->e), 0);
	assert_string_equal(h_notes(ps), "started\nstopping: sent SIGTERM\n"
	    "sent SIGKILL\nkilled by SIGKILL (rc -9)");
}

/* priority at quit: the highest first, each gone before the next is
 * signalled; depends_on still first, with no wait on each other (web
 * has the lowest priority but depends on db, so db stops after it, not
 * before: its rank is lowered to web's). */
static void
test_quit_by_priority(void **state)
{
	struct h *h = *state;
	const struct proc_status *db, *web, *cache;
	struct proc *pd, *pw, *pc;

	h_open(h, "[program:db]\ncommand = echo ready; exec sleep 600\n"
	    "autostart = false\nstartsecs = 0\npriority = 900\n\n"
	    "[program:web]\ncommand = echo ready; exec sleep 600\n"
	    "autostart = false\nstartsecs = 0\npriority = 100\n"
	    "depends_on = db\n\n"
	    "[program:cache]\ncommand = echo ready; exec sleep 600\n"
	    "autostart = false\nstartsecs = 0\npriority = 500\n");
	pd = h_prog(h, "db");
	pw = h_prog(h, "web");
	pc = h_prog(h, "cache");
	db = proc_status(pd);
	web = proc_status(pw);
	cache = proc_status(pc);
	assert_int_equal(engine_start(h->e, pd, why, sizeof why), 0);
	h_wait_line(h, pd, "ready");
	assert_int_equal(engine_start(h->e, pw, why, sizeof why), 0);
	h_wait_line(h, pw, "ready");
	assert_int_equal(engine_start(h->e, pc, why, sizeof why), 0);
	h_wait_line(h, pc, "ready");

	engine_quit(h->e, "test");
	assert_int_equal(cache->state, PROC_STOPPING);
	assert_int_equal(web->state, PROC_RUNNING);
	assert_int_equal(db->state, PROC_RUNNING);
	/* Each stop begins in a turn after the end of the one before. */
	H_WAIT(h, !cache->alive);
	assert_true(web->alive && db->alive);
	assert_int_equal(h_count_notes(pw, "stopping: sent SIGTERM"), 0);
	H_WAIT(h, !web->alive);
	assert_true(db->alive);
	assert_int_equal(h_count_notes(pd, "stopping: sent SIGTERM"), 0);
	H_WAIT(h, !db->alive);
	assert_int_equal(h_count_notes(pd, "stopping: sent SIGTERM"), 1);
	H_WAIT(h, loop_stopping(h->loop));
}

/* A quit ends a restart that is waiting for its backoff at once (the
 * loop ends at the next turn, the clock far from the restart); the
 * crash before it still counts as a failure. */
static void
test_quit_cancels_a_backoff(void **state)
{
	struct h *h = *state;
	struct client c = { .e = NULL };
	const struct proc_status *st;
	struct proc *p;

	h_open(h, "[program:crash]\ncommand = exit 1\nautostart = false\n"
	    "autorestart = true\n");
	c.e = h->e;
	assert_int_equal(engine_subscribe(h->e, &client_events, &c), 0);
	p = h_prog(h, "crash");
	st = proc_status(p);
	assert_int_equal(engine_start(h->e, p, why, sizeof why), 0);
	H_WAIT(h, st->state == PROC_BACKOFF);
	engine_quit(h->e, NULL);
	assert_string_equal(c.notes, "stopping every program (again to kill "
	    "them)");
	assert_int_equal(st->state, PROC_EXITED);
	H_WAIT(h, loop_stopping(h->loop));
	assert_int_equal(c.done, 1);
	assert_string_equal(h_notes(p), "started\nexited 1\nrestarting in 1s\n"
	    "not restarting");
	assert_int_equal(engine_exit_status(h->e), 1);
}

/* --- exit status --------------------------------------------------------- */

/* 1 once a program failed without tend asking: an exit code not in
 * exitcodes, or a signal from elsewhere; not for an expected code, nor
 * for a stop tend asked for. */
static void
test_exit_status(void **state)
{
	static const char *const fine[] = { "zero", "three", "stopped" };
	struct h *h = *state;
	struct proc *p;
	size_t i;

	h_open(h, "[program:zero]\ncommand = exit 0\nautostart = false\n\n"
	    "[program:three]\ncommand = exit 3\nexitcodes = 0,3\n"
	    "autostart = false\n\n"
	    "[program:stopped]\ncommand = echo ready; exec sleep 600\n"
	    "autostart = false\n\n"
	    "[program:bad]\ncommand = exit 3\nautostart = false\n\n"
	    "[program:shot]\ncommand = echo ready; exec sleep 600\n"
	    "autostart = false\n");
	assert_int_equal(engine_exit_status(h->e), 0);
	for (i = 0; i < 3; i++) {
		p = h_prog(h, fine[i]);
		assert_int_equal(engine_start(h->e, p, why, sizeof why), 0);
		if (strcmp(fine[i], "stopped") == 0) {
			h_wait_line(h, p, "ready");
			assert_int_equal(engine_stop(h->e, p, why, sizeof why), 0);
		}
		H_WAIT(h, !proc_status(p)->alive);
		assert_false(proc_status(p)->failed);
		assert_int_equal(engine_exit_status(h->e), 0);
	}
	p = h_prog(h, "shot");
	assert_int_equal(engine_start(h->e, p, why, sizeof why), 0);
	h_wait_line(h, p, "ready");
	assert_int_equal(kill(proc_status(p)->pid, SIGTERM), 0);
	H_WAIT(h, !proc_status(p)->alive);
	assert_true(proc_status(p)->failed);
	assert_int_equal(engine_exit_status(h->e), 1);

	p = h_prog(h, "bad");
	assert_int_equal(engine_start(h->e, p, why, sizeof why), 0);
	H_WAIT(h, !proc_status(p)->alive);
	assert_true(proc_status(p)->failed);
	assert_int_equal(engine_exit_status(h->e), 1);
}

/* --- names --------------------------------------------------------------- */

static void
test_find_and_nearest(void **state)
{
	struct h *h = *state;

	h_open(h, "[program:web]\ncommand = true\nautostart = false\n"
	    "[program:worker]\ncommand = true\nautostart = false\n"
	    "[program:api]\ncommand = true\nautostart = false\n");
	assert_int_equal(engine_count(h->e), 3);
	assert_string_equal(proc_name(engine_program(h->e, 0)), "web");
	assert_string_equal(proc_name(engine_program(h->e, 2)), "api");
	assert_null(engine_program(h->e, 3));
	assert_ptr_equal(engine_find(h->e, "worker"), engine_program(h->e, 1));
	assert_null(engine_find(h->e, "WEB"));
	assert_null(engine_find(h->e, "we"));
	assert_ptr_equal(engine_nearest(h->e, "wbe"), engine_program(h->e, 0));
	assert_ptr_equal(engine_nearest(h->e, "wokrer"),
	    engine_program(h->e, 1));
	assert_ptr_equal(engine_nearest(h->e, "ap"), engine_program(h->e, 2));
	assert_ptr_equal(engine_nearest(h->e, "apis"), engine_program(h->e, 2));
	/* Too far, or as far as the word is long. */
	assert_null(engine_nearest(h->e, "db"));
	assert_null(engine_nearest(h->e, "x"));
	assert_null(engine_nearest(h->e, "scheduler"));
	assert_null(engine_nearest(h->e, ""));
}

/* --- commands ------------------------------------------------------------ */

/* Each command that does not apply says why, with the program's name. */
static void
test_refusals(void **state)
{
	struct h *h = *state;
	struct proc *p;
	char *big;

	h_open(h, "[program:web]\ncommand = echo ready; exec sleep 600\n"
	    "autostart = false\nstartsecs = 0\n");
	p = h_prog(h, "web");
	assert_int_equal(engine_stop(h->e, p, why, sizeof why), -1);
	assert_string_equal(why, "web is not running");
	assert_int_equal(engine_kill(h->e, p, why, sizeof why), -1);
	assert_string_equal(why, "web is not running");
	assert_int_equal(engine_interrupt(h->e, p, why, sizeof why), -1);
	assert_string_equal(why, "web is not running");
	assert_int_equal(engine_probe(h->e, p, why, sizeof why), -1);
	assert_string_equal(why, "no probe_url, probe_command or probe_tcp in "
	    "[program:web]");

	assert_int_equal(engine_start(h->e, p, why, sizeof why), 0);
	assert_int_equal(engine_start(h->e, p, why, sizeof why), -1);
	assert_string_equal(why, "web is already running");
	h_wait_line(h, p, "ready");

	/* sleep never reads: the queue fills up, and then refuses. */
	big = malloc(PROCIO_STDIN_MAX);
	assert_non_null(big);
	memset(big, 'x', PROCIO_STDIN_MAX);
	assert_int_equal(engine_send_line(h->e, p, big, PROCIO_STDIN_MAX, why,
	    sizeof why), -1);
	free(big);
	assert_string_equal(why, "web: stdin queue full (the program is not "
	    "reading); not sent");
	assert_int_equal(engine_eof(h->e, p, why, sizeof why), 0);
	assert_int_equal(engine_eof(h->e, p, why, sizeof why), -1);
	assert_string_equal(why, "web: stdin is already closed");
	assert_int_equal(engine_send_line(h->e, p, "hi", 2, why, sizeof why),
	    -1);
	assert_string_equal(why, "web: stdin is closed; not sent");

	assert_int_equal(engine_stop(h->e, p, why, sizeof why), 0);
	assert_int_equal(engine_stop(h->e, p, why, sizeof why), -1);
	assert_string_equal(why, "web is stopping already");
	H_WAIT(h, !proc_status(p)->alive);
	assert_int_equal(engine_stop(h->e, p, why, sizeof why), -1);
	assert_string_equal(why, "web is not running");
}

/* --- subscribers --------------------------------------------------------- */

/* Every subscriber hears every event, in order; one that unsubscribes
 * inside an event hears nothing more, and one unsubscribed by another
 * inside an event does not hear that event either; one subscribed
 * inside an event hears the events after it.  (Subscribed in the order
 * a, b, c, x, e: b leaves in its first event, a drops x in its first,
 * c adds d in its first.) */
static void
test_subscribers(void **state)
{
	struct h *h = *state;
	struct client a = { .e = NULL }, b = { .e = NULL }, c = { .e = NULL },
	    d = { .e = NULL }, x = { .e = NULL }, e = { .e = NULL };
	struct proc *p;
	int i;

	h_open(h, "[program:app]\ncommand = echo one; echo two; echo three\n"
	    "autostart = false\nstartsecs = 0\n");
	a.e = b.e = c.e = d.e = x.e = e.e = h->e;
	a.drop_on_line = &x;
	b.leave_on_line = true;
	c.add_on_line = &d;
	assert_int_equal(engine_subscribe(h->e, &client_events, &a), 0);
	assert_int_equal(engine_subscribe(h->e, &client_events, &b), 0);
	assert_int_equal(engine_subscribe(h->e, &client_events, &c), 0);
	assert_int_equal(engine_subscribe(h->e, &client_events, &x), 0);
	assert_int_equal(engine_subscribe(h->e, &client_events, &e), 0);
	p = h_prog(h, "app");
	assert_int_equal(engine_start(h->e, p, why, sizeof why), 0);
	H_WAIT(h, !proc_status(p)->alive);
	h_turn(h);	/* one more flush */
	assert_true(h_has_line(p, "three"));
	/* started, one, two, three, exited 0 */
	assert_int_equal(a.lines, 5);
	for (i = 0; i < 5; i++)
		assert_int_equal(a.seqs[i], (uint64_t)i);
	assert_int_equal(b.lines, 1);
	assert_int_equal(b.changed, 0);
	assert_int_equal(b.flushes, 0);
	assert_int_equal(c.lines, 5);
	assert_memory_equal(c.seqs, a.seqs, 5 * sizeof a.seqs[0]);
	assert_int_equal(e.lines, 5);
	assert_memory_equal(e.seqs, a.seqs, 5 * sizeof a.seqs[0]);
	assert_int_equal(x.lines, 0);
	assert_int_equal(x.changed, 0);
	assert_int_equal(d.lines, 4);
	assert_memory_equal(d.seqs, a.seqs + 1, 4 * sizeof a.seqs[0]);
	assert_true(a.changed > 0);
	assert_int_equal(c.changed, a.changed);
	assert_int_equal(e.changed, a.changed);
	assert_true(a.flushes > 0);
	assert_int_equal(c.flushes, a.flushes);
	assert_int_equal(d.flushes, a.flushes);

	/* Unsubscribed from outside: nothing more either. */
	engine_unsubscribe(h->e, &a);
	engine_quit(h->e, "bye");
	assert_string_equal(a.notes, "");
	assert_string_equal(b.notes, "");
	assert_string_equal(c.notes, "bye: stopping every program (again to "
	    "kill them)");
	assert_string_equal(d.notes, c.notes);
}

/* `lines` tells, once a turn and before `flush`, of the lines committed
 * since it last told: the first one's seq, and whether a note was among
 * them.  A client that takes `line` too checks it against every line. */
struct teller {
	bool pending, pending_note, wrong;
	uint64_t pending_first;
	int lines, told, flushes_pending;
};

static void
teller_line(void *ctx, struct proc *p, const struct store_line *line)
{
	struct teller *t = ctx;

	(void)p;
	t->lines++;
	if (!t->pending) {
		t->pending = true;
		t->pending_first = line->seq;
		t->pending_note = false;
	}
	if (line->flags & STORE_NOTE)
		t->pending_note = true;
}

static void
teller_lines(void *ctx, struct proc *p, const struct engine_lines *l)
{
	struct teller *t = ctx;

	(void)p;
	t->told++;
	if (!t->pending || l->first_seq != t->pending_first ||
	    l->note != t->pending_note)
		t->wrong = true;
	t->pending = false;
}

static void
teller_flush(void *ctx)
{
	struct teller *t = ctx;

	t->flushes_pending += t->pending;
}

static void
test_lines_told_once_a_turn(void **state)
{
	static const struct engine_events teller_events = {
		.line = teller_line,
		.lines = teller_lines,
		.flush = teller_flush,
	};
	struct h *h = *state;
	struct teller t = { .lines = 0 };
	struct proc *p;

	h_open(h, "[program:app]\ncommand = seq 1 20000\n"
	    "autostart = false\nstartsecs = 0\n");
	assert_int_equal(engine_subscribe(h->e, &teller_events, &t), 0);
	p = h_prog(h, "app");
	assert_int_equal(engine_start(h->e, p, why, sizeof why), 0);
	H_WAIT(h, !proc_status(p)->alive);
	h_turn(h);
	/* started, 20000 numbers, exited 0 */
	assert_int_equal(t.lines, 20002);
	assert_false(t.wrong);
	assert_false(t.pending);
	assert_int_equal(t.flushes_pending, 0);
	assert_true(t.told >= 2);		/* the note, then the rest */
	assert_true(t.told < t.lines / 10);	/* a read's lines at once */
}

/* --- engine_run ---------------------------------------------------------- */

/* engine_run() starts the autostart programs, and (headless) returns
 * once the run has settled.  SIGALRM is one of the signals that quit: a
 * run that never settles ends when the alarm quits it, and fails. */
static void
test_run_starts_autostart_programs(void **state)
{
	struct h *h = *state;
	struct client c = { .e = NULL };
	struct proc *once, *manual;

	h_open(h, "[program:once]\ncommand = echo hello\nstartsecs = 0\n\n"
	    "[program:manual]\ncommand = sleep 600\nautostart = false\n");
	c.e = h->e;
	assert_int_equal(engine_subscribe(h->e, &client_events, &c), 0);
	engine_set_exit_when_settled(h->e, true);
	once = h_prog(h, "once");
	manual = h_prog(h, "manual");
	alarm(H_WAIT_MS / 1000);
	assert_int_equal(engine_run(h->e), 0);
	alarm(0);
	assert_string_equal(c.notes, "");
	assert_int_equal(c.done, 1);
	assert_true(proc_status(once)->ended);
	assert_true(WIFEXITED(proc_status(once)->wait_status));
	assert_int_equal(WEXITSTATUS(proc_status(once)->wait_status), 0);
	assert_true(h_has_line(once, "hello"));
	assert_int_equal(proc_status(manual)->state, PROC_IDLE);
	assert_int_equal(engine_exit_status(h->e), 0);
}

int
main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, h_setup, h_teardown)
	const struct CMUnitTest tests[] = {
		T(test_quit_stops_then_kills),
		T(test_quit_cancels_a_backoff),
		T(test_quit_by_priority),
		T(test_exit_status),
		T(test_find_and_nearest),
		T(test_refusals),
		T(test_subscribers),
		T(test_lines_told_once_a_turn),
		T(test_run_starts_autostart_programs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
