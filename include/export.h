/*
 * export: a tend config as the files of a process manager that outgrows
 * one terminal — systemd user units and a target, a supervisord.conf, a
 * Procfile — and the list of what the target cannot express.
 *
 * Building is pure: files and messages in memory, nothing written.
 * Every key the target has no room for becomes one line
 * "NAME: what is lost" (NAME is the program, or "[tend]"); the files
 * carry the same lines as comments where their format has comments.
 */
#ifndef TEND_EXPORT_H
#define TEND_EXPORT_H

#include <stddef.h>
#include <stdio.h>

#include "config.h"

enum export_format {
	EXPORT_SYSTEMD,
	EXPORT_SUPERVISORD,
	EXPORT_PROCFILE,
};

struct export_file {
	char *name;		/* "web.service", "supervisord.conf", ... */
	char *text;
};

struct export_result {
	struct export_file *files;
	size_t nfiles;
	char **lost;		/* "NAME: what the target cannot do" */
	size_t nlost;
};

/* "systemd", "supervisord", "procfile" to a format; -1 when unknown. */
int export_format_parse(const char *name);

/*
 * Build FMT's files from CFG (a config that loaded without error).  HERE
 * is the absolute folder the files will be in, or NULL for the config's
 * own folder (a Procfile's commands cd to a program's directory when it
 * is not that folder).  Returns 0, or -1 (out of memory) with ERR set;
 * RES must be released with export_result_free() either way.
 */
int export_build(const struct config *cfg, enum export_format fmt,
    const char *here, struct export_result *res, char *err, size_t size);
void export_result_free(struct export_result *res);

/* Make DIR and its missing parents, mode 0755.  0, or -1 with ERR set. */
int export_mkdir(const char *dir, char *err, size_t size);
/* Write each file into DIR (through a temporary file and a rename).
 * 0, or -1 with ERR set. */
int export_write(const struct export_result *res, const char *dir,
    char *err, size_t size);
/* Print the files to OUT; with more than one, each after a line
 * "# FILE: NAME" (a comment in every format that has several). */
int export_print(const struct export_result *res, FILE *out);

/* The name of the systemd target: the config's folder, and the file's
 * name without its extension unless that is "tend"; only characters a
 * unit name may hold.  Allocated, NULL when out of memory. */
char *export_app_name(const char *path, const char *dir);

/*
 * Quoting, one value at a time; each returns a new string, or NULL when
 * the value cannot be written in the target (or memory ran out).
 *
 * export_sh_quote: a POSIX shell word: as it is when it has only safe
 * characters, else in single quotes ('\'' for a quote).
 *
 * export_systemd_arg: one word of ExecStart=, in double quotes, with
 * systemd's escapes: %% for %, $$ for $, \\ \" \n \t \r, \xHH for other
 * control bytes and bytes that are not UTF-8.
 *
 * export_systemd_env: "KEY=value" as one word of Environment=: the same
 * escapes but $ (Environment= does not expand variables); NULL if the
 * value is not UTF-8 (systemd refuses it).
 *
 * export_supervisord_arg: one word of command= as supervisord reads it
 * (its INI parser, %-expansion, then shlex.split): single-quoted runs,
 * \' \; \# outside them (a ';' or '#' after a space would start a
 * comment), %% for %, and a newline as "\n" in double quotes across a
 * continuation line; NULL if it holds a carriage return.
 *
 * export_supervisord_env: KEY="value" (or 'value' when it holds a ")
 * for environment=, which supervisord splits with a non-POSIX shlex:
 * no escapes, and quotes at either end of a value are stripped.  NULL
 * when the value holds both quotes, starts or ends with one, has a
 * line break, or a ';' or '#' after a space.
 *
 * export_supervisord_value: a plain value (directory=): %% for %; NULL
 * with a line break, space at either end, or a ';' or '#' after a space.
 */
char *export_sh_quote(const char *s);
char *export_systemd_arg(const char *s);
char *export_systemd_env(const char *kv);
char *export_supervisord_arg(const char *s);
char *export_supervisord_env(const char *kv);
char *export_supervisord_value(const char *s);

#endif
