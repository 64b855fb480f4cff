# t, K, s, r from the keyboard; exit 3 and signal deaths told apart in the
# list; a child's clear-screen sequence does not wipe tend's screen.
. "$(dirname "$0")/lib.sh"

cat >"$T/tend.ini" <<'INI'
[program:stubborn]
command = trap '' TERM; echo stubborn up; while :; do sleep 0.2; done
stopwaitsecs = 1

[program:three]
command = echo three; sleep 0.5; exit 3

[program:victim]
command = echo victim up; exec sleep 600

[program:rude]
command = printf 'before clear\n\033[2J\033[H\033]0;pwned\007after clear\n'; exec sleep 600
INI
tui_start 100 30 "$T/tend.ini"
check "stubborn running" wait_screen 'stubborn +running'
check "exit 3 shown as such" wait_screen 'three +exited 3'

keys t
check "t shows the stop in progress" wait_screen 'stubborn +stopping'
check "ignored SIGTERM: killed by SIGKILL after stopwaitsecs" wait_screen 'stubborn +killed SIGKILL' 5
check "the pane title says how it ended" wait_screen 'stubborn killed by SIGKILL \(rc -9\)'

keys s
check "s starts it again" wait_screen 'stubborn +running'

keys j j
check "victim selected" wait_screen 'victim running'
keys K
check "K kills: killed by SIGKILL" wait_screen 'victim +killed SIGKILL'
keys r
check "r restarts a program that is not running" wait_screen 'victim +running'
keys r
check "r restarts a running one" wait_screen 'victim +running . pid'
check "restart told: killed by SIGTERM then started" wait_screen 'last killed by SIGTERM'

keys j
check "rude: text before and after the clear both shown" wait_screen 'before clear'
check "rude: after clear" wait_screen 'after clear'
check "tend's screen was not wiped (list still there)" wait_screen 'stubborn +running'
check "no raw escape reached the terminal (no title change)" bash -c "! tm display-message -p -t tend '#{pane_title}' | grep -q pwned"

keys q
check "quit summary: exit 3" wait_screen '^three: exited 3 after'
check "quit summary: the victim killed by SIGTERM" wait_screen '^victim: killed by SIGTERM \(rc -15\) after'
check "stubborn killed by SIGKILL on quit after stopwaitsecs" wait_screen '^stubborn: killed by SIGKILL \(rc -9\) after' 6
