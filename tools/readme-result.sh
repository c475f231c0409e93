#!/bin/bash
# tools/readme-result.sh [--check]: the README's result, made from the committed lab recordings
# (examples/*.rec) by `iopath compare`, never by hand:
#   - the part of README.md between "<!-- result:begin -->" and "<!-- result:end -->": per
#     workload phase, a table of the per-packet / per-request rows (every count, no times) and
#     the explanation compare generated, largest difference first;
#   - examples/compare.html (the whole comparison: tables, plots, differential flame graphs);
#   - examples/crossings-udp-rr.svg (the plot the README shows: crossings per packet by kind).
# --check: make it all in a temporary place and fail (exit 1, naming the file) where the
# committed files differ: the test that keeps the README's numbers the recordings' numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
IOPATH=${IOPATH:-./iopath}
CHECK=0; [ "${1:-}" = --check ] && CHECK=1
[ $# -le 1 ] && { [ $# = 0 ] || [ $CHECK = 1 ]; } || { echo "usage: $0 [--check]" >&2; exit 2; }
command -v jq > /dev/null || { echo "readme-result: needs jq (apt-get install jq)" >&2; exit 1; }
[ -x "$IOPATH" ] || { echo "readme-result: no $IOPATH (make)" >&2; exit 1; }
shopt -s nullglob
recs=(examples/*.rec)
[ ${#recs[@]} -ge 2 ] || { echo "readme-result: fewer than 2 recordings in examples/" >&2; exit 1; }

T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
"$IOPATH" compare "${recs[@]}" --json > "$T/compare.json"
"$IOPATH" compare "${recs[@]}" --html "$T/compare.html" > /dev/null

# The README's plot: the first crossings plot of the udp-rr group, standalone (its own style).
awk 'index($0, "<h2>udp-rr</h2>") { g = 1 }
     g && !done && /<svg class="plot"/ { on = 1 }
     on { line = $0; sub(/^.*<svg/, "<svg", line)
          if (!started) { sub(/>/, "><style>text{font:12px sans-serif}.t{font-weight:bold}</style>", line); started = 1 }
          if (index(line, "</svg>")) { sub(/<\/svg>.*/, "</svg>", line); print line; on = 0; done = 1; exit }
          print line }' "$T/compare.html" > "$T/crossings-udp-rr.svg"
[ -s "$T/crossings-udp-rr.svg" ] || { echo "readme-result: no udp-rr crossings plot in the comparison" >&2; exit 1; }

# Per phase: its columns, a markdown table per section of the rows per unit (counts, not times),
# n/m where a recording could not measure it, "(derived)" where the exit model derived it from
# the traced tasks' counts, and the explanation compare generated.
tables() { # COMPARE.JSON
jq -r --argjson phases '["udp-rr","udp-stream","tcp-bulk","blk-rand-qd1","blk-rand-qd16","blk-seq-read","blk-seq-write","whole run"]' '
  def cell($r; $i):
    if $r.values[$i] == null then (if $r.not_measured[$i] then "n/m" else "-" end)
    else (($r.values[$i] * 100 | round) / 100 | tostring) + (if ($r.lower_bound // [])[$i] then " (at least)" else "" end)
      + (if ($r.derived // [])[$i] then " (derived)" else "" end)
    end;
  .groups as $g
  | $phases[] as $p
  | ($g[] | select(.phase == $p)) as $grp
  | "#### \($p)\n",
    "Generated explanation (largest difference first):\n",
    (if ($grp.explanation | length) > 0 then ($grp.explanation[] | "- \(.)") else "- no difference a rule explains" end),
    "",
    ($grp.sections[] | select(.per != null)
     | . as $s
     | "**\($s.title)**, per \($s.per):\n",
       "| | " + ([$grp.columns[] | .label + (if .times_not_real then " *" else "" end)] | join(" | ")) + " |",
       "|---|" + ([$grp.columns[] | "---:"] | join("|")) + "|",
       ($s.rows[] | select(.time == false and (.name | test("/")))
        | . as $r | "| \($r.name) | " + ([range(0; $grp.columns | length) | cell($r; .)] | join(" | ")) + " |"),
       "")
' "$1"
}
tables "$T/compare.json" > "$T/tables.md"

# The other end (examples/dom0/, when the lab's Xen stage recorded it): dom0's record of each
# domU's phases, one column per domU, labelled by the domU it served.
drecs=(examples/dom0/*.rec)
if [ ${#drecs[@]} -gt 0 ]; then
	dlab=()
	for f in "${drecs[@]}"; do
		g=${f##*/}; g=${g%%.*}
		case $g in
		xen-pv) l="dom0 of Xen PV" ;; xen-pvh) l="dom0 of Xen PVH" ;; xen-hvm) l="dom0 of Xen HVM" ;;
		xen-hvmemu) l="dom0 of Xen HVM (emulated devices)" ;; *) l="dom0 of $g" ;;
		esac
		dlab+=(--label "$l")
	done
	"$IOPATH" compare "${drecs[@]}" "${dlab[@]}" --json > "$T/dom0.json"
	tables "$T/dom0.json" | sed 's/^#### /#### dom0: /' > "$T/dom0.md"
