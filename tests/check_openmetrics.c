/* OpenMetrics exposition (iopath serve): exact text from fixed report
 * structs, histogram bucket arithmetic, label escaping, and a strict
 * checker of the format rules that every exposition must pass: families
 * declared once with TYPE and HELP before their samples and never
 * interleaved, sample names that fit the family type, UNIT a suffix of the
 * name, well-formed escaped labels, no duplicate series, histogram buckets
 * cumulative with increasing le ending at +Inf = _count, and "# EOF" last.
 *
 * With a file argument it checks that file instead (the live test 80-serve
 * runs it on a real scrape): build/tests/check_openmetrics FILE. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/openmetrics.h"
#include "testutil.h"

/* the checker truncates long names and messages on purpose */
#pragma GCC diagnostic ignored "-Wformat-truncation"

/* ---- the strict checker ---- */

#define MAXF 256
#define MAXS 8192

struct fam {
	char name[128], type[16], unit[32];
	bool help, samples;
};

struct hseries {   /* histogram series state, keyed by labels without le */
	char key[1024];
	double last_le;
	double last_cum;
	bool inf, sum, count;
	double inf_val, count_val;
};

struct ck {
	struct fam fam[MAXF];
	int nfam, cur;
	char *series[MAXS];
	int nseries;
	struct hseries h[MAXS];
	int nh;
	char err[512];
	int line;
};

static int fail_at(struct ck *c, const char *fmt, const char *a)
{
	snprintf(c->err, sizeof(c->err), "line %d: %s%s%s", c->line, fmt, a ? ": " : "", a ? a : "");
	return -1;
}

static bool valid_name(const char *s, bool label)
{
	if (!*s || !(isalpha((unsigned char)*s) || *s == '_' || (!label && *s == ':')))
		return false;
	for (s++; *s; s++)
		if (!(isalnum((unsigned char)*s) || *s == '_' || (!label && *s == ':')))
			return false;
	return true;
}

static struct fam *fam_find(struct ck *c, const char *name)
{
	for (int i = 0; i < c->nfam; i++)
		if (!strcmp(c->fam[i].name, name))
			return &c->fam[i];
	return NULL;
}

static bool ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);

	return a > b && !strcmp(s + a - b, suf);
}

static int parse_number(const char *s, double *v)
{
	char *end;

	if (!strcmp(s, "+Inf")) { *v = INFINITY; return 0; }
	if (!strcmp(s, "-Inf")) { *v = -INFINITY; return 0; }
	if (!strcmp(s, "NaN")) { *v = NAN; return 0; }
	if (!*s || isspace((unsigned char)*s))
		return -1;
	*v = strtod(s, &end);
	return *end ? -1 : 0;
}

/* Labels "{a="x",b="y"}" at *p: sorted canonical "a=x\x01b=y" into key
 * (le removed, its value in *le). */
static int parse_labels(struct ck *c, const char **pp, char *key, size_t klen, char *le, size_t lelen)
{
	const char *p = *pp;
	char names[32][64], vals[32][256];
	int n = 0;

	*key = 0;
	if (*p != '{')
		return 0;
	p++;
	while (*p != '}') {
		int i = 0, j = 0;

		if (n == 32)
			return fail_at(c, "too many labels", NULL);
		while (*p && *p != '=' && i < 63)
			names[n][i++] = *p++;
		names[n][i] = 0;
		if (*p != '=' || !valid_name(names[n], true))
			return fail_at(c, "bad label name", names[n]);
		if (*++p != '"')
			return fail_at(c, "label value not quoted", names[n]);
		p++;
		while (*p && *p != '"') {
			if (*p == '\n')
				return fail_at(c, "raw newline in label value", NULL);
			if (*p == '\\') {
				p++;
				if (*p != '\\' && *p != '"' && *p != 'n')
					return fail_at(c, "bad escape in label value", names[n]);
			}
			if (j < 255)
				vals[n][j++] = *p;
			p++;
		}
		vals[n][j] = 0;
		if (*p != '"')
			return fail_at(c, "unterminated label value", NULL);
		p++;
		for (int k = 0; k < n; k++)
			if (!strcmp(names[k], names[n]))
				return fail_at(c, "duplicate label name", names[n]);
		n++;
		if (*p == ',')
			p++;
		else if (*p != '}')
			return fail_at(c, "expected , or } in labels", NULL);
	}
	*pp = p + 1;
	/* canonical key: sorted by name, le apart */
	for (int i = 1; i < n; i++)
		for (int k = i; k > 0 && strcmp(names[k - 1], names[k]) > 0; k--) {
			char t[256];

			strcpy(t, names[k]); strcpy(names[k], names[k - 1]); strcpy(names[k - 1], t);
			strcpy(t, vals[k]); strcpy(vals[k], vals[k - 1]); strcpy(vals[k - 1], t);
		}
	for (int i = 0; i < n; i++) {
		size_t l = strlen(key);

		if (!strcmp(names[i], "le")) {
			snprintf(le, lelen, "%s", vals[i]);
			continue;
		}
		snprintf(key + l, klen - l, "%s=%s\x01", names[i], vals[i]);
	}
	return 0;
}

