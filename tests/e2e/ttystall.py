# A terminal that stops reading: python3 ttystall.py DIR TEND ARGS...
# Starts TEND ARGS on a pty of 100x30 (stdin, stdout and stderr, as its
# controlling terminal, TERM=screen-256color) and reads nothing from the
# pty until the file DIR/go exists, so tend's writes to the terminal find
# it full.  Then it reads on, appending all it gets to DIR/screen, and
# types what appears in DIR/keys (the file is removed once typed).  The
# pid goes to DIR/pid, the exit status (128+N for a signal) to DIR/status.
import fcntl, os, struct, subprocess, sys, termios, time

d = sys.argv[1]
master, slave = os.openpty()
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
env = dict(os.environ, TERM="screen-256color", LANG="C.UTF-8")


def child_setup():
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


p = subprocess.Popen(sys.argv[2:], stdin=slave, stdout=slave, stderr=slave,
                     env=env, preexec_fn=child_setup, close_fds=True)
os.close(slave)
with open(os.path.join(d, "pid.tmp"), "w") as f:
    f.write("%d\n" % p.pid)
os.rename(os.path.join(d, "pid.tmp"), os.path.join(d, "pid"))


def reap():
    if p.returncode is None and p.poll() is not None:
        rc = p.returncode
        rc = 128 - rc if rc < 0 else rc
        with open(os.path.join(d, "status.tmp"), "w") as f:
            f.write("%d\n" % rc)
        os.rename(os.path.join(d, "status.tmp"), os.path.join(d, "status"))


go, keys = os.path.join(d, "go"), os.path.join(d, "keys")
while not os.path.exists(go):
    reap()
    if p.returncode is not None:
        sys.exit(0)
    time.sleep(0.05)
os.set_blocking(master, False)
with open(os.path.join(d, "screen"), "ab") as out:
    while True:
        if os.path.exists(keys):
            with open(keys, "rb") as f:
                os.write(master, f.read())
            os.unlink(keys)
        try:
            b = os.read(master, 1 << 16)
        except BlockingIOError:
            reap()
            if p.returncode is not None:
                break
            time.sleep(0.01)
            continue
        except OSError:  # EIO: the last holder of the slave is gone
            break
        if not b:
            break
        out.write(b)
        out.flush()
while p.returncode is None:
    reap()
    time.sleep(0.05)
