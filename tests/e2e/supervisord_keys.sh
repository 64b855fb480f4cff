# supervisord's process keys: every key of the sample [program:x] section
# of echo_supervisord_conf is read, and only the ones README calls
# meaningless in a terminal are warned about; numprocs makes copies,
# priority orders the start and the quit, umask and user reach the child.
. "$(dirname "$0")/lib.sh"

me=$(id -un)

# --- the sample section, every key uncommented --------------------------

if ! command -v echo_supervisord_conf >/dev/null; then
	echo "# echo_supervisord_conf is missing (Debian package supervisor)" >&2
	not_ok "echo_supervisord_conf is installed"
else
	echo_supervisord_conf | sed -n '/^;\[program:theprogramname\]/,/^$/p' |
		sed -e 's/^;//' -e 's/[[:space:]]\{1,\};.*$//' \
			-e "s|^command=.*|command=echo sample in %(here)s|" \
			-e "s|^user=.*|user=$me|" \
			-e "s|^stdout_logfile=.*|stdout_logfile=$T/sample.log|" \
			-e "s|^stderr_logfile=.*|stderr_logfile=$T/sample.err.log|" \
			>"$T/sample.ini"
	check "the sample section has its keys (30 or more)" \
		test "$(grep -c = "$T/sample.ini")" -ge 30
	"$TEND" --check "$T/sample.ini" >"$T/sample.out" 2>"$T/sample.err"
	check "--check accepts every key of supervisord's sample: exit 0" test $? = 0
	sed -n "s/^warning: .*:[0-9]*: '\([a-z_]*\)' is a supervisord key tend does not implement; ignored.*/\1/p" \
		"$T/sample.err" | sort >"$T/warned"
	# README's list of the keys tend ignores, between its two markers.
	sed -n '/<!-- ignored-keys -->/,/<!-- \/ignored-keys -->/p' README.md |
		grep -o '`[a-z_]*`' | tr -d '`' | sort -u >"$T/listed"
	check "README lists the ignored keys" test -s "$T/listed"
	check "the warned keys are exactly README's ignored ones" \
		diff "$T/listed" "$T/warned"
	check "no other warning, no error" \
		bash -c "! grep -v \"is a supervisord key tend does not implement\" '$T/sample.err'"
fi

# --- numprocs -------------------------------------------------------------

cat >"$T/np.ini" <<'INI'
[program:web]
command = echo "copy %(process_num)s of %(numprocs)d port $PORT"; sleep 30
environment = PORT=80%(process_num)02d
numprocs = 3
stopwaitsecs = 1
INI
headless "$T/np.ini"
for n in 0 1 2; do
	check "numprocs: web-$n prints its own %(process_num)s" \
		wait_for "$T/out" "^web-$n +\| copy $n of 3 port 800$n\$" 10
done
CTL_ARGS=(-c "$T/np.ini")
ctl_do 0 status
check "ctl status: three programs" test "$(wc -l <"$T/ctl.out")" = 3
check "ctl status: web-0 web-1 web-2, running" \
	bash -c "[ \"\$(awk '\$2 ~ /^(starting|running)$/ { print \$1 }' '$T/ctl.out' | tr '\n' ' ')\" = 'web-0 web-1 web-2 ' ]"
check "ctl stop web-1: one copy by its name" ctl_do 0 stop web-1
check "... web-1 ends, the others run" wait_for "$T/out" '^web-1 +\* (exited|killed)' 10
ctl_do 0 status
check "... web-0 and web-2 still run" \
	bash -c "[ \"\$(awk '\$2 ~ /^(starting|running)$/ { print \$1 }' '$T/ctl.out' | tr '\n' ' ')\" = 'web-0 web-2 ' ]"
sed -i 's/^numprocs = 3$/numprocs = 2/' "$T/np.ini"
check "reload to numprocs = 2: exit 0" ctl_do 0 reload
# Their command says %(numprocs)d, so web-0 and web-1 changed too.
check "... web-2 is removed, web-0 and web-1 restart with their new command" \
	has "$T/ctl.out" '^reload: 0 new, 2 changed, 1 removed, 0 unchanged$'
check "... web-0 (web-1 was stopped by hand) says it is one of 2 now" wait_for "$T/out" '^web-0 +\| copy 0 of 2 port 8000$' 10
check "... web-2 is stopped" wait_for "$T/out" '^web-2 +\* reload: no longer in the config; stopping it$' 10
kill -TERM "$TEND_PID"
check "numprocs: tend quits" wait_exit "$TEND_PID" 15

# --- priority ---------------------------------------------------------------

