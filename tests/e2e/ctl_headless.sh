# tend ctl against tend --headless: every command, with what it prints,
# its exit status and its effect on the programs (status, status --json,
# start/stop/restart/kill, send, eof, probe, logs, logs -f, wait, quit),
# and the errors (an unknown program, usage, no tend running).
. "$(dirname "$0")/lib.sh"

port=$(free_port)
noport=$(free_port)
cat >"$T/tend.ini" <<INI
[program:web]
command = exec python3 -u -m http.server $port --bind 127.0.0.1
probe_url = http://127.0.0.1:$port/

[program:dead]
command = exec sleep 600
probe_url = http://127.0.0.1:$noport/
probe_timeout = 1

[program:plain]
command = exec sleep 600

[program:w1]
command = echo \$\$ >$T/w1.pid; exec sleep 600

[program:w2]
command = echo \$\$ >$T/w2.pid; exec sleep 600

[program:echo]
command = exec python3 -u -c 'import sys; [print("got", l.rstrip("\\n"), flush=True) for l in sys.stdin]; print("echo saw EOF", flush=True)'

[program:num]
command = for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo "n \$i"; done; sleep 0.3; echo "to stderr" >&2; exec sleep 600

[program:a]
command = echo a1; sleep 0.4; echo a2; exec sleep 600

[program:b]
command = sleep 0.2; echo b1; sleep 0.4; echo b2; exec sleep 600

[program:tty]
command = if [ -t 1 ]; then echo "on a terminal"; fi; exec sleep 600
pty = true

[program:late]
command = sleep 1.5; date +%s%N >$T/late.t; echo "listening now"; exec sleep 600
ready_log = listening now
autostart = false

[program:ends]
command = sleep 1.5; exit 0
autostart = false

[program:early]
command = sleep 0.5; exit 3
ready_log = never printed
autostart = false

[program:color]
command = printf '\\033[31mred text\\033[0m plain\\n'; printf 'title\\033]0;pwned\\007 end\\n'; exec sleep 600
INI
# The programs' own folder: the default lookup (no -c) is tried from it.
cd "$T" || exit 1
CTL_ARGS=(-c "$T/tend.ini")
headless "$T/tend.ini"
up_or_bail "tend ctl reaches the headless tend" "$T/out"
check "the programs are up" wait_for "$T/out" '^b +\| b2$' 10
check "w1 and w2 wrote their pids" wait_for "$T/w2.pid" . 5
w1=$(cat "$T/w1.pid") w2=$(cat "$T/w2.pid")
TEND_PIDS+=("$w1" "$w2")
sleep 1	# past startsecs: starting -> running

# --- status -----------------------------------------------------------------
check "status: exit 0" ctl_do 0 status
check "status: one line per program (14)" test "$(wc -l <"$T/ctl.out")" = 14
check "status: w1 running with its real pid" has "$T/ctl.out" "^w1 +running +pid $w1 +since [0-9]{2}:[0-9]{2}:[0-9]{2} +restarts 0"
check "status: w2 running with its real pid" has "$T/ctl.out" "^w2 +running +pid $w2 "
check "status: late (autostart = false) is not started, no pid" has "$T/ctl.out" '^late +not started +pid - +since - +restarts 0'
check "status: every program is named, in the config's order" \
	test "$(awk '{ print $1 }' "$T/ctl.out" | tr '\n' ' ')" = "web dead plain w1 w2 echo num a b tty late ends early color "
(cd "$T" && timeout 10 "$TEND" ctl status >"$T/default.out" 2>&1)
check "status with no -c, from the config's folder, finds it (exit $?)" has "$T/default.out" "^w1 +running +pid $w1 "

check "status --json: exit 0" ctl_do 0 status --json
check "status --json: parses, one object per program in order" \
	json_ok '[o["name"] for o in s] == "web dead plain w1 w2 echo num a b tty late ends early color".split()'
