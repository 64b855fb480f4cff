# A reader that stalls: python3 stall.py DIR TEND ARGS...
# Starts TEND ARGS with its stdout a pipe that nobody reads, writes its
# pid to DIR/pid, and reads nothing until the file DIR/go exists; then it
# copies everything to DIR/stdout until EOF.  When TEND exits, its status
# (as the shell reports it: 128+N for a signal) goes to DIR/status.
# stderr goes to DIR/stderr.  The harness exits after the status is
# written and the output is read to EOF (or never, while DIR/go is
# missing: the test kills it).
import os, subprocess, sys, time

d = sys.argv[1]
r, w = os.pipe()
with open(os.path.join(d, "stderr"), "wb") as err:
    p = subprocess.Popen(sys.argv[2:], stdout=w, stderr=err, close_fds=True)
os.close(w)
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


go = os.path.join(d, "go")
while not os.path.exists(go):
    reap()
    time.sleep(0.05)
os.set_blocking(r, False)
with open(os.path.join(d, "stdout"), "wb") as out:
    while True:
        try:
            b = os.read(r, 1 << 20)
        except BlockingIOError:
            reap()
            time.sleep(0.01)
            continue
        if not b:
            break
        out.write(b)
while p.returncode is None:
    reap()
    time.sleep(0.05)
