/*
 * headless: tend without a screen, a client of the engine.
 *
 * Every line of every program goes to stdout as "NAME | text" (stderr
 * lines as "NAME ! text"), tend's notes as "NAME * started pid 42", names
 * padded to one width; then one line per program on how it ended.  With
 * headless output the run ends when no program runs any more.  stdout is
 * never waited on: a slow reader holds the programs' output back, and a
 * reader that leaves (EPIPE) stops the run as SIGHUP does.  On a
 * terminal (NO_COLOR not set) the names are coloured, a colour per
 * program, and the programs' SGR colours are kept, sanitised; into a pipe
 * or a file every byte goes as it came.
 */
#ifndef TEND_HEADLESS_H
#define TEND_HEADLESS_H

#include <stddef.h>

#include "engine.h"

#include <stdbool.h>

struct headless;

struct headless_opts {
	bool timestamps;	/* --timestamps: each line after its arrival
				   time, "HH:MM:SS.mmm " (local) */
};

/* Subscribe to E and write to stdout; NULL with the reason in ERR.
 * OPTS may be NULL. */
struct headless *headless_new(struct engine *e,
    const struct headless_opts *opts, char *err, size_t errsize);
/* Unsubscribe; says on stderr how much output a stalled reader missed. */
void headless_free(struct headless *h);

#endif
