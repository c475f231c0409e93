#include "record/recdata.h"

#include <errno.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

#include "out/json.h"
#include "kernel/profiles.h"
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

void rec_data_print(FILE *f, const struct rec_data *d)
{
	fprintf(f, "iopath record%s%s%s on %s\n", d->has_net ? " --net" : "", d->has_blk ? " --blk" : "",
		d->has_host ? " --host" : "", d->kernel);
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
	if (d->has_net)
		net_report_print(f, d->net, d->pts, d->n);
	if (d->has_blk) {
		if (d->has_net)
			fprintf(f, "\n");
		blk_report_print(f, d->blk, d->pts, d->n);
	}
	if (d->has_host)
		host_print(f, d->host);
	if (d->has_exits)
		exits_print(f, d->exits, d->pts, d->n);
	if (d->stacks)
		fprintf(f, "kernel stacks: %llu distinct (point, stack) pairs kept; draw them with iopath flame --stacks\n",
			d->nstacks);
}

void rec_data_json(FILE *f, const struct rec_data *d)
{
	struct jw w;
	unsigned by[PST__COUNT] = {};

	jw_init(&w, f, true);
	jw_obj_begin(&w, NULL);
	jw_str(&w, "iopath_version", d->version);
	jw_str(&w, "kernel", d->kernel);
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
	if (d->has_net)
		net_report_json(&w, d->net, d->pts, d->n);
	if (d->has_blk)
		blk_report_json(&w, d->blk, d->pts, d->n);
	if (d->has_host)
		host_json(&w, d->host);
	if (d->has_exits)
		exits_json(&w, d->exits, d->pts, d->n);
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
	X("recursion_misses", MT_ULL, recursion_misses) \
	X("host", MT_BOOL, has_host)

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

int rec_data_save(const struct rec_data *d, const char *path)
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
	if (d->has_net) {
		struct net_report g = *d->net;

		g.dev = NULL;
		recw_records(&w, RS_NET_GLOBAL, &g, sizeof(g), 1);
		recw_records(&w, RS_NET_DEV, d->net->dev, sizeof(*d->net->dev), d->net->ndev);
	}
	if (d->has_blk) {
		struct blk_report g = *d->blk;

		g.cls = NULL;
		g.disk = NULL;
		recw_records(&w, RS_BLK_GLOBAL, &g, sizeof(g), 1);
		recw_records(&w, RS_BLK_CLS, d->blk->cls, sizeof(*d->blk->cls), d->blk->ncls);
		recw_records(&w, RS_BLK_DISK, d->blk->disk, sizeof(*d->blk->disk), d->blk->ndisk);
	}
	if (d->has_exits) {
		struct exits_report g = *d->exits;

		memset(&g.before, 0, sizeof(g.before));
		memset(&g.after, 0, sizeof(g.after));
		g.irqs = NULL;
		g.arch = NULL;
		recw_records(&w, RS_EXITS_GLOBAL, &g, sizeof(g), 1);
		recw_records(&w, RS_EXITS_IRQ, d->exits->irqs, sizeof(*d->exits->irqs), d->exits->nirq);
		recw_records(&w, RS_EXITS_ARCH, d->exits->arch, sizeof(*d->exits->arch), d->exits->narch);
	}
	if (d->has_host) {
		struct host_report g = *d->host;

		g.exit = NULL;
		g.io = NULL;
		g.cnt = NULL;
		g.proc = NULL;
		g.inj = NULL;
		recw_records(&w, RS_HOST_GLOBAL, &g, sizeof(g), 1);
		recw_records(&w, RS_HOST_EXIT, d->host->exit, sizeof(*d->host->exit), d->host->nexit);
		recw_records(&w, RS_HOST_IO, d->host->io, sizeof(*d->host->io), d->host->nio);
		recw_records(&w, RS_HOST_CNT, d->host->cnt, sizeof(*d->host->cnt), d->host->ncnt);
		recw_records(&w, RS_HOST_PROC, d->host->proc, sizeof(*d->host->proc), d->host->nproc);
		recw_records(&w, RS_HOST_INJ, d->host->inj, sizeof(*d->host->inj), d->host->ninj);
	}
	if (d->stacks)
		recw_section(&w, RS_STACKS, d->stacks, d->stacks_len);
	err = recw_commit(&w, path);
	recw_free(&w);
	return err;
}

/* --- load --- */

static int bad(char *err, size_t len, const struct rec_section_view *s, const char *what)
{
	snprintf(err, len, "corrupt at byte %zu: %s", s ? s->offset : 0, what);
	return -EINVAL;
}

static long recs(const struct recording *r, uint32_t type, size_t size, const void **first, bool need,
		 char *err, size_t len)
{
	const struct rec_section_view *s = rec_find(r, type);

	if (!s) {
		if (need)
			snprintf(err, len, "recording lacks section %u", type);
		*first = NULL;
		return need ? -1 : 0;
	}
	return rec_records(s, size, first, err, len);
}

static void nul(char *s, size_t n)
{
	s[n - 1] = 0;
}

