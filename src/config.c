/*
 * config: owns what a tend config means — the INI file's sections and
 * keys, the defaults and checks of each, a Procfile's programs and how an
 * INI file's sections add to them, the variables each program gets from
 * .env and env_file files — and the list of messages a load collects,
 * "FILE:LINE: message" each.
 *
 * configread.c reads the INI file through inih and hands over a section's
 * keys when the section ends, so a value continued on indented lines is
 * checked joined; configval.c says what a value's text means; procfile.c
 * and dotenv.c read the syntax of the other two kinds of file.
 */
#define _GNU_SOURCE
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "configread.h"
#include "configval.h"
#include "dotenv.h"
#include "procfile.h"
#include "runas.h"

#define CONFIG_MAX_ERRORS 50
#define CONFIG_MAX_WARNINGS 100
#define CONFIG_COMMENT_SHOWN 40	/* bytes of a cut comment quoted */
#define CONFIG_MAX_PROGRAMS 4096	/* four fds each; far past any session */
#define CONFIG_MAX_INT 1000000
#define CONFIG_MAX_LOG_BYTES (1LL << 50)	/* a petabyte: past any disk */
#define CONFIG_MAX_LOG_BACKUPS 1000	/* a rotation renames each: the loop
					   must not stall on it */
#define CONFIG_KNOWN_KEYS 64	/* of a section: see config_key_id() */
#define CONFIG_MIN_PROBE_SECONDS 0.1	/* below this a probe loop costs a
					   core and a timeout means nothing */

enum config_section_kind {
	SECTION_NONE,		/* before the first header */
	SECTION_TEND,
	SECTION_PROGRAM,
	SECTION_SKIPPED,	/* supervisord's, or already reported */
};

/* An env file read for this load (each is read once, whoever names it). */
struct config_envfile {
	char *path;		/* absolute */
	struct dotenv env;
	bool ok;		/* it could be read */
};

/* A load in progress: the section being read, and what the whole file
 * said that is applied once it has been read. */
struct config_loader {
	struct config *cfg;
	enum config_section_kind kind;
	char *section;		/* its name, for messages */
	int section_line;
	int first_line[CONFIG_KNOWN_KEYS];	/* by config_key_id(); 0: not
						   seen in this section */
	int tend_line;		/* where [tend] was, 0 if not yet */
	int procfile_line;	/* of [tend] procfile */
	int port_base_line;	/* of [tend] port_base */
	int env_file_line;	/* of [tend] env_file */
	int *env_file_lines;	/* of each program's env_file, by index */
	bool *pty_set;		/* whether each program's section set pty */
	size_t nset;		/* entries in those two */

