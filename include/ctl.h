/*
 * ctl: the control server, a client of the engine on a Unix socket.
 *
 * `tend ctl` (ctlclient.h) connects, sends one request (ctlproto.h) and
 * reads the response; the server carries the request out with the
 * command table (command.h) and the engine, in the same poll() loop as
 * everything else.  A slow or stuck client never holds the loop: its
 * output is capped, and `logs -f` reads the programs' stores only as far
 * as the client takes its lines (it is told what it missed).  One request
 * per connection; a malformed or oversized one closes that connection.
 *
 * The socket is mode 0600; next to it a lock file holds the pid of the
 * tend that owns it, so a second tend on the same config is refused and
 * a socket left by a crashed tend is replaced.
 */
#ifndef TEND_CTL_H
#define TEND_CTL_H

#include <stdbool.h>
#include <stddef.h>

#include "engine.h"

struct ctl;

/* Listen on SOCKET, or on CONFIG's default socket when SOCKET is NULL.
 * NULL on failure, with the reason in ERR; *REFUSED is set when another
 * tend is running on it (tend must not start), else the failure only
 * means there is no `tend ctl` this time. */
struct ctl *ctl_new(struct engine *e, const char *config,
    const char *socket, char *err, size_t errsize, bool *refused);
/* Close every connection and remove the socket. */
void ctl_free(struct ctl *c);
const char *ctl_path(const struct ctl *c);

#endif
