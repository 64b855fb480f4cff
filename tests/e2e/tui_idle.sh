# An idle tend sleeps in poll() with no timer, and yet what changes on
# screen without a key shows: a prompt printed late (no newline, nothing
# else happening), and the buffering hint when a program stays silent.
# Config warnings, printed before the screen is taken, are shown on it.
. "$(dirname "$0")/lib.sh"

cat >"$T/tend.ini" <<'INI'
[program:late]
command = echo hello; sleep 6; printf 'late> '; exec sleep 600

[program:silent]
command = exec sleep 600
stdout_capture_maxbytes = 1MB
INI
tui_start 100 24 "$T/tend.ini"
check "the list shows both" wait_screen 'silent +running'
check "config warnings are shown, not hidden behind the screen" \
	wait_screen "1 config warning \\(tend --check lists them\\): .*tend.ini:6: 'std"
check "a prompt printed 6 s later, with nothing else happening, shows" \
	wait_screen '│ late> +│$' 15
check "the title gives the start time, not a ticking uptime" \
	wait_screen 'late running . pid [0-9]+ . since [0-9]{2}:[0-9]{2}:[0-9]{2} '
keys j
check "a program silent for 5 s gets the buffering hint" \
	wait_screen 'No output for 5 s' 10
pid=$(tend_pid)
w0=$(awk '/^voluntary_ctxt_switches/ { print $2 }' "/proc/$pid/status")
sleep 3
w1=$(awk '/^voluntary_ctxt_switches/ { print $2 }' "/proc/$pid/status")
check "then tend does not wake up at all ($((w1 - w0)) wake-ups in 3 s)" \
	test $((w1 - w0)) -le 1
keys q
check "quit" wait_screen '^TEND-EXIT=0$'
