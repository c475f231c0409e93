/* Profile resolution against real Debian kernels: symbol, BTF and kprobe
 * blacklist lists extracted from the linux-image packages of 5.10, 6.1 and
 * 6.12 by tools/extract-kernel-facts.sh (tests/fixtures/kernels). These are
 * the renames, inlinings and section moves the engine must get right. */
#include <stdio.h>
#include <string.h>

#include "engine/calib.h"
#include "resolvecheck.h"
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
	resolve_defaults(&caps, &ro);
}

START_TEST(debian_5_10)
{
	struct resolved r;

	load("5.10");
	/* 5.10's x86 upcall path is xen_hvm_evtchn_do_upcall */
	R_PLANNED("xen-events", "xen_hvm_evtchn_do_upcall", KIND_FUNC, METHOD_FENTRY, "xen_hvm_evtchn_do_upcall");
	/* the XSA-466 back-port put the hypercall stubs in .text: kprobe-able */
	R_PLANNED("xen-events", "xen_hypercall_pv", KIND_FUNC, METHOD_KPROBE, "xen_hypercall_pv");
	/* no module BTF on 5.10: driver functions by kprobe */
	R_PLANNED("xen-blkfront", "blkif_queue_rq", KIND_FUNC, METHOD_KPROBE, "blkif_queue_rq");
	R_STATUS("xen-blkfront", "blkif_queue_request", KIND_FUNC, PST_INLINED);
	R_PLANNED("nvme", "nvme_process_cq", KIND_FUNC, METHOD_KPROBE, "nvme_process_cq");
	R_STATUS("nvme", "nvme_queue_rqs", KIND_FUNC, PST_ABSENT);     /* batch submit came in 5.19/6.1 */
	R_PLANNED("virtio-net", "free_old_xmit_skbs", KIND_FUNC, METHOD_KPROBE, "free_old_xmit_skbs");
	/* a global symbol in 5.10 only */
	R_PLANNED("xen-netfront", "bounce_skb", KIND_FUNC, METHOD_KPROBE, "bounce_skb");
	R_PLANNED("mlx5e", "mlx5_irq_int_handler", KIND_FUNC, METHOD_KPROBE, "mlx5_irq_int_handler");
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
	R_STATUS("xen-blkfront", "blkif_queue_request", KIND_FUNC, PST_INLINED);
	R_PLANNED("xen-events", "xen_hvm_evtchn_do_upcall", KIND_FUNC, METHOD_FENTRY, "xen_evtchn_do_upcall");
	R_STATUS("xen-events", "xen_hypercall_pv", KIND_FUNC, PST_NOT_PROBEABLE);   /* .noinstr.text on 6.1 */
	/* module BTF: fentry */
	r = R_PLANNED("xen-blkfront", "blkif_queue_rq", KIND_FUNC, METHOD_FENTRY, "blkif_queue_rq");
	ck_assert_str_eq(r.module, "xen_blkfront");
	R_STATUS("xen-blkfront", "blkif_completion", KIND_FUNC, PST_INLINED);
	R_STATUS("xen-netfront", "xennet_handle_tx", KIND_FUNC, PST_INLINED);
	R_STATUS("xen-netfront", "bounce_skb", KIND_FUNC, PST_INLINED);
	R_STATUS("xen-pv-mmu", "xen:xen_mc_flush", KIND_TP, PST_NOT_APPLICABLE);      /* PV only */
	ro.platform = PLAT_ANY;
	R_PLANNED("nvme", "nvme_process_cq", KIND_FUNC, METHOD_FENTRY, "nvme_poll_cq");
	R_PLANNED("nvme", "nvme_prep_rq", KIND_FUNC, METHOD_KPROBE, "nvme_prep_rq.part.0");
	R_PLANNED("nvme", "nvme_queue_rqs", KIND_FUNC, METHOD_FENTRY, "nvme_queue_rqs");
	R_PLANNED("virtio-blk", "virtblk_prep_rq", KIND_FUNC, METHOD_KPROBE, "virtblk_prep_rq.isra.0");
	R_PLANNED("virtio-net", "free_old_xmit_skbs", KIND_FUNC, METHOD_FENTRY, "free_old_xmit_skbs");
	r = R("virtio-core", "virtqueue_notify", KIND_FUNC);    /* module virtio_ring on 6.1 */
	ck_assert_str_eq(r.module, "virtio_ring");
	R_PLANNED("mlx5e", "mlx5_irq_int_handler", KIND_FUNC, METHOD_FENTRY, "irq_int_handler");
	R_PLANNED("mlx5e", "mlx5e_sq_xmit_wqe", KIND_FUNC, METHOD_FENTRY, "mlx5e_sq_xmit_wqe");
	R_STATUS("ena", "ena_ring_tx_doorbell", KIND_FUNC, PST_INLINED);
	R_STATUS("ixgbevf", "ixgbevf_xmit_frame_ring", KIND_FUNC, PST_INLINED);
	/* igbvf: module BTF, fentry; the tail write and the RX clean are inlined */
	r = R_PLANNED("igbvf", "igbvf_xmit_frame", KIND_FUNC, METHOD_FENTRY, "igbvf_xmit_frame");
	ck_assert_str_eq(r.module, "igbvf");
	R_PLANNED("igbvf", "igbvf_intr_msix_rx", KIND_FUNC, METHOD_FENTRY, "igbvf_intr_msix_rx");
	R_PLANNED("igbvf", "igbvf_clean_tx_irq", KIND_FUNC, METHOD_FENTRY, "igbvf_clean_tx_irq");
	R_STATUS("igbvf", "igbvf_tx_queue_adv", KIND_FUNC, PST_INLINED);
	R_STATUS("igbvf", "igbvf_clean_rx_irq", KIND_FUNC, PST_INLINED);
	r = R_PLANNED("virtio-net", "start_xmit", KIND_FUNC, METHOD_FENTRY, "start_xmit");
	ck_assert_str_eq(r.module, "virtio_net");
	/* e1000e has a static e1000_xmit_frame too: the e1000 profile takes e1000's (Xen HVM's emulated NIC) */
	r = R_PLANNED("e1000", "e1000_xmit_frame", KIND_FUNC, METHOD_FENTRY, "e1000_xmit_frame");
	ck_assert_str_eq(r.module, "e1000");
	r = R_PLANNED("e1000e", "e1000_xmit_frame", KIND_FUNC, METHOD_FENTRY, "e1000_xmit_frame");
	ck_assert_str_eq(r.module, "e1000e");
	R_STATUS("e1000", "e1000_clean_tx_irq", KIND_FUNC, PST_INLINED);
	/* without kprobes, a GCC clone has no way in (no BTF for fentry) */
	caps.c[CAP_KPROBE].ok = false;
	R_STATUS("virtio-blk", "virtblk_prep_rq", KIND_FUNC, PST_UNAVAILABLE);
	kview_free(&kv);
}
END_TEST

