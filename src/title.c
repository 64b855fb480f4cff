/*
 * title: the parts of a pane's title, ranked so a narrow pane keeps
 * the ones that matter.
 */
#define _GNU_SOURCE
#include "title.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "ansi.h"
#include "draw.h"
#include "format.h"
#include "vt.h"

#define TITLE_PARTS 10
#define TITLE_RANKS 4

/* One " · text"; rank 0 is never dropped, then the highest goes first. */
struct title_part {
	char text[192];
	int rank;
};

static void __attribute__((format(printf, 4, 5)))
title_add(struct title_part *parts, int *n, int rank, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(parts[*n].text, sizeof parts[*n].text, fmt, ap);
	va_end(ap);
	parts[(*n)++].rank = rank;
}

/* The wall-clock time of a start, not an uptime: an uptime would need a
 * wake-up every second to stay true, and an idle tend sleeps. */
static void
title_since(int64_t started_wall_ms, char *buf, size_t size)
{
	time_t now = time(NULL), then = (time_t)(started_wall_ms / 1000);
	struct tm tm_then, tm_now;

	localtime_r(&then, &tm_then);
	localtime_r(&now, &tm_now);
	strftime(buf, size, tm_then.tm_yday == tm_now.tm_yday &&
	    tm_then.tm_year == tm_now.tm_year ? "%H:%M:%S" : "%b %e %H:%M",
	    &tm_then);
}

static int
title_parts(struct engine *e, const struct proc *p, bool scrolled,
    bool focus, const char *filter, struct title_part *parts)
{
	const struct proc_status *st = proc_status(p);
	char buf[160];
	int n = 0;

	if (focus)
		title_add(parts, &n, 0, "FOCUS \u2014 Ctrl-A to leave");
	if (proc_vt(p) != NULL && vt_title(proc_vt(p))[0] != '\0')
		title_add(parts, &n, 2, "\u201c%s\u201d", vt_title(proc_vt(p)));
	if (st->pid != 0) {
		title_add(parts, &n, 3, "pid %d", (int)st->pid);
		title_since(st->started_wall_ms, buf, sizeof buf);
		title_add(parts, &n, 1, "since %s", buf);
		if (st->ended) {
			format_exit(st->wait_status, buf, sizeof buf);
			title_add(parts, &n, 4, "last %s", buf);
		}
	}
	if (proc_config(p)->pty)
		title_add(parts, &n, 2, "pty: stdout+stderr");
	if (st->stdin_queued > 0)
		title_add(parts, &n, 0, "stdin %zu bytes queued",
		    st->stdin_queued);
	engine_describe_health(e, p, buf, sizeof buf);
	if (buf[0] != '\0')
		title_add(parts, &n, 0, "%s", buf);
	if (filter != NULL)
		title_add(parts, &n, 0, "%s", filter);
	if (scrolled)
		title_add(parts, &n, 0, proc_vt(p) != NULL ?
		    "SCROLLED (End: the screen)" : "SCROLLED (End follows)");
	return n;
}

/* " · a · b" of the parts that fit in ROOM columns. */
static void
title_join(const struct title_part *parts, int n, int room, char *out,
    size_t size)
{
	int drop, i, len;

	for (drop = 0; drop <= TITLE_RANKS; drop++) {
		len = 0;
		for (i = 0; i < n; i++)
			if (parts[i].rank == 0 || parts[i].rank > drop)
				len += 3 + draw_columns(parts[i].text);
		if (len <= room)
			break;
	}
	out[0] = '\0';
	for (i = 0, len = 0; i < n && len < (int)size; i++) {
		if (parts[i].rank != 0 && parts[i].rank <= drop)
			continue;
		len += snprintf(out + len, size - (size_t)len, " \u00b7 %s",
		    parts[i].text);
	}
}

/* TEXT (ASCII) at the cursor, as much as fits before column END. */
static void
title_put(const char *text, int end)
{
	int room = end - getcurx(stdscr);

	if (room > 0)
		addnstr(text, room);
}

void
title_draw(struct engine *e, const struct proc *p, bool scrolled, bool focus,
    const char *filter, int y, int x, int w, bool marked)
{
	struct title_part parts[TITLE_PARTS];
	char state[96], info[1024];
	int n = title_parts(e, p, scrolled, focus, filter, parts), room;
	int end = x + w - 1;

	format_state(proc_status(p), loop_now(engine_loop(e)), state,
	    sizeof state);
	room = w - 3 - draw_columns(proc_name(p)) - 2 - draw_columns(state) - 1;
	title_join(parts, n, room, info, sizeof info);
	/* Among tiles, the selected one's name is reversed as well as its
	 * border bold: a bold line alone is easy to miss. */
	attr_set(marked ? A_BOLD | A_REVERSE : A_BOLD, 0, NULL);
	move(y, x + 2);
	title_put(" ", end);
	title_put(proc_name(p), end);
	title_put(" ", end);
	draw_colour(A_BOLD, draw_state_colour(proc_status(p)), ANSI_DEFAULT);
	title_put(state, end);
	attr_set(A_NORMAL, 0, NULL);
	draw_cut(info, end);
}

void
title_draw_merged(int shown, int total, const char *filter, bool scrolled,
    int y, int x, int w)
{
	struct title_part parts[TITLE_PARTS];
	char info[1024];
	int n = 0, end = x + w - 1;

	if (shown < total)
		title_add(parts, &n, 0, "%d of %d programs (Space: in or out)",
		    shown, total);
	else
		title_add(parts, &n, 1, "%d programs", total);
	if (filter != NULL)
		title_add(parts, &n, 0, "%s", filter);
	if (scrolled)
		title_add(parts, &n, 0, "SCROLLED (End follows)");
	title_add(parts, &n, 2, "m: one program");
	title_join(parts, n, w - 3 - 8 - 1, info, sizeof info);
	attr_set(A_BOLD, 0, NULL);
	move(y, x + 2);
	title_put(" merged", end);
	attr_set(A_NORMAL, 0, NULL);
	draw_cut(info, end);
}
