/* A recording's data: collected from a running engine, saved (META, POINTS, then each section
 * through its row of record/sections.c) and loaded back, every field checked. The text report's
 * opening and the JSON are in recprint.c. */
#include "record/recdata.h"

#include <errno.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

#include "engine/attach.h"
#include "out/json.h"
#include "kernel/profiles.h"
#include "record/outfile.h"
#include "platform/netns.h"
#include "record/sections.h"
#include "report/common.h"
#include "util/util.h"

int rec_data_collect(struct engine *e, struct rec_data *d)
{
	int err;

	for (unsigned i = 0; i < rec_nsections; i++)
		if (rec_has(d, &rec_sections[i]) &&
		    (err = rec_sections[i].collect(e, d)))
			return err;
	return 0;
}

void rec_data_name_netns(struct rec_data *d)
{
	struct netns_set s;
	char b[64];

	if (!d->has_net || !d->net || netns_scan("", &s, NETNS_NAMES))
		return;
	for (int i = 0; i < d->net->ndev; i++) {
		const struct netns_ent *e = netns_find(&s, d->net->dev[i].netns);

		if (e && (e->name[0] || e->init))
			netns_names_add(d->netns_names, sizeof(d->netns_names), e->inode,
					netns_label(&s, e->inode, b, sizeof(b)));
	}
	netns_free(&s);
}

/* --- the META section: every field once, so save and load cannot drift --- */

/* key in the file, how it is written, member of struct rec_data. A new field is one row. */
#define REC_META_FIELDS(X)                              \
	X("iopath_version", MT_STR, version)            \
	X("kernel", MT_STR, kernel)                     \
	X("platform", MT_STR, platform)                 \
	X("options", MT_STR, options)                   \
	X("start", MT_LL, start_unix)                   \
	X("end", MT_LL, end_unix)                       \
	X("net", MT_BOOL, has_net)                      \
	X("blk", MT_BOOL, has_blk)                      \
	X("exits", MT_BOOL, has_exits)                  \
	X("deep", MT_BOOL, has_deep)                    \
	X("load_ms", MT_DOUBLE, load_ms)                \
	X("attach_ms", MT_DOUBLE, attach_ms)            \
	X("irqs_mapped", MT_UINT, irqs_mapped)          \
	X("disk_irqs_mapped", MT_UINT, disk_irqs_mapped) \
	X("deep_found", MT_UINT, deep_found)            \
	X("ndeep", MT_UINT, ndeep)                      \
	X("command_exit", MT_INT, cmd_status)           \
	X("nstacks", MT_ULL, nstacks)                   \
	X("stacks_dropped", MT_ULL, stacks_dropped)     \
	X("recursion_misses", MT_ULL, recursion_misses) \
	X("host", MT_BOOL, has_host)                    \
	X("checkpoint", MT_BOOL, checkpoint)            \
	X("netns_names", MT_STR, netns_names)
/* Fields only some recordings have: written when set (not 0 or ""), and a file without them is
 * not noted as lacking them (an older build's file, or a recording that is no phase, has none:
 * that is what it means). A phase of a run (record's phase marks): its name and when it began and
 * ended (unix time, s); start and end stay the whole run's. environment: record --environment
 * (e.g. "Xen 4.17 under QEMU TCG": what the platform cannot see of itself). */
#define REC_META_OPTIONAL(X)                            \
	X("environment", MT_STR, environment)           \
	X("phase", MT_STR, phase)                       \
	X("phase_start", MT_DOUBLE, phase_start)        \
	X("phase_end", MT_DOUBLE, phase_end)          \
	X("budget_pct", MT_DOUBLE, budget_pct)        \
	X("budget_on_s", MT_DOUBLE, budget_on_s)      \
	X("budget_run_s", MT_DOUBLE, budget_run_s)    \
	X("budget_windows", MT_UINT, budget_windows)  \
	X("budget_ns_per_hit", MT_DOUBLE, budget_ns_per_hit) \
	X("budget_cost_pct", MT_DOUBLE, budget_cost_pct) \
	X("budget_lost_points", MT_UINT, budget_lost_points) \
	X("self_ns_per_hit", MT_DOUBLE, self_ns_per_hit) \
	X("self_cost_why", MT_STR, self_cost_why)      \
	X("btf_unmeasured", MT_STR, btf_unmeasured)

