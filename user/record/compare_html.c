/* compare as one self-contained HTML page: no network, no external fonts or scripts. Per phase:
 * the columns, the generated explanation, an inline SVG stacked bar plot of the crossings per
 * packet (request) by kind for each platform, the tables, each section's latency histograms
 * (log2 buckets of first -> last stage, share of packets), and the differential flame graphs of
 * each column against the first (the paths' probe points; kernel stacks where both recordings
 * have them), embedded as data: images of the flame module's own SVG. */
#include "record/compare.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "out/flame.h"
#include "out/hist.h"
#include "report/common.h"
#include "report/exitmodel.h"

static void esc(FILE *f, const char *s)
{
	for (; s && *s; s++)
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
}

/* One colour per exit kind (EXK_*), the same in every plot. */
static const char *const kind_colour[] = {
	"#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#7f7f7f", "#17becf", "#bcbd22",
};

static const char *colour(int i)
{
	return kind_colour[i % (int)(sizeof(kind_colour) / sizeof(kind_colour[0]))];
}

/* A column label in a plot's margin: at most 52 characters (the margin's width at 12 px). */
static void margin_label(FILE *f, const char *l)
{
	char b[64];

	if (strlen(l) <= 52) {
		esc(f, l);
		return;
	}
	snprintf(b, sizeof(b), "%.49s...", l);
	esc(f, b);
}

static const char *verdict_word(int v)
{
	return v == XV_EXITS ? "exits" : v == XV_MAY ? "may exit" : v == XV_STAYS ? "stays in the guest" : "";
}

/* The crossing rows (by kind) of a section. */
static int crossing_rows(const struct cmp_section *s, const struct cmp_row **out, int max)
{
	int n = 0;

	for (int i = 0; i < s->nrow && n < max; i++)
		if (s->row[i].rule == CR_CROSSING)
			out[n++] = &s->row[i];
	return n;
}

/* Stacked bars: one per column, a segment per crossing kind; a column that measured none says so. */
static void crossing_plot(FILE *f, const struct cmp_group *g, const struct cmp_section *s)
{
	const struct cmp_row *r[16];
	int nr = crossing_rows(s, r, 16), W = 960, left = 340, bh = 22, gap = 10;
	int H = 40 + g->ncol * (bh + gap) + 20 * ((nr + 3) / 4);
	double max = 0;
	char b[32];

	if (!nr)
		return;
	for (int j = 0; j < g->ncol; j++) {
		double sum = 0;

		for (int i = 0; i < nr; i++)
			sum += r[i]->c[j].ok ? r[i]->c[j].v : 0;
		if (sum > max)
			max = sum;
	}
	fprintf(f, "<figure><svg class=\"plot\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		   "role=\"img\"><text x=\"4\" y=\"16\" class=\"t\">crossings per ", W, H);
	esc(f, s->unit);
	fprintf(f, " by kind (%s)</text>\n", s->title);
	for (int j = 0; j < g->ncol; j++) {
		int y = 28 + j * (bh + gap);
		double x = left, sum = 0;
		bool any = false;

		fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", left - 6, y + 15);
		margin_label(f, g->col[j].label);
		fprintf(f, "</text>\n");
		for (int i = 0; i < nr; i++) {
			const struct cmp_cell *c = &r[i]->c[j];
			double w = max > 0 && c->ok ? c->v / max * (W - left - 80) : 0;

			any |= c->ok;
			if (!c->ok || w <= 0)
				continue;
			sum += c->v;
			fprintf(f, "<rect class=\"seg\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>",
				x, y, w, bh, colour(i));
			esc(f, r[i]->name + strspn(r[i]->name, " "));
			fprintf(f, " %s, %s: ", fmt_sig3(c->v, false, b, sizeof(b)), c->mech);
			esc(f, verdict_word(c->verdict));
			fprintf(f, " (");
			esc(f, c->why);
			fprintf(f, ")</title></rect>\n");
			x += w;
		}
		fprintf(f, "<text x=\"%.1f\" y=\"%d\">%s</text>\n", x + 4, y + 15,
			any ? fmt_sig3(sum, false, b, sizeof(b)) : "not measured (see the table)");
	}
	for (int i = 0; i < nr; i++) {
		int lx = 10 + (i % 4) * 230, ly = 40 + g->ncol * (bh + gap) + (i / 4) * 20;

		fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">",
			lx, ly - 10, colour(i), lx + 16, ly);
		esc(f, r[i]->name + strspn(r[i]->name, " "));
		fprintf(f, "</text>\n");
	}
	fprintf(f, "</svg></figure>\n");
}

