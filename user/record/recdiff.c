#include "record/recdiff.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/profiles.h"
#include "out/hist.h"
#include "out/json.h"
#include "report/common.h"
#include "record/rectasks.h"
#include "record/rolematch.h"

/* --- a row: two values, their difference and ratio --- */

/* V_ABSENT: that recording has no such device or samples ("-");
 * V_NM: it has, but could not count this kind ("n/m") */
enum vst { V_OK, V_ABSENT, V_NM };

struct val {
	enum vst st;
	double v;
	int slot;   /* a quantile's log2 bucket, else -1 */
};

static const struct val absent = { V_ABSENT, 0, -1 }, not_measured = { V_NM, 0, -1 };

static struct val ok(double v)
{
	return (struct val){ V_OK, v, -1 };
}

/* v where the side exists (p not NULL), else absent */
static struct val of(const void *p, double v)
{
	return p ? ok(v) : absent;
}

static double per(unsigned long long v, unsigned long long n)
{
	return n ? (double)v / n : 0;
}

static struct val rate(const void *p, double v, double seconds)
{
	return !p ? absent : seconds > 0 ? ok(v / seconds) : not_measured;
}

/* K_COUNT: an integer; K_RATIO: per unit or per second, 3 significant digits; K_NS: a time */
enum vkind { K_COUNT, K_RATIO, K_NS };

struct dout {
	FILE *f;
	struct jw *w;        /* JSON, or NULL for text */
	bool open;           /* a JSON section is open */
	bool quantiles;      /* a quantile row was written: the resolution note follows */
};

static void fmt_val(const struct val *x, enum vkind k, char *b, int n)
{
	if (x->st != V_OK) {
		snprintf(b, n, "%s", x->st == V_NM ? "n/m" : "-");
		return;
	}
	switch (k) {
	case K_COUNT: snprintf(b, n, "%.0f", x->v); break;
	case K_RATIO: fmt_sig3(x->v, false, b, n); break;
	case K_NS: fmt_ns(x->v, b, n); break;
	}
}

static void fmt_delta(double d, enum vkind k, char *b, int n)
{
	char t[32];

	switch (k) {
	case K_COUNT: snprintf(b, n, "%+.0f", d); break;
	case K_RATIO: fmt_sig3(d, true, b, n); break;
	case K_NS: snprintf(b, n, "%s%s", d >= 0 ? "+" : "-", fmt_ns(fabs(d), t, sizeof(t))); break;
	}
}

/* Left out: nothing counted on either side (absent or 0), unless one side could
 * not measure it: "0 vs n/m" says the comparison is impossible. */
static bool row_shown(const struct val *a, const struct val *b)
{
	bool nonzero = (a->st == V_OK && a->v) || (b->st == V_OK && b->v);

	return (a->st == V_OK || b->st == V_OK) && (nonzero || a->st == V_NM || b->st == V_NM);
}

static void json_val(struct jw *w, const char *key, const struct val *x, enum vkind k)
{
	if (x->st != V_OK)
		jw_null(w, key);
	else if (k == K_COUNT)
		jw_uint(w, key, (unsigned long long)x->v);
	else
		jw_double(w, key, x->v);
}

/* What a row may say beyond its values (JSON only; the text says it under the rows): why a side
 * that is n/m is; the exit model's verdict on each side's platform; the values are the model's
 * arithmetic, not counts. NULL members: not said. */
struct rowx {
	const char *wa, *wb;
	const char *verdict_a, *verdict_b;
	bool derived;
};

