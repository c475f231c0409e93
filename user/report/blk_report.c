#include "report/blk_report.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "platform/devices.h"
#include "out/hist.h"
#include "engine/globals.h"
#include "engine/maps.h"
#include "engine/skel.h"
#include "out/json.h"
#include "report/common.h"
#include "kernel/profiles.h"
#include "util/util.h"

static const char *const stage_names[BS__COUNT] = {
	[BS_INSERT] = "insert", [BS_DRV_SUBMIT] = "drv_submit", [BS_ISSUE] = "issue",
	[BS_NOTIFY] = "notify", [BS_IRQ] = "irq", [BS_DRV_COMPLETE] = "drv_complete",
	[BS_COMPLETE] = "complete",
};

const char *blk_stage_name(int s)
{
	return s >= 0 && s < BS__COUNT ? stage_names[s] : "?";
}

const char *blk_op_name(int op)
{
	static const char *const n[BOP__COUNT] = {
		[BOP_READ] = "read", [BOP_WRITE] = "write", [BOP_FLUSH] = "flush",
		[BOP_DISCARD] = "discard", [BOP_OTHER] = "other",
	};
	return op >= 0 && op < BOP__COUNT ? n[op] : "?";
}




static struct blk_report_class *class_for(struct blk_report *r, const struct blk_key *k)
{
	struct blk_report_class *c;

	for (int i = 0; i < r->ncls; i++)
		if (r->cls[i].k.dev == k->dev && r->cls[i].k.op == k->op &&
		    r->cls[i].k.size_class == k->size_class)
			return &r->cls[i];
	c = realloc(r->cls, (r->ncls + 1) * sizeof(*c));
	if (!c)
		return NULL;
	r->cls = c;
	c = &r->cls[r->ncls++];
	memset(c, 0, sizeof(*c));
	c->k.dev = k->dev;
	c->k.op = k->op;
	c->k.size_class = k->size_class;
	blk_dev_name(k->dev, c->disk, sizeof(c->disk));
	return c;
}

static struct blk_report_disk *disk_for(struct blk_report *r, unsigned dev)
{
	struct blk_report_disk *d;

	for (int i = 0; i < r->ndisk; i++)
		if (r->disk[i].dev == dev)
			return &r->disk[i];
	d = realloc(r->disk, (r->ndisk + 1) * sizeof(*d));
	if (!d)
		return NULL;
	r->disk = d;
	d = &r->disk[r->ndisk++];
	memset(d, 0, sizeof(*d));
	d->dev = dev;
	blk_dev_name(dev, d->name, sizeof(d->name));
	return d;
}

/* Events the kernel's recursion guard kept from a block tracepoint handler
 * (the same handler already running on that CPU): lost stages, reported. */
static void nested_events(struct engine *e, struct blk_report *r)
{
	for (unsigned i = 0; i < e->n; i++) {
		const struct resolved *p = &e->pts[i];
		char name[160];
		unsigned long long miss;
		int tp;

		if (p->status != PST_ATTACHED || p->pt->kind != KIND_TP ||
		    strncmp(p->pt->symbols, "block:", 6) || (tp = tp_index(p->symbol)) < 0)
			continue;
		snprintf(name, sizeof(name), "%s_%s", p->method == METHOD_TP_BTF ? "tpb" : "rtp", p->symbol);
		{
			struct bpf_program *bp = bpf_object__find_program_by_name(e->skel->obj, name);

			miss = bp ? prog_recursion_misses(bpf_program__fd(bp)) : 0;
		}
		r->lost_nested += miss;
	}
}

static int on_agg(const void *key, const void *val, void *r)
{
	struct blk_report_class *c = class_for(r, key);

	if (!c)
		return -ENOMEM;
	c->a = *(const struct blk_agg *)val;
	return 0;
}

static int on_hist(const void *key, const void *val, void *r)
{
	const struct blk_pair_key *k = key;
	struct blk_report_class *c;

	if (k->from >= BS__COUNT || k->to >= BS__COUNT)
		return 0;
	if (!(c = class_for(r, &k->k)))
		return -ENOMEM;
	c->pair[k->from][k->to] = *(const struct net_hist *)val;
	return 0;
}

static int on_sig(const void *key, const void *val, void *r)
{
	const struct blk_sig_key *k = key;
	const struct net_sig_val *v = val;
	struct blk_report_class *c = class_for(r, &k->k);

	if (!c)
		return -ENOMEM;
	c->sig_requests += v->count;
	c->nsigs++;
	top_sig_add(c->top, &c->ntop, BLKR_TOP_SIGS, k->sig, v);
	return 0;
}

