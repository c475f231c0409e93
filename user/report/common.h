/* What every report section shares: the names of exit kinds and probe points, one histogram
 * row and its JSON (one schema for all sections), one path signature in JSON. Sections
 * (net, blk, exits, host), diff, flame and OpenMetrics include this, not each other. */
#ifndef IOPATH_REPORT_COMMON_H
#define IOPATH_REPORT_COMMON_H
#include <stdbool.h>
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

/* Which exit kinds a recording could count: a kind is measured when at least one probe point
 * that counts it (kernel/profiles.h point_charged_kind: a PATH_EXIT point by its role, an
 * emulated doorbell as a notify) attached. A kind
 * whose points were all unavailable, absent or inlined here is "not measured", never 0. */
struct exits_measured {
	unsigned measured;        /* bit per EXK_* */
	unsigned unmeasured;      /* kinds with points in the recording, none of them attached */
	char why[EXK__COUNT][160]; /* per unmeasured kind: why its first point did not attach */
	char point[EXK__COUNT][96]; /* ... and that point ("virtio-core virtqueue_notify") */
};
void exits_measured_of(const struct resolved *pts, unsigned n, struct exits_measured *m);
/* " notify 1.000 ipi 0.020" per unit for the kinds charged; " none charged" when all measured
 * kinds are 0; " not measured (why)" when none is measured; then "; not measured: timer, ipi
 * (why)", kinds with the same reason together. */
void exits_per_unit_print(FILE *f, const unsigned long long *exits, unsigned long long units,
			  const struct exits_measured *m);
/* key: {kind: count, or null for an unmeasured kind}. */
void exits_counts_json(struct jw *w, const char *key, const unsigned long long *exits,
		       const struct exits_measured *m);
/* key: {kind: per unit, or null for an unmeasured kind}; key_not_measured: {kind: why}. */
void exits_per_unit_json(struct jw *w, const char *key, const unsigned long long *exits,
			 unsigned long long units, const struct exits_measured *m);

/* Name of an exit kind (EXK_*), "?" when out of range. */
const char *exit_kind_name(int k);
/* Name of point id in signatures ("irq" for 0: the interrupt stage). */
const char *point_label(const struct resolved *pts, unsigned n, unsigned id);
/* The names of the network namespaces a recording's devices were in (META netns_names), as
 * "INODE=NAME;INODE=NAME", so a report read elsewhere names them as the live one did. */
/* Appends inode=name unless inode is there already: 0, or -ENOSPC (list full) or -EINVAL (a
 * name the list cannot hold: empty, or with ';', '=' or a space). */
int netns_names_add(char *list, size_t len, unsigned inode, const char *name);
/* The name the list gives inode, or NULL. */
const char *netns_names_get(const char *list, unsigned inode, char *buf, size_t len);
/* One path signature as a JSON object ({countname, mean_ns, length, points}). */
void sig_json(struct jw *w, const struct net_sig_val *v, const char *countname,
	      const struct resolved *pts, unsigned n);
/* One text row: label, count, p50/p99/mean of a log2 ns histogram. */
void hist_row(FILE *f, const char *label, const unsigned long long *slots, unsigned long long count,
	      unsigned long long sum_ns);
/* JSON object key: count, p50_ns, p99_ns, mean_ns and, with_slots, log2_slots, of a log2 ns
 * histogram of nslots slots. */
void hist_json_n(struct jw *w, const char *key, const unsigned long long *slots, int nslots,
		 unsigned long long count, unsigned long long sum, bool with_slots);
/* hist_json_n of a NET_HIST_SLOTS histogram with its slots (the net and block sections). */
void hist_json(struct jw *w, const char *key, const unsigned long long *slots, unsigned long long count,
	       unsigned long long sum);

#endif
