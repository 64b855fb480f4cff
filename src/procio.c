/*
 * procio: reading and writing one program run's fds.
 *
 * Owns the read ends of its stdout and stderr (or the pty master), the
 * write end of its stdin and the stdin queue.  A quiet pipe is watched
 * with LOOP_BATCH (a line at a time may wait for the batch); one that
 * gave a stdio buffer's worth in one read is "hot" and read at once for a
 * while, so a flood is never throttled; a pty is always read at once, as
 * a terminal's echo must not lag, and read on while its reads come full.
 */
#define _GNU_SOURCE
#include "procio.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PROCIO_READ_CHUNK (64 * 1024)	/* one read per fd per turn */
#define PROCIO_HOT_READ 4096	/* a read this big (a stdio buffer) is hot */
#define PROCIO_HOT_MS 1000	/* and the stream is then read at once */
#define PROCIO_PTY_FULL 4095	/* a pty read this big: more may wait */

struct procio {
	struct loop *loop;
	const struct procio_events *ev;
	void *ctx;
	bool pty;
	bool paused;
	int out_fd[STORE_NSTREAMS];	/* -1 when closed */
	int64_t hot_until[STORE_NSTREAMS];
	int in_fd;			/* -1 when closed */
	char *inq;			/* queued input: inq[head .. len) */
	size_t head, len, cap;
	bool close_after_queue;
};

static char procio_readbuf[PROCIO_READ_CHUNK];

struct procio *
procio_new(struct loop *loop, const struct procio_events *ev, void *ctx)
{
	struct procio *io = calloc(1, sizeof *io);

	if (io == NULL)
		return NULL;
	io->loop = loop;
	io->ev = ev;
	io->ctx = ctx;
	io->out_fd[STORE_STDOUT] = io->out_fd[STORE_STDERR] = io->in_fd = -1;
	return io;
}

void
procio_free(struct procio *io)
{
	if (io == NULL)
		return;
	procio_close(io);
	free(io->inq);
	free(io);
}

static void
procio_close_fd(struct procio *io, int *fd)
{
	if (*fd == -1)
		return;
	loop_del_fd(io->loop, *fd);
	close(*fd);
	*fd = -1;
}

size_t
procio_drop_stdin(struct procio *io)
{
	size_t queued = procio_queued(io);

	procio_close_fd(io, &io->in_fd);
	io->head = io->len = 0;
	io->close_after_queue = false;
	return queued;
}

size_t
procio_close(struct procio *io)
{
	int s;

	for (s = 0; s < STORE_NSTREAMS; s++)
		procio_close_fd(io, &io->out_fd[s]);
	return procio_drop_stdin(io);
}

/* How an output fd is watched now (see the top of the file). */
static int
procio_output_events(const struct procio *io, enum store_stream s)
{
	if (io->paused)
		return 0;
	if (io->pty || loop_now(io->loop) < io->hot_until[s])
		return LOOP_READ;
	return LOOP_READ | LOOP_BATCH;
}

/* Read one chunk of STREAM.  Returns bytes read, 0 at end of file (the
 * fd is then closed and the owner told), -1 when nothing is ready. */
static ssize_t
procio_read(struct procio *io, enum store_stream s)
{
	ssize_t n;

	do
		n = read(io->out_fd[s], procio_readbuf, sizeof procio_readbuf);
	while (n == -1 && errno == EINTR);
	if (n > 0) {
		io->ev->output(io->ctx, s, procio_readbuf, (size_t)n);
		return n;
	}
	if (n == -1 && errno == EAGAIN)
		return -1;
	/* End of file, or an error such as EIO: the stream is over. */
	procio_close_fd(io, &io->out_fd[s]);
	io->ev->eof(io->ctx, s);
	return 0;
}

static void
procio_readable(struct loop *loop, int fd, int events, void *data)
{
	struct procio *io = data;
	enum store_stream s = fd == io->out_fd[STORE_STDERR] ?
	    STORE_STDERR : STORE_STDOUT;
	ssize_t n, total;

	(void)events;
	total = n = procio_read(io, s);
	/* A pty gives at most its line discipline's buffer (4 KB) a read,
	 * and the next 4 KB is there at once: while full reads come, read
	 * on (up to a pipe's chunk a turn, and not once held back), not a
	 * poll and a loop turn each. */
	while (io->pty && n >= PROCIO_PTY_FULL && !io->paused &&
	    total < PROCIO_READ_CHUNK && io->out_fd[s] != -1) {
		n = procio_read(io, s);
		total += n > 0 ? n : 0;
	}
	if (total >= PROCIO_HOT_READ)
		io->hot_until[s] = loop_now(loop) + PROCIO_HOT_MS;
	if (total > 0 && io->out_fd[s] != -1)
		loop_set_fd_events(loop, fd, procio_output_events(io, s));
}

