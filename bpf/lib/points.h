/* Probe points: the per-point maps userspace configures (what a point is,
 * which tracepoint or fentry clone is which point) and reads (hits, hits per
 * queue, kernel stacks), the counters of what could not be recorded, and the
 * bookkeeping every entry program does on a hit before the paths see it. */
#ifndef IOPATH_BPF_LIB_POINTS_H
#define IOPATH_BPF_LIB_POINTS_H
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "iopath.h"
#include "lib/driver_types.h"
#include "lib/maps.h"

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

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, IOP_MAX_POINT_QUEUES);
	__type(key, struct iop_q_key);
	__type(value, u64);
} point_queue SEC(".maps");

/* Kernel stacks at the probe points (record --stacks).
 *
 * Not a BPF_MAP_TYPE_STACK_TRACE map with bpf_get_stackid(): that map is a
 * table of buckets indexed by a hash of the frames. Without
 * BPF_F_REUSE_STACKID a stack whose bucket holds another stack is refused
 * (-EEXIST) for the whole run, so 3-5 % of hits lost their stack, the rarer
 * stacks most, and a bigger table only makes it less likely. With
 * BPF_F_REUSE_STACKID the newcomer overwrites the bucket, and every hit
 * counted earlier under that id is read back at the end as the newer stack:
 * wrong, and silently so. Neither is exact.
 *
 * Here bpf_get_stack() copies the frames into a per-CPU scratch buffer, and a
 * hash map keyed by (point, 64-bit hash of the frames) holds the frames
 * themselves with their hit count. A hit is counted only where the stored
 * frames equal its own, so a hash clash never counts as another stack. The
 * map is bounded by distinct (point, stack) pairs, IOP_MAX_STACKS, not by hit
 * rate: a known stack's count grows in place. A pair with no room (map full,
 * bucket busy, a clash), a hit without frames and a handler nested deeper
 * than the scratch buffers are counted in dropped[], never lost silently.
 * Userspace shrinks point_stacks to one entry when stacks are off (its
 * entries are preallocated: about 17 MB at IOP_MAX_STACKS). */
const volatile bool stacks_on = false;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, IOP_MAX_STACKS);
	__type(key, struct iop_stack_key);
	__type(value, struct iop_stack_val);
} point_stacks SEC(".maps");

/* depth: how many handlers on this CPU hold a buffer now. Handlers nest
 * strictly (an interrupt's handler finishes before the one it interrupted
 * resumes), so a plain increment and decrement is safe on a per-CPU value. */
struct iop_stack_scratch {
	u32 depth;
	struct iop_stack_val v[IOP_STACK_NEST];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct iop_stack_scratch);
} stack_scratch SEC(".maps");

/* Data iopath could not record, by reason: reported, never silent. */
__u64 dropped[DROP__COUNT] = {};

static __always_inline void point_hit(u32 id)
{
	struct iop_point_stat *st = bpf_map_lookup_elem(&point_stat, &id);

	if (!st)
		return;
	st->hits++;
}

static __always_inline const struct iop_point_cfg *cfg_of(u32 id)
{
	return bpf_map_lookup_elem(&point_cfg, &id);
}

/* Queue number out of an argument; -1 when unknown. */
static __always_inline long read_queue(u8 qx, u64 arg)
{
	if (!arg)
		return -1;
	switch (qx) {
	case QX_SKB:
		return BPF_CORE_READ((struct sk_buff *)arg, queue_mapping);
	case QX_VIRTQUEUE:
		return BPF_CORE_READ((struct virtqueue *)arg, index);
	case QX_HCTX:
		return BPF_CORE_READ((struct blk_mq_hw_ctx *)arg, queue_num);
	case QX_RQ_HCTX:
		return BPF_CORE_READ((struct request *)arg, mq_hctx, queue_num);
	case QX_VIRTNET_SQ:
		if (!bpf_core_type_exists(struct send_queue___iop))
			return -1;
		return BPF_CORE_READ((struct send_queue___iop *)arg, vq, index);
	case QX_VIRTNET_RQ:
		if (!bpf_core_type_exists(struct receive_queue___iop))
			return -1;
		return BPF_CORE_READ((struct receive_queue___iop *)arg, vq, index);
	case QX_NVME_QUEUE:
		if (!bpf_core_type_exists(struct nvme_queue___iop))
			return -1;
		return BPF_CORE_READ((struct nvme_queue___iop *)arg, qid);
	case QX_NETFRONT_QUEUE:
		if (!bpf_core_type_exists(struct netfront_queue___iop))
			return -1;
		return BPF_CORE_READ((struct netfront_queue___iop *)arg, id);
	}
	return -1;
}

static __always_inline void queue_hit(u32 id, long queue)
{
	struct iop_q_key k = { .id = id, .queue = (u32)queue };

	if (queue < 0)
		return;
	map_count(&point_queue, &k, &dropped[DROP_QUEUE_MAP_FULL]);
}

/* Over all IOP_STACK_DEPTH slots (bpf_get_stack() zeroes those past the
 * last frame), without early exits: one verifier path per call. */
static __always_inline u64 stack_hash(const u64 *ips)
{
	u64 h = 0x9e3779b97f4a7c15ULL;

	for (int i = 0; i < IOP_STACK_DEPTH; i++) {
		h ^= ips[i];
		h *= 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	return h;
}

static __always_inline bool same_frames(const u64 *a, const u64 *b)
{
	u64 diff = 0;

	for (int i = 0; i < IOP_STACK_DEPTH; i++)
		diff |= a[i] ^ b[i];
	return !diff;
}

static __always_inline void stack_count(void *ctx, u32 id, struct iop_stack_val *cur)
{
	struct iop_stack_key k = { .id = id };
	struct iop_stack_val *v;

	if (bpf_get_stack(ctx, cur->ips, sizeof(cur->ips), 0) <= 0) {
		__sync_fetch_and_add(&dropped[DROP_STACK], 1);
		return;
	}
	cur->hits = 0;
	k.hash = stack_hash(cur->ips);
	v = map_lookup_or_insert(&point_stacks, &k, cur, &dropped[DROP_STACK_KEYS]);
	if (!v)
		return;
	if (same_frames(v->ips, cur->ips))
		__sync_fetch_and_add(&v->hits, 1);
	else   /* another stack with the same hash holds the slot */
		__sync_fetch_and_add(&dropped[DROP_STACK_KEYS], 1);
}

static __always_inline void stack_hit(void *ctx, u32 id)
{
	u32 zero = 0, slot;
	struct iop_stack_scratch *s = bpf_map_lookup_elem(&stack_scratch, &zero);

	if (!s)
		return;
	slot = s->depth;
	if (slot >= IOP_STACK_NEST) {
		__sync_fetch_and_add(&dropped[DROP_STACK], 1);
		return;
	}
	s->depth = slot + 1;
	stack_count(ctx, id, &s->v[slot]);
	s->depth = slot;
}

#endif