# Each prints when it starts, traps TERM to say so, and takes a moment to
# stop, so that a quit that did not wait would interleave.
prog() {
	printf '[program:%s]\ncommand = trap '"'"'echo stopping %s; sleep 0.4; exit 0'"'"' TERM; echo started %s; while :; do sleep 0.1; done\npriority = %s\n' "$1" "$1" "$1" "$2"
}
{ prog c 300; prog a 100; prog b 200; } >"$T/prio.ini"
headless "$T/prio.ini"
check "priority: all three started" wait_for "$T/out" '^c +\| started c$' 10
wait_for "$T/out" '^a +\| started a$' 5 >/dev/null
wait_for "$T/out" '^b +\| started b$' 5 >/dev/null
grep -Eo '^[abc] +\* started pid' "$T/out" | cut -c1 | tr -d '\n' >"$T/started"
check "priority: started lowest first (a=100 b=200 c=300)" test "$(cat "$T/started")" = abc
kill -TERM "$TEND_PID"
check "priority: tend quits" wait_exit "$TEND_PID" 15
grep -Eo '^[abc] +(\| stopping [abc]|\* exited 0)$' "$T/out" |
	sed -E 's/^([abc]) +\| stopping .*/\1:stopping/; s/^([abc]) +\* exited 0/\1:exited/' |
	tr '\n' ' ' >"$T/stopped"
check "priority: the quit stops highest first, each gone before the next" \
	test "$(cat "$T/stopped")" = "c:stopping c:exited b:stopping b:exited a:stopping a:exited "

# --- umask ------------------------------------------------------------------

printf '[program:mk]\ncommand = touch %s/made && stat -c %%a %s/made\numask = 077\n' "$T" "$T" >"$T/umask.ini"
timeout 10 "$TEND" --headless "$T/umask.ini" >"$T/umask.out" 2>&1
check "umask = 077: the file the program makes has mode 600" has "$T/umask.out" '^mk +\| 600$'
check "... as the file system says" test "$(stat -c %a "$T/made")" = 600

# --- user -------------------------------------------------------------------

printf '[program:ghost]\ncommand = true\n\nuser = no-such-user-tend\n' >"$T/nouser.ini"
out=$("$TEND" --check "$T/nouser.ini" 2>&1); rc=$?
check "user: a user that does not exist is an error with file:line, exit 2" \
	bash -c "[ $rc = 2 ] && printf '%s\n' \"\$1\" | grep -qx '$T/nouser.ini:4: user: no user .no-such-user-tend. on this system'" _ "$out"

if [ "$(id -u)" = 0 ]; then
	printf '[program:who]\ncommand = id -un; echo "HOME=$HOME USER=$USER LOGNAME=$LOGNAME"\nuser = nobody\ndirectory = /\n' >"$T/user.ini"
	timeout 10 "$TEND" --headless "$T/user.ini" >"$T/user.out" 2>&1
	check "user = nobody (tend is root): the program runs as nobody" has "$T/user.out" '^who +\| nobody$'
	home=$(getent passwd nobody | cut -d: -f6)
	check "... with nobody's HOME, USER and LOGNAME" \
		has "$T/user.out" "^who +\| HOME=$home USER=nobody LOGNAME=nobody\$"
	# tend itself as nobody: it cannot switch to root.
	chmod 755 "$T"
	printf '[program:boss]\ncommand = id -un\nuser = root\n[program:self]\ncommand = id -un\nuser = nobody\n' >"$T/notroot.ini"
	chmod 644 "$T/notroot.ini"
	(cd / && timeout 10 setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$TEND" --headless "$T/notroot.ini" >"$T/notroot.out" 2>&1)
	check "user = root, tend not root: the program fails to start, saying why" \
		has "$T/notroot.out" "^boss +\* cannot run as user 'root': tend runs as nobody, not as root, so it cannot switch users\$"
	check "... and is not run" bash -c "! grep -Eq '^boss +\\| ' '$T/notroot.out'"
	check "user = tend's own user: runs" has "$T/notroot.out" '^self +\| nobody$'
	(cd / && setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$TEND" --check "$T/notroot.ini" >"$T/notroot.check" 2>&1)
	check "--check by a tend that is not root warns of it, with file:line" \
		has "$T/notroot.check" "^warning: $T/notroot.ini:3: \[program:boss\]: cannot run as user 'root': tend runs as nobody, not as root, so it cannot switch users; it would not start\$"
else
	ok "user = nobody (skipped: not root)"
	ok "... HOME, USER, LOGNAME (skipped: not root)"
	ok "user = root, tend not root (skipped: not root)"
	ok "... not run (skipped: not root)"
	ok "user = tend's own user (skipped: not root)"
	ok "--check by a tend that is not root (skipped: not root)"
fi
