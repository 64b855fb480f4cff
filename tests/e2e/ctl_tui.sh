# tend ctl against the TUI (in tmux): every command, with what it prints,
# its exit status, and what the screen shows for it (the list's states,
# the selected pane's lines); and the errors.
. "$(dirname "$0")/lib.sh"

port=$(free_port)
noport=$(free_port)
cat >"$T/tend.ini" <<INI
[program:echo]
command = exec python3 -u -c 'import sys; [print("got", l.rstrip("\\n"), flush=True) for l in sys.stdin]; print("echo saw EOF", flush=True)'

[program:web]
command = exec python3 -u -m http.server $port --bind 127.0.0.1
probe_url = http://127.0.0.1:$port/

[program:dead]
command = exec sleep 600
probe_url = http://127.0.0.1:$noport/
probe_timeout = 1

[program:w1]
command = echo \$\$ >$T/w1.pid; exec sleep 600

[program:w2]
command = echo \$\$ >$T/w2.pid; exec sleep 600

[program:num]
command = for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo "n \$i"; done; sleep 0.3; echo "to stderr" >&2; exec sleep 600

[program:tty]
command = if [ -t 1 ]; then echo "on a terminal"; fi; exec sleep 600
pty = true

[program:plain]
command = exec sleep 600

[program:late]
command = sleep 1.5; date +%s%N >$T/late.t; echo "listening now"; exec sleep 600
ready_log = listening now
autostart = false

[program:early]
command = sleep 0.5; exit 3
ready_log = never printed
autostart = false
INI
CTL_ARGS=(-c "$T/tend.ini")
tui_start 100 30 "$T/tend.ini 2>$T/tui.err"
up_or_bail "tend ctl reaches the TUI" "$T/tui.err"
check "the TUI shows the programs" wait_screen '^│  w2 +running' 10
wait_file "$T/w2.pid" 5
w1=$(cat "$T/w1.pid") w2=$(cat "$T/w2.pid")
TEND_PIDS+=("$w1" "$w2")
wait_screen '^│  plain +running' 5 >/dev/null

tpid=$(tend_pid)
timeout 10 "$TEND" --headless "$T/tend.ini" >"$T/second.out" 2>&1
rc=$?
check "a second tend on the same config refuses: exit 2 (got $rc)" test "$rc" = 2
check "... naming the TUI's pid ($tpid)" has "$T/second.out" "already running .*\(pid $tpid\)"
check "the TUI goes on" wait_screen '^│  w2 +running' 2

# --- status ---------------------------------------------------------------------
check "status: exit 0" ctl_do 0 status
check "status: one line per program (10)" test "$(wc -l <"$T/ctl.out")" = 10
check "status: w1 running with its real pid" has "$T/ctl.out" "^w1 +running +pid $w1 +since [0-9:]{8} +restarts 0  cpu [0-9.]+%  rss [0-9.]+[KMG]$"
check "status: late not started" has "$T/ctl.out" '^late +not started +pid - '
echo_pid=$(awk '$1 == "echo" { print $4 }' "$T/ctl.out")
check "status: echo's pid is the one the TUI's title shows ($echo_pid)" wait_screen "─ echo running · pid $echo_pid "
(cd "$T" && timeout 10 "$TEND" ctl status >"$T/default.out" 2>&1)
check "status from the config's folder, no -c" has "$T/default.out" "^w2 +running +pid $w2 "
check "status --json: exit 0" ctl_do 0 status --json
check "status --json: parses; the programs in order; w1 with its pid" \
	json_ok "[o['name'] for o in s] == 'echo web dead w1 w2 num tty plain late early'.split() and p['w1']['pid'] == $w1 and p['w1']['state'] == 'running' and p['w1']['restarts'] == 0"
check "status --json: the same members as headless" json_ok '
all(set(o) == {"name","state","text","pid","since","uptime_s","stopped_by","health","restarts","cpu_percent","rss_bytes","exit_code","exit_signal","failed"} for o in s)'

# --- stop / start / restart / kill --------------------------------------------------
check "stop w1 w2: exit 0" ctl_do 0 stop w1 w2
check "stop w1 w2: says so" same "$T/ctl.out" 'w1: stopping\nw2: stopping'
check "the list shows w1 killed by SIGTERM" wait_screen '^│  w1 +killed SIGTERM' 5
check "... and w2" wait_screen '^│  w2 +killed SIGTERM' 5
check "the processes are gone" gone "$w1" "$w2"
ctl_do 0 status --json
check "status --json: exited, exit_signal SIGTERM" \
	json_ok 'all(p[n]["state"] == "exited" and p[n]["exit_signal"] == "SIGTERM" and p[n]["pid"] is None for n in ("w1", "w2"))'
