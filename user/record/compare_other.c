/* The comparison's sections besides the network and block paths (record/compare_rows.h): the
 * host side of record --host, the traced tasks, and the recordings themselves. */
#include "record/compare_rows.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "record/rectasks.h"
#include "report/host_names.h"

/* --- host side (record --host): exits per guest packet by reason --- */

static unsigned long long host_guest_packets(const struct host_report *r)
{
	unsigned long long n = 0;

	if (r->guest_packets)
		return r->guest_packets;
	for (int i = 0; i < r->nproc; i++)
		n += r->proc[i].ntaps ? r->proc[i].guest_tx + r->proc[i].guest_rx : 0;
	return n;
}

static const char *host_none(const struct rec_data *d)
{
	if (!d->has_host)
		return "recorded without --host: no host-side view";
	if (!host_guest_packets(d->host))
		return "guest packets unknown: no tap of the VM seen (record --host --guest-packets N)";
	return NULL;
}

int cmp_host_section(struct cmp_group *g, const struct cmp_input *in, int *cap)
{
	struct { unsigned isa, reason; } rs[128];
	int nr = 0, any = 0;
	struct cmp_section *s;
	struct cmp_sb b;

	for (int j = 0; j < g->ncol; j++) {
		const struct rec_data *d = in[g->col[j].in].d;

		any |= d->has_host;
		for (int i = 0; d->has_host && i < d->host->nexit; i++) {
			const struct host_exit_key *k = &d->host->exit[i].k;
			int x;

			for (x = 0; x < nr && (rs[x].isa != k->isa || rs[x].reason != k->reason); x++)
				;
			if (x == nr && nr < 128) {
				rs[nr].isa = k->isa;
				rs[nr++].reason = k->reason;
			}
		}
	}
	if (!any)
		return 0;
	if (!(s = cmp_new_section(g, cap)))
		return -ENOMEM;
	b = (struct cmp_sb){ s, g->ncol, 0, false };
	snprintf(s->title, sizeof(s->title), "host exits (record --host)");
	snprintf(s->unit, sizeof(s->unit), "guest packet");
	snprintf(s->paired_by, sizeof(s->paired_by), "every VM of the host summed");
	for (int x = -1; x < nr; x++) {
		char name[64];
		struct cmp_row *r;

		snprintf(name, sizeof(name), x < 0 ? "host exits/guest packet" : "  %s",
			 x < 0 ? "" : host_reason_name(rs[x].isa, rs[x].reason));
		if (!(r = cmp_add_row(&b, name, CF_RATIO, x < 0 ? CR_HOST_TOTAL : CR_HOST_EXIT)))
			return -ENOMEM;
		for (int j = 0; j < g->ncol; j++) {
			const struct rec_data *d = in[g->col[j].in].d;
			const char *why = host_none(d);
			unsigned long long c = 0;

			if (why) {
				cmp_nm(&r->c[j], why);
				r->c[j].absent = !d->has_host;
				continue;
			}
			for (int i = 0; i < d->host->nexit; i++)
				if (x < 0 || (d->host->exit[i].k.isa == rs[x].isa &&
					      d->host->exit[i].k.reason == rs[x].reason))
					c += d->host->exit[i].v.count;
			cmp_val(&r->c[j], cmp_per(c, host_guest_packets(d->host)));
			if (x >= 0)
				snprintf(r->c[j].mech, sizeof(r->c[j].mech), "%s",
					 host_reason_name(rs[x].isa, rs[x].reason));
		}
		if (x >= 0)
			cmp_drop_if_empty(&b);
	}
	return b.err ? -ENOMEM : 0;
}

/* --- around the I/O path: the traced tasks' crossings (record --exits -- CMD or --pid) --- */

static const char *const task_title[RT__COUNT] = {
	[RT_PACKET] = "around the I/O path, per packet",
	[RT_REQUEST] = "around the I/O path, per request",
	[RT_SECOND] = "around the I/O path, per second",
};
/* what each is divided by, as the report divides it */
static const char *const task_per_what[RT__COUNT] = {
	[RT_PACKET] = "the traced tasks; every packet, TX and RX",
	[RT_REQUEST] = "the traced tasks; every block request",
	[RT_SECOND] = "the traced tasks; the exits interval",
};

/* A task row's cell in column t: the count per unit with the column's verdict, the model's kind
 * and its reason; not measured with why; absent where the recording has no such unit. */
static void task_cell(struct cmp_cell *c, const struct rec_tasks *t, const struct task_row_val *v, enum rt_unit u)
{
	double x;

	if (!t->scoped) {
		/* no traced tasks at all: like a recording without the path, never a sentence of its own */
		cmp_absent(c, v->why);
		return;
	}
	if (v->how != TH_MEASURED) {
		cmp_nm(c, v->why);
		return;
	}
	if (rec_tasks_per(t, v->count, u, &x)) {
		cmp_absent(c, t->none[u]);
		return;
	}
	cmp_val(c, x);
	c->verdict = exit_model_verdict(v->kind, t->platform);
	snprintf(c->mech, sizeof(c->mech), "%s", exit_model_row(v->kind)->name);
	if (t->platform == XP_UNKNOWN)
		snprintf(c->why, sizeof(c->why), "unmodelled platform: it may");
	else
		snprintf(c->why, sizeof(c->why), "%s", exit_model_row(v->kind)->cell[t->platform].why);
}

