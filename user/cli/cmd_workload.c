/* iopath workload: the argv half of the traffic generators in workload/workload.c. */
#include "cli/cli.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/opts.h"
#include "util/util.h"
#include "workload/workload.h"

static void help(void)
{
	printf("usage: iopath workload suite [--peer IP] [--port BASE] [--peer-marks] [--blk DEV] [--blk-write]\n"
	       "       iopath workload peer [--port BASE] SECONDS\n"
	       "       iopath workload udp-send DST PORT PACKETS [SIZE]\n"
	       "       iopath workload udp-sink PORT SECONDS\n"
	       "       iopath workload tcp-send DST PORT BYTES\n"
	       "       iopath workload tcp-sink PORT SECONDS\n"
	       "Traffic generators. suite is the fixed workload that compares platforms: the same\n"
	       "phases with the same sizes everywhere, in this order, each printing one line\n"
	       "(phase NAME: what was done, counts, seconds, and the interface's or disk's own\n"
	       "counters over it): udp-rr (200 UDP request/response exchanges of 64 B, one at a\n"
	       "time, to IP:BASE, 1 s timeout each: a lost reply is counted), udp-stream (2000\n"
	       "datagrams of 1400 B back to back to IP:BASE+1), tcp-bulk (4 MiB over one TCP\n"
	       "connection to IP:BASE+2), blk-rand-qd1 (256 random 4 KiB O_DIRECT reads, one at\n"
	       "a time), blk-rand-qd16 (1024 at queue depth 16, Linux AIO), blk-seq-read (16\n"
	       "sequential 1 MiB O_DIRECT reads), blk-seq-write (16 such writes, only with\n"
	       "--blk-write). Random offsets come from a fixed seed and stay in the first 64 MiB\n"
	       "of DEV, so every machine reads the same blocks. Under iopath record -o FILE each\n"
	       "phase is also a recording of its own, FILE.NAME.rec (phase marks through\n"
	       "IOPATH_PHASE_FD). peer serves the network phases for SECONDS: UDP echo on BASE,\n"
	       "UDP sink on BASE+1, TCP sink on BASE+2; with --peer-marks the suite also tells the\n"
	       "peer each phase (UDP, BASE+3), so a peer run under iopath record -o FILE cuts its\n"
	       "side into the same phases. The others are the senders and sinks used by the built-in workload,\n"
	       "the tests and the lab.\n\n"
	       "      --peer IP       run the network phases against IP (iopath workload peer there)\n"
	       "      --port BASE     first of the four ports (default 7100)\n"
	       "      --peer-marks    tell the peer each phase mark (its record cuts the same phases)\n"
	       "      --blk DEV       run the block phases on DEV (a block device of 64 MiB or more;\n"
	       "                      a regular file for tests)\n"
	       "      --blk-write     also the write phase: overwrites the first 16 MiB of DEV;\n"
	       "                      refused for a device that is mounted, holds a mounted\n"
	       "                      partition or is held by another device\n"
	       "  -h, --help\n");
}

static int parse_port(const char *cmd, const char *arg, int *port)
{
	unsigned long long v;

	/* BASE+3 must be a port too */
	if (parse_uint(arg, 65532, &v) || !v)
		return usage_error(cmd, "bad --port '%s' (1..65532: BASE to BASE+3 are used)", arg);
	*port = (int)v;
	return 0;
}

/* The block device (or file) of --blk: opened, big enough, and for --blk-write not in use.
 * EXIT_OK, or EXIT_USAGE after one line. */
static int open_blk(const char *path, bool write, struct wl_blk *b)
{
	char why[512];
	int r = wl_blk_open(b, path, write, why, sizeof(why));

	if (r == -EBUSY)
		return usage_error("workload suite", "--blk-write refused: %s (it would be overwritten)", why);
	if (r)
		return usage_error("workload suite", "--blk: %s", why);
	if (b->size < WL_BLK_SPAN) {
		wl_blk_close(b);
		return usage_error("workload suite", "--blk: %s has %llu bytes; the block phases need %llu (64 MiB)",
				   path, b->size, WL_BLK_SPAN);
	}
	return EXIT_OK;
}

