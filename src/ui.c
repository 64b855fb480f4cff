/*
 * ui: the TUI, a client of the engine.
 *
 * Owns the layout (program list + pane, or tiled panes), the per-program
 * views (scroll position, what was seen), the modes (normal, input line,
 * search prompt, help), the message line, and frame pacing: events set
 * `dirty`, and the engine's flush, once per loop turn, draws at most one
 * frame per UI_FRAME_MS.  Keys are looked up in the command table and
 * become engine commands or view changes; drawing changes nothing but the
 * screen.  The widgets (list, title, pane, bar, help, input line) draw;
 * this file composes them.
 */
#define _GNU_SOURCE
#include "ui.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "bar.h"
#include "command.h"
#include "draw.h"
#include "format.h"
#include "help.h"
#include "inputline.h"
#include "keys.h"
#include "list.h"
#include "loop.h"
#include "pane.h"
#include "ptrmap.h"
#include "title.h"
#include "tty.h"
#include "vtpane.h"

#define UI_FRAME_MS 16		/* about 60 frames a second at most */
#define UI_HINT_MS 5000		/* silence before the buffering hint */
#define UI_MESSAGE_MS 4000
#define UI_WARNINGS_MS 15000	/* config warnings at start */
#define UI_WHEEL_ROWS 3
#define UI_KEYS_PER_TURN 4096	/* so a paste cannot hold the loop */
#define UI_ECHO_MS 100		/* output this soon after a key answers it */

/* UI_FOCUS: every key goes to a pty program, until Ctrl-A. */
enum ui_mode { UI_NORMAL, UI_INPUT, UI_SEARCH, UI_HELP, UI_FOCUS };

#define UI_CTRL_A 0x01

/* What the TUI keeps per program. */
struct ui_prog {
	struct pane_view view;
	uint64_t seen;		/* store_total() when last on screen */
};

struct ui {
	struct engine *e;
	struct loop *loop;
	struct ptrmap progs;	/* proc -> ui_prog */
	struct ui_prog spare;	/* when memory for one is short */
	struct proc *selected;
	bool tiled;
	bool wrap;
	enum ui_mode mode;
	bool left_focus;	/* the last key left focus mode */
	int cursor_y, cursor_x;	/* the focused program's cursor, or -1 */
	struct inputline input, search;
	wchar_t pattern[256];	/* the search, lower case */
	char message[256];
	int64_t message_until;
	const struct proc *message_proc;	/* its next note ends the message */

	bool dirty;
	bool key_pressed;	/* draw now: the frame limit is for output */
	int64_t key_ms;		/* when the last key came */
	int64_t last_frame_ms;
	uint64_t frame_timer;
	uint64_t tick_timer;
	int64_t tick_at;	/* when tick_timer fires */
};

/* --- small helpers ---------------------------------------------------- */

static struct ui_prog *
ui_prog(struct ui *ui, const struct proc *p)
{
	struct ui_prog *v = ptrmap_get(&ui->progs, p);

	if (v != NULL)
		return v;
	if ((v = calloc(1, sizeof *v)) == NULL ||
	    ptrmap_put(&ui->progs, p, v) == -1) {
		free(v);
		return &ui->spare;
	}
	pane_view_init(&v->view);
	return v;
}

static size_t
ui_count(const struct ui *ui)
{
	return engine_count(ui->e);
}

static struct proc *
ui_program(const struct ui *ui, size_t i)
{
	return engine_program(ui->e, i);
}

static size_t
ui_selected_index(const struct ui *ui)
{
	size_t i;

	for (i = 0; i < ui_count(ui); i++) {
		if (ui_program(ui, i) == ui->selected)
			return i;
	}
	return 0;
}

static void __attribute__((format(printf, 2, 3)))
ui_message(struct ui *ui, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ui->message, sizeof ui->message, fmt, ap);
	va_end(ap);
	ui->message_until = loop_now(ui->loop) + UI_MESSAGE_MS;
	ui->message_proc = NULL;
	ui->dirty = true;
}

static bool
ui_message_on(const struct ui *ui)
{
	return ui->message[0] != '\0' && loop_now(ui->loop) < ui->message_until;
}

/* --- layout ------------------------------------------------------------ */