fi

{
	echo "<!-- result:begin (tools/readme-result.sh writes this part from examples/*.rec; do not edit) -->"
	echo
	echo "![crossings per packet by kind, UDP request/response](examples/crossings-udp-rr.svg)"
	echo
	jq -r '"\(.recordings | length) recordings in examples/, one column per platform. Columns marked * were recorded under QEMU TCG or nesting (their environment says so): their absolute times are not real-world times; every count is. n/m: not measured there (examples/compare.html has each reason); \"(at least)\": a sum missing kinds that platform could not measure."' "$T/compare.json"
	echo
	cat "$T/tables.md"
	if [ -s "${T}/dom0.md" ]; then
		echo "### The other end: dom0's side of the same phases"
		echo
		jq -r '"\(.recordings | length) recordings in examples/dom0/: dom0 recorded the backend side (netback, or the HVM device model'"'"'s tap; blkback and its loop device; dom0'"'"'s event channels and grant hypercalls) under the peer of each domU'"'"'s suite, cut into the same phases by the marks the suite sends its peer. TX is dom0 to the domU, RX the domU to dom0; each phase holds one more packet each way than the domU'"'"'s (the peer'"'"'s answer to the mark that opened it, the mark that closed it)."' "$T/dom0.json"
		echo
		cat "$T/dom0.md"
	fi
	echo "<!-- result:end -->"
} > "$T/result.md"

# README.md with the part between the markers replaced
awk -v f="$T/result.md" '/^<!-- result:begin/ { while ((getline l < f) > 0) print l; skip = 1; next }
     /^<!-- result:end -->/ { skip = 0; next }
     !skip' README.md > "$T/README.md"
grep -q '^<!-- result:begin' README.md || { echo "readme-result: README.md has no <!-- result:begin --> marker" >&2; exit 1; }

if [ $CHECK = 1 ]; then
	bad=0
	cmp -s "$T/README.md" README.md || { echo "readme-result: README.md's result is not what examples/*.rec give (run tools/readme-result.sh)"; bad=1; }
	cmp -s "$T/crossings-udp-rr.svg" examples/crossings-udp-rr.svg || { echo "readme-result: examples/crossings-udp-rr.svg differs"; bad=1; }
	cmp -s "$T/compare.html" examples/compare.html || { echo "readme-result: examples/compare.html differs"; bad=1; }
	exit $bad
fi
cp "$T/README.md" README.md
cp "$T/crossings-udp-rr.svg" "$T/compare.html" examples/
echo "readme-result: README.md, examples/compare.html and examples/crossings-udp-rr.svg made from ${#recs[@]} recordings"
