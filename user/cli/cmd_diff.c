/* iopath diff A B: two recordings side by side — the "PV vs HVM" view.
 * Recordings from different guests have different drivers and interface
 * names, so rows are matched by direction, stage and exit kind (roles),
 * never by function or device name: all devices of a direction are summed
 * (or one interface per side with -a/-b), block requests by op. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "out/hist.h"
#include "out/json.h"
#include "report/common.h"
#include "kernel/profiles.h"
#include "record/recdata.h"
#include "util/util.h"

struct side {
	unsigned long long pk;
	struct net_agg a;
	struct net_hist pair[NS__COUNT][NS__COUNT];
	unsigned long long bpk;                 /* block */
	struct blk_agg b;
	struct net_hist bpair[BS__COUNT][BS__COUNT];
	unsigned long long cross[ROLE__COUNT];  /* exit-causing calls by role */
	double seconds;
};

static void add_hist(struct net_hist *to, const struct net_hist *h)
{
	to->count += h->count;
	to->sum_ns += h->sum_ns;
	for (int i = 0; i < NET_HIST_SLOTS; i++)
		to->slots[i] += h->slots[i];
}

static void add_u64(unsigned long long *to, const unsigned long long *from, size_t n)
{
	for (size_t i = 0; i < n; i++)
		to[i] += from[i];
}

static void net_side(const struct rec_data *d, int dir, const char *iface, struct side *s)
{
	for (int i = 0; d->has_net && i < d->net->ndev; i++) {
		const struct net_report_dev *x = &d->net->dev[i];

		if (x->dir != dir || (iface && strcmp(x->name, iface)) || (!iface && !strcmp(x->name, "lo")))
			continue;
		add_u64(&s->a.started, &x->a.started,
			(sizeof(x->a) - offsetof(struct net_agg, started)) / sizeof(unsigned long long));
		for (int a = 0; a < NS__COUNT; a++)
			for (int b = 0; b < NS__COUNT; b++)
				add_hist(&s->pair[a][b], &x->pair[a][b]);
	}
	s->pk = s->a.ended ? s->a.ended : s->a.started;
}

static void blk_side(const struct rec_data *d, int op, struct side *s)
{
	for (int i = 0; d->has_blk && i < d->blk->ncls; i++) {
		const struct blk_report_class *c = &d->blk->cls[i];

		if (c->k.op != op)
			continue;
		add_u64(&s->b.requests, &c->a.requests, sizeof(c->a) / sizeof(unsigned long long));
		for (int a = 0; a < BS__COUNT; a++)
			for (int b = 0; b < BS__COUNT; b++)
				add_hist(&s->bpair[a][b], &c->pair[a][b]);
	}
	s->bpk = s->b.requests;
}

static void cross_side(const struct rec_data *d, struct side *s)
{
	for (unsigned i = 0; i < d->n; i++) {
		const struct resolved *r = &d->pts[i];

		if (r->status == PST_ATTACHED && r->pt->kind != KIND_FUNC_RET &&
		    (r->pt->flags & (PF_EXIT | PF_MAYBE_EXIT) || r->pt->role == ROLE_UPCALL))
			s->cross[r->pt->role] += r->hits;
	}
	s->seconds = d->has_exits ? d->exits->seconds : d->has_net ? d->net->seconds : 1;
}

struct out {
	FILE *f;
	struct jw *w;
	bool any;
};

static void row(struct out *o, const char *metric, double a, double b, bool ns)
{
	char ba[32], bb[32], bd[32], br[16];
	double ratio = a ? b / a : NAN;

	if (o->w) {
		jw_obj_begin(o->w, NULL);
		jw_str(o->w, "metric", metric);
		jw_double(o->w, "a", a);
		jw_double(o->w, "b", b);
		jw_double(o->w, "delta", b - a);
		jw_double(o->w, "ratio", ratio);
		jw_obj_end(o->w);
		return;
	}
	if (ns) {
		fmt_ns(a, ba, sizeof(ba));
		fmt_ns(b, bb, sizeof(bb));
		snprintf(bd, sizeof(bd), "%s%s", b >= a ? "+" : "-", fmt_ns(fabs(b - a), bd + 16, 16));
	} else {
		snprintf(ba, sizeof(ba), "%.3f", a);
		snprintf(bb, sizeof(bb), "%.3f", b);
		snprintf(bd, sizeof(bd), "%+.3f", b - a);
	}
	snprintf(br, sizeof(br), "%.2fx", ratio);
	fprintf(o->f, "  %-40s %12s %12s %12s %8s\n", metric, ba, bb, bd, isnan(ratio) ? "-" : br);
}

static void section(struct out *o, const char *name)
{
	if (o->w) {
		if (o->any)
			jw_arr_end(o->w);
		jw_arr_begin(o->w, name);
	} else {
		fprintf(o->f, "\n%-42s %12s %12s %12s %8s\n", name, "A", "B", "B-A", "B/A");
	}
	o->any = true;
}

