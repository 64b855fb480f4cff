/*
 * fuzz_store: libFuzzer target for the line splitter and the ring.  The
 * input is cut into chunks for stdout and stderr; whatever they hold,
 * the lines the observer sees must add up to exactly the bytes that went
 * in (per stream), with consecutive seqs, and the ring must keep its caps.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_stream {
	char *bytes;
	size_t len, cap;
};

struct fuzz_state {
	struct fuzz_stream in[STORE_NSTREAMS];	/* what went in */
	struct fuzz_stream out[STORE_NSTREAMS];	/* what the observer saw */
	uint64_t next_seq;
};

static void
fuzz_add(struct fuzz_stream *s, const void *p, size_t n)
{
	if (n == 0)
		return;
	if (s->len + n > s->cap) {
		s->cap = (s->len + n) * 2;
		s->bytes = realloc(s->bytes, s->cap);
		if (s->bytes == NULL)
			abort();
	}
	memcpy(s->bytes + s->len, p, n);
	s->len += n;
}

static void
fuzz_observe(const struct store_line *line, void *ctx)
{
	struct fuzz_state *fs = ctx;

	if (line->seq != fs->next_seq++ || line->len > STORE_MAX_LINE ||
	    line->stream >= STORE_NSTREAMS)
		abort();
	fuzz_add(&fs->out[line->stream], line->text, line->len);
	if (line->flags & STORE_EOL)
		fuzz_add(&fs->out[line->stream], "\n", 1);
}

static void
fuzz_check_ring(const struct store *st, size_t max_lines, size_t max_bytes)
{
	size_t i, n = store_count(st);

	if (n > max_lines || (store_bytes(st) > max_bytes && n > 1))
		abort();
	for (i = 0; i < n; i++) {
		if (store_line(st, i)->seq != store_total(st) - n + i)
			abort();
	}
}

/* One operation from the input: returns the bytes it used. */
static size_t
fuzz_op(struct store *st, struct fuzz_state *fs, const uint8_t *p,
    size_t left)
{
	int stream = p[0] & 1, op = (p[0] >> 1) & 7;
	size_t n = 1 + (size_t)(p[0] >> 4), i;

	if (op == 0) {			/* a run of one byte, long lines */
		char run[4096];
		uint8_t c = left > 1 ? p[1] : 'x';

		memset(run, c, sizeof run);
		for (i = 0; i < n; i++) {
			store_append(st, stream, run, sizeof run, 0);
			fuzz_add(&fs->in[stream], run, sizeof run);
		}
		return left > 1 ? 2 : 1;
	}
	if (op == 1) {
		store_flush(st, stream, 0);
		return 1;
	}
	if (op == 2) {			/* an input echo: a line of its own */
		n = n < left - 1 ? n : left - 1;
		store_add_line(st, stream, STORE_INPUT, (const char *)p + 1, n,
		    0);
		fuzz_add(&fs->in[stream], p + 1, n);
		fuzz_add(&fs->in[stream], "\n", 1);
		return 1 + n;
	}
	n = n * 4 < left - 1 ? n * 4 : left - 1;
	store_append(st, stream, (const char *)p + 1, n, 0);
	fuzz_add(&fs->in[stream], p + 1, n);
	return 1 + n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_state fs;
	struct store *st;
	size_t max_lines, max_bytes, off = 2;
	int s;

	if (size < 2)
		return 0;
	memset(&fs, 0, sizeof fs);
	max_lines = 1 + data[0] % 64;
	max_bytes = 1 + (size_t)data[1] * 16;
	st = store_new(max_lines, max_bytes, fuzz_observe, &fs);
	if (st == NULL)
		return 0;
	while (off < size) {
		off += fuzz_op(st, &fs, data + off, size - off);
		fuzz_check_ring(st, max_lines, max_bytes);
	}
	for (s = 0; s < STORE_NSTREAMS; s++)
		store_flush(st, s, 0);
	/* A store_add_line commits the tails first, which adds no byte; a
	 * flushed tail gets no '\n'.  So the streams must match exactly,
	 * but for the '\n' the echo lines carry in both. */
	for (s = 0; s < STORE_NSTREAMS; s++) {
		if (fs.in[s].len != fs.out[s].len || (fs.in[s].len > 0 &&
		    memcmp(fs.in[s].bytes, fs.out[s].bytes, fs.in[s].len) != 0))
			abort();
		free(fs.in[s].bytes);
		free(fs.out[s].bytes);
	}
	fuzz_check_ring(st, max_lines, max_bytes);
	store_free(st);
	return 0;
}