/* A row with x's extras (NULL: none). Returns whether it was shown. */
static bool row_x(struct dout *o, const char *metric, enum vkind k, struct val a, struct val b,
		  const struct rowx *x)
{
	static const struct rowx none;
	bool both = a.st == V_OK && b.st == V_OK, q = a.slot >= 0 || b.slot >= 0;
	bool same = both && a.slot >= 0 && a.slot == b.slot;
	double ratio = both && a.v ? b.v / a.v : NAN;
	char ba[32], bb[32], bd[40] = "-", br[40] = "-", t[32];

	if (!row_shown(&a, &b))
		return false;
	o->quantiles |= q;
	if (o->w) {
		jw_obj_begin(o->w, NULL);
		jw_str(o->w, "metric", metric);
		json_val(o->w, "a", &a, k);
		json_val(o->w, "b", &b, k);
		if (a.st != V_OK)
			jw_str(o->w, "a_is", a.st == V_NM ? "not measured" : "absent");
		if (b.st != V_OK)
			jw_str(o->w, "b_is", b.st == V_NM ? "not measured" : "absent");
		if (!x)
			x = &none;
		if (a.st == V_NM && x->wa)
			jw_str(o->w, "a_why", x->wa);
		if (b.st == V_NM && x->wb)
			jw_str(o->w, "b_why", x->wb);
		if (a.st == V_OK && x->verdict_a)
			jw_str(o->w, "a_verdict", x->verdict_a);
		if (b.st == V_OK && x->verdict_b)
			jw_str(o->w, "b_verdict", x->verdict_b);
		if (x->derived)
			jw_bool(o->w, "derived", true);
		if (both && k == K_COUNT)
			jw_int(o->w, "delta", (long long)b.v - (long long)a.v);
		else
			jw_double(o->w, "delta", both ? b.v - a.v : NAN);
		jw_double(o->w, "ratio", ratio);
		if (q)
			jw_bool(o->w, "same_bucket", same);
		jw_obj_end(o->w);
		return true;
	}
	fmt_val(&a, k, ba, sizeof(ba));
	fmt_val(&b, k, bb, sizeof(bb));
	if (both)
		fmt_delta(b.v - a.v, k, bd, sizeof(bd));
	if (same)
		snprintf(br, sizeof(br), "same bucket");
	else if (!isnan(ratio))
		snprintf(br, sizeof(br), "%sx", fmt_sig3(ratio, false, t, sizeof(t)));
	fprintf(o->f, "  %-40s %12s %12s %12s %11s\n", metric, ba, bb, bd, br);
	return true;
}

static void row(struct dout *o, const char *metric, enum vkind k, struct val a, struct val b)
{
	row_x(o, metric, k, a, b, NULL);
}

static void section_end(struct dout *o)
{
	if (o->w && o->open) {
		jw_arr_end(o->w);
		jw_obj_end(o->w);
	}
	o->open = false;
}

/* an, bn: what each side of the section is (a device, a disk), NULL: not in
 * that recording; how: how they were paired */
static void section(struct dout *o, const char *title, const char *an, const char *bn, const char *how)
{
	section_end(o);
	if (o->w) {
		jw_obj_begin(o->w, NULL);
		jw_str(o->w, "name", title);
		jw_str(o->w, "a", an);
		jw_str(o->w, "b", bn);
		jw_str(o->w, "paired_by", how);
		jw_arr_begin(o->w, "rows");
		o->open = true;
		return;
	}
	fprintf(o->f, "\n%s", title);
	if (an || bn)
		fprintf(o->f, ": A %s, B %s", an ? an : "(none)", bn ? bn : "(none)");
	if (how)
		fprintf(o->f, " (%s)", how);
	fprintf(o->f, "\n  %-40s %12s %12s %12s %11s\n", "", "A", "B", "B-A", "B/A");
}

/* p50, p99 (with their log2 buckets) and mean of a stage pair; a side with no
 * samples is absent */
static void hist_rows(struct dout *o, const char *lbl, const struct net_hist *a, const struct net_hist *b)
{
	static const struct { const char *name; double q; } qs[] = { { "p50", .5 }, { "p99", .99 } };
	char m[96];

	if ((!a || !a->count) && (!b || !b->count))
		return;
	for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
		struct val va = absent, vb = absent;

		if (a && a->count) {
			va = ok(log2_quantile(a->slots, NET_HIST_SLOTS, qs[i].q));
			va.slot = log2_quantile_slot(a->slots, NET_HIST_SLOTS, qs[i].q);
		}
		if (b && b->count) {
			vb = ok(log2_quantile(b->slots, NET_HIST_SLOTS, qs[i].q));
			vb.slot = log2_quantile_slot(b->slots, NET_HIST_SLOTS, qs[i].q);
		}
		snprintf(m, sizeof(m), "%s %s", lbl, qs[i].name);
		row(o, m, K_NS, va, vb);
	}
	snprintf(m, sizeof(m), "%s mean", lbl);
	row(o, m, K_NS, a && a->count ? ok((double)a->sum_ns / a->count) : absent,
	    b && b->count ? ok((double)b->sum_ns / b->count) : absent);
}

/* Exits per unit by kind; a kind the side's recording measured no point of is n/m. */
static void exits_rows(struct dout *o, const char *unit, const unsigned long long *ea, unsigned long long ua,
		       const struct exits_measured *ma, const unsigned long long *eb, unsigned long long ub,
		       const struct exits_measured *mb)
{
	char m[96];

	for (int k = 0; k < EXK__COUNT; k++) {
		struct val va = !ea ? absent : ma->measured >> k & 1 ? ok(per(ea[k], ua)) : not_measured;
		struct val vb = !eb ? absent : mb->measured >> k & 1 ? ok(per(eb[k], ub)) : not_measured;

		snprintf(m, sizeof(m), "exits/%s %s", unit, exit_kind_name(k));
		row(o, m, K_RATIO, va, vb);
	}
}