	struct config_envfile **envfiles;	/* each on its own: what
						   was read stays put */
	size_t nenvfiles;
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
config_vmsg(struct config *cfg, bool warning, const char *file, int line,
    const char *fmt, va_list ap)
{
	char *text, *msg;
	int rc;

	if (file == NULL)
		file = cfg->path;
	if (!warning && cfg->nerrors > CONFIG_MAX_ERRORS)
		return;
	if (warning && cfg->nwarnings > CONFIG_MAX_WARNINGS)
		return;
	if (vasprintf(&text, fmt, ap) == -1)
		return;
	if ((!warning && cfg->nerrors == CONFIG_MAX_ERRORS) ||
	    (warning && cfg->nwarnings == CONFIG_MAX_WARNINGS)) {
		free(text);
		text = strdup(warning ? "too many warnings; not showing more" :
		    "too many errors; stopping here");
		file = cfg->path;
		line = 0;
		if (text == NULL)
			return;
	}
	if (line > 0)
		rc = asprintf(&msg, "%s:%d: %s", file, line, text);
	else
		rc = asprintf(&msg, "%s: %s", file, text);
	free(text);
	if (rc == -1 || (msg = config_escape(msg)) == NULL)
		return;
	if (warning)
		config_add(&cfg->warnings, &cfg->nwarnings, msg);
	else
		config_add(&cfg->errors, &cfg->nerrors, msg);
}

void
config_message(struct config *cfg, bool warning, const char *file, int line,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	config_vmsg(cfg, warning, file, line, fmt, ap);
	va_end(ap);
}

static void __attribute__((format(printf, 3, 4)))
config_error(struct config *cfg, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	config_vmsg(cfg, false, NULL, line, fmt, ap);
	va_end(ap);
}

static void __attribute__((format(printf, 3, 4)))
config_warn(struct config *cfg, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	config_vmsg(cfg, true, NULL, line, fmt, ap);
	va_end(ap);
}

int
config_program_where(const struct config *cfg,
    const struct program_config *pc, const char **file)
{
	*file = NULL;
	if (pc->line > 0 || pc->procfile_line == 0)
		return pc->line;
	*file = cfg->procfile;
	return pc->procfile_line;
}

/* --- names and suggestions ------------------------------------------- */

static const char *const config_tend_keys[] = {
	"scrollback", "log_dir", "shell", "procfile", "port_base", "env_file",
	"log_max_bytes", "log_backups", "log_timestamps", NULL
};

static const char *const config_program_keys[] = {
	"command", "directory", "environment", "autostart", "autorestart",
	"exitcodes", "startsecs", "startretries", "stopsignal", "stopwaitsecs",
	"stop_input", "redirect_stderr", "pty", "ready_log", "probe_url",
	"probe_status", "probe_body", "probe_interval", "probe_timeout",
	"probe_command", "probe_tcp", "restart_unhealthy", "depends_on",
	"restart_dependents", "watch", "watch_ignore", "watch_delay",
	"env_file", "priority", "umask", "user", "stopasgroup", "killasgroup",
	"numprocs", "numprocs_start", "process_name", "stdout_logfile",
	"stdout_logfile_maxbytes", "stdout_logfile_backups", "stderr_logfile",
	"stderr_logfile_maxbytes", "stderr_logfile_backups", "log_timestamps",
	NULL
};

/* Keys that say how many copies a section makes and their names: read
 * before the others, which are then read once per copy. */
static const char *const config_copy_keys[] = {
	"numprocs", "numprocs_start", "process_name", NULL
};

/* supervisord [program:x] keys tend reads but does not act on. */
static const char *const config_supervisord_keys[] = {
	"serverurl", "stdout_capture_maxbytes", "stdout_events_enabled",
	"stdout_syslog", "stderr_capture_maxbytes", "stderr_events_enabled",
	"stderr_syslog", NULL
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

/* Report WHY, a message from configval (NULL: none), on LINE after
 * PREFIX ("KEY: " or ""); frees it. */
static void
config_report(struct config *cfg, int line, const char *prefix, char *why)
{
	if (why != NULL)
		config_error(cfg, line, "%s%s", prefix, why);
	free(why);
}

/*
 * V of KEY with its %(...)s expanded (%(program_name)s being PROG), or
 * NULL after reporting why on LINE.  supervisord expands every value of a
 * section this way, so tend does too; a variable that is not set is an
 * error, whichever key it is in.
 */
static char *
config_expand(struct config *cfg, int line, const char *key, const char *v,
    const char *prog)
{
	char *why, *s = configval_expand(v, cfg->dir, prog, &why), prefix[64];

	snprintf(prefix, sizeof prefix, "%s: ", key);
	config_report(cfg, line, prefix, why);
	return s;
}

/* The items of a comma-separated list, each expanded after the split (a
 * comma a variable holds stays in its item); NULL after reporting. */
static char **
config_expanded_list(struct config *cfg, const struct configread_entry *e,
    const char *prog)
{
	char **items = configval_list(e->value), **p;

	if (items == NULL) {
		config_error(cfg, e->line, "out of memory");
		return NULL;
	}
	for (p = items; *p != NULL; p++) {
		char *x = config_expand(cfg, e->line, e->key, *p, prog);

		if (x == NULL) {
			configval_free_strv(items);
			return NULL;
		}
		free(*p);
		*p = x;
	}
	return items;
}

/* How a path the config names is shown in messages and opened from where
 * tend runs: as written when absolute or when the config is in the
 * current folder, else after the config's own folder as CONFIG gave it
 * ("sub/tend.ini" and ".env" make "sub/.env").  A new string. */
static char *
config_shown_path(const struct config *cfg, const char *v)
{
	const char *slash = strrchr(cfg->path, '/');
	char *out;

	if (v[0] == '/' || slash == NULL)
		return strdup(v);
	if (strncmp(v, "./", 2) == 0)
		v += 2;
	if (asprintf(&out, "%.*s/%s", (int)(slash - cfg->path), cfg->path,
	    v) == -1)
		return NULL;
	return out;
}

/* An absolute path under the config's folder, as config_shown_path()
 * shows it. */
static char *
config_shown_abs(const struct config *cfg, const char *abs)
{
	size_t n = strlen(cfg->dir);

	if (strncmp(abs, cfg->dir, n) == 0 && abs[n] == '/')
		return config_shown_path(cfg, abs + n + 1);
	return strdup(abs);
}

/* A list of files relative to the config's folder (env_file): absolute
 * paths, NULL-terminated; NULL after reporting. */
static char **
config_files(struct config *cfg, const struct configread_entry *e,
    const char *prog)
{
	char **items = config_expanded_list(cfg, e, prog), **p;

	for (p = items; p != NULL && *p != NULL; p++) {
		char *abs = configval_path(cfg->dir, *p);

		if (abs == NULL) {
			configval_free_strv(items);
			return NULL;
		}
		free(*p);
		*p = abs;
	}
	if (items != NULL && items[0] == NULL) {
		config_error(cfg, e->line, "%s is empty; leave it out for no "
		    "files", e->key);
		configval_free_strv(items);
		return NULL;
	}
	return items;
}

/*
 * Warn of each inline comment that cut E's value (configread kept them),
 * quoting what was cut: text tend dropped without a word would be a
 * command or a value silently shortened.  SHELL: the value is a shell
 * command, which may also move to a script.
 */
static void
config_warn_comments(struct config *cfg, const struct configread_entry *e,
    bool shell)
{
	size_t i;

	for (i = 0; i < e->ncomments; i++) {
		const char *text = e->comments[i].text;
		size_t n = strlen(text);
		bool more = n > CONFIG_COMMENT_SHOWN;

		if (more) {
			n = CONFIG_COMMENT_SHOWN;
			while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
				n--;	/* not inside a UTF-8 character */
		}
		config_warn(cfg, e->comments[i].line, "%s: \"%.*s%s\" was read "
		    "as a comment and cut; to keep it, write \";\" with no space "
		    "before it%s (a comment of its own goes on a line of its "
		    "own)",
		    e->key, (int)n, text, more ? "..." : "",
		    shell ? ", or put the command in a script" : "");
	}
}

/* --- program keys ------------------------------------------------------ */

enum config_type {
	T_STRING,		/* text */
	T_SHELL,		/* a shell command */
	T_PATH,			/* relative to the config's folder */
	T_ENV, T_BOOL, T_INT, T_SECONDS, T_SIGNAL, T_EXITCODES, T_RESTART,
	T_URL, T_STATUS,
	T_HOSTPORT,		/* HOST:PORT */
	T_LIST,			/* comma-separated */
	T_DEPS,			/* NAME or NAME:CONDITION, comma-separated */
	T_FILES,		/* paths, comma-separated */
	T_PRIORITY,		/* a whole number, negative too */
	T_UMASK,		/* octal, 022 */
	T_USER,			/* a user name or uid of this system */
	T_LOGFILE,		/* a path, AUTO or NONE */
	T_BYTES,		/* a size: 50MB */
	T_FLAG,			/* a boolean kept as an int (-1: unset) */
};

static const struct config_key {
	const char *name;
	enum config_type type;
	size_t offset;
} config_program_table[] = {
#define K(name, type) { #name, type, offsetof(struct program_config, name) }
	K(command, T_SHELL), K(directory, T_PATH), K(environment, T_ENV),
	K(autostart, T_BOOL), K(autorestart, T_RESTART),
	K(exitcodes, T_EXITCODES), K(startsecs, T_INT), K(startretries, T_INT),
	K(stopsignal, T_SIGNAL), K(stopwaitsecs, T_INT),
	K(stop_input, T_STRING), K(redirect_stderr, T_BOOL), K(pty, T_BOOL),
	K(ready_log, T_STRING), K(probe_url, T_URL), K(probe_status, T_STATUS),
	K(probe_body, T_STRING), K(probe_interval, T_SECONDS),
	K(probe_timeout, T_SECONDS), K(probe_command, T_SHELL),
	K(probe_tcp, T_HOSTPORT), K(restart_unhealthy, T_INT),
	K(depends_on, T_DEPS), K(restart_dependents, T_BOOL),
	K(watch, T_LIST), K(watch_ignore, T_LIST), K(watch_delay, T_SECONDS),
	K(env_file, T_FILES), K(priority, T_PRIORITY), K(umask, T_UMASK),
	K(user, T_USER), K(stopasgroup, T_BOOL), K(killasgroup, T_BOOL),
	K(stdout_logfile, T_LOGFILE),
	K(stdout_logfile_maxbytes, T_BYTES), K(stdout_logfile_backups, T_INT),
	K(stderr_logfile, T_LOGFILE), K(stderr_logfile_maxbytes, T_BYTES),
	K(stderr_logfile_backups, T_INT), K(log_timestamps, T_FLAG),
#undef K
};

/* Could text after " ;" belong to a value of type T?  Only then is a
 * comment that cut it worth a warning: after a number, a boolean or a
 * signal it cannot have been part of the value. */
static bool
config_type_takes_text(enum config_type t)
{
	return t == T_STRING || t == T_SHELL || t == T_PATH || t == T_ENV ||
	    t == T_LIST || t == T_FILES || t == T_LOGFILE;
}

static void
config_replace(char **field, char *value)
{
	free(*field);
	*field = value;
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
	char **items = config_expanded_list(cfg, e, pc->name), **p;
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

/* Is program I a numprocs copy after the first of its section?  What is
 * wrong with the section's keys is said once, for the first. */
static bool
config_later_copy(const struct config *cfg, size_t i)
{
	const struct program_config *pc = &cfg->programs[i];

	return pc->group != NULL && pc->numprocs > 1 && i > 0 &&
	    cfg->programs[i - 1].group != NULL &&
	    strcmp(cfg->programs[i - 1].group, pc->group) == 0;
}

/* The programs of GROUP's copies, when GROUP is a numprocs section and
 * not a program's name; 0 otherwise. */
static size_t
config_group_size(const struct config *cfg, const char *group)
{
	size_t i, n = 0;

	for (i = 0; i < cfg->nprograms; i++) {
		if (strcmp(cfg->programs[i].name, group) == 0)
			return 0;
		n += cfg->programs[i].group != NULL &&
		    strcmp(cfg->programs[i].group, group) == 0;
	}
	return n;
}

/* PC's depends_on entry D, a numprocs section, as one entry per copy. */
static void
config_dep_on_copies(struct config *cfg, struct program_config *pc,
    size_t d, size_t ncopies)
{
	struct config_dep *deps = calloc(pc->ndepends_on + ncopies,
	    sizeof *deps), dep = pc->depends_on[d];
	size_t i, k = 0;

	if (deps == NULL)
		return;
	memcpy(deps, pc->depends_on, d * sizeof *deps);
	for (i = 0; i < cfg->nprograms; i++) {
		const struct program_config *to = &cfg->programs[i];

		if (to->group != NULL && strcmp(to->group, dep.name) == 0) {
			deps[d + k].name = strdup(to->name);
			deps[d + k++].cond = dep.cond;
		}
	}
	memcpy(deps + d + k, pc->depends_on + d + 1, (pc->ndepends_on - d - 1) *
	    sizeof *deps);
	free(dep.name);
	free(pc->depends_on);
	pc->depends_on = deps;
	pc->ndepends_on += k - 1;
}

/* depends_on naming a section of numprocs copies means all of them. */
static void
config_deps_on_groups(struct config *cfg)
{
	size_t i, d, n;

	for (i = 0; i < cfg->nprograms; i++) {
		struct program_config *pc = &cfg->programs[i];

		for (d = 0; d < pc->ndepends_on; d++) {
			const char *name = pc->depends_on[d].name;

			if (pc->group != NULL && strcmp(name, pc->group) == 0)
				continue;	/* itself: config_check_deps says so */
			if ((n = config_group_size(cfg, name)) > 0) {
				config_dep_on_copies(cfg, pc, d, n);
				d += n - 1;
			}
		}
	}
}

static void
config_check_deps(struct config *cfg)
{
	unsigned char *colour = calloc(cfg->nprograms + 1, 1);
	size_t *path = calloc(cfg->nprograms + 1, sizeof *path), i, d;

	for (i = 0; i < cfg->nprograms; i++) {
		struct program_config *pc = &cfg->programs[i];

		for (d = 0; d < pc->ndepends_on && !config_later_copy(cfg, i); d++) {
			const char *name = pc->depends_on[d].name;

			if (strcmp(name, pc->name) == 0 || (pc->group != NULL &&
			    strcmp(name, pc->group) == 0))
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
    int line, const char *v, double d, double *field)
{
	if (d == 0 && k->offset == offsetof(struct program_config,
	    probe_timeout)) {
		config_error(cfg, line, "%s: '%s' must be more than 0 seconds "
		    "(a probe always has a timeout)", k->name, v);
		return -1;
	}
	if (d > 0 && d < CONFIG_MIN_PROBE_SECONDS) {
		config_warn(cfg, line, "%s: '%s' is less than %g seconds; "
		    "using %g", k->name, v, CONFIG_MIN_PROBE_SECONDS,
		    CONFIG_MIN_PROBE_SECONDS);
		d = CONFIG_MIN_PROBE_SECONDS;
	}
	*field = d;
	return 0;
}

/* stdout_logfile / stderr_logfile: until the file has been read, NULL
 * for AUTO, "NONE", or an absolute path (config_resolve_logs). */
static int
config_logfile_value(struct config *cfg, const struct config_key *k,
    int line, const char *v, char **field)
{
	if (v[0] == '\0') {
		config_error(cfg, line, "%s is empty; write NONE for no file, or "
		    "leave it out for AUTO", k->name);
		return -1;
	}
	if (strcasecmp(v, "AUTO") == 0)
		config_replace(field, NULL);
	else if (strcasecmp(v, "NONE") == 0 || strcmp(v, "/dev/null") == 0)
		config_replace(field, strdup("NONE"));
	else if (strcmp(v, "/dev/stdout") == 0 || strcmp(v, "/dev/stderr") == 0) {
		/* supervisord in a container writes to its own stdout this
		 * way; tend shows every line itself (the pane, headless). */
		config_warn(cfg, line, "%s: %s: tend shows the output itself; no "
		    "log file", k->name, v);
		config_replace(field, strdup("NONE"));
	}
	else
		config_replace(field, configval_path(cfg->dir, v));
	return 0;
}

/* Set a field of one value V (expanded); returns 0, or -1 after reporting
 * the error. */
static int
config_set_value(struct config *cfg, struct program_config *pc,
    const struct config_key *k, int line, const char *v)
{
	void *field = (char *)pc + k->offset;
	long n;
	double d;
	char why[160];

	switch (k->type) {
	case T_PRIORITY:
		if (configval_int(v, -CONFIG_MAX_INT, CONFIG_MAX_INT, &n) == -1)
			break;
		*(int *)field = (int)n;
		return 0;
	case T_UMASK:
		if ((n = configval_umask(v)) == -1)
			break;
		*(int *)field = (int)n;
		return 0;
	case T_USER:
		if (runas_check(v, why, sizeof why) == -1) {
			config_error(cfg, line, "user: %s", why);
			return -1;
		}
		config_replace(field, strdup(v));
		pc->user_line = line;
		return 0;
	case T_STRING:
	case T_SHELL:
		config_replace(field, strdup(v));
		return 0;
	case T_PATH:
		config_replace(field, configval_path(cfg->dir, v));
		return 0;
	case T_BOOL:
		if ((n = configval_bool(v)) == -1)
			break;
		*(bool *)field = n;
		return 0;
	case T_FLAG:
		if ((n = configval_bool(v)) == -1)
			break;
		*(int *)field = (int)n;
		return 0;
	case T_LOGFILE:
		return config_logfile_value(cfg, k, line, v, field);
	case T_BYTES:
		if ((*(long long *)field = configval_bytes(v,
		    CONFIG_MAX_LOG_BYTES)) == -1)
			break;
		return 0;
	case T_INT:
		if ((n = configval_uint(v, CONFIG_MAX_INT)) == -1)
			break;
		*(int *)field = (int)n;
		return 0;
	case T_SECONDS:
		if ((d = configval_seconds(v, CONFIG_MAX_INT)) < 0)
			break;
		return config_probe_seconds(cfg, k, line, v, d, field);
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
	default:
		return -1;
	}
	config_error(cfg, line, "%s: '%s' %s", k->name, v,
	    k->type == T_BOOL || k->type == T_FLAG ? "must be true or false" :
	    k->type == T_BYTES ? "is not a size (bytes, or with KB, MB or "
	    "GB: 50MB)" :
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
	    k->type == T_PRIORITY ? "is not a whole number" :
	    k->type == T_UMASK ? "must be an octal mask such as 022 (0-777)" :
	    "must be an HTTP status code (100-599)");
	return -1;
}

/* Set one key of a program; returns 0, or -1 after reporting the error.
 * Every value is expanded first: lists item by item, after the split. */
static int
config_set(struct config *cfg, struct program_config *pc,
    const struct config_key *k, const struct configread_entry *e)
{
	void *field = (char *)pc + k->offset;
	char *s, *why, **items;
	int rc;

	switch (k->type) {
	case T_ENV:
		configval_free_strv(*(char ***)field);
		*(char ***)field = configval_environment(e->value, cfg->dir,
		    pc->name, &why);
		config_report(cfg, e->line, "", why);
		return *(char ***)field == NULL ? -1 : 0;
	case T_LIST:
	case T_FILES:
		items = k->type == T_LIST ?
		    config_expanded_list(cfg, e, pc->name) :
		    config_files(cfg, e, pc->name);
		if (items == NULL)
			return -1;
		configval_free_strv(*(char ***)field);
		*(char ***)field = items;
		return 0;
	case T_DEPS:
		return config_deps(cfg, pc, e);
	default:
		if ((s = config_expand(cfg, e->line, k->name, e->value,
		    pc->name)) == NULL)
			return -1;
		rc = config_set_value(cfg, pc, k, e->line, s);
		free(s);
		return rc;
	}
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
	pc->priority = CONFIG_DEFAULT_PRIORITY;
	pc->umask = -1;
	pc->numprocs = 1;
	/* -1: [tend]'s, known once the whole file is read */
	pc->stdout_logfile_maxbytes = pc->stderr_logfile_maxbytes = -1;
	pc->stdout_logfile_backups = pc->stderr_logfile_backups = -1;
	pc->log_timestamps = -1;
}

/* --- numprocs: a section's copies ---------------------------------------- */

static struct program_config *config_new_program(struct config_loader *l,
    const char *name, const char *file, int line);

/* How many programs a section makes (supervisord's numprocs) and what
 * each is called. */
struct config_copies {
	long numprocs;
	long start;		/* numprocs_start: the first %(process_num)s */
	const char *name;	/* process_name as written; NULL: the default */
	int name_line;
};

/* Read numprocs, numprocs_start and process_name of the section of
 * program GROUP. */
static void
config_read_copies(struct config *cfg, const char *group,
    const struct configread_entry *entries, size_t n, struct config_copies *c)
{
	size_t i;
	long v;
	char *s;

	memset(c, 0, sizeof *c);
	c->numprocs = 1;
	for (i = 0; i < n; i++) {
		const struct configread_entry *e = &entries[i];
		bool count = strcmp(e->key, "numprocs") == 0;

		if (strcmp(e->key, "process_name") == 0) {
			c->name = e->value;
			c->name_line = e->line;
			continue;
		}
		if (!count && strcmp(e->key, "numprocs_start") != 0)
			continue;
		if ((s = config_expand(cfg, e->line, e->key, e->value, group)) ==
		    NULL)
			continue;
		v = configval_uint(s, count ? CONFIG_MAX_PROGRAMS : CONFIG_MAX_INT);
		if (count && v < 1)
			config_error(cfg, e->line, "numprocs: '%s' must be a whole "
			    "number from 1 to %d", s, CONFIG_MAX_PROGRAMS);
		else if (v < 0)
			config_error(cfg, e->line, "numprocs_start: '%s' is not a "
			    "whole number", s);
		else if (count)
			c->numprocs = v;
		else
			c->start = v;
		free(s);
	}
	/* As supervisord: copies of one name could not be told apart. */
	if (c->numprocs > 1 && c->name != NULL &&
	    strstr(c->name, "%(process_num)") == NULL) {
		config_error(cfg, c->name_line, "numprocs = %ld needs "
		    "%%(process_num)s in process_name (each copy needs a name of "
		    "its own): '%s'", c->numprocs, c->name);
		c->numprocs = 1;
	}
}

/* V of KEY with %(process_num)... and %(numprocs)... expanded for copy
 * NUM; NULL after reporting why on LINE. */
static char *
config_copy_value(struct config *cfg, int line, const char *key,
    const char *v, const struct config_copies *c, long num)
{
	char *why, *a, *b = NULL, prefix[64];

	a = configval_expand_number(v, "process_num", num, &why);
	if (a != NULL)
		b = configval_expand_number(a, "numprocs", c->numprocs, &why);
	free(a);
	snprintf(prefix, sizeof prefix, "%s: ", key);
	config_report(cfg, line, prefix, why);
	return b;
}

/* The name of copy NUM of GROUP (the section on LINE); NULL after
 * reporting why it cannot be one. */
static char *
config_copy_name(struct config *cfg, const char *group, int line,
    const struct config_copies *c, long num, size_t index)
{
	const char *tmpl = c->name != NULL ? c->name : c->numprocs > 1 ?
	    "%(program_name)s-%(process_num)s" : "%(program_name)s";
	char *s, *name = NULL;
	size_t i;

	if (c->name != NULL)
		line = c->name_line;
	if ((s = config_copy_value(cfg, line, "process_name", tmpl, c, num)) ==
	    NULL)
		return NULL;
	name = config_expand(cfg, line, "process_name", s, group);
	free(s);
	if (name == NULL)
		return NULL;
	if (!procfile_valid_name(name, strlen(name))) {
		config_error(cfg, line, "process_name: '%s' is not a program name "
		    "(letters, digits, '_', '-' and '.' (not first))", name);
		free(name);
		return NULL;
	}
	for (i = 0; i < cfg->nprograms; i++) {
		if (i != index && strcmp(cfg->programs[i].name, name) == 0) {
			config_error(cfg, line, "duplicate program '%s' (first at "
			    "line %d)", name, cfg->programs[i].line);
			free(name);
			return NULL;
		}
	}
	return name;
}

/* Drop the messages of *LIST from FROM on that repeat one of [BEGIN,
 * END): every copy reads the same keys, so a problem is said once. */
static void
config_drop_repeats(char **list, size_t *n, size_t begin, size_t end,
    size_t from)
{
	size_t i, j, k = from;

	for (i = from; i < *n; i++) {
		for (j = begin; j < end && strcmp(list[i], list[j]) != 0; j++)
			;
		if (j < end)
			free(list[i]);
		else
			list[k++] = list[i];
	}
	*n = k;
}

/* The keys of the section on program INDEX, for its copy NUM. */
static void
config_apply_keys(struct config_loader *l, size_t index,
    const struct configread_entry *entries, size_t n,
    const struct config_copies *c, long num)
{
	struct config *cfg = l->cfg;
	struct program_config *pc = &cfg->programs[index];
	size_t i;

	for (i = 0; i < n; i++) {
		const struct configread_entry *e = &entries[i];
		const struct config_key *k = config_program_key(e->key);
		struct configread_entry ce;

		if (config_in(config_copy_keys, e->key))
			continue;
		if (k == NULL) {
			if (config_in(config_supervisord_keys, e->key))
				config_warn(cfg, e->line, "'%s' is a supervisord key "
				    "tend does not implement; ignored", e->key);
			else
				config_unknown_key(l, e, config_program_keys);
			continue;
		}
		if (k->offset == offsetof(struct program_config, command))
			pc->command_line = e->line;
		else if (k->offset == offsetof(struct program_config, directory))
			pc->directory_line = e->line;
		else if (k->offset == offsetof(struct program_config, pty))
			l->pty_set[index] = true;
		else if (k->offset == offsetof(struct program_config, env_file))
			l->env_file_lines[index] = e->line;
		ce = *e;
		if ((ce.value = config_copy_value(cfg, e->line, e->key, e->value,
		    c, num)) == NULL)
			continue;
		if (config_type_takes_text(k->type))
			config_warn_comments(cfg, &ce, k->type == T_SHELL);
		config_set(cfg, pc, k, &ce);
		free(ce.value);
	}
}

/*
 * The section is read: one program, or numprocs copies of it, each read
 * with its own %(process_num)s (%(program_name)s stays the section's
 * NAME) and then given its process_name.
 */
static void
config_end_program(struct config_loader *l,
    const struct configread_entry *entries, size_t n)
{
	struct config *cfg = l->cfg;
	size_t index = cfg->nprograms - 1, e0 = cfg->nerrors, w0 =
	    cfg->nwarnings, e1 = e0, w1 = w0;
	char *group = strdup(cfg->programs[index].name), *name;
	struct config_copies c;
	long k;

	if (group == NULL)
		return;
	config_read_copies(cfg, group, entries, n, &c);
	for (k = 0; k < c.numprocs; k++) {
		size_t ne = cfg->nerrors, nw = cfg->nwarnings;
		struct program_config *pc;

		if (k > 0 && config_new_program(l, group, NULL, l->section_line) ==
		    NULL)
			break;
		index = cfg->nprograms - 1;
		pc = &cfg->programs[index];
		pc->line = l->section_line;
		pc->group = strdup(group);
		pc->process_num = (int)(c.start + k);
		pc->numprocs = (int)c.numprocs;
		config_apply_keys(l, index, entries, n, &c, c.start + k);
		name = config_copy_name(cfg, group, l->section_line, &c,
		    c.start + k, index);
		if (name != NULL)
			config_replace(&pc->name, name);
		if (k == 0) {
			e1 = cfg->nerrors;
			w1 = cfg->nwarnings;
		} else {
			config_drop_repeats(cfg->errors, &cfg->nerrors, e0, e1, ne);
			config_drop_repeats(cfg->warnings, &cfg->nwarnings, w0, w1, nw);
		}
	}
	free(group);
}

/* An empty log_dir would resolve to the config's folder, the way an empty
 * directory does; but no log_dir means no log files, so an empty one is
 * far more likely a slip than a wish for logs next to the config. */
static void
config_log_dir(struct config *cfg, const struct configread_entry *e,
    const char *s)
{
	if (e->value[0] == '\0')
		config_error(cfg, e->line, "log_dir is empty; leave it out for no "
		    "log files");
	else if (s[0] == '\0')
		config_error(cfg, e->line, "log_dir: '%s' is empty once expanded; "
		    "leave it out for no log files", e->value);
	else
		config_replace(&cfg->log_dir, configval_path(cfg->dir, s));
}

/* One key of [tend], its value S expanded. */
static void
config_tend_key(struct config_loader *l, const struct configread_entry *e,
    const char *s)
{
	struct config *cfg = l->cfg;
	long n;

	if (strcmp(e->key, "scrollback") == 0) {
		if ((n = configval_uint(s, 100000000)) > 0)
			cfg->scrollback = (size_t)n;
		else
			config_error(cfg, e->line, "scrollback: '%s' must be a "
			    "whole number of lines above 0", s);
	} else if (strcmp(e->key, "log_dir") == 0) {
		config_log_dir(cfg, e, s);
	} else if (strcmp(e->key, "shell") == 0) {
		config_replace(&cfg->shell, strdup(s));
	} else if (strcmp(e->key, "procfile") == 0) {
		if (s[0] == '\0') {
			config_error(cfg, e->line, "procfile is empty; leave it "
			    "out for no Procfile");
			return;
		}
		config_replace(&cfg->procfile, config_shown_path(cfg, s));
		l->procfile_line = e->line;
	} else if (strcmp(e->key, "log_max_bytes") == 0) {
		if ((cfg->log_max_bytes = configval_bytes(s,
		    CONFIG_MAX_LOG_BYTES)) == -1) {
			config_error(cfg, e->line, "log_max_bytes: '%s' is not a "
			    "size (bytes, or with KB, MB or GB: 50MB)", s);
			cfg->log_max_bytes = CONFIG_DEFAULT_LOG_MAX_BYTES;
		}
	} else if (strcmp(e->key, "log_backups") == 0) {
		if ((n = configval_uint(s, CONFIG_MAX_LOG_BACKUPS)) >= 0)
			cfg->log_backups = (int)n;
		else
			config_error(cfg, e->line, "log_backups: '%s' is not a "
			    "whole number from 0 to %d", s, CONFIG_MAX_LOG_BACKUPS);
	} else if (strcmp(e->key, "log_timestamps") == 0) {
		if ((n = configval_bool(s)) >= 0)
			cfg->log_timestamps = n;
		else
			config_error(cfg, e->line, "log_timestamps: '%s' must be "
			    "true or false", s);
	} else if (strcmp(e->key, "port_base") == 0) {
		if ((n = configval_uint(s, 65535)) > 0) {
			cfg->port_base = (int)n;
			l->port_base_line = e->line;
		} else {
			config_error(cfg, e->line, "port_base: '%s' must be a "
			    "port number (1-65535)", s);
		}
	}
}

static void
config_end_tend(struct config_loader *l,
    const struct configread_entry *entries, size_t n)
{
	struct config *cfg = l->cfg;
	size_t i;

	for (i = 0; i < n; i++) {
		const struct configread_entry *e = &entries[i];
		char **files, *s;

		if (config_key_id(SECTION_TEND, e->key) < 0) {
			config_unknown_key(l, e, config_tend_keys);
			continue;
		}
		if (strcmp(e->key, "scrollback") != 0 &&
		    strcmp(e->key, "port_base") != 0 &&
		    strncmp(e->key, "log_", 4) != 0)
			config_warn_comments(cfg, e, false);
		if (strcmp(e->key, "env_file") == 0) {
			if ((files = config_files(cfg, e, NULL)) != NULL) {
				configval_free_strv(cfg->env_file);
				cfg->env_file = files;
				l->env_file_line = e->line;
			}
			continue;
		}
		if ((s = config_expand(cfg, e->line, e->key, e->value, NULL)) ==
		    NULL)
			continue;
		config_tend_key(l, e, s);
		free(s);
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

/* Room for one more program (and what the loader keeps of it); NULL if
 * there is none.  LINE and FILE say where it is, for the message. */
static struct program_config *
config_new_program(struct config_loader *l, const char *name,
    const char *file, int line)
{
	struct config *cfg = l->cfg;
	struct program_config *grown;
	int *lines;
	bool *set;

	if (cfg->nprograms == CONFIG_MAX_PROGRAMS) {
		config_message(cfg, false, file, line, "more than %d programs",
		    CONFIG_MAX_PROGRAMS);
		return NULL;
	}
	grown = realloc(cfg->programs, (cfg->nprograms + 1) * sizeof *grown);
	if (grown == NULL)
		return NULL;
	cfg->programs = grown;
	if (l->nset < cfg->nprograms + 1) {
		size_t cap = l->nset ? l->nset * 2 : 16;

		if ((lines = realloc(l->env_file_lines, cap * sizeof *lines)) ==
		    NULL)
			return NULL;
		l->env_file_lines = lines;
		if ((set = realloc(l->pty_set, cap * sizeof *set)) == NULL)
			return NULL;
		l->pty_set = set;
		l->nset = cap;
	}
	l->env_file_lines[cfg->nprograms] = 0;
	l->pty_set[cfg->nprograms] = false;
	grown += cfg->nprograms;
	memset(grown, 0, sizeof *grown);
	config_program_defaults(grown);
	if ((grown->name = strdup(name)) == NULL)
		return NULL;
	cfg->nprograms++;
	return grown;
}

static void
config_begin_program(struct config_loader *l, const char *name, int line)
{
	struct config *cfg = l->cfg;
	struct program_config *pc;
	size_t i;

	if (!procfile_valid_name(name, strlen(name))) {
		config_error(cfg, line, "[program:%s]: a program name is "
		    "letters, digits, '_', '-' and '.' (not first)", name);
		return;
	}
	for (i = 0; i < cfg->nprograms; i++) {
		if (strcmp(cfg->programs[i].name, name) == 0) {
			config_error(cfg, line, "duplicate program '%s' (first at "
			    "line %d)", name, cfg->programs[i].line);
			return;
		}
	}
	if ((pc = config_new_program(l, name, NULL, line)) == NULL)
		return;
	pc->line = line;
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

/* --- the Procfile -------------------------------------------------------- */

static void config_free_program(struct program_config *pc);

/* Where the messages of a file other than the config go. */
struct config_file_report {
	struct config *cfg;
	const char *file;
};

static void
config_on_file_report(void *user, int line, const char *msg)
{
	const struct config_file_report *r = user;

	config_message(r->cfg, false, r->file, line, "%s", msg);
}

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

/*
 * The programs of cfg->procfile, read into PF; -1 if it cannot be read
 * (reported on LINE, the [tend] procfile line, or as the file itself when
 * LINE is 0: the Procfile is CONFIG).
 */
static int
config_read_procfile(struct config *cfg, int line, struct procfile *pf)
{
	struct config_file_report r = { cfg, cfg->procfile };
	char *text, *why;
	size_t len;
	int errnum;

	memset(pf, 0, sizeof *pf);
	if ((text = configread_text(cfg->procfile, &len, &errnum, &why)) ==
	    NULL) {
		if (line > 0)
			config_error(cfg, line, "procfile: %s: %s", cfg->procfile,
			    why != NULL ? why : "out of memory");
		else
			config_message(cfg, false, cfg->procfile, 0, "%s",
			    why != NULL ? why : "out of memory");
		free(why);
		return -1;
	}
	procfile_parse(text, len, pf, config_on_file_report, &r);
	free(text);
	return 0;
}

/*
 * A Procfile's program E, the Nth of its file, on PC (a new program, or
 * the [program:NAME] section of its name, whose keys stay): the command
 * unless the section has one, PORT, a pty unless the section says, and
 * the Procfile's folder unless the section gives a directory.
 */
static void
config_procfile_program(struct config *cfg, struct program_config *pc,
    const struct procfile_entry *e, size_t n, bool pty_set, const char *dir)
{
	pc->procfile_line = e->line;
	pc->port = cfg->port_base + (int)n * CONFIG_PORT_STEP;
	if (pc->command == NULL)
		pc->command = strdup(e->command);
	if (!pty_set)
		pc->pty = true;
	if (pc->directory == NULL && dir != NULL && strcmp(dir, cfg->dir) != 0)
		pc->directory = strdup(dir);
}

/* Does INI program PC take the keys of the Procfile's program NAME: it
 * is the section of that name, or one of its numprocs copies? */
static bool
config_procfile_match(const struct program_config *pc, const char *name)
{
	return strcmp(pc->name, name) == 0 || (pc->numprocs > 1 &&
	    pc->group != NULL && strcmp(pc->group, name) == 0);
}

/*
 * The INI programs the Procfile's Nth program E lays its keys on, moved
 * to PROGS from *K on (with the loader's notes on each: SET, LINES):
 * its section's program, or each numprocs copy of it, copy C getting
 * PORT + C as foreman's concurrency gives them.  How many there were.
 */
static size_t
config_procfile_copies(struct config_loader *l,
    const struct procfile_entry *e, size_t n, const char *dir,
    struct program_config *progs, bool *set, int *lines, bool *merged,
    size_t nini, size_t *k)
{
	struct config *cfg = l->cfg;
	size_t j, found = 0;

	for (j = 0; j < nini && *k < CONFIG_MAX_PROGRAMS; j++) {
		if (merged[j] || !config_procfile_match(&cfg->programs[j],
		    e->name))
			continue;
		progs[*k] = cfg->programs[j];
		set[*k] = l->pty_set[j];
		lines[*k] = l->env_file_lines[j];
		merged[j] = true;
		config_procfile_program(cfg, &progs[*k], e, n, set[*k], dir);
		progs[*k].port += (int)found++;
		(*k)++;
	}
	return found;
}

/*
 * Put the Procfile's programs first, in its order, each on the section of
 * its name when there is one; then the other sections, in theirs.  The
 * loader's notes on each program move with it.
 */
static void
config_import_procfile(struct config_loader *l, int line)
{
	struct config *cfg = l->cfg;
	struct program_config *progs;
	struct procfile pf;
	size_t nini = cfg->nprograms, total, i, j, k = 0;
	bool *merged, *set;
	int *lines;
	char *dir;

	if (config_read_procfile(cfg, line, &pf) == -1)
		return;
	if (pf.n > 0 && (long)cfg->port_base + (long)(pf.n - 1) *
	    CONFIG_PORT_STEP > 65535)
		config_message(cfg, false, l->port_base_line ? NULL :
		    cfg->procfile, l->port_base_line, "%s%s has %zu programs: "
		    "from PORT %d, %d apart, the last one's would be past 65535",
		    l->port_base_line ? "port_base: " : "", cfg->procfile, pf.n,
		    cfg->port_base, CONFIG_PORT_STEP);
	total = pf.n + nini;
	progs = calloc(total + 1, sizeof *progs);
	merged = calloc(nini + 1, sizeof *merged);
	set = calloc(total + 1, sizeof *set);
	lines = calloc(total + 1, sizeof *lines);
	dir = config_dir_of(cfg->procfile);
	if (progs == NULL || merged == NULL || set == NULL || lines == NULL) {
		config_error(cfg, 0, "out of memory");
		goto done;
	}
	for (i = 0; i < pf.n; i++) {
		const struct procfile_entry *e = &pf.entries[i];

		if (k == CONFIG_MAX_PROGRAMS) {
			config_message(cfg, false, cfg->procfile, e->line, "more "
			    "than %d programs", CONFIG_MAX_PROGRAMS);
			break;
		}
		if (config_procfile_copies(l, e, i, dir, progs, set, lines, merged,
		    nini, &k) > 0)
			continue;
		config_program_defaults(&progs[k]);
		progs[k].name = strdup(e->name);
		config_procfile_program(cfg, &progs[k], e, i, set[k], dir);
		k++;
	}
	for (j = 0; j < nini; j++) {
		if (merged[j])
			continue;
		if (k == CONFIG_MAX_PROGRAMS) {
			config_error(cfg, cfg->programs[j].line, "more than %d "
			    "programs", CONFIG_MAX_PROGRAMS);
			break;
		}
		progs[k] = cfg->programs[j];
		set[k] = l->pty_set[j];
		lines[k++] = l->env_file_lines[j];
		merged[j] = true;
	}
	for (j = 0; j < nini; j++) {	/* left out past the cap */
		if (!merged[j])
			config_free_program(&cfg->programs[j]);
	}
	free(cfg->programs);
	cfg->programs = progs;
	cfg->nprograms = k;
	free(l->pty_set);
	free(l->env_file_lines);
	l->pty_set = set;
	l->env_file_lines = lines;
	l->nset = total + 1;
	progs = NULL;
	set = NULL;
	lines = NULL;
done:
	free(progs);
	free(merged);
	free(set);
	free(lines);
	free(dir);
	procfile_free(&pf);
}

/* --- environment files ----------------------------------------------------- */

/*
 * The variables of the env file ABS, read once per load whoever names it;
 * NULL if it cannot be read or has errors (reported on LINE as the value
 * of env_file, or as the file itself when LINE is 0).  The .env next to
 * the config is OPTIONAL: one that is not there (or is a folder, such as
 * a Python virtualenv named .env) is no problem.
 */
static const struct dotenv *
config_envfile(struct config_loader *l, const char *abs, int line,
    bool optional)
{
	struct config *cfg = l->cfg;
	struct config_file_report r = { cfg, NULL };
	struct config_envfile **grown, *f;
	struct stat sb;
	char *text, *why, *shown;
	size_t i, len;
	int errnum;

	for (i = 0; i < l->nenvfiles; i++) {
		if (strcmp(l->envfiles[i]->path, abs) == 0)
			return l->envfiles[i]->ok ? &l->envfiles[i]->env : NULL;
	}
	if (optional && (stat(abs, &sb) == -1 ? errno == ENOENT :
	    S_ISDIR(sb.st_mode)))
		return NULL;
	grown = realloc(l->envfiles, (l->nenvfiles + 1) * sizeof *grown);
	if (grown == NULL)
		return NULL;
	l->envfiles = grown;
	if ((f = calloc(1, sizeof *f)) == NULL)
		return NULL;
	if ((f->path = strdup(abs)) == NULL) {
		free(f);
		return NULL;
	}
	grown[l->nenvfiles++] = f;
	if ((shown = config_shown_abs(cfg, abs)) == NULL)
		return NULL;
	if ((text = configread_text(abs, &len, &errnum, &why)) == NULL) {
		if (line > 0)
			config_error(cfg, line, "env_file: %s: %s", shown,
			    why != NULL ? why : "out of memory");
		else
			config_message(cfg, false, shown, 0, "%s",
			    why != NULL ? why : "out of memory");
		free(why);
		free(shown);
		return NULL;
	}
	r.file = shown;
	f->ok = dotenv_parse(text, len, &f->env, NULL, NULL,
	    config_on_file_report, &r) == 0;
	free(text);
	free(shown);
	return f->ok ? &f->env : NULL;
}

/* Set KEY (KEYLEN bytes) to VALUE in the "KEY=value" list *ENV (*N of
 * them, room for *CAP): a later value of the same KEY replaces the
 * earlier one where it is. */
static void
config_env_set(char ***env, size_t *n, size_t *cap, const char *key,
    size_t keylen, const char *value)
{
	char *kv, **grown;
	size_t i;

	if (asprintf(&kv, "%.*s=%s", (int)keylen, key, value) == -1)
		return;
	for (i = 0; i < *n; i++) {
		if (strncmp((*env)[i], kv, keylen + 1) == 0) {
			config_replace(&(*env)[i], kv);
			return;
		}
	}
	if (*n + 2 > *cap) {
		size_t c = *cap ? *cap * 2 : 16;

		if ((grown = realloc(*env, c * sizeof *grown)) == NULL) {
			free(kv);
			return;
		}
		*env = grown;
		*cap = c;
	}
	(*env)[(*n)++] = kv;
	(*env)[*n] = NULL;
}

static void
config_env_layer(char ***env, size_t *n, size_t *cap, const struct dotenv *d)
{
	size_t i;

	for (i = 0; d != NULL && i < d->n; i++)
		config_env_set(env, n, cap, d->vars[i].key,
		    strlen(d->vars[i].key), d->vars[i].value);
}

/*
 * Each program's environment, lowest first: the .env next to the config,
 * [tend] env_file, the program's env_file, its PORT, its environment key
 * (tend's own environment is under all of them, at spawn time).
 */
static void
config_build_env(struct config_loader *l)
{
	struct config *cfg = l->cfg;
	const struct dotenv *dot = NULL;
	char *path = configval_path(cfg->dir, ".env");
	size_t i;
	char **f;

	if (path != NULL)
		dot = config_envfile(l, path, 0, true);
	free(path);
	for (f = cfg->env_file; f != NULL && *f != NULL; f++)
		config_envfile(l, *f, l->env_file_line, false);
	for (i = 0; i < cfg->nprograms; i++) {
		struct program_config *pc = &cfg->programs[i];
		char **env = NULL, **own = pc->environment, **e, port[16];
		size_t n = 0, cap = 0;

		config_env_layer(&env, &n, &cap, dot);
		for (f = cfg->env_file; f != NULL && *f != NULL; f++)
			config_env_layer(&env, &n, &cap, config_envfile(l, *f,
			    l->env_file_line, false));
		for (f = pc->env_file; f != NULL && *f != NULL; f++)
			config_env_layer(&env, &n, &cap, config_envfile(l, *f,
			    l->env_file_lines[i], false));
		if (pc->port > 0) {
			snprintf(port, sizeof port, "%d", pc->port);
			config_env_set(&env, &n, &cap, "PORT", 4, port);
		}
		for (e = own; e != NULL && *e != NULL; e++)
			config_env_set(&env, &n, &cap, *e, strcspn(*e, "="),
			    strchr(*e, '=') + 1);
		configval_free_strv(own);
		pc->environment = env;
	}
}

/* --- loading ----------------------------------------------------------- */

/* What every program needs, once the Procfile has given its programs
 * their commands. */
static void
config_check_programs(struct config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->nprograms; i++) {
		const struct program_config *pc = &cfg->programs[i];
		const char *section = pc->group != NULL ? pc->group : pc->name;

		if (config_later_copy(cfg, i))
			continue;	/* said for the first copy */
		/* (A command whose expansion failed has been reported.) */
		if ((pc->command == NULL && pc->command_line == 0) ||
		    (pc->command != NULL && pc->command[strspn(pc->command,
		    " \t")] == '\0'))
			config_error(cfg, pc->line, "[program:%s] has no command",
			    section);
		if ((pc->probe_url != NULL) + (pc->probe_command != NULL) +
		    (pc->probe_tcp != NULL) > 1)
			config_error(cfg, pc->line, "[program:%s] has more than "
			    "one of probe_url, probe_command and probe_tcp; one "
			    "probe a program", section);
	}
}

/* Defaults from [tend] for what a program left unset (-1); too many
 * backups (KEY) is an error of PC's section. */
static void
config_log_defaults(struct config *cfg, const struct program_config *pc,
    const char *key, long long *max, int *backups)
{
	if (*max < 0)
		*max = cfg->log_max_bytes;
	if (*backups < 0)
		*backups = cfg->log_backups;
	if (*backups > CONFIG_MAX_LOG_BACKUPS)
		config_error(cfg, pc->line, "[program:%s] %s: %d is more than %d",
		    pc->name, key, *backups, CONFIG_MAX_LOG_BACKUPS);
}

/*
 * Each program's log files as they will be opened: stdout's AUTO is
 * log_dir/NAME.log (none without log_dir), NONE none; stderr's AUTO is
 * stdout's file (its lines marked '!'), NONE none at all, and a path
 * that is stdout's own is the shared file too (two descriptors on one
 * file would rotate it twice).
 */
static void
config_resolve_logs(struct config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->nprograms; i++) {
		struct program_config *pc = &cfg->programs[i];
		char *path = NULL;

		if (pc->stdout_logfile != NULL &&
		    strcmp(pc->stdout_logfile, "NONE") == 0)
			config_replace(&pc->stdout_logfile, NULL);
		else if (pc->stdout_logfile == NULL && cfg->log_dir != NULL &&
		    asprintf(&path, "%s/%s.log", cfg->log_dir, pc->name) != -1)
			pc->stdout_logfile = path;
		if (pc->stderr_logfile != NULL &&
		    strcmp(pc->stderr_logfile, "NONE") == 0) {
			config_replace(&pc->stderr_logfile, NULL);
			pc->stderr_log_none = true;
		} else if (pc->stderr_logfile != NULL &&
		    pc->stdout_logfile != NULL &&
		    strcmp(pc->stderr_logfile, pc->stdout_logfile) == 0) {
			config_replace(&pc->stderr_logfile, NULL);
		}
		config_log_defaults(cfg, pc, "stdout_logfile_backups",
		    &pc->stdout_logfile_maxbytes, &pc->stdout_logfile_backups);
		config_log_defaults(cfg, pc, "stderr_logfile_backups",
		    &pc->stderr_logfile_maxbytes, &pc->stderr_logfile_backups);
		if (pc->log_timestamps < 0)
			pc->log_timestamps = cfg->log_timestamps;
	}
}

static void __attribute__((format(printf, 4, 0)))
config_on_report(void *user, bool warning, int line, const char *fmt,
    va_list ap)
{
	struct config_loader *l = user;

	config_vmsg(l->cfg, warning, NULL, line, fmt, ap);
}

/* Read the INI file PATH, or the Procfile it is, into l->cfg; -1 if it
 * could not be read at all. */
static int
config_read(struct config_loader *l, const char *path)
{
	static const struct configread_ops ops = {
		.section = config_on_section,
		.key = config_on_key,
		.end = config_on_end,
		.report = config_on_report,
	};
	struct config *cfg = l->cfg;
	size_t before;

	if (procfile_is_name(path)) {
		if ((cfg->procfile = strdup(path)) == NULL)
			return -1;
		before = cfg->nerrors;
		config_import_procfile(l, 0);
		if (cfg->nprograms == 0 && cfg->nerrors == before)
			config_error(cfg, 0, "no programs (lines 'NAME: "
			    "command')");
		return cfg->nprograms == 0 && cfg->nerrors > before ? -1 : 0;
	}
	if (configread_file(cfg->path, &ops, l) == -1)
		return -1;
	if (cfg->procfile != NULL)
		config_import_procfile(l, l->procfile_line);
	else if (l->port_base_line > 0)
		config_warn(cfg, l->port_base_line, "port_base: there is no "
		    "procfile whose programs it would give a PORT");
	if (cfg->nprograms == 0)
		config_error(cfg, 0, "no [program:NAME] sections");
	return 0;
}

int
config_load(const char *path, struct config *cfg)
{
	struct config_loader l;
	size_t i;

	memset(cfg, 0, sizeof *cfg);
	memset(&l, 0, sizeof l);
	cfg->path = strdup(path);
	cfg->dir = config_dir_of(path);
	cfg->shell = strdup("/bin/sh");
	cfg->scrollback = CONFIG_DEFAULT_SCROLLBACK;
	cfg->port_base = CONFIG_DEFAULT_PORT_BASE;
	cfg->log_max_bytes = CONFIG_DEFAULT_LOG_MAX_BYTES;
	cfg->log_backups = CONFIG_DEFAULT_LOG_BACKUPS;
	cfg->log_timestamps = true;
	if (cfg->path == NULL || cfg->dir == NULL || cfg->shell == NULL) {
		config_error(cfg, 0, "out of memory");
		return -1;
	}
	l.cfg = cfg;
	if (config_read(&l, path) == 0) {
		config_resolve_logs(cfg);
		config_check_programs(cfg);
		config_build_env(&l);
		config_deps_on_groups(cfg);
		config_check_deps(cfg);
	}
	for (i = 0; i < l.nenvfiles; i++) {
		free(l.envfiles[i]->path);
		dotenv_free(&l.envfiles[i]->env);
		free(l.envfiles[i]);
	}
	free(l.envfiles);
	free(l.pty_set);
	free(l.env_file_lines);
	free(l.section);
	return cfg->nerrors > 0 ? -1 : 0;
}

const char *
config_default_path(void)
{
	struct stat sb;

	if (stat("tend.ini", &sb) == -1 && errno == ENOENT &&
	    stat("Procfile", &sb) == 0)
		return "Procfile";
	return "tend.ini";
}

static void
config_free_program(struct program_config *pc)
{
	free(pc->name);
	free(pc->group);
	free(pc->user);
	free(pc->command);
	free(pc->directory);
	configval_free_strv(pc->environment);
	configval_free_strv(pc->env_file);
	free(pc->stop_input);
	free(pc->ready_log);
	free(pc->probe_url);
	free(pc->probe_body);
	free(pc->probe_command);
	free(pc->probe_tcp);
	config_free_deps(pc);
	configval_free_strv(pc->watch);
	configval_free_strv(pc->watch_ignore);
	free(pc->stdout_logfile);
	free(pc->stderr_logfile);
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
	free(cfg->procfile);
	configval_free_strv(cfg->env_file);
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
config_logs_same(const struct program_config *a,
    const struct program_config *b)
{
	return config_same_str(a->stdout_logfile, b->stdout_logfile) &&
	    config_same_str(a->stderr_logfile, b->stderr_logfile) &&
	    a->stderr_log_none == b->stderr_log_none &&
	    a->stdout_logfile_maxbytes == b->stdout_logfile_maxbytes &&
	    a->stdout_logfile_backups == b->stdout_logfile_backups &&
	    a->stderr_logfile_maxbytes == b->stderr_logfile_maxbytes &&
	    a->stderr_logfile_backups == b->stderr_logfile_backups &&
	    a->log_timestamps == b->log_timestamps;
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
	    a->watch_delay == b->watch_delay &&
	    a->priority == b->priority && a->umask == b->umask &&
	    config_same_str(a->user, b->user) && config_logs_same(a, b);
}
