# iopath compare on four real runs of this machine: 1000 UDP datagrams of 512 B over a veth pair
# and over the loopback of a namespace of the test's own, and 256 4 KiB writes to a loop device
# with O_DIRECT and through the page cache (merged by writeback before they reach the disk).
# The comparison's per-packet and per-request numbers equal each recording's own report --json
# (the same aggregates: exact, no tolerance) and the kernel's counters: the interfaces' tx_packets
# (only this test's traffic crosses them: IPv6 off, static neighbours, a namespace of its own:
# exact) and the loop device's completed writes in /sys/block/LOOP/stat (only this test opens it;
# the one tolerance: completions BPF is not given on this sandbox VM, counted by ftrace in the same
# window, lib.sh blind_start). Every null value carries its reason and every reason a null value,
# so nothing unmeasured reads 0. Bad inputs: one line and the README's exit code. The HTML page
# renders in headless Chromium with its plots: the DOM holds the stacked-bar and histogram
# rectangles, and a screenshot (build/compare.png, for a human to look at) holds far more drawing
# than a blank page of the same size.
. "$(dirname "$0")/lib.sh"
command -v chromium > /dev/null || fail "chromium not installed (tools/install-deps.sh test installs it)"

N=1000
make_veth_pair cm 71
ip netns exec $B "$IOPATH" workload udp-sink 7301 6 > "$TMP/sink.out" &
SINK=$!
at_exit "kill $SINK 2>/dev/null || true"
sleep 0.3
tx0=$(stat_of $A $VA tx_packets)
"$IOPATH" record --net -i $VA -o "$TMP/veth.rec" -- ip netns exec $A "$IOPATH" workload udp-send 10.253.71.2 7301 $N 512 > /dev/null 2>&1 ||
	fail "record over veth failed"
tx_veth=$(($(stat_of $A $VA tx_packets) - tx0))

make_netns cmlo
tx0=$(stat_of $NS lo tx_packets)
ip netns exec $NS "$IOPATH" record --net -i lo -o "$TMP/lo.rec" -- sh -c "
	'$IOPATH' workload udp-sink 7302 4 > $TMP/losink.out & sleep 0.5
	'$IOPATH' workload udp-send 127.0.0.1 7302 $N 512 && wait" > /dev/null 2>&1 || fail "record over loopback failed"
tx_lo=$(($(stat_of $NS lo tx_packets) - tx0))
[ "$tx_veth" = $N ] && [ "$tx_lo" = $N ] || fail "interfaces sent $tx_veth (veth) and $tx_lo (lo), want $N each"

make_loop 64M
command -v udevadm > /dev/null && udevadm settle 2> /dev/null || true
IFS=: read maj min < "/sys/block/$LOOPNAME/dev"
# /sys/block/X/stat field 5: write I/Os completed (Documentation/block/stat.rst)
writes() { awk '{ print $5 }' "/sys/block/$LOOPNAME/stat"; }
blind_start block/block_rq_complete "dev == $(( (maj << 20) | min ))"
w0=$(writes)
"$IOPATH" record --blk --disk "$LOOP" -o "$TMP/direct.rec" -- dd if=/dev/zero of="$LOOP" bs=4k count=256 oflag=direct status=none > /dev/null 2>&1 ||
	fail "record of direct writes failed"
w1=$(writes)
"$IOPATH" record --blk --disk "$LOOP" -o "$TMP/buffered.rec" -- sh -c "dd if=/dev/zero of=$LOOP bs=4k count=256 status=none; sync" > /dev/null 2>&1 ||
	fail "record of buffered writes failed"
w2=$(writes)
blind=$(blind_count)
d_direct=$((w1 - w0)) d_buf=$((w2 - w1))
ok "kernel counters: $tx_veth and $tx_lo datagrams sent, $d_direct direct and $d_buf buffered writes completed (${blind:-no ftrace} missed by BPF)"

R="$TMP/veth.rec $TMP/lo.rec $TMP/direct.rec $TMP/buffered.rec"
# shellcheck disable=SC2086 # R: the four files
"$IOPATH" compare $R --json > "$TMP/c.json"
# shellcheck disable=SC2086
"$IOPATH" compare $R > "$TMP/c.txt"
versioned "$TMP/c.json"
for r in veth lo direct buffered; do "$IOPATH" report --json "$TMP/$r.rec" > "$TMP/$r.json"; done
[ "$(jq '.groups | length' "$TMP/c.json")" = 1 ] || fail "recordings without a phase in more than one group"
[ "$(jq -r '.groups[0].phase' "$TMP/c.json")" = "whole run" ] || fail "group $(jq -r '.groups[0].phase' "$TMP/c.json")"

