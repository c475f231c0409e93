/* The report sections a recording holds (net, blk, host, exits), each wired once: how it is
 * printed and written as JSON (by its report), saved as records and loaded back with every
 * count and string checked (here), and freed. recdata.c loops over rec_sections; a new section
 * is one row (HACKING.md, "Adding a report section"). The records are the report structs as
 * this build lays them out, pointers zeroed (recfile.h: a build with another layout refuses). */
#include "record/sections.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "out/json.h"
#include "util/util.h"

int rec_bad(char *err, size_t len, const struct rec_section_view *s, const char *what)
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

/* A record section (type, records of size bytes) copied into a fresh array at *out (at least one
 * element, so a section of none is not a NULL): the count, -EINVAL with err set when it is missing
 * (need) or of another layout, -ENOMEM. An optional section that is absent gives 0 rows. */
static long copy_records(const struct recording *r, uint32_t type, size_t size, bool need, void **out,
			 char *err, size_t len)
{
	const void *p;
	long n = recs(r, type, size, &p, need, err, len);

	*out = NULL;
	if (n < 0)
		return -EINVAL;
	*out = calloc(n ? n : 1, size);
	if (!*out)
		return -ENOMEM;
	if (n)   /* an absent optional section has no source pointer */
		memcpy(*out, p, n * size);
	return n;
}

static int net_load(struct rec_data *d, const struct recording *r, char *err, size_t errlen)
{
	const void *p;
	long n;
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
	if ((n = copy_records(r, RS_NET_DEV, sizeof(*nr->dev), true, (void **)&nr->dev, err, errlen)) < 0)
		return n;
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
	return 0;
}

static int blk_load(struct rec_data *d, const struct recording *r, char *err, size_t errlen)
{
	const void *p;
	long n;
	struct blk_report *br = &d->own_blk;

	if (recs(r, RS_BLK_GLOBAL, sizeof(*br), &p, true, err, errlen) != 1)
		return -EINVAL;
	memcpy(br, p, sizeof(*br));
	br->cls = NULL;
	br->disk = NULL;
	br->ncls = br->ndisk = 0;
	if ((n = copy_records(r, RS_BLK_CLS, sizeof(*br->cls), true, (void **)&br->cls, err, errlen)) < 0)
		return n;
	br->ncls = n;
	for (long i = 0; i < n; i++) {
		if (br->cls[i].k.size_class > 63)
			return rec_bad(err, errlen, rec_find(r, RS_BLK_CLS), "block size class out of range");
		nul(br->cls[i].disk, sizeof(br->cls[i].disk));
		if (br->cls[i].ntop < 0 || br->cls[i].ntop > BLKR_TOP_SIGS)
			br->cls[i].ntop = 0;
	}
	if ((n = copy_records(r, RS_BLK_DISK, sizeof(*br->disk), true, (void **)&br->disk, err, errlen)) < 0)
		return n;
	br->ndisk = n;
	for (long i = 0; i < n; i++) {
		nul(br->disk[i].name, sizeof(br->disk[i].name));
		if (br->disk[i].nq < 0 || br->disk[i].nq > BLKR_MAX_QUEUES)
			br->disk[i].nq = 0;
	}
	d->blk = br;
	return 0;
}

static int exits_load(struct rec_data *d, const struct recording *r, char *err, size_t errlen)
{
	const void *p;
	long n;
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
	if ((n = copy_records(r, RS_EXITS_IRQ, sizeof(*xr->irqs), true, (void **)&xr->irqs, err, errlen)) < 0)
		return n;
	xr->nirq = n;
	for (long i = 0; i < n; i++) {
		nul(xr->irqs[i].v.name, sizeof(xr->irqs[i].v.name));
		nul(xr->irqs[i].chip, sizeof(xr->irqs[i].chip));
		nul(xr->irqs[i].device, sizeof(xr->irqs[i].device));
		nul(xr->irqs[i].kind, sizeof(xr->irqs[i].kind));
	}
	d->exits = xr;
	/* optional: older recordings have no named interrupt rows */
	if ((n = copy_records(r, RS_EXITS_ARCH, sizeof(*xr->arch), false, (void **)&xr->arch, err, errlen)) < 0)
		return n;
	if (n > EX_MAX_ARCH)
		return rec_bad(err, errlen, rec_find(r, RS_EXITS_ARCH), "too many named interrupt rows");
	xr->narch = n;
	for (long i = 0; i < n; i++)
		nul(xr->arch[i].name, sizeof(xr->arch[i].name));
	return 0;
}

