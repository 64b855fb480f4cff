/* Unit tests for export: each target's quoting, value by value, and the
 * files and lost lines built from small configs. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "config.h"
#include "export.h"

static char dir[] = "/tmp/tend-export-test.XXXXXX";

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(dir) == NULL || chdir(dir) == -1 ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	return system("rm -rf /tmp/tend-export-test.*") != 0 ? -1 : 0;
}

/* Compare a quoting function's result with WANT (NULL: refused). */
#define QUOTE_IS(fn, in, want) do {					\
	char *got_ = fn(in);						\
	const char *want_ = (want);					\
	if (want_ == NULL)						\
		assert_null(got_);					\
	else {								\
		assert_non_null(got_);					\
		assert_string_equal(got_, want_);			\
	}								\
	free(got_);							\
} while (0)

static void
test_sh_quote(void **state)
{
	(void)state;
	QUOTE_IS(export_sh_quote, "plain-word_1.2/x:y,z=@+", "plain-word_1.2/x:y,z=@+");
	QUOTE_IS(export_sh_quote, "50%", "'50%'");
	QUOTE_IS(export_sh_quote, "hello, world", "'hello, world'");
	QUOTE_IS(export_sh_quote, "it's", "'it'\\''s'");
	QUOTE_IS(export_sh_quote, "$HOME \"q\" \\", "'$HOME \"q\" \\'");
	QUOTE_IS(export_sh_quote, "", "''");
	QUOTE_IS(export_sh_quote, "a\nb", "'a\nb'");
}

static void
test_systemd_arg(void **state)
{
	(void)state;
	/* % is a specifier, $ a variable: both doubled */
	QUOTE_IS(export_systemd_arg, "date +%z; echo 100% $HOME ${X}",
	    "\"date +%%z; echo 100%% $$HOME $${X}\"");
	QUOTE_IS(export_systemd_arg, "exec echo \"hi\" 'there'",
	    "\"exec echo \\\"hi\\\" 'there'\"");
	QUOTE_IS(export_systemd_arg, "a\\b \\n", "\"a\\\\b \\\\n\"");
	QUOTE_IS(export_systemd_arg, "line1\nline2\tend\r",
	    "\"line1\\nline2\\tend\\r\"");
	QUOTE_IS(export_systemd_arg, "esc\x1b[0m del\x7f", "\"esc\\x1b[0m del\\x7f\"");
	/* UTF-8 stays as it is; a byte that is not UTF-8 is escaped */
	QUOTE_IS(export_systemd_arg, "caf\xc3\xa9 \xff", "\"caf\xc3\xa9 \\xff\"");
	QUOTE_IS(export_systemd_arg, "\xed\xa0\x80", "\"\\xed\\xa0\\x80\"");
	QUOTE_IS(export_systemd_arg, "", "\"\"");
	QUOTE_IS(export_systemd_arg, "  spaced  ", "\"  spaced  \"");
}

static void
test_systemd_env(void **state)
{
	(void)state;
	/* Environment= expands specifiers but not variables */
	QUOTE_IS(export_systemd_env, "RATE=100% $HOME", "\"RATE=100%% $HOME\"");
	QUOTE_IS(export_systemd_env, "GREETING=hello, world",
	    "\"GREETING=hello, world\"");
	QUOTE_IS(export_systemd_env, "Q=say \"hi\" it's \\o/",
	    "\"Q=say \\\"hi\\\" it's \\\\o/\"");
	QUOTE_IS(export_systemd_env, "ML=a\nb", "\"ML=a\\nb\"");
	QUOTE_IS(export_systemd_env, "E=", "\"E=\"");
	/* systemd refuses a value that is not UTF-8 */
	QUOTE_IS(export_systemd_env, "BIN=\xff\xfe", NULL);
	QUOTE_IS(export_systemd_env, "U=\xc3\xa9", "\"U=\xc3\xa9\"");
}

