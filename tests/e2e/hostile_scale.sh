# 200 programs at once, each printing a line every 10 ms, with a soft fd
# limit of 1024 (tend raises it): every program runs and is heard, and
# tend stops all 200 at once.
# e2e: alone
. "$(dirname "$0")/lib.sh"

# perl, not a shell loop: 200 shells forking sleep every 10 ms load two
# cores fully and take minutes under the sanitizers.
TICKER='$| = 1; for (my $i = 1;; $i++) { print "tick $i\n"; select(undef, undef, undef, 0.01) }'

{
	echo "[tend]"
	echo "log_dir = logs"
	for i in $(seq 1 200); do
		printf '[program:p%03d]\n' "$i"
		echo "command = exec perl -e '$TICKER'"
	done
} >"$T/tend.ini"
(ulimit -Sn 1024; exec "$TEND" --headless "$T/tend.ini" >"$T/out" 2>&1) &
TEND_PID=$!
TEND_PIDS+=("$TEND_PID")
# Wait for each to be heard a few times rather than for a count in a
# fixed time.
heard_all() {
	heard=$(grep -o '^p[0-9]* | tick 5$' "$T/out" | sort -u | wc -l)
	[ "$heard" = 200 ]
}
for _ in $(seq 1 150); do heard_all && break; sleep 0.1; done
sleep 1
check "all 200 programs started" bash -c "test \$(grep -c '^p[0-9]* \\* started pid' '$T/out') = 200"
check "all 200 are heard (tick 5 from each: $heard)" test "$heard" = 200
check "no 'Too many open files'" bash -c "! grep -q 'Too many open files' '$T/out'"
ticks=$(awk '{print $14 + $15}' "/proc/$TEND_PID/stat")
check "tend is not spinning (${ticks} CPU ticks so far)" test "$ticks" -lt 1000
start=$(date +%s%N)
kill -TERM "$TEND_PID"
check "all 200 stop" wait_exit "$TEND_PID" 20
elapsed=$((($(date +%s%N) - start) / 1000000))
check "stopped at once, not one after another (${elapsed} ms)" test "$elapsed" -lt 5000
check "every stop reported" bash -c "test \$(grep -c '^p[0-9]* \\* killed by SIGTERM' '$T/out') = 200"
check "every program has its log" test "$(ls "$T/logs" | wc -l)" = 200
