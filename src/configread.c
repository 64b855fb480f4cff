/*
 * configread: owns reading a config file for inih — opening it safely,
 * the reader ini_parse_stream() calls (line numbers, BOM, NUL bytes,
 * lines that are not INI, section headers, lines longer than inih's
 * buffer handed over in pieces), and the handler that puts pieces and
 * continuation lines back together and keeps what inline comments cut.
 * What the keys mean is the client's business (see config.c).
 *
 * inih's reader contract: it is called with a buffer of NUM bytes and
 * must fill it as fgets() would, at most NUM - 1 bytes and a NUL.  Every
 * piece handed over here ends with a '\n' and is shorter than that, so
 * no inih (this one, or a newer one that discards the rest of a line that
 * filled its buffer) ever takes a piece for a line cut short.
 *
 * A long line goes in pieces: the first as it is (from its first
 * character that is not white space), each of the others as a
 * continuation line of its own, " +" and the piece, which inih hands to
 * the handler as one more value of the key.  The handler takes the text
 * of each piece from the line itself, not from what inih made of it (inih
 * strips the white space at the ends of every line), so the value comes
 * back byte for byte.  The first piece of a key line is read by inih
 * alone, and an inline comment it cuts there is found by comparing its
 * value with the line; for the rest of the line and for continuation
 * lines (which this inih does not cut) the same rule is applied here.
 */
#define _GNU_SOURCE		/* getline, strndup */
#include "configread.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define CONFIGREAD_MAX_BYTES (16 * 1024 * 1024)	/* a config is a few KiB */
#define CONFIGREAD_MIN_BUFFER 16	/* inih's is INI_MAX_LINE, 200 */
#define CONFIGREAD_GUARD '+'	/* starts a piece: not white space, not a
				   comment, so inih hands it over whatever
				   the piece starts with */

#ifndef INI_START_COMMENT_PREFIXES
#define INI_START_COMMENT_PREFIXES ";#"
#endif
#ifndef INI_INLINE_COMMENT_PREFIXES
#define INI_INLINE_COMMENT_PREFIXES ";"
#endif
#ifndef INI_ALLOW_INLINE_COMMENTS
#define INI_ALLOW_INLINE_COMMENTS 1
#endif

/* What the physical line being handed over is. */
enum configread_kind {
	LINE_OTHER,		/* blank, a comment, a header: no handler
				   call */
	LINE_KEY,		/* "key = value" */
	LINE_MORE,		/* a continuation of the last key's value */
};

struct configread {
	const struct configread_ops *ops;
	void *user;
	FILE *f;
	char *buf;		/* the physical line (getline) */
	size_t bufsize;
	size_t len;		/* its length, line ending left out */
	int line;
	size_t bytes;		/* read so far */
	bool too_big;		/* grew past CONFIGREAD_MAX_BYTES while read */
	bool small_buffer;	/* inih's buffer cannot take a piece */

	/* The line being handed over, and the last piece of it. */
	enum configread_kind kind;
	size_t given;		/* bytes of buf handed over so far */
	size_t from, to;	/* the last piece: buf[from, to) */
	size_t start, end;	/* the value's text: buf[start, end); end is
				   the line's end or an inline comment */
	bool seen;		/* inih called the handler for a key line */
	bool keep;		/* this line's text goes to the last entry */
	bool separate;		/* a ' ' goes before this line's text */
	bool finished;		/* its text is all in */

	bool inih_key;		/* inih has a key for a continuation */
	bool keep_more;		/* the client kept that key */

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
	size_t i, j;

	r->ops->end(r->user, r->entries, r->nentries);
	for (i = 0; i < r->nentries; i++) {
		for (j = 0; j < r->entries[i].ncomments; j++)
			free(r->entries[i].comments[j].text);
		free(r->entries[i].comments);
		free(r->entries[i].key);
		free(r->entries[i].value);
	}
	r->nentries = 0;
	r->keep = r->keep_more = false;
}

