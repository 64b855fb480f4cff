/*
 * tty: curses on a terminal that may stop reading.
 *
 * ncurses writes its output with write(2) and retries at once on EAGAIN
 * (lib_tputs.c, _nc_flush), so it cannot be given a non-blocking fd.  It
 * is given a memory file instead: a frame is rendered there, and this
 * module copies it to the terminal through a description of tend's own,
 * opened non-blocking, as fast as the terminal takes it.  Since ncurses'
 * output fd is not a terminal, the modes it would set (raw, no echo, no
 * CR/NL mapping) are set here, on stdin, and put back at the end.
 *
 * Owns the terminal's fds and modes, the memory file and what of it is
 * still unsent, the SIGWINCH, SIGTSTP and SIGCONT handling, colour
 * pairs, and the escape strings that undo curses, looked up at start so
 * the crash hook can write them with write(2) alone.
 */
#define _GNU_SOURCE
#include "tty.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

#include "ansiline.h"
#include "colour.h"
#include "crash.h"

#define TTY_NCOLOURS 257	/* ANSI_DEFAULT and 0..255 */
#define TTY_CHUNK (64 * 1024)
#define TTY_END_WAIT_MS 500	/* for the last words at exit */
/* Bracketed paste (xterm's mode 2004): a paste comes between markers. */
#define TTY_PASTE_ON "\033[?2004h"
#define TTY_PASTE_OFF "\033[?2004l"

static struct {
	struct loop *loop;
	const struct tty_events *ev;
	void *ctx;
	bool active;
	SCREEN *screen;
	int in_fd;		/* stdin: keys, and the modes */
	int out_fd;		/* the terminal, non-blocking, tend's own */
	int mem_fd;		/* what ncurses writes */
	FILE *mem;
	off_t sent;		/* of mem_fd, already written to out_fd */
	bool out_watched;
	struct termios saved;
	bool saved_ok;
	char reset[256];	/* written on a crash */
	size_t reset_len;
	int pairs[TTY_NCOLOURS * TTY_NCOLOURS];
	int next_pair;
	bool lent;		/* tty_hand_over(): another group has it */
} tty = { .in_fd = -1, .out_fd = -1, .mem_fd = -1, .next_pair = 1 };

static void tty_send(void);

/* --- modes ------------------------------------------------------------- */

/* What ncurses would set if it could: raw input without echo or CR/NL
 * mapping, and "\n" not turned into "\r\n" on output (its cursor
 * motions count on that). */
static void
tty_raw(void)
{
	struct termios t = tty.saved;

	if (!tty.saved_ok)
		return;
	t.c_lflag &= ~(tcflag_t)(ICANON | ISIG | IEXTEN | ECHO | ECHONL);
	t.c_iflag &= ~(tcflag_t)(IXON | BRKINT | PARMRK | ICRNL | INLCR |
	    IGNCR);
	t.c_oflag &= ~(tcflag_t)ONLCR;
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	tcsetattr(tty.in_fd, TCSANOW, &t);
}

static void
tty_restore_modes(void)
{
	if (tty.saved_ok)
		tcsetattr(tty.in_fd, TCSANOW, &tty.saved);
}

static void
tty_add_reset(const char *cap)
{
	char *s = tigetstr((char *)cap);
	size_t n;

	if (s == NULL || s == (char *)-1)
		return;
	n = strlen(s);
	if (tty.reset_len + n < sizeof tty.reset) {
		memcpy(tty.reset + tty.reset_len, s, n);
		tty.reset_len += n;
	}
}

static void
tty_add_string(const char *s)
{
	size_t n = strlen(s);

	if (tty.reset_len + n < sizeof tty.reset) {
		memcpy(tty.reset + tty.reset_len, s, n);
		tty.reset_len += n;
	}
}

static void
tty_crash(void)
{
	if (!tty.active)
		return;
	if (write(tty.out_fd, tty.reset, tty.reset_len) == -1) {
		/* nothing more can be done for the terminal */
	}
	tty_restore_modes();
}

