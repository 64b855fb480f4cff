/*
 * ui: the screen, the keys and the quit sequence of the TUI.
 *
 * Owns the layout (program list + pane, or tiled panes), the per-program
 * views (scroll position, what was seen), the modes (normal, input line,
 * search prompt, help) and frame pacing: events set `dirty`, and the
 * before-sleep hook draws at most one frame per UI_FRAME_MS.
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

#include "ansi.h"
#include "health.h"
#include "inputline.h"
#include "loop.h"
#include "pane.h"
#include "proc.h"
#include "tty.h"

#define UI_FRAME_MS 16		/* about 60 frames a second at most */
#define UI_HINT_MS 5000		/* silence before the buffering hint */
#define UI_MESSAGE_MS 4000
#define UI_WARNINGS_MS 15000	/* config warnings at start */
#define UI_CTRL(c) ((c) & 0x1f)

enum ui_mode { UI_NORMAL, UI_INPUT, UI_SEARCH, UI_HELP };

struct ui {
	struct loop *loop;
	struct proc_set *set;
	struct health *health;
	const struct config *cfg;
	size_t nprocs;
	size_t selected;
	struct pane_view *views;
	uint64_t *seen;		/* store_total() when last on screen */
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
	bool quitting;
	bool killing;
};

/* --- small helpers ---------------------------------------------------- */

static struct proc *
ui_current(struct ui *ui)
{
	return proc_set_get(ui->set, ui->selected);
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
	ui->message_until = loop_now_ms() + UI_MESSAGE_MS;
	ui->message_proc = NULL;
	ui->dirty = true;
}

/* Colour of a state in the list and the titles. */
static int
ui_state_colour(const struct proc *p)
{
	const struct proc_status *st = proc_status(p);

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
	case PROC_STOPPED:
		break;
	}
	return ANSI_DEFAULT;
}

