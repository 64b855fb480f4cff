/* Unit tests for the output store: line splitting per stream, the bounded
 * ring, the observer, tails, flush and clear. */
#include <malloc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "store.h"

/* What the observer saw: every line once, seqs counting from 0. */
struct seen {
	struct store *st;
	size_t count;
	uint64_t next_seq;
	size_t out_of_order;
	size_t not_in_ring;
	char last[64];
	size_t last_len;
};

static void
seen_line(const struct store_line *line, void *ctx)
{
	struct seen *s = ctx;
	size_t n = store_count(s->st);

	if (line->seq != s->next_seq)
		s->out_of_order++;
	s->next_seq = line->seq + 1;
	/* The line is the newest in the ring while the observer runs. */
	if (n == 0 || store_line(s->st, n - 1) != line)
		s->not_in_ring++;
	s->count++;
	s->last_len = line->len < sizeof s->last ? line->len : sizeof s->last;
	memcpy(s->last, line->text, s->last_len);
}

static struct store *
new_store(size_t max_lines, size_t max_bytes, struct seen *s)
{
	struct store *st;

	memset(s, 0, sizeof *s);
	st = store_new(max_lines, max_bytes, seen_line, s);
	assert_non_null(st);
	s->st = st;
	return st;
}

static void
put(struct store *st, enum store_stream stream, const char *text)
{
	store_append(st, stream, text, strlen(text), 0);
}

/* Line INDEX of the ring holds exactly TEXT (LEN bytes) from STREAM. */
static void
assert_line(const struct store *st, size_t index, enum store_stream stream,
    const char *text, size_t len, int flags)
{
	const struct store_line *l = store_line(st, index);

	assert_non_null(l);
	assert_int_equal(l->stream, stream);
	assert_int_equal(l->flags, flags);
	assert_int_equal(l->len, len);
	if (len > 0)
		assert_memory_equal(l->text, text, len);
}

static void
assert_text(const struct store *st, size_t index, enum store_stream stream,
    const char *text)
{
	assert_line(st, index, stream, text, strlen(text), STORE_EOL);
}

static void
test_byte_at_a_time(void **state)
{
	const char *in = "hello, world\n";
	struct seen s;
	struct store *st = new_store(100, STORE_DEFAULT_MAX_BYTES, &s);
	const char *tail;
	size_t i, n;

	(void)state;
	for (i = 0; in[i] != '\n'; i++) {
		store_append(st, STORE_STDOUT, in + i, 1, 0);
		assert_int_equal(store_count(st), 0);
		tail = store_partial(st, STORE_STDOUT, &n);
		assert_non_null(tail);
		assert_int_equal(n, i + 1);
		assert_memory_equal(tail, in, n);
	}
	store_append(st, STORE_STDOUT, "\n", 1, 0);
	assert_int_equal(store_count(st), 1);
	assert_text(st, 0, STORE_STDOUT, "hello, world");
	assert_null(store_partial(st, STORE_STDOUT, &n));
	assert_int_equal(s.count, 1);
	assert_int_equal(store_bytes(st), 12);
	store_free(st);
}

static void
test_lines_in_one_chunk(void **state)
{
	struct seen s;
	struct store *st = new_store(100, STORE_DEFAULT_MAX_BYTES, &s);

	(void)state;
	put(st, STORE_STDOUT, "one\ntwo\nthree\nfo");
	assert_int_equal(store_count(st), 3);
	assert_text(st, 0, STORE_STDOUT, "one");
	assert_text(st, 1, STORE_STDOUT, "two");
	assert_text(st, 2, STORE_STDOUT, "three");
	assert_int_equal(store_line(st, 0)->seq, 0);
	assert_int_equal(store_line(st, 2)->seq, 2);
	assert_null(store_line(st, 3));
	put(st, STORE_STDOUT, "ur\nfive\n");
	assert_int_equal(store_count(st), 5);
	assert_text(st, 3, STORE_STDOUT, "four");
	assert_text(st, 4, STORE_STDOUT, "five");
	assert_int_equal(store_total(st), 5);
	assert_int_equal(s.count, 5);
	assert_int_equal(s.out_of_order, 0);
	assert_int_equal(s.not_in_ring, 0);
	store_free(st);
}