START_TEST(debian_6_12)
{
	struct resolved r;

	load("6.12");
	R_PLANNED("virtio-net", "free_old_xmit_skbs", KIND_FUNC, METHOD_FENTRY, "free_old_xmit");
	R_STATUS("mlx5e", "mlx5e_sq_xmit_wqe", KIND_FUNC, PST_INLINED);         /* inlined into mlx5e_xmit */
	/* virtio core built in */
	r = R_PLANNED("virtio-core", "virtqueue_notify", KIND_FUNC, METHOD_FENTRY, "virtqueue_notify");
	ck_assert_str_eq(r.module, "vmlinux");
	r = R("virtio-core", "virtio_pci:vp_notify", KIND_FUNC);
	ck_assert_str_eq(r.module, "vmlinux");
	R_PLANNED("nvme", "nvme_process_cq", KIND_FUNC, METHOD_FENTRY, "nvme_poll_cq");
	R_PLANNED("xen-events", "xen_hvm_evtchn_do_upcall", KIND_FUNC, METHOD_FENTRY, "xen_evtchn_do_upcall");
	R_STATUS("xen-events", "xen_hypercall_pv", KIND_FUNC, PST_NOT_PROBEABLE);
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
	return RUN_TESTS_TIMEOUT("kernels", "debian", 60, debian_5_10, debian_6_1, debian_6_12,
		every_row_exists_somewhere);
}
