# The documentation agrees with the program: the man page is clean roff
# and installs; README.md, tend.1 and the real help overlay list the same
# keys; tend --help the same options and tend --version the same version
# as tend.1; README.md, tend.1 and src/config.c the same config keys, and
# every example in README's config reference passes tend --check.
. "$(dirname "$0")/lib.sh"

README=README.md
MAN=tend.1

# docs.py WHAT FILE: one item a line, extracted from README.md, tend.1,
# src/config.c, a capture of the help overlay or the --help text.
cat >"$T/docs.py" <<'PY'
import re, shlex, sys

what, path = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()

def tokens(col):
    """Key names in a key column: 'j/k, Down/Up', 'i or Enter', '/  n  N'."""
    out = []
    for t in re.split(r"[\s,]+", col.replace("`", "")):
        if t in ("", "or", "and"):
            continue
        if len(t) > 1 and "/" in t:
            out += [x for x in t.split("/") if x]
        else:
            out.append(t)
    return out

def md_section(level, title):
    """The lines of a README section, up to the next heading of its level."""
    lines, inside = [], False
    for line in text.split("\n"):
        m = re.match(r"(#+) (.*)", line)
        if m and len(m.group(1)) <= level:
            if inside:
                break
            inside = len(m.group(1)) == level and m.group(2).strip() == title
            continue
        if inside:
            lines.append(line)
    return lines

