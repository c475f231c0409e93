/* The BPF side in the real kernel: the engine loads iopath.bpf.c with only
 * the programs the points need, and BPF_PROG_TEST_RUN drives the raw_tp
 * handlers so the counting path (tp_point -> point_stat) is checked with
 * exact numbers, independent of what traffic the machine has. Needs root. */
#include <errno.h>
#include <string.h>

#include "bpfrun.h"
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
	int err = 0;

	for (int i = 0; i < n && !err; i++)
		err = bpf_try_run(fd, args, 4, -1);
	return err;
}

START_TEST(raw_tp_counts_exactly)
{
	static const struct want_point want[] = {
		{ NULL, "net:net_dev_queue", KIND_TP }, { NULL, "block:block_rq_issue", KIND_TP },
		{ NULL, "irq:softirq_entry", KIND_TP },
	};
	const int runs[] = { 7, 1000, 0 };
	struct resolved pts[3];
	struct kcaps caps;
	struct engine e;

	bpf_load_points(&e, pts, want, 3, &caps, NULL);
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
			      want[i].sym, pts[i].hits, runs[i]);
	engine_close(&e);
}
END_TEST

int main(void)
{
	return RUN_TESTS_TIMEOUT("bpf", "kernel", 30, object_has_every_handler,
		raw_tp_counts_exactly);
}
