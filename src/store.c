/*
 * store: owns one program's output in memory, the ring of committed lines
 * and the unterminated tail of each stream, and decides when bytes become
 * a line.  This is the hot path of a flooding child, so bytes are scanned
 * with memchr and copied once: straight from the read buffer into the
 * arena, except for what is left after the last '\n', which waits in the
 * stream's tail.
 *
 * Lines live in one circular arena: records (a struct store_line and its
 * text, 8-byte aligned) follow one another and wrap to the start when the
 * next does not fit before the end.  Adding a line allocates nothing and
 * dropping the oldest moves an offset.  The arena grows by doubling, on
 * demand, up to what max_lines lines of at most max_bytes bytes need.
 *
 * The observer runs after a line has entered the ring, so it may look at
 * the store; it must not append to, flush or clear the store it observes.
 */
#include <stdlib.h>
#include <string.h>

#include "store.h"

#define STORE_RING_FIRST 256	/* ring slots before the first growth */
#define STORE_TAIL_FIRST 256	/* tail bytes before the first growth */
#define STORE_ARENA_FIRST 4096	/* arena bytes before the first growth */

struct store_tail {
	char *buf;
	size_t len;
	size_t cap;		/* never above STORE_MAX_LINE */
};

struct store {
	size_t max_lines;
	size_t max_bytes;
	store_line_fn on_line;
	void *ctx;

	/* Grown up to max_lines on demand, so a large scrollback costs
	 * nothing until the program actually writes that much. */
	struct store_line **ring;	/* into the arena */
	size_t cap;
	size_t head;		/* slot of the oldest line */
	size_t count;
	size_t bytes;		/* text bytes of the lines in the ring */
	uint64_t seq;		/* given to the next committed line */

	char *arena;
	size_t arena_cap;
	size_t arena_max;
	size_t wpos;		/* where the next record goes */

	struct store_tail tail[STORE_NSTREAMS];
	store_carry_fn carry_fn;
	bool plain_bytes;		/* store_append's bytes have no ESC, CSI */
	uint64_t carry[STORE_NSTREAMS];	/* where the next line starts */
};

/* Lines committed by every store of the process, so lines of different
 * programs can be put in the order they came. */
static uint64_t store_arrivals;

static size_t
store_min(size_t a, size_t b)
{
	return a < b ? a : b;
}

static size_t
store_max(size_t a, size_t b)
{
	return a > b ? a : b;
}

/* A line's record in the arena: header, text, padding to 8 bytes. */
static size_t
store_record_size(size_t len)
{
	return (sizeof(struct store_line) + len + 7) & ~(size_t)7;
}

/* Room for max_lines records holding at most max_bytes of text, or
 * max_lines of the longest lines if that is less; saturating. */
static size_t
store_arena_limit(size_t max_lines, size_t max_bytes)
{
	size_t per = store_record_size(0) + 8, most = SIZE_MAX / 4;
	size_t lines = max_lines < most / per ? max_lines * per : most;
	size_t text = max_lines < most / STORE_MAX_LINE ?
	    max_lines * STORE_MAX_LINE : most;

	text = store_min(text, store_min(max_bytes, most));
	/* The newest line is kept whatever the caps, so it must fit. */
	return store_max(lines > most - text ? most : lines + text,
	    2 * store_record_size(STORE_MAX_LINE));
}

static size_t
store_slot(const struct store *st, size_t index)
{
	size_t slot = st->head + index;

	return slot >= st->cap ? slot - st->cap : slot;
}

struct store *
store_new(size_t max_lines, size_t max_bytes, store_line_fn on_line,
    void *ctx)
{
	struct store *st;

	st = calloc(1, sizeof *st);
	if (st == NULL)
		return NULL;
	/* Even the smallest store shows the newest line. */
	st->max_lines = max_lines > 0 ? max_lines : 1;
	st->max_bytes = max_bytes;
	st->arena_max = store_arena_limit(st->max_lines, max_bytes);
	st->on_line = on_line;
	st->ctx = ctx;
	st->cap = store_min(st->max_lines, STORE_RING_FIRST);
	st->ring = calloc(st->cap, sizeof *st->ring);
	if (st->ring == NULL) {
		free(st);
		return NULL;
	}
	return st;
}

