/* compare's explanation: the sentences of a group, generated from its rows (largest difference
 * first, each naming its mechanism and platform), never written by hand. */
#include "record/compare.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out/hist.h"
#include "report/exitmodel.h"

/* --- the explanation: rows a rule allows, largest difference first --- */

/* The rows that may be explained, and what each measures. A row whose rule is not here is
 * never explained; the crossing rows name their mechanism per column from the exit model. */
static const struct explain_rule {
	enum cmp_rule rule;
	const char *noun;         /* "interrupts"; NULL: the row's name */
	const char *mechanism;    /* what it is; NULL: per column (crossings, host exit reasons) */
} explain_rules[] = {
	{ CR_EXITS_TOTAL, "exits", "crossings the exit model says leave the guest" },
	{ CR_CROSSING, NULL, NULL },
	{ CR_IRQS, "interrupts", "device interrupts the guest handled" },
	{ CR_POLLS, "polls", "NAPI polls: interrupts batched into polling" },
	{ CR_HITS, "probe hits", "functions traced on the path" },
	{ CR_GRANTS, "grants", "grant-table operations: CPU work in the guest, no exit" },
	{ CR_BOUNCES, "bounce copies", "swiotlb copies through a bounce buffer" },
	{ CR_HOST_EXIT, "host exits", NULL },
	{ CR_HOST_TOTAL, "host exits", "kvm_exit on the host, every reason" },
	{ CR_TASK, NULL, NULL },
	{ CR_TASK_DERIVED, "crossings derived",
	  "from the traced tasks' syscalls and page faults by the exit model, not measured" },
};

/* Differences smaller than these are not worth a sentence: 0.05 per unit (one in twenty
 * packets) and 10 %. */
#define EXPLAIN_MIN_DIFF 0.05
#define EXPLAIN_MIN_RATIO 1.10
#define EXPLAIN_MAX 8

static const struct explain_rule *rule_of(enum cmp_rule r)
{
	for (size_t i = 0; i < sizeof(explain_rules) / sizeof(explain_rules[0]); i++)
		if (explain_rules[i].rule == r)
			return &explain_rules[i];
	return NULL;
}

struct cand {
	const struct cmp_section *s;
	const struct cmp_row *r;
	double diff;
};

static int cand_cmp(const void *x, const void *y)
{
	const struct cand *a = x, *b = y;

	return a->diff < b->diff ? 1 : a->diff > b->diff ? -1 : 0;
}

static const char *verdict_phrase(int v)
{
	return v == XV_EXITS ? "exits" : v == XV_MAY ? "may exit" : v == XV_STAYS ? "stays in the guest" : "";
}

/* "notify per TX packet: not comparable: A 1.00; B not measured (why)": a row one column measured
 * (not 0) and another could not; the unit's noun and mechanism as in sentence(). */
static char *not_comparable(const struct cmp_group *g, const struct cmp_section *s, const struct cmp_row *r)
{
	const struct explain_rule *ru = rule_of(r->rule);
	const char *noun = ru->noun ? ru->noun : r->name;
	char *b = malloc(1024), nb[64], v[32], *sl;
	int off;

	if (!b)
		return NULL;
	snprintf(nb, sizeof(nb), "%s", noun + strspn(noun, " "));
	if ((sl = strchr(nb, '/')))
		*sl = 0;
	off = snprintf(b, 1024, "%s per %s cannot be compared:", nb, s->unit);
	for (int j = 0, first = 1; j < g->ncol && off < 1000; j++) {
		const struct cmp_cell *x = &r->c[j];

		if (x->absent)
			continue;
		if (x->ok)
			off += snprintf(b + off, 1024 - off, "%s %s %s%s%s%s", first ? "" : ";", g->col[j].label,
					x->lower_bound ? ">= " : "", fmt_sig3(x->v, false, v, sizeof(v)), x->mech[0] ? " " : "",
					x->mech);
		else
			off += snprintf(b + off, 1024 - off, "%s %s not measured (%s)", first ? "" : ";", g->col[j].label,
					x->why);
		first = 0;
	}
	return b;
}

/* One sentence: "interrupts per RX packet (device interrupts ...): A 1.00, B 0.10 (10.0x)";
 * crossings: "notify per TX packet: A 5.00 emulated-io (exits: why); B 1.00 evtchn-send (...)". */
