#!/usr/bin/env python3
"""firstframe.py COLS ROWS MARKER CMD...: start CMD on a new pty of COLS x
ROWS and print the milliseconds until MARKER has appeared in what it drew.
Then hang up the terminal (SIGHUP to its process group) and reap it."""
import fcntl
import os
import select
import signal
import struct
import sys
import termios
import time


def main():
    cols, rows, marker = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    argv = sys.argv[4:]
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
        for fd in (0, 1, 2):
            os.dup2(slave, fd)
        os.close(master)
        os.environ.setdefault("TERM", "xterm-256color")
        os.execvp(argv[0], argv)
    os.close(slave)
    seen = b""
    want = marker.encode()
    elapsed = None
    deadline = t0 + 10
    while time.monotonic() < deadline:
        r, _, _ = select.select([master], [], [], 0.5)
        if not r:
            continue
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen = seen[-4096:] + chunk
        if want in seen:
            elapsed = (time.monotonic() - t0) * 1000
            break
    try:
        os.killpg(pid, signal.SIGHUP)
    except ProcessLookupError:
        pass
    # Keep reading so the program is never stuck writing to a full pty.
    end = time.monotonic() + 10
    while time.monotonic() < end:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        r, _, _ = select.select([master], [], [], 0.05)
        if r:
            try:
                os.read(master, 65536)
            except OSError:
                pass
    else:
        os.killpg(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    print("timeout" if elapsed is None else "%.1f" % elapsed)


main()
