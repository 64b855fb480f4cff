# The TUI on a terminal that stops reading (a frozen ssh link, a stopped
# terminal emulator): tend never waits on it.  Frames are dropped while
# the terminal is behind; programs, their logs and timers go on; SIGTERM
# still stops everything; memory stays bounded; once the terminal reads
# again, the screen comes back and keys work.
. "$(dirname "$0")/lib.sh"
E2E=$(cd "$(dirname "$0")" && pwd)

size() { stat -c %s "$1" 2>/dev/null || echo 0; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# frozen DIR CONFIG: tend CONFIG on a pty nobody reads (ttystall.py).
frozen() {
	local d=$1 i
	mkdir -p "$d"
	python3 "$E2E/ttystall.py" "$d" "$TEND" "$2" &
	TEND_PIDS+=("$!")
	for ((i = 0; i < 100; i++)); do
		[ -s "$d/pid" ] && break
		sleep 0.05
	done
	FROZEN_TEND=$(cat "$d/pid")
	TEND_PIDS+=("$FROZEN_TEND")
}

cat >"$T/tend.ini" <<INI
[tend]
log_dir = $T/logs

[program:flood]
command = while :; do seq 1 2000; sleep 0.05; done
stopwaitsecs = 1

[program:again]
command = exit 0
autorestart = true
startsecs = 0
INI

frozen "$T/f1" "$T/tend.ini"
check "tend is up on the frozen terminal" wait_for "$T/logs/flood.log" . 10
# The pty takes a few KiB; the flood redraws far more than that a second.
sleep 2
a=$(size "$T/logs/flood.log") r1=$(size "$T/logs/again.log")
sleep 2
b=$(size "$T/logs/flood.log") r2=$(size "$T/logs/again.log")
check "frozen terminal: output still reaches the log ($a -> $b bytes)" test "$b" -gt "$a"
check "frozen terminal: timers still run (again restarted: $r1 -> $r2 bytes)" test "$r2" -gt "$r1"
rss=$(rss_kb "$FROZEN_TEND")
check_rss "frozen terminal: memory stays bounded (RSS ${rss} kB < 64 MiB)" test "$rss" -lt 65536
kill -TERM "$FROZEN_TEND"
check "frozen terminal: SIGTERM makes tend exit (stopwaitsecs 1)" wait_for "$T/f1/status" . 6
check "  and its programs are stopped" has "$T/logs/flood.log" 'stopping: sent SIGTERM'

# The terminal comes back: tend draws again and takes keys.
rm -rf "$T/logs"
frozen "$T/f2" "$T/tend.ini"
wait_for "$T/logs/flood.log" . 10 >/dev/null
sleep 2
touch "$T/f2/go"
check "the terminal reads again: frames arrive" wait_for "$T/f2/screen" 'programs' 10
printf q >"$T/f2/keys"
check "q is taken once the terminal reads again" wait_for "$T/f2/status" . 10
check "  and tend exits 0" grep -qx 0 "$T/f2/status"
check "  with the summary on the terminal" wait_for "$T/f2/screen" 'flood: (killed by|exited)' 5
