# All four lab devices are bound to their Debian drivers and the plain workload succeeded.
. "$(dirname "$0")/../../lib/check.sh"
for k in virtio_net e1000e vblk nvme; do [ -n "$(getinfo $k)" ] || fail "no $k device found"; done
grep -q '^rc=0' "$LAB_DATA/plain/workload.log" || fail "plain workload: $(tail -1 "$LAB_DATA/plain/workload.log")"
pass "virtio_net=$(getinfo virtio_net) e1000e=$(getinfo e1000e) virtio-blk=$(getinfo vblk) nvme=$(getinfo nvme)"