check "status --json: every documented member, with its type" json_ok '
all(set(o) >= {"name","state","text","pid","since","uptime_s","stopped_by","health","restarts","exit_code","exit_signal","failed"}
    and isinstance(o["name"], str) and isinstance(o["text"], str)
    and o["state"] in ("idle","starting","running","stopping","exited","backoff","fatal")
    and o["health"] in ("none","waiting","ready","unhealthy")
    and (o["pid"] is None or type(o["pid"]) is int)
    and (o["since"] is None or isinstance(o["since"], str))
    and (o["uptime_s"] is None or type(o["uptime_s"]) in (int, float))
    and (o["stopped_by"] is None or isinstance(o["stopped_by"], str))
    and type(o["restarts"]) is int
    and (o["exit_code"] is None or type(o["exit_code"]) is int)
    and (o["exit_signal"] is None or isinstance(o["exit_signal"], str))
    and type(o["failed"]) is bool for o in s)'
check "status --json: w1 is running with the real child's pid $w1" \
	json_ok "p['w1']['state'] == 'running' and p['w1']['pid'] == $w1 and p['w1']['text'] == 'running' and p['w1']['restarts'] == 0"
check "status --json: since is ISO 8601 with the offset, uptime_s agrees with it" json_ok '
__import__("datetime").datetime.strptime(p["w1"]["since"], "%Y-%m-%dT%H:%M:%S%z")
and abs(__import__("time").time() - p["w1"]["uptime_s"] -
    __import__("datetime").datetime.strptime(p["w1"]["since"], "%Y-%m-%dT%H:%M:%S%z").timestamp()) < 3'
check "status --json: a program never started is idle, no pid, no since" \
	json_ok 'p["late"]["state"] == "idle" and p["late"]["pid"] is None and p["late"]["since"] is None and p["late"]["uptime_s"] is None'
check "status --json: health none / waiting by readiness" \
	json_ok 'p["w1"]["health"] == "none" and p["late"]["health"] in ("none", "waiting") and p["w1"]["exit_code"] is None and p["w1"]["exit_signal"] is None and p["w1"]["failed"] is False'

# SIGSTOP shows as stopped_by.
kill -STOP "$w2"
sleep 0.5
ctl_do 0 status --json
check "status --json: a program stopped by SIGSTOP has stopped_by SIGSTOP" \
	json_ok 'p["w2"]["stopped_by"] == "SIGSTOP" and "SIGSTOP" in p["w2"]["text"]'
kill -CONT "$w2"
sleep 0.5
ctl_do 0 status --json
check "status --json: and null once it goes on (SIGCONT)" json_ok 'p["w2"]["stopped_by"] is None'

# --- stop / start / restart / kill NAME... ------------------------------------
check "stop w1 w2: exit 0" ctl_do 0 stop w1 w2
check "stop w1 w2: says so for each" same "$T/ctl.out" 'w1: stopping\nw2: stopping'
check "stop: both processes are gone" bash -c "for i in \$(seq 50); do kill -0 $w1 2>/dev/null || kill -0 $w2 2>/dev/null || exit 0; sleep 0.1; done; exit 1"
sleep 0.3
ctl_do 0 status --json
check "status --json after stop: exited, exit_signal SIGTERM, no pid, not a failure" json_ok '
all(p[n]["state"] == "exited" and p[n]["exit_signal"] == "SIGTERM" and p[n]["pid"] is None
    and p[n]["exit_code"] is None and p[n]["failed"] is False for n in ("w1", "w2"))'
check "stop on a program that is not running: exit 1" ctl_do 1 stop w1
check "... with a clear message" has "$T/ctl.err" '^w1 is not running$'

rm -f "$T/w1.pid" "$T/w2.pid"
check "start w1 w2: exit 0" ctl_do 0 start w1 w2
wait_for "$T/w2.pid" . 5 >/dev/null
wait_for "$T/w1.pid" . 5 >/dev/null
n1=$(cat "$T/w1.pid") n2=$(cat "$T/w2.pid")
TEND_PIDS+=("$n1" "$n2")
check "start: says started with the new pids" same "$T/ctl.out" "w1: started, pid $n1\nw2: started, pid $n2"
check "start: new processes run ($n1, $n2)" kill -0 "$n1" "$n2"
ctl_do 0 status --json
check "status --json after start: the new pids, restarts 1" \
	json_ok "p['w1']['pid'] == $n1 and p['w2']['pid'] == $n2 and p['w1']['restarts'] == 1 and p['w2']['restarts'] == 1"

