# Phases of iopath workload suite over a veth pair: record --net -i VA -o Y.rec -- (in namespace A)
# workload suite --peer B's address, with workload peer serving in namespace B. Each network
# phase file (Y.udp-rr.rec, Y.udp-stream.rec, Y.tcp-bulk.rec) is checked against VA's own
# interface counters over that phase (/proc/net/dev of namespace A, which the workload reads right
# after record answers the phase's mark and right before it writes the next one, and prints in its
# phase line), against the workload's own counts (requests, replies, datagrams) and the peer's,
# and the phases together against the whole run.
# Tolerances: IPv6 is off and neighbours are static (lib.sh make_veth_pair), so only the workload
# crosses the pair: per stage the counts equal the counters, less the packet events raised on top
# of a PID-1 thread where BPF does not run here (lib.sh, blind_start; B, normally 0) over the
# whole run.
. "$(dirname "$0")/lib.sh"

make_veth_pair ph 79
PEER=10.253.79.2
blind_start "net/net_dev_queue net/net_dev_start_xmit net/net_dev_xmit net/netif_rx net/netif_receive_skb" \
	"name == \"$VA\" || name == \"$VB\""
ip netns exec $B "$IOPATH" workload peer 60 > "$TMP/peer.out" 2> "$TMP/peer.err" &
PEERPID=$!
at_exit "kill $PEERPID 2>/dev/null || true"
sleep 0.3
"$IOPATH" record --net -i "$VA" -o "$TMP/Y.rec" -- ip netns exec $A "$IOPATH" workload suite --peer $PEER \
	> "$TMP/out" 2> "$TMP/err" || fail "record exited $?: $(cat "$TMP/err")"
kill $PEERPID; wait $PEERPID || true
blind=$(blind_count); B=${blind:-0}
grep '^phase ' "$TMP/out" > "$TMP/phases" || fail "no phase lines: $(cat "$TMP/out")"
cat "$TMP/phases" "$TMP/peer.out"
echo "events on top of PID 1 (invisible to BPF here): ${blind:-not counted, no tracefs}"
[ "$(wc -l < "$TMP/phases")" = 3 ] || fail "$(wc -l < "$TMP/phases") network phases, want 3"

# the workload's own counts
rr=$(grep '^phase udp-rr: ' "$TMP/phases")
echo "$rr" | grep -q '^phase udp-rr: 200 requests of 64 B to .*, 200 replies, 0 lost' || fail "udp-rr: $rr"
grep -q '^phase udp-stream: 2000 datagrams of 1400 B' "$TMP/phases" || fail "udp-stream did not send 2000"
grep -q '^phase tcp-bulk: 4194304 bytes' "$TMP/phases" || fail "tcp-bulk did not send 4 MiB"
grep -q 'udp-echo on 7100: 200 datagrams echoed' "$TMP/peer.out" || fail "peer: $(cat "$TMP/peer.out")"
grep -q 'udp-sink on 7101: 2000 datagrams received' "$TMP/peer.out" || fail "peer: $(cat "$TMP/peer.out")"
grep -q 'tcp-sink on 7102: 4194304 bytes received' "$TMP/peer.out" || fail "peer: $(cat "$TMP/peer.out")"
ok "workload: 200/200 exchanges, 2000 datagrams, 4 MiB; the peer echoed 200, received 2000 and 4 MiB"

stage() { "$IOPATH" report --json "$1" | jq -r --arg n "$VA" --arg d $2 \
	"[.net.devices[] | select(.name == \$n and .dir == \$d) | .stages.$3 // 0] | add // 0"; }
within() { [ "$1" -le "$2" ] && [ "$1" -ge $(($2 - B)) ]; }
sum_tx=0 sum_rx=0
for name in udp-rr udp-stream tcp-bulk; do
	f=$TMP/Y.$name.rec
	[ -f "$f" ] || fail "no $f: $(cat "$TMP/err")"
	[ "$("$IOPATH" report --json "$f" | jq -r .phase.name)" = $name ] || fail "$f: META phase is not $name"
	line=$(grep "^phase $name: " "$TMP/phases")
	set -- $(echo "$line" | sed -n "s/.*; iface $VA: tx \([0-9]*\) rx \([0-9]*\) packets.*/\1 \2/p")
	[ $# = 2 ] || fail "phase $name: no counters of $VA in '$line'"
	tx=$1 rx=$2
	for s in queue tx_done; do
		got=$(stage "$f" tx $s)
		within "$got" "$tx" || fail "phase $name: $VA tx stage $s $got packets, tx_packets $tx ($B unseeable)"
	done
	for s in rx receive; do
		got=$(stage "$f" rx $s)
		within "$got" "$rx" || fail "phase $name: $VA rx stage $s $got packets, rx_packets $rx ($B unseeable)"
	done
	ok "phase $name: $VA tx $(stage "$f" tx tx_done) rx $(stage "$f" rx receive) traced = tx_packets $tx rx_packets $rx"
	case $name in
	udp-rr) [ "$tx" = 200 ] && [ "$rx" = 200 ] || fail "udp-rr: $VA counted tx $tx rx $rx, the workload 200 each way" ;;
	udp-stream) [ "$tx" = 2000 ] && [ "$rx" = 0 ] || fail "udp-stream: $VA counted tx $tx rx $rx, the workload sent 2000" ;;
	esac
	sum_tx=$((sum_tx + $(stage "$f" tx tx_done))) sum_rx=$((sum_rx + $(stage "$f" rx receive)))
done
# Nothing crosses the pair outside the phases (nothing but the workload uses it), so the phases
# add up to the whole run.
wtx=$(stage "$TMP/Y.rec" tx tx_done) wrx=$(stage "$TMP/Y.rec" rx receive)
[ "$wtx" = "$sum_tx" ] && [ "$wrx" = "$sum_rx" ] || fail "whole run tx $wtx rx $wrx, the phases tx $sum_tx rx $sum_rx"
ok "the phases add up to the whole run: tx $wtx, rx $wrx"
