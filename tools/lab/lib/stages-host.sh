# tools/lab/lib/stages-host.sh — the host side of each lab stage (sourced by lab.sh after host.sh).
# A stage: build its initramfs, boot QEMU with a timeout, extract the outbox, judge the CHECK lines.

qemu_base() { # MEM: common TCG machine
	echo "$QEMU -accel $LAB_TCG -cpu $LAB_CPU -smp $LAB_SMP -m $1 -nographic -no-reboot -kernel $VMLINUZ"
}

# stage_boots STAGE OUTDIR PREP TIMEOUT qemu-args...: boot the stage's guest (console in
# OUTDIR/console.log, a fresh outbox OUTDIR/outbox.img, PREP run before each boot for the other disks)
# until one boot is not broken (run_vm: hang, silence, a phase over its limit), up to
# LAB_TRIES_<STAGE> (default 3) boots and within LAB_BUDGET_<STAGE> seconds for the whole stage
# (default 1500: no new boot is started when one more, as long as the last, would end past it).
# A broken boot's console is kept as console-broken-N.log and a line goes to $LAB_CACHE/hangs.txt.
# A boot in which a check already printed FAIL is never booted again: a failed check is a result,
# and retrying it until it passes would hide it. Sets LAB_BROKEN to the last boot's reason (empty
# when it was not broken), which verdict prints.
stage_boots() {
	local stage=$1 o=$2 prep=$3 tmo=$4; shift 4
	local uc; uc=$(echo "$stage" | tr a-z A-Z)
	local tries budget try t0 s0=$(date +%s) why
	eval "tries=\${LAB_TRIES_$uc:-3}; budget=\${LAB_BUDGET_$uc:-1500}"
	[ "$stage" = kvm ] && tries=${LAB_KVM_TRIES:-$tries}   # the older name
	LAB_BROKEN=""
	for try in $(seq 1 "$tries"); do
		t0=$(date +%s)
		new_outbox "$o/outbox.img"; $prep
		log "$stage: booting QEMU TCG ($(du -h "$o/initrd.gz" | cut -f1) initramfs), boot $try of at most $tries"
		LAB_PHASE_SECS=${LAB_PHASE_SECS:-300} run_vm "$stage" "$tmo" "$o/console.log" "$@"
		LAB_BROKEN=""
		vm_hung "$o/console.log" || break
		why=$(vm_hang_reason "$o/console.log"); LAB_BROKEN=$why
		cp "$o/console.log" "$o/console-broken-$try.log"
		echo "$(date -u +%FT%TZ) stage=$stage boot=$try of=$tries wall=$(( $(date +%s) - t0 ))s reason: $why" >> "${LAB_CACHE_HANGS:-$LAB_CACHE/hangs.txt}"
		if tr -d '\r' < "$o/console.log" | grep -acE "^CHECK [^ ]+ FAIL" > /dev/null; then
			log "$stage: boot $try broken ($why) after a check had failed: not booted again (a failed check is a result)"
			break
		fi
		if [ "$try" -ge "$tries" ]; then
			log "$stage: boot $try broken ($why): no boots left"; break
		fi
		if [ $(( $(date +%s) - s0 + $(date +%s) - t0 )) -gt "$budget" ]; then
			log "$stage: boot $try broken ($why): another boot would pass LAB_BUDGET_$uc=${budget}s"; break
		fi
		log "$stage: boot $try thrown away ($why); console kept as $o/console-broken-$try.log; booting again"
	done
}

stage_setup() {
	local t0=$(date +%s)
	lab_deps
	lab_kernel
	lab_build_tools
	log "setup: kernel $KV at $KROOT; deps+kernel+tools in $(( $(date +%s) - t0 ))s"
	local want_xen=${LAB_SETUP_XEN:-auto}
	[ "$want_xen" = auto ] && case $cmd in all|xen|fixtures|setup) want_xen=1 ;; esac
	if [ "$want_xen" = 1 ]; then xen_setup || return 1; fi
	log "setup done in $(( $(date +%s) - t0 ))s"
}

