/* The bundle of a record in progress: its reports read from the live maps (record_run.h). */
#include "cli/record_run.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/stacks.h"
#include "platform/platform.h"
#include "util/util.h"

void bundle_free(struct bundle *b)
{
	if (!b)
		return;
	net_report_free(&b->net);
	blk_report_free(&b->blk);
	if (b->d.exits == &b->own_x)
		exits_checkpoint_free(&b->own_x);
	host_report_free(&b->host);
	free(b->d.stacks);
	free(b);
}

/* --host: each VM's guest packets from its taps, counters at the start against now (the end's last
 * read, or for a checkpoint a read of its own with the owners seen so far). */
static void add_taps(struct run *r, struct host_report *h, bool final)
{
	struct tap_snap *now = final ? r->taps[1] : malloc(sizeof(*now));

	if (!now)
		return;
	if (!final) {
		*now = *r->taps[1];
		tap_counters("", now);
	}
	host_add_taps(h, r->taps[0], now);
	if (!final)
		free(now);
}

/* What the bundle says about the run itself: the META fields. */
static void fill_meta(const struct run *r, struct rec_data *d, bool final, int cmd_status)
{
	struct platform plat;

	d->load_ms = r->s.e.load_ms;
	d->attach_ms = r->s.e.attach_ms;
	d->irqs_mapped = r->s.irqs_mapped;
	d->disk_irqs_mapped = r->s.disk_irqs_mapped;
	d->deep_found = r->s.deep_found;
	d->ndeep = r->s.ndeep;
	d->cmd_status = cmd_status;
	d->checkpoint = !final;
	d->recursion_misses = r->s.e.recursion_misses;
	d->stacks_dropped = engine_stacks_dropped(&r->s.e);
	snprintf(d->btf_unmeasured, sizeof(d->btf_unmeasured), "%s", r->s.e.btf_unmeasured);
	d->self_ns_per_hit = r->self.ns_per_hit;
	snprintf(d->self_cost_why, sizeof(d->self_cost_why), "%s",
		 r->self.ns_per_hit > 0 ? "" : r->self.why[0] ? r->self.why : "still being measured");
	if (r->budget_pct > 0) {
		struct budget_stats bs;

		budget_stats(&r->budget, &bs);
		d->budget_pct = bs.pct;
		d->budget_on_s = bs.on_s;
		d->budget_run_s = bs.run_s;
		d->budget_windows = bs.windows;
		d->budget_ns_per_hit = bs.ns_per_hit;
		d->budget_cost_pct = bs.cost_pct;
		d->budget_lost_points = bs.lost_points;
	}
	d->start_unix = r->start_unix;
	d->end_unix = time(NULL);
	snprintf(d->version, sizeof(d->version), "%s", IOPATH_VERSION);
	snprintf(d->kernel, sizeof(d->kernel), "%s", r->s.kv.release);
	platform_detect("", &plat);
	snprintf(d->platform, sizeof(d->platform), "%s", platform_name(&plat));
	snprintf(d->environment, sizeof(d->environment), "%s", r->environment ? r->environment : "");
	rec_data_name_netns(d);
	for (int i = 1, off = 0; i < r->argc && off < (int)sizeof(d->options) - 1; i++)
		off += snprintf(d->options + off, sizeof(d->options) - off, "%s%s", i > 1 ? " " : "", r->argv[i]);
}

/* Reads every section from the live maps into a new bundle. At the end (final: after exits_end and
 * the last tap read) it is the report; during the run it is a checkpoint, counting going on.
 * NULL after saying why. */
struct bundle *bundle_build(struct run *r, bool final, int cmd_status)
{
	struct bundle *b = calloc(1, sizeof(*b));
	struct exits_report *x = final ? &r->xrep : &b->own_x;
	double seconds = (now_ns() - r->t0) / 1e9;
	struct rec_data *d;
	int err;

	if (!b)
		return NULL;
	d = &b->d;
	if (!final && exits_checkpoint(&r->s.e, &r->xrep, x))
		iop_warn("checkpoint: cannot read /proc/interrupts: interrupt counts have no kernel reference");
	net_report_start_copy(&b->net, &r->rep);
	x->task_scope = r->task_scope;
	x->task_pid = r->task_pid;
	b->net.seconds = b->blk.seconds = b->host.seconds = x->seconds = seconds;
	*d = (struct rec_data){
		.has_net = r->t.net, .has_blk = r->t.blk, .has_exits = true, .has_host = r->want_host,
		.has_deep = r->want_deep, .pts = r->s.pts, .n = r->s.n,
		.net = &b->net, .blk = &b->blk, .exits = x, .host = &b->host,
	};
	/* every section the recording has reads its maps (exits: hits were read by exits_end/_checkpoint) */
	if ((err = rec_data_collect(&r->s.e, d))) {
		if (final)
			iop_err("cannot read the recording from the kernel's maps: %s", strerror(err < 0 ? -err : err));
		bundle_free(b);
		return NULL;
	}
	if (r->want_host) {
		b->host.guest_packets = r->guest_packets;
		add_taps(r, &b->host, final);
	}
	for (int k = 0; k < EXK__COUNT; k++) {
		for (int i = 0; r->t.net && i < b->net.ndev; i++)
			x->charged_net += b->net.dev[i].a.exits[k];
		for (int i = 0; r->t.blk && i < b->blk.ncls; i++)
			x->charged_blk += b->blk.cls[i].a.exits[k];
		x->background += r->t.net ? b->net.bg_exits[k] : b->blk.bg_exits[k];
	}
	fill_meta(r, d, final, cmd_status);
	if (r->want_stacks && stacks_collect(&r->s.e, &d->stacks, &d->stacks_len, &d->nstacks) && final)
		iop_warn("kernel stacks not recorded");
	return b;
}

/* A checkpoint: the recording so far, replacing the last one, so that a run killed (-9, power) loses
 * at most one interval. Says so when checkpoints start failing, and when they work again. */
void checkpoint(struct run *r, struct outfile *out, int *failing)
{
	struct bundle *b = bundle_build(r, false, -1);
	int err = b ? rec_data_save_to(&b->d, out) : -ENOMEM;

	if (err && !*failing)
		iop_warn("checkpoint not written to %s: %s (the recording goes on; tried again each interval)",
			 out->path, strerror(-err));
	else if (!err && *failing)
		iop_warn("checkpoints written to %s again", out->path);
	*failing = err != 0;
	bundle_free(b);
}
