# What each program costs, in the list on a wide screen and in
# `tend ctl status`: CPU % and RSS of the program's processes (a child
# of its shell counts), restarts and uptime.  A narrow list keeps its
# layout; an idle headless tend does not wake up for stats.
. "$(dirname "$0")/lib.sh"

cat >"$T/tend.ini" <<'INI'
[program:burn]
command = yes > /dev/null

[program:idle]
command = exec sleep 600
INI
CTL_ARGS=(-c "$T/tend.ini")

# row NAME: NAME's row in the list, as on screen.
row() { screen | grep -E "^│. $1 " | head -n 1; }
# cpu_of NAME: the CPU figure in NAME's row (without the %).
cpu_of() { row "$1" | sed -nE 's/^│. [a-z]+ +[a-z]+ +([0-9]+)% .*/\1/p'; }

# wait_cpu NAME MIN MAX [SECONDS]: until NAME's CPU figure is in range.
wait_cpu() {
	local i c
	for ((i = 0; i < ${4:-10} * 10; i++)); do
		c=$(cpu_of "$1")
		[ -n "$c" ] && [ "$c" -ge "$2" ] && [ "$c" -le "$3" ] && return 0
		sleep 0.1
	done
	echo "# $1's CPU is '${c}', not in $2..$3:" >&2
	screen | head -n 5 | sed 's/^/#   |/' >&2
	return 1
}

tui_start 160 40 "$T/tend.ini"
check "the wide list names its columns" wait_screen '^┌─ programs ─+ +cpu +rss rst up ─'
check "yes (a child of the program's shell) shows >= 50 % CPU" \
	wait_cpu burn 50 400 10
check "the sleeping program shows low CPU" wait_cpu idle 0 5 5
check "and an RSS figure, restarts 0 and its uptime" \
	wait_screen '^│  idle +running +[0-9]+% +[0-9.]+[KM] +0 [0-9.]+s' 5
check "the rows still start as they did" wait_screen '^│> burn +running '

check "tend ctl status --json answers" ctl_do 0 status --json
check "it has cpu_percent and rss_bytes" json_ok \
	'p["burn"]["cpu_percent"] >= 50 and p["idle"]["cpu_percent"] < 5 and p["idle"]["rss_bytes"] > 100000 and p["burn"]["restarts"] == 0 and p["idle"]["uptime_s"] >= 0'
check "tend ctl status says cpu and rss" ctl_do 0 status
check "in its text lines" has "$T/ctl.out" '^idle +running .*restarts 0 +cpu [0-9.]+% +rss [0-9.]+[KM]$'

keys j r
check "a restart counts in the list" \
	wait_screen '^│> idle +running +[0-9]*%? +[0-9.]*[KM]? +1 ' 10
check "and in the JSON" ctl_do 0 status --json
check "restarts 1" json_ok 'p["idle"]["restarts"] == 1'

tm resize-window -t tend -x 80 -y 24
check "at 80x24 the list shows names and states, without the columns" \
	wait_screen '^│> idle +running +│'
check "the burner too" wait_screen '^│  burn +running +•?│'
check "and no cpu column" no_screen 'cpu +rss'
pid=$(tend_pid)
# Past the last sample and the buffering hint (5 s after the restart).
sleep 5
w0=$(awk '/^voluntary_ctxt_switches/ { print $2 }' "/proc/$pid/status")
sleep 2
w1=$(awk '/^voluntary_ctxt_switches/ { print $2 }' "/proc/$pid/status")
check "with no column to fill, no sampling wakes tend ($((w1 - w0)) wake-ups in 2 s)" \
	test $((w1 - w0)) -le 1
keys q
check "quit" wait_screen '^TEND-EXIT=0$'

# Headless and idle: ctl status samples once; then tend sleeps.
cat >"$T/idle.ini" <<'INI'
[program:nap]
command = exec sleep 600
INI
CTL_ARGS=(-c "$T/idle.ini")
headless "$T/idle.ini"
ctl_up
check "headless: status --json has the figures" ctl_do 0 status --json
check "rss_bytes and cpu_percent of the sleeper" json_ok \
	'p["nap"]["rss_bytes"] > 100000 and p["nap"]["cpu_percent"] is not None and p["nap"]["cpu_percent"] < 5'
sleep 1.5
w0=$(awk '/^voluntary_ctxt_switches/ { print $2 }' "/proc/$TEND_PID/status")
sleep 2
w1=$(awk '/^voluntary_ctxt_switches/ { print $2 }' "/proc/$TEND_PID/status")
check "idle headless does not wake up after a status ($((w1 - w0)) wake-ups in 2 s)" \
	test $((w1 - w0)) -le 1
kill -TERM "$TEND_PID"
check "headless ends" wait_exit "$TEND_PID"
