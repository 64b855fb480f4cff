# probe_command, probe_tcp and restart_unhealthy with real things, headless
# and through tend ctl: a command that passes once a file appears; a TCP
# server that listens only when told to (`tend ctl wait --for ready`
# returns only then, and depends_on waits as long); a command that hangs,
# ended at probe_timeout with its group; a failure's output in the
# result; an HTTP server that stops answering, restarted after N failed
# probes in a row.  Then `p` in the TUI for a command and a TCP probe.
. "$(dirname "$0")/lib.sh"

tcp=$(free_port) web=$(free_port)
ctl() { "$TEND" ctl -c "$T/tend.ini" "$@"; }

# Listens on $1 once the file $2 exists, and accepts and closes.
cat >"$T/late_listen.py" <<'PY'
import os, socket, sys, time
port, go = int(sys.argv[1]), sys.argv[2]
print("waiting for", go, flush=True)
while not os.path.exists(go):
    time.sleep(0.05)
print("about to listen", flush=True)
time.sleep(0.3)  # this line is read before anything can connect
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port))
s.listen()
print("listening", flush=True)
while True:
    c, _ = s.accept()
    c.close()
PY

# Answers $2 requests (printing "served N"), then stops answering.
cat >"$T/tiring.py" <<'PY'
import http.server, sys, time
port, answers = int(sys.argv[1]), int(sys.argv[2])
served = 0
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        global served
        if served >= answers:
            print("not answering any more", flush=True)
            time.sleep(3600)
        served += 1
        print("served", served, flush=True)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", port), H).serve_forever()
PY

cat >"$T/tend.ini" <<INI
[program:file]
command = exec sleep 600
probe_command = test -f READYFILE
probe_interval = 0.2

[program:tcp]
command = exec python3 -u late_listen.py $tcp GO
probe_tcp = 127.0.0.1:$tcp
probe_interval = 0.2

[program:after]
command = echo "after started"; exec sleep 600
depends_on = tcp

[program:hang]
command = exec sleep 600
probe_command = echo \$\$ > hang.pid; echo "checking..."; exec sleep 60
probe_timeout = 1

[program:db]
command = exec sleep 600
environment = DB=orders
probe_command = echo "\$DB: no response"; echo "try again later" >&2; exit 2

[program:web]
command = exec python3 -u tiring.py $web 3
probe_url = http://127.0.0.1:$web/
probe_interval = 0.3
probe_timeout = 0.5
restart_unhealthy = 4
INI
headless "$T/tend.ini"
wait_for "$T/out" '^tcp +\| waiting for GO$' >/dev/null

# --- probe_command: ready once the file is there -------------------------
ctl wait file --for ready --timeout 30 >"$T/wait-file.out" 2>&1 &
wait_file=$!
sleep 1.5
not_ready_yet() {
	kill -0 "$wait_file" 2>/dev/null && ! grep -q '^file.*ready' "$T/out" ||
		{ echo "# file was ready before READYFILE existed" >&2; return 1; }
}
check "probe_command: not ready while 'test -f READYFILE' fails (and ctl wait waits)" not_ready_yet
touch "$T/READYFILE"
check "probe_command: ready once the file is there" \
	wait_for "$T/out" '^file +\* ready: probe test -f READYFILE exited 0$' 5
check "tend ctl wait file --for ready returns 0 then" wait_exit "$wait_file" 5
check "(its exit status is 0)" test "$EXIT_STATUS" = 0

# --- probe_tcp: ready only once the server listens ----------------------
ctl wait tcp --for ready --timeout 30 >"$T/wait-tcp.out" 2>&1 &
wait_tcp=$!
sleep 1.5
tcp_waiting() {
	kill -0 "$wait_tcp" 2>/dev/null && ! grep -q '^tcp +\* ready' "$T/out" &&
		! grep -q 'after started' "$T/out" &&
		ctl status | grep -Eq '^after +waiting' || {
		echo "# tcp was ready, or after started, before tcp listened:" >&2
		ctl status | sed 's/^/#   /' >&2
		return 1
	}
}
check "probe_tcp: not ready while nothing listens; ctl wait waits; depends_on waits" tcp_waiting
touch "$T/GO"
check "tend ctl wait tcp --for ready returns once the server listens" wait_exit "$wait_tcp" 5
check "(its exit status is 0)" test "$EXIT_STATUS" = 0
check "tcp was ready only after the server was about to listen" \
	bash -c "grep -En '^tcp +(\\| about to listen|\\* ready)' '$T/out' | head -n 1 | grep -q 'about to listen'"
check "probe_tcp: the ready note says connected" \
	has "$T/out" "^tcp +\\* ready: probe connect 127.0.0.1:$tcp: connected in [0-9]+ ms\$"
check "depends_on = tcp started after once tcp was ready" \
	wait_for "$T/out" '^after +\| after started$' 5
