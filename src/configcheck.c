/*
 * configcheck: owns --check's look at a loaded config from the point of
 * view of the programs' start: their folders, the first word of each
 * command, the ports they are given and probe.
 */
#define _GNU_SOURCE		/* strndup */
#include "configcheck.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "runas.h"

#define CONFIGCHECK_DEFAULT_PATH "/usr/local/bin:/usr/bin:/bin"

/* dash's and bash's keywords and builtins: a command starting with one
 * is run by the shell itself. */
static const char *const configcheck_shell_words[] = {
	"!", "{", "}", "[[", "]]", "case", "coproc", "do", "done", "elif",
	"else", "esac", "fi", "for", "function", "if", "in", "select", "then",
	"time", "until", "while",
	".", ":", "[", "alias", "bg", "bind", "break", "builtin", "caller",
	"cd", "command", "compgen", "complete", "continue", "declare", "dirs",
	"disown", "echo", "enable", "eval", "exec", "exit", "export", "false",
	"fc", "fg", "getopts", "hash", "help", "history", "jobs", "kill",
	"let", "local", "logout", "mapfile", "popd", "printf", "pushd", "pwd",
	"read", "readarray", "readonly", "return", "set", "shift", "shopt",
	"source", "suspend", "test", "times", "trap", "true", "type",
	"typeset", "ulimit", "umask", "unalias", "unset", "wait", NULL
};

static bool
configcheck_in(const char *const *list, const char *word)
{
	for (; *list != NULL; list++) {
		if (strcmp(*list, word) == 0)
			return true;
	}
	return false;
}

/* The folder PC runs in. */
static const char *
configcheck_dir(const struct config *cfg, const struct program_config *pc)
{
	return pc->directory != NULL ? pc->directory : cfg->dir;
}

