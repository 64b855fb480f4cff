/*
 * export: a tend config as systemd user units, a supervisord.conf or a
 * Procfile, with what each target cannot express said, never dropped.
 *
 * Every program runs as tend runs it: `$shell -c LINE`, LINE being
 * `exec COMMAND` for one simple command (spawn_command_line()), so the
 * process the target supervises is the program itself, and the shell
 * syntax of a command ($VAR, quotes, pipes) means what it meant in tend.
 * A value the target's own syntax cannot carry (an environment value
 * supervisord's parser would mangle, a directory with a line break) is
 * moved into LINE as `cd DIR || exit 1;` or `export KEY=value;`.
 *
 * The quoting functions are in layers, innermost first: POSIX shell
 * words; then systemd's unit syntax, or supervisord's (INI with inline
 * comments, Python %-expansion, then shlex).
 */
#define _GNU_SOURCE
#include "export.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cond.h"
#include "spawn.h"

/* Characters a shell word, an ExecStart= word or a supervisord command
 * word may hold without quotes. */
#define EXPORT_SAFE "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" \
	"0123456789_@+=:,./-"

/* --- a growing string ------------------------------------------------- */

struct export_buf {
	char *s;
	size_t len, cap;
	bool oom;
};

static void
export_add(struct export_buf *b, const char *s, size_t n)
{
	size_t cap;
	char *grown;

	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		for (cap = b->cap ? b->cap : 128; cap < b->len + n + 1; cap *= 2)
			;
		if ((grown = realloc(b->s, cap)) == NULL) {
			b->oom = true;
			return;
		}
		b->s = grown;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
export_puts(struct export_buf *b, const char *s)
{
	export_add(b, s, strlen(s));
}

static void __attribute__((format(printf, 2, 3)))
export_printf(struct export_buf *b, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n == -1) {
		b->oom = true;
		return;
	}
	export_add(b, s, (size_t)n);
	free(s);
}

/* The text, or NULL if memory ran out; the buffer is given up. */
static char *
export_take(struct export_buf *b)
{
	if (b->oom) {
		free(b->s);
		return NULL;
	}
	return b->s != NULL ? b->s : strdup("");
}

/* The length of the valid UTF-8 sequence at S, 0 if it starts none. */
static size_t
export_utf8_len(const unsigned char *s)
{
	size_t len, i;
	unsigned long c;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, c = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 ||
	    c > 0x10ffff)) || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	return len;
}

static bool
export_is_safe(const char *s)
{
	return s[0] != '\0' && s[strspn(s, EXPORT_SAFE)] == '\0';
}

/* --- quoting ----------------------------------------------------------- */

char *
export_sh_quote(const char *s)
{
	struct export_buf b = { 0 };
	const char *p;

	if (export_is_safe(s))
		return strdup(s);
	export_puts(&b, "'");
	for (p = s; *p != '\0'; p++) {
		if (*p == '\'')
			export_puts(&b, "'\\''");
		else
			export_add(&b, p, 1);
	}
	export_puts(&b, "'");
	return export_take(&b);
}

/* S in double quotes with systemd's escapes; EXEC: an ExecStart= word
 * ($ doubled, bytes that are not UTF-8 as \xHH), else an Environment=
 * word (NULL for bytes that are not UTF-8). */
static char *
export_systemd_quote(const char *s, bool exec)
{
	struct export_buf b = { 0 };
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	export_puts(&b, "\"");
	while (*p != '\0') {
		n = 1;
		if (*p == '\\' || *p == '"')
			export_printf(&b, "\\%c", *p);
		else if (*p == '%')
			export_puts(&b, "%%");
		else if (*p == '$' && exec)
			export_puts(&b, "$$");
		else if (*p == '\n')
			export_puts(&b, "\\n");
		else if (*p == '\t')
			export_puts(&b, "\\t");
		else if (*p == '\r')
			export_puts(&b, "\\r");
		else if (*p < 0x20 || *p == 0x7f)
			export_printf(&b, "\\x%02x", *p);
		else if ((n = export_utf8_len(p)) != 0)
			export_add(&b, (const char *)p, n);
		else if (!exec) {
			free(b.s);
			return NULL;
		} else {
			export_printf(&b, "\\x%02x", *p);
			n = 1;
		}
		p += n;
	}
	export_puts(&b, "\"");
	return export_take(&b);
}

char *
export_systemd_arg(const char *s)
{
	return export_systemd_quote(s, true);
}

char *
export_systemd_env(const char *kv)
{
	return export_systemd_quote(kv, false);
}

char *
export_supervisord_arg(const char *s)
{
	struct export_buf b = { 0 };
	bool quoted = false;
	const char *p;

	if (strchr(s, '\r') != NULL)
		return NULL;
	if (export_is_safe(s))
		return strdup(s);
	if (*s == '\0')
		return strdup("''");
	for (p = s; *p != '\0'; p++) {
		if (*p == '\'' || *p == ';' || *p == '#' || *p == '\n') {
			if (quoted)
				export_puts(&b, "'");
			quoted = false;
			/* The line break goes in double quotes, with a quote
			 * at each end of the physical lines: the INI parser
			 * strips the space around them and would take a
			 * continuation line that begins with ';' or '#' for a
			 * comment. */
			if (*p == '\n')
				export_puts(&b, "\"\n    \"");
			else
				export_printf(&b, "\\%c", *p);
			continue;
		}
		if (!quoted)
			export_puts(&b, "'");
		quoted = true;
		if (*p == '%')
			export_puts(&b, "%%");
		else
			export_add(&b, p, 1);
	}
	if (quoted)
		export_puts(&b, "'");
	return export_take(&b);
}

/* Would supervisord's INI parser cut V short or change it: a line break,
 * or a ';' or '#' after a space (an inline comment)?  Python's idea of a
 * space is wide (\x1c, U+00A0, ...): anything but visible ASCII before
 * one counts. */
static bool
export_ini_unsafe(const char *v)
{
	const unsigned char *p;

	if (strpbrk(v, "\r\n") != NULL)
		return true;
	for (p = (const unsigned char *)v; *p != '\0'; p++) {
		if ((*p == ';' || *p == '#') && p > (const unsigned char *)v &&
		    (p[-1] < 0x21 || p[-1] > 0x7e))
			return true;
	}
	return false;
}