enum meta_type { MT_STR, MT_LL, MT_INT, MT_UINT, MT_ULL, MT_BOOL, MT_DOUBLE };

static const struct meta_field {
	const char *key;
	enum meta_type type;
	size_t off, size;
	bool optional;
} meta_fields[] = {
#define X(key, type, member) { key, type, offsetof(struct rec_data, member), sizeof(((struct rec_data *)0)->member), false },
	REC_META_FIELDS(X)
#undef X
#define X(key, type, member) { key, type, offsetof(struct rec_data, member), sizeof(((struct rec_data *)0)->member), true },
	REC_META_OPTIONAL(X)
#undef X
};

/* An optional field at its default: not written. */
static bool meta_unset(const struct meta_field *f, const void *v)
{
	static const char zero[sizeof(((struct rec_data *)0)->options)];

	return f->type == MT_STR ? !*(const char *)v : !memcmp(v, zero, f->size);
}

static void clean(char *dst, size_t n, const char *src);

static void meta_write(FILE *m, const struct rec_data *d)
{
	for (size_t i = 0; i < NELEM(meta_fields); i++) {
		const struct meta_field *f = &meta_fields[i];
		const void *v = (const char *)d + f->off;
		char s[sizeof(d->options)];

		if (f->optional && meta_unset(f, v))
			continue;
		fprintf(m, "%s=", f->key);
		switch (f->type) {
		case MT_STR: clean(s, sizeof(s), v); fputs(s, m); break;
		case MT_LL: fprintf(m, "%lld", *(const long long *)v); break;
		case MT_INT: fprintf(m, "%d", *(const int *)v); break;
		case MT_UINT: fprintf(m, "%u", *(const unsigned *)v); break;
		case MT_ULL: fprintf(m, "%llu", *(const unsigned long long *)v); break;
		case MT_BOOL: fprintf(m, "%d", *(const bool *)v); break;
		case MT_DOUBLE: fprintf(m, "%.17g", *(const double *)v); break;
		}
		fputc('\n', m);
	}
}

/* Keys of META this build does not know (a newer build wrote them): noted, skipped. */
static int meta_unknown(struct rec_data *d, const struct recording *r)
{
	const struct rec_section_view *s = rec_find(r, RS_META);
	const char *p = s ? (const char *)s->data : NULL, *end = p ? p + s->len : NULL;

	while (p && p < end) {
		const char *nl = memchr(p, '\n', end - p), *eq;
		size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p), i = 0;
		char key[64];

		eq = memchr(p, '=', ll);
		if (eq && (size_t)(eq - p) < sizeof(key)) {
			memcpy(key, p, eq - p);
			key[eq - p] = 0;
			while (i < NELEM(meta_fields) && strcmp(meta_fields[i].key, key))
				i++;
			if (i == NELEM(meta_fields) && rec_fieldnote(&d->fields, false, "meta", key))
				return -ENOMEM;
		}
		p += ll + 1;
	}
	return 0;
}

