/*
 * list: the program list, drawn from the engine's programs in order;
 * it scrolls so the selected program is always on screen.
 */
#define _GNU_SOURCE
#include "list.h"

#include <stdio.h>
#include <string.h>

#include "ansi.h"
#include "draw.h"
#include "format.h"
#include "stats.h"

#define LIST_STATE_W 14		/* "killed SIGTERM", "backoff 30s" */
/* " cpu%  rss   rst up   ": 5 + 6 + 3 + 6 and a space before each */
#define LIST_STATS_W 24
#define LIST_STATS_COLS 160	/* the narrowest screen that gets them */
#define LIST_NAME_MIN 6
#define LIST_NAME_MAX 24

/* Width of the longest name, within reason. */
static int
list_name_width(const struct engine *e)
{
	size_t i, longest = LIST_NAME_MIN;

	for (i = 0; i < engine_count(e); i++) {
		size_t n = strlen(proc_name(engine_program(e, i)));

		if (n > longest)
			longest = n;
	}
	return longest > LIST_NAME_MAX ? LIST_NAME_MAX : (int)longest;
}

/* Borders, "> ", the name, a space, the state, the unseen mark. */
static int
list_plain_width(const struct engine *e)
{
	return list_name_width(e) + LIST_STATE_W + 7;
}

bool
list_shows_stats(const struct engine *e, int cols)
{
	return cols >= LIST_STATS_COLS &&
	    list_plain_width(e) + LIST_STATS_W <= cols / 2;
}

int
list_width(const struct engine *e, int cols)
{
	int w = list_plain_width(e);

	if (list_shows_stats(e, cols))
		return w + LIST_STATS_W;
	return w > cols / 2 ? cols / 2 : w;
}

/* The stats columns of P at column X: CPU %, RSS, restarts, uptime;
 * blank where nothing is known. */
static void
list_stats(struct engine *e, const struct proc *p, int y, int x)
{
	const struct engine_stats *s = engine_stats(e, p);
	const struct proc_status *st = proc_status(p);
	char cpu[16] = "", rss[16] = "", up[16] = "", row[64];

	if (s->known && s->cpu_known)
		snprintf(cpu, sizeof cpu, "%.0f%%", s->cpu_percent);
	if (s->known)
		stats_format_bytes(s->rss_bytes, rss, sizeof rss);
	if (st->pid != 0)
		format_duration(loop_now(engine_loop(e)) - st->started_ms, up,
		    sizeof up);
	snprintf(row, sizeof row, " %5.5s %6.6s %3d %-6.6s", cpu, rss,
	    st->starts > 0 ? st->starts - 1 : 0, up);
	mvaddstr(y, x, row);
}

/* The state for the narrow list: health when it says more. */
static void
list_state(struct engine *e, const struct proc *p, char *buf, size_t size)
{
	const struct proc_status *st = proc_status(p);
	enum health_state hs = engine_health(e, p)->state;
	bool up = st->state == PROC_RUNNING && st->stopped_by == 0;

	if (up && hs == HEALTH_READY)
		snprintf(buf, size, "ready");
	else if (up && hs == HEALTH_UNHEALTHY)
		snprintf(buf, size, "unhealthy");
	else
		format_state_short(st, loop_now(engine_loop(e)), buf, size);
}

/* One row inside the box's borders (columns 1 .. W-2): "> name state"
 * and the unseen dot in the last column, each cut to what fits. */
static void
list_row(struct engine *e, const struct proc *p, bool sel, bool unseen,
    int y, int w, int nw, bool stats)
{
	attr_t base = sel ? A_REVERSE : A_NORMAL;
	int inside = w - 2, room;
	char state[64];

	if (inside <= 0)
		return;
	list_state(e, p, state, sizeof state);
	attr_set(base, 0, NULL);
	mvhline(y, 1, ' ', inside);
	if (inside >= 2)
		mvaddstr(y, 1, sel ? "> " : "  ");
	else
		mvaddch(y, 1, sel ? '>' : ' ');
	room = inside - 2 - 1;		/* the dot's column */
	if (room > 0) {
		draw_name(proc_name(p), nw < room ? nw : room);
		room -= nw + 1;
	}
	if (stats)
		room -= LIST_STATS_W;
	if (room > 0) {
		addch(' ');
		draw_colour(base, draw_state_colour(proc_status(p)),
		    ANSI_DEFAULT);
		addnstr(state, stats && room > LIST_STATE_W ? LIST_STATE_W :
		    room);
	}
	if (stats) {
		attr_set(base, 0, NULL);
		list_stats(e, p, y, 4 + nw + LIST_STATE_W);
	}
	if (unseen && inside >= 3) {
		attr_set(base | A_BOLD, 0, NULL);
		mvaddwstr(y, w - 2, L"\u2022");
	}
	attr_set(A_NORMAL, 0, NULL);
}

void
list_draw(struct engine *e, const struct proc *selected, int h, int w,
    list_unseen_fn unseen, void *ctx)
{
	int row, first = 0, rows = h - 2, nw = list_name_width(e), sel = 0;
	size_t i, n = engine_count(e);
	bool stats = w == list_plain_width(e) + LIST_STATS_W;

	if (nw > w - LIST_STATE_W - 7)
		nw = w - LIST_STATE_W - 7 > 4 ? w - LIST_STATE_W - 7 : 4;
	for (i = 0; i < n; i++) {
		if (engine_program(e, i) == selected)
			sel = (int)i;
	}
	draw_box(0, 0, h, w, false);
	mvaddnstr(0, 2, " programs ", w - 4);
	if (stats)	/* the columns' names, over them in the border */
		mvaddstr(0, 4 + nw + LIST_STATE_W, "   cpu    rss rst up ");
	if (sel >= rows)
		first = sel - rows + 1;
	for (row = 0; row < rows && (size_t)(first + row) < n; row++) {
		struct proc *p = engine_program(e, (size_t)(first + row));

		list_row(e, p, p == selected, unseen(ctx, p), row + 1, w, nw,
		    stats);
	}
}

int
list_hit(const struct engine *e, const struct proc *selected, int h, int y)
{
	int rows = h - 2, first = 0, sel = 0;
	size_t i, n = engine_count(e);

	for (i = 0; i < n; i++) {
		if (engine_program(e, i) == selected)
			sel = (int)i;
	}
	if (sel >= rows)
		first = sel - rows + 1;
	if (y < 1 || y > rows || (size_t)(first + y - 1) >= n)
		return -1;
	return first + y - 1;
}
