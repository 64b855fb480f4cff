/*
 * config: owns what a tend INI file means — its sections and keys, the
 * defaults and checks of each, the programs they describe — and the list
 * of messages a load collects, "FILE:LINE: message" each.
 *
 * configread.c reads the file through inih and hands over a section's
 * keys when the section ends, so a value continued on indented lines is
 * checked joined; configval.c says what a value's text means.
 */
#define _GNU_SOURCE
#include "config.h"

#include <ctype.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "configread.h"
#include "configval.h"

#define CONFIG_MAX_ERRORS 50
#define CONFIG_MAX_PROGRAMS 4096	/* four fds each; far past any session */
#define CONFIG_MAX_INT 1000000
#define CONFIG_KNOWN_KEYS 64	/* of a section: see config_key_id() */
#define CONFIG_MIN_PROBE_SECONDS 0.1	/* below this a probe loop costs a
					   core and a timeout means nothing */

enum config_section_kind {
	SECTION_NONE,		/* before the first header */
	SECTION_TEND,
	SECTION_PROGRAM,
	SECTION_SKIPPED,	/* supervisord's, or already reported */
};

/* A load in progress: the section being read. */
struct config_loader {
	struct config *cfg;
	enum config_section_kind kind;
	char *section;		/* its name, for messages */
	int section_line;
	int first_line[CONFIG_KNOWN_KEYS];	/* by config_key_id(); 0: not
						   seen in this section */
	int tend_line;		/* where [tend] was, 0 if not yet */
};

/* --- messages --------------------------------------------------------- */

static void
config_add(char ***list, size_t *n, char *msg)
{
	char **grown;

	if (msg == NULL)
		return;
	grown = realloc(*list, (*n + 1) * sizeof **list);
	if (grown == NULL) {
		free(msg);
		return;
	}
	*list = grown;
	(*list)[(*n)++] = msg;
}

/* The length of the valid UTF-8 sequence at S (N bytes there), with its
 * code point in *CP; 0 if S does not start one.  Overlong forms,
 * surrogates and code points past U+10FFFF are not valid. */
static size_t
config_utf8(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len, i;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, c = s[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 ||
	    c > 0x10ffff)) || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/*
 * MSG with its control characters made visible: messages quote the file,
 * and an ESC, CR or C1 byte printed raw would drive the terminal that
 * shows the error (retitle it, clear it, move the cursor).  C0, DEL and
 * C1 (as a raw byte outside valid UTF-8, or encoded as UTF-8) become \t,
 * \n, \r or \xHH, byte by byte; other text, UTF-8 or not, is kept.
 * Frees MSG.
 */
static char *
config_escape(char *msg)
{
	const unsigned char *s = (const unsigned char *)msg;
	size_t n = strlen(msg), i, len, o = 0;
	uint32_t cp;
	char *out;

	if ((out = malloc(n * 4 + 1)) == NULL) {
		free(msg);
		return NULL;
	}
	for (i = 0; i < n; i += len) {
		size_t j;
		bool control;

		len = config_utf8(s + i, n - i, &cp);
		control = len == 0 ? s[i] >= 0x80 && s[i] <= 0x9f :
		    cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
		if (len == 0)
			len = 1;
		for (j = i; j < i + len; j++) {
			if (!control)
				out[o++] = (char)s[j];
			else if (s[j] == '\t' || s[j] == '\n' || s[j] == '\r')
				o += (size_t)sprintf(out + o, "\\%c", s[j] == '\t' ?
				    't' : s[j] == '\n' ? 'n' : 'r');
			else
				o += (size_t)sprintf(out + o, "\\x%02x", s[j]);
		}
	}
	out[o] = '\0';
	free(msg);
	return out;
}

static void
config_vmsg(struct config *cfg, bool warning, int line, const char *fmt,
    va_list ap)
{
	char *text, *msg;
	int rc;

	if (!warning && cfg->nerrors > CONFIG_MAX_ERRORS)
		return;
	if (vasprintf(&text, fmt, ap) == -1)
		return;
	if (!warning && cfg->nerrors == CONFIG_MAX_ERRORS) {
		free(text);
		text = strdup("too many errors; stopping here");
		line = 0;
	}
	if (line > 0)
		rc = asprintf(&msg, "%s:%d: %s", cfg->path, line, text);
	else
		rc = asprintf(&msg, "%s: %s", cfg->path, text);
	free(text);
	if (rc == -1 || (msg = config_escape(msg)) == NULL)
		return;
	if (warning)
		config_add(&cfg->warnings, &cfg->nwarnings, msg);
	else
		config_add(&cfg->errors, &cfg->nerrors, msg);
}

