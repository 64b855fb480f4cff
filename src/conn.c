/*
 * conn: owns the client connections to programs' sockets: each one's fd
 * and loop watcher, its connect timeout, its queue of unsent bytes, the
 * unterminated tail of what came back, its byte counts, and the
 * numbering of connections per owner.
 *
 * A connection is freed only outside its own callbacks: a callback that
 * closes the connection it is hearing about (a ctl client that went
 * away) marks it, and the handler frees it when the callback returns.
 */
#define _GNU_SOURCE
#include "conn.h"

#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "configval.h"

#define CONN_READ_CHUNK (64 * 1024)	/* per connection per turn */
#define CONN_TAIL_MS 200	/* a tail this quiet is shown (a prompt) */

struct conn {
	struct conn_set *cs;
	void *owner;
	int id;
	int fd;
	bool connected;
	bool dead;		/* closed: free once the handler returns */
	int in_handler;
	/* Where to: a Unix socket, or the addresses of HOST:PORT, tried
	 * in turn until one connects. */
	bool is_unix;
	struct sockaddr_un un;
	struct addrinfo *addrs, *next_addr;
	int last_err;		/* of the last address tried */
	double timeout;
	uint64_t timer;		/* the connect timeout, or a report */
	int64_t up_ms;		/* when it connected (when it began, before) */
	char *out;		/* queued bytes, out[outoff..outlen) */
	size_t outoff, outlen, outcap;
	char *tail;		/* CONN_LINE_MAX bytes once needed */
	size_t taillen;
	uint64_t tail_timer;	/* shows a quiet tail */
	unsigned long long bytes_in, bytes_out;
};

struct conn_owner {
	const void *owner;
	int next_id;
};

struct conn_set {
	struct loop *loop;
	struct conn_events ev;
	void *ctx;
	struct conn **conns;	/* oldest first */
	size_t n, cap;
	struct conn_owner *owners;
	size_t nowners, owners_cap;
};

static void conn_watch(struct conn *c);
static void conn_try(struct conn *c);
static void conn_io(struct loop *loop, int fd, int events, void *data);

/* --- addresses --------------------------------------------------------- */

/* HOST:PORT or [V6]:PORT into its addresses: 0, or -1 with WHY. */
static int
conn_resolve(struct conn *c, const char *address, char *why, size_t size)
{
	const char *colon = strrchr(address, ':');
	char host[256];
	size_t hlen = (size_t)(colon - address);
	struct addrinfo hints;
	int rc;

	if (address[0] == '[') {
		address++;
		hlen -= 2;
	}
	if (hlen >= sizeof host) {
		snprintf(why, size, "%s: the host name is too long", address);
		return -1;
	}
	memcpy(host, address, hlen);
	host[hlen] = '\0';
	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV | AI_NUMERICHOST;
	rc = getaddrinfo(host, colon + 1, &hints, &c->addrs);
	if (rc == EAI_NONAME) {
		/* A name: the system's resolver (for local development,
		 * /etc/hosts answers at once). */
		hints.ai_flags = AI_NUMERICSERV | AI_ADDRCONFIG;
		rc = getaddrinfo(host, colon + 1, &hints, &c->addrs);
	}
	if (rc != 0) {
		snprintf(why, size, "%s: %s", host, gai_strerror(rc));
		c->addrs = NULL;
		return -1;
	}
	c->next_addr = c->addrs;
	return 0;
}

/* --- the set and its numbering ---------------------------------------- */

struct conn_set *
conn_set_new(struct loop *loop, const struct conn_events *ev, void *ctx)
{
	struct conn_set *cs = calloc(1, sizeof *cs);

	if (cs == NULL)
		return NULL;
	cs->loop = loop;
	cs->ev = *ev;
	cs->ctx = ctx;
	return cs;
}

static void
conn_free(struct conn *c)
{
	if (c->addrs != NULL)
		freeaddrinfo(c->addrs);
	free(c->out);
	free(c->tail);
	free(c);
}

