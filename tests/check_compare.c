/* iopath compare (record/compare.h): the model from real recordings made on the development
 * machine (tests/golden/compare/live-*.rec), the explanation's rules on those recordings with
 * crossings set as a Xen HVM and a KVM guest would have them, and the printers' golden outputs
 * (tests/golden/compare/sets; tools/regen-golden.sh). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>

#include "record/compare.h"
#include "report/exitmodel.h"
#include "report/host_names.h"
#include "recedit.h"
#include "testutil.h"

#define VETH "tests/golden/compare/live-veth.rec"
#define LO "tests/golden/compare/live-lo.rec"
#define DIRECT "tests/golden/compare/live-direct.rec"
#define BUFFERED "tests/golden/compare/live-buffered.rec"
/* record --net -i lo --blk --exits -- sh -c "udp-sink & udp-send 400 datagrams; dd 64 direct writes" */
#define TASKS "tests/golden/tasks-lo-loop.rec"

static void load(struct rec_data *d, const char *path)
{
	char err[300];

	ck_assert_msg(rec_data_load(d, path, err, sizeof(err)) == 0, "%s: %s", path, err);
}

static const struct cmp_section *section(const struct cmp_group *g, const char *title)
{
	for (int i = 0; i < g->nsec; i++)
		if (!strcmp(g->sec[i].title, title))
			return &g->sec[i];
	ck_abort_msg("no section %s", title);
	return NULL;
}

static const struct cmp_row *row(const struct cmp_section *s, const char *name)
{
	for (int i = 0; i < s->nrow; i++)
		if (!strcmp(s->row[i].name + strspn(s->row[i].name, " "), name))
			return &s->row[i];
	return NULL;
}

static const struct net_report_dev *dev(const struct rec_data *d, int dir)
{
	const struct net_report_dev *best = NULL;

	for (int i = 0; i < d->net->ndev; i++)
		if (d->net->dev[i].dir == dir && (!best || d->net->dev[i].a.started > best->a.started))
			best = &d->net->dev[i];
	return best;
}

/* Two network recordings: per-packet rows equal the recordings' own aggregates, the devices
 * (iopwl*a vs lo) pair by rank, and what this machine could not count is n/m with its reason. */
START_TEST(model_matches_the_recordings)
{
	struct rec_data a, b;
	struct cmp_input in[2];
	struct compare c;

	load(&a, VETH);
	load(&b, LO);
	in[0] = (struct cmp_input){ &a, VETH, NULL, NULL };
	in[1] = (struct cmp_input){ &b, LO, "", NULL };
	ck_assert_int_eq(compare_build(&c, in, 2), 0);
	ck_assert_int_eq(c.ngroup, 1);
	ck_assert_str_eq(c.g[0].phase, "whole run");
	ck_assert_int_eq(c.g[0].ncol, 2);
	for (int dir = DIR_TX; dir <= DIR_RX; dir++) {
		const struct cmp_section *s = section(&c.g[0], dir == DIR_TX ? "network TX" : "network RX");
		const struct net_report_dev *x = dev(&a, dir), *y = dev(&b, dir);
		const struct cmp_row *r = row(s, "packets"), *h = row(s, "probe hits/packet");
		const struct cmp_row *n = row(s, "notify/packet"), *e = row(s, "exits/packet");

		ck_assert_ptr_nonnull(r);
		ck_assert_str_eq(s->unit_name[1], "lo");
		ck_assert_msg(!strncmp(s->unit_name[0], "iopwl", 5), "paired %s", s->unit_name[0]);
		ck_assert_str_eq(s->paired_by, "names differ: paired by packets rank");
		ck_assert(r->c[0].ok && r->c[1].ok);
		ck_assert_uint_eq((unsigned long long)r->c[0].v, x->a.started);
		ck_assert_uint_eq((unsigned long long)r->c[1].v, y->a.started);
		ck_assert_double_eq_tol(h->c[0].v, (double)x->a.len_sum / x->a.ended, 1e-9);
		ck_assert_double_eq_tol(h->c[1].v, (double)y->a.len_sum / y->a.ended, 1e-9);
		/* no kprobes here: virtio notifies cannot be counted, so no notify row claims a 0 */
		ck_assert_msg(!n, "a notify row although every column could not count it");
		ck_assert(e->c[0].ok && e->c[0].lower_bound);
		ck_assert_msg(strstr(e->c[0].why, "notify") && strstr(e->c[0].why, "unavailable"), "%s", e->c[0].why);
		ck_assert_int_eq(s->total[0].count, x->a.ended);
	}
	/* neither recorded --blk: no block section at all */
	for (int i = 0; i < c.g[0].nsec; i++)
		ck_assert_msg(strncmp(c.g[0].sec[i].title, "block", 5), "%s", c.g[0].sec[i].title);
	compare_free(&c);
	rec_data_free(&a);
	rec_data_free(&b);
}
END_TEST