static void
test_streams_kept_apart(void **state)
{
	struct seen s;
	struct store *st = new_store(100, STORE_DEFAULT_MAX_BYTES, &s);
	const char *tail;
	size_t n;

	(void)state;
	put(st, STORE_STDOUT, "x> ");
	put(st, STORE_STDERR, "warning: low disk\n");
	assert_int_equal(store_count(st), 1);
	assert_text(st, 0, STORE_STDERR, "warning: low disk");
	tail = store_partial(st, STORE_STDOUT, &n);
	assert_non_null(tail);
	assert_int_equal(n, 3);
	assert_memory_equal(tail, "x> ", 3);
	assert_null(store_partial(st, STORE_STDERR, &n));
	put(st, STORE_STDERR, "err tail");
	put(st, STORE_STDOUT, "42\n");
	assert_int_equal(store_count(st), 2);
	assert_text(st, 1, STORE_STDOUT, "x> 42");
	assert_int_equal(store_line(st, 1)->seq, 1);
	tail = store_partial(st, STORE_STDERR, &n);
	assert_int_equal(n, 8);
	assert_memory_equal(tail, "err tail", 8);
	store_free(st);
}

static void
test_crlf_verbatim(void **state)
{
	struct seen s;
	struct store *st = new_store(100, STORE_DEFAULT_MAX_BYTES, &s);

	(void)state;
	put(st, STORE_STDOUT, "HTTP/1.1 200 OK\r\n\r\nbody\rover\n");
	assert_int_equal(store_count(st), 3);
	assert_text(st, 0, STORE_STDOUT, "HTTP/1.1 200 OK\r");
	assert_text(st, 1, STORE_STDOUT, "\r");
	assert_text(st, 2, STORE_STDOUT, "body\rover");
	store_free(st);
}

static void
test_empty_lines(void **state)
{
	struct seen s;
	struct store *st = new_store(100, STORE_DEFAULT_MAX_BYTES, &s);

	(void)state;
	put(st, STORE_STDERR, "\n\na\n\n");
	assert_int_equal(store_count(st), 4);
	assert_line(st, 0, STORE_STDERR, "", 0, STORE_EOL);
	assert_line(st, 1, STORE_STDERR, "", 0, STORE_EOL);
	assert_text(st, 2, STORE_STDERR, "a");
	assert_line(st, 3, STORE_STDERR, "", 0, STORE_EOL);
	assert_int_equal(store_bytes(st), 1);
	assert_int_equal(s.count, 4);
	store_free(st);
}

static void
test_nul_and_invalid_utf8(void **state)
{
	static const char in[] = "a\0b\xff\xfe\xc3\x1b[31m\0\n\xe2\x82";
	struct seen s;
	struct store *st = new_store(100, STORE_DEFAULT_MAX_BYTES, &s);
	const char *tail;
	size_t n;

	(void)state;
	store_append(st, STORE_STDOUT, in, sizeof in - 1, 0);
	assert_int_equal(store_count(st), 1);
	assert_line(st, 0, STORE_STDOUT, in, 12, STORE_EOL);
	tail = store_partial(st, STORE_STDOUT, &n);
	assert_int_equal(n, 2);
	assert_memory_equal(tail, "\xe2\x82", 2);
	store_free(st);
}

static char
pattern(size_t i)
{
	return (char)('!' + i % 89);
}

/* Feeds LEN pattern bytes with no newline in chunks of CHUNK, checking
 * after every chunk that the tail never reaches STORE_MAX_LINE. */
static void
feed_pattern(struct store *st, size_t len, size_t chunk)
{
	char *buf = malloc(chunk);
	size_t off, n, i, tail;

	assert_non_null(buf);
	for (off = 0; off < len; off += n) {
		n = len - off < chunk ? len - off : chunk;
		for (i = 0; i < n; i++)
			buf[i] = pattern(off + i);
		store_append(st, STORE_STDOUT, buf, n, 0);
		store_partial(st, STORE_STDOUT, &tail);
		assert_true(tail < STORE_MAX_LINE);
	}
	free(buf);
}

