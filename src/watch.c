/*
 * watch: not written yet; watch_add() says so.
 */
#include "watch.h"

#include <stdio.h>
#include <stdlib.h>

struct watch {
	int unused;
};

struct watch *
watch_new(struct loop *loop, watch_fn fn, void *ctx, char *err,
    size_t errsize)
{
	(void)loop;
	(void)fn;
	(void)ctx;
	(void)err;
	(void)errsize;
	return calloc(1, sizeof(struct watch));
}

void
watch_free(struct watch *w)
{
	free(w);
}

int
watch_add(struct watch *w, void *owner, const char *dir,
    char *const *patterns, char *const *ignore, double delay, char *err,
    size_t errsize)
{
	(void)w;
	(void)owner;
	(void)dir;
	(void)patterns;
	(void)ignore;
	(void)delay;
	snprintf(err, errsize, "file watching is not built yet");
	return -1;
}

void
watch_remove(struct watch *w, void *owner)
{
	(void)w;
	(void)owner;
}
