/*
 * harness: an engine on a fake clock, driving real child processes.
 *
 * Included by the unit tests that run programs (test_proc.c,
 * test_engine.c).  Each test gets a fresh folder, a config written
 * into it, and an engine whose loop reads h->clock instead of
 * CLOCK_MONOTONIC: timers (startsecs, backoff, stopwaitsecs, probe
 * intervals) fire only when the test moves the clock, so they are
 * tested to the millisecond without sleeping for them.
 *
 * Real events (a child's output, its exit) are waited for with
 * H_WAIT(): short loop turns until a condition holds, bounded in real
 * time so that a broken build fails instead of hanging.  The fake clock
 * does not move while waiting.
 *
 * One thing to know: a quiet pipe is read in batches (LOOP_BATCH), and
 * after a batch every pipe rests until the loop's clock has moved
 * LOOP_BATCH_MS.  With the fake clock standing still, output that comes
 * after a batch (from any program) is not read until the test moves the
 * clock on: h_wait_line() does that (by LOOP_BATCH_MS) before it waits,
 * so it sees the next write of one program.  While it waits, no other
 * program may write (its batch would start a rest that never ends):
 * tests start programs that print one after the other.  The end of a
 * run is not affected: the exit drains the pipes at once.
 *
 * And one for valgrind: spawn.c relies on vfork() returning only once
 * the child has exec'd (so it already leads its own group).  Valgrind
 * runs vfork() as fork(), and a signal sent to the group right after
 * engine_start() can then find no group at all.  A test that signals a
 * program waits for a line from it first ("echo ready").
 */
#ifndef TEND_TEST_HARNESS_H
#define TEND_TEST_HARNESS_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "engine.h"
#include "loop.h"
#include "proc.h"
#include "store.h"

#define H_UNUSED __attribute__((unused))

/* Real time a condition may take: generous, for valgrind. */
#ifndef H_WAIT_MS
#define H_WAIT_MS 20000
#endif
/* Real time one waiting turn may sleep in poll(). */
#define H_TURN_MS 10
/* Where the fake clock starts (any value; not 0, to catch a timer
 * set from 0 instead of from the loop's time). */
#define H_CLOCK0 1000000

struct h {
	char dir[64];
	struct config cfg;
	bool cfg_loaded;
	struct engine *e;
	struct loop *loop;
	int64_t clock;		/* the fake clock, in ms */
};

static int64_t
h_clock(void *ctx)
{
	return ((struct h *)ctx)->clock;
}

static H_UNUSED int
h_setup(void **state)
{
	struct h *h = calloc(1, sizeof *h);

	if (h == NULL)
		return -1;
	snprintf(h->dir, sizeof h->dir, "/tmp/tend-unit.XXXXXX");
	if (mkdtemp(h->dir) == NULL) {
		free(h);
		return -1;
	}
	*state = h;
	return 0;
}

static H_UNUSED int
h_teardown(void **state)
{
	struct h *h = *state;
	char cmd[128];
	int rc;

	engine_free(h->e);	/* SIGKILL to whatever still runs */
	if (h->cfg_loaded)
		config_free(&h->cfg);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", h->dir);
	rc = system(cmd);
	/* Reap what the kills left (the next test's engine would reap
	 * them too, but tests should not see each other's children). */
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	free(h);
	return rc == 0 ? 0 : -1;
}

/* An engine for INI (programs' sections; [tend] is added), on the fake
 * clock, with nothing started. */
static H_UNUSED struct engine *
h_open(struct h *h, const char *ini)
{
	char path[128], err[256];
	FILE *f;

	snprintf(path, sizeof path, "%s/tend.ini", h->dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "[tend]\nshell = /bin/sh\n\n%s", ini);
	assert_int_equal(fclose(f), 0);
	if (config_load(path, &h->cfg) != 0) {
		h->cfg_loaded = true;
		fail_msg("config: %s", h->cfg.nerrors ? h->cfg.errors[0] : "?");
	}
	h->cfg_loaded = true;
	h->e = engine_new(&h->cfg, err, sizeof err);
	if (h->e == NULL)
		fail_msg("engine_new: %s", err);
	h->loop = engine_loop(h->e);
	h->clock = H_CLOCK0;
	loop_set_clock(h->loop, h_clock, h);
	assert_int_equal(loop_now(h->loop), H_CLOCK0);
	return h->e;
}

