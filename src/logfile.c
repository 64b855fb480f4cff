/*
 * logfile: one log file of a program's output, and its rotation.
 *
 * Owns the file descriptor, the folder's descriptor (rotation renames
 * in the very folder that was checked), a write buffer and the size the
 * file will have once the buffer is written.  Each line gets an optional
 * ISO 8601 timestamp, a one-char tag ('|' stdout, '!' stderr, '>' input,
 * '*' tend's notes) and a space, so the log keeps every byte and still
 * tells the streams apart.  A line that would take the file past its
 * maximum size goes to a fresh file after NAME.log has been renamed
 * NAME.log.1 (and .1 to .2, ..., as supervisord does): whole lines only,
 * nothing lost.
 *
 * The log is opened with care, since a folder may hold traps: the file is
 * never reached through a symlink and must be a regular file of the
 * user's own, in a folder of the user's own that nobody else may write to.
 * What tend creates is 0700 (folders) and 0600 (files).
 */
#define _GNU_SOURCE
#include "logfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stamp.h"

#define LOGFILE_BUFSIZE (256 * 1024)

struct logfile {
	int fd;
	int dirfd;		/* the checked folder, for renames and reopen */
	char *path;		/* as shown in messages */
	char *base;		/* its name in the folder */
	struct logfile_opts opts;
	uint64_t size;		/* of the file once the buffer is written */
	size_t used;
	char buf[LOGFILE_BUFSIZE];
};

/* mkdir -p: create DIR and its missing parents.  Mode 0700: a log holds
 * everything the programs print, tokens and passwords too, and a folder
 * only the user can enter is also one nobody else can plant files in. */
static int
logfile_mkdirs(const char *dir)
{
	char path[PATH_MAX];
	size_t i, len = strlen(dir);

	if (len == 0 || len >= sizeof path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(path, dir, len + 1);
	for (i = 1; i <= len; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0700) == -1 && errno != EEXIST)
			return -1;
		path[i] = dir[i];
	}
	return 0;
}

/* "a FIFO", ...: what a path that is not a regular file is, for a note. */
static const char *
logfile_kind(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFLNK:
		return "a symbolic link";
	case S_IFDIR:
		return "a directory";
	case S_IFIFO:
		return "a FIFO";
	case S_IFSOCK:
		return "a socket";
	case S_IFCHR:
		return "a character device";
	case S_IFBLK:
		return "a block device";
	default:
		return "of an unknown type";
	}
}

/* Open DIR and check that it is the user's own and that nobody else may
 * write in it: otherwise another user can plant, swap or delete the logs.
 * A symlink on the way is followed, and the folder it leads to is judged:
 * the config names log_dir, so a symlink there is the user's own doing.
 * The planted symlinks to fear are those inside the folder, for the log
 * file itself; logfile_open_file refuses them.  A group-writable folder
 * is allowed: with a group per user (umask 002) that is the common case,
 * and the checks on the file catch what a group member could plant.
 * Returns the folder's fd, so the file is opened in the very folder that
 * was checked even if the path is swapped meanwhile. */
