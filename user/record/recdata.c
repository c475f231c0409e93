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

static void probe_summary(FILE *f, const struct rec_data *d)
{
	unsigned by[PST__COUNT] = {};
	const char *why = NULL;

	for (unsigned i = 0; i < d->n; i++) {
		by[d->pts[i].status]++;
		if (d->pts[i].status == PST_UNAVAILABLE && !why)
			why = d->pts[i].reason;
	}
	fprintf(f, "probes: %u attached (load %.0f ms, attach %.0f ms), %u inlined, %u absent, "
		"%u not applicable here, %u unavailable%s%s%s, %u failed\n",
		by[PST_ATTACHED], d->load_ms, d->attach_ms, by[PST_INLINED], by[PST_ABSENT],
		by[PST_NOT_APPLICABLE], by[PST_UNAVAILABLE], why ? " (" : "", why ? why : "",
		why ? ")" : "", by[PST_FAILED]);
	for (unsigned i = 0; i < d->n; i++)
		if (d->pts[i].status == PST_FAILED)
			fprintf(f, "  failed: %s %s: %s\n", d->pts[i].pt->profile, d->pts[i].symbol,
				d->pts[i].reason);
	if (d->recursion_misses)
		fprintf(f, "NOT RECORDED: %llu handler runs skipped by the kernel's recursion guard "
			"(an iopath program was already running on that CPU)\n", d->recursion_misses);
}

static unsigned deep_attached(const struct rec_data *d)
{
	unsigned att = 0;

	for (unsigned i = d->n - d->ndeep; i < d->n; i++)
		att += d->pts[i].status == PST_ATTACHED;
	return att;
}

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

void rec_data_print(FILE *f, const struct rec_data *d)
{
	fprintf(f, "iopath record%s%s%s on %s\n", d->has_net ? " --net" : "", d->has_blk ? " --blk" : "",
		d->has_host ? " --host" : "", d->kernel);
	if (d->checkpoint)
		fprintf(f, "PARTIAL: a checkpoint of the first %.1f s, written while the run went on "
			"(record --checkpoint); the run did not end here\n",
			d->exits ? d->exits->seconds : (double)(d->end_unix - d->start_unix));
	probe_summary(f, d);
	if (d->has_net)
		fprintf(f, "NIC interrupt lines mapped to queues: %u\n", d->irqs_mapped);
	if (d->has_blk)
		fprintf(f, "disk interrupt lines mapped to queues: %u\n", d->disk_irqs_mapped);
	if (d->has_deep) {
		unsigned att = deep_attached(d);

		fprintf(f, "deep: %u functions take a struct sk_buff * (BTF), %u probed, %u attached%s\n",
			d->deep_found, d->ndeep, att,
			att < d->ndeep ? " (see iopath probes for why the rest did not)" : "");
	}
	for (unsigned i = 0; i < rec_nsections; i++)
		if (rec_has(d, &rec_sections[i]))
			rec_sections[i].print(f, d);
	if (d->stacks)
		fprintf(f, "kernel stacks: %llu distinct (point, stack) pairs kept; draw them with iopath flame --stacks\n",
			d->nstacks);
	if (d->stacks_dropped)
		fprintf(f, "NOT RECORDED: %llu probe hits without a kernel stack: %s\n", d->stacks_dropped,
			STACKS_DROPPED_WHY);
}