static int host_load(struct rec_data *d, const struct recording *r, char *err, size_t len)
{
	struct host_report *h = &d->own_host;
	const void *p;
	long n;

	if (recs(r, RS_HOST_GLOBAL, sizeof(*h), &p, true, err, len) != 1)
		return -EINVAL;
	memcpy(h, p, sizeof(*h));
	host_report_detach(h);   /* the file's pointers mean nothing here */
	d->host = h;
	if ((n = copy_records(r, RS_HOST_EXIT, sizeof(*h->exit), true, (void **)&h->exit, err, len)) < 0)
		return -EINVAL;
	h->nexit = n;
	if ((n = copy_records(r, RS_HOST_IO, sizeof(*h->io), true, (void **)&h->io, err, len)) < 0)
		return -EINVAL;
	h->nio = n;
	for (long i = 0; i < n; i++)
		if (h->io[i].k.kind >= HIO__COUNT || h->io[i].v.to_user > h->io[i].v.count)
			return rec_bad(err, len, rec_find(r, RS_HOST_IO), "host I/O row out of range");
	if ((n = copy_records(r, RS_HOST_CNT, sizeof(*h->cnt), true, (void **)&h->cnt, err, len)) < 0)
		return -EINVAL;
	h->ncnt = n;
	for (long i = 0; i < n; i++)
		if (h->cnt[i].k.kind >= HCK__COUNT)
			return rec_bad(err, len, rec_find(r, RS_HOST_CNT), "host counter kind out of range");
	if ((n = copy_records(r, RS_HOST_PROC, sizeof(*h->proc), true, (void **)&h->proc, err, len)) < 0)
		return -EINVAL;
	h->nproc = n;
	for (long i = 0; i < n; i++) {
		nul(h->proc[i].comm, sizeof(h->proc[i].comm));
		nul(h->proc[i].taps, sizeof(h->proc[i].taps));
	}
	if ((n = copy_records(r, RS_HOST_INJ, sizeof(*h->inj), true, (void **)&h->inj, err, len)) < 0)
		return -EINVAL;
	h->ninj = n;
	for (long i = 0; i < n; i++) {
		if (h->inj[i].k.src_kind > HSRC_HARDIRQ)
			return rec_bad(err, len, rec_find(r, RS_HOST_INJ), "irqfd source kind out of range");
		nul(h->inj[i].src, sizeof(h->inj[i].src));
	}
	return 0;
}

static void net_save(struct rec_writer *w, const struct rec_data *d)
{
	struct net_report g = *d->net;

	g.dev = NULL;
	recw_records(w, RS_NET_GLOBAL, &g, sizeof(g), 1);
	recw_records(w, RS_NET_DEV, d->net->dev, sizeof(*d->net->dev), d->net->ndev);
}

static void blk_save(struct rec_writer *w, const struct rec_data *d)
{
	struct blk_report g = *d->blk;

	g.cls = NULL;
	g.disk = NULL;
	recw_records(w, RS_BLK_GLOBAL, &g, sizeof(g), 1);
	recw_records(w, RS_BLK_CLS, d->blk->cls, sizeof(*d->blk->cls), d->blk->ncls);
	recw_records(w, RS_BLK_DISK, d->blk->disk, sizeof(*d->blk->disk), d->blk->ndisk);
}

