/*
 * scrollback: lines to a file, through ansi.c's parser, so what is
 * written is what the pane shows: text, and SGR only when asked for.
 */
#define _GNU_SOURCE
#include "scrollback.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ansi.h"
#include "ansiline.h"

#define SCROLLBACK_PLAIN_MAX (STORE_MAX_LINE * 4 + 1)

/* The mark after a name in the merged view, as headless mode's. */
static char
scrollback_mark(const struct linesrc_line *l)
{
	if (l->flags & STORE_NOTE)
		return '*';
	if (l->flags & STORE_INPUT)
		return '>';
	return l->stream == STORE_STDERR ? '!' : '|';
}

/* A colour.h colour as SGR parameters after BASE (30: foreground, 40:
 * background). */
static void
scrollback_colour(FILE *f, int32_t c, int base)
{
	if (ANSI_IS_RGB(c))
		fprintf(f, ";%d;2;%d;%d;%d", base + 8, (c >> 16) & 0xff,
		    (c >> 8) & 0xff, c & 0xff);
	else if (c >= 0 && c < 8)
		fprintf(f, ";%d", base + c);
	else if (c >= 8 && c < 16)
		fprintf(f, ";%d", base + 60 + c - 8);
	else if (c >= 16)
		fprintf(f, ";%d;5;%d", base + 8, c);
}

/* One SGR sequence setting S from scratch. */
static void
scrollback_sgr(FILE *f, const struct ansi_style *s)
{
	static const struct {
		unsigned bit;
		int code;
	} attrs[] = {
		{ ANSI_BOLD, 1 }, { ANSI_DIM, 2 }, { ANSI_ITALIC, 3 },
		{ ANSI_UNDERLINE, 4 }, { ANSI_BLINK, 5 }, { ANSI_REVERSE, 7 },
		{ ANSI_STRIKE, 9 },
	};
	size_t i;

	fputs("\033[0", f);
	for (i = 0; i < sizeof attrs / sizeof attrs[0]; i++) {
		if (s->attr & attrs[i].bit)
			fprintf(f, ";%d", attrs[i].code);
	}
	scrollback_colour(f, s->fg, 30);
	scrollback_colour(f, s->bg, 40);
	fputc('m', f);
}

static bool
scrollback_same(const struct ansi_style *a, const struct ansi_style *b)
{
	return a->fg == b->fg && a->bg == b->bg &&
	    (a->attr & ~ANSI_CONTROL) == (b->attr & ~ANSI_CONTROL);
}

/* A code point as UTF-8. */
static void
scrollback_utf8(FILE *f, uint32_t cp)
{
	if (cp < 0x80) {
		fputc((int)cp, f);
	} else if (cp < 0x800) {
		fputc((int)(0xc0 | (cp >> 6)), f);
		fputc((int)(0x80 | (cp & 0x3f)), f);
	} else if (cp < 0x10000) {
		fputc((int)(0xe0 | (cp >> 12)), f);
		fputc((int)(0x80 | ((cp >> 6) & 0x3f)), f);
		fputc((int)(0x80 | (cp & 0x3f)), f);
	} else {
		fputc((int)(0xf0 | (cp >> 18)), f);
		fputc((int)(0x80 | ((cp >> 12) & 0x3f)), f);
		fputc((int)(0x80 | ((cp >> 6) & 0x3f)), f);
		fputc((int)(0x80 | (cp & 0x3f)), f);
	}
}

/* The cells of L's text with SGR where the style changes. */
static void
scrollback_line_sgr(FILE *f, const struct linesrc_line *l,
    struct ansi_line *cells)
{
	struct ansi_style cur = ANSI_STYLE_DEFAULT;
	bool styled = false;
	size_t i;
	int k;

	ansi_line_clear(cells);
	ansi_render_from(cells, l->text, l->len, l->carry);
	for (i = 0; i < cells->len; i++) {
		const struct ansi_cell *c = &cells->cells[i];

		if (c->width == 0)
			continue;	/* a wide character's right half */
		if (!scrollback_same(&c->style, &cur)) {
			cur = c->style;
			scrollback_sgr(f, &cur);
			styled = true;
		}
		scrollback_utf8(f, c->ch != 0 ? c->ch : ' ');
		for (k = 0; k < ANSI_MAX_COMBINING && c->combining[k]; k++)
			scrollback_utf8(f, c->combining[k]);
	}
	if (styled)
		fputs("\033[0m", f);
}

long
scrollback_write(struct linesrc *src, int fd, bool sgr)
{
	struct ansi_line cells = { 0 };
	struct linesrc_line l;
	char *plain = sgr ? NULL : malloc(SCROLLBACK_PLAIN_MAX);
	int dup_fd = dup(fd), saved;
	FILE *f = dup_fd != -1 ? fdopen(dup_fd, "w") : NULL;
	long n = 0;

	if (f == NULL || (!sgr && plain == NULL)) {
		saved = errno ? errno : ENOMEM;
		if (f != NULL)
			fclose(f);
		else if (dup_fd != -1)
			close(dup_fd);
		free(plain);
		errno = saved;
		return -1;
	}
	linesrc_walk_on(src, LINESRC_FIRST);
	while (linesrc_step(src, &l)) {
		if (l.label != NULL)
			fprintf(f, "%s %c ", l.label, scrollback_mark(&l));
		if (sgr) {
			scrollback_line_sgr(f, &l, &cells);
		} else {
			size_t len = ansi_plain(l.text, l.len, plain,
			    SCROLLBACK_PLAIN_MAX);

			fwrite(plain, 1, len, f);
		}
		fputc('\n', f);
		n++;
	}
	ansi_line_free(&cells);
	free(plain);
	saved = ferror(f) ? EIO : 0;
	if (fclose(f) != 0 && saved == 0)
		saved = errno;
	if (saved != 0) {
		errno = saved;
		return -1;
	}
	return n;
}
