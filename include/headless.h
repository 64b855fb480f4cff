/*
 * headless: tend without a screen.
 *
 * Every line of every program goes to stdout as "NAME | text" (stderr
 * lines as "NAME ! text"), tend's notes as "NAME * started pid 42", names
 * padded to one width.  SIGINT, SIGTERM or SIGHUP stop every program (a
 * second one kills what is left); tend exits when nothing runs any more
 * and prints how each program ended.
 */
#ifndef TEND_HEADLESS_H
#define TEND_HEADLESS_H

#include "config.h"

/* Run CFG's programs until they have all ended or tend is told to stop.
 * Returns the exit status: 1 if a program failed without being asked to
 * stop, else 0. */
int headless_run(const struct config *cfg);

#endif
