/* The report sections a recording holds (net, blk, host, exits), each wired once: how it is
 * printed and written as JSON (by its report), saved as records and loaded back with every
 * count and string checked (here), and freed. recdata.c loops over rec_sections; a new section
 * is one row (HACKING.md, "Adding a report section"). The records are the report structs, written
 * with their schema and read back by field name (record/schema.h), so builds of other layouts
 * read them. */
#include "record/sections.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "out/json.h"
#include "record/rectasks.h"
#include "record/schema.h"
#include "util/util.h"

int rec_bad(char *err, size_t len, const struct rec_section_view *s, const char *what)
{
	snprintf(err, len, "corrupt at byte %zu: %s", s ? s->offset : 0, what);
	return -EINVAL;
}

/* The records of a section as a fresh array at *out (at least one element, so a section of none
 * is not a NULL), read by field name (record/schema.h) with what the file lacked noted in the
 * bundle: the count, -EINVAL with err set when it is missing (need), damaged or incompatible,
 * -ENOMEM. An optional section that is absent gives 0 rows. */
static long copy_records(struct rec_data *d, const struct recording *r, uint32_t type, const struct rec_type *t,
			 bool need, void **out, char *err, size_t len)
{
	return rec_read_typed(r, type, t, need, out, &d->fields, err, len);
}

/* A section of exactly one record (a report's totals) into dst. */
static int read_one(struct rec_data *d, const struct recording *r, uint32_t type, const struct rec_type *t,
		    void *dst, char *err, size_t len)
{
	void *p;
	long n = copy_records(d, r, type, t, true, &p, err, len);

	if (n >= 0 && n != 1) {
		free(p);
		snprintf(err, len, "corrupt at byte %zu: section %u holds %ld records, not one",
			 rec_find(r, type)->offset, type, n);
		return -EINVAL;
	}
	if (n < 0)
		return n;
	memcpy(dst, p, t->size);
	free(p);
	return 0;
}

/* Pointers, padding and what a section does not record read as zero, and strings come
 * NUL-terminated (record/codec.c): what is left to check is every count against its array. */
