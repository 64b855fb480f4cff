# Logs that behave: rotation by size (supervisord's keys), a timestamp on
# every log line, stdout_logfile / stderr_logfile / NONE, headless
# --timestamps, colours on a terminal (NO_COLOR removes them), and the
# TUI's T time column.
. "$(dirname "$0")/lib.sh"

STAMP='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}[+-][0-9]{2}:[0-9]{2} '

# --- rotation ----------------------------------------------------------------
cat >"$T/rot.ini" <<'INI'
[tend]
log_dir = logs

[program:count]
command = seq -f 'line %06g of the numbered output' 1 20000
stdout_logfile_maxbytes = 64KB
stdout_logfile_backups = 3
INI
"$TEND" --headless "$T/rot.ini" >"$T/rot.out" 2>&1
check "a run that rotates its log exits 0" test $? = 0
L=$T/logs/count.log
check "count.log and its 3 backups exist, no 4th" \
	bash -c "test -f '$L' -a -f '$L.1' -a -f '$L.2' -a -f '$L.3' -a ! -e '$L.4'"
# 64KB and one line at most (a line is never cut, nor moves a file past it)
longest=$(cat "$L" "$L".[123] | awk '{ if (length($0) + 1 > m) m = length($0) + 1 } END { print m }')
sizes=$(stat -c %s "$L" "$L".[123] | tr '\n' ' ')
echo "# sizes: $sizes; longest line $longest bytes"
check "every file is at most 64KB plus one line" \
	bash -c "for s in $sizes; do test \$s -le \$((65536 + $longest)) || exit 1; done"
check "the backups are nearly full (rotated at the size, not sooner)" \
	bash -c "for s in $(stat -c %s "$L".[123] | tr '\n' ' '); do test \$s -ge \$((65536 - $longest)) || exit 1; done"
check "every log line is timestamped" \
	bash -c "! cat '$L' '$L'.[123] | grep -Evq '$STAMP[|*!>] '"
# Oldest first: .3 .2 .1 then the file; the program's lines, tags and
# stamps taken off, must be the last N numbers in order, none cut or twice.
cat "$L.3" "$L.2" "$L.1" "$L" | sed -E "s/$STAMP//" | grep '^| ' | cut -c3- >"$T/kept"
n=$(wc -l <"$T/kept")
first=$(head -n 1 "$T/kept" | awk '{ print $2 + 0 }')
echo "# $n lines kept across the files, from line $first"
check "the newest lines are all there, in order, none split or duplicated" \
	bash -c "test $n -gt 2000 && seq -f 'line %06g of the numbered output' $first 20000 | cmp -s - '$T/kept'"
check "the last file ends with the exit note" bash -c "tail -n 1 '$L' | grep -Eq '$STAMP\\* exited 0\$'"

# --- stdout_logfile, stderr_logfile, NONE ---------------------------------------
mkdir "$T/own"
cat >"$T/files.ini" <<'INI'
[tend]
log_dir = logs

[program:split]
command = echo to-out; echo to-err >&2
stdout_logfile = own/split-out.log
stderr_logfile = own/split-err.log

[program:quiet]
command = echo nothing-kept
stdout_logfile = NONE

[program:noerr]
command = echo kept; echo dropped >&2
stderr_logfile = NONE
log_timestamps = false
INI
"$TEND" --headless "$T/files.ini" >"$T/files.out" 2>&1
check "stdout_logfile: the path, relative to the config's folder, has stdout" \
	has "$T/own/split-out.log" "$STAMP\\| to-out\$"
check "  and not stderr" bash -c "! grep -q to-err '$T/own/split-out.log'"
check "stderr_logfile: its own file has stderr" has "$T/own/split-err.log" "$STAMP! to-err\$"
check "  and no log_dir file is made for it" test ! -e "$T/logs/split.log"
check "stdout_logfile = NONE: no file" test ! -e "$T/logs/quiet.log"
check "  the output still reaches stdout" has "$T/files.out" '^quiet +\| nothing-kept$'
check "stderr_logfile = NONE: stdout is logged (log_timestamps = false: no stamp)" \
	has "$T/logs/noerr.log" '^\| kept$'
check "  stderr is not" bash -c "! grep -q dropped '$T/logs/noerr.log'"

# --- reload: a changed log setting reopens the file --------------------------------
cat >"$T/rl.ini" <<'INI'
[program:tick]
command = i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 0.1; done
stdout_logfile = first.log
INI
"$TEND" --headless --socket "$T/rl.sock" "$T/rl.ini" >"$T/rl.out" 2>&1 &
rl_pid=$!
TEND_PIDS+=("$rl_pid")
wait_for "$T/first.log" '\| tick 2$' 10 >/dev/null
sed -i 's/first.log/second.log/' "$T/rl.ini"
"$TEND" ctl --socket "$T/rl.sock" reload >"$T/rl-reload.out" 2>&1
check "reload with another stdout_logfile: the program is changed" \
	has "$T/rl-reload.out" '1 changed'
