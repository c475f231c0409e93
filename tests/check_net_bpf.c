/* The per-packet state machine of the network path, driven in the real
 * kernel with BPF_PROG_TEST_RUN on the raw_tp handlers, pinned to one CPU.
 * Fake skb addresses are fine as map keys; the CO-RE reads through them
 * fail and read as zero (device key 0/0/0), which the assertions expect.
 * Needs root. */
#include "bpfrun.h"
#include "testutil.h"

#define NET_TPS                                                                            \
	{ NULL, "net:net_dev_queue", KIND_TP }, { NULL, "net:net_dev_start_xmit", KIND_TP }, \
	{ NULL, "net:net_dev_xmit", KIND_TP }, { NULL, "skb:consume_skb", KIND_TP },         \
	{ NULL, "skb:kfree_skb", KIND_TP }, { NULL, "net:netif_rx", KIND_TP },               \
	{ NULL, "net:netif_receive_skb", KIND_TP }
static const struct want_point tps[] = { NET_TPS };
#define NTP (sizeof(tps) / sizeof(tps[0]))

/* the same, and a driver whose xmit rings an emulated doorbell (e1000: PF_EMUL_IO), point NTP + 1 */
static const struct want_point drv[] = { NET_TPS, { "e1000", "e1000_xmit_frame", KIND_FUNC } };
#define NDRV (sizeof(drv) / sizeof(drv[0]))

static struct engine e;
static struct resolved pts[NDRV];
static struct kcaps caps;

static void load(const struct net_opts *no)
{
	bpf_load_points(&e, pts, tps, NTP, &caps, &(struct engine_opts){ .net = no });
}

/* Runs the raw_tp handler of tracepoint `name` once with args[0] = skb. */
static void ev(const char *name, __u64 skb)
{
	__u64 args[4] = { skb, 0, 0, 0 };

	bpf_run_rtp(e.skel->obj, name, args, 4, 0);
}

static struct net_agg agg(int dir)
{
	struct net_key k = { .dir = dir };
	struct net_agg a = {};

	BPF_MAP_GET(e.skel->maps.net_agg, k, a);
	return a;
}

static unsigned long long pair(int dir, int from, int to)
{
	struct net_pair_key pk = { .k = { .dir = dir }, .from = from, .to = to };
	struct net_hist h = {};

	BPF_MAP_GET(e.skel->maps.net_hist, pk, h);
	return h.count;
}

static int in_flight(void) { return bpf_map_keys(e.skel->maps.pkts); }

START_TEST(nic_tx_life)
{
	struct net_opts no = { .queue = -1, .dir = -1 };
	struct net_agg a;

	load(&no);
	/* a NIC: enqueue, driver call, driver returns, completion frees it */
	ev("net_dev_queue", 0x1000);
	ev("net_dev_start_xmit", 0x1000);
	ev("net_dev_xmit", 0x1000);
	ck_assert_int_eq(in_flight(), 1);          /* waits for its completion */
	ev("consume_skb", 0x1000);
	ck_assert_int_eq(in_flight(), 0);
	a = agg(DIR_TX);
	ck_assert_uint_eq(a.started, 1);
	ck_assert_uint_eq(a.ended, 1);
	ck_assert_uint_eq(a.stage[NS_QUEUE], 1);
	ck_assert_uint_eq(a.stage[NS_START_XMIT], 1);
	ck_assert_uint_eq(a.stage[NS_XMIT_DONE], 1);
	ck_assert_uint_eq(a.stage[NS_TX_DONE], 1);
	ck_assert_uint_eq(a.len_sum, 4);
	ck_assert_uint_eq(a.len_hist[4], 1);
	ck_assert_uint_eq(pair(DIR_TX, NS_QUEUE, NS_START_XMIT), 1);
	ck_assert_uint_eq(pair(DIR_TX, NS_START_XMIT, NS_XMIT_DONE), 1);
	ck_assert_uint_eq(pair(DIR_TX, NS_XMIT_DONE, NS_TX_DONE), 1);
	ck_assert_uint_eq(e.skel->bss->net_ctr[NC_STARTED], 1);
	ck_assert_uint_eq(e.skel->bss->net_ctr[NC_ENDED], 1);
	engine_close(&e);
}
END_TEST

