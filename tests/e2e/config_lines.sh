# Lines of any length, inline comments said out loud, and what --check
# finds that would fail at start.  Headless.
. "$(dirname "$0")/lib.sh"
cd "$T"

# A command of more than 10,000 characters (2,000 words) runs whole: a
# piece lost or doubled at one of inih's 200-byte buffers would change
# the count.
{
	printf '[program:long]\ncommand = echo'
	for i in $(seq 1 2000); do printf ' w%04d' "$i"; done
	printf ' | wc -w\n'
} >long.ini
len=$(sed -n 2p long.ini | wc -c)
check "the command line is over 10,000 characters ($len)" test "$len" -gt 10000
out=$("$TEND" --check long.ini 2>&1); rc=$?
check "--check takes it, no warning" bash -c "[ $rc = 0 ] && [ \"\$1\" = 'long.ini: ok, 1 program' ]" _ "$out"
timeout 20 "$TEND" --headless long.ini >"$T/out" 2>&1
check "it runs: 2000 words" has "$T/out" '^long +\| 2000$'

# ' ;' starts a comment (supervisord's rule), never silently.
cat >comment.ini <<'EOF'
[program:loop]
command = echo one ; echo two
autostart = true ; a comment after a boolean cuts nothing worth a word
EOF
out=$("$TEND" --check comment.ini 2>&1); rc=$?
want='warning: comment.ini:2: command: " ; echo two" was read as a comment and cut; to keep it, write ";" with no space before it, or put the command in a script (a comment of its own goes on a line of its own)'
check "--check warns with file:line and the text cut" bash -c \
	"[ $rc = 0 ] && printf '%s\n' \"\$1\" | grep -qxF -- '$want'" _ "$out"
check "only that one warning" bash -c "[ \$(printf '%s\n' \"\$1\" | grep -c warning) = 1 ]" _ "$out"
timeout 20 "$TEND" --headless comment.ini >"$T/out" 2>&1
check "start-up warns too" has "$T/out" '^warning: comment.ini:2: command: " ; echo two" was read as a comment and cut'
check "what runs is what was kept" bash -c "grep -q '^loop *| one\$' '$T/out' && ! grep -q 'two' <(grep '^loop *|' '$T/out')"

# --check: what would fail at start.
cat >check.ini <<'EOF'
[program:nodir]
command = true
directory = no/such/folder

[program:typo]
command = pyhton3-no-such -m http.server

[program:web]
command = exec sleep 1
environment = PORT=8000

[program:api]
command = sleep 1
environment = PORT=8000
EOF
out=$("$TEND" --check check.ini 2>&1); rc=$?
check "--check: a missing directory is an error (exit 2)" bash -c \
	"[ $rc = 2 ] && printf '%s\n' \"\$1\" | grep -qxF 'check.ini:3: [program:nodir]: directory $T/no/such/folder does not exist'" _ "$out"
check "--check: a first word not on PATH is a warning" bash -c \
	"printf '%s\n' \"\$1\" | grep -qF \"warning: check.ini:6: [program:typo]: command: 'pyhton3-no-such' is not a shell builtin and not on PATH\"" _ "$out"
check "--check: the same PORT twice is a warning" bash -c \
	"printf '%s\n' \"\$1\" | grep -qxF 'warning: check.ini:12: [program:api] gets PORT=8000, as [program:web] does'" _ "$out"
mkdir -p no/such/folder
out=$("$TEND" --check check.ini 2>&1); rc=$?
check "--check: with the folder there, warnings only (exit 0)" bash -c \
	"[ $rc = 0 ] && ! printf '%s\n' \"\$1\" | grep -v -e '^warning: ' -e ': ok, 4 programs\$'" _ "$out"
