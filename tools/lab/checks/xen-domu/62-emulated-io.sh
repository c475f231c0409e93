# hvmemu: the e1000's TX doorbell (the TDT tail write in e1000_xmit_frame, one per call: ping sends
# one packet at a time, so netdev_xmit_more() is never true) is what the exit model calls emulated
# I/O, and on Xen HVM it leaves the guest: record shows it in the exits column, as many as the
# interface's tx_packets over the phase (+-1: an ARP reply dom0 may ask for while iopath attaches).
# The disk's port writes (taskfile, BMDMA) have no guest-side point: dom0 counts them (xen-dom0/41).
. "$(dirname "$0")/../../lib/check.sh"
need_iopath
[ "$(getinfo emu)" = 1 ] || skip "no emulated devices in this domU"
P=rec; record_json $P
i=$(getinfo nic)
c=$(jq -r '[.exits.crossings_by_model[] | select(.kind == "emulated-io" and .detail == "e1000_xmit_frame")][0] // empty' "$J")
[ -n "$c" ] || fail "no emulated-io crossing for e1000_xmit_frame ($(jq -c '[.exits.crossings_by_model[].kind] | unique' "$J"))"
col=$(echo "$c" | jq -r .column); n=$(echo "$c" | jq -r .count)
[ "$col" = exits ] || fail "emulated-io e1000_xmit_frame in column '$col' on $(jq -r .exits.model_platform "$J") (want exits)"
out=$(near "emulated-io(e1000 TDT writes)" "$n" "$(d_net $P $i tx_packets)" 1) || fail "$out"
pass "$out; column exits on $(jq -r .exits.model_platform "$J"): $(echo "$c" | jq -r .reason)"