static void exits_save(struct rec_writer *w, const struct rec_data *d)
{
	struct exits_report g = *d->exits;

	memset(&g.before, 0, sizeof(g.before));
	memset(&g.after, 0, sizeof(g.after));
	g.irqs = NULL;
	g.arch = NULL;
	recw_records(w, RS_EXITS_GLOBAL, &g, sizeof(g), 1);
	recw_records(w, RS_EXITS_IRQ, d->exits->irqs, sizeof(*d->exits->irqs), d->exits->nirq);
	recw_records(w, RS_EXITS_ARCH, d->exits->arch, sizeof(*d->exits->arch), d->exits->narch);
}

static void host_save(struct rec_writer *w, const struct rec_data *d)
{
	struct host_report g = *d->host;

	host_report_detach(&g);   /* the rows go in their own sections (the counts come back from them) */
	recw_records(w, RS_HOST_GLOBAL, &g, sizeof(g), 1);
	recw_records(w, RS_HOST_EXIT, d->host->exit, sizeof(*d->host->exit), d->host->nexit);
	recw_records(w, RS_HOST_IO, d->host->io, sizeof(*d->host->io), d->host->nio);
	recw_records(w, RS_HOST_CNT, d->host->cnt, sizeof(*d->host->cnt), d->host->ncnt);
	recw_records(w, RS_HOST_PROC, d->host->proc, sizeof(*d->host->proc), d->host->nproc);
	recw_records(w, RS_HOST_INJ, d->host->inj, sizeof(*d->host->inj), d->host->ninj);
}

static int net_collect(struct engine *e, struct rec_data *d) { return net_report_collect(e, d->net); }
static int blk_collect(struct engine *e, struct rec_data *d) { return blk_report_collect(e, d->blk); }
static int host_collect_sec(struct engine *e, struct rec_data *d) { return host_collect(e, d->host, d->pts, d->n); }
/* what exits_collect could not read is counted in the report itself: never a reason to stop */
static int exits_collect_sec(struct engine *e, struct rec_data *d)
{
	exits_collect(e, d->exits);
	return 0;
}

static void net_print(FILE *f, const struct rec_data *d)
{
	net_report_print(f, d->net, d->pts, d->n, d->netns_names);
}

static void net_json(struct jw *w, const struct rec_data *d)
{
	net_report_json(w, d->net, d->pts, d->n, d->netns_names);
}
static void net_free(struct rec_data *d) { free(d->own_net.dev); }

static void blk_print(FILE *f, const struct rec_data *d)
{
	if (d->has_net)
		fprintf(f, "\n");
	blk_report_print(f, d->blk, d->pts, d->n);
}
static void blk_json(struct jw *w, const struct rec_data *d) { blk_report_json(w, d->blk, d->pts, d->n); }
static void blk_free(struct rec_data *d)
{
	free(d->own_blk.cls);
	free(d->own_blk.disk);
}

static void host_print_sec(FILE *f, const struct rec_data *d) { host_print(f, d->host); }
static void host_json_sec(struct jw *w, const struct rec_data *d) { host_json(w, d->host); }
static void host_free_sec(struct rec_data *d) { host_report_free(&d->own_host); }

static void exits_print_sec(FILE *f, const struct rec_data *d) { exits_print(f, d->exits, d->pts, d->n, d->platform); }
static void exits_json_sec(struct jw *w, const struct rec_data *d) { exits_json(w, d->exits, d->pts, d->n, d->platform); }
static void exits_free(struct rec_data *d)
{
	free(d->own_exits.irqs);
	free(d->own_exits.arch);
}

/* In the order record prints them. */
const struct rec_section_ops rec_sections[] = {
	{ "net", offsetof(struct rec_data, has_net), net_collect, net_print, net_json, net_save, net_load, net_free },
	{ "blk", offsetof(struct rec_data, has_blk), blk_collect, blk_print, blk_json, blk_save, blk_load, blk_free },
	{ "host", offsetof(struct rec_data, has_host), host_collect_sec, host_print_sec, host_json_sec, host_save, host_load,
	  host_free_sec },
	{ "exits", offsetof(struct rec_data, has_exits), exits_collect_sec, exits_print_sec, exits_json_sec, exits_save,
	  exits_load, exits_free },
};
const unsigned rec_nsections = NELEM(rec_sections);
