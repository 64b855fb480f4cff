# A Procfile is a config: `tend Procfile` runs its programs on ptys with
# PORT 5000, 5100, ... in file order; with no argument and no tend.ini,
# tend runs ./Procfile; [tend] procfile imports one into an INI file whose
# sections add keys to its programs.  All headless.
. "$(dirname "$0")/lib.sh"

# run_to_end CONFIG...: tend --headless until every program has ended.
run_to_end() {
	timeout 20 "$TEND" --headless "$@" >"$T/out" 2>&1
	EXIT_STATUS=$?
}

cd "$T"
cat >Procfile <<'EOF'
# web first, then worker: PORT 5000 and 5100
web: echo "web got PORT=$PORT"; [ -t 1 ] && echo "web is on a terminal"
worker: echo "worker got PORT=$PORT"
EOF
run_to_end Procfile
check "tend Procfile: exits 0 once both have run" test "$EXIT_STATUS" = 0
check "web gets PORT=5000" has "$T/out" '^web +\| web got PORT=5000$'
check "worker gets PORT=5100" has "$T/out" '^worker +\| worker got PORT=5100$'
check "a Procfile's programs get a pty" has "$T/out" '^web +\| web is on a terminal$'
check "both started on a pty" bash -c "[ \$(grep -c 'started pid [0-9]* on a pty\$' '$T/out') = 2 ]"

out=$("$TEND" --check Procfile 2>&1); rc=$?
check "tend --check Procfile: ok, 2 programs" bash -c "[ $rc = 0 ] && [ \"\$1\" = 'Procfile: ok, 2 programs' ]" _ "$out"

# Any name foreman users give one: Procfile.*, *.procfile.
cp Procfile Procfile.dev
cp Procfile dev.procfile
out=$("$TEND" --check Procfile.dev 2>&1; "$TEND" --check dev.procfile 2>&1)
check "Procfile.dev and dev.procfile are Procfiles too" bash -c \
	"[ \"\$1\" = \"\$(printf 'Procfile.dev: ok, 2 programs\ndev.procfile: ok, 2 programs')\" ]" _ "$out"

# A bad line is an error with the Procfile's file:line; nothing starts.
printf 'web: touch started\nworker sleep 1\n' >bad.procfile
out=$("$TEND" --headless bad.procfile 2>&1); rc=$?
check "a bad Procfile line: exit 2, file:line, nothing started" bash -c \
	"[ $rc = 2 ] && [ \"\$1\" = \"bad.procfile:2: 'worker sleep 1' is not 'NAME: command'\" ] && [ ! -e started ]" _ "$out"

# No argument, no tend.ini: ./Procfile.
mkdir only && cp Procfile only/
(cd only && timeout 20 "$TEND" --headless >"$T/out" 2>&1)
check "tend with no argument runs ./Procfile" has "$T/out" '^worker +\| worker got PORT=5100$'
check "... and web with it" has "$T/out" '^web +\| web got PORT=5000$'
printf '[program:ini]\ncommand = echo from tend.ini\n' >only/tend.ini
(cd only && timeout 20 "$TEND" --headless >"$T/out" 2>&1)
check "with a tend.ini there too, tend.ini wins" bash -c \
	"grep -q '^ini *| from tend.ini\$' '$T/out' && ! grep -q '^web' '$T/out'"

# [tend] procfile: the Procfile's programs first, a section of the same
# name adds keys (its environment wins over PORT, its pty = false over
# the Procfile's pty), port_base moves the ports.
mkdir import && cd import
cat >Procfile.dev <<'EOF'
web: echo "web $GREETING PORT=$PORT"; [ -t 1 ] || echo "web is on pipes"
worker: echo "worker PORT=$PORT"
release: echo "release PORT=$PORT"
EOF
cat >tend.ini <<'EOF'
[tend]
procfile = Procfile.dev
port_base = 7000

[program:web]
environment = GREETING=hello
pty = false

[program:release]
environment = PORT=9999

[program:after]
command = echo "after PORT=${PORT:-none}"
depends_on = worker:completed
EOF
run_to_end tend.ini
check "imported: exits 0" test "$EXIT_STATUS" = 0
check "the section's environment reaches the Procfile's web" has "$T/out" '^web +\| web hello PORT=7000$'
check "the section's pty = false wins" has "$T/out" '^web +\| web is on pipes$'
check "port_base: worker gets 7100" has "$T/out" '^worker +\| worker PORT=7100$'
check "the section's environment PORT wins over the Procfile's" has "$T/out" '^release +\| release PORT=9999$'
check "an INI-only program gets no PORT, and its depends_on works" has "$T/out" '^after +\| after PORT=none$'
cd "$T"

printf '[tend]\nprocfile = nope.procfile\n[program:a]\ncommand = true\n' >missing.ini
out=$("$TEND" --check missing.ini 2>&1); rc=$?
check "a procfile that is not there: exit 2, the INI's file:line" bash -c \
	"[ $rc = 2 ] && [ \"\$1\" = 'missing.ini:2: procfile: nope.procfile: cannot open: No such file or directory' ]" _ "$out"
