// SPDX-License-Identifier: GPL-2.0
/* iopath's in-kernel side. One object: generic handlers for driver function
 * points (kprobe/kretprobe with the point id in the bpf_cookie, fentry/fexit
 * templates cloned per target and keyed by function address) and one
 * tp_btf + raw_tp handler pair per tracepoint. Userspace decides what loads
 * (bpf_program__set_autoload) and what each point means (point_cfg). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "iopath.h"
/* Helpers (bpf/lib) first, each path's own state and logic (bpf/paths),
 * then the one rule that charges exits across the paths. */
#include "lib/points.h"
#include "paths/net.h"
#include "paths/blk.h"
#include "paths/exits.h"
#include "paths/host.h"
#include "paths/charge.h"

char LICENSE[] SEC("license") = "GPL";

/* kprobe argument n (0-based) of the probed function. Every register is
 * loaded at its constant offset and made opaque first: otherwise clang may
 * fold the switch into one load at a variable offset from ctx, which the
 * verifier refuses ("dereference of modified ctx ptr"). */
static __always_inline u64 kprobe_arg(struct pt_regs *ctx, int n)
{
	u64 a0 = PT_REGS_PARM1(ctx), a1 = PT_REGS_PARM2(ctx), a2 = PT_REGS_PARM3(ctx),
	    a3 = PT_REGS_PARM4(ctx), a4 = PT_REGS_PARM5(ctx);

	barrier_var(a0);
	barrier_var(a1);
	barrier_var(a2);
	barrier_var(a3);
	barrier_var(a4);
	switch (n) {
	case 0: return a0;
	case 1: return a1;
	case 2: return a2;
	case 3: return a3;
	case 4: return a4;
	}
	return 0;
}

/* A driver function point's hit, for every path. host_arg: irqfd_wakeup's
 * key argument for an irqfd point (see host_func), else 0. */
static __always_inline void func_paths(u32 id, const struct iop_point_cfg *c, bool ret, u64 idv,
				       u64 host_arg)
{
	net_func(id, c, ret, idv);
	blk_func(id, c, ret, idv);
	/* after the path step: a doorbell inside a driver's xmit (cfg->exk) comes after it */
	charge_exit(id, c, ret);
	host_func(c, ret, idv, host_arg);
}

/* A kprobe on a function entry: the point id is the cookie (5.15+; the 5.10 rung patches a clone
 * instead, kprobe_k). */
static __always_inline int kprobe_entry(struct pt_regs *ctx)
{
	u32 id = (u32)bpf_get_attach_cookie(ctx);
	const struct iop_point_cfg *c = cfg_of(id);

	point_hit(id);
	if (stacks_on)
		stack_hit(ctx, id);
	if (c && c->qx)
		queue_hit(id, read_queue(c->qx, kprobe_arg(ctx, c->q_arg)));
	if (c) {
		u64 idv = c->id_arg >= 0 ? kprobe_arg(ctx, c->id_arg) : 0;

		func_paths(id, c, false, idv, c->role == ROLE_HOST_IRQFD ? kprobe_arg(ctx, 3) : 0);
	}
	return 0;
}

SEC("kprobe")
int iop_kprobe(struct pt_regs *ctx)
{
	return kprobe_entry(ctx);
}

/* The same for the points that attach together (--deep: user/engine/kmulti.h), one link for
 * all, the cookie per function (kprobe.multi: 5.18, commit 0dcac2725406 "bpf: Add multi kprobe
 * link"; its cookies: ca74823c6e16 "bpf: Add cookie support to programs attached with kprobe
 * multi link"). */
SEC("kprobe.multi")
int iop_kprobe_multi(struct pt_regs *ctx)
{
	return kprobe_entry(ctx);
}

SEC("kretprobe")
int iop_kretprobe(struct pt_regs *ctx)
{
	u32 id = (u32)bpf_get_attach_cookie(ctx);

	point_hit(id);
	func_paths(id, cfg_of(id), true, 0, 0);
	return 0;
}