/* The inside of a pane drawn in the box at Y, X of H x W. */
static struct pane_geom
ui_box_inside(const struct ui *ui, int y, int x, int h, int w)
{
	struct pane_geom g = { y + 1, x + 1, h - 2, w - 2, ui->wrap };

	return g;
}

/* The selected program's pane, right of the list. */
static struct pane_geom
ui_pane_geom(struct ui *ui)
{
	int lw = list_width(ui->e, COLS);

	return ui_box_inside(ui, 0, lw, LINES - 1, COLS - lw);
}

/* Where tile I of N goes in the screen's top H rows. */
static void
ui_tile_box(int i, int n, int h, int *y, int *x, int *th, int *tw)
{
	int cols = n > 3 && COLS >= 100 ? 2 : 1, rows = (n + cols - 1) / cols;
	int r = i / cols, c = i % cols;

	*y = r * h / rows;
	*th = (r + 1) * h / rows - *y;
	*x = c * COLS / cols;
	*tw = (c + 1) * COLS / cols - *x;
}

/* Every pty program gets the size of the pane it shows in: its tile, or
 * the main pane (where it shows when selected).  Run when the layout
 * changes, never while drawing. */
static void
ui_layout(struct ui *ui)
{
	struct pane_geom g = ui_pane_geom(ui);
	int n = (int)ui_count(ui), i, y, x, h, w;

	for (i = 0; i < n; i++) {
		struct proc *p = ui_program(ui, (size_t)i);

		if (!proc_config(p)->pty)
			continue;
		if (ui->tiled) {
			ui_tile_box(i, n, LINES - 1, &y, &x, &h, &w);
			g = ui_box_inside(ui, y, x, h, w);
		}
		engine_resize(ui->e, p, g.h, g.w - 1);
	}
}

/* --- drawing ---------------------------------------------------------- */

/* Milliseconds until P's buffering hint is due: 0 when it shows now, -1
 * when it never will (a pty, a program that has printed, or none). */
static int64_t
ui_hint_wait(const struct ui *ui, struct proc *p)
{
	const struct proc_status *st = proc_status(p);
	int64_t wait;

	if (proc_config(p)->pty || st->pid == 0 || st->bytes_read > 0)
		return -1;
	wait = st->started_ms + UI_HINT_MS - loop_now(ui->loop);
	return wait > 0 ? wait : 0;
}

/* A program on pipes that has printed nothing for a while may only be
 * block-buffering its output: say so, and how to fix it. */
static void
ui_buffering_hint(const struct pane_geom *g)
{
	static const char *const hint[] = {
		"No output for 5 s. If it buffers its output when it is not",
		"on a terminal, set  pty = true  in its section, or make it",
		"unbuffered: python3 -u / PYTHONUNBUFFERED=1, stdbuf -oL CMD,",
		"perl -e '$| = 1', node and ruby: flush / $stdout.sync = true.",
	};
	size_t i;

	attr_set(A_DIM, 0, NULL);
	for (i = 0; i < sizeof hint / sizeof hint[0] && (int)i < g->h; i++)
		mvaddnstr(g->y + g->h - 4 + (int)i, g->x + 1, hint[i], g->w - 2);
	attr_set(A_NORMAL, 0, NULL);
}

static void
ui_draw_pane_box(struct ui *ui, struct proc *p, int y, int x, int h, int w,
    bool strong)
{
	struct pane_geom g = ui_box_inside(ui, y, x, h, w);
	struct ui_prog *v = ui_prog(ui, p);

	bool focus = ui->mode == UI_FOCUS && p == ui->selected;
	int cy, cx;

	if (h < 3 || w < 4)
		return;
	draw_box(y, x, h, w, strong);
	title_draw(ui->e, p, !v->view.follow, focus, y, x, w,
	    strong && ui->tiled);
	/* A terminal shows its screen; scrolled back, its history. */
	if (proc_vt(p) != NULL && v->view.follow) {
		vtpane_draw(proc_vt(p), &g, focus, &cy, &cx);
		if (focus) {
			ui->cursor_y = cy;
			ui->cursor_x = cx;
		}
	} else {
		pane_draw(proc_store(p), &v->view, &g,
		    ui->pattern[0] ? ui->pattern : NULL);
	}
	if (g.h >= 4 && ui_hint_wait(ui, p) == 0)
		ui_buffering_hint(&g);
	v->seen = store_total(proc_store(p));
}

