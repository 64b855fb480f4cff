/*
 * list: the program list at the left of the TUI.
 *
 * One row per program: a marker for the selected one, its name, its
 * state in a few words (or its health when that says more), and a dot
 * when it has output the user has not seen.  A wide screen also gets
 * columns for what each program costs (CPU %, RSS of its processes, from
 * the engine's stats), its restarts and its uptime.
 */
#ifndef TEND_LIST_H
#define TEND_LIST_H

#include <stdbool.h>

#include "engine.h"

/* Has P output that was not on screen yet? */
typedef bool (*list_unseen_fn)(void *ctx, const struct proc *p);

/* The columns the list wants on a screen COLS wide. */
int list_width(const struct engine *e, int cols);
/* Whether the list on a screen COLS wide shows the stats columns (so
 * the engine's stats are wanted). */
bool list_shows_stats(const struct engine *e, int cols);
/* The list in the box at the top left, H rows and W columns. */
void list_draw(struct engine *e, const struct proc *selected, int h, int w,
    list_unseen_fn unseen, void *ctx);

/* The index of the program on row Y of a list H rows high drawn with
 * SELECTED selected, or -1. */
int list_hit(const struct engine *e, const struct proc *selected, int h,
    int y);

#endif