/* --- network: one section per device and direction --- */

static bool dup_name(const struct net_report *r, int i)
{
	for (int j = 0; j < r->ndev; j++)
		if (j != i && r->dev[j].dir == r->dev[i].dir && !strcmp(r->dev[j].name, r->dev[i].name))
			return true;
	return false;
}

static const char *dev_label(const struct rec_data *d, int i, char *b, size_t n)
{
	const struct net_report_dev *x;

	if (i < 0)
		return NULL;
	x = &d->net->dev[i];
	if (dup_name(d->net, i))
		snprintf(b, n, "%s (netns %u)", x->name, x->netns);
	else
		snprintf(b, n, "%s", x->name);
	return b;
}

/* A's (or B's) devices of one direction, iface only if set; idx[] maps keys to dev[] */
static int net_keys(const struct rec_data *d, int dir, const char *iface, struct mkey *k, int *idx)
{
	int n = 0;

	for (int i = 0; d->has_net && i < d->net->ndev; i++) {
		const struct net_report_dev *x = &d->net->dev[i];

		if (x->dir != dir || (iface && strcmp(x->name, iface)))
			continue;
		k[n] = (struct mkey){ x->name, x->netns, x->a.started, false };
		idx[n++] = i;
	}
	return n;
}

static void net_rows(struct dout *o, const struct net_report_dev *x, const struct rec_data *A,
		     const struct net_report_dev *y, const struct rec_data *B)
{
	const struct net_agg *a = x ? &x->a : NULL, *b = y ? &y->a : NULL;
	unsigned long long pa = a ? (a->ended ? a->ended : a->started) : 0;
	unsigned long long pb = b ? (b->ended ? b->ended : b->started) : 0;
	double sa = A->net->seconds, sb = B->net->seconds;
	struct exits_measured ma, mb;
	char m[96];

	row(o, "packets", K_COUNT, of(a, a ? a->started : 0), of(b, b ? b->started : 0));
	row(o, "bytes", K_COUNT, of(a, a ? a->bytes : 0), of(b, b ? b->bytes : 0));
	row(o, "bytes/packet", K_RATIO, of(a, a ? per(a->bytes, a->started) : 0),
	    of(b, b ? per(b->bytes, b->started) : 0));
	row(o, "packets/s", K_RATIO, rate(a, a ? a->started : 0, sa), rate(b, b ? b->started : 0, sb));
	row(o, "throughput (Mbit/s)", K_RATIO, rate(a, a ? a->bytes * 8e-6 : 0, sa),
	    rate(b, b ? b->bytes * 8e-6 : 0, sb));
	for (int s = 0; s < NS__COUNT; s++)
		for (int f = 0; f < NS__COUNT; f++) {
			snprintf(m, sizeof(m), "%s -> %s", net_stage_name(f), net_stage_name(s));
			hist_rows(o, m, x ? &x->pair[f][s] : NULL, y ? &y->pair[f][s] : NULL);
		}
	{
		struct net_hist ta = {}, tb = {};

		if (a) {
			ta = (struct net_hist){ .count = a->ended, .sum_ns = a->total_sum_ns };
			memcpy(ta.slots, a->total_hist, sizeof(ta.slots));
		}
		if (b) {
			tb = (struct net_hist){ .count = b->ended, .sum_ns = b->total_sum_ns };
			memcpy(tb.slots, b->total_hist, sizeof(tb.slots));
		}
		hist_rows(o, "total (first -> last)", &ta, &tb);
	}
	row(o, "path length (probe hits/packet)", K_RATIO, of(a, a ? per(a->len_sum, a->ended) : 0),
	    of(b, b ? per(b->len_sum, b->ended) : 0));
	exits_measured_of(A->pts, A->n, &ma);
	exits_measured_of(B->pts, B->n, &mb);
	exits_rows(o, "packet", a ? a->exits : NULL, pa, &ma, b ? b->exits : NULL, pb, &mb);
	row(o, "irqs/packet", K_RATIO, of(a, a ? per(a->irqs, pa) : 0), of(b, b ? per(b->irqs, pb) : 0));
	row(o, "polls/packet", K_RATIO, of(a, a ? per(a->polls, pa) : 0), of(b, b ? per(b->polls, pb) : 0));
	row(o, "drops/packet", K_RATIO, of(a, a ? per(a->drops, pa) : 0), of(b, b ? per(b->drops, pb) : 0));
}

