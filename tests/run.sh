#!/usr/bin/env bash
# Runs every test against one or more build folders (the normal build, then
# the sanitizer build) and ends with the line "N passed, N failed".
#   tests/run.sh [--unit-only|--e2e-only] [--valgrind BUILD] [--fuzz DIR]
#                BUILD [BUILD...]
# Unit tests are cmocka binaries (TAP output); end-to-end tests are the
# scripts tests/e2e/*.sh, which print TAP lines ("ok - what", "not ok - what")
# and get the binary under test in $TEND.  --valgrind runs BUILD's unit
# tests under valgrind (no errors, no leaks); --fuzz runs each libFuzzer
# binary in DIR for FUZZ_SECONDS (default 10) on its checked-in corpus.
set -u
cd "$(dirname "$0")/.."

# The tests match tend's UTF-8 output (borders, "·", marks) with grep -E
# and python3.  In the C locale, where a fresh Debian container starts with
# no LANG, a "." stands for one byte, not for a two- or three-byte
# character, and the checks fail.  C.UTF-8 is built into Debian's libc
# (`locale -a` lists C.utf8 without the locales package).
export LC_ALL=C.UTF-8 LANG=C.UTF-8
unset LANGUAGE

what=all
valgrind_build=
fuzz_dir=
while [ $# -gt 0 ]; do
	case "$1" in
	--unit-only) what=unit ;;
	--e2e-only) what=e2e ;;
	--valgrind) valgrind_build=$2; shift ;;
	--fuzz) fuzz_dir=$2; shift ;;
	*) break ;;
	esac
	shift
done

passed=0
failed=0
failures=()
times=()

# Count the TAP lines of one test's output, echoing them with a label.
tally() { # LABEL OUTPUT_FILE STATUS
	local label=$1 out=$2 status=$3 line n=0
	while IFS= read -r line; do
		case "$line" in
		"ok "*) passed=$((passed + 1)); n=$((n + 1)); echo "  $line" ;;
		"not ok "*) failed=$((failed + 1)); n=$((n + 1)); echo "  $line"
			failures+=("$label: $line") ;;
		"#"*) echo "  $line" ;;
		esac
	done <"$out"
	if [ "$status" -ne 0 ] && [ "$n" -eq 0 ]; then
		failed=$((failed + 1))
		failures+=("$label: exited $status without results")
		echo "  not ok - $label exited $status"; tail -n 20 "$out" | sed 's/^/  # /'
	elif [ "$status" -ne 0 ] && ! grep -q '^not ok' "$out"; then
		failed=$((failed + 1))
		failures+=("$label: exited $status")
		echo "  not ok - $label exited $status"; tail -n 20 "$out" | sed 's/^/  # /'
	fi
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# phase NAME: the seconds since the last phase ended, for the summary.
phases=()
phase_start=$SECONDS
phase() {
	phases+=("$1: $((SECONDS - phase_start)) s")
	phase_start=$SECONDS
}

for build in "$@"; do
	[ "$what" = e2e ] && break
	for t in "$build"/tests/test_*; do
		[ -x "$t" ] || continue
		echo "# unit $(basename "$t") [$build]"
		CMOCKA_MESSAGE_OUTPUT=TAP timeout 120 "$t" >"$tmp/out" 2>&1
		tally "$build/$(basename "$t")" "$tmp/out" $?
	done
done
[ "$what" != e2e ] && phase "unit tests"

# The end-to-end tests mostly wait (for a screen, a timer, a child), so
# TEST_JOBS of them run at once (4 by default; 1 runs them one by one).
# A test whose header has the line "# e2e: alone" (a flood, a CPU
# figure, a latency bound) runs by itself after the others.  One test
# never runs in two builds at once: a few use fixed ports.
e2e_job() { # N BUILD TEST
	local start=$SECONDS
	flock "$tmp/lock-$(basename "$3")" env TEND="$PWD/$2/tend" \
		timeout 300 bash "$3" >"$tmp/e2e-$1.out" 2>&1
	echo "$? $((SECONDS - start))" >"$tmp/e2e-$1.rc"
}

