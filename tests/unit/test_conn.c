/* Unit tests for conn: connections to a Unix socket and a TCP port the
 * test listens on (real sockets, the real loop). */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <cmocka.h>

#include "conn.h"
#include "loop.h"

struct heard {
	int opened;
	char lines[8][64];
	int nlines;
	char closed[256];
	bool connected;
	int nclosed;
};

static int owner;		/* its address is the owner */

static void
heard_opened(void *ctx, void *o, int id)
{
	struct heard *h = ctx;

	assert_ptr_equal(o, &owner);
	h->opened = id;
}

static void
heard_line(void *ctx, void *o, int id, const char *text, size_t len)
{
	struct heard *h = ctx;

	(void)o;
	(void)id;
	if (h->nlines < 8)
		snprintf(h->lines[h->nlines++], 64, "%.*s", (int)len, text);
}

static void
heard_closed(void *ctx, void *o, int id, bool connected, const char *why)
{
	struct heard *h = ctx;

	(void)o;
	(void)id;
	h->connected = connected;
	h->nclosed++;
	snprintf(h->closed, sizeof h->closed, "%s", why);
}

static const struct conn_events events = {
	heard_opened, heard_line, heard_closed,
};

/* Turns of the loop until COND, for at most 5 s of real time. */
#define TURN_UNTIL(loop, cond) do {					\
	int i_;								\
	bool ok_ = false;						\
	for (i_ = 0; i_ < 500 && !(ok_ = (cond)); i_++)			\
		loop_run_once((loop), 10);				\
	assert_true(ok_);						\
} while (0)

static int
listen_unix(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	unlink(path);
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(listen(fd, 4), 0);
	return fd;
}

/* A free TCP port on 127.0.0.1 that nobody listens on. */
static int
closed_port(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	getsockname(fd, (struct sockaddr *)&sa, &len);
	port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

/* Lines come cut at '\n' (a '\r' before it dropped); a tail without
 * one is a line once quiet, or when the server closes; the end says how long
 * and how many bytes. */
static void
test_lines_and_close(void **state)
{
	char path[] = "/tmp/tend-conn-unit.XXXXXX", sock[64], addr[80], buf[16];
	struct loop *loop = loop_new();
	struct heard h = { 0 };
	struct conn_set *cs = conn_set_new(loop, &events, &h);
	int lfd, sfd, id;
	char why[256];

	(void)state;
	assert_non_null(mkdtemp(path));
	snprintf(sock, sizeof sock, "%s/s", path);
	snprintf(addr, sizeof addr, "unix:%s", sock);
	lfd = listen_unix(sock);
	id = conn_open(cs, &owner, addr, 2, why, sizeof why);
	assert_int_equal(id, 1);
	assert_int_equal(conn_send(cs, &owner, id, "PING\n", 5), 0);
	TURN_UNTIL(loop, h.opened == 1);
	sfd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
	assert_true(sfd >= 0);
	TURN_UNTIL(loop, read(sfd, buf, sizeof buf) == 5);
	assert_int_equal(write(sfd, "a\r\nb\npart", 9), 9);
	TURN_UNTIL(loop, h.nlines == 2);
	assert_string_equal(h.lines[0], "a");
	assert_string_equal(h.lines[1], "b");
	/* A quiet tail (a prompt) shows as a line of its own. */
	TURN_UNTIL(loop, h.nlines == 3);
	assert_string_equal(h.lines[2], "part");
	assert_int_equal(write(sfd, "end", 3), 3);
	close(sfd);
	TURN_UNTIL(loop, h.nclosed == 1);
	assert_int_equal(h.nlines, 4);
	assert_string_equal(h.lines[3], "end");
	assert_true(h.connected);
	assert_non_null(strstr(h.closed, "conn 1 closed by the server after "));
	assert_non_null(strstr(h.closed, " s, 12 B in, 5 B out"));
	assert_int_equal(conn_list(cs, &owner, NULL, 0), 0);
	/* Numbers go on counting: the next one is conn 2. */
	assert_int_equal(conn_open(cs, &owner, addr, 2, why, sizeof why), 2);
	conn_set_free(cs);
	close(lfd);
	unlink(sock);
	rmdir(path);
	loop_free(loop);
}

/* A refusal is reported from the loop, after conn_open() returned,
 * worded as a probe's; a bad address is refused at once. */
static void
test_refused(void **state)
{
	struct loop *loop = loop_new();
	struct heard h = { 0 };
	struct conn_set *cs = conn_set_new(loop, &events, &h);
	char addr[64], why[256];

	(void)state;
	snprintf(addr, sizeof addr, "127.0.0.1:%d", closed_port());
	assert_int_equal(conn_open(cs, &owner, addr, 2, why, sizeof why), 1);
	assert_int_equal(h.nclosed, 0);
	TURN_UNTIL(loop, h.nclosed == 1);
	assert_string_equal(h.closed, "conn 1: connection refused");
	assert_false(h.connected);
	assert_int_equal(conn_open(cs, &owner, "nohost", 2, why, sizeof why), -1);
	assert_string_equal(why, "socket nohost: must be HOST:PORT, [V6]:PORT "
	    "or unix:/PATH");
	conn_set_free(cs);
	loop_free(loop);
}

/* A server that never reads: the queue takes CONN_QUEUE_MAX bytes and
 * refuses the next line; nothing blocks.  Closing ours says so. */
static void
test_queue_is_bounded(void **state)
{
	char path[] = "/tmp/tend-conn-unit.XXXXXX", sock[64], addr[80], why[256];
	static char chunk[16 * 1024], all[CONN_QUEUE_MAX];
	struct loop *loop = loop_new();
	struct heard h = { 0 };
	struct conn_set *cs = conn_set_new(loop, &events, &h);
	int lfd, id, i, refused = 0;

	(void)state;
	assert_non_null(mkdtemp(path));
	snprintf(sock, sizeof sock, "%s/s", path);
	snprintf(addr, sizeof addr, "unix:%s", sock);
	lfd = listen_unix(sock);
	id = conn_open(cs, &owner, addr, 2, why, sizeof why);
	assert_int_equal(conn_send(cs, &owner, id, all, CONN_QUEUE_MAX), 0);
	assert_int_equal(conn_send(cs, &owner, id, "x", 1), -1);
	assert_int_equal(errno, ENOBUFS);
	TURN_UNTIL(loop, h.opened == 1);
	/* Up: the kernel takes some, then the queue fills again. */
	for (i = 0; i < 400 && !refused; i++) {
		loop_run_once(loop, 0);
		if (conn_send(cs, &owner, id, chunk, sizeof chunk) == -1) {
			assert_int_equal(errno, ENOBUFS);
			refused = 1;
		}
	}
	assert_true(refused);
	assert_int_equal(conn_close(cs, &owner, id, "test over"), 0);
	assert_non_null(strstr(h.closed, "conn 1 closed: test over (after "));
	assert_int_equal(conn_close(cs, &owner, id, NULL), -1);
	conn_set_free(cs);
	close(lfd);
	unlink(sock);
	rmdir(path);
	loop_free(loop);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_and_close),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_queue_is_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
