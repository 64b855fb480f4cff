/*
 * loop: one poll() loop for the whole of tend.
 *
 * Owns the fd watcher table, the pending timers, the self-pipe that turns
 * signals into readable bytes, and the turn itself: run the before-sleep
 * hook, poll until the nearest timer, dispatch ready fds, run due timers,
 * deliver signals.  LOOP_BATCH fds are left out of the poll set while
 * they rest (see loop.h).
 */
#define _GNU_SOURCE
#include "loop.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct loop_watcher {
	loop_fd_fn fn;
	void *data;
	int events;
	unsigned gen;		/* bumped on every add/del, to spot reuse */
	bool active;
};

/* A timer lives in a slot; its id is the slot's generation (high 32
 * bits) and the slot's index + 1 (low 32), so deleting by id finds it at
 * once and a stale id (the slot reused since) is ignored. */
struct loop_timer {
	int64_t when;
	uint64_t seq;		/* order among timers due at the same time */
	loop_timer_fn fn;
	void *data;
	uint32_t gen;
	uint32_t heap_pos;	/* in `heap`; UINT32_MAX: free slot */
	uint32_t next_free;
};

struct loop_signal {
	loop_signal_fn fn;
	void *data;
};

struct loop {
	struct loop_watcher *watchers;	/* indexed by fd */
	int nwatchers;
	struct pollfd *pfds;		/* rebuilt when `pfds_stale`: the
					   LOOP_BATCH fds last, so a rest
					   polls only the first `npfds_awake` */
	unsigned *pfd_gens;
	int npfds, npfds_awake;
	bool pfds_stale;
	int64_t rest_until;		/* LOOP_BATCH fds rest until then; 0: not */

	struct loop_timer *timers;	/* slots */
	uint32_t ntimer_slots, free_timer;	/* free list, UINT32_MAX: empty */
	uint32_t *heap;			/* slot indices, a min-heap on
					   (when, seq) */
	uint32_t nheap;
	uint64_t next_seq;

	struct loop_signal signals[NSIG];
	int sigpipe[2];

	loop_hook_fn before_sleep;
	void *before_sleep_data;
	bool stopping;

	int64_t now;			/* this turn's time */
	int64_t (*clock)(void *);	/* NULL: CLOCK_MONOTONIC */
	void *clock_ctx;
};

/* Written by the signal handler, read by the loop. */
static volatile sig_atomic_t loop_signal_pending[NSIG];
static int loop_signal_fd = -1;

int64_t
loop_monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t
loop_clock(const struct loop *loop)
{
	return loop->clock != NULL ? loop->clock(loop->clock_ctx) :
	    loop_monotonic_ms();
}

int64_t
loop_now(const struct loop *loop)
{
	return loop->now;
}

void
loop_set_clock(struct loop *loop, int64_t (*fn)(void *), void *ctx)
{
	loop->clock = fn;
	loop->clock_ctx = ctx;
	loop->now = loop_clock(loop);
}

static void
loop_signal_handler(int signo)
{
	int saved = errno;

	loop_signal_pending[signo] = 1;
	/* A full pipe already guarantees a wake-up; the byte may be dropped. */
	if (write(loop_signal_fd, "", 1) == -1) {
		/* nothing to do: see above */
	}
	errno = saved;
}

static void
loop_signal_readable(struct loop *loop, int fd, int events, void *data)
{
	char buf[256];
	int signo;

	(void)events;
	(void)data;
	while (read(fd, buf, sizeof buf) > 0)
		;
	for (signo = 1; signo < NSIG; signo++) {
		if (!loop_signal_pending[signo])
			continue;
		loop_signal_pending[signo] = 0;
		if (loop->signals[signo].fn != NULL)
			loop->signals[signo].fn(loop, signo,
			    loop->signals[signo].data);
	}
}

struct loop *
loop_new(void)
{
	struct loop *loop;

	loop = calloc(1, sizeof *loop);
	if (loop == NULL)
		return NULL;
	loop->free_timer = UINT32_MAX;
	loop->now = loop_monotonic_ms();
	if (pipe2(loop->sigpipe, O_CLOEXEC | O_NONBLOCK) == -1) {
		free(loop);
		return NULL;
	}
	loop_signal_fd = loop->sigpipe[1];
	if (loop_add_fd(loop, loop->sigpipe[0], LOOP_READ,
	    loop_signal_readable, NULL) == -1) {
		loop_free(loop);
		return NULL;
	}
	return loop;
}