/* --- output ------------------------------------------------------------ */

static void
tty_writable(struct loop *loop, int fd, int events, void *data)
{
	(void)loop;
	(void)fd;
	(void)events;
	(void)data;
	/* Once it has all gone out, this turn's flush draws what is owed. */
	tty_send();
}

static void
tty_watch_out(bool on)
{
	if (on == tty.out_watched)
		return;
	tty.out_watched = on;
	if (on)
		loop_add_fd(tty.loop, tty.out_fd, LOOP_WRITE, tty_writable, NULL);
	else
		loop_del_fd(tty.loop, tty.out_fd);
}

/* Copy what ncurses wrote and the terminal has not taken yet, as far as
 * it takes it now; once all of it went out, the memory file is emptied. */
static void
tty_send(void)
{
	static char chunk[TTY_CHUNK];
	off_t end;

	fflush(tty.mem);
	end = lseek(tty.mem_fd, 0, SEEK_CUR);
	while (tty.sent < end) {
		ssize_t n = pread(tty.mem_fd, chunk, sizeof chunk, tty.sent), w;

		if (n <= 0)
			break;
		w = write(tty.out_fd, chunk, (size_t)n);
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1 && errno == EAGAIN) {
			tty_watch_out(true);
			return;
		}
		if (w == -1) {
			/* The terminal is gone: forget what it did not take. */
			tty.sent = end;
			break;
		}
		tty.sent += w;
	}
	if (tty.sent >= end) {
		if (ftruncate(tty.mem_fd, 0) == 0)
			lseek(tty.mem_fd, 0, SEEK_SET);
		tty.sent = 0;
		tty_watch_out(false);
	}
}

bool
tty_can_draw(void)
{
	return tty.active && !tty.lent && !tty.out_watched;
}

void
tty_frame(void)
{
	refresh();
	tty_send();
}

void
tty_redraw(void)
{
	clearok(curscr, TRUE);
}

/* Send what is left, waiting for the terminal at most MS in all. */
static void
tty_send_within(int ms)
{
	int64_t until = loop_monotonic_ms() + ms;

	tty_send();
	while (tty.out_watched) {
		struct pollfd pfd = { tty.out_fd, POLLOUT, 0 };
		int64_t left = until - loop_monotonic_ms();

		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
			break;
		tty_send();
	}
}

/* --- events ------------------------------------------------------------ */

static void
tty_input(struct loop *loop, int fd, int events, void *data)
{
	(void)data;
	if (tty.ev->input != NULL)
		tty.ev->input(tty.ctx);
	if (events & LOOP_ERROR) {
		/* Hung up: what was typed before has just been read. */
		loop_del_fd(loop, fd);
		if (tty.ev->gone != NULL)
			tty.ev->gone(tty.ctx);
	}
}