static void
test_supervisord_arg(void **state)
{
	(void)state;
	QUOTE_IS(export_supervisord_arg, "/bin/sh", "/bin/sh");
	QUOTE_IS(export_supervisord_arg, "-c", "-c");
	QUOTE_IS(export_supervisord_arg, "exec sleep 600", "'exec sleep 600'");
	QUOTE_IS(export_supervisord_arg, "echo \"$X\" \\n",
	    "'echo \"$X\" \\n'");
	QUOTE_IS(export_supervisord_arg, "it's", "'it'\\''s'");
	/* % for the %-expansion; ; and # never after a space (a comment) */
	QUOTE_IS(export_supervisord_arg, "date +%z; x # y",
	    "'date +%%z'\\;' x '\\#' y'");
	QUOTE_IS(export_supervisord_arg, ";", "\\;");
	/* a line break: in double quotes, the physical lines ending and
	 * beginning with a quote, so the INI parser keeps every space */
	QUOTE_IS(export_supervisord_arg, "a  \n  b",
	    "'a  '\"\n    \"'  b'");
	QUOTE_IS(export_supervisord_arg, "a\n\n;b",
	    "'a'\"\n    \"\"\n    \"\\;'b'");
	QUOTE_IS(export_supervisord_arg, "a\rb", NULL);
	QUOTE_IS(export_supervisord_arg, "", "''");
}

static void
test_supervisord_env(void **state)
{
	(void)state;
	QUOTE_IS(export_supervisord_env, "GREETING=hello, world",
	    "GREETING=\"hello, world\"");
	QUOTE_IS(export_supervisord_env, "RATE=50%", "RATE=\"50%%\"");
	QUOTE_IS(export_supervisord_env, "Q=say \"hi\" now",
	    "Q='say \"hi\" now'");
	QUOTE_IS(export_supervisord_env, "A=it's", "A=\"it's\"");
	QUOTE_IS(export_supervisord_env, "E=", "E=\"\"");
	QUOTE_IS(export_supervisord_env, "S=a;b#c", "S=\"a;b#c\"");
	/* both quotes; a quote at an end (stripped); a comment; a break */
	QUOTE_IS(export_supervisord_env, "B=it's \"x\" y", NULL);
	QUOTE_IS(export_supervisord_env, "Q=say \"hi\"", NULL);
	QUOTE_IS(export_supervisord_env, "Q='x", NULL);
	QUOTE_IS(export_supervisord_env, "C=a ;b", NULL);
	QUOTE_IS(export_supervisord_env, "C=a\t#b", NULL);
	QUOTE_IS(export_supervisord_env, "N=a\nb", NULL);
	QUOTE_IS(export_supervisord_env, "nokey", NULL);
}

static void
test_supervisord_value(void **state)
{
	(void)state;
	QUOTE_IS(export_supervisord_value, "/srv/my app", "/srv/my app");
	QUOTE_IS(export_supervisord_value, "/srv/100%", "/srv/100%%");
	QUOTE_IS(export_supervisord_value, "/srv/a;b", "/srv/a;b");
	QUOTE_IS(export_supervisord_value, "/srv/a ;b", NULL);
	QUOTE_IS(export_supervisord_value, "/srv/trailing ", NULL);
	QUOTE_IS(export_supervisord_value, " /srv", NULL);
	QUOTE_IS(export_supervisord_value, "/srv/a\nb", NULL);
	QUOTE_IS(export_supervisord_value, "", NULL);
}

static void
test_names(void **state)
{
	char *s;

	(void)state;
	assert_int_equal(export_format_parse("systemd"), EXPORT_SYSTEMD);
	assert_int_equal(export_format_parse("supervisord"), EXPORT_SUPERVISORD);
	assert_int_equal(export_format_parse("procfile"), EXPORT_PROCFILE);
	assert_int_equal(export_format_parse("Systemd"), -1);
	assert_int_equal(export_format_parse(""), -1);

	s = export_app_name("tend.ini", "/home/me/shop");
	assert_string_equal(s, "shop");
	free(s);
	s = export_app_name("/home/me/shop/dev.ini", "/home/me/shop");
	assert_string_equal(s, "shop-dev");
	free(s);
	s = export_app_name("x/tend", "/home/me/my app+1");
	assert_string_equal(s, "my-app-1");
	free(s);
	s = export_app_name("/tend.ini", "/");
	assert_string_equal(s, "tend");
	free(s);
	s = export_app_name("/.hidden", "/");
	assert_string_equal(s, ".hidden");
	free(s);
}