static void __attribute__((format(printf, 3, 4)))
config_error(struct config *cfg, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	config_vmsg(cfg, false, line, fmt, ap);
	va_end(ap);
}

static void __attribute__((format(printf, 3, 4)))
config_warn(struct config *cfg, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	config_vmsg(cfg, true, line, fmt, ap);
	va_end(ap);
}

/* --- names and suggestions ------------------------------------------- */

static const char *const config_tend_keys[] = {
	"scrollback", "log_dir", "shell", NULL
};

static const char *const config_program_keys[] = {
	"command", "directory", "environment", "autostart", "autorestart",
	"exitcodes", "startsecs", "startretries", "stopsignal", "stopwaitsecs",
	"stop_input", "redirect_stderr", "pty", "ready_log", "probe_url",
	"probe_status", "probe_body", "probe_interval", "probe_timeout",
	"probe_command", "probe_tcp", "restart_unhealthy", "depends_on",
	"restart_dependents", "watch", "watch_ignore", "watch_delay", NULL
};

/* supervisord [program:x] keys tend reads but does not act on. */
static const char *const config_supervisord_keys[] = {
	"process_name", "numprocs", "numprocs_start", "priority", "user",
	"umask", "serverurl", "stdout_logfile", "stdout_logfile_maxbytes",
	"stdout_logfile_backups", "stdout_capture_maxbytes",
	"stdout_events_enabled", "stdout_syslog", "stderr_logfile",
	"stderr_logfile_maxbytes", "stderr_logfile_backups",
	"stderr_capture_maxbytes", "stderr_events_enabled", "stderr_syslog",
	"stopasgroup", "killasgroup", NULL
};

/* supervisord sections, skipped: exact names, then name prefixes. */
static const char *const config_skipped_sections[] = {
	"supervisord", "supervisorctl", "unix_http_server", "inet_http_server",
	"include", NULL
};
static const char *const config_skipped_prefixes[] = {
	"rpcinterface:", "group:", "eventlistener:", "fcgi-program:", NULL
};

_Static_assert(sizeof config_program_keys / sizeof config_program_keys[0] +
    sizeof config_supervisord_keys / sizeof config_supervisord_keys[0] <=
    CONFIG_KNOWN_KEYS, "CONFIG_KNOWN_KEYS is too small");

/*
 * A number for each key a section of KIND knows (its own keys, then for a
 * program the supervisord keys it ignores), or -1.  Repeats are looked for
 * among these only, in constant time, so a section of many keys reads in
 * linear time; an unknown key is an error whether repeated or not.
 */
static int
config_key_id(enum config_section_kind kind, const char *name)
{
	const char *const *own = kind == SECTION_TEND ? config_tend_keys :
	    config_program_keys;
	int id = 0;
	size_t i;

	for (i = 0; own[i] != NULL; i++, id++) {
		if (strcmp(own[i], name) == 0)
			return id;
	}
	if (kind != SECTION_PROGRAM)
		return -1;
	for (i = 0; config_supervisord_keys[i] != NULL; i++, id++) {
		if (strcmp(config_supervisord_keys[i], name) == 0)
			return id;
	}
	return -1;
}

static bool
config_in(const char *const *list, const char *word)
{
	for (; *list != NULL; list++) {
		if (strcmp(*list, word) == 0)
			return true;
	}
	return false;
}

/* --- values ------------------------------------------------------------ */

const char *
config_signal_name(int signo)
{
	return configval_signal_name(signo);
}

/* Report WHY, a message from configval (NULL: none), on LINE; frees it. */
static void
config_report(struct config *cfg, int line, char *why)
{
	if (why != NULL)
		config_error(cfg, line, "%s", why);
	free(why);
}

/* V with its %(...)s expanded, or NULL after reporting why. */
static char *
config_expand(struct config *cfg, int line, const char *v, const char *prog)
{
	char *why, *s = configval_expand(v, cfg->dir, prog, &why);

	config_report(cfg, line, why);
	return s;
}

/* --- program keys ------------------------------------------------------ */