check "  and its lines go to the new file" wait_for "$T/second.log" "$STAMP\\| tick 2\$" 10
n1=$(wc -l <"$T/first.log")
sleep 0.5
check "  and no more to the old one" test "$(wc -l <"$T/first.log")" = "$n1"
kill -TERM "$rl_pid"; wait_exit "$rl_pid" 10 >/dev/null

# --- export: supervisord takes the keys ---------------------------------------------
"$TEND" export supervisord "$T/rot.ini" >"$T/sv.conf" 2>"$T/sv.err"
check "export supervisord: stdout_logfile_maxbytes and _backups carried over" \
	bash -c "grep -qx 'stdout_logfile_maxbytes = 65536' '$T/sv.conf' && grep -qx 'stdout_logfile_backups = 3' '$T/sv.conf'"
"$TEND" export procfile "$T/rot.ini" >"$T/pf" 2>"$T/pf.err"
check "export procfile: the rotation is listed as lost on stderr" \
	has "$T/pf.err" 'count: stdout_logfile_maxbytes and _backups have no equivalent in a Procfile'

# --- headless --timestamps -------------------------------------------------------
cat >"$T/ts.ini" <<'INI'
[program:web]
command = echo hello
INI
"$TEND" --headless --timestamps "$T/ts.ini" >"$T/ts.out" 2>&1
check "--timestamps: each line starts with HH:MM:SS.mmm" \
	has "$T/ts.out" '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} web +\| hello$'
check "  notes too" has "$T/ts.out" '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} web +\* exited 0$'
"$TEND" --headless "$T/ts.ini" >"$T/nots.out" 2>&1
check "without it, plain lines as before" has "$T/nots.out" '^web +\| hello$'

# --- colours on a terminal -------------------------------------------------------------
cat >"$T/col.ini" <<'INI'
[program:web]
command = printf 'a \033[32mgreen\033[0m word\n'
[program:db]
command = echo db-line
INI
script -qec "$TEND --headless $T/col.ini" /dev/null >"$T/col.out" 2>&1
check "on a tty: the name prefix is coloured" has "$T/col.out" $'^\e\\[[0-9;]+mweb\e\\[0m +\\| '
check "  another program, another colour" \
	bash -c "a=\$(grep -ao $'^\\e\\\\[[0-9;]*mweb' '$T/col.out' | head -n 1 | cut -c2-6); b=\$(grep -ao $'^\\e\\\\[[0-9;]*mdb' '$T/col.out' | head -n 1 | cut -c2-6); test -n \"\$a\" -a -n \"\$b\" -a \"\${a%w*}\" != \"\${b%d*}\""
check "  the program's own green is kept" has "$T/col.out" $'a \e\\[0;32mgreen\e\\[0m word'
NO_COLOR=1 script -qec "$TEND --headless $T/col.ini" /dev/null >"$T/nocol.out" 2>&1
check "NO_COLOR=1: no escape at all" bash -c "! grep -q $'\\e' '$T/nocol.out'"
check "  the text is there, plain" has "$T/nocol.out" '^web +\| a green word'
"$TEND" --headless "$T/col.ini" >"$T/pipe.out" 2>&1
check "into a pipe: names plain, the program's bytes as they came" \
	has "$T/pipe.out" $'^web +\\| a \e\\[32mgreen\e\\[0m word$'

# --- the TUI: T shows the arrival time ---------------------------------------------------
cat >"$T/tui.ini" <<'INI'
[program:clock]
command = echo first-line; sleep 600
INI
tui_start 100 20 "$T/tui.ini"
wait_screen 'first-line' 10 >/dev/null
check "before T: no time column" bash -c "! tmux -L '$TMUX_SOCK' capture-pane -p -t tend | grep -Eq '[0-9]{2}:[0-9]{2}:[0-9]{2} +first-line'"
keys T
check "T: the line shows its arrival time HH:MM:SS at its left" \
	wait_screen '[│ ][0-9]{2}:[0-9]{2}:[0-9]{2} first-line' 5
keys T
check "T again: the column is gone" \
	bash -c "sleep 0.5; ! tmux -L '$TMUX_SOCK' capture-pane -p -t tend | grep -Eq '[0-9]{2}:[0-9]{2}:[0-9]{2} +first-line'"
keys q
sleep 0.3
check "no sanitizer report" no_sanitizer_report "$T/rot.out" "$T/files.out" "$T/ts.out" "$T/col.out"
