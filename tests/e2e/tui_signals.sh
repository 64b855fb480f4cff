# The terminal is restored, and the children stopped, when tend is told to
# go by SIGTERM, SIGINT or SIGHUP, and when tend itself crashes.
. "$(dirname "$0")/lib.sh"

cat >"$T/tend.ini" <<INI
[program:server]
command = echo \$\$ >$T/server.pid; echo serving; exec sleep 600
INI

for sig in TERM INT HUP; do
	tm kill-server 2>/dev/null
	rm -f "$T/server.pid"
	tui_start 80 24 "$T/tend.ini"
	wait_screen 'server +running' >/dev/null
	wait_for "$T/server.pid" . 5 >/dev/null
	kill -"$sig" "$(tend_pid)"
	check "SIG$sig: tend exits with the summary" wait_screen '^server: killed by SIG(TERM|KILL)'
	check "SIG$sig: terminal restored" wait_screen '^TTY-SANE$'
	check "SIG$sig: the child is gone" gone "$(cat "$T/server.pid")"
done

tm kill-server 2>/dev/null
rm -f "$T/server.pid"
tui_start 80 24 "$T/tend.ini"
wait_screen 'server +running' >/dev/null
wait_for "$T/server.pid" . 5 >/dev/null
kill -SEGV "$(tend_pid)"
check "crash: tend dies of SIGSEGV" wait_screen '^TEND-EXIT=139$'
check "crash: terminal restored, not left raw" wait_screen '^TTY-SANE$'
sleep 0.5
check "crash: the child was sent SIGTERM" gone "$(cat "$T/server.pid")"
