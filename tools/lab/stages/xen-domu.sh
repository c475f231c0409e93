# Stage "xen-domu": a Xen PV, PVH or HVM domU (started by tools/lab/xen/dom0.sh) with the real
# xen-netfront and xen-blkfront, or (lab.emu=1, the "hvmemu" domU) an HVM domU without the Xen
# platform device, on QEMU's emulated e1000 and IDE disks (e1000, ata_piix).
# Workload: ping dom0 over the bridge, direct I/O dd on the test disk (xvda; sda on hvmemu).
# An FPU sentinel (fpcheck) runs during the whole stage; the host retries a run where it fires.
EMU=$(cmdarg lab.emu 0)
PHASES=plain
# rec: the workload under `iopath record --net --blk --exits` (checks/xen-domu/60-record.sh).
# kprobe mode only in PV: it is the kernel's same kprobe path in PVH and HVM, and those domUs run
# about 3x slower here (shadow paging under TCG): a phase there costs ~1.5 min.
if [ "$LAB_IOPATH" = 1 ]; then
	PHASES=plain
	[ "$(cat /sys/hypervisor/guest_type 2>/dev/null)" = PV ] && PHASES="$PHASES kprobe:xen-netfront+xen-blkfront+xen-events"
	PHASES="$PHASES fentry:xen-netfront+xen-blkfront+xen-events rec"
	# hvmemu: the NIC's driver functions (the block path has no driver profile here: ata_piix is
	# libata, traced by the block-stack tracepoints in rec) and the event channels, which an HVM
	# guest uses for its timer even without PV devices
	[ "$EMU" = 1 ] && PHASES="plain fentry:e1000+xen-events rec"
	# suite: the comparison's workload (lib/suite.sh) against dom0's peer, a recording per phase;
	# in PV (the fastest domU here) once more, suite2: the comparison of a run with its repeat
	PHASES="$PHASES suite"
	[ "$(cat /sys/hypervisor/guest_type 2>/dev/null)" = PV ] && PHASES="$PHASES suite2"
fi
PHASES=$(cmdarg lab.phases "$PHASES" | tr ',/' '  ')
CHECKS=xen-domu
OUTBOX_DEV=xvdb   # stage_setup sets it (sdb on hvmemu)
NPING=20
NBLK=64

stage_setup() {
	local t; t=$(cat /sys/hypervisor/guest_type 2>/dev/null | tr 'A-Z' 'a-z')
	FIXTURE=xen-${t:-unknown}
	info guest_type "$t"; info nping $NPING; info nblk $NBLK; info emu "$EMU"
	local m=sse; grep -qw avx /proc/cpuinfo && m=avx
	fpcheck $m 100000 2000 domU-$t > /tmp/fpcheck.log 2>&1 &
	FPPID=$!
	# heartbeat: dom0 gives up on a domU whose console is silent for lab.stall seconds, and one
	# iopath phase in a PVH/HVM domU with shadow paging can run for minutes without printing
	( while sleep 60; do echo "HB T+$(cut -d' ' -f1 /proc/uptime)s"; done ) &
	HBPID=$!
	# hvmemu loads the PV front-ends too: without the platform device they must find nothing to
	# drive (checks/xen-domu/01 fails a run whose NIC or disk is a PV one)
	for m in xen-netfront xen-blkfront; do modprobe $m 2>/dev/null || lab "modprobe $m failed"; done
	[ "$EMU" = 1 ] && for m in e1000 ata_piix sd_mod; do modprobe $m || lab "modprobe $m failed"; done
	sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	ip link set lo up
	local v i d=xvda o=xvdb
	for i in 1 2 3 4 5 6 7 8 9 10; do
		if [ "$EMU" = 1 ]; then
			# IDE: hda (64 MiB test disk) and hdc (32 MiB outbox) are sda and sdb, told apart by size
			v=$(iface_by_driver e1000); d=$(disk_by_sectors 131072); o=$(disk_by_sectors 65536)
		else
			v=$(iface_by_driver vif)
		fi
		[ -n "$v" ] && [ -n "$d" ] && [ -b "/dev/$d" ] && [ -n "$o" ] && [ -b "/dev/$o" ] && break; sleep 1
	done
	info nic "$v"; info disk "$d"; info nic_driver "$(drv_of "/sys/class/net/$v")"; info disk_driver "$(disk_driver "$d")"
	[ "$EMU" = 1 ] || { info netfront "$v"; info blkfront "$d"; }
	OUTBOX_DEV=$o
	[ "$EMU" = 1 ] && emu_facts "$v"
	ip link set "$v" up && ip addr add "$(cmdarg lab.ip 192.168.100.2)/24" dev "$v"
	pin_neigh 192.168.100.1 "$v"
	lab "setup: guest_type=$t nic=$v ($(getinfo nic_driver)) disk=$d ($(getinfo disk_driver)) outbox=$o blocks=$(ls /sys/block | tr '\n' ' ')"
	# hvmemu: dom0 starts xentrace when it sees the line above (it reads the console once a second)
	[ "$EMU" = 1 ] && sleep 5
	cp /proc/kallsyms "$LAB_DATA/info/kallsyms" 2>/dev/null; ls /sys/kernel/btf > "$LAB_DATA/info/btf"
	[ "$LAB_IOPATH" = 1 ] && { iopath env --json > "$LAB_DATA/info/iopath-env.json" 2>&1; iopath probes --json > "$LAB_DATA/info/iopath-probes.json" 2>&1; }
	return 0
}

