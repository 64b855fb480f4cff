# The views: the merged view (m, Space), filters (f, !), Home and search
# putting their line at the top, pages that keep a line in sight,
# sideways scrolling, clicks, Ctrl-L, and the small things of the screen
# (notes, messages while typing, a stable start time, i on a program
# that is not running).
. "$(dirname "$0")/lib.sh"

cat >"$T/tend.ini" <<'INI'
[program:alpha]
command = echo "alpha one"; sleep 0.6; echo "alpha two"; sleep 0.6; echo "alpha oops" >&2; exec sleep 600

[program:beta]
command = sleep 0.3; echo "beta one"; sleep 0.6; echo "beta two"; exec sleep 600

[program:fruit]
command = for f in apple banana apple cherry apple; do echo "$f $((n = n + 1))"; done; echo "bad fruit" >&2; sleep 2; echo "apple late"; exec sleep 600

[program:rows]
command = sh rows.sh
directory = %(here)s
autostart = false

[program:done]
command = echo finished
INI
cat >"$T/rows.sh" <<'SH'
for i in $(seq 1 150); do echo "row $i"; done
echo Traceback; echo "  after one"; echo "  after two"
for i in $(seq 151 300); do echo "row $i"; done
printf '%0200d MARK\n' 0
exec sleep 600
SH
tui_start 100 30 "$T/tend.ini"
check "tend is up" wait_screen 'alpha +running'
sleep 1.6

# --- merged ------------------------------------------------------------
keys m
check "m: the merged view, named in its title" wait_screen '┌─ merged · 5 programs'
check "... lines of two programs, each with its name" \
	bash -c "screen | grep -Eq '│ alpha +│ alpha one' && screen | grep -Eq '│ beta +│ beta one'"
# The order the lines came in: alpha one, beta one, alpha two, beta two.
order=$(screen | grep -Eo '│ (alpha|beta) (one|two)' | tr -d '│' | tr '\n' ,)
check "... in the order they came ($order)" test "$order" = ' alpha one, beta one, alpha two, beta two,'
check "... stderr keeps its mark" wait_screen '▌alpha +│ alpha oops'
keys / ; type_text 'beta two'; keys Enter
check "search works in it: the match highlighted" bash -c "screen_e | grep -q $'\e\\[[0-9;]*46m[^\e]*beta two'"
keys End
keys j Space
check "Space leaves the selected program out: the title says so" wait_screen '2 of 5|4 of 5 programs'
check "... and its lines are gone" bash -c "sleep 0.2; ! screen | grep -q 'beta one'"
check "... the others stay" wait_screen 'alpha one'
keys Space
check "Space again takes it back" wait_screen '│ beta +│ beta one'
keys m
check "m again: one program" bash -c "sleep 0.2; ! screen | grep -q '┌─ merged'"

# --- filter --------------------------------------------------------------
keys j
check "fruit selected" wait_screen '> fruit'
keys f; type_text 'apple'; keys Enter
check "f apple: the title says FILTER and what it keeps" wait_screen 'FILTER “apple”: [34] of [0-9]+ lines'
check "... apple lines are shown" bash -c "screen | grep -q 'apple 5'"
check "... banana and cherry are not" bash -c "! screen | grep -Eq 'banana|cherry'"
check "output keeps arriving underneath" wait_screen 'apple late' 5
keys f
check "f again: every line" wait_screen 'banana 2'
check "... and the title has no FILTER" bash -c "! screen | grep -q FILTER"
keys f; type_text '!'; keys Enter
check "f !: stderr only" wait_screen 'FILTER stderr only: 1 of'
check "... the stderr line shows, stdout does not" bash -c "screen | grep -q '▌bad fruit' && ! screen | grep -q 'apple 1'"
keys f