# ---------------------------------------------------------------- guest
stage_guest() {
	lab_kernel
	# another kernel line's outbox is kept apart (out/guest-5.10; lab.sh recheck guest-5.10)
	local o=$LAB_CACHE/out/guest$([ "$KSERIES" = 6.1 ] || echo "-$KSERIES"); rm -rf "$o"; mkdir -p "$o"
	log "guest: building initramfs (iopath: $([ -x "$IOPATH_BIN" ] && echo "$IOPATH_BIN" || echo none))"
	# this kernel's BTF cut down to what iopath's BPF objects read, made now (tools/embed-btf.sh
	# --to), and the built-in archive's entry of it (bpf/btf/), for the guest's phase without
	# /sys/kernel/btf (stages/guest.sh workload_nobtf): the two must be the same bytes (an entry
	# made from older BPF objects is stale); without them that phase fails, saying why
	local btf=""
	if [ -x "$IOPATH_BIN" ]; then
		if "$REPO/tools/embed-btf.sh" --to "$o" "$KSERIES" > "$o/min-btf.log" 2>&1 && cp "$o/$KV.btf" "$o/min.btf"; then
			btf="$o/min.btf:lab/min.btf"; log "guest: $(tail -1 "$o/min-btf.log")"
			[ -f "$REPO/bpf/btf/$KV.btf" ] && btf="$btf $REPO/bpf/btf/$KV.btf:lab/builtin.btf"
		else
			log "guest: no minimal BTF for the nobtf phase: $(tail -1 "$o/min-btf.log")"
		fi
	fi
	mkinitramfs "$o/initrd.gz" guest "virtio_pci virtio_net virtio_blk nvme e1000e" \
		bin=/usr/sbin/ethtool:/usr/sbin/ethtool bin=/usr/bin/jq:/usr/bin/jq $btf || return 1
	# user-net with restrict=on: the guest reaches only QEMU's own gateway (10.0.x.2), nothing outside
	guest_disks() { new_outbox "$o/vblk.img"; new_outbox "$o/nvme.img"; }
	stage_boots guest "$o" guest_disks "${LAB_TIMEOUT_GUEST:-600}" $(qemu_base 2048) -initrd "$o/initrd.gz" \
		-append "console=ttyS0 quiet panic=-1 nokaslr lab.stage=guest ${LAB_GUEST_APPEND:-}" \
		-netdev user,id=n0,net=10.0.2.0/24,restrict=on -device virtio-net-pci,netdev=n0 \
		-netdev user,id=n1,net=10.0.3.0/24,restrict=on -device e1000e,netdev=n1 \
		-drive file="$o/vblk.img",if=none,id=d0,format=raw -device virtio-blk-pci,drive=d0,serial=labvblk \
		-drive file="$o/nvme.img",if=none,id=d1,format=raw -device nvme,drive=d1,serial=labnvme \
		-drive file="$o/outbox.img",if=none,id=d2,format=raw -device virtio-blk-pci,drive=d2,serial=outbox
	read_outbox "$o/outbox.img" "$o/data"
	rm -f "$o/vblk.img" "$o/nvme.img"
	verdict guest "$o/console.log" guest
}

