/* The per-request state machine of the block path, driven in the real
 * kernel with BPF_PROG_TEST_RUN, pinned to CPU 0: the raw_tp handlers of the
 * block and irq tracepoints, and the driver function points (which this
 * machine cannot attach) through the test-only program iop_test_func that
 * runs the same code as the kprobe/fentry handlers. Fake request addresses
 * are fine as map keys; the CO-RE reads through them fail and read as zero,
 * so every request lands on disk 0, op read, size class 0: the assertions
 * expect that key. Needs root. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "engine/attach.h"
#include "engine/skel.h"
#include "kernel/profiles.h"
#include "kernel/resolve.h"
#include "bpfrun.h"
#include "testutil.h"

/* The points of this test, in id order (id = index + 1). */
static const struct { const char *profile, *sym; int kind; } want[] = {
	{ "block-stack", "block:block_rq_insert", KIND_TP },        /* 1 */
	{ "block-stack", "block:block_rq_issue", KIND_TP },         /* 2 */
	{ "block-stack", "block:block_rq_complete", KIND_TP },      /* 3 */
	{ "irq", "irq:irq_handler_entry", KIND_TP },                /* 4 */
	{ "xen-blkfront", "blkif_queue_rq", KIND_FUNC },            /* 5 */
	{ "xen-blkfront", "blkif_queue_rq", KIND_FUNC_RET },        /* 6 */
	{ "xen-events", "notify_remote_via_irq", KIND_FUNC },       /* 7 */
	{ "xen-blkfront", "blkif_setup_rw_req_grant", KIND_FUNC },  /* 8 */
	{ "xen-blkfront", "blkif_interrupt", KIND_FUNC },           /* 9 */
	{ "xen-blkfront", "blkif_copy_from_grant", KIND_FUNC },     /* 10 */
	{ "xen-blkfront", "blkif_complete_rq", KIND_FUNC },         /* 11 */
	{ "virtio-blk", "virtio_queue_rqs", KIND_FUNC },            /* 12 */
	{ "virtio-blk", "virtio_queue_rqs", KIND_FUNC_RET },        /* 13 */
	{ "virtio-core", "virtqueue_notify", KIND_FUNC },           /* 14 */
};
#define NPT (sizeof(want) / sizeof(want[0]))
enum { P_INSERT = 1, P_ISSUE, P_COMPLETE, P_IRQ, P_BLKIF_QRQ, P_BLKIF_QRQ_RET, P_NOTIFY_IRQ,
       P_GRANT, P_BLKIF_INTR, P_BOUNCE, P_BLKIF_COMPLETE, P_VIRTIO_QRQS, P_VIRTIO_QRQS_RET,
       P_VQ_NOTIFY };

static struct engine e;
static struct resolved pts[NPT];
static struct kcaps caps;

static void load(const struct net_opts *no, const struct blk_opts *bo)
{
	ck_assert_msg(geteuid() == 0, "needs root: BPF programs are loaded");
	calib_assume_debian(&caps, true);
	memset(pts, 0, sizeof(pts));
	for (unsigned i = 0; i < NPT; i++) {
		const char *c = strchr(want[i].sym, ':');
		unsigned k;

		for (k = 0; k < iop_point_count; k++)
			if (!strcmp(iop_points[k].profile, want[i].profile) &&
			    !strcmp(iop_points[k].symbols, want[i].sym) && iop_points[k].kind == want[i].kind)
				break;
		ck_assert_msg(k < iop_point_count, "no point %s %s", want[i].profile, want[i].sym);
		pts[i].pt = &iop_points[k];
		snprintf(pts[i].symbol, sizeof(pts[i].symbol), "%s", c ? c + 1 : want[i].sym);
		/* function points: the kprobe handlers are loaded (so they pass the
		 * verifier with the block path on) but driven through iop_test_func */
		pts[i].method = want[i].kind == KIND_TP ? METHOD_RAW_TP :
				want[i].kind == KIND_FUNC ? METHOD_KPROBE : METHOD_KRETPROBE;
		pts[i].status = PST_PLANNED;
	}
	ck_assert_int_eq(engine_load(&e, pts, NPT, &caps,
				     &(struct engine_opts){ .net = no, .blk = bo, .test_hooks = true }), 0);
	ck_assert_int_ge(bpf_program__fd(e.skel->progs.iop_kprobe), 0);
	ck_assert_int_ge(bpf_program__fd(e.skel->progs.iop_kretprobe), 0);
}

/* Raw tracepoint `name` with its arguments. */
static void ev(const char *name, __u64 a0, __u64 a1, __u64 a2)
{
	__u64 args[4] = { a0, a1, a2, 0 };

	bpf_run_rtp(e.skel->obj, name, args, 4, 0);
}

/* A hit of function point `id`: entry with identity argument idv (or, for
 * a ->queue_rq point, bd->rq = bdrq), or its return. */