getinfo() { cat "$LAB_DATA/info/$1" 2>/dev/null; }
disk_by_sectors() { # SECTORS -> the sd disk of that size (hvmemu's IDE disks have no serial)
	local b
	for b in /sys/block/sd*; do [ "$(cat "$b/size" 2>/dev/null)" = "$1" ] && { echo "${b##*/}"; return; }; done
}
disk_driver() { # DISK -> the driver of its controller, the first PCI or xenbus device above it
	local p; p=$(readlink -f "/sys/block/$1/device")
	while [ -n "$p" ] && [ "$p" != /sys/devices ]; do
		case $(basename "$(readlink "$p/subsystem")") in
		pci|xen) [ -e "$p/driver" ] && basename "$(readlink "$p/driver")"; return ;;
		esac
		p=${p%/*}
	done
}
# emu_facts NIC: what dom0's xentrace checks need to find this guest's device registers among its
# port and MMIO accesses: the e1000's BAR 0 (its TX tail TDT is at 0x3818) and the PIIX IDE's
# bus-master DMA ports (BAR 4: the primary channel's command register at +0, the secondary's at +8),
# and which PV devices exist at all (xenbus: none without the platform device)
emu_facts() {
	local p; p=$(readlink -f "/sys/class/net/$1/device")
	info e1000_bar0 "$(sed -n 1p "$p/resource" | cut -d' ' -f1)"
	for p in /sys/bus/pci/devices/*; do
		case $(cat "$p/class") in 0x0101*) ;; *) continue ;; esac   # IDE controller
		info bmdma "$(sed -n 5p "$p/resource" | cut -d' ' -f1)"; info ide_pci "${p##*/}"
	done
	ls /sys/bus/xen/devices > "$LAB_DATA/info/xenbus_devices" 2>/dev/null
	# libxl writes front-end nodes for every HVM disk and NIC, so xenbus lists vif-0 and vbd-*
	# here too; what must not happen is a PV driver taking one
	for p in /sys/bus/xen/devices/*; do [ -e "$p/driver" ] && echo "${p##*/}"; done > "$LAB_DATA/info/xenbus_bound"
	cut -d' ' -f1 /proc/modules > "$LAB_DATA/info/modules"
}

# the xenbus statistics of the frontend devices (vif-0, vbd-51712: events, spurious_events...)
stage_snap() {
	local x
	for x in /sys/bus/xen/devices/*/xenbus; do
		[ -d "$x" ] && grep -r . "$x"/ 2>/dev/null | sed 's|.*/||; s|:| |' > "$1/xenbus.$(basename "$(dirname "$x")")"
	done
	return 0
}

workload() {
	local d; d=$(getinfo disk)
	ping -c $NPING -i 0.2 -W 2 192.168.100.1
	dd if=/dev/urandom of=/dev/$d bs=64k count=$NBLK oflag=direct 2>&1 | tail -1
	dd if=/dev/$d of=/dev/null bs=64k count=$NBLK iflag=direct 2>&1 | tail -1
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
	local what="$(getinfo guest_type | tr a-z A-Z)"; [ "$EMU" = 1 ] && what="HVM (emulated devices only)"
	SUITE_PEER_MARKS=$(tr ' ' '\n' < /proc/cmdline | sed -n 's/^lab.backend=1$/1/p') \
	SUITE_ENV="Xen 4.17 $what domU, Xen under QEMU TCG (emulated CPU)" \
		suite_record 192.168.100.1 "/dev/$(getinfo disk)" "$(getinfo nic)"
}
workload_suite2() { SUITE_DIR=suite2 workload_suite; }
