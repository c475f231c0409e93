#!/bin/bash
# Xen lab dom0, PID 1 after switch_root (no systemd). Stage 1 (initramfs) unpacked /lab from the "labin" disk.
# Boots each domU of lab.guests=pv:pvh:hvm in turn (real xen-netfront/xen-blkfront on loop-backed
# vbds and a bridge), forwards the domU's LAB/CHECK/FPCHECK lines as "LAB <g>| ...",
# "CHECK <g>/xen-domu/..", runs checks/xen-dom0 against the backend counters, writes
# everything as a tar onto the "outbox" disk. An FPU sentinel (fpcheck) runs in dom0 throughout.
export PATH=/lab/bin:/usr/sbin:/usr/bin:/sbin:/bin
lab() { echo "LAB T+$(cut -d' ' -f1 /proc/uptime)s dom0: $*"; }
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm; mount -t devpts devpts /dev/pts
# udev normally makes these; /etc/xen/scripts/* and bash process substitution need them
ln -sf /proc/self/fd /dev/fd; ln -sf /proc/self/fd/0 /dev/stdin; ln -sf /proc/self/fd/1 /dev/stdout; ln -sf /proc/self/fd/2 /dev/stderr
mount -t tmpfs tmpfs /run; mount -t tmpfs tmpfs /tmp
mount -t debugfs none /sys/kernel/debug; mount -t tracefs none /sys/kernel/tracing 2>/dev/null; mount -t bpf none /sys/fs/bpf
ulimit -l unlimited
ip link set lo up   # qemu-dm (HVM) binds VNC/QMP on loopback
serial_dev() { local b; for b in /sys/block/*; do [ "$(cat $b/serial 2>/dev/null)" = "$1" ] && echo ${b##*/}; done; }
LAB_IOPATH=$(cat /lab/iopath 2>/dev/null || echo 0)
lab "start, kernel $(uname -r), iopath=$LAB_IOPATH"
WD=$(tr ' ' '\n' < /proc/cmdline | sed -n 's/^lab.watchdog=//p'); WD=${WD:-1700}
WD_AT=$(cut -d. -f1 /proc/uptime)   # the dom0 watchdog counts from here
( sleep $WD; echo "LAB dom0 watchdog fired after ${WD}s"; sync; /bin/busybox poweroff -f ) &
for m in xenfs xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xen-netback xen-blkback bridge loop tun; do
	modprobe $m || lab "modprobe $m failed"
done
mount -t xenfs xenfs /proc/xen
mkdir -p /run/xen /run/xenstored /var/log/xen/console /var/lib/xen /run/xen-hotplug
/usr/lib/xen-4.17/bin/xenstored --pid-file /run/xenstored.pid || lab "xenstored failed"
sleep 1
/usr/lib/xen-4.17/bin/xen-init-dom0 >/dev/null || lab "xen-init-dom0 failed"
/usr/lib/xen-4.17/bin/xenconsoled --pid-file=/run/xenconsoled.pid --log=guest --log-dir=/var/log/xen/console || lab "xenconsoled failed"
lab "xen daemons up: $(xl info | awk '/^xen_version/ {print "xen " $3} /^virt_caps/ {$1 = $2 = ""; print "caps" $0}' | tr '\n' ' ')"
# sentinel: user SSE/AVX register state must survive vCPU switches for the whole run
FPP=""
FPM=sse; grep -qw avx /proc/cpuinfo && FPM="avx sse"
for m in $FPM; do fpcheck $m 100000 2000 dom0 > /tmp/fpcheck-dom0-$m.log 2>&1 & FPP="$FPP $!"; done
ip link add xenbr0 type bridge; ip addr add 192.168.100.1/24 dev xenbr0; ip link set xenbr0 up
sysctl -qw net.ipv6.conf.all.disable_ipv6=1
mkdir -p /tmp/xenout
# lab.backend=1 (XEN_BACKEND=1 on the host): dom0 records its side of each domU's suite (run_guest);
# otherwise one plain peer for every domU's suite, for as long as dom0 lives
BACKEND=$(tr ' ' '\n' < /proc/cmdline | sed -n 's/^lab.backend=//p' | tail -1)
[ "$LAB_IOPATH" = 1 ] && [ "$BACKEND" != 1 ] && { iopath workload peer --port 7100 $WD > /tmp/xenout/peer.log 2>&1 & }

