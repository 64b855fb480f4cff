/* Unit tests for the emulated terminal: what a pane draws, and which
 * rows become lines of the output (include/vt.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "vt.h"

#define MAX_LINES 2000

struct record {
	char lines[MAX_LINES][128];
	int n;
	char reply[256];
	size_t nreply;
	int fullscreen;		/* 1 entered, 2 left */
};

static void
on_line(void *ctx, const char *text, size_t len)
{
	struct record *r = ctx;

	if (r->n < MAX_LINES)
		snprintf(r->lines[r->n++], sizeof r->lines[0], "%.*s", (int)len,
		    text);
}

static void
on_reply(void *ctx, const char *bytes, size_t len)
{
	struct record *r = ctx;

	if (r->nreply + len < sizeof r->reply) {
		memcpy(r->reply + r->nreply, bytes, len);
		r->nreply += len;
	}
}

static void
on_fullscreen(void *ctx, bool on)
{
	struct record *r = ctx;

	r->fullscreen = on ? 1 : 2;
}

static const struct vt_events events = { on_line, on_reply, on_fullscreen };

static void
feed(struct vt *vt, const char *s)
{
	vt_write(vt, s, strlen(s));
}

/* Row ROW of the screen as text, trailing blanks left out. */
static void
row_text(const struct vt *vt, int row, char *buf, size_t size)
{
	int rows, cols, c;
	size_t n = 0;

	vt_size(vt, &rows, &cols);
	for (c = 0; c < cols && n + 1 < size; c++)
		buf[n++] = (char)vt_cell(vt, row, c)->ch;
	while (n > 0 && buf[n - 1] == ' ')
		n--;
	buf[n] = '\0';
}

static void
test_lines_once_the_cursor_leaves(void **state)
{
	struct record r = { .n = 0 };
	struct vt *vt = vt_new(5, 20, &events, &r);
	char row[32];

	(void)state;
	feed(vt, "one\r\ntwo\r\nthr");
	assert_int_equal(r.n, 2);
	assert_string_equal(r.lines[0], "one");
	assert_string_equal(r.lines[1], "two");
	row_text(vt, 2, row, sizeof row);
	assert_string_equal(row, "thr");
	assert_int_equal(vt_cursor_row(vt, row, sizeof row), 3);
	feed(vt, "ee\r\n");
	assert_int_equal(r.n, 3);
	assert_string_equal(r.lines[2], "three");
	vt_free(vt);
}

/* "line B" rewritten in place before the cursor moves on: only the new
 * text is a line. */
static void
test_rewritten_row(void **state)
{
	struct record r = { .n = 0 };
	struct vt *vt = vt_new(5, 40, &events, &r);
	char row[64];

	(void)state;
	feed(vt, "line A\r\nline B\r\n\x1b[1A\x1b[2K\rline B replaced\r\n");
	assert_int_equal(r.n, 2);
	assert_string_equal(r.lines[0], "line A");
	assert_string_equal(r.lines[1], "line B replaced");
	row_text(vt, 1, row, sizeof row);
	assert_string_equal(row, "line B replaced");
	vt_free(vt);
}

/* A progress bar redrawing its rows adds nothing until they scroll off
 * changed; a flood scrolls every line through, none lost. */
static void
test_redraws_do_not_flood(void **state)
{
	struct record r = { .n = 0 };
	struct vt *vt = vt_new(4, 20, &events, &r);
	char buf[64];
	int i;

	(void)state;
	feed(vt, "a 0\r\nb 0\r\n");
	for (i = 1; i <= 100; i++) {
		snprintf(buf, sizeof buf, "\x1b[2Aa %d\x1b[K\r\nb %d\x1b[K\r\n",
		    i, i);
		feed(vt, buf);
	}
	assert_int_equal(r.n, 2);	/* "a 0", "b 0" */
	feed(vt, "x\r\ny\r\nz\r\nw\r\n");
	/* a and b scrolled off with their last state. */
	assert_string_equal(r.lines[2], "a 100");
	assert_string_equal(r.lines[3], "b 100");
	vt_free(vt);
	memset(&r, 0, sizeof r);
	vt = vt_new(3, 10, &events, &r);
	for (i = 0; i < 400; i++) {
		snprintf(buf, sizeof buf, "%d\r\n", i);
		feed(vt, buf);
	}
	assert_int_equal(r.n, 400);
	assert_string_equal(r.lines[0], "0");
	assert_string_equal(r.lines[399], "399");
	vt_free(vt);
}

