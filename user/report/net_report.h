/* Network path report: what the BPF aggregates say, per device and
 * direction (queues summed, per-queue counts kept), as text and JSON. */
#ifndef IOPATH_NET_REPORT_H
#define IOPATH_NET_REPORT_H
#include <stdio.h>
#include "engine/attach.h"
#include "report/common.h"
#include "iopath_net.h"

#define NETR_MAX_QUEUES 64
#define NETR_TOP_SIGS 32     /* kept (flame graphs, diff) */
#define NETR_TOP_SHOWN 5     /* printed in the text report */
#define NETR_SAMPLES 8

struct net_report_dev {
	unsigned netns, ifindex;
	unsigned char dir;
	char name[16];
	struct net_agg a;                 /* summed over queues */
	int nq;
	struct { unsigned queue; unsigned long long started, ended, irqs; } q[NETR_MAX_QUEUES];
	struct net_hist pair[NS__COUNT][NS__COUNT];
	int ntop;
	struct top_sig top[NETR_TOP_SIGS];
	unsigned long long sig_packets;   /* packets over all signatures */
	unsigned nsigs;
};

struct net_report {
	int ndev;
	struct net_report_dev *dev;
	unsigned long long ctr[NC__COUNT];
	unsigned long long bg_exits[EXK__COUNT];
	unsigned long long in_flight, evicted;
	unsigned long long samples_seen;
	int nsamples;
	struct net_path_rec samples[NETR_SAMPLES];
	double seconds;
	const char *counter;      /* "instructions", "cpu-clock" or NULL; points into counter_name */
	char counter_name[32];
	char counter_note[256];   /* why there is none, said once */
	/* how samples came (engine/samples.h: "BPF ring buffer", "perf buffer"); "" in a
	 * recording older than the perf buffer rung, which had only the ring buffer */
	char samples_via[24];
};

const char *net_stage_name(int s);
/* Ring buffer callback target: keeps the first samples, counts all. */
void net_report_add_sample(struct net_report *r, const struct net_path_rec *rec);
int net_report_collect(struct engine *e, struct net_report *r);
/* An empty report holding what from had before its maps were read (the ring buffer's samples so
 * far, the counter's name and note): a checkpoint collects into it while the run goes on. */
void net_report_start_copy(struct net_report *to, const struct net_report *from);
void net_report_free(struct net_report *r);
/* pts: resolved points, to name the point ids of signatures; netns_names: the namespaces' names
 * (netns_names_add; NULL or "": inodes only) */
void net_report_print(FILE *f, const struct net_report *r, const struct resolved *pts, unsigned n,
		      const char *netns_names);
void net_report_json(struct jw *w, const struct net_report *r, const struct resolved *pts, unsigned n,
		     const char *netns_names);
/* The per-device row for (name, dir), or NULL. */
const struct net_report_dev *net_report_find(const struct net_report *r, const char *name, int dir);

#endif
