/*
 * spawn: clone (as vfork) and exec of `$shell -c "$command"`, on pipes or
 * a pty.
 * A simple command is run as `exec command`, so the process tend watches
 * and signals is the program itself, not a shell waiting for it.
 *
 * Owns everything between clone() and exec() in the child, the fds made
 * for it and the low fd slots it is handed them in.  The child shares
 * tend's memory until it execs: it touches only memory prepared before
 * (argv, envp) and its own stack, and makes only async-signal-safe calls
 * (libcurl may run a resolver thread in the parent meanwhile).
 */
#define _GNU_SOURCE
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>
/* valgrind runs a clone() that is a thread or a fork, not a vfork that
 * shares the fd table: under it the child gets a table of its own. */
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define SPAWN_UNDER_VALGRIND() RUNNING_ON_VALGRIND
#else
#define SPAWN_UNDER_VALGRIND() 0
#endif
/* Under AddressSanitizer the child's stack is not one ASan knows: the
 * functions that end the child (with exec or _exit) are left out of its
 * checks, which would otherwise warn on the child's stderr. */
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define SPAWN_CHILD_END __attribute__((no_sanitize_address, noreturn))
#else
#define ASAN_UNPOISON_MEMORY_REGION(addr, size) ((void)(addr), (void)(size))
#define SPAWN_CHILD_END __attribute__((noreturn))
#endif

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

/* A character that means itself to every shell: no quoting, expansion,
 * globbing, redirection or comment can start with it. */
static bool
spawn_is_plain(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' && strchr("_./:,+=@%-", c));
}

/* A shell that runs a plain command as any other would, so it may be
 * left out; anything else (a wrapper that loads secrets first, say) is
 * always run. */
static bool
spawn_is_posix_shell(const char *shell)
{
	static const char *const names[] = { "sh", "bash", "dash", "ash",
	    "ksh", "mksh", "zsh", NULL };
	const char *base = strrchr(shell, '/');
	size_t i;

	if (base == NULL || access(shell, X_OK) == -1)
		return false;
	for (i = 0; names[i] != NULL; i++) {
		if (strcmp(base + 1, names[i]) == 0)
			return true;
	}
	return false;
}

