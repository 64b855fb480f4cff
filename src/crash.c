/*
 * crash: the fatal-signal handlers and the hooks they run.
 *
 * Owns the hook table.  The handler is installed with SA_RESETHAND, so
 * a second fault inside a hook kills tend at once instead of looping.
 */
#define _GNU_SOURCE
#include "crash.h"

#include <signal.h>
#include <stdbool.h>
#include <string.h>

static void (*crash_hooks[CRASH_MAX_HOOKS])(void);
static volatile sig_atomic_t crash_nhooks;
static bool crash_installed;

static void
crash_handler(int sig)
{
	int i;

	for (i = crash_nhooks - 1; i >= 0; i--) {
		if (crash_hooks[i] != NULL)
			crash_hooks[i]();
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

void
crash_init(void)
{
	static const int fatal[] = {
		SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGSYS, SIGTRAP,
	};
	struct sigaction sa;
	size_t i;

	if (crash_installed)
		return;
	crash_installed = true;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = crash_handler;
	sigfillset(&sa.sa_mask);
	sa.sa_flags = SA_RESETHAND;
	for (i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
		sigaction(fatal[i], &sa, NULL);
}

int
crash_on(void (*fn)(void))
{
	int i;

	for (i = 0; i < crash_nhooks; i++) {
		if (crash_hooks[i] == NULL) {
			crash_hooks[i] = fn;
			return 0;
		}
	}
	if (crash_nhooks == CRASH_MAX_HOOKS)
		return -1;
	crash_hooks[crash_nhooks] = fn;
	crash_nhooks = crash_nhooks + 1;
	return 0;
}

void
crash_off(void (*fn)(void))
{
	int i;

	for (i = 0; i < crash_nhooks; i++) {
		if (crash_hooks[i] == fn)
			crash_hooks[i] = NULL;
	}
}
