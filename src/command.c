/*
 * command: the table itself, and the engine's side of the commands that
 * act on one program.
 */
#define _GNU_SOURCE
#include "command.h"

#include <stdio.h>
#include <string.h>

static int
cmd_start(struct engine *e, struct proc *p, const char *arg, char *why,
    size_t size)
{
	(void)arg;
	return engine_start(e, p, why, size);
}

static int
cmd_stop(struct engine *e, struct proc *p, const char *arg, char *why,
    size_t size)
{
	(void)arg;
	return engine_stop(e, p, why, size);
}

static int
cmd_kill(struct engine *e, struct proc *p, const char *arg, char *why,
    size_t size)
{
	(void)arg;
	return engine_kill(e, p, why, size);
}

static int
cmd_restart(struct engine *e, struct proc *p, const char *arg, char *why,
    size_t size)
{
	(void)arg;
	return engine_restart(e, p, why, size);
}

static int
cmd_probe(struct engine *e, struct proc *p, const char *arg, char *why,
    size_t size)
{
	(void)arg;
	return engine_probe(e, p, why, size);
}

static int
cmd_send(struct engine *e, struct proc *p, const char *arg, char *why,
    size_t size)
{
	return engine_send_line(e, p, arg, strlen(arg), why, size);
}

static int
cmd_eof(struct engine *e, struct proc *p, const char *arg, char *why,
    size_t size)
{
	(void)arg;
	return engine_eof(e, p, why, size);
}

static int
cmd_reload(struct engine *e, struct proc *p, const char *arg, char *why,
    size_t size)
{
	(void)p;
	(void)arg;
	return engine_reload(e, why, size);
}

#define T CMD_TUI
#define L CMD_LINE
#define C CMD_CTL
#define P CMD_PROGRAMS

