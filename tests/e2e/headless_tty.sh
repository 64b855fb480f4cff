# Headless on a terminal: a child's escape sequences are neutralised (into
# a pipe or a file every byte goes as it came, for logs).  A 10 MB config.
. "$(dirname "$0")/lib.sh"

cat >"$T/evil.ini" <<'INI'
[program:evil]
command = printf '\033]0;pwned\007\033[2Jtext:\033[31mX\033[0m\000nul\n'
INI
NO_COLOR=1 script -qec "$TEND --headless $T/evil.ini" /dev/null >"$T/tty.out" 2>&1
check "on a terminal with NO_COLOR: no escape character reaches it" bash -c "! grep -q $'\\e' '$T/tty.out'"
check "on a terminal: the text is shown, NUL as a picture" has "$T/tty.out" 'evil \| text:X␀nul'
script -qec "$TEND --headless $T/evil.ini" /dev/null >"$T/color.out" 2>&1
check "on a terminal in colour: only SGR sequences reach it (no title, no clear)" \
	bash -c "grep -q $'\\e\\\\[' '$T/color.out' && ! grep -aP '\\e(?!\\[[0-9;]*m)' '$T/color.out' | grep -q ."
check "on a terminal in colour: the program's red is kept" has "$T/color.out" $'text:\e\\[0;31mX\e\\[0m␀nul'
"$TEND" --headless "$T/evil.ini" >"$T/pipe.out" 2>&1
check "into a pipe: every byte as it came" \
	bash -c "grep -a 'evil | ' '$T/pipe.out' | cmp -s - <(printf 'evil | \\033]0;pwned\\007\\033[2Jtext:\\033[31mX\\033[0m\\000nul\\n')"

# 10 MB of config: a few programs and a lot of comments, or 5000 programs.
python3 - "$T" <<'PY'
import sys
d = sys.argv[1]
with open(d + "/big.ini", "w") as f:
    f.write("[program:a]\ncommand = true\n")
    line = "; " + "x" * 150 + "\n"
    f.write(line * (10 * 1024 * 1024 // len(line)))
with open(d + "/many.ini", "w") as f:
    for i in range(5000):
        f.write("[program:p%d]\ncommand = echo %d %s\n" % (i, i, "y" * 150))
PY
start=$(date +%s%N)
out=$("$TEND" --check "$T/big.ini" 2>&1); rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
check "a 10 MB config loads (${ms} ms)" bash -c "[ $rc = 0 ] && [ $ms -lt 5000 ]"
out=$("$TEND" --check "$T/many.ini" 2>&1); rc=$?
check "5000 programs: refused with a clear line, exit 2" \
	bash -c "[ $rc = 2 ] && printf '%s\n' \"\$1\" | grep -qx '$T/many.ini:8193: more than 4096 programs'" _ "$out"
