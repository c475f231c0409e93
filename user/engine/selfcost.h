/* What a probe hit of iopath costs, measured on the live machine: for a first stretch of the run
 * (SELFCOST_WINDOW_NS, or longer until a probe fired) the kernel counts the run time of iopath's
 * programs (BPF_ENABLE_STATS: while its descriptor is open; the accounting reads the clock twice
 * per run, so it is on only that long), and the BPF time per hit is that run time over the probe
 * hits of the same stretch. Not in it: the call into the program (an empty program's cost, the
 * floor of tools/bench perhit), which the kernel does not count.
 *
 * record prints it beside the stage latencies (each stage pair's time holds about one hit's
 * share of it) and --budget prices its windows with it. Lifecycle: selfcost_start after the
 * attach -> selfcost_tick each main-loop turn until selfcost_done -> selfcost_stop (always). */
#ifndef IOPATH_SELFCOST_H
#define IOPATH_SELFCOST_H
#include <stdbool.h>

#include "engine/attach.h"

#define SELFCOST_WINDOW_NS 250000000ull

struct selfcost {
	const struct engine *e;
	int stats_fd;                        /* -1: not (or no longer) counting */
	unsigned long long t0, ns0, hits0;   /* at the start: time, programs' run time, hits */
	double ns_per_hit;                   /* 0 until measured */
	char why[160];                       /* not measured: why ("" while measuring or done) */
};

/* 0; or -1 with why set (the kernel refused the accounting: then nothing is measured). */
int selfcost_start(struct selfcost *sc, const struct engine *e);
/* Measures once the stretch is over and a probe fired; true when done (measured, or failed
 * with why set). */
bool selfcost_tick(struct selfcost *sc);
void selfcost_stop(struct selfcost *sc);

#endif
