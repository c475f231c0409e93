/* A bundle minus an earlier snapshot of the same run (record/recsub.h). The numbers are walked
 * through the field tables of record/schema.c, so a field added to a recorded struct is
 * subtracted without a line here; a field that must not be (it is not a count) is one row of
 * rec_sub_keep. Rows and arrays of rows are matched by their key, here, per section. */
#include "record/recsub.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "record/sections.h"
#include "util/util.h"

const struct rec_keep rec_sub_keep[] = {
	/* identities: what a row is about, not how much */
	{ "net_key", "*", "identity of a packet's queue" },
	{ "blk_key", "*", "identity of a request class" },
	{ "host_exit_key", "*", "identity" }, { "host_io_key", "*", "identity" },
	{ "host_cnt_key", "*", "identity" }, { "host_inj_key", "*", "identity" },
	{ "net_report_dev", "netns", "identity" }, { "net_report_dev", "ifindex", "identity" },
	{ "net_report_dev", "dir", "identity" },
	{ "net_report_dev_q", "queue", "identity" }, { "blk_report_disk_q", "queue", "identity" },
	{ "blk_report_disk", "dev", "identity" }, { "ex_irq_row", "irq", "identity" },
	{ "exits_report_msr", "msr", "identity" }, { "host_proc", "pid", "identity" },
	{ "host_inj_row", "pid", "identity: the VM's process" },
	{ "top_sig", "sig", "identity of a path signature" },
	{ "net_sig_val", "len", "the signature's path length, not a count" },
	{ "net_sig_val", "ids", "the signature's point ids, not counts" },
	/* array lengths and arrays matched by key: done by the section code below */
	{ "net_report", "ndev", "row count" }, { "net_report_dev", "nq", "row count" },
	{ "net_report_dev", "q", "rows matched by queue" }, { "net_report_dev", "ntop", "row count" },
	{ "net_report_dev", "top", "rows matched by signature, then sorted again" },
	{ "net_report_dev", "nsigs", "distinct signatures: not additive (see sigs_sub)" },
	{ "blk_report_class", "ntop", "row count" },
	{ "blk_report_class", "top", "rows matched by signature, then sorted again" },
	{ "blk_report_class", "nsigs", "distinct signatures: not additive (see sigs_sub)" },
	{ "blk_report_disk", "nq", "row count" }, { "blk_report_disk", "q", "rows matched by queue" },
	{ "blk_report", "ncls", "row count" }, { "blk_report", "ndisk", "row count" },
	{ "exits_report", "nirq", "row count" }, { "exits_report", "narch", "row count" },
	{ "exits_report", "nmsr", "row count" }, { "exits_report", "msr", "rows matched by MSR" },
	{ "host_report", "nexit", "row count" }, { "host_report", "nio", "row count" },
	{ "host_report", "ncnt", "row count" }, { "host_report", "nproc", "row count" },
	{ "host_report", "ninj", "row count" },
	{ "net_report", "nsamples", "the phase's samples are the ones received after the opening snapshot" },
	{ "net_report", "samples", "the phase's samples are the ones received after the opening snapshot" },
	/* gauges: a state at the closing snapshot, not an amount over time */
	{ "net_report", "in_flight", "gauge: packets in flight when the phase ended" },
	{ "blk_report", "in_flight", "gauge: requests in flight when the phase ended" },
	/* the kernel's own counters: the phase starts at the opening snapshot's reading (section code) */
	{ "exits_report", "soft_before", "the opening snapshot's soft_after" },
	{ "exits_report", "steal_before", "the opening snapshot's steal_after" },
	{ "exits_report", "soft_after", "a reading of /proc/softirqs, not a count over the phase" },
	{ "exits_report", "steal_after", "a reading of /proc/stat, not a count over the phase" },
	/* configuration of the machine or the run */
	{ "exits_report", "ncpu", "configuration" }, { "exits_report", "hz", "configuration" },
	{ "ex_irq_row", "queue", "configuration: the queue the line serves" },
	{ "host_report", "ioeventfd_probe", "configuration: whether a probe attached" },
	{ "host_report", "irqfd_probe", "configuration: whether a probe attached" },
	{ "host_report", "guest_packets", "--guest-packets counts the whole run: 0 (unknown) in a phase" },
	{ "host_proc", "ntaps", "configuration: the VM's tap interfaces" },
	/* maxima and masks: they cannot be taken apart; the closing value bounds the phase's */
	{ "host_exit_val", "max_ns", "maximum of the run so far: an upper bound for the phase" },
	{ "host_io_val", "values", "bit mask of values seen so far (OR), not a count" },
	{ "host_inj_val", "route", "the route when last signalled" },
	{ "host_inj_val", "msi_data", "the route when last signalled" },
	{ "host_inj_val", "msi_addr", "the route when last signalled" },
	{ "host_inj_val", "tgid", "who signalled last" },
	{ "host_inj_val", "kick_addr", "where the queue is kicked, learnt once" },
	{ "host_inj_val", "kick_data", "where the queue is kicked, learnt once" },
	{ "host_inj_val", "kick_bus", "where the queue is kicked, learnt once" },
	{ "host_inj_val", "kick_wildcard", "where the queue is kicked, learnt once" },
};
const unsigned rec_sub_nkeep = NELEM(rec_sub_keep);

