# pty = true: a REPL through a terminal (echo by the line discipline,
# Ctrl-C, Ctrl-D), line-buffered output, the pane's size as the terminal's
# size (and SIGWINCH when it changes), isatty, and the end at hang-up.
. "$(dirname "$0")/lib.sh"

cat >"$T/tend.ini" <<'INI'
[program:prepl]
command = exec python3 -i -q
pty = true

[program:size]
command = tput cols; trap 'echo "now $(tput cols) cols"' WINCH; while :; do sleep 0.1; done
pty = true

[program:tty]
command = exec python3 -c 'import os; print("isatty", os.isatty(1))'
pty = true

[program:notty]
command = exec python3 -c 'import os; print("isatty", os.isatty(1))'

[program:buffered]
command = exec env -u PYTHONUNBUFFERED python3 -c 'print("hi"); import time; time.sleep(60)'
pty = true

[program:blocky]
command = exec env -u PYTHONUNBUFFERED python3 -c 'print("hi"); import time; time.sleep(60)'
INI
tui_start 100 30 "$T/tend.ini"
check "the pty REPL's prompt" wait_screen '│ >>> +│$'
check "the title says pty" wait_screen 'prepl running . pid [0-9]+ . since [0-9:]+ . pty: stdout\+stderr'
keys i; type_text '2+2'; keys Enter
check "the terminal echoes the line" wait_screen '│ >>> 2\+2 +│'
check "2+2 answers 4" wait_screen '│ 4 +│'
type_text 'len("foobar")'; keys Enter
check 'len("foobar") answers 6' wait_screen '│ 6 +│'
keys C-d
check "Ctrl-D is the terminal's EOF: the REPL exits 0" wait_screen 'prepl +exited 0'
check "focus mode ends with the program" wait_screen 'prepl: ended: focus mode left'
keys s
# The restarted REPL must be at its prompt (its SIGINT handler set up)
# before Ctrl-C: a slow start would otherwise be killed outright.
last_pane_line() { screen | grep -B1 '^└' | head -n 1; }
for _ in $(seq 1 100); do
	last_pane_line | grep -q '│ >>> *│$' && break
	sleep 0.1
done
keys i
type_text 'import time; time.sleep(30)'; keys Enter
check "the line reaches the restarted REPL" wait_screen '│ >>> import time; time.sleep\(30\) +│'
sleep 0.5
keys C-c
check "Ctrl-C goes through the terminal: KeyboardInterrupt" wait_screen 'KeyboardInterrupt'

# The text width of the pane whose title names NAME (the main pane when
# no NAME): its top border between the corners, less the gutter column.
pane_cols() {
	screen | head -n 1 | python3 -c '
import re, sys
line = sys.stdin.read().rstrip("\n")
boxes = re.findall("┌[^┐]*┐", line)
name = sys.argv[1] if len(sys.argv) > 1 else None
box = [b for b in boxes if " %s " % name in b][0] if name else boxes[-1]
print(len(box) - 3)' "$@"
}
keys C-a j
cols=$(pane_cols)
check "tput cols in a pty child prints the pane's width ($cols)" wait_screen "│ $cols +│"
keys z
sleep 0.3
cols=$(pane_cols size)
check "tiled: the new width reaches the child by SIGWINCH ($cols)" wait_screen "now $cols cols"
keys z
keys j
check "isatty(1) is true with pty" wait_screen '│ isatty True +│'
check "and the end at hang-up (EIO) is a clean exit 0" wait_screen 'tty +exited 0'
keys j
check "isatty(1) is false on pipes" wait_screen '│ isatty False +│'
keys j
check "block-buffered output shows at once with pty" wait_screen '│ hi +│' 2
keys j
check "without pty it does not show" bash -c "sleep 1; ! screen | grep -q '│ hi '"
check "the pane says it may be block-buffered and how to fix it" \
	wait_screen 'set  pty = true  in its section' 8
check "... on rows of its own: its note still shows below it" \
	bash -c "screen | grep -q '│◆ started pid' && [ \$(screen | grep -n 'set  pty = true' | cut -d: -f1) -lt \$(screen | grep -n '◆ started pid' | tail -n 1 | cut -d: -f1) ]"
keys q
check "quit" wait_screen '^TEND-EXIT=0$' 10
