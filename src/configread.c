/*
 * configread: owns reading a config file for inih — opening it safely,
 * the reader ini_parse_stream() calls for each line (line numbers, BOM,
 * NUL bytes, over-long lines, lines that are not INI, section headers),
 * and the handler that gathers a section's keys and joins continuation
 * lines.  What the keys mean is the client's business (see config.c).
 */
#define _GNU_SOURCE		/* getline, strndup */
#include "configread.h"

#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define CONFIGREAD_LINE_MAX 199	/* inih's INI_MAX_LINE less the NUL */
_Static_assert(CONFIGREAD_LINE_MAX < INI_MAX_LINE,
    "a line must fit inih's buffer");
#define CONFIGREAD_MAX_BYTES (16 * 1024 * 1024)	/* a config is a few KiB */

struct configread {
	const struct configread_ops *ops;
	void *user;
	FILE *f;
	char *buf;		/* the physical line (getline) */
	size_t bufsize;
	int line;
	bool indented;		/* the line starts with white space */
	bool owe_newline;	/* the last line filled inih's buffer */
	size_t bytes;		/* read so far */
	bool too_big;		/* grew past CONFIGREAD_MAX_BYTES while read */
	bool has_key;		/* inih would take an indented line as a
				   continuation */

	struct configread_entry *entries;	/* of the section being read */
	size_t nentries, cap;
};

static void __attribute__((format(printf, 3, 4)))
configread_error(struct configread *r, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	r->ops->report(r->user, false, line, fmt, ap);
	va_end(ap);
}

/* --- the section's entries ---------------------------------------------- */

/* The section being read is complete: hand its entries over. */
static void
configread_end(struct configread *r)
{
	size_t i;

	r->ops->end(r->user, r->entries, r->nentries);
	for (i = 0; i < r->nentries; i++) {
		free(r->entries[i].key);
		free(r->entries[i].value);
	}
	r->nentries = 0;
}

/* Join a continuation line to the value it continues.  (inih keeps an
 * inline comment on a continuation line: it is cut here.)  The value's
 * room doubles as it grows, so a value continued on many lines is joined
 * in linear time. */
static void
configread_continue(struct configread *r, const char *value)
{
	struct configread_entry *e = &r->entries[r->nentries - 1];
	const char *c = value;
	size_t n, size;
	char *grown;

	while ((c = strchr(c, ';')) != NULL && c > value &&
	    c[-1] != ' ' && c[-1] != '\t')
		c++;
	n = c != NULL ? (size_t)(c - value) : strlen(value);
	while (n > 0 && (value[n - 1] == ' ' || value[n - 1] == '\t'))
		n--;
	if (n == 0)
		return;
	size = e->size;
	while (size < e->len + n + 2)	/* ' ', the N bytes and the NUL */
		size *= 2;
	if (size != e->size) {
		if ((grown = realloc(e->value, size)) == NULL)
			return;
		e->value = grown;
		e->size = size;
	}
	e->value[e->len++] = ' ';
	memcpy(e->value + e->len, value, n);
	e->len += n;
	e->value[e->len] = '\0';
}

static int
configread_push(struct configread *r, const char *name, const char *value)
{
	struct configread_entry *grown;

	if (r->nentries == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;

		grown = realloc(r->entries, cap * sizeof *grown);
		if (grown == NULL)
			return -1;
		r->entries = grown;
		r->cap = cap;
	}
	r->entries[r->nentries].key = strdup(name);
	r->entries[r->nentries].value = strdup(value);
	r->entries[r->nentries].len = strlen(value);
	r->entries[r->nentries].size = strlen(value) + 1;
	r->entries[r->nentries].line = r->line;
	if (r->entries[r->nentries].key == NULL ||
	    r->entries[r->nentries].value == NULL) {
		free(r->entries[r->nentries].key);
		free(r->entries[r->nentries].value);
		return -1;
	}
	r->nentries++;
	return 0;
}