/* A column without the unit, or without the path, is not measured with its reason, never 0. */
START_TEST(absent_is_not_measured)
{
	struct rec_data a, b;
	struct cmp_input in[2];
	struct compare c;
	const struct cmp_section *s;
	const struct cmp_row *r;

	load(&a, VETH);
	load(&b, DIRECT);
	in[0] = (struct cmp_input){ &a, VETH, NULL, NULL };
	in[1] = (struct cmp_input){ &b, DIRECT, NULL, NULL };
	ck_assert_int_eq(compare_build(&c, in, 2), 0);
	s = section(&c.g[0], "network TX");
	r = row(s, "interrupts/packet");
	ck_assert_ptr_nonnull(r);
	ck_assert(r->c[0].ok && !r->c[1].ok);
	ck_assert_str_eq(r->c[1].why, "recorded without --net");
	s = section(&c.g[0], "block write");
	r = row(s, "requests");
	ck_assert(!r->c[0].ok && r->c[1].ok);
	ck_assert_str_eq(r->c[0].why, "recorded without --blk");
	ck_assert_uint_eq((unsigned long long)r->c[1].v, 256);
	{
		char *t = CAPTURE(f, compare_text(f, &c));

		ck_assert_msg(strstr(t, "n/m[") && strstr(t, "recorded without --blk"), "%s", t);
		free(t);
		t = CAPTURE(f, compare_json(f, &c));
		ck_assert_msg(strstr(t, "\"not_measured\": [\n") && strstr(t, "\"recorded without --net\""), "JSON");
		free(t);
	}
	compare_free(&c);
	rec_data_free(&a);
	rec_data_free(&b);
}
END_TEST

/* Recordings group by phase in the order phases first appear; no phase: "whole run". */
START_TEST(groups_by_phase)
{
	struct rec_data a, b;
	struct cmp_input in[4];
	struct compare c;

	load(&a, VETH);
	load(&b, LO);
	in[0] = (struct cmp_input){ &a, "x.udp-rr.rec", "udp-rr", NULL };
	in[1] = (struct cmp_input){ &b, "y.rec", NULL, NULL };
	in[2] = (struct cmp_input){ &b, "y.udp-rr.rec", "udp-rr", "mine" };
	in[3] = (struct cmp_input){ &a, "x.rec", "", NULL };
	ck_assert_int_eq(compare_build(&c, in, 4), 0);
	ck_assert_int_eq(c.ngroup, 2);
	ck_assert_str_eq(c.g[0].phase, "udp-rr");
	ck_assert_str_eq(c.g[1].phase, "whole run");
	ck_assert_int_eq(c.g[0].ncol, 2);
	ck_assert_int_eq(c.g[0].col[0].in, 0);
	ck_assert_int_eq(c.g[0].col[1].in, 2);
	ck_assert_str_eq(c.g[0].col[1].label, "mine");
	ck_assert_int_eq(c.g[1].col[0].in, 1);
	ck_assert_int_eq(c.g[1].col[1].in, 3);
	ck_assert_str_eq(c.g[1].col[0].label, "PVM (paravirtual, on KVM) (lo)");
	compare_free(&c);
	rec_data_free(&a);
	rec_data_free(&b);
}
END_TEST

/* Makes d's recording look like a guest of platform whose notify point (profile, symbol) counted
 * per_packet exits per TX packet: the point attached, the packets charged. */
static void as_guest(struct rec_data *d, const char *platform, const char *profile, const char *sym,
		     double per_packet)
{
	struct net_report_dev *x = (struct net_report_dev *)dev(d, DIR_TX);
	bool found = false;

	snprintf(d->platform, sizeof(d->platform), "%s", platform);
	for (unsigned i = 0; i < d->n; i++)
		if (!strcmp(d->pts[i].pt->profile, profile) && strstr(d->pts[i].pt->symbols, sym) &&
		    d->pts[i].pt->role == ROLE_NOTIFY) {
			d->pts[i].status = PST_ATTACHED;
			d->pts[i].hits = 1000;
			found = true;
		}
	ck_assert_msg(found, "no %s %s point in the recording", profile, sym);
	x->a.exits[EXK_NOTIFY] = (unsigned long long)(per_packet * (x->a.ended ? x->a.ended : x->a.started));
}

/* The explanation: the notify crossings lead (largest difference), each column named with its
 * number, its mechanism from its own platform's exit model and the model's verdict and reason. */
