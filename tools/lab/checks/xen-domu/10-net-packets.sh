# The NIC's interface counters (netfront, or e1000 on hvmemu) agree with the pings to dom0.
. "$(dirname "$0")/../../lib/check.sh"
i=$(getinfo nic); n=$(getinfo nping); r=0; out=""
# n pings, plus at most one ARP exchange dom0 may start for the domU (its entry for us can go stale)
out="$out $(near tx_packets "$(d_net plain $i tx_packets)" $((n + 1)) 1)" || r=1
out="$out $(near rx_packets "$(d_net plain $i rx_packets)" $((n + 1)) 1)" || r=1
grep -q "$n packets transmitted, $n packets received" "$LAB_DATA/plain/workload.log" || { r=1; out="$out ping incomplete"; }
[ $r = 0 ] && pass "$out" || fail "$out"
