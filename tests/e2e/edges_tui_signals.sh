# The TUI and signals that would end it, a stop that must reach a
# descendant in a process group of its own, a TERM with no terminfo entry,
# and SIGHUP with a program that ignores SIGTERM.
. "$(dirname "$0")/lib.sh"
ulimit -c 0 # SIGQUIT: no core file left behind

# pid_of FILE: the pid a program wrote, in $CHILD (0 if none); killed too
# when the test ends.
pid_of() {
	wait_for "$1" '^[0-9]+$' 5 >/dev/null
	CHILD=$(cat "$1" 2>/dev/null)
	CHILD=${CHILD:-0}
	[ "$CHILD" != 0 ] && TEND_PIDS+=("$CHILD")
	return 0
}

# fresh_tmux: end the last tmux server and use a new one (a new socket),
# so a server still shutting down is never reached by the next session.
tmux_n=0
fresh_tmux() {
	tm kill-server 2>/dev/null
	tmux_n=$((tmux_n + 1))
	TMUX_SOCK="tend-e2e-$$-$tmux_n"
	export TMUX_SOCK
}

gone_within() {
	local secs=$1 pid=$2 i
	for ((i = 0; i < secs * 20; i++)); do
		gone "$pid" 2>/dev/null && return 0
		sleep 0.05
	done
	gone "$pid"
}

# --- 6. in the TUI: SIGQUIT, SIGUSR1, SIGALRM --------------------------------
cat >"$T/server.ini" <<INI
[program:server]
command = echo \$\$ >$T/server.pid; echo serving; exec sleep 600
stopwaitsecs = 2
INI
for sig in QUIT USR1 ALRM; do
	fresh_tmux
	rm -f "$T/server.pid"
	tui_start 80 24 "$T/server.ini"
	pid_of "$T/server.pid"
	server=$CHILD
	wait_screen 'server +running' >/dev/null
	kill -"$sig" "$(tend_pid)"
	# Not anchored: a tend that dies with the terminal raw leaves the
	# shell's lines where the cursor was.
	check "TUI SIG$sig: tend exits" wait_screen 'TEND-EXIT=' 6
	echo "# TUI SIG$sig: $(screen | grep -oE 'TEND-EXIT=[0-9]+|TTY-[A-Z]+' | tr '\n' ' ')"
	check "TUI SIG$sig: the child is gone" gone_within 1 "$server"
	check "TUI SIG$sig: the terminal is sane" wait_screen 'TTY-SANE' 1
done

# --- 7. t on a program whose descendant left its process group --------------
fresh_tmux
cat >"$T/pgrp.ini" <<INI
[program:wrapped]
command = cd . && timeout 3600 sh -c 'echo \$\$ >$T/deep.pid; exec sleep 3600'
stopwaitsecs = 2
INI
tui_start 80 24 "$T/pgrp.ini"
pid_of "$T/deep.pid"
deep=$CHILD
TEND_PIDS+=("$(ps -o ppid= -p "$deep" | tr -d ' ')") # timeout itself
wait_screen '^│. wrapped +running' >/dev/null
keys t
check "t, own process group: the sleep under timeout is gone (stopwaitsecs = 2)" gone_within 5 "$deep"
check "t, own process group: the program has ended" wait_screen '^│. wrapped +(killed|exited)' 2

# --- 11. TERM names no terminal that terminfo knows ----------------------------
fresh_tmux
cat >"$T/greet.ini" <<'INI'
[program:greeter]
command = echo hello
INI
tm new-session -d -s tend -x 100 -y 24 \
	"env LANG=C.UTF-8 TERM=bogus $TEND $T/greet.ini 2>$T/term.err; echo TEND-EXIT=\$?; sleep 600"
check "TERM=bogus: tend ends by itself" wait_screen '^TEND-EXIT=' 5
echo "# TERM=bogus: stderr: $(head -c 300 "$T/term.err" | tr '\n' '/')"
check "TERM=bogus: not ncurses' own error" bash -c "! grep -qi 'error opening terminal' '$T/term.err'"
check "TERM=bogus: one line on stderr, mentioning TERM" \
	bash -c "[ \$(grep -c . '$T/term.err') = 1 ] && grep -q TERM '$T/term.err'"
check "TERM=bogus: falls back to headless: greeter | hello" wait_screen '^greeter +\| hello$' 1
check "TERM=bogus: exit status 0" wait_screen '^TEND-EXIT=0$' 1

# --- 12c. SIGHUP, a program that ignores SIGTERM, and its log ------------------
# One SIGKILL after stopwaitsecs, noted once: when tend is sent SIGHUP,
# and when its terminal really hangs up (the tmux server goes away).
cat >"$T/hup.ini" <<INI
[tend]
log_dir = $T/logs

[program:stubborn]
command = trap '' TERM; echo \$\$ >$T/stubborn.pid; echo ready; while :; do sleep 0.2; done
stopwaitsecs = 1
INI
for how in kill hangup; do
	fresh_tmux
	rm -rf "$T/logs" "$T/stubborn.pid"
	tui_start 80 24 "$T/hup.ini"
	pid_of "$T/stubborn.pid"
	stubborn=$CHILD
	wait_screen '^│. stubborn +running' >/dev/null
	tpid=$(tend_pid)
	if [ "$how" = kill ]; then
		kill -HUP "$tpid"
	else
		tm kill-server
	fi
	check "SIGHUP ($how): tend exits" gone_within 8 "${tpid:-0}"
	check "SIGHUP ($how): the stubborn program is gone" gone_within 1 "$stubborn"
	n=$(grep -c 'sent SIGKILL' "$T/logs/stubborn.log" 2>/dev/null)
	grep 'SIG' "$T/logs/stubborn.log" 2>/dev/null | sed 's/^/# log: /'
	check "SIGHUP ($how): the log has at most one 'sent SIGKILL' ($n)" test "${n:-0}" -le 1
done
