# tools/lab/lib/xen-host.sh — Xen stage, host side (sourced by lab.sh).
# QEMU TCG boots Xen 4.17 (multiboot) with a Debian 6.1 PV dom0; dom0 (tools/lab/xen/dom0.sh)
# creates each domU (PV, PVH, HVM with PV drivers, HVM with emulated devices only) in turn, the
# first three with the real xen-netfront / xen-blkfront, and runs
# the domU workload, the domU checks and the dom0 backend checks.
# Xen under TCG sometimes corrupts FPU/SSE state or triple-faults a PVH/HVM domU (NOTES.md). An FPU
# sentinel (fpcheck) runs in dom0 and in every domU; dom0 retries a broken domU (lab.guest_tries), and
# domUs still broken are run again in a new Xen boot, up to XEN_TRIES boots (stage_xen). Every boot's
# outcome is appended to $LAB_CACHE/xen-runs.txt.
# XEN_DOMU_PHASES / XEN_DOM0_PHASES: '/'-separated phase specs (no commas: QEMU splits -initrd on them),
# e.g. XEN_DOMU_PHASES=plain/kprobe:xen-netfront+xen-blkfront XEN_DOM0_PHASES=kprobe:xen-events
# XEN_DOMU_KSERIES=TAG: the domUs boot that Debian kernel line (tools/pins.sh; 5.10: the cookie-less
# rung in a PV domU, with 5.10's own upcall path) while dom0 stays on 6.1; e.g.
# XEN_DOMU_KSERIES=5.10 XEN_GUESTS=pv tools/lab/lab.sh xen
XEN_DIR=$LAB_CACHE/xen
XEN_GUESTS=${XEN_GUESTS:-pv pvh hvm hvmemu}
XEN_TRIES=${XEN_TRIES:-4}
# XEN_QEMU_SRC=bpo (default): QEMU 10 from bookworm-backports (lab_qemu_bpo) with shadow paging for the
# PVH/HVM domUs (XEN_HAP=0): with QEMU 10 and hardware-assisted paging they hang at boot, and
# bookworm's QEMU 7.2 triple-faults them. XEN_QEMU_SRC=system: $QEMU (7.2) and Xen's default paging.
XEN_QEMU_SRC=${XEN_QEMU_SRC:-bpo}
[ "$XEN_QEMU_SRC" = bpo ] && XEN_HAP=${XEN_HAP-0}
# smap=0: PV dom0 crashes at once under TCG without it; spec-ctrl=eager-fpu: fewer FPU faults.
XEN_ARGS=${XEN_ARGS:-dom0_mem=1536M,max:1536M dom0_max_vcpus=2 console=com1 com1=115200,8n1 loglvl=all guest_loglvl=all smap=0 spec-ctrl=eager-fpu}

