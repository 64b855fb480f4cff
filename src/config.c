/*
 * config: reading a tend INI file into struct config.
 *
 * inih splits lines into keys and values; this module feeds it the file
 * through a reader that counts lines (inih does not pass them), spots
 * section headers, over-long lines and lines that are not INI, and
 * collects each section's keys.  A section is checked as a whole when it
 * ends, so a value continued on indented lines is checked joined.  All
 * problems are collected as "FILE:LINE: message" lines.
 */
#define _GNU_SOURCE
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CONFIG_MAX_ERRORS 50
#define CONFIG_MAX_PROGRAMS 4096	/* four fds each; far past any session */
#define CONFIG_MAX_INT 1000000
#define CONFIG_LINE_MAX 199	/* inih's INI_MAX_LINE less the NUL */
_Static_assert(CONFIG_LINE_MAX < INI_MAX_LINE, "a line must fit inih's buffer");
#define CONFIG_KNOWN_KEYS 64	/* of a section: see config_key_id() */
#define CONFIG_MAX_BYTES (16 * 1024 * 1024)	/* a config is a few KiB */
#define CONFIG_MIN_PROBE_SECONDS 0.1	/* below this a probe loop costs a
					   core and a timeout means nothing */

enum config_section_kind {
	SECTION_NONE,		/* before the first header */
	SECTION_TEND,
	SECTION_PROGRAM,
	SECTION_SKIPPED,	/* supervisord's, or already reported */
};

/* One "key = value" of the section being read. */
struct config_entry {
	char *key;
	char *value;
	size_t len, size;	/* of value, which continuation lines grow */
	int line;
};

struct config_reader {
	struct config *cfg;
	FILE *f;
	char *buf;		/* the physical line (getline) */
	size_t bufsize;
	int line;
	bool indented;		/* the line starts with white space */
	bool owe_newline;	/* the last line filled inih's buffer */
	size_t bytes;		/* read so far */
	bool too_big;		/* grew past CONFIG_MAX_BYTES while read */

	enum config_section_kind kind;
	char *section;		/* its name, for messages */
	int section_line;
	struct config_entry *entries;
	size_t nentries, cap;
	int first_line[CONFIG_KNOWN_KEYS];	/* by config_key_id(); 0: not
						   seen in this section */
	bool has_key;		/* inih would take an indented line as a
				   continuation */
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
	"probe_status", "probe_body", "probe_interval", "probe_timeout", NULL
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

static size_t
config_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, prev, tmp;
	size_t row[64];

	if (la >= 64 || lb >= 64)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t best = prev + (tolower((unsigned char)a[i - 1]) !=
			    tolower((unsigned char)b[j - 1]));

			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			tmp = row[j];
			row[j] = best;
			prev = tmp;
		}
	}
	return row[lb];
}

/* The known word nearest to WORD, if it is near enough to be a typo. */
static const char *
config_nearest(const char *const *known, const char *word)
{
	const char *best = NULL;
	size_t best_d = SIZE_MAX, limit = strlen(word) <= 4 ? 1 : 2;

	for (; *known != NULL; known++) {
		size_t d = config_distance(*known, word);

		if (d < best_d) {
			best_d = d;
			best = *known;
		}
	}
	return best_d <= limit ? best : NULL;
}

/* --- values ------------------------------------------------------------- */

static int
config_bool(const char *v)
{
	static const char *const yes[] = { "true", "yes", "on", "1", NULL };
	static const char *const no[] = { "false", "no", "off", "0", NULL };
	size_t i;

	for (i = 0; yes[i] != NULL; i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return 1;
		if (strcasecmp(v, no[i]) == 0)
			return 0;
	}
	return -1;
}

/* A whole number 0 .. MAX, or -1. */
static long
config_uint(const char *v, long max)
{
	char *end;
	long n;

	if (!isdigit((unsigned char)v[0]))
		return -1;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || *end != '\0' || n > max)
		return -1;
	return n;
}

