/*
 * ctlclient: one request, one connection, blocking I/O (a command run
 * from a shell waits for its answer; only tend itself never blocks).
 */
#define _GNU_SOURCE
#include "ctlclient.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "ansi.h"
#include "command.h"
#include "config.h"
#include "ctlproto.h"
#include "store.h"

#define CTLCLIENT_LINE_MAX (STORE_MAX_LINE * 2)
#define CTLCLIENT_GRACE_MS 10000	/* wait: for tend to come up */
#define CTLCLIENT_RETRY_MS 20

static void
ctlclient_usage(FILE *f)
{
	const struct cmd_entry *t;
	size_t n, i;

	fprintf(f, "usage: tend ctl [-c CONFIG | --socket PATH] COMMAND "
	    "[ARGS]\n\ncommands:\n");
	t = cmd_table(&n);
	for (i = 0; i < n; i++) {
		char words[96];

		if (!(t[i].where & CMD_CTL))
			continue;
		snprintf(words, sizeof words, "%s%s%s", t[i].name,
		    t[i].usage[0] ? " " : "", t[i].usage);
		fprintf(f, "  %-44s %s\n", words, t[i].help);
	}
	fprintf(f, "\nCONFIG is ./tend.ini (else ./Procfile) unless given; the "
	    "socket is the one "
	    "of the tend running it.\nExit status: 0 done, 1 the command "
	    "failed, 2 usage or no tend running.\n");
}

/* One try; errno tells why it failed. */
static int
ctlclient_try(const struct sockaddr_un *sa)
{
	int fd, e;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd == -1 || connect(fd, (const struct sockaddr *)sa, sizeof *sa) == 0)
		return fd;
	e = errno;
	close(fd);
	errno = e;
	return -1;
}

/* How long `wait` gives tend to come up: its --timeout, else
 * CTLCLIENT_GRACE_MS; `tend --headless & tend ctl wait web` may well run
 * before tend has made its socket. */
static long
ctlclient_grace_ms(char **words, int n)
{
	int i;

	if (n == 0 || strcmp(words[0], "wait") != 0)
		return 0;
	for (i = 1; i + 1 < n; i++) {
		if (strcmp(words[i], "--timeout") == 0) {
			double v = strtod(words[i + 1], NULL);

			return v >= 0 && v < 1e6 ? (long)(v * 1000) :
			    CTLCLIENT_GRACE_MS;
		}
	}
	return CTLCLIENT_GRACE_MS;
}

static int
ctlclient_connect(const char *path, const char *config, long grace_ms)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	const struct timespec step = { 0, CTLCLIENT_RETRY_MS * 1000000L };
	long waited = 0;
	int fd;

	if (strlen(path) >= sizeof sa.sun_path) {
		fprintf(stderr, "tend ctl: %s: a socket path this long does not "
		    "fit\n", path);
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	while ((fd = ctlclient_try(&sa)) == -1 &&
	    (errno == ENOENT || errno == ECONNREFUSED) && waited < grace_ms) {
		nanosleep(&step, NULL);
		waited += CTLCLIENT_RETRY_MS;
	}
	if (fd != -1)
		return fd;
	if (errno == ENOENT || errno == ECONNREFUSED)
		fprintf(stderr, "tend ctl: no tend is running %s (no socket at "
		    "%s)\n", config != NULL ? config : path, path);
	else
		fprintf(stderr, "tend ctl: cannot connect to %s: %s\n", path,
		    strerror(errno));
	return -1;
}

static int
ctlclient_send(int fd, char **words, int n)
{
	static char req[CTL_REQUEST_MAX + 2];
	size_t len = 0;
	int i;

	for (i = 0; i < n; i++) {
		len = ctlproto_encode(req, sizeof req - 1, len, words[i]);
		if (len >= sizeof req - 1) {
			fprintf(stderr, "tend ctl: the command is too long\n");
			return -1;
		}
	}
	req[len++] = '\n';
	for (size_t off = 0; off < len;) {
		ssize_t w = write(fd, req + off, len - off);

		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1) {
			fprintf(stderr, "tend ctl: %s\n", strerror(errno));
			return -1;
		}
		off += (size_t)w;
	}
	return 0;
}

/* One response line (LINE[LEN] is its newline); returns the exit status
 * it carries, or -1. */
