/* iopath compare A.rec B.rec ...: the same I/O on N platforms, one column each, with an
 * explanation generated from the numbers (record/compare.h: groups, matching, rows, rules).
 * This file parses the command line and picks the exit code. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "record/compare.h"
#include "record/outfile.h"
#include "record/recdata.h"
#include "util/util.h"

static void help(void)
{
	printf("usage: iopath compare A.rec B.rec ... [--label NAME ...] [--json] [--html OUT]\n"
	       "The same I/O recorded on several platforms, one column per recording: per packet (TX\n"
	       "and RX) and per block request the probe hits, the crossings by kind split by the exit\n"
	       "model of each recording's own platform (exits / may exit / stays in the guest),\n"
	       "interrupts, polls, grants, bounce copies, stage p50/p99; with record --host, host\n"
	       "exits per guest packet by reason; with record --exits -- CMD or --pid, the traced\n"
	       "tasks' syscalls, page faults, context switches ... per packet, per request and per\n"
	       "second, each with its platform's verdict, and the crossings the exit model derives\n"
	       "from them (marked derived). Recordings group by phase (iopath workload suite);\n"
	       "rows match by role like diff. A short explanation, generated from the numbers, leads:\n"
	       "the largest differences first, each with its mechanism and platform.\n"
	       "n/m: that recording could not measure it (the footnote says why); never 0.\n\n"
	       "  --label NAME  a column's name instead of its platform and drivers; once per\n"
	       "                recording in argument order, or once per column of every phase\n"
	       "  -j, --json    JSON output\n"
	       "  --html OUT    also write one self-contained HTML page (tables, SVG plots, latency\n"
	       "                histograms, differential flame graphs) to OUT\n"
	       "  -h, --help\n");
}

int cmd_compare(int argc, char **argv)
{
	enum { O_LABEL = 256, O_HTML };
	static const struct option opts[] = {
		{ "json", no_argument, 0, 'j' }, { "label", required_argument, 0, O_LABEL },
		{ "html", required_argument, 0, O_HTML }, { "help", no_argument, 0, 'h' }, {},
	};
	const char *html = NULL, **labels = calloc(argc + 1, sizeof(char *));
	struct cmp_input *in = NULL;
	struct rec_data *d = NULL;
	char (*phase)[64] = NULL, err[300];
	struct outfile out = { .fd = -1 };
	int c, n = 0, nl = 0, ret = EXIT_RUNTIME, loaded = 0;
	bool json = false;
	struct compare cmp = {};

	if (!labels) {
		iop_err("out of memory");
		return EXIT_RUNTIME;
	}
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case O_LABEL:
			if (!optarg[0]) {
				free(labels);
				return usage_error("compare", "--label needs a name");
			}
			labels[nl++] = optarg;
			break;
		case O_HTML: html = optarg; break;
		case 'h': help(); free(labels); return EXIT_OK;
		default: free(labels); return bad_option("compare", c, optopt, argv, optind);
		}
	}
	n = argc - optind;
	if (n < 2) {
		free(labels);
		return usage_error("compare", "expected two or more recording files, got %d", n);
	}
	/* the page's file is checked before anything is loaded: a bad path costs nothing */
	if (html && (ret = open_output("compare", "--html", html, &out))) {
		free(labels);
		return ret;
	}
	ret = EXIT_RUNTIME;
	in = calloc(n, sizeof(*in));
	d = calloc(n, sizeof(*d));
	phase = calloc(n, sizeof(*phase));
	if (!in || !d || !phase) {
		iop_err("out of memory");
		goto out;
	}
	for (int i = 0; i < n; i++, loaded++) {
		if (rec_data_load_key(&d[i], argv[optind + i], "phase", phase[i], sizeof(phase[i]), err, sizeof(err))) {
			iop_err("%s: %s", argv[optind + i], err);
			goto out;
		}
		in[i] = (struct cmp_input){ &d[i], argv[optind + i], phase[i], NULL };
	}
	if (compare_labels(in, n, labels, nl, err, sizeof(err))) {
		ret = usage_error("compare", "%s", err);
		goto out;
	}
	ret = EXIT_RUNTIME;
	if (compare_build(&cmp, in, n)) {
		iop_err("out of memory comparing the recordings");
		goto out;
	}
	if (json)
		compare_json(stdout, &cmp);
	else
		compare_text(stdout, &cmp);
	if (html) {
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);
		int e = m ? compare_html(m, &cmp) : -ENOMEM;

		if (m)
			fclose(m);
		if (e || !buf) {
			iop_err("out of memory writing the page");
			free(buf);
			goto out;
		}
		e = outfile_write(&out, buf, len);
		free(buf);
		if (e) {
			iop_err("cannot write --html %s: %s", html, strerror(-e));
			goto out;
		}
	}
	ret = EXIT_OK;
out:
	outfile_close(&out);
	compare_free(&cmp);
	for (int i = 0; i < loaded; i++)
		rec_data_free(&d[i]);
	free(d);
	free(in);
	free(phase);
	free(labels);
	return ret;
}