enum config_type {
	T_STRING,		/* expanded */
	T_PATH,			/* expanded, relative to the config's folder */
	T_ENV, T_BOOL, T_INT, T_SECONDS, T_SIGNAL, T_EXITCODES, T_RESTART,
	T_URL, T_STATUS,
	T_HOSTPORT,		/* HOST:PORT */
	T_LIST,			/* comma-separated, each expanded */
	T_DEPS,			/* NAME or NAME:CONDITION, comma-separated */
};

static const struct config_key {
	const char *name;
	enum config_type type;
	size_t offset;
} config_program_table[] = {
#define K(name, type) { #name, type, offsetof(struct program_config, name) }
	K(command, T_STRING), K(directory, T_PATH), K(environment, T_ENV),
	K(autostart, T_BOOL), K(autorestart, T_RESTART),
	K(exitcodes, T_EXITCODES), K(startsecs, T_INT), K(startretries, T_INT),
	K(stopsignal, T_SIGNAL), K(stopwaitsecs, T_INT),
	K(stop_input, T_STRING), K(redirect_stderr, T_BOOL), K(pty, T_BOOL),
	K(ready_log, T_STRING), K(probe_url, T_URL), K(probe_status, T_STATUS),
	K(probe_body, T_STRING), K(probe_interval, T_SECONDS),
	K(probe_timeout, T_SECONDS), K(probe_command, T_STRING),
	K(probe_tcp, T_HOSTPORT), K(restart_unhealthy, T_INT),
	K(depends_on, T_DEPS), K(restart_dependents, T_BOOL),
	K(watch, T_LIST), K(watch_ignore, T_LIST), K(watch_delay, T_SECONDS),
#undef K
};

static void
config_replace(char **field, char *value)
{
	free(*field);
	*field = value;
}

static char *config_expand(struct config *cfg, int line, const char *v,
    const char *prog);

/* A comma-separated list (watch, watch_ignore), each item expanded. */
static int
config_list(struct config *cfg, struct program_config *pc,
    const struct configread_entry *e, char ***field)
{
	char **items = configval_list(e->value), **p;

	if (items == NULL) {
		config_error(cfg, e->line, "out of memory");
		return -1;
	}
	for (p = items; *p != NULL; p++) {
		char *x = config_expand(cfg, e->line, *p, pc->name);

		if (x == NULL) {
			configval_free_strv(items);
			return -1;
		}
		config_replace(p, x);
	}
	configval_free_strv(*field);
	*field = items;
	return 0;
}

static void
config_free_deps(struct program_config *pc)
{
	size_t i;

	for (i = 0; i < pc->ndepends_on; i++)
		free(pc->depends_on[i].name);
	free(pc->depends_on);
	pc->depends_on = NULL;
	pc->ndepends_on = 0;
}

/* depends_on = db, migrate:completed_successfully */
static int
config_deps(struct config *cfg, struct program_config *pc,
    const struct configread_entry *e)
{
	static const char *const conds[] = {
		"started", "ready", "completed", "completed_successfully", NULL
	};
	char **items = configval_list(e->value), **p;
	size_t n = 0, i;

	config_free_deps(pc);
	if (items == NULL)
		return -1;
	for (p = items; *p != NULL; p++)
		n++;
	pc->depends_on = calloc(n + 1, sizeof *pc->depends_on);
	pc->depends_line = e->line;
	for (p = items; pc->depends_on != NULL && *p != NULL; p++) {
		char *colon = strchr(*p, ':');
		struct config_dep *d = &pc->depends_on[pc->ndepends_on];

		d->cond = CONFIG_DEP_DEFAULT;
		if (colon != NULL) {
			*colon = '\0';
			for (i = 0; conds[i] != NULL &&
			    strcmp(conds[i], colon + 1) != 0; i++)
				;
			if (conds[i] == NULL) {
				const char *near = configval_nearest(conds, colon + 1);

				config_error(cfg, e->line, "depends_on: '%s' is not a "
				    "condition (started, ready, completed, "
				    "completed_successfully)%s%s%s", colon + 1,
				    near ? "; did you mean '" : "", near ? near : "",
				    near ? "'?" : "");
				continue;
			}
			d->cond = (enum config_dep_cond)(CONFIG_DEP_STARTED + i);
		}
		d->name = strdup(*p);
		pc->ndepends_on++;
	}
	configval_free_strv(items);
	return 0;
}

/* Every name depends_on names must be a program; the order must have no
 * cycle ("depends_on cycle: web -> worker -> web"). */