def md_rows(lines):
    """The cells of each table row (header and rule rows left out)."""
    rows = []
    for line in lines:
        if not line.startswith("|") or re.match(r"\|[-| ]+\|$", line):
            continue
        cells = [c.strip().replace("\\|", "|")
                 for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        if cells and cells[0] not in ("key", "status", "program", "promise",
                                      "module", ""):
            rows.append(cells)
    return rows

def roff_text(line):
    """A roff line as text: the macro dropped, its arguments joined."""
    line = re.sub(r"\\f[BIRP]|\\f\[[A-Z]*\]", "", line)
    line = line.replace("\\-", "-").replace("\\&", "").replace("\\e", "\\\\")
    if not line.startswith("."):
        return line
    macro, _, args = line.partition(" ")
    words = shlex.split(args)
    return ("".join if macro in (".BR", ".RB", ".BI", ".IB", ".IR", ".RI")
            else " ".join)(words)

def man_section(name):
    lines, inside = [], False
    for line in text.split("\n"):
        if line.startswith(".SH "):
            inside = shlex.split(line[4:]) == [name]
            continue
        if inside:
            lines.append(line)
    return lines

def man_tags(lines):
    """(subsection, tag text) of each .TP in LINES."""
    tags, sub = [], ""
    for i, line in enumerate(lines):
        if line.startswith(".SS "):
            sub = " ".join(shlex.split(line[4:]))
        if line == ".TP" and i + 1 < len(lines):
            tags.append((sub, roff_text(lines[i + 1])))
    return tags

def options(lines):
    found = set()
    for line in lines:
        found.update(re.findall(r"(?<![\w./-])(--?[A-Za-z][\w-]*)", line))
    return found

def section_of(title):
    """'[tend] section (optional)' -> tend, '[program:NAME] ...' -> program."""
    m = re.match(r"\[(tend|program)", title)
    return m.group(1) if m else "?"

out = []
if what == "readme-keys":
    for cells in md_rows(md_section(2, "Keys")):
        out += tokens(cells[0])
elif what == "man-keys":
    for _, tag in man_tags(man_section("KEYS")):
        out += tokens(tag)
elif what == "help-keys":
    # The overlay is the box whose top border holds " tend keys ".
    rows = text.split("\n")
    top = next(i for i, r in enumerate(rows) if " tend keys " in r)
    left, right = rows[top].index("\u250c"), rows[top].index("\u2510")
    for r in rows[top + 1:]:
        if len(r) <= left or r[left] == "\u2514":
            break
        line = r[left + 2:right].rstrip()
        # A key line: the keys in columns 0-16, the text from column 19.
        if (len(line) > 19 and line[0] != " " and line[17:19] == "  "
                and line[19] != " "):
            out += tokens(line[:17].strip())
elif what == "readme-config":
    # "SECTION.KEY<TAB>EXAMPLE" from the tables of ## Config reference.
    section = None
    for line in md_section(2, "Config reference"):
        m = re.match(r"### (.*)", line)
        if m:
            section = section_of(m.group(1))
            continue
        for cells in md_rows([line]):
            key = re.fullmatch(r"`([a-z_]+)`", cells[0])
            if key and section:
                out.append("%s.%s\t%s" % (section, key.group(1),
                                          cells[-1].strip("`")))
elif what == "man-config":
    for sub, tag in man_tags(man_section("CONFIGURATION")):
        m = re.match(r"([a-z_]+) = ", tag)
        if m:
            out.append("%s.%s" % (section_of(sub), m.group(1)))
elif what == "code-config":
    for section, array in (("tend", "config_tend_keys"),
                           ("program", "config_program_keys")):
        body = re.search(array + r"\[\] = \{(.*?)NULL", text, re.S).group(1)
        out += ["%s.%s" % (section, k) for k in re.findall(r'"(\w+)"', body)]
elif what == "man-options":
    tags = [t for _, t in man_tags(man_section("OPTIONS"))]
    out += options([roff_text(l) for l in man_section("SYNOPSIS")] + tags)
elif what == "help-options":
    out += options(l for l in text.split("\n")
                   if re.match(r"(usage: |\s+)tend\b", l))
elif what == "readme-options":
    lines = md_section(2, "Usage")
    block = lines[lines.index("```") + 1:]
    out += options(block[:block.index("```")])
elif what == "man-version":
    th = next(l for l in text.split("\n") if l.startswith(".TH "))
    out.append(shlex.split(th[4:])[3])
else:
    sys.exit("docs.py: what is " + what)
print("\n".join(sorted(set(out))))
PY
docs() { python3 "$T/docs.py" "$@" 2> >(sed 's/^/# docs.py: /' >&2); }

# same_set NAME_A FILE_A NAME_B FILE_B [MIN]: the two lists hold the same
# items (and at least MIN of them, so a broken extraction cannot pass).
same_set() {
	local a=$1 fa=$2 b=$3 fb=$4 min=${5:-1} n
	n=$(wc -l <"$fa")
	if [ "$n" -lt "$min" ]; then
		echo "# only $n items from $a (at least $min expected):" $(cat "$fa") >&2
		return 1
	fi
	if ! diff -q "$fa" "$fb" >/dev/null; then
		echo "# only in $a:" $(comm -23 "$fa" "$fb") >&2
		echo "# only in $b:" $(comm -13 "$fa" "$fb") >&2
		return 1
	fi
}

# --- the man page -----------------------------------------------------------

lint() {
	local out
	out=$(mandoc -Tlint "$MAN" 2>&1)
	[ $? -eq 0 ] && [ -z "$out" ] && return 0
	echo "$out" | sed 's/^/# /' >&2
	return 1
}
check "mandoc -Tlint tend.1 says nothing" lint

installed() {
	local dest=$T/dest
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
		make -s install DESTDIR="$dest" PREFIX=/usr >"$T/install.out" 2>&1 || {
		sed 's/^/# /' "$T/install.out" >&2
		return 1
	}
	[ -x "$dest/usr/bin/tend" ] && [ -f "$dest/usr/share/man/man1/tend.1" ] &&
		"$dest/usr/bin/tend" --version | grep -q '^tend ' &&
		cmp -s "$MAN" "$dest/usr/share/man/man1/tend.1"
}
check "make install DESTDIR= PREFIX=/usr puts bin/tend and share/man/man1/tend.1" installed

renders() {
	local page=$T/dest/usr/share/man/man1/tend.1
	MANWIDTH=80 man -l "$page" >"$T/man.txt" 2>"$T/man.err" &&
		[ ! -s "$T/man.err" ] &&
		grep -q '^NAME' "$T/man.txt" &&
		grep -q 'tend - run, watch and poke' "$T/man.txt" &&
		grep -q '^KEYS' "$T/man.txt" &&
		grep -q '^CONFIGURATION' "$T/man.txt" &&
		lexgrog "$page" | grep -q ': "tend - ' || {
		cat "$T/man.err" | sed 's/^/# /' >&2
		return 1
	}
}
check "man -l renders the installed page; lexgrog finds its NAME line" renders

# man picks the output device from the locale: ascii in C, utf8 in
# C.UTF-8.  A glyph the device lacks is a troff warning on stderr (and a
# blank where the mark should be), so the page must render cleanly in both.
renders_in() { # DESCRIPTION ENV-ARGS...
	local what=$1
	shift
	env -u LANG -u LC_ALL -u LC_CTYPE -u LANGUAGE "$@" MANWIDTH=80 \
		man -l "$MAN" >"$T/man-locale.txt" 2>"$T/man-locale.err" &&
		[ ! -s "$T/man-locale.err" ] &&
		tr -s ' \n' '  ' <"$T/man-locale.txt" | grep -q 'magenta diamond' || {
		echo "# man -l $MAN in $what:" >&2
		sed 's/^/#   /' "$T/man-locale.err" >&2
		return 1
	}
}
check "man -l tend.1 without LANG or LC_ALL (the C locale): no warning" renders_in "the C locale"
check "man -l tend.1 in C.UTF-8: no warning" renders_in C.UTF-8 LC_ALL=C.UTF-8

uninstalled() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
		make -s uninstall DESTDIR="$T/dest" PREFIX=/usr >/dev/null 2>&1 &&
		[ ! -e "$T/dest/usr/bin/tend" ] &&
		[ ! -e "$T/dest/usr/share/man/man1/tend.1" ]
}
check "make uninstall removes both" uninstalled

# --- keys: README, tend.1 and the help overlay --------------------------------

cat >"$T/tend.ini" <<'INI'
[program:one]
command = exec sleep 600

