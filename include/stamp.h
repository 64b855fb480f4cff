/*
 * stamp: wall-clock times for people, from the loop's monotonic clock.
 *
 * A store line carries its arrival as monotonic milliseconds (what the
 * loop reads once per turn).  stamp turns that into the wall clock with
 * an offset taken once per turn (stamp_sync), so log files, headless
 * output and the pane's time column show when a line arrived without a
 * clock read per line.
 */
#ifndef TEND_STAMP_H
#define TEND_STAMP_H

#include <stddef.h>
#include <stdint.h>

/* "2026-12-02T04:05:06.789+01:00" (local time), and its length. */
#define STAMP_ISO_LEN 29
/* "04:05:06.789" / "04:05:06" */
#define STAMP_CLOCK_MS_LEN 12
#define STAMP_CLOCK_LEN 8

/* Take the offset between the wall clock and MONO_NOW (the loop's time
 * of this turn): one CLOCK_REALTIME read. */
void stamp_sync(int64_t mono_now);
/* MONO_MS (a line's arrival) as wall-clock milliseconds since the
 * epoch; syncs first if stamp_sync was never called. */
int64_t stamp_wall(int64_t mono_ms);

/* WALL_MS as ISO 8601 local time with milliseconds and the UTC offset;
 * BUF needs STAMP_ISO_LEN + 1 bytes.  Returns the length written. */
size_t stamp_iso(int64_t wall_ms, char *buf, size_t size);
/* WALL_MS as HH:MM:SS (with .mmm when MS is set), local time. */
size_t stamp_clock(int64_t wall_ms, int ms, char *buf, size_t size);

#endif