static bool kept(const char *type, const char *field)
{
	for (unsigned i = 0; i < rec_sub_nkeep; i++)
		if (!strcmp(rec_sub_keep[i].type, type) &&
		    (!strcmp(rec_sub_keep[i].field, "*") || !strcmp(rec_sub_keep[i].field, field)))
			return true;
	return false;
}

static unsigned long long get_u(const void *p, unsigned size)
{
	switch (size) {
	case 1: return *(const unsigned char *)p;
	case 2: return *(const unsigned short *)p;
	case 4: return *(const unsigned *)p;
	default: return *(const unsigned long long *)p;
	}
}

static void put_u(void *p, unsigned size, unsigned long long v)
{
	switch (size) {
	case 1: *(unsigned char *)p = v; break;
	case 2: *(unsigned short *)p = v; break;
	case 4: *(unsigned *)p = v; break;
	default: *(unsigned long long *)p = v; break;
	}
}

static long long get_s(const void *p, unsigned size)
{
	switch (size) {
	case 1: return *(const signed char *)p;
	case 2: return *(const short *)p;
	case 4: return *(const int *)p;
	default: return *(const long long *)p;
	}
}

static void sub_rec(const struct rec_type *t, void *d, const void *o);

/* d -= o for one field (all its elements). An unsigned count that went down (a row of an LRU map
 * evicted and made again) gives 0, not a wrapped huge number. */
static void sub_field(const struct rec_field *f, char *d, const char *o)
{
	unsigned n = (f->dims[0] ? f->dims[0] : 1) * (f->dims[1] ? f->dims[1] : 1);

	for (unsigned i = 0; i < n; i++) {
		char *dp = d + f->off + (size_t)i * f->size;
		const char *op = o + f->off + (size_t)i * f->size;

		switch (f->kind) {
		case RK_UINT: {
			unsigned long long a = get_u(dp, f->size), b = get_u(op, f->size);

			put_u(dp, f->size, a > b ? a - b : 0);
			break;
		}
		case RK_SINT:
			put_u(dp, f->size, (unsigned long long)(get_s(dp, f->size) - get_s(op, f->size)));
			break;
		case RK_FLOAT: *(double *)dp -= *(const double *)op; break;
		case RK_REC: sub_rec(f->rec, dp, op); break;
		default: break;   /* strings, members not recorded, padding */
		}
	}
}

/* d -= o over every field of t the keep table does not name. */
static void sub_rec(const struct rec_type *t, void *d, const void *o)
{
	for (unsigned i = 0; i < t->nfields; i++)
		if (!kept(t->name, t->fields[i].name))
			sub_field(&t->fields[i], d, o);
}

