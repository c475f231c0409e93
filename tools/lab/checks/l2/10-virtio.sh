# L2 guest: virtio-net packet counters and virtio-blk diskstats match its workload.
. "$(dirname "$0")/../../lib/check.sh"
v=$(getinfo virtio_net); b=$(getinfo vblk); n=$(getinfo nping); k=$(getinfo nblk); r=0; out=""
[ -n "$v" ] && [ -n "$b" ] || fail "devices: virtio_net=$v virtio-blk=$b"
out="$out $(near tx_packets "$(d_net plain $v tx_packets)" $n 1)" || r=1
out="$out $(near rx_packets "$(d_net plain $v rx_packets)" $n 1)" || r=1
out="$out $(near $b.writes "$(d_disk plain $b writes)" $k 0)" || r=1
# the NIC's totals since boot, for the host side (L1's tap0 counts the same packets)
t=/sys/class/net/$v/statistics
[ $r = 0 ] && pass "$out; nic_total tx=$(cat $t/tx_packets) rx=$(cat $t/rx_packets)" || fail "$out"