static struct hseries *hist_of(struct ck *c, const char *key)
{
	for (int i = 0; i < c->nh; i++)
		if (!strcmp(c->h[i].key, key))
			return &c->h[i];
	if (c->nh == MAXS)
		return NULL;
	memset(&c->h[c->nh], 0, sizeof(c->h[0]));
	snprintf(c->h[c->nh].key, sizeof(c->h[0].key), "%s", key);
	c->h[c->nh].last_le = -INFINITY;
	return &c->h[c->nh++];
}

static int check_hist_done(struct ck *c)
{
	for (int i = 0; i < c->nh; i++) {
		struct hseries *h = &c->h[i];

		if (!h->inf)
			return fail_at(c, "histogram without le=\"+Inf\" bucket", h->key);
		if (!h->count || !h->sum)
			return fail_at(c, "histogram without _count or _sum", h->key);
		if (h->count_val != h->inf_val)
			return fail_at(c, "histogram _count differs from the +Inf bucket", h->key);
	}
	c->nh = 0;
	return 0;
}

static int sample_line(struct ck *c, const char *line)
{
	char name[256], key[1024], le[64] = "", skey[1400];
	const char *p = line;
	struct fam *f;
	const char *suffix = NULL;
	double v;
	int i = 0;

	while (*p && *p != '{' && *p != ' ' && i < 255)
		name[i++] = *p++;
	name[i] = 0;
	if (!valid_name(name, false))
		return fail_at(c, "bad metric name", name);
	if (c->cur < 0)
		return fail_at(c, "sample before any TYPE", name);
	f = &c->fam[c->cur];
	if (!strcmp(f->type, "counter")) {
		if (!strcmp(name, f->name) || (strncmp(name, f->name, strlen(f->name)) ||
		    (strcmp(name + strlen(f->name), "_total") && strcmp(name + strlen(f->name), "_created"))))
			return fail_at(c, "counter sample name is not <family>_total", name);
	} else if (!strcmp(f->type, "gauge")) {
		if (strcmp(name, f->name))
			return fail_at(c, "gauge sample not named as its family", name);
	} else if (!strcmp(f->type, "histogram")) {
		size_t l = strlen(f->name);

		if (strncmp(name, f->name, l))
			return fail_at(c, "sample outside its family", name);
		suffix = name + l;
		if (strcmp(suffix, "_bucket") && strcmp(suffix, "_sum") && strcmp(suffix, "_count") &&
		    strcmp(suffix, "_created"))
			return fail_at(c, "histogram sample suffix", name);
	} else {
		return fail_at(c, "type not checked here", f->type);
	}
	if (parse_labels(c, &p, key, sizeof(key), le, sizeof(le)))
		return -1;
	if (*le && (!suffix || strcmp(suffix, "_bucket")))
		return fail_at(c, "le label outside a histogram bucket", name);
	if (*p != ' ')
		return fail_at(c, "expected one space before the value", name);
	p++;
	{
		char val[64];
		const char *sp = strchr(p, ' ');
		size_t vl = sp ? (size_t)(sp - p) : strlen(p);

		if (vl >= sizeof(val))
			return fail_at(c, "value too long", name);
		memcpy(val, p, vl);
		val[vl] = 0;
		if (parse_number(val, &v))
			return fail_at(c, "bad value", val);
		if (!strcmp(f->type, "counter") && (v < 0 || isnan(v)))
			return fail_at(c, "negative counter", name);
	}
	snprintf(skey, sizeof(skey), "%s\x02%s\x02%s", name, key, le);
	for (int k = 0; k < c->nseries; k++)
		if (!strcmp(c->series[k], skey))
			return fail_at(c, "duplicate series", line);
	if (c->nseries == MAXS)
		return fail_at(c, "too many series for the checker", NULL);
	c->series[c->nseries++] = strdup(skey);
	f->samples = true;
	if (suffix) {
		struct hseries *h = hist_of(c, key);
		double lev;

		if (!h)
			return fail_at(c, "too many histogram series", NULL);
		if (!strcmp(suffix, "_bucket")) {
			if (!*le || parse_number(le, &lev) || isnan(lev))
				return fail_at(c, "bucket without a numeric le", name);
			if (h->inf)
				return fail_at(c, "bucket after le=\"+Inf\"", le);
			if (h->count || h->sum)
				return fail_at(c, "bucket after _sum/_count", le);
			if (lev <= h->last_le)
				return fail_at(c, "le not increasing", le);
			if (v < h->last_cum)
				return fail_at(c, "bucket counts not cumulative", le);
			h->last_le = lev;
			h->last_cum = v;
			if (isinf(lev)) {
				h->inf = true;
				h->inf_val = v;
			}
		} else if (!strcmp(suffix, "_count")) {
			h->count = true;
			h->count_val = v;
		} else if (!strcmp(suffix, "_sum")) {
			h->sum = true;
		}
	}
	return 0;
}

