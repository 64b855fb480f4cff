/*
 * tty: curses set-up and teardown, colour pairs, crash-time restore.
 *
 * The escape strings that undo curses (leave the alternate screen, show
 * the cursor, reset attributes) are looked up once at start, so the
 * fatal-signal handler can write them with write(2) alone.
 */
#define _GNU_SOURCE
#include "tty.h"

#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

#include "ansi.h"

#define TTY_NCOLOURS 257	/* ANSI_DEFAULT and 0..255 */

static bool tty_active;
static struct termios tty_saved;
static bool tty_saved_ok;
static char tty_reset[256];		/* written on crash */
static size_t tty_reset_len;
static void (*tty_crash_fn)(void);
static int tty_pairs[TTY_NCOLOURS * TTY_NCOLOURS];
static int tty_next_pair = 1;

static void
tty_add_reset(const char *cap)
{
	char *s = tigetstr((char *)cap);
	size_t n;

	if (s == NULL || s == (char *)-1)
		return;
	n = strlen(s);
	if (tty_reset_len + n < sizeof tty_reset) {
		memcpy(tty_reset + tty_reset_len, s, n);
		tty_reset_len += n;
	}
}

static void
tty_crash(int sig)
{
	if (tty_crash_fn != NULL)
		tty_crash_fn();
	if (tty_active) {
		if (write(STDOUT_FILENO, tty_reset, tty_reset_len) == -1) {
			/* nothing more can be done for the terminal */
		}
		if (tty_saved_ok)
			tcsetattr(STDIN_FILENO, TCSANOW, &tty_saved);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
tty_catch_crashes(void)
{
	static const int fatal[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = tty_crash;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESETHAND;
	for (i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
		sigaction(fatal[i], &sa, NULL);
}

void
tty_on_crash(void (*fn)(void))
{
	tty_crash_fn = fn;
}

int
tty_init(char *err, size_t errsize)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(err, errsize, "the TUI needs a terminal on stdin and "
		    "stdout (use --headless)");
		return -1;
	}
	tty_saved_ok = tcgetattr(STDIN_FILENO, &tty_saved) == 0;
	if (initscr() == NULL) {
		snprintf(err, errsize, "cannot initialise the terminal "
		    "(TERM=%s)", getenv("TERM") ? getenv("TERM") : "");
		return -1;
	}
	tty_active = true;
	tty_reset_len = 0;
	tty_add_reset("rmcup");
	tty_add_reset("cnorm");
	tty_add_reset("sgr0");
	tty_add_reset("rmkx");
	tty_catch_crashes();
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	/* Keys are read by the loop between frames; refresh() need not
	 * check for them while it draws. */
	typeahead(-1);
	set_escdelay(25);
	curs_set(0);
	if (has_colors()) {
		start_color();
		use_default_colors();
	}
	/* The wheel only: clicks and drags stay the terminal's, so text can
	 * still be selected and copied as usual. */
	mousemask(BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	mouseinterval(0);
	/* ncurses 6.4 flushes the terminal after every cursor movement until
	 * the screen has once been suspended and resumed (it takes the
	 * state for a low-level terminfo program's): a frame then costs a
	 * write(2) per change, thousands a second.  Suspend and resume once,
	 * before anything is drawn, and a frame is one write. */
	endwin();
	refresh();
	return 0;
}

void
tty_end(void)
{
	if (!tty_active)
		return;
	tty_active = false;
	curs_set(1);
	endwin();
}

void
tty_resize(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	clearok(curscr, TRUE);
}

/* An ansi.h colour as a colour the terminal has; -1 for the default. */
static int
tty_colour(int32_t c)
{
	if (c == ANSI_DEFAULT || COLORS < 8)
		return -1;
	if (ANSI_IS_RGB(c))
		c = ansi_rgb_to_256((c >> 16) & 0xff, (c >> 8) & 0xff, c & 0xff);
	if (COLORS >= 256)
		return c;
	if (COLORS >= 16)
		return ansi_256_to_16(c);
	return ansi_256_to_8(c);
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
	slot = &tty_pairs[(f + 1) * TTY_NCOLOURS + (b + 1)];
	if (*slot == 0 && tty_next_pair < COLOR_PAIRS &&
	    init_extended_pair(tty_next_pair, f, b) == OK)
		*slot = tty_next_pair++;
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
