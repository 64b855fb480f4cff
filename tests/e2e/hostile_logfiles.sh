# A log folder someone else can write to, or that holds traps planted for
# tend: a symlink where a log should be (tend would append to its target),
# a FIFO (an open for writing blocks until a reader comes), a directory, a
# file or folder owned by another user.  Each is refused with a note that
# says why, and the program's output still reaches stdout.  The folders
# tend creates are 0700 and the files 0600.
. "$(dirname "$0")/lib.sh"

# A known umask, so the modes asserted below say what tend asked for.
umask 022

# run_once NAME LOG_DIR: one program NAME that prints a line and exits,
# logging into LOG_DIR; tend runs headless until it is gone (10 s at most).
run_once() {
	local name=$1 dir=$2
	cat >"$T/$name.ini" <<INI
[tend]
log_dir = $dir
log_timestamps = false

[program:$name]
command = echo "hello from $name"
INI
	headless "$T/$name.ini"
	wait_exit "$TEND_PID" 10
}

# --- a symlink planted as the log file ---------------------------------------

mkdir -m 700 "$T/logs"
echo "precious" >"$T/victim"
cp "$T/victim" "$T/victim.orig"
ln -s ../victim "$T/logs/web.log"
check "a symlink planted as the log: tend ends" run_once web logs
check "the symlink's target is left as it was" cmp -s "$T/victim" "$T/victim.orig"
check "the symlink is refused with a note" \
	has "$T/out" "^web +\\* log disabled: $T/logs/web.log is a symbolic link; not following it\$"
check "the program's output still reaches stdout" has "$T/out" '^web +\| hello from web$'
check "the symlink is still a symlink" test -L "$T/logs/web.log"

# --- a FIFO planted as the log file ------------------------------------------

mkfifo "$T/logs/pipe.log"
check "a FIFO planted as the log does not hang tend" run_once pipe logs
check "the FIFO is refused with a note" \
	has "$T/out" "^pipe +\\* log disabled: $T/logs/pipe.log is a FIFO, not a regular file\$"
check "the program's output still reaches stdout past the FIFO" \
	has "$T/out" '^pipe +\| hello from pipe$'

# The same with a reader on the FIFO (this shell holds it open read-write,
# so no open blocks): the open succeeds, the file type is what refuses it,
# and nothing is written to the FIFO.
exec 4<>"$T/logs/pipe.log"
check "a FIFO with a reader: tend ends" run_once pipe logs
check "a FIFO with a reader is refused too" \
	has "$T/out" "^pipe +\\* log disabled: $T/logs/pipe.log is a FIFO, not a regular file\$"
fifo_empty() {
	local line
	if read -r -t 0.5 line <&4; then
		echo "# tend wrote to the FIFO: $line" >&2
		return 1
	fi
}
check "nothing was written to the FIFO" fifo_empty
exec 4<&-

# --- a directory where the log file should be ---------------------------------

mkdir "$T/logs/dir.log"
check "a directory as the log: tend ends" run_once dir logs
check "a directory as the log is refused with a note" \
	has "$T/out" "^dir +\\* log disabled: $T/logs/dir.log is a directory, not a regular file\$"

# --- a hard link to another file where the log file should be ------------------

echo "precious" >"$T/victim2"
ln "$T/victim2" "$T/logs/hard.log"
check "a hard link planted as the log: tend ends" run_once hard logs
check "the file it links to is left as it was" cmp -s "$T/victim2" "$T/victim.orig"
check "the hard link is refused with a note" \
	has "$T/out" "^hard +\\* log disabled: $T/logs/hard.log has 2 hard links; not appending to it\$"

# --- modes of what tend creates -----------------------------------------------

check "tend creates a missing log folder and its parents" run_once fresh made/deeper/logs
modes() {
	local want=$1 f got
	shift
	for f in "$@"; do
		got=$(stat -c %a "$f") || return 1
		[ "$got" = "$want" ] || {
			echo "# $f has mode $got, not $want" >&2
			return 1
		}
	done
}
check "the folders tend creates are 0700 (umask 022)" \
	modes 700 "$T/made" "$T/made/deeper" "$T/made/deeper/logs"
check "the log file tend creates is 0600 (umask 022)" \
	modes 600 "$T/made/deeper/logs/fresh.log"
check "the log holds the output" has "$T/made/deeper/logs/fresh.log" '^\| hello from fresh$'

# A folder the user made group-writable (umask 002 with a group per user)
# is the user's choice and stays usable.
mkdir -m 770 "$T/shared"
check "a group-writable log folder: tend ends" run_once grp shared
check "a group-writable log folder of your own is used" \
	has "$T/shared/grp.log" '^\| hello from grp$'

# --- a folder anyone can write to ---------------------------------------------

mkdir "$T/open"
chmod 777 "$T/open"
check "a world-writable log folder: tend ends" run_once open open
check "a world-writable log folder is refused with a note" \
	has "$T/out" "^open +\\* log disabled: log folder $T/open is writable by anyone \\(mode 0777\\)\$"
check "no log is made in it" test ! -e "$T/open/open.log"
check "the output still reaches stdout" has "$T/out" '^open +\| hello from open$'

# --- owned by someone else (needs root to chown) ------------------------------

if [ "$(id -u)" = 0 ] && nobody=$(id -u nobody 2>/dev/null); then
	mkdir -m 700 "$T/theirs"
	chown nobody "$T/theirs"
	check "a log folder owned by another user: tend ends" run_once mine theirs
	check "a log folder owned by another user is refused with a note" \
		has "$T/out" "^mine +\\* log disabled: log folder $T/theirs is owned by uid $nobody, not by you \\(uid 0\\)\$"
	check "no log is made in it" test ! -e "$T/theirs/mine.log"

	touch "$T/logs/planted.log"
	chown nobody "$T/logs/planted.log"
	check "a log file owned by another user: tend ends" run_once planted logs
	check "a log file owned by another user is refused with a note" \
		has "$T/out" "^planted +\\* log disabled: $T/logs/planted.log is owned by uid $nobody, not by you \\(uid 0\\)\$"
	check "nothing is written to it" test ! -s "$T/logs/planted.log"

	# A device node (only root can make one): /dev/full's numbers, so an
	# append would show up as a write error instead of a refusal.
	mknod "$T/logs/dev.log" c 1 7
	check "a device planted as the log: tend ends" run_once dev logs
	check "a device planted as the log is refused with a note" \
		has "$T/out" "^dev +\\* log disabled: $T/logs/dev.log is a character device, not a regular file\$"
else
	for what in "a log folder owned by another user is refused" \
		"a log file owned by another user is refused" \
		"a device planted as the log is refused"; do
		ok "$what # SKIP not root"
	done
fi

# --- a symlinked log folder of the user's own is fine -------------------------

mkdir -m 700 "$T/real-logs"
ln -s real-logs "$T/linked"
check "a log folder that is the user's own symlink: tend ends" run_once linked linked
check "a log folder that is the user's own symlink is followed" \
	has "$T/real-logs/linked.log" '^\| hello from linked$'
