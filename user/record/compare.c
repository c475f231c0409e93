#include "record/compare.h"
#include "record/compare_rows.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/profiles.h"
#include "out/hist.h"
#include "record/rectasks.h"
#include "record/rolematch.h"
#include "report/common.h"
#include "report/exitmodel.h"
#include "report/host_names.h"

/* --- labels --- */

/* Drivers of the path (PP_NET/PP_BLK profiles in a module, not core code) whose points fired in
 * the recording: the traffic went through them (a driver merely loaded may carry none of it). */
static int drivers_of(const struct rec_data *d, char *b, size_t len)
{
	const char *seen[16];
	int ns = 0, off = 0;

	b[0] = 0;
	for (unsigned i = 0; i < d->n && ns < 16; i++) {
		const struct resolved *r = &d->pts[i];
		const struct profile *p = r->pt ? profile_find(r->pt->profile) : NULL;
		const char *m;
		int j;

		if (!p || !(p->paths & (PP_NET | PP_BLK)) || !strcmp(p->module, "vmlinux") ||
		    r->status != PST_ATTACHED || !r->hits)
			continue;
		for (j = 0; j < ns && strcmp(seen[j], p->module); j++)
			;
		if (j < ns)
			continue;
		seen[ns++] = p->module;
		m = !strncmp(p->module, "xen_", 4) ? p->module + 4 : p->module;   /* xen_netfront: netfront */
		off += snprintf(b + off, off < (int)len ? len - off : 0, "%s%s", ns > 1 ? ", " : "", m);
	}
	return ns;
}

/* The busiest network device and the busiest disk, when no driver says what they are. */
static void devices_of(const struct rec_data *d, char *b, size_t len)
{
	const char *nic = NULL, *disk = NULL;
	unsigned long long bn = 0, bd = 0;

	for (int i = 0; d->has_net && i < d->net->ndev; i++)
		if (d->net->dev[i].a.started > bn) {
			bn = d->net->dev[i].a.started;
			nic = d->net->dev[i].name;
		}
	for (int i = 0; d->has_blk && i < d->blk->ncls; i++)
		if (d->blk->cls[i].a.requests > bd) {
			bd = d->blk->cls[i].a.requests;
			disk = d->blk->cls[i].disk;
		}
	snprintf(b, len, "%s%s%s", nic ? nic : "", nic && disk ? ", " : "", disk ? disk : "");
}

void compare_label_of(const struct rec_data *d, char *buf, size_t len)
{
	char what[128];

	if (!drivers_of(d, what, sizeof(what)))
		devices_of(d, what, sizeof(what));
	if (d->has_host && !d->has_net && !d->has_blk)
		snprintf(what, sizeof(what), "host side");
	snprintf(buf, len, "%s%s%s%s", d->platform[0] ? d->platform : "unknown platform", what[0] ? " (" : "",
		 what, what[0] ? ")" : "");
}

/* The platform a guest detects cannot tell that its hypervisor itself runs under QEMU TCG or
 * nested: record --environment says so (the lab gives "... under QEMU TCG"). */
bool compare_times_unreal(const struct rec_data *d)
{
	const char *s[] = { d->platform, d->environment };

	for (int i = 0; i < 2; i++)
		if (strstr(s[i], "TCG") || strstr(s[i], "emulat") || strstr(s[i], "nested"))
			return true;
	return false;
}

/* --- crossings: each exit kind charged to a packet or request, by the column's exit model --- */

static int verdict_rank(int v)
{
	return v == XV_EXITS ? 3 : v == XV_MAY ? 2 : v == XV_STAYS ? 1 : 0;
}

/* The exit model's kind behind exit kind k in recording d (its attached points of that role),
 * with the verdict on the recording's platform and the model's reason, into c. */
