/*
 * probe: the probes in flight, of every kind, driven by the loop.
 *
 * Owns the multi handle, one easy handle per HTTP or TCP probe in flight
 * (a TCP probe is a connect through libcurl, CURLOPT_CONNECT_ONLY: its
 * resolver, threaded or c-ares, runs outside the loop, so no host name
 * is resolved with a blocking getaddrinfo()), the loop watchers for
 * libcurl's sockets and the one timer libcurl asks for, one probecmd per
 * command probe, each probe's deadline on the loop's clock, and the
 * wording of HTTP and TCP results.
 */
#define _GNU_SOURCE
#include "probe.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "curlapi.h"
#include "probecmd.h"

#define PROBE_BODY_MAX (16 * 1024 * 1024)	/* then stop reading */

struct probe {
	struct probe_set *ps;
	void *owner;
	enum probe_kind kind;
	uint64_t deadline;	/* the timer that ends it at its timeout */
	struct probecmd *cmd;	/* PROBE_COMMAND */
	CURL *easy;		/* PROBE_HTTP, PROBE_TCP */
	char *url;
	char *address;		/* PROBE_TCP: as configured */
	char *want_body;
	size_t want_len;
	int want_status;
	double timeout;
	bool body_found;
	size_t body_bytes;
	char *window;		/* the body's last want_len - 1 bytes */
	size_t window_len;
	char reason[64];	/* from the status line */
	struct probe *next;
};

struct probe_set {
	struct loop *loop;
	CURLM *multi;
	uint64_t timer;
	probe_done_fn done;
	void *ctx;
	struct probe *probes;
};

/* libcurl's calls, once the first probe has loaded it. */
static const struct curlapi *probe_curl;

/* --- libcurl callbacks -------------------------------------------------- */

static size_t
probe_header(char *buf, size_t size, size_t n, void *data)
{
	struct probe *pr = data;
	size_t len = size * n, i;

	/* "HTTP/1.1 200 OK\r\n": keep the reason phrase of the last one. */
	if (len > 12 && strncmp(buf, "HTTP/", 5) == 0) {
		const char *sp = memchr(buf, ' ', len);

		sp = sp ? memchr(sp + 1, ' ', len - (size_t)(sp + 1 - buf)) : NULL;
		pr->reason[0] = '\0';
		if (sp != NULL) {
			for (i = 0; i + 1 < sizeof pr->reason && sp + 1 + i <
			    buf + len && sp[1 + i] != '\r' && sp[1 + i] != '\n';
			    i++)
				pr->reason[i] = sp[1 + i];
			pr->reason[i] = '\0';
		}
	}
	return len;
}

/* Look for the wanted text across chunk boundaries without keeping the
 * body: only its last want_len - 1 bytes are carried over. */
static size_t
probe_body(char *buf, size_t size, size_t n, void *data)
{
	struct probe *pr = data;
	size_t len = size * n, keep;
	char *joined;

	pr->body_bytes += len;
	if (pr->body_bytes > PROBE_BODY_MAX)
		return 0;
	if (pr->want_body == NULL || pr->body_found)
		return len;
	joined = malloc(pr->window_len + len);
	if (joined == NULL)
		return 0;
	memcpy(joined, pr->window, pr->window_len);
	memcpy(joined + pr->window_len, buf, len);
	if (memmem(joined, pr->window_len + len, pr->want_body,
	    pr->want_len) != NULL)
		pr->body_found = true;
	keep = pr->want_len - 1;
	if (keep > pr->window_len + len)
		keep = pr->window_len + len;
	memcpy(pr->window, joined + pr->window_len + len - keep, keep);
	pr->window_len = keep;
	free(joined);
	return len;
}

/* tend's rule: every fd it holds is close-on-exec. */
static int
probe_sockopt(void *data, curl_socket_t fd, curlsocktype purpose)
{
	(void)data;
	(void)purpose;
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	return CURL_SOCKOPT_OK;
}

static void probe_check_done(struct probe_set *ps);