/* Fields a file does not have keep their defaults (older files lack newer keys) and are noted. */
static int meta_read(struct rec_data *d, const struct recording *r)
{
	for (size_t i = 0; i < NELEM(meta_fields); i++) {
		const struct meta_field *f = &meta_fields[i];
		void *v = (char *)d + f->off;
		char b[sizeof(d->options)], *end;

		if (rec_meta(r, f->key, f->type == MT_STR ? v : b, f->type == MT_STR ? f->size : sizeof(b))) {
			/* a flag an older build did not write is a feature it did not have: false, as read */
			if (f->type != MT_BOOL && !f->optional && rec_fieldnote(&d->fields, true, "meta", f->key))
				return -ENOMEM;
			continue;
		}
		if (f->type == MT_STR)
			continue;
		if (f->type == MT_DOUBLE) {
			*(double *)v = strtod(b, &end);
			continue;
		}
		errno = 0;
		long long x = f->type == MT_ULL ? (long long)strtoull(b, &end, 10) : strtoll(b, &end, 10);

		if (*end || errno)
			continue;   /* not a number: the default stands */
		switch (f->type) {
		case MT_LL: *(long long *)v = x; break;
		case MT_INT: *(int *)v = (int)x; break;
		case MT_UINT: *(unsigned *)v = (unsigned)x; break;
		case MT_ULL: *(unsigned long long *)v = (unsigned long long)x; break;
		case MT_BOOL: *(bool *)v = x != 0; break;
		default: break;
		}
	}
	return meta_unknown(d, r);
}

/* --- save --- */

static void clean(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
	for (char *p = dst; *p; p++)
		if (*p == '\t' || *p == '\n' || *p == '\r')
			*p = ' ';
}

/* --- the POINTS section: a header line of column names, then one line per point --- */

/* Every column once: its name in the header, in the order version 3 wrote them (which had no
 * header: a v3 file has exactly the first PC_V3 columns). A new column is one row at the end and
 * its case in point_get and point_set; a reader skips columns it does not know. */
#define REC_POINT_COLUMNS(X)                                                                    \
	X(PC_ID, "id") X(PC_PROFILE, "profile") X(PC_SYMBOLS, "symbols") X(PC_KIND, "kind")      \
	X(PC_ROLE, "role") X(PC_PATH, "path") X(PC_IDENT, "ident") X(PC_ID_ARG, "id_arg")        \
	X(PC_FLAGS, "flags") X(PC_QX, "qx") X(PC_Q_ARG, "q_arg") X(PC_MODULE, "module")          \
	X(PC_SYMBOL, "symbol") X(PC_TP_SYSTEM, "tp_system") X(PC_METHOD, "method")               \
	X(PC_STATUS, "status") X(PC_ERR, "err") X(PC_HITS, "hits") X(PC_ATTACH_MS, "attach_ms")  \
	X(PC_REASON, "reason") X(PC_NOTE, "note")

enum point_column {
#define X(e, name) e,
	REC_POINT_COLUMNS(X)
#undef X
	PC__COUNT,
	PC_V3 = PC_NOTE + 1,
};

static const char *const point_columns[PC__COUNT] = {
#define X(e, name) [e] = name,
	REC_POINT_COLUMNS(X)
#undef X
};

/* Column c of point r as text (tabs and newlines made spaces, so they cannot break the line). */
static void point_get(const struct resolved *r, int c, char *out, size_t n)
{
	const struct probe_point *p = r->pt;

	switch (c) {
	case PC_ID: snprintf(out, n, "%u", r->id); break;
	case PC_PROFILE: clean(out, n, p->profile); break;
	case PC_SYMBOLS: clean(out, n, p->symbols); break;
	case PC_KIND: snprintf(out, n, "%u", p->kind); break;
	case PC_ROLE: snprintf(out, n, "%u", p->role); break;
	case PC_PATH: snprintf(out, n, "%u", p->path); break;
	case PC_IDENT: snprintf(out, n, "%u", p->ident); break;
	case PC_ID_ARG: snprintf(out, n, "%d", p->id_arg); break;
	case PC_FLAGS: snprintf(out, n, "%u", p->flags); break;
	case PC_QX: snprintf(out, n, "%u", p->qx); break;
	case PC_Q_ARG: snprintf(out, n, "%d", p->q_arg); break;
	case PC_MODULE: clean(out, n, r->module); break;
	case PC_SYMBOL: clean(out, n, r->symbol); break;
	case PC_TP_SYSTEM: clean(out, n, r->tp_system[0] ? r->tp_system : "-"); break;
	case PC_METHOD: snprintf(out, n, "%u", r->method); break;
	case PC_STATUS: snprintf(out, n, "%u", r->status); break;
	case PC_ERR: snprintf(out, n, "%d", r->err); break;
	case PC_HITS: snprintf(out, n, "%llu", r->hits); break;
	case PC_ATTACH_MS: snprintf(out, n, "%.17g", r->attach_ms); break;
	case PC_REASON: clean(out, n, r->reason); break;
	case PC_NOTE: clean(out, n, p->note); break;
	}
}

