/*
 * help: the help overlay, made from the command table: every key of the
 * TUI, then every key of the input line, each with its line of help.
 */
#ifndef TEND_HELP_H
#define TEND_HELP_H

/* The overlay, centred on the screen, from its line TOP on (when it is
 * taller than the screen).  Returns the last TOP that still shows
 * something new: 0 when it all fits. */
int help_draw(int top);

#endif
