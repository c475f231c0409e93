# tools/lab/lib/host.sh — host-side helpers for tools/lab/lab.sh (sourced, bash).
# Paths: everything built or downloaded goes under $LAB_CACHE (= ${IOPATH_CACHE:-<repo>/.cache}/lab);
# each stage's run output (console log, extracted outbox) goes under $LAB_CACHE/out/<stage>/.

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPO=$(cd "$LAB_DIR/../.." && pwd)
CACHE=${IOPATH_CACHE:-$REPO/.cache}
LAB_CACHE=$CACHE/lab
LAB_START=${LAB_START:-$(date +%s)}
QEMU=${QEMU:-qemu-system-x86_64}
# TCG settings used by every stage (NOTES.md: -cpu max exposes SVM for nested KVM; thread=multi is faster)
LAB_CPU=${LAB_CPU:-max}
LAB_SMP=${LAB_SMP:-2}
LAB_TCG=${LAB_TCG:-tcg,thread=multi}
IOPATH_BIN=${IOPATH_BIN:-$REPO/iopath}
KSERIES=${LAB_KSERIES:-6.1}
mkdir -p "$LAB_CACHE"
. "$REPO/tools/pins.sh"   # pin_check, pin_set_packages: every .deb the lab downloads is pinned

el() { local s=$(( $(date +%s) - LAB_START )); printf '%02d:%02d' $((s / 60)) $((s % 60)); }
log() { echo "[lab $(el)] $*"; }
die() { log "FAIL $*"; exit 1; }

# ---------------------------------------------------------------- dependencies
LAB_APT_PKGS="qemu-system-x86 busybox-static cpio zstd xz-utils kmod e2fsprogs debootstrap ethtool gcc libc6-dev"
lab_deps() {
	local p missing=""
	for p in $LAB_APT_PKGS; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -c '^install ok installed$' > /dev/null || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	[ "$(id -u)" = 0 ] || die "deps: missing packages:$missing (run as root)"
	log "deps: apt-get install$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >/dev/null || die "deps: apt-get update"
	apt-get install -y -q --no-install-recommends $missing >/dev/null || die "deps: apt-get install$missing"
}

