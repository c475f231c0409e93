# ethtool -S virtio_net kicks (= virtqueue_notify calls = notify exits): at least one per burst,
# at most one per packet sent.
. "$(dirname "$0")/../../lib/check.sh"
i=$(getinfo virtio_net); n=$(getinfo nping)
[ -s "$LAB_DATA/plain/after/ethtool.$i" ] || fail "no ethtool -S output for $i"
tk=$(d_vq_kicks plain $i tx); tp=$(d_net plain $i tx_packets)
out="$(atleast tx_kicks "$tk" 1)" || fail "$out"
[ "$tk" -le "$tp" ] || fail "tx_kicks=$tk > tx_packets=$tp"
pass "$out tx_packets=$tp rx_kicks=$(d_vq_kicks plain $i rx)"