static int on_dev(const void *key, const void *val, void *r)
{
	struct blk_report_disk *d = disk_for(r, *(const __u32 *)key);

	if (!d)
		return -ENOMEM;
	d->irqs = ((const struct blk_dev_val *)val)->irqs;
	return 0;
}

static int on_queue(const void *key, const void *val, void *r)
{
	const struct blk_q_key *k = key;
	const struct blk_q_val *v = val;
	struct blk_report_disk *d = disk_for(r, k->dev);

	if (!d)
		return -ENOMEM;
	if (d->nq < BLKR_MAX_QUEUES) {
		d->q[d->nq].queue = k->queue;
		d->q[d->nq].requests = v->requests;
		d->q[d->nq].irqs = v->irqs;
		d->nq++;
	}
	return 0;
}

/* requests still in the table and not done are in flight */
static int on_rq(const void *key, const void *val, void *r)
{
	if (!((const struct blk_rq *)val)->done)
		((struct blk_report *)r)->in_flight++;
	return 0;
}

int blk_report_collect(struct engine *e, struct blk_report *r)
{
	__typeof__(e->skel->maps) *m = &e->skel->maps;
	const struct iopath_bpf__bss *g;
	int err;

	if ((err = engine_map_walk(m->blk_agg, sizeof(struct blk_key), sizeof(struct blk_agg), on_agg, r)) ||
	    (err = engine_map_walk(m->blk_hist, sizeof(struct blk_pair_key), sizeof(struct net_hist),
				   on_hist, r)) ||
	    (err = engine_map_walk(m->blk_sig, sizeof(struct blk_sig_key), sizeof(struct net_sig_val),
				   on_sig, r)) ||
	    (err = engine_map_walk(m->blk_dev, sizeof(__u32), sizeof(struct blk_dev_val), on_dev, r)) ||
	    (err = engine_map_walk(m->blk_q, sizeof(struct blk_q_key), sizeof(struct blk_q_val), on_queue, r)) ||
	    (err = engine_map_walk(m->rqs, sizeof(__u64), sizeof(struct blk_rq), on_rq, r)))
		return err;
	nested_events(e, r);
	g = engine_bss(e);   /* one lookup where .bss is not mapped */
	for (int i = 0; i < BC__COUNT; i++)
		r->ctr[i] = g->blk_ctr[i];
	for (int i = 0; i < EXK__COUNT; i++)
		r->bg_exits[i] = g->blk_bg_exits[i];
	/* requests whose state was created but neither ended, nor is in the
	 * table, nor was dropped for a restart: the LRU evicted them */
	if (r->ctr[BC_STARTED] > r->ctr[BC_ENDED] + r->in_flight + r->ctr[BC_RESTARTED])
		r->evicted = r->ctr[BC_STARTED] - r->ctr[BC_ENDED] - r->in_flight - r->ctr[BC_RESTARTED];
	return 0;
}

void blk_report_free(struct blk_report *r)
{
	free(r->cls);
	free(r->disk);
	memset(r, 0, sizeof(*r));
}

static int cls_cmp(const void *a, const void *b)
{
	const struct blk_report_class *x = a, *y = b;
	int c = strcmp(x->disk, y->disk);

	if (c)
		return c;
	if (x->k.op != y->k.op)
		return x->k.op - y->k.op;
	return x->k.size_class - y->k.size_class;
}

static double per_rq(unsigned long long v, unsigned long long n)
{
	return n ? (double)v / n : 0;
}

/* 2^sc bytes with its unit: "4KiB" for 12. */
static void pow2_bytes(unsigned sc, char *buf, size_t len)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };

	snprintf(buf, len, "%llu%s", 1ull << (sc % 10), unit[sc / 10 < 7 ? sc / 10 : 6]);
}

/* A size class as the range it holds, the upper end excluded: "4KiB-8KiB" for class 12
 * (requests of at least 4 KiB and under 8 KiB); class 0 holds requests of no data (flushes)
 * and of 1 byte. */
static const char *size_label(unsigned sc, char *buf, size_t len)
{
	char lo[16], hi[16];

	if (!sc)
		return snprintf(buf, len, "0-2B"), buf;
	if (sc >= 63)
		return snprintf(buf, len, "8EiB-"), buf;
	pow2_bytes(sc, lo, sizeof(lo));
	pow2_bytes(sc + 1, hi, sizeof(hi));
	snprintf(buf, len, "%s-%s", lo, hi);
	return buf;
}

