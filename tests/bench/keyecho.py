#!/usr/bin/env python3
"""keyecho.py: a pty program that answers each key at once: in raw mode,
every byte read is shown as "got X N" on one row (the row rewritten)."""
import os
import sys
import termios
import tty

tty.setraw(0)
n = 0
while True:
    b = os.read(0, 1)
    if not b:
        break
    n += 1
    os.write(1, b"\r\x1b[Kgot %s %d" % (b, n))