/* The crossings the model derives, per unit: a value marked derived (a lower bound where it
 * counts them: other exceptions are not counted), or why not derived. */
static void derived_cell(struct cmp_cell *c, const struct rec_tasks *t, enum rt_unit u)
{
	double x;
	char why[sizeof(c->why)];

	if (!t->scoped) {
		cmp_absent(c, t->row[TR_SYSCALLS].why);
		return;
	}
	if (t->derived.how != TH_DERIVED) {
		snprintf(why, sizeof(why), "not derived: %.186s", t->derived.why);
		cmp_nm(c, why);
		return;
	}
	if (rec_tasks_per(t, t->derived.crossings, u, &x)) {
		cmp_absent(c, t->none[u]);
		return;
	}
	cmp_val(c, x);
	c->derived = true;
	c->lower_bound = t->derived.crossings > 0;
	rec_tasks_derived_why(t, u, c->why, sizeof(c->why));
	if (t->derived.crossings)
		snprintf(c->mech, sizeof(c->mech), "%d per syscall and page fault",
			 exit_model_crossings(XM_SYSCALL, t->platform));
	else
		snprintf(c->mech, sizeof(c->mech), "they stay in the guest");
}

int cmp_tasks_sections(struct cmp_group *g, const struct cmp_input *in, int *cap)
{
	struct rec_tasks *t = calloc(g->ncol, sizeof(*t));
	bool scoped = false, net = false, blk = false;
	int ret = t ? 0 : -ENOMEM;

	for (int j = 0; t && j < g->ncol; j++) {
		const struct rec_data *d = in[g->col[j].in].d;

		rec_tasks_of(d, &t[j]);
		scoped |= t[j].scoped;
		net |= d->has_net;
		blk |= d->has_blk;
	}
	/* nothing traced in any column: no section (as host exits without --host) */
	for (int u = 0; scoped && !ret && u < RT__COUNT; u++) {
		struct cmp_section *s;
		struct cmp_sb b;
		char name[64];

		if ((u == RT_PACKET && !net) || (u == RT_REQUEST && !blk))
			continue;
		if (!(s = cmp_new_section(g, cap))) {
			ret = -ENOMEM;
			break;
		}
		b = (struct cmp_sb){ s, g->ncol, 0, false };
		snprintf(s->title, sizeof(s->title), "%s", task_title[u]);
		snprintf(s->unit, sizeof(s->unit), "%s", u == RT_SECOND ? "second" : rec_tasks_unit(u));
		snprintf(s->paired_by, sizeof(s->paired_by), "%s", task_per_what[u]);
		for (int i = 0; i < TR__COUNT; i++) {
			struct cmp_row *r;

			snprintf(name, sizeof(name), "%s/%s", t[0].row[i].label, rec_tasks_unit(u));
			if (!(r = cmp_add_row(&b, name, CF_RATIO, CR_TASK)))
				break;
			/* rates over seconds: secondary and never explained (under TCG a second is not a real one) */
			r->time = u == RT_SECOND;
			for (int j = 0; j < g->ncol; j++)
				task_cell(&r->c[j], &t[j], &t[j].row[i], u);
			cmp_drop_if_empty(&b);
		}
		{
			struct cmp_row *r;

			/* kept even when every column is 0 or not derived: it says what the model makes of them */
			snprintf(name, sizeof(name), "crossings derived/%s", rec_tasks_unit(u));
			if ((r = cmp_add_row(&b, name, CF_RATIO, CR_TASK_DERIVED))) {
				r->time = u == RT_SECOND;
				for (int j = 0; j < g->ncol; j++)
					derived_cell(&r->c[j], &t[j], u);
			}
		}
		if (b.err)
			ret = -ENOMEM;
	}
	free(t);
	return ret;
}

/* --- the recordings themselves --- */

int cmp_recording_section(struct cmp_group *g, const struct cmp_input *in, int *cap)
{
	struct cmp_section *s = cmp_new_section(g, cap);
	struct cmp_sb b = { s, g->ncol, 0, false };
	struct cmp_row *r;

	if (!s)
		return -ENOMEM;
	snprintf(s->title, sizeof(s->title), "recording");
	if ((r = cmp_add_row(&b, "probe points attached", CF_COUNT, CR_NONE)))
		for (int j = 0; j < g->ncol; j++) {
			const struct rec_data *d = in[g->col[j].in].d;
			unsigned a = 0;

			for (unsigned i = 0; i < d->n; i++)
				a += d->pts[i].status == PST_ATTACHED;
			cmp_val(&r->c[j], a);
		}
	if ((r = cmp_add_row(&b, "duration (s)", CF_RATIO, CR_NONE)))
		for (int j = 0; j < g->ncol; j++) {
			const struct rec_data *d = in[g->col[j].in].d;
			double sec = d->has_exits && d->exits->seconds > 0 ? d->exits->seconds :
				     d->has_net && d->net->seconds > 0 ? d->net->seconds :
				     d->has_blk && d->blk->seconds > 0 ? d->blk->seconds :
				     (double)(d->end_unix - d->start_unix);

			sec > 0 ? cmp_val(&r->c[j], sec) : cmp_nm(&r->c[j], "no duration in this recording");
		}
	if (r)
		r->time = true;
	return b.err ? -ENOMEM : 0;
}
