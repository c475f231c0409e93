# Phases of iopath workload suite over a veth pair: record --net -i VA -o Y.rec -- (in namespace A)
# workload suite --peer B's address, with workload peer serving in namespace B. Each network
# phase file (Y.udp-rr.rec, Y.udp-stream.rec, Y.tcp-bulk.rec) is checked against VA's own
# interface counters over that phase (/proc/net/dev of namespace A, which the workload reads right
# after record answers the phase's mark and right before it writes the next one, and prints in its
# phase line), against the workload's own counts (requests, replies, datagrams) and the peer's,
# and the phases together against the whole run. The peer runs under a record of its own
# (record --net -i VB -o P.rec -- workload peer): the suite tells it each mark (a datagram to
# BASE+3, answered), so its side is cut into the same phases, each holding the peer's answer
# that opened it and the datagram that closed it (one packet each way more than A's side); on
# A's side those exchanges are outside every phase (between a "-" mark and the phase's own).
# Tolerances: IPv6 is off and neighbours are static (lib.sh make_veth_pair), so only the workload
# crosses the pair: per stage the counts equal the counters, less the packet events raised on top
# of a PID-1 thread where BPF does not run here (lib.sh, blind_start; B, normally 0) over the
# whole run.
. "$(dirname "$0")/lib.sh"

make_veth_pair ph 79
PEER=10.253.79.2
blind_start "net/net_dev_queue net/net_dev_start_xmit net/net_dev_xmit net/netif_rx net/netif_receive_skb" \
	"name == \"$VA\" || name == \"$VB\""
# the peer ends when the suite is done (the file $TMP/done), under its record
ip netns exec $B "$IOPATH" record --net -i "$VB" -o "$TMP/P.rec" -- sh -c "'$IOPATH' workload peer 120 & p=\$!
	while [ ! -e '$TMP/done' ]; do sleep 0.2; done; kill \$p; wait \$p" > "$TMP/peer.out" 2> "$TMP/peer.err" &
PEERPID=$!
at_exit "kill $PEERPID 2>/dev/null || true"
# record starts the peer once attached; the peer is ready once its mark port is bound
for i in $(seq 150); do ip netns exec $B ss -Huln 'sport = :7103' | grep -q . && break; sleep 0.2; done
ip netns exec $B ss -Huln 'sport = :7103' | grep -q . || fail "the peer under record did not start: $(tail -3 "$TMP/peer.err")"
"$IOPATH" record --net -i "$VA" -o "$TMP/Y.rec" -- ip netns exec $A "$IOPATH" workload suite --peer $PEER --peer-marks \
	> "$TMP/out" 2> "$TMP/err" || fail "record exited $?: $(cat "$TMP/err")"
touch "$TMP/done"; wait $PEERPID || fail "the peer's record exited $?: $(tail -3 "$TMP/peer.err")"
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
grep -q 'phase marks on 7103: 4 marks' "$TMP/peer.out" || fail "peer: $(cat "$TMP/peer.out")"
ok "workload: 200/200 exchanges, 2000 datagrams, 4 MiB; the peer echoed 200, received 2000 and 4 MiB, marked 4 times"

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
# Nothing but the workload crosses the pair, so the phases add up to the whole run less the four
# mark exchanges with the peer (udp-rr, udp-stream, tcp-bulk, "-": a datagram each way), which are
# in no phase here.
wtx=$(stage "$TMP/Y.rec" tx tx_done) wrx=$(stage "$TMP/Y.rec" rx receive)
[ "$wtx" = $((sum_tx + 4)) ] && [ "$wrx" = $((sum_rx + 4)) ] ||
	fail "whole run tx $wtx rx $wrx, the phases tx $sum_tx rx $sum_rx (+4 mark exchanges each)"
ok "the phases add up to the whole run less the 4 mark exchanges: tx $wtx = $sum_tx + 4, rx $wrx = $sum_rx + 4"

# The peer's side, phase by phase: what A sent is what B received, and the other way, plus the
# datagram that closed the phase (RX) and the answer that opened it (TX).
pstage() { "$IOPATH" report --json "$1" | jq -r --arg n "$VB" --arg d $2 \
	"[.net.devices[] | select(.name == \$n and .dir == \$d) | .stages.$3 // 0] | add // 0"; }
for name in udp-rr udp-stream tcp-bulk; do
	f=$TMP/P.$name.rec
	[ -f "$f" ] || fail "no peer phase file $f: $(tail -3 "$TMP/peer.err")"
	atx=$(stage "$TMP/Y.$name.rec" tx tx_done) arx=$(stage "$TMP/Y.$name.rec" rx receive)
	btx=$(pstage "$f" tx tx_done) brx=$(pstage "$f" rx receive)
	within "$brx" $((atx + 1)) || fail "peer phase $name: $VB rx $brx, A sent $atx (+1 mark datagram)"
	within "$btx" $((arx + 1)) || fail "peer phase $name: $VB tx $btx, A received $arx (+1 answer)"
	ok "peer phase $name: $VB rx $brx = A's tx $atx + 1, tx $btx = A's rx $arx + 1"
done
