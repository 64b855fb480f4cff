/*
 * help: the help overlay, made from the command table: every key of the
 * TUI, then every key of the input line, each with its line of help.
 */
#ifndef TEND_HELP_H
#define TEND_HELP_H

/* The overlay, centred on the screen. */
void help_draw(void);

#endif