static int
ctlclient_line(char *line, size_t len, bool tty, char *plain)
{
	char kind = line[0];
	const char *text = line + 2;
	size_t n = len > 2 ? len - 2 : 0;

	if (len < 2 || line[1] != ' ')
		return -1;
	if (kind == 'x')
		return atoi(text);
	if (tty && kind == 'o') {
		n = ansi_plain(text, n, plain, CTLCLIENT_LINE_MAX * 6);
		text = plain;
	}
	if (kind == 'e')
		fflush(stdout);	/* what came before it shows before it */
	/* Unlocked: one thread, and a flood's lines come a thousand a
	 * read. */
	if (text == plain) {
		fwrite_unlocked(text, 1, n, stdout);
		putc_unlocked('\n', stdout);
	} else {		/* with its newline, which ends it in LINE */
		fwrite_unlocked(text, 1, n + 1, kind == 'e' ? stderr : stdout);
	}
	return -1;
}

/* Print what tend says until it says how the command went. */
static int
ctlclient_read(int fd)
{
	static char buf[CTLCLIENT_LINE_MAX + 4096];
	static char outbuf[CTLCLIENT_LINE_MAX + 4096];
	char *plain = NULL;
	bool tty = isatty(STDOUT_FILENO);
	size_t len = 0, off;
	int status = -1;

	if (tty && (plain = malloc(CTLCLIENT_LINE_MAX * 6)) == NULL)
		tty = false;
	/* stdout is written once a read, not once a line: a follower of a
	 * flood gets a thousand lines a read (stdio's own buffer is a
	 * block, 4 KiB). */
	setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
	while (status == -1) {
		ssize_t n = read(fd, buf + len, sizeof buf - len);
		char *nl;

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		/* The part line left is moved once a read, not once a line:
		 * a flood's reads hold a thousand lines. */
		for (off = 0; status == -1 &&
		    (nl = memchr(buf + off, '\n', len - off)) != NULL;
		    off = (size_t)(nl + 1 - buf))
			status = ctlclient_line(buf + off, (size_t)(nl - buf) - off,
			    tty, plain);
		fflush(stdout);
		memmove(buf, buf + off, len - off);
		len -= off;
		if (len == sizeof buf)
			len = 0;	/* a line longer than any tend sends */
	}
	fflush(stdout);
	free(plain);
	if (status == -1) {
		fprintf(stderr, "tend ctl: tend closed the connection without "
		    "an answer\n");
		return 2;
	}
	return status;
}

/* --- connect, send-socket ------------------------------------------------ */

/* --wait SECS of connect and send-socket, in milliseconds (1 s). */
static long
ctlclient_wait_ms(char **words, int n)
{
	int i;

	for (i = 1; i + 1 < n; i++) {
		if (strcmp(words[i], "--wait") == 0) {
			double v = strtod(words[i + 1], NULL);

			return v >= 0 && v < 1e6 ? (long)(v * 1000) : 1000;
		}
	}
	return 1000;
}

static long
ctlclient_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A line of stdin to tend, for the connection: "s TEXT". */
static int
ctlclient_send_line(int fd, char *line)
{
	static char req[CTL_REQUEST_MAX + 4];
	size_t len = 2, off;

	req[0] = 's';
	req[1] = ' ';
	req[2] = '\0';
	len = ctlproto_encode(req + 2, sizeof req - 3, 0, line) + 2;
	if (len >= sizeof req - 1)
		return 0;	/* too long for one line: left out */
	req[len++] = '\n';
	for (off = 0; off < len;) {
		ssize_t w = write(fd, req + off, len - off);

		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1)
			return -1;
		off += (size_t)w;
	}
	return 0;
}

/* Lines of stdin read so far go to tend; false at its end.  A line
 * longer than the buffer is left out whole (with a word on stderr), not
 * sent in pieces that would each look like a line. */
static bool
ctlclient_pump_stdin(int fd, char *buf, size_t *len, size_t size)
{
	static bool skipping;
	ssize_t n = read(STDIN_FILENO, buf + *len, size - *len - 1);
	size_t off = 0;
	char *nl;

	if (n == -1 && errno == EINTR)
		return true;
	if (n <= 0) {
		if (*len > 0 && !skipping) {	/* a last line without its newline */
			buf[*len] = '\0';
			ctlclient_send_line(fd, buf);
		}
		*len = 0;
		return false;
	}
	*len += (size_t)n;
	for (; (nl = memchr(buf + off, '\n', *len - off)) != NULL;
	    off = (size_t)(nl + 1 - buf)) {
		*nl = '\0';
		if (!skipping)
			ctlclient_send_line(fd, buf + off);
		skipping = false;
	}
	memmove(buf, buf + off, *len - off);
	*len -= off;
	if (*len == size - 1) {
		if (!skipping)
			fprintf(stderr, "tend ctl: a line of stdin over %zu bytes "
			    "is left out\n", size - 2);
		skipping = true;
		*len = 0;
	}
	return true;
}

