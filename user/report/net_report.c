#include "report/net_report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "out/hist.h"
#include "engine/globals.h"
#include "engine/maps.h"
#include "engine/samples.h"
#include "engine/skel.h"
#include "out/json.h"
#include "kernel/profiles.h"
#include "report/common.h"

static const char *const stage_names[NS__COUNT] = {
	[NS_QUEUE] = "queue", [NS_START_XMIT] = "start_xmit", [NS_DRV_XMIT] = "drv_xmit",
	[NS_NOTIFY] = "notify", [NS_XMIT_DONE] = "xmit_done", [NS_TX_DONE] = "tx_done",
	[NS_IRQ] = "irq", [NS_RX] = "rx", [NS_RECEIVE] = "receive",
};

/* Display order of stages per direction. */
static const int tx_order[] = { NS_QUEUE, NS_START_XMIT, NS_DRV_XMIT, NS_NOTIFY, NS_XMIT_DONE, NS_TX_DONE };
static const int rx_order[] = { NS_IRQ, NS_RX, NS_RECEIVE };

const char *net_stage_name(int s)
{
	return s >= 0 && s < NS__COUNT ? stage_names[s] : "?";
}

void net_report_add_sample(struct net_report *r, const struct net_path_rec *rec)
{
	if (r->nsamples < NETR_SAMPLES)
		r->samples[r->nsamples++] = *rec;
	r->samples_seen++;
}

static struct net_report_dev *dev_for(struct net_report *r, const struct net_key *k, const char *name)
{
	struct net_report_dev *d;

	for (int i = 0; i < r->ndev; i++)
		if (r->dev[i].netns == k->netns && r->dev[i].ifindex == k->ifindex && r->dev[i].dir == k->dir)
			return &r->dev[i];
	d = realloc(r->dev, (r->ndev + 1) * sizeof(*d));
	if (!d)
		return NULL;
	r->dev = d;
	d = &r->dev[r->ndev++];
	memset(d, 0, sizeof(*d));
	d->netns = k->netns;
	d->ifindex = k->ifindex;
	d->dir = k->dir;
	if (name)
		memcpy(d->name, name, sizeof(d->name));
	return d;
}

static void add_agg(struct net_agg *to, const struct net_agg *a)
{
	const unsigned long long *s = (const void *)&a->started;
	unsigned long long *t = (void *)&to->started;
	size_t n = (sizeof(*a) - offsetof(struct net_agg, started)) / sizeof(*s);

	for (size_t i = 0; i < n; i++)
		t[i] += s[i];
}

/* device queues */
static int on_agg(const void *key, const void *val, void *r)
{
	const struct net_key *k = key;
	const struct net_agg *a = val;
	struct net_report_dev *d = dev_for(r, k, a->name);

	if (!d)
		return -ENOMEM;
	if (!d->name[0] && a->name[0])
		memcpy(d->name, a->name, sizeof(d->name));
	add_agg(&d->a, a);
	if (d->nq < NETR_MAX_QUEUES) {
		d->q[d->nq].queue = k->queue;
		d->q[d->nq].started = a->started;
		d->q[d->nq].ended = a->ended;
		d->q[d->nq].irqs = a->irqs;
		d->nq++;
	}
	return 0;
}

/* stage pair histograms, summed over queues */
static int on_hist(const void *key, const void *val, void *r)
{
	const struct net_pair_key *k = key;
	const struct net_hist *h = val;
	struct net_report_dev *d;
	struct net_hist *to;

	if (k->from >= NS__COUNT || k->to >= NS__COUNT)
		return 0;
	if (!(d = dev_for(r, &k->k, NULL)))
		return -ENOMEM;
	to = &d->pair[k->from][k->to];
	to->count += h->count;
	to->sum_ns += h->sum_ns;
	for (int i = 0; i < NET_HIST_SLOTS; i++)
		to->slots[i] += h->slots[i];
	return 0;
}