static void
assert_pattern_pieces(const struct store *st, size_t pieces)
{
	const struct store_line *l;
	size_t k, i;

	assert_int_equal(store_count(st), pieces);
	for (k = 0; k < pieces; k++) {
		l = store_line(st, k);
		assert_int_equal(l->len, STORE_MAX_LINE);
		assert_int_equal(l->flags, 0);
		for (i = 0; i < l->len; i++) {
			if (l->text[i] != pattern(k * STORE_MAX_LINE + i))
				fail_msg("piece %zu differs at byte %zu", k, i);
		}
	}
}

static void
test_long_line_cut(void **state)
{
	const size_t len = 200 * 1024, rest = len - 3 * STORE_MAX_LINE;
	size_t chunks[] = { STORE_MAX_LINE, 4093, 1 << 20 };
	struct seen s;
	struct store *st;
	const char *tail;
	size_t c, i, n;

	(void)state;
	for (c = 0; c < sizeof chunks / sizeof *chunks; c++) {
		st = new_store(100, STORE_DEFAULT_MAX_BYTES, &s);
		feed_pattern(st, len, chunks[c]);
		assert_pattern_pieces(st, 3);
		tail = store_partial(st, STORE_STDOUT, &n);
		assert_int_equal(n, rest);
		for (i = 0; i < n; i++)
			assert_int_equal(tail[i], pattern(3 * STORE_MAX_LINE + i));
		store_flush(st, STORE_STDOUT, 0);
		assert_int_equal(store_count(st), 4);
		assert_int_equal(store_line(st, 3)->len, rest);
		assert_int_equal(store_line(st, 3)->flags, 0);
		assert_int_equal(s.count, 4);
		assert_int_equal(store_bytes(st), len);
		store_free(st);
	}
}

/* A cut happens the moment the tail is full, whatever comes next, so the
 * lines do not depend on how the bytes were chunked: a newline right
 * after a full piece ends an empty line. */
static void
test_line_of_exactly_max(void **state)
{
	struct seen s;
	struct store *st = new_store(100, STORE_DEFAULT_MAX_BYTES, &s);

	(void)state;
	feed_pattern(st, STORE_MAX_LINE, 1000);
	assert_pattern_pieces(st, 1);
	assert_null(store_partial(st, STORE_STDOUT, NULL));
	put(st, STORE_STDOUT, "\n");
	assert_int_equal(store_count(st), 2);
	assert_line(st, 1, STORE_STDOUT, "", 0, STORE_EOL);
	store_free(st);
}

/* 16 MiB without a newline into a store that keeps 2 lines: the heap must
 * not follow the input (not measurable under ASan, which owns malloc). */
static void
test_tail_memory_bounded(void **state)
{
	size_t before, after;
	struct seen s;
	struct store *st = new_store(2, STORE_DEFAULT_MAX_BYTES, &s);

	(void)state;
	before = mallinfo2().uordblks;
	feed_pattern(st, 16u << 20, 3000);
	after = mallinfo2().uordblks;
	assert_int_equal(s.count, 256);
	assert_int_equal(store_count(st), 2);
	assert_true(after < before + 4 * STORE_MAX_LINE);
	store_free(st);
}

static void
test_evict_by_lines(void **state)
{
	struct seen s;
	struct store *st = new_store(3, STORE_DEFAULT_MAX_BYTES, &s);

	(void)state;
	put(st, STORE_STDOUT, "l0\nl1\nl2\nl3\nl4\n");
	put(st, STORE_STDERR, "l5\nl6\n");
	assert_int_equal(store_count(st), 3);
	assert_int_equal(store_total(st), 7);
	assert_int_equal(store_line(st, 0)->seq, 4);
	assert_text(st, 0, STORE_STDOUT, "l4");
	assert_text(st, 1, STORE_STDERR, "l5");
	assert_text(st, 2, STORE_STDERR, "l6");
	assert_int_equal(store_bytes(st), 6);
	assert_int_equal(s.count, 7);
	store_free(st);
}