rm -f "$T/w1.pid" "$T/w2.pid"
check "restart w1 w2: exit 0" ctl_do 0 restart w1 w2
check "restart: says restarting" same "$T/ctl.out" 'w1: restarting\nw2: restarting'
check "restart: new pids appear" wait_for "$T/w2.pid" . 10
wait_for "$T/w1.pid" . 5 >/dev/null
r1=$(cat "$T/w1.pid") r2=$(cat "$T/w2.pid")
TEND_PIDS+=("$r1" "$r2")
check "restart: the new pids differ ($n1 -> $r1, $n2 -> $r2)" test "$r1" != "$n1" -a "$r2" != "$n2"
check "restart: the old processes are gone" gone "$n1" "$n2"
sleep 0.2
ctl_do 0 status --json
check "status --json after restart: the new pids, restarts 2" \
	json_ok "p['w1']['pid'] == $r1 and p['w2']['pid'] == $r2 and p['w1']['restarts'] == 2 and p['w2']['restarts'] == 2"

check "kill w1 w2: exit 0" ctl_do 0 kill w1 w2
check "kill: says sent SIGKILL" same "$T/ctl.out" 'w1: sent SIGKILL\nw2: sent SIGKILL'
check "kill: the processes are gone" bash -c "for i in \$(seq 50); do kill -0 $r1 2>/dev/null || kill -0 $r2 2>/dev/null || exit 0; sleep 0.1; done; exit 1"
sleep 0.3
ctl_do 0 status --json
check "status --json after kill: exited by SIGKILL" \
	json_ok 'all(p[n]["state"] == "exited" and p[n]["exit_signal"] == "SIGKILL" and p[n]["pid"] is None for n in ("w1", "w2"))'
check "status after kill: the text lines say so" ctl_do 0 status
check "... w1 killed, no pid" has "$T/ctl.out" '^w1 +killed by SIGKILL.* +pid - +since - +restarts 2'

# --- send / eof ----------------------------------------------------------------
check "send echo TEXT: exit 0" ctl_do 0 send echo 'hello  from ctl'
check "send: the program got the line (spaces kept)" wait_for "$T/out" '^echo +\| got hello  from ctl$' 5
check "send: text with %, quotes and UTF-8 arrives as it was" ctl_do 0 send echo '100% "wörld" %41'
check "... the program echoes it unchanged" wait_for "$T/out" '^echo +\| got 100% "wörld" %41$' 5
check "eof echo: exit 0" ctl_do 0 eof echo
check "eof: the program sees EOF" wait_for "$T/out" '^echo +\| echo saw EOF$' 5
check "eof: and exits 0" wait_for "$T/out" '^echo +\* exited 0$' 5
check "send to a program that has ended: exit 1" ctl_do 1 send echo more

# --- probe ----------------------------------------------------------------------
check "probe web (http.server): exit 0" ctl_do 0 probe web
check "probe web: says ok" has "$T/ctl.out" "^web: probe ok: GET http://127.0.0.1:$port/: 200 "
check "probe dead (nothing listens): exit 1" ctl_do 1 probe dead
check "probe dead: says FAILED" has "$T/ctl.out" "^dead: probe FAILED: GET http://127.0.0.1:$noport/: connection refused"
check "probe plain (no probe_url): exit 1" ctl_do 1 probe plain
check "probe plain: says there is no probe_url" has "$T/ctl.err" 'no probe_url'
ctl_do 0 status --json
check "status --json: web ready after its probe, dead still waiting after one failure" \
	json_ok 'p["web"]["health"] == "ready" and p["dead"]["health"] == "waiting"'
