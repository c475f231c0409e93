/* What every report section shares: the names of exit kinds and probe points, one histogram
 * row and its JSON (one schema for all sections), one path signature in JSON. Sections
 * (net, blk, exits, host), diff, flame and OpenMetrics include this, not each other. */
#ifndef IOPATH_REPORT_COMMON_H
#define IOPATH_REPORT_COMMON_H
#include <stdio.h>
#include "iopath.h"
#include "kernel/resolve.h"

struct jw;

/* One of a section's most frequent path signatures. */
struct top_sig {
	unsigned sig;
	struct net_sig_val v;
};
/* Keeps top[0..*ntop) the max most frequent signatures, most frequent first: inserts (sig, v)
 * if it is among them (the least frequent one falls out). */
void top_sig_add(struct top_sig *top, int *ntop, int max, unsigned sig, const struct net_sig_val *v);

/* Name of an exit kind (EXK_*), "?" when out of range. */
const char *exit_kind_name(int k);
/* Name of point id in signatures ("irq" for 0: the interrupt stage). */
const char *point_label(const struct resolved *pts, unsigned n, unsigned id);
/* One path signature as a JSON object ({countname, mean_ns, length, points}). */
void sig_json(struct jw *w, const struct net_sig_val *v, const char *countname,
	      const struct resolved *pts, unsigned n);
/* One text row: label, count, p50/p99/mean of a log2 ns histogram. */
void hist_row(FILE *f, const char *label, const unsigned long long *slots, unsigned long long count,
	      unsigned long long sum_ns);
/* JSON object key: count, p50_ns, p99_ns, mean_ns, log2_slots. */
void hist_json(struct jw *w, const char *key, const unsigned long long *slots, unsigned long long count,
	       unsigned long long sum);

#endif
