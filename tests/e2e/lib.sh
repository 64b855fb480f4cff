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
tui_start() {
	local w=$1 h=$2 cfg=$3
	tm new-session -d -s tend -x "$w" -y "$h" \
		"env LANG=C.UTF-8 TERM=screen-256color $TEND $cfg; echo TEND-EXIT=\$?;
		 if stty -a | grep -q -- ' -icanon'; then echo TTY-RAW; else echo TTY-SANE; fi; sleep 600"
	tm set-option -t tend status off >/dev/null
}

screen() { tm capture-pane -p -t tend; }
screen_e() { tm capture-pane -p -e -t tend; }
keys() { tm send-keys -t tend "$@"; }
type_text() { tm send-keys -t tend -l "$1"; }

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
