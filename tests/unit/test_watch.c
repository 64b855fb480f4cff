/*
 * Unit tests for watch (restart on change) and pathglob (its globs).
 *
 * Real files in a fresh temporary folder, a real loop and a real inotify
 * fd; the loop reads a fake clock, so the quiet time (watch_delay) is
 * stepped through to the millisecond and no test sleeps for it.  The
 * kernel queues an inotify event before the call that caused it
 * returns, so a few loop turns of 0 ms (pump()) are enough to read it.
 * How many folders are watched is read from /proc/self/fdinfo.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "loop.h"
#include "pathglob.h"
#include "watch.h"

#define NOWNERS 3

struct fx {
	char top[64];		/* the temporary folder */
	char dir[96];		/* top/tree: the programs' directory */
	struct loop *loop;
	struct watch *w;
	int64_t clock;
	int owner[NOWNERS];	/* their addresses are the owners */
	int calls[NOWNERS];
	char path[NOWNERS][PATH_MAX];	/* the last path told */
};

/* --- fixture --------------------------------------------------------- */

static int64_t
fake_now(void *ctx)
{
	return ((struct fx *)ctx)->clock;
}

static void
on_change(void *ctx, void *owner, const char *path)
{
	struct fx *f = ctx;
	int i = (int)((int *)owner - f->owner);

	assert_true(i >= 0 && i < NOWNERS);
	f->calls[i]++;
	snprintf(f->path[i], sizeof f->path[i], "%s", path);
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	char err[256];

	assert_non_null(f);
	/* In memory where there is a tmpfs: making and removing 10,000
	 * files costs seconds on some disks, and inotify is the same. */
	strcpy(f->top, "/dev/shm/tend-watch.XXXXXX");
	if (mkdtemp(f->top) == NULL) {
		strcpy(f->top, "/tmp/tend-watch.XXXXXX");
		assert_non_null(mkdtemp(f->top));
	}
	snprintf(f->dir, sizeof f->dir, "%s/tree", f->top);
	assert_int_equal(mkdir(f->dir, 0755), 0);
	f->clock = 1000000;
	f->loop = loop_new();
	assert_non_null(f->loop);
	loop_set_clock(f->loop, fake_now, f);
	f->w = watch_new(f->loop, on_change, f, err, sizeof err);
	assert_non_null(f->w);
	*state = f;
	return 0;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	watch_free(f->w);
	loop_free(f->loop);
	nftw(f->top, rm_one, 64, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

/* --- helpers --------------------------------------------------------- */

static void
at(const struct fx *f, const char *rel, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s", f->dir, rel);
}

static void
mk_dir(const struct fx *f, const char *rel)
{
	char p[PATH_MAX];

	at(f, rel, p, sizeof p);
	assert_int_equal(mkdir(p, 0755), 0);
}

/* Create or rewrite REL (open, write, close). */
static void
put(const struct fx *f, const char *rel)
{
	char p[PATH_MAX];
	int fd;

	at(f, rel, p, sizeof p);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "x\n", 2), 2);
	close(fd);
}

/* `touch` on a file that exists: the times only, no open. */
static void
touch(const struct fx *f, const char *rel)
{
	char p[PATH_MAX];

	at(f, rel, p, sizeof p);
	assert_int_equal(utimensat(AT_FDCWD, p, NULL, 0), 0);
}

static void
mv(const struct fx *f, const char *from, const char *to)
{
	char a[PATH_MAX], b[PATH_MAX];

	at(f, from, a, sizeof a);
	at(f, to, b, sizeof b);
	assert_int_equal(rename(a, b), 0);
}

static void
rm_tree(const struct fx *f, const char *rel)
{
	char p[PATH_MAX];

	at(f, rel, p, sizeof p);
	assert_int_equal(nftw(p, rm_one, 64, FTW_DEPTH | FTW_PHYS), 0);
}