/* After the screen is cleared, what is written is new lines again. */
static void
test_clear_is_a_new_page(void **state)
{
	struct record r = { .n = 0 };
	struct vt *vt = vt_new(4, 20, &events, &r);

	(void)state;
	feed(vt, "old\r\n\x1b[2J\x1b[Hnew\r\n");
	assert_int_equal(r.n, 2);
	assert_string_equal(r.lines[1], "new");
	vt_free(vt);
}

/* A full-screen program: nothing while it runs, its last screen once
 * when it leaves, and the primary screen as it was. */
static void
test_fullscreen_snapshot(void **state)
{
	struct record r = { .n = 0 };
	struct vt *vt = vt_new(4, 20, &events, &r);
	char row[32];
	int i;

	(void)state;
	feed(vt, "$ top\r\n\x1b[?1049h");
	assert_int_equal(r.fullscreen, 1);
	assert_true(vt_fullscreen(vt));
	for (i = 0; i < 50; i++)
		feed(vt, "\x1b[HTasks: 1\r\nload 0.1\r\n");
	assert_int_equal(r.n, 1);
	feed(vt, "\x1b[?1049l");
	assert_int_equal(r.fullscreen, 2);
	assert_int_equal(r.n, 3);
	assert_string_equal(r.lines[1], "Tasks: 1");
	assert_string_equal(r.lines[2], "load 0.1");
	row_text(vt, 0, row, sizeof row);
	assert_string_equal(row, "$ top");
	vt_free(vt);
}

/* At the end, what is on the screen and was no line yet becomes one. */
static void
test_finish(void **state)
{
	struct record r = { .n = 0 };
	struct vt *vt = vt_new(4, 20, &events, &r);

	(void)state;
	feed(vt, "done\r\nprompt> ");
	vt_finish(vt);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.lines[1], "prompt>");
	vt_free(vt);
}

/* The terminal answers a cursor position query; keys are encoded. */
static void
test_replies_and_keys(void **state)
{
	struct record r = { .n = 0 };
	struct vt *vt = vt_new(10, 40, &events, &r);

	(void)state;
	feed(vt, "ab\x1b[6n");
	assert_int_equal(r.nreply, strlen("\x1b[1;3R"));
	assert_memory_equal(r.reply, "\x1b[1;3R", r.nreply);
	r.nreply = 0;
	vt_key(vt, VT_KEY_UP, 0);
	vt_char(vt, 'x', 0);
	vt_key(vt, VT_KEY_TAB, 0);
	assert_int_equal(r.nreply, 5);
	assert_memory_equal(r.reply, "\x1b[Ax\t", 5);
	r.nreply = 0;
	vt_paste(vt, true);
	assert_int_equal(r.nreply, 0);	/* not asked for: no marker */
	feed(vt, "\x1b[?2004h");
	vt_paste(vt, true);
	assert_memory_equal(r.reply, "\x1b[200~", 6);
	vt_free(vt);
}

/* Wide characters, colours, the title without its controls. */
static void
test_cells_and_title(void **state)
{
	struct record r = { .n = 0 };
	struct vt *vt = vt_new(3, 10, &events, &r);
	const struct ansi_cell *c;

	(void)state;
	feed(vt, "\x1b[31;1m\xe4\xb8\xad\x1b[0mx\x1b]2;ti\x01tle\x07");
	c = vt_cell(vt, 0, 0);
	assert_int_equal(c->ch, 0x4e2d);
	assert_int_equal(c->width, 2);
	assert_int_equal(c->style.fg, 1);
	assert_true(c->style.attr & ANSI_BOLD);
	assert_int_equal(vt_cell(vt, 0, 1)->width, 0);
	assert_int_equal(vt_cell(vt, 0, 2)->ch, 'x');
	assert_int_equal(vt_cell(vt, 0, 2)->style.fg, ANSI_DEFAULT);
	assert_string_equal(vt_title(vt), "title");
	vt_free(vt);
}

/* Resizing keeps the cursor's row in view; rows that no longer fit
 * above it leave as lines. */