/* Off the loop and out of the list (it stays allocated). */
static void
conn_detach(struct conn *c)
{
	struct conn_set *cs = c->cs;
	size_t i;

	loop_del_timer(cs->loop, c->timer);
	c->timer = 0;
	loop_del_timer(cs->loop, c->tail_timer);
	c->tail_timer = 0;
	if (c->fd != -1) {
		loop_del_fd(cs->loop, c->fd);
		close(c->fd);
		c->fd = -1;
	}
	for (i = 0; i < cs->n; i++) {
		if (cs->conns[i] == c) {
			memmove(cs->conns + i, cs->conns + i + 1,
			    (cs->n - i - 1) * sizeof *cs->conns);
			cs->n--;
			break;
		}
	}
}

void
conn_set_free(struct conn_set *cs)
{
	if (cs == NULL)
		return;
	while (cs->n > 0) {
		struct conn *c = cs->conns[0];

		conn_detach(c);
		conn_free(c);
	}
	free(cs->conns);
	free(cs->owners);
	free(cs);
}

static int
conn_grow(struct conn_set *cs)
{
	size_t cap = cs->cap ? cs->cap * 2 : 8;
	struct conn **grown = realloc(cs->conns, cap * sizeof *grown);

	if (grown == NULL)
		return -1;
	cs->conns = grown;
	cs->cap = cap;
	return 0;
}

static struct conn_owner *
conn_owner(struct conn_set *cs, const void *owner, bool add)
{
	size_t i;

	for (i = 0; i < cs->nowners; i++) {
		if (cs->owners[i].owner == owner)
			return &cs->owners[i];
	}
	if (!add)
		return NULL;
	if (cs->nowners == cs->owners_cap) {
		size_t cap = cs->owners_cap ? cs->owners_cap * 2 : 8;
		struct conn_owner *o = realloc(cs->owners, cap * sizeof *o);

		if (o == NULL)
			return NULL;
		cs->owners = o;
		cs->owners_cap = cap;
	}
	cs->owners[cs->nowners].owner = owner;
	cs->owners[cs->nowners].next_id = 1;
	return &cs->owners[cs->nowners++];
}

static struct conn *
conn_find(const struct conn_set *cs, const void *owner, int id)
{
	size_t i;

	for (i = 0; i < cs->n; i++) {
		if (cs->conns[i]->owner == owner && cs->conns[i]->id == id)
			return cs->conns[i];
	}
	return NULL;
}

size_t
conn_list(const struct conn_set *cs, const void *owner, int *ids,
    size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < cs->n; i++) {
		if (cs->conns[i]->owner != owner)
			continue;
		if (n < max)
			ids[n] = cs->conns[i]->id;
		n++;
	}
	return n;
}

bool
conn_is_open(const struct conn_set *cs, const void *owner, int id)
{
	return conn_find(cs, owner, id) != NULL;
}

bool
conn_connecting(const struct conn_set *cs, const void *owner, int id)
{
	const struct conn *c = conn_find(cs, owner, id);

	return c != NULL && !c->connected;
}

/* --- the end of a connection ------------------------------------------ */

/* "connection refused" from strerror()'s "Connection refused". */
static void
conn_strerror(int err, char *buf, size_t size)
{
	snprintf(buf, size, "%s", strerror(err));
	if (buf[0] != '\0' && !(buf[1] != '\0' && isupper((unsigned char)buf[1])))
		buf[0] = (char)tolower((unsigned char)buf[0]);
}

/* " after 3.2 s, 14 B in, 6 B out" */
static void
conn_summary(const struct conn *c, char *buf, size_t size)
{
	int64_t ms = loop_now(c->cs->loop) - c->up_ms;

	snprintf(buf, size, "after %.1f s, %llu B in, %llu B out",
	    (double)(ms < 0 ? 0 : ms) / 1000.0, c->bytes_in, c->bytes_out);
}