/* signatures: keep the top ones per device/direction */
static int on_sig(const void *key, const void *val, void *r)
{
	const struct net_sig_key *k = key;
	const struct net_sig_val *v = val;
	struct net_key dk = { .netns = k->netns, .ifindex = k->ifindex, .dir = k->dir };
	struct net_report_dev *d = dev_for(r, &dk, NULL);

	if (!d)
		return -ENOMEM;
	d->sig_packets += v->count;
	d->nsigs++;
	top_sig_add(d->top, &d->ntop, NETR_TOP_SIGS, k->sig, v);
	return 0;
}

/* packets still in flight; the rest of started - ended was evicted */
static int on_pkt(const void *key, const void *val, void *r)
{
	((struct net_report *)r)->in_flight++;
	return 0;
}

int net_report_collect(struct engine *e, struct net_report *r)
{
	__typeof__(e->skel->maps) *m = &e->skel->maps;
	const struct iopath_bpf__bss *g;
	int err;

	if ((err = engine_map_walk(m->net_agg, sizeof(struct net_key), sizeof(struct net_agg), on_agg, r)) ||
	    (err = engine_map_walk(m->net_hist, sizeof(struct net_pair_key), sizeof(struct net_hist),
				   on_hist, r)) ||
	    (err = engine_map_walk(m->net_sig, sizeof(struct net_sig_key), sizeof(struct net_sig_val),
				   on_sig, r)) ||
	    (err = engine_map_walk(m->pkts, sizeof(__u64), 0, on_pkt, r)))
		return err;
	g = engine_bss(e);   /* one lookup where .bss is not mapped */
	for (int i = 0; i < NC__COUNT; i++)
		r->ctr[i] = g->net_ctr[i];
	for (int i = 0; i < EXK__COUNT; i++)
		r->bg_exits[i] = g->net_bg_exits[i];
	snprintf(r->samples_via, sizeof(r->samples_via), "%s", samples_kind(e->perfbuf));
	if (r->ctr[NC_STARTED] > r->ctr[NC_ENDED] + r->in_flight)
		r->evicted = r->ctr[NC_STARTED] - r->ctr[NC_ENDED] - r->in_flight;
	return 0;
}

void net_report_start_copy(struct net_report *to, const struct net_report *from)
{
	memset(to, 0, sizeof(*to));
	to->samples_seen = from->samples_seen;
	to->nsamples = from->nsamples;
	memcpy(to->samples, from->samples, sizeof(to->samples));
	memcpy(to->counter_name, from->counter_name, sizeof(to->counter_name));
	memcpy(to->counter_note, from->counter_note, sizeof(to->counter_note));
	to->counter = from->counter ? to->counter_name : NULL;
}

void net_report_free(struct net_report *r)
{
	free(r->dev);
	memset(r, 0, sizeof(*r));
}

const struct net_report_dev *net_report_find(const struct net_report *r, const char *name, int dir)
{
	for (int i = 0; i < r->ndev; i++)
		if (!strcmp(r->dev[i].name, name) && r->dev[i].dir == dir)
			return &r->dev[i];
	return NULL;
}

static int dev_cmp(const void *a, const void *b)
{
	const struct net_report_dev *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	if (x->netns != y->netns)
		return x->netns < y->netns ? -1 : 1;
	return x->dir - y->dir;
}

/* A namespace as the report names it: its name when the recording kept one, else the inode. */
static const char *netns_text(const char *names, unsigned inode, char *buf, size_t len)
{
	if (!netns_names_get(names, inode, buf, len))
		snprintf(buf, len, "%u", inode);
	return buf;
}

static double per_pkt(unsigned long long v, unsigned long long pkts)
{
	return pkts ? (double)v / pkts : 0;
}

/* The stages a device's packets reached, in the order they passed them, so each stage's rows
 * (the pairs into it) follow the one before: again and again the stage fewest packets reached
 * from a stage not yet placed (ties: the canonical order). A NIC's TX is queue, start_xmit,
 * xmit_done, tx_done; on veth and loopback tx_done (the peer's receive) comes before the driver
 * returns (xmit_done). Returns how many stages out holds. */
