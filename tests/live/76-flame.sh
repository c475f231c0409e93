# Flame graphs of a real recording: folded lines follow flamegraph.pl's format
# (frames separated by ';', no spaces in frames, one count; flamegraph.pl is
# not packaged in Debian 12, so the rules are checked here), counts equal the
# recording's packets, and the SVG renders in headless Chromium: after its
# script ran, the DOM has a frame per probe point with fitted labels, and the
# screenshot holds far more drawing than a blank SVG of the same size.
# Click-to-zoom, in the browser, on a kernel-stack graph (paths have no
# branching frame but the root): zoomed into a frame with children, the frame
# spans the full width, its descendants are rescaled into it by the same
# factor (children inside it, no wider together than it), its ancestors and
# the root span the full width, every other frame is hidden; a screenshot of
# the zoomed view is left in build/flame-zoom.png for a human to look at.
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

# One line per frame of an SVG or its DOM: index, name, x, y, width, shown (1/0).
frames() { awk '/<g class="f"/ {
	shown = $0 !~ /display: *none/
	name = $0; sub(/.*<title>/, "", name); sub(/ \([^(]*<\/title>.*/, "", name)
	x = $0; sub(/.*<rect x="/, "", x); sub(/".*/, "", x)
	y = $0; sub(/.*<rect [^>]*y="/, "", y); sub(/".*/, "", y)
	w = $0; sub(/.*<rect [^>]*width="/, "", w); sub(/".*/, "", w)
	print n++ "\t" name "\t" x "\t" y "\t" w "\t" shown }' "$1"; }
"$IOPATH" record --stacks --workload builtin --packets 2000 -o "$TMP/k.rec" > /dev/null 2>&1
"$IOPATH" flame --stacks "$TMP/k.rec" -o "$TMP/k.svg"
frames "$TMP/k.svg" > "$TMP/k.frames"
# the frame to zoom: not the root, at least two children, under half the
# width (so zooming moves things), the first widest of its name (what
# #zoom=NAME picks), the widest such
pick=$(awk -F'\t' '{ i = $1; nm[i] = $2; y[i] = $4; w[i] = $5; n = i + 1; if (!($2 in bw) || $5 > bw[$2]) { bw[$2] = $5; bi[$2] = i } }
	END { for (i = 1; i < n; i++) { if (w[i] >= 590 || bi[nm[i]] != i) continue
		k = 0; for (j = i + 1; j < n && y[j] < y[i]; j++) if (y[j] == y[i] - 17) k++
		if (k >= 2 && w[i] > cw) { cw = w[i]; c = i } }
		if (c) print c "\t" nm[c] }' "$TMP/k.frames")
[ -n "$pick" ] || fail "no frame with two children to zoom into among $(wc -l < "$TMP/k.frames") frames"
zi=$(printf '%s\n' "$pick" | cut -f1) zn=$(printf '%s\n' "$pick" | cut -f2)
frag=$(jq -rn --arg s "$zn" '$s | @uri')
chrome --dump-dom "file://$TMP/k.svg#zoom=$frag" > "$TMP/kz.html"
frames "$TMP/kz.html" > "$TMP/kz.frames"
[ "$(wc -l < "$TMP/kz.frames")" = "$(wc -l < "$TMP/k.frames")" ] || fail "the DOM lost frames"
# E: the script's margin for 0.01-rounded coordinates; it scales with the zoom
res=$(paste "$TMP/k.frames" "$TMP/kz.frames" | awk -F'\t' -v z="$zi" '
	{ i = $1; x[i] = $3; y[i] = $4; w[i] = $5; nx[i] = $9; nw[i] = $11; sh[i] = $12; n = i + 1 }
	function near(a, b, t) { return a - b <= t && b - a <= t }
	END {
		E = 0.05; x0 = x[z]; w0 = w[z]; s = 1180 / w0; T = E * s
		if (!near(nx[z], 10, 0.01) || !near(nw[z], 1180, 0.01) || !sh[z]) { print "clicked frame at " nx[z] " width " nw[z]; exit }
		if (!sh[0] || !near(nw[0], 1180, 0.01)) { print "root hidden or not full width: " nw[0]; exit }
		for (i = 0; i < n; i++) {
			if (y[i] <= y[z] && x[i] >= x0 - E && x[i] + w[i] <= x0 + w0 + E) {
				d++
				if (!near(nx[i], 10 + (x[i] - x0) * s, 0.01) || !near(nw[i], w[i] * s, 0.01) ||
				    nx[i] < 10 - T || nx[i] + nw[i] > 1190 + T || !sh[i]) { print "descendant " i " at " nx[i] " width " nw[i]; exit }
				if (y[i] == y[z] - 17) { kids++; kw += nw[i]; if (nw[i] > w[i] + 1) grew++ }
			} else if (y[i] > y[z] && x[i] <= x0 + E && x[i] + w[i] >= x0 + w0 - E) {
				a++
				if (!near(nx[i], 10, 0.01) || !near(nw[i], 1180, 0.01) || !sh[i]) { print "ancestor " i " at " nx[i] " width " nw[i]; exit }
			} else {
				u++
				if (sh[i] || nw[i] != 0) { print "unrelated frame " i " still shown, width " nw[i]; exit }
			}
		}
		if (kids < 2 || kw > 1180 + T || !grew) { print kids " children " kw " wide, " grew " widened"; exit }
		printf "ok %d descendants (%d children, %.1f of 1180 wide), %d ancestors, %d hidden, x%.1f\n", d, kids, kw, a, u, s
	}')
case $res in ok*) ;; *) fail "zoom into $zn (frame $zi): $res" ;; esac
ok "zoom into $zn: ${res#ok }"
h=$(sed -n 's/.*<svg [^>]*height="\([0-9]*\)".*/\1/p' "$TMP/k.svg" | head -1)
mkdir -p build
chrome --window-size=1200,"$h" --screenshot="$PWD/build/flame-zoom.png" "file://$TMP/k.svg#zoom=$frag"
[ -s build/flame-zoom.png ] || fail "no screenshot of the zoomed graph"
ok "screenshot of the zoomed graph: build/flame-zoom.png ($(stat -c %s build/flame-zoom.png) bytes)"