ctl probe tcp >"$T/probe-tcp.out" 2>&1
rc=$?
check "tend ctl probe tcp: ok, exit 0" \
	bash -c "[ $rc = 0 ] && grep -Eq '^tcp: probe ok: connect 127.0.0.1:$tcp: connected in [0-9]+ ms$' '$T/probe-tcp.out'"

# --- a command that hangs ends at probe_timeout, with its group -----------
start=$(date +%s%N)
ctl probe hang >"$T/probe-hang.out" 2>&1
rc=$?
elapsed=$((($(date +%s%N) - start) / 1000000))
check "tend ctl probe hang: timed out after 1 s, with its output, exit 1" \
	bash -c "[ $rc = 1 ] && grep -Fxq 'hang: probe FAILED: echo \$\$ > hang.pid; echo \"checking...\"; exec sleep 60: timed out after 1 s: checking...' '$T/probe-hang.out' || { cat '$T/probe-hang.out' | sed 's/^/#   /' >&2; exit 1; }"
check "(after ${elapsed} ms: at probe_timeout, not later)" \
	test "$elapsed" -ge 900 -a "$elapsed" -lt 3000
hang_pid=$(cat "$T/hang.pid" 2>/dev/null)
check "the hanging probe's sleep 60 is gone" \
	bash -c "[ -n '$hang_pid' ] && for i in \$(seq 40); do kill -0 '$hang_pid' 2>/dev/null || exit 0; sleep 0.05; done; exit 1"

# --- a failure's output, in the program's environment ----------------------
ctl probe db >"$T/probe-db.out" 2>&1
rc=$?
check "tend ctl probe db: exit status and output (stdout and stderr) on one line" \
	bash -c "[ $rc = 1 ] && grep -Fxq 'db: probe FAILED: echo \"\$DB: no response\"; echo \"try again later\" >&2; exit 2 exited 2: orders: no response ⏎ try again later' '$T/probe-db.out' || { cat '$T/probe-db.out' | sed 's/^/#   /' >&2; exit 1; }"
check "and the same as a note" \
	has "$T/out" '^db +\* probe FAILED: .* exited 2: orders: no response ⏎ try again later$'

# --- restart_unhealthy: a server that stops answering -----------------------
check "web: ready while it answers" wait_for "$T/out" "^web +\\* ready: probe GET http://127.0.0.1:$web/: 200 OK" 5
check "web: unhealthy after 3 probes time out" \
	wait_for "$T/out" "^web +\\* unhealthy since [0-9:]{8} \\(3 failed probes\\): GET http://127.0.0.1:$web/: timed out after 0.5 s\$" 10
check "web: restarted after 4 failed probes in a row (restart_unhealthy = 4)" \
	wait_for "$T/out" '^web +\* restarting: 4 failed probes in a row$' 5
check "(not at the third: unhealthy came first, then one more failure)" \
	bash -c "grep -En '^web +\\* (unhealthy|restarting)' '$T/out' | head -n 1 | grep -q unhealthy"
check "web: the restart stops it and starts it again" \
	wait_for "$T/out" '^web +\* killed by SIGTERM' 5
check "web: ready again in its new run" \
	bash -c "for i in \$(seq 100); do [ \$(grep -Ec '^web +\\* ready: probe GET' '$T/out') -ge 2 ] && exit 0; sleep 0.05; done; exit 1"
check "web: two runs" bash -c "[ \$(grep -Ec '^web +\\* started pid' '$T/out') = 2 ]"

kill -TERM "$TEND_PID"
check "tend stops cleanly" wait_exit "$TEND_PID" 10

# --- the TUI: p on a command probe and a TCP probe ---------------------------
port2=$(free_port)
cat >"$T/tui.ini" <<INI
[program:db]
command = exec sleep 600
probe_command = echo "db is down"; exit 2

[program:tcp]
command = exec python3 -u late_listen.py $port2 GO
probe_tcp = 127.0.0.1:$port2

[program:plain]
command = exec sleep 600
INI
tui_start 120 30 "$T/tui.ini"
wait_screen '> db +running' >/dev/null
keys p
check "TUI p on db: the command's failure and output in the pane" \
	wait_screen 'probe FAILED: echo "db is down"; exit 2 exited 2: db is down'
check "and in the title" wait_screen 'db running . pid [0-9]+ . since [0-9:]+ . probe exited 2 in [0-9]+ ms \(failed\)'
keys j
wait_screen '> tcp' >/dev/null
keys p
check "TUI p on tcp: connected" wait_screen "probe ok: connect 127.0.0.1:$port2: connected in [0-9]+ ms"
check "and tcp is ready in the list" wait_screen 'tcp +ready'
keys j
wait_screen '> plain' >/dev/null
keys p
check "TUI p without a probe names the three keys" \
	wait_screen 'no probe_url, probe_command or probe_tcp in \[program:plain\]'
keys q
check "quit" wait_screen '^TEND-EXIT=0$'