static void
test_resize(void **state)
{
	struct record r = { .n = 0 };
	struct vt *vt = vt_new(5, 20, &events, &r);
	int rows, cols, cr, cc;

	(void)state;
	feed(vt, "1\r\n2\r\n3\r\n4\r\n5");
	assert_int_equal(r.n, 4);
	vt_resize(vt, 2, 8);
	vt_size(vt, &rows, &cols);
	assert_int_equal(rows, 2);
	assert_int_equal(cols, 8);
	vt_cursor(vt, &cr, &cc);
	assert_int_equal(cr, 1);
	assert_int_equal(vt_cell(vt, 1, 0)->ch, '5');
	assert_int_equal(vt_cell(vt, 0, 0)->ch, '4');
	assert_int_equal(r.n, 4);	/* 1..3 left, but were lines already */
	vt_resize(vt, 0, -3);		/* never below 1x1 */
	vt_size(vt, &rows, &cols);
	assert_int_equal(rows, 1);
	assert_int_equal(cols, 1);
	vt_free(vt);
}

/* The screen's rows as text, top to bottom, joined by '|'. */
static void
screen_text(const struct vt *vt, char *buf, size_t size)
{
	int rows, cols, r;
	size_t n = 0;

	vt_size(vt, &rows, &cols);
	buf[0] = '\0';
	for (r = 0; r < rows && n + 1 < size; r++) {
		char row[64];

		row_text(vt, r, row, sizeof row);
		n += (size_t)snprintf(buf + n, size - n, "%s%s", r ? "|" : "",
		    row);
	}
}

/* Scrolling after a flood has scrolled the screen a few times over: a
 * scroll region up and down, a reverse index at the top of the screen,
 * and a resize, each show what a terminal shows. */
static void
test_scrolls_after_a_flood(void **state)
{
	struct record r = { .n = 0 };
	struct vt *vt = vt_new(5, 20, &events, &r);
	char buf[256];
	int i;

	(void)state;
	for (i = 1; i <= 12; i++) {
		snprintf(buf, sizeof buf, "%d\r\n", i);
		feed(vt, buf);
	}
	feed(vt, "13");
	screen_text(vt, buf, sizeof buf);
	assert_string_equal(buf, "9|10|11|12|13");
	assert_int_equal(r.n, 12);
	/* Rows 2-4 scroll up within their region, then down. */
	feed(vt, "\x1b[2;4r\x1b[4;1H\nX");
	screen_text(vt, buf, sizeof buf);
	assert_string_equal(buf, "9|11|12|X|13");
	feed(vt, "\x1b[2;1H\x1bM");
	screen_text(vt, buf, sizeof buf);
	assert_string_equal(buf, "9||11|12|13");
	/* The whole screen scrolls down: the bottom row goes. */
	feed(vt, "\x1b[r\x1b[1;1H\x1bMtop");
	screen_text(vt, buf, sizeof buf);
	assert_string_equal(buf, "top|9||11|12");
	/* And up again: the top row leaves as a line, then the blank row
	 * the reverse index made, which the cursor has gone below. */
	feed(vt, "\x1b[5;1H\nend");
	screen_text(vt, buf, sizeof buf);
	assert_string_equal(buf, "9||11|12|end");
	assert_int_equal(r.n, 14);
	assert_string_equal(r.lines[12], "top");
	assert_string_equal(r.lines[13], "");
	vt_resize(vt, 3, 20);
	screen_text(vt, buf, sizeof buf);
	assert_string_equal(buf, "11|12|end");
	vt_free(vt);
}

/* A flood of rows longer and shorter than the ones before them, some
 * wide: every row comes out once, in order, as written. */
static void
test_flood_lines_in_order(void **state)
{
	static struct record r;
	struct vt *vt = vt_new(7, 30, &events, &r);
	char buf[64], want[64];
	int i;

	(void)state;
	memset(&r, 0, sizeof r);
	for (i = 0; i < 500; i++) {
		if (i % 3 == 0)
			snprintf(buf, sizeof buf, "%d \xe4\xb8\xad wide\r\n", i);
		else
			snprintf(buf, sizeof buf, "%d%.*s\r\n", i, i % 20,
			    "....................");
		feed(vt, buf);
	}
	vt_finish(vt);
	assert_int_equal(r.n, 500);
	for (i = 0; i < 500; i++) {
		if (i % 3 == 0)
			snprintf(want, sizeof want, "%d \xe4\xb8\xad wide", i);
		else
			snprintf(want, sizeof want, "%d%.*s", i, i % 20,
			    "....................");
		assert_string_equal(r.lines[i], want);
	}
	vt_free(vt);
}