/* --- whole configs --------------------------------------------------------- */

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static const char shop_ini[] =
    "[program:db]\n"
    "command = exec sleep 600\n"
    "autorestart = unexpected\n"
    "exitcodes = 0, 2\n"
    "stopsignal = INT\n"
    "stopwaitsecs = 0\n"
    "restart_dependents = true\n"
    "ready_log = ready\n"
    "\n"
    "[program:migrate]\n"
    "command = echo migrated\n"
    "depends_on = db:started\n"
    "\n"
    "[program:web]\n"
    "command = echo \"$GREETING\"; exec sleep 600\n"
    "environment = GREETING=\"hello, world\",BIN=\"\xff\",Q='say \"hi\"'\n"
    "depends_on = db, migrate:completed_successfully\n"
    "autorestart = true\n"
    "startsecs = 2\n"
    "startretries = 4\n"
    "probe_url = http://127.0.0.1:1/\n"
    "\n"
    "[program:report]\n"
    "command = echo report\n"
    "autostart = false\n"
    "pty = true\n";

static void
load(struct config *cfg, const char *text)
{
	write_file("tend.ini", text);
	if (config_load("tend.ini", cfg) != 0) {
		size_t i;

		for (i = 0; i < cfg->nerrors; i++)
			print_error("config: %s\n", cfg->errors[i]);
		fail();
	}
}

static const char *
file_text(const struct export_result *res, const char *name)
{
	size_t i;

	for (i = 0; i < res->nfiles; i++) {
		if (strcmp(res->files[i].name, name) == 0)
			return res->files[i].text;
	}
	print_error("no file %s\n", name);
	fail();
	return NULL;
}

