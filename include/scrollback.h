/*
 * scrollback: a pane's lines written out as a file, for the pager (`e`)
 * and for saving (`S`).
 *
 * The lines of a linesrc (one program's, filtered or not, or the merged
 * view's), oldest first, one a line.  In the merged view each starts with
 * its program's name and a mark, as headless mode writes them
 * ("web | out", "web ! err", "web * note", "web > input").  With SGR, a
 * line's colours and attributes are written as SGR sequences (from the
 * style the line starts in, so a colour carried over from the line
 * before is kept) and every other escape is dropped, as the pane draws
 * it; without, the file is plain text with no ESC byte at all.
 */
#ifndef TEND_SCROLLBACK_H
#define TEND_SCROLLBACK_H

#include <stdbool.h>
#include <stddef.h>

#include "linesrc.h"

/* Write SRC's lines to FD (blocking: a regular file).  Returns the
 * number of lines written, or -1 with errno set. */
long scrollback_write(struct linesrc *src, int fd, bool sgr);

#endif
