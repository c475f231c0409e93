# The domU's NIC and test disk are driven by the drivers meant for it: xen-netfront ("vif") and
# xen-blkfront ("vbd"), or on hvmemu QEMU's emulated e1000 and IDE (ata_piix) with no PV device at
# all (a run that fell back to PV drivers fails here); and the plain workload succeeded.
. "$(dirname "$0")/../../lib/check.sh"
[ -n "$(getinfo guest_type)" ] || fail "no /sys/hypervisor/guest_type"
[ -n "$(getinfo nic)" ] || fail "no NIC found"
nd=$(getinfo nic_driver); dd=$(getinfo disk_driver)
if [ "$(getinfo emu)" = 1 ]; then
	[ "$nd" = e1000 ] && [ "$dd" = ata_piix ] || fail "hvmemu: NIC $(getinfo nic) driver '$nd', disk $(getinfo disk) driver '$dd' (want e1000, ata_piix)"
	# xenbus lists the vif/vbd nodes libxl wrote for every HVM NIC and disk; without the platform
	# device xen-netfront and xen-blkfront refuse to load (xen_has_pv_*_devices() is false) and no
	# driver may be bound to a node (xenbus_bound: recorded since the 2026-12-02 run)
	pvm=$(grep -E '^xen_(netfront|blkfront)$' "$LAB_DATA/info/modules" 2>/dev/null | tr '\n' ' ')
	[ -z "$pvm" ] || fail "hvmemu: PV front-ends loaded: $pvm"
	pvb=$(cat "$LAB_DATA/info/xenbus_bound" 2>/dev/null | tr '\n' ' ')
	[ -z "$pvb" ] || fail "hvmemu: xenbus devices bound to a PV driver: $pvb"
else
	[ "$nd" = vif ] && [ "$dd" = vbd ] || fail "NIC $(getinfo nic) driver '$nd', disk $(getinfo disk) driver '$dd' (want vif, vbd)"
fi
grep -q '^rc=0' "$LAB_DATA/plain/workload.log" || fail "plain workload: $(tail -1 "$LAB_DATA/plain/workload.log")"
pass "guest_type=$(getinfo guest_type) nic=$(getinfo nic) ($nd) disk=$(getinfo disk) ($dd)$([ "$(getinfo emu)" = 1 ] && echo "; xen_netfront/xen_blkfront not loaded, xenbus nodes $([ -e "$LAB_DATA/info/xenbus_bound" ] && echo unbound || echo "(binding not recorded)"): $(tr '\n' ' ' < "$LAB_DATA/info/xenbus_devices" 2>/dev/null)")"