/* 0 when text is a valid exposition, else -1 with the reason in c->err. */
static int om_check(struct ck *c, const char *text)
{
	const char *p = text;
	bool eof = false;

	memset(c, 0, sizeof(*c));
	c->cur = -1;
	while (*p) {
		const char *nl = strchr(p, '\n');
		char line[4096];
		size_t l;

		c->line++;
		if (eof)
			return fail_at(c, "text after # EOF", NULL);
		if (!nl)
			return fail_at(c, "last line without newline", NULL);
		l = nl - p;
		if (l >= sizeof(line))
			return fail_at(c, "line too long", NULL);
		memcpy(line, p, l);
		line[l] = 0;
		p = nl + 1;
		if (!strcmp(line, "# EOF")) {
			eof = true;
			continue;
		}
		if (!strncmp(line, "# ", 2)) {
			char kw[16], name[128], rest[1024] = "";
			struct fam *f;

			if (sscanf(line, "# %15s %127s %1023[^\n]", kw, name, rest) < 2)
				return fail_at(c, "bad comment line", line);
			if (!valid_name(name, false))
				return fail_at(c, "bad family name", name);
			f = fam_find(c, name);
			if (!strcmp(kw, "TYPE")) {
				if (f)
					return fail_at(c, "family declared twice (or interleaved)", name);
				if (strcmp(rest, "counter") && strcmp(rest, "gauge") && strcmp(rest, "histogram") &&
				    strcmp(rest, "summary") && strcmp(rest, "info") && strcmp(rest, "stateset") &&
				    strcmp(rest, "gaugehistogram") && strcmp(rest, "unknown"))
					return fail_at(c, "unknown type", rest);
				if (c->cur >= 0 && check_hist_done(c))
					return -1;
				if (c->nfam == MAXF)
					return fail_at(c, "too many families for the checker", NULL);
				f = &c->fam[c->nfam];
				memset(f, 0, sizeof(*f));
				snprintf(f->name, sizeof(f->name), "%s", name);
				snprintf(f->type, sizeof(f->type), "%s", rest);
				c->cur = c->nfam++;
				if (!strcmp(rest, "counter") && ends_with(name, "_total"))
					return fail_at(c, "counter family named with _total", name);
			} else if (!strcmp(kw, "HELP") || !strcmp(kw, "UNIT")) {
				if (!f || f != &c->fam[c->cur])
					return fail_at(c, "HELP/UNIT not right after the family's TYPE", name);
				if (f->samples)
					return fail_at(c, "metadata after samples", name);
				if (!strcmp(kw, "HELP")) {
					if (f->help)
						return fail_at(c, "HELP twice", name);
					f->help = true;
				} else {
					char suf[40];

					snprintf(suf, sizeof(suf), "_%s", rest);
					if (!*rest || !ends_with(name, suf))
						return fail_at(c, "UNIT is not a suffix of the family name", name);
					snprintf(f->unit, sizeof(f->unit), "%s", rest);
				}
			} else {
				return fail_at(c, "unknown descriptor", kw);
			}
			continue;
		}
		if (line[0] == '#' || !line[0])
			return fail_at(c, "empty or bad comment line", line);
		if (sample_line(c, line))
			return -1;
	}
	if (!eof)
		return fail_at(c, "no # EOF at the end", NULL);
	if (check_hist_done(c))
		return -1;
	for (int i = 0; i < c->nfam; i++)
		if (!c->fam[i].help)
			return fail_at(c, "family without HELP", c->fam[i].name);
	return 0;
}

static void ck_free(struct ck *c)
{
	for (int i = 0; i < c->nseries; i++)
		free(c->series[i]);
	c->nseries = 0;
}

static int check_text(const char *text, char *err, size_t len)
{
	static struct ck c;
	int r = om_check(&c, text);

	snprintf(err, len, "%s", c.err);
	ck_free(&c);
	return r;
}

/* ---- fixtures ---- */

/* om_write() of in: the text, which the strict checker must accept. */
/* Attached exit points for notify and IPI (the kinds then measured); timer, halt, unmask,
 * hypercall and other have no point here and so no series. */
