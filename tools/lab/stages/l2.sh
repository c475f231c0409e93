# Stage "l2": the nested guest started by stage kvm (QEMU/KVM inside the TCG guest).
# virtio-net ping to the L1 guest over its tap0 (10.0.2.2), direct I/O dd on virtio-blk;
# counters, and with lab.l2rec=1 (the kvm stage's hostl2 phase, while L1 records --host) the same
# workload again under iopath record --net --blk --exits (phase rec).
PHASES=plain
[ "$LAB_IOPATH" = 1 ] && [ "$(cmdarg lab.l2rec 0)" = 1 ] && PHASES="$PHASES rec"
# lab.l2rec=suite (the kvm stage's l2suite phase): the comparison's workload only (lib/suite.sh)
[ "$LAB_IOPATH" = 1 ] && [ "$(cmdarg lab.l2rec 0)" = suite ] && PHASES="suite"
CHECKS=l2
FIXTURE=
NPING=10
NBLK=32

stage_setup() {
	for m in virtio_pci virtio_net virtio_blk; do modprobe $m; done
	sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	ip link set lo up
	local v; for i in 1 2 3 4 5; do v=$(iface_by_driver virtio_net); [ -n "$v" ] && break; sleep 1; done
	info virtio_net "$v"; info vblk "$(disk_by_serial labvblk)"; info nping $NPING; info nblk $NBLK
	ip link set "$v" up && ip addr add 10.0.2.15/24 dev "$v"
	pin_neigh 10.0.2.2 "$v"
	lab "setup: virtio_net=$v vblk=$(getinfo vblk)"
}
getinfo() { cat "$LAB_DATA/info/$1" 2>/dev/null; }

workload() {
	ping -c $NPING -i 0.2 -W 2 10.0.2.2
	dd if=/dev/zero of=/dev/$(getinfo vblk) bs=64k count=$NBLK oflag=direct 2>&1 | tail -1
}

# The workload under iopath in the L2 (the guest view of the packets L1's record --host counts on
# tap0): the recording and its JSON report land in rec/, the L2's outbox takes them to L1.
workload_rec() {
	iopath record --net --blk --exits -i "$(getinfo virtio_net)" --json --sample 0 -o "$LAB_DATA/rec/l2.rec" \
		-- sh -c ". /lab/lib/guest.sh; . /lab/stages/l2.sh; workload" > "$LAB_DATA/rec/record.json" 2> "$LAB_DATA/rec/record.err"
}

# The comparison's workload against L1 (its peer on 10.0.2.2:7100-7102, the tap0 end), on the
# virtio-blk disk and the virtio-net NIC.
. /lab/lib/suite.sh
workload_suite() {
	SUITE_ENV="KVM L2 guest: QEMU/KVM nested in a QEMU TCG guest" \
		suite_record 10.0.2.2 "/dev/$(getinfo vblk)" "$(getinfo virtio_net)"
}
