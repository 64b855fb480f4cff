# Headless tend and the signals that would end it: none orphans the
# children (they are stopped, or at least gone, when tend goes); SIGXFSZ
# does not kill tend; descendants that left the process group go too.
# e2e: alone
. "$(dirname "$0")/lib.sh"
ulimit -c 0 # SIGQUIT, SIGXCPU, SIGSEGV, SIGABRT: no core files left behind

# A background job of a script starts with SIGINT and SIGQUIT ignored
# (and python ignores SIGPIPE and SIGXFSZ); tend started from a terminal
# has them at their defaults, as here.  exec: the job's pid is tend's.
dfl() {
	exec python3 -c 'import os, signal, sys
for s in (signal.SIGINT, signal.SIGQUIT, signal.SIGPIPE, signal.SIGXFSZ):
    signal.signal(s, signal.SIG_DFL)
os.execvp(sys.argv[1], sys.argv[1:])' "$@"
}
headless() {
	dfl "$TEND" --headless "$1" >"$T/out" 2>&1 &
	TEND_PID=$!
	TEND_PIDS+=("$TEND_PID")
}

# child_pid FILE: the pid a program wrote, in $CHILD (0 if none); killed too
# when the test ends.
child_pid() {
	wait_for "$1" '^[0-9]+$' 5 >/dev/null
	CHILD=$(cat "$1" 2>/dev/null)
	CHILD=${CHILD:-0}
	[ "$CHILD" != 0 ] && TEND_PIDS+=("$CHILD")
	return 0
}

# gone_within SECONDS PID: until PID is gone (gone in lib.sh).
gone_within() {
	local secs=$1 pid=$2 i
	for ((i = 0; i < secs * 20; i++)); do
		gone "$pid" 2>/dev/null && return 0
		sleep 0.05
	done
	gone "$pid"
}

cat >"$T/sleeper.ini" <<INI
[program:server]
command = echo \$\$ >$T/server.pid; exec sleep 600
stopwaitsecs = 2
INI

# --- 6. signals whose default would end tend and orphan the child --------
for sig in QUIT USR1 USR2 ALRM VTALRM PROF XCPU; do
	rm -f "$T/server.pid"
	headless "$T/sleeper.ini"
	child_pid "$T/server.pid"
	pid=$CHILD
	kill -"$sig" "$TEND_PID"
	check "SIG$sig: headless tend exits" wait_exit "$TEND_PID" 5
	[ -n "${EXIT_STATUS:-}" ] && echo "# SIG$sig: exit status $EXIT_STATUS"
	check "SIG$sig: the child is gone too" gone_within 1 "$pid"
	EXIT_STATUS=
done

# Crashes: tend dies (139, 134, or ASan's report), the child does not stay.
for sig in SEGV ABRT; do
	rm -f "$T/server.pid"
	headless "$T/sleeper.ini"
	child_pid "$T/server.pid"
	pid=$CHILD
	kill -"$sig" "$TEND_PID"
	check "SIG$sig: headless tend dies" wait_exit "$TEND_PID" 5
	[ -n "${EXIT_STATUS:-}" ] && echo "# SIG$sig: exit status $EXIT_STATUS"
	check "SIG$sig: the child is gone within a second" gone_within 1 "$pid"
	EXIT_STATUS=
done

# --- 6. SIGXFSZ: stdout a file that reaches the file size limit -----------
cat >"$T/xfsz.ini" <<INI
[program:flood]
command = seq 1 1000000

[program:server]
command = echo \$\$ >$T/server.pid; exec sleep 600
stopwaitsecs = 2
INI
rm -f "$T/server.pid"
(ulimit -f 1024 && dfl "$TEND" --headless "$T/xfsz.ini" >"$T/xfsz.out" 2>"$T/xfsz.err") &
TEND_PID=$!
TEND_PIDS+=("$TEND_PID")
child_pid "$T/server.pid"
pid=$CHILD
for ((i = 0; i < 100; i++)); do
	[ "$(stat -c %s "$T/xfsz.out" 2>/dev/null || echo 0)" -ge 1048576 ] && break
	sleep 0.05
done
echo "# output file: $(stat -c %s "$T/xfsz.out") bytes (limit 1048576)"
sleep 1
if kill -0 "$TEND_PID" 2>/dev/null; then alive=yes; else alive=no; wait "$TEND_PID"; st=$?; fi
[ "$alive" = no ] && echo "# tend ended with status $st"
check "SIGXFSZ: tend does not die of it (still running 1 s after the limit)" test "$alive" = yes
check "SIGXFSZ: it still manages its other program (both running)" \
	bash -c "[ $alive = yes ] && kill -0 $pid"
if [ "$alive" = yes ]; then
	kill -TERM "$TEND_PID"
	check "SIGXFSZ: then SIGTERM makes tend exit" wait_exit "$TEND_PID" 8
	check "SIGXFSZ: not with status 153 (killed by SIGXFSZ)" test "${EXIT_STATUS:-153}" != 153
else
	not_ok "SIGXFSZ: then SIGTERM makes tend exit (it was dead already, status $st)"
fi
check "SIGXFSZ: the child is gone" gone_within 1 "$pid"

# --- 7. a descendant in a process group of its own -------------------------
cat >"$T/pgrp.ini" <<INI
[program:wrapped]
command = cd . && timeout 3600 sh -c 'echo \$\$ >$T/deep.pid; exec sleep 3600'
stopwaitsecs = 2
INI
headless "$T/pgrp.ini"
child_pid "$T/deep.pid"
deep=$CHILD
TEND_PIDS+=("$(ps -o ppid= -p "$deep" | tr -d ' ')") # timeout itself
echo "# sleep $deep in group $(ps -o pgid= -p "$deep" | tr -d ' '), tend $TEND_PID"
kill -TERM "$TEND_PID"
check "own process group: SIGTERM makes tend exit" wait_exit "$TEND_PID" 8
check "own process group: the sleep under timeout is gone" gone_within 1 "$deep"

# --- tend itself SIGKILLed: what PR_SET_PDEATHSIG covers ---------------------
# Nothing of tend runs to stop anything; the kernel sends each program's
# main process SIGTERM when tend dies (README: Reliability says what this
# does not cover: descendants of a main process that ignores it).
cat >"$T/pdeath.ini" <<INI
[program:orphan]
command = echo \$\$ >$T/orphan.pid; exec sleep 600
INI
headless "$T/pdeath.ini"
child_pid "$T/orphan.pid"
orphan=$CHILD
kill -KILL "$TEND_PID"
check "tend SIGKILLed: its program's main process gets SIGTERM and ends" gone_within 2 "$orphan"
