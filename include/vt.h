/*
 * vt: the terminal a pty program runs in, emulated.
 *
 * libvterm parses the program's output and keeps the terminal's state
 * (cursor, modes, pen, scroll region); this module keeps the screen those
 * changes draw on, a primary and an alternate one, as cells a pane can
 * draw.  Plain lines from a program that has sent no escape sequence (a
 * flood of them scrolling the bottom row) are done here, to the same end
 * as libvterm's, at a fraction of the cost.  It also decides what of the screen becomes lines of the
 * program's output (for the store, the log, headless output and
 * `tend ctl logs`), as plain text:
 *
 *  - on the primary screen, a row becomes a line once the cursor has gone
 *    below it (the program went on to the next line), and again when it
 *    scrolls off the top if it was changed since: a progress bar that
 *    redraws its rows in place adds nothing until its last state leaves
 *    the screen;
 *  - clearing the whole screen starts a new page: its rows become lines
 *    again as they are written;
 *  - a full-screen program (the alternate screen) adds one copy of its
 *    last screen when it leaves the full screen or ends;
 *  - when the program ends, what is on the screen and was not a line yet
 *    becomes one.
 *
 * Keys are encoded as the terminal would send them (and pastes bracketed
 * when the program asked); answers to the program's queries (cursor
 * position, device attributes) are generated here.  Both go out through
 * the reply event, to be written to the program's pty.
 */
#ifndef TEND_VT_H
#define TEND_VT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ansiline.h"

/* The TERM a pty program gets: what the emulation answers to. */
#define VT_TERM "xterm-256color"

struct vt_events {
	/* A row became a line of the program's output (plain UTF-8). */
	void (*line)(void *ctx, const char *text, size_t len);
	/* Bytes for the program's input: encoded keys, answers. */
	void (*reply)(void *ctx, const char *bytes, size_t len);
	/* The program entered (true) or left the full screen. */
	void (*fullscreen)(void *ctx, bool on);
};

struct vt;

/* ROWS x COLS (each at least 1).  NULL when out of memory. */
struct vt *vt_new(int rows, int cols, const struct vt_events *ev, void *ctx);
void vt_free(struct vt *vt);

/* The program's output, as it came. */
void vt_write(struct vt *vt, const char *buf, size_t len);
/* The window's new size (the program is sent SIGWINCH by the caller). */
void vt_resize(struct vt *vt, int rows, int cols);
/* The program ended: what is on the screen and not a line yet becomes
 * one.  The screen stays as the program left it, as a terminal's does. */
void vt_finish(struct vt *vt);
/* A new run: a new terminal, blank. */
void vt_reset(struct vt *vt);

/* --- what a pane draws --------------------------------------------------- */

void vt_size(const struct vt *vt, int *rows, int *cols);
/* The cell at ROW, COL (a blank one past the end of what was written). */
const struct ansi_cell *vt_cell(const struct vt *vt, int row, int col);
/* ROW's written cells, *LEN of them: past them the row is blank, in the
 * default colours (none outside the screen). */
const struct ansi_cell *vt_row_cells(const struct vt *vt, int row, int *len);
/* Where the cursor is; false when the program hides it. */
bool vt_cursor(const struct vt *vt, int *row, int *col);
/* The window title the program set (control characters removed), or "". */
const char *vt_title(const struct vt *vt);
bool vt_fullscreen(const struct vt *vt);
/* The cursor's row as text, up to its last written cell: a prompt. */
size_t vt_cursor_row(const struct vt *vt, char *buf, size_t size);

/* --- input --------------------------------------------------------------- */

/* Modifier bits for the key functions. */
#define VT_MOD_SHIFT 0x1
#define VT_MOD_ALT 0x2
#define VT_MOD_CTRL 0x4

enum vt_key {
	VT_KEY_NONE, VT_KEY_ENTER, VT_KEY_TAB, VT_KEY_BACKSPACE, VT_KEY_ESCAPE,
	VT_KEY_UP, VT_KEY_DOWN, VT_KEY_LEFT, VT_KEY_RIGHT, VT_KEY_INS,
	VT_KEY_DEL, VT_KEY_HOME, VT_KEY_END, VT_KEY_PAGEUP, VT_KEY_PAGEDOWN,
	VT_KEY_F1,	/* VT_KEY_F1 + n - 1 for Fn, n up to 12 */
};

void vt_key(struct vt *vt, enum vt_key key, int mods);
void vt_char(struct vt *vt, uint32_t ch, int mods);
void vt_paste(struct vt *vt, bool start);
/* Does the program want mouse events? */
bool vt_wants_mouse(const struct vt *vt);
/* A mouse button (1 left, 4/5 the wheel) at ROW, COL of the screen. */
void vt_mouse(struct vt *vt, int row, int col, int button, bool pressed);

#endif
