/*
 * procfile: owns the syntax of a Procfile — "NAME: command" lines,
 * comments, which file names are Procfiles — and nothing else: the text
 * comes from the caller, problems go back to it by line.
 */
#define _GNU_SOURCE		/* strndup */
#include "procfile.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROCFILE_QUOTE_MAX 40	/* of a line quoted in a message */

static void __attribute__((format(printf, 4, 5)))
procfile_error(procfile_report_fn report, void *user, int line,
    const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	report(user, line, msg);
}

bool
procfile_valid_name(const char *name, size_t n)
{
	size_t i;

	if (n == 0 || name[0] == '.')
		return false;
	for (i = 0; i < n; i++) {
		if (!isalnum((unsigned char)name[i]) && !strchr("_-.", name[i]))
			return false;
	}
	return true;
}

bool
procfile_is_name(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base != NULL ? base + 1 : path;
	n = strlen(base);
	return strcmp(base, "Procfile") == 0 ||
	    (strncmp(base, "Procfile.", 9) == 0 && n > 9) ||
	    (n > 9 && strcmp(base + n - 9, ".procfile") == 0);
}

static bool
procfile_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Add NAME (N bytes) and COMMAND (M bytes) of LINE; -1 if NAME is there
 * already (reported) or memory ran out. */
static int
procfile_add(struct procfile *pf, const char *name, size_t n,
    const char *command, size_t m, int line, procfile_report_fn report,
    void *user)
{
	struct procfile_entry *grown;
	size_t i;

	for (i = 0; i < pf->n; i++) {
		if (strlen(pf->entries[i].name) == n &&
		    memcmp(pf->entries[i].name, name, n) == 0) {
			procfile_error(report, user, line, "duplicate program "
			    "'%.*s' (first at line %d)", (int)n, name,
			    pf->entries[i].line);
			return -1;
		}
	}
	grown = realloc(pf->entries, (pf->n + 1) * sizeof *grown);
	if (grown == NULL)
		return -1;
	pf->entries = grown;
	grown[pf->n].name = strndup(name, n);
	grown[pf->n].command = strndup(command, m);
	grown[pf->n].line = line;
	if (grown[pf->n].name == NULL || grown[pf->n].command == NULL) {
		free(grown[pf->n].name);
		free(grown[pf->n].command);
		return -1;
	}
	pf->n++;
	return 0;
}

/* One line, S (N bytes, no line ending); -1 if it is bad. */
static int
procfile_line(struct procfile *pf, const char *s, size_t n, int line,
    procfile_report_fn report, void *user)
{
	const char *end = s + n, *colon, *cmd;
	size_t namelen;

	while (s < end && procfile_blank(*s))
		s++;
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	if (s == end || *s == '#')
		return 0;
	if ((colon = memchr(s, ':', (size_t)(end - s))) == NULL) {
		procfile_error(report, user, line, "'%.*s' is not 'NAME: "
		    "command'", end - s > PROCFILE_QUOTE_MAX ? PROCFILE_QUOTE_MAX :
		    (int)(end - s), s);
		return -1;
	}
	for (namelen = (size_t)(colon - s); namelen > 0 &&
	    procfile_blank(s[namelen - 1]); namelen--)
		;
	if (!procfile_valid_name(s, namelen)) {
		procfile_error(report, user, line, "'%.*s' is not a program name "
		    "(letters, digits, '_', '-' and '.', not first)",
		    namelen > PROCFILE_QUOTE_MAX ? PROCFILE_QUOTE_MAX :
		    (int)namelen, s);
		return -1;
	}
	for (cmd = colon + 1; cmd < end && isspace((unsigned char)*cmd); cmd++)
		;
	if (cmd == end) {
		procfile_error(report, user, line, "%.*s has no command",
		    (int)namelen, s);
		return -1;
	}
	return procfile_add(pf, s, namelen, cmd, (size_t)(end - cmd), line,
	    report, user);
}

int
procfile_parse(const char *text, size_t len, struct procfile *pf,
    procfile_report_fn report, void *user)
{
	const char *p = text, *end = text + len, *nl;
	int line = 0, rc = 0;

	memset(pf, 0, sizeof *pf);
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		line++;
		if (memchr(p, '\0', (size_t)(nl - p)) != NULL) {
			procfile_error(report, user, line, "a NUL byte: this is "
			    "not a text file");
			return -1;
		}
		if (procfile_line(pf, p, (size_t)(nl - p), line, report, user) ==
		    -1)
			rc = -1;
	}
	return rc;
}

void
procfile_free(struct procfile *pf)
{
	size_t i;

	for (i = 0; i < pf->n; i++) {
		free(pf->entries[i].name);
		free(pf->entries[i].command);
	}
	free(pf->entries);
	memset(pf, 0, sizeof *pf);
}
