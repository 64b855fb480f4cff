/*
 * configval: owns what the text of a config value means — booleans,
 * numbers, seconds, signals, exit codes, paths, supervisord's %(...)s
 * expansions and environment lists — and the nearest-word search behind
 * "did you mean".  It keeps no state and knows no file: the config module
 * reports what fails, with the file and line.
 */
#define _GNU_SOURCE		/* asprintf */
#include "configval.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* --- suggestions ------------------------------------------------------- */

size_t
configval_distance(const char *a, const char *b)
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

const char *
configval_nearest(const char *const *known, const char *word)
{
	const char *best = NULL;
	size_t best_d = SIZE_MAX, limit = strlen(word) <= 4 ? 1 : 2;

	for (; *known != NULL; known++) {
		size_t d = configval_distance(*known, word);

		if (d < best_d) {
			best_d = d;
			best = *known;
		}
	}
	return best_d <= limit ? best : NULL;
}

/* --- scalars ----------------------------------------------------------- */

int
configval_bool(const char *v)
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

long
configval_uint(const char *v, long max)
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

long long
configval_bytes(const char *v, long long max)
{
	static const struct { const char *suffix; long long factor; } units[] = {
		{ "", 1 }, { "KB", 1024LL }, { "MB", 1024LL * 1024 },
		{ "GB", 1024LL * 1024 * 1024 },
	};
	char *end;
	long long n;
	size_t i;

	if (!isdigit((unsigned char)v[0]))
		return -1;
	errno = 0;
	n = strtoll(v, &end, 10);
	if (errno != 0)
		return -1;
	for (i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (strcasecmp(end, units[i].suffix) != 0)
			continue;
		if (n > max / units[i].factor)
			return -1;
		return n * units[i].factor;
	}
	return -1;
}

double
configval_seconds(const char *v, double max)
{
	char *end;
	double d;

	if (!isdigit((unsigned char)v[0]) && v[0] != '.')
		return -1;
	errno = 0;
	d = strtod(v, &end);
	if (errno != 0 || *end != '\0' || !isfinite(d) || d > max)
		return -1;
	return d;
}

/* --- signals and exit codes -------------------------------------------- */

static const struct {
	const char *name;
	int signo;
} configval_signals[] = {
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
#define CONFIGVAL_NSTOPSIGNALS 7

const char *
configval_signal_name(int signo)
{
	size_t i;

	for (i = 0; i < sizeof configval_signals / sizeof configval_signals[0];
	    i++) {
		if (configval_signals[i].signo == signo)
			return configval_signals[i].name;
	}
	return "?";
}

int
configval_stopsignal(const char *v)
{
	size_t i;

	if (strncasecmp(v, "SIG", 3) == 0)
		v += 3;
	for (i = 0; i < CONFIGVAL_NSTOPSIGNALS; i++) {
		if (strcasecmp(v, configval_signals[i].name) == 0)
			return configval_signals[i].signo;
	}
	return -1;
}

int
configval_exitcodes(const char *v, unsigned char codes[256])
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

/* --- paths ------------------------------------------------------------- */

char *
configval_path(const char *dir, const char *v)
{
	char *out;

	if (v[0] == '/')
		return strdup(v);
	if (strcmp(v, ".") == 0 || v[0] == '\0')
		return strdup(dir);
	if (strncmp(v, "./", 2) == 0)
		v += 2;
	return asprintf(&out, "%s/%s", dir, v) == -1 ? NULL : out;
}

/* --- expansions and environment ---------------------------------------- */

/* *WHY = the message, or NULL if memory ran out. */
static void __attribute__((format(printf, 2, 3)))
configval_why(char **why, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(why, fmt, ap) == -1)
		*why = NULL;
	va_end(ap);
}

/* Append N bytes of S to the growing string *OUT. */
static int
configval_cat(char **out, size_t *len, const char *s, size_t n)
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

/* The value of the expansion NAME (of %(NAME)s), or NULL after setting
 * *WHY. */
