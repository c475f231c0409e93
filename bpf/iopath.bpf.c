// SPDX-License-Identifier: GPL-2.0
/* iopath's in-kernel side. One object: generic handlers for driver function
 * points (kprobe/kretprobe with the point id in the bpf_cookie, fentry/fexit
 * templates cloned per target and keyed by function address) and one
 * tp_btf + raw_tp handler pair per tracepoint. Userspace decides what loads
 * (bpf_program__set_autoload) and what each point means (point_cfg). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "iopath.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, IOP_MAX_POINTS);
	__type(key, u32);
	__type(value, struct iop_point_cfg);
} point_cfg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, IOP_MAX_POINTS);
	__type(key, u32);
	__type(value, struct iop_point_stat);
} point_stat SEC(".maps");

/* fentry/fexit clones share one program body; bpf_get_func_ip() tells which
 * function fired, this map tells which point that is. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, IOP_MAX_POINTS);
	__type(key, u64);
	__type(value, u32);
} ip_point SEC(".maps");

/* Tracepoint handler -> point id (0 = not part of this run). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, TP__COUNT);
	__type(key, u32);
	__type(value, u32);
} tp_point SEC(".maps");

static __always_inline void point_hit(u32 id)
{
	struct iop_point_stat *st = bpf_map_lookup_elem(&point_stat, &id);

	if (!st)
		return;
	st->hits++;
	st->last_ns = bpf_ktime_get_ns();
}

SEC("kprobe")
int iop_kprobe(struct pt_regs *ctx)
{
	point_hit((u32)bpf_get_attach_cookie(ctx));
	return 0;
}

SEC("kretprobe")
int iop_kretprobe(struct pt_regs *ctx)
{
	point_hit((u32)bpf_get_attach_cookie(ctx));
	return 0;
}

static __always_inline void func_hit(void *ctx)
{
	u64 ip = bpf_get_func_ip(ctx);
	u32 *id = bpf_map_lookup_elem(&ip_point, &ip);

	if (id)
		point_hit(*id);
}

/* Templates: loaded against bpf_fentry_test1 (always in vmlinux, it exists
 * for BPF_PROG_TEST_RUN), then cloned per real target by the engine. */
SEC("fentry/bpf_fentry_test1")
int iop_fentry(u64 *ctx)
{
	func_hit(ctx);
	return 0;
}

SEC("fexit/bpf_fentry_test1")
int iop_fexit(u64 *ctx)
{
	func_hit(ctx);
	return 0;
}

static __always_inline int tp_hit(u32 tp)
{
	u32 *id = bpf_map_lookup_elem(&tp_point, &tp);

	if (id && *id)
		point_hit(*id);
	return 0;
}

#define IOP_TP_PROGS(sys, name)                                   \
	SEC("tp_btf/" #name)                                      \
	int tpb_##name(u64 *ctx) { return tp_hit(TP_##name); }    \
	SEC("raw_tp/" #name)                                      \
	int rtp_##name(void *ctx) { return tp_hit(TP_##name); }
IOP_TRACEPOINTS(IOP_TP_PROGS)
