/*
 * scrollback: lines to a file, through ansi.c's parser (ansi_plain, or
 * sgrout for the colours), so what is written is what the pane shows:
 * text, and SGR only when asked for.
 */
#define _GNU_SOURCE
#include "scrollback.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ansi.h"
#include "sgrout.h"

/* A line's text after its escapes are redone: control pictures take 3
 * bytes for 1, and SGR may change at every cell (cut beyond). */
#define SCROLLBACK_LINE_MAX (STORE_MAX_LINE * 8 + 1)

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

long
scrollback_write(struct linesrc *src, int fd, bool sgr)
{
	struct linesrc_line l;
	char *out = malloc(SCROLLBACK_LINE_MAX);
	int dup_fd = dup(fd), saved;
	FILE *f = dup_fd != -1 ? fdopen(dup_fd, "w") : NULL;
	size_t len;
	long n = 0;

	if (f == NULL || out == NULL) {
		saved = errno ? errno : ENOMEM;
		if (f != NULL)
			fclose(f);
		else if (dup_fd != -1)
			close(dup_fd);
		free(out);
		errno = saved;
		return -1;
	}
	linesrc_walk_on(src, LINESRC_FIRST);
	while (linesrc_step(src, &l)) {
		if (l.label != NULL)
			fprintf(f, "%s %c ", l.label, scrollback_mark(&l));
		len = sgr ? sgrout_line(l.text, l.len, l.carry, out,
		    SCROLLBACK_LINE_MAX) : ansi_plain(l.text, l.len, out,
		    SCROLLBACK_LINE_MAX);
		fwrite(out, 1, len, f);
		fputc('\n', f);
		n++;
	}
	free(out);
	saved = ferror(f) ? EIO : 0;
	if (fclose(f) != 0 && saved == 0)
		saved = errno;
	if (saved != 0) {
		errno = saved;
		return -1;
	}
	return n;
}
