# Scrolling and following, search with highlight, tiling, wrap toggle,
# stderr marks, a resize, help.
. "$(dirname "$0")/lib.sh"

cat >"$T/tend.ini" <<'INI'
[program:counter]
command = for i in $(seq 1 300); do echo "line $i"; done; echo "needle early" >&2; for i in $(seq 301 400); do echo "line $i"; done; sleep 0.3; echo "needle late" >&2; exec sleep 600

[program:long]
command = printf '%0300d\n' 7; exec sleep 600

[program:idle]
command = exec sleep 600
INI
tui_start 100 30 "$T/tend.ini"
check "follows the newest output" wait_screen 'line 400'
# stdout and stderr are two pipes: what reaches both within one read
# turn may be read either way round, hence the pause before "needle late".
check "stderr line has the gutter mark" wait_screen '▌needle late'

keys PPage
check "PgUp scrolls back and says so" wait_screen 'SCROLLED'
check "older lines shown" wait_screen 'line 3[6-7][0-9] '
keys End
check "End follows again" bash -c "sleep 0.3; ! screen | grep -q SCROLLED"
type_text $'\e[M`!!'
check "the mouse wheel scrolls back too" wait_screen 'SCROLLED'
keys End

keys / ; type_text 'needle'; keys Enter
check "search finds the newest match" wait_screen 'needle late'
keys n
check "n jumps to the older match, out of view before" wait_screen '▌needle early'
check "the current match is highlighted" bash -c "screen_e | grep -q $'\e\\[[0-9;]*46m[^\e]*needle'"
keys End

keys ?
check "help lists every key" wait_screen 'terminate: stop_input, stopsignal, then SIGKILL'
keys x
check "any key closes help" bash -c "sleep 0.3; ! screen | grep -q 'tend keys'"

keys j
check "a long line wraps" wait_screen '^│.*│ ?0{60,}'
keys w
check "w cuts long lines with a marker" wait_screen '0+›'
keys w

keys z
check "z tiles every pane with its title" wait_screen 'idle running'
check "tiled: counter and long visible" bash -c "screen | grep -q 'counter running' && screen | grep -q 'long running'"
keys z

tm resize-window -t tend -x 80 -y 24
check "resize to 80x24 re-lays out" bash -c "sleep 0.5; screen | head -1 | grep -q '┐$' && [ \$(screen | wc -l) -le 24 ]"
tm resize-window -t tend -x 120 -y 40
check "resize to 120x40 re-lays out" bash -c "sleep 0.5; screen | head -1 | awk '{ exit !(length(\$0) >= 118) }'"
keys q
check "quit" wait_screen '^TEND-EXIT=0$'