void
loop_free(struct loop *loop)
{
	struct sigaction sa;
	int signo;

	if (loop == NULL)
		return;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	for (signo = 1; signo < NSIG; signo++) {
		if (loop->signals[signo].fn != NULL)
			sigaction(signo, &sa, NULL);
	}
	loop_signal_fd = -1;
	close(loop->sigpipe[0]);
	close(loop->sigpipe[1]);
	free(loop->watchers);
	free(loop->pfds);
	free(loop->pfd_gens);
	free(loop->timers);
	free(loop->heap);
	free(loop);
}

static int
loop_grow_watchers(struct loop *loop, int fd)
{
	struct loop_watcher *w;
	int n;

	if (fd < loop->nwatchers)
		return 0;
	n = loop->nwatchers ? loop->nwatchers : 64;
	while (n <= fd)
		n *= 2;
	w = realloc(loop->watchers, (size_t)n * sizeof *w);
	if (w == NULL)
		return -1;
	memset(w + loop->nwatchers, 0,
	    (size_t)(n - loop->nwatchers) * sizeof *w);
	loop->watchers = w;
	loop->nwatchers = n;
	return 0;
}

int
loop_add_fd(struct loop *loop, int fd, int events, loop_fd_fn fn, void *data)
{
	struct loop_watcher *w;

	if (fd < 0 || loop_grow_watchers(loop, fd) == -1) {
		errno = fd < 0 ? EBADF : ENOMEM;
		return -1;
	}
	w = &loop->watchers[fd];
	w->fn = fn;
	w->data = data;
	w->events = events;
	w->active = true;
	w->gen++;
	loop->pfds_stale = true;
	return 0;
}

void
loop_set_fd_events(struct loop *loop, int fd, int events)
{
	if (fd < 0 || fd >= loop->nwatchers || !loop->watchers[fd].active)
		return;
	if (loop->watchers[fd].events != events) {
		loop->watchers[fd].events = events;
		loop->pfds_stale = true;
	}
}

void
loop_del_fd(struct loop *loop, int fd)
{
	if (fd < 0 || fd >= loop->nwatchers || !loop->watchers[fd].active)
		return;
	loop->watchers[fd].active = false;
	loop->watchers[fd].gen++;
	loop->pfds_stale = true;
}

/* Append the watched fds that are (BATCH true) or are not LOOP_BATCH. */
static int
loop_fill_pfds(struct loop *loop, int n, bool batch)
{
	int fd;

	for (fd = 0; fd < loop->nwatchers; fd++) {
		struct loop_watcher *w = &loop->watchers[fd];

		if (!w->active || w->events == 0 ||
		    ((w->events & LOOP_BATCH) != 0) != batch)
			continue;
		loop->pfds[n].fd = fd;
		loop->pfds[n].events = (short)(
		    ((w->events & LOOP_READ) ? POLLIN : 0) |
		    ((w->events & LOOP_WRITE) ? POLLOUT : 0));
		loop->pfds[n].revents = 0;
		loop->pfd_gens[n] = w->gen;
		n++;
	}
	return n;
}

static int
loop_rebuild_pfds(struct loop *loop)
{
	struct pollfd *pfds;
	unsigned *gens;

	pfds = realloc(loop->pfds, (size_t)loop->nwatchers * sizeof *pfds);
	if (pfds == NULL && loop->nwatchers > 0)
		return -1;
	loop->pfds = pfds;
	gens = realloc(loop->pfd_gens, (size_t)loop->nwatchers * sizeof *gens);
	if (gens == NULL && loop->nwatchers > 0)
		return -1;
	loop->pfd_gens = gens;
	loop->npfds_awake = loop_fill_pfds(loop, 0, false);
	loop->npfds = loop_fill_pfds(loop, loop->npfds_awake, true);
	loop->pfds_stale = false;
	return 0;
}

static bool
loop_timer_before(const struct loop *loop, uint32_t a, uint32_t b)
{
	const struct loop_timer *x = &loop->timers[a], *y = &loop->timers[b];

	return x->when < y->when || (x->when == y->when && x->seq < y->seq);
}

