/* Unit tests for the config loader: values, defaults, paths, environment,
 * expansions, continuation lines, and the exact wording of each error. */
#define _GNU_SOURCE		/* RTLD_NEXT */
#include <dlfcn.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <cmocka.h>

#include "config.h"
#include "configcheck.h"
#include <ini.h>

static char dir[] = "/tmp/tend-config-unit.XXXXXX";

static int
setup(void **state)
{
	(void)state;
	if (mkdtemp(dir) == NULL || chdir(dir) == -1)
		return -1;
	return 0;
}

/* Only this run's folder: another test_config may be running. */
static int
teardown(void **state)
{
	char cmd[sizeof dir + 16];

	(void)state;
	if (chdir("/") == -1)
		return -1;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return -1;
	return 0;
}

/* The reader the loader hands inih may fill the NUM bytes it is given and
 * no more: inih's buffer ends there, and a byte written past it goes
 * unnoticed even by ASan (libinih is not instrumented).  So inih's entry
 * point is interposed here, to give the reader a buffer with a guard byte
 * after the NUM it is told. */
struct guarded_reader {
	ini_reader reader;
	void *stream;
};

static char *
guarded_read(char *str, int num, void *stream)
{
	const struct guarded_reader *g = stream;
	char *buf = malloc((size_t)num + 1), *got;

	assert_non_null(buf);
	buf[num] = 'G';
	got = g->reader(buf, num, g->stream);
	if (buf[num] != 'G')
		fail_msg("the reader wrote past the %d bytes it was given", num);
	if (got != NULL) {
		assert_true(memchr(buf, '\0', (size_t)num) != NULL);
		memcpy(str, buf, strlen(buf) + 1);
	}
	free(buf);
	return got != NULL ? str : NULL;
}

/* The interposer finds the real ini_parse_stream with RTLD_NEXT: this
 * reference keeps libinih linked (--as-needed would drop it, as nothing else
 * in this program calls into it). */
static int (*const keep_libinih)(FILE *, ini_handler, void *)
    __attribute__((used)) = ini_parse_file;

int
ini_parse_stream(ini_reader reader, void *stream, ini_handler handler,
    void *user)
{
	static int (*real)(ini_reader, void *, ini_handler, void *);
	struct guarded_reader g = { reader, stream };

	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "ini_parse_stream");
	assert_non_null(real);
	return real(guarded_read, &g, handler, user);
}

