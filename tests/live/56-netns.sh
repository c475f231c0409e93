# --netns keeps one network namespace, by name, inode or net:[INODE], and reports name the
# namespaces (from /run/netns) instead of printing inodes, live and from the recording alike.
# Checked on a veth pair only this test uses, each end in a namespace of its own, against the
# datagrams sent (IPv6 off, static neighbours: nothing else crosses it).
. "$(dirname "$0")/lib.sh"

make_veth_pair ns 78
blind_start "net/net_dev_queue net/netif_receive_skb" "name == \"$VA\" || name == \"$VB\""
N=1500
SEND="ip netns exec $A $IOPATH workload udp-send 10.253.78.2 6101 $N > /dev/null"
INO_A=$(stat -L -c %i /run/netns/$A) INO_B=$(stat -L -c %i /run/netns/$B)
pk() { jq -r --arg n "$1" --arg d "$2" '[.net.devices[] | select(.name == $n and .dir == $d) | .packets] | add // 0' "$TMP/r.json"; }
# COUNT = WANT, or short by no more than the events BPF could not see here (lib.sh blind_start)
is() { local b; b=$(blind_peek); [ "$1" -le "$2" ] && [ "$1" -ge $(($2 - ${b:-0})) ]; }

# by name: A's end only (its TX; the peer's RX is in B), every device row in A
"$IOPATH" record --netns $A --json --sample 0 -o "$TMP/a.rec" -- sh -c "$SEND" > "$TMP/r.json"
is "$(pk $VA tx)" $N || fail "--netns $A: $VA tx $(pk $VA tx), want $N"
[ "$(pk $VB rx)" = 0 ] || fail "--netns $A: $VB (in $B) rx $(pk $VB rx)"
others=$(jq -r --argjson i "$INO_A" '[.net.devices[] | select(.netns != $i)] | length' "$TMP/r.json")
[ "$others" = 0 ] || fail "--netns $A: $others device rows of other namespaces"
ok "--netns $A: $VA tx $(pk $VA tx) of $N, nothing from other namespaces"

# the namespace by name: JSON and text, live and from the recording
[ "$(jq -r --arg n $VA '[.net.devices[] | select(.name == $n) | .netns_name][0]' "$TMP/r.json")" = "$A" ] ||
	fail "JSON: $VA has no netns_name $A: $(jq -c '.net.devices[0]' "$TMP/r.json")"
"$IOPATH" report "$TMP/a.rec" > "$TMP/a.txt"
grep -q "^$VA TX (ifindex [0-9]*, netns $A): " "$TMP/a.txt" || fail "report: no '$VA TX (..., netns $A)': $(grep "^$VA" "$TMP/a.txt")"
"$IOPATH" report --json "$TMP/a.rec" | jq -e --arg n "$A" '[.net.devices[] | select(.netns_name == $n)] | length > 0' > /dev/null ||
	fail "report --json of the recording lost the namespace name"
ok "namespace named $A in the live JSON, in report and report --json of the recording"

# by inode and as readlink prints it: B's end, the received side
for ns in "$INO_B" "net:[$INO_B]"; do
	"$IOPATH" record --netns "$ns" -i $VB --json --sample 0 -- sh -c "$SEND" > "$TMP/r.json"
	is "$(pk $VB rx)" $N || fail "--netns $ns -i $VB: rx $(pk $VB rx), want $N"
	[ "$(pk $VA tx)" = 0 ] || fail "--netns $ns: $VA (in $A) tx $(pk $VA tx)"
	ok "--netns $ns -i $VB: rx $(pk $VB rx) of $N"
done
ok "pair events on top of PID 1 (unseeable by BPF here) during these recordings: $(blind_count)"