static void
store_drop_lines(struct store *st)
{
	free(st->arena);
	st->arena = NULL;
	st->arena_cap = st->wpos = 0;
	st->head = st->count = st->bytes = 0;
}

static void
store_drop_tails(struct store *st)
{
	int s;

	for (s = 0; s < STORE_NSTREAMS; s++) {
		free(st->tail[s].buf);
		st->tail[s] = (struct store_tail){ 0 };
	}
}

void
store_free(struct store *st)
{
	if (st == NULL)
		return;
	store_drop_lines(st);
	store_drop_tails(st);
	free(st->ring);
	free(st);
}

static void
store_evict(struct store *st)
{
	st->bytes -= st->ring[st->head]->len;
	st->head = store_slot(st, 1);
	if (--st->count == 0)
		st->wpos = 0;
}

/* Where a record of SIZE bytes fits now, or NULL.  The lines occupy
 * [oldest, wpos), or when they have wrapped [oldest, end) and [0, wpos). */
static char *
store_place(struct store *st, size_t size)
{
	size_t oldest;

	if (st->count == 0)
		return size <= st->arena_cap ? st->arena : NULL;
	oldest = (size_t)((char *)st->ring[st->head] - st->arena);
	if (st->wpos > oldest) {
		if (size <= st->arena_cap - st->wpos)
			return st->arena + st->wpos;
		return size <= oldest ? st->arena : NULL;
	}
	return size <= oldest - st->wpos ? st->arena + st->wpos : NULL;
}

/* A bigger arena, at least twice what the lines and the new record
 * need, with the lines copied to its start in order.  -1 when the arena
 * is big enough and the free space is only cut in pieces, at the limit,
 * or when memory is short: the caller then evicts. */
static int
store_grow_arena(struct store *st, size_t size)
{
	size_t cap = st->arena_cap ? st->arena_cap : STORE_ARENA_FIRST;
	size_t need = size, i, pos = 0;
	char *arena;

	for (i = 0; i < st->count; i++)
		need += store_record_size(st->ring[store_slot(st, i)]->len);
	if (need <= st->arena_cap / 2)
		return -1;
	while (cap / 2 < need && cap < st->arena_max)
		cap = cap > st->arena_max / 2 ? st->arena_max : cap * 2;
	if (cap <= st->arena_cap || need > cap)
		return -1;
	arena = malloc(cap);
	if (arena == NULL)
		return -1;
	for (i = 0; i < st->count; i++) {
		struct store_line **slot = &st->ring[store_slot(st, i)];
		size_t n = store_record_size((*slot)->len);

		memcpy(arena + pos, *slot, n);
		*slot = (struct store_line *)(void *)(arena + pos);
		pos += n;
	}
	free(st->arena);
	st->arena = arena;
	st->arena_cap = cap;
	st->wpos = pos;
	return 0;
}

/* Room for a record of SIZE bytes, by growing the arena or else dropping
 * the oldest lines; NULL only when memory is short. */
static struct store_line *
store_reserve(struct store *st, size_t size)
{
	char *at;

	while ((at = store_place(st, size)) == NULL) {
		if (store_grow_arena(st, size) == 0)
			continue;
		if (st->count == 0)
			return NULL;
		store_evict(st);
	}
	st->wpos = (size_t)(at - st->arena) + size;
	return (struct store_line *)(void *)at;
}

/* Returns -1 when the ring is at max_lines or memory is short; the caller
 * then makes room by evicting, which is always possible. */
