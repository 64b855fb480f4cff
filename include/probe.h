/*
 * probe: readiness and health checks inside tend's loop, of three kinds.
 *
 * HTTP: a GET through libcurl's multi interface, whose sockets and timer
 * are registered with the loop (CURLMOPT_SOCKETFUNCTION,
 * CURLMOPT_TIMERFUNCTION); the body is read only as far as the expected
 * substring needs.  TCP: a connect, the same way (libcurl's
 * CURLOPT_CONNECT_ONLY): its resolver works in the background, so a
 * host name costs the loop nothing either.  Command: `$shell -c COMMAND`
 * as a child (probecmd.h), over when it exits.
 *
 * None of them blocks: a server that accepts and never answers, or a
 * command that hangs, costs nothing until the probe's timeout, measured
 * on the loop's clock, ends it.  Many probes run at once.
 */
#ifndef TEND_PROBE_H
#define TEND_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "loop.h"

enum probe_kind {
	PROBE_HTTP,		/* a GET of url */
	PROBE_COMMAND,		/* command exits 0 */
	PROBE_TCP,		/* a connect to address succeeds */
};

struct probe_request {
	enum probe_kind kind;
	double timeout;		/* seconds, for every kind */
	/* PROBE_HTTP */
	const char *url;	/* http:// or https:// */
	int want_status;	/* 0: any 2xx or 3xx */
	const char *want_body;	/* substring the body must contain, or NULL */
	/* PROBE_COMMAND: run as spawn.h runs a program */
	const char *command;
	const char *shell;
	const char *dir;
	char *const *env;	/* "KEY=value" laid over tend's, or NULL */
	/* PROBE_TCP */
	const char *address;	/* "HOST:PORT" or "[v6]:PORT" */
};

#define PROBE_TEXT_MAX 2048

struct probe_result {
	bool ok;		/* answered as expected */
	long status;		/* the HTTP status; 0 when there was no
				   answer, and for the other kinds */
	long elapsed_ms;
	size_t body_bytes;	/* of the HTTP body, or the command's output */
	/* A word or two for a title: "200", "exited 2", "connected"; ""
	 * when there was no answer (refused, timed out). */
	char brief[64];
	/* One line for people: "GET http://127.0.0.1:8070/: 200 OK in 4 ms,
	 * 1234 bytes, body contains \"Directory listing\"", "pg_isready -q
	 * exited 2: <its output>", "connect 127.0.0.1:5432: connection
	 * refused". */
	char text[PROBE_TEXT_MAX];
};

struct probe_set;

/* Called once per started probe, with the OWNER given to probe_start(). */
typedef void (*probe_done_fn)(void *owner, const struct probe_result *r,
    void *ctx);

/* Returns NULL (with the reason in ERR) when out of memory.  libcurl is
 * set up by the first HTTP or TCP probe. */
struct probe_set *probe_set_new(struct loop *loop, probe_done_fn done,
    void *ctx, char *err, size_t errsize);
/* Cancels the probes in flight (their callbacks are not called). */
void probe_set_free(struct probe_set *ps);

/* Start probing for OWNER; -1 with the reason in ERR if OWNER already
 * has a probe in flight or it cannot start (libcurl cannot be set up,
 * no fds for a command, an address that is no host). */
int probe_start(struct probe_set *ps, void *owner,
    const struct probe_request *req, char *err, size_t errsize);
bool probe_busy(const struct probe_set *ps, const void *owner);
/* Forget OWNER's probe in flight, if any, without a callback (a
 * command's process group is killed). */
void probe_cancel(struct probe_set *ps, const void *owner);

/* A child that is not a program's was reaped with waitpid() STATUS: true
 * if it is a probe command's (whose result then comes, if it ended). */
bool probe_reaped(struct probe_set *ps, pid_t pid, int status);

#endif