/* A number of seconds >= 0 (fractions allowed), or -1. */
static double
config_seconds(const char *v)
{
	char *end;
	double d;

	if (!isdigit((unsigned char)v[0]) && v[0] != '.')
		return -1;
	errno = 0;
	d = strtod(v, &end);
	if (errno != 0 || *end != '\0' || !isfinite(d) || d > CONFIG_MAX_INT)
		return -1;
	return d;
}

static const struct {
	const char *name;
	int signo;
} config_signals[] = {
	{ "TERM", SIGTERM }, { "INT", SIGINT }, { "QUIT", SIGQUIT },
	{ "HUP", SIGHUP }, { "KILL", SIGKILL }, { "USR1", SIGUSR1 },
	{ "USR2", SIGUSR2 },
	/* Not stop signals, but programs die of them. */
	{ "SEGV", SIGSEGV }, { "ABRT", SIGABRT }, { "PIPE", SIGPIPE },
	{ "ALRM", SIGALRM }, { "CHLD", SIGCHLD }, { "BUS", SIGBUS },
	{ "FPE", SIGFPE }, { "ILL", SIGILL }, { "TRAP", SIGTRAP },
	{ "SYS", SIGSYS }, { "XCPU", SIGXCPU }, { "XFSZ", SIGXFSZ },
	{ "STOP", SIGSTOP }, { "TSTP", SIGTSTP }, { "CONT", SIGCONT },
	{ "TTIN", SIGTTIN }, { "TTOU", SIGTTOU }, { "WINCH", SIGWINCH },
	{ "URG", SIGURG }, { "PROF", SIGPROF }, { "VTALRM", SIGVTALRM },
};
#define CONFIG_NSTOPSIGNALS 7

const char *
config_signal_name(int signo)
{
	size_t i;

	for (i = 0; i < sizeof config_signals / sizeof config_signals[0]; i++) {
		if (config_signals[i].signo == signo)
			return config_signals[i].name;
	}
	return "?";
}

static int
config_stopsignal(const char *v)
{
	size_t i;

	if (strncasecmp(v, "SIG", 3) == 0)
		v += 3;
	for (i = 0; i < CONFIG_NSTOPSIGNALS; i++) {
		if (strcasecmp(v, config_signals[i].name) == 0)
			return config_signals[i].signo;
	}
	return -1;
}

static int
config_exitcodes(const char *v, unsigned char codes[256])
{
	const char *p = v;

	memset(codes, 0, 256);
	for (;;) {
		char *end;
		long n;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!isdigit((unsigned char)*p))
			return -1;
		n = strtol(p, &end, 10);
		if (n > 255)
			return -1;
		codes[n] = 1;
		p = end;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			return 0;
		if (*p++ != ',')
			return -1;
	}
}

/* --- expansions and environment -------------------------------------- */

/* Append N bytes of S to the growing string *OUT. */
static int
config_cat(char **out, size_t *len, const char *s, size_t n)
{
	char *grown = realloc(*out, *len + n + 1);

	if (grown == NULL)
		return -1;
	memcpy(grown + *len, s, n);
	*len += n;
	grown[*len] = '\0';
	*out = grown;
	return 0;
}

/* supervisord's %(ENV_X)s, %(here)s, %(program_name)s and %%.  A '%' not
 * followed by '(' or '%' stays as it is (shell arithmetic needs it). */
