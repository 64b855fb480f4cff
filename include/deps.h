/*
 * deps: the order programs start and stop in, from depends_on.
 *
 * A program with depends_on waits (state `waiting`, saying for what)
 * until each program it names meets its condition (cond.h: started,
 * ready, completed, completed successfully), then starts; if a condition
 * can no longer be met (migrate exited 1, db is fatal) it is `blocked`
 * and says why.  When a program with restart_dependents begins a new run,
 * its dependents are stopped and wait for it again, so they restart after
 * it, in order.  At quit, a program is stopped only once nothing that
 * depends on it runs any more: dependents first, each with its own
 * escalation, so the whole stop takes as long as the longest chain.
 *
 * priority (supervisord's) orders the rest: programs start lowest
 * priority first, and quit stops the highest priority first, each
 * priority's programs gone (with their escalation) before the next.
 *
 * The engine owns one and tells it what happens; it acts through the
 * engine's and the programs' public APIs.
 */
#ifndef TEND_DEPS_H
#define TEND_DEPS_H

#include <stdbool.h>

#include "engine.h"

struct deps;

/* The graph of E's programs (names were checked by config.c). */
struct deps *deps_new(struct engine *e);
void deps_free(struct deps *d);

/* The Ith program in start order (by priority, then file order); NULL
 * past the last. */
struct proc *deps_in_order(const struct deps *d, size_t i);
/* Does P wait for anything? */
bool deps_waits(const struct deps *d, const struct proc *p);
/* Start P now if it waits for nothing or everything is there; else it
 * waits (or is blocked). */
void deps_start(struct deps *d, struct proc *p);
/* P changed: programs waiting may start, dependents may restart. */
void deps_changed(struct deps *d, struct proc *p);
/* Once per turn: start what can start now. */
void deps_flush(struct deps *d);
/* The first quit: stop programs dependents first. */
void deps_quit(struct deps *d);
/* P is not to start by itself any more (t on a waiting program). */
void deps_cancel(struct deps *d, struct proc *p);
/* What P was waiting for ("db ready"), for a note when it is started by
 * hand; NULL when it was not waiting. */
const char *deps_waiting_for(const struct deps *d, const struct proc *p);

#endif