static const char *
configval_lookup(const char *name, const char *here, const char *program,
    char **why)
{
	const char *val = NULL;

	if (strcmp(name, "here") == 0)
		val = here;
	else if (strcmp(name, "program_name") == 0 ||
	    strcmp(name, "group_name") == 0)
		val = program;	/* supervisord's group of one program is it */
	else if (strncmp(name, "ENV_", 4) == 0)
		val = getenv(name + 4);
	if (val != NULL)
		return val;
	if (strncmp(name, "ENV_", 4) == 0)
		configval_why(why, "%%(%s)s: %s is not set in tend's environment",
		    name, name + 4);
	else if (strcmp(name, "program_name") == 0 ||
	    strcmp(name, "group_name") == 0 ||
	    strcmp(name, "process_num") == 0 || strcmp(name, "numprocs") == 0)
		configval_why(why, "%%(%s)s: no program here (it is known in "
		    "[program:NAME] sections)", name);
	else
		configval_why(why, "%%(%s)s: unknown expansion (known: ENV_NAME, "
		    "here, program_name, group_name, process_num, numprocs)",
		    name);
	return NULL;
}

char *
configval_expand(const char *v, const char *here, const char *program,
    char **why)
{
	char *out = NULL, name[128];
	size_t len = 0;
	const char *p = v, *val, *close;

	*why = NULL;
	if (configval_cat(&out, &len, "", 0) == -1)
		return NULL;
	while (*p != '\0') {
		size_t plain = strcspn(p, "%");

		configval_cat(&out, &len, p, plain);
		p += plain;
		if (*p == '\0')
			break;
		if (p[1] == '%' || p[1] != '(') {
			configval_cat(&out, &len, "%", 1);
			p += p[1] == '%' ? 2 : 1;
			continue;
		}
		close = strstr(p, ")s");
		if (close == NULL || (size_t)(close - p - 2) >= sizeof name) {
			configval_why(why, "unterminated %%(...)s in '%s'", v);
			free(out);
			return NULL;
		}
		memcpy(name, p + 2, (size_t)(close - p - 2));
		name[close - p - 2] = '\0';
		if ((val = configval_lookup(name, here, program, why)) == NULL) {
			free(out);
			return NULL;
		}
		configval_cat(&out, &len, val, strlen(val));
		p = close + 2;
	}
	return out;
}

static bool
configval_is_identifier(const char *s, size_t n)
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

