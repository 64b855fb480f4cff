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
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>

#include "ansi.h"
#include "bar.h"
#include "command.h"
#include "draw.h"
#include "filter.h"
#include "format.h"
#include "help.h"
#include "inputline.h"
#include "keys.h"
#include "linesrc.h"
#include "list.h"
#include "loop.h"
#include "match.h"
#include "pager.h"
#include "pane.h"
#include "ptrmap.h"
#include "scrollback.h"
#include "tiles.h"
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
#define UI_LABEL_MAX 16		/* names in the merged view */

/* UI_FOCUS: every key goes to a pty program, until Ctrl-A. */
enum ui_mode { UI_NORMAL, UI_INPUT, UI_SEARCH, UI_FILTER, UI_HELP, UI_FOCUS };

#define UI_CTRL_A 0x01

/* What the TUI keeps per program. */
struct ui_prog {
	struct pane_view view;
	uint64_t seen;		/* store_total() when last on screen */
	struct filter filter;	/* its pane's */
	struct filter_index index;	/* the lines the filter keeps */
	struct filter_index merged_index;	/* those the merged view's keeps */
	bool left_out;		/* of the merged view */
};

struct ui {
	struct engine *e;
	struct loop *loop;
	struct ptrmap progs;	/* proc -> ui_prog */
	struct ui_prog spare;	/* when memory for one is short */
	struct proc *selected;
	bool tiled;
	bool merged;		/* every program's lines in one pane */
	struct pane_view merged_view;
	struct filter merged_filter;
	struct linesrc src;	/* what the pane being drawn shows */
	struct tiles_box *boxes;	/* tiled: per program */
	size_t nboxes;
	bool wrap;
	bool times;		/* T: each line's arrival time at its left */
	enum ui_mode mode;
	int help_top, help_last;	/* the help's scroll */
	bool left_focus;	/* the last key left focus mode */
	int cursor_y, cursor_x;	/* the focused program's cursor, or -1 */
	struct inputline input, search, filter;
	int conn;		/* the input line sends to this connection of
				   the selected program (c); 0: its stdin */
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
	bool stats_wanted;	/* the list shows the stats: engine samples */
	bool away;		/* the terminal is another's (suspended) */
	pid_t pager;		/* the pager that has the terminal, or 0 */
	char pager_file[PATH_MAX];	/* what it shows; unlinked after */
};

#define CONN_UI_MAX 64		/* connections Tab goes through */

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

/* --- what a pane shows -------------------------------------------------- */

static void
ui_prog_free(struct ui_prog *v)
{
	filter_index_free(&v->index);
	filter_index_free(&v->merged_index);
	free(v);
}

/* The colour of a program's name in the merged view, by its place. */
static int
ui_label_colour(size_t i)
{
	static const int colours[] = { 6, 3, 2, 5, 4, 14, 11, 10, 13, 12 };

	return colours[i % (sizeof colours / sizeof colours[0])];
}

/* The lines of P's pane (NULL: the merged view's), filters brought up
 * to date: the UI's own index, not the engine's state. */
static struct linesrc *
ui_source(struct ui *ui, struct proc *p)
{
	size_t i;

	linesrc_reset(&ui->src);
	if (p != NULL) {
		struct ui_prog *v = ui_prog(ui, p);

		if (v->filter.on)
			filter_index_update(&v->index, &v->filter,
			    proc_store(p));
		linesrc_add(&ui->src, proc_store(p), &v->filter, &v->index,
		    NULL, 0);
		return &ui->src;
	}
	for (i = 0; i < ui_count(ui); i++) {
		struct proc *q = ui_program(ui, i);
		struct ui_prog *v = ui_prog(ui, q);

		if (v->left_out)
			continue;
		if (ui->merged_filter.on)
			filter_index_update(&v->merged_index,
			    &ui->merged_filter, proc_store(q));
		linesrc_add(&ui->src, proc_store(q), &ui->merged_filter,
		    &v->merged_index, proc_name(q), ui_label_colour(i));
	}
	return &ui->src;
}

/* The view the keys move: the merged one, or the selected program's. */
static struct pane_view *
ui_view(struct ui *ui)
{
	return ui->merged ? &ui->merged_view : &ui_prog(ui, ui->selected)->view;
}

static struct filter *
ui_filter(struct ui *ui)
{
	return ui->merged ? &ui->merged_filter :
	    &ui_prog(ui, ui->selected)->filter;
}

static const char *ui_filter_text(struct ui *ui, struct proc *p, char *buf,
    size_t size);

/* What the title says besides the program's own parts: where the input
 * line sends ("→ conn 2"), the connections open, the filter; NULL for
 * none. */
