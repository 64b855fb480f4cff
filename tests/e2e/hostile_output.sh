# Hostile output: a 100 MB line without a newline, NUL bytes, invalid
# UTF-8, every C0 and C1 control and escape sequence.  Nothing reaches the
# terminal raw, the layout holds, memory stays bounded, tend stays up.
# e2e: alone
. "$(dirname "$0")/lib.sh"

cat >"$T/evil.py" <<'PY'
import sys, time
out = sys.stdout.buffer
out.write(b"before\n")
out.write(b"nul:\x00\x00 bad-utf8:\xff\xfe\xc3\x28 \xed\xa0\x80 end\n")
out.write(bytes(range(0, 32)) + b"|c0\n")
out.write("c1:\u0080\u0085\u009b\u009d|".encode() + b"\x9b\x9d|c1-raw\n")
out.write(b"\x1b[2J\x1b[H\x1b[?1049h\x1b[10;10Hcursor\x1b[5A\x1b[K|moves\n")
out.write(b"\x1b]0;pwned-title\x07\x1b]2;pwned2\x1b\\|osc\n")
out.write(b"\x1b]52;c;cHduZWQtY2xpcGJvYXJk\x07|osc52\n")
out.write(b"\x1bP1$r0m\x1b\\\x1bPqdcs-junk\x1b\\|dcs\n")
out.write(b"\x1b[200~pasted\x1b[201~|bracketed\n")
out.write(b"\x1b[?1000h\x1b[?25l\x1b(0lqk\x1b(B\x1bc\x1b7\x1b8|modes\n")
out.write(b"\x1b[31mred\x1b[0m \x1b[38;2;0;255;0mgreen\x1b[0m|sgr\n")
out.write(b"after all of it\n")
out.flush()
time.sleep(600)
PY
cat >"$T/tend.ini" <<'INI'
[program:evil]
command = exec python3 evil.py

[program:huge]
; a 100 MB line with no newline, then a normal line
command = head -c 100000000 /dev/zero | tr '\0' 'a'; echo; echo "huge done"; exec sleep 600

[program:calm]
command = i=0; while :; do i=$((i+1)); echo "calm $i"; sleep 0.2; done
INI
tui_start 100 30 "$T/tend.ini"
check "text after all the sequences is shown" wait_screen 'after all of it'
check "the layout holds: the list's box is intact" wait_screen '^│> evil +running +││'
check "the bottom border is intact" bash -c "screen | sed -n 29p | grep -q '^└─*┘└─*┘\$'"
check "the key bar is intact" wait_screen '^ j/k select  i input'
check "NUL bytes shown as control pictures" wait_screen 'nul:␀␀'
check "invalid UTF-8 shown as replacement characters" wait_screen 'bad-utf8:��'
check "C0 controls shown as pictures" wait_screen '␁␂␃␄␅␆␇'
check "cursor moves and clears swallowed" wait_screen '│ cursor\|moves +│'
check "bracketed paste markers swallowed" wait_screen '│ pasted\|bracketed +│'
check "SGR colours kept" wait_screen '│ red green\|sgr +│'
check "no OSC title reached the terminal" bash -c "! tm display-message -p -t tend '#{pane_title}' | grep -q pwned"
check "no OSC 52 reached the clipboard" bash -c "! tm show-buffer 2>/dev/null | grep -q pwned"
check "the other program's output keeps flowing" wait_screen 'evil +running'
keys j
check "the 100 MB line is swallowed and the next line shows" wait_screen 'huge done' 60
pid=$(tend_pid)
rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
check_rss "tend's memory stays bounded after a 100 MB line (${rss} KiB)" test "$rss" -lt 200000
keys j
check "keys still answered" wait_screen '> calm'
keys q
check "quit" wait_screen '^TEND-EXIT=0$' 10
check "terminal left sane" wait_screen '^TTY-SANE$'