static int net_sections(struct dout *o, const struct rec_data *A, const struct rec_data *B,
			const struct rec_diff_opts *op)
{
	int na = A->net->ndev, nb = B->net->ndev, ret = 0;
	struct mkey *ka = calloc(na + 1, sizeof(*ka)), *kb = calloc(nb + 1, sizeof(*kb));
	int *ia = calloc(na + 1, sizeof(*ia)), *ib = calloc(nb + 1, sizeof(*ib));
	struct mpair *p = calloc(na + nb + 1, sizeof(*p));

	if (!ka || !kb || !ia || !ib || !p) {
		ret = -ENOMEM;
		goto out;
	}
	for (int dir = DIR_TX; dir <= DIR_RX; dir++) {
		int ka_n = net_keys(A, dir, op->ia, ka, ia), kb_n = net_keys(B, dir, op->ib, kb, ib);
		int np = role_match(ka, ka_n, kb, kb_n, op->ia && op->ib, p);

		for (int i = 0; i < np; i++) {
			int x = p[i].a >= 0 ? ia[p[i].a] : -1, y = p[i].b >= 0 ? ib[p[i].b] : -1;
			char la[64], lb[64];

			section(o, dir == DIR_TX ? "network TX" : "network RX", dev_label(A, x, la, sizeof(la)),
				dev_label(B, y, lb, sizeof(lb)), role_match_how(p[i].how, "packets"));
			net_rows(o, x >= 0 ? &A->net->dev[x] : NULL, A, y >= 0 ? &B->net->dev[y] : NULL, B);
		}
	}
out:
	free(ka);
	free(kb);
	free(ia);
	free(ib);
	free(p);
	return ret;
}

/* --- block: one section per disk and op, size classes summed --- */

static void blk_rows(struct dout *o, const struct blk_unit *x, const struct rec_data *A, const struct blk_unit *y,
		     const struct rec_data *B)
{
	const struct blk_agg *a = x ? &x->a : NULL, *b = y ? &y->a : NULL;
	unsigned long long ra = a ? a->requests : 0, rb = b ? b->requests : 0;
	double sa = A->blk->seconds, sb = B->blk->seconds;
	struct exits_measured ma, mb;
	char m[96];

	row(o, "requests", K_COUNT, of(a, ra), of(b, rb));
	row(o, "bytes", K_COUNT, of(a, a ? a->bytes : 0), of(b, b ? b->bytes : 0));
	row(o, "bytes/request", K_RATIO, of(a, a ? per(a->bytes, ra) : 0), of(b, b ? per(b->bytes, rb) : 0));
	row(o, "requests/s", K_RATIO, rate(a, ra, sa), rate(b, rb, sb));
	row(o, "throughput (MB/s)", K_RATIO, rate(a, a ? a->bytes * 1e-6 : 0, sa), rate(b, b ? b->bytes * 1e-6 : 0, sb));
	for (int s = 0; s < BS__COUNT; s++)
		for (int f = 0; f < BS__COUNT; f++) {
			snprintf(m, sizeof(m), "%s -> %s", blk_stage_name(f), blk_stage_name(s));
			hist_rows(o, m, x ? &x->pair[f][s] : NULL, y ? &y->pair[f][s] : NULL);
		}
	{
		struct net_hist ta = {}, tb = {};

		if (a) {
			ta = (struct net_hist){ .count = ra, .sum_ns = a->total_sum_ns };
			memcpy(ta.slots, a->total_hist, sizeof(ta.slots));
		}
		if (b) {
			tb = (struct net_hist){ .count = rb, .sum_ns = b->total_sum_ns };
			memcpy(tb.slots, b->total_hist, sizeof(tb.slots));
		}
		hist_rows(o, "total (first -> last)", &ta, &tb);
	}
	row(o, "path length (probe hits/request)", K_RATIO, of(a, a ? per(a->len_sum, ra) : 0),
	    of(b, b ? per(b->len_sum, rb) : 0));
	exits_measured_of(A->pts, A->n, &ma);
	exits_measured_of(B->pts, B->n, &mb);
	exits_rows(o, "request", a ? a->exits : NULL, ra, &ma, b ? b->exits : NULL, rb, &mb);
	/* interrupts are counted per disk, not per op: the disk's over all its requests */
	row(o, "irqs/request (the disk, every op)", K_RATIO, of(x, x ? per(x->disk_irqs, x->disk_requests) : 0),
	    of(y, y ? per(y->disk_irqs, y->disk_requests) : 0));
	row(o, "irq stage/request", K_RATIO, of(a, a ? per(a->stage[BS_IRQ], ra) : 0),
	    of(b, b ? per(b->stage[BS_IRQ], rb) : 0));
	row(o, "grants/request", K_RATIO, of(a, a ? per(a->grants, ra) : 0), of(b, b ? per(b->grants, rb) : 0));
	row(o, "bounces/request", K_RATIO, of(a, a ? per(a->bounces, ra) : 0), of(b, b ? per(b->bounces, rb) : 0));
	row(o, "errors/request", K_RATIO, of(a, a ? per(a->errors, ra) : 0), of(b, b ? per(b->errors, rb) : 0));
}

