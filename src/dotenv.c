/*
 * dotenv: owns the syntax of .env files — comments, "export", quotes and
 * their escapes, ${VAR} and $VAR references — and nothing else: the text
 * comes from the caller, problems go back to it by line.
 */
#define _GNU_SOURCE		/* strndup */
#include "dotenv.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DOTENV_QUOTE_MAX 40	/* of a line quoted in a message */

struct dotenv_parser {
	const char *p, *end;
	int line;
	struct dotenv *env;
	dotenv_lookup_fn lookup;
	void *lookup_user;
	dotenv_report_fn report;
	void *report_user;
	bool failed;

	const char *key;	/* of the value being read, for messages */
	int key_line;
	char *out;		/* the value being read */
	size_t len, cap;
};

static void __attribute__((format(printf, 3, 4)))
dotenv_error(struct dotenv_parser *d, int line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	d->report(d->report_user, line, msg);
	d->failed = true;
}

static bool
dotenv_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool
dotenv_name_start(char c)
{
	return isalpha((unsigned char)c) || c == '_';
}

static bool
dotenv_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* --- the value being read ------------------------------------------------ */

static void
dotenv_put(struct dotenv_parser *d, const char *s, size_t n)
{
	char *grown;

	if (d->len + n + 1 > d->cap) {
		size_t cap = d->cap ? d->cap : 64;

		while (cap < d->len + n + 1)
			cap *= 2;
		if ((grown = realloc(d->out, cap)) == NULL)
			return;
		d->out = grown;
		d->cap = cap;
	}
	memcpy(d->out + d->len, s, n);
	d->len += n;
	d->out[d->len] = '\0';
}

const char *
dotenv_get(const struct dotenv *env, const char *key)
{
	size_t i;

	for (i = 0; i < env->n; i++) {
		if (strcmp(env->vars[i].key, key) == 0)
			return env->vars[i].value;
	}
	return NULL;
}

/* NAME's value: given earlier in the file, else LOOKUP's; NULL if
 * unset. */
static const char *
dotenv_value_of(struct dotenv_parser *d, const char *name)
{
	const char *v = dotenv_get(d->env, name);

	if (v != NULL)
		return v;
	return d->lookup != NULL ? d->lookup(d->lookup_user, name) :
	    getenv(name);
}

/*
 * A reference at d->p, which is at a '$': ${NAME}, ${NAME:-default},
 * ${NAME-default} or $NAME, its value put in the value being read; a '$'
 * before anything else is a '$'.  LIMIT is where the value's text ends.
 * Returns -1 after reporting a broken ${...}.
 */
static int
dotenv_reference(struct dotenv_parser *d, const char *limit)
{
	const char *p = d->p + 1, *name, *close, *v, *dflt = NULL;
	size_t n;
	char *key;

	if (p < limit && dotenv_name_start(*p)) {
		for (name = p; p < limit && dotenv_name_char(*p); p++)
			;
		if ((key = strndup(name, (size_t)(p - name))) == NULL)
			return -1;
		if ((v = dotenv_value_of(d, key)) != NULL)
			dotenv_put(d, v, strlen(v));
		free(key);
		d->p = p;
		return 0;
	}
	if (p >= limit || *p != '{') {
		dotenv_put(d, "$", 1);
		d->p++;
		return 0;
	}
	for (close = ++p; close < limit && *close != '}' && *close != '\n';
	    close++)
		;
	if (close >= limit || *close != '}') {
		dotenv_error(d, d->line, "unterminated ${ in the value of %s",
		    d->key);
		return -1;
	}
	for (name = p; p < close && dotenv_name_char(*p); p++)
		;
	n = (size_t)(p - name);
	if (p < close && *p == '-')
		dflt = p + 1;
	else if (p + 1 < close && p[0] == ':' && p[1] == '-')
		dflt = p + 2;
	if (n == 0 || !dotenv_name_start(*name) || (p < close && dflt == NULL)) {
		dotenv_error(d, d->line, "'${%.*s}' in the value of %s is not "
		    "${NAME}, ${NAME:-default} or ${NAME-default}",
		    (int)(close - d->p - 2), d->p + 2, d->key);
		return -1;
	}
	if ((key = strndup(name, n)) == NULL)
		return -1;
	v = dotenv_value_of(d, key);
	free(key);
	/* ${NAME:-x}: x when NAME is unset or empty; ${NAME-x}: when unset. */
	if (dflt != NULL && (v == NULL || (dflt == p + 2 && v[0] == '\0')))
		dotenv_put(d, dflt, (size_t)(close - dflt));
	else if (v != NULL)
		dotenv_put(d, v, strlen(v));
	d->p = close + 1;
	return 0;
}

