# The igb PF made one VF through sysfs (sriov_numvfs 1), the VF is a virtual function of that PF
# (its physfn link), the igbvf driver drives it, and it has the MAC set through the PF with iproute2.
. "$(dirname "$0")/../../lib/check.sh"
pf=$(getinfo pf); vf=$(getinfo vf)
[ -n "$pf" ] || fail "no igb interface"
[ "$(getinfo sriov_numvfs)" = 1 ] || fail "sriov_numvfs=$(getinfo sriov_numvfs) (want 1; totalvfs $(getinfo sriov_totalvfs))"
[ -n "$vf" ] || fail "no interface bound to igbvf"
[ "$(getinfo vf_physfn)" = "$(getinfo pf_pci)" ] || fail "VF $(getinfo vf_pci): physfn '$(getinfo vf_physfn)', PF is $(getinfo pf_pci)"
[ "$(getinfo vf_mac)" = 52:54:00:12:34:99 ] || fail "VF MAC $(getinfo vf_mac) (want 52:54:00:12:34:99, set with ip link set $pf vf 0 mac)"
pass "pf=$pf ($(getinfo pf_pci), totalvfs $(getinfo sriov_totalvfs)) vf=$vf ($(getinfo vf_pci), igbvf, mac $(getinfo vf_mac))"
