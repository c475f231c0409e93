/* The exit model: which crossings leave the guest on which platform, and why.
 *
 * One row per crossing kind (an event-channel send, an upcall, an EOI write, an MSR write by MSR,
 * timer programming, halt, IPI, TLB flush, page-table updates, a virtio kick, a device doorbell,
 * a syscall or exception on Xen PV, ...), one cell per platform: the crossing EXITS (the guest
 * stops and the hypervisor runs), MAY exit (it depends on a feature the guest cannot see or on
 * state at the time, e.g. an unmask exits only when an event is pending; APICv virtualizes EOI
 * writes), STAYS in the guest (hardware or a shared page handles it), or does not apply. Every cell
 * has a one-line reason and every row the kernel or hypervisor source the reason comes from.
 *
 * Reports use it to put each counted crossing in one column (exits / may exit / stays) for the
 * platform the recording was made on, so nothing that stays in the guest is read as an exit and
 * nothing is counted twice (a row that totals others, such as every PV hypercall or every traced
 * wrmsr, is marked as a total). Pure data and lookups: fixture- and unit-tested, no I/O.
 */
#ifndef IOPATH_EXITMODEL_H
#define IOPATH_EXITMODEL_H
#include <stdbool.h>

#include "kernel/profiles.h"
#include "platform/platform.h"

enum xm_kind {
	XM_EVTCHN_SEND = 0, XM_UPCALL, XM_EVTCHN_UNMASK, XM_PIRQ_EOI, XM_LAPIC_EOI, XM_TIMER, XM_HALT,
	XM_IPI, XM_TLB_FLUSH, XM_PT_UPDATE, XM_VIRTIO_KICK, XM_EMULATED_IO, XM_DEVICE_DOORBELL,
	XM_SYSCALL, XM_EXCEPTION, XM_CTXSW, XM_MSR_PASSTHROUGH, XM_MSR_APIC_VIRT, XM_MSR_KVM_PV, XM_MSR_OTHER,
	XM_HYPERCALL, XM_HYPERCALL_ALL, XM_GRANT,
	XM__COUNT,
	XM_NONE = -1,          /* not a crossing (a receive-side tracepoint, a scope marker) */
	XM_BY_MSR = -2,        /* one row per MSR written: ask exit_model_msr_kind */
};

enum xm_verdict { XV_NA = 0, XV_STAYS, XV_MAY, XV_EXITS };

/* The platforms of the model's columns. */
enum xm_platform { XP_XEN_PV = 0, XP_XEN_PVH, XP_XEN_HVM, XP_KVM, XP_PVM, XP_BARE, XP__COUNT, XP_UNKNOWN = -1 };

struct xm_cell {
	enum xm_verdict v;
	const char *why;       /* one line */
};

struct xm_row {
	const char *name;      /* "evtchn-send" */
	const char *what;      /* what the guest does */
	const char *source;    /* the file and function the reasons come from */
	bool total;            /* a total of other rows: shown, never added to them */
	struct xm_cell cell[XP__COUNT];
	/* crossings one event makes where its cell says "exits" (0: 1); a syscall on Xen PV is 2:
	 * the entry into Xen and the iret hypercall back (derived, never measured) */
	unsigned per_event;
};

const struct xm_row *exit_model_row(enum xm_kind k);          /* NULL outside 0..XM__COUNT-1 */
const char *exit_model_platform_name(enum xm_platform p);     /* "Xen PV" ... */
const char *exit_verdict_name(enum xm_verdict v);             /* "exits", "may exit", "stays", "n/a" */
/* A detected platform, or a recording's platform string (platform_name()), to a column. */
enum xm_platform exit_model_platform(enum platform_kind k);
enum xm_platform exit_model_platform_of_name(const char *name);
/* The crossing kind a probe point counts (XM_NONE, XM_BY_MSR or a kind). */
int exit_model_point_kind(const struct probe_point *pt);
/* The crossing kind of a wrmsr to msr (the msr:write_msr tracepoint's rows). */
enum xm_kind exit_model_msr_kind(unsigned msr);
/* The verdict for kind on platform p; XV_MAY where the platform is unknown and the kind exits
 * somewhere (the model cannot say), XV_NA for bad arguments. */
enum xm_verdict exit_model_verdict(enum xm_kind k, enum xm_platform p);
/* Crossings one event of kind k makes on p: per_event where the cell says exits, 0 where it
 * stays or does not apply, -1 where it may (the model cannot say how many). */
int exit_model_crossings(enum xm_kind k, enum xm_platform p);

#endif
