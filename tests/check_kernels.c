/* Profile resolution against real Debian kernels: symbol, BTF and kprobe
 * blacklist lists extracted from the linux-image packages of 5.10, 6.1 and
 * 6.12 by tools/extract-kernel-facts.sh (tests/fixtures/kernels). These are
 * the renames, inlinings and section moves the engine must get right. */
#include <stdio.h>
#include <string.h>

#include "engine/calib.h"
#include "kernel/kview.h"
#include "kernel/profiles.h"
#include "kernel/resolve.h"
#include "testutil.h"

static struct kview kv;
static struct kcaps caps;
static struct resolve_opts ro;

static void load(const char *tag)
{
	char dir[512];

	snprintf(dir, sizeof(dir), "%s/kernels/%s", fixtures_dir(), tag);
	kview_init(&kv);
	ck_assert_msg(kview_load_dir(&kv, dir) == 0, "cannot load %s", dir);
	/* sanity: a real kernel has >50k text symbols */
	ck_assert_msg(kv.ksyms.len > 50000, "%s: only %zu symbols", dir, kv.ksyms.len);
	calib_assume_debian(&caps, true);
	memset(&ro, 0, sizeof(ro));
	ro.platform = PLAT_ANY;
}

static struct resolved R(const char *profile, const char *symbols, unsigned kind)
{
	const struct probe_point *p = point_find(profile, symbols, kind);
	struct resolved r;

	ck_assert_msg(p, "no point %s/%s", profile, symbols);
	resolve_point(&kv, &caps, &ro, p, &r);
	return r;
}

#define EXPECT(r, st, meth, sym)                                                          \
	do {                                                                              \
		ck_assert_msg((r).status == (st), "%s: status %s, want %s (%s)", (sym),   \
			      status_name((r).status), status_name(st), (r).reason);      \
		ck_assert_msg((r).method == (meth), "%s: method %s, want %s", (sym),      \
			      method_name((r).method), method_name(meth));                \
		ck_assert_msg(!strcmp((r).symbol, (sym)), "symbol %s, want %s",           \
			      (r).symbol, (sym));                                         \
	} while (0)

START_TEST(debian_5_10)
{
	struct resolved r;

	load("5.10");
	/* 5.10's x86 upcall path is xen_hvm_evtchn_do_upcall */
	r = R("xen-events", "xen_hvm_evtchn_do_upcall", KIND_FUNC);
	EXPECT(r, PST_PLANNED, METHOD_FENTRY, "xen_hvm_evtchn_do_upcall");
	/* the XSA-466 back-port put the hypercall stubs in .text: kprobe-able */
	r = R("xen-events", "xen_hypercall_pv", KIND_FUNC);
	EXPECT(r, PST_PLANNED, METHOD_KPROBE, "xen_hypercall_pv");
	/* no module BTF on 5.10: driver functions by kprobe */
	r = R("xen-blkfront", "blkif_queue_rq", KIND_FUNC);
	EXPECT(r, PST_PLANNED, METHOD_KPROBE, "blkif_queue_rq");
	r = R("xen-blkfront", "blkif_queue_request", KIND_FUNC);
	ck_assert_int_eq(r.status, PST_INLINED);
	r = R("nvme", "nvme_process_cq", KIND_FUNC);
	EXPECT(r, PST_PLANNED, METHOD_KPROBE, "nvme_process_cq");
	r = R("nvme", "nvme_queue_rqs", KIND_FUNC);     /* batch submit came in 5.19/6.1 */
	ck_assert_int_eq(r.status, PST_ABSENT);
	r = R("virtio-net", "free_old_xmit_skbs", KIND_FUNC);
	EXPECT(r, PST_PLANNED, METHOD_KPROBE, "free_old_xmit_skbs");
	r = R("xen-netfront", "bounce_skb", KIND_FUNC); /* a global symbol in 5.10 only */
	EXPECT(r, PST_PLANNED, METHOD_KPROBE, "bounce_skb");
	r = R("mlx5e", "mlx5_irq_int_handler", KIND_FUNC);
	EXPECT(r, PST_PLANNED, METHOD_KPROBE, "mlx5_irq_int_handler");
	/* dl2k also has start_xmit: the virtio_net one is chosen */
	r = R("virtio-net", "start_xmit", KIND_FUNC);
	ck_assert_str_eq(r.module, "virtio_net");
	kview_free(&kv);
}
END_TEST

