/*
 * watch: restart on change.
 *
 * One inotify fd in the loop for every program's `watch` patterns: globs
 * relative to the program's directory, where "**" is any number of
 * folders and a folder ("templates/") means everything under it, less its
 * `watch_ignore` ones.  Folders are watched, not files, so a tree of ten thousand files
 * costs a watch per folder; new folders are watched as they appear, and
 * an editor that saves by writing a new file and renaming it is seen.  A
 * burst of changes (a save storm, a branch switch) is told once, `delay`
 * seconds after its last change, with the first path that changed.
 */
#ifndef TEND_WATCH_H
#define TEND_WATCH_H

#include <stddef.h>

#include "loop.h"

struct watch;

/* A change for OWNER: PATH is relative to its directory. */
typedef void (*watch_fn)(void *ctx, void *owner, const char *path);

struct watch *watch_new(struct loop *loop, watch_fn fn, void *ctx,
    char *err, size_t errsize);
void watch_free(struct watch *w);

/* Tell FN about changes under DIR to files matching one of PATTERNS and
 * none of IGNORE (both NULL-terminated), DELAY seconds after a burst
 * ends.  Returns 0, or -1 with the reason in ERR. */
int watch_add(struct watch *w, void *owner, const char *dir,
    char *const *patterns, char *const *ignore, double delay, char *err,
    size_t errsize);
/* Forget OWNER's patterns. */
void watch_remove(struct watch *w, void *owner);

#endif