# ---------------------------------------------------------------- QEMU for the Xen stage
# bookworm's QEMU 7.2 corrupts PVH/HVM domUs of a Xen under TCG (triple faults, SIGILL: NOTES.md and
# tools/lab/README.md). QEMU 10 from bookworm-backports with shadow paging runs them cleanly. It is
# unpacked under $LAB_CACHE/qemu-bpo with apt's download-only mode and a private source list and
# cache, so the host's apt configuration and installed QEMU stay as they are. Sets XEN_QEMU.
# QEMU_BPO_PKGS: tools/pins.sh
lab_qemu_bpo() {
	local c=$LAB_CACHE/qemu-bpo r=$LAB_CACHE/qemu-bpo/root d want
	want=$(pin_set_packages qemu-bpo)
	[ -n "$want" ] || { log "deps: no qemu-bpo pins in $PINS_FILE (tools/update-pins.sh)"; return 1; }
	# the unpacked tree is the pinned one? (a change of pins unpacks again)
	[ "$(cat "$c/pins" 2>/dev/null)" = "$want" ] || rm -rf "$r"
	if [ ! -x "$r/usr/bin/qemu-system-x86_64" ]; then
		log "deps: QEMU from bookworm-backports into $c (once, ~25 MB; pinned: $(echo "$want" | grep '^qemu-system-x86=' | cut -d= -f2))"
		rm -rf "$c/debs"; mkdir -p "$c/apt/lists/partial" "$c/debs/partial"
		printf 'deb http://deb.debian.org/debian %s main\n' bookworm bookworm-updates bookworm-backports > "$c/apt/sources.list"
		local A=(-o Dir::Etc::SourceList="$c/apt/sources.list" -o Dir::Etc::SourceParts=/nonexistent
			-o Dir::State::Lists="$c/apt/lists" -o Dir::Cache::archives="$c/debs"
			-o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=)
		apt-get "${A[@]}" -q update > "$c/apt.log" 2>&1 || { tail -3 "$c/apt.log"; return 1; }
		# download-only resolves against the host's installed packages: with bookworm's QEMU in place
		# (lab_deps) these are the pinned QEMU packages and the newer libraries they need, each of
		# which must be pinned too (pin_check)
		apt-get "${A[@]}" -y -q --no-install-recommends --download-only install -t bookworm-backports \
			$want >> "$c/apt.log" 2>&1 || { tail -3 "$c/apt.log"; log "deps: the pinned QEMU packages could not be had (tools/update-pins.sh)"; return 1; }
		for d in "$c"/debs/*.deb; do pin_check qemu-bpo "$d" || { rm -f "$d"; return 1; }; done
		rm -rf "$r"; mkdir -p "$r"
		for d in "$c"/debs/*.deb; do dpkg -x "$d" "$r" || return 1; done
		echo "$want" > "$c/pins"
	fi
	XEN_QEMU="env LD_LIBRARY_PATH=$r/usr/lib/x86_64-linux-gnu QEMU_MODULE_DIR=$r/usr/lib/x86_64-linux-gnu/qemu $r/usr/bin/qemu-system-x86_64 -L $r/usr/share/qemu"
	$XEN_QEMU --version > /dev/null || { log "deps: $r/usr/bin/qemu-system-x86_64 does not run"; return 1; }
}

# ---------------------------------------------------------------- kernel
# Sets KROOT (extracted linux-image tree, depmod done) and KV (its uname -r).
lab_kernel() {
	[ -n "${KROOT:-}" ] && return 0
	[ -x "$REPO/tools/debian-kernel.sh" ] || die "kernel: tools/debian-kernel.sh missing"
	KROOT=$("$REPO/tools/debian-kernel.sh" "$KSERIES" | tail -1) || die "kernel: tools/debian-kernel.sh $KSERIES"
	KV=$(cat "$(dirname "$KROOT")/kv" 2>/dev/null) || die "kernel: no $(dirname "$KROOT")/kv"
	VMLINUZ=$KROOT/boot/vmlinuz-$KV
	[ -f "$VMLINUZ" ] || die "kernel: no $VMLINUZ"
}

# ---------------------------------------------------------------- static helper programs
lab_build_tools() {
	local b=$LAB_CACHE/bin; mkdir -p "$b"
	local p
	for p in kvmtiny fpcheck; do
		if [ ! -x "$b/$p" ] || [ "$LAB_DIR/src/$p.c" -nt "$b/$p" ]; then
			gcc -O2 -static -Wall -o "$b/$p" "$LAB_DIR/src/$p.c" || die "build $p"
		fi
	done
}

# ---------------------------------------------------------------- initramfs
# add_bin ROOT BINARY [DEST]: copy a dynamically linked program with its libraries + loader.
add_bin() {
	local r=$1 src=$2 dst=${3:-$2} l
	mkdir -p "$r/$(dirname "$dst")"; cp -L "$src" "$r/$dst"
	for l in $(ldd "$src" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}'); do
		[ -e "$r$l" ] && continue
		mkdir -p "$r/$(dirname "$l")"; cp -L "$l" "$r$l"
	done
}

# mkinitramfs OUT STAGE "modules..." [src:dest ...]
# One layout for every lab guest: busybox-static, /init (tools/lab/init), /lab/{lib,stages,checks,bin},
# the given Debian modules with their dependencies, iopath (when built) and snapshot-fixture.sh.
mkinitramfs() {
	local out=$1 stage=$2 mods=$3; shift 3
	local r; r=$(mktemp -d "$LAB_CACHE/irfs.XXXX")
	mkdir -p "$r"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,etc,root,lab/bin,lib/modules/$KV}
	cp /bin/busybox "$r/bin/busybox"
	local a
	for a in $(/bin/busybox --list); do [ -e "$r/bin/$a" ] || ln -s busybox "$r/bin/$a"; done
	local m f
	for m in $mods; do
		modprobe -d "$KROOT" -S "$KV" --show-depends "$m" 2>/dev/null | awk '$1 == "insmod" {print $2}' || true
	done | sort -u | while read -r f; do
		local rel=${f#$KROOT/}; mkdir -p "$r/$(dirname "$rel")"; cp "$f" "$r/$rel"
	done
	cp "$KROOT/lib/modules/$KV"/modules.{order,builtin,builtin.modinfo} "$r/lib/modules/$KV/" 2>/dev/null || true
	# Debian's newest kernels compress modules (trixie-backports 7.3: CONFIG_MODULE_COMPRESS_XZ);
	# busybox's modprobe in the guest loads plain .ko only, so they go in uncompressed
	find "$r/lib/modules" \( -name '*.ko.xz' -o -name '*.ko.zst' \) | while read -r f; do
		case $f in *.xz) xz -dc "$f" ;; *) zstd -dcq "$f" ;; esac > "${f%.*}" && rm -f "$f"
	done
	sed -i 's/\.ko\.\(xz\|zst\)\b/.ko/g' "$r/lib/modules/$KV/modules.order" 2>/dev/null || true
	depmod -b "$r" "$KV"
	cp "$LAB_DIR/init" "$r/init"; chmod +x "$r/init"
	cp -a "$LAB_DIR/lib" "$LAB_DIR/stages" "$LAB_DIR/checks" "$r/lab/"
	rm -f "$r/lab/lib/host.sh"
	echo "$stage" > "$r/lab/stage"
	if [ -x "$IOPATH_BIN" ] && "$IOPATH_BIN" probes --help >/dev/null 2>&1; then
		cp "$IOPATH_BIN" "$r/lab/bin/iopath"; echo 1 > "$r/lab/iopath"
	else
		echo 0 > "$r/lab/iopath"
	fi
	[ -x "$REPO/tools/snapshot-fixture.sh" ] && cp "$REPO/tools/snapshot-fixture.sh" "$r/lab/bin/"
	local x src dst
	for x in "$@"; do
		src=${x%%:*}; dst=${x#*:}
		case $src in
		bin=*) add_bin "$r" "${src#bin=}" "$dst" ;;
		*) mkdir -p "$r/$(dirname "$dst")"; cp -a "$src" "$r/$dst" ;;
		esac
	done
	(cd "$r" && find . | cpio -o -H newc --quiet | gzip -1) > "$out.tmp" && mv "$out.tmp" "$out"
	rm -rf "$r"
}

# ---------------------------------------------------------------- running a guest
# run_vm STAGE TIMEOUT LOG qemu-args...: run QEMU with the serial console in LOG, echo the guest's
# "LAB ..." progress lines and "CHECK ..." lines with the lab's elapsed time, kill it after TIMEOUT s.
#
# A boot is judged *broken* (an emulator fault, not a result) and QEMU is stopped at once, leaving
# LOG.hung with the reason (vm_hung LOG tells, vm_hang_reason LOG says why), when:
#  * the console is silent for LAB_SILENT_SECS (default 240; the Xen stage passes its own): every
#    lab guest prints a line at least every phase, and no phase here takes a minute on an idle
#    machine (the longest, kvm's hostl2, ~45 s), so four minutes of nothing is a wedged machine;
#  * with LAB_PHASE_SECS set (the guest and kvm stages: 300 s), one guest phase ("LAB T+..s phase
#    P: ...") runs that long without its "done" line, although the console is not silent (the
#    guest's own diagnostics, guest.sh run_phase, print meanwhile);
#  * a guest kernel reports a CPU stuck for LAB_HANG_SECS (60) s or more (soft lockup; under TCG a
#    loaded host can stall a vCPU for a few tens of seconds and recover, a minute is stuck for good);
#  * the guest did not finish (no LAB-END) and its kernel died of an emulator fault vm_emulator_fault
#    knows: an int3 its memory no longer holds (a stale TCG translation), or a page-fault handler
#    faulting on its own per-CPU read until the stack ran out. Any other guest kernel crash is a result.
# A check that ran and failed is never a broken boot: stage_boots (stages-host.sh) does not retry a
# boot that printed a CHECK ... FAIL line, whatever happened after it.
run_vm() {
	local stage=$1 tmo=$2 logf=$3; shift 3
	: > "$logf"; rm -f "$logf.hung" "$logf.phase" "$logf.cpus" "$logf.mon.in" "$logf.mon.out"
	# QEMU's monitor on two FIFOs (QEMU opens them read-write, so neither side blocks): when the
	# watchdog judges a boot broken it asks QEMU where every vCPU is (vm_cpu_state) before the kill
	mkfifo "$logf.mon.in" "$logf.mon.out"
	timeout -k 10 "$tmo" "$@" -monitor "pipe:$logf.mon" > "$logf" 2>&1 &
	local pid=$!
	LAB_VM_PID=$pid   # lab.sh's exit trap stops it when the lab itself is interrupted
	vm_watchdog "$stage" "$pid" "$logf" "${LAB_SILENT_SECS:-240}" "${LAB_PHASE_SECS:-}" &
	local wd=$!
	tail -n +1 -f --pid=$pid "$logf" 2>/dev/null | grep -a --line-buffered -E '^(LAB|CHECK|FPCHECK) |soft lockup' |
		while IFS= read -r l; do
			l=${l%$'\r'}
			case $l in
			*"soft lockup"*)
				[ -e "$logf.hung" ] && continue
				local secs=${l##*stuck for }; secs=${secs%%s*}
				case $secs in ''|*[!0-9]*) secs=0 ;; esac
				[ "$secs" -ge "${LAB_HANG_SECS:-60}" ] || { echo "[lab $(el)] $stage| guest kernel: ${l#*] }"; continue; }
				echo "soft lockup: ${l#*] }" > "$logf.hung"
				echo "[lab $(el)] $stage| guest kernel: ${l#*] } -- stopping QEMU"
				kill "$pid" 2>/dev/null ;;
			LAB\ T+*s\ phase\ *)
				# the phase in progress, for the watchdog: "START NAME", gone once it is done
				local ph=${l#*s phase }; ph=${ph%%: *}
				case $l in *": done ("*) rm -f "$logf.phase" ;; *) echo "$(date +%s) $ph" > "$logf.phase" ;; esac
				echo "[lab $(el)] $stage| $l" ;;
			*) echo "[lab $(el)] $stage| $l" ;;
			esac
		done
	wait $pid; local rc=$?
	kill "$wd" 2>/dev/null; wait "$wd" 2>/dev/null
	[ $rc = 124 ] && log "$stage: QEMU killed after ${tmo}s timeout"
	if [ ! -s "$logf.hung" ] && ! tr -d '\r' < "$logf" | grep -aq '^LAB-END'; then
		local ef; ef=$(vm_emulator_fault "$logf")
		[ -n "$ef" ] && echo "$ef" > "$logf.hung"
	fi
	[ -s "$logf.hung" ] && log "$stage: boot judged broken: $(cat "$logf.hung")"
	rm -f "$logf.mon.in" "$logf.mon.out"
	return $rc
}

# vm_cpu_state LOG: QEMU's own view of a guest judged broken, through run_vm's monitor FIFOs:
# `info cpus` and every vCPU's registers, kept in LOG.cpus and appended to LOG (so a thrown-away
# boot's console keeps it), and one line "vCPU RIPs: ..." with each RIP resolved against the lab
# kernel's System.map where the guest booted with nokaslr (LAB_SYSMAP). A vCPU found in the
# guest's idle loop or a spin, or one QEMU cannot report at all, is the evidence for whether the
# guest or the emulator stopped.
vm_cpu_state() {
	local logf=$1 map=${LAB_SYSMAP:-} rips fx=$REPO/tests/fixtures/kernels/$KSERIES
	# the lab guests boot with nokaslr, so the kernel's symbols sit where the committed kernel-facts
	# fixture of this exact kernel lists them (tools/extract-kernel-facts.sh, from its vmlinux)
	if [ -z "$map" ] && [ "$(cat "$fx/kv" 2>/dev/null)" = "${KV:-}" ] && [ -f "$fx/kallsyms.gz" ]; then
		map=$logf.sysmap; zcat "$fx/kallsyms.gz" | grep -v '\[' > "$map" 2>/dev/null
	fi
	[ -p "$logf.mon.in" ] || return 0
	printf 'info cpus\ninfo registers -a\n' > "$logf.mon.in" 2>/dev/null &
	sleep 3
	timeout 3 cat "$logf.mon.out" > "$logf.cpus" 2>/dev/null
	[ -s "$logf.cpus" ] || { echo "vCPU RIPs: QEMU's monitor answered nothing in 3 s (QEMU itself stuck)"; return 0; }
	# (the dump ends in the monitor's "(qemu) " prompt, without a newline)
	{ echo "LAB-HOST QEMU monitor at the watchdog:"; tr -d '\r' < "$logf.cpus" | sed 's/^/LAB-HOST| /'; echo; } >> "$logf"
	rips=$(tr -d '\r' < "$logf.cpus" | grep -ao 'RIP=[0-9a-f]*' | cut -d= -f2)
	[ -n "$rips" ] || { echo "vCPU RIPs: none in QEMU's answer"; return 0; }
	printf 'vCPU RIPs:'
	local i=0 r s
	for r in $rips; do
		s=""
		# kernel text is ffffffff........: the low 32 bits are compared (mawk has no strtonum,
		# and a double cannot hold 64)
		case $r in ffffffff*) [ -f "$map" ] && s=$(awk -v a="${r#ffffffff}" '
			function h(x,  i, v) { v = 0; for (i = 1; i <= length(x); i++)
				v = v * 16 + index("0123456789abcdef", substr(tolower(x), i, 1)) - 1; return v }
			BEGIN { v = h(a); best = -1 }
			$2 ~ /^[tTwW]$/ && substr($1, 1, 8) == "ffffffff" { x = h(substr($1, 9)); if (x <= v && x > best) { best = x; n = $3 } }
			END { if (best >= 0 && v - best < 1048576) printf "%s+0x%x", n, v - best }' "$map") ;;
		esac
		printf ' %s: %s%s' $i "$r" "${s:+ ($s)}"; i=$((i + 1))
	done
	echo
	[ "$map" = "$logf.sysmap" ] && rm -f "$map"
}
# vm_watchdog STAGE PID LOG SILENT_SECS [PHASE_SECS]: the progress watchdog of run_vm (see there).
vm_watchdog() {
	local stage=$1 pid=$2 logf=$3 silent=$4 phmax=${5:-} size=-1 n last now why ph
	last=$(date +%s)
	while kill -0 "$pid" 2>/dev/null; do
		sleep 5
		[ -e "$logf.hung" ] && return 0
		now=$(date +%s); n=$(stat -c %s "$logf" 2>/dev/null || echo 0)
		[ "$n" != "$size" ] && { size=$n; last=$now; }
		why=""
		if [ $((now - last)) -ge "$silent" ]; then
			why="console silent for $((now - last))s after: $(tr -d '\r' < "$logf" | grep -a '^LAB ' | tail -1 | cut -c1-160)"
		elif [ -n "$phmax" ] && [ -s "$logf.phase" ]; then
			read -r ph < "$logf.phase"
			[ $((now - ${ph%% *})) -ge "$phmax" ] && why="phase ${ph#* } not done after $((now - ${ph%% *}))s (limit ${phmax}s)"
		fi
		[ -z "$why" ] && continue
		echo "$why" > "$logf.hung"
		echo "[lab $(el)] $stage| watchdog: $why -- asking QEMU where its vCPUs are, then stopping it"
		local st; st=$(vm_cpu_state "$logf")
		echo "LAB-HOST watchdog: $st" >> "$logf"
		echo "[lab $(el)] $stage| watchdog: $(echo "$st" | cut -c1-400)"
		kill "$pid" 2>/dev/null
		return 0
	done
}
# vm_emulator_fault LOG: one line naming an emulator fault in the guest kernel's console, nothing
# when there is none. The one fault known: a guest kernel Oops on an int3 whose "Code:" line (the
# bytes the kernel read back from memory at the fault; an int3 is a trap, so RIP points past it)
# shows no int3 (0xcc) before RIP. Seen on 2026-12-04 (trixie-backports 7.3.4 guest, phase nobtf,
# QEMU 7.2 MTTCG): "Oops: int3" at handle_softirqs+0xd9, a jump-label nop5 the tracepoint being
# attached had just patched through text_poke_bp, memory there back to 0f 1f 44 00 00. On
# hardware no CPU can execute that int3 once it is gone: the patcher's text_poke_sync IPI waits
# for every CPU, and poke_int3_handler holds the patch descriptor while one is in the trap
# (arch/x86/kernel/alternative.c). A vCPU that does is running a translation of the old bytes.
# The second: "stack guard page was hit" with RIP in exc_page_fault at a %gs-relative load (the
# Code line's byte at RIP is 65) whose address is CR2 (RAX holds CR2 there: read_cr2 is the
# handler's first instruction, arch/x86/mm/fault.c, and CR2's low digits are the load's
# displacement): the page-fault handler faulted reading its own CPU's per-CPU data (`current`)
# again and again until the stack ran out. The kernel maps its per-CPU areas at boot and never
# unmaps them, and nothing iopath loads can change page tables or GS, so that CPU could not
# translate memory that is always there. Seen on 2026-12-04 (kvm stage, Debian 6.1 L1, phase
# l2suite, in the L2's qemu-system-x86 vCPU thread: KVM on QEMU 7.2's emulated SVM); the Xen
# stage's early runs saw a recursive #PF too (a guard-page hit, ../shared/lab/NOTES.md).
vm_emulator_fault() {
	tr -d '\r' < "$1" | awk '
		/int3: [0-9a-f][0-9a-f][0-9a-f][0-9a-f] \[#[0-9]+\]/ { oops = 1; rip = ""; next }
		oops && /RIP: [0-9a-f]+:/ && rip == "" { rip = $0; sub(/.*RIP: [0-9a-f]+:/, "", rip); next }
		oops && /Code: / {
			oops = 0
			if (match($0, /[0-9a-f][0-9a-f] <[0-9a-f][0-9a-f]>/)) {
				b = substr($0, RSTART, 2)
				if (b != "cc") { printf "guest kernel int3 Oops at %s with no int3 in memory (byte before RIP: %s, not cc): a stale TCG translation\n", rip, b; exit }
			}
		}
		/stack guard page was hit/ { guard = 1; grip = ""; disp = ""; next }
		guard && /RIP: [0-9a-f]+:/ && grip == "" { grip = $0; sub(/.*RIP: [0-9a-f]+:/, "", grip); next }
		# mov %gs:DISP32,%reg (65 48 8b MODRM 25 d0 d1 d2 d3): the displacement, little-endian
		guard && /Code: / && grip ~ /^exc_page_fault\+/ {
			if (match($0, /<65> 48 8b [0-9a-f][0-9a-f] 25 [0-9a-f][0-9a-f] [0-9a-f][0-9a-f] [0-9a-f][0-9a-f] [0-9a-f][0-9a-f]/)) {
				split(substr($0, RSTART, RLENGTH), c, " ")
				disp = c[9] c[8] c[7] c[6]; sub(/^0+/, "", disp)
			}
			next
		}
		guard && disp != "" && /RAX: [0-9a-f]+/ {
			guard = 0; cr2 = $0; sub(/.*RAX: /, "", cr2); sub(/ .*/, "", cr2)
			if (substr(cr2, length(cr2) - length(disp) + 1) == disp) {
				printf "guest kernel page-fault handler faulted on its own per-CPU read (%%gs:0x%s, CR2 %s) until its stack ran out, at %s: memory the kernel never unmaps could not be translated\n", disp, cr2, grip; exit
			}
		}'
}
vm_hung() { [ -s "$1.hung" ]; }
vm_hang_reason() { cat "$1.hung" 2>/dev/null; }

