# Stage "xen-domu": a Xen PV, PVH or HVM domU (started by tools/lab/xen/dom0.sh) with the real
# xen-netfront and xen-blkfront. Workload: ping dom0 over the bridge, direct I/O dd on xvda.
# An FPU sentinel (fpcheck) runs during the whole stage; the host retries a run where it fires.
PHASES=plain
# rec: the workload under `iopath record --net --blk --exits` (checks/xen-domu/60-record.sh).
# kprobe mode only in PV: it is the kernel's same kprobe path in PVH and HVM, and those domUs run
# about 3x slower here (shadow paging under TCG): a phase there costs ~1.5 min.
if [ "$LAB_IOPATH" = 1 ]; then
	PHASES=plain
	[ "$(cat /sys/hypervisor/guest_type 2>/dev/null)" = PV ] && PHASES="$PHASES kprobe:xen-netfront+xen-blkfront+xen-events"
	PHASES="$PHASES fentry:xen-netfront+xen-blkfront+xen-events rec"
	# suite: the comparison's workload (lib/suite.sh) against dom0's peer, a recording per phase;
	# in PV (the fastest domU here) once more, suite2: the comparison of a run with its repeat
	PHASES="$PHASES suite"
	[ "$(cat /sys/hypervisor/guest_type 2>/dev/null)" = PV ] && PHASES="$PHASES suite2"
fi
PHASES=$(cmdarg lab.phases "$PHASES" | tr ',/' '  ')
CHECKS=xen-domu
OUTBOX_DEV=xvdb
NPING=20
NBLK=64

stage_setup() {
	local t; t=$(cat /sys/hypervisor/guest_type 2>/dev/null | tr 'A-Z' 'a-z')
	FIXTURE=xen-${t:-unknown}
	info guest_type "$t"; info nping $NPING; info nblk $NBLK
	local m=sse; grep -qw avx /proc/cpuinfo && m=avx
	fpcheck $m 100000 2000 domU-$t > /tmp/fpcheck.log 2>&1 &
	FPPID=$!
	# heartbeat: dom0 gives up on a domU whose console is silent for lab.stall seconds, and one
	# iopath phase in a PVH/HVM domU with shadow paging can run for minutes without printing
	( while sleep 60; do echo "HB T+$(cut -d' ' -f1 /proc/uptime)s"; done ) &
	HBPID=$!
	for m in xen-netfront xen-blkfront; do modprobe $m || lab "modprobe $m failed"; done
	sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	ip link set lo up
	local v i
	for i in 1 2 3 4 5 6 7 8 9 10; do
		v=$(iface_by_driver vif); [ -n "$v" ] && [ -b /dev/xvda ] && [ -b /dev/xvdb ] && break; sleep 1
	done
	info netfront "$v"; info blkfront xvda
	ip link set "$v" up && ip addr add "$(cmdarg lab.ip 192.168.100.2)/24" dev "$v"
	pin_neigh 192.168.100.1 "$v"
	lab "setup: guest_type=$t netfront=$v blkfront=$(ls /sys/block | tr '\n' ' ')"
	cp /proc/kallsyms "$LAB_DATA/info/kallsyms" 2>/dev/null; ls /sys/kernel/btf > "$LAB_DATA/info/btf"
	[ "$LAB_IOPATH" = 1 ] && { iopath env --json > "$LAB_DATA/info/iopath-env.json" 2>&1; iopath probes --json > "$LAB_DATA/info/iopath-probes.json" 2>&1; }
	return 0
}

getinfo() { cat "$LAB_DATA/info/$1" 2>/dev/null; }

# the xenbus statistics of the frontend devices (vif-0, vbd-51712: events, spurious_events...)
stage_snap() {
	local x
	for x in /sys/bus/xen/devices/*/xenbus; do
		[ -d "$x" ] && grep -r . "$x"/ 2>/dev/null | sed 's|.*/||; s|:| |' > "$1/xenbus.$(basename "$(dirname "$x")")"
	done
	return 0
}

workload() {
	ping -c $NPING -i 0.2 -W 2 192.168.100.1
	dd if=/dev/urandom of=/dev/xvda bs=64k count=$NBLK oflag=direct 2>&1 | tail -1
	dd if=/dev/xvda of=/dev/null bs=64k count=$NBLK iflag=direct 2>&1 | tail -1
}

# The same workload under `iopath record --net --blk --exits` (automatic method: fentry on 6.1):
# netfront TX/RX paths with notifies/packet, blkfront requests with notifies and grants per
# request, upcalls next to the kernel's HYP count, PV multicalls.
workload_rec() {
	iopath record --net --blk --exits --json --sample 0 -- \
		sh -c ". /lab/lib/guest.sh; . /lab/stages/$STAGE.sh; workload > $LAB_DATA/rec/workload.out 2>&1" \
		> $LAB_DATA/rec/record.json 2> $LAB_DATA/rec/record.err
}

stage_after() {
	snap "$LAB_DATA/final"   # totals after every phase, for dom0's backend comparison
	sleep 2   # dom0 samples the backend counters once a second while the frontends are connected
	local rc
	kill "$HBPID" 2>/dev/null
	if kill "$FPPID" 2>/dev/null; then wait "$FPPID"; rc=$?; else wait "$FPPID"; rc="$?(exited early)"; fi
	# a sentinel that died (signal) or vanished is as much a broken run as one that saw corruption
	grep -q '=>' /tmp/fpcheck.log || echo "FPCHECK domU-$(getinfo guest_type) DIED rc=$rc => CORRUPT" >> /tmp/fpcheck.log
	cp /tmp/fpcheck.log "$LAB_DATA/fpcheck.log"; cat /tmp/fpcheck.log
}

# The comparison's workload against dom0 (its peer on 7100-7102), the vbd and the vif (lib/suite.sh).
. /lab/lib/suite.sh
workload_suite() {
	SUITE_ENV="Xen 4.17 $(getinfo guest_type | tr a-z A-Z) domU, Xen under QEMU TCG (emulated CPU)" \
		suite_record 192.168.100.1 /dev/xvda "$(getinfo netfront)"
}
workload_suite2() { SUITE_DIR=suite2 workload_suite; }
