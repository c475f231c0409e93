# Stage "kvm": this TCG guest is a KVM host (kvm_amd on QEMU's emulated SVM, nested paging).
#  tiny: kvmtiny does exactly $NPIO port writes and $NMMIO MMIO writes, then HLT
#  l2:   QEMU/KVM runs an L2 Debian-kernel guest (stage "l2": virtio-net ping + virtio-blk dd)
# Independent counters: kvm:* tracepoint hist triggers in tracefs (hist.<event> in each snapshot).
NPIO=$(cmdarg lab.pio 200)
NMMIO=$(cmdarg lab.mmio 200)
PHASES="tiny l2"
# iopath's host-side accounting (profile kvm-host: kvm_exit/kvm_entry) on the same known workload
[ "$LAB_IOPATH" = 1 ] && PHASES="$PHASES tiny@auto:kvm-host"
# iopath record --host on kvmtiny and on the L2 guest (checks/kvm/60-iopath-host.sh)
[ "$LAB_IOPATH" = 1 ] && PHASES="$PHASES hosttiny hostl2"
# the comparison's suite in the L2 while this host records --host (one more L2 boot)
[ "$LAB_IOPATH" = 1 ] && PHASES="$PHASES l2suite"
PHASES=$(cmdarg lab.phases "$PHASES" | tr ',/' '  ')
CHECKS=kvm
FIXTURE=
KVM_EVENTS="kvm_exit:exit_reason kvm_pio:port,rw kvm_mmio:type,gpa kvm_entry:vcpu_id kvm_msi_set_irq:data"
TRACEFS=/sys/kernel/tracing
L2_MAC=52:54:00:12:34:56

stage_setup() {
	modprobe kvm_amd || lab "modprobe kvm_amd failed"
	modprobe tun
	modprobe vhost_net || lab "modprobe vhost_net failed"
	ip link set lo up
	# the L2 guest's NIC is a persistent tap: it outlives the recorded QEMU, so iopath reads
	# its counters at both ends (exits per guest packet); IPv6 off so only L2's traffic crosses it
	sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	tunctl -t tap0 > /dev/null && ip link set tap0 up && ip addr add 10.0.2.2/24 dev tap0 || lab "tap0 setup failed"
	# and L1 never ARP-probes the L2 (a neighbour entry learnt from its ARP request is probed 5 s
	# after use; near the L2's power-off the probe goes unanswered and is sent again up to 6
	# times, all counted on tap0): L1's entry for it is permanent, the L2 pins L1's in turn
	arp -i tap0 -s 10.0.2.15 $L2_MAC || lab "static neighbour for the L2 failed"
	info nested "$(cat /sys/module/kvm_amd/parameters/nested 2>/dev/null)"
	info npt "$(cat /sys/module/kvm_amd/parameters/npt 2>/dev/null)"
	info devkvm "$(ls -l /dev/kvm 2>&1)"
	info npio "$NPIO"; info nmmio "$NMMIO"
	grep -m1 -o -wE 'svm|npt|nrip_save' /proc/cpuinfo | tr '\n' ' ' > "$LAB_DATA/info/cpuflags"
	local e
	for e in $KVM_EVENTS; do
		echo "hist:keys=${e#*:}:size=256" > "$TRACEFS/events/kvm/${e%%:*}/trigger" || lab "hist trigger ${e%%:*} failed"
	done
	lab "setup: /dev/kvm $([ -c /dev/kvm ] && echo present || echo MISSING), nested=$(getinfo nested) npt=$(getinfo npt)"
	truncate -s 64M /tmp/l2disk.img
}
getinfo() { cat "$LAB_DATA/info/$1" 2>/dev/null; }

stage_snap() {
	local e
	for e in $KVM_EVENTS; do cat "$TRACEFS/events/kvm/${e%%:*}/hist" > "$1/hist.${e%%:*}" 2>/dev/null; done
}

workload_tiny() { kvmtiny "$NPIO" "$NMMIO"; }

workload_l2() {
	timeout 300 qemu-system-x86_64 -accel kvm -cpu host -m 256 -smp 1 -nodefaults -no-user-config \
		-display none -serial stdio -no-reboot -kernel /l2/vmlinuz -initrd /l2/initrd.gz \
		-append "console=ttyS0 quiet panic=-1 lab.stage=l2" \
		-netdev tap,id=n0,ifname=tap0,script=no,downscript=no -device virtio-net-pci,netdev=n0,mac=$L2_MAC,romfile= \
		-drive file=/tmp/l2disk.img,if=none,id=d0,format=raw -device virtio-blk-pci,drive=d0,serial=labvblk \
		< /dev/null > "$LAB_DATA/l2-console.log" 2>&1
	local rc=$?
	grep -a -E '^(LAB|CHECK) ' "$LAB_DATA/l2-console.log" | tr -d '\r' | sed 's/^/L2 /'
	return $rc
}