static int blk_sections(struct dout *o, const struct rec_data *A, const struct rec_data *B)
{
	struct blk_unit *ua = calloc(A->blk->ncls + 1, sizeof(*ua)), *ub = calloc(B->blk->ncls + 1, sizeof(*ub));
	struct mkey *ka = calloc(A->blk->ncls + 1, sizeof(*ka)), *kb = calloc(B->blk->ncls + 1, sizeof(*kb));
	struct mpair *p = calloc(A->blk->ncls + B->blk->ncls + 1, sizeof(*p));
	int ret = 0;

	if (!ua || !ub || !ka || !kb || !p) {
		ret = -ENOMEM;
		goto out;
	}
	for (int op = 0; op < BOP__COUNT; op++) {
		int na = blk_units(A->blk, op, ua), nb = blk_units(B->blk, op, ub), np;
		char t[64];

		for (int i = 0; i < na; i++)
			ka[i] = (struct mkey){ ua[i].disk, 0, ua[i].a.requests, false };
		for (int i = 0; i < nb; i++)
			kb[i] = (struct mkey){ ub[i].disk, 0, ub[i].a.requests, false };
		np = role_match(ka, na, kb, nb, false, p);
		snprintf(t, sizeof(t), "block %s", blk_op_name(op));
		for (int i = 0; i < np; i++) {
			const struct blk_unit *x = p[i].a >= 0 ? &ua[p[i].a] : NULL, *y = p[i].b >= 0 ? &ub[p[i].b] : NULL;

			section(o, t, x ? x->disk : NULL, y ? y->disk : NULL, role_match_how(p[i].how, "requests"));
			blk_rows(o, x, A, y, B);
		}
	}
out:
	free(ua);
	free(ub);
	free(ka);
	free(kb);
	free(p);
	return ret;
}

/* --- hypervisor crossings, per second --- */

struct cross {
	unsigned long long hits[ROLE__COUNT];
	bool measured[ROLE__COUNT];   /* a point of the role that can leave the guest attached */
	const char *why[ROLE__COUNT]; /* none attached: the first such point's reason, else NULL */
	bool mc, msr;                 /* the multicall and MSR-write tracepoints attached */
	double seconds;
};

static bool crossing_point(const struct resolved *r)
{
	return r->pt->kind != KIND_FUNC_RET &&
	       (r->pt->flags & (PF_EXIT | PF_MAYBE_EXIT) || r->pt->role == ROLE_UPCALL);
}

static double rec_seconds(const struct rec_data *d)
{
	if (d->has_exits && d->exits->seconds > 0)
		return d->exits->seconds;
	if (d->has_net && d->net->seconds > 0)
		return d->net->seconds;
	if (d->has_blk && d->blk->seconds > 0)
		return d->blk->seconds;
	return d->end_unix > d->start_unix ? d->end_unix - d->start_unix : 0;
}

static void cross_of(const struct rec_data *d, struct cross *c)
{
	memset(c, 0, sizeof(*c));
	for (unsigned i = 0; i < d->n; i++) {
		const struct resolved *r = &d->pts[i];

		if (r->status != PST_ATTACHED) {
			/* why this crossing cannot be counted here (said, never shown as 0) */
			if (crossing_point(r) && !c->why[r->pt->role] && r->status != PST_NOT_APPLICABLE)
				c->why[r->pt->role] = r->reason;
			continue;
		}
		if (crossing_point(r)) {
			c->hits[r->pt->role] += r->hits;
			c->measured[r->pt->role] = true;
		}
		c->mc |= !strcmp(r->symbol, "xen_mc_flush");
		c->msr |= !strcmp(r->symbol, "write_msr");
	}
	c->mc &= d->has_exits;
	c->msr &= d->has_exits;
	c->seconds = rec_seconds(d);
	for (int r = 0; r < ROLE__COUNT; r++)
		if (c->measured[r])
			c->why[r] = NULL;
}

/* A crossing role neither side measured, though a point of it was planned on one: row() would
 * hide it (no side has a value), so it is said here, n/m on both sides with the reasons. */
