/* Interrupts, softirqs and the guest's hypervisor crossings that are not a
 * function call of a driver: per IRQ line handler counts and time, softirq
 * raises/runs/time per vector, PV multicall hypercalls (xen_mc_flush with
 * mcidx >= 1), MSR writes per MSR. Counting is gated by a .bss flag that
 * userspace sets right after reading /proc/interrupts and clears right before
 * reading it again, so both describe the same interval. Included by
 * iopath.bpf.c. */
#ifndef IOPATH_BPF_EXITS_H
#define IOPATH_BPF_EXITS_H
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "iopath.h"
#include "lib/maps.h"
#include "lib/hist.h"

const volatile bool exits_on = false;
/* Flipped by userspace at run time, in a section of its own: where the kernel cannot mmap an array
 * (before 5.5) userspace writes a section as one map update, and one holding the counters would
 * put back their old values (user/engine/globals.h). */
volatile bool exits_counting SEC(".data.ctl") = false;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, u32);
	__type(value, struct ex_irq);
} ex_irqs SEC(".maps");

struct ex_cpu {
	u64 irq_ts;
	u32 irq;
	u32 in_irq;
	u64 soft_ts[EX_NR_SOFTIRQS];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct ex_cpu);
} ex_cpu SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, u32);
	__type(value, u64);
} ex_msr SEC(".maps");

struct ex_softirq ex_soft[EX_NR_SOFTIRQS] = {};
__u64 ex_ctr[EXC__COUNT] = {};
__u64 ex_task_ctr[TC__COUNT] = {};
const struct ex_irq zero_ex_irq = {};

static __always_inline struct ex_cpu *ex_this_cpu(void)
{
	u32 z = 0;

	return bpf_map_lookup_elem(&ex_cpu, &z);
}

static __always_inline bool ex_active(void)
{
	return exits_on && exits_counting;
}

static __always_inline void ex_hist(u64 *slots, u64 ns)
{
	u32 s = log2_slot(ns);

	__sync_fetch_and_add(&slots[s & (EX_HIST_SLOTS - 1)], 1);
}

static __always_inline void ex_irq_entry(int irq, struct irqaction *action)
{
	struct ex_cpu *c = ex_this_cpu();
	u32 key = irq;
	struct ex_irq *v;

	if (!ex_active() || !c)
		return;
	v = bpf_map_lookup_elem(&ex_irqs, &key);
	if (!v) {
		/* a line seen for the first time: name it */
		v = map_lookup_or_insert(&ex_irqs, &key, &zero_ex_irq, &ex_ctr[EXC_IRQ_MAP_FULL]);
		if (!v)
			return;
		bpf_probe_read_kernel_str(v->name, sizeof(v->name), BPF_CORE_READ(action, name));
	}
	__sync_fetch_and_add(&v->count, 1);
	if (c->in_irq)
		__sync_fetch_and_add(&ex_ctr[EXC_IRQ_NESTED], 1);
	c->irq_ts = bpf_ktime_get_ns();
	c->irq = irq;
	c->in_irq = 1;
}

static __always_inline void ex_irq_exit(int irq)
{
	struct ex_cpu *c = ex_this_cpu();
	u32 key = irq;
	struct ex_irq *v;
	u64 dt;

	if (!c || !c->in_irq || c->irq != (u32)irq)
		return;
	c->in_irq = 0;
	if (!ex_active())
		return;
	v = bpf_map_lookup_elem(&ex_irqs, &key);
	if (!v)
		return;
	dt = bpf_ktime_get_ns() - c->irq_ts;
	__sync_fetch_and_add(&v->sum_ns, dt);
	ex_hist(v->slots, dt);
}

static __always_inline void ex_softirq(u32 vec, int what)
{
	struct ex_cpu *c;
	struct ex_softirq *s;

	if (!ex_active() || vec >= EX_NR_SOFTIRQS)
		return;
	s = &ex_soft[vec];
	if (what == 0) {               /* raise */
		__sync_fetch_and_add(&s->raised, 1);
		return;
	}
	c = ex_this_cpu();
	if (!c)
		return;
	if (what == 1) {               /* entry */
		__sync_fetch_and_add(&s->count, 1);
		c->soft_ts[vec] = bpf_ktime_get_ns();
	} else {                       /* exit */
		u64 t0 = c->soft_ts[vec];

		c->soft_ts[vec] = 0;
		if (t0) {
			u64 dt = bpf_ktime_get_ns() - t0;

			__sync_fetch_and_add(&s->sum_ns, dt);
			ex_hist(s->slots, dt);
		}
	}
}


static __always_inline void ex_write_msr(u32 msr)
{
	if (!ex_active())
		return;
	__sync_fetch_and_add(&ex_ctr[EXC_MSR_WRITES], 1);
	map_count(&ex_msr, &msr, &ex_ctr[EXC_MSR_MAP_FULL]);
}

/* The traced tasks of record --exits (-- CMD or --pid): userspace puts the command's pid in
 * before the command execs (or --pid's), children join at fork and a process leaves when its
 * last thread exits, so a pid the kernel hands to another process later is not counted. The
 * tasks profile's tracepoints fire on every syscall, fault and switch of the machine, so
 * tp_dispatch asks ex_traced_task() before anything else (ex_task_tp); they are attached only
 * with a scope (tasks_on), so without one nothing of this runs. */
const volatile bool tasks_on = false;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, EX_MAX_TASKS);
	__type(key, u32);
	__type(value, u8);
} ex_tasks SEC(".maps");

/* One hash lookup of the current thread group. */
static __always_inline bool ex_traced_task(void)
{
	u32 tgid = bpf_get_current_pid_tgid() >> 32;

	return bpf_map_lookup_elem(&ex_tasks, &tgid) != NULL;
}

