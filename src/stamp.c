/*
 * stamp: owns the offset from the loop's monotonic clock to the wall
 * clock and the formats times are shown in (ISO 8601 for log files,
 * HH:MM:SS for people).  localtime_r is the costly part, so the broken
 * down time of the last second formatted is kept: a flood of lines in
 * one second converts it once.
 */
#define _GNU_SOURCE
#include "stamp.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static int64_t stamp_offset;	/* wall - monotonic, in ms */
static bool stamp_synced;

/* The last second converted: its struct tm, for both formats. */
static time_t stamp_cached_sec = (time_t)-1;
static struct tm stamp_cached_tm;

void
stamp_sync(int64_t mono_now)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	stamp_offset = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 -
	    mono_now;
	stamp_synced = true;
}

int64_t
stamp_wall(int64_t mono_ms)
{
	if (!stamp_synced) {
		struct timespec ts;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		stamp_sync((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
	}
	return mono_ms + stamp_offset;
}

/* The local broken-down time of WALL_MS, and its milliseconds in *MS
 * (a time before the epoch rounds down, not toward 0). */
static const struct tm *
stamp_tm(int64_t wall_ms, int *ms)
{
	int64_t sec = wall_ms / 1000, rem = wall_ms % 1000;

	if (rem < 0) {
		rem += 1000;
		sec--;
	}
	*ms = (int)rem;
	if ((time_t)sec != stamp_cached_sec) {
		time_t t = (time_t)sec;

		if (localtime_r(&t, &stamp_cached_tm) == NULL)
			memset(&stamp_cached_tm, 0, sizeof stamp_cached_tm);
		stamp_cached_sec = t;
	}
	return &stamp_cached_tm;
}

/* The lines of one read share their arrival time, so the last stamp
 * made is kept: a flood written to its log formats one a millisecond,
 * not one a line (snprintf was two thirds of a logged flood's CPU). */
static int64_t stamp_iso_ms = INT64_MIN;
static char stamp_iso_text[STAMP_ISO_LEN + 1];
static size_t stamp_iso_len;

size_t
stamp_iso(int64_t wall_ms, char *buf, size_t size)
{
	size_t n;

	if (wall_ms != stamp_iso_ms) {
		int ms, k;
		const struct tm *tm = stamp_tm(wall_ms, &ms);
		long off = tm->tm_gmtoff / 60;	/* minutes east of UTC */
		char sign = off < 0 ? '-' : '+';

		if (off < 0)
			off = -off;
		k = snprintf(stamp_iso_text, sizeof stamp_iso_text,
		    "%04d-%02d-%02dT%02d:%02d:%02d.%03d%c%02ld:%02ld",
		    tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday,
		    tm->tm_hour, tm->tm_min, tm->tm_sec, ms, sign, off / 60,
		    off % 60);
		stamp_iso_len = k < 0 ? 0 : (size_t)k < sizeof stamp_iso_text ?
		    (size_t)k : sizeof stamp_iso_text - 1;
		stamp_iso_ms = wall_ms;
	}
	if (size == 0)
		return 0;
	n = stamp_iso_len < size ? stamp_iso_len : size - 1;
	memcpy(buf, stamp_iso_text, n);
	buf[n] = '\0';
	return n;
}

size_t
stamp_clock(int64_t wall_ms, int with_ms, char *buf, size_t size)
{
	int ms, n;
	const struct tm *tm = stamp_tm(wall_ms, &ms);

	if (with_ms)
		n = snprintf(buf, size, "%02d:%02d:%02d.%03d", tm->tm_hour,
		    tm->tm_min, tm->tm_sec, ms);
	else
		n = snprintf(buf, size, "%02d:%02d:%02d", tm->tm_hour,
		    tm->tm_min, tm->tm_sec);
	if (n < 0)
		return 0;
	return (size_t)n < size ? (size_t)n : size > 0 ? size - 1 : 0;
}
