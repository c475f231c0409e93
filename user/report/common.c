#include "report/common.h"

#include <errno.h>
#include <stdlib.h>
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

const char *netns_names_get(const char *list, unsigned inode, char *buf, size_t len)
{
	for (const char *p = list; p && *p;) {
		const char *eq = strchr(p, '='), *end = strchr(p, ';');
		char *num_end;

		if (!end)
			end = p + strlen(p);
		if (eq && eq < end && strtoul(p, &num_end, 10) == inode && num_end == eq) {
			snprintf(buf, len, "%.*s", (int)(end - eq - 1), eq + 1);
			return buf;
		}
		p = *end ? end + 1 : end;
	}
	return NULL;
}

int netns_names_add(char *list, size_t len, unsigned inode, const char *name)
{
	char b[8];
	size_t used = strlen(list);
	int n;

	if (!*name || strpbrk(name, ";= \t\n"))
		return -EINVAL;
	if (netns_names_get(list, inode, b, sizeof(b)))
		return 0;
	n = snprintf(list + used, len - used, "%s%u=%s", used ? ";" : "", inode, name);
	if (n < 0 || (size_t)n >= len - used) {
		list[used] = 0;
		return -ENOSPC;
	}
	return 0;
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

void hist_json_n(struct jw *w, const char *key, const unsigned long long *slots, int nslots,
		 unsigned long long count, unsigned long long sum, bool with_slots)
{
	jw_obj_begin(w, key);
	jw_uint(w, "count", count);
	jw_double(w, "p50_ns", log2_quantile(slots, nslots, 0.5));
	jw_double(w, "p99_ns", log2_quantile(slots, nslots, 0.99));
	jw_double(w, "mean_ns", count ? (double)sum / count : 0);
	if (with_slots) {
		jw_arr_begin(w, "log2_slots");
		for (int i = 0; i < nslots; i++)
			jw_uint(w, NULL, slots[i]);
		jw_arr_end(w);
	}
	jw_obj_end(w);
}

void hist_json(struct jw *w, const char *key, const unsigned long long *slots, unsigned long long count,
	       unsigned long long sum)
{
	hist_json_n(w, key, slots, NET_HIST_SLOTS, count, sum, true);
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

void exits_measured_of(const struct resolved *pts, unsigned n, struct exits_measured *m)
{
	memset(m, 0, sizeof(*m));
	for (unsigned i = 0; i < n; i++) {
		const struct resolved *r = &pts[i];
		int k;

		if (!r->pt || (k = point_charged_kind(r->pt)) < 0)
			continue;
		if (r->status == PST_ATTACHED) {
			m->measured |= 1u << k;
		} else if (r->status != PST_NOT_APPLICABLE && !m->why[k][0]) {
			const char *st = status_name(r->status);

			/* reasons usually start with their status ("unavailable: kernel has no kprobes") */
			if (!strncmp(r->reason, st, strlen(st)))
				snprintf(m->why[k], sizeof(m->why[k]), "%s", r->reason);
			else
				snprintf(m->why[k], sizeof(m->why[k]), "%s%s%s", st, r->reason[0] ? ": " : "",
					 r->reason);
			snprintf(m->point[k], sizeof(m->point[k]), "%s %s", r->pt->profile, r->symbol);
		}
	}
	for (int k = 0; k < EXK__COUNT; k++)
		if (m->why[k][0] && !(m->measured >> k & 1))
			m->unmeasured |= 1u << k;
}

void exits_per_unit_print(FILE *f, const unsigned long long *exits, unsigned long long units,
			  const struct exits_measured *m)
{
	bool any = false, first = true;

	if (!m->measured) {
		for (int k = 0; k < EXK__COUNT; k++)
			if (m->why[k][0]) {
				fprintf(f, " not measured (no exit probe attached: %s)", m->why[k]);
				return;
			}
		fprintf(f, " not measured (no exit probe in this recording)");
		return;
	}
	for (int k = 0; k < EXK__COUNT; k++)
		if (m->measured >> k & 1 && exits[k]) {
			fprintf(f, " %s %.3f", exit_kind_name(k), units ? (double)exits[k] / units : 0);
			any = true;
		}
	if (!any)
		fprintf(f, " none charged");
	/* the unmeasured kinds, those with one reason together: "timer, ipi (unavailable: ...)" */
	for (int k = 0, done = 0; k < EXK__COUNT; k++) {
		if (!(m->unmeasured >> k & 1) || done >> k & 1)
			continue;
		fprintf(f, "%s%s", first ? "; not measured: " : "; ", exit_kind_name(k));
		first = false;
		for (int j = k + 1; j < EXK__COUNT; j++)
			if (m->unmeasured >> j & 1 && !(done >> j & 1) && !strcmp(m->why[j], m->why[k])) {
				fprintf(f, ", %s", exit_kind_name(j));
				done |= 1 << j;
			}
		fprintf(f, " (%s)", m->why[k]);
	}
}

void exits_per_unit_json(struct jw *w, const char *key, const unsigned long long *exits,
			 unsigned long long units, const struct exits_measured *m)
{
	char nk[64];

	jw_obj_begin(w, key);
	for (int k = 0; k < EXK__COUNT; k++) {
		if (m->measured >> k & 1)
			jw_double(w, exit_kind_name(k), units ? (double)exits[k] / units : 0);
		else
			jw_null(w, exit_kind_name(k));
	}
	jw_obj_end(w);
	snprintf(nk, sizeof(nk), "%s_not_measured", key);
	jw_obj_begin(w, nk);
	for (int k = 0; k < EXK__COUNT; k++)
		if (!(m->measured >> k & 1)) {
			char b[300];

			snprintf(b, sizeof(b), "%s%s%s", m->point[k], m->point[k][0] ? ": " : "",
				 m->why[k][0] ? m->why[k] : "no probe counts this kind here");
			jw_str(w, exit_kind_name(k), b);
		}
	jw_obj_end(w);
}

void exits_counts_json(struct jw *w, const char *key, const unsigned long long *exits,
		       const struct exits_measured *m)
{
	jw_obj_begin(w, key);
	for (int k = 0; k < EXK__COUNT; k++) {
		if (m->measured >> k & 1)
			jw_uint(w, exit_kind_name(k), exits[k]);
		else
			jw_null(w, exit_kind_name(k));
	}
	jw_obj_end(w);
}