# sec TITLE: the section; val TITLE ROW COL: its value in column COL (0-based), null when n/m
sec() { jq -c --arg t "$1" '.groups[0].sections[] | select(.title == $t)' "$TMP/c.json"; }
val() { jq -r --arg t "$1" --arg r "$2" --argjson c "$3" \
	'[.groups[0].sections[] | select(.title == $t) | .rows[] | select(.name == $r) | .values[$c]][0]' "$TMP/c.json"; }
near() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; exit !(d < 1e-6 && d > -1e-6) }'; }

# network TX: the veth end and lo pair by rank (their names differ)
s=$(sec "network TX")
[ "$(echo "$s" | jq -r '.units | join(",")')" = "$VA,lo,," ] || fail "network TX units $(echo "$s" | jq -c .units)"
for c in 0 1; do
	f=$([ $c = 0 ] && echo veth || echo lo) dev=$([ $c = 0 ] && echo $VA || echo lo)
	rj() { jq -r --arg n "$dev" ".net.devices[] | select(.name == \$n and .dir == \"tx\") | $1" "$TMP/$f.json"; }
	[ "$(val "network TX" packets $c)" = "$(rj .packets)" ] || fail "$f: compare packets $(val "network TX" packets $c), report $(rj .packets)"
	[ "$(rj .packets)" = $N ] || fail "$f: $(rj .packets) TX packets recorded, the interface sent $N"
	near "$(val "network TX" bytes/packet $c)" "$(rj '.bytes / .packets')" || fail "$f bytes/packet"
	near "$(val "network TX" "probe hits/packet" $c)" "$(rj .path_length.mean)" || fail "$f probe hits/packet"
	near "$(val "network TX" interrupts/packet $c | sed 's/null/0/')" "$(rj .irqs_per_packet)" || fail "$f interrupts/packet"
	# each exit kind: null in compare exactly where the report has null; else the report's number
	for k in $(rj '.exits_per_packet | keys[]'); do
		want=$(rj ".exits_per_packet[\"$k\"]") got=$(val "network TX" "$k/packet" $c)
		if [ "$want" = null ]; then
			[ "$got" = null ] || fail "$f $k: report says not measured, compare $got"
		elif [ "$got" = null ]; then
			# a row all of whose values are a measured 0 is left out: then the report has 0 too
			near "$want" 0 || fail "$f $k: report $want, no value in compare"
		else
			near "$got" "$want" || fail "$f $k: compare $got, report $want"
		fi
	done
	[ "$(val "network TX" packets $((c + 2)))" = null ] || fail "a block-only recording has a packets value"
done
ok "network TX: $N packets each, bytes/packet $(val "network TX" bytes/packet 0) and $(val "network TX" bytes/packet 1), exit kinds as the reports have them"

# block write: loop0 in both block recordings, by name
s=$(sec "block write")
[ "$(echo "$s" | jq -r '.units | join(",")')" = ",,$LOOPNAME,$LOOPNAME" ] || fail "block write units $(echo "$s" | jq -c .units)"
for c in 2 3; do
	f=$([ $c = 2 ] && echo direct || echo buffered) d=$([ $c = 2 ] && echo $d_direct || echo $d_buf)
	req=$(jq '[.blk.classes[] | select(.op == "write") | .requests] | add' "$TMP/$f.json")
	byt=$(jq '[.blk.classes[] | select(.op == "write") | .bytes] | add' "$TMP/$f.json")
	hits=$(jq '[.blk.classes[] | select(.op == "write") | .path_length.mean * .requests] | add' "$TMP/$f.json")
	[ "$(val "block write" requests $c)" = "$req" ] || fail "$f: compare requests $(val "block write" requests $c), report $req"
	near "$(val "block write" bytes/request $c)" "$(echo "$byt / $req" | bc -l)" || fail "$f bytes/request"
	near "$(val "block write" "probe hits/request" $c)" "$(echo "$hits / $req" | bc -l)" || fail "$f probe hits/request"
	# every completed write the disk counted is a traced request, but for those BPF is not given
	[ "$req" -le "$d" ] && [ "$req" -ge $((d - ${blind:-0})) ] || fail "$f: $req requests recorded, the disk completed $d (${blind:-0} unseen)"
done
[ "$(val "block write" requests 2)" -ge 250 ] || fail "direct: fewer than 250 requests for 256 O_DIRECT writes"
awk -v a="$(val "block write" bytes/request 3)" -v b="$(val "block write" bytes/request 2)" 'BEGIN { exit !(a > 4 * b) }' ||
	fail "buffered writes not merged: $(val "block write" bytes/request 3) vs $(val "block write" bytes/request 2) bytes/request"
ok "block write: $(val "block write" requests 2) direct vs $(val "block write" requests 3) buffered requests (disk: $d_direct, $d_buf), $(val "block write" bytes/request 2) vs $(val "block write" bytes/request 3) bytes/request"

