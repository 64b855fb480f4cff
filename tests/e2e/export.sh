# tend export: the units pass systemd-analyze verify (and a unit broken
# on purpose does not); a real supervisord runs the supervisord.conf, the
# programs print what they print under tend, supervisorctl sees them and
# shuts them down; the Procfile is exact and its lines run in sh; what a
# target cannot express is listed on stderr; usage and config errors
# exit 2.  The config has three programs with depends_on, an environment
# with commas and both quotes, and commands with %, $, ';', '#' and '\'.
. "$(dirname "$0")/lib.sh"

APP=$T/shop
mkdir -p "$APP"
cat >"$APP/tend.ini" <<'INI'
[program:db]
command = printf 'db up: GREETING=[%%s] QUOTED=[%%s] EDGE=[%%s] RATE=[%%s]\n' "$GREETING" "$QUOTED" "$EDGE" "$RATE"; exec sleep 600
environment = GREETING="hello, world",QUOTED='say "hi", she said',EDGE='it'"'"'s "both"',RATE=50%%
stopsignal = INT
autorestart = true

[program:migrate]
command = printf 'migrated: tz=%%s pct=100%%%%n dollar=[%%s] back=[%%s]\n' "$(date +%z)" '$NOT_A_VAR' 'a\b'
depends_on = db

[program:web]
command = exec python3 -u -c 'import os, time; print("web: RATE=[%s] ARGV=[%s]" % (os.environ["RATE"], "a;b #c"), flush=True); time.sleep(600)'
environment = RATE=100%% $HOME
depends_on = db, migrate:completed_successfully
ready_log = web:
INI

# What each program prints, under tend and under every target.
DB_LINE='db up: GREETING=[hello, world] QUOTED=[say "hi", she said] EDGE=[it'"'"'s "both"] RATE=[50%]'
MIGRATE_RE='^migrated: tz=[+-][0-9]{4} pct=100%n dollar=\[\$NOT_A_VAR\] back=\[a\\b\]$'
WEB_LINE='web: RATE=[100% $HOME] ARGV=[a;b #c]'

# The reference: tend itself.
headless "$APP/tend.ini"
check "under tend, db prints its environment" \
	wait_for "$T/out" "^db +\\| $(printf '%s' "$DB_LINE" | sed 's/[][]/\\&/g')$" 10
check "under tend, web prints its environment" \
	wait_for "$T/out" '^web +\| web: RATE=\[100% \$HOME\] ARGV=\[a;b #c\]$' 10
check "under tend, migrate prints its line" \
	has "$T/out" "^migrate +\\| ${MIGRATE_RE#^}"
kill -INT "$TEND_PID"
check "tend stops" wait_exit "$TEND_PID" 15

# --- systemd ------------------------------------------------------------------

"$TEND" export systemd -o "$T/units" "$APP/tend.ini" >"$T/sd.out" 2>"$T/sd.err"
check "export systemd -o DIR exits 0" test $? = 0
check "it prints nothing on stdout" test ! -s "$T/sd.out"
check "it writes one unit per program and shop.target" \
	test -f "$T/units/db.service" -a -f "$T/units/migrate.service" -a \
	-f "$T/units/web.service" -a -f "$T/units/shop.target"
check "the folder it made is mode 0755" test "$(stat -c %a "$T/units")" = 755
check "stderr: ready_log is lost, one line" \
	has "$T/sd.err" '^web: ready_log has no equivalent in systemd; the unit starts without waiting$'
check "stderr: nothing else is lost (and each file written is named)" \
	bash -c "[ \$(grep -vc '^tend export: wrote $T/units/' '$T/sd.err') = 1 ] &&
		[ \$(grep -c '^tend export: wrote ' '$T/sd.err') = 4 ]"
check "the unit says what is lost in a comment" \
	has "$T/units/web.service" '^# Lost: web: ready_log has no equivalent in systemd'
