/* OpenMetrics text exposition of the live aggregates (see openmetrics.h). */
#include "report/openmetrics.h"

#include <stdlib.h>
#include <string.h>

#include "iopath_exits.h"
#include "report/common.h"
#include "report/taskrows.h"

/* ---- building blocks ---- */

void om_escape(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '"')
			fputs("\\\"", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

char *om_seconds(char *buf, size_t len, unsigned long long ns)
{
	unsigned long long s = ns / 1000000000ull, frac = ns % 1000000000ull;
	int digits = 9;

	if (!frac) {
		snprintf(buf, len, "%llu", s);
		return buf;
	}
	while (frac % 10 == 0) {
		frac /= 10;
		digits--;
	}
	snprintf(buf, len, "%llu.%0*llu", s, digits, frac);
	return buf;
}

unsigned long long om_slot_le_ns(int i)
{
	return (1ull << (i + 1)) - 1;
}

/* Label set under construction: `a="x",b="y"`, values escaped. */
struct lb {
	char s[768];
	size_t n;
};

static void lb_add(struct lb *b, const char *name, const char *val)
{
	char *p = b->s + b->n, *end = b->s + sizeof(b->s) - 4;

	if (b->n && p < end)
		*p++ = ',';
	for (const char *q = name; *q && p < end; q++)
		*p++ = *q;
	if (p < end)
		*p++ = '=';
	if (p < end)
		*p++ = '"';
	for (const char *q = val ? val : ""; *q && p < end - 2; q++) {
		if (*q == '\\' || *q == '"') {
			*p++ = '\\';
			*p++ = *q;
		} else if (*q == '\n') {
			*p++ = '\\';
			*p++ = 'n';
		} else {
			*p++ = *q;
		}
	}
	*p++ = '"';
	*p = 0;
	b->n = p - b->s;
}

static void lb_addu(struct lb *b, const char *name, unsigned long long v)
{
	char num[24];

	snprintf(num, sizeof(num), "%llu", v);
	lb_add(b, name, num);
}

/* Metric family header. unit: NULL for none (the name then has no unit
 * suffix); with a unit, the family name ends in _<unit>. */
static void fam(FILE *f, const char *name, const char *type, const char *unit, const char *help)
{
	fprintf(f, "# TYPE %s %s\n", name, type);
	if (unit)
		fprintf(f, "# UNIT %s %s\n", name, unit);
	fprintf(f, "# HELP %s %s\n", name, help);
}

static void sample(FILE *f, const char *name, const char *suffix, const struct lb *b,
		   unsigned long long v)
{
	fprintf(f, "%s%s%s%s%s %llu\n", name, suffix, b && b->n ? "{" : "", b && b->n ? b->s : "",
		b && b->n ? "}" : "", v);
}

void om_hist(FILE *f, const char *family, const char *labels, const unsigned long long *slots,
	     int nslots, unsigned long long sum_ns)
{
	unsigned long long cum = 0;
	const char *sep = labels && *labels ? "," : "";
	char num[40];

	if (!labels)
		labels = "";
	for (int i = 0; i < nslots - 1; i++) {
		cum += slots[i];
		fprintf(f, "%s_bucket{%s%sle=\"%s\"} %llu\n", family, labels, sep,
			om_seconds(num, sizeof(num), om_slot_le_ns(i)), cum);
	}
	if (nslots > 0)
		cum += slots[nslots - 1];
	fprintf(f, "%s_bucket{%s%sle=\"+Inf\"} %llu\n", family, labels, sep, cum);
	if (*labels) {
		fprintf(f, "%s_sum{%s} %s\n", family, labels, om_seconds(num, sizeof(num), sum_ns));
		fprintf(f, "%s_count{%s} %llu\n", family, labels, cum);
	} else {
		fprintf(f, "%s_sum %s\n", family, om_seconds(num, sizeof(num), sum_ns));
		fprintf(f, "%s_count %llu\n", family, cum);
	}
}

static unsigned long long slot_total(const unsigned long long *slots, int n)
{
	unsigned long long t = 0;

	for (int i = 0; i < n; i++)
		t += slots[i];
	return t;
}

/* ---- network path ---- */

static void dev_labels(struct lb *b, const struct net_report_dev *d)
{
	char name[24];

	if (d->name[0])
		snprintf(name, sizeof(name), "%.16s", d->name);
	else
		snprintf(name, sizeof(name), "if%u", d->ifindex);
	b->n = 0;
	b->s[0] = 0;
	lb_add(b, "device", name);
	lb_addu(b, "netns", d->netns);
	lb_addu(b, "ifindex", d->ifindex);
	lb_add(b, "dir", d->dir == DIR_TX ? "tx" : "rx");
}

/* One counter family over the devices: value = field of the summed agg. */
#define NET_DEV_COUNTER(fname, unit, help, expr)                                      \
	do {                                                                          \
		fam(f, fname, "counter", unit, help);                                 \
		for (int i = 0; i < r->ndev; i++) {                                   \
			const struct net_report_dev *d = &r->dev[i];                  \
			dev_labels(&b, d);                                            \
			sample(f, fname, "_total", &b, (expr));                       \
		}                                                                     \
	} while (0)

static void net_metrics(FILE *f, const struct net_report *r, unsigned measured)
{
	struct lb b;

	NET_DEV_COUNTER("iopath_packets", NULL,
			"Packets whose path iopath started following, per device and direction.",
			d->a.started);
	NET_DEV_COUNTER("iopath_packets_completed", NULL,
			"Packets that reached their last stage (delivered, freed or handed to a peer).",
			d->a.ended);
	NET_DEV_COUNTER("iopath_bytes", "bytes", "Bytes of the packets followed (skb->len at the first stage).",
			d->a.bytes);
	fam(f, "iopath_queue_packets", "counter", NULL, "Packets followed, per device queue.");
	for (int i = 0; i < r->ndev; i++) {
		const struct net_report_dev *d = &r->dev[i];

		for (int q = 0; q < d->nq; q++) {
			dev_labels(&b, d);
			lb_addu(&b, "queue", d->q[q].queue);
			sample(f, "iopath_queue_packets", "_total", &b, d->q[q].started);
		}
	}
	fam(f, "iopath_stage_packets", "counter", NULL, "Packets that reached each stage of the path.");
	for (int i = 0; i < r->ndev; i++) {
		const struct net_report_dev *d = &r->dev[i];

		for (int s = 0; s < NS__COUNT; s++) {
			if (!d->a.stage[s])
				continue;
			dev_labels(&b, d);
			lb_add(&b, "stage", net_stage_name(s));
			sample(f, "iopath_stage_packets", "_total", &b, d->a.stage[s]);
		}
	}
	fam(f, "iopath_stage_latency_seconds", "histogram", "seconds",
	    "Time from one stage of a packet's path to the next (log2 nanosecond buckets).");
	for (int i = 0; i < r->ndev; i++) {
		const struct net_report_dev *d = &r->dev[i];

		for (int from = 0; from < NS__COUNT; from++)
			for (int to = 0; to < NS__COUNT; to++) {
				const struct net_hist *h = &d->pair[from][to];

				if (!slot_total(h->slots, NET_HIST_SLOTS))
					continue;
				dev_labels(&b, d);
				lb_add(&b, "stage_from", net_stage_name(from));
				lb_add(&b, "stage_to", net_stage_name(to));
				om_hist(f, "iopath_stage_latency_seconds", b.s, h->slots, NET_HIST_SLOTS,
					h->sum_ns);
			}
	}
	fam(f, "iopath_path_latency_seconds", "histogram", "seconds",
	    "Time from a packet's first stage to its last (log2 nanosecond buckets).");
	for (int i = 0; i < r->ndev; i++) {
		const struct net_report_dev *d = &r->dev[i];

		if (!slot_total(d->a.total_hist, NET_HIST_SLOTS))
			continue;
		dev_labels(&b, d);
		om_hist(f, "iopath_path_latency_seconds", b.s, d->a.total_hist, NET_HIST_SLOTS,
			d->a.total_sum_ns);
	}
	fam(f, "iopath_exits", "counter", NULL,
	    "Calls that leave the guest for the hypervisor, charged to the packets in whose driver scope they happened, by kind.");
	for (int i = 0; i < r->ndev; i++) {
		const struct net_report_dev *d = &r->dev[i];

		for (int k = 0; k < EXK__COUNT; k++) {
			if (!(measured >> k & 1))
				continue;   /* not measured here: no series (iopath_exit_kind_measured says so) */
			dev_labels(&b, d);
			lb_add(&b, "kind", exit_kind_name(k));
			sample(f, "iopath_exits", "_total", &b, d->a.exits[k]);
		}
	}
	NET_DEV_COUNTER("iopath_irqs", NULL, "Device interrupts that led to packets of this device.", d->a.irqs);
	NET_DEV_COUNTER("iopath_polls", NULL, "NAPI polls for this device.", d->a.polls);
	NET_DEV_COUNTER("iopath_poll_packets", NULL, "Packets the NAPI polls of this device processed.",
			d->a.poll_work);
	NET_DEV_COUNTER("iopath_drops", NULL, "Followed packets that ended in kfree_skb (dropped).", d->a.drops);
	fam(f, "iopath_evictions", "counter", NULL,
	    "Packets evicted from the in-flight table before their last stage.");
	sample(f, "iopath_evictions", "_total", NULL, r->evicted);
	fam(f, "iopath_packets_in_flight", "gauge", NULL, "Packets being followed right now.");
	sample(f, "iopath_packets_in_flight", "", NULL, r->in_flight);
	fam(f, "iopath_filtered_stage_hits", "counter", NULL,
	    "Stage hits of packets a filter skipped (-i, -q, --dir, --proto, --port, --pid, --netns): one per stage such a packet passes.");
	sample(f, "iopath_filtered_stage_hits", "_total", NULL, r->ctr[NC_FILTERED]);
}

/* ---- block path ---- */

/* One (disk, op): size classes summed. */
struct blk_row {
	unsigned dev;
	int op;
	char disk[32];
	struct blk_agg a;
	struct net_hist pair[BS__COUNT][BS__COUNT];
};

static int blk_rows(const struct blk_report *r, struct blk_row **out)
{
	struct blk_row *rows = calloc(r->ncls ? r->ncls : 1, sizeof(*rows));
	int n = 0;

	*out = rows;
	if (!rows)
		return 0;
	for (int i = 0; i < r->ncls; i++) {
		const struct blk_report_class *c = &r->cls[i];
		struct blk_row *w = NULL;
		unsigned long long *dst, *src;

		for (int j = 0; j < n; j++)
			if (rows[j].dev == c->k.dev && rows[j].op == c->k.op)
				w = &rows[j];
		if (!w) {
			w = &rows[n++];
			w->dev = c->k.dev;
			w->op = c->k.op;
			snprintf(w->disk, sizeof(w->disk), "%s", c->disk);
		}
		dst = (unsigned long long *)&w->a;
		src = (unsigned long long *)&c->a;
		for (size_t k = 0; k < sizeof(w->a) / sizeof(*dst); k++)
			dst[k] += src[k];
		dst = (unsigned long long *)w->pair;
		src = (unsigned long long *)c->pair;
		for (size_t k = 0; k < sizeof(w->pair) / sizeof(*dst); k++)
			dst[k] += src[k];
	}
	/* stable order: disk, then op */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && (rows[j - 1].dev > rows[j].dev ||
					  (rows[j - 1].dev == rows[j].dev && rows[j - 1].op > rows[j].op)); j--) {
			struct blk_row t = rows[j];

			rows[j] = rows[j - 1];
			rows[j - 1] = t;
		}
	return n;
}