static struct program_config *
config_find_program(struct config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->nprograms; i++) {
		if (strcmp(cfg->programs[i].name, name) == 0)
			return &cfg->programs[i];
	}
	return NULL;
}

enum { CONFIG_WHITE, CONFIG_GREY, CONFIG_BLACK };

/* Depth first from program I; PATH holds the chain to it.  Returns true
 * (and reports) when a cycle is found. */
static bool
config_cycle_from(struct config *cfg, size_t i, unsigned char *colour,
    size_t *path, size_t depth)
{
	struct program_config *pc = &cfg->programs[i];
	size_t d, k;

	colour[i] = CONFIG_GREY;
	path[depth] = i;
	for (d = 0; d < pc->ndepends_on; d++) {
		struct program_config *to = config_find_program(cfg,
		    pc->depends_on[d].name);
		size_t j;

		if (to == NULL)
			continue;
		j = (size_t)(to - cfg->programs);
		if (colour[j] == CONFIG_GREY) {
			char chain[1024];
			size_t len = 0, start = 0;

			while (path[start] != j)
				start++;
			for (k = start; k <= depth && len < sizeof chain; k++)
				len += (size_t)snprintf(chain + len, sizeof chain - len,
				    "%s -> ", cfg->programs[path[k]].name);
			if (len < sizeof chain)
				snprintf(chain + len, sizeof chain - len, "%s", to->name);
			config_error(cfg, cfg->programs[j].depends_line,
			    "depends_on cycle: %s", chain);
			return true;
		}
		if (colour[j] == CONFIG_WHITE &&
		    config_cycle_from(cfg, j, colour, path, depth + 1))
			return true;
	}
	colour[i] = CONFIG_BLACK;
	return false;
}

static void
config_check_deps(struct config *cfg)
{
	unsigned char *colour = calloc(cfg->nprograms + 1, 1);
	size_t *path = calloc(cfg->nprograms + 1, sizeof *path), i, d;

	for (i = 0; i < cfg->nprograms; i++) {
		struct program_config *pc = &cfg->programs[i];

		for (d = 0; d < pc->ndepends_on; d++) {
			const char *name = pc->depends_on[d].name;

			if (strcmp(name, pc->name) == 0)
				config_error(cfg, pc->depends_line, "depends_on: "
				    "[program:%s] cannot depend on itself", name);
			else if (config_find_program(cfg, name) == NULL)
				config_error(cfg, pc->depends_line, "depends_on: no "
				    "program '%s'", name);
		}
	}
	for (i = 0; colour != NULL && path != NULL && i < cfg->nprograms; i++) {
		if (colour[i] == CONFIG_WHITE &&
		    config_cycle_from(cfg, i, colour, path, 0))
			break;
	}
	free(colour);
	free(path);
}

/*
 * A probe's seconds (every T_SECONDS key is one): an interval of 0 means
 * "only on demand", but a timeout of 0 would be read by libcurl as none at
 * all, so it is refused.  A positive value below the floor is raised to it
 * with a warning: the user asked for "often" or "quick", which the floor
 * still is.
 */
static int
config_probe_seconds(struct config *cfg, const struct config_key *k,
    const struct configread_entry *e, double d, double *field)
{
	if (d == 0 && k->offset == offsetof(struct program_config,
	    probe_timeout)) {
		config_error(cfg, e->line, "%s: '%s' must be more than 0 seconds "
		    "(a probe always has a timeout)", k->name, e->value);
		return -1;
	}
	if (d > 0 && d < CONFIG_MIN_PROBE_SECONDS) {
		config_warn(cfg, e->line, "%s: '%s' is less than %g seconds; "
		    "using %g", k->name, e->value, CONFIG_MIN_PROBE_SECONDS,
		    CONFIG_MIN_PROBE_SECONDS);
		d = CONFIG_MIN_PROBE_SECONDS;
	}
	*field = d;
	return 0;
}

