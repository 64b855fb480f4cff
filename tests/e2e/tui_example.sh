# config/example.ini, as `make run` shows it: web is probed (200 OK with
# its timing), the REPL answers, everything stops on q.
. "$(dirname "$0")/lib.sh"

if curl -s -o /dev/null --max-time 1 http://127.0.0.1:8070/; then
	echo "# port 8070 is taken on this machine; skipping"
	ok "example.ini (skipped: port 8070 in use)"
	exit 0
fi
tui_start 150 30 "$PWD/config/example.ini"
check "web becomes ready" wait_screen '> web +ready'
keys p
check "p on web shows 200 OK with its timing" \
	wait_screen 'probe ok: GET http://127.0.0.1:8070/: 200 OK in [0-9]+ ms, [0-9]+ bytes, body contains "Directory listing"'
check "the ticker ticks, with a warning on stderr" wait_screen 'ticker +running'
keys j j
check "repl selected" wait_screen '> repl'
keys i; type_text '2+2'; keys Enter
check "the REPL answers" wait_screen '│ 4 +│'
keys Escape j
check "the one-shot build job ends with exit 0" wait_screen 'build +exited 0' 10
keys q
check "q stops everything and says how each ended" wait_screen '^repl: exited 0 after' 10
check "web killed by SIGTERM in the summary" wait_screen '^web: killed by SIGTERM \(rc -15\) after'
check "tend exits 0" wait_screen '^TEND-EXIT=0$'
