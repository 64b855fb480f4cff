# A `tend ctl logs -f` client that stops reading never holds headless tend
# up: while a program floods, tend's output reaches the flood's last line,
# tend answers other clients, its memory stays bounded, and when the
# stalled client reads again it is told how many lines it missed (and
# gets the rest, in order).  A follower that hangs up mid-flood changes
# nothing either.
# e2e: alone
. "$(dirname "$0")/lib.sh"
E2E=$(cd "$(dirname "$0")" && pwd)
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

n=2000000
cat >"$T/tend.ini" <<INI
[program:flood]
command = seq 1 $n
autostart = false

[program:tick]
command = i=0; while :; do i=\$((i + 1)); echo "tick \$i"; sleep 0.1; done
INI
CTL_ARGS=(-c "$T/tend.ini")
headless "$T/tend.ini"
up_or_bail "tend ctl reaches tend" "$T/out"
sock=$(python3 "$E2E/ctlraw.py" listening "$TEND_PID")

# The stalled follower: connected and asking before the flood starts.
mkdir "$T/s"
python3 "$E2E/ctlraw.py" stall "$sock" "$T/s" logs flood -f &
stalled=$!
TEND_PIDS+=("$stalled")
check "the stalled follower is connected" wait_file "$T/s/connected" 10
# A follower that hangs up in the middle of the flood.
timeout 60 "$TEND" ctl -c "$T/tend.ini" logs flood -f >"$T/quitter.out" 2>&1 &
quitter=$!
TEND_PIDS+=("$quitter")
sleep 0.5

check "start flood" ctl_do 0 start flood
sleep 0.05
kill "$quitter" 2>/dev/null
check "wait flood --for exited: the flood ends though a follower does not read" ctl_do 0 wait flood --for exited --timeout 40
echo "# the flood took ${CTL_MS} ms after the wait began"
check "headless output reaches the flood's last line" wait_for "$T/out" "^flood \\| $n\$" 40
check "... and the ticks go on after it" wait_for "$T/out" "^tick +\\| tick [0-9]+\$" 5
check "headless output: every line of the flood, in order" \
	awk -v n="$n" '/^flood \| / { if ($3 != ++k) { print "# line " k " is " $0 > "/dev/stderr"; exit 1 } }
		END { if (k != n) { print "# " k " lines" > "/dev/stderr"; exit 1 } }' "$T/out"
rss=$(rss_kb "$TEND_PID")
check_rss "the stalled follower costs no memory: RSS ${rss} kB < 64 MiB" test "$rss" -lt 65536
check "other clients are answered at once" ctl_do 0 status
check "... in ${CTL_MS} ms < 1000" test "$CTL_MS" -lt 1000
check "... tick runs" has "$T/ctl.out" '^tick +running '
check "logs of another program meanwhile" ctl_do 0 logs tick -n 1
check "... is its last line" has "$T/ctl.out" '^tick \| tick [0-9]+$'
check "the stalled follower has read nothing yet" test ! -e "$T/s/out"

# It reads again.
touch "$T/s/go"
check "the stalled follower reads again: it gets the flood's last line" wait_for "$T/s/out" "^o flood \\| $n\$" 20
check "... told it missed lines, in the documented words" \
	has "$T/s/out" '^o tend +\* missed [0-9]+ lines of flood: this reader fell behind$'
check "... the lines it got and the lines it missed add up to the flood, in order, none twice" \
	awk -v n="$n" '/^o flood \| [0-9]+$/ { if ($4 <= last) { print "# " $4 " after " last > "/dev/stderr"; exit 1 }
			last = $4; got++ }
		/^o tend +\* missed / { missed += $5 }
		END { if (got + missed != n || last != n) {
			printf "# got %d, missed %d, last %d\n", got, missed, last > "/dev/stderr"; exit 1 } }' "$T/s/out"
grep '^o tend' "$T/s/out" | sed 's/^/# /'
check "... it is still following (no answer yet)" bash -c "! grep -q '^x ' '$T/s/out'"

check "quit" ctl_do 0 quit
check "tend exits" wait_exit "$TEND_PID" 15
check "the follower is told the end: status 0" wait_for "$T/s/out" '^x 0$' 5
check "... and its connection closes" wait_file "$T/s/done" 5
check "no sanitizer report" no_sanitizer_report "$T/out" "$T/ctl-all.err" "$T/quitter.out"
