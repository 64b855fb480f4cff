/*
 * cond: a program's state and health read as the conditions scripts
 * wait for.
 */
#define _GNU_SOURCE
#include "cond.h"

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "format.h"

static const char *const cond_names[] = {
	"started", "ready", "completed", "completed successfully",
};

int
cond_parse(const char *word)
{
	if (strcmp(word, "started") == 0)
		return COND_STARTED;
	if (strcmp(word, "ready") == 0)
		return COND_READY;
	if (strcmp(word, "exited") == 0 || strcmp(word, "completed") == 0)
		return COND_EXITED;
	if (strcmp(word, "completed_successfully") == 0)
		return COND_COMPLETED_OK;
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
cond_has_readiness(const struct program_config *pc)
{
	return pc->ready_log != NULL || pc->probe_url != NULL ||
	    pc->probe_command != NULL || pc->probe_tcp != NULL;
}

enum cond_kind
cond_of_dep(const struct program_config *target, enum config_dep_cond dep)
{
	switch (dep) {
	case CONFIG_DEP_STARTED: return COND_STARTED;
	case CONFIG_DEP_READY: return COND_READY;
	case CONFIG_DEP_COMPLETED: return COND_EXITED;
	case CONFIG_DEP_COMPLETED_OK: return COND_COMPLETED_OK;
	case CONFIG_DEP_DEFAULT: break;
	}
	return cond_has_readiness(target) ? COND_READY : COND_STARTED;
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
	if (k == COND_COMPLETED_OK) {
		if (!cond_ended(st))
			return COND_WAITING;
		if (st->ended && WIFEXITED(st->wait_status) &&
		    WEXITSTATUS(st->wait_status) == 0)
			return COND_MET;
		format_state(st, loop_now(engine_loop(e)), how, sizeof how);
		snprintf(why, size, "%s %s", proc_name(p), how);
		return COND_FAILED;
	}
	if (k == COND_READY && cond_has_readiness(proc_config(p)))
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
