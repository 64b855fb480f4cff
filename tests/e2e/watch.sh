# watch: a change to a watched file restarts the program, once per
# burst, within a second; ignored files and other programs' files restart
# nothing; new folders are watched; an editor's save by rename is seen;
# inotify's limit on watches is told in a note.
. "$(dirname "$0")/lib.sh"

P=$T/proj
mkdir -p "$P/src/app"
touch "$P/a.txt" "$P/skip.txt" "$P/src/app/main.py"
cat >"$P/tend.ini" <<INI
[program:txt]
command = exec sleep 600
watch = *.txt
watch_ignore = skip*.txt

[program:py]
command = exec sleep 600
watch = src/**/*.py
watch_ignore = *.pyc, src/build/
INI

# count RE: how many lines of the output match now.
count() { grep -cE -- "$1" "$T/out"; }

# wait_count RE N [SECONDS]: until exactly N lines match.
wait_count() {
	local re=$1 n=$2 secs=${3:-5} i
	for ((i = 0; i < secs * 20; i++)); do
		[ "$(count "$re")" -eq "$n" ] && return 0
		sleep 0.05
	done
	echo "# expected $n lines matching /$re/, got $(count "$re"):" >&2
	tail -n 15 "$T/out" | sed 's/^/#   /' >&2
	return 1
}

# stays RE N: still exactly N lines after a second (longer than
# watch_delay and a restart).
stays() {
	sleep 1
	[ "$(count "$1")" -eq "$2" ] || {
		echo "# expected $2 lines matching /$1/ after 1s, got $(count "$1"):" >&2
		tail -n 15 "$T/out" | sed 's/^/#   /' >&2
		return 1
	}
}

TXT_START='^txt +\* started pid [0-9]+$'
PY_START='^py +\* started pid [0-9]+$'
TXT_RESTART='^txt +\* restarting: '
PY_RESTART='^py +\* restarting: '

headless "$P/tend.ini"
both_started() { wait_count "$TXT_START" 1 10 && wait_count "$PY_START" 1 10; }
check "both programs started" both_started

# One file touched: one restart, within a second, saying which file.
touch "$P/a.txt"
check "touching a.txt: the note 'restarting: a.txt changed' within a second" \
	wait_for "$T/out" '^txt +\* restarting: a\.txt changed$' 1
check "... and a new 'started pid' note" wait_count "$TXT_START" 2 2
check "... once" stays "$TXT_RESTART" 1
check "the other program was not restarted" test "$(count "$PY_RESTART")" = 0

# A save storm: 50 files at once, one restart with the first of them.
(cd "$P" && touch f01.txt f02.txt f03.txt f04.txt f05.txt f06.txt f07.txt \
	f08.txt f09.txt f10.txt f11.txt f12.txt f13.txt f14.txt f15.txt f16.txt \
	f17.txt f18.txt f19.txt f20.txt f21.txt f22.txt f23.txt f24.txt f25.txt \
	f26.txt f27.txt f28.txt f29.txt f30.txt f31.txt f32.txt f33.txt f34.txt \
	f35.txt f36.txt f37.txt f38.txt f39.txt f40.txt f41.txt f42.txt f43.txt \
	f44.txt f45.txt f46.txt f47.txt f48.txt f49.txt f50.txt)
check "50 files touched at once: a restart for f01.txt within a second" \
	wait_for "$T/out" '^txt +\* restarting: f01\.txt changed$' 1
storm_once() { stays "$TXT_RESTART" 2 && [ "$(count "$TXT_START")" -eq 3 ]; }
check "... and one restart only (2 in all, 3 starts)" storm_once

# Ignored files, and files no pattern takes, restart nothing.
mkdir -p "$P/src/build"
touch "$P/skip.txt" "$P/skip-2.txt" "$P/src/app/main.pyc" "$P/src/build/gen.py" \
	"$P/notes.md" "$P/src/app/readme.txt" "$P/src/top.txt"
nothing_more() { stays "$TXT_RESTART" 2 && [ "$(count "$PY_RESTART")" -eq 0 ]; }
check "ignored and unmatched files restart nothing (1 s later)" nothing_more

