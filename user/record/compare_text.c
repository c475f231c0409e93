/* compare as text: 80 columns, like the other reports. Columns are numbered and listed once
 * with their full label; a cell that is not measured reads "n/m" with a footnote number, the
 * footnotes (one per distinct reason) under the table; so does a derived value (the footnote
 * says it is derived, and how). Counts and ratios come first in every section, times after them. */
#include "record/compare.h"

#include <stdlib.h>
#include <string.h>

#include "report/exitmodel.h"

#define NAME_W 30
#define WIDTH 80

static int col_width(int ncol)
{
	int w = (WIDTH - NAME_W) / (ncol ? ncol : 1);

	return w < 10 ? 10 : w;
}

/* Words of s wrapped at WIDTH, the first line after lead, the others indented by ind. */
static void wrap(FILE *f, const char *lead, const char *s, int ind)
{
	int col = fprintf(f, "%s", lead);

	while (*s) {
		int n = strcspn(s, " ");

		if (col + 1 + n > WIDTH && col > ind)
			col = fprintf(f, "\n%*s", ind, "") - 1;
		else
			col += fprintf(f, " ");
		col += fprintf(f, "%.*s", n, s);
		s += n;
		while (*s == ' ')
			s++;
	}
	fputc('\n', f);
}

struct notes {
	int n;
	char why[64][200];
	unsigned cols[64];   /* bit per column that has it */
};

static int note_of(struct notes *t, const char *why, int col)
{
	int i;

	for (i = 0; i < t->n && strcmp(t->why[i], why); i++)
		;
	if (i == t->n) {
		if (t->n == 64)
			return 64;   /* more reasons than room: the last number stands for the rest */
		snprintf(t->why[t->n++], sizeof(t->why[0]), "%s", why);
	}
	t->cols[i] |= 1u << (col & 31);
	return i + 1;
}

static char verdict_letter(int v)
{
	return v == XV_EXITS ? 'E' : v == XV_MAY ? 'M' : v == XV_STAYS ? 'S' : ' ';
}

static void section_text(FILE *f, const struct cmp_group *g, const struct cmp_section *s)
{
	int w = col_width(g->ncol);
	struct notes *t = calloc(1, sizeof(*t));
	bool verdicts = false;
	char b[40], cell[64];

	if (!t)
		return;
	{
		char head[400] = "", lead[80];
		int off = 0;

		for (int j = 0; j < g->ncol && off < (int)sizeof(head); j++)
			if (s->unit_name[j])
				off += snprintf(head + off, sizeof(head) - off, "%s%d %s", off ? ", " : "", j + 1,
						s->unit_name[j]);
		if (s->paired_by[0] && off < (int)sizeof(head))
			snprintf(head + off, sizeof(head) - off, "%s(%s)", off ? " " : "", s->paired_by);
		snprintf(lead, sizeof(lead), "\n%s%s", s->title, off ? ":" : "");
		wrap(f, lead, head, 2);
	}
	fprintf(f, "  %-*s", NAME_W - 2, "");
	for (int j = 0; j < g->ncol; j++)
		fprintf(f, "%*d", w, j + 1);
	fputc('\n', f);
	/* counts and ratios first, times after them: under TCG only the former are real */
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < s->nrow; i++) {
			const struct cmp_row *r = &s->row[i];

			if (r->time != (pass == 1))
				continue;
			fprintf(f, "  %-*.*s", NAME_W - 2, NAME_W - 2, r->name);
			for (int j = 0; j < g->ncol; j++) {
				const struct cmp_cell *x = &r->c[j];

				compare_fmt_cell(x, r->fmt, b, sizeof(b));
				if (!x->ok || x->lower_bound || x->derived)
					snprintf(cell, sizeof(cell), "%s[%d]", b, note_of(t, x->why, j));
				else if (x->verdict >= 0)
					snprintf(cell, sizeof(cell), "%s %c", b, verdict_letter(x->verdict));
				else
					snprintf(cell, sizeof(cell), "%s", b);
				verdicts |= x->ok && x->verdict >= 0;
				fprintf(f, "%*s", w, cell);
			}
			fputc('\n', f);
		}
	if (verdicts) {
		bool kinds = false;

		/* a traced task's row is named by its kind already: not listed by kind */
		for (int i = 0; i < s->nrow; i++)
			for (int j = 0; j < g->ncol; j++)
				kinds |= s->row[i].c[j].ok && s->row[i].c[j].verdict >= 0 && s->row[i].rule != CR_TASK;
		fprintf(f, "  E exits, M may exit, S stays in the guest (each column's platform)%s\n",
			kinds ? ". By kind:" : ".");
		for (int j = 0; kinds && j < g->ncol; j++) {
			char m[400];
			int off = 0;

			for (int i = 0; i < s->nrow; i++) {
				const struct cmp_cell *x = &s->row[i].c[j];
				const char *nm = s->row[i].name;

				if (x->ok && x->verdict >= 0 && s->row[i].rule != CR_TASK && off < (int)sizeof(m))
					off += snprintf(m + off, sizeof(m) - off, "%s%s %s", off ? ", " : "",
							nm + strspn(nm, " "), x->mech);
			}
			if (off) {
				char lead[16];

				snprintf(lead, sizeof(lead), "    %d:", j + 1);
				wrap(f, lead, m, 7);
			}
		}
	}
	for (int i = 0; i < t->n; i++) {
		char lead[24], cols[64] = "";
		int off = 0;

		for (int j = 0; j < g->ncol && j < 32; j++)
			if (t->cols[i] >> j & 1)
				off += snprintf(cols + off, sizeof(cols) - off, "%s%d", off ? "," : "", j + 1);
		snprintf(lead, sizeof(lead), "  [%d] in %s:", i + 1, cols);
		wrap(f, lead, t->why[i], 6);
	}
	free(t);
}

