/* Network path, in the kernel: per-packet state keyed by the skb address in
 * a bounded LRU, stage events from the net/skb/napi/irq tracepoints and the
 * driver probes, aggregates (stage-pair histograms, path length, signatures,
 * exits charged) kept in maps so userspace only reads them. Which exit is a
 * packet's is decided in paths/charge.h (net_charge_pkt, net_charge_refill).
 * Included by iopath.bpf.c. */
#ifndef IOPATH_BPF_NET_H
#define IOPATH_BPF_NET_H
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "iopath.h"
#include "lib/maps.h"
#include "lib/hist.h"
#include "lib/path.h"
#include "lib/sample.h"

#define NET_MAX_PKTS 32768

const volatile bool net_on = false;
const volatile struct net_opts net_opts = { .queue = -1, .dir = -1 };

/* struct net_pkt: include/iopath_net.h */

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, NET_MAX_PKTS);
	__type(key, u64);
	__type(value, struct net_pkt);
} pkts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct net_key);
	__type(value, struct net_agg);
} net_agg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct net_pair_key);
	__type(value, struct net_hist);
} net_hist SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 2048);
	__type(key, struct net_sig_key);
	__type(value, struct net_sig_val);
} net_sig SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, u32);
	__type(value, struct irq_map_val);
} irq_map SEC(".maps");

/* sampled full paths (lib/sample.h: a perf buffer where the kernel has no ring buffer) */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} net_paths SEC(".maps");
_Static_assert(sizeof(struct net_path_rec) <= SAMPLE_SCRATCH_BYTES, "a sample outgrows lib/sample.h's scratch");

/* Per-CPU perf counters (instructions where a PMU exists), opened by
 * userspace; read at stage boundaries. */
struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(u32));
	__uint(value_size, sizeof(u32));
	__uint(max_entries, 512);
} pmu_ctr SEC(".maps");

/* Per-CPU context: the packet whose driver scope we are in, the device of
 * the last interrupt and of the last received packet. */
struct net_cpu {
	u64 tx_skb;              /* between net_dev_start_xmit and net_dev_xmit */
	u64 stash_skb;           /* TX state set aside when the driver handed */
	struct net_pkt stash;        /* the skb to a peer's RX (veth, loopback)    */
	u64 irq_ts;
	struct net_key irq_k;
	struct net_key rx_k;     /* device queue of the last RX packet here */
	u32 refill_depth;        /* inside a refill function */
	u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct net_cpu);
} net_cpu SEC(".maps");

__u64 net_ctr[NC__COUNT] = {};
/* Zeroed initial value for net_agg inserts: too big for the 512-byte stack. */
const struct net_agg zero_agg = {};
__u64 net_bg_exits[EXK__COUNT] = {};  /* exits charged to nothing, --net on (paths/charge.h) */

static __always_inline struct net_cpu *this_cpu(void)
{
	u32 z = 0;

	return bpf_map_lookup_elem(&net_cpu, &z);
}

static __always_inline void ctr(int i)
{
	if (i >= 0 && i < NC__COUNT)
		__sync_fetch_and_add(&net_ctr[i], 1);
}

/* Fields of the skb and device a tracepoint hands over. In a tp_btf program the arguments
 * are typed (BTF), and the verifier lets it load their fields directly: a plain load the JIT
 * guards with an exception-table entry (v5.5, commit 9e15db66136a "bpf: Implement accurate
 * raw_tp context access via BTF"). A raw_tp argument is a number, and every field costs a
 * bpf_probe_read_kernel() call: 7-13 % of a net handler's time here (perf, 2026-12-02).
 * `btf` is a constant per program (tp_dispatch), so each program keeps one of the two. */
static __always_inline struct net_device *skb_dev(struct sk_buff *skb, bool btf)
{
	return btf ? skb->dev : BPF_CORE_READ(skb, dev);
}

static __always_inline void dev_ids(struct net_device *dev, struct net_key *k, bool btf)
{
	if (btf) {
		k->netns = dev->nd_net.net->ns.inum;
		k->ifindex = dev->ifindex;
	} else {
		k->netns = BPF_CORE_READ(dev, nd_net.net, ns.inum);
		k->ifindex = BPF_CORE_READ(dev, ifindex);
	}
}

