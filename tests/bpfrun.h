/* Running iopath's BPF handlers through BPF_PROG_TEST_RUN in the libcheck
 * tests: raw_tp contexts are arrays of u64 arguments. cpu >= 0 runs the
 * program on that CPU, so per-CPU state (scopes, open IRQs) carries from one
 * call to the next; it then runs from an IPI, in no task of the test's, so a
 * test that checks the current pid passes cpu = -1 (the calling CPU). */
#ifndef IOPATH_BPFRUN_H
#define IOPATH_BPFRUN_H
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

/* Runs program fd once with n u64 arguments; fails the test on error. */
static inline void bpf_run_args(int fd, __u64 *args, unsigned n, int cpu, const char *what)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .ctx_in = args, .ctx_size_in = n * sizeof(__u64),
		    .flags = cpu >= 0 ? BPF_F_TEST_RUN_ON_CPU : 0, .cpu = cpu >= 0 ? cpu : 0);

	ck_assert_msg(!bpf_prog_test_run_opts(fd, &o), "%s: %s", what, strerror(errno));
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
