# Reload (R, tend ctl reload): new programs start, removed ones stop and
# leave the list, changed ones restart, unchanged ones keep running
# untouched (same pid, same output); a config with errors changes nothing.
. "$(dirname "$0")/lib.sh"

pid_of() { # NAME: its pid, from tend ctl status --json ("" when none)
	"$TEND" ctl -c "$T/tend.ini" status --json | python3 -c "
import json, sys
for p in json.load(sys.stdin):
    if p['name'] == '$1':
        print(p['pid'] if p['pid'] is not None else '')"
}
names() { "$TEND" ctl -c "$T/tend.ini" status --json | python3 -c "
import json, sys; print(' '.join(p['name'] for p in json.load(sys.stdin)))"; }

cat >"$T/tend.ini" <<'INI'
[program:keep]
command = echo "keep up"; exec sleep 600

[program:change]
command = echo "change v1"; exec sleep 600

[program:drop]
command = echo "drop up"; exec sleep 600
INI
headless "$T/tend.ini"
wait_for "$T/out" '^drop +\| drop up$' 10 >/dev/null
wait_for "$T/out" '^change +\| change v1$' 10 >/dev/null
keep1=$(pid_of keep) change1=$(pid_of change)

cat >"$T/tend.ini" <<'INI'
[program:keep]
command = echo "keep up"; exec sleep 600

[program:change]
command = echo "change v2"; exec sleep 600

[program:add]
command = echo "add up"; exec sleep 600
INI
"$TEND" ctl -c "$T/tend.ini" reload >"$T/reload.out" 2>&1
st=$?
check "tend ctl reload: exit 0" test "$st" = 0
check "  says what changed" has "$T/reload.out" '^reload: 1 new, 1 changed, 1 removed, 1 unchanged$'
check "the new program starts" wait_for "$T/out" '^add +\| add up$' 5
check "the changed program restarts with its new command" wait_for "$T/out" '^change +\| change v2$' 5
check "  and its pane notes why" has "$T/out" '^change +\* reload: changed; restarting$'
check "the removed program is stopped" wait_for "$T/out" '^drop +\* killed by SIGTERM' 5
check "  and leaves the list" bash -c "for i in \$(seq 50); do [ \"\$(cd / && '$TEND' ctl -c '$T/tend.ini' status --json | python3 -c 'import json,sys; print(\" \".join(p[\"name\"] for p in json.load(sys.stdin)))')\" = 'keep change add' ] && exit 0; sleep 0.1; done; exit 1"
check "the unchanged program keeps its pid" test "$(pid_of keep)" = "$keep1"
check "  and was not restarted" bash -c "[ \$(grep -c '^keep \+\* started' '$T/out') = 1 ]"
check "the changed one has a new pid" bash -c "[ -n '$(pid_of change)' ] && [ '$(pid_of change)' != '$change1' ]"

cat >"$T/tend.ini" <<'INI'
[program:keep]
comand = oops
INI
"$TEND" ctl -c "$T/tend.ini" reload >"$T/bad.out" 2>&1
st=$?
check "a config with errors: exit 1" test "$st" = 1
check "  the error with file:line" has "$T/bad.out" "tend.ini:2: unknown key 'comand'"
check "  and nothing changed" test "$(names)" = "keep change add"
check "  keep still runs with the same pid" test "$(pid_of keep)" = "$keep1"
kill -TERM "$TEND_PID"
wait_exit "$TEND_PID" 10 >/dev/null

# The TUI: R reloads, the list shows the new program.
cat >"$T/tui.ini" <<'INI'
[program:first]
command = exec sleep 600
INI
tui_start 100 20 "$T/tui.ini"
wait_screen '│> first +running' >/dev/null
cat >>"$T/tui.ini" <<'INI'

[program:second]
command = exec sleep 600
INI
keys R
check "TUI: R reloads; the new program is in the list" wait_screen '│  second +(starting|running)'
check "TUI: and the bar says what changed" wait_screen 'reload: 1 new, 0 changed, 0 removed, 1 unchanged'
keys q
check "TUI: quit" wait_screen '^TEND-EXIT=0$' 10
