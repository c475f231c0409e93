#include "report/common.h"

#include <string.h>

#include "out/hist.h"
#include "out/json.h"

const char *exit_kind_name(int k)
{
	static const char *const n[EXK__COUNT] = {
		[EXK_NOTIFY] = "notify", [EXK_IPI] = "ipi", [EXK_TIMER] = "timer", [EXK_HALT] = "halt",
		[EXK_UNMASK] = "unmask(max)", [EXK_HYPERCALL] = "hypercall", [EXK_OTHER] = "other",
	};
	return k >= 0 && k < EXK__COUNT ? n[k] : "?";
}

const char *point_label(const struct resolved *pts, unsigned n, unsigned id)
{
	if (!id)
		return "irq";
	if (id > n)
		return "?";
	return pts[id - 1].symbol;
}

void hist_row(FILE *f, const char *label, const unsigned long long *slots, unsigned long long count,
	      unsigned long long sum_ns)
{
	char b1[16], b2[16], b3[16];

	fprintf(f, "    %-26s %10llu %9s %9s %9s\n", label, count,
		fmt_ns(log2_quantile(slots, NET_HIST_SLOTS, 0.5), b1, sizeof(b1)),
		fmt_ns(log2_quantile(slots, NET_HIST_SLOTS, 0.99), b2, sizeof(b2)),
		fmt_ns(count ? (double)sum_ns / count : 0, b3, sizeof(b3)));
}

void hist_json(struct jw *w, const char *key, const unsigned long long *slots, unsigned long long count,
	       unsigned long long sum)
{
	jw_obj_begin(w, key);
	jw_uint(w, "count", count);
	jw_double(w, "p50_ns", log2_quantile(slots, NET_HIST_SLOTS, 0.5));
	jw_double(w, "p99_ns", log2_quantile(slots, NET_HIST_SLOTS, 0.99));
	jw_double(w, "mean_ns", count ? (double)sum / count : 0);
	jw_arr_begin(w, "log2_slots");
	for (int i = 0; i < NET_HIST_SLOTS; i++)
		jw_uint(w, NULL, slots[i]);
	jw_arr_end(w);
	jw_obj_end(w);
}

void sig_json(struct jw *w, const struct net_sig_val *v, const char *countname,
	      const struct resolved *pts, unsigned n)
{
	jw_obj_begin(w, NULL);
	jw_uint(w, countname, v->count);
	jw_double(w, "mean_ns", v->count ? (double)v->lat_sum_ns / v->count : 0);
	jw_uint(w, "length", v->len);
	jw_arr_begin(w, "points");
	for (unsigned j = 0; j < v->len && j < NET_SIG_IDS; j++)
		jw_str(w, NULL, point_label(pts, n, v->ids[j]));
	jw_arr_end(w);
	jw_obj_end(w);
}

void top_sig_add(struct top_sig *top, int *ntop, int max, unsigned sig, const struct net_sig_val *v)
{
	int pos;

	for (pos = *ntop; pos > 0 && top[pos - 1].v.count < v->count; pos--)
		;
	if (pos >= max)
		return;
	if (*ntop < max)
		(*ntop)++;
	memmove(&top[pos + 1], &top[pos], (*ntop - 1 - pos) * sizeof(top[0]));
	top[pos].sig = sig;
	top[pos].v = *v;
}