static void row_labels(struct lb *b, const struct blk_row *w)
{
	char dev[24];

	b->n = 0;
	b->s[0] = 0;
	lb_add(b, "disk", w->disk[0] ? w->disk : "?");
	snprintf(dev, sizeof(dev), "%u:%u", BLK_DEV_MAJOR(w->dev), BLK_DEV_MINOR(w->dev));
	lb_add(b, "devno", dev);
	lb_add(b, "op", blk_op_name(w->op));
}

#define BLK_ROW_COUNTER(fname, unit, help, expr)                                      \
	do {                                                                          \
		fam(f, fname, "counter", unit, help);                                 \
		for (int i = 0; i < n; i++) {                                         \
			const struct blk_row *w = &rows[i];                           \
			row_labels(&b, w);                                            \
			sample(f, fname, "_total", &b, (expr));                       \
		}                                                                     \
	} while (0)

static void blk_metrics(FILE *f, const struct blk_report *r, unsigned measured)
{
	struct blk_row *rows;
	int n = blk_rows(r, &rows);
	struct lb b;

	BLK_ROW_COUNTER("iopath_blk_requests", NULL, "Block requests completed, per disk and operation.",
			w->a.requests);
	BLK_ROW_COUNTER("iopath_blk_bytes", "bytes", "Bytes of the completed block requests.", w->a.bytes);
	fam(f, "iopath_blk_stage_requests", "counter", NULL, "Completed block requests that passed each stage.");
	for (int i = 0; i < n; i++)
		for (int s = 0; s < BS__COUNT; s++) {
			if (!rows[i].a.stage[s])
				continue;
			row_labels(&b, &rows[i]);
			lb_add(&b, "stage", blk_stage_name(s));
			sample(f, "iopath_blk_stage_requests", "_total", &b, rows[i].a.stage[s]);
		}
	fam(f, "iopath_blk_stage_latency_seconds", "histogram", "seconds",
	    "Time from one stage of a block request to the next (log2 nanosecond buckets).");
	for (int i = 0; i < n; i++)
		for (int from = 0; from < BS__COUNT; from++)
			for (int to = 0; to < BS__COUNT; to++) {
				const struct net_hist *h = &rows[i].pair[from][to];

				if (!slot_total(h->slots, NET_HIST_SLOTS))
					continue;
				row_labels(&b, &rows[i]);
				lb_add(&b, "stage_from", blk_stage_name(from));
				lb_add(&b, "stage_to", blk_stage_name(to));
				om_hist(f, "iopath_blk_stage_latency_seconds", b.s, h->slots, NET_HIST_SLOTS,
					h->sum_ns);
			}
	fam(f, "iopath_blk_request_latency_seconds", "histogram", "seconds",
	    "Time from a block request's first stage to its completion (log2 nanosecond buckets).");
	for (int i = 0; i < n; i++) {
		if (!slot_total(rows[i].a.total_hist, NET_HIST_SLOTS))
			continue;
		row_labels(&b, &rows[i]);
		om_hist(f, "iopath_blk_request_latency_seconds", b.s, rows[i].a.total_hist, NET_HIST_SLOTS,
			rows[i].a.total_sum_ns);
	}
	fam(f, "iopath_blk_exits", "counter", NULL,
	    "Calls that leave the guest for the hypervisor, charged to block requests, by kind.");
	for (int i = 0; i < n; i++)
		for (int k = 0; k < EXK__COUNT; k++) {
			if (!(measured >> k & 1))
				continue;
			row_labels(&b, &rows[i]);
			lb_add(&b, "kind", exit_kind_name(k));
			sample(f, "iopath_blk_exits", "_total", &b, rows[i].a.exits[k]);
		}
	BLK_ROW_COUNTER("iopath_blk_grants", NULL, "Grant operations in the submit scope of block requests.",
			w->a.grants);
	BLK_ROW_COUNTER("iopath_blk_errors", NULL, "Block requests completed with an error.", w->a.errors);
	fam(f, "iopath_blk_irqs", "counter", NULL, "Device interrupts of each disk.");
	for (int i = 0; i < r->ndisk; i++) {
		char dev[24];

		b.n = 0;
		b.s[0] = 0;
		lb_add(&b, "disk", r->disk[i].name[0] ? r->disk[i].name : "?");
		snprintf(dev, sizeof(dev), "%u:%u", BLK_DEV_MAJOR(r->disk[i].dev), BLK_DEV_MINOR(r->disk[i].dev));
		lb_add(&b, "devno", dev);
		sample(f, "iopath_blk_irqs", "_total", &b, r->disk[i].irqs);
	}
	fam(f, "iopath_blk_evictions", "counter", NULL,
	    "Block requests evicted from the in-flight table before completion.");
	sample(f, "iopath_blk_evictions", "_total", NULL, r->evicted);
	fam(f, "iopath_blk_requests_in_flight", "gauge", NULL, "Block requests being followed right now.");
	sample(f, "iopath_blk_requests_in_flight", "", NULL, r->in_flight);
	free(rows);
}