static const struct resolved *exit_points(void)
{
	static struct resolved pts[2];

	for (unsigned i = 0; i < iop_point_count; i++) {
		const struct probe_point *p = &iop_points[i];
		int slot = !strcmp(p->symbols, "virtqueue_notify") ? 0 : !strcmp(p->symbols, "kvm_send_ipi_mask") ? 1 : -1;

		if (slot >= 0) {
			pts[slot].pt = p;
			pts[slot].status = PST_ATTACHED;
		}
	}
	ck_assert(pts[0].pt && pts[1].pt);
	return pts;
}

static char *exposition(const struct om_input *in)
{
	char err[512], *out = CAPTURE(f, om_write(f, in));

	ck_assert_msg(!check_text(out, err, sizeof(err)), "checker: %s\n%s", err, out);
	return out;
}

/* The exposition out holds the text printf() makes of the arguments. */
#define HAS(...) do {                                                     \
		char want_[1024];                                         \
									  \
		snprintf(want_, sizeof(want_), __VA_ARGS__);              \
		ck_assert_msg(strstr(out, want_), "missing: %s", want_); \
	} while (0)

static struct net_report_dev fixture_dev(void)
{
	struct net_report_dev d;

	memset(&d, 0, sizeof(d));
	d.netns = 4026531840u;
	d.ifindex = 7;
	d.dir = DIR_TX;
	strcpy(d.name, "ve\"th\\0");
	d.a.started = 1000;
	d.a.ended = 998;
	d.a.bytes = 256000;
	d.a.stage[NS_QUEUE] = 1000;
	d.a.stage[NS_TX_DONE] = 998;
	d.a.exits[EXK_NOTIFY] = 12;
	d.a.irqs = 3;
	d.a.polls = 4;
	d.a.drops = 2;
	/* queue -> start_xmit: 1 in [0,2) ns, 2 in [4,8), 1 overflow (>= 2^31 ns) */
	d.pair[NS_QUEUE][NS_START_XMIT].slots[0] = 1;
	d.pair[NS_QUEUE][NS_START_XMIT].slots[2] = 2;
	d.pair[NS_QUEUE][NS_START_XMIT].slots[NET_HIST_SLOTS - 1] = 1;
	d.pair[NS_QUEUE][NS_START_XMIT].count = 4;
	d.pair[NS_QUEUE][NS_START_XMIT].sum_ns = 3000000012ull;
	d.a.total_hist[10] = 998;
	d.a.total_sum_ns = 998 * 1500;
	d.nq = 2;
	d.q[0].queue = 0;
	d.q[0].started = 600;
	d.q[1].queue = 1;
	d.q[1].started = 400;
	return d;
}

/* ---- tests ---- */

START_TEST(escape_label_values)
{
	char *buf = CAPTURE(f, om_escape(f, "a\"b\\c\nd"));

	ck_assert_str_eq(buf, "a\\\"b\\\\c\\nd");
	free(buf);
}
END_TEST

START_TEST(seconds_are_exact_decimals)
{
	char b[40];

	ck_assert_str_eq(om_seconds(b, sizeof(b), 0), "0");
	ck_assert_str_eq(om_seconds(b, sizeof(b), 1), "0.000000001");
	ck_assert_str_eq(om_seconds(b, sizeof(b), 1023), "0.000001023");
	ck_assert_str_eq(om_seconds(b, sizeof(b), 2500000000ull), "2.5");
	ck_assert_str_eq(om_seconds(b, sizeof(b), 3000000000ull), "3");
	ck_assert_str_eq(om_seconds(b, sizeof(b), 2147483647ull), "2.147483647");
	ck_assert_uint_eq(om_slot_le_ns(0), 1);
	ck_assert_uint_eq(om_slot_le_ns(9), 1023);
	ck_assert_uint_eq(om_slot_le_ns(30), 2147483647ull);
}
END_TEST

START_TEST(histogram_buckets_cumulative)
{
	/* slot 0: values 0..1 ns; 1: 2..3; 2: 4..7; 3 (last): overflow */
	const unsigned long long slots[4] = { 1, 0, 2, 5 };
	char *buf = CAPTURE(f, om_hist(f, "x_seconds", "a=\"b\"", slots, 4, 1500);
			       om_hist(f, "y_seconds", "", slots, 3, 7));

	ck_assert_str_eq(buf,
		"x_seconds_bucket{a=\"b\",le=\"0.000000001\"} 1\n"
		"x_seconds_bucket{a=\"b\",le=\"0.000000003\"} 1\n"
		"x_seconds_bucket{a=\"b\",le=\"0.000000007\"} 3\n"
		"x_seconds_bucket{a=\"b\",le=\"+Inf\"} 8\n"
		"x_seconds_sum{a=\"b\"} 0.0000015\n"
		"x_seconds_count{a=\"b\"} 8\n"
		"y_seconds_bucket{le=\"0.000000001\"} 1\n"
		"y_seconds_bucket{le=\"0.000000003\"} 1\n"
		"y_seconds_bucket{le=\"+Inf\"} 3\n"
		"y_seconds_sum 0.000000007\n"
		"y_seconds_count 3\n");
	free(buf);
}
END_TEST

