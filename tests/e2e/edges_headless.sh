# Headless edge cases: background jobs do not keep tend idle forever, a
# note does not cut a half-written line, a restart that cannot spawn is
# retried until fatal, and long names that share a prefix stay apart.
. "$(dirname "$0")/lib.sh"

# --- 3. background jobs: tend ends when they do --------------------------
cat >"$T/bg1.ini" <<'INI'
[program:bg]
command = echo parent; (sleep 1; echo late) &
INI
cat >"$T/bg2.ini" <<'INI'
[program:bg]
command = sleep 1 &
INI
cat >"$T/bg3.ini" <<'INI'
[program:bg]
command = (sleep 1; echo late) > /dev/null &
INI
# The three at once, so a tend that idles costs 5 s, not 15.
declare -A bgpid
for c in bg1 bg2 bg3; do
	"$TEND" --headless "$T/$c.ini" >"$T/$c.out" 2>&1 &
	bgpid[$c]=$!
	TEND_PIDS+=("$!")
done
check "echo parent; (sleep 1; echo late) &: tend exits by itself" wait_exit "${bgpid[bg1]}" 5
kill -0 "${bgpid[bg1]}" 2>/dev/null && bg1_exited=no || bg1_exited=yes
check "  it printed parent" has "$T/bg1.out" '^bg +\| parent$'
check "  it printed late" has "$T/bg1.out" '^bg +\| late$'
# parent, then late, then the program's end (the summary line), and all
# that before tend exits by itself.
order=$(grep -E '^bg +\| (parent|late)$|^bg: ' "$T/bg1.out" | sed -E 's/^bg +\| //; s/^bg: .*/END/' | tr '\n' /)
check "  parent, then late, then the end ($order), and tend exited by itself" \
	test "$bg1_exited/$order" = yes/parent/late/END/
# These two have had those 5 s already.
check "sleep 1 &: tend exits by itself" wait_exit "${bgpid[bg2]}" 1
check "(sleep 1; echo late) > /dev/null &: tend exits by itself" wait_exit "${bgpid[bg3]}" 1
check "  and the output redirected away does not show" bash -c "! grep -q '| late' '$T/bg3.out'"

# --- 9. a note does not cut a half-written line -----------------------------
# The program writes half a line, then on SIGTERM the rest: tend's
# "stopping: sent SIGTERM" note comes while the half line is pending.
cat >"$T/half.ini" <<INI
[tend]
log_dir = $T/logs
log_timestamps = false

[program:json]
command = printf '{"id":42,"msg":"half'; trap 'printf ",\\"status\\":\\"done\\"}\\n"; exit 0' TERM; echo \$\$ >$T/json.pid; while :; do sleep 0.1; done
INI
headless "$T/half.ini"
wait_for "$T/json.pid" . 5 >/dev/null
TEND_PIDS+=("$(cat "$T/json.pid")")
sleep 0.6 # tend reads the half line (a pipe is read in 33 ms batches)
kill -TERM "$TEND_PID"
check "half line: tend stops json and exits" wait_exit "$TEND_PID" 10
check "half line: the stop is noted meanwhile" has "$T/out" '^json \* stopping: sent SIGTERM$'
check "half line: headless shows the full line as one line" \
	has "$T/out" '^json \| \{"id":42,"msg":"half,"status":"done"\}$'
check "half line: the log has the full line as one line" \
	has "$T/logs/json.log" '^\| \{"id":42,"msg":"half,"status":"done"\}$'

# --- 12b. long names that share their first 24 characters -------------------
cat >"$T/names.ini" <<'INI'
[program:averyveryverylongprogramname_one]
command = echo from-one

[program:averyveryverylongprogramname_two]
command = echo from-two
INI
headless "$T/names.ini"
wait_exit "$TEND_PID" 10
p1=$(grep ' | from-one$' "$T/out" | sed 's/ | from-one$//')
p2=$(grep ' | from-two$' "$T/out" | sed 's/ | from-two$//')
echo "# prefixes: '$p1' and '$p2'"
check "long names: both programs' lines are there" test -n "$p1" -a -n "$p2"
check "long names: the two prefixes differ" test "$p1" != "$p2"

# --- 10. a restart that cannot spawn is retried -----------------------------
if ! command -v prlimit >/dev/null; then
	ok "restart without fds: skipped, no prlimit (util-linux)"
	exit 0
fi
cat >"$T/retry.ini" <<'INI'
[program:crash]
command = exit 1
autorestart = true
startretries = 2
startsecs = 1
INI
headless "$T/retry.ini"
# In the first backoff (1 s), tend has only its own fds open: a limit of
# that many leaves no room for a new pipe.
wait_for "$T/out" '^crash \* restarting in' 5 >/dev/null
nfd=$(ls "/proc/$TEND_PID/fd" | wc -l)
check "prlimit --nofile=$nfd on tend" prlimit --pid "$TEND_PID" --nofile="$nfd:$nfd"
check "restart without fds: the failure is noted" \
	wait_for "$T/out" '^crash \* cannot (start|fork).*(Too many open files|fd)' 5
check "restart without fds: headless ends by itself" wait_exit "$TEND_PID" 20
check "restart without fds: another restart is scheduled after the failure" \
	awk '/^crash \* cannot (start|fork)/ { f = 1 } f && /^crash \* restarting in/ { r = 1 } END { exit !r }' "$T/out"
check "restart without fds: fatal after startretries" has "$T/out" '^crash \* fatal'
check "restart without fds: exit status 1" test "${EXIT_STATUS:-x}" = 1
