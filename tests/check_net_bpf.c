/* The per-packet state machine of the network path, driven in the real
 * kernel with BPF_PROG_TEST_RUN on the raw_tp handlers, pinned to one CPU.
 * Fake skb addresses are fine as map keys; the CO-RE reads through them
 * fail and read as zero (device key 0/0/0), which the assertions expect.
 * Needs root. */
#include <sys/mman.h>

#include "bpfrun.h"
#include "engine/globals.h"
#include "engine/samples.h"
#include <bpf/btf.h>
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

/* A kernel that cannot mmap BPF arrays (before 5.5), as IOPATH_MASK_CAPS=array_mmap makes one:
 * the sections' maps are made without BPF_F_MMAPABLE, so the kernel refuses to map them and the
 * skeleton has no pointers; the counters are read, and the switch written, by map lookup and update
 * (engine/globals.h), and writing the switch leaves the counters as they were. */
START_TEST(globals_by_lookup)
{
	struct net_opts no = { .queue = -1, .dir = -1 };
	struct iopath_bpf__data_ctl c = {};
	const struct iopath_bpf__data_ctl *cp;
	void *m;

	bpf_load_points_masked(&e, pts, tps, NTP, &caps, &(struct engine_opts){ .net = &no }, "array_mmap");
	ck_assert_ptr_null(e.skel->bss);
	ck_assert_ptr_null(e.skel->data_ctl);
	ck_assert_ptr_null(e.skel->rodata);
	m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, bpf_map__fd(e.skel->maps.bss), 0);
	ck_assert_msg(m == MAP_FAILED, "the kernel mapped a map made without BPF_F_MMAPABLE");
	ev("net_dev_queue", 0x1000);
	ev("net_dev_start_xmit", 0x1000);
	ev("net_dev_xmit", 0x1000);
	ev("consume_skb", 0x1000);
	ev("net_dev_queue", 0x2000);
	ck_assert_uint_eq(engine_bss(&e)->net_ctr[NC_STARTED], 2);
	ck_assert_uint_eq(engine_bss(&e)->net_ctr[NC_ENDED], 1);
	ck_assert_int_eq(engine_set_counting(&e, true), 0);
	cp = globals_view(e.skel->maps.data_ctl, e.skel->data_ctl, &c);
	ck_assert_ptr_nonnull(cp);
	ck_assert(cp->exits_counting);
	ck_assert_uint_eq(engine_bss(&e)->net_ctr[NC_STARTED], 2);
	ck_assert_int_eq(engine_set_counting(&e, false), 0);
	cp = globals_view(e.skel->maps.data_ctl, NULL, &c);
	ck_assert(cp && !cp->exits_counting);
	engine_close(&e);
	/* the same engine with mapping: the same counts through the skeleton's pointer */
	load(&no);
	ck_assert_ptr_nonnull(e.skel->bss);
	ev("net_dev_queue", 0x1000);
	ck_assert_ptr_eq(engine_bss(&e), e.skel->bss);
	ck_assert_uint_eq(engine_bss(&e)->net_ctr[NC_STARTED], 1);
	engine_close(&e);
}
END_TEST

/* A copy of this kernel's BTF in which enum bpf_func_id has no BPF_FUNC_ringbuf_reserve, as a
 * kernel before 5.8 (the enumerator renamed: not with a ___ suffix, which CO-RE ignores when it
 * matches names), written to path. */
static void btf_without_ringbuf(const char *path)
{
	struct btf *b = btf__parse("/sys/kernel/btf/vmlinux", NULL);
	const void *raw;
	__u32 sz;
	int id, off, renamed = 0;
	FILE *f;

	ck_assert_ptr_nonnull(b);
	id = btf__find_by_name_kind(b, "bpf_func_id", BTF_KIND_ENUM);
	ck_assert_int_gt(id, 0);
	off = btf__add_str(b, "BPF_FUNC_not_before_5_8");   /* makes b writable */
	ck_assert_int_gt(off, 0);
	{
		struct btf_type *t = (struct btf_type *)btf__type_by_id(b, id);
		struct btf_enum *v = btf_enum(t);

		for (int i = 0; i < btf_vlen(t); i++)
			if (!strcmp(btf__name_by_offset(b, v[i].name_off), "BPF_FUNC_ringbuf_reserve")) {
				v[i].name_off = off;
				renamed++;
			}
	}
	ck_assert_int_eq(renamed, 1);
	raw = btf__raw_data(b, &sz);
	ck_assert_ptr_nonnull(raw);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(raw, 1, sz, f), sz);
	fclose(f);
	btf__free(b);
}

/* Loads the sampling end of the net path (raw_tp consume_skb, net on, every path sampled) with
 * samples_perfbuf false, as the verifier of a kernel before 5.5 sees it (it does not track
 * read-only data, so the flag decides nothing), its sample map a ring buffer or a perf event
 * array, CO-RE against btf (NULL: the kernel's). 0 or the load's -errno. */
static int load_sampler(const char *btf, bool perf_array)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo, .btf_custom_path = btf);
	struct iopath_bpf *s = iopath_bpf__open_opts(&oo);
	struct bpf_program *p;
	int err;

	ck_assert_ptr_nonnull(s);
	bpf_object__for_each_program(p, s->obj)
		bpf_program__set_autoload(p, p == s->progs.rtp_consume_skb);
	s->rodata->net_on = true;
	((struct net_opts *)&s->rodata->net_opts)->sample_every = 1;
	s->rodata->samples_perfbuf = false;
	ck_assert_int_eq(samples_prepare(s->maps.net_paths, perf_array), 0);
	err = iopath_bpf__load(s);
	iopath_bpf__destroy(s);
	return err;
}

/* bpf/lib/sample.h's guard: where the BTF has no ring buffer helpers, their calls are gone before
 * the verifier runs, whatever samples_perfbuf says (which a pre-5.5 verifier cannot use). Each
 * load fails exactly where the branch kept names the wrong map type for its helper. */
START_TEST(ringbuf_calls_pruned_without_btf_enum)
{
	char path[] = "/tmp/iopath-btf-noringbuf.XXXXXX";
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	close(fd);
	btf_without_ringbuf(path);
	libbpf_set_print(NULL);   /* the two refusals below print their verifier logs otherwise */
	/* the kernel's BTF: the ring buffer branch is kept, and refuses a perf event array */
	ck_assert_int_eq(load_sampler(NULL, false), 0);
	ck_assert_int_ne(load_sampler(NULL, true), 0);
	/* no ring buffer helpers in the BTF: only the perf buffer branch is left */
	ck_assert_int_eq(load_sampler(path, true), 0);
	ck_assert_int_ne(load_sampler(path, false), 0);
	unlink(path);
}
END_TEST

int main(void)
{
	return RUN_TESTS_TIMEOUT("net_bpf", "state", 60, nic_tx_life, veth_handoff_and_drop, netns_filter,
		filter_counts_skipped, lru_bounds_in_flight, handoff_reuses_entry,
		handoff_filtered_rx_removed, emulated_doorbell_charged, globals_by_lookup,
		ringbuf_calls_pruned_without_btf_enum);
}