static __always_inline void func_hit(void *ctx, bool ret)
{
	/* fentry and fexit of one function share its address: fexit hits are
	 * keyed one byte further (function starts are aligned, so no clash) */
	u64 ip = bpf_get_func_ip(ctx) + (ret ? 1 : 0), arg = 0, idv = 0;
	u32 *idp = bpf_map_lookup_elem(&ip_point, &ip), id;
	const struct iop_point_cfg *c;

	if (!idp)
		return;
	id = *idp;
	point_hit(id);
	if (stacks_on && !ret)
		stack_hit(ctx, id);
	c = cfg_of(id);
	if (!c)
		return;
	if (c->qx) {
		if (bpf_get_func_arg(ctx, c->q_arg, &arg))
			__sync_fetch_and_add(&dropped[DROP_ARG_READ], 1);
		else
			queue_hit(id, read_queue(c->qx, arg));
	}
	if (!ret && c->id_arg >= 0 && bpf_get_func_arg(ctx, c->id_arg, &idv))
		idv = 0;
	if (c->role == ROLE_HOST_IRQFD && !ret && bpf_get_func_arg(ctx, 3, &arg))
		arg = 0;
	func_paths(id, c, ret, idv, c->role == ROLE_HOST_IRQFD ? arg : 0);
}

/* Templates: loaded against bpf_fentry_test1 (always in vmlinux, it exists
 * for BPF_PROG_TEST_RUN), then cloned per real target by the engine. */
SEC("fentry/bpf_fentry_test1")
int iop_fentry(u64 *ctx)
{
	func_hit(ctx, false);
	return 0;
}

SEC("fexit/bpf_fentry_test1")
int iop_fexit(u64 *ctx)
{
	func_hit(ctx, true);
	return 0;
}

/* --- the 5.10 class: cookie-less clones ---
 * bpf_get_attach_cookie came in v5.15 (commit 7adfc6c9b315 "bpf: Add bpf_get_attach_cookie() BPF
 * helper to access bpf_cookie value"), bpf_get_func_ip for fentry in v5.15 (commit 9b99edcae5c8
 * "bpf: Add bpf_get_func_ip helper for tracing programs"), bpf_get_func_arg in v5.17 (commit
 * f92c1e183604 "bpf: Add get_func_[arg|ret|arg_cnt] helpers"). Where they are missing, every
 * point gets its own copy of one of these templates with its id and argument indexes written
 * over the IOP_PATCH_* markers (user/engine/patch.c). */

/* A marker the engine overwrites: one BPF_LD_IMM64 the compiler cannot see through. */
#define IOP_PATCHED(magic) ({ u64 __v; asm volatile("%0 = " #magic " ll" : "=r"(__v)); __v; })
_Static_assert(0x10ba5eed00000001ULL == IOP_PATCH_ID && 0x10ba5eed00000002ULL == IOP_PATCH_ID_ARG &&
	       0x10ba5eed00000003ULL == IOP_PATCH_Q_ARG && 0x10ba5eed00000004ULL == IOP_PATCH_HOST_ARG,
	       "the markers below are include/iopath.h's IOP_PATCH_*");

/* Argument n of a traced function; n is a patched constant, so the verifier walks only its
 * branch and checks that one offset against the function's prototype (ctx[3] of a
 * two-argument function is refused). One fixed-offset load per branch, in asm: clang would
 * fold the choice into ctx + n * 8, a modified ctx pointer, which the verifier refuses. At the
 * template's own load n is the marker: no branch is taken, nothing is read. */
static __always_inline u64 tr_arg(u64 *ctx, u64 n)
{
	u64 v = 0;

	if (n == 0)
		asm volatile("%0 = *(u64 *)(%1 + 0)" : "=r"(v) : "r"(ctx));
	else if (n == 1)
		asm volatile("%0 = *(u64 *)(%1 + 8)" : "=r"(v) : "r"(ctx));
	else if (n == 2)
		asm volatile("%0 = *(u64 *)(%1 + 16)" : "=r"(v) : "r"(ctx));
	else if (n == 3)
		asm volatile("%0 = *(u64 *)(%1 + 24)" : "=r"(v) : "r"(ctx));
	else if (n == 4)
		asm volatile("%0 = *(u64 *)(%1 + 32)" : "=r"(v) : "r"(ctx));
	else if (n == 5)
		asm volatile("%0 = *(u64 *)(%1 + 40)" : "=r"(v) : "r"(ctx));
	return v;
}

/* Before v5.11 the kernel did not stop a tracing program from running again inside itself on
 * one CPU (commit ca06f55b9002 "bpf: Add per-program recursion prevention mechanism"). The
 * same rule here, per clone (one clone per point, so per point and CPU): a clone that fires
 * inside its own run is skipped and counted, reported with the kernel's recursion misses.
 * Other clones may nest, as they may on newer kernels. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, IOP_MAX_POINTS);
	__type(key, u32);
	__type(value, u32);
} k_nest SEC(".maps");
__u64 k_nest_skips = 0;

static __always_inline u32 *k_enter(u32 id)
{
	u32 *d = bpf_map_lookup_elem(&k_nest, &id);

	if (!d)
		return NULL;
	if (*d) {
		__sync_fetch_and_add(&k_nest_skips, 1);
		return NULL;
	}
	*d = 1;
	return d;
}

/* args: the identity, queue and irqfd key arguments (0 where none); q_ok: the queue argument
 * is readable (not at a kretprobe: the argument registers are gone by then) */