START_TEST(net_exposition_exact_lines)
{
	static struct net_report r;
	static struct net_report_dev dev[1];
	char *out;
	const char *L = "device=\"ve\\\"th\\\\0\",netns=\"4026531840\",ifindex=\"7\",dir=\"tx\"";

	memset(&r, 0, sizeof(r));
	dev[0] = fixture_dev();
	r.ndev = 1;
	r.dev = dev;
	r.evicted = 5;
	r.in_flight = 2;
	r.bg_exits[EXK_IPI] = 9;
	out = exposition(&(struct om_input){ .net = &r, .pts = exit_points(), .npts = 2 });
	HAS("# TYPE iopath_packets counter\n# HELP iopath_packets ");
	HAS("\niopath_packets_total{%s} 1000\n", L);
	HAS("\niopath_packets_completed_total{%s} 998\n", L);
	HAS("# TYPE iopath_bytes counter\n# UNIT iopath_bytes bytes\n");
	HAS("\niopath_bytes_total{%s} 256000\n", L);
	HAS("\niopath_queue_packets_total{%s,queue=\"0\"} 600\n", L);
	HAS("\niopath_queue_packets_total{%s,queue=\"1\"} 400\n", L);
	HAS("\niopath_stage_packets_total{%s,stage=\"queue\"} 1000\n", L);
	HAS("\niopath_stage_packets_total{%s,stage=\"tx_done\"} 998\n", L);
	ck_assert(!strstr(out, "stage=\"rx\""));       /* stages never reached: no series */
	HAS("# TYPE iopath_stage_latency_seconds histogram\n# UNIT iopath_stage_latency_seconds seconds\n");
	/* cumulative: 1 at le 1ns, still 1 at 3ns, 3 from 7ns on, 4 only at +Inf */
	HAS("\niopath_stage_latency_seconds_bucket{%s,stage_from=\"queue\",stage_to=\"start_xmit\",le=\"0.000000001\"} 1\n"
	    "iopath_stage_latency_seconds_bucket{%s,stage_from=\"queue\",stage_to=\"start_xmit\",le=\"0.000000003\"} 1\n"
	    "iopath_stage_latency_seconds_bucket{%s,stage_from=\"queue\",stage_to=\"start_xmit\",le=\"0.000000007\"} 3\n",
	    L, L, L);
	HAS("le=\"2.147483647\"} 3\n");
	HAS("stage_to=\"start_xmit\",le=\"+Inf\"} 4\n"
	    "iopath_stage_latency_seconds_sum{%s,stage_from=\"queue\",stage_to=\"start_xmit\"} 3.000000012\n"
	    "iopath_stage_latency_seconds_count{%s,stage_from=\"queue\",stage_to=\"start_xmit\"} 4\n", L, L);
	HAS("\niopath_path_latency_seconds_bucket{%s,le=\"0.000001023\"} 0\n"
	    "iopath_path_latency_seconds_bucket{%s,le=\"0.000002047\"} 998\n", L, L);
	HAS("\niopath_path_latency_seconds_sum{%s} 0.001497\n", L);
	HAS("\niopath_exits_total{%s,kind=\"notify\"} 12\n", L);
	HAS("\niopath_exits_total{%s,kind=\"ipi\"} 0\n", L);
	HAS("\niopath_irqs_total{%s} 3\n", L);
	HAS("\niopath_polls_total{%s} 4\n", L);
	HAS("\niopath_drops_total{%s} 2\n", L);
	HAS("\niopath_evictions_total 5\n");
	HAS("\niopath_packets_in_flight 2\n");
	HAS("\niopath_background_exits_total{kind=\"ipi\"} 9\n");
	ck_assert(!strstr(out, "iopath_blk_"));
	ck_assert(!strstr(out, "iopath_irq_interrupts"));
	/* 31 finite buckets + +Inf per histogram series: 2 series */
	{
		int n = 0;

		for (const char *p = out; (p = strstr(p, "_bucket{")); p++)
			n++;
		ck_assert_int_eq(n, 2 * NET_HIST_SLOTS);
	}
	ck_assert_int_eq(strcmp(out + strlen(out) - 6, "# EOF\n"), 0);
	free(out);
}
END_TEST

