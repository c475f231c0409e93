/* The flags record, top and serve share, parsed once: which paths to trace (--net, --blk,
 * --disk), the filters (-i, -q, --dir, --proto, --port, --pid), -d/--duration and -v. A command's
 * getopt_long loop lists TRACE_OPTIONS (or the subset it offers) in its table and hands every
 * option it does not handle itself to trace_opt(). */
#ifndef IOPATH_CLI_OPTS_H
#define IOPATH_CLI_OPTS_H
#include <stdbool.h>
#include "iopath.h"

enum {
	TO_NET = 0x1000, TO_BLK, TO_DISK, TO_QUEUE, TO_DIR, TO_PROTO, TO_PORT, TO_PID,
	TO_DURATION = 'd', TO_IFACE = 'i',
};

/* getopt_long rows for the paths and -i/-d (what every tracing command takes) */
#define TRACE_OPTIONS_COMMON                                                                      \
	{ "net", no_argument, 0, TO_NET }, { "blk", no_argument, 0, TO_BLK },                     \
	{ "disk", required_argument, 0, TO_DISK }, { "iface", required_argument, 0, TO_IFACE },   \
	{ "duration", required_argument, 0, TO_DURATION }
/* ... and the per-packet filters (record) */
#define TRACE_OPTIONS_FILTERS                                                                     \
	{ "queue", required_argument, 0, 'q' }, { "dir", required_argument, 0, TO_DIR },          \
	{ "proto", required_argument, 0, TO_PROTO }, { "port", required_argument, 0, TO_PORT },   \
	{ "pid", required_argument, 0, TO_PID }

struct trace_opts {
	bool net, blk;              /* --net, --blk (--disk implies --blk) */
	struct net_opts no;         /* -i, -q, --dir, --proto, --port, --pid */
	struct blk_opts bo;         /* --disk */
	double duration;            /* -d, seconds (the command's default until given) */
	bool have_duration;
	double max_duration;        /* the command's upper bound for -d */
};

/* Defaults: no filter (all queues, both directions), duration as given. */
void trace_opts_init(struct trace_opts *t, double duration, double max_duration);
/* For an option getopt_long returned (c; optarg/optopt/optind as it left them) that the command
 * did not handle itself: 0 when it is a shared option, parsed into t; else the exit status
 * (EXIT_USAGE) after one line: a bad value, or an option the command does not take (bad_option). */
int trace_opt(const char *cmd, int c, char **argv, struct trace_opts *t);
/* Neither --net nor --blk asked for: the network path. */
void trace_opts_default_path(struct trace_opts *t);

#endif
