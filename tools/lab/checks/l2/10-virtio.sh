# L2 guest: virtio-net packet counters and virtio-blk diskstats match its workload.
. "$(dirname "$0")/../../lib/check.sh"
# the kvm stage's l2suite boot runs the comparison's suite instead (stages/l2.sh, lab.l2rec=suite)
have_phase plain || skip "phase plain did not run"
v=$(getinfo virtio_net); b=$(getinfo vblk); n=$(getinfo nping); k=$(getinfo nblk); r=0; out=""
[ -n "$v" ] && [ -n "$b" ] || fail "devices: virtio_net=$v virtio-blk=$b"
out="$out $(near tx_packets "$(d_net plain $v tx_packets)" $n 1)" || r=1
out="$out $(near rx_packets "$(d_net plain $v rx_packets)" $n 1)" || r=1
out="$out $(near $b.writes "$(d_disk plain $b writes)" $k 0)" || r=1
# the NIC's totals since boot, for the host side (L1's tap0 counts the same packets), and the
# interrupts each virtio device's queues took since boot (config vectors left out), for the
# host's irqfd injections
t=/sys/class/net/$v/statistics
irqs_of() { awk -v d="$1-" '{ for (i = 2; i <= NF; i++) if (index($i, d) == 1 && $i !~ /-config$/) { s = 0; for (c = 2; c < i; c++) if ($c ~ /^[0-9]+$/) s += $c; n += s; break } } END { print n + 0 }' /proc/interrupts; }
vn=$(basename "$(readlink /sys/class/net/$v/device)"); vb=$(basename "$(readlink /sys/block/$b/device)")
[ $r = 0 ] && pass "$out; nic_total tx=$(cat $t/tx_packets) rx=$(cat $t/rx_packets); guest_irqs net=$(irqs_of $vn) blk=$(irqs_of $vb)" || fail "$out"