# not measured is null with a reason, and only then
bad=$(jq '[.groups[].sections[].rows[] | . as $r | range(0; .values | length) |
	select(($r.values[.] == null) != ($r.not_measured[.] != null))] | length' "$TMP/c.json")
[ "$bad" = 0 ] || fail "$bad values where null and a reason do not go together"
jq -e '[.groups[].sections[].rows[].not_measured[] | select(. != null)] | any(test("recorded without --blk"))' "$TMP/c.json" > /dev/null ||
	fail "no 'recorded without --blk' reason for the network recordings' block cells"
grep -q '^  \[[0-9]*\] in 1,2: recorded without --blk$' "$TMP/c.txt" || fail "text: no footnote for the missing block path"
awk 'length > 80 { n++ } END { exit n > 0 }' "$TMP/c.txt" || fail "text lines over 80 columns: $(awk 'length > 80' "$TMP/c.txt" | head -1)"
ok "n/m: null and reason together; text footnotes; 80 columns"

# labels: from the recordings, or --label per recording
# shellcheck disable=SC2086
"$IOPATH" compare --label one --label two --label three --label four --json $R | jq -e '.groups[0].columns | map(.label) == ["one","two","three","four"]' > /dev/null ||
	fail "--label not applied in order"
jq -e --arg v "$VA" '.groups[0].columns[0].label | endswith("(" + $v + ")")' "$TMP/c.json" > /dev/null ||
	fail "veth column label $(jq -r '.groups[0].columns[0].label' "$TMP/c.json")"

# bad inputs: one line each, README's exit codes, nothing on stdout
# shellcheck disable=SC2086
expect_exit 2 1 -- "$IOPATH" compare --label a --label b --label c $R
grep -q -- "--label for 4 recordings" "$TMP/err" || fail "label count: $(cat "$TMP/err")"
expect_exit 2 1 -- "$IOPATH" compare "$TMP/veth.rec"
expect_exit 2 1 -- "$IOPATH" compare --nosuch "$TMP/veth.rec" "$TMP/lo.rec"
expect_exit 2 1 -- "$IOPATH" compare --html /nonexistent/dir/c.html "$TMP/veth.rec" "$TMP/lo.rec"
[ ! -s "$TMP/out" ] || fail "an unwritable --html still printed the comparison"
head -c 3000 "$TMP/veth.rec" > "$TMP/cut.rec"
expect_exit 1 1 -- "$IOPATH" compare "$TMP/cut.rec" "$TMP/lo.rec"
grep -q "cut.rec: " "$TMP/err" || fail "truncated file not named: $(cat "$TMP/err")"
expect_exit 1 1 -- "$IOPATH" compare "$TMP/nosuch.rec" "$TMP/lo.rec"
echo junk > "$TMP/junk.rec"
expect_exit 1 1 -- "$IOPATH" compare "$TMP/lo.rec" "$TMP/junk.rec"

# the page: self-contained, rendered with its plots
# shellcheck disable=SC2086
"$IOPATH" compare $R --html "$TMP/c.html" > /dev/null
! grep -qE '(src|href)="(https?:)?//' "$TMP/c.html" || fail "the page fetches something"
chrome() { timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync \
	--user-data-dir="$TMP/chr" "$@" 2>/dev/null; }
chrome --dump-dom "file://$TMP/c.html" > "$TMP/dom.html"
grep -q 'crossings per TX packet by kind' "$TMP/dom.html" || fail "no crossings plot in the DOM"
bars=$(grep -o '<rect class="bar"' "$TMP/dom.html" | wc -l)
[ "$bars" -ge 4 ] || fail "$bars histogram bars in the DOM"
grep -q 'latency first -&gt; last stage, share of TX packets' "$TMP/dom.html" || fail "no TX latency histogram"
grep -q 'src="data:image/svg+xml;base64,' "$TMP/dom.html" || fail "no differential flame graph"
printf '<!DOCTYPE html><html><body style="margin:0;background:#fff"></body></html>' > "$TMP/blank.html"
mkdir -p build
chrome --window-size=1200,3000 --screenshot="$PWD/build/compare.png" "file://$TMP/c.html"
chrome --window-size=1200,3000 --screenshot="$TMP/blank.png" "file://$TMP/blank.html"
fs=$(stat -c %s build/compare.png); bs=$(stat -c %s "$TMP/blank.png")
# a uniform page compresses to almost nothing; tables, bars and text do not
[ "$fs" -gt $((bs * 20)) ] || fail "screenshot $fs bytes vs blank $bs: nothing drawn?"
ok "HTML: $bars histogram bars, a crossings plot, a flame graph; screenshot build/compare.png $fs bytes vs blank $bs"
