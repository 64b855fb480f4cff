# Children that misbehave: close their output and keep running, leave a
# grandchild holding the pipe, die while tend writes to them, cannot be
# started at all.  tend reports each plainly and stays up.
. "$(dirname "$0")/lib.sh"

mkdir -p "$T/noexec" && printf '#!/bin/sh\necho hi\n' >"$T/noexec/script" && chmod 644 "$T/noexec/script"
cat >"$T/tend.ini" <<INI
[program:mute]
command = echo "going quiet"; exec >&- 2>&-; exec sleep 600

[program:orphan]
command = (sleep 1; echo "late line from the grandchild") & echo "parent leaves"; exit 0

[program:nosuch]
command = no-such-command-here

[program:nodir]
command = echo never
directory = does/not/exist

[program:noexec]
command = ./noexec/script

[program:badshell]
command = echo never
INI
headless "$T/tend.ini"
check "a child that closed its output is still running" bash -c "sleep 1.5; grep -q '^mute *| going quiet' '$T/out' && ! grep -q '^mute *\\* exited' '$T/out'"
check "the parent's exit is reported at once" wait_for "$T/out" '^orphan +\* exited 0$'
check "the grandchild's later output still shows" wait_for "$T/out" '^orphan +\| late line from the grandchild$'
check "a command that does not exist: the shell says so, exit 127" \
	bash -c "grep -q '^nosuch *! .*no-such-command-here: .*not found' '$T/out' && grep -q '^nosuch *\\* exited 127\$' '$T/out'"
check "a directory that does not exist: the reason" \
	wait_for "$T/out" "^nodir +\\* exited 127: cannot chdir to $T/does/not/exist: No such file or directory\$"
check "a command that is not executable: Permission denied, 126" \
	bash -c "grep -q '^noexec *! .*Permission denied' '$T/out' && grep -q '^noexec *\\* exited 126\$' '$T/out'"
kill -TERM "$TEND_PID"
check "tend stops cleanly" wait_exit "$TEND_PID" 10

# A shell that cannot be run: reported as such, and autorestart backs off.
cat >"$T/shell.ini" <<INI
[tend]
shell = /no/such/shell

[program:badshell]
command = echo never
autorestart = true
startretries = 1
INI
headless "$T/shell.ini"
check "a shell that cannot run: the reason" \
	wait_for "$T/out" '^badshell \* exited 127: cannot run /no/such/shell: No such file or directory$'
check "no crash loop faster than the backoff: gives up after startretries" \
	wait_for "$T/out" '^badshell \* fatal: failed to start 2 times in a row; not restarting$' 5
check "started twice in all" bash -c "test \$(grep -c '^badshell \\* started' '$T/out') = 2"

# A child that exits while tend writes to its stdin (EPIPE, no SIGPIPE).
cat >"$T/pipe.ini" <<INI
[program:quitter]
command = exec 0<&-; echo "stdin closed"; sleep 1; echo bye
stop_input = quit
stopwaitsecs = 2
INI
headless "$T/pipe.ini"
sleep 0.5
kill -TERM "$TEND_PID"
check "tend survives writing to a child that exits (no SIGPIPE death)" wait_exit "$TEND_PID" 10
check "the write hit EPIPE and says what was not sent" \
	has "$T/out" '^quitter \* stdin closed by the program: 5 bytes of input were not sent$'
check "and reports how it ended" has "$T/out" '^quitter \* exited 0$'
check "tend's exit status is 0" test "$EXIT_STATUS" = 0
