/*
 * ui: the full-screen terminal interface, a client of the engine.
 *
 * A program list and the selected program's pane (or every pane tiled),
 * a key bar, an input line for the program's stdin, search and help.
 * Program output only marks the screen dirty; it is drawn at most about
 * 60 times a second, only the visible rows are formatted, and never
 * while the terminal is still taking the last frame.
 */
#ifndef TEND_UI_H
#define TEND_UI_H

#include <stddef.h>

#include "engine.h"

struct ui;

/* Take the terminal and subscribe to E.  NULL, with the reason in ERR,
 * when the terminal cannot be used. */
struct ui *ui_new(struct engine *e, char *err, size_t errsize);
/* Give the terminal back, and print how each program ended. */
void ui_free(struct ui *ui);

#endif
