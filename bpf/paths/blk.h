/* Block path, in the kernel: per-request state keyed by the struct request
 * address in a bounded LRU, stage events from the block tracepoints, the
 * disk interrupts and the driver probes (submit scope, doorbells, ->complete),
 * aggregated when the request completes per (disk, op, size class): stage
 * pair histograms, path length, signatures, exits/grants/bounces charged.
 * The block twin of paths/net.h; both use the helpers of bpf/lib. Which exit
 * is a request's is decided in paths/charge.h (blk_charge_exit). Included by
 * iopath.bpf.c. */
#ifndef IOPATH_BPF_BLK_H
#define IOPATH_BPF_BLK_H
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "iopath.h"
#include "lib/maps.h"
#include "lib/hist.h"
#include "lib/path.h"

#define BLK_MAX_RQS 32768
/* An interrupt, driver IRQ handler or batch completion older than this is
 * not the one that completed a request. */
#define BLK_IRQ_WINDOW_NS 100000000ull
/* A submit scope older than this lost its closing fexit/kretprobe (not
 * attached, or missed): it no longer charges anything. */
#define BLK_SCOPE_MAX_NS 10000000ull

const volatile bool blk_on = false;
const volatile struct blk_opts blk_opts = {};
/* block_rq_insert and block_rq_issue took (q, rq) until v5.11 (commit a54895fa057c "block: remove
 * the request_queue to argument request based tracepoints"; stable 5.10 took it in v5.10.137);
 * userspace reads the prototype from BTF or measures it (user/kernel/resolve.c tp_layouts,
 * engine/calib.c cal_blk_rq_args) and sets this before load, so the verifier prunes the
 * ctx[1] read where the tracepoint has one argument. block_rq_complete kept (rq, error, bytes). */
const volatile bool blk_rq_after_q = false;

static __always_inline struct request *blk_rq_arg(u64 *ctx)
{
	u64 rq;

	/* A fixed-offset load in its own branch: left to itself clang turns the choice into
	 * ctx + (flag << 3), a modified ctx pointer, which the verifier refuses. */
	if (blk_rq_after_q) {
		asm volatile("%0 = *(u64 *)(%1 + 8)" : "=r"(rq) : "r"(ctx));
		return (struct request *)rq;
	}
	return (struct request *)ctx[0];
}

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, BLK_MAX_RQS);
	__type(key, u64);
	__type(value, struct blk_rq);
} rqs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct blk_key);
	__type(value, struct blk_agg);
} blk_agg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct blk_pair_key);
	__type(value, struct net_hist);
} blk_hist SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 2048);
	__type(key, struct blk_sig_key);
	__type(value, struct net_sig_val);
} blk_sig SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, u32);
	__type(value, struct blk_dev_val);
} blk_dev SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 2048);
	__type(key, struct blk_q_key);
	__type(value, struct blk_q_val);
} blk_q SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, u32);
	__type(value, struct blk_irq_val);
} blk_irq_map SEC(".maps");

/* Per-CPU context: the driver submit scope we are in (->queue_rq with its
 * request, or a ->queue_rqs / ->commit_rqs batch charged to the last request
 * issued here), and the driver-side completion events waiting for the
 * block_rq_complete of the requests they completed. */
struct blk_cpu {
	u64 scope_rq;            /* request exits/grants in the scope are charged to */
	u64 scope_ts;            /* entry of the outermost scope */
	u32 scope_id;            /* its point */
	u16 scope_depth;
	u8 scope_batch;          /* ->queue_rqs: requests issued inside were submitted by it */
	u8 notify_scope;         /* the scope was opened by a ->commit_rqs / doorbell point */
	u64 last_rq;             /* last request issued on this CPU */
	u64 drv_irq_ts;          /* driver interrupt handler (blkif_interrupt, nvme_irq...) */
	u32 drv_irq_id;
	u32 cbatch_id;           /* batch completion (nvme_pci_complete_batch...) */
	u64 cbatch_ts;
	u32 bounce_pending;      /* bounce copies in completion, for the next request done here */
	u32 pad2;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct blk_cpu);
} blk_cpu SEC(".maps");

