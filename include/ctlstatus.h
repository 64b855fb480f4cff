/*
 * ctlstatus: what `tend ctl status` prints.
 *
 * Text: one line per program, in the config's order: name, state, pid,
 * since, health, restarts.  JSON (--json): an array with one object per
 * program, whose members are documented in README ("tend ctl") and keep
 * their names and meanings from one version to the next.
 */
#ifndef TEND_CTLSTATUS_H
#define TEND_CTLSTATUS_H

#include <stdbool.h>

#include "ctlproto.h"
#include "engine.h"

void ctlstatus_emit(struct engine *e, bool json, ctl_emit_fn emit,
    void *ctx);

#endif
