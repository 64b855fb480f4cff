/*
 * stopseq: stopping one program run, with escalation.
 *
 * stop_input first (when the program has one), then its stopsignal and a
 * SIGCONT (a stopped program must see the signal, not keep it pending),
 * then SIGKILL after stopwaitsecs; every signal goes to the program's
 * whole tree (group and session, see ptree.h).  The owner hears what was
 * done, as notes, and when the tree is gone.
 */
#ifndef TEND_STOPSEQ_H
#define TEND_STOPSEQ_H

#include <stdbool.h>

#include "config.h"
#include "loop.h"
#include "ptree.h"

struct stopseq_events {
	void (*note)(void *ctx, const char *msg);
	/* Write stop_input to the program's stdin; false if it cannot. */
	bool (*send_input)(void *ctx);
	/* Every process of the tree is gone. */
	void (*done)(void *ctx);
};

enum stopseq_phase {
	STOPSEQ_NONE,
	STOPSEQ_INPUT,		/* stop_input sent, waiting */
	STOPSEQ_SIGNAL,		/* stopsignal sent, waiting */
	STOPSEQ_KILL,		/* SIGKILL sent, waiting for the tree to go */
};

struct stopseq {
	struct loop *loop;
	const struct program_config *cfg;
	struct ptree *tree;
	const struct stopseq_events *ev;
	void *ctx;
	enum stopseq_phase phase;
	uint64_t timer;
};

void stopseq_init(struct stopseq *s, struct loop *loop,
    const struct program_config *cfg, struct ptree *tree,
    const struct stopseq_events *ev, void *ctx);

/* Begin a stop (with stop_input first if WITH_INPUT); -1 if one is on. */
int stopseq_begin(struct stopseq *s, bool with_input);
/* SIGKILL now, noting WHY; nothing new if a SIGKILL was already sent. */
void stopseq_kill(struct stopseq *s, const char *why);
/* The tree may have emptied (a child was reaped): end the stop if so. */
void stopseq_check(struct stopseq *s);
/* Forget the stop (a new run begins). */
void stopseq_cancel(struct stopseq *s);
bool stopseq_active(const struct stopseq *s);

#endif
