/*
 * deps: one node per program, with the programs it depends on (and the
 * condition for each) and the programs that depend on it.
 *
 * Owns, per program, whether it should start once what it waits for is
 * there, whether it waits for a dependency to come back (restart_
 * dependents), whether its stop waits for its dependents (quit), and the
 * run of it last seen (to tell a restart).
 *
 * priority orders the rest: the programs start in priority order (lower
 * first, file order among equals), and a quit stops them highest first,
 * one priority at a time, each group gone before the next is signalled.
 * A program's rank for the quit is its priority, lowered to the lowest
 * rank of what depends on it: its dependents then always stop first, and
 * the two orders cannot wait for each other.
 */
#define _GNU_SOURCE
#include "deps.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "ptrmap.h"

struct deps_node {
	struct proc *p;
	struct deps_node **on;		/* what it depends on */
	enum cond_kind *cond;		/* for each of them */
	size_t non;
	struct deps_node **by;		/* what depends on it */
	size_t nby;
	bool pending;			/* start it once everything is there */
	bool rewait;			/* start it again when its run is over */
	bool stop_later;		/* quitting: after its dependents */
	bool had_run;
	pid_t pid;			/* of the run last seen */
	int rank;			/* quit: stops before lower ranks */
	bool ranked;
};

struct deps {
	struct engine *e;
	struct deps_node *nodes;
	size_t n;
	struct ptrmap by_proc;		/* proc -> node */
	struct deps_node **order;	/* by priority, file order among equals */
	bool dirty;
	bool quitting;
};

static struct deps_node *
deps_node(const struct deps *d, const struct proc *p)
{
	return ptrmap_get(&d->by_proc, p);
}

/* --- the graph ----------------------------------------------------------- */

static int
deps_link(struct deps *d, struct deps_node *n)
{
	const struct program_config *pc = proc_config(n->p);
	size_t k;

	n->on = calloc(pc->ndepends_on + 1, sizeof *n->on);
	n->cond = calloc(pc->ndepends_on + 1, sizeof *n->cond);
	if (n->on == NULL || n->cond == NULL)
		return -1;
	for (k = 0; k < pc->ndepends_on; k++) {
		struct proc *t = engine_find(d->e, pc->depends_on[k].name);
		struct deps_node *to = t != NULL ? deps_node(d, t) : NULL;
		struct deps_node **by;

		if (to == NULL)
			continue;	/* config.c refused unknown names */
		n->on[n->non] = to;
		n->cond[n->non++] = cond_of_dep(proc_config(t),
		    pc->depends_on[k].cond);
		if ((by = realloc(to->by, (to->nby + 1) * sizeof *by)) == NULL)
			return -1;
		to->by = by;
		to->by[to->nby++] = n;
	}
	return 0;
}

/* N's quit rank: its priority, or less to stay under its dependents'. */
static int
deps_rank(struct deps_node *n)
{
	size_t k;

	if (n->ranked)
		return n->rank;
	n->ranked = true;	/* depends_on has no cycle (config.c) */
	n->rank = proc_config(n->p)->priority;
	for (k = 0; k < n->nby; k++) {
		int r = deps_rank(n->by[k]);

		if (r < n->rank)
			n->rank = r;
	}
	return n->rank;
}

/* The start order: a stable insertion sort by priority (a config's
 * programs are few, and mostly of one priority). */
static int
deps_sort(struct deps *d)
{
	size_t i, j;

	if ((d->order = calloc(d->n + 1, sizeof *d->order)) == NULL)
		return -1;
	for (i = 0; i < d->n; i++) {
		struct deps_node *n = &d->nodes[i];
		int prio = proc_config(n->p)->priority;

		for (j = i; j > 0 && proc_config(d->order[j - 1]->p)->priority >
		    prio; j--)
			d->order[j] = d->order[j - 1];
		d->order[j] = n;
		deps_rank(n);
	}
	return 0;
}

struct deps *
deps_new(struct engine *e)
{
	struct deps *d = calloc(1, sizeof *d);
	size_t i;

	if (d == NULL)
		return NULL;
	d->e = e;
	d->n = engine_count(e);
	if ((d->nodes = calloc(d->n + 1, sizeof *d->nodes)) == NULL)
		goto fail;
	for (i = 0; i < d->n; i++) {
		d->nodes[i].p = engine_program(e, i);
		if (ptrmap_put(&d->by_proc, d->nodes[i].p, &d->nodes[i]) == -1)
			goto fail;
	}
	for (i = 0; i < d->n; i++) {
		if (deps_link(d, &d->nodes[i]) == -1)
			goto fail;
	}
	if (deps_sort(d) == -1)
		goto fail;
	return d;
fail:
	deps_free(d);
	return NULL;
}

void
deps_free(struct deps *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; d->nodes != NULL && i < d->n; i++) {
		free(d->nodes[i].on);
		free(d->nodes[i].cond);
		free(d->nodes[i].by);
	}
	free(d->nodes);
	free(d->order);
	ptrmap_free(&d->by_proc);
	free(d);
}

struct proc *
deps_in_order(const struct deps *d, size_t i)
{
	return i < d->n ? d->order[i]->p : NULL;
}

bool
deps_waits(const struct deps *d, const struct proc *p)
{
	const struct deps_node *n = deps_node(d, p);

	return n != NULL && n->non > 0;
}

/* --- starting ------------------------------------------------------------ */

static const char *const deps_cond_words[] = {
	[COND_STARTED] = "started", [COND_READY] = "ready",
	[COND_EXITED] = "completed",
	[COND_COMPLETED_OK] = "completed successfully",
};