static int
configread_push(struct configread *r, const char *name, const char *value,
    size_t n)
{
	struct configread_entry *grown, *e;

	if (r->nentries == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;

		grown = realloc(r->entries, cap * sizeof *grown);
		if (grown == NULL)
			return -1;
		r->entries = grown;
		r->cap = cap;
	}
	e = &r->entries[r->nentries];
	memset(e, 0, sizeof *e);
	e->key = strdup(name);
	e->value = strndup(value, n);
	e->len = n;
	e->size = n + 1;
	e->line = r->line;
	if (e->key == NULL || e->value == NULL) {
		free(e->key);
		free(e->value);
		return -1;
	}
	r->nentries++;
	return 0;
}

/* Append N bytes of S to the last entry's value.  Its room doubles as it
 * grows, so a value of many pieces or lines is joined in linear time. */
static void
configread_append(struct configread *r, const char *s, size_t n)
{
	struct configread_entry *e = &r->entries[r->nentries - 1];
	size_t size = e->size;
	char *grown;

	while (size < e->len + n + 1)
		size *= 2;
	if (size != e->size) {
		if ((grown = realloc(e->value, size)) == NULL)
			return;
		e->value = grown;
		e->size = size;
	}
	memcpy(e->value + e->len, s, n);
	e->len += n;
	e->value[e->len] = '\0';
}

/* The last entry lost the text at buf[AT] (a comment character) to the
 * end of the line to an inline comment: note it, from the white space
 * before it. */
static void
configread_note_comment(struct configread *r, size_t at)
{
	struct configread_entry *e = &r->entries[r->nentries - 1];
	struct configread_comment *grown;
	char *text = strndup(r->buf + at - 1, r->len - at + 1);

	if (text == NULL)
		return;
	grown = realloc(e->comments, (e->ncomments + 1) * sizeof *grown);
	if (grown == NULL) {
		free(text);
		return;
	}
	e->comments = grown;
	e->comments[e->ncomments].line = r->line;
	e->comments[e->ncomments].text = text;
	e->ncomments++;
}

/* --- inline comments ----------------------------------------------------- */

/*
 * Where an inline comment starts in buf[FROM, len): a character of
 * INI_INLINE_COMMENT_PREFIXES after white space, WAS_SPACE telling
 * whether the character before FROM was white space.  This is inih's rule
 * for a key line's value (ini_find_chars_or_comment()); the line's end if
 * there is none.
 */
static size_t
configread_comment(const struct configread *r, size_t from, bool was_space)
{
	size_t i;

	if (!INI_ALLOW_INLINE_COMMENTS)
		return r->len;
	for (i = from; i < r->len; i++) {
		if (was_space && strchr(INI_INLINE_COMMENT_PREFIXES, r->buf[i]))
			return i;
		was_space = isspace((unsigned char)r->buf[i]);
	}
	return r->len;
}

/* --- the handler ---------------------------------------------------------- */

/* The line's text is all in: its trailing white space goes, as inih's
 * does from every value. */
static void
configread_finish(struct configread *r)
{
	struct configread_entry *e;

	if (r->finished)
		return;
	r->finished = true;
	if (!r->keep || r->nentries == 0)
		return;
	e = &r->entries[r->nentries - 1];
	while (e->len > 0 && isspace((unsigned char)e->value[e->len - 1]))
		e->value[--e->len] = '\0';
}

/* inih has read the last piece handed over: its part of the value's
 * text goes to the last entry. */
static void
configread_piece(struct configread *r)
{
	size_t from = r->from > r->start ? r->from : r->start;
	size_t to = r->to < r->end ? r->to : r->end;

	if (r->finished)
		return;
	if (r->keep && to > from) {
		if (r->separate)
			configread_append(r, " ", 1);
		r->separate = false;
		configread_append(r, r->buf + from, to - from);
	}
	if (r->to >= r->end)
		configread_finish(r);
}

/*
 * inih has read a key line's first piece as NAME = VALUE.  VALUE is the
 * piece's text after the first '=' or ':', without the white space at its
 * ends and without an inline comment: if it ends before the piece's text
 * does, inih cut one, and the rest of the line is that comment.
 */