static char *
config_expand(struct config *cfg, int line, const char *v, const char *prog)
{
	char *out = NULL, name[128];
	size_t len = 0;
	const char *p = v, *val, *close;

	if (config_cat(&out, &len, "", 0) == -1)
		return NULL;
	while (*p != '\0') {
		size_t plain = strcspn(p, "%");

		config_cat(&out, &len, p, plain);
		p += plain;
		if (*p == '\0')
			break;
		if (p[1] == '%' || p[1] != '(') {
			config_cat(&out, &len, "%", 1);
			p += p[1] == '%' ? 2 : 1;
			continue;
		}
		close = strstr(p, ")s");
		if (close == NULL || (size_t)(close - p - 2) >= sizeof name) {
			config_error(cfg, line, "unterminated %%(...)s in '%s'", v);
			free(out);
			return NULL;
		}
		memcpy(name, p + 2, (size_t)(close - p - 2));
		name[close - p - 2] = '\0';
		if (strcmp(name, "here") == 0)
			val = cfg->dir;
		else if (strcmp(name, "program_name") == 0 && prog != NULL)
			val = prog;
		else if (strncmp(name, "ENV_", 4) == 0)
			val = getenv(name + 4);
		else
			val = NULL;
		if (val == NULL) {
			config_error(cfg, line, strncmp(name, "ENV_", 4) == 0 ?
			    "%%(%s)s: %s is not set in tend's environment" :
			    "%%(%s)s: unknown expansion%s (known: ENV_NAME, here, "
			    "program_name)", name, strncmp(name, "ENV_", 4) == 0 ?
			    name + 4 : "");
			free(out);
			return NULL;
		}
		config_cat(&out, &len, val, strlen(val));
		p = close + 2;
	}
	return out;
}

static bool
config_is_identifier(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || isdigit((unsigned char)s[0]))
		return false;
	for (i = 0; i < n; i++) {
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return false;
	}
	return true;
}

static void
config_free_strv(char **v)
{
	size_t i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

/* Parse one KEY=value item at *P (up to a ',' outside quotes) into OUT. */
static int
config_env_item(const char **pp, char **out, const char **why)
{
	const char *p = *pp, *key = p;
	size_t keylen, len = 0, kept;
	char *item = NULL;

	keylen = strcspn(p, "=,");
	while (keylen > 0 && isspace((unsigned char)key[keylen - 1]))
		keylen--;
	p += strcspn(p, "=,");
	if (*p != '=' || !config_is_identifier(key, keylen)) {
		*why = *p != '=' ? "missing '='" : "bad variable name";
		return -1;
	}
	config_cat(&item, &len, key, keylen);
	config_cat(&item, &len, "=", 1);
	kept = len;		/* trailing space before here is quoted */
	p++;
	while (*p == ' ' || *p == '\t')
		p++;
	while (*p != '\0' && *p != ',') {
		if (*p == '"' || *p == '\'') {
			const char *end = strchr(p + 1, *p);

			if (end == NULL) {
				free(item);
				*why = "unterminated quote";
				return -1;
			}
			config_cat(&item, &len, p + 1, (size_t)(end - p - 1));
			kept = len;
			p = end + 1;
			continue;
		}
		config_cat(&item, &len, p, 1);
		p++;
	}
	while (len > kept && isspace((unsigned char)item[len - 1]))
		item[--len] = '\0';
	*pp = *p == ',' ? p + 1 : p;
	*out = item;
	return 0;
}

/* Expand the value of the KEY=value item *ITEM.  This comes after the
 * split, so whatever a variable holds (a comma, a quote) stays in this
 * value and cannot add a variable of its own. */
static int
config_env_expand(struct config *cfg, int line, char **item,
    const char *prog)
{
	char *eq = strchr(*item, '='), *val, *out;

	if ((val = config_expand(cfg, line, eq + 1, prog)) == NULL)
		return -1;
	if (asprintf(&out, "%.*s=%s", (int)(eq - *item), *item, val) == -1) {
		free(val);
		return -1;
	}
	free(val);
	free(*item);
	*item = out;
	return 0;
}

/* supervisord syntax: KEY=val,KEY2="a, b",KEY3='x'; each value expanded. */
static char **
config_environment(struct config *cfg, int line, const char *v,
    const char *prog)
{
	char **env = calloc(1, sizeof *env), **grown;
	const char *p = v, *why = NULL;
	size_t n = 0;

	while (env != NULL) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			return env;
		grown = realloc(env, (n + 2) * sizeof *env);
		if (grown == NULL)
			break;
		env = grown;
		env[n + 1] = NULL;
		if (config_env_item(&p, &env[n], &why) == -1) {
			env[n] = NULL;
			config_error(cfg, line, "environment: %s in '%s' (expected "
			    "KEY=value,KEY2=\"a, b\")", why, v);
			break;
		}
		if (config_env_expand(cfg, line, &env[n], prog) == -1)
			break;
		n++;
	}
	config_free_strv(env);
	return NULL;
}

