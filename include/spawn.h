/*
 * spawn: start one command as a child that leads its own session (and so
 * its own process group), on pipes or on a pseudo-terminal.
 *
 * The child gets fds 0, 1 and 2 and nothing else, default signal
 * dispositions, its user, umask, working directory and environment.  If
 * it cannot switch user, chdir or exec, it says why through a close-on-exec pipe and exits 127.
 * The parent's ends are non-blocking and close-on-exec.  No loop, no
 * store: the caller watches the fds.
 */
#ifndef TEND_SPAWN_H
#define TEND_SPAWN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "runas.h"

struct spawn_request {
	const char *shell;	/* run as: shell -c command */
	const char *command;
	const char *dir;	/* working directory */
	char *const *env;	/* "KEY=value" laid over tend's, or NULL */
	const char *term;	/* TERM (before ENV), or NULL: tend's */
	bool merge_stderr;	/* stderr into the stdout pipe */
	bool pty;		/* a pseudo-terminal instead of pipes */
	unsigned short rows, cols;	/* the terminal's size, with pty */
	bool set_umask;		/* umask(UMASK) before exec */
	mode_t umask;
	const char *user;	/* for messages: the user of RUNAS */
	const struct runas *runas;	/* switch to this user (its HOME,
					   USER, LOGNAME under ENV), or NULL */
};

struct spawn_child {
	pid_t pid;		/* also its session and process group id */
	int in_fd;		/* write end of its stdin */
	int out_fd;		/* read end of its stdout (pty: the master) */
	int err_fd;		/* read end of its stderr; -1 merged or pty */
	int status_fd;		/* see spawn_read_error() */
};

/* What the shell runs for COMMAND: "exec COMMAND" when it is one simple
 * command (so the program replaces the shell), else COMMAND.  Allocated;
 * NULL when out of memory. */
char *spawn_command_line(const char *command);

/* COMMAND split into words when every character of it means itself to
 * the shell (no quotes, expansions, globs, redirections; see
 * spawn_command_line for the rest), so the program can be exec'd without
 * a shell in between: one allocation, free() it.  NULL when the shell is
 * needed (or out of memory). */
char **spawn_command_argv(const char *command);

/* Returns 0, or -1 with the reason in ERR (nothing is left open). */
int spawn_start(const struct spawn_request *req, struct spawn_child *child,
    char *err, size_t errsize);

/* Read STATUS_FD: 1 and the reason in BUF if the child failed before
 * exec ("cannot chdir to /x: No such file or directory"), 0 once exec
 * happened (end of file), -1 if it is not known yet. */
int spawn_read_error(int status_fd, const struct spawn_request *req,
    char *buf, size_t size);

/* Tell a pty child its terminal's size (it gets SIGWINCH). */
int spawn_set_winsize(int pty_fd, unsigned short rows, unsigned short cols);

#endif
