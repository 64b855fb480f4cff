/* Unit tests for the poll loop: fd watchers, timers, signals, stop. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
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

/* Timers are set from the loop's time, which is read when the loop is
 * made and then once per turn: t0 is read before the loop is made, so
 * no timer can be due sooner than the test expects. */
static void
test_timers_fire_in_time_order(void **state)
{
	int64_t t0 = loop_monotonic_ms();
	struct loop *loop = loop_new();
	struct record r = { .n = 0 };

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
	struct batchrec b = { .t0 = loop_monotonic_ms() };	/* see above */
	struct loop *loop = loop_new();
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
		cmocka_unit_test(test_fd_readable_and_hangup),
		cmocka_unit_test(test_paused_watcher_not_called),
		cmocka_unit_test(test_signal_through_self_pipe),
		cmocka_unit_test(test_before_sleep_runs_each_turn),
		cmocka_unit_test(test_batch_fds_rest_together),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