START_TEST(explanation_names_mechanism_and_platform)
{
	struct rec_data a, b;
	struct cmp_input in[2];
	struct compare c;
	const struct cmp_row *r;
	const char *e;

	load(&a, VETH);
	load(&b, VETH);
	as_guest(&a, "Xen HVM", "xen-events", "notify_remote_via_irq", 1.0);
	as_guest(&b, "KVM", "virtio-core", "notify", 5.0);
	in[0] = (struct cmp_input){ &a, "hvm.rec", NULL, "Xen HVM (netfront)" };
	in[1] = (struct cmp_input){ &b, "kvm.rec", NULL, "KVM (virtio_net)" };
	ck_assert_int_eq(compare_build(&c, in, 2), 0);
	r = row(section(&c.g[0], "network TX"), "notify/packet");
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(r->c[0].mech, "evtchn-send");
	ck_assert_str_eq(r->c[1].mech, "virtio-kick");
	ck_assert_int_eq(r->c[0].verdict, XV_EXITS);
	ck_assert_int_eq(r->c[1].verdict, exit_model_verdict(XM_VIRTIO_KICK, XP_KVM));
	ck_assert_double_eq_tol(r->c[0].v, 1.0, 0.01);
	ck_assert_double_eq_tol(r->c[1].v, 5.0, 0.01);
	/* the exits sum: 5 vs 1 (both leave the guest on their platforms), a lower bound */
	r = row(section(&c.g[0], "network TX"), "exits/packet");
	ck_assert_double_eq_tol(r->c[1].v, 5.0, 0.01);
	ck_assert(r->c[1].lower_bound);
	/* one sentence: the exits sum differs by the notify rows' difference, so it is not repeated */
	ck_assert_int_eq(c.g[0].nexpl, 1);
	e = c.g[0].expl[0];
	/* the first sentence: the largest difference (4 per packet) */
	ck_assert_msg(strstr(e, "per TX packet"), "%s", e);
	ck_assert_msg(strstr(e, "KVM (virtio_net) ") && strstr(e, "Xen HVM (netfront) "), "%s", e);
	ck_assert_msg(strstr(e, "(5.00x)"), "%s", e);
	/* largest first: KVM's 5.00 before Xen's 1.00 */
	ck_assert_msg(strstr(e, "notify per TX packet: KVM (virtio_net) 5.00"), "%s", e);
	ck_assert(strstr(e, "KVM (virtio_net)") < strstr(e, "Xen HVM (netfront)"));
	{
		bool named = false;

		for (int i = 0; i < c.g[0].nexpl; i++)
			if (strstr(c.g[0].expl[i], "Xen HVM (netfront) 1.00 evtchn-send (exits: ") &&
			    strstr(c.g[0].expl[i], "KVM (virtio_net) 5.00 virtio-kick ("))
				named = true;
		ck_assert_msg(named, "no sentence names evtchn-send and virtio-kick: %s", e);
	}
	compare_free(&c);
	rec_data_free(&a);
	rec_data_free(&b);
}
END_TEST

/* Only rows of the rule table are explained, and only differences above the thresholds: the
 * direct vs buffered writes differ 128x in bytes/request (no rule: not a mechanism) and not at
 * all in probe hits; two equal notify counts give no sentence either. */
START_TEST(explanation_follows_the_rules)
{
	struct rec_data a, b;
	struct cmp_input in[2];
	struct compare c;
	const struct cmp_row *r;

	load(&a, DIRECT);
	load(&b, BUFFERED);
	in[0] = (struct cmp_input){ &a, DIRECT, NULL, NULL };
	in[1] = (struct cmp_input){ &b, BUFFERED, NULL, NULL };
	ck_assert_int_eq(compare_build(&c, in, 2), 0);
	r = row(section(&c.g[0], "block write"), "bytes/request");
	ck_assert_double_eq_tol(r->c[1].v / r->c[0].v, 128, 1e-9);
	ck_assert_int_eq(c.g[0].nexpl, 0);
	compare_free(&c);
	rec_data_free(&a);
	rec_data_free(&b);

	load(&a, VETH);
	load(&b, VETH);
	as_guest(&a, "Xen HVM", "xen-events", "notify_remote_via_irq", 1.0);
	as_guest(&b, "Xen PV", "xen-events", "notify_remote_via_irq", 1.04);   /* under 10 % */
	in[0] = (struct cmp_input){ &a, "a", NULL, NULL };
	in[1] = (struct cmp_input){ &b, "b", NULL, NULL };
	ck_assert_int_eq(compare_build(&c, in, 2), 0);
	ck_assert_int_eq(c.g[0].nexpl, 0);
	compare_free(&c);
	/* the same at 2x is explained */
	as_guest(&b, "Xen PV", "xen-events", "notify_remote_via_irq", 2.0);
	ck_assert_int_eq(compare_build(&c, in, 2), 0);
	ck_assert_int_ge(c.g[0].nexpl, 1);
	ck_assert_msg(strstr(c.g[0].expl[0], "(2.00x)"), "%s", c.g[0].expl[0]);
	compare_free(&c);
	rec_data_free(&a);
	rec_data_free(&b);
}
END_TEST

/* Measured in one column, not measured in another: no difference is claimed, a sentence says the
 * two cannot be compared and why; a column without the device says nothing. */
START_TEST(explanation_says_what_cannot_be_compared)
{
	struct rec_data a, b, k;
	struct cmp_input in[3];
	struct compare c;
	bool said = false;

	load(&a, VETH);
	load(&b, VETH);   /* as recorded here: virtio notifies unavailable (no kprobes) */
	load(&k, DIRECT); /* no network path at all */
	as_guest(&a, "Xen HVM", "xen-events", "notify_remote_via_irq", 1.0);
	in[0] = (struct cmp_input){ &a, "a", NULL, "Xen HVM (netfront)" };
	in[1] = (struct cmp_input){ &b, "b", NULL, "here" };
	in[2] = (struct cmp_input){ &k, "k", NULL, "disk only" };
	ck_assert_int_eq(compare_build(&c, in, 3), 0);
	for (int i = 0; i < c.g[0].nexpl; i++) {
		const char *e = c.g[0].expl[i];

		ck_assert_msg(!strstr(e, "x)"), "a ratio claimed against a column that could not count: %s", e);
		ck_assert_msg(!strstr(e, "disk only"), "a column without the device in: %s", e);
		if (strstr(e, "notify per TX packet cannot be compared: Xen HVM (netfront) 1.00 evtchn-send; here not "
			      "measured (virtio-core virtqueue_notify: unavailable"))
			said = true;
	}
	ck_assert_msg(said, "no sentence on the notify row: %s", c.g[0].nexpl ? c.g[0].expl[0] : "(none)");
	compare_free(&c);
	rec_data_free(&a);
	rec_data_free(&b);
	rec_data_free(&k);
}
END_TEST

