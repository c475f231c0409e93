/* Network path: per-packet state and in-kernel aggregates shared by the BPF
 * side (bpf/paths/net.h) and userspace (user/report/net_report.c). */
#ifndef IOPATH_NET_H
#define IOPATH_NET_H

/* Stages a packet passes. TX: qdisc enqueue -> driver entry (tracepoint and,
 * where a driver probe attaches, the driver's own xmit) -> first notify /
 * doorbell -> driver return -> completion (free, or handoff to the peer of a
 * veth/loopback). RX: device interrupt (per-CPU, matched by device) -> driver
 * hands the skb up (GRO entry / netif_rx / driver rx probe) -> stack delivery. */
enum iop_net_stage {
	NS_QUEUE = 0,      /* net:net_dev_queue */
	NS_START_XMIT,     /* net:net_dev_start_xmit */
	NS_DRV_XMIT,       /* driver xmit function (fentry/kprobe) */
	NS_NOTIFY,         /* first notify/doorbell inside the xmit scope */
	NS_XMIT_DONE,      /* net:net_dev_xmit */
	NS_TX_DONE,        /* consume_skb / kfree_skb / handoff to RX */
	NS_IRQ,            /* device interrupt that led to this packet */
	NS_RX,             /* napi_gro_receive_entry / netif_rx / driver rx */
	NS_RECEIVE,        /* net:netif_receive_skb */
	NS__COUNT
};

enum iop_dir { DIR_TX = 0, DIR_RX = 1 };

#define NET_HIST_SLOTS 32          /* log2(ns) buckets */
#define NET_LEN_SLOTS  32          /* path length (probe hits), linear, last = overflow */
#define NET_SIG_IDS    16          /* point ids kept per signature */
#define NET_EXIT_KINDS 8           /* see enum iop_exit_kind */

enum iop_exit_kind {
	EXK_NOTIFY = 0,    /* event-channel send / virtio kick / emulated doorbell */
	EXK_IPI,
	EXK_TIMER,
	EXK_HALT,
	EXK_UNMASK,        /* upper bound: may exit */
	EXK_HYPERCALL,     /* other hypercall sites */
	EXK_OTHER,
	EXK__COUNT
};

/* The exit kind a point's role counts (points on PATH_EXIT): one mapping for the BPF side
 * (bpf net exit_kind) and the user side (which kinds a recording measured). */
#define IOP_EXIT_KIND_OF_ROLE(role)                                                     \
	((role) == ROLE_NOTIFY ? EXK_NOTIFY : (role) == ROLE_IPI ? EXK_IPI :            \
	 (role) == ROLE_TIMER ? EXK_TIMER : (role) == ROLE_HALT ? EXK_HALT :            \
	 (role) == ROLE_UNMASK ? EXK_UNMASK : (role) == ROLE_HYPERCALL ? EXK_HYPERCALL : \
	 EXK_OTHER)

/* A device queue in one direction. netns disambiguates ifindex. */
struct net_key {
	unsigned int netns;
	unsigned int ifindex;
	unsigned short queue;
	unsigned char dir;
	unsigned char pad;
};

struct net_agg {
	char name[16];
	unsigned long long started;            /* packets whose state was created */
	unsigned long long ended;              /* reached their last stage */
	unsigned long long stage[NS__COUNT];   /* packets that reached each stage */
	unsigned long long len_hist[NET_LEN_SLOTS];
	unsigned long long len_sum;
	unsigned long long total_hist[NET_HIST_SLOTS]; /* first -> last stage, ns */
	unsigned long long total_sum_ns;
	unsigned long long exits[EXK__COUNT];  /* charged to packets of this queue */
	unsigned long long irqs;               /* device interrupts for this queue */
	unsigned long long polls, poll_work;   /* NAPI polls and packets they did */
	unsigned long long drops;              /* kfree_skb of a tracked packet */
	unsigned long long bytes;
	/* Counter (instructions, or the event chosen) between consecutive
	 * stages on the same CPU, summed per destination stage, and how many
	 * such same-CPU stage pairs there were. Zero without a counter. */
	unsigned long long ctr_sum[NS__COUNT];
	unsigned long long ctr_n[NS__COUNT];
};

