# stdin that never blocks tend: a program that never reads while the user
# pastes megabytes; the cap says so; unsent bytes are reported at exit;
# stop_input ends a REPL with exit 0 and no signal.
. "$(dirname "$0")/lib.sh"

cat >"$T/tend.ini" <<'INI'
[program:deaf]
command = echo not reading; exec sleep 600

[program:other]
command = i=0; while :; do i=$((i+1)); echo "other $i"; sleep 0.2; done

[program:repl]
command = exec python3 -i -q
stop_input = quit()
stopwaitsecs = 5
INI
tui_start 100 30 "$T/tend.ini"
check "deaf is up" wait_screen 'not reading'
# 1.2 MB: past the 1 MiB queue even after the 64 KiB the pipe itself
# takes.
python3 -c 'print(("x" * 1000 + "\n") * 1200, end="")' >"$T/paste"
tm load-buffer "$T/paste"
keys i
tm paste-buffer -t tend
check "the cap is hit and said plainly" wait_screen 'stdin queue full \(the program is not reading\); not sent' 120
check "the title shows the bytes queued" wait_screen 'stdin 10[0-9]{5} bytes queued'
# A refused line stays in the input line, so the rest of the paste
# piles up there.  Keys sent now reach tend after the paste: clear the
# line and type a marker; once it shows, the paste is all read.
keys C-u
type_text end-of-paste
check "the whole paste was read" wait_screen '^deaf> end-of-paste' 120
# j only once Escape has been taken alone: ESC j read together is Alt-j.
keys Escape
check "Escape leaves the input line" wait_screen '^ j/k select  i input'
keys j
check "tend stays responsive: j works" wait_screen '> other' 3
check "the others' output keeps flowing" wait_screen 'other [1-9][0-9]+'
keys k K
check "killing it reports the unsent input" wait_screen 'bytes of input were not sent'

keys j j
check "the REPL is up" wait_screen 'repl +running'
keys t
check "stop_input makes it exit 0" wait_screen 'repl +exited 0' 5
check "no signal was sent" bash -c "! screen | grep -q 'sent SIG'"
check "the pane says stop_input was sent" wait_screen 'stopping: sent stop_input'
keys q
check "quit" wait_screen '^TEND-EXIT=0$' 10
