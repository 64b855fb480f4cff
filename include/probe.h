/*
 * probe: HTTP checks with libcurl's multi interface, inside tend's loop.
 *
 * libcurl's sockets and timer are registered with the loop
 * (CURLMOPT_SOCKETFUNCTION, CURLMOPT_TIMERFUNCTION), so a probe never
 * blocks: a server that accepts and never answers costs nothing until
 * the probe's timeout ends it.  Many probes run at once; the body is
 * read only as far as the expected substring needs.
 */
#ifndef TEND_PROBE_H
#define TEND_PROBE_H

#include <stdbool.h>
#include <stddef.h>

#include "loop.h"

struct probe_request {
	const char *url;	/* http:// or https:// */
	int want_status;	/* 0: any 2xx or 3xx */
	const char *want_body;	/* substring the body must contain, or NULL */
	double timeout;		/* seconds */
};

struct probe_result {
	bool ok;		/* answered as expected */
	long status;		/* 0 when there was no answer */
	long elapsed_ms;
	size_t body_bytes;
	/* One line for people: "GET http://127.0.0.1:8070/: 200 OK in 4 ms,
	 * 1234 bytes, body contains \"Directory listing\"". */
	char text[512];
};

struct probe_set;

/* Called once per started probe, with the OWNER given to probe_start(). */
typedef void (*probe_done_fn)(void *owner, const struct probe_result *r,
    void *ctx);

/* Returns NULL (with the reason in ERR) when out of memory.  libcurl is
 * set up by the first probe_start(). */
struct probe_set *probe_set_new(struct loop *loop, probe_done_fn done,
    void *ctx, char *err, size_t errsize);
/* Cancels the probes in flight (their callbacks are not called). */
void probe_set_free(struct probe_set *ps);

/* Start probing for OWNER; -1 if OWNER already has a probe in flight or
 * libcurl cannot be set up. */
int probe_start(struct probe_set *ps, void *owner,
    const struct probe_request *req);
bool probe_busy(const struct probe_set *ps, const void *owner);
/* Forget OWNER's probe in flight, if any, without a callback. */
void probe_cancel(struct probe_set *ps, const void *owner);

#endif
