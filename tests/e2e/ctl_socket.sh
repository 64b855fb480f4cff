# tend ctl's socket: where it is (from the config's real path, in
# /tmp/tend-UID/ or $XDG_RUNTIME_DIR/tend/, or --socket PATH on both
# sides), its modes, the lock (a second tend refuses and names the first's
# pid; a SIGKILLed tend's socket and lock are taken over), and requests
# that are not what tend ctl sends: each closes its own connection only.
. "$(dirname "$0")/lib.sh"
E2E=$(cd "$(dirname "$0")" && pwd)
raw() { timeout 20 python3 "$E2E/ctlraw.py" "$@"; }

unset XDG_RUNTIME_DIR
cat >"$T/tend.ini" <<INI
[program:w]
command = echo \$\$ >>$T/w.pids; exec sleep 600
INI
mkdir -p "$T/sub"
ln -s "$T/tend.ini" "$T/link.ini"
CTL_ARGS=(-c "$T/tend.ini")
headless "$T/tend.ini"
first=$TEND_PID
up_or_bail "tend ctl reaches tend" "$T/out"
wait_for "$T/w.pids" . 5 >/dev/null
w_first=$(head -n 1 "$T/w.pids")
TEND_PIDS+=("$w_first")

# --- where, and its modes -----------------------------------------------------
sock=$(python3 "$E2E/ctlraw.py" listening "$first")
dir=${sock%/*}
echo "# tend $first listens on $sock"
check "the socket is in /tmp/tend-$(id -u)/ (no XDG_RUNTIME_DIR)" test "$dir" = "/tmp/tend-$(id -u)"
check "the socket's folder is mode 0700 and mine" test "$(stat -c '%a %u' "$dir")" = "700 $(id -u)"
check "the socket is a socket" test -S "$sock"
check "the socket is mode 0600 (it is $(stat -c %a "$sock"))" test "$(stat -c %a "$sock")" = 600
check "a lock file next to it holds tend's pid" test "$(cat "$sock.lock" 2>/dev/null)" = "$first"
(cd "$T" && timeout 10 "$TEND" ctl status >"$T/c1" 2>&1)
check "tend ctl in the config's folder, no -c, finds it" has "$T/c1" "^w +running|^w +starting"
(cd "$T/sub" && timeout 10 "$TEND" ctl -c ../tend.ini status >"$T/c2" 2>&1)
check "-c with a relative path from another folder finds it" has "$T/c2" "^w +(running|starting) +pid $w_first "
timeout 10 "$TEND" ctl -c "$T/link.ini" status >"$T/c3" 2>&1
check "-c through a symbolic link finds it (the real path names it)" has "$T/c3" "^w +(running|starting) +pid $w_first "
(cd "$T/sub" && timeout 10 "$TEND" ctl status >"$T/c4" 2>&1; echo "rc=$?" >>"$T/c4")
check "from a folder with no tend.ini: a message naming tend.ini" has "$T/c4" '^tend ctl: .*tend\.ini'
check "... exit 2" has "$T/c4" '^rc=2$'
check "-c naming a file that does not exist: exit 2" ctl_do 2 -c "$T/nope.ini" status
check "... says so" has "$T/ctl.err" 'nope.ini: No such file or directory'
check "-c and --socket together: exit 2" ctl_do 2 --socket "$sock" status
check "... one or the other" has "$T/ctl.err" 'one or the other'

# --- a second tend on the same config ------------------------------------------
start=$(date +%s%N)
(cd "$T/sub" && timeout 10 "$TEND" --headless ../tend.ini >"$T/second.out" 2>&1; echo "rc=$?" >>"$T/second.out")
ms=$((($(date +%s%N) - start) / 1000000))
check "a second tend on the same config refuses: exit 2 (in ${ms} ms)" has "$T/second.out" '^rc=2$'
check "... and names the first tend's pid ($first)" has "$T/second.out" "already running .*\(pid $first\)"
check "... and starts nothing (w started once)" test "$(wc -l <"$T/w.pids")" = 1
timeout 10 "$TEND" --headless "$T/link.ini" >"$T/third.out" 2>&1
rc=$?
check "through a symbolic link to it too: exit 2 (got $rc)" test "$rc" = 2
check "... naming the first tend's pid" has "$T/third.out" "\(pid $first\)"
check "the first tend still answers on its socket" ctl_do 0 status
check "... it is the first one's program" has "$T/ctl.out" "^w +(running|starting) +pid $w_first "
check "the lock still holds the first tend's pid" test "$(cat "$sock.lock" 2>/dev/null)" = "$first"

# --- SIGKILLed: the socket and the lock stay; a new tend takes them over ---------
kill -KILL "$first"
wait_exit "$first" 5 2>/dev/null
sleep 0.2
check "SIGKILLed: its socket is left behind" test -S "$sock"
check "... and its lock file" test -e "$sock.lock"
check "tend ctl with nothing behind the socket: exit 2" ctl_do 2 status
check "... no tend is running" has "$T/ctl.err" "^tend ctl: no tend is running $T/tend.ini \(no socket at $sock\)$"
kill -TERM "$w_first" 2>/dev/null
cp "$T/out" "$T/out.1"
headless "$T/tend.ini"
second=$TEND_PID
check "a new tend on the same config starts" ctl_up 15
check "... it runs (not refused)" kill -0 "$second"
wait_for "$T/w.pids" '.' 5 >/dev/null
for ((i = 0; i < 50; i++)); do [ "$(wc -l <"$T/w.pids")" -ge 2 ] && break; sleep 0.1; done
w_second=$(sed -n 2p "$T/w.pids")
TEND_PIDS+=("$w_second")
check "... on the same socket path" test "$(python3 "$E2E/ctlraw.py" listening "$second")" = "$sock"
check "... the lock holds the new pid" test "$(cat "$sock.lock" 2>/dev/null)" = "$second"
ctl_do 0 status
check "tend ctl status reaches the new tend (its program's new pid $w_second)" has "$T/ctl.out" "^w +(running|starting) +pid $w_second "

# --- requests tend ctl would not send ----------------------------------------------
printf '%%ZZ\n' >"$T/req"
raw raw "$sock" "$T/req" >"$T/r1"
check "a bad escape (%ZZ): told it is malformed" same "$T/r1" 'e a malformed request\nx 2\nEND closed'
check "... tend still runs, status works" ctl_do 0 status
python3 -c 'import sys; sys.stdout.write("x" * 70000)' >"$T/req"
raw raw "$sock" "$T/req" >"$T/r2"
check "70 KB without a newline: that connection is closed" has "$T/r2" '^END (closed|reset)$'
check "... tend still runs" kill -0 "$second"
check "... status works" ctl_do 0 status
check "... with the same program" has "$T/ctl.out" "^w +(running|starting) +pid $w_second "
python3 -c 'import sys; sys.stdout.write("status " + "y" * 70000 + "\n")' >"$T/req"
raw raw "$sock" "$T/req" >"$T/r3"
check "a 70 KB request with its newline: closed too" has "$T/r3" '^END (closed|reset)$'
printf '\n' >"$T/req"
raw raw "$sock" "$T/req" >"$T/r4"
check "an empty request: malformed, exit 2" same "$T/r4" 'e a malformed request\nx 2\nEND closed'
printf '\000\377\001 \n' >"$T/req"
raw raw "$sock" "$T/req" >"$T/r5"
check "binary garbage: an answer with status 2, then closed" has "$T/r5" '^x 2$'
printf 'frobnicate now\n' >"$T/req"
raw raw "$sock" "$T/req" >"$T/r6"
check "an unknown command: named, status 2" same "$T/r6" "e no command 'frobnicate' (tend ctl --help lists them)\nx 2\nEND closed"
printf 'status\nquit\n' >"$T/req"
raw raw "$sock" "$T/req" >"$T/r7"
check "two requests on one connection: the first is answered" has "$T/r7" '^x 0$'
check "... the second is not run (tend still runs)" kill -0 "$second"
check "... status works" ctl_do 0 status
printf 'stop w%%20x\n' >"$T/req"
raw raw "$sock" "$T/req" >"$T/r8"
check "an encoded space is part of the word (no program 'w x')" has "$T/r8" "^e no program 'w x'"
# A request sent a byte at a time is still one request.
python3 - "$sock" >"$T/r9" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
for b in b"status --json\n":
    s.send(bytes([b]))
    time.sleep(0.01)
s.settimeout(5)
got = b""
while True:
    b = s.recv(65536)
    if not b:
        break
    got += b
sys.stdout.write(got.decode())
PY
check "a request written a byte at a time is answered" has "$T/r9" '^x 0$'
check "... with the JSON" has "$T/r9" '^o \{"name":"w",'
# Clients that connect and say nothing hold nobody up.
python3 - "$sock" "$T/idle" 2>"$T/idle.err" <<'PY' &
import os, socket, sys, time
conns = []
for i in range(200):
    s = socket.socket(socket.AF_UNIX)
    s.connect(sys.argv[1])
    conns.append(s)
conns[0].send(b"logs w -f")    # half a request, never finished
with open(sys.argv[2], "w") as f:
    f.write("%d connections\n" % len(conns))
time.sleep(30)
PY
idle=$!
TEND_PIDS+=("$idle")
wait_for "$T/idle" . 10
check "200 connections that send nothing (and one half a request): status still works" ctl_do 0 status
check "... at once (${CTL_MS} ms)" test "$CTL_MS" -lt 2000
kill "$idle" 2>/dev/null
wait "$idle" 2>/dev/null
check "... the idle clients saw no error" test ! -s "$T/idle.err"
check "those connections closed: tend still runs" kill -0 "$second"
check "quit" ctl_do 0 quit
check "tend exits" wait_exit "$second" 15
check "its socket is removed" test ! -e "$sock"
check "and its lock file" test ! -e "$sock.lock"

# --- --socket PATH on both sides ------------------------------------------------------
cp "$T/out" "$T/out.2"
"$TEND" --headless --socket "$T/my.sock" "$T/tend.ini" >"$T/out" 2>&1 &
TEND_PID=$!
TEND_PIDS+=("$TEND_PID")
CTL_ARGS=(--socket "$T/my.sock")
check "--socket PATH: tend ctl --socket PATH reaches it" ctl_up 15
check "... the socket is at PATH" test -S "$T/my.sock"
check "... mode 0600 (it is $(stat -c %a "$T/my.sock"))" test "$(stat -c %a "$T/my.sock")" = 600
check "... with its lock next to it" test "$(cat "$T/my.sock.lock" 2>/dev/null)" = "$TEND_PID"
check "... it listens there" test "$(python3 "$E2E/ctlraw.py" listening "$TEND_PID")" = "$T/my.sock"
check "... and not at the default place: tend ctl -c CONFIG finds nothing (exit 2)" ctl_do 2 -c "$T/tend.ini" status
CTL_ARGS=(--socket "$T/my.sock")
check "status through --socket" ctl_do 0 status
check "... w runs" has "$T/ctl.out" '^w +(running|starting) +pid [0-9]+ '
timeout 10 "$TEND" --headless --socket "$T/my.sock" "$T/tend.ini" >"$T/again.out" 2>&1
rc=$?
check "a second tend with the same --socket refuses: exit 2 (got $rc)" test "$rc" = 2
check "... naming the first one's pid" has "$T/again.out" "\(pid $TEND_PID\)"
check "quit through --socket" ctl_do 0 quit
check "tend exits" wait_exit "$TEND_PID" 15
check "the socket at PATH is removed" test ! -e "$T/my.sock"
check "tend ctl --socket PATH with nothing there: exit 2" ctl_do 2 status
check "... no tend is running" has "$T/ctl.err" "^tend ctl: no tend is running $T/my.sock \(no socket at $T/my.sock\)$"

# --- $XDG_RUNTIME_DIR ------------------------------------------------------------------
mkdir -m 700 "$T/xdg"
cp "$T/out" "$T/out.3"
XDG_RUNTIME_DIR=$T/xdg "$TEND" --headless "$T/tend.ini" >"$T/out" 2>&1 &
TEND_PID=$!
TEND_PIDS+=("$TEND_PID")
CTL_ARGS=(-c "$T/tend.ini")
export XDG_RUNTIME_DIR=$T/xdg
check "XDG_RUNTIME_DIR set: tend ctl (same variable) reaches it" ctl_up 15
unset XDG_RUNTIME_DIR
xsock=$(python3 "$E2E/ctlraw.py" listening "$TEND_PID")
check "... the socket is in \$XDG_RUNTIME_DIR/tend/ ($xsock)" test "${xsock%/*}" = "$T/xdg/tend"
check "... that folder was made mode 0700" test "$(stat -c %a "$T/xdg/tend")" = 700
check "... without the variable, tend ctl looks in /tmp/tend-UID/: exit 2" ctl_do 2 status
XDG_RUNTIME_DIR=$T/xdg ctl_do 0 quit
check "quit" wait_exit "$TEND_PID" 15

# A folder others may enter is not used: tend runs, without tend ctl.
mkdir -m 755 -p "$T/open/tend"
cp "$T/out" "$T/out.4"
XDG_RUNTIME_DIR=$T/open "$TEND" --headless "$T/tend.ini" >"$T/out" 2>&1 &
TEND_PID=$!
TEND_PIDS+=("$TEND_PID")
check "a socket folder others may enter: tend says it goes on without tend ctl" \
	wait_for "$T/out" "no tend ctl this time: $T/open/tend is not a folder of yours that only you may enter" 10
check "... and runs its programs" wait_for "$T/out" '^w +\* started pid' 10
check "... no socket was made there" test -z "$(ls "$T/open/tend")"
kill -TERM "$TEND_PID"
check "... SIGTERM still stops it" wait_exit "$TEND_PID" 15

check "no sanitizer report from tend or tend ctl" no_sanitizer_report "$T"/out* "$T/ctl-all.err" "$T/second.out" "$T/third.out" "$T/again.out" "$T/c1" "$T/c2" "$T/c3" "$T/c4"
