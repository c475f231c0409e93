// SPDX-License-Identifier: GPL-2.0
/* floor TRACEPOINT...: loads and attaches the empty programs of floor.bpf.c
 * (tp_btf, raw_tp, and tp_btf with one clock read) on the tracepoints named,
 * prints one line per program
 *   floor: FLAVOUR TRACEPOINT prog_id ID     (FLAVOUR: tp_btf raw_tp ktime)
 * then "floor: ready" once every one is attached, and holds them until
 * SIGINT or SIGTERM. The harness reads each program's run_time_ns/run_cnt
 * (kernel.bpf_stats_enabled=1) by prog_id. Exit 0 after a signal, 1 when a
 * program cannot be loaded or attached, 2 for a name that is not one of
 * include/iopath.h's tracepoints. Every failure is one line on stderr. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "iopath.h"
#include "floor.skel.h"

static const char *const tps[] = {
#define TP_NAME(sys, name) #name,
	IOP_TRACEPOINTS(TP_NAME)
#undef TP_NAME
};
#define NTPS (sizeof(tps) / sizeof(tps[0]))

static volatile sig_atomic_t stop;
static void on_signal(int sig) { stop = 1; }

/* libbpf's own messages only with FLOOR_VERBOSE: a failure is reported
 * once, by us, with the program's name. */
static int quiet_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return getenv("FLOOR_VERBOSE") ? vfprintf(stderr, fmt, ap) : 0;
}

static int tp_index(const char *name)
{
	for (unsigned i = 0; i < NTPS; i++)
		if (!strcmp(tps[i], name))
			return i;
	return -1;
}

/* fb_NAME / fr_NAME / fk_NAME -> NAME's index, or -1 */
static int prog_tp(const struct bpf_program *p)
{
	const char *n = bpf_program__name(p);

	return strlen(n) > 3 ? tp_index(n + 3) : -1;
}

int main(int argc, char **argv)
{
	unsigned char want[NTPS] = { 0 };
	struct bpf_link *links[2 * NTPS];
	unsigned nlinks = 0;
	struct floor_bpf *skel;
	struct bpf_program *p;
	int err;

	if (argc < 2) {
		fprintf(stderr, "usage: floor TRACEPOINT... (names from include/iopath.h)\n");
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		int t = tp_index(argv[i]);

		if (t < 0) {
			fprintf(stderr, "floor: '%s' is not a tracepoint iopath handles\n", argv[i]);
			return 2;
		}
		want[t] = 1;
	}
	libbpf_set_print(quiet_log);
	skel = floor_bpf__open();
	if (!skel) {
		fprintf(stderr, "floor: cannot open the BPF object: %s\n", strerror(errno));
		return 1;
	}
	bpf_object__for_each_program(p, skel->obj) {
		int t = prog_tp(p);

		bpf_program__set_autoload(p, t >= 0 && want[t]);
	}
	err = floor_bpf__load(skel);
	if (err) {
		fprintf(stderr, "floor: cannot load the empty programs: %s (FLOOR_VERBOSE=1 for libbpf's log)\n",
			strerror(-err));
		goto out;
	}
	bpf_object__for_each_program(p, skel->obj) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);
		int t = prog_tp(p);
		char f;

		if (t < 0 || !want[t])
			continue;
		links[nlinks] = bpf_program__attach(p);
		if (!links[nlinks]) {
			err = -errno;
			fprintf(stderr, "floor: cannot attach %s: %s\n", bpf_program__name(p), strerror(-err));
			goto out;
		}
		nlinks++;
		if (bpf_obj_get_info_by_fd(bpf_program__fd(p), &info, &len)) {
			err = -errno;
			fprintf(stderr, "floor: cannot read the id of %s: %s\n", bpf_program__name(p), strerror(-err));
			goto out;
		}
		f = bpf_program__name(p)[1];
		printf("floor: %s %s prog_id %u\n", f == 'b' ? "tp_btf" : f == 'k' ? "ktime" : "raw_tp",
		       tps[t], info.id);
	}
	printf("floor: ready\n");
	fflush(stdout);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	while (!stop)
		pause();
out:
	while (nlinks)
		bpf_link__destroy(links[--nlinks]);
	floor_bpf__destroy(skel);
	return err ? 1 : 0;
}