static int
logfile_open_dir(const char *dir, char *err, size_t errsize)
{
	struct stat st;
	int fd;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1 || fstat(fd, &st) == -1) {
		snprintf(err, errsize, "cannot open log folder %s: %s", dir,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	if (st.st_uid != geteuid()) {
		snprintf(err, errsize, "log folder %s is owned by uid %lu, not "
		    "by you (uid %lu)", dir, (unsigned long)st.st_uid,
		    (unsigned long)geteuid());
	} else if ((st.st_mode & S_IWOTH) && !(st.st_mode & S_ISVTX)) {
		/* A sticky folder (/tmp) is allowed: nobody else may rename
		 * or delete our files there, and what they can plant is
		 * refused by the checks on the file. */
		snprintf(err, errsize, "log folder %s is writable by anyone "
		    "(mode %04o)", dir, (unsigned)(st.st_mode & 07777));
	} else {
		return fd;
	}
	close(fd);
	return -1;
}

/* Why NAME in DIRFD could not be opened: a symlink or a FIFO planted
 * there says more than "Too many levels of symbolic links" (what
 * O_NOFOLLOW gives) or "No such device or address" (a FIFO nobody reads). */
static void
logfile_open_error(int dirfd, const char *name, const char *path, char *err,
    size_t errsize)
{
	int saved = errno;
	struct stat st;
	bool exists = fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;

	if (exists && S_ISLNK(st.st_mode))
		snprintf(err, errsize, "%s is a symbolic link; not following it",
		    path);
	else if (exists && !S_ISREG(st.st_mode))
		snprintf(err, errsize, "%s is %s, not a regular file", path,
		    logfile_kind(st.st_mode));
	else
		snprintf(err, errsize, "cannot open log %s: %s", path,
		    strerror(saved));
}

/* The open file must be a plain file of the user's own, with no other
 * name: a device could be anything, a FIFO blocks once its reader stops,
 * another user's file would get our output, and a hard link would make
 * us append to whatever file it shares. */
static int
logfile_check_file(int fd, const char *path, char *err, size_t errsize)
{
	struct stat st;

	if (fstat(fd, &st) == -1) {
		snprintf(err, errsize, "cannot open log %s: %s", path,
		    strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errsize, "%s is %s, not a regular file", path,
		    logfile_kind(st.st_mode));
		return -1;
	}
	if (st.st_uid != geteuid()) {
		snprintf(err, errsize, "%s is owned by uid %lu, not by you "
		    "(uid %lu)", path, (unsigned long)st.st_uid,
		    (unsigned long)geteuid());
		return -1;
	}
	if (st.st_nlink > 1) {
		snprintf(err, errsize, "%s has %lu hard links; not appending "
		    "to it", path, (unsigned long)st.st_nlink);
		return -1;
	}
	return 0;
}

/* Open NAME in DIRFD for appending, never through a symlink (O_NOFOLLOW)
 * and never blocking on a FIFO (O_NONBLOCK, until the checks are done);
 * O_NOCTTY so a planted terminal cannot become tend's. */
static int
logfile_open_file(int dirfd, const char *name, const char *path, char *err,
    size_t errsize)
{
	int fd, fl;

	fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC |
	    O_NOFOLLOW | O_NOCTTY | O_NONBLOCK, 0600);
	if (fd == -1) {
		logfile_open_error(dirfd, name, path, err, errsize);
		return -1;
	}
	if (logfile_check_file(fd, path, err, errsize) == -1) {
		close(fd);
		return -1;
	}
	/* A regular file ignores O_NONBLOCK; cleared so nobody wonders. */
	if ((fl = fcntl(fd, F_GETFL)) != -1)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	return fd;
}

/* DIR and BASE of PATH, new strings: "/a/b.log" is "/a" and "b.log". */
static int
logfile_split(const char *path, char **dir, char **base)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		*dir = strdup(".");
	else if (slash == path)
		*dir = strdup("/");
	else
		*dir = strndup(path, (size_t)(slash - path));
	*base = strdup(slash != NULL ? slash + 1 : path);
	if (*dir == NULL || *base == NULL) {
		free(*dir);
		free(*base);
		return -1;
	}
	return 0;
}

/* The size the open file already has: appends count from there. */
static uint64_t
logfile_size_of(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && st.st_size > 0 ? (uint64_t)st.st_size :
	    0;
}

struct logfile *
logfile_open(const char *path, const struct logfile_opts *opts, char *err,
    size_t errsize)
{
	struct logfile *lf;
	char *dir = NULL, *base = NULL;

	if (logfile_split(path, &dir, &base) == -1 ||
	    (lf = malloc(sizeof *lf)) == NULL) {
		snprintf(err, errsize, "out of memory");
		goto fail_names;
	}
	lf->fd = lf->dirfd = -1;
	lf->path = strdup(path);
	if (lf->path == NULL) {
		snprintf(err, errsize, "out of memory");
		goto fail;
	}
	if (base[0] == '\0') {
		snprintf(err, errsize, "log %s names a folder, not a file", path);
		goto fail;
	}
	if (logfile_mkdirs(dir) == -1) {
		snprintf(err, errsize, "cannot create log folder %s: %s", dir,
		    strerror(errno));
		goto fail;
	}
	if ((lf->dirfd = logfile_open_dir(dir, err, errsize)) == -1)
		goto fail;
	lf->fd = logfile_open_file(lf->dirfd, base, path, err, errsize);
	if (lf->fd == -1)
		goto fail;
	free(dir);
	lf->base = base;
	lf->opts = *opts;
	lf->size = logfile_size_of(lf->fd);
	lf->used = 0;
	return lf;

fail:
	if (lf->dirfd != -1)
		close(lf->dirfd);
	free(lf->path);
	free(lf);
fail_names:
	free(dir);
	free(base);
	return NULL;
}

void
logfile_close(struct logfile *lf)
{
	if (lf == NULL)
		return;
	if (lf->fd != -1) {
		logfile_flush(lf, NULL, 0);
		close(lf->fd);
	}
	close(lf->dirfd);
	free(lf->path);
	free(lf->base);
	free(lf);
}

const char *
logfile_path(const struct logfile *lf)
{
	return lf->path;
}