ctl_do 1 probe dead
ctl_do 1 probe dead
ctl_do 0 status --json
check "status --json: dead unhealthy after three failed probes" json_ok 'p["dead"]["health"] == "unhealthy"'
check "status: the text line says unhealthy" ctl_do 0 status
check "... dead unhealthy" has "$T/ctl.out" '^dead +running +pid [0-9]+ .*restarts 0  unhealthy'
check "... web ready, with the probe" has "$T/ctl.out" '^web +running +pid [0-9]+ .*restarts 0  ready · probe 200 in [0-9]+ ms  cpu [0-9.]+%  rss [0-9.]+[KMG]$'

# --- logs --------------------------------------------------------------------------
check "logs num -n 3: exit 0" ctl_do 0 logs num -n 3
check "logs num -n 3: exactly the last 3 lines, stderr marked !" \
	same "$T/ctl.out" 'num  | n 11\nnum  | n 12\nnum  ! to stderr'
check "logs num: the default 100 holds every line, the start note first" ctl_do 0 logs num
check "... 14 lines: started, n 1..n 12, stderr" test "$(wc -l <"$T/ctl.out")" = 14
check "... the first is the start note" has "$T/ctl.out" '^num  \* started pid [0-9]+$'
check "... n 1 to n 12 in order" \
	test "$(grep -o 'n [0-9]*$' "$T/ctl.out" | tr '\n' ,)" = "n 1,n 2,n 3,n 4,n 5,n 6,n 7,n 8,n 9,n 10,n 11,n 12,"
check "logs a b -n 4: two programs merged in arrival order" ctl_do 0 logs a b -n 4
check "... a1 b1 a2 b2" same "$T/ctl.out" 'a    | a1\nb    | b1\na    | a2\nb    | b2'
check "logs num -n 1e30 (more than there are): exit 0" ctl_do 0 logs num -n 1e30
check "... every line kept (14), not none ($(wc -l <"$T/ctl.out"))" test "$(wc -l <"$T/ctl.out")" = 14
check "logs num -n 18446744073709551615: every line kept (14), not none" \
	eval 'ctl_do 0 logs num -n 18446744073709551615 && test "$(wc -l <"$T/ctl.out")" = 14'
check "logs of a pty program" ctl_do 0 logs tty -n 1
check "... its line, as it printed it on the terminal" same "$T/ctl.out" 'tty  | on a terminal'
check "logs -n 0: nothing, exit 0" ctl_do 0 logs num -n 0
check "... empty" test ! -s "$T/ctl.out"
check "logs NAME -n 2 with a long name pads to it" ctl_do 0 logs num plain -n 2
check "... the names padded to the longest (plain)" same "$T/ctl.out" 'num   | n 12\nnum   ! to stderr'

# Into a pipe, the bytes as the program wrote them (as headless does); on
# a terminal, made safe: no colours, no title change.
check "logs into a file: exit 0" ctl_do 0 logs color -n 2
check "... the program's escape sequences kept as they were" \
	python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); sys.exit(d != b"color | \x1b[31mred text\x1b[0m plain\ncolor | title\x1b]0;pwned\x07 end\n")' "$T/ctl.out"
tm new-session -d -s tend -x 100 -y 10 "$TEND ctl -c $T/tend.ini logs color -n 2; echo CTL-EXIT=\$?; sleep 600"
check "logs on a terminal: exit 0" wait_screen '^CTL-EXIT=0$' 10
check "... the text shown plain" wait_screen '^color \| red text plain$' 1
check "... the title sequence gone" wait_screen '^color \| title end$' 1
check "... no colour reached the terminal" bash -c '! screen_e | grep -q "31m"'
tm kill-server

# logs -f: follows what comes next; ends with tend.
timeout 60 "$TEND" ctl -c "$T/tend.ini" logs num a -n 1 -f >"$T/follow.out" 2>"$T/follow.err" &
follow=$!
TEND_PIDS+=("$follow")
check "logs -f: the last line first" wait_for "$T/follow.out" '^a    \| a2$' 5
check "logs -f: keeps following (still running)" kill -0 "$follow"
check "restart a" ctl_do 0 restart a
check "logs -f: the new lines arrive (restart note, then a1)" wait_for "$T/follow.out" '^a    \| a1$' 5
check "... and the stop and start notes before them" has "$T/follow.out" '^a    \* started pid [0-9]+$'

