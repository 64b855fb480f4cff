#!/usr/bin/env bash
# Runs every test against one or more build folders (the normal build, then
# the sanitizer build) and ends with the line "N passed, N failed".
#   tests/run.sh [--unit-only|--e2e-only] BUILD [BUILD...]
# Unit tests are cmocka binaries (TAP output); end-to-end tests are the
# scripts tests/e2e/*.sh, which print TAP lines ("ok - what", "not ok - what")
# and get the binary under test in $TEND.
set -u
cd "$(dirname "$0")/.."

what=all
case "${1:-}" in
--unit-only) what=unit; shift ;;
--e2e-only) what=e2e; shift ;;
esac

passed=0
failed=0
failures=()

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

for build in "$@"; do
	if [ "$what" != e2e ]; then
		for t in "$build"/tests/test_*; do
			[ -x "$t" ] || continue
			echo "# unit $(basename "$t") [$build]"
			CMOCKA_MESSAGE_OUTPUT=TAP timeout 120 "$t" >"$tmp/out" 2>&1
			tally "$build/$(basename "$t")" "$tmp/out" $?
		done
	fi
	if [ "$what" != unit ]; then
		for t in tests/e2e/*.sh; do
			[ "$(basename "$t")" = lib.sh ] && continue
			echo "# e2e $(basename "$t") [$build]"
			TEND="$PWD/$build/tend" timeout 300 bash "$t" >"$tmp/out" 2>&1
			tally "$build/$(basename "$t")" "$tmp/out" $?
		done
	fi
done

if [ "${#failures[@]}" -gt 0 ]; then
	echo "# failures:"
	printf '#   %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
