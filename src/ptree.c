/*
 * ptree: one program's process group and session.
 *
 * Owns nothing but the id and what was learnt about it, and one shared
 * reading of /proc (see ptree_forget).  The /proc scan finds the
 * processes that left the group but not the session.
 */
#define _GNU_SOURCE
#include "ptree.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void
ptree_init(struct ptree *t, pid_t leader)
{
	t->id = leader;
	t->group_gone = leader == 0;
}

/* Field 6 (session) and field 5 (pgrp) of /proc/PID/stat.  The command
 * name in field 2 may hold spaces and parentheses: parse after the last
 * ')'.  Returns 0, or -1 if the process is gone. */
static int
ptree_stat(pid_t pid, pid_t *pgrp, pid_t *session)
{
	char path[64], buf[512], *p;
	int fd, ppid, pg, sid;
	ssize_t n;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	if ((p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 1, " %*c %d %d %d", &ppid, &pg, &sid) != 3)
		return -1;
	*pgrp = pg;
	*session = sid;
	return 0;
}

/* One reading of /proc serves every scan until ptree_forget(): stopping
 * a thousand programs reads it once, not once per signal.  Sorted by
 * session, so a scan finds its session's processes by bisection. */
struct ptree_proc {
	pid_t pid, pgrp, session;
};

static struct {
	struct ptree_proc *procs;
	size_t n, cap;
	bool valid;
} ptree_snap;

void
ptree_forget(void)
{
	ptree_snap.valid = false;
}

static int
ptree_by_session(const void *a, const void *b)
{
	const struct ptree_proc *x = a, *y = b;

	if (x->session != y->session)
		return x->session < y->session ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static bool
ptree_snap_add(pid_t pid, pid_t pgrp, pid_t session)
{
	if (ptree_snap.n == ptree_snap.cap) {
		size_t cap = ptree_snap.cap ? ptree_snap.cap * 2 : 256;
		struct ptree_proc *p = realloc(ptree_snap.procs,
		    cap * sizeof *p);

		if (p == NULL)
			return false;
		ptree_snap.procs = p;
		ptree_snap.cap = cap;
	}
	ptree_snap.procs[ptree_snap.n++] = (struct ptree_proc){ pid, pgrp,
	    session };
	return true;
}

/* Read /proc unless this turn has already.  Returns false if it could
 * not (then scans see nothing, as an unreadable /proc always did). */
static bool
ptree_snap_read(void)
{
	struct dirent *de;
	DIR *d;

	if (ptree_snap.valid)
		return true;
	ptree_snap.n = 0;
	if ((d = opendir("/proc")) == NULL)
		return false;
	while ((de = readdir(d)) != NULL) {
		pid_t pid, pgrp, sid;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		pid = (pid_t)atoi(de->d_name);
		if (ptree_stat(pid, &pgrp, &sid) == 0 &&
		    !ptree_snap_add(pid, pgrp, sid)) {
			closedir(d);
			return false;	/* out of memory: the next scan retries */
		}
	}
	closedir(d);
	qsort(ptree_snap.procs, ptree_snap.n, sizeof *ptree_snap.procs,
	    ptree_by_session);
	ptree_snap.valid = true;
	return true;
}

/* Index of the first process of SESSION in the snapshot (or where it
 * would be). */
static size_t
ptree_snap_first(pid_t session)
{
	size_t lo = 0, hi = ptree_snap.n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ptree_snap.procs[mid].session < session)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Call FN for every process of T's session outside its group; stops
 * early when FN returns false.  Returns how many were seen. */
static size_t
ptree_scan(const struct ptree *t, bool (*fn)(pid_t, void *), void *ctx)
{
	size_t n = 0, i;

	if (t->id == 0 || !ptree_snap_read())
		return 0;
	for (i = ptree_snap_first(t->id); i < ptree_snap.n &&
	    ptree_snap.procs[i].session == t->id; i++) {
		if (ptree_snap.procs[i].pgrp == t->id)
			continue;
		n++;
		if (fn != NULL && !fn(ptree_snap.procs[i].pid, ctx))
			break;
	}
	return n;
}

struct ptree_collect {
	pid_t *pids;
	size_t n, max;
	int sig;		/* 0: only collect */
};

static bool
ptree_visit(pid_t pid, void *ctx)
{
	struct ptree_collect *c = ctx;

	if (c->sig != 0)
		kill(pid, c->sig);
	if (c->n < c->max)
		c->pids[c->n++] = pid;
	return true;
}

size_t
ptree_signal(struct ptree *t, int sig, pid_t *pids, size_t max)
{
	struct ptree_collect c = { pids, 0, max, sig };

	if (t->id == 0)
		return 0;
	if (!t->group_gone && kill(-t->id, sig) == -1 && errno == ESRCH)
		t->group_gone = true;
	return ptree_scan(t, ptree_visit, &c);
}

bool
ptree_alive(struct ptree *t)
{
	if (t->id == 0)
		return false;
	if (!t->group_gone && kill(-t->id, 0) == -1 && errno == ESRCH)
		t->group_gone = true;
	if (!t->group_gone)
		return true;
	if (ptree_scan(t, NULL, NULL) > 0)
		return true;
	t->id = 0;
	return false;
}

size_t
ptree_leftovers(const struct ptree *t, pid_t *pids, size_t max)
{
	struct ptree_collect c = { pids, 0, max, 0 };

	return ptree_scan(t, ptree_visit, &c);
}

void
ptree_comm(pid_t pid, char *buf, size_t size)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(buf, size, "?");
	snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0) {
		snprintf(buf, size, "?");
		return;
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}
