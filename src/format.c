/*
 * format: the words for exit statuses, durations and states.
 *
 * Pure functions of a proc_status and a time: no clock is read here, so
 * what a view shows follows the loop's turn and tests need no sleeping.
 */
#define _GNU_SOURCE
#include "format.h"

#include <stdio.h>
#include <sys/wait.h>

#include "config.h"

void
format_exit(int wait_status, char *buf, size_t size)
{
	if (WIFEXITED(wait_status)) {
		snprintf(buf, size, "exited %d", WEXITSTATUS(wait_status));
	} else if (WIFSIGNALED(wait_status)) {
		int sig = WTERMSIG(wait_status);

		snprintf(buf, size, "killed by SIG%s (rc -%d)%s",
		    config_signal_name(sig), sig,
		    WCOREDUMP(wait_status) ? ", core dumped" : "");
	} else {
		snprintf(buf, size, "ended (status 0x%x)", wait_status);
	}
}

void
format_duration(int64_t ms, char *buf, size_t size)
{
	int64_t s;

	if (ms < 0)
		ms = 0;
	s = ms / 1000;
	if (ms < 10000)
		snprintf(buf, size, "%lld.%llds", (long long)(ms / 1000),
		    (long long)(ms % 1000 / 100));
	else if (s < 60)
		snprintf(buf, size, "%llds", (long long)s);
	else if (s < 3600)
		snprintf(buf, size, "%lldm%02llds", (long long)(s / 60),
		    (long long)(s % 60));
	else if (s < 86400)
		snprintf(buf, size, "%lldh%02lldm", (long long)(s / 3600),
		    (long long)(s % 3600 / 60));
	else
		snprintf(buf, size, "%lldd%02lldh", (long long)(s / 86400),
		    (long long)(s % 86400 / 3600));
}

void
format_state(const struct proc_status *st, int64_t now, char *buf,
    size_t size)
{
	int64_t left;

	if (st->pid != 0 && st->stopped_by != 0 && st->state != PROC_STOPPING) {
		snprintf(buf, size, "stopped (SIG%s)",
		    config_signal_name(st->stopped_by));
		return;
	}
	switch (st->state) {
	case PROC_IDLE:
		snprintf(buf, size, "not started");
		break;
	case PROC_STARTING:
		snprintf(buf, size, "starting");
		break;
	case PROC_RUNNING:
		snprintf(buf, size, "running");
		break;
	case PROC_STOPPING:
		snprintf(buf, size, "stopping");
		break;
	case PROC_EXITED:
		if (st->ended)
			format_exit(st->wait_status, buf, size);
		else
			snprintf(buf, size, "failed to start");
		break;
	case PROC_BACKOFF:
		left = st->restart_at_ms - now;
		snprintf(buf, size, "backoff %llds",
		    (long long)((left > 0 ? left : 0) + 999) / 1000);
		break;
	case PROC_FATAL:
		snprintf(buf, size, "fatal");
		break;
	case PROC_WAITING:
		snprintf(buf, size, "waiting: %s", st->why);
		break;
	case PROC_BLOCKED:
		snprintf(buf, size, "blocked: %s", st->why);
		break;
	}
}

void
format_state_short(const struct proc_status *st, int64_t now, char *buf,
    size_t size)
{
	if (st->state == PROC_EXITED && st->ended &&
	    WIFSIGNALED(st->wait_status))
		snprintf(buf, size, "killed SIG%s",
		    config_signal_name(WTERMSIG(st->wait_status)));
	else if (st->pid != 0 && st->stopped_by != 0 &&
	    st->state != PROC_STOPPING)
		snprintf(buf, size, "stopped");
	else
		format_state(st, now, buf, size);
}

void
format_summary(const char *name, const struct proc_status *st, char *buf,
    size_t size)
{
	char how[128], took[32];

	if (!st->ended) {
		snprintf(buf, size, "%s: %s", name,
		    st->error[0] != '\0' ? st->error : "not started");
		return;
	}
	format_exit(st->wait_status, how, sizeof how);
	format_duration(st->ended_ms - st->started_ms, took, sizeof took);
	snprintf(buf, size, "%s: %s%s after %s", name,
	    st->state == PROC_FATAL ? "fatal, last " : "", how, took);
}