/* "killed:TERM" rather than the long form, for the narrow list. */
static void
ui_short_state(const struct ui *ui, const struct proc *p, char *buf,
    size_t size)
{
	const struct proc_status *st = proc_status(p);
	enum health_state hs = health_status(ui->health, p)->state;

	if (st->state == PROC_RUNNING && hs == HEALTH_READY)
		snprintf(buf, size, "ready");
	else if (st->state == PROC_RUNNING && hs == HEALTH_UNHEALTHY)
		snprintf(buf, size, "unhealthy");
	else if (st->state == PROC_EXITED && st->ended &&
	    WIFSIGNALED(st->wait_status))
		snprintf(buf, size, "killed:%s",
		    config_signal_name(WTERMSIG(st->wait_status)));
	else
		proc_format_state(p, buf, size);
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
ui_format_since(int64_t started_ms, char *buf, size_t size)
{
	time_t now = time(NULL);
	time_t then = now - (time_t)((loop_now_ms() - started_ms) / 1000);
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
	const struct pane_view *v = &ui->views[proc_index(p)];
	struct ui_title_part parts[8];
	char state[96], buf[160], info[1024];
	int n = 0, i, drop, room, len;

	if (st->pid != 0) {
		ui_title_add(parts, &n, 3, "pid %d", (int)st->pid);
		ui_format_since(st->started_ms, buf, sizeof buf);
		ui_title_add(parts, &n, 1, "since %s", buf);
		if (st->ended) {
			proc_format_exit(st->wait_status, buf, sizeof buf);
			ui_title_add(parts, &n, 4, "last %s", buf);
		}
	}
	if (proc_config(p)->pty)
		ui_title_add(parts, &n, 2, "pty: stdout+stderr");
	if (st->stdin_queued > 0)
		ui_title_add(parts, &n, 0, "stdin %zu bytes queued",
		    st->stdin_queued);
	health_describe(ui->health, p, buf, sizeof buf);
	if (buf[0] != '\0')
		ui_title_add(parts, &n, 0, "%s", buf);
	if (!v->follow)
		ui_title_add(parts, &n, 0, "SCROLLED (End follows)");

	proc_format_state(p, state, sizeof state);
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
ui_hint_wait(struct proc *p)
{
	const struct proc_status *st = proc_status(p);
	int64_t wait;

	if (proc_config(p)->pty || st->pid == 0 || st->bytes_read > 0)
		return -1;
	wait = st->started_ms + UI_HINT_MS - loop_now_ms();
	return wait > 0 ? wait : 0;
}

/* A program on pipes that has printed nothing for a while may only be
 * block-buffering its output: say so, and how to fix it. */
static void
ui_buffering_hint(struct proc *p, const struct pane_geom *g)
{
	static const char *const hint[] = {
		"No output for 5 s. If it buffers its output when it is not",
		"on a terminal, set  pty = true  in its section, or make it",
		"unbuffered: python3 -u / PYTHONUNBUFFERED=1, stdbuf -oL CMD,",
		"perl -e '$| = 1', node and ruby: flush / $stdout.sync = true.",
	};
	size_t i;

	if (ui_hint_wait(p) != 0)
		return;
	attr_set(A_DIM, 0, NULL);
	for (i = 0; i < sizeof hint / sizeof hint[0] && (int)i < g->h; i++)
		mvaddnstr(g->y + g->h - 4 + (int)i, g->x + 1, hint[i], g->w - 2);
	attr_set(A_NORMAL, 0, NULL);
}

static void
ui_draw_pane_box(struct ui *ui, struct proc *p, int y, int x, int h, int w,
    bool strong)
{
	struct pane_geom g = { y + 1, x + 1, h - 2, w - 2, ui->wrap };
	size_t i = proc_index(p);

	if (h < 3 || w < 4)
		return;
	proc_resize(p, (unsigned short)g.h, (unsigned short)(g.w - 1));
	ui_box(y, x, h, w, strong);
	ui_title(ui, p, y, x, w, strong && ui->tiled);
	pane_draw(proc_store(p), &ui->views[i], &g,
	    ui->pattern[0] ? ui->pattern : NULL);
	if (g.h >= 4)
		ui_buffering_hint(p, &g);
	ui->seen[i] = store_total(proc_store(p));
}

#define UI_STATE_W 12	/* "killed:TERM", "backoff 30s", "exited 127" */

/* Width of the longest name, within reason. */
static int
ui_name_width(struct ui *ui)
{
	size_t i, longest = 6;

	for (i = 0; i < ui->nprocs; i++) {
		size_t n = strlen(proc_name(proc_set_get(ui->set, i)));

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

static void
ui_draw_list(struct ui *ui, int h, int w)
{
	int row, first = 0, rows = h - 2, nw = ui_name_width(ui);

	if (nw > w - UI_STATE_W - 7)
		nw = w - UI_STATE_W - 7 > 4 ? w - UI_STATE_W - 7 : 4;
	ui_box(0, 0, h, w, false);
	mvaddstr(0, 2, " programs ");
	if ((int)ui->selected >= rows)
		first = (int)ui->selected - rows + 1;
	for (row = 0; row < rows && (size_t)(first + row) < ui->nprocs; row++) {
		struct proc *p = proc_set_get(ui->set, (size_t)(first + row));
		bool sel = (size_t)(first + row) == ui->selected;
		bool unseen = store_total(proc_store(p)) > ui->seen[first + row];
		attr_t base = sel ? A_REVERSE : A_NORMAL;
		char state[64];

		ui_short_state(ui, p, state, sizeof state);
		attr_set(base, 0, NULL);
		mvhline(row + 1, 1, ' ', w - 2);
		mvprintw(row + 1, 1, "%c %-*.*s ", sel ? '>' : ' ', nw, nw,
		    proc_name(p));
		ui_set_colour(base, ui_state_colour(p), ANSI_DEFAULT);
		addnstr(state, w - 3 - getcurx(stdscr));
		if (unseen) {
			attr_set(base | A_BOLD, 0, NULL);
			mvaddwstr(row + 1, w - 2, L"\u2022");
		}
		attr_set(A_NORMAL, 0, NULL);
	}
}

static void
ui_draw_tiled(struct ui *ui, int h)
{
	int n = (int)ui->nprocs, cols = n > 3 && COLS >= 100 ? 2 : 1;
	int rows = (n + cols - 1) / cols, i;

	for (i = 0; i < n; i++) {
		int r = i / cols, c = i % cols;
		int y = r * h / rows, y2 = (r + 1) * h / rows;
		int x = c * COLS / cols, x2 = (c + 1) * COLS / cols;

		ui_draw_pane_box(ui, proc_set_get(ui->set, (size_t)i), y, x,
		    y2 - y, x2 - x, (size_t)i == ui->selected);
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
	    loop_now_ms() < ui->message_until) {
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
	if (ui->quitting) {
		size_t alive = proc_set_alive(ui->set);

		snprintf(ui->message, sizeof ui->message, "quitting: %zu of %zu "
		    "program%s still running%s", alive, ui->nprocs,
		    ui->nprocs == 1 ? "" : "s", ui->killing ? ", killed" :
		    "; q again kills them");
		ui->message_until = INT64_MAX;
	}
	if (ui->message[0] != '\0' && loop_now_ms() < ui->message_until) {
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

/* The programs not on screen get the size of the main pane: the one
 * they show in when selected. */
static void
ui_size_ptys(struct ui *ui)
{
	struct pane_geom g = ui_pane_geom(ui);
	size_t i;

	for (i = 0; i < ui->nprocs; i++)
		proc_resize(proc_set_get(ui->set, i), (unsigned short)g.h,
		    (unsigned short)(g.w - 1));
}

static void
ui_draw(struct ui *ui)
{
	int h = LINES - 1, lw;

	erase();
	if (ui->tiled) {
		ui_draw_tiled(ui, h);
	} else {
		ui_size_ptys(ui);
		lw = ui_list_width(ui);
		ui_draw_pane_box(ui, ui_current(ui), 0, lw, h, COLS - lw, true);
		ui_draw_list(ui, h, lw);
	}
	if (ui->mode == UI_HELP)
		ui_draw_help();
	curs_set(ui->mode == UI_INPUT || ui->mode == UI_SEARCH);
	ui_draw_bar(ui);
	refresh();
	ui->dirty = false;
}

/* --- frames ----------------------------------------------------------- */

static void
ui_frame_fired(struct loop *loop, void *data)
{
	struct ui *ui = data;

	(void)loop;
	ui->frame_timer = 0;	/* the before-sleep hook draws */
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
	int64_t now = loop_now_ms(), wait = -1;
	size_t i;

	for (i = 0; i < ui->nprocs; i++) {
		struct proc *p = proc_set_get(ui->set, i);
		int64_t hint = ui->tiled || i == ui->selected ?
		    ui_hint_wait(p) : -1;

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
ui_schedule_tick(struct ui *ui, struct loop *loop)
{
	int64_t wait = ui_next_change(ui), now = loop_now_ms();

	if (wait == -1 || (ui->tick_timer != 0 && ui->tick_at <= now + wait))
		return;
	if (ui->tick_timer != 0)
		loop_del_timer(loop, ui->tick_timer);
	ui->tick_at = now + wait;
	ui->tick_timer = loop_add_timer(loop, wait, ui_tick_fired, ui);
}

static void
ui_before_sleep(struct loop *loop, void *data)
{
	struct ui *ui = data;
	int64_t now = loop_now_ms(), wait;

	proc_set_flush_logs(ui->set);
	if (ui->quitting && proc_set_alive(ui->set) == 0) {
		loop_stop(loop);
		return;
	}
	if (!ui->dirty)
		return;
	wait = ui->key_pressed ? 0 : ui->last_frame_ms + UI_FRAME_MS - now;
	if (wait > 0) {
		if (ui->frame_timer == 0)
			ui->frame_timer = loop_add_timer(loop, wait,
			    ui_frame_fired, ui);
		return;
	}
	ui_draw(ui);
	ui->last_frame_ms = now;
	ui->key_pressed = false;
	ui_schedule_tick(ui, loop);
}

/* --- actions ---------------------------------------------------------- */

/* The first q stops every program; the next kills what is left. */
static void
ui_quit(struct ui *ui)
{
	if (!ui->quitting) {
		ui->quitting = true;
		proc_set_stop(ui->set);
	} else {
		ui->killing = true;
		proc_set_kill(ui->set);
	}
	ui->dirty = true;
}

static void
ui_act(struct ui *ui, int key)
{
	struct proc *p = ui_current(ui);
	const char *name = proc_name(p);
	int rc = 0;

	switch (key) {
	case 't':
		rc = proc_stop(p);
		break;
	case 'K':
		rc = proc_kill(p);
		break;
	case 's':
		rc = proc_start(p);
		break;
	case 'r':
		rc = proc_restart(p);
		break;
	}
	if (rc == -1 && key == 's' && proc_status(p)->error[0] != '\0')
		ui_message(ui, "%s: %s", name, proc_status(p)->error);
	else if (rc == -1)
		ui_message(ui, "%s is %s", name, key == 's' ? "already running"
		    : "not running");
}

static void
ui_probe(struct ui *ui)
{
	struct proc *p = ui_current(ui);
	char why[256];

	if (health_probe(ui->health, p, why, sizeof why) == -1)
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
	if (step < 0 && ui->selected > 0)
		ui->selected--;
	else if (step > 0 && ui->selected + 1 < ui->nprocs)
		ui->selected++;
}

static void
ui_search_next(struct ui *ui, bool backward)
{
	struct proc *p = ui_current(ui);

	if (ui->pattern[0] == L'\0') {
		ui_message(ui, "no search yet: / starts one");
		return;
	}
	if (pane_search(proc_store(p), &ui->views[ui->selected], ui->pattern,
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
	struct pane_view *v = &ui->views[ui->selected];
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
	case 'z': ui->tiled = !ui->tiled; break;
	case 'w': ui->wrap = !ui->wrap; break;
	case '/':
		inputline_clear(&ui->search);
		ui->mode = UI_SEARCH;
		break;
	case 'n': ui_search_next(ui, true); break;
	case 'N': ui_search_next(ui, false); break;
	case '?': ui->mode = UI_HELP; break;
	case 'q': ui_quit(ui); break;
	case UI_CTRL('c'):
		ui_message(ui, "q quits; Ctrl-C in the input line (i) "
		    "interrupts the program");
		break;
	case UI_CTRL('z'):
		/* curses' SIGTSTP handler gives the terminal back, stops tend
		 * and redraws when it is continued; programs keep running. */
		raise(SIGTSTP);
		clearok(curscr, TRUE);
		break;
	}
}

static void
ui_send_line(struct ui *ui)
{
	struct proc *p = ui_current(ui);
	char line[INPUTLINE_MAX * 4 + 1];
	size_t n = inputline_utf8(&ui->input, line, sizeof line);

	if (proc_send_line(p, line, n) == -1) {
		ui_message(ui, "%s: %s", proc_name(p), errno == ENOBUFS ?
		    "stdin queue full (the program is not reading); not sent" :
		    "stdin is closed; not sent");
		return;
	}
	inputline_remember(&ui->input);
	inputline_clear(&ui->input);
	pane_follow(&ui->views[ui->selected]);
}

static void
ui_key_input(struct ui *ui, bool is_key, wint_t key)
{
	struct proc *p = ui_current(ui);

	switch (inputline_key(&ui->input, is_key, key)) {
	case INPUTLINE_SUBMIT:
		ui_send_line(ui);
		break;
	case INPUTLINE_CANCEL:
		ui->mode = UI_NORMAL;
		break;
	case INPUTLINE_EOF:
		if (proc_close_stdin(p) == -1)
			ui_message(ui, "%s: stdin is already closed",
			    proc_name(p));
		else
			ui_message(ui, "%s: %s", proc_name(p), proc_config(p)->pty ?
			    "sent Ctrl-D (EOF) through its terminal" :
			    "closing stdin (EOF)");
		ui->mode = UI_NORMAL;
		break;
	case INPUTLINE_INTERRUPT:
		if (proc_interrupt(p) == 0)
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
		ui->views[ui->selected].has_match = false;
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
	if (is_key && key == KEY_RESIZE) {
		clearok(curscr, TRUE);
		return;
	}
	switch (ui->mode) {
	case UI_NORMAL: ui_key_normal(ui, is_key, key); break;
	case UI_INPUT: ui_key_input(ui, is_key, key); break;
	case UI_SEARCH: ui_key_search(ui, is_key, key); break;
	case UI_HELP: ui->mode = UI_NORMAL; break;
	}
}

static void
ui_keys_readable(struct loop *loop, int fd, int events, void *data)
{
	struct ui *ui = data;
	wint_t key;
	int r, n = 0;

	/* Bounded, so a paste cannot hold the loop. */
	while (n++ < 4096 && (r = get_wch(&key)) != ERR)
		ui_key(ui, r == KEY_CODE_YES, key);
	ui->dirty = true;
	ui->key_pressed = true;
	if ((events & LOOP_ERROR) && n == 1) {
		/* The terminal is gone: stop watching it, and stop at once
		 * (nobody is left to watch the programs). */
		loop_del_fd(loop, fd);
		ui_quit(ui);
		proc_set_kill(ui->set);
	}
}

/* --- events from programs and signals ---------------------------------- */

/* A line changes the screen when its program is on it, or when it lights
 * the program's unseen-output mark in the list; a hundred programs
 * chattering off screen cost no frames. */
static bool
ui_line_shows(const struct ui *ui, const struct proc *p,
    const struct store_line *line)
{
	size_t i = proc_index(p);

	return ui->tiled || i == ui->selected || ui->seen[i] >= line->seq;
}

static void
ui_line(struct proc *p, const struct store_line *line, void *ctx)
{
	struct ui *ui = ctx;

	if (ui->health != NULL)
		health_line(ui->health, p, line);
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
ui_output(struct proc *p, void *ctx)
{
	struct ui *ui = ctx;

	if (ui->tiled || proc_index(p) == ui->selected)
		ui->dirty = true;
}

static void
ui_changed(struct proc *p, void *ctx)
{
	struct ui *ui = ctx;

	if (ui->health != NULL)
		health_changed(ui->health, p);
	ui->dirty = true;
}

static void
ui_signal(struct loop *loop, int signo, void *data)
{
	struct ui *ui = data;

	(void)loop;
	if (signo == SIGWINCH) {
		tty_resize();
		ui->dirty = true;
		return;
	}
	ui_quit(ui);
	if (signo == SIGHUP)
		proc_set_kill(ui->set);	/* no one is left to watch */
}

static void
ui_print_summary(struct ui *ui)
{
	char line[512];
	size_t i;

	for (i = 0; i < ui->nprocs; i++) {
		proc_format_summary(proc_set_get(ui->set, i), line, sizeof line);
		printf("%s\n", line);
	}
	fflush(stdout);
}

static int
ui_setup(struct ui *ui, const struct config *cfg, char *err, size_t errsize)
{
	struct proc_events ev = {
		.line = ui_line, .changed = ui_changed, .output = ui_output,
		.ctx = ui,
	};
	size_t i;

	ui->cfg = cfg;
	ui->nprocs = cfg->nprograms;
	ui->wrap = true;
	ui->dirty = true;
	inputline_init(&ui->input);
	inputline_init(&ui->search);
	ui->views = calloc(ui->nprocs, sizeof *ui->views);
	ui->seen = calloc(ui->nprocs, sizeof *ui->seen);
	ui->loop = loop_new();
	if (ui->views == NULL || ui->seen == NULL || ui->loop == NULL)
		return -1;
	for (i = 0; i < ui->nprocs; i++)
		pane_view_init(&ui->views[i]);
	ui->set = proc_set_new(ui->loop, cfg, &ev);
	if (ui->set == NULL)
		return -1;
	ui->health = health_new(ui->loop, ui->set, err, errsize);
	if (ui->health == NULL)
		return -1;
	loop_watch_signal(ui->loop, SIGINT, ui_signal, ui);
	loop_watch_signal(ui->loop, SIGTERM, ui_signal, ui);
	loop_watch_signal(ui->loop, SIGHUP, ui_signal, ui);
	loop_watch_signal(ui->loop, SIGWINCH, ui_signal, ui);
	loop_set_before_sleep(ui->loop, ui_before_sleep, ui);
	return loop_add_fd(ui->loop, STDIN_FILENO, LOOP_READ, ui_keys_readable,
	    ui);
}

static void
ui_teardown(struct ui *ui)
{
	health_free(ui->health);
	proc_set_free(ui->set);
	loop_free(ui->loop);
	inputline_free(&ui->input);
	inputline_free(&ui->search);
	free(ui->views);
	free(ui->seen);
}

int
ui_run(const struct config *cfg)
{
	struct ui ui;
	char err[256];
	int rc = 0;

	memset(&ui, 0, sizeof ui);
	if (tty_init(err, sizeof err) == -1) {
		fprintf(stderr, "tend: %s\n", err);
		return -1;
	}
	tty_on_crash(proc_set_emergency_stop);
	err[0] = '\0';
	if (ui_setup(&ui, cfg, err, sizeof err) == -1) {
		tty_end();
		fprintf(stderr, "tend: cannot start: %s\n", err[0] ? err :
		    strerror(errno));
		ui_teardown(&ui);
		return 2;
	}
	ui_size_ptys(&ui);
	if (cfg->nwarnings > 0) {
		/* Printed before the screen was taken, so hidden behind it. */
		ui_message(&ui, "%zu config warning%s (tend --check lists "
		    "them): %s", cfg->nwarnings, cfg->nwarnings == 1 ? "" : "s",
		    cfg->warnings[0]);
		ui.message_until = loop_now_ms() + UI_WARNINGS_MS;
	}
	proc_set_start(ui.set);
	if (loop_run(ui.loop) == -1) {
		rc = 1;
		proc_set_kill(ui.set);
	}
	proc_set_flush_logs(ui.set);
	tty_end();
	ui_print_summary(&ui);
	ui_teardown(&ui);
	return rc;
}
