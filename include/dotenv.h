/*
 * dotenv: the variables of a .env file, as docker compose, overmind and
 * foreman read them.
 *
 *   # a comment line
 *   export DATABASE_URL=postgres://localhost/dev   # after white space: a comment
 *   GREETING="hello\n\"world\""   double quotes: \n \t \r \" \\ \$ escapes
 *   RAW='no $expansion, no \escapes, # no comment'
 *   PATH=${PATH}:$HOME/bin        ${VAR}, $VAR, ${VAR:-default}, ${VAR-default}
 *   PRICE=\$5                     \$ is a plain '$' (unquoted or in "...")
 *   EMPTY=
 *
 * A line is KEY=value, KEY a letter or '_' and then letters, digits and
 * '_', white space allowed around the '=' and an "export " in front.  An
 * unquoted value ends at the end of the line or at a '#' after white
 * space, and loses the white space at its ends.  A quoted value may go on
 * over more lines; after its closing quote only a comment may follow.  A
 * reference names a value given earlier in the file, else one LOOKUP
 * knows (tend's environment); a variable set nowhere is empty, as in a
 * shell (the default of ${VAR:-default} is taken as it is written).  A
 * later line for the same KEY replaces the earlier value.
 *
 * Plain text in, variables out: the caller reads the file and reports
 * each problem (one per bad line) with the file's name.
 */
#ifndef TEND_DOTENV_H
#define TEND_DOTENV_H

#include <stddef.h>

struct dotenv_var {
	char *key;
	char *value;
	int line;		/* of its KEY= */
};

struct dotenv {
	struct dotenv_var *vars;	/* in the order first given */
	size_t n;
};

/* The value of KEY, or NULL when it is not set. */
typedef const char *(*dotenv_lookup_fn)(void *user, const char *key);
/* A problem on LINE (MSG has no file or line). */
typedef void (*dotenv_report_fn)(void *user, int line, const char *msg);

/*
 * Parse the LEN bytes of TEXT into ENV (which it zeroes first).  Returns
 * 0, or -1 after reporting each bad line to REPORT with REPORT_USER; the
 * good lines are in ENV either way, and ENV must be released with
 * dotenv_free().  LOOKUP (NULL: getenv) answers the references the file
 * does not.
 */
int dotenv_parse(const char *text, size_t len, struct dotenv *env,
    dotenv_lookup_fn lookup, void *lookup_user, dotenv_report_fn report,
    void *report_user);

/* The value ENV gives KEY, or NULL. */
const char *dotenv_get(const struct dotenv *env, const char *key);

void dotenv_free(struct dotenv *env);

#endif
