/* iopath diff A B: two recordings side by side — the "PV vs HVM" view
 * (record/recdiff.h: how rows and devices are paired). This file parses the
 * command line and picks the exit code. */
#include <getopt.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "record/recdata.h"
#include "record/recdiff.h"
#include "util/util.h"

static void help(void)
{
	printf("usage: iopath diff A.rec B.rec [-a IFACE] [-b IFACE] [--json]\n"
	       "Two recordings side by side: packets, bytes, rates and throughput, stage latencies,\n"
	       "path length, exits, interrupts and polls per packet and per request, hypervisor\n"
	       "crossings per second, the traced tasks' syscalls, page faults, context switches ...\n"
	       "(record --exits -- CMD or --pid) per packet, request and second with the crossings\n"
	       "the exit model derives from them (marked derived), with deltas and ratios. Rows\n"
	       "match by direction, stage and exit kind, so recordings from guests with different\n"
	       "drivers compare (Xen PV netfront vs an SR-IOV VF). Each device and direction is its\n"
	       "own section: A's and B's devices pair by name, else busiest with busiest; disks\n"
	       "likewise per op.\n"
	       "n/m: that recording could not measure it; -: it has no such device or samples.\n\n"
	       "  -a IFACE    only this interface of A (default: every device)\n"
	       "  -b IFACE    only this interface of B (with -a: compare these two)\n"
	       "  -j, --json  JSON output\n"
	       "  -h, --help\n");
}

int cmd_diff(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, 0, 'j' }, { "help", no_argument, 0, 'h' }, {},
	};
	const char *ia = NULL, *ib = NULL;
	struct rec_data A, B;
	char err[300];
	bool json = false;
	int c, ret = EXIT_RUNTIME;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":a:b:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'a': ia = optarg; break;
		case 'b': ib = optarg; break;
		case 'j': json = true; break;
		case 'h': help(); return EXIT_OK;
		default: return bad_option("diff", c, optopt, argv, optind);
		}
	}
	if (argc - optind != 2)
		return usage_error("diff", "expected two recording files");
	if (rec_data_load(&A, argv[optind], err, sizeof(err))) {
		iop_err("%s: %s", argv[optind], err);
		return EXIT_RUNTIME;
	}
	if (rec_data_load(&B, argv[optind + 1], err, sizeof(err))) {
		iop_err("%s: %s", argv[optind + 1], err);
		rec_data_free(&A);
		return EXIT_RUNTIME;
	}
	{
		struct rec_diff_opts o = { argv[optind], argv[optind + 1], ia, ib };

		if (rec_diff_check(&A, &B, &o, err, sizeof(err))) {
			ret = usage_error("diff", "%s", err);
			goto out;
		}
		if (rec_diff_print(stdout, &A, &B, &o, json)) {
			iop_err("out of memory comparing the recordings");
			goto out;
		}
	}
	ret = EXIT_OK;
out:
	rec_data_free(&A);
	rec_data_free(&B);
	return ret;
}