static void
configread_key(struct configread *r, const char *name, const char *value)
{
	size_t n = strlen(value), v, stripped;

	r->seen = true;
	r->inih_key = true;
	v = (size_t)(strpbrk(r->buf + r->from, "=:") - r->buf) + 1;
	while (v < r->to && isspace((unsigned char)r->buf[v]))
		v++;
	for (stripped = r->to; stripped > v &&
	    isspace((unsigned char)r->buf[stripped - 1]); stripped--)
		;
	r->start = v;
	if (v + n > r->to || memcmp(r->buf + v, value, n) != 0) {
		/* Not the inih this was written for: take its value. */
		r->end = r->to = v + n;
		r->keep_more = r->keep = r->ops->key(r->user, name, r->line) &&
		    configread_push(r, name, value, n) == 0;
		r->finished = true;
		return;
	}
	if (v + n < stripped) {
		for (r->end = v + n; isspace((unsigned char)r->buf[r->end]);
		    r->end++)
			;
	} else {
		r->end = configread_comment(r, r->to,
		    isspace((unsigned char)r->buf[r->to - 1]));
		/* The value starts in a later piece: inih would skip the white
		 * space before it. */
		if (r->start == r->to) {
			while (r->start < r->end &&
			    isspace((unsigned char)r->buf[r->start]))
				r->start++;
		}
	}
	r->keep_more = r->keep = r->ops->key(r->user, name, r->line) &&
	    configread_push(r, name, "", 0) == 0;
	if (r->keep && r->end < r->len)
		configread_note_comment(r, r->end);
	configread_piece(r);
}

/* inih calls this for each "key = value", each continuation line and
 * each later piece of a long line. */
static int
configread_handle(void *user, const char *section, const char *name,
    const char *value)
{
	struct configread *r = user;

	(void)section;
	if (r->kind == LINE_KEY && !r->seen)
		configread_key(r, name, value);
	else if (r->kind != LINE_OTHER)
		configread_piece(r);
	return 1;
}

/* --- lines ------------------------------------------------------------- */

/* Hand inih buf[FROM, FROM + N), after PREFIX, and a '\n'. */
static char *
configread_give(struct configread *r, char *str, const char *prefix,
    size_t from, size_t n)
{
	size_t p = strlen(prefix);

	memcpy(str, prefix, p);
	memcpy(str + p, r->buf + from, n);
	str[p + n] = '\n';
	str[p + n + 1] = '\0';
	r->from = from;
	r->to = from + n;
	r->given = r->to;
	return str;
}

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
	return 1;
}

/*
 * inih gets a header it always takes, so that it forgets the last key as
 * the client does: "[name]" when that fits its buffer and holds nothing
 * inih would read as a comment, else "[]" (inih's name for the section is
 * never used).
 */
static char *
configread_give_header(struct configread *r, char *str, size_t num,
    const char *s)
{
	size_t n = (size_t)(strchr(s, ']') - s) + 1, i;
	bool plain = n + 2 <= num;

	for (i = 1; plain && i < n; i++) {
		if (isspace((unsigned char)s[i - 1]) &&
		    strchr(INI_INLINE_COMMENT_PREFIXES, s[i]))
			plain = false;
	}
	r->inih_key = false;
	if (!plain)
		return strcpy(str, "[]\n");
	return configread_give(r, str, "", (size_t)(s - r->buf), n);
}

/*
 * The next piece of the line being handed over, if there is one: the
 * line's text goes on past what inih has had (and past no inline
 * comment), and the client keeps it.
 */
static char *
configread_more(struct configread *r, char *str, size_t num)
{
	size_t n;

	if (r->kind == LINE_OTHER || r->finished || !r->keep ||
	    r->given >= r->end)
		return NULL;
	n = r->end - r->given;
	if (n > num - 4)	/* " +", the piece, "\n" and the NUL */
		n = num - 4;
	return configread_give(r, str, (char[]){ ' ', CONFIGREAD_GUARD, '\0' },
	    r->given, n);
}

/* The line handed over is done with: a key line inih did not take is an
 * error (a ';' after white space before its '=' made it a comment). */
static void
configread_close_line(struct configread *r)
{
	if (r->kind == LINE_KEY && !r->seen)
		configread_error(r, r->line, "not a 'key = value' line or a "
		    "[section]");
	if (r->kind != LINE_OTHER)
		configread_finish(r);
	r->kind = LINE_OTHER;
}

/* The first piece of the physical line in buf, into STR (NUM bytes); NULL
 * if inih must not see the line. */
