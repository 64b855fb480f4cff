/*
 * main: the command line.  Parses options, loads the config, makes the
 * engine and its clients (the TUI, or headless output), runs it.  Wiring
 * only.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "configcheck.h"
#include "ctl.h"
#include "ctlclient.h"
#include "engine.h"
#include "export.h"
#include "headless.h"
#include "ui.h"

#define TEND_VERSION "0.1.0"

static void
main_usage(FILE *f)
{
	fprintf(f,
	    "usage: tend [CONFIG]             run the programs of CONFIG "
	    "(default ./tend.ini,\n"
	    "                                 else ./Procfile)\n"
	    "       tend --headless [CONFIG]  no screen: prefixed lines on "
	    "stdout\n"
	    "       tend --headless --timestamps [CONFIG]\n"
	    "                                 each line after its arrival time\n"
	    "       tend --check [CONFIG]     check the config; exit 0 or 2\n"
	    "       tend ctl [-c CONFIG | --socket PATH] COMMAND [ARGS]\n"
	    "                                 drive a running tend (tend ctl "
	    "--help)\n"
	    "       tend export systemd|supervisord|procfile [-o DIR] [CONFIG]\n"
	    "                                 the programs as systemd user units,\n"
	    "                                 a supervisord.conf or a Procfile\n"
	    "       tend -h | --help | --version\n"
	    "\n"
	    "-c CONFIG      the config, as the argument gives it\n"
	    "--socket PATH  the control socket (default: one per config, in\n"
	    "               $XDG_RUNTIME_DIR/tend or /tmp/tend-UID)\n"
	    "-o DIR         export: write the files into DIR (made if missing)\n"
	    "               instead of printing them; what the format cannot\n"
	    "               express is listed on stderr\n"
	    "\n"
	    "Headless output: 'NAME | line' (stdout), 'NAME ! line' (stderr),\n"
	    "'NAME * note' (tend's notes: started, exited, ...).\n"
	    "Headless mode is automatic when stdin or stdout is not a terminal.\n"
	    "CONFIG is an INI file, or a Procfile (named Procfile, Procfile.*\n"
	    "or *.procfile); a .env next to it is read too.\n"
	    "Keys, config keys and exit statuses: man tend\n");
}

/* Each program holds four fds (five with a log); 1024, a common soft
 * limit, is too few for a few hundred programs: take what the hard limit
 * allows, up to 65536. */
static void
main_raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max > 65536 ? 65536 : rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* Children must get a real 0, 1 and 2 even if tend was started without. */
static void
main_open_std_fds(void)
{
	int fd;

	while ((fd = open("/dev/null", O_RDWR)) != -1 && fd <= 2)
		;
	if (fd > 2)
		close(fd);
}

/* Program output is decoded as UTF-8 whatever the user's locale says. */
static void
main_set_locale(void)
{
	setlocale(LC_ALL, "");
	if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
		setlocale(LC_CTYPE, "C.UTF-8");
}

static void
main_print_messages(char **msgs, size_t n, const char *kind)
{
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(stderr, "%s%s\n", kind, msgs[i]);
}

/* Load PATH: every warning and error on stderr.  CHECK (--check) also
 * looks at what would fail once the programs start. */
static int
main_load(const char *path, struct config *cfg, bool check)
{
	int rc = config_load(path, cfg);

	if (check && rc == 0)
		rc = configcheck_run(cfg);

	main_print_messages(cfg->warnings, cfg->nwarnings, "warning: ");
	main_print_messages(cfg->errors, cfg->nerrors, "");
	if (rc == -1)
		config_free(cfg);
	return rc;
}

/* Build FMT's files from CFG, say what is lost, and write them into
 * DIR (made if missing) or print them.  Returns the exit status. */
static int
main_export_run(const struct config *cfg, enum export_format fmt,
    const char *dir)
{
	struct export_result res = { 0 };
	char err[1024] = "", *here = NULL;
	int rc = 1;
	size_t i;

	if (dir != NULL && (export_mkdir(dir, err, sizeof err) == -1 ||
	    (here = realpath(dir, NULL)) == NULL)) {
		fprintf(stderr, "tend export: %s\n", err[0] ? err :
		    strerror(errno));
		return 1;
	}
	if (export_build(cfg, fmt, here, &res, err, sizeof err) == 0) {
		for (i = 0; i < res.nlost; i++)
			fprintf(stderr, "%s\n", res.lost[i]);
		if (here != NULL)
			rc = export_write(&res, here, err, sizeof err) == 0 ? 0 : 1;
		else if ((rc = export_print(&res, stdout) == 0 ? 0 : 1) != 0)
			snprintf(err, sizeof err, "cannot write: %s",
			    strerror(errno));
	}
	if (rc != 0)
		fprintf(stderr, "tend export: %s\n", err);
	for (i = 0; rc == 0 && here != NULL && i < res.nfiles; i++)
		fprintf(stderr, "tend export: wrote %s/%s\n", here,
		    res.files[i].name);
	export_result_free(&res);
	free(here);
	return rc;
}