static void nm_row(struct dout *o, const char *role, const char *wa, const char *wb)
{
	if (o->w) {
		jw_obj_begin(o->w, NULL);
		jw_str(o->w, "metric", role);
		jw_null(o->w, "a");
		jw_null(o->w, "b");
		jw_str(o->w, "a_is", wa ? "not measured" : "absent");
		jw_str(o->w, "b_is", wb ? "not measured" : "absent");
		jw_str(o->w, "a_why", wa);
		jw_str(o->w, "b_why", wb);
		jw_obj_end(o->w);
		return;
	}
	fprintf(o->f, "  %-40s %12s %12s %12s %11s\n", role, wa ? "n/m" : "-", wb ? "n/m" : "-", "-", "-");
	if (wa && wb && !strcmp(wa, wb))
		fprintf(o->f, "    not measured in A and B: %s\n", wa);
	else {
		if (wa)
			fprintf(o->f, "    not measured in A: %s\n", wa);
		if (wb)
			fprintf(o->f, "    not measured in B: %s\n", wb);
	}
}

static struct val cross_val(bool measured, double count, double seconds)
{
	return measured && seconds > 0 ? ok(count / seconds) : not_measured;
}

static void cross_section(struct dout *o, const struct rec_data *A, const struct rec_data *B)
{
	struct cross a, b;

	cross_of(A, &a);
	cross_of(B, &b);
	section(o, "hypervisor crossings per second (by role)", NULL, NULL, NULL);
	for (int r = 0; r < ROLE__COUNT; r++)
		if (!a.measured[r] && !b.measured[r] && (a.why[r] || b.why[r]))
			nm_row(o, role_name(r), a.why[r], b.why[r]);
		else
			row(o, role_name(r), K_RATIO, cross_val(a.measured[r], a.hits[r], a.seconds),
			    cross_val(b.measured[r], b.hits[r], b.seconds));
	row(o, "PV multicall hypercalls", K_RATIO,
	    cross_val(a.mc, a.mc ? A->exits->ctr[EXC_MC_HYPERCALL] : 0, a.seconds),
	    cross_val(b.mc, b.mc ? B->exits->ctr[EXC_MC_HYPERCALL] : 0, b.seconds));
	row(o, "MSR writes", K_RATIO, cross_val(a.msr, a.msr ? A->exits->ctr[EXC_MSR_WRITES] : 0, a.seconds),
	    cross_val(b.msr, b.msr ? B->exits->ctr[EXC_MSR_WRITES] : 0, b.seconds));
}

/* --- around the I/O path: the traced tasks (record --exits with -- CMD or --pid) --- */

/* One side's value of a task row per unit u (u < 0: the count): n/m where the row was not
 * measured, absent where the recording has no such unit (no packets, no block path). */
static struct val task_val(const struct rec_tasks *t, const struct task_row_val *v, int u)
{
	double x;

	if (v->how != TH_MEASURED)
		return not_measured;
	if (u < 0)
		return ok(v->count);
	if (rec_tasks_per(t, v->count, u, &x))
		return u == RT_SECOND ? not_measured : absent;
	return ok(x);
}

static struct val derived_val(const struct rec_tasks *t, int u)
{
	double x;

	if (t->derived.how != TH_DERIVED)
		return not_measured;
	if (u < 0)
		return ok(t->derived.crossings);
	if (rec_tasks_per(t, t->derived.crossings, u, &x))
		return u == RT_SECOND ? not_measured : absent;
	return ok(x);
}

/* The model's verdict for a measured row on t's platform (JSON a_verdict, b_verdict). */
static const char *verdict_of(const struct rec_tasks *t, const struct task_row_val *v)
{
	return v->how == TH_MEASURED && t->platform != XP_UNKNOWN ?
	       exit_verdict_name(exit_model_verdict(v->kind, t->platform)) : NULL;
}

/* "    not measured in A: why" (text), once for a group of rows; a side with no traced tasks at
 * all was said once under the heading. */
static void task_why(struct dout *o, const char *side, bool scoped, bool nm, const char *why)
{
	if (!o->w && scoped && nm)
		fprintf(o->f, "    not measured in %s: %s\n", side, why);
}

/* The model's verdict for each row on one side's platform, in one line (text). */
static void task_model_line(struct dout *o, const char *side, const struct rec_tasks *t)
{
	int off;
	char b[400];

	if (!t->scoped || o->w)
		return;
	if (t->platform == XP_UNKNOWN) {
		fprintf(o->f, "  exit model, %s: the platform is not in the model (each row may or may not exit)\n", side);
		return;
	}
	off = snprintf(b, sizeof(b), "  exit model, %s on %s:", side, exit_model_platform_name(t->platform));
	for (int i = 0; i < TR__COUNT && off < (int)sizeof(b); i++)
		if (t->row[i].how == TH_MEASURED)
			off += snprintf(b + off, sizeof(b) - off, "%s %s: %s", i ? "," : "", t->row[i].label,
					exit_verdict_name(exit_model_verdict(t->row[i].kind, t->platform)));
	fprintf(o->f, "%s\n", b);
}

