/*
 * keys: the TUI's key bindings, made from the command table.
 *
 * Key names as the table and the docs write them ("j", "Down", "PgUp",
 * "Enter", "Esc", "Ctrl-L") become what curses' get_wch() returns, so a
 * key can be looked up to the command it is bound to.
 */
#ifndef TEND_KEYS_H
#define TEND_KEYS_H

#include <stdbool.h>
#include <wchar.h>

#include "command.h"

/* The command bound to the key get_wch() gave (IS_KEY: a KEY_* code)
 * among the commands offered in WHERE (CMD_TUI); -1 when none is. */
int keys_lookup(bool is_key, wint_t key, unsigned where);

#endif
