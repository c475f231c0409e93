/* Block path report: what the BPF aggregates say, per disk, op class and
 * size class, as text and JSON (shaped like the network report, under a
 * "blk" key next to "net"). */
#ifndef IOPATH_BLK_REPORT_H
#define IOPATH_BLK_REPORT_H
#include <stdio.h>
#include "engine/attach.h"
#include "report/common.h"
#include "iopath_blk.h"

struct devices;
struct jw;

#define BLKR_TOP_SIGS 32     /* kept; the text report prints 5 */
#define BLKR_MAX_QUEUES 64

/* One (disk, op, size class). */
struct blk_report_class {
	struct blk_key k;
	char disk[32];
	struct blk_agg a;
	struct net_hist pair[BS__COUNT][BS__COUNT];
	int ntop;
	struct top_sig top[BLKR_TOP_SIGS];
	unsigned long long sig_requests;
	unsigned nsigs;
};

/* One disk: interrupts and hardware queues. */
struct blk_report_disk {
	unsigned dev;
	char name[32];
	unsigned long long irqs;
	int nq;
	struct { unsigned queue; unsigned long long requests, irqs; } q[BLKR_MAX_QUEUES];
};

struct blk_report {
	int ncls, ndisk;
	struct blk_report_class *cls;
	struct blk_report_disk *disk;
	unsigned long long ctr[BC__COUNT];
	unsigned long long bg_exits[EXK__COUNT];
	unsigned long long in_flight, evicted;
	/* block tracepoint events the kernel's recursion guard kept from their
	 * handler (it was already running on that CPU): lost, reported */
	unsigned long long lost_nested;
	double seconds;
};

const char *blk_stage_name(int s);
const char *blk_op_name(int op);
int blk_report_collect(struct engine *e, struct blk_report *r);
void blk_report_free(struct blk_report *r);
void blk_report_print(FILE *f, const struct blk_report *r, const struct resolved *pts, unsigned n);
void blk_report_json(struct jw *w, const struct blk_report *r, const struct resolved *pts, unsigned n);

#endif
