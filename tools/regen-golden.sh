#!/bin/sh
# regen-golden.sh — rewrite the golden outputs of the report printers: for every recording
# tests/golden/NAME.rec, tests/golden/NAME.txt (iopath report) and NAME.json (iopath report --json).
# tests/check_golden.c compares the printers' output with these byte for byte. Run it after a
# deliberate change of a report's wording or layout, read the diff, and commit it with that change.
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
