/* Unit tests for the poll loop: fd watchers, timers, signals, stop. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <cmocka.h>

#include "loop.h"

struct record {
	char order[16];
	int n;
	struct loop *loop;
	uint64_t other;
};

static void
timer_mark(struct loop *loop, void *data)
{
	struct record *r = data;

	(void)loop;
	r->order[r->n++] = 'T';
}

static void
timer_a(struct loop *loop, void *data)
{
	struct record *r = data;

	(void)loop;
	r->order[r->n++] = 'a';
}

static void
timer_b(struct loop *loop, void *data)
{
	struct record *r = data;

	(void)loop;
	r->order[r->n++] = 'b';
}

static void
timer_stop(struct loop *loop, void *data)
{
	struct record *r = data;

	r->order[r->n++] = 's';
	loop_stop(loop);
}

static void
test_timers_fire_in_time_order(void **state)
{
	struct loop *loop = loop_new();
	struct record r = { .n = 0 };
	int64_t t0 = loop_now(loop);	/* what the timers count from */

	(void)state;
	loop_add_timer(loop, 30, timer_b, &r);
	loop_add_timer(loop, 10, timer_a, &r);
	loop_add_timer(loop, 50, timer_stop, &r);
	assert_int_equal(loop_run(loop), 0);
	r.order[r.n] = '\0';
	assert_string_equal(r.order, "abs");
	assert_true(loop_monotonic_ms() - t0 >= 50);
	loop_free(loop);
}

static void
test_deleted_timer_does_not_fire(void **state)
{
	struct loop *loop = loop_new();
	struct record r = { .n = 0 };
	uint64_t id;

	(void)state;
	id = loop_add_timer(loop, 5, timer_mark, &r);
	assert_true(id != 0);
	loop_add_timer(loop, 20, timer_stop, &r);
	loop_del_timer(loop, id);
	loop_del_timer(loop, 0);	/* ignored */
	loop_run(loop);
	r.order[r.n] = '\0';
	assert_string_equal(r.order, "s");
	loop_free(loop);
}

static void
rearm_zero(struct loop *loop, void *data)
{
	struct record *r = data;

	r->order[r->n++] = 'z';
	if (r->n < 5)
		loop_add_timer(loop, 0, rearm_zero, r);
	else
		loop_stop(loop);
}

/* A timer that re-arms itself at 0 ms runs once per turn, not forever
 * within one turn. */
static void
test_zero_timer_rearm_terminates(void **state)
{
	struct loop *loop = loop_new();
	struct record r = { .n = 0 };

	(void)state;
	loop_add_timer(loop, 0, rearm_zero, &r);
	loop_run(loop);
	assert_int_equal(r.n, 5);
	loop_free(loop);
}

/* Many timers, added in a scrambled order and some deleted, fire in
 * time order (ties in the order they were added), each once, in the
 * turn they are due; ids of fired or deleted timers are stale. */
struct many {
	int64_t clock;
	int fired[2000];
	int64_t when[2000];
	int nfired;
	int64_t last_when;
	int last_index;
	bool out_of_order, late;
	struct loop *loop;
};

static struct many *many_ctx;

static int64_t
many_clock(void *ctx)
{
	return ((struct many *)ctx)->clock;
}

static void
many_fire(struct loop *loop, void *data)
{
	int i = (int)(intptr_t)data;
	struct many *m = many_ctx;

	if (m->when[i] < m->last_when ||
	    (m->when[i] == m->last_when && i < m->last_index))
		m->out_of_order = true;
	if (loop_now(loop) != m->when[i])
		m->late = true;
	m->last_when = m->when[i];
	m->last_index = i;
	m->fired[i]++;
	m->nfired++;
}

