/* The flags record, top and serve share, parsed once: which paths to trace (--net, --blk,
 * --disk), the filters (-i, -q, --dir, --proto, --port, -p/--pid, --netns), -d/--duration,
 * --btf FILE and -v. A command's getopt_long loop lists TRACE_OPTIONS_COMMON and TRACE_OPTIONS_FILTERS in its
 * table and TRACE_SHORT in its short options, hands every option it does not handle itself to
 * trace_opt(), and once the loop is done calls trace_opts_check(), which rejects what the
 * options cannot mean together and names that exist nowhere. */
#ifndef IOPATH_CLI_OPTS_H
#define IOPATH_CLI_OPTS_H
#include <stdbool.h>
#include "iopath.h"

enum {
	TO_NET = 0x1000, TO_BLK, TO_DISK, TO_DIR, TO_PROTO, TO_PORT, TO_NETNS, TO_BTF,
	TO_DURATION = 'd', TO_IFACE = 'i', TO_QUEUE = 'q', TO_PID = 'p',
};

/* --btf FILE: the vmlinux BTF for a kernel without its own (kernel/kbtf.h); the row every
 * command that loads BPF lists (record, top, serve through TRACE_OPTIONS_COMMON; env, probes) */
#define BTF_OPTION { "btf", required_argument, 0, TO_BTF }
/* its line in a command's --help */
#define BTF_HELP                                                                                  \
	"      --btf FILE          the kernel's BTF from a file, for a kernel without\n"            \
	"                          /sys/kernel/btf/vmlinux (BTFHub, tools/min-btf.sh); CO-RE then\n" \
	"                          reads it alone: module functions go by kprobe. Without it, such\n" \
	"                          a kernel of the lab's Debian builds uses the BTF built in\n"

/* getopt_long rows for the paths, -i/-d and --btf (what every tracing command takes) */
#define TRACE_OPTIONS_COMMON                                                                      \
	{ "net", no_argument, 0, TO_NET }, { "blk", no_argument, 0, TO_BLK },                     \
	{ "disk", required_argument, 0, TO_DISK }, { "iface", required_argument, 0, TO_IFACE },   \
	{ "duration", required_argument, 0, TO_DURATION }, BTF_OPTION
/* ... and the per-packet filters */
#define TRACE_OPTIONS_FILTERS                                                                     \
	{ "queue", required_argument, 0, TO_QUEUE }, { "dir", required_argument, 0, TO_DIR },     \
	{ "proto", required_argument, 0, TO_PROTO }, { "port", required_argument, 0, TO_PORT },   \
	{ "pid", required_argument, 0, TO_PID }, { "netns", required_argument, 0, TO_NETNS }
/* their short forms, for getopt_long's optstring */
#define TRACE_SHORT "i:d:q:p:"

struct trace_opts {
	bool net, blk;              /* --net, --blk (--disk implies --blk) */
	struct net_opts no;         /* -i, -q, --dir, --proto, --port, --pid, --netns (inode) */
	struct blk_opts bo;         /* --disk */
	const char *netns_arg;      /* --netns as given, resolved by trace_opts_check */
	const char *btf;            /* --btf as given, checked by trace_opts_check; NULL: none */
	double duration;            /* -d, seconds (the command's default until given) */
	bool have_duration;
	double max_duration;        /* the command's upper bound for -d */
	bool pid_scopes_tasks;      /* record --exits: --pid also names the traced tasks, so it needs
				     * no network path */
};

/* Defaults: no filter (all queues, both directions), duration as given. */
void trace_opts_init(struct trace_opts *t, double duration, double max_duration);
/* For an option getopt_long returned (c; optarg/optopt/optind as it left them) that the command
 * did not handle itself: 0 when it is a shared option, parsed into t; else the exit status
 * (EXIT_USAGE) after one line: a bad value, or an option the command does not take (bad_option). */
int trace_opt(const char *cmd, int c, char **argv, struct trace_opts *t);
/* Neither --net nor --blk asked for: the network path. */
void trace_opts_default_path(struct trace_opts *t);
/* After the paths are settled (trace_opts_default_path or the command's own choice): 0, or
 * EXIT_USAGE after one line for a filter without the network path, --pid with --dir rx, a
 * process, namespace or interface that does not exist (looked for in every network namespace
 * iopath can see; a name missing only where it could not look is a warning), a queue beyond
 * the interface's queues. Sets t->no.netns from --netns. Last, btf_settle(cmd, t->btf, true). */
int trace_opts_check(const char *cmd, struct trace_opts *t);
/* The vmlinux BTF this process reads (kernel/kbtf.h), settled once the options are parsed:
 * path (--btf; NULL: none) checked, one line and EXIT_USAGE when it is not a usable BTF file
 * (missing, not BTF, truncated, not a vmlinux BTF); with need, a kernel without BTF of its own
 * and no --btf is refused with one line naming --btf FILE and BTFHub, EXIT_RUNTIME (the kernel
 * lacks it, as below the floor). Then kbtf_use. 0 when settled. */
int btf_settle(const char *cmd, const char *path, bool need);
/* The filter flag t has that needs the network path ("-i", "--port", ...), or NULL. */
const char *trace_opts_net_filter(const struct trace_opts *t);

/* A decimal number with nothing else (no sign, no space), at most max: 0 and *v, or -EINVAL
 * (not such a number) or -ERANGE (above max). strtoul takes "-5" as a huge number. */
int parse_uint(const char *s, unsigned long long max, unsigned long long *v);

#endif
