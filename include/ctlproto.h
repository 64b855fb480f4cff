/*
 * ctlproto: what `tend ctl` and a running tend agree on.
 *
 * Where the socket is: $XDG_RUNTIME_DIR/tend/ (or /tmp/tend-UID/), named
 * after the config file's real path, so `tend ctl` run in the folder
 * where tend was started finds it; --socket overrides it on both sides.
 *
 * A request is one line: the words of the command, each percent-encoded
 * (a space, '%', controls and bytes above 0x7e as %XX), separated by
 * single spaces.  A response is lines: "o TEXT" for the client's
 * stdout, "e TEXT" for its stderr, and last "x N", its exit status;
 * then tend closes the connection.
 */
#ifndef TEND_CTLPROTO_H
#define TEND_CTLPROTO_H

#include <stddef.h>

#define CTL_REQUEST_MAX (64 * 1024)	/* a longer request is refused */
#define CTL_MAX_WORDS 256

/* A response line of KIND ('o', 'e' or 'x') with TEXT of LEN bytes. */
typedef void (*ctl_emit_fn)(void *ctx, char kind, const char *text,
    size_t len);

/* The socket for CONFIG (a path as given): 0, or -1 with the reason. */
int ctlproto_socket_path(const char *config, char *buf, size_t size,
    char *err, size_t errsize);
/* The folder the default socket path is in. */
int ctlproto_socket_dir(char *buf, size_t size);

/* Append WORD, encoded, to OUT (of SIZE, LEN used); returns the new
 * length, or SIZE when it does not fit. */
size_t ctlproto_encode(char *out, size_t size, size_t len, const char *word);
/* Split LINE (NUL-terminated, no newline) into words, decoded in place;
 * returns the number of words, or -1 when LINE is malformed (a bad
 * escape, too many words). */
int ctlproto_decode(char *line, char **words, int max);

#endif