xen_setup() {
	local t0=$(date +%s) r=$XEN_DIR/dom0root
	mkdir -p "$XEN_DIR"
	lab_kernel
	if [ "$XEN_QEMU_SRC" = bpo ]; then lab_qemu_bpo || { log "xen: no QEMU from bookworm-backports"; return 1; }; fi
	# a root made from other pins is made again
	[ -e "$r/.lab-done" ] && [ "$(cat "$r/.lab-pins" 2>/dev/null)" != "$(pin_set_packages dom0)" ] &&
		{ log "xen: the dom0 root was made from other pins: making it again"; rm -f "$r/.lab-done" "$XEN_DIR/dom0root.img"; }
	if [ ! -e "$r/.lab-done" ]; then
		log "xen: debootstrap bookworm dom0 root with Xen 4.17 (once, ~2-3 min)"
		rm -rf "$r"
		timeout 1500 debootstrap --variant=minbase \
			--include="$DOM0_INCLUDE" \
			bookworm "$r" http://deb.debian.org/debian > "$XEN_DIR/debootstrap.log" 2>&1 ||
			{ tail -5 "$XEN_DIR/debootstrap.log"; die "xen: debootstrap"; }
		# every .deb debootstrap fetched must be the pinned one (tools/pins.txt, set dom0)
		local deb bad=0
		for deb in "$r/var/cache/apt/archives"/*.deb; do pin_check dom0 "$deb" || bad=1; done
		[ $bad = 0 ] || { rm -rf "$r"; die "xen: the dom0 root is not the pinned one (lines above; tools/update-pins.sh)"; }
		rm -rf "$r/var/cache/apt/archives"/*.deb
		pin_set_packages dom0 > "$r/.lab-pins"
		touch "$r/.lab-done"
	fi
	if [ ! -s "$XEN_DIR/xen.elf" ] || [ ! -s "$XEN_DIR/dom0root.img" ] || [ "$(cat "$XEN_DIR/dom0root.kv" 2>/dev/null)" != "$KV" ]; then
		zcat "$r"/boot/xen-4.17-amd64.gz > "$XEN_DIR/xen.elf"   # QEMU multiboot wants the uncompressed ELF
		rm -rf "$r/lib/modules"; mkdir -p "$r/lib/modules"
		cp -a "$KROOT/lib/modules/$KV" "$r/lib/modules/"
		depmod -b "$r" "$KV"
		mkdir -p "$r/lab"
		log "xen: building dom0 root image (ext4)"
		rm -f "$XEN_DIR/dom0root.img"
		mkfs.ext4 -q -F -L dom0root -d "$r" "$XEN_DIR/dom0root.img" 3G || die "xen: mkfs.ext4"
		echo "$KV" > "$XEN_DIR/dom0root.kv"
	fi
	# stage 1 of dom0: a busybox initramfs that mounts the ext4 root and switches to it
	local tmp; tmp=$(mktemp -d "$LAB_CACHE/x1.XXXX")
	printf '%s\n' '#!/bin/sh' 'export PATH=/bin' 'mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev' \
		'for m in virtio_pci virtio_blk crc32c_generic ext4; do modprobe $m; done' \
		'for i in 1 2 3 4 5; do [ -b /dev/vda ] && break; sleep 1; done' \
		'mkdir -p /newroot; mount -t ext4 /dev/vda /newroot || { echo "LAB dom0: mount root failed"; poweroff -f; }' \
		'for b in /sys/block/*; do [ "$(cat $b/serial 2>/dev/null)" = labin ] && tar -xf /dev/${b##*/} -C /newroot; done' \
		'[ -x /newroot/lab/dom0.sh ] || { echo "LAB dom0: no lab payload"; poweroff -f; }' \
		'umount /proc /sys' 'exec switch_root /newroot /lab/dom0.sh' > "$tmp/init1"; chmod +x "$tmp/init1"
	mkinitramfs "$XEN_DIR/dom0-initrd.gz" none "virtio_pci virtio_blk crc32c_generic ext4" "$tmp/init1:/init" || die "xen: dom0 initrd"
	rm -rf "$tmp"
	log "xen: setup done in $(( $(date +%s) - t0 ))s"
}