# ---------------------------------------------------------------- SR-IOV VF
# QEMU 10 from bookworm-backports (lab_qemu_bpo, as the Xen stage: bookworm's 7.2 has no igb) emulates
# an igb 82576 with SR-IOV. It must sit behind a PCIe root port: on the q35 root complex itself the PF
# never answers the VF's mailbox (NOTES.md, "SR-IOV virtual function under TCG"). intel-iommu first:
# QEMU wants the IOMMU before the PCI devices it translates for.
stage_vf() {
	lab_kernel
	lab_qemu_bpo || { log "vf: no QEMU from bookworm-backports"; return 1; }
	local o=$LAB_CACHE/out/vf QEMU=$XEN_QEMU; rm -rf "$o"; mkdir -p "$o"
	log "vf: building initramfs (iopath: $([ -x "$IOPATH_BIN" ] && echo "$IOPATH_BIN" || echo none))"
	# iproute2's ip beside busybox's: only it sets a VF's MAC ("ip link set PF vf 0 mac ...")
	mkinitramfs "$o/initrd.gz" vf "igb igbvf virtio_pci virtio_blk" \
		bin=/usr/sbin/ethtool:/usr/sbin/ethtool bin=/usr/bin/jq:/usr/bin/jq bin=/bin/ip:/usr/sbin/ip.iproute2 || return 1
	# the comparison's suite over the VF (stages/vf.sh phase suite) talks to a peer on this host:
	# QEMU user-net takes the guest's 10.0.2.2:PORT to the host's 127.0.0.1:PORT (UDP and TCP), so
	# the guest is not restricted (restrict=on would drop it); it sends nothing of its own (no
	# IPv6, no DHCP: static address, pinned neighbour)
	local peer=""
	if [ -x "$IOPATH_BIN" ]; then
		"$IOPATH_BIN" workload peer --port 7100 "${LAB_TIMEOUT_VF:-600}" > "$o/peer.log" 2>&1 &
		peer=$!
	fi
	stage_boots vf "$o" : "${LAB_TIMEOUT_VF:-600}" $(qemu_base 2048) -M q35 -initrd "$o/initrd.gz" \
		-append "console=ttyS0 quiet panic=-1 nokaslr intel_iommu=on lab.stage=vf ${LAB_VF_APPEND:-}" \
		-device intel-iommu -device pcie-root-port,id=rp1,slot=1 \
		-netdev user,id=n0,net=10.0.2.0/24 -device igb,netdev=n0,bus=rp1 \
		-drive file="$o/outbox.img",if=none,id=d2,format=raw -device virtio-blk-pci,drive=d2,serial=outbox
	[ -n "$peer" ] && { kill "$peer" 2>/dev/null; wait "$peer" 2>/dev/null; }
	read_outbox "$o/outbox.img" "$o/data"
	verdict vf "$o/console.log" vf
}

