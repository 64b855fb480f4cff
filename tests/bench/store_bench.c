/*
 * store_bench: how fast the output store swallows a flooding program.
 * Feeds 2,000,000 short lines in 64 KiB chunks (as proc reads them), then
 * in 100-byte chunks, into a store of 10,000 lines with an observer that
 * counts, and prints the rates.
 *   cc -O2 -Iinclude tests/bench/store_bench.c src/store.c -o store_bench
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store.h"

#define BENCH_LINES 2000000
#define BENCH_CHUNK (64 * 1024)

static void
bench_count(const struct store_line *line, void *ctx)
{
	(void)line;
	(*(size_t *)ctx)++;
}

static double
bench_cpu_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The whole input is built before the clock starts, so only the store is
 * measured; it is cut into chunks at fixed offsets, mid-line, as a pipe
 * would cut it. */
static char *
bench_input(size_t *len)
{
	size_t cap = (size_t)BENCH_LINES * 16, n = 0;
	char *buf = malloc(cap);
	int i;

	if (buf == NULL)
		return NULL;
	for (i = 0; i < BENCH_LINES; i++)
		n += (size_t)snprintf(buf + n, cap - n, "line %07d\n", i);
	*len = n;
	return buf;
}

/* Returns the CPU seconds the store took, or -1 if a line went missing. */
static double
bench_run(const char *in, size_t len, size_t chunk)
{
	size_t off, n, seen = 0;
	struct store *st;
	double t0, dt;

	st = store_new(10000, STORE_DEFAULT_MAX_BYTES, bench_count, &seen);
	if (st == NULL)
		return -1;
	t0 = bench_cpu_seconds();
	for (off = 0; off < len; off += n) {
		n = len - off < chunk ? len - off : chunk;
		store_append(st, STORE_STDOUT, in + off, n, (int64_t)off);
	}
	dt = bench_cpu_seconds() - t0;
	if (seen != BENCH_LINES || store_count(st) != 10000)
		dt = -1;
	store_free(st);
	return dt;
}

int
main(void)
{
	/* 64 KiB is what proc reads from a flooding child; 100-byte reads
	 * put most lines through the tail, the slow path. */
	static const size_t chunks[] = { BENCH_CHUNK, 100 };
	size_t len, i;
	double dt;
	char *in;

	in = bench_input(&len);
	if (in == NULL) {
		fprintf(stderr, "store_bench: out of memory\n");
		return 1;
	}
	for (i = 0; i < sizeof chunks / sizeof *chunks; i++) {
		dt = bench_run(in, len, chunks[i]);
		if (dt < 0) {
			fprintf(stderr, "store_bench: lines lost\n");
			return 1;
		}
		printf("%d lines, %zu bytes, %zu-byte chunks: %.3f s CPU, "
		    "%.0f lines/s, %.0f MB/s, %.1f ns/line\n", BENCH_LINES, len,
		    chunks[i], dt, BENCH_LINES / dt, (double)len / dt / 1e6,
		    dt * 1e9 / BENCH_LINES);
	}
	free(in);
	return 0;
}