/* Column c read into pt/rs; the strings are copied (-ENOMEM), the enums range-checked by the caller. */
static int point_set(struct probe_point *pt, struct resolved *rs, int c, const char *v)
{
	switch (c) {
	case PC_ID: rs->id = strtoul(v, NULL, 10); break;
	case PC_PROFILE: return (pt->profile = strdup(v)) ? 0 : -ENOMEM;
	case PC_SYMBOLS: return (pt->symbols = strdup(v)) ? 0 : -ENOMEM;
	case PC_KIND: pt->kind = atoi(v); break;
	case PC_ROLE: pt->role = atoi(v); break;
	case PC_PATH: pt->path = atoi(v); break;
	case PC_IDENT: pt->ident = atoi(v); break;
	case PC_ID_ARG: pt->id_arg = atoi(v); break;
	case PC_FLAGS: pt->flags = strtoul(v, NULL, 10); break;
	case PC_QX: pt->qx = atoi(v); break;
	case PC_Q_ARG: pt->q_arg = atoi(v); break;
	case PC_MODULE: snprintf(rs->module, sizeof(rs->module), "%s", v); break;
	case PC_SYMBOL: snprintf(rs->symbol, sizeof(rs->symbol), "%s", v); break;
	case PC_TP_SYSTEM: snprintf(rs->tp_system, sizeof(rs->tp_system), "%s", strcmp(v, "-") ? v : ""); break;
	case PC_METHOD: rs->method = atoi(v); break;
	case PC_STATUS: rs->status = atoi(v); break;
	case PC_ERR: rs->err = atoi(v); break;
	case PC_HITS: rs->hits = strtoull(v, NULL, 10); break;
	case PC_ATTACH_MS: rs->attach_ms = atof(v); break;
	case PC_REASON:
		snprintf(rs->reason, sizeof(rs->reason), "%s", v);
		/* a point attached through the one kprobe.multi link says so first (kernel/resolve.c) */
		rs->multi = !strncmp(v, "kprobe.multi", 12);
		break;
	case PC_NOTE: return !*v || (pt->note = strdup(v)) ? 0 : -ENOMEM;   /* none: NULL, as the table has it */
	}
	return 0;
}

static void points_write(FILE *m, const struct rec_data *d)
{
	char v[512];

	for (int c = 0; c < PC__COUNT; c++)
		fprintf(m, "%s%s", c ? "\t" : "#", point_columns[c]);
	fputc('\n', m);
	for (unsigned i = 0; i < d->n; i++)
		for (int c = 0; c < PC__COUNT; c++) {
			point_get(&d->pts[i], c, v, sizeof(v));
			fprintf(m, "%s%s", v, c == PC__COUNT - 1 ? "\n" : "\t");
		}
}

int rec_data_save_to(const struct rec_data *d, struct outfile *out)
{
	struct rec_writer w;
	char *buf = NULL;
	size_t len = 0;
	FILE *m;
	int err;

	recw_init(&w);
	m = open_memstream(&buf, &len);
	if (!m)
		return -ENOMEM;
	meta_write(m, d);
	fclose(m);
	recw_section(&w, RS_META, buf, len);
	free(buf);
	buf = NULL;
	m = open_memstream(&buf, &len);
	if (!m)
		return -ENOMEM;
	points_write(m, d);
	fclose(m);
	recw_section(&w, RS_POINTS, buf, len);
	free(buf);
	for (unsigned i = 0; i < rec_nsections; i++)
		if (rec_has(d, &rec_sections[i]))
			rec_sections[i].save(&w, d);
	if (d->stacks)
		recw_section(&w, RS_STACKS, d->stacks, d->stacks_len);
	err = recw_commit_to(&w, out);
	recw_free(&w);
	return err;
}