/* The tracepoints that count for the traced tasks only: checked first (tp is a constant). */
static __always_inline bool ex_task_tp(const u32 tp)
{
	switch (tp) {
	case TP_sys_enter: case TP_page_fault_user: case TP_page_fault_kernel: case TP_sched_switch:
	case TP_sched_process_fork: case TP_sched_process_exit: case TP_tlb_flush:
	case TP_xen_mmu_set_pte: case TP_xen_mmu_set_pmd: case TP_xen_mmu_set_pud: case TP_xen_mmu_set_p4d:
	case TP_xen_mmu_ptep_modify_prot_commit:
		return true;
	default:
		return false;
	}
}

/* A traced task forked (current is the parent, traced: ex_task_tp checked it). A new thread
 * shares the parent's tgid and is traced already; a new process joins, or is counted as not
 * traced when the map is full (-EEXIST: a racing insert of the same child, not a loss). Kept
 * outside the counting interval too: a child forked before counting starts is still traced. */
static __always_inline void ex_fork(struct task_struct *child)
{
	u32 tgid = BPF_CORE_READ(child, tgid);
	u8 one = 1;
	long err;

	if (tgid == (u32)(bpf_get_current_pid_tgid() >> 32))
		return;
	err = bpf_map_update_elem(&ex_tasks, &tgid, &one, BPF_NOEXIST);
	if (err && err != -EEXIST)
		__sync_fetch_and_add(&ex_task_ctr[TC_FULL], 1);
	else if (!err)
		__sync_fetch_and_add(&ex_task_ctr[TC_JOINED], 1);
}

/* A traced thread exits (current): do_exit() decrements signal->live before
 * trace_sched_process_exit (kernel/exit.c, 5.10 to 6.18), so 0 means the last thread of its
 * group: the process leaves the scope. */
static __always_inline void ex_exit(struct task_struct *p)
{
	u32 tgid = bpf_get_current_pid_tgid() >> 32;

	if (BPF_CORE_READ(p, signal, live.counter))
		return;
	if (!bpf_map_delete_elem(&ex_tasks, &tgid))
		__sync_fetch_and_add(&ex_task_ctr[TC_LEFT], 1);
}

/* An event of a traced task (the scope was checked first) inside the counting interval. */
static __always_inline void ex_task_event(int c)
{
	if (ex_active())
		__sync_fetch_and_add(&ex_task_ctr[c], 1);
}

/* xen_mc_flush counts for the machine; with a scope, a traced task's hypercalls also for it
 * (the lookup only then: this tracepoint is not one of ex_task_tp's). */
static __always_inline void ex_mc_flush(u32 mcidx)
{
	if (!ex_active())
		return;
	__sync_fetch_and_add(&ex_ctr[EXC_MC_FLUSH], 1);
	if (mcidx < 1)
		return;
	__sync_fetch_and_add(&ex_ctr[EXC_MC_HYPERCALL], 1);
	if (tasks_on && ex_traced_task())
		__sync_fetch_and_add(&ex_task_ctr[TC_MC_HYPERCALL], 1);
}

/* The tracepoints this part reads; tp is a constant per program. */
static __always_inline void ex_tp(const u32 tp, u64 *ctx)
{
	switch (tp) {
	case TP_irq_handler_entry:
		ex_irq_entry((int)ctx[0], (struct irqaction *)ctx[1]);
		break;
	case TP_irq_handler_exit:
		ex_irq_exit((int)ctx[0]);
		break;
	case TP_softirq_raise:
		ex_softirq((u32)ctx[0], 0);
		break;
	case TP_softirq_entry:
		ex_softirq((u32)ctx[0], 1);
		break;
	case TP_softirq_exit:
		ex_softirq((u32)ctx[0], 2);
		break;
	case TP_xen_mc_flush:
		ex_mc_flush((u32)ctx[0]);
		break;
	case TP_write_msr:
		ex_write_msr((u32)ctx[0]);
		break;
	/* the traced tasks' events: tp_dispatch checked the scope first (ex_task_tp) */
	case TP_sys_enter:
		ex_task_event(TC_SYSCALLS);
		break;
	case TP_page_fault_user:
		ex_task_event(TC_PF_USER);
		break;
	case TP_page_fault_kernel:
		ex_task_event(TC_PF_KERNEL);
		break;
	case TP_sched_switch:
		/* (preempt, prev, next[, prev_state]): current is prev, the task switched away from */
		ex_task_event(TC_CTXSW);
		break;
	case TP_sched_process_fork:
		/* (parent, child); without traced tasks (probes) there is no scope to keep */
		if (tasks_on)
			ex_fork((struct task_struct *)ctx[1]);
		break;
	case TP_sched_process_exit:
		if (tasks_on)
			ex_exit((struct task_struct *)ctx[0]);
		break;
	case TP_tlb_flush:
		/* (reason, pages): the sender's side of a remote flush (arch/x86/mm/tlb.c
		 * native_flush_tlb_multi; Xen PV's xen_flush_tlb_multi does not trace it) */
		if ((int)ctx[0] == bpf_core_enum_value(enum tlb_flush_reason, TLB_REMOTE_SEND_IPI))
			ex_task_event(TC_TLB_REMOTE);
		break;
	case TP_xen_mmu_set_pte: case TP_xen_mmu_set_pmd: case TP_xen_mmu_set_pud: case TP_xen_mmu_set_p4d:
	case TP_xen_mmu_ptep_modify_prot_commit:
		ex_task_event(TC_PT_UPDATE);
		break;
	}
}

#endif
