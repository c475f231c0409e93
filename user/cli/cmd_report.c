/* iopath report FILE: a recording printed exactly as `record` printed it
 * live (text or --json). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "record/recdata.h"
#include "util/util.h"

static void help(void)
{
	printf("usage: iopath report FILE [--json]\n"
	       "Print a recording made with iopath record -o FILE, as record printed it live.\n\n"
	       "  -j, --json   JSON output\n"
	       "  -h, --help\n");
}

int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, 0, 'j' }, { "help", no_argument, 0, 'h' }, {},
	};
	struct rec_data d;
	char err[300];
	bool json = false;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 'h': help(); return EXIT_OK;
		default: return bad_option("report", c, optopt, argv, optind);
		}
	}
	if (optind != argc - 1)
		return usage_error("report", "expected one recording file");
	if (rec_data_load(&d, argv[optind], err, sizeof(err))) {
		iop_err("%s: %s", argv[optind], err);
		return EXIT_RUNTIME;
	}
	if (json)
		rec_data_json(stdout, &d);
	else
		rec_data_print(stdout, &d);
	rec_data_free(&d);
	return EXIT_OK;
}