static void fn(unsigned id, bool ret, __u64 idv, __u64 bdrq)
{
	__u64 args[4] = { id, ret, idv, bdrq };

	bpf_run_args(bpf_program__fd(e.skel->progs.iop_test_func), args, 4, 0, pts[id - 1].symbol);
}

static struct blk_agg agg(void)
{
	struct blk_key k = {};
	struct blk_agg a = {};

	bpf_map__lookup_elem(e.skel->maps.blk_agg, &k, sizeof(k), &a, sizeof(a), 0);
	return a;
}

static unsigned long long pair(int from, int to)
{
	struct blk_pair_key pk = { .from = from, .to = to };
	struct net_hist h = {};

	bpf_map__lookup_elem(e.skel->maps.blk_hist, &pk, sizeof(pk), &h, sizeof(h), 0);
	return h.count;
}

static int in_flight(void)
{
	__u64 k, *prev = NULL, next;
	int n = 0;

	while (!bpf_map__get_next_key(e.skel->maps.rqs, prev, &next, sizeof(next))) {
		k = next;
		prev = &k;
		n++;
	}
	return n;
}

/* The only signature recorded (asserts there is exactly one). */
static struct net_sig_val only_sig(void)
{
	struct blk_sig_key k, next;
	struct net_sig_val v = {};
	int n = 0;

	while (!bpf_map__get_next_key(e.skel->maps.blk_sig, n ? &k : NULL, &next, sizeof(next))) {
		k = next;
		n++;
	}
	ck_assert_int_eq(n, 1);
	bpf_map__lookup_elem(e.skel->maps.blk_sig, &k, sizeof(k), &v, sizeof(v), 0);
	return v;
}

static __u64 ctr(int i) { return e.skel->bss->blk_ctr[i]; }

START_TEST(stack_life)
{
	struct blk_opts bo = {};
	struct blk_agg a;
	struct net_sig_val s;

	load(NULL, &bo);
	ev("block_rq_insert", 0x1000, 0, 0);
	ev("block_rq_issue", 0x1000, 0, 0);
	ck_assert_int_eq(in_flight(), 1);
	ck_assert_uint_eq(agg().requests, 0);      /* aggregated at completion */
	ev("block_rq_complete", 0x1000, 0, 4096);
	ck_assert_int_eq(in_flight(), 0);
	a = agg();
	ck_assert_uint_eq(a.requests, 1);
	ck_assert_uint_eq(a.stage[BS_INSERT], 1);
	ck_assert_uint_eq(a.stage[BS_ISSUE], 1);
	ck_assert_uint_eq(a.stage[BS_COMPLETE], 1);
	ck_assert_uint_eq(a.stage[BS_DRV_SUBMIT] + a.stage[BS_NOTIFY] + a.stage[BS_IRQ] +
			  a.stage[BS_DRV_COMPLETE], 0);
	ck_assert_uint_eq(a.len_sum, 3);
	ck_assert_uint_eq(a.len_hist[3], 1);
	ck_assert_uint_eq(pair(BS_INSERT, BS_ISSUE), 1);
	ck_assert_uint_eq(pair(BS_ISSUE, BS_COMPLETE), 1);
	ck_assert_uint_eq(pair(BS_INSERT, BS_COMPLETE), 0);
	s = only_sig();
	ck_assert_uint_eq(s.count, 1);
	ck_assert_uint_eq(s.len, 3);
	ck_assert_uint_eq(s.ids[0], P_INSERT);
	ck_assert_uint_eq(s.ids[1], P_ISSUE);
	ck_assert_uint_eq(s.ids[2], P_COMPLETE);
	/* a completion of a request never seen (issued before tracing): counted, ignored */
	ev("block_rq_complete", 0x2000, 0, 4096);
	ck_assert_uint_eq(ctr(BC_COMPLETE_UNSEEN), 1);
	ck_assert_uint_eq(agg().requests, 1);
	/* an error completion is counted as such */
	ev("block_rq_issue", 0x2000, 0, 0);
	ev("block_rq_complete", 0x2000, (__u64)-5, 0);
	ck_assert_uint_eq(agg().errors, 1);
	/* inserted again before completing: requeue or missed completion */
	ev("block_rq_insert", 0x3000, 0, 0);
	ev("block_rq_insert", 0x3000, 0, 0);
	ck_assert_uint_eq(ctr(BC_RESTARTED), 1);
	ck_assert_int_eq(in_flight(), 1);
	ck_assert_uint_eq(ctr(BC_STARTED), 4);
	ck_assert_uint_eq(ctr(BC_ENDED), 2);
	/* per-queue issue counts (queue 0 of disk 0) */
	{
		struct blk_q_key qk = {};
		struct blk_q_val q = {};

		ck_assert_int_eq(bpf_map__lookup_elem(e.skel->maps.blk_q, &qk, sizeof(qk), &q, sizeof(q), 0), 0);
		ck_assert_uint_eq(q.requests, 2);
	}
	engine_close(&e);
}
END_TEST

