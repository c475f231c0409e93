#include "record/rolematch.h"

#include <stdlib.h>
#include <string.h>

static void pair_up(struct mkey *ka, int i, struct mkey *kb, int j, int how, struct mpair *out, int *np)
{
	if (i >= 0)
		ka[i].used = true;
	if (j >= 0)
		kb[j].used = true;
	out[(*np)++] = (struct mpair){ i, j, how };
}

static int busiest(const struct mkey *k, int n)
{
	int best = -1;

	for (int i = 0; i < n; i++)
		if (!k[i].used && (best < 0 || k[i].n > k[best].n))
			best = i;
	return best;
}

static int na_sort;

static int pair_cmp(const void *x, const void *y)
{
	const struct mpair *p = x, *q = y;
	int kp = p->a >= 0 ? p->a : na_sort + p->b, kq = q->a >= 0 ? q->a : na_sort + q->b;

	return kp - kq;
}

int role_match(struct mkey *ka, int na, struct mkey *kb, int nb, bool chosen, struct mpair *out)
{
	int np = 0, i, j;

	for (int pass = 0; pass < 2; pass++)
		for (i = 0; i < na; i++)
			for (j = 0; !ka[i].used && j < nb; j++)
				if (!kb[j].used && !strcmp(ka[i].name, kb[j].name) && (pass || ka[i].ns == kb[j].ns))
					pair_up(ka, i, kb, j, chosen ? BY_OPTION : BY_NAME, out, &np);
	while ((i = busiest(ka, na)) >= 0 && (j = busiest(kb, nb)) >= 0)
		pair_up(ka, i, kb, j, chosen ? BY_OPTION : BY_RANK, out, &np);
	for (i = 0; i < na; i++)
		if (!ka[i].used)
			pair_up(ka, i, kb, -1, ONLY, out, &np);
	for (j = 0; j < nb; j++)
		if (!kb[j].used)
			pair_up(ka, -1, kb, j, ONLY, out, &np);
	na_sort = na;
	qsort(out, np, sizeof(*out), pair_cmp);
	return np;
}

const char *role_match_how(int how, const char *unit)
{
	static char b[64];

	switch (how) {
	case BY_NAME: return "same name";
	case BY_OPTION: return "chosen with -a/-b";
	case BY_RANK:
		snprintf(b, sizeof(b), "names differ: paired by %s rank", unit);
		return b;
	}
	return NULL;
}

static void add_hist(struct net_hist *to, const struct net_hist *h)
{
	to->count += h->count;
	to->sum_ns += h->sum_ns;
	for (int i = 0; i < NET_HIST_SLOTS; i++)
		to->slots[i] += h->slots[i];
}

int blk_units(const struct blk_report *r, int op, struct blk_unit *u)
{
	int n = 0;

	for (int i = 0; i < r->ncls; i++) {
		const struct blk_report_class *c = &r->cls[i];
		unsigned long long *to, *from = (unsigned long long *)&c->a;
		int j;

		if (c->k.op != op)
			continue;
		for (j = 0; j < n && u[j].dev != c->k.dev; j++)
			;
		if (j == n) {
			memset(&u[n], 0, sizeof(u[n]));
			u[n].dev = c->k.dev;
			u[n].disk = c->disk;
			n++;
		}
		to = (unsigned long long *)&u[j].a;
		for (size_t f = 0; f < sizeof(c->a) / sizeof(*to); f++)
			to[f] += from[f];
		for (int a = 0; a < BS__COUNT; a++)
			for (int b = 0; b < BS__COUNT; b++)
				add_hist(&u[j].pair[a][b], &c->pair[a][b]);
	}
	for (int j = 0; j < n; j++) {
		for (int i = 0; i < r->ndisk; i++)
			if (r->disk[i].dev == u[j].dev)
				u[j].disk_irqs = r->disk[i].irqs;
		for (int i = 0; i < r->ncls; i++)
			if (r->cls[i].k.dev == u[j].dev)
				u[j].disk_requests += r->cls[i].a.requests;
	}
	return n;
}
