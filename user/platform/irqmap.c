/* IRQ lines -> device and queue (devices_impl.h map_irqs), in passes:
 *   1. names, msi_irqs and per-device MSI chip names (pass_names);
 *   2. a bare "<netdev>" line: queue vector or link/mailbox (pass_bare);
 *   3. gve notify blocks: first half TX, the rest RX (pass_gve);
 *   4. netfront lines named after a netdev since renamed (pass_netfront);
 *   5. blkfront "blkif" rings, by order (pass_blkif);
 * then each device's list of IRQs (pass_irq_lists). */
#include "platform/devices_impl.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "platform/sysfs.h"

enum dref_type { DREF_NONE, DREF_NIC, DREF_BLK, DREF_NAME };

struct dref {
	enum dref_type type;
	int idx;
	char name[DEV_NAME_MAX];	/* DREF_NAME: "virtio0", "nvme0" */
};

enum hint_by {
	HB_NONE,
	HB_DEV,		/* resolved to a device */
	HB_BARE,	/* action == netdev name: role depends on the driver */
	HB_BLKIF,	/* xen-blkfront, resolved by order */
	HB_NETFRONT,	/* "<old name>-qN-tx": netfront under a stale name */
	HB_GVE,		/* gve notify block N, direction by count */
};

struct hint {
	enum hint_by by;
	struct dref dev;
	int queue;
	enum irq_kind kind;
	char key[IRQ_ACTION_MAX];	/* HB_NETFRONT prefix, HB_GVE bdf */
	int num;			/* HB_GVE block number */
};

/* Per-line msi ownership found from sysfs */
struct owner {
	int irq;
	struct dref dev;
};

/* What the passes share: the devices, one hint per irq line, and the
 * msi_irqs owners. */
struct irqmap {
	struct devices *d;
	struct irq_table *t;
	struct hint *hints;
	struct owner *own;
	int nown;
};

#define MAX_BY_ORDER 16		/* netfront names / vif NICs matched by order */
#define MAX_VBDS 64

static void dref_nic(struct dref *r, int i)
{
	r->type = DREF_NIC;
	r->idx = i;
}

static void dref_blk(struct dref *r, int i)
{
	r->type = DREF_BLK;
	r->idx = i;
}

static void dref_named(struct dref *r, const char *name)
{
	r->type = DREF_NAME;
	str_copy(r->name, sizeof(r->name), name);
}

static bool dref_eq(const struct dref *a, const struct dref *b)
{
	if (a->type != b->type)
		return false;
	if (a->type == DREF_NAME)
		return !strcmp(a->name, b->name);
	return a->type == DREF_NONE || a->idx == b->idx;
}

static const char *dref_name(const struct devices *d, const struct dref *r)
{
	switch (r->type) {
	case DREF_NIC: return d->nics[r->idx].name;
	case DREF_BLK: return d->blks[r->idx].name;
	case DREF_NAME: return r->name;
	case DREF_NONE: break;
	}
	return "";
}

/* Physical NIC called name, or -1 */
static int nic_index(const struct devices *d, const char *name)
{
	for (int i = 0; i < d->nnics; i++)
		if (!d->nics[i].is_virtual && !strcmp(d->nics[i].name, name))
			return i;
	return -1;
}

static void resolve_virtio(const struct devices *d, const char *vid,
			   struct dref *r)
{
	for (int i = 0; i < d->nnics; i++)
		if (!strcmp(d->nics[i].parent, vid)) {
			dref_nic(r, i);
			return;
		}
	for (int i = 0; i < d->nblks; i++)
		if (!strcmp(d->blks[i].parent, vid)) {
			dref_blk(r, i);
			return;
		}
	/* balloon, vsock, rng...: still say whose it is */
	dref_named(r, vid);
}

static void resolve_nvme(const struct devices *d, const char *ctrl,
			 struct dref *r)
{
	int found = -1, count = 0;

	for (int i = 0; i < d->nblks; i++)
		if (!strcmp(d->blks[i].nvme_ctrl, ctrl)) {
			if (found < 0)
				found = i;
			count++;
		}
	if (count == 1) {
		dref_blk(r, found);
		return;
	}
	/* Namespaces share the controller's queues: name the controller. */
	dref_named(r, ctrl);
}