/* S with each % doubled, for supervisord's %-expansion. */
static char *
export_percent(const char *s)
{
	struct export_buf b = { 0 };
	const char *p;

	for (p = s; *p != '\0'; p++) {
		if (*p == '%')
			export_puts(&b, "%%");
		else
			export_add(&b, p, 1);
	}
	return export_take(&b);
}

char *
export_supervisord_env(const char *kv)
{
	const char *eq = strchr(kv, '='), *v;
	char q, *val, *out;
	size_t n;

	if (eq == NULL)
		return NULL;
	v = eq + 1;
	n = strlen(v);
	q = strchr(v, '"') == NULL ? '"' : strchr(v, '\'') == NULL ? '\'' : 0;
	if (q == 0 || export_ini_unsafe(v) || (n > 0 && (strchr("'\"", v[0])
	    != NULL || strchr("'\"", v[n - 1]) != NULL)))
		return NULL;
	if ((val = export_percent(v)) == NULL)
		return NULL;
	if (asprintf(&out, "%.*s=%c%s%c", (int)(eq - kv), kv, q, val, q) == -1)
		out = NULL;
	free(val);
	return out;
}

char *
export_supervisord_value(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || export_ini_unsafe(s) || (unsigned char)s[0] <= 0x20 ||
	    (unsigned char)s[n - 1] <= 0x20 || s[0] == 0x7f ||
	    s[n - 1] == 0x7f)
		return NULL;
	return export_percent(s);
}

/* --- names ------------------------------------------------------------- */

int
export_format_parse(const char *name)
{
	if (strcmp(name, "systemd") == 0)
		return EXPORT_SYSTEMD;
	if (strcmp(name, "supervisord") == 0)
		return EXPORT_SUPERVISORD;
	if (strcmp(name, "procfile") == 0)
		return EXPORT_PROCFILE;
	return -1;
}

char *
export_app_name(const char *path, const char *dir)
{
	const char *base = strrchr(path, '/'), *folder = strrchr(dir, '/'),
	    *dot;
	size_t stem, i;
	char *out;
	int rc;

	base = base != NULL ? base + 1 : path;
	folder = folder != NULL ? folder + 1 : dir;
	dot = strrchr(base, '.');
	stem = dot != NULL && dot != base ? (size_t)(dot - base) : strlen(base);
	if (stem == 0 || (stem == 4 && strncmp(base, "tend", 4) == 0))
		rc = asprintf(&out, "%s", folder[0] != '\0' ? folder : "tend");
	else if (folder[0] == '\0')
		rc = asprintf(&out, "%.*s", (int)stem, base);
	else
		rc = asprintf(&out, "%s-%.*s", folder, (int)stem, base);
	if (rc == -1)
		return NULL;
	for (i = 0; out[i] != '\0'; i++) {
		if (strchr(EXPORT_SAFE, out[i]) == NULL || strchr("@+=,/", out[i]))
			out[i] = '-';
	}
	return out;
}

/* --- building ---------------------------------------------------------- */

struct export_ctx {
	const struct config *cfg;
	enum export_format fmt;
	const char *target;	/* "systemd", "supervisord", "a Procfile" */
	const char *here;	/* the folder the files go to */
	char *source;		/* the config's absolute path, for comments */
	char *app;		/* systemd: the target's name */
	unsigned char *oneshot;	/* systemd: Type=oneshot, by program */
	struct export_result *res;
	bool oom;
};

static void
export_push(struct export_ctx *x, char ***list, size_t *n, char *s)
{
	char **grown;

	if (s == NULL || (grown = realloc(*list, (*n + 1) * sizeof **list)) ==
	    NULL) {
		free(s);
		x->oom = true;
		return;
	}
	*list = grown;
	(*list)[(*n)++] = s;
}

/* One line "NAME: what is lost" (NAME: a program, or "[tend]"). */
static void __attribute__((format(printf, 3, 4)))
export_lost(struct export_ctx *x, const char *name, const char *fmt, ...)
{
	va_list ap;
	char *text, *line;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) == -1)
		text = NULL;
	va_end(ap);
	if (text == NULL || asprintf(&line, "%s: %s", name, text) == -1)
		line = NULL;
	free(text);
	export_push(x, &x->res->lost, &x->res->nlost, line);
}

static void
export_add_file(struct export_ctx *x, const char *name, struct export_buf *b)
{
	struct export_file *grown;
	char *text = export_take(b), *copy = strdup(name);

	grown = realloc(x->res->files, (x->res->nfiles + 1) * sizeof *grown);
	if (text == NULL || copy == NULL || grown == NULL) {
		free(text);
		free(copy);
		if (grown != NULL)
			x->res->files = grown;
		x->oom = true;
		return;
	}
	x->res->files = grown;
	grown[x->res->nfiles].name = copy;
	grown[x->res->nfiles++].text = text;
}

/* The lost lines from FIRST on, as comments: "PREFIX NAME: ...". */
static void
export_lost_comments(struct export_ctx *x, struct export_buf *b,
    size_t first, const char *prefix)
{
	size_t i;

	for (i = first; i < x->res->nlost; i++)
		export_printf(b, "%s %s\n", prefix, x->res->lost[i]);
}

static ssize_t
export_find(const struct config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->nprograms; i++) {
		if (strcmp(cfg->programs[i].name, name) == 0)
			return (ssize_t)i;
	}
	return -1;
}

/* What depends_on entry D of PC waits for, with its target in *T. */
static enum cond_kind
export_cond(const struct export_ctx *x, const struct config_dep *d,
    size_t *t)
{
	ssize_t j = export_find(x->cfg, d->name);

	*t = j >= 0 ? (size_t)j : 0;	/* config.c refused unknown names */
	return cond_of_dep(&x->cfg->programs[*t], d->cond);
}

/* The names of the programs that depend on program I, "a, b"; NULL when
 * there is none. */