# --- Home, search, pages, sideways ---------------------------------------------
keys j s
check "rows selected" wait_screen '> rows'
check "rows has printed all" wait_screen 'MARK|›'
keys Home
check "Home: the oldest line at the top of the pane" \
	bash -c "sleep 0.2; screen | sed -n 2p | grep -q '◆ started pid' && screen | sed -n 3p | grep -q '│ row 1 '"
# PgDn: the last line on screen becomes the first.
last=$(screen | sed -n 28p | grep -Eo 'row [0-9]+')
keys NPage
check "PgDn keeps the last line ($last) in sight, at the top" \
	bash -c "sleep 0.2; screen | sed -n 2p | grep -q '│ $last '"
keys NPage
sleep 0.2
first=$(screen | sed -n 2p | grep -Eo 'row [0-9]+')
keys PPage
check "PgUp keeps the first line ($first) in sight, at the bottom" \
	bash -c "sleep 0.2; screen | sed -n 28p | grep -q '│ $first '"
keys End
keys / ; type_text 'traceback'; keys Enter
check "a search match is near the top: two lines above it" \
	bash -c "sleep 0.2; screen | sed -n 4p | grep -q '│ Traceback'"
check "... the lines after it below" \
	bash -c "screen | sed -n 5p | grep -q 'after one' && screen | sed -n 6p | grep -q 'after two'"
keys End w
check "w: long lines are cut, with a mark" wait_screen '0000000›│'
keys Right Right Right Right Right Right Right Right
check "Right scrolls sideways: the end of the long line shows" wait_screen '0 MARK'
check "... with a mark for what is off to the left" wait_screen '‹0+'
keys Left Left Left Left Left Left Left Left
check "Left comes back" bash -c "sleep 0.2; ! screen | grep -q '‹'"
keys w

# --- clicks ----------------------------------------------------------------
# An X10 mouse report: button 1 pressed at column 5, row 2 (alpha).
type_text $'\e[M %"'
check "a click in the list selects that program" wait_screen '> alpha'

# --- small things --------------------------------------------------------------
check "notes read '◆ started'" wait_screen '│◆ started pid [0-9]+'
since1=$(screen | grep -Eo 'since [0-9:]+' | head -n 1)
sleep 1.2
keys j k
since2=$(screen | grep -Eo 'since [0-9:]+' | head -n 1)
check "the start time does not move between frames ($since1, $since2)" test -n "$since1" -a "$since1" = "$since2"
keys G 2>/dev/null
keys k k k k k k
keys j j j j
check "done selected" wait_screen '> done +exited 0'
keys i
check "i on a program that is not running says so at once" wait_screen 'done is not running: s starts it'
check "... and opens no input line" bash -c "! screen | grep -q '^done> '"
keys k
keys i
check "the input line opens on a running program" wait_screen '^rows> '
"$TEND" ctl -c "$T/tend.ini" reload >/dev/null 2>&1
check "a message while typing shows once, on the bar, by the typing" \
	bash -c "sleep 0.3; [ \$(screen | grep -c 'reload: ') = 1 ] && screen | tail -n 1 | grep -q 'reload: '"
check "... and the bottom border is whole" bash -c "screen | sed -n 29p | grep -Eq '^└─+┘└─+┘$'"
keys Escape
# Ctrl-L: text written behind tend's back goes.
tty=$(tm display-message -p -t tend '#{pane_tty}')
# A frame tend is writing at that moment can land on it: write it again
# until the terminal shows it.
garbage_shows() {
	local i
	for i in 1 2 3 4 5; do
		printf '\033[5;40HGARBAGE-ON-SCREEN' >"$tty"
		wait_screen 'GARBAGE-ON-SCREEN' 1 2>/dev/null && return 0
	done
	return 1
}
check "text written behind tend's back is on screen" garbage_shows
keys C-l
check "Ctrl-L draws the screen again, whole" bash -c "sleep 0.3; ! screen | grep -q GARBAGE"
keys t
check "t: the list says killed SIGTERM" wait_screen 'rows +killed SIGTERM'

keys q
check "quit" wait_screen 'TEND-EXIT='