/* ---- interrupts and exits ---- */

static void irq_labels(struct lb *b, const struct ex_irq_row *row)
{
	const char *dev = row->device, *action = row->v.name;
	char name[20];

	b->n = 0;
	b->s[0] = 0;
	lb_addu(b, "irq", row->irq);
	snprintf(name, sizeof(name), "%.16s", action ? action : "");
	lb_add(b, "action", name);
	lb_add(b, "device", dev ? dev : "");
}

/* The traced tasks' events (record --exits with -- CMD or --pid): a series only for a kind counted
 * here; the gauge names every kind, 0 for those not measured (no traced tasks, or the tracepoint
 * did not attach), so an absent series never reads as 0. */
static void task_metrics(FILE *f, const struct exits_report *x, const struct resolved *pts, unsigned npts)
{
	struct task_row_val rows[TR__COUNT];
	struct lb b;

	task_rows(x, pts, pts ? npts : 0, rows);
	fam(f, "iopath_task_events", "counter", NULL,
	    "Events of the traced tasks (record --exits with a command or --pid, and what they fork) by kind: "
	    "syscalls, page faults, context switches away from them, remote TLB flushes they asked for, Xen PV "
	    "multicall hypercalls and page-table updates; a kind not counted here has no series.");
	for (int i = 0; i < TR__COUNT; i++) {
		if (rows[i].how != TH_MEASURED)
			continue;
		b.n = 0;
		b.s[0] = 0;
		lb_add(&b, "event", rows[i].name);
		sample(f, "iopath_task_events", "_total", &b, rows[i].count);
	}
	fam(f, "iopath_task_event_measured", "gauge", NULL,
	    "1: this kind of the traced tasks' events is counted here; 0: not measured (no traced tasks, or its "
	    "tracepoint did not attach), its iopath_task_events series is absent.");
	for (int i = 0; i < TR__COUNT; i++) {
		b.n = 0;
		b.s[0] = 0;
		lb_add(&b, "event", rows[i].name);
		sample(f, "iopath_task_event_measured", "", &b, rows[i].how == TH_MEASURED);
	}
}