static int stage_order(const struct net_report_dev *d, int *out)
{
	const int *ord = d->dir == DIR_TX ? tx_order : rx_order;
	int n = d->dir == DIR_TX ? 6 : 3, m = 0;
	bool placed[NS__COUNT] = {};

	for (int k = 0; k < n; k++) {
		unsigned long long best_in = 0;
		int best = -1;

		for (int i = 0; i < n; i++) {
			unsigned long long in = 0;

			if (placed[ord[i]])
				continue;
			for (int j = 0; j < n; j++)
				if (!placed[ord[j]] && j != i)
					in += d->pair[ord[j]][ord[i]].count;
			if (best < 0 || in < best_in) {
				best = ord[i];
				best_in = in;
			}
		}
		placed[best] = true;
		if (d->a.stage[best])
			out[m++] = best;
	}
	return m;
}

/* TX: the receive point most of the device's top paths end in, when tx_done is a handoff to
 * the peer (veth, loopback: the same skb goes on as the peer's RX, nothing completes); NULL
 * when it is a completion (a free). */
static const char *tx_handoff_point(const struct net_report_dev *d, const struct resolved *pts, unsigned n)
{
	unsigned long long handoff = 0;
	const char *sym = NULL;

	if (d->dir != DIR_TX)
		return NULL;
	for (int t = 0; t < d->ntop; t++) {
		const struct net_sig_val *v = &d->top[t].v;

		for (unsigned j = 0; j < v->len && j < NET_SIG_IDS; j++) {
			unsigned id = v->ids[j];

			if (id && id <= n && pts[id - 1].pt->role == ROLE_RX) {
				handoff += v->count;
				sym = pts[id - 1].symbol;
				break;
			}
		}
	}
	return handoff * 2 > d->sig_packets ? sym : NULL;
}

static const char *counter_unit(const char *counter)
{
	return !strcmp(counter, "cpu-clock") ? "ns" : "events";
}

static bool in_order(const int *ord, int n, int s)
{
	for (int i = 0; i < n; i++)
		if (ord[i] == s)
			return true;
	return false;
}

static void pair_row(FILE *f, const struct net_report_dev *d, int from, int to)
{
	const struct net_hist *h = &d->pair[from][to];
	char lbl[40];

	if (!h->count)
		return;
	snprintf(lbl, sizeof(lbl), "  %s -> %s", net_stage_name(from), net_stage_name(to));
	hist_row(f, lbl, h->slots, h->count, h->sum_ns);
}

/* Each stage reached, in time order, with the pairs into it. */
static void print_stages(FILE *f, const struct net_report_dev *d, const char *counter,
			 const struct resolved *pts, unsigned npts)
{
	const char *handoff = tx_handoff_point(d, pts, npts);
	int ord[NS__COUNT], n = stage_order(d, ord);

	fprintf(f, "    %-26s %10s %9s %9s %9s", "stage", "packets", "p50", "p99", "mean");
	if (counter)
		fprintf(f, "  %s (mean, same-CPU step into the stage)", counter);
	fprintf(f, "\n");
	for (int i = 0; i < n; i++) {
		int s = ord[i];
		char name[160];

		if (s == NS_TX_DONE && handoff)
			snprintf(name, sizeof(name), "tx_done (peer's %s)", handoff);
		else
			snprintf(name, sizeof(name), "%s", net_stage_name(s));
		fprintf(f, "    %-26s %10llu", name, d->a.stage[s]);
		if (counter && d->a.ctr_n[s])
			fprintf(f, " %29s  %.0f %s over %llu steps", "",
				(double)d->a.ctr_sum[s] / d->a.ctr_n[s], counter_unit(counter), d->a.ctr_n[s]);
		fprintf(f, "\n");
		/* the pairs from the stages before, in time order, then from any other */
		for (int j = 0; j < n; j++)
			pair_row(f, d, ord[j], s);
		for (int from = 0; from < NS__COUNT; from++)
			if (!in_order(ord, n, from))
				pair_row(f, d, from, s);
	}
	if (d->a.ended)
		hist_row(f, "total (first -> last)", d->a.total_hist, d->a.ended, d->a.total_sum_ns);
}

