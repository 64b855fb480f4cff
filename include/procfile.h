/*
 * procfile: a Procfile, as foreman, overmind and Heroku read one.
 *
 *   # a comment
 *   web: bundle exec rails server -p $PORT
 *   worker: bundle exec sidekiq
 *
 * One program a line, "NAME: command": NAME is letters, digits, '_', '-'
 * and '.' (not first), as tend's program names are; the command is the
 * rest of the line, taken as it is (the shell reads it: no inline
 * comments, no %(...)s).  Blank lines and lines starting with '#' are
 * skipped; any other line is an error.  Lines may be of any length.
 *
 * Plain text in, programs out: the caller reads the file and reports each
 * problem with the file's name.
 */
#ifndef TEND_PROCFILE_H
#define TEND_PROCFILE_H

#include <stdbool.h>
#include <stddef.h>

struct procfile_entry {
	char *name;
	char *command;		/* without the white space at its ends */
	int line;
};

struct procfile {
	struct procfile_entry *entries;	/* in file order */
	size_t n;
};

/* A problem on LINE (MSG has no file or line). */
typedef void (*procfile_report_fn)(void *user, int line, const char *msg);

/*
 * Parse the LEN bytes of TEXT into PF (which it zeroes first).  Returns 0,
 * or -1 after reporting each bad line (and each name given twice) to
 * REPORT; the good lines are in PF either way, and PF must be released
 * with procfile_free().
 */
int procfile_parse(const char *text, size_t len, struct procfile *pf,
    procfile_report_fn report, void *user);
void procfile_free(struct procfile *pf);

/* Is PATH's last component a Procfile's name: "Procfile", "Procfile.*"
 * or "*.procfile"? */
bool procfile_is_name(const char *path);

/* Is NAME a program name (letters, digits, '_', '-', '.', not first)? */
bool procfile_valid_name(const char *name, size_t n);

#endif