/* Owner I watches REL (under the tree) with PATS and IGN. */
static int
add(struct fx *f, int i, const char *rel, char *const *pats,
    char *const *ign, double delay)
{
	char dir[PATH_MAX], err[512];
	int rc;

	at(f, rel, dir, sizeof dir);
	rc = watch_add(f->w, &f->owner[i], dir, pats, ign, delay, err,
	    sizeof err);
	if (rc == -1)
		print_message("# watch_add: %s\n", err);
	return rc;
}

/* Read what inotify has queued (and run the timers due). */
static void
pump(struct fx *f)
{
	int i;

	for (i = 0; i < 4; i++)
		assert_int_equal(loop_run_once(f->loop, 0), 0);
}

static void
advance(struct fx *f, int64_t ms)
{
	f->clock += ms;
	pump(f);
}

/* Folders watched: the inotify fd's lines in /proc/self/fdinfo. */
static int
nwatches(void)
{
	char link[300], target[64], info[300], line[512];
	struct dirent *de;
	DIR *d = opendir("/proc/self/fd");
	int n = -1;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL && n == -1) {
		ssize_t len;
		FILE *fp;

		snprintf(link, sizeof link, "/proc/self/fd/%s", de->d_name);
		len = readlink(link, target, sizeof target - 1);
		if (len < 0)
			continue;
		target[len] = '\0';
		if (strcmp(target, "anon_inode:inotify") != 0)
			continue;
		snprintf(info, sizeof info, "/proc/self/fdinfo/%s", de->d_name);
		fp = fopen(info, "re");
		assert_non_null(fp);
		n = 0;
		while (fgets(line, sizeof line, fp) != NULL)
			n += strncmp(line, "inotify wd:", 11) == 0;
		fclose(fp);
	}
	closedir(d);
	assert_true(n >= 0);
	return n;
}

