# While one program floods without end, keys still work, the other
# programs' output still shows, and quitting is prompt.
# e2e: alone
. "$(dirname "$0")/lib.sh"

cat >"$T/tend.ini" <<INI
[program:flood]
command = exec yes "flooding flooding flooding"

[program:steady]
command = i=0; while :; do i=\$((i+1)); echo "steady \$i"; sleep 0.2; done
INI
tui_start 100 30 "$T/tend.ini"
check "the flood shows" wait_screen 'flooding flooding'
keys j
check "j works during the flood" wait_screen '> steady' 3
check "steady output keeps flowing" wait_screen 'steady [1-9][0-9]' 5
keys k
check "k works during the flood" wait_screen '> flood' 3
keys PPage
check "scrolling works during the flood" wait_screen 'SCROLLED' 3
keys q
check "q during the flood ends tend with a summary" wait_screen '^flood: killed by SIGTERM' 10
check "tend exits 0" wait_screen '^TEND-EXIT=0$'
