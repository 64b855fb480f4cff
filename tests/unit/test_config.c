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
#include <ini.h>

static char dir[] = "/tmp/tend-config-test.XXXXXX";

static int
setup(void **state)
{
	(void)state;
	if (mkdtemp(dir) == NULL || chdir(dir) == -1)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	if (system("rm -rf /tmp/tend-config-test.*") != 0)
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

/* The config failed with exactly one error, WANT. */
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
	    "x = y\n[program:web]\ncommand = true\nuser = nobody\n"
	    "stdout_logfile = /tmp/web.log\n[group:all]\nprograms = web\n"), 0);
	assert_int_equal(cfg.nprograms, 1);
	assert_int_equal(cfg.nwarnings, 6);
	assert_string_equal(cfg.warnings[0], "tend.ini:1: [unix_http_server] "
	    "is a supervisord section; tend skips it");
	assert_string_equal(cfg.warnings[3], "tend.ini:9: 'user' is a "
	    "supervisord key tend does not implement; ignored");
	config_free(&cfg);
}

static void
test_errors_exact(void **state)
{
	char big[512];

	(void)state;
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
	memset(big, 'x', sizeof big);
	memcpy(big, "[program:a]\ncommand = x\nstop_input = ", 37);
	big[300] = '\n';
	big[301] = '\0';
	assert_one_error(big, "tend.ini:3: line is longer than 199 characters;"
	    " continue the value on the next line, indented");
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

/* inih's buffer is 200 bytes: 199 characters and the NUL fit, 200 do not.
 * Each length with \n and \r\n endings, as a key line followed by another
 * key (which must not be lost), as a continuation line, and as the last line
 * without a newline. */
static void
test_line_length_limit(void **state)
{
	static const char *const endings[] = { "\n", "\r\n" };
	struct config cfg;
	size_t len, e;
	char want[256];
	FILE *f;

	(void)state;
	for (e = 0; e < 2; e++) {
		for (len = 197; len <= 200; len++) {
			f = fopen("tend.ini", "w");
			fputs("[program:a]\ncommand = echo\n", f);
			fprintf(f, "%*s%s", (int)len, "x", endings[e]);
			put_line(f, len, endings[e]);
			fputs("startsecs = 7\n", f);
			fclose(f);
			if (len == 200) {
				assert_int_equal(config_load("tend.ini", &cfg), -1);
				assert_int_equal(cfg.nerrors, 2);
				assert_string_equal(cfg.errors[0], "tend.ini:3: line "
				    "is longer than 199 characters; continue the "
				    "value on the next line, indented");
				assert_string_equal(cfg.errors[1], "tend.ini:4: line "
				    "is longer than 199 characters; continue the "
				    "value on the next line, indented");
				assert_int_equal(cfg.programs[0].startsecs, 7);
				config_free(&cfg);
				continue;
			}
			assert_int_equal(config_load("tend.ini", &cfg), 0);
			assert_string_equal(cfg.programs[0].command, "echo x");
			memset(want, 'x', len - 13);
			want[len - 13] = '\0';
			assert_string_equal(cfg.programs[0].stop_input, want);
			assert_int_equal(cfg.programs[0].startsecs, 7);
			config_free(&cfg);

			f = fopen("tend.ini", "w");
			fputs("[program:a]\ncommand = true\n", f);
			put_line(f, len, "");
			fclose(f);
			if (len == 200) {
				assert_int_equal(config_load("tend.ini", &cfg), -1);
				assert_int_equal(cfg.nerrors, 1);
				assert_string_equal(cfg.errors[0], "tend.ini:3: line "
				    "is longer than 199 characters; continue the "
				    "value on the next line, indented");
				config_free(&cfg);
				continue;
			}
			assert_int_equal(config_load("tend.ini", &cfg), 0);
			assert_string_equal(cfg.programs[0].stop_input, want);
			config_free(&cfg);
		}
	}
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
	    "tend.ini:3: %(ENV_TEND_TEST_UNSET)s: TEND_TEST_UNSET is not set in "
	    "tend's environment");
	assert_one_error("[program:a]\ncommand = true\n"
	    "environment = A=%(ENV_X\n",
	    "tend.ini:3: unterminated %(...)s in '%(ENV_X'");
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_continuation_and_expansion),
		cmocka_unit_test(test_supervisord_file_runs),
		cmocka_unit_test(test_errors_exact),
		cmocka_unit_test(test_line_length_limit),
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
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