START_TEST(debian_6_1)
{
	struct resolved r;

	load("6.1");
	ro.platform = platform_mask_for(true, false, false, false); /* Xen HVM guest */
	r = R("xen-blkfront", "blkif_queue_request", KIND_FUNC);
	ck_assert_msg(r.status == PST_INLINED, "blkif_queue_request: %s", status_name(r.status));
	r = R("xen-events", "xen_hvm_evtchn_do_upcall", KIND_FUNC);
	EXPECT(r, PST_PLANNED, METHOD_FENTRY, "xen_evtchn_do_upcall");
	r = R("xen-events", "xen_hypercall_pv", KIND_FUNC);   /* .noinstr.text on 6.1 */
	ck_assert_int_eq(r.status, PST_NOT_PROBEABLE);
	r = R("xen-blkfront", "blkif_queue_rq", KIND_FUNC);   /* module BTF: fentry */
	EXPECT(r, PST_PLANNED, METHOD_FENTRY, "blkif_queue_rq");
	ck_assert_str_eq(r.module, "xen_blkfront");
	r = R("xen-blkfront", "blkif_completion", KIND_FUNC);
	ck_assert_int_eq(r.status, PST_INLINED);
	r = R("xen-netfront", "xennet_handle_tx", KIND_FUNC);
	ck_assert_int_eq(r.status, PST_INLINED);
	r = R("xen-netfront", "bounce_skb", KIND_FUNC);
	ck_assert_int_eq(r.status, PST_INLINED);
	r = R("xen-pv-mmu", "xen:xen_mc_flush", KIND_TP);      /* PV only */
	ck_assert_int_eq(r.status, PST_NOT_APPLICABLE);
	ro.platform = PLAT_ANY;
	r = R("nvme", "nvme_process_cq", KIND_FUNC);
	EXPECT(r, PST_PLANNED, METHOD_FENTRY, "nvme_poll_cq");
	r = R("nvme", "nvme_prep_rq", KIND_FUNC);
	EXPECT(r, PST_PLANNED, METHOD_KPROBE, "nvme_prep_rq.part.0");
	r = R("nvme", "nvme_queue_rqs", KIND_FUNC);
	EXPECT(r, PST_PLANNED, METHOD_FENTRY, "nvme_queue_rqs");
	r = R("virtio-blk", "virtblk_prep_rq", KIND_FUNC);
	EXPECT(r, PST_PLANNED, METHOD_KPROBE, "virtblk_prep_rq.isra.0");
	r = R("virtio-net", "free_old_xmit_skbs", KIND_FUNC);
	EXPECT(r, PST_PLANNED, METHOD_FENTRY, "free_old_xmit_skbs");
	r = R("virtio-core", "virtqueue_notify", KIND_FUNC);    /* module virtio_ring on 6.1 */
	ck_assert_str_eq(r.module, "virtio_ring");
	r = R("mlx5e", "mlx5_irq_int_handler", KIND_FUNC);
	EXPECT(r, PST_PLANNED, METHOD_FENTRY, "irq_int_handler");
	r = R("mlx5e", "mlx5e_sq_xmit_wqe", KIND_FUNC);
	EXPECT(r, PST_PLANNED, METHOD_FENTRY, "mlx5e_sq_xmit_wqe");
	r = R("ena", "ena_ring_tx_doorbell", KIND_FUNC);
	ck_assert_int_eq(r.status, PST_INLINED);
	r = R("ixgbevf", "ixgbevf_xmit_frame_ring", KIND_FUNC);
	ck_assert_int_eq(r.status, PST_INLINED);
	r = R("virtio-net", "start_xmit", KIND_FUNC);
	EXPECT(r, PST_PLANNED, METHOD_FENTRY, "start_xmit");
	ck_assert_str_eq(r.module, "virtio_net");
	/* without kprobes, a GCC clone has no way in (no BTF for fentry) */
	caps.c[CAP_KPROBE].ok = false;
	r = R("virtio-blk", "virtblk_prep_rq", KIND_FUNC);
	ck_assert_int_eq(r.status, PST_UNAVAILABLE);
	kview_free(&kv);
}
END_TEST

START_TEST(debian_6_12)
{
	struct resolved r;

	load("6.12");
	r = R("virtio-net", "free_old_xmit_skbs", KIND_FUNC);
	EXPECT(r, PST_PLANNED, METHOD_FENTRY, "free_old_xmit");
	r = R("mlx5e", "mlx5e_sq_xmit_wqe", KIND_FUNC);         /* inlined into mlx5e_xmit */
	ck_assert_int_eq(r.status, PST_INLINED);
	r = R("virtio-core", "virtqueue_notify", KIND_FUNC);    /* virtio core built in */
	EXPECT(r, PST_PLANNED, METHOD_FENTRY, "virtqueue_notify");
	ck_assert_str_eq(r.module, "vmlinux");
	r = R("virtio-core", "virtio_pci:vp_notify", KIND_FUNC);
	ck_assert_str_eq(r.module, "vmlinux");
	r = R("nvme", "nvme_process_cq", KIND_FUNC);
	EXPECT(r, PST_PLANNED, METHOD_FENTRY, "nvme_poll_cq");
	r = R("xen-events", "xen_hvm_evtchn_do_upcall", KIND_FUNC);
	EXPECT(r, PST_PLANNED, METHOD_FENTRY, "xen_evtchn_do_upcall");
	r = R("xen-events", "xen_hypercall_pv", KIND_FUNC);
	ck_assert_int_eq(r.status, PST_NOT_PROBEABLE);
	kview_free(&kv);
}
END_TEST

/* No profile row may be absent on every kernel: each must resolve (or be
 * known inlined) somewhere, or the table names a function that never was. */
START_TEST(every_row_exists_somewhere)
{
	const char *tags[] = { "5.10", "6.1", "6.12" };
	bool seen[512] = {};

	ck_assert_uint_lt(iop_point_count, 512);
	for (int t = 0; t < 3; t++) {
		load(tags[t]);
		for (unsigned i = 0; i < iop_point_count; i++) {
			struct resolved r;

			if (iop_points[i].kind == KIND_TP)
				continue;
			resolve_point(&kv, &caps, &ro, &iop_points[i], &r);
			if (r.status == PST_PLANNED || r.status == PST_NOT_PROBEABLE ||
			    r.status == PST_INLINED)
				seen[i] = true;
		}
		kview_free(&kv);
	}
	for (unsigned i = 0; i < iop_point_count; i++)
		ck_assert_msg(iop_points[i].kind == KIND_TP || seen[i],
			      "%s/%s resolves on none of 5.10, 6.1, 6.12", iop_points[i].profile,
			      iop_points[i].symbols);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("kernels");
	TCase *t = tcase_create("debian");

	tcase_set_timeout(t, 60);
	tcase_add_test(t, debian_5_10);
	tcase_add_test(t, debian_6_1);
	tcase_add_test(t, debian_6_12);
	tcase_add_test(t, every_row_exists_somewhere);
	suite_add_tcase(s, t);
	return run_suite(s);
}
