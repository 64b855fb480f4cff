#!/usr/bin/env python3
"""keylat.py SOCKET TARGET REPS KEYS1 PATTERN1 KEYS2 PATTERN2: key-to-screen
latency through one tmux control-mode client, so that no tmux process is
started per key or per look at the screen.  Each round sends KEYS1 (a tmux
command, e.g. "send-keys -t t j"), polls capture-pane until PATTERN1 (a
regex) is on screen, then the same with KEYS2/PATTERN2.  Prints one
latency in ms per line."""
import re
import subprocess
import sys
import time


class Control:
    def __init__(self, sock, target):
        self.p = subprocess.Popen(
            ["tmux", "-L", sock, "-C", "attach", "-t", target],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        # No %output notifications: under a flood they would swamp us.
        for pane in self.run("list-panes -a -F '#{pane_id}'"):
            self.run("refresh-client -A '%s:off'" % pane)

    def run(self, command):
        """Send COMMAND; return the lines of its reply."""
        self.p.stdin.write((command + "\n").encode())
        self.p.stdin.flush()
        lines, inside = [], False
        while True:
            line = self.p.stdout.readline()
            if not line:
                raise SystemExit("keylat: tmux went away")
            line = line.decode("utf-8", "replace").rstrip("\n")
            if line.startswith("%begin"):
                inside, lines = True, []
            elif line.startswith("%end") or line.startswith("%error"):
                if inside:
                    return lines
            elif inside:
                lines.append(line)

    def close(self):
        self.p.stdin.close()
        self.p.wait(timeout=5)


def main():
    sock, target, reps = sys.argv[1], sys.argv[2], int(sys.argv[3])
    steps = [(sys.argv[4], re.compile(sys.argv[5], re.M)),
             (sys.argv[6], re.compile(sys.argv[7], re.M))]
    c = Control(sock, target)
    for _ in range(reps):
        for keys, pattern in steps:
            t0 = time.monotonic()
            c.run(keys)
            while True:
                screen = "\n".join(c.run("capture-pane -p -t " + target))
                if pattern.search(screen):
                    break
                if time.monotonic() - t0 > 5:
                    break
            print("%.1f" % ((time.monotonic() - t0) * 1000), flush=True)
    c.close()


main()