/* Write TEXT to tend.ini and load it. */
static int
load(struct config *cfg, const char *text)
{
	FILE *f = fopen("tend.ini", "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return config_load("tend.ini", cfg);
}

/* Loading PATH failed with exactly one error, WANT. */
static void
assert_one_error_file(const char *path, const char *want)
{
	struct config cfg;

	assert_int_equal(config_load(path, &cfg), -1);
	if (cfg.nerrors != 1 || strcmp(cfg.errors[0], want) != 0)
		fail_msg("wanted [%s], got %zu errors, first [%s]", want,
		    cfg.nerrors, cfg.nerrors ? cfg.errors[0] : "");
	config_free(&cfg);
}

/* The config TEXT failed with exactly one error, WANT. */
static void
assert_one_error(const char *text, const char *want)
{
	struct config cfg;

	assert_int_equal(load(&cfg, text), -1);
	if (cfg.nerrors != 1 || strcmp(cfg.errors[0], want) != 0)
		fail_msg("wanted [%s], got %zu errors, first [%s]", want,
		    cfg.nerrors, cfg.nerrors ? cfg.errors[0] : "");
	config_free(&cfg);
}

static void
test_every_key(void **state)
{
	struct config cfg;
	const struct program_config *p;

	(void)state;
	assert_int_equal(load(&cfg,
	    "[tend]\nscrollback = 500\nlog_dir = logs\nshell = /bin/bash\n"
	    "[program:web]\ncommand = python3 -m http.server 8070\n"
	    "directory = sub\nenvironment = A=1,B=\"x, y\",C='z'\n"
	    "autostart = false\nautorestart = unexpected\nexitcodes = 0,3\n"
	    "startsecs = 2\nstartretries = 7\nstopsignal = sigint\n"
	    "stopwaitsecs = 9\nstop_input = quit()\nredirect_stderr = yes\n"
	    "pty = on\nready_log = Serving HTTP\n"
	    "probe_url = http://127.0.0.1:8070/\nprobe_status = 200\n"
	    "probe_body = Directory listing\nprobe_interval = 0.5\n"
	    "probe_timeout = 3\n"), 0);
	assert_int_equal(cfg.scrollback, 500);
	{
		char want[256];

		snprintf(want, sizeof want, "%s/logs", dir);
		assert_string_equal(cfg.log_dir, want);
	}
	assert_string_equal(cfg.shell, "/bin/bash");
	assert_int_equal(cfg.nprograms, 1);
	p = &cfg.programs[0];
	assert_string_equal(p->name, "web");
	assert_int_equal(p->line, 5);
	assert_string_equal(p->command, "python3 -m http.server 8070");
	assert_true(strstr(p->directory, "/sub") != NULL);
	assert_string_equal(p->environment[0], "A=1");
	assert_string_equal(p->environment[1], "B=x, y");
	assert_string_equal(p->environment[2], "C=z");
	assert_null(p->environment[3]);
	assert_false(p->autostart);
	assert_int_equal(p->autorestart, CONFIG_RESTART_UNEXPECTED);
	assert_true(p->exitcodes[0] && p->exitcodes[3] && !p->exitcodes[1]);
	assert_int_equal(p->startsecs, 2);
	assert_int_equal(p->startretries, 7);
	assert_int_equal(p->stopsignal, SIGINT);
	assert_int_equal(p->stopwaitsecs, 9);
	assert_string_equal(p->stop_input, "quit()");
	assert_true(p->redirect_stderr);
	assert_true(p->pty);
	assert_string_equal(p->ready_log, "Serving HTTP");
	assert_string_equal(p->probe_url, "http://127.0.0.1:8070/");
	assert_int_equal(p->probe_status, 200);
	assert_string_equal(p->probe_body, "Directory listing");
	assert_true(p->probe_interval == 0.5);
	assert_true(p->probe_timeout == 3);
	assert_int_equal(cfg.nwarnings, 0);
	config_free(&cfg);
}

static void
test_defaults(void **state)
{
	struct config cfg;
	const struct program_config *p;

	(void)state;
	assert_int_equal(load(&cfg, "[program:a]\ncommand = true\n"), 0);
	p = &cfg.programs[0];
	assert_int_equal(cfg.scrollback, CONFIG_DEFAULT_SCROLLBACK);
	assert_null(cfg.log_dir);
	assert_string_equal(cfg.shell, "/bin/sh");
	assert_null(p->directory);
	assert_true(p->autostart);
	assert_int_equal(p->autorestart, CONFIG_RESTART_NEVER);
	assert_true(p->exitcodes[0] && !p->exitcodes[1]);
	assert_int_equal(p->startsecs, 1);
	assert_int_equal(p->startretries, 3);
	assert_int_equal(p->stopsignal, SIGTERM);
	assert_int_equal(p->stopwaitsecs, 5);
	assert_null(p->stop_input);
	assert_false(p->redirect_stderr);
	assert_int_equal(p->probe_status, 0);
	assert_true(p->probe_timeout == 2);
	assert_string_equal(cfg.dir, dir);
	config_free(&cfg);
}

static void
test_continuation_and_expansion(void **state)
{
	struct config cfg;

	(void)state;
	setenv("TEND_TEST_VAR", "from-env", 1);
	assert_int_equal(load(&cfg, "[program:job]\n"
	    "command = echo %(ENV_TEND_TEST_VAR)s %(program_name)s\n"
	    "   and more ; a comment\n"
	    "  %(here)s 100%% $((7 % 2))\n"), 0);
	assert_int_equal(cfg.nerrors, 0);
	{
		char want[512];

		snprintf(want, sizeof want, "echo from-env job and more %s "
		    "100%% $((7 %% 2))", dir);
		assert_string_equal(cfg.programs[0].command, want);
	}
	config_free(&cfg);
}

static void
test_supervisord_file_runs(void **state)
{
	struct config cfg;

	(void)state;
	assert_int_equal(load(&cfg, "[unix_http_server]\nfile = /tmp/s.sock\n"
	    "[supervisord]\nlogfile = /tmp/x\n[rpcinterface:supervisor]\n"
	    "x = y\n[program:web]\ncommand = true\nserverurl = AUTO\n"
	    "stdout_logfile = /tmp/web.log\n[group:all]\nprograms = web\n"), 0);
	assert_int_equal(cfg.nprograms, 1);
	assert_int_equal(cfg.nwarnings, 5);	/* stdout_logfile is read */
	assert_string_equal(cfg.programs[0].stdout_logfile, "/tmp/web.log");
	assert_string_equal(cfg.warnings[0], "tend.ini:1: [unix_http_server] "
	    "is a supervisord section; tend skips it");
	assert_string_equal(cfg.warnings[3], "tend.ini:9: 'serverurl' is a "
	    "supervisord key tend does not implement; ignored");
	config_free(&cfg);
}

/* The log keys: supervisord's defaults, [tend]'s laid under a program's,
 * AUTO and NONE, sizes with suffixes; and a reload sees a change. */
static void
test_log_keys(void **state)
{
	struct config cfg, other;
	const struct program_config *a, *b, *c;
	char want[512];

	(void)state;
	assert_int_equal(load(&cfg, "[program:a]\ncommand = true\n"
	    "[tend]\nlog_dir = logs\nlog_backups = 4\nlog_max_bytes = 1MB\n"
	    "[program:b]\ncommand = true\nstdout_logfile = out/b.txt\n"
	    "stdout_logfile_maxbytes = 64KB\nstderr_logfile = NONE\n"
	    "log_timestamps = false\n"
	    "[program:c]\ncommand = true\nstdout_logfile = NONE\n"
	    "stderr_logfile = err.log\nstderr_logfile_backups = 0\n"), 0);
	assert_int_equal(cfg.nwarnings, 0);
	a = &cfg.programs[0];
	b = &cfg.programs[1];
	c = &cfg.programs[2];
	snprintf(want, sizeof want, "%s/logs/a.log", dir);
	assert_string_equal(a->stdout_logfile, want);	/* AUTO */
	assert_null(a->stderr_logfile);			/* in stdout's */
	assert_false(a->stderr_log_none);
	assert_true(a->stdout_logfile_maxbytes == 1024 * 1024);
	assert_int_equal(a->stdout_logfile_backups, 4);
	assert_int_equal(a->log_timestamps, 1);
	snprintf(want, sizeof want, "%s/out/b.txt", dir);
	assert_string_equal(b->stdout_logfile, want);
	assert_true(b->stdout_logfile_maxbytes == 65536);
	assert_true(b->stderr_log_none);
	assert_int_equal(b->log_timestamps, 0);
	assert_null(c->stdout_logfile);
	snprintf(want, sizeof want, "%s/err.log", dir);
	assert_string_equal(c->stderr_logfile, want);
	assert_int_equal(c->stderr_logfile_backups, 0);
	assert_int_equal(c->stdout_logfile_backups, 4);

	assert_int_equal(load(&other, "[tend]\nlog_dir = logs\n"
	    "log_backups = 4\nlog_max_bytes = 2MB\n"
	    "[program:a]\ncommand = true\n"), 0);
	assert_false(config_logs_same(a, &other.programs[0]));
	assert_false(config_program_same(&cfg, a, &other, &other.programs[0]));
	config_free(&other);
	config_free(&cfg);

	/* supervisord's defaults: 50MB, 10 backups */
	assert_int_equal(load(&cfg, "[program:a]\ncommand = true\n"
	    "stdout_logfile_maxbytes = 12x\n"), -1);
	assert_string_equal(cfg.errors[0], "tend.ini:3: "
	    "stdout_logfile_maxbytes: '12x' is not a size (bytes, or with KB, "
	    "MB or GB: 50MB)");
	config_free(&cfg);
	assert_int_equal(load(&cfg, "[program:a]\ncommand = true\n"), 0);
	assert_true(cfg.programs[0].stdout_logfile_maxbytes == 50LL << 20);
	assert_int_equal(cfg.programs[0].stdout_logfile_backups, 10);
	assert_null(cfg.programs[0].stdout_logfile);	/* no log_dir */
	config_free(&cfg);
	/* supervisord's ways of saying "no file" */
	assert_int_equal(load(&cfg, "[tend]\nlog_dir = logs\n"
	    "[program:a]\ncommand = true\nstdout_logfile = /dev/null\n"
	    "[program:b]\ncommand = true\nstdout_logfile = /dev/stdout\n"), 0);
	assert_null(cfg.programs[0].stdout_logfile);
	assert_null(cfg.programs[1].stdout_logfile);
	assert_int_equal(cfg.nwarnings, 1);
	assert_string_equal(cfg.warnings[0], "tend.ini:8: stdout_logfile: "
	    "/dev/stdout: tend shows the output itself; no log file");
	config_free(&cfg);
	/* a rotation renames every backup: their number is capped */
	assert_int_equal(load(&cfg, "[program:a]\ncommand = true\n"
	    "stdout_logfile_backups = 1001\n"), -1);
	assert_string_equal(cfg.errors[0], "tend.ini:1: [program:a] "
	    "stdout_logfile_backups: 1001 is more than 1000");
	config_free(&cfg);
}

static void
test_errors_exact(void **state)
{
	char big[512];

	(void)state;
	memset(big, 0, sizeof big);
	assert_one_error("[program:web]\ncommand = x\ncomand = y\n",
	    "tend.ini:3: unknown key 'comand' in [program:web]; did you mean "
	    "'command'?");
	assert_one_error("[program:web]\ncommand = x\nfrobnicate = y\n",
	    "tend.ini:3: unknown key 'frobnicate' in [program:web]");
	assert_one_error("[program:web]\ncommand = x\nstopwaitsecs = abc\n",
	    "tend.ini:3: stopwaitsecs: 'abc' is not a whole number of seconds");
	assert_one_error("[program:web]\ncommand = x\nstopsignal = FOO\n",
	    "tend.ini:3: stopsignal: 'FOO' is not a signal tend can send "
	    "(TERM INT QUIT HUP KILL USR1 USR2)");
	assert_one_error("[program:web]\ncommand = x\nautorestart = maybe\n",
	    "tend.ini:3: autorestart: 'maybe' must be true, false or "
	    "unexpected");
	assert_one_error("[program:web]\ncommand = x\n[program:web]\n"
	    "command = y\n", "tend.ini:3: duplicate program 'web' (first at "
	    "line 1)");
	assert_one_error("[program:web]\ncommand = x\ncommand = y\n",
	    "tend.ini:3: duplicate key 'command' in [program:web] (first at "
	    "line 2)");
	assert_one_error("[program:web]\ndirectory = .\n",
	    "tend.ini:1: [program:web] has no command");
	assert_one_error("[program:web]\ncommand =   \n",
	    "tend.ini:1: [program:web] has no command");
	assert_one_error("", "tend.ini: no [program:NAME] sections");
	assert_one_error("[program:a/b]\ncommand = x\n[program:ok]\n"
	    "command = y\n", "tend.ini:1: [program:a/b]: a program name is "
	    "letters, digits, '_', '-' and '.' (not first)");
	assert_one_error("[program:..]\ncommand = x\n[program:ok]\n"
	    "command = y\n", "tend.ini:1: [program:..]: a program name is "
	    "letters, digits, '_', '-' and '.' (not first)");
	assert_one_error("[program:web]\ncommand = x\nprobe_url = ftp://x/\n",
	    "tend.ini:3: probe_url: 'ftp://x/' must start with http:// or "
	    "https://");
	assert_one_error("[program:web]\ncommand = x\nprobe_interval = -1\n",
	    "tend.ini:3: probe_interval: '-1' is not a number of seconds (0 "
	    "or more)");
	assert_one_error("[program:web]\ncommand = x\nprobe_status = ok\n",
	    "tend.ini:3: probe_status: 'ok' must be an HTTP status code "
	    "(100-599)");
	assert_one_error("command = x\n[program:ok]\ncommand = y\n",
	    "tend.ini:1: 'command' is outside any section (start with "
	    "[program:NAME])");
	assert_one_error("[programm:web]\ncommand = x\n[program:ok]\n"
	    "command = y\n", "tend.ini:1: unknown section [programm:web]; did "
	    "you mean [program:web]?");
	assert_one_error("[program:ok]\ncommand = y\njust words\n",
	    "tend.ini:3: not a 'key = value' line or a [section]");
	assert_one_error("[program:web]\ncommand = x\nenvironment = A=\"b\n",
	    "tend.ini:3: environment: unterminated quote in 'A=\"b' (expected "
	    "KEY=value,KEY2=\"a, b\")");
	assert_one_error("[program:web]\ncommand = x\na ;b = c\n",
	    "tend.ini:3: not a 'key = value' line or a [section]");
	memset(big, 'x', sizeof big);
	memcpy(big, "[program:a]\ncommand = x\n", 24);
	memcpy(big + 400, " = 1\n", 6);
	assert_one_error(big, "tend.ini:3: a key name of more than 197 "
	    "characters: no key is that long");
}

/* A line of exactly LEN characters "stop_input = xxx...", then ENDING. */
static void
put_line(FILE *f, size_t len, const char *ending)
{
	size_t i;

	fputs("stop_input = ", f);
	for (i = 13; i < len; i++)
		fputc('x', f);
	fputs(ending, f);
}

/* inih's buffer is 200 bytes, but a line may be longer: it is read in
 * pieces and put back together.  Each length around the buffer's size and
 * far past it, with \n and \r\n endings, as a key line followed by
 * another key (which must not be lost), after a continuation line of the
 * same length, and as the last line without a newline. */
static void
test_line_length(void **state)
{
	static const char *const endings[] = { "\n", "\r\n" };
	static const size_t lens[] = { 196, 197, 198, 199, 200, 201, 202, 395,
	    396, 397, 398, 399, 400, 1000, 10000, 100000 };
	struct config cfg;
	size_t l, len, e;
	char *want;
	FILE *f;

	(void)state;
	for (e = 0; e < 2; e++) {
		for (l = 0; l < sizeof lens / sizeof lens[0]; l++) {
			len = lens[l];
			want = malloc(len + 1);
			memset(want, 'x', len - 13);
			want[len - 13] = '\0';
			f = fopen("tend.ini", "w");
			fputs("[program:a]\ncommand = echo\n", f);
			fprintf(f, "%*s%s", (int)len, "x", endings[e]);
			put_line(f, len, endings[e]);
			fputs("startsecs = 7\n", f);
			fclose(f);
			assert_int_equal(config_load("tend.ini", &cfg), 0);
			assert_int_equal(cfg.nwarnings, 0);
			assert_string_equal(cfg.programs[0].command, "echo x");
			assert_string_equal(cfg.programs[0].stop_input, want);
			assert_int_equal(cfg.programs[0].startsecs, 7);
			config_free(&cfg);

			f = fopen("tend.ini", "w");
			fputs("[program:a]\ncommand = true\n", f);
			put_line(f, len, "");
			fclose(f);
			assert_int_equal(config_load("tend.ini", &cfg), 0);
			assert_string_equal(cfg.programs[0].stop_input, want);
			config_free(&cfg);
			free(want);
		}
	}
}

/* A command of 10,000 characters, words at every offset: each piece
 * boundary falls on a space or in a word somewhere, and nothing is lost
 * or added. */
static void
test_long_command(void **state)
{
	struct config cfg;
	char *cmd = malloc(20000), *p = cmd;
	FILE *f;
	int i;

	(void)state;
	p += sprintf(p, "echo");
	for (i = 0; p - cmd < 10000; i++)
		p += sprintf(p, "%*s%.*s", 1 + i % 3, "", 1 + i % 7, "abcdefg");
	f = fopen("tend.ini", "w");
	fprintf(f, "[program:a]\ncommand = %s\nautostart = false\n", cmd);
	fclose(f);
	assert_int_equal(config_load("tend.ini", &cfg), 0);
	assert_int_equal(cfg.nwarnings, 0);
	assert_int_equal(strlen(cfg.programs[0].command), strlen(cmd));
	assert_string_equal(cfg.programs[0].command, cmd);
	assert_false(cfg.programs[0].autostart);
	config_free(&cfg);
	free(cmd);
}

static void
test_bom(void **state)
{
	struct config cfg;

	(void)state;
	assert_int_equal(load(&cfg, "\xEF\xBB\xBF[program:a]\ncommand = true\n"),
	    0);
	assert_int_equal(cfg.nerrors, 0);
	assert_int_equal(cfg.nwarnings, 0);
	assert_int_equal(cfg.nprograms, 1);
	assert_string_equal(cfg.programs[0].name, "a");
	assert_int_equal(cfg.programs[0].line, 1);
	assert_string_equal(cfg.programs[0].command, "true");
	config_free(&cfg);
}

/* Spaces inside quotes are the value's; spaces outside them are not. */
static void
test_environment_quotes(void **state)
{
	struct config cfg;
	char **env;

	(void)state;
	assert_int_equal(load(&cfg, "[program:a]\ncommand = true\n"
	    "environment = A=\"x  \", B=y , C=' z ' ,D=  w  ,E=\"a \"b  ,"
	    "F=\"  \"\n"), 0);
	env = cfg.programs[0].environment;
	assert_string_equal(env[0], "A=x  ");
	assert_string_equal(env[1], "B=y");
	assert_string_equal(env[2], "C= z ");
	assert_string_equal(env[3], "D=w");
	assert_string_equal(env[4], "E=a b");
	assert_string_equal(env[5], "F=  ");
	assert_null(env[6]);
	config_free(&cfg);
}

/* A section of 50,000 keys (about 1 MB): repeats of known keys are found
 * with the line of the first, unknown keys are reported up to the cap, and
 * the first value of a repeated key is the one kept. */
static void
test_many_keys(void **state)
{
	struct config cfg;
	FILE *f;
	int line;

	(void)state;
	f = fopen("tend.ini", "w");
	fputs("[program:x]\ncommand = true\n", f);
	for (line = 3; line <= 50000; line++) {
		if (line == 20000)
			fputs("startsecs = 5\n", f);
		else if (line == 40000)
			fputs("startsecs = 6\n", f);
		else if (line == 45000)
			fputs("command = false\n", f);
		else
			fprintf(f, "unknown_key_%05d = some value\n", line);
	}
	fclose(f);
	assert_int_equal(config_load("tend.ini", &cfg), -1);
	assert_int_equal(cfg.nerrors, 51);
	assert_string_equal(cfg.errors[0], "tend.ini:40000: duplicate key "
	    "'startsecs' in [program:x] (first at line 20000)");
	assert_string_equal(cfg.errors[1], "tend.ini:45000: duplicate key "
	    "'command' in [program:x] (first at line 2)");
	assert_string_equal(cfg.errors[2], "tend.ini:3: unknown key "
	    "'unknown_key_00003' in [program:x]");
	assert_string_equal(cfg.errors[49], "tend.ini:50: unknown key "
	    "'unknown_key_00050' in [program:x]");
	assert_string_equal(cfg.errors[50], "tend.ini: too many errors; "
	    "stopping here");
	assert_int_equal(cfg.programs[0].startsecs, 5);
	assert_string_equal(cfg.programs[0].command, "true");
	config_free(&cfg);
}

/* A value continued on 50,000 lines is joined whole, one space between. */
static void
test_long_continuation(void **state)
{
	struct config cfg;
	char *want, *p;
	FILE *f;
	int i;

	(void)state;
	want = malloc(50000 * 16 + 8);
	assert_non_null(want);
	p = want + sprintf(want, "echo");
	f = fopen("tend.ini", "w");
	fputs("[program:x]\ncommand = echo\n", f);
	for (i = 0; i < 50000; i++) {
		fprintf(f, "    word%05d ; a comment\n", i);
		p += sprintf(p, " word%05d", i);
	}
	fputs("startsecs = 3\n", f);
	fclose(f);
	assert_int_equal(config_load("tend.ini", &cfg), 0);
	assert_string_equal(cfg.programs[0].command, want);
	assert_int_equal(cfg.programs[0].startsecs, 3);
	config_free(&cfg);
	free(want);
}

static void
test_unopenable(void **state)
{
	struct config cfg;

	(void)state;
	assert_int_equal(config_load("missing.ini", &cfg), -1);
	assert_string_equal(cfg.errors[0], "missing.ini: cannot open: No such "
	    "file or directory");
	config_free(&cfg);
	assert_int_equal(config_load(".", &cfg), -1);
	assert_string_equal(cfg.errors[0], ".: cannot open: Is a directory");
	config_free(&cfg);
}

/* Not a regular file, or too big: refused before a byte is read, and a
 * FIFO without a writer does not hang the open.  A symlink is followed. */
static void
test_not_regular_or_too_big(void **state)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct config cfg;
	FILE *f;
	int fd;

	(void)state;
	assert_int_equal(config_load("/dev/null", &cfg), -1);
	assert_int_equal(cfg.nerrors, 1);
	assert_string_equal(cfg.errors[0], "/dev/null: not a regular file (a "
	    "character device)");
	config_free(&cfg);

	assert_int_equal(mkfifo("fifo.ini", 0600), 0);
	assert_int_equal(config_load("fifo.ini", &cfg), -1);
	assert_int_equal(cfg.nerrors, 1);
	assert_string_equal(cfg.errors[0], "fifo.ini: not a regular file (a "
	    "FIFO)");
	config_free(&cfg);

	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	strcpy(sa.sun_path, "sock.ini");
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(config_load("sock.ini", &cfg), -1);
	assert_int_equal(cfg.nerrors, 1);
	assert_string_equal(cfg.errors[0], "sock.ini: not a regular file (a "
	    "socket)");
	config_free(&cfg);
	close(fd);

	/* Sparse files: the size is what is checked, nothing is read. */
	f = fopen("big.ini", "w");
	assert_non_null(f);
	fputs("[program:a]\ncommand = true\n", f);
	assert_int_equal(ftruncate(fileno(f), 16 * 1024 * 1024 + 1), 0);
	fclose(f);
	assert_int_equal(config_load("big.ini", &cfg), -1);
	assert_int_equal(cfg.nerrors, 1);
	assert_string_equal(cfg.errors[0], "big.ini: too large (16.1 MiB; the "
	    "limit is 16 MiB)");
	config_free(&cfg);
	assert_int_equal(truncate("big.ini", 20 * 1024 * 1024), 0);
	assert_int_equal(config_load("big.ini", &cfg), -1);
	assert_string_equal(cfg.errors[0], "big.ini: too large (20 MiB; the "
	    "limit is 16 MiB)");
	config_free(&cfg);

	assert_int_equal(load(&cfg, "[program:a]\ncommand = true\n"), 0);
	config_free(&cfg);
	assert_int_equal(symlink("tend.ini", "link.ini"), 0);
	assert_int_equal(config_load("link.ini", &cfg), 0);
	assert_string_equal(cfg.programs[0].command, "true");
	config_free(&cfg);
}