static void
ui_draw_tiled(struct ui *ui, int h)
{
	int n = (int)ui_count(ui), i, y, x, th, tw;

	for (i = 0; i < n; i++) {
		struct proc *p = ui_program(ui, (size_t)i);

		ui_tile_box(i, n, h, &y, &x, &th, &tw);
		ui_draw_pane_box(ui, p, y, x, th, tw, p == ui->selected);
	}
}

static bool
ui_unseen(void *ctx, const struct proc *p)
{
	struct ui *ui = ctx;

	return store_total(proc_store_const(p)) > ui_prog(ui, p)->seen;
}

/* The bottom line: the line being typed, the quit's progress, a
 * message, or the keys. */
static void
ui_draw_bar(struct ui *ui)
{
	int y = LINES - 1;
	char text[160];

	move(y, 0);
	clrtoeol();
	if (ui->mode == UI_INPUT || ui->mode == UI_SEARCH) {
		/* The bar holds the line being typed: a message goes above. */
		if (ui_message_on(ui)) {
			attr_set(A_BOLD | A_REVERSE, 0, NULL);
			mvaddnstr(y - 1, 1, ui->message, COLS - 2);
			attr_set(A_NORMAL, 0, NULL);
		}
		snprintf(text, sizeof text, "%s> ", proc_name(ui->selected));
		inputline_draw(ui->mode == UI_INPUT ? &ui->input : &ui->search,
		    ui->mode == UI_INPUT ? text : "/", y, 0, COLS);
	} else if (ui->mode == UI_FOCUS) {
		bar_draw_message(y, COLS, ui_message_on(ui) ? ui->message :
		    "FOCUS \u2014 every key goes to the program; Ctrl-A leaves "
		    "(Ctrl-A Ctrl-A sends one Ctrl-A)");
	} else if (engine_quitting(ui->e)) {
		size_t alive = engine_alive(ui->e), n = ui_count(ui);

		snprintf(text, sizeof text, "quitting: %zu of %zu program%s "
		    "still running%s", alive, n, n == 1 ? "" : "s",
		    engine_killing(ui->e) ? ", killed" : "; q again kills them");
		bar_draw_message(y, COLS, text);
	} else if (ui_message_on(ui)) {
		bar_draw_message(y, COLS, ui->message);
	} else {
		bar_draw_keys(y, COLS);
	}
}

static void
ui_draw(struct ui *ui)
{
	int h = LINES - 1, lw;

	ui->cursor_y = ui->cursor_x = -1;
	erase();
	if (ui->tiled) {
		ui_draw_tiled(ui, h);
	} else {
		lw = list_width(ui->e, COLS);
		ui_draw_pane_box(ui, ui->selected, 0, lw, h, COLS - lw, true);
		list_draw(ui->e, ui->selected, h, lw, ui_unseen, ui);
	}
	if (ui->mode == UI_HELP)
		help_draw();
	curs_set(ui->mode == UI_INPUT || ui->mode == UI_SEARCH ||
	    ui->cursor_y >= 0);
	ui_draw_bar(ui);
	if (ui->cursor_y >= 0)
		move(ui->cursor_y, ui->cursor_x);
	tty_frame();
	ui->dirty = false;
}

/* --- commands ---------------------------------------------------------- */

/* A command of the table with an engine part, on the selected program. */
static void
ui_run(struct ui *ui, const struct cmd_entry *c)
{
	char why[512];

	if (c->run(ui->e, ui->selected, "", why, sizeof why) == -1) {
		ui_message(ui, "%s", why);
	} else if (c->id == CMD_PROBE) {
		const struct program_config *pc = proc_config(ui->selected);

		ui_message(ui, "probing %s...", pc->probe_url ? pc->probe_url :
		    pc->probe_command ? pc->probe_command : pc->probe_tcp);
		ui->message_proc = ui->selected;	/* until the result's note */
	}
}

