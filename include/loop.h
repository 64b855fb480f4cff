/*
 * loop: the one poll() loop everything in tend runs on.
 *
 * File descriptor watchers, one-shot timers, signals delivered through a
 * self-pipe, and a hook that runs once per turn before the loop sleeps (to
 * flush output and draw a frame).  The poll timeout is the time to the
 * nearest timer, and infinite when there is none, so an idle tend sleeps.
 * The loop knows nothing of programs, curses or curl.
 */
#ifndef TEND_LOOP_H
#define TEND_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#define LOOP_READ 0x1
#define LOOP_WRITE 0x2
#define LOOP_ERROR 0x4	/* reported with READ/WRITE: hang-up or error */
/* With LOOP_READ: the fd may wait up to LOOP_BATCH_MS.  Once one such fd
 * has been served, all of them rest that long and are then served
 * together, so a hundred programs printing a line at a time cost a
 * poll() per batch, not one per line. */
#define LOOP_BATCH 0x8
#define LOOP_BATCH_MS 33	/* 30 batches a second */

struct loop;

typedef void (*loop_fd_fn)(struct loop *loop, int fd, int events, void *data);
typedef void (*loop_timer_fn)(struct loop *loop, void *data);
typedef void (*loop_signal_fn)(struct loop *loop, int signo, void *data);
typedef void (*loop_hook_fn)(struct loop *loop, void *data);

struct loop *loop_new(void);
void loop_free(struct loop *loop);

/* Watch FD for EVENTS (LOOP_READ | LOOP_WRITE).  One watcher per fd; adding
 * an fd that is watched replaces its watcher.  Returns 0, or -1 (ENOMEM). */
int loop_add_fd(struct loop *loop, int fd, int events, loop_fd_fn fn,
    void *data);
/* Change what FD is watched for; 0 pauses the watcher. */
void loop_set_fd_events(struct loop *loop, int fd, int events);
void loop_del_fd(struct loop *loop, int fd);

/* Call FN once, MS milliseconds from now.  Returns a timer id (never 0),
 * or 0 on out-of-memory. */
uint64_t loop_add_timer(struct loop *loop, int64_t ms, loop_timer_fn fn,
    void *data);
/* Cancel a pending timer; a 0 or stale id is ignored. */
void loop_del_timer(struct loop *loop, uint64_t id);

/* Deliver SIGNO through the self-pipe to FN, in the loop.  Returns 0 or -1. */
int loop_watch_signal(struct loop *loop, int signo, loop_signal_fn fn,
    void *data);

/* FN runs once per turn, after events are handled and before poll(). */
void loop_set_before_sleep(struct loop *loop, loop_hook_fn fn, void *data);

/* Run until loop_stop().  Returns 0, or -1 if poll() fails. */
int loop_run(struct loop *loop);
/* One turn: the before-sleep hook, poll() for at most MAX_MS (-1: until
 * the nearest timer), then the ready fds, due timers and signals.
 * Returns 0, or -1 if poll() fails. */
int loop_run_once(struct loop *loop, int max_ms);
void loop_stop(struct loop *loop);
bool loop_stopping(const struct loop *loop);

/* The time of this turn in milliseconds, read once when poll() returned
 * (as redis caches mstime): everything done in one turn sees one time,
 * and timers are set from it. */
int64_t loop_now(const struct loop *loop);
/* Read the clock from FN instead of CLOCK_MONOTONIC (unit tests drive
 * timers with a fake clock this way); the turn's time is read at once. */
void loop_set_clock(struct loop *loop, int64_t (*fn)(void *), void *ctx);

/* CLOCK_MONOTONIC in milliseconds, read now: for measuring, not for
 * program logic (use loop_now). */
int64_t loop_monotonic_ms(void);

#endif