static void hist_rows(struct out *o, const char *lbl, const struct net_hist *a, const struct net_hist *b)
{
	char m[96];

	if (!a->count && !b->count)
		return;
	snprintf(m, sizeof(m), "%s p50", lbl);
	row(o, m, log2_quantile(a->slots, NET_HIST_SLOTS, .5), log2_quantile(b->slots, NET_HIST_SLOTS, .5), true);
	snprintf(m, sizeof(m), "%s p99", lbl);
	row(o, m, log2_quantile(a->slots, NET_HIST_SLOTS, .99), log2_quantile(b->slots, NET_HIST_SLOTS, .99), true);
	snprintf(m, sizeof(m), "%s mean", lbl);
	row(o, m, a->count ? (double)a->sum_ns / a->count : 0, b->count ? (double)b->sum_ns / b->count : 0, true);
}

static double pp(unsigned long long v, unsigned long long n)
{
	return n ? (double)v / n : 0;
}

/* One row per exit kind either side charged, per unit (packet or request). */
static void exits_rows(struct out *o, const char *unit, const unsigned long long *ea, unsigned long long ua,
		       const unsigned long long *eb, unsigned long long ub)
{
	char m[96];

	for (int k = 0; k < EXK__COUNT; k++)
		if (ea[k] || eb[k]) {
			snprintf(m, sizeof(m), "exits/%s %s", unit, exit_kind_name(k));
			row(o, m, pp(ea[k], ua), pp(eb[k], ub), false);
		}
}

static void net_rows(struct out *o, const struct side *A, const struct side *B, int dir)
{
	char m[96];

	section(o, dir == DIR_TX ? "network TX (all devices)" : "network RX (all devices)");
	row(o, "packets", A->a.started, B->a.started, false);
	for (int s = 0; s < NS__COUNT; s++)
		for (int f = 0; f < NS__COUNT; f++) {
			snprintf(m, sizeof(m), "%s -> %s", net_stage_name(f), net_stage_name(s));
			hist_rows(o, m, &A->pair[f][s], &B->pair[f][s]);
		}
	{
		struct net_hist ta = { .count = A->a.ended, .sum_ns = A->a.total_sum_ns };
		struct net_hist tb = { .count = B->a.ended, .sum_ns = B->a.total_sum_ns };

		memcpy(ta.slots, A->a.total_hist, sizeof(ta.slots));
		memcpy(tb.slots, B->a.total_hist, sizeof(tb.slots));
		hist_rows(o, "total", &ta, &tb);
	}
	row(o, "path length (probe hits/packet)", pp(A->a.len_sum, A->a.ended), pp(B->a.len_sum, B->a.ended), false);
	exits_rows(o, "packet", A->a.exits, A->pk, B->a.exits, B->pk);
	row(o, "irqs/packet", pp(A->a.irqs, A->pk), pp(B->a.irqs, B->pk), false);
	row(o, "polls/packet", pp(A->a.polls, A->pk), pp(B->a.polls, B->pk), false);
	row(o, "drops/packet", pp(A->a.drops, A->pk), pp(B->a.drops, B->pk), false);
}

static void blk_rows(struct out *o, const struct side *A, const struct side *B, int op)
{
	char m[96];

	snprintf(m, sizeof(m), "block %s requests", blk_op_name(op));
	section(o, m);
	row(o, "requests", A->b.requests, B->b.requests, false);
	for (int s = 0; s < BS__COUNT; s++)
		for (int f = 0; f < BS__COUNT; f++) {
			snprintf(m, sizeof(m), "%s -> %s", blk_stage_name(f), blk_stage_name(s));
			hist_rows(o, m, &A->bpair[f][s], &B->bpair[f][s]);
		}
	row(o, "path length (probe hits/request)", pp(A->b.len_sum, A->bpk), pp(B->b.len_sum, B->bpk), false);
	exits_rows(o, "request", A->b.exits, A->bpk, B->b.exits, B->bpk);
	row(o, "grants/request", pp(A->b.grants, A->bpk), pp(B->b.grants, B->bpk), false);
	row(o, "bounces/request", pp(A->b.bounces, A->bpk), pp(B->b.bounces, B->bpk), false);
}

static void help(void)
{
	printf("usage: iopath diff A.rec B.rec [-a IFACE] [-b IFACE] [--json]\n"
	       "Two recordings side by side: stage latencies, path length, exits, interrupts and\n"
	       "polls per packet and per request, hypervisor crossings per second by kind, with\n"
	       "deltas and ratios. Rows match by direction, stage and exit kind, so recordings\n"
	       "from guests with different drivers compare (Xen PV netfront vs an SR-IOV VF).\n\n"
	       "  -a IFACE    only this interface of A (default: every device but lo)\n"
	       "  -b IFACE    only this interface of B\n"
	       "  -j, --json  JSON output\n"
	       "  -h, --help\n");
}

