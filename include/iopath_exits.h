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

#endif