static char *
export_dependents(const struct export_ctx *x, size_t i)
{
	struct export_buf b = { 0 };
	size_t k, d;

	for (k = 0; k < x->cfg->nprograms; k++) {
		const struct program_config *pc = &x->cfg->programs[k];

		for (d = 0; d < pc->ndepends_on; d++) {
			if (strcmp(pc->depends_on[d].name,
			    x->cfg->programs[i].name) == 0) {
				export_printf(&b, "%s%s", b.len ? ", " : "",
				    pc->name);
				break;
			}
		}
	}
	return b.len == 0 && !b.oom ? NULL : export_take(&b);
}

static const char *
export_dir(const struct export_ctx *x, const struct program_config *pc)
{
	return pc->directory != NULL ? pc->directory : x->cfg->dir;
}

/*
 * The shell code of PC: `cd CD || exit 1; ` when CD is given, `export
 * K=v ...; ` for the NEXPORTS items of EXPORTS, then the command (as
 * tend runs it when EXEC, else as written).
 */
static char *
export_shell_line(const struct program_config *pc, const char *cd,
    char *const *exports, size_t nexports, bool exec)
{
	struct export_buf b = { 0 };
	char *q, *cmd;
	size_t i;

	if (cd != NULL) {
		q = export_sh_quote(cd);
		export_printf(&b, "cd %s || exit 1; ", q != NULL ? q : "");
		b.oom |= q == NULL;
		free(q);
	}
	for (i = 0; i < nexports; i++) {
		const char *eq = strchr(exports[i], '=');

		q = export_sh_quote(eq + 1);
		export_printf(&b, "%s%.*s=%s%s", i == 0 ? "export " : " ",
		    (int)(eq - exports[i]), exports[i], q != NULL ? q : "",
		    i + 1 == nexports ? "; " : "");
		b.oom |= q == NULL;
		free(q);
	}
	cmd = exec ? spawn_command_line(pc->command) : strdup(pc->command);
	export_puts(&b, cmd != NULL ? cmd : "");
	b.oom |= cmd == NULL;
	free(cmd);
	return export_take(&b);
}

/* A log file the program names itself (not log_dir's AUTO one): the
 * path in *PATH, or NULL. */
static const char *
export_own_log(const struct export_ctx *x, const struct program_config *pc)
{
	const char *dir = x->cfg->log_dir, *f = pc->stdout_logfile;
	size_t n = dir != NULL ? strlen(dir) : 0;

	if (f == NULL)
		return NULL;
	if (dir != NULL && strncmp(f, dir, n) == 0 && f[n] == '/' &&
	    strncmp(f + n + 1, pc->name, strlen(pc->name)) == 0 &&
	    strcmp(f + n + 1 + strlen(pc->name), ".log") == 0)
		return NULL;
	return f;
}

/* Rotation set away from supervisord's defaults (which are tend's). */
static bool
export_rotation_set(const struct program_config *pc)
{
	return pc->stdout_logfile_maxbytes != CONFIG_DEFAULT_LOG_MAX_BYTES ||
	    pc->stdout_logfile_backups != CONFIG_DEFAULT_LOG_BACKUPS ||
	    pc->stderr_logfile_maxbytes != CONFIG_DEFAULT_LOG_MAX_BYTES ||
	    pc->stderr_logfile_backups != CONFIG_DEFAULT_LOG_BACKUPS;
}

/* systemd and a Procfile runner keep no log files of their own. */
static void
export_logs_lost(struct export_ctx *x, const struct program_config *pc)
{
	if (export_own_log(x, pc) != NULL || pc->stderr_logfile != NULL)
		export_lost(x, pc->name, "stdout_logfile and stderr_logfile have "
		    "no equivalent in %s; %s", x->target,
		    x->fmt == EXPORT_SYSTEMD ? "the output goes to the journal" :
		    "the output goes to the runner's");
	if ((pc->stdout_logfile != NULL || pc->stderr_logfile != NULL) &&
	    export_rotation_set(pc))
		export_lost(x, pc->name, "stdout_logfile_maxbytes and _backups "
		    "have no equivalent in %s", x->target);
}

static void export_supervisord_logs(struct export_ctx *x,
    struct export_buf *b, const struct program_config *pc);

/* What all three targets lack: readiness and health, stop_input, the
 * pty, watching. */
static void
export_common_lost(struct export_ctx *x, const struct program_config *pc)
{
	const char *t = x->target, *probe = pc->probe_url != NULL ?
	    "probe_url" : pc->probe_command != NULL ? "probe_command" :
	    pc->probe_tcp != NULL ? "probe_tcp" : NULL;

	if (pc->ready_log != NULL)
		export_lost(x, pc->name, "ready_log has no equivalent in %s; %s",
		    t, x->fmt == EXPORT_SYSTEMD ? "the unit starts without "
		    "waiting" : "nothing waits for its line");
	if (probe != NULL)
		export_lost(x, pc->name, "%s has no equivalent in %s; nothing "
		    "probes the program%s", probe, t, x->fmt == EXPORT_SYSTEMD ?
		    " and the unit starts without waiting (an ExecStartPost= "
		    "loop could wait for it)" : "");
	if (pc->restart_unhealthy > 0)
		export_lost(x, pc->name, "restart_unhealthy has no equivalent "
		    "in %s; nothing restarts it when it is unhealthy", t);
	if (pc->stop_input != NULL)
		export_lost(x, pc->name, "stop_input has no equivalent in %s; "
		    "a stop sends %s%s at once", t, x->fmt == EXPORT_PROCFILE ?
		    "the runner's signal" : "SIG", x->fmt == EXPORT_PROCFILE ?
		    "" : config_signal_name(pc->stopsignal));
	if (pc->pty)
		export_lost(x, pc->name, "pty has no equivalent in %s; the "
		    "program runs without a terminal (its output may be "
		    "block-buffered, and without colours)", t);
	if (pc->watch != NULL && pc->watch[0] != NULL)
		export_lost(x, pc->name, "watch has no equivalent in %s; a "
		    "changed file does not restart it", t);
	if (x->fmt == EXPORT_PROCFILE && pc->user != NULL)
		export_lost(x, pc->name, "user has no equivalent in %s; it runs "
		    "as the runner's user", t);
	if (x->fmt == EXPORT_PROCFILE && pc->umask >= 0)
		export_lost(x, pc->name, "umask has no equivalent in %s; it gets "
		    "the runner's", t);
	if (x->fmt != EXPORT_SUPERVISORD &&
	    pc->priority != CONFIG_DEFAULT_PRIORITY && pc->ndepends_on == 0)
		export_lost(x, pc->name, "priority has no equivalent in %s; it "
		    "starts and stops with the others, in no order", t);
	if (x->fmt != EXPORT_SUPERVISORD)
		export_logs_lost(x, pc);
}

