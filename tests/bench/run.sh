#!/usr/bin/env bash
# Benchmarks (make bench): every case runs against tend and, in the same
# run, against the references: the pipe limit (`seq | cat`), tmux running
# the same child in a terminal of the same size, and mprocs (the closest
# peer, from npm into build/mprocs) where it can be measured fairly.  The
# TUI runs inside a 200x50 tmux; tend's own process is measured.  Each row
# of the final table has its target, the limit computed in the same run,
# and "met" or "NOT met" (computed).
#
#   drain        seq 1 2000000 in the selected pane; the child's wall time
#                (target: 1.5x pipe); mprocs: the same, scrollback 10000
#   drain-hl     the same under `tend --headless > /dev/null` (1.5x pipe)
#   drain-pty    the same with pty = true, through the emulated terminal;
#                its floor: the child on a pty whose master is only read
#                (what the kernel's pty costs before any terminal works)
#                (tmux's time / 3)
#   drain-ctl    the drain with 50 `tend ctl logs -f` clients following it,
#                against the same started by `tend ctl start` with none
#                (1.2x none)
#   vt-repaint   a pty program redrawing its whole 200x50 screen 2000
#                times: the CPU it costs per MB of output, ms/MB
#   key-focus    focus mode on a pty program that answers each key: the
#                key to its answer on screen, ms (median of 10)
#   idle         10 sleeping children, 10 s once started: wake-ups/s and
#                CPU, the TUI (its stats column visible, checked on the
#                screen; target <= 1/s) and headless (target 0); tmux with
#                10 windows, mprocs with 10 procs in the same 200x50 host
#   many         100 children, a line every 10 ms each, 10 s: CPU, against
#                tmux with 100 windows (information); 1000 programs writing
#                10 lines a second each, 10 s: CPU, TUI and headless
#                (target 10 % of one core)
#   key          `yes` floods the pane; j to the screen changing, seen by
#                capture-pane through one tmux control client (median of 10)
#                (tmux: a window switch while its window floods; <= 10 ms)
#   mem-2M/20M   RSS after 2,000,000 and 20,000,000 lines, scrollback 10000
#                (20M: <= tmux's RSS for the same child + the bytes of the
#                10000 lines kept); mprocs after MPROCS_MEM_LINES (2000000
#                by default: 20M lines take it minutes)
#   start        100 and 1000 sleeping programs in the TUI: exec to the
#                first frame (the list's last visible row drawn) and to
#                every child exec'd, median of 3; <= 1 s for 1000, and
#                1000 <= 10.5x 100.  The same headless: exec to every
#                "started" line, and SIGTERM to tend's exit
#   store        lines/s through one store (the read -> store hot path)
#   stats        one stats sample with 100 programs: ms of CPU, taken once
#                a second while the list shows the stats (stats-all: the
#                fallback that reads every process of the machine)
#
# Usage: tests/bench/run.sh [BUILD_DIR [CASE...]]   (CASE: drain vt idle
# many key memory start store stats; all by default, in one run, with the
# table at the end: about 5 minutes on 2 cores)
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
	sleep 0.5
	# A server that was killed leaves its socket behind.
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$host_sock" "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$ref_sock"
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
# wakeups PID: "TID VOLUNTARY_SWITCHES" for every thread (mprocs runs
# several, tend and tmux one).
wakeups() {
	grep -H '^voluntary_ctxt_switches' /proc/"$1"/task/*/status 2>/dev/null |
		awk -F'[/:]' '{ print $5, $NF + 0 }'
}
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

# measure PID SECONDS: "CPU% wakeups/s" over SECONDS.  Wake-ups are summed
# over the threads there at the end (a thread that ended meanwhile is
# not counted).
measure() {
	local c0 c1
	c0=$(ticks "$1")
	wakeups "$1" >"$tmp/wake0"
	sleep "$2"
	c1=$(ticks "$1")
	wakeups "$1" >"$tmp/wake1"
	awk -v c=$((c1 - c0)) -v s="$2" -v hz="$HZ" '
		FILENAME == ARGV[1] { w0[$1] = $2; next }
		{ w += $2 - w0[$1] }
		END { printf "%.1f %.1f\n", c * 100 / hz / s, w / s }' "$tmp/wake0" "$tmp/wake1"
}

# le VALUE LIMIT: "met" when VALUE <= LIMIT, "NOT met" when not, "?" when
# either is not a figure (a timeout).
le() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		num = "^[0-9]+([.][0-9]+)?$"
		if (a !~ num || b !~ num) print "?"; else print (a + 0 <= b + 0 ? "met" : "NOT met")
	}'
}
# calc EXPR...: awk arithmetic on figures, e.g. calc 1.5 '*' 0.053 (3 decimals).
calc() { awk "BEGIN { printf \"%.3f\", $* }" 2>/dev/null || echo "?"; }
# ratio A B: A / B, "-" when B is not a positive figure.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0 && a ~ /^[0-9.]+$/) printf "%.2f", a / b; else printf "-" }'; }

ROWS_OUT=()
# row CASE TEND PIPE TMUX UNIT TARGET MET: MET is "met", "NOT met", "?" or
# "-" for a row that is information only.
row() {
	local ratio_pipe=- ratio_tmux=-
	[ "$3" != - ] && ratio_pipe=$(awk -v a="$2" -v b="$3" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else printf "-" }')
	[ "$4" != - ] && ratio_tmux=$(awk -v a="$2" -v b="$4" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else printf "-" }')
	ROWS_OUT+=("$(printf '%-13s %9s %9s %9s %9s %9s  %-6s %-34s %s' \
		"$1" "$2" "$3" "$4" "$ratio_pipe" "$ratio_tmux" "$5" "${6:--}" "${7:--}")")
	printf '  %s: tend %s, pipe %s, tmux %s %s%s\n' "$1" "$2" "$3" "$4" "$5" "${6:+; target $6: $7}"
}

# ref_row CASE REF TEND FIGURE UNIT [HOW]: tend against one more reference.
REFS_OUT=()
ref_row() {
	local r
	r=$(awk -v a="$3" -v b="$4" 'BEGIN { if (b > 0) printf "%.3fx", a / b; else printf "-" }')
	REFS_OUT+=("$(printf '%-13s %-7s tend %9s %-4s %-7s %9s %-4s tend/%s %-8s %s' \
		"$1" "$2" "$3" "$5" "$2" "$4" "$5" "$2" "$r" "${6:-}")")
	printf '  %s: tend %s, %s %s %s\n' "$1" "$3" "$2" "$4" "$5"
}
# note TEXT: a line under the table (a reference that was not measured,
# and why).
NOTES=()
note() { NOTES+=("$1"); echo "  note: $1"; }

# mprocs, the closest peer, from the npm registry into build/ when npm is
# there (once); without it its rows are left out, with a note.  The npm
# package's bin is a node script that spawns the real binary: the binary
# is run directly, so that its own process is the one measured.
mprocs=$PWD/build/mprocs/node_modules/.bin/mprocs
mprocs_bin=
mprocs_install() {
	[ -n "$mprocs_bin" ] && return 0
	[ -n "${mprocs_failed:-}" ] && return 1
	mprocs_failed=1
	if [ ! -x "$mprocs" ]; then
		if ! command -v npm >/dev/null; then
			note "mprocs: no npm, so its references are left out"
			return 1
		fi
		mkdir -p build/mprocs
		npm install --prefix build/mprocs mprocs >/dev/null 2>&1 && [ -x "$mprocs" ] || {
			note "mprocs: npm could not install it, so its references are left out"
			return 1
		}
	fi
	mprocs_bin=$(cd build/mprocs && node -p 'require("mprocs")' 2>/dev/null)
	[ -x "$mprocs_bin" ] || mprocs_bin=$mprocs
	mprocs_failed=
}

# mprocs_yaml FILE NAME SHELL [NAME SHELL...]: an mprocs config with those
# procs and scrollback 10000 (tend's default and the memory case's).
mprocs_yaml() {
	local f=$1
	shift
	{
		echo "scrollback: $SCROLLBACK"
		echo "procs:"
		while [ $# -ge 2 ]; do
			printf '  %s:\n    shell: "%s"\n' "$1" "$2"
			shift 2
		done
	} >"$f"
}

# host_mprocs CONFIG: mprocs on CONFIG in the 200x50 host terminal; its pid.
host_mprocs() {
	new_session host m "env LANG=C.UTF-8 $mprocs_bin -c $1" || return 1
	host set-option -t m status off >/dev/null
	host display-message -p -t m '#{pane_pid}'
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

	drain_mprocs() { # -> "SECONDS RSS_MIB": scrollback 10000 (tend's default)
		local out="$tmp/mprocs-drain" pid
		mprocs_yaml "$tmp/mprocs-drain.yaml" seq \
			"$bench/timed.sh $out seq 1 $LINES_DRAIN; exec $tmp/nap 600"
		pid=$(host_mprocs "$tmp/mprocs-drain.yaml")
		wait_file "$out" 300 && sleep 0.5 && echo "$(cat "$out") $(rss_mib "$pid")"
		host kill-server 2>/dev/null
	}

	drain_ptyfloor() { # RUN
		"$python" "$bench/ptyfloor.py" "$bench/timed.sh" "$tmp/ptyfloor-$1" \
			seq 1 $LINES_DRAIN
		cat "$tmp/ptyfloor-$1"
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
	lim=$(calc 1.5 '*' "$pipe")
	row drain "$t" "$pipe" "$tmuxd" s "<= 1.5x pipe ($lim)" "$(le "$t" "$lim")"
	if mprocs_install; then
		# One run: mprocs takes 5-30 s here for what tend drains in 0.1.
		read -r m MPROCS_RSS_2M <<<"$(drain_mprocs)"
		ref_row drain mprocs "$t" "${m:-timeout}" s "(one run; scrollback 10000)"
	fi
	# Five each, taken in turns: one run takes 0.1 s, and a busy second
	# of the machine would move a median of three.
	c0= c50=
	for r in 1 2 3 4 5; do
		c0+="$(drain_ctl 0 "a$r")"$'\n'
		c50+="$(drain_ctl 50 "b$r")"$'\n'
	done
	c0=$(printf '%s' "$c0" | median) c50=$(printf '%s' "$c50" | median)
	lim=$(calc 1.2 '*' "$c0")
	row drain-ctl "$c50" "$pipe" "$tmuxd" s "<= 1.2x no clients $c0 ($lim)" "$(le "$c50" "$lim")"
	t=$(for r in 1 2 3 4 5; do drain_headless $r; done | median)
	lim=$(calc 1.5 '*' "$pipe")
	row drain-hl "$t" "$pipe" "$tmuxd" s "<= 1.5x pipe ($lim)" "$(le "$t" "$lim")"
	t=$(for r in 1 2 3 4 5; do drain_tend true $r; done | median)
	lim=$(calc "$tmuxd" / 3)
	row drain-pty "$t" "$pipe" "$tmuxd" s "<= tmux / 3 ($lim)" "$(le "$t" "$lim")"
	# What a pty costs before any terminal does anything with the bytes.
	floor=$(for r in 1 2 3; do drain_ptyfloor $r; done | median)
	ref_row drain-pty floor "$t" "$floor" s "(the child on a pty whose master is only read)"
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
	row vt-repaint "$t" - "$r" ms/MB "<= tmux ($r)" "$(le "$t" "$r")"

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
	row key-focus "$t" - "$r" ms "<= 10" "$(le "$t" 10)"
}

# --- idle ---------------------------------------------------------------

case_idle() {
	local cfg="$tmp/idle.ini" pid m stats i args=()
	echo "== idle: 10 sleeping children, 10 s: wake-ups/s and CPU %"
	for i in $(seq 1 10); do printf '[program:p%d]\ncommand = exec %s 600\n' "$i" "$tmp/nap"; done >"$cfg"
	host_tend "$cfg"
	pid=$(tend_pid "$cfg")
	# Past the start-up: startsecs (1 s) and the buffering hint (5 s).
	sleep 6
	# The list shows the stats columns (cpu, rss) from 160 columns on:
	# check that they are on screen, as the target is with them shown.
	if host capture-pane -p -t t | grep -qE '─ programs ─.* cpu +rss '; then
		stats="stats column visible"
	else
		stats="stats column NOT visible"
	fi
	m=$(measure "$pid" 10) tcpu=${m% *} twake=${m#* }
	host kill-server
	ref_windows 10 "$tmp/nap 600"
	sleep 2
	m=$(measure "$(ref_pid)" 10) rcpu=${m% *} rwake=${m#* }
	ref_stop
	met=$(le "$twake" 1)
	[ "$stats" = "stats column visible" ] || met="? ($stats)"
	row idle-wake "$twake" - "$rwake" /s "<= 1/s, $stats" "$met"
	row idle-cpu "$tcpu" - "$rcpu" % "" -

	"$tend" --headless "$cfg" >/dev/null 2>&1 &
	pid=$!
	sleep 6
	m=$(measure "$pid" 10) hcpu=${m% *} hwake=${m#* }
	kill -TERM "$pid"
	wait "$pid"
	row idle-wake-hl "$hwake" - "$rwake" /s "0" "$(le "$hwake" 0)"
	row idle-cpu-hl "$hcpu" - "$rcpu" % "" -

	if mprocs_install; then
		for i in $(seq 1 10); do args+=("p$i" "exec $tmp/nap 600"); done
		mprocs_yaml "$tmp/idle.yaml" "${args[@]}"
		pid=$(host_mprocs "$tmp/idle.yaml")
		sleep 6
		m=$(measure "$pid" 10)
		i=$(ls /proc/"$pid"/task | wc -l)
		host kill-server
		ref_row idle-wake mprocs "$twake" "${m#* }" /s "(tend's TUI; mprocs' $i threads summed)"
		ref_row idle-cpu mprocs "$tcpu" "${m% *}" %
	fi
}

# --- many ---------------------------------------------------------------

# many_1000_cfg FILE: 1000 programs writing 10 lines a second each.  Each
# waits with bash's read -t on a FIFO no one writes, so no child forks.
many_1000_cfg() {
	[ -p "$tmp/quiet" ] || mkfifo "$tmp/quiet"
	for i in $(seq 1 1000); do
		printf "[program:p%d]\ncommand = exec bash -c 'exec 3<>%s; while :; do echo tick; read -t 0.1 -u 3; done'\n" "$i" "$tmp/quiet"
	done >"$1"
}

case_many() {
	local cfg="$tmp/many.ini" pid m tcpu rcpu
	echo "== many: 100 children, a line every 10 ms each, 10 s"
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
	row many-100 "$tcpu" - "$rcpu" % "" -
	sleep 1

	echo "== many: 1000 programs, 10 lines a second each, 10 s: CPU % of one core"
	cfg="$tmp/many1000.ini"
	many_1000_cfg "$cfg"
	host_tend "$cfg"
	pid=$(tend_pid "$cfg")
	sleep 10	# all started, settled
	read -r tcpu _ <<<"$(measure "$pid" 10)"
	host kill-server
	# tend stops its 1000 programs when its terminal goes.
	for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	row many-1000 "$tcpu" - - % "<= 10" "$(le "$tcpu" 10)"

	"$tend" --headless "$cfg" >/dev/null 2>&1 &
	pid=$!
	sleep 10
	read -r tcpu _ <<<"$(measure "$pid" 10)"
	kill -TERM "$pid"
	wait "$pid"
	row many-1000-hl "$tcpu" - - % "<= 10" "$(le "$tcpu" 10)"
	note "many-1000: no tmux or mprocs figure (1000 windows or procs of their own are not the same kind of load)"
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
	row key "$t" - "$r" ms "<= 10 (median)" "$(le "$t" 10)"
}

# --- memory -------------------------------------------------------------

case_memory() {
	local t2 r2 t20 r20 kept lim n m
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
		local out="$tmp/mem-tmux-$1"
		ref_run "$bench/timed.sh $out seq 1 $1; exec $tmp/nap 600"
		wait_file "$out" 120 && sleep 0.5 && rss_mib "$(ref_pid)"
		ref kill-server
	}
	mem_mprocs() { # LINES
		local out="$tmp/mem-mprocs-$1" pid
		mprocs_yaml "$tmp/mem-$1.yaml" seq "$bench/timed.sh $out seq 1 $1; exec $tmp/nap 600"
		pid=$(host_mprocs "$tmp/mem-$1.yaml")
		wait_file "$out" 600 && sleep 0.5 && rss_mib "$pid"
		host kill-server
	}
	t2=$(mem_tend 2000000)
	r2=$(mem_tmux 2000000)
	row mem-2M "$t2" - "$r2" MiB "" -
	t20=$(mem_tend 20000000)
	r20=$(mem_tmux 20000000)
	# The bytes of what the scrollback keeps: the last 10000 numbers.
	kept=$(seq $((20000000 - SCROLLBACK + 1)) 20000000 | wc -c)
	lim=$(calc "$r20" + "$kept" / 1048576)
	row mem-20M "$t20" - "$r20" MiB "<= tmux + $((kept / 1000)) KB ($lim)" "$(le "$t20" "$lim")"
	if mprocs_install; then
		n=${MPROCS_MEM_LINES:-2000000}
		if [ "$n" = 2000000 ] && [ -n "${MPROCS_RSS_2M:-}" ]; then
			m=$MPROCS_RSS_2M	# from the drain case's run (the same config)
		else
			m=$(mem_mprocs "$n")
		fi
		ref_row "mem-$((n / 1000000))M" mprocs "$([ "$n" = 20000000 ] && echo "$t20" || echo "$t2")" \
			"${m:-timeout}" MiB "(mprocs scrollback: $SCROLLBACK, its top-level key)"
		[ "$n" = 20000000 ] || note "mprocs memory: after $n lines, not 20M (20M lines take mprocs 10x its drain time, minutes here; MPROCS_MEM_LINES=20000000 measures it)"
	fi
}

# --- start --------------------------------------------------------------

# start_tui N: "FIRST_FRAME_MS ALL_EXECD_MS" for N sleeping programs in the
# TUI on a 200x50 terminal of its own (firstframe.py): exec to the last
# visible row of the list drawn, and to every child exec'd (its name nap).
start_tui() {
	local cfg="$tmp/start$1.ini" last i
	for i in $(seq 1 "$1"); do printf '[program:prog%04d]\ncommand = exec %s 600\n' "$i" "$tmp/nap"; done >"$cfg"
	# The list's rows: the screen less its two borders and the key line.
	last=$(printf 'prog%04d' $((ROWS - 3 < $1 ? ROWS - 3 : $1)))
	LANG=C.UTF-8 python3 "$bench/firstframe.py" --children "$1" nap $COLS $ROWS "$last" "$tend" "$cfg"
}

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

# start_rows NAME A100 A1000: the 100 and 1000 rows and their ratio.
start_rows() {
	local x
	row "$1-100" "$2" - - ms "" -
	row "$1-1000" "$3" - - ms "<= 1000" "$(le "$3" 1000)"
	x=$(ratio "$3" "$2")
	row "$1-x" "$x" - - x "<= 10.5x (1000 / 100)" "$(le "$x" 10.5)"
}

case_start() {
	local n r ff100 all100 ff1000 all1000 a b c d
	echo "== start: 100 and 1000 sleeping programs, TUI: exec to the first frame, to all exec'd (median of 3)"
	for n in 100 1000; do
		for r in 1 2 3; do start_tui $n; done >"$tmp/start$n.times"
	done
	ff100=$(awk '{ print $1 }' "$tmp/start100.times" | median)
	all100=$(awk '{ print $2 }' "$tmp/start100.times" | median)
	ff1000=$(awk '{ print $1 }' "$tmp/start1000.times" | median)
	all1000=$(awk '{ print $2 }' "$tmp/start1000.times" | median)
	start_rows frame "$ff100" "$ff1000"
	start_rows execd "$all100" "$all1000"

	echo "== start: 100 and 1000 sleeping programs, headless: exec to all started, SIGTERM to exit"
	read -r a b <<<"$(scale_run 100)"
	read -r c d <<<"$(scale_run 1000)"
	start_rows start-hl "$a" "$c"
	row stop-hl-100 "$b" - - ms "" -
	row stop-hl-1000 "$d" - - ms "" -
	note "start: no tmux or mprocs figure (neither starts 100 programs from one config in a way whose end is seen the same way)"
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
	row stats "${t:-n/a}" - - ms "<= 10 (1 % of a core)" "$(le "${t:-n/a}" 10)"
	# The fallback for kernels without /proc/PID/task/TID/children: every
	# process of the machine is read ($(ls /proc | grep -c '^[0-9]') now).
	out=$(TEND_STATS_SCAN_ALL=1 "$tmp/stats_bench") || echo "bench: stats_bench (all) did not find every child" >&2
	echo "  all of /proc: $out"
	t=$(echo "$out" | sed -nE 's/.* ([0-9.]+) ms CPU per sample.*/\1/p')
	row stats-all "${t:-n/a}" - - ms "<= 10, $(ls /proc | grep -c '^[0-9]') processes" "$(le "${t:-n/a}" 10)"
}