static void
test_many_timers_in_order_and_deleted(void **state)
{
	static struct many m;
	uint64_t ids[2000];
	struct loop *loop = loop_new();
	int i, expect = 0;

	(void)state;
	memset(&m, 0, sizeof m);
	many_ctx = &m;
	m.last_index = -1;
	loop_set_clock(loop, many_clock, &m);
	/* Added in index order, so for equal times index order is add order. */
	for (i = 0; i < 2000; i++) {
		m.when[i] = (i * 7919) % 500 + 1;	/* scrambled, with ties */
		ids[i] = loop_add_timer(loop, m.when[i], many_fire,
		    (void *)(intptr_t)i);
		assert_true(ids[i] != 0);
	}
	for (i = 0; i < 2000; i += 3)
		loop_del_timer(loop, ids[i]);
	loop_del_timer(loop, ids[0]);	/* twice: ignored */
	for (m.clock = 1; m.clock <= 501; m.clock++)
		loop_run_once(loop, 0);
	for (i = 0; i < 2000; i++) {
		assert_int_equal(m.fired[i], i % 3 == 0 ? 0 : 1);
		expect += i % 3 != 0;
	}
	assert_int_equal(m.nfired, expect);
	assert_false(m.out_of_order);
	assert_false(m.late);
	/* A deleted timer's id is stale once its slot is reused (the last
	 * slot freed is the next one taken). */
	m.when[1] = m.clock + 5;
	ids[1] = loop_add_timer(loop, 5, many_fire, (void *)(intptr_t)1);
	loop_del_timer(loop, ids[1]);
	ids[2] = loop_add_timer(loop, 5, many_fire, (void *)(intptr_t)1);
	assert_true(ids[2] != ids[1]);
	loop_del_timer(loop, ids[1]);
	m.clock += 5;
	loop_run_once(loop, 0);
	assert_int_equal(m.fired[1], 2);
	loop_free(loop);
}

struct fdrec {
	int reads;
	char got[64];
	size_t len;
};

static void
on_readable(struct loop *loop, int fd, int events, void *data)
{
	struct fdrec *f = data;
	ssize_t n;

	assert_true(events & LOOP_READ);
	n = read(fd, f->got + f->len, sizeof f->got - f->len - 1);
	if (n > 0)
		f->len += (size_t)n;
	f->reads++;
	if (n <= 0) {
		loop_del_fd(loop, fd);
		loop_stop(loop);
	}
}

static void
test_fd_readable_and_hangup(void **state)
{
	struct loop *loop = loop_new();
	struct fdrec f;
	int p[2];

	(void)state;
	memset(&f, 0, sizeof f);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], "hello", 5), 5);
	close(p[1]);
	assert_int_equal(loop_add_fd(loop, p[0], LOOP_READ, on_readable, &f), 0);
	loop_run(loop);
	f.got[f.len] = '\0';
	assert_string_equal(f.got, "hello");
	assert_int_equal(f.reads, 2);	/* the data, then end of file */
	close(p[0]);
	loop_free(loop);
}

static void
on_never(struct loop *loop, int fd, int events, void *data)
{
	(void)loop;
	(void)fd;
	(void)events;
	(void)data;
	fail_msg("a paused watcher was called");
}

static void
test_paused_watcher_not_called(void **state)
{
	struct loop *loop = loop_new();
	struct record r = { .n = 0 };
	int p[2];

	(void)state;
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], "x", 1), 1);
	loop_add_fd(loop, p[0], LOOP_READ, on_never, NULL);
	loop_set_fd_events(loop, p[0], 0);
	loop_add_timer(loop, 20, timer_stop, &r);
	loop_run(loop);
	assert_int_equal(r.n, 1);
	close(p[0]);
	close(p[1]);
	loop_free(loop);
}

static int signals_seen;

static void
on_signal(struct loop *loop, int signo, void *data)
{
	(void)data;
	assert_int_equal(signo, SIGUSR1);
	signals_seen++;
	loop_stop(loop);
}

static void
raise_usr1(struct loop *loop, void *data)
{
	(void)loop;
	(void)data;
	raise(SIGUSR1);
}

static void
test_signal_through_self_pipe(void **state)
{
	struct loop *loop = loop_new();

	(void)state;
	signals_seen = 0;
	assert_int_equal(loop_watch_signal(loop, SIGUSR1, on_signal, NULL), 0);
	loop_add_timer(loop, 5, raise_usr1, NULL);
	loop_run(loop);
	assert_int_equal(signals_seen, 1);
	loop_free(loop);
}

static int hook_calls;

