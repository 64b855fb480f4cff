# Output: a prompt without newline is shown; 2,000,000 lines all reach the
# log file and stdout, in order; the last line without a newline is kept.
# e2e: alone
. "$(dirname "$0")/lib.sh"

cat >"$T/prompt.ini" <<'INI'
[program:ask]
command = printf 'name? '; read name; echo "hi $name"
INI
headless "$T/prompt.ini"
check "unterminated prompt is shown" wait_for "$T/out" '^ask +\| name\? $' 5
kill -TERM "$TEND_PID"; wait_exit "$TEND_PID" 10

cat >"$T/flood.ini" <<INI
[tend]
log_dir = logs
log_timestamps = false
log_max_bytes = 0
scrollback = 1000

[program:flood]
command = seq 1 2000000; printf 'no newline at the end'
INI
"$TEND" --headless "$T/flood.ini" >"$T/flood.out" 2>&1
check "tend exits 0 after the flood" test $? = 0
log="$T/logs/flood.log"
check "log file exists" test -f "$log"
check "every one of 2,000,000 lines in the log, in order" \
	bash -c "grep '^| ' '$log' | head -n 2000000 | cut -c3- | cmp -s - <(seq 1 2000000)"
check "last line without newline kept in the log" has "$log" '^\| no newline at the end$'
check "log notes the start and the end" bash -c "grep -q '^\* started pid' '$log' && grep -q '^\* exited 0$' '$log'"
check "every line on stdout too" \
	bash -c "grep '^flood | ' '$T/flood.out' | head -n 2000000 | cut -c9- | cmp -s - <(seq 1 2000000)"

# stderr lines are marked in the log.
cat >"$T/err.ini" <<INI
[tend]
log_dir = logs
log_timestamps = false
[program:mixed]
command = echo out; echo err >&2
INI
"$TEND" --headless "$T/err.ini" >"$T/err.out" 2>&1
check "stderr line marked '!' in the log" has "$T/logs/mixed.log" '^! err$'
check "stdout line marked '|' in the log" has "$T/logs/mixed.log" '^\| out$'