/* d's task point of this tracepoint attached (as on a Xen PV guest, where the PV rows attach). */
static void task_point_attached(struct rec_data *d, const char *point)
{
	bool found = false;

	for (unsigned i = 0; i < d->n; i++)
		if (d->pts[i].pt->symbols && !strcmp(d->pts[i].pt->symbols, point)) {
			d->pts[i].status = PST_ATTACHED;
			found = true;
		}
	ck_assert_msg(found, "no point %s in the recording", point);
}

static const struct cmp_cell *task_cell_of(const struct compare *c, const char *sec, const char *name, int col)
{
	const struct cmp_row *r = row(section(&c->g[0], sec), name);

	ck_assert_msg(r, "no row %s in %s", name, sec);
	return &r->c[col];
}

/* The traced tasks' crossings (record --exits -- CMD): per packet (every packet of the recording,
 * TX and RX), per request and per second, each cell with its column's verdict; the crossings the
 * model derives marked derived (Xen PV: 2 per syscall and page fault, a lower bound; KVM: 0, they
 * stay in the guest); a row one platform cannot have (PV multicalls on KVM) n/m with the point's
 * reason; a recording without traced tasks (an older iopath, record without --exits) n/m with
 * why, never 0, and no sentence of its own. The explanation says the derived crossings. */
START_TEST(task_crossings_around_the_path)
{
	struct rec_data pv, kvm, old, noexits;
	struct cmp_input in[4];
	struct compare c;
	const struct cmp_cell *x;
	unsigned long long sc, pf, pk, packets, requests;
	double derived;
	bool said = false;

	load(&pv, TASKS);
	load(&kvm, TASKS);
	load(&old, LO);
	load(&noexits, TASKS);
	snprintf(pv.platform, sizeof(pv.platform), "Xen PV");
	snprintf(kvm.platform, sizeof(kvm.platform), "KVM");
	noexits.exits->task_scope = EXT_NOT_ASKED;
	task_point_attached(&pv, "xen:xen_mc_flush");
	pv.exits->task_ctr[TC_MC_HYPERCALL] = 120;
	sc = pv.exits->task_ctr[TC_SYSCALLS];
	pf = pv.exits->task_ctr[TC_PF_USER];
	pk = pv.exits->task_ctr[TC_PF_KERNEL];
	packets = pv.net->ctr[NC_ENDED];
	requests = pv.blk->ctr[BC_ENDED];
	/* the recording: 400 datagrams over lo (800 packets, TX and RX), 64 writes, a few hundred syscalls */
	ck_assert_uint_eq(packets, 800);
	ck_assert_uint_eq(requests, 64);
	ck_assert_uint_ge(sc, 100);
	ck_assert_uint_ge(pf, 1);
	in[0] = (struct cmp_input){ &pv, "pv.rec", NULL, "Xen PV" };
	in[1] = (struct cmp_input){ &kvm, "kvm.rec", NULL, "KVM" };
	in[2] = (struct cmp_input){ &old, LO, NULL, "old" };
	in[3] = (struct cmp_input){ &noexits, "n.rec", NULL, "no exits" };
	ck_assert_int_eq(compare_build(&c, in, 4), 0);
	/* syscalls per packet: the count over every packet, exits on Xen PV, stays on KVM */
	x = task_cell_of(&c, "around the I/O path, per packet", "syscalls/packet", 0);
	ck_assert(x->ok && !x->derived);
	ck_assert_double_eq_tol(x->v, (double)sc / packets, 1e-12);
	ck_assert_int_eq(x->verdict, XV_EXITS);
	ck_assert_str_eq(x->mech, "syscall");
	ck_assert_msg(strstr(x->why, "2 crossings, derived"), "%s", x->why);
	x = task_cell_of(&c, "around the I/O path, per packet", "syscalls/packet", 1);
	ck_assert_double_eq_tol(x->v, (double)sc / packets, 1e-12);
	ck_assert_int_eq(x->verdict, XV_STAYS);
	x = task_cell_of(&c, "around the I/O path, per request", "page faults (user)/request", 0);
	ck_assert_double_eq_tol(x->v, (double)pf / requests, 1e-12);
	x = task_cell_of(&c, "around the I/O path, per second", "syscalls/s", 1);
	ck_assert_double_eq_tol(x->v, sc / kvm.exits->seconds, 1e-9);
	/* not traced: never 0 */
	for (int j = 2; j < 4; j++) {
		x = task_cell_of(&c, "around the I/O path, per packet", "syscalls/packet", j);
		ck_assert(!x->ok && x->absent);
		ck_assert_msg(strstr(x->why, j == 2 ? "an older iopath made it" : "record without --exits"), "%s", x->why);
	}
	/* PV multicalls: on Xen PV only; KVM's cell says why, it is not a 0 */
	x = task_cell_of(&c, "around the I/O path, per packet", "PV multicalls/packet", 0);
	ck_assert_double_eq_tol(x->v, 120.0 / packets, 1e-12);
	ck_assert_int_eq(x->verdict, XV_EXITS);
	x = task_cell_of(&c, "around the I/O path, per packet", "PV multicalls/packet", 1);
	ck_assert(!x->ok && !x->absent);
	ck_assert_msg(strstr(x->why, "xen:xen_mc_flush not-applicable-here"), "%s", x->why);
	/* derived: Xen PV 2 x (syscalls + page faults), a lower bound; KVM 0; PVM-less columns n/m */
	derived = (2.0 * sc + 2.0 * (pf + pk)) / packets;
	x = task_cell_of(&c, "around the I/O path, per packet", "crossings derived/packet", 0);
	ck_assert(x->ok && x->derived && x->lower_bound);
	ck_assert_double_eq_tol(x->v, derived, 1e-12);
	ck_assert_msg(strstr(x->why, "DERIVED from the exit model, not measured: 2 x ") && strstr(x->why, "per packet"),
		      "%s", x->why);
	x = task_cell_of(&c, "around the I/O path, per packet", "crossings derived/packet", 1);
	ck_assert(x->ok && x->derived && !x->lower_bound && x->v == 0);
	ck_assert_msg(strstr(x->why, "stay in the guest"), "%s", x->why);
	x = task_cell_of(&c, "around the I/O path, per packet", "crossings derived/packet", 2);
	ck_assert(!x->ok && !x->derived);
	for (int i = 0; i < c.g[0].nexpl; i++) {
		const char *e = c.g[0].expl[i];

		ck_assert_msg(!strstr(e, "old") && !strstr(e, "no exits"), "a column without traced tasks in: %s", e);
		if (strstr(e, "crossings derived per packet (") && strstr(e, "Xen PV >= ") &&
		    strstr(e, "(derived: 2 per syscall and page fault)") && strstr(e, "KVM 0 (derived: they stay in the guest)"))
			said = true;
	}
	ck_assert_msg(said, "no sentence on the derived crossings: %s", c.g[0].nexpl ? c.g[0].expl[0] : "(none)");
	{
		char *t = CAPTURE(f, compare_text(f, &c)), want[64];

		ck_assert_msg(strstr(t, "\naround the I/O path, per packet") && strstr(t, "syscalls/packet") &&
			      strstr(t, "] in 1: DERIVED from the exit model, not measured: 2 x ") &&
			      strstr(t, "not in this recording (an older iopath made it)") &&
			      strstr(t, "record without --exits"), "%s", t);
		snprintf(want, sizeof(want), ">=%.3g[", derived);
		ck_assert_msg(strstr(t, want), "no %s in: %s", want, t);
		free(t);
		t = CAPTURE(f, compare_json(f, &c));
		ck_assert_msg(strstr(t, "\"derived\": [\n") && strstr(t, "\"name\": \"crossings derived/packet\""), "%s", t);
		free(t);
		t = CAPTURE(f, ck_assert_int_eq(compare_html(f, &c), 0));
		ck_assert_msg(strstr(t, "derived, not measured</small>"), "HTML without the derived mark");
		free(t);
	}
	compare_free(&c);
	/* no column traced tasks: no section */
	in[0] = (struct cmp_input){ &old, LO, NULL, NULL };
	in[1] = (struct cmp_input){ &noexits, "n.rec", NULL, NULL };
	ck_assert_int_eq(compare_build(&c, in, 2), 0);
	for (int i = 0; i < c.g[0].nsec; i++)
		ck_assert_msg(strncmp(c.g[0].sec[i].title, "around", 6), "%s", c.g[0].sec[i].title);
	compare_free(&c);
	rec_data_free(&pv);
	rec_data_free(&kvm);
	rec_data_free(&old);
	rec_data_free(&noexits);
}
END_TEST