int rec_data_save(const struct rec_data *d, const char *path)
{
	struct outfile out;
	char why[256];
	int err = outfile_open(&out, path, why, sizeof(why));

	if (!err)
		err = rec_data_save_to(d, &out);
	outfile_close(&out);
	return err;
}

/* --- load --- */

/* Splits line at tabs in place, empty fields kept: the count (at most max). */
static int split_tabs(char *line, char **f, int max)
{
	int n = 0;

	for (char *p = line; n < max; ) {
		f[n++] = p;
		p = strchr(p, '\t');
		if (!p)
			break;
		*p++ = 0;
	}
	return n;
}

/* The header of a v4 POINTS section: for each column of the file, ours (or -1: skipped). */
static int points_header(struct rec_data *d, const struct rec_section_view *s, const char *line,
			 int *col, int *ncol, char *err, size_t len)
{
	char *h = strdup(line + 1), *f[256];
	bool seen[PC__COUNT] = {};
	int n;

	if (!h)
		return -ENOMEM;
	n = split_tabs(h, f, 256);
	for (int i = 0; i < n; i++) {
		col[i] = -1;
		for (int c = 0; c < PC__COUNT; c++)
			if (!strcmp(f[i], point_columns[c]) && !seen[c]) {
				col[i] = c;
				seen[c] = true;
			}
		if (col[i] < 0 && rec_fieldnote(&d->fields, false, "points", f[i])) {
			free(h);
			return -ENOMEM;
		}
	}
	free(h);
	/* a point names its profile and symbols, always: a file without them is no recording */
	if (!seen[PC_PROFILE] || !seen[PC_SYMBOLS])
		return rec_bad(err, len, s, "probe point header without profile and symbols columns");
	for (int c = 0; c < PC__COUNT; c++)
		if (!seen[c] && rec_fieldnote(&d->fields, true, "points", point_columns[c]))
			return -ENOMEM;
	*ncol = n;
	return 0;
}

static int grow_points(struct rec_data *d, unsigned *cap)
{
	unsigned nc = *cap ? *cap * 2 : 64;
	struct probe_point *pp;
	struct resolved *rr;

	if (d->n < *cap)
		return 0;
	pp = realloc(d->own_pts, nc * sizeof(*pp));
	if (!pp)
		return -ENOMEM;
	d->own_pts = pp;
	rr = realloc(d->pts, nc * sizeof(*rr));
	if (!rr)
		return -ENOMEM;
	d->pts = rr;
	*cap = nc;
	return 0;
}

/* One point line (fields f[0..nf) in the file's columns col) as point d->n. */
static int point_line(struct rec_data *d, const struct rec_section_view *s, char **f, int nf,
		      const int *col, char *err, size_t len)
{
	struct probe_point *pt = &d->own_pts[d->n];
	struct resolved *rs = &d->pts[d->n];
	int ret = 0;

	memset(pt, 0, sizeof(*pt));
	memset(rs, 0, sizeof(*rs));
	d->n++;   /* counted at once: rec_data_free frees its strings whatever happens below */
	for (int i = 0; i < nf && !ret; i++)
		if (col[i] >= 0)
			ret = point_set(pt, rs, col[i], f[i]);
	if (ret)
		return ret;
	if (!pt->profile || !pt->symbols)
		return rec_bad(err, len, s, "probe point line with too few fields");
	if (pt->kind > KIND_TP || pt->role >= ROLE__COUNT || pt->path >= PATH__COUNT ||
	    rs->method >= METHOD__COUNT || rs->status >= PST__COUNT)
		return rec_bad(err, len, s, "probe point with an out-of-range kind/role/method/status");
	return 0;
}