/* Latency histograms: per column, the share of units in each log2 bucket of first -> last. */
static void latency_plot(FILE *f, const struct cmp_group *g, const struct cmp_section *s)
{
	int lo = NET_HIST_SLOTS, hi = -1, W = 960, left = 340, rh = 46;
	char b[32];

	for (int j = 0; j < g->ncol; j++)
		for (int k = 0; k < NET_HIST_SLOTS; k++)
			if (s->total[j].slots[k]) {
				lo = k < lo ? k : lo;
				hi = k > hi ? k : hi;
			}
	if (hi < 0)
		return;
	{
		int nb = hi - lo + 1, H = 40 + g->ncol * rh + 20;
		double bw = (double)(W - left - 20) / nb;

		fprintf(f, "<figure><svg class=\"plot\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
			   "role=\"img\"><text x=\"4\" y=\"16\" class=\"t\">latency first -&gt; last stage, share of ",
			W, H);
		esc(f, s->unit);
		fprintf(f, "s per log2 bucket (%s)</text>\n", s->title);
		for (int j = 0; j < g->ncol; j++) {
			int y = 30 + j * rh;
			unsigned long long n = s->total[j].count;
			unsigned long long tot = 0;

			for (int k = lo; k <= hi; k++)
				tot += s->total[j].slots[k];
			fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", left - 6, y + 24);
			margin_label(f, g->col[j].label);
			fprintf(f, "%s</text>\n", g->col[j].times_unreal ? " *" : "");
			if (!n || !tot) {
				fprintf(f, "<text x=\"%d\" y=\"%d\">no samples</text>\n", left, y + 24);
				continue;
			}
			for (int k = lo; k <= hi; k++) {
				double share = (double)s->total[j].slots[k] / tot, h = share * (rh - 10);

				if (!s->total[j].slots[k])
					continue;
				fprintf(f, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
					   "<title>[%s, ", left + (k - lo) * bw, y + (rh - 10) - h, bw - 1, h, colour(j + 1),
					fmt_ns((double)(1ull << k), b, sizeof(b)));
				fprintf(f, "%s): %.1f%%</title></rect>\n", fmt_ns((double)(2ull << k), b, sizeof(b)), share * 100);
			}
		}
		for (int k = lo; k <= hi; k += (hi - lo) / 6 + 1)
			fprintf(f, "<text x=\"%.1f\" y=\"%d\" class=\"ax\">%s</text>\n", left + (k - lo) * bw,
				40 + g->ncol * rh + 4, fmt_ns((double)(1ull << k), b, sizeof(b)));
		fprintf(f, "</svg></figure>\n");
	}
}

static void table(FILE *f, const struct cmp_group *g, const struct cmp_section *s)
{
	char b[48];

	fprintf(f, "<table><caption>");
	esc(f, s->title);
	if (s->paired_by[0]) {
		fprintf(f, " <small>(");
		esc(f, s->paired_by);
		fprintf(f, ")</small>");
	}
	fprintf(f, "</caption>\n<tr><th></th>");
	for (int j = 0; j < g->ncol; j++) {
		fprintf(f, "<th>");
		esc(f, g->col[j].label);
		if (s->unit_name[j]) {
			fprintf(f, "<br><small>");
			esc(f, s->unit_name[j]);
			fprintf(f, "</small>");
		}
		fprintf(f, "</th>");
	}
	fprintf(f, "</tr>\n");
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < s->nrow; i++) {
			const struct cmp_row *r = &s->row[i];

			if (r->time != (pass == 1))
				continue;
			fprintf(f, "<tr class=\"%s\"><td>", r->time ? "time" : "count");
			esc(f, r->name);
			fprintf(f, "</td>");
			for (int j = 0; j < g->ncol; j++) {
				const struct cmp_cell *c = &r->c[j];

				compare_fmt_cell(c, r->fmt, b, sizeof(b));
				if (!c->ok) {
					fprintf(f, "<td class=\"nm\" title=\"");
					esc(f, c->why);
					fprintf(f, "\">not measured <small>(");
					esc(f, c->why);
					fprintf(f, ")</small></td>");
				} else if (c->derived) {
					fprintf(f, "<td title=\"");
					esc(f, c->why);
					fprintf(f, "\">%s <small>derived, not measured</small></td>", b);
				} else if (c->verdict >= 0) {
					fprintf(f, "<td title=\"");
					esc(f, c->why);
					fprintf(f, "\">%s <small>%s, ", b, c->mech);
					esc(f, verdict_word(c->verdict));
					fprintf(f, "</small></td>");
				} else {
					fprintf(f, "<td>%s</td>", b);
				}
			}
			fprintf(f, "</tr>\n");
		}
	fprintf(f, "</table>\n");
}

