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
#include "out/json.h"
#include "platform/netns.h"
#include "util/util.h"

static volatile sig_atomic_t stop;
static void on_signal(int sig) { stop = 1; }

static void help(void)
{
	printf("usage: iopath top [--net] [--blk] [filters] [-d SECS] [--json] [INTERVAL [COUNT]]\n"
	       "A live view of the I/O path, refreshed every interval: per network device and\n"
	       "direction packets/s, Mbit/s, p50/p99 of the path latency (first to last stage),\n"
	       "exits, interrupts per packet and drops; with --blk per disk requests/s, MB/s,\n"
	       "p50/p99 and exits/interrupts per request. Rates are over the last interval.\n"
	       "On a terminal: full screen, q or Ctrl-C quits. Otherwise, or with COUNT, one\n"
	       "block per interval (like vmstat and iostat: 'iopath top 1 5').\n\n"
	       "  INTERVAL                refresh interval in seconds (default 1; also --interval)\n"
	       "  COUNT                   stop after COUNT refreshes\n"
	       "  --net                   the network path (the default without --blk)\n"
	       "  --blk                   the block path (with --net: both)\n"
	       "  -i, --iface NAME        only this interface\n"
	       "  -q, --queue N           only this queue\n"
	       "      --dir tx|rx         only this direction\n"
	       "      --proto udp|tcp     only this transport\n"
	       "      --port N            only packets with this source or destination port\n"
	       "  -p, --pid N             only packets sent by this process (TX only)\n"
	       "      --netns NAME|INODE  only devices in this network namespace\n"
	       "      --disk DEV          only this disk\n"
	       "  -d, --duration SECS     stop after SECS (default: until q or Ctrl-C)\n"
	       "      --interval SECS     refresh interval (default 1)\n"
	       "  -j, --json              one JSON object per interval, one per line (NDJSON)\n"
	       BTF_HELP
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

/* The view fits 80 columns (78 wide: a line of exactly 80 leaves the cursor in the pending-wrap
 * state, where the erase-to-end-of-line each line ends with would clear its last character). */
#define TOP_NET_HDR  "%-15s %-2s %9s %8s %7s %7s %8s %7s %6s\n"
#define TOP_ROW      "%-15.15s %-2s %9.0f %8.1f %7s %7s %8s %7.2f %6.0f\n"

/* The device column: the name, and where another row has the same name in another namespace
 * (lo, or eth0 in every container), "@namespace" so the rows can be told apart. */
static void row_label(const struct top_rows *t, const struct top_row *w, const struct netns_set *ns,
		      char *buf, size_t len)
{
	char nsl[64];

	for (int i = 0; !w->blk && i < t->n; i++)
		if (!t->r[i].blk && t->r[i].netns != w->netns && !strcmp(t->r[i].name, w->name)) {
			snprintf(buf, len, "%s@%s", w->name, netns_label(ns, w->netns, nsl, sizeof(nsl)));
			return;
		}
	snprintf(buf, len, "%s", w->name);
}

/* One section's rows (network: blk false; block: blk true), at most max_rows of them. */
static void render_section(FILE *f, const struct top_rows *t, bool blk, int max_rows,
			   const struct netns_set *ns)
{
	char b1[16], b2[16], b3[24], name[48];
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
		row_label(t, w, ns, name, sizeof(name));
		fprintf(f, TOP_ROW, name, blk ? "" : w->dir == DIR_TX ? "tx" : "rx", w->rate,
			blk ? w->mbit / 8 : w->mbit, fmt_ns(w->p50, b1, sizeof(b1)),
			fmt_ns(w->p99, b2, sizeof(b2)), b3, w->irqs_per, w->drops_d);
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
		   int max_rows, const struct netns_set *ns)
{
	char now[32];
	time_t tt = time(NULL);

	strftime(now, sizeof(now), "%H:%M:%S", localtime(&tt));
	qsort(t->r, t->n, sizeof(t->r[0]), rate_cmp);
	fprintf(f, "iopath top  %s  t=%.1fs  interval %.2fs%s\n", now, elapsed, dt,
		tty ? "   (q quits)" : "");
	if (net) {
		fprintf(f, TOP_NET_HDR, "DEVICE", "DIR", "PKTS/S", "MBIT/S", "P50", "P99", "EXITS/PK",
			"IRQS/PK", "DROPS");
		render_section(f, t, false, max_rows, ns);
	}
	if (blk) {
		if (net)
			fputc('\n', f);
		fprintf(f, TOP_NET_HDR, "DISK", "", "REQS/S", "MB/S", "P50", "P99", "EXITS/RQ", "IRQS/RQ",
			"ERRORS");
		render_section(f, t, true, max_rows, ns);
	}
}

/* One interval as one line of JSON (NDJSON): every row, idle ones too (a consumer filters). */
static void render_json(FILE *f, const struct top_rows *t, bool net, bool blk, double elapsed, double dt,
			const struct netns_set *ns)
{
	struct jw w;
	char nsl[64];

	jw_init(&w, f, false);
	jw_obj_begin(&w, NULL);
	jw_schema_version(&w);   /* each line is a document of its own */
	jw_str(&w, "iopath_version", IOPATH_VERSION);
	jw_int(&w, "unix", (long long)time(NULL));
	jw_double(&w, "elapsed_s", elapsed);
	jw_double(&w, "interval_s", dt);
	for (int sec = 0; sec < 2; sec++) {
		if (!(sec ? blk : net))
			continue;
		jw_arr_begin(&w, sec ? "disks" : "devices");
		for (int i = 0; i < t->n; i++) {
			const struct top_row *r = &t->r[i];

			if (r->blk != (sec == 1))
				continue;
			jw_obj_begin(&w, NULL);
			jw_str(&w, "name", r->name);
			if (r->blk) {
				jw_double(&w, "requests_per_s", r->rate);
				jw_double(&w, "mbyte_per_s", r->mbit / 8);
			} else {
				jw_uint(&w, "netns", r->netns);
				jw_str(&w, "netns_name", netns_label(ns, r->netns, nsl, sizeof(nsl)));
				jw_uint(&w, "ifindex", r->ifindex);
				jw_str(&w, "dir", r->dir == DIR_TX ? "tx" : "rx");
				jw_double(&w, "packets_per_s", r->rate);
				jw_double(&w, "mbit_per_s", r->mbit);
			}
			jw_double(&w, "p50_ns", r->p50);
			jw_double(&w, "p99_ns", r->p99);
			if (exits_not_measured)
				jw_null(&w, r->blk ? "exits_per_request" : "exits_per_packet");
			else
				jw_double(&w, r->blk ? "exits_per_request" : "exits_per_packet", r->exits_per);
			jw_double(&w, r->blk ? "irqs_per_request" : "irqs_per_packet", r->irqs_per);
			jw_uint(&w, r->blk ? "errors" : "drops", (unsigned long long)r->drops_d);
			jw_obj_end(&w);
		}
		jw_arr_end(&w);
	}
	jw_obj_end(&w);
	jw_finish(&w);
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

/* How top runs, from the command line. */
struct top_args {
	struct trace_opts t;
	double interval;
	bool have_interval, json;
	unsigned long long count;   /* refreshes before exiting; 0: until stopped */
};

static int parse_interval(const char *arg, struct top_args *a)
{
	char *end;

	if (a->have_interval)
		return usage_error("top", "the interval is given twice ('%s')", arg);
	a->interval = strtod(arg, &end);
	if (*end || end == arg || a->interval < 0.1 || a->interval > 3600)
		return usage_error("top", "bad interval '%s' (seconds, 0.1..3600)", arg);
	a->have_interval = true;
	return 0;
}

static int parse_args(int argc, char **argv, struct top_args *a)
{
	enum { O_INTERVAL = 256 };
	static const struct option opts[] = {
		TRACE_OPTIONS_COMMON, TRACE_OPTIONS_FILTERS,
		{ "interval", required_argument, 0, O_INTERVAL }, { "json", no_argument, 0, 'j' },
		{ "verbose", no_argument, 0, 'v' }, { "help", no_argument, 0, 'h' }, {},
	};
	int c;

	trace_opts_init(&a->t, 0, 31536000);
	a->interval = 1;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":" TRACE_SHORT "jvh", opts, NULL)) != -1) {
		switch (c) {
		case O_INTERVAL:
			if ((c = parse_interval(optarg, a)))
				return c;
			break;
		case 'j': a->json = true; break;
		case 'h': help(); return -1;
		default:
			if ((c = trace_opt("top", c, argv, &a->t)))
				return c;   /* the exit status */
		}
	}
	/* vmstat/iostat: INTERVAL [COUNT] */
	if (optind < argc && (c = parse_interval(argv[optind++], a)))
		return c;
	if (optind < argc && (parse_uint(argv[optind], ~0ull, &a->count) || !a->count))
		return usage_error("top", "bad count '%s' (refreshes, >0)", argv[optind]);
	if (++optind < argc)
		return usage_error("top", "unexpected argument '%s'", argv[optind]);
	trace_opts_default_path(&a->t);
	return trace_opts_check("top", &a->t);
}

