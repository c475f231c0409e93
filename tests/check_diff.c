/* iopath diff's pieces that golden outputs cannot pin down alone: the number
 * formats (integers as integers, ratios to 3 significant digits), the log2
 * bucket a quantile falls in, the one-line errors of -a/-b, and, on two
 * recordings built here, that a kind one side could not measure reads "n/m"
 * (never 0), that kinds neither measured and rows zero in both are left out,
 * and that devices of different names pair by rank and say so; the traced tasks' rows paired, with
 * derived crossings marked and n/m with why where a recording has no traced tasks. */
#include <math.h>
#include <string.h>

#include "out/hist.h"
#include "record/recdiff.h"
#include "testutil.h"

START_TEST(sig3_format)
{
	static const struct { double v; bool plus; const char *want; } c[] = {
		{ 0, false, "0" }, { 0, true, "+0" }, { 0.951, false, "0.951" }, { 1, false, "1.00" },
		{ 12.34, false, "12.3" }, { 9.996, false, "10.0" }, { 99.96, false, "100" },
		{ 554, false, "554" }, { 5461.7, false, "5462" }, { 30000, false, "30000" },
		{ -0.0364, true, "-0.0364" }, { 47.0, true, "+47.0" }, { 0.00905, false, "0.00905" },
		{ 0.0000123, false, "1.23e-05" }, { NAN, false, "-" },
	};
	char b[32];

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		ck_assert_msg(!strcmp(fmt_sig3(c[i].v, c[i].plus, b, sizeof(b)), c[i].want), "%g: '%s', want '%s'",
			      c[i].v, b, c[i].want);
}
END_TEST

START_TEST(quantile_slot)
{
	unsigned long long s[NET_HIST_SLOTS] = {};

	ck_assert_int_eq(log2_quantile_slot(s, NET_HIST_SLOTS, .5), -1);
	s[9] = 50;    /* [512, 1024) */
	s[10] = 50;   /* [1024, 2048) */
	ck_assert_int_eq(log2_quantile_slot(s, NET_HIST_SLOTS, .5), 9);
	ck_assert_int_eq(log2_quantile_slot(s, NET_HIST_SLOTS, .51), 10);
	ck_assert_int_eq(log2_quantile_slot(s, NET_HIST_SLOTS, .99), 10);
	/* the slot's top edge is interpolated as 2^(s+1) yet lies in slot s */
	ck_assert(log2_quantile(s, NET_HIST_SLOTS, .5) == 1024);
}
END_TEST

START_TEST(interface_errors)
{
	struct rec_data A, B;
	char err[300];
	struct rec_diff_opts o = { "a.rec", "b.rec", "nosuch", NULL };

	ck_assert_int_eq(rec_data_load(&A, "tests/golden/udp-veth-loop4k.rec", err, sizeof(err)), 0);
	ck_assert_int_eq(rec_data_load(&B, "tests/golden/host-kvmtiny.rec", err, sizeof(err)), 0);
	ck_assert_int_eq(rec_diff_check(&A, &B, &o, err, sizeof(err)), -ENOENT);
	ck_assert_str_eq(err, "-a nosuch: a.rec has no such interface (it has: iopwl4967a, iopwl4967b)");
	ck_assert(!strchr(err, '\n'));
	o.ia = "iopwl4967b";
	ck_assert_int_eq(rec_diff_check(&A, &B, &o, err, sizeof(err)), 0);
	o.ib = "eth0";
	ck_assert_int_eq(rec_diff_check(&A, &B, &o, err, sizeof(err)), -ENOENT);
	ck_assert_str_eq(err, "-b eth0: b.rec has no network path to pick an interface of");
	rec_data_free(&A);
	rec_data_free(&B);
}
END_TEST

static const struct probe_point notify = { "virtio-core", "virtqueue_notify", KIND_FUNC, ROLE_NOTIFY, PATH_EXIT,
					   IDENT_NONE, -1, PF_EXIT };

/* One TX device, 1000 packets; A measured notify exits (500), B could not. */
static void side(struct rec_data *d, struct net_report *r, struct net_report_dev *dev, struct resolved *pt,
		 const char *name, unsigned long long packets, bool measured)
{
	memset(d, 0, sizeof(*d));
	memset(r, 0, sizeof(*r));
	memset(dev, 0, sizeof(*dev));
	memset(pt, 0, sizeof(*pt));
	snprintf(dev->name, sizeof(dev->name), "%s", name);
	dev->dir = DIR_TX;
	dev->a.started = dev->a.ended = packets;
	dev->a.bytes = packets * 554;
	dev->a.exits[EXK_NOTIFY] = measured ? packets / 2 : 0;
	r->ndev = 1;
	r->dev = dev;
	r->seconds = 2;
	pt->pt = &notify;
	snprintf(pt->symbol, sizeof(pt->symbol), "virtqueue_notify");
	pt->status = measured ? PST_ATTACHED : PST_UNAVAILABLE;
	snprintf(pt->reason, sizeof(pt->reason), "unavailable: kernel has no kprobes/fentry");
	pt->hits = measured ? 300 : 0;
	d->has_net = true;
	d->net = r;
	d->pts = pt;
	d->n = 1;
	d->cmd_status = -1;
}

