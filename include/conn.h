/*
 * conn: client connections to programs' sockets (`socket = HOST:PORT` or
 * `socket = unix:/path`), inside tend's loop.
 *
 * A connection belongs to an owner (the engine passes a program) and has
 * a number of its own, 1, 2, ... per owner, as the user sees it ("conn
 * 2").  Connecting is non-blocking, with a timeout on the loop's clock;
 * what is sent waits in a bounded queue per connection while the server
 * does not read; what comes back is cut into lines (a trailing '\r' is
 * dropped, a line longer than CONN_LINE_MAX is cut there, and a tail
 * without its newline is delivered as a line once it has been quiet for
 * 200 ms, a prompt, or when the connection ends).  Nothing
 * here blocks, except that a host name other than a numeric address or
 * "localhost" is resolved with getaddrinfo().
 */
#ifndef TEND_CONN_H
#define TEND_CONN_H

#include <stdbool.h>
#include <stddef.h>

#include "loop.h"

#define CONN_QUEUE_MAX (256 * 1024)	/* unsent bytes per connection */
#define CONN_LINE_MAX (64 * 1024)	/* a longer line is cut */
#define CONN_MAX_PER_OWNER 64

struct conn_events {
	/* Connection ID of OWNER is up. */
	void (*opened)(void *ctx, void *owner, int id);
	/* A line came from the server (without its newline). */
	void (*line)(void *ctx, void *owner, int id, const char *text,
	    size_t len);
	/* It is over, and forgotten after this call.  WHY is a sentence for
	 * people: "conn 2 closed by the server after 3.2 s, 14 B in, 6 B
	 * out", "conn 3: connection refused", "conn 3: timed out after 2 s".
	 * CONNECTED: it had been up. */
	void (*closed)(void *ctx, void *owner, int id, bool connected,
	    const char *why);
};

struct conn_set;

struct conn_set *conn_set_new(struct loop *loop, const struct conn_events *ev,
    void *ctx);
/* Close everything without a word. */
void conn_set_free(struct conn_set *cs);

/* Start connecting to ADDRESS (see configval_socket()) for OWNER, for at most TIMEOUT seconds.
 * Returns the connection's number, or -1 with a sentence in WHY (too
 * many open, an address that is no host).  A refusal found at once still
 * comes through closed(), after this returns. */
int conn_open(struct conn_set *cs, void *owner, const char *address,
    double timeout, char *why, size_t size);
/* Queue LEN bytes: -1 with errno ENOENT (no such connection) or ENOBUFS
 * (the queue would pass CONN_QUEUE_MAX; nothing was queued). */
int conn_send(struct conn_set *cs, const void *owner, int id,
    const char *buf, size_t len);
/* Close it now, with WHY as the reason given to closed() ("closed",
 * "web stopped"), followed by how long it was up and the bytes each way.
 * -1 if there is none. */
int conn_close(struct conn_set *cs, const void *owner, int id,
    const char *why);
/* The same for every connection of OWNER. */
void conn_close_owner(struct conn_set *cs, const void *owner,
    const char *why);
/* OWNER is gone: close its connections and forget its numbering. */
void conn_forget(struct conn_set *cs, const void *owner);

/* OWNER's connections, oldest first: their numbers in IDS (at most MAX);
 * returns how many there are. */
size_t conn_list(const struct conn_set *cs, const void *owner, int *ids,
    size_t max);
bool conn_is_open(const struct conn_set *cs, const void *owner, int id);
/* It is connecting, not up yet. */
bool conn_connecting(const struct conn_set *cs, const void *owner, int id);

#endif