void net_report_print(FILE *f, const struct net_report *r, const struct resolved *pts, unsigned n,
		      const char *netns_names)
{
	struct exits_measured em;

	exits_measured_of(pts, n, &em);
	qsort(r->dev, r->ndev, sizeof(r->dev[0]), dev_cmp);
	fprintf(f, "network path, %.1f s: %llu packets traced, %llu ended, %llu in flight, %llu evicted, "
		"%llu stage hits filtered out\n",
		r->seconds, r->ctr[NC_STARTED], r->ctr[NC_ENDED], r->in_flight, r->evicted,
		r->ctr[NC_FILTERED]);
	for (int i = 0; i < r->ndev; i++) {
		const struct net_report_dev *d = &r->dev[i];
		unsigned long long pk = d->a.ended ? d->a.ended : d->a.started;
		char nsl[64];

		if (!d->a.started && !d->a.irqs)
			continue;
		fprintf(f, "\n%s %s (ifindex %u, netns %s): %llu packets, %llu bytes, %u queue(s):",
			d->name[0] ? d->name : "?", d->dir == DIR_TX ? "TX" : "RX", d->ifindex,
			netns_text(netns_names, d->netns, nsl, sizeof(nsl)), d->a.started, d->a.bytes, d->nq);
		for (int q = 0; q < d->nq && q < 8; q++)
			fprintf(f, " q%u=%llu", d->q[q].queue, d->q[q].started);
		fprintf(f, "%s\n", d->nq > 8 ? " ..." : "");
		print_stages(f, d, r->counter, pts, n);
		if (d->a.ended)
			fprintf(f, "    path length (probe hits/packet): p50 %.0f, p99 %.0f, mean %.2f\n",
				lin_quantile(d->a.len_hist, NET_LEN_SLOTS, 0.5),
				lin_quantile(d->a.len_hist, NET_LEN_SLOTS, 0.99),
				per_pkt(d->a.len_sum, d->a.ended));
		fprintf(f, "    exits/packet:");
		exits_per_unit_print(f, d->a.exits, pk, &em);
		fputc('\n', f);
		fprintf(f, "    irqs/packet %.3f, polls/packet %.3f (%.1f packets/poll), drops %llu\n",
			per_pkt(d->a.irqs, pk), per_pkt(d->a.polls, pk),
			per_pkt(d->a.poll_work, d->a.polls), d->a.drops);
		for (int t = 0; t < d->ntop && t < NETR_TOP_SHOWN; t++) {
			const struct net_sig_val *v = &d->top[t].v;
			char b[16];

			fprintf(f, "    %5.1f%%  %-9s ", 100.0 * v->count / (d->sig_packets ? d->sig_packets : 1),
				fmt_ns(v->count ? (double)v->lat_sum_ns / v->count : 0, b, sizeof(b)));
			for (unsigned j = 0; j < v->len && j < NET_SIG_IDS; j++)
				fprintf(f, "%s%s", j ? " > " : "", point_label(pts, n, v->ids[j]));
			fprintf(f, "%s\n", v->len > NET_SIG_IDS ? " > ..." : "");
		}
		if (d->nsigs > NETR_TOP_SHOWN && d->nsigs > (unsigned)d->ntop)
			fprintf(f, "    (%u distinct paths)\n", d->nsigs);
	}
	{
		bool any = false;

		fprintf(f, "\nexits outside any packet (background):");
		for (int k = 0; k < EXK__COUNT; k++)
			if (r->bg_exits[k]) {
				fprintf(f, " %s %llu", exit_kind_name(k), r->bg_exits[k]);
				any = true;
			}
		fprintf(f, "%s\n", any ? "" : " none counted");
	}
	if (r->ctr[NC_AGG_FULL] || r->ctr[NC_HIST_FULL] || r->ctr[NC_SIG_FULL] || r->ctr[NC_STATE_FULL] ||
	    r->ctr[NC_RB_DROP] || r->evicted)
		fprintf(f, "NOT RECORDED: %llu evicted packets (LRU), %llu state inserts failed, "
			"%llu device/%llu histogram/%llu signature map full, %llu sampled paths lost (%s full)\n",
			r->evicted, r->ctr[NC_STATE_FULL], r->ctr[NC_AGG_FULL], r->ctr[NC_HIST_FULL],
			r->ctr[NC_SIG_FULL], r->ctr[NC_RB_DROP], r->samples_via[0] ? r->samples_via : "ring buffer");
	fprintf(f, "sampled paths: %llu received%s%s\n", r->samples_seen,
		r->samples_via[0] ? " through the " : "", r->samples_via);
	if (!r->counter && r->counter_note[0])
		fprintf(f, "%s\n", r->counter_note);
	if (r->ctr[NC_CTR_READ])
		fprintf(f, "counter reads failed at %llu stage events\n", r->ctr[NC_CTR_READ]);
}