# ---------------------------------------------------------------- the lab's own watchdog
# Three claims about stage_boots, each on a real guest boot whose hang or crash is made on purpose
# (lab.test_hang, lab.test_crash, guest.sh): (1) a boot whose phase never ends is judged broken by
# the watchdog, thrown away with its console kept and booted again, and the stage fails naming the
# reason once no boots are left; (2) a boot whose checks failed before it hung is not booted again;
# (3) a guest kernel crash is a result unless it is one of the emulator faults vm_emulator_fault knows.
stage_selftest() {
	lab_kernel
	local o=$LAB_CACHE/out/selftest r n fails=()
	rm -rf "$o"; mkdir -p "$o"
	mkinitramfs "$o/initrd.gz" selftest "virtio_pci virtio_blk" || return 1
	local q=( $(qemu_base 1024) -initrd "$o/initrd.gz"
		-drive file="$o/outbox.img",if=none,id=d2,format=raw -device virtio-blk-pci,drive=d2,serial=outbox )
	: > "$o/hangs.txt"
	# st_boots APPEND: the selftest guest booted by stage_boots, 2 boots at most (limits come from
	# the caller's VAR=value prefix); sets r (why the last boot was broken) and n (boots kept)
	st_boots() {
		rm -f "$o"/console-broken-*.log
		LAB_CACHE_HANGS="$o/hangs.txt" LAB_TRIES_SELFTEST=2 \
			stage_boots selftest "$o" : 300 "${q[@]}" -append "console=ttyS0 quiet panic=-1 nokaslr lab.stage=selftest $1"
		r=$LAB_BROKEN; n=$(ls "$o"/console-broken-*.log 2>/dev/null | wc -l)
	}
	log "selftest 1: a phase that never ends (two boots, 40 s phase limit)"
	LAB_PHASE_SECS=40 st_boots "lab.test_hang=plain lab.diag=20"
	case $r in "phase plain not done after"*) ;; *) fails+=("1:reason='$r'") ;; esac
	[ "$n" = 2 ] || fails+=("1:broken-boots=$n(want 2)")
	grep -ac '^LAB diag: pid ' "$o/console-broken-1.log" > /dev/null || fails+=("1:no-guest-diagnostics")
	# QEMU's view kept with the console: every vCPU's RIP, resolved (nokaslr + the kernel-facts
	# fixture); the hung guest sleeps, so its vCPUs are in the kernel, named
	grep -acE '^LAB-HOST watchdog: vCPU RIPs: 0: ffffffff[0-9a-f]{8} \([a-z_]+\+0x[0-9a-f]+\) 1: ' \
		"$o/console-broken-1.log" > /dev/null || fails+=("1:no-vcpu-state")
	log "CHECK selftest/1-hang-retried $([ ${#fails[@]} = 0 ] && echo PASS || echo FAIL) broken boots $n (want 2), reason '$r'"
	local f0=${#fails[@]}
	log "selftest 2: the check fails (its phase left out), then the guest hangs (40 s of silence)"
	LAB_SILENT_SECS=40 st_boots "lab.phases=none lab.test_hang=after-checks"
	case $r in "console silent for"*) ;; *) fails+=("2:reason='$r'") ;; esac
	[ "$n" = 1 ] || fails+=("2:broken-boots=$n(want 1: not booted again)")
	tr -d '\r' < "$o/console.log" | grep -ac '^CHECK selftest/10-plain-ran FAIL' > /dev/null || fails+=("2:no-failed-check")
	log "CHECK selftest/2-failed-check-not-retried $([ ${#fails[@]} = $f0 ] && echo PASS || echo FAIL) broken boots $n (want 1), reason '$r'"
	f0=${#fails[@]}
	# (3) the emulator-fault rule (host.sh vm_emulator_fault): the console of the CI boot whose guest
	# kernel died of a stale int3 (tests/fixtures/lab, copied from it) is an emulator fault, the
	# same console with the int3 still in memory is not, and a real guest kernel crash is a
	# result: not judged broken, not booted again, the stage fails as guest-did-not-finish
	local fx=$REPO/tests/fixtures/lab/console-int3-stale.log
	case $(vm_emulator_fault "$fx") in *"stale TCG translation"*) ;; *) fails+=("3:stale-int3-not-seen") ;; esac
	[ -z "$(sed 's/ 0f <1f>/ cc <1f>/' "$fx" | vm_emulator_fault /dev/stdin)" ] || fails+=("3:real-int3-judged-a-fault")
	# the kvm-stage CI boot whose L1 kernel faulted on its own per-CPU read until its stack ran
	# out is one too; with CR2 elsewhere than the %gs load's address (a stack overflow of some
	# other fault) it is not
	fx=$REPO/tests/fixtures/lab/console-pf-recursion.log
	case $(vm_emulator_fault "$fx") in *"own per-CPU read"*) ;; *) fails+=("3:pf-recursion-not-seen") ;; esac
	[ -z "$(sed 's/RAX: ff306d689721fb80/RAX: ff306d6897240000/' "$fx" | vm_emulator_fault /dev/stdin)" ] ||
		fails+=("3:other-guard-page-hit-judged-a-fault")
	log "selftest 3: the guest kernel crashes (sysrq c) in its phase"
	st_boots "lab.test_crash=plain"
	[ -z "$r" ] || fails+=("3:crash-judged-broken='$r'")
	[ "$n" = 0 ] || fails+=("3:broken-boots=$n(want 0)")
	tr -d '\r' < "$o/console.log" | grep -acE 'Kernel panic|sysrq triggered crash|Oops' > /dev/null || fails+=("3:no-crash-on-console")
	tr -d '\r' < "$o/console.log" | grep -ac '^LAB-END' > /dev/null && fails+=("3:guest-finished")
	log "CHECK selftest/3-crash-is-a-result $([ ${#fails[@]} = $f0 ] && echo PASS || echo FAIL) broken boots $n (want 0), reason '${r:-none}'"
	[ ${#fails[@]} = 0 ] && { log "PASS selftest (3 checks passed)"; return 0; }
	log "FAIL selftest: ${fails[*]}"; return 1
}

# ---------------------------------------------------------------- nested KVM
stage_kvm() {
	lab_kernel
	local o=$LAB_CACHE/out/kvm; rm -rf "$o"; mkdir -p "$o"
	# L2: a Debian-kernel guest with virtio-net + virtio-blk (QEMU/KVM run inside the TCG guest)
	mkinitramfs "$o/l2.gz" l2 "virtio_pci virtio_net virtio_blk" || return 1
	local qs=$LAB_CACHE/qemu-share; mkdir -p "$qs"
	cp -L /usr/share/qemu/{linuxboot_dma.bin,kvmvapic.bin,vgabios-stdvga.bin,efi-virtio.rom} "$qs/" 2>/dev/null
	log "kvm: building initramfs (kvmtiny, QEMU for L2)"
	mkinitramfs "$o/initrd.gz" kvm "kvm_amd tun vhost_net virtio_pci virtio_blk" \
		"$LAB_CACHE/bin/kvmtiny:/lab/bin/kvmtiny" bin=/usr/bin/qemu-system-x86_64:/usr/bin/qemu-system-x86_64 \
		"$qs:/usr/share/qemu" /usr/share/seabios:/usr/share/seabios \
		"$VMLINUZ:/l2/vmlinuz" "$o/l2.gz:/l2/initrd.gz" bin=/usr/bin/jq:/usr/bin/jq || return 1
	# KVM on QEMU's emulated SVM can wedge a CPU of this guest for good (seen in some 3 of 30
	# boots, each time in kvmtiny, the first KVM guest of the boot): stage_boots throws such a boot
	# away and boots again. The phase hostl2 runs iopath inside the L2 too (record --net --blk
	# --exits while L1 records --host): 150 s on 2026-12-02 (the L2's rec phase alone 54 s), so this
	# stage's phases may take 450 s. The guest's diagnostics wait 200 s: longer than hostl2, and
	# shorter than the console's silence limit (240 s), or a hung phase that prints nothing (l2suite,
	# CI 2026-12-02) is stopped before it leaves any evidence, as it was with 300 s.
	LAB_PHASE_SECS=${LAB_PHASE_SECS:-450} stage_boots kvm "$o" : "${LAB_TIMEOUT_KVM:-600}" $(qemu_base 2048) -initrd "$o/initrd.gz" \
		-append "console=ttyS0 quiet panic=-1 nokaslr lab.stage=kvm lab.diag=200 ${LAB_KVM_APPEND:-}" \
		-drive file="$o/outbox.img",if=none,id=d2,format=raw -device virtio-blk-pci,drive=d2,serial=outbox
	read_outbox "$o/outbox.img" "$o/data"
	verdict kvm "$o/console.log" kvm
}

# ---------------------------------------------------------------- re-judging and fixtures
recheck() { # STAGE: run STAGE's checks on the host against out/STAGE/data (no boot)
	local s=$1 d=$LAB_CACHE/out/$1/data/labdata f n out r st fails=0
	[ -d "$d" ] || die "recheck: no $d (run the stage first)"
	s=${s%%-*}   # guest-5.10: the guest stage's checks
	for f in "$LAB_DIR/checks/$s"/[0-9]*.sh; do
		n=$(basename "$f" .sh)
		# checks that read recordings run this tree's iopath, as the guest ran its copy
		out=$(PATH="$(dirname "$IOPATH_BIN"):$PATH" LAB_DATA=$d LAB_IOPATH=$(cat "$d/info/iopath" 2>/dev/null || echo "${LAB_IOPATH:-0}") sh "$f" 2>&1); r=$?
		case $r in 0) st=PASS ;; 77) st=SKIP ;; *) st=FAIL; fails=$((fails + 1)) ;; esac
		echo "CHECK $s/$n $st $(echo "$out" | tail -1)"
	done
	[ $fails = 0 ]
}

install_fixtures() {
	local n src dst ok=0
	for src in "$LAB_CACHE"/out/*/data/labdata/fixture/* "$LAB_CACHE"/out/xen/data/*/labdata/fixture/* "$LAB_CACHE"/out/xen/data/fixture/*; do
		[ -d "$src" ] || continue
		n=$(basename "$src"); dst=$REPO/tests/fixtures/platform/$n
		rm -rf "$dst"; mkdir -p "$(dirname "$dst")"; cp -a "$src" "$dst"
		log "fixtures: $n -> tests/fixtures/platform/$n ($(find "$dst" -type f | wc -l) files)"
		ok=$((ok + 1))
	done
	[ $ok -gt 0 ] || { log "FAIL fixtures: no fixture snapshots in the stage outputs"; return 1; }
}