/*
 * connect (stdin's lines go to the connection) and send-socket (tend
 * sends the one line): print what comes back until the wait is over
 * (SECS after the end of stdin, or after send-socket connected) or tend
 * says the connection ended.  0 if it connected.
 */
static int
ctlclient_bridge(int fd, bool from_stdin, long wait_ms)
{
	static char buf[CTLCLIENT_LINE_MAX + 4096], in[CTL_REQUEST_MAX / 4];
	size_t len = 0, inlen = 0, off;
	bool connected = false, reading = from_stdin;
	long deadline = -1;
	int status = -1;

	while (status == -1) {
		struct pollfd pfd[2] = { { fd, POLLIN, 0 },
		    { STDIN_FILENO, POLLIN, 0 } };
		long now = ctlclient_now_ms();
		int timeout = deadline < 0 ? -1 : deadline > now ?
		    (int)(deadline - now) : 0;
		char *nl;
		ssize_t n;

		if (deadline >= 0 && now >= deadline)
			return connected ? 0 : 1;
		if (poll(pfd, reading ? 2 : 1, timeout) == -1) {
			if (errno == EINTR)
				continue;
			return 2;
		}
		if (reading && (pfd[1].revents & (POLLIN | POLLHUP | POLLERR)) &&
		    !ctlclient_pump_stdin(fd, in, &inlen, sizeof in)) {
			reading = false;
			deadline = ctlclient_now_ms() + wait_ms;
		}
		if (!(pfd[0].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		n = read(fd, buf + len, sizeof buf - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		for (off = 0; status == -1 &&
		    (nl = memchr(buf + off, '\n', len - off)) != NULL;
		    off = (size_t)(nl + 1 - buf)) {
			if (buf[off] == 'c') {
				connected = true;
				if (!from_stdin)
					deadline = ctlclient_now_ms() + wait_ms;
			} else {
				status = ctlclient_line(buf + off,
				    (size_t)(nl - buf) - off, false, NULL);
			}
		}
		fflush(stdout);
		memmove(buf, buf + off, len - off);
		len -= off;
		if (len == sizeof buf)
			len = 0;
	}
	if (status == -1)
		return connected ? 0 : 2;
	return status;
}

int
ctlclient_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "socket", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = NULL, *socket = NULL;
	char path[sizeof ((struct sockaddr_un *)0)->sun_path], err[512];
	int c, fd, rc;

	signal(SIGPIPE, SIG_IGN);
	optind = 1;
	/* '+': stop at the command, so its own options (logs -n) stay. */
	while ((c = getopt_long(argc, argv, "+c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case 's': socket = optarg; break;
		case 'h': ctlclient_usage(stdout); return 0;
		default: ctlclient_usage(stderr); return 2;
		}
	}
	if (optind == argc) {
		ctlclient_usage(stderr);
		return 2;
	}
	if (cmd_find(argv[optind]) == NULL && strcmp(argv[optind], "pid") != 0) {
		fprintf(stderr, "tend ctl: no command '%s'\n", argv[optind]);
		ctlclient_usage(stderr);
		return 2;
	}
	if (socket != NULL && config != NULL) {
		fprintf(stderr, "tend ctl: -c and --socket: one or the other\n");
		return 2;
	}
	if (socket == NULL) {
		if (config == NULL)
			config = config_default_path();
		if (ctlproto_socket_path(config, path, sizeof path, err,
		    sizeof err) == -1) {
			fprintf(stderr, "tend ctl: %s\n", err);
			return 2;
		}
		socket = path;
	}
	if ((fd = ctlclient_connect(socket, config,
	    ctlclient_grace_ms(argv + optind, argc - optind))) == -1)
		return 2;
	if (ctlclient_send(fd, argv + optind, argc - optind) == -1)
		rc = 2;
	else if (strcmp(argv[optind], "connect") == 0 ||
	    strcmp(argv[optind], "send-socket") == 0)
		rc = ctlclient_bridge(fd, argv[optind][0] == 'c',
		    ctlclient_wait_ms(argv + optind, argc - optind));
	else
		rc = ctlclient_read(fd);
	close(fd);
	return rc;
}
