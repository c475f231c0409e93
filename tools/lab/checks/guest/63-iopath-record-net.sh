# iopath record --net in the guest (fentry, the automatic method on 6.1): for
# the virtio-net and e1000e interfaces, packets at the driver's xmit stage =
# tx_packets, RX packets = rx_packets; for virtio-net the notify exits
# charged to TX packets = ethtool's kicks of queue 0 (d_vq_kicks; virtio_net counts a kick
# only inside start_xmit, which is the packet's driver scope), so
# kicks/packet is exact too.
. "$(dirname "$0")/../../lib/check.sh"
need_iopath
P=netrec; record_json $P
v=$(getinfo virtio_net); e=$(getinfo e1000e); r=0; out=""
nic_stages $P
tk=$(d_vq_kicks $P $v tx); tp=$(d_net $P $v tx_packets)
out="$out $(near $v.tx_notify_exits "$(rec_dev $v tx .exits.notify)" "$tk" 0)" || r=1
out="$out kicks/packet=$(rec_dev $v tx '.exits_per_packet.notify') (ethtool $tk/$tp)"
[ $r = 0 ] && pass "$out" || fail "$out"
