/* iopath top: a live view of the network (and block) path, refreshed every
 * interval from the same in-kernel aggregates record reads: per device and
 * direction packets/s, throughput, p50/p99 of the path latency, exits,
 * interrupts per packet and drops over the last interval (the difference of
 * two collections); per disk the same per request. On a terminal: the
 * alternate screen, cursor hidden, `q` quits; the terminal is restored on
 * every way out. Otherwise one plain block per interval. */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "report/blk_report.h"
#include "cli/cli.h"
#include "cli/opts.h"
#include "report/common.h"
#include "platform/devices.h"
#include "out/hist.h"
#include "report/net_report.h"
#include "engine/session.h"
#include "util/util.h"

static volatile sig_atomic_t stop;
static void on_signal(int sig) { stop = 1; }

static void help(void)
{
	printf("usage: iopath top [--net] [--blk] [-i IFACE] [-d SECONDS] [--interval SECS]\n"
	       "A live view of the I/O path, refreshed every interval: per network device and\n"
	       "direction packets/s, Mbit/s, p50/p99 of the path latency (first to last stage),\n"
	       "exits, interrupts per packet and drops; with --blk per disk requests/s, MB/s,\n"
	       "p50/p99 and exits/interrupts per request. Rates are over the last interval.\n"
	       "On a terminal: full screen, q or Ctrl-C quits. Otherwise one block per interval.\n\n"
	       "  --net                   the network path (the default without --blk)\n"
	       "  --blk                   the block path (with --net: both)\n"
	       "  -i, --iface NAME        only this interface\n"
	       "      --disk DEV          only this disk\n"
	       "  -d, --t.duration SECS     stop after SECS (default: until q or Ctrl-C)\n"
	       "      --interval SECS     refresh interval (default 1)\n"
	       "  -v, --verbose\n"
	       "  -h, --help\n");
}

/* One line of the view, cumulative counts at one collection. */
struct top_row {
	bool blk;
	unsigned netns, ifindex, dir, dev;
	char name[32];
	unsigned long long units, ended, bytes, exits, irqs, drops;
	unsigned long long slots[NET_HIST_SLOTS];
	/* over the interval, filled by diff */
	double rate, mbit, p50, p99, exits_per, irqs_per, drops_d;
};

struct top_rows {
	int n;
	struct top_row *r;
};

/* The crossing every I/O makes (notify: doorbell, virtio kick, event-channel send) cannot be
 * counted here (no notify probe attached): the exits column says n/m, never 0. */
static bool exits_not_measured;

static struct top_row *rows_add(struct top_rows *t)
{
	struct top_row *r = realloc(t->r, (t->n + 1) * sizeof(*r));

	if (!r)
		return NULL;
	t->r = r;
	memset(&r[t->n], 0, sizeof(r[0]));
	return &r[t->n++];
}

static int rows_build(struct top_rows *t, const struct net_report *nr, const struct blk_report *br)
{
	for (int i = 0; nr && i < nr->ndev; i++) {
		const struct net_report_dev *d = &nr->dev[i];
		struct top_row *w = rows_add(t);

		if (!w)
			return -1;
		w->netns = d->netns;
		w->ifindex = d->ifindex;
		w->dir = d->dir;
		if (d->name[0])
			snprintf(w->name, sizeof(w->name), "%.16s", d->name);
		else
			snprintf(w->name, sizeof(w->name), "if%u", d->ifindex);
		w->units = d->a.started;
		w->ended = d->a.ended;
		w->bytes = d->a.bytes;
		for (int k = 0; k < EXK__COUNT; k++)
			w->exits += d->a.exits[k];
		w->irqs = d->a.irqs;
		w->drops = d->a.drops;
		memcpy(w->slots, d->a.total_hist, sizeof(w->slots));
	}
	for (int i = 0; br && i < br->ncls; i++) {
		const struct blk_report_class *c = &br->cls[i];
		struct top_row *w = NULL;

		for (int j = 0; j < t->n; j++)
			if (t->r[j].blk && t->r[j].dev == c->k.dev)
				w = &t->r[j];
		if (!w) {
			if (!(w = rows_add(t)))
				return -1;
			w->blk = true;
			w->dev = c->k.dev;
			snprintf(w->name, sizeof(w->name), "%s", c->disk);
			for (int d = 0; d < br->ndisk; d++)
				if (br->disk[d].dev == c->k.dev)
					w->irqs = br->disk[d].irqs;
		}
		w->units += c->a.requests;
		w->ended += c->a.requests;
		if (c->k.op != BOP_DISCARD)   /* MB/s: data moved, not ranges discarded */
			w->bytes += c->a.bytes;
		for (int k = 0; k < EXK__COUNT; k++)
			w->exits += c->a.exits[k];
		w->drops += c->a.errors;
		for (int s = 0; s < NET_HIST_SLOTS; s++)
			w->slots[s] += c->a.total_hist[s];
	}
	return 0;
}

