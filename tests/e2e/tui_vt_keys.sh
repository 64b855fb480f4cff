# A pty program's terminal, from the keyboard and the program's side:
# queries (DSR, DA) answered, focus-mode keys (Ctrl-C, Up, Ctrl-A and
# Ctrl-A Ctrl-A), bracketed paste only when asked for, and nothing a
# program prints (titles, OSC 52, bells, modes) reaching tend's terminal.
. "$(dirname "$0")/lib.sh"

show_pane() { pane | sed 's/^/#   |/' >&2; }

# pane_rows_like REGEX N [SECONDS]: until exactly N pane rows match.
pane_rows_like() {
	local re=$1 want=$2 secs=${3:-10} i
	for ((i = 0; i <= secs * 20; i++)); do
		[ "$(pane | grep -Ec -- "$re")" -eq "$want" ] && return 0
		sleep 0.05
	done
	echo "# not $want pane rows match /$re/ after ${secs}s:" >&2
	show_pane
	return 1
}

# sel NAME: select NAME in the list (j down, then k up, until the pane's
# title names it), out of focus mode first.
sel() {
	local i
	unfocus
	for ((i = 0; i < 40; i++)); do
		screen | head -n 1 | grep -q "┐┌─ $1 " && return 0
		if [ "$i" -lt 15 ]; then keys j; else keys k; fi
		sleep 0.1
	done
	echo "# could not select $1" >&2
	return 1
}

# tm_is FORMAT VALUE: tmux's FORMAT for the pane is VALUE.
tm_is() {
	local got
	got=$(tm display-message -p -t tend "$1")
	[ "$got" = "$2" ] || {
		echo "# $1 is '$got', not '$2'" >&2
		return 1
	}
}
# tm_lacks FORMAT TEXT: tmux's FORMAT for the pane does not contain TEXT.
tm_lacks() {
	local got
	got=$(tm display-message -p -t tend "$1")
	case "$got" in
	*"$2"*) echo "# $1 is '$got'" >&2; return 1 ;;
	esac
}

cat >"$T/hostile.sh" <<'SH'
printf 'before\n'
printf '\e]2;PWN\a'
printf '\e]0;PWN0\e\\'
printf '\e]52;c;cHduZWQ=\a'
printf '\a\a'
printf '\e[?1049h\e[2J\e[H'
printf 'garbage \e[999;999H\e#8\e[?1000h\e[?1006h\e[?2004h\e[?25l\e[?7l'
printf '\e[1;3r\e]1337;File=x\a\eP+q544e\e\\\e[>c\e[c\e[5n\e[6n\e[18t\e[21t'
printf '\x9b31m\x9d0;raw-c1\x07\e[99999;99999H\e[9999@\e[9999L\e(0lqk\e(B'
printf '\e[r\e[H\e[2Jstill here\n'
exec sleep 600
SH

# Asks the terminal where the cursor is, twice, and what it is (DA); a
# read that times out prints nothing after "got".  Echo is off before the
# first question: an answer that came before read -s turned it off would
# be echoed by the line discipline, as at any terminal.
cat >"$T/dsr.sh" <<'SH'
stty -echo
printf 'abc'
printf '\e[6n'; read -rs -t 5 -d R pos; echo
echo "got ${pos#*[}"
printf '\e[5;10H\e[6n'; read -rs -t 5 -d R pos; printf '\r\n'
echo "then ${pos#*[}"
printf '\e[c'; read -rs -t 5 -d c da
echo "da ${da#*[}"
exec sleep 600
SH

cat >"$T/tend.ini" <<INI
[tend]
shell = /bin/bash

[program:dsr]
command = bash $T/dsr.sh
pty = true

[program:py]
command = exec python3 -i -q
pty = true

[program:sh]
command = exec bash --norc -i
pty = true

[program:catv]
command = stty -echo; exec cat -v
pty = true

[program:bp]
command = printf '\e[?2004h'; stty -echo; exec cat -v
pty = true

[program:nobp]
command = stty -echo; exec cat -v
pty = true

[program:hostile]
command = bash $T/hostile.sh
pty = true

[program:calm]
command = i=0; while :; do i=\$((i+1)); echo "calm \$i"; sleep 0.2; done
INI
tui_start 100 30 "$T/tend.ini"
wait_screen '^┌─ programs' || { not_ok "tend starts"; exit 1; }
# OSC 52 from a program inside tmux may set tmux's buffers: let it, so a
# clipboard write that got through tend would show.
tm set-option -s set-clipboard on

# --- 9. terminal queries ------------------------------------------------
check "DSR (\\e[6n) after 'abc' is answered: got 1;4" wait_screen '│ got 1;4 +│'
check "DSR after moving to 5;10 is answered: then 5;10" wait_screen '│ then 5;10 +│'
check "DA (\\e[c) is answered: da ?..." wait_screen '│ da \?[0-9;]+ +│'
check "the answers are not shown as text (no ^[[ or R on screen)" no_screen '\^\[|1;4R'