static void
ui_select(struct ui *ui, int step)
{
	size_t i = ui_selected_index(ui);

	if (step < 0 && i > 0)
		ui->selected = ui_program(ui, i - 1);
	else if (step > 0 && i + 1 < ui_count(ui))
		ui->selected = ui_program(ui, i + 1);
}

static void
ui_search_next(struct ui *ui, bool backward)
{
	if (ui->pattern[0] == L'\0') {
		ui_message(ui, "no search yet: / starts one");
		return;
	}
	if (pane_search(proc_store(ui->selected),
	    &ui_prog(ui, ui->selected)->view, ui->pattern, backward) == -1)
		ui_message(ui, "%ls: no %s match", ui->pattern,
		    backward ? "older" : "newer");
}

static void
ui_mouse(struct store *st, struct pane_view *v, const struct pane_geom *g)
{
	MEVENT ev;

	if (getmouse(&ev) != OK)
		return;
	if (ev.bstate & BUTTON4_PRESSED)
		pane_scroll(st, v, g, -UI_WHEEL_ROWS);
	else if (ev.bstate & BUTTON5_PRESSED)
		pane_scroll(st, v, g, UI_WHEEL_ROWS);
}

/* i or Enter: the input line for a program on pipes; focus mode, where
 * every key goes to the program, for a pty program. */
static void
ui_enter_input(struct ui *ui)
{
	if (proc_vt(ui->selected) != NULL) {
		ui->mode = UI_FOCUS;
		pane_follow(&ui_prog(ui, ui->selected)->view);
		return;
	}
	inputline_clear(&ui->input);
	ui->mode = UI_INPUT;
}

/* The TUI's own commands: the view, not the programs. */
static void
ui_view_command(struct ui *ui, enum cmd_id id)
{
	struct pane_view *v = &ui_prog(ui, ui->selected)->view;
	struct store *st = proc_store(ui->selected);
	struct pane_geom g = ui_pane_geom(ui);

	switch (id) {
	case CMD_NEXT: ui_select(ui, 1); break;
	case CMD_PREV: ui_select(ui, -1); break;
	case CMD_PAGE_DOWN: pane_scroll(st, v, &g, g.h - 1); break;
	case CMD_PAGE_UP: pane_scroll(st, v, &g, -(g.h - 1)); break;
	case CMD_TOP: pane_scroll_top(st, v); break;
	case CMD_FOLLOW: pane_follow(v); break;
	case CMD_INPUT:
		ui_enter_input(ui);
		break;
	case CMD_TILE:
		ui->tiled = !ui->tiled;
		ui_layout(ui);
		break;
	case CMD_WRAP: ui->wrap = !ui->wrap; break;
	case CMD_SEARCH:
		inputline_clear(&ui->search);
		ui->mode = UI_SEARCH;
		break;
	case CMD_MATCH_OLDER: ui_search_next(ui, true); break;
	case CMD_MATCH_NEWER: ui_search_next(ui, false); break;
	case CMD_HELP: ui->mode = UI_HELP; break;
	case CMD_REDRAW: tty_redraw(); break;
	case CMD_SUSPEND: tty_suspend(); break;	/* programs go on */
	case CMD_QUIT: engine_quit(ui->e, NULL); break;
	default: break;
	}
}

static void
ui_key_normal(struct ui *ui, bool is_key, wint_t key)
{
	int id = keys_lookup(is_key, key, CMD_TUI);
	const struct cmd_entry *c;
	bool left = ui->left_focus;

	ui->left_focus = false;
	if (left && !is_key && key == UI_CTRL_A) {
		/* Ctrl-A Ctrl-A: one Ctrl-A for the program, still focused. */
		ui->mode = UI_FOCUS;
		engine_key(ui->e, ui->selected, VT_KEY_NONE, UI_CTRL_A, 0);
		return;
	}
	if (is_key && key == KEY_MOUSE) {
		struct pane_geom g = ui_pane_geom(ui);

		ui_mouse(proc_store(ui->selected),
		    &ui_prog(ui, ui->selected)->view, &g);
	} else if (!is_key && key == (L'c' & 0x1f)) {
		ui_message(ui, "q quits; Ctrl-C in the input line (i) "
		    "interrupts the program");
	} else if (id != -1 && (c = cmd_get((enum cmd_id)id))->run != NULL) {
		ui_run(ui, c);
	} else if (id != -1) {
		ui_view_command(ui, (enum cmd_id)id);
	}
}

