#include "report/exitmodel.h"

#include <string.h>

#define X(why) { XV_EXITS, why }
#define M(why) { XV_MAY, why }
#define S(why) { XV_STAYS, why }
#define NA(why) { XV_NA, why }

/* Column order: Xen PV, Xen PVH, Xen HVM (PV drivers), KVM, PVM, bare metal.
 * PVM (a paravirtual hypervisor built on KVM, guest kernel in ring 3 of the host) is the KVM PVM
 * patch series (arch/x86/kvm/pvm/, not in mainline): privileged instructions and hypercalls trap to
 * the host; user/kernel transitions go through its switcher without a full VM exit. */
static const struct xm_row rows[XM__COUNT] = {
	[XM_EVTCHN_SEND] = { "evtchn-send", "event-channel notify of a backend (EVTCHNOP_send)",
		"linux drivers/xen/events/events_base.c notify_remote_via_irq; xen common/event_channel.c evtchn_send", false,
		{ X("hypercall"), X("hypercall"), X("hypercall"), NA("no event channels"), NA("no event channels"), NA("no hypervisor") } },
	[XM_UPCALL] = { "upcall", "the hypervisor delivers events: the guest is entered through its upcall",
		"linux arch/x86/xen/enlighten_pv.c xen_pv_evtchn_do_upcall, drivers/xen/events/events_base.c xen_evtchn_do_upcall", false,
		{ X("bounce frame from Xen; returns by the iret hypercall"), X("callback vector injected at VM entry"),
		  X("callback vector injected at VM entry"), NA("no upcall (virtio uses MSI)"), NA("no upcall"), NA("no hypervisor") } },
	[XM_EVTCHN_UNMASK] = { "evtchn-unmask", "unmask an event channel after handling it",
		"linux drivers/xen/events/events_2l.c evtchn_2l_unmask, events_fifo.c evtchn_fifo_unmask", false,
		{ M("EVTCHNOP_unmask only when the event is pending meanwhile"), M("EVTCHNOP_unmask only when pending"),
		  M("EVTCHNOP_unmask only when pending"), NA("no event channels"), NA("no event channels"), NA("no hypervisor") } },
	[XM_PIRQ_EOI] = { "pirq-eoi", "EOI of a passthrough device's interrupt through Xen (PHYSDEVOP_eoi)",
		"linux drivers/xen/events/events_base.c eoi_pirq", false,
		{ M("hypercall unless the PIRQ EOI map says it is not needed"), M("hypercall unless not needed"),
		  M("hypercall unless not needed"), NA("no PIRQs"), NA("no PIRQs"), NA("no hypervisor") } },
	[XM_LAPIC_EOI] = { "lapic-eoi", "end of interrupt to the local APIC",
		"linux arch/x86/kernel/kvm.c kvm_guest_apic_eoi_write; kvm arch/x86/kvm/lapic.c apic_set_eoi", false,
		{ NA("no local APIC: events are acknowledged in the shared info page"),
		  M("per-vCPU upcall vector needs an EOI; APICv/AVIC virtualize it"), M("EOI write exits unless APICv/AVIC"),
		  M("no exit with KVM PV EOI (KVM_FEATURE_PV_EOI) or APICv/AVIC; an MSR/MMIO exit otherwise"),
		  M("PV EOI where the host offers it"), S("no hypervisor") } },
	[XM_TIMER] = { "timer", "program the next timer event",
		"linux arch/x86/xen/time.c xen_vcpuop_set_next_event; arch/x86/kernel/apic/apic.c lapic_next_deadline", false,
		{ X("VCPUOP_set_singleshot_timer hypercall"), X("VCPUOP_set_singleshot_timer hypercall (Xen timer)"),
		  X("Xen PV timer hypercall, or the emulated LAPIC timer"), X("TSC-deadline wrmsr is intercepted"),
		  X("wrmsr traps to the host"), S("no hypervisor") } },
	[XM_HALT] = { "halt", "the idle vCPU gives up its CPU",
		"linux arch/x86/xen/irq.c xen_safe_halt; arch/x86/kernel/process.c default_idle", false,
		{ X("SCHEDOP_block hypercall"), X("HLT exit"), X("HLT exit"),
		  X("HLT exit (unless the host passes HLT through, KVM_X86_DISABLE_EXITS_HLT)"), X("HLT traps to the host"),
		  S("no hypervisor") } },
	[XM_IPI] = { "ipi", "send an inter-processor interrupt",
		"linux arch/x86/xen/smp.c xen_send_IPI_one; arch/x86/kernel/kvm.c kvm_send_ipi_mask; apic/x2apic_phys.c", false,
		{ X("event-channel send hypercall"), X("event-channel send hypercall"), X("event channel or ICR write exit"),
		  X("ICR wrmsr exit or KVM_HC_SEND_IPI (IPI virtualization on newest CPUs avoids it)"), X("traps to the host"),
		  S("no hypervisor") } },
	[XM_TLB_FLUSH] = { "tlb-flush", "flush other vCPUs' TLBs",
		"linux arch/x86/xen/mmu_pv.c xen_flush_tlb_multi; arch/x86/kernel/kvm.c kvm_flush_tlb_multi", false,
		{ X("MMUEXT_TLB_FLUSH_MULTI hypercall"), M("IPIs to the other vCPUs (exits), local INVLPG stays"),
		  M("IPIs to the other vCPUs (exits), local INVLPG stays"),
		  M("KVM PV TLB flush skips preempted vCPUs; the rest get IPIs"), M("shadow paging: host syncs its tables"),
		  S("no hypervisor") } },
	[XM_PT_UPDATE] = { "pt-update", "page-table updates (PV multicalls, mmu_update)",
		"linux arch/x86/xen/mmu_pv.c xen_set_pte, multicalls.c xen_mc_flush; xen arch/x86/mm.c do_mmu_update", false,
		{ X("Xen validates every page-table write: mmu_update/multicall hypercalls or a trapped write"),
		  S("EPT/NPT: the guest owns its page tables"), S("EPT/NPT: the guest owns its page tables"),
		  S("EPT/NPT: the guest owns its page tables"), M("shadow paging: writes to shadowed tables trap"),
		  S("no hypervisor") } },
	[XM_VIRTIO_KICK] = { "virtio-kick", "notify a virtio device of new buffers",
		"linux drivers/virtio/virtio_ring.c virtqueue_notify, virtio_pci_modern.c vp_notify; kvm virt/kvm/eventfd.c ioeventfd_write", false,
		{ NA("no virtio"), NA("no virtio"), X("MMIO/PIO exit to the device model"),
		  X("MMIO/PIO exit (ioeventfd: handled in the host kernel, no return to the VMM)"),
		  X("MMIO/PIO traps to the host"), NA("no hypervisor") } },
	[XM_EMULATED_IO] = { "emulated-io", "register access to an emulated device (e1000, rtl8139, IDE/AHCI)",
		"xen tools/qemu device models via ioreq (xen arch/x86/hvm/io.c); kvm arch/x86/kvm/x86.c kvm_emulate_instruction", false,
		{ NA("no emulated devices"), NA("no emulated devices"), X("every access exits to QEMU (ioreq)"),
		  X("every access exits (to the VMM)"), X("every access traps"), NA("no hypervisor") } },
	[XM_DEVICE_DOORBELL] = { "doorbell", "MMIO doorbell of a device the guest drives directly (SR-IOV VF, Nitro, NVMe, gVNIC)",
		"linux drivers/net/ethernet/amazon/ena/ena_eth_com.h ena_com_write_sq_doorbell, intel/ixgbevf ixgbevf_tx_map, intel/igbvf/netdev.c igbvf_tx_queue_adv; qemu hw/net/igb_core.c (the emulated VF's TDT write)", false,
		{ M("passthrough BAR: stays; emulated: exits"), M("passthrough BAR: stays; emulated: exits"),
		  M("passthrough BAR (VF): stays; an emulated device: exits"),
		  M("SR-IOV VF or Nitro card, BAR passed through: stays; the same VF emulated by the VMM (QEMU's igb, nvme): exits"),
		  M("passthrough: stays; emulated: traps"), S("no hypervisor") } },
	[XM_SYSCALL] = { "syscall", "a system call of a traced task",
		"xen arch/x86/x86_64/entry.S lstar_enter (syscalls enter Xen first); linux arch/x86/xen/xen-asm.S xen_iret", false,
		{ X("64-bit PV: the syscall enters Xen, which bounces it to the guest kernel; the return is a hypercall (2 crossings, derived)"),
		  S("the guest's own ring switch"), S("the guest's own ring switch"), S("the guest's own ring switch"),
		  M("the switcher in the host's entry code, not a full VM exit"), S("no hypervisor") }, 2 },
	[XM_EXCEPTION] = { "exception", "a page fault or other exception in a traced task",
		"xen arch/x86/traps.c (PV exceptions are bounced by Xen); linux arch/x86/xen/xen-asm.S xen_iret", false,
		{ X("Xen takes the exception and bounces it; the return is the iret hypercall (2 crossings, derived)"),
		  S("guest #PF does not exit with EPT/NPT"), S("guest #PF does not exit with EPT/NPT"),
		  S("guest #PF does not exit with EPT/NPT"), M("shadow paging: faults on unsynced tables trap"),
		  S("no hypervisor") }, 2 },
	[XM_CTXSW] = { "ctxsw", "a context switch away from a traced task",
		"linux arch/x86/xen/enlighten_pv.c xen_load_sp0, xen_load_tls, xen_end_context_switch; arch/x86/xen/mmu_pv.c xen_write_cr3", false,
		{ M("stack, TLS and CR3 go to Xen batched in a multicall: its hypercalls are the pt-update row's"),
		  S("a guest scheduler operation: CR3 loads do not exit with EPT/NPT"),
		  S("a guest scheduler operation: CR3 loads do not exit with EPT/NPT"),
		  S("a guest scheduler operation: CR3 loads do not exit with EPT/NPT"),
		  M("shadow paging: the CR3 switch goes to the host"), S("no hypervisor") } },
	[XM_MSR_PASSTHROUGH] = { "msr-passthrough", "wrmsr of FS_BASE, GS_BASE, KERNEL_GS_BASE, SPEC_CTRL, PRED_CMD, TSC, SYSENTER_*",
		"kvm arch/x86/kvm/vmx/vmx.c vmx_possible_passthrough_msrs, svm/svm.c direct_access_msrs; linux arch/x86/xen/enlighten_pv.c xen_write_msr", false,
		{ X("PV wrmsr is a hypercall or trapped (FS/GS base: HYPERVISOR_set_segment_base)"),
		  S("VMX/SVM pass these MSRs through"), S("VMX/SVM pass these MSRs through"),
		  S("VMX/SVM pass these through (SPEC_CTRL/PRED_CMD after the first write)"), X("wrmsr traps to the host"),
		  S("no hypervisor") } },
	[XM_MSR_APIC_VIRT] = { "msr-apic", "x2APIC EOI (0x80b), TPR (0x808), SELF_IPI (0x83f) writes",
		"kvm arch/x86/kvm/vmx/vmx.c vmx_update_msr_bitmap_x2apic", false,
		{ NA("no local APIC"), M("APICv/AVIC virtualize them; exit otherwise"), M("APICv/AVIC virtualize them; exit otherwise"),
		  M("APICv/AVIC virtualize them; exit otherwise"), X("wrmsr traps to the host"), S("no hypervisor") } },
	[XM_MSR_KVM_PV] = { "msr-kvm-pv", "KVM paravirtual MSRs (0x4b564d00..: kvm-clock, steal time, PV EOI setup)",
		"kvm arch/x86/kvm/x86.c kvm_set_msr_common", false,
		{ NA("KVM only"), NA("KVM only"), NA("KVM only"), X("always handled by KVM"), X("handled by the host"), NA("KVM only") } },
	[XM_MSR_OTHER] = { "msr-other", "any other wrmsr (TSC_DEADLINE and ICR are counted as timer and ipi)",
		"kvm arch/x86/kvm/vmx/vmx.c vmx_set_msr (intercepted unless passed through)", false,
		{ X("trapped by Xen"), X("intercepted"), X("intercepted"), X("intercepted"), X("traps to the host"), S("no hypervisor") } },
	[XM_HYPERCALL] = { "hypercall", "another hypercall (SCHEDOP_poll for PV spinlocks, ...)",
		"linux arch/x86/include/asm/xen/hypercall.h; arch/x86/kernel/kvm.c kvm_hypercall*", false,
		{ X("hypercall"), X("hypercall"), X("hypercall"), X("VMCALL/VMMCALL"), X("hypercall"), NA("no hypervisor") } },
	[XM_HYPERCALL_ALL] = { "hypercall-all", "every PV hypercall (xen_hypercall_pv): the total of the hypercall rows",
		"linux arch/x86/xen/xen-head.S xen_hypercall_pv", true,
		{ X("each is a hypercall"), NA("PV only"), NA("PV only"), NA("Xen only"), NA("Xen only"), NA("no hypervisor") } },
	[XM_GRANT] = { "grant", "grant or end access to a page for a backend",
		"linux drivers/xen/grant-table.c gnttab_grant_foreign_access_ref (writes the shared grant table)", false,
		{ S("a write to the shared grant table"), S("a write to the shared grant table"), S("a write to the shared grant table"),
		  NA("no grants"), NA("no grants"), NA("no hypervisor") } },
};

