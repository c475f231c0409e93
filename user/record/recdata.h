/* Everything a recording holds, as one bundle: `record` fills it from the
 * kernel and prints it; `report` loads it from a file and prints it with the
 * same functions, so a report of a recording equals the live output. */
#ifndef IOPATH_RECDATA_H
#define IOPATH_RECDATA_H
#include <stdbool.h>
#include <stdio.h>
#include "report/blk_report.h"
#include "report/exits_report.h"
#include "report/host_report.h"
#include "report/net_report.h"
#include "record/recfile.h"
#include "record/schema.h"
#include "kernel/resolve.h"

struct rec_data {
	char version[64], kernel[128], platform[64], options[512];
	char netns_names[512];     /* the devices' network namespaces by name (report/common.h) */
	char environment[128];     /* record --environment: where it was made, in the user's words */
	long long start_unix, end_unix;
	/* a phase of the run (record's phase marks; "" the whole run): its name, when it began and ended */
	char phase[64];
	double phase_start, phase_end;
	bool has_net, has_blk, has_exits, has_deep, has_host;
	struct resolved *pts;
	unsigned n;
	double load_ms, attach_ms;
	unsigned long long recursion_misses; /* handler runs the kernel skipped (nesting) */
	/* record --budget (engine/budget.h): the budget (% of all CPUs; 0: none), the time the probes
	 * were on and the run's, the windows, the BPF ns per hit measured, the run's cost, points lost */
	double budget_pct, budget_on_s, budget_run_s, budget_ns_per_hit, budget_cost_pct;
	unsigned budget_windows, budget_lost_points;
	/* iopath's own BPF time per probe hit (engine/selfcost.h), or why it was not measured; both
	 * empty in a recording older than it */
	double self_ns_per_hit;
	char self_cost_why[160];
	/* what went unmeasured for want of module structs in the BTF CO-RE read (a --btf or built-in
	 * BTF without them), and why; "" nothing (or a recording older than it) */
	char btf_unmeasured[400];
	unsigned irqs_mapped, disk_irqs_mapped, deep_found, ndeep;
	int cmd_status;            /* -1: none */
	bool checkpoint;           /* written during the run (record --checkpoint): start..end of a run that went on */
	struct net_report *net;
	struct blk_report *blk;
	struct exits_report *exits;
	struct host_report *host;  /* record --host */
	char *stacks;              /* folded kernel stacks (record --stacks) or NULL */
	size_t stacks_len;
	unsigned long long nstacks;
	unsigned long long stacks_dropped; /* probe hits that got no kernel stack */
	/* owned when loaded from a file */
	struct probe_point *own_pts;
	struct net_report own_net;
	struct blk_report own_blk;
	struct exits_report own_exits;
	struct host_report own_host;
	bool loaded;
	/* what the file lacked (printed: "not in this recording") or had beyond this build (a
	 * warning when loaded): "net_agg.ctr_n", "meta.recursion_misses", "points.note" */
	struct rec_fieldnotes fields;
};

/* Each section the bundle has (has_*, with its report pointer set) reads the engine's maps after
 * the run. 0, or the first section's error. */
int rec_data_collect(struct engine *e, struct rec_data *d);
/* Names the network namespaces of the bundle's devices (d->netns_names) from this machine:
 * ip netns names, "init" for PID 1's; a namespace with neither keeps its inode. */
void rec_data_name_netns(struct rec_data *d);
void rec_data_print(FILE *f, const struct rec_data *d);
void rec_data_json(FILE *f, const struct rec_data *d);
/* Writes the bundle to out (record/outfile.h: atomically for a file, 0600). 0 or -errno. */
struct outfile;
int rec_data_save_to(const struct rec_data *d, struct outfile *out);
/* The same to a path, opened and checked here. 0 or -errno. */
int rec_data_save(const struct rec_data *d, const char *path);
/* Builds a bundle from a parsed recording; -EINVAL with a one-line reason
 * (byte offset) in err when a section is damaged or from another layout. */
int rec_data_from(struct rec_data *d, const struct recording *r, char *err, size_t errlen);
/* rec_data_from of a file; warns on stderr (once) when the file has fields this build skips. */
int rec_data_load(struct rec_data *d, const char *path, char *err, size_t errlen);
/* rec_data_load, and META key's value into val (len vlen; "" when the file has no such key):
 * a key this build's bundle does not hold (compare reads `phase` so). */
int rec_data_load_key(struct rec_data *d, const char *path, const char *key, char *val, size_t vlen,
		      char *err, size_t errlen);
void rec_data_free(struct rec_data *d);

#endif