static void tasks_section(struct dout *o, const struct rec_data *A, const struct rec_data *B)
{
	struct rec_tasks a, b;
	char m[96], wa[240], wb[240], pa[32], pb[32];
	struct rowx x;

	rec_tasks_of(A, &a);
	rec_tasks_of(B, &b);
	if (a.scoped)
		snprintf(pa, sizeof(pa), "pid %u", A->exits->task_pid);
	if (b.scoped)
		snprintf(pb, sizeof(pb), "pid %u", B->exits->task_pid);
	section(o, "around the I/O path (the traced tasks)", a.scoped ? pa : NULL, b.scoped ? pb : NULL, NULL);
	if (!a.scoped && !b.scoped) {
		nm_row(o, "traced tasks", a.scope, b.scope);
		return;
	}
	if (!o->w && !a.scoped)
		fprintf(o->f, "  not measured in A: %s\n", a.scope);
	if (!o->w && !b.scoped)
		fprintf(o->f, "  not measured in B: %s\n", b.scope);
	for (int i = 0; i < TR__COUNT; i++) {
		const struct task_row_val *va = &a.row[i], *vb = &b.row[i];
		bool shown = false;

		for (int u = -1; u < RT__COUNT; u++) {
			if (u < 0)
				snprintf(m, sizeof(m), "%s", va->label);
			else
				snprintf(m, sizeof(m), "%s/%s", va->label, rec_tasks_unit(u));
			x = (struct rowx){ u == RT_SECOND && va->how == TH_MEASURED ? a.none[u] : va->why,
					   u == RT_SECOND && vb->how == TH_MEASURED ? b.none[u] : vb->why,
					   verdict_of(&a, va), verdict_of(&b, vb), false };
			shown |= row_x(o, m, u < 0 ? K_COUNT : K_RATIO, task_val(&a, va, u), task_val(&b, vb, u), &x);
		}
		if (shown) {
			task_why(o, "A", a.scoped, va->how != TH_MEASURED, va->why);
			task_why(o, "B", b.scoped, vb->how != TH_MEASURED, vb->why);
		}
	}
	{
		bool shown = false;

		snprintf(wa, sizeof(wa), "not derived: %s", a.derived.why);
		snprintf(wb, sizeof(wb), "not derived: %s", b.derived.why);
		for (int u = -1; u < RT__COUNT; u++) {
			if (u < 0)
				snprintf(m, sizeof(m), "crossings derived");
			else
				snprintf(m, sizeof(m), "crossings derived/%s", rec_tasks_unit(u));
			x = (struct rowx){ !a.scoped ? a.scope : a.derived.how != TH_DERIVED ? wa : a.none[u < 0 ? 0 : u],
					   !b.scoped ? b.scope : b.derived.how != TH_DERIVED ? wb : b.none[u < 0 ? 0 : u],
					   NULL, NULL, true };
			shown |= row_x(o, m, u < 0 ? K_COUNT : K_RATIO, derived_val(&a, u), derived_val(&b, u), &x);
		}
		for (int s = 0; shown && !o->w && s < 2; s++) {
			const struct rec_tasks *t = s ? &b : &a;

			if (!t->scoped)
				continue;
			if (t->derived.how == TH_DERIVED)
				fprintf(o->f, "    %s: DERIVED from the exit model, not measured: %s\n", s ? "B" : "A",
					t->derived.model);
			else
				fprintf(o->f, "    not derived in %s: %s\n", s ? "B" : "A", t->derived.why);
		}
	}
	task_model_line(o, "A", &a);
	task_model_line(o, "B", &b);
}

static void recording_section(struct dout *o, const struct rec_data *A, const struct rec_data *B)
{
	unsigned pa = 0, pb = 0;
	double sa = rec_seconds(A), sb = rec_seconds(B);

	for (unsigned i = 0; i < A->n; i++)
		pa += A->pts[i].status == PST_ATTACHED;
	for (unsigned i = 0; i < B->n; i++)
		pb += B->pts[i].status == PST_ATTACHED;
	section(o, "recording", NULL, NULL, NULL);
	row(o, "duration (s)", K_RATIO, sa > 0 ? ok(sa) : not_measured, sb > 0 ? ok(sb) : not_measured);
	row(o, "probe points attached", K_COUNT, ok(pa), ok(pb));
}

/* --- what the two share --- */

static const char *has_list(const struct rec_data *d)
{
	return d->has_net && d->has_blk ? "network and block paths" : d->has_net ? "network path only" :
	       d->has_blk ? "block path only" : "neither network nor block path";
}