/* restart_dependents, where the target has nothing like it. */
static void
export_dependents_lost(struct export_ctx *x, size_t i)
{
	const struct program_config *pc = &x->cfg->programs[i];
	char *by;

	if (!pc->restart_dependents || (by = export_dependents(x, i)) == NULL)
		return;
	export_lost(x, pc->name, "restart_dependents has no equivalent in %s; "
	    "its restart does not restart %s", x->target, by);
	free(by);
}

/* PC's depends_on: "db, migrate", or with CONDS "db ready, migrate
 * completed successfully". */
static char *
export_dep_list(const struct export_ctx *x, const struct program_config *pc,
    bool conds)
{
	struct export_buf b = { 0 };
	size_t d, t;

	for (d = 0; d < pc->ndepends_on; d++) {
		export_printf(&b, "%s%s", d ? ", " : "", pc->depends_on[d].name);
		if (conds)
			export_printf(&b, " %s", cond_name(export_cond(x,
			    &pc->depends_on[d], &t)));
	}
	return export_take(&b);
}

static bool
export_nonzero_codes(const unsigned char codes[256], struct export_buf *b,
    const char *sep)
{
	bool any = false;
	int c;

	for (c = 1; c < 256; c++) {
		if (codes[c]) {
			export_printf(b, "%s%d", any ? sep : "", c);
			any = true;
		}
	}
	return any;
}

/* Comment text: the config's path with control characters as '?'. */
static char *
export_source(const struct config *cfg)
{
	const char *base = strrchr(cfg->path, '/');
	char *s;
	size_t i;

	base = base != NULL ? base + 1 : cfg->path;
	if (asprintf(&s, "%s%s%s", cfg->dir, strcmp(cfg->dir, "/") ? "/" : "",
	    base) == -1)
		return NULL;
	for (i = 0; s[i] != '\0'; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			s[i] = '?';
	}
	return s;
}

/* --- systemd ----------------------------------------------------------- */

/* A program something waits for to complete is a Type=oneshot unit: its
 * start job ends when it exits, so After= waits for that, and its
 * failure fails the start of what Requires= it. */
static void
export_systemd_oneshots(struct export_ctx *x)
{
	size_t i, d, t;
	enum cond_kind k;

	for (i = 0; i < x->cfg->nprograms; i++) {
		const struct program_config *pc = &x->cfg->programs[i];

		for (d = 0; d < pc->ndepends_on; d++) {
			k = export_cond(x, &pc->depends_on[d], &t);
			if (k == COND_EXITED || k == COND_COMPLETED_OK)
				x->oneshot[t] = 1;
		}
	}
}

static void
export_systemd_lost(struct export_ctx *x, size_t i)
{
	const struct program_config *pc = &x->cfg->programs[i];
	size_t d, t;
	enum cond_kind k;
	char *by;

	export_common_lost(x, pc);
	for (d = 0; d < pc->ndepends_on; d++) {
		const char *on = pc->depends_on[d].name;
		struct export_buf codes = { 0 };

		k = export_cond(x, &pc->depends_on[d], &t);
		if ((k == COND_STARTED || k == COND_READY) && x->oneshot[t])
			export_lost(x, pc->name, "depends_on %s (%s): %s is a "
			    "Type=oneshot unit (a program waits for it to "
			    "complete), so this one waits for it to end", on,
			    cond_name(k), on);
		else if (k == COND_READY)
			export_lost(x, pc->name, "depends_on %s (ready) has no "
			    "equivalent in systemd; it starts once %s has "
			    "started", on, on);
		else if (k == COND_COMPLETED_OK && export_nonzero_codes(
		    x->cfg->programs[t].exitcodes, &codes, ","))
			export_lost(x, pc->name, "depends_on %s:completed_"
			    "successfully: systemd also counts %s's exitcodes "
			    "%s as success", on, on, codes.s);
		free(codes.s);
	}
	if (x->oneshot[i] && pc->autorestart == CONFIG_RESTART_ALWAYS)
		export_lost(x, pc->name, "autorestart = true cannot go with "
		    "Type=oneshot (a program waits for it to complete); "
		    "Restart=on-failure: it is not restarted after a success");
	if (!pc->exitcodes[0] && pc->autorestart != CONFIG_RESTART_UNEXPECTED)
		export_lost(x, pc->name, "exitcodes without 0: systemd counts "
		    "exit 0 as a success all the same");
	if (pc->restart_dependents && (by = export_dependents(x, i)) != NULL) {
		export_lost(x, pc->name, "restart_dependents: %s have PartOf="
		    "%s.service, so a stop of it stops them too", by, pc->name);
		free(by);
	}
}

/* ExecStart=, and the Environment= lines before it; a value systemd
 * cannot take is exported by the shell line instead. */
