/*
 * crash: when tend itself dies of a fatal signal.
 *
 * On SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGSYS or SIGTRAP the
 * registered hooks run, newest first (stop the programs, give the
 * terminal back), then tend dies of the signal as it would have, so a
 * core dump and the exit status stay true.  Hooks run inside the signal
 * handler: async-signal-safe calls only.
 */
#ifndef TEND_CRASH_H
#define TEND_CRASH_H

#define CRASH_MAX_HOOKS 4

/* Install the handlers (once; later calls do nothing). */
void crash_init(void);
/* Run FN on a crash; -1 when CRASH_MAX_HOOKS are registered. */
int crash_on(void (*fn)(void));
/* Forget FN (the thing it restores is gone). */
void crash_off(void (*fn)(void));

#endif