static unsigned long long sub(unsigned long long a, unsigned long long b)
{
	return a > b ? a - b : 0;
}

/* cur -= prev per matching row; rates over dt seconds. */
static void rows_diff(struct top_rows *cur, const struct top_rows *prev, double dt)
{
	for (int i = 0; i < cur->n; i++) {
		struct top_row *w = &cur->r[i];
		const struct top_row *p = NULL;
		unsigned long long units, ended, slots[NET_HIST_SLOTS];

		for (int j = 0; prev && j < prev->n && !p; j++) {
			const struct top_row *q = &prev->r[j];

			if (q->blk == w->blk && q->netns == w->netns && q->ifindex == w->ifindex &&
			    q->dir == w->dir && q->dev == w->dev)
				p = q;
		}
		units = sub(w->units, p ? p->units : 0);
		ended = sub(w->ended, p ? p->ended : 0);
		for (int s = 0; s < NET_HIST_SLOTS; s++)
			slots[s] = sub(w->slots[s], p ? p->slots[s] : 0);
		w->rate = dt > 0 ? units / dt : 0;
		w->mbit = dt > 0 ? sub(w->bytes, p ? p->bytes : 0) * 8 / dt / 1e6 : 0;
		w->p50 = log2_quantile(slots, NET_HIST_SLOTS, 0.5);
		w->p99 = log2_quantile(slots, NET_HIST_SLOTS, 0.99);
		w->exits_per = ended ? (double)sub(w->exits, p ? p->exits : 0) / ended : 0;
		w->irqs_per = units ? (double)sub(w->irqs, p ? p->irqs : 0) / units : 0;
		w->drops_d = sub(w->drops, p ? p->drops : 0);
	}
}

static int rate_cmp(const void *a, const void *b)
{
	const struct top_row *x = a, *y = b;

	if (x->blk != y->blk)
		return x->blk - y->blk;
	if (x->rate != y->rate)
		return x->rate < y->rate ? 1 : -1;
	return strcmp(x->name, y->name);
}

/* One section's rows (network: blk false; block: blk true), at most max_rows of them. */
static void render_section(FILE *f, const struct top_rows *t, bool blk, int max_rows)
{
	char b1[16], b2[16], b3[24];
	int shown = 0, idle = 0;

	for (int i = 0; i < t->n; i++) {
		const struct top_row *w = &t->r[i];

		if (w->blk != blk)
			continue;
		if ((w->rate == 0 && w->drops_d == 0) || (max_rows > 0 && shown >= max_rows)) {
			idle++;
			continue;
		}
		if (exits_not_measured)
			snprintf(b3, sizeof(b3), "n/m");
		else
			snprintf(b3, sizeof(b3), "%.2f", w->exits_per);
		fprintf(f, "%-16s %-3s %10.0f %9.1f %9s %9s %9s %9.2f %8.0f\n", w->name,
			blk ? "" : w->dir == DIR_TX ? "tx" : "rx", w->rate, blk ? w->mbit / 8 : w->mbit,
			fmt_ns(w->p50, b1, sizeof(b1)), fmt_ns(w->p99, b2, sizeof(b2)), b3,
			w->irqs_per, w->drops_d);
		shown++;
	}
	if (!shown)
		fprintf(f, "(no %s in this interval)\n", blk ? "block requests" : "packets");
	if (idle)
		fprintf(f, "(%d idle %s%s not shown)\n", idle, blk ? "disk" : "device/direction",
			idle > 1 ? "s" : "");
}

