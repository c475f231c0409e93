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

/* Hits over every (point, stack) entry, and how many entries. */
static unsigned long long stack_hits(struct engine *e, unsigned *entries)
{
	struct iop_stack_key k, next;
	struct iop_stack_val v;
	unsigned long long sum = 0;

	*entries = 0;
	while (!bpf_map__get_next_key(e->skel->maps.point_stacks, *entries ? &k : NULL, &next, sizeof(next))) {
		k = next;
		ck_assert_int_eq(BPF_MAP_GET(e->skel->maps.point_stacks, k, v), 0);
		ck_assert_uint_eq(k.id, 1);
		ck_assert_msg(v.ips[0] != 0, "an entry without frames");
		sum += v.hits;
		(*entries)++;
	}
	return sum;
}

static unsigned long long stack_drops(struct engine *e)
{
	return e->skel->bss->dropped[DROP_STACK] + e->skel->bss->dropped[DROP_STACK_KEYS];
}

/* Every hit is either one count on an entry holding its own frames or one
 * drop: the stack map's three ways to fail (none, a clash, full) each
 * forced here, with no hit counted on another stack's entry. */
START_TEST(stacks_counted_exactly)
{
	static const struct want_point want[] = { { NULL, "net:net_dev_queue", KIND_TP } };
	struct resolved pts[1];
	struct kcaps caps;
	struct engine e;
	struct iop_stack_key k, next;
	struct iop_stack_val v;
	unsigned long long before;
	unsigned n;
	int fd;

	bpf_load_points(&e, pts, want, 1, &caps, &(struct engine_opts){ .stacks = true });
	fd = bpf_program__fd(e.skel->progs.rtp_net_dev_queue);
	ck_assert_uint_eq(bpf_map__max_entries(e.skel->maps.point_stacks), IOP_MAX_STACKS);
	ck_assert_int_eq(run_n(fd, 500), 0);
	ck_assert_uint_eq(stack_hits(&e, &n), 500);
	ck_assert_uint_eq(stack_drops(&e), 0);
	ck_assert_uint_ge(n, 1);

	/* a clash: every entry's frames changed under its key, as if another
	 * stack had the same hash; the next hits must not count on them */
	for (int got = bpf_map__get_next_key(e.skel->maps.point_stacks, NULL, &next, sizeof(next)); !got;
	     got = bpf_map__get_next_key(e.skel->maps.point_stacks, &k, &next, sizeof(next))) {
		k = next;
		ck_assert_int_eq(BPF_MAP_GET(e.skel->maps.point_stacks, k, v), 0);
		v.ips[1] ^= 1;
		ck_assert_int_eq(bpf_map__update_elem(e.skel->maps.point_stacks, &k, sizeof(k), &v, sizeof(v),
						      BPF_EXIST), 0);
	}
	before = stack_hits(&e, &n);
	ck_assert_int_eq(run_n(fd, 20), 0);
	ck_assert_uint_eq(stack_hits(&e, &n) - before + stack_drops(&e), 20);
	ck_assert_uint_eq(stack_hits(&e, &n), before);   /* the same syscall path each run: all clash */
	ck_assert_uint_eq(e.skel->bss->dropped[DROP_STACK_KEYS], 20);

	/* full: other points' stacks hold every entry */
	while (!bpf_map__get_next_key(e.skel->maps.point_stacks, NULL, &k, sizeof(k)))
		ck_assert_int_eq(bpf_map__delete_elem(e.skel->maps.point_stacks, &k, sizeof(k), 0), 0);
	memset(&v, 0, sizeof(v));
	v.ips[0] = 1;
	for (unsigned i = 0; i < IOP_MAX_STACKS; i++) {
		k = (struct iop_stack_key){ .id = 2, .hash = i };
		ck_assert_int_eq(bpf_map__update_elem(e.skel->maps.point_stacks, &k, sizeof(k), &v, sizeof(v),
						      BPF_NOEXIST), 0);
	}
	ck_assert_int_eq(run_n(fd, 30), 0);
	ck_assert_uint_eq(e.skel->bss->dropped[DROP_STACK_KEYS], 50);
	ck_assert_uint_eq(e.skel->bss->dropped[DROP_STACK], 0);
	engine_close(&e);
}
END_TEST

/* Off, the preallocated stack map shrinks to one entry. */
START_TEST(stacks_off_costs_no_memory)
{
	static const struct want_point want[] = { { NULL, "net:net_dev_queue", KIND_TP } };
	struct resolved pts[1];
	struct kcaps caps;
	struct engine e;

	bpf_load_points(&e, pts, want, 1, &caps, NULL);
	ck_assert_uint_eq(bpf_map__max_entries(e.skel->maps.point_stacks), 1);
	engine_close(&e);
}
END_TEST

int main(void)
{
	return RUN_TESTS_TIMEOUT("bpf", "kernel", 30, object_has_every_handler,
		raw_tp_counts_exactly, stacks_counted_exactly, stacks_off_costs_no_memory);
}