static bool
same_cell(const struct ansi_cell *x, const struct ansi_cell *y)
{
	return x->ch == y->ch && x->combining[0] == y->combining[0] &&
	    x->combining[1] == y->combining[1] && x->width == y->width &&
	    x->style.fg == y->style.fg && x->style.bg == y->style.bg &&
	    x->style.attr == y->style.attr;
}

/* Plain output (printable ASCII, CR, LF) has a short way through the
 * terminal: it must end exactly as libvterm's long way does, which the
 * same output takes after an SGR reset (a sequence that changes nothing
 * shown).  Lines short, empty, as wide as the screen and wider, a
 * progress line rewritten after CR, a shorter line over a longer one,
 * and chunks cut anywhere. */
static void
test_plain_output_as_libvterm_has_it(void **state)
{
	static struct record a, b;
	static char out[64 * 1024];
	struct vt *va, *vb;
	size_t n = 0, off, chunk;
	int i, r, c, ra, ca, rb, cb;

	(void)state;
	for (i = 0; i < 700; i++) {
		switch (i % 7) {
		case 0: n += (size_t)snprintf(out + n, sizeof out - n, "%d\r\n", i); break;
		case 1: n += (size_t)snprintf(out + n, sizeof out - n, "\r\n"); break;
		case 2: n += (size_t)snprintf(out + n, sizeof out - n,
			    "%-19d|\r\n", i); break;	/* 20: the width */
		case 3: n += (size_t)snprintf(out + n, sizeof out - n,
			    "%-25d wraps\r\n", i); break;
		case 4: n += (size_t)snprintf(out + n, sizeof out - n,
			    "%d%%\r%d%% done\r\n", i, i + 1); break;
		case 5: n += (size_t)snprintf(out + n, sizeof out - n,
			    "longer %d\rshort\r\n", i); break;
		default: n += (size_t)snprintf(out + n, sizeof out - n,
			    "line %d\n", i); break;	/* LF alone */
		}
	}
	n += (size_t)snprintf(out + n, sizeof out - n, "the last, unfinished");
	for (chunk = 1; chunk <= 4096; chunk = chunk * 3 + 1) {
		memset(&a, 0, sizeof a);
		memset(&b, 0, sizeof b);
		va = vt_new(6, 20, &events, &a);
		vb = vt_new(6, 20, &events, &b);
		feed(vb, "\x1b[m");
		for (off = 0; off < n; off += chunk) {
			vt_write(va, out + off, n - off < chunk ? n - off : chunk);
			vt_write(vb, out + off, n - off < chunk ? n - off : chunk);
		}
		for (r = 0; r < 6; r++) {
			for (c = 0; c < 20; c++)
				assert_true(same_cell(vt_cell(va, r, c),
				    vt_cell(vb, r, c)));
		}
		vt_cursor(va, &ra, &ca);
		vt_cursor(vb, &rb, &cb);
		assert_int_equal(ra, rb);
		assert_int_equal(ca, cb);
		vt_finish(va);
		vt_finish(vb);
		assert_true(a.n > 600);
		assert_int_equal(a.n, b.n);
		for (i = 0; i < a.n; i++)
			assert_string_equal(a.lines[i], b.lines[i]);
		vt_free(va);
		vt_free(vb);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_once_the_cursor_leaves),
		cmocka_unit_test(test_rewritten_row),
		cmocka_unit_test(test_redraws_do_not_flood),
		cmocka_unit_test(test_clear_is_a_new_page),
		cmocka_unit_test(test_fullscreen_snapshot),
		cmocka_unit_test(test_finish),
		cmocka_unit_test(test_replies_and_keys),
		cmocka_unit_test(test_cells_and_title),
		cmocka_unit_test(test_resize),
		cmocka_unit_test(test_scrolls_after_a_flood),
		cmocka_unit_test(test_flood_lines_in_order),
		cmocka_unit_test(test_plain_output_as_libvterm_has_it),
	};

	return cmocka_run_group_tests_name("vt", tests, NULL, NULL);
}
