/*
 * command: the one table of what a user can ask of tend.
 *
 * Each command has a name (what `tend ctl` takes), its keys in the TUI
 * (as key names: "j", "Down", "C-l"), a label for the key bar, one line
 * of help, and how it is run.  Commands on a program go to the engine
 * through `run`; the TUI's own commands (select, scroll, search ...) have
 * no `run` and the TUI carries them out by id; the ctl server carries
 * out the ones that stream (logs, wait, status) by id.  The key bar, the
 * help overlay and `tend ctl`'s usage are made from this table, so they
 * cannot disagree.
 */
#ifndef TEND_COMMAND_H
#define TEND_COMMAND_H

#include <stdbool.h>
#include <stddef.h>

#include "engine.h"

enum cmd_id {
	CMD_NEXT, CMD_PREV, CMD_PAGE_UP, CMD_PAGE_DOWN, CMD_TOP, CMD_FOLLOW,
	CMD_INPUT, CMD_PROBE, CMD_STOP, CMD_KILL, CMD_START, CMD_RESTART,
	CMD_TILE, CMD_MERGED, CMD_INCLUDE, CMD_FILTER, CMD_WRAP, CMD_LEFT,
	CMD_RIGHT, CMD_TIMES, CMD_SEARCH, CMD_MATCH_OLDER, CMD_MATCH_NEWER,
	CMD_PAGER, CMD_SAVE,
	CMD_HELP, CMD_REDRAW, CMD_SUSPEND, CMD_RELOAD, CMD_QUIT,
	CMD_CONNECT,
	/* In the input line (inputline.c carries them out). */
	CMD_LINE_SEND, CMD_LINE_LEAVE, CMD_LINE_HISTORY, CMD_LINE_CLEAR,
	CMD_LINE_WORD, CMD_LINE_EOF, CMD_LINE_INTERRUPT, CMD_LINE_SWITCH,
	/* In focus mode (a pty program), where every other key is its. */
	CMD_FOCUS_LEAVE,
	/* tend ctl only. */
	CMD_STATUS, CMD_SEND, CMD_EOF, CMD_LOGS, CMD_WAIT, CMD_SEND_SOCKET,
	CMD_COUNT
};

/* Where a command is offered. */
#define CMD_TUI 0x1		/* a key in the TUI's normal mode */
#define CMD_LINE 0x2		/* a key in the input line */
#define CMD_CTL 0x4		/* tend ctl NAME ... */
#define CMD_PROGRAMS 0x8	/* tend ctl: one or more program names */
#define CMD_FOCUS 0x10		/* a key in focus mode */

#define CMD_MAX_KEYS 4

struct cmd_entry {
	enum cmd_id id;
	const char *name;	/* tend ctl's word, and the docs' */
	const char *keys[CMD_MAX_KEYS];	/* key names, NULL-ended */
	const char *bar;	/* its label in the key bar, or NULL */
	int rank;		/* a narrow bar keeps the lowest ranks */
	const char *usage;	/* tend ctl's arguments after the name */
	const char *help;	/* one line for people */
	unsigned where;		/* CMD_TUI | CMD_LINE | CMD_CTL ... */
	/* The engine's part, for a command on program P (ARG: the text of
	 * send); NULL when the TUI or the ctl server carries it out. */
	int (*run)(struct engine *e, struct proc *p, const char *arg,
	    char *why, size_t size);
	/* The help shows this many of the entries that follow on this
	 * entry's line ("j/k  Down/Up  select the next / previous
	 * program"); HELP is then written for all of them. */
	int joins;
};

/* The table, in the order the help shows it. */
const struct cmd_entry *cmd_table(size_t *n);
const struct cmd_entry *cmd_get(enum cmd_id id);
/* By tend ctl's word; NULL when there is none. */
const struct cmd_entry *cmd_find(const char *name);

/* "j/k  Down/Up": the keys of C and the entries it joins, as the help
 * shows them: the entries' first keys joined by '/', then their second
 * keys, and so on. */
void cmd_keys_text(const struct cmd_entry *c, char *buf, size_t size);

#endif