static void
probe_socket_ready(struct loop *loop, int fd, int events, void *data)
{
	struct probe_set *ps = data;
	int running, mask = 0;

	(void)loop;
	if (events & LOOP_READ)
		mask |= CURL_CSELECT_IN;
	if (events & LOOP_WRITE)
		mask |= CURL_CSELECT_OUT;
	if (events & LOOP_ERROR)
		mask |= CURL_CSELECT_ERR;
	probe_curl->multi_socket_action(ps->multi, fd, mask, &running);
	probe_check_done(ps);
}

static int
probe_socket_cb(CURL *easy, curl_socket_t fd, int what, void *data,
    void *socketp)
{
	struct probe_set *ps = data;

	(void)easy;
	(void)socketp;
	if (what == CURL_POLL_REMOVE) {
		loop_del_fd(ps->loop, fd);
		return 0;
	}
	loop_add_fd(ps->loop, fd, ((what & CURL_POLL_IN) ? LOOP_READ : 0) |
	    ((what & CURL_POLL_OUT) ? LOOP_WRITE : 0), probe_socket_ready, ps);
	return 0;
}

static void
probe_timer_fired(struct loop *loop, void *data)
{
	struct probe_set *ps = data;
	int running;

	(void)loop;
	ps->timer = 0;
	probe_curl->multi_socket_action(ps->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	probe_check_done(ps);
}

static int
probe_timer_cb(CURLM *multi, long ms, void *data)
{
	struct probe_set *ps = data;

	(void)multi;
	if (ps->timer != 0) {
		loop_del_timer(ps->loop, ps->timer);
		ps->timer = 0;
	}
	if (ms >= 0)
		ps->timer = loop_add_timer(ps->loop, ms, probe_timer_fired, ps);
	return 0;
}

/* --- results ------------------------------------------------------------ */

/* "GET http://...", "connect 127.0.0.1:5432": what the probe did. */
static const char *
probe_verb(const struct probe *pr)
{
	return pr->kind == PROBE_TCP ? "connect" : "GET";
}

static const char *
probe_target(const struct probe *pr)
{
	return pr->kind == PROBE_TCP ? pr->address : pr->url;
}

static void
probe_describe_failure(const struct probe *pr, CURLcode rc, char *buf,
    size_t size)
{
	long os_errno = 0;

	probe_curl->easy_getinfo(pr->easy, CURLINFO_OS_ERRNO, &os_errno);
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
		snprintf(buf, size, "%s", os_errno == ECONNREFUSED ?
		    "connection refused" : os_errno != 0 ? strerror((int)os_errno)
		    : "cannot connect");
		break;
	case CURLE_OPERATION_TIMEDOUT:
		snprintf(buf, size, "timed out after %g s", pr->timeout);
		break;
	case CURLE_COULDNT_RESOLVE_HOST:
		snprintf(buf, size, "DNS failure: cannot resolve the host");
		break;
	case CURLE_WRITE_ERROR:
		snprintf(buf, size, "body larger than %d MiB",
		    PROBE_BODY_MAX >> 20);
		break;
	default:
		snprintf(buf, size, "%s", probe_curl->easy_strerror(rc));
		break;
	}
}

static bool
probe_status_ok(const struct probe *pr, long status)
{
	if (pr->want_status != 0)
		return status == pr->want_status;
	return status >= 200 && status < 400;
}

/* A connect that got through. */
static void
probe_tcp_result(struct probe *pr, struct probe_result *r)
{
	curl_off_t us = 0;

	probe_curl->easy_getinfo(pr->easy, CURLINFO_CONNECT_TIME_T, &us);
	r->elapsed_ms = (long)(us / 1000);
	r->ok = true;
	snprintf(r->brief, sizeof r->brief, "connected");
	snprintf(r->text, sizeof r->text, "connect %s: connected in %ld ms",
	    pr->address, r->elapsed_ms);
}