static void
count_hook(struct loop *loop, void *data)
{
	(void)loop;
	(void)data;
	hook_calls++;
}

static void
test_before_sleep_runs_each_turn(void **state)
{
	struct loop *loop = loop_new();
	struct record r = { .n = 0 };

	(void)state;
	hook_calls = 0;
	loop_set_before_sleep(loop, count_hook, NULL);
	loop_add_timer(loop, 1, timer_mark, &r);
	loop_add_timer(loop, 15, timer_stop, &r);
	loop_run(loop);
	assert_true(hook_calls >= 2);
	loop_free(loop);
}

/* Batch fds: a pipe that was served rests for LOOP_BATCH_MS with the
 * other batch fds, and is then read with them; a plain fd is read at
 * once all the while. */
struct batchrec {
	int64_t t0;
	int64_t batch_at[8];	/* when each batch read happened */
	int nbatch;
	int64_t plain_at;
	int batch_fd[2], plain_fd;
};

static void
on_batch(struct loop *loop, int fd, int events, void *data)
{
	struct batchrec *b = data;
	char buf[64];

	(void)loop;
	(void)events;
	if (read(fd, buf, sizeof buf) > 0 && b->nbatch < 8)
		b->batch_at[b->nbatch++] = loop_monotonic_ms() - b->t0;
}

static void
on_plain(struct loop *loop, int fd, int events, void *data)
{
	struct batchrec *b = data;
	char buf[64];

	(void)loop;
	(void)events;
	if (read(fd, buf, sizeof buf) > 0)
		b->plain_at = loop_monotonic_ms() - b->t0;
}

static void
write_second(struct loop *loop, void *data)
{
	struct batchrec *b = data;

	(void)loop;
	/* Both written 5 ms into the rest that the first read began. */
	assert_int_equal(write(b->batch_fd[1], "y", 1), 1);
	assert_int_equal(write(b->plain_fd, "p", 1), 1);
}

static void
test_batch_fds_rest_together(void **state)
{
	struct loop *loop = loop_new();
	struct batchrec b = { .nbatch = 0 };
	int p1[2], p2[2], p3[2];

	(void)state;
	assert_int_equal(pipe2(p1, O_NONBLOCK), 0);
	assert_int_equal(pipe2(p2, O_NONBLOCK), 0);
	assert_int_equal(pipe2(p3, O_NONBLOCK), 0);
	b.batch_fd[0] = p1[1];
	b.batch_fd[1] = p2[1];
	b.plain_fd = p3[1];
	loop_add_fd(loop, p1[0], LOOP_READ | LOOP_BATCH, on_batch, &b);
	loop_add_fd(loop, p2[0], LOOP_READ | LOOP_BATCH, on_batch, &b);
	loop_add_fd(loop, p3[0], LOOP_READ, on_plain, &b);
	b.t0 = loop_now(loop);	/* what the timers count from */
	assert_int_equal(write(p1[1], "x", 1), 1);
	loop_add_timer(loop, 5, write_second, &b);
	loop_add_timer(loop, 3 * LOOP_BATCH_MS, timer_stop,
	    &(struct record){ .n = 0 });
	loop_run(loop);
	assert_int_equal(b.nbatch, 2);
	/* The second batch fd waited for the rest to end; the plain fd,
	 * written at the same time, did not wait for it. */
	assert_true(b.batch_at[1] >= LOOP_BATCH_MS);
	assert_true(b.plain_at >= 5 && b.plain_at <= b.batch_at[1]);
	close(p1[0]); close(p1[1]); close(p2[0]); close(p2[1]);
	close(p3[0]); close(p3[1]);
	loop_free(loop);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timers_fire_in_time_order),
		cmocka_unit_test(test_deleted_timer_does_not_fire),
		cmocka_unit_test(test_zero_timer_rearm_terminates),
		cmocka_unit_test(test_many_timers_in_order_and_deleted),
		cmocka_unit_test(test_fd_readable_and_hangup),
		cmocka_unit_test(test_paused_watcher_not_called),
		cmocka_unit_test(test_signal_through_self_pipe),
		cmocka_unit_test(test_before_sleep_runs_each_turn),
		cmocka_unit_test(test_batch_fds_rest_together),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