static void
test_evict_by_bytes(void **state)
{
	struct seen s;
	struct store *st = new_store(100, 10, &s);

	(void)state;
	put(st, STORE_STDOUT, "aaaa\nbbbb\n");
	assert_int_equal(store_count(st), 2);
	assert_int_equal(store_bytes(st), 8);
	put(st, STORE_STDOUT, "cccc\n");
	assert_int_equal(store_count(st), 2);
	assert_int_equal(store_bytes(st), 8);
	assert_text(st, 0, STORE_STDOUT, "bbbb");
	assert_text(st, 1, STORE_STDOUT, "cccc");
	/* Too big for the budget alone: still kept, as the newest line. */
	put(st, STORE_STDOUT, "0123456789abcdef\n");
	assert_int_equal(store_count(st), 1);
	assert_int_equal(store_bytes(st), 16);
	assert_text(st, 0, STORE_STDOUT, "0123456789abcdef");
	assert_int_equal(store_line(st, 0)->seq, 3);
	put(st, STORE_STDOUT, "d\n");
	assert_int_equal(store_count(st), 1);
	assert_text(st, 0, STORE_STDOUT, "d");
	assert_int_equal(s.count, 5);
	store_free(st);
}

/* The ring grows on demand; growing while its oldest line is not in slot 0
 * (after byte evictions) must keep the order.  300 one-byte lines after a
 * 200-byte one: the big line is evicted by bytes, then the ring fills its
 * first 256 slots from slot 1 and grows with the newest line in slot 0. */
static void
test_ring_grows_in_order(void **state)
{
	char big[201], one[600];
	struct seen s;
	struct store *st = new_store(1000, 300, &s);
	size_t i;

	(void)state;
	memset(big, 'B', 200);
	big[200] = '\n';
	store_append(st, STORE_STDOUT, big, sizeof big, 0);
	for (i = 0; i < 300; i++) {
		one[2 * i] = (char)('a' + i % 26);
		one[2 * i + 1] = '\n';
	}
	store_append(st, STORE_STDOUT, one, sizeof one, 0);
	assert_int_equal(store_count(st), 300);
	assert_int_equal(store_bytes(st), 300);
	for (i = 0; i < 300; i++) {
		const struct store_line *l = store_line(st, i);
		uint64_t seq = 1 + i;

		assert_int_equal(l->seq, seq);
		assert_int_equal(l->len, 1);
		assert_int_equal(l->text[0], 'a' + (seq - 1) % 26);
	}
	assert_int_equal(s.count, 301);
	assert_int_equal(s.out_of_order, 0);
	assert_int_equal(s.not_in_ring, 0);
	store_free(st);
}

static void
test_observer_sees_every_line(void **state)
{
	const size_t lines = 65536;
	char *buf = malloc(2 * lines);
	struct seen s;
	struct store *st = new_store(10, STORE_DEFAULT_MAX_BYTES, &s);
	size_t i;

	(void)state;
	assert_non_null(buf);
	for (i = 0; i < lines; i++) {
		buf[2 * i] = (char)('0' + i % 10);
		buf[2 * i + 1] = '\n';
	}
	store_append(st, STORE_STDOUT, buf, 2 * lines, 0);
	assert_int_equal(s.count, lines);
	assert_int_equal(s.out_of_order, 0);
	assert_int_equal(s.not_in_ring, 0);
	assert_int_equal(s.next_seq, lines);
	assert_int_equal(s.last_len, 1);
	assert_int_equal(s.last[0], '0' + (lines - 1) % 10);
	assert_int_equal(store_count(st), 10);
	assert_int_equal(store_total(st), lines);
	for (i = 0; i < 10; i++)
		assert_int_equal(store_line(st, i)->seq, lines - 10 + i);
	store_free(st);
	free(buf);
}

