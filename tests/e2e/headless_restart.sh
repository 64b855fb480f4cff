# autorestart: a crash loop backs off (1s, 2s, ...) and ends in fatal after
# startretries; a program that stays up is restarted; `unexpected` restarts
# only on exit codes not in exitcodes.
. "$(dirname "$0")/lib.sh"

cat >"$T/tend.ini" <<INI
[program:crash]
command = echo try >>$T/tries; exit 1
autorestart = true
startretries = 2
startsecs = 1

[program:expected]
command = exit 2
autorestart = unexpected
exitcodes = 0,2
INI
headless "$T/tend.ini"
check "tend exits once the crash loop is fatal" wait_exit "$TEND_PID" 15
check "first restart after 1s" has "$T/out" '^crash +\* restarting in 1s$'
check "second restart after 2s" has "$T/out" '^crash +\* restarting in 2s$'
check "fatal after startretries" has "$T/out" '^crash +\* fatal: failed to start 3 times in a row; not restarting$'
check "started 3 times in all" test "$(wc -l <"$T/tries")" = 3
check "expected exit code not restarted" bash -c "test \$(grep -c '^expected \* started' '$T/out') = 1"
check "exit status 1 (crash failed)" test "$EXIT_STATUS" = 1

# CPU between tries is ~0: tend sleeps in poll during the backoff.
cat >"$T/idle.ini" <<INI
[program:crash]
command = exit 1
autorestart = true
startretries = 100
INI
headless "$T/idle.ini"
sleep 1.2
fds1=$(ls "/proc/$TEND_PID/fd" | wc -l)
sleep 3
ticks=$(awk '{print $14 + $15}' "/proc/$TEND_PID/stat")
check "tend used under 0.2s of CPU in 4s of crash loop ($ticks ticks)" test "$ticks" -lt 20
fds2=$(ls "/proc/$TEND_PID/fd" | wc -l)
check "no fd leaks across restarts ($fds1 fds, then $fds2)" test "$fds1" = "$fds2"
check "no zombies left behind" bash -c "! ps --ppid $TEND_PID -o stat= | grep -q Z"
check "it was restarted meanwhile" bash -c "test \$(grep -c '^crash \\* started' '$T/out') -ge 3"
kill -TERM "$TEND_PID"; wait_exit "$TEND_PID" 5