static void
probe_result(struct probe *pr, CURLcode rc, struct probe_result *r)
{
	curl_off_t us = 0;
	char what[256];
	int n;

	memset(r, 0, sizeof r[0]);
	probe_curl->easy_getinfo(pr->easy, CURLINFO_TOTAL_TIME_T, &us);
	r->elapsed_ms = (long)(us / 1000);
	r->body_bytes = pr->body_bytes;
	if (rc != CURLE_OK) {
		probe_describe_failure(pr, rc, what, sizeof what);
		snprintf(r->text, sizeof r->text, "%s %s: %s", probe_verb(pr),
		    probe_target(pr), what);
		return;
	}
	if (pr->kind == PROBE_TCP) {
		probe_tcp_result(pr, r);
		return;
	}
	probe_curl->easy_getinfo(pr->easy, CURLINFO_RESPONSE_CODE, &r->status);
	snprintf(r->brief, sizeof r->brief, "%ld", r->status);
	n = snprintf(r->text, sizeof r->text, "GET %s: %ld%s%s in %ld ms, %zu "
	    "bytes", pr->url, r->status, pr->reason[0] ? " " : "", pr->reason,
	    r->elapsed_ms, pr->body_bytes);
	r->ok = probe_status_ok(pr, r->status) &&
	    (pr->want_body == NULL || pr->body_found);
	if (!probe_status_ok(pr, r->status) && pr->want_status != 0)
		n += snprintf(r->text + n, sizeof r->text - (size_t)n,
		    "; expected %d", pr->want_status);
	else if (!probe_status_ok(pr, r->status))
		n += snprintf(r->text + n, sizeof r->text - (size_t)n,
		    "; expected 2xx or 3xx");
	if (pr->want_body != NULL && n > 0 && (size_t)n < sizeof r->text)
		snprintf(r->text + n, sizeof r->text - (size_t)n,
		    pr->body_found ? ", body contains \"%s\"" :
		    "; body did not contain \"%s\"", pr->want_body);
}

/* --- one probe ------------------------------------------------------------ */

static void
probe_free(struct probe *pr)
{
	if (pr->easy != NULL) {
		probe_curl->multi_remove_handle(pr->ps->multi, pr->easy);
		probe_curl->easy_cleanup(pr->easy);
	}
	probecmd_free(pr->cmd);
	loop_del_timer(pr->ps->loop, pr->deadline);
	free(pr->url);
	free(pr->address);
	free(pr->want_body);
	free(pr->window);
	free(pr);
}

static void
probe_unlink(struct probe_set *ps, struct probe *pr)
{
	struct probe **pp;

	for (pp = &ps->probes; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == pr) {
			*pp = pr->next;
			return;
		}
	}
}

/* PR is over with R: freed before the callback, which may start the
 * owner's next one. */
static void
probe_finish(struct probe_set *ps, struct probe *pr,
    const struct probe_result *r)
{
	void *owner = pr->owner;

	probe_unlink(ps, pr);
	probe_free(pr);
	ps->done(owner, r, ps->ctx);
}

