/* The per-request state machine of the block path, driven in the real
 * kernel with BPF_PROG_TEST_RUN, pinned to CPU 0: the raw_tp handlers of the
 * block and irq tracepoints, and the driver function points (which this
 * machine cannot attach) through the test-only program iop_test_func that
 * runs the same code as the kprobe/fentry handlers. Fake request addresses
 * are fine as map keys; the CO-RE reads through them fail and read as zero,
 * so every request lands on disk 0, op read, size class 0: the assertions
 * expect that key. Needs root. */
#include "report/blk_report.h"
#include "bpfrun.h"
#include "report/common.h"
#include "testutil.h"

/* The points of this test, in id order (id = index + 1). */
static struct want_point want[] = {   /* old_layout sets arg_shift */
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
	{ "kvm-guest", "kvm_send_ipi_mask", KIND_FUNC },            /* 15 */
	{ "kvm-guest", "default_idle", KIND_FUNC },                 /* 16 */
	{ "kvm-guest", "lapic_next_deadline", KIND_FUNC },          /* 17 */
};
#define NPT (sizeof(want) / sizeof(want[0]))
enum { P_INSERT = 1, P_ISSUE, P_COMPLETE, P_IRQ, P_BLKIF_QRQ, P_BLKIF_QRQ_RET, P_NOTIFY_IRQ,
       P_GRANT, P_BLKIF_INTR, P_BOUNCE, P_BLKIF_COMPLETE, P_VIRTIO_QRQS, P_VIRTIO_QRQS_RET,
       P_VQ_NOTIFY, P_IPI, P_HALT, P_TIMER };

static struct engine e;
static struct resolved pts[NPT];
static struct kcaps caps;

static void load(const struct net_opts *no, const struct blk_opts *bo)
{
	/* function points: the kprobe handlers are loaded (so they pass the
	 * verifier with the block path on) but driven through iop_test_func */
	bpf_load_points(&e, pts, want, NPT, &caps,
			&(struct engine_opts){ .net = no, .blk = bo, .test_hooks = true });
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

	BPF_MAP_GET(e.skel->maps.blk_agg, k, a);
	return a;
}

/* a's ended requests per stage: exactly want[s] at every stage s. */
static void stages_are(const struct blk_agg *a, const unsigned long long want[BS__COUNT])
{
	for (int s = 0; s < BS__COUNT; s++)
		ck_assert_msg(a->stage[s] == want[s], "stage %s: %llu requests, want %llu",
			      blk_stage_name(s), (unsigned long long)a->stage[s], want[s]);
}

static unsigned long long pair(int from, int to)
{
	struct blk_pair_key pk = { .from = from, .to = to };
	struct net_hist h = {};

	BPF_MAP_GET(e.skel->maps.blk_hist, pk, h);
	return h.count;
}

static int in_flight(void) { return bpf_map_keys(e.skel->maps.rqs); }

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
	BPF_MAP_GET(e.skel->maps.blk_sig, k, v);
	return v;
}

/* Queue 0 of disk 0, and disk 0: the entries must be there. */
static struct blk_q_val queue0(void)
{
	struct blk_q_key k = {};
	struct blk_q_val v = {};

	ck_assert_int_eq(BPF_MAP_GET(e.skel->maps.blk_q, k, v), 0);
	return v;
}

static struct blk_dev_val disk0(void)
{
	__u32 k = 0;
	struct blk_dev_val v = {};

	ck_assert_int_eq(BPF_MAP_GET(e.skel->maps.blk_dev, k, v), 0);
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
	stages_are(&a, (unsigned long long[BS__COUNT]){ [BS_INSERT] = 1, [BS_ISSUE] = 1, [BS_COMPLETE] = 1 });
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
	ck_assert_uint_eq(queue0().requests, 2);
	engine_close(&e);
}
END_TEST

/* Kernels before 5.11 and 5.10.137 (Debian 11's 5.10.0-46 is 5.10.262: it has (rq)) take (q, rq)
 * at block_rq_insert/issue. With the layout
 * resolve finds in BTF (arg_shift 1), the request is the second argument: the request goes
 * insert > issue > complete as one, and the queue pointer is never taken for a request. */
