# Headless mode with pty programs: what the emulated terminal makes of
# their output is plain lines (a rewritten line once, in its last state;
# colours and cursor moves gone; a full-screen program's screen between
# the notes), the same in `tend ctl logs`, into a pipe and on a terminal.
. "$(dirname "$0")/lib.sh"

# no_esc_in FILE: not one ESC byte.
no_esc_in() {
	if grep -q $'\e' "$1"; then
		echo "# ESC bytes in $1:" >&2
		grep -n $'\e' "$1" | head -n 5 | cat -v | sed 's/^/#   /' >&2
		return 1
	fi
}
# wait_out EXTENDED-REGEX: until a line of tend's output matches; at
# once when tend is gone (a crash must not cost 10 s a check).
wait_out() {
	local i
	for ((i = 0; i < 200; i++)); do
		grep -Eq -- "$1" "$T/out" && return 0
		kill -0 "$TEND_PID" 2>/dev/null || break
		sleep 0.05
	done
	grep -Eq -- "$1" "$T/out" && return 0
	echo "# no /$1/ in tend's output$(kill -0 "$TEND_PID" 2>/dev/null || echo ' (tend is gone)'):" >&2
	tail -n 15 "$T/out" | cat -v | sed 's/^/#   /' >&2
	return 1
}
# lacks FILE EXTENDED-REGEX: no line matches.
lacks() {
	if grep -Eq -- "$2" "$1"; then
		echo "# /$2/ in $1:" >&2
		grep -E -- "$2" "$1" | head -n 5 | cat -v | sed 's/^/#   /' >&2
		return 1
	fi
}
# in_order FILE REGEX...: lines matching each REGEX, in that order.
in_order() {
	local file=$1 n=0 m
	shift
	for re in "$@"; do
		m=$(grep -nE -- "$re" "$file" | head -n 1 | cut -d: -f1)
		if [ -z "$m" ] || [ "$m" -le "$n" ]; then
			echo "# /$re/ not after line $n of $file:" >&2
			sed 's/^/#   /' "$file" | cat -v >&2
			return 1
		fi
		n=$m
	done
}

cat >"$T/tend.ini" <<'INI'
[tend]
shell = /bin/bash

; The rewrite must reach tend in the same read as line B: with ONLCR the
; terminal passes a printf on at each newline, and a read between two of
; them would see line B finished (and log it, as a terminal showed it).
; So the newlines go out as \r\n, in one piece.
[program:rep]
command = stty -onlcr; printf 'line A\r\nline B\r\n\e[1A\e[2K\rline B replaced\r\n'; exec sleep 600
pty = true

[program:col]
command = printf '\e[1;31mred\e[0m and \e[38;5;42mgreen\e[0m\e[K\n\e]2;PWN\a\a'; exec sleep 600
pty = true

[program:alt]
command = sleep 0.5; printf '\e[?1049h\e[H\e[2Jon the alt screen\n\e[5;3Hfive\n'; sleep 0.5; printf '\e[?1049l'; echo after the alt screen; exec sleep 600
pty = true

[program:late]
; rewrites line B after a pause, goes on, ends
command = printf 'line A\nline B\n'; sleep 0.5; printf '\e[1A\e[2K\rline B late\n'; sleep 0.5; echo more; sleep 0.5
pty = true

[program:prompt]
command = printf 'Password: '; read -rs -t 30 x; exec sleep 600
pty = true
INI

headless "$T/tend.ini"
check "headless: rep's rewritten line, as 'rep | line B replaced'" wait_out '^rep +\| line B replaced$'
check "headless: rep's first line" has "$T/out" '^rep +\| line A$'
check "headless: line B alone never printed" lacks "$T/out" '^rep +\| line B$'
check "headless: rep's lines in order" in_order "$T/out" '^rep +\| line A$' '^rep +\| line B replaced$'
check "headless: colours gone, text kept ('col | red and green')" wait_out '^col +\| red and green$'
check "headless: a full-screen program's screen as lines" wait_out '^alt +\| on the alt screen$'
check "headless: its rows where it drew them (an empty row between)" \
	in_order "$T/out" '^alt +\* full screen' '^alt +\| on the alt screen$' '^alt +\| $' '^alt +\|   five$' '^alt +\* left the full screen'
check "headless: the line after the full screen" wait_out '^alt +\| after the alt screen$'
check "headless: a prompt without a newline shows ('prompt | Password:')" wait_out '^prompt +\| Password:'
check "headless: a line rewritten after a pause is output by the program's end" \
	wait_out '^late +\| line B late$'
check "headless: in the screen's order (line B late before more)" \
	in_order "$T/out" '^late +\| line B late$' '^late +\| more$'
check "headless into a pipe: no escape sequence from pty programs" no_esc_in "$T/out"
check "headless: no title, no bell in the output" lacks "$T/out" $'PWN|\a'

"$TEND" ctl -c "$T/tend.ini" logs rep >"$T/ctl.out" 2>&1
check "tend ctl logs rep: 'rep | line B replaced'" has "$T/ctl.out" '^rep +\| line B replaced$'
check "tend ctl logs rep: line A before it" in_order "$T/ctl.out" '^rep +\| line A$' '^rep +\| line B replaced$'
check "tend ctl logs rep: line B alone not there" lacks "$T/ctl.out" '^rep +\| line B$'
check "tend ctl logs rep: no escape sequence" no_esc_in "$T/ctl.out"
"$TEND" ctl -c "$T/tend.ini" logs col alt >"$T/ctl2.out" 2>&1
check "tend ctl logs col alt: plain text of both" \
	bash -c "grep -Eqx 'col +\| red and green' '$T/ctl2.out' && grep -Eqx 'alt +\| on the alt screen' '$T/ctl2.out' || { cat -v '$T/ctl2.out' | sed 's/^/#   /' >&2; exit 1; }"
check "tend ctl logs col alt: no escape sequence" no_esc_in "$T/ctl2.out"
"$TEND" ctl -c "$T/tend.ini" quit >/dev/null 2>&1
check "tend ctl quit: headless tend exits" wait_exit "$TEND_PID" 15
check "exit status 0 (got ${EXIT_STATUS:-none})" test "${EXIT_STATUS:-1}" -eq 0

# On a terminal too (script gives headless tend one).
cat >"$T/once.ini" <<'INI'
[program:rep]
command = stty -onlcr; printf 'line A\r\nline B\r\n\e[1A\e[2K\rline B replaced\r\n\e[31mred\e[0m\r\n'
pty = true
INI
# NO_COLOR: the names' colours on a terminal are headless_tty.sh's test;
# this one is about what the emulated terminal lets through.
NO_COLOR=1 timeout 20 script -qec "$TEND --headless $T/once.ini" /dev/null >"$T/tty.out" 2>&1
check "headless on a terminal: rep | line B replaced" has "$T/tty.out" '^rep +\| line B replaced'
check "headless on a terminal: line B alone never printed" lacks "$T/tty.out" '^rep +\| line B.?$'
check "headless on a terminal: no ESC byte" no_esc_in "$T/tty.out"
check "headless on a terminal: the program's end (exited 0)" has "$T/tty.out" 'rep: exited 0'