/* --- differential flame graphs --- */

static int add_sig(struct flame *fl, const char *root, const struct net_sig_val *v, const struct rec_data *d)
{
	char stack[2048];
	int off = snprintf(stack, sizeof(stack), "%s", root);

	for (unsigned j = 0; j < v->len && j < NET_SIG_IDS && off < (int)sizeof(stack) - 1; j++)
		off += snprintf(stack + off, sizeof(stack) - off, ";%s", point_label(d->pts, d->n, v->ids[j]));
	return flame_add(fl, stack, v->count, 0);
}

/* The recording's paths under their direction or op, not their device: devices of different
 * guests are named differently, roles are not. */
static int paths_of(const struct rec_data *d, struct flame *fl)
{
	for (int i = 0; d->has_net && i < d->net->ndev; i++) {
		const struct net_report_dev *x = &d->net->dev[i];

		for (int t = 0; t < x->ntop; t++)
			if (add_sig(fl, x->dir == DIR_TX ? "net-tx" : "net-rx", &x->top[t].v, d))
				return -ENOMEM;
	}
	for (int i = 0; d->has_blk && i < d->blk->ncls; i++) {
		const struct blk_report_class *c = &d->blk->cls[i];
		char root[32];

		snprintf(root, sizeof(root), "blk-%s", blk_op_name(c->k.op));
		for (int t = 0; t < c->ntop; t++)
			if (add_sig(fl, root, &c->top[t].v, d))
				return -ENOMEM;
	}
	return 0;
}

static void base64(FILE *f, const unsigned char *p, size_t n)
{
	static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	for (size_t i = 0; i < n; i += 3) {
		unsigned v = p[i] << 16 | (i + 1 < n ? p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);

		fputc(t[v >> 18 & 63], f);
		fputc(t[v >> 12 & 63], f);
		fputc(i + 1 < n ? t[v >> 6 & 63] : '=', f);
		fputc(i + 2 < n ? t[v & 63] : '=', f);
	}
}

/* One differential graph of b against a, as an <img> of the flame module's SVG. */
static int diff_img(FILE *f, struct flame *fa, struct flame *fb, const char *title, const char *what)
{
	struct flame fd;
	char *buf = NULL;
	size_t len = 0;
	FILE *m;
	int ret;

	flame_init(&fd);
	if ((ret = flame_diff(&fd, fa, fb)))
		goto out;
	if (!(m = open_memstream(&buf, &len))) {
		ret = -ENOMEM;
		goto out;
	}
	flame_write_svg(m, &fd, title, what);
	fclose(m);
	fprintf(f, "<figure><img class=\"flame\" alt=\"");
	esc(f, title);
	fprintf(f, "\" src=\"data:image/svg+xml;base64,");
	base64(f, (const unsigned char *)buf, len);
	fprintf(f, "\"><figcaption>");
	esc(f, title);
	fprintf(f, ": red grew, blue shrank (the first column is before)</figcaption></figure>\n");
out:
	free(buf);
	flame_free(&fd);
	return ret;
}