char **
spawn_command_argv(const char *command)
{
	size_t len, words = 0, i;
	const char *p;
	char **argv, *copy, *w, *save;

	/* "exec prog ..." is prog itself (not "exec -a name ..."). */
	command += strspn(command, " \t");
	if (strncmp(command, "exec", 4) == 0 && (command[4] == ' ' ||
	    command[4] == '\t')) {
		command += 4 + strspn(command + 4, " \t");
		if (*command == '-')
			return NULL;
	}
	len = strlen(command);
	if (!spawn_is_simple(command))
		return NULL;
	for (p = command; *p != '\0'; p++) {
		if (*p != ' ' && *p != '\t' && !spawn_is_plain(*p))
			return NULL;
		if (*p != ' ' && *p != '\t' && (p == command || p[-1] == ' ' ||
		    p[-1] == '\t'))
			words++;
	}
	/* The pointers, then the words, in one allocation. */
	argv = malloc((words + 1) * sizeof *argv + len + 1);
	if (argv == NULL)
		return NULL;
	copy = memcpy((char *)(argv + words + 1), command, len + 1);
	i = 0;
	for (w = strtok_r(copy, " \t", &save); w != NULL;
	    w = strtok_r(NULL, " \t", &save))
		argv[i++] = w;
	argv[i] = NULL;
	return argv;
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

static void SPAWN_CHILD_END
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

/*
 * The child's fds are handed over in four low slots, reserved the first
 * time a program starts (on /dev/null while unused).  The child shares
 * tend's fd table (CLONE_FILES) and, as its first act, unshares it with
 * close_range(CLOSE_RANGE_UNSHARE), which copies only the fds below the
 * range: the slots and the few fds opened before them.  A child forked
 * the usual way copies tend's whole table and then closes it, and with a
 * thousand programs that is thousands of fds a start: starting was
 * quadratic in the number of programs.
 */
enum { SLOT_IN, SLOT_OUT, SLOT_ERR, SLOT_STATUS, SLOT_COUNT };
static int spawn_slots[SLOT_COUNT] = { -1, -1, -1, -1 };
static int spawn_devnull = -1;
static unsigned spawn_slots_end;	/* one past the highest slot */

static int
spawn_reserve_slots(void)
{
	int i;

	if (spawn_devnull != -1)
		return 0;
	spawn_devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (spawn_devnull == -1)
		return -1;
	for (i = 0; i < SLOT_COUNT; i++) {
		spawn_slots[i] = fcntl(spawn_devnull, F_DUPFD_CLOEXEC, 3);
		if (spawn_slots[i] == -1)
			return -1;
		if ((unsigned)spawn_slots[i] >= spawn_slots_end)
			spawn_slots_end = (unsigned)spawn_slots[i] + 1;
	}
	return 0;
}

/* Put FD in slot I (FD -1: leave /dev/null there). */
static int
spawn_fill_slot(int i, int fd)
{
	return dup3(fd == -1 ? spawn_devnull : fd, spawn_slots[i], O_CLOEXEC);
}

/* Drop the child's ends from the slots, so its pipes see EOF when it
 * exits. */
static void
spawn_clear_slots(void)
{
	int i;

	for (i = 0; i < SLOT_COUNT; i++)
		(void)spawn_fill_slot(i, -1);
}

/* What the child is handed: its fds 0, 1, 2 and the status pipe, and
 * whether it shares tend's fd table until it unshares it. */
struct spawn_plan {
	const struct spawn_request *req;
	int fd[3];
	int status;
	bool shared;
	char **argv, **envp;
	char **direct;		/* the program's own argv, or NULL: the shell */
	const char *path;	/* PATH of ENVP, to find DIRECT[0] in */
	pid_t parent;
};

/* The child's own fd table: the fds below the slots' end, copied. */
static int
spawn_child_unshare(void)
{
	if (close_range(spawn_slots_end, ~0U, CLOSE_RANGE_UNSHARE) == 0)
		return 0;
	return unshare(CLONE_FILES);	/* older kernels: the whole table */
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
 * change too, by signalling the threads glibc knows of, and the child
 * shares tend's memory, so glibc would signal tend's own threads (a
 * libcurl resolver) from here.  The kernel's calls change the calling
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

/*
 * Exec ARGV itself, found in PATH as the shell would find it; returns if
 * that cannot be done, and then the shell runs the command as written
 * (and says "not found", or runs a script that has no #! line).  Half the
 * cost of a start was the shell's own exec.  In the child: no allocation.
 */
static void
spawn_exec_direct(char *const argv[], char *const envp[], const char *path)
{
	size_t n = strlen(argv[0]), dn;
	const char *dir, *end;
	char buf[4096];

	if (strchr(argv[0], '/') != NULL) {
		execve(argv[0], argv, envp);
		return;
	}
	for (dir = path; dir != NULL; dir = *end != '\0' ? end + 1 : NULL) {
		end = strchrnul(dir, ':');
		dn = (size_t)(end - dir);
		if (dn + n + 2 > sizeof buf)
			continue;
		if (dn == 0) {		/* an empty entry is the directory */
			memcpy(buf, argv[0], n + 1);
		} else {
			memcpy(buf, dir, dn);
			buf[dn] = '/';
			memcpy(buf + dn + 1, argv[0], n + 1);
		}
		execve(buf, argv, envp);
	}
}

/* The value of PATH in ENV, or NULL. */
static const char *
spawn_env_path(char *const env[])
{
	size_t i;

	for (i = 0; env[i] != NULL; i++) {
		if (strncmp(env[i], "PATH=", 5) == 0)
			return env[i] + 5;
	}
	return NULL;
}

/* In the child, sharing tend's memory until exec: never returns.  Every
 * program leads a new session: on pipes it has no controlling terminal
 * at all (/dev/tty fails with ENXIO), so it can neither type into tend's
 * terminal nor draw on it, and it is never stopped by SIGTTIN for
 * reading it. */
static int SPAWN_CHILD_END
spawn_child(void *arg)
{
	const struct spawn_plan *plan = arg;
	const struct spawn_request *req = plan->req;
	int status = plan->status, i, sig;
	struct sigaction sa;
	sigset_t none;

	/* First of all: nothing below may touch tend's own fds. */
	if (plan->shared && spawn_child_unshare() == -1)
		spawn_child_fail(status, STAGE_SETUP);
	/* Ignored signals stay ignored across exec: give back defaults. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	for (sig = 1; sig < NSIG; sig++)
		sigaction(sig, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* If tend is killed outright (SIGKILL), the program is told. */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) == -1 || getppid() != plan->parent)
		spawn_child_fail(status, STAGE_SETUP);
	if ((req->pty ? spawn_child_pty(plan->fd[0]) : setsid()) == -1)
		spawn_child_fail(status, STAGE_SETUP);
	for (i = 0; i < 3; i++) {
		if (dup2(plan->fd[i], i) == -1)
			spawn_child_fail(status, STAGE_SETUP);
	}
	/* The user first: the directory is entered with its rights. */
	if (req->runas != NULL && req->runas->change &&
	    (spawn_child_user(req->runas) == -1 ||
	    prctl(PR_SET_PDEATHSIG, SIGTERM) == -1))	/* a new uid clears it */
		spawn_child_fail(status, STAGE_USER);
	if (chdir(req->dir) == -1)
		spawn_child_fail(status, STAGE_CHDIR);
	/* umask is the child's own (its fs state is not shared). */
	if (req->set_umask)
		umask(req->umask);
	spawn_close_from(3, status);
	if (plan->direct != NULL)
		spawn_exec_direct(plan->direct, plan->envp, plan->path);
	execvpe(plan->argv[0], plan->argv, plan->envp);
	spawn_child_fail(status, STAGE_EXEC);
}

