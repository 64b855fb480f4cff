/*
 * watch: one inotify fd, in the loop, for every program's `watch`.
 *
 * Folders are watched, not files, and only the folders that can hold a
 * matching file (pathglob_may_hold) and are not ignored.  Each watched
 * folder is a wd in a table sorted by wd, with one link per owner that
 * watches it: the owner and the folder's path relative to the owner's
 * directory (programs with different directories may watch one folder).
 * An event is found by its wd, its name joined to each link's path and
 * matched against that owner's patterns.  A match starts (or prolongs)
 * the owner's quiet time: the callback comes `delay` after the last
 * match, with the first path.
 *
 * A new folder is watched when its event comes, and scanned at once, so
 * the files made in it before the watch was added are seen (and are
 * changes).  A folder removed or moved away drops its watch (and the
 * ones under it); a queue overflow is a change for every owner, and
 * then every tree is walked again, so that what the lost events would
 * have said about folders is caught up.
 *
 * Symbolic links to folders are followed, but a folder is entered once
 * per owner: inotify gives one wd per folder, so a folder reached again
 * (a link back up to a parent, which would be a loop, or a second link
 * to it) is seen and left out, and its files are told by the path that
 * reached it first.  A link may be put in watch_ignore to not follow it.
 */
#define _GNU_SOURCE
#include "watch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pathglob.h"

/*
 * What a watched folder reports, and why:
 *   IN_CREATE       a new file, a hard or symbolic link (which no write
 *                   follows), a new folder (then watched);
 *   IN_CLOSE_WRITE  a file written and closed: a new file's content, an
 *                   editor saving in place, `echo >>`, `touch` (which
 *                   opens the file for writing);
 *   IN_ATTRIB       `touch` on a file it may not open sets the times
 *                   only; also chmod (a script made executable);
 *   IN_MOVED_FROM, IN_MOVED_TO  renames: vim renames the old file away
 *                   and writes a new one, other editors write a temporary
 *                   file and rename it over the old one; a file or folder
 *                   moved in (a folder is then watched) or out (dropped);
 *   IN_DELETE       a file removed;
 *   IN_DELETE_SELF  the folder itself removed (IN_IGNORED follows, and
 *                   its wd is dropped then).
 * IN_MODIFY is left out on purpose: a write is told when its writer
 * closes the file, so a program is not restarted on a half-written file
 * and a long write is one event, not one per write(2) (fewer events,
 * fewer queue overflows).  What that misses is a file changed through
 * mmap or by a writer that keeps it open, which is not how source files
 * are saved.  IN_ONLYDIR: a file that took a folder's place in a race is
 * not watched.
 */
#define WATCH_MASK (IN_CREATE | IN_CLOSE_WRITE | IN_ATTRIB | IN_MOVED_FROM | \
	IN_MOVED_TO | IN_DELETE | IN_DELETE_SELF | IN_ONLYDIR)

/* The path told for a queue overflow. */
#define WATCH_MANY "(many files)"
/* read()s of the inotify fd per loop turn; the rest waits a turn. */
#define WATCH_READS_PER_TURN 16

struct watch_owner {
	struct watch *w;
	void *owner;
	char *dir;			/* no trailing '/' */
	struct pathglob **pats, **igns;
	size_t npats, nigns;
	int64_t delay_ms;
	bool pending;			/* a burst is on */
	char *first;			/* its first path (NULL: out of memory) */
	int64_t last;			/* its last match, loop time */
	uint64_t timer;
	bool followed_link;		/* a folder was entered through a link */
	struct watch_owner *next;
};

struct watch_link {
	struct watch_owner *o;
	char *rel;			/* the folder, relative to o->dir ("") */
	unsigned gen;			/* the walk that saw it last */
};

struct watch_dir {
	int wd;
	struct watch_link *links;
	size_t nlinks;
};

