# socket = HOST:PORT: `c` opens client connections to a program's socket;
# lines go both ways in the pane, each connection marked with its number;
# refusals and timeouts read like probe errors and never stall the keys;
# headless output, the log file and tend ctl (send-socket, connect) too.
. "$(dirname "$0")/lib.sh"

echo_port=$(free_port) refused=$(free_port) silent=$(free_port)
full=$(free_port)
cat >"$T/echo.py" <<'PY'
import socketserver, sys
clients = 0
class H(socketserver.StreamRequestHandler):
    def handle(self):
        global clients
        clients += 1
        me = clients
        print("client %d connected" % me, flush=True)
        for raw in self.rfile:
            line = raw.decode().rstrip("\n")
            print("client %d said %s" % (me, line), flush=True)
            self.wfile.write(("echo: %s\n" % line).encode())
class S(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
server = S(("127.0.0.1", int(sys.argv[1])), H)
print("listening", flush=True)
server.serve_forever()
PY
# Accepts and never says a word, nor reads.
cat >"$T/silent.py" <<'PY'
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
if len(sys.argv) > 2:	# a small window: the kernel holds little for it
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(16)
print("listening", flush=True)
keep = []
while True:
    c, _ = s.accept()
    keep.append(c)
PY
# Listens with a backlog it fills itself and never accepts: the next
# connect waits for a SYN-ACK that never comes.
cat >"$T/full.py" <<'PY'
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(0)
fill = []
for i in range(4):
    c = socket.socket()
    c.setblocking(False)
    try:
        c.connect(("127.0.0.1", int(sys.argv[1])))
    except BlockingIOError:
        pass
    fill.append(c)
print("full", flush=True)
time.sleep(600)
PY

cat >"$T/tend.ini" <<INI
[tend]
log_dir = logs

[program:echo]
command = exec python3 -u echo.py $echo_port
socket = 127.0.0.1:$echo_port

[program:refused]
command = exec sleep 600
socket = 127.0.0.1:$refused

[program:silent]
command = exec python3 -u silent.py $silent
socket = 127.0.0.1:%(ENV_SILENT_PORT)s

[program:full]
command = exec python3 -u full.py $full
socket = 127.0.0.1:$full
probe_timeout = 1

[program:plain]
command = exec sleep 600
INI
export SILENT_PORT=$silent

# --- the TUI ---------------------------------------------------------------

tui_start 140 40 "$T/tend.ini"
check "the echo server is up" wait_screen 'listening'
keys c
check "c opens conn 1: the input line says where it sends" wait_screen 'echo → conn 1> '
check "the note says it connected" wait_screen 'conn 1: connected to 127.0.0.1:'"$echo_port"
type_text PING
keys Enter
check "the line sent is echoed as ›1 PING" wait_screen '›1 PING'
check "the reply is shown as ‹1 echo: PING" wait_screen '‹1 echo: PING'
check "the title says where the line goes and how many are open" \
	wait_screen '→ conn 1 · 1 conn open'
keys Escape
keys c
check "c again opens conn 2" wait_screen 'echo → conn 2> '
type_text TWO
keys Enter
check "conn 2's reply under ‹2" wait_screen '‹2 echo: TWO'
check "the server saw two clients" wait_screen 'client 2 connected'
check "two connections open" wait_screen '2 conns open'
keys Tab
check "Tab after the last connection: the program's stdin" wait_screen '^echo> '
keys Tab
check "Tab again: round to conn 1" wait_screen 'echo → conn 1> '
type_text ONE
keys Enter
check "conn 1 still answers" wait_screen '‹1 echo: ONE'
keys Tab
check "Tab: conn 2" wait_screen 'echo → conn 2> '
keys C-d
check "Ctrl-D closes conn 2, noted with its time and bytes" \
	wait_screen 'conn 2 closed after [0-9.]+ s, 10 B in, 4 B out'
check "the line now sends to conn 1" wait_screen 'echo → conn 1> '
type_text AFTER
keys Enter
check "conn 1 still works after conn 2 closed" wait_screen '‹1 echo: AFTER'
check "the server's own output shows both clients' lines" \
	bash -c "screen | grep -q 'client 1 said PING' && screen | grep -q 'client 2 said TWO'"
keys Escape

keys j
check "refused is selected" wait_screen '> refused'
keys c
check "a refused connect reads like a probe error" \
	wait_screen 'conn 1: connection refused'
start=$(date +%s%N)
keys j
check "keys still work after a refusal" wait_screen '> silent' 1
keys c
check "silent: conn 1 connects" wait_screen 'conn 1: connected to 127.0.0.1:'"$silent"
type_text HELLO
keys Enter
check "the line goes out though no answer comes" wait_screen '›1 HELLO'
keys Escape
keys j
check "full is selected" wait_screen '> full'
check "full filled its backlog" wait_screen '│ full +│$'
keys c
check "c opens the line for the connection still connecting" wait_screen 'full → conn 1> '
keys Escape
sleep 0.2
start=$(date +%s%N)
keys k
check "a key during a hanging connect is shown at once" wait_screen '> silent' 1
elapsed=$((($(date +%s%N) - start) / 1000000))
check "(key shown in ${elapsed} ms, connect still hanging)" test "$elapsed" -lt 1000
keys j
check "a connect that hangs times out at probe_timeout" \
	wait_screen 'conn 1: timed out after 1 s' 5
keys j
check "plain is selected" wait_screen '> plain'
keys c
check "c without socket says so" wait_screen 'plain has no socket'

keys k k k k
check "echo again" wait_screen '> echo'
keys r
check "a restart closes echo's connection, noted" \
	wait_screen 'conn 1 closed: echo is stopping'
keys q
check "quit" wait_screen '^TEND-EXIT=0$'
check "the log file has both directions" \
	bash -c "grep -q '›1 PING' '$T/logs/echo.log' && grep -q '‹1 echo: PING' '$T/logs/echo.log'"


# --- headless, the log file and tend ctl -------------------------------------

hport=$(free_port) deaf=$(free_port)
cat >"$T/unix_echo.py" <<'PY'
import os, socketserver, sys
class H(socketserver.StreamRequestHandler):
    def handle(self):
        for raw in self.rfile:
            self.wfile.write(b"unix: " + raw)
server = socketserver.UnixStreamServer(sys.argv[1], H)
print("listening", flush=True)
server.serve_forever()
PY
cat >"$T/h.ini" <<INI
[tend]
log_dir = hlogs

[program:echo]
command = exec python3 -u echo.py $hport
socket = 127.0.0.1:$hport

[program:unix]
command = rm -f u.sock; exec python3 -u unix_echo.py u.sock
socket = unix:u.sock

[program:refused]
command = exec sleep 600
socket = [::1]:$refused

[program:deaf]
command = exec python3 -u silent.py $deaf small
socket = 127.0.0.1:$deaf

[program:plain]
command = exec sleep 600
INI
CTL_ARGS=(-c "$T/h.ini")
headless "$T/h.ini"
up_or_bail "headless tend answers tend ctl" "$T/out"
check "both servers listen" \
	bash -c "for i in \$(seq 100); do [ \$(grep -c 'listening' '$T/out') -ge 2 ] && exit 0; sleep 0.1; done; exit 1"
ctl_do 0 send-socket echo PING
check "send-socket prints the reply" grep -qx 'echo: PING' "$T/ctl.out"
check "headless output shows the line sent" grep -Eq '^echo +›1 PING$' "$T/out"
check "... and the reply" grep -Eq '^echo +‹1 echo: PING$' "$T/out"
check "... and the server's own output" grep -Eq '^echo +\| client 1 said PING$' "$T/out"
check "the log file has both directions" \
	bash -c "grep -q '›1 PING' '$T/hlogs/echo.log' && grep -q '‹1 echo: PING' '$T/hlogs/echo.log'"
check "the connection is closed when the client is done, noted" \
	wait_for "$T/out" '^echo +\* conn 1 closed'
check "the reply came before the wait was over (no wait after it)" \
	test "$CTL_MS" -lt 3000
printf 'A\nB\n' >"$T/ab"
timeout 10 "$TEND" ctl -c "$T/h.ini" connect echo <"$T/ab" >"$T/connect.out" 2>"$T/connect.err"
rc=$?
check "connect with stdin from a file exits 0" test "$rc" -eq 0
check "connect prints both replies" \
	bash -c "grep -qx 'echo: A' '$T/connect.out' && grep -qx 'echo: B' '$T/connect.out'"
check "what passed is in tend's output, as conn 2" grep -Eq '^echo +‹2 echo: B$' "$T/out"
printf 'A\nB\n' | timeout 10 "$TEND" ctl -c "$T/h.ini" connect echo >"$T/connect.out" 2>&1
check "connect from a pipe prints both replies" \
	bash -c "grep -qx 'echo: A' '$T/connect.out' && grep -qx 'echo: B' '$T/connect.out'"
ctl_do 0 send-socket unix 'over unix' --wait 0.5
check "a unix: socket answers" grep -qx 'unix: over unix' "$T/ctl.out"
ctl_do 1 send-socket refused PING
check "send-socket to a refusing socket fails with the error" \
	grep -q 'conn 1: connection refused' "$T/ctl.err"
ctl_do 1 send-socket plain PING
check "send-socket to a program without socket says so" \
	grep -q 'plain has no socket' "$T/ctl.err"
ctl_do 2 send-socket echo
check "send-socket without TEXT is a usage error" grep -q 'usage' "$T/ctl.err"
check "tend ctl --help lists connect and send-socket" \
	bash -c "'$TEND' ctl --help | grep -q 'connect NAME' && '$TEND' ctl --help | grep -q 'send-socket NAME TEXT'"
# A server that never reads: its queue fills, later lines are refused
# with a message, and tend answers at once meanwhile.
python3 -c 'import sys; sys.stdout.write(("x" * 999 + "\n") * 8000)' >"$T/big"
wait_for "$T/out" '^deaf +\| listening'
timeout 20 "$TEND" ctl -c "$T/h.ini" connect deaf --wait 2 <"$T/big" \
	>"$T/deaf.out" 2>"$T/deaf.err" &
bridge=$!
wait_for "$T/deaf.err" 'its queue is full' 20
ctl_do 0 status
check "tend answers status in ${CTL_MS} ms while the queue is full" \
	test "$CTL_MS" -lt 1000
wait "$bridge"
rc=$?
check "connect to a server that never reads ends (exit 0: it connected)" test "$rc" -eq 0
check "the lines past the queue's bound are refused with a message" \
	grep -q 'conn 1: its queue is full (the server is not reading); not sent' "$T/deaf.err"
ctl_do 0 quit
check "headless tend ends" wait_exit "$TEND_PID" 10
check "no sanitizer report from tend or tend ctl" \
	no_sanitizer_report "$T/out" "$T/ctl-all.err" "$T/connect.err" "$T/deaf.err"
