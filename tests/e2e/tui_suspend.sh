# Ctrl-Z suspends tend (terminal given back, programs keep running) and
# SIGCONT brings the screen back; a storm of SIGWINCH while output floods
# leaves a correct layout.
# e2e: alone
. "$(dirname "$0")/lib.sh"

cat >"$T/tend.ini" <<'INI'
[program:ticker]
command = i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 0.1; done

[program:flood]
command = exec yes "flood line"
INI
# Job control needs an interactive shell, as a person has.
tm new-session -d -s tend -x 100 -y 30 "env PS1='$ ' LANG=C.UTF-8 TERM=screen-256color bash --norc --noprofile -i"
tm set-option -t tend status off >/dev/null
wait_screen '^\$' >/dev/null
type_text "$TEND $T/tend.ini; echo TEND-EXIT=\$?"; keys Enter
check "up" wait_screen 'ticker +running'
keys C-z
check "Ctrl-Z suspends tend: the shell has the terminal" wait_screen 'Stopped'
pid=$(pgrep -f "^$TEND $T/tend.ini")
check "tend is stopped" bash -c "ps -o stat= -p $pid | grep -q '^T'"
check "the programs keep running meanwhile" bash -c "pgrep -f 'yes flood line' >/dev/null"
type_text fg; keys Enter
check "fg brings the screen back" wait_screen 'ticker +running' 5
check "and the output moved on" wait_screen '│ tick [0-9]+ +│'

for i in $(seq 1 20); do
	tm resize-window -t tend -x $((80 + i % 7 * 10)) -y $((24 + i % 5 * 3))
done
tm resize-window -t tend -x 90 -y 26
check "after a SIGWINCH storm during a flood the layout is right" \
	bash -c "sleep 0.5; [ \$(screen | wc -l) -eq 26 ] && screen | head -1 | grep -q '^┌.*┐┌.*┐\$' && [ \$(screen | head -1 | wc -m) -eq 91 ]"
keys q
check "quit, with the summary" wait_screen '^ticker: killed by SIGTERM \(rc -15\) after' 10