/* Whether every number of p the subtraction touches is 0 (RK_REC: recursively). */
static bool rec_zero(const struct rec_type *t, const void *p)
{
	for (unsigned i = 0; i < t->nfields; i++) {
		const struct rec_field *f = &t->fields[i];
		unsigned n = (f->dims[0] ? f->dims[0] : 1) * (f->dims[1] ? f->dims[1] : 1);

		if (kept(t->name, f->name))
			continue;
		for (unsigned k = 0; k < n; k++) {
			const char *e = (const char *)p + f->off + (size_t)k * f->size;

			if (((f->kind == RK_UINT || f->kind == RK_SINT) && get_u(e, f->size)) ||
			    (f->kind == RK_FLOAT && *(const double *)e != 0) ||
			    (f->kind == RK_REC && !rec_zero(f->rec, e)))
				return false;
		}
	}
	return true;
}

/* Drops the rows of rows[0..*n) that the phase left at 0 everywhere (a device or class busy in
 * another phase only): a phase's report lists what happened in it. */
static void drop_zero(const struct rec_type *t, void *rows, int *n)
{
	int k = 0;

	for (int i = 0; i < *n; i++) {
		char *r = (char *)rows + (size_t)i * t->size;

		if (rec_zero(t, r))
			continue;
		if (k != i)
			memcpy((char *)rows + (size_t)k * t->size, r, t->size);
		k++;
	}
	*n = k;
}

static const struct rec_field *field_of(const struct rec_type *t, const char *name)
{
	for (unsigned i = 0; i < t->nfields; i++)
		if (!strcmp(t->fields[i].name, name))
			return &t->fields[i];
	return NULL;
}

/* Rows d[0..dn) minus their match in o[0..on) (same key by same()); a row without one is new in
 * the phase and stays whole. */
static void sub_rows(const struct rec_type *t, void *d, int dn, const void *o, int on, size_t stride,
		     bool (*same)(const void *, const void *))
{
	for (int i = 0; i < dn; i++) {
		char *dr = (char *)d + (size_t)i * stride;

		for (int j = 0; j < on; j++) {
			const char *orow = (const char *)o + (size_t)j * stride;

			if (same(dr, orow)) {
				sub_rec(t, dr, orow);
				break;
			}
		}
	}
}

static bool same_u32(const void *a, const void *b) { return *(const unsigned *)a == *(const unsigned *)b; }
static bool same_str16(const void *a, const void *b) { return !strncmp(a, b, 16); }
static bool same_netdev(const void *a, const void *b)
{
	const struct net_report_dev *x = a, *y = b;

	return x->netns == y->netns && x->ifindex == y->ifindex && x->dir == y->dir;
}
static bool same_blkcls(const void *a, const void *b)
{
	const struct blk_report_class *x = a, *y = b;

	return x->k.dev == y->k.dev && x->k.op == y->k.op && x->k.size_class == y->k.size_class;
}
static bool same_hexit(const void *a, const void *b)
{
	const struct host_exit_key *x = a, *y = b;

	return x->pid == y->pid && x->vcpu == y->vcpu && x->reason == y->reason && x->isa == y->isa;
}
static bool same_hio(const void *a, const void *b)
{
	const struct host_io_key *x = a, *y = b;

	return x->addr == y->addr && x->pid == y->pid && x->kind == y->kind && x->write == y->write &&
	       x->len == y->len;
}
static bool same_hcnt(const void *a, const void *b)
{
	const struct host_cnt_key *x = a, *y = b;

	return x->key == y->key && x->pid == y->pid && x->kind == y->kind;
}
static bool same_hinj(const void *a, const void *b)
{
	const struct host_inj_key *x = a, *y = b;

	return x->kvm == y->kvm && x->gsi == y->gsi && x->src_kind == y->src_kind && x->src_id == y->src_id;
}

/* An in-struct array of rows (field name of t) matched by key. */
static void sub_array(const struct rec_type *t, const char *name, void *d, int dn, const void *o, int on,
		      bool (*same)(const void *, const void *))
{
	const struct rec_field *f = field_of(t, name);

	sub_rows(f->rec, (char *)d + f->off, dn, (const char *)o + f->off, on, f->size, same);
}

static int top_cmp(const void *a, const void *b)
{
	const struct top_sig *x = a, *y = b;

	return x->v.count < y->v.count ? 1 : x->v.count > y->v.count ? -1 : 0;
}