static void mechanism(const struct rec_data *d, int k, struct cmp_cell *c)
{
	enum xm_platform p = exit_model_platform_of_name(d->platform);
	unsigned long long best = 0;
	int kind = XM_NONE, nkinds = 0, seen[XM__COUNT] = {};
	bool msr = false;

	for (unsigned i = 0; i < d->n; i++) {
		const struct resolved *r = &d->pts[i];
		int xk;

		if (r->status != PST_ATTACHED || point_charged_kind(r->pt) != k)
			continue;
		xk = exit_model_point_kind(r->pt);
		if (xk == XM_BY_MSR) {
			msr = true;
			continue;
		}
		if (xk < 0 || exit_model_row(xk)->total)
			continue;
		nkinds += !seen[xk]++;
		if (kind == XM_NONE || r->hits > best) {
			kind = xk;
			best = r->hits;
		}
	}
	if (kind == XM_NONE) {
		snprintf(c->mech, sizeof(c->mech), "%s", msr ? "wrmsr" : exit_kind_name(k));
		c->verdict = XV_MAY;
		snprintf(c->why, sizeof(c->why), "%s", msr ? "depends on the MSR written (iopath report: MSR rows)"
							   : "no exit-model kind for this probe");
		return;
	}
	{
		const struct xm_row *row = exit_model_row(kind);

		snprintf(c->mech, sizeof(c->mech), "%s%s", row->name, nkinds > 1 || msr ? "+" : "");
		c->verdict = exit_model_verdict(kind, p);
		if (p == XP_UNKNOWN)
			snprintf(c->why, sizeof(c->why), "unmodelled platform: it may");
		else
			snprintf(c->why, sizeof(c->why), "%s", row->cell[p].why);
		/* kinds with other verdicts under one count: the count may exit, no more is known */
		for (int x = 0; x < XM__COUNT; x++)
			if (seen[x] && x != kind && verdict_rank(exit_model_verdict(x, p)) != verdict_rank(c->verdict))
				c->verdict = XV_MAY;
	}
}

/* Per column: the unit's exits[] and unit count, NULL where the column has no such unit. */
struct xin {
	const unsigned long long *exits;
	unsigned long long units;
	const char *none;   /* why a column without the unit has no value */
};

/* The per-column scratch of a section's rows (net_rows, blk_rows): what each column has, a
 * ratio's numerator and denominator, why a column has none, its histograms, its total, its
 * crossings input. 0, or -ENOMEM with nothing left allocated. */
struct cols {
	bool *have;
	double *num, *den;
	const char **none;
	const struct net_hist **h;
	struct net_hist *tot;
	struct xin *xi;
};

static void cols_free(struct cols *c)
{
	free(c->have);
	free(c->num);
	free(c->den);
	free(c->none);
	free(c->h);
	free(c->tot);
	free(c->xi);
	memset(c, 0, sizeof(*c));
}

static int cols_alloc(struct cols *c, int n)
{
	c->have = calloc(n, sizeof(*c->have));
	c->num = calloc(n, sizeof(*c->num));
	c->den = calloc(n, sizeof(*c->den));
	c->none = calloc(n, sizeof(*c->none));
	c->h = calloc(n, sizeof(*c->h));
	c->tot = calloc(n, sizeof(*c->tot));
	c->xi = calloc(n, sizeof(*c->xi));
	if (c->have && c->num && c->den && c->none && c->h && c->tot && c->xi)
		return 0;
	cols_free(c);
	return -ENOMEM;
}

/* "at least: notify, ipi not measured (why)": the kinds a sum lacks and the first one's reason. */
static void lower_bound_why(char *b, size_t len, const struct cmp_cell *kc)
{
	int off = snprintf(b, len, "at least: ");
	const char *why = NULL;

	for (int k = 0; k < EXK__COUNT && off < (int)len; k++)
		if (!kc[k].ok) {
			off += snprintf(b + off, len - off, "%s%s", why ? ", " : "", exit_kind_name(k));
			why = why ? why : kc[k].why;
		}
	if (off < (int)len)
		snprintf(b + off, len - off, " not measured (%s)", why);
}

