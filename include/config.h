/*
 * config: load and validate a tend config — an INI file (parsed by inih),
 * or a Procfile — with the .env and env_file variables its programs get.
 *
 * The result is plain data: the [tend] settings and one program_config per
 * program, in order: a Procfile's programs first (CONFIG itself, or the
 * one [tend] procfile names, with the keys of a [program:NAME] section of
 * the same name laid over them), then the [program:NAME] sections of the
 * INI file.  Every problem is collected as a one-line message
 * "FILE:LINE: what is wrong" (FILE the config, or the Procfile, .env or
 * env_file the problem is in) so --check can list them all; loading fails
 * if there is at least one error.  Supervisord keys and sections tend does
 * not implement become warnings, never errors.
 */
#ifndef TEND_CONFIG_H
#define TEND_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#define CONFIG_DEFAULT_SCROLLBACK 10000
/* foreman's PORTs: 5000 for a Procfile's first program, 5100, 5200 ... */
#define CONFIG_DEFAULT_PORT_BASE 5000
#define CONFIG_PORT_STEP 100
/* Log rotation, supervisord's defaults: 50MB, 10 backups. */
#define CONFIG_DEFAULT_LOG_MAX_BYTES (50LL * 1024 * 1024)
#define CONFIG_DEFAULT_LOG_BACKUPS 10

enum config_autorestart {
	CONFIG_RESTART_NEVER,		/* autorestart = false */
	CONFIG_RESTART_ALWAYS,		/* autorestart = true */
	CONFIG_RESTART_UNEXPECTED,	/* exit code not in exitcodes */
};

/* What depends_on waits for (see cond.h). */
enum config_dep_cond {
	CONFIG_DEP_DEFAULT,	/* ready when it has a readiness check, else
				   started */
	CONFIG_DEP_STARTED,
	CONFIG_DEP_READY,
	CONFIG_DEP_COMPLETED,
	CONFIG_DEP_COMPLETED_OK,	/* completed_successfully: exited 0 */
};

struct config_dep {
	char *name;
	enum config_dep_cond cond;
};

/* supervisord's default priority: lower starts first, stops last. */
#define CONFIG_DEFAULT_PRIORITY 999

struct program_config {
	char *name;		/* the NAME of [program:NAME], or of one of
				   its numprocs copies (process_name) */
	char *group;		/* the NAME of [program:NAME] its keys came
				   from, shared by its copies; NULL for a
				   program of the Procfile only */
	int process_num;	/* %(process_num)s of this copy */
	int numprocs;		/* how many copies its section made */
	int line;		/* line of the section header; 0: none (a
				   program of the Procfile only) */
	int procfile_line;	/* its line in cfg->procfile; 0: none */
	char *command;		/* run as: $shell -c "$command" */
	int command_line;	/* of its command key; 0: the Procfile's */
	char *directory;	/* absolute, or NULL for the config's folder */
	int directory_line;	/* of its directory key; 0: none */
	/* Every "KEY=value" laid over tend's environment, NULL-terminated,
	 * each KEY once, from (the later wins): the .env next to the
	 * config, [tend] env_file, its env_file, its PORT, its environment
	 * key. */
	char **environment;
	char **env_file;	/* its env_file: absolute paths, or NULL */
	int port;		/* the PORT its Procfile line gave it; 0: none */
	bool autostart;
	enum config_autorestart autorestart;
	unsigned char exitcodes[256];	/* exitcodes[n] != 0: n is expected */
	int startsecs;
	int startretries;
	int stopsignal;		/* a signal number: SIGTERM, ... */
	int stopwaitsecs;
	char *stop_input;	/* NULL when unset */
	bool redirect_stderr;
	bool pty;

	/* HTTP probe and readiness (used by the probe module). */
	char *ready_log;	/* NULL when unset */
	char *probe_url;	/* NULL when unset */
	int probe_status;	/* 0: any 2xx or 3xx */
	char *probe_body;	/* NULL when unset */
	double probe_interval;	/* seconds; 0: only on demand */
	double probe_timeout;	/* seconds */
	char *probe_command;	/* ready/healthy when it exits 0, or NULL */
	char *probe_tcp;	/* "HOST:PORT": ready when it connects */
	int restart_unhealthy;	/* restart after this many failed probes in a
				   row; 0: never */

