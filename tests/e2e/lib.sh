# Helpers for the end-to-end tests: each test script sources this, runs the
# real tend binary ($TEND) against real children, and prints TAP lines.
set -u
: "${TEND:?TEND must name the tend binary}"

# The locale tests/run.sh sets, for a script run by itself: the checks
# match tend's UTF-8 output, which the C locale cannot.
export LC_ALL=C.UTF-8 LANG=C.UTF-8
unset LANGUAGE

T=$(mktemp -d /tmp/tend-e2e.XXXXXX)
TEND_PIDS=()

e2e_cleanup() {
	local pid
	for pid in "${TEND_PIDS[@]}"; do
		kill -KILL "$pid" 2>/dev/null
	done
	rm -rf "$T"
}
trap e2e_cleanup EXIT

ok() { echo "ok - $*"; }

# The binary under test is built with AddressSanitizer: its quarantine
# holds freed memory back, so RSS says nothing about tend's own use.
sanitized() { grep -q __asan_init "$TEND"; }

# check_rss NAME TEST...: a memory check, skipped under ASan.
check_rss() {
	local name=$1
	shift
	if sanitized; then
		ok "$name (not measured under ASan)"
	else
		check "$name" "$@"
	fi
}
not_ok() { echo "not ok - $*"; }

# check NAME COMMAND...: "ok" when COMMAND succeeds.
check() {
	local name=$1
	shift
	if "$@"; then ok "$name"; else not_ok "$name"; fi
}

# wait_for FILE EXTENDED-REGEX [SECONDS]: until a line of FILE matches.
wait_for() {
	local file=$1 re=$2 secs=${3:-10} i
	for ((i = 0; i < secs * 20; i++)); do
		grep -Eq -- "$re" "$file" 2>/dev/null && return 0
		sleep 0.05
	done
	echo "# timed out after ${secs}s waiting for /$re/ in $file:" >&2
	tail -n 15 "$file" 2>/dev/null | sed 's/^/#   /' >&2
	return 1
}

# has FILE EXTENDED-REGEX: a line of FILE matches now.
has() {
	grep -Eq -- "$2" "$1" || {
		echo "# no /$2/ in $1:" >&2
		tail -n 15 "$1" | sed 's/^/#   /' >&2
		return 1
	}
}

# wait_exit PID [SECONDS]: until PID is gone; its status in $EXIT_STATUS.
wait_exit() {
	local pid=$1 secs=${2:-15} i
	for ((i = 0; i < secs * 20; i++)); do
		if ! kill -0 "$pid" 2>/dev/null; then
			wait "$pid"
			EXIT_STATUS=$?
			return 0
		fi
		sleep 0.05
	done
	echo "# pid $pid still running after ${secs}s" >&2
	return 1
}

# headless CONFIG: start tend in the background, output in $T/out.
headless() {
	"$TEND" --headless "$1" >"$T/out" 2>&1 &
	TEND_PID=$!
	TEND_PIDS+=("$TEND_PID")
}

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# gone PID...: none of the processes exists any more (a zombie whose
# parent died is gone too: it only waits for init to reap it).
gone() {
	local pid
	for pid in "$@"; do
		if kill -0 "$pid" 2>/dev/null &&
			! ps -o stat= -p "$pid" | grep -q '^Z'; then
			echo "# pid $pid is still alive: $(ps -o pid=,stat=,cmd= -p "$pid")" >&2
			return 1
		fi
	done
}

# --- the TUI inside tmux ------------------------------------------------

TMUX_SOCK="tend-e2e-$$"
tm() { tmux -L "$TMUX_SOCK" -f /dev/null "$@"; }

tui_cleanup() {
	tm kill-server 2>/dev/null
	e2e_cleanup
}
trap tui_cleanup EXIT

# tui_start W H CONFIG: run tend in a detached tmux session of W x H; the
# shell stays after tend exits, so the exit summary can be read, and says
# whether tend left the terminal sane (TTY-SANE) or in raw mode (TTY-RAW).
# A server just told to go (tm kill-server) may still hold the socket for
# a moment; a new session on it fails then ("server exited
# unexpectedly"), so it is tried again until one is up.
tui_start() {
	local w=$1 h=$2 cfg=$3 i
	for ((i = 0; i < 50; i++)); do
		tm new-session -d -s tend -x "$w" -y "$h" \
			"env LANG=C.UTF-8 TERM=screen-256color $TEND $cfg; echo TEND-EXIT=\$?;
			 if stty -a | grep -q -- ' -icanon'; then echo TTY-RAW; else echo TTY-SANE; fi; sleep 600" \
			2>/dev/null && tm has-session -t tend 2>/dev/null && break
		sleep 0.1
	done
	tm set-option -t tend status off >/dev/null
}

screen() { tm capture-pane -p -t tend; }
screen_e() { tm capture-pane -p -e -t tend; }
keys() { tm send-keys -t tend "$@"; }
type_text() { tm send-keys -t tend -l "$1"; }

# focused: the selected pane's title says tend is in focus mode.
focused() { screen | head -n 1 | grep -q '· FOCUS —'; }

# leave_focus: Ctrl-A out of focus mode, then wait for the redraw that
# shows it.  A Ctrl-A sent right after leaving reaches the program (Ctrl-A
# Ctrl-A sends one Ctrl-A), so a test that read a stale FOCUS title and
# pressed Ctrl-A again would be focused again, its keys going to the
# program.
leave_focus() {
	local i
	keys C-a
	for ((i = 0; i < 100; i++)); do
		focused || return 0
		sleep 0.05
	done
	echo "# still in focus mode 5 s after Ctrl-A" >&2
	return 1
}