static int load_points(struct rec_data *d, const struct recording *r, char *err, size_t len)
{
	const struct rec_section_view *s = rec_find(r, RS_POINTS);
	int col[256], ncol = PC_V3, ret = 0;
	const char *p, *end;
	unsigned cap = 0;

	if (!s)
		return rec_bad(err, len, NULL, "no probe point section");
	for (int c = 0; c < PC_V3; c++)
		col[c] = c;   /* version 3: the columns in their order, no header */
	p = (const char *)s->data;
	end = p + s->len;
	while (p < end && !ret) {
		const char *nl = memchr(p, '\n', end - p);
		size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *line = strndup(p, ll), *f[256];
		int nf;

		if (!line)
			return -ENOMEM;
		if (r->version >= 4 && p == (const char *)s->data) {
			ret = line[0] == '#' ? points_header(d, s, line, col, &ncol, err, len)
					     : rec_bad(err, len, s, "probe point section without its header line");
		} else {
			nf = split_tabs(line, f, ncol);
			/* v3 wrote 21 columns, the last two (reason, note) possibly empty */
			if (r->version < 4 && nf < PC_REASON)
				ret = rec_bad(err, len, s, "probe point line with too few fields");
			else if (!(ret = grow_points(d, &cap)))
				ret = point_line(d, s, f, nf, col, err, len);
		}
		free(line);
		if (!nl)
			break;
		p = nl + 1;
	}
	/* pt pointers move with realloc: set them last */
	for (unsigned i = 0; i < d->n; i++)
		d->pts[i].pt = &d->own_pts[i];
	return ret;
}

int rec_data_from(struct rec_data *d, const struct recording *r, char *err, size_t errlen)
{
	int ret;

	memset(d, 0, sizeof(*d));
	d->loaded = true;
	d->cmd_status = -1;
	ret = meta_read(d, r);
	if (!ret)
		ret = load_points(d, r, err, errlen);
	if (ret)
		return ret;
	if (d->ndeep > d->n)
		return rec_bad(err, errlen, rec_find(r, RS_META), "more deep points than points");
	for (unsigned i = 0; i < rec_nsections; i++)
		if (rec_has(d, &rec_sections[i]) &&
		    (ret = rec_sections[i].load(d, r, err, errlen)))
			return ret;
	{
		const struct rec_section_view *s = rec_find(r, RS_STACKS);

		if (s) {
			d->stacks = malloc(s->len + 1);
			if (!d->stacks)
				return -ENOMEM;
			memcpy(d->stacks, s->data, s->len);
			d->stacks[s->len] = 0;
			d->stacks_len = s->len;
		}
	}
	return 0;
}

int rec_data_load(struct rec_data *d, const char *path, char *err, size_t errlen)
{
	return rec_data_load_key(d, path, NULL, NULL, 0, err, errlen);
}

int rec_data_load_key(struct rec_data *d, const char *path, const char *key, char *val, size_t vlen,
		      char *err, size_t errlen)
{
	struct recording r;
	int ret = rec_load(path, &r, err, errlen);

	memset(d, 0, sizeof(*d));
	if (ret)
		return ret;
	if (key && rec_meta(&r, key, val, vlen))
		val[0] = 0;
	ret = rec_data_from(d, &r, err, errlen);
	rec_free(&r);
	if (ret)
		rec_data_free(d);
	else if (d->fields.nunknown)
		iop_warn("%s: %u field(s) this iopath does not know were skipped (a newer iopath made it): %s%s",
			 path, d->fields.nunknown, d->fields.unknown[0], d->fields.nunknown > 1 ? ", ..." : "");
	return ret;
}

void rec_data_free(struct rec_data *d)
{
	if (!d->loaded)
		return;
	for (unsigned i = 0; i < d->n; i++) {
		free((char *)d->own_pts[i].profile);
		free((char *)d->own_pts[i].symbols);
		free((char *)d->own_pts[i].note);
	}
	free(d->own_pts);
	free(d->pts);
	for (unsigned i = 0; i < rec_nsections; i++)
		rec_sections[i].free(d);
	free(d->stacks);
	rec_fieldnotes_free(&d->fields);
	memset(d, 0, sizeof(*d));
}