static bool resolve_pci(const struct devices *d, const char *bdf,
			struct dref *r)
{
	for (int i = 0; i < d->nnics; i++)
		if (!strcmp(d->nics[i].pci_addr, bdf)) {
			dref_nic(r, i);
			return true;
		}
	for (int i = 0; i < d->nblks; i++)
		if (!strcmp(d->blks[i].pci_addr, bdf)) {
			dref_blk(r, i);
			return true;
		}
	return false;
}

/* A disk of an nvme controller stands for the controller (its namespaces
 * share the queues). */
static void nvme_as_ctrl(const struct devices *d, struct dref *r)
{
	if (r->type == DREF_BLK && d->blks[r->idx].nvme_ctrl[0])
		resolve_nvme(d, d->blks[r->idx].nvme_ctrl, r);
}

/* NIC whose device link is <prefix><id> ("vif-" "0"), or -1 */
static int nic_by_parent(const struct devices *d, const char *prefix,
			 const char *id)
{
	size_t pl = strlen(prefix);

	for (int i = 0; i < d->nnics; i++)
		if (!strncmp(d->nics[i].parent, prefix, pl) &&
		    !strcmp(d->nics[i].parent + pl, id))
			return i;
	return -1;
}

/* A netdev-named action (o) -> hint.  xen_chip: the line is an event
 * channel (only then may a bare "eth0" be a renamed netfront). */
static bool classify_netdev(const struct devices *d,
			    const struct irq_name_info *o, bool xen_chip,
			    struct hint *h)
{
	int idx = nic_index(d, o->owner);

	/* netfront "vif<devid>-qN": the xenbus device vif-<devid> */
	if (idx < 0 && o->netfront && !strncmp(o->owner, "vif", 3) &&
	    str_all_digits(o->owner + 3))
		idx = nic_by_parent(d, "vif-", o->owner + 3);
	/* "iavf-<netdev>-TxRx-N": the driver prefixes its name */
	if (idx < 0 && !o->bare && strchr(o->owner, '-'))
		idx = nic_index(d, strchr(o->owner, '-') + 1);
	if (idx < 0) {
		/* netfront single channel, named eth<N> before udev renamed
		 * it: left for the by-order pass */
		if (o->bare && xen_chip && !strncmp(o->owner, "eth", 3) &&
		    str_all_digits(o->owner + 3)) {
			h->kind = IRQ_KIND_RXTX;
			h->queue = 0;
		} else if (!o->netfront) {
			return false;
		}
		h->by = HB_NETFRONT;
		str_copy(h->key, sizeof(h->key), o->owner);
		return true;
	}
	dref_nic(&h->dev, idx);
	if (o->ntfy_block >= 0) {
		h->by = HB_GVE;
		h->num = o->ntfy_block;
		str_copy(h->key, sizeof(h->key), d->nics[idx].pci_addr);
	} else {
		h->by = o->bare ? HB_BARE : HB_DEV;
	}
	return true;
}

/* Action name -> hint, using this system's devices. */
static bool classify_action(const struct devices *d, const char *a,
			    bool xen_chip, struct hint *h)
{
	struct irq_name_info o;

	memset(h, 0, sizeof(*h));
	h->queue = -1;
	if (irq_name_parse(a, &o))
		return false;
	h->queue = o.queue;
	h->kind = o.kind;
	switch (o.type) {
	case IRQ_OWNER_BLKIF:
		h->by = HB_BLKIF;
		return true;
	case IRQ_OWNER_VIRTIO:
		h->by = HB_DEV;
		resolve_virtio(d, o.owner, &h->dev);
		return true;
	case IRQ_OWNER_NVME:
		h->by = HB_DEV;
		resolve_nvme(d, o.owner, &h->dev);
		return true;
	case IRQ_OWNER_PCI:
		if (o.ntfy_block >= 0) {
			h->by = HB_GVE;
			h->num = o.ntfy_block;
			str_copy(h->key, sizeof(h->key), o.owner);
			return true;
		}
		if (!resolve_pci(d, o.owner, &h->dev)) {
			if (h->kind == IRQ_KIND_OTHER)
				return false;	/* "ahci[...]" of no disk here */
			dref_named(&h->dev, o.owner);
		}
		h->by = HB_DEV;
		return true;
	case IRQ_OWNER_NETDEV:
		return classify_netdev(d, &o, xen_chip, h);
	case IRQ_OWNER_NONE:
		break;
	}
	return false;
}

