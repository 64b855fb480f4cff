"""The pty floor: CHILD... run on a pty whose master is only read (64 KiB
at a time, nothing done with the bytes), as fast as any terminal could
read it.  Prints nothing; the child times itself (timed.sh).

Usage: ptyfloor.py CHILD [ARG...]"""
import os
import pty
import sys

pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
while True:
    try:
        if not os.read(fd, 65536):
            break
    except OSError:  # EIO: the child's side is closed
        break
os.waitpid(pid, 0)
