/*
 * tty: the terminal, owned by one module (as htop's CRT.c).
 *
 * curses set-up and teardown, the terminal's modes, its size, its keys,
 * colour pairs for ANSI colours reduced to what it can show, suspend
 * (Ctrl-Z), and giving it back when tend crashes.  No other module calls
 * newterm() or endwin().
 *
 * tend never waits for the terminal: a frame goes out as the terminal
 * takes it, and while one is still going out no new one is drawn (frames
 * are dropped, and the next one shows the screen as it is by then), so a
 * frozen ssh link or a stopped terminal emulator stalls nothing else.
 */
#ifndef TEND_TTY_H
#define TEND_TTY_H

#include <curses.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "loop.h"

/* What get_wch() returns (as KEY_CODE_YES) at the start and the end of
 * a paste: tend asks its terminal to bracket pastes. */
#define TTY_KEY_PASTE_START 0x1200
#define TTY_KEY_PASTE_END 0x1201

struct tty_events {
	/* Keys are waiting: read them with get_wch() until ERR. */
	void (*input)(void *ctx);
	/* LINES and COLS changed (SIGWINCH), or the screen must be drawn
	 * whole again (continued after a stop). */
	void (*resized)(void *ctx);
	/* The terminal is gone (hang-up). */
	void (*gone)(void *ctx);
};

/* Take over the terminal on stdin and stdout.  Returns 0, or -1 with
 * the reason in ERR (no terminal, or a TERM curses does not know). */
int tty_init(struct loop *loop, const struct tty_events *ev, void *ctx,
    char *err, size_t errsize);
/* Give the terminal back, then write AFTER (may be NULL) as plain text;
 * waits for the terminal at most a moment.  Safe to call twice. */
void tty_end(const char *after);

/* Nothing of the last frame is still going out: draw a new one. */
bool tty_can_draw(void);
/* After the screen was drawn: refresh it and send the frame. */
void tty_frame(void);
/* Draw the next frame whole, not as changes (Ctrl-L). */
void tty_redraw(void);
/* Ctrl-Z: give the terminal back, stop tend, take it again when
 * continued. */
void tty_suspend(void);

/* Lend the terminal (to a pager tend starts next): the screen is put
 * away as for a suspend, and until tty_take_back() tend neither draws
 * (tty_can_draw() is false) nor reads keys; the loop goes on.  -1 when
 * there is no terminal to lend. */
int tty_hand_over(void);
/* Make process group PGID the terminal's foreground (the pager, which
 * also does so itself: whichever runs first, it is so before it reads). */
void tty_lend_to(pid_t pgid);
/* The terminal back: tend's group in the foreground again, its modes,
 * and the whole screen drawn at the next frame. */
void tty_take_back(void);

/* A colour pair for foreground FG and background BG, each a colour.h
 * colour (ANSI_DEFAULT, 0..255 or ANSI_RGB); 0 when out of pairs. */
int tty_pair(int32_t fg, int32_t bg);
/* curses attributes for ansiline.h ANSI_* attribute bits. */
attr_t tty_attrs(unsigned ansi_attr);

#endif