	/* Start order: what it waits for, and what waits for it. */
	struct config_dep *depends_on;
	size_t ndepends_on;
	int depends_line;	/* where depends_on was, for messages */
	bool restart_dependents;

	/* supervisord's process keys. */
	int priority;		/* start order among programs that wait for
				   nothing (lower first); quit stops higher
				   ones first, one priority at a time */
	int umask;		/* set in the child before exec; -1: tend's */
	char *user;		/* run as this user (tend must be root unless
				   it is tend's own), or NULL */
	int user_line;		/* of its user key */
	bool stopasgroup;	/* read for supervisord configs: tend always */
	bool killasgroup;	/* signals the whole process group */

	/* Restart on change: globs relative to its directory. */
	char **watch;		/* NULL-terminated, or NULL */
	char **watch_ignore;
	double watch_delay;	/* seconds of quiet before the restart */

	/* Log files, supervisord's keys; resolved once the file is read
	 * (the [tend] defaults applied, AUTO and NONE gone). */
	char *stdout_logfile;	/* absolute; NULL: no log file */
	long long stdout_logfile_maxbytes;	/* 0: never rotate */
	int stdout_logfile_backups;
	char *stderr_logfile;	/* absolute: stderr's own file; NULL: in
				   stdout's, marked '!' */
	bool stderr_log_none;	/* stderr_logfile = NONE: not logged */
	long long stderr_logfile_maxbytes;
	int stderr_logfile_backups;
	int log_timestamps;	/* 1: each log line starts with its time */
};

struct config {
	char *path;		/* as given */
	char *dir;		/* absolute folder of the file */
	size_t scrollback;	/* lines kept in memory per program */
	char *log_dir;		/* absolute, or NULL: no log files */
	char *shell;		/* default /bin/sh */
	char *procfile;		/* the Procfile read (CONFIG itself, or
				   [tend] procfile as a path from where tend
				   runs), or NULL */
	int port_base;		/* [tend] port_base */
	char **env_file;	/* [tend] env_file: absolute paths, or NULL */
	long long log_max_bytes;	/* [tend]: defaults of each program's */
	int log_backups;
	bool log_timestamps;

	struct program_config *programs;
	size_t nprograms;

	char **errors;		/* "FILE:LINE: message" */
	size_t nerrors;
	char **warnings;	/* "FILE:LINE: message" */
	size_t nwarnings;
};

/*
 * Load PATH into CFG: a Procfile when its name is one (procfile.h), else
 * an INI file.  Returns 0 when there is no error (warnings may be
 * present), -1 otherwise; in both cases CFG holds the messages and must be
 * released with config_free().  A file that cannot be opened is an error
 * "PATH: cannot open: REASON"; one that is not a regular file, or is
 * larger than 16 MiB, is refused before it is read.  Control characters
 * quoted from the file are shown escaped (\x1b, \r) in every message.
 */
int config_load(const char *path, struct config *cfg);
void config_free(struct config *cfg);

/* Would a program run differently with B than with A (a reload: changed
 * programs restart, unchanged ones are left alone)?  The [tend] settings
 * every program uses count too. */
bool config_program_same(const struct config *ca,
    const struct program_config *a, const struct config *cb,
    const struct program_config *b);

/* Would program B's log files be other files, or be written otherwise,
 * than A's (a reload reopens them then)? */
bool config_logs_same(const struct program_config *a,
    const struct program_config *b);

/* CONFIG when none is given: ./tend.ini, else ./Procfile when there is
 * one and no tend.ini (tend and tend ctl pick it alike). */
const char *config_default_path(void);

/*
 * Add a message to CFG as loading does: "FILE:LINE: text", FILE NULL for
 * the config itself and LINE 0 for none; control characters escaped; at
 * most 50 errors and 100 warnings are kept.
 */
void config_message(struct config *cfg, bool warning, const char *file,
    int line, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Where a message about program PC goes: the line of its section, or of
 * its Procfile line (*FILE then the Procfile; else NULL). */
int config_program_where(const struct config *cfg,
    const struct program_config *pc, const char **file);

/* "TERM" for SIGTERM (without the SIG prefix); "?" when unknown. */
const char *config_signal_name(int signo);

#endif