static void
test_flush(void **state)
{
	struct seen s;
	struct store *st = new_store(100, STORE_DEFAULT_MAX_BYTES, &s);

	(void)state;
	store_flush(st, STORE_STDOUT, 0);
	assert_int_equal(store_count(st), 0);
	assert_int_equal(s.count, 0);
	put(st, STORE_STDOUT, "done\nbye");
	put(st, STORE_STDERR, "oops");
	store_flush(st, STORE_STDOUT, 0);
	assert_int_equal(store_count(st), 2);
	assert_line(st, 1, STORE_STDOUT, "bye", 3, 0);
	assert_null(store_partial(st, STORE_STDOUT, NULL));
	assert_non_null(store_partial(st, STORE_STDERR, NULL));
	store_flush(st, STORE_STDOUT, 0);
	assert_int_equal(store_count(st), 2);
	store_flush(st, STORE_STDERR, 0);
	assert_int_equal(store_count(st), 3);
	assert_line(st, 2, STORE_STDERR, "oops", 4, 0);
	assert_int_equal(s.count, 3);
	assert_int_equal(s.out_of_order, 0);
	store_free(st);
}

static void
test_partial(void **state)
{
	struct seen s;
	struct store *st = new_store(100, STORE_DEFAULT_MAX_BYTES, &s);
	const char *tail;
	size_t n = 99;

	(void)state;
	assert_null(store_partial(st, STORE_STDOUT, &n));
	assert_int_equal(n, 0);
	put(st, STORE_STDOUT, "Password: ");
	tail = store_partial(st, STORE_STDOUT, &n);
	assert_int_equal(n, 10);
	assert_memory_equal(tail, "Password: ", 10);
	put(st, STORE_STDOUT, "ok\nnext");
	tail = store_partial(st, STORE_STDOUT, &n);
	assert_int_equal(n, 4);
	assert_memory_equal(tail, "next", 4);
	put(st, STORE_STDOUT, "\n");
	assert_null(store_partial(st, STORE_STDOUT, &n));
	assert_int_equal(n, 0);
	assert_text(st, 0, STORE_STDOUT, "Password: ok");
	store_free(st);
}

static void
test_clear_keeps_seq(void **state)
{
	struct seen s;
	struct store *st = new_store(100, STORE_DEFAULT_MAX_BYTES, &s);

	(void)state;
	put(st, STORE_STDOUT, "a\nb\nc\nzz");
	put(st, STORE_STDERR, "e");
	store_clear(st);
	assert_int_equal(store_count(st), 0);
	assert_int_equal(store_bytes(st), 0);
	assert_null(store_line(st, 0));
	assert_null(store_partial(st, STORE_STDOUT, NULL));
	assert_null(store_partial(st, STORE_STDERR, NULL));
	assert_int_equal(store_total(st), 3);
	put(st, STORE_STDOUT, "new\n");
	assert_int_equal(store_count(st), 1);
	assert_text(st, 0, STORE_STDOUT, "new");
	assert_int_equal(store_line(st, 0)->seq, 3);
	assert_int_equal(s.count, 4);
	assert_int_equal(s.out_of_order, 0);
	store_free(st);
}

/* A line is stamped when it is committed: when its '\n' (or a flush or a
 * cut) arrives, not when its first byte did. */
static void
test_time(void **state)
{
	struct seen s;
	struct store *st = new_store(100, STORE_DEFAULT_MAX_BYTES, &s);

	(void)state;
	store_append(st, STORE_STDOUT, "a\nb", 3, 1000);
	store_append(st, STORE_STDOUT, "c\nd", 3, 2500);
	store_flush(st, STORE_STDOUT, 4000);
	assert_int_equal(store_count(st), 3);
	assert_int_equal(store_line(st, 0)->time_ms, 1000);
	assert_int_equal(store_line(st, 1)->time_ms, 2500);
	assert_int_equal(store_line(st, 2)->time_ms, 4000);
	assert_text(st, 1, STORE_STDOUT, "bc");
	store_free(st);
}

static void
test_zero_max_lines_keeps_newest(void **state)
{
	struct seen s;
	struct store *st = new_store(0, 0, &s);

	(void)state;
	put(st, STORE_STDOUT, "first\nsecond\n");
	assert_int_equal(store_count(st), 1);
	assert_text(st, 0, STORE_STDOUT, "second");
	assert_int_equal(s.count, 2);
	store_free(st);
}