/* One frame (tty) or block (not a tty): at most max_rows rows per section. */
static void render(FILE *f, struct top_rows *t, bool net, bool blk, double elapsed, double dt, bool tty,
		   int max_rows)
{
	char now[32];
	time_t tt = time(NULL);

	strftime(now, sizeof(now), "%H:%M:%S", localtime(&tt));
	qsort(t->r, t->n, sizeof(t->r[0]), rate_cmp);
	fprintf(f, "iopath top  %s  t=%.1fs  interval %.2fs%s\n", now, elapsed, dt,
		tty ? "   (q quits)" : "");
	if (net) {
		fprintf(f, "%-16s %-3s %10s %9s %9s %9s %9s %9s %8s\n", "DEVICE", "DIR", "PKTS/S", "MBIT/S",
			"P50", "P99", "EXITS/PKT", "IRQS/PKT", "DROPS");
		render_section(f, t, false, max_rows);
	}
	if (blk) {
		fprintf(f, "%s%-16s %-3s %10s %9s %9s %9s %9s %9s %8s\n", net ? "\n" : "", "DISK", "", "REQS/S",
			"MB/S", "P50", "P99", "EXITS/REQ", "IRQS/REQ", "ERRORS");
		render_section(f, t, true, max_rows);
	}
}

static int collect(struct live_session *s, struct top_rows *out)
{
	struct net_report nr = {};
	struct blk_report br = {};
	int err = 0;

	if (s->net && net_report_collect(&s->e, &nr))
		err = -1;
	if (!err && s->blk && blk_report_collect(&s->e, &br))
		err = -1;
	if (!err)
		err = rows_build(out, s->net ? &nr : NULL, s->blk ? &br : NULL);
	net_report_free(&nr);
	blk_report_free(&br);
	return err;
}

