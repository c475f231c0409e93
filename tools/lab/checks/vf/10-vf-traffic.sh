# The VF carries the traffic: every ping was answered, and the VF's own interface counters
# (/sys/class/net/VF/statistics, kept by igbvf's TX completion and RX clean) saw exactly the pings,
# +-1 like the guest stage's NICs (IPv6 is off and the gateway's neighbour entry is pinned, so no
# other packet is expected; one ARP exchange of QEMU's user-net is allowed). The PF carries no
# address: its counters are shown, not compared (QEMU's igb may count the VF's frames on the port).
. "$(dirname "$0")/../../lib/check.sh"
vf=$(getinfo vf); pf=$(getinfo pf); n=$(getinfo nping); r=0; out=""
[ -n "$vf" ] || fail "no VF interface"
grep -q '^rc=0' "$LAB_DATA/plain/workload.log" || fail "plain workload: $(tail -1 "$LAB_DATA/plain/workload.log")"
grep -q "$n packets transmitted, $n packets received" "$LAB_DATA/plain/workload.log" || fail "pings: $(grep 'packets transmitted' "$LAB_DATA/plain/workload.log")"
out="$out $(near "$vf.tx_packets" "$(d_net plain $vf tx_packets)" $n 1)" || r=1
out="$out $(near "$vf.rx_packets" "$(d_net plain $vf rx_packets)" $n 1)" || r=1
out="$out (pf $pf tx $(d_net plain $pf tx_packets) rx $(d_net plain $pf rx_packets))"
[ $r = 0 ] && pass "$out" || fail "$out"