__u64 blk_ctr[BC__COUNT] = {};
__u64 blk_bg_exits[EXK__COUNT] = {};  /* exits charged to nothing, --net off (paths/charge.h) */
const struct blk_agg zero_blk_agg = {};
const struct net_sig_val zero_sig = {};
const struct blk_dev_val zero_dev = {};
const struct blk_q_val zero_q = {};

/* 5.10 kept the disk in the request; 5.16+ reaches it through the queue. */
struct request___old {
	struct gendisk *rq_disk;
} __attribute__((preserve_access_index));

static __always_inline struct blk_cpu *blk_this_cpu(void)
{
	u32 z = 0;

	return bpf_map_lookup_elem(&blk_cpu, &z);
}

static __always_inline void bctr(int i)
{
	if (i >= 0 && i < BC__COUNT)
		__sync_fetch_and_add(&blk_ctr[i], 1);
}

static __always_inline u32 rq_dev(struct request *rq)
{
	struct gendisk *disk;

	if (bpf_core_field_exists(((struct request___old *)0)->rq_disk))
		disk = BPF_CORE_READ((struct request___old *)rq, rq_disk);
	else
		disk = BPF_CORE_READ(rq, q, disk);
	if (!disk)
		return 0;
	return ((u32)BPF_CORE_READ(disk, major) << 20) | (u32)BPF_CORE_READ(disk, first_minor);
}

static __always_inline u8 op_class(u32 cmd_flags)
{
	switch (cmd_flags & 0xff) {   /* REQ_OP_MASK (REQ_OP_BITS = 8) */
	case 0: return BOP_READ;      /* REQ_OP_READ */
	case 1: return BOP_WRITE;     /* REQ_OP_WRITE */
	case 2: return BOP_FLUSH;     /* REQ_OP_FLUSH */
	case 3: return BOP_DISCARD;   /* REQ_OP_DISCARD */
	}
	return BOP_OTHER;
}

/* Size, op and hardware queue: final once the request is issued. */
static __always_inline void rq_shape(struct blk_rq *r, struct request *rq)
{
	r->bytes = BPF_CORE_READ(rq, __data_len);
	r->size_class = r->bytes ? log2_slot(r->bytes) : 0;
	r->op = op_class(BPF_CORE_READ(rq, cmd_flags));
	r->queue = BPF_CORE_READ(rq, mq_hctx, queue_num);
}

/* The live state of the request at a (NULL: none, or ended). */
static __always_inline struct blk_rq *rq_get(u64 a)
{
	struct blk_rq *r = bpf_map_lookup_elem(&rqs, &a);

	return r && !r->done ? r : NULL;
}

static __always_inline struct blk_rq *rq_new(u64 a, struct request *rq, u64 now)
{
	struct blk_rq r = {}, *old;

	r.dev = rq_dev(rq);
	if (blk_opts.dev && r.dev != blk_opts.dev)
		return NULL;           /* counted once, at its completion */
	rq_shape(&r, rq);
	r.t_first = r.t_prev = now;
	r.sig = PATH_SIG_SEED;
	/* an entry left for this address (a tombstone, or a life restarted by
	 * the caller) is overwritten in place: no bucket lock to be busy */
	old = bpf_map_lookup_elem(&rqs, &a);
	if (old) {
		__builtin_memcpy(old, &r, sizeof(r));
		bctr(BC_STARTED);
		return old;
	}
	if (bpf_map_update_elem(&rqs, &a, &r, BPF_ANY)) {
		bctr(BC_STATE_FULL);
		return NULL;
	}
	bctr(BC_STARTED);
	return bpf_map_lookup_elem(&rqs, &a);
}

/* One event of a request's path: a stage (or BS__COUNT for a probe hit that
 * is not a stage, such as a driver helper), from point `id`, at `ts`. */