/* The top signatures of a phase: close's minus open's, those left with packets, most frequent
 * first. Exact when open's list held every signature it had seen (onsigs <= ontop): a signature
 * not in it had none yet. Otherwise one not in open's list keeps close's count, an upper bound
 * (it had at most open's smallest count then). Distinct signatures (nsigs) are not additive: the
 * ones left when both lists were complete, else close's (of the run so far: an upper bound). */
static void sigs_sub(struct top_sig *top, int *ntop, unsigned *nsigs, const struct top_sig *otop, int ontop,
		     unsigned onsigs)
{
	bool complete = *nsigs <= (unsigned)*ntop && onsigs <= (unsigned)ontop;
	int n = 0;

	for (int i = 0; i < *ntop; i++) {
		for (int j = 0; j < ontop; j++)
			if (top[i].sig == otop[j].sig) {
				sub_rec(field_of(&rt_net_report_dev, "top")->rec, &top[i], &otop[j]);
				break;
			}
		if (top[i].v.count)
			top[n++] = top[i];
	}
	memset(top + n, 0, (*ntop - n) * sizeof(*top));
	qsort(top, n, sizeof(*top), top_cmp);
	*ntop = n;
	if (complete)
		*nsigs = n;
}

static int net_sub(struct net_report *out, const struct net_report *c, const struct net_report *o)
{
	*out = *c;
	out->dev = malloc((c->ndev ? c->ndev : 1) * sizeof(*out->dev));
	if (!out->dev)
		return -ENOMEM;
	memcpy(out->dev, c->dev, c->ndev * sizeof(*out->dev));
	sub_rec(&rt_net_report, out, o);
	out->counter = out->counter_name[0] ? out->counter_name : NULL;
	/* samples are kept in the order they came: the phase's are the ones after open's */
	out->nsamples = 0;
	for (int i = o->nsamples; i < c->nsamples; i++)
		out->samples[out->nsamples++] = c->samples[i];
	memset(out->samples + out->nsamples, 0, (NETR_SAMPLES - out->nsamples) * sizeof(out->samples[0]));
	for (int i = 0; i < out->ndev; i++) {
		struct net_report_dev *d = &out->dev[i];

		for (int j = 0; j < o->ndev; j++) {
			const struct net_report_dev *od = &o->dev[j];

			if (!same_netdev(d, od))
				continue;
			sub_rec(&rt_net_report_dev, d, od);
			sub_array(&rt_net_report_dev, "q", d, d->nq, od, od->nq, same_u32);
			sigs_sub(d->top, &d->ntop, &d->nsigs, od->top, od->ntop, od->nsigs);
			break;
		}
	}
	drop_zero(&rt_net_report_dev, out->dev, &out->ndev);
	return 0;
}

static int blk_sub(struct blk_report *out, const struct blk_report *c, const struct blk_report *o)
{
	*out = *c;
	out->cls = malloc((c->ncls ? c->ncls : 1) * sizeof(*out->cls));
	out->disk = malloc((c->ndisk ? c->ndisk : 1) * sizeof(*out->disk));
	if (!out->cls || !out->disk)
		return -ENOMEM;
	memcpy(out->cls, c->cls, c->ncls * sizeof(*out->cls));
	memcpy(out->disk, c->disk, c->ndisk * sizeof(*out->disk));
	sub_rec(&rt_blk_report, out, o);
	for (int i = 0; i < out->ncls; i++) {
		struct blk_report_class *d = &out->cls[i];

		for (int j = 0; j < o->ncls; j++)
			if (same_blkcls(d, &o->cls[j])) {
				sub_rec(&rt_blk_report_class, d, &o->cls[j]);
				sigs_sub(d->top, &d->ntop, &d->nsigs, o->cls[j].top, o->cls[j].ntop, o->cls[j].nsigs);
				break;
			}
	}
	for (int i = 0; i < out->ndisk; i++) {
		struct blk_report_disk *d = &out->disk[i];

		for (int j = 0; j < o->ndisk; j++)
			if (d->dev == o->disk[j].dev) {
				sub_rec(&rt_blk_report_disk, d, &o->disk[j]);
				sub_array(&rt_blk_report_disk, "q", d, d->nq, &o->disk[j], o->disk[j].nq, same_u32);
				break;
			}
	}
	drop_zero(&rt_blk_report_class, out->cls, &out->ncls);
	/* A disk row whose own counts are all 0 in the phase (no interrupt, no per-queue row: a loop
	 * device) is still the phase's when its classes served requests in it: kept (seen: dom0's
	 * loop device behind a vbd vanished from every phase while its classes held the requests). */
	{
		int k = 0;

		for (int i = 0; i < out->ndisk; i++) {
			bool busy = false;

			for (int j = 0; j < out->ncls && !busy; j++)
				busy = out->cls[j].k.dev == out->disk[i].dev && out->cls[j].a.requests;
			if (!busy && rec_zero(&rt_blk_report_disk, &out->disk[i]))
				continue;
			if (k != i)
				out->disk[k] = out->disk[i];
			k++;
		}
		out->ndisk = k;
	}
	return 0;
}

