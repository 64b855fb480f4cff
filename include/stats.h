/*
 * stats: what a program's processes cost, read from /proc.
 *
 * A program's processes are its session (spawn.c makes its leader the
 * leader of a new session and group, so the session id is the leader's
 * pid) and every descendant of those, also one that started a session
 * of its own.  One scan of /proc reads each process's stat file once
 * and adds its CPU time (utime + stime, and cutime + cstime, so the time
 * of a child reaped inside the tree is not lost) and its resident set
 * to the program it belongs to.  RSS is the sum over the processes:
 * pages they share count once per process, as `ps` shows them.
 *
 * The scan walks down from each leader through /proc/PID/task/TID/
 * children, so it reads the programs' processes only, and the orphans of
 * their sessions among tend's own children (tend is their subreaper).
 * On a kernel without those lists (or with TEND_STATS_SCAN_ALL set in
 * the environment, for tests and benchmarks) it reads every process in
 * /proc and finds each one's program by its session or its parent.
 *
 * CPU % comes from two samples: the CPU time used between them over
 * the wall time between them (100 % is one core busy).
 */
#ifndef TEND_STATS_H
#define TEND_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* One process, from a /proc/PID/stat line. */
struct stats_task {
	pid_t pid, ppid, sid;
	uint64_t ticks;		/* utime + stime + cutime + cstime */
	uint64_t rss_pages;
	long threads;
};

/* What one scan found for one program. */
struct stats_tree {
	pid_t leader;		/* in: its session id (0: none, skipped) */
	uint64_t ticks;		/* out: CPU time, in clock ticks */
	uint64_t rss_bytes;
	unsigned nprocs;
};

/* Parse the LEN bytes of a /proc/PID/stat line into T.  The command
 * name (field 2) may hold spaces and parentheses: the fields are read
 * after its last ')'.  Returns 0, or -1 if the line is not one. */
int stats_parse(const char *buf, size_t len, struct stats_task *t);

/* CPU % between two samples MS apart: TICKS0 and TICKS1 at HZ ticks a
 * second.  CPU time that went away (a process left the tree) counts as
 * none; -1 when MS is not positive. */
double stats_cpu_percent(uint64_t ticks0, uint64_t ticks1, int64_t ms,
    long hz);

/* Scan /proc once and fill the N trees (their leader set, the rest
 * zeroed here).  Returns 0, or -1 when /proc cannot be read. */
int stats_scan(struct stats_tree *trees, size_t n);

/* Clock ticks a second (sysconf(_SC_CLK_TCK)). */
long stats_hz(void);

/* "812K", "45.6M", "1.2G" into BUF. */
void stats_format_bytes(uint64_t bytes, char *buf, size_t size);

#endif
