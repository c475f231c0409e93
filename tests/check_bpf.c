/* The BPF side in the real kernel: the engine loads iopath.bpf.c with only
 * the programs the points need, and BPF_PROG_TEST_RUN drives the raw_tp
 * handlers so the counting path (tp_point -> point_stat) is checked with
 * exact numbers, independent of what traffic the machine has. Needs root. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "engine/attach.h"
#include "engine/skel.h"
#include "kernel/profiles.h"
#include "kernel/resolve.h"
#include "testutil.h"

START_TEST(object_has_every_handler)
{
	struct iopath_bpf *s = iopath_bpf__open();
	char n[160];

	ck_assert_ptr_nonnull(s);
	for (unsigned i = 0; i < iop_point_count; i++) {
		const char *c = strchr(iop_points[i].symbols, ':');

		if (iop_points[i].kind != KIND_TP)
			continue;
		snprintf(n, sizeof(n), "tpb_%s", c + 1);
		ck_assert_msg(bpf_object__find_program_by_name(s->obj, n), "no %s", n);
		snprintf(n, sizeof(n), "rtp_%s", c + 1);
		ck_assert_msg(bpf_object__find_program_by_name(s->obj, n), "no %s", n);
	}
	iopath_bpf__destroy(s);
}
END_TEST

static int run_n(int fd, int n)
{
	__u64 args[4] = {};
	LIBBPF_OPTS(bpf_test_run_opts, o, .ctx_in = args, .ctx_size_in = sizeof(args));

	for (int i = 0; i < n; i++)
		if (bpf_prog_test_run_opts(fd, &o))
			return -errno;
	return 0;
}

START_TEST(raw_tp_counts_exactly)
{
	const char *want[] = { "net:net_dev_queue", "block:block_rq_issue", "irq:softirq_entry" };
	const int runs[] = { 7, 1000, 0 };
	struct resolved pts[3] = {};
	struct kcaps caps;
	struct engine e;

	ck_assert_msg(geteuid() == 0, "needs root: BPF programs are loaded");
	calib_assume_debian(&caps, true);
	for (int i = 0; i < 3; i++) {
		const char *c = strchr(want[i], ':');
		unsigned k;

		for (k = 0; k < iop_point_count; k++)
			if (!strcmp(iop_points[k].symbols, want[i]))
				break;
		ck_assert_uint_lt(k, iop_point_count);
		pts[i].pt = &iop_points[k];
		snprintf(pts[i].tp_system, sizeof(pts[i].tp_system), "%.*s", (int)(c - want[i]), want[i]);
		snprintf(pts[i].symbol, sizeof(pts[i].symbol), "%s", c + 1);
		pts[i].method = METHOD_RAW_TP;
		pts[i].status = PST_PLANNED;
	}
	ck_assert_int_eq(engine_load(&e, pts, 3, &caps, NULL), 0);
	/* only the three raw_tp handlers were loaded */
	ck_assert_int_ge(bpf_program__fd(e.skel->progs.rtp_net_dev_queue), 0);
	ck_assert_int_lt(bpf_program__fd(e.skel->progs.tpb_net_dev_queue), 0);
	ck_assert_int_lt(bpf_program__fd(e.skel->progs.iop_kprobe), 0);
	ck_assert_int_eq(run_n(bpf_program__fd(e.skel->progs.rtp_net_dev_queue), runs[0]), 0);
	ck_assert_int_eq(run_n(bpf_program__fd(e.skel->progs.rtp_block_rq_issue), runs[1]), 0);
	/* a handler whose tracepoint is not in the run counts nothing */
	ck_assert_int_eq(run_n(bpf_program__fd(e.skel->progs.rtp_softirq_entry), runs[2]), 0);
	ck_assert_int_eq(engine_read_hits(&e), 0);
	for (int i = 0; i < 3; i++)
		ck_assert_msg(pts[i].hits == (unsigned long long)runs[i], "%s: %llu hits, want %d",
			      want[i], pts[i].hits, runs[i]);
	engine_close(&e);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("bpf");
	TCase *t = tcase_create("kernel");

	tcase_set_timeout(t, 30);
	tcase_add_test(t, object_has_every_handler);
	tcase_add_test(t, raw_tp_counts_exactly);
	suite_add_tcase(s, t);
	return run_suite(s);
}