static bool is_queue_kind(enum irq_kind k)
{
	return k == IRQ_KIND_RX || k == IRQ_KIND_TX || k == IRQ_KIND_RXTX;
}

/* Queue vectors beat admin/other ones when several actions share a line
 * ("nvme0q0, nvme0q1" with one MSI vector). */
static int hint_rank(const struct hint *h)
{
	if (is_queue_kind(h->kind))
		return 3;
	if (h->kind == IRQ_KIND_CONFIG || h->kind == IRQ_KIND_ADMIN)
		return 2;
	return h->by == HB_NONE ? 0 : 1;
}

/* Bus address in a per-device MSI chip name: "PCI-MSIX-0000:00:03.0",
 * "IR-PCI-MSI-0000:00:19.0" (6.x per-device MSI domains). */
static const char *chip_bdf(const char *chip)
{
	const char *p = strstr(chip, "PCI-MSI");

	if (!p)
		return NULL;
	p += 7;
	if (*p == 'X')
		p++;
	if (*p != '-' || !isxdigit((unsigned char)p[1]))
		return NULL;
	return p + 1;
}

/* Adds irq to the ascending set v[0..n). */
static int add_irq(int **v, int *n, int irq)
{
	int *nv, at = 0;

	while (at < *n && (*v)[at] < irq)
		at++;
	if (at < *n && (*v)[at] == irq)
		return 0;
	nv = realloc(*v, (*n + 1) * sizeof(int));
	if (!nv)
		return -ENOMEM;
	memmove(nv + at + 1, nv + at, (*n - at) * sizeof(int));
	nv[at] = irq;
	(*n)++;
	*v = nv;
	return 0;
}

static void set_line(const struct devices *d, struct irq_line *l,
		     const struct dref *r, int queue, enum irq_kind kind,
		     bool guessed)
{
	str_copy(l->device, sizeof(l->device), dref_name(d, r));
	l->queue = queue;
	l->kind = kind;
	l->guessed = guessed;
}

/* Owner of an irq according to msi_irqs/ of the devices' PCI functions */
static struct dref *msi_owner(struct owner *o, int no, int irq)
{
	for (int i = 0; i < no; i++)
		if (o[i].irq == irq)
			return &o[i].dev;
	return NULL;
}

static int collect_msi(struct irqmap *m)
{
	const struct devices *d = m->d;

	for (int k = 0; k < d->nnics + d->nblks; k++) {
		struct dref r = { 0 };
		const int *irqs;
		int n;

		if (k < d->nnics) {
			irqs = d->nics[k].msi_irqs;
			n = d->nics[k].nmsi;
			dref_nic(&r, k);
		} else {
			irqs = d->blks[k - d->nnics].msi_irqs;
			n = d->blks[k - d->nnics].nmsi;
			dref_blk(&r, k - d->nnics);
			nvme_as_ctrl(d, &r);
		}
		for (int i = 0; i < n; i++) {
			struct owner *no;

			/* First claimant wins: namespaces of one controller
			 * (and disks behind one HBA) share a function. */
			if (msi_owner(m->own, m->nown, irqs[i]))
				continue;
			no = realloc(m->own, (m->nown + 1) * sizeof(*no));
			if (!no)
				return -ENOMEM;
			m->own = no;
			no[m->nown].irq = irqs[i];
			no[m->nown].dev = r;
			m->nown++;
		}
	}
	return 0;
}

/* The best hint of a line's actions, in *best. */
static void best_hint(const struct devices *d, const struct irq_line *l,
		      struct hint *best)
{
	bool xen_chip = !strncmp(l->chip, "xen-dyn", 7);
	struct hint h;

