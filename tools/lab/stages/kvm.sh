# Stage "kvm": this TCG guest is a KVM host (kvm_amd on QEMU's emulated SVM, nested paging).
#  tiny: kvmtiny does exactly $NPIO port writes and $NMMIO MMIO writes, then HLT
#  l2:   QEMU/KVM runs an L2 Debian-kernel guest (stage "l2": virtio-net ping + virtio-blk dd)
#  l2hang: the L2 watchdog's test: a first L2 boot that hangs on purpose, stopped and booted again
# Independent counters: kvm:* tracepoint hist triggers in tracefs (hist.<event> in each snapshot).
NPIO=$(cmdarg lab.pio 200)
NMMIO=$(cmdarg lab.mmio 200)
PHASES="tiny l2 l2hang"
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

# ---------------------------------------------------------------- the L2's own watchdog
# KVM on QEMU's emulated SVM can wedge the L2 as it wedges kvmtiny (CI 2026-12-04, phase l2suite:
# the L1 host saw 35 MSR-write exits from the L2 and not one TSC_DEADLINE write, and the L2 wrote
# no recording: it stopped early in its boot and stayed there). The L1's console says nothing
# while an L2 runs, so the host's watchdog (host.sh run_vm) cannot see this; here, as there:
# an L2 console silent for lab.l2silent seconds (default 150: the L2's longest phase, hostl2's
# rec, takes ~50 s on an idle machine) is a wedged L2. QEMU is asked where the L2's vCPU is
# (info cpus / info registers, appended to the L2's console as LAB-L1 lines), the L2 is stopped
# and booted once more, its console and the host's recording of it kept as *-broken-1.*. An L2
# that printed a failed check is not booted again (a failed check is a result), nor is one whose
# QEMU exited by itself (a crash is a result). The L2s print their own diagnostics (guest.sh
# diag_dump) after 100 s of one phase, so an L2 whose kernel still runs says what it is doing
# before it is stopped. L2_TEST_HANG=PHASE makes the first boot hang in its phase PHASE (phase
# l2hang, the test of this watchdog).
L2_SILENT=$(cmdarg lab.l2silent 150)
L2_WD=/tmp/l2wd
L2_TRY=1

# l2_qemu MEM APPEND NETOPT [OUTBOX]: the L2's QEMU command line (its monitor on $L2_WD/mon.in and
# mon.out, its pid in $L2_WD/qemu.pid); the first boot of a phase gets lab.l2test_hang's hang
l2_qemu() {
	local ob="" app=$2
	[ -n "${4:-}" ] && ob="-drive file=$4,if=none,id=d1,format=raw -device virtio-blk-pci,drive=d1,serial=outbox"
	[ "$L2_TRY" = 1 ] && [ -n "${L2_TEST_HANG:-}" ] && app="$app lab.test_hang=$L2_TEST_HANG"
	echo "qemu-system-x86_64 -accel kvm -cpu host -m $1 -smp 1 -nodefaults -no-user-config" \
		"-display none -serial stdio -no-reboot -kernel /l2/vmlinuz -initrd /l2/initrd.gz -append '$app'" \
		"-netdev tap,id=n0,ifname=tap0,script=no,downscript=no$3 -device virtio-net-pci,netdev=n0,mac=$L2_MAC,romfile=" \
		"-drive file=/tmp/l2disk.img,if=none,id=d0,format=raw -device virtio-blk-pci,drive=d0,serial=labvblk $ob" \
		"-pidfile $L2_WD/qemu.pid -monitor pipe:$L2_WD/mon"
}

# l2_watch CONSOLE SILENT: runs beside one L2 boot (l2_tries kills it when the boot is over). Once
# CONSOLE has not grown for SILENT s: $L2_WD/hung says so, $L2_WD/cpus holds QEMU's view of the
# vCPU, and the L2's QEMU is stopped (SIGKILL 10 s later if SIGTERM did not do it).
l2_watch() {
	local c=$1 lim=$2 size last=-1 idle=0 qp
	while sleep 5; do
		size=$(cat "$c" 2>/dev/null | wc -c)
		if [ "$size" != "$last" ]; then last=$size; idle=0; continue; fi
		idle=$((idle + 5))
		[ "$idle" -ge "$lim" ] || continue
		echo "console silent for ${idle}s after: $(tr -d '\r' < "$c" | grep -a . | tail -1 | cut -c1-160)" > "$L2_WD/hung"
		printf 'info cpus\ninfo registers\n' > "$L2_WD/mon.in" &
		sleep 3
		timeout 3 cat "$L2_WD/mon.out" > "$L2_WD/cpus" 2>/dev/null
		qp=$(cat "$L2_WD/qemu.pid" 2>/dev/null)
		[ -n "$qp" ] || return
		kill "$qp" 2>/dev/null
		for idle in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$qp" 2>/dev/null || return; sleep 1; done
		kill -9 "$qp" 2>/dev/null
		return
	done
}