int cmd_top(int argc, char **argv)
{
	enum { O_INTERVAL = 256 };
	static const struct option opts[] = {
		TRACE_OPTIONS_COMMON, { "interval", required_argument, 0, O_INTERVAL },
		{ "verbose", no_argument, 0, 'v' }, { "help", no_argument, 0, 'h' }, {},
	};
	bool tty, in_tty, term_set = false, screen = false;
	struct trace_opts t;
	double interval = 1;
	struct live_session s;
	struct top_rows prev = {}, cur = {};
	struct termios saved;
	struct sigaction sa = { .sa_handler = on_signal };
	unsigned long long t0, last;
	int c, ret = EXIT_RUNTIME;
	long k = 1;
	char *end;

	trace_opts_init(&t, 0, 31536000);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:i:d:vh", opts, NULL)) != -1) {
		switch (c) {
		case O_INTERVAL:
			interval = strtod(optarg, &end);
			if (*end || interval < 0.1 || interval > 3600)
				return usage_error("top", "bad interval '%s' (seconds, 0.1..3600)", optarg);
			break;
		case 'h': help(); return EXIT_OK;
		default:
			if ((c = trace_opt("top", c, argv, &t)))
				return c;   /* the exit status */
		}
	}
	if (optind < argc)
		return usage_error("top", "unexpected argument '%s'", argv[optind]);
	trace_opts_default_path(&t);
	if (require_privileges())
		return EXIT_RUNTIME;
	tty = isatty(1);
	in_tty = tty && isatty(0);

	if (session_open(&s, t.net, t.blk, &t.no, &t.bo))
		goto out;
	{
		struct exits_measured em;

		exits_measured_of(s.pts, s.n, &em);
		exits_not_measured = !(em.measured >> EXK_NOTIFY & 1);
	}
	sigaction(SIGINT, &sa, NULL);   /* no SA_RESTART: poll returns EINTR */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	if (collect(&s, &prev))
		goto out;
	if (in_tty && !tcgetattr(0, &saved)) {
		struct termios raw = saved;

		raw.c_lflag &= ~(ICANON | ECHO);
		raw.c_cc[VMIN] = 0;
		raw.c_cc[VTIME] = 0;
		term_set = !tcsetattr(0, TCSANOW, &raw);
	}
	if (tty) {
		fputs("\033[?1049h\033[?25l\033[H\033[2J", stdout);
		printf("iopath top: collecting for %.2fs...\n", interval);
		fflush(stdout);
		screen = true;
	}
	t0 = last = now_ns();
	while (!stop) {
		unsigned long long now = now_ns(), next = t0 + (unsigned long long)(k * interval * 1e9), until;
		unsigned long long endt = t.duration > 0 ? t0 + (unsigned long long)(t.duration * 1e9) : 0;
		bool at_end;
		struct pollfd pfd = { .fd = 0, .events = POLLIN };

		until = endt && endt < next ? endt : next;
		if (now < until) {
			int ms = (until - now + 999999) / 1000000;

			if (poll(&pfd, term_set ? 1 : 0, ms) > 0 && (pfd.revents & POLLIN)) {
				char ch[16];
				ssize_t r = read(0, ch, sizeof(ch));

				for (ssize_t i = 0; i < r; i++)
					if (ch[i] == 'q' || ch[i] == 'Q')
						stop = 1;
			}
			continue;
		}
		at_end = endt && now >= endt;
		/* a last partial interval is shown when it is worth a row */
		if (now >= next || (at_end && (now - last) > interval * 0.2e9)) {
			int rows = 0;

			if (collect(&s, &cur))
				goto out;
			rows_diff(&cur, &prev, (now - last) / 1e9);
			if (tty) {
				struct winsize ws;

				char *frame = NULL;
				size_t flen = 0;
				FILE *mf;

				if (!ioctl(1, TIOCGWINSZ, &ws) && ws.ws_row > 8)
					rows = (ws.ws_row - 6) / (t.net && t.blk ? 2 : 1);
				/* redraw in place: each line cleared to its end, then the rest */
				if ((mf = open_memstream(&frame, &flen))) {
					render(mf, &cur, t.net, t.blk, (now - t0) / 1e9, (now - last) / 1e9,
					       tty, rows);
					fclose(mf);
					fputs("\033[H", stdout);
					for (char *p = frame, *nl; p && *p; p = nl + 1) {
						nl = strchr(p, '\n');
						if (!nl) {
							fputs(p, stdout);
							break;
						}
						fwrite(p, 1, nl - p, stdout);
						fputs("\033[K\n", stdout);
					}
					fputs("\033[J", stdout);
					free(frame);
				}
			} else {
				render(stdout, &cur, t.net, t.blk, (now - t0) / 1e9, (now - last) / 1e9, tty, rows);
				fputs("\n", stdout);
			}
			fflush(stdout);
			free(prev.r);
			prev = cur;
			cur = (struct top_rows){};
			last = now;
			while (t0 + (unsigned long long)(k * interval * 1e9) <= now)
				k++;
		}
		if (at_end)
			break;
	}
	ret = EXIT_OK;
out:
	if (screen) {
		fputs("\033[?1049l\033[?25h", stdout);
		fflush(stdout);
	}
	if (term_set)
		tcsetattr(0, TCSANOW, &saved);
	free(prev.r);
	free(cur.r);
	session_close(&s);
	return ret;
}