static void crossing_rows(struct cmp_sb *b, const struct cmp_group *g, const struct cmp_input *in,
			  const struct xin *x, const char *unit)
{
	static const struct { int v; const char *name; } sums[] = {
		{ XV_EXITS, "exits" }, { XV_MAY, "may exit" }, { XV_STAYS, "stays in the guest" },
	};
	struct exits_measured *m = calloc(b->ncol, sizeof(*m));
	struct cmp_cell (*kc)[EXK__COUNT] = calloc(b->ncol, sizeof(*kc));
	char name[64];

	if (!m || !kc) {
		b->err = true;
		goto out;
	}
	for (int j = 0; j < b->ncol; j++) {
		const struct rec_data *d = in[g->col[j].in].d;

		exits_measured_of(d->pts, d->n, &m[j]);
		for (int k = 0; k < EXK__COUNT; k++) {
			struct cmp_cell *c = &kc[j][k];

			if (!x[j].exits) {
				cmp_absent(c, x[j].none);
			} else if (!(m[j].measured >> k & 1)) {
				char why[200];

				snprintf(why, sizeof(why), "%s%s%s", m[j].point[k], m[j].point[k][0] ? ": " : "",
					 m[j].why[k][0] ? m[j].why[k] : "no probe counts this kind here");
				cmp_nm(c, why);
			} else {
				cmp_val(c, cmp_per(x[j].exits[k], x[j].units));
				mechanism(d, k, c);
			}
		}
	}
	for (size_t s = 0; s < sizeof(sums) / sizeof(sums[0]); s++) {
		struct cmp_row *r;

		snprintf(name, sizeof(name), "%s/%s", sums[s].name, unit);
		if (!(r = cmp_add_row(b, name, CF_RATIO, sums[s].v == XV_EXITS ? CR_EXITS_TOTAL : CR_NONE)))
			goto out;
		for (int j = 0; j < b->ncol; j++) {
			double sum = 0;
			bool any = false, missing = false;

			for (int k = 0; k < EXK__COUNT; k++) {
				if (!kc[j][k].ok) {
					missing = true;
					continue;
				}
				any = true;
				if (kc[j][k].verdict == sums[s].v)
					sum += kc[j][k].v;
			}
			if (!any) {
				cmp_nm(&r->c[j], kc[j][0].why);
				r->c[j].absent = kc[j][0].absent;
			}
			else {
				cmp_val(&r->c[j], sum);
				r->c[j].lower_bound = missing;
				if (missing)
					lower_bound_why(r->c[j].why, sizeof(r->c[j].why), kc[j]);
			}
		}
	}
	for (int k = 0; k < EXK__COUNT; k++) {
		struct cmp_row *r;

		snprintf(name, sizeof(name), "  %s/%s", exit_kind_name(k), unit);
		if (!(r = cmp_add_row(b, name, CF_RATIO, CR_CROSSING)))
			goto out;
		for (int j = 0; j < b->ncol; j++)
			r->c[j] = kc[j][k];
		cmp_drop_if_empty(b);
	}
out:
	free(m);
	free(kc);
}

/* --- stage latencies --- */

static void quantile_cell(struct cmp_cell *c, const struct net_hist *h, double q, const char *none)
{
	if (!h)
		cmp_absent(c, none);
	else if (!h->count)
		cmp_nm(c, "no samples of this stage");
	else
		cmp_val(c, log2_quantile(h->slots, NET_HIST_SLOTS, q));
}

/* p50 and p99 of one stage pair; h[j] NULL: the column has no such unit (none[j] says why). */
static void stage_rows(struct cmp_sb *b, const char *label, const struct net_hist *const *h, const char *const *none)
{
	static const struct { const char *name; double q; } qs[] = { { "p50", .5 }, { "p99", .99 } };
	bool any = false;
	char name[64];

	for (int j = 0; j < b->ncol; j++)
		any |= h[j] && h[j]->count;
	if (!any)
		return;
	for (size_t i = 0; i < 2; i++) {
		struct cmp_row *r;

		snprintf(name, sizeof(name), "%s %s", label, qs[i].name);
		if (!(r = cmp_add_row(b, name, CF_NS, CR_NONE)))
			return;
		for (int j = 0; j < b->ncol; j++)
			quantile_cell(&r->c[j], h[j], qs[i].q, none[j]);
	}
}

/* A row of per-unit ratios: num[j]/den[j]; have[j] false: not measured, why none[j]. */
static void ratio_row(struct cmp_sb *b, const char *name, enum cmp_rule rule, const bool *have,
		      const double *num, const double *den, const char *const *none, bool drop_zero)
{
	struct cmp_row *r = cmp_add_row(b, name, CF_RATIO, rule);

	if (!r)
		return;
	for (int j = 0; j < b->ncol; j++) {
		if (have[j])
			cmp_val(&r->c[j], den[j] ? num[j] / den[j] : 0);
		else
			cmp_absent(&r->c[j], none[j]);
	}
	if (drop_zero)
		cmp_drop_if_empty(b);
}

/* --- sections: units matched across the columns --- */

/* A unit per column (an index into that recording's devices or blk_units, -1 none). */
struct usec {
	int *idx;
	struct mkey key;      /* the first column's unit that made it: the one the others match */
	int how;
};

struct ulist {
	int n, cap;
	struct usec *u;
};