static void
probe_check_done(struct probe_set *ps)
{
	struct probe_result r;
	struct probe *pr;
	CURLMsg *msg;
	int left;

	while ((msg = probe_curl->multi_info_read(ps->multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		probe_curl->easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &pr);
		probe_result(pr, msg->data.result, &r);
		probe_finish(ps, pr, &r);
	}
}

/* probe_timeout on the loop's clock, for every kind (libcurl's own
 * timeout, measured on the real clock, is there as well: whichever comes
 * first says the same). */
static void
probe_deadline_fired(struct loop *loop, void *data)
{
	struct probe *pr = data;
	struct probe_result r;

	(void)loop;
	pr->deadline = 0;
	if (pr->kind == PROBE_COMMAND) {
		probecmd_timed_out(pr->cmd, pr->timeout, &r);
	} else {
		memset(&r, 0, sizeof r);
		r.elapsed_ms = (long)(pr->timeout * 1000);
		r.body_bytes = pr->body_bytes;
		snprintf(r.text, sizeof r.text, "%s %s: timed out after %g s",
		    probe_verb(pr), probe_target(pr), pr->timeout);
	}
	probe_finish(pr->ps, pr, &r);
}

/* --- the set -------------------------------------------------------------- */

struct probe_set *
probe_set_new(struct loop *loop, probe_done_fn done, void *ctx, char *err,
    size_t errsize)
{
	struct probe_set *ps = calloc(1, sizeof *ps);

	if (ps == NULL) {
		snprintf(err, errsize, "out of memory");
		return NULL;
	}
	ps->loop = loop;
	ps->done = done;
	ps->ctx = ctx;
	return ps;
}

/* libcurl is loaded at the first probe that needs it, not at start (see
 * curlapi.h). */
static int
probe_set_ready(struct probe_set *ps, char *err, size_t errsize)
{
	if (ps->multi != NULL)
		return 0;
	if (probe_curl == NULL &&
	    (probe_curl = curlapi_get(err, errsize)) == NULL)
		return -1;
	if ((ps->multi = probe_curl->multi_init()) == NULL) {
		snprintf(err, errsize, "cannot set up libcurl");
		return -1;
	}
	probe_curl->multi_setopt(ps->multi, CURLMOPT_SOCKETFUNCTION, probe_socket_cb);
	probe_curl->multi_setopt(ps->multi, CURLMOPT_SOCKETDATA, ps);
	probe_curl->multi_setopt(ps->multi, CURLMOPT_TIMERFUNCTION, probe_timer_cb);
	probe_curl->multi_setopt(ps->multi, CURLMOPT_TIMERDATA, ps);
	return 0;
}

void
probe_set_free(struct probe_set *ps)
{
	if (ps == NULL)
		return;
	while (ps->probes != NULL) {
		struct probe *pr = ps->probes;

		ps->probes = pr->next;
		probe_free(pr);
	}
	if (ps->timer != 0)
		loop_del_timer(ps->loop, ps->timer);
	if (ps->multi != NULL)
		probe_curl->multi_cleanup(ps->multi);
	free(ps);
}

static struct probe *
probe_find(const struct probe_set *ps, const void *owner)
{
	struct probe *pr;

	for (pr = ps->probes; pr != NULL; pr = pr->next) {
		if (pr->owner == owner)
			return pr;
	}
	return NULL;
}

bool
probe_busy(const struct probe_set *ps, const void *owner)
{
	return probe_find(ps, owner) != NULL;
}

void
probe_cancel(struct probe_set *ps, const void *owner)
{
	struct probe *pr = probe_find(ps, owner);

	if (pr != NULL) {
		probe_unlink(ps, pr);
		probe_free(pr);
	}
}

bool
probe_reaped(struct probe_set *ps, pid_t pid, int status)
{
	struct probe_result r;
	struct probe *pr;

	for (pr = ps->probes; pr != NULL; pr = pr->next) {
		if (pr->cmd != NULL && probecmd_pid(pr->cmd) == pid)
			break;
	}
	if (pr == NULL || pid <= 0)
		return false;
	if (probecmd_reaped(pr->cmd, status, &r))
		probe_finish(ps, pr, &r);
	return true;
}

/* --- starting ------------------------------------------------------------- */

static void
probe_setup_easy(struct probe *pr)
{
	CURL *e = pr->easy;

	probe_curl->easy_setopt(e, CURLOPT_URL, pr->url);
	probe_curl->easy_setopt(e, CURLOPT_PRIVATE, pr);
	probe_curl->easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	probe_curl->easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	probe_curl->easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)(pr->timeout * 1000));
	probe_curl->easy_setopt(e, CURLOPT_SOCKOPTFUNCTION, probe_sockopt);
	if (pr->kind == PROBE_TCP) {
		/* Connect, send nothing; directly (no http_proxy), and anew
		 * each time (no connection kept from before). */
		probe_curl->easy_setopt(e, CURLOPT_CONNECT_ONLY, 1L);
		probe_curl->easy_setopt(e, CURLOPT_NOPROXY, "*");
		probe_curl->easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
		probe_curl->easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
		return;
	}
	probe_curl->easy_setopt(e, CURLOPT_USERAGENT, "tend-probe");
	probe_curl->easy_setopt(e, CURLOPT_HEADERFUNCTION, probe_header);
	probe_curl->easy_setopt(e, CURLOPT_HEADERDATA, pr);
	probe_curl->easy_setopt(e, CURLOPT_WRITEFUNCTION, probe_body);
	probe_curl->easy_setopt(e, CURLOPT_WRITEDATA, pr);
}

/* A host name (letters, digits, '.', '-', '_') or an IP address; an
 * IPv6 address in brackets or not. */
