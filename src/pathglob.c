/*
 * pathglob: segments matched with fnmatch(3), "**" by hand.
 *
 * "**" is to segments what '*' is to characters, and every other segment
 * matches exactly one name, so the classic wildcard match applies: go
 * forward greedily and, on a mismatch, let the last "**" swallow one
 * more segment.  That is O(segments of the path x segments of the
 * pattern), with no recursion.
 */
#define _GNU_SOURCE
#include "pathglob.h"

#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pathglob {
	char *buf;		/* the segments, NUL-separated */
	char **seg;
	size_t n;		/* at least 1 */
	bool dir_only;		/* ended in '/' */
};

#define PATHGLOB_NONE ((size_t)-1)

static bool
pathglob_is_star(const char *seg)
{
	return strcmp(seg, "**") == 0;
}

/* Cut S (modified) at '/' into SEG, leaving out empty and "."
 * segments; returns the count, or PATHGLOB_NONE past MAX. */
static size_t
pathglob_split(char *s, char **seg, size_t max)
{
	size_t n = 0;
	char *p = s, *slash;

	for (;;) {
		slash = strchr(p, '/');
		if (slash != NULL)
			*slash = '\0';
		if (*p != '\0' && strcmp(p, ".") != 0) {
			if (n == max)
				return PATHGLOB_NONE;
			seg[n++] = p;
		}
		if (slash == NULL)
			return n;
		p = slash + 1;
	}
}

struct pathglob *
pathglob_new(const char *pattern, int flags, char *err, size_t errsize)
{
	struct pathglob *g = calloc(1, sizeof *g);
	size_t len = strlen(pattern), max = len / 2 + 2, n, i, k;
	bool anchored = pattern[0] == '/', anywhere;

	/* Room for a leading "**" besides the pattern's own segments. */
	if (g == NULL || (g->buf = malloc(len + 1)) == NULL ||
	    (g->seg = calloc(max + 1, sizeof *g->seg)) == NULL) {
		pathglob_free(g);
		snprintf(err, errsize, "out of memory");
		return NULL;
	}
	memcpy(g->buf, pattern, len + 1);
	while (len > 0 && pattern[len - 1] == '/') {
		g->dir_only = true;
		len--;
	}
	/* No '/' but trailing ones: a name anywhere (with the flag). */
	anywhere = (flags & PATHGLOB_ANYWHERE) && !anchored &&
	    memchr(pattern, '/', len) == NULL;
	n = pathglob_split(g->buf, g->seg + 1, max);
	for (i = 0; i < n; i++) {
		if (strcmp(g->seg[i + 1], "..") == 0) {
			snprintf(err, errsize, "'%s': a pattern may not go up "
			    "with '..'", pattern);
			pathglob_free(g);
			return NULL;
		}
	}
	if (n == 0) {
		/* "", "." or "/": everything, as "**" is. */
		g->dir_only = false;
		anywhere = true;
	}
	if (anywhere) {
		g->seg[0] = (char *)"**";
		n++;
	} else {
		memmove(g->seg, g->seg + 1, n * sizeof *g->seg);
	}
	/* "**" twice in a row is "**" once. */
	for (i = k = 0; i < n; i++) {
		if (k > 0 && pathglob_is_star(g->seg[i]) &&
		    pathglob_is_star(g->seg[k - 1]))
			continue;
		g->seg[k++] = g->seg[i];
	}
	/* A trailing "**" is everything in the folder before it, not
	 * that folder itself: the same as ending in '/'. */
	if (k > 1 && pathglob_is_star(g->seg[k - 1])) {
		g->dir_only = true;
		k--;
	}
	g->n = k;
	return g;
}

void
pathglob_free(struct pathglob *g)
{
	if (g == NULL)
		return;
	free(g->buf);
	free(g->seg);
	free(g);
}

/* How far the pattern gets along PATH's NS segments: true when it can
 * use them all up.  *REST is then whether it could go on into more
 * segments (pattern left over, or a "**" that could have taken more). */
static bool
pathglob_walk(const struct pathglob *g, char *const *path, size_t ns,
    bool *rest, bool *exact)
{
	size_t p = 0, s = 0, star = PATHGLOB_NONE, star_s = 0;

	while (s < ns) {
		if (p < g->n && pathglob_is_star(g->seg[p])) {
			star = p++;
			star_s = s;
		} else if (p < g->n && fnmatch(g->seg[p], path[s], 0) == 0) {
			p++;
			s++;
		} else if (star != PATHGLOB_NONE) {
			p = star + 1;
			s = ++star_s;
		} else {
			return false;
		}
	}
	*rest = p < g->n || star != PATHGLOB_NONE;
	while (p < g->n && pathglob_is_star(g->seg[p]))
		p++;
	*exact = p == g->n;
	return true;
}

/* The whole of PATH's first NS segments is matched. */
static bool
pathglob_full(const struct pathglob *g, char *const *path, size_t ns)
{
	bool rest, exact;

	return pathglob_walk(g, path, ns, &rest, &exact) && exact;
}

#define PATHGLOB_MAX_SEGS (PATH_MAX / 2 + 1)

static bool
pathglob_hits_segs(const struct pathglob *g, char *const *seg, size_t n,
    bool is_dir)
{
	size_t j;

	/* The path itself, or one of the folders it is in. */
	for (j = 1; j <= n; j++) {
		if ((j < n || is_dir || !g->dir_only) && pathglob_full(g, seg, j))
			return true;
	}
	return false;
}

bool
pathglob_hits(const struct pathglob *g, const char *path, bool is_dir)
{
	char buf[PATH_MAX], *seg[PATHGLOB_MAX_SEGS];
	size_t n;

	if (strlen(path) >= sizeof buf)
		return false;
	strcpy(buf, path);
	n = pathglob_split(buf, seg, PATHGLOB_MAX_SEGS);
	return n != PATHGLOB_NONE && pathglob_hits_segs(g, seg, n, is_dir);
}

bool
pathglob_may_hold(const struct pathglob *g, const char *dir)
{
	char buf[PATH_MAX], *seg[PATHGLOB_MAX_SEGS];
	bool rest, exact;
	size_t n;

	if (strlen(dir) >= sizeof buf)
		return false;
	strcpy(buf, dir);
	n = pathglob_split(buf, seg, PATHGLOB_MAX_SEGS);
	if (n == PATHGLOB_NONE)
		return false;
	/* Under a matched folder, or on the way to one: the pattern
	 * consumes DIR and has segments left for what is inside. */
	return pathglob_hits_segs(g, seg, n, true) ||
	    (pathglob_walk(g, seg, n, &rest, &exact) && rest);
}