static void
export_systemd_exec(struct export_ctx *x, struct export_buf *b,
    const struct program_config *pc)
{
	const char *dir = export_dir(x, pc), *shell = x->cfg->shell;
	char **exports = NULL, *q, *line, *arg, *sh;
	size_t nexports = 0, i, n = strlen(dir);
	bool cd = strpbrk(dir, "\r\n") != NULL || n == 0 ||
	    (unsigned char)dir[0] <= 0x20 || (unsigned char)dir[n - 1] <= 0x20;

	if (cd)
		export_puts(b, "# WorkingDirectory: ExecStart does the cd (a line "
		    "break or an outer space does not fit in a unit file)\n");
	else if ((q = export_percent(dir)) != NULL) {
		export_printf(b, "WorkingDirectory=%s\n", q);
		free(q);
	}
	for (i = 0; pc->environment != NULL && pc->environment[i] != NULL;
	    i++) {
		const char *kv = pc->environment[i];

		if ((q = export_systemd_env(kv)) != NULL) {
			export_printf(b, "Environment=%s\n", q);
			free(q);
			continue;
		}
		export_printf(b, "# %.*s: ExecStart exports it (Environment= "
		    "takes UTF-8 only)\n", (int)strcspn(kv, "="), kv);
		export_push(x, &exports, &nexports, strdup(kv));
	}
	line = export_shell_line(pc, cd ? dir : NULL, exports, nexports, true);
	arg = line != NULL ? export_systemd_arg(line) : NULL;
	sh = shell[0] == '/' && export_is_safe(shell) ? strdup(shell) :
	    export_systemd_arg(shell);
	if (arg == NULL || sh == NULL)
		x->oom = true;
	else
		export_printf(b, "ExecStart=%s -c %s\n", sh, arg);
	free(sh);
	free(arg);
	free(line);
	for (i = 0; i < nexports; i++)
		free(exports[i]);
	free(exports);
}

static void
export_systemd_restart(struct export_ctx *x, struct export_buf *b,
    size_t i)
{
	const struct program_config *pc = &x->cfg->programs[i];
	const char *restart = pc->autorestart == CONFIG_RESTART_NEVER ? "no" :
	    pc->autorestart == CONFIG_RESTART_ALWAYS && !x->oneshot[i] ?
	    "always" : "on-failure";
	struct export_buf codes = { 0 };

	export_printf(b, "Restart=%s\n", restart);
	if (pc->autorestart != CONFIG_RESTART_NEVER)
		export_puts(b, "RestartSec=1s\n");
	if (export_nonzero_codes(pc->exitcodes, &codes, " "))
		export_printf(b, "SuccessExitStatus=%s\n", codes.s);
	b->oom |= codes.oom;
	free(codes.s);
	/* tend restarts on any end but an exit code of exitcodes; systemd
	 * counts exit 0 and four signals as clean unless told. */
	if (pc->autorestart == CONFIG_RESTART_UNEXPECTED && (!pc->exitcodes[0] ||
	    !x->oneshot[i]))
		export_printf(b, "RestartForceExitStatus=%s%s%s\n",
		    pc->exitcodes[0] ? "" : "0", !pc->exitcodes[0] &&
		    !x->oneshot[i] ? " " : "", x->oneshot[i] ? "" :
		    "SIGHUP SIGINT SIGTERM SIGPIPE");
}

static void
export_systemd_unit(struct export_ctx *x, size_t i)
{
	const struct program_config *pc = &x->cfg->programs[i];
	struct export_buf b = { 0 };
	size_t first = x->res->nlost, d, t;
	enum cond_kind k;
	char name[PATH_MAX];

	export_systemd_lost(x, i);
	export_printf(&b, "# %s.service: [program:%s] of %s, exported by "
	    "tend.\n# Start every program: systemctl --user start %s.target\n",
	    pc->name, pc->name, x->source, x->app);
	export_lost_comments(x, &b, first, "# Lost:");
	export_printf(&b, "\n[Unit]\nDescription=%s (a program of %s, from "
	    "tend)\nPartOf=%s.target\n", pc->name, x->app, x->app);
	for (d = 0; d < pc->ndepends_on; d++) {
		const char *on = pc->depends_on[d].name;

		k = export_cond(x, &pc->depends_on[d], &t);
		export_printf(&b, "After=%s.service\n%s=%s.service\n", on,
		    k == COND_COMPLETED_OK ? "Requires" : "Wants", on);
		if (x->cfg->programs[t].restart_dependents)
			export_printf(&b, "PartOf=%s.service\n", on);
	}
	if (pc->autorestart != CONFIG_RESTART_NEVER && pc->startsecs == 0)
		export_puts(&b, "# startsecs = 0: no run is a quick failure, "
		    "tend never gives up\nStartLimitIntervalSec=0\n");
	else if (pc->autorestart != CONFIG_RESTART_NEVER)
		export_printf(&b, "# tend gives up after %d quick failures "
		    "(under %d s) in a row, after\n# backoffs of 1 s doubling up "
		    "to 30 s; systemd restarts after 1 s each\n# time and gives "
		    "up past %d starts in the time those runs take.\n"
		    "StartLimitIntervalSec=%ds\nStartLimitBurst=%d\n",
		    pc->startretries, pc->startsecs, pc->startretries + 1,
		    (pc->startretries + 1) * (pc->startsecs + 1) + 1,
		    pc->startretries + 1);
	export_printf(&b, "\n[Service]\n%sType=%s\n", x->oneshot[i] ?
	    "# A program waits for it to complete: its start ends when it "
	    "exits.\n" : "", x->oneshot[i] ? "oneshot" : "exec");
	if (pc->user != NULL)
		export_printf(&b, "# User= works in a system unit only: a user "
		    "unit runs as you\nUser=%s\n", pc->user);
	if (pc->umask >= 0)
		export_printf(&b, "UMask=%04o\n", (unsigned)pc->umask);
	export_systemd_exec(x, &b, pc);
	export_systemd_restart(x, &b, i);
	export_printf(&b, "KillMode=control-group\nKillSignal=SIG%s\n",
	    config_signal_name(pc->stopsignal));
	if (pc->stopwaitsecs == 0)
		export_puts(&b, "# stopwaitsecs = 0: SIGKILL at once (0 would be "
		    "no timeout to systemd)\nTimeoutStopSec=1ms\n");
	else
		export_printf(&b, "TimeoutStopSec=%ds\n", pc->stopwaitsecs);
	snprintf(name, sizeof name, "%s.service", pc->name);
	export_add_file(x, name, &b);
}

