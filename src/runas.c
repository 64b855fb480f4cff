/*
 * runas: getpwnam()/getgrouplist() for a program's user = NAME, in tend
 * (the child of vfork() may not call them: they take locks and allocate).
 * A NAME of digits is a uid, as supervisord reads it.
 */
#define _GNU_SOURCE
#include "runas.h"

#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RUNAS_MAX_GROUPS 65536

static bool
runas_is_number(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return n > 0 && n < 10 && s[n] == '\0';
}

/* USER's passwd entry, or NULL with ERR saying why. */
static struct passwd *
runas_lookup(const char *user, char *err, size_t size)
{
	struct passwd *pw;

	errno = 0;
	pw = runas_is_number(user) ? getpwuid((uid_t)strtoul(user, NULL, 10)) :
	    getpwnam(user);
	if (pw != NULL)
		return pw;
	if (errno != 0 && errno != ENOENT && errno != ESRCH)
		snprintf(err, size, "user '%s': cannot look it up: %s", user,
		    strerror(errno));
	else
		snprintf(err, size, "no user '%s' on this system", user);
	return NULL;
}

int
runas_check(const char *user, char *err, size_t size)
{
	return runas_lookup(user, err, size) != NULL ? 0 : -1;
}

/* The groups of PW (its own first), or -1. */
static int
runas_groups(const struct passwd *pw, struct runas *r)
{
	int n = 32;

	for (;;) {
		gid_t *g = realloc(r->groups, (size_t)n * sizeof *g);
		int want = n;

		if (g == NULL)
			return -1;
		r->groups = g;
		if (getgrouplist(pw->pw_name, pw->pw_gid, g, &want) != -1) {
			r->ngroups = (size_t)want;
			return 0;
		}
		if (want <= n || want > RUNAS_MAX_GROUPS)
			return -1;
		n = want;
	}
}

static int
runas_env(const struct passwd *pw, struct runas *r)
{
	if (asprintf(&r->env[0], "HOME=%s", pw->pw_dir) == -1) {
		r->env[0] = NULL;
		return -1;
	}
	if (asprintf(&r->env[1], "USER=%s", pw->pw_name) == -1) {
		r->env[1] = NULL;
		return -1;
	}
	if (asprintf(&r->env[2], "LOGNAME=%s", pw->pw_name) == -1) {
		r->env[2] = NULL;
		return -1;
	}
	return 0;
}

int
runas_resolve(const char *user, struct runas *r, char *err, size_t size)
{
	struct passwd *pw;
	uid_t me = geteuid();

	memset(r, 0, sizeof *r);
	if ((pw = runas_lookup(user, err, size)) == NULL)
		return -1;
	if (me != 0 && pw->pw_uid != me) {
		struct passwd *self = getpwuid(me);

		snprintf(err, size, "cannot run as user '%s': tend runs as %s, "
		    "not as root, so it cannot switch users", user,
		    self != NULL ? self->pw_name : "another user");
		return -1;
	}
	r->uid = pw->pw_uid;
	r->gid = pw->pw_gid;
	r->change = pw->pw_uid != me;
	if ((r->change && runas_groups(pw, r) == -1) ||
	    runas_env(pw, r) == -1) {
		snprintf(err, size, "cannot run as user '%s': out of memory", user);
		runas_free(r);
		return -1;
	}
	return 0;
}

void
runas_free(struct runas *r)
{
	size_t i;

	free(r->groups);
	for (i = 0; i < sizeof r->env / sizeof r->env[0]; i++)
		free(r->env[i]);
	memset(r, 0, sizeof *r);
}