START_TEST(blk_size_classes_merge_per_disk_op)
{
	static struct blk_report r;
	static struct blk_report_class cls[3];
	static struct blk_report_disk disk[1];
	char *out;
	const char *L = "disk=\"loop0\",devno=\"7:0\",op=\"write\"";

	memset(&r, 0, sizeof(r));
	memset(cls, 0, sizeof(cls));
	memset(disk, 0, sizeof(disk));
	for (int i = 0; i < 3; i++) {
		cls[i].k.dev = 7 << 20;
		cls[i].k.op = i < 2 ? BOP_WRITE : BOP_READ;
		cls[i].k.size_class = 12 + i;
		strcpy(cls[i].disk, "loop0");
		cls[i].a.requests = 10 * (i + 1);
		cls[i].a.bytes = 4096 * 10 * (i + 1);
		cls[i].a.stage[BS_COMPLETE] = 10 * (i + 1);
		cls[i].a.total_hist[14] = 10 * (i + 1);
		cls[i].a.total_sum_ns = 20000 * (i + 1);
		cls[i].pair[BS_ISSUE][BS_COMPLETE].slots[14] = 10 * (i + 1);
		cls[i].pair[BS_ISSUE][BS_COMPLETE].count = 10 * (i + 1);
		cls[i].pair[BS_ISSUE][BS_COMPLETE].sum_ns = 15000 * (i + 1);
		cls[i].a.exits[EXK_NOTIFY] = i + 1;
	}
	r.ncls = 3;
	r.cls = cls;
	disk[0].dev = 7 << 20;
	strcpy(disk[0].name, "loop0");
	disk[0].irqs = 17;
	r.ndisk = 1;
	r.disk = disk;
	out = exposition(&(struct om_input){ .blk = &r, .pts = exit_points(), .npts = 2 });
	/* write: classes 0 and 1 summed (10 + 20); read: class 2 */
	HAS("\niopath_blk_requests_total{disk=\"loop0\",devno=\"7:0\",op=\"read\"} 30\n"
	    "iopath_blk_requests_total{%s} 30\n", L);
	HAS("\niopath_blk_bytes_total{%s} 122880\n", L);
	HAS("\niopath_blk_stage_requests_total{%s,stage=\"complete\"} 30\n", L);
	HAS("\niopath_blk_stage_latency_seconds_bucket{%s,stage_from=\"issue\",stage_to=\"complete\",le=\"0.000016383\"} 0\n"
	    "iopath_blk_stage_latency_seconds_bucket{%s,stage_from=\"issue\",stage_to=\"complete\",le=\"0.000032767\"} 30\n", L, L);
	HAS("\niopath_blk_stage_latency_seconds_sum{%s,stage_from=\"issue\",stage_to=\"complete\"} 0.000045\n", L);
	HAS("\niopath_blk_request_latency_seconds_count{%s} 30\n", L);
	HAS("\niopath_blk_request_latency_seconds_sum{%s} 0.00006\n", L);
	HAS("\niopath_blk_exits_total{%s,kind=\"notify\"} 3\n", L);
	HAS("\niopath_blk_irqs_total{disk=\"loop0\",devno=\"7:0\"} 17\n");
	/* a kind no attached point counts has no series: not a 0 */
	ck_assert(!strstr(out, ",kind=\"timer\"}") && !strstr(out, "iopath_background_exits_total{kind=\"timer\"}"));
	HAS("\niopath_exit_kind_measured{kind=\"notify\"} 1\n");
	HAS("\niopath_exit_kind_measured{kind=\"timer\"} 0\n");
	HAS("# TYPE iopath_background_exits counter\n");
	ck_assert(!strstr(out, "iopath_packets_total"));
	free(out);
}
END_TEST