# A new folder and a file in it at once (before tend can watch the
# folder), then another file in it later.
mkdir -p "$P/src/pkg/sub" && touch "$P/src/pkg/sub/mod.py"
check "a new folder and a file in it: 'restarting: src/pkg/sub/mod.py changed'" \
	wait_for "$T/out" '^py +\* restarting: src/pkg/sub/mod\.py changed$' 2
check "... and py started again" wait_count "$PY_START" 2 2
sleep 0.5
touch "$P/src/pkg/sub/two.py"
check "a file made later in the new folder restarts it too" \
	wait_for "$T/out" '^py +\* restarting: src/pkg/sub/two\.py changed$' 2
check "... the txt program was left alone" test "$(count "$TXT_RESTART")" = 2

# Saves by rename: a new file renamed over the old one, and vim's own save.
echo new >"$P/.a.txt.tmp" && mv "$P/.a.txt.tmp" "$P/a.txt"
check "a file renamed over a.txt restarts txt" wait_count "$TXT_RESTART" 3 2
check "... saying a.txt" has "$T/out" '^txt +\* restarting: a\.txt changed$'
vim=$(command -v vim.tiny || command -v vim || command -v vi)
sleep 0.5
if [ -n "$vim" ]; then
	(cd "$P" && "$vim" -u NONE -i NONE -N -es '+normal Gox' '+wq' a.txt </dev/null >/dev/null 2>&1)
	check "vim saving a.txt restarts txt" wait_count "$TXT_RESTART" 4 2
	vim_once() {
		stays "$TXT_RESTART" 4 &&
			[ "$(grep -E "$TXT_RESTART" "$T/out" | tail -n 1)" = "txt  * restarting: a.txt changed" ]
	}
	check "... once, saying a.txt" vim_once
else
	ok "vim saving a.txt restarts txt # SKIP no vim"
	ok "... once, saying a.txt # SKIP no vim"
fi

kill -TERM "$TEND_PID"
check "tend stops on SIGTERM" wait_exit "$TEND_PID" 10

# A bad pattern is a note on its program; the others run.
cat >"$P/bad.ini" <<INI
[program:bad]
command = exec sleep 600
watch = ../*.txt
INI
headless "$P/bad.ini"
check "a pattern going up with '..' is a note" wait_for "$T/out" \
	"^bad +\\* watch: '\\.\\./\\*\\.txt': a pattern may not go up with '\\.\\.'$" 5
check "... and the program runs" wait_for "$T/out" '^bad +\* started pid' 5
kill -TERM "$TEND_PID"
wait_exit "$TEND_PID" 10

# inotify's limit on watches, lowered to 5 in a user namespace of our
# own: a tree of 20 folders gets a note, and the 5 watched still work.
L=$T/limit
mkdir -p "$L"
for i in $(seq 20); do mkdir -p "$L/d$i"; done
cat >"$L/tend.ini" <<INI
[program:many]
command = exec sleep 600
watch = **/*.txt
INI
if unshare -U -r sh -c 'echo 5 >/proc/sys/user/max_inotify_watches' 2>/dev/null; then
	unshare -U -r sh -c 'echo 5 >/proc/sys/user/max_inotify_watches &&
		exec "$0" --headless "$1"' "$TEND" "$L/tend.ini" >"$T/out" 2>&1 &
	TEND_PID=$!
	TEND_PIDS+=("$TEND_PID")
	check "the limit reached is a note: 5 folders watched, the rest not" wait_for "$T/out" \
		"^many \\* watch: inotify's limit of 5 watched folders per user is reached .*: 5 folders of $L are watched, the rest are not$" 5
	wait_for "$T/out" '^many \* started pid' 5 >/dev/null 2>&1
	touch "$L/top.txt"
	check "... and what was watched still restarts the program" \
		wait_for "$T/out" '^many \* restarting: top\.txt changed$' 2
	kill -TERM "$TEND_PID"
	wait_exit "$TEND_PID" 10
else
	ok "the limit reached is a note # SKIP no user namespaces (unshare -U -r)"
	ok "... and what was watched still restarts the program # SKIP"
fi
