/* A recording's data as the text report's opening and as JSON (record/recdata.h declares
 * rec_data_print and rec_data_json): the probes, what a hit costs, the budget's coverage, what an
 * older build did not write, then each section through its printer. Saving and loading are in
 * recdata.c. */
#include "record/recdata.h"

#include <stdlib.h>
#include <string.h>

#include "engine/attach.h"
#include "out/json.h"
#include "kernel/profiles.h"
#include "record/sections.h"
#include "report/common.h"
#include "util/util.h"

static void probe_summary(FILE *f, const struct rec_data *d)
{
	unsigned by[PST__COUNT] = {};
	const char *why = NULL;

	for (unsigned i = 0; i < d->n; i++) {
		by[d->pts[i].status]++;
		if (d->pts[i].status == PST_UNAVAILABLE && !why)
			why = d->pts[i].reason;
	}
	fprintf(f, "probes: %u attached (load %.0f ms, attach %.0f ms), %u inlined, %u absent, "
		"%u not applicable here, %u unavailable%s%s%s, %u failed\n",
		by[PST_ATTACHED], d->load_ms, d->attach_ms, by[PST_INLINED], by[PST_ABSENT],
		by[PST_NOT_APPLICABLE], by[PST_UNAVAILABLE], why ? " (" : "", why ? why : "",
		why ? ")" : "", by[PST_FAILED]);
	for (unsigned i = 0; i < d->n; i++)
		if (d->pts[i].status == PST_FAILED)
			fprintf(f, "  failed: %s %s: %s\n", d->pts[i].pt->profile, d->pts[i].symbol,
				d->pts[i].reason);
	if (d->recursion_misses)
		fprintf(f, "NOT RECORDED: %llu handler runs skipped by the kernel's recursion guard "
			"(an iopath program was already running on that CPU)\n", d->recursion_misses);
}

/* What a probe hit of iopath costs, so that a stage time is read with it (engine/selfcost.h). */
static void selfcost_print(FILE *f, const struct rec_data *d)
{
	if (d->self_ns_per_hit > 0)
		fprintf(f, "iopath's own cost: %.0f ns of BPF time per probe hit (the kernel's run-time accounting "
			"over the first 0.25 s; the call into each program not counted): each stage pair's time "
			"holds about one hit's share of it\n", d->self_ns_per_hit);
	else if (d->self_cost_why[0])
		fprintf(f, "iopath's own cost per probe hit: not measured (%s)\n", d->self_cost_why);
}

/* record --budget: what the counts cover, and how whole-run totals follow from them. */
static void budget_print(FILE *f, const struct rec_data *d)
{
	double on = d->budget_run_s > 0 ? d->budget_on_s / d->budget_run_s : 0;

	if (d->budget_pct <= 0)
		return;
	char hit[160];

	/* 0: no probe fired while it was measured, so no window was priced and none paused */
	if (d->budget_ns_per_hit > 0)
		snprintf(hit, sizeof(hit), "%.0f ns of BPF time per probe hit, measured by the kernel's "
			 "run-time accounting over the first window", d->budget_ns_per_hit);
	else
		snprintf(hit, sizeof(hit), "BPF time per probe hit not measured: no probe fired in the "
			 "first window, so no window was priced or paused");
	fprintf(f, "SAMPLED IN TIME (record --budget %g%%): probes on %.1f%% of the run (%.1f of %.1f s, "
		"%u windows); cost %.2f%% of all CPUs' time (%s, plus iopath's own CPU time)\n",
		d->budget_pct, 100 * on, d->budget_on_s, d->budget_run_s, d->budget_windows, d->budget_cost_pct,
		hit);
	fprintf(f, "  every count below covers those windows only; whole-run totals are estimates: count x %.2f "
		"(run / time on; low by up to the probes' cost where traffic is CPU-bound, since it runs "
		"slower while traced). Per-packet and per-request figures are means over the packets of the "
		"windows. Kernel counters shown beside (/proc/interrupts) cover the whole run.\n",
		on > 0 ? 1 / on : 0);
	if (d->budget_lost_points)
		fprintf(f, "NOT RECORDED: %u probe points could not be attached again after a pause (failed, above)\n",
			d->budget_lost_points);
}

/* What an older build did not write, so that a 0 the report prints is not taken for a measurement. */
static void absent_print(FILE *f, const struct rec_data *d)
{
	if (!d->fields.nabsent)
		return;
	fprintf(f, "not in this recording (an older iopath made it), shown as 0 or empty:");
	for (unsigned i = 0; i < d->fields.nabsent; i++)
		fprintf(f, "%s %s", i ? "," : "", d->fields.absent[i]);
	fputc('\n', f);
}

