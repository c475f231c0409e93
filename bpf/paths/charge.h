/* Who an exit is charged to: the one place that decides it. An exit point
 * (PATH_EXIT: a kick, an IPI, a timer write, a halt... that leaves for the
 * hypervisor) is charged to the first of
 *   1. the TX packet whose driver scope this CPU is in (--net),
 *   2. the device queue whose RX buffers are being refilled (--net),
 *   3. the block request of the driver submit scope this CPU is in (--disk),
 *   4. background: net_bg_exits with --net on, else blk_bg_exits,
 * so each exit is counted once whichever paths are traced. Included by
 * iopath.bpf.c after the path headers. */
#ifndef IOPATH_BPF_CHARGE_H
#define IOPATH_BPF_CHARGE_H
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "iopath.h"
#include "paths/net.h"
#include "paths/blk.h"

/* The exit kind a point's role stands for (one mapping with the user side, include/iopath_net.h). */
static __always_inline int exit_kind(u16 role)
{
	return IOP_EXIT_KIND_OF_ROLE(role);
}

/* A driver function point's hit (entry only: an exit happens when the
 * function is called). Not an exit point, or neither path on: nothing. */
static __always_inline void charge_exit(u32 id, const struct iop_point_cfg *cfg, bool ret)
{
	int kind;

	if (!cfg || ret || (!net_on && !blk_on))
		return;
	if (cfg->path == PATH_EXIT)
		kind = exit_kind(cfg->role);
	else if (cfg->exk == 1 + EXK_NOTIFY)
		kind = EXK_NOTIFY;     /* an emulated doorbell inside a driver's xmit (a constant:
					* cfg->exk - 1 reached the verifier unbounded) */
	else
		return;
	if (kind < 0 || kind >= EXK__COUNT)
		return;
	if (net_on && (net_charge_pkt(id, kind) || net_charge_refill(kind)))
		return;
	if (blk_on && blk_charge_exit(id, kind))
		return;
	/* EXK__COUNT is 7, not a power of two: a mask (kind & 6) charged IPI exits as notify,
	 * halt as timer and hypercall as unmask; the index is bounded by a check instead */
	if ((unsigned)kind >= EXK__COUNT)
		return;
	if (net_on)
		__sync_fetch_and_add(&net_bg_exits[kind], 1);
	else
		__sync_fetch_and_add(&blk_bg_exits[kind], 1);
}

#endif