void
configval_free_strv(char **v)
{
	size_t i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

/* Parse one KEY=value item at *P (up to a ',' outside quotes) into OUT;
 * -1 with *REASON saying what is wrong with it. */
static int
configval_env_item(const char **pp, char **out, const char **reason)
{
	const char *p = *pp, *key = p;
	size_t keylen, len = 0, kept;
	char *item = NULL;

	keylen = strcspn(p, "=,");
	while (keylen > 0 && isspace((unsigned char)key[keylen - 1]))
		keylen--;
	p += strcspn(p, "=,");
	if (*p != '=' || !configval_is_identifier(key, keylen)) {
		*reason = *p != '=' ? "missing '='" : "bad variable name";
		return -1;
	}
	configval_cat(&item, &len, key, keylen);
	configval_cat(&item, &len, "=", 1);
	kept = len;		/* trailing space before here is quoted */
	p++;
	while (*p == ' ' || *p == '\t')
		p++;
	while (*p != '\0' && *p != ',') {
		if (*p == '"' || *p == '\'') {
			const char *end = strchr(p + 1, *p);

			if (end == NULL) {
				free(item);
				*reason = "unterminated quote";
				return -1;
			}
			configval_cat(&item, &len, p + 1, (size_t)(end - p - 1));
			kept = len;
			p = end + 1;
			continue;
		}
		configval_cat(&item, &len, p, 1);
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
configval_env_expand(char **item, const char *here, const char *program,
    char **why)
{
	char *eq = strchr(*item, '='), *val, *out;

	if ((val = configval_expand(eq + 1, here, program, why)) == NULL)
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

char **
configval_environment(const char *v, const char *here, const char *program,
    char **why)
{
	char **env = calloc(1, sizeof *env), **grown;
	const char *p = v, *reason = NULL;
	size_t n = 0;

	*why = NULL;
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
		if (configval_env_item(&p, &env[n], &reason) == -1) {
			env[n] = NULL;
			configval_why(why, "environment: %s in '%s' (expected "
			    "KEY=value,KEY2=\"a, b\")", reason, v);
			break;
		}
		if (configval_env_expand(&env[n], here, program, why) == -1) {
			char *inner = *why;

			configval_why(why, "environment: %s",
			    inner != NULL ? inner : "out of memory");
			free(inner);
			break;
		}
		n++;
	}
	configval_free_strv(env);
	return NULL;
}

char **
configval_list(const char *v)
{
	size_t n = 1, k = 0;
	const char *p, *end;
	char **out;

	for (p = v; *p != '\0'; p++)
		n += *p == ',';
	if ((out = calloc(n + 1, sizeof *out)) == NULL)
		return NULL;
	for (p = v;; p = end + 1) {
		const char *a, *b;

		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		for (a = p; a < end && isspace((unsigned char)*a); a++)
			;
		for (b = end; b > a && isspace((unsigned char)b[-1]); b--)
			;
		if (b > a && (out[k] = strndup(a, (size_t)(b - a))) != NULL)
			k++;
		if (*end == '\0')
			break;
	}
	return out;
}

bool
configval_hostport(const char *v)
{
	const char *colon = strrchr(v, ':');
	char *end;
	long port;

	if (colon == NULL || colon == v)
		return false;
	if (v[0] == '[' && colon[-1] != ']')
		return false;
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	return errno == 0 && end != colon + 1 && *end == '\0' && port >= 1 &&
	    port <= 65535;
}

/* --- numbers in %(NAME)FORMAT ------------------------------------------ */

/*
 * The length of a Python %-conversion after "%(NAME)" at P: flags, a
 * width, a precision, then one of d i u s x X o; 0 if there is none.
 * supervisord formats with Python's % operator, so "%(process_num)02d"
 * and "%(process_num)s" are both in real configs.
 */
static size_t
configval_conversion(const char *p)
{
	size_t n = strspn(p, "-+ #0");

	n += strspn(p + n, "0123456789");
	if (p[n] == '.')
		n += 1 + strspn(p + n + 1, "0123456789");
	if (p[n] == '\0' || strchr("diusxXo", p[n]) == NULL)
		return 0;
	return n + 1;
}

/* VALUE formatted by the conversion SPEC (LEN bytes, as above) into OUT;
 * 0, or -1 when the spec does not fit in a format of ours. */
static int
configval_format_number(const char *spec, size_t len, long value,
    char *out, size_t size)
{
	char fmt[32], conv = spec[len - 1];

	if (len + 3 > sizeof fmt)
		return -1;
	/* s, i and u of a number print as d does. */
	snprintf(fmt, sizeof fmt, "%%%.*sl%c", (int)len - 1, spec,
	    conv == 's' || conv == 'i' || conv == 'u' ? 'd' : conv);
	snprintf(out, size, fmt, value);
	return 0;
}

char *
configval_expand_number(const char *v, const char *name, long value,
    char **why)
{
	char *out = NULL, num[64];
	size_t len = 0, nlen = strlen(name), conv;
	const char *p = v;

	*why = NULL;
	if (configval_cat(&out, &len, "", 0) == -1)
		return NULL;
	while (*p != '\0') {
		size_t plain = strcspn(p, "%");

		configval_cat(&out, &len, p, plain);
		p += plain;
		if (*p == '\0')
			break;
		/* "%%" stays for configval_expand(), which makes it '%'. */
		if (p[1] == '%' || p[1] != '(' || strncmp(p + 2, name, nlen) != 0 ||
		    p[2 + nlen] != ')') {
			configval_cat(&out, &len, p, p[1] == '%' ? 2 : 1);
			p += p[1] == '%' ? 2 : 1;
			continue;
		}
		conv = configval_conversion(p + 3 + nlen);
		if (conv == 0 || configval_format_number(p + 3 + nlen, conv, value,
		    num, sizeof num) == -1) {
			configval_why(why, "%%(%s) needs a format such as s or 02d "
			    "after it, in '%s'", name, v);
			free(out);
			return NULL;
		}
		configval_cat(&out, &len, num, strlen(num));
		p += 3 + nlen + conv;
	}
	return out;
}

int
configval_int(const char *v, long min, long max, long *out)
{
	char *end;
	long n;

	if (!isdigit((unsigned char)v[v[0] == '-' || v[0] == '+']))
		return -1;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || *end != '\0' || n < min || n > max)
		return -1;
	*out = n;
	return 0;
}

int
configval_umask(const char *v)
{
	char *end;
	long n;

	if (v[0] < '0' || v[0] > '7')
		return -1;
	errno = 0;
	n = strtol(v, &end, 8);
	if (errno != 0 || *end != '\0' || n > 0777)
		return -1;
	return (int)n;
}
