/*
 * health: is each program ready, and is it still healthy?
 *
 * Probes a program (its probe_url, probe_command or probe_tcp: see
 * probe.h) on demand (the `p` key) and every probe_interval seconds
 * while it runs; the first success, or its ready_log text appearing in
 * its output, marks it ready; three failures in a row mark it unhealthy
 * (with the time it started failing), except in the first seconds of a
 * run that has not been ready yet, when a server is still booting.
 * Results and changes become note lines in the program's output.  What
 * to do about failures (restart_unhealthy) is the engine's to decide,
 * from health_status() when it hears of a result.
 */
#ifndef TEND_HEALTH_H
#define TEND_HEALTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "loop.h"
#include "probe.h"
#include "proc.h"

#define HEALTH_FAILURES 3	/* failures in a row that make it unhealthy */
#define HEALTH_GRACE_MS 3000	/* failures before the first success and
				   this soon after the start do not count */

enum health_state {
	HEALTH_NONE,		/* no probe nor ready_log, or not running */
	HEALTH_WAITING,		/* running, not ready yet */
	HEALTH_READY,
	HEALTH_UNHEALTHY,
};

struct health_status {
	enum health_state state;
	int failures;		/* probe failures in a row of this run, past
				   the boot grace */
	int64_t failing_since;	/* wall clock (time()) of the first of them */
	bool has_last;
	struct probe_result last;	/* the newest probe result */
};

struct health;		/* the probes of every program */
struct health_check;	/* one program's */

/* CFG (which must outlive it) gives probe commands their shell and
 * default folder. */
struct health *health_new(struct loop *loop, const struct config *cfg,
    char *err, size_t errsize);
/* FN hears every probe's result, after its note was added. */
void health_on_result(struct health *h, void (*fn)(void *ctx, struct proc *p,
    const struct probe_result *r), void *ctx);
/* After every check is freed. */
void health_free(struct health *h);

struct health_check *health_check_new(struct health *h, struct proc *p);
void health_check_free(struct health_check *c);

/* Feed every output line and every state change of the program. */
void health_line(struct health_check *c, const struct store_line *line);
void health_changed(struct health_check *c);

/* A child that is not a program's was reaped: if it was a probe_command
 * of HEALTH's, take its STATUS and return true. */
bool health_reaped(struct health *h, pid_t pid, int status);

/* Probe now; -1 with a reason in WHY if it cannot be (no probe, or it
 * cannot start). */
int health_probe(struct health_check *c, char *why, size_t size);

const struct health_status *health_status(const struct health_check *c);

/* For the title: "ready · probe 200 in 4 ms", "ready · probe exited 0
 * in 9 ms", "unhealthy · probe failed", or "" when there is nothing to
 * say. */
void health_describe(const struct health_check *c, char *buf, size_t size);

#endif
