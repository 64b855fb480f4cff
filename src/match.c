/*
 * match: case-insensitive substring matching on rendered cells.
 */
#define _GNU_SOURCE
#include "match.h"

#include <string.h>
#include <wctype.h>

static bool
match_cell_is(const struct ansi_cell *c, wchar_t want)
{
	return (wchar_t)towlower((wint_t)c->ch) == want;
}

bool
match_cells(const struct ansi_line *line, const wchar_t *pattern,
    unsigned char *hl, unsigned char mark)
{
	size_t plen = pattern ? wcslen(pattern) : 0, i, j, k;
	bool any = false;

	if (plen == 0)
		return false;
	for (i = 0; i < line->len; i++) {
		for (j = i, k = 0; j < line->len && k < plen; j++) {
			if (line->cells[j].width == 0)
				continue;	/* a wide one's right half */
			if (!match_cell_is(&line->cells[j], pattern[k]))
				break;
			k++;
		}
		if (k < plen)
			continue;
		if (hl == NULL)
			return true;
		any = true;
		memset(hl + i, mark, j - i);
	}
	return any;
}

void
match_lower(const wchar_t *pattern, size_t n, wchar_t *out, size_t size)
{
	size_t i;

	if (size == 0)
		return;
	for (i = 0; i < n && i + 1 < size; i++)
		out[i] = (wchar_t)towlower((wint_t)pattern[i]);
	out[i] = L'\0';
}