static const struct blk_report_disk *find_disk(const struct blk_report *r, unsigned dev)
{
	for (int i = 0; i < r->ndisk; i++)
		if (r->disk[i].dev == dev)
			return &r->disk[i];
	return NULL;
}

/* Requests over every class of a disk. */
static unsigned long long disk_requests(const struct blk_report *r, unsigned dev)
{
	unsigned long long n = 0;

	for (int i = 0; i < r->ncls; i++)
		if (r->cls[i].k.dev == dev)
			n += r->cls[i].a.requests;
	return n;
}

static void print_stages(FILE *f, const struct blk_report_class *c)
{
	fprintf(f, "    %-26s %10s %9s %9s %9s\n", "stage", "requests", "p50", "p99", "mean");
	for (int s = 0; s < BS__COUNT; s++) {
		if (!c->a.stage[s])
			continue;
		fprintf(f, "    %-26s %10llu\n", blk_stage_name(s), c->a.stage[s]);
		for (int from = 0; from < BS__COUNT; from++) {
			const struct net_hist *h = &c->pair[from][s];
			char lbl[40];

			if (!h->count)
				continue;
			snprintf(lbl, sizeof(lbl), "  %s -> %s", blk_stage_name(from), blk_stage_name(s));
			hist_row(f, lbl, h->slots, h->count, h->sum_ns);
		}
	}
	if (c->a.requests)
		hist_row(f, "total (first -> last)", c->a.total_hist, c->a.requests, c->a.total_sum_ns);
}

void blk_report_print(FILE *f, const struct blk_report *r, const struct resolved *pts, unsigned n)
{
	unsigned last_dev = ~0u;
	struct exits_measured em;

	exits_measured_of(pts, n, &em);
	qsort(r->cls, r->ncls, sizeof(r->cls[0]), cls_cmp);
	fprintf(f, "block path, %.1f s: %llu requests traced, %llu completed, %llu in flight, %llu evicted, "
		"%llu restarted/%llu re-issued (requeue or missed completion), %llu filtered out, "
		"%llu completions of requests issued before the start\n",
		r->seconds, r->ctr[BC_STARTED], r->ctr[BC_ENDED], r->in_flight, r->evicted,
		r->ctr[BC_RESTARTED], r->ctr[BC_REISSUED], r->ctr[BC_FILTERED], r->ctr[BC_COMPLETE_UNSEEN]);
	for (int i = 0; i < r->ncls; i++) {
		const struct blk_report_class *c = &r->cls[i];
		unsigned long long rq = c->a.requests;
		char sz[40];

		if (c->k.dev != last_dev) {
			const struct blk_report_disk *d = find_disk(r, c->k.dev);
			unsigned long long all = disk_requests(r, c->k.dev);

			last_dev = c->k.dev;
			fprintf(f, "\n%s (%u:%u): %llu requests, %llu device interrupts (%.3f/request)",
				c->disk, BLK_DEV_MAJOR(c->k.dev), BLK_DEV_MINOR(c->k.dev), all,
				d ? d->irqs : 0, per_rq(d ? d->irqs : 0, all));
			if (d && d->nq) {
				fprintf(f, ", %d hw queue(s):", d->nq);
				for (int q = 0; q < d->nq && q < 8; q++)
					fprintf(f, " q%u=%llu", d->q[q].queue, d->q[q].requests);
				fprintf(f, "%s", d->nq > 8 ? " ..." : "");
			}
			fprintf(f, "\n");
		}
		if (!rq)
			continue;
		fprintf(f, "  %s %s: %llu requests, %llu bytes, %llu errors\n", blk_op_name(c->k.op),
			size_label(c->k.size_class, sz, sizeof(sz)), rq, c->a.bytes, c->a.errors);
		print_stages(f, c);
		fprintf(f, "    path length (probe hits/request): p50 %.0f, p99 %.0f, mean %.2f\n",
			lin_quantile(c->a.len_hist, NET_LEN_SLOTS, 0.5),
			lin_quantile(c->a.len_hist, NET_LEN_SLOTS, 0.99), per_rq(c->a.len_sum, rq));
		fprintf(f, "    exits/request:");
		exits_per_unit_print(f, c->a.exits, rq, &em);
		fputc('\n', f);
		fprintf(f, "    irq stage %.3f/request, grants/request %.3f (CPU cost, not exits), "
			"bounces/request %.3f, partial completions %llu\n",
			per_rq(c->a.stage[BS_IRQ], rq), per_rq(c->a.grants, rq), per_rq(c->a.bounces, rq),
			c->a.partial);
		for (int t = 0; t < c->ntop && t < 5; t++) {
			const struct net_sig_val *v = &c->top[t].v;
			char b[16];

			fprintf(f, "    %5.1f%%  %-9s ", 100.0 * v->count / (c->sig_requests ? c->sig_requests : 1),
				fmt_ns(v->count ? (double)v->lat_sum_ns / v->count : 0, b, sizeof(b)));
			for (unsigned j = 0; j < v->len && j < NET_SIG_IDS; j++)
				fprintf(f, "%s%s", j ? " > " : "", point_label(pts, n, v->ids[j]));
			fprintf(f, "%s\n", v->len > NET_SIG_IDS ? " > ..." : "");
		}
		if (c->nsigs > 5 && c->nsigs > (unsigned)c->ntop)
			fprintf(f, "    (%u distinct paths)\n", c->nsigs);
	}
	{
		bool any = false;

		fprintf(f, "\nexits outside any request:");
		for (int k = 0; k < EXK__COUNT; k++)
			if (r->bg_exits[k]) {
				fprintf(f, " %s %llu", exit_kind_name(k), r->bg_exits[k]);
				any = true;
			}
		fprintf(f, "%s\n", any ? "" : " none counted (with --net: in the network section)");
	}
	if (r->ctr[BC_GRANTS_UNATTRIBUTED] || r->ctr[BC_BOUNCES_UNATTRIBUTED])
		fprintf(f, "outside any block submit scope: %llu grant operations, %llu bounce copies\n",
			r->ctr[BC_GRANTS_UNATTRIBUTED], r->ctr[BC_BOUNCES_UNATTRIBUTED]);
	if (r->ctr[BC_AGG_FULL] || r->ctr[BC_HIST_FULL] || r->ctr[BC_SIG_FULL] || r->ctr[BC_STATE_FULL] ||
	    r->ctr[BC_DEV_FULL] || r->evicted || r->lost_nested)
		fprintf(f, "NOT RECORDED: %llu evicted requests (LRU), %llu state inserts failed, "
			"%llu class/%llu histogram/%llu signature/%llu disk-queue map full, "
			"%llu nested tracepoint events lost (BPF recursion guard)\n",
			r->evicted, r->ctr[BC_STATE_FULL], r->ctr[BC_AGG_FULL], r->ctr[BC_HIST_FULL],
			r->ctr[BC_SIG_FULL], r->ctr[BC_DEV_FULL], r->lost_nested);
}