START_TEST(blkfront_driver_life)
{
	struct blk_opts bo = {};
	struct blk_irq_val iv = { .dev = 0, .queue = 0 };
	__u32 irq = 77;
	struct blk_agg a;
	struct net_sig_val s;
	static const unsigned path[] = { P_BLKIF_QRQ, P_ISSUE, P_GRANT, P_NOTIFY_IRQ, 0 /* irq */,
					 P_BLKIF_INTR, P_BLKIF_COMPLETE, P_COMPLETE };

	load(NULL, &bo);
	ck_assert_int_eq(bpf_map__update_elem(e.skel->maps.blk_irq_map, &irq, sizeof(irq), &iv,
					      sizeof(iv), 0), 0);
	/* submit: queue_rq scope with a grant and the event-channel notify */
	fn(P_BLKIF_QRQ, false, 0, 0x4000);
	ev("block_rq_issue", 0x4000, 0, 0);
	fn(P_GRANT, false, 0, 0);
	fn(P_NOTIFY_IRQ, false, 0, 0);
	fn(P_BLKIF_QRQ_RET, true, 0, 0);
	/* outside the scope: neither charged to the request */
	fn(P_GRANT, false, 0, 0);
	fn(P_NOTIFY_IRQ, false, 0, 0);
	ck_assert_uint_eq(ctr(BC_GRANTS_UNATTRIBUTED), 1);
	ck_assert_uint_eq(e.skel->bss->blk_bg_exits[EXK_NOTIFY], 1);
	/* an interrupt of another line: not this disk's */
	ev("irq_handler_entry", 78, 0, 0);
	ck_assert_uint_eq(ctr(BC_IRQ_UNMAPPED), 1);
	/* completion: the disk's interrupt, the driver handler with a bounce
	 * copy, the driver's ->complete, then the block layer's */
	ev("irq_handler_entry", irq, 0, 0);
	fn(P_BLKIF_INTR, false, 0, 0);
	fn(P_BOUNCE, false, 0, 0);
	fn(P_BLKIF_COMPLETE, false, 0x4000, 0);
	ev("block_rq_complete", 0x4000, 0, 4096);
	ck_assert_int_eq(in_flight(), 0);
	a = agg();
	ck_assert_uint_eq(a.requests, 1);
	ck_assert_uint_eq(a.stage[BS_DRV_SUBMIT], 1);
	ck_assert_uint_eq(a.stage[BS_ISSUE], 1);
	ck_assert_uint_eq(a.stage[BS_NOTIFY], 1);
	ck_assert_uint_eq(a.stage[BS_IRQ], 1);
	ck_assert_uint_eq(a.stage[BS_DRV_COMPLETE], 1);
	ck_assert_uint_eq(a.stage[BS_COMPLETE], 1);
	ck_assert_uint_eq(a.stage[BS_INSERT], 0);
	ck_assert_uint_eq(a.exits[EXK_NOTIFY], 1);
	ck_assert_uint_eq(a.grants, 1);
	ck_assert_uint_eq(a.bounces, 1);
	ck_assert_uint_eq(a.len_sum, 8);
	ck_assert_uint_eq(pair(BS_DRV_SUBMIT, BS_ISSUE), 1);
	ck_assert_uint_eq(pair(BS_ISSUE, BS_NOTIFY), 1);
	ck_assert_uint_eq(pair(BS_NOTIFY, BS_IRQ), 1);
	ck_assert_uint_eq(pair(BS_IRQ, BS_DRV_COMPLETE), 1);
	ck_assert_uint_eq(pair(BS_DRV_COMPLETE, BS_COMPLETE), 1);
	s = only_sig();
	ck_assert_uint_eq(s.len, 8);
	for (unsigned i = 0; i < 8; i++)
		ck_assert_msg(s.ids[i] == path[i], "hop %u: point %u, want %u", i, s.ids[i], path[i]);
	{
		__u32 dev = 0;
		struct blk_dev_val dv = {};

		ck_assert_int_eq(bpf_map__lookup_elem(e.skel->maps.blk_dev, &dev, sizeof(dev), &dv,
						      sizeof(dv), 0), 0);
		ck_assert_uint_eq(dv.irqs, 1);
	}
	engine_close(&e);
}
END_TEST