	for (int a = 0; a < l->nactions; a++)
		if (classify_action(d, l->action[a], xen_chip, &h) &&
		    hint_rank(&h) > hint_rank(best))
			*best = h;
}

/* The device sysfs says owns a line: msi_irqs, else the per-device MSI
 * chip name (kept in *chip_owner); NULL when neither says. */
static struct dref *line_owner(const struct irqmap *m,
			       const struct irq_line *l,
			       struct dref *chip_owner)
{
	struct dref *owner = msi_owner(m->own, m->nown, l->irq);
	const char *bdf;

	if (!owner && (bdf = chip_bdf(l->chip)) &&
	    resolve_pci(m->d, bdf, chip_owner)) {
		nvme_as_ctrl(m->d, chip_owner);
		owner = chip_owner;
	}
	return owner;
}

/* Pass 1: names, msi_irqs and per-device MSI chip names. */
static void pass_names(struct irqmap *m)
{
	struct devices *d = m->d;

	for (int i = 0; i < m->t->n; i++) {
		struct irq_line *l = &m->t->lines[i];
		struct hint *best = &m->hints[i];
		struct dref chip_owner = { 0 }, *owner;

		if (l->irq < 0)
			continue;
		best_hint(d, l, best);
		owner = line_owner(m, l, &chip_owner);

		if (best->by == HB_DEV && best->dev.type != DREF_NONE) {
			if (owner && !dref_eq(owner, &best->dev) &&
			    best->dev.type != DREF_NAME) {
				/* msi_irqs is the kernel's own record; the
				 * name may be stale after a rename. */
				devices_note(d, "irq %d: name '%s' suggests %s but msi_irqs says %s",
					     l->irq, l->action[0],
					     dref_name(d, &best->dev),
					     dref_name(d, owner));
				set_line(d, l, owner, -1, IRQ_KIND_OTHER, false);
			} else {
				set_line(d, l, owner && best->dev.type == DREF_NAME ?
					 owner : &best->dev, best->queue,
					 best->kind, false);
			}
			best->by = HB_NONE;
		} else if (best->by == HB_BARE) {
			set_line(d, l, &best->dev, -1, IRQ_KIND_RXTX, false);
		} else if (best->by == HB_NONE && owner) {
			set_line(d, l, owner, -1, IRQ_KIND_OTHER, false);
		}
	}
}

/* Pass 2: a bare "<netdev>" line is netfront's single event channel
 * (queue 0), e1000e/ixgbevf's link/mailbox vector when the device also
 * has queue vectors, else the device's only vector. */
static void pass_bare(struct irqmap *m)
{
	const struct irq_table *t = m->t;

	for (int i = 0; i < t->n; i++) {
		struct irq_line *l = &t->lines[i];
		const struct nic *n;
		bool has_queues = false;

		if (m->hints[i].by != HB_BARE)
			continue;
		n = &m->d->nics[m->hints[i].dev.idx];
		if (!strcmp(n->driver, "vif")) {
			l->kind = IRQ_KIND_RXTX;
			l->queue = 0;
			continue;
		}
		for (int j = 0; j < t->n; j++)
			if (j != i && !strcmp(t->lines[j].device, n->name) &&
			    is_queue_kind(t->lines[j].kind) &&
			    t->lines[j].queue >= 0)
				has_queues = true;
		l->kind = has_queues ? IRQ_KIND_ADMIN : IRQ_KIND_RXTX;
	}
}

/* Pass 3: gve notify blocks: the first half are TX, the rest RX. */
static void pass_gve(struct irqmap *m)
{
	const struct hint *hints = m->hints;

	for (int i = 0; i < m->t->n; i++) {
		struct irq_line *l = &m->t->lines[i];
		struct dref r = { 0 };
		int total = 0;

		if (hints[i].by != HB_GVE)
			continue;
		for (int j = 0; j < m->t->n; j++)
			if (hints[j].by == HB_GVE &&
			    !strcmp(hints[j].key, hints[i].key))
				total++;
		if (!resolve_pci(m->d, hints[i].key, &r) && hints[i].dev.type)
			r = hints[i].dev;
		if (r.type == DREF_NONE)
			dref_named(&r, hints[i].key);
		if (hints[i].num < total / 2)
			set_line(m->d, l, &r, hints[i].num, IRQ_KIND_TX, false);
		else
			set_line(m->d, l, &r, hints[i].num - total / 2,
				 IRQ_KIND_RX, false);
	}
}