/* Set one typed field; returns 0, or -1 after reporting the error. */
static int
config_set(struct config *cfg, struct program_config *pc,
    const struct config_key *k, const struct configread_entry *e)
{
	void *field = (char *)pc + k->offset;
	const char *v = e->value;
	char *s, *why;
	long n;
	double d;

	switch (k->type) {
	case T_STRING:
	case T_PATH:
		s = config_expand(cfg, e->line, v, pc->name);
		if (s != NULL && k->type == T_PATH)
			config_replace(&s, configval_path(cfg->dir, s));
		if (s == NULL)
			return -1;
		config_replace(field, s);
		return 0;
	case T_ENV:
		configval_free_strv(*(char ***)field);
		*(char ***)field = configval_environment(v, cfg->dir, pc->name,
		    &why);
		config_report(cfg, e->line, why);
		return *(char ***)field == NULL ? -1 : 0;
	case T_BOOL:
		if ((n = configval_bool(v)) == -1)
			break;
		*(bool *)field = n;
		return 0;
	case T_INT:
		if ((n = configval_uint(v, CONFIG_MAX_INT)) == -1)
			break;
		*(int *)field = (int)n;
		return 0;
	case T_SECONDS:
		if ((d = configval_seconds(v, CONFIG_MAX_INT)) < 0)
			break;
		return config_probe_seconds(cfg, k, e, d, field);
	case T_SIGNAL:
		if ((n = configval_stopsignal(v)) == -1)
			break;
		*(int *)field = (int)n;
		return 0;
	case T_EXITCODES:
		if (configval_exitcodes(v, field) == -1)
			break;
		return 0;
	case T_RESTART:
		if (strcasecmp(v, "unexpected") == 0)
			n = CONFIG_RESTART_UNEXPECTED;
		else if ((n = configval_bool(v)) == -1)
			break;
		else
			n = n ? CONFIG_RESTART_ALWAYS : CONFIG_RESTART_NEVER;
		*(enum config_autorestart *)field = (enum config_autorestart)n;
		return 0;
	case T_URL:
		if (strncasecmp(v, "http://", 7) != 0 &&
		    strncasecmp(v, "https://", 8) != 0)
			break;
		config_replace(field, strdup(v));
		return 0;
	case T_STATUS:
		if ((n = configval_uint(v, 599)) < 100)
			break;
		*(int *)field = (int)n;
		return 0;
	case T_HOSTPORT:
		if (!configval_hostport(v))
			break;
		config_replace(field, strdup(v));
		return 0;
	case T_LIST:
		return config_list(cfg, pc, e, field);
	case T_DEPS:
		return config_deps(cfg, pc, e);
	}
	config_error(cfg, e->line, "%s: '%s' %s", k->name, v,
	    k->type == T_BOOL ? "must be true or false" :
	    k->type == T_INT ? (strstr(k->name, "secs") != NULL ?
	    "is not a whole number of seconds" : "is not a whole number") :
	    k->type == T_SECONDS ? "is not a number of seconds (0 or more)" :
	    k->type == T_SIGNAL ? "is not a signal tend can send "
	    "(TERM INT QUIT HUP KILL USR1 USR2)" :
	    k->type == T_EXITCODES ? "must be exit codes 0-255, comma "
	    "separated" :
	    k->type == T_RESTART ? "must be true, false or unexpected" :
	    k->type == T_URL ? "must start with http:// or https://" :
	    k->type == T_HOSTPORT ? "must be HOST:PORT (a port 1-65535)" :
	    "must be an HTTP status code (100-599)");
	return -1;
}

/* --- sections ---------------------------------------------------------- */

static const struct config_key *
config_program_key(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof config_program_table /
	    sizeof config_program_table[0]; i++) {
		if (strcmp(config_program_table[i].name, name) == 0)
			return &config_program_table[i];
	}
	return NULL;
}

static void
config_unknown_key(struct config_loader *l,
    const struct configread_entry *e, const char *const *known)
{
	const char *near;

	/* Past the cap no error is kept: spare the search for a near key,
	 * which is most of the time of a section of many unknown keys. */
	if (l->cfg->nerrors > CONFIG_MAX_ERRORS)
		return;
	near = configval_nearest(known, e->key);
	if (near != NULL)
		config_error(l->cfg, e->line, "unknown key '%s' in [%s]; did you "
		    "mean '%s'?", e->key, l->section, near);
	else
		config_error(l->cfg, e->line, "unknown key '%s' in [%s]", e->key,
		    l->section);
}

static void
config_program_defaults(struct program_config *pc)
{
	pc->autostart = true;
	pc->autorestart = CONFIG_RESTART_NEVER;
	pc->exitcodes[0] = 1;
	pc->startsecs = 1;
	pc->startretries = 3;
	pc->stopsignal = SIGTERM;
	pc->stopwaitsecs = 5;
	pc->probe_timeout = 2;
	pc->watch_delay = 0.3;
}