/* --- program keys ------------------------------------------------------ */

enum config_type {
	T_STRING,		/* expanded */
	T_PATH,			/* expanded, relative to the config's folder */
	T_ENV, T_BOOL, T_INT, T_SECONDS, T_SIGNAL, T_EXITCODES, T_RESTART,
	T_URL, T_STATUS,
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
	K(probe_timeout, T_SECONDS),
#undef K
};

static char *
config_resolve(const struct config *cfg, const char *v)
{
	char *out;

	if (v[0] == '/')
		return strdup(v);
	if (strcmp(v, ".") == 0 || v[0] == '\0')
		return strdup(cfg->dir);
	if (strncmp(v, "./", 2) == 0)
		v += 2;
	return asprintf(&out, "%s/%s", cfg->dir, v) == -1 ? NULL : out;
}

static void
config_replace(char **field, char *value)
{
	free(*field);
	*field = value;
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
    const struct config_entry *e, double d, double *field)
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
    const struct config_key *k, const struct config_entry *e)
{
	void *field = (char *)pc + k->offset;
	const char *v = e->value;
	char *s;
	long n;
	double d;

	switch (k->type) {
	case T_STRING:
	case T_PATH:
		s = config_expand(cfg, e->line, v, pc->name);
		if (s != NULL && k->type == T_PATH)
			config_replace(&s, config_resolve(cfg, s));
		if (s == NULL)
			return -1;
		config_replace(field, s);
		return 0;
	case T_ENV:
		config_free_strv(*(char ***)field);
		*(char ***)field = config_environment(cfg, e->line, v, pc->name);
		return *(char ***)field == NULL ? -1 : 0;
	case T_BOOL:
		if ((n = config_bool(v)) == -1)
			break;
		*(bool *)field = n;
		return 0;
	case T_INT:
		if ((n = config_uint(v, CONFIG_MAX_INT)) == -1)
			break;
		*(int *)field = (int)n;
		return 0;
	case T_SECONDS:
		if ((d = config_seconds(v)) < 0)
			break;
		return config_probe_seconds(cfg, k, e, d, field);
	case T_SIGNAL:
		if ((n = config_stopsignal(v)) == -1)
			break;
		*(int *)field = (int)n;
		return 0;
	case T_EXITCODES:
		if (config_exitcodes(v, field) == -1)
			break;
		return 0;
	case T_RESTART:
		if (strcasecmp(v, "unexpected") == 0)
			n = CONFIG_RESTART_UNEXPECTED;
		else if ((n = config_bool(v)) == -1)
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
		if ((n = config_uint(v, 599)) < 100)
			break;
		*(int *)field = (int)n;
		return 0;
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
config_unknown_key(struct config_reader *r, const struct config_entry *e,
    const char *const *known)
{
	const char *near;

	/* Past the cap no error is kept: spare the search for a near key,
	 * which is most of the time of a section of many unknown keys. */
	if (r->cfg->nerrors > CONFIG_MAX_ERRORS)
		return;
	near = config_nearest(known, e->key);
	if (near != NULL)
		config_error(r->cfg, e->line, "unknown key '%s' in [%s]; did you "
		    "mean '%s'?", e->key, r->section, near);
	else
		config_error(r->cfg, e->line, "unknown key '%s' in [%s]", e->key,
		    r->section);
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
}

static void
config_end_program(struct config_reader *r)
{
	struct config *cfg = r->cfg;
	struct program_config *pc = &cfg->programs[cfg->nprograms - 1];
	size_t i;

	for (i = 0; i < r->nentries; i++) {
		const struct config_entry *e = &r->entries[i];
		const struct config_key *k = config_program_key(e->key);

		if (k != NULL)
			config_set(cfg, pc, k, e);
		else if (config_in(config_supervisord_keys, e->key))
			config_warn(cfg, e->line, "'%s' is a supervisord key tend "
			    "does not implement; ignored%s", e->key,
			    strstr(e->key, "asgroup") ? " (tend always signals "
			    "the whole process group)" : "");
		else
			config_unknown_key(r, e, config_program_keys);
	}
	if (pc->command == NULL || pc->command[strspn(pc->command, " \t")] ==
	    '\0')
		config_error(cfg, r->section_line, "[%s] has no command",
		    r->section);
}

/* An empty log_dir would resolve to the config's folder, the way an empty
 * directory does; but no log_dir means no log files, so an empty one is
 * far more likely a slip than a wish for logs next to the config. */
static void
config_log_dir(struct config *cfg, const struct config_entry *e)
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
		config_replace(&cfg->log_dir, config_resolve(cfg, s));
	free(s);
}

static void
config_end_tend(struct config_reader *r)
{
	struct config *cfg = r->cfg;
	size_t i;
	long n;

	for (i = 0; i < r->nentries; i++) {
		const struct config_entry *e = &r->entries[i];

		if (strcmp(e->key, "scrollback") == 0) {
			if ((n = config_uint(e->value, 100000000)) > 0)
				cfg->scrollback = (size_t)n;
			else
				config_error(cfg, e->line, "scrollback: '%s' must "
				    "be a whole number of lines above 0", e->value);
		} else if (strcmp(e->key, "log_dir") == 0) {
			config_log_dir(cfg, e);
		} else if (strcmp(e->key, "shell") == 0) {
			config_replace(&cfg->shell, strdup(e->value));
		} else {
			config_unknown_key(r, e, config_tend_keys);
		}
	}
}

/* The section being read is complete: check and apply its keys. */
static void
config_end_section(struct config_reader *r)
{
	size_t i;

	if (r->kind == SECTION_TEND)
		config_end_tend(r);
	else if (r->kind == SECTION_PROGRAM)
		config_end_program(r);
	for (i = 0; i < r->nentries; i++) {
		free(r->entries[i].key);
		free(r->entries[i].value);
	}
	r->nentries = 0;
	memset(r->first_line, 0, sizeof r->first_line);
	free(r->section);
	r->section = NULL;
	r->kind = SECTION_SKIPPED;
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
config_begin_program(struct config_reader *r, const char *name)
{
	struct config *cfg = r->cfg;
	struct program_config *grown;
	size_t i;

	if (!config_valid_name(name)) {
		config_error(cfg, r->line, "[program:%s]: a program name is "
		    "letters, digits, '_', '-' and '.' (not first)", name);
		return;
	}
	if (cfg->nprograms == CONFIG_MAX_PROGRAMS) {
		config_error(cfg, r->line, "more than %d programs",
		    CONFIG_MAX_PROGRAMS);
		return;
	}
	for (i = 0; i < cfg->nprograms; i++) {
		if (strcmp(cfg->programs[i].name, name) == 0) {
			config_error(cfg, r->line, "duplicate program '%s' (first "
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
	grown[cfg->nprograms].line = r->line;
	cfg->nprograms++;
	r->kind = SECTION_PROGRAM;
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

static void
config_begin_section(struct config_reader *r, const char *name)
{
	static const char *const known[] = { "tend", "program:", NULL };
	const char *near;

	config_end_section(r);
	r->section = strdup(name);
	r->section_line = r->line;
	r->kind = SECTION_SKIPPED;
	if (strcmp(name, "tend") == 0) {
		if (r->tend_line != 0) {
			config_error(r->cfg, r->line, "duplicate [tend] (first at "
			    "line %d)", r->tend_line);
			return;
		}
		r->tend_line = r->line;
		r->kind = SECTION_TEND;
	} else if (strncmp(name, "program:", 8) == 0) {
		config_begin_program(r, name + 8);
	} else if (config_skipped_section(name)) {
		config_warn(r->cfg, r->line, "[%s] is a supervisord section; tend "
		    "skips it", name);
	} else if (strchr(name, ':') != NULL &&
	    config_distance(strndupa(name, strcspn(name, ":") + 1),
	    "program:") <= 2) {
		config_error(r->cfg, r->line, "unknown section [%s]; did you mean "
		    "[program:%s]?", name, strchr(name, ':') + 1);
	} else if ((near = config_nearest(known, name)) != NULL) {
		config_error(r->cfg, r->line, "unknown section [%s]; did you mean "
		    "[%s]?", name, near);
	} else {
		config_error(r->cfg, r->line, "unknown section [%s] (tend reads "
		    "[tend] and [program:NAME])", name);
	}
}

/* --- reading ----------------------------------------------------------- */

/* Join a continuation line to the value it continues.  (inih keeps an
 * inline comment on a continuation line: it is cut here.)  The value's
 * room doubles as it grows, so a value continued on many lines is joined
 * in linear time. */
static void
config_continue(struct config_reader *r, const char *value)
{
	struct config_entry *e = &r->entries[r->nentries - 1];
	const char *c = value;
	size_t n, size;
	char *grown;

	while ((c = strchr(c, ';')) != NULL && c > value &&
	    c[-1] != ' ' && c[-1] != '\t')
		c++;
	n = c != NULL ? (size_t)(c - value) : strlen(value);
	while (n > 0 && (value[n - 1] == ' ' || value[n - 1] == '\t'))
		n--;
	if (n == 0)
		return;
	size = e->size;
	while (size < e->len + n + 2)	/* ' ', the N bytes and the NUL */
		size *= 2;
	if (size != e->size) {
		if ((grown = realloc(e->value, size)) == NULL)
			return;
		e->value = grown;
		e->size = size;
	}
	e->value[e->len++] = ' ';
	memcpy(e->value + e->len, value, n);
	e->len += n;
	e->value[e->len] = '\0';
}

static int
config_push_entry(struct config_reader *r, const char *name,
    const char *value)
{
	struct config_entry *grown;

	if (r->nentries == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;

		grown = realloc(r->entries, cap * sizeof *grown);
		if (grown == NULL)
			return -1;
		r->entries = grown;
		r->cap = cap;
	}
	r->entries[r->nentries].key = strdup(name);
	r->entries[r->nentries].value = strdup(value);
	r->entries[r->nentries].len = strlen(value);
	r->entries[r->nentries].size = strlen(value) + 1;
	r->entries[r->nentries].line = r->line;
	if (r->entries[r->nentries].key == NULL ||
	    r->entries[r->nentries].value == NULL) {
		free(r->entries[r->nentries].key);
		free(r->entries[r->nentries].value);
		return -1;
	}
	r->nentries++;
	return 0;
}

/* inih calls this for each "key = value" and each continuation line. */
static int
config_handle(void *user, const char *section, const char *name,
    const char *value)
{
	struct config_reader *r = user;
	int id;

	(void)section;
	if (r->indented) {
		if (r->nentries > 0)
			config_continue(r, value);
		return 1;
	}
	if (r->kind == SECTION_NONE) {
		config_error(r->cfg, r->line, "'%s' is outside any section "
		    "(start with [program:NAME])", name);
		return 1;
	}
	if (r->kind == SECTION_SKIPPED)
		return 1;
	id = config_key_id(r->kind, name);
	if (id >= 0 && r->first_line[id] != 0) {
		config_error(r->cfg, r->line, "duplicate key '%s' in [%s] (first "
		    "at line %d)", name, r->section, r->first_line[id]);
		return 1;
	}
	if (config_push_entry(r, name, value) == 0 && id >= 0)
		r->first_line[id] = r->line;
	return 1;
}

/* A "[name]" line: returns 1 and starts the section, 0 if LINE is not a
 * header, -1 after reporting a broken one. */
static int
config_header(struct config_reader *r, const char *s)
{
	const char *end;
	char *name;

	if (*s != '[')
		return 0;
	end = strchr(s, ']');
	if (end == NULL) {
		config_error(r->cfg, r->line, "section header without ']'");
		config_end_section(r);
		return -1;
	}
	name = strndup(s + 1, (size_t)(end - s - 1));
	if (name == NULL)
		return -1;
	config_begin_section(r, name);
	free(name);
	r->has_key = false;
	return 1;
}

/* Check one physical line; false if inih must not see it. */
static bool
config_check_line(struct config_reader *r, size_t len)
{
	const char *s = r->buf + strspn(r->buf, " \t");

	r->indented = false;
	if (memchr(r->buf, '\0', len) != NULL) {
		config_error(r->cfg, r->line, "a NUL byte: this is not a text "
		    "file");
		return false;
	}
	if (len > CONFIG_LINE_MAX) {
		config_error(r->cfg, r->line, "line is longer than %d "
		    "characters; continue the value on the next line, indented",
		    CONFIG_LINE_MAX);
		return false;
	}
	if (*s == '\0' || *s == ';' || *s == '#')
		return true;
	if (s > r->buf && r->has_key) {
		r->indented = true;	/* inih: a continuation */
		return true;
	}
	switch (config_header(r, s)) {
	case 1:
		return true;
	case -1:
		return false;
	}
	if (strpbrk(s, "=:") == NULL) {
		config_error(r->cfg, r->line, "not a 'key = value' line or a "
		    "[section]");
		return false;
	}
	r->has_key = true;
	return true;
}

/* A UTF-8 byte order mark, which some Windows editors put at the start of
 * the file, is not part of the first line.  (inih skips one only when it
 * reads the file itself.) */
static void
config_skip_bom(struct config_reader *r, ssize_t *n)
{
	if (r->line == 1 && *n >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0) {
		memmove(r->buf, r->buf + 3, (size_t)*n - 3 + 1);
		*n -= 3;
	}
}

/*
 * inih's reader: hands it the file line by line, checked.  STR has room
 * for NUM bytes, the NUL included, and config_check_line() refused lines
 * longer than CONFIG_LINE_MAX (NUM - 1), so a line handed over is never
 * cut.  A '\n' is added when there is room for it: this inih does not need
 * one, but newer ones take a full buffer without it for a line cut short
 * and read on to discard the rest; the empty line owed then is what they
 * discard (to this one it is a blank line).
 */
static char *
config_read_line(char *str, int num, void *stream)
{
	struct config_reader *r = stream;
	ssize_t n;

	if (r->owe_newline && num >= 2) {
		r->owe_newline = false;
		return strcpy(str, "\n");
	}
	for (;;) {
		if (r->too_big || (n = getline(&r->buf, &r->bufsize, r->f)) == -1)
			return NULL;
		/* The size was checked when the file was opened; a file
		 * written to meanwhile is not read past the limit either. */
		if ((r->bytes += (size_t)n) > CONFIG_MAX_BYTES) {
			config_error(r->cfg, 0, "too large (it grew past the %d MiB "
			    "limit while being read)", CONFIG_MAX_BYTES >> 20);
			r->too_big = true;
			return NULL;
		}
		r->line++;
		config_skip_bom(r, &n);
		while (n > 0 && (r->buf[n - 1] == '\n' || r->buf[n - 1] == '\r'))
			r->buf[--n] = '\0';
		if (!config_check_line(r, (size_t)n))
			continue;
		if (n > num - 1) {	/* only if inih's buffer is not the
					   INI_MAX_LINE bytes it should be */
			config_error(r->cfg, r->line, "line is longer than %d "
			    "characters; continue the value on the next line, "
			    "indented", num - 1);
			continue;
		}
		memcpy(str, r->buf, (size_t)n);
		if (n < num - 1)
			str[n++] = '\n';
		else
			r->owe_newline = true;
		str[n] = '\0';
		return str;
	}
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

static const char *
config_file_kind(mode_t mode)
{
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a file";
}

/* Only a regular file of at most CONFIG_MAX_BYTES is read: /dev/zero or
 * /dev/urandom would be read for ever, a FIFO may never end.  Returns 0,
 * or -1 after reporting. */
static int
config_check_file(struct config *cfg, const struct stat *sb)
{
	long long mib, tenth;

	if (S_ISDIR(sb->st_mode)) {
		config_error(cfg, 0, "cannot open: %s", strerror(EISDIR));
		return -1;
	}
	if (!S_ISREG(sb->st_mode)) {
		config_error(cfg, 0, "not a regular file (%s)",
		    config_file_kind(sb->st_mode));
		return -1;
	}
	if (sb->st_size <= CONFIG_MAX_BYTES)
		return 0;
	/* In MiB, rounded up to a tenth: just past the limit is not
	 * shown as the limit itself. */
	mib = (long long)(sb->st_size >> 20);
	tenth = ((long long)(sb->st_size & ((1 << 20) - 1)) * 10 +
	    (1 << 20) - 1) >> 20;
	if (tenth == 10)
		mib++, tenth = 0;
	if (tenth == 0)
		config_error(cfg, 0, "too large (%lld MiB; the limit is %d MiB)",
		    mib, CONFIG_MAX_BYTES >> 20);
	else
		config_error(cfg, 0, "too large (%lld.%lld MiB; the limit is %d "
		    "MiB)", mib, tenth, CONFIG_MAX_BYTES >> 20);
	return -1;
}

/*
 * Open the config without waiting: O_NONBLOCK, as opening a FIFO with no
 * writer blocks until one comes.  Once fstat() has shown a regular file,
 * whose reads never wait, the flag is cleared again for stdio.
 */
static FILE *
config_open(struct config *cfg)
{
	struct stat sb;
	FILE *f;
	int fd, flags, err;

	fd = open(cfg->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1) {
		err = errno;
		/* A socket cannot be opened at all: say what it is. */
		if (err == ENXIO && stat(cfg->path, &sb) == 0 &&
		    !S_ISREG(sb.st_mode)) {
			config_check_file(cfg, &sb);
			return NULL;
		}
		config_error(cfg, 0, "cannot open: %s", strerror(err));
		return NULL;
	}
	if (fstat(fd, &sb) == -1) {
		config_error(cfg, 0, "cannot read: %s", strerror(errno));
		close(fd);
		return NULL;
	}
	if (config_check_file(cfg, &sb) == -1) {
		close(fd);
		return NULL;
	}
	if ((flags = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == -1 ||
	    (f = fdopen(fd, "r")) == NULL) {
		config_error(cfg, 0, "cannot read: %s", strerror(errno));
		close(fd);
		return NULL;
	}
	return f;
}

int
config_load(const char *path, struct config *cfg)
{
	struct config_reader r;

	memset(cfg, 0, sizeof *cfg);
	memset(&r, 0, sizeof r);
	cfg->path = strdup(path);
	cfg->dir = config_dir_of(path);
	cfg->shell = strdup("/bin/sh");
	cfg->scrollback = CONFIG_DEFAULT_SCROLLBACK;
	if (cfg->path == NULL || cfg->dir == NULL || cfg->shell == NULL) {
		config_error(cfg, 0, "out of memory");
		return -1;
	}
	r.cfg = cfg;
	r.f = config_open(cfg);
	if (r.f == NULL)
		return -1;
	ini_parse_stream(config_read_line, &r, config_handle, &r);
	config_end_section(&r);
	if (ferror(r.f))
		config_error(cfg, 0, "cannot read: %s", strerror(errno));
	fclose(r.f);
	free(r.buf);
	free(r.entries);
	if (cfg->nprograms == 0)
		config_error(cfg, 0, "no [program:NAME] sections");
	return cfg->nerrors > 0 ? -1 : 0;
}

static void
config_free_program(struct program_config *pc)
{
	free(pc->name);
	free(pc->command);
	free(pc->directory);
	config_free_strv(pc->environment);
	free(pc->stop_input);
	free(pc->ready_log);
	free(pc->probe_url);
	free(pc->probe_body);
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