static void
ui_send_line(struct ui *ui)
{
	struct proc *p = ui->selected;
	char line[INPUTLINE_MAX * 4 + 1], why[256];
	size_t n = inputline_utf8(&ui->input, line, sizeof line);

	if (engine_send_line(ui->e, p, line, n, why, sizeof why) == -1) {
		ui_message(ui, "%s", why);
		return;
	}
	inputline_remember(&ui->input);
	inputline_clear(&ui->input);
	pane_follow(&ui_prog(ui, p)->view);
}

static void
ui_key_input(struct ui *ui, bool is_key, wint_t key)
{
	struct proc *p = ui->selected;
	bool pty = proc_config(p)->pty;
	char why[256];

	switch (inputline_key(&ui->input, is_key, key)) {
	case INPUTLINE_SUBMIT:
		ui_send_line(ui);
		break;
	case INPUTLINE_CANCEL:
		ui->mode = UI_NORMAL;
		break;
	case INPUTLINE_EOF:
		if (engine_eof(ui->e, p, why, sizeof why) == -1)
			ui_message(ui, "%s", why);
		else
			ui_message(ui, "%s: %s", proc_name(p), pty ?
			    "sent Ctrl-D (EOF) through its terminal" :
			    "closing stdin (EOF)");
		ui->mode = UI_NORMAL;
		break;
	case INPUTLINE_INTERRUPT:
		if (engine_interrupt(ui->e, p, why, sizeof why) == -1)
			ui_message(ui, "%s", why);
		else
			ui_message(ui, "%s: %s", proc_name(p), pty ?
			    "sent Ctrl-C through its terminal" : "sent SIGINT");
		break;
	case INPUTLINE_EDITING:
		break;
	}
}

static void
ui_key_search(struct ui *ui, bool is_key, wint_t key)
{
	size_t i;

	switch (inputline_key(&ui->search, is_key, key)) {
	case INPUTLINE_SUBMIT:
		for (i = 0; i < ui->search.len && i + 1 < 256; i++)
			ui->pattern[i] = (wchar_t)towlower(
			    (wint_t)ui->search.buf[i]);
		ui->pattern[i] = L'\0';
		inputline_remember(&ui->search);
		ui->mode = UI_NORMAL;
		ui_prog(ui, ui->selected)->view.has_match = false;
		ui_search_next(ui, true);
		break;
	case INPUTLINE_CANCEL:
	case INPUTLINE_EOF:
	case INPUTLINE_INTERRUPT:
		ui->mode = UI_NORMAL;
		break;
	case INPUTLINE_EDITING:
		break;
	}
}

/* A curses key as the terminal key it was: KEY_UP is VT_KEY_UP, and
 * the modified ones ncurses names kUP5 (Ctrl-Up) and the like. */