/* Number in a parent name: "vif-10" -> 10, "vbd-51712" -> 51712. */
static long parent_num(const char *parent)
{
	return atol(parent + strcspn(parent, "0123456789"));
}

/* Orders idx[] (NICs, or disks when blk) by their parent's number:
 * vif-<N> / vbd-<N> order is probe order. */
static void order_by_parent(const struct devices *d, int *idx, int n,
			    bool blk)
{
	for (int a = 0; a < n; a++)
		for (int b = a + 1; b < n; b++) {
			long na = parent_num(blk ? d->blks[idx[a]].parent :
					     d->nics[idx[a]].parent);
			long nb = parent_num(blk ? d->blks[idx[b]].parent :
					     d->nics[idx[b]].parent);

			if (nb < na) {
				int tmp = idx[a];

				idx[a] = idx[b];
				idx[b] = tmp;
			}
		}
}

/* Distinct HB_NETFRONT names, in irq order. */
static int netfront_names(const struct irqmap *m,
			  char names[][IRQ_ACTION_MAX], int max)
{
	int np = 0;

	for (int i = 0; i < m->t->n && np < max; i++) {
		bool seen = false;

		if (m->hints[i].by != HB_NETFRONT)
			continue;
		for (int k = 0; k < np; k++)
			if (!strcmp(names[k], m->hints[i].key))
				seen = true;
		if (!seen)
			str_copy(names[np++], IRQ_ACTION_MAX, m->hints[i].key);
	}
	return np;
}

/* vif NICs that no line was mapped to, in vif-<N> order. */
static int idle_vifs(const struct irqmap *m, int *vifs, int max)
{
	const struct devices *d = m->d;
	int nv = 0;

	for (int k = 0; k < d->nnics && nv < max; k++) {
		bool has = false;

		if (strcmp(d->nics[k].driver, "vif"))
			continue;
		for (int j = 0; j < m->t->n; j++)
			if (!strcmp(m->t->lines[j].device, d->nics[k].name))
				has = true;
		if (!has)
			vifs[nv++] = k;
	}
	order_by_parent(d, vifs, nv, false);
	return nv;
}

/* Pass 4: netfront irqs named after the netdev as it was when the backend
 * connected (single channel "eth0", or "eth0-q0-tx" on 3.16-3.18) that
 * udev renamed since: assign distinct stale names, in irq order, to vif
 * NICs without IRQs, in vif-<id> order (= probe order = eth<N> order). */
static void pass_netfront(struct irqmap *m)
{
	char names[MAX_BY_ORDER][IRQ_ACTION_MAX];
	int vifs[MAX_BY_ORDER], np, nv;

	np = netfront_names(m, names, MAX_BY_ORDER);
	if (!np)
		return;
	nv = idle_vifs(m, vifs, MAX_BY_ORDER);
	for (int k = 0; k < np; k++) {
		struct dref r = { 0 };

		if (k >= nv) {
			devices_note(m->d, "netfront irqs named '%s...' match no netdev",
				     names[k]);
			continue;
		}
		dref_nic(&r, vifs[k]);
		devices_note(m->d, "netfront irqs named '%s...' mapped to %s by order (renamed after connect)",
			     names[k], m->d->nics[vifs[k]].name);
		for (int i = 0; i < m->t->n; i++)
			if (m->hints[i].by == HB_NETFRONT &&
			    !strcmp(m->hints[i].key, names[k]))
				set_line(m->d, &m->t->lines[i], &r,
					 m->hints[i].queue, m->hints[i].kind,
					 true);
	}
}

static int vbd_queues(const struct blkdev *b)
{
	return b->hw_queues > 0 ? b->hw_queues : 1;
}

/* blkif lines dealt to the vbds in order: all rings of vbd[0], then of
 * vbd[1]... (a guess: the lines must add up to the vbds' queues). */