static char *sentence(const struct cmp_group *g, const struct cand *c)
{
	const struct explain_rule *ru = rule_of(c->r->rule);
	int *ord = malloc(g->ncol * sizeof(int)), no = 0, off;
	const char *noun = ru->noun ? ru->noun : c->r->name;
	double hi = -1, lo = INFINITY;
	char *b = malloc(1024), v[32];

	if (!ord || !b) {
		free(ord);
		free(b);
		return NULL;
	}
	while (*noun == ' ')
		noun++;
	for (int j = 0; j < g->ncol; j++)
		if (c->r->c[j].ok)
			ord[no++] = j;
	for (int i = 1; i < no; i++)   /* largest first */
		for (int k = i; k > 0 && c->r->c[ord[k]].v > c->r->c[ord[k - 1]].v; k--) {
			int t = ord[k];

			ord[k] = ord[k - 1];
			ord[k - 1] = t;
		}
	{
		/* the row name holds "/packet": the sentence says per which packet */
		char nb[64];
		char *sl;

		snprintf(nb, sizeof(nb), "%s", noun);
		if ((sl = strchr(nb, '/')))
			*sl = 0;
		off = snprintf(b, 1024, "%s per %s%s%s%s:", nb, c->s->unit, ru->mechanism ? " (" : "",
			       ru->mechanism ? ru->mechanism : "", ru->mechanism ? ")" : "");
	}
	for (int i = 0; i < no && off < 1000; i++) {
		const struct cmp_cell *x = &c->r->c[ord[i]];

		fmt_sig3(x->v, false, v, sizeof(v));
		hi = fmax(hi, x->v);
		lo = fmin(lo, x->v);
		off += snprintf(b + off, 1024 - off, "%s %s %s%s", i ? ";" : "", g->col[ord[i]].label,
				x->lower_bound ? ">= " : "", v);
		if (x->derived && off < 1000)
			off += snprintf(b + off, 1024 - off, " (derived: %s)", x->mech);
		else if (x->mech[0])
			off += snprintf(b + off, 1024 - off, " %s", x->mech);
		if (x->verdict >= 0 && off < 1000)
			off += snprintf(b + off, 1024 - off, " (%s: %s)", verdict_phrase(x->verdict), x->why);
	}
	if (lo > 0 && off < 1000)
		snprintf(b + off, 1024 - off, " (%sx)", fmt_sig3(hi / lo, false, v, sizeof(v)));
	else if (off < 1000)
		snprintf(b + off, 1024 - off, " (none in %s)", g->col[ord[no - 1]].label);
	free(ord);
	return b;
}

int compare_explain(struct cmp_group *g)
{
	struct cand *c = NULL;
	int nc = 0, cap = 0;

	for (int s = 0; s < g->nsec; s++)
		for (int i = 0; i < g->sec[s].nrow; i++) {
			const struct cmp_row *r = &g->sec[s].row[i];
			double hi = -1, lo = INFINITY;
			int nok = 0;

			/* a rate over time is no mechanism's difference (under TCG not even a real one) */
			if (!rule_of(r->rule) || r->time)
				continue;
			for (int j = 0; j < g->ncol; j++)
				if (r->c[j].ok) {
					nok++;
					hi = fmax(hi, r->c[j].v);
					lo = fmin(lo, r->c[j].v);
				}
			/* a difference needs two measured values; a lower bound as the smaller is no difference */
			if (nok < 2 || hi - lo < EXPLAIN_MIN_DIFF || (lo > 0 && hi / lo < EXPLAIN_MIN_RATIO))
				continue;
			if (nc == cap) {
				struct cand *p = realloc(c, (cap = cap ? cap * 2 : 16) * sizeof(*p));

				if (!p) {
					free(c);
					return -ENOMEM;
				}
				c = p;
			}
			c[nc++] = (struct cand){ &g->sec[s], r, hi - lo };
		}
	/* a total that one kind's difference makes says nothing the kind's sentence does not */
	for (int i = 0; i < nc; i++)
		for (int k = 0; k < nc && c[i].r; k++)
			if ((c[i].r->rule == CR_EXITS_TOTAL || c[i].r->rule == CR_HOST_TOTAL) && c[k].r &&
			    c[k].s == c[i].s && c[k].r->rule != c[i].r->rule && fabs(c[k].diff - c[i].diff) < 1e-9)
				c[i].r = NULL;
	{
		int o = 0;

		for (int i = 0; i < nc; i++)
			if (c[i].r)
				c[o++] = c[i];
		nc = o;
	}
	qsort(c, nc, sizeof(*c), cand_cmp);
	g->expl = calloc(EXPLAIN_MAX, sizeof(char *));
	if (!g->expl) {
		free(c);
		return -ENOMEM;
	}
	for (int i = 0; i < nc && i < EXPLAIN_MAX; i++) {
		if (!(g->expl[i] = sentence(g, &c[i]))) {
			free(c);
			return -ENOMEM;
		}
		g->nexpl++;
	}
	free(c);
	/* then what could not be compared: measured (not 0) in one column, not measured in another */
	for (int s = 0; s < g->nsec && g->nexpl < EXPLAIN_MAX; s++)
		for (int i = 0; i < g->sec[s].nrow && g->nexpl < EXPLAIN_MAX; i++) {
			const struct cmp_row *r = &g->sec[s].row[i];
			bool some = false, unmeasured = false;

			if (!rule_of(r->rule) || r->time)
				continue;
			for (int j = 0; j < g->ncol; j++) {
				some |= r->c[j].ok && r->c[j].v > 0;
				unmeasured |= !r->c[j].ok && !r->c[j].absent;
			}
			if (!some || !unmeasured)
				continue;
			if (!(g->expl[g->nexpl] = not_comparable(g, &g->sec[s], r)))
				return -ENOMEM;
			g->nexpl++;
		}
	return 0;
}
