/* The profile table. Row order within a profile is the order of the path
 * (submit side first). Alternates are ordered oldest kernel first when an
 * old name survives with a different meaning (xen_evtchn_do_upcall exists on
 * 5.10 too, but the x86 path there is xen_hvm_evtchn_do_upcall). */
#include "kernel/profiles.h"

#include <string.h>

#include "iopath_net.h"

const struct profile iop_profiles[] = {
	{ "net-stack",   "vmlinux", PLAT_ANY, PP_NET, "generic network stack tracepoints (every NIC)" },
	{ "block-stack", "vmlinux", PLAT_ANY, PP_BLK, "generic blk-mq tracepoints (every disk)" },
	{ "irq",         "vmlinux", PLAT_ANY, PP_EXITS, "interrupts, softirqs and IPI vectors" },
	{ "tasks",       "vmlinux", PLAT_ANY, PP_TASKS, "around the I/O path: the traced tasks' syscalls, page faults, context switches, remote TLB flushes" },
	{ "tasks-xen-pv", "vmlinux", PLAT_XEN_PV, PP_TASKS, "the traced tasks' PV page-table updates (xen_mmu_* tracepoints)" },
	{ "xen-events",  "vmlinux", PLAT_XEN, PP_EXITS, "Xen event channels: upcalls, notifies, unmask, PV timer/halt" },
	{ "xen-grant",   "vmlinux", PLAT_XEN, PP_BLK, "Xen grant table operations (CPU cost, no exit on frontends)" },
	{ "xen-pv-mmu",  "vmlinux", PLAT_XEN_PV, PP_EXITS, "Xen PV multicalls and MMU hypercalls" },
	{ "xen-netfront", "xen_netfront", PLAT_XEN, PP_NET, "Xen PV network front-end (vif)" },
	{ "xen-blkfront", "xen_blkfront", PLAT_XEN, PP_BLK, "Xen PV block front-end (vbd)" },
	{ "xen-netback", "xen_netback", PLAT_XEN, PP_NET, "Xen network back-end in dom0 (vifN.M): the other end of a domU's netfront" },
	{ "xen-blkback", "xen_blkback", PLAT_XEN, PP_BLK, "Xen block back-end in dom0: the other end of a domU's blkfront" },
	{ "xen-backend-grant", "vmlinux", PLAT_XEN, PP_NET | PP_BLK, "the back-ends' grant copy/map hypercalls (dom0; never called in a domU)" },
	{ "virtio-core", "virtio_ring", PLAT_ANY, PP_EXITS, "virtio rings and PCI notify (kick = exit under KVM)" },
	{ "virtio-net",  "virtio_net", PLAT_ANY, PP_NET, "virtio network device" },
	{ "virtio-blk",  "virtio_blk", PLAT_ANY, PP_BLK, "virtio block device" },
	{ "nvme",        "nvme", PLAT_ANY, PP_BLK, "NVMe PCI (EBS/Nitro, emulated NVMe)" },
	{ "e1000e",      "e1000e", PLAT_ANY, PP_NET, "Intel e1000e (emulated NIC under QEMU)" },
	{ "e1000",       "e1000", PLAT_ANY, PP_NET, "Intel e1000 (82540EM: QEMU's and Xen HVM's emulated NIC)" },
	{ "ixgbevf",     "ixgbevf", PLAT_ANY, PP_NET, "Intel 82599 SR-IOV VF" },
	{ "igbvf",       "igbvf", PLAT_ANY, PP_NET, "Intel 82576 SR-IOV VF (igb's VFs; QEMU 8+ emulates them)" },
	{ "ena",         "ena", PLAT_ANY, PP_NET, "Amazon ENA (Nitro)" },
	{ "mlx5e",       "mlx5_core", PLAT_ANY, PP_NET, "Mellanox ConnectX VF" },
	{ "iavf",        "iavf", PLAT_ANY, PP_NET, "Intel adaptive VF" },
	{ "gve",         "gve", PLAT_ANY, PP_NET, "Google gVNIC" },
	{ "kvm-guest",   "vmlinux", PLAT_KVM, PP_EXITS, "KVM guest paravirt exits (PV IPI, EOI, timer, halt)" },
	{ "kvm-host",    "kvm", PLAT_HOST, 0, "KVM host: exits by reason, MMIO/PIO, injection" },
};
const unsigned iop_profile_count = sizeof(iop_profiles) / sizeof(iop_profiles[0]);

bool profile_wanted(const char *name, bool net, bool blk)
{
	const struct profile *p = profile_find(name);

	return p && ((net && (p->paths & PP_NET)) || (blk && (p->paths & PP_BLK)) || (p->paths & PP_EXITS));
}

bool profile_for_tasks(const char *name)
{
	const struct profile *p = profile_find(name);

	return p && (p->paths & PP_TASKS);
}

#define F  KIND_FUNC
#define FR KIND_FUNC_RET
#define T  KIND_TP

