/*
 * title: a pane's title line, drawn into the top border of its box.
 *
 * The name and the state, then what needs the eye (input queued, health,
 * scrolled away), the pid and last exit, the pty, the start time; a
 * narrow pane drops them from the end of that list, and a long one is
 * cut with an ellipsis.
 */
#ifndef TEND_TITLE_H
#define TEND_TITLE_H

#include <stdbool.h>

#include "engine.h"

/* P's title at row Y, from column X, in a box W wide.  SCROLLED: the
 * pane does not follow new output.  FOCUS: keys go to the program.
 * FILTER: what the pane's filter keeps, or NULL.  MARKED: the selected
 * tile. */
void title_draw(struct engine *e, const struct proc *p, bool scrolled,
    bool focus, const char *filter, int y, int x, int w, bool marked);

/* The merged view's title: SHOWN of TOTAL programs are in it. */
void title_draw_merged(int shown, int total, const char *filter,
    bool scrolled, int y, int x, int w);

#endif
