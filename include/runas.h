/*
 * runas: the user a program runs as (supervisord's user = NAME).
 *
 * Resolved in tend, before the child is made: the user's ids, its
 * groups and the HOME, USER and LOGNAME it gets, so that the child only
 * has to make the system calls that switch (see spawn.c).  Only root
 * can switch to another user; a user that is tend's own needs nothing.
 */
#ifndef TEND_RUNAS_H
#define TEND_RUNAS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct runas {
	bool change;		/* the child must switch to uid, gid, groups */
	uid_t uid;
	gid_t gid;
	gid_t *groups;		/* supplementary groups, with gid */
	size_t ngroups;
	char *env[4];		/* HOME=, USER=, LOGNAME=, NULL */
};

/* Is USER (a name, or a uid number) a user of this system?  0, or -1
 * with the reason in ERR. */
int runas_check(const char *user, char *err, size_t size);

/* Resolve USER into R (runas_free() it after the spawn); 0, or -1 with
 * the reason in ERR: no such user, or tend is not root and USER is not
 * tend's own. */
int runas_resolve(const char *user, struct runas *r, char *err,
    size_t size);
void runas_free(struct runas *r);

#endif
