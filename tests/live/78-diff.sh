# iopath diff on live recordings: 2000 vs 4000 datagrams of the built-in
# workload compare per device and direction with exact counts (integers,
# 554 bytes a datagram on TX, 540 on RX: eth_type_trans strips the 14-byte
# Ethernet header), the sender's and receiver's ends in sections of their own;
# -a with an interface the file lacks is one line and exit 2; a network and a
# block-only recording say they share nothing.
. "$(dirname "$0")/lib.sh"

"$IOPATH" record --net --workload builtin --packets 2000 -o "$TMP/a.rec" > /dev/null 2>&1
"$IOPATH" record --net --workload builtin --packets 4000 -o "$TMP/b.rec" > /dev/null 2>&1
"$IOPATH" diff "$TMP/a.rec" "$TMP/b.rec" > "$TMP/d.txt"
"$IOPATH" diff --json "$TMP/a.rec" "$TMP/b.rec" > "$TMP/d.json"
# the workload's veth ends are iopwl<pid>a (sends) and iopwl<pid>b (receives)
for dir in TX RX; do
	s=$(jq -c --arg n "network $dir" '[.sections[] | select(.name == $n and (.a // "" | test("^iopwl")))][0]' "$TMP/d.json")
	[ "$s" != null ] || fail "no network $dir section pairing the workload's devices: $(grep '^network' "$TMP/d.txt")"
	row() { echo "$s" | jq -r --arg m "$1" '.rows[] | select(.metric == $m) | "\(.a) \(.b) \(.ratio)"'; }
	bpp=$([ $dir = TX ] && echo 554 || echo 540)
	[ "$(row packets)" = "2000 4000 2" ] || fail "$dir packets row: $(row packets)"
	[ "$(row bytes/packet)" = "$bpp $bpp 1" ] || fail "$dir bytes/packet row: $(row bytes/packet)"
	[ "$(row bytes)" = "$((2000 * bpp)) $((4000 * bpp)) 2" ] || fail "$dir bytes row: $(row bytes)"
	end=$([ $dir = TX ] && echo a || echo b)
	echo "$s" | jq -e --arg e "$end" '(.a | endswith($e)) and (.b | endswith($e))' > /dev/null ||
		fail "$dir pairs $(echo "$s" | jq -r '"\(.a) with \(.b)"'), want both ends ...$end"
done
grep -qE '^  packets +2000 +4000 +\+2000 +2\.00x$' "$TMP/d.txt" || fail "text packets row: $(grep '^  packets' "$TMP/d.txt" | head -1)"
! grep -qE '[0-9]\.000 ' "$TMP/d.txt" || fail "counts printed as decimals: $(grep -E '[0-9]\.000 ' "$TMP/d.txt" | head -1)"
! grep -q "multicall" "$TMP/d.txt" || fail "PV multicall row on a machine without the point"
ok "diff: packets 2000 vs 4000, bytes/packet 554 (TX) and 540 (RX), each end its own section"

expect_exit 2 1 -- "$IOPATH" diff -a nosuch "$TMP/a.rec" "$TMP/b.rec"
grep -q "has no such interface (it has: iopwl" "$TMP/err" || fail "-a nosuch: $(cat "$TMP/err")"
[ ! -s "$TMP/out" ] || fail "-a nosuch printed a table"

"$IOPATH" record --blk -d 1 -o "$TMP/k.rec" > /dev/null 2>&1
"$IOPATH" diff "$TMP/a.rec" "$TMP/k.rec" > "$TMP/nk.txt"
grep -q "^note: A and B share no network or block section (A: network path only; B: block path only)" "$TMP/nk.txt" ||
	fail "no note that the recordings share nothing: $(head -4 "$TMP/nk.txt")"
! grep -q "^network\|^block" "$TMP/nk.txt" || fail "sections compared though not shared"
ok "network vs block-only recording: says they share nothing"
