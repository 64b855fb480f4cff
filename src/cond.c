/*
 * cond: a program's state and health read as the conditions scripts
 * wait for.
 */
#define _GNU_SOURCE
#include "cond.h"

#include <stdio.h>
#include <string.h>

#include "format.h"

static const char *const cond_names[] = { "started", "ready", "exited" };

int
cond_parse(const char *word)
{
	size_t i;

	for (i = 0; i < sizeof cond_names / sizeof cond_names[0]; i++) {
		if (strcmp(word, cond_names[i]) == 0)
			return (int)i;
	}
	return -1;
}

const char *
cond_name(enum cond_kind k)
{
	return cond_names[k];
}

/* Over and not coming back by itself. */
static bool
cond_ended(const struct proc_status *st)
{
	return !st->alive && (st->state == PROC_EXITED ||
	    st->state == PROC_FATAL);
}

static bool
cond_has_readiness(const struct proc *p)
{
	const struct program_config *pc = proc_config(p);

	return pc->ready_log != NULL || pc->probe_url != NULL;
}

enum cond_result
cond_check(struct engine *e, const struct proc *p, enum cond_kind k,
    char *why, size_t size)
{
	const struct proc_status *st = proc_status(p);
	bool up = st->pid != 0 && st->state == PROC_RUNNING;
	char how[128];

	if (k == COND_EXITED)
		return cond_ended(st) ? COND_MET : COND_WAITING;
	if (k == COND_READY && cond_has_readiness(p))
		up = up && engine_health(e, p)->state == HEALTH_READY;
	if (up)
		return COND_MET;
	if (!cond_ended(st))
		return COND_WAITING;
	format_state(st, loop_now(engine_loop(e)), how, sizeof how);
	snprintf(why, size, "%s %s before it was %s", proc_name(p), how,
	    cond_name(k));
	return COND_FAILED;
}