static __always_inline void rq_event(struct blk_rq *r, u8 stage, u32 id, u64 ts)
{
	if (ts < r->t_prev)
		ts = r->t_prev;
	path_step(&r->hits, &r->sig, r->ids, r->dt, id, ts - r->t_first);
	if (stage >= BS__COUNT)
		return;
	if (!(r->stage_mask & (1u << stage))) {
		r->stage_mask |= 1u << stage;
		r->t_stage[stage & 7] = ts;
		if (r->norder < 8)
			r->order[r->norder & 7] = stage;
		r->norder++;
	}
	r->t_prev = ts;
}

/* A driver-side event that happened on this CPU since this request's last
 * stage (and recently): part of its path. */
static __always_inline bool recent_for(const struct blk_rq *r, u64 ts, u64 now)
{
	return ts && ts >= r->t_prev && now - ts < BLK_IRQ_WINDOW_NS;
}

/* What completed the request: the disk's interrupt, the driver's interrupt
 * handler on this CPU, a batch completion; bounce copies done meanwhile. */
static __always_inline void rq_completion_context(u64 a, struct blk_rq *r, u64 now)
{
	struct blk_dev_val *dv = bpf_map_lookup_elem(&blk_dev, &r->dev);
	struct blk_cpu *c = blk_this_cpu();

	if (dv && !(r->stage_mask & (1u << BS_IRQ)) && r->issued && recent_for(r, dv->last_irq_ns, now))
		rq_event(r, BS_IRQ, 0, dv->last_irq_ns);
	if (!c)
		return;
	if (c->drv_irq_id && recent_for(r, c->drv_irq_ts, now))
		rq_event(r, BS__COUNT, c->drv_irq_id, c->drv_irq_ts);
	if (c->cbatch_id && !(r->stage_mask & (1u << BS_DRV_COMPLETE)) && recent_for(r, c->cbatch_ts, now))
		rq_event(r, BS_DRV_COMPLETE, c->cbatch_id, c->cbatch_ts);
	if (c->bounce_pending) {
		r->bounces += c->bounce_pending;
		c->bounce_pending = 0;
	}
	if (c->scope_rq == a)
		c->scope_rq = 0;
}

static __always_inline void rq_end(u64 a, struct blk_rq *r)
{
	struct blk_key k = { .dev = r->dev, .op = r->op, .size_class = r->size_class };
	struct blk_agg *ag = map_lookup_or_insert(&blk_agg, &k, &zero_blk_agg, &blk_ctr[BC_AGG_FULL]);
	struct blk_sig_key sk = { .k = k, .sig = r->sig };
	u64 total = r->t_prev - r->t_first;

	bctr(BC_ENDED);
	if (ag) {
		u32 l = r->hits < NET_LEN_SLOTS ? r->hits : NET_LEN_SLOTS - 1;

		__sync_fetch_and_add(&ag->requests, 1);
		__sync_fetch_and_add(&ag->bytes, r->bytes);
#pragma unroll
		for (int s = 0; s < BS__COUNT; s++)
			if (r->stage_mask & (1u << s))
				__sync_fetch_and_add(&ag->stage[s], 1);
		__sync_fetch_and_add(&ag->len_hist[l & (NET_LEN_SLOTS - 1)], 1);
		__sync_fetch_and_add(&ag->len_sum, r->hits);
		__sync_fetch_and_add(&ag->total_hist[log2_slot(total) & (NET_HIST_SLOTS - 1)], 1);
		__sync_fetch_and_add(&ag->total_sum_ns, total);
#pragma unroll
		for (int i = 0; i < EXK__COUNT; i++)
			if (r->exits[i])
				__sync_fetch_and_add(&ag->exits[i], r->exits[i]);
		if (r->grants)
			__sync_fetch_and_add(&ag->grants, r->grants);
		if (r->bounces)
			__sync_fetch_and_add(&ag->bounces, r->bounces);
		if (r->error)
			__sync_fetch_and_add(&ag->errors, 1);
		if (r->partial)
			__sync_fetch_and_add(&ag->partial, r->partial);
	}
	/* stage pairs, in the order the stages were reached */
	for (int j = 1; j < 8; j++) {
		struct blk_pair_key pk = { .k = k };
		u8 from, to;
		u64 t0, t1;

		if (j >= r->norder)
			break;
		from = r->order[(j - 1) & 7];
		to = r->order[j & 7];
		pk.from = from;
		pk.to = to;
		t0 = r->t_stage[from & 7];
		t1 = r->t_stage[to & 7];
		hist_add(&blk_hist, &pk, t1 >= t0 ? t1 - t0 : 0, &blk_ctr[BC_HIST_FULL]);
	}
	path_sig_count(&blk_sig, &sk, r->hits, r->ids, total, &blk_ctr[BC_SIG_FULL]);
	/* Deleting takes the bucket lock, which a handler this one interrupted
	 * on this CPU may hold (-EBUSY; 6.15+: an rqspinlock error, see
	 * lib/maps.h): the entry then stays as a tombstone
	 * that rq_get() ignores and rq_new() reuses. */
	r->done = 1;
	if (bpf_map_delete_elem(&rqs, &a))
		bctr(BC_TOMBSTONES);
}

