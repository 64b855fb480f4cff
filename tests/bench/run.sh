#!/usr/bin/env bash
# Benchmarks (make bench): figures, not pass/fail.  Every case runs against
# tend and, in the same run, against the references: the pipe limit
# (`seq | cat`) and tmux running the same child in a terminal of the same
# size.  The TUI runs inside a 200x50 tmux; tend's own process is measured.
#
#   drain        seq 1 2000000 in the selected pane; the child's wall time
#   drain-hl     the same under `tend --headless > /dev/null`
#   drain-pty    the same with pty = true (through the emulated terminal)
#   drain-ctl    drain with 50 `tend ctl logs -f` clients following it,
#                against the same started by `tend ctl start` with none
#   vt-repaint   a pty program redrawing its whole 200x50 screen 2000
#                times: the CPU it costs per MB of output, ms/MB
#   key-focus    focus mode on a pty program that answers each key: the
#                key to its answer on screen, ms (median of 10)
#   idle         10 sleeping children, 10 s once started: wake-ups/s, CPU
#   many         100 children, a line every 10 ms each, 10 s: CPU
#   key          `yes` floods the pane; j to the screen changing, seen by
#                capture-pane through one tmux control client (median of 10)
#                (tmux: a window switch while its window floods)
#   mem-2M/20M   RSS after 2,000,000 and 20,000,000 lines (scrollback 10000)
#   start        20 programs: exec to the first frame (median of 5)
#   scale        100 and 1000 programs, headless: exec to every one
#                started, and SIGTERM to tend's exit; 1000 programs
#                writing 10 lines a second each: CPU
#   store        lines/s through one store (the read -> store hot path)
#   stats        one stats sample with 100 programs: ms of CPU, taken once
#                a second while the list shows the stats (stats-all: the
#                fallback that reads every process of the machine)
#
# Usage: tests/bench/run.sh [BUILD_DIR [CASE...]]   (CASE: drain vt idle
# many key memory start scale store stats; all by default)
set -u
cd "$(dirname "$0")/../.."
build=${1:-build}
shift $(($# > 0))
tend="$PWD/$build/tend"
bench="$PWD/tests/bench"
tmp=$(mktemp -d /tmp/tend-bench.XXXXXX)
host_sock=tend-bench-host-$$
ref_sock=tend-bench-ref-$$
COLS=200 ROWS=50
SCROLLBACK=10000
HZ=$(getconf CLK_TCK)

host() { tmux -L "$host_sock" -f /dev/null "$@"; }
ref() { tmux -L "$ref_sock" -f "$tmp/ref.conf" "$@"; }

cleanup() {
	host kill-server 2>/dev/null
	ref kill-server 2>/dev/null
	tmux -L "$ref_sock-start" kill-server 2>/dev/null
	sleep 0.5
	pkill -KILL -f "$tmp" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# Children get a copy of sleep under $tmp, so that a leftover is easy to find.
cp "$(command -v sleep)" "$tmp/nap"
cat >"$tmp/tick.py" <<'PY'
import sys, time
n = 0
while True:
    n += 1
    sys.stdout.write("tick %d at %.3f\n" % (n, time.time()))
    sys.stdout.flush()
    time.sleep(0.01)
PY
# The interpreter itself: a version manager's shim (pyenv) is a shell
# script that 100 copies at once can stall.
python=$(python3 -c 'import sys; print(sys.executable)')
cat >"$tmp/ref.conf" <<CONF
set -g history-limit $SCROLLBACK
set -g status off
CONF

# --- helpers ------------------------------------------------------------

# wait_file FILE SECONDS: until FILE exists (returns 1 on timeout).
wait_file() {
	local i
	for ((i = 0; i < $2 * 100; i++)); do
		[ -s "$1" ] && return 0
		sleep 0.01
	done
	echo "bench: timed out waiting for $1" >&2
	return 1
}

median() { sort -g | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : "n/a" }'; }

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
wakeups() { awk '/^voluntary_ctxt_switches/ { print $2 }' "/proc/$1/status"; }
rss_mib() { awk '/^VmRSS/ { printf "%.1f\n", $2 / 1024 }' "/proc/$1/status"; }

# tend_pid CONFIG: the tend process running CONFIG.
tend_pid() {
	local i pid
	for ((i = 0; i < 500; i++)); do
		pid=$(pgrep -f "^$tend $1\$" | head -1)
		[ -n "$pid" ] && { echo "$pid"; return 0; }
		sleep 0.01
	done
	return 1
}

# new_session SOCKET-FN NAME CMD: a fresh 200x50 session, retried while
# the previous server on the socket is still going away.
new_session() {
	local i
	"$1" kill-server 2>/dev/null
	for ((i = 0; i < 50; i++)); do
		"$1" new-session -d -s "$2" -x $COLS -y $ROWS "$3" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "bench: cannot start a tmux session for: $3" >&2
	return 1
}

# host_tend CONFIG: run the TUI on CONFIG in the 200x50 host terminal.
host_tend() {
	new_session host t "env LANG=C.UTF-8 $tend $1"
	host set-option -t t status off >/dev/null
}

# ref_run CMD: run CMD in the 200x50 reference tmux.
ref_run() { new_session ref r "$1"; }

# ref_windows N CMD: the reference tmux with N windows, each running CMD.
ref_windows() {
	local i
	{
		echo "new-session -d -s r -x $COLS -y $ROWS '$2'"
		for ((i = 2; i <= $1; i++)); do echo "new-window -d -t r '$2'"; done
	} >"$tmp/windows.tmux"
	ref kill-server 2>/dev/null
	ref start-server \; source-file "$tmp/windows.tmux" >/dev/null
}

ref_pid() { ref display-message -p -t r '#{pid}'; }

# ref_stop: end the reference tmux.  With a hundred busy panes the server
# can take seconds to act on kill-server, so it gets SIGKILL after 3 s
# (its panes then get SIGHUP from their closed terminals).
ref_stop() {
	local pid i
	pid=$(ref_pid 2>/dev/null)
	ref kill-server 2>/dev/null
	[ -z "$pid" ] && return
	for ((i = 0; i < 30; i++)); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
}

# measure PID SECONDS: "CPU% wakeups/s" over SECONDS.
measure() {
	local c0 w0 c1 w1
	c0=$(ticks "$1") w0=$(wakeups "$1")
	sleep "$2"
	c1=$(ticks "$1") w1=$(wakeups "$1")
	awk -v c=$((c1 - c0)) -v w=$((w1 - w0)) -v s="$2" -v hz="$HZ" \
		'BEGIN { printf "%.1f %.1f\n", c * 100 / hz / s, w / s }'
}

ROWS_OUT=()
# row CASE TEND PIPE TMUX UNIT TARGET
row() {
	local ratio_pipe=- ratio_tmux=-
	[ "$3" != - ] && ratio_pipe=$(awk -v a="$2" -v b="$3" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else printf "-" }')
	[ "$4" != - ] && ratio_tmux=$(awk -v a="$2" -v b="$4" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else printf "-" }')
	ROWS_OUT+=("$(printf '%-10s %10s %10s %10s %8s %8s  %-6s %s' \
		"$1" "$2" "$3" "$4" "$ratio_pipe" "$ratio_tmux" "$5" "$6")")
	printf '  %s: tend %s, pipe %s, tmux %s %s\n' "$1" "$2" "$3" "$4" "$5"
}

# ref_row CASE REF TEND FIGURE UNIT: tend against one more reference.
ref_row() {
	local ratio
	ratio=$(awk -v a="$3" -v b="$4" 'BEGIN { if (b > 0) printf "%.3fx", a / b; else printf "-" }')
	REFS_OUT+=("$(printf '%-10s %-8s tend %s %s, %s %s %s: tend/%s %s' \
		"$1" "$2" "$3" "$5" "$2" "$4" "$5" "$2" "$ratio")")
	printf '  %s: tend %s, %s %s %s\n' "$1" "$3" "$2" "$4" "$5"
}
REFS_OUT=()

# mprocs, the closest peer, from the npm registry into build/ when npm is
# there (once); without it its rows are left out, with a note.
mprocs=$PWD/build/mprocs/node_modules/.bin/mprocs
mprocs_install() {
	[ -x "$mprocs" ] && return 0
	if ! command -v npm >/dev/null; then
		echo "  (no npm: the mprocs reference is left out)"
		return 1
	fi
	mkdir -p build/mprocs
	npm install --prefix build/mprocs mprocs >/dev/null 2>&1 && [ -x "$mprocs" ] || {
		echo "  (npm could not install mprocs: its reference is left out)"
		return 1
	}
}

# --- drain --------------------------------------------------------------

case_drain() {
	LINES_DRAIN=2000000

	drain_tend() { # PTY(true/false) RUN -> seconds
		local out="$tmp/drain-$1-$2" cfg="$tmp/drain-$1-$2.ini"
		printf '[program:seq]\ncommand = %s %s seq 1 %d; exec %s 600\npty = %s\n' \
			"$bench/timed.sh" "$out" $LINES_DRAIN "$tmp/nap" "$1" >"$cfg"
		host_tend "$cfg"
		wait_file "$out" 60 && cat "$out"
		host kill-server 2>/dev/null
	}

	drain_headless() { # RUN
		local out="$tmp/drain-hl-$1" cfg="$tmp/drain-hl-$1.ini"
		printf '[program:seq]\ncommand = %s %s seq 1 %d\n' \
			"$bench/timed.sh" "$out" $LINES_DRAIN >"$cfg"
		"$tend" --headless "$cfg" >/dev/null 2>&1
		cat "$out"
	}

	drain_pipe() { # RUN
		"$bench/timed.sh" "$tmp/pipe-$1" seq 1 $LINES_DRAIN | cat >/dev/null
		cat "$tmp/pipe-$1"
	}

	drain_ctl() { # FOLLOWERS RUN: the TUI's drain with that many ctl logs -f
		local out="$tmp/drain-ctl-$1-$2" cfg="$tmp/drain-ctl-$1-$2.ini" i pids=()
		printf '[program:seq]\ncommand = %s %s seq 1 %d; exec %s 600\nautostart = false\n' \
			"$bench/timed.sh" "$out" $LINES_DRAIN "$tmp/nap" >"$cfg"
		host_tend "$cfg"
		for ((i = 0; i < 50; i++)); do
			"$tend" ctl -c "$cfg" status >/dev/null 2>&1 && break
			sleep 0.1
		done
		for ((i = 0; i < $1; i++)); do
			"$tend" ctl -c "$cfg" logs seq -n 0 -f >/dev/null 2>&1 &
			pids+=("$!")
		done
		sleep 1
		"$tend" ctl -c "$cfg" start seq >/dev/null
		wait_file "$out" 60 && cat "$out"
		host kill-server 2>/dev/null
		[ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null
		wait "${pids[@]}" 2>/dev/null
	}

	drain_mprocs() { # RUN
		local out="$tmp/mprocs-$1"
		new_session host m "$mprocs '$bench/timed.sh $out seq 1 $LINES_DRAIN; exec $tmp/nap 600'"
		wait_file "$out" 120 && cat "$out"
		host kill-server 2>/dev/null
	}

	drain_tmux() { # RUN
		local out="$tmp/tmux-$1"
		ref_run "$bench/timed.sh $out seq 1 $LINES_DRAIN; exec $tmp/nap 600"
		wait_file "$out" 60 && cat "$out"
		ref kill-server 2>/dev/null
	}

	echo "== drain: seq 1 $LINES_DRAIN, the child's wall time in s (median of 5; tmux 3)"
	pipe=$(for r in 1 2 3 4 5; do drain_pipe $r; done | median)
	tmuxd=$(for r in 1 2 3; do drain_tmux $r; done | median)
	t=$(for r in 1 2 3 4 5; do drain_tend false $r; done | median)
	row drain "$t" "$pipe" "$tmuxd" s "<= 0.2 s"
	if mprocs_install; then
		m=$(for r in 1 2 3; do drain_mprocs $r; done | median)
		ref_row drain mprocs "$t" "$m" s
	fi
	c0=$(for r in 1 2 3; do drain_ctl 0 $r; done | median)
	c50=$(for r in 1 2 3; do drain_ctl 50 $r; done | median)
	row drain-ctl "$c50" "$pipe" "$tmuxd" s "<= 1.2x no clients ($c0)"
	t=$(for r in 1 2 3 4 5; do drain_headless $r; done | median)
	row drain-hl "$t" "$pipe" "$tmuxd" s "<= 3x pipe"
	t=$(for r in 1 2 3 4 5; do drain_tend true $r; done | median)
	row drain-pty "$t" "$pipe" "$tmuxd" s "<= tmux / 3"
}

# --- vt: the emulated terminal -------------------------------------------

case_vt() {
	FRAMES=2000
	echo "== vt-repaint: a pty program redraws a 200x50 screen $FRAMES times"
	cfg="$tmp/repaint.ini"
	# One script for tend and tmux (and a config line of sane length).
	printf '#!/bin/sh\n%s %s %d 2>%s\necho done >%s\nexec %s 600\n' "$python" \
		"$bench/repaint.py" $FRAMES "$tmp/repaint-bytes" "$tmp/repaint-t" \
		"$tmp/nap" >"$tmp/repaint.sh"
	chmod +x "$tmp/repaint.sh"
	printf '[program:paint]\ncommand = %s\npty = true\n' "$tmp/repaint.sh" >"$cfg"
	host_tend "$cfg"
	pid=$(tend_pid "$cfg")
	c0=$(ticks "$pid")
	wait_file "$tmp/repaint-t" 120
	c1=$(ticks "$pid")
	mb=$(awk '{ print $2 / 1e6 }' "$tmp/repaint-bytes")
	t=$(awk -v c=$((c1 - c0)) -v hz="$HZ" -v mb="$mb" 'BEGIN { printf "%.1f", c * 1000 / hz / mb }')
	host kill-server
	rm -f "$tmp/repaint-t"
	ref_run "$tmp/repaint.sh"
	rp=$(ref_pid)
	c0=$(ticks "$rp")
	wait_file "$tmp/repaint-t" 120
	c1=$(ticks "$rp")
	r=$(awk -v c=$((c1 - c0)) -v hz="$HZ" -v mb="$mb" 'BEGIN { printf "%.1f", c * 1000 / hz / mb }')
	ref kill-server
	row vt-repaint "$t" - "$r" ms/MB "<= tmux"

	echo "== key-focus: a key in focus mode to the program's answer on screen, ms (median of 10)"
	cfg="$tmp/keyfocus.ini"
	printf '[program:echo]\ncommand = exec %s %s\npty = true\n' "$python" "$bench/keyecho.py" >"$cfg"
	host_tend "$cfg"
	sleep 1
	host send-keys -t t i
	sleep 0.5
	t=$(python3 "$bench/keylat.py" "$host_sock" t 5 "send-keys -t t a" \
		'got a' "send-keys -t t b" 'got b' | median)
	host kill-server
	ref_run "exec $python $bench/keyecho.py"
	sleep 1
	r=$(python3 "$bench/keylat.py" "$ref_sock" r 5 "send-keys -t r a" \
		'got a' "send-keys -t r b" 'got b' | median)
	ref kill-server
	row key-focus "$t" - "$r" ms "<= 10"
}

# --- idle ---------------------------------------------------------------

case_idle() {
	echo "== idle: 10 sleeping children, 10 s"
	cfg="$tmp/idle.ini"
	for i in $(seq 1 10); do printf '[program:p%d]\ncommand = exec %s 600\n' "$i" "$tmp/nap"; done >"$cfg"
	host_tend "$cfg"
	pid=$(tend_pid "$cfg")
	# Past the start-up: startsecs (1 s) and the buffering hint (5 s).
	sleep 6
	m=$(measure "$pid" 10) tcpu=${m% *} twake=${m#* }
	host kill-server
	ref_windows 10 "$tmp/nap 600"
	sleep 2
	m=$(measure "$(ref_pid)" 10) rcpu=${m% *} rwake=${m#* }
	ref_stop
	row idle-wake "$twake" - "$rwake" /s "0"
	row idle-cpu "$tcpu" - "$rcpu" % "0.0"
}

# --- many ---------------------------------------------------------------

case_many() {
	echo "== many: 100 children, a line every 10 ms each, 10 s"
	cfg="$tmp/many.ini"
	for i in $(seq 1 100); do printf '[program:p%d]\ncommand = exec %s -u %s\n' "$i" "$python" "$tmp/tick.py"; done >"$cfg"
	host_tend "$cfg"
	pid=$(tend_pid "$cfg")
	sleep 4
	m=$(measure "$pid" 10) tcpu=${m% *}
	host kill-server
	ref_windows 100 "exec $python -u $tmp/tick.py"
	sleep 4
	m=$(measure "$(ref_pid)" 10) rcpu=${m% *}
	ref_stop
	row many-cpu "$tcpu" - "$rcpu" % "<= 5"
	sleep 1
}

# --- key latency --------------------------------------------------------

case_key() {
	echo "== key: press j while yes floods the selected pane, ms (median of 10)"
	cfg="$tmp/key.ini"
	printf '[program:flood]\ncommand = exec yes "the quick brown fox jumps over the lazy dog"\n[program:quiet]\ncommand = echo quiet; exec %s 600\n' "$tmp/nap" >"$cfg"
	host_tend "$cfg"
	sleep 2
	# One tmux control-mode client sends the keys and reads the screen
	# (capture-pane), so no process is started per look.
	t=$(python3 "$bench/keylat.py" "$host_sock" t 5 "send-keys -t t j" \
		'^│> quiet' "send-keys -t t k" '^│> flood' | median)
	host kill-server
	# tmux: window 0 floods, window 1 is quiet; switching windows is the
	# nearest thing to selecting another program.
	ref_run "exec yes 'the quick brown fox jumps over the lazy dog'"
	ref new-window -d -t r "echo quiet-window; exec $tmp/nap 600"
	sleep 2
	r=$(python3 "$bench/keylat.py" "$ref_sock" r 5 "select-window -t r:1" \
		'quiet-window' "select-window -t r:0" 'quick brown' | median)
	ref kill-server
	row key "$t" - "$r" ms "<= 50"
}

# --- memory -------------------------------------------------------------

case_memory() {
	echo "== memory: RSS after N lines of seq, scrollback $SCROLLBACK"
	mem_tend() { # LINES
		local out="$tmp/mem-$1" cfg="$tmp/mem-$1.ini" pid
		printf '[tend]\nscrollback = %d\n[program:seq]\ncommand = %s %s seq 1 %d; exec %s 600\n' \
			$SCROLLBACK "$bench/timed.sh" "$out" "$1" "$tmp/nap" >"$cfg"
		host_tend "$cfg"
		pid=$(tend_pid "$cfg")
		wait_file "$out" 120 && sleep 0.5 && rss_mib "$pid"
		host kill-server
	}
	mem_tmux() { # LINES
		local out="$tmp/mem-tmux-$1" m
		ref_run "$bench/timed.sh $out seq 1 $1; exec $tmp/nap 600"
		wait_file "$out" 120 && sleep 0.5 && rss_mib "$(ref_pid)"
		ref kill-server
	}
	t2=$(mem_tend 2000000)
	r2=$(mem_tmux 2000000)
	# scrollback (10000 numbers of 7-8 bytes, ~80 KB) + 10 MB = 9.6 MiB
	row mem-2M "$t2" - "$r2" MiB "<= 9.6"
	t20=$(mem_tend 20000000)
	r20=$(mem_tmux 20000000)
	row mem-20M "$t20" - "$r20" MiB "= mem-2M +-10%"
}

# --- start --------------------------------------------------------------

case_start() {
	echo "== start: 20 programs, exec to the first frame (median of 5)"
	cfg="$tmp/start.ini"
	for i in $(seq 1 20); do printf '[program:prog%02d]\ncommand = exec %s 600\n' "$i" "$tmp/nap"; done >"$cfg"
	t=$(for r in 1 2 3 4 5; do
		LANG=C.UTF-8 python3 "$bench/firstframe.py" $COLS $ROWS prog20 "$tend" "$cfg"
	done | median)
	args=(-L "$ref_sock-start" -f /dev/null new-session "$tmp/nap 600")
	for i in $(seq 2 20); do args+=(';' new-window "$tmp/nap 600"); done
	r=$(for i in 1 2 3 4 5; do
		LANG=C.UTF-8 python3 "$bench/firstframe.py" $COLS $ROWS '19:nap' tmux "${args[@]}"
		tmux -L "$ref_sock-start" kill-server 2>/dev/null
	done | median)
	row start "$t" - "$r" ms "<= 50"
}

# --- scale --------------------------------------------------------------

# scale_run N: "START_MS STOP_MS" for N sleeping programs under
# tend --headless: exec to every "started" line, SIGTERM to exit.
scale_run() {
	local n=$1 cfg="$tmp/scale$1.ini" out="$tmp/scale$1.out" pid t0 t1 t2
	for i in $(seq 1 "$n"); do
		printf '[program:p%d]\ncommand = exec %s 600\n' "$i" "$tmp/nap"
	done >"$cfg"
	: >"$out"
	t0=$(date +%s%N)
	"$tend" --headless "$cfg" >"$out" 2>&1 &
	pid=$!
	while [ "$(grep -c '\* started' "$out")" -lt "$n" ]; do sleep 0.01; done
	t1=$(date +%s%N)
	kill -TERM "$pid"
	wait "$pid"
	t2=$(date +%s%N)
	echo "$(((t1 - t0) / 1000000)) $(((t2 - t1) / 1000000))"
}

case_scale() {
	local a b
	echo "== scale: 100 and 1000 sleeping programs, headless: exec to all started, SIGTERM to exit"
	read -r a b <<<"$(scale_run 100)"
	row start-100 "$a" - - ms ""
	row stop-100 "$b" - - ms ""
	read -r a b <<<"$(scale_run 1000)"
	row start-1000 "$a" - - ms "<= 1000"
	row stop-1000 "$b" - - ms ""
	scale_many
}

# 1000 programs, 10 lines a second each, 10 s, headless: tend's CPU.  Each
# waits with bash's read -t on a FIFO no one writes, so no child forks.
scale_many() {
	local cfg="$tmp/many1000.ini" pid
	mkfifo "$tmp/quiet"
	for i in $(seq 1 1000); do
		printf "[program:p%d]\ncommand = exec bash -c 'exec 3<>%s; while :; do echo tick; read -t 0.1 -u 3; done'\n" "$i" "$tmp/quiet"
	done >"$cfg"
	"$tend" --headless "$cfg" >/dev/null 2>&1 &
	pid=$!
	sleep 10	# all started, settled
	read -r cpu _ <<<"$(measure "$pid" 10)"
	kill -TERM "$pid"
	wait "$pid"
	row many-1000 "$cpu" - - "%CPU" "<= 10"
}

# --- store --------------------------------------------------------------

case_store() {
	echo "== store (the read -> store hot path, no references)"
	cc -O2 -Iinclude tests/bench/store_bench.c src/store.c -o "$tmp/store_bench"
	"$tmp/store_bench"
}

# --- stats --------------------------------------------------------------

case_stats() {
	echo "== stats: one sample of 100 programs' process trees from /proc"
	cc -O2 -Iinclude tests/bench/stats_bench.c src/stats.c -o "$tmp/stats_bench"
	out=$("$tmp/stats_bench") || echo "bench: stats_bench did not find every child" >&2
	echo "  $out"
	t=$(echo "$out" | sed -nE 's/.* ([0-9.]+) ms CPU per sample.*/\1/p')
	row stats "${t:-n/a}" - - ms "<= 10 (1 % of a core)"
	# The fallback for kernels without /proc/PID/task/TID/children: every
	# process of the machine is read ($(ls /proc | grep -c '^[0-9]') now).
	out=$(TEND_STATS_SCAN_ALL=1 "$tmp/stats_bench") || echo "bench: stats_bench (all) did not find every child" >&2
	echo "  all of /proc: $out"
	t=$(echo "$out" | sed -nE 's/.* ([0-9.]+) ms CPU per sample.*/\1/p')
	row stats-all "${t:-n/a}" - - ms "<= 10, $(ls /proc | grep -c '^[0-9]') processes"
}

# --- run ----------------------------------------------------------------

cases=("$@")
[ ${#cases[@]} -eq 0 ] && cases=(drain vt idle many key memory start scale store stats)
for c in "${cases[@]}"; do "case_$c"; done

# --- the table ----------------------------------------------------------

echo
echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(uname -sr)"
printf '%-10s %10s %10s %10s %8s %8s  %-6s %s\n' case tend pipe tmux tend/pipe tend/tmux unit target
for r in "${ROWS_OUT[@]}"; do echo "$r"; done
[ ${#REFS_OUT[@]} -gt 0 ] && { echo; echo "against mprocs ($("$mprocs" --version 2>/dev/null)):"; }
for r in "${REFS_OUT[@]}"; do echo "$r"; done

# Programs of the last case may still be stopping (SIGHUP, SIGTERM):
# give them 5 s before calling them left behind.
for ((i = 0; i < 50; i++)); do
	left=$(pgrep -f "$tmp" | grep -v "^$$\$" | tr '\n' ' ' || true)
	[ -z "$left" ] && break
	sleep 0.1
done
left=${left% }
[ -n "$left" ] && { echo "bench: left behind:" >&2; ps -o pid,ppid,args -p "${left// /,}" >&2; }
exit 0