static unsigned deep_attached(const struct rec_data *d)
{
	unsigned att = 0;

	for (unsigned i = d->n - d->ndeep; i < d->n; i++)
		att += d->pts[i].status == PST_ATTACHED;
	return att;
}

void rec_data_print(FILE *f, const struct rec_data *d)
{
	fprintf(f, "iopath record%s%s%s on %s\n", d->has_net ? " --net" : "", d->has_blk ? " --blk" : "",
		d->has_host ? " --host" : "", d->kernel);
	if (d->environment[0])
		fprintf(f, "environment (record --environment): %s\n", d->environment);
	if (d->phase[0])
		fprintf(f, "phase %s: %.1f s of the run, from %.1f s after its start (iopath record's phase marks)\n",
			d->phase, d->phase_end - d->phase_start, d->phase_start - d->start_unix);
	if (d->checkpoint)
		fprintf(f, "PARTIAL: a checkpoint of the first %.1f s, written while the run went on "
			"(record --checkpoint); the run did not end here\n",
			d->exits ? d->exits->seconds : (double)(d->end_unix - d->start_unix));
	probe_summary(f, d);
	selfcost_print(f, d);
	budget_print(f, d);
	absent_print(f, d);
	if (d->btf_unmeasured[0])   /* the load's warning, kept */
		fprintf(f, "not measured: %s\n", d->btf_unmeasured);
	if (d->has_net)
		fprintf(f, "NIC interrupt lines mapped to queues: %u\n", d->irqs_mapped);
	if (d->has_blk)
		fprintf(f, "disk interrupt lines mapped to queues: %u\n", d->disk_irqs_mapped);
	if (d->has_deep) {
		unsigned att = deep_attached(d);

		fprintf(f, "deep: %u functions take a struct sk_buff * (BTF), %u probed, %u attached%s\n",
			d->deep_found, d->ndeep, att,
			att < d->ndeep ? " (see iopath probes for why the rest did not)" : "");
	}
	for (unsigned i = 0; i < rec_nsections; i++)
		if (rec_has(d, &rec_sections[i]))
			rec_sections[i].print(f, d);
	if (d->stacks)
		fprintf(f, "kernel stacks: %llu distinct (point, stack) pairs kept; draw them with iopath flame --stacks\n",
			d->nstacks);
	if (d->stacks_dropped)
		fprintf(f, "NOT RECORDED: %llu probe hits without a kernel stack: %s\n", d->stacks_dropped,
			STACKS_DROPPED_WHY);
}

/* A point's JSON object, opened, with what names it: profile, module, symbol, kind. */
static void point_begin(struct jw *w, const struct resolved *r)
{
	jw_obj_begin(w, NULL);
	jw_str(w, "profile", r->pt->profile);
	jw_str(w, "module", r->module);
	jw_str(w, "symbol", r->symbol);
	jw_str(w, "kind", kind_name(r->pt->kind));
}

