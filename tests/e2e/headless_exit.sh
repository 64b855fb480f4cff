# Exit statuses told apart, the fds a child sees, stderr merging,
# environment and directory, and the exit status of headless tend.
. "$(dirname "$0")/lib.sh"

mkdir -p "$T/sub"
cat >"$T/fds.py" <<'PY'
import fcntl, os
print("open fds above 2:",
      [fd for fd in range(3, 1024) if os.path.exists("/proc/self/fd/%d" % fd)])
print("stdout nonblock:", bool(fcntl.fcntl(1, fcntl.F_GETFL) & os.O_NONBLOCK))
PY
cat >"$T/tend.ini" <<'INI'
[program:three]
command = echo bye; exit 3

[program:segv]
command = kill -SEGV $$

[program:fds]
command = exec python3 fds.py

[program:merged]
command = echo to-err >&2
redirect_stderr = true

[program:env]
command = echo "greeting=$GREETING other=$OTHER pwd=$(pwd)"
environment = GREETING="hello, world",OTHER='x y'
directory = sub
INI
headless "$T/tend.ini"
check "tend exits when every program has ended" wait_exit "$TEND_PID" 10
check "exit status 1: programs failed on their own" test "$EXIT_STATUS" = 1
check "last line before the end" has "$T/out" '^three +\| bye$'
check "exited 3" has "$T/out" '^three +\* exited 3$'
check "killed by SIGSEGV told apart" has "$T/out" '^segv +\* killed by SIGSEGV \(rc -11\)'
check "no fd leaks into children" has "$T/out" '^fds +\| open fds above 2: \[\]$'
check "child's stdout is blocking" has "$T/out" '^fds +\| stdout nonblock: False$'
check "redirect_stderr merges into stdout" has "$T/out" '^merged +\| to-err$'
check "environment with quotes and commas, directory relative to config" \
	has "$T/out" "^env +\\| greeting=hello, world other=x y pwd=$T/sub\$"
check "the last line comes before the exit" \
	bash -c "grep '^three' '$T/out' | sed -n '2p;3p' | tr -s ' ' | tr '\n' '/' | grep -qx 'three | bye/three \* exited 3/'"
check "summary: exited 3 after" has "$T/out" '^three: exited 3 after [0-9.]+s$'

# All clean exits: status 0.
cat >"$T/ok.ini" <<'INI'
[program:job]
command = echo done
INI
headless "$T/ok.ini"
wait_exit "$TEND_PID" 10
check "exit 0 when every program succeeded" test "$EXIT_STATUS" = 0

# Plain commands are exec'd without a shell: found in the program's own
# PATH, with their words as written, and a script with no #! line still
# runs (the shell takes over when the exec cannot be done).
mkdir -p "$T/bin"
printf '#!/bin/sh\necho "own PATH: $0 $*"\n' >"$T/bin/hello-tend"
printf 'echo "no #! line: $1"\n' >"$T/bin/bare-script"
chmod +x "$T/bin/hello-tend" "$T/bin/bare-script"
cat >"$T/plain.ini" <<INI
[program:ownpath]
command = hello-tend --port=8080 a,b x@y
environment = PATH="$T/bin:/usr/bin:/bin"

[program:bare]
command = exec $T/bin/bare-script ran
INI
headless "$T/plain.ini"
wait_exit "$TEND_PID" 10
check "a plain command is found in the program's own PATH, words as written" \
	has "$T/out" '^ownpath +\| own PATH: '"$T"'/bin/hello-tend --port=8080 a,b x@y$'
check "a script with no #! line is run by the shell" \
	has "$T/out" '^bare +\| no #! line: ran$'