START_TEST(not_measured_is_nm)
{
	struct rec_data A, B;
	struct net_report ra, rb;
	struct net_report_dev da, db;
	struct resolved pa, pb;
	struct rec_diff_opts o = { "a.rec", "b.rec", NULL, NULL };
	char *out;

	side(&A, &ra, &da, &pa, "eth0", 1000, true);
	side(&B, &rb, &db, &pb, "ens3", 3000, false);
	out = CAPTURE(f, ck_assert_int_eq(rec_diff_print(f, &A, &B, &o, false), 0));
	ASSERT_HAS(out, "network TX: A eth0, B ens3 (names differ: paired by packets rank)\n",
		   "  packets                                          1000         3000        +2000       3.00x\n",
		   "  bytes/packet                                      554          554           +0       1.00x\n",
		   "  packets/s                                         500         1500        +1000       3.00x\n",
		   "  exits/packet notify                             0.500          n/m            -           -\n",
		   "  notify                                            150          n/m            -           -\n");
	/* neither measured ipi; irqs, polls and drops are 0 in both; neither has the PV multicall point */
	ck_assert_msg(!strstr(out, "ipi") && !strstr(out, "irqs/packet") && !strstr(out, "drops") &&
		      !strstr(out, "multicall") && !strstr(out, "MSR"), "%s", out);
	ck_assert_msg(!strstr(out, ".000 "), "counts printed as decimals: %s", out);
	free(out);
	out = CAPTURE(f, ck_assert_int_eq(rec_diff_print(f, &A, &B, &o, true), 0));
	ASSERT_HAS(out, "\"metric\": \"exits/packet notify\",\n          \"a\": 0.5,\n          \"b\": null,\n"
			"          \"b_is\": \"not measured\"", "\"paired_by\": \"names differ: paired by packets rank\"");
	free(out);
}
END_TEST

/* A line of the text that starts with "  " + metric, its words after the name: "938 n/m - -". */
static const char *line_of(const char *out, const char *metric, char *b, size_t n)
{
	char key[128];
	const char *l;

	snprintf(key, sizeof(key), "\n  %s ", metric);
	l = strstr(out, key);
	ck_assert_msg(l, "no row '%s' in %s", metric, out);
	l += strlen(key);
	while (*l == ' ')
		l++;
	snprintf(b, n, "%.*s", (int)strcspn(l, "\n"), l);
	/* one space between the words */
	for (char *p = b, *q = b;; p++)
		if (*p != ' ' || (q > b && q[-1] != ' ')) {
			if (!(*q++ = *p))
				break;
		}
	return b;
}

#define TASKS "tests/golden/tasks-lo-loop.rec"   /* record --net --blk --exits -- CMD */
#define OLD "tests/golden/compare/live-lo.rec"        /* made before the traced tasks were recorded */

/* The traced tasks' rows (record --exits -- CMD), paired: the counts and their rates per packet,
 * request and second as the report divides them; the crossings the model derives, marked derived
 * (Xen PV: 2 per syscall and page fault; KVM 0), with each side's verdicts; a side without traced
 * tasks (an older recording, record without --exits) n/m with why, never 0; neither: one line. */