static H_UNUSED struct proc *
h_prog(struct h *h, const char *name)
{
	struct proc *p = engine_find(h->e, name);

	if (p == NULL)
		fail_msg("no program %s", name);
	return p;
}

/* One turn that may wait up to H_TURN_MS for something to happen. */
static H_UNUSED void
h_turn(struct h *h)
{
	assert_int_equal(loop_run_once(h->loop, H_TURN_MS), 0);
}

/* Move the fake clock to T and run one turn without waiting: the
 * timers due by T fire. */
static H_UNUSED void
h_at(struct h *h, int64_t t)
{
	assert_true(t >= h->clock);
	h->clock = t;
	assert_int_equal(loop_run_once(h->loop, 0), 0);
	assert_int_equal(loop_now(h->loop), t);
}


/* Turn until COND holds, for at most H_WAIT_MS of real time. */
#define H_WAIT(h, cond) do {						\
	int64_t h_deadline_ = loop_monotonic_ms() + H_WAIT_MS;		\
									\
	while (!(cond)) {						\
		if (loop_monotonic_ms() > h_deadline_)			\
			fail_msg("%s:%d: timed out waiting for %s",	\
			    __FILE__, __LINE__, #cond);			\
		h_turn(h);						\
	}								\
} while (0)

/* --- what a program's store holds --------------------------------------- */

/* "started pid 42": the note of a start. */
static H_UNUSED bool
h_is_started(const struct store_line *l)
{
	uint32_t i;

	if (l->len <= 12 || memcmp(l->text, "started pid ", 12) != 0)
		return false;
	for (i = 12; i < l->len; i++) {
		if (l->text[i] < '0' || l->text[i] > '9')
			return false;
	}
	return true;
}

/* P's notes, oldest first, one per line; "started pid 42" reads
 * "started" (pids differ from run to run).  In a static buffer. */
static H_UNUSED const char *
h_notes(struct proc *p)
{
	static char buf[16384];
	const struct store *st = proc_store_const(p);
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < store_count(st); i++) {
		const struct store_line *l = store_line(st, i);
		int len = (int)l->len;

		if (!(l->flags & STORE_NOTE))
			continue;
		if (h_is_started(l))
			len = 7;
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%.*s",
		    n ? "\n" : "", len, l->text);
		if (n >= sizeof buf)
			fail_msg("notes longer than %zu bytes", sizeof buf);
	}
	return buf;
}

/* How many of P's notes begin with PREFIX. */
static H_UNUSED int
h_count_notes(struct proc *p, const char *prefix)
{
	const struct store *st = proc_store_const(p);
	size_t i, len = strlen(prefix);
	int n = 0;

	for (i = 0; i < store_count(st); i++) {
		const struct store_line *l = store_line(st, i);

		if ((l->flags & STORE_NOTE) && l->len >= len &&
		    memcmp(l->text, prefix, len) == 0)
			n++;
	}
	return n;
}

/* P's program wrote the line TEXT (on either stream). */
static H_UNUSED bool
h_has_line(struct proc *p, const char *text)
{
	const struct store *st = proc_store_const(p);
	size_t i, len = strlen(text);

	for (i = 0; i < store_count(st); i++) {
		const struct store_line *l = store_line(st, i);

		if (!(l->flags & (STORE_NOTE | STORE_INPUT)) && l->len == len &&
		    memcmp(l->text, text, len) == 0)
			return true;
	}
	return false;
}

/* Wait for P to write the line TEXT: the fake clock moves on by
 * LOOP_BATCH_MS first, past the rest of a batch read before, then
 * stands still.  P's next write is read at once, provided no other
 * program writes meanwhile (see the top). */
static H_UNUSED void
h_wait_line(struct h *h, struct proc *p, const char *text)
{
	h_at(h, h->clock + LOOP_BATCH_MS);
	H_WAIT(h, h_has_line(p, text));
}

/* Processes of P's run still exist (its group is not empty). */
static H_UNUSED bool
h_group_exists(pid_t group)
{
	return group > 0 && (kill(-group, 0) == 0 || errno != ESRCH);
}

#endif
