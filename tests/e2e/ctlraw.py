# Raw access to tend's control socket, for the ctl_*.sh tests: what
# `tend ctl` would not send, and a client that stops reading.
#
#   python3 ctlraw.py listening PID
#       the path of the Unix socket PID listens on (from /proc/net/unix
#       and PID's open files), so a test need not know how it is named.
#   python3 ctlraw.py raw SOCKET FILE
#       connect, write FILE's bytes as they are, then print what tend
#       answers until it closes the connection (at most 5 s), and last a
#       line "END closed", "END reset" or "END timeout".
#   python3 ctlraw.py stall SOCKET DIR WORD...
#       connect, send WORD... as one request (encoded as src/ctlproto.c
#       does: each word percent-encoded, single spaces, a newline), touch
#       DIR/connected, and read nothing until DIR/go exists; then copy
#       everything tend sends to DIR/out until it closes the connection
#       (or 30 s pass), and touch DIR/done.  Without DIR/go after 120 s
#       it gives up.
#   python3 ctlraw.py latency COUNT CMD...
#       run CMD (a `tend ctl logs ... -f`) and read its stdout until COUNT
#       lines ending in a time (time.time_ns(), as `date +%s%N` prints
#       it) have come, or 30 s pass; print "N MEDIAN_MS MAX_MS": how long
#       after that time each arrived.
import os
import subprocess
import socket
import sys
import time


def listening(pid):
    inodes = set()
    fds = "/proc/%d/fd" % pid
    for fd in os.listdir(fds):
        try:
            link = os.readlink(os.path.join(fds, fd))
        except OSError:
            continue
        if link.startswith("socket:["):
            inodes.add(link[8:-1])
    with open("/proc/net/unix") as f:
        next(f)
        for line in f:
            parts = line.split()
            # Flags 00010000: __SO_ACCEPTCON, a listening socket.
            if len(parts) >= 8 and parts[6] in inodes and \
                    int(parts[3], 16) & 0x10000:
                print(parts[7])
                return 0
    return 1


def encode(word):
    out = []
    for b in word.encode():
        if 0x20 < b < 0x7F and b != ord("%"):
            out.append(chr(b))
        else:
            out.append("%%%02X" % b)
    return "".join(out) if out else "%00"


def raw(path, file):
    with open(file, "rb") as f:
        data = f.read()
    s = socket.socket(socket.AF_UNIX)
    s.connect(path)
    s.settimeout(5)
    end = "closed"
    try:
        s.sendall(data)
    except (BrokenPipeError, ConnectionResetError):
        end = "reset"
    got = b""
    if end != "reset":
        try:
            while True:
                b = s.recv(65536)
                if not b:
                    break
                got += b
        except ConnectionResetError:
            end = "reset"
        except socket.timeout:
            end = "timeout"
    sys.stdout.write(got.decode(errors="replace"))
    print("END " + end)
    return 0


def stall(path, d, words):
    s = socket.socket(socket.AF_UNIX)
    s.connect(path)
    s.sendall((" ".join(encode(w) for w in words) + "\n").encode())
    open(os.path.join(d, "connected"), "w").close()
    go = os.path.join(d, "go")
    give_up = time.time() + 120    # never outlive a test that forgot it
    while not os.path.exists(go):
        if time.time() > give_up:
            return 1
        time.sleep(0.05)
    s.settimeout(30)
    with open(os.path.join(d, "out"), "wb") as out:
        try:
            while True:
                b = s.recv(1 << 20)
                if not b:
                    break
                out.write(b)
                out.flush()
        except (socket.timeout, ConnectionResetError):
            pass
    open(os.path.join(d, "done"), "w").close()
    return 0


def latency(count, cmd):
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE)
    ms = []
    give_up = time.time() + 30
    try:
        for line in p.stdout:
            now = time.time_ns()
            words = line.split()
            if words and words[-1].isdigit() and len(words[-1]) >= 18:
                ms.append((now - int(words[-1])) / 1e6)
            if len(ms) >= count or time.time() > give_up:
                break
    finally:
        p.kill()
        p.wait()
    ms.sort()
    print("%d %.1f %.1f" % (len(ms), ms[len(ms) // 2] if ms else -1,
                            ms[-1] if ms else -1))
    return 0


def main():
    cmd = sys.argv[1]
    if cmd == "listening":
        return listening(int(sys.argv[2]))
    if cmd == "raw":
        return raw(sys.argv[2], sys.argv[3])
    if cmd == "stall":
        return stall(sys.argv[2], sys.argv[3], sys.argv[4:])
    if cmd == "latency":
        return latency(int(sys.argv[2]), sys.argv[3:])
    print("ctlraw.py: no command %r" % cmd, file=sys.stderr)
    return 2


sys.exit(main())
