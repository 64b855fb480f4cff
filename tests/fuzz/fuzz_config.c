/*
 * fuzz_config: libFuzzer target for the config loader.  The input is
 * written to a file and loaded; whatever it holds, loading must not
 * crash or leak, and every message must be one "FILE:..." line.  (An
 * input that names other files, [tend] procfile or env_file, reads them
 * too; the corpus names none.)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *
fuzz_path(void)
{
	static char path[64];

	if (path[0] == '\0')
		snprintf(path, sizeof path, "/tmp/fuzz-config-%d.ini", (int)getpid());
	return path;
}

/* Each message is one line, "FILE:..." with FILE the config or another
 * file it names (a Procfile, an env_file, the .env next to it). */
static void
fuzz_check_messages(char **msgs, size_t n, const char *path)
{
	size_t i, plen = strlen(path);

	for (i = 0; i < n; i++) {
		if (strchr(msgs[i], '\n') != NULL || strstr(msgs[i], ": ") == NULL)
			abort();
		if (strncmp(msgs[i], path, plen) == 0 && msgs[i][plen] != ':')
			abort();
	}
}

static void
fuzz_check_programs(const struct config *cfg)
{
	size_t i;

	if (cfg->scrollback == 0 || cfg->shell == NULL)
		abort();
	for (i = 0; i < cfg->nprograms; i++) {
		const char *name = cfg->programs[i].name;

		if (name == NULL || name[0] == '\0' || name[0] == '.' ||
		    name[strspn(name, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")] != '\0' ||
		    cfg->programs[i].command == NULL)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_path();
	struct config cfg;
	FILE *f = fopen(path, "w");
	int rc;

	if (f == NULL)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	rc = config_load(path, &cfg);
	if ((rc == 0) != (cfg.nerrors == 0))
		abort();
	fuzz_check_messages(cfg.errors, cfg.nerrors, path);
	fuzz_check_messages(cfg.warnings, cfg.nwarnings, path);
	if (rc == 0)
		fuzz_check_programs(&cfg);
	config_free(&cfg);
	return 0;
}
