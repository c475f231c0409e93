/* Recordings a test needs, made from real ones: a file taken apart into its sections, edited as
 * another build would have written it (a newer build's extra field, section, META key or POINTS
 * column; an older build's missing field; another type), and put back together with fresh
 * checksums. Typed sections (record/schema.h) are edited through their schema text. */
#ifndef IOPATH_TESTS_RECEDIT_H
#define IOPATH_TESTS_RECEDIT_H
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "record/recfile.h"

#define ED_MAX_SECTIONS 64

struct ed_sec {
	uint32_t type;
	size_t len;
	uint8_t *data;
};

struct ed_rec {
	uint32_t version;
	int n;
	struct ed_sec s[ED_MAX_SECTIONS];   /* END not included */
};

static inline void ed_from(struct ed_rec *e, const struct recording *r)
{
	memset(e, 0, sizeof(*e));
	e->version = r->version;
	for (int i = 0; i < r->nsec; i++) {
		if (r->sec[i].type == RS_END)
			continue;
		ck_assert_int_lt(e->n, ED_MAX_SECTIONS);
		e->s[e->n].type = r->sec[i].type;
		e->s[e->n].len = r->sec[i].len;
		e->s[e->n].data = malloc(r->sec[i].len + 1);
		memcpy(e->s[e->n].data, r->sec[i].data, r->sec[i].len);
		e->n++;
	}
}

static inline void ed_free(struct ed_rec *e)
{
	for (int i = 0; i < e->n; i++)
		free(e->s[i].data);
	memset(e, 0, sizeof(*e));
}

/* The file: header, the sections in order, END; the caller frees it. */
static inline uint8_t *ed_bytes(const struct ed_rec *e, size_t *len)
{
	struct rec_writer w;

	recw_init(&w);
	memcpy(w.buf + 8, &e->version, 4);
	for (int i = 0; i < e->n; i++)
		recw_section(&w, e->s[i].type, e->s[i].data, e->s[i].len);
	recw_section(&w, RS_END, NULL, 0);
	ck_assert_int_eq(w.err, 0);
	*len = w.len;
	return w.buf;   /* recw_free would free it: ownership passes to the caller */
}

static inline struct ed_sec *ed_find(struct ed_rec *e, uint32_t type)
{
	for (int i = 0; i < e->n; i++)
		if (e->s[i].type == type)
			return &e->s[i];
	ck_abort_msg("no section %u", type);
	return NULL;
}

/* A new section before END. */
static inline void ed_add(struct ed_rec *e, uint32_t type, const void *data, size_t len)
{
	ck_assert_int_lt(e->n, ED_MAX_SECTIONS);
	e->s[e->n].type = type;
	e->s[e->n].len = len;
	e->s[e->n].data = malloc(len + 1);
	memcpy(e->s[e->n].data, data, len);
	e->n++;
}

/* A section's payload replaced by text with `old` replaced by `new` (once; it must be there). */
static inline void ed_replace(struct ed_sec *s, const char *old, const char *new)
{
	uint8_t *at = memmem(s->data, s->len, old, strlen(old)), *d;
	size_t ol = strlen(old), nl = strlen(new), pre;

	ck_assert_msg(at, "section %u has no '%s'", s->type, old);
	pre = at - s->data;
	d = malloc(s->len - ol + nl + 1);
	memcpy(d, s->data, pre);
	memcpy(d + pre, new, nl);
	memcpy(d + pre + nl, at + ol, s->len - pre - ol);
	free(s->data);
	s->data = d;
	s->len = s->len - ol + nl;
}

/* In a typed section: the schema text (NUL-terminated copy), the record count and records. */
static inline char *ed_schema(const struct ed_sec *s, uint32_t *count, const uint8_t **recs, uint32_t *stride)
{
	uint32_t sl;
	char *t, *last;

	memcpy(&sl, s->data, 4);
	t = strndup((const char *)s->data + 4, sl);
	memcpy(count, s->data + 4 + sl, 4);
	*recs = s->data + 8 + sl;
	last = t;
	for (char *p = t; (p = strstr(p, "type ")); p++)
		if (p == t || p[-1] == '\n')
			last = p;
	*stride = (uint32_t)strtoul(strchr(last + 5, ' ') + 1, NULL, 10);
	return t;
}

/* In a typed section, a text edit of the schema (old -> new, record bytes unchanged). */
static inline void ed_schema_replace(struct ed_sec *s, const char *old, const char *new)
{
	uint32_t sl, nsl;

	memcpy(&sl, s->data, 4);
	ck_assert_msg(memmem(s->data + 4, sl, old, strlen(old)), "schema of section %u has no '%s'", s->type, old);
	ed_replace(s, old, new);
	nsl = sl - strlen(old) + strlen(new);
	memcpy(s->data, &nsl, 4);
}

/* In a typed section, what a newer build with one more field first in the record type would
 * write: "\tname u64 0 8" before the other fields, which all move 8 bytes on, and each record
 * starting with those 8 bytes (value). The new layout matches no struct of this build. */
static inline void ed_prepend_u64(struct ed_sec *s, const char *name, uint64_t value)
{
	uint32_t count, stride, nsl, nc;
	const uint8_t *recs;
	char *t = ed_schema(s, &count, &recs, &stride), *last = t, *out, *o;
	uint8_t *d;
	size_t cap;

	for (char *p = t; (p = strstr(p, "type ")); p++)
		if (p == t || p[-1] == '\n')
			last = p;
	cap = strlen(t) * 2 + 256;
	out = o = malloc(cap);
	o += sprintf(o, "%.*s", (int)(last - t), t);
	o += sprintf(o, "type %.*s %u\n\t%s u64 0 8\n", (int)(strchr(last + 5, ' ') - (last + 5)), last + 5,
		     stride + 8, name);
	/* the record type's fields: offset + 8 */
	for (char *line = strchr(last, '\n') + 1; *line; ) {
		char *nl = strchr(line, '\n'), nm[64], kind[80], rest[64] = "";
		unsigned off, size;

		ck_assert_msg(sscanf(line, "\t%63s %79s %u %u%63[^\n]", nm, kind, &off, &size, rest) >= 4,
			      "field line '%.40s'", line);
		o += sprintf(o, "\t%s %s %u %u%s\n", nm, kind, off + 8, size, rest);
		line = nl + 1;
	}
	nsl = (uint32_t)(o - out);
	nc = count;
	d = malloc(8 + nsl + (size_t)count * (stride + 8));
	memcpy(d, &nsl, 4);
	memcpy(d + 4, out, nsl);
	memcpy(d + 4 + nsl, &nc, 4);
	for (uint32_t i = 0; i < count; i++) {
		memcpy(d + 8 + nsl + (size_t)i * (stride + 8), &value, 8);
		memcpy(d + 8 + nsl + (size_t)i * (stride + 8) + 8, recs + (size_t)i * stride, stride);
	}
	free(s->data);
	s->data = d;
	s->len = 8 + nsl + (size_t)count * (stride + 8);
	free(out);
	free(t);
}

#endif