static int exits_sub(struct exits_report *out, const struct exits_report *c, const struct exits_report *o)
{
	*out = *c;
	/* the live /proc/interrupts tables are not recorded (the rows hold their deltas) */
	memset(&out->before, 0, sizeof(out->before));
	memset(&out->after, 0, sizeof(out->after));
	out->irqs = malloc((c->nirq ? c->nirq : 1) * sizeof(*out->irqs));
	out->arch = malloc((c->narch ? c->narch : 1) * sizeof(*out->arch));
	if (!out->irqs || !out->arch)
		return -ENOMEM;
	memcpy(out->irqs, c->irqs, c->nirq * sizeof(*out->irqs));
	memcpy(out->arch, c->arch, c->narch * sizeof(*out->arch));
	sub_rec(&rt_exits_report, out, o);
	sub_array(&rt_exits_report, "msr", out, out->nmsr, o, o->nmsr, same_u32);
	memcpy(out->soft_before, o->soft_after, sizeof(out->soft_before));
	memcpy(out->steal_before, o->steal_after, sizeof(out->steal_before));
	sub_rows(&rt_ex_irq_row, out->irqs, out->nirq, o->irqs, o->nirq, sizeof(*out->irqs), same_u32);
	sub_rows(&rt_ex_arch_row, out->arch, out->narch, o->arch, o->narch, sizeof(*out->arch), same_str16);
	drop_zero(&rt_ex_irq_row, out->irqs, &out->nirq);
	drop_zero(&rt_ex_arch_row, out->arch, &out->narch);
	return 0;
}

/* A copy of n rows of size sz (at least one, so that no array is NULL), or NULL. */
static void *dup_rows(const void *p, int n, size_t sz)
{
	void *q = malloc((n ? n : 1) * sz);

	if (q && n)
		memcpy(q, p, n * sz);
	return q;
}

static int host_sub(struct host_report *out, const struct host_report *c, const struct host_report *o)
{
	*out = *c;
	out->exit = dup_rows(c->exit, c->nexit, sizeof(*c->exit));
	out->io = dup_rows(c->io, c->nio, sizeof(*c->io));
	out->cnt = dup_rows(c->cnt, c->ncnt, sizeof(*c->cnt));
	out->proc = dup_rows(c->proc, c->nproc, sizeof(*c->proc));
	out->inj = dup_rows(c->inj, c->ninj, sizeof(*c->inj));
	if (!out->exit || !out->io || !out->cnt || !out->proc || !out->inj)
		return -ENOMEM;
	sub_rec(&rt_host_report, out, o);
	out->guest_packets = 0;
	sub_rows(&rt_host_exit_row, out->exit, out->nexit, o->exit, o->nexit, sizeof(*out->exit), same_hexit);
	sub_rows(&rt_host_io_row, out->io, out->nio, o->io, o->nio, sizeof(*out->io), same_hio);
	sub_rows(&rt_host_cnt_row, out->cnt, out->ncnt, o->cnt, o->ncnt, sizeof(*out->cnt), same_hcnt);
	sub_rows(&rt_host_proc, out->proc, out->nproc, o->proc, o->nproc, sizeof(*out->proc), same_u32);
	sub_rows(&rt_host_inj_row, out->inj, out->ninj, o->inj, o->ninj, sizeof(*out->inj), same_hinj);
	drop_zero(&rt_host_exit_row, out->exit, &out->nexit);
	drop_zero(&rt_host_io_row, out->io, &out->nio);
	drop_zero(&rt_host_cnt_row, out->cnt, &out->ncnt);
	drop_zero(&rt_host_inj_row, out->inj, &out->ninj);
	return 0;
}

