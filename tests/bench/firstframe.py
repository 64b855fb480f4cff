#!/usr/bin/env python3
"""firstframe.py [--children N COMM] COLS ROWS MARKER CMD...: start CMD on a
new pty of COLS x ROWS and print the milliseconds until MARKER has appeared
in what it drew.  With --children, go on until CMD's process has N children
whose command name is COMM (they have been exec'd), and print that time as a
second figure ("timeout" for either that never came).  Then hang up the
terminal (SIGHUP to its process group) and reap it."""
import fcntl
import os
import select
import signal
import struct
import sys
import termios
import time


def children_done(pid, n, comm):
    """Whether PID has N children named COMM, read from /proc."""
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            kids = f.read().split()
    except OSError:
        return False
    if len(kids) < n:
        return False
    named = 0
    for kid in kids:
        try:
            with open("/proc/%s/comm" % kid) as f:
                named += f.read().strip() == comm
        except OSError:
            pass
    return named >= n


def main():
    args = sys.argv[1:]
    want_kids = None
    if args[0] == "--children":
        want_kids = (int(args[1]), args[2])
        args = args[3:]
    cols, rows, marker = int(args[0]), int(args[1]), args[2]
    argv = args[3:]
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
    all_started = None
    if want_kids is not None and elapsed is not None:
        # Keep the terminal drained while polling /proc every 10 ms.
        deadline = t0 + 30
        while time.monotonic() < deadline:
            if children_done(pid, *want_kids):
                all_started = (time.monotonic() - t0) * 1000
                break
            r, _, _ = select.select([master], [], [], 0.01)
            if r:
                try:
                    if not os.read(master, 65536):
                        break
                except OSError:
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
    fmt = lambda ms: "timeout" if ms is None else "%.1f" % ms
    if want_kids is None:
        print(fmt(elapsed))
    else:
        print(fmt(elapsed), fmt(all_started))


main()
