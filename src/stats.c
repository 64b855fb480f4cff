/*
 * stats: one scan of /proc, summed per program.
 *
 * Owns the table of processes of the last scan (kept from one scan to
 * the next so a sample allocates nothing once it has grown) and nothing
 * else: the engine keeps the samples and works out CPU % from them.
 */
#define _GNU_SOURCE
#include "stats.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define STATS_DEPTH 64		/* ppid links followed, at most */
#define STATS_NONE ((size_t)-1)
#define STATS_UNKNOWN ((size_t)-2)

static struct {
	struct stats_task *tasks;
	size_t *owner;		/* per task: its tree's index, or NONE */
	size_t n, cap;
} stats;

int
stats_parse(const char *buf, size_t len, struct stats_task *t)
{
	char line[1024];
	const char *close;
	unsigned long long ut, st, rss;
	long long cut, cst, threads;
	int pid, ppid, sid;

	if (len == 0 || len >= sizeof line)
		return -1;
	memcpy(line, buf, len);
	line[len] = '\0';
	if (sscanf(line, "%d (", &pid) != 1 ||
	    (close = strrchr(line, ')')) == NULL)
		return -1;
	/* state ppid pgrp session tty tpgid flags minflt cminflt majflt
	 * cmajflt utime stime cutime cstime priority nice threads
	 * itrealvalue starttime vsize rss */
	if (sscanf(close + 1, " %*c %d %*d %d %*d %*d %*u %*u %*u %*u %*u "
	    "%llu %llu %lld %lld %*d %*d %lld %*d %*u %*u %llu", &ppid, &sid,
	    &ut, &st, &cut, &cst, &threads, &rss) != 8)
		return -1;
	t->pid = pid;
	t->ppid = ppid;
	t->sid = sid;
	t->ticks = ut + st + (uint64_t)(cut > 0 ? cut : 0) +
	    (uint64_t)(cst > 0 ? cst : 0);
	t->rss_pages = rss;
	t->threads = (long)threads;
	return 0;
}

double
stats_cpu_percent(uint64_t ticks0, uint64_t ticks1, int64_t ms, long hz)
{
	if (ms <= 0 || hz <= 0)
		return -1;
	if (ticks1 <= ticks0)
		return 0;
	return (double)(ticks1 - ticks0) * 1000.0 * 100.0 / (double)hz /
	    (double)ms;
}

long
stats_hz(void)
{
	static long hz;

	if (hz == 0 && (hz = sysconf(_SC_CLK_TCK)) <= 0)
		hz = 100;
	return hz;
}

static long
stats_page_size(void)
{
	static long size;

	if (size == 0 && (size = sysconf(_SC_PAGESIZE)) <= 0)
		size = 4096;
	return size;
}

void
stats_format_bytes(uint64_t bytes, char *buf, size_t size)
{
	double v = (double)bytes;

	if (bytes < 1024 * 1024)
		snprintf(buf, size, "%lluK", (unsigned long long)(bytes / 1024));
	else if (bytes < 1024ull * 1024 * 1024)
		snprintf(buf, size, v < 100 * 1048576.0 ? "%.1fM" : "%.0fM",
		    v / 1048576.0);
	else
		snprintf(buf, size, "%.1fG", v / 1073741824.0);
}

/* /proc/PID/stat of the process named NAME into T. */
static int
stats_read(const char *name, struct stats_task *t)
{
	char path[64], buf[1024];
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "/proc/%s/stat", name);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	return n > 0 ? stats_parse(buf, (size_t)n, t) : -1;
}

static int
stats_grow(void)
{
	size_t cap = stats.cap ? stats.cap * 2 : 512;
	struct stats_task *t = realloc(stats.tasks, cap * sizeof *t);
	size_t *o;

	if (t == NULL)
		return -1;
	stats.tasks = t;
	if ((o = realloc(stats.owner, cap * sizeof *o)) == NULL)
		return -1;
	stats.owner = o;
	stats.cap = cap;
	return 0;
}

/* Every process there is, into stats.tasks (in /proc's order, which is
 * by pid). */