/* --- values ---------------------------------------------------------------- */

/* After a closing quote: white space, then the end of the line or a
 * comment. */
static int
dotenv_after_quote(struct dotenv_parser *d)
{
	const char *rest;

	while (d->p < d->end && dotenv_blank(*d->p))
		d->p++;
	if (d->p >= d->end || *d->p == '\n' || *d->p == '#')
		return 0;
	rest = d->p;
	dotenv_error(d, d->line, "text after the closing quote of %s: "
	    "'%.*s'", d->key, (int)strcspn(rest, "\n") > DOTENV_QUOTE_MAX ?
	    DOTENV_QUOTE_MAX : (int)strcspn(rest, "\n"), rest);
	return -1;
}

/* '...': every character as it is, newlines too. */
static int
dotenv_single(struct dotenv_parser *d)
{
	const char *close = memchr(d->p + 1, '\'', (size_t)(d->end - d->p - 1));
	const char *c;

	if (close == NULL) {
		dotenv_error(d, d->key_line, "unterminated ' quote in the value "
		    "of %s", d->key);
		return -1;
	}
	for (c = d->p + 1; c < close; c++)
		d->line += *c == '\n';
	dotenv_put(d, d->p + 1, (size_t)(close - d->p - 1));
	d->p = close + 1;
	return dotenv_after_quote(d);
}

/* "...": escapes and references. */
static int
dotenv_double(struct dotenv_parser *d)
{
	static const char from[] = "ntr\"\\$", to[] = "\n\t\r\"\\$";
	const char *open = d->p, *close = d->p + 1, *c;
	int rc = 0;

	while (close < d->end && *close != '"')
		close += *close == '\\' && close + 1 < d->end ? 2 : 1;
	if (close >= d->end) {
		dotenv_error(d, d->key_line, "unterminated \" quote in the value "
		    "of %s", d->key);
		return -1;
	}
	for (d->p++; rc == 0 && d->p < close;) {
		if (*d->p == '\\' && d->p + 1 < close &&
		    (c = strchr(from, d->p[1])) != NULL) {
			dotenv_put(d, &to[c - from], 1);
			d->p += 2;
		} else if (*d->p == '$') {
			rc = dotenv_reference(d, close);
		} else {
			dotenv_put(d, d->p++, 1);
		}
	}
	for (c = open; c < close; c++)
		d->line += *c == '\n';
	d->p = close + 1;
	return rc == 0 ? dotenv_after_quote(d) : -1;
}

/* The rest of the line, up to a '#' after white space, trimmed;
 * references expanded, \$ a '$'. */
static int
dotenv_unquoted(struct dotenv_parser *d)
{
	const char *eol = d->p + strcspn(d->p, "\n");

	while (d->p < eol) {
		if (*d->p == '#' && dotenv_blank(d->p[-1]))
			break;
		if (*d->p == '\\' && d->p + 1 < eol && d->p[1] == '$') {
			dotenv_put(d, "$", 1);
			d->p += 2;
		} else if (*d->p == '$') {
			if (dotenv_reference(d, eol) == -1)
				return -1;
		} else {
			dotenv_put(d, d->p++, 1);
		}
	}
	while (d->len > 0 && dotenv_blank(d->out[d->len - 1]))
		d->out[--d->len] = '\0';
	return 0;
}

/* --- lines ------------------------------------------------------------------ */

static void
dotenv_skip_line(struct dotenv_parser *d)
{
	while (d->p < d->end && *d->p != '\n')
		d->p++;
}

static void
dotenv_set(struct dotenv_parser *d, const char *key, size_t keylen)
{
	struct dotenv *env = d->env;
	struct dotenv_var *grown;
	char *value = d->out != NULL ? d->out : strdup("");
	size_t i;

	d->out = NULL;
	d->len = d->cap = 0;
	if (value == NULL)
		return;
	for (i = 0; i < env->n; i++) {
		if (strlen(env->vars[i].key) == keylen &&
		    memcmp(env->vars[i].key, key, keylen) == 0) {
			free(env->vars[i].value);
			env->vars[i].value = value;
			env->vars[i].line = d->key_line;
			return;
		}
	}
	grown = realloc(env->vars, (env->n + 1) * sizeof *grown);
	if (grown == NULL || (grown[env->n].key = strndup(key, keylen)) ==
	    NULL) {
		if (grown != NULL)
			env->vars = grown;
		free(value);
		return;
	}
	env->vars = grown;
	grown[env->n].value = value;
	grown[env->n].line = d->key_line;
	env->n++;
}