START_TEST(old_layout)
{
	struct blk_opts bo = {};
	struct blk_agg a;

	want[P_INSERT - 1].arg_shift = want[P_ISSUE - 1].arg_shift = 1;
	load(NULL, &bo);
	want[P_INSERT - 1].arg_shift = want[P_ISSUE - 1].arg_shift = 0;
	ck_assert(e.skel->rodata->blk_rq_after_q);
	ev("block_rq_insert", 0x9000 /* q */, 0x1000, 0);
	ev("block_rq_issue", 0x9000, 0x1000, 0);
	ck_assert_int_eq(in_flight(), 1);
	ev("block_rq_complete", 0x1000, 0, 4096);
	ck_assert_int_eq(in_flight(), 0);
	ck_assert_uint_eq(ctr(BC_COMPLETE_UNSEEN), 0);
	ck_assert_uint_eq(ctr(BC_RESTARTED), 0);   /* the shared queue pointer would restart it */
	a = agg();
	ck_assert_uint_eq(a.requests, 1);
	stages_are(&a, (unsigned long long[BS__COUNT]){ [BS_INSERT] = 1, [BS_ISSUE] = 1, [BS_COMPLETE] = 1 });
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
	stages_are(&a, (unsigned long long[BS__COUNT]){ [BS_DRV_SUBMIT] = 1, [BS_ISSUE] = 1, [BS_NOTIFY] = 1,
							[BS_IRQ] = 1, [BS_DRV_COMPLETE] = 1, [BS_COMPLETE] = 1 });
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
	ck_assert_uint_eq(disk0().irqs, 1);
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
	/* and none at insert, irq or driver completion */
	stages_are(&a, (unsigned long long[BS__COUNT]){ [BS_DRV_SUBMIT] = 2, [BS_ISSUE] = 2, [BS_NOTIFY] = 1,
							[BS_COMPLETE] = 2 });
	ck_assert_uint_eq(a.exits[EXK_NOTIFY], 1);
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

/* Each exit kind is counted as itself, in the request's scope and in the background. EXK__COUNT
 * is 7: the old index mask (kind & 6) counted an IPI as a notify and a halt as a timer. */
START_TEST(exit_kinds_kept_apart)
{
	unsigned long long rq[EXK__COUNT] = { [EXK_IPI] = 1, [EXK_HALT] = 1 };
	unsigned long long bg[EXK__COUNT] = { [EXK_IPI] = 1, [EXK_TIMER] = 1 };
	struct blk_agg a;

	load(NULL, &(struct blk_opts){ 0 });
	fn(P_BLKIF_QRQ, false, 0, 0x9000);           /* in the request's submit scope: */
	ev("block_rq_issue", 0x9000, 0, 0);
	fn(P_IPI, false, 0, 0);                      /*   an IPI and a halt */
	fn(P_HALT, false, 0, 0);
	fn(P_BLKIF_QRQ_RET, true, 0, 0);
	fn(P_IPI, false, 0, 0);                      /* background: an IPI and a timer write */
	fn(P_TIMER, false, 0, 0);
	ev("block_rq_complete", 0x9000, 0, 4096);
	a = agg();
	for (int k = 0; k < EXK__COUNT; k++) {
		ck_assert_msg(a.exits[k] == rq[k], "request exits %s: %llu, want %llu", exit_kind_name(k),
			      a.exits[k], rq[k]);
		ck_assert_msg(e.skel->bss->blk_bg_exits[k] == bg[k], "background exits %s: %llu, want %llu",
			      exit_kind_name(k), (unsigned long long)e.skel->bss->blk_bg_exits[k], bg[k]);
	}
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
	return RUN_TESTS_TIMEOUT("blk_bpf", "state", 60, stack_life, old_layout, blkfront_driver_life,
		queue_rqs_batch, with_net_exits_go_through_net_exit, exit_kinds_kept_apart,
		disk_filter_counts_skipped,
		lru_bounds_in_flight);
}
