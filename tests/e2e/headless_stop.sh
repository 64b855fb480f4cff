# Stopping: a child that ignores SIGTERM is killed after stopwaitsecs; the
# grandchildren of a shell (also ones that ignore SIGTERM) do not survive.
. "$(dirname "$0")/lib.sh"

cat >"$T/tend.ini" <<INI
[program:stubborn]
command = trap '' TERM; echo ready; while :; do sleep 0.2; done
stopwaitsecs = 1

[program:family]
command = (trap '' TERM; exec sleep 1000) & echo \$! >$T/gc1; sleep 1000 & echo \$! >$T/gc2; echo kids; wait
stopwaitsecs = 1
INI
headless "$T/tend.ini"
check "stubborn is up" wait_for "$T/out" '^stubborn \| ready$'
check "family is up" wait_for "$T/out" '^family +\| kids$'
gc1=$(cat "$T/gc1") gc2=$(cat "$T/gc2")
check "grandchildren are running" kill -0 "$gc1" "$gc2"

start=$(date +%s%N)
kill -INT "$TEND_PID"
check "tend exits after SIGINT" wait_exit "$TEND_PID" 10
elapsed=$((($(date +%s%N) - start) / 1000000))
check "stop announced with the signal" has "$T/out" '^stubborn \* stopping: sent SIGTERM$'
check "SIGKILL after stopwaitsecs" has "$T/out" '^stubborn \* sent SIGKILL: still running 1s after SIGTERM$'
check "stubborn reported killed by SIGKILL" has "$T/out" '^stubborn \* killed by SIGKILL \(rc -9\)$'
check "stopped in parallel, within about stopwaitsecs (${elapsed}ms)" test "$elapsed" -lt 4000
check "no grandchild survives" gone "$gc1" "$gc2"
check "exit 0 after requested stops" test "$EXIT_STATUS" = 0

# A second SIGINT kills at once instead of waiting.
cat >"$T/slow.ini" <<INI
[program:slow]
command = trap '' TERM INT; echo ready; while :; do sleep 0.2; done
stopwaitsecs = 30
INI
headless "$T/slow.ini"
check "slow is up" wait_for "$T/out" '^slow +\| ready$'
kill -INT "$TEND_PID"
wait_for "$T/out" 'stopping: sent SIGTERM' 5 >/dev/null
kill -INT "$TEND_PID"
check "second SIGINT kills what is left" wait_exit "$TEND_PID" 5
check "reported killed by SIGKILL" has "$T/out" '^slow +\* killed by SIGKILL \(rc -9\)$'

# A program that ends cleanly on its stop signal is reported by its own
# exit status, not by the shell that ran it: a simple command is exec'd.
cat >"$T/clean.ini" <<'INI'
[program:clean]
command = python3 -c 'import signal, sys, time; signal.signal(signal.SIGINT, lambda *a: sys.exit(0)); print("ready", flush=True); time.sleep(600)'
stopsignal = INT
INI
headless "$T/clean.ini"
check "clean is up" wait_for "$T/out" '^clean +\| ready$'
kill -TERM "$TEND_PID"
check "tend exits" wait_exit "$TEND_PID" 10
check "its own exit 0 is reported, not the shell's SIGINT" \
	has "$T/out" '^clean +\* exited 0$'
