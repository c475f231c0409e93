/* Running iopath's BPF handlers through BPF_PROG_TEST_RUN in the libcheck
 * tests: the engine loaded with a test's points (bpf_load_points), then
 * handlers run with raw_tp contexts, arrays of u64 arguments. cpu >= 0 runs the
 * program on that CPU, so per-CPU state (scopes, open IRQs) carries from one
 * call to the next; it then runs from an IPI, in no task of the test's, so a
 * test that checks the current pid passes cpu = -1 (the calling CPU). */
#ifndef IOPATH_BPFRUN_H
#define IOPATH_BPFRUN_H
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "engine/attach.h"
#include "engine/skel.h"
#include "kernel/profiles.h"
#include "kernel/resolve.h"

/* A point of a test: its row in the profile table, by symbols and kind, and
 * by profile unless that is NULL (then the first row with those symbols). */
struct want_point {
	const char *profile, *sym;
	int kind;
	int arg_shift;   /* as resolve sets it for an older tracepoint layout (block_rq_* (q, rq)) */
	bool patched;    /* a function point through a cookie-less clone (the 5.10 class) */
};

/* Loads the engine e with the points want[0..n) as pts[0..n) (ids 1..n, in
 * that order), planned the way BPF_PROG_TEST_RUN drives them: tracepoints by
 * raw_tp, function entries by kprobe and returns by kretprobe (those handlers
 * are loaded, so they pass the verifier, but run through iop_test_func), with
 * Debian's capabilities in caps, less those mask names (caps_mask; NULL: none). Fails the test
 * unless it all loads. Needs root. */
static inline void bpf_load_points_masked(struct engine *e, struct resolved *pts, const struct want_point *want,
					  unsigned n, struct kcaps *caps, const struct engine_opts *o,
					  const char *mask)
{
	char bad[64];

	ck_assert_msg(geteuid() == 0, "needs root: BPF programs are loaded");
	calib_assume_debian(caps, true);
	ck_assert_int_eq(caps_mask(caps, mask, bad, sizeof(bad)), 0);
	memset(pts, 0, n * sizeof(*pts));
	for (unsigned i = 0; i < n; i++) {
		const char *c = strchr(want[i].sym, ':');
		unsigned k;

		for (k = 0; k < iop_point_count; k++)
			if ((!want[i].profile || !strcmp(iop_points[k].profile, want[i].profile)) &&
			    !strcmp(iop_points[k].symbols, want[i].sym) && iop_points[k].kind == want[i].kind)
				break;
		ck_assert_msg(k < iop_point_count, "no point %s %s", want[i].profile ? want[i].profile : "",
			      want[i].sym);
		pts[i].pt = &iop_points[k];
		pts[i].arg_shift = want[i].arg_shift;
		pts[i].patched = want[i].patched;
		snprintf(pts[i].symbol, sizeof(pts[i].symbol), "%s", c ? c + 1 : want[i].sym);
		if (want[i].kind == KIND_TP && c)
			snprintf(pts[i].tp_system, sizeof(pts[i].tp_system), "%.*s", (int)(c - want[i].sym),
				 want[i].sym);
		pts[i].method = want[i].kind == KIND_TP ? METHOD_RAW_TP :
				want[i].kind == KIND_FUNC ? METHOD_KPROBE : METHOD_KRETPROBE;
		pts[i].status = PST_PLANNED;
	}
	ck_assert_int_eq(engine_load(e, pts, n, caps, o), 0);
}

static inline void bpf_load_points(struct engine *e, struct resolved *pts, const struct want_point *want,
				   unsigned n, struct kcaps *caps, const struct engine_opts *o)
{
	bpf_load_points_masked(e, pts, want, n, caps, o, NULL);
}

/* How many keys map m holds (keys of up to 64 bytes). */
static inline int bpf_map_keys(const struct bpf_map *m)
{
	char k[64], next[64];
	size_t ks = bpf_map__key_size(m);
	int n = 0;

	ck_assert_uint_le(ks, sizeof(k));
	while (!bpf_map__get_next_key(m, n ? k : NULL, next, ks)) {
		memcpy(k, next, ks);
		n++;
	}
	return n;
}

/* The value of key k in map m into v (left as it is when k is absent). */
#define BPF_MAP_GET(m, k, v) bpf_map__lookup_elem((m), &(k), sizeof(k), &(v), sizeof(v), 0)

/* Runs program fd once with n u64 arguments: 0 or -errno. */
static inline int bpf_try_run(int fd, __u64 *args, unsigned n, int cpu)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .ctx_in = args, .ctx_size_in = n * sizeof(__u64),
		    .flags = cpu >= 0 ? BPF_F_TEST_RUN_ON_CPU : 0, .cpu = cpu >= 0 ? cpu : 0);

	return bpf_prog_test_run_opts(fd, &o) ? -errno : 0;
}

/* Runs program fd once with n u64 arguments; fails the test on error. */
static inline void bpf_run_args(int fd, __u64 *args, unsigned n, int cpu, const char *what)
{
	int err = bpf_try_run(fd, args, n, cpu);

	ck_assert_msg(!err, "%s: %s", what, strerror(-err));
}

/* Runs the raw_tp handler of tracepoint `name` (program rtp_<name>). */
static inline void bpf_run_rtp(struct bpf_object *obj, const char *name, __u64 *args, unsigned n, int cpu)
{
	char pn[64];
	struct bpf_program *p;

	snprintf(pn, sizeof(pn), "rtp_%s", name);
	p = bpf_object__find_program_by_name(obj, pn);
	ck_assert_msg(p != NULL, "no program %s", pn);
	bpf_run_args(bpf_program__fd(p), args, n, cpu, pn);
}
#endif
