/*
 * draw: what the TUI's widgets share: boxes, colours, the colour of a
 * state, and text cut to fit.  Drawing only: curses' stdscr, nothing else.
 */
#ifndef TEND_DRAW_H
#define TEND_DRAW_H

#include <curses.h>
#include <stdbool.h>
#include <stdint.h>

#include "proc.h"

/* A box with its corners; STRONG draws it bold. */
void draw_box(int y, int x, int h, int w, bool strong);
/* Attributes A with foreground FG and background BG (ansi.h colours). */
void draw_colour(attr_t a, int32_t fg, int32_t bg);
/* The colour a state is shown in (an ansi.h colour). */
int32_t draw_state_colour(const struct proc_status *st);
/* Columns of UTF-8 text with no wide characters. */
int draw_columns(const char *s);
/* TEXT at the cursor, cut with an ellipsis before column END, then a
 * space to set it off from a border. */
void draw_cut(const char *text, int end);
/* NAME (ASCII) in W columns: padded, or cut in the middle with an
 * ellipsis, as names that share a prefix differ at the end. */
void draw_name(const char *name, int w);

#endif