/* The tail that never got its newline is a line too. */
static void
conn_flush_tail(struct conn *c)
{
	size_t len = c->taillen;

	if (len == 0)
		return;
	/* Emptied first: the owner may close the connection from inside the
	 * call, which flushes again (the text stays until it is freed). */
	c->taillen = 0;
	c->cs->ev.line(c->cs->ctx, c->owner, c->id, c->tail, len);
}

/* Off the loop, the owner told WHY; freed now or when the handler that
 * runs returns. */
static void
conn_end(struct conn *c, const char *why)
{
	struct conn_set *cs = c->cs;

	if (c->dead)
		return;
	c->dead = true;
	conn_detach(c);
	c->in_handler++;
	if (c->connected)
		conn_flush_tail(c);
	cs->ev.closed(cs->ctx, c->owner, c->id, c->connected, why);
	if (--c->in_handler == 0)
		conn_free(c);
}

int
conn_close(struct conn_set *cs, const void *owner, int id, const char *why)
{
	struct conn *c = conn_find(cs, owner, id);
	char msg[512], sum[128];

	if (c == NULL)
		return -1;
	if (!c->connected) {
		snprintf(msg, sizeof msg, "conn %d: given up before it "
		    "connected%s%s", id, why != NULL ? ": " : "",
		    why != NULL ? why : "");
	} else {
		conn_summary(c, sum, sizeof sum);
		if (why != NULL)
			snprintf(msg, sizeof msg, "conn %d closed: %s (%s)", id,
			    why, sum);
		else
			snprintf(msg, sizeof msg, "conn %d closed %s", id, sum);
	}
	conn_end(c, msg);
	return 0;
}

void
conn_close_owner(struct conn_set *cs, const void *owner, const char *why)
{
	size_t i = 0;

	while (i < cs->n) {
		if (cs->conns[i]->owner == owner)
			conn_close(cs, owner, cs->conns[i]->id, why);
		else
			i++;
	}
}

void
conn_forget(struct conn_set *cs, const void *owner)
{
	struct conn_owner *o = conn_owner(cs, owner, false);

	conn_close_owner(cs, owner, NULL);
	if (o != NULL)
		*o = cs->owners[--cs->nowners];
}

/* An error on a connection that was up: the server reset it, say. */
static void
conn_fail(struct conn *c, int err)
{
	char msg[512], e[128], sum[128];

	conn_strerror(err, e, sizeof e);
	conn_summary(c, sum, sizeof sum);
	snprintf(msg, sizeof msg, "conn %d: %s %s", c->id, e, sum);
	conn_end(c, msg);
}

/* --- connecting -------------------------------------------------------- */

static void
conn_connect_failed(struct conn *c)
{
	char msg[256], e[128];

	conn_strerror(c->last_err, e, sizeof e);
	snprintf(msg, sizeof msg, "conn %d: %s", c->id, e);
	conn_end(c, msg);
}

static void
conn_timer_fired(struct loop *loop, void *data)
{
	struct conn *c = data;
	char msg[128];

	(void)loop;
	c->timer = 0;
	if (c->connected)
		return;
	if (c->fd == -1 && c->next_addr == NULL && c->last_err != 0) {
		conn_connect_failed(c);	/* refused at once: reported now */
		return;
	}
	snprintf(msg, sizeof msg, "conn %d: timed out after %g s", c->id,
	    c->timeout);
	conn_end(c, msg);
}

/* The socket for the next address, connecting: 0 (it may be up already,
 * the writable event says), or -1 with c->last_err. */
static int
conn_start_one(struct conn *c)
{
	const struct sockaddr *sa;
	socklen_t salen;
	int family;

	if (c->is_unix) {
		sa = (const struct sockaddr *)&c->un;
		salen = sizeof c->un;
		family = AF_UNIX;
	} else {
		sa = c->next_addr->ai_addr;
		salen = c->next_addr->ai_addrlen;
		family = c->next_addr->ai_family;
		c->next_addr = c->next_addr->ai_next;
	}
	c->fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd == -1) {
		c->last_err = errno;
		return -1;
	}
	if (connect(c->fd, sa, salen) == 0 || errno == EINPROGRESS) {
		if (loop_add_fd(c->cs->loop, c->fd, LOOP_WRITE, conn_io, c) == 0)
			return 0;
		c->last_err = ENOMEM;
	} else {
		/* A Unix socket whose backlog is full says EAGAIN: it is
		 * not listening for us. */
		c->last_err = errno == EAGAIN ? ECONNREFUSED : errno;
	}
	close(c->fd);
	c->fd = -1;
	return -1;
}