/* Labels from the recording: platform and the drivers whose points fired, else devices. */
START_TEST(labels)
{
	struct rec_data a;
	char l[96];

	load(&a, DIRECT);
	compare_label_of(&a, l, sizeof(l));
	ck_assert_str_eq(l, "PVM (paravirtual, on KVM) (loop0)");
	ck_assert(!compare_times_unreal(&a));
	snprintf(a.platform, sizeof(a.platform), "KVM (QEMU TCG)");
	ck_assert(compare_times_unreal(&a));
	for (unsigned i = 0; i < a.n; i++)
		if (!strcmp(a.pts[i].pt->profile, "xen-blkfront")) {
			a.pts[i].status = PST_ATTACHED;
			a.pts[i].hits = 3;
		}
	snprintf(a.platform, sizeof(a.platform), "Xen HVM");
	compare_label_of(&a, l, sizeof(l));
	ck_assert_str_eq(l, "Xen HVM (blkfront)");
	rec_data_free(&a);
}
END_TEST

/* record --host: host exits per guest packet by reason, over the guest packets the host saw;
 * without a packet count, and in a guest's recording, not measured with the reason. */
START_TEST(host_exits_per_guest_packet)
{
	struct rec_data a, h;
	struct cmp_input in[2];
	struct compare c;
	const struct cmp_section *s;
	const struct cmp_row *r;
	unsigned long long total = 0, npf = 0;

	load(&a, VETH);
	load(&h, "tests/golden/host-kvmtiny.rec");
	in[0] = (struct cmp_input){ &a, VETH, NULL, NULL };
	in[1] = (struct cmp_input){ &h, "host.rec", NULL, NULL };
	ck_assert_int_eq(compare_build(&c, in, 2), 0);
	s = section(&c.g[0], "host exits (record --host)");
	r = row(s, "host exits/guest packet");
	ck_assert(!r->c[0].ok && !r->c[1].ok);
	ck_assert_str_eq(r->c[0].why, "recorded without --host: no host-side view");
	ck_assert_msg(strstr(r->c[1].why, "guest packets unknown"), "%s", r->c[1].why);
	compare_free(&c);
	h.host->guest_packets = 200;   /* as --guest-packets 200 gives it */
	for (int i = 0; i < h.host->nexit; i++) {
		total += h.host->exit[i].v.count;
		if (!strcmp(host_reason_name(h.host->exit[i].k.isa, h.host->exit[i].k.reason), "npf"))
			npf += h.host->exit[i].v.count;
	}
	ck_assert_uint_eq(total, 404);   /* the report's figure for this recording */
	ck_assert_int_eq(compare_build(&c, in, 2), 0);
	s = section(&c.g[0], "host exits (record --host)");
	r = row(s, "host exits/guest packet");
	ck_assert(r->c[1].ok);
	ck_assert_double_eq_tol(r->c[1].v, 404 / 200.0, 1e-9);
	r = row(s, "npf");
	ck_assert_ptr_nonnull(r);
	ck_assert_double_eq_tol(r->c[1].v, (double)npf / 200, 1e-9);
	ck_assert_str_eq(r->c[1].mech, "npf");
	ck_assert(!r->c[0].ok);
	compare_free(&c);
	/* two hosts, the second with half the guest packets: twice the exits per packet, explained
	 * by reason (the total, which the reasons make up, leads: the largest difference) */
	{
		struct rec_data h2;

		load(&h2, "tests/golden/host-kvmtiny.rec");
		h2.host->guest_packets = 100;
		in[0] = (struct cmp_input){ &h, "host1.rec", NULL, "KVM host 1" };
		in[1] = (struct cmp_input){ &h2, "host2.rec", NULL, "KVM host 2" };
		ck_assert_int_eq(compare_build(&c, in, 2), 0);
		ck_assert_int_ge(c.g[0].nexpl, 2);
		ck_assert_msg(!strncmp(c.g[0].expl[0], "host exits per guest packet (kvm_exit on the host, every reason): "
					"KVM host 2 4.04; KVM host 1 2.02 (2.00x)", 200), "%s", c.g[0].expl[0]);
		ck_assert_msg(strstr(c.g[0].expl[1], "KVM host 2 2.01 npf; KVM host 1 1.00 npf (2.00x)"), "%s",
			      c.g[0].expl[1]);
		compare_free(&c);
		rec_data_free(&h2);
	}
	rec_data_free(&a);
	rec_data_free(&h);
}
END_TEST

