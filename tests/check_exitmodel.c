/* The exit model (report/exitmodel.c): every row complete, every counted crossing of the profile
 * table placed in a row, the MSR rows as KVM's and Xen's sources say, and the crossings section of a
 * report split by the recording's platform (FS_BASE writes are not exits on KVM, they are on Xen PV;
 * the per-MSR rows and the msr:write_msr point are not both counted). */
#include <stdlib.h>
#include <string.h>

#include "report/exitmodel.h"
#include "report/exits_report.h"
#include "report/taskrows.h"
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
	/* a doorbell that may or may not exit (a VF's BAR: passed through or emulated) is a doorbell too */
	ck_assert_int_eq(exit_model_point_kind(pt_of("igbvf", "igbvf_tx_queue_adv")), XM_DEVICE_DOORBELL);
	/* ... while a notify scope without either flag is not counted */
	ck_assert_int_eq(exit_model_point_kind(pt_of("nvme", "nvme_commit_rqs")), XM_NONE);
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
	exits_print(f, &r, &pt, 1, "KVM", NULL);
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
	exits_print(f, &r, &pt, 1, "Xen PV", NULL);
	fclose(f);
	ck_assert_msg(!strstr(buf, "stay in the guest here"), "%s", buf);
	ck_assert_msg(strstr(strstr(buf, "  leave the guest:"), "FS_BASE"), "%s", buf);
	free(buf);
}
END_TEST

/* The traced tasks' tracepoints map to the model's syscall, exception, ctxsw, tlb-flush and
 * pt-update rows; fork and exit only keep the scope. */
START_TEST(task_points_to_kinds)
{
	ck_assert_int_eq(exit_model_point_kind(pt_of("tasks", "raw_syscalls:sys_enter")), XM_SYSCALL);
	ck_assert_int_eq(exit_model_point_kind(pt_of("tasks", "exceptions:page_fault_user")), XM_EXCEPTION);
	ck_assert_int_eq(exit_model_point_kind(pt_of("tasks", "exceptions:page_fault_kernel")), XM_EXCEPTION);
	ck_assert_int_eq(exit_model_point_kind(pt_of("tasks", "sched:sched_switch")), XM_CTXSW);
	ck_assert_int_eq(exit_model_point_kind(pt_of("tasks", "tlb:tlb_flush")), XM_TLB_FLUSH);
	ck_assert_int_eq(exit_model_point_kind(pt_of("tasks-xen-pv", "xen:xen_mmu_set_pte")), XM_PT_UPDATE);
	ck_assert_int_eq(exit_model_point_kind(pt_of("tasks", "sched:sched_process_fork")), XM_NONE);
	ck_assert_int_eq(exit_model_point_kind(pt_of("tasks", "sched:sched_process_exit")), XM_NONE);
	/* a syscall and an exception on Xen PV: the entry into Xen and the iret hypercall */
	ck_assert_int_eq(exit_model_crossings(XM_SYSCALL, XP_XEN_PV), 2);
	ck_assert_int_eq(exit_model_crossings(XM_EXCEPTION, XP_XEN_PV), 2);
	ck_assert_int_eq(exit_model_crossings(XM_SYSCALL, XP_KVM), 0);
	ck_assert_int_eq(exit_model_crossings(XM_SYSCALL, XP_XEN_HVM), 0);
	ck_assert_int_eq(exit_model_crossings(XM_SYSCALL, XP_XEN_PVH), 0);
	ck_assert_int_eq(exit_model_crossings(XM_SYSCALL, XP_PVM), -1);
	ck_assert_int_eq(exit_model_crossings(XM_TIMER, XP_KVM), 1);
}
END_TEST

/* Points of a recording made with -- CMD: the task tracepoints attached (counts 1000 syscalls, 30
 * user and 5 kernel faults, 7 switches, 2 remote flushes), the Xen ones not applicable here. */
