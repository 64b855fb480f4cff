/*
 * keys: key names to curses codes, and the binding table built from the
 * command table on first use.
 */
#define _GNU_SOURCE
#include "keys.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#define KEYS_MAX 128

struct keys_binding {
	bool is_key;
	wint_t code;
	enum cmd_id id;
	unsigned where;
};

static struct keys_binding keys_bindings[KEYS_MAX];
static size_t keys_n;

static const struct {
	const char *name;
	int code;
} keys_named[] = {
	{ "Down", KEY_DOWN }, { "Up", KEY_UP }, { "Left", KEY_LEFT },
	{ "Right", KEY_RIGHT }, { "PgUp", KEY_PPAGE }, { "PgDn", KEY_NPAGE },
	{ "Home", KEY_HOME }, { "End", KEY_END }, { "Enter", KEY_ENTER },
	{ "Backspace", KEY_BACKSPACE }, { "Delete", KEY_DC },
};

static void
keys_bind(bool is_key, wint_t code, const struct cmd_entry *c)
{
	if (keys_n < KEYS_MAX)
		keys_bindings[keys_n++] = (struct keys_binding){
			is_key, code, c->id, c->where
		};
}

/* One key name: a curses key, a control key, or a character. */
static void
keys_bind_name(const char *name, const struct cmd_entry *c)
{
	size_t i;

	for (i = 0; i < sizeof keys_named / sizeof keys_named[0]; i++) {
		if (strcmp(name, keys_named[i].name) == 0)
			keys_bind(true, (wint_t)keys_named[i].code, c);
	}
	if (strcmp(name, "Enter") == 0) {
		/* Raw mode: the terminal sends CR; some send LF. */
		keys_bind(false, L'\r', c);
		keys_bind(false, L'\n', c);
	} else if (strcmp(name, "Esc") == 0) {
		keys_bind(false, 27, c);
	} else if (strcmp(name, "Space") == 0) {
		keys_bind(false, L' ', c);
	} else if (strcmp(name, "Tab") == 0) {
		keys_bind(false, L'\t', c);
	} else if (strncmp(name, "Ctrl-", 5) == 0 && name[5] != '\0' &&
	    name[6] == '\0') {
		keys_bind(false, (wint_t)(name[5] & 0x1f), c);
	} else if (name[0] != '\0' && name[1] == '\0') {
		keys_bind(false, (wint_t)(unsigned char)name[0], c);
	}
}

static void
keys_build(void)
{
	const struct cmd_entry *t;
	size_t n, i, k;

	t = cmd_table(&n);
	for (i = 0; i < n; i++) {
		for (k = 0; k < CMD_MAX_KEYS && t[i].keys[k] != NULL; k++)
			keys_bind_name(t[i].keys[k], &t[i]);
	}
}

int
keys_lookup(bool is_key, wint_t key, unsigned where)
{
	size_t i;

	if (keys_n == 0)
		keys_build();
	for (i = 0; i < keys_n; i++) {
		const struct keys_binding *b = &keys_bindings[i];

		if (b->is_key == is_key && b->code == key && (b->where & where))
			return (int)b->id;
	}
	return -1;
}
