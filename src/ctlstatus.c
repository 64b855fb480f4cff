/*
 * ctlstatus: the status of every program, as text or as JSON.
 */
#define _GNU_SOURCE
#include "ctlstatus.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "format.h"
#include "stats.h"

static const char *const ctlstatus_states[] = {
	[PROC_IDLE] = "idle", [PROC_STARTING] = "starting",
	[PROC_RUNNING] = "running", [PROC_STOPPING] = "stopping",
	[PROC_EXITED] = "exited", [PROC_BACKOFF] = "backoff",
	[PROC_FATAL] = "fatal", [PROC_WAITING] = "waiting",
	[PROC_BLOCKED] = "blocked",
};

static const char *const ctlstatus_health[] = {
	[HEALTH_NONE] = "none", [HEALTH_WAITING] = "waiting",
	[HEALTH_READY] = "ready", [HEALTH_UNHEALTHY] = "unhealthy",
};

/* The wall-clock time of a start: ISO 8601 with the local offset. */
static void
ctlstatus_since(int64_t started_wall_ms, char *buf, size_t size)
{
	time_t t = (time_t)(started_wall_ms / 1000);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%S%z", &tm);
}

/* One JSON object being built, member by member. */
struct ctlstatus_json {
	char buf[2048];
	size_t len;
};

static void __attribute__((format(printf, 2, 3)))
ctlstatus_put(struct ctlstatus_json *j, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (j->len >= sizeof j->buf)
		return;
	va_start(ap, fmt);
	n = vsnprintf(j->buf + j->len, sizeof j->buf - j->len, fmt, ap);
	va_end(ap);
	j->len += n > 0 ? (size_t)n : 0;
}

/* "KEY":"VALUE" (escaped), or "KEY":null when VALUE is NULL. */
static void
ctlstatus_str(struct ctlstatus_json *j, const char *key, const char *value)
{
	const unsigned char *p = (const unsigned char *)value;

	ctlstatus_put(j, "%s\"%s\":", j->len > 1 ? "," : "", key);
	if (value == NULL) {
		ctlstatus_put(j, "null");
		return;
	}
	ctlstatus_put(j, "\"");
	for (; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			ctlstatus_put(j, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			ctlstatus_put(j, "\\u%04x", *p);
		else
			ctlstatus_put(j, "%c", *p);
	}
	ctlstatus_put(j, "\"");
}

/* "KEY":N, or "KEY":null when not SET. */
static void
ctlstatus_int(struct ctlstatus_json *j, const char *key, long long n,
    bool set)
{
	ctlstatus_put(j, "%s\"%s\":", j->len > 1 ? "," : "", key);
	if (set)
		ctlstatus_put(j, "%lld", n);
	else
		ctlstatus_put(j, "null");
}

/* "cpu_percent":12.5, or null before a figure is known. */
static void
ctlstatus_cpu(struct ctlstatus_json *j, const struct engine_stats *s)
{
	ctlstatus_put(j, ",\"cpu_percent\":");
	if (s->known && s->cpu_known)
		ctlstatus_put(j, "%.1f", s->cpu_percent);
	else
		ctlstatus_put(j, "null");
}

static void
ctlstatus_json_one(struct engine *e, const struct proc *p, bool last,
    ctl_emit_fn emit, void *ctx)
{
	const struct proc_status *st = proc_status(p);
	int64_t now = loop_now(engine_loop(e));
	struct ctlstatus_json j = { .len = 0 };
	char text[256], since[64], sig[32];
	bool up = st->pid != 0;

	format_state(st, now, text, sizeof text);
	if (up)
		ctlstatus_since(st->started_wall_ms, since, sizeof since);
	if (st->stopped_by != 0)
		snprintf(sig, sizeof sig, "SIG%s",
		    config_signal_name(st->stopped_by));
	ctlstatus_put(&j, "{");
	ctlstatus_str(&j, "name", proc_name(p));
	ctlstatus_str(&j, "state", ctlstatus_states[st->state]);
	ctlstatus_str(&j, "text", text);
	ctlstatus_int(&j, "pid", st->pid, up);
	ctlstatus_str(&j, "since", up ? since : NULL);
	ctlstatus_int(&j, "uptime_s", (now - st->started_ms) / 1000, up);
	ctlstatus_str(&j, "stopped_by", st->stopped_by ? sig : NULL);
	ctlstatus_str(&j, "health", ctlstatus_health[engine_health(e, p)->state]);
	ctlstatus_int(&j, "restarts", st->starts > 0 ? st->starts - 1 : 0, true);
	ctlstatus_cpu(&j, engine_stats(e, p));
	ctlstatus_int(&j, "rss_bytes", (long long)engine_stats(e, p)->rss_bytes,
	    engine_stats(e, p)->known);
	ctlstatus_int(&j, "exit_code", WEXITSTATUS(st->wait_status),
	    st->ended && WIFEXITED(st->wait_status));
	snprintf(sig, sizeof sig, "SIG%s",
	    config_signal_name(WTERMSIG(st->wait_status)));
	ctlstatus_str(&j, "exit_signal", st->ended &&
	    WIFSIGNALED(st->wait_status) ? sig : NULL);
	ctlstatus_put(&j, ",\"failed\":%s}%s", st->failed ? "true" : "false",
	    last ? "" : ",");
	emit(ctx, 'o', j.buf, j.len < sizeof j.buf ? j.len : sizeof j.buf - 1);
}

static void
ctlstatus_text_one(struct engine *e, const struct proc *p, int width,
    ctl_emit_fn emit, void *ctx)
{
	const struct proc_status *st = proc_status(p);
	const struct engine_stats *s = engine_stats(e, p);
	char line[1024], text[256], since[64] = "-", pid[32] = "-", h[192];
	char cost[64] = "", rss[16];
	struct tm tm;
	time_t t;

	format_state(st, loop_now(engine_loop(e)), text, sizeof text);
	if (st->pid != 0) {
		snprintf(pid, sizeof pid, "%d", (int)st->pid);
		t = (time_t)(st->started_wall_ms / 1000);
		localtime_r(&t, &tm);
		strftime(since, sizeof since, "%H:%M:%S", &tm);
	}
	engine_describe_health(e, p, h, sizeof h);
	if (s->known) {
		stats_format_bytes(s->rss_bytes, rss, sizeof rss);
		if (s->cpu_known)
			snprintf(cost, sizeof cost, "  cpu %.1f%%  rss %s",
			    s->cpu_percent, rss);
		else
			snprintf(cost, sizeof cost, "  rss %s", rss);
	}
	snprintf(line, sizeof line, "%-*s  %-18s  pid %-7s  since %-8s  "
	    "restarts %d%s%s%s", width, proc_name(p), text, pid, since,
	    st->starts > 0 ? st->starts - 1 : 0, h[0] ? "  " : "", h, cost);
	emit(ctx, 'o', line, strlen(line));
}

void
ctlstatus_emit(struct engine *e, bool json, ctl_emit_fn emit, void *ctx)
{
	size_t i, n = engine_count(e);
	int width = 4;

	engine_stats_refresh(e);
	for (i = 0; i < n; i++) {
		int len = (int)strlen(proc_name(engine_program(e, i)));

		width = len > width ? len : width;
	}
	if (json)
		emit(ctx, 'o', "[", 1);
	for (i = 0; i < n; i++) {
		if (json)
			ctlstatus_json_one(e, engine_program(e, i), i + 1 == n,
			    emit, ctx);
		else
			ctlstatus_text_one(e, engine_program(e, i), width, emit,
			    ctx);
	}
	if (json)
		emit(ctx, 'o', "]", 1);
}