static void
export_systemd_target(struct export_ctx *x, size_t first)
{
	struct export_buf b = { 0 }, wants = { 0 }, off = { 0 };
	char name[PATH_MAX];
	size_t i;

	export_printf(&b, "# %s.target: the programs of %s, exported by tend.\n"
	    "# Put these files in ~/.config/systemd/user/, then:\n"
	    "#   systemctl --user daemon-reload\n"
	    "#   systemctl --user start %s.target     (stop, restart)\n"
	    "#   journalctl --user -u NAME.service -f  (the output)\n"
	    "# The units get the user manager's environment, not a shell's "
	    "(PATH,\n# virtualenvs): systemctl --user import-environment PATH\n",
	    x->app, x->source, x->app);
	export_lost_comments(x, &b, first, "# Lost:");
	for (i = 0; i < x->cfg->nprograms; i++) {
		const struct program_config *pc = &x->cfg->programs[i];
		struct export_buf *to = pc->autostart ? &wants : &off;

		export_printf(to, "%s%s.service", to->len ? " " : "", pc->name);
	}
	export_printf(&b, "\n[Unit]\nDescription=%s (tend programs)\n", x->app);
	if (wants.len > 0)
		export_printf(&b, "Wants=%s\n", wants.s);
	if (off.len > 0)
		export_printf(&b, "# autostart = false, so not started with the "
		    "target: %s\n", off.s);
	b.oom |= wants.oom || off.oom;
	free(wants.s);
	free(off.s);
	export_puts(&b, "\n[Install]\nWantedBy=default.target\n");
	snprintf(name, sizeof name, "%s.target", x->app);
	export_add_file(x, name, &b);
}

static void
export_systemd(struct export_ctx *x)
{
	size_t i, first;

	x->app = export_app_name(x->cfg->path, x->cfg->dir);
	x->oneshot = calloc(x->cfg->nprograms + 1, 1);
	if (x->app == NULL || x->oneshot == NULL) {
		x->oom = true;
		return;
	}
	export_systemd_oneshots(x);
	for (i = 0; i < x->cfg->nprograms; i++)
		export_systemd_unit(x, i);
	first = x->res->nlost;
	if (x->cfg->log_dir != NULL)
		export_lost(x, "[tend]", "log_dir has no equivalent in systemd; "
		    "the output goes to the journal (journalctl --user -u "
		    "NAME.service)");
	export_systemd_target(x, first);
}

/* --- supervisord ------------------------------------------------------- */

/* How many depends_on steps lie below program I (memoised in DEPTH, -1
 * for not yet known; config.c refused cycles). */
static int
export_depth(const struct export_ctx *x, size_t i, int *depth)
{
	const struct program_config *pc = &x->cfg->programs[i];
	size_t d, t;
	int m = 0, dt;

	if (depth[i] >= 0)
		return depth[i];
	depth[i] = 0;
	for (d = 0; d < pc->ndepends_on; d++) {
		export_cond(x, &pc->depends_on[d], &t);
		if ((dt = export_depth(x, t, depth) + 1) > m)
			m = dt;
	}
	return depth[i] = m;
}

static void
export_supervisord_header(struct export_ctx *x, struct export_buf *b)
{
	export_printf(b,
	    "; supervisord.conf: the programs of %s, exported by tend.\n"
	    "; Run it:    supervisord -c supervisord.conf   (in the foreground)\n"
	    "; Drive it:  supervisorctl -c supervisord.conf status | restart "
	    "NAME | shutdown\n"
	    "; Its log, pid file, socket and the programs' logs are next to "
	    "this file.\n", x->source);
	if (x->cfg->log_dir != NULL)
		export_lost(x, "[tend]", "log_dir has no equivalent in "
		    "supervisord; each program's output goes to NAME.log next "
		    "to supervisord.conf");
	export_lost_comments(x, b, 0, "; Lost:");
	export_puts(b, "\n[supervisord]\nnodaemon = true\n"
	    "logfile = %(here)s/supervisord.log\n"
	    "pidfile = %(here)s/supervisord.pid\n"
	    "childlogdir = %(here)s\n"
	    "\n[unix_http_server]\nfile = %(here)s/supervisor.sock\n"
	    "chmod = 0700\n"
	    "\n[supervisorctl]\nserverurl = unix://%(here)s/supervisor.sock\n"
	    "\n[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = "
	    "supervisor.rpcinterface:make_main_rpcinterface\n");
}

/* command=, directory= and environment=; what the last two cannot say
 * goes into the shell line.  false when the command cannot be written. */
static bool
export_supervisord_exec(struct export_ctx *x, struct export_buf *b,
    const struct program_config *pc)
{
	const char *dir = export_dir(x, pc);
	char *qdir = export_supervisord_value(dir), **exports = NULL, *line,
	    *cmd, *sh, *q;
	struct export_buf env = { 0 }, notes = { 0 };
	size_t nexports = 0, i;
	bool ok;

	if (qdir == NULL)
		export_puts(&notes, "; directory: the command does the cd (the "
		    "value does not fit supervisord's syntax)\n");
	for (i = 0; pc->environment != NULL && pc->environment[i] != NULL;
	    i++) {
		const char *kv = pc->environment[i];

		if ((q = export_supervisord_env(kv)) != NULL) {
			export_printf(&env, "%s%s", env.len ? "," : "", q);
			free(q);
			continue;
		}
		export_printf(&notes, "; %.*s: the command exports it (its value "
		    "does not fit supervisord's environment syntax)\n",
		    (int)strcspn(kv, "="), kv);
		export_push(x, &exports, &nexports, strdup(kv));
	}
	line = export_shell_line(pc, qdir == NULL ? dir : NULL, exports,
	    nexports, true);
	cmd = line != NULL ? export_supervisord_arg(line) : NULL;
	sh = export_supervisord_arg(x->cfg->shell);
	ok = cmd != NULL && sh != NULL;
	if (ok) {
		export_printf(b, "%s[program:%s]\ncommand = %s -c %s\n",
		    notes.len ? notes.s : "", pc->name, sh, cmd);
		if (qdir != NULL)
			export_printf(b, "directory = %s\n", qdir);
		if (env.len > 0)
			export_printf(b, "environment = %s\n", env.s);
	} else if (line != NULL) {
		export_lost(x, pc->name, "its command or environment holds a "
		    "carriage return, which supervisord cannot read; left out");
	}
	x->oom |= line == NULL || env.oom || notes.oom;
	free(sh);
	free(cmd);
	free(line);
	free(qdir);
	free(env.s);
	free(notes.s);
	for (i = 0; i < nexports; i++)
		free(exports[i]);
	free(exports);
	return ok;
}