/* A packet's state, keyed by its skb's address in the bpf side's LRU map pkts: made at the
 * packet's first event, deleted when its life ends. When the same skb starts another life
 * (veth and loopback hand a TX skb to the peer's RX; a received skb is forwarded) the entry is
 * rewritten in place: one LRU insert and one delete fewer (~70 and ~65 ns here, perf
 * 2026-12-02). Entries marked done for reuse by the next skb at a recycled address were tried
 * and dropped: consume_skb, which sees every freed skb, then found a done entry last written
 * on the other CPU, and its cost went from 74 to 218 ns, more than the inserts it saved. */
struct net_pkt {
	struct net_key k;
	unsigned long long t_first, t_prev;
	unsigned long long ctr_prev;   /* counter value at the previous stage */
	unsigned int ctr_cpu;          /* CPU it was read on (+1; 0 = none) */
	unsigned int sig;
	unsigned int bytes;
	unsigned short hits;
	unsigned char prev_stage;
	unsigned char pad;
	unsigned short exits[EXK__COUNT];
	unsigned short ids[NET_SIG_IDS];
	unsigned int dt[NET_SIG_IDS];
};

/* Stage-pair latency histogram: from -> to, per device queue. */
struct net_pair_key {
	struct net_key k;
	unsigned char from, to;
	unsigned char pad[2];
};

struct net_hist {
	unsigned long long count, sum_ns;
	unsigned long long slots[NET_HIST_SLOTS];
};

/* A path signature: the ordered point ids a packet's events came from. */
struct net_sig_key {
	unsigned int netns;
	unsigned int ifindex;
	unsigned int sig;
	unsigned char dir;
	unsigned char pad[3];
};

struct net_sig_val {
	unsigned long long count, lat_sum_ns;
	unsigned int len;
	unsigned short ids[NET_SIG_IDS];
};

/* Exits outside any packet's scope, by kind (array map, index = kind). */

/* Global counters (array in .bss). */
enum iop_net_ctr {
	NC_STARTED = 0,
	NC_ENDED,
	NC_AGG_FULL,       /* net_agg map full: packet not aggregated */
	NC_HIST_FULL,
	NC_SIG_FULL,
	NC_STATE_FULL,     /* update of the per-packet LRU failed */
	NC_RB_DROP,        /* sampled path lost: ring buffer full */
	NC_SAMPLED,
	NC_FILTERED,       /* stage hits of packets a filter skips (each stage asks again) */
	NC_IRQ_UNMAPPED,   /* interrupts of no known NIC queue */
	NC_CTR_READ,       /* perf counter read failed at a stage */
	NC__COUNT
};

/* Userspace-written filter and options (rodata). */
struct net_opts {
	char ifname[16];          /* "" = every interface */
	int queue;                /* -1 = every queue */
	int dir;                  /* -1 = both */
	int proto;                /* 0 = any; IPPROTO_UDP / IPPROTO_TCP */
	int port;                 /* 0 = any; source or destination */
	unsigned int pid;         /* 0 = any (TX: the sending task) */
	unsigned int netns;       /* 0 = any; else the network namespace's inode (ns.inum) */
	unsigned int sample_every;/* sample 1 in N full paths into the ring buffer; 0 = none */
	unsigned int counter;     /* per-CPU perf counter in pmu_ctr to read at stages (0: none) */
};

/* A sampled full path (ring buffer record). */
struct net_path_rec {
	struct net_key k;
	char name[16];
	unsigned int len;
	unsigned short ids[NET_SIG_IDS];
	unsigned int dt_ns[NET_SIG_IDS];      /* time since the first event */
};

/* NIC interrupt line -> device queue (written by userspace from
 * /proc/interrupts + sysfs; the BPF side cannot name IRQs by itself). */
struct irq_map_val {
	struct net_key k;
};

#endif