/* Try the addresses left, in turn; when none is left, the failure is
 * reported from a timer, never from inside conn_open(). */
static void
conn_try(struct conn *c)
{
	for (;;) {
		if (conn_start_one(c) == 0)
			return;
		if (c->is_unix || c->next_addr == NULL)
			break;
	}
	c->next_addr = NULL;
	c->is_unix = false;
	loop_del_timer(c->cs->loop, c->timer);
	c->timer = loop_add_timer(c->cs->loop, 0, conn_timer_fired, c);
}

/* The connect has ended: up, or on to the next address. */
static void
conn_connect_done(struct conn *c)
{
	int err = 0;
	socklen_t len = sizeof err;

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		err = errno;
	if (err != 0) {
		c->last_err = err;
		loop_del_fd(c->cs->loop, c->fd);
		close(c->fd);
		c->fd = -1;
		if (c->next_addr != NULL) {
			conn_try(c);
			return;
		}
		conn_connect_failed(c);
		return;
	}
	c->connected = true;
	c->up_ms = loop_now(c->cs->loop);
	loop_del_timer(c->cs->loop, c->timer);
	c->timer = 0;
	conn_watch(c);
	c->cs->ev.opened(c->cs->ctx, c->owner, c->id);
}

int
conn_open(struct conn_set *cs, void *owner, const char *address,
    double timeout, char *why, size_t size)
{
	struct conn_owner *o = conn_owner(cs, owner, true);
	const char *bad = configval_socket(address);
	struct conn *c;

	if (bad != NULL) {
		snprintf(why, size, "socket %s: %s", address, bad);
		return -1;
	}
	if (o == NULL || (cs->n == cs->cap && conn_grow(cs) == -1)) {
		snprintf(why, size, "out of memory");
		return -1;
	}
	if (conn_list(cs, owner, NULL, 0) >= CONN_MAX_PER_OWNER) {
		snprintf(why, size, "%d connections are open already; Ctrl-D "
		    "in the input line closes one", CONN_MAX_PER_OWNER);
		return -1;
	}
	if ((c = calloc(1, sizeof *c)) == NULL) {
		snprintf(why, size, "out of memory");
		return -1;
	}
	c->cs = cs;
	c->owner = owner;
	c->fd = -1;
	c->timeout = timeout > 0 ? timeout : 2;
	c->up_ms = loop_now(cs->loop);
	if (strncmp(address, "unix:", 5) == 0) {
		c->is_unix = true;
		c->un.sun_family = AF_UNIX;
		snprintf(c->un.sun_path, sizeof c->un.sun_path, "%s",
		    address + 5);
	} else if (conn_resolve(c, address, why, size) == -1) {
		conn_free(c);
		return -1;
	}
	c->id = o->next_id++;
	cs->conns[cs->n++] = c;
	c->timer = loop_add_timer(cs->loop, (int64_t)(c->timeout * 1000),
	    conn_timer_fired, c);
	conn_try(c);
	return c->id;
}

/* --- bytes each way ---------------------------------------------------- */

/* Read and write as the connection is up; write only while something
 * waits. */
static void
conn_watch(struct conn *c)
{
	loop_set_fd_events(c->cs->loop, c->fd, LOOP_READ |
	    (c->outlen > c->outoff ? LOOP_WRITE : 0));
}