# l2_tries NAME CONSOLE BOOT [KEEP...]: BOOT (one L2 boot, its console in CONSOLE) and, if the
# watchdog found that boot wedged, one boot more (see above): CONSOLE and the files KEEP (the
# host's recording of that boot) are kept as <name>-broken-1.<ext> first. $LAB_DATA/NAME/l2-boots
# says how each boot ended (checks print it). Returns the last boot's status.
# l2_say: a line in the phase's workload.log and on the L1's console (so on the lab's log)
l2_say() { lab "$@"; lab "$@" > /dev/console 2>/dev/null; }
l2_tries() {
	local name=$1 c=$2 boot=$3 try rc wd f why t0 q; shift 3
	local fate=$LAB_DATA/$name/l2-boots
	mkdir -p "$LAB_DATA/$name"; : > "$fate"
	for try in 1 2; do
		rm -rf "$L2_WD"; mkdir -p "$L2_WD"; mkfifo "$L2_WD/mon.in" "$L2_WD/mon.out"
		L2_TRY=$try
		l2_watch "$c" "$([ "$try" = 1 ] && echo "${L2_SILENT_FIRST:-$L2_SILENT}" || echo "$L2_SILENT")" & wd=$!
		rm -f "$LAB_DATA/$name/cmd.rc"
		t0=$(date +%s); $boot; rc=$?
		kill $wd 2>/dev/null; wait $wd 2>/dev/null
		if [ ! -e "$L2_WD/hung" ]; then
			# the boot's status, length and console's last line: the evidence a check prints
			# when this boot did not end well. rc is QEMU's status under its timeout (124: the
			# timeout fired); under host_record, whose iopath exits 3 for any failed command,
			# the command's own status from cmd.rc, and iopath's beside it when they differ
			q=$rc; [ -s "$LAB_DATA/$name/cmd.rc" ] && q=$(cat "$LAB_DATA/$name/cmd.rc")
			[ "$q" = "$rc" ] || q="$q (iopath record rc=$rc)"
			echo "boot $try: ended by itself (rc=$q, $(($(date +%s) - t0))s, last line: $(tr -d '\r' < "$c" 2>/dev/null | grep -a . | tail -1 | cut -c1-160))" >> "$fate"
			break
		fi
		why="$(cat "$L2_WD/hung"); vCPU $(tr -d '\r' < "$L2_WD/cpus" 2>/dev/null | grep -ao 'RIP=[0-9a-f]*' | head -1)"
		{ echo "LAB-L1 L2 watchdog: $why"; echo "LAB-L1 QEMU monitor at the L2 watchdog:"
		  tr -d '\r' < "$L2_WD/cpus" 2>/dev/null | sed 's/^/LAB-L1| /'; echo; } >> "$c"
		echo "boot $try: wedged, stopped ($why)" >> "$fate"
		l2_say "$name: L2 boot $try wedged ($why)"
		if tr -d '\r' < "$c" | grep -aq '^CHECK [^ ]* FAIL'; then
			l2_say "$name: the wedged L2 had failed a check: not booted again (a failed check is a result)"; break
		fi
		[ "$try" = 2 ] && { l2_say "$name: no L2 boots left"; break; }
		for f in "$c" "$@"; do [ -e "$f" ] && mv "$f" "${f%.*}-broken-$try.${f##*.}"; done
		l2_say "$name: L2 boot $try's console kept as $(basename "${c%.*}")-broken-$try.${c##*.}; booting the L2 again"
	done
	rm -rf "$L2_WD"
	return $rc
}
l2_echo() { grep -a -E '^(LAB|CHECK) ' "$1" 2>/dev/null | tr -d '\r' | sed 's/^/L2 /'; }

# ---------------------------------------------------------------- the L2 phases
l2_boot_plain() {
	timeout 300 sh -c "$(l2_qemu 256 "console=ttyS0 quiet panic=-1 lab.stage=l2 lab.diag=100" "") < /dev/null > $LAB_DATA/l2-console.log 2>&1"
}
workload_l2() {
	l2_tries l2 "$LAB_DATA/l2-console.log" l2_boot_plain
	local rc=$?
	l2_echo "$LAB_DATA/l2-console.log"
	return $rc
}