struct watch {
	struct loop *loop;
	watch_fn fn;
	void *ctx;
	int fd;				/* -1: inotify_init1 failed with init_errno */
	int init_errno;
	struct watch_dir **dirs;	/* sorted by wd */
	size_t ndirs, dirs_cap;
	struct watch_owner *owners;
	unsigned gen;			/* bumped by every walk */
	char buf[64 * 1024]
	    __attribute__((aligned(__alignof__(struct inotify_event))));
};

/* --- the folder table ---------------------------------------------------- */

/* Where WD is, or would go, in the sorted table. */
static size_t
watch_dir_pos(const struct watch *w, int wd)
{
	size_t lo = 0, hi = w->ndirs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (w->dirs[mid]->wd < wd)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct watch_dir *
watch_dir_find(const struct watch *w, int wd)
{
	size_t i = watch_dir_pos(w, wd);

	return i < w->ndirs && w->dirs[i]->wd == wd ? w->dirs[i] : NULL;
}

/* WD's entry, made if new (*MADE); NULL when out of memory. */
static struct watch_dir *
watch_dir_get(struct watch *w, int wd, bool *made)
{
	size_t i = watch_dir_pos(w, wd);
	struct watch_dir *d;

	*made = false;
	if (i < w->ndirs && w->dirs[i]->wd == wd)
		return w->dirs[i];
	if (w->ndirs == w->dirs_cap) {
		size_t cap = w->dirs_cap ? w->dirs_cap * 2 : 64;
		struct watch_dir **dirs = realloc(w->dirs, cap * sizeof *dirs);

		if (dirs == NULL)
			return NULL;
		w->dirs = dirs;
		w->dirs_cap = cap;
	}
	if ((d = calloc(1, sizeof *d)) == NULL)
		return NULL;
	d->wd = wd;
	memmove(w->dirs + i + 1, w->dirs + i, (w->ndirs - i) * sizeof *w->dirs);
	w->dirs[i] = d;
	w->ndirs++;
	*made = true;
	return d;
}

/* Forget the folder at I; RM: tell inotify too (not after IN_IGNORED,
 * when the kernel has dropped the watch itself). */
static void
watch_dir_drop(struct watch *w, size_t i, bool rm)
{
	struct watch_dir *d = w->dirs[i];
	size_t k;

	if (rm)
		inotify_rm_watch(w->fd, d->wd);
	for (k = 0; k < d->nlinks; k++)
		free(d->links[k].rel);
	free(d->links);
	free(d);
	memmove(w->dirs + i, w->dirs + i + 1,
	    (w->ndirs - i - 1) * sizeof *w->dirs);
	w->ndirs--;
}

static struct watch_link *
watch_link_find(struct watch_dir *d, const struct watch_owner *o)
{
	size_t k;

	for (k = 0; k < d->nlinks; k++) {
		if (d->links[k].o == o)
			return &d->links[k];
	}
	return NULL;
}

static struct watch_link *
watch_link_add(struct watch_dir *d, struct watch_owner *o, const char *rel)
{
	struct watch_link *links, *l;
	char *copy = strdup(rel);

	links = copy ? realloc(d->links, (d->nlinks + 1) * sizeof *links) : NULL;
	if (links == NULL) {
		free(copy);
		return NULL;
	}
	d->links = links;
	l = &d->links[d->nlinks++];
	l->o = o;
	l->rel = copy;
	l->gen = 0;
	return l;
}

/* Drop the link at K of the folder at I, and the folder with its last
 * link; returns true if the folder went. */
static bool
watch_link_drop(struct watch *w, size_t i, size_t k)
{
	struct watch_dir *d = w->dirs[i];

	free(d->links[k].rel);
	d->links[k] = d->links[--d->nlinks];
	if (d->nlinks > 0)
		return false;
	watch_dir_drop(w, i, true);
	return true;
}

/* Drop O's links that KEEP says no to; returns how many went. */
static size_t
watch_unlink(struct watch *w, const struct watch_owner *o,
    bool (*keep)(const struct watch_link *, const void *), const void *arg)
{
	size_t i = 0, n = 0;

	while (i < w->ndirs) {
		struct watch_dir *d = w->dirs[i];
		size_t k;
		bool gone = false;

		for (k = 0; k < d->nlinks; k++) {
			if (d->links[k].o != o || keep(&d->links[k], arg))
				continue;
			n++;
			gone = watch_link_drop(w, i, k);
			break;		/* one link per owner and folder */
		}
		if (!gone)
			i++;
	}
	return n;
}

static bool
watch_keep_none(const struct watch_link *l, const void *arg)
{
	(void)l;
	(void)arg;
	return false;
}

/* Not the folder ARG or one under it. */
static bool
watch_keep_outside(const struct watch_link *l, const void *arg)
{
	const char *top = arg;
	size_t n = strlen(top);

	return strncmp(l->rel, top, n) != 0 ||
	    (l->rel[n] != '\0' && l->rel[n] != '/');
}

/* Seen by the walk of generation ARG. */
static bool
watch_keep_seen(const struct watch_link *l, const void *arg)
{
	return l->gen == *(const unsigned *)arg;
}

/* --- matching ------------------------------------------------------------ */

static bool
watch_ignored(const struct watch_owner *o, const char *rel, bool is_dir)
{
	size_t i;

	for (i = 0; i < o->nigns; i++) {
		if (pathglob_hits(o->igns[i], rel, is_dir))
			return true;
	}
	return false;
}

/* REL, a file, is one of O's. */
static bool
watch_matches(const struct watch_owner *o, const char *rel)
{
	size_t i;

	for (i = 0; i < o->npats; i++) {
		if (pathglob_hits(o->pats[i], rel, false))
			return !watch_ignored(o, rel, false);
	}
	return false;
}

/* REL, a folder, may hold one of O's files. */
static bool
watch_wants_dir(const struct watch_owner *o, const char *rel)
{
	size_t i;

	if (watch_ignored(o, rel, true))
		return false;
	for (i = 0; i < o->npats; i++) {
		if (pathglob_may_hold(o->pats[i], rel))
			return true;
	}
	return false;
}

/* "A/B", or the one that is not empty; -1 if it does not fit. */
static int
watch_join(char *buf, size_t size, const char *a, const char *b)
{
	int n;

	if (*a == '\0' || *b == '\0')
		n = snprintf(buf, size, "%s%s", a, b);
	else
		n = snprintf(buf, size, "%s/%s", a, b);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* --- the quiet time -------------------------------------------------------- */

static void
watch_fire(struct loop *loop, void *data)
{
	struct watch_owner *o = data;
	struct watch *w = o->w;
	int64_t quiet = loop_now(loop) - o->last;
	char *path;

	o->timer = 0;
	if (quiet < o->delay_ms) {
		o->timer = loop_add_timer(loop, o->delay_ms - quiet, watch_fire, o);
		return;
	}
	/* Taken out first: the callback may remove this owner. */
	path = o->first;
	o->first = NULL;
	o->pending = false;
	w->fn(w->ctx, o->owner, path != NULL ? path : WATCH_MANY);
	free(path);
}

/* PATH changed for O: the burst's first path, unless it has one. */
static void
watch_mark(struct watch *w, struct watch_owner *o, const char *path)
{
	if (!o->pending) {
		o->pending = true;
		o->first = strdup(path);
	}
	o->last = loop_now(w->loop);
	if (o->timer == 0)
		o->timer = loop_add_timer(w->loop, o->delay_ms, watch_fire, o);
}

/* --- walking a tree ---------------------------------------------------- */

struct watch_walk {
	bool report;		/* matching files found are changes */
	bool rescan;		/* after an overflow: paths may have moved */
	bool found;		/* one was told */
	int err;		/* ENOSPC, ENOMEM: stopped; or the top's errno */
};

struct watch_stack {
	char **item;
	size_t n, cap;
};

static int
watch_push(struct watch_stack *s, const char *rel)
{
	char *copy;

	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 32;
		char **item = realloc(s->item, cap * sizeof *item);

		if (item == NULL)
			return -1;
		s->item = item;
		s->cap = cap;
	}
	if ((copy = strdup(rel)) == NULL)
		return -1;
	s->item[s->n++] = copy;
	return 0;
}

/* NAME in the folder DIRFD is a folder (or a link to one). */
static bool
watch_is_dir(int dirfd, const char *name, unsigned char type, bool *link)
{
	struct stat st;

	*link = type == DT_LNK;
	if (type == DT_DIR)
		return true;
	if (type != DT_LNK && type != DT_UNKNOWN)
		return false;
	if (fstatat(dirfd, name, &st, 0) == -1 || !S_ISDIR(st.st_mode))
		return false;
	if (type == DT_UNKNOWN && fstatat(dirfd, name, &st,
	    AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
		*link = true;
	return true;
}

/* Read the folder REL (at PATH): the folders to walk into go on S; with
 * ww->report, the first matching file is a change. */
static int
watch_scan(struct watch *w, struct watch_owner *o, const char *rel,
    const char *path, struct watch_walk *ww, struct watch_stack *s)
{
	char child[PATH_MAX];
	struct dirent *de;
	DIR *dp = opendir(path);

	if (dp == NULL)
		return 0;	/* gone meanwhile, or not ours to read */
	while ((de = readdir(dp)) != NULL) {
		bool link, want_file;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
		    watch_join(child, sizeof child, rel, de->d_name) == -1)
			continue;
		want_file = ww->report && !ww->found;
		if (de->d_type != DT_DIR && de->d_type != DT_LNK &&
		    de->d_type != DT_UNKNOWN && !want_file)
			continue;	/* a plain file, not looked for */
		if (!watch_is_dir(dirfd(dp), de->d_name, de->d_type, &link)) {
			if (want_file && watch_matches(o, child)) {
				watch_mark(w, o, child);
				ww->found = true;
			}
		} else if (watch_wants_dir(o, child)) {
			if (watch_push(s, child) == -1) {
				closedir(dp);
				return -1;
			}
			if (link)
				o->followed_link = true;
		}
	}
	closedir(dp);
	return 0;
}

/* Watch the folder REL of O (at PATH) and return its link, or NULL when
 * it is not to be entered (not watchable, or reached before by another
 * path); ww->err is set when the walk must stop. */
static struct watch_link *
watch_enter(struct watch *w, struct watch_owner *o, const char *rel,
    const char *path, struct watch_walk *ww)
{
	struct watch_dir *d;
	struct watch_link *l;
	bool made;
	int wd = inotify_add_watch(w->fd, path, WATCH_MASK);

	if (wd == -1) {
		/* A folder gone, unreadable or too deep is left out; the
		 * top one, or the limit, stops the walk. */
		if (errno == ENOSPC || errno == ENOMEM || *rel == '\0')
			ww->err = errno;
		return NULL;
	}
	if ((d = watch_dir_get(w, wd, &made)) == NULL) {
		ww->err = ENOMEM;
		return NULL;
	}
	l = watch_link_find(d, o);
	if (l != NULL && strcmp(l->rel, rel) != 0) {
		char *moved;

		/* Watched for O under another path already: a loop, or a
		 * second link to it, left out.  After an overflow, one this
		 * walk has not seen yet may be a folder that moved: it
		 * takes the new path. */
		if (!ww->rescan || l->gen == w->gen)
			return NULL;
		if ((moved = strdup(rel)) == NULL) {
			ww->err = ENOMEM;
			return NULL;
		}
		free(l->rel);
		l->rel = moved;
	}
	if (l == NULL && (l = watch_link_add(d, o, rel)) == NULL) {
		if (made)
			watch_dir_drop(w, watch_dir_pos(w, wd), true);
		ww->err = ENOMEM;
		return NULL;
	}
	l->gen = w->gen;
	return l;
}

/* Watch the folder TOP of O and every folder under it O may want. */
static void
watch_walk(struct watch *w, struct watch_owner *o, const char *top,
    struct watch_walk *ww)
{
	struct watch_stack s = { NULL, 0, 0 };
	char path[PATH_MAX];

	w->gen++;
	if (watch_push(&s, top) == -1) {
		ww->err = ENOMEM;
		return;
	}
	while (s.n > 0) {
		char *rel = s.item[--s.n];

		if (ww->err == 0 && watch_join(path, sizeof path, o->dir,
		    rel) == 0 && watch_enter(w, o, rel, path, ww) != NULL &&
		    watch_scan(w, o, rel, path, ww, &s) == -1)
			ww->err = ENOMEM;
		free(rel);
	}
	free(s.item);
}

/* --- events ---------------------------------------------------------------- */

/* After an overflow: every owner has a change, and every tree is walked
 * again (new folders watched, the ones gone dropped). */
static void
watch_overflow(struct watch *w)
{
	struct watch_owner *o;

	for (o = w->owners; o != NULL; o = o->next) {
		struct watch_walk ww = { .rescan = true };

		if (o->npats == 0)
			continue;
		watch_mark(w, o, WATCH_MANY);
		watch_walk(w, o, "", &ww);
		if (ww.err == 0)
			watch_unlink(w, o, watch_keep_seen, &w->gen);
	}
}

/* The event EV (in a folder of O's) about the entry PATH of O's. */
static void
watch_entry_event(struct watch *w, struct watch_owner *o, const char *path,
    uint32_t mask)
{
	char full[PATH_MAX];
	struct stat st;

	if (mask & (IN_MOVED_FROM | IN_DELETE)) {
		/* A folder (or a link to one) that was watched goes with
		 * everything under it; moved away, its files went too. */
		if (((mask & IN_ISDIR) || o->followed_link) &&
		    watch_unlink(w, o, watch_keep_outside, path) > 0 &&
		    (mask & IN_MOVED_FROM))
			watch_mark(w, o, path);
	} else if ((mask & (IN_CREATE | IN_MOVED_TO)) &&
	    watch_wants_dir(o, path) && ((mask & IN_ISDIR) ||
	    (watch_join(full, sizeof full, o->dir, path) == 0 &&
	    stat(full, &st) == 0 && S_ISDIR(st.st_mode)))) {
		struct watch_walk ww = { .report = true };

		if (!(mask & IN_ISDIR))
			o->followed_link = true;
		watch_walk(w, o, path, &ww);
	}
	if (!(mask & IN_ISDIR) && watch_matches(o, path))
		watch_mark(w, o, path);
}

struct watch_target {
	struct watch_owner *o;
	char *path;
};

static void
watch_event(struct watch *w, const struct inotify_event *ev)
{
	struct watch_target one, *t = &one;
	struct watch_dir *d;
	size_t i, n = 0;

	if (ev->mask & IN_Q_OVERFLOW) {
		watch_overflow(w);
		return;
	}
	if ((d = watch_dir_find(w, ev->wd)) == NULL)
		return;		/* dropped already */
	if (ev->mask & IN_IGNORED) {
		watch_dir_drop(w, watch_dir_pos(w, ev->wd), false);
		return;
	}
	if (ev->len == 0 || ev->name[0] == '\0')
		return;		/* the folder itself (its end: IN_IGNORED) */
	/* The links as they are now: handling one may watch or drop
	 * folders. */
	if (d->nlinks > 1 && (t = calloc(d->nlinks, sizeof *t)) == NULL)
		return;
	for (i = 0; i < d->nlinks; i++) {
		char path[PATH_MAX];

		if (watch_join(path, sizeof path, d->links[i].rel, ev->name) == 0 &&
		    (t[n].path = strdup(path)) != NULL)
			t[n++].o = d->links[i].o;
	}
	for (i = 0; i < n; i++) {
		watch_entry_event(w, t[i].o, t[i].path, ev->mask);
		free(t[i].path);
	}
	if (t != &one)
		free(t);
}

static void
watch_readable(struct loop *loop, int fd, int events, void *data)
{
	struct watch *w = data;
	int round;

	(void)loop;
	(void)events;
	for (round = 0; round < WATCH_READS_PER_TURN; round++) {
		ssize_t n = read(fd, w->buf, sizeof w->buf);
		char *p;

		if (n <= 0)
			return;	/* drained (EAGAIN), or tried again next turn */
		for (p = w->buf; p < w->buf + n;) {
			const struct inotify_event *ev = (const void *)p;

			watch_event(w, ev);
			p += sizeof *ev + ev->len;
		}
	}
}

/* --- the API ------------------------------------------------------------- */

struct watch *
watch_new(struct loop *loop, watch_fn fn, void *ctx, char *err,
    size_t errsize)
{
	struct watch *w = calloc(1, sizeof *w);

	if (w == NULL) {
		snprintf(err, errsize, "out of memory");
		return NULL;
	}
	w->loop = loop;
	w->fn = fn;
	w->ctx = ctx;
	/* A failure is told by watch_add(), as a note on each program that
	 * watches, and the rest of tend runs. */
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->fd == -1) {
		w->init_errno = errno;
	} else if (loop_add_fd(loop, w->fd, LOOP_READ, watch_readable, w) == -1) {
		close(w->fd);
		w->fd = -1;
		w->init_errno = ENOMEM;
	}
	return w;
}

static void
watch_owner_free(struct watch_owner *o)
{
	size_t i;

	if (o == NULL)
		return;
	if (o->timer != 0)
		loop_del_timer(o->w->loop, o->timer);
	for (i = 0; i < o->npats; i++)
		pathglob_free(o->pats[i]);
	for (i = 0; i < o->nigns; i++)
		pathglob_free(o->igns[i]);
	free(o->pats);
	free(o->igns);
	free(o->dir);
	free(o->first);
	free(o);
}

void
watch_free(struct watch *w)
{
	size_t i;

	if (w == NULL)
		return;
	while (w->owners != NULL) {
		struct watch_owner *o = w->owners;

		w->owners = o->next;
		watch_owner_free(o);
	}
	/* Closing the fd drops every watch at once. */
	for (i = w->ndirs; i > 0; i--)
		watch_dir_drop(w, i - 1, false);
	free(w->dirs);
	if (w->fd != -1) {
		loop_del_fd(w->loop, w->fd);
		close(w->fd);
	}
	free(w);
}

/* PATTERN made relative to DIR: an absolute one (from %(here)s) must be
 * inside it.  NULL with the reason in ERR. */
static struct pathglob *
watch_glob(const char *dir, const char *pattern, int flags, char *err,
    size_t errsize)
{
	size_t n = strlen(dir);

	if (pattern[0] == '/' && strncmp(pattern, dir, n) == 0 &&
	    (pattern[n] == '/' || pattern[n] == '\0'))
		pattern += n;	/* still anchored by its '/' */
	else if (pattern[0] == '/' && !(flags & PATHGLOB_ANYWHERE)) {
		snprintf(err, errsize, "'%s' is not inside the program's "
		    "directory %s", pattern, dir);
		return NULL;
	}
	return pathglob_new(pattern, flags, err, errsize);
}

static int
watch_globs(const char *dir, char *const *list, int flags,
    struct pathglob ***out, size_t *nout, char *err, size_t errsize)
{
	size_t n = 0;

	while (list != NULL && list[n] != NULL)
		n++;
	if ((*out = calloc(n + 1, sizeof **out)) == NULL) {
		snprintf(err, errsize, "out of memory");
		return -1;
	}
	for (*nout = 0; *nout < n; (*nout)++) {
		(*out)[*nout] = watch_glob(dir, list[*nout], flags, err, errsize);
		if ((*out)[*nout] == NULL)
			return -1;
	}
	return 0;
}

static long
watch_read_long(const char *path)
{
	FILE *f = fopen(path, "re");
	long n = -1;

	if (f != NULL) {
		if (fscanf(f, "%ld", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n;
}

/* The limit on watches, for the message: the sysctl, or the user
 * namespace's own limit when that is lower. */
static long
watch_max_user_watches(void)
{
	long a = watch_read_long("/proc/sys/fs/inotify/max_user_watches");
	long b = watch_read_long("/proc/sys/user/max_inotify_watches");

	return b >= 0 && (a < 0 || b < a) ? b : a;
}

static size_t
watch_count_links(const struct watch *w, const struct watch_owner *o)
{
	size_t i, n = 0;

	for (i = 0; i < w->ndirs; i++)
		n += watch_link_find(w->dirs[i], o) != NULL;
	return n;
}

int
watch_add(struct watch *w, void *owner, const char *dir,
    char *const *patterns, char *const *ignore, double delay, char *err,
    size_t errsize)
{
	struct watch_walk ww = { .report = false };
	struct watch_owner *o;
	size_t len = strlen(dir);

	if (w->fd == -1) {
		snprintf(err, errsize, "inotify: %s%s", strerror(w->init_errno),
		    w->init_errno == EMFILE ? " (fs.inotify.max_user_instances "
		    "reached, or tend's open files)" : "");
		return -1;
	}
	/* One set of patterns per owner: adding again replaces it. */
	watch_remove(w, owner);
	if ((o = calloc(1, sizeof *o)) == NULL || (o->dir = strdup(dir)) == NULL) {
		free(o);
		snprintf(err, errsize, "out of memory");
		return -1;
	}
	o->w = w;
	o->owner = owner;
	while (len > 1 && o->dir[len - 1] == '/')
		o->dir[--len] = '\0';
	if (watch_globs(o->dir, patterns, 0, &o->pats, &o->npats, err,
	    errsize) == -1 || watch_globs(o->dir, ignore, PATHGLOB_ANYWHERE,
	    &o->igns, &o->nigns, err, errsize) == -1) {
		watch_owner_free(o);
		return -1;
	}
	o->delay_ms = delay > 0 ? (int64_t)(delay * 1000 + 0.5) : 0;
	o->next = w->owners;
	w->owners = o;
	if (o->npats == 0)
		return 0;
	watch_walk(w, o, "", &ww);
	if (ww.err == ENOSPC) {
		long max = watch_max_user_watches();

		/* What was watched stays watched. */
		snprintf(err, errsize, "inotify's limit of %ld watched folders "
		    "per user is reached (sysctl fs.inotify.max_user_watches; "
		    "other programs' watches count too): %zu folders of %s are "
		    "watched, the rest are not", max, watch_count_links(w, o),
		    o->dir);
		return -1;
	}
	if (ww.err != 0) {
		snprintf(err, errsize, "cannot watch %s: %s", o->dir,
		    strerror(ww.err));
		if (ww.err != ENOMEM)
			watch_remove(w, owner);
		return -1;
	}
	return 0;
}

void
watch_remove(struct watch *w, void *owner)
{
	struct watch_owner **pp = &w->owners;

	while (*pp != NULL) {
		struct watch_owner *o = *pp;

		if (o->owner != owner) {
			pp = &o->next;
			continue;
		}
		*pp = o->next;
		watch_unlink(w, o, watch_keep_none, NULL);
		watch_owner_free(o);
	}
}