static bool
probe_host_ok(const char *host, size_t len, bool v6)
{
	size_t i;

	if (len == 0)
		return false;
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)host[i];

		if (v6 ? !(isxdigit(ch) || ch == ':' || ch == '.') :
		    !(isalnum(ch) || ch == '.' || ch == '-' || ch == '_'))
			return false;
	}
	return true;
}

/* "http://HOST:PORT/" for ADDRESS, with an IPv6 address in brackets;
 * NULL with the reason in ERR. */
static char *
probe_tcp_url(const char *address, char *err, size_t errsize)
{
	const char *colon = strrchr(address, ':');
	const char *host = address;
	size_t len = colon != NULL ? (size_t)(colon - address) : 0;
	bool bracketed = len >= 2 && host[0] == '[' && host[len - 1] == ']';
	char *url;

	if (bracketed) {
		host++;
		len -= 2;
	}
	if (colon == NULL || !probe_host_ok(host, len, bracketed ||
	    memchr(host, ':', len) != NULL)) {
		snprintf(err, errsize, "probe_tcp: '%s' is not HOST:PORT with a "
		    "host name or an IP address", address);
		return NULL;
	}
	if (asprintf(&url, memchr(host, ':', len) != NULL ? "http://[%.*s]%s/" :
	    "http://%.*s%s/", (int)len, host, colon) == -1) {
		snprintf(err, errsize, "out of memory");
		return NULL;
	}
	return url;
}

static int
probe_start_curl(struct probe_set *ps, struct probe *pr,
    const struct probe_request *req, char *err, size_t errsize)
{
	bool body = req->kind == PROBE_HTTP && req->want_body != NULL &&
	    req->want_body[0] != '\0';

	if (req->kind == PROBE_TCP) {
		if ((pr->url = probe_tcp_url(req->address, err, errsize)) == NULL)
			return -1;
		pr->address = strdup(req->address);
	} else {
		pr->url = strdup(req->url);
		pr->want_status = req->want_status;
	}
	if (body) {
		pr->want_body = strdup(req->want_body);
		pr->want_len = strlen(req->want_body);
		pr->window = malloc(pr->want_len);
	}
	if (pr->url == NULL || (req->kind == PROBE_TCP && pr->address == NULL) ||
	    (body && (pr->want_body == NULL || pr->window == NULL))) {
		snprintf(err, errsize, "out of memory");
		return -1;
	}
	if (probe_set_ready(ps, err, errsize) == -1)
		return -1;
	if ((pr->easy = probe_curl->easy_init()) == NULL) {
		snprintf(err, errsize, "cannot set up libcurl");
		return -1;
	}
	probe_setup_easy(pr);
	return 0;
}

int
probe_start(struct probe_set *ps, void *owner, const struct probe_request *req,
    char *err, size_t errsize)
{
	struct probe *pr;

	if (probe_busy(ps, owner)) {
		snprintf(err, errsize, "a probe is in flight already");
		return -1;
	}
	pr = calloc(1, sizeof *pr);
	if (pr == NULL) {
		snprintf(err, errsize, "out of memory");
		return -1;
	}
	pr->ps = ps;
	pr->owner = owner;
	pr->kind = req->kind;
	pr->timeout = req->timeout > 0 ? req->timeout : 2;
	if (req->kind == PROBE_COMMAND) {
		if ((pr->cmd = probecmd_start(ps->loop, req, err,
		    errsize)) == NULL) {
			probe_free(pr);
			return -1;
		}
	} else if (probe_start_curl(ps, pr, req, err, errsize) == -1) {
		probe_free(pr);
		return -1;
	}
	pr->deadline = loop_add_timer(ps->loop, (int64_t)(pr->timeout * 1000),
	    probe_deadline_fired, pr);
	pr->next = ps->probes;
	ps->probes = pr;
	if (pr->deadline == 0 || (pr->easy != NULL &&
	    probe_curl->multi_add_handle(ps->multi, pr->easy) != CURLM_OK)) {
		snprintf(err, errsize, pr->deadline == 0 ? "out of memory" :
		    "cannot start a transfer with libcurl");
		probe_unlink(ps, pr);
		probe_free(pr);
		return -1;
	}
	return 0;
}