static int
store_grow_ring(struct store *st)
{
	struct store_line **ring;
	size_t cap, i;

	if (st->cap >= st->max_lines)
		return -1;
	cap = st->cap > st->max_lines / 2 ? st->max_lines : st->cap * 2;
	if (cap > SIZE_MAX / sizeof *ring)
		return -1;
	ring = malloc(cap * sizeof *ring);
	if (ring == NULL)
		return -1;
	for (i = 0; i < st->count; i++)
		ring[i] = st->ring[store_slot(st, i)];
	free(st->ring);
	st->ring = ring;
	st->cap = cap;
	st->head = 0;
	return 0;
}

static void
store_push(struct store *st, struct store_line *line)
{
	st->ring[store_slot(st, st->count)] = line;
	st->count++;
	st->bytes += line->len;
	while (st->bytes > st->max_bytes && st->count > 1)
		store_evict(st);
}

/* The line's text is A followed by B: the stream's tail, then the bytes
 * that complete it, joined without staging them in the tail first.  Out
 * of memory drops the line and leaves seq alone, so the observer still
 * sees an unbroken sequence. */
static void
store_commit(struct store *st, enum store_stream stream, const char *a,
    size_t alen, const char *b, size_t blen, uint8_t flags, int64_t now_ms)
{
	struct store_line *line;

	if (st->count == st->cap && store_grow_ring(st) == -1)
		store_evict(st);
	line = store_reserve(st, store_record_size(alen + blen));
	if (line == NULL)
		return;
	line->time_ms = now_ms;
	line->seq = st->seq++;
	line->order = ++store_arrivals;
	line->len = (uint32_t)(alen + blen);
	line->stream = (uint8_t)stream;
	line->flags = flags;
	if (alen > 0)
		memcpy(line->text, a, alen);
	if (blen > 0)
		memcpy(line->text + alen, b, blen);
	/* tend's own lines neither take nor change a stream's colours. */
	line->carry = 0;
	if (!(flags & (STORE_NOTE | STORE_INPUT | STORE_CONN))) {
		line->carry = st->carry[stream];
		if (st->carry_fn != NULL && !(st->plain_bytes && alen == 0))
			st->carry[stream] = st->carry_fn(line->carry, line->text,
			    line->len);
	}
	store_push(st, line);
	if (st->on_line != NULL)
		st->on_line(line, st->ctx);
}

/* Keeps BUF in the tail; the caller guarantees the result stays below
 * STORE_MAX_LINE.  When the tail cannot grow, what it holds plus BUF is
 * committed as a cut line instead: an early cut loses no bytes. */
static void
store_tail_add(struct store *st, enum store_stream stream, const char *buf,
    size_t len, int64_t now_ms)
{
	struct store_tail *t = &st->tail[stream];
	size_t need = t->len + len, cap = t->cap;
	char *grown;

	if (need > cap) {
		if (cap == 0)
			cap = STORE_TAIL_FIRST;
		while (cap < need)
			cap *= 2;
		cap = store_min(cap, STORE_MAX_LINE);
		grown = realloc(t->buf, cap);
		if (grown == NULL) {
			store_commit(st, stream, t->buf, t->len, buf, len, 0,
			    now_ms);
			t->len = 0;
			return;
		}
		t->buf = grown;
		t->cap = cap;
	}
	memcpy(t->buf + t->len, buf, len);
	t->len = need;
}

void
store_append(struct store *st, enum store_stream stream, const char *buf,
    size_t len, int64_t now_ms)
{
	const char *p = buf, *end = buf + len, *nl;
	struct store_tail *t;
	size_t room, n;

	if (st == NULL || buf == NULL || (unsigned)stream >= STORE_NSTREAMS)
		return;
	t = &st->tail[stream];
	/* Two scans of the whole read instead of two a line. */
	st->plain_bytes = st->carry_fn != NULL && memchr(buf, 0x1b, len) ==
	    NULL && memchr(buf, 0x9b, len) == NULL;
	while (p < end) {
		/* A tail is committed as soon as it is full, so room > 0. */
		room = STORE_MAX_LINE - t->len;
		n = store_min((size_t)(end - p), room);
		nl = memchr(p, '\n', n);
		if (nl != NULL) {
			store_commit(st, stream, t->buf, t->len, p,
			    (size_t)(nl - p), STORE_EOL, now_ms);
			t->len = 0;
			p = nl + 1;
		} else if (n == room) {
			store_commit(st, stream, t->buf, t->len, p, n, 0,
			    now_ms);
			t->len = 0;
			p += n;
		} else {
			store_tail_add(st, stream, p, n, now_ms);
			p += n;
		}
	}
	st->plain_bytes = false;
}