static void
export_supervisord_program(struct export_ctx *x, struct export_buf *b,
    size_t i, int priority)
{
	const struct program_config *pc = &x->cfg->programs[i];
	size_t first = x->res->nlost;
	struct export_buf sec = { 0 };
	char *deps, *conds;
	bool any;
	int c;

	export_common_lost(x, pc);
	export_dependents_lost(x, i);
	if (pc->ndepends_on > 0) {
		deps = export_dep_list(x, pc, false);
		conds = export_dep_list(x, pc, true);
		export_lost(x, pc->name, "depends_on has no equivalent in "
		    "supervisord; priority %d starts it after %s but does not "
		    "wait for %s", priority, deps != NULL ? deps : "",
		    conds != NULL ? conds : "");
		free(deps);
		free(conds);
	}
	if (!export_supervisord_exec(x, &sec, pc)) {
		export_printf(b, "\n; [program:%s] is left out.\n", pc->name);
		export_lost_comments(x, b, first, "; Lost:");
		free(sec.s);
		return;
	}
	export_puts(b, "\n");
	export_lost_comments(x, b, first, "; Lost:");
	export_add(b, sec.s, sec.len);
	free(sec.s);
	export_printf(b, "priority = %d\nautostart = %s\nautorestart = %s\n"
	    "exitcodes = ", priority, pc->autostart ? "true" : "false",
	    pc->autorestart == CONFIG_RESTART_NEVER ? "false" :
	    pc->autorestart == CONFIG_RESTART_ALWAYS ? "true" : "unexpected");
	for (c = 0, any = false; c < 256; c++) {
		if (pc->exitcodes[c])
			export_printf(b, "%s%d", any ? "," : "", c);
		any |= pc->exitcodes[c] != 0;
	}
	/* Without autorestart tend has no startsecs: a one-shot job that
	 * ends at once is fine.  supervisord would call it a failure and
	 * run it again, unless startsecs is 0. */
	export_printf(b, "\nstartsecs = %d\nstartretries = %d\n"
	    "stopsignal = %s\nstopwaitsecs = %d\n"
	    "stopasgroup = true\nkillasgroup = true\n"
	    "redirect_stderr = %s\n",
	    pc->autorestart == CONFIG_RESTART_NEVER ? 0 : pc->startsecs,
	    pc->startretries, config_signal_name(pc->stopsignal),
	    pc->stopwaitsecs, pc->redirect_stderr ? "true" : "false");
	export_supervisord_logs(x, b, pc);
	if (pc->umask >= 0)
		export_printf(b, "umask = %03o\n", (unsigned)pc->umask);
	if (pc->user != NULL)
		export_printf(b, "user = %s\n", pc->user);
}

/* The log keys are supervisord's own: a path the program names, or one
 * next to supervisord.conf; rotation as tend does it. */
static void
export_supervisord_logs(struct export_ctx *x, struct export_buf *b,
    const struct program_config *pc)
{
	const char *own = export_own_log(x, pc);

	if (own != NULL)
		export_printf(b, "stdout_logfile = %s\n", own);
	else
		export_printf(b, "stdout_logfile = %%(here)s/%s.log\n", pc->name);
	if (export_rotation_set(pc))
		export_printf(b, "stdout_logfile_maxbytes = %lld\n"
		    "stdout_logfile_backups = %d\n", pc->stdout_logfile_maxbytes,
		    pc->stdout_logfile_backups);
	if (pc->redirect_stderr)
		return;
	if (pc->stderr_log_none)
		export_puts(b, "stderr_logfile = NONE\n");
	else if (pc->stderr_logfile != NULL)
		export_printf(b, "stderr_logfile = %s\n", pc->stderr_logfile);
	else
		export_printf(b, "stderr_logfile = %%(here)s/%s.err.log\n",
		    pc->name);
	if (export_rotation_set(pc))
		export_printf(b, "stderr_logfile_maxbytes = %lld\n"
		    "stderr_logfile_backups = %d\n", pc->stderr_logfile_maxbytes,
		    pc->stderr_logfile_backups);
}

/* supervisord's priority for program I: its own when it was set and it
 * waits for nothing, else one that starts it after what it depends on. */
static int
export_priority(const struct export_ctx *x, size_t i, int *depth)
{
	const struct program_config *pc = &x->cfg->programs[i];

	if (pc->priority != CONFIG_DEFAULT_PRIORITY && pc->ndepends_on == 0)
		return pc->priority;
	return 100 + 10 * export_depth(x, i, depth);
}

static void
export_supervisord(struct export_ctx *x)
{
	struct export_buf b = { 0 };
	int *depth = malloc((x->cfg->nprograms + 1) * sizeof *depth);
	size_t i;

	if (depth == NULL) {
		x->oom = true;
		return;
	}
	for (i = 0; i < x->cfg->nprograms; i++)
		depth[i] = -1;
	export_supervisord_header(x, &b);
	for (i = 0; i < x->cfg->nprograms; i++)
		export_supervisord_program(x, &b, i, export_priority(x, i, depth));
	free(depth);
	export_add_file(x, "supervisord.conf", &b);
}

/* --- Procfile ---------------------------------------------------------- */

static bool
export_same_dir(const char *a, const char *b)
{
	char *ra = realpath(a, NULL), *rb = realpath(b, NULL);
	bool same = strcmp(ra != NULL ? ra : a, rb != NULL ? rb : b) == 0;

	free(ra);
	free(rb);
	return same;
}