# xen_payload DIR: the per-run /lab of dom0 (domU kernel + initramfs, scripts, checks, iopath), as a tar disk
xen_payload() {
	local o=$1 p=$1/payload
	rm -rf "$p"; mkdir -p "$p/lab/bin"
	local d0=("$KSERIES" "$KROOT" "$KV" "$VMLINUZ") rc=0
	if [ -n "${XEN_DOMU_KSERIES:-}" ] && [ "$XEN_DOMU_KSERIES" != "$KSERIES" ]; then
		KSERIES=$XEN_DOMU_KSERIES KROOT=""; lab_kernel
		log "xen: domU kernel $KV (XEN_DOMU_KSERIES=$KSERIES), dom0 ${d0[2]}"
	fi
	# e1000, ata_piix and sd_mod: the emulated NIC and IDE disks of the hvmemu domU
	mkinitramfs "$p/lab/domu-initrd.gz" xen-domu "xen-netfront xen-blkfront e1000 ata_piix sd_mod" "$LAB_CACHE/bin/fpcheck:/lab/bin/fpcheck" bin=/usr/bin/jq:/usr/bin/jq || rc=1
	cp "$VMLINUZ" "$p/lab/vmlinuz"
	KSERIES=${d0[0]} KROOT=${d0[1]} KV=${d0[2]} VMLINUZ=${d0[3]}
	[ $rc = 0 ] || return 1
	cp "$LAB_DIR/xen/dom0.sh" "$LAB_DIR/xen/block-lab" "$LAB_DIR/xen/vif-lab" "$LAB_DIR/xen/xentrace-io.py" "$p/lab/"
	cp -a "$LAB_DIR/lib" "$LAB_DIR/checks" "$p/lab/"
	cp "$LAB_CACHE/bin/fpcheck" "$p/lab/bin/"
	# jq for checks/xen-dom0/50 (dom0's debootstrap root has none): the host's, with the two
	# libraries bookworm's root lacks (libjq, libonig; libc and libm are the same bookworm ones)
	mkdir -p "$p/lab/jq"; cp -L /usr/bin/jq "$p/lab/jq/"
	ldd /usr/bin/jq | awk '$3 ~ /lib(jq|onig)/ {print $3}' | xargs -r cp -L -t "$p/lab/jq/"
	printf '%s\n' '#!/bin/sh' 'LD_LIBRARY_PATH=/lab/jq exec /lab/jq/jq "$@"' > "$p/lab/bin/jq"; chmod +x "$p/lab/bin/jq"
	if [ -x "$IOPATH_BIN" ] && "$IOPATH_BIN" probes --help >/dev/null 2>&1; then cp "$IOPATH_BIN" "$p/lab/bin/iopath"; echo 1 > "$p/lab/iopath"; else echo 0 > "$p/lab/iopath"; fi
	[ -x "$REPO/tools/snapshot-fixture.sh" ] && cp "$REPO/tools/snapshot-fixture.sh" "$p/lab/bin/"
	tar -cf "$o/labin.img" -C "$p" lab && truncate -s %1M "$o/labin.img"
}

# xen_dom0_broken LOG: why dom0 itself is not to be trusted in this boot (its sentinel fired, it
# printed crash text, or it did not finish and so wrote no outbox); empty when it is fine.
xen_dom0_broken() {
	local l=$1 why=() pat c
	local d0; d0=$(tr -d '\r' < "$l" | grep -av -E '^(\(XEN\)|\(d[0-9]+\)|\[[a-z]+#?[0-9]*\] |LAB [a-z]+[|:] |CHECK |FPCHECK [a-z]+:)')   # dom0's own lines
	# grep -c, not -q: lab.sh runs with pipefail, and a grep -q that quits at its match kills the
	# writer with SIGPIPE, which turns the match into a failure
	echo "$d0" | grep -acE '^FPCHECK dom0 .*(CORRUPT|MISMATCH)' > /dev/null && why+=("dom0-sentinel")
	for pat in 'segfault' 'corrupted' 'double free' 'Kernel panic' 'BUG: ' 'Oops' 'general protection' \
		'invalid opcode' 'core dumped' 'Aborted' 'Illegal instruction' 'Invalid BTF magic' 'traps: '; do
		c=$(echo "$d0" | grep -ac -- "$pat"); [ "$c" = 0 ] || why+=("dom0:'$pat'x$c")
	done
	grep -aq '^LAB-END ok' <(tr -d '\r' < "$l") || why+=(dom0-unfinished)
	echo "${why[*]}"
}
# xen_guest_clean LOG G: dom0 reported domU G finished with a clean (last) attempt (grep -c: see
# xen_dom0_broken; with -q a clean domU whose line sat early in the log read as broken when tr
# was still writing: seen once, pvh at 16 KB of a 25 KB log)
xen_guest_clean() { tr -d '\r' < "$1" | grep -ac "^LAB $2: finished=1 .*clean=1" > /dev/null; }
# attempts LOG: "pv:1 pvh:2 hvm:3!" per domU (! = still broken after its last attempt)
xen_attempts() {
	tr -d '\r' < "$1" | sed -n 's/^LAB \([a-z]*\): finished=.* attempts=\([0-9]*\) clean=\(.\).*/\1:\2 \3/p' |
		awk '{printf "%s%s ", $1, ($2 == "1" ? "" : "!")}'
}