static int load_points(struct rec_data *d, const struct recording *r, char *err, size_t len)
{
	const struct rec_section_view *s = rec_find(r, RS_POINTS);
	const char *p, *end;
	unsigned cap = 0;

	if (!s)
		return bad(err, len, NULL, "no probe point section");
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
			return bad(err, len, s, "probe point line with too few fields");
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
				return bad(err, len, s, "probe point with an out-of-range kind/role/method/status");
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

/* One RS_HOST_* record section into a fresh array; -1 on a bad layout. */
static long host_section(const struct recording *r, uint32_t type, size_t size, void **out, char *err,
			 size_t len)
{
	const void *p;
	long n = recs(r, type, size, &p, true, err, len);

	*out = NULL;
	if (n < 0)
		return -1;
	*out = calloc(n ? n : 1, size);
	if (!*out)
		return -1;
	memcpy(*out, p, n * size);
	return n;
}

static int load_host(struct rec_data *d, const struct recording *r, char *err, size_t len)
{
	struct host_report *h = &d->own_host;
	const void *p;
	long n;

	if (recs(r, RS_HOST_GLOBAL, sizeof(*h), &p, true, err, len) != 1)
		return -EINVAL;
	memcpy(h, p, sizeof(*h));
	h->exit = NULL;
	h->io = NULL;
	h->cnt = NULL;
	h->proc = NULL;
	h->inj = NULL;
	h->nexit = h->nio = h->ncnt = h->nproc = h->ninj = 0;
	d->host = h;
	if ((n = host_section(r, RS_HOST_EXIT, sizeof(*h->exit), (void **)&h->exit, err, len)) < 0)
		return -EINVAL;
	h->nexit = n;
	if ((n = host_section(r, RS_HOST_IO, sizeof(*h->io), (void **)&h->io, err, len)) < 0)
		return -EINVAL;
	h->nio = n;
	for (long i = 0; i < n; i++)
		if (h->io[i].k.kind >= HIO__COUNT || h->io[i].v.to_user > h->io[i].v.count)
			return bad(err, len, rec_find(r, RS_HOST_IO), "host I/O row out of range");
	if ((n = host_section(r, RS_HOST_CNT, sizeof(*h->cnt), (void **)&h->cnt, err, len)) < 0)
		return -EINVAL;
	h->ncnt = n;
	for (long i = 0; i < n; i++)
		if (h->cnt[i].k.kind >= HCK__COUNT)
			return bad(err, len, rec_find(r, RS_HOST_CNT), "host counter kind out of range");
	if ((n = host_section(r, RS_HOST_PROC, sizeof(*h->proc), (void **)&h->proc, err, len)) < 0)
		return -EINVAL;
	h->nproc = n;
	for (long i = 0; i < n; i++) {
		nul(h->proc[i].comm, sizeof(h->proc[i].comm));
		nul(h->proc[i].taps, sizeof(h->proc[i].taps));
	}
	if ((n = host_section(r, RS_HOST_INJ, sizeof(*h->inj), (void **)&h->inj, err, len)) < 0)
		return -EINVAL;
	h->ninj = n;
	for (long i = 0; i < n; i++) {
		if (h->inj[i].k.src_kind > HSRC_HARDIRQ)
			return bad(err, len, rec_find(r, RS_HOST_INJ), "irqfd source kind out of range");
		nul(h->inj[i].src, sizeof(h->inj[i].src));
	}
	return 0;
}

int rec_data_from(struct rec_data *d, const struct recording *r, char *err, size_t errlen)
{
	long n;
	const void *p;
	int ret;

	memset(d, 0, sizeof(*d));
	d->loaded = true;
	d->cmd_status = -1;
	meta_read(d, r);
	ret = load_points(d, r, err, errlen);
	if (ret)
		return ret;
	if (d->ndeep > d->n)
		return bad(err, errlen, rec_find(r, RS_META), "more deep points than points");
	if (d->has_net) {
		struct net_report *nr = &d->own_net;

		if (recs(r, RS_NET_GLOBAL, sizeof(*nr), &p, true, err, errlen) != 1)
			return -EINVAL;
		memcpy(nr, p, sizeof(*nr));
		nr->dev = NULL;
		nr->ndev = 0;
		nr->counter = nr->counter_name[0] ? nr->counter_name : NULL;
		nul(nr->counter_note, sizeof(nr->counter_note));
		nul(nr->counter_name, sizeof(nr->counter_name));
		if (nr->nsamples < 0 || nr->nsamples > NETR_SAMPLES)
			nr->nsamples = 0;
		for (int i = 0; i < nr->nsamples; i++)
			nul(nr->samples[i].name, sizeof(nr->samples[i].name));
		n = recs(r, RS_NET_DEV, sizeof(*nr->dev), &p, true, err, errlen);
		if (n < 0)
			return -EINVAL;
		nr->dev = calloc(n ? n : 1, sizeof(*nr->dev));
		if (!nr->dev)
			return -ENOMEM;
		memcpy(nr->dev, p, n * sizeof(*nr->dev));
		nr->ndev = n;
		for (long i = 0; i < n; i++) {
			struct net_report_dev *x = &nr->dev[i];

			nul(x->name, sizeof(x->name));
			nul(x->a.name, sizeof(x->a.name));
			if (x->nq < 0 || x->nq > NETR_MAX_QUEUES)
				x->nq = 0;
			if (x->ntop < 0 || x->ntop > NETR_TOP_SIGS)
				x->ntop = 0;
		}
		d->net = nr;
	}
	if (d->has_blk) {
		struct blk_report *br = &d->own_blk;

		if (recs(r, RS_BLK_GLOBAL, sizeof(*br), &p, true, err, errlen) != 1)
			return -EINVAL;
		memcpy(br, p, sizeof(*br));
		br->cls = NULL;
		br->disk = NULL;
		br->ncls = br->ndisk = 0;
		n = recs(r, RS_BLK_CLS, sizeof(*br->cls), &p, true, err, errlen);
		if (n < 0)
			return -EINVAL;
		br->cls = calloc(n ? n : 1, sizeof(*br->cls));
		if (!br->cls)
			return -ENOMEM;
		memcpy(br->cls, p, n * sizeof(*br->cls));
		br->ncls = n;
		for (long i = 0; i < n; i++) {
			if (br->cls[i].k.size_class > 63)
				return bad(err, errlen, rec_find(r, RS_BLK_CLS), "block size class out of range");
			nul(br->cls[i].disk, sizeof(br->cls[i].disk));
			if (br->cls[i].ntop < 0 || br->cls[i].ntop > BLKR_TOP_SIGS)
				br->cls[i].ntop = 0;
		}
		n = recs(r, RS_BLK_DISK, sizeof(*br->disk), &p, true, err, errlen);
		if (n < 0)
			return -EINVAL;
		br->disk = calloc(n ? n : 1, sizeof(*br->disk));
		if (!br->disk)
			return -ENOMEM;
		memcpy(br->disk, p, n * sizeof(*br->disk));
		br->ndisk = n;
		for (long i = 0; i < n; i++) {
			nul(br->disk[i].name, sizeof(br->disk[i].name));
			if (br->disk[i].nq < 0 || br->disk[i].nq > BLKR_MAX_QUEUES)
				br->disk[i].nq = 0;
		}
		d->blk = br;
	}
	if (d->has_exits) {
		struct exits_report *xr = &d->own_exits;

		if (recs(r, RS_EXITS_GLOBAL, sizeof(*xr), &p, true, err, errlen) != 1)
			return -EINVAL;
		memcpy(xr, p, sizeof(*xr));
		memset(&xr->before, 0, sizeof(xr->before));
		memset(&xr->after, 0, sizeof(xr->after));
		xr->irqs = NULL;
		xr->nirq = 0;
		xr->arch = NULL;
		xr->narch = 0;
		if (xr->nmsr < 0 || xr->nmsr > 64)
			xr->nmsr = 0;
		if (xr->ncpu < 0 || xr->ncpu > 512)
			xr->ncpu = 0;
		n = recs(r, RS_EXITS_IRQ, sizeof(*xr->irqs), &p, true, err, errlen);
		if (n < 0)
			return -EINVAL;
		xr->irqs = calloc(n ? n : 1, sizeof(*xr->irqs));
		if (!xr->irqs)
			return -ENOMEM;
		memcpy(xr->irqs, p, n * sizeof(*xr->irqs));
		xr->nirq = n;
		for (long i = 0; i < n; i++) {
			nul(xr->irqs[i].v.name, sizeof(xr->irqs[i].v.name));
			nul(xr->irqs[i].chip, sizeof(xr->irqs[i].chip));
			nul(xr->irqs[i].device, sizeof(xr->irqs[i].device));
			nul(xr->irqs[i].kind, sizeof(xr->irqs[i].kind));
		}
		d->exits = xr;
		n = recs(r, RS_EXITS_ARCH, sizeof(*xr->arch), &p, false, err, errlen);
		if (n < 0 || n > EX_MAX_ARCH)
			return n < 0 ? -EINVAL : bad(err, errlen, rec_find(r, RS_EXITS_ARCH), "too many named interrupt rows");
		xr->arch = calloc(n ? n : 1, sizeof(*xr->arch));
		if (!xr->arch)
			return -ENOMEM;
		if (n)   /* the section is optional: no rows, no source pointer */
			memcpy(xr->arch, p, n * sizeof(*xr->arch));
		xr->narch = n;
		for (long i = 0; i < n; i++)
			nul(xr->arch[i].name, sizeof(xr->arch[i].name));
	}
	if (d->has_host) {
		ret = load_host(d, r, err, errlen);
		if (ret)
			return ret;
	}
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
	free(d->own_net.dev);
	free(d->own_blk.cls);
	free(d->own_blk.disk);
	free(d->own_exits.irqs);
	free(d->own_exits.arch);
	host_report_free(&d->own_host);
	free(d->stacks);
	memset(d, 0, sizeof(*d));
}
