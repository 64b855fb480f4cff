# The seed session: a Python REPL driven from the keyboard through the
# input line; each answer is read back before the next line is sent.
. "$(dirname "$0")/lib.sh"

cat >"$T/tend.ini" <<'INI'
[program:repl]
command = exec python3 -i -q -u

[program:other]
command = echo other says hi; sleep 600
INI
tui_start 100 30 "$T/tend.ini"
check "program list shows both programs" wait_screen 'repl +running'
check "the pane title names the program" wait_screen 'repl running . pid [0-9]+ . since [0-9]{2}:[0-9]{2}:[0-9]{2} '
check "the REPL prompt (no newline yet) is shown" wait_screen '▌>>> +│$'

keys i
check "input line opens with the program's name" wait_screen '^repl>'
type_text '2+2'; keys Enter
check "the line sent is echoed in the pane" wait_screen '│›2\+2 +│'
check "2+2 answers 4" wait_screen '│ 4 +│'
type_text 'len("foobar")'; keys Enter
check 'len("foobar") answers 6' wait_screen '│ 6 +│'
check "the input line stays open for the next line" wait_screen '^repl>'

keys C-d
check "Ctrl-D closes stdin and the REPL exits 0" wait_screen 'repl +exited 0'

keys Escape
keys j
check "j selects the next program" wait_screen 'other +running . pid'
check "its output is shown" wait_screen 'other says hi'

keys q
check "q stops everything and prints the summary" wait_screen '^other: killed by SIGTERM \(rc -15\) after'
check "summary has the REPL's exit" wait_screen '^repl: exited 0 after'
check "tend exits 0" wait_screen '^TEND-EXIT=0$'
