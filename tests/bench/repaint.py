#!/usr/bin/env python3
"""repaint.py FRAMES: redraw the whole terminal FRAMES times as fast as it
can (a full-screen program at its worst): home the cursor, then every row
rewritten.  Prints nothing else; the bytes written go to stderr at the end
as "bytes N"."""
import os
import sys

frames = int(sys.argv[1])
cols, rows = os.get_terminal_size(1)
out = sys.stdout.buffer
total = 0
for f in range(frames):
    body = b"\r\n".join(
        (b"%d:%d " % (f, r)).ljust(cols - 1, b"abcdefghij"[f % 10:f % 10 + 1])
        for r in range(rows))
    frame = b"\x1b[H" + body
    out.write(frame)
    total += len(frame)
out.flush()
sys.stderr.write("bytes %d\n" % total)
