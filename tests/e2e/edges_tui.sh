# The TUI's edges: pipe-mode children cannot reach tend's terminal,
# a SIGSTOP'd program shows as stopped and stops quickly, a tiny window
# gives a pty child a real size, and long names stay apart in the list.
. "$(dirname "$0")/lib.sh"

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

# --- 4. pipe-mode children have no controlling terminal ---------------------
cat >"$T/tty.ini" <<INI
[program:ttycheck]
command = if (exec 3</dev/tty) 2>/dev/null; then echo HAS-TTY; else echo NO-TTY; fi; sleep 600

[program:scribble]
command = while [ ! -e $T/go ]; do sleep 0.1; done; printf '\\033]2;PWN\\007\\033[2J' > /dev/tty; echo done >$T/scribbled; sleep 600

[program:reader]
command = echo \$\$ >$T/reader.pid; read x < /dev/tty; echo "read-status=\$?"; sleep 600

[program:bystander]
command = sleep 600
INI
tui_start 80 24 "$T/tty.ini"
pid_of "$T/reader.pid"
reader=$CHILD
wait_screen '│ (NO|HAS)-TTY +│' 5 >/dev/null
check "pipe mode: the child cannot open /dev/tty (it says NO-TTY)" wait_screen '│ NO-TTY +│' 1
wait_screen '│. bystander +running' 5 >/dev/null
touch "$T/go" # scribble writes to /dev/tty now
wait_for "$T/scribbled" . 5 >/dev/null
sleep 0.5 # a frame or two after the child wrote to the terminal
check "writing to /dev/tty does not wipe the TUI: the list is still there" \
	bash -c 'screen | grep -q "programs" && screen | grep -q "│. ttycheck " && screen | grep -q "│. bystander "'
title=$(tm display-message -p -t tend '#{pane_title}')
check "  and does not set the terminal's title ('$title')" test "$title" != PWN
state=$(ps -o stat= -p "$reader" | tr -d ' ')
check "reading /dev/tty does not stop the child by SIGTTIN (state '$state')" \
	bash -c "[ -n '$state' ] && [ '${state#T}' = '$state' ]"
keys j j
check "  the read fails at once, and the output says so" wait_screen '│ read-status=[1-9][0-9]* +│' 3

# Headless, started from a terminal: no /dev/tty for the children either.
fresh_tmux
cat >"$T/htty.ini" <<'INI'
[program:ttycheck]
command = if (exec 3</dev/tty) 2>/dev/null; then echo HAS-TTY; else echo NO-TTY; fi
INI
tm new-session -d -s tend -x 80 -y 24 \
	"env LANG=C.UTF-8 TERM=screen-256color $TEND --headless $T/htty.ini; echo TEND-EXIT=\$?; sleep 600"
wait_screen '^ttycheck \| (NO|HAS)-TTY' 5 >/dev/null
check "headless on a terminal: the child cannot open /dev/tty (NO-TTY)" wait_screen '^ttycheck \| NO-TTY' 1

# --- 8. a program stopped by SIGSTOP ------------------------------------------
fresh_tmux
cat >"$T/stop.ini" <<INI
[program:victim]
command = echo \$\$ >$T/victim.pid; exec sleep 600
stopwaitsecs = 10

[program:idle]
command = true
autostart = false
INI
tui_start 80 24 "$T/stop.ini"
pid_of "$T/victim.pid"
victim=$CHILD
wait_screen '^│. victim +running' >/dev/null
kill -STOP "$victim"
check "SIGSTOP: the list shows victim as stopped" wait_screen '^│. victim +stopped' 3
kill -CONT "$victim"
check "SIGCONT: running again" wait_screen '^│. victim +running' 3
kill -STOP "$victim"
sleep 0.3
keys t # victim is selected: the first program
check "t on a stopped program: it ends in < 3 s (stopwaitsecs = 10)" gone_within 3 "$victim"
check "  and the list says how it ended" wait_screen '^│. victim +(killed|exited)' 2

# --- 12a. a 3x2 window: a pty child never sees 0 or 65535 --------------------
fresh_tmux
cat >"$T/tiny.ini" <<INI
[program:size]
command = while :; do stty size >>$T/size.log; sleep 0.2; done
pty = true
INI
tui_start 3 2 "$T/tiny.ini"
for ((i = 0; i < 50; i++)); do
	tpid=$(tend_pid)
	[ -n "$tpid" ] && break
	sleep 0.1
done
wait_for "$T/size.log" '^[0-9]+ [0-9]+$' 5 >/dev/null
sleep 1
echo "# sizes the child saw: $(sort -u "$T/size.log" 2>/dev/null | tr '\n' ',')"
check "3x2: the child sees a size" test -s "$T/size.log"
check "3x2: never 0 nor 65535 rows or columns" \
	bash -c "! grep -Eqv '^[1-9][0-9]* [1-9][0-9]*\$' '$T/size.log' && ! grep -q 65535 '$T/size.log'"
check "3x2: tend does not crash" kill -0 "${tpid:-0}"

# --- 12b. long names that share their first 24 characters, in the list -------
fresh_tmux
cat >"$T/names.ini" <<'INI'
[program:averyveryverylongprogramname_one]
command = echo from-one; sleep 600

[program:averyveryverylongprogramname_two]
command = echo from-two; sleep 600
INI
tui_start 80 24 "$T/names.ini"
wait_screen 'from-one' >/dev/null
sleep 0.3
# A row's name: after the marker column, up to the status.
rows=$(screen | grep '^│. averyvery' | sed -E 's/^│. //; s/│.*//; s/ +(running|exited|stopped|starting|killed).*//')
echo "# the rows' names: $(printf '%s' "$rows" | tr '\n' ',')"
check "long names: two rows in the list" test "$(printf '%s\n' "$rows" | grep -c .)" = 2
check "long names: the two rows' names differ" test "$(printf '%s\n' "$rows" | sort -u | grep -c .)" = 2
