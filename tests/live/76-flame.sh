# Flame graphs of a real recording: folded lines follow flamegraph.pl's format
# (frames separated by ';', no spaces in frames, one count; flamegraph.pl is
# not packaged in Debian 12, so the rules are checked here), counts equal the
# recording's packets, and the SVG renders in headless Chromium: after its
# script ran, the DOM has a frame per probe point with fitted labels, and the
# screenshot holds far more drawing than a blank SVG of the same size.
. "$(dirname "$0")/lib.sh"
command -v chromium > /dev/null || fail "chromium not installed (tools/install-deps.sh test installs it)"

"$IOPATH" record --net --blk --workload builtin --packets 4000 -o "$TMP/r.rec" > /dev/null 2>&1
"$IOPATH" flame --folded "$TMP/r.rec" > "$TMP/f.folded"
bad=$(grep -cvE '^[^ ;]+(;[^ ;]+)* [0-9]+$' "$TMP/f.folded" || true)
[ "$bad" = 0 ] || fail "$bad folded lines break the format: $(grep -vE '^[^ ;]+(;[^ ;]+)* [0-9]+$' "$TMP/f.folded" | head -2)"
sort -c "$TMP/f.folded" || fail "folded lines not sorted (flamegraph.pl merges adjacent lines)"
tx=$(awk '$1 ~ /^iopwl.*\/tx;/ { s += $NF } END { print s + 0 }' "$TMP/f.folded")
[ "$tx" = 4000 ] || fail "tx stacks weigh $tx, the workload sent 4000"
ok "folded: $(wc -l < "$TMP/f.folded") stacks, tx weight $tx"

"$IOPATH" flame "$TMP/r.rec" -o "$TMP/f.svg"
"$IOPATH" flame --speedscope "$TMP/r.rec" | jq -e '.shared.frames | length > 3' > /dev/null || fail "speedscope JSON"
chrome() { timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync \
	--user-data-dir="$TMP/chr" "$@" 2>/dev/null; }
chrome --dump-dom "file://$TMP/f.svg" > "$TMP/dom.html"
for frame in net_dev_queue net_dev_start_xmit netif_receive_skb; do
	grep -q "<title>$frame (" "$TMP/dom.html" || fail "no frame $frame in the rendered DOM"
	grep -q ">$frame</text>" "$TMP/dom.html" || fail "label $frame not fitted by the SVG's script"
done
ok "DOM: frames and script-fitted labels present"
printf '<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="200"><rect width="100%%" height="100%%" fill="#f8f8f8"/></svg>' > "$TMP/blank.svg"
chrome --window-size=1200,200 --screenshot="$TMP/f.png" "file://$TMP/f.svg"
chrome --window-size=1200,200 --screenshot="$TMP/blank.png" "file://$TMP/blank.svg"
fs=$(stat -c %s "$TMP/f.png"); bs=$(stat -c %s "$TMP/blank.png")
# a uniform page compresses to almost nothing; frames and text do not
[ "$fs" -gt $((bs * 4)) ] || fail "screenshot $fs bytes vs blank $bs: nothing drawn?"
ok "screenshot $fs bytes vs blank $bs"

"$IOPATH" record --net --workload builtin --packets 1000 -o "$TMP/s.rec" > /dev/null 2>&1
"$IOPATH" flame --folded --diff "$TMP/s.rec" "$TMP/r.rec" > "$TMP/d.folded"
grep -qE '^[^ ]+ [0-9]+ [0-9]+$' "$TMP/d.folded" || fail "differential folded lines need two counts"
"$IOPATH" flame --diff "$TMP/s.rec" "$TMP/r.rec" -o "$TMP/d.svg"
grep -q "red: grew, blue: shrank" "$TMP/d.svg" || fail "differential SVG legend"
ok "differential: $(wc -l < "$TMP/d.folded") stacks"