static __always_inline u16 skb_queue(struct sk_buff *skb, bool btf)
{
	return btf ? skb->queue_mapping : BPF_CORE_READ(skb, queue_mapping);
}

static __always_inline void dev_key(struct sk_buff *skb, struct net_device *dev, struct net_key *k,
				    u8 dir, bool btf)
{
	u16 q = skb_queue(skb, btf);

	dev_ids(dev, k, btf);
	/* RX: skb_record_rx_queue() stores queue + 1 */
	k->queue = dir == DIR_RX ? (q ? q - 1 : 0) : q;
	k->dir = dir;
	k->pad = 0;
}

static __always_inline struct net_agg *agg_of(const struct net_key *k)
{
	return map_lookup_or_insert(&net_agg, k, &zero_agg, &net_ctr[NC_AGG_FULL]);
}

/* A queue's row is named once, by its first packet (or by a later one when the interrupt
 * handler made it nameless): the device name is read then, not per packet. */
static __always_inline void agg_name(struct net_agg *a, struct net_device *dev)
{
	if (!a->name[0])
		bpf_probe_read_kernel_str(a->name, sizeof(a->name), dev->name);
}

/* Does the packet pass the user's filters? Only asked when state is created. */
static __always_inline bool net_filter(struct sk_buff *skb, struct net_device *dev,
				       const struct net_key *k)
{
	if (net_opts.dir >= 0 && k->dir != net_opts.dir)
		return false;
	if (net_opts.queue >= 0 && k->queue != net_opts.queue)
		return false;
	if (net_opts.netns && k->netns != net_opts.netns)
		return false;
	if (net_opts.ifname[0]) {
		char name[16] = {};

		bpf_probe_read_kernel_str(name, sizeof(name), dev->name);
#pragma unroll
		for (int i = 0; i < 16; i++) {
			if (name[i] != net_opts.ifname[i])
				return false;
			if (!name[i])
				break;
		}
	}
	if (net_opts.pid) {
		if (k->dir != DIR_TX || (bpf_get_current_pid_tgid() >> 32) != net_opts.pid)
			return false;
	}
	if (net_opts.proto || net_opts.port) {
		unsigned char *head = BPF_CORE_READ(skb, head);
		u16 nh = BPF_CORE_READ(skb, network_header);
		u8 vihl = 0, proto = 0;
		u16 ports[2] = {};
		u32 l4;

		/* TX: headers are set by the stack. RX (before netif_receive_skb):
		 * skb->data is at the network header after eth_type_trans. */
		if (k->dir == DIR_RX)
			nh = BPF_CORE_READ(skb, data) - head;
		if (bpf_probe_read_kernel(&vihl, 1, head + nh))
			return false;
		if ((vihl >> 4) == 4) {
			bpf_probe_read_kernel(&proto, 1, head + nh + 9);
			l4 = nh + (vihl & 0xf) * 4;
		} else if ((vihl >> 4) == 6) {
			bpf_probe_read_kernel(&proto, 1, head + nh + 6);
			l4 = nh + 40;
		} else {
			return false;
		}
		if (net_opts.proto && proto != net_opts.proto)
			return false;
		if (net_opts.port) {
			if (proto != 6 && proto != 17)
				return false;
			bpf_probe_read_kernel(ports, 4, head + l4);
			if (bpf_ntohs(ports[0]) != net_opts.port && bpf_ntohs(ports[1]) != net_opts.port)
				return false;
		}
	}
	return true;
}

/* A packet's state from its first event; *ap: its queue's row (NULL when there is none).
 * slot: the map entry of the same skb's previous life, to rewrite in place (a TX packet veth
 * or loopback hands to the peer's RX, an RX packet forwarded); NULL: a new entry. See struct
 * net_pkt. */
static __always_inline struct net_pkt *pkt_new(u64 skbaddr, struct sk_buff *skb, u8 dir, u64 now,
					   struct net_pkt *slot, struct net_agg **ap, bool btf)
{
	struct net_device *dev = skb_dev(skb, btf);
	struct net_pkt p = {};
	struct net_agg *a;

