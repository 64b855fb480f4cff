# A pty program floods its terminal: every row that scrolls off the top
# reaches the log and the store in order, none twice and none lost; the
# pane shows the last screen; a program that dies right after its flood
# loses nothing either, its unfinished last row included.
# e2e: alone
. "$(dirname "$0")/lib.sh"

N=200000
cat >"$T/tend.ini" <<INI
[tend]
log_dir = logs
log_timestamps = false

[program:flood]
command = seq 1 $N; exec sleep 600
pty = true

[program:dies]
command = seq 1 50000; printf 'the last row, unfinished'; exit 3
pty = true
INI
tui_start 100 30 "$T/tend.ini"
CTL_ARGS=(-c "$T/tend.ini")

# numbered FILE N: FILE's output lines ("| text") are 1..N, in order,
# each once.
numbered() {
	sed -n 's/^| //p' "$1" | awk -v n="$2" '
		$0 != NR { printf "# line %d is \"%s\"\n", NR, $0; bad = 1; exit }
		END { if (!bad && NR != n) { printf "# %d lines, not %d\n", NR, n; bad = 1 }
		      exit bad }' >&2
}

# pane_ends_with N: the pane's last non-blank rows count up to N.
pane_ends_with() {
	local i
	for ((i = 0; i < 200; i++)); do
		pane | grep . | tail -n 3 | tr '\n' ' ' |
			grep -qx "$(($1 - 2)) $(($1 - 1)) $1 " && return 0
		sleep 0.05
	done
	echo "# the pane does not end with $1:" >&2
	pane | sed 's/^/#   |/' >&2
	return 1
}

check "the flood's pane ends with its last line ($N)" pane_ends_with $N
# in_order: the pane's rows (a screenful) are consecutive numbers.
in_order() {
	pane | grep . | awk 'NR > 1 && $0 != prev + 1 { bad = 1 } { prev = $0 }
		END { exit bad || NR < 20 }' || { pane | sed 's/^/#   |/' >&2; return 1; }
}
check "the rows above it are the lines before it, in order" in_order
log=$T/logs/flood.log
check "the flood's log: every line, in order, each once" \
	bash -c "sleep 0.5; $(declare -f numbered); numbered '$log' $N"
check "tend ctl logs: the store's last lines are the flood's" \
	eval 'ctl_do 0 logs flood -n 3 && [ "$(tr -d "\r" <"$T/ctl.out" | grep -oE "[0-9]+$" | tr "\n" " ")" = "$((N - 2)) $((N - 1)) $N " ]'
keys PPage
check "scrolled back, the pane shows the history: lines of the flood" \
	wait_screen '│ 1999[0-9][0-9] +│'
keys End

log=$T/logs/dies.log
check "the program that dies after its flood: exited 3" wait_screen ' dies +exited 3'
check "its log: every line of the flood, in order, then its last row" \
	bash -c "sleep 0.5; $(declare -f numbered); grep -v '^| the last row' '$log' | numbered /dev/stdin 50000 &&
		grep '^| ' '$log' | tail -n 1 | grep -qx '| the last row, unfinished'"

keys q
check "quit" wait_screen '^TEND-EXIT=0$' 10