static char *
configread_first(struct configread *r, char *str, size_t num)
{
	size_t s = 0, delim;

	while (s < r->len && isspace((unsigned char)r->buf[s]))
		s++;
	r->kind = LINE_OTHER;
	r->seen = r->finished = r->separate = false;
	if (memchr(r->buf, '\0', r->len) != NULL) {
		configread_error(r, r->line, "a NUL byte: this is not a text "
		    "file");
		return NULL;
	}
	if (s == r->len)
		return strcpy(str, "\n");
	if (strchr(INI_START_COMMENT_PREFIXES, r->buf[s]))
		return configread_give(r, str, "", s, r->len - s < num - 2 ?
		    r->len - s : num - 2);
	if (s > 0 && r->inih_key) {	/* inih: a continuation */
		r->kind = LINE_MORE;
		r->keep = r->keep_more;
		r->separate = true;
		r->start = s;
		r->end = configread_comment(r, s, false);
		if (r->keep && r->end < r->len)
			configread_note_comment(r, r->end);
		return configread_give(r, str, " ", s, r->end - s < num - 3 ?
		    r->end - s : num - 3);
	}
	switch (configread_header(r, r->buf + s)) {
	case 1:
		return configread_give_header(r, str, num, r->buf + s);
	case -1:
		return NULL;
	}
	if (strpbrk(r->buf + s, "=:") == NULL) {
		configread_error(r, r->line, "not a 'key = value' line or a "
		    "[section]");
		return NULL;
	}
	delim = (size_t)(strpbrk(r->buf + s, "=:") - r->buf);
	if (delim - s + 1 > num - 2) {
		configread_error(r, r->line, "a key name of more than %zu "
		    "characters: no key is that long", num - 3);
		return NULL;
	}
	r->kind = LINE_KEY;
	r->keep = false;
	r->start = r->end = r->len;
	return configread_give(r, str, "", s, r->len - s < num - 2 ?
	    r->len - s : num - 2);
}

/* A UTF-8 byte order mark, which some Windows editors put at the start of
 * the file, is not part of the first line.  (inih skips one only at the
 * start of what it is given.) */
static void
configread_skip_bom(struct configread *r, ssize_t *n)
{
	if (r->line == 1 && *n >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0) {
		memmove(r->buf, r->buf + 3, (size_t)*n - 3 + 1);
		*n -= 3;
	}
}

/* The next physical line into buf; false at the end of the file. */
static bool
configread_next(struct configread *r)
{
	ssize_t n;

	if (r->too_big || (n = getline(&r->buf, &r->bufsize, r->f)) == -1)
		return false;
	/* The size was checked when the file was opened; a file written to
	 * meanwhile is not read past the limit either. */
	if ((r->bytes += (size_t)n) > CONFIGREAD_MAX_BYTES) {
		configread_error(r, 0, "too large (it grew past the %d MiB limit "
		    "while being read)", CONFIGREAD_MAX_BYTES >> 20);
		r->too_big = true;
		return false;
	}
	r->line++;
	configread_skip_bom(r, &n);
	while (n > 0 && (r->buf[n - 1] == '\n' || r->buf[n - 1] == '\r'))
		r->buf[--n] = '\0';
	r->len = (size_t)n;
	return true;
}

/* inih's reader: the next piece of the line being handed over, or the
 * first piece of the next line inih may see. */