/* --label: one per recording, or one per column of every phase; any other count is refused and
 * leaves no label behind. */
START_TEST(labels_by_argument_order)
{
	struct rec_data a;
	struct cmp_input in[4];
	const char *two[] = { "Xen PV", "KVM" }, *four[] = { "a", "b", "c", "d" };
	char err[200];

	load(&a, VETH);
	in[0] = (struct cmp_input){ &a, "pv.udp-rr.rec", "udp-rr", NULL };
	in[1] = (struct cmp_input){ &a, "pv.blk-rand-qd1.rec", "blk-rand-qd1", NULL };
	in[2] = (struct cmp_input){ &a, "kvm.udp-rr.rec", "udp-rr", NULL };
	in[3] = (struct cmp_input){ &a, "kvm.blk-rand-qd1.rec", "blk-rand-qd1", NULL };
	ck_assert_int_eq(compare_labels(in, 4, four, 4, err, sizeof(err)), 0);
	ck_assert_str_eq(in[2].label, "c");
	/* two platforms, two phases each: the first of each phase is "Xen PV", the second "KVM" */
	ck_assert_int_eq(compare_labels(in, 4, two, 2, err, sizeof(err)), 0);
	ck_assert_str_eq(in[0].label, "Xen PV");
	ck_assert_str_eq(in[1].label, "Xen PV");
	ck_assert_str_eq(in[2].label, "KVM");
	ck_assert_str_eq(in[3].label, "KVM");
	ck_assert_int_eq(compare_labels(in, 4, four, 3, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "3 --label for 4 recordings (give one per recording, or one per column of every phase)");
	ck_assert_ptr_null(in[0].label);
	in[3].phase = "blk-seq-read";   /* phases of 2, 1 and 1 recordings: 2 labels fit none */
	ck_assert_int_eq(compare_labels(in, 4, two, 2, err, sizeof(err)), -EINVAL);
	rec_data_free(&a);
}
END_TEST

/* The phase is META phase of the file (workload suite's per-phase recordings), read by the
 * loader compare uses; a file without one has "". */
START_TEST(phase_from_the_file)
{
	struct recording r;
	struct ed_rec e;
	struct rec_data d;
	char err[300], ph[64], path[] = "/tmp/iopath-check-compare-XXXXXX";
	uint8_t *b;
	size_t len;
	int fd;
	FILE *f;

	ck_assert_int_eq(rec_load(VETH, &r, err, sizeof(err)), 0);
	ed_from(&e, &r);
	rec_free(&r);
	ed_replace(ed_find(&e, RS_META), "iopath_version=", "phase=udp-rr\niopath_version=");
	b = ed_bytes(&e, &len);
	ck_assert_int_ge(fd = mkstemp(path), 0);
	ck_assert(f = fdopen(fd, "w"));
	ck_assert_uint_eq(fwrite(b, 1, len, f), len);
	fclose(f);
	free(b);
	ed_free(&e);
	ck_assert_int_eq(rec_data_load_key(&d, path, "phase", ph, sizeof(ph), err, sizeof(err)), 0);
	ck_assert_str_eq(ph, "udp-rr");
	rec_data_free(&d);
	unlink(path);
	strcpy(ph, "x");
	ck_assert_int_eq(rec_data_load_key(&d, VETH, "phase", ph, sizeof(ph), err, sizeof(err)), 0);
	ck_assert_str_eq(ph, "");
	rec_data_free(&d);
}
END_TEST

/* --- golden outputs --- */

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *b = NULL;
	size_t cap = 0, n;

	*len = 0;
	if (!f)
		return NULL;
	for (;;) {
		if (*len + 4096 > cap && !(b = realloc(b, cap = cap * 2 + 8192)))
			break;
		n = fread(b + *len, 1, 4096, f);
		*len += n;
		if (n < 4096)
			break;
	}
	fclose(f);
	if (b)
		b[*len] = 0;
	return b;
}