/* inih calls this for each "key = value" and each continuation line. */
static int
configread_handle(void *user, const char *section, const char *name,
    const char *value)
{
	struct configread *r = user;

	(void)section;
	if (r->indented) {
		if (r->nentries > 0)
			configread_continue(r, value);
		return 1;
	}
	if (r->ops->key(r->user, name, r->line))
		configread_push(r, name, value);
	return 1;
}

/* --- lines ------------------------------------------------------------- */

/* A "[name]" line: returns 1 and starts the section, 0 if LINE is not a
 * header, -1 after reporting a broken one. */
static int
configread_header(struct configread *r, const char *s)
{
	const char *end;
	char *name;

	if (*s != '[')
		return 0;
	end = strchr(s, ']');
	if (end == NULL) {
		configread_error(r, r->line, "section header without ']'");
		configread_end(r);
		return -1;
	}
	name = strndup(s + 1, (size_t)(end - s - 1));
	if (name == NULL)
		return -1;
	configread_end(r);
	r->ops->section(r->user, name, r->line);
	free(name);
	r->has_key = false;
	return 1;
}

/* Check one physical line; false if inih must not see it. */
static bool
configread_check_line(struct configread *r, size_t len)
{
	const char *s = r->buf + strspn(r->buf, " \t");

	r->indented = false;
	if (memchr(r->buf, '\0', len) != NULL) {
		configread_error(r, r->line, "a NUL byte: this is not a text "
		    "file");
		return false;
	}
	if (len > CONFIGREAD_LINE_MAX) {
		configread_error(r, r->line, "line is longer than %d "
		    "characters; continue the value on the next line, indented",
		    CONFIGREAD_LINE_MAX);
		return false;
	}
	if (*s == '\0' || *s == ';' || *s == '#')
		return true;
	if (s > r->buf && r->has_key) {
		r->indented = true;	/* inih: a continuation */
		return true;
	}
	switch (configread_header(r, s)) {
	case 1:
		return true;
	case -1:
		return false;
	}
	if (strpbrk(s, "=:") == NULL) {
		configread_error(r, r->line, "not a 'key = value' line or a "
		    "[section]");
		return false;
	}
	r->has_key = true;
	return true;
}

/* A UTF-8 byte order mark, which some Windows editors put at the start of
 * the file, is not part of the first line.  (inih skips one only when it
 * reads the file itself.) */
static void
configread_skip_bom(struct configread *r, ssize_t *n)
{
	if (r->line == 1 && *n >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0) {
		memmove(r->buf, r->buf + 3, (size_t)*n - 3 + 1);
		*n -= 3;
	}
}

/*
 * inih's reader: hands it the file line by line, checked.  STR has room
 * for NUM bytes, the NUL included, and configread_check_line() refused
 * lines longer than CONFIGREAD_LINE_MAX (NUM - 1), so a line handed over
 * is never cut.  A '\n' is added when there is room for it: this inih does
 * not need one, but newer ones take a full buffer without it for a line
 * cut short and read on to discard the rest; the empty line owed then is
 * what they discard (to this one it is a blank line).
 */
static char *
configread_line(char *str, int num, void *stream)
{
	struct configread *r = stream;
	ssize_t n;

	if (r->owe_newline && num >= 2) {
		r->owe_newline = false;
		return strcpy(str, "\n");
	}
	for (;;) {
		if (r->too_big || (n = getline(&r->buf, &r->bufsize, r->f)) == -1)
			return NULL;
		/* The size was checked when the file was opened; a file
		 * written to meanwhile is not read past the limit either. */
		if ((r->bytes += (size_t)n) > CONFIGREAD_MAX_BYTES) {
			configread_error(r, 0, "too large (it grew past the %d MiB "
			    "limit while being read)", CONFIGREAD_MAX_BYTES >> 20);
			r->too_big = true;
			return NULL;
		}
		r->line++;
		configread_skip_bom(r, &n);
		while (n > 0 && (r->buf[n - 1] == '\n' || r->buf[n - 1] == '\r'))
			r->buf[--n] = '\0';
		if (!configread_check_line(r, (size_t)n))
			continue;
		if (n > num - 1) {	/* only if inih's buffer is not the
					   INI_MAX_LINE bytes it should be */
			configread_error(r, r->line, "line is longer than %d "
			    "characters; continue the value on the next line, "
			    "indented", num - 1);
			continue;
		}
		memcpy(str, r->buf, (size_t)n);
		if (n < num - 1)
			str[n++] = '\n';
		else
			r->owe_newline = true;
		str[n] = '\0';
		return str;
	}
}