check "stop w1 again: exit 1" ctl_do 1 stop w1
check "... w1 is not running" same "$T/ctl.err" 'w1 is not running'
rm -f "$T/w1.pid" "$T/w2.pid"
check "start w1 w2: exit 0" ctl_do 0 start w1 w2
wait_file "$T/w2.pid" 5 && wait_file "$T/w1.pid" 5
n1=$(cat "$T/w1.pid") n2=$(cat "$T/w2.pid")
TEND_PIDS+=("$n1" "$n2")
check "start: says started with the pids" same "$T/ctl.out" "w1: started, pid $n1\nw2: started, pid $n2"
check "the list shows w1 started again" wait_screen '^│  w1 +(starting|running)' 5
check "... and w2 running" wait_screen '^│  w2 +running' 5
rm -f "$T/w1.pid" "$T/w2.pid"
check "restart w1 w2: exit 0" ctl_do 0 restart w1 w2
check "restart: says restarting" same "$T/ctl.out" 'w1: restarting\nw2: restarting'
wait_file "$T/w2.pid" 10 && wait_file "$T/w1.pid" 5
r1=$(cat "$T/w1.pid") r2=$(cat "$T/w2.pid")
TEND_PIDS+=("$r1" "$r2")
check "restart: new processes ($n1 -> $r1, $n2 -> $r2)" test "$r1" != "$n1" -a "$r2" != "$n2"
check "... the old ones are gone" gone "$n1" "$n2"
check "the list shows them running" wait_screen '^│  w2 +running' 5
ctl_do 0 status --json
check "status --json: the new pids, restarts 2" \
	json_ok "p['w1']['pid'] == $r1 and p['w2']['pid'] == $r2 and p['w1']['restarts'] == 2 and p['w2']['restarts'] == 2"
check "kill w1 w2: exit 0" ctl_do 0 kill w1 w2
check "kill: says sent SIGKILL" same "$T/ctl.out" 'w1: sent SIGKILL\nw2: sent SIGKILL'
check "the list shows w1 killed by SIGKILL" wait_screen '^│  w1 +killed SIGKILL' 5
check "... and w2" wait_screen '^│  w2 +killed SIGKILL' 5
check "... they are gone" gone "$r1" "$r2"

# --- send / eof (echo is selected: its pane is on screen) -------------------------------
check "send echo TEXT: exit 0" ctl_do 0 send echo 'hello from ctl'
check "the pane shows what echo answered" wait_screen '^│ +││ got hello from ctl +│$' 5
check "... after the line sent, shown as input" wait_screen '^│ +││›hello from ctl +│$' 5
check "send with %, quotes and UTF-8" ctl_do 0 send echo '50% "wörld"'
check "... arrives as it was" wait_screen '^│ +││ got 50% "wörld" +│$' 5
check "eof echo: exit 0" ctl_do 0 eof echo
check "the pane shows echo saw EOF" wait_screen '^│ +││ echo saw EOF +│$' 5
check "the list shows echo exited 0" wait_screen '^│> echo +exited 0' 5
check "send to it now: exit 1" ctl_do 1 send echo more

# --- probe -------------------------------------------------------------------------------------
check "probe web: exit 0" ctl_do 0 probe web
check "probe web: says ok" has "$T/ctl.out" "^web: probe ok: GET http://127.0.0.1:$port/: 200 "
check "the list shows web ready" wait_screen '^│  web +ready' 5
keys j
check "web's pane shows the probe's result" wait_screen "◆ probe ok: GET http://127.0.0.1:$port/: 200 " 5
keys k
check "probe dead: exit 1" ctl_do 1 probe dead
check "probe dead: says FAILED" has "$T/ctl.out" "^dead: probe FAILED: GET http://127.0.0.1:$noport/: connection refused"
check "probe plain: exit 1" ctl_do 1 probe plain
check "... no probe_url" has "$T/ctl.err" 'no probe_url'