const struct probe_point iop_points[] = {
	/* --- generic network stack (driver independent, stable args) --- */
	{ "net-stack", "net:net_dev_queue",          T, ROLE_STACK, PATH_NET_TX, IDENT_SKB, 0, 0, "qdisc enqueue" },
	{ "net-stack", "net:net_dev_start_xmit",     T, ROLE_XMIT, PATH_NET_TX, IDENT_SKB, 0, 0, "right before ndo_start_xmit", 0, QX_SKB },
	{ "net-stack", "net:net_dev_xmit",           T, ROLE_STACK, PATH_NET_TX, IDENT_SKB, 0, 0, "driver returned (xmit incl. doorbell)", 0, QX_SKB },
	{ "net-stack", "skb:consume_skb",            T, ROLE_FREE, PATH_NET_TX, IDENT_SKB, 0, 0, "TX completion free" },
	{ "net-stack", "skb:kfree_skb",              T, ROLE_FREE, PATH_NONE, IDENT_SKB, 0, 0, "drop, with reason (5.17+)" },
	{ "net-stack", "napi:napi_poll",             T, ROLE_POLL, PATH_NET_RX, IDENT_QUEUE, 0, 0, "NAPI batch" },
	{ "net-stack", "net:napi_gro_receive_entry", T, ROLE_RX, PATH_NET_RX, IDENT_SKB, 0, 0, "driver hands skb to GRO" },
	{ "net-stack", "net:netif_rx",               T, ROLE_RX, PATH_NET_RX, IDENT_SKB, 0, 0, "non-NAPI receive (veth, loopback)" },
	{ "net-stack", "net:netif_receive_skb",      T, ROLE_STACK, PATH_NET_RX, IDENT_SKB, 0, 0, "stack delivery" },

	/* --- generic block layer --- */
	{ "block-stack", "block:block_bio_queue",    T, ROLE_STACK, PATH_BLK, IDENT_NONE, -1, 0, "bio submitted" },
	{ "block-stack", "block:block_rq_insert",    T, ROLE_STACK, PATH_BLK, IDENT_REQUEST, 0, 0, "scheduler insert" },
	{ "block-stack", "block:block_rq_issue",     T, ROLE_QUEUE_RQ, PATH_BLK, IDENT_REQUEST, 0, 0, "blk_mq_start_request: covers queue_rq and queue_rqs", 0, QX_RQ_HCTX },
	{ "block-stack", "block:block_rq_complete",  T, ROLE_COMPLETE, PATH_BLK, IDENT_REQUEST, 0, 0, "also batched completions", 0, QX_RQ_HCTX },
	{ "block-stack", "nvme:nvme_setup_cmd",      T, ROLE_QUEUE_RQ, PATH_BLK, IDENT_REQUEST, 0, 0, "nvme-core" },
	{ "block-stack", "nvme:nvme_complete_rq",    T, ROLE_COMPLETE, PATH_BLK, IDENT_REQUEST, 0, 0, "nvme-core" },

	/* --- interrupts --- */
	{ "irq", "irq:irq_handler_entry",            T, ROLE_IRQ, PATH_IRQ, IDENT_IRQ, 0, 0, "action->name names the queue" },
	{ "irq", "irq:irq_handler_exit",             T, ROLE_IRQ, PATH_IRQ, IDENT_IRQ, 0, 0, NULL },
	{ "irq", "irq:softirq_raise",                T, ROLE_SOFTIRQ, PATH_IRQ, IDENT_NONE, -1, 0, NULL },
	{ "irq", "irq:softirq_entry",                T, ROLE_SOFTIRQ, PATH_IRQ, IDENT_NONE, -1, 0, "NET_TX=2 NET_RX=3 BLOCK=4" },
	{ "irq", "irq:softirq_exit",                 T, ROLE_SOFTIRQ, PATH_IRQ, IDENT_NONE, -1, 0, NULL },
	{ "irq", "irq_vectors:local_timer_entry",    T, ROLE_IRQ, PATH_IRQ, IDENT_NONE, -1, 0, NULL },
	{ "irq", "irq_vectors:reschedule_entry",     T, ROLE_IPI, PATH_IRQ, IDENT_NONE, -1, 0, NULL },
	{ "irq", "irq_vectors:call_function_entry",  T, ROLE_IPI, PATH_IRQ, IDENT_NONE, -1, 0, NULL },
	{ "irq", "irq_vectors:call_function_single_entry", T, ROLE_IPI, PATH_IRQ, IDENT_NONE, -1, 0, NULL },
	{ "irq", "msr:write_msr",                    T, ROLE_HYPERCALL, PATH_EXIT, IDENT_NONE, -1, PF_MAYBE_EXIT, "traced wrmsr accessors only" },
	{ "irq", "swiotlb:swiotlb_bounced",          T, ROLE_BOUNCE, PATH_NONE, IDENT_NONE, -1, 0, "DMA bounce (Xen PV)" },

	/* --- around the I/O path: what the model says crosses on Xen PV (syscalls, exceptions), and what
	 * costs IPIs (remote TLB flushes); counted for the traced tasks --- */
	{ "tasks", "raw_syscalls:sys_enter",         T, ROLE_TASK, PATH_EXIT, IDENT_NONE, -1, 0, "every syscall (Xen PV: enters Xen, returns by iret)" },
	{ "tasks", "exceptions:page_fault_user",     T, ROLE_TASK, PATH_EXIT, IDENT_NONE, -1, 0, "x86" },
	{ "tasks", "exceptions:page_fault_kernel",   T, ROLE_TASK, PATH_EXIT, IDENT_NONE, -1, 0, "x86" },
	{ "tasks", "sched:sched_switch",             T, ROLE_TASK, PATH_EXIT, IDENT_NONE, -1, 0, "switches away from a traced task" },
	{ "tasks", "sched:sched_process_fork",       T, ROLE_TASK, PATH_EXIT, IDENT_NONE, -1, 0, "a traced task's children are traced" },
	{ "tasks", "sched:sched_process_exit",       T, ROLE_TASK, PATH_EXIT, IDENT_NONE, -1, 0, "a process leaves the scope with its last thread" },
	{ "tasks", "tlb:tlb_flush",                  T, ROLE_TASK, PATH_EXIT, IDENT_NONE, -1, 0, "TLB_REMOTE_SEND_IPI: flushes of other CPUs (not traced by Xen PV's flush)" },
	/* include/trace/events/xen.h: fired by arch/x86/xen/mmu_pv.c on PV only; each update is
	 * batched into a multicall (counted by xen:xen_mc_flush) or trapped by Xen */
	{ "tasks-xen-pv", "xen:xen_mmu_set_pte",     T, ROLE_TASK, PATH_EXIT, IDENT_NONE, -1, 0, "PV page-table write" },
	{ "tasks-xen-pv", "xen:xen_mmu_set_pmd",     T, ROLE_TASK, PATH_EXIT, IDENT_NONE, -1, 0, "PV page-table write" },
	{ "tasks-xen-pv", "xen:xen_mmu_set_pud",     T, ROLE_TASK, PATH_EXIT, IDENT_NONE, -1, 0, "PV page-table write" },
	{ "tasks-xen-pv", "xen:xen_mmu_set_p4d",     T, ROLE_TASK, PATH_EXIT, IDENT_NONE, -1, 0, "PV page-table write (4-level: the PGD)" },
	{ "tasks-xen-pv", "xen:xen_mmu_ptep_modify_prot_commit", T, ROLE_TASK, PATH_EXIT, IDENT_NONE, -1, 0, "mprotect-style PTE update" },

	/* --- Xen event channels (drivers/xen/events) --- */
	{ "xen-events", "notify_remote_via_irq",     F, ROLE_NOTIFY, PATH_EXIT, IDENT_IRQ, 0, PF_EXIT, "EVTCHNOP_send hypercall" },
	{ "xen-events", "xen_send_IPI_one",          F, ROLE_IPI, PATH_EXIT, IDENT_NONE, -1, PF_EXIT, "IPI via event channel" },
	{ "xen-events", "xen_hvm_evtchn_do_upcall|xen_evtchn_do_upcall", F, ROLE_UPCALL, PATH_IRQ, IDENT_NONE, -1, 0, "5.10: xen_hvm_evtchn_do_upcall; 6.1+: xen_evtchn_do_upcall" },
	{ "xen-events", "__sysvec_xen_hvm_callback", F, ROLE_UPCALL, PATH_IRQ, IDENT_NONE, -1, 0, "HVM callback vector" },
	{ "xen-events", "__xen_pv_evtchn_do_upcall", F, ROLE_UPCALL, PATH_IRQ, IDENT_NONE, -1, 0, "PV upcall (return is an iret hypercall)" },
	{ "xen-events", "handle_irq_for_port",       F, ROLE_IRQ, PATH_IRQ, IDENT_NONE, -1, 0, "per-port dispatch" },
	{ "xen-events", "xen_irq_lateeoi",           F, ROLE_UNMASK, PATH_IRQ, IDENT_IRQ, 0, 0, "late EOI" },
	{ "xen-events", "evtchn_fifo_unmask",        F, ROLE_UNMASK, PATH_EXIT, IDENT_NONE, -1, PF_MAYBE_EXIT, "EVTCHNOP_unmask if pending (upper bound)" },
	{ "xen-events", "evtchn_2l_unmask",          F, ROLE_UNMASK, PATH_EXIT, IDENT_NONE, -1, PF_MAYBE_EXIT, "2-level ABI unmask (upper bound)" },
	{ "xen-events", "eoi_pirq",                  F, ROLE_UNMASK, PATH_EXIT, IDENT_NONE, -1, PF_MAYBE_EXIT, "PHYSDEVOP_eoi for passthrough MSI" },
	{ "xen-events", "xen_vcpuop_set_next_event", F, ROLE_TIMER, PATH_EXIT, IDENT_NONE, -1, PF_EXIT, "VCPUOP_set_singleshot_timer" },
	{ "xen-events", "xen_safe_halt",             F, ROLE_HALT, PATH_EXIT, IDENT_NONE, -1, PF_EXIT, "SCHEDOP_block" },
	{ "xen-events", "xen_poll_irq_timeout",      F, ROLE_HYPERCALL, PATH_EXIT, IDENT_NONE, -1, PF_EXIT, "SCHEDOP_poll (PV spinlock)" },
	{ "xen-events", "xen_hypercall_pv",          F, ROLE_HYPERCALL, PATH_EXIT, IDENT_NONE, -1, PF_EXIT, "every PV hypercall; Debian 5.10 refuses its kprobe: assembly, no ftrace site (lab PV domU)" },

	/* --- Xen grant table --- */
	{ "xen-grant", "gnttab_grant_foreign_access_ref", F, ROLE_GRANT, PATH_NONE, IDENT_NONE, -1, 0, NULL },
	{ "xen-grant", "gnttab_end_foreign_access_ref",   F, ROLE_GRANT, PATH_NONE, IDENT_NONE, -1, 0, "5.10 has (ref, readonly)" },
	{ "xen-grant", "gnttab_try_end_foreign_access",   F, ROLE_GRANT, PATH_NONE, IDENT_NONE, -1, 0, NULL },
	{ "xen-grant", "gnttab_claim_grant_reference",    F, ROLE_GRANT, PATH_NONE, IDENT_NONE, -1, 0, NULL },
	{ "xen-grant", "gnttab_release_grant_reference",  F, ROLE_GRANT, PATH_NONE, IDENT_NONE, -1, 0, NULL },
	{ "xen-grant", "gnttab_alloc_grant_references",   F, ROLE_GRANT, PATH_NONE, IDENT_NONE, -1, 0, NULL },

	/* --- Xen PV multicalls / MMU --- */
	{ "xen-pv-mmu", "xen:xen_mc_flush",          T, ROLE_HYPERCALL, PATH_EXIT, IDENT_NONE, -1, PF_EXIT, "mcidx >= 1 means one hypercall" },
	{ "xen-pv-mmu", "xen:xen_mc_batch",          T, ROLE_HYPERCALL, PATH_EXIT, IDENT_NONE, -1, 0, "fires on PV only" },

	/* --- xen-netfront --- */
	{ "xen-netfront", "xennet_start_xmit",       F, ROLE_XMIT, PATH_NET_TX, IDENT_SKB, 0, 0, "may notify_remote_via_irq" , 0, QX_SKB },
	{ "xen-netfront", "xennet_start_xmit",       FR, ROLE_XMIT, PATH_NET_TX, IDENT_SKB, 0, 0, "end of TX scope" , 0, QX_SKB },
	{ "xen-netfront", "xennet_tx_setup_grant",   F, ROLE_GRANT, PATH_NET_TX, IDENT_NONE, -1, 0, "grant per fragment" },
	{ "xen-netfront", "xennet_make_first_txreq", F, ROLE_XMIT, PATH_NET_TX, IDENT_NONE, -1, PF_MAY_INLINE, "inlined into xennet_start_xmit" },
	{ "xen-netfront", "xennet_tx_interrupt|xennet_interrupt", F, ROLE_IRQ, PATH_NET_TX, IDENT_QUEUE, 1, 0, "split or combined evtchn" , 1, QX_NETFRONT_QUEUE },
	{ "xen-netfront", "xennet_handle_tx",        F, ROLE_TX_COMPLETE, PATH_NET_TX, IDENT_QUEUE, 0, PF_MAY_INLINE, "inlined into the interrupt handlers" },
	{ "xen-netfront", "xennet_tx_buf_gc",        F, ROLE_TX_COMPLETE, PATH_NET_TX, IDENT_QUEUE, 0, 0, "TX completion in hard IRQ" , 0, QX_NETFRONT_QUEUE },
	{ "xen-netfront", "xennet_rx_interrupt",     F, ROLE_IRQ, PATH_NET_RX, IDENT_QUEUE, 1, 0, NULL , 1, QX_NETFRONT_QUEUE },
	{ "xen-netfront", "xennet_handle_rx",        F, ROLE_IRQ, PATH_NET_RX, IDENT_QUEUE, 0, 0, NULL , 0, QX_NETFRONT_QUEUE },
	{ "xen-netfront", "xennet_poll",             F, ROLE_POLL, PATH_NET_RX, IDENT_QUEUE, 0, 0, NULL },
	{ "xen-netfront", "xennet_get_responses",    F, ROLE_RX, PATH_NET_RX, IDENT_QUEUE, 0, 0, "per-packet RX parse" },
	{ "xen-netfront", "handle_incoming_queue",   F, ROLE_RX, PATH_NET_RX, IDENT_QUEUE, 0, PF_MAY_INLINE, "inlined into xennet_poll" },
	{ "xen-netfront", "xennet_alloc_rx_buffers", F, ROLE_REFILL, PATH_NET_RX, IDENT_QUEUE, 0, 0, "may notify_remote_via_irq" , 0, QX_NETFRONT_QUEUE },
	{ "xen-netfront", "xennet_alloc_rx_buffers", FR, ROLE_REFILL, PATH_NET_RX, IDENT_QUEUE, 0, 0, "end of refill scope" , 0, QX_NETFRONT_QUEUE },
	{ "xen-netfront", "bounce_skb",              F, ROLE_BOUNCE, PATH_NET_TX, IDENT_SKB, 0, PF_MAY_INLINE, "5.10 global; inlined on 6.1+" },

	/* --- xen-blkfront --- */
	{ "xen-blkfront", "blkif_queue_rq",          F, ROLE_QUEUE_RQ, PATH_BLK, IDENT_BLK_MQ_DATA, 1, 0, "may notify_remote_via_irq" , 0, QX_HCTX },
	{ "xen-blkfront", "blkif_queue_rq",          FR, ROLE_QUEUE_RQ, PATH_BLK, IDENT_BLK_MQ_DATA, 1, 0, "end of submit scope" , 0, QX_HCTX },
	{ "xen-blkfront", "blkif_queue_request",     F, ROLE_QUEUE_RQ, PATH_BLK, IDENT_REQUEST, 0, PF_MAY_INLINE, "inlined into blkif_queue_rq" },
	{ "xen-blkfront", "blkif_setup_rw_req_grant", F, ROLE_GRANT, PATH_BLK, IDENT_NONE, -1, 0, "per segment" },
	{ "xen-blkfront", "blkif_interrupt",         F, ROLE_IRQ, PATH_BLK, IDENT_QUEUE, 1, 0, "irq name blkif" },
	{ "xen-blkfront", "blkif_completion",        F, ROLE_COMPLETE, PATH_BLK, IDENT_NONE, -1, PF_MAY_INLINE, "inlined into blkif_interrupt" },
	{ "xen-blkfront", "blkif_copy_from_grant",   F, ROLE_BOUNCE, PATH_BLK, IDENT_NONE, -1, 0, "bounce copy" },
	{ "xen-blkfront", "blkif_complete_rq",       F, ROLE_COMPLETE, PATH_BLK, IDENT_REQUEST, 0, 0, NULL },

	/* --- Xen back-ends (dom0; drivers/net/xen-netback, drivers/block/xen-blkback; the same
	 * symbols in Debian 5.10, 6.1 and 6.12: tests/fixtures/kernels). netback's guest-RX side
	 * (xenvif_rx_action, which grant-copies into the domU's ring and notifies it) is inlined into
	 * its kthread, as blkback's dispatch_rw_block_io is into the ring loop: their hypercalls are
	 * the xen-backend-grant rows and xen-events' notify_remote_via_irq --- */
	{ "xen-netback", "xenvif_start_xmit",        F, ROLE_XMIT, PATH_NET_TX, IDENT_SKB, 0, 0, "dom0 to the domU: the skb queued for the guest-RX kthread", 0, QX_SKB },
	{ "xen-netback", "xenvif_start_xmit",        FR, ROLE_XMIT, PATH_NET_TX, IDENT_SKB, 0, 0, "end of TX scope", 0, QX_SKB },
	{ "xen-netback", "xenvif_tx_interrupt|xenvif_interrupt", F, ROLE_IRQ, PATH_NET_RX, IDENT_NONE, -1, 0, "the domU kicked its TX ring (split event channels; combined: xenvif_interrupt)" },
	{ "xen-netback", "xenvif_rx_interrupt",      F, ROLE_IRQ, PATH_NET_TX, IDENT_NONE, -1, 0, "the domU posted RX buffers (wakes the guest-RX kthread)" },
	{ "xen-netback", "xenvif_poll",              F, ROLE_POLL, PATH_NET_RX, IDENT_NONE, -1, 0, "NAPI over the domU's TX ring" },
	{ "xen-netback", "xenvif_tx_action",         F, ROLE_RX, PATH_NET_RX, IDENT_NONE, -1, 0, "builds dom0 skbs from the domU's TX requests (grant copy of the headers, map of the rest)" },
	{ "xen-blkback", "xen_blkif_be_int",         F, ROLE_IRQ, PATH_BLK, IDENT_NONE, -1, 0, "the domU kicked its ring (wakes xen_blkif_schedule)" },
	{ "xen-blkback", "xen_blkbk_map",            F, ROLE_GRANT, PATH_BLK, IDENT_NONE, -1, 0, "maps a request's granted pages (persistent grants: only new ones)" },
	{ "xen-blkback", "xen_blkbk_unmap",          F, ROLE_GRANT, PATH_BLK, IDENT_NONE, -1, 0, "unmaps non-persistent grants" },
	{ "xen-blkback", "end_block_io_op",          F, ROLE_COMPLETE, PATH_BLK, IDENT_NONE, -1, 0, "a bio of a domU request completed" },
	{ "xen-blkback", "make_response",            F, ROLE_COMPLETE, PATH_BLK, IDENT_NONE, -1, 0, "the response on the domU's ring (notifies it when its event index says so)" },
	{ "xen-backend-grant", "gnttab_batch_copy",  F, ROLE_HYPERCALL, PATH_EXIT, IDENT_NONE, -1, PF_EXIT, "GNTTABOP_copy: one hypercall per batch (netback's copies)" },
	{ "xen-backend-grant", "gnttab_map_refs",    F, ROLE_HYPERCALL, PATH_EXIT, IDENT_NONE, -1, PF_EXIT, "GNTTABOP_map_grant_ref: at least one hypercall per batch" },
	{ "xen-backend-grant", "gnttab_unmap_refs",  F, ROLE_HYPERCALL, PATH_EXIT, IDENT_NONE, -1, PF_EXIT, "GNTTABOP_unmap_grant_ref: at least one hypercall per batch" },

	/* --- virtio core --- */
	{ "virtio-core", "virtqueue_notify",         F, ROLE_NOTIFY, PATH_EXIT, IDENT_QUEUE, 0, PF_EXIT, "kick: PIO/MMIO exit under KVM" , 0, QX_VIRTQUEUE },
	{ "virtio-core", "virtio_pci:vp_notify",     F, ROLE_NOTIFY, PATH_NONE, IDENT_QUEUE, 0, 0, "the notify write under virtqueue_notify (counted there; module virtio_pci, built in on 6.12+)" , 0, QX_VIRTQUEUE },
	{ "virtio-core", "virtqueue_kick_prepare",   F, ROLE_NOTIFY, PATH_NONE, IDENT_QUEUE, 0, 0, "event-idx check" },
	{ "virtio-core", "vring_interrupt",          F, ROLE_IRQ, PATH_IRQ, IDENT_QUEUE, 1, 0, "per-vq MSI-X handler" , 1, QX_VIRTQUEUE },
	{ "virtio-core", "virtqueue_add_outbuf",     F, ROLE_XMIT, PATH_NONE, IDENT_QUEUE, 0, 0, NULL },
	{ "virtio-core", "virtqueue_get_buf_ctx",    F, ROLE_COMPLETE, PATH_NONE, IDENT_QUEUE, 0, 0, NULL },

	/* --- virtio-net --- */
	{ "virtio-net", "start_xmit",                F, ROLE_XMIT, PATH_NET_TX, IDENT_SKB, 0, 0, "dl2k also has start_xmit: module-qualified" , 0, QX_SKB },
	{ "virtio-net", "start_xmit",                FR, ROLE_XMIT, PATH_NET_TX, IDENT_SKB, 0, 0, "end of TX scope" , 0, QX_SKB },
	{ "virtio-net", "xmit_skb",                  F, ROLE_XMIT, PATH_NET_TX, IDENT_SKB, 1, PF_MAY_INLINE, "inlined into start_xmit" },
	{ "virtio-net", "free_old_xmit_skbs|free_old_xmit", F, ROLE_TX_COMPLETE, PATH_NET_TX, IDENT_QUEUE, 0, 0, "6.12+: free_old_xmit" , 0, QX_VIRTNET_SQ },
	{ "virtio-net", "skb_xmit_done",             F, ROLE_IRQ, PATH_NET_TX, IDENT_QUEUE, 0, 0, "TX vq callback" , 0, QX_VIRTQUEUE },
	{ "virtio-net", "virtnet_poll_tx",           F, ROLE_POLL, PATH_NET_TX, IDENT_QUEUE, 0, 0, NULL },
	{ "virtio-net", "skb_recv_done",             F, ROLE_IRQ, PATH_NET_RX, IDENT_QUEUE, 0, 0, "RX vq callback" , 0, QX_VIRTQUEUE },
	{ "virtio-net", "virtnet_poll",              F, ROLE_POLL, PATH_NET_RX, IDENT_QUEUE, 0, 0, NULL },
	{ "virtio-net", "virtnet_receive",           F, ROLE_RX, PATH_NET_RX, IDENT_QUEUE, 0, PF_MAY_INLINE, "inlined into virtnet_poll" },
	{ "virtio-net", "receive_buf",               F, ROLE_RX, PATH_NET_RX, IDENT_QUEUE, 1, 0, "per packet" },
	{ "virtio-net", "try_fill_recv",             F, ROLE_REFILL, PATH_NET_RX, IDENT_QUEUE, 1, 0, "may kick" , 1, QX_VIRTNET_RQ },
	{ "virtio-net", "try_fill_recv",             FR, ROLE_REFILL, PATH_NET_RX, IDENT_QUEUE, 1, 0, "end of refill scope" , 1, QX_VIRTNET_RQ },

	/* --- virtio-blk --- */
	{ "virtio-blk", "virtio_queue_rq",           F, ROLE_QUEUE_RQ, PATH_BLK, IDENT_BLK_MQ_DATA, 1, 0, "kick if bd->last" , 0, QX_HCTX },
	{ "virtio-blk", "virtio_queue_rq",           FR, ROLE_QUEUE_RQ, PATH_BLK, IDENT_BLK_MQ_DATA, 1, 0, "end of submit scope" , 0, QX_HCTX },
	{ "virtio-blk", "virtio_queue_rqs",          F, ROLE_QUEUE_RQ, PATH_BLK, IDENT_NONE, -1, 0, "batch submit (6.1+), bypasses virtio_queue_rq" },
	/* added for the block path: the return ends the batch submit scope */
	{ "virtio-blk", "virtio_queue_rqs",          FR, ROLE_QUEUE_RQ, PATH_BLK, IDENT_NONE, -1, 0, "end of batch submit scope" },
	{ "virtio-blk", "virtio_commit_rqs",         F, ROLE_NOTIFY, PATH_BLK, IDENT_NONE, -1, 0, "deferred kick" , 0, QX_HCTX },
	/* added for the block path: the kick inside is charged until the return */
	{ "virtio-blk", "virtio_commit_rqs",         FR, ROLE_NOTIFY, PATH_BLK, IDENT_NONE, -1, 0, "end of commit scope" },
	{ "virtio-blk", "virtblk_prep_rq",           F, ROLE_QUEUE_RQ, PATH_BLK, IDENT_REQUEST, -1, PF_CLONE_OK, ".isra.0 clone on 6.1+" },
	{ "virtio-blk", "virtblk_done",              F, ROLE_IRQ, PATH_BLK, IDENT_QUEUE, 0, 0, "vq callback" , 0, QX_VIRTQUEUE },
	{ "virtio-blk", "virtblk_request_done",      F, ROLE_COMPLETE, PATH_BLK, IDENT_REQUEST, 0, 0, NULL },
	{ "virtio-blk", "virtblk_complete_batch",    F, ROLE_COMPLETE, PATH_BLK, IDENT_NONE, -1, 0, "6.1+" },

	/* --- nvme --- */
	{ "nvme", "nvme_queue_rq",                   F, ROLE_QUEUE_RQ, PATH_BLK, IDENT_BLK_MQ_DATA, 1, 0, "SQ doorbell: exit only on emulated NVMe" , 0, QX_HCTX },
	{ "nvme", "nvme_queue_rq",                   FR, ROLE_QUEUE_RQ, PATH_BLK, IDENT_BLK_MQ_DATA, 1, 0, "end of submit scope" , 0, QX_HCTX },
	{ "nvme", "nvme_queue_rqs",                  F, ROLE_QUEUE_RQ, PATH_BLK, IDENT_NONE, -1, 0, "batch submit (6.1+)" },
	/* added for the block path: the return ends the batch submit scope */
	{ "nvme", "nvme_queue_rqs",                  FR, ROLE_QUEUE_RQ, PATH_BLK, IDENT_NONE, -1, 0, "end of batch submit scope" },
	{ "nvme", "nvme_commit_rqs",                 F, ROLE_NOTIFY, PATH_BLK, IDENT_QUEUE, 0, 0, "deferred doorbell" , 0, QX_HCTX },
	/* added for the block path: the return ends the commit scope */
	{ "nvme", "nvme_commit_rqs",                 FR, ROLE_NOTIFY, PATH_BLK, IDENT_QUEUE, 0, 0, "end of commit scope" },
	{ "nvme", "nvme_write_sq_db",                F, ROLE_NOTIFY, PATH_BLK, IDENT_QUEUE, 0, PF_MAY_INLINE, "inlined doorbell" },
	{ "nvme", "nvme_prep_rq",                    F, ROLE_QUEUE_RQ, PATH_BLK, IDENT_REQUEST, -1, PF_CLONE_OK, ".part.0 clone on 6.1+" },
	{ "nvme", "nvme_irq",                        F, ROLE_IRQ, PATH_BLK, IDENT_QUEUE, 1, 0, "MSI-X handler" , 1, QX_NVME_QUEUE },
	{ "nvme", "nvme_process_cq|nvme_poll_cq",    F, ROLE_POLL, PATH_BLK, IDENT_QUEUE, 0, 0, "5.10: nvme_process_cq" , 0, QX_NVME_QUEUE },
	{ "nvme", "nvme_pci_complete_rq",            F, ROLE_COMPLETE, PATH_BLK, IDENT_REQUEST, 0, 0, NULL },
	{ "nvme", "nvme_pci_complete_batch",         F, ROLE_COMPLETE, PATH_BLK, IDENT_NONE, -1, 0, "batched completion (6.1+)" },

	/* --- e1000e (emulated by QEMU: the tail write exits) --- */
	{ "e1000e", "e1000_xmit_frame",              F, ROLE_XMIT, PATH_NET_TX, IDENT_SKB, 0, 0, "tail write exits under emulation" , 0, QX_SKB },
	{ "e1000e", "e1000_xmit_frame",              FR, ROLE_XMIT, PATH_NET_TX, IDENT_SKB, 0, 0, "end of TX scope" , 0, QX_SKB },
	{ "e1000e", "e1000_intr_msix_tx",            F, ROLE_IRQ, PATH_NET_TX, IDENT_NONE, -1, 0, NULL },
	{ "e1000e", "e1000_intr_msix_rx",            F, ROLE_IRQ, PATH_NET_RX, IDENT_NONE, -1, 0, NULL },
	{ "e1000e", "e1000_intr_msi|e1000_intr",     F, ROLE_IRQ, PATH_NET_RX, IDENT_NONE, -1, 0, "MSI / legacy" },
	{ "e1000e", "e1000e_poll",                   F, ROLE_POLL, PATH_NET_RX, IDENT_QUEUE, 0, 0, NULL },
	{ "e1000e", "e1000_clean_tx_irq",            F, ROLE_TX_COMPLETE, PATH_NET_TX, IDENT_QUEUE, 0, PF_MAY_INLINE, NULL },
	{ "e1000e", "e1000_clean_rx_irq",            F, ROLE_RX, PATH_NET_RX, IDENT_QUEUE, 0, 0, "via adapter->clean_rx" },
	{ "e1000e", "e1000_alloc_rx_buffers",        F, ROLE_REFILL, PATH_NET_RX, IDENT_QUEUE, 0, 0, "tail write" },

	/* --- e1000 (drivers/net/ethernet/intel/e1000, 6.1 e1000_main.c: the TDT tail write is inline in
	 * e1000_xmit_frame, skipped only while netdev_xmit_more(); e1000_clean_tx_irq is inlined into
	 * e1000_clean; legacy INTx, so one handler for TX and RX) --- */
	{ "e1000", "e1000_xmit_frame",               F, ROLE_XMIT, PATH_NET_TX, IDENT_SKB, 0, PF_MAYBE_EXIT | PF_EMUL_IO, "TDT tail write inside, one per call unless xmit_more (upper bound)" , 0, QX_SKB },
	{ "e1000", "e1000_xmit_frame",               FR, ROLE_XMIT, PATH_NET_TX, IDENT_SKB, 0, 0, "end of TX scope" , 0, QX_SKB },
	{ "e1000", "e1000_intr",                     F, ROLE_IRQ, PATH_NET_RX, IDENT_NONE, -1, 0, "INTx handler: reads ICR, masks with IMC" },
	{ "e1000", "e1000_clean",                    F, ROLE_POLL, PATH_NET_RX, IDENT_QUEUE, 0, 0, "NAPI poll: TX clean, then RX" },
	{ "e1000", "e1000_clean_tx_irq",             F, ROLE_TX_COMPLETE, PATH_NET_TX, IDENT_QUEUE, 0, PF_MAY_INLINE, "inlined into e1000_clean" },
	{ "e1000", "e1000_clean_rx_irq",             F, ROLE_RX, PATH_NET_RX, IDENT_QUEUE, 0, 0, "via adapter->clean_rx" },
	{ "e1000", "e1000_alloc_rx_buffers",         F, ROLE_REFILL, PATH_NET_RX, IDENT_QUEUE, 0, 0, "RDT tail write" },

	/* --- ixgbevf --- */
	{ "ixgbevf", "ixgbevf_xmit_frame",           F, ROLE_XMIT, PATH_NET_TX, IDENT_SKB, 0, 0, "tail write every packet" , 0, QX_SKB },
	{ "ixgbevf", "ixgbevf_xmit_frame_ring",      F, ROLE_XMIT, PATH_NET_TX, IDENT_SKB, 0, PF_MAY_INLINE, "inlined" },
	{ "ixgbevf", "ixgbevf_msix_clean_rings",     F, ROLE_IRQ, PATH_IRQ, IDENT_QUEUE, 1, 0, NULL },
	{ "ixgbevf", "ixgbevf_poll",                 F, ROLE_POLL, PATH_NET_RX, IDENT_QUEUE, 0, 0, "TX+RX clean inlined" },
	{ "ixgbevf", "ixgbevf_clean_rx_irq",         F, ROLE_RX, PATH_NET_RX, IDENT_QUEUE, 0, PF_MAY_INLINE, "inlined into ixgbevf_poll" },
	{ "ixgbevf", "ixgbevf_alloc_rx_buffers",     F, ROLE_REFILL, PATH_NET_RX, IDENT_QUEUE, 0, 0, NULL },

	/* --- igbvf (drivers/net/ethernet/intel/igbvf/netdev.c; one TX and one RX ring, three MSI-X
	 * vectors: <if>-tx-0, <if>-rx-0 and <if> for the PF mailbox). The tail write is in
	 * igbvf_tx_queue_adv, a static inline called once per igbvf_xmit_frame (no xmit_more
	 * batching: every packet rings it); inlined on Debian 5.10, 6.1 and 6.12, so no probe counts
	 * it there and a recording says so. A VF's BAR is the device's own (passthrough, no exit);
	 * QEMU's emulated igb makes the same write an access to its device model. --- */
	{ "igbvf", "igbvf_xmit_frame",               F, ROLE_XMIT, PATH_NET_TX, IDENT_SKB, 0, 0, "ndo_start_xmit; the tail write inside" , 0, QX_SKB },
	{ "igbvf", "igbvf_xmit_frame",               FR, ROLE_XMIT, PATH_NET_TX, IDENT_SKB, 0, 0, "end of TX scope" , 0, QX_SKB },
	{ "igbvf", "igbvf_tx_queue_adv",             F, ROLE_NOTIFY, PATH_EXIT, IDENT_NONE, -1, PF_MAYBE_EXIT | PF_MAY_INLINE, "TX tail write (MMIO doorbell); inlined into igbvf_xmit_frame" },
	{ "igbvf", "igbvf_intr_msix_tx",             F, ROLE_IRQ, PATH_NET_TX, IDENT_NONE, -1, 0, "<if>-tx-0: cleans TX in hard IRQ" },
	{ "igbvf", "igbvf_intr_msix_rx",             F, ROLE_IRQ, PATH_NET_RX, IDENT_NONE, -1, 0, "<if>-rx-0: schedules NAPI (also forced by the 2 s watchdog)" },
	{ "igbvf", "igbvf_poll",                     F, ROLE_POLL, PATH_NET_RX, IDENT_QUEUE, 0, 0, "RX only" },
	{ "igbvf", "igbvf_clean_tx_irq",             F, ROLE_TX_COMPLETE, PATH_NET_TX, IDENT_QUEUE, 0, 0, "once per igbvf_intr_msix_tx" },
	{ "igbvf", "igbvf_clean_rx_irq",             F, ROLE_RX, PATH_NET_RX, IDENT_QUEUE, 0, PF_MAY_INLINE, "inlined into igbvf_poll; arg 0 is the adapter (one RX ring)" },
	{ "igbvf", "igbvf_alloc_rx_buffers",         F, ROLE_REFILL, PATH_NET_RX, IDENT_QUEUE, 0, 0, "RX tail write" },

	/* --- ena --- */
	{ "ena", "ena_start_xmit",                   F, ROLE_XMIT, PATH_NET_TX, IDENT_SKB, 0, 0, "doorbell unless xmit_more" , 0, QX_SKB },
	{ "ena", "ena_xmit_common",                  F, ROLE_XMIT, PATH_NET_TX, IDENT_NONE, -1, 0, "6.12+: takes ena_adapter" },
	{ "ena", "ena_com_write_bounce_buffer_to_dev", F, ROLE_NOTIFY, PATH_NET_TX, IDENT_NONE, -1, 0, "LLQ push (MMIO, no exit on Nitro)" },
	{ "ena", "ena_ring_tx_doorbell",             F, ROLE_NOTIFY, PATH_NET_TX, IDENT_NONE, -1, PF_MAY_INLINE, "inlined doorbell" },
	{ "ena", "ena_intr_msix_io",                 F, ROLE_IRQ, PATH_IRQ, IDENT_QUEUE, 1, 0, NULL },
	{ "ena", "ena_io_poll",                      F, ROLE_POLL, PATH_NET_RX, IDENT_QUEUE, 0, 0, NULL },
	{ "ena", "ena_clean_rx_irq",                 F, ROLE_RX, PATH_NET_RX, IDENT_QUEUE, 0, PF_MAY_INLINE, "inlined into ena_io_poll" },
	{ "ena", "ena_com_rx_pkt",                   F, ROLE_RX, PATH_NET_RX, IDENT_NONE, -1, 0, "per packet" },
	{ "ena", "ena_refill_rx_bufs",               F, ROLE_REFILL, PATH_NET_RX, IDENT_QUEUE, 0, 0, NULL },
	{ "ena", "ena_unmask_interrupt",             F, ROLE_UNMASK, PATH_IRQ, IDENT_QUEUE, 0, 0, "partly inlined (XDP path) on 6.1" },

	/* --- mlx5e --- */
	{ "mlx5e", "mlx5e_xmit",                     F, ROLE_XMIT, PATH_NET_TX, IDENT_SKB, 0, 0, NULL , 0, QX_SKB },
	{ "mlx5e", "mlx5e_sq_xmit_wqe",              F, ROLE_XMIT, PATH_NET_TX, IDENT_SKB, 1, PF_MAY_INLINE, "inlined into mlx5e_xmit on 6.12+" },
	{ "mlx5e", "mlx5e_txwqe_complete",           F, ROLE_NOTIFY, PATH_NET_TX, IDENT_SKB, 1, 0, "doorbell decision" },
	{ "mlx5e", "mlx5e_notify_hw",                F, ROLE_NOTIFY, PATH_NET_TX, IDENT_NONE, -1, PF_MAY_INLINE, "inlined doorbell" },
	{ "mlx5e", "mlx5_irq_int_handler|irq_int_handler", F, ROLE_IRQ, PATH_IRQ, IDENT_NONE, -1, 0, "5.10: mlx5_irq_int_handler" },
	{ "mlx5e", "mlx5e_napi_poll",                F, ROLE_POLL, PATH_NET_RX, IDENT_QUEUE, 0, 0, NULL },
	{ "mlx5e", "mlx5e_poll_tx_cq",               F, ROLE_TX_COMPLETE, PATH_NET_TX, IDENT_QUEUE, 0, 0, NULL },
	{ "mlx5e", "mlx5e_poll_rx_cq",               F, ROLE_RX, PATH_NET_RX, IDENT_QUEUE, 0, 0, NULL },
	{ "mlx5e", "mlx5e_post_rx_wqes",             F, ROLE_REFILL, PATH_NET_RX, IDENT_QUEUE, 0, 0, NULL },

	/* --- iavf --- */
	{ "iavf", "iavf_xmit_frame",                 F, ROLE_XMIT, PATH_NET_TX, IDENT_SKB, 0, 0, NULL , 0, QX_SKB },
	{ "iavf", "iavf_xmit_frame_ring",            F, ROLE_XMIT, PATH_NET_TX, IDENT_SKB, 0, PF_MAY_INLINE, "inlined" },
	{ "iavf", "iavf_msix_clean_rings",           F, ROLE_IRQ, PATH_IRQ, IDENT_QUEUE, 1, 0, NULL },
	{ "iavf", "iavf_napi_poll",                  F, ROLE_POLL, PATH_NET_RX, IDENT_QUEUE, 0, 0, NULL },
	{ "iavf", "iavf_clean_rx_irq",               F, ROLE_RX, PATH_NET_RX, IDENT_QUEUE, 0, PF_MAY_INLINE, "inlined" },
	{ "iavf", "iavf_alloc_rx_buffers",           F, ROLE_REFILL, PATH_NET_RX, IDENT_QUEUE, 0, 0, NULL },

	/* --- gve --- */
	{ "gve", "gve_start_xmit|gve_tx",            F, ROLE_XMIT, PATH_NET_TX, IDENT_SKB, 0, 0, "5.10: ndo_start_xmit = gve_tx" , 0, QX_SKB },
	{ "gve", "gve_tx_dqo",                       F, ROLE_XMIT, PATH_NET_TX, IDENT_SKB, 0, 0, "DQO format" },
	{ "gve", "gve_intr|gve_intr_dqo",            F, ROLE_IRQ, PATH_IRQ, IDENT_NONE, -1, 0, NULL },
	{ "gve", "gve_napi_poll",                    F, ROLE_POLL, PATH_NET_RX, IDENT_QUEUE, 0, 0, NULL },
	{ "gve", "gve_napi_poll_dqo",                F, ROLE_POLL, PATH_NET_RX, IDENT_QUEUE, 0, 0, NULL },
	{ "gve", "gve_clean_tx_done",                F, ROLE_TX_COMPLETE, PATH_NET_TX, IDENT_NONE, -1, PF_CLONE_OK, ".isra.0 clone" },
	{ "gve", "gve_rx_write_doorbell",            F, ROLE_NOTIFY, PATH_NET_RX, IDENT_NONE, -1, PF_EXIT, "doorbell MMIO; assume exit" },

	/* --- KVM guest paravirt exits --- */
	{ "kvm-guest", "kvm_send_ipi_mask",          F, ROLE_IPI, PATH_EXIT, IDENT_NONE, -1, PF_EXIT, "KVM_HC_SEND_IPI" },
	{ "kvm-guest", "kvm_send_ipi_mask_allbutself", F, ROLE_IPI, PATH_EXIT, IDENT_NONE, -1, PF_EXIT, NULL },
	{ "kvm-guest", "kvm_guest_apic_eoi_write",   F, ROLE_UNMASK, PATH_EXIT, IDENT_NONE, -1, PF_MAYBE_EXIT, "PV-EOI avoids the EOI exit" },
	{ "kvm-guest", "x2apic_send_IPI",            F, ROLE_IPI, PATH_EXIT, IDENT_NONE, -1, PF_EXIT, "ICR wrmsr" },
	{ "kvm-guest", "lapic_next_deadline",        F, ROLE_TIMER, PATH_EXIT, IDENT_NONE, -1, PF_EXIT, "TSC deadline wrmsr" },
	{ "kvm-guest", "default_idle",               F, ROLE_HALT, PATH_EXIT, IDENT_NONE, -1, PF_EXIT, "HLT" },

	/* --- KVM host --- */
	{ "kvm-host", "kvm:kvm_exit",                T, ROLE_HOST_EXIT, PATH_HOST, IDENT_NONE, -1, 0, "exit reason" },
	{ "kvm-host", "kvm:kvm_entry",               T, ROLE_HOST_EXIT, PATH_HOST, IDENT_NONE, -1, 0, "back into the guest" },
	{ "kvm-host", "kvm:kvm_pio",                 T, ROLE_HOST_EXIT, PATH_HOST, IDENT_NONE, -1, 0, "port I/O exit: port, size, data" },
	{ "kvm-host", "kvm:kvm_mmio",                T, ROLE_HOST_EXIT, PATH_HOST, IDENT_NONE, -1, 0, "emulated MMIO: gpa, len, data" },
	{ "kvm-host", "kvm:kvm_fast_mmio",           T, ROLE_HOST_EXIT, PATH_HOST, IDENT_NONE, -1, 0, "VMX fast MMIO bus (ioeventfd, EPT misconfig)" },
	{ "kvm-host", "kvm:kvm_msr",                 T, ROLE_HOST_EXIT, PATH_HOST, IDENT_NONE, -1, 0, "MSR read/write exit" },
	{ "kvm-host", "kvm:kvm_set_irq",             T, ROLE_HOST_EXIT, PATH_HOST, IDENT_NONE, -1, 0, "GSI assertion (irqfd, KVM_IRQ_LINE)" },
	{ "kvm-host", "kvm:kvm_msi_set_irq",         T, ROLE_HOST_EXIT, PATH_HOST, IDENT_NONE, -1, 0, "MSI delivery: vector, destination" },
	{ "kvm-host", "kvm:kvm_inj_virq",            T, ROLE_HOST_EXIT, PATH_HOST, IDENT_NONE, -1, 0, "interrupt injected at entry" },
	{ "kvm-host", "kvm:kvm_userspace_exit",      T, ROLE_HOST_EXIT, PATH_HOST, IDENT_NONE, -1, 0, "KVM_RUN returns to the VMM" },
	{ "kvm-host", "ioeventfd_write",             F, ROLE_HOST_IOEVENTFD, PATH_HOST, IDENT_NONE, 1, 0, "the exit's access matched an ioeventfd (virtio notify)" },
	{ "kvm-host", "irqfd_wakeup",                F, ROLE_HOST_IRQFD, PATH_HOST, IDENT_NONE, 0, 0, "an irqfd signalled: GSI, MSI route and who signalled it" },
	{ "kvm-host", "vhost:vhost_poll_wakeup",     F, ROLE_HOST_VHOST_KICK, PATH_HOST, IDENT_NONE, 0, 0, "a guest kick (ioeventfd) woke a vhost virtqueue: ties its irqfd to its notify address" },
};
const unsigned iop_point_count = sizeof(iop_points) / sizeof(iop_points[0]);

