# tools/lab/lib/guest.sh — in-guest helpers (busybox sh), sourced by /init and the stage scripts.
# Everything a check needs is recorded under $LAB_DATA (tar'ed to the host afterwards):
#   $LAB_DATA/info/*            facts found at setup (interface names per driver, block devices ...)
#   $LAB_DATA/<phase>/before/*  counters before the phase's workload; .../after/* after it
#   $LAB_DATA/<phase>/iopath.json, iopath.err, workload.log
LAB_DATA=${LAB_DATA:-/tmp/labdata}
mkdir -p "$LAB_DATA/info"
LAB_IOPATH=$(cat /lab/iopath 2>/dev/null || echo 0)
echo "$LAB_IOPATH" > "$LAB_DATA/info/iopath"

lab() { echo "LAB T+$(cut -d' ' -f1 /proc/uptime)s $*"; }
cmdarg() { # NAME DEFAULT: value of NAME=... on the kernel command line
	local v
	v=$(tr ' ' '\n' < /proc/cmdline | sed -n "s/^$1=//p" | tail -1)
	echo "${v:-$2}"
}
# lab.mask_caps=bpf_cookie,get_func_ip,get_func_arg: iopath takes the fallback rung an older kernel
# gets (IOPATH_MASK_CAPS, kernel/caps.h), here where the real thing can be compared
[ -n "$(cmdarg lab.mask_caps)" ] && export IOPATH_MASK_CAPS="$(cmdarg lab.mask_caps)"
info() { echo "$2" > "$LAB_DATA/info/$1"; }

pin_neigh() { # IP DEV: ping once, then make the learned neighbour entry permanent
	local mac
	ping -c 1 -W 3 "$1" >/dev/null
	mac=$(awk -v ip="$1" '$1 == ip {print $4}' /proc/net/arp)   # busybox ip neigh cannot add entries
	[ -n "$mac" ] && arp -i "$2" -s "$1" "$mac"
}
drv_of() { basename "$(readlink "$1/device/driver" 2>/dev/null)" 2>/dev/null; }
iface_by_driver() { # DRIVER -> first interface bound to it
	local i
	for i in /sys/class/net/*; do [ "$(drv_of "$i")" = "$1" ] && { echo "${i##*/}"; return; }; done
}
disk_by_serial() { # SERIAL -> block device name (virtio-blk serial / nvme serial)
	local b
	for b in /sys/block/*; do
		[ "$(cat "$b/serial" 2>/dev/null)" = "$1" ] && { echo "${b##*/}"; return; }
		[ "$(cat "$b/device/serial" 2>/dev/null | tr -d ' ')" = "$1" ] && { echo "${b##*/}"; return; }
	done
}

# snap DIR: the independent counters the checks compare against.
snap() {
	local d=$1 i n
	mkdir -p "$d"
	cat /proc/interrupts > "$d/interrupts"
	cat /proc/diskstats > "$d/diskstats"
	cat /proc/net/dev > "$d/netdev"
	for i in /sys/class/net/*; do
		n=${i##*/}
		(cd "$i/statistics" && for f in *; do echo "$f $(cat "$f")"; done) > "$d/net.$n"
		[ "$n" != lo ] && command -v ethtool >/dev/null && ethtool -S "$n" > "$d/ethtool.$n" 2>/dev/null
	done
	[ -n "$(command -v stage_snap)" ] && stage_snap "$d"
	return 0
}

lab_test_hang() { sleep 100000; }
# a real guest kernel crash (sysrq c: panic, or an Oops on a NULL write on older kernels), which the
# host must take as a result, not as a broken boot
lab_test_crash() { echo c > /proc/sysrq-trigger; sleep 30; }

