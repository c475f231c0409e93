# hvmemu: QEMU's emulated e1000 reaches the bridge through its tap (vifN.M-emu) in dom0; every
# packet the domU sent, QEMU wrote to the tap (the tap's rx), and every packet the tap took from
# the bridge QEMU put into the e1000's RX ring (the tap's tx = domU rx). Totals over the whole run
# (the tap is sampled each second while the domain lives), +-2: dom0 ARPs the domU now and then
# (its neighbour entry goes stale) and the last sample may fall just before or after one.
. "$(dirname "$0")/../../lib/check.sh"
[ "$(getinfo emu)" = 1 ] || skip "PV NIC: netback's counters (check 10)"
i=$(getinfo nic); last=$LAB_DATA/final; r=0; out=""
[ -d "$last" ] || fail "no final counters from the domU"
t=$(ls "$DOM0_DATA"/vif*-emu 2>/dev/null | head -1)
[ -n "$t" ] || fail "no tap (vif*-emu) statistics in dom0 ($(ls "$DOM0_DATA" | tr '\n' ' '))"
f() { awk -v k="$1" '$1 == k {print $2}' "$2"; }
out="$out $(near domU.tx=tap.rx "$(f rx_packets "$t")" "$(f tx_packets "$last/net.$i")" 2)" || r=1
out="$out $(near domU.rx=tap.tx "$(f tx_packets "$t")" "$(f rx_packets "$last/net.$i")" 2)" || r=1
[ $r = 0 ] && pass "${t##*/}:$out" || fail "${t##*/}:$out"
