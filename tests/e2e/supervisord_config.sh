# config/supervisord.ini, a supervisord configuration, runs in tend as it
# is: --check accepts it (warnings only) and headless, every autostarted
# program's output appears, with supervisord's keys applied.
. "$(dirname "$0")/lib.sh"

cfg=$PWD/config/supervisord.ini

"$TEND" --check "$cfg" >"$T/check.out" 2>"$T/check.err"
check "--check exits 0" test $? = 0
check "--check counts the four programs" has "$T/check.out" ': ok, 4 programs$'
check "[supervisord] is skipped with a warning" \
	has "$T/check.err" '^warning: .*supervisord.ini:[0-9]+: \[supervisord\] is a supervisord section; tend skips it$'
check "[rpcinterface:supervisor] is skipped with a warning" \
	has "$T/check.err" '\[rpcinterface:supervisor\] is a supervisord section'
check "stdout_logfile is a key tend reads: no warning about it" \
	bash -c "! grep -q \"'stdout_logfile'\" '$T/check.err'"
check "process_name, numprocs and priority are keys tend reads: no warning" \
	bash -c "! grep -Eq \"'(process_name|numprocs|priority)'\" '$T/check.err'"
check "nothing but warnings" \
	bash -c "! grep -v '^warning: ' '$T/check.err'"

web=true
if curl -s -o /dev/null --max-time 1 http://127.0.0.1:8071/; then
	echo "# port 8071 is taken on this machine; web is not checked"
	web=false
fi

headless "$cfg"
check "worker's output, with its environment (QUEUE)" \
	wait_for "$T/out" '^worker +\| emails: job 3 done$' 10
check "worker's stderr line, marked apart" \
	wait_for "$T/out" '^worker +! emails: job 5 was slow$' 10
check "the one-shot migrate job prints and exits 0" \
	wait_for "$T/out" '^migrate +\* exited 0$' 10
check "migrate's output" has "$T/out" '^migrate +\| migrations applied$'
if $web; then
	check "web serves" wait_for "$T/out" '^web +\| Serving HTTP on 127.0.0.1 port 8071' 10
	curl -s -o /dev/null http://127.0.0.1:8071/supervisord.ini
	check "redirect_stderr: web's access log is in its stdout" \
		wait_for "$T/out" '^web +\| 127\.0\.0\.1 .*"GET /supervisord.ini HTTP/1.1" 200' 10
else
	ok "web serves (skipped: port 8071 in use)"
	ok "redirect_stderr (skipped: port 8071 in use)"
fi
check "autostart = false: report is not started" \
	bash -c "! grep -Eq '^report +\\* started' '$T/out'"

kill -INT "$TEND_PID"
check "SIGINT stops tend" wait_exit "$TEND_PID" 15
check "tend exits 0 (every stop was requested)" test "${EXIT_STATUS:-}" = 0
check "the summary says report was not started" has "$T/out" '^report: not started$'
check "worker stopped with its stopsignal (TERM)" \
	has "$T/out" '^worker: killed by SIGTERM \(rc -15\) after'
if $web; then
	check "web stopped with its stopsignal (INT)" \
		has "$T/out" '^web +\* stopping: sent SIGINT$'
else
	ok "web's stopsignal (skipped: port 8071 in use)"
fi
