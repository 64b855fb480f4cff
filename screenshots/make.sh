#!/usr/bin/env bash
# Regenerate screenshots/*.png from the real TUI: tend runs
# config/example.ini inside tmux, the screen is captured with its colours
# (capture-pane -e) and drawn to PNG by render.py.
#   screenshots/make.sh [TEND_BINARY]
set -eu
cd "$(dirname "$0")/.."
tend=$(realpath "${1:-build/tend}")
out=screenshots

missing=""
for p in tmux curl python3-pil fonts-dejavu-core; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	sudo=$([ "$(id -u)" = 0 ] || echo sudo)
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
fi
# Debian's python3 has python3-pil, whatever python3 is first on PATH.
python=/usr/bin/python3

sock=tend-shots-$$
tm() { tmux -L "$sock" -f /dev/null "$@"; }
cleanup() { tm kill-server 2>/dev/null || true; }
trap cleanup EXIT

wait_screen() { # REGEX
	local i
	for i in $(seq 1 200); do
		tm capture-pane -p -t shots | grep -Eq -- "$1" && return 0
		sleep 0.05
	done
	echo "make.sh: timed out waiting for /$1/" >&2
	tm capture-pane -p -t shots >&2
	return 1
}

shot() { # NAME TITLE
	tm capture-pane -p -e -t shots >"$out/$1.ansi"
	$python "$out/render.py" "$out/$1.ansi" "$out/$1.png" --cols 110 \
		--rows 30 --title "$2"
	rm -f "$out/$1.ansi"
	echo "wrote $out/$1.png"
}

tm new-session -d -s shots -x 110 -y 30 \
	"env LANG=C.UTF-8 TERM=screen-256color $tend config/example.ini"
tm set-option -t shots status off >/dev/null
wait_screen '> web +ready'
curl -s -o /dev/null http://127.0.0.1:8070/
tm send-keys -t shots p
wait_screen 'probe ok: GET'
wait_screen 'ticker +running'
sleep 1.5
shot main "tend config/example.ini"

tm send-keys -t shots j j
wait_screen '> repl'
tm send-keys -t shots i
tm send-keys -t shots -l '2+2'
tm send-keys -t shots Enter
wait_screen '│ 4 +│'
tm send-keys -t shots -l 'len("foobar")'
tm send-keys -t shots Enter
wait_screen '│ 6 +│'
shot repl "tend: typing into a REPL"

tm send-keys -t shots Escape z
wait_screen 'build exited 0'
shot tiled "tend: every pane tiled (z)"

tm send-keys -t shots q
sleep 1
