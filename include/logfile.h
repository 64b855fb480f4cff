/*
 * logfile: the full output of one program on disk, <log_dir>/<name>.log.
 *
 * One line per store line: "| text" for stdout, "! text" for stderr,
 * "> text" for a line the user sent to stdin, and "* note" for tend's own
 * notes (started, exited, probe results, ...).  Writes are
 * buffered and flushed once per loop turn.  A write error (disk full, ...)
 * closes the log and is reported once; output goes on in memory.
 */
#ifndef TEND_LOGFILE_H
#define TEND_LOGFILE_H

#include <stddef.h>

#include "store.h"

struct logfile;

/* Create DIR if needed (mode 0700) and open DIR/NAME.log for appending
 * (created 0600).  Refused: a DIR owned by another user or writable by
 * anyone; a NAME.log that is a symlink, not a regular file, owned by
 * another user or hard-linked elsewhere.  On failure returns NULL and puts
 * the reason in ERR. */
struct logfile *logfile_open(const char *dir, const char *name, char *err,
    size_t errsize);
void logfile_close(struct logfile *lf);

/* Return -1 (with the reason in ERR) when the log had to be given up. */
int logfile_line(struct logfile *lf, const struct store_line *line,
    char *err, size_t errsize);
int logfile_flush(struct logfile *lf, char *err, size_t errsize);

const char *logfile_path(const struct logfile *lf);

#endif