e2e_list=()	# "BUILD TEST" in the order results are shown
e2e_alone=()
if [ "$what" != unit ]; then
	for t in tests/e2e/*.sh; do
		[ "$(basename "$t")" = lib.sh ] && continue
		for build in "$@"; do
			e2e_list+=("$build $t")
			grep -qx '# e2e: alone' "$t" && e2e_alone+=("${#e2e_list[@]}")
		done
	done
fi
jobs_max=${TEST_JOBS:-4}
for ((i = 0; i < ${#e2e_list[@]}; i++)); do
	[[ " ${e2e_alone[*]} " == *" $((i + 1)) "* ]] && continue
	while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do wait -n; done
	e2e_job "$i" ${e2e_list[$i]} &
done
wait
[ "$what" != unit ] && phase "end-to-end tests, $jobs_max at once"
for n in "${e2e_alone[@]}"; do
	e2e_job "$((n - 1))" ${e2e_list[$((n - 1))]}
done
[ "$what" != unit ] && phase "end-to-end tests run alone"
for ((i = 0; i < ${#e2e_list[@]}; i++)); do
	read -r build t <<<"${e2e_list[$i]}"
	read -r status secs <"$tmp/e2e-$i.rc"
	echo "# e2e $(basename "$t") [$build] (${secs} s)"
	tally "$build/$(basename "$t")" "$tmp/e2e-$i.out" "$status"
	times+=("$secs s $build/$(basename "$t")")
done

# valgrind and the fuzzers are CPU-bound: one job per core.
cpu_jobs=$(nproc 2>/dev/null || echo 2)

valgrind_job() { # N UNIT-BINARY
	if CMOCKA_MESSAGE_OUTPUT=TAP valgrind -q --leak-check=full \
		--errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
		"$2" >"$tmp/vg-$1.out" 2>&1; then
		echo "ok - valgrind $(basename "$2"): no errors, no leaks" >"$tmp/vg-$1"
	else
		echo "not ok - valgrind $(basename "$2")" >"$tmp/vg-$1"
		grep -E '==[0-9]+==' "$tmp/vg-$1.out" | head -n 20 | sed 's/^/# /' >>"$tmp/vg-$1"
	fi
}

fuzz_job() { # N FUZZ-BINARY
	local name=${2##*/fuzz_}
	mkdir -p "$tmp/fuzz-$name"
	if "$2" -max_total_time="${FUZZ_SECONDS:-10}" -print_final_stats=1 \
		"$tmp/fuzz-$name" "tests/fuzz/corpus/$name" >"$tmp/fz-$1.out" 2>&1; then
		runs=$(grep -o 'number_of_executed_units: *[0-9]*' "$tmp/fz-$1.out" | grep -o '[0-9]*$')
		echo "ok - fuzz_$name: ${runs:-?} inputs, no crash" >"$tmp/fz-$1"
	else
		echo "not ok - fuzz_$name found a crash" >"$tmp/fz-$1"
		grep -E 'ERROR|SUMMARY|Test unit written' "$tmp/fz-$1.out" | head -n 10 | sed 's/^/# /' >>"$tmp/fz-$1"
	fi
}

# run_jobs FN LABEL RESULT FILE...: FN N FILE for each, cpu_jobs at once;
# then each result ($tmp/RESULT-N, TAP) tallied in order.
run_jobs() {
	local fn=$1 prefix=$2 result=$3 i=0 f files
	shift 3
	files=("$@")
	for f in "${files[@]}"; do
		while [ "$(jobs -rp | wc -l)" -ge "$cpu_jobs" ]; do wait -n; done
		"$fn" "$i" "$f" &
		i=$((i + 1))
	done
	wait
	for ((i = 0; i < ${#files[@]}; i++)); do
		echo "# $prefix $(basename "${files[$i]}")"
		tally "$prefix/$(basename "${files[$i]}")" "$tmp/$result-$i" 0
	done
}

if [ -n "$valgrind_build" ]; then
	vg=()
	for t in "$valgrind_build"/tests/test_*; do [ -x "$t" ] && vg+=("$t"); done
	run_jobs valgrind_job valgrind vg "${vg[@]}"
	phase valgrind
fi

if [ -n "$fuzz_dir" ]; then
	fz=()
	for f in "$fuzz_dir"/fuzz_*; do [ -x "$f" ] && fz+=("$f"); done
	run_jobs fuzz_job fuzz fz "${fz[@]}"
	phase fuzzing
fi

echo "# time taken:"
printf '#   %s\n' "${phases[@]}"
if [ "${#times[@]}" -gt 0 ]; then
	echo "# slowest end-to-end tests:"
	printf '%s\n' "${times[@]}" | sort -rn | head -n 10 | sed 's/^/#   /'
fi
if [ "${#failures[@]}" -gt 0 ]; then
	echo "# failures:"
	printf '#   %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
