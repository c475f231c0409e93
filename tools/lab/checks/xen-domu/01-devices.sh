# xen-netfront ("vif") and xen-blkfront ("vbd") are bound; the plain workload succeeded.
. "$(dirname "$0")/../../lib/check.sh"
[ -n "$(getinfo netfront)" ] || fail "no xen-netfront interface"
[ -n "$(getinfo guest_type)" ] || fail "no /sys/hypervisor/guest_type"
grep -q '^rc=0' "$LAB_DATA/plain/workload.log" || fail "plain workload: $(tail -1 "$LAB_DATA/plain/workload.log")"
pass "guest_type=$(getinfo guest_type) netfront=$(getinfo netfront) blkfront=xvda"