static int cmd_suite(int argc, char **argv)
{
	enum { O_PEER = 256, O_PORT, O_BLK, O_BLKW, O_MARKS };
	static const struct option opts[] = {
		{ "peer", required_argument, 0, O_PEER }, { "port", required_argument, 0, O_PORT },
		{ "blk", required_argument, 0, O_BLK }, { "blk-write", no_argument, 0, O_BLKW },
		{ "peer-marks", no_argument, 0, O_MARKS },
		{ "help", no_argument, 0, 'h' }, {},
	};
	struct wl_suite_opts o = { .port = WL_PORT_BASE };
	struct wl_blk b = { .fd = -1 };
	const char *blk = NULL;
	unsigned char a4[4];
	int c, err;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case O_PEER:
			if (inet_pton(AF_INET, optarg, a4) != 1)
				return usage_error("workload suite", "bad --peer '%s' (an IPv4 address)", optarg);
			o.peer = optarg;
			break;
		case O_PORT:
			if (parse_port("workload suite", optarg, &o.port))
				return EXIT_USAGE;
			break;
		case O_BLK: blk = optarg; break;
		case O_BLKW: o.blk_write = true; break;
		case O_MARKS: o.peer_marks = true; break;
		case 'h': help(); return EXIT_OK;
		default: return bad_option("workload suite", c, optopt, argv, optind);
		}
	}
	if (optind < argc)
		return usage_error("workload suite", "unexpected argument '%s'", argv[optind]);
	if (o.blk_write && !blk)
		return usage_error("workload suite", "--blk-write writes to the --blk DEV; there is none");
	if (!o.peer && !blk)
		return usage_error("workload suite", "nothing to run: give --peer IP, --blk DEV or both");
	if (blk && (c = open_blk(blk, o.blk_write, &b)))
		return c;
	setvbuf(stdout, NULL, _IOLBF, 0);   /* one line per phase, seen as it ends */
	err = wl_suite(&o, blk ? &b : NULL);
	wl_blk_close(&b);
	if (err) {
		iop_err("workload suite: a phase failed: %s", strerror(-err));
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}

static int cmd_peer(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "port", required_argument, 0, 'P' }, { "help", no_argument, 0, 'h' }, {},
	};
	int c, port = WL_PORT_BASE, err;
	char *end;
	double secs;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'P':
			if (parse_port("workload peer", optarg, &port))
				return EXIT_USAGE;
			break;
		case 'h': help(); return EXIT_OK;
		default: return bad_option("workload peer", c, optopt, argv, optind);
		}
	}
	if (argc - optind != 1)
		return usage_error("workload peer", "expected SECONDS (how long to serve)");
	secs = strtod(argv[optind], &end);
	if (*end || end == argv[optind] || !(secs > 0 && secs <= 86400))
		return usage_error("workload peer", "bad SECONDS '%s' (0 < SECONDS <= 86400)", argv[optind]);
	err = wl_peer(port, secs);
	if (err) {
		iop_err("workload peer: %s", strerror(-err));
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}

/* iopath workload suite ... | peer ... | udp-send DST PORT PACKETS [SIZE] | udp-sink PORT SECS |
 *                 tcp-send DST PORT BYTES | tcp-sink PORT SECS */
int cmd_workload(int argc, char **argv)
{
	unsigned long long n = 0;
	const char *what = argc > 1 ? argv[1] : "";
	int err;

	if (argc > 1 && (!strcmp(what, "-h") || !strcmp(what, "--help"))) {
		help();
		return EXIT_OK;
	}
	if (!strcmp(what, "suite"))
		return cmd_suite(argc - 1, argv + 1);
	if (!strcmp(what, "peer"))
		return cmd_peer(argc - 1, argv + 1);
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
		return usage_error("workload", "expected suite|peer|udp-send|udp-sink|tcp-send|tcp-sink and their arguments");
	}
	if (err) {
		iop_err("workload %s: %s", what, strerror(-err));
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}