/* --- the probe points (hits) and the folded stacks --- */

static int points_sub(struct rec_data *out, const struct rec_data *c, const struct rec_data *o)
{
	out->own_pts = calloc(c->n ? c->n : 1, sizeof(*out->own_pts));
	out->pts = calloc(c->n ? c->n : 1, sizeof(*out->pts));
	if (!out->own_pts || !out->pts)
		return -ENOMEM;
	for (unsigned i = 0; i < c->n; i++) {
		const struct resolved *cr = &c->pts[i], *or = &o->pts[i];
		struct probe_point *p = &out->own_pts[i];
		struct resolved *r = &out->pts[i];

		*p = *cr->pt;
		*r = *cr;
		r->pt = p;
		out->n = i + 1;   /* counted at once: rec_data_free frees what is copied so far */
		p->profile = strdup(cr->pt->profile ? cr->pt->profile : "");
		p->symbols = strdup(cr->pt->symbols ? cr->pt->symbols : "");
		p->note = cr->pt->note ? strdup(cr->pt->note) : NULL;
		if (!p->profile || !p->symbols || (cr->pt->note && !p->note))
			return -ENOMEM;
		r->hits = cr->hits > or->hits ? cr->hits - or->hits : 0;
		for (unsigned q = 0; q < r->nq && q < NELEM(r->q); q++)
			for (unsigned k = 0; k < or->nq && k < NELEM(or->q); k++)
				if (or->q[k].queue == r->q[q].queue) {
					r->q[q].hits = r->q[q].hits > or->q[k].hits ? r->q[q].hits - or->q[k].hits : 0;
					break;
				}
	}
	return 0;
}

struct fold_line {
	const char *s;
	size_t len;          /* of the stack, without " COUNT" */
	unsigned long long count;
};

static int fold_cmp(const void *a, const void *b)
{
	const struct fold_line *x = a, *y = b;
	int c = memcmp(x->s, y->s, x->len < y->len ? x->len : y->len);

	return c ? c : x->len < y->len ? -1 : x->len > y->len;
}

/* The lines "STACK COUNT" of folded text; n lines, NULL for none or no memory (*n -1). */
static struct fold_line *fold_parse(const char *t, size_t len, long *n)
{
	struct fold_line *l = NULL;
	long cap = 0;

	*n = 0;
	for (const char *p = t, *end = t + len; t && p < end; ) {
		const char *nl = memchr(p, '\n', end - p), *e = nl ? nl : end, *sp = e;

		while (sp > p && sp[-1] != ' ')
			sp--;
		if (sp > p) {
			if (*n == cap) {
				struct fold_line *m = realloc(l, (cap = cap ? cap * 2 : 64) * sizeof(*l));

				if (!m) {
					free(l);
					*n = -1;
					return NULL;
				}
				l = m;
			}
			l[(*n)++] = (struct fold_line){ p, sp - 1 - p, strtoull(sp, NULL, 10) };
		}
		p = e + 1;
	}
	return l;
}

/* close's folded stacks with open's counts taken off; the lines left with hits. */
static int stacks_sub(struct rec_data *out, const struct rec_data *c, const struct rec_data *o)
{
	long nc, no;
	struct fold_line *lc = fold_parse(c->stacks, c->stacks_len, &nc);
	struct fold_line *lo = fold_parse(o->stacks, o->stacks_len, &no);
	size_t cap = c->stacks_len + 2, len = 0;   /* + a last line's newline, the NUL */
	int err = 0;

	out->stacks = malloc(cap);
	if (nc < 0 || no < 0 || !out->stacks) {
		err = -ENOMEM;
		goto out;
	}
	qsort(lo, no, sizeof(*lo), fold_cmp);
	out->nstacks = 0;
	for (long i = 0; i < nc; i++) {
		struct fold_line *m = no ? bsearch(&lc[i], lo, no, sizeof(*lo), fold_cmp) : NULL;
		unsigned long long left = m ? (lc[i].count > m->count ? lc[i].count - m->count : 0) : lc[i].count;

		if (!left)
			continue;
		/* a count never grows in digits by a subtraction: the line fits where close's did */
		len += snprintf(out->stacks + len, cap - len, "%.*s %llu\n", (int)lc[i].len, lc[i].s, left);
		out->nstacks++;
	}
	out->stacks[len] = 0;
	out->stacks_len = len;
out:
	free(lc);
	free(lo);
	return err;
}