static void
config_end_program(struct config_loader *l,
    const struct configread_entry *entries, size_t n)
{
	struct config *cfg = l->cfg;
	struct program_config *pc = &cfg->programs[cfg->nprograms - 1];
	size_t i;

	for (i = 0; i < n; i++) {
		const struct configread_entry *e = &entries[i];
		const struct config_key *k = config_program_key(e->key);

		if (k != NULL)
			config_set(cfg, pc, k, e);
		else if (config_in(config_supervisord_keys, e->key))
			config_warn(cfg, e->line, "'%s' is a supervisord key tend "
			    "does not implement; ignored%s", e->key,
			    strstr(e->key, "asgroup") ? " (tend always signals "
			    "the whole process group)" : "");
		else
			config_unknown_key(l, e, config_program_keys);
	}
	if (pc->command == NULL || pc->command[strspn(pc->command, " \t")] ==
	    '\0')
		config_error(cfg, l->section_line, "[%s] has no command",
		    l->section);
	if ((pc->probe_url != NULL) + (pc->probe_command != NULL) +
	    (pc->probe_tcp != NULL) > 1)
		config_error(cfg, l->section_line, "[%s] has more than one of "
		    "probe_url, probe_command and probe_tcp; one probe a program",
		    l->section);
}

/* An empty log_dir would resolve to the config's folder, the way an empty
 * directory does; but no log_dir means no log files, so an empty one is
 * far more likely a slip than a wish for logs next to the config. */
static void
config_log_dir(struct config *cfg, const struct configread_entry *e)
{
	char *s;

	if (e->value[0] == '\0') {
		config_error(cfg, e->line, "log_dir is empty; leave it out for no "
		    "log files");
		return;
	}
	if ((s = config_expand(cfg, e->line, e->value, NULL)) == NULL)
		return;
	if (s[0] == '\0')
		config_error(cfg, e->line, "log_dir: '%s' is empty once expanded; "
		    "leave it out for no log files", e->value);
	else
		config_replace(&cfg->log_dir, configval_path(cfg->dir, s));
	free(s);
}

static void
config_end_tend(struct config_loader *l,
    const struct configread_entry *entries, size_t n)
{
	struct config *cfg = l->cfg;
	size_t i;
	long lines;

	for (i = 0; i < n; i++) {
		const struct configread_entry *e = &entries[i];

		if (strcmp(e->key, "scrollback") == 0) {
			if ((lines = configval_uint(e->value, 100000000)) > 0)
				cfg->scrollback = (size_t)lines;
			else
				config_error(cfg, e->line, "scrollback: '%s' must "
				    "be a whole number of lines above 0", e->value);
		} else if (strcmp(e->key, "log_dir") == 0) {
			config_log_dir(cfg, e);
		} else if (strcmp(e->key, "shell") == 0) {
			config_replace(&cfg->shell, strdup(e->value));
		} else {
			config_unknown_key(l, e, config_tend_keys);
		}
	}
}

/* configread: the section being read is complete; check and apply its
 * keys. */
static void
config_on_end(void *user, const struct configread_entry *entries, size_t n)
{
	struct config_loader *l = user;

	if (l->kind == SECTION_TEND)
		config_end_tend(l, entries, n);
	else if (l->kind == SECTION_PROGRAM)
		config_end_program(l, entries, n);
	memset(l->first_line, 0, sizeof l->first_line);
	free(l->section);
	l->section = NULL;
	l->kind = SECTION_SKIPPED;
}

static bool
config_valid_name(const char *name)
{
	size_t i;

	if (name[0] == '\0' || name[0] == '.')
		return false;
	for (i = 0; name[i] != '\0'; i++) {
		if (!isalnum((unsigned char)name[i]) && !strchr("_-.", name[i]))
			return false;
	}
	return true;
}