static int ulist_add(struct ulist *l, int ncol, int col, int idx, const struct mkey *k)
{
	struct usec *u;

	if (l->n == l->cap) {
		int nc = l->cap ? l->cap * 2 : 8;
		struct usec *p = realloc(l->u, nc * sizeof(*p));

		if (!p)
			return -ENOMEM;
		l->u = p;
		l->cap = nc;
	}
	u = &l->u[l->n];
	u->idx = malloc(ncol * sizeof(int));
	if (!u->idx)
		return -ENOMEM;
	for (int j = 0; j < ncol; j++)
		u->idx[j] = -1;
	u->idx[col] = idx;
	u->key = *k;
	u->key.used = false;
	u->how = BY_NAME;
	l->n++;
	return 0;
}

static void ulist_free(struct ulist *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->u[i].idx);
	free(l->u);
	memset(l, 0, sizeof(*l));
}

/* Column col's units (keys k[0..n), idx[] their indexes) matched to the sections so far
 * (diff's matching: name, then rank); the unmatched become sections of their own. */
static int ulist_match(struct ulist *l, int ncol, int col, struct mkey *k, const int *idx, int n)
{
	struct mkey *sk = calloc(l->n + 1, sizeof(*sk));
	struct mpair *p = calloc(l->n + n + 1, sizeof(*p));
	int np, ns = l->n, ret = 0;

	if (!sk || !p) {
		ret = -ENOMEM;
		goto out;
	}
	for (int i = 0; i < ns; i++)
		sk[i] = l->u[i].key;
	np = role_match(sk, ns, k, n, false, p);
	for (int i = 0; i < np && !ret; i++) {
		if (p[i].b < 0)
			continue;
		if (p[i].a >= 0) {
			l->u[p[i].a].idx[col] = idx[p[i].b];
			if (p[i].how == BY_RANK)
				l->u[p[i].a].how = BY_RANK;
		} else {
			ret = ulist_add(l, ncol, col, idx[p[i].b], &k[p[i].b]);
		}
	}
out:
	free(sk);
	free(p);
	return ret;
}

/* --- network --- */

static const char *no_net_why(const struct rec_data *d)
{
	return d->has_net ? "no such device in this recording" : "recorded without --net";
}

/* A NIC whose interrupt lines serve both directions (a line of kind rxtx in the recording's
 * interrupt table and none of kind tx: one line for the device as e1000's, a queue-pair vector, a
 * combined netfront event channel). The BPF side charges such a line's interrupts to the RX unit
 * (engine/session.c session_fill_irq_map), so per packet of one direction they would read as 0 for
 * TX and as the TX completions' interrupts over a handful of RX packets: a TX-only stream on
 * e1000 gave "2021 interrupts per RX packet" (1 RX packet, an ARP reply). Needs --exits (the
 * interrupt table); without it the row stays per direction. */
static bool net_lines_shared(const struct rec_data *d, const struct net_report_dev *x)
{
	bool rxtx = false;

	for (int i = 0; d->exits && i < d->exits->nirq; i++) {
		const struct ex_irq_row *r = &d->exits->irqs[i];

		if (strcmp(r->device, x->name))
			continue;
		if (!strcmp(r->kind, "tx"))
			return false;
		rxtx |= !strcmp(r->kind, "rxtx");
	}
	return rxtx;
}

/* The same NIC's unit of the other direction in d, or NULL. */
static const struct net_report_dev *net_other_dir(const struct rec_data *d, const struct net_report_dev *x)
{
	for (int i = 0; d->net && i < d->net->ndev; i++) {
		const struct net_report_dev *o = &d->net->dev[i];

		if (o != x && o->netns == x->netns && o->ifindex == x->ifindex && o->dir != x->dir)
			return o;
	}
	return NULL;
}

static unsigned long long net_packets(const struct net_report_dev *x)
{
	return x->a.ended ? x->a.ended : x->a.started;
}

/* interrupts/packet and polls/packet: per the unit's own packets, or for a NIC whose lines serve
 * both directions the lines' interrupts and its NAPI polls (both charged to RX; a NAPI poll of such
 * a NIC cleans its TX ring too) over both directions' packets, in both sections, marked derived
 * ("TX+RX line") with the rule in its note. */
static unsigned long long net_irqs(const struct net_report_dev *x) { return x->a.irqs; }
static unsigned long long net_polls(const struct net_report_dev *x) { return x->a.polls; }

static void net_line_row(struct cmp_sb *b, const struct cmp_group *g, const struct cmp_input *in,
			 const struct net_report_dev **x, const char *const *none, const char *name,
			 enum cmp_rule rule, unsigned long long (*count)(const struct net_report_dev *))
{
	struct cmp_row *r = cmp_add_row(b, name, CF_RATIO, rule);

