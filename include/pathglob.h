/*
 * pathglob: gitignore-style globs over relative, '/'-separated paths.
 *
 * A pattern is cut at '/' into segments.  A segment is an fnmatch(3)
 * pattern for one name (`*`, `?`, `[...]`, `\` quoting; a leading dot
 * is matched like any other character, as .gitignore does); a segment
 * that is exactly "**" is any number of folders, none included.  A
 * pattern ending in '/' names folders only.  A pattern takes in what it
 * names and everything under it: "templates" and "templates/" match
 * templates/base.html.
 */
#ifndef TEND_PATHGLOB_H
#define TEND_PATHGLOB_H

#include <stdbool.h>
#include <stddef.h>

struct pathglob;

/* With PATHGLOB_ANYWHERE, a pattern with no '/' but a trailing one
 * matches a name in any folder ("*.pyc", ".git/"), as in .gitignore; a
 * leading '/' anchors it again ("/build/"). */
#define PATHGLOB_ANYWHERE 0x1

/* NULL with the reason in ERR: out of memory, or a ".." segment (a
 * pattern is inside the folder it is relative to).  "", "." and "/"
 * are everything. */
struct pathglob *pathglob_new(const char *pattern, int flags, char *err,
    size_t errsize);
void pathglob_free(struct pathglob *g);

/* PATH ("a/b.txt"; "" is the folder itself) is matched, or is in a
 * folder that is.  IS_DIR: PATH is a folder, which a pattern ending in
 * '/' may name. */
bool pathglob_hits(const struct pathglob *g, const char *path, bool is_dir);
/* Some file under the folder DIR could be matched: DIR is worth
 * watching. */
bool pathglob_may_hold(const struct pathglob *g, const char *dir);

#endif