cat >"$T/execstart.want" <<'UNIT'
ExecStart=/bin/sh -c "printf 'db up: GREETING=[%%s] QUOTED=[%%s] EDGE=[%%s] RATE=[%%s]\\n' \"$$GREETING\" \"$$QUOTED\" \"$$EDGE\" \"$$RATE\"; exec sleep 600"
ExecStart=/bin/sh -c "printf 'migrated: tz=%%s pct=100%%%%n dollar=[%%s] back=[%%s]\\n' \"$$(date +%%z)\" '$$NOT_A_VAR' 'a\\b'"
ExecStart=/bin/sh -c "exec python3 -u -c 'import os, time; print(\"web: RATE=[%%s] ARGV=[%%s]\" %% (os.environ[\"RATE\"], \"a;b #c\"), flush=True); time.sleep(600)'"
UNIT
same_execstart() {
	grep -h '^ExecStart=' "$T/units/db.service" "$T/units/migrate.service" \
		"$T/units/web.service" >"$T/execstart"
	diff -u "$T/execstart.want" "$T/execstart" | sed 's/^/# /' >&2
	cmp -s "$T/execstart.want" "$T/execstart"
}
check "ExecStart: %, \$, quotes and backslashes in systemd's escapes" same_execstart
check "Environment=: quoted, % doubled, \$ kept" \
	has "$T/units/web.service" '^Environment="RATE=100%% \$HOME"$'
check "Environment=: a value with a comma and both quotes" \
	has "$T/units/db.service" '^Environment="EDGE=it'"'"'s \\"both\\""$'
check "depends_on: After= and Requires= for completed_successfully" \
	bash -c "grep -qx 'After=migrate.service' '$T/units/web.service' &&
		grep -qx 'Requires=migrate.service' '$T/units/web.service'"
check "migrate is a oneshot (web waits for it to complete)" \
	has "$T/units/migrate.service" '^Type=oneshot$'
check "autorestart = true: Restart=always, KillSignal from stopsignal" \
	bash -c "grep -qx 'Restart=always' '$T/units/db.service' &&
		grep -qx 'KillSignal=SIGINT' '$T/units/db.service' &&
		grep -qx 'KillMode=control-group' '$T/units/db.service'"
check "the target wants every program" \
	has "$T/units/shop.target" '^Wants=db.service migrate.service web.service$'