# --- 10. focus-mode keys ------------------------------------------------
sel py
check "python's prompt" wait_screen '│ >>> +│$'
keys i
check "focus mode: the title says FOCUS" wait_screen '┐┌─ py running · FOCUS — Ctrl-A to leave'
check "focus mode: the bar says FOCUS" wait_screen '^ FOCUS — every key goes to the program; Ctrl-A leaves'
type_text 'import time; time.sleep(30)'; keys Enter
check "the line reaches python" wait_screen '│ >>> import time; time.sleep\(30\) +│'
sleep 0.5
keys C-c
check "Ctrl-C in focus mode interrupts python: KeyboardInterrupt" wait_screen 'KeyboardInterrupt'
type_text '6*7'; keys Enter
check "python is still alive after it: 6*7 answers 42" wait_screen '│ 42 +│'
check "and it is still running" wait_screen '^│> py +running'
keys C-a
check "Ctrl-A leaves focus: the bar shows tend's keys again" wait_screen '^ j/k select  i input'
check "Ctrl-A leaves focus: the title no longer says FOCUS" \
	bash -c "sleep 0.3; ! screen | head -n 1 | grep -q FOCUS"
keys j
check "after Ctrl-A, j is tend's again: it selects the next program" wait_screen '┐┌─ sh running'

check "bash's prompt" wait_screen '│ bash-[0-9.]+[#$] +│'
keys i
type_text 'echo up-$((6*7))'; keys Enter
check "bash runs the line: up-42" pane_rows_like '^up-42$' 1
keys Up
check "Up recalls the previous line" wait_screen '│ bash-[0-9.]+[#$] echo up-\$\(\(6\*7\)\) +│$'
keys Enter
check "Enter runs the recalled line: up-42 twice" pane_rows_like '^up-42$' 2
leave_focus

sel catv
keys i
type_text 'x'; keys C-a C-a; type_text 'y'; keys Enter
check "Ctrl-A Ctrl-A sends one Ctrl-A: cat -v shows x^Ay" wait_screen '│ x\^Ay +│'
check "not two (^A^A)" no_screen '\^A\^A'
check "and focus mode goes on after Ctrl-A Ctrl-A" wait_screen '┐┌─ catv running · FOCUS'
type_text 'after'; keys Enter
check "keys still reach the program after it" wait_screen '│ after +│'
leave_focus

# --- 11. bracketed paste ------------------------------------------------
tm set-buffer 'pasted words'
sel bp
keys i
tm paste-buffer -p -t tend
keys Enter
check "a program that asked for bracketed paste gets the markers: ^[[200~ ... ^[[201~" \
	wait_screen '│ \^\[\[200~pasted words\^\[\[201~ +│'
leave_focus
sel nobp
keys i
tm paste-buffer -p -t tend
keys Enter
check "one that did not ask gets the text alone" wait_screen '│ pasted words +│'
check "and no markers" bash -c "sleep 0.3; ! screen | grep -q '20[01]~'"
leave_focus

# --- 12. nothing a program prints reaches tend's terminal --------------
sel hostile
check "the hostile program's last text shows" wait_screen '│ still here +│'
check "the tmux pane's title is not the program's (PWN)" tm_lacks '#{pane_title}' PWN
check "no OSC 52 clipboard write reached tmux's buffers" \
	bash -c "! tm list-buffers -F '#{buffer_sample}' 2>/dev/null | grep -q pwned"
check "no bell reached tmux" tm_is '#{window_bell_flag}' 0
check "the program's title may show in its pane's title, quoted: “PWN0”" wait_screen '┐┌─ hostile running · “PWN0”'
check "the list stays on screen: the hostile row" wait_screen '^│> hostile +running +││'
check "the list stays on screen: the other programs' rows" \
	bash -c "screen | grep -Eq '^│  calm +running' && screen | grep -Eq '^│  dsr +running' || { screen | sed 's/^/#   |/' >&2; exit 1; }"
check "the top border is intact" bash -c "screen | head -n 1 | grep -q '^┌─ programs ─*┐┌─ hostile .*┐\$'"
check "the bottom border is intact" bash -c "screen | sed -n 29p | grep -q '^└─*┘└─*┘\$'"
check "the key bar is intact" wait_screen '^ j/k select  i input'
sel calm
n1=$(screen | grep -Eo 'calm [0-9]+' | tail -n 1)
check "the other program's output keeps flowing" \
	bash -c "sleep 0.6; [ \"\$(screen | grep -Eo 'calm [0-9]+' | tail -n 1)\" != '$n1' ]"

keys q
check "quit" wait_screen '^TEND-EXIT=0$' 10
check "terminal left sane" wait_screen '^TTY-SANE$'
