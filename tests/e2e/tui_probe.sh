# `p` in the TUI: the result in the pane and the title; a hanging probe
# does not delay keys.
. "$(dirname "$0")/lib.sh"

web=$(free_port) hang=$(free_port)
cp "$(dirname "$0")/hang.py" "$T/hang.py"
cat >"$T/tend.ini" <<INI
[program:web]
command = exec python3 -u -m http.server $web --bind 127.0.0.1
probe_url = http://127.0.0.1:$web/
probe_body = Directory listing
ready_log = Serving HTTP

[program:hang]
command = exec python3 hang.py $hang
probe_url = http://127.0.0.1:$hang/
probe_timeout = 3

[program:plain]
command = exec sleep 600
INI
tui_start 120 30 "$T/tend.ini"
check "ready_log shows web as ready in the list" wait_screen '> web +ready'
keys p
check "p shows the result in the pane" \
	wait_screen "probe ok: GET http://127.0.0.1:$web/: 200 OK in [0-9]+ ms, [0-9]+ bytes, body contains"
check "and in the title" wait_screen "web running . pid [0-9]+ . since [0-9:]+ . ready . probe 200 in [0-9]+ ms"
check "the 'probing...' message goes when the result is in" \
	bash -c "sleep 0.3; ! screen | grep -q 'probing http'"

keys j
wait_screen '> hang' >/dev/null
keys p
sleep 0.3
start=$(date +%s%N)
keys j
check "a key during a hanging probe is shown at once" wait_screen '> plain' 1
elapsed=$((($(date +%s%N) - start) / 1000000))
check "(key shown in ${elapsed} ms, probe still hanging)" test "$elapsed" -lt 1000
keys p
check "p without a probe says so" wait_screen 'no probe_url, probe_command or probe_tcp in \[program:plain\]'
keys k
check "the hanging probe ends at probe_timeout" \
	wait_screen "probe FAILED: GET http://127.0.0.1:$hang/: timed out after 3 s" 6
keys k
check "web selected again" wait_screen '> web'
keys K
check "killed, web's title drops the old probe result" \
	bash -c "sleep 0.5; screen | grep -q '┌─ web killed' && ! screen | head -n 1 | grep -q 'probe 200'"
keys s
check "... and a new run starts without it" \
	bash -c "sleep 0.5; screen | head -n 1 | grep -Eq '┌─ web (starting|running)' && ! screen | head -n 1 | grep -q 'probe 200'"
keys q
check "quit" wait_screen '^TEND-EXIT=0$'
