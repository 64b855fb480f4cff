/*
 * tty: the terminal, owned by one module (as htop's CRT.c).
 *
 * curses set-up and teardown, colour pairs for ANSI colours reduced to
 * what the terminal can show, resize, and the handlers that give the
 * terminal back when tend itself crashes.  No other module calls
 * initscr() or endwin().
 */
#ifndef TEND_TTY_H
#define TEND_TTY_H

#include <curses.h>
#include <stdbool.h>
#include <stdint.h>

/* Take over the terminal.  Returns 0, or -1 with the reason in ERR. */
int tty_init(char *err, size_t errsize);
/* Give the terminal back (safe to call twice, or without tty_init). */
void tty_end(void);
/* Pick up the new size after SIGWINCH. */
void tty_resize(void);

/* A colour pair for foreground FG and background BG, each an ansi.h
 * colour (ANSI_DEFAULT, 0..255 or ANSI_RGB); 0 when out of pairs. */
int tty_pair(int32_t fg, int32_t bg);
/* curses attributes for ansi.h ANSI_* attribute bits. */
attr_t tty_attrs(unsigned ansi_attr);

/* FN runs inside the fatal-signal handler (SIGSEGV, SIGABRT, ...) before
 * the terminal is restored: async-signal-safe work only. */
void tty_on_crash(void (*fn)(void));

#endif
