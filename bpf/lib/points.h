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

/* Kernel stacks at the probe points (record --stacks). */
const volatile bool stacks_on = false;

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, IOP_MAX_STACKS);
	__uint(key_size, sizeof(u32));
	__uint(value_size, IOP_STACK_DEPTH * sizeof(u64));
} stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, IOP_MAX_STACKS);
	__type(key, struct iop_stack_key);
	__type(value, u64);
} point_stacks SEC(".maps");

/* Data iopath could not record, by reason: reported, never silent. */
__u64 dropped[DROP__COUNT] = {};

static __always_inline void point_hit(u32 id)
{
	struct iop_point_stat *st = bpf_map_lookup_elem(&point_stat, &id);

	if (!st)
		return;
	st->hits++;
	st->last_ns = bpf_ktime_get_ns();
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

static __always_inline void stack_hit(void *ctx, u32 id)
{
	struct iop_stack_key k = { .id = id };

	k.stack = bpf_get_stackid(ctx, &stacks, 0);
	if (k.stack < 0) {
		__sync_fetch_and_add(&dropped[DROP_STACK], 1);
		return;
	}
	map_count(&point_stacks, &k, &dropped[DROP_STACK_KEYS]);
}

#endif