static void
export_procfile_lost(struct export_ctx *x, size_t i)
{
	const struct program_config *pc = &x->cfg->programs[i];
	const char *t = x->target;
	bool other = false;
	int c;

	for (c = 1; c < 256; c++)
		other |= pc->exitcodes[c] != 0;
	if (!pc->autostart)
		export_lost(x, pc->name, "autostart = false has no equivalent in "
		    "%s; it starts with the others", t);
	if (pc->autorestart != CONFIG_RESTART_NEVER)
		export_lost(x, pc->name, "autorestart has no equivalent in %s; "
		    "it is not restarted", t);
	if (!pc->exitcodes[0] || other)
		export_lost(x, pc->name, "exitcodes has no equivalent in %s", t);
	if (pc->stopsignal != SIGTERM)
		export_lost(x, pc->name, "stopsignal = %s has no equivalent in "
		    "%s; runners send SIGTERM", config_signal_name(pc->stopsignal),
		    t);
	if (pc->stopwaitsecs != 5)
		export_lost(x, pc->name, "stopwaitsecs has no equivalent in %s; "
		    "the runner's own timeout applies", t);
	if (pc->redirect_stderr)
		export_lost(x, pc->name, "redirect_stderr has no equivalent in "
		    "%s", t);
	if (pc->ndepends_on > 0)
		export_lost(x, pc->name, "depends_on has no equivalent in %s; it "
		    "starts at once, with the others", t);
	export_dependents_lost(x, i);
	export_common_lost(x, pc);
}

static void
export_procfile(struct export_ctx *x)
{
	struct export_buf b = { 0 };
	const char *here = x->here != NULL ? x->here : x->cfg->dir;
	size_t i, n;
	char *line;

	if (strcmp(x->cfg->shell, "/bin/sh") != 0)
		export_lost(x, "[tend]", "shell = %s has no equivalent in a "
		    "Procfile; runners use /bin/sh", x->cfg->shell);
	if (x->cfg->log_dir != NULL)
		export_lost(x, "[tend]", "log_dir has no equivalent in a Procfile");
	for (i = 0; i < x->cfg->nprograms; i++) {
		const struct program_config *pc = &x->cfg->programs[i];
		const char *dir = export_dir(x, pc);

		export_procfile_lost(x, i);
		for (n = 0; pc->environment != NULL && pc->environment[n]; n++)
			;
		line = export_shell_line(pc, export_same_dir(dir, here) ? NULL :
		    dir, pc->environment, n, false);
		if (line == NULL) {
			x->oom = true;
			continue;
		}
		if (strpbrk(line, "\r\n") != NULL)
			export_lost(x, pc->name, "its command, environment or "
			    "directory holds a line break, which a Procfile line "
			    "cannot; left out");
		else
			export_printf(&b, "%s: %s\n", pc->name, line);
		free(line);
	}
	export_add_file(x, "Procfile", &b);
}

int
export_build(const struct config *cfg, enum export_format fmt,
    const char *here, struct export_result *res, char *err, size_t size)
{
	struct export_ctx x = {
		.cfg = cfg,
		.fmt = fmt,
		.here = here,
		.res = res,
		.target = fmt == EXPORT_SYSTEMD ? "systemd" :
		    fmt == EXPORT_SUPERVISORD ? "supervisord" : "a Procfile",
	};

	memset(res, 0, sizeof *res);
	if ((x.source = export_source(cfg)) == NULL)
		x.oom = true;
	else if (fmt == EXPORT_SYSTEMD)
		export_systemd(&x);
	else if (fmt == EXPORT_SUPERVISORD)
		export_supervisord(&x);
	else
		export_procfile(&x);
	free(x.source);
	free(x.app);
	free(x.oneshot);
	if (x.oom) {
		snprintf(err, size, "out of memory");
		return -1;
	}
	return 0;
}

void
export_result_free(struct export_result *res)
{
	size_t i;

	for (i = 0; i < res->nfiles; i++) {
		free(res->files[i].name);
		free(res->files[i].text);
	}
	for (i = 0; i < res->nlost; i++)
		free(res->lost[i]);
	free(res->files);
	free(res->lost);
	memset(res, 0, sizeof *res);
}

/* --- output ------------------------------------------------------------ */

int
export_mkdir(const char *dir, char *err, size_t size)
{
	char *p = strdup(dir), *s, c;
	struct stat st;
	int rc = 0;

	if (p == NULL) {
		snprintf(err, size, "out of memory");
		return -1;
	}
	for (s = p + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		c = *s;
		*s = '\0';
		if (mkdir(p, 0755) == -1 && errno != EEXIST) {
			snprintf(err, size, "cannot create %s: %s", p,
			    strerror(errno));
			rc = -1;
			break;
		}
		*s = c;
		if (c == '\0')
			break;
	}
	if (rc == 0 && (stat(dir, &st) == -1 || !S_ISDIR(st.st_mode))) {
		snprintf(err, size, "%s is not a folder", dir);
		rc = -1;
	}
	free(p);
	return rc;
}

static int
export_write_file(const char *dir, const struct export_file *f, char *err,
    size_t size)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	size_t len = strlen(f->text), off = 0;
	ssize_t n;
	int fd;

	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, f->name) >=
	    sizeof path || (size_t)snprintf(tmp, sizeof tmp, "%s/.%s.%ld.tmp",
	    dir, f->name, (long)getpid()) >= sizeof tmp) {
		snprintf(err, size, "%s/%s: the path is too long", dir, f->name);
		return -1;
	}
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) ==
	    -1) {
		snprintf(err, size, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	while (off < len) {
		if ((n = write(fd, f->text + off, len - off)) == -1 &&
		    errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	if (off < len || close(fd) == -1 || rename(tmp, path) == -1) {
		snprintf(err, size, "cannot write %s: %s", path, strerror(errno));
		if (off < len)
			close(fd);
		unlink(tmp);
		return -1;
	}
	return 0;
}

int
export_write(const struct export_result *res, const char *dir, char *err,
    size_t size)
{
	size_t i;

	for (i = 0; i < res->nfiles; i++) {
		if (export_write_file(dir, &res->files[i], err, size) == -1)
			return -1;
	}
	return 0;
}

int
export_print(const struct export_result *res, FILE *out)
{
	size_t i;

	for (i = 0; i < res->nfiles; i++) {
		if (res->nfiles > 1)
			fprintf(out, "%s# FILE: %s\n", i > 0 ? "\n" : "",
			    res->files[i].name);
		fputs(res->files[i].text, out);
	}
	return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}