static void
loop_heap_set(struct loop *loop, uint32_t pos, uint32_t slot)
{
	loop->heap[pos] = slot;
	loop->timers[slot].heap_pos = pos;
}

static void
loop_heap_up(struct loop *loop, uint32_t pos)
{
	uint32_t slot = loop->heap[pos];

	while (pos > 0 && loop_timer_before(loop, slot,
	    loop->heap[(pos - 1) / 2])) {
		loop_heap_set(loop, pos, loop->heap[(pos - 1) / 2]);
		pos = (pos - 1) / 2;
	}
	loop_heap_set(loop, pos, slot);
}

static void
loop_heap_down(struct loop *loop, uint32_t pos)
{
	uint32_t slot = loop->heap[pos], child;

	while ((child = 2 * pos + 1) < loop->nheap) {
		if (child + 1 < loop->nheap && loop_timer_before(loop,
		    loop->heap[child + 1], loop->heap[child]))
			child++;
		if (!loop_timer_before(loop, loop->heap[child], slot))
			break;
		loop_heap_set(loop, pos, loop->heap[child]);
		pos = child;
	}
	loop_heap_set(loop, pos, slot);
}

/* Take SLOT's timer out of the heap and free the slot (its id goes
 * stale). */
static void
loop_timer_remove(struct loop *loop, uint32_t slot)
{
	struct loop_timer *t = &loop->timers[slot];
	uint32_t pos = t->heap_pos, last = loop->heap[--loop->nheap];

	if (pos != loop->nheap) {
		loop_heap_set(loop, pos, last);
		loop_heap_down(loop, pos);
		loop_heap_up(loop, loop->timers[last].heap_pos);
	}
	t->heap_pos = UINT32_MAX;
	t->gen++;
	t->next_free = loop->free_timer;
	loop->free_timer = slot;
}

/* Room for one more timer: slots and heap grow together. */
static int
loop_grow_timers(struct loop *loop)
{
	uint32_t n = loop->ntimer_slots ? loop->ntimer_slots * 2 : 16, i;
	struct loop_timer *t;
	uint32_t *h;

	if (loop->free_timer != UINT32_MAX)
		return 0;
	if (loop->ntimer_slots >= UINT32_MAX / 4)
		return -1;
	t = realloc(loop->timers, n * sizeof *t);
	if (t == NULL)
		return -1;
	loop->timers = t;
	h = realloc(loop->heap, n * sizeof *h);
	if (h == NULL)
		return -1;
	loop->heap = h;
	for (i = n; i-- > loop->ntimer_slots;) {
		t[i].gen = 1;
		t[i].heap_pos = UINT32_MAX;
		t[i].next_free = loop->free_timer;
		loop->free_timer = i;
	}
	loop->ntimer_slots = n;
	return 0;
}

uint64_t
loop_add_timer(struct loop *loop, int64_t ms, loop_timer_fn fn, void *data)
{
	struct loop_timer *t;
	uint32_t slot;

	if (loop_grow_timers(loop) == -1)
		return 0;
	slot = loop->free_timer;
	t = &loop->timers[slot];
	loop->free_timer = t->next_free;
	t->when = loop->now + (ms > 0 ? ms : 0);
	t->seq = loop->next_seq++;
	t->fn = fn;
	t->data = data;
	loop->heap[loop->nheap] = slot;
	loop_heap_up(loop, loop->nheap++);
	return (uint64_t)t->gen << 32 | (slot + 1);
}

void
loop_del_timer(struct loop *loop, uint64_t id)
{
	uint32_t slot = (uint32_t)id - 1, gen = (uint32_t)(id >> 32);

	if ((uint32_t)id == 0 || slot >= loop->ntimer_slots ||
	    loop->timers[slot].gen != gen ||
	    loop->timers[slot].heap_pos == UINT32_MAX)
		return;
	loop_timer_remove(loop, slot);
}

int
loop_watch_signal(struct loop *loop, int signo, loop_signal_fn fn, void *data)
{
	struct sigaction sa;

	if (signo <= 0 || signo >= NSIG)
		return -1;
	loop->signals[signo].fn = fn;
	loop->signals[signo].data = data;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = loop_signal_handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	return sigaction(signo, &sa, NULL);
}

void
loop_set_before_sleep(struct loop *loop, loop_hook_fn fn, void *data)
{
	loop->before_sleep = fn;
	loop->before_sleep_data = data;
}