static const char *
ui_title_extra(struct ui *ui, struct proc *p, char *buf, size_t size)
{
	char ftext[FILTER_MAX * 4 + 64];
	const char *f = ui_filter_text(ui, p, ftext, sizeof ftext);
	size_t n = engine_conns(ui->e, p, NULL, 0);
	int len = 0;

	if (n == 0 && f == NULL)
		return NULL;
	buf[0] = '\0';
	if (n == 0) {
		snprintf(buf, size, "%s", f);	/* ftext ends with this call */
		return buf;
	}
	if (ui->mode == UI_INPUT && p == ui->selected && ui->conn != 0)
		len = snprintf(buf, size, "\u2192 conn %d \u00b7 ", ui->conn);
	snprintf(buf + len, size - (size_t)len, "%zu conn%s open%s%s", n,
	    n == 1 ? "" : "s", f != NULL ? " \u00b7 " : "", f != NULL ? f : "");
	return buf;
}

/* "filter “error”: 12 of 3400 lines", for a title; NULL when off. */
static const char *
ui_filter_text(struct ui *ui, struct proc *p, char *buf, size_t size)
{
	const struct filter *f = p != NULL ? &ui_prog(ui, p)->filter :
	    &ui->merged_filter;
	size_t kept = 0, all = 0, i;

	if (!f->on)
		return NULL;
	for (i = 0; i < ui->src.nparts; i++) {
		kept += ui->src.parts[i].nring;
		all += store_count(ui->src.parts[i].st);
	}
	if (f->pattern[0] == L'\0')
		snprintf(buf, size, "FILTER stderr only: %zu of %zu lines "
		    "(f: all)", kept, all);
	else
		snprintf(buf, size, "FILTER %s\u201c%.*ls\u201d: %zu of %zu "
		    "lines (f: all)", f->err_only ? "stderr " : "", 64,
		    f->typed + wcsspn(f->typed, L"! "), kept, all);
	return buf;
}

/* --- layout ------------------------------------------------------------ */

/* The inside of a pane drawn in the box at Y, X of H x W. */
static struct pane_geom
ui_box_inside(const struct ui *ui, int y, int x, int h, int w)
{
	struct pane_geom g = { y + 1, x + 1, h - 2, w - 2, ui->wrap, 0, 0 };

	/* The time column only where it leaves the text most of the room. */
	if (ui->times && PANE_TIME_W * 3 <= g.w)
		g.time_w = PANE_TIME_W;
	return g;
}

/* The pane right of the list. */
static struct pane_geom
ui_pane_geom(struct ui *ui)
{
	int lw = list_width(ui->e, COLS);
	struct pane_geom g = ui_box_inside(ui, 0, lw, LINES - 1, COLS - lw);
	size_t i, longest = 0;

	if (!ui->merged)
		return g;
	for (i = 0; i < ui_count(ui); i++) {
		size_t n = strlen(proc_name(ui_program(ui, i)));

		if (n > longest)
			longest = n;
	}
	g.label_w = (int)(longest < UI_LABEL_MAX ? longest : UI_LABEL_MAX) + 3;
	if (g.label_w + g.time_w > g.w / 2 || g.label_w > g.w / 3)
		g.label_w = 0;	/* no room: the colours of the gutter only */
	return g;
}

/* Where every program goes in the tiled view, into ui->boxes. */
static void
ui_tiles(struct ui *ui)
{
	size_t n = ui_count(ui);

	if (n > ui->nboxes) {
		struct tiles_box *b = realloc(ui->boxes, n * sizeof *b);

		if (b == NULL)
			return;
		ui->boxes = b;
		ui->nboxes = n;
	}
	if (n > 0)
		tiles_layout((int)n, (int)ui_selected_index(ui), LINES - 1, COLS,
		    ui->boxes);
}

/* Program I's tile, or false when it has none (a row, or none at all). */
static bool
ui_tile_of(struct ui *ui, size_t i, struct tiles_box *out)
{
	if (!ui->tiled || i >= ui->nboxes || ui_count(ui) > ui->nboxes)
		return false;
	*out = ui->boxes[i];
	return out->h > 0 && !out->row;
}

/* The engine samples the stats only while the list shows them: on a
 * wide screen, not tiled, with the terminal tend's. */
static void
ui_want_stats(struct ui *ui)
{
	bool want = !ui->tiled && !ui->away && list_shows_stats(ui->e, COLS);

	if (want != ui->stats_wanted) {
		ui->stats_wanted = want;
		engine_stats_want(ui->e, want);
	}
}

