# A pty program's window is its pane: stty size says the pane's rows and
# text width, follows a resize of tend's terminal, and stays sane (never
# 0, never 65535, at least 2x10) in a tiny window, from the start or
# after a resize.
. "$(dirname "$0")/lib.sh"

# The pane's text width: its top border between the corners, less the
# gutter column (as in tui_pty.sh); its rows: the lines between the top
# and the bottom border.
pane_cols() {
	screen | head -n 1 | python3 -c 'import sys; l = sys.stdin.read().rstrip("\n"); print(len(l.split("┐┌", 1)[1]) - 2)'
}
pane_rows() {
	screen | awk 'NR > 1 && /^└/ { print NR - 2; exit }'
}

# sizes_sane LOG: every "| ROWS COLS" line of LOG is at least 2x10 and
# below 4097 (tend's largest), so neither 0 nor 65535; at least one.
sizes_sane() {
	awk '
		/^\| [0-9]+ [0-9]+$/ {
			n++
			if ($2 < 2 || $3 < 10 || $2 > 4096 || $3 > 4096) {
				print "# insane size: " $0
				bad++
			}
		}
		END {
			if (n == 0) print "# no sizes in the log"
			exit !(n > 0 && bad == 0)
		}' "$1" >&2
}

# sizes_nonzero LOG: no size in LOG is 0 or 65535.
sizes_nonzero() {
	if grep -Eq '^\| (0 |65535 |[0-9]+ 0$|[0-9]+ 65535$)' "$1"; then
		grep -E '^\| (0 |65535 |[0-9]+ 0$|[0-9]+ 65535$)' "$1" | head -n 3 | sed 's/^/# /' >&2
		return 1
	fi
	grep -Eq '^\| [0-9]+ [0-9]+$' "$1" || { echo "# no sizes in $1" >&2; return 1; }
}

# boxes_intact: every row between the borders is │list││pane│, nothing
# of one box drawn over the borders.
boxes_intact() {
	local bad
	# Characters, not bytes: the list's "…" and "•" are UTF-8.
	bad=$(screen | python3 -c '
import re, sys
for i, row in enumerate(sys.stdin.read().splitlines()):
    if i == 0:
        continue
    if row.startswith("\u2514"):
        break
    if not re.fullmatch("\u2502[^\u2502]*\u2502\u2502[^\u2502]*\u2502", row):
        print(row)')
	[ -z "$bad" ] || {
		echo "# rows drawn over the borders:" >&2
		screen | sed 's/^/#   |/' >&2
		return 1
	}
}

write_config() { # FILE LOGDIR
	cat >"$1" <<INI
[tend]
log_dir = $2
log_timestamps = false

[program:size]
command = while :; do stty size; sleep 0.3; done
pty = true

[program:other]
command = exec sleep 600
INI
}

write_config "$T/tend.ini" logs
tui_start 100 30 "$T/tend.ini"
wait_screen '^┌─ programs' || { not_ok "tend starts"; exit 1; }
rows=$(pane_rows)
cols=$(pane_cols)
check "stty size in a pty program says the pane's size ($rows $cols)" \
	wait_screen "│ $rows $cols +│\$"
check "the pane is not the whole window (27 rows, narrower than 100)" \
	test "$rows" -eq 27 -a "$cols" -lt 98

tm resize-window -t tend -x 80 -y 20
sleep 0.5
rows2=$(pane_rows)
cols2=$(pane_cols)
check "the pane got smaller with the window ($rows2 $cols2)" \
	test "$rows2" -eq 17 -a "$cols2" -lt "$cols"
check "after resizing the window to 80x20, stty size says $rows2 $cols2" \
	wait_screen "│ $rows2 $cols2 +│\$"

tm resize-window -t tend -x 20 -y 5
sleep 1
tm resize-window -t tend -x 3 -y 2
sleep 1
tm resize-window -t tend -x 1 -y 1
sleep 1
tm resize-window -t tend -x 100 -y 30
check "back at 100x30, stty size says $rows $cols again" \
	wait_screen "│ $rows $cols +│\$"
check "through 20x5, 3x2 and 1x1 no size was 0 or 65535" sizes_nonzero "$T/logs/size.log"
check "and none was below 2x10" sizes_sane "$T/logs/size.log"
check "tend survived the tiny windows: the list is drawn" wait_screen '^│  other +running'
keys q
check "quit" wait_screen '^TEND-EXIT=0$' 10

# Started in a tiny window: the first size the program sees.
for size in "20 5" "3 2"; do
	tm kill-server 2>/dev/null
	sleep 0.3
	set -- $size
	write_config "$T/tiny-$1x$2.ini" "logs-$1x$2"
	tui_start "$1" "$2" "$T/tiny-$1x$2.ini"
	log=$T/logs-$1x$2/size.log
	if [ "$1" = 20 ]; then
		sleep 1
		check "started at 20x5: the list's rows stay in its box (borders intact)" boxes_intact
	fi
	check "started at $1x$2: the program reports a size" wait_for "$log" '^\| [0-9]+ [0-9]+$'
	sleep 1
	check "started at $1x$2: no size was 0 or 65535" sizes_nonzero "$log"
	check "started at $1x$2: none was below 2x10" sizes_sane "$log"
	check "started at $1x$2: the program keeps running" \
		bash -c "n=\$(grep -c '^| [0-9]' '$log'); sleep 1; [ \$(grep -c '^| [0-9]' '$log') -gt \$n ]"
	tm resize-window -t tend -x 100 -y 30
	check "started at $1x$2, then 100x30: stty size says $rows $cols" \
		wait_screen "│ $rows $cols +│\$"
	keys q
	check "started at $1x$2: quit" wait_screen '^TEND-EXIT=0$' 10
done