/* A model of the ring: the texts of the newest lines, by seq. */
#define MODEL_MAX 4096
struct model {
	char *text[MODEL_MAX];
	size_t len[MODEL_MAX];
	uint64_t first, next;	/* seqs of the oldest kept and the next */
	size_t bytes;
};

/* Line SEQ of a workload: a length from a small generator (mostly
 * short, now and then long, rarely the longest), its bytes from SEQ. */
static size_t
workload_line(uint64_t seq, char *buf, size_t longest)
{
	uint64_t x = seq * 6364136223846793005ULL + 1442695040888963407ULL;
	size_t len, i;

	x ^= x >> 29;
	len = x % 97 == 0 ? longest - (size_t)(x >> 40) % 64 :
	    x % 7 == 0 ? (size_t)(x >> 33) % 900 : (size_t)(x >> 33) % 40;
	for (i = 0; i < len; i++)
		buf[i] = (char)('!' + (seq + i) % 90);
	return len;
}

/* Feeds LINES workload lines and checks, after every one, that the ring
 * holds exactly the newest lines the caps allow, in order, byte for byte:
 * the arena may wrap and grow but never loses or corrupts a line. */
static void
check_against_model(size_t max_lines, size_t max_bytes, size_t lines,
    size_t longest)
{
	static struct model m;
	struct seen s;
	struct store *st = new_store(max_lines, max_bytes, &s);
	char *buf = malloc(longest + 1);
	size_t i, k, n;

	assert_non_null(buf);
	memset(&m, 0, sizeof m);
	for (i = 0; i < lines; i++) {
		uint64_t seq = m.next++;
		char **slot = &m.text[seq % MODEL_MAX];

		n = workload_line(seq, buf, longest);
		free(*slot);
		*slot = malloc(n + 1);
		assert_non_null(*slot);
		memcpy(*slot, buf, n);
		m.len[seq % MODEL_MAX] = n;
		m.bytes += n;
		while (m.next - m.first > max_lines || (m.bytes > max_bytes &&
		    m.next - m.first > 1))
			m.bytes -= m.len[m.first++ % MODEL_MAX];
		assert_true(m.next - m.first < MODEL_MAX);

		buf[n] = '\n';
		store_append(st, STORE_STDOUT, buf, n + 1, 0);
		assert_int_equal(store_count(st), m.next - m.first);
		assert_int_equal(store_bytes(st), m.bytes);
		for (k = 0; k < store_count(st); k++) {
			const struct store_line *l = store_line(st, k);
			uint64_t want = m.first + k;

			assert_int_equal(l->seq, want);
			assert_int_equal(l->len, m.len[want % MODEL_MAX]);
			assert_memory_equal(l->text, m.text[want % MODEL_MAX],
			    l->len);
		}
	}
	assert_int_equal(s.count, lines);
	assert_int_equal(s.out_of_order, 0);
	for (i = 0; i < MODEL_MAX; i++) {
		free(m.text[i]);
		m.text[i] = NULL;
	}
	free(buf);
	store_free(st);
}

static void
test_arena_capped_by_lines(void **state)
{
	(void)state;
	check_against_model(100, STORE_DEFAULT_MAX_BYTES, 5000, 2000);
}

static void
test_arena_capped_by_bytes(void **state)
{
	(void)state;
	check_against_model(1000, 6000, 5000, 2000);
}

static void
test_arena_longest_lines(void **state)
{
	(void)state;
	check_against_model(5, STORE_DEFAULT_MAX_BYTES, 400, STORE_MAX_LINE);
}

/* However much goes through, the store holds on to about what its caps
 * allow (here 1000 lines of at most 100 bytes), not more. */
static void
test_arena_memory_bounded(void **state)
{
	char line[101];
	size_t before, after, i;
	struct seen s;
	struct store *st = new_store(1000, STORE_DEFAULT_MAX_BYTES, &s);

	(void)state;
	before = mallinfo2().uordblks;
	for (i = 0; i < 200000; i++) {
		size_t n = i % 101;

		memset(line, 'x', n);
		line[n] = '\n';
		store_append(st, STORE_STDOUT, line, n + 1, 0);
	}
	after = mallinfo2().uordblks;
	assert_int_equal(store_count(st), 1000);
	/* 1000 records of up to 24 + 104 bytes, at most doubled. */
	assert_true(after - before < 2 * 1000 * 128 + 1000 * sizeof(void *) * 2);
	store_free(st);
}