/* --- tracepoints --- */

static __always_inline void blk_on_insert(struct request *rq, u32 id)
{
	u64 a = (u64)rq, now = bpf_ktime_get_ns();
	struct blk_rq *r = rq_get(a);

	if (r) {
		/* a request is inserted once per life: this one was requeued,
		 * or its completion was missed. Start over (in place). */
		bctr(BC_RESTARTED);
	}
	r = rq_new(a, rq, now);
	if (r)
		rq_event(r, BS_INSERT, id, now);
}

static __always_inline void blk_on_issue(struct request *rq, u32 id)
{
	u64 a = (u64)rq, now = bpf_ktime_get_ns();
	struct blk_rq *r = rq_get(a);
	struct blk_cpu *c = blk_this_cpu();

	if (r && r->issued)
		bctr(BC_REISSUED);     /* requeued, or the last completion was missed */
	if (!r)
		r = rq_new(a, rq, now);
	if (!r)
		return;
	rq_shape(r, rq);
	if (c && c->scope_depth && c->scope_batch) {
		/* issued by a ->queue_rqs batch: that call was its driver submit */
		if (!(r->stage_mask & (1u << BS_DRV_SUBMIT)))
			rq_event(r, BS_DRV_SUBMIT, c->scope_id, c->scope_ts);
		c->scope_rq = a;
	}
	rq_event(r, BS_ISSUE, id, now);
	r->issued = 1;
	if (c)
		c->last_rq = a;
	{
		struct blk_q_key qk = { .dev = r->dev, .queue = r->queue };
		struct blk_q_val *q = map_lookup_or_insert(&blk_q, &qk, &zero_q, &blk_ctr[BC_DEV_FULL]);

		if (q)
			__sync_fetch_and_add(&q->requests, 1);
	}
}

static __always_inline void blk_on_complete(struct request *rq, long error, u32 nr_bytes, u32 id)
{
	u64 a = (u64)rq, now = bpf_ktime_get_ns();
	struct blk_rq *r = rq_get(a);
	u32 left;

	if (!r) {
		if (blk_opts.dev && rq_dev(rq) != blk_opts.dev)
			bctr(BC_FILTERED);
		else
			bctr(BC_COMPLETE_UNSEEN);
		return;
	}
	if (error)
		r->error = 1;
	/* blk_update_request fires the tracepoint before it consumes nr_bytes:
	 * fewer bytes than the request has left is a partial completion */
	left = BPF_CORE_READ(rq, __data_len);
	if (nr_bytes < left) {
		r->partial++;
		rq_event(r, BS__COUNT, id, now);
		return;
	}
	rq_completion_context(a, r, now);
	rq_event(r, BS_COMPLETE, id, now);
	rq_end(a, r);
}

/* Any other hit that names the request (nvme tracepoints, driver helpers). */
static __always_inline void blk_rq_hit(u64 a, u8 stage, u32 id)
{
	struct blk_rq *r;

	if (!a)
		return;
	r = rq_get(a);
	if (!r)
		return;
	if (stage == BS_DRV_COMPLETE)
		rq_completion_context(a, r, bpf_ktime_get_ns());
	rq_event(r, stage, id, bpf_ktime_get_ns());
}