	if (!r)
		return;
	for (int j = 0; j < b->ncol; j++) {
		const struct rec_data *d = in[g->col[j].in].d;
		const struct net_report_dev *o;
		double num, den;

		if (!x[j]) {
			cmp_absent(&r->c[j], none[j]);
			continue;
		}
		if (!net_lines_shared(d, x[j])) {
			den = (double)net_packets(x[j]);
			cmp_val(&r->c[j], den ? (double)count(x[j]) / den : 0);
			continue;
		}
		o = net_other_dir(d, x[j]);
		num = (double)(x[j]->dir == DIR_RX ? count(x[j]) : o ? count(o) : 0);
		den = (double)(net_packets(x[j]) + (o ? net_packets(o) : 0));
		cmp_val(&r->c[j], den ? num / den : 0);
		r->c[j].derived = true;
		snprintf(r->c[j].mech, sizeof(r->c[j].mech), "TX+RX line");
		snprintf(r->c[j].why, sizeof(r->c[j].why),
			 "%s's interrupt lines and NAPI polls serve TX and RX: counted over the packets of both directions",
			 x[j]->name);
	}
	cmp_drop_if_empty(b);
}

static void net_rows(struct cmp_sb *b, const struct cmp_group *g, const struct cmp_input *in,
		     const struct net_report_dev **x, const char *unit)
{
	int n = b->ncol;
	struct cols c;
	char name[64];

	if (cols_alloc(&c, n)) {
		b->err = true;
		return;
	}
	bool *have = c.have;
	double *num = c.num, *den = c.den;
	const char **none = c.none;
	const struct net_hist **h = c.h;
	struct net_hist *tot = c.tot;
	struct xin *xi = c.xi;
	for (int j = 0; j < n; j++) {
		have[j] = x[j] != NULL;
		none[j] = no_net_why(in[g->col[j].in].d);
	}
	{
		struct cmp_row *r = cmp_add_row(b, "packets", CF_COUNT, CR_NONE);

		for (int j = 0; r && j < n; j++)
			x[j] ? cmp_val(&r->c[j], x[j]->a.started) : cmp_absent(&r->c[j], none[j]);
	}
#define PER_PACKET(label, rule, field, drop)                                                        \
	do {                                                                                        \
		for (int j = 0; j < n; j++)                                                         \
			if (x[j]) {                                                                 \
				num[j] = (double)(field);                                           \
				den[j] = (double)(x[j]->a.ended ? x[j]->a.ended : x[j]->a.started); \
			}                                                                           \
		ratio_row(b, label, rule, have, num, den, none, drop);                              \
	} while (0)
	PER_PACKET("bytes/packet", CR_NONE, x[j]->a.bytes, false);
	PER_PACKET("probe hits/packet", CR_HITS, x[j]->a.len_sum, false);
	for (int j = 0; j < n; j++)
		if (x[j])
			xi[j] = (struct xin){ x[j]->a.exits, x[j]->a.ended ? x[j]->a.ended : x[j]->a.started, NULL };
		else
			xi[j].none = none[j];
	crossing_rows(b, g, in, xi, "packet");
	net_line_row(b, g, in, x, none, "interrupts/packet", CR_IRQS, net_irqs);
	net_line_row(b, g, in, x, none, "polls/packet", CR_POLLS, net_polls);
	PER_PACKET("drops/packet", CR_NONE, x[j]->a.drops, true);
#undef PER_PACKET
	for (int s = 0; s < NS__COUNT; s++)
		for (int f = 0; f < NS__COUNT; f++) {
			for (int j = 0; j < n; j++)
				h[j] = x[j] ? &x[j]->pair[f][s] : NULL;
			snprintf(name, sizeof(name), "%s -> %s", net_stage_name(f), net_stage_name(s));
			stage_rows(b, name, h, none);
		}
	for (int j = 0; j < n; j++) {
		if (!x[j]) {
			h[j] = NULL;
			continue;
		}
		tot[j].count = x[j]->a.ended;
		tot[j].sum_ns = x[j]->a.total_sum_ns;
		memcpy(tot[j].slots, x[j]->a.total_hist, sizeof(tot[j].slots));
		h[j] = &tot[j];
	}
	stage_rows(b, "total", h, none);
	memcpy(b->s->total, tot, n * sizeof(*tot));
	(void)unit;
	cols_free(&c);
}

static int net_keys(const struct rec_data *d, int dir, struct mkey *k, int *idx)
{
	int n = 0;

	for (int i = 0; d->has_net && i < d->net->ndev; i++) {
		const struct net_report_dev *x = &d->net->dev[i];

		if (x->dir != dir)
			continue;
		k[n] = (struct mkey){ x->name, x->netns, x->a.started, false };
		idx[n++] = i;
	}
	return n;
}

