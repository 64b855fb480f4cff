/*
 * bar: the bottom line of the TUI.
 *
 * The keys, made from the command table: every command with a label, in
 * the table's order; when the screen is too narrow for all of them, the
 * least important go first (q quit and ? help stay).  Or, instead of the
 * keys, a message.
 */
#ifndef TEND_BAR_H
#define TEND_BAR_H

/* The key bar in row Y, W columns wide. */
void bar_draw_keys(int y, int w);
/* MSG in row Y, bold, W columns wide. */
void bar_draw_message(int y, int w, const char *msg);

#endif