static char *
configread_line(char *str, int num, void *stream)
{
	struct configread *r = stream;
	char *piece;

	if (num < CONFIGREAD_MIN_BUFFER) {
		if (!r->small_buffer)
			configread_error(r, 0, "inih's line buffer (%d bytes) is "
			    "too small to read this file", num);
		r->small_buffer = true;
		return NULL;
	}
	if ((piece = configread_more(r, str, (size_t)num)) != NULL)
		return piece;
	configread_close_line(r);
	while (configread_next(r)) {
		if ((piece = configread_first(r, str, (size_t)num)) != NULL)
			return piece;
	}
	return NULL;
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
 * NULL, or why not as a new string. */
static char *
configread_check_file(const struct stat *sb)
{
	long long mib, tenth;
	char *why = NULL;
	int rc;

	if (S_ISDIR(sb->st_mode))
		rc = asprintf(&why, "cannot open: %s", strerror(EISDIR));
	else if (!S_ISREG(sb->st_mode))
		rc = asprintf(&why, "not a regular file (%s)",
		    configread_file_kind(sb->st_mode));
	else if (sb->st_size <= CONFIGREAD_MAX_BYTES)
		return NULL;
	else {
		/* In MiB, rounded up to a tenth: just past the limit is not
		 * shown as the limit itself. */
		mib = (long long)(sb->st_size >> 20);
		tenth = ((long long)(sb->st_size & ((1 << 20) - 1)) * 10 +
		    (1 << 20) - 1) >> 20;
		if (tenth == 10)
			mib++, tenth = 0;
		if (tenth == 0)
			rc = asprintf(&why, "too large (%lld MiB; the limit is %d "
			    "MiB)", mib, CONFIGREAD_MAX_BYTES >> 20);
		else
			rc = asprintf(&why, "too large (%lld.%lld MiB; the limit "
			    "is %d MiB)", mib, tenth, CONFIGREAD_MAX_BYTES >> 20);
	}
	return rc == -1 ? strdup("out of memory") : why;
}

static FILE *
configread_fail(char **why, const char *what, int err)
{
	if (asprintf(why, "%s: %s", what, strerror(err)) == -1)
		*why = NULL;
	return NULL;
}

/*
 * Open PATH without waiting: O_NONBLOCK, as opening a FIFO with no
 * writer blocks until one comes.  Once fstat() has shown a regular file,
 * whose reads never wait, the flag is cleared again for stdio.  NULL with
 * *WHY (and *ERRNUM when the open failed) if PATH cannot be read.
 */
static FILE *
configread_open(const char *path, int *errnum, char **why)
{
	struct stat sb;
	FILE *f;
	int fd, flags, err;

	*errnum = 0;
	*why = NULL;
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1) {
		err = errno;
		/* A socket cannot be opened at all: say what it is. */
		if (err == ENXIO && stat(path, &sb) == 0 &&
		    !S_ISREG(sb.st_mode)) {
			*why = configread_check_file(&sb);
			return NULL;
		}
		*errnum = err;
		return configread_fail(why, "cannot open", err);
	}
	if (fstat(fd, &sb) == -1) {
		err = errno;
		close(fd);
		return configread_fail(why, "cannot read", err);
	}
	if ((*why = configread_check_file(&sb)) != NULL) {
		close(fd);
		return NULL;
	}
	if ((flags = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == -1 ||
	    (f = fdopen(fd, "r")) == NULL) {
		err = errno;
		close(fd);
		return configread_fail(why, "cannot read", err);
	}
	return f;
}

char *
configread_text(const char *path, size_t *len, int *errnum, char **why)
{
	FILE *f = configread_open(path, errnum, why);
	size_t size = 4096, n = 0, got;
	char *text, *grown;

	*len = 0;
	if (f == NULL)
		return NULL;
	if ((text = malloc(size)) == NULL) {
		fclose(f);
		return NULL;
	}
	while ((got = fread(text + n, 1, size - n - 1, f)) > 0) {
		n += got;
		if (n > CONFIGREAD_MAX_BYTES) {
			/* It grew while being read. */
			if (asprintf(why, "too large (it grew past the %d MiB "
			    "limit while being read)",
			    CONFIGREAD_MAX_BYTES >> 20) == -1)
				*why = NULL;
			goto fail;
		}
		if (n + 1 == size) {
			if ((grown = realloc(text, size * 2)) == NULL)
				goto fail;
			text = grown;
			size *= 2;
		}
	}
	if (ferror(f)) {
		configread_fail(why, "cannot read", errno);
		goto fail;
	}
	fclose(f);
	text[n] = '\0';
	*len = n;
	return text;
fail:
	fclose(f);
	free(text);
	return NULL;
}

int
configread_file(const char *path, const struct configread_ops *ops,
    void *user)
{
	struct configread r;
	char *why;
	int errnum;

	memset(&r, 0, sizeof r);
	r.ops = ops;
	r.user = user;
	if ((r.f = configread_open(path, &errnum, &why)) == NULL) {
		configread_error(&r, 0, "%s", why != NULL ? why :
		    "out of memory");
		free(why);
		return -1;
	}
	ini_parse_stream(configread_line, &r, configread_handle, &r);
	configread_close_line(&r);
	configread_end(&r);
	if (ferror(r.f))
		configread_error(&r, 0, "cannot read: %s", strerror(errno));
	fclose(r.f);
	free(r.buf);
	free(r.entries);
	return 0;
}
