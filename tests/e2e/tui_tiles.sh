# Tiles never hide a program: a grid at 80x24 with 9 programs, one-line
# rows past that (40 programs at 80x24), a grid again at 160x45; the
# selected one always shows; a click on a tile selects it; every size
# down to 1x1 draws inside its borders; the key bar at 80 columns keeps
# ? help and q quit.
. "$(dirname "$0")/lib.sh"

names() {
	local n=$1 i
	for ((i = 1; i <= n; i++)); do
		printf '[program:p%02d]\ncommand = echo "out of p%02d"; exec sleep 600\n' "$i" "$i"
	done
}
# every_name N WHAT: every pNN shows on screen, as WHAT says (a tile's
# title "┌─ pNN", or a one-line row " pNN state").
every_name() {
	local n=$1 how=$2 i missing=""
	for ((i = 1; i <= n; i++)); do
		case $how in
		tile) screen | grep -q "┌─ $(printf p%02d "$i") " || missing="$missing $i" ;;
		any) screen | grep -Eq "(┌─ | )$(printf p%02d "$i") " || missing="$missing $i" ;;
		esac
	done
	[ -z "$missing" ] && return 0
	echo "# missing:$missing" >&2
	screen | sed 's/^/#   |/' >&2
	return 1
}

names 9 >"$T/nine.ini"
tui_start 80 24 "$T/nine.ini"
check "nine programs are up" wait_screen 'p09 +running'
keys z
check "z at 80x24: every one of 9 programs has a tile with its title" \
	eval 'sleep 0.3; every_name 9 tile'
check "... and each tile shows its output" \
	bash -c "[ \$(screen | grep -o 'out of p0[1-9]' | sort -u | wc -l) = 9 ]"
# Click on the tile of p05: the middle one of a 3x3 grid.
type_text $'\e[M I/'
check "a click on a tile selects it (its title is reversed)" \
	bash -c "sleep 0.3; screen_e | grep -q $'\e\\[[0-9;]*7m[^\e]*p05'"
keys z
check "z again: the list and one pane" wait_screen '┌─ programs'
check "the key bar at 80 columns keeps ? help and q quit" \
	bash -c "screen | tail -n 1 | grep -q '? help' && screen | tail -n 1 | grep -q 'q quit'"
check "... and fits in the width" bash -c "[ \$(screen | tail -n 1 | sed 's/ *$//' | wc -m) -le 81 ]"
keys q
check "quit" wait_screen 'TEND-EXIT=0'
tm kill-server

names 40 >"$T/forty.ini"
tui_start 80 24 "$T/forty.ini"
check "forty programs are up" wait_screen 'p01 +running'
sleep 1
keys z
check "z at 80x24 with 40 programs: every name shows" eval 'sleep 0.3; every_name 40 any'
check "... the selected one has a tile" wait_screen '┌─ p01 running'
check "... each row has its state and latest line" wait_screen ' p17 running +out of p17'
for ((i = 0; i < 29; i++)); do keys j; done
check "selecting p30 gives it the tile" wait_screen '┌─ p30 running'
check "... and every name still shows" eval 'every_name 40 any'
tm resize-window -t tend -x 160 -y 45
check "at 160x45 with 40 programs: a tile each, with its title" \
	eval 'sleep 0.5; every_name 40 tile'
# Every size down to 1x1: nothing drawn outside its box, nothing lost.
for size in 25x6 20x5 12x4 5x3 1x1 80x24; do
	tm resize-window -t tend -x "${size%x*}" -y "${size#*x}"
	sleep 0.3
	check "tiled at $size: tend is still up" bash -c "kill -0 $(tend_pid)"
done
keys z
for size in 25x6 20x5 12x4 5x3 2x2 1x1; do
	tm resize-window -t tend -x "${size%x*}" -y "${size#*x}"
	sleep 0.3
	check "at $size: tend is still up" bash -c "kill -0 $(tend_pid)"
done
tm resize-window -t tend -x 25 -y 6
sleep 0.3
check "at 25x6 the list's text stays in its box (each row ends at a border)" \
	bash -c "screen | sed -n 2,4p | grep -Eq '^│.*││.*│$'"
check "... the list's title does not run over its corner" \
	bash -c "screen | head -n 1 | grep -Eq '^┌─.*┐┌─.*┐$'"
tm resize-window -t tend -x 20 -y 5
sleep 0.3
check "at 20x5 too" bash -c "screen | sed -n 2,3p | grep -Eq '^│.*││.*│$' && screen | head -n 1 | grep -Eq '^┌─.*┐┌─.*┐$'"
tm resize-window -t tend -x 80 -y 24
check "back at 80x24: the whole screen" wait_screen '┌─ programs'
keys q
check "quit" wait_screen 'TEND-EXIT=0'
