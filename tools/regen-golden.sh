#!/bin/sh
# regen-golden.sh — rewrite the golden outputs of the report printers: for every recording
# tests/golden/NAME.rec, tests/golden/NAME.txt (iopath report) and NAME.json (iopath report --json).
# tests/check_golden.c compares the printers' output with these byte for byte, and for every
# pair in tests/golden/diff/pairs, tests/golden/diff/NAME.txt and NAME.json (iopath diff).
# Run it after a deliberate change of a report's wording or layout, read the diff, and commit it with that change.
# A recording that no longer loads (its format changed) must be made again: by the lab
# (tools/lab: record -o in a guest) or live (iopath record -o FILE), then copied here.
set -eu
cd "$(dirname "$0")/.."
[ -x ./iopath ] || make -s iopath
for r in tests/golden/*.rec; do
	b=${r%.rec}
	./iopath report "$r" > "$b.txt"
	./iopath report --json "$r" > "$b.json"
	echo "regen-golden: $b.txt $b.json"
done
grep -v '^#' tests/golden/diff/pairs | while read -r name a b opts; do
	[ -n "$name" ] || continue
	# shellcheck disable=SC2086 # opts: the pair's -a/-b words
	./iopath diff $opts "tests/golden/$a" "tests/golden/$b" > "tests/golden/diff/$name.txt"
	./iopath diff --json $opts "tests/golden/$a" "tests/golden/$b" > "tests/golden/diff/$name.json"
	echo "regen-golden: tests/golden/diff/$name.txt tests/golden/diff/$name.json"
done