	*ap = NULL;
	dev_key(skb, dev, &p.k, dir, btf);
	if (!net_filter(skb, dev, &p.k)) {
		ctr(NC_FILTERED);
		if (slot)        /* the previous life ended, and this one is not ours */
			bpf_map_delete_elem(&pkts, &skbaddr);
		return NULL;
	}
	p.t_first = p.t_prev = now;
	p.prev_stage = 0xff;
	p.sig = PATH_SIG_SEED;
	p.bytes = btf ? skb->len : BPF_CORE_READ(skb, len);
	if (slot) {
		__builtin_memcpy(slot, &p, sizeof(p));
	} else {
		if (bpf_map_update_elem(&pkts, &skbaddr, &p, BPF_ANY)) {
			ctr(NC_STATE_FULL);
			return NULL;
		}
		slot = bpf_map_lookup_elem(&pkts, &skbaddr);
	}
	ctr(NC_STARTED);
	a = agg_of(&p.k);
	if (a) {
		agg_name(a, dev);
		__sync_fetch_and_add(&a->started, 1);
		__sync_fetch_and_add(&a->bytes, p.bytes);
	}
	*ap = a;
	return slot;
}

/* One event of a packet's path: a stage (or NS__COUNT for a hit that is not
 * a stage, such as a driver helper), from probe point `id`, at `ts`. a: the
 * packet's queue row when the caller has it (one hash lookup per hook, not
 * one per call), else NULL and it is looked up here when needed. */
static __always_inline void pkt_event(struct net_pkt *p, u8 stage, u32 id, u64 ts, struct net_agg *a)
{
	path_step(&p->hits, &p->sig, p->ids, p->dt, id, ts - p->t_first);
	if (stage >= NS__COUNT)
		return;
	if (!a)
		a = agg_of(&p->k);
	if (a)
		__sync_fetch_and_add(&a->stage[stage], 1);
	if (p->prev_stage < NS__COUNT && p->prev_stage != stage) {
		struct net_pair_key pk = { .k = p->k, .from = p->prev_stage, .to = stage };

		hist_add(&net_hist, &pk, ts >= p->t_prev ? ts - p->t_prev : 0, &net_ctr[NC_HIST_FULL]);
	}
	if (net_opts.counter) {
		struct bpf_perf_event_value v = {};
		u32 cpu = bpf_get_smp_processor_id() + 1;

		if (!bpf_perf_event_read_value(&pmu_ctr, BPF_F_CURRENT_CPU, &v, sizeof(v))) {
			/* only a same-CPU pair is a meaningful difference */
			if (p->ctr_cpu == cpu && v.counter >= p->ctr_prev && a) {
				__sync_fetch_and_add(&a->ctr_sum[stage], v.counter - p->ctr_prev);
				__sync_fetch_and_add(&a->ctr_n[stage], 1);
			}
			p->ctr_prev = v.counter;
			p->ctr_cpu = cpu;
		} else {
			p->ctr_cpu = 0;
			ctr(NC_CTR_READ);
		}
	}
	p->prev_stage = stage;
	p->t_prev = ts;
}

/* The end of a packet's life (a: its queue row, or NULL to look it up); del: its map entry
 * is deleted (false: the caller rewrites it for the skb's next life, or p is the stash). */