/* Cut what came into lines; the rest waits in the tail. */
static void
conn_take(struct conn *c, const char *buf, size_t len)
{
	while (len > 0 && !c->dead) {
		const char *nl = memchr(buf, '\n', len);
		size_t n = nl != NULL ? (size_t)(nl - buf) : len;
		size_t room = CONN_LINE_MAX - c->taillen;
		bool cut = n >= room;

		if (cut)
			n = room;
		memcpy(c->tail + c->taillen, buf, n);
		c->taillen += n;
		buf += n;
		len -= n;
		if (nl == NULL && !cut)
			break;
		if (!cut) {	/* the newline itself */
			buf++;
			len--;
			if (c->taillen > 0 && c->tail[c->taillen - 1] == '\r')
				c->taillen--;
		}
		conn_flush_tail(c);
	}
}

/* A tail that stays without its newline (a prompt) is a line too, as a
 * program's prompt shows in its pane. */
static void
conn_tail_quiet(struct loop *loop, void *data)
{
	struct conn *c = data;

	(void)loop;
	c->tail_timer = 0;
	c->in_handler++;
	conn_flush_tail(c);
	if (--c->in_handler == 0 && c->dead)
		conn_free(c);
}

static void
conn_readable(struct conn *c)
{
	static char buf[CONN_READ_CHUNK];
	ssize_t n;

	if (c->tail == NULL && (c->tail = malloc(CONN_LINE_MAX)) == NULL)
		return;
	n = recv(c->fd, buf, sizeof buf, 0);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n == -1) {
		conn_fail(c, errno);
		return;
	}
	if (n == 0) {
		char msg[256], sum[128];

		conn_summary(c, sum, sizeof sum);
		snprintf(msg, sizeof msg, "conn %d closed by the server %s",
		    c->id, sum);
		conn_end(c, msg);
		return;
	}
	c->bytes_in += (unsigned long long)n;
	conn_take(c, buf, (size_t)n);
	loop_del_timer(c->cs->loop, c->tail_timer);
	c->tail_timer = !c->dead && c->taillen > 0 ? loop_add_timer(c->cs->loop,
	    CONN_TAIL_MS, conn_tail_quiet, c) : 0;
}

static void
conn_writable(struct conn *c)
{
	while (c->outoff < c->outlen) {
		ssize_t n = send(c->fd, c->out + c->outoff,
		    c->outlen - c->outoff, MSG_NOSIGNAL);

		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			break;
		if (n == -1) {
			conn_fail(c, errno);
			return;
		}
		c->outoff += (size_t)n;
		c->bytes_out += (unsigned long long)n;
	}
	if (c->outoff == c->outlen)
		c->outoff = c->outlen = 0;
	conn_watch(c);
}

static void
conn_io(struct loop *loop, int fd, int events, void *data)
{
	struct conn *c = data;

	(void)loop;
	(void)fd;
	c->in_handler++;
	if (!c->connected) {
		conn_connect_done(c);
	} else {
		if (events & (LOOP_READ | LOOP_ERROR))
			conn_readable(c);
		if (!c->dead && (events & LOOP_WRITE))
			conn_writable(c);
	}
	if (--c->in_handler == 0 && c->dead)
		conn_free(c);
}

int
conn_send(struct conn_set *cs, const void *owner, int id, const char *buf,
    size_t len)
{
	struct conn *c = conn_find(cs, owner, id);

	if (c == NULL) {
		errno = ENOENT;
		return -1;
	}
	if (c->outlen - c->outoff + len > CONN_QUEUE_MAX) {
		errno = ENOBUFS;
		return -1;
	}
	if (c->outoff > 0 && c->outlen + len > c->outcap) {
		memmove(c->out, c->out + c->outoff, c->outlen - c->outoff);
		c->outlen -= c->outoff;
		c->outoff = 0;
	}
	if (c->outlen + len > c->outcap) {
		size_t cap = c->outcap ? c->outcap : 4096;
		char *o;

		while (cap < c->outlen + len)
			cap *= 2;
		if ((o = realloc(c->out, cap)) == NULL) {
			errno = ENOBUFS;
			return -1;
		}
		c->out = o;
		c->outcap = cap;
	}
	memcpy(c->out + c->outlen, buf, len);
	c->outlen += len;
	if (c->connected)
		conn_watch(c);
	return 0;
}
