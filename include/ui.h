/*
 * ui: the full-screen terminal interface.
 *
 * A program list and the selected program's pane (or every pane tiled),
 * a key bar, an input line for the program's stdin, search and help.
 * Program output only marks the screen dirty; it is drawn at most about
 * 60 times a second, and only the visible rows are formatted.
 */
#ifndef TEND_UI_H
#define TEND_UI_H

#include "config.h"

/* Run CFG's programs in the TUI until the user quits (or a signal asks
 * to).  Prints how each program ended after the screen is restored.
 * Returns tend's exit status, or -1 if the terminal cannot be used (the
 * reason is printed). */
int ui_run(const struct config *cfg);

#endif