static void
config_begin_program(struct config_loader *l, const char *name, int line)
{
	struct config *cfg = l->cfg;
	struct program_config *grown;
	size_t i;

	if (!config_valid_name(name)) {
		config_error(cfg, line, "[program:%s]: a program name is "
		    "letters, digits, '_', '-' and '.' (not first)", name);
		return;
	}
	if (cfg->nprograms == CONFIG_MAX_PROGRAMS) {
		config_error(cfg, line, "more than %d programs",
		    CONFIG_MAX_PROGRAMS);
		return;
	}
	for (i = 0; i < cfg->nprograms; i++) {
		if (strcmp(cfg->programs[i].name, name) == 0) {
			config_error(cfg, line, "duplicate program '%s' (first "
			    "at line %d)", name, cfg->programs[i].line);
			return;
		}
	}
	grown = realloc(cfg->programs, (cfg->nprograms + 1) * sizeof *grown);
	if (grown == NULL)
		return;
	cfg->programs = grown;
	memset(&grown[cfg->nprograms], 0, sizeof *grown);
	config_program_defaults(&grown[cfg->nprograms]);
	grown[cfg->nprograms].name = strdup(name);
	grown[cfg->nprograms].line = line;
	cfg->nprograms++;
	l->kind = SECTION_PROGRAM;
}

static bool
config_skipped_section(const char *name)
{
	size_t i;

	if (config_in(config_skipped_sections, name))
		return true;
	for (i = 0; config_skipped_prefixes[i] != NULL; i++) {
		if (strncmp(name, config_skipped_prefixes[i],
		    strlen(config_skipped_prefixes[i])) == 0)
			return true;
	}
	return false;
}

/* configread: a "[NAME]" header on LINE. */
static void
config_on_section(void *user, const char *name, int line)
{
	static const char *const known[] = { "tend", "program:", NULL };
	struct config_loader *l = user;
	const char *near;

	l->section = strdup(name);
	l->section_line = line;
	l->kind = SECTION_SKIPPED;
	if (strcmp(name, "tend") == 0) {
		if (l->tend_line != 0) {
			config_error(l->cfg, line, "duplicate [tend] (first at "
			    "line %d)", l->tend_line);
			return;
		}
		l->tend_line = line;
		l->kind = SECTION_TEND;
	} else if (strncmp(name, "program:", 8) == 0) {
		config_begin_program(l, name + 8, line);
	} else if (config_skipped_section(name)) {
		config_warn(l->cfg, line, "[%s] is a supervisord section; tend "
		    "skips it", name);
	} else if (strchr(name, ':') != NULL &&
	    configval_distance(strndupa(name, strcspn(name, ":") + 1),
	    "program:") <= 2) {
		config_error(l->cfg, line, "unknown section [%s]; did you mean "
		    "[program:%s]?", name, strchr(name, ':') + 1);
	} else if ((near = configval_nearest(known, name)) != NULL) {
		config_error(l->cfg, line, "unknown section [%s]; did you mean "
		    "[%s]?", name, near);
	} else {
		config_error(l->cfg, line, "unknown section [%s] (tend reads "
		    "[tend] and [program:NAME])", name);
	}
}

/* configread: "KEY = value" on LINE; refused outside a section, in a
 * skipped one, and when repeated. */
static bool
config_on_key(void *user, const char *key, int line)
{
	struct config_loader *l = user;
	int id;

	if (l->kind == SECTION_NONE) {
		config_error(l->cfg, line, "'%s' is outside any section "
		    "(start with [program:NAME])", key);
		return false;
	}
	if (l->kind == SECTION_SKIPPED)
		return false;
	id = config_key_id(l->kind, key);
	if (id >= 0 && l->first_line[id] != 0) {
		config_error(l->cfg, line, "duplicate key '%s' in [%s] (first "
		    "at line %d)", key, l->section, l->first_line[id]);
		return false;
	}
	if (id >= 0)
		l->first_line[id] = line;
	return true;
}

/* --- loading ----------------------------------------------------------- */

static char *
config_dir_of(const char *path)
{
	char *real = realpath(path, NULL), *slash, *dir;

	if (real == NULL)
		return getcwd(NULL, 0);
	slash = strrchr(real, '/');
	if (slash == real)
		slash[1] = '\0';
	else if (slash != NULL)
		*slash = '\0';
	dir = strdup(real);
	free(real);
	return dir;
}

static void __attribute__((format(printf, 4, 0)))
config_on_report(void *user, bool warning, int line, const char *fmt,
    va_list ap)
{
	struct config_loader *l = user;

	config_vmsg(l->cfg, warning, line, fmt, ap);
}

