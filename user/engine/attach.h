/* The attach engine: one engine for every profile. Takes resolved points,
 * loads only the programs they need, attaches each point with its method and
 * records per point what happened (attached, or failed with errno). A point
 * that cannot attach is reported, never fatal. */
#ifndef IOPATH_ATTACH_H
#define IOPATH_ATTACH_H
#include "engine/calib.h"
#include "kernel/resolve.h"

struct iopath_bpf;
struct bpf_link;

struct attached {
	struct bpf_link *link; /* kprobe / tracepoint */
	int prog_fd;           /* fentry/fexit clone */
	int link_fd;
};

struct modbtf; /* per-module BTF object, for fentry clones */

struct engine {
	struct iopath_bpf *skel;
	struct resolved *pts;
	unsigned n;
	struct attached *att;
	const struct kcaps *caps;
	struct btf *vmlinux_btf;
	struct modbtf *mods;
	unsigned nmods;
	double load_ms, attach_ms;
	unsigned attached, failed;
	struct bpf_link *kmulti;                 /* the kprobe.multi link (engine/kmulti.h) */
	bool paused;                             /* engine_pause: no point on the kernel */
	bool perfbuf;                            /* samples by perf buffer (engine/samples.h) */
	unsigned long long dropped[DROP__COUNT]; /* from the BPF side */
	unsigned long long queues_not_shown;     /* queues beyond resolved.q[] */
	unsigned long long recursion_misses;     /* handler runs the kernel's recursion
						  * guard skipped, all programs */
	/* what goes unmeasured for want of module structs in the BTF CO-RE reads, and why (the
	 * load's warning, kept for recordings); "" nothing */
	char btf_unmeasured[400];
	bool tasks_on;                           /* the traced tasks' events are followed */
	void *bss_copy;                          /* .bss read by lookup (engine/globals.h) */
	bool bss_stale;                          /* a lookup of it failed: warned once */
};

/* What the BPF side follows besides hit counts; NULL members: off. */
struct engine_opts {
	const struct net_opts *net;   /* per-packet network path */
	const struct blk_opts *blk;   /* per-request block path */
	bool exits;                   /* interrupts, softirqs, multicalls, MSR writes */
	bool tasks;                   /* the traced tasks' events (engine_task_add puts them in) */
	bool stacks;                  /* kernel stacks at every probe hit */
	bool host;                    /* KVM host: exits by reason, I/O by address (record --host) */
	bool test_hooks;              /* load iop_test_func (tests only) */
};

/* Assigns point ids, loads the BPF object with only the needed programs,
 * writes point configuration. o: NULL for hit counting only.
 * Returns 0 or -errno (object unusable). */
int engine_load(struct engine *e, struct resolved *pts, unsigned n, const struct kcaps *caps,
		const struct engine_opts *o);
/* Puts process tgid in the traced tasks (after engine_load with o->tasks): 0 or -errno. */
int engine_task_add(struct engine *e, unsigned tgid);
/* Attaches every PST_PLANNED point. Per-point failures become PST_FAILED. */
int engine_attach(struct engine *e);
const char *drop_name(int d);
/* Probe hits that got no kernel stack (record --stacks): the sum of the
 * stack drop counters. */
unsigned long long engine_stacks_dropped(const struct engine *e);
/* Why a hit got no stack, in the words the stored total is reported with
 * (recording files keep only the total). */
#define STACKS_DROPPED_WHY "the kernel gave no frames, or no room was left in the stack table"
/* One warning on stderr per drop counter that is not zero, saying what was lost. */
void engine_warn_dropped(const struct engine *e);
/* Runs of a loaded program the kernel skipped because it was already
 * running on that CPU (bpf_prog_info.recursion_misses); 0 if unknown. */
unsigned long long prog_recursion_misses(int prog_fd);
/* Reads hit counters into pts[i].hits, per-queue hits, drop counters. */
int engine_read_hits(struct engine *e);
/* Zeroes the hit counters (per point and per queue) so that what is read
 * next covers only the time from now on. 0 or -errno. */
int engine_reset_hits(struct engine *e);
/* Time windows (record --budget). engine_pause takes every attached point off the kernel
 * (links destroyed; a perf-event kprobe disabled) and keeps its program; engine_resume first
 * forgets the in-flight state of the paused time (packets, requests and per-CPU scopes whose
 * events were missed: kept, they would join two lives of a recycled skb or request address),
 * then puts every point back. A point that cannot go back becomes PST_FAILED with the reason
 * and is counted in e->failed. engine_resume returns the number of such points. Both are
 * no-ops in the state they leave. */
void engine_pause(struct engine *e);
unsigned engine_resume(struct engine *e);
/* Run time (ns) and runs of every program the engine loaded, summed (bpf_prog_info; the kernel
 * counts them while kernel.bpf_stats_enabled is 1). 0 or -errno. */
int engine_prog_runtime(const struct engine *e, unsigned long long *ns, unsigned long long *runs);
/* Probe hits of every point so far, summed (what engine_read_hits reads, without the rest).
 * 0 or -errno. */
int engine_total_hits(const struct engine *e, unsigned long long *hits);
void engine_close(struct engine *e);
/* Tracepoint name -> enum iop_tp, or -1. */
int tp_index(const char *name);

#endif
