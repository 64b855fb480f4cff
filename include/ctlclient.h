/*
 * ctlclient: `tend ctl`, the command that drives a running tend.
 *
 *   tend ctl [-c CONFIG | --socket PATH] COMMAND [ARGS]
 *
 * It finds the socket of CONFIG's tend (ctlproto.h), sends the command,
 * prints what tend answers (lines of `logs` made safe when stdout is a
 * terminal) and exits with tend's status: 0 done, 1 the command failed,
 * 2 a usage error or no tend running.
 */
#ifndef TEND_CTLCLIENT_H
#define TEND_CTLCLIENT_H

/* ARGV[0] is "ctl". */
int ctlclient_main(int argc, char **argv);

#endif
