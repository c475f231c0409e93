/* The exit model (report/exitmodel.c): every row complete, every counted crossing of the profile
 * table placed in a row, the MSR rows as KVM's and Xen's sources say, and the crossings section of a
 * report split by the recording's platform (FS_BASE writes are not exits on KVM, they are on Xen PV;
 * the per-MSR rows and the msr:write_msr point are not both counted). */
#include <stdlib.h>
#include <string.h>

#include "report/exitmodel.h"
#include "report/exits_report.h"
#include "kernel/resolve.h"
#include "platform/platform.h"
#include "testutil.h"

START_TEST(rows_complete)
{
	for (int k = 0; k < XM__COUNT; k++) {
		const struct xm_row *r = exit_model_row(k);

		ck_assert_msg(r && r->name && r->what && r->source && r->source[0], "row %d incomplete", k);
		for (int p = 0; p < XP__COUNT; p++)
			ck_assert_msg(r->cell[p].why && r->cell[p].why[0], "%s on %s has no reason", r->name,
				      exit_model_platform_name(p));
		/* nothing leaves the guest when there is no hypervisor */
		ck_assert_msg(r->cell[XP_BARE].v != XV_EXITS && r->cell[XP_BARE].v != XV_MAY,
			      "%s exits on bare metal", r->name);
		for (int j = 0; j < k; j++)
			ck_assert_str_ne(r->name, exit_model_row(j)->name);
	}
	ck_assert_ptr_null(exit_model_row(XM__COUNT));
	ck_assert_ptr_null(exit_model_row(-1));
}
END_TEST

/* Every point the report counts as a crossing (PF_EXIT, PF_MAYBE_EXIT, upcalls) has a row, so no
 * counted crossing falls outside the model's columns. */
START_TEST(every_exit_point_modelled)
{
	int counted = 0;

	for (unsigned i = 0; i < iop_point_count; i++) {
		const struct probe_point *pt = &iop_points[i];
		int k;

		if (pt->kind == KIND_FUNC_RET || !(pt->flags & (PF_EXIT | PF_MAYBE_EXIT) || pt->role == ROLE_UPCALL))
			continue;
		k = exit_model_point_kind(pt);
		ck_assert_msg(k == XM_BY_MSR || (k >= 0 && k < XM__COUNT), "%s %s has no model row", pt->profile,
			      pt->symbols);
		counted++;
	}
	ck_assert_int_ge(counted, 15);
}
END_TEST

static const struct probe_point *pt_of(const char *profile, const char *sym)
{
	for (unsigned i = 0; i < iop_point_count; i++)
		if (!strcmp(iop_points[i].profile, profile) && !strcmp(iop_points[i].symbols, sym) &&
		    iop_points[i].kind != KIND_FUNC_RET)
			return &iop_points[i];
	ck_abort_msg("no point %s %s", profile, sym);
	return NULL;
}

START_TEST(points_to_kinds)
{
	ck_assert_int_eq(exit_model_point_kind(pt_of("xen-events", "notify_remote_via_irq")), XM_EVTCHN_SEND);
	ck_assert_int_eq(exit_model_point_kind(pt_of("virtio-core", "virtqueue_notify")), XM_VIRTIO_KICK);
	/* the notify write under virtqueue_notify is not counted a second time */
	ck_assert_int_eq(exit_model_point_kind(pt_of("virtio-core", "virtio_pci:vp_notify")), XM_NONE);
	ck_assert_int_eq(exit_model_point_kind(pt_of("gve", "gve_rx_write_doorbell")), XM_DEVICE_DOORBELL);
	ck_assert_int_eq(exit_model_point_kind(pt_of("irq", "msr:write_msr")), XM_BY_MSR);
	ck_assert_int_eq(exit_model_point_kind(pt_of("xen-events", "xen_hypercall_pv")), XM_HYPERCALL_ALL);
	ck_assert(exit_model_row(XM_HYPERCALL_ALL)->total);
	ck_assert_int_eq(exit_model_point_kind(pt_of("kvm-guest", "kvm_guest_apic_eoi_write")), XM_LAPIC_EOI);
	ck_assert_int_eq(exit_model_point_kind(pt_of("xen-events", "eoi_pirq")), XM_PIRQ_EOI);
	/* an IPI received is not a crossing of the sender's */
	ck_assert_int_eq(exit_model_point_kind(pt_of("irq", "irq_vectors:reschedule_entry")), XM_NONE);
	ck_assert_int_eq(exit_model_point_kind(pt_of("kvm-guest", "x2apic_send_IPI")), XM_IPI);
	/* e1000's TX tail write: an exit to the device model on Xen HVM (emulated), not on bare metal */
	ck_assert_int_eq(exit_model_point_kind(pt_of("e1000", "e1000_xmit_frame")), XM_EMULATED_IO);
	ck_assert_int_eq(exit_model_verdict(XM_EMULATED_IO, XP_XEN_HVM), XV_EXITS);
	ck_assert_int_eq(exit_model_verdict(XM_EMULATED_IO, XP_BARE), XV_NA);
	/* e1000e's rows stay as they were: its xmit is not counted as a crossing */
	ck_assert_int_eq(exit_model_point_kind(pt_of("e1000e", "e1000_xmit_frame")), XM_NONE);
}
END_TEST