void rec_data_json(FILE *f, const struct rec_data *d)
{
	struct jw w;
	unsigned by[PST__COUNT] = {};

	jw_init(&w, f, true);
	jw_obj_begin(&w, NULL);
	jw_schema_version(&w);
	jw_str(&w, "iopath_version", d->version);
	jw_str(&w, "kernel", d->kernel);
	if (d->checkpoint)   /* only then: a complete recording's JSON is as it always was */
		jw_bool(&w, "checkpoint", true);
	if (d->environment[0])   /* the same: only when given */
		jw_str(&w, "environment", d->environment);
	if (d->phase[0]) {   /* the same: only a phase's */
		jw_obj_begin(&w, "phase");
		jw_str(&w, "name", d->phase);
		jw_double(&w, "start_unix", d->phase_start);
		jw_double(&w, "end_unix", d->phase_end);
		jw_double(&w, "seconds", d->phase_end - d->phase_start);
		jw_obj_end(&w);
	}
	if (d->fields.nabsent) {
		jw_arr_begin(&w, "not_in_recording");
		for (unsigned i = 0; i < d->fields.nabsent; i++)
			jw_str(&w, NULL, d->fields.absent[i]);
		jw_arr_end(&w);
	}
	if (d->self_ns_per_hit > 0 || d->self_cost_why[0]) {   /* absent: an older recording */
		jw_obj_begin(&w, "self_cost");
		if (d->self_ns_per_hit > 0)
			jw_double(&w, "ns_per_hit", d->self_ns_per_hit);
		else
			jw_null(&w, "ns_per_hit");
		jw_str(&w, "not_measured", d->self_cost_why[0] ? d->self_cost_why : NULL);
		jw_str(&w, "method", "kernel run-time accounting (BPF_ENABLE_STATS) over the first 0.25 s / probe hits");
		jw_obj_end(&w);
	}
	if (d->budget_pct > 0) {   /* record --budget: the counts cover budget.on_s of run_s */
		jw_obj_begin(&w, "budget");
		jw_double(&w, "pct", d->budget_pct);
		jw_double(&w, "on_s", d->budget_on_s);
		jw_double(&w, "run_s", d->budget_run_s);
		jw_double(&w, "on_fraction", d->budget_run_s > 0 ? d->budget_on_s / d->budget_run_s : 0);
		jw_uint(&w, "windows", d->budget_windows);
		if (d->budget_ns_per_hit > 0)
			jw_double(&w, "ns_per_hit", d->budget_ns_per_hit);
		else   /* not measured (no probe fired in the first window): not a zero */
			jw_null(&w, "ns_per_hit");
		jw_double(&w, "cost_pct", d->budget_cost_pct);
		jw_uint(&w, "lost_points", d->budget_lost_points);
		jw_str(&w, "totals", "counts cover the windows only; whole-run estimate = count * run_s / on_s");
		jw_obj_end(&w);
	}
	jw_obj_begin(&w, "probes");
	for (unsigned i = 0; i < d->n; i++)
		by[d->pts[i].status]++;
	for (int s = 0; s < PST__COUNT; s++)
		jw_uint(&w, status_key(s), by[s]);
	jw_double(&w, "load_ms", d->load_ms);
	jw_double(&w, "attach_ms", d->attach_ms);
	jw_uint(&w, "recursion_misses", d->recursion_misses);
	/* what the BTF CO-RE read lacked the module structs for, and why; null: nothing */
	jw_str(&w, "btf_not_measured", d->btf_unmeasured[0] ? d->btf_unmeasured : NULL);
	/* the attached points with their hits over the recording, so a
	 * report can be checked against a probe (virtio_queue_rqs fired...) */
	jw_arr_begin(&w, "points");
	for (unsigned i = 0; i < d->n; i++) {
		const struct resolved *r = &d->pts[i];

		if (r->status != PST_ATTACHED)
			continue;
		point_begin(&w, r);
		jw_str(&w, "role", role_name(r->pt->role));
		jw_str(&w, "method", r->method ? method_name(r->method) : NULL);
		if (r->multi)   /* with the others like it, through one link (engine/kmulti.h) */
			jw_str(&w, "link", "kprobe.multi");
		jw_uint(&w, "hits", r->hits);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	/* the points that were meant to be traced here and are not, each with why (failed,
	 * unavailable, not probeable, inlined, denied, absent): what a reader cannot see in the
	 * counts above; points of modules not loaded or of another platform are only counted */
	jw_arr_begin(&w, "not_attached");
	for (unsigned i = 0; i < d->n; i++) {
		const struct resolved *r = &d->pts[i];

		if (r->status == PST_ATTACHED || r->status == PST_NOT_APPLICABLE || r->status == PST_PLANNED)
			continue;
		point_begin(&w, r);
		jw_str(&w, "status", status_key(r->status));
		jw_str(&w, "method", r->method ? method_name(r->method) : NULL);
		if (r->status == PST_FAILED)
			jw_int(&w, "errno", -r->err);
		jw_str(&w, "reason", r->reason);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
	if (d->has_net)
		jw_uint(&w, "nic_irqs_mapped", d->irqs_mapped);
	if (d->has_blk)
		jw_uint(&w, "disk_irqs_mapped", d->disk_irqs_mapped);
	if (d->has_deep) {
		jw_obj_begin(&w, "deep");
		jw_uint(&w, "skb_functions", d->deep_found);
		jw_uint(&w, "probed", d->ndeep);
		jw_uint(&w, "attached", deep_attached(d));
		jw_obj_end(&w);
	}
	if (d->cmd_status >= 0)
		jw_int(&w, "command_exit", d->cmd_status);
	if (d->stacks || d->stacks_dropped) {
		jw_obj_begin(&w, "stacks");
		jw_uint(&w, "pairs", d->nstacks);
		jw_uint(&w, "hits_without_stack", d->stacks_dropped);
		jw_obj_end(&w);
	}
	for (unsigned i = 0; i < rec_nsections; i++)
		if (rec_has(d, &rec_sections[i]))
			rec_sections[i].json(&w, d);
	jw_obj_end(&w);
	jw_finish(&w);
}