START_TEST(queue_rqs_batch)
{
	struct blk_opts bo = {};
	struct blk_agg a;

	load(NULL, &bo);
	/* virtio_queue_rqs issues two requests without virtio_queue_rq and
	 * kicks once at the end: the kick is the last request's */
	fn(P_VIRTIO_QRQS, false, 0, 0);
	ev("block_rq_issue", 0x5000, 0, 0);
	ev("block_rq_issue", 0x6000, 0, 0);
	fn(P_VQ_NOTIFY, false, 0, 0);
	fn(P_VIRTIO_QRQS_RET, true, 0, 0);
	fn(P_VQ_NOTIFY, false, 0, 0);             /* after the scope: background */
	ev("block_rq_complete", 0x5000, 0, 0);
	ev("block_rq_complete", 0x6000, 0, 0);
	a = agg();
	ck_assert_uint_eq(a.requests, 2);
	ck_assert_uint_eq(a.stage[BS_DRV_SUBMIT], 2);
	ck_assert_uint_eq(a.stage[BS_ISSUE], 2);
	ck_assert_uint_eq(a.stage[BS_NOTIFY], 1);
	ck_assert_uint_eq(a.exits[EXK_NOTIFY], 1);
	ck_assert_uint_eq(a.stage[BS_COMPLETE], 2);
	ck_assert_uint_eq(pair(BS_DRV_SUBMIT, BS_ISSUE), 2);
	ck_assert_uint_eq(pair(BS_ISSUE, BS_NOTIFY), 1);
	ck_assert_uint_eq(pair(BS_ISSUE, BS_COMPLETE), 1);
	ck_assert_uint_eq(pair(BS_NOTIFY, BS_COMPLETE), 1);
	ck_assert_uint_eq(e.skel->bss->blk_bg_exits[EXK_NOTIFY], 1);
	engine_close(&e);
}
END_TEST

START_TEST(with_net_exits_go_through_net_exit)
{
	struct net_opts no = { .queue = -1, .dir = -1 };
	struct blk_opts bo = {};

	load(&no, &bo);
	fn(P_BLKIF_QRQ, false, 0, 0x7000);
	ev("block_rq_issue", 0x7000, 0, 0);
	fn(P_NOTIFY_IRQ, false, 0, 0);            /* net_exit -> blk_charge_exit */
	fn(P_BLKIF_QRQ_RET, true, 0, 0);
	fn(P_NOTIFY_IRQ, false, 0, 0);            /* background: counted once, by net */
	ev("block_rq_complete", 0x7000, 0, 0);
	ck_assert_uint_eq(agg().exits[EXK_NOTIFY], 1);
	ck_assert_uint_eq(agg().stage[BS_NOTIFY], 1);
	ck_assert_uint_eq(e.skel->bss->net_bg_exits[EXK_NOTIFY], 1);
	ck_assert_uint_eq(e.skel->bss->blk_bg_exits[EXK_NOTIFY], 0);
	engine_close(&e);
}
END_TEST

START_TEST(disk_filter_counts_skipped)
{
	struct blk_opts bo = { .dev = (7u << 20) | 99 };

	load(NULL, &bo);
	/* the fake requests' disk reads as 0: not 7:99 */
	for (int i = 0; i < 5; i++) {
		ev("block_rq_insert", 0x8000 + 64 * i, 0, 0);
		ev("block_rq_issue", 0x8000 + 64 * i, 0, 0);
	}
	ck_assert_int_eq(in_flight(), 0);
	ck_assert_uint_eq(ctr(BC_STARTED), 0);
	for (int i = 0; i < 5; i++)
		ev("block_rq_complete", 0x8000 + 64 * i, 0, 0);
	/* counted once per request, at completion, not as unseen */
	ck_assert_uint_eq(ctr(BC_FILTERED), 5);
	ck_assert_uint_eq(ctr(BC_COMPLETE_UNSEEN), 0);
	engine_close(&e);
}
END_TEST

START_TEST(lru_bounds_in_flight)
{
	struct blk_opts bo = {};
	int n;

	load(NULL, &bo);
	/* more requests than the table holds, none completes: the LRU evicts,
	 * and started - ended - in flight tells how many */
	for (int i = 0; i < 40000; i++)
		ev("block_rq_insert", 0x100000 + 256 * i, 0, 0);
	n = in_flight();
	ck_assert_int_le(n, 32768);
	ck_assert_uint_eq(ctr(BC_STARTED), 40000);
	ck_assert_uint_eq(ctr(BC_ENDED), 0);
	ck_assert_int_ge(40000 - n, 40000 - 32768);
	engine_close(&e);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("blk_bpf");
	TCase *t = tcase_create("state");

	tcase_set_timeout(t, 60);
	tcase_add_test(t, stack_life);
	tcase_add_test(t, blkfront_driver_life);
	tcase_add_test(t, queue_rqs_batch);
	tcase_add_test(t, with_net_exits_go_through_net_exit);
	tcase_add_test(t, disk_filter_counts_skipped);
	tcase_add_test(t, lru_bounds_in_flight);
	suite_add_tcase(s, t);
	return run_suite(s);
}