START_TEST(task_rows_paired)
{
	struct rec_data A, B, O;
	struct rec_diff_opts o = { "pv.rec", "kvm.rec", NULL, NULL };
	unsigned long long sc, pf, pk;
	char *out, b[160], want[160], err[300];

	ck_assert_int_eq(rec_data_load(&A, TASKS, err, sizeof(err)), 0);
	ck_assert_int_eq(rec_data_load(&B, TASKS, err, sizeof(err)), 0);
	ck_assert_int_eq(rec_data_load(&O, OLD, err, sizeof(err)), 0);
	snprintf(A.platform, sizeof(A.platform), "Xen PV");
	snprintf(B.platform, sizeof(B.platform), "KVM");
	B.exits->task_ctr[TC_SYSCALLS] *= 3;
	sc = A.exits->task_ctr[TC_SYSCALLS];
	pf = A.exits->task_ctr[TC_PF_USER];
	pk = A.exits->task_ctr[TC_PF_KERNEL];
	ck_assert_uint_ge(sc, 100);
	out = CAPTURE(f, ck_assert_int_eq(rec_diff_print(f, &A, &B, &o, false), 0));
	snprintf(want, sizeof(want), "%llu %llu +%llu 3.00x", sc, 3 * sc, 2 * sc);
	ck_assert_str_eq(line_of(out, "syscalls", b, sizeof(b)), want);
	/* per packet: every packet of the recording (400 TX + 400 RX over lo) */
	ck_assert_uint_eq(A.net->ctr[NC_ENDED], 800);
	snprintf(want, sizeof(want), "%.3g", sc / 800.0);
	ck_assert_msg(!strncmp(line_of(out, "syscalls/packet", b, sizeof(b)), want, strlen(want)), "%s vs %s", b, want);
	snprintf(want, sizeof(want), "%llu 0 -%llu 0x", 2 * (sc + pf + pk), 2 * (sc + pf + pk));
	ck_assert_str_eq(line_of(out, "crossings derived", b, sizeof(b)), want);
	snprintf(want, sizeof(want), "    A: DERIVED from the exit model, not measured: 2 x %llu syscalls + 2 x %llu page faults",
		 sc, pf + pk);
	ASSERT_HAS(out, "\naround the I/O path (the traced tasks): A pid ", want,
		   "    B: DERIVED from the exit model, not measured: 0: on KVM syscalls and exceptions stay in the guest",
		   "  exit model, A on Xen PV: syscalls: exits, page faults (user): exits",
		   "  exit model, B on KVM: syscalls: stays");
	/* not measured on either (not on this platform): left out, as the kinds neither measured */
	ck_assert_msg(!strstr(out, "PV multicalls"), "%s", out);
	free(out);
	out = CAPTURE(f, ck_assert_int_eq(rec_diff_print(f, &A, &B, &o, true), 0));
	ASSERT_HAS(out, "\"metric\": \"syscalls\",", "\"a_verdict\": \"exits\",", "\"b_verdict\": \"stays\",",
		   "\"metric\": \"crossings derived/packet\",", "\"derived\": true,");
	free(out);

	/* PV multicalls counted on A (Xen PV), not B: the row with B's reason */
	for (unsigned i = 0; i < A.n; i++)
		if (A.pts[i].pt->symbols && !strcmp(A.pts[i].pt->symbols, "xen:xen_mc_flush"))
			A.pts[i].status = PST_ATTACHED;
	A.exits->task_ctr[TC_MC_HYPERCALL] = 40;
	out = CAPTURE(f, ck_assert_int_eq(rec_diff_print(f, &A, &B, &o, false), 0));
	ck_assert_str_eq(line_of(out, "PV multicalls", b, sizeof(b)), "40 n/m - -");
	ASSERT_HAS(out, "    not measured in B: xen:xen_mc_flush not-applicable-here: profile xen-pv-mmu is for Xen PV guests");
	free(out);

	/* B an older recording: n/m, with why, once; A's values stand */
	out = CAPTURE(f, ck_assert_int_eq(rec_diff_print(f, &A, &O, &o, false), 0));
	snprintf(want, sizeof(want), "%llu n/m - -", sc);
	ck_assert_str_eq(line_of(out, "syscalls", b, sizeof(b)), want);
	ASSERT_HAS(out, ": A pid ", ", B (none)\n", "\n  not measured in B: not in this recording (an older iopath made it)\n");
	free(out);
	out = CAPTURE(f, ck_assert_int_eq(rec_diff_print(f, &A, &O, &o, true), 0));
	ASSERT_HAS(out, "\"b_why\": \"not in this recording (an older iopath made it)\"");
	free(out);
	/* record without --exits, against an older recording: neither measured, one line each */
	A.exits->task_scope = EXT_NOT_ASKED;
	out = CAPTURE(f, ck_assert_int_eq(rec_diff_print(f, &A, &O, &o, false), 0));
	ck_assert_str_eq(line_of(out, "traced tasks", b, sizeof(b)), "n/m n/m - -");
	ASSERT_HAS(out, "    not measured in A: record without --exits\n",
		   "    not measured in B: not in this recording (an older iopath made it)\n");
	ck_assert_msg(!strstr(out, "syscalls"), "%s", out);
	free(out);
	rec_data_free(&A);
	rec_data_free(&B);
	rec_data_free(&O);
}
END_TEST

int main(void)
{
	return RUN_TESTS("diff", "diff", sig3_format, quantile_slot, interface_errors, not_measured_is_nm, task_rows_paired);
}