/* TEXT has LINE as a whole line. */
static void
has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	const char *p;

	for (p = text; (p = strstr(p, line)) != NULL; p++) {
		if ((p == text || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
			return;
	}
	print_error("no line '%s' in:\n%s\n", line, text);
	fail();
}

static void
no_line(const char *text, const char *start)
{
	if (strstr(text, start) != NULL) {
		print_error("'%s' should not be in:\n%s\n", start, text);
		fail();
	}
}

static void
has_lost(const struct export_result *res, const char *line)
{
	size_t i;

	for (i = 0; i < res->nlost; i++) {
		if (strcmp(res->lost[i], line) == 0)
			return;
	}
	for (i = 0; i < res->nlost; i++)
		print_error("lost: %s\n", res->lost[i]);
	print_error("not lost: %s\n", line);
	fail();
}

static void
test_systemd_units(void **state)
{
	struct export_result res;
	struct config cfg;
	char err[256], *app, line[1200];
	const char *db, *mig, *web, *rep, *target;

	(void)state;
	load(&cfg, shop_ini);
	assert_int_equal(export_build(&cfg, EXPORT_SYSTEMD, NULL, &res, err,
	    sizeof err), 0);
	assert_int_equal(res.nfiles, 5);
	app = export_app_name(cfg.path, cfg.dir);
	db = file_text(&res, "db.service");
	mig = file_text(&res, "migrate.service");
	web = file_text(&res, "web.service");
	rep = file_text(&res, "report.service");
	snprintf(line, sizeof line, "%s.target", app);
	target = file_text(&res, line);

	snprintf(line, sizeof line, "PartOf=%s.target", app);
	has_line(db, line);
	snprintf(line, sizeof line, "WorkingDirectory=%s", cfg.dir);
	has_line(db, line);
	has_line(db, "Type=exec");
	has_line(db, "ExecStart=/bin/sh -c \"exec sleep 600\"");
	has_line(db, "Restart=on-failure");
	has_line(db, "RestartSec=1s");
	has_line(db, "SuccessExitStatus=2");
	has_line(db, "RestartForceExitStatus=SIGHUP SIGINT SIGTERM SIGPIPE");
	has_line(db, "KillMode=control-group");
	has_line(db, "KillSignal=SIGINT");
	has_line(db, "TimeoutStopSec=1ms");
	has_line(db, "StartLimitIntervalSec=9s");
	has_line(db, "StartLimitBurst=4");
	has_line(db, "# Lost: db: ready_log has no equivalent in systemd; the "
	    "unit starts without waiting");

	/* migrate: started maps to After= + Wants=; something waits for it
	 * to complete, so it is a oneshot; restart_dependents: PartOf= */
	has_line(mig, "After=db.service");
	has_line(mig, "Wants=db.service");
	has_line(mig, "PartOf=db.service");
	has_line(mig, "Type=oneshot");
	has_line(mig, "Restart=no");
	has_line(mig, "ExecStart=/bin/sh -c \"exec echo migrated\"");
	no_line(mig, "StartLimit");
	no_line(mig, "SuccessExitStatus");

	has_line(web, "After=migrate.service");
	has_line(web, "Requires=migrate.service");
	has_line(web, "Wants=db.service");
	has_line(web, "Environment=\"GREETING=hello, world\"");
	has_line(web, "Environment=\"Q=say \\\"hi\\\"\"");
	/* BIN is not UTF-8: the shell line exports it */
	has_line(web, "# BIN: ExecStart exports it (Environment= takes UTF-8 "
	    "only)");
	has_line(web, "ExecStart=/bin/sh -c \"export BIN='\\xff'; echo "
	    "\\\"$$GREETING\\\"; exec sleep 600\"");
	has_line(web, "Restart=always");
	has_line(web, "StartLimitIntervalSec=16s");
	has_line(web, "StartLimitBurst=5");
	has_line(web, "TimeoutStopSec=5s");
	no_line(web, "RestartForceExitStatus");

	has_line(target, "Wants=db.service migrate.service web.service");
	has_line(target, "# autostart = false, so not started with the target: "
	    "report.service");
	has_line(target, "WantedBy=default.target");
	has_line(rep, "# Lost: report: pty has no equivalent in systemd; the "
	    "program runs without a terminal (its output may be "
	    "block-buffered, and without colours)");

	has_lost(&res, "db: ready_log has no equivalent in systemd; the unit "
	    "starts without waiting");
	has_lost(&res, "web: probe_url has no equivalent in systemd; nothing "
	    "probes the program and the unit starts without waiting (an "
	    "ExecStartPost= loop could wait for it)");
	has_lost(&res, "web: depends_on db (ready) has no equivalent in "
	    "systemd; it starts once db has started");
	has_lost(&res, "db: restart_dependents: migrate, web have PartOf="
	    "db.service, so a stop of it stops them too");
	assert_int_equal(res.nlost, 5);
	free(app);
	export_result_free(&res);
	config_free(&cfg);
}

static void
test_systemd_oneshot_notes(void **state)
{
	struct export_result res;
	struct config cfg;
	char err[256];
	const char *mig;

	(void)state;
	load(&cfg, "[program:migrate]\ncommand = true\nautorestart = true\n"
	    "exitcodes = 3\n"
	    "[program:web]\ncommand = true\ndepends_on = migrate:completed\n"
	    "[program:api]\ncommand = true\ndepends_on = migrate:completed_"
	    "successfully\n"
	    "[program:tail]\ncommand = true\ndepends_on = migrate\n");
	assert_int_equal(export_build(&cfg, EXPORT_SYSTEMD, NULL, &res, err,
	    sizeof err), 0);
	mig = file_text(&res, "migrate.service");
	has_line(mig, "Type=oneshot");
	has_line(mig, "Restart=on-failure");
	has_line(mig, "SuccessExitStatus=3");
	has_line(file_text(&res, "web.service"), "Wants=migrate.service");
	has_line(file_text(&res, "api.service"), "Requires=migrate.service");
	has_lost(&res, "migrate: autorestart = true cannot go with Type=oneshot "
	    "(a program waits for it to complete); Restart=on-failure: it is "
	    "not restarted after a success");
	has_lost(&res, "migrate: exitcodes without 0: systemd counts exit 0 as "
	    "a success all the same");
	has_lost(&res, "api: depends_on migrate:completed_successfully: systemd "
	    "also counts migrate's exitcodes 3 as success");
	has_lost(&res, "tail: depends_on migrate (started): migrate is a "
	    "Type=oneshot unit (a program waits for it to complete), so this "
	    "one waits for it to end");
	assert_int_equal(res.nlost, 4);
	export_result_free(&res);
	config_free(&cfg);
}

/* supervisord's process keys: copies are programs of their own in every
 * target; user, umask and priority go where the target has them. */
static void
test_process_keys(void **state)
{
	static const char ini[] =
	    "[program:web]\ncommand = serve %(process_num)s\nnumprocs = 2\n"
	    "umask = 022\nuser = root\npriority = 50\n";
	struct export_result res;
	struct config cfg;
	char err[256];
	const char *conf, *unit;

	(void)state;
	load(&cfg, ini);
	assert_int_equal(export_build(&cfg, EXPORT_SYSTEMD, NULL, &res, err,
	    sizeof err), 0);
	unit = file_text(&res, "web-1.service");
	has_line(unit, "ExecStart=/bin/sh -c \"exec serve 1\"");
	has_line(unit, "User=root");
	has_line(unit, "UMask=0022");
	file_text(&res, "web-0.service");
	has_lost(&res, "web-0: priority has no equivalent in systemd; it "
	    "starts and stops with the others, in no order");
	export_result_free(&res);
	assert_int_equal(export_build(&cfg, EXPORT_SUPERVISORD, NULL, &res,
	    err, sizeof err), 0);
	conf = file_text(&res, "supervisord.conf");
	has_line(conf, "[program:web-0]");
	has_line(conf, "[program:web-1]");
	has_line(conf, "priority = 50");
	has_line(conf, "umask = 022");
	has_line(conf, "user = root");
	export_result_free(&res);
	assert_int_equal(export_build(&cfg, EXPORT_PROCFILE, NULL, &res, err,
	    sizeof err), 0);
	has_lost(&res, "web-1: user has no equivalent in a Procfile; it runs "
	    "as the runner's user");
	has_lost(&res, "web-1: umask has no equivalent in a Procfile; it gets "
	    "the runner's");
	export_result_free(&res);
	config_free(&cfg);
}

static void
test_supervisord_conf(void **state)
{
	struct export_result res;
	struct config cfg;
	char err[256], line[1200];
	const char *conf;

	(void)state;
	load(&cfg, shop_ini);
	assert_int_equal(export_build(&cfg, EXPORT_SUPERVISORD, NULL, &res,
	    err, sizeof err), 0);
	assert_int_equal(res.nfiles, 1);
	conf = file_text(&res, "supervisord.conf");
	has_line(conf, "[supervisord]");
	has_line(conf, "nodaemon = true");
	has_line(conf, "[unix_http_server]");
	has_line(conf, "file = %(here)s/supervisor.sock");
	has_line(conf, "serverurl = unix://%(here)s/supervisor.sock");
	has_line(conf, "[rpcinterface:supervisor]");
	has_line(conf, "[program:db]");
	has_line(conf, "command = /bin/sh -c 'exec sleep 600'");
	snprintf(line, sizeof line, "directory = %s", cfg.dir);
	has_line(conf, line);
	/* dependencies first: priority by depth */
	has_line(conf, "priority = 100");
	has_line(conf, "priority = 110");
	has_line(conf, "priority = 120");
	assert_true(strstr(conf, "[program:web]") < strstr(conf,
	    "priority = 120"));
	has_line(conf, "autorestart = unexpected");
	has_line(conf, "exitcodes = 0,2");
	has_line(conf, "stopsignal = INT");
	has_line(conf, "stopasgroup = true");
	has_line(conf, "killasgroup = true");
	has_line(conf, "stdout_logfile = %(here)s/web.log");
	has_line(conf, "stderr_logfile = %(here)s/web.err.log");
	/* no autorestart: startsecs 0, or supervisord calls a quick
	 * one-shot job a failure */
	has_line(conf, "startsecs = 0");
	has_line(conf, "startsecs = 2");
	has_line(conf, "startretries = 4");
	/* what its environment syntax cannot hold, the command exports */
	has_line(conf, "environment = GREETING=\"hello, world\",BIN=\"\xff\"");
	has_line(conf, "command = /bin/sh -c 'export Q='\\''say \"hi\"'\\'\\;' "
	    "echo \"$GREETING\"'\\;' exec sleep 600'");
	has_lost(&res, "web: depends_on has no equivalent in supervisord; "
	    "priority 120 starts it after db, migrate but does not wait for db "
	    "ready, migrate completed successfully");
	has_lost(&res, "db: restart_dependents has no equivalent in "
	    "supervisord; its restart does not restart migrate, web");
	has_lost(&res, "report: pty has no equivalent in supervisord; the "
	    "program runs without a terminal (its output may be "
	    "block-buffered, and without colours)");
	export_result_free(&res);
	config_free(&cfg);
}

static void
test_procfile(void **state)
{
	struct export_result res;
	struct config cfg;
	char err[256], want[2048];

	(void)state;
	setenv("TEND_TEST_ML", "two\nlines", 1);
	load(&cfg, "[program:web]\ncommand = python3 -m http.server $PORT\n"
	    "environment = PORT=8000,GREETING=\"it's, here\"\n"
	    "[program:worker]\ncommand = ./work; echo done\ndirectory = sub\n"
	    "depends_on = web\nstopsignal = INT\n"
	    "[program:multi]\ncommand = echo \"$ML\"\n"
	    "environment = ML=%(ENV_TEND_TEST_ML)s\n");
	assert_int_equal(export_build(&cfg, EXPORT_PROCFILE, NULL, &res, err,
	    sizeof err), 0);
	snprintf(want, sizeof want,
	    "web: export PORT=8000 GREETING='it'\\''s, here'; python3 -m "
	    "http.server $PORT\n"
	    "worker: cd %s/sub || exit 1; ./work; echo done\n", cfg.dir);
	assert_string_equal(file_text(&res, "Procfile"), want);
	has_lost(&res, "worker: depends_on has no equivalent in a Procfile; it "
	    "starts at once, with the others");
	has_lost(&res, "worker: stopsignal = INT has no equivalent in a "
	    "Procfile; runners send SIGTERM");
	has_lost(&res, "multi: its command, environment or directory holds a "
	    "line break, which a Procfile line cannot; left out");
	assert_int_equal(res.nlost, 3);
	export_result_free(&res);

	/* written elsewhere, every program does its cd */
	assert_int_equal(export_build(&cfg, EXPORT_PROCFILE, "/", &res, err,
	    sizeof err), 0);
	snprintf(want, sizeof want, "web: cd %s || exit 1; export", cfg.dir);
	assert_non_null(strstr(file_text(&res, "Procfile"), want));
	export_result_free(&res);
	config_free(&cfg);
}

static void
test_write_and_print(void **state)
{
	struct export_result res;
	struct config cfg;
	char err[256], *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	load(&cfg, "[program:a]\ncommand = true\n[program:b]\ncommand = true\n");
	assert_int_equal(export_build(&cfg, EXPORT_SYSTEMD, NULL, &res, err,
	    sizeof err), 0);
	assert_int_equal(export_mkdir("out/units", err, sizeof err), 0);
	assert_int_equal(export_mkdir("out/units", err, sizeof err), 0);
	assert_int_equal(export_write(&res, "out/units", err, sizeof err), 0);
	assert_int_equal(access("out/units/a.service", R_OK), 0);
	assert_int_equal(access("out/units/b.service", R_OK), 0);
	write_file("out/file", "");
	assert_int_equal(export_mkdir("out/file", err, sizeof err), -1);
	assert_string_equal(err, "out/file is not a folder");
	assert_int_equal(export_mkdir("out/file/x", err, sizeof err), -1);
	assert_string_equal(err, "cannot create out/file/x: Not a directory");

	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(export_print(&res, f), 0);
	fclose(f);
	assert_true(strncmp(buf, "# FILE: a.service\n# a.service: ", 31) == 0);
	assert_non_null(strstr(buf, "\n\n# FILE: b.service\n"));
	free(buf);
	export_result_free(&res);
	config_free(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sh_quote),
		cmocka_unit_test(test_systemd_arg),
		cmocka_unit_test(test_systemd_env),
		cmocka_unit_test(test_supervisord_arg),
		cmocka_unit_test(test_supervisord_env),
		cmocka_unit_test(test_supervisord_value),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_systemd_units),
		cmocka_unit_test(test_systemd_oneshot_notes),
		cmocka_unit_test(test_supervisord_conf),
		cmocka_unit_test(test_process_keys),
		cmocka_unit_test(test_procfile),
		cmocka_unit_test(test_write_and_print),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
