# .env and env_file reach the programs with the documented precedence:
# tend's own environment < .env < [tend] env_file < the program's
# env_file < its environment.  One variable set at every level, each
# program prints it; and one variable per level, so each level is seen
# to count.  A missing .env is fine, a missing env_file an error.
. "$(dirname "$0")/lib.sh"

run_to_end() {
	timeout 20 "$TEND" --headless "$@" >"$T/out" 2>&1
	EXIT_STATUS=$?
}

mkdir -p "$T/all" && cd "$T/all"
cat >.env <<'EOF'
# the .env next to the config, read without being named
V=dotenv
export L2=dotenv
L3=dotenv
L4=dotenv
L5=dotenv
QUOTED="a # not a comment"   # a comment
REF=${L1}+$L2
EOF
cat >shared.env <<'EOF'
V=shared
L3=shared
L4=shared
L5=shared
EOF
cat >own.env <<'EOF'
V=own
L4=own
L5=own
EOF
cat >tend.ini <<'EOF'
[tend]
env_file = shared.env

[program:base]
command = echo "base V=$V"

[program:file]
command = echo "file V=$V"
env_file = own.env

[program:env]
command = echo "env V=$V"; echo "levels $L1 $L2 $L3 $L4 $L5"; echo "quoted $QUOTED"; echo "ref $REF"
env_file = own.env
environment = V=environment,L5=environment
EOF
export V=tend L1=tend L2=tend L3=tend L4=tend L5=tend
run_to_end tend.ini
check "runs and exits 0" test "$EXIT_STATUS" = 0
check "[tend] env_file over .env over tend's environment" has "$T/out" '^base +\| base V=shared$'
check "the program's env_file over [tend] env_file" has "$T/out" '^file +\| file V=own$'
check "environment over everything" has "$T/out" '^env +\| env V=environment$'
check "each level counts: tend .env [tend]env_file env_file environment" \
	has "$T/out" '^env +\| levels tend dotenv shared own environment$'
check ".env syntax: a quoted value keeps its '#'" has "$T/out" '^env +\| quoted a # not a comment$'
check ".env references: tend's environment and the file's own values" has "$T/out" '^env +\| ref tend\+dotenv$'

# Only a .env: it counts over tend's own environment.
mkdir -p "$T/dot" && cd "$T/dot"
printf 'V=dotenv\n' >.env
printf '[program:p]\ncommand = echo "p V=$V"\n' >tend.ini
run_to_end tend.ini
check "a .env alone lays over tend's environment" has "$T/out" '^p +\| p V=dotenv$'

# No .env: fine, tend's environment.
rm .env
run_to_end tend.ini
check "no .env: no message, tend's own value" bash -c \
	"grep -q '^p *| p V=tend\$' '$T/out' && ! grep -q -e warning -e '\\.env' '$T/out'"

# A Procfile reads the .env next to it, as foreman does.
printf 'V=procfile-dotenv\n' >.env
printf 'web: echo "web V=$V"\n' >Procfile
run_to_end Procfile
check "a Procfile's programs get the .env next to it" has "$T/out" '^web +\| web V=procfile-dotenv$'

# Errors: file:line, exit 2, nothing started.
printf 'OK=1\nbroken line\n' >.env
out=$("$TEND" --headless tend.ini 2>&1); rc=$?
check "a bad .env line: exit 2 with .env:LINE" bash -c \
	"[ $rc = 2 ] && [ \"\$1\" = \".env:2: no '=' after broken (a line is KEY=value)\" ]" _ "$out"
rm .env
printf '[program:p]\ncommand = touch started\nenv_file = nope.env\n' >missing.ini
out=$("$TEND" --headless missing.ini 2>&1); rc=$?
check "a missing env_file: exit 2 with the config's file:line" bash -c \
	"[ $rc = 2 ] && [ \"\$1\" = 'missing.ini:3: env_file: nope.env: cannot open: No such file or directory' ] && [ ! -e started ]" _ "$out"
