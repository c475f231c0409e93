#!/bin/sh
# regen-golden.sh — rewrite the golden outputs of the report printers: for every recording
# tests/golden/NAME.rec and tests/fixtures/recordings/NAME.rec, NAME.txt (iopath report) and
# NAME.json (iopath report --json) beside it. tests/check_golden.c compares the printers' output
# with these byte for byte. Run it after a deliberate change of a report's wording or layout, read
# the diff, and commit it with that change. The recordings themselves are never re-made: every
# build must read the recordings of older builds (HACKING.md, "Recording format"); one that no
# longer loads is a bug of the reader, not of the recording. For every pair in
# tests/golden/diff/pairs: tests/golden/diff/NAME.txt and NAME.json (iopath diff); for every set in
# tests/golden/compare/sets: tests/golden/compare/NAME.txt and NAME.json (iopath compare).
set -eu
cd "$(dirname "$0")/.."
make -s iopath   # never a stale binary: the outputs are what this tree prints
for r in tests/golden/*.rec tests/fixtures/recordings/*.rec; do
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
grep -v '^#' tests/golden/compare/sets | while read -r name files; do
	[ -n "$name" ] || continue
	# shellcheck disable=SC2086 # files: the set's recordings
	set -- $(printf 'tests/golden/%s ' $files)
	./iopath compare "$@" > "tests/golden/compare/$name.txt"
	# the top-level iopath_version is this build's (a commit hash): fixed here, skipped by the check
	./iopath compare --json "$@" | sed '0,/^  "iopath_version": /s/^  "iopath_version": .*/  "iopath_version": "(the build that prints it)",/' \
		> "tests/golden/compare/$name.json"
	echo "regen-golden: tests/golden/compare/$name.txt tests/golden/compare/$name.json"
done
