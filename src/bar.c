/*
 * bar: the key bar, fitted to the width by the commands' ranks.
 */
#define _GNU_SOURCE
#include "bar.h"

#include <curses.h>
#include <string.h>

#include "command.h"

#define BAR_GAP 2

/* Columns the labels of rank MAX or less take. */
static int
bar_width(int max)
{
	const struct cmd_entry *t;
	size_t n, i;
	int w = 0;

	t = cmd_table(&n);
	for (i = 0; i < n; i++) {
		if (t[i].bar != NULL && t[i].rank <= max)
			w += BAR_GAP + (int)strlen(t[i].bar);
	}
	return w;
}

void
bar_draw_keys(int y, int w)
{
	const struct cmd_entry *t;
	size_t n, i;
	int max = 0, r;

	t = cmd_table(&n);
	for (i = 0; i < n; i++) {
		if (t[i].bar != NULL && t[i].rank > max)
			max = t[i].rank;
	}
	for (r = max; r > 0 && bar_width(r) > w; r--)
		;
	attr_set(A_REVERSE, 0, NULL);
	mvhline(y, 0, ' ', w);
	move(y, 0);
	for (i = 0; i < n; i++) {
		int room = w - getcurx(stdscr) - BAR_GAP + 1;

		if (t[i].bar == NULL || t[i].rank > r || room <= 0)
			continue;
		addch(' ');
		addnstr(t[i].bar, room);
		addch(' ');
	}
	attr_set(A_NORMAL, 0, NULL);
}

void
bar_draw_message(int y, int w, const char *msg)
{
	move(y, 0);
	clrtoeol();
	attr_set(A_BOLD, 0, NULL);
	mvaddnstr(y, 1, msg, w - 2);
	attr_set(A_NORMAL, 0, NULL);
}