static void exits_metrics(FILE *f, const struct exits_report *x, const struct resolved *pts, unsigned npts)
{
	struct ex_irq_row *rows = NULL;
	struct lb b;
	char num[40];

	/* by IRQ number, whatever order the map gave */
	if (x->nirq > 0 && (rows = malloc(x->nirq * sizeof(*rows)))) {
		memcpy(rows, x->irqs, x->nirq * sizeof(*rows));
		for (int i = 1; i < x->nirq; i++)
			for (int j = i; j > 0 && rows[j - 1].irq > rows[j].irq; j--) {
				struct ex_irq_row t = rows[j];

				rows[j] = rows[j - 1];
				rows[j - 1] = t;
			}
	}
	fam(f, "iopath_irq_interrupts", "counter", NULL, "Interrupt handler invocations per IRQ line.");
	for (int i = 0; rows && i < x->nirq; i++) {
		irq_labels(&b, &rows[i]);
		sample(f, "iopath_irq_interrupts", "_total", &b, rows[i].v.count);
	}
	fam(f, "iopath_irq_handler_seconds", "counter", "seconds", "Time spent in the interrupt handlers of each IRQ line.");
	for (int i = 0; rows && i < x->nirq; i++) {
		irq_labels(&b, &rows[i]);
		fprintf(f, "iopath_irq_handler_seconds_total{%s} %s\n", b.s,
			om_seconds(num, sizeof(num), rows[i].v.sum_ns));
	}
	free(rows);
	fam(f, "iopath_softirqs", "counter", NULL, "Softirq handler runs per vector.");
	for (int i = 0; i < EX_NR_SOFTIRQS; i++) {
		b.n = 0;
		b.s[0] = 0;
		lb_add(&b, "vector", softirq_names[i]);
		sample(f, "iopath_softirqs", "_total", &b, x->soft[i].count);
	}
	fam(f, "iopath_multicall_hypercalls", "counter", NULL, "Xen PV multicall batches flushed as a hypercall.");
	sample(f, "iopath_multicall_hypercalls", "_total", NULL, x->ctr[EXC_MC_HYPERCALL]);
	fam(f, "iopath_msr_writes", "counter", NULL, "MSR writes (each one exits under a hypervisor).");
	sample(f, "iopath_msr_writes", "_total", NULL, x->ctr[EXC_MSR_WRITES]);
	task_metrics(f, x, pts, npts);
}

