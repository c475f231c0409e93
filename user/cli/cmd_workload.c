/* iopath workload: the argv half of the traffic generators in workload/workload.c. */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"
#include "workload/workload.h"

/* iopath workload udp-send DST PORT PACKETS [SIZE] | udp-sink PORT SECS |
 *                 tcp-send DST PORT BYTES | tcp-sink PORT SECS */
int cmd_workload(int argc, char **argv)
{
	unsigned long long n = 0;
	const char *what = argc > 1 ? argv[1] : "";
	int err;

	if (argc > 1 && (!strcmp(what, "-h") || !strcmp(what, "--help"))) {
		printf("usage: iopath workload udp-send DST PORT PACKETS [SIZE]\n"
		       "       iopath workload udp-sink PORT SECONDS\n"
		       "       iopath workload tcp-send DST PORT BYTES\n"
		       "       iopath workload tcp-sink PORT SECONDS\n"
		       "Traffic generators used by the built-in workload, the tests and the lab;\n"
		       "prints what was sent or received.\n\n"
		       "  -h, --help\n");
		return EXIT_OK;
	}
	if (!strcmp(what, "udp-send") && (argc == 5 || argc == 6)) {
		err = wl_udp_send(argv[2], atoi(argv[3]), strtoull(argv[4], NULL, 10),
				  argc == 6 ? atoi(argv[5]) : 512, 0, &n);
		printf("udp sent %llu\n", n);
	} else if (!strcmp(what, "udp-sink") && argc == 4) {
		err = wl_udp_sink(atoi(argv[2]), atof(argv[3]), &n);
		printf("udp received %llu\n", n);
	} else if (!strcmp(what, "tcp-send") && argc == 5) {
		err = wl_tcp_send(argv[2], atoi(argv[3]), strtoull(argv[4], NULL, 10), &n);
		printf("tcp sent %llu\n", n);
	} else if (!strcmp(what, "tcp-sink") && argc == 4) {
		err = wl_tcp_sink(atoi(argv[2]), atof(argv[3]), &n);
		printf("tcp received %llu\n", n);
	} else {
		return usage_error("workload", "expected udp-send|udp-sink|tcp-send|tcp-sink and their arguments");
	}
	if (err) {
		iop_err("workload %s: %s", what, strerror(-err));
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}
