/* log2 histograms: the slot of a value and the bump of a stage-pair latency
 * histogram (struct net_hist, the value of net_hist and blk_hist). */
#ifndef IOPATH_BPF_LIB_HIST_H
#define IOPATH_BPF_LIB_HIST_H
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "iopath.h"
#include "lib/maps.h"

/* Zeroed initial value for histogram inserts: too big for the 512-byte stack. */
const struct net_hist zero_hist = {};

/* floor(log2(v)), the last slot for anything beyond it (0 for 0). */
static __always_inline u32 log2_slot(u64 v)
{
	u32 r = 0;

	/* bounded loop: at most 63 iterations; unrolled by the compiler */
#pragma unroll
	for (int i = 32; i > 0; i >>= 1)
		if (v >= (1ull << i)) {
			v >>= i;
			r += i;
		}
	return r < NET_HIST_SLOTS ? r : NET_HIST_SLOTS - 1;
}

static __always_inline void hist_bump(struct net_hist *h, u64 dt)
{
	u32 s = log2_slot(dt);

	__sync_fetch_and_add(&h->count, 1);
	__sync_fetch_and_add(&h->sum_ns, dt);
	if (s < NET_HIST_SLOTS)
		__sync_fetch_and_add(&h->slots[s], 1);
}

/* dt into the histogram of key in map (values struct net_hist), created
 * when missing; a failed insert bumps *full. */
static __always_inline void hist_add(void *map, const void *key, u64 dt, __u64 *full)
{
	struct net_hist *h = map_lookup_or_insert(map, key, &zero_hist, full);

	if (h)
		hist_bump(h, dt);
}

#endif
