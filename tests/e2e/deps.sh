# depends_on: a program starts only once what it depends on is there,
# says what it waits for, is blocked when that can no longer happen, is
# stopped before what it depends on, and restarts after a dependency with
# restart_dependents; --check names unknown programs and cycles.
. "$(dirname "$0")/lib.sh"

ctl() { "$TEND" ctl -c "$T/$CFG" "$@"; }
# line_no FILE REGEX: the number of the first line matching, or 999999.
line_no() { grep -nE -- "$2" "$1" | head -n 1 | cut -d: -f1 | grep . || echo 999999; }
before() { # FILE REGEX_A REGEX_B: A's first line comes before B's
	local a b
	a=$(line_no "$1" "$2") b=$(line_no "$1" "$3")
	[ "$a" -lt "$b" ] || { echo "# /$2/ (line $a) is not before /$3/ (line $b):" >&2; sed 's/^/#   /' "$1" >&2; return 1; }
}

# --- start order and waiting -------------------------------------------------
CFG=order.ini
cat >"$T/$CFG" <<INI
[program:db]
command = sleep 1; echo "db: accepting connections"; exec sleep 600
ready_log = accepting connections

[program:web]
command = echo "web up"; exec sleep 600
depends_on = db
INI
headless "$T/$CFG"
check "web waits for db, and says so" wait_for "$T/out" '^web +\* waiting: db ready$' 5
check "tend ctl status says web is waiting: db ready" bash -c "'$TEND' ctl -c '$T/$CFG' status | grep -Eq '^web +waiting: db ready'"
check "web starts once db is ready" wait_for "$T/out" '^web +\| web up$' 10
check "in that order: db ready, then web started" before "$T/out" '^db +\* ready' '^web +\* started'
check "restart_dependents off: web keeps its pid when db restarts" bash -c "
	pid=\$('$TEND' ctl -c '$T/$CFG' status --json | python3 -c 'import json,sys; print([p for p in json.load(sys.stdin) if p[\"name\"]==\"web\"][0][\"pid\"])')
	'$TEND' ctl -c '$T/$CFG' restart db >/dev/null
	sleep 2
	now=\$('$TEND' ctl -c '$T/$CFG' status --json | python3 -c 'import json,sys; print([p for p in json.load(sys.stdin) if p[\"name\"]==\"web\"][0][\"pid\"])')
	[ \"\$pid\" = \"\$now\" ]"
kill -TERM "$TEND_PID"
check "quit: tend exits" wait_exit "$TEND_PID" 10
quit_at=$(line_no "$T/out" '^tend +\* got SIGTERM')
tail -n +"$quit_at" "$T/out" >"$T/quit.out"
check "quit: web is stopped before db" before "$T/quit.out" '^web +\* killed by' '^db +\* stopping'

# --- restart_dependents --------------------------------------------------------
CFG=again.ini
cat >"$T/$CFG" <<INI
[program:db]
command = sleep 0.5; echo "db: accepting connections"; exec sleep 600
ready_log = accepting connections
restart_dependents = true

[program:web]
command = echo "web up \$\$"; exec sleep 600
depends_on = db
INI
headless "$T/$CFG"
wait_for "$T/out" '^web +\| web up' 10 >/dev/null
ctl restart db >/dev/null
check "restart_dependents: web is told why it restarts" wait_for "$T/out" '^web +\* restarting: db restarted$' 5
check "  and starts again after db is ready again" bash -c "sleep 0.1; [ \$(grep -c '^web \+| web up' '$T/out') -ge 1 ]" 
check "  its second start comes after db's second ready" wait_for "$T/out" '^web +\* started pid' 10
n_ready=$(grep -c '^db +\* ready' "$T/out")
for ((i = 0; i < 100; i++)); do [ "$(grep -c '^web +\* started pid' "$T/out")" -ge 2 ] && break; sleep 0.05; done
check "  web started twice, db ready twice" bash -c "[ \$(grep -c '^web \+\* started pid' '$T/out') = 2 ] && [ \$(grep -Ec '^db +\* ready' '$T/out') = 2 ]"
check "  and the second web start follows the second db ready" bash -c "
	r=\$(grep -nE '^db +\* ready' '$T/out' | sed -n 2p | cut -d: -f1)
	s=\$(grep -nE '^web +\* started pid' '$T/out' | sed -n 2p | cut -d: -f1)
	[ -n \"\$r\" ] && [ -n \"\$s\" ] && [ \"\$r\" -lt \"\$s\" ]"
kill -TERM "$TEND_PID"
wait_exit "$TEND_PID" 10 >/dev/null

# --- completed_successfully: a migration --------------------------------------
CFG=migrate.ini
cat >"$T/$CFG" <<INI
[program:migrate]
command = echo migrating; sleep 0.5; exit 0

[program:web]
command = echo "web up"; exit 0
depends_on = migrate:completed_successfully
INI
headless "$T/$CFG"
check "completed_successfully: web waits for migrate" wait_for "$T/out" '^web +\* waiting: migrate completed successfully$' 5
check "  and starts after migrate exited 0" wait_for "$T/out" '^web +\| web up$' 5
check "  in that order" before "$T/out" '^migrate +\* exited 0' '^web +\* started'
check "  tend ends by itself, status 0" bash -c "wait_exit() { :; }; for i in \$(seq 100); do kill -0 $TEND_PID 2>/dev/null || exit 0; sleep 0.05; done; exit 1"
wait "$TEND_PID"; st=$?
check "  exit status 0" test "$st" = 0

CFG=failed.ini
cat >"$T/$CFG" <<INI
[program:migrate]
command = echo "migration failed" >&2; exit 1

[program:web]
command = echo "web up"
depends_on = migrate:completed_successfully
INI
headless "$T/$CFG"
check "a failed migration blocks web, and says why" wait_for "$T/out" '^web +\* blocked: migrate exited 1$' 5
check_exit() { wait_exit "$TEND_PID" 5 && [ "$EXIT_STATUS" = 1 ]; }
check "  headless then ends, status 1" check_exit
check "  web never ran" bash -c "! grep -q 'web up' '$T/out'"
check "  its summary says it was not started" has "$T/out" '^web: not started$'

# --- starting a waiting program by hand ---------------------------------------
CFG=hand.ini
cat >"$T/$CFG" <<INI
[program:db]
command = exec sleep 600
ready_log = never printed

[program:web]
command = echo "web up"; exec sleep 600
depends_on = db
INI
headless "$T/$CFG"
wait_for "$T/out" '^web +\* waiting: db ready$' 5 >/dev/null
check "tend ctl start on a waiting program starts it" bash -c "'$TEND' ctl -c '$T/$CFG' start web >/dev/null"
check "  with a note saying it was waiting" wait_for "$T/out" '^web +\* started by hand; it was waiting for db ready$' 5
check "  and it runs" wait_for "$T/out" '^web +\| web up$' 5
kill -TERM "$TEND_PID"
wait_exit "$TEND_PID" 10 >/dev/null

# --- the TUI list ----------------------------------------------------------------
cat >"$T/tui.ini" <<INI
[program:db]
command = exec sleep 600
ready_log = never printed

[program:web]
command = exec sleep 600
depends_on = db
INI
tui_start 100 20 "$T/tui.ini"
check "TUI: the list says web is waiting for db" wait_screen '│  web +waiting: db'
keys j
check "TUI: its title too" wait_screen 'web waiting: db ready'
keys q
check "TUI: quit" wait_screen '^TEND-EXIT=0$' 10

# --- --check: unknown names and cycles --------------------------------------------
cat >"$T/bad.ini" <<INI
[program:web]
command = true
depends_on = worker

[program:worker]
command = true
depends_on = web, nosuch
INI
"$TEND" --check "$T/bad.ini" >"$T/check.out" 2>&1
st=$?
check "--check: exit 2" test "$st" = 2
check "--check: an unknown name, with file:line" has "$T/check.out" "^$T/bad.ini:7: depends_on: no program 'nosuch'$"
check "--check: the cycle, with file:line" has "$T/check.out" "^$T/bad.ini:3: depends_on cycle: web -> worker -> web$"
