/* The crossings around the I/O path made by the traced tasks (record --exits with -- CMD or
 * --pid): what was counted for them (syscalls, user and kernel page faults, context switches,
 * remote TLB flushes, Xen PV multicalls and page-table updates), each row measured or not
 * measured with the reason, and the crossings the exit model derives from them for the
 * recording's platform (Xen PV: each syscall and each exception enters Xen and returns by the
 * iret hypercall). Pure: from a report, its points and the platform; unit-tested. */
#ifndef IOPATH_TASKROWS_H
#define IOPATH_TASKROWS_H
#include <stdbool.h>
#include <stddef.h>

#include "kernel/resolve.h"
#include "report/exitmodel.h"
#include "report/exits_report.h"

enum task_row {
	TR_SYSCALLS = 0, TR_PF_USER, TR_PF_KERNEL, TR_CTXSW, TR_TLB_REMOTE, TR_PV_MULTICALL, TR_PV_PT_UPDATE,
	TR__COUNT
};

enum task_how { TH_MEASURED, TH_DERIVED, TH_NOT_MEASURED };

struct task_row_val {
	const char *name;          /* "syscalls" (text), also the JSON key */
	const char *label;         /* "page faults (user)": diff's and compare's row names */
	const char *point;         /* the tracepoint that counts it */
	enum xm_kind kind;         /* its exit-model row */
	enum task_how how;         /* measured or not measured */
	unsigned long long count;  /* measured: the count */
	char why[200];             /* not measured: why */
};

/* The model's crossings from the rows: derived on a platform where syscalls and exceptions
 * exit (Xen PV), "stays" (0, HVM/PVH/KVM/bare metal), or not derived (may: PVM, an unmodelled
 * platform; or a row it needs was not measured). */
struct task_derived {
	enum task_how how;         /* TH_DERIVED, or TH_NOT_MEASURED (not derived: why) */
	enum xm_verdict verdict;   /* the model's verdict for syscalls on the platform */
	unsigned long long crossings;
	char model[240];           /* the model in words, with the arithmetic */
	char why[200];
};

/* How record scoped the traced tasks (exits_report.task_scope). */
const char *task_scope_text(int scope);
/* The scope in one line: the text above, with the pid and the children joined and ended when
 * tasks were traced. Returns buf. */
const char *task_scope_line(const struct exits_report *r, char *buf, size_t len);
/* The rows of r (counts from r->ctr, measured from pts' status and r->task_scope). */
void task_rows(const struct exits_report *r, const struct resolved *pts, unsigned n,
	       struct task_row_val out[TR__COUNT]);
/* The model's crossings from rows on platform p. */
void task_derive(const struct task_row_val rows[TR__COUNT], enum xm_platform p, struct task_derived *d);
/* count per unit (a packet, a request, a second); < 0 when there is no unit to divide by. */
double task_per(unsigned long long count, double units);

#endif
