/*
 * stopseq: the escalation of one stop, driven by one timer.
 *
 * Owns the phase and its timer.  After SIGKILL the tree takes a moment
 * to empty (the kernel tears the processes down, tend reaps them), so it
 * is checked every STOPSEQ_CHECK_MS until it has.
 */
#define _GNU_SOURCE
#include "stopseq.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#define STOPSEQ_CHECK_MS 50
#define STOPSEQ_NAMED 3		/* leftovers named in a note */

static void stopseq_fired(struct loop *loop, void *data);

void
stopseq_init(struct stopseq *s, struct loop *loop,
    const struct program_config *cfg, struct ptree *tree,
    const struct stopseq_events *ev, void *ctx)
{
	memset(s, 0, sizeof *s);
	s->loop = loop;
	s->cfg = cfg;
	s->tree = tree;
	s->ev = ev;
	s->ctx = ctx;
}

static void
stopseq_arm(struct stopseq *s, int64_t ms)
{
	loop_del_timer(s->loop, s->timer);
	s->timer = loop_add_timer(s->loop, ms, stopseq_fired, s);
}

/* SIG to the tree; WHAT, and the processes that had left the group, in
 * a note: "stopping: sent SIGTERM (also to 2 outside its group: 4242
 * timeout, 4243 sleep)". */
static void
stopseq_signal(struct stopseq *s, int sig, const char *what)
{
	pid_t pids[STOPSEQ_NAMED];
	size_t n = ptree_signal(s->tree, sig, pids, STOPSEQ_NAMED), i;
	char msg[512];
	int len;

	len = snprintf(msg, sizeof msg, "%s", what);
	for (i = 0; i < n && i < STOPSEQ_NAMED; i++) {
		char comm[32];

		ptree_comm(pids[i], comm, sizeof comm);
		len += snprintf(msg + len, sizeof msg - (size_t)len,
		    "%s%d %s", i == 0 ? " (also to " : ", ", (int)pids[i], comm);
	}
	if (n > STOPSEQ_NAMED)
		len += snprintf(msg + len, sizeof msg - (size_t)len,
		    " and %zu more", n - STOPSEQ_NAMED);
	if (n > 0)
		snprintf(msg + len, sizeof msg - (size_t)len,
		    ", outside its process group)");
	s->ev->note(s->ctx, msg);
}

static void
stopseq_send_stopsignal(struct stopseq *s)
{
	char what[64];

	s->phase = STOPSEQ_SIGNAL;
	snprintf(what, sizeof what, "stopping: sent SIG%s",
	    config_signal_name(s->cfg->stopsignal));
	stopseq_signal(s, s->cfg->stopsignal, what);
	/* A stopped process keeps the signal pending until continued. */
	ptree_signal(s->tree, SIGCONT, NULL, 0);
	stopseq_arm(s, (int64_t)s->cfg->stopwaitsecs * 1000);
}

static void
stopseq_finish(struct stopseq *s)
{
	loop_del_timer(s->loop, s->timer);
	s->timer = 0;
	s->phase = STOPSEQ_NONE;
	s->ev->done(s->ctx);
}

static void
stopseq_fired(struct loop *loop, void *data)
{
	struct stopseq *s = data;
	char why[96];

	(void)loop;
	s->timer = 0;
	if (!ptree_alive(s->tree)) {
		stopseq_finish(s);
	} else if (s->phase == STOPSEQ_INPUT) {
		stopseq_send_stopsignal(s);
	} else if (s->phase == STOPSEQ_SIGNAL) {
		snprintf(why, sizeof why, "sent SIGKILL: still running %ds after "
		    "SIG%s", s->cfg->stopwaitsecs,
		    config_signal_name(s->cfg->stopsignal));
		stopseq_kill(s, why);
	} else {
		stopseq_arm(s, STOPSEQ_CHECK_MS);
	}
}

int
stopseq_begin(struct stopseq *s, bool with_input)
{
	if (s->phase != STOPSEQ_NONE)
		return -1;
	if (with_input && s->cfg->stop_input != NULL &&
	    s->ev->send_input(s->ctx)) {
		s->phase = STOPSEQ_INPUT;
		s->ev->note(s->ctx, "stopping: sent stop_input");
		stopseq_arm(s, (int64_t)s->cfg->stopwaitsecs * 1000);
		return 0;
	}
	stopseq_send_stopsignal(s);
	return 0;
}

void
stopseq_kill(struct stopseq *s, const char *why)
{
	if (s->phase == STOPSEQ_KILL)
		return;
	s->phase = STOPSEQ_KILL;
	stopseq_signal(s, SIGKILL, why);
	stopseq_arm(s, STOPSEQ_CHECK_MS);
}

void
stopseq_check(struct stopseq *s)
{
	if (s->phase != STOPSEQ_NONE && !ptree_alive(s->tree))
		stopseq_finish(s);
}

void
stopseq_cancel(struct stopseq *s)
{
	loop_del_timer(s->loop, s->timer);
	s->timer = 0;
	s->phase = STOPSEQ_NONE;
}

bool
stopseq_active(const struct stopseq *s)
{
	return s->phase != STOPSEQ_NONE;
}