static unsigned task_points(struct resolved *p)
{
	static const char *const att[][2] = {
		{ "tasks", "raw_syscalls:sys_enter" }, { "tasks", "exceptions:page_fault_user" },
		{ "tasks", "exceptions:page_fault_kernel" }, { "tasks", "sched:sched_switch" },
		{ "tasks", "tlb:tlb_flush" },
	};
	unsigned n = 0;

	memset(p, 0, 8 * sizeof(*p));
	for (; n < 5; n++)
		p[n] = (struct resolved){ .pt = pt_of(att[n][0], att[n][1]), .status = PST_ATTACHED };
	p[n] = (struct resolved){ .pt = pt_of("xen-pv-mmu", "xen:xen_mc_flush"), .status = PST_NOT_APPLICABLE };
	snprintf(p[n++].reason, sizeof(p[0].reason), "profile xen-pv-mmu is for Xen PV guests");
	p[n] = (struct resolved){ .pt = pt_of("tasks-xen-pv", "xen:xen_mmu_set_pte"), .status = PST_ABSENT };
	snprintf(p[n++].reason, sizeof(p[0].reason), "no tracepoint xen:xen_mmu_set_pte in this kernel");
	return n;
}

static struct exits_report task_report(void)
{
	struct exits_report r = { .seconds = 2, .task_scope = EXT_COMMAND, .task_pid = 4242 };

	r.task_ctr[TC_SYSCALLS] = 1000;
	r.task_ctr[TC_PF_USER] = 30;
	r.task_ctr[TC_PF_KERNEL] = 5;
	r.task_ctr[TC_CTXSW] = 7;
	r.task_ctr[TC_TLB_REMOTE] = 2;
	r.task_ctr[TC_MC_HYPERCALL] = 99;   /* its point is not attached: never shown */
	return r;
}

START_TEST(task_rows_measured_or_not)
{
	struct resolved p[8];
	unsigned n = task_points(p);
	struct exits_report r = task_report();
	struct task_row_val rows[TR__COUNT];

	task_rows(&r, p, n, rows);
	ck_assert_int_eq(rows[TR_SYSCALLS].how, TH_MEASURED);
	ck_assert_uint_eq(rows[TR_SYSCALLS].count, 1000);
	ck_assert_uint_eq(rows[TR_PF_USER].count, 30);
	ck_assert_uint_eq(rows[TR_PF_KERNEL].count, 5);
	ck_assert_uint_eq(rows[TR_CTXSW].count, 7);
	ck_assert_uint_eq(rows[TR_TLB_REMOTE].count, 2);
	ck_assert_int_eq(rows[TR_PV_MULTICALL].how, TH_NOT_MEASURED);
	ck_assert_uint_eq(rows[TR_PV_MULTICALL].count, 0);
	ck_assert_msg(strstr(rows[TR_PV_MULTICALL].why, "is for Xen PV"), "%s", rows[TR_PV_MULTICALL].why);
	ck_assert_msg(strstr(rows[TR_PV_PT_UPDATE].why, "no tracepoint xen:xen_mmu_set_pte"), "%s",
		      rows[TR_PV_PT_UPDATE].why);
	/* without a scope nothing is measured, whatever the counters hold */
	r.task_scope = EXT_NO_TASKS;
	task_rows(&r, p, n, rows);
	for (int i = 0; i < TR__COUNT; i++) {
		ck_assert_int_eq(rows[i].how, TH_NOT_MEASURED);
		ck_assert_msg(strstr(rows[i].why, "-- CMD or --pid"), "%s", rows[i].why);
	}
	r.task_scope = EXT_NOT_IN_RECORDING;
	task_rows(&r, p, n, rows);
	ck_assert_msg(strstr(rows[TR_SYSCALLS].why, "older iopath"), "%s", rows[TR_SYSCALLS].why);
}
END_TEST

