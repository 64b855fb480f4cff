# The log directory cannot be created, or the disk is full (ENOSPC): a
# clear message, tend keeps running, the output keeps flowing.  A flood:
# memory flat after the scrollback cap, the log keeps growing.
# e2e: alone
. "$(dirname "$0")/lib.sh"

touch "$T/a-file"
cat >"$T/nodir.ini" <<INI
[tend]
log_dir = a-file/logs

[program:talker]
command = i=0; while :; do i=\$((i+1)); echo "talk \$i"; sleep 0.1; done
INI
headless "$T/nodir.ini"
check "log folder cannot be made: said plainly" \
	wait_for "$T/out" "^talker \\* log disabled: cannot create log folder $T/a-file/logs: Not a directory\$"
check "output keeps flowing" wait_for "$T/out" '^talker \| talk 10$'
kill -TERM "$TEND_PID"; wait_exit "$TEND_PID" 5

# A real full disk: a 64 KiB tmpfs, filled before tend starts, so the
# log's first write fails with ENOSPC.  (A symlink to /dev/full would be
# refused as a symlink now.)  Mounting needs root; elsewhere it is skipped.
DISK=$T/disk
disk_cleanup() {
	local pid
	for pid in "${TEND_PIDS[@]}"; do
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	mountpoint -q "$DISK" && { umount "$DISK" || umount -l "$DISK"; }
	tui_cleanup
}
trap disk_cleanup EXIT

mkdir -p "$DISK"
if mount -t tmpfs -o size=64k,mode=700 tmpfs "$DISK" 2>/dev/null; then
	mkdir -m 700 "$DISK/logs"
	dd if=/dev/zero of="$DISK/fill" bs=4k 2>/dev/null
	cat >"$T/full.ini" <<INI
[tend]
log_dir = disk/logs

[program:full]
command = i=0; while :; do i=\$((i+1)); echo "line \$i"; sleep 0.05; done
INI
	headless "$T/full.ini"
	check "disk full: the log is given up with the reason" \
		wait_for "$T/out" "^full +\\* log disabled: log $DISK/logs/full.log: No space left on device\$"
	check "output keeps flowing after ENOSPC" wait_for "$T/out" '^full +\| line 30$'
	check "tend still runs" kill -0 "$TEND_PID"
	kill -TERM "$TEND_PID"; wait_exit "$TEND_PID" 5
	umount "$DISK" 2>/dev/null || umount -l "$DISK"
else
	for what in "disk full: the log is given up with the reason" \
		"output keeps flowing after ENOSPC" "tend still runs"; do
		ok "$what # SKIP not root (cannot mount a tmpfs)"
	done
fi

cat >"$T/flood.ini" <<INI
[tend]
log_dir = floodlogs
log_timestamps = false
log_max_bytes = 0
scrollback = 1000

[program:flood]
command = exec yes "the quick brown fox jumps over the lazy dog"

[program:steady]
command = i=0; while :; do i=\$((i+1)); echo "steady \$i"; sleep 0.1; done
INI
"$TEND" --headless "$T/flood.ini" >/dev/null 2>&1 &
TEND_PID=$!
TEND_PIDS+=("$TEND_PID")
sleep 1.5
rss1=$(awk '/VmRSS/ {print $2}' "/proc/$TEND_PID/status")
size1=$(stat -c %s "$T/floodlogs/flood.log")
sleep 1.5
rss2=$(awk '/VmRSS/ {print $2}' "/proc/$TEND_PID/status")
size2=$(stat -c %s "$T/floodlogs/flood.log")
check_rss "RSS flat during an endless flood (${rss1} KiB, then ${rss2} KiB)" \
	test $((rss2 - rss1)) -lt 2048
check "the log keeps every line (${size1} -> ${size2} bytes)" test "$size2" -gt "$size1"
check "the other program is still heard in its log" \
	bash -c "test \$(grep -c '^| steady' '$T/floodlogs/steady.log') -ge 15"
kill -TERM "$TEND_PID"
check "tend stops the flood" wait_exit "$TEND_PID" 10
check "the flood's log is whole lines, every one complete" \
	bash -c "tail -c 100000 '$T/floodlogs/flood.log' | tail -n +2 | grep -v '^\\* ' | grep -vqx '| the quick brown fox jumps over the lazy dog' && exit 1 || exit 0"