void
loop_stop(struct loop *loop)
{
	loop->stopping = true;
}

/* Milliseconds until the nearest timer or the end of the batch rest: the
 * poll timeout (-1: none). */
static int
loop_next_timeout(struct loop *loop)
{
	int64_t nearest = loop->rest_until ? loop->rest_until : INT64_MAX, now;

	if (loop->nheap == 0 && loop->rest_until == 0)
		return -1;
	if (loop->nheap > 0 && loop->timers[loop->heap[0]].when < nearest)
		nearest = loop->timers[loop->heap[0]].when;
	now = loop_clock(loop);
	if (nearest <= now)
		return 0;
	return nearest - now > INT32_MAX ? INT32_MAX : (int)(nearest - now);
}

/* Run the timers due now, earliest first; timers added meanwhile wait for
 * the next turn, so a timer that re-arms itself at 0 ms cannot spin here.
 * (Those are set at this turn's time or later, and sort after every
 * earlier timer due now.) */
static void
loop_run_timers(struct loop *loop)
{
	uint64_t limit = loop->next_seq;

	while (loop->nheap > 0) {
		uint32_t slot = loop->heap[0];
		struct loop_timer *t = &loop->timers[slot];
		loop_timer_fn fn = t->fn;
		void *data = t->data;

		if (t->when > loop->now || t->seq >= limit)
			return;
		loop_timer_remove(loop, slot);
		fn(loop, data);
	}
}

/* The batch fds rest after one of them was served, and come back when
 * the rest is over. */
static void
loop_update_rest(struct loop *loop, bool batch_served)
{
	int64_t now = loop->now;

	if (loop->rest_until != 0 && now >= loop->rest_until)
		loop->rest_until = 0;
	if (batch_served && loop->rest_until == 0)
		loop->rest_until = now + LOOP_BATCH_MS;
}

/* Returns true if a LOOP_BATCH fd was served. */
static bool
loop_dispatch_fds(struct loop *loop, int npfds)
{
	bool batch_served = false;
	int i;

	for (i = 0; i < npfds; i++) {
		struct pollfd *p = &loop->pfds[i];
		struct loop_watcher *w;
		int events = 0;

		if (p->revents == 0)
			continue;
		w = &loop->watchers[p->fd];
		/* Removed or replaced by an earlier callback this turn. */
		if (!w->active || w->gen != loop->pfd_gens[i])
			continue;
		if (p->revents & POLLIN)
			events |= LOOP_READ;
		if (p->revents & POLLOUT)
			events |= LOOP_WRITE;
		if (p->revents & (POLLHUP | POLLERR | POLLNVAL))
			events |= LOOP_ERROR | (w->events & LOOP_READ) |
			    (w->events & LOOP_WRITE);
		if (p->revents & POLLNVAL) {
			/* Closed without loop_del_fd(): stop polling it. */
			w->active = false;
			loop->pfds_stale = true;
		}
		if ((w->events & LOOP_BATCH) && (p->revents & POLLIN))
			batch_served = true;
		w->fn(loop, p->fd, events, w->data);
	}
	return batch_served;
}

bool
loop_stopping(const struct loop *loop)
{
	return loop->stopping;
}

int
loop_run_once(struct loop *loop, int max_ms)
{
	int n, npfds, timeout;

	if (loop->before_sleep != NULL)
		loop->before_sleep(loop, loop->before_sleep_data);
	if (loop->stopping)
		return 0;
	if (loop->pfds_stale && loop_rebuild_pfds(loop) == -1)
		return -1;
	npfds = loop->rest_until != 0 ? loop->npfds_awake : loop->npfds;
	timeout = loop_next_timeout(loop);
	if (max_ms >= 0 && (timeout == -1 || timeout > max_ms))
		timeout = max_ms;
	n = poll(loop->pfds, (nfds_t)npfds, timeout);
	if (n == -1 && errno != EINTR)
		return -1;
	loop->now = loop_clock(loop);
	loop_update_rest(loop, n > 0 && loop_dispatch_fds(loop, npfds));
	loop_run_timers(loop);
	return 0;
}

int
loop_run(struct loop *loop)
{
	loop->stopping = false;
	loop->now = loop_clock(loop);
	while (!loop->stopping) {
		if (loop_run_once(loop, -1) == -1)
			return -1;
	}
	return 0;
}