static enum vt_key
ui_vt_key(wint_t key, int *mods)
{
	static const struct {
		const char *name;
		enum vt_key key;
	} named[] = {
		{ "kUP", VT_KEY_UP }, { "kDN", VT_KEY_DOWN },
		{ "kLFT", VT_KEY_LEFT }, { "kRIT", VT_KEY_RIGHT },
		{ "kHOM", VT_KEY_HOME }, { "kEND", VT_KEY_END },
		{ "kPRV", VT_KEY_PAGEUP }, { "kNXT", VT_KEY_PAGEDOWN },
		{ "kDC", VT_KEY_DEL }, { "kIC", VT_KEY_INS },
	};
	const char *name;
	size_t i, n;

	*mods = 0;
	switch (key) {
	case KEY_UP: return VT_KEY_UP;
	case KEY_DOWN: return VT_KEY_DOWN;
	case KEY_LEFT: return VT_KEY_LEFT;
	case KEY_RIGHT: return VT_KEY_RIGHT;
	case KEY_HOME: return VT_KEY_HOME;
	case KEY_END: return VT_KEY_END;
	case KEY_PPAGE: return VT_KEY_PAGEUP;
	case KEY_NPAGE: return VT_KEY_PAGEDOWN;
	case KEY_IC: return VT_KEY_INS;
	case KEY_DC: return VT_KEY_DEL;
	case KEY_BACKSPACE: return VT_KEY_BACKSPACE;
	case KEY_ENTER: return VT_KEY_ENTER;
	case KEY_BTAB:
		*mods = VT_MOD_SHIFT;
		return VT_KEY_TAB;
	}
	if (key >= (wint_t)KEY_F(1) && key <= (wint_t)KEY_F(12))
		return (enum vt_key)(VT_KEY_F1 + (int)(key - KEY_F(1)));
	if ((name = keyname((int)key)) == NULL)
		return VT_KEY_NONE;
	for (i = 0; i < sizeof named / sizeof named[0]; i++) {
		n = strlen(named[i].name);
		if (strncmp(name, named[i].name, n) == 0 && name[n] >= '2' &&
		    name[n] <= '8' && name[n + 1] == '\0') {
			/* xterm's modifier number less one: shift 1, alt 2,
			 * ctrl 4. */
			int m = name[n] - '1';

			*mods = ((m & 1) ? VT_MOD_SHIFT : 0) |
			    ((m & 2) ? VT_MOD_ALT : 0) | ((m & 4) ? VT_MOD_CTRL : 0);
			return named[i].key;
		}
	}
	return VT_KEY_NONE;
}

static void
ui_focus_mouse(struct ui *ui)
{
	struct pane_geom g = ui_pane_geom(ui);
	MEVENT ev;
	int button;

	if (getmouse(&ev) != OK)
		return;
	button = (ev.bstate & BUTTON4_PRESSED) ? 4 :
	    (ev.bstate & BUTTON5_PRESSED) ? 5 : 0;
	if (button == 0)
		return;
	/* A program that does not want the mouse: the wheel scrolls back. */
	if (engine_mouse(ui->e, ui->selected, ev.y - g.y, ev.x - g.x - 1,
	    button, true) == -1) {
		ui->mode = UI_NORMAL;
		pane_scroll(proc_store(ui->selected),
		    &ui_prog(ui, ui->selected)->view, &g,
		    button == 4 ? -UI_WHEEL_ROWS : UI_WHEEL_ROWS);
	}
}

/* Focus mode: every key to the program, as its terminal would send it;
 * Ctrl-A leaves. */
static void
ui_key_focus(struct ui *ui, bool is_key, wint_t key)
{
	enum vt_key vk = VT_KEY_NONE;
	int mods = 0;

	if (!is_key && key == UI_CTRL_A) {
		ui->mode = UI_NORMAL;
		ui->left_focus = true;
		return;
	}
	if (is_key && key == KEY_MOUSE) {
		ui_focus_mouse(ui);
		return;
	}
	if (is_key && (key == TTY_KEY_PASTE_START || key == TTY_KEY_PASTE_END)) {
		engine_paste(ui->e, ui->selected, key == TTY_KEY_PASTE_START);
		return;
	}
	if (is_key)
		vk = ui_vt_key(key, &mods);
	else if (key == L'\r')
		vk = VT_KEY_ENTER;
	else if (key == L'\t')
		vk = VT_KEY_TAB;
	else if (key == 0x7f)
		vk = VT_KEY_BACKSPACE;
	else if (key == 27)
		vk = VT_KEY_ESCAPE;
	if (is_key && vk == VT_KEY_NONE)
		return;		/* a key no terminal would send */
	if (engine_key(ui->e, ui->selected, vk, (uint32_t)key, mods) == -1) {
		ui->mode = UI_NORMAL;
		ui_message(ui, "%s is not running: focus mode left",
		    proc_name(ui->selected));
	}
}

static void
ui_key(struct ui *ui, bool is_key, wint_t key)
{
	if (is_key && key == KEY_RESIZE)
		return;		/* tty.c has handled SIGWINCH */
	if (is_key && ui->mode != UI_FOCUS &&
	    (key == TTY_KEY_PASTE_START || key == TTY_KEY_PASTE_END))
		return;		/* a paste outside focus mode is just keys */
	switch (ui->mode) {
	case UI_FOCUS: ui_key_focus(ui, is_key, key); break;
	case UI_NORMAL: ui_key_normal(ui, is_key, key); break;
	case UI_INPUT: ui_key_input(ui, is_key, key); break;
	case UI_SEARCH: ui_key_search(ui, is_key, key); break;
	case UI_HELP: ui->mode = UI_NORMAL; break;
	}
}

