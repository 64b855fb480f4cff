/*
 * logfile: one log file of a program's output on disk (by default
 * <log_dir>/<name>.log), rotated by size.
 *
 * One line per store line: "| text" for stdout, "! text" for stderr,
 * "> text" for a line the user sent to stdin, and "* note" for tend's own
 * notes (started, exited, probe results, ...), each after the line's
 * arrival time in ISO 8601 when timestamps are on.  Writes are buffered
 * and flushed once per loop turn.  A write error (disk full, ...) closes
 * the log and is reported once; output goes on in memory.
 */
#ifndef TEND_LOGFILE_H
#define TEND_LOGFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

struct logfile;

struct logfile_opts {
	uint64_t max_bytes;	/* rotate before the file would pass this; 0:
				   never */
	int backups;		/* NAME.1 .. NAME.N kept; 0: the file is
				   emptied instead */
	bool timestamps;	/* each line starts with its arrival time */
};

/* Create PATH's folder if needed (mode 0700) and open PATH for appending
 * (created 0600).  Refused: a folder owned by another user or writable by
 * anyone; a file that is a symlink, not a regular file, owned by another
 * user or hard-linked elsewhere.  On failure returns NULL and puts the
 * reason in ERR. */
struct logfile *logfile_open(const char *path,
    const struct logfile_opts *opts, char *err, size_t errsize);
void logfile_close(struct logfile *lf);

/* Return -1 (with the reason in ERR) when the log had to be given up. */
int logfile_line(struct logfile *lf, const struct store_line *line,
    char *err, size_t errsize);
int logfile_flush(struct logfile *lf, char *err, size_t errsize);

const char *logfile_path(const struct logfile *lf);

/* Rotation's rules, for tests: the name of backup N of BASE ("web.log.2";
 * N 0 is BASE itself), and whether a record of RECORD bytes must go to a
 * fresh file when the file has SIZE bytes. */
size_t logfile_backup_name(const char *base, int n, char *buf, size_t size);
bool logfile_needs_rotation(uint64_t size, uint64_t record,
    uint64_t max_bytes);

#endif
