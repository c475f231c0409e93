# hvmemu: iopath record --net --blk --exits (phase rec) on the emulated devices against the domU's
# own counters: packets at the e1000 driver's xmit stage = tx_packets, RX packets = rx_packets (+-1:
# dom0 may ARP the domU once while the phase runs), and requests issued on the IDE disk (block-stack
# tracepoints: libata has no driver profile) = its /proc/diskstats reads + writes, exactly.
. "$(dirname "$0")/../../lib/check.sh"
need_iopath
[ "$(getinfo emu)" = 1 ] || skip "the emulated-devices domU's check (hvmemu); PV front-ends: 60"
P=rec; record_json $P
i=$(getinfo nic); d=$(getinfo disk); r=0; out=""
out="$out $(near $i.drv_xmit "$(rec_dev $i tx .stages.drv_xmit)" "$(d_net $P $i tx_packets)" 1)" || r=1
out="$out $(near $i.rx "$(rec_dev $i rx .stages.rx)" "$(d_net $P $i rx_packets)" 1)" || r=1
cls() { jq -r --arg d "$d" "[.blk.classes[] | select(.disk == \$d) | $1] | add // 0" "$J"; }
want=$(( $(d_disk $P $d reads) + $(d_disk $P $d writes) ))
out="$out $(near $d.requests "$(cls .requests)" "$want" 0)" || r=1
out="$out $(near $d.issue "$(cls .stages.issue)" "$want" 0)" || r=1
[ $r = 0 ] && pass "$out" || fail "$out"