/* Every pty program gets the size of the pane it shows in: its tile, or
 * the main pane (where it shows when selected).  Run when the layout
 * changes, never while drawing. */
static void
ui_layout(struct ui *ui)
{
	struct pane_geom main = ui_pane_geom(ui), g;
	struct tiles_box b;
	size_t i;

	ui_want_stats(ui);
	if (ui->tiled)
		ui_tiles(ui);
	for (i = 0; i < ui_count(ui); i++) {
		struct proc *p = ui_program(ui, i);

		if (!proc_config(p)->pty)
			continue;
		g = ui_tile_of(ui, i, &b) ? ui_box_inside(ui, b.y, b.x, b.h,
		    b.w) : main;
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
 * block-buffering its output: say so, and how to fix it, on the rows
 * its notes leave free (it has printed nothing else). */
static void
ui_buffering_hint(const struct pane_geom *g, const struct store *st)
{
	static const char *const hint[] = {
		"No output for 5 s. If it buffers its output when it is not",
		"on a terminal, set  pty = true  in its section, or make it",
		"unbuffered: python3 -u / PYTHONUNBUFFERED=1, stdbuf -oL CMD,",
		"perl -e '$| = 1', node and ruby: flush / $stdout.sync = true.",
	};
	int n = (int)(sizeof hint / sizeof hint[0]), used = (int)store_count(st);
	int i, y;

	if (g->h - used < n + 1)
		return;		/* it would cover lines */
	/* A followed pane's lines sit at the bottom: the hint goes above. */
	y = g->y + (g->h - used - n) / 2;
	attr_set(A_DIM, 0, NULL);
	for (i = 0; i < n; i++)
		mvaddnstr(y + i, g->x + 1, hint[i], g->w - 2);
	attr_set(A_NORMAL, 0, NULL);
}

static void
ui_draw_pane_box(struct ui *ui, struct proc *p, int y, int x, int h, int w,
    bool strong)
{
	struct pane_geom g = ui_box_inside(ui, y, x, h, w);
	struct ui_prog *v = ui_prog(ui, p);
	struct linesrc *src = ui_source(ui, p);
	bool focus = ui->mode == UI_FOCUS && p == ui->selected;
	char ftext[FILTER_MAX * 4 + 64];
	int cy, cx;

	if (h < 3 || w < 4) {
		/* No room for a box: the name, as much as fits. */
		if (h >= 1 && w >= 1) {
			attr_set(strong ? A_BOLD | A_REVERSE : A_BOLD, 0, NULL);
			mvaddnstr(y, x, proc_name(p), w);
			attr_set(A_NORMAL, 0, NULL);
		}
		return;
	}
	draw_box(y, x, h, w, strong);
	title_draw(ui->e, p, !v->view.follow, focus,
	    ui_title_extra(ui, p, ftext, sizeof ftext), y, x, w,
	    strong && ui->tiled);
	/* A terminal shows its screen; scrolled back or filtered, its
	 * history. */
	if (proc_vt(p) != NULL && v->view.follow && !v->filter.on) {
		vtpane_draw(proc_vt(p), &g, focus, &cy, &cx);
		if (focus) {
			ui->cursor_y = cy;
			ui->cursor_x = cx;
		}
	} else {
		pane_draw(src, &v->view, &g,
		    ui->pattern[0] ? ui->pattern : NULL);
	}
	if (ui_hint_wait(ui, p) == 0 && !v->filter.on)
		ui_buffering_hint(&g, proc_store(p));
	v->seen = store_total(proc_store(p));
}

static void
ui_draw_merged(struct ui *ui, int y, int x, int h, int w)
{
	struct pane_geom g = ui_pane_geom(ui);
	struct linesrc *src = ui_source(ui, NULL);
	char ftext[FILTER_MAX * 4 + 64];
	size_t i;

	if (h < 3 || w < 4)
		return;
	draw_box(y, x, h, w, true);
	title_draw_merged((int)src->nparts, (int)ui_count(ui),
	    ui_filter_text(ui, NULL, ftext, sizeof ftext),
	    !ui->merged_view.follow, y, x, w);
	pane_draw(src, &ui->merged_view, &g,
	    ui->pattern[0] ? ui->pattern : NULL);
	for (i = 0; i < ui_count(ui); i++) {
		struct proc *p = ui_program(ui, i);

		if (!ui_prog(ui, p)->left_out)
			ui_prog(ui, p)->seen = store_total(proc_store(p));
	}
}

/* P's newest line as plain text, for its one-line row. */
static void
ui_latest(struct ui *ui, struct proc *p, char *buf, size_t size)
{
	struct linesrc *src = ui_source(ui, p);
	struct linesrc_line l;

	buf[0] = '\0';
	linesrc_walk_back(src, LINESRC_LAST);
	if (linesrc_step(src, &l))
		ansi_plain(l.text, l.len, buf, size);
}

static void
ui_draw_tiled(struct ui *ui)
{
	size_t i;
	char latest[512];

	ui_tiles(ui);
	for (i = 0; i < ui_count(ui) && i < ui->nboxes; i++) {
		struct proc *p = ui_program(ui, i);
		const struct tiles_box *b = &ui->boxes[i];

		if (b->h == 0)
			continue;
		if (b->row) {
			ui_latest(ui, p, latest, sizeof latest);
			tiles_draw_row(ui->e, p, b, p == ui->selected, latest);
			ui_prog(ui, p)->seen = store_total(proc_store(p));
		} else {
			ui_draw_pane_box(ui, p, b->y, b->x, b->h, b->w,
			    p == ui->selected);
		}
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
	if (ui->mode == UI_INPUT || ui->mode == UI_SEARCH ||
	    ui->mode == UI_FILTER) {
		int cy, cx, room;

		if (ui->mode == UI_INPUT && ui->conn != 0) {
			snprintf(text, sizeof text, "%s \u2192 conn %d> ",
			    proc_name(ui->selected), ui->conn);
			inputline_draw(&ui->input, text, y, 0, COLS);
		} else if (ui->mode == UI_INPUT) {
			snprintf(text, sizeof text, "%s> ",
			    proc_name(ui->selected));
			inputline_draw(&ui->input, text, y, 0, COLS);
		} else if (ui->mode == UI_SEARCH) {
			inputline_draw(&ui->search, "/", y, 0, COLS);
		} else {
			inputline_draw(&ui->filter, "filter (! first: stderr "
			    "only): ", y, 0, COLS);
		}
		/* The bar holds the line being typed: a message goes at its
		 * right end, where the typing is not. */
		getyx(stdscr, cy, cx);
		room = COLS - cx - 3;
		if (ui_message_on(ui)) {
			int n = draw_columns(ui->message);
			struct pane_geom g = ui_pane_geom(ui);

			attr_set(A_BOLD | A_REVERSE, 0, NULL);
			if (room >= 20) {
				move(y, n < room ? COLS - 1 - n : cx + 2);
				draw_cut(ui->message, COLS);
			} else if (g.h >= 2) {
				/* No room by the typing: the pane's last row,
				 * inside its borders. */
				mvhline(g.y + g.h - 1, g.x, ' ', g.w);
				move(g.y + g.h - 1, g.x);
				draw_cut(ui->message, g.x + g.w);
			}
			attr_set(A_NORMAL, 0, NULL);
			move(cy, cx);
		}
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
		ui_draw_tiled(ui);
	} else {
		lw = list_width(ui->e, COLS);
		if (ui->merged)
			ui_draw_merged(ui, 0, lw, h, COLS - lw);
		else
			ui_draw_pane_box(ui, ui->selected, 0, lw, h, COLS - lw,
			    true);
		list_draw(ui->e, ui->selected, h, lw, ui_unseen, ui);
	}
	if (ui->mode == UI_HELP)
		ui->help_last = help_draw(ui->help_top);
	curs_set(ui->mode == UI_INPUT || ui->mode == UI_SEARCH ||
	    ui->mode == UI_FILTER || ui->cursor_y >= 0);
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
	if (ui->tiled)
		ui_layout(ui);	/* the selected one may get the tile */
}

/* The view the keys move, and what it shows. */
static struct linesrc *
ui_keys_source(struct ui *ui)
{
	return ui_source(ui, ui->merged ? NULL : ui->selected);
}

static void
ui_search_next(struct ui *ui, bool backward)
{
	struct pane_geom g = ui_pane_geom(ui);

	if (ui->pattern[0] == L'\0') {
		ui_message(ui, "no search yet: / starts one");
		return;
	}
	if (pane_search(ui_keys_source(ui), ui_view(ui), &g, ui->pattern,
	    backward) == -1)
		ui_message(ui, "%ls: no %s match", ui->pattern,
		    backward ? "older" : "newer");
}

/* A click selects the program under it, in the list or among the
 * tiles; the wheel scrolls. */
static void
ui_mouse(struct ui *ui)
{
	struct pane_geom g = ui_pane_geom(ui);
	MEVENT ev;
	int i = -1;

	if (getmouse(&ev) != OK)
		return;
	if (ev.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED)) {
		pane_scroll(ui_keys_source(ui), ui_view(ui), &g,
		    (ev.bstate & BUTTON4_PRESSED) ? -UI_WHEEL_ROWS :
		    UI_WHEEL_ROWS);
		return;
	}
	if (!(ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED |
	    BUTTON1_RELEASED)))
		return;
	if (ui->tiled)
		i = ui->nboxes >= ui_count(ui) ? tiles_hit(ui->boxes,
		    (int)ui_count(ui), ev.y, ev.x) : -1;
	else if (ev.x < list_width(ui->e, COLS))
		i = list_hit(ui->e, ui->selected, LINES - 1, ev.y);
	if (i >= 0) {
		ui->selected = ui_program(ui, (size_t)i);
		if (ui->tiled)
			ui_layout(ui);
	}
}

/* i or Enter: the input line for a program on pipes; focus mode, where
 * every key goes to the program, for a pty program.  A program that is
 * not running takes no input: say so now, not after the typing. */
static void
ui_enter_input(struct ui *ui)
{
	const struct proc_status *st = proc_status(ui->selected);

	if (st->pid == 0) {
		ui_message(ui, "%s is not running: s starts it",
		    proc_name(ui->selected));
		return;
	}
	if (!st->stdin_open) {
		ui_message(ui, "%s: its stdin is closed (EOF was sent): r "
		    "restarts it", proc_name(ui->selected));
		return;
	}
	if (proc_vt(ui->selected) != NULL) {
		ui->mode = UI_FOCUS;
		pane_follow(&ui_prog(ui, ui->selected)->view);
		return;
	}
	inputline_clear(&ui->input);
	ui->conn = 0;
	ui->mode = UI_INPUT;
}

/* c: a new connection to the selected program's socket, and the input
 * line bound to it (it may still be connecting: what is typed waits). */
static void
ui_connect(struct ui *ui)
{
	char why[512];
	int id = engine_conn_open(ui->e, ui->selected, why, sizeof why);

	if (id == -1) {
		ui_message(ui, "%s", why);
		return;
	}
	ui->conn = id;
	if (ui->mode != UI_INPUT)
		inputline_clear(&ui->input);
	ui->mode = UI_INPUT;
	pane_follow(&ui_prog(ui, ui->selected)->view);
	ui_message(ui, "conn %d: connecting to %s...", id,
	    proc_config(ui->selected)->socket);
}

/* Can the input line send to the selected program's stdin? */
static bool
ui_stdin_usable(const struct ui *ui)
{
	const struct proc_status *st = proc_status(ui->selected);

	return st->pid != 0 && st->stdin_open && proc_vt(ui->selected) == NULL;
}

/* Tab: the next open connection after the current one, then stdin (if
 * it takes a line), round again.  TO_CLOSE is about to go: skip it, and
 * leave the line when no other connection is open (the line was opened
 * for a connection, not for stdin). */
static void
ui_switch_conn(struct ui *ui, int to_close, bool quiet)
{
	int ids[CONN_UI_MAX], cycle[CONN_UI_MAX + 1];
	size_t n = engine_conns(ui->e, ui->selected, ids, CONN_UI_MAX), i, k = 0;
	size_t at = 0;

	if (n > CONN_UI_MAX)
		n = CONN_UI_MAX;
	for (i = 0; i < n; i++) {
		if (ids[i] != to_close)
			cycle[k++] = ids[i];
	}
	if (ui_stdin_usable(ui) && (to_close == -1 || k > 0))
		cycle[k++] = 0;
	if (k == 0) {
		ui->conn = 0;
		ui->mode = UI_NORMAL;
		return;
	}
	for (i = 0; i < k; i++) {
		if (cycle[i] == ui->conn)
			at = i + 1;
	}
	ui->conn = cycle[at % k];
	if (!quiet && ui->conn != 0)
		ui_message(ui, "the line sends to conn %d (Tab: the next)",
		    ui->conn);
	else if (!quiet)
		ui_message(ui, "the line sends to %s's stdin (Tab: the next)",
		    proc_name(ui->selected));
}

static void
ui_toggle_merged(struct ui *ui)
{
	ui->merged = !ui->merged;
	if (ui->merged)
		ui->tiled = false;
	ui_layout(ui);
}

/* Space in the merged view: the selected program in or out of it. */
static void
ui_include(struct ui *ui)
{
	struct ui_prog *v = ui_prog(ui, ui->selected);

	if (!ui->merged) {
		ui_message(ui, "Space: in the merged view (m), takes a "
		    "program in or out of it");
		return;
	}
	v->left_out = !v->left_out;
	ui_message(ui, "%s: %s the merged view", proc_name(ui->selected),
	    v->left_out ? "left out of" : "back in");
}

/* f: a filter for the pane, or, with one on, all lines again. */
static void
ui_filter_key(struct ui *ui)
{
	struct filter *f = ui_filter(ui);

	if (f->on) {
		filter_clear(f);
		pane_follow(ui_view(ui));
		ui_message(ui, "filter off: every line");
		return;
	}
	inputline_clear(&ui->filter);
	ui->mode = UI_FILTER;
}

/* The name of what the keys' pane shows, for a file name. */
static const char *
ui_pane_name(const struct ui *ui)
{
	return ui->merged ? "merged" : proc_name(ui->selected);
}

/* The pager ended (or stopped: a Ctrl-Z in it has no shell to resume
 * it, so it is continued): the terminal comes back to tend. */
static void
ui_pager_status(void *ctx, pid_t pid, int status)
{
	struct ui *ui = ctx;

	if (WIFSTOPPED(status)) {
		kill(-pid, SIGCONT);
		return;
	}
	if (WIFCONTINUED(status))
		return;
	unlink(ui->pager_file);
	ui->pager = 0;
	tty_take_back();
	ui->away = false;
	ui_want_stats(ui);
	ui->dirty = true;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		ui_message(ui, "the pager did not start (PAGER=%s)",
		    getenv("PAGER") ? getenv("PAGER") : PAGER_DEFAULT);
	else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		ui_message(ui, "the pager ended: %s", WIFEXITED(status) ?
		    "exit status not 0" : "killed by a signal");
}

/* e: the scrollback, with its colours, to a private file and the pager
 * on it; the loop goes on (programs' output keeps arriving) while tend
 * neither draws nor reads keys. */
static void
ui_pager_open(struct ui *ui)
{
	char err[PATH_MAX + 128];
	pid_t pid;
	int fd;

	if ((fd = pager_temp(ui->pager_file, sizeof ui->pager_file, err,
	    sizeof err)) == -1) {
		ui_message(ui, "pager: %s", err);
		return;
	}
	if (scrollback_write(ui_keys_source(ui), fd, true) == -1) {
		ui_message(ui, "pager: cannot write %s: %s", ui->pager_file,
		    strerror(errno));
		close(fd);
		unlink(ui->pager_file);
		return;
	}
	close(fd);
	ui->away = true;
	ui_want_stats(ui);
	tty_hand_over();
	pid = pager_spawn(ui->pager_file, err, sizeof err);
	if (pid == -1 || engine_watch_pid(ui->e, pid, ui_pager_status,
	    ui) == -1) {
		if (pid > 0)
			kill(-pid, SIGKILL);	/* reaped as any child */
		unlink(ui->pager_file);
		tty_take_back();
		ui->away = false;
		ui_want_stats(ui);
		ui_message(ui, "%s", pid == -1 ? err : "out of memory");
		return;
	}
	ui->pager = pid;
	tty_lend_to(ui->pager);
}

/* S: the scrollback as plain text (no escapes) to a new file in the
 * current folder, never over one that is there. */
static void
ui_save(struct ui *ui)
{
	char path[PATH_MAX], stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	long n;
	int fd;

	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	snprintf(path, sizeof path, "tend-%s-%s.log", ui_pane_name(ui), stamp);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0644);
	if (fd == -1) {
		ui_message(ui, "cannot save to %s: %s", path, strerror(errno));
		return;
	}
	n = scrollback_write(ui_keys_source(ui), fd, false);
	if (close(fd) == -1 && n >= 0)
		n = -1;
	if (n == -1)
		ui_message(ui, "cannot write %s: %s", path, strerror(errno));
	else
		ui_message(ui, "saved %ld line%s to ./%s", n, n == 1 ? "" : "s",
		    path);
}

