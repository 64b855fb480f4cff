/*
 * spawn: vfork and exec of `$shell -c "$command"`, on pipes or a pty.
 * A simple command is run as `exec command`, so the process tend watches
 * and signals is the program itself, not a shell waiting for it.
 *
 * Owns everything between vfork() and exec() in the child, and the fds
 * made for it.  The child shares tend's memory until it execs: it
 * touches only memory prepared before (argv, envp) and its own stack,
 * and makes only async-signal-safe calls (libcurl may run a resolver
 * thread in the parent meanwhile).
 */
#define _GNU_SOURCE
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

/* What a child that could not exec tells its parent. */
enum spawn_stage { STAGE_SETUP, STAGE_USER, STAGE_CHDIR, STAGE_EXEC };
struct spawn_report {
	int stage;
	int err;
};

/* Words that make a command more than one external program: shell
 * keywords, and builtins that have no program of their own to exec. */
static const char *const spawn_shell_words[] = {
	"!", "{", "}", "case", "do", "done", "elif", "else", "esac", "fi",
	"for", "if", "then", "until", "while", ".", ":", "alias", "break",
	"cd", "command", "continue", "eval", "exec", "exit", "export",
	"getopts", "hash", "local", "read", "readonly", "return", "set",
	"shift", "source", "times", "trap", "type", "ulimit", "umask",
	"unalias", "unset", "wait", NULL
};

/* True if COMMAND has, outside quotes, a character that joins or groups
 * commands: ; & | ( ) ` or a newline. */
static bool
spawn_has_operator(const char *command)
{
	char quote = 0;
	const char *p;

	for (p = command; *p != '\0'; p++) {
		if (quote == '\'') {
			if (*p == '\'')
				quote = 0;
		} else if (*p == '\\' && p[1] != '\0') {
			p++;
		} else if (quote == '"') {
			if (*p == '"')
				quote = 0;
			else if (*p == '`' || (*p == '$' && p[1] == '('))
				return true;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
		} else if (strchr(";&|()`\n", *p) != NULL) {
			return true;
		}
	}
	return false;
}

/* One program with its arguments and redirections: no lists, pipes,
 * subshells, groups or background jobs, no assignment in front, and not
 * a keyword or builtin. */
static bool
spawn_is_simple(const char *command)
{
	const char *p = command + strspn(command, " \t");
	size_t n = strcspn(p, " \t"), i;

	if (n == 0 || memchr(p, '=', n) != NULL || spawn_has_operator(p))
		return false;
	for (i = 0; spawn_shell_words[i] != NULL; i++) {
		if (strlen(spawn_shell_words[i]) == n &&
		    strncmp(p, spawn_shell_words[i], n) == 0)
			return false;
	}
	return true;
}

char *
spawn_command_line(const char *command)
{
	char *line;

	if (!spawn_is_simple(command))
		return strdup(command);
	if (asprintf(&line, "exec %s", command) == -1)
		return NULL;
	return line;
}

/* [0] read end, [1] write end; the pty uses in[] as master/slave. */
struct spawn_fds {
	int in[2], out[2], err[2], status[2];
};

/* Lay "KEY=value" KV over ENV (of *N entries; room for it is there). */
static void
spawn_env_set(char **env, size_t *n, char *kv)
{
	size_t keylen = strcspn(kv, "=") + 1, j;

	for (j = 0; j < *n && strncmp(env[j], kv, keylen) != 0; j++)
		;
	env[j] = kv;
	if (j == *n)
		(*n)++;
}

/* tend's environment with TERM (when given, as "TERM=..."), then the
 * user's HOME, USER and LOGNAME (USER), then EXTRA laid over it, as
 * supervisord does.  The strings are borrowed; only the array is
 * allocated. */
static char **
spawn_env(char *term, char *const *user, char *const *extra)
{
	extern char **environ;
	size_t n = 0, nextra = 0, nuser = 0, i;
	char **env;

	while (environ[n] != NULL)
		n++;
	while (extra != NULL && extra[nextra] != NULL)
		nextra++;
	while (user != NULL && user[nuser] != NULL)
		nuser++;
	env = calloc(n + nuser + nextra + 2, sizeof *env);
	if (env == NULL)
		return NULL;
	memcpy(env, environ, n * sizeof *env);
	if (term != NULL)
		spawn_env_set(env, &n, term);
	for (i = 0; i < nuser; i++)
		spawn_env_set(env, &n, user[i]);
	for (i = 0; i < nextra; i++)
		spawn_env_set(env, &n, extra[i]);
	return env;
}

static void
spawn_close_pair(int pair[2])
{
	if (pair[0] != -1)
		close(pair[0]);
	if (pair[1] != -1)
		close(pair[1]);
	pair[0] = pair[1] = -1;
}