static int net_sections(struct cmp_group *g, const struct cmp_input *in, int *cap)
{
	int ret = 0;

	for (int dir = DIR_TX; dir <= DIR_RX && !ret; dir++) {
		struct ulist l = {};

		for (int j = 0; j < g->ncol && !ret; j++) {
			const struct rec_data *d = in[g->col[j].in].d;
			int nd = d->has_net ? d->net->ndev : 0;
			struct mkey *k = calloc(nd + 1, sizeof(*k));
			int *idx = calloc(nd + 1, sizeof(int));

			ret = !k || !idx ? -ENOMEM : ulist_match(&l, g->ncol, j, k, idx, net_keys(d, dir, k, idx));
			free(k);
			free(idx);
		}
		for (int i = 0; i < l.n && !ret; i++) {
			const struct net_report_dev **x = calloc(g->ncol, sizeof(*x));
			struct cmp_section *s = x ? cmp_new_section(g, cap) : NULL;
			struct cmp_sb b = { s, g->ncol, 0, false };

			if (!s) {
				free(x);
				ret = -ENOMEM;
				break;
			}
			snprintf(s->title, sizeof(s->title), "network %s", dir == DIR_TX ? "TX" : "RX");
			snprintf(s->unit, sizeof(s->unit), "%s packet", dir == DIR_TX ? "TX" : "RX");
			cmp_paired_by(s, l.u[i].idx, l.u[i].how, g->ncol, "packets");
			for (int j = 0; j < g->ncol && !ret; j++)
				if (l.u[i].idx[j] >= 0) {
					x[j] = &in[g->col[j].in].d->net->dev[l.u[i].idx[j]];
					ret = cmp_set_unit_name(s, j, x[j]->name);
				}
			net_rows(&b, g, in, x, s->unit);
			free(x);
			if (b.err)
				ret = -ENOMEM;
		}
		ulist_free(&l);
	}
	return ret;
}

/* --- block --- */

static const char *no_blk_why(const struct rec_data *d)
{
	return d->has_blk ? "no such disk and op in this recording" : "recorded without --blk";
}

static void blk_rows(struct cmp_sb *b, const struct cmp_group *g, const struct cmp_input *in,
		     const struct blk_unit **x)
{
	int n = b->ncol;
	struct cols c;
	char name[64];

	if (cols_alloc(&c, n)) {
		b->err = true;
		return;
	}
	bool *have = c.have;
	double *num = c.num, *den = c.den;
	const char **none = c.none;
	const struct net_hist **h = c.h;
	struct net_hist *tot = c.tot;
	struct xin *xi = c.xi;
	for (int j = 0; j < n; j++) {
		have[j] = x[j] != NULL;
		none[j] = no_blk_why(in[g->col[j].in].d);
	}
	{
		struct cmp_row *r = cmp_add_row(b, "requests", CF_COUNT, CR_NONE);

		for (int j = 0; r && j < n; j++)
			x[j] ? cmp_val(&r->c[j], x[j]->a.requests) : cmp_absent(&r->c[j], none[j]);
	}
#define PER_REQUEST(label, rule, field, units, drop)                                               \
	do {                                                                                       \
		for (int j = 0; j < n; j++)                                                        \
			if (x[j]) {                                                                \
				num[j] = (double)(field);                                          \
				den[j] = (double)(units);                                          \
			}                                                                          \
		ratio_row(b, label, rule, have, num, den, none, drop);                             \
	} while (0)
	PER_REQUEST("bytes/request", CR_NONE, x[j]->a.bytes, x[j]->a.requests, false);
	PER_REQUEST("probe hits/request", CR_HITS, x[j]->a.len_sum, x[j]->a.requests, false);
	for (int j = 0; j < n; j++)
		if (x[j])
			xi[j] = (struct xin){ x[j]->a.exits, x[j]->a.requests, NULL };
		else
			xi[j].none = none[j];
	crossing_rows(b, g, in, xi, "request");
	/* interrupts are counted per disk, not per op: the disk's over all its requests. A recording
	 * that mapped no interrupt line to a disk could not count them (ata_piix's lines name no
	 * disk: the IDE disk of the Xen HVM domU with emulated devices; a loop device has none):
	 * not measured, never 0 */
	{
		struct cmp_row *r = cmp_add_row(b, "interrupts/request (disk)", CF_RATIO, CR_IRQS);

		for (int j = 0; r && j < n; j++) {
			if (!x[j])
				cmp_absent(&r->c[j], none[j]);
			else if (!in[g->col[j].in].d->disk_irqs_mapped)
				cmp_nm(&r->c[j], "no interrupt line of this recording was mapped to a disk");
			else
				cmp_val(&r->c[j], x[j]->disk_requests ? (double)x[j]->disk_irqs / x[j]->disk_requests : 0);
		}
		if (r)
			cmp_drop_if_empty(b);
	}
	PER_REQUEST("grants/request", CR_GRANTS, x[j]->a.grants, x[j]->a.requests, true);
	PER_REQUEST("bounce copies/request", CR_BOUNCES, x[j]->a.bounces, x[j]->a.requests, true);
	PER_REQUEST("errors/request", CR_NONE, x[j]->a.errors, x[j]->a.requests, true);
#undef PER_REQUEST
	for (int s = 0; s < BS__COUNT; s++)
		for (int f = 0; f < BS__COUNT; f++) {
			for (int j = 0; j < n; j++)
				h[j] = x[j] ? &x[j]->pair[f][s] : NULL;
			snprintf(name, sizeof(name), "%s -> %s", blk_stage_name(f), blk_stage_name(s));
			stage_rows(b, name, h, none);
		}
	for (int j = 0; j < n; j++) {
		if (!x[j]) {
			h[j] = NULL;
			continue;
		}
		tot[j].count = x[j]->a.requests;
		tot[j].sum_ns = x[j]->a.total_sum_ns;
		memcpy(tot[j].slots, x[j]->a.total_hist, sizeof(tot[j].slots));
		h[j] = &tot[j];
	}
	stage_rows(b, "total", h, none);
	memcpy(b->s->total, tot, n * sizeof(*tot));
	cols_free(&c);
}

