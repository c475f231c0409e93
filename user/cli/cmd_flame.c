/* iopath flame FILE: the packet and request paths of a recording as a flame
 * graph — each signature (the ordered probe points a packet or request
 * passed) is a stack under its device and direction, weighted by how many
 * packets took it. Folded text (flamegraph.pl/inferno), a self-contained
 * interactive SVG, or speedscope JSON; --diff B.rec for a differential. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "out/flame.h"
#include "record/recdata.h"
#include "report/common.h"
#include "util/util.h"

static int add_sig(struct flame *f, const char *root, const struct net_sig_val *v,
		   const struct resolved *pts, unsigned n)
{
	char stack[2048];
	int off = snprintf(stack, sizeof(stack), "%s", root);

	for (unsigned j = 0; j < v->len && j < NET_SIG_IDS && off < (int)sizeof(stack) - 1; j++)
		off += snprintf(stack + off, sizeof(stack) - off, ";%s", point_label(pts, n, v->ids[j]));
	if (v->len > NET_SIG_IDS && off < (int)sizeof(stack) - 1)
		snprintf(stack + off, sizeof(stack) - off, ";...");
	return flame_add(f, stack, v->count, 0);
}

/* Stacks of one recording. */
static int stacks(const struct rec_data *d, struct flame *f)
{
	char root[96];

	for (int i = 0; d->has_net && i < d->net->ndev; i++) {
		const struct net_report_dev *x = &d->net->dev[i];

		snprintf(root, sizeof(root), "%s/%s", x->name[0] ? x->name : "?", x->dir == DIR_TX ? "tx" : "rx");
		for (int t = 0; t < x->ntop; t++)
			if (add_sig(f, root, &x->top[t].v, d->pts, d->n))
				return -1;
	}
	for (int i = 0; d->has_blk && i < d->blk->ncls; i++) {
		const struct blk_report_class *c = &d->blk->cls[i];

		snprintf(root, sizeof(root), "%s/%s", c->disk[0] ? c->disk : "?", blk_op_name(c->k.op));
		for (int t = 0; t < c->ntop; t++)
			if (add_sig(f, root, &c->top[t].v, d->pts, d->n))
				return -1;
	}
	return 0;
}

static void help(void)
{
	printf("usage: iopath flame FILE [--svg|--folded|--speedscope] [-o OUT] [--diff B.rec] [--title T]\n"
	       "Flame graph of the packet and request paths in a recording (stacks: device and\n"
	       "direction, then the probe points each path passed; width: packets/requests).\n\n"
	       "  --svg          interactive SVG (default): click to zoom, Search, tooltips\n"
	       "  --folded       folded stacks for flamegraph.pl / inferno\n"
	       "  --speedscope   speedscope JSON\n"
	       "  --stacks       kernel stacks at the probe points (record --stacks) instead of paths\n"
	       "  --diff B.rec   differential: FILE is before, B.rec after (red grew, blue shrank)\n"
	       "  --title T      the graph's title (SVG heading, speedscope name; default: what\n"
	       "                 the graph shows, e.g. 'iopath: packet and request paths')\n"
	       "  -o OUT         write to OUT instead of stdout\n"
	       "  -h, --help\n");
}

int cmd_flame(int argc, char **argv)
{
	enum { O_SVG = 256, O_FOLDED, O_SS, O_DIFF, O_TITLE, O_STACKS };
	static const struct option opts[] = {
		{ "svg", no_argument, 0, O_SVG }, { "folded", no_argument, 0, O_FOLDED },
		{ "speedscope", no_argument, 0, O_SS }, { "diff", required_argument, 0, O_DIFF },
		{ "title", required_argument, 0, O_TITLE }, { "output", required_argument, 0, 'o' },
		{ "stacks", no_argument, 0, O_STACKS },
		{ "help", no_argument, 0, 'h' }, {},
	};
	const char *out = NULL, *diff = NULL, *title = NULL;
	int fmt = O_SVG, c, ret = EXIT_RUNTIME;
	bool kstacks = false;
	struct rec_data A = {}, B = {};
	struct flame fa, fb, fd;
	char err[300];
	FILE *o = stdout;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
		switch (c) {
		case O_SVG: case O_FOLDED: case O_SS: fmt = c; break;
		case O_DIFF: diff = optarg; break;
		case O_TITLE: title = optarg; break;
		case O_STACKS: kstacks = true; break;
		case 'o': out = optarg; break;
		case 'h': help(); return EXIT_OK;
		default: return bad_option("flame", c, optopt, argv, optind);
		}
	}
	if (argc - optind != 1)
		return usage_error("flame", "expected one recording file");
	flame_init(&fa);
	flame_init(&fb);
	flame_init(&fd);
	if (rec_data_load(&A, argv[optind], err, sizeof(err))) {
		iop_err("%s: %s", argv[optind], err);
		return EXIT_RUNTIME;
	}
	if (diff && rec_data_load(&B, diff, err, sizeof(err))) {
		iop_err("%s: %s", diff, err);
		goto done;
	}
	if (kstacks) {
		int bl = 0;

		if (!A.stacks || (diff && !B.stacks)) {
			iop_err("%s has no kernel stacks (record with --stacks)", !A.stacks ? argv[optind] : diff);
			goto done;
		}
		if (flame_parse_folded(&fa, A.stacks, &bl) || (diff && flame_parse_folded(&fb, B.stacks, &bl))) {
			iop_err("kernel stacks of the recording are damaged (line %d)", bl);
			goto done;
		}
		if (diff && flame_diff(&fd, &fa, &fb)) {
			iop_err("out of memory building stacks");
			goto done;
		}
	} else if (stacks(&A, &fa) || (diff && stacks(&B, &fb)) || (diff && flame_diff(&fd, &fa, &fb))) {
		iop_err("out of memory building stacks");
		goto done;
	}
	if (!fa.n && !fb.n) {
		iop_err("%s holds no %s", argv[optind], kstacks ? "kernel stacks" : "packet or request paths");
		goto done;
	}
	if (out && !(o = fopen(out, "w"))) {
		iop_err("cannot write %s: %m", out);
		goto done;
	}
	{
		const struct flame *f = diff ? &fd : &fa;
		char t[256];

		/* --stacks: each stack's width is the probe hits that took it, not paths */
		if (title)
			snprintf(t, sizeof(t), "%s", title);
		else
			snprintf(t, sizeof(t), "iopath: %s%s", kstacks ? "kernel stacks at probe hits" :
				 "packet and request paths", diff ? ", differential" : "");
		if (fmt == O_FOLDED)
			flame_write_folded(o, f);
		else if (fmt == O_SS)
			flame_write_speedscope(o, f, t);
		else
			flame_write_svg(o, f, t, kstacks ? "probe hits" : "paths");
	}
	ret = EXIT_OK;
	if (out && fclose(o)) {
		iop_err("cannot write %s: %m", out);
		ret = EXIT_RUNTIME;
	}
done:
	flame_free(&fa);
	flame_free(&fb);
	flame_free(&fd);
	rec_data_free(&A);
	rec_data_free(&B);
	return ret;
}