void blk_report_json(struct jw *w, const struct blk_report *r, const struct resolved *pts, unsigned n)
{
	struct exits_measured em;

	exits_measured_of(pts, n, &em);
	jw_obj_begin(w, "blk");
	jw_double(w, "seconds", r->seconds);
	jw_obj_begin(w, "counters");
	jw_uint(w, "started", r->ctr[BC_STARTED]);
	jw_uint(w, "ended", r->ctr[BC_ENDED]);
	jw_uint(w, "in_flight", r->in_flight);
	jw_uint(w, "evicted", r->evicted);
	jw_uint(w, "restarted", r->ctr[BC_RESTARTED]);
	jw_uint(w, "reissued", r->ctr[BC_REISSUED]);
	jw_uint(w, "filtered", r->ctr[BC_FILTERED]);
	jw_uint(w, "complete_unseen", r->ctr[BC_COMPLETE_UNSEEN]);
	jw_uint(w, "state_full", r->ctr[BC_STATE_FULL]);
	jw_uint(w, "agg_full", r->ctr[BC_AGG_FULL]);
	jw_uint(w, "hist_full", r->ctr[BC_HIST_FULL]);
	jw_uint(w, "sig_full", r->ctr[BC_SIG_FULL]);
	jw_uint(w, "dev_full", r->ctr[BC_DEV_FULL]);
	jw_uint(w, "grants_unattributed", r->ctr[BC_GRANTS_UNATTRIBUTED]);
	jw_uint(w, "bounces_unattributed", r->ctr[BC_BOUNCES_UNATTRIBUTED]);
	jw_uint(w, "irqs_not_disk", r->ctr[BC_IRQ_UNMAPPED]);
	jw_uint(w, "tombstones", r->ctr[BC_TOMBSTONES]);
	jw_uint(w, "nested_events_lost", r->lost_nested);
	jw_obj_end(w);
	jw_obj_begin(w, "background_exits");
	for (int k = 0; k < EXK__COUNT; k++)
		jw_uint(w, exit_kind_name(k), r->bg_exits[k]);
	jw_obj_end(w);
	jw_arr_begin(w, "disks");
	for (int i = 0; i < r->ndisk; i++) {
		const struct blk_report_disk *d = &r->disk[i];
		unsigned long long all = disk_requests(r, d->dev);

		jw_obj_begin(w, NULL);
		jw_str(w, "name", d->name);
		jw_uint(w, "major", BLK_DEV_MAJOR(d->dev));
		jw_uint(w, "minor", BLK_DEV_MINOR(d->dev));
		jw_uint(w, "requests", all);
		jw_uint(w, "irqs", d->irqs);
		jw_double(w, "irqs_per_request", per_rq(d->irqs, all));
		jw_arr_begin(w, "queues");
		for (int q = 0; q < d->nq; q++) {
			jw_obj_begin(w, NULL);
			jw_uint(w, "queue", d->q[q].queue);
			jw_uint(w, "requests", d->q[q].requests);
			jw_uint(w, "irqs", d->q[q].irqs);
			jw_obj_end(w);
		}
		jw_arr_end(w);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_arr_begin(w, "classes");
	for (int i = 0; i < r->ncls; i++) {
		const struct blk_report_class *c = &r->cls[i];
		unsigned long long rq = c->a.requests;

		jw_obj_begin(w, NULL);
		jw_str(w, "disk", c->disk);
		jw_uint(w, "major", BLK_DEV_MAJOR(c->k.dev));
		jw_uint(w, "minor", BLK_DEV_MINOR(c->k.dev));
		jw_str(w, "op", blk_op_name(c->k.op));
		jw_uint(w, "size_class", c->k.size_class);
		jw_uint(w, "size_min_bytes", c->k.size_class && c->k.size_class < 64 ? 1ull << c->k.size_class : 0);
		if (c->k.size_class < 63)   /* the class's end, excluded: 8192 for 4096..8191 */
			jw_uint(w, "size_below_bytes", 2ull << c->k.size_class);
		jw_uint(w, "requests", rq);
		jw_uint(w, "bytes", c->a.bytes);
		jw_uint(w, "errors", c->a.errors);
		jw_uint(w, "partial_completions", c->a.partial);
		jw_obj_begin(w, "stages");
		for (int s = 0; s < BS__COUNT; s++)
			if (c->a.stage[s])
				jw_uint(w, blk_stage_name(s), c->a.stage[s]);
		jw_obj_end(w);
		jw_arr_begin(w, "stage_pairs");
		for (int a = 0; a < BS__COUNT; a++)
			for (int b = 0; b < BS__COUNT; b++) {
				const struct net_hist *h = &c->pair[a][b];

				if (!h->count)
					continue;
				jw_obj_begin(w, NULL);
				jw_str(w, "from", blk_stage_name(a));
				jw_str(w, "to", blk_stage_name(b));
				hist_json(w, "latency", h->slots, h->count, h->sum_ns);
				jw_obj_end(w);
			}
		jw_arr_end(w);
		hist_json(w, "total_latency", c->a.total_hist, rq, c->a.total_sum_ns);
		jw_obj_begin(w, "path_length");
		jw_double(w, "mean", per_rq(c->a.len_sum, rq));
		jw_double(w, "p50", lin_quantile(c->a.len_hist, NET_LEN_SLOTS, 0.5));
		jw_double(w, "p99", lin_quantile(c->a.len_hist, NET_LEN_SLOTS, 0.99));
		jw_arr_begin(w, "hist");
		for (int l = 0; l < NET_LEN_SLOTS; l++)
			jw_uint(w, NULL, c->a.len_hist[l]);
		jw_arr_end(w);
		jw_obj_end(w);
		exits_counts_json(w, "exits", c->a.exits, &em);
		exits_per_unit_json(w, "exits_per_request", c->a.exits, rq, &em);
		jw_double(w, "irq_stage_per_request", per_rq(c->a.stage[BS_IRQ], rq));
		jw_uint(w, "grants", c->a.grants);
		jw_double(w, "grants_per_request", per_rq(c->a.grants, rq));
		jw_uint(w, "bounces", c->a.bounces);
		jw_double(w, "bounces_per_request", per_rq(c->a.bounces, rq));
		jw_uint(w, "distinct_paths", c->nsigs);
		jw_arr_begin(w, "top_paths");
		for (int t = 0; t < c->ntop; t++)
			sig_json(w, &c->top[t].v, "requests", pts, n);
		jw_arr_end(w);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
}