# The L2 watchdog's own test (checks/kvm/22-l2-watchdog): the first L2 boot hangs on purpose in
# its phase plain and is silent from then on; with a silence limit of 30 s for that boot (an L2
# reaches that line in ~8 s) it is stopped, its console kept, and the second boot, watched with
# the usual 150 s, runs as phase l2's.
l2_boot_hang() {
	timeout 200 sh -c "$(l2_qemu 256 "console=ttyS0 quiet panic=-1 lab.stage=l2 lab.diag=100" "") < /dev/null > $LAB_DATA/l2hang/console.log 2>&1"
}
workload_l2hang() {
	local rc
	L2_SILENT_FIRST=30; L2_TEST_HANG=plain
	l2_tries l2hang "$LAB_DATA/l2hang/console.log" l2_boot_hang; rc=$?
	L2_SILENT_FIRST=""; L2_TEST_HANG=""
	return $rc
}

# record --host: iopath.json, the recording's report (report.json), the command's output (cmd.log)
# and its exit status (cmd.rc: iopath itself says only 3 for any failure) land in $LAB_DATA/<phase>/
host_record() { # PHASE "COMMAND LINE"
	local d=$LAB_DATA/$1
	iopath record --host --json -o "$d/host.rec" -- sh -c "$2 > $d/cmd.log 2>&1; r=\$?; echo \$r > $d/cmd.rc; exit \$r" > "$d/iopath.json" 2> "$d/iopath.err"
	local rc=$?
	iopath report "$d/host.rec" --json > "$d/report.json" 2>> "$d/iopath.err"
	return $rc
}
# the files of one host_record, kept apart when its L2 boot is thrown away
host_files() { echo "$LAB_DATA/$1/host.rec $LAB_DATA/$1/iopath.json $LAB_DATA/$1/iopath.err $LAB_DATA/$1/report.json"; }
workload_hosttiny() { host_record hosttiny "kvmtiny $NPIO $NMMIO"; }
# the L2 guest again, without "quiet": its kernel prints the PCI BARs (the virtio notify pages).
# With iopath, the L2 also records its own workload (lab.l2rec=1: phase rec of stages/l2.sh, iopath
# record --net --blk --exits) while this host records --host: two views of the same packets. The
# L2 writes its data onto an outbox disk of its own, unpacked here into hostl2/l2/ (checks/kvm/70);
# 384 MB, not 256, for iopath's maps beside the L2's initramfs.
l2_boot_hostl2() {
	local ob=/tmp/l2out.img
	rm -f $ob; truncate -s 16M $ob
	host_record hostl2 "timeout 300 $(l2_qemu 384 "console=ttyS0 panic=-1 lab.stage=l2 lab.diag=100 lab.l2rec=$LAB_IOPATH" ,vhost=on $ob) < /dev/null"
}
workload_hostl2() {
	local rc
	l2_tries hostl2 "$LAB_DATA/hostl2/cmd.log" l2_boot_hostl2 $(host_files hostl2); rc=$?
	mkdir -p "$LAB_DATA/hostl2/l2"
	tar -xf /tmp/l2out.img -C "$LAB_DATA/hostl2/l2" 2>/dev/null || lab "hostl2: no tar on the L2's outbox"
	return $rc
}

# The comparison's suite in the L2 (lab.l2rec=suite) against a peer here on tap0, while this host
# records --host: the L2's recordings per phase come back on its outbox into l2suite/l2/, and
# host.rec holds the host's exits over the same run (examples/kvm-l1-host.rec).
l2_boot_suite() {
	local ob=/tmp/l2suite-out.img rc pp d=$LAB_DATA/l2suite
	rm -f $ob; truncate -s 64M $ob
	iopath workload peer --port 7100 400 > "$d/peer.log" 2>&1 & pp=$!
	host_record l2suite "timeout 400 $(l2_qemu 384 "console=ttyS0 quiet panic=-1 lab.stage=l2 lab.diag=100 lab.l2rec=suite" ,vhost=on $ob) < /dev/null"
	rc=$?
	kill $pp 2>/dev/null; wait $pp 2>/dev/null
	return $rc
}
workload_l2suite() {
	local rc d=$LAB_DATA/l2suite
	l2_tries l2suite "$d/cmd.log" l2_boot_suite $(host_files l2suite) "$d/peer.log"; rc=$?
	mkdir -p "$d/l2"
	tar -xf /tmp/l2suite-out.img -C "$d/l2" 2>/dev/null || lab "l2suite: no tar on the L2's outbox"
	l2_echo "$d/cmd.log"
	return $rc
}
