/*
 * procio: the fds of one program run.
 *
 * Its stdout and stderr (or its pty) are read a chunk at a time as they
 * become readable; its stdin is written from a bounded queue as the fd
 * accepts it.  Nothing here blocks, and output can be paused as a whole
 * (back-pressure: the program's writes then wait in its pipe).  The owner
 * hears of bytes read, of end of file and of stdin events.
 */
#ifndef TEND_PROCIO_H
#define TEND_PROCIO_H

#include <stdbool.h>
#include <stddef.h>

#include "loop.h"
#include "spawn.h"
#include "store.h"

#define PROCIO_STDIN_MAX (1024 * 1024)	/* queued input per program */

enum procio_stdin_event {
	PROCIO_STDIN_DRAINED,	/* the queue was written out */
	PROCIO_STDIN_CLOSED,	/* closed as asked, after the queue */
	PROCIO_STDIN_LOST,	/* the program closed its end: input lost */
};

struct procio_events {
	/* LEN bytes were read from STREAM. */
	void (*output)(void *ctx, enum store_stream stream, const char *buf,
	    size_t len);
	/* STREAM ended (end of file, or EIO on a pty); its fd is closed. */
	void (*eof)(void *ctx, enum store_stream stream);
	/* UNSENT: the bytes lost with PROCIO_STDIN_LOST. */
	void (*stdin_event)(void *ctx, enum procio_stdin_event what,
	    size_t unsent);
};

struct procio;

struct procio *procio_new(struct loop *loop, const struct procio_events *ev,
    void *ctx);
void procio_free(struct procio *io);

/* Watch the fds of a child just spawned.  Returns 0 or -1 (ENOMEM). */
int procio_adopt(struct procio *io, const struct spawn_child *c, bool pty);
/* Close every fd, drop the queue; returns the bytes that were queued. */
size_t procio_close(struct procio *io);

/* Read what is ready now, up to MAX bytes per stream (a dead program's
 * last output, before its end is reported). */
void procio_drain(struct procio *io, size_t max);
/* Stop reading output (the program's writes wait), or read again. */
void procio_pause(struct procio *io, bool paused);
/* Some output stream is still open. */
bool procio_reading(const struct procio *io);

/* Queue LEN bytes for stdin: -1 with errno EPIPE (closed) or ENOBUFS
 * (the queue would pass PROCIO_STDIN_MAX). */
int procio_send(struct procio *io, const char *buf, size_t len);
/* Room for LEN more bytes of input. */
bool procio_can_send(const struct procio *io, size_t len);
/* Close stdin once the queue is written (a pty gets its EOF character,
 * Ctrl-D, instead: a terminal has no end of file).  -1 if closed. */
int procio_close_stdin(struct procio *io);
/* Close stdin now; returns the bytes that were still queued. */
size_t procio_drop_stdin(struct procio *io);
bool procio_stdin_open(const struct procio *io);
size_t procio_queued(const struct procio *io);

/* The pty's window size (pty mode only; 0 for none). */
int procio_set_winsize(struct procio *io, unsigned short rows,
    unsigned short cols);

#endif