/* Not in the table: its points are made at run time by --deep (deep.c). */
const struct profile iop_deep_profile = {
	"deep", "vmlinux", PLAT_ANY, PP_NET, "every attachable function taking a struct sk_buff * (--deep)",
};

const struct profile *profile_find(const char *name)
{
	if (!strcmp(name, iop_deep_profile.name))
		return &iop_deep_profile;
	for (unsigned i = 0; i < iop_profile_count; i++)
		if (!strcmp(iop_profiles[i].name, name))
			return &iop_profiles[i];
	return NULL;
}

const char *role_name(unsigned role)
{
	static const char *const n[ROLE__COUNT] = {
		[ROLE_NONE] = "none", [ROLE_XMIT] = "xmit", [ROLE_NOTIFY] = "notify",
		[ROLE_TX_COMPLETE] = "tx-completion", [ROLE_IRQ] = "irq", [ROLE_POLL] = "poll",
		[ROLE_RX] = "rx", [ROLE_REFILL] = "refill", [ROLE_QUEUE_RQ] = "queue_rq",
		[ROLE_COMPLETE] = "complete", [ROLE_UPCALL] = "upcall", [ROLE_UNMASK] = "unmask",
		[ROLE_GRANT] = "grant", [ROLE_HYPERCALL] = "hypercall-site", [ROLE_BOUNCE] = "bounce",
		[ROLE_TIMER] = "timer", [ROLE_HALT] = "halt", [ROLE_IPI] = "ipi",
		[ROLE_STACK] = "stack", [ROLE_FREE] = "free", [ROLE_SOFTIRQ] = "softirq",
		[ROLE_HOST_EXIT] = "host-exit", [ROLE_HOST_IOEVENTFD] = "ioeventfd", [ROLE_HOST_IRQFD] = "irqfd", [ROLE_HOST_VHOST_KICK] = "vhost-kick",
		[ROLE_TASK] = "task",
	};
	return role < ROLE__COUNT && n[role] ? n[role] : "?";
}