static void
spawn_close_all(struct spawn_fds *f)
{
	spawn_close_pair(f->in);
	spawn_close_pair(f->out);
	spawn_close_pair(f->err);
	spawn_close_pair(f->status);
}

static int
spawn_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl == -1 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* A pty: in[0] the master (tend's side), in[1] the slave (the child's). */
static int
spawn_open_pty(struct spawn_fds *f, const struct spawn_request *req)
{
	char *name;

	f->in[0] = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (f->in[0] == -1 || grantpt(f->in[0]) == -1 ||
	    unlockpt(f->in[0]) == -1 || (name = ptsname(f->in[0])) == NULL)
		return -1;
	f->in[1] = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (f->in[1] == -1)
		return -1;
	spawn_set_winsize(f->in[0], req->rows, req->cols);
	return spawn_nonblock(f->in[0]);
}

static int
spawn_open_pipes(struct spawn_fds *f, const struct spawn_request *req)
{
	if (pipe2(f->in, O_CLOEXEC) == -1 || pipe2(f->out, O_CLOEXEC) == -1 ||
	    (!req->merge_stderr && pipe2(f->err, O_CLOEXEC) == -1))
		return -1;
	/* Only tend's ends are non-blocking: the child gets ordinary pipes. */
	if (spawn_nonblock(f->in[1]) == -1 || spawn_nonblock(f->out[0]) == -1 ||
	    (!req->merge_stderr && spawn_nonblock(f->err[0]) == -1))
		return -1;
	return 0;
}

static void __attribute__((noreturn))
spawn_child_fail(int status_fd, int stage)
{
	struct spawn_report r = { stage, errno };

	if (write(status_fd, &r, sizeof r) == -1) {
		/* the parent will see exit 127 without a reason */
	}
	_exit(127);
}

static void
spawn_close_from(int lowfd, int keep)
{
	int fd, max;

	if ((keep == lowfd ||
	    close_range((unsigned)lowfd, (unsigned)keep - 1, 0) == 0) &&
	    close_range((unsigned)keep + 1, ~0U, 0) == 0)
		return;
	max = (int)sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > 65536)
		max = 65536;
	for (fd = lowfd; fd < max; fd++) {
		if (fd != keep)
			close(fd);
	}
}

/* The child's own terminal: a new session with the slave as its
 * controlling tty, left in the modes a terminal starts in (tend's
 * emulation draws it as a terminal would). */
static int
spawn_child_pty(int slave)
{
	if (setsid() == -1 || ioctl(slave, TIOCSCTTY, 0) == -1)
		return -1;
	return 0;
}

/*
 * Become R's user: groups, then the group, then the user (after which
 * the others could not be changed).  Raw system calls, not glibc's
 * setgroups()/setgid()/setuid(): those make every thread of the process
 * change too, by signalling the threads glibc knows of, and a vfork()
 * child shares tend's memory, so glibc would signal tend's own threads
 * (a libcurl resolver) from here.  The kernel's calls change the calling
 * thread, which is all of the child.
 */
static int
spawn_child_user(const struct runas *r)
{
	if (syscall(SYS_setgroups, r->ngroups, r->groups) == -1 ||
	    syscall(SYS_setresgid, r->gid, r->gid, r->gid) == -1 ||
	    syscall(SYS_setresuid, r->uid, r->uid, r->uid) == -1)
		return -1;
	return 0;
}

/* In the child, after vfork: never returns.  Every program leads a new
 * session: on pipes it has no controlling terminal at all (/dev/tty
 * fails with ENXIO), so it can neither type into tend's terminal nor
 * draw on it, and it is never stopped by SIGTTIN for reading it. */
static void __attribute__((noreturn))
spawn_child(const struct spawn_request *req, struct spawn_fds *f,
    char *argv[], char *envp[], pid_t parent)
{
	int fds[3], status = f->status[1], i, sig;
	struct sigaction sa;
	sigset_t none;

	/* Ignored signals stay ignored across exec: give back defaults. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	for (sig = 1; sig < NSIG; sig++)
		sigaction(sig, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* If tend is killed outright (SIGKILL), the program is told. */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) == -1 || getppid() != parent)
		spawn_child_fail(status, STAGE_SETUP);
	if (req->pty) {
		if (spawn_child_pty(f->in[1]) == -1)
			spawn_child_fail(status, STAGE_SETUP);
		fds[0] = fds[1] = fds[2] = f->in[1];
	} else {
		if (setsid() == -1)
			spawn_child_fail(status, STAGE_SETUP);
		fds[0] = f->in[0];
		fds[1] = f->out[1];
		fds[2] = req->merge_stderr ? f->out[1] : f->err[1];
	}
	for (i = 0; i < 3; i++) {
		if (dup2(fds[i], i) == -1)
			spawn_child_fail(status, STAGE_SETUP);
	}
	/* The user first: the directory is entered with its rights. */
	if (req->runas != NULL && req->runas->change &&
	    (spawn_child_user(req->runas) == -1 ||
	    prctl(PR_SET_PDEATHSIG, SIGTERM) == -1))	/* a new uid clears it */
		spawn_child_fail(status, STAGE_USER);
	if (chdir(req->dir) == -1)
		spawn_child_fail(status, STAGE_CHDIR);
	/* umask is the child's own (vfork shares memory, not the fs state). */
	if (req->set_umask)
		umask(req->umask);
	spawn_close_from(3, status);
	execvpe(argv[0], argv, envp);
	spawn_child_fail(status, STAGE_EXEC);
}