# outbox: a raw virtio disk (serial "outbox") the guest writes a tar stream onto; untarred here.
new_outbox() { rm -f "$1"; truncate -s "${2:-64M}" "$1"; }
read_outbox() { # IMG DIR
	rm -rf "$2"; mkdir -p "$2"
	tar -xf "$1" -C "$2" 2>/dev/null || { log "outbox: no tar on $1"; return 1; }
}

# verdict STAGE LOG [PREFIX/]CHECKDIR...: every check script in each CHECKDIR must have printed a
# "CHECK [PREFIX/]<dir>/<name> PASS|SKIP" line; any FAIL or missing line fails the stage.
verdict() {
	local stage=$1 logf=$2; shift 2
	local fails=() skips=0 passes=0 d f n line st
	tr -d '\r' < "$logf" | grep -ac '^LAB-END' > /dev/null || fails+=("guest-did-not-finish${LAB_BROKEN:+ (boot broken: $LAB_BROKEN)}")
	for d in "$@"; do
		for f in "$LAB_DIR/checks/${d##*/}"/[0-9]*.sh; do   # d = [PREFIX/]CHECKDIR
			[ -e "$f" ] || continue
			n=$(basename "$f" .sh)
			line=$(tr -d '\r' < "$logf" | grep -a "^CHECK $d/$n " | tail -1)
			st=$(echo "$line" | awk '{print $3}')
			case $st in
			PASS) passes=$((passes + 1)) ;;
			SKIP) skips=$((skips + 1)) ;;
			FAIL) fails+=("$d/$n") ;;
			*) fails+=("$d/$n(missing)") ;;
			esac
		done
	done
	if [ ${#fails[@]} = 0 ] && [ $passes -gt 0 ]; then
		log "PASS $stage ($passes checks passed, $skips skipped)"; return 0
	fi
	[ $passes = 0 ] && [ ${#fails[@]} = 0 ] && fails+=("no-checks-ran")
	log "FAIL $stage: ${fails[*]} ($passes passed, $skips skipped; log: $logf)"
	return 1
}