/* --- frames ----------------------------------------------------------- */

static void
ui_frame_fired(struct loop *loop, void *data)
{
	struct ui *ui = data;

	(void)loop;
	ui->frame_timer = 0;	/* the next flush draws */
}

static void
ui_tick_fired(struct loop *loop, void *data)
{
	struct ui *ui = data;

	(void)loop;
	ui->tick_timer = 0;
	ui->dirty = true;
}

static int64_t
ui_min_wait(int64_t a, int64_t b)
{
	return a == -1 || (b != -1 && b < a) ? b : a;
}

/* Milliseconds until the screen changes with time alone (a backoff
 * countdown, a buffering hint coming due, a message expiring), or -1:
 * then no timer is set and an idle tend does not wake up at all. */
static int64_t
ui_next_change(struct ui *ui)
{
	int64_t now = loop_now(ui->loop), wait = -1;
	size_t i;

	for (i = 0; i < ui_count(ui); i++) {
		struct proc *p = ui_program(ui, i);
		int64_t hint = ui->tiled || p == ui->selected ?
		    ui_hint_wait(ui, p) : -1;

		if (proc_status(p)->state == PROC_BACKOFF)
			wait = ui_min_wait(wait, 1000);
		if (hint > 0)
			wait = ui_min_wait(wait, hint);
	}
	if (ui->message_until > now && ui->message_until != INT64_MAX)
		wait = ui_min_wait(wait, ui->message_until - now);
	return wait;
}

/* One timer for the nearest change; moved when a nearer one comes up. */
static void
ui_schedule_tick(struct ui *ui)
{
	int64_t wait = ui_next_change(ui), now = loop_now(ui->loop);

	if (wait == -1 || (ui->tick_timer != 0 && ui->tick_at <= now + wait))
		return;
	loop_del_timer(ui->loop, ui->tick_timer);
	ui->tick_at = now + wait;
	ui->tick_timer = loop_add_timer(ui->loop, wait, ui_tick_fired, ui);
}

/* Once per loop turn: a frame when something changed, at most one per
 * UI_FRAME_MS (keys draw at once), and none while the terminal has not
 * taken the last one. */
static void
ui_flush(void *ctx)
{
	struct ui *ui = ctx;
	int64_t now = loop_now(ui->loop), wait;

	if (!ui->dirty || !tty_can_draw())
		return;
	wait = ui->key_pressed ? 0 : ui->last_frame_ms + UI_FRAME_MS - now;
	if (wait > 0) {
		if (ui->frame_timer == 0)
			ui->frame_timer = loop_add_timer(ui->loop, wait,
			    ui_frame_fired, ui);
		return;
	}
	ui_draw(ui);
	ui->last_frame_ms = now;
	ui->key_pressed = false;
	ui_schedule_tick(ui);
}

/* --- events from the engine and the terminal ---------------------------- */

/* A line changes the screen when its program is on it, or when it lights
 * the program's unseen-output mark in the list; a hundred programs
 * chattering off screen cost no frames. */
static void
ui_line(void *ctx, struct proc *p, const struct store_line *line)
{
	struct ui *ui = ctx;

	if ((line->flags & STORE_NOTE) && ui->message_proc == p) {
		ui->message_until = 0;
		ui->message_proc = NULL;
		ui->dirty = true;
	}
	if (ui->tiled || p == ui->selected || ui_prog(ui, p)->seen >= line->seq)
		ui->dirty = true;
}

/* A prompt is not a line: it shows when the program is on screen.
 * Output of the selected program just after a key is its answer (an
 * echo, a redraw in focus mode): it is drawn at once, as a key is. */
static void
ui_output(void *ctx, struct proc *p)
{
	struct ui *ui = ctx;

	if (ui->tiled || p == ui->selected)
		ui->dirty = true;
	if (p == ui->selected && loop_now(ui->loop) - ui->key_ms < UI_ECHO_MS)
		ui->key_pressed = true;
}