static void
tty_resize(void)
{
	struct winsize ws;

	if (ioctl(tty.out_fd, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resize_term(ws.ws_row, ws.ws_col);
	clearok(curscr, TRUE);
	if (tty.ev->resized != NULL)
		tty.ev->resized(tty.ctx);
}

static void
tty_signal(struct loop *loop, int signo, void *data)
{
	(void)loop;
	(void)data;
	if (!tty.active || tty.lent)
		return;		/* lent: the size is read when it comes back */
	if (signo == SIGTSTP)
		tty_suspend();
	else
		tty_resize();	/* SIGWINCH; SIGCONT after a SIGSTOP */
}

void
tty_suspend(void)
{
	struct sigaction sa, old;

	if (!tty.active)
		return;
	endwin();
	fputs(TTY_PASTE_OFF, tty.mem);
	tty_send_within(TTY_END_WAIT_MS);
	tty_restore_modes();
	/* Stop as a terminal's Ctrl-Z would, so the shell sees SIGTSTP. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGTSTP, &sa, &old);
	raise(SIGTSTP);
	sigaction(SIGTSTP, &old, NULL);
	/* Continued. */
	tty_raw();
	fputs(TTY_PASTE_ON, tty.mem);
	refresh();
	tty_resize();
}

/* tcsetpgrp() from what may be a background group: SIGTTOU, which
 * would stop tend, is held off meanwhile. */
static int
tty_foreground(pid_t pgid)
{
	sigset_t ttou, old;
	int r;

	sigemptyset(&ttou);
	sigaddset(&ttou, SIGTTOU);
	sigprocmask(SIG_BLOCK, &ttou, &old);
	r = tcsetpgrp(tty.in_fd, pgid);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return r;
}

int
tty_hand_over(void)
{
	if (!tty.active || tty.lent)
		return -1;
	endwin();
	fputs(TTY_PASTE_OFF, tty.mem);
	tty_send_within(TTY_END_WAIT_MS);
	tty_restore_modes();
	loop_set_fd_events(tty.loop, tty.in_fd, 0);
	tty.lent = true;
	return 0;
}

void
tty_lend_to(pid_t pgid)
{
	if (tty.lent)
		tty_foreground(pgid);
}

void
tty_take_back(void)
{
	if (!tty.active || !tty.lent)
		return;
	tty_foreground(getpgrp());
	tty.lent = false;
	tty_raw();
	fputs(TTY_PASTE_ON, tty.mem);
	loop_set_fd_events(tty.loop, tty.in_fd, LOOP_READ);
	refresh();
	tty_resize();
}

/* --- set-up and teardown ------------------------------------------------ */

/* The terminal once more, non-blocking, on a description of tend's own:
 * the shell's stays as it was. */
static int
tty_open_out(void)
{
	return open("/proc/self/fd/1", O_WRONLY | O_NOCTTY | O_NONBLOCK |
	    O_CLOEXEC);
}

static void
tty_close_fds(void)
{
	if (tty.mem != NULL)
		fclose(tty.mem);	/* closes mem_fd */
	else if (tty.mem_fd != -1)
		close(tty.mem_fd);
	if (tty.out_fd != -1)
		close(tty.out_fd);
	tty.mem = NULL;
	tty.mem_fd = tty.out_fd = -1;
}

static int
tty_open(char *err, size_t errsize)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(err, errsize, "the TUI needs a terminal on stdin and "
		    "stdout (use --headless)");
		return -1;
	}
	tty.in_fd = STDIN_FILENO;
	tty.out_fd = tty_open_out();
	tty.mem_fd = memfd_create("tend-screen", MFD_CLOEXEC);
	if (tty.out_fd == -1 || tty.mem_fd == -1 ||
	    (tty.mem = fdopen(tty.mem_fd, "w")) == NULL) {
		snprintf(err, errsize, "cannot set up the terminal: %s",
		    strerror(errno));
		tty_close_fds();
		return -1;
	}
	return 0;
}

static void
tty_setup_curses(void)
{
	nodelay(stdscr, TRUE);
	keypad(stdscr, TRUE);
	/* Keys are read by the loop between frames; refresh() need not
	 * check for them while it draws. */
	typeahead(-1);
	set_escdelay(25);
	curs_set(0);
	if (has_colors()) {
		start_color();
		use_default_colors();
	}
	define_key("\033[200~", TTY_KEY_PASTE_START);
	define_key("\033[201~", TTY_KEY_PASTE_END);
	/* The wheel scrolls, a click selects (Shift-drag still selects text
	 * in most terminals). */
	mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	mouseinterval(0);
	/* ncurses 6.4 flushes after every cursor movement until the screen
	 * has once been suspended and resumed (it takes the state for a
	 * low-level terminfo program's): suspend and resume once, before
	 * anything is drawn, and a frame is one write. */
	endwin();
	refresh();
	fputs(TTY_PASTE_ON, tty.mem);
}

/* Does terminfo know TERM?  Asked before newterm(), which keeps memory
 * of its own when it fails. */
static bool
tty_known(const char *term)
{
	int err = 0;

	if (term == NULL || term[0] == '\0' ||
	    setupterm((char *)term, tty.out_fd, &err) != OK)
		return false;
	del_curterm(cur_term);
	return true;
}