/* The top-level iopath_version is this build's: left out of the comparison. */
static void drop_version(char *s)
{
	char *p = strstr(s, "\n  \"iopath_version\": ");
	char *nl = p ? strchr(p + 1, '\n') : NULL;

	if (nl)
		memmove(p, nl, strlen(nl) + 1);
}

static void golden_set(char *line)
{
	char *w[16], *save = NULL, path[16][256], err[300], want_path[512];
	struct rec_data d[16];
	struct cmp_input in[16];
	struct compare c;
	int n = 0;

	for (char *t = strtok_r(line, " \t\n", &save); t && n < 16; t = strtok_r(NULL, " \t\n", &save))
		w[n++] = t;
	if (!n)
		return;
	ck_assert_msg(n >= 3, "compare/sets: %s has fewer than two recordings", w[0]);
	for (int i = 1; i < n; i++) {
		snprintf(path[i], sizeof(path[i]), "tests/golden/%s", w[i]);
		ck_assert_msg(rec_data_load(&d[i], path[i], err, sizeof(err)) == 0, "%s: %s", path[i], err);
		/* the recording's own phase, as iopath compare reads it */
		in[i - 1] = (struct cmp_input){ &d[i], path[i], d[i].phase, NULL };
	}
	ck_assert_int_eq(compare_build(&c, in, n - 1), 0);
	for (int json = 0; json < 2; json++) {
		size_t gl, wl;
		char *got = CAPTURE_LEN(m, gl, json ? compare_json(m, &c) : compare_text(m, &c));
		char *want;

		snprintf(want_path, sizeof(want_path), "tests/golden/compare/%s.%s", w[0], json ? "json" : "txt");
		want = slurp(want_path, &wl);
		ck_assert_msg(want, "%s missing: run tools/regen-golden.sh", want_path);
		if (json) {
			ck_assert_msg(!strncmp(got, "{\n  \"schema_version\": ", 22), "%s: schema_version not first", want_path);
			drop_version(got);
			drop_version(want);
		}
		if (strcmp(got, want)) {
			int l = 1;
			size_t i = 0;

			for (; got[i] && got[i] == want[i]; i++)
				l += got[i] == '\n';
			ck_abort_msg("%s differs from the printer's output at line %d; a deliberate change: "
				     "tools/regen-golden.sh", want_path, l);
		}
		free(got);
		free(want);
	}
	compare_free(&c);
	for (int i = 1; i < n; i++)
		rec_data_free(&d[i]);
}

START_TEST(golden_outputs)
{
	FILE *f = fopen("tests/golden/compare/sets", "r");
	char line[1024];
	int sets = 0;

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f))
		if (line[0] != '#' && line[0] != '\n') {
			golden_set(line);
			sets++;
		}
	fclose(f);
	ck_assert_int_ge(sets, 3);
}
END_TEST

/* The page is one self-contained document: no external reference, the plots inline. */
START_TEST(html_is_self_contained)
{
	struct rec_data a, b;
	struct cmp_input in[2];
	struct compare c;
	char *h;

	load(&a, VETH);
	load(&b, VETH);
	as_guest(&a, "Xen HVM", "xen-events", "notify_remote_via_irq", 1.0);
	as_guest(&b, "KVM", "virtio-core", "notify", 5.0);
	in[0] = (struct cmp_input){ &a, "a", NULL, NULL };
	in[1] = (struct cmp_input){ &b, "b", NULL, NULL };
	ck_assert_int_eq(compare_build(&c, in, 2), 0);
	h = CAPTURE(f, ck_assert_int_eq(compare_html(f, &c), 0));
	ck_assert(!strncmp(h, "<!DOCTYPE html>", 15));
	/* http:// only as the SVG namespace name, never as something fetched */
	ck_assert(!strstr(h, "src=\"http") && !strstr(h, "href=\"http") && !strstr(h, "src=\"//"));
	ck_assert(!strstr(h, "<link") && !strstr(h, "<script src") && !strstr(h, "@import") && !strstr(h, "url("));
	ck_assert(strstr(h, "crossings per TX packet by kind"));
	ck_assert(strstr(h, "<rect class=\"seg\""));           /* the stacked bars */
	ck_assert(strstr(h, "<rect class=\"bar\""));           /* the latency histograms */
	ck_assert(strstr(h, "src=\"data:image/svg+xml;base64,")); /* the differential flame graph */
	ck_assert(strstr(h, "evtchn-send") && strstr(h, "virtio-kick"));
	free(h);
	compare_free(&c);
	rec_data_free(&a);
	rec_data_free(&b);
}
END_TEST