/* The value PC's environment gives KEY (not tend's own); NULL if none. */
static const char *
configcheck_env(const struct program_config *pc, const char *key)
{
	size_t n = strlen(key);
	char **e;

	for (e = pc->environment; e != NULL && *e != NULL; e++) {
		if (strncmp(*e, key, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	}
	return NULL;
}

/* Where a message about PC's command (or its directory, WHICH 'd') goes. */
static int
configcheck_where(const struct config *cfg, const struct program_config *pc,
    char which, const char **file)
{
	int line = which == 'd' ? pc->directory_line : pc->command_line;

	*file = NULL;
	return line > 0 ? line : config_program_where(cfg, pc, file);
}

/* --- directories ------------------------------------------------------------ */

static void
configcheck_directory(struct config *cfg, const struct program_config *pc)
{
	const char *dir = configcheck_dir(cfg, pc), *file;
	struct stat sb;
	int line = configcheck_where(cfg, pc, 'd', &file);

	if (stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode))
		return;
	if (stat(dir, &sb) == 0)
		config_message(cfg, false, file, line, "[program:%s]: directory "
		    "%s is not a folder", pc->name, dir);
	else if (pc->ndepends_on > 0)
		config_message(cfg, true, file, line, "[program:%s]: directory "
		    "%s does not exist yet; it must by the time %s starts",
		    pc->name, dir, pc->name);
	else
		config_message(cfg, false, file, line, "[program:%s]: directory "
		    "%s does not exist", pc->name, dir);
}

/* --- the first word of a command ------------------------------------------- */

/*
 * The first word of COMMAND that names what runs, as a new string: past
 * VAR=value assignments and "exec" or "command"; NULL when it cannot be
 * told without running a shell (a quote, a $, a glob, a ~, a subshell).
 */
static char *
configcheck_first_word(const char *command)
{
	const char *p = command;

	for (;;) {
		size_t n;

		while (isspace((unsigned char)*p))
			p++;
		n = strcspn(p, " \t\n;&|<>()");
		if (n == 0 || strcspn(p, "'\"$`\\*?[~") < n)
			return NULL;
		if ((isalpha((unsigned char)*p) || *p == '_') &&
		    strcspn(p, "=") < n) {	/* VAR=value */
			size_t k = strspn(p, "abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");

			if (p[k] == '=') {
				p += n;
				continue;
			}
		}
		if ((n == 4 && strncmp(p, "exec", 4) == 0) ||
		    (n == 7 && strncmp(p, "command", 7) == 0)) {
			const char *next = p + n;

			while (*next == ' ' || *next == '\t')
				next++;
			if (*next != '\0' && *next != '-' &&
			    !strchr(";&|<>()\n", *next)) {
				p = next;
				continue;
			}
		}
		return strndup(p, n);
	}
}

/* Is PATH an executable file (not a folder)? */
static bool
configcheck_executable(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && !S_ISDIR(sb.st_mode) &&
	    access(path, X_OK) == 0;
}

/* Is WORD a program in one of PATH's folders (an empty one is DIR)? */
static bool
configcheck_on_path(const char *word, const char *path, const char *dir)
{
	const char *p = path;

	for (;;) {
		size_t n = strcspn(p, ":");
		char *full;
		bool found;

		if (asprintf(&full, "%.*s/%s", n > 0 ? (int)n : (int)strlen(dir),
		    n > 0 ? p : dir, word) == -1)
			return true;	/* out of memory: say nothing */
		found = configcheck_executable(full);
		free(full);
		if (found)
			return true;
		if (p[n] == '\0')
			return false;
		p += n + 1;
	}
}

static void
configcheck_command(struct config *cfg, const struct program_config *pc)
{
	const char *dir = configcheck_dir(cfg, pc), *path, *file;
	char *word, *full = NULL;
	int line = configcheck_where(cfg, pc, 'c', &file);

	if (pc->command == NULL ||
	    (word = configcheck_first_word(pc->command)) == NULL)
		return;
	if (configcheck_in(configcheck_shell_words, word)) {
		free(word);
		return;
	}
	if (strchr(word, '/') != NULL) {
		if (word[0] == '/')
			full = strdup(word);
		else if (asprintf(&full, "%s/%s", dir, word) == -1)
			full = NULL;
		if (full != NULL && access(full, F_OK) != 0)
			config_message(cfg, true, file, line, "[program:%s]: "
			    "command: %s does not exist (in %s); the program "
			    "will not start", pc->name, word, dir);
		else if (full != NULL && !configcheck_executable(full))
			config_message(cfg, true, file, line, "[program:%s]: "
			    "command: %s is not an executable file; the program "
			    "will not start", pc->name, word);
		free(full);
		free(word);
		return;
	}
	if ((path = configcheck_env(pc, "PATH")) == NULL &&
	    (path = getenv("PATH")) == NULL)
		path = CONFIGCHECK_DEFAULT_PATH;
	if (!configcheck_on_path(word, path, dir))
		config_message(cfg, true, file, line, "[program:%s]: command: "
		    "'%s' is not a shell builtin and not on PATH; the shell may "
		    "still find it (a function, an alias), else the program "
		    "exits 127", pc->name, word);
	free(word);
}

/* --- ports ---------------------------------------------------------------- */

/* A probe's host and port, from probe_url (http 80, https 443) or
 * probe_tcp; 0 if it has none.  HOST gets the host, "local" for this
 * machine's names. */
static int
configcheck_probe_port(const struct program_config *pc, char *host,
    size_t size)
{
	const char *hp, *end, *colon;
	int port;

	if (pc->probe_url != NULL) {
		bool tls = strncasecmp(pc->probe_url, "https://", 8) == 0;

		hp = pc->probe_url + (tls ? 8 : 7);
		end = hp + strcspn(hp, "/?#");
		const char *at = memchr(hp, '@', (size_t)(end - hp));

		if (at != NULL)
			hp = at + 1;
		port = tls ? 443 : 80;
	} else if (pc->probe_tcp != NULL) {
		hp = pc->probe_tcp;
		end = hp + strlen(hp);
		port = 0;
	} else {
		return 0;
	}
	colon = NULL;
	for (const char *c = hp; c < end; c++) {
		if (*c == ':' && (hp[0] != '[' || (c > hp && c[-1] == ']')))
			colon = c;
	}
	if (colon != NULL) {
		port = atoi(colon + 1);
		end = colon;
	}
	snprintf(host, size, "%.*s", (int)(end - hp), hp);
	if (strcasecmp(host, "localhost") == 0 || strcmp(host, "127.0.0.1") ==
	    0 || strcmp(host, "[::1]") == 0 || strcmp(host, "0.0.0.0") == 0 ||
	    host[0] == '\0')
		snprintf(host, size, "local");
	return port;
}

static void
configcheck_ports(struct config *cfg)
{
	size_t i, j;

	for (i = 0; i < cfg->nprograms; i++) {
		const struct program_config *a = &cfg->programs[i];
		const char *pa = configcheck_env(a, "PORT"), *file;
		char ha[256], hb[256];
		int probe_a = configcheck_probe_port(a, ha, sizeof ha), line;

		line = config_program_where(cfg, a, &file);
		for (j = 0; j < i; j++) {
			const struct program_config *b = &cfg->programs[j];
			const char *pb = configcheck_env(b, "PORT");

			if (pa != NULL && pb != NULL && strcmp(pa, pb) == 0) {
				config_message(cfg, true, file, line,
				    "[program:%s] gets PORT=%s, as [program:%s] "
				    "does", a->name, pa, b->name);
				break;
			}
		}
		for (j = 0; probe_a > 0 && j < i; j++) {
			const struct program_config *b = &cfg->programs[j];

			if (configcheck_probe_port(b, hb, sizeof hb) == probe_a &&
			    strcmp(ha, hb) == 0) {
				config_message(cfg, true, file, line,
				    "[program:%s] probes port %d of %s, as "
				    "[program:%s] does",
				    a->name, probe_a, strcmp(ha, "local") == 0 ?
				    "this machine" : ha, b->name);
				break;
			}
		}
	}
}

/* --- user ------------------------------------------------------------------ */

/* A user = NAME this tend could not switch to (it is not root): a
 * warning, as root may be the one to run the config. */
static void
configcheck_user(struct config *cfg, size_t i)
{
	const struct program_config *pc = &cfg->programs[i], *prev = i > 0 ?
	    &cfg->programs[i - 1] : NULL;
	struct runas r;
	char why[256];

	if (pc->user == NULL)
		return;
	/* numprocs copies share the key: one warning for them all. */
	if (prev != NULL && prev->group != NULL && pc->group != NULL &&
	    strcmp(prev->group, pc->group) == 0 && prev->user != NULL)
		return;
	if (runas_resolve(pc->user, &r, why, sizeof why) == 0) {
		runas_free(&r);
		return;
	}
	config_message(cfg, true, NULL, pc->user_line, "[program:%s]: %s; it "
	    "would not start", pc->group != NULL ? pc->group : pc->name, why);
}

int
configcheck_run(struct config *cfg)
{
	size_t i, before = cfg->nerrors;

	for (i = 0; i < cfg->nprograms; i++) {
		configcheck_directory(cfg, &cfg->programs[i]);
		configcheck_command(cfg, &cfg->programs[i]);
		configcheck_user(cfg, i);
	}
	configcheck_ports(cfg);
	return cfg->nerrors > before ? -1 : 0;
}