static __always_inline void func_hit_k(void *ctx, u32 id, bool ret, bool q_ok, const u64 *args)
{
	const struct iop_point_cfg *c = cfg_of(id);
	u64 idv = 0, host = 0;

	point_hit(id);
	if (stacks_on && !ret)
		stack_hit(ctx, id);
	if (!c)
		return;
	if (!ret) {
		idv = args[0];
		host = args[2];
	}
	if (c->qx && q_ok)
		queue_hit(id, read_queue(c->qx, args[1]));
	func_paths(id, c, ret, idv, c->role == ROLE_HOST_IRQFD ? host : 0);
}

/* kprobe/kretprobe clones: registers are readable at any index (kprobe_arg) */
static __always_inline int kprobe_k(struct pt_regs *ctx, bool ret)
{
	u32 id = (u32)IOP_PATCHED(0x10ba5eed00000001);
	u64 ia = IOP_PATCHED(0x10ba5eed00000002), qa = IOP_PATCHED(0x10ba5eed00000003),
	    ha = IOP_PATCHED(0x10ba5eed00000004);
	u64 args[3] = {
		ia < 6 ? kprobe_arg(ctx, ia) : 0,
		qa < 6 ? kprobe_arg(ctx, qa) : 0,
		ha < 6 ? kprobe_arg(ctx, ha) : 0,
	};

	func_hit_k(ctx, id, ret, !ret, args);
	return 0;
}

SEC("kprobe")
int iop_kprobe_k(struct pt_regs *ctx)
{
	return kprobe_k(ctx, false);
}

SEC("kretprobe")
int iop_kretprobe_k(struct pt_regs *ctx)
{
	return kprobe_k(ctx, true);
}

static __always_inline int tracing_k(u64 *ctx, bool ret)
{
	u32 id = (u32)IOP_PATCHED(0x10ba5eed00000001);
	u64 ia = IOP_PATCHED(0x10ba5eed00000002), qa = IOP_PATCHED(0x10ba5eed00000003),
	    ha = IOP_PATCHED(0x10ba5eed00000004);
	u64 args[3] = { tr_arg(ctx, ia), tr_arg(ctx, qa), tr_arg(ctx, ha) };
	u32 *nest = k_enter(id);

	if (!nest)
		return 0;
	func_hit_k(ctx, id, ret, true, args);
	*nest = 0;
	return 0;
}

SEC("fentry/bpf_fentry_test1")
int iop_fentry_k(u64 *ctx)
{
	return tracing_k(ctx, false);
}

SEC("fexit/bpf_fentry_test1")
int iop_fexit_k(u64 *ctx)
{
	return tracing_k(ctx, true);
}

/* Tests only (tests/check_blk_bpf.c): a driver function hit without a
 * kprobe or fentry, which this kernel's test machine cannot attach, driven by
 * BPF_PROG_TEST_RUN with args = { point id, 1 on return, identity argument,
 * bd->rq for a ->queue_rq point }.
 * Loaded only when engine_opts.test_hooks asks for it. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct blk_mq_queue_data);
} test_bd SEC(".maps");

SEC("raw_tp")
int iop_test_func(struct bpf_raw_tracepoint_args *ctx)
{
	u32 id = ctx->args[0], z = 0;
	bool ret = ctx->args[1];
	const struct iop_point_cfg *c = cfg_of(id);
	u64 idv = ret ? 0 : ctx->args[2];

	/* args[3]: irqfd_wakeup's key argument for an irqfd point; else a
	 * request to pass as bd->rq of a ->queue_rq point (the
	 * blk_mq_queue_data must be kernel memory: this map's value) */
	if (c && c->role == ROLE_HOST_IRQFD) {
		point_hit(id);
		host_func(c, ret, idv, ctx->args[3]);
		return 0;
	}
	if (!ret && ctx->args[3]) {
		struct blk_mq_queue_data *bd = bpf_map_lookup_elem(&test_bd, &z);

		if (!bd)
			return 0;
		bd->rq = (struct request *)ctx->args[3];
		idv = (u64)bd;
	}
	point_hit(id);
	func_paths(id, c, ret, idv, 0);
	return 0;
}

/* Tracepoint argument n: tp_btf and raw_tp contexts are both arrays of u64
 * arguments. The verifier wants a constant offset, and tp_btf refuses reads
 * past the tracepoint's own arguments (net_dev_queue has one), so only the
 * first argument is offered; tests/check_core.c holds the table to that. */