/* One KEY=value at d->p (at its first character that is not blank). */
static void
dotenv_line(struct dotenv_parser *d)
{
	const char *key, *p;
	size_t keylen;
	char *name;
	int rc;

	if (strncmp(d->p, "export", 6) == 0 && d->p + 6 < d->end &&
	    dotenv_blank(d->p[6])) {
		for (d->p += 6; d->p < d->end && dotenv_blank(*d->p); d->p++)
			;
	}
	key = d->p;
	for (p = key; p < d->end && dotenv_name_char(*p); p++)
		;
	keylen = (size_t)(p - key);
	if (keylen == 0 || !dotenv_name_start(*key) || (p < d->end &&
	    !dotenv_blank(*p) && *p != '=' && *p != '\n')) {
		size_t n = strcspn(key, "= \t\n");

		if (n == 0)
			n = strcspn(key, "\n");
		dotenv_error(d, d->line, "'%.*s' is not a variable name "
		    "(letters, digits and '_', not first a digit)",
		    n > DOTENV_QUOTE_MAX ?
		    DOTENV_QUOTE_MAX : (int)n, key);
		dotenv_skip_line(d);
		return;
	}
	while (p < d->end && dotenv_blank(*p))
		p++;
	if (p >= d->end || *p != '=') {
		dotenv_error(d, d->line, "no '=' after %.*s (a line is "
		    "KEY=value)", (int)keylen, key);
		dotenv_skip_line(d);
		return;
	}
	for (p++; p < d->end && dotenv_blank(*p); p++)
		;
	if ((name = strndup(key, keylen)) == NULL)
		return;
	d->p = p;
	d->key = name;
	d->key_line = d->line;
	if (p < d->end && *p == '\'')
		rc = dotenv_single(d);
	else if (p < d->end && *p == '"')
		rc = dotenv_double(d);
	else
		rc = dotenv_unquoted(d);
	if (rc == 0)
		dotenv_set(d, key, keylen);
	free(d->out);
	d->out = NULL;
	d->len = d->cap = 0;
	free(name);
	d->key = NULL;
	dotenv_skip_line(d);
}

int
dotenv_parse(const char *text, size_t len, struct dotenv *env,
    dotenv_lookup_fn lookup, void *lookup_user, dotenv_report_fn report,
    void *report_user)
{
	struct dotenv_parser d;
	char *copy, *o;
	size_t i;

	memset(env, 0, sizeof *env);
	memset(&d, 0, sizeof d);
	d.env = env;
	d.lookup = lookup;
	d.lookup_user = lookup_user;
	d.report = report;
	d.report_user = report_user;
	d.line = 1;
	if (memchr(text, '\0', len) != NULL) {
		for (i = 0; text[i] != '\0'; i++)
			d.line += text[i] == '\n';
		dotenv_error(&d, d.line, "a NUL byte: this is not a text file");
		return -1;
	}
	/* CRLF line endings are LF ones; a byte order mark is no text. */
	if ((copy = malloc(len + 1)) == NULL)
		return -1;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		text += 3, len -= 3;
	for (i = 0, o = copy; i < len; i++) {
		if (!(text[i] == '\r' && i + 1 < len && text[i + 1] == '\n'))
			*o++ = text[i];
	}
	*o = '\0';
	d.p = copy;
	d.end = o;
	while (d.p < d.end) {
		while (d.p < d.end && dotenv_blank(*d.p))
			d.p++;
		if (d.p < d.end && *d.p == '#')
			dotenv_skip_line(&d);
		else if (d.p < d.end && *d.p != '\n')
			dotenv_line(&d);
		if (d.p < d.end) {	/* at a '\n' */
			d.p++;
			d.line++;
		}
	}
	free(copy);
	return d.failed ? -1 : 0;
}

void
dotenv_free(struct dotenv *env)
{
	size_t i;

	for (i = 0; i < env->n; i++) {
		free(env->vars[i].key);
		free(env->vars[i].value);
	}
	free(env->vars);
	memset(env, 0, sizeof *env);
}