START_TEST(veth_handoff_and_drop)
{
	struct net_opts no = { .queue = -1, .dir = -1 };
	struct net_agg tx, rx;

	load(&no);
	/* veth: the driver hands the skb to the peer (netif_rx) before it
	 * returns; TX must still see net_dev_xmit, RX lives on to delivery */
	ev("net_dev_queue", 0x2000);
	ev("net_dev_start_xmit", 0x2000);
	ev("netif_rx", 0x2000);
	ev("net_dev_xmit", 0x2000);
	ck_assert_int_eq(in_flight(), 1);          /* the RX life */
	ev("netif_receive_skb", 0x2000);
	ck_assert_int_eq(in_flight(), 0);
	/* a drop */
	ev("net_dev_queue", 0x3000);
	ev("kfree_skb", 0x3000);
	/* a free of an skb never seen: ignored */
	ev("consume_skb", 0x4000);
	tx = agg(DIR_TX);
	rx = agg(DIR_RX);
	ck_assert_uint_eq(tx.started, 2);
	ck_assert_uint_eq(tx.ended, 2);
	ck_assert_uint_eq(tx.drops, 1);
	ck_assert_uint_eq(tx.stage[NS_XMIT_DONE], 1);
	ck_assert_uint_eq(tx.stage[NS_TX_DONE], 2);
	ck_assert_uint_eq(tx.len_hist[4], 1);      /* queue, start, handoff, xmit */
	ck_assert_uint_eq(tx.len_hist[2], 1);      /* queue, drop */
	ck_assert_uint_eq(pair(DIR_TX, NS_TX_DONE, NS_XMIT_DONE), 1);
	ck_assert_uint_eq(rx.started, 1);
	ck_assert_uint_eq(rx.ended, 1);
	ck_assert_uint_eq(rx.stage[NS_RX], 1);
	ck_assert_uint_eq(rx.stage[NS_RECEIVE], 1);
	ck_assert_uint_eq(pair(DIR_RX, NS_RX, NS_RECEIVE), 1);
	engine_close(&e);
}
END_TEST

START_TEST(filter_counts_skipped)
{
	struct net_opts no = { .queue = -1, .dir = -1, .ifname = "nosuchif0" };

	load(&no);
	/* the fake skb's device name reads as "": the filter rejects it */
	for (int i = 0; i < 5; i++)
		ev("net_dev_queue", 0x5000 + i);
	ck_assert_int_eq(in_flight(), 0);
	ck_assert_uint_eq(agg(DIR_TX).started, 0);
	ck_assert_uint_eq(e.skel->bss->net_ctr[NC_FILTERED], 5);
	engine_close(&e);
}
END_TEST

START_TEST(netns_filter)
{
	struct net_opts no = { .queue = -1, .dir = -1, .netns = 4026531999u };

	load(&no);
	/* the fake skb's device reads as namespace 0: another namespace than --netns keeps */
	for (int i = 0; i < 3; i++)
		ev("net_dev_queue", 0x6000 + i);
	ck_assert_int_eq(in_flight(), 0);
	ck_assert_uint_eq(agg(DIR_TX).started, 0);
	ck_assert_uint_eq(e.skel->bss->net_ctr[NC_FILTERED], 3);
	engine_close(&e);
	/* namespace 0 kept: the same packets are followed */
	no.netns = 0;
	load(&no);
	ev("net_dev_queue", 0x6000);
	ck_assert_uint_eq(agg(DIR_TX).started, 1);
	ck_assert_uint_eq(e.skel->bss->net_ctr[NC_FILTERED], 0);
	engine_close(&e);
}
END_TEST

START_TEST(lru_bounds_in_flight)
{
	struct net_opts no = { .queue = -1, .dir = -1 };
	int n;

	load(&no);
	/* more packets than the table holds, none ever completes: the LRU
	 * evicts, and started - ended - in flight tells how many */
	for (int i = 0; i < 40000; i++)
		ev("net_dev_queue", 0x100000 + 64 * i);
	n = in_flight();
	ck_assert_int_le(n, 32768);
	ck_assert_uint_eq(e.skel->bss->net_ctr[NC_STARTED], 40000);
	ck_assert_uint_eq(e.skel->bss->net_ctr[NC_ENDED], 0);
	ck_assert_int_ge(40000 - n, 40000 - 32768);  /* at least the overflow was evicted */
	engine_close(&e);
}
END_TEST

/* The handoffs reuse the skb's map entry for its next life (paths/net.h pkt_new's slot):
 * nothing may be left behind or counted twice. */
