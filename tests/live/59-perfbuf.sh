# The perf buffer rung (engine/samples.h): with the ring buffer masked, as on a kernel before
# 5.8, sampled paths come through the perf buffer, one ring per CPU, and every one the BPF side
# sent is received. A veth pair between two namespaces this test makes carries 20000 UDP
# datagrams; the interface counters check the stages as 50-net-path.sh does, so the BPF
# programs loaded with the perf buffer branch (the ring buffer's calls never verified) trace
# the same packets. --sample 10: about 4000 sampled paths (both ends' TX and RX, one in ten),
# far more than the 128 KiB ring of each of this machine's 2 CPUs holds at once, so the drain in the main loop is used.
# BPF arrays userspace can mmap are masked too, as before 5.5: the globals' maps are made without
# BPF_F_MMAPABLE, so every counter below that is not a per-packet aggregate (started, ended,
# sampled, ringbuf_drops) is read by map lookup (engine/globals.h), and the exit counting switch
# written by update; they must still agree with what userspace received.
. "$(dirname "$0")/lib.sh"

N=20000
make_veth_pair pb 76
blind_start "net/net_dev_queue net/net_dev_start_xmit net/net_dev_xmit net/netif_rx net/netif_receive_skb" \
	"name == \"$VA\" || name == \"$VB\""

IOPATH_MASK_CAPS=ringbuf,array_mmap "$IOPATH" env > "$TMP/env.txt"
grep -q '^samples: perf buffer, a ring per CPU (no BPF ring buffer: masked by IOPATH_MASK_CAPS)$' "$TMP/env.txt" ||
	fail "env with the ring buffer masked: $(grep '^samples' "$TMP/env.txt")"
grep -qE '^  perfbuf +yes +record sent and received$' "$TMP/env.txt" ||
	fail "perf buffer not measured: $(grep perfbuf "$TMP/env.txt")"
grep -qE '^  array_mmap +no +masked by IOPATH_MASK_CAPS$' "$TMP/env.txt" ||
	fail "array_mmap not masked: $(grep array_mmap "$TMP/env.txt")"
grep -q '^minimum (.*): met$' "$TMP/env.txt" ||
	fail "no ring buffer and no mmap of arrays are not below the floor: $(grep ^minimum "$TMP/env.txt")"
ok "env: $(grep '^samples' "$TMP/env.txt")"

txa0=$(stat_of $A $VA tx_packets) rxb0=$(stat_of $B $VB rx_packets)
IOPATH_MASK_CAPS=ringbuf,array_mmap "$IOPATH" record --net --json --sample 10 -o "$TMP/r.rec" -- sh -c "
	ip netns exec $B $IOPATH workload udp-sink 5201 30 > $TMP/udp-sink.out & s=\$!
	sleep 0.3
	ip netns exec $A $IOPATH workload udp-send 10.253.76.2 5201 $N 256 > $TMP/udp-send.out
	rc=\$?; kill -TERM \$s; wait; exit \$rc" > "$TMP/r.json" 2> "$TMP/r.err" || fail "record: $(cat "$TMP/r.err")"
txA=$(( $(stat_of $A $VA tx_packets) - txa0 )) rxB=$(( $(stat_of $B $VB rx_packets) - rxb0 ))
blind=$(blind_count); U=${blind:-0}
[ "$(jq -r .command_exit "$TMP/r.json")" = 0 ] || fail "workload failed: $(cat "$TMP"/*.out)"
[ "$txA" -ge "$N" ] || fail "$VA sent $txA packets, the workload sent $N datagrams"
dev() { jq -r --arg n $1 --arg d $2 ".net.devices[] | select(.name == \$n and .dir == \$d) | $3" "$TMP/r.json"; }
# the programs the perf buffer branch loaded trace what the counters counted (unseeable: U)
got=$(dev $VA tx '.stages.queue // 0')
[ "$got" -le "$txA" ] && [ "$got" -ge $((txA - U)) ] || fail "$VA tx queue $got, tx_packets $txA ($U unseeable)"
got=$(dev $VB rx '.stages.receive // 0')
[ "$got" -le "$rxB" ] && [ "$got" -ge $((rxB - U)) ] || fail "$VB rx receive $got, rx_packets $rxB ($U unseeable)"
ok "stages: $VA tx queue $(dev $VA tx .stages.queue) of tx_packets $txA, $VB rx receive $got of rx_packets $rxB"

# every sample the BPF side sent arrived, none refused; the transport is said and kept
c() { jq -r ".net.counters.$1" "$TMP/r.json"; }
[ "$(jq -r .net.samples_via "$TMP/r.json")" = "perf buffer" ] || fail "samples_via $(jq -r .net.samples_via "$TMP/r.json")"
# one in ten of the paths that ended, per device row; two CPUs ending paths of one row at once
# may read the same count and skip a tenth (bpf/paths/net.h), never half of them: at least ended/20
[ "$(c sampled)" -ge $(( $(c ended) / 20 )) ] || fail "sampled $(c sampled) of $(c ended) ended paths"
[ "$(c samples_received)" = "$(c sampled)" ] || fail "received $(c samples_received), the BPF side sent $(c sampled)"
[ "$(c ringbuf_drops)" = 0 ] || fail "$(c ringbuf_drops) samples without room"
grep -q 'perf buffer lost' "$TMP/r.err" && fail "$(cat "$TMP/r.err")"
"$IOPATH" report "$TMP/r.rec" > "$TMP/report.txt"
grep -q "^sampled paths: $(c sampled) received through the perf buffer$" "$TMP/report.txt" ||
	fail "report: $(grep '^sampled paths' "$TMP/report.txt")"
ok "samples: $(c sampled) sent, $(c samples_received) received through the perf buffer, 0 lost ($(c ended) paths ended)"