static __always_inline u64 tp_arg(u64 *ctx, int n)
{
	return n == 0 ? ctx[0] : 0;
}

/* Counts the hit; returns the point id (0: tracepoint not in this run).
 * The lookup takes a copy of tp: given &tp itself, clang keeps tp in that stack slot and, the
 * helper call clobbering memory, reloads it for every later switch on it, so each program holds
 * every tracepoint's case. A verifier that tracks a 4-byte spill of a constant (v5.16, commit
 * 354e8f1970f8 "bpf: Support <8-byte scalar spill and refill") prunes them; 5.10's does not, walks
 * ctx reads of other tracepoints' arguments (block_rq_complete's ctx[2]) and raw_tp attach fails
 * with EINVAL (the program reads past the tracepoint's arguments: __bpf_probe_register). */
static __always_inline u32 tp_hit(const u32 tp, u64 *ctx)
{
	u32 key = tp, *idp = bpf_map_lookup_elem(&tp_point, &key), id;
	const struct iop_point_cfg *c;

	if (!idp || !*idp)
		return 0;
	id = *idp;
	point_hit(id);
	c = cfg_of(id);
	if (c && c->qx)
		queue_hit(id, read_queue(c->qx, (tp == TP_block_rq_insert || tp == TP_block_rq_issue) ?
					 (u64)blk_rq_arg(ctx) : tp_arg(ctx, c->q_arg)));
	return id;
}

/* What each tracepoint means for the paths. tp is a constant per program,
 * so the compiler keeps one case. Only argument 0 and, where noted,
 * constant-offset later arguments are read: tp_btf checks the offsets
 * against the tracepoint's own prototype. */
static __always_inline int tp_dispatch(const u32 tp, u64 *ctx, const bool btf)
{
	u32 id;

	/* the traced tasks' tracepoints fire on every syscall of the machine: one lookup of the
	 * current tgid first, nothing more for a task outside the scope (paths/exits.h). Without
	 * traced tasks (probes -p tasks) they count hits like any tracepoint. */
	if (ex_task_tp(tp) && tasks_on && !ex_traced_task())
		return 0;
	id = tp_hit(tp, ctx);
	if (!id)
		return 0;
	if (stacks_on)
		stack_hit(ctx, id);
	if (exits_on)
		ex_tp(tp, ctx);
	if (blk_on)
		blk_tp(tp, ctx, id);
	if (host_on)
		host_tp(tp, ctx);
	if (!net_on)
		return 0;
	switch (tp) {
	case TP_net_dev_queue:
		net_tx_stage(ctx, (struct sk_buff *)ctx[0], NS_QUEUE, id, true, btf);
		break;
	case TP_net_dev_start_xmit:
		net_on_start_xmit(ctx, (struct sk_buff *)ctx[0], id, btf);
		break;
	case TP_net_dev_xmit:
		net_on_xmit(ctx, (struct sk_buff *)ctx[0], id, btf);
		break;
	case TP_consume_skb:
		net_on_free(ctx, (struct sk_buff *)ctx[0], id, false);
		break;
	case TP_kfree_skb:
		/* (skb, location) on 5.10; a drop reason appended in v5.17 (kfree_skb_reason), then
		 * rx_sk after it (6.18's BTF: btf_trace_kfree_skb(void *, skb, location, reason, rx_sk)):
		 * only ctx[0], the skb, is read, the first argument on every version */
		net_on_free(ctx, (struct sk_buff *)ctx[0], id, true);
		break;
	case TP_netif_rx:
	case TP_napi_gro_receive_entry:
		net_on_rx(ctx, (struct sk_buff *)ctx[0], id, btf);
		break;
	case TP_netif_receive_skb:
		net_on_receive(ctx, (struct sk_buff *)ctx[0], id, btf);
		break;
	case TP_irq_handler_entry:
		net_on_irq((int)ctx[0]);
		break;
	case TP_napi_poll:
		net_on_napi_poll((struct napi_struct *)ctx[0], (int)ctx[1], btf);
		break;
	}
	return 0;
}

#define IOP_TP_PROGS(sys, name)                                        \
	SEC("tp_btf/" #name)                                           \
	int tpb_##name(u64 *ctx) { return tp_dispatch(TP_##name, ctx, true); } \
	SEC("raw_tp/" #name)                                           \
	int rtp_##name(struct bpf_raw_tracepoint_args *ctx)            \
	{ return tp_dispatch(TP_##name, ctx->args, false); }
IOP_TRACEPOINTS(IOP_TP_PROGS)