static void blkif_by_order(struct irqmap *m, const int *vbd)
{
	int k = 0, q = 0;

	for (int i = 0; i < m->t->n; i++) {
		struct dref r = { 0 };

		if (m->hints[i].by != HB_BLKIF)
			continue;
		dref_blk(&r, vbd[k]);
		set_line(m->d, &m->t->lines[i], &r, q, IRQ_KIND_RXTX, true);
		if (++q == vbd_queues(&m->d->blks[vbd[k]])) {
			q = 0;
			k++;
		}
	}
}

/* Pass 5: blkfront names every ring "blkif".  One vbd: all its rings, in
 * irq order (rings are bound in order).  Several vbds: only by order when
 * the counts add up, and say so. */
static void pass_blkif(struct irqmap *m)
{
	struct devices *d = m->d;
	int nblkif = 0, vbd[MAX_VBDS], nvbd = 0, sumq = 0;

	for (int i = 0; i < m->t->n; i++)
		if (m->hints[i].by == HB_BLKIF)
			nblkif++;
	if (!nblkif)
		return;
	for (int k = 0; k < d->nblks && nvbd < MAX_VBDS; k++)
		if (!strcmp(d->blks[k].driver, "vbd")) {
			vbd[nvbd++] = k;
			sumq += vbd_queues(&d->blks[k]);
		}
	order_by_parent(d, vbd, nvbd, true);
	if (nvbd == 1) {
		/* one vbd: its rings, however many lines there are */
		for (int i = 0, q = 0; i < m->t->n; i++) {
			struct dref r = { 0 };

			if (m->hints[i].by != HB_BLKIF)
				continue;
			dref_blk(&r, vbd[0]);
			set_line(d, &m->t->lines[i], &r, q++, IRQ_KIND_RXTX,
				 nblkif > 1);
		}
		if (nblkif > 1)
			devices_note(d, "blkif: %d rings of %s numbered in irq order",
				     nblkif, d->blks[vbd[0]].name);
	} else if (nvbd > 1 && sumq == nblkif) {
		blkif_by_order(m, vbd);
		devices_note(d, "blkif: %d lines for %d vbds assigned by order (vbd id, then ring): a guess",
			     nblkif, nvbd);
	} else {
		devices_note(d, "blkif: %d lines, %d vbds with %d queues: not mapped (ambiguous)",
			     nblkif, nvbd, sumq);
		for (int i = 0; i < m->t->n; i++)
			if (m->hints[i].by == HB_BLKIF)
				m->t->lines[i].kind = IRQ_KIND_RXTX;
	}
}

/* Each device's irqs[]: the lines mapped to it. */
static int pass_irq_lists(struct devices *d)
{
	int err = 0;

	for (int i = 0; i < d->irqs.n && !err; i++) {
		const struct irq_line *l = &d->irqs.lines[i];
		struct nic *n;
		struct blkdev *b;

		if (!l->device[0])
			continue;
		if ((n = devices_find_nic(d, l->device))) {
			err = add_irq(&n->irqs, &n->nirqs, l->irq);
			continue;
		}
		if ((b = devices_find_blk(d, l->device))) {
			err = add_irq(&b->irqs, &b->nirqs, l->irq);
			continue;
		}
		/* nvme controller with several namespaces: all of them */
		for (int k = 0; k < d->nblks && !err; k++)
			if (!strcmp(d->blks[k].nvme_ctrl, l->device))
				err = add_irq(&d->blks[k].irqs,
					      &d->blks[k].nirqs, l->irq);
	}
	return err;
}

int map_irqs(struct devices *d)
{
	struct irqmap m = { .d = d, .t = &d->irqs };
	int err;

	if (!m.t->n)
		return 0;
	err = collect_msi(&m);
	if (!err && !(m.hints = calloc(m.t->n, sizeof(*m.hints))))
		err = -ENOMEM;
	if (!err) {
		pass_names(&m);
		pass_bare(&m);
		pass_gve(&m);
		pass_netfront(&m);
		pass_blkif(&m);
		err = pass_irq_lists(d);
	}
	free(m.hints);
	free(m.own);
	return err;
}