# --- wait -----------------------------------------------------------------------------
check "start late" ctl_do 0 start late
check "wait late (ready_log printed after 1.5 s): exit 0" ctl_do 0 wait late
done_ns=$(date +%s%N)
check "wait late: it really waited (${CTL_MS} ms >= 1000)" test "$CTL_MS" -ge 1000
check "wait late: returned only after the ready_log line was printed" \
	test "$(cat "$T/late.t" 2>/dev/null || echo 99999999999999999999)" -le "$done_ns"
check "... and tend had seen it" has "$T/out" '^late +\| listening now$'
check "wait late again (already ready): at once" ctl_do 0 wait late --timeout 5
check "... took ${CTL_MS} ms < 1000" test "$CTL_MS" -lt 1000
check "wait --for started: exit 0" ctl_do 0 wait late plain --for started
check "start ends" ctl_do 0 start ends
check "wait ends --for exited (it exits after 1.5 s): exit 0" ctl_do 0 wait ends --for exited --timeout 10
check "... it waited for it (${CTL_MS} ms >= 1000)" test "$CTL_MS" -ge 1000
ctl_do 0 status --json
check "... and it is exited 0" json_ok 'p["ends"]["state"] == "exited" and p["ends"]["exit_code"] == 0 and p["ends"]["exit_signal"] is None and p["ends"]["failed"] is False'
check "wait --timeout 1 on a condition that never comes: exit 1" ctl_do 1 wait plain --for exited --timeout 1
check "... within 1-2 s (${CTL_MS} ms)" test "$CTL_MS" -ge 900 -a "$CTL_MS" -lt 2500
check "... says it timed out" has "$T/ctl.err" '^timed out: plain is not exited$'
# A timeout too long to matter (1e300 s, inf) waits: the client is still
# waiting when timeout(1) ends it after 1.5 s.
for t in 1e300 inf; do
	start=$(date +%s%N)
	timeout 1.5 "$TEND" ctl -c "$T/tend.ini" wait plain --for exited --timeout "$t" >"$T/long.out" 2>&1
	rc=$? ms=$((($(date +%s%N) - start) / 1000000))
	check "wait --timeout $t waits (still waiting after 1.5 s: got exit $rc after ${ms} ms, $(head -c 60 "$T/long.out"))" test "$rc" = 124
done
check "start early" ctl_do 0 start early
check "wait on a program that ends before it is ready: exit 1" ctl_do 1 wait early --timeout 10
check "... says why" has "$T/ctl.err" '^early exited 3 before it was ready$'
check "... without waiting for the timeout (${CTL_MS} ms)" test "$CTL_MS" -lt 5000
ctl_do 0 status --json
check "status --json: early exited 3, a failure" json_ok 'p["early"]["exit_code"] == 3 and p["early"]["failed"] is True and p["early"]["exit_signal"] is None'
check "wait several: every one must be there" ctl_do 1 wait web plain dead --timeout 1
check "... names the one that is not (dead: probe failed)" same "$T/ctl.err" 'timed out: dead is not ready'

# --- errors -------------------------------------------------------------------------------
check "stop wbe: exit 1" ctl_do 1 stop wbe
check "stop wbe: suggests web" same "$T/ctl.err" "no program 'wbe'; did you mean 'web'?"
check "logs wbe: exit 1 and the same suggestion" ctl_do 1 logs wbe
check "... suggests web" same "$T/ctl.err" "no program 'wbe'; did you mean 'web'?"
check "no command: exit 2" ctl_do 2
check "... with the usage" has "$T/ctl.err" '^usage: tend ctl '
check "an unknown command: exit 2" ctl_do 2 frobnicate
check "... says so" has "$T/ctl.err" "no command 'frobnicate'"
check "send web without TEXT: exit 2" ctl_do 2 send web
check "... with send's usage" has "$T/ctl.err" '^usage: tend ctl send NAME TEXT$'
check "logs with no name: exit 2" ctl_do 2 logs
check "logs -n with no number: exit 2" ctl_do 2 logs num -n lots
check "wait --for something unknown: exit 2" ctl_do 2 wait web --for done
check "status with an unknown option: exit 2" ctl_do 2 status --xml
check "eof with two names: exit 2" ctl_do 2 eof a b
check "tend still runs after all that" kill -0 "$TEND_PID"