const struct xm_row *exit_model_row(enum xm_kind k)
{
	return (int)k >= 0 && k < XM__COUNT ? &rows[k] : NULL;
}

const char *exit_model_platform_name(enum xm_platform p)
{
	static const char *const n[XP__COUNT] = {
		[XP_XEN_PV] = "Xen PV", [XP_XEN_PVH] = "Xen PVH", [XP_XEN_HVM] = "Xen HVM", [XP_KVM] = "KVM",
		[XP_PVM] = "PVM", [XP_BARE] = "bare metal",
	};
	return (int)p >= 0 && p < XP__COUNT ? n[p] : "unknown";
}

const char *exit_verdict_name(enum xm_verdict v)
{
	switch (v) {
	case XV_EXITS: return "exits";
	case XV_MAY: return "may exit";
	case XV_STAYS: return "stays";
	default: return "n/a";
	}
}

enum xm_platform exit_model_platform(enum platform_kind k)
{
	switch (k) {
	case PLATFORM_XEN_PV: return XP_XEN_PV;
	case PLATFORM_XEN_PVH: return XP_XEN_PVH;
	case PLATFORM_XEN_HVM: return XP_XEN_HVM;
	case PLATFORM_KVM: return XP_KVM;
	case PLATFORM_PVM: return XP_PVM;
	case PLATFORM_BARE_METAL: return XP_BARE;
	default: return XP_UNKNOWN;   /* Hyper-V, VMware, other: not modelled */
	}
}

