/*
 * ptree: the processes of one program run.
 *
 * spawn.c makes every program the leader of a new session and process
 * group, so both ids equal its pid.  A signal goes to the group with one
 * kill(); processes that left the group (GNU timeout, a shell's job
 * control) are still in the session, and are found by scanning /proc for
 * the session id, which a process keeps when it is reparented.  The tree
 * is gone when the group is empty and nothing is left in the session;
 * once gone it stays gone (a session gains members only by fork).
 */
#ifndef TEND_PTREE_H
#define TEND_PTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct ptree {
	pid_t id;		/* group and session id; 0: no tree */
	bool group_gone;	/* kill(-id, 0) found nothing */
};

/* The tree of a program whose leader is LEADER (0: none). */
void ptree_init(struct ptree *t, pid_t leader);

/* SIG to the group, and to every process of the session outside it.
 * Returns how many processes outside the group were signalled; the
 * first MAX of their pids go to PIDS. */
size_t ptree_signal(struct ptree *t, int sig, pid_t *pids, size_t max);

/* Processes of the tree still exist (zombies not reaped count). */
bool ptree_alive(struct ptree *t);

/* Up to MAX processes of the session outside the group; returns how
 * many there are in all.  For notes: "left behind: 4242 sleep". */
size_t ptree_leftovers(const struct ptree *t, pid_t *pids, size_t max);

/* The scans above share one reading of /proc until this is called: the
 * engine calls it at the end of every loop turn and on both sides of
 * reaping, so that stopping many programs reads /proc once a turn, not
 * once a signal.  Within a turn a process that has just been killed may
 * still be seen (the tree counts as alive a little longer).  The one
 * thing a reading can miss is a process that leaves the group, and the
 * group emptying, both between that reading and the check: the same
 * race a scan of its own always had, over a turn's milliseconds. */
void ptree_forget(void);

/* The command name of PID ("sleep"), or "?" */
void ptree_comm(pid_t pid, char *buf, size_t size);

#endif