const char *path_name(unsigned path)
{
	static const char *const n[PATH__COUNT] = {
		[PATH_NONE] = "-", [PATH_NET_TX] = "net-tx", [PATH_NET_RX] = "net-rx",
		[PATH_BLK] = "block", [PATH_EXIT] = "exit", [PATH_IRQ] = "irq", [PATH_HOST] = "host",
	};
	return path < PATH__COUNT && n[path] ? n[path] : "?";
}

const char *kind_name(unsigned kind)
{
	switch (kind) {
	case KIND_FUNC: return "func";
	case KIND_FUNC_RET: return "func-ret";
	case KIND_TP: return "tracepoint";
	}
	return "?";
}

const char *method_name(unsigned method)
{
	static const char *const n[METHOD__COUNT] = {
		[METHOD_NONE] = "-", [METHOD_FENTRY] = "fentry", [METHOD_FEXIT] = "fexit",
		[METHOD_KPROBE] = "kprobe", [METHOD_KRETPROBE] = "kretprobe",
		[METHOD_TP_BTF] = "tp_btf", [METHOD_RAW_TP] = "raw_tp",
	};
	return method < METHOD__COUNT && n[method] ? n[method] : "?";
}

int point_charged_kind(const struct probe_point *pt)
{
	if (pt->path == PATH_EXIT)
		return IOP_EXIT_KIND_OF_ROLE(pt->role);
	if ((pt->flags & PF_EMUL_IO) && pt->kind == KIND_FUNC)
		return EXK_NOTIFY;
	return -1;
}

const char *tp_system_module(const char *system)
{
	if (!strcmp(system, "nvme"))
		return "nvme_core";
	if (!strcmp(system, "kvm"))
		return "kvm";
	return "vmlinux";
}
