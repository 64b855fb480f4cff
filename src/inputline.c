/*
 * inputline: a small line editor with history, drawn with curses.
 *
 * Owns the text being typed (wide characters), the cursor, and the
 * history of submitted lines.
 */
#define _GNU_SOURCE
#include "inputline.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#define CTRL(c) ((c) & 0x1f)

void
inputline_init(struct inputline *in)
{
	memset(in, 0, sizeof *in);
}

void
inputline_free(struct inputline *in)
{
	size_t i;

	for (i = 0; i < in->nhistory; i++)
		free(in->history[i]);
	in->nhistory = 0;
}

void
inputline_clear(struct inputline *in)
{
	in->len = in->cursor = 0;
	in->buf[0] = L'\0';
	in->browsing = in->nhistory;
}

static void
inputline_set(struct inputline *in, const wchar_t *text)
{
	size_t n = wcslen(text);

	if (n > INPUTLINE_MAX)
		n = INPUTLINE_MAX;
	wmemcpy(in->buf, text, n);
	in->buf[n] = L'\0';
	in->len = in->cursor = n;
}

void
inputline_remember(struct inputline *in)
{
	wchar_t *copy;

	if (in->len == 0 || (in->nhistory > 0 &&
	    wcscmp(in->history[in->nhistory - 1], in->buf) == 0))
		return;
	copy = wcsdup(in->buf);
	if (copy == NULL)
		return;
	if (in->nhistory == INPUTLINE_HISTORY) {
		free(in->history[0]);
		memmove(in->history, in->history + 1,
		    (INPUTLINE_HISTORY - 1) * sizeof in->history[0]);
		in->nhistory--;
	}
	in->history[in->nhistory++] = copy;
	in->browsing = in->nhistory;
}

static void
inputline_insert(struct inputline *in, wchar_t c)
{
	if (in->len == INPUTLINE_MAX)
		return;
	wmemmove(in->buf + in->cursor + 1, in->buf + in->cursor,
	    in->len - in->cursor + 1);
	in->buf[in->cursor++] = c;
	in->len++;
}

/* Delete N characters before the cursor. */
static void
inputline_erase_back(struct inputline *in, size_t n)
{
	if (n > in->cursor)
		n = in->cursor;
	wmemmove(in->buf + in->cursor - n, in->buf + in->cursor,
	    in->len - in->cursor + 1);
	in->cursor -= n;
	in->len -= n;
}

static void
inputline_erase_word(struct inputline *in)
{
	size_t i = in->cursor;

	while (i > 0 && iswspace((wint_t)in->buf[i - 1]))
		i--;
	while (i > 0 && !iswspace((wint_t)in->buf[i - 1]))
		i--;
	inputline_erase_back(in, in->cursor - i);
}

static void
inputline_browse(struct inputline *in, int step)
{
	if (step < 0 && in->browsing > 0)
		in->browsing--;
	else if (step > 0 && in->browsing < in->nhistory)
		in->browsing++;
	else
		return;
	inputline_set(in, in->browsing < in->nhistory ?
	    in->history[in->browsing] : L"");
}

static enum inputline_result
inputline_keycode(struct inputline *in, wint_t key)
{
	switch (key) {
	case KEY_LEFT:
		if (in->cursor > 0)
			in->cursor--;
		break;
	case KEY_RIGHT:
		if (in->cursor < in->len)
			in->cursor++;
		break;
	case KEY_HOME:
		in->cursor = 0;
		break;
	case KEY_END:
		in->cursor = in->len;
		break;
	case KEY_BACKSPACE:
		inputline_erase_back(in, 1);
		break;
	case KEY_DC:
		if (in->cursor < in->len) {
			in->cursor++;
			inputline_erase_back(in, 1);
		}
		break;
	case KEY_UP:
		inputline_browse(in, -1);
		break;
	case KEY_DOWN:
		inputline_browse(in, 1);
		break;
	case KEY_ENTER:
		return INPUTLINE_SUBMIT;
	}
	return INPUTLINE_EDITING;
}

enum inputline_result
inputline_key(struct inputline *in, bool is_key, wint_t key)
{
	if (is_key)
		return inputline_keycode(in, key);
	switch (key) {
	case L'\r':
	case L'\n':
		return INPUTLINE_SUBMIT;
	case 27:
		return INPUTLINE_CANCEL;
	case CTRL('c'):
		return INPUTLINE_INTERRUPT;
	case CTRL('d'):
		if (in->len == 0)
			return INPUTLINE_EOF;
		return inputline_keycode(in, KEY_DC);
	case CTRL('a'):
		return inputline_keycode(in, KEY_HOME);
	case CTRL('e'):
		return inputline_keycode(in, KEY_END);
	case CTRL('b'):
		return inputline_keycode(in, KEY_LEFT);
	case CTRL('f'):
		return inputline_keycode(in, KEY_RIGHT);
	case CTRL('h'):
	case 127:
		return inputline_keycode(in, KEY_BACKSPACE);
	case CTRL('u'):
		inputline_erase_back(in, in->cursor);
		break;
	case CTRL('w'):
		inputline_erase_word(in);
		break;
	default:
		if (key >= 32 && iswprint(key))
			inputline_insert(in, (wchar_t)key);
		break;
	}
	return INPUTLINE_EDITING;
}

size_t
inputline_utf8(const struct inputline *in, char *out, size_t size)
{
	mbstate_t ps;
	const wchar_t *src = in->buf;
	size_t n;

	memset(&ps, 0, sizeof ps);
	n = wcsrtombs(out, &src, size - 1, &ps);
	if (n == (size_t)-1)
		n = 0;
	out[n] = '\0';
	return n;
}

void
inputline_draw(const struct inputline *in, const char *prompt, int y, int x,
    int w)
{
	int plen = (int)strlen(prompt), room, col = 0, cursor_col = 0;
	size_t start = 0, i;

	move(y, x);
	clrtoeol();
	attr_set(A_BOLD, 0, NULL);
	mvaddnstr(y, x, prompt, w);
	attr_set(A_NORMAL, 0, NULL);
	room = w - plen - 1;
	if (room <= 0)
		return;
	/* Scroll the text so the cursor stays visible. */
	for (i = in->cursor; i > 0; i--) {
		int cw = wcwidth(in->buf[i - 1]);

		if (col + (cw > 0 ? cw : 1) > room)
			break;
		col += cw > 0 ? cw : 1;
	}
	start = i;
	col = 0;
	for (i = start; i < in->len; i++) {
		int cw = wcwidth(in->buf[i]);

		if (cw < 1)
			cw = 1;
		if (col + cw > room)
			break;
		if (i == in->cursor)
			cursor_col = col;
		mvaddnwstr(y, x + plen + col, &in->buf[i], 1);
		col += cw;
	}
	if (in->cursor >= i)
		cursor_col = col;
	move(y, x + plen + cursor_col);
}