/* vfork(), not fork(): no page tables are copied (fork() cost about
 * 10 ms a child here).  All signals are blocked meanwhile, so no handler
 * of tend's runs in the child, on tend's memory, before it resets them. */
static pid_t
spawn_fork(const struct spawn_request *req, struct spawn_fds *f,
    char *argv[], char *envp[])
{
	sigset_t all, old;
	pid_t pid, parent = getpid();
	int saved;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	pid = vfork();
	if (pid == 0)
		spawn_child(req, f, argv, envp, parent);
	saved = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	errno = saved;
	return pid;
}

/* Keep tend's ends, close the child's. */
static void
spawn_adopt(const struct spawn_request *req, struct spawn_fds *f,
    struct spawn_child *c)
{
	c->status_fd = f->status[0];
	close(f->status[1]);
	if (req->pty) {
		close(f->in[1]);
		c->out_fd = f->in[0];
		/* A second fd on the master, so reading and writing can be
		 * watched apart. */
		c->in_fd = fcntl(f->in[0], F_DUPFD_CLOEXEC, 3);
		c->err_fd = -1;
		return;
	}
	close(f->in[0]);
	close(f->out[1]);
	if (f->err[1] != -1)
		close(f->err[1]);
	c->in_fd = f->in[1];
	c->out_fd = f->out[0];
	c->err_fd = f->err[0];
}

int
spawn_start(const struct spawn_request *req, struct spawn_child *c,
    char *err, size_t errsize)
{
	char *line = spawn_command_line(req->command);
	char *argv[] = { (char *)req->shell, "-c", line, NULL };
	struct spawn_fds f = { { -1, -1 }, { -1, -1 }, { -1, -1 }, { -1, -1 } };
	char *term = NULL, **envp;
	pid_t pid;

	if (req->term != NULL && asprintf(&term, "TERM=%s", req->term) == -1)
		term = NULL;
	envp = spawn_env(term, req->runas != NULL ? req->runas->env : NULL,
	    req->env);
	if (line == NULL || envp == NULL || (req->term != NULL && term == NULL) || pipe2(f.status, O_CLOEXEC) == -1 ||
	    spawn_nonblock(f.status[0]) == -1 ||
	    (req->pty ? spawn_open_pty(&f, req) : spawn_open_pipes(&f, req)) == -1) {
		snprintf(err, errsize, "cannot start: %s", strerror(errno));
		goto fail;
	}
	pid = spawn_fork(req, &f, argv, envp);
	if (pid == -1) {
		snprintf(err, errsize, "cannot fork: %s", strerror(errno));
		goto fail;
	}
	/* vfork() returns once the child has exec'd: its setsid() is done,
	 * so signals to the group reach it already. */
	free(envp);
	free(term);
	free(line);
	c->pid = pid;
	spawn_adopt(req, &f, c);
	return 0;
fail:
	free(envp);
	free(term);
	free(line);
	spawn_close_all(&f);
	return -1;
}

int
spawn_read_error(int status_fd, const struct spawn_request *req, char *buf,
    size_t size)
{
	struct spawn_report r;
	ssize_t n = read(status_fd, &r, sizeof r);

	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return -1;
	if (n != (ssize_t)sizeof r)
		return 0;
	if (r.stage == STAGE_USER)
		snprintf(buf, size, "cannot run as user '%s': %s", req->user ?
		    req->user : "?", strerror(r.err));
	else if (r.stage == STAGE_CHDIR)
		snprintf(buf, size, "cannot chdir to %s: %s", req->dir,
		    strerror(r.err));
	else if (r.stage == STAGE_EXEC)
		snprintf(buf, size, "cannot run %s: %s", req->shell,
		    strerror(r.err));
	else
		snprintf(buf, size, "cannot set up the child: %s",
		    strerror(r.err));
	return 1;
}

int
spawn_set_winsize(int pty_fd, unsigned short rows, unsigned short cols)
{
	struct winsize ws;

	memset(&ws, 0, sizeof ws);
	ws.ws_row = rows ? rows : 24;
	ws.ws_col = cols ? cols : 80;
	return ioctl(pty_fd, TIOCSWINSZ, &ws);
}
