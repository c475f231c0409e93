/* OpenMetrics 1.0 text exposition of the live aggregates (iopath serve):
 * pure functions over the report structs, so the exact text is unit
 * tested without BPF. Every family has HELP and TYPE (and UNIT where it has
 * one), its samples follow it contiguously, the log2 nanosecond histograms
 * become cumulative `_bucket{le="…"}` series in seconds ending with
 * le="+Inf" (= `_count`), and the text ends with "# EOF". A kind that is not measured (an exit
 * kind without an attached probe, a traced tasks' event without traced tasks or its tracepoint)
 * has no series; a gauge per kind says which are measured. */
#ifndef IOPATH_OPENMETRICS_H
#define IOPATH_OPENMETRICS_H
#include <stdio.h>
#include "report/blk_report.h"
#include "report/exits_report.h"
#include "report/net_report.h"
#include "kernel/resolve.h"

#define OM_CONTENT_TYPE "application/openmetrics-text; version=1.0.0; charset=utf-8"

/* What to expose; NULL members are left out. */
struct om_input {
	const struct net_report *net;
	const struct blk_report *blk;
	const struct exits_report *exits;
	const struct resolved *pts;   /* probe points and their status */
	unsigned npts;
};

/* Writes the whole exposition, "# EOF\n" last. */
void om_write(FILE *f, const struct om_input *in);

/* Building blocks (exposed for tests). */
/* Writes s as a label value body: \ " and newline escaped. */
void om_escape(FILE *f, const char *s);
/* ns as exact decimal seconds: 0 -> "0", 1023 -> "0.000001023",
 * 2500000000 -> "2.5". Returns buf. */
char *om_seconds(char *buf, size_t len, unsigned long long ns);
/* Upper bound in ns of log2 slot i (slot i holds [2^i, 2^(i+1)) ns, slot 0
 * [0, 2)): 2^(i+1) - 1, exact for integer nanoseconds. */
unsigned long long om_slot_le_ns(int i);
/* One histogram series: buckets for slots 0..nslots-2 (the last slot is
 * the overflow, only in +Inf), +Inf, _sum, _count. labels: already escaped
 * `a="x",b="y"` or "". _count is the sum of the slots (so it equals +Inf
 * even when the slots were read while being written). */
void om_hist(FILE *f, const char *family, const char *labels, const unsigned long long *slots,
	     int nslots, unsigned long long sum_ns);

#endif
