/* iopath: where the overhead of a packet or a block request comes from. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "kernel/caps.h"
#include "util/util.h"

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *what;
} cmds[] = {
	{ "env", cmd_env, "what this machine is: hypervisor, devices, IRQs, kernel capabilities" },
	{ "probes", cmd_probes, "resolve and attach every probe point; status (and hits) per point" },
	{ "record", cmd_record, "follow every packet through stack and driver; report stages, paths, exits" },
	{ "report", cmd_report, "print a recording (record -o FILE) as it was printed live" },
	{ "top", cmd_top, "live view: packets/s, p99, exits and irqs per packet per device (and disk)" },
	{ "serve", cmd_serve, "live aggregates as OpenMetrics/Prometheus text over HTTP (/metrics)" },
	{ "diff", cmd_diff, "two recordings side by side (PV vs HVM): stages, exits, irqs per packet" },
	{ "compare", cmd_compare, "N platforms side by side: per-packet and per-request costs, explained" },
	{ "flame", cmd_flame, "flame graph of a recording's paths: SVG, folded, speedscope, differential" },
	{ "workload", cmd_workload, "the fixed workload (suite, peer) and UDP/TCP generators" },
};

static void help(FILE *f)
{
	fprintf(f, "usage: iopath [<command> [options]]   (iopath <command> --help)\n"
		   "Without a command: iopath record --net --duration 5.\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %-8s %s\n", cmds[i].name, cmds[i].what);
	fprintf(f, "\n  --version  print the version\n"
		   "\nexit codes (every command):\n"
		   "  0  done\n"
		   "  1  runtime error: not privileged, the kernel refused, a recording unreadable or damaged,\n"
		   "     a file not written at the end\n"
		   "  2  bad usage: a bad option or value, a command not found, an output (-o) that cannot\n"
		   "     be written; refused before anything was traced\n"
		   "  3  record/probes -- COMMAND: the trace is complete but COMMAND failed (non-zero exit or\n"
		   "     killed); its status is on stderr and in the JSON (command_exit)\n");
}

int main(int argc, char **argv)
{
	char bad[64];

	if (caps_mask(NULL, getenv(CAPS_MASK_ENV), bad, sizeof(bad))) {
		fprintf(stderr, "iopath: %s: unknown capability '%s' (see 'iopath env')\n",
			CAPS_MASK_ENV, bad);
		return EXIT_USAGE;
	}
	if (argc < 2) {
		/* no command: trace this machine's network path for a few seconds */
		char *def[] = { "record", "--net", "--duration", "5", NULL };

		return cmd_record(4, def);
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		help(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("iopath %s\n", IOPATH_VERSION);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "iopath: unknown command '%s' (see 'iopath --help')\n", argv[1]);
	return EXIT_USAGE;
}