START_TEST(msrs)
{
	/* kvm vmx.c vmx_possible_passthrough_msrs: FS/GS/KERNEL_GS base, SPEC_CTRL, PRED_CMD, TSC */
	unsigned pass[] = { 0xc0000100, 0xc0000101, 0xc0000102, 0x48, 0x49, 0x10 };

	for (unsigned i = 0; i < sizeof(pass) / sizeof(pass[0]); i++) {
		ck_assert_int_eq(exit_model_msr_kind(pass[i]), XM_MSR_PASSTHROUGH);
		ck_assert_int_eq(exit_model_verdict(XM_MSR_PASSTHROUGH, XP_KVM), XV_STAYS);
		ck_assert_int_eq(exit_model_verdict(XM_MSR_PASSTHROUGH, XP_XEN_HVM), XV_STAYS);
		ck_assert_int_eq(exit_model_verdict(XM_MSR_PASSTHROUGH, XP_XEN_PV), XV_EXITS);
	}
	ck_assert_int_eq(exit_model_msr_kind(0x6e0), XM_TIMER);
	ck_assert_int_eq(exit_model_verdict(XM_TIMER, XP_KVM), XV_EXITS);
	ck_assert_int_eq(exit_model_msr_kind(0x830), XM_IPI);
	ck_assert_int_eq(exit_model_msr_kind(0x83f), XM_MSR_APIC_VIRT);   /* SELF_IPI */
	ck_assert_int_eq(exit_model_msr_kind(0x80b), XM_MSR_APIC_VIRT);   /* EOI */
	ck_assert_int_eq(exit_model_verdict(XM_MSR_APIC_VIRT, XP_KVM), XV_MAY);
	ck_assert_int_eq(exit_model_msr_kind(0x4b564d02), XM_MSR_KVM_PV);
	ck_assert_int_eq(exit_model_msr_kind(0x1b), XM_MSR_OTHER);
	ck_assert_str_eq(msr_name(0x83f), "x2APIC SELF_IPI");
	/* Xen PV: syscalls and page-table updates cross, HVM does not */
	ck_assert_int_eq(exit_model_verdict(XM_SYSCALL, XP_XEN_PV), XV_EXITS);
	ck_assert_int_eq(exit_model_verdict(XM_SYSCALL, XP_XEN_HVM), XV_STAYS);
	ck_assert_int_eq(exit_model_verdict(XM_PT_UPDATE, XP_XEN_PV), XV_EXITS);
	ck_assert_int_eq(exit_model_verdict(XM_PT_UPDATE, XP_KVM), XV_STAYS);
	/* an unmodelled hypervisor: whatever exits somewhere may exit; grants stay everywhere */
	ck_assert_int_eq(exit_model_verdict(XM_TIMER, XP_UNKNOWN), XV_MAY);
	ck_assert_int_eq(exit_model_verdict(XM_GRANT, XP_UNKNOWN), XV_STAYS);
}
END_TEST

START_TEST(platform_names)
{
	static const struct { enum platform_kind k; enum xm_platform x; } m[] = {
		{ PLATFORM_XEN_PV, XP_XEN_PV }, { PLATFORM_XEN_PVH, XP_XEN_PVH }, { PLATFORM_XEN_HVM, XP_XEN_HVM },
		{ PLATFORM_KVM, XP_KVM }, { PLATFORM_PVM, XP_PVM }, { PLATFORM_BARE_METAL, XP_BARE },
		{ PLATFORM_HYPERV, XP_UNKNOWN }, { PLATFORM_OTHER_HV, XP_UNKNOWN },
	};

	for (unsigned i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		struct platform p = { .kind = m[i].k };

		ck_assert_int_eq(exit_model_platform(m[i].k), m[i].x);
		/* a recording keeps platform_name(): the same column comes back from it */
		ck_assert_msg(exit_model_platform_of_name(platform_name(&p)) == m[i].x, "'%s'", platform_name(&p));
	}
	{
		struct platform nitro = { .kind = PLATFORM_KVM, .nitro = true };

		ck_assert_int_eq(exit_model_platform_of_name(platform_name(&nitro)), XP_KVM);
	}
}
END_TEST

/* The report's crossings section: one FS_BASE and one TSC_DEADLINE row; on KVM the first stays,
 * on Xen PV both leave; the msr:write_msr point's own count is not printed beside them. */
START_TEST(report_columns)
{
	struct exits_report r = { .seconds = 2 };
	struct resolved pt = { .pt = pt_of("irq", "msr:write_msr"), .status = PST_ATTACHED, .hits = 300 };
	char *buf;
	size_t len;
	FILE *f;

	snprintf(pt.symbol, sizeof(pt.symbol), "write_msr");
	r.nmsr = 2;
	r.msr[0].msr = 0xc0000100, r.msr[0].count = 200;
	r.msr[1].msr = 0x6e0, r.msr[1].count = 100;
	f = open_memstream(&buf, &len);
	exits_print(f, &r, &pt, 1, "KVM");
	fclose(f);
	ck_assert_msg(strstr(buf, "hypervisor crossings on KVM"), "%s", buf);
	{
		char *leave = strstr(buf, "  leave the guest:"), *stay = strstr(buf, "  stay in the guest here");

		ck_assert_msg(leave && stay && leave < stay, "%s", buf);
		ck_assert_msg(strstr(leave, "IA32_TSC_DEADLINE") < stay, "%s", buf);
		ck_assert_msg(strstr(stay, "FS_BASE"), "%s", buf);
		ck_assert_msg(!strstr(buf, "    300 "), "the write_msr total is printed beside its rows:\n%s", buf);
	}
	free(buf);
	f = open_memstream(&buf, &len);
	exits_print(f, &r, &pt, 1, "Xen PV");
	fclose(f);
	ck_assert_msg(!strstr(buf, "stay in the guest here"), "%s", buf);
	ck_assert_msg(strstr(strstr(buf, "  leave the guest:"), "FS_BASE"), "%s", buf);
	free(buf);
}
END_TEST

int main(void)
{
	return RUN_TESTS("exitmodel", "model", rows_complete, every_exit_point_modelled, points_to_kinds, msrs,
			 platform_names, report_columns);
}