static __always_inline void pkt_end(void *ctx, u64 skbaddr, struct net_pkt *p, bool dropped,
				    bool del, struct net_agg *a)
{
	u64 total = p->t_prev - p->t_first;
	struct net_sig_key sk = { .netns = p->k.netns, .ifindex = p->k.ifindex, .sig = p->sig,
				  .dir = p->k.dir };
	u64 n;

	if (!a)
		a = agg_of(&p->k);
	ctr(NC_ENDED);
	if (a) {
		u32 l = p->hits < NET_LEN_SLOTS ? p->hits : NET_LEN_SLOTS - 1;
		u32 s = log2_slot(total);

		/* not n = __sync_fetch_and_add(): a fetching atomic (BPF_FETCH) came in v5.12
		 * (commit 5ca419f2864a "bpf: Add BPF_FETCH field / create atomic_fetch_add
		 * instruction") and 5.10's verifier refuses the whole program. n only picks which
		 * paths are sampled: two CPUs may read the same n, and one more or fewer path in
		 * sample_every is sampled then (the totals are the atomic counters). */
		n = a->ended;
		__sync_fetch_and_add(&a->ended, 1);
		__sync_fetch_and_add(&a->len_hist[l & (NET_LEN_SLOTS - 1)], 1);
		__sync_fetch_and_add(&a->len_sum, p->hits);
		__sync_fetch_and_add(&a->total_hist[s & (NET_HIST_SLOTS - 1)], 1);
		__sync_fetch_and_add(&a->total_sum_ns, total);
		if (dropped)
			__sync_fetch_and_add(&a->drops, 1);
#pragma unroll
		for (int i = 0; i < EXK__COUNT; i++)
			if (p->exits[i])
				__sync_fetch_and_add(&a->exits[i], p->exits[i]);
	} else {
		n = 0;
	}
	path_sig_count(&net_sig, &sk, p->hits, p->ids, total, &net_ctr[NC_SIG_FULL]);
	if (net_opts.sample_every && n % net_opts.sample_every == 0) {
		struct net_path_rec *r = sample_reserve(&net_paths, sizeof(*r));

		if (!r) {
			ctr(NC_RB_DROP);
		} else {
			r->k = p->k;
			/* the queue row's name: a packet does not carry its own */
			if (a)
				__builtin_memcpy(r->name, a->name, 16);
			else
				__builtin_memset(r->name, 0, 16);
			r->len = p->hits;
			__builtin_memcpy(r->ids, p->ids, sizeof(r->ids));
			__builtin_memcpy(r->dt_ns, p->dt, sizeof(r->dt_ns));
			if (sample_submit(ctx, &net_paths, r, sizeof(*r)) < 0)
				ctr(NC_RB_DROP);
			else
				ctr(NC_SAMPLED);
		}
	}
	if (del)
		bpf_map_delete_elem(&pkts, &skbaddr);
}

/* --- tracepoint handlers (called with the point id of the tracepoint; btf: a tp_btf
 * program, whose skb is typed, see skb_dev) --- */

static __always_inline void net_tx_stage(void *ctx, struct sk_buff *skb, u8 stage, u32 id,
					 bool create, bool btf)
{
	u64 a = (u64)skb, now = bpf_ktime_get_ns();
	struct net_pkt *p = bpf_map_lookup_elem(&pkts, &a);
	struct net_agg *ag = NULL;

	if (p && p->k.dir == DIR_RX && stage == NS_QUEUE) {
		/* forwarded after receive: the RX life ends, a TX one starts in its entry */
		pkt_end(ctx, a, p, false, false, NULL);
		p = pkt_new(a, skb, DIR_TX, now, p, &ag, btf);
	} else if (p && p->k.dir == DIR_RX) {
		return;          /* not ours: the skb lives on as RX (see stash) */
	} else if (!p && create) {
		p = pkt_new(a, skb, DIR_TX, now, NULL, &ag, btf);
	}
	if (!p)
		return;
	if (stage == NS_START_XMIT) {
		/* the queue is final once the driver is about to be called */
		u16 q = skb_queue(skb, btf);

		if (q != p->k.queue) {
			p->k.queue = q;
			ag = NULL;       /* another queue's row */
		}
	}
	pkt_event(p, stage, id, now, ag);
}

static __always_inline void net_on_start_xmit(void *ctx, struct sk_buff *skb, u32 id, bool btf)
{
	struct net_cpu *c = this_cpu();

	net_tx_stage(ctx, skb, NS_START_XMIT, id, true, btf);
	if (c)
		c->tx_skb = (u64)skb;
}