# --- run ----------------------------------------------------------------

cases=("$@")
[ ${#cases[@]} -eq 0 ] && cases=(drain vt idle many key memory start store stats)
t_start=$(date +%s)
for c in "${cases[@]}"; do "case_$c"; done

# --- the table ----------------------------------------------------------

echo
echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(uname -sr); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$("$tend" --version 2>/dev/null | head -1), commit $(git rev-parse --short HEAD 2>/dev/null), $(date -u +%Y-%m-%dT%H:%MZ), $(($(date +%s) - t_start)) s"
printf '%-13s %9s %9s %9s %9s %9s  %-6s %-34s %s\n' case tend pipe tmux tend/pipe tend/tmux unit target met
for r in "${ROWS_OUT[@]}"; do echo "$r"; done
if [ ${#REFS_OUT[@]} -gt 0 ]; then
	echo
	echo "against more references (mprocs: $("$mprocs_bin" --version 2>/dev/null), in the same 200x50 host):"
	for r in "${REFS_OUT[@]}"; do echo "$r"; done
fi
if [ ${#NOTES[@]} -gt 0 ]; then
	echo
	for r in "${NOTES[@]}"; do echo "note: $r"; done
fi
met=$(printf '%s\n' "${ROWS_OUT[@]}" | grep -v 'NOT met$' | grep -c ' met$')
notmet=$(printf '%s\n' "${ROWS_OUT[@]}" | grep -c 'NOT met$')
echo "targets: $met met, $notmet NOT met"

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
