#!/bin/sh
# timed.sh OUT CMD...: run CMD with this script's stdout and stderr, then
# write its wall time in seconds to OUT.  This is the child's own view of
# how fast its reader drains it.
out=$1
shift
t0=$(date +%s%N)
"$@"
t1=$(date +%s%N)
echo "$(((t1 - t0) / 1000000))" | awk '{ printf "%.3f\n", $1 / 1000 }' >"$out.tmp"
mv "$out.tmp" "$out"
