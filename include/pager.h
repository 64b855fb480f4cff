/*
 * pager: `e`, a pane's scrollback in the user's pager.
 *
 * The scrollback goes to a private temporary file first (mkstemp in
 * $TMPDIR, mode 0600; the caller unlinks it when the pager is done), so
 * the pager reads a file and tend never waits on a pipe to it.  The
 * pager runs as `sh -c "$PAGER FILE"` (PAGER may hold arguments; unset
 * or empty: `less -R +G`, colours kept and the newest lines shown) in a
 * process group of its own, which it makes the terminal's foreground
 * before it starts.  The caller lends it the terminal (tty.h), watches
 * for its end with the engine's reaping, and takes the terminal back.
 */
#ifndef TEND_PAGER_H
#define TEND_PAGER_H

#include <stddef.h>
#include <sys/types.h>

#define PAGER_DEFAULT "less -R +G"

/* A new private file for the scrollback: its fd (O_CLOEXEC), and its
 * path in PATH.  -1 with the reason in ERR. */
int pager_temp(char *path, size_t size, char *err, size_t errsize);

/* Start the pager on PATH, the terminal being stdin; its pid (and
 * process group id), or -1 with the reason in ERR. */
pid_t pager_spawn(const char *path, char *err, size_t errsize);

#endif
