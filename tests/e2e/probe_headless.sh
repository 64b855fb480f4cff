# HTTP probes in headless mode against real servers: ready by probe, by
# ready_log; 404, refused, a server that never answers, a body mismatch.
. "$(dirname "$0")/lib.sh"

web=$(free_port) slow=$(free_port) hang=$(free_port) none=$(free_port)
cp "$(dirname "$0")/hang.py" "$T/hang.py"
cat >"$T/tend.ini" <<INI
[program:web]
command = exec python3 -u -m http.server $web --bind 127.0.0.1
ready_log = Serving HTTP

[program:late]
; listens only after 1.5 s: periodic probes flip it to ready
command = sleep 1.5; exec python3 -m http.server $slow --bind 127.0.0.1
probe_url = http://127.0.0.1:$slow/
probe_body = Directory listing
probe_interval = 0.3

[program:missing]
command = exec sleep 600
probe_url = http://127.0.0.1:$web/no-such-page
probe_status = 200
probe_interval = 0.3

[program:refused]
command = exec sleep 600
probe_url = http://127.0.0.1:$none/
probe_interval = 0.3

[program:hang]
command = exec python3 hang.py $hang
probe_url = http://127.0.0.1:$hang/
probe_interval = 0.2
probe_timeout = 1

[program:mismatch]
command = exec sleep 600
probe_url = http://127.0.0.1:$web/
probe_body = text that is not there
probe_interval = 0.3
INI
headless "$T/tend.ini"
check "ready_log marks web ready" wait_for "$T/out" '^web +\* ready: output contains "Serving HTTP"$'
check "periodic probes flip late to ready, with status, time and body" \
	wait_for "$T/out" "^late +\\* ready: probe GET http://127.0.0.1:$slow/: 200 OK in [0-9]+ ms, [0-9]+ bytes, body contains \"Directory listing\"\$"
check "404 where 200 was expected: unhealthy, said plainly" \
	wait_for "$T/out" "^missing +\\* unhealthy since [0-9:]{8} \\(3 failed probes\\): GET http://127.0.0.1:$web/no-such-page: 404 File not found in [0-9]+ ms, [0-9]+ bytes; expected 200\$"
check "connection refused said plainly" \
	wait_for "$T/out" "^refused +\\* unhealthy since [0-9:]{8} \\(3 failed probes\\): GET http://127.0.0.1:$none/: connection refused\$"
check "a server that never answers: timed out after probe_timeout" \
	wait_for "$T/out" "^hang +\\* unhealthy since [0-9:]{8} \\(3 failed probes\\): GET http://127.0.0.1:$hang/: timed out after 1 s\$" 10
check "body mismatch said plainly" \
	wait_for "$T/out" "^mismatch +\\* unhealthy since .*: 200 OK in [0-9]+ ms, [0-9]+ bytes; body did not contain \"text that is not there\"\$"
# While hang's probes hang, web's output still streams at once.
curl -s -o /dev/null "http://127.0.0.1:$web/marker-$$"
check "output keeps flowing during hanging probes" wait_for "$T/out" "GET /marker-$$ HTTP/1.1" 2
kill -TERM "$TEND_PID"
check "tend stops cleanly with probes in flight" wait_exit "$TEND_PID" 10

# libcurl (and the TLS libraries it brings) is loaded by the first probe
# only: a session without one never maps it.
cat >"$T/noprobe.ini" <<INI
[program:web]
command = exec python3 -u -m http.server $web --bind 127.0.0.1
ready_log = Serving HTTP
INI
headless "$T/noprobe.ini"
wait_for "$T/out" '^web +\* ready' >/dev/null
check "no probe: libcurl is not loaded" \
	bash -c "! grep -q 'libcurl\\|libcrypto' /proc/$TEND_PID/maps"
kill -TERM "$TEND_PID"
wait_exit "$TEND_PID" 10
cat >"$T/probe.ini" <<INI
[program:web]
command = exec python3 -u -m http.server $web --bind 127.0.0.1
probe_url = http://127.0.0.1:$web/
probe_interval = 0.3
INI
headless "$T/probe.ini"
check "a probe loads libcurl and passes" wait_for "$T/out" "^web +\\* ready: probe GET http://127.0.0.1:$web/: 200 OK"
check "... and libcurl is mapped then" grep -q libcurl "/proc/$TEND_PID/maps"
kill -TERM "$TEND_PID"
wait_exit "$TEND_PID" 10
