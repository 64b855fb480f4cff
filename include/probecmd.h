/*
 * probecmd: one run of a probe_command, inside the loop.
 *
 * `$shell -c COMMAND` is started as spawn.h starts a program (its own
 * session and process group, the program's directory and environment),
 * with standard input at end of file and standard output and error on
 * one pipe, read as it comes: the first PROBECMD_KEEP bytes are kept,
 * the rest only counted.  The run is over when its owner hands it the
 * status of its process (the engine reaps every child with waitpid());
 * then what is left of its group is killed: a probe leaves nothing
 * behind.  Nothing here waits or sleeps.
 */
#ifndef TEND_PROBECMD_H
#define TEND_PROBECMD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "loop.h"
#include "probe.h"

#define PROBECMD_KEEP 1024	/* bytes of output shown */

struct probecmd;

/* Start REQ's command (REQ's strings must outlive the run); NULL with
 * the reason in ERR ("cannot start: Too many open files"). */
struct probecmd *probecmd_start(struct loop *loop,
    const struct probe_request *req, char *err, size_t errsize);
pid_t probecmd_pid(const struct probecmd *c);
/* The process was reaped with STATUS: true, with R filled, if the run is
 * over (false for a stop or a continue). */
bool probecmd_reaped(struct probecmd *c, int status, struct probe_result *r);
/* Out of time (TIMEOUT seconds): SIGKILL to the group; R says so, with
 * the output so far. */
void probecmd_timed_out(struct probecmd *c, double timeout,
    struct probe_result *r);
/* SIGKILL to whatever of it still runs (its status is reaped by the
 * engine as any other child's); then free. */
void probecmd_free(struct probecmd *c);

#endif