/* A message quoting the file shows control characters (C0, DEL, C1 as raw
 * bytes or as UTF-8) as \xHH, \t, \r escapes; other UTF-8 stays as it is. */
static void
test_control_characters_escaped(void **state)
{
	(void)state;
	assert_one_error("[program:web]\ncommand = x\n\x1b]2;PWN\x07 = y\n",
	    "tend.ini:3: unknown key '\\x1b]2;PWN\\x07' in [program:web]");
	assert_one_error("[program:web]\ncommand = x\nstopsignal = "
	    "a\x1b[2J\rb\tc\x7f" "d\x9b" "e\xc2\x9b" "f\xc3\xa9\xe2\x82\xac"
	    "\xe0\x80\x80" "g\n",
	    "tend.ini:3: stopsignal: 'a\\x1b[2J\\rb\\tc\\x7fd\\x9be\\xc2\\x9bf"
	    "\xc3\xa9\xe2\x82\xac" "\xe0\\x80\\x80g' is not a signal tend can "
	    "send (TERM INT QUIT HUP KILL USR1 USR2)");
	assert_one_error("[program:web]\ncommand = x\nprobe_url = \x1b[31m\n",
	    "tend.ini:3: probe_url: '\\x1b[31m' must start with http:// or "
	    "https://");
}