static __always_inline void net_on_xmit(void *ctx, struct sk_buff *skb, u32 id, bool btf)
{
	struct net_cpu *c = this_cpu();

	if (c && c->stash_skb == (u64)skb) {
		/* the driver handed this skb to a peer inside its xmit: finish
		 * the TX life set aside then */
		struct net_agg *ag = agg_of(&c->stash.k);

		pkt_event(&c->stash, NS_XMIT_DONE, id, bpf_ktime_get_ns(), ag);
		pkt_end(ctx, (u64)skb, &c->stash, false, false, ag);
		c->stash_skb = 0;
	} else {
		net_tx_stage(ctx, skb, NS_XMIT_DONE, id, false, btf);
	}
	if (c)
		c->tx_skb = 0;
}

/* The skb of a TX packet shows up on an RX path. Inside that packet's own
 * driver scope (veth/loopback xmit calls netif_rx) the TX life is set aside
 * until net_dev_xmit; otherwise it ends here. Either way its map entry stays,
 * for the RX life to reuse (pkt_new's slot). */
static __always_inline void tx_handoff(void *ctx, struct net_cpu *c, u64 a, struct net_pkt *p,
				       u32 id, u64 now)
{
	struct net_agg *ag = agg_of(&p->k);

	pkt_event(p, NS_TX_DONE, id, now, ag);
	if (c && c->tx_skb == a && !c->stash_skb) {
		__builtin_memcpy(&c->stash, p, sizeof(*p));
		c->stash_skb = a;
	} else {
		pkt_end(ctx, a, p, false, false, ag);
	}
}

static __always_inline void net_on_free(void *ctx, struct sk_buff *skb, u32 id, bool drop)
{
	u64 a = (u64)skb;
	struct net_pkt *p = bpf_map_lookup_elem(&pkts, &a);
	struct net_agg *ag;

	if (!p)
		return;
	ag = agg_of(&p->k);
	pkt_event(p, p->k.dir == DIR_TX ? NS_TX_DONE : NS__COUNT, id, bpf_ktime_get_ns(), ag);
	pkt_end(ctx, a, p, drop, true, ag);
}

/* netif_rx / napi_gro_receive_entry / a driver RX probe with the skb. */
static __always_inline void net_on_rx(void *ctx, struct sk_buff *skb, u32 id, bool btf)
{
	u64 a = (u64)skb, now = bpf_ktime_get_ns();
	struct net_pkt *slot = NULL, *p = bpf_map_lookup_elem(&pkts, &a);
	struct net_cpu *c = this_cpu();
	struct net_agg *ag;

	if (p && p->k.dir == DIR_TX) {
		/* veth / loopback hand the same skb to the peer's RX */
		tx_handoff(ctx, c, a, p, id, now);
		slot = p;
	} else if (p) {          /* a second RX event (driver probe, then GRO) */
		pkt_event(p, NS__COUNT, id, now, NULL);
		return;
	}
	p = pkt_new(a, skb, DIR_RX, now, slot, &ag, btf);
	if (!p)
		return;
	if (c) {
		/* the interrupt that brought it, if it was this device's and recent */
		if (c->irq_ts && c->irq_k.netns == p->k.netns && c->irq_k.ifindex == p->k.ifindex &&
		    now - c->irq_ts < 100000000ull) {
			p->t_first = c->irq_ts;
			pkt_event(p, NS_IRQ, 0, c->irq_ts, ag);
		}
		c->rx_k = p->k;
	}
	pkt_event(p, NS_RX, id, now, ag);
}

static __always_inline void net_on_receive(void *ctx, struct sk_buff *skb, u32 id, bool btf)
{
	u64 a = (u64)skb, now = bpf_ktime_get_ns();
	struct net_pkt *slot = NULL, *p = bpf_map_lookup_elem(&pkts, &a);
	struct net_agg *ag = NULL;

	if (p && p->k.dir == DIR_TX) {
		tx_handoff(ctx, this_cpu(), a, p, id, now);
		slot = p;
		p = NULL;
	}
	if (!p)
		p = pkt_new(a, skb, DIR_RX, now, slot, &ag, btf);
	if (!p)
		return;
	pkt_event(p, NS_RECEIVE, id, now, ag);
	pkt_end(ctx, a, p, false, true, ag);
}

