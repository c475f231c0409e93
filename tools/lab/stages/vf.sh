# Stage "vf": an SR-IOV virtual function under QEMU TCG. QEMU 10's emulated igb (82576, behind a PCIe
# root port of a q35 machine with an emulated Intel IOMMU; the guest boots with intel_iommu=on) is
# the PF; the guest's igb driver makes one VF through sysfs, iproute2 gives the VF its MAC (busybox ip
# cannot set "vf N mac"), and the real igbvf driver drives it. The workload: pings over the VF to
# QEMU user-net's gateway (inside QEMU). The PF carries no address, so no IP traffic of the guest's
# takes it.
# Phases: plain (counters only); with iopath, the igbvf profile alone under probes by kprobe and by
# fentry (checks vf/50, vf/51), and the pings under record --net --exits -i VF (check vf/60).
PHASES=plain
if [ "$LAB_IOPATH" = 1 ]; then
	PHASES="$PHASES kprobe:igbvf fentry:igbvf netrec"
	# suite: the comparison's network phases over the VF to the lab host's peer (lib/suite.sh)
	PHASES="$PHASES suite"
fi
PHASES=$(cmdarg lab.phases "$PHASES" | tr ',/' '  ')
CHECKS=vf
FIXTURE=""
NPING=10
VF_MAC=52:54:00:12:34:99
IPR=/usr/sbin/ip.iproute2   # iproute2's ip (lib/stages-host.sh copies it in)

# wait_for SECS CMD...: run CMD once a second until it succeeds, at most SECS times
wait_for() {
	local n=$1 i=0; shift
	while [ $i -lt "$n" ]; do "$@" && return 0; i=$((i + 1)); sleep 1; done
	return 1
}
has_iface() { [ -n "$(iface_by_driver "$1")" ]; }
carrier_up() { [ "$(cat /sys/class/net/$1/carrier 2>/dev/null)" = 1 ]; }

stage_setup() {
	local pf vf dev
	sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1  # no background IPv6 chatter
	ip link set lo up
	modprobe igb || lab "modprobe igb failed"
	wait_for 10 has_iface igb; pf=$(iface_by_driver igb)
	[ -n "$pf" ] || { lab "setup: no igb interface"; return 0; }
	info pf "$pf"
	# the PF must be up before its VFs can talk to it (mailbox); igb's link comes up a little later
	ip link set "$pf" up
	wait_for 10 carrier_up "$pf"
	dev=/sys/class/net/$pf/device
	info sriov_totalvfs "$(cat $dev/sriov_totalvfs 2>/dev/null)"
	echo 1 > $dev/sriov_numvfs || lab "setup: echo 1 > sriov_numvfs failed"
	wait_for 10 test -e $dev/virtfn0
	info sriov_numvfs "$(cat $dev/sriov_numvfs 2>/dev/null)"
	# the MAC before igbvf binds: without one the VF takes a random MAC at probe (NOTES.md)
	$IPR link set "$pf" vf 0 mac $VF_MAC || lab "setup: ip link set $pf vf 0 mac failed"
	$IPR link show "$pf" > "$LAB_DATA/info/pf-link" 2>&1
	modprobe igbvf || lab "modprobe igbvf failed"
	wait_for 10 has_iface igbvf; vf=$(iface_by_driver igbvf)
	info vf "$vf"
	[ -n "$vf" ] || { lab "setup: no igbvf interface"; return 0; }
	info vf_pci "$(basename "$(readlink /sys/class/net/$vf/device)")"
	info vf_physfn "$(basename "$(readlink /sys/class/net/$vf/device/physfn)")"
	info pf_pci "$(basename "$(readlink $dev)")"
	info vf_mac "$(cat /sys/class/net/$vf/address)"
	info nping $NPING
	ip link set "$vf" up && ip addr add 10.0.2.15/24 dev "$vf"
	wait_for 15 carrier_up "$vf"
	# the VF's vectors as the PCI core lists them ("IRQ msix" per line), once igbvf has opened them
	for f in /sys/class/net/$vf/device/msi_irqs/*; do echo "${f##*/} $(cat "$f")"; done > "$LAB_DATA/info/vf_msi_irqs"
	lab "setup: pf=$pf ($(getinfo pf_pci)) vf=$vf ($(getinfo vf_pci), mac $(getinfo vf_mac)) carrier=$(cat /sys/class/net/$vf/carrier)"
	# warm-up: resolve ARP once so each phase sees the same packets
	pin_neigh 10.0.2.2 "$vf"
	cp /proc/kallsyms "$LAB_DATA/info/kallsyms" 2>/dev/null
	if [ "$LAB_IOPATH" = 1 ]; then
		# (each iopath run here takes seconds under TCG: only what checks/vf/61 reads)
		iopath env --exits --json > "$LAB_DATA/info/iopath-exits.json" 2>&1
		iopath env --exits --model --json > "$LAB_DATA/info/iopath-model.json" 2>&1
	fi
	return 0
}
getinfo() { cat "$LAB_DATA/info/$1" 2>/dev/null; }

# The pings, bracketed by the uptime they start and end at: the checks allow for the VF's own
# interrupts outside this window (igbvf's watchdog forces one RX interrupt every 2 s).
workload() {
	echo "t0 $(cut -d' ' -f1 /proc/uptime)"
	ping -c $NPING -i 0.2 -W 2 10.0.2.2
	local rc=$?
	echo "t1 $(cut -d' ' -f1 /proc/uptime)"
	return $rc
}

# The pings under `iopath record --net --exits -i VF`: per-packet stages, interrupts and the
# crossings by the exit model, for the VF alone; the recording is kept in the outbox.
workload_netrec() {
	local vf; vf=$(getinfo vf)
	iopath record --net --exits -i "$vf" --json --sample 0 -o $LAB_DATA/netrec/vf.rec -- sh -c "ping -c $NPING -i 0.2 -W 2 10.0.2.2 > /dev/null" \
		> $LAB_DATA/netrec/record.json 2> $LAB_DATA/netrec/record.err
	local rc=$?
	iopath report $LAB_DATA/netrec/vf.rec > $LAB_DATA/netrec/report.txt 2>&1
	return $rc
}

# The comparison's workload over the VF: its network phases, against the peer the lab host runs
# (10.0.2.2 is the host through QEMU user-net); the VF has no disk of its own.
. /lab/lib/suite.sh
workload_suite() {
	SUITE_ENV="QEMU TCG guest, igb SR-IOV VF (emulated by QEMU)" suite_record 10.0.2.2 "" "$(getinfo vf)"
}