enum xm_platform exit_model_platform_of_name(const char *name)
{
	if (!name)
		return XP_UNKNOWN;
	/* platform_name() strings; the longest prefix first (Xen PVH before Xen PV) */
	if (!strncmp(name, "Xen PVH", 7))
		return XP_XEN_PVH;
	if (!strncmp(name, "Xen PV", 6))
		return XP_XEN_PV;
	if (!strncmp(name, "Xen HVM", 7))
		return XP_XEN_HVM;
	if (!strncmp(name, "KVM", 3))
		return XP_KVM;
	if (!strncmp(name, "PVM", 3))
		return XP_PVM;
	if (!strncmp(name, "bare metal", 10))
		return XP_BARE;
	return XP_UNKNOWN;
}

int exit_model_point_kind(const struct probe_point *pt)
{
	const char *s = pt->symbols, *p = pt->profile;

	if (pt->kind == KIND_FUNC_RET)
		return XM_NONE;   /* the end of a scope, counted at its entry */
	if (pt->flags & PF_EMUL_IO)
		return XM_EMULATED_IO;   /* a register write of a device the hypervisor may emulate */
	switch (pt->role) {
	case ROLE_UPCALL:
		return XM_UPCALL;
	case ROLE_NOTIFY:
		/* a decision or a scope under the counted notify; PF_MAYBE_EXIT: a device doorbell
		 * whose cost depends on the BAR being passed through or emulated (igbvf) */
		if (!(pt->flags & (PF_EXIT | PF_MAYBE_EXIT)))
			return XM_NONE;
		if (!strncmp(p, "xen-", 4))
			return XM_EVTCHN_SEND;
		if (!strncmp(p, "virtio", 6))
			return XM_VIRTIO_KICK;
		return XM_DEVICE_DOORBELL;
	case ROLE_UNMASK:
		if (strstr(s, "eoi_pirq"))
			return XM_PIRQ_EOI;
		if (strstr(s, "apic_eoi"))
			return XM_LAPIC_EOI;
		return XM_EVTCHN_UNMASK;
	case ROLE_TIMER:
		return XM_TIMER;
	case ROLE_HALT:
		return XM_HALT;
	case ROLE_IPI:
		/* irq_vectors:*_entry count IPIs received, not sent */
		return pt->flags & PF_EXIT ? XM_IPI : XM_NONE;
	case ROLE_HYPERCALL:
		if (!strcmp(s, "msr:write_msr"))
			return XM_BY_MSR;
		if (!strcmp(s, "xen:xen_mc_flush"))
			return XM_PT_UPDATE;
		if (!strcmp(s, "xen_hypercall_pv"))
			return XM_HYPERCALL_ALL;
		return pt->flags & (PF_EXIT | PF_MAYBE_EXIT) ? XM_HYPERCALL : XM_NONE;
	case ROLE_GRANT:
		return XM_GRANT;
	case ROLE_TASK:
		/* the traced tasks' events: record --exits with -- CMD or --pid */
		if (!strcmp(s, "raw_syscalls:sys_enter"))
			return XM_SYSCALL;
		if (!strncmp(s, "exceptions:page_fault_", 22))
			return XM_EXCEPTION;
		if (!strcmp(s, "sched:sched_switch"))
			return XM_CTXSW;
		if (!strcmp(s, "tlb:tlb_flush"))
			return XM_TLB_FLUSH;
		if (!strncmp(s, "xen:xen_mmu_", 12))
			return XM_PT_UPDATE;
		return XM_NONE;   /* fork and exit keep the scope */
	default:
		return XM_NONE;
	}
}