static int blk_sections(struct cmp_group *g, const struct cmp_input *in, int *cap)
{
	struct blk_unit **u = calloc(g->ncol, sizeof(*u));
	int ret = u ? 0 : -ENOMEM;

	for (int j = 0; j < g->ncol && !ret; j++) {
		const struct rec_data *d = in[g->col[j].in].d;

		u[j] = calloc(d->has_blk ? d->blk->ncls + 1 : 1, sizeof(**u));
		if (!u[j])
			ret = -ENOMEM;
	}
	for (int op = 0; op < BOP__COUNT && !ret; op++) {
		struct ulist l = {};

		for (int j = 0; j < g->ncol && !ret; j++) {
			const struct rec_data *d = in[g->col[j].in].d;
			int nu = d->has_blk ? blk_units(d->blk, op, u[j]) : 0;
			struct mkey *k = calloc(nu + 1, sizeof(*k));
			int *idx = calloc(nu + 1, sizeof(int));

			for (int i = 0; k && idx && i < nu; i++) {
				k[i] = (struct mkey){ u[j][i].disk, 0, u[j][i].a.requests, false };
				idx[i] = i;
			}
			ret = !k || !idx ? -ENOMEM : ulist_match(&l, g->ncol, j, k, idx, nu);
			free(k);
			free(idx);
		}
		for (int i = 0; i < l.n && !ret; i++) {
			const struct blk_unit **x = calloc(g->ncol, sizeof(*x));
			struct cmp_section *s = x ? cmp_new_section(g, cap) : NULL;
			struct cmp_sb b = { s, g->ncol, 0, false };

			if (!s) {
				free(x);
				ret = -ENOMEM;
				break;
			}
			snprintf(s->title, sizeof(s->title), "block %s", blk_op_name(op));
			snprintf(s->unit, sizeof(s->unit), "%s request", blk_op_name(op));
			cmp_paired_by(s, l.u[i].idx, l.u[i].how, g->ncol, "requests");
			/* blk_units are per op: re-made for this op (the matching used them) */
			for (int j = 0; j < g->ncol && !ret; j++)
				if (l.u[i].idx[j] >= 0) {
					x[j] = &u[j][l.u[i].idx[j]];
					ret = cmp_set_unit_name(s, j, x[j]->disk);
				}
			blk_rows(&b, g, in, x);
			free(x);
			if (b.err)
				ret = -ENOMEM;
		}
		ulist_free(&l);
	}
	for (int j = 0; u && j < g->ncol; j++)
		free(u[j]);
	free(u);
	return ret;
}

/* --- groups --- */

