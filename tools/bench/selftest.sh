#!/bin/sh
# The bench's own arithmetic on known numbers, before make bench spends minutes measuring:
# stats.awk's median, min-max and quartiles (R's type 7), its verdicts against a baseline
# (each direction, memory wording, within spread, new, fewer than two samples, no direction),
# and that render.awk's JSON parses and svg.awk writes a whole SVG. Needs awk and jq only.
set -eu
cd "$(dirname "$0")"
T=$(mktemp -d /tmp/iopath-bench-selftest.XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0
tab=$(printf '\t')

# id unit better what
cat > "$T/meta" <<EOF
even${tab}x${tab}higher${tab}four samples
odd${tab}x${tab}higher${tab}three samples, unsorted
slower${tab}x${tab}higher${tab}ratio fell beyond the spread
faster_ms${tab}ms${tab}lower${tab}time fell beyond the spread
larger${tab}KiB${tab}lower${tab}memory grew beyond the spread
overlap${tab}x${tab}higher${tab}spreads overlap
one${tab}ms${tab}lower${tab}a single sample
fresh${tab}ms${tab}lower${tab}not in the baseline
count${tab}count${tab}none${tab}no direction
udp.a.ratio${tab}x${tab}higher${tab}a row of the SVG
perhit.net.net_dev_queue.iopath_ns${tab}ns${tab}lower${tab}a per-hit row of the SVG
EOF
# id round value
awk -v OFS="$tab" 'function put(id, list,    a, n, i) { n = split(list, a, " "); for (i = 1; i <= n; i++) print id, i, a[i] }
BEGIN {
	put("even", "1 2 3 4"); put("odd", "5 1 3"); put("slower", "0.5 0.6 0.7"); put("faster_ms", "50 55 60")
	put("larger", "2000 2100 2050"); put("overlap", "0.95 1.2 1.3"); put("one", "7"); put("fresh", "3 4")
	put("count", "10 12"); put("udp.a.ratio", "0.8 0.9"); put("perhit.net.net_dev_queue.iopath_ns", "400 500") }' > "$T/samples"
# id n median min max
cat > "$T/base" <<EOF
slower${tab}3${tab}1.0${tab}0.9${tab}1.1
faster_ms${tab}3${tab}100${tab}90${tab}110
larger${tab}3${tab}1000${tab}990${tab}1010
overlap${tab}3${tab}1.0${tab}0.9${tab}1.1
one${tab}3${tab}1${tab}1${tab}1
count${tab}3${tab}1${tab}1${tab}1
EOF
awk -f stats.awk "$T/meta" "$T/samples" "$T/base" > "$T/fig"

# expect ID COLUMN VALUE (columns: 4 n, 5 median, 6 min, 7 max, 8 q1, 9 q3, 14 verdict)
expect() {
	got=$(awk -F'\t' -v id="$1" -v c="$2" '$1 == id { print $c }' "$T/fig")
	if [ "$got" = "$3" ]; then
		echo "ok: $1 column $2 = $3"
	else
		echo "FAIL: $1 column $2 = '$got', want '$3'"
		fails=$((fails + 1))
	fi
}
expect even 4 4
expect even 5 2.5
expect even 6 1
expect even 7 4
expect even 8 1.75
expect even 9 3.25
expect odd 5 3
expect odd 8 2
expect odd 9 4
expect slower 14 slower
expect faster_ms 14 faster
expect larger 14 larger
expect overlap 14 "within spread"
expect one 14 "n<2"
expect fresh 14 new
expect count 14 -
expect odd 15 5,1,3   # in round order, as measured

awk -f render.awk -v mode=json -v params="a=1 b=2" -v sections="udp perhit" -v skipped="x: y
z: w" "$T/fig" > "$T/json"
if jq -e '.figures[0].median == 2.5 and (.figures[1].samples | length) == 3 and
	  (.skipped | length) == 2 and .params.b == 2 and .figures[2].baseline.median == 1' "$T/json" > /dev/null; then
	echo "ok: render.awk writes JSON that parses and holds the figures"
else
	echo "FAIL: render.awk's JSON: $(jq -c . "$T/json" 2>&1 | head -c 300)"
	fails=$((fails + 1))
fi
awk -f svg.awk -v title="self <test> & check" "$T/fig" > "$T/svg"
if head -n 1 "$T/svg" | grep -q '^<svg ' && tail -n 1 "$T/svg" | grep -q '^</svg>$' &&
	grep -q 'self &lt;test&gt; &amp; check' "$T/svg" && grep -q 'udp  a' "$T/svg" &&
	grep -q 'net_dev_queue (net)' "$T/svg"; then
	echo "ok: svg.awk writes a whole SVG with both panels' rows and escaped text"
else
	echo "FAIL: svg.awk's output"
	fails=$((fails + 1))
fi
[ $fails = 0 ] || { echo "bench selftest: $fails failed"; exit 1; }
echo "bench selftest: all passed"
