/* Interrupts and hypervisor exits seen from the guest: per IRQ line counts
 * and handler time next to the kernel's own /proc/interrupts counts over
 * the same interval, softirqs next to /proc/softirqs, exit-causing calls by
 * kind with rates, PV multicall hypercalls, MSR writes, steal time. */
#ifndef IOPATH_EXITS_REPORT_H
#define IOPATH_EXITS_REPORT_H
#include <stdbool.h>
#include <stdio.h>
#include "engine/attach.h"
#include "platform/devices.h"
#include "iopath_exits.h"

struct jw;

struct ex_irq_row {
	unsigned irq;
	struct ex_irq v;
	unsigned long long proc_delta;   /* /proc/interrupts over the same interval */
	char chip[64], device[48];
	int queue;
	char kind[12];
};

/* A named /proc/interrupts row (HYP, LOC, RES, CAL, ...) over the interval. */
struct ex_arch_row {
	char name[16];
	unsigned long long delta;
};
#define EX_MAX_ARCH 48

struct exits_report {
	double seconds;
	struct irq_table before, after;
	unsigned long long soft_before[EX_NR_SOFTIRQS], soft_after[EX_NR_SOFTIRQS];
	int ncpu;
	unsigned long long steal_before[512], steal_after[512];  /* USER_HZ ticks */
	long hz;
	int nirq;
	struct ex_irq_row *irqs;
	struct ex_softirq soft[EX_NR_SOFTIRQS];
	unsigned long long ctr[EXC__COUNT];
	int nmsr;
	struct { unsigned msr; unsigned long long count; } msr[64];
	/* exits charged to packets/requests by the path reports (filled by the caller) */
	unsigned long long charged_net, charged_blk, background;
	/* named rows of /proc/interrupts over the interval; separate from the
	 * struct above, which is the RS_EXITS_GLOBAL record format */
	int narch;
	struct ex_arch_row *arch;
	/* the traced tasks (EXT_*): 0 in a recording an older iopath made */
	int task_scope;
	unsigned task_pid;          /* EXT_COMMAND, EXT_PID: the process record put in the scope */
	unsigned long long task_ctr[TC__COUNT];   /* enum ex_task_ctr */
};

/* How record scoped the traced tasks of the crossings around the I/O path. */
enum ex_task_scope {
	EXT_NOT_IN_RECORDING = 0,   /* an older iopath made it */
	EXT_NOT_ASKED,              /* record without --exits: the task tracepoints not attached */
	EXT_NO_TASKS,               /* --exits, but neither -- CMD nor --pid */
	EXT_COMMAND,                /* -- CMD (and what it forks) */
	EXT_PID,                    /* --pid PID (and what it forks from then on) */
	EXT_COMMAND_AND_PID,        /* both (task_pid: the command's) */
};

extern const char *const softirq_names[EX_NR_SOFTIRQS];

/* Reads the kernel's counters, then starts BPF counting. */
int exits_begin(struct engine *e, struct exits_report *r);
/* Stops BPF counting, then reads the kernel's counters again. */
int exits_end(struct engine *e, struct exits_report *r);
/* A checkpoint of a recording that goes on (exits_begin was r): ck gets r's first snapshot, the
 * kernel's counters and the probe hits now, while BPF counting goes on; exits_collect(e, ck) then
 * reads the BPF side as after exits_end. Free ck with exits_checkpoint_free (r keeps what it shares). */
int exits_checkpoint(struct engine *e, const struct exits_report *r, struct exits_report *ck);
void exits_checkpoint_free(struct exits_report *ck);
/* Reads the BPF side (after exits_end). */
int exits_collect(struct engine *e, struct exits_report *r);
void exits_report_free(struct exits_report *r);
/* What the traced tasks' crossings are divided by: the recording's packets and block requests
 * (net, blk: the path was recorded). */
struct ex_io {
	bool net, blk;
	unsigned long long packets, requests;
};
/* platform: the recording's platform_name(), which picks the exit model's column; io: NULL when
 * no path was recorded */
void exits_print(FILE *f, const struct exits_report *r, const struct resolved *pts, unsigned n,
		 const char *platform, const struct ex_io *io);
void exits_json(struct jw *w, const struct exits_report *r, const struct resolved *pts, unsigned n,
		const char *platform, const struct ex_io *io);
/* Parses /proc/softirqs text (exposed for tests): totals per vector. */
int softirqs_parse(const char *path, unsigned long long out[EX_NR_SOFTIRQS]);
/* Steal ticks per CPU from /proc/stat (exposed for tests); returns CPUs read. */
int stat_steal(const char *path, unsigned long long *steal, int max);
const char *msr_name(unsigned msr);

#endif
