/*
 * cond: conditions on a program, as `tend ctl wait` (and, later,
 * depends_on) asks them: is it started, ready, ended?
 *
 * Each check says met, not yet, or never (the program ended first, or
 * gave up), with the reason in words for the user.
 */
#ifndef TEND_COND_H
#define TEND_COND_H

#include <stdbool.h>
#include <stddef.h>

#include "engine.h"

enum cond_kind {
	COND_STARTED,	/* running, past startsecs */
	COND_READY,	/* ready_log seen or probe passed; else as started */
	COND_EXITED,	/* the run is over, whatever its status */
	COND_COMPLETED_OK,	/* the run is over and exited 0 */
};

enum cond_result {
	COND_WAITING,
	COND_MET,
	COND_FAILED,	/* cannot be met any more: WHY says why */
};

/* "started", "ready", "exited" (also "completed") and
 * "completed_successfully" to a kind; -1 when unknown. */
int cond_parse(const char *word);
const char *cond_name(enum cond_kind k);
/* What a depends_on entry on program TARGET waits for. */
enum cond_kind cond_of_dep(const struct program_config *target,
    enum config_dep_cond dep);

enum cond_result cond_check(struct engine *e, const struct proc *p,
    enum cond_kind k, char *why, size_t size);

#endif