int compare_labels(struct cmp_input *in, int n, const char *const *labels, int nl, char *err, size_t errlen)
{
	const char *seen[64];
	int ns = 0, pos[64] = {};

	if (!nl)
		return 0;
	if (nl == n) {
		for (int i = 0; i < n; i++)
			in[i].label = labels[i];
		return 0;
	}
	/* each recording's position within its phase */
	for (int i = 0; i < n; i++) {
		const char *ph = in[i].phase ? in[i].phase : "";
		int k;

		for (k = 0; k < ns && strcmp(seen[k], ph); k++)
			;
		if (k == ns && ns == 64) {
			snprintf(err, errlen, "more than 64 phases to label");
			return -EINVAL;
		}
		if (k == ns)
			seen[ns++] = ph;
		in[i].label = pos[k] < nl ? labels[pos[k]] : NULL;
		pos[k]++;
	}
	for (int k = 0; k < ns; k++)
		if (pos[k] != nl) {
			for (int i = 0; i < n; i++)
				in[i].label = NULL;
			snprintf(err, errlen, "%d --label for %d recordings (give one per recording, or one per column "
				 "of every phase)", nl, n);
			return -EINVAL;
		}
	return 0;
}

static const char *phase_of(const struct cmp_input *in)
{
	return in->phase && in->phase[0] ? in->phase : "whole run";
}

static int build_group(struct compare *c, const char *phase)
{
	struct cmp_group *g = &c->g[c->ngroup++];
	int cap = 0, ret;

	memset(g, 0, sizeof(*g));
	snprintf(g->phase, sizeof(g->phase), "%s", phase);
	g->col = calloc(c->nin, sizeof(*g->col));
	if (!g->col)
		return -ENOMEM;
	for (int i = 0; i < c->nin; i++) {
		struct cmp_column *col;

		if (strcmp(phase_of(&c->in[i]), phase))
			continue;
		col = &g->col[g->ncol++];
		col->in = i;
		if (c->in[i].label)
			snprintf(col->label, sizeof(col->label), "%s", c->in[i].label);
		else
			compare_label_of(c->in[i].d, col->label, sizeof(col->label));
		col->times_unreal = compare_times_unreal(c->in[i].d);
	}
	ret = cmp_recording_section(g, c->in, &cap);
	if (!ret)
		ret = net_sections(g, c->in, &cap);
	if (!ret)
		ret = blk_sections(g, c->in, &cap);
	if (!ret)
		ret = cmp_host_section(g, c->in, &cap);
	if (!ret)
		ret = cmp_tasks_sections(g, c->in, &cap);
	if (!ret)
		ret = compare_explain(g);
	return ret;
}

int compare_build(struct compare *c, const struct cmp_input *in, int n)
{
	int ret = 0;

	memset(c, 0, sizeof(*c));
	c->in = in;
	c->nin = n;
	c->g = calloc(n + 1, sizeof(*c->g));
	if (!c->g)
		return -ENOMEM;
	/* groups in the order their phase first appears */
	for (int i = 0; i < n && !ret; i++) {
		int k;

		for (k = 0; k < i && strcmp(phase_of(&in[k]), phase_of(&in[i])); k++)
			;
		if (k == i)
			ret = build_group(c, phase_of(&in[i]));
	}
	if (ret)
		compare_free(c);
	return ret;
}

void compare_free(struct compare *c)
{
	for (int i = 0; c->g && i < c->ngroup; i++) {
		struct cmp_group *g = &c->g[i];

		for (int s = 0; s < g->nsec; s++) {
			for (int r = 0; r < g->sec[s].nrow; r++)
				free(g->sec[s].row[r].c);
			free(g->sec[s].row);
			for (int j = 0; g->sec[s].unit_name && j < g->ncol; j++)
				free(g->sec[s].unit_name[j]);
			free(g->sec[s].unit_name);
			free(g->sec[s].total);
		}
		free(g->sec);
		for (int e = 0; e < g->nexpl; e++)
			free(g->expl[e]);
		free(g->expl);
		free(g->col);
	}
	free(c->g);
	memset(c, 0, sizeof(*c));
}

const char *compare_fmt_cell(const struct cmp_cell *x, enum cmp_fmt k, char *b, int n)
{
	char t[32];

	if (!x->ok) {
		snprintf(b, n, "n/m");
		return b;
	}
	switch (k) {
	case CF_COUNT: snprintf(b, n, "%.0f", x->v); break;
	case CF_RATIO: snprintf(b, n, "%s%s", x->lower_bound ? ">=" : "", fmt_sig3(x->v, false, t, sizeof(t))); break;
	case CF_NS: fmt_ns(x->v, b, n); break;
	}
	return b;
}