START_TEST(irq_lines_and_probe_status)
{
	static struct exits_report x;
	static struct ex_irq_row rows[2];
	static struct resolved pts[3];
	char *out;

	memset(&x, 0, sizeof(x));
	memset(rows, 0, sizeof(rows));
	memset(pts, 0, sizeof(pts));
	rows[0].irq = 30;
	rows[0].v.count = 500;
	rows[0].v.sum_ns = 1500000;
	strcpy(rows[0].v.name, "virtio0-input.0");
	strcpy(rows[0].device, "eth0");
	rows[1].irq = 11;
	rows[1].v.count = 7;
	rows[1].v.sum_ns = 7000;
	strcpy(rows[1].v.name, "timer");
	x.nirq = 2;
	x.irqs = rows;
	x.soft[3].count = 42;   /* NET_RX */
	x.ctr[EXC_MSR_WRITES] = 6;
	pts[0].status = PST_ATTACHED;
	pts[1].status = PST_ATTACHED;
	pts[2].status = PST_ABSENT;
	out = exposition(&(struct om_input){ .exits = &x, .pts = pts, .npts = 3 });
	/* by IRQ number */
	HAS("\niopath_irq_interrupts_total{irq=\"11\",action=\"timer\",device=\"\"} 7\n"
	    "iopath_irq_interrupts_total{irq=\"30\",action=\"virtio0-input.0\",device=\"eth0\"} 500\n");
	HAS("# UNIT iopath_irq_handler_seconds seconds\n");
	HAS("\niopath_irq_handler_seconds_total{irq=\"30\",action=\"virtio0-input.0\",device=\"eth0\"} 0.0015\n");
	HAS("\niopath_softirqs_total{vector=\"%s\"} 42\n", softirq_names[3]);
	HAS("\niopath_msr_writes_total 6\n");
	HAS("\niopath_probe_points{status=\"attached\"} 2\n");
	HAS("\niopath_probe_points{status=\"absent\"} 1\n");
	HAS("\niopath_probe_points{status=\"failed\"} 0\n");
	ck_assert(!strstr(out, "iopath_background_exits"));
	free(out);
}
END_TEST

/* The traced tasks' events (record --exits -- CMD): a series for each kind counted, none for a
 * kind whose tracepoint did not attach, and the gauge naming every kind, 0 where not measured;
 * without traced tasks (iopath serve traces none) no series at all, whatever the counters hold. */
START_TEST(task_events_only_where_measured)
{
	static struct exits_report x;
	static struct resolved pts[4];
	static const char *const att[] = { "raw_syscalls:sys_enter", "exceptions:page_fault_user", "sched:sched_switch",
					   "exceptions:page_fault_kernel" };
	char *out;

	memset(&x, 0, sizeof(x));
	memset(pts, 0, sizeof(pts));
	for (int k = 0; k < 4; k++) {
		for (unsigned i = 0; i < iop_point_count; i++)
			if (iop_points[i].symbols && !strcmp(iop_points[i].symbols, att[k]))
				pts[k].pt = &iop_points[i];
		ck_assert_msg(pts[k].pt, "no point %s", att[k]);
		pts[k].status = k < 3 ? PST_ATTACHED : PST_ABSENT;
	}
	x.task_scope = EXT_COMMAND;
	x.task_pid = 4242;
	x.task_ctr[TC_SYSCALLS] = 20071;
	x.task_ctr[TC_PF_USER] = 2040;
	x.task_ctr[TC_PF_KERNEL] = 9;     /* its point absent: not shown */
	x.task_ctr[TC_CTXSW] = 0;         /* counted, none: a 0 series */
	out = exposition(&(struct om_input){ .exits = &x, .pts = pts, .npts = 4 });
	HAS("# TYPE iopath_task_events counter\n");
	HAS("\niopath_task_events_total{event=\"syscalls\"} 20071\n"
	    "iopath_task_events_total{event=\"page_faults_user\"} 2040\n"
	    "iopath_task_events_total{event=\"context_switches\"} 0\n# TYPE iopath_task_event_measured gauge\n");
	ck_assert_msg(!strstr(out, "iopath_task_events_total{event=\"page_faults_kernel\"}") &&
		      !strstr(out, "iopath_task_events_total{event=\"pv_multicalls\"}"), "%s", out);
	HAS("\niopath_task_event_measured{event=\"syscalls\"} 1\n");
	HAS("\niopath_task_event_measured{event=\"page_faults_kernel\"} 0\n");
	HAS("\niopath_task_event_measured{event=\"remote_tlb_flushes\"} 0\n");
	HAS("\niopath_task_event_measured{event=\"pv_pagetable_updates\"} 0\n");
	free(out);
	x.task_scope = EXT_NOT_ASKED;
	out = exposition(&(struct om_input){ .exits = &x, .pts = pts, .npts = 4 });
	ck_assert_msg(!strstr(out, "iopath_task_events_total"), "%s", out);
	HAS("\niopath_task_event_measured{event=\"syscalls\"} 0\n");
	free(out);
}
END_TEST

START_TEST(everything_at_once_is_valid)
{
	static struct net_report r;
	static struct net_report_dev dev[2];
	static struct blk_report br;
	static struct exits_report x;
	char *out;

	memset(&r, 0, sizeof(r));
	memset(&br, 0, sizeof(br));
	memset(&x, 0, sizeof(x));
	dev[0] = fixture_dev();
	dev[1] = fixture_dev();
	dev[1].dir = DIR_RX;   /* same device, other direction: distinct series */
	r.ndev = 2;
	r.dev = dev;
	out = exposition(&(struct om_input){ .net = &r, .blk = &br, .exits = &x });
	free(out);
}
END_TEST