/* ---- the whole exposition ---- */

void om_write(FILE *f, const struct om_input *in)
{
	struct exits_measured em;
	struct lb b;

	exits_measured_of(in->pts, in->pts ? in->npts : 0, &em);
	if (in->net)
		net_metrics(f, in->net, em.measured);
	if (in->blk)
		blk_metrics(f, in->blk, em.measured);
	if (in->net || in->blk) {
		const unsigned long long *bg = in->net ? in->net->bg_exits : in->blk->bg_exits;

		/* a series only for the kinds measured here; the gauge says which those are */
		fam(f, "iopath_exit_kind_measured", "gauge", NULL,
		    "1: calls of this kind are counted here (a probe that counts them attached); 0: not measured, its exit series are absent.");
		for (int k = 0; k < EXK__COUNT; k++) {
			b.n = 0;
			b.s[0] = 0;
			lb_add(&b, "kind", exit_kind_name(k));
			sample(f, "iopath_exit_kind_measured", "", &b, em.measured >> k & 1);
		}
		fam(f, "iopath_background_exits", "counter", NULL,
		    "Calls that leave the guest, outside any packet's or request's scope, by kind.");
		for (int k = 0; k < EXK__COUNT; k++) {
			if (!(em.measured >> k & 1))
				continue;
			b.n = 0;
			b.s[0] = 0;
			lb_add(&b, "kind", exit_kind_name(k));
			sample(f, "iopath_background_exits", "_total", &b, bg[k]);
		}
	}
	if (in->exits)
		exits_metrics(f, in->exits, in->pts, in->npts);
	if (in->pts) {
		unsigned by[PST__COUNT] = {};

		for (unsigned i = 0; i < in->npts; i++)
			if (in->pts[i].status < PST__COUNT)
				by[in->pts[i].status]++;
		fam(f, "iopath_probe_points", "gauge", NULL, "Probe points of the loaded profiles, by status.");
		for (int s = 0; s < PST__COUNT; s++) {
			b.n = 0;
			b.s[0] = 0;
			lb_add(&b, "status", status_name(s));
			sample(f, "iopath_probe_points", "", &b, by[s]);
		}
	}
	fputs("# EOF\n", f);
}
