/* One object's path (a packet, a block request): the ordered point ids of
 * its events, its length and its signature, a hash of those ids that names
 * the path in the signature maps (net_sig, blk_sig). */
#ifndef IOPATH_BPF_LIB_PATH_H
#define IOPATH_BPF_LIB_PATH_H
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "iopath.h"
#include "lib/maps.h"

/* The signature of a path with no event yet. */
#define PATH_SIG_SEED 17

/* One probe hit on a path: ordered ids (with time since the first event)
 * for the first NET_SIG_IDS hits, the hit count and the signature hash. */
static __always_inline void path_step(u16 *hits, u32 *sig, u16 *ids, u32 *dt, u32 id, u64 rel)
{
	u16 h = *hits;

	if (h < NET_SIG_IDS) {
		ids[h & (NET_SIG_IDS - 1)] = id;
		dt[h & (NET_SIG_IDS - 1)] = rel;
	}
	*hits = h + 1;
	*sig = *sig * 31 + id;
}

/* An ended path under its signature key in map (values struct net_sig_val):
 * the first of its signature stores its length and ids, each adds one and
 * its first-to-last latency. A failed insert bumps *full. */
static __always_inline void path_sig_count(void *map, const void *key, u16 hits, const u16 *ids,
					   u64 total, __u64 *full)
{
	struct net_sig_val *sv = bpf_map_lookup_elem(map, key);

	if (!sv) {
		struct net_sig_val v = { .len = hits };

		__builtin_memcpy(v.ids, ids, sizeof(v.ids));
		sv = map_lookup_or_insert(map, key, &v, full);
	}
	if (sv) {
		__sync_fetch_and_add(&sv->count, 1);
		__sync_fetch_and_add(&sv->lat_sum_ns, total);
	}
}

#endif