/* tend export FORMAT [-o DIR] [CONFIG]: ARGV[0] is "export". */
static int
main_export(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = NULL, *path = config_default_path();
	struct config cfg;
	int c, fmt, rc;

	while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
		switch (c) {
		case 'o': dir = optarg; break;
		case 'h': main_usage(stdout); return 0;
		default: main_usage(stderr); return 2;
		}
	}
	if (optind == argc || argc - optind > 2) {
		fprintf(stderr, "tend export: %s\n", optind == argc ? "which "
		    "format? systemd, supervisord or procfile" : "one format "
		    "and one config file at most");
		main_usage(stderr);
		return 2;
	}
	if ((fmt = export_format_parse(argv[optind])) == -1) {
		fprintf(stderr, "tend export: no format '%s' (systemd, "
		    "supervisord or procfile)\n", argv[optind]);
		return 2;
	}
	if (argc - optind == 2)
		path = argv[optind + 1];
	if (main_load(path, &cfg, false) == -1)
		return 2;
	rc = main_export_run(&cfg, (enum export_format)fmt, dir);
	config_free(&cfg);
	return rc;
}

/* The TUI when stdin and stdout are a terminal that curses knows, else
 * headless output; and the control socket.  Returns tend's exit status. */
static int
main_run(const struct config *cfg, bool headless,
    const struct headless_opts *hopts, const char *socket)
{
	struct headless *h = NULL;
	struct ui *ui = NULL;
	struct ctl *ctl;
	struct engine *e;
	bool refused;
	char err[1024];
	int rc;

	if ((e = engine_new(cfg, err, sizeof err)) == NULL) {
		fprintf(stderr, "tend: cannot start: %s\n", err);
		return 2;
	}
	ctl = ctl_new(e, cfg->path, socket, err, sizeof err, &refused);
	if (ctl == NULL && refused) {
		fprintf(stderr, "tend: %s\n", err);
		engine_free(e);
		return 2;
	}
	if (ctl == NULL)
		fprintf(stderr, "tend: no tend ctl this time: %s\n", err);
	if (!headless && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO) &&
	    (ui = ui_new(e, err, sizeof err)) == NULL)
		fprintf(stderr, "tend: %s; going on without the screen, as "
		    "--headless\n", err);
	if (ui == NULL && (h = headless_new(e, hopts, err, sizeof err)) ==
	    NULL) {
		fprintf(stderr, "tend: cannot start: %s\n", err);
		ctl_free(ctl);
		engine_free(e);
		return 2;
	}
	rc = engine_run(e) == -1 ? 1 : 0;
	if (rc != 0)
		fprintf(stderr, "tend: poll: %s\n", strerror(errno));
	ui_free(ui);
	/* Headless, a failure is the run's result; the TUI's user saw it. */
	if (h != NULL && engine_exit_status(e) != 0)
		rc = 1;
	headless_free(h);
	ctl_free(ctl);
	engine_free(e);
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "headless", no_argument, NULL, 'H' },
		{ "timestamps", no_argument, NULL, 'T' },
		{ "check", no_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "socket", required_argument, NULL, 'S' },
		{ "config", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	bool headless = false, check = false, given = false;
	struct headless_opts hopts = { .timestamps = false };
	const char *path = NULL, *socket = NULL;
	struct config cfg;
	int c, rc;

	if (argc > 1 && strcmp(argv[1], "ctl") == 0)
		return ctlclient_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "export") == 0)
		return main_export(argc - 1, argv + 1);
	while ((c = getopt_long(argc, argv, "hc:o:", opts, NULL)) != -1) {
		switch (c) {
		case 'H': headless = true; break;
		case 'T': hopts.timestamps = true; break;
		case 'C': check = true; break;
		case 'c': path = optarg; given = true; break;
		case 'h': main_usage(stdout); return 0;
		case 'V': printf("tend %s\n", TEND_VERSION); return 0;
		case 'S': socket = optarg; break;
		case 'o':
			fprintf(stderr, "tend: -o goes with export: tend export "
			    "FORMAT -o DIR [CONFIG]\n");
			return 2;
		default: main_usage(stderr); return 2;
		}
	}
	if (argc - optind > 1 || (optind < argc && given)) {
		fprintf(stderr, "tend: one config file at most\n");
		main_usage(stderr);
		return 2;
	}
	if (optind < argc)
		path = argv[optind];
	if (path == NULL)
		path = config_default_path();
	main_open_std_fds();
	main_raise_fd_limit();

	if (main_load(path, &cfg, check) == -1)
		return 2;
	if (check) {
		printf("%s: ok, %zu program%s\n", path, cfg.nprograms,
		    cfg.nprograms == 1 ? "" : "s");
		config_free(&cfg);
		return 0;
	}
	main_set_locale();
	rc = main_run(&cfg, headless, &hopts, socket);
	config_free(&cfg);
	return rc;
}