# One Xen boot runs the domUs not yet clean. A domU is done when one boot ran it cleanly (its own
# sentinel and crash detectors quiet) and that boot's dom0 is trustworthy: its CHECK lines and data are
# kept, and later boots run only the others, up to XEN_TRIES boots (PV, which has never broken here,
# is not run again because PVH or HVM broke). Every boot is a line in xen-runs.txt.
stage_xen() {
	lab_kernel
	[ -s "$XEN_DIR/dom0root.img" ] || xen_setup || return 1
	local o=$LAB_CACHE/out/xen try why d0 hw t0 res=1 todo=$XEN_GUESTS left g qv QEMU=$QEMU s0=$(date +%s)
	if [ "$XEN_QEMU_SRC" = bpo ]; then lab_qemu_bpo || return 1; QEMU=$XEN_QEMU; fi
	rm -rf "$o"; mkdir -p "$o/data"; : > "$o/console.log"
	log "xen: building dom0 payload (domU initramfs, scripts, checks)"
	xen_payload "$o" || return 1
	qv=$($QEMU --version | sed -n '1s/.*version \([^ ]*\).*/\1/p')
	local tmo
	for try in $(seq 1 "$XEN_TRIES"); do
		t0=$(date +%s)
		# A boot may take LAB_TIMEOUT_XEN (3600 s) but never past XEN_BUDGET for the stage: make test
		# sets the budget so that the whole suite ends inside CI's time even on a slow machine (a boot
		# cut by it leaves its unfinished domUs, and the stage fails naming them)
		tmo=${LAB_TIMEOUT_XEN:-3600}
		if [ -n "${XEN_BUDGET:-}" ]; then
			[ $(( XEN_BUDGET - (t0 - s0) )) -lt "$tmo" ] && tmo=$(( XEN_BUDGET - (t0 - s0) ))
			if [ "$tmo" -lt 600 ]; then
				log "xen: boot $try: only ${tmo}s of XEN_BUDGET=${XEN_BUDGET}s left, no boot started"; break
			fi
		fi
		new_outbox "$o/outbox.img" 256M
		log "xen: boot $try/$XEN_TRIES: guests '$todo', ${tmo}s at most, Xen: $XEN_ARGS ${XEN_EXTRA:-}"
		# dom0 prints a line a minute while it waits for a domU: five silent minutes is a dead boot
		LAB_SILENT_SECS=${LAB_SILENT_SECS_XEN:-300} run_vm xen "$tmo" "$o/console-$try.log" \
			$QEMU -accel $LAB_TCG -cpu "${XEN_CPU:-$LAB_CPU}" -smp $LAB_SMP -m 3072 -nographic -no-reboot \
			-kernel "$XEN_DIR/xen.elf" -append "$XEN_ARGS ${XEN_EXTRA:-}" \
			-initrd "$VMLINUZ console=hvc0 earlyprintk=xen quiet lab.guests=${todo// /:} ${XEN_DOMU_PHASES:+lab.domu_phases=$XEN_DOMU_PHASES} ${XEN_DOM0_PHASES:+lab.dom0_phases=$XEN_DOM0_PHASES} ${XEN_BACKEND:+lab.backend=$XEN_BACKEND} ${XEN_HAP:+lab.hap=$XEN_HAP} ${XEN_STALL:+lab.stall=$XEN_STALL} ${XEN_DOMU_DEBUG:+lab.domu_debug=1} ${XEN_DOMU_CPUID:+lab.domu_cpuid=${XEN_DOMU_CPUID//,//}} lab.guest_tries=${XEN_GUEST_TRIES:-2} lab.watchdog=$(( tmo - 60 )),$XEN_DIR/dom0-initrd.gz" \
			-drive file="$XEN_DIR/dom0root.img",if=none,id=d0,format=raw,snapshot=on -device virtio-blk-pci,drive=d0,serial=dom0root \
			-drive file="$o/labin.img",if=none,id=d1,format=raw,readonly=on -device virtio-blk-pci,drive=d1,serial=labin \
			-drive file="$o/outbox.img",if=none,id=d2,format=raw -device virtio-blk-pci,drive=d2,serial=outbox
		d0=$(xen_dom0_broken "$o/console-$try.log")
		# a boot the watchdog stopped is dom0-unfinished: the domUs it finished before are kept
		hw=""; vm_hung "$o/console-$try.log" && hw="watchdog:'$(vm_hang_reason "$o/console-$try.log" | cut -c1-120)'"
		mkdir -p "$LAB_CACHE/xen-logs"; cp "$o/console-$try.log" "$LAB_CACHE/xen-logs/$(date -u +%Y%m%dT%H%M%S)-try$try.log"  # history
		read_outbox "$o/outbox.img" "$o/data-$try" || true
		left=""; why=""
		# dom0 running out of time (watchdog) is no reason to distrust the domUs it finished before:
		# they are in the outbox (written after each domU) and dom0 reported its sentinel after each
		for g in $todo; do
			if [ -z "${d0/dom0-unfinished/}" ] && [ -d "$o/data-$try/$g" ] && xen_guest_clean "$o/console-$try.log" "$g"; then
				# keep this guest's lines and data from this boot
				tr -d '\r' < "$o/console-$try.log" | grep -a -E "^(CHECK $g/|LAB $g[|:] |FPCHECK $g:)" >> "$o/console.log"
				rm -rf "$o/data/$g"; [ -d "$o/data-$try/$g" ] && cp -a "$o/data-$try/$g" "$o/data/$g"
			else
				left="$left $g"; why="$why $g-broken"
			fi
		done
		# the last boot's dom0 data (fixture, xl dmesg) and console stand for the run
		[ -z "$d0" ] && for g in "$o/data-$try"/*; do [ -e "$o/data/${g##*/}" ] || cp -a "$g" "$o/data/"; done
		why="${d0:+$d0 }${hw:+$hw }${why# }"
		echo "$(date -u +%FT%TZ) try=$try qemu=$qv guests='$todo' hap=${XEN_HAP:-default}${XEN_DOMU_CPUID:+ domu_cpuid=$XEN_DOMU_CPUID} cpu=${XEN_CPU:-$LAB_CPU} xen='$XEN_ARGS ${XEN_EXTRA:-}' wall=$(( $(date +%s) - t0 ))s attempts=[$(xen_attempts "$o/console-$try.log")] $([ -z "$why" ] && echo CLEAN || echo "BROKEN $why")" >> "$LAB_CACHE/xen-runs.txt"
		todo=${left# }
		[ -z "$todo" ] && { log "xen: boot $try clean for the rest of the guests in $(( $(date +%s) - t0 ))s"; break; }
		# XEN_BUDGET (s, whole stage): no new boot that would likely end past it (as long as the last one)
		if [ -n "${XEN_BUDGET:-}" ] && [ $(( $(date +%s) - s0 + $(date +%s) - t0 )) -gt "$XEN_BUDGET" ]; then
			log "xen: boot $try: still to do '$todo'; another boot would pass XEN_BUDGET=${XEN_BUDGET}s"; break
		fi
		log "xen: boot $try: still to do '$todo' ($why) after $(( $(date +%s) - t0 ))s$([ "$try" -lt "$XEN_TRIES" ] && echo ', booting again')"
	done
	if [ -z "$todo" ]; then
		echo "LAB-END ok" >> "$o/console.log"
		# host-side checks over every domU's data (checks/xen-host: the comparison)
		local f c out st
		for f in "$LAB_DIR"/checks/xen-host/[0-9]*.sh; do
			[ -e "$f" ] || continue
			c=$(basename "$f" .sh)
			out=$(LAB_OUT=$o IOPATH_BIN=$IOPATH_BIN XEN_GUESTS="$XEN_GUESTS" bash "$f" 2>&1) && st=PASS || st=FAIL
			echo "CHECK xen/xen-host/$c $st $(echo "$out" | tail -1)" | tee -a "$o/console.log" | sed "s/^/[lab $(el)] /"
		done
		local vd=(xen/xen-host); for g in $XEN_GUESTS; do vd+=("$g/xen-domu" "$g/xen-dom0"); done
		verdict xen "$o/console.log" "${vd[@]}"; res=$?
	else
		log "FAIL xen: no clean run of '$todo' in $try boots (last: $why)"
	fi
	log "xen: boots so far: $(grep -c CLEAN "$LAB_CACHE/xen-runs.txt") clean of $(wc -l < "$LAB_CACHE/xen-runs.txt") ($LAB_CACHE/xen-runs.txt)"
	return $res
}