static const struct cmd_entry cmd_entries[] = {
	{ CMD_NEXT, "next", { "j", "Down" }, "j/k select", 0, NULL,
	    "select the next / previous program", T, NULL, 1 },
	{ CMD_PREV, "previous", { "k", "Up" }, NULL, 0, NULL,
	    "select the previous program", T, NULL, 0 },
	{ CMD_PAGE_UP, "page-up", { "PgUp" }, NULL, 0, NULL,
	    "scroll a page back / on (the wheel: 3 lines)", T, NULL, 1 },
	{ CMD_PAGE_DOWN, "page-down", { "PgDn" }, NULL, 0, NULL,
	    "scroll the pane on a page", T, NULL, 0 },
	{ CMD_TOP, "top", { "Home" }, NULL, 0, NULL,
	    "the oldest line kept / follow new output again", T, NULL, 1 },
	{ CMD_FOLLOW, "follow", { "End" }, NULL, 0, NULL,
	    "follow new output again", T, NULL, 0 },
	{ CMD_INPUT, "input", { "i", "Enter" }, "i input", 2, NULL,
	    "input line for stdin; a pty program: focus mode", T, NULL, 0 },
	{ CMD_PROBE, "probe", { "p" }, "p probe", 6, "NAME",
	    "probe the program now (HTTP, command or TCP)", T | C | P, cmd_probe, 0 },
	{ CMD_STOP, "stop", { "t" }, "t term", 3, "NAME...",
	    "terminate: stop_input, stopsignal, then SIGKILL",
	    T | C | P, cmd_stop, 0 },
	{ CMD_KILL, "kill", { "K" }, "K kill", 4, "NAME...",
	    "kill now (SIGKILL to the process group)", T | C | P, cmd_kill, 0 },
	{ CMD_START, "start", { "s" }, "s start", 5, "NAME...",
	    "start a program that is not running", T | C | P, cmd_start, 0 },
	{ CMD_RESTART, "restart", { "r" }, "r restart", 3, "NAME...",
	    "restart (start it if it is not running)", T | C | P,
	    cmd_restart, 0 },
	{ CMD_TILE, "tile", { "z" }, "z tile", 7, NULL,
	    "all panes tiled / the selected pane", T, NULL, 0 },
	{ CMD_MERGED, "merged", { "m" }, "m merged", 8, NULL,
	    "all programs' lines in one pane, as they came / one",
	    T, NULL, 0 },
	{ CMD_INCLUDE, "include", { "Space" }, NULL, 0, NULL,
	    "merged view: the selected program in / out of it", T, NULL, 0 },
	{ CMD_FILTER, "filter", { "f" }, "f filter", 8, NULL,
	    "only lines with a text (! first: stderr only) / all",
	    T, NULL, 0 },
	{ CMD_WRAP, "wrap", { "w" }, NULL, 0, NULL,
	    "wrap long lines / cut them", T, NULL, 0 },
	{ CMD_LEFT, "left", { "Left" }, NULL, 0, NULL,
	    "cut lines: scroll sideways, left / right", T, NULL, 1 },
	{ CMD_RIGHT, "right", { "Right" }, NULL, 0, NULL,
	    "scroll right", T, NULL, 0 },
	{ CMD_TIMES, "times", { "T" }, NULL, 0, NULL,
	    "each line's arrival time at its left (HH:MM:SS) / none",
	    T, NULL, 0 },
	{ CMD_SEARCH, "search", { "/" }, "/ search", 6, NULL,
	    "search the pane (case-insensitive)", T, NULL, 0 },
	{ CMD_MATCH_OLDER, "match-older", { "n" }, NULL, 0, NULL,
	    "the next older / newer match of the search", T, NULL, 1 },
	{ CMD_MATCH_NEWER, "match-newer", { "N" }, NULL, 0, NULL,
	    "the next newer match", T, NULL, 0 },
	{ CMD_PAGER, "pager", { "e" }, NULL, 0, NULL,
	    "the pane's scrollback in $PAGER (less -R +G) / saved to a file",
	    T, NULL, 1 },
	{ CMD_SAVE, "save", { "S" }, NULL, 0, NULL,
	    "save the pane's scrollback to tend-NAME-TIME.log", T, NULL, 0 },
	{ CMD_HELP, "help", { "?" }, "? help", 1, NULL,
	    "this help; any key closes it", T, NULL, 0 },
	{ CMD_REDRAW, "redraw", { "Ctrl-L" }, NULL, 0, NULL,
	    "redraw the screen / suspend tend", T, NULL, 1 },
	{ CMD_SUSPEND, "suspend", { "Ctrl-Z" }, NULL, 0, NULL,
	    "suspend tend (the programs keep running)", T, NULL, 0 },
	{ CMD_RELOAD, "reload", { "R" }, NULL, 0, "",
	    "read the config again: new, changed, removed programs", T | C,
	    cmd_reload, 0 },
	{ CMD_QUIT, "quit", { "q" }, "q quit", 0, "",
	    "quit: stop everything; q again kills", T | C, NULL, 0 },
	{ CMD_CONNECT, "connect", { "c" }, NULL, 0, "NAME [--wait SECS]",
	    "a new connection to the program's socket; the input line "
	    "sends to it", T | C | P, NULL, 0 },

	{ CMD_LINE_SEND, "line-send", { "Enter" }, NULL, 0, NULL,
	    "send the line + newline (stays open) / leave", L, NULL, 1 },
	{ CMD_LINE_LEAVE, "line-leave", { "Esc" }, NULL, 0, NULL,
	    "leave the input line", L, NULL, 0 },
	{ CMD_LINE_HISTORY, "line-history", { "Up", "Down" }, NULL, 0, NULL,
	    "the lines sent before (history)", L, NULL, 0 },
	{ CMD_LINE_CLEAR, "line-clear", { "Ctrl-U" }, NULL, 0, NULL,
	    "clear the line / delete a word", L, NULL, 1 },
	{ CMD_LINE_WORD, "line-word", { "Ctrl-W" }, NULL, 0, NULL,
	    "delete the word before the cursor", L, NULL, 0 },
	{ CMD_LINE_EOF, "line-eof", { "Ctrl-D" }, NULL, 0, NULL,
	    "close stdin (EOF, on an empty line) / interrupt", L, NULL, 1 },
	{ CMD_LINE_INTERRUPT, "line-interrupt", { "Ctrl-C" }, NULL, 0, NULL,
	    "interrupt the program (SIGINT)", L, NULL, 0 },
	{ CMD_LINE_SWITCH, "line-switch", { "Tab" }, NULL, 0, NULL,
	    "the next open connection (c), or stdin; Ctrl-D closes one",
	    L, NULL, 0 },

	{ CMD_FOCUS_LEAVE, "focus-leave", { "Ctrl-A" }, NULL, 0, NULL,
	    "leave focus mode (Ctrl-A Ctrl-A: one Ctrl-A)", CMD_FOCUS, NULL,
	    0 },

	{ CMD_STATUS, "status", { NULL, 0 }, NULL, 0, "[--json]",
	    "one line per program: state, pid, since, health, restarts", C,
	    NULL, 0 },
	{ CMD_SEND, "send", { NULL, 0 }, NULL, 0, "NAME TEXT",
	    "TEXT plus a newline to NAME's stdin", C | P, cmd_send, 0 },
	{ CMD_EOF, "eof", { NULL, 0 }, NULL, 0, "NAME",
	    "close NAME's stdin", C | P, cmd_eof, 0 },
	{ CMD_LOGS, "logs", { NULL, 0 }, NULL, 0, "NAME... [-n N] [-f]",
	    "the last N lines (100) as NAME | line; -f follows", C | P, NULL, 0 },
	{ CMD_WAIT, "wait", { NULL, 0 }, NULL, 0,
	    "NAME... [--for started|ready|exited] [--timeout SECS]",
	    "until every NAME is started, ready (the default) or exited",
	    C | P, NULL, 0 },
	{ CMD_SEND_SOCKET, "send-socket", { NULL, 0 }, NULL, 0,
	    "NAME TEXT [--wait SECS]",
	    "TEXT plus a newline on a new connection to NAME's socket; "
	    "what comes back in SECS (1)", C | P, NULL, 0 },
};

#undef T
#undef L
#undef C
#undef P

_Static_assert(sizeof cmd_entries / sizeof cmd_entries[0] == CMD_COUNT,
    "one entry per command");

const struct cmd_entry *
cmd_table(size_t *n)
{
	*n = sizeof cmd_entries / sizeof cmd_entries[0];
	return cmd_entries;
}

const struct cmd_entry *
cmd_get(enum cmd_id id)
{
	size_t i;

	for (i = 0; i < CMD_COUNT; i++) {
		if (cmd_entries[i].id == id)
			return &cmd_entries[i];
	}
	return NULL;
}

const struct cmd_entry *
cmd_find(const char *name)
{
	size_t i;

	for (i = 0; i < CMD_COUNT; i++) {
		if ((cmd_entries[i].where & CMD_CTL) &&
		    strcmp(cmd_entries[i].name, name) == 0)
			return &cmd_entries[i];
	}
	return NULL;
}

void
cmd_keys_text(const struct cmd_entry *c, char *buf, size_t size)
{
	size_t len = 0;
	int k, j;

	buf[0] = '\0';
	for (k = 0; k < CMD_MAX_KEYS && c->keys[k] != NULL; k++) {
		for (j = 0; j <= c->joins; j++) {
			const char *key = c[j].keys[k];

			if (key == NULL)
				continue;
			len += (size_t)snprintf(buf + len, len < size ?
			    size - len : 0, "%s%s", j ? "/" : k ? "  " : "", key);
		}
	}
}