/* An empty log_dir is a mistake, not "the config's folder". */
static void
test_log_dir_empty(void **state)
{
	(void)state;
	assert_one_error("[tend]\nlog_dir =\n[program:a]\ncommand = x\n",
	    "tend.ini:2: log_dir is empty; leave it out for no log files");
	setenv("TEND_TEST_EMPTY", "", 1);
	assert_one_error("[tend]\nlog_dir = %(ENV_TEND_TEST_EMPTY)s\n"
	    "[program:a]\ncommand = x\n", "tend.ini:2: log_dir: "
	    "'%(ENV_TEND_TEST_EMPTY)s' is empty once expanded; leave it out "
	    "for no log files");
}

/* An expansion in environment fills the one value it is in: a comma, a
 * quote or an '=' in the variable's value never starts another item. */
static void
test_environment_expansion(void **state)
{
	struct config cfg;
	char **env, want[512];

	(void)state;
	setenv("TEND_TEST_COMMA", "1,EVIL=2", 1);
	setenv("TEND_TEST_QUOTES", " \"a, b\" ", 1);
	assert_int_equal(load(&cfg, "[program:a]\ncommand = true\n"
	    "environment = A=%(ENV_TEND_TEST_COMMA)s,B=\"x %(ENV_TEND_TEST_COMMA)s\","
	    "\n  C=%(ENV_TEND_TEST_QUOTES)s, D=%(program_name)s:%(here)s:100%%\n"),
	    0);
	env = cfg.programs[0].environment;
	assert_string_equal(env[0], "A=1,EVIL=2");
	assert_string_equal(env[1], "B=x 1,EVIL=2");
	assert_string_equal(env[2], "C= \"a, b\" ");
	snprintf(want, sizeof want, "D=a:%s:100%%", dir);
	assert_string_equal(env[3], want);
	assert_null(env[4]);
	config_free(&cfg);

	unsetenv("TEND_TEST_UNSET");
	assert_one_error("[program:a]\ncommand = true\n"
	    "environment = A=1,B=%(ENV_TEND_TEST_UNSET)s\n",
	    "tend.ini:3: environment: %(ENV_TEND_TEST_UNSET)s: TEND_TEST_UNSET "
	    "is not set in tend's environment");
	assert_one_error("[program:a]\ncommand = true\n"
	    "environment = A=%(ENV_X\n",
	    "tend.ini:3: environment: unterminated %(...)s in '%(ENV_X'");
}

/* Expansions work in each key that took them before (the ones that do not,
 * probe_url and shell, are not tested here). */
static void
test_expansion_in_every_key(void **state)
{
	struct config cfg;
	const struct program_config *p;
	char want[512];

	(void)state;
	setenv("TEND_TEST_VAR", "v", 1);
	assert_int_equal(load(&cfg, "[tend]\nlog_dir = %(here)s/%(ENV_TEND_TEST_VAR)s\n"
	    "[program:a]\ncommand = echo %(ENV_TEND_TEST_VAR)s\n"
	    "directory = d-%(program_name)s\n"
	    "environment = K=%(ENV_TEND_TEST_VAR)s\n"
	    "stop_input = %(ENV_TEND_TEST_VAR)s-in\n"
	    "ready_log = %(ENV_TEND_TEST_VAR)s-ready\n"
	    "probe_body = %(ENV_TEND_TEST_VAR)s-body\n"), 0);
	p = &cfg.programs[0];
	snprintf(want, sizeof want, "%s/v", dir);
	assert_string_equal(cfg.log_dir, want);
	assert_string_equal(p->command, "echo v");
	snprintf(want, sizeof want, "%s/d-a", dir);
	assert_string_equal(p->directory, want);
	assert_string_equal(p->environment[0], "K=v");
	assert_string_equal(p->stop_input, "v-in");
	assert_string_equal(p->ready_log, "v-ready");
	assert_string_equal(p->probe_body, "v-body");
	config_free(&cfg);
}

/* probe_interval and probe_timeout: below 0.1 s becomes 0.1 s, with a
 * warning; an interval of 0 is "only on demand", a timeout of 0 an error. */
static void
test_probe_floors(void **state)
{
	struct config cfg;

	(void)state;
	assert_int_equal(load(&cfg, "[program:a]\ncommand = true\n"
	    "probe_interval = 0.000001\nprobe_timeout = 0.0001\n"), 0);
	assert_true(cfg.programs[0].probe_interval == 0.1);
	assert_true(cfg.programs[0].probe_timeout == 0.1);
	assert_int_equal(cfg.nwarnings, 2);
	assert_string_equal(cfg.warnings[0], "tend.ini:3: probe_interval: "
	    "'0.000001' is less than 0.1 seconds; using 0.1");
	assert_string_equal(cfg.warnings[1], "tend.ini:4: probe_timeout: "
	    "'0.0001' is less than 0.1 seconds; using 0.1");
	config_free(&cfg);

	assert_int_equal(load(&cfg, "[program:a]\ncommand = true\n"
	    "probe_interval = 0\nprobe_timeout = 0.1\n"), 0);
	assert_true(cfg.programs[0].probe_interval == 0);
	assert_true(cfg.programs[0].probe_timeout == 0.1);
	assert_int_equal(cfg.nwarnings, 0);
	config_free(&cfg);

	assert_one_error("[program:a]\ncommand = true\nprobe_timeout = 0\n",
	    "tend.ini:3: probe_timeout: '0' must be more than 0 seconds (a "
	    "probe always has a timeout)");
	assert_one_error("[program:a]\ncommand = true\nprobe_timeout = 0.0\n",
	    "tend.ini:3: probe_timeout: '0.0' must be more than 0 seconds (a "
	    "probe always has a timeout)");
}