int
tty_init(struct loop *loop, const struct tty_events *ev, void *ctx,
    char *err, size_t errsize)
{
	const char *term = getenv("TERM");

	if (tty.active)
		return 0;
	if (tty_open(err, errsize) == -1)
		return -1;
	tty.loop = loop;
	tty.ev = ev;
	tty.ctx = ctx;
	tty.saved_ok = tcgetattr(tty.in_fd, &tty.saved) == 0;
	/* Caught before newterm(), which then leaves them alone. */
	loop_watch_signal(loop, SIGWINCH, tty_signal, NULL);
	loop_watch_signal(loop, SIGTSTP, tty_signal, NULL);
	loop_watch_signal(loop, SIGCONT, tty_signal, NULL);
	if (!tty_known(term))
		tty.screen = NULL;
	else
		tty.screen = newterm(NULL, tty.mem, stdin);
	if (tty.screen == NULL) {
		snprintf(err, errsize, "curses does not know the terminal "
		    "type TERM=%s", term != NULL ? term : "");
		tty_close_fds();
		return -1;
	}
	tty.active = true;
	tty.reset_len = 0;
	tty_add_reset("rmcup");
	tty_add_reset("cnorm");
	tty_add_reset("sgr0");
	tty_add_reset("rmkx");
	tty_add_string(TTY_PASTE_OFF);
	crash_init();
	crash_on(tty_crash);
	tty_raw();
	tty_setup_curses();
	tty_resize();
	loop_add_fd(loop, tty.in_fd, LOOP_READ, tty_input, NULL);
	tty_send();
	return 0;
}

void
tty_end(const char *after)
{
	if (!tty.active)
		return;
	tty_take_back();
	tty.active = false;
	crash_off(tty_crash);
	loop_del_fd(tty.loop, tty.in_fd);
	curs_set(1);
	endwin();
	fputs(TTY_PASTE_OFF, tty.mem);
	tty_send_within(TTY_END_WAIT_MS);
	/* The shell's modes first: AFTER is plain text, "\n" a new line. */
	tty_restore_modes();
	if (after != NULL) {
		fputs(after, tty.mem);
		tty_send_within(TTY_END_WAIT_MS);
	}
	tty_watch_out(false);
	delscreen(tty.screen);
	tty.screen = NULL;
	tty_close_fds();
}

/* --- colours ------------------------------------------------------------ */

/* A colour.h colour as a colour the terminal has; -1 for the default. */
static int
tty_colour(int32_t c)
{
	if (c == ANSI_DEFAULT || COLORS < 8)
		return -1;
	if (ANSI_IS_RGB(c))
		c = colour_rgb_to_256((c >> 16) & 0xff, (c >> 8) & 0xff,
		    c & 0xff);
	if (COLORS >= 256)
		return c;
	if (COLORS >= 16)
		return colour_256_to_16(c);
	return colour_256_to_8(c);
}

int
tty_pair(int32_t fg, int32_t bg)
{
	int f, b, *slot;

	if (!has_colors())
		return 0;
	f = tty_colour(fg);
	b = tty_colour(bg);
	if (f == -1 && b == -1)
		return 0;
	slot = &tty.pairs[(f + 1) * TTY_NCOLOURS + (b + 1)];
	if (*slot == 0 && tty.next_pair < COLOR_PAIRS &&
	    init_extended_pair(tty.next_pair, f, b) == OK)
		*slot = tty.next_pair++;
	return *slot;
}

attr_t
tty_attrs(unsigned a)
{
	attr_t out = A_NORMAL;

	if (a & ANSI_BOLD)
		out |= A_BOLD;
	if (a & ANSI_DIM)
		out |= A_DIM;
	if (a & ANSI_ITALIC)
		out |= A_ITALIC;
	if (a & ANSI_UNDERLINE)
		out |= A_UNDERLINE;
	if (a & ANSI_BLINK)
		out |= A_BLINK;
	if (a & ANSI_REVERSE)
		out |= A_REVERSE;
	return out;
}
