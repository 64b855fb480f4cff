/*
 * stats_bench: what one stats sample costs with 100 programs.
 * Starts 100 sleeping children, each the leader of its own session (as
 * spawn.c makes every program), then times stats_scan() over them: the
 * whole /proc walk the engine does once a second while the stats show.
 * Prints the milliseconds per sample (wall and CPU) and the share of
 * one core that sampling once a second takes.
 *   cc -O2 -Iinclude tests/bench/stats_bench.c src/stats.c -o stats_bench
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "stats.h"

#define BENCH_PROGRAMS 100
#define BENCH_SAMPLES 200

static double
bench_seconds(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(void)
{
	struct stats_tree trees[BENCH_PROGRAMS];
	double wall, cpu;
	unsigned found = 0;
	int i;

	for (i = 0; i < BENCH_PROGRAMS; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			setsid();
			execlp("sleep", "sleep", "60", (char *)NULL);
			_exit(127);
		}
		trees[i].leader = pid;
	}
	usleep(300000);		/* every child has exec'd */
	wall = bench_seconds(CLOCK_MONOTONIC);
	cpu = bench_seconds(CLOCK_PROCESS_CPUTIME_ID);
	for (i = 0; i < BENCH_SAMPLES; i++)
		stats_scan(trees, BENCH_PROGRAMS);
	wall = (bench_seconds(CLOCK_MONOTONIC) - wall) / BENCH_SAMPLES;
	cpu = (bench_seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu) / BENCH_SAMPLES;
	for (i = 0; i < BENCH_PROGRAMS; i++) {
		found += trees[i].nprocs;
		kill(trees[i].leader, SIGKILL);
	}
	while (wait(NULL) > 0)
		;
	printf("%d programs (%u processes found), %d samples: %.3f ms wall, "
	    "%.3f ms CPU per sample; once a second: %.2f %% of a core\n",
	    BENCH_PROGRAMS, found, BENCH_SAMPLES, wall * 1e3, cpu * 1e3,
	    cpu * 100);
	return found == BENCH_PROGRAMS ? 0 : 1;
}