static __always_inline void blk_on_irq(int irq)
{
	u32 key = irq;
	struct blk_irq_val *m = bpf_map_lookup_elem(&blk_irq_map, &key);
	struct blk_dev_val *dv;

	if (!m) {
		bctr(BC_IRQ_UNMAPPED);
		return;
	}
	dv = map_lookup_or_insert(&blk_dev, &m->dev, &zero_dev, &blk_ctr[BC_DEV_FULL]);
	if (dv) {
		__sync_fetch_and_add(&dv->irqs, 1);
		dv->last_irq_ns = bpf_ktime_get_ns();
	}
	if (m->queue >= 0) {
		struct blk_q_key qk = { .dev = m->dev, .queue = m->queue };
		struct blk_q_val *q = map_lookup_or_insert(&blk_q, &qk, &zero_q, &blk_ctr[BC_DEV_FULL]);

		if (q)
			__sync_fetch_and_add(&q->irqs, 1);
	}
}

/* The request the current submit scope charges to (0: none). */
static __always_inline struct blk_rq *scope_rq(struct blk_cpu *c)
{
	u64 a;

	if (!c || !c->scope_depth || !c->scope_rq || bpf_ktime_get_ns() - c->scope_ts > BLK_SCOPE_MAX_NS)
		return NULL;
	a = c->scope_rq;
	return rq_get(a);
}

/* An exit (kind) from point id: charged to the request of the submit scope
 * we are in. False when there is none. Called from charge_exit()
 * (paths/charge.h). */
static __always_inline bool blk_charge_exit(u32 id, int kind)
{
	struct blk_rq *r = scope_rq(blk_this_cpu());

	if (!r)
		return false;
	rq_event(r, kind == EXK_NOTIFY && !r->exits[EXK_NOTIFY] ? BS_NOTIFY : BS__COUNT, id,
		 bpf_ktime_get_ns());
	if ((unsigned)kind < EXK__COUNT)
		r->exits[kind]++;
	return true;
}

static __always_inline void scope_open(struct blk_cpu *c, u64 a, u32 id, bool batch)
{
	u64 now = bpf_ktime_get_ns();

	if (c->scope_depth && now - c->scope_ts > BLK_SCOPE_MAX_NS) {
		c->scope_depth = 0;          /* stale: its end was never seen */
		c->notify_scope = 0;
	}
	if (!c->scope_depth) {
		c->scope_ts = now;
		c->scope_id = id;
		c->scope_batch = batch;
	}
	c->scope_rq = a;
	c->scope_depth++;
}

static __always_inline void scope_close(struct blk_cpu *c)
{
	if (c->scope_depth)
		c->scope_depth--;
	if (!c->scope_depth) {
		c->scope_rq = 0;
		c->scope_batch = 0;
		c->notify_scope = 0;
	}
}

/* --- driver function points (from the generic kprobe/fentry handlers) --- */

