/*
 * help: the overlay's lines, from the command table, in a box.
 */
#define _GNU_SOURCE
#include "help.h"

#include <curses.h>
#include <stdio.h>

#include "command.h"
#include "draw.h"

#define HELP_LINES 48
#define HELP_KEYS_W 17		/* the key column, then two spaces */
#define HELP_W 78

static int
help_section(char lines[][128], int n, unsigned where, const char *header)
{
	const struct cmd_entry *t;
	size_t count, i;
	char keys[64];

	t = cmd_table(&count);
	if (header != NULL && n < HELP_LINES)
		snprintf(lines[n++], sizeof lines[0], "%s", header);
	for (i = 0; i < count && n < HELP_LINES; i += (size_t)t[i].joins + 1) {
		if (!(t[i].where & where) || t[i].keys[0] == NULL)
			continue;
		cmd_keys_text(&t[i], keys, sizeof keys);
		snprintf(lines[n++], sizeof lines[0], "%-*s  %s", HELP_KEYS_W,
		    keys, t[i].help);
	}
	return n;
}

int
help_draw(int top)
{
	char lines[HELP_LINES][128];
	int n = help_section(lines, 0, CMD_TUI, NULL), w, h, y, x, i, last;

	n = help_section(lines, n, CMD_LINE, "In the input line:");
	n = help_section(lines, n, CMD_FOCUS, "In focus mode (pty programs), "
	    "every key is the program's but:");
	w = HELP_W < COLS - 2 ? HELP_W : COLS - 2;
	h = n + 2 < LINES - 1 ? n + 2 : LINES - 1;
	y = (LINES - 1 - h) / 2;
	x = (COLS - w) / 2;
	last = n - (h - 2) > 0 ? n - (h - 2) : 0;
	if (top > last)
		top = last;
	if (w < 4 || h < 3)
		return last;
	for (i = 0; i < h; i++)
		mvhline(y + i, x, ' ', w);
	draw_box(y, x, h, w, true);
	attr_set(A_BOLD, 0, NULL);
	mvaddnstr(y, x + 2, last > 0 ? " tend keys (j/k scroll, any other key "
	    "closes this) " : " tend keys (any key closes this) ", w - 4);
	attr_set(A_NORMAL, 0, NULL);
	for (i = 0; top + i < n && i < h - 2; i++)
		mvaddnstr(y + 1 + i, x + 2, lines[top + i], w - 4);
	if (last > 0)
		mvaddstr(y + h - 1, x + w - 12, top < last ? " more \u2193 " :
		    " end ");
	return last;
}
