/*
 * inputline: a one-line editor with history (the stdin line and the
 * search prompt).
 *
 * Keys go in one at a time; the editor says when the line was submitted
 * or abandoned.  Left/Right, Home/End (Ctrl-A/Ctrl-E), Backspace, Delete,
 * Ctrl-U (clear), Ctrl-W (delete a word), Up/Down (history).
 */
#ifndef TEND_INPUTLINE_H
#define TEND_INPUTLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#define INPUTLINE_MAX 4096
#define INPUTLINE_HISTORY 100

enum inputline_result {
	INPUTLINE_EDITING,	/* the key was taken (or ignored) */
	INPUTLINE_SUBMIT,	/* Enter: the line is ready */
	INPUTLINE_CANCEL,	/* Esc */
	INPUTLINE_EOF,		/* Ctrl-D on an empty line */
	INPUTLINE_INTERRUPT,	/* Ctrl-C */
};

struct inputline {
	wchar_t buf[INPUTLINE_MAX + 1];
	size_t len, cursor;
	wchar_t *history[INPUTLINE_HISTORY];	/* oldest first */
	size_t nhistory;
	size_t browsing;	/* history index being shown; nhistory: none */
};

void inputline_init(struct inputline *in);
void inputline_free(struct inputline *in);
/* Forget the text (history stays). */
void inputline_clear(struct inputline *in);

/* One key from get_wch(): IS_KEY when it is a KEY_* code. */
enum inputline_result inputline_key(struct inputline *in, bool is_key,
    wint_t key);

/* Add the current text to the history (not if empty or a repeat). */
void inputline_remember(struct inputline *in);

/* The text as UTF-8 in OUT (NUL-terminated); returns its length. */
size_t inputline_utf8(const struct inputline *in, char *out, size_t size);

/* Draw PROMPT and the text in row Y, columns X .. X+W-1, keeping the
 * cursor in view; leaves the curses cursor on it. */
void inputline_draw(const struct inputline *in, const char *prompt, int y,
    int x, int w);

#endif