void
procio_drain(struct procio *io, size_t max)
{
	int s;

	for (s = 0; s < STORE_NSTREAMS; s++) {
		size_t total = 0;
		ssize_t n = 1;

		while (io->out_fd[s] != -1 && n > 0 && total < max) {
			n = procio_read(io, s);
			total += n > 0 ? (size_t)n : 0;
		}
	}
}

void
procio_pause(struct procio *io, bool paused)
{
	int s;

	if (io->paused == paused)
		return;
	io->paused = paused;
	for (s = 0; s < STORE_NSTREAMS; s++) {
		if (io->out_fd[s] != -1)
			loop_set_fd_events(io->loop, io->out_fd[s],
			    procio_output_events(io, s));
	}
}

bool
procio_reading(const struct procio *io)
{
	return io->out_fd[STORE_STDOUT] != -1 || io->out_fd[STORE_STDERR] != -1;
}

static void
procio_writable(struct loop *loop, int fd, int events, void *data)
{
	struct procio *io = data;
	ssize_t n;

	(void)events;
	while (io->head < io->len) {
		n = write(fd, io->inq + io->head, io->len - io->head);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			return;
		if (n == -1) {
			size_t unsent = io->len - io->head;

			procio_drop_stdin(io);
			io->ev->stdin_event(io->ctx, PROCIO_STDIN_LOST, unsent);
			return;
		}
		io->head += (size_t)n;
	}
	io->head = io->len = 0;
	loop_set_fd_events(loop, fd, 0);
	if (io->close_after_queue) {
		procio_drop_stdin(io);
		io->ev->stdin_event(io->ctx, PROCIO_STDIN_CLOSED, 0);
	} else {
		io->ev->stdin_event(io->ctx, PROCIO_STDIN_DRAINED, 0);
	}
}

int
procio_adopt(struct procio *io, const struct spawn_child *c, bool pty)
{
	int rc = 0, s;

	io->pty = pty;
	io->in_fd = c->in_fd;
	io->out_fd[STORE_STDOUT] = c->out_fd;
	io->out_fd[STORE_STDERR] = c->err_fd;
	rc |= loop_add_fd(io->loop, io->in_fd, 0, procio_writable, io);
	for (s = 0; s < STORE_NSTREAMS; s++) {
		io->hot_until[s] = 0;
		if (io->out_fd[s] != -1)
			rc |= loop_add_fd(io->loop, io->out_fd[s],
			    procio_output_events(io, s), procio_readable, io);
	}
	return rc;
}

bool
procio_can_send(const struct procio *io, size_t len)
{
	return io->len - io->head + len <= PROCIO_STDIN_MAX;
}

/* Room for LEN more bytes at the end of the queue. */
static int
procio_reserve(struct procio *io, size_t len)
{
	size_t cap;
	char *q;

	if (io->head > 0 && io->len + len > io->cap) {
		memmove(io->inq, io->inq + io->head, io->len - io->head);
		io->len -= io->head;
		io->head = 0;
	}
	if (io->len + len <= io->cap)
		return 0;
	for (cap = io->cap ? io->cap : 4096; cap < io->len + len; cap *= 2)
		;
	if ((q = realloc(io->inq, cap)) == NULL)
		return -1;
	io->inq = q;
	io->cap = cap;
	return 0;
}

int
procio_send(struct procio *io, const char *buf, size_t len)
{
	if (io->in_fd == -1 || io->close_after_queue) {
		errno = EPIPE;
		return -1;
	}
	if (!procio_can_send(io, len)) {
		errno = ENOBUFS;
		return -1;
	}
	if (procio_reserve(io, len) == -1)
		return -1;
	memcpy(io->inq + io->len, buf, len);
	io->len += len;
	loop_set_fd_events(io->loop, io->in_fd, LOOP_WRITE);
	return 0;
}

int
procio_close_stdin(struct procio *io)
{
	if (io->in_fd == -1 || io->close_after_queue) {
		errno = EPIPE;
		return -1;
	}
	if (io->pty)
		return procio_send(io, "\004", 1);
	io->close_after_queue = true;
	/* Writable at once when the queue is empty: closes it then. */
	loop_set_fd_events(io->loop, io->in_fd, LOOP_WRITE);
	return 0;
}

bool
procio_stdin_open(const struct procio *io)
{
	return io->in_fd != -1 && !io->close_after_queue;
}

size_t
procio_queued(const struct procio *io)
{
	return io->len - io->head;
}

int
procio_set_winsize(struct procio *io, unsigned short rows,
    unsigned short cols)
{
	if (!io->pty || io->out_fd[STORE_STDOUT] == -1)
		return 0;
	return spawn_set_winsize(io->out_fd[STORE_STDOUT], rows, cols);
}