static __always_inline void net_on_irq(int irq)
{
	u32 key = irq;
	struct irq_map_val *m = bpf_map_lookup_elem(&irq_map, &key);
	struct net_cpu *c;
	struct net_agg *a;

	if (!m) {
		ctr(NC_IRQ_UNMAPPED);
		return;
	}
	a = agg_of(&m->k);
	if (a)
		__sync_fetch_and_add(&a->irqs, 1);
	c = this_cpu();
	if (c) {
		c->irq_ts = bpf_ktime_get_ns();
		c->irq_k = m->k;
	}
}

static __always_inline void net_on_napi_poll(struct napi_struct *napi, int work, bool btf)
{
	struct net_device *dev = btf ? napi->dev : BPF_CORE_READ(napi, dev);
	struct net_cpu *c = this_cpu();
	struct net_key k = {};
	struct net_agg *a;

	if (!dev)
		return;
	dev_ids(dev, &k, btf);
	k.dir = DIR_RX;
	/* NAPI has no queue index: the queue of the last packet received on
	 * this CPU from this device, which the poll just delivered. */
	if (c && c->rx_k.ifindex == k.ifindex && c->rx_k.netns == k.netns)
		k.queue = c->rx_k.queue;
	a = bpf_map_lookup_elem(&net_agg, &k);
	if (!a)
		return;          /* a device none of whose packets we track */
	__sync_fetch_and_add(&a->polls, 1);
	__sync_fetch_and_add(&a->poll_work, work);
}

/* --- driver function points (from the generic kprobe/fentry handlers) --- */

/* An exit (kind) from point id inside the driver scope of a tracked TX
 * packet (net_dev_start_xmit .. net_dev_xmit on this CPU): the packet's, and
 * its first notify is its NS_NOTIFY stage. False when there is none.
 * Called from charge_exit() (paths/charge.h). */
static __always_inline bool net_charge_pkt(u32 id, int kind)
{
	struct net_cpu *c = this_cpu();
	struct net_pkt *p;
	u64 a;

	if (!c || !c->tx_skb)
		return false;
	a = c->tx_skb;
	p = bpf_map_lookup_elem(&pkts, &a);
	if (!p)
		return false;
	if (!p->exits[EXK_NOTIFY] && kind == EXK_NOTIFY)
		pkt_event(p, NS_NOTIFY, id, bpf_ktime_get_ns(), NULL);
	else
		pkt_event(p, NS__COUNT, id, bpf_ktime_get_ns(), NULL);
	if ((unsigned)kind < EXK__COUNT)   /* the check right at the access, for the verifier */
		p->exits[kind]++;
	return true;
}

/* An exit (kind) inside an RX refill function (ROLE_REFILL scope): the
 * device queue last received on, on this CPU, whose buffers it refills.
 * False when there is none. Called from charge_exit() (paths/charge.h). */
static __always_inline bool net_charge_refill(int kind)
{
	struct net_cpu *c = this_cpu();
	struct net_agg *ag;

	if (!c || !c->refill_depth || !c->rx_k.ifindex)
		return false;
	ag = bpf_map_lookup_elem(&net_agg, &c->rx_k);
	if (!ag)
		return false;
	if ((unsigned)kind < EXK__COUNT)
		__sync_fetch_and_add(&ag->exits[kind], 1);
	return true;
}

static __always_inline void net_func(u32 id, const struct iop_point_cfg *cfg, bool ret, u64 id_argv)
{
	struct net_cpu *c;

	if (!net_on || !cfg)
		return;
	if (cfg->role == ROLE_REFILL) {
		c = this_cpu();
		if (c) {
			if (!ret)
				c->refill_depth++;
			else if (c->refill_depth)
				c->refill_depth--;
		}
		return;
	}
	/* exits: charge_exit() (paths/charge.h) */
	if (ret || cfg->path == PATH_EXIT)
		return;
	if (cfg->ident == IDENT_SKB && id_argv) {
		u64 a = id_argv;
		struct net_pkt *p = bpf_map_lookup_elem(&pkts, &a);

		if (!p)
			return;
		pkt_event(p, cfg->role == ROLE_XMIT && p->k.dir == DIR_TX ? NS_DRV_XMIT : NS__COUNT,
			  id, bpf_ktime_get_ns(), NULL);
	}
}

#endif