static int flames(FILE *f, const struct compare *c, const struct cmp_group *g)
{
	const struct rec_data *a = c->in[g->col[0].in].d;
	int ret = 0;

	for (int j = 1; j < g->ncol && !ret; j++) {
		const struct rec_data *b = c->in[g->col[j].in].d;
		struct flame fa, fb;
		char title[256];
		int bl;

		flame_init(&fa);
		flame_init(&fb);
		snprintf(title, sizeof(title), "paths: %s vs %s", g->col[0].label, g->col[j].label);
		if (!(ret = paths_of(a, &fa)) && !(ret = paths_of(b, &fb)) && (fa.n || fb.n))
			ret = diff_img(f, &fa, &fb, title, "packets and requests");
		flame_free(&fa);
		flame_free(&fb);
		if (ret || !a->stacks || !b->stacks)
			continue;
		flame_init(&fa);
		flame_init(&fb);
		snprintf(title, sizeof(title), "kernel stacks: %s vs %s", g->col[0].label, g->col[j].label);
		/* damaged stacks: the graph is left out, the tables stand */
		if (!flame_parse_folded(&fa, a->stacks, &bl) && !flame_parse_folded(&fb, b->stacks, &bl))
			ret = diff_img(f, &fa, &fb, title, "probe hits");
		flame_free(&fa);
		flame_free(&fb);
	}
	return ret;
}

static const char style[] =
	"body{font:14px/1.4 sans-serif;margin:1.5em;max-width:1100px;color:#222}"
	"h1{font-size:1.5em}h2{font-size:1.25em;border-bottom:1px solid #ccc;margin-top:2em}"
	"table{border-collapse:collapse;margin:1em 0}caption{text-align:left;font-weight:bold;padding:.3em 0}"
	"td,th{border:1px solid #ddd;padding:2px 8px;text-align:right;vertical-align:top}"
	"td:first-child{text-align:left;white-space:pre}th{background:#f4f4f4}"
	"td.nm{color:#a00;font-size:.85em;max-width:16em}tr.time td{color:#666}"
	".caveat{background:#fff4d6;border:1px solid #e0c060;padding:.5em 1em}"
	"svg.plot text{font:12px sans-serif}svg.plot text.t{font-weight:bold}svg.plot text.ax{font-size:10px}"
	"img.flame{max-width:100%;border:1px solid #ddd}";

int compare_html(FILE *f, const struct compare *c)
{
	bool unreal = false;
	int ret = 0;

	for (int i = 0; i < c->ngroup; i++)
		for (int j = 0; j < c->g[i].ncol; j++)
			unreal |= c->g[i].col[j].times_unreal;
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		   "<title>iopath compare</title><style>%s</style></head><body>\n<h1>iopath compare: %d recordings</h1>\n",
		style, c->nin);
	fprintf(f, "<p class=\"caveat\">Counts and ratios lead; times are secondary%s. "
		   "<em>not measured</em> is never 0: the cell says why.</p>\n",
		unreal ? ": columns marked * were recorded under TCG or nesting, where absolute times are not "
			 "real-world times" : " (p50/p99 interpolated inside log2 buckets)");
	for (int i = 0; i < c->ngroup && !ret; i++) {
		const struct cmp_group *g = &c->g[i];

		fprintf(f, "<h2>");
		esc(f, g->phase);
		fprintf(f, "</h2>\n<ol class=\"cols\">");
		for (int j = 0; j < g->ncol; j++) {
			fprintf(f, "<li><b>");
			esc(f, g->col[j].label);
			fprintf(f, "</b>%s: ", g->col[j].times_unreal ? " *" : "");
			esc(f, c->in[g->col[j].in].file);
			fprintf(f, " (");
			esc(f, c->in[g->col[j].in].d->kernel);
			fprintf(f, ")</li>");
		}
		fprintf(f, "</ol>\n<h3>explanation (generated from the numbers)</h3>\n<ul class=\"expl\">");
		for (int e = 0; e < g->nexpl; e++) {
			fprintf(f, "<li>");
			esc(f, g->expl[e]);
			fprintf(f, "</li>");
		}
		if (!g->nexpl)
			fprintf(f, "<li>no difference a rule explains</li>");
		fprintf(f, "</ul>\n");
		for (int s = 0; s < g->nsec; s++)
			crossing_plot(f, g, &g->sec[s]);
		for (int s = 0; s < g->nsec; s++) {
			table(f, g, &g->sec[s]);
			latency_plot(f, g, &g->sec[s]);
		}
		if (g->ncol > 1) {
			fprintf(f, "<h3>differential flame graphs</h3>\n");
			ret = flames(f, c, g);
		}
	}
	fprintf(f, "</body></html>\n");
	return ret;
}
