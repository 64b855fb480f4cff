/*
 * format: how tend words a program's state for people.
 *
 * Exit statuses told apart the way a user needs them ("exited 3",
 * "killed by SIGTERM (rc -15)", Python's convention for the number),
 * durations ("0.4s", "3m12s"), the state in a few words for the list and
 * titles, and the line printed for each program when tend exits.
 */
#ifndef TEND_FORMAT_H
#define TEND_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "proc.h"

/* "exited 3", "killed by SIGTERM (rc -15)" for a waitpid() status. */
void format_exit(int wait_status, char *buf, size_t size);
/* "3m12s", "0.4s", "2h05m" */
void format_duration(int64_t ms, char *buf, size_t size);
/* The state in a few words at time NOW: "running", "exited 3",
 * "backoff 4s", "stopped (SIGSTOP)", ... */
void format_state(const struct proc_status *st, int64_t now, char *buf,
    size_t size);
/* The state for a narrow list: "killed SIGTERM" for a signal's end. */
void format_state_short(const struct proc_status *st, int64_t now,
    char *buf, size_t size);
/* How the program ended, for the lines printed when tend exits:
 * "web: killed by SIGTERM (rc -15) after 3m12s". */
void format_summary(const char *name, const struct proc_status *st,
    char *buf, size_t size);

#endif