void
store_flush(struct store *st, enum store_stream stream, int64_t now_ms)
{
	struct store_tail *t;

	if (st == NULL || (unsigned)stream >= STORE_NSTREAMS)
		return;
	t = &st->tail[stream];
	if (t->len == 0)
		return;
	store_commit(st, stream, t->buf, t->len, NULL, 0, 0, now_ms);
	t->len = 0;
}

void
store_set_tail(struct store *st, enum store_stream stream, const char *text,
    size_t len, int64_t now_ms)
{
	if (st == NULL || (unsigned)stream >= STORE_NSTREAMS)
		return;
	st->tail[stream].len = 0;
	if (len > 0)
		store_tail_add(st, stream, text, store_min(len, STORE_MAX_LINE - 1),
		    now_ms);
}

void
store_add_line(struct store *st, enum store_stream stream, uint8_t flags,
    const char *text, size_t len, int64_t now_ms)
{
	int s;

	if (st == NULL || (unsigned)stream >= STORE_NSTREAMS)
		return;
	/* An answer ends the prompt it answers; a note ends nothing: a
	 * line the program is writing stays one line around it. */
	for (s = 0; (flags & STORE_INPUT) && s < STORE_NSTREAMS; s++)
		store_flush(st, (enum store_stream)s, now_ms);
	store_commit(st, stream, text, store_min(len, STORE_MAX_LINE), NULL, 0,
	    flags | STORE_EOL, now_ms);
}

size_t
store_count(const struct store *st)
{
	return st != NULL ? st->count : 0;
}

const struct store_line *
store_line(const struct store *st, size_t index)
{
	if (st == NULL || index >= st->count)
		return NULL;
	return st->ring[store_slot(st, index)];
}

uint64_t
store_total(const struct store *st)
{
	return st != NULL ? st->seq : 0;
}

void
store_set_carry(struct store *st, store_carry_fn fn)
{
	if (st != NULL)
		st->carry_fn = fn;
}

uint64_t
store_partial_carry(const struct store *st, enum store_stream stream)
{
	return st != NULL && (unsigned)stream < STORE_NSTREAMS ?
	    st->carry[stream] : 0;
}

uint64_t
store_first_seq(const struct store *st)
{
	return st != NULL ? st->seq - st->count : 0;
}

const struct store_line *
store_line_seq(const struct store *st, uint64_t seq)
{
	uint64_t first = store_first_seq(st);

	if (st == NULL || seq < first || seq >= st->seq)
		return NULL;
	return store_line(st, (size_t)(seq - first));
}

size_t
store_bytes(const struct store *st)
{
	return st != NULL ? st->bytes : 0;
}

const char *
store_partial(const struct store *st, enum store_stream stream, size_t *len)
{
	const struct store_tail *t;

	if (len != NULL)
		*len = 0;
	if (st == NULL || (unsigned)stream >= STORE_NSTREAMS)
		return NULL;
	t = &st->tail[stream];
	if (t->len == 0)
		return NULL;
	if (len != NULL)
		*len = t->len;
	return t->buf;
}

void
store_clear(struct store *st)
{
	if (st == NULL)
		return;
	store_drop_lines(st);
	/* Tails are freed, not just emptied: a cleared store should give
	 * back the up to STORE_MAX_LINE bytes each may have grown to. */
	store_drop_tails(st);
}