/* A stand-in for ansi_carry: the state counts the ESC bytes seen so far
 * (text without one leaves it as it is, as the store requires). */
static int carry_calls;

static uint64_t
count_esc(uint64_t start, const char *text, size_t len)
{
	carry_calls++;
	while (len-- > 0)
		start += *text++ == 0x1b;
	return start;
}

/* Each line keeps the state its stream was in where it starts; notes and
 * input take none and change nothing; the streams carry apart. */
/* Bytes with no ESC or CSI leave the carry alone without asking; a line
 * begun in an earlier read is asked about whole. */
static void
test_carry_skipped_for_plain_bytes(void **state)
{
	struct store *st = store_new(100, 1 << 20, NULL, NULL);

	(void)state;
	store_set_carry(st, count_esc);
	carry_calls = 0;
	store_append(st, STORE_STDOUT, "a\nb\nc\n", 6, 0);
	assert_int_equal(carry_calls, 0);
	store_append(st, STORE_STDOUT, "x\x1b", 2, 0);	/* a tail */
	store_append(st, STORE_STDOUT, "y\nz\n", 4, 0);
	assert_int_equal(carry_calls, 1);	/* "x\x1by", not "z" */
	assert_int_equal(store_line(st, 3)->carry, 0);
	assert_int_equal(store_line(st, 4)->carry, 1);	/* "z" */
	assert_int_equal(store_partial_carry(st, STORE_STDOUT), 1);
	store_free(st);
}

static void
test_carry_per_line(void **state)
{
	struct store *st = store_new(100, 1 << 20, NULL, NULL);

	(void)state;
	store_set_carry(st, count_esc);
	store_append(st, STORE_STDOUT, "a\x1b\nb\x1b\x1b\n", 8, 0);
	store_add_line(st, STORE_STDOUT, STORE_NOTE, "\x1bnote\x1b", 6, 0);
	store_append(st, STORE_STDERR, "e\x1b\n", 3, 0);
	store_append(st, STORE_STDOUT, "c\nd", 3, 0);
	assert_int_equal(store_line(st, 0)->carry, 0);
	assert_int_equal(store_line(st, 1)->carry, 1);
	assert_int_equal(store_line(st, 2)->carry, 0);	/* the note */
	assert_int_equal(store_line(st, 3)->carry, 0);	/* stderr's own */
	assert_int_equal(store_line(st, 4)->carry, 3);	/* "c" */
	assert_int_equal(store_partial_carry(st, STORE_STDOUT), 3);
	assert_int_equal(store_partial_carry(st, STORE_STDERR), 1);
	store_free(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_byte_at_a_time),
		cmocka_unit_test(test_lines_in_one_chunk),
		cmocka_unit_test(test_streams_kept_apart),
		cmocka_unit_test(test_crlf_verbatim),
		cmocka_unit_test(test_empty_lines),
		cmocka_unit_test(test_nul_and_invalid_utf8),
		cmocka_unit_test(test_long_line_cut),
		cmocka_unit_test(test_line_of_exactly_max),
		cmocka_unit_test(test_tail_memory_bounded),
		cmocka_unit_test(test_evict_by_lines),
		cmocka_unit_test(test_evict_by_bytes),
		cmocka_unit_test(test_ring_grows_in_order),
		cmocka_unit_test(test_observer_sees_every_line),
		cmocka_unit_test(test_flush),
		cmocka_unit_test(test_partial),
		cmocka_unit_test(test_clear_keeps_seq),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_zero_max_lines_keeps_newest),
		cmocka_unit_test(test_arena_capped_by_lines),
		cmocka_unit_test(test_arena_capped_by_bytes),
		cmocka_unit_test(test_arena_longest_lines),
		cmocka_unit_test(test_arena_memory_bounded),
		cmocka_unit_test(test_carry_per_line),
		cmocka_unit_test(test_carry_skipped_for_plain_bytes),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
