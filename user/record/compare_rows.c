/* Cells, rows and sections of the comparison (record/compare_rows.h). */
#include "record/compare_rows.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void cmp_nm(struct cmp_cell *c, const char *why)
{
	memset(c, 0, sizeof(*c));
	c->verdict = -1;
	snprintf(c->why, sizeof(c->why), "%s", why);
}

/* Not there at all: the recording has no such device, disk or path. */
void cmp_absent(struct cmp_cell *c, const char *why)
{
	cmp_nm(c, why);
	c->absent = true;
}

void cmp_val(struct cmp_cell *c, double v)
{
	memset(c, 0, sizeof(*c));
	c->verdict = -1;
	c->ok = true;
	c->v = v;
}

double cmp_per(unsigned long long v, unsigned long long n)
{
	return n ? (double)v / n : 0;
}


struct cmp_row *cmp_add_row(struct cmp_sb *b, const char *name, enum cmp_fmt fmt, enum cmp_rule rule)
{
	struct cmp_section *s = b->s;
	struct cmp_row *r;

	if (b->err)
		return NULL;
	if (s->nrow == b->cap) {
		int nc = b->cap ? b->cap * 2 : 16;
		struct cmp_row *p = realloc(s->row, nc * sizeof(*p));

		if (!p) {
			b->err = true;
			return NULL;
		}
		s->row = p;
		b->cap = nc;
	}
	r = &s->row[s->nrow];
	memset(r, 0, sizeof(*r));
	r->c = calloc(b->ncol, sizeof(*r->c));
	if (!r->c) {
		b->err = true;
		return NULL;
	}
	s->nrow++;
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->fmt = fmt;
	r->rule = rule;
	r->time = fmt == CF_NS;
	return r;
}

/* Rows whose every cell is a measured 0 say nothing: dropped (a not-measured cell keeps its
 * row: "0 vs n/m" says the comparison cannot be made). */
void cmp_drop_if_empty(struct cmp_sb *b)
{
	struct cmp_row *r = b->s->nrow ? &b->s->row[b->s->nrow - 1] : NULL;
	bool keep = false, any_ok = false;

	if (!r || b->err)
		return;
	for (int j = 0; j < b->ncol; j++) {
		any_ok |= r->c[j].ok;
		keep |= !r->c[j].ok || r->c[j].v != 0;
	}
	if (!keep || !any_ok) {
		free(r->c);
		b->s->nrow--;
	}
}

struct cmp_section *cmp_new_section(struct cmp_group *g, int *cap)
{
	struct cmp_section *s;

	if (g->nsec == *cap) {
		int nc = *cap ? *cap * 2 : 8;
		struct cmp_section *p = realloc(g->sec, nc * sizeof(*p));

		if (!p)
			return NULL;
		g->sec = p;
		*cap = nc;
	}
	s = &g->sec[g->nsec];
	memset(s, 0, sizeof(*s));
	s->unit_name = calloc(g->ncol, sizeof(char *));
	s->total = calloc(g->ncol, sizeof(*s->total));
	g->nsec++;   /* counted at once: compare_free frees what it got */
	if (!s->unit_name || !s->total)
		return NULL;
	return s;
}

int cmp_set_unit_name(struct cmp_section *s, int j, const char *name)
{
	return !name || (s->unit_name[j] = strdup(name[0] ? name : "?")) ? 0 : -ENOMEM;
}

void cmp_paired_by(struct cmp_section *s, const int *idx, int how, int ncol, const char *unit)
{
	int have = 0;

	for (int j = 0; j < ncol; j++)
		have += idx[j] >= 0;
	snprintf(s->paired_by, sizeof(s->paired_by), "%s",
		 have < 2 ? "in one recording only" : role_match_how(how, unit));
}