START_TEST(task_crossings_derived)
{
	struct resolved p[8];
	unsigned n = task_points(p);
	struct exits_report r = task_report();
	struct task_row_val rows[TR__COUNT];
	struct task_derived d;

	task_rows(&r, p, n, rows);
	/* Xen PV: 2 x 1000 syscalls + 2 x (30 + 5) page faults */
	task_derive(rows, XP_XEN_PV, &d);
	ck_assert_int_eq(d.how, TH_DERIVED);
	ck_assert_uint_eq(d.crossings, 2070);
	ck_assert_msg(strstr(d.model, "2 x 1000 syscalls + 2 x 35 page faults") && strstr(d.model, "iret"), "%s", d.model);
	/* syscalls stay in the guest: 0, derived from the model's verdict */
	for (enum xm_platform q = XP_XEN_PVH; q <= XP_KVM; q++) {
		task_derive(rows, q, &d);
		ck_assert_int_eq(d.how, TH_DERIVED);
		ck_assert_uint_eq(d.crossings, 0);
		ck_assert_msg(strstr(d.model, "stay in the guest"), "%s", d.model);
	}
	/* PVM: may exit: no figure */
	task_derive(rows, XP_PVM, &d);
	ck_assert_int_eq(d.how, TH_NOT_MEASURED);
	ck_assert_msg(strstr(d.why, "may exit on PVM"), "%s", d.why);
	task_derive(rows, XP_UNKNOWN, &d);
	ck_assert_int_eq(d.how, TH_NOT_MEASURED);
	/* a row it needs not measured: not derived, never from a 0 */
	rows[TR_PF_KERNEL].how = TH_NOT_MEASURED;
	snprintf(rows[TR_PF_KERNEL].why, sizeof(rows[0].why), "absent here");
	task_derive(rows, XP_XEN_PV, &d);
	ck_assert_int_eq(d.how, TH_NOT_MEASURED);
	ck_assert_msg(strstr(d.why, "page_faults_kernel not measured (absent here)"), "%s", d.why);
	ck_assert_double_eq(task_per(10, 4), 2.5);
	ck_assert_double_lt(task_per(10, 0), 0);
}
END_TEST

/* The report's lines: measured rows with per second, per packet and per request; the derived
 * line says DERIVED and the model, never "measured"; not measured rows say why. */
START_TEST(task_report_lines)
{
	struct resolved p[8];
	unsigned n = task_points(p);
	struct exits_report r = task_report();
	struct ex_io io = { .net = true, .blk = true, .packets = 500, .requests = 0 };
	char *buf, *l;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	exits_print(f, &r, p, n, "Xen PV", &io);
	fclose(f);
	l = strstr(buf, "    syscalls ");
	ck_assert_msg(l && strstr(l, "1000") && strstr(l, "500.0/s") && strstr(l, "2.000/packet") &&
		      strstr(l, "-/request") && strstr(l, "measured (raw_syscalls:sys_enter)") < strchr(l, '\n'), "%s", buf);
	l = strstr(buf, "crossings derived from the model:");
	ck_assert_msg(l && strstr(l, "2070 DERIVED, not measured") && strstr(l, "1035.0/s") &&
		      strstr(l, "4.140/packet"), "%s", buf);
	ck_assert_msg(strstr(buf, "pv_multicalls         not measured (xen:xen_mc_flush not-applicable-here"), "%s", buf);
	ck_assert_msg(strstr(buf, "pid 4242"), "%s", buf);
	free(buf);
	f = open_memstream(&buf, &len);
	exits_print(f, &r, p, n, "KVM", NULL);
	fclose(f);
	l = strstr(buf, "crossings derived from the model:");
	ck_assert_msg(l && strstr(l, " 0 DERIVED") && strstr(l, "stay in the guest"), "%s", buf);
	ck_assert_msg(!strstr(buf, "/packet"), "%s", buf);
	free(buf);
	r.task_ctr[TC_FULL] = 3;
	f = open_memstream(&buf, &len);
	exits_print(f, &r, p, n, "KVM", NULL);
	fclose(f);
	ck_assert_msg(strstr(buf, "NOT RECORDED: 3 children of traced tasks not traced"), "%s", buf);
	free(buf);
}
END_TEST

int main(void)
{
	return RUN_TESTS("exitmodel", "model", rows_complete, every_exit_point_modelled, points_to_kinds, msrs,
			 platform_names, report_columns, task_points_to_kinds, task_rows_measured_or_not,
			 task_crossings_derived, task_report_lines);
}
