/*
 * store: the output of one program, kept in memory.
 *
 * Bytes read from the program go in with store_append(); the store splits
 * them into lines per stream (stdout and stderr each have their own
 * unterminated tail, so a prompt on one never glues to a line of the
 * other), tags each line with its stream and arrival time, and keeps the
 * last `max_lines` lines in a ring that is also capped at `max_bytes`.
 * A line longer than STORE_MAX_LINE is cut into pieces of that size, so no
 * line grows without bound.  Every committed line is handed to the observer
 * once, before it can be evicted: that is how the log file and headless
 * output see every line even when the ring drops old ones.
 */
#ifndef TEND_STORE_H
#define TEND_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STORE_MAX_LINE (64 * 1024)
#define STORE_DEFAULT_MAX_BYTES (16 * 1024 * 1024)

enum store_stream { STORE_STDOUT = 0, STORE_STDERR = 1 };
#define STORE_NSTREAMS 2

/* store_line.flags */
#define STORE_EOL 0x1		/* ended with '\n' (not included in text) */
#define STORE_INPUT 0x2		/* a line the user sent to stdin, echoed */
#define STORE_NOTE 0x4		/* tend's own note: started, exited, probe */
/* A line of a client connection to the program's socket (conn.h); its
 * text starts with the connection's mark: "‹2 " came from the server,
 * "›2 " (with STORE_CONN_SENT) was sent to it. */
#define STORE_CONN 0x8
#define STORE_CONN_SENT 0x10

struct store_line {
	int64_t time_ms;	/* arrival, monotonic milliseconds */
	uint64_t seq;		/* 0 for the first line ever committed */
	uint64_t order;		/* arrival among the lines of every store
				   (1, 2, ...): a merged view sorts on it */
	uint64_t carry;		/* the stream's state where the line starts
				   (see store_set_carry); 0 for notes, input */
	uint32_t len;		/* bytes of text, without the '\n' */
	uint8_t stream;		/* enum store_stream */
	uint8_t flags;
	char text[];		/* not NUL-terminated */
};

struct store;

typedef void (*store_line_fn)(const struct store_line *line, void *ctx);

/* ON_LINE may be NULL.  Returns NULL on out-of-memory. */
struct store *store_new(size_t max_lines, size_t max_bytes,
    store_line_fn on_line, void *ctx);
void store_free(struct store *st);

/* State carried from one line of a stream to the next (a colour set on
 * one line that goes on on the next): FN gives the state at the end of a
 * line from the state at its start and its text.  Each line keeps the
 * state it starts in, so a pane that starts mid-stream draws it right.
 * FN must give back START for text with neither ESC (0x1b) nor CSI
 * (0x9b): the store leaves it out for bytes that have none, which are
 * most of a flood.  Without FN every carry is 0. */
typedef uint64_t (*store_carry_fn)(uint64_t start, const char *text,
    size_t len);
void store_set_carry(struct store *st, store_carry_fn fn);

/* Add bytes read from STREAM; commits every completed line. */
void store_append(struct store *st, enum store_stream stream,
    const char *buf, size_t len, int64_t now_ms);

/* Commit STREAM's unterminated tail, if any, as a line without STORE_EOL
 * (used at end of file, so a last line without '\n' is never lost). */
void store_flush(struct store *st, enum store_stream stream, int64_t now_ms);

/* Commit TEXT as one line of STREAM with FLAGS | STORE_EOL.  With
 * STORE_INPUT both tails are committed first (a prompt then reads before
 * the answer to it); a STORE_NOTE leaves them as they are, so a note never
 * cuts a line the program is writing.  TEXT longer than STORE_MAX_LINE is
 * cut there. */
void store_add_line(struct store *st, enum store_stream stream,
    uint8_t flags, const char *text, size_t len, int64_t now_ms);

/* Make STREAM's unterminated tail TEXT (a terminal's cursor row, which
 * is rewritten rather than appended to). */
void store_set_tail(struct store *st, enum store_stream stream,
    const char *text, size_t len, int64_t now_ms);

/* Lines in the ring, oldest first: index 0 .. store_count()-1. */
size_t store_count(const struct store *st);
const struct store_line *store_line(const struct store *st, size_t index);

/* Lines committed since creation (the seq the next line will get). */
uint64_t store_total(const struct store *st);
/* The seq of the oldest line still in the ring (store_total() when it
 * is empty), and the line of a given seq while it is there, or NULL. */
uint64_t store_first_seq(const struct store *st);
const struct store_line *store_line_seq(const struct store *st,
    uint64_t seq);

/* Bytes held by the ring's lines (text only). */
size_t store_bytes(const struct store *st);

/* STREAM's unterminated tail (a prompt, say): NULL when empty. */
const char *store_partial(const struct store *st, enum store_stream stream,
    size_t *len);
/* The state STREAM's next line (its tail) starts in. */
uint64_t store_partial_carry(const struct store *st,
    enum store_stream stream);

/* Drop every line and tail (seq numbers keep counting). */
void store_clear(struct store *st);

#endif
