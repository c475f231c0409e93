/* record --budget PCT: iopath keeps what it costs within PCT % of the machine's CPU time (all
 * online CPUs) by having its probes on the kernel only in time windows.
 *
 * The cost is measured, not assumed. Over the first window the kernel counts the run time of
 * iopath's programs (engine/selfcost.h), which gives the BPF time per probe hit; every window then costs its
 * probe hits times that, plus iopath's own CPU time (getrusage of its main thread: the reads,
 * the detach and attach). A cycle is a pause and the window after it; the next pause is as
 * long as makes the cycle, with it, cost PCT (budget_off_ns); a cycle within budget is
 * followed by the next window at once. Pauses are at most BUDGET_MAX_OFF_NS, so a burst after a quiet time is
 * seen within that. Before each window the in-flight state of the pause is forgotten
 * (engine_resume).
 *
 * What the counts then mean: every count covers the windows only. The report says so with the
 * fraction of the run the probes were on, and whole-run totals are estimates (count x run /
 * on: unbiased for traffic that does not follow the window schedule). Per-packet and
 * per-request figures (stages, latencies, crossings per packet) are means over the packets of
 * the windows, which are a sample in time of all packets.
 *
 * Lifecycle: budget_start after session_attach (0, or -1 after saying why) -> budget_tick on
 * every turn of the main loop -> budget_end before the final read (the probes stay as they
 * are: nothing more is counted either way) -> budget_stats. */
#ifndef IOPATH_BUDGET_H
#define IOPATH_BUDGET_H
#include <stdbool.h>

#include "engine/attach.h"
#include "engine/selfcost.h"

#define BUDGET_WINDOW_NS 1000000000ull     /* a window: long enough to amortise the detach and
					     * attach (~50 ms of CPU for 20 tracepoints here) */
#define BUDGET_MAX_OFF_NS 10000000000ull   /* the longest pause */

/* What a recording keeps of it (record/recdata.h: meta budget_*). */
struct budget_stats {
	double pct;             /* the budget, % of all CPUs; 0: no budget */
	double on_s, run_s;     /* time the probes were on, and the whole run */
	unsigned windows;       /* windows the probes were on */
	double ns_per_hit;      /* BPF time per probe hit, measured over the first window */
	double cost_pct;        /* what the run cost, % of all CPUs (BPF by ns_per_hit + iopath's CPU) */
	unsigned lost_points;   /* points that could not go back after a pause (PST_FAILED) */
	unsigned long long paused_hits; /* hits after a window's last read, up to its detach (-v) */
};

struct budget {
	struct engine *e;
	struct budget_stats st;
	unsigned ncpus;
	const struct selfcost *sc;          /* the BPF time per hit (the caller ticks it) */
	unsigned long long t_start, t_on;   /* run start; start of the window on now */
	unsigned long long t_end;           /* budget_end; 0 before */
	unsigned long long off_until;       /* 0: on */
	unsigned long long hits_on;         /* probe hits at the window's start */
	unsigned long long cost_ns;         /* BPF + iopath CPU time so far */
	unsigned long long cpu_ns;          /* iopath's CPU time at the last look */
	unsigned long long t_cycle, cpu_cycle; /* the last window's end: time, iopath's CPU time */
};

/* The pause before the next window of span_ns, for a cycle (a pause and a window) that costs
 * cost_ns of CPU time, so that the cycle costs pct % of ncpus CPUs: 0 within budget, at most
 * BUDGET_MAX_OFF_NS. Pure (unit-tested). */
unsigned long long budget_off_ns(double cost_ns, unsigned long long span_ns, double pct, unsigned ncpus);
/* sc: started (selfcost_start) at the attach, ticked by the caller before budget_tick. */
int budget_start(struct budget *b, struct engine *e, double pct, const struct selfcost *sc);
/* Ends the window or the pause that is due. Never fails: what goes wrong is counted. */
void budget_tick(struct budget *b);
void budget_end(struct budget *b);
/* The figures so far (during the run: up to now, for a checkpoint). */
void budget_stats(const struct budget *b, struct budget_stats *out);

#endif
