/* compare as JSON: the model as it is. Every row has one value per column: a number, or null
 * with the reason in not_measured at the same index (never 0 for what was not measured); a row
 * with derived values (the exit model's crossings from the traced tasks' counts) says how each
 * was derived in "derived" at the same index (null: not derived). */
#include "record/compare.h"

#include "out/json.h"
#include "report/exitmodel.h"

static const char *fmt_name(enum cmp_fmt k)
{
	return k == CF_COUNT ? "count" : k == CF_NS ? "ns" : "ratio";
}

static void row_json(struct jw *w, const struct cmp_group *g, const struct cmp_row *r)
{
	bool crossing = false, lower = false, derived = false;
	const char *name = r->name;

	while (*name == ' ')
		name++;
	jw_obj_begin(w, NULL);
	jw_str(w, "name", name);
	jw_str(w, "unit", fmt_name(r->fmt));
	jw_bool(w, "time", r->time);
	jw_arr_begin(w, "values");
	for (int j = 0; j < g->ncol; j++) {
		const struct cmp_cell *x = &r->c[j];

		if (!x->ok)
			jw_null(w, NULL);
		else if (r->fmt == CF_COUNT)
			jw_uint(w, NULL, (unsigned long long)x->v);
		else
			jw_double(w, NULL, x->v);
		crossing |= x->verdict >= 0;
		lower |= x->lower_bound;
		derived |= x->derived;
	}
	jw_arr_end(w);
	jw_arr_begin(w, "not_measured");
	for (int j = 0; j < g->ncol; j++)
		jw_str(w, NULL, r->c[j].ok ? NULL : r->c[j].why);
	jw_arr_end(w);
	if (lower) {
		/* a sum that lacks kinds the recording could not measure: what it lacks, else null */
		jw_arr_begin(w, "lower_bound");
		for (int j = 0; j < g->ncol; j++)
			jw_str(w, NULL, r->c[j].lower_bound ? r->c[j].why : NULL);
		jw_arr_end(w);
	}
	if (derived) {
		/* the exit model's arithmetic on measured counts, not a count: how it was derived, else null */
		jw_arr_begin(w, "derived");
		for (int j = 0; j < g->ncol; j++)
			jw_str(w, NULL, r->c[j].derived ? r->c[j].why : NULL);
		jw_arr_end(w);
	}
	if (crossing) {
		jw_arr_begin(w, "verdict");
		for (int j = 0; j < g->ncol; j++)
			jw_str(w, NULL, r->c[j].verdict >= 0 ? exit_verdict_name(r->c[j].verdict) : NULL);
		jw_arr_end(w);
		jw_arr_begin(w, "verdict_why");
		for (int j = 0; j < g->ncol; j++)
			jw_str(w, NULL, r->c[j].verdict >= 0 ? r->c[j].why : NULL);
		jw_arr_end(w);
	}
	if (crossing || r->rule == CR_HOST_EXIT) {
		jw_arr_begin(w, "mechanism");
		for (int j = 0; j < g->ncol; j++)
			jw_str(w, NULL, r->c[j].mech[0] ? r->c[j].mech : NULL);
		jw_arr_end(w);
	}
	jw_obj_end(w);
}

static void group_json(struct jw *w, const struct compare *c, const struct cmp_group *g)
{
	jw_obj_begin(w, NULL);
	jw_str(w, "phase", g->phase);
	jw_arr_begin(w, "columns");
	for (int j = 0; j < g->ncol; j++) {
		jw_obj_begin(w, NULL);
		jw_uint(w, "recording", g->col[j].in);
		jw_str(w, "label", g->col[j].label);
		jw_bool(w, "times_not_real", g->col[j].times_unreal);
		{
			const struct rec_data *d = c->in[g->col[j].in].d;

			/* record --budget: the fraction of its run the counts cover; null: all of it */
			if (d->budget_pct > 0 && d->budget_run_s > 0)
				jw_double(w, "sampled_fraction", d->budget_on_s / d->budget_run_s);
			else
				jw_null(w, "sampled_fraction");
		}
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_arr_begin(w, "explanation");
	for (int e = 0; e < g->nexpl; e++)
		jw_str(w, NULL, g->expl[e]);
	jw_arr_end(w);
	jw_arr_begin(w, "sections");
	for (int s = 0; s < g->nsec; s++) {
		const struct cmp_section *x = &g->sec[s];

		jw_obj_begin(w, NULL);
		jw_str(w, "title", x->title);
		jw_str(w, "per", x->unit[0] ? x->unit : NULL);
		jw_arr_begin(w, "units");
		for (int j = 0; j < g->ncol; j++)
			jw_str(w, NULL, x->unit_name[j]);
		jw_arr_end(w);
		jw_str(w, "paired_by", x->paired_by[0] ? x->paired_by : NULL);
		jw_arr_begin(w, "rows");
		for (int r = 0; r < x->nrow; r++)
			row_json(w, g, &x->row[r]);
		jw_arr_end(w);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	(void)c;
}

void compare_json(FILE *f, const struct compare *c)
{
	struct jw w;

	jw_init(&w, f, true);
	jw_obj_begin(&w, NULL);
	jw_schema_version(&w);
	jw_str(&w, "iopath_version", IOPATH_VERSION);
	jw_arr_begin(&w, "recordings");
	for (int i = 0; i < c->nin; i++) {
		const struct cmp_input *in = &c->in[i];

		jw_obj_begin(&w, NULL);
		jw_str(&w, "file", in->file);
		jw_str(&w, "iopath_version", in->d->version);   /* of the build that recorded it */
		jw_str(&w, "kernel", in->d->kernel);
		jw_str(&w, "platform", in->d->platform);
		jw_str(&w, "phase", in->phase && in->phase[0] ? in->phase : NULL);
		jw_bool(&w, "net", in->d->has_net);
		jw_bool(&w, "blk", in->d->has_blk);
		jw_bool(&w, "host", in->d->has_host);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_str(&w, "times", "p50/p99 interpolated inside log2 buckets; counts and ratios lead: under TCG or "
			    "nesting absolute times are not real-world times");
	jw_arr_begin(&w, "groups");
	for (int i = 0; i < c->ngroup; i++)
		group_json(&w, c, &c->g[i]);
	jw_arr_end(&w);
	jw_obj_end(&w);
	jw_finish(&w);
}
