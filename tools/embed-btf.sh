#!/bin/bash
# embed-btf.sh TAG...   (TAG: a kernel line of tools/pins.sh: 5.10 6.1 6.12 trixie-bpo)
# embed-btf.sh --to DIR TAG   the same file made into DIR (DIR/RELEASE.btf), the archive untouched:
#                             what the lab compares the archive's entry with
#
# Remakes the built-in BTF archive's entry of each kernel line (bpf/btf/README.md): that
# kernel's vmlinux BTF and the BTF of the modules whose structs iopath reads, cut down to what
# iopath's BPF objects relocate against (tools/min-btf.sh), as bpf/btf/RELEASE.btf, with its
# line in bpf/btf/index: RELEASE, the file, and the build it is of (the end of the kernel's
# banner, "Debian 6.1.192-2 (2026-11-16)", which its /proc/sys/kernel/version ends with).
# The kernel comes from tools/debian-kernel.sh (the lab's cache; fetched if absent).
#
# Run it after a change to the BPF objects' CO-RE reads and commit the result: the lab's guest
# stage (phase nobtf, check guest/66) fails while an entry differs from what this makes.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dir=$repo/bpf/btf
# the modules whose structs iopath's CO-RE reads (their ___iop flavours): the queue of a driver
# point (bpf/lib/points.h read_queue: virtio_net's send_queue/receive_queue, nvme's nvme_queue,
# xen-netfront's netfront_queue) and the KVM host's (bpf/paths/host.h: kvm_intel's vcpu_vmx,
# kvm_amd's vcpu_svm, kvm's irqfd and ioeventfd, vhost's virtqueue); engine/attach.c
# no_module_btf says what goes unmeasured when one is missing
MODULES="virtio_net nvme xen-netfront kvm kvm-intel kvm-amd vhost"
to=""
if [ "${1:-}" = --to ]; then to=${2:?--to DIR}; shift 2; fi
[ $# -ge 1 ] || { echo "usage: $0 [--to DIR] TAG..." >&2; exit 2; }

for tag in "$@"; do
	root=$("$repo/tools/debian-kernel.sh" "$tag" | tail -1)
	kdir=$(dirname "$root"); kv=$(cat "$kdir/kv")
	build=$(strings "$kdir/vmlinux" | grep '^Linux version ' | head -1 | sed -n 's/.*\(Debian [^ ]* ([0-9-]*)\)$/\1/p')
	[ -n "$build" ] || { echo "embed-btf: $tag: no 'Debian VERSION (DATE)' at the end of $kdir/vmlinux's banner" >&2; exit 1; }
	mods=()
	for m in $MODULES; do
		f=$(find "$root/lib/modules/$kv" -name "$m.ko*" | head -1)
		[ -n "$f" ] && mods+=("$f") || echo "embed-btf: $tag: no module $m" >&2
	done
	if [ -n "$to" ]; then
		"$repo/tools/min-btf.sh" "$kdir/vmlinux" "$to/$kv.btf" "${mods[@]}"
		continue
	fi
	"$repo/tools/min-btf.sh" "$kdir/vmlinux" "$dir/$kv.btf" "${mods[@]}"
	touch "$dir/index"
	{ grep -v "^$kv	" "$dir/index" || true; printf '%s\t%s\t%s\n' "$kv" "$kv.btf" "$build"; } | sort > "$dir/index.tmp"
	mv "$dir/index.tmp" "$dir/index"
done