/* Start N if everything it waits for is there; else say what it waits
 * for, or what blocks it. */
static void
deps_evaluate(struct deps *d, struct deps_node *n)
{
	const struct proc_status *st = proc_status(n->p);
	char waiting[192] = "", why[256], msg[320];
	size_t k, len = 0;

	if (st->alive || st->state == PROC_BACKOFF) {
		n->pending = false;	/* started meanwhile (by hand, say) */
		return;
	}
	for (k = 0; k < n->non; k++) {
		switch (cond_check(d->e, n->on[k]->p, n->cond[k], why,
		    sizeof why)) {
		case COND_MET:
			break;
		case COND_FAILED:
			if (st->state != PROC_BLOCKED || strcmp(st->why, why) != 0) {
				proc_wait(n->p, PROC_BLOCKED, why);
				snprintf(msg, sizeof msg, "blocked: %s", why);
				proc_note(n->p, msg);
			}
			return;
		case COND_WAITING:
			len += (size_t)snprintf(waiting + len, len < sizeof waiting ?
			    sizeof waiting - len : 0, "%s%s %s", len ? ", " : "",
			    proc_name(n->on[k]->p), deps_cond_words[n->cond[k]]);
			break;
		}
	}
	if (waiting[0] != '\0') {
		if (st->state != PROC_WAITING) {
			snprintf(msg, sizeof msg, "waiting: %s", waiting);
			proc_note(n->p, msg);
		}
		if (st->state != PROC_WAITING || strcmp(st->why, waiting) != 0)
			proc_wait(n->p, PROC_WAITING, waiting);
		return;
	}
	n->pending = false;
	proc_start(n->p);
}

void
deps_start(struct deps *d, struct proc *p)
{
	struct deps_node *n = deps_node(d, p);

	if (n == NULL || n->non == 0) {
		proc_start(p);
		return;
	}
	n->pending = true;
	deps_evaluate(d, n);
}

void
deps_cancel(struct deps *d, struct proc *p)
{
	struct deps_node *n = deps_node(d, p);

	if (n == NULL)
		return;
	n->pending = n->rewait = false;
	proc_wait(p, PROC_IDLE, NULL);
}

const char *
deps_waiting_for(const struct deps *d, const struct proc *p)
{
	const struct proc_status *st = proc_status(p);

	(void)d;
	if (st->state != PROC_WAITING && st->state != PROC_BLOCKED)
		return NULL;
	return st->why;
}

/* --- changes ------------------------------------------------------------- */

/* N began a new run: with restart_dependents, what runs on it stops and
 * waits for it again. */
static void
deps_new_run(struct deps *d, struct deps_node *n)
{
	char msg[256];
	size_t k;

	if (!n->had_run || !proc_config(n->p)->restart_dependents ||
	    d->quitting)
		return;
	for (k = 0; k < n->nby; k++) {
		struct deps_node *dep = n->by[k];

		if (proc_status(dep->p)->pid == 0)
			continue;
		snprintf(msg, sizeof msg, "restarting: %s restarted",
		    proc_name(n->p));
		proc_note(dep->p, msg);
		dep->rewait = true;
		proc_stop(dep->p);
	}
}

void
deps_changed(struct deps *d, struct proc *p)
{
	struct deps_node *n = deps_node(d, p);
	const struct proc_status *st = proc_status(p);

	if (n == NULL)
		return;
	d->dirty = true;
	if (st->pid != 0 && st->pid != n->pid) {
		n->pid = st->pid;
		deps_new_run(d, n);
		n->had_run = true;
	}
	if (n->rewait && !st->alive) {
		n->rewait = false;
		n->pending = true;
	}
}

/* Quitting: the highest rank a running program has (INT_MIN: none). */
static int
deps_top_rank(const struct deps *d)
{
	int top = INT_MIN;
	size_t i;

	for (i = 0; i < d->n; i++) {
		if (proc_status(d->nodes[i].p)->alive && d->nodes[i].rank > top)
			top = d->nodes[i].rank;
	}
	return top;
}

/* Quitting: a program stops once no program that depends on it runs and
 * none of a higher rank does. */
static void
deps_stop_ready(struct deps *d)
{
	int top = deps_top_rank(d);
	size_t i, k;

	for (i = 0; i < d->n; i++) {
		struct deps_node *n = &d->nodes[i];
		bool waits = false;

		if (!n->stop_later)
			continue;
		if (proc_status(n->p)->alive && n->rank < top)
			continue;
		for (k = 0; k < n->nby && !waits; k++)
			waits = proc_status(n->by[k]->p)->alive;
		if (!waits) {
			n->stop_later = false;
			proc_stop(n->p);
		}
	}
}

void
deps_flush(struct deps *d)
{
	size_t i;

	if (!d->dirty)
		return;
	d->dirty = false;
	if (d->quitting) {
		deps_stop_ready(d);
		return;
	}
	for (i = 0; i < d->n; i++) {
		if (d->nodes[i].pending)
			deps_evaluate(d, &d->nodes[i]);
	}
}

void
deps_quit(struct deps *d)
{
	size_t i;

	d->quitting = true;
	for (i = 0; i < d->n; i++) {
		struct deps_node *n = &d->nodes[i];
		const struct proc_status *st = proc_status(n->p);

		n->pending = n->rewait = false;
		if (st->state == PROC_WAITING || st->state == PROC_BLOCKED)
			proc_wait(n->p, PROC_IDLE, NULL);
		n->stop_later = true;
	}
	deps_stop_ready(d);
}
