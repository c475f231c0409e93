#!/bin/bash
# gen-vmlinux-h.sh — regenerate include/vmlinux.h from a real Debian kernel's BTF.
#
# Why: the BPF programs are CO-RE and need one vmlinux.h with every type they
# touch, including the Xen core types (evtchn, grant table, xen_domain_type).
# The build machine's own kernel may lack CONFIG_XEN, so the header is dumped
# from the Debian 6.1 amd64 kernel instead (CONFIG_XEN_PV/PVHVM/PVH=y), fetched
# by tools/debian-kernel.sh. The .BTF is read from the ELF that debian-kernel.sh
# decompresses out of /boot/vmlinuz-<kv>; nothing is typed by hand.
#
# Usage: tools/gen-vmlinux-h.sh [tag] [output]     (defaults: 6.1 include/vmlinux.h)
# Needs: bpftool, clang, libbpf-dev (for the compile check).
set -eu

die() { echo "gen-vmlinux-h: $*" >&2; exit 1; }
say() { echo "gen-vmlinux-h: $*" >&2; }

repo=$(cd "$(dirname "$0")/.." && pwd)
tag=${1:-6.1}
out=${2:-$repo/include/vmlinux.h}
cache=${IOPATH_CACHE:-$repo/.cache}

for c in bpftool clang; do
	command -v "$c" >/dev/null 2>&1 || die "'$c' missing (tools/install-deps.sh build)"
done
[ -r /usr/include/bpf/bpf_helpers.h ] || die "libbpf-dev headers missing (tools/install-deps.sh build)"

"$repo/tools/debian-kernel.sh" "$tag" >/dev/null
kdir=$cache/kernels/$tag
kv=$(cat "$kdir/kv")
read -r pkg ver sha _ < "$kdir/packages" # first line: the image package

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

say "dumping BTF of $pkg $ver"
{
	cat <<EOF
/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GENERATED FILE, DO NOT EDIT: regenerate with tools/gen-vmlinux-h.sh
 *
 * Type definitions of the Debian $tag amd64 kernel, dumped with
 * "bpftool btf dump file <vmlinux> format c" ($(bpftool version 2>/dev/null | head -1))
 * from the .BTF section of /boot/vmlinuz-$kv, decompressed by
 * tools/debian-kernel.sh --extract-vmlinux.
 *   package: $pkg $ver (amd64)
 *   sha256 of the .deb: $sha
 * This build has CONFIG_XEN_PV/PVHVM/PVH=y, so the Xen core types are here.
 * Module-private types (netfront_queue, nvme_queue, ...) are only in module BTF.
 */
EOF
	bpftool btf dump file "$kdir/vmlinux" format c
} > "$tmp/vmlinux.h"

# The header must compile for BPF together with libbpf's headers and have the
# types iopath uses.
cat > "$tmp/check.bpf.c" <<'EOF'
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";
__u64 sink;

SEC("kprobe/blk_mq_start_request")
int BPF_KPROBE(check, struct request *rq)
{
	struct sk_buff *skb = 0;
	struct blk_mq_hw_ctx *hctx = BPF_CORE_READ(rq, mq_hctx);
	struct virtqueue *vq = 0;
	struct evtchn_loop_ctrl *ctrl = 0;
	enum xen_domain_type t = XEN_HVM_DOMAIN;

	sink = (__u64)skb + (__u64)hctx + (__u64)vq + (__u64)ctrl + t +
	       bpf_core_type_exists(struct pt_regs) + PT_REGS_IP(ctx);
	return 0;
}
EOF
say "compile check (clang -target bpf)"
clang -g -O2 -target bpf -D__TARGET_ARCH_x86 -I"$tmp" -Wall -Werror \
	-c "$tmp/check.bpf.c" -o "$tmp/check.bpf.o" ||
	die "generated header does not compile for BPF"
for t in 'struct sk_buff {' 'struct request {' 'struct blk_mq_hw_ctx {' \
	'struct virtqueue {' 'struct pt_regs {' 'struct evtchn_loop_ctrl {' \
	'enum xen_domain_type {' 'struct bio {' 'struct net_device {'; do
	grep -qF "$t" "$tmp/vmlinux.h" || die "generated header lacks '$t'"
done

mkdir -p "$(dirname "$out")"
mv "$tmp/vmlinux.h" "$out"
say "wrote $out ($(wc -l < "$out") lines, $(stat -c %s "$out") bytes)"