/* Notes on sections only one recording has, into n[] (one line each). */
static int share_notes(const struct rec_data *A, const struct rec_data *B, char n[3][200])
{
	int k = 0;

	if (!(A->has_net && B->has_net) && !(A->has_blk && B->has_blk)) {
		snprintf(n[k++], 200, "A and B share no network or block section (A: %s; B: %s): only the "
			 "recordings and their hypervisor crossings compare", has_list(A), has_list(B));
		return k;
	}
	if (A->has_net != B->has_net)
		snprintf(n[k++], 200, "the network path is in %s only: not compared", A->has_net ? "A" : "B");
	if (A->has_blk != B->has_blk)
		snprintf(n[k++], 200, "the block path is in %s only: not compared", A->has_blk ? "A" : "B");
	return k;
}

static const char resolution[] =
	"p50/p99 are interpolated inside log2 buckets (each spans 2x: [512ns,1us), [1us,2us) ...):\n"
	"two values within 2x of each other may lie in one bucket; 'same bucket' marks such a pair,\n"
	"whose difference means nothing";

int rec_diff_check(const struct rec_data *A, const struct rec_data *B, const struct rec_diff_opts *o,
		   char *err, size_t errlen)
{
	const struct rec_data *d[2] = { A, B };
	const char *want[2] = { o->ia, o->ib }, *file[2] = { o->a_file, o->b_file }, *flag[2] = { "-a", "-b" };

	for (int s = 0; s < 2; s++) {
		int off, i;

		if (!want[s])
			continue;
		if (!d[s]->has_net) {
			snprintf(err, errlen, "%s %s: %s has no network path to pick an interface of", flag[s], want[s],
				 file[s]);
			return -ENOENT;
		}
		for (i = 0; i < d[s]->net->ndev && strcmp(d[s]->net->dev[i].name, want[s]); i++)
			;
		if (i < d[s]->net->ndev)
			continue;
		off = snprintf(err, errlen, "%s %s: %s has no such interface (it has:", flag[s], want[s], file[s]);
		for (i = 0; i < d[s]->net->ndev && off < (int)errlen; i++) {
			int j;

			for (j = 0; j < i && strcmp(d[s]->net->dev[j].name, d[s]->net->dev[i].name); j++)
				;
			if (j == i)
				off += snprintf(err + off, errlen - off, "%s %s", i ? "," : "", d[s]->net->dev[i].name);
		}
		if (off < (int)errlen)
			snprintf(err + off, errlen - off, "%s)", d[s]->net->ndev ? "" : " none");
		return -ENOENT;
	}
	return 0;
}

static void side_json(struct jw *w, const char *key, const char *file, const struct rec_data *d)
{
	jw_obj_begin(w, key);
	jw_str(w, "file", file);
	jw_str(w, "iopath_version", d->version);   /* of the build that recorded it: the two may differ */
	jw_str(w, "kernel", d->kernel);
	jw_str(w, "platform", d->platform);
	jw_bool(w, "net", d->has_net);
	jw_bool(w, "blk", d->has_blk);
	jw_obj_end(w);
}

int rec_diff_print(FILE *f, const struct rec_data *A, const struct rec_data *B, const struct rec_diff_opts *op,
		   bool json)
{
	struct jw w;
	struct dout o = { f, NULL, false, false };
	char notes[3][200];
	int nn = share_notes(A, B, notes), ret = 0;

	if (json) {
		jw_init(&w, f, true);
		o.w = &w;
		jw_obj_begin(&w, NULL);
		jw_schema_version(&w);
		side_json(&w, "a", op->a_file, A);
		side_json(&w, "b", op->b_file, B);
		jw_arr_begin(&w, "notes");
		for (int i = 0; i < nn; i++)
			jw_str(&w, NULL, notes[i]);
		jw_arr_end(&w);
		{
			char one[sizeof(resolution)];

			for (size_t i = 0; i < sizeof(one); i++)
				one[i] = resolution[i] == '\n' ? ' ' : resolution[i];
			jw_str(&w, "quantiles", one);
		}
		jw_arr_begin(&w, "sections");
	} else {
		fprintf(f, "A: %s (%s, kernel %s)\nB: %s (%s, kernel %s)\n", op->a_file, A->platform, A->kernel,
			op->b_file, B->platform, B->kernel);
		for (int i = 0; i < nn; i++)
			fprintf(f, "note: %s\n", notes[i]);
	}
	recording_section(&o, A, B);
	if (A->has_net && B->has_net)
		ret = net_sections(&o, A, B, op);
	if (!ret && A->has_blk && B->has_blk)
		ret = blk_sections(&o, A, B);
	if (!ret)
		cross_section(&o, A, B);
	if (!ret)
		tasks_section(&o, A, B);
	section_end(&o);
	if (json) {
		jw_arr_end(&w);
		jw_obj_end(&w);
		jw_finish(&w);
	} else if (o.quantiles) {
		fprintf(f, "\n%s.\n", resolution);
	}
	return ret;
}