# The xl type of a lab guest: hvmemu is an HVM domU with emulated devices only
guest_type() { case $1 in hvmemu) echo hvm ;; *) echo $1 ;; esac; }
mkcfg() { # GUEST NAME DISKDEV OUTBOXDEV IP
	local t; t=$(guest_type $1)
	# hvmemu: no Xen platform PCI device (xen_platform_pci = 0: the guest finds no PV devices and
	# cannot unplug the emulated ones; xen_emul_unplug=never says the same from the guest's side),
	# QEMU's e1000 (type=ioemu: only the emulated NIC is used, through the tap vifN.M-emu) and
	# IDE disks: hda (primary channel: the test disk) and hdc (secondary: the outbox), so the
	# outbox's DMA never shares a BMDMA port with the test disk's (checks/xen-dom0/41)
	local emu="" da=xvda db=xvdb; [ $1 = hvmemu ] && { emu=1; da=hda; db=hdc; }
	cat <<CFG
name = "$2"
type = "$t"
kernel = "/lab/vmlinuz"
ramdisk = "/lab/domu-initrd.gz"
extra = "$([ $t = hvm ] && echo 'console=hvc0 console=ttyS0' || echo console=hvc0) $([ -n "$DOMU_DEBUG" ] && echo earlyprintk=xen loglevel=7 || echo quiet) panic=-1 lab.stage=xen-domu lab.ip=$5 lab.watchdog=$((GUEST_TMO - 60)) $([ -n "$DOMU_PHASES" ] && echo lab.phases=$DOMU_PHASES) $([ "$BACKEND" = 1 ] && echo lab.backend=1) ${emu:+lab.emu=1 xen_emul_unplug=never}"
memory = 256
vcpus = 1
vif = [ '${emu:+type=ioemu,model=e1000,}bridge=xenbr0,mac=00:16:3e:00:00:$(printf %02x ${5##*.}),script=/lab/vif-lab' ]
disk = [ 'format=raw,vdev=$da,access=rw,script=/lab/block-lab,target=$3', 'format=raw,vdev=$db,access=rw,script=/lab/block-lab,target=$4' ]
on_poweroff = "preserve"
on_reboot = "destroy"
on_crash = "preserve"
CFG
	# PVH/HVM: RDTSCP must not be intercepted (TCG's SVM has no NRIPS: Xen cannot decode it)
	[ $t != pv ] && echo 'tsc_mode = "native"'
	[ $t != pv ] && [ -n "$HAP" ] && echo "hap = $HAP"   # lab.hap=0: shadow paging instead of TCG-emulated NPT
	# lab.domu_cpuid=host/xsave=0: the domU's CPUID policy (libxl syntax, '/' for ',')
	[ -n "$DOMU_CPUID" ] && echo "cpuid = \"$(echo "$DOMU_CPUID" | tr '/' ',')\""
	[ $t = hvm ] && printf '%s\n' 'serial = "file:/tmp/serial-'$2'.log"' "xen_platform_pci = $([ -n "$emu" ] && echo 0 || echo 1)" 'vga = "none"' 'nographic = 1' 'vnc = 0'
	# no iPXE option ROM on the e1000: SeaBIOS ran it for ~2 min under TCG before the kernel started
	[ -n "$emu" ] && echo 'device_model_args_hvm = [ "-global", "e1000.romfile=" ]'
	return 0
}

