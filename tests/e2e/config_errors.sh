# Bad configs: one clear "file:line: ..." line each, exit 2, nothing started.
. "$(dirname "$0")/lib.sh"
cd "$T"

# bad NAME EXPECTED-MESSAGE: tend.ini (written by the caller) is refused.
bad() {
	local name=$1 want=$2 out rc
	rm -f started
	out=$("$TEND" --headless tend.ini 2>&1)
	rc=$?
	if [ "$rc" = 2 ] && printf '%s\n' "$out" | grep -qxF -- "$want" && [ ! -e started ]; then
		ok "$name"
	else
		not_ok "$name"
		echo "# exit $rc, wanted: $want" ; printf '%s\n' "$out" | sed 's/^/#   got: /'
	fi
}

printf '[program:web]\ncommand = touch started\ncomand = x\n' >tend.ini
bad "misspelt key names the nearest" "tend.ini:3: unknown key 'comand' in [program:web]; did you mean 'command'?"

printf '[program:web]\ncommand = touch started\nstopwaitsecs = abc\n' >tend.ini
bad "stopwaitsecs = abc" "tend.ini:3: stopwaitsecs: 'abc' is not a whole number of seconds"

printf '[program:web]\ncommand = touch started\nstopsignal = FOO\n' >tend.ini
bad "stopsignal = FOO" "tend.ini:3: stopsignal: 'FOO' is not a signal tend can send (TERM INT QUIT HUP KILL USR1 USR2)"

printf '[program:web]\ncommand = touch started\nautorestart = maybe\n' >tend.ini
bad "autorestart = maybe" "tend.ini:3: autorestart: 'maybe' must be true, false or unexpected"

printf '[program:web]\ncommand = touch started\n[program:web]\ncommand = true\n' >tend.ini
bad "duplicate program" "tend.ini:3: duplicate program 'web' (first at line 1)"

printf '[program:web]\ndirectory = .\n[program:ok]\ncommand = touch started\n' >tend.ini
bad "section without command" "tend.ini:1: [program:web] has no command"

: >tend.ini
bad "empty config" "tend.ini: no [program:NAME] sections"

rm -f tend.ini
bad "missing file" "tend.ini: cannot open: No such file or directory"

mkdir -p dir.ini
out=$("$TEND" --check dir.ini 2>&1); rc=$?
check "a directory as config: exit 2 and says why" bash -c "[ $rc = 2 ] && printf '%s' \"\$1\" | grep -q '^dir.ini: cannot open: '" _ "$out"

head -c 4096 /dev/urandom >tend.ini
out=$("$TEND" --check tend.ini 2>&1); rc=$?
check "binary garbage: exit 2 with file:line errors" bash -c "[ $rc = 2 ] && printf '%s' \"\$1\" | grep -q '^tend.ini:[0-9]*: '" _ "$out"

printf '[supervisord]\nlogfile = /tmp/x.log\n[program:web]\ncommand = touch started\nserverurl = AUTO\n' >tend.ini
out=$("$TEND" --check tend.ini 2>&1); rc=$?
check "supervisord section and key: warnings, exit 0" bash -c "[ $rc = 0 ] &&
	printf '%s' \"\$1\" | grep -qx 'warning: tend.ini:1: \[supervisord\] is a supervisord section; tend skips it' &&
	printf '%s' \"\$1\" | grep -q \"^warning: tend.ini:5: 'serverurl' is a supervisord key tend does not implement\"" _ "$out"
check "--check does not start anything" test ! -e started
check "--check reports ok" bash -c "printf '%s' \"\$1\" | grep -qx 'tend.ini: ok, 1 program'" _ "$out"

# refused NAME FILE WANT: `tend --check FILE` exits 2 with exactly WANT,
# within 5 s (a FIFO must not hang it).
refused() {
	local name=$1 file=$2 want=$3 out rc
	out=$(timeout 5 "$TEND" --check "$file" 2>&1); rc=$?
	if [ "$rc" = 2 ] && [ "$out" = "$want" ]; then
		ok "$name"
	else
		not_ok "$name"
		echo "# exit $rc, wanted: $want"; printf '%s\n' "$out" | head -c 2000 | sed 's/^/#   got: /'
	fi
}

refused "/dev/zero is refused, not read" /dev/zero \
	"/dev/zero: not a regular file (a character device)"
refused "/dev/urandom is refused, not read" /dev/urandom \
	"/dev/urandom: not a regular file (a character device)"
mkfifo fifo.ini
refused "a FIFO is refused without hanging" fifo.ini \
	"fifo.ini: not a regular file (a FIFO)"
{ printf '[program:web]\ncommand = touch started\n'; yes '; padding'; } |
	head -c $((17 * 1024 * 1024)) >big.ini
refused "a 17 MiB config is refused" big.ini \
	"big.ini: too large (17 MiB; the limit is 16 MiB)"
rm -f big.ini

printf '[program:web]\ncommand = touch started\n' >real.ini
ln -s real.ini link.ini
out=$("$TEND" --check link.ini 2>&1); rc=$?
check "a symlink to a regular file is read" bash -c "[ $rc = 0 ] && [ \"\$1\" = 'link.ini: ok, 1 program' ]" _ "$out"

# A key or value quoting control characters: shown escaped, never raw, so
# printing the error cannot retitle or reprogram the terminal.
escaped() {
	local out=$1
	printf '%s\n' "$out" | grep -qxF "tend.ini:3: unknown key '\\x1b]2;PWN\\x07' in [program:web]" &&
		printf '%s\n' "$out" | grep -qxF "tend.ini:4: stopsignal: '\\x1b[2J\\rX' is not a signal tend can send (TERM INT QUIT HUP KILL USR1 USR2)" &&
		! printf '%s' "$out" | LC_ALL=C grep -q $'[\001-\011\013-\037\177]'
}
printf '[program:web]\ncommand = touch started\n\033]2;PWN\007 = x\nstopsignal = \033[2J\rX\n' >tend.ini
out=$("$TEND" --check tend.ini 2>&1); rc=$?
if [ "$rc" = 2 ] && escaped "$out"; then
	ok "control characters in messages are escaped"
else
	not_ok "control characters in messages are escaped"
	printf '%s\n' "$out" | od -c | sed 's/^/#   got: /'
fi
