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
 * MARKED: the selected tile. */
void title_draw(struct engine *e, const struct proc *p, bool scrolled,
    bool focus, int y, int x, int w, bool marked);

#endif
