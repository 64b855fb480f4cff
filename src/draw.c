/*
 * draw: small drawing helpers shared by the list, titles, panes and bar.
 */
#define _GNU_SOURCE
#include "draw.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "ansi.h"
#include "tty.h"

void
draw_box(int y, int x, int h, int w, bool strong)
{
	if (h < 2 || w < 2)
		return;
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

void
draw_colour(attr_t a, int32_t fg, int32_t bg)
{
	int pair = tty_pair(fg, bg);

	attr_set(a, 0, &pair);
}

int32_t
draw_state_colour(const struct proc_status *st)
{
	if (st->pid != 0 && st->stopped_by != 0)
		return 3;	/* yellow: it needs a SIGCONT */
	switch (st->state) {
	case PROC_RUNNING:
		return 2;	/* green */
	case PROC_STARTING:
	case PROC_STOPPING:
	case PROC_BACKOFF:
	case PROC_WAITING:
		return 3;	/* yellow */
	case PROC_FATAL:
	case PROC_BLOCKED:
		return 1;	/* red */
	case PROC_EXITED:
		return st->failed ? 1 : ANSI_DEFAULT;
	case PROC_IDLE:
		break;
	}
	return ANSI_DEFAULT;
}

int
draw_columns(const char *s)
{
	int n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

void
draw_cut(const char *text, int end)
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

void
draw_name(const char *name, int w)
{
	int n = (int)strlen(name), tail;

	if (w <= 0)
		return;
	if (n <= w) {
		printw("%-*s", w, name);
		return;
	}
	tail = (w - 1) / 2;
	printw("%.*s", w - 1 - tail, name);
	addwstr(L"\u2026");
	printw("%s", name + n - tail);
}