# --- quit ----------------------------------------------------------------------------------
ctl_do 0 status --json
tty_pid=$(python3 -c 'import json,sys; print(next(o["pid"] for o in json.load(open(sys.argv[1])) if o["name"] == "tty"))' "$T/ctl.out")
timeout 60 "$TEND" ctl -c "$T/tend.ini" logs plain -f >"$T/follow2.out" 2>&1 &
follow2=$!
TEND_PIDS+=("$follow2")
sleep 0.3
check "quit: exit 0" ctl_do 0 quit
check "quit: says it stops every program" same "$T/ctl.out" 'stopping every program'
check "quit: tend exits" wait_exit "$TEND_PID" 15
check "quit: ... with status 1 (early's exit 3 was a failure)" test "$EXIT_STATUS" = 1
check "quit: its programs are gone" gone "${tty_pid:-0}"
check "quit: the logs -f followers end" wait_exit "$follow" 5
check "... with status 0" test "$EXIT_STATUS" = 0
check "... the second too" wait_exit "$follow2" 5
check "... with status 0" test "$EXIT_STATUS" = 0
check "the follower saw the stop note" has "$T/follow2.out" '^plain \* stopping: sent SIGTERM$'
check "no tend running: exit 2" ctl_do 2 status
check "... says no tend is running" has "$T/ctl.err" "^tend ctl: no tend is running $T/tend.ini \(no socket at .*\)$"
(cd "$T" && timeout 10 "$TEND" ctl status >"$T/default.out" 2>&1)
check "no tend running, default lookup: exit 2 (got $?)" test "$?" = 2
check "... says no tend is running tend.ini" has "$T/default.out" '^tend ctl: no tend is running tend.ini \(no socket at '

# --- the documented script use: tend --headless & tend ctl wait web && ... -----------
# `tend ctl wait web` may run before tend has made its socket: a tend that
# takes 0.3 s to come up (a loaded machine, a sanitizer build) shows it
# every time.
cat >"$T/script.ini" <<INI
[program:web]
command = sleep 0.5; echo "Serving now"; exec sleep 600
ready_log = Serving now
INI
CTL_ARGS=(-c "$T/script.ini")
# script_run DELAY: tend --headless & tend ctl wait web && echo GO, tend
# started DELAY seconds late; the output in $T/script.log, tend's in
# $T/script.out; then tend is stopped.
script_run() {
	(
		cd "$T" || exit 1
		(sleep "$1"; exec "$TEND" --headless script.ini >"$T/script.out" 2>&1) &
		echo $! >"$T/script.pid"
		timeout 20 "$TEND" ctl -c script.ini wait web &&
			if grep -q 'Serving now' "$T/script.out"; then echo "GO: web is ready"; else echo "GO: too early"; fi
	) >"$T/script.log" 2>&1
	TEND_PIDS+=("$(cat "$T/script.pid")")
	ctl_up 10 && ctl_do 0 quit
	for ((i = 0; i < 100; i++)); do
		gone "$(cat "$T/script.pid")" 2>/dev/null && break
		sleep 0.1
	done
}
worked=0
for try in 1 2 3 4 5; do
	script_run 0
	grep -q '^GO' "$T/script.log" && worked=$((worked + 1))
done
echo "# tend --headless & tend ctl wait web && ..., literally: worked $worked times of 5; the last: $(head -n 1 "$T/script.log")"
script_run 0.3
check "tend --headless & tend ctl wait web && ..., tend 0.3 s slow to start: the command after it runs, once web is ready" \
	has "$T/script.log" '^GO: web is ready$'

check "no sanitizer report from tend or tend ctl" no_sanitizer_report "$T/out" "$T/ctl-all.err" "$T/follow.err" "$T/follow2.out" "$T/script.out" "$T/script.log" "$T/default.out"