# unfocus: leave focus mode if tend is in it, so that a section that
# failed half-way does not send the next sections' keys to its program.
unfocus() { if focused; then leave_focus; fi; }

# wait_screen EXTENDED-REGEX [SECONDS]: until the screen shows a match.
wait_screen() {
	local re=$1 secs=${2:-10} i
	for ((i = 0; i < secs * 20; i++)); do
		screen | grep -Eq -- "$re" && return 0
		sleep 0.05
	done
	echo "# timed out after ${secs}s waiting for /$re/ on screen:" >&2
	screen | sed 's/^/#   |/' >&2
	return 1
}

# no_screen EXTENDED-REGEX: the screen does not show it now.
# tend_pid: the pid of the tend running in the tmux session (a child of
# the pane's shell).
tend_pid() {
	pgrep -P "$(tm display-message -p -t tend '#{pane_pid}')" | head -n 1
}

no_screen() {
	if screen | grep -Eq -- "$1"; then
		echo "# /$1/ is on screen:" >&2
		screen | sed 's/^/#   |/' >&2
		return 1
	fi
}
export TMUX_SOCK
export -f tm screen screen_e

# --- tend ctl --------------------------------------------------------------

# The arguments every ctl_do passes before the command (a test sets
# them: -c "$T/tend.ini" or --socket PATH).
CTL_ARGS=()

# ctl_do STATUS ARGS...: `tend ctl ARGS` (bounded by 20 s) exits STATUS;
# its stdout in $T/ctl.out, its stderr in $T/ctl.err (and added to
# $T/ctl-all.err), the milliseconds it took in $CTL_MS.
ctl_do() {
	local want=$1 start
	shift
	start=$(date +%s%N)
	timeout 20 "$TEND" ctl "${CTL_ARGS[@]}" "$@" >"$T/ctl.out" 2>"$T/ctl.err"
	CTL_STATUS=$?
	CTL_MS=$((($(date +%s%N) - start) / 1000000))
	cat "$T/ctl.err" >>"$T/ctl-all.err"
	[ "$CTL_STATUS" = "$want" ] && return 0
	echo "# tend ctl $*: exit $CTL_STATUS, not $want" >&2
	sed 's/^/#   out: /' "$T/ctl.out" >&2
	sed 's/^/#   err: /' "$T/ctl.err" >&2
	return 1
}

# same FILE TEXT: FILE holds exactly TEXT (printf's %b), else show both.
same() {
	local want
	want=$(printf '%b' "$2")
	[ "$(cat "$1")" = "$want" ] && return 0
	echo "# $1 is not as expected:" >&2
	diff <(echo "$want") "$1" | sed 's/^/#   /' >&2
	return 1
}

# json_ok PYTHON-EXPRESSION: true when the expression holds for s, the
# parsed `status --json` in $T/ctl.out, and p, its programs by name.
json_ok() {
	python3 - "$T/ctl.out" "$1" <<'PY'
import json, sys
try:
    s = json.load(open(sys.argv[1]))
except ValueError as e:
    print("# not JSON (%s): %r" % (e, open(sys.argv[1]).read(300)), file=sys.stderr)
    sys.exit(1)
p = {o["name"]: o for o in s}
if not eval("(" + sys.argv[2] + ")"):
    print("# not true: %s" % sys.argv[2], file=sys.stderr)
    for o in s:
        print("#   %s" % json.dumps(o), file=sys.stderr)
    sys.exit(1)
PY
}

# no_sanitizer_report FILE...: no AddressSanitizer, LeakSanitizer or
# UBSan report in the files (tend's stderr, its clients').
no_sanitizer_report() {
	local f
	for f in "$@"; do
		[ -e "$f" ] || continue
		if grep -Eq 'runtime error:|AddressSanitizer|LeakSanitizer' "$f"; then
			echo "# a sanitizer report in $f:" >&2
			grep -E -A 12 'runtime error:|AddressSanitizer|LeakSanitizer' "$f" |
				head -n 30 | sed 's/^/#   /' >&2
			return 1
		fi
	done
}

# ctl_up [SECONDS]: until `tend ctl status` answers (tend is up).
ctl_up() {
	local secs=${1:-10} i
	for ((i = 0; i < secs * 10; i++)); do
		timeout 5 "$TEND" ctl "${CTL_ARGS[@]}" status >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "# tend ctl ${CTL_ARGS[*]} status: no answer after ${secs}s" >&2
	return 1
}

# up_or_bail WHAT FILE: ctl_up, else say why (FILE: tend's output) and
# end the script: without a tend to talk to, no later check means much.
up_or_bail() {
	if ctl_up 15; then
		ok "$1"
		return 0
	fi
	not_ok "$1"
	echo "# tend's output ($2):"
	tail -n 20 "$2" 2>/dev/null | sed 's/^/#   /'
	echo "Bail out! no tend to talk to"
	exit 1
}

# wait_file FILE [SECONDS]: until FILE exists (empty or not).
wait_file() {
	local i
	for ((i = 0; i < ${2:-10} * 20; i++)); do
		[ -e "$1" ] && return 0
		sleep 0.05
	done
	echo "# no $1 after ${2:-10}s" >&2
	return 1
}

# The pane's rows as text: the gutter cut off, trailing blanks too.
pane() {
	screen | python3 -c '
import sys
for l in sys.stdin.read().split("\n")[1:]:
    if l.startswith("└"):
        break
    parts = l.split("││", 1)
    if len(parts) == 2:
        print(parts[1][1:].rstrip("│").rstrip())'
}