/* The TUI's own commands: the view, not the programs. */
static void
ui_view_command(struct ui *ui, enum cmd_id id)
{
	struct pane_view *v = ui_view(ui);
	struct pane_geom g = ui_pane_geom(ui);
	struct linesrc *src = ui_keys_source(ui);

	switch (id) {
	case CMD_NEXT: ui_select(ui, 1); break;
	case CMD_PREV: ui_select(ui, -1); break;
	case CMD_PAGE_DOWN: pane_page(src, v, &g, true); break;
	case CMD_PAGE_UP: pane_page(src, v, &g, false); break;
	case CMD_TOP: pane_scroll_top(src, v); break;
	case CMD_FOLLOW: pane_follow(v); break;
	case CMD_INPUT:
		ui_enter_input(ui);
		break;
	case CMD_CONNECT: ui_connect(ui); break;
	case CMD_TILE:
		ui->tiled = !ui->tiled;
		if (ui->tiled)
			ui->merged = false;
		ui_layout(ui);
		break;
	case CMD_MERGED: ui_toggle_merged(ui); break;
	case CMD_INCLUDE: ui_include(ui); break;
	case CMD_FILTER: ui_filter_key(ui); break;
	case CMD_WRAP: ui->wrap = !ui->wrap; break;
	case CMD_TIMES: ui->times = !ui->times; break;
	case CMD_LEFT:
	case CMD_RIGHT:
		if (ui->wrap)
			ui_message(ui, "lines wrap: w cuts them, then "
			    "\u2190/\u2192 scroll sideways");
		else
			pane_scroll_side(v, &g, (id == CMD_LEFT ? -1 : 1) *
			    (g.w / 4 > 8 ? g.w / 4 : 8));
		break;
	case CMD_SEARCH:
		inputline_clear(&ui->search);
		ui->mode = UI_SEARCH;
		break;
	case CMD_MATCH_OLDER: ui_search_next(ui, true); break;
	case CMD_MATCH_NEWER: ui_search_next(ui, false); break;
	case CMD_PAGER: ui_pager_open(ui); break;
	case CMD_SAVE: ui_save(ui); break;
	case CMD_HELP:
		ui->mode = UI_HELP;
		ui->help_top = 0;
		break;
	case CMD_REDRAW: tty_redraw(); break;
	case CMD_SUSPEND:
		ui->away = true;
		ui_want_stats(ui);
		tty_suspend();	/* programs go on */
		ui->away = false;
		ui_want_stats(ui);
		break;
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
		ui_mouse(ui);
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
	int rc = ui->conn != 0 ?
	    engine_conn_send(ui->e, p, ui->conn, line, n, why, sizeof why) :
	    engine_send_line(ui->e, p, line, n, why, sizeof why);

	if (rc == -1) {
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

	if (keys_lookup(is_key, key, CMD_LINE) == CMD_LINE_SWITCH) {
		ui_switch_conn(ui, -1, false);
		return;
	}
	if (ui->conn != 0 && !is_key && key == 4 && ui->input.len == 0) {
		/* Ctrl-D on an empty line: this connection ends. */
		int id = ui->conn;

		ui_switch_conn(ui, id, true);
		if (engine_conn_close(ui->e, p, id, why, sizeof why) == -1)
			ui_message(ui, "%s", why);
		return;
	}
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
	switch (inputline_key(&ui->search, is_key, key)) {
	case INPUTLINE_SUBMIT:
		match_lower(ui->search.buf, ui->search.len, ui->pattern,
		    sizeof ui->pattern / sizeof ui->pattern[0]);
		inputline_remember(&ui->search);
		ui->mode = UI_NORMAL;
		ui_view(ui)->has_match = false;
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

static void
ui_key_filter(struct ui *ui, bool is_key, wint_t key)
{
	struct filter *f = ui_filter(ui);

	switch (inputline_key(&ui->filter, is_key, key)) {
	case INPUTLINE_SUBMIT:
		filter_set(f, ui->filter.buf, ui->filter.len);
		inputline_remember(&ui->filter);
		ui->mode = UI_NORMAL;
		pane_follow(ui_view(ui));
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
		pane_scroll(ui_source(ui, ui->selected),
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

/* In the help: j/k and the pages scroll it, any other key closes it. */
static void
ui_key_help(struct ui *ui, bool is_key, wint_t key)
{
	int id = keys_lookup(is_key, key, CMD_TUI), page = LINES - 4;

	if (id == CMD_NEXT || id == CMD_PAGE_DOWN)
		ui->help_top += id == CMD_NEXT ? 1 : page;
	else if (id == CMD_PREV || id == CMD_PAGE_UP)
		ui->help_top -= id == CMD_PREV ? 1 : page;
	else
		ui->mode = UI_NORMAL;
	if (ui->help_top > ui->help_last)
		ui->help_top = ui->help_last;
	if (ui->help_top < 0)
		ui->help_top = 0;
	if (ui->help_last == 0 && ui->mode == UI_HELP && id != -1)
		ui->mode = UI_NORMAL;	/* nothing to scroll: it closes */
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
	case UI_FILTER: ui_key_filter(ui, is_key, key); break;
	case UI_HELP: ui_key_help(ui, is_key, key); break;
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

/* Whether P's output shows: its pane, its tile, or the merged view. */
static bool
ui_on_screen(struct ui *ui, struct proc *p)
{
	if (ui->merged)
		return !ui_prog(ui, p)->left_out;
	return ui->tiled || p == ui->selected;
}

/* A line changes the screen when its program is on it, or when it lights
 * the program's unseen-output mark in the list; a hundred programs
 * chattering off screen cost no frames. */
static void
ui_lines(void *ctx, struct proc *p, const struct engine_lines *l)
{
	struct ui *ui = ctx;

	if (l->note && ui->message_proc == p) {
		ui->message_until = 0;
		ui->message_proc = NULL;
		ui->dirty = true;
	}
	if (ui_on_screen(ui, p) || ui_prog(ui, p)->seen >= l->first_seq)
		ui->dirty = true;
}

/* A prompt is not a line: it shows when the program is on screen.
 * Output of the selected program just after a key is its answer (an
 * echo, a redraw in focus mode): it is drawn at once, as a key is. */
static void
ui_output(void *ctx, struct proc *p)
{
	struct ui *ui = ctx;

	if (ui_on_screen(ui, p))
		ui->dirty = true;
	if (p == ui->selected && loop_now(ui->loop) - ui->key_ms < UI_ECHO_MS)
		ui->key_pressed = true;
}

/* A connection of the selected program that the line sends to has
 * ended: the line goes to another one, or closes; an error (refused,
 * timed out) is the message. */
static void
ui_conn(void *ctx, struct proc *p, const struct engine_conn_event *ev)
{
	struct ui *ui = ctx;

	ui->dirty = true;
	if (ev->what == ENGINE_CONN_LINE || p != ui->selected)
		return;
	if (ev->what == ENGINE_CONN_OPENED) {
		if (ui->mode == UI_INPUT && ui->conn == ev->id)
			ui_message(ui, "%s: conn %d connected: type a line, "
			    "Enter sends it", proc_name(p), ev->id);
		return;
	}
	/* The end of a connection the line sends to, or of one that never
	 * came up; the others' (tend ctl's) are notes in the pane only. */
	if ((ui->mode == UI_INPUT && ui->conn == ev->id) || !ev->connected)
		ui_message(ui, "%s: %.*s", proc_name(p), (int)ev->len, ev->text);
	if (ui->mode == UI_INPUT && ui->conn == ev->id)
		ui_switch_conn(ui, ev->id, true);
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

/* A reload took P away: forget it; the selection moves on. */
static void
ui_removed(void *ctx, struct proc *p)
{
	struct ui *ui = ctx;

	struct ui_prog *v = ptrmap_del(&ui->progs, p);

	if (v != NULL)
		ui_prog_free(v);
	if (ui->message_proc == p)
		ui->message_proc = NULL;
	if (ui->selected == p) {
		ui->selected = engine_program(ui->e, 0);
		if (ui->mode != UI_HELP)
			ui->mode = UI_NORMAL;
	}
	ui_layout(ui);
	ui->dirty = true;
}

static void
ui_added(void *ctx, struct proc *p)
{
	struct ui *ui = ctx;

	(void)p;
	ui_layout(ui);
	ui->dirty = true;
}

static void
ui_stats(void *ctx)
{
	struct ui *ui = ctx;

	if (ui->stats_wanted)
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
		.lines = ui_lines,
		.output = ui_output,
		.changed = ui_changed,
		.note = ui_note,
		.flush = ui_flush,
		.added = ui_added,
		.removed = ui_removed,
		.conn = ui_conn,
		.stats = ui_stats,
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
	pane_view_init(&ui->merged_view);
	linesrc_init(&ui->src);
	inputline_init(&ui->input);
	inputline_init(&ui->search);
	inputline_init(&ui->filter);
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
	if (ui->stats_wanted)
		engine_stats_want(ui->e, false);
	if (ui->pager > 0) {
		/* tend is ending under it: the pager goes, the terminal comes
		 * back for the summary. */
		engine_unwatch_pid(ui->e, ui->pager);
		kill(-ui->pager, SIGTERM);
		kill(-ui->pager, SIGCONT);
		unlink(ui->pager_file);
		ui->pager = 0;
	}
	loop_del_timer(ui->loop, ui->frame_timer);
	loop_del_timer(ui->loop, ui->tick_timer);
	summary = ui_summary(ui);
	tty_end(summary);
	free(summary);
	for (i = 0; i < ui_count(ui); i++) {
		struct ui_prog *v = ptrmap_del(&ui->progs, ui_program(ui, i));

		if (v != NULL)
			ui_prog_free(v);
	}
	ptrmap_free(&ui->progs);
	filter_index_free(&ui->spare.index);
	filter_index_free(&ui->spare.merged_index);
	linesrc_free(&ui->src);
	free(ui->boxes);
	inputline_free(&ui->input);
	inputline_free(&ui->search);
	inputline_free(&ui->filter);
	free(ui);
}