/* --- the file ---------------------------------------------------------- */

static const char *
configread_file_kind(mode_t mode)
{
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a file";
}

/* Only a regular file of at most CONFIGREAD_MAX_BYTES is read: /dev/zero
 * or /dev/urandom would be read for ever, a FIFO may never end.  Returns
 * 0, or -1 after reporting. */
static int
configread_check_file(struct configread *r, const struct stat *sb)
{
	long long mib, tenth;

	if (S_ISDIR(sb->st_mode)) {
		configread_error(r, 0, "cannot open: %s", strerror(EISDIR));
		return -1;
	}
	if (!S_ISREG(sb->st_mode)) {
		configread_error(r, 0, "not a regular file (%s)",
		    configread_file_kind(sb->st_mode));
		return -1;
	}
	if (sb->st_size <= CONFIGREAD_MAX_BYTES)
		return 0;
	/* In MiB, rounded up to a tenth: just past the limit is not
	 * shown as the limit itself. */
	mib = (long long)(sb->st_size >> 20);
	tenth = ((long long)(sb->st_size & ((1 << 20) - 1)) * 10 +
	    (1 << 20) - 1) >> 20;
	if (tenth == 10)
		mib++, tenth = 0;
	if (tenth == 0)
		configread_error(r, 0, "too large (%lld MiB; the limit is %d "
		    "MiB)", mib, CONFIGREAD_MAX_BYTES >> 20);
	else
		configread_error(r, 0, "too large (%lld.%lld MiB; the limit is "
		    "%d MiB)", mib, tenth, CONFIGREAD_MAX_BYTES >> 20);
	return -1;
}

/*
 * Open PATH without waiting: O_NONBLOCK, as opening a FIFO with no
 * writer blocks until one comes.  Once fstat() has shown a regular file,
 * whose reads never wait, the flag is cleared again for stdio.
 */
static FILE *
configread_open(struct configread *r, const char *path)
{
	struct stat sb;
	FILE *f;
	int fd, flags, err;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1) {
		err = errno;
		/* A socket cannot be opened at all: say what it is. */
		if (err == ENXIO && stat(path, &sb) == 0 &&
		    !S_ISREG(sb.st_mode)) {
			configread_check_file(r, &sb);
			return NULL;
		}
		configread_error(r, 0, "cannot open: %s", strerror(err));
		return NULL;
	}
	if (fstat(fd, &sb) == -1) {
		configread_error(r, 0, "cannot read: %s", strerror(errno));
		close(fd);
		return NULL;
	}
	if (configread_check_file(r, &sb) == -1) {
		close(fd);
		return NULL;
	}
	if ((flags = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == -1 ||
	    (f = fdopen(fd, "r")) == NULL) {
		configread_error(r, 0, "cannot read: %s", strerror(errno));
		close(fd);
		return NULL;
	}
	return f;
}

int
configread_file(const char *path, const struct configread_ops *ops,
    void *user)
{
	struct configread r;

	memset(&r, 0, sizeof r);
	r.ops = ops;
	r.user = user;
	if ((r.f = configread_open(&r, path)) == NULL)
		return -1;
	ini_parse_stream(configread_line, &r, configread_handle, &r);
	configread_end(&r);
	if (ferror(r.f))
		configread_error(&r, 0, "cannot read: %s", strerror(errno));
	fclose(r.f);
	free(r.buf);
	free(r.entries);
	return 0;
}