START_TEST(handoff_reuses_entry)
{
	struct net_opts no = { .queue = -1, .dir = -1 };
	struct net_agg tx, rx;

	load(&no);
	/* loopback-like: the TX skb reaches netif_receive_skb outside any driver scope */
	ev("net_dev_queue", 0x6000);
	ev("netif_receive_skb", 0x6000);
	ck_assert_int_eq(in_flight(), 0);
	/* forwarded: received, then queued again on another device */
	ev("netif_rx", 0x7000);
	ck_assert_int_eq(in_flight(), 1);
	ev("net_dev_queue", 0x7000);
	ck_assert_int_eq(in_flight(), 1);          /* the TX life, in the same entry */
	ev("consume_skb", 0x7000);
	ck_assert_int_eq(in_flight(), 0);
	tx = agg(DIR_TX);
	rx = agg(DIR_RX);
	ck_assert_uint_eq(tx.started, 2);
	ck_assert_uint_eq(tx.ended, 2);
	ck_assert_uint_eq(tx.stage[NS_QUEUE], 2);
	ck_assert_uint_eq(tx.stage[NS_TX_DONE], 2);
	ck_assert_uint_eq(rx.started, 2);
	ck_assert_uint_eq(rx.ended, 2);
	ck_assert_uint_eq(rx.stage[NS_RECEIVE], 1);
	ck_assert_uint_eq(rx.stage[NS_RX], 1);
	ck_assert_uint_eq(rx.len_hist[1], 2);      /* receive alone; rx alone (then forwarded) */
	ck_assert_uint_eq(e.skel->bss->net_ctr[NC_STARTED], 4);
	ck_assert_uint_eq(e.skel->bss->net_ctr[NC_ENDED], 4);
	engine_close(&e);
}
END_TEST

/* A TX packet whose RX life the filter leaves out: the reused entry is removed, inside the
 * driver scope (the TX life waits in the stash until net_dev_xmit) and outside it. */
START_TEST(handoff_filtered_rx_removed)
{
	struct net_opts no = { .queue = -1, .dir = DIR_TX };
	struct net_agg tx;

	load(&no);
	ev("net_dev_queue", 0x8000);
	ev("net_dev_start_xmit", 0x8000);
	ev("netif_rx", 0x8000);
	ck_assert_int_eq(in_flight(), 0);
	ev("net_dev_xmit", 0x8000);
	ev("net_dev_queue", 0x9000);
	ev("netif_receive_skb", 0x9000);
	ck_assert_int_eq(in_flight(), 0);
	tx = agg(DIR_TX);
	ck_assert_uint_eq(tx.started, 2);
	ck_assert_uint_eq(tx.ended, 2);
	ck_assert_uint_eq(tx.stage[NS_XMIT_DONE], 1);
	ck_assert_uint_eq(agg(DIR_RX).started, 0);
	ck_assert_uint_eq(e.skel->bss->net_ctr[NC_FILTERED], 2);
	engine_close(&e);
}
END_TEST

/* e1000's TDT doorbell inside e1000_xmit_frame is charged to the packet being sent, as a notify
 * (an emulated-io exit under Xen HVM or QEMU without PV drivers), once per call; outside a TX
 * scope it is background. The driver point runs through iop_test_func on CPU 0, as the
 * tracepoints do. */
START_TEST(emulated_doorbell_charged)
{
	struct net_opts no = { .queue = -1, .dir = -1 };
	__u64 args[4] = { NDRV, 0, 0x6000, 0 };
	struct net_agg tx;

	bpf_load_points(&e, pts, drv, NDRV, &caps, &(struct engine_opts){ .net = &no, .test_hooks = true });
	ev("net_dev_queue", 0x6000);
	ev("net_dev_start_xmit", 0x6000);
	bpf_run_args(bpf_program__fd(e.skel->progs.iop_test_func), args, 4, 0, "e1000_xmit_frame");
	ev("net_dev_xmit", 0x6000);
	ev("consume_skb", 0x6000);
	bpf_run_args(bpf_program__fd(e.skel->progs.iop_test_func), args, 4, 0, "e1000_xmit_frame");
	tx = agg(DIR_TX);
	ck_assert_uint_eq(tx.ended, 1);
	ck_assert_uint_eq(tx.exits[EXK_NOTIFY], 1);
	ck_assert_uint_eq(tx.stage[NS_NOTIFY], 1);
	ck_assert_uint_eq(tx.stage[NS_DRV_XMIT], 1);
	ck_assert_uint_eq(e.skel->bss->net_bg_exits[EXK_NOTIFY], 1);   /* the second: no packet */
	engine_close(&e);
}
END_TEST

int main(void)
{
	return RUN_TESTS_TIMEOUT("net_bpf", "state", 60, nic_tx_life, veth_handoff_and_drop, netns_filter,
		filter_counts_skipped, lru_bounds_in_flight, handoff_reuses_entry,
		handoff_filtered_rx_removed, emulated_doorbell_charged);
}