static int
stats_read_all(void)
{
	struct dirent *de;
	DIR *d;

	stats.n = 0;
	if ((d = opendir("/proc")) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		if (stats.n == stats.cap && stats_grow() == -1)
			break;
		if (stats_read(de->d_name, &stats.tasks[stats.n]) == 0)
			stats.n++;
	}
	closedir(d);
	return 0;
}

static int
stats_by_pid(const void *a, const void *b)
{
	pid_t x = ((const struct stats_task *)a)->pid;
	pid_t y = ((const struct stats_task *)b)->pid;

	return (x > y) - (x < y);
}

static size_t
stats_find_task(pid_t pid)
{
	struct stats_task key = { .pid = pid };
	struct stats_task *t = bsearch(&key, stats.tasks, stats.n,
	    sizeof key, stats_by_pid);

	return t != NULL ? (size_t)(t - stats.tasks) : STATS_NONE;
}

/* The tree whose leader is session SID, or NONE. */
static size_t
stats_find_tree(const struct stats_tree *trees, size_t n, pid_t sid)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (trees[i].leader != 0 && trees[i].leader == sid)
			return i;
	}
	return STATS_NONE;
}

/* The tree task I belongs to: its session's, else its parent's.  The
 * chain walked is remembered for every task on it. */
static size_t
stats_owner(const struct stats_tree *trees, size_t n, size_t i)
{
	size_t chain[STATS_DEPTH], len = 0, k, found = STATS_NONE;

	while (i != STATS_NONE && len < STATS_DEPTH) {
		if (stats.owner[i] != STATS_UNKNOWN) {
			found = stats.owner[i];
			break;
		}
		chain[len++] = i;
		found = stats_find_tree(trees, n, stats.tasks[i].sid);
		if (found != STATS_NONE || stats.tasks[i].ppid <= 1)
			break;
		i = stats_find_task(stats.tasks[i].ppid);
	}
	for (k = 0; k < len; k++)
		stats.owner[chain[k]] = found;
	return found;
}

/* --- the walk down from each leader ------------------------------------ */

/* Pids to visit, a stack kept from one scan to the next. */
static struct {
	pid_t *pids;
	size_t n, cap;
} stats_todo;

static int
stats_push(pid_t pid)
{
	if (stats_todo.n == stats_todo.cap) {
		size_t cap = stats_todo.cap ? stats_todo.cap * 2 : 256;
		pid_t *p = realloc(stats_todo.pids, cap * sizeof *p);

		if (p == NULL)
			return -1;
		stats_todo.pids = p;
		stats_todo.cap = cap;
	}
	stats_todo.pids[stats_todo.n++] = pid;
	return 0;
}

/* Push the children PID's thread TID forked, from
 * /proc/PID/task/TID/children ("12 34 56 ").  A pid cut at the end of
 * one read() is carried into the next. */
