/*
 * logfile: a program's full output appended to <log_dir>/<name>.log.
 *
 * Owns the file descriptor and a write buffer.  Each line gets a one-char
 * tag ('|' stdout, '!' stderr, '>' input, '*' tend's notes) and a space,
 * so the log keeps every byte and still tells the streams apart.
 */
#define _GNU_SOURCE
#include "logfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOGFILE_BUFSIZE (256 * 1024)

struct logfile {
	int fd;
	char *path;
	size_t used;
	char buf[LOGFILE_BUFSIZE];
};

/* mkdir -p: create DIR and its missing parents. */
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
		if (mkdir(path, 0755) == -1 && errno != EEXIST)
			return -1;
		path[i] = dir[i];
	}
	return 0;
}

struct logfile *
logfile_open(const char *dir, const char *name, char *err, size_t errsize)
{
	struct logfile *lf;
	char *path;

	if (logfile_mkdirs(dir) == -1) {
		snprintf(err, errsize, "cannot create log folder %s: %s", dir,
		    strerror(errno));
		return NULL;
	}
	if (asprintf(&path, "%s/%s.log", dir, name) == -1) {
		snprintf(err, errsize, "out of memory");
		return NULL;
	}
	lf = malloc(sizeof *lf);
	if (lf == NULL) {
		free(path);
		snprintf(err, errsize, "out of memory");
		return NULL;
	}
	lf->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (lf->fd == -1) {
		snprintf(err, errsize, "cannot open log %s: %s", path,
		    strerror(errno));
		free(path);
		free(lf);
		return NULL;
	}
	lf->path = path;
	lf->used = 0;
	return lf;
}

void
logfile_close(struct logfile *lf)
{
	if (lf == NULL)
		return;
	logfile_flush(lf, NULL, 0);
	close(lf->fd);
	free(lf->path);
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
	if (lf->used + len > sizeof lf->buf &&
	    logfile_flush(lf, err, errsize) == -1)
		return -1;
	if (len > sizeof lf->buf)
		return logfile_write_all(lf, p, len, err, errsize);
	memcpy(lf->buf + lf->used, p, len);
	lf->used += len;
	return 0;
}

static int
logfile_tagged(struct logfile *lf, char tag, const char *text, size_t len,
    char *err, size_t errsize)
{
	char head[2] = { tag, ' ' };

	if (logfile_put(lf, head, sizeof head, err, errsize) == -1 ||
	    logfile_put(lf, text, len, err, errsize) == -1 ||
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

	return logfile_tagged(lf, tag, line->text, line->len, err, errsize);
}