/* The checker itself rejects what it must. */
START_TEST(checker_rejects_bad_text)
{
	static const struct { const char *text, *why; } bad[] = {
		{ "# TYPE a counter\n# HELP a x\na_total 1\n", "no # EOF" },
		{ "a_total 1\n# EOF\n", "sample before any TYPE" },
		{ "# TYPE a counter\n# HELP a x\na 1\n# EOF\n", "counter sample name" },
		{ "# TYPE a_total counter\n# HELP a_total x\na_total_total 1\n# EOF\n", "_total" },
		{ "# TYPE a counter\n# HELP a x\na_total{x=\"1\"} 1\na_total{x=\"1\"} 2\n# EOF\n", "duplicate series" },
		{ "# TYPE a counter\n# HELP a x\na_total{x=\"1\",x=\"2\"} 1\n# EOF\n", "duplicate label" },
		{ "# TYPE a counter\n# HELP a x\na_total{x=\"\\t\"} 1\n# EOF\n", "bad escape" },
		{ "# TYPE a counter\n# HELP a x\na_total{x=1} 1\n# EOF\n", "not quoted" },
		{ "# TYPE a counter\na_total 1\n# EOF\n", "without HELP" },
		{ "# TYPE a counter\n# HELP a x\na_total 1\n# EOF\nb 1\n", "after # EOF" },
		{ "# TYPE a counter\n# HELP a x\na_total -1\n# EOF\n", "negative" },
		{ "# TYPE a gauge\n# HELP a x\n# TYPE b gauge\n# HELP b x\nb 1\n# TYPE a gauge\n# EOF\n", "twice" },
		{ "# TYPE a_seconds gauge\n# UNIT a_seconds bytes\n# HELP a_seconds x\n# EOF\n", "UNIT" },
		{ "# TYPE h histogram\n# HELP h x\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"2\"} 1\n"
		  "h_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 2\n# EOF\n", "not cumulative" },
		{ "# TYPE h histogram\n# HELP h x\nh_bucket{le=\"2\"} 1\nh_bucket{le=\"1\"} 1\n"
		  "h_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 2\n# EOF\n", "le not increasing" },
		{ "# TYPE h histogram\n# HELP h x\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n# EOF\n", "+Inf" },
		{ "# TYPE h histogram\n# HELP h x\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 3\n# EOF\n", "_count differs" },
		{ "# TYPE h histogram\n# HELP h x\nh_bucket{le=\"+Inf\"} 2\nh_count 2\n# EOF\n", "_sum" },
		{ "# TYPE g gauge\n# HELP g x\ng{le=\"1\"} 2\n# EOF\n", "le label outside" },
		{ "# TYPE g gauge\n# HELP g x\ng x\n# EOF\n", "bad value" },
	};
	char err[512];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(check_text(bad[i].text, err, sizeof(err)), "accepted: %s", bad[i].text);
		ck_assert_msg(strstr(err, bad[i].why), "'%s' rejected for '%s', want '%s'", bad[i].text, err,
			      bad[i].why);
	}
	ck_assert_msg(!check_text("# TYPE h_seconds histogram\n# UNIT h_seconds seconds\n# HELP h_seconds x\n"
				  "h_seconds_bucket{a=\"\\\"\\n\\\\\",le=\"1e-09\"} 1\nh_seconds_bucket{a=\"\\\"\\n\\\\\",le=\"+Inf\"} 2\n"
				  "h_seconds_sum{a=\"\\\"\\n\\\\\"} 1.5\nh_seconds_count{a=\"\\\"\\n\\\\\"} 2\n# EOF\n",
				  err, sizeof(err)), "valid text rejected: %s", err);
}
END_TEST

static int check_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text, err[512];
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "cannot read %s\n", path);
		return 2;
	}
	text = calloc(1, n + 1);
	if (!text || fread(text, 1, n, f) != (size_t)n) {
		fprintf(stderr, "cannot read %s\n", path);
		return 2;
	}
	fclose(f);
	if (check_text(text, err, sizeof(err))) {
		printf("invalid OpenMetrics: %s\n", err);
		return 1;
	}
	{
		static struct ck c;

		om_check(&c, text);
		printf("valid OpenMetrics: %d families, %d series\n", c.nfam, c.nseries);
		ck_free(&c);
	}
	free(text);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1)
		return check_file(argv[1]);
	return RUN_TESTS("openmetrics", "exposition", escape_label_values, seconds_are_exact_decimals,
			 histogram_buckets_cumulative, net_exposition_exact_lines,
			 blk_size_classes_merge_per_disk_op, irq_lines_and_probe_status, task_events_only_where_measured,
			 everything_at_once_is_valid, checker_rejects_bad_text);
}
