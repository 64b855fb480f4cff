/*
 * configread: an INI file, line by line, through inih.
 *
 * Opens the file without waiting and refuses one that is not a regular
 * file or is larger than 16 MiB; hands inih (ini_parse_stream) one
 * physical line at a time, counting lines (inih does not pass them),
 * skipping a UTF-8 byte order mark, and keeping from inih the lines it
 * cannot take: a NUL byte, neither "key = value" nor "[section]".
 *
 * A line may be of any length: one longer than inih's buffer is handed
 * over in pieces, each of which inih reads as a line of its own, and the
 * pieces are put back together.  inih cuts a key line's inline comment (a
 * ';' after white space, as supervisord does); a continuation line
 * (indented, after a key), and what follows the first piece of a long
 * line, is cut by the same rule here.  What a comment cut is kept with
 * the value, so that the client can say so.  The keys of each section are
 * gathered until the section ends.
 *
 * It knows nothing of tend's sections or keys: what it reads goes to the
 * client's callbacks, in file order, with the line it was on.
 */
#ifndef TEND_CONFIGREAD_H
#define TEND_CONFIGREAD_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* Text an inline comment took from a value. */
struct configread_comment {
	int line;
	char *text;		/* from the white space before the ';' to the
				   end of the line */
};

/* One "key = value" of a section, continuation lines joined. */
struct configread_entry {
	char *key;
	char *value;
	size_t len, size;	/* of value, which pieces and continuation
				   lines grow */
	int line;
	struct configread_comment *comments;	/* in line order */
	size_t ncomments;
};

struct configread_ops {
	/* A "[NAME]" header on LINE; end() has closed the section before. */
	void (*section)(void *user, const char *name, int line);
	/* "KEY = value" on LINE: whether the section keeps it. */
	bool (*key)(void *user, const char *key, int line);
	/* The section ends, at a header, a broken header or the end of the
	 * file, with the N entries it kept (they are freed after).  The
	 * lines before the first header count as a section too. */
	void (*end)(void *user, const struct configread_entry *entries,
	    size_t n);
	/* A problem on LINE, or with the file as a whole when LINE is 0:
	 * an error, or a warning when WARNING. */
	void (*report)(void *user, bool warning, int line, const char *fmt,
	    va_list ap);
};

/* Read PATH, calling OPS with USER.  Returns -1 if it could not be opened
 * or was refused (the reason went to report()), 0 once it has been read,
 * whatever its lines held. */
int configread_file(const char *path, const struct configread_ops *ops,
    void *user);

/*
 * The whole of PATH, opened as configread_file() opens a config (without
 * waiting; a regular file of at most 16 MiB), as a new NUL-terminated
 * string of *LEN bytes (a NUL byte in it is the caller's to refuse).
 * NULL with *WHY set to a new message ("cannot open: No such file or
 * directory", "not a regular file (a FIFO)", ...; NULL if memory ran
 * out), and *ERRNUM to the errno of a failed open (0 otherwise).
 */
char *configread_text(const char *path, size_t *len, int *errnum,
    char **why);

#endif