void rec_data_json(FILE *f, const struct rec_data *d)
{
	struct jw w;
	unsigned by[PST__COUNT] = {};

	jw_init(&w, f, true);
	jw_obj_begin(&w, NULL);
	jw_str(&w, "iopath_version", d->version);
	jw_str(&w, "kernel", d->kernel);
	if (d->checkpoint)   /* only then: a complete recording's JSON is as it always was */
		jw_bool(&w, "checkpoint", true);
	jw_obj_begin(&w, "probes");
	for (unsigned i = 0; i < d->n; i++)
		by[d->pts[i].status]++;
	for (int s = 0; s < PST__COUNT; s++)
		jw_uint(&w, status_name(s), by[s]);
	jw_double(&w, "load_ms", d->load_ms);
	jw_double(&w, "attach_ms", d->attach_ms);
	jw_uint(&w, "recursion_misses", d->recursion_misses);
	/* the attached points with their hits over the recording, so a
	 * report can be checked against a probe (virtio_queue_rqs fired...) */
	jw_arr_begin(&w, "points");
	for (unsigned i = 0; i < d->n; i++) {
		const struct resolved *r = &d->pts[i];

		if (r->status != PST_ATTACHED)
			continue;
		jw_obj_begin(&w, NULL);
		jw_str(&w, "profile", r->pt->profile);
		jw_str(&w, "module", r->module);
		jw_str(&w, "symbol", r->symbol);
		jw_str(&w, "kind", kind_name(r->pt->kind));
		jw_str(&w, "role", role_name(r->pt->role));
		jw_str(&w, "method", r->method ? method_name(r->method) : NULL);
		jw_uint(&w, "hits", r->hits);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
	if (d->has_net)
		jw_uint(&w, "nic_irqs_mapped", d->irqs_mapped);
	if (d->has_blk)
		jw_uint(&w, "disk_irqs_mapped", d->disk_irqs_mapped);
	if (d->has_deep) {
		jw_obj_begin(&w, "deep");
		jw_uint(&w, "skb_functions", d->deep_found);
		jw_uint(&w, "probed", d->ndeep);
		jw_uint(&w, "attached", deep_attached(d));
		jw_obj_end(&w);
	}
	if (d->cmd_status >= 0)
		jw_int(&w, "command_exit", d->cmd_status);
	if (d->stacks || d->stacks_dropped) {
		jw_obj_begin(&w, "stacks");
		jw_uint(&w, "pairs", d->nstacks);
		jw_uint(&w, "hits_without_stack", d->stacks_dropped);
		jw_obj_end(&w);
	}
	for (unsigned i = 0; i < rec_nsections; i++)
		if (rec_has(d, &rec_sections[i]))
			rec_sections[i].json(&w, d);
	jw_obj_end(&w);
	jw_finish(&w);
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

enum meta_type { MT_STR, MT_LL, MT_INT, MT_UINT, MT_ULL, MT_BOOL, MT_DOUBLE };

static const struct meta_field {
	const char *key;
	enum meta_type type;
	size_t off, size;
} meta_fields[] = {
#define X(key, type, member) { key, type, offsetof(struct rec_data, member), sizeof(((struct rec_data *)0)->member) },
	REC_META_FIELDS(X)
#undef X
};

static void clean(char *dst, size_t n, const char *src);

static void meta_write(FILE *m, const struct rec_data *d)
{
	for (size_t i = 0; i < NELEM(meta_fields); i++) {
		const struct meta_field *f = &meta_fields[i];
		const void *v = (const char *)d + f->off;
		char s[sizeof(d->options)];

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

/* Fields a file does not have keep their defaults (older files lack newer keys). */
static void meta_read(struct rec_data *d, const struct recording *r)
{
	for (size_t i = 0; i < NELEM(meta_fields); i++) {
		const struct meta_field *f = &meta_fields[i];
		void *v = (char *)d + f->off;
		char b[sizeof(d->options)], *end;

		if (rec_meta(r, f->key, f->type == MT_STR ? v : b, f->type == MT_STR ? f->size : sizeof(b)))
			continue;
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
}

/* --- save --- */

static void clean(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
	for (char *p = dst; *p; p++)
		if (*p == '\t' || *p == '\n' || *p == '\r')
			*p = ' ';
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
	for (unsigned i = 0; i < d->n; i++) {
		const struct resolved *r = &d->pts[i];
		const struct probe_point *p = r->pt;
		char reason[sizeof(r->reason)], note[256];

		clean(reason, sizeof(reason), r->reason);
		clean(note, sizeof(note), p->note);
		fprintf(m, "%u\t%s\t%s\t%u\t%u\t%u\t%u\t%d\t%u\t%u\t%d\t%s\t%s\t%s\t%u\t%u\t%d\t%llu\t%.17g\t%s\t%s\n",
			r->id, p->profile, p->symbols, p->kind, p->role, p->path, p->ident, p->id_arg,
			p->flags, p->qx, p->q_arg, r->module, r->symbol, r->tp_system[0] ? r->tp_system : "-",
			r->method, r->status, r->err, r->hits, r->attach_ms, reason, note);
	}
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




static int load_points(struct rec_data *d, const struct recording *r, char *err, size_t len)
{
	const struct rec_section_view *s = rec_find(r, RS_POINTS);
	const char *p, *end;
	unsigned cap = 0;

	if (!s)
		return rec_bad(err, len, NULL, "no probe point section");
	p = (const char *)s->data;
	end = p + s->len;
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *line = strndup(p, ll), *f[21], *save = NULL;
		int nf = 0;

		if (!line)
			return -ENOMEM;
		for (char *t = strtok_r(line, "\t", &save); t && nf < 21; t = strtok_r(NULL, "\t", &save))
			f[nf++] = t;
		if (nf < 19) {
			free(line);
			return rec_bad(err, len, s, "probe point line with too few fields");
		}
		if (d->n == cap) {
			unsigned nc = cap ? cap * 2 : 64;
			struct probe_point *pp = realloc(d->own_pts, nc * sizeof(*pp));
			struct resolved *rr;

			if (!pp) {
				free(line);
				return -ENOMEM;
			}
			d->own_pts = pp;
			rr = realloc(d->pts, nc * sizeof(*rr));
			if (!rr) {
				free(line);
				return -ENOMEM;
			}
			d->pts = rr;
			cap = nc;
		}
		{
			struct probe_point *pt = &d->own_pts[d->n];
			struct resolved *rs = &d->pts[d->n];
			unsigned kind = atoi(f[3]), role = atoi(f[4]), path = atoi(f[5]), method = atoi(f[14]);
			unsigned status = atoi(f[15]);

			if (kind > KIND_TP || role >= ROLE__COUNT || path >= PATH__COUNT ||
			    method >= METHOD__COUNT || status >= PST__COUNT) {
				free(line);
				return rec_bad(err, len, s, "probe point with an out-of-range kind/role/method/status");
			}
			memset(pt, 0, sizeof(*pt));
			memset(rs, 0, sizeof(*rs));
			pt->profile = strdup(f[1]);
			pt->symbols = strdup(f[2]);
			pt->note = nf > 20 ? strdup(f[20]) : NULL;
			pt->kind = kind;
			pt->role = role;
			pt->path = path;
			pt->ident = atoi(f[6]);
			pt->id_arg = atoi(f[7]);
			pt->flags = strtoul(f[8], NULL, 10);
			pt->qx = atoi(f[9]);
			pt->q_arg = atoi(f[10]);
			rs->id = strtoul(f[0], NULL, 10);
			snprintf(rs->module, sizeof(rs->module), "%s", f[11]);
			snprintf(rs->symbol, sizeof(rs->symbol), "%s", f[12]);
			if (strcmp(f[13], "-"))
				snprintf(rs->tp_system, sizeof(rs->tp_system), "%s", f[13]);
			rs->method = method;
			rs->status = status;
			rs->err = atoi(f[16]);
			rs->hits = strtoull(f[17], NULL, 10);
			rs->attach_ms = atof(f[18]);
			if (nf > 19)
				snprintf(rs->reason, sizeof(rs->reason), "%s", f[19]);
			rs->pt = pt;
			d->n++;
		}
		free(line);
		if (!nl)
			break;
		p = nl + 1;
	}
	/* pt pointers move with realloc: set them last */
	for (unsigned i = 0; i < d->n; i++)
		d->pts[i].pt = &d->own_pts[i];
	return 0;
}

int rec_data_from(struct rec_data *d, const struct recording *r, char *err, size_t errlen)
{
	int ret;

	memset(d, 0, sizeof(*d));
	d->loaded = true;
	d->cmd_status = -1;
	meta_read(d, r);
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
	struct recording r;
	int ret = rec_load(path, &r, err, errlen);

	memset(d, 0, sizeof(*d));
	if (ret)
		return ret;
	ret = rec_data_from(d, &r, err, errlen);
	rec_free(&r);
	if (ret)
		rec_data_free(d);
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
	memset(d, 0, sizeof(*d));
}
