/*
 * configval: the text of one config value -> what it means.
 *
 * Plain functions with no file and no message list: booleans, whole
 * numbers, seconds, signals and their names, exit code lists, paths
 * relative to a folder, supervisord's %(ENV_X)s / %(here)s /
 * %(program_name)s expansions and environment lists, and the known word
 * nearest to a typo.  A parser that can fail in more than one way hands
 * back a message saying why (without file or line: the caller adds them);
 * the others return -1 and the caller says what was expected.
 */
#ifndef TEND_CONFIGVAL_H
#define TEND_CONFIGVAL_H

#include <stdbool.h>
#include <stddef.h>

/* true/yes/on/1 -> 1, false/no/off/0 -> 0 (any case); -1 otherwise. */
int configval_bool(const char *v);
/* A whole number 0..MAX in decimal, or -1. */
long configval_uint(const char *v, long max);
/* A number of seconds 0..MAX (fractions allowed), or -1. */
double configval_seconds(const char *v, double max);
/* A size as supervisord writes one: a whole number of bytes, or with a
 * KB, MB or GB suffix (any case, powers of 1024): "50MB".  -1 if it is
 * not one or is more than MAX bytes. */
long long configval_bytes(const char *v, long long max);

/* A signal tend can send to stop a program (TERM INT QUIT HUP KILL USR1
 * USR2, any case, "SIG" optional) as its number, or -1. */
int configval_stopsignal(const char *v);
/* "TERM" for SIGTERM (without the SIG prefix); "?" when unknown. */
const char *configval_signal_name(int signo);

/* "0, 2" -> CODES[0] = CODES[2] = 1, every other entry 0; -1 unless each
 * item is a code 0..255. */
int configval_exitcodes(const char *v, unsigned char codes[256]);

/* V as a path: absolute as it is, else relative to the folder DIR ("" and
 * "." are DIR itself).  A new string, NULL if memory ran out. */
char *configval_path(const char *dir, const char *v);

/*
 * V with supervisord's %(ENV_NAME)s (tend's environment), %(here)s
 * (HERE), %(program_name)s and %(group_name)s (PROGRAM; none when that
 * is NULL) and %%
 * expanded; a '%' followed by anything else stays.  A new string, or NULL
 * with *WHY set to a new message, "%(ENV_X)s: X is not set in tend's
 * environment" and the like (NULL if memory ran out).
 */
char *configval_expand(const char *v, const char *here, const char *program,
    char **why);
/*
 * supervisord's environment list, KEY=val,KEY2="a, b",KEY3='x', as a
 * NULL-terminated array of new "KEY=value" strings, each value expanded
 * as configval_expand() does after the split (so a variable cannot add
 * another).  NULL with *WHY set to a message that starts "environment: ".
 */
char **configval_environment(const char *v, const char *here,
    const char *program, char **why);
/*
 * V with supervisord's %(NAME)FORMAT of a number expanded to VALUE:
 * FORMAT is a Python %-conversion (s, d, 02d, x, ...), as in
 * "%(process_num)02d"; "%%" and other expansions are left for
 * configval_expand().  A new string, or NULL with *WHY set (NULL if
 * memory ran out).
 */
char *configval_expand_number(const char *v, const char *name, long value,
    char **why);
/* A whole number MIN..MAX in decimal, a sign allowed, in *OUT; 0, or -1. */
int configval_int(const char *v, long min, long max, long *out);
/* An octal file mode mask 0..0777 ("022", "0002"), or -1. */
int configval_umask(const char *v);
/* The items of a comma-separated list, spaces around them trimmed,
 * empty ones left out: a NULL-terminated array (free it with
 * configval_free_strv), NULL when out of memory. */
char **configval_list(const char *v);
/* Is V "HOST:PORT" (or "[V6]:PORT") with a port of 1-65535? */
bool configval_hostport(const char *v);

/* Free an array from configval_environment(); NULL is fine. */
void configval_free_strv(char **v);

/* The edit distance of A and B, case-insensitive; SIZE_MAX when either
 * is 64 characters or longer. */
size_t configval_distance(const char *a, const char *b);
/* The word of the NULL-terminated list KNOWN nearest to WORD, if it is
 * near enough to be a typo of it; NULL otherwise. */
const char *configval_nearest(const char *const *known, const char *word);

#endif