int rec_data_sub(struct rec_data *out, const struct rec_data *c, const struct rec_data *o)
{
	int err = 0;

	memset(out, 0, sizeof(*out));
	if (c->n != o->n || c->has_net != o->has_net || c->has_blk != o->has_blk ||
	    c->has_exits != o->has_exits || c->has_host != o->has_host)
		return -EINVAL;
	/* META: close's, run-wide (version, kernel, options, probe set-up); the counts of it below */
	memcpy(out->version, c->version, sizeof(out->version));
	memcpy(out->kernel, c->kernel, sizeof(out->kernel));
	memcpy(out->platform, c->platform, sizeof(out->platform));
	memcpy(out->options, c->options, sizeof(out->options));
	memcpy(out->netns_names, c->netns_names, sizeof(out->netns_names));
	memcpy(out->environment, c->environment, sizeof(out->environment));
	out->start_unix = c->start_unix;
	out->end_unix = c->end_unix;
	out->has_net = c->has_net;
	out->has_blk = c->has_blk;
	out->has_exits = c->has_exits;
	out->has_deep = c->has_deep;
	out->has_host = c->has_host;
	out->load_ms = c->load_ms;          /* configuration: the set-up of the whole run */
	out->attach_ms = c->attach_ms;
	out->irqs_mapped = c->irqs_mapped;
	out->disk_irqs_mapped = c->disk_irqs_mapped;
	out->deep_found = c->deep_found;
	out->ndeep = c->ndeep;
	out->cmd_status = -1;
	/* --budget: the run's windows (a phase's counts cover the windows inside it, and the fraction
	 * of the whole run is the best estimate of the phase's: the windows do not follow phases) */
	out->budget_pct = c->budget_pct;
	out->budget_on_s = c->budget_on_s;
	out->budget_run_s = c->budget_run_s;
	out->budget_windows = c->budget_windows;
	out->budget_ns_per_hit = c->budget_ns_per_hit;
	out->budget_cost_pct = c->budget_cost_pct;
	out->budget_lost_points = c->budget_lost_points;
	out->self_ns_per_hit = c->self_ns_per_hit;   /* measured once, at the run's start */
	memcpy(out->self_cost_why, c->self_cost_why, sizeof(out->self_cost_why));
	out->recursion_misses = c->recursion_misses > o->recursion_misses ? c->recursion_misses - o->recursion_misses : 0;
	out->stacks_dropped = c->stacks_dropped > o->stacks_dropped ? c->stacks_dropped - o->stacks_dropped : 0;
	out->loaded = true;   /* owns what it holds: rec_data_free frees it */
	if ((err = points_sub(out, c, o)))
		goto fail;
	if (c->has_net && (err = net_sub(&out->own_net, c->net, o->net)))
		goto fail;
	if (c->has_blk && (err = blk_sub(&out->own_blk, c->blk, o->blk)))
		goto fail;
	if (c->has_exits && (err = exits_sub(&out->own_exits, c->exits, o->exits)))
		goto fail;
	if (c->has_host && (err = host_sub(&out->own_host, c->host, o->host)))
		goto fail;
	out->net = c->has_net ? &out->own_net : NULL;
	out->blk = c->has_blk ? &out->own_blk : NULL;
	out->exits = c->has_exits ? &out->own_exits : NULL;
	out->host = c->has_host ? &out->own_host : NULL;
	if (c->stacks && (err = stacks_sub(out, c, o)))
		goto fail;
	return 0;
fail:
	rec_data_free(out);
	return err;
}