static __always_inline void blk_func(u32 id, const struct iop_point_cfg *cfg, bool ret, u64 idv)
{
	struct blk_cpu *c;
	struct blk_rq *r;
	u64 now, a;

	/* exits: charge_exit() (paths/charge.h) */
	if (!blk_on || !cfg || cfg->path == PATH_EXIT)
		return;
	if (cfg->path != PATH_BLK && cfg->role != ROLE_GRANT && cfg->role != ROLE_BOUNCE)
		return;
	c = blk_this_cpu();
	if (!c)
		return;
	if (ret) {
		/* fexit/kretprobe of a submit or commit function: scope ends */
		if (cfg->role == ROLE_QUEUE_RQ) {
			scope_close(c);
		} else if (cfg->role == ROLE_NOTIFY && c->notify_scope) {
			c->notify_scope = 0;
			scope_close(c);
		}
		return;
	}
	now = bpf_ktime_get_ns();
	switch (cfg->role) {
	case ROLE_QUEUE_RQ:
		if (cfg->ident == IDENT_BLK_MQ_DATA) {
			/* ->queue_rq(hctx, bd): the request enters the driver */
			a = idv ? (u64)BPF_CORE_READ((struct blk_mq_queue_data *)idv, rq) : 0;
			scope_open(c, a, id, false);
			if (!a)
				return;
			r = rq_get(a);
			if (!r)
				r = rq_new(a, (struct request *)a, now);
			if (r)
				rq_event(r, BS_DRV_SUBMIT, id, now);
		} else if (cfg->ident == IDENT_NONE && cfg->kind == KIND_FUNC) {
			/* ->queue_rqs(rqlist): a batch; its requests are issued inside */
			scope_open(c, 0, id, true);
		} else if (cfg->ident == IDENT_REQUEST && idv) {
			blk_rq_hit(idv, BS__COUNT, id);
		} else if ((r = scope_rq(c))) {
			rq_event(r, BS__COUNT, id, now);
		}
		return;
	case ROLE_NOTIFY:
		/* ->commit_rqs / doorbell: for the request of the submit scope, or
		 * outside one (commit_rqs after a run of queue_rq) for the last
		 * request issued here, whose scope it opens until its return so
		 * the kick inside (virtqueue_notify) is charged there too. A
		 * doorbell helper without a return point is inside ->queue_rq;
		 * were it not, its scope goes stale after BLK_SCOPE_MAX_NS. */
		a = scope_rq(c) ? c->scope_rq : c->last_rq;
		if (!scope_rq(c)) {
			scope_open(c, a, id, false);
			c->notify_scope = 1;
		}
		if (a && (r = rq_get(a)))
			rq_event(r, r->stage_mask & (1u << BS_NOTIFY) ? BS__COUNT : BS_NOTIFY, id, now);
		return;
	case ROLE_IRQ:
		c->drv_irq_ts = now;
		c->drv_irq_id = id;
		return;
	case ROLE_COMPLETE:
		if (cfg->ident == IDENT_REQUEST && idv) {
			blk_rq_hit(idv, BS_DRV_COMPLETE, id);
		} else {
			c->cbatch_ts = now;
			c->cbatch_id = id;
		}
		return;
	case ROLE_GRANT:
		if ((r = scope_rq(c))) {
			r->grants++;
			rq_event(r, BS__COUNT, id, now);
		} else {
			bctr(BC_GRANTS_UNATTRIBUTED);
		}
		return;
	case ROLE_BOUNCE:
		if ((r = scope_rq(c))) {
			r->bounces++;
			rq_event(r, BS__COUNT, id, now);
		} else {
			c->bounce_pending++;
		}
		return;
	}
	if (cfg->ident == IDENT_REQUEST && idv)
		blk_rq_hit(idv, BS__COUNT, id);
}

/* What each tracepoint means for the block path (tp constant per program). */
static __always_inline void blk_tp(const u32 tp, u64 *ctx, u32 id)
{
	switch (tp) {
	case TP_block_rq_insert:
		blk_on_insert(blk_rq_arg(ctx), id);
		break;
	case TP_block_rq_issue:
		blk_on_issue(blk_rq_arg(ctx), id);
		break;
	case TP_block_rq_complete:
		blk_on_complete((struct request *)ctx[0], (long)(int)ctx[1], (u32)ctx[2], id);
		break;
	case TP_nvme_setup_cmd:
	case TP_nvme_complete_rq:
		blk_rq_hit(ctx[0], BS__COUNT, id);
		break;
	case TP_irq_handler_entry:
		blk_on_irq((int)ctx[0]);
		break;
	case TP_swiotlb_bounced: {
		struct blk_cpu *c = blk_this_cpu();
		struct blk_rq *r = scope_rq(c);

		if (r) {
			r->bounces++;
			rq_event(r, BS__COUNT, id, bpf_ktime_get_ns());
		} else {
			bctr(BC_BOUNCES_UNATTRIBUTED);
		}
		break;
	}
	}
}

#endif