# run_phase SPEC: SPEC is "plain" (function workload, dir plain), "X" (function workload_X, dir X),
# "METHOD:PROFILE[+PROFILE...]" (workload under iopath probes --method METHOD --profile P... --json,
# dir METHOD-PROFILE, or METHOD-all for several profiles) or "X@METHOD:PROFILE" (workload_X, dir X-METHOD-PROFILE).
# The stage's counters (snap) are recorded before and after.
run_phase() {
	local p=$1 w=workload name=plain mp=""
	case $p in *@*) w=workload_${p%%@*}; name=${p%%@*}; mp=${p#*@} ;; *:*) mp=$p ;; plain) ;; *) w=workload_$p; name=$p ;; esac
	local dir=$LAB_DATA/$name
	local pn=${mp#*:}; case $pn in *+*) pn=all ;; esac   # several profiles (a+b+c): dir METHOD-all
	[ -n "$mp" ] && { [ "$name" = plain ] && dir=$LAB_DATA/${mp%%:*}-$pn || dir=$LAB_DATA/$name-${mp%%:*}-$pn; }
	mkdir -p "$dir"
	snap "$dir/before"
	local t0; t0=$(cut -d' ' -f1 /proc/uptime)
	# a phase still running after lab.diag seconds (default 150; the longest phase takes ~45 s)
	# prints what every task is doing before the host's watchdog (host.sh run_vm) stops the boot
	local dsecs; dsecs=$(cmdarg lab.diag 150)
	( sleep "$dsecs"; diag_dump "phase $p still running after ${dsecs}s" ) &
	local dpid=$!
	# lab.test_hang=PHASE: that phase never ends (how the lab's watchdog and retries are tested)
	[ "$(cmdarg lab.test_hang '')" = "$p" ] && w=lab_test_hang
	# lab.test_crash=PHASE: the guest kernel crashes in that phase
	[ "$(cmdarg lab.test_crash '')" = "$p" ] && w=lab_test_crash
	if [ -z "$mp" ]; then
		lab "phase $p: $w"
		$w > "$dir/workload.log" 2>&1
		echo "rc=$?" >> "$dir/workload.log"
	else
		local m=${mp%%:*} prof="" x
		for x in $(echo "${mp#*:}" | tr '+' ' '); do prof="$prof --profile $x"; done
		lab "phase $p: iopath probes --method $m$prof --json -- $w"
		iopath probes --method "$m" $prof --json -- \
			sh -c ". /lab/lib/guest.sh; . /lab/stages/$STAGE.sh; $w > $dir/workload.log 2>&1; echo rc=\$? >> $dir/workload.log" \
			> "$dir/iopath.json" 2> "$dir/iopath.err"
		echo "$?" > "$dir/iopath.rc"
	fi
	kill "$dpid" 2>/dev/null; wait "$dpid" 2>/dev/null
	snap "$dir/after"
	echo "$t0 $(cut -d' ' -f1 /proc/uptime)" > "$dir/uptime"
	lab "phase $p: done ($(tail -1 "$dir/workload.log"))"
}

# diag_dump WHY: evidence for a hang on the console, as "LAB diag: ..." lines (the host keeps them in
# the lab log): every user task's state, wait channel and kernel stack (a vCPU thread inside KVM_RUN
# shows kvm_arch_vcpu_ioctl_run/svm_vcpu_run there), CPU load and interrupts, then the kernel's own
# backtrace of every CPU (sysrq l) and of blocked tasks (sysrq w) at full console log level.
diag_dump() {
	local p t c
	lab "diag: $1"
	for p in /proc/[0-9]*; do
		[ -n "$(tr -d '\0' < "$p/cmdline" 2>/dev/null)" ] || continue   # kernel threads have none (and /proc files have size 0)
		for t in "$p"/task/*; do
			c=$(cat "$t/comm" 2>/dev/null)
			echo "LAB diag: pid ${p#/proc/} tid ${t##*/} $c state=$(sed -n 's/^State:[[:space:]]*//p' "$t/status" 2>/dev/null) wchan=$(cat "$t/wchan" 2>/dev/null) stack: $(cut -d' ' -f2 "$t/stack" 2>/dev/null | tr '\n' ' ')"
		done
	done
	echo "LAB diag: loadavg $(cat /proc/loadavg); cpu $(head -1 /proc/stat)"
	grep -E '^ *(LOC|RES|CAL|TLB|NMI|[0-9]+):' /proc/interrupts | sed 's/^/LAB diag: irq /' | head -40
	echo 8 > /proc/sys/kernel/printk
	echo l > /proc/sysrq-trigger 2>/dev/null; sleep 1
	echo w > /proc/sysrq-trigger 2>/dev/null; sleep 1
	lab "diag: end"
}

# run_checks DIR: run /lab/checks/DIR/NN-*.sh; exit 0 PASS, 77 SKIP, else FAIL; last output line = detail.
run_checks() {
	local d=$1 f n out rc st
	for f in /lab/checks/"$d"/[0-9]*.sh; do
		[ -e "$f" ] || continue
		n=$(basename "$f" .sh)
		out=$(LAB_DATA=$LAB_DATA LAB_IOPATH=$LAB_IOPATH sh "$f" 2>&1); rc=$?
		case $rc in 0) st=PASS ;; 77) st=SKIP ;; *) st=FAIL ;; esac
		echo "$out" > "$LAB_DATA/check.$d.$n.log" 2>/dev/null || { mkdir -p "$LAB_DATA"; echo "$out" > "$LAB_DATA/check.${d%%/*}.$n.log"; }
		echo "CHECK $d/$n $st $(echo "$out" | tail -1)"
	done
}

take_fixture() {
	if [ -x /lab/bin/snapshot-fixture.sh ]; then
		lab "fixture snapshot $1"
		/lab/bin/snapshot-fixture.sh "$LAB_DATA/fixture/$1" > "$LAB_DATA/fixture.log" 2>&1 || lab "snapshot-fixture.sh failed"
	else
		lab "no snapshot-fixture.sh in this image; fixture skipped"
	fi
}

# write_outbox: tar $LAB_DATA onto the raw disk with serial "outbox" (or $OUTBOX_DEV).
write_outbox() {
	local dev=${OUTBOX_DEV:-$(disk_by_serial outbox)} i
	if [ -z "$dev" ]; then  # stages that do not load virtio_blk themselves
		modprobe virtio_pci 2>/dev/null; modprobe virtio_blk 2>/dev/null
		for i in 1 2 3 4 5; do dev=$(disk_by_serial outbox); [ -n "$dev" ] && break; sleep 1; done
	fi
	[ -n "$dev" ] || { lab "no outbox disk"; return 1; }
	dmesg > "$LAB_DATA/dmesg.txt"
	tar -cf "/dev/$dev" -C "$(dirname "$LAB_DATA")" "$(basename "$LAB_DATA")" && sync
	lab "outbox written to /dev/$dev ($(du -sk "$LAB_DATA" | cut -f1) KiB)"
}