void net_report_json(struct jw *w, const struct net_report *r, const struct resolved *pts, unsigned n,
		     const char *netns_names)
{
	struct exits_measured em;

	exits_measured_of(pts, n, &em);
	jw_obj_begin(w, "net");
	jw_double(w, "seconds", r->seconds);
	jw_obj_begin(w, "counters");
	jw_uint(w, "started", r->ctr[NC_STARTED]);
	jw_uint(w, "ended", r->ctr[NC_ENDED]);
	jw_uint(w, "in_flight", r->in_flight);
	jw_uint(w, "evicted", r->evicted);
	jw_uint(w, "filtered_stage_hits", r->ctr[NC_FILTERED]);
	jw_uint(w, "state_full", r->ctr[NC_STATE_FULL]);
	jw_uint(w, "agg_full", r->ctr[NC_AGG_FULL]);
	jw_uint(w, "hist_full", r->ctr[NC_HIST_FULL]);
	jw_uint(w, "sig_full", r->ctr[NC_SIG_FULL]);
	jw_uint(w, "ringbuf_drops", r->ctr[NC_RB_DROP]);
	jw_uint(w, "sampled", r->ctr[NC_SAMPLED]);
	jw_uint(w, "samples_received", r->samples_seen);
	jw_uint(w, "irqs_not_nic", r->ctr[NC_IRQ_UNMAPPED]);
	jw_uint(w, "counter_read_failed", r->ctr[NC_CTR_READ]);
	jw_obj_end(w);
	/* null: a recording made before the perf buffer rung (the ring buffer, then the only way) */
	jw_str(w, "samples_via", r->samples_via[0] ? r->samples_via : NULL);
	jw_str(w, "counter", r->counter);
	if (!r->counter)
		jw_str(w, "counter_note", r->counter_note);
	jw_obj_begin(w, "background_exits");
	for (int k = 0; k < EXK__COUNT; k++)
		jw_uint(w, exit_kind_name(k), r->bg_exits[k]);
	jw_obj_end(w);
	jw_arr_begin(w, "devices");
	for (int i = 0; i < r->ndev; i++) {
		const struct net_report_dev *d = &r->dev[i];
		unsigned long long pk = d->a.ended ? d->a.ended : d->a.started;
		char nsl[64];

		jw_obj_begin(w, NULL);
		jw_str(w, "name", d->name);
		jw_uint(w, "ifindex", d->ifindex);
		jw_uint(w, "netns", d->netns);
		if (netns_names_get(netns_names, d->netns, nsl, sizeof(nsl)))
			jw_str(w, "netns_name", nsl);
		jw_str(w, "dir", d->dir == DIR_TX ? "tx" : "rx");
		jw_uint(w, "packets", d->a.started);
		jw_uint(w, "ended", d->a.ended);
		jw_uint(w, "bytes", d->a.bytes);
		jw_arr_begin(w, "queues");
		for (int q = 0; q < d->nq; q++) {
			jw_obj_begin(w, NULL);
			jw_uint(w, "queue", d->q[q].queue);
			jw_uint(w, "packets", d->q[q].started);
			jw_uint(w, "irqs", d->q[q].irqs);
			jw_obj_end(w);
		}
		jw_arr_end(w);
		jw_obj_begin(w, "stages");
		for (int s = 0; s < NS__COUNT; s++)
			if (d->a.stage[s])
				jw_uint(w, net_stage_name(s), d->a.stage[s]);
		jw_obj_end(w);
		if (r->counter) {
			jw_obj_begin(w, "counter_per_stage");
			for (int s = 0; s < NS__COUNT; s++)
				if (d->a.ctr_n[s]) {
					jw_obj_begin(w, net_stage_name(s));
					jw_uint(w, "steps", d->a.ctr_n[s]);
					jw_double(w, "mean", (double)d->a.ctr_sum[s] / d->a.ctr_n[s]);
					jw_obj_end(w);
				}
			jw_obj_end(w);
		}
		jw_arr_begin(w, "stage_pairs");
		for (int a = 0; a < NS__COUNT; a++)
			for (int b = 0; b < NS__COUNT; b++) {
				const struct net_hist *h = &d->pair[a][b];

				if (!h->count)
					continue;
				jw_obj_begin(w, NULL);
				jw_str(w, "from", net_stage_name(a));
				jw_str(w, "to", net_stage_name(b));
				hist_json(w, "latency", h->slots, h->count, h->sum_ns);
				jw_obj_end(w);
			}
		jw_arr_end(w);
		hist_json(w, "total_latency", d->a.total_hist, d->a.ended, d->a.total_sum_ns);
		jw_obj_begin(w, "path_length");
		jw_double(w, "mean", per_pkt(d->a.len_sum, d->a.ended));
		jw_double(w, "p50", lin_quantile(d->a.len_hist, NET_LEN_SLOTS, 0.5));
		jw_double(w, "p99", lin_quantile(d->a.len_hist, NET_LEN_SLOTS, 0.99));
		jw_arr_begin(w, "hist");
		for (int l = 0; l < NET_LEN_SLOTS; l++)
			jw_uint(w, NULL, d->a.len_hist[l]);
		jw_arr_end(w);
		jw_obj_end(w);
		exits_counts_json(w, "exits", d->a.exits, &em);
		exits_per_unit_json(w, "exits_per_packet", d->a.exits, pk, &em);
		jw_uint(w, "irqs", d->a.irqs);
		jw_double(w, "irqs_per_packet", per_pkt(d->a.irqs, pk));
		jw_uint(w, "polls", d->a.polls);
		jw_double(w, "polls_per_packet", per_pkt(d->a.polls, pk));
		jw_uint(w, "drops", d->a.drops);
		jw_uint(w, "distinct_paths", d->nsigs);
		jw_arr_begin(w, "top_paths");
		for (int t = 0; t < d->ntop; t++)
			sig_json(w, &d->top[t].v, "packets", pts, n);
		jw_arr_end(w);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_arr_begin(w, "sampled_paths");
	for (int i = 0; i < r->nsamples; i++) {
		const struct net_path_rec *s = &r->samples[i];

		jw_obj_begin(w, NULL);
		jw_str(w, "device", s->name);
		jw_str(w, "dir", s->k.dir == DIR_TX ? "tx" : "rx");
		jw_arr_begin(w, "hops");
		for (unsigned j = 0; j < s->len && j < NET_SIG_IDS; j++) {
			jw_obj_begin(w, NULL);
			jw_str(w, "point", point_label(pts, n, s->ids[j]));
			jw_uint(w, "t_ns", s->dt_ns[j]);
			jw_obj_end(w);
		}
		jw_arr_end(w);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
}