int
config_load(const char *path, struct config *cfg)
{
	static const struct configread_ops ops = {
		.section = config_on_section,
		.key = config_on_key,
		.end = config_on_end,
		.report = config_on_report,
	};
	struct config_loader l;

	memset(cfg, 0, sizeof *cfg);
	memset(&l, 0, sizeof l);
	cfg->path = strdup(path);
	cfg->dir = config_dir_of(path);
	cfg->shell = strdup("/bin/sh");
	cfg->scrollback = CONFIG_DEFAULT_SCROLLBACK;
	if (cfg->path == NULL || cfg->dir == NULL || cfg->shell == NULL) {
		config_error(cfg, 0, "out of memory");
		return -1;
	}
	l.cfg = cfg;
	if (configread_file(cfg->path, &ops, &l) == -1)
		return -1;
	if (cfg->nprograms == 0)
		config_error(cfg, 0, "no [program:NAME] sections");
	config_check_deps(cfg);
	return cfg->nerrors > 0 ? -1 : 0;
}

static void
config_free_program(struct program_config *pc)
{
	free(pc->name);
	free(pc->command);
	free(pc->directory);
	configval_free_strv(pc->environment);
	free(pc->stop_input);
	free(pc->ready_log);
	free(pc->probe_url);
	free(pc->probe_body);
	free(pc->probe_command);
	free(pc->probe_tcp);
	config_free_deps(pc);
	configval_free_strv(pc->watch);
	configval_free_strv(pc->watch_ignore);
}

void
config_free(struct config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->nprograms; i++)
		config_free_program(&cfg->programs[i]);
	free(cfg->programs);
	for (i = 0; i < cfg->nerrors; i++)
		free(cfg->errors[i]);
	for (i = 0; i < cfg->nwarnings; i++)
		free(cfg->warnings[i]);
	free(cfg->errors);
	free(cfg->warnings);
	free(cfg->path);
	free(cfg->dir);
	free(cfg->log_dir);
	free(cfg->shell);
	memset(cfg, 0, sizeof *cfg);
}

static bool
config_same_str(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	    (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static bool
config_same_strv(char *const *a, char *const *b)
{
	size_t i;

	if (a == NULL || b == NULL)
		return a == b;
	for (i = 0; a[i] != NULL && b[i] != NULL; i++) {
		if (strcmp(a[i], b[i]) != 0)
			return false;
	}
	return a[i] == NULL && b[i] == NULL;
}

static bool
config_same_deps(const struct program_config *a,
    const struct program_config *b)
{
	size_t i;

	if (a->ndepends_on != b->ndepends_on)
		return false;
	for (i = 0; i < a->ndepends_on; i++) {
		if (a->depends_on[i].cond != b->depends_on[i].cond ||
		    strcmp(a->depends_on[i].name, b->depends_on[i].name) != 0)
			return false;
	}
	return true;
}

bool
config_program_same(const struct config *ca, const struct program_config *a,
    const struct config *cb, const struct program_config *b)
{
	return config_same_str(ca->shell, cb->shell) &&
	    config_same_str(ca->dir, cb->dir) &&
	    config_same_str(ca->log_dir, cb->log_dir) &&
	    config_same_str(a->name, b->name) &&
	    config_same_str(a->command, b->command) &&
	    config_same_str(a->directory, b->directory) &&
	    config_same_strv(a->environment, b->environment) &&
	    a->autostart == b->autostart && a->autorestart == b->autorestart &&
	    memcmp(a->exitcodes, b->exitcodes, sizeof a->exitcodes) == 0 &&
	    a->startsecs == b->startsecs && a->startretries == b->startretries &&
	    a->stopsignal == b->stopsignal &&
	    a->stopwaitsecs == b->stopwaitsecs &&
	    config_same_str(a->stop_input, b->stop_input) &&
	    a->redirect_stderr == b->redirect_stderr && a->pty == b->pty &&
	    config_same_str(a->ready_log, b->ready_log) &&
	    config_same_str(a->probe_url, b->probe_url) &&
	    a->probe_status == b->probe_status &&
	    config_same_str(a->probe_body, b->probe_body) &&
	    a->probe_interval == b->probe_interval &&
	    a->probe_timeout == b->probe_timeout &&
	    config_same_str(a->probe_command, b->probe_command) &&
	    config_same_str(a->probe_tcp, b->probe_tcp) &&
	    a->restart_unhealthy == b->restart_unhealthy &&
	    config_same_deps(a, b) &&
	    a->restart_dependents == b->restart_dependents &&
	    config_same_strv(a->watch, b->watch) &&
	    config_same_strv(a->watch_ignore, b->watch_ignore) &&
	    a->watch_delay == b->watch_delay;
}
