# Network path on this kernel (tracepoint mode) against the interfaces' own
# counters: a veth pair between two namespaces this test creates, 100000 UDP
# datagrams one way and a TCP transfer (data one way, ACKs back). IPv6 is off
# and neighbours are static in both namespaces, so nothing but the workload
# crosses the pair: per-stage packet counts must equal the counters exactly.
. "$(dirname "$0")/lib.sh"

N=100000 TCP_BYTES=20000000
make_veth_pair t 72

stat_of() { ip netns exec $1 cat /sys/class/net/$2/statistics/$3; }
snap() { for x in "$A $VA" "$B $VB"; do set -- $x; for s in tx_packets rx_packets tx_dropped rx_dropped; do
	echo "$2.$s $(stat_of $1 $2 $s)"; done; done; }
# what iopath cannot see here (lib.sh, blind_start): the pair's packet events raised on top of a
# PID-1 thread, normally none; each stage may fall short of the counters by at most that many
blind_start "net/net_dev_queue net/net_dev_start_xmit net/net_dev_xmit net/netif_rx net/netif_receive_skb" \
	"name == \"$VA\" || name == \"$VB\""
snap > "$TMP/before"
"$IOPATH" record --net --json --sample 100 -- sh -c "
	ip netns exec $B $IOPATH workload udp-sink 5201 60 > $TMP/udp-sink.out & s1=\$!
	ip netns exec $B $IOPATH workload tcp-sink 5202 60 > $TMP/tcp-sink.out & s2=\$!
	sleep 0.3
	ip netns exec $A $IOPATH workload udp-send 10.253.72.2 5201 $N 256 > $TMP/udp-send.out &&
	ip netns exec $A $IOPATH workload tcp-send 10.253.72.2 5202 $TCP_BYTES > $TMP/tcp-send.out
	rc=\$?; kill -TERM \$s1 \$s2; wait; exit \$rc" > "$TMP/r.json"
cat "$TMP"/*.out
snap > "$TMP/after"
blind=$(blind_count); B=${blind:-0}
echo "events on top of PID 1 (invisible to BPF here): ${blind:-not counted, no tracefs}"
delta() { echo $(( $(awk -v k=$1 '$1 == k { print $2 }' "$TMP/after") - $(awk -v k=$1 '$1 == k { print $2 }' "$TMP/before") )); }
dev() { jq -r --arg n $1 --arg d $2 ".net.devices[] | select(.name == \$n and .dir == \$d) | $3" "$TMP/r.json"; }

[ "$(jq -r .command_exit "$TMP/r.json")" = 0 ] || fail "workload failed"
txA=$(delta $VA.tx_packets) rxB=$(delta $VB.rx_packets) txB=$(delta $VB.tx_packets) rxA=$(delta $VA.rx_packets)
dropA=$(delta $VA.tx_dropped) dropB=$(delta $VB.tx_dropped)
echo "counters: $VA tx $txA (dropped $dropA), $VB rx $rxB, $VB tx $txB (dropped $dropB), $VA rx $rxA"
[ "$txA" -ge "$N" ] || fail "$VA sent $txA packets, the workload sent $N datagrams"
[ "$txB" -gt 0 ] || fail "no TCP ACKs came back"

# TX side of each end: every stage saw every packet the device counted.
for x in "$VA $txA $dropA" "$VB $txB $dropB"; do
	set -- $x
	for s in queue start_xmit xmit_done tx_done; do
		got=$(dev $1 tx ".stages.$s // 0")
		[ "$got" -le $(($2 + $3)) ] && [ "$got" -ge $(($2 + $3 - B)) ] ||
			fail "$1 tx stage $s: $got packets, interface counted $2 sent + $3 dropped ($B unseeable)"
	done
	ok "$1 TX: queue/start_xmit/xmit_done/tx_done all $got = tx_packets $2 + tx_dropped $3 (unseeable: $B)"
done
# RX side: netif_rx and stack delivery per packet the peer device received.
for x in "$VB $rxB" "$VA $rxA"; do
	set -- $x
	for s in rx receive; do
		got=$(dev $1 rx ".stages.$s // 0")
		[ "$got" -le "$2" ] && [ "$got" -ge $(($2 - B)) ] || fail "$1 rx stage $s: $got packets, rx_packets says $2 ($B unseeable)"
	done
	ok "$1 RX: rx/receive $got = rx_packets $2 (unseeable: $B)"
done
# Nothing lost on the way: every traced packet ended, none evicted (but for a packet whose end
# was unseeable), no table full.
[ "$(jq -r .net.counters.evicted "$TMP/r.json")" -le "$B" ] || fail "counter evicted is $(jq -r .net.counters.evicted "$TMP/r.json")"
for k in state_full agg_full hist_full sig_full; do
	[ "$(jq -r .net.counters.$k "$TMP/r.json")" = 0 ] || fail "counter $k is $(jq -r .net.counters.$k "$TMP/r.json")"
done
# Path length: veth TX is exactly queue, start_xmit, netif_rx handoff, xmit.
[ "$(dev $VA tx .path_length.p50)" = 4 ] || fail "$VA tx path length p50 $(dev $VA tx .path_length.p50), want 4"
[ "$(dev $VA tx '.top_paths[0].points | join(">")')" = "net_dev_queue>net_dev_start_xmit>netif_rx>net_dev_xmit" ] ||
	fail "$VA top path $(dev $VA tx '.top_paths[0].points | join(">")')"
ok "$VA top path $(dev $VA tx '.top_paths[0].points | join(" > ")'), p50 $(dev $VA tx .total_latency.p50_ns) ns"
# Sampled paths arrived through the ring buffer, none lost.
[ "$(jq -r .net.counters.samples_received "$TMP/r.json")" -gt 0 ] || fail "no sampled paths"
[ "$(jq -r .net.counters.ringbuf_drops "$TMP/r.json")" = 0 ] || fail "ring buffer dropped samples"
ok "samples: $(jq -r .net.counters.samples_received "$TMP/r.json") received, 0 lost"
