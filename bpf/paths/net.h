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

#define NET_MAX_PKTS 32768

const volatile bool net_on = false;
const volatile struct net_opts net_opts = { .queue = -1, .dir = -1 };

struct pkt {
	struct net_key k;
	char name[16];
	u64 t_first, t_prev;
	u64 ctr_prev;            /* counter value at the previous stage */
	u32 ctr_cpu;             /* CPU it was read on (+1; 0 = none) */
	u32 sig;
	u32 bytes;
	u16 hits;
	u8 prev_stage;
	u8 sampled;
	u16 exits[EXK__COUNT];
	u16 ids[NET_SIG_IDS];
	u32 dt[NET_SIG_IDS];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, NET_MAX_PKTS);
	__type(key, u64);
	__type(value, struct pkt);
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

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} net_paths SEC(".maps");

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
	struct pkt stash;        /* the skb to a peer's RX (veth, loopback)    */
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

static __always_inline void dev_key(struct sk_buff *skb, struct net_key *k, char *name, u8 dir)
{
	struct net_device *dev = BPF_CORE_READ(skb, dev);
	u16 q = BPF_CORE_READ(skb, queue_mapping);

	k->netns = BPF_CORE_READ(dev, nd_net.net, ns.inum);
	k->ifindex = BPF_CORE_READ(dev, ifindex);
	/* RX: skb_record_rx_queue() stores queue + 1 */
	k->queue = dir == DIR_RX ? (q ? q - 1 : 0) : q;
	k->dir = dir;
	k->pad = 0;
	bpf_probe_read_kernel_str(name, 16, dev->name);
}

static __always_inline struct net_agg *agg_of(const struct net_key *k, const char *name)
{
	struct net_agg *a = map_lookup_or_insert(&net_agg, k, &zero_agg, &net_ctr[NC_AGG_FULL]);

	/* new, or made nameless by the interrupt handler: name it now */
	if (a && name && !a->name[0])
		__builtin_memcpy(a->name, name, 16);
	return a;
}