static int64_t
micros(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

#define L(...) ((char *const[]){ __VA_ARGS__, NULL })

/* --- pathglob ---------------------------------------------------------- */

struct hit_case {
	const char *pattern;
	int flags;
	const char *path;
	bool is_dir;
	bool hits;
};

static void
test_glob_table(void **state)
{
	static const struct hit_case cases[] = {
		/* one segment: *, ?, [...], quoting; anchored at the top */
		{ "*.txt", 0, "a.txt", false, true },
		{ "*.txt", 0, ".hidden.txt", false, true },
		{ "*.txt", 0, "a.txtx", false, false },
		{ "*.txt", 0, "sub/a.txt", false, false },
		{ "?.txt", 0, "a.txt", false, true },
		{ "?.txt", 0, "ab.txt", false, false },
		{ "[ab].txt", 0, "b.txt", false, true },
		{ "[!ab].txt", 0, "b.txt", false, false },
		{ "\\*.txt", 0, "*.txt", false, true },
		{ "\\*.txt", 0, "a.txt", false, false },
		{ "./src/*.py", 0, "src/a.py", false, true },
		/* ** is any number of folders, none included */
		{ "src/**/*.py", 0, "src/a.py", false, true },
		{ "src/**/*.py", 0, "src/x/y/a.py", false, true },
		{ "src/**/*.py", 0, "src/x/a.txt", false, false },
		{ "src/**/*.py", 0, "lib/a.py", false, false },
		{ "src/**/*.py", 0, "srcx/a.py", false, false },
		{ "src/**/*.py", 0, "a.py", false, false },
		{ "**/*.py", 0, "a.py", false, true },
		{ "**/*.py", 0, "x/y/z.py", false, true },
		{ "**/a/**/b", 0, "a/b", false, true },
		{ "**/a/**/b", 0, "x/a/y/z/b", false, true },
		{ "**/a/**/b", 0, "x/a/y/z/c", false, false },
		{ "a/**/**/b", 0, "a/b", false, true },
		{ "**", 0, "x", false, true },
		{ "**", 0, "x/y/z", false, true },
		{ "a/**", 0, "a/b/c", false, true },
		{ "a/**", 0, "a", false, false },
		{ "", 0, "any/thing", false, true },
		{ ".", 0, "x", false, true },
		{ "/", 0, "x/y", false, true },
		/* a folder: everything under it */
		{ "templates/", 0, "templates/a.html", false, true },
		{ "templates/", 0, "templates/x/y.html", false, true },
		{ "templates/", 0, "templates", false, false },
		{ "templates/", 0, "templates", true, true },
		{ "templates/", 0, "templatesx/a", false, false },
		{ "templates", 0, "templates", false, true },
		{ "templates", 0, "templates/a/b", false, true },
		{ "src/*", 0, "src/pkg/mod.py", false, true },
		{ "src/*", 0, "src", true, false },
		/* watch_ignore: no '/' (but a trailing one) is a name anywhere */
		{ "*.pyc", PATHGLOB_ANYWHERE, "a.pyc", false, true },
		{ "*.pyc", PATHGLOB_ANYWHERE, "x/y/a.pyc", false, true },
		{ "*.pyc", PATHGLOB_ANYWHERE, "x/a.py", false, false },
		{ ".git/", PATHGLOB_ANYWHERE, ".git/HEAD", false, true },
		{ ".git/", PATHGLOB_ANYWHERE, "vendor/lib/.git/config", false, true },
		{ ".git/", PATHGLOB_ANYWHERE, ".git", true, true },
		{ ".git/", PATHGLOB_ANYWHERE, ".git", false, false },
		{ ".git/", PATHGLOB_ANYWHERE, ".gitignore", false, false },
		{ "node_modules", PATHGLOB_ANYWHERE, "a/node_modules/b/c.js", false, true },
		/* ... and with a '/', a path from the top */
		{ "/build", PATHGLOB_ANYWHERE, "build/x.o", false, true },
		{ "/build", PATHGLOB_ANYWHERE, "src/build/x.o", false, false },
		{ "build/out", PATHGLOB_ANYWHERE, "build/out/a", false, true },
		{ "build/out", PATHGLOB_ANYWHERE, "x/build/out/a", false, false },
		{ "**/tmp/*.log", PATHGLOB_ANYWHERE, "a/tmp/x.log", false, true },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct hit_case *c = &cases[i];
		char err[256];
		struct pathglob *g = pathglob_new(c->pattern, c->flags, err,
		    sizeof err);

		assert_non_null(g);
		if (pathglob_hits(g, c->path, c->is_dir) != c->hits)
			fail_msg("'%s'%s on %s '%s': expected %s", c->pattern,
			    c->flags ? " (ignore)" : "", c->is_dir ? "folder" :
			    "file", c->path, c->hits ? "a match" : "no match");
		pathglob_free(g);
	}
}

struct hold_case {
	const char *pattern;
	const char *dir;
	bool may_hold;
};

/* Which folders are worth watching. */
static void
test_glob_may_hold(void **state)
{
	static const struct hold_case cases[] = {
		{ "*.txt", "", true },
		{ "*.txt", "sub", false },
		{ "src/**/*.py", "", true },
		{ "src/**/*.py", "src", true },
		{ "src/**/*.py", "src/a/b", true },
		{ "src/**/*.py", "lib", false },
		{ "src/**/*.py", "srcx", false },
		{ "templates/", "templates", true },
		{ "templates/", "templates/x/y", true },
		{ "templates/", "other", false },
		{ "a/b/c.txt", "a", true },
		{ "a/b/c.txt", "a/b", true },
		{ "a/b/c.txt", "a/c", false },
		{ "a/b/c.txt", "a/b/d", false },
		{ "**/*.py", "x/y/z", true },
		{ "src/*", "src", true },
		{ "src/*", "src/a/b", true },
		{ "src/*", "lib", false },
		{ "**/test/*.c", "a/b", true },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct hold_case *c = &cases[i];
		char err[256];
		struct pathglob *g = pathglob_new(c->pattern, 0, err, sizeof err);

		assert_non_null(g);
		if (pathglob_may_hold(g, c->dir) != c->may_hold)
			fail_msg("'%s' in folder '%s': expected %s", c->pattern,
			    c->dir, c->may_hold ? "may hold" : "cannot hold");
		pathglob_free(g);
	}
}

static void
test_glob_refuses_dotdot(void **state)
{
	char err[256] = "";

	(void)state;
	assert_null(pathglob_new("../shared/*.py", 0, err, sizeof err));
	assert_non_null(strstr(err, "'..'"));
	assert_null(pathglob_new("a/../b", PATHGLOB_ANYWHERE, err, sizeof err));
}

/* --- watching ---------------------------------------------------------- */

/* One file touched: one callback, with its path, watch_delay after. */
static void
test_touch_one_file(void **state)
{
	struct fx *f = *state;

	put(f, "a.txt");
	put(f, "b.md");
	assert_int_equal(add(f, 0, "", L("*.txt"), NULL, 0.3), 0);
	touch(f, "b.md");
	pump(f);
	advance(f, 1000);
	assert_int_equal(f->calls[0], 0);	/* not a match */
	touch(f, "a.txt");
	pump(f);
	advance(f, 299);
	assert_int_equal(f->calls[0], 0);
	advance(f, 1);
	assert_int_equal(f->calls[0], 1);
	assert_string_equal(f->path[0], "a.txt");
	advance(f, 5000);
	assert_int_equal(f->calls[0], 1);
	/* Written in place (open, write, close) too. */
	put(f, "a.txt");
	pump(f);
	advance(f, 300);
	assert_int_equal(f->calls[0], 2);
}

/* The quiet time runs from the last change, and the first path is
 * told. */
static void
test_delay_after_last_change(void **state)
{
	struct fx *f = *state;

	put(f, "a.txt");
	put(f, "b.txt");
	assert_int_equal(add(f, 0, "", L("*.txt"), NULL, 0.3), 0);
	touch(f, "a.txt");
	pump(f);
	advance(f, 200);
	touch(f, "b.txt");
	pump(f);
	advance(f, 200);	/* 400 after the first, 200 after the last */
	assert_int_equal(f->calls[0], 0);
	advance(f, 100);
	assert_int_equal(f->calls[0], 1);
	assert_string_equal(f->path[0], "a.txt");
}

/* A save storm of 50 files is one callback. */
static void
test_fifty_files_one_callback(void **state)
{
	struct fx *f = *state;
	char name[32];
	int i;

	mk_dir(f, "src");
	assert_int_equal(add(f, 0, "", L("src/**/*.py"), NULL, 0.3), 0);
	for (i = 0; i < 50; i++) {
		snprintf(name, sizeof name, "src/m%02d.py", i);
		put(f, name);
	}
	pump(f);
	advance(f, 300);
	assert_int_equal(f->calls[0], 1);
	assert_string_equal(f->path[0], "src/m00.py");
	advance(f, 5000);
	assert_int_equal(f->calls[0], 1);
}

/* Ignored files change nothing, and ignored folders are not watched. */
static void
test_ignored_file_no_callback(void **state)
{
	struct fx *f = *state;

	mk_dir(f, "sub");
	mk_dir(f, ".git");
	mk_dir(f, ".git/objects");
	mk_dir(f, "build");
	assert_int_equal(add(f, 0, "", L("**/*.txt"), L("skip*.txt", ".git/",
	    "/build"), 0.3), 0);
	assert_int_equal(nwatches(), 2);	/* the tree and sub */
	put(f, "skip.txt");
	put(f, "sub/skip-me.txt");
	put(f, ".git/objects/x.txt");
	put(f, "build/out.txt");
	mk_dir(f, "sub/.git");
	put(f, "sub/.git/y.txt");
	pump(f);
	advance(f, 1000);
	assert_int_equal(f->calls[0], 0);
	assert_int_equal(nwatches(), 2);
	put(f, "sub/keep.txt");		/* the check can fail */
	pump(f);
	advance(f, 300);
	assert_int_equal(f->calls[0], 1);
	assert_string_equal(f->path[0], "sub/keep.txt");
}

/* Only the folders that can hold a matching file are watched. */
static void
test_only_folders_that_can_match(void **state)
{
	struct fx *f = *state;

	mk_dir(f, "src");
	mk_dir(f, "src/pkg");
	mk_dir(f, "docs");
	mk_dir(f, "docs/api");
	mk_dir(f, "templates");
	mk_dir(f, "templates/mail");
	assert_int_equal(add(f, 0, "", L("src/**/*.py", "templates/"), NULL,
	    0.3), 0);
	/* the tree, src, src/pkg, templates, templates/mail */
	assert_int_equal(nwatches(), 5);
	put(f, "templates/mail/welcome.html");
	pump(f);
	advance(f, 300);
	assert_int_equal(f->calls[0], 1);
	assert_string_equal(f->path[0], "templates/mail/welcome.html");
	put(f, "docs/api/x.py");
	pump(f);
	advance(f, 1000);
	assert_int_equal(f->calls[0], 1);
}

/* A new folder is watched: a file made in it before its watch was
 * added (found by the scan) and one made after are both seen. */
static void
test_new_subfolder(void **state)
{
	struct fx *f = *state;

	assert_int_equal(add(f, 0, "", L("**/*.py"), NULL, 0.3), 0);
	assert_int_equal(nwatches(), 1);
	mk_dir(f, "pkg");
	mk_dir(f, "pkg/deep");
	put(f, "pkg/deep/early.py");	/* before tend saw the folder */
	pump(f);
	assert_int_equal(nwatches(), 3);
	advance(f, 300);
	assert_int_equal(f->calls[0], 1);
	assert_string_equal(f->path[0], "pkg/deep/early.py");

	mk_dir(f, "later");
	pump(f);
	advance(f, 1000);
	assert_int_equal(f->calls[0], 1);	/* an empty folder: no change */
	put(f, "later/mod.py");
	pump(f);
	advance(f, 300);
	assert_int_equal(f->calls[0], 2);
	assert_string_equal(f->path[0], "later/mod.py");
}

/* Saving by rename: a new file renamed over the old one, and vim's way
 * (the old one renamed away, a new one written, the backup removed). */
static void
test_rename_save(void **state)
{
	struct fx *f = *state;

	put(f, "a.txt");
	assert_int_equal(add(f, 0, "", L("*.txt"), NULL, 0.3), 0);
	put(f, ".a.txt.swx");
	mv(f, ".a.txt.swx", "a.txt");
	pump(f);
	advance(f, 300);
	assert_int_equal(f->calls[0], 1);
	assert_string_equal(f->path[0], "a.txt");

	mv(f, "a.txt", "a.txt~");
	put(f, "a.txt");
	rm_tree(f, "a.txt~");
	pump(f);
	advance(f, 300);
	assert_int_equal(f->calls[0], 2);
	assert_string_equal(f->path[0], "a.txt");
}

/* A deleted file is a change; a removed folder drops its watch; a
 * folder renamed is watched under its new name. */
static void
test_delete_and_move_folders(void **state)
{
	struct fx *f = *state;

	mk_dir(f, "a");
	mk_dir(f, "a/b");
	put(f, "a/b/x.txt");
	put(f, "a/y.txt");
	assert_int_equal(add(f, 0, "", L("**/*.txt"), NULL, 0.3), 0);
	assert_int_equal(nwatches(), 3);
	rm_tree(f, "a/y.txt");
	pump(f);
	advance(f, 300);
	assert_int_equal(f->calls[0], 1);
	assert_string_equal(f->path[0], "a/y.txt");

	mv(f, "a", "c");
	pump(f);
	advance(f, 300);
	assert_int_equal(f->calls[0], 2);	/* its files went away */
	assert_string_equal(f->path[0], "a");
	assert_int_equal(nwatches(), 3);
	touch(f, "c/b/x.txt");
	pump(f);
	advance(f, 300);
	assert_int_equal(f->calls[0], 3);
	assert_string_equal(f->path[0], "c/b/x.txt");

	rm_tree(f, "c");
	pump(f);
	advance(f, 300);
	assert_int_equal(f->calls[0], 4);
	assert_string_equal(f->path[0], "c/b/x.txt");
	assert_int_equal(nwatches(), 1);
}

/* Two programs watch one folder, each from its own directory; removing
 * one leaves the other's watch. */
static void
test_two_owners_one_folder(void **state)
{
	struct fx *f = *state;

	mk_dir(f, "web");
	put(f, "web/a.txt");
	assert_int_equal(add(f, 0, "", L("**/*.txt"), NULL, 0.3), 0);
	assert_int_equal(add(f, 1, "web", L("*.txt"), NULL, 1), 0);
	assert_int_equal(nwatches(), 2);
	touch(f, "web/a.txt");
	pump(f);
	advance(f, 300);
	assert_int_equal(f->calls[0], 1);
	assert_string_equal(f->path[0], "web/a.txt");
	assert_int_equal(f->calls[1], 0);
	advance(f, 700);
	assert_int_equal(f->calls[1], 1);
	assert_string_equal(f->path[1], "a.txt");

	watch_remove(f->w, &f->owner[0]);
	assert_int_equal(nwatches(), 1);
	touch(f, "web/a.txt");
	pump(f);
	advance(f, 1000);
	assert_int_equal(f->calls[0], 1);
	assert_int_equal(f->calls[1], 2);
	watch_remove(f->w, &f->owner[1]);
	assert_int_equal(nwatches(), 0);
}

/* Links to folders are followed, once: a link back up is not a loop. */
static void
test_symlinked_folders(void **state)
{
	struct fx *f = *state;
	char p[PATH_MAX], out[PATH_MAX];

	mk_dir(f, "a");
	at(f, "a/up", p, sizeof p);
	assert_int_equal(symlink("..", p), 0);
	at(f, "a/self", p, sizeof p);
	assert_int_equal(symlink(".", p), 0);
	snprintf(out, sizeof out, "%s/outside", f->top);
	assert_int_equal(mkdir(out, 0755), 0);
	at(f, "lib", p, sizeof p);
	assert_int_equal(symlink(out, p), 0);
	assert_int_equal(add(f, 0, "", L("**/*.txt"), NULL, 0.3), 0);
	assert_int_equal(nwatches(), 3);	/* the tree, a, lib */
	put(f, "a/x.txt");
	pump(f);
	advance(f, 300);
	assert_int_equal(f->calls[0], 1);
	assert_string_equal(f->path[0], "a/x.txt");
	snprintf(p, sizeof p, "%s/outside/m.txt", f->top);
	close(open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
	pump(f);
	advance(f, 300);
	assert_int_equal(f->calls[0], 2);
	assert_string_equal(f->path[0], "lib/m.txt");
}

/* A queue overflow is a change for every owner, "(many files)"; the
 * folders made meanwhile are watched after it. */
static void
test_queue_overflow(void **state)
{
	struct fx *f = *state;
	FILE *fp = fopen("/proc/sys/fs/inotify/max_queued_events", "re");
	char name[32];
	long max = 0, i;

	if (fp == NULL || fscanf(fp, "%ld", &max) != 1 || max > 100000) {
		if (fp != NULL)
			fclose(fp);
		skip();
	}
	fclose(fp);
	mk_dir(f, "flood");
	put(f, "flood/0.dat");
	put(f, "flood/1.dat");
	assert_int_equal(add(f, 0, "", L("**/*.txt"), NULL, 0.3), 0);
	assert_int_equal(add(f, 1, "flood", L("nothing.here"), NULL, 0.3), 0);
	/* An event a touch, none read: the kernel folds an event into the
	 * one before only when they are the same, so two files take
	 * turns. */
	for (i = 0; i < max + 100; i++) {
		snprintf(name, sizeof name, "flood/%ld.dat", i % 2);
		touch(f, name);
	}
	mk_dir(f, "late");		/* its event is lost */
	pump(f);
	advance(f, 300);
	assert_int_equal(f->calls[0], 1);
	assert_string_equal(f->path[0], "(many files)");
	assert_int_equal(f->calls[1], 1);
	assert_string_equal(f->path[1], "(many files)");
	put(f, "late/a.txt");
	pump(f);
	advance(f, 300);
	assert_int_equal(f->calls[0], 2);
	assert_string_equal(f->path[0], "late/a.txt");
}

static void
test_errors(void **state)
{
	struct fx *f = *state;
	char err[512], outside[PATH_MAX], inside[PATH_MAX];

	assert_int_equal(watch_add(f->w, &f->owner[0], "/nonexistent/tend",
	    L("*.txt"), NULL, 0.3, err, sizeof err), -1);
	assert_non_null(strstr(err, "cannot watch /nonexistent/tend"));
	assert_int_equal(add(f, 0, "", L("../*.txt"), NULL, 0.3), -1);
	snprintf(outside, sizeof outside, "%s/*.txt", f->top);
	assert_int_equal(watch_add(f->w, &f->owner[0], f->dir, L(outside),
	    NULL, 0.3, err, sizeof err), -1);
	assert_non_null(strstr(err, "not inside the program's directory"));
	assert_int_equal(nwatches(), 0);
	/* An absolute pattern inside the directory (from %(here)s). */
	snprintf(inside, sizeof inside, "%s/*.txt", f->dir);
	assert_int_equal(watch_add(f->w, &f->owner[0], f->dir, L(inside),
	    NULL, 0.3, err, sizeof err), 0);
	put(f, "a.txt");
	pump(f);
	advance(f, 300);
	assert_int_equal(f->calls[0], 1);
	assert_string_equal(f->path[0], "a.txt");
}

/* 10,000 files in 1,000 folders are set up quickly (the bound is for
 * valgrind; the time is printed).  The files are hard links to one, which
 * costs the test a tenth of making 10,000 files and the walk the same. */
static void
test_thousand_folders_setup(void **state)
{
	struct fx *f = *state;
	char name[64], one[PATH_MAX], p[PATH_MAX];
	int64_t t0, us;
	int i, j, k;

	put(f, "one.py");
	at(f, "one.py", one, sizeof one);

	mk_dir(f, ".git");
	for (i = 0; i < 50; i++) {
		snprintf(name, sizeof name, ".git/%02d", i);
		mk_dir(f, name);
	}
	/* 10 folders of 99 = 1,000 folders, 10 files each */
	for (i = 0; i < 10; i++) {
		snprintf(name, sizeof name, "d%d", i);
		mk_dir(f, name);
		for (j = 0; j < 100; j++) {
			if (j > 0) {
				snprintf(name, sizeof name, "d%d/s%02d", i, j);
				mk_dir(f, name);
			}
			for (k = 0; k < 10; k++) {
				if (j > 0)
					snprintf(name, sizeof name, "d%d/s%02d/f%d.py",
					    i, j, k);
				else
					snprintf(name, sizeof name, "d%d/f%d.py", i, k);
				at(f, name, p, sizeof p);
				assert_int_equal(link(one, p), 0);
			}
		}
	}
	t0 = micros();
	assert_int_equal(add(f, 0, "", L("**/*.py"), L(".git/", "*.pyc"), 0.3),
	    0);
	us = micros() - t0;
	print_message("# 10,000 files in 1,000 folders watched in %lld.%03lld ms\n",
	    (long long)(us / 1000), (long long)(us % 1000));
	assert_int_equal(nwatches(), 1001);
	assert_true(us < 5 * 1000 * 1000);
	put(f, "d7/s42/f3.py");
	pump(f);
	advance(f, 300);
	assert_int_equal(f->calls[0], 1);
	assert_string_equal(f->path[0], "d7/s42/f3.py");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_glob_table),
		cmocka_unit_test(test_glob_may_hold),
		cmocka_unit_test(test_glob_refuses_dotdot),
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_touch_one_file),
		T(test_delay_after_last_change),
		T(test_fifty_files_one_callback),
		T(test_ignored_file_no_callback),
		T(test_only_folders_that_can_match),
		T(test_new_subfolder),
		T(test_rename_save),
		T(test_delete_and_move_folders),
		T(test_two_owners_one_folder),
		T(test_symlinked_folders),
		T(test_queue_overflow),
		T(test_errors),
		T(test_thousand_folders_setup),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
