#include "report/taskrows.h"

#include <stdio.h>
#include <string.h>

#include "kernel/profiles.h"

/* Each row: its name, its label, the tracepoint that counts it, its model row, its counter. */
static const struct {
	const char *name, *label, *point;
	enum xm_kind kind;
	int ctr;
} rows[TR__COUNT] = {
	[TR_SYSCALLS] = { "syscalls", "syscalls", "raw_syscalls:sys_enter", XM_SYSCALL, TC_SYSCALLS },
	[TR_PF_USER] = { "page_faults_user", "page faults (user)", "exceptions:page_fault_user", XM_EXCEPTION, TC_PF_USER },
	[TR_PF_KERNEL] = { "page_faults_kernel", "page faults (kernel)", "exceptions:page_fault_kernel", XM_EXCEPTION,
			   TC_PF_KERNEL },
	[TR_CTXSW] = { "context_switches", "context switches", "sched:sched_switch", XM_CTXSW, TC_CTXSW },
	[TR_TLB_REMOTE] = { "remote_tlb_flushes", "remote TLB flushes", "tlb:tlb_flush", XM_TLB_FLUSH, TC_TLB_REMOTE },
	[TR_PV_MULTICALL] = { "pv_multicalls", "PV multicalls", "xen:xen_mc_flush", XM_PT_UPDATE, TC_MC_HYPERCALL },
	[TR_PV_PT_UPDATE] = { "pv_pagetable_updates", "PV pagetable updates", "xen:xen_mmu_set_pte", XM_PT_UPDATE,
			      TC_PT_UPDATE },
};

const char *task_scope_text(int scope)
{
	switch (scope) {
	case EXT_NOT_ASKED: return "record without --exits";
	case EXT_NO_TASKS: return "no traced tasks: record --exits with -- CMD or --pid PID";
	case EXT_COMMAND: return "the command and what it forks";
	case EXT_PID: return "--pid and what it forks";
	case EXT_COMMAND_AND_PID: return "the command, --pid and what they fork";
	default: return "not in this recording (an older iopath made it)";
	}
}

const char *task_scope_line(const struct exits_report *r, char *buf, size_t len)
{
	if (r->task_scope >= EXT_COMMAND)
		snprintf(buf, len, "%s: pid %u, %llu joined, %llu ended", task_scope_text(r->task_scope), r->task_pid,
			 r->task_ctr[TC_JOINED], r->task_ctr[TC_LEFT]);
	else
		snprintf(buf, len, "%s", task_scope_text(r->task_scope));
	return buf;
}

static const struct resolved *point_of(const struct resolved *pts, unsigned n, const char *symbols)
{
	for (unsigned i = 0; i < n; i++)
		if (pts[i].pt && pts[i].pt->symbols && !strcmp(pts[i].pt->symbols, symbols))
			return &pts[i];
	return NULL;
}

void task_rows(const struct exits_report *r, const struct resolved *pts, unsigned n,
	       struct task_row_val out[TR__COUNT])
{
	bool scoped = r->task_scope >= EXT_COMMAND;

	for (int i = 0; i < TR__COUNT; i++) {
		struct task_row_val *v = &out[i];
		const struct resolved *p = point_of(pts, n, rows[i].point);

		memset(v, 0, sizeof(*v));
		v->name = rows[i].name;
		v->label = rows[i].label;
		v->point = rows[i].point;
		v->kind = rows[i].kind;
		v->how = TH_NOT_MEASURED;
		if (!scoped)
			snprintf(v->why, sizeof(v->why), "%s", task_scope_text(r->task_scope));
		else if (!p)
			snprintf(v->why, sizeof(v->why), "%s not resolved in this recording", rows[i].point);
		else if (p->status != PST_ATTACHED)
			snprintf(v->why, sizeof(v->why), "%s %s: %.150s", rows[i].point, status_name(p->status),
				 p->reason[0] ? p->reason : "no reason given");
		else {
			v->how = TH_MEASURED;
			v->count = r->task_ctr[rows[i].ctr];
		}
	}
}

void task_derive(const struct task_row_val rows_[TR__COUNT], enum xm_platform p, struct task_derived *d)
{
	const struct task_row_val *sc = &rows_[TR_SYSCALLS], *pu = &rows_[TR_PF_USER], *pk = &rows_[TR_PF_KERNEL];
	int per_sys = exit_model_crossings(XM_SYSCALL, p), per_exc = exit_model_crossings(XM_EXCEPTION, p);
	const char *plat = exit_model_platform_name(p);

	memset(d, 0, sizeof(*d));
	d->verdict = exit_model_verdict(XM_SYSCALL, p);
	d->how = TH_NOT_MEASURED;
	if (p == XP_UNKNOWN) {
		snprintf(d->why, sizeof(d->why), "the platform is not in the exit model: syscalls may or may not exit");
		return;
	}
	if (per_sys < 0 || per_exc < 0) {
		snprintf(d->why, sizeof(d->why), "the model says syscalls %s on %s: %s", exit_verdict_name(d->verdict),
			 plat, exit_model_row(XM_SYSCALL)->cell[p].why);
		return;
	}
	if (!per_sys && !per_exc) {
		/* nothing to count: the model's verdict is the figure, whatever was measured */
		d->how = TH_DERIVED;
		snprintf(d->model, sizeof(d->model), "0: on %s syscalls and exceptions stay in the guest (%s)", plat,
			 exit_model_row(XM_SYSCALL)->cell[p].why);
		return;
	}
	if (sc->how != TH_MEASURED || pu->how != TH_MEASURED || pk->how != TH_MEASURED) {
		const struct task_row_val *m = sc->how != TH_MEASURED ? sc : pu->how != TH_MEASURED ? pu : pk;

		snprintf(d->why, sizeof(d->why), "%s not measured (%.150s)", m->name, m->why);
		return;
	}
	d->how = TH_DERIVED;
	d->crossings = (unsigned long long)per_sys * sc->count + (unsigned long long)per_exc * (pu->count + pk->count);
	snprintf(d->model, sizeof(d->model),
		 "%d x %llu syscalls + %d x %llu page faults: on %s each enters Xen and returns by the iret "
		 "hypercall (other exceptions not counted: a lower bound)",
		 per_sys, sc->count, per_exc, pu->count + pk->count, plat);
}

double task_per(unsigned long long count, double units)
{
	return units > 0 ? count / units : -1;
}