/* The terminal while top runs full screen: raw keys, alternate screen, cursor hidden. */
struct top_term {
	bool term_set, screen;
	struct termios saved;
};

static void term_enter(struct top_term *tt, bool keys, double interval)
{
	if (keys && !tcgetattr(0, &tt->saved)) {
		struct termios raw = tt->saved;

		raw.c_lflag &= ~(ICANON | ECHO);
		raw.c_cc[VMIN] = 0;
		raw.c_cc[VTIME] = 0;
		tt->term_set = !tcsetattr(0, TCSANOW, &raw);
	}
	fputs("\033[?1049h\033[?25l\033[H\033[2J", stdout);
	printf("iopath top: collecting for %.2fs...\n", interval);
	fflush(stdout);
	tt->screen = true;
}

static void term_leave(struct top_term *tt)
{
	if (tt->screen) {
		fputs("\033[?1049l\033[?25h", stdout);
		fflush(stdout);
	}
	if (tt->term_set)
		tcsetattr(0, TCSANOW, &tt->saved);
}

/* A full-screen frame, redrawn in place: each line cleared to its end, then the rest. */
static void draw_frame(struct top_rows *cur, const struct top_args *a, double el, double dt,
		       const struct netns_set *ns)
{
	struct winsize ws;
	char *frame = NULL;
	size_t flen = 0;
	int rows = 0;
	FILE *mf;

	if (!ioctl(1, TIOCGWINSZ, &ws) && ws.ws_row > 8)
		rows = (ws.ws_row - 6) / (a->t.net && a->t.blk ? 2 : 1);
	if (!(mf = open_memstream(&frame, &flen)))
		return;
	render(mf, cur, a->t.net, a->t.blk, el, dt, true, rows, ns);
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

/* One refresh: the rows over the last interval, drawn the way this run draws them. */
static void show(struct top_rows *cur, const struct top_args *a, bool full, double el, double dt)
{
	struct netns_set ns;
	bool named = !netns_scan("", &ns, NETNS_NAMES);

	if (a->json)
		render_json(stdout, cur, a->t.net, a->t.blk, el, dt, named ? &ns : NULL);
	else if (full)
		draw_frame(cur, a, el, dt, named ? &ns : NULL);
	else {
		render(stdout, cur, a->t.net, a->t.blk, el, dt, false, 0, named ? &ns : NULL);
		fputs("\n", stdout);
	}
	fflush(stdout);
	if (named)
		netns_free(&ns);
}

/* Waits until `until` (ns) or a q on the terminal. */
static void wait_until(unsigned long long until, bool keys)
{
	unsigned long long now = now_ns();
	struct pollfd pfd = { .fd = 0, .events = POLLIN };
	char ch[16];

	if (now >= until)
		return;
	if (poll(&pfd, keys ? 1 : 0, (until - now + 999999) / 1000000) > 0 && (pfd.revents & POLLIN)) {
		ssize_t r = read(0, ch, sizeof(ch));

		for (ssize_t i = 0; i < r; i++)
			if (ch[i] == 'q' || ch[i] == 'Q')
				stop = 1;
	}
}

int cmd_top(int argc, char **argv)
{
	struct top_args a;
	bool full;
	struct live_session s = {};
	struct top_rows prev = {}, cur = {};
	struct top_term tt = {};
	struct sigaction sa = { .sa_handler = on_signal };
	unsigned long long t0, last, shown = 0;
	int ret = EXIT_RUNTIME;
	long k = 1;

	if ((ret = parse_args(argc, argv, &a)))
		return ret < 0 ? EXIT_OK : ret;
	ret = EXIT_RUNTIME;
	if (require_privileges())
		return EXIT_RUNTIME;
	/* full screen on a terminal; with a count or JSON, blocks that stay (vmstat) */
	full = isatty(1) && !a.count && !a.json;

	if (session_open(&s, a.t.net, a.t.blk, &a.t.no, &a.t.bo))
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
	if (full)
		term_enter(&tt, isatty(0), a.interval);
	t0 = last = now_ns();
	while (!stop) {
		unsigned long long now = now_ns(), next = t0 + (unsigned long long)(k * a.interval * 1e9);
		unsigned long long endt = a.t.duration > 0 ? t0 + (unsigned long long)(a.t.duration * 1e9) : 0;
		bool at_end;

		if (now < (endt && endt < next ? endt : next)) {
			wait_until(endt && endt < next ? endt : next, tt.term_set);
			continue;
		}
		at_end = endt && now >= endt;
		/* a last partial interval is shown when it is worth a row */
		if (now >= next || (at_end && (now - last) > a.interval * 0.2e9)) {
			if (collect(&s, &cur))
				goto out;
			rows_diff(&cur, &prev, (now - last) / 1e9);
			show(&cur, &a, full, (now - t0) / 1e9, (now - last) / 1e9);
			free(prev.r);
			prev = cur;
			cur = (struct top_rows){};
			last = now;
			while (t0 + (unsigned long long)(k * a.interval * 1e9) <= now)
				k++;
			if (a.count && ++shown >= a.count)
				break;
		}
		if (at_end)
			break;
	}
	ret = EXIT_OK;
out:
	term_leave(&tt);
	free(prev.r);
	free(cur.r);
	session_close(&s);
	return ret;
}
