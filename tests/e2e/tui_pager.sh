# e: the pane's scrollback in $PAGER, with its colours, while the loop
# goes on; the pager gets the terminal (it can read keys) and tend's
# screen comes back when it exits.  S: the scrollback saved as plain
# text in the current folder, the message naming the file.
. "$(dirname "$0")/lib.sh"

cat >"$T/tend.ini" <<'INI'
[program:ticker]
command = printf '\033[31mred line\033[0m\n'; i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 0.2; done

[program:other]
command = echo other here; exec sleep 600
INI
# The pager: what $T/mode says.  copy: keep the file, its argument
# count, and sleep a while; read: wait for a line typed at the terminal.
cat >"$T/pager.sh" <<SH
#!/bin/sh
echo "\$#" >"$T/argc"
case \$(cat "$T/mode") in
copy) cp "\$1" "$T/copy.tmp"; echo "\$1" >"$T/path"; mv "$T/copy.tmp" "$T/copy"; sleep 1.5 ;;
read) echo "pager waiting for a line"; read -r line; echo "\$line" >"$T/typed" ;;
esac
SH
chmod +x "$T/pager.sh"
echo copy >"$T/mode"

# last_tick: the highest "tick N" in its input.
last_tick() { grep -oE 'tick [0-9]+' | awk '{ n = $2 > n ? $2 : n } END { print n + 0 }'; }
# wait_file FILE: until FILE exists.
wait_file() {
	local i
	for ((i = 0; i < 200; i++)); do
		[ -e "$1" ] && return 0
		sleep 0.05
	done
	echo "# no $1 after 10 s" >&2
	return 1
}

cd "$T" || exit 1
export PAGER="$T/pager.sh"
tui_start 100 30 "$T/tend.ini"
check "ticker runs" wait_screen '^│> ticker +running'
check "and ticks" wait_screen 'tick [0-9]+'

keys e
check "e: the pager got a copy of the scrollback" wait_file "$T/copy"
check "the path is the pager's one argument (+G only without PAGER)" \
	same "$T/argc" 1
check "the copy has the pane's lines" has "$T/copy" '^tick [0-9]+$'
check "the coloured line with its colour as SGR" \
	grep -q $'^\033\\[0;31mred line\033\\[0m$' "$T/copy"
check "while the pager runs tend does not draw" no_screen '^│> ticker'
before=$(last_tick <"$T/copy")
check "tend's screen comes back when it exits" wait_screen '^│> ticker +running' 10
sleep 0.3
after=$(screen | last_tick)
check "output kept arriving meanwhile (tick $before, then $after)" \
	test "$after" -ge $((before + 5))
check "the temporary file is gone" test ! -e "$(cat "$T/path")"
check "it was made in TMPDIR (tend-scrollback-*)" \
	grep -q '^/tmp/tend-scrollback-' "$T/path"
keys j
check "keys work again" wait_screen '^│> other +running'

echo read >"$T/mode"
keys e
check "a pager that reads the terminal shows" wait_screen 'pager waiting for a line'
type_text "typed to the pager"
keys Enter
check "it got the line: it had the terminal" wait_file "$T/typed"
check "the line it read" same "$T/typed" 'typed to the pager'
check "then tend is back" wait_screen '^│> other +running' 10
keys k
check "and reads keys again" wait_screen '^│> ticker +running'

keys S
check "S says where it saved" \
	wait_screen 'saved [0-9]+ lines to \./tend-ticker-[0-9]{8}-[0-9]{6}\.log'
saved=$(ls "$T"/tend-ticker-*.log 2>/dev/null | head -n 1)
check "the file is there" test -f "$saved"
check "with the lines" has "$saved" '^tick [0-9]+$'
check "the coloured line as plain text" has "$saved" '^red line$'
check "and no ESC byte" sh -c "! grep -q \$(printf '\\033') '$saved'"

keys m S
check "S in the merged view saves the merged lines" \
	wait_screen 'saved [0-9]+ lines to \./tend-merged-'
merged=$(ls "$T"/tend-merged-*.log 2>/dev/null | head -n 1)
check "each with its program, as headless mode writes them" \
	has "$merged" '^other \| other here$'
keys m

keys q
check "quit" wait_screen '^TEND-EXIT=0$'
check "the terminal was left sane" wait_screen '^TTY-SANE$'

# Without PAGER: less -R +G, at the newest lines.
tm respawn-pane -k -t tend "env -u PAGER LANG=C.UTF-8 TERM=screen-256color \
	$TEND $T/tend.ini; echo TEND-EXIT=\$?; sleep 600"
check "again, without PAGER" wait_screen 'tick [0-9]+'
keys e
check "e: less shows the end of the scrollback (+G)" \
	wait_screen '^/tmp/tend-scrollback-[A-Za-z0-9]+ \(END\)$'
keys q
check "q in less: tend is back" wait_screen '^│> ticker +running' 10
keys q
check "quit, once more" wait_screen '^TEND-EXIT=0$'