void compare_text(FILE *f, const struct compare *c)
{
	bool unreal = false;

	fprintf(f, "iopath compare: %d recordings, %d group%s (by phase)\n", c->nin, c->ngroup,
		c->ngroup == 1 ? "" : "s");
	for (int i = 0; i < c->ngroup; i++) {
		const struct cmp_group *g = &c->g[i];

		fprintf(f, "\n== %s ==\ncolumns:\n", g->phase);
		for (int j = 0; j < g->ncol; j++) {
			const struct cmp_input *in = &c->in[g->col[j].in];
			char lead[128];

			snprintf(lead, sizeof(lead), "  %d  %s:", j + 1, g->col[j].label);
			unreal |= g->col[j].times_unreal;
			{
				char rest[700];

				char sampled[160] = "";

				/* record --budget: per-packet figures are means over a sample in time */
				if (in->d->budget_pct > 0 && in->d->budget_run_s > 0)
					snprintf(sampled, sizeof(sampled), " - sampled in time (record --budget "
						 "%g%%): its counts cover %.0f%% of its run", in->d->budget_pct,
						 100 * in->d->budget_on_s / in->d->budget_run_s);
				snprintf(rest, sizeof(rest), "%s (%s, kernel %s%s%s)%s%s", in->file, in->d->platform,
					 in->d->kernel, in->d->environment[0] ? "; " : "", in->d->environment,
					 g->col[j].times_unreal ? " - emulated or nested: its times are not real" : "",
					 sampled);
				wrap(f, lead, rest, 6);
			}
		}
		if (g->nexpl) {
			fprintf(f, "explanation (generated from the numbers below, largest difference first):\n");
			for (int e = 0; e < g->nexpl; e++)
				wrap(f, "  -", g->expl[e], 4);
		} else {
			fprintf(f, "explanation: no difference a rule explains (counts within 10%% or 0.05 per unit)\n");
		}
		for (int s = 0; s < g->nsec; s++)
			section_text(f, g, &g->sec[s]);
	}
	fprintf(f, "\np50/p99 are interpolated inside log2 buckets (each spans 2x). Counts and ratios\n"
		   "lead, times are secondary%s.\n",
		unreal ? ": under TCG or nesting, absolute times are not real-world times" : "");
}
