# config/example.ini, as `make run` shows it: all five programs are listed,
# web becomes ready and is probed (200 OK with its timing), the worker
# writes coloured stderr, flaky goes into backoff, the REPL answers, the
# build ends with exit 0, and everything stops on q.
. "$(dirname "$0")/lib.sh"

if curl -s -o /dev/null --max-time 1 http://127.0.0.1:8070/; then
	echo "# port 8070 is taken on this machine; skipping"
	ok "example.ini (skipped: port 8070 in use)"
	exit 0
fi
passes_check() { "$TEND" --check config/example.ini >/dev/null; }
check "example.ini passes --check" passes_check
tui_start 150 30 "$PWD/config/example.ini"
for name in web worker repl flaky build; do
	check "$name is listed" wait_screen "^│[> ] $name "
done
check "flaky fails and is restarted with backoff" \
	wait_screen '^│  flaky +backoff [0-9]+s' 10
check "web becomes ready" wait_screen '> web +ready'
keys p
check "p on web shows 200 OK with its timing" \
	wait_screen 'probe ok: GET http://127.0.0.1:8070/: 200 OK in [0-9]+ ms, [0-9]+ bytes, body contains "Directory listing"'
keys j
check "worker selected and running" wait_screen '> worker +running'
check "the worker logs INFO lines" wait_screen '[0-9:]{8} INFO  job [0-9]+ done'
check "its WARN lines come on stderr (the red mark in the gutter)" \
	wait_screen '│▌[0-9:]{8} WARN  queue depth' 10
warn_in_yellow() { screen_e | grep -q $'\e\\[33mWARN'; }
check "WARN is drawn in yellow (the program's own SGR colour)" warn_in_yellow
keys j
check "repl selected" wait_screen '> repl'
keys i; type_text '2+2'; keys Enter
check "the REPL answers" wait_screen '│ 4 +│'
keys Escape j j
check "the one-shot build job ends with exit 0" wait_screen '> build +exited 0' 10
keys q
check "q stops everything and says how each ended" wait_screen '^repl: exited 0 after' 10
check "web killed by SIGTERM in the summary" wait_screen '^web: killed by SIGTERM \(rc -15\) after'
check "worker killed by SIGTERM in the summary" wait_screen '^worker: killed by SIGTERM \(rc -15\) after'
# flaky is either between runs (its last one exited 3) or in a run.
check "flaky: exited 3, or stopped in a run" \
	wait_screen '^flaky: ((fatal, last )?exited 3|killed by SIGTERM \(rc -15\)) after'
check "build: exited 0" wait_screen '^build: exited 0 after'
check "tend exits 0" wait_screen '^TEND-EXIT=0$'