cmdarg() { local v; v=$(tr ' ' '\n' < /proc/cmdline | sed -n "s/^$1=//p" | tail -1); echo "${v:-$2}"; }
# backend_snap DOMID DIR: netback/blkback counters of the domain. They start at zero with the domain
# and read zero again once the frontend disconnects (the queues are gone), so this is sampled every
# second while the guest runs and a sample is kept only while the backends are connected.
backend_snap() {
	local v t=/tmp/bsnap.$1 tot
	[ -n "$1" ] || return 0
	rm -rf $t; mkdir -p $t
	# not the HVM vifN.M-emu tap, but for hvmemu (EMU=1), whose traffic it carries: the bridge floods
	# dom0's broadcasts to the tap of an HVM domU with PV drivers too, which would keep zeros of a
	# disconnected netback vif over its last real sample below
	for v in /sys/class/net/vif$1.[0-9] ${EMU:+/sys/class/net/vif$1.[0-9]-emu} /sys/bus/xen-backend/devices/vbd-$1-*; do
		[ -d "$v/statistics" ] && grep -r . $v/statistics/ 2>/dev/null | sed 's|.*/||; s|:| |' > $t/${v##*/}  # 2 processes: TCG forks are slow
	done
	for v in /sys/bus/xen-backend/devices/*-$1-*/xenbus; do   # events the backend took from the frontend
		[ -d "$v" ] && grep -r . $v/ 2>/dev/null | sed 's|.*/||; s|:| |' > $t/xenbus.$(basename $(dirname $v))
	done
	tot=$(cat $t/vif* 2>/dev/null | awk '{s += $2} END {print s + 0}')
	[ "$tot" -gt 0 ] && cp $t/* $2/
}
# xentrace_start DIR: Xen's own trace of the domU's HVM I/O handling, from its "setup:" line (after
# its devices came up; its phases start seconds later, after iopath env/probes) to its end. Only the
# HVM handler class (TRC_HVM_HANDLER, 0x00082000: every emulated port and MMIO access, as
# TRC_HVM_IOPORT_* / TRC_HVM_IOMEM_* records with address and data; also shadow page faults, CR and
# MSR handling): the domU is the only HVM domain running and dom0 is PV, so every such record is
# this domU's. 256 pages per CPU: lost records are counted (xentrace-io.py) and fail the checks.
# The trace is cut in three at the rec phase's two LAB lines (xentrace_next): the I/O records carry no
# time stamps (Xen 4.17 arch/x86/hvm/emulate.c hvmtrace_io_assist: trace_var(event, 0 /*!cycles*/,
# ...)), so a phase's share can only be had by a trace of its own. Rec's is the window of
# check xen-dom0/40; the three together are the window of 41. The gaps between two traces (dom0
# sees a line within about a second) fall where the domU starts or ends an iopath run: no test
# disk request, no packet but an ARP (the checks' +-2).
xentrace_start() {
	XTN=$((${XTN:--1} + 1)); XTF=/tmp/xentrace-$g.$XTN.bin; rm -f $XTF
	xentrace -D -e 0x00082000 -S 256 $XTF >> $1/xentrace.log 2>&1 &
	XT=$!
	lab "xentrace $XTN of $g started (pid $XT)"
}
# xentrace_next DIR: end the running trace, start the next one
xentrace_next() {
	kill -INT $XT 2>/dev/null; wait $XT; echo "trace $XTN: rc=$?" >> $1/xentrace.log
	xentrace_start $1
}
# xentrace_stop DIR OUTDIR: stop it (SIGINT: it flushes its buffers) and summarise the records by
# port/address into OUTDIR/xentrace-io.txt, and those of rec alone (trace 1, when there were three)
# into xentrace-io-rec.txt (the traces are not kept: they are mostly page faults)
xentrace_stop() {
	kill -INT $XT 2>/dev/null; wait $XT; echo "trace $XTN: rc=$?" >> $1/xentrace.log
	ls -l /tmp/xentrace-$g.*.bin >> $1/xentrace.log 2>&1
	python3 /lab/xentrace-io.py /tmp/xentrace-$g.*.bin > $2/xentrace-io.txt 2>> $1/xentrace.log || lab "xentrace-io.py failed: $(tail -1 $1/xentrace.log)"
	[ $XTN = 2 ] && { python3 /lab/xentrace-io.py /tmp/xentrace-$g.1.bin > $2/xentrace-io-rec.txt 2>> $1/xentrace.log ||
		lab "xentrace-io.py (rec) failed: $(tail -1 $1/xentrace.log)"; }
	cp $1/xentrace.log $2/ 2>/dev/null
	rm -f /tmp/xentrace-$g.*.bin; XTN=""
}
GUESTS=$(cmdarg lab.guests pv)
HAP=$(cmdarg lab.hap "")
DOMU_CPUID=$(cmdarg lab.domu_cpuid "")
DOMU_DEBUG=$(cmdarg lab.domu_debug "")   # 1: domU kernel not quiet, early console on (where a boot hangs)
DOMU_PHASES=$(cmdarg lab.domu_phases "")           # '/'-separated phase specs for the domUs (default: theirs)
# iopath in dom0 while a domU works (the backend side: netback/blkback notify the frontend through
# notify_remote_via_irq; checks/xen-dom0/30); lab.dom0_phases=none: no iopath in dom0
DOM0_PHASES=$(cmdarg lab.dom0_phases fentry:xen-events | tr '/' ' '); [ "$DOM0_PHASES" = none ] && DOM0_PHASES=""
# One domU attempt: create, wait, collect. Sets fin (1 when the guest printed LAB-END) and gwhy
# (why the attempt is broken: not finished, sentinel fired, triple fault, crash text; empty when clean).
run_guest() { # TYPE IP-SUFFIX ATTEMPT
	local g=$1 n=$2 a=$3 rc left
	# An attempt may use what is left before dom0's own watchdog (less 30 s to collect), capped by
	# lab.guest_tmo when given: a slow guest that keeps printing is not broken (a loaded host makes
	# TCG several times slower), and one that stops printing is caught by STALL below. The domU's
	# own watchdog (GUEST_TMO - 60, mkcfg) ends it with its console written before dom0 gives up.
	left=$(( WD_AT + WD - $(cut -d. -f1 /proc/uptime) - 30 ))
	GUEST_TMO=$(( GUEST_TMO_MAX < left ? GUEST_TMO_MAX : left ))
	[ $GUEST_TMO -ge 120 ] || GUEST_TMO=120
	s=$(date +%s); G=/tmp/xenout/$g; rm -rf $G; mkdir -p $G
	rm -f /tmp/disk-$g.img /tmp/outbox-$g.img
	truncate -s 64M /tmp/disk-$g.img; truncate -s 32M /tmp/outbox-$g.img
	dd=$(losetup -f --show /tmp/disk-$g.img); od=$(losetup -f --show /tmp/outbox-$g.img)
	EMU=""; [ $g = hvmemu ] && EMU=1
	mkcfg $g lab$g $dd $od 192.168.100.$n > /tmp/$g.cfg
	CL=/var/log/xen/console/guest-lab$g.log; SL=/tmp/serial-lab$g.log; rm -f $CL $SL
	# The comparison's peer for this domU's suite (tools/lab/lib/suite.sh: UDP echo, UDP sink, TCP
	# sink, phase marks on 7100-7103) under a record of dom0's side: netback or the HVM device
	# model's tap, the bridge, blkback's loop device, dom0's event channels and hypercalls, cut into
	# the domU's phases by the marks the suite sends its peer ($G/backend/run.PHASE.rec). It ends
	# when the attempt does (/tmp/done.$g). A PV domU's repeat run (suite2) sends the same names
	# again: record refuses a name twice, so the backend side is of the first run only.
	PEER=""; rm -f /tmp/done.$g
	if [ "$LAB_IOPATH" = 1 ] && [ "$BACKEND" = 1 ]; then
		mkdir -p $G/backend; echo ${dd##*/} > $G/backend/disk   # the loop device behind the test vbd
		iopath record --net --blk --exits --sample 0 --environment "Xen 4.17 PV dom0 under QEMU TCG" \
			--json -o $G/backend/run.rec -- sh -c "iopath workload peer --port 7100 $GUEST_TMO & p=\$!
				while [ ! -e /tmp/done.$g ]; do sleep 1; done; kill \$p; wait \$p" \
			> $G/backend/record.json 2> $G/backend/record.err &
		PEER=$!
		# up once its mark port is bound (record attaches first: seconds under TCG)
		for i in $(seq 120); do grep -q ':1BBF ' /proc/net/udp 2>/dev/null && break; sleep 1; done
		lab "backend record for $g: $(grep -q ':1BBF ' /proc/net/udp && echo "peer up after ${i}s" || echo "peer NOT up after ${i}s")"
	fi
	lab "xl create $g (attempt $a)"
	xl create /tmp/$g.cfg > /tmp/xlcreate-$g.log 2>&1; rc=$?
	domid=$(xl domid lab$g 2>/dev/null)
	lab "xl create $g rc=$rc domid=$domid after $(( $(date +%s) - s ))s"
	[ $rc = 0 ] || tail -5 /tmp/xlcreate-$g.log | sed "s/^/[xl $g] /"
	IOP=""   # backend side in dom0 during the guest's run (iopath, when asked for)
	if [ "$LAB_IOPATH" = 1 ] && [ -n "$domid" ] && [ -n "$DOM0_PHASES" ]; then
		for mp in $DOM0_PHASES; do
			iopath probes --method ${mp%%:*} --profile ${mp#*:} --json -- \
				sh -c "for i in \$(seq $GUEST_TMO); do grep -qs LAB-END $CL $SL && exit 0; sleep 1; done" \
				> $G/dom0-iopath-${mp/:/-}.json 2> $G/dom0-iopath-${mp/:/-}.err &
			IOP=$!
			break   # one at a time: the guest runs once
		done
	fi
	fin=""; B=$G/dom0; mkdir -p $B
	local end=$((SECONDS + $GUEST_TMO)) next=$((SECONDS + 60)) sz=0 nsz moved=$SECONDS stalled=""
	XT=""; XTN=""
	while [ $SECONDS -lt $end ]; do
		backend_snap $domid $B
		grep -qsa '^LAB-END' $CL $SL && { fin=1; break; }
		if [ -n "$EMU" ]; then
			[ -z "$XT" ] && grep -qsa ' setup: ' $CL $SL && xentrace_start $G
			[ "$XTN" = 0 ] && grep -qsa ' phase rec: ' $CL $SL && xentrace_next $G
			[ "$XTN" = 1 ] && grep -qsa ' phase rec: done' $CL $SL && xentrace_next $G
		fi
		[ -n "$domid" ] && xl list lab$g >/dev/null 2>&1 || { lab "guest $g gone"; break; }
		# a guest whose console has not grown for STALL seconds is hung (a healthy one prints a
		# line per phase and its sentinel every few seconds): give up on the attempt early
		nsz=$(cat $CL $SL 2>/dev/null | wc -c); [ "$nsz" != "$sz" ] && { sz=$nsz; moved=$SECONDS; }
		# hvmemu's console (the emulated UART) stays empty until its kernel runs init, which under
		# TCG can take more than STALL after xl create (SeaBIOS, then the kernel, quiet): twice that then
		lim=$STALL; [ -n "$EMU" ] && [ "$sz" = 0 ] && lim=$((STALL * 2))
		[ $((SECONDS - moved)) -ge $lim ] && { stalled=1; lab "guest $g stalled: no console output for ${lim}s (registers: 'd' debug key, Xen console)"; xl debug-keys d 2>/dev/null; break; }
		[ $SECONDS -ge $next ] && { next=$((SECONDS + 60)); lab "waiting for $g: $(cat $CL $SL 2>/dev/null | tr -d '\r' | grep -a '^LAB' | tail -1)"; }
		sleep 1
	done
	sleep 2; [ -n "$IOP" ] && wait $IOP   # the backend iopath run ends with the guest
	touch /tmp/done.$g; [ -n "$PEER" ] && { wait $PEER; lab "backend record for $g: rc=$? $(ls $G/backend/run.*.rec 2>/dev/null | wc -l) phase recordings"; }
	[ -n "$XT" ] && xentrace_stop $G $B
	cat $CL $SL 2>/dev/null | tr -d '\r' > $G/console.log
	cat /proc/interrupts > $B/interrupts
	gwhy=""
	[ -n "$fin" ] || gwhy="$gwhy unfinished${stalled:+(stalled)}"
	# the domU's own watchdog ended it (LAB-END watchdog): its workload or checks were cut short,
	# which says nothing about iopath (a slow, loaded host): a broken attempt, not a result
	grep -aq '^LAB-END watchdog' $G/console.log && gwhy="$gwhy domU-watchdog"
	grep -aqE '^FPCHECK .*(CORRUPT|MISMATCH)' $G/console.log && gwhy="$gwhy sentinel"
	[ -n "$domid" ] && xl dmesg 2>/dev/null | grep -aq "d${domid}v[0-9]* Triple fault" && gwhy="$gwhy triple-fault"
	grep -aqE 'segfault|Kernel panic|BUG: |Oops|general protection|corrupted|invalid opcode|Illegal instruction' $G/console.log && gwhy="$gwhy crash-text"
	xl destroy lab$g 2>/dev/null; sleep 1
	losetup -d $dd $od
	return 0
}

n=10; GUEST_TRIES=$(cmdarg lab.guest_tries 3); STALL=$(cmdarg lab.stall 300); GUEST_TMO_MAX=$(cmdarg lab.guest_tmo 100000)
for g in ${GUESTS//:/ }; do
	n=$((n + 1))
	for a in $(seq $GUEST_TRIES); do
		run_guest $g $n $a
		[ -z "$gwhy" ] && break
		echo "LAB $g: attempt $a BROKEN ($gwhy) after $(( $(date +%s) - s ))s"
		[ -n "$fin" ] || { echo "===== console of $g attempt $a (tail) ====="; tail -15 $G/console.log | sed "s|^|[$g#$a] |"; echo "===== end ====="; }
		mkdir -p /tmp/xenout/broken; cp $G/console.log /tmp/xenout/broken/$g-attempt$a.log
	done
	# forward the last attempt's lines
	sed -n -e "s|^CHECK |CHECK $g/|p" -e "s|^LAB |LAB $g\| |p" -e "s|^FPCHECK |FPCHECK $g:|p" $G/console.log
	[ -n "$fin" ] || { echo "===== console of $g (unfinished) ====="; tail -40 $G/console.log | sed "s|^|[$g] |"; echo "===== end ====="; }
	tar -xf /tmp/outbox-$g.img -C $G 2>/dev/null || lab "no outbox from $g"
	cp $G/dom0-iopath-* $G/labdata/ 2>/dev/null
	for mp in $DOM0_PHASES; do   # as a phase dir (dom0-METHOD-PROFILE/iopath.json) for check.sh's points/hits
		mkdir -p $G/labdata/dom0-${mp/:/-}; cp $G/dom0-iopath-${mp/:/-}.json $G/labdata/dom0-${mp/:/-}/iopath.json 2>/dev/null
	done
	# dom0-side checks against this guest's data
	for f in /lab/checks/xen-dom0/[0-9]*.sh; do
		[ -e "$f" ] || continue
		nm=$(basename $f .sh)
		out=$(LAB_DATA=$G/labdata DOM0_DATA=$B LAB_IOPATH=$LAB_IOPATH GUEST=$g sh $f 2>&1); r=$?
		case $r in 0) st=PASS ;; 77) st=SKIP ;; *) st=FAIL ;; esac
		echo "CHECK $g/xen-dom0/$nm $st $(echo "$out" | tail -1)"
	done
	echo "LAB $g: finished=${fin:-no} attempts=$a clean=$([ -z "$gwhy" ] && echo 1 || echo "0($gwhy)") after $(( $(date +%s) - s ))s"
	# dom0's sentinel so far (the host trusts this guest's result only if dom0 was sound too)
	grep -h MISMATCH /tmp/fpcheck-dom0-*.log 2>/dev/null | head -3
	for p in $FPP; do kill -0 $p 2>/dev/null || echo "FPCHECK dom0 DIED (pid $p exited early) => CORRUPT"; done
	# the outbox so far: if this boot runs out of time later, the guests done are not lost
	ob=$(serial_dev outbox); [ -n "$ob" ] && tar -cf /dev/$ob -C /tmp/xenout . && sync
done
for p in $FPP; do kill $p 2>/dev/null || echo "FPCHECK dom0 DIED (pid $p exited early) => CORRUPT"; done
wait $FPP 2>/dev/null; cat /tmp/fpcheck-dom0-*.log
[ -x /lab/bin/snapshot-fixture.sh ] && { lab "fixture snapshot xen-pv-dom0"; sh /lab/bin/snapshot-fixture.sh /tmp/xenout/fixture/xen-pv-dom0 > /tmp/xenout/fixture.log 2>&1; }
xl dmesg > /tmp/xenout/xl-dmesg.txt 2>&1; dmesg > /tmp/xenout/dom0-dmesg.txt
cp /var/log/xen/*.log /tmp/xenout/ 2>/dev/null
ob=$(serial_dev outbox); [ -n "$ob" ] && tar -cf /dev/$ob -C /tmp/xenout . && sync
lab "done"
echo "LAB-END ok"
sync; /bin/busybox poweroff -f