int cmd_diff(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, 0, 'j' }, { "help", no_argument, 0, 'h' }, {},
	};
	const char *ia = NULL, *ib = NULL;
	struct rec_data A, B;
	char err[300];
	bool json = false;
	struct jw w;
	struct out o = { stdout, NULL, false };
	int c, ret = EXIT_RUNTIME;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":a:b:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'a': ia = optarg; break;
		case 'b': ib = optarg; break;
		case 'j': json = true; break;
		case 'h': help(); return EXIT_OK;
		default: return bad_option("diff", c, optopt, argv, optind);
		}
	}
	if (argc - optind != 2)
		return usage_error("diff", "expected two recording files");
	if (rec_data_load(&A, argv[optind], err, sizeof(err))) {
		iop_err("%s: %s", argv[optind], err);
		return EXIT_RUNTIME;
	}
	if (rec_data_load(&B, argv[optind + 1], err, sizeof(err))) {
		iop_err("%s: %s", argv[optind + 1], err);
		rec_data_free(&A);
		return EXIT_RUNTIME;
	}
	if (json) {
		jw_init(&w, stdout, true);
		o.w = &w;
		jw_obj_begin(&w, NULL);
		jw_schema_version(&w);
		jw_str(&w, "iopath_version", IOPATH_VERSION);
		jw_obj_begin(&w, "a");
		jw_str(&w, "file", argv[optind]);
		jw_str(&w, "kernel", A.kernel);
		jw_str(&w, "platform", A.platform);
		jw_obj_end(&w);
		jw_obj_begin(&w, "b");
		jw_str(&w, "file", argv[optind + 1]);
		jw_str(&w, "kernel", B.kernel);
		jw_str(&w, "platform", B.platform);
		jw_obj_end(&w);
		jw_obj_begin(&w, "sections");
	} else {
		printf("A: %s (%s, kernel %s)\nB: %s (%s, kernel %s)\n", argv[optind], A.platform, A.kernel,
		       argv[optind + 1], B.platform, B.kernel);
	}
	for (int dir = DIR_TX; dir <= DIR_RX && A.has_net && B.has_net; dir++) {
		struct side *sa = calloc(1, sizeof(*sa)), *sb = calloc(1, sizeof(*sb));

		if (!sa || !sb)
			goto out;
		net_side(&A, dir, ia, sa);
		net_side(&B, dir, ib, sb);
		if (sa->a.started || sb->a.started)
			net_rows(&o, sa, sb, dir);
		free(sa);
		free(sb);
	}
	for (int op = 0; op < BOP__COUNT && A.has_blk && B.has_blk; op++) {
		struct side *sa = calloc(1, sizeof(*sa)), *sb = calloc(1, sizeof(*sb));

		if (!sa || !sb)
			goto out;
		blk_side(&A, op, sa);
		blk_side(&B, op, sb);
		if (sa->bpk || sb->bpk)
			blk_rows(&o, sa, sb, op);
		free(sa);
		free(sb);
	}
	{
		struct side *sa = calloc(1, sizeof(*sa)), *sb = calloc(1, sizeof(*sb));
		char m[96];

		if (!sa || !sb)
			goto out;
		cross_side(&A, sa);
		cross_side(&B, sb);
		section(&o, "hypervisor crossings per second (by kind)");
		for (int r = 0; r < ROLE__COUNT; r++)
			if (sa->cross[r] || sb->cross[r]) {
				snprintf(m, sizeof(m), "%s", role_name(r));
				row(&o, m, sa->seconds > 0 ? sa->cross[r] / sa->seconds : 0,
				    sb->seconds > 0 ? sb->cross[r] / sb->seconds : 0, false);
			}
		if (A.has_exits && B.has_exits) {
			row(&o, "PV multicall hypercalls", A.exits->ctr[EXC_MC_HYPERCALL] / fmax(A.exits->seconds, 1e-9),
			    B.exits->ctr[EXC_MC_HYPERCALL] / fmax(B.exits->seconds, 1e-9), false);
			row(&o, "MSR writes", A.exits->ctr[EXC_MSR_WRITES] / fmax(A.exits->seconds, 1e-9),
			    B.exits->ctr[EXC_MSR_WRITES] / fmax(B.exits->seconds, 1e-9), false);
		}
		free(sa);
		free(sb);
	}
	if (json) {
		jw_arr_end(&w);
		jw_obj_end(&w);
		jw_obj_end(&w);
		jw_finish(&w);
	}
	ret = EXIT_OK;
out:
	rec_data_free(&A);
	rec_data_free(&B);
	return ret;
}