# verify needs a runtime folder for --user, not a running systemd.
mkdir -m 0700 "$T/rt"
sd_verify() { # FILES...
	XDG_RUNTIME_DIR=$T/rt systemd-analyze --user verify "$@" >"$T/verify.out" 2>&1
}
verified() {
	sd_verify "$T"/units/*.service "$T/units/shop.target" && [ ! -s "$T/verify.out" ] || {
		sed 's/^/# verify: /' "$T/verify.out" >&2
		return 1
	}
}
check "systemd-analyze --user verify passes every unit, with no warning" verified

# The same check on a unit whose %% was left single: a specifier systemd
# does not know is a fatal error, so the check can fail.
mkdir "$T/broken"
cp "$T"/units/* "$T/broken/"
sed -i 's/%%z/%z/' "$T/broken/migrate.service"
refused() {
	! sd_verify "$T"/broken/*.service "$T/broken/shop.target" &&
		grep -q 'Failed to resolve unit specifiers' "$T/verify.out" || {
		sed 's/^/# verify: /' "$T/verify.out" >&2
		return 1
	}
}
check "systemd-analyze verify fails on a unit with an unescaped %" refused

"$TEND" export systemd "$APP/tend.ini" >"$T/sd-stdout" 2>/dev/null
check "without -o: every file on stdout after '# FILE: NAME'" \
	bash -c "[ \"\$(grep -c '^# FILE: ' '$T/sd-stdout')\" = 4 ] &&
		grep -qx '# FILE: shop.target' '$T/sd-stdout'"

# --- supervisord --------------------------------------------------------------

"$TEND" export supervisord -o "$T/sv" "$APP/tend.ini" >/dev/null 2>"$T/sv.err"
check "export supervisord -o DIR exits 0" test $? = 0
check "stderr: depends_on is only an order in supervisord" \
	has "$T/sv.err" '^web: depends_on has no equivalent in supervisord; priority 120 starts it after db, migrate but does not wait'
check "priorities: dependencies first" \
	bash -c "awk '/^\\[program:/ { p = \$0 } /^priority/ { print p, \$3 }' '$T/sv/supervisord.conf' |
		tr '\\n' ' ' | grep -qx '\\[program:db\\] 100 \\[program:migrate\\] 110 \\[program:web\\] 120 '"
check "environment in supervisord's syntax" \
	has "$T/sv/supervisord.conf" "^environment = GREETING=\"hello, world\",QUOTED='say \"hi\", she said',RATE=\"50%%\"$"

conf=$T/sv/supervisord.conf
supervisord -c "$conf" >"$T/supervisord.out" 2>&1 &
SV_PID=$!
TEND_PIDS+=("$SV_PID")
# Should a check fail with supervisord still up: SIGTERM first, so it
# stops its programs, before lib.sh's SIGKILL.
sv_cleanup() {
	local i
	kill -TERM "$SV_PID" 2>/dev/null || return 0
	for ((i = 0; i < 100; i++)); do
		kill -0 "$SV_PID" 2>/dev/null || return 0
		sleep 0.1
	done
}
trap 'sv_cleanup; tui_cleanup' EXIT
check "under supervisord, db prints its environment as under tend" \
	wait_for "$T/sv/db.log" "^$(printf '%s' "$DB_LINE" | sed 's/[][]/\\&/g')$" 15
check "under supervisord, web prints as under tend" \
	wait_for "$T/sv/web.log" '^web: RATE=\[100% \$HOME\] ARGV=\[a;b #c\]$' 15
check "under supervisord, migrate prints as under tend" \
	wait_for "$T/sv/migrate.log" "$MIGRATE_RE" 15
sv_status() {
	supervisorctl -c "$conf" status >"$T/status.out" 2>&1
	grep -Eq '^db +RUNNING' "$T/status.out" &&
		grep -Eq '^web +RUNNING' "$T/status.out" &&
		grep -Eq '^migrate +EXITED' "$T/status.out"
}
running() {
	local i
	for ((i = 0; i < 100; i++)); do
		sv_status && return 0
		sleep 0.1
	done
	sed 's/^/# status: /' "$T/status.out" >&2
	return 1
}
check "supervisorctl status: db and web RUNNING, migrate EXITED" running
pids=$(grep -Eo 'pid [0-9]+' "$T/status.out" | cut -d' ' -f2)
check "supervisord started them in priority order" \
	bash -c "grep -o \"spawned: '[a-z]*'\" '$T/sv/supervisord.log' | tr '\\n' ' ' |
		grep -qx \"spawned: 'db' spawned: 'migrate' spawned: 'web' \""
check "supervisorctl shutdown" bash -c "supervisorctl -c '$conf' shutdown >/dev/null"
check "supervisord exits" wait_exit "$SV_PID" 20
# shellcheck disable=SC2086
check "and its programs are gone ($(echo $pids))" \
	bash -c "[ -n '$pids' ] && $(declare -f gone); gone $(echo $pids)"

# tend reads a supervisord.conf too: the exported one runs the same.
"$TEND" --check "$conf" >"$T/check.out" 2>"$T/check.err"
check "tend --check reads the exported supervisord.conf (warnings only)" \
	bash -c "grep -q ': ok, 3 programs$' '$T/check.out' && ! grep -v '^warning: ' '$T/check.err'"
"$TEND" --headless "$conf" >"$T/round.out" 2>&1 &
TEND_PID=$!
TEND_PIDS+=("$TEND_PID")
check "tend runs it back: db prints the same line" \
	wait_for "$T/round.out" "^db +\\| $(printf '%s' "$DB_LINE" | sed 's/[][]/\\&/g')$" 10
check "tend runs it back: web too" \
	wait_for "$T/round.out" '^web +\| web: RATE=\[100% \$HOME\] ARGV=\[a;b #c\]$' 10
kill -INT "$TEND_PID"
check "and stops" wait_exit "$TEND_PID" 15

# --- Procfile -----------------------------------------------------------------

"$TEND" export procfile "$APP/tend.ini" >"$T/Procfile" 2>"$T/pf.err"
check "export procfile exits 0" test $? = 0
cat >"$T/Procfile.want" <<'PROCFILE'
db: export GREETING='hello, world' QUOTED='say "hi", she said' EDGE='it'\''s "both"' RATE='50%'; printf 'db up: GREETING=[%s] QUOTED=[%s] EDGE=[%s] RATE=[%s]\n' "$GREETING" "$QUOTED" "$EDGE" "$RATE"; exec sleep 600
migrate: printf 'migrated: tz=%s pct=100%%n dollar=[%s] back=[%s]\n' "$(date +%z)" '$NOT_A_VAR' 'a\b'
web: export RATE='100% $HOME'; exec python3 -u -c 'import os, time; print("web: RATE=[%s] ARGV=[%s]" % (os.environ["RATE"], "a;b #c"), flush=True); time.sleep(600)'
PROCFILE
same_procfile() {
	diff -u "$T/Procfile.want" "$T/Procfile" | sed 's/^/# /' >&2
	cmp -s "$T/Procfile.want" "$T/Procfile"
}
check "the Procfile, exactly" same_procfile
check "stderr: what a Procfile loses, one line each" \
	bash -c "grep -qx 'db: autorestart has no equivalent in a Procfile; it is not restarted' '$T/pf.err' &&
		grep -qx 'db: stopsignal = INT has no equivalent in a Procfile; runners send SIGTERM' '$T/pf.err' &&
		grep -qx 'web: depends_on has no equivalent in a Procfile; it starts at once, with the others' '$T/pf.err' &&
		grep -qx 'web: ready_log has no equivalent in a Procfile; nothing waits for its line' '$T/pf.err' &&
		[ \$(wc -l <'$T/pf.err') = 5 ]"
# A runner gives each line to sh: the lines print what tend's programs do.
procfile_line() { sed -n "s/^$1: //p" "$T/Procfile"; }
check "the migrate line, run by sh, prints the same" \
	bash -c "cd '$APP' && sh -c \"\$(sed -n 's/^migrate: //p' '$T/Procfile')\" | grep -Eq '$MIGRATE_RE'"
db_line_runs() {
	local out
	out=$(cd "$APP" && timeout 5 sh -c "$(procfile_line db | sed 's/; exec sleep 600$//')")
	[ "$out" = "$DB_LINE" ] || { echo "# db printed: $out" >&2; return 1; }
}
check "the db line, run by sh, prints the same environment" db_line_runs

"$TEND" export procfile -o "$T/elsewhere" "$APP/tend.ini" 2>/dev/null
check "written elsewhere, each line does its cd first" \
	has "$T/elsewhere/Procfile" "^migrate: cd $APP \\|\\| exit 1; printf "

if "$TEND" --check "$T/elsewhere/Procfile" >/dev/null 2>&1; then
	"$TEND" --headless "$T/elsewhere/Procfile" >"$T/pf.out" 2>&1 &
	TEND_PID=$!
	TEND_PIDS+=("$TEND_PID")
	check "tend runs the Procfile: migrate prints the same" \
		wait_for "$T/pf.out" "^migrate +\\| ${MIGRATE_RE#^}" 10
	kill -INT "$TEND_PID"
	check "and stops" wait_exit "$TEND_PID" 15
else
	ok "tend runs the Procfile (skipped: this tend reads no Procfile yet)"
	ok "and stops (skipped)"
fi

# --- errors -------------------------------------------------------------------

"$TEND" export >/dev/null 2>"$T/err"
check "no format: exit 2" test $? = 2
check "... and says which there are" has "$T/err" 'which format\? systemd, supervisord or procfile'
"$TEND" export launchd "$APP/tend.ini" >/dev/null 2>"$T/err"
check "an unknown format: exit 2" test $? = 2
check "... named" has "$T/err" "^tend export: no format 'launchd' \\(systemd, supervisord or procfile\\)$"
printf '[program:x]\ncomand = true\n' >"$T/bad.ini"
"$TEND" export systemd -o "$T/never" "$T/bad.ini" >/dev/null 2>"$T/err"
check "a config error: exit 2" test $? = 2
check "... printed as --check prints it" \
	has "$T/err" "^$T/bad.ini:2: unknown key 'comand' in \\[program:x\\]; did you mean 'command'\\?$"
check "... and nothing written" test ! -e "$T/never"
: >"$T/afile"
"$TEND" export supervisord -o "$T/afile" "$APP/tend.ini" >/dev/null 2>"$T/err"
check "-o onto a file: exit 1" test $? = 1
check "... saying so" has "$T/err" "^tend export: $T/afile is not a folder$"
"$TEND" -o "$T/x" "$APP/tend.ini" >/dev/null 2>"$T/err"
check "-o without export: exit 2" test $? = 2
check "... pointing at export" has "$T/err" '^tend: -o goes with export'
