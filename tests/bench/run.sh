#!/usr/bin/env bash
# Benchmarks (make bench): numbers, not pass/fail.
#   store      lines/s through one store (the read -> store hot path)
#   flood      2,000,000 lines through headless tend into stdout and a log
#   tui-flood  the same flood in the TUI (inside tmux): CPU, and how long a
#              key takes to show on screen while it floods
#   idle       wake-ups of an idle tend in 5 s (should be 0)
set -u
cd "$(dirname "$0")/../.."
build=${1:-build}
tend="$PWD/$build/tend"
tmp=$(mktemp -d)
trap 'tmux -L tend-bench kill-server 2>/dev/null; rm -rf "$tmp"' EXIT

cc -O2 -Iinclude tests/bench/store_bench.c src/store.c -o "$tmp/store_bench"
echo "== store"
"$tmp/store_bench"

echo "== flood (headless, 2,000,000 lines, stdout to a file, log_dir on)"
cat >"$tmp/flood.ini" <<INI
[tend]
log_dir = logs
[program:flood]
command = seq 1 2000000
INI
/usr/bin/time -f "%e s wall, %U s user, %S s sys, %M KiB max RSS" \
	"$tend" --headless "$tmp/flood.ini" >"$tmp/flood.out"
echo "lines on stdout: $(grep -c '^flood | ' "$tmp/flood.out"), in the log: $(grep -c '^| ' "$tmp/logs/flood.log")"

echo "== tui-flood (TUI in tmux 120x40, endless yes, key latency)"
cat >"$tmp/tui.ini" <<INI
[program:flood]
command = exec yes "the quick brown fox jumps over the lazy dog"
[program:quiet]
command = echo quiet; exec sleep 600
INI
tmux -L tend-bench -f /dev/null new-session -d -s b -x 120 -y 40 \
	"env LANG=C.UTF-8 $tend $tmp/tui.ini"
sleep 2
pid=$(pgrep -f "^$tend $tmp/tui.ini" | head -1)
for k in 1 2 3 4 5; do
	t0=$(date +%s%N)
	tmux -L tend-bench send-keys -t b j
	until tmux -L tend-bench capture-pane -p -t b | grep -q '^│> quiet'; do :; done
	t1=$(date +%s%N)
	tmux -L tend-bench send-keys -t b k
	until tmux -L tend-bench capture-pane -p -t b | grep -q '^│> flood'; do :; done
	echo "key to screen while flooding: $(((t1 - t0) / 1000000)) ms"
done
c0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
sleep 5
c1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
echo "tend CPU while flooding: $(((c1 - c0) * 100 / 5 / $(getconf CLK_TCK)))% of one core"
echo "tend RSS while flooding: $(awk '/VmRSS/ {print $2, $3}' "/proc/$pid/status")"
tmux -L tend-bench send-keys -t b q
sleep 1

echo "== idle (headless, one sleeping program, 5 s)"
cat >"$tmp/idle.ini" <<INI
[program:idle]
command = exec sleep 600
INI
"$tend" --headless "$tmp/idle.ini" >/dev/null &
pid=$!
sleep 1
w0=$(awk '/^voluntary_ctxt_switches/ {print $2}' "/proc/$pid/status")
sleep 5
w1=$(awk '/^voluntary_ctxt_switches/ {print $2}' "/proc/$pid/status")
echo "wake-ups in 5 s idle: $((w1 - w0))"
kill -TERM "$pid"; wait "$pid"