enum xm_kind exit_model_msr_kind(unsigned msr)
{
	switch (msr) {
	case 0x6e0:            /* IA32_TSC_DEADLINE */
	case 0x838:            /* x2APIC TMICT */
		return XM_TIMER;
	case 0x830:            /* x2APIC ICR */
		return XM_IPI;
	case 0x80b: case 0x808: case 0x83f:   /* x2APIC EOI, TPR, SELF_IPI */
		return XM_MSR_APIC_VIRT;
	case 0x10: case 0x48: case 0x49: case 0x10b: case 0x174: case 0x175: case 0x176:
	case 0xc0000100: case 0xc0000101: case 0xc0000102:
		/* TSC, SPEC_CTRL, PRED_CMD, FLUSH_CMD, SYSENTER_CS/ESP/EIP, FS/GS/KERNEL_GS base */
		return XM_MSR_PASSTHROUGH;
	}
	if (msr >= 0x4b564d00 && msr <= 0x4b564dff)
		return XM_MSR_KVM_PV;
	return XM_MSR_OTHER;
}

enum xm_verdict exit_model_verdict(enum xm_kind k, enum xm_platform p)
{
	const struct xm_row *r = exit_model_row(k);

	if (!r)
		return XV_NA;
	if ((int)p < 0 || p >= XP__COUNT) {
		for (int i = 0; i < XP_BARE; i++)
			if (r->cell[i].v == XV_EXITS || r->cell[i].v == XV_MAY)
				return XV_MAY;   /* unknown hypervisor: it may */
		return XV_STAYS;
	}
	return r->cell[p].v;
}

int exit_model_crossings(enum xm_kind k, enum xm_platform p)
{
	const struct xm_row *r = exit_model_row(k);

	switch (exit_model_verdict(k, p)) {
	case XV_EXITS: return r->per_event ? (int)r->per_event : 1;
	case XV_MAY: return -1;
	default: return 0;
	}
}
