/*
 * ui: the screen and the keys of the TUI, a client of the engine.
 *
 * Owns the layout (program list + pane, or tiled panes), the per-program
 * views (scroll position, what was seen), the modes (normal, input line,
 * search prompt, help) and frame pacing: events set `dirty`, and the
 * engine's flush, once per loop turn, draws at most one frame per
 * UI_FRAME_MS.  Keys become engine commands; drawing changes nothing but
 * the screen.
 */
#define _GNU_SOURCE
#include "ui.h"

#include <curses.h>
#include <errno.h>
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

#include "colour.h"
#include "engine.h"
#include "format.h"
#include "inputline.h"
#include "loop.h"
#include "pane.h"
#include "ptrmap.h"
#include "tty.h"

#define UI_FRAME_MS 16		/* about 60 frames a second at most */
#define UI_HINT_MS 5000		/* silence before the buffering hint */
#define UI_MESSAGE_MS 4000
#define UI_WARNINGS_MS 15000	/* config warnings at start */
#define UI_CTRL(c) ((c) & 0x1f)

enum ui_mode { UI_NORMAL, UI_INPUT, UI_SEARCH, UI_HELP };

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
	struct inputline input, search;
	wchar_t pattern[256];	/* the search, lower case */
	char message[256];
	int64_t message_until;
	const struct proc *message_proc;	/* its next note ends the message */

	bool dirty;
	bool key_pressed;	/* draw now: the frame limit is for output */
	int64_t last_frame_ms;
	uint64_t frame_timer;
	uint64_t tick_timer;
	int64_t tick_at;	/* when tick_timer fires */
};

/* --- small helpers ---------------------------------------------------- */

static struct proc *
ui_current(struct ui *ui)
{
	return ui->selected;
}

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

/* The selected program's place in the list. */
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

