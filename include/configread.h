/*
 * configread: an INI file, line by line, through inih.
 *
 * Opens the file without waiting and refuses one that is not a regular
 * file or is larger than 16 MiB; hands inih (ini_parse_stream) one
 * physical line at a time, counting lines (inih does not pass them),
 * skipping a UTF-8 byte order mark, and keeping from inih the lines it
 * cannot take: a NUL byte, longer than 199 characters, neither
 * "key = value" nor "[section]".  A continuation line (indented, after a
 * key) is joined to the value it continues, without its inline comment.
 * The keys of each section are gathered until the section ends.
 *
 * It knows nothing of tend's sections or keys: what it reads goes to the
 * client's callbacks, in file order, with the line it was on.
 */
#ifndef TEND_CONFIGREAD_H
#define TEND_CONFIGREAD_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* One "key = value" of a section, continuation lines joined. */
struct configread_entry {
	char *key;
	char *value;
	size_t len, size;	/* of value, which continuation lines grow */
	int line;
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

#endif