static int
logfile_write_all(struct logfile *lf, const char *p, size_t len, char *err,
    size_t errsize)
{
	while (len > 0) {
		ssize_t n = write(lf->fd, p, len);

		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			if (err != NULL)
				snprintf(err, errsize, "log %s: %s", lf->path,
				    strerror(errno));
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
logfile_flush(struct logfile *lf, char *err, size_t errsize)
{
	int rc;

	if (lf->used == 0)
		return 0;
	rc = logfile_write_all(lf, lf->buf, lf->used, err, errsize);
	lf->used = 0;
	return rc;
}

static int
logfile_put(struct logfile *lf, const char *p, size_t len, char *err,
    size_t errsize)
{
	lf->size += len;
	if (lf->used + len > sizeof lf->buf &&
	    logfile_flush(lf, err, errsize) == -1)
		return -1;
	if (len > sizeof lf->buf)
		return logfile_write_all(lf, p, len, err, errsize);
	memcpy(lf->buf + lf->used, p, len);
	lf->used += len;
	return 0;
}

size_t
logfile_backup_name(const char *base, int n, char *buf, size_t size)
{
	int len = n > 0 ? snprintf(buf, size, "%s.%d", base, n) :
	    snprintf(buf, size, "%s", base);

	return len < 0 ? 0 : (size_t)len;
}

bool
logfile_needs_rotation(uint64_t size, uint64_t record, uint64_t max_bytes)
{
	/* An empty file takes any line: a line longer than the maximum
	 * goes whole into a file of its own rather than nowhere. */
	return max_bytes > 0 && size > 0 && size + record > max_bytes;
}

/* NAME.log.(N-1) -> NAME.log.N, ..., NAME.log -> NAME.log.1, in the
 * checked folder; a missing backup is no error.  rename() moves a
 * planted symlink itself, never what it points to. */
static int
logfile_shift(struct logfile *lf, char *err, size_t errsize)
{
	char from[PATH_MAX], to[PATH_MAX];
	int i;

	for (i = lf->opts.backups; i >= 1; i--) {
		logfile_backup_name(lf->base, i - 1, from, sizeof from);
		logfile_backup_name(lf->base, i, to, sizeof to);
		if (renameat(lf->dirfd, from, lf->dirfd, to) == -1 &&
		    errno != ENOENT) {
			snprintf(err, errsize, "cannot rotate log %s (%s to %s): %s",
			    lf->path, from, to, strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* Start a fresh file: everything buffered goes to the old one first.
 * Without backups the file is emptied instead (supervisord does so). */
static int
logfile_rotate(struct logfile *lf, char *err, size_t errsize)
{
	char why[512];

	if (logfile_flush(lf, err, errsize) == -1)
		return -1;
	if (lf->opts.backups == 0) {
		if (ftruncate(lf->fd, 0) == -1) {
			snprintf(err, errsize, "cannot rotate log %s: %s", lf->path,
			    strerror(errno));
			return -1;
		}
		lf->size = 0;
		return 0;
	}
	if (logfile_shift(lf, err, errsize) == -1)
		return -1;
	close(lf->fd);
	lf->fd = logfile_open_file(lf->dirfd, lf->base, lf->path, why,
	    sizeof why);
	if (lf->fd == -1) {
		snprintf(err, errsize, "after rotating: %s", why);
		return -1;
	}
	lf->size = logfile_size_of(lf->fd);
	return 0;
}

static int
logfile_tagged(struct logfile *lf, char tag, const struct store_line *line,
    char *err, size_t errsize)
{
	char head[STAMP_ISO_LEN + 8];
	size_t n = 0;

	if (lf->opts.timestamps) {
		n = stamp_iso(stamp_wall(line->time_ms), head, sizeof head - 2);
		head[n++] = ' ';
	}
	head[n++] = tag;
	head[n++] = ' ';
	if (logfile_needs_rotation(lf->size, n + line->len + 1,
	    lf->opts.max_bytes) && logfile_rotate(lf, err, errsize) == -1)
		return -1;
	if (logfile_put(lf, head, n, err, errsize) == -1 ||
	    logfile_put(lf, line->text, line->len, err, errsize) == -1 ||
	    logfile_put(lf, "\n", 1, err, errsize) == -1)
		return -1;
	return 0;
}

int
logfile_line(struct logfile *lf, const struct store_line *line, char *err,
    size_t errsize)
{
	char tag = (line->flags & STORE_NOTE) ? '*' :
	    (line->flags & STORE_INPUT) ? '>' :
	    line->stream == STORE_STDERR ? '!' : '|';

	return logfile_tagged(lf, tag, line, err, errsize);
}