# --- logs ---------------------------------------------------------------------------------------
check "logs num -n 3: exit 0" ctl_do 0 logs num -n 3
check "logs num -n 3: the last 3 lines, stderr marked !" same "$T/ctl.out" 'num  | n 11\nnum  | n 12\nnum  ! to stderr'
check "logs of a pty program" ctl_do 0 logs tty -n 1
check "... its line" same "$T/ctl.out" 'tty  | on a terminal'
check "logs of two programs merged" ctl_do 0 logs num tty -n 100
check "... num's and tty's lines, each with its name" \
	test "$(grep -c '^num  [|!*] ' "$T/ctl.out"),$(grep -c '^tty  [|*] ' "$T/ctl.out")" = "14,2"
check "restart echo (stdin closed before)" ctl_do 0 restart echo
check "... running again" wait_screen '^│> echo +running' 5
timeout 60 "$TEND" ctl -c "$T/tend.ini" logs echo -n 0 -f >"$T/follow.out" 2>"$T/follow.err" &
follow=$!
TEND_PIDS+=("$follow")
sleep 0.3
check "send echo a line for the follower" ctl_do 0 send echo 'seen by the follower'
check "logs -f: the follower gets it" wait_for "$T/follow.out" '^echo \| got seen by the follower$' 5
check "... so does the pane" wait_screen '^│ +││ got seen by the follower +│$' 5

# --- wait --------------------------------------------------------------------------------------------
check "start late" ctl_do 0 start late
check "wait late (its ready_log line comes after 1.5 s): exit 0" ctl_do 0 wait late --timeout 20
done_ns=$(date +%s%N)
check "... it waited (${CTL_MS} ms)" test "$CTL_MS" -ge 1000
check "... and returned only after the line was printed" \
	test "$(cat "$T/late.t" 2>/dev/null || echo 99999999999999999999)" -le "$done_ns"
check "the list shows late ready" wait_screen '^│  late +ready' 5
check "wait --for started" ctl_do 0 wait late plain --for started
check "wait --timeout 1 on what never comes: exit 1" ctl_do 1 wait plain --for exited --timeout 1
check "... within 1-2 s (${CTL_MS} ms)" test "$CTL_MS" -ge 900 -a "$CTL_MS" -lt 2500
check "... timed out: plain is not exited" same "$T/ctl.err" 'timed out: plain is not exited'
check "start early" ctl_do 0 start early
check "wait on a program that ends before it is ready: exit 1" ctl_do 1 wait early --timeout 10
check "... early exited 3 before it was ready" same "$T/ctl.err" 'early exited 3 before it was ready'
check "wait early --for exited: met (it exited)" ctl_do 0 wait early --for exited --timeout 5

# --- errors --------------------------------------------------------------------------------------------
check "stop wbe: exit 1" ctl_do 1 stop wbe
check "... no program 'wbe'; did you mean 'web'?" same "$T/ctl.err" "no program 'wbe'; did you mean 'web'?"
check "send web without TEXT: exit 2" ctl_do 2 send web
check "... send's usage" same "$T/ctl.err" 'usage: tend ctl send NAME TEXT'
check "an unknown command: exit 2" ctl_do 2 frobnicate
check "no command: exit 2" ctl_do 2
check "the TUI still answers keys: j selects web" eval 'keys j; wait_screen "^│> web " 3'
keys k

# --- quit ----------------------------------------------------------------------------------------------------
timeout 60 "$TEND" ctl -c "$T/tend.ini" logs plain -f >"$T/follow2.out" 2>&1 &
follow2=$!
TEND_PIDS+=("$follow2")
sleep 0.3
plain_pid=$(awk '$1 == "plain" { print $4 }' "$T/default.out")
check "quit: exit 0" ctl_do 0 quit
check "... says it stops every program" same "$T/ctl.out" 'stopping every program'
check "tend ends: the shell shows its exit status 0" wait_screen '^TEND-EXIT=0$' 15
check "... and the terminal is sane" wait_screen '^TTY-SANE$' 5
check "... with the summary of each program" wait_screen '^plain: killed by SIGTERM \(rc -15\) after ' 5
check "the programs are gone" gone "${plain_pid:-0}"
check "the logs -f followers end" wait_exit "$follow" 5
check "... with status 0" test "$EXIT_STATUS" = 0
check "... both" wait_exit "$follow2" 5
check "... status 0" test "$EXIT_STATUS" = 0
check "no tend running now: exit 2" ctl_do 2 status
check "... says so" has "$T/ctl.err" '^tend ctl: no tend is running '
check "no sanitizer report" no_sanitizer_report "$T/tui.err" "$T/second.out" "$T/ctl-all.err" "$T/follow.err" "$T/follow2.out" "$T/default.out"
