// SPDX-License-Identifier: GPL-2.0
/* The floor for the cost of a probe hit (tools/bench/bench.sh, "per hit"):
 * an empty program on every tracepoint iopath has a handler for, in both
 * flavours iopath can attach (tp_btf and raw_tp). With
 * kernel.bpf_stats_enabled=1 the kernel charges each program its own run
 * time, so what an empty program is charged on the same tracepoint in the
 * same run is what a hit costs before iopath's logic does anything: the
 * program call and the accounting itself. The loader (floor.c) loads only
 * the tracepoints it is given. The list is include/iopath.h's, so the floor
 * covers every tracepoint iopath can use and no other.
 *
 * A third flavour, fk_ (tp_btf reading bpf_ktime_get_ns() once), is the floor
 * of any hook that timestamps: iopath's stage timing needs one clock read per
 * hit, and on a guest whose clock read is slow (kvm-clock/PVM here: ~45-90 ns,
 * against ~30 ns for the empty program) that read alone rules out 1.5x of the
 * empty floor. The harness reports iopath against both. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "iopath.h"

char LICENSE[] SEC("license") = "GPL";

#define FLOOR_PROGS(sys, name)                               \
	SEC("tp_btf/" #name)                                 \
	int fb_##name(u64 *ctx) { return 0; }                \
	SEC("raw_tp/" #name)                                 \
	int fr_##name(struct bpf_raw_tracepoint_args *ctx) { return 0; } \
	SEC("tp_btf/" #name)                                 \
	int fk_##name(u64 *ctx) { return bpf_ktime_get_ns() == 0; }
IOP_TRACEPOINTS(FLOOR_PROGS)