[program:two]
command = exec sleep 600
INI
tui_start 100 40 "$T/tend.ini"
help_shown() {
	wait_screen 'one +running' && keys '?' && wait_screen ' tend keys ' &&
		screen >"$T/help.txt"
}
check "the help overlay opens on ?" help_shown
keys x
keys q
check "tend quits after the help" wait_screen '^TEND-EXIT=0$'

docs readme-keys "$README" >"$T/readme-keys"
docs man-keys "$MAN" >"$T/man-keys"
docs help-keys "$T/help.txt" >"$T/help-keys"
check "README's keys table and tend.1's KEYS list the same keys ($(wc -l <"$T/readme-keys"))" \
	same_set README "$T/readme-keys" tend.1 "$T/man-keys" 20
check "the help overlay lists the same keys as README" \
	same_set README "$T/readme-keys" overlay "$T/help-keys" 20

# --- options and version: tend --help, tend --version, tend.1, README --------

"$TEND" --help >"$T/help-out" 2>&1
docs help-options "$T/help-out" >"$T/help-options"
docs man-options "$MAN" >"$T/man-options"
docs readme-options "$README" >"$T/readme-options"
check "tend --help and tend.1 (SYNOPSIS, OPTIONS) list the same options" \
	same_set "tend --help" "$T/help-options" tend.1 "$T/man-options" 4
check "README's usage lists the same options as tend --help" \
	same_set "tend --help" "$T/help-options" README "$T/readme-options" 4
options_accepted() {
	local o
	for o in $(cat "$T/man-options"); do
		"$TEND" "$o" "$T/none.ini" >"$T/option.out" 2>&1
		if grep -q -e 'unrecognized option' -e 'invalid option' "$T/option.out"; then
			echo "# tend $o: $(head -n 1 "$T/option.out")" >&2
			return 1
		fi
	done
}
check "tend accepts every option of tend.1" options_accepted
same_version() {
	local prog man
	prog=$("$TEND" --version)
	man=$(docs man-version "$MAN")
	[ "$prog" = "$man" ] || {
		echo "# tend --version says '$prog', tend.1's .TH says '$man'" >&2
		return 1
	}
}
check "tend --version prints the version in tend.1's .TH line" same_version

# --- config keys: README, tend.1, src/config.c, tend --check -----------------

docs readme-config "$README" >"$T/readme-config"
cut -f1 "$T/readme-config" | sort -u >"$T/readme-config-keys"
docs man-config "$MAN" >"$T/man-config"
docs code-config src/config.c >"$T/code-config"
# The files README's examples name must be there for tend --check: a
# Procfile without programs (the import is tried, the count stays) and two
# env files.
printf '# a Procfile with no programs\n' >"$T/Procfile.dev"
printf 'SHARED=1\n' >"$T/.env.shared"
printf 'WEB=1\n' >"$T/.env.web"
check "README's config reference and tend.1's CONFIGURATION list the same keys ($(wc -l <"$T/readme-config-keys"))" \
	same_set README "$T/readme-config-keys" tend.1 "$T/man-config" 20
check "README documents every key src/config.c reads, and no other" \
	same_set README "$T/readme-config-keys" src/config.c "$T/code-config" 20

# One config with each README example: every key is known and each example
# value is valid.  Each program key's example gets a program of its own
# (some keys exclude each other, such as the probe kinds), and the names
# depends_on's example uses exist.
examples_pass() {
	local cfg=$T/all-keys.ini key example bad=0 n=0
	{
		echo "[tend]"
		while IFS=$'\t' read -r key example; do
			case $key in tend.*) ;; *) continue ;; esac
			key=${key#tend.}
			case $example in
			"$key = "*) echo "$example" ;;
			*) echo "# README's example for $key is '$example'" >&2; bad=1 ;;
			esac
		done <"$T/readme-config"
		printf '[program:db]\ncommand = true\n[program:migrate]\ncommand = true\n'
		n=2
		while IFS=$'\t' read -r key example; do
			case $key in program.*) ;; *) continue ;; esac
			key=${key#program.}
			n=$((n + 1))
			# numprocs = N: N programs
			case $example in "numprocs = "*) n=$((n + ${example#numprocs = } - 1)) ;; esac
			echo "[program:docs-$key]"
			[ "$key" = command ] || echo "command = true"
			case $example in
			"$key = "*) echo "$example" ;;
			*) echo "# README's example for $key is '$example'" >&2; bad=1 ;;
			esac
		done <"$T/readme-config"
		echo "$n" >"$T/all-keys.n"
	} >"$cfg"
	n=$(cat "$T/all-keys.n")
	"$TEND" --check "$cfg" >"$T/check.out" 2>&1
	local rc=$?
	if [ $rc -ne 0 ] || [ $bad -ne 0 ] || grep -q -e warning -e 'unknown key' "$T/check.out" ||
		! grep -q "ok, $n programs\$" "$T/check.out"; then
		sed 's/^/# config: /' "$cfg" >&2
		sed 's/^/# tend --check: /' "$T/check.out" >&2
		return 1
	fi
}
check "every README config example passes tend --check: no unknown key, no warning" examples_pass