static int net_load(struct rec_data *d, const struct recording *r, char *err, size_t errlen)
{
	long n;
	struct net_report *nr = &d->own_net;
	int ret = read_one(d, r, RS_NET_GLOBAL, &rt_net_report, nr, err, errlen);

	if (ret)
		return ret;
	nr->counter = nr->counter_name[0] ? nr->counter_name : NULL;
	if (nr->nsamples < 0 || nr->nsamples > NETR_SAMPLES)
		nr->nsamples = 0;
	if ((n = copy_records(d, r, RS_NET_DEV, &rt_net_report_dev, true, (void **)&nr->dev, err, errlen)) < 0)
		return n;
	nr->ndev = n;
	for (long i = 0; i < n; i++) {
		struct net_report_dev *x = &nr->dev[i];

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
	long n;
	struct blk_report *br = &d->own_blk;
	int ret = read_one(d, r, RS_BLK_GLOBAL, &rt_blk_report, br, err, errlen);

	if (ret)
		return ret;
	br->ncls = br->ndisk = 0;
	if ((n = copy_records(d, r, RS_BLK_CLS, &rt_blk_report_class, true, (void **)&br->cls, err, errlen)) < 0)
		return n;
	br->ncls = n;
	for (long i = 0; i < n; i++) {
		if (br->cls[i].k.size_class > 63)
			return rec_bad(err, errlen, rec_find(r, RS_BLK_CLS), "block size class out of range");
		if (br->cls[i].ntop < 0 || br->cls[i].ntop > BLKR_TOP_SIGS)
			br->cls[i].ntop = 0;
	}
	if ((n = copy_records(d, r, RS_BLK_DISK, &rt_blk_report_disk, true, (void **)&br->disk, err, errlen)) < 0)
		return n;
	br->ndisk = n;
	for (long i = 0; i < n; i++)
		if (br->disk[i].nq < 0 || br->disk[i].nq > BLKR_MAX_QUEUES)
			br->disk[i].nq = 0;
	d->blk = br;
	return 0;
}

static int exits_load(struct rec_data *d, const struct recording *r, char *err, size_t errlen)
{
	long n;
	struct exits_report *xr = &d->own_exits;
	int ret = read_one(d, r, RS_EXITS_GLOBAL, &rt_exits_report, xr, err, errlen);

	if (ret)
		return ret;
	xr->nirq = xr->narch = 0;
	if (xr->nmsr < 0 || xr->nmsr > 64)
		xr->nmsr = 0;
	if (xr->ncpu < 0 || xr->ncpu > 512)
		xr->ncpu = 0;
	if ((n = copy_records(d, r, RS_EXITS_IRQ, &rt_ex_irq_row, true, (void **)&xr->irqs, err, errlen)) < 0)
		return n;
	xr->nirq = n;
	d->exits = xr;
	/* optional: older recordings have no named interrupt rows */
	if ((n = copy_records(d, r, RS_EXITS_ARCH, &rt_ex_arch_row, false, (void **)&xr->arch, err, errlen)) < 0)
		return n;
	if (n > EX_MAX_ARCH)
		return rec_bad(err, errlen, rec_find(r, RS_EXITS_ARCH), "too many named interrupt rows");
	xr->narch = n;
	return 0;
}

static int host_load(struct rec_data *d, const struct recording *r, char *err, size_t len)
{
	struct host_report *h = &d->own_host;
	long n;
	int ret = read_one(d, r, RS_HOST_GLOBAL, &rt_host_report, h, err, len);

	if (ret)
		return ret;
	host_report_detach(h);   /* the counts come from the row sections */
	d->host = h;
	if ((n = copy_records(d, r, RS_HOST_EXIT, &rt_host_exit_row, true, (void **)&h->exit, err, len)) < 0)
		return n;
	h->nexit = n;
	if ((n = copy_records(d, r, RS_HOST_IO, &rt_host_io_row, true, (void **)&h->io, err, len)) < 0)
		return n;
	h->nio = n;
	for (long i = 0; i < n; i++)
		if (h->io[i].k.kind >= HIO__COUNT || h->io[i].v.to_user > h->io[i].v.count)
			return rec_bad(err, len, rec_find(r, RS_HOST_IO), "host I/O row out of range");
	if ((n = copy_records(d, r, RS_HOST_CNT, &rt_host_cnt_row, true, (void **)&h->cnt, err, len)) < 0)
		return n;
	h->ncnt = n;
	for (long i = 0; i < n; i++)
		if (h->cnt[i].k.kind >= HCK__COUNT)
			return rec_bad(err, len, rec_find(r, RS_HOST_CNT), "host counter kind out of range");
	if ((n = copy_records(d, r, RS_HOST_PROC, &rt_host_proc, true, (void **)&h->proc, err, len)) < 0)
		return n;
	h->nproc = n;
	if ((n = copy_records(d, r, RS_HOST_INJ, &rt_host_inj_row, true, (void **)&h->inj, err, len)) < 0)
		return n;
	h->ninj = n;
	for (long i = 0; i < n; i++)
		if (h->inj[i].k.src_kind > HSRC_HARDIRQ)
			return rec_bad(err, len, rec_find(r, RS_HOST_INJ), "irqfd source kind out of range");
	return 0;
}

/* The rows go in sections of their own; recw_typed writes only the fields of schema.c, so the
 * totals' pointers and the live-only members never reach the file. */
static void net_save(struct rec_writer *w, const struct rec_data *d)
{
	recw_typed(w, RS_NET_GLOBAL, &rt_net_report, d->net, 1);
	recw_typed(w, RS_NET_DEV, &rt_net_report_dev, d->net->dev, d->net->ndev);
}

static void blk_save(struct rec_writer *w, const struct rec_data *d)
{
	recw_typed(w, RS_BLK_GLOBAL, &rt_blk_report, d->blk, 1);
	recw_typed(w, RS_BLK_CLS, &rt_blk_report_class, d->blk->cls, d->blk->ncls);
	recw_typed(w, RS_BLK_DISK, &rt_blk_report_disk, d->blk->disk, d->blk->ndisk);
}

static void exits_save(struct rec_writer *w, const struct rec_data *d)
{
	recw_typed(w, RS_EXITS_GLOBAL, &rt_exits_report, d->exits, 1);
	recw_typed(w, RS_EXITS_IRQ, &rt_ex_irq_row, d->exits->irqs, d->exits->nirq);
	recw_typed(w, RS_EXITS_ARCH, &rt_ex_arch_row, d->exits->arch, d->exits->narch);
}

static void host_save(struct rec_writer *w, const struct rec_data *d)
{
	recw_typed(w, RS_HOST_GLOBAL, &rt_host_report, d->host, 1);
	recw_typed(w, RS_HOST_EXIT, &rt_host_exit_row, d->host->exit, d->host->nexit);
	recw_typed(w, RS_HOST_IO, &rt_host_io_row, d->host->io, d->host->nio);
	recw_typed(w, RS_HOST_CNT, &rt_host_cnt_row, d->host->cnt, d->host->ncnt);
	recw_typed(w, RS_HOST_PROC, &rt_host_proc, d->host->proc, d->host->nproc);
	recw_typed(w, RS_HOST_INJ, &rt_host_inj_row, d->host->inj, d->host->ninj);
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

static void exits_print_sec(FILE *f, const struct rec_data *d)
{
	struct ex_io io = rec_data_io(d);   /* the traced tasks' crossings per packet and request */

	exits_print(f, d->exits, d->pts, d->n, d->platform, &io);
}

static void exits_json_sec(struct jw *w, const struct rec_data *d)
{
	struct ex_io io = rec_data_io(d);   /* the traced tasks' crossings per packet and request */

	exits_json(w, d->exits, d->pts, d->n, d->platform, &io);
}
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