static void
test_binary_garbage(void **state)
{
	struct config cfg;
	char junk[4096];
	FILE *f;
	size_t i;

	(void)state;
	srand(7);
	for (i = 0; i < sizeof junk; i++)
		junk[i] = (char)(rand() & 0xff);
	f = fopen("tend.ini", "w");
	fwrite(junk, 1, sizeof junk, f);
	fclose(f);
	assert_int_equal(config_load("tend.ini", &cfg), -1);
	assert_true(cfg.nerrors >= 1 && cfg.nerrors <= 51);
	assert_true(strncmp(cfg.errors[0], "tend.ini:", 9) == 0);
	config_free(&cfg);
}

static void
test_signal_names(void **state)
{
	(void)state;
	assert_string_equal(config_signal_name(SIGTERM), "TERM");
	assert_string_equal(config_signal_name(SIGKILL), "KILL");
	assert_string_equal(config_signal_name(SIGSEGV), "SEGV");
	assert_string_equal(config_signal_name(0), "?");
}


/* Write TEXT to the file NAME. */
static void
put_file(const char *name, const char *text)
{
	FILE *f = fopen(name, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* The value PC's environment gives KEY, or NULL. */
static const char *
env_of(const struct program_config *pc, const char *key)
{
	size_t n = strlen(key);
	char **e;

	for (e = pc->environment; e != NULL && *e != NULL; e++) {
		if (strncmp(*e, key, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	}
	return NULL;
}

/* CFG has exactly the warnings WANT (NULL-terminated), in order. */
static void
assert_warnings(const struct config *cfg, const char *const *want)
{
	size_t i;

	for (i = 0; want[i] != NULL; i++) {
		if (i >= cfg->nwarnings)
			fail_msg("warning %zu missing: [%s]", i, want[i]);
		assert_string_equal(cfg->warnings[i], want[i]);
	}
	if (cfg->nwarnings != i)
		fail_msg("%zu warnings, not %zu; the next: [%s]", cfg->nwarnings, i,
		    cfg->warnings[i]);
}

/*
 * supervisord's inline comment (a ';' after white space) stays, but what
 * it cuts from a value that could have held it is said, with the line and
 * the text: from a key line, from a continuation line, from a long line
 * past inih's buffer.  After a number, a boolean, a signal, a URL or a
 * HOST:PORT the text cannot have been the value's: no warning.
 */
static void
test_inline_comment_warnings(void **state)
{
	static const char *const want[] = {
		"tend.ini:2: command: \" ; done\" was read as a comment and cut; "
		    "to keep it, write \";\" with no space before it, or put the "
		    "command in a script (a comment of its own goes on a line of "
		    "its own)",
		"tend.ini:4: command: \"\\t; and this\" was read as a comment and "
		    "cut; to keep it, write \";\" with no space before it, or put "
		    "the command in a script (a comment of its own goes on a line "
		    "of its own)",
		"tend.ini:5: environment: \" ; b\"\" was read as a comment and "
		    "cut; to keep it, write \";\" with no space before it (a "
		    "comment of its own goes on a line of its own)",
		"tend.ini:12: ready_log: \" ; 0123456789012345678901234567890123456"
		    "...\" was read as a comment and cut; to keep it, write \";\" "
		    "with no space before it (a comment of its own goes on a line "
		    "of its own)",
		NULL
	};
	struct config cfg;
	char text[2048], *p = text;
	const struct program_config *pc;

	(void)state;
	p += sprintf(p, "[program:a]\n"
	    "command = while true; do echo hi ; done\n"
	    "    ;  a comment line, not a cut\n"
	    "  more;x\t; and this\n"
	    "environment = A=\"a ; b\"\n");
	p += sprintf(p, "[program:b]\ncommand = true;false\n"
	    "startsecs = 2    ; seconds\nautostart = no ; not now\n"
	    "stopsignal = INT ; python\nprobe_url = http://x/ ; probe\n");
	p += sprintf(p, "ready_log = %0180d ; 01234567890123456789"
	    "01234567890123456789ab\n", 0);
	assert_int_equal(load(&cfg, text), -1);	/* the environment's quote */
	pc = &cfg.programs[0];
	assert_string_equal(pc->command, "while true; do echo hi more;x");
	assert_warnings(&cfg, want);
	pc = &cfg.programs[1];
	assert_string_equal(pc->command, "true;false");
	assert_int_equal(pc->startsecs, 2);
	assert_false(pc->autostart);
	assert_string_equal(pc->probe_url, "http://x/");
	assert_int_equal(strlen(pc->ready_log), 180);
	config_free(&cfg);

	/* the same rule as inih's: a ';' right after '=' or after text is
	 * kept, a tab before it cuts */
	assert_int_equal(load(&cfg, "[program:a]\ncommand =;x\n"
	    "stop_input = a;b ;c\n"), 0);
	assert_string_equal(cfg.programs[0].command, ";x");
	assert_string_equal(cfg.programs[0].stop_input, "a;b");
	assert_int_equal(cfg.nwarnings, 1);
	config_free(&cfg);
}

/* Every key's value is expanded, as supervisord does; a variable that is
 * not set is an error on the key's line, naming the key. */
static void
test_expansion_everywhere(void **state)
{
	struct config cfg;
	const struct program_config *p;

	(void)state;
	setenv("TEND_TEST_PORT", "8123", 1);
	setenv("TEND_TEST_SECS", "4", 1);
	assert_int_equal(load(&cfg, "[tend]\nshell = %(ENV_TEND_TEST_SH)s\n"
	    "[program:a]\ncommand = true\n"
	    "probe_url = http://127.0.0.1:%(ENV_TEND_TEST_PORT)s/%(program_name)s\n"
	    "startsecs = %(ENV_TEND_TEST_SECS)s\n"
	    "watch = %(here)s/src, %(program_name)s.conf\n"
	    "[program:b]\ncommand = true\nprobe_tcp = 127.0.0.1:%(ENV_TEND_TEST_PORT)s\n"
	    "[program:c]\ncommand = true\nprobe_command = test -e %(program_name)s\n"
	    "depends_on = %(ENV_TEND_TEST_DEP)s\n") == 0 ? 0 : -1, -1);
	/* TEND_TEST_SH and TEND_TEST_DEP are not set */
	assert_int_equal(cfg.nerrors, 2);
	assert_string_equal(cfg.errors[0], "tend.ini:2: shell: "
	    "%(ENV_TEND_TEST_SH)s: TEND_TEST_SH is not set in tend's "
	    "environment");
	assert_string_equal(cfg.errors[1], "tend.ini:14: depends_on: "
	    "%(ENV_TEND_TEST_DEP)s: TEND_TEST_DEP is not set in tend's "
	    "environment");
	config_free(&cfg);

	setenv("TEND_TEST_SH", "/bin/bash", 1);
	setenv("TEND_TEST_DEP", "a", 1);
	assert_int_equal(load(&cfg, "[tend]\nshell = %(ENV_TEND_TEST_SH)s\n"
	    "[program:a]\ncommand = true\n"
	    "probe_url = http://127.0.0.1:%(ENV_TEND_TEST_PORT)s/%(program_name)s\n"
	    "startsecs = %(ENV_TEND_TEST_SECS)s\n"
	    "watch = %(here)s/src, %(program_name)s.conf\n"
	    "[program:b]\ncommand = true\nprobe_tcp = 127.0.0.1:%(ENV_TEND_TEST_PORT)s\n"
	    "[program:c]\ncommand = true\nprobe_command = test -e %(program_name)s\n"
	    "depends_on = %(ENV_TEND_TEST_DEP)s\n"), 0);
	assert_string_equal(cfg.shell, "/bin/bash");
	p = &cfg.programs[0];
	assert_string_equal(p->probe_url, "http://127.0.0.1:8123/a");
	assert_int_equal(p->startsecs, 4);
	{
		char want[512];

		snprintf(want, sizeof want, "%s/src", dir);
		assert_string_equal(p->watch[0], want);
		assert_string_equal(p->watch[1], "a.conf");
	}
	assert_string_equal(cfg.programs[1].probe_tcp, "127.0.0.1:8123");
	assert_string_equal(cfg.programs[2].probe_command, "test -e c");
	assert_string_equal(cfg.programs[2].depends_on[0].name, "a");
	config_free(&cfg);

	unsetenv("TEND_TEST_NOPE");
	assert_one_error("[program:a]\ncommand = true\n"
	    "probe_url = http://%(ENV_TEND_TEST_NOPE)s/\n",
	    "tend.ini:3: probe_url: %(ENV_TEND_TEST_NOPE)s: TEND_TEST_NOPE is "
	    "not set in tend's environment");
	assert_one_error("[program:a]\ncommand = %(ENV_TEND_TEST_NOPE)s\n",
	    "tend.ini:2: command: %(ENV_TEND_TEST_NOPE)s: TEND_TEST_NOPE is not "
	    "set in tend's environment");
	assert_one_error("[tend]\nlog_dir = %(program_name)s\n[program:a]\n"
	    "command = true\n", "tend.ini:2: log_dir: %(program_name)s: no "
	    "program here (it is known in [program:NAME] sections)");
	/* an expanded value is checked as the value it became */
	setenv("TEND_TEST_SIG", "FOO", 1);
	assert_one_error("[program:a]\ncommand = true\n"
	    "stopsignal = %(ENV_TEND_TEST_SIG)s\n", "tend.ini:3: stopsignal: "
	    "'FOO' is not a signal tend can send (TERM INT QUIT HUP KILL USR1 "
	    "USR2)");
}

/* A Procfile is a config: each line a program with a pty and PORT 5000,
 * 5100, ... in file order; bad lines are errors with the Procfile's
 * file:line. */
static void
test_procfile_config(void **state)
{
	struct config cfg;

	(void)state;
	put_file("Procfile", "# a comment\n\nweb: python3 -m http.server "
	    "$PORT\nworker:   sh -c 'echo %(not expanded)s; echo $PORT'  \n"
	    "release: ./release.sh\n");
	assert_int_equal(config_load("Procfile", &cfg), 0);
	assert_int_equal(cfg.nprograms, 3);
	assert_string_equal(cfg.programs[0].name, "web");
	assert_string_equal(cfg.programs[0].command,
	    "python3 -m http.server $PORT");
	assert_int_equal(cfg.programs[0].procfile_line, 3);
	assert_int_equal(cfg.programs[0].line, 0);
	assert_true(cfg.programs[0].pty);
	assert_string_equal(env_of(&cfg.programs[0], "PORT"), "5000");
	assert_string_equal(cfg.programs[1].command,
	    "sh -c 'echo %(not expanded)s; echo $PORT'");
	assert_string_equal(env_of(&cfg.programs[1], "PORT"), "5100");
	assert_string_equal(env_of(&cfg.programs[2], "PORT"), "5200");
	assert_int_equal(cfg.programs[2].port, 5200);
	assert_null(cfg.programs[0].directory);
	assert_string_equal(cfg.procfile, "Procfile");
	config_free(&cfg);

	put_file("dev.procfile", "web: x\nnot a line\n.hidden: y\nweb: z\n"
	    "empty:\n");
	assert_int_equal(config_load("dev.procfile", &cfg), -1);
	assert_int_equal(cfg.nerrors, 4);
	assert_string_equal(cfg.errors[0], "dev.procfile:2: 'not a line' is "
	    "not 'NAME: command'");
	assert_string_equal(cfg.errors[1], "dev.procfile:3: '.hidden' is not a "
	    "program name (letters, digits, '_', '-' and '.', not first)");
	assert_string_equal(cfg.errors[2], "dev.procfile:4: duplicate program "
	    "'web' (first at line 1)");
	assert_string_equal(cfg.errors[3], "dev.procfile:5: empty has no "
	    "command");
	config_free(&cfg);

	put_file("Procfile.dev", "# nothing\n");
	assert_one_error_file("Procfile.dev", "Procfile.dev: no programs "
	    "(lines 'NAME: command')");
	assert_one_error_file("Procfile.missing", "Procfile.missing: cannot "
	    "open: No such file or directory");
}

/*
 * [tend] procfile imports a Procfile's programs, first and in its order;
 * a [program:NAME] section of the same name lays its keys over them (its
 * command, pty and directory win over the Procfile's; its environment
 * over PORT); port_base moves PORT.  Errors in the Procfile name it.
 */
static void
test_procfile_import(void **state)
{
	struct config cfg;
	char want[512];

	(void)state;
	assert_int_equal(mkdir("pf", 0700), 0);
	put_file("pf/Procfile.dev", "web: ./serve\nworker: ./work\n"
	    "clock: ./tick\n");
	assert_int_equal(load(&cfg, "[program:db]\ncommand = ./db\n"
	    "[tend]\nprocfile = pf/Procfile.dev\nport_base = 3000\n"
	    "[program:worker]\nready_log = ready\npty = false\n"
	    "environment = PORT=9999,X=1\n"
	    "[program:clock]\ncommand = ./other\ndirectory = .\n"
	    "depends_on = db\n"), 0);
	assert_int_equal(cfg.nwarnings, 0);
	assert_int_equal(cfg.nprograms, 4);
	assert_string_equal(cfg.procfile, "pf/Procfile.dev");
	assert_string_equal(cfg.programs[0].name, "web");
	assert_string_equal(cfg.programs[0].command, "./serve");
	assert_true(cfg.programs[0].pty);
	snprintf(want, sizeof want, "%s/pf", dir);
	assert_string_equal(cfg.programs[0].directory, want);
	assert_string_equal(env_of(&cfg.programs[0], "PORT"), "3000");
	assert_string_equal(cfg.programs[1].name, "worker");
	assert_string_equal(cfg.programs[1].command, "./work");
	assert_false(cfg.programs[1].pty);
	assert_string_equal(cfg.programs[1].ready_log, "ready");
	assert_string_equal(env_of(&cfg.programs[1], "PORT"), "9999");
	assert_int_equal(cfg.programs[1].line, 6);
	assert_int_equal(cfg.programs[1].procfile_line, 2);
	assert_string_equal(cfg.programs[2].name, "clock");
	assert_string_equal(cfg.programs[2].command, "./other");
	assert_string_equal(cfg.programs[2].directory, dir);
	assert_string_equal(env_of(&cfg.programs[2], "PORT"), "3200");
	assert_string_equal(cfg.programs[2].depends_on[0].name, "db");
	assert_string_equal(cfg.programs[3].name, "db");
	assert_null(env_of(&cfg.programs[3], "PORT"));
	assert_false(cfg.programs[3].pty);
	config_free(&cfg);

	put_file("pf/Procfile.bad", "web ./serve\n");
	assert_one_error("[tend]\nprocfile = pf/Procfile.bad\n[program:x]\n"
	    "command = true\n", "pf/Procfile.bad:1: 'web ./serve' is not "
	    "'NAME: command'");
	assert_one_error("[tend]\nprocfile = pf/nope\n[program:x]\n"
	    "command = true\n", "tend.ini:2: procfile: pf/nope: cannot open: No "
	    "such file or directory");
	/* a section of a name the Procfile does not have needs a command */
	assert_one_error("[tend]\nprocfile = pf/Procfile.dev\n[program:wbe]\n"
	    "ready_log = x\n", "tend.ini:3: [program:wbe] has no command");
	assert_one_error("[tend]\nprocfile = pf/Procfile.dev\nport_base = 65400"
	    "\n[program:x]\ncommand = true\n", "tend.ini:3: port_base: "
	    "pf/Procfile.dev has 3 programs: from PORT 65400, 100 apart, the "
	    "last one's would be past 65535");
	assert_int_equal(load(&cfg, "[tend]\nport_base = 4000\n[program:x]\n"
	    "command = true\n"), 0);
	assert_int_equal(cfg.nwarnings, 1);
	assert_string_equal(cfg.warnings[0], "tend.ini:2: port_base: there is "
	    "no procfile whose programs it would give a PORT");
	config_free(&cfg);
}

/*
 * A variable at every level: tend's environment < .env < [tend] env_file
 * < the program's env_file < its PORT < its environment.  A .env that is
 * not there (or is a folder: a virtualenv) is fine; an env_file that is
 * not there is an error; a bad line is an error with its file:line.
 */
static void
test_env_precedence(void **state)
{
	struct config cfg;
	const struct program_config *a, *b, *c;

	(void)state;
	setenv("L1", "tend", 1);
	setenv("L2", "tend", 1);
	setenv("L3", "tend", 1);
	setenv("L4", "tend", 1);
	setenv("L5", "tend", 1);
	assert_int_equal(mkdir("env", 0700), 0);
	assert_int_equal(chdir("env"), 0);
	put_file(".env", "L2=dotenv\nL3=dotenv\nL4=dotenv\nL5=dotenv\n"
	    "REF=${L1}-$L2\n");
	put_file("shared.env", "export L3=shared\nL4=shared\nL5=shared\n");
	put_file("own.env", "L4=own\nL5=own\n");
	assert_int_equal(load(&cfg, "[tend]\nenv_file = shared.env\n"
	    "[program:a]\ncommand = true\n"
	    "[program:b]\ncommand = true\nenv_file = own.env\n"
	    "[program:c]\ncommand = true\nenv_file = own.env\n"
	    "environment = L5=environment\n"), 0);
	a = &cfg.programs[0];
	b = &cfg.programs[1];
	c = &cfg.programs[2];
	assert_null(env_of(a, "L1"));	/* tend's own: spawn lays the rest
					   over it */
	assert_string_equal(env_of(a, "L2"), "dotenv");
	assert_string_equal(env_of(a, "L3"), "shared");
	assert_string_equal(env_of(a, "L4"), "shared");
	assert_string_equal(env_of(b, "L4"), "own");
	assert_string_equal(env_of(b, "L5"), "own");
	assert_string_equal(env_of(c, "L5"), "environment");
	assert_string_equal(env_of(c, "REF"), "tend-dotenv");
	assert_string_equal(env_of(c, "L3"), "shared");
	config_free(&cfg);

	/* no .env: nothing from it, no message; a folder .env is not one */
	assert_int_equal(unlink(".env"), 0);
	assert_int_equal(load(&cfg, "[program:a]\ncommand = true\n"), 0);
	assert_null(cfg.programs[0].environment);
	config_free(&cfg);
	assert_int_equal(mkdir(".env", 0700), 0);
	assert_int_equal(load(&cfg, "[program:a]\ncommand = true\n"), 0);
	assert_int_equal(cfg.nwarnings, 0);
	config_free(&cfg);
	assert_int_equal(rmdir(".env"), 0);

	assert_one_error("[program:a]\ncommand = true\nenv_file = own.env, "
	    "nope.env\n", "tend.ini:3: env_file: nope.env: cannot open: No such "
	    "file or directory");
	assert_one_error("[tend]\nenv_file = nope.env\n[program:a]\n"
	    "command = true\n", "tend.ini:2: env_file: nope.env: cannot open: No "
	    "such file or directory");
	put_file(".env", "A=1\nnot a line\n");
	assert_one_error("[program:a]\ncommand = true\n", ".env:2: no '=' "
	    "after not (a line is KEY=value)");
	assert_int_equal(unlink(".env"), 0);
	/* a config in another folder: its .env, named as seen from here */
	assert_int_equal(chdir(".."), 0);
	put_file("env/.env", "B=\"open\n");
	assert_int_equal(config_load("env/tend.ini", &cfg), -1);
	assert_int_equal(cfg.nerrors, 1);
	assert_string_equal(cfg.errors[0], "env/.env:1: unterminated \" quote "
	    "in the value of B");
	config_free(&cfg);
}

/* With no CONFIG: tend.ini, else Procfile. */
/* supervisord's priority: default 999, negative allowed, a number only. */
static void
test_priority(void **state)
{
	struct config cfg;

	(void)state;
	assert_int_equal(load(&cfg, "[program:a]\ncommand = x\npriority = 300\n"
	    "[program:b]\ncommand = x\npriority = -5\n[program:c]\n"
	    "command = x\n"), 0);
	assert_int_equal(cfg.programs[0].priority, 300);
	assert_int_equal(cfg.programs[1].priority, -5);
	assert_int_equal(cfg.programs[2].priority, 999);
	config_free(&cfg);
	assert_one_error("[program:a]\ncommand = x\npriority = high\n",
	    "tend.ini:3: priority: 'high' is not a whole number");
}

/* numprocs: one program per copy, named by process_name, each with its
 * own %(process_num)s in every key; depends_on NAME means every copy. */
static void
test_numprocs(void **state)
{
	struct config cfg;
	const struct program_config *p;
	size_t i;

	(void)state;
	assert_int_equal(load(&cfg, "[program:web]\n"
	    "command = serve --port 80%(process_num)02d\n"
	    "numprocs = 3\nnumprocs_start = 1\n"
	    "environment = N=%(process_num)s,OF=%(numprocs)d,G=%(group_name)s\n"
	    "directory = /tmp/%(program_name)s-%(process_num)x\n"
	    "ready_log = up %(process_num)s\n"
	    "[program:worker]\ncommand = work\nnumprocs = 2\n"
	    "process_name = %(program_name)s_%(process_num)03d\n"
	    "[program:after]\ncommand = x\ndepends_on = web:started, worker\n"
	    "[program:one]\ncommand = echo %(process_num)s\n"), 0);
	assert_int_equal(cfg.nerrors, 0);
	assert_int_equal(cfg.nprograms, 7);
	for (i = 0; i < 3; i++) {
		char name[16], cmd[64], n[16], d[32], ready[16];

		p = &cfg.programs[i];
		snprintf(name, sizeof name, "web-%zu", i + 1);
		snprintf(cmd, sizeof cmd, "serve --port 80%02zu", i + 1);
		snprintf(n, sizeof n, "N=%zu", i + 1);
		snprintf(d, sizeof d, "/tmp/web-%zx", i + 1);
		snprintf(ready, sizeof ready, "up %zu", i + 1);
		assert_string_equal(p->name, name);
		assert_string_equal(p->group, "web");
		assert_int_equal(p->process_num, (int)i + 1);
		assert_string_equal(p->command, cmd);
		assert_string_equal(p->directory, d);
		assert_string_equal(p->ready_log, ready);
		assert_string_equal(p->environment[0], n);
		assert_string_equal(p->environment[1], "OF=3");
		assert_string_equal(p->environment[2], "G=web");
		assert_int_equal(p->line, 1);
	}
	assert_string_equal(cfg.programs[3].name, "worker_000");
	assert_string_equal(cfg.programs[4].name, "worker_001");
	p = &cfg.programs[5];
	assert_string_equal(p->name, "after");
	assert_int_equal(p->ndepends_on, 5);
	assert_string_equal(p->depends_on[0].name, "web-1");
	assert_string_equal(p->depends_on[2].name, "web-3");
	assert_int_equal(p->depends_on[2].cond, CONFIG_DEP_STARTED);
	assert_string_equal(p->depends_on[4].name, "worker_001");
	assert_int_equal(p->depends_on[4].cond, CONFIG_DEP_DEFAULT);
	/* numprocs = 1: the section's name; %(process_num)s is 0. */
	assert_string_equal(cfg.programs[6].name, "one");
	assert_string_equal(cfg.programs[6].command, "echo 0");
	config_free(&cfg);
}

static void
test_numprocs_errors(void **state)
{
	struct config cfg;

	(void)state;
	assert_one_error("[program:web]\ncommand = x\nnumprocs = 2\n"
	    "process_name = web\n", "tend.ini:4: numprocs = 2 needs "
	    "%(process_num)s in process_name (each copy needs a name of its "
	    "own): 'web'");
	assert_one_error("[program:web]\ncommand = x\nnumprocs = 0\n",
	    "tend.ini:3: numprocs: '0' must be a whole number from 1 to 4096");
	assert_one_error("[program:web]\ncommand = x\nnumprocs_start = -1\n",
	    "tend.ini:3: numprocs_start: '-1' is not a whole number");
	assert_one_error("[program:web]\ncommand = x %(process_num)q\n",
	    "tend.ini:2: command: %(process_num) needs a format such as s or "
	    "02d after it, in 'x %(process_num)q'");
	assert_one_error("[program:web-1]\ncommand = x\n[program:web]\n"
	    "command = x\nnumprocs = 2\nnumprocs_start = 1\n",
	    "tend.ini:3: duplicate program 'web-1' (first at line 1)");
	assert_one_error("[program:web]\ncommand = x\nnumprocs = 2\n"
	    "depends_on = web\n", "tend.ini:4: depends_on: [program:web] "
	    "cannot depend on itself");
	/* A problem of every copy is said once, not once a copy. */
	assert_int_equal(load(&cfg, "[program:web]\nnumprocs = 3\n"
	    "stopsignal = FOO\nserverurl = AUTO\n"), -1);
	assert_int_equal(cfg.nerrors, 2);
	assert_string_equal(cfg.errors[0], "tend.ini:3: stopsignal: 'FOO' is "
	    "not a signal tend can send (TERM INT QUIT HUP KILL USR1 USR2)");
	assert_string_equal(cfg.errors[1], "tend.ini:1: [program:web] has no "
	    "command");
	assert_int_equal(cfg.nwarnings, 1);
	config_free(&cfg);
}

/* umask is octal; user must be a user of this system; stopasgroup and
 * killasgroup are read without a warning. */
static void
test_umask_user(void **state)
{
	struct config cfg;

	(void)state;
	assert_int_equal(load(&cfg, "[program:a]\ncommand = x\numask = 022\n"
	    "user = root\nstopasgroup = true\nkillasgroup = true\n"
	    "[program:b]\ncommand = x\nuser = 0\n[program:c]\ncommand = x\n"),
	    0);
	assert_int_equal(cfg.nwarnings, 0);
	assert_int_equal(cfg.programs[0].umask, 022);
	assert_string_equal(cfg.programs[0].user, "root");
	assert_int_equal(cfg.programs[0].user_line, 4);
	assert_string_equal(cfg.programs[1].user, "0");
	assert_int_equal(cfg.programs[2].umask, -1);
	assert_null(cfg.programs[2].user);
	config_free(&cfg);
	assert_one_error("[program:a]\ncommand = x\numask = 0999\n",
	    "tend.ini:3: umask: '0999' must be an octal mask such as 022 "
	    "(0-777)");
	assert_one_error("[program:a]\ncommand = x\numask = 1777\n",
	    "tend.ini:3: umask: '1777' must be an octal mask such as 022 "
	    "(0-777)");
	assert_one_error("[program:a]\ncommand = x\nuser = no-such-user-x\n",
	    "tend.ini:3: user: no user 'no-such-user-x' on this system");
}

/* A reload restarts a program whose priority, umask or user changed. */
static void
test_process_keys_reload(void **state)
{
	static const char *const changed[] = {
		"priority = 5\n", "umask = 077\n", "user = nobody\n",
	};
	struct config a, b;
	size_t i;
	char text[128];

	(void)state;
	assert_int_equal(load(&a, "[program:w]\ncommand = x\numask = 022\n"
	    "user = root\n"), 0);
	assert_int_equal(load(&b, "[program:w]\ncommand = x\numask = 022\n"
	    "user = root\n"), 0);
	assert_true(config_program_same(&a, &a.programs[0], &b,
	    &b.programs[0]));
	config_free(&b);
	for (i = 0; i < sizeof changed / sizeof changed[0]; i++) {
		snprintf(text, sizeof text, "[program:w]\ncommand = x\n%s%s%s",
		    i == 1 ? "" : "umask = 022\n", i == 2 ? "" : "user = root\n",
		    changed[i]);
		assert_int_equal(load(&b, text), 0);
		assert_false(config_program_same(&a, &a.programs[0], &b,
		    &b.programs[0]));
		config_free(&b);
	}
	config_free(&a);
}

/* A [program:NAME] section with numprocs lays its keys on a Procfile
 * program of its name: one copy each, PORT, PORT + 1, ... */
static void
test_procfile_numprocs(void **state)
{
	struct config cfg;

	(void)state;
	put_file("Procfile.np", "web: ./serve\nworker: ./work\n");
	assert_int_equal(load(&cfg, "[tend]\nprocfile = Procfile.np\n"
	    "[program:web]\nnumprocs = 2\nstartsecs = 3\n"), 0);
	assert_int_equal(cfg.nprograms, 3);
	assert_string_equal(cfg.programs[0].name, "web-0");
	assert_string_equal(cfg.programs[1].name, "web-1");
	assert_string_equal(cfg.programs[1].command, "./serve");
	assert_int_equal(cfg.programs[1].startsecs, 3);
	assert_string_equal(env_of(&cfg.programs[0], "PORT"), "5000");
	assert_string_equal(env_of(&cfg.programs[1], "PORT"), "5001");
	assert_string_equal(cfg.programs[2].name, "worker");
	assert_string_equal(env_of(&cfg.programs[2], "PORT"), "5100");
	config_free(&cfg);
}

static void
test_default_path(void **state)
{
	(void)state;
	assert_int_equal(mkdir("default", 0700), 0);
	assert_int_equal(chdir("default"), 0);
	assert_string_equal(config_default_path(), "tend.ini");
	put_file("Procfile", "web: true\n");
	assert_string_equal(config_default_path(), "Procfile");
	put_file("tend.ini", "[program:a]\ncommand = true\n");
	assert_string_equal(config_default_path(), "tend.ini");
	assert_int_equal(chdir(".."), 0);
}

/* --check: what fails once the programs start. */
static void
test_configcheck(void **state)
{
	static const char *const want[] = {
		"tend.ini:2: [program:a]: command: 'no-such-program-here' is not a "
		    "shell builtin and not on PATH; the shell may still find it (a "
		    "function, an alias), else the program exits 127",
		"tend.ini:11: [program:d]: directory /nowhere/at/all does not "
		    "exist yet; it must by the time d starts",
		"tend.ini:13: [program:e]: command: ./not-here does not exist (in "
		    "%s); the program will not start",
		"tend.ini:16: [program:f] gets PORT=8000, as [program:e] does",
		"tend.ini:16: [program:f] probes port 8000 of this machine, as "
		    "[program:e] does",
		NULL
	};
	char want5[512], *w[6];
	struct config cfg;
	size_t i;

	(void)state;
	assert_int_equal(load(&cfg, "[program:a]\n"
	    "command = FOO=1 exec no-such-program-here --flag\n"
	    "[program:b]\ncommand = cd /tmp && exec sh -c true\n"
	    "directory = /nowhere/at/all\n"
	    "[program:c]\ncommand = while :; do :; done\n"
	    "[program:d]\ncommand = \"$HOME/bin/x\"\ndepends_on = c\n"
	    "directory = /nowhere/at/all\n"
	    "[program:e]\ncommand = ./not-here\nenvironment = PORT=8000\n"
	    "probe_url = http://localhost:8000/\n"
	    "[program:f]\ncommand = sh\nenvironment = PORT=8000\n"
	    "probe_tcp = 127.0.0.1:8000\n"), 0);
	assert_int_equal(configcheck_run(&cfg), -1);
	assert_int_equal(cfg.nerrors, 1);
	assert_string_equal(cfg.errors[0], "tend.ini:5: [program:b]: directory "
	    "/nowhere/at/all does not exist");
	snprintf(want5, sizeof want5, want[2], dir);
	for (i = 0; want[i] != NULL; i++)
		w[i] = (char *)(i == 2 ? want5 : want[i]);
	w[i] = NULL;
	assert_warnings(&cfg, (const char *const *)w);
	config_free(&cfg);

	assert_int_equal(load(&cfg, "[program:a]\ncommand = true\n"), 0);
	assert_int_equal(configcheck_run(&cfg), 0);
	assert_int_equal(cfg.nwarnings, 0);
	config_free(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_continuation_and_expansion),
		cmocka_unit_test(test_supervisord_file_runs),
		cmocka_unit_test(test_log_keys),
		cmocka_unit_test(test_errors_exact),
		cmocka_unit_test(test_line_length),
		cmocka_unit_test(test_long_command),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_environment_quotes),
		cmocka_unit_test(test_many_keys),
		cmocka_unit_test(test_long_continuation),
		cmocka_unit_test(test_unopenable),
		cmocka_unit_test(test_not_regular_or_too_big),
		cmocka_unit_test(test_control_characters_escaped),
		cmocka_unit_test(test_log_dir_empty),
		cmocka_unit_test(test_environment_expansion),
		cmocka_unit_test(test_expansion_in_every_key),
		cmocka_unit_test(test_probe_floors),
		cmocka_unit_test(test_binary_garbage),
		cmocka_unit_test(test_signal_names),
		cmocka_unit_test(test_inline_comment_warnings),
		cmocka_unit_test(test_expansion_everywhere),
		cmocka_unit_test(test_procfile_config),
		cmocka_unit_test(test_procfile_import),
		cmocka_unit_test(test_env_precedence),
		cmocka_unit_test(test_default_path),
		cmocka_unit_test(test_configcheck),
		cmocka_unit_test(test_priority),
		cmocka_unit_test(test_numprocs),
		cmocka_unit_test(test_numprocs_errors),
		cmocka_unit_test(test_umask_user),
		cmocka_unit_test(test_process_keys_reload),
		cmocka_unit_test(test_procfile_numprocs),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
