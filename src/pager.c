/*
 * pager: the temporary file and the pager's process; nothing of the
 * terminal (tty.c lends it) or of the pager's end (the engine reaps).
 */
#define _GNU_SOURCE
#include "pager.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

int
pager_temp(char *path, size_t size, char *err, size_t errsize)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	if (dir == NULL || dir[0] == '\0')
		dir = "/tmp";
	if ((size_t)snprintf(path, size, "%s/tend-scrollback-XXXXXX", dir) >=
	    size) {
		snprintf(err, errsize, "TMPDIR is too long");
		return -1;
	}
	/* mkostemp makes it 0600, O_EXCL: nobody else's file is written. */
	if ((fd = mkostemp(path, O_CLOEXEC)) == -1)
		snprintf(err, errsize, "cannot make a file in %s: %s", dir,
		    strerror(errno));
	return fd;
}

/* In the child: its own group in the foreground, tend's signal
 * handling undone, then the shell.  Never returns. */
static void __attribute__((noreturn))
pager_child(const char *cmd, const char *path)
{
	struct sigaction sa;
	sigset_t none;
	int sig;

	/* Every signal is still blocked (pager_spawn): SIGTTOU cannot stop
	 * this background process as it takes the terminal. */
	setpgid(0, 0);
	tcsetpgrp(STDIN_FILENO, getpid());
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	for (sig = 1; sig < NSIG; sig++)
		sigaction(sig, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execl("/bin/sh", "sh", "-c", cmd, "tend-pager", path, (char *)NULL);
	_exit(127);
}

pid_t
pager_spawn(const char *path, char *err, size_t errsize)
{
	const char *pager = getenv("PAGER");
	char cmd[4096];
	sigset_t all, old;
	pid_t pid;
	int saved;

	if (pager == NULL || pager[0] == '\0')
		pager = PAGER_DEFAULT;
	/* The path is the shell's $1, never part of the command text. */
	if ((size_t)snprintf(cmd, sizeof cmd, "%s \"$1\"", pager) >=
	    sizeof cmd) {
		snprintf(err, errsize, "PAGER is too long");
		return -1;
	}
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	pid = fork();
	if (pid == 0)
		pager_child(cmd, path);
	saved = errno;
	if (pid > 0)
		setpgid(pid, pid);	/* so it is a group before tcsetpgrp */
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (pid == -1)
		snprintf(err, errsize, "cannot start the pager: %s",
		    strerror(saved));
	return pid;
}