/* A Xen domU cannot see that Xen itself runs under QEMU TCG: record --environment says so, the
 * recording keeps it, and compare marks that column's times as not real-world. */
START_TEST(environment_marks_times)
{
	struct rec_data d;
	char tmp[] = "/tmp/iopath-env-XXXXXX.rec", err[256];
	int fd = mkstemps(tmp, 4);

	ck_assert_int_ge(fd, 0);
	close(fd);
	load(&d, "tests/golden/compare/live-direct.rec");
	ck_assert(!compare_times_unreal(&d));
	snprintf(d.environment, sizeof(d.environment), "Xen 4.17 under QEMU TCG");
	ck_assert(compare_times_unreal(&d));
	ck_assert_int_eq(rec_data_save(&d, tmp), 0);
	rec_data_free(&d);
	ck_assert_msg(rec_data_load(&d, tmp, err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(d.environment, "Xen 4.17 under QEMU TCG");
	ck_assert(compare_times_unreal(&d));
	rec_data_free(&d);
	unlink(tmp);
}
END_TEST

/* A NIC whose interrupt line serves TX and RX (e1000 on the Xen HVM domU with emulated devices:
 * one line "eth0", kind rxtx; a lab recording of its udp-stream phase, 2001 TX packets and one RX):
 * the BPF side charges the line to RX, so per packet its interrupts and NAPI polls are over both
 * directions' packets in both sections, marked derived. netfront's split tx/rx event channels
 * (the Xen HVM domU with PV drivers, same phase) stay per direction; without the interrupt table
 * (no --exits) the rule cannot know and stays per direction too. */
#define HVMEMU "tests/golden/compare/lab-xen-hvmemu-udp-stream.rec"
#define HVMPV "tests/golden/compare/lab-xen-hvm-udp-stream.rec"
START_TEST(shared_line_over_both_directions)
{
	struct rec_data a, b;
	struct cmp_input in[2];
	struct compare c;
	const struct net_report_dev *tx, *rx;

	load(&a, HVMEMU);
	load(&b, HVMPV);
	in[0] = (struct cmp_input){ &a, HVMEMU, NULL, NULL };
	in[1] = (struct cmp_input){ &b, HVMPV, NULL, NULL };
	ck_assert_int_eq(compare_build(&c, in, 2), 0);
	tx = dev(&a, DIR_TX);
	rx = dev(&a, DIR_RX);
	/* the fixture is what the rule is for: TX-only traffic, the line's interrupts all on RX */
	ck_assert(tx && rx && tx->a.ended > 1000 && rx->a.ended < 10 && tx->a.irqs == 0 && rx->a.irqs > 1000);
	for (int dir = DIR_TX; dir <= DIR_RX; dir++) {
		const struct cmp_section *s = section(&c.g[0], dir == DIR_TX ? "network TX" : "network RX");
		const struct cmp_row *i = row(s, "interrupts/packet"), *p = row(s, "polls/packet");
		const struct net_report_dev *y = dev(&b, dir);

		ck_assert_ptr_nonnull(i);
		ck_assert_ptr_nonnull(p);
		ck_assert(i->c[0].ok && i->c[0].derived && p->c[0].derived);
		ck_assert_str_eq(i->c[0].mech, "TX+RX line");
		ck_assert_msg(strstr(i->c[0].why, "eth0") && strstr(i->c[0].why, "both directions"), "%s", i->c[0].why);
		ck_assert_double_eq_tol(i->c[0].v, (double)rx->a.irqs / (tx->a.ended + rx->a.ended), 1e-9);
		ck_assert_double_eq_tol(p->c[0].v, (double)rx->a.polls / (tx->a.ended + rx->a.ended), 1e-9);
		/* netfront: its own direction's count over its own packets */
		if (y) {
			ck_assert(i->c[1].ok && !i->c[1].derived);
			ck_assert_double_eq_tol(i->c[1].v, (double)y->a.irqs / (y->a.ended ? y->a.ended : y->a.started), 1e-9);
		}
	}
	compare_free(&c);
	/* without the interrupt table the line's kind is unknown: per direction, TX 0 then */
	a.exits = NULL;
	a.has_exits = false;
	ck_assert_int_eq(compare_build(&c, in, 1), 0);
	{
		const struct cmp_row *i = row(section(&c.g[0], "network RX"), "interrupts/packet");

		ck_assert(i && i->c[0].ok && !i->c[0].derived);
		ck_assert_double_eq_tol(i->c[0].v, (double)rx->a.irqs / rx->a.ended, 1e-9);
	}
	compare_free(&c);
	a.exits = &a.own_exits;
	a.has_exits = true;
	rec_data_free(&a);
	rec_data_free(&b);
}
END_TEST

int main(void)
{
	return RUN_TESTS_TIMEOUT("compare", "model, explanation, printers", 30, model_matches_the_recordings,
				 absent_is_not_measured, groups_by_phase, explanation_names_mechanism_and_platform,
				 explanation_follows_the_rules,
				 explanation_says_what_cannot_be_compared, task_crossings_around_the_path, labels, labels_by_argument_order, phase_from_the_file,
				 host_exits_per_guest_packet, golden_outputs, html_is_self_contained,
				 environment_marks_times, shared_line_over_both_directions);
}
