#!/usr/bin/env bash
# Regenerate screenshots/*.png from the real TUI: tend runs
# config/example.ini inside tmux, the screen is captured with its colours
# (tmux capture-pane -e), aha turns the ANSI into HTML and headless
# Chromium renders that page to PNG.
#   screenshots/make.sh [TEND_BINARY]
# Needs tmux, aha, chromium, fonts-dejavu-core and curl: missing ones are
# installed with apt-get (as root, or with sudo).  Not part of `make test`.
set -eu
cd "$(dirname "$0")/.."
tend=$(realpath "${1:-build/tend}")
out=screenshots
cols=120
rows=32

missing=""
for p in tmux aha chromium fonts-dejavu-core curl python3; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	sudo=$([ "$(id -u)" = 0 ] || echo sudo)
	echo "make.sh: installing Debian packages:$missing"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
fi

if curl -s -o /dev/null --max-time 1 http://127.0.0.1:8070/; then
	echo "make.sh: port 8070 is taken; stop what listens there first" >&2
	exit 1
fi

work=$(mktemp -d /tmp/tend-shots.XXXXXX)
sock=tend-shots-$$
tm() { tmux -L "$sock" -f /dev/null "$@"; }
cleanup() {
	tm kill-server 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

wait_screen() { # REGEX [SECONDS]
	local i
	for ((i = 0; i < ${2:-10} * 20; i++)); do
		tm capture-pane -p -t shots | grep -Eq -- "$1" && return 0
		sleep 0.05
	done
	echo "make.sh: timed out waiting for /$1/" >&2
	tm capture-pane -p -t shots >&2
	return 1
}

# aha mishandles reverse video: SGR 39/49 (default colours) inside SGR 7,
# which tmux emits after every reverse, drop the inversion.  This filter
# rewrites each SGR sequence as the complete state from a reset
# ("0;7;32", never 39/49), which aha renders right; dim text becomes grey
# (aha ignores SGR 2).
sgr_normalize() {
	python3 -c '
import re, sys

state = {"attrs": set(), "fg": None, "bg": None}

def apply(params):
    p = [x for x in re.split("[;:]", params)] if params else ["0"]
    i = 0
    while i < len(p):
        n = int(p[i]) if p[i].isdigit() else 0
        if n == 0:
            state.update(attrs=set(), fg=None, bg=None)
        elif n in (1, 2, 3, 4, 5, 7, 8, 9):
            state["attrs"].add(n)
        elif n == 22:
            state["attrs"] -= {1, 2}
        elif 23 <= n <= 29:
            state["attrs"].discard(n - 20)
        elif n in (38, 48) and i + 1 < len(p):
            k = 3 if p[i + 1] == "5" else 5
            val = ";".join(p[i:i + k])
            state["fg" if n == 38 else "bg"] = val
            i += k - 1
        elif 30 <= n <= 37 or 90 <= n <= 97:
            state["fg"] = str(n)
        elif 40 <= n <= 47 or 100 <= n <= 107:
            state["bg"] = str(n)
        elif n == 39:
            state["fg"] = None
        elif n == 49:
            state["bg"] = None
        i += 1
    codes = ["0"] + [str(a) for a in sorted(state["attrs"]) if a != 2]
    fg = state["fg"]
    if fg is None and 2 in state["attrs"]:
        fg = "90"
    codes += [c for c in (fg, state["bg"]) if c]
    return "\033[" + ";".join(codes) + "m"

text = sys.stdin.read()
sys.stdout.write(re.sub("\033\\[([0-9;:]*)m", lambda m: apply(m.group(1)), text))
'
}

# The page: a dark terminal window with cells of DejaVu Sans Mono.  The
# font size makes a cell exactly 9 px wide (the advance is 1233/2048 em),
# so vertical lines fall on the same pixels on every row; the line height
# (17 px) is a little less than the glyphs' height (ascent + descent, 17.4
# px), so box-drawing characters overlap and join from row to row.
cell_w=9
line_px=17
font_px=14.949
pad=12
bar=30
# The page's size in pixels, for the terminal size in cols and rows.
page_size() {
	page_w=$((cols * cell_w + 2 * pad))
	page_h=$((rows * line_px + 2 * pad + bar))
}
page_size

page() { # ANSI_FILE TITLE [CURSOR_X CURSOR_Y] > HTML
	local cursor=""
	if [ $# -ge 4 ]; then
		cursor="<div class=\"cursor\" style=\"left: $((pad + $3 * cell_w))px;
top: $((bar + pad + $4 * line_px))px\"></div>"
	fi
	cat <<EOF
<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>$2</title><style>
html, body { margin: 0; padding: 0; background: #1d1f21; overflow: hidden; }
.bar { height: ${bar}px; background: #2b2d30; color: #9a9da2;
  font: 13px/${bar}px "DejaVu Sans", sans-serif; text-align: center;
  position: relative; }
.dots { position: absolute; left: 12px; top: 10px; }
.dots i { display: inline-block; width: 10px; height: 10px;
  border-radius: 5px; margin-right: 6px; }
pre { margin: 0; padding: ${pad}px; color: #c5c8c6;
  font-family: "DejaVu Sans Mono", monospace; font-size: ${font_px}px;
  line-height: ${line_px}px; font-variant-ligatures: none;
  font-kerning: none; white-space: pre; }
.cursor { position: absolute; width: ${cell_w}px; height: ${line_px}px;
  background: #c5c8c6; opacity: 0.7; }
.bold { font-weight: bold; color: #eaeaea; }
.italic { font-style: italic; }
.underline { text-decoration: underline; }
.crossed-out { text-decoration: line-through; }
.reset, .white { color: #c5c8c6; }
.bold.reset, .bold.white { color: #f2f2f2; }
.inverted { color: #1d1f21; }
.bg-inverted { background-color: #c5c8c6; }
.bg-reset { background-color: #1d1f21; }
.dimgray { color: #1d1f21; }
.highlighted.dimgray { color: #707880; }
.red { color: #cc6666; }       .highlighted.red { color: #ff5f5f; }
.green { color: #b5bd68; }     .highlighted.green { color: #c3e88d; }
.yellow { color: #e6c547; }    .highlighted.yellow { color: #f0c674; }
.blue { color: #81a2be; }      .highlighted.blue { color: #9fc0e0; }
.purple { color: #b294bb; }    .highlighted.purple { color: #c9a8e0; }
.cyan { color: #70c0ba; }      .highlighted.cyan { color: #8be9e2; }
.highlighted.white { color: #ffffff; }
.bg-black { background-color: #1d1f21; }
.bg-red { background-color: #cc6666; }
.bg-green { background-color: #b5bd68; }
.bg-yellow { background-color: #e6c547; }
.bg-blue { background-color: #81a2be; }
.bg-purple { background-color: #b294bb; }
.bg-cyan { background-color: #70c0ba; }
.bg-white { background-color: #c5c8c6; }
</style></head><body>
<div class="bar"><span class="dots"><i style="background:#cc6666"></i><i
style="background:#e6c547"></i><i style="background:#b5bd68"></i></span>$2</div>
<pre>$(sgr_normalize <"$1" | aha --no-header --stylesheet)</pre>
$cursor
</body></html>
EOF
}

shot() { # NAME TITLE
	local cursor
	page_size
	tm capture-pane -p -e -t shots >"$work/$1.ansi"
	# The cursor, where tend shows it (the input line).
	cursor=$(tm display-message -p -t shots \
		'#{?cursor_flag,#{cursor_x} #{cursor_y},}')
	# shellcheck disable=SC2086
	page "$work/$1.ansi" "$2" $cursor >"$work/$1.html"
	rm -f "$out/$1.png"
	# The Debian wrapper script is chatty on stderr; say it only on failure.
	if ! chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--user-data-dir="$work/chromium" --force-device-scale-factor=1 \
		--window-size="$page_w,$page_h" --screenshot="$PWD/$out/$1.png" \
		"file://$work/$1.html" >"$work/chromium.log" 2>&1 ||
		[ ! -s "$out/$1.png" ]; then
		cat "$work/chromium.log" >&2
		echo "make.sh: chromium did not write $out/$1.png" >&2
		exit 1
	fi
	echo "wrote $out/$1.png"
}

title="tend config/example.ini"
tm new-session -d -s shots -x "$cols" -y "$rows" \
	"env LANG=C.UTF-8 TERM=screen-256color $tend config/example.ini"
tm set-option -t shots status off >/dev/null
start=$SECONDS
wait_screen '> web +ready'
# A few requests, so that web's pane has its access log.
for path in / /example.ini /no-such-page; do
	curl -s -o /dev/null "http://127.0.0.1:8070$path"
done

# main: the worker's stdout and its coloured stderr; flaky in backoff.
tm send-keys -t shots j
wait_screen '> worker'
sleep $((8 - (SECONDS - start) > 0 ? 8 - (SECONDS - start) : 0))
wait_screen 'flaky +backoff [1-4]s' 10
shot main "$title"

# merged: every program's lines in one pane, in the order they came (m).
tm send-keys -t shots m
wait_screen '┌─ merged'
sleep 1
shot merged "$title: the merged view (m)"
tm send-keys -t shots m

# filter: worker's pane, only the lines holding "WARN" (f).
tm send-keys -t shots f
tm send-keys -t shots -l 'warn'
tm send-keys -t shots Enter
wait_screen 'FILTER'
shot filter "$title: a filter on worker's pane (f)"
tm send-keys -t shots f

# probe: p on web; the result in the pane and in the title.
tm send-keys -t shots k
wait_screen '> web'
tm send-keys -t shots p
wait_screen 'probe ok: GET'
shot probe "$title: p probes web"

# repl: a conversation typed line after line; the input line stays open.
tm send-keys -t shots j j
wait_screen '> repl'
tm send-keys -t shots i
tm send-keys -t shots -l '2+2'
tm send-keys -t shots Enter
wait_screen '│ 4 +│'
tm send-keys -t shots -l 'len("foobar")'
tm send-keys -t shots Enter
wait_screen '│ 6 +│'
tm send-keys -t shots -l '[n * n for n in range(8)]'
tm send-keys -t shots Enter
wait_screen '49\]'
tm send-keys -t shots -l 'sum(_)'
sleep 0.3
shot repl "$title: typing into a REPL"

# tiled: every pane at once (z); flaky has given up by now.
tm send-keys -t shots Escape z
wait_screen 'build +exited 0'
wait_screen 'flaky +fatal' 15
shot tiled "$title: every pane tiled (z)"

# help: the overlay (?).
tm send-keys -t shots z
tm send-keys -t shots '?'
sleep 0.5
shot help "$title: help (?)"

tm send-keys -t shots Escape q
sleep 1
tm kill-server 2>/dev/null || true

# tiles80: nine programs at 80x24, every one a tile (z).
cols=80 rows=24
{
	for name in api web worker queue mailer cron search cache metrics; do
		printf '[program:%s]\ncommand = i=0; while :; do i=$((i+1)); echo "%s: tick $i"; sleep 0.%d; done\n' \
			"$name" "$name" $((${#name} + 2))
	done
} >"$work/nine.ini"
tm new-session -d -s shots -x "$cols" -y "$rows" \
	"env LANG=C.UTF-8 TERM=screen-256color $tend $work/nine.ini"
tm set-option -t shots status off >/dev/null
wait_screen 'metrics +running'
tm send-keys -t shots z
sleep 3
shot tiles80 "tend nine.ini: nine programs at 80x24 (z)"
tm send-keys -t shots q
sleep 1
tm kill-server 2>/dev/null || true

# pty: vi in a pty pane, a full-screen program in the terminal tend
# emulates, with a top beside it.
cols=120 rows=32
printf '%s\n' "# notes.md" "" "tend runs vi in a terminal of its own:" \
	"every key goes to it in focus mode (i), Ctrl-A leaves." >"$work/notes.md"
cat >"$work/pty.ini" <<INI
[program:editor]
command = vi -u NONE -N notes.md
directory = $work
pty = true

[program:top]
command = top -d 2
pty = true
INI
tm new-session -d -s shots -x "$cols" -y "$rows" \
	"env LANG=C.UTF-8 TERM=screen-256color $tend $work/pty.ini"
tm set-option -t shots status off >/dev/null
wait_screen 'notes.md'
tm send-keys -t shots i
tm send-keys -t shots G o
tm send-keys -t shots -l 'A line typed in focus mode.'
tm send-keys -t shots Escape
sleep 0.5
shot pty "tend pty.ini: vi in a pty pane, focus mode (i)"
tm send-keys -t shots C-a q
sleep 0.5
tm send-keys -t shots q 2>/dev/null || true
sleep 1