/* Does the packet pass the user's filters? Only asked when state is created. */
static __always_inline bool net_filter(struct sk_buff *skb, const struct net_key *k,
				       const char *name)
{
	if (net_opts.dir >= 0 && k->dir != net_opts.dir)
		return false;
	if (net_opts.queue >= 0 && k->queue != net_opts.queue)
		return false;
	if (net_opts.netns && k->netns != net_opts.netns)
		return false;
	if (net_opts.ifname[0]) {
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

static __always_inline struct pkt *pkt_new(u64 skbaddr, struct sk_buff *skb, u8 dir, u64 now)
{
	struct pkt p = {};

	dev_key(skb, &p.k, p.name, dir);
	if (!net_filter(skb, &p.k, p.name)) {
		ctr(NC_FILTERED);
		return NULL;
	}
	p.t_first = p.t_prev = now;
	p.prev_stage = 0xff;
	p.sig = PATH_SIG_SEED;
	p.bytes = BPF_CORE_READ(skb, len);
	if (bpf_map_update_elem(&pkts, &skbaddr, &p, BPF_ANY)) {
		ctr(NC_STATE_FULL);
		return NULL;
	}
	ctr(NC_STARTED);
	{
		struct net_agg *a = agg_of(&p.k, p.name);

		if (a) {
			__sync_fetch_and_add(&a->started, 1);
			__sync_fetch_and_add(&a->bytes, p.bytes);
		}
	}
	return bpf_map_lookup_elem(&pkts, &skbaddr);
}

/* One event of a packet's path: a stage (or NS__COUNT for a hit that is not
 * a stage, such as a driver helper), from probe point `id`, at `ts`. */
static __always_inline void pkt_event(struct pkt *p, u8 stage, u32 id, u64 ts)
{
	path_step(&p->hits, &p->sig, p->ids, p->dt, id, ts - p->t_first);
	if (stage >= NS__COUNT)
		return;
	{
		struct net_agg *a = agg_of(&p->k, p->name);

		if (a)
			__sync_fetch_and_add(&a->stage[stage], 1);
	}
	if (p->prev_stage < NS__COUNT && p->prev_stage != stage) {
		struct net_pair_key pk = { .k = p->k, .from = p->prev_stage, .to = stage };

		hist_add(&net_hist, &pk, ts >= p->t_prev ? ts - p->t_prev : 0, &net_ctr[NC_HIST_FULL]);
	}
	if (net_opts.counter) {
		struct bpf_perf_event_value v = {};
		u32 cpu = bpf_get_smp_processor_id() + 1;

		if (!bpf_perf_event_read_value(&pmu_ctr, BPF_F_CURRENT_CPU, &v, sizeof(v))) {
			/* only a same-CPU pair is a meaningful difference */
			if (p->ctr_cpu == cpu && v.counter >= p->ctr_prev) {
				struct net_agg *a = agg_of(&p->k, p->name);

				if (a) {
					__sync_fetch_and_add(&a->ctr_sum[stage], v.counter - p->ctr_prev);
					__sync_fetch_and_add(&a->ctr_n[stage], 1);
				}
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

static __always_inline void pkt_end(u64 skbaddr, struct pkt *p, bool dropped, bool del)
{
	struct net_agg *a = agg_of(&p->k, p->name);
	u64 total = p->t_prev - p->t_first;
	struct net_sig_key sk = { .netns = p->k.netns, .ifindex = p->k.ifindex, .sig = p->sig,
				  .dir = p->k.dir };
	u64 n;

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
		struct net_path_rec *r = bpf_ringbuf_reserve(&net_paths, sizeof(*r), 0);

		if (!r) {
			ctr(NC_RB_DROP);
		} else {
			r->k = p->k;
			__builtin_memcpy(r->name, p->name, 16);
			r->len = p->hits;
			__builtin_memcpy(r->ids, p->ids, sizeof(r->ids));
			__builtin_memcpy(r->dt_ns, p->dt, sizeof(r->dt_ns));
			bpf_ringbuf_submit(r, 0);
			ctr(NC_SAMPLED);
		}
	}
	if (del)
		bpf_map_delete_elem(&pkts, &skbaddr);
}

/* --- tracepoint handlers (called with the point id of the tracepoint) --- */

static __always_inline void net_tx_stage(struct sk_buff *skb, u8 stage, u32 id, bool create)
{
	u64 a = (u64)skb, now = bpf_ktime_get_ns();
	struct pkt *p = bpf_map_lookup_elem(&pkts, &a);

	if (p && p->k.dir == DIR_RX && stage == NS_QUEUE) {
		/* forwarded after receive: the RX life ends, a TX one starts */
		pkt_end(a, p, false, true);
		p = NULL;
	}
	if (p && p->k.dir == DIR_RX)
		return;          /* not ours: the skb lives on as RX (see stash) */
	if (!p && create)
		p = pkt_new(a, skb, DIR_TX, now);
	if (!p)
		return;
	if (stage == NS_START_XMIT) {
		/* the queue is final once the driver is about to be called */
		p->k.queue = BPF_CORE_READ(skb, queue_mapping);
	}
	pkt_event(p, stage, id, now);
}

static __always_inline void net_on_start_xmit(struct sk_buff *skb, u32 id)
{
	struct net_cpu *c = this_cpu();

	net_tx_stage(skb, NS_START_XMIT, id, true);
	if (c)
		c->tx_skb = (u64)skb;
}

static __always_inline void net_on_xmit(struct sk_buff *skb, u32 id)
{
	struct net_cpu *c = this_cpu();

	if (c && c->stash_skb == (u64)skb) {
		/* the driver handed this skb to a peer inside its xmit: finish
		 * the TX life set aside then */
		pkt_event(&c->stash, NS_XMIT_DONE, id, bpf_ktime_get_ns());
		pkt_end((u64)skb, &c->stash, false, false);
		c->stash_skb = 0;
	} else {
		net_tx_stage(skb, NS_XMIT_DONE, id, false);
	}
	if (c)
		c->tx_skb = 0;
}

/* The skb of a TX packet shows up on an RX path. Inside that packet's own
 * driver scope (veth/loopback xmit calls netif_rx) the TX life is set aside
 * until net_dev_xmit; otherwise it ends here. */
static __always_inline void tx_handoff(struct net_cpu *c, u64 a, struct pkt *p, u32 id, u64 now)
{
	pkt_event(p, NS_TX_DONE, id, now);
	if (c && c->tx_skb == a && !c->stash_skb) {
		__builtin_memcpy(&c->stash, p, sizeof(*p));
		c->stash_skb = a;
		bpf_map_delete_elem(&pkts, &a);
	} else {
		pkt_end(a, p, false, true);
	}
}

static __always_inline void net_on_free(struct sk_buff *skb, u32 id, bool drop)
{
	u64 a = (u64)skb;
	struct pkt *p = bpf_map_lookup_elem(&pkts, &a);

	if (!p)
		return;
	pkt_event(p, p->k.dir == DIR_TX ? NS_TX_DONE : NS__COUNT, id, bpf_ktime_get_ns());
	pkt_end(a, p, drop, true);
}

/* netif_rx / napi_gro_receive_entry / a driver RX probe with the skb. */
static __always_inline void net_on_rx(struct sk_buff *skb, u32 id)
{
	u64 a = (u64)skb, now = bpf_ktime_get_ns();
	struct pkt *p = bpf_map_lookup_elem(&pkts, &a);
	struct net_cpu *c = this_cpu();

	if (p && p->k.dir == DIR_TX) {
		/* veth / loopback hand the same skb to the peer's RX */
		tx_handoff(c, a, p, id, now);
		p = NULL;
	}
	if (p) {                 /* a second RX event (driver probe, then GRO) */
		pkt_event(p, NS__COUNT, id, now);
		return;
	}
	p = pkt_new(a, skb, DIR_RX, now);
	if (!p)
		return;
	if (c) {
		/* the interrupt that brought it, if it was this device's and recent */
		if (c->irq_ts && c->irq_k.netns == p->k.netns && c->irq_k.ifindex == p->k.ifindex &&
		    now - c->irq_ts < 100000000ull) {
			p->t_first = c->irq_ts;
			pkt_event(p, NS_IRQ, 0, c->irq_ts);
		}
		c->rx_k = p->k;
	}
	pkt_event(p, NS_RX, id, now);
}

static __always_inline void net_on_receive(struct sk_buff *skb, u32 id)
{
	u64 a = (u64)skb, now = bpf_ktime_get_ns();
	struct pkt *p = bpf_map_lookup_elem(&pkts, &a);

	if (p && p->k.dir == DIR_TX) {
		tx_handoff(this_cpu(), a, p, id, now);
		p = NULL;
	}
	if (!p)
		p = pkt_new(a, skb, DIR_RX, now);
	if (!p)
		return;
	pkt_event(p, NS_RECEIVE, id, now);
	pkt_end(a, p, false, true);
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
	a = agg_of(&m->k, NULL);
	if (a)
		__sync_fetch_and_add(&a->irqs, 1);
	c = this_cpu();
	if (c) {
		c->irq_ts = bpf_ktime_get_ns();
		c->irq_k = m->k;
	}
}

static __always_inline void net_on_napi_poll(struct napi_struct *napi, int work)
{
	struct net_device *dev = BPF_CORE_READ(napi, dev);
	struct net_cpu *c = this_cpu();
	struct net_key k = {};
	struct net_agg *a;

	if (!dev)
		return;
	k.netns = BPF_CORE_READ(dev, nd_net.net, ns.inum);
	k.ifindex = BPF_CORE_READ(dev, ifindex);
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
	struct pkt *p;
	u64 a;

	if (!c || !c->tx_skb)
		return false;
	a = c->tx_skb;
	p = bpf_map_lookup_elem(&pkts, &a);
	if (!p)
		return false;
	if (!p->exits[EXK_NOTIFY] && kind == EXK_NOTIFY)
		pkt_event(p, NS_NOTIFY, id, bpf_ktime_get_ns());
	else
		pkt_event(p, NS__COUNT, id, bpf_ktime_get_ns());
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
		struct pkt *p = bpf_map_lookup_elem(&pkts, &a);

		if (!p)
			return;
		pkt_event(p, cfg->role == ROLE_XMIT && p->k.dir == DIR_TX ? NS_DRV_XMIT : NS__COUNT,
			  id, bpf_ktime_get_ns());
	}
}

#endif
