/* Interrupts and hypervisor exits seen from the guest: shared between
 * bpf/paths/exits.h and user/report/exits_report.c. */
#ifndef IOPATH_EXITS_H
#define IOPATH_EXITS_H

#define EX_HIST_SLOTS 32
#define EX_NR_SOFTIRQS 10   /* HI TIMER NET_TX NET_RX BLOCK IRQ_POLL TASKLET SCHED HRTIMER RCU */

/* One IRQ line: handler invocations and time in the handler (log2 ns). */
struct ex_irq {
	unsigned long long count, sum_ns;
	unsigned long long slots[EX_HIST_SLOTS];
	char name[16];              /* action->name, as the kernel has it */
};

struct ex_softirq {
	unsigned long long raised, count, sum_ns;
	unsigned long long slots[EX_HIST_SLOTS];
};

/* Global counters (array in .bss). */
enum ex_ctr {
	EXC_MC_FLUSH = 0,   /* xen:xen_mc_flush events */
	EXC_MC_HYPERCALL,   /* ... with mcidx >= 1: one hypercall each */
	EXC_MSR_WRITES,     /* msr:write_msr */
	EXC_IRQ_MAP_FULL,
	EXC_MSR_MAP_FULL,
	EXC_IRQ_NESTED,     /* an entry found another entry still open on the CPU */
	EXC__COUNT
};

/* Around the I/O path, by the traced tasks only (record --exits with -- CMD or --pid: the tasks
 * profiles are attached only then). An array of its own (ex_task_ctr), recorded as
 * exits_report.task_ctr: append new values at the end (recordings match it by index). */
enum ex_task_ctr {
	TC_SYSCALLS = 0,    /* raw_syscalls:sys_enter */
	TC_PF_USER,         /* exceptions:page_fault_user */
	TC_PF_KERNEL,       /* exceptions:page_fault_kernel */
	TC_CTXSW,           /* sched:sched_switch away from a traced task */
	TC_TLB_REMOTE,      /* tlb:tlb_flush TLB_REMOTE_SEND_IPI: a flush of other CPUs' TLBs asked */
	TC_MC_HYPERCALL,    /* xen:xen_mc_flush with mcidx >= 1 by a traced task: one hypercall each */
	TC_PT_UPDATE,       /* xen:xen_mmu_set_{pte,pmd,pud,p4d}, ptep_modify_prot_commit by a traced task */
	TC_JOINED,          /* children of traced tasks that joined the scope (sched_process_fork) */
	TC_LEFT,            /* traced processes that ended (sched_process_exit of the group's last thread) */
	TC_FULL,            /* a forked child of a traced task not added: ex_tasks full */
	TC__COUNT
};

/* The traced tasks (thread-group ids) of record --exits: the command run under record (put in
 * before it execs) or --pid, and what they fork; a process leaves when its last thread exits, so
 * a pid the kernel reuses is not counted. A child that finds the map full is counted
 * (TC_FULL), not traced. */
#define EX_MAX_TASKS 4096

#endif
