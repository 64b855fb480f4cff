# Headless with a stdout nobody reads: past the 8 MiB buffer tend stops
# reading the programs' pipes (their writes wait), but the loop keeps
# serving timers and signals (a program in a restart loop keeps being
# restarted, and says so in its log; SIGTERM is obeyed), memory stays
# bounded, and once the reader comes back nothing is missing.  And
# `tend | head -1` ends.
# e2e: alone
. "$(dirname "$0")/lib.sh"
E2E=$(cd "$(dirname "$0")" && pwd)

# size FILE: its size in bytes (0 when missing).
size() { stat -c %s "$1" 2>/dev/null || echo 0; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# stall DIR CONFIG: tend --headless CONFIG with its stdout a pipe that
# nobody reads until DIR/go exists (stall.py); its pid in $STALL_TEND.
stall() {
	local d=$1 i
	mkdir -p "$d"
	python3 "$E2E/stall.py" "$d" "$TEND" --headless "$2" &
	STALL_HARNESS=$!
	TEND_PIDS+=("$STALL_HARNESS")
	for ((i = 0; i < 100; i++)); do
		[ -s "$d/pid" ] && break
		sleep 0.05
	done
	STALL_TEND=$(cat "$d/pid")
	TEND_PIDS+=("$STALL_TEND")
}

# settle FILE [SECONDS]: until FILE exists and has not grown for 0.5 s.
settle() {
	local f=$1 secs=${2:-10} i prev=-1 now
	for ((i = 0; i < secs * 2; i++)); do
		now=$(size "$f")
		[ "$now" -gt 0 ] && [ "$now" = "$prev" ] && return 0
		prev=$now
		sleep 0.5
	done
	echo "# $f still growing after ${secs}s ($now bytes)" >&2
	return 0
}

# --- 1. a reader that never reads ----------------------------------------
cat >"$T/stall.ini" <<INI
[tend]
log_dir = $T/logs

[program:flood]
command = seq 1 3000000
stopwaitsecs = 1

[program:tick]
command = echo \$\$ >$T/tick.pid; i=0; while :; do i=\$((i + 1)); echo "tick \$i"; sleep 0.1; done
stopwaitsecs = 1

[program:again]
command = exit 0
autorestart = true
startsecs = 0
INI
stall "$T/s1" "$T/stall.ini"
check "stalled: tick is up" wait_for "$T/tick.pid" . 10
tick_pid=$(cat "$T/tick.pid" 2>/dev/null)
[ -n "$tick_pid" ] && TEND_PIDS+=("$tick_pid")
# The flood fills tend's 8 MiB in well under a second; wait until tend
# stops taking more of it, and a second longer.
settle "$T/logs/flood.log" 10
sleep 1
a=$(size "$T/logs/again.log")
sleep 2.5
b=$(size "$T/logs/again.log")
echo "# flood.log $(size "$T/logs/flood.log") bytes; again.log $a then $b bytes 2.5 s later"
check "stalled stdout: timers still run (again is restarted: again.log grows $a -> $b bytes)" test "$b" -gt "$a"
rss=$(rss_kb "$STALL_TEND")
check_rss "stalled stdout: memory stays bounded (RSS ${rss} kB < 64 MiB)" test "$rss" -lt 65536
start=$(date +%s%N)
kill -TERM "$STALL_TEND"
check "stalled stdout: SIGTERM still makes tend exit, within stopwaitsecs + 5 s" wait_for "$T/s1/status" . 6
ms=$((($(date +%s%N) - start) / 1000000))
echo "# tend exit status after SIGTERM: $(cat "$T/s1/status" 2>/dev/null || echo none) after ${ms} ms"
check "stalled stdout: tick is gone after the stop" gone "${tick_pid:-0}"

# --- 1c. back-pressure: stall 2 s, then read everything ---------------------
n=2000000
cat >"$T/bp.ini" <<INI
[program:flood]
command = seq 1 $n
INI
stall "$T/s2" "$T/bp.ini"
sleep 2
rss=$(rss_kb "$STALL_TEND")
check_rss "stalled for 2 s: RSS ${rss} kB < 64 MiB" test "$rss" -lt 65536
touch "$T/s2/go"
check "the reader reads again: tend finishes the flood and exits" wait_for "$T/s2/status" . 40
check "and exits 0" grep -qx 0 "$T/s2/status"
# Give the harness time to copy the last of the pipe.
for ((i = 0; i < 100; i++)); do kill -0 "$STALL_HARNESS" 2>/dev/null || break; sleep 0.05; done
got=$(grep -c '^flood | ' "$T/s2/stdout")
check "back-pressure: every line of the flood, 1..$n ($got lines)" test "$got" = "$n"
check "back-pressure: each number once, in order" \
	awk -v n="$n" '/^flood \| / { if ($3 != ++k) { print "# line " k " is " $0 > "/dev/stderr"; exit 1 } }
		END { exit k != n }' "$T/s2/stdout"

# --- 2. tend --headless | head -1 -------------------------------------------
cat >"$T/head.ini" <<INI
[program:yes]
command = sh -c 'echo \$\$ >$T/yes.pid; exec yes'

[program:other]
command = echo \$\$ >$T/other.pid; exec sleep 600
INI
mkfifo "$T/fifo"
head -n 1 <"$T/fifo" >"$T/head.out" &
head_pid=$!
TEND_PIDS+=("$head_pid")
"$TEND" --headless "$T/head.ini" >"$T/fifo" 2>"$T/head.err" &
TEND_PID=$!
TEND_PIDS+=("$TEND_PID")
wait_for "$T/yes.pid" . 5 >/dev/null
wait_for "$T/other.pid" . 5 >/dev/null
yes_pid=$(cat "$T/yes.pid" 2>/dev/null) other_pid=$(cat "$T/other.pid" 2>/dev/null)
TEND_PIDS+=(${yes_pid:+"$yes_pid"} ${other_pid:+"$other_pid"})
check "| head -1: head gets its line and ends" wait_exit "$head_pid" 5
check "| head -1: tend exits too (the pipeline ends)" wait_exit "$TEND_PID" 5
sleep 0.5
check "| head -1: the yes process is gone" gone "${yes_pid:-0}"
check "| head -1: the other program is gone" gone "${other_pid:-0}"
