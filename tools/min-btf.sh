#!/bin/sh
# min-btf.sh KERNEL_BTF OUT [MODULE...]
#
# Makes a minimal BTF for one kernel out of that kernel's full BTF: only the types and members
# iopath's own BPF objects (build/bpf/iopath.bpf.o, build/bpf/calib.bpf.o) relocate against,
# with `bpftool gen min_core_btf` (bpftool 7.0+; Debian 12's 7.1.0 has it). For a kernel built
# without CONFIG_DEBUG_INFO_BTF (no /sys/kernel/btf/vmlinux): `iopath record --btf OUT ...`.
#
# KERNEL_BTF: the kernel's full vmlinux BTF: raw BTF (BTFHub's KERNEL.btf, or a copy of
# /sys/kernel/btf/vmlinux taken where it exists), a BTFHub KERNEL.btf.tar.xz (unpacked here), or
# a vmlinux ELF with a .BTF section.
# MODULE: a module of that kernel (.ko, .ko.xz or .ko.zst) whose types go into OUT too, merged
# with vmlinux's by tools/btf-merge.c first: CO-RE against a given BTF reads no module BTF, so
# the module structs iopath reads (bpf/paths/host.h: kvm_intel's vcpu_vmx, vhost's
# vhost_virtqueue, ...) must be in the same file. A module built without BTF (Debian 11's) is
# left out and named on stderr.
#
# Sizes, measured on this project's development machine (Linux 6.18.44, x86_64):
#   /sys/kernel/btf/vmlinux   5 515 852 bytes, 126 622 types (xz -9: 1 261 240; gzip -9: 1 745 379)
#   min BTF from it               2 815 bytes,      74 types (xz -9:     1 248; gzip -9:     1 372)
#
# What a minimal BTF leaves out, so what iopath cannot do with it (it can with a full file):
#   * FUNC types: no function is known to have BTF, so function points go by kprobe, never
#     fentry, and --deep (functions taking an sk_buff, found in BTF) finds none;
#   * btf_trace_* typedefs: tracepoints go raw_tp, not tp_btf, their existence is not known in
#     advance (an absent one fails to attach and says so), and the block tracepoints' argument
#     layout (q, rq before 5.11 and 5.10.137) is measured by calibration (engine/calib.c);
#   * the BTF of modules not given: their private structs read as absent.
# It is tied to the BPF objects it was made from: make it again after they change (a type a
# newer object reads and the file lacks fails the load, and iopath says to remake it).
#
# Exit 0 with OUT written (replaced atomically); 1 with one line on stderr.
set -eu

die() { echo "min-btf: $*" >&2; exit 1; }
[ $# -ge 2 ] || { echo "usage: $0 KERNEL_BTF OUT [MODULE...]" >&2; exit 2; }
in=$1 out=$2; shift 2
repo=$(cd "$(dirname "$0")/.." && pwd)
BPFTOOL=${BPFTOOL:-bpftool}

command -v "$BPFTOOL" > /dev/null 2>&1 || die "'$BPFTOOL' missing (tools/install-deps.sh build)"
"$BPFTOOL" gen help 2>&1 | grep -q min_core_btf ||
	die "$BPFTOOL has no 'gen min_core_btf' (bpftool 7.0 or later has it)"
if [ ! -f "$in" ] || [ ! -r "$in" ]; then die "$in: not a readable file"; fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

case $in in
*.tar.xz)
	tar -xJf "$in" -C "$tmp" || die "$in: cannot unpack"
	set -- "$tmp"/*.btf
	if [ $# != 1 ] || [ ! -f "$1" ]; then die "$in: holds no single .btf file"; fi
	src=$1 ;;
*) src=$in ;;
esac
case $src in /*) ;; *) src=$PWD/$src ;; esac   # bpftool runs in the repository

# the modules, decompressed, those with a .BTF section merged with vmlinux's into one file
mods="" nomods=""
for m in "$@"; do
	b=$tmp/$(basename "$m"); b=${b%.xz}; b=${b%.zst}
	case $m in
	*.xz) xz -dc "$m" > "$b" || die "$m: cannot decompress" ;;
	*.zst) zstd -qdc "$m" > "$b" || die "$m: cannot decompress" ;;
	*) cp "$m" "$b" || die "$m: cannot read" ;;
	esac
	if readelf -S "$b" 2> /dev/null | grep -q ' \.BTF '; then mods="$mods $b"; else nomods="$nomods $(basename "$m")"; fi
done
[ -z "$nomods" ] || echo "min-btf: without BTF, left out:$nomods" >&2
if [ -n "$mods" ]; then
	make -s -C "$repo" build/tools/btf-merge > /dev/null || die "cannot build build/tools/btf-merge"
	# shellcheck disable=SC2086 # one word per module file
	"$repo/build/tools/btf-merge" "$src" "$tmp/merged.btf" $mods > "$tmp/merge.log" 2>&1 ||
		die "$(tail -1 "$tmp/merge.log")"
	src=$tmp/merged.btf
fi

types() { "$BPFTOOL" btf dump file "$1" 2> /dev/null | grep -c '^\['; }
n_in=$(types "$src") || die "$in: not BTF (bpftool btf dump cannot read it)"

# the objects as this tree builds them (make rebuilds them when their sources changed)
set -- build/bpf/iopath.bpf.o build/bpf/calib.bpf.o
make -s -C "$repo" "$@" > /dev/null || die "cannot build $*"

(cd "$repo" && "$BPFTOOL" gen min_core_btf "$src" "$tmp/min.btf" "$@") > "$tmp/log" 2>&1 ||
	die "bpftool gen min_core_btf failed: $(tail -1 "$tmp/log")"
n_out=$(types "$tmp/min.btf") || die "the minimal BTF does not read back"
if ! cp "$tmp/min.btf" "$out.tmp.$$" 2> /dev/null || ! mv "$out.tmp.$$" "$out"; then
	rm -f "$out.tmp.$$"
	die "cannot write $out"
fi
echo "min-btf: $out: $(wc -c < "$out") bytes, $n_out types (from $in$([ -z "$mods" ] || echo " and $(echo $mods | wc -w) module(s)"): $(wc -c < "$src") bytes, $n_in types)"