# record --host: iopath.json, the recording's report (report.json) and the command's output
# (cmd.log) land in $LAB_DATA/<phase>/
host_record() { # PHASE "COMMAND LINE"
	local d=$LAB_DATA/$1
	iopath record --host --json -o "$d/host.rec" -- sh -c "$2 > $d/cmd.log 2>&1" > "$d/iopath.json" 2> "$d/iopath.err"
	local rc=$?
	iopath report "$d/host.rec" --json > "$d/report.json" 2>> "$d/iopath.err"
	return $rc
}
workload_hosttiny() { host_record hosttiny "kvmtiny $NPIO $NMMIO"; }
# the L2 guest again, without "quiet": its kernel prints the PCI BARs (the virtio notify pages).
# With iopath, the L2 also records its own workload (lab.l2rec=1: phase rec of stages/l2.sh, iopath
# record --net --blk --exits) while this host records --host: two views of the same packets. The
# L2 writes its data onto an outbox disk of its own, unpacked here into hostl2/l2/ (checks/kvm/70);
# 384 MB, not 256, for iopath's maps beside the L2's initramfs.
workload_hostl2() {
	local ob=/tmp/l2out.img rc
	rm -f $ob; truncate -s 16M $ob
	host_record hostl2 "timeout 300 qemu-system-x86_64 -accel kvm -cpu host -m 384 -smp 1 -nodefaults -no-user-config \
		-display none -serial stdio -no-reboot -kernel /l2/vmlinuz -initrd /l2/initrd.gz \
		-append 'console=ttyS0 panic=-1 lab.stage=l2 lab.l2rec=$LAB_IOPATH' \
		-netdev tap,id=n0,ifname=tap0,script=no,downscript=no,vhost=on -device virtio-net-pci,netdev=n0,mac=$L2_MAC,romfile= \
		-drive file=/tmp/l2disk.img,if=none,id=d0,format=raw -device virtio-blk-pci,drive=d0,serial=labvblk \
		-drive file=$ob,if=none,id=d1,format=raw -device virtio-blk-pci,drive=d1,serial=outbox < /dev/null"
	rc=$?
	mkdir -p "$LAB_DATA/hostl2/l2"
	tar -xf $ob -C "$LAB_DATA/hostl2/l2" 2>/dev/null || lab "hostl2: no tar on the L2's outbox"
	return $rc
}

# The comparison's suite in the L2 (lab.l2rec=suite) against a peer here on tap0, while this host
# records --host: the L2's recordings per phase come back on its outbox into l2suite/l2/, and
# host.rec holds the host's exits over the same run (examples/kvm-l1-host.rec).
workload_l2suite() {
	local ob=/tmp/l2suite-out.img rc pp d=$LAB_DATA/l2suite
	rm -f $ob; truncate -s 64M $ob
	iopath workload peer --port 7100 400 > "$d/peer.log" 2>&1 & pp=$!
	host_record l2suite "timeout 400 qemu-system-x86_64 -accel kvm -cpu host -m 384 -smp 1 -nodefaults -no-user-config \
		-display none -serial stdio -no-reboot -kernel /l2/vmlinuz -initrd /l2/initrd.gz \
		-append 'console=ttyS0 quiet panic=-1 lab.stage=l2 lab.l2rec=suite' \
		-netdev tap,id=n0,ifname=tap0,script=no,downscript=no,vhost=on -device virtio-net-pci,netdev=n0,mac=$L2_MAC,romfile= \
		-drive file=/tmp/l2disk.img,if=none,id=d0,format=raw -device virtio-blk-pci,drive=d0,serial=labvblk \
		-drive file=$ob,if=none,id=d1,format=raw -device virtio-blk-pci,drive=d1,serial=outbox < /dev/null"
	rc=$?
	kill $pp 2>/dev/null; wait $pp 2>/dev/null
	mkdir -p "$d/l2"
	tar -xf $ob -C "$d/l2" 2>/dev/null || lab "l2suite: no tar on the L2's outbox"
	grep -a -E '^(LAB|CHECK) ' "$d/cmd.log" 2>/dev/null | tr -d '\r' | sed 's/^/L2 /'
	return $rc
}
