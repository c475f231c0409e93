/* One `record` in progress (cmd_record.c) and the bundle built from it: the reports read from the
 * live maps at the end, at each --checkpoint and at each phase mark. Private to the record command:
 * cmd_record.c owns the one struct run of the process; record_phases.c snapshots it.
 *
 * bundle_build(): every section read from the live maps into a new bundle, NULL after saying why
 * (final: after exits_end and the last tap read, the report; otherwise a checkpoint, counting goes on).
 * bundle_free(NULL) is a no-op. checkpoint(): the recording so far over the last one in `out`, saying
 * once when checkpoints start failing and once when they work again (*failing carries that state). */
#ifndef IOPATH_CLI_RECORD_RUN_H
#define IOPATH_CLI_RECORD_RUN_H

#include <stdbool.h>

#include "cli/opts.h"
#include "engine/budget.h"
#include "engine/session.h"
#include "record/outfile.h"
#include "record/recdata.h"
#include "report/blk_report.h"
#include "report/exits_report.h"
#include "report/host_report.h"
#include "report/net_report.h"
#include "platform/taps.h"

/* One recording in progress: what its bundle (the report, the files) is built from, at the end and
 * at each checkpoint. */
struct run {
	struct live_session s;
	struct trace_opts t;
	bool want_host, want_deep, want_stacks;
	unsigned long long guest_packets;
	struct net_report rep;      /* the ring buffer's samples so far; the counter's name */
	struct exits_report xrep;   /* the kernel's counters when counting began (and at the end) */
	struct tap_snap *taps[2];   /* --host: at the start; at the end (owners: seen so far) */
	int task_scope;             /* EXT_*: the traced tasks of the crossings around the I/O path */
	unsigned task_pid;
	long long start_unix;
	unsigned long long t0;
	int argc;
	char **argv;
	const char *environment;    /* --environment */
	double budget_pct;          /* --budget; 0: none */
	struct budget budget;
	struct selfcost self;       /* iopath's BPF time per probe hit, measured at the start */
};

/* A recording's reports, each read from the live maps into structs of its own, and the bundle over them. */
struct bundle {
	struct net_report net;
	struct blk_report blk;
	struct exits_report own_x;  /* a checkpoint's; the end uses run.xrep */
	struct host_report host;
	struct rec_data d;
};

struct bundle *bundle_build(struct run *r, bool final, int cmd_status);
void bundle_free(struct bundle *b);
void checkpoint(struct run *r, struct outfile *out, int *failing);

#endif