static void
stats_push_thread_children(pid_t pid, const char *tid)
{
	char path[320], buf[4096];
	size_t have = 0, i;
	ssize_t len;
	long v = 0;
	bool in = false;
	int fd;

	snprintf(path, sizeof path, "/proc/%d/task/%s/children", (int)pid,
	    tid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return;
	while ((len = read(fd, buf, sizeof buf)) > 0) {
		have = (size_t)len;
		for (i = 0; i < have; i++) {
			if (isdigit((unsigned char)buf[i])) {
				v = v * 10 + (buf[i] - '0');
				in = true;
			} else if (in) {
				stats_push((pid_t)v);
				v = 0;
				in = false;
			}
		}
	}
	if (in)
		stats_push((pid_t)v);
	close(fd);
}

/* Push the children of every thread of PID (a child belongs to the
 * thread that forked it); THREADS 1: only the main one, without listing
 * the threads. */
static void
stats_push_children(pid_t pid, long threads)
{
	char path[64], tid[24];
	struct dirent *de;
	DIR *d;

	if (threads == 1) {
		snprintf(tid, sizeof tid, "%d", (int)pid);
		stats_push_thread_children(pid, tid);
		return;
	}
	snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
	if ((d = opendir(path)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (isdigit((unsigned char)de->d_name[0]))
			stats_push_thread_children(pid, de->d_name);
	}
	closedir(d);
}

/* Add ROOT and every process below it to TREE. */
static void
stats_walk(struct stats_tree *tree, pid_t root, uint64_t page)
{
	struct stats_task t;
	char name[24];
	size_t seen = 0;

	stats_todo.n = 0;
	stats_push(root);
	/* Bounded: a pid reused into a loop cannot keep the walk going. */
	while (stats_todo.n > 0 && seen++ < 65536) {
		pid_t pid = stats_todo.pids[--stats_todo.n];

		snprintf(name, sizeof name, "%d", (int)pid);
		if (stats_read(name, &t) == -1)
			continue;	/* gone meanwhile */
		tree->ticks += t.ticks;
		tree->rss_bytes += t.rss_pages * page;
		tree->nprocs++;
		stats_push_children(pid, t.threads);
	}
}

/* Whether this kernel lists children (CONFIG_PROC_CHILDREN). */
static bool
stats_can_walk(void)
{
	static int can = -1;
	char path[64];

	if (can == -1) {
		snprintf(path, sizeof path, "/proc/%d/task/%d/children",
		    (int)getpid(), (int)getpid());
		can = access(path, R_OK) == 0;
	}
	return can == 1;
}

/* Each tree from its leader down, and the processes of its session that
 * were orphaned on the way: tend is their subreaper, so they are its
 * own children now.  Only the programs' processes are read. */
static int
stats_scan_walk(struct stats_tree *trees, size_t n, uint64_t page)
{
	struct stats_task t;
	char name[24];
	size_t k, i, orphans;

	for (k = 0; k < n; k++) {
		if (trees[k].leader != 0)
			stats_walk(&trees[k], trees[k].leader, page);
	}
	stats_todo.n = 0;
	stats_push_children(getpid(), 0);
	orphans = stats_todo.n;
	/* stats_walk() reuses the stack: keep the orphans apart. */
	pid_t *mine = malloc((orphans + 1) * sizeof *mine);

	if (mine == NULL)
		return 0;
	if (orphans > 0)
		memcpy(mine, stats_todo.pids, orphans * sizeof *mine);
	for (i = 0; i < orphans; i++) {
		snprintf(name, sizeof name, "%d", (int)mine[i]);
		if (stats_find_tree(trees, n, mine[i]) != STATS_NONE ||
		    stats_read(name, &t) == -1 ||
		    (k = stats_find_tree(trees, n, t.sid)) == STATS_NONE)
			continue;	/* a leader, gone, or none of theirs */
		stats_walk(&trees[k], mine[i], page);
	}
	free(mine);
	return 0;
}

/* --- the whole of /proc, when children are not listed --------------------- */

static int
stats_scan_all(struct stats_tree *trees, size_t n, uint64_t page)
{
	size_t i, k;

	if (stats_read_all() == -1)
		return -1;
	/* readdir gives /proc in pid order, but nothing promises it. */
	qsort(stats.tasks, stats.n, sizeof *stats.tasks, stats_by_pid);
	for (i = 0; i < stats.n; i++)
		stats.owner[i] = STATS_UNKNOWN;
	for (i = 0; i < stats.n; i++) {
		if ((k = stats_owner(trees, n, i)) == STATS_NONE)
			continue;
		trees[k].ticks += stats.tasks[i].ticks;
		trees[k].rss_bytes += stats.tasks[i].rss_pages * page;
		trees[k].nprocs++;
	}
	return 0;
}

int
stats_scan(struct stats_tree *trees, size_t n)
{
	uint64_t page = (uint64_t)stats_page_size();
	size_t k;

	for (k = 0; k < n; k++) {
		trees[k].ticks = trees[k].rss_bytes = 0;
		trees[k].nprocs = 0;
	}
	if (stats_can_walk() && getenv("TEND_STATS_SCAN_ALL") == NULL)
		return stats_scan_walk(trees, n, page);
	return stats_scan_all(trees, n, page);
}