static void
ui_changed(void *ctx, struct proc *p)
{
	struct ui *ui = ctx;

	if (ui->mode == UI_FOCUS && p == ui->selected &&
	    proc_status(p)->pid == 0) {
		ui->mode = UI_NORMAL;
		ui_message(ui, "%s: ended: focus mode left", proc_name(p));
	}
	ui->dirty = true;
}

static void
ui_note(void *ctx, const char *msg)
{
	ui_message(ctx, "%s", msg);
}

static void
ui_tty_input(void *ctx)
{
	struct ui *ui = ctx;
	wint_t key;
	int r, n = 0;

	while (n++ < UI_KEYS_PER_TURN && (r = get_wch(&key)) != ERR)
		ui_key(ui, r == KEY_CODE_YES, key);
	ui->dirty = true;
	ui->key_pressed = true;
	ui->key_ms = loop_now(ui->loop);
}

static void
ui_tty_resized(void *ctx)
{
	struct ui *ui = ctx;

	ui_layout(ui);
	ui->dirty = true;
}

/* The terminal hung up: nobody is left to watch the programs. */
static void
ui_tty_gone(void *ctx)
{
	struct ui *ui = ctx;

	engine_quit(ui->e, "the terminal hung up");
}

/* --- life --------------------------------------------------------------- */

struct ui *
ui_new(struct engine *e, char *err, size_t errsize)
{
	static const struct engine_events ev = {
		.line = ui_line,
		.output = ui_output,
		.changed = ui_changed,
		.note = ui_note,
		.flush = ui_flush,
	};
	static const struct tty_events tev = {
		.input = ui_tty_input,
		.resized = ui_tty_resized,
		.gone = ui_tty_gone,
	};
	const struct config *cfg = engine_config(e);
	struct ui *ui = calloc(1, sizeof *ui);

	snprintf(err, errsize, "out of memory");
	if (ui == NULL)
		return NULL;
	ui->e = e;
	ui->loop = engine_loop(e);
	ui->selected = engine_program(e, 0);
	ui->wrap = true;
	ui->dirty = true;
	pane_view_init(&ui->spare.view);
	inputline_init(&ui->input);
	inputline_init(&ui->search);
	if (tty_init(ui->loop, &tev, ui, err, errsize) == -1 ||
	    engine_subscribe(e, &ev, ui) == -1) {
		ui_free(ui);
		return NULL;
	}
	ui_layout(ui);
	if (cfg->nwarnings > 0) {
		/* Printed before the screen was taken, so hidden behind it. */
		ui_message(ui, "%zu config warning%s (tend --check lists "
		    "them): %s", cfg->nwarnings, cfg->nwarnings == 1 ? "" : "s",
		    cfg->warnings[0]);
		ui->message_until = loop_now(ui->loop) + UI_WARNINGS_MS;
	}
	return ui;
}

/* How each program ended, for the terminal tend leaves. */
static char *
ui_summary(struct ui *ui)
{
	char line[512], *text = NULL;
	size_t i, len = 0;

	for (i = 0; i < ui_count(ui); i++) {
		struct proc *p = ui_program(ui, i);
		size_t n;
		char *t;

		format_summary(proc_name(p), proc_status(p), line, sizeof line);
		n = strlen(line);
		if ((t = realloc(text, len + n + 2)) == NULL)
			break;
		text = t;
		memcpy(text + len, line, n);
		text[len + n] = '\n';
		len += n + 1;
		text[len] = '\0';
	}
	return text;
}

void
ui_free(struct ui *ui)
{
	char *summary;
	size_t i;

	if (ui == NULL)
		return;
	engine_unsubscribe(ui->e, ui);
	loop_del_timer(ui->loop, ui->frame_timer);
	loop_del_timer(ui->loop, ui->tick_timer);
	summary = ui_summary(ui);
	tty_end(summary);
	free(summary);
	for (i = 0; i < ui_count(ui); i++)
		free(ptrmap_del(&ui->progs, ui_program(ui, i)));
	ptrmap_free(&ui->progs);
	inputline_free(&ui->input);
	inputline_free(&ui->search);
	free(ui);
}