static void
ui_message(struct ui *ui, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
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

/* Colour of a state in the list and the titles. */
static int
ui_state_colour(const struct proc *p)
{
	const struct proc_status *st = proc_status(p);

	if (st->pid != 0 && st->stopped_by != 0)
		return 3;	/* yellow: it needs a SIGCONT */
	switch (st->state) {
	case PROC_RUNNING:
		return 2;	/* green */
	case PROC_STARTING:
	case PROC_STOPPING:
	case PROC_BACKOFF:
		return 3;	/* yellow */
	case PROC_FATAL:
		return 1;
	case PROC_EXITED:
		return st->failed ? 1 : ANSI_DEFAULT;
	case PROC_IDLE:
		break;
	}
	return ANSI_DEFAULT;
}

/* The state for the narrow list: health when it says more. */
static void
ui_short_state(const struct ui *ui, const struct proc *p, char *buf,
    size_t size)
{
	const struct proc_status *st = proc_status(p);
	enum health_state hs = engine_health(ui->e, p)->state;

	if (st->state == PROC_RUNNING && st->stopped_by == 0 &&
	    hs == HEALTH_READY)
		snprintf(buf, size, "ready");
	else if (st->state == PROC_RUNNING && st->stopped_by == 0 &&
	    hs == HEALTH_UNHEALTHY)
		snprintf(buf, size, "unhealthy");
	else
		format_state_short(st, loop_now(ui->loop), buf, size);
}

static void
ui_set_colour(attr_t a, int32_t fg, int32_t bg)
{
	int pair = tty_pair(fg, bg);

	attr_set(a, 0, &pair);
}

/* --- drawing ---------------------------------------------------------- */

static void
ui_box(int y, int x, int h, int w, bool strong)
{
	attr_set(strong ? A_BOLD : A_NORMAL, 0, NULL);
	mvhline(y, x + 1, ACS_HLINE, w - 2);
	mvhline(y + h - 1, x + 1, ACS_HLINE, w - 2);
	mvvline(y + 1, x, ACS_VLINE, h - 2);
	mvvline(y + 1, x + w - 1, ACS_VLINE, h - 2);
	mvaddch(y, x, ACS_ULCORNER);
	mvaddch(y, x + w - 1, ACS_URCORNER);
	mvaddch(y + h - 1, x, ACS_LLCORNER);
	mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
	attr_set(A_NORMAL, 0, NULL);
}

/* The wall-clock time of a start, not an uptime: an uptime would need a
 * wake-up every second to stay true, and an idle tend sleeps. */
static void
ui_format_since(const struct ui *ui, int64_t started_ms, char *buf,
    size_t size)
{
	time_t now = time(NULL);
	time_t then = now - (time_t)((loop_now(ui->loop) - started_ms) / 1000);
	struct tm tm_then, tm_now;

	localtime_r(&then, &tm_then);
	localtime_r(&now, &tm_now);
	strftime(buf, size, tm_then.tm_yday == tm_now.tm_yday &&
	    tm_then.tm_year == tm_now.tm_year ? "%H:%M:%S" : "%b %e %H:%M",
	    &tm_then);
}

/* Columns of UTF-8 text with no wide characters: its lead bytes. */
static int
ui_columns(const char *s)
{
	int n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* TEXT at the cursor, cut with an ellipsis before column END, then a
 * space to set it off from the border. */
static void
ui_title_text(const char *text, int end)
{
	wchar_t w[1024];
	int room = end - getcurx(stdscr) - 1;
	size_t n = mbstowcs(w, text, sizeof w / sizeof w[0] - 1);

	if (room <= 0 || n == (size_t)-1)
		return;
	if (n > (size_t)room) {
		n = (size_t)room;
		w[n - 1] = L'\u2026';
	}
	addnwstr(w, (int)n);
	if (getcurx(stdscr) < end)
		addch(' ');
}

/* One " · text" of a pane title; the title drops the lowest ranks first
 * when the pane is narrow (rank 0: never dropped). */
struct ui_title_part {
	char text[192];
	int rank;
};

static void
ui_title_add(struct ui_title_part *parts, int *n, int rank, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));

static void
ui_title_add(struct ui_title_part *parts, int *n, int rank, const char *fmt,
    ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(parts[*n].text, sizeof parts[*n].text, fmt, ap);
	va_end(ap);
	parts[(*n)++].rank = rank;
}

/* The pane title: name and state, then what needs the eye (input queued,
 * health, scrolled away), the pid and last exit, the pty, the start
 * time; a narrow pane drops them from the end of that list. */
static void
ui_title(struct ui *ui, struct proc *p, int y, int x, int w, bool marked)
{
	const struct proc_status *st = proc_status(p);
	const struct pane_view *v = &ui_prog(ui, p)->view;
	struct ui_title_part parts[8];
	char state[96], buf[160], info[1024];
	int n = 0, i, drop, room, len;

	if (st->pid != 0) {
		ui_title_add(parts, &n, 3, "pid %d", (int)st->pid);
		ui_format_since(ui, st->started_ms, buf, sizeof buf);
		ui_title_add(parts, &n, 1, "since %s", buf);
		if (st->ended) {
			format_exit(st->wait_status, buf, sizeof buf);
			ui_title_add(parts, &n, 4, "last %s", buf);
		}
	}
	if (proc_config(p)->pty)
		ui_title_add(parts, &n, 2, "pty: stdout+stderr");
	if (st->stdin_queued > 0)
		ui_title_add(parts, &n, 0, "stdin %zu bytes queued",
		    st->stdin_queued);
	engine_describe_health(ui->e, p, buf, sizeof buf);
	if (buf[0] != '\0')
		ui_title_add(parts, &n, 0, "%s", buf);
	if (!v->follow)
		ui_title_add(parts, &n, 0, "SCROLLED (End follows)");

	format_state(st, loop_now(ui->loop), state, sizeof state);
	room = w - 3 - ui_columns(proc_name(p)) - 2 - ui_columns(state) - 1;
	for (drop = 0; drop <= 4; drop++) {
		len = 0;
		for (i = 0; i < n; i++)
			if (parts[i].rank == 0 || parts[i].rank > drop)
				len += 3 + ui_columns(parts[i].text);
		if (len <= room)
			break;
	}
	info[0] = '\0';
	for (i = 0, len = 0; i < n; i++) {
		if (parts[i].rank != 0 && parts[i].rank <= drop)
			continue;
		len += snprintf(info + len, sizeof info - (size_t)len,
		    " \u00b7 %s", parts[i].text);
		if (len >= (int)sizeof info)
			break;
	}
	/* Among tiles, the selected one's name is reversed as well as its
	 * border bold: a bold line alone is easy to miss. */
	attr_set(marked ? A_BOLD | A_REVERSE : A_BOLD, 0, NULL);
	mvprintw(y, x + 2, " %s ", proc_name(p));
	ui_set_colour(A_BOLD, ui_state_colour(p), ANSI_DEFAULT);
	printw("%s", state);
	attr_set(A_NORMAL, 0, NULL);
	ui_title_text(info, x + w - 1);
}

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
ui_buffering_hint(const struct ui *ui, struct proc *p,
    const struct pane_geom *g)
{
	static const char *const hint[] = {
		"No output for 5 s. If it buffers its output when it is not",
		"on a terminal, set  pty = true  in its section, or make it",
		"unbuffered: python3 -u / PYTHONUNBUFFERED=1, stdbuf -oL CMD,",
		"perl -e '$| = 1', node and ruby: flush / $stdout.sync = true.",
	};
	size_t i;

	if (ui_hint_wait(ui, p) != 0)
		return;
	attr_set(A_DIM, 0, NULL);
	for (i = 0; i < sizeof hint / sizeof hint[0] && (int)i < g->h; i++)
		mvaddnstr(g->y + g->h - 4 + (int)i, g->x + 1, hint[i], g->w - 2);
	attr_set(A_NORMAL, 0, NULL);
}

/* The inside of a pane drawn in the box at Y, X of H x W. */
static struct pane_geom
ui_box_inside(const struct ui *ui, int y, int x, int h, int w)
{
	struct pane_geom g = { y + 1, x + 1, h - 2, w - 2, ui->wrap };

	return g;
}

static void
ui_draw_pane_box(struct ui *ui, struct proc *p, int y, int x, int h, int w,
    bool strong)
{
	struct pane_geom g = ui_box_inside(ui, y, x, h, w);
	struct ui_prog *v = ui_prog(ui, p);

	if (h < 3 || w < 4)
		return;
	ui_box(y, x, h, w, strong);
	ui_title(ui, p, y, x, w, strong && ui->tiled);
	pane_draw(proc_store(p), &v->view, &g,
	    ui->pattern[0] ? ui->pattern : NULL);
	if (g.h >= 4)
		ui_buffering_hint(ui, p, &g);
	v->seen = store_total(proc_store(p));
}

#define UI_STATE_W 14	/* "killed SIGTERM", "backoff 30s", "exited 127" */

/* Width of the longest name, within reason. */
static int
ui_name_width(struct ui *ui)
{
	size_t i, longest = 6;

	for (i = 0; i < ui_count(ui); i++) {
		size_t n = strlen(proc_name(ui_program(ui, i)));

		if (n > longest)
			longest = n;
	}
	return longest > 24 ? 24 : (int)longest;
}

/* Borders, "> ", the name, a space, the state, the unseen mark. */
static int
ui_list_width(struct ui *ui)
{
	int w = ui_name_width(ui) + UI_STATE_W + 7;

	return w > COLS / 2 ? COLS / 2 : w;
}

/* NAME in W columns (names are ASCII: see config.c): padded, or cut in
 * the middle with an ellipsis, since names that share a prefix
 * ("worker-eu-1", "worker-eu-2") differ at the end. */
static void
ui_fit_name(const char *name, int w)
{
	int n = (int)strlen(name), tail;

	if (n <= w) {
		printw("%-*s", w, name);
		return;
	}
	tail = (w - 1) / 2;
	printw("%.*s", w - 1 - tail, name);
	addwstr(L"\u2026");
	printw("%s", name + n - tail);
}

static void
ui_draw_list(struct ui *ui, int h, int w)
{
	int row, first = 0, rows = h - 2, nw = ui_name_width(ui);
	int selected = (int)ui_selected_index(ui);

	if (nw > w - UI_STATE_W - 7)
		nw = w - UI_STATE_W - 7 > 4 ? w - UI_STATE_W - 7 : 4;
	ui_box(0, 0, h, w, false);
	mvaddstr(0, 2, " programs ");
	if (selected >= rows)
		first = selected - rows + 1;
	for (row = 0; row < rows && (size_t)(first + row) < ui_count(ui); row++) {
		struct proc *p = ui_program(ui, (size_t)(first + row));
		bool sel = p == ui->selected;
		bool unseen = store_total(proc_store(p)) > ui_prog(ui, p)->seen;
		attr_t base = sel ? A_REVERSE : A_NORMAL;
		char state[64];

		ui_short_state(ui, p, state, sizeof state);
		attr_set(base, 0, NULL);
		mvhline(row + 1, 1, ' ', w - 2);
		mvprintw(row + 1, 1, "%c ", sel ? '>' : ' ');
		ui_fit_name(proc_name(p), nw);
		addch(' ');
		ui_set_colour(base, ui_state_colour(p), ANSI_DEFAULT);
		addnstr(state, w - 3 - getcurx(stdscr));
		if (unseen) {
			attr_set(base | A_BOLD, 0, NULL);
			mvaddwstr(row + 1, w - 2, L"\u2022");
		}
		attr_set(A_NORMAL, 0, NULL);
	}
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

static const char ui_keys_help[] =
    " j/k select  i input  p probe  t term  K kill  s start  r restart"
    "  z tile  / search  ? help  q quit";

static void
ui_draw_bar(struct ui *ui)
{
	int y = LINES - 1;
	char prompt[80];

	move(y, 0);
	clrtoeol();
	if (ui->mode != UI_NORMAL && ui->message[0] != '\0' &&
	    loop_now(ui->loop) < ui->message_until) {
		/* The bar holds the line being typed: the message goes above. */
		attr_set(A_BOLD | A_REVERSE, 0, NULL);
		mvaddnstr(y - 1, 1, ui->message, COLS - 2);
		attr_set(A_NORMAL, 0, NULL);
	}
	if (ui->mode == UI_INPUT) {
		snprintf(prompt, sizeof prompt, "%s> ",
		    proc_name(ui_current(ui)));
		inputline_draw(&ui->input, prompt, y, 0, COLS);
		return;
	}
	if (ui->mode == UI_SEARCH) {
		inputline_draw(&ui->search, "/", y, 0, COLS);
		return;
	}
	if (engine_quitting(ui->e)) {
		char quit[160];
		size_t alive = engine_alive(ui->e), n = ui_count(ui);

		snprintf(quit, sizeof quit, "quitting: %zu of %zu program%s "
		    "still running%s", alive, n, n == 1 ? "" : "s",
		    engine_killing(ui->e) ? ", killed" : "; q again kills them");
		attr_set(A_BOLD, 0, NULL);
		mvaddnstr(y, 1, quit, COLS - 2);
		attr_set(A_NORMAL, 0, NULL);
		return;
	}
	if (ui->message[0] != '\0' && loop_now(ui->loop) < ui->message_until) {
		attr_set(A_BOLD, 0, NULL);
		mvaddnstr(y, 1, ui->message, COLS - 2);
		attr_set(A_NORMAL, 0, NULL);
		return;
	}
	attr_set(A_REVERSE, 0, NULL);
	mvhline(y, 0, ' ', COLS);
	mvaddnstr(y, 0, ui_keys_help, COLS);
	attr_set(A_NORMAL, 0, NULL);
}

static const char *const ui_help_lines[] = {
	"j/k  Down/Up       select the next / previous program",
	"PgUp/PgDn          scroll the pane a page (or the mouse wheel)",
	"Home/End           oldest line / follow new output again",
	"i  Enter           input line: type into the program's stdin",
	"p                  probe the program's probe_url now",
	"t                  terminate: stop_input, stopsignal, then SIGKILL",
	"K                  kill now (SIGKILL to the process group)",
	"s                  start a program that is not running",
	"r                  restart (start it if it is not running)",
	"z                  all panes tiled / the selected pane",
	"w                  wrap long lines / cut them",
	"/  n  N            search the pane; next older / newer match",
	"?                  this help",
	"Ctrl-Z             suspend tend (the programs keep running)",
	"q                  quit: stop everything; q again kills",
	"In the input line:",
	"Enter  Esc         send the line + newline (stays open) / leave",
	"Up/Down            the lines sent before (history)",
	"Ctrl-U  Ctrl-W     clear the line / delete a word",
	"Ctrl-D  Ctrl-C     close stdin (EOF, empty line) / interrupt",
	"stderr lines have a red mark in the gutter. Any key closes this.",
};

static void
ui_draw_help(void)
{
	int n = (int)(sizeof ui_help_lines / sizeof ui_help_lines[0]);
	int w = 70 < COLS - 2 ? 70 : COLS - 2, h = n + 4 < LINES ? n + 4 : LINES;
	int y = (LINES - h) / 2, x = (COLS - w) / 2, i;

	for (i = 0; i < h; i++)
		mvhline(y + i, x, ' ', w);
	ui_box(y, x, h, w, true);
	attr_set(A_BOLD, 0, NULL);
	mvaddstr(y, x + 2, " tend keys ");
	attr_set(A_NORMAL, 0, NULL);
	for (i = 0; i < n && i + 2 < h - 1; i++)
		mvaddnstr(y + 2 + i, x + 2, ui_help_lines[i], w - 4);
}

static struct pane_geom ui_pane_geom(struct ui *ui);

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

static void
ui_draw(struct ui *ui)
{
	int h = LINES - 1, lw;

	erase();
	if (ui->tiled) {
		ui_draw_tiled(ui, h);
	} else {
		lw = ui_list_width(ui);
		ui_draw_pane_box(ui, ui_current(ui), 0, lw, h, COLS - lw, true);
		ui_draw_list(ui, h, lw);
	}
	if (ui->mode == UI_HELP)
		ui_draw_help();
	curs_set(ui->mode == UI_INPUT || ui->mode == UI_SEARCH);
	ui_draw_bar(ui);
	tty_frame();
	ui->dirty = false;
}

/* --- actions ---------------------------------------------------------- */

static void
ui_act(struct ui *ui, int key)
{
	struct proc *p = ui_current(ui);
	char why[512];
	int rc = 0;

	switch (key) {
	case 't':
		rc = engine_stop(ui->e, p, why, sizeof why);
		break;
	case 'K':
		rc = engine_kill(ui->e, p, why, sizeof why);
		break;
	case 's':
		rc = engine_start(ui->e, p, why, sizeof why);
		break;
	case 'r':
		rc = engine_restart(ui->e, p, why, sizeof why);
		break;
	}
	if (rc == -1)
		ui_message(ui, "%s", why);
}

static void
ui_probe(struct ui *ui)
{
	struct proc *p = ui_current(ui);
	char why[256];

	if (engine_probe(ui->e, p, why, sizeof why) == -1)
		ui_message(ui, "%s", why);
	else {
		ui_message(ui, "probing %s...", proc_config(p)->probe_url);
		ui->message_proc = p;	/* until the result's note */
	}
}

static struct pane_geom
ui_pane_geom(struct ui *ui)
{
	struct pane_geom g;
	int lw = ui_list_width(ui);

	g.y = 1;
	g.x = lw + 1;
	g.h = LINES - 3;
	g.w = COLS - lw - 2;
	g.wrap = ui->wrap;
	return g;
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
	struct proc *p = ui_current(ui);

	if (ui->pattern[0] == L'\0') {
		ui_message(ui, "no search yet: / starts one");
		return;
	}
	if (pane_search(proc_store(p), &ui_prog(ui, p)->view, ui->pattern,
	    backward) == -1)
		ui_message(ui, "%ls: no %s match", ui->pattern,
		    backward ? "older" : "newer");
}

#define UI_WHEEL_ROWS 3

static void
ui_mouse(struct ui *ui, struct store *st, struct pane_view *v,
    const struct pane_geom *g)
{
	MEVENT ev;

	(void)ui;
	if (getmouse(&ev) != OK)
		return;
	if (ev.bstate & BUTTON4_PRESSED)
		pane_scroll(st, v, g, -UI_WHEEL_ROWS);
	else if (ev.bstate & BUTTON5_PRESSED)
		pane_scroll(st, v, g, UI_WHEEL_ROWS);
}

static void
ui_key_normal(struct ui *ui, bool is_key, wint_t key)
{
	struct pane_view *v = &ui_prog(ui, ui->selected)->view;
	struct pane_geom g = ui_pane_geom(ui);
	struct store *st = proc_store(ui_current(ui));

	if (is_key) {
		switch (key) {
		case KEY_DOWN: ui_select(ui, 1); break;
		case KEY_UP: ui_select(ui, -1); break;
		case KEY_NPAGE: pane_scroll(st, v, &g, g.h - 1); break;
		case KEY_PPAGE: pane_scroll(st, v, &g, -(g.h - 1)); break;
		case KEY_HOME: pane_scroll_top(st, v); break;
		case KEY_END: pane_follow(v); break;
		case KEY_ENTER: ui->mode = UI_INPUT; break;
		case KEY_MOUSE: ui_mouse(ui, st, v, &g); break;
		}
		return;
	}
	switch (key) {
	case 'j': ui_select(ui, 1); break;
	case 'k': ui_select(ui, -1); break;
	case 'i': case '\r': case '\n':
		inputline_clear(&ui->input);
		ui->mode = UI_INPUT;
		break;
	case 't': case 'K': case 's': case 'r': ui_act(ui, (int)key); break;
	case 'p': ui_probe(ui); break;
	case 'z':
		ui->tiled = !ui->tiled;
		ui_layout(ui);
		break;
	case 'w': ui->wrap = !ui->wrap; break;
	case '/':
		inputline_clear(&ui->search);
		ui->mode = UI_SEARCH;
		break;
	case 'n': ui_search_next(ui, true); break;
	case 'N': ui_search_next(ui, false); break;
	case '?': ui->mode = UI_HELP; break;
	case 'q': engine_quit(ui->e, NULL); break;
	case UI_CTRL('c'):
		ui_message(ui, "q quits; Ctrl-C in the input line (i) "
		    "interrupts the program");
		break;
	case UI_CTRL('z'):
		/* The programs keep running meanwhile. */
		tty_suspend();
		break;
	case UI_CTRL('l'):
		tty_redraw();
		break;
	}
}

static void
ui_send_line(struct ui *ui)
{
	struct proc *p = ui_current(ui);
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
	struct proc *p = ui_current(ui);
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
			ui_message(ui, "%s: %s", proc_name(p), proc_config(p)->pty ?
			    "sent Ctrl-D (EOF) through its terminal" :
			    "closing stdin (EOF)");
		ui->mode = UI_NORMAL;
		break;
	case INPUTLINE_INTERRUPT:
		if (engine_interrupt(ui->e, p, why, sizeof why) == -1)
			ui_message(ui, "%s", why);
		else
			ui_message(ui, "%s: %s", proc_name(p), proc_config(p)->pty ?
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

static void
ui_key(struct ui *ui, bool is_key, wint_t key)
{
	if (is_key && key == KEY_RESIZE)
		return;		/* tty.c has handled SIGWINCH */
	switch (ui->mode) {
	case UI_NORMAL: ui_key_normal(ui, is_key, key); break;
	case UI_INPUT: ui_key_input(ui, is_key, key); break;
	case UI_SEARCH: ui_key_search(ui, is_key, key); break;
	case UI_HELP: ui->mode = UI_NORMAL; break;
	}
}

static void
ui_tty_input(void *ctx)
{
	struct ui *ui = ctx;
	wint_t key;
	int r, n = 0;

	/* Bounded, so a paste cannot hold the loop. */
	while (n++ < 4096 && (r = get_wch(&key)) != ERR)
		ui_key(ui, r == KEY_CODE_YES, key);
	ui->dirty = true;
	ui->key_pressed = true;
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
static bool
ui_line_shows(struct ui *ui, const struct proc *p,
    const struct store_line *line)
{
	return ui->tiled || p == ui->selected ||
	    ui_prog(ui, p)->seen >= line->seq;
}

static void
ui_line(void *ctx, struct proc *p, const struct store_line *line)
{
	struct ui *ui = ctx;

	if ((line->flags & STORE_NOTE) && ui->message_proc == p) {
		ui->message_until = 0;
		ui->message_proc = NULL;
		ui->dirty = true;
	}
	if (ui_line_shows(ui, p, line))
		ui->dirty = true;
}

/* A prompt is not a line: it shows when the program is on screen. */
static void
ui_output(void *ctx, struct proc *p)
{
	struct ui *ui = ctx;

	if (ui->tiled || p == ui->selected)
		ui->dirty = true;
}

static void
ui_changed(void *ctx, struct proc *p)
{
	struct ui *ui = ctx;

	(void)p;
	ui->dirty = true;
}

static void
ui_note(void *ctx, const char *msg)
{
	struct ui *ui = ctx;

	ui_message(ui, "%s", msg);
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
	if (tty_init(ui->loop, &tev, ui, err, errsize) == -1) {
		ui_free(ui);
		return NULL;
	}
	if (engine_subscribe(e, &ev, ui) == -1) {
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
