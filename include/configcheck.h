/*
 * configcheck: what `tend --check` looks at beyond loading — what would
 * fail once the programs start, which a load does not refuse because it
 * may be different by then.
 *
 *   - a directory that does not exist, or is not a folder: an error (a
 *     warning for a program with depends_on: what it waits for may make
 *     the folder);
 *   - a command whose first word is neither a shell keyword or builtin,
 *     nor a program on PATH (the program's PATH, else tend's), nor, when
 *     it holds a '/', an executable file: a warning (the shell may still
 *     find it: a function, an alias);
 *   - a user tend could not switch to (it is not root): a warning;
 *   - two programs given the same PORT, or probing the same port of the
 *     same host: a warning.
 */
#ifndef TEND_CONFIGCHECK_H
#define TEND_CONFIGCHECK_H

struct config;

/* Add what it finds to CFG's messages; -1 if there is an error. */
int configcheck_run(struct config *cfg);

#endif