/* The child's ends of F, in the order it dups them to 0, 1, 2. */
static void
spawn_child_ends(const struct spawn_request *req, const struct spawn_fds *f,
    int fd[3])
{
	if (req->pty) {
		fd[0] = fd[1] = fd[2] = f->in[1];
		return;
	}
	fd[0] = f->in[0];
	fd[1] = f->out[1];
	fd[2] = req->merge_stderr ? f->out[1] : f->err[1];
}

/* Hand the child's ends over in the slots; false if they cannot be used
 * (the child then gets a table of its own, copied in full). */
static bool
spawn_use_slots(struct spawn_plan *plan)
{
	int i;

	if (SPAWN_UNDER_VALGRIND() || spawn_reserve_slots() == -1)
		return false;
	for (i = 0; i < 3; i++) {
		if (spawn_fill_slot(i, plan->fd[i]) == -1)
			return false;
		plan->fd[i] = spawn_slots[i];
	}
	if (spawn_fill_slot(SLOT_STATUS, plan->status) == -1)
		return false;
	plan->status = spawn_slots[SLOT_STATUS];
	return true;
}

/* The child runs on this stack until it execs; tend is suspended
 * meanwhile (CLONE_VFORK), so one stack serves every start. */
static char spawn_stack[64 * 1024] __attribute__((aligned(16)));

/* clone() as vfork() (no page tables are copied: fork() cost about 10 ms
 * a child here) sharing the fd table too.  All signals are blocked
 * meanwhile, so no handler of tend's runs in the child, on tend's
 * memory, before it resets them. */
static pid_t
spawn_fork(const struct spawn_request *req, struct spawn_fds *f,
    char *argv[], char *envp[], char *direct[])
{
	struct spawn_plan plan = { .req = req, .status = f->status[1],
	    .argv = argv, .envp = envp, .direct = direct,
	    .path = spawn_env_path(envp), .parent = getpid() };
	int flags = CLONE_VM | CLONE_VFORK | SIGCHLD, saved;
	sigset_t all, old;
	pid_t pid;

	spawn_child_ends(req, f, plan.fd);
	plan.shared = spawn_use_slots(&plan);
	if (!plan.shared) {
		spawn_child_ends(req, f, plan.fd);
		plan.status = f->status[1];
	}
	if (plan.shared)
		flags |= CLONE_FILES;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	/* The last child's frames never returned: a fresh stack to ASan. */
	ASAN_UNPOISON_MEMORY_REGION(spawn_stack, sizeof spawn_stack);
	pid = clone(spawn_child, spawn_stack + sizeof spawn_stack, flags,
	    &plan);
	saved = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (spawn_devnull != -1)
		spawn_clear_slots();
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
	char **direct = spawn_is_posix_shell(req->shell) ?
	    spawn_command_argv(req->command) : NULL;
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
	pid = spawn_fork(req, &f, argv, envp, direct);
	if (pid == -1) {
		snprintf(err, errsize, "cannot fork: %s", strerror(errno));
		goto fail;
	}
	/* clone() returns once the child has exec'd: its setsid() is done,
	 * so signals to the group reach it already. */
	free(envp);
	free(term);
	free(line);
	free(direct);
	c->pid = pid;
	spawn_adopt(req, &f, c);
	return 0;
fail:
	free(envp);
	free(term);
	free(line);
	free(direct);
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
