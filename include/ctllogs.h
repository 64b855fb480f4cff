/*
 * ctllogs: a reader of some programs' output for `tend ctl logs`.
 *
 * It starts N lines back in their merged output and reads on in arrival
 * order, as "NAME | text" lines (headless mode's form), straight from the
 * programs' stores: a reader costs no copy of the output.  It reads only
 * as far as its writer has room; a reader that falls so far behind that
 * the store has dropped lines it had not read is told how many it missed.
 * Without follow it ends at what was there when it was made.
 */
#ifndef TEND_CTLLOGS_H
#define TEND_CTLLOGS_H

#include <stdbool.h>
#include <stddef.h>

#include "ctlproto.h"
#include "proc.h"

struct ctllogs;

/* A reader of PROCS[0..N) (which must outlive it), BACK lines back. */
struct ctllogs *ctllogs_new(struct proc *const *procs, size_t n,
    size_t back, bool follow);
void ctllogs_free(struct ctllogs *l);

/* Emit lines while ROOM(CTX) says there is room.  Returns true when the
 * reader is done (not following, and everything was emitted). */
bool ctllogs_pump(struct ctllogs *l, bool (*room)(void *ctx),
    ctl_emit_fn emit, void *ctx);
/* Has the reader lines it has not emitted yet? */
bool ctllogs_behind(const struct ctllogs *l);
/* Does the reader read P? */
bool ctllogs_reads(const struct ctllogs *l, const struct proc *p);

#endif
