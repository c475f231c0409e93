/* Typed record sections (the format is in record/schema.h): writing a section with its schema,
 * and reading one by field name onto this build's structs. The reader trusts nothing in the
 * file: every number of the schema text is bounded, every field lies inside its record, nested
 * types are defined before use (so they cannot recurse), and each error is one line with the
 * byte offset of the schema line or section it is about. */
#include "record/schema.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

#define SCHEMA_MAX_TYPES 256
#define SCHEMA_MAX_FIELDS 4096   /* per type */
#define SCHEMA_MAX_DIMS 4
#define SCHEMA_NAME_MAX 64
#define SCHEMA_WRITE_TYPES 64    /* types in one section this build writes (schema.c has 34 in all) */

static bool is_data(const struct rec_field *f)
{
	return f->kind <= RK_REC;
}

static unsigned elems(const struct rec_field *f)
{
	return (f->dims[0] ? f->dims[0] : 1) * (f->dims[1] ? f->dims[1] : 1);
}

static int rank(const struct rec_field *f)
{
	return !!f->dims[0] + !!f->dims[1];
}

/* ---- writing ---- */

/* Each type after the types it nests, each once. */
static void schema_types(const struct rec_type *t, const struct rec_type **seen, unsigned *n)
{
	for (unsigned i = 0; i < *n; i++)
		if (seen[i] == t)
			return;
	for (unsigned i = 0; i < t->nfields; i++)
		if (t->fields[i].kind == RK_REC)
			schema_types(t->fields[i].rec, seen, n);
	if (*n < SCHEMA_WRITE_TYPES)
		seen[(*n)++] = t;
}

static void kind_word(const struct rec_field *f, char *buf, size_t n)
{
	switch (f->kind) {
	case RK_UINT: snprintf(buf, n, "u%u", f->size * 8); break;
	case RK_SINT: snprintf(buf, n, "s%u", f->size * 8); break;
	case RK_FLOAT: snprintf(buf, n, "f%u", f->size * 8); break;
	case RK_STR: snprintf(buf, n, "str"); break;
	default: snprintf(buf, n, "rec:%s", f->rec->name); break;
	}
}

void rec_schema_write(FILE *f, const struct rec_type *t)
{
	const struct rec_type *ts[SCHEMA_WRITE_TYPES];
	unsigned n = 0;

	schema_types(t, ts, &n);
	for (unsigned i = 0; i < n; i++) {
		fprintf(f, "type %s %u\n", ts[i]->name, ts[i]->size);
		for (unsigned j = 0; j < ts[i]->nfields; j++) {
			const struct rec_field *x = &ts[i]->fields[j];
			char kind[SCHEMA_NAME_MAX + 8];

			if (!is_data(x))
				continue;
			kind_word(x, kind, sizeof(kind));
			fprintf(f, "\t%s %s %u %u", x->name, kind, x->off, x->size);
			for (int d = 0; d < rank(x); d++)
				fprintf(f, " %u", x->dims[d]);
			fputc('\n', f);
		}
	}
}

/* The fields of one record, from this build's struct to its zeroed slot in the section. */
static void encode(const struct rec_type *t, const uint8_t *src, uint8_t *dst)
{
	for (unsigned i = 0; i < t->nfields; i++) {
		const struct rec_field *f = &t->fields[i];

		if (f->kind == RK_REC)
			for (unsigned e = 0; e < elems(f); e++)
				encode(f->rec, src + f->off + (size_t)e * f->size, dst + f->off + (size_t)e * f->size);
		else if (is_data(f))
			memcpy(dst + f->off, src + f->off, (size_t)elems(f) * f->size);
	}
}

void recw_typed(struct rec_writer *w, uint32_t type, const struct rec_type *t, const void *recs, size_t n)
{
	char *schema = NULL;
	size_t slen = 0, len;
	uint32_t v;
	uint8_t *b;
	FILE *m = open_memstream(&schema, &slen);

	if (!m) {
		w->err = -ENOMEM;
		return;
	}
	rec_schema_write(m, t);
	if (fclose(m)) {
		w->err = -ENOMEM;
		free(schema);
		return;
	}
	if (n > (REC_MAX_SECTION - 8 - slen) / t->size) {
		w->err = -E2BIG;
		free(schema);
		return;
	}
	len = 4 + slen + 4 + n * t->size;
	b = calloc(1, len);
	if (!b) {
		w->err = -ENOMEM;
		free(schema);
		return;
	}
	v = (uint32_t)slen;
	memcpy(b, &v, 4);   /* x86: little endian, as the format says */
	memcpy(b + 4, schema, slen);
	v = (uint32_t)n;
	memcpy(b + 4 + slen, &v, 4);
	for (size_t i = 0; i < n; i++)
		encode(t, (const uint8_t *)recs + i * t->size, b + 8 + slen + i * t->size);
	recw_section(w, type, b, len);
	free(b);
	free(schema);
}

/* ---- the schema text of a file ---- */

enum fkind { FK_UINT, FK_SINT, FK_FLOAT, FK_STR, FK_REC, FK_OTHER };

struct ffield {
	char name[SCHEMA_NAME_MAX];
	char word[SCHEMA_NAME_MAX + 8];   /* the kind as written */
	enum fkind kind;
	uint32_t size, off;
	int ndims;
	uint32_t dims[SCHEMA_MAX_DIMS];
	int rec;                          /* FK_REC: its type's index */
	size_t at;                        /* byte offset of its line in the file */
};

struct ftype {
	char name[SCHEMA_NAME_MAX];
	uint32_t size;
	int nf, cap;
	struct ffield *f;
	size_t at;
};

struct fschema {
	int nt, cap;
	struct ftype *t;
};

static void fschema_free(struct fschema *s)
{
	for (int i = 0; i < s->nt; i++)
		free(s->t[i].f);
	free(s->t);
	memset(s, 0, sizeof(*s));
}

static bool ident(const char *s)
{
	if (!*s || strlen(s) >= SCHEMA_NAME_MAX || !(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
		return false;
	for (; *s; s++)
		if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

/* A decimal number of at most 10 digits that fits 32 bits. */
static bool number(const char *s, uint32_t *v)
{
	uint64_t x = 0;
	size_t n = strlen(s);

	if (!n || n > 10)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		x = x * 10 + (*s - '0');
	}
	if (x > UINT32_MAX)
		return false;
	*v = (uint32_t)x;
	return true;
}

static int find_type(const struct fschema *s, const char *name)
{
	for (int i = 0; i < s->nt; i++)
		if (!strcmp(s->t[i].name, name))
			return i;
	return -1;
}

#define BAD(at, ...) do { \
		char what_[200]; \
		snprintf(what_, sizeof(what_), __VA_ARGS__); \
		snprintf(err, errlen, "corrupt at byte %zu: schema %s", (size_t)(at), what_); \
		return -EINVAL; \
	} while (0)

/* The kind word of a field: what it is and the element size that kind has (0: any). */
static int field_kind(struct fschema *s, struct ffield *f, size_t at, char *err, size_t errlen)
{
	static const struct { const char *w; enum fkind k; uint32_t size; } kinds[] = {
		{ "u8", FK_UINT, 1 }, { "u16", FK_UINT, 2 }, { "u32", FK_UINT, 4 }, { "u64", FK_UINT, 8 },
		{ "s8", FK_SINT, 1 }, { "s16", FK_SINT, 2 }, { "s32", FK_SINT, 4 }, { "s64", FK_SINT, 8 },
		{ "f64", FK_FLOAT, 8 }, { "str", FK_STR, 0 },
	};

	f->kind = FK_OTHER;   /* a kind of a newer build: fine while no field of this build has its name */
	for (size_t i = 0; i < NELEM(kinds); i++) {
		if (strcmp(f->word, kinds[i].w))
			continue;
		f->kind = kinds[i].k;
		if (kinds[i].size && f->size != kinds[i].size)
			BAD(at, "field '%s' is %s of %u bytes", f->name, f->word, f->size);
		return 0;
	}
	if (!strncmp(f->word, "rec:", 4)) {
		f->rec = find_type(s, f->word + 4);
		if (f->rec < 0)
			BAD(at, "field '%s' nests type '%s', not defined before it", f->name, f->word + 4);
		if (s->t[f->rec].size != f->size)
			BAD(at, "field '%s' of %u bytes nests '%s' of %u", f->name, f->size, f->word + 4,
			    s->t[f->rec].size);
		f->kind = FK_REC;
		return 0;
	}
	if (!ident(f->word))
		BAD(at, "field '%s' has an unreadable kind", f->name);
	return 0;
}

static int parse_field(struct fschema *s, char **w, int nw, size_t at, char *err, size_t errlen)
{
	struct ftype *t = &s->t[s->nt - 1];
	struct ffield *f, *nf;
	uint64_t span;

	if (nw < 4 || nw > 4 + SCHEMA_MAX_DIMS)
		BAD(at, "line with %d words (a field has 4 to %d)", nw, 4 + SCHEMA_MAX_DIMS);
	if (t->nf == SCHEMA_MAX_FIELDS)
		BAD(at, "type '%s' has more than %d fields", t->name, SCHEMA_MAX_FIELDS);
	if (t->nf == t->cap) {
		int cap = t->cap ? t->cap * 2 : 16;

		if (!(nf = realloc(t->f, cap * sizeof(*nf))))
			return -ENOMEM;
		t->f = nf;
		t->cap = cap;
	}
	f = &t->f[t->nf];
	memset(f, 0, sizeof(*f));
	f->at = at;
	if (!ident(w[0]))
		BAD(at, "field name '%.40s' is not an identifier", w[0]);
	for (int i = 0; i < t->nf; i++)
		if (!strcmp(t->f[i].name, w[0]))
			BAD(at, "field '%s' twice in type '%s'", w[0], t->name);
	strcpy(f->name, w[0]);
	if (strlen(w[1]) >= sizeof(f->word))
		BAD(at, "field '%s' has an unreadable kind", f->name);
	strcpy(f->word, w[1]);
	if (!number(w[2], &f->off) || !number(w[3], &f->size) || !f->size)
		BAD(at, "field '%s' has a bad offset or size", f->name);
	span = f->size;
	f->ndims = nw - 4;
	for (int d = 0; d < f->ndims; d++) {
		if (!number(w[4 + d], &f->dims[d]) || !f->dims[d])
			BAD(at, "field '%s' has a bad array dimension", f->name);
		span *= f->dims[d];
		if (span > t->size)
			break;   /* already too big: no overflow from the next factor */
	}
	if ((uint64_t)f->off + span > t->size)
		BAD(at, "field '%s' runs past its %u-byte record", f->name, t->size);
	t->nf++;
	return field_kind(s, f, at, err, errlen);
}

static int parse_type(struct fschema *s, char **w, int nw, size_t at, char *err, size_t errlen)
{
	struct ftype *t;

	if (nw != 3)
		BAD(at, "type line with %d words (want 3)", nw);
	if (!ident(w[1]))
		BAD(at, "type name '%.40s' is not an identifier", w[1]);
	if (find_type(s, w[1]) >= 0)
		BAD(at, "type '%s' twice", w[1]);
	if (s->nt == SCHEMA_MAX_TYPES)
		BAD(at, "has more than %d types", SCHEMA_MAX_TYPES);
	if (s->nt == s->cap) {
		int cap = s->cap ? s->cap * 2 : 8;

		if (!(t = realloc(s->t, cap * sizeof(*t))))
			return -ENOMEM;
		s->t = t;
		s->cap = cap;
	}
	t = &s->t[s->nt];
	memset(t, 0, sizeof(*t));
	strcpy(t->name, w[1]);
	t->at = at;
	if (!number(w[2], &t->size) || !t->size || t->size > REC_MAX_SECTION)
		BAD(at, "type '%s' has a bad size", t->name);
	s->nt++;
	return 0;
}

/* Schema text of len bytes found at byte base of the file. */
static int schema_parse(const char *text, size_t len, size_t base, struct fschema *s, char *err, size_t errlen)
{
	size_t p = 0;

	memset(s, 0, sizeof(*s));
	while (p < len) {
		const char *nl = memchr(text + p, '\n', len - p);
		size_t ll = nl ? (size_t)(nl - (text + p)) : len - p;
		char line[512], *w[4 + SCHEMA_MAX_DIMS + 1], *save = NULL;
		int nw = 0, ret;

		if (ll >= sizeof(line))
			BAD(base + p, "line of %zu bytes", ll);
		memcpy(line, text + p, ll);
		line[ll] = 0;
		if (strlen(line) != ll)
			BAD(base + p, "line holds a NUL byte");
		for (char *t = strtok_r(line, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
			if (nw == (int)NELEM(w))
				BAD(base + p, "line with too many words");
			w[nw++] = t;
		}
		if (nw && !strcmp(w[0], "type"))
			ret = parse_type(s, w, nw, base + p, err, errlen);
		else if (nw && !s->nt)
			BAD(base + p, "field before any type line");
		else
			ret = nw ? parse_field(s, w, nw, base + p, err, errlen) : 0;
		if (ret)
			return ret;
		p += ll + 1;
	}
	if (!s->nt)
		BAD(base, "names no record type");
	return 0;
}
#undef BAD

/* ---- field notes ---- */

int rec_fieldnote(struct rec_fieldnotes *n, bool absent, const char *type, const char *field)
{
	char name[2 * SCHEMA_NAME_MAX + 2], ***list = absent ? &n->absent : &n->unknown, **l;
	unsigned *len = absent ? &n->nabsent : &n->nunknown;

	snprintf(name, sizeof(name), "%s.%s", type, field);
	for (unsigned i = 0; i < *len; i++)
		if (!strcmp((*list)[i], name))
			return 0;
	l = realloc(*list, (*len + 1) * sizeof(*l));
	if (!l)
		return -ENOMEM;
	*list = l;
	if (!(l[*len] = strdup(name)))
		return -ENOMEM;
	(*len)++;
	return 0;
}

void rec_fieldnotes_free(struct rec_fieldnotes *n)
{
	for (unsigned i = 0; i < n->nabsent; i++)
		free(n->absent[i]);
	for (unsigned i = 0; i < n->nunknown; i++)
		free(n->unknown[i]);
	free(n->absent);
	free(n->unknown);
	memset(n, 0, sizeof(*n));
}

bool rec_field_present(const struct rec_fieldnotes *n, const char *type, const char *field)
{
	size_t tl = strlen(type);

	for (unsigned i = 0; n && i < n->nabsent; i++)
		if (!strncmp(n->absent[i], type, tl) && n->absent[i][tl] == '.' &&
		    !strcmp(n->absent[i] + tl + 1, field))
			return false;
	return true;
}

/* ---- binding a file's type to this build's ---- */

/* Per field of this build's type: the file's field of that name (or none) and, for a nested
 * record, its own binding. */
struct bind {
	const struct rec_type *bt;
	const struct ftype *ft;
	int *map;
	struct bind **sub;
};

static void bind_free(struct bind *b)
{
	if (!b)
		return;
	for (unsigned i = 0; b->sub && i < b->bt->nfields; i++)
		bind_free(b->sub[i]);
	free(b->sub);
	free(b->map);
	free(b);
}

static void describe(char *buf, size_t n, const char *word, int nd, const uint32_t *dims)
{
	int l = snprintf(buf, n, "%s", word);

	for (int d = 0; d < nd && l > 0 && (size_t)l < n; d++)
		l += snprintf(buf + l, n - l, "[%u]", dims[d]);
}

/* Whether the file's field reads into this build's without loss (record/schema.h). */
static bool compatible(const struct rec_field *bf, const struct ffield *ff)
{
	if (ff->ndims != rank(bf))
		return false;
	switch (bf->kind) {
	case RK_UINT: return ff->kind == FK_UINT && ff->size <= bf->size;
	case RK_SINT: return ff->kind == FK_SINT && ff->size <= bf->size;
	case RK_FLOAT: return ff->kind == FK_FLOAT && ff->size == bf->size;
	case RK_STR: return ff->kind == FK_STR;
	case RK_REC: return ff->kind == FK_REC;
	default: return false;
	}
}

static int bind(struct bind **out, const struct rec_type *bt, const struct fschema *fs, int ti,
		struct rec_fieldnotes *notes, char *err, size_t errlen)
{
	const struct ftype *ft = &fs->t[ti];
	struct bind *b = calloc(1, sizeof(*b));
	bool *used = calloc(ft->nf ? ft->nf : 1, sizeof(*used));
	int ret = -ENOMEM;

	*out = b;
	if (!b || !used)
		goto out;
	b->bt = bt;
	b->ft = ft;
	b->map = calloc(bt->nfields + 1, sizeof(*b->map));
	b->sub = calloc(bt->nfields + 1, sizeof(*b->sub));
	if (!b->map || !b->sub)
		goto out;
	for (unsigned i = 0; i < bt->nfields; i++) {
		const struct rec_field *bf = &bt->fields[i];
		int j = 0;

		b->map[i] = -1;
		if (!is_data(bf))
			continue;
		while (j < ft->nf && strcmp(ft->f[j].name, bf->name))
			j++;
		if (j == ft->nf) {
			if (notes && (ret = rec_fieldnote(notes, true, bt->name, bf->name)))
				goto out;
			continue;
		}
		if (!compatible(bf, &ft->f[j])) {
			char here[SCHEMA_NAME_MAX + 40], there[SCHEMA_NAME_MAX + 40], kind[SCHEMA_NAME_MAX + 8];
			uint32_t dims[2] = { bf->dims[0], bf->dims[1] };

			kind_word(bf, kind, sizeof(kind));
			describe(here, sizeof(here), kind, rank(bf), dims);
			describe(there, sizeof(there), ft->f[j].word, ft->f[j].ndims, ft->f[j].dims);
			snprintf(err, errlen, "incompatible at byte %zu: field %s.%s is %s in the recording, %s "
				 "in this iopath", ft->f[j].at, bt->name, bf->name, there, here);
			ret = -EINVAL;
			goto out;
		}
		used[j] = true;
		b->map[i] = j;
		if (bf->kind == RK_REC &&
		    (ret = bind(&b->sub[i], bf->rec, fs, ft->f[j].rec, notes, err, errlen)))
			goto out;
	}
	for (int j = 0; j < ft->nf; j++)
		if (!used[j] && notes && (ret = rec_fieldnote(notes, false, ft->name, ft->f[j].name)))
			goto out;
	ret = 0;
out:
	free(used);
	return ret;
}

/* One element from the file's field to this build's (compatible() said it can). */
static void decode(const struct bind *b, const uint8_t *src, uint8_t *dst);

static void element(const struct rec_field *bf, const struct ffield *ff, const struct bind *sub,
		    const uint8_t *s, uint8_t *d)
{
	uint64_t v = 0;

	switch (bf->kind) {
	case RK_UINT:
		memcpy(&v, s, ff->size);   /* little endian: the low bytes, zero-extended */
		memcpy(d, &v, bf->size);
		break;
	case RK_SINT:
		memcpy(&v, s, ff->size);
		if (ff->size < 8 && (v >> (ff->size * 8 - 1)) & 1)
			v |= ~0ull << (ff->size * 8);   /* sign-extend */
		memcpy(d, &v, bf->size);
		break;
	case RK_FLOAT:
		memcpy(d, s, bf->size);
		break;
	case RK_STR:
		memcpy(d, s, ff->size < bf->size ? ff->size : bf->size);
		d[bf->size - 1] = 0;
		break;
	default:
		decode(sub, s, d);
		break;
	}
}

static void decode(const struct bind *b, const uint8_t *src, uint8_t *dst)
{
	for (unsigned i = 0; i < b->bt->nfields; i++) {
		const struct rec_field *bf = &b->bt->fields[i];
		const struct ffield *ff;
		uint32_t bn0, bn1, fn0, fn1;

		if (b->map[i] < 0)
			continue;
		ff = &b->ft->f[b->map[i]];
		bn0 = bf->dims[0] ? bf->dims[0] : 1;
		bn1 = bf->dims[1] ? bf->dims[1] : 1;
		fn0 = ff->ndims > 0 ? ff->dims[0] : 1;
		fn1 = ff->ndims > 1 ? ff->dims[1] : 1;
		/* the common case, numbers as this build has them: the rows both have, as bytes */
		if (bf->kind != RK_REC && bf->kind != RK_STR && ff->size == bf->size) {
			uint32_t rows = bn0 < fn0 ? bn0 : fn0, cols = bn1 < fn1 ? bn1 : fn1;

			if (bn1 == fn1)
				memcpy(dst + bf->off, src + ff->off, (size_t)rows * cols * bf->size);
			else
				for (uint32_t x = 0; x < rows; x++)
					memcpy(dst + bf->off + (size_t)x * bn1 * bf->size,
					       src + ff->off + (size_t)x * fn1 * ff->size, (size_t)cols * bf->size);
			continue;
		}
		/* arrays of another length: the part both have, index by index */
		for (uint32_t x = 0; x < bn0 && x < fn0; x++)
			for (uint32_t y = 0; y < bn1 && y < fn1; y++)
				element(bf, ff, b->sub[i],
					src + ff->off + ((size_t)x * fn1 + y) * ff->size,
					dst + bf->off + ((size_t)x * bn1 + y) * bf->size);
	}
}

/* ---- reading a section ---- */

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* A version 4 typed section: its schema, and where its records are. */
static int typed_view(const struct rec_section_view *s, struct fschema *fs, const uint8_t **recs,
		      uint32_t *count, char *err, size_t errlen)
{
	uint32_t slen, stride;
	int ret;

	if (s->len < 8 || (slen = get32(s->data)) > s->len - 8) {
		snprintf(err, errlen, "corrupt at byte %zu: section %u has no schema and record count",
			 s->offset, s->type);
		return -EINVAL;
	}
	ret = schema_parse((const char *)s->data + 4, slen, s->offset + 12, fs, err, errlen);
	if (ret)
		return ret;
	stride = fs->t[fs->nt - 1].size;
	*count = get32(s->data + 4 + slen);
	*recs = s->data + 8 + slen;
	if ((uint64_t)*count * stride != s->len - 8 - slen) {
		snprintf(err, errlen, "corrupt at byte %zu: section %u holds %u bytes for %u records of %u bytes",
			 s->offset, s->type, s->len - 8 - slen, *count, stride);
		return -EINVAL;
	}
	return 0;
}

/* A version 3 section: the structs of the last version 3 build, described by legacy_v3.c. */
static int v3_view(const struct rec_section_view *s, struct fschema *fs, const uint8_t **recs,
		   uint32_t *count, char *err, size_t errlen)
{
	const char *schema = rec_v3_schema_of(s->type);
	const void *first;
	long n;
	int ret;

	if (!schema) {
		snprintf(err, errlen, "section %u at byte %zu: version 3 had no such record section",
			 s->type, s->offset);
		return -EINVAL;
	}
	ret = schema_parse(schema, strlen(schema), 0, fs, err, errlen);
	if (ret)
		return ret;
	/* the schema is this program's, not the file's: errors point at the section */
	for (int i = 0; i < fs->nt; i++)
		for (int j = 0; j < fs->t[i].nf; j++)
			fs->t[i].f[j].at = s->offset;
	n = rec_records(s, fs->t[fs->nt - 1].size, &first, err, errlen);
	if (n < 0)
		return -EINVAL;
	*recs = first;
	*count = (uint32_t)n;
	return 0;
}

long rec_read_typed(const struct recording *r, uint32_t type, const struct rec_type *t, bool need,
		    void **out, struct rec_fieldnotes *notes, char *err, size_t errlen)
{
	const struct rec_section_view *s = rec_find(r, type);
	struct fschema fs = {};
	struct bind *b = NULL;
	const uint8_t *recs;
	uint32_t count;
	long ret;

	*out = NULL;
	if (!s) {
		if (need) {
			snprintf(err, errlen, "recording lacks section %u", type);
			return -EINVAL;
		}
		*out = calloc(1, t->size);
		return *out ? 0 : -ENOMEM;
	}
	ret = r->version >= 4 ? typed_view(s, &fs, &recs, &count, err, errlen)
			      : v3_view(s, &fs, &recs, &count, err, errlen);
	if (ret)
		goto out;
	if (strcmp(fs.t[fs.nt - 1].name, t->name)) {
		snprintf(err, errlen, "section %u at byte %zu holds '%s' records; this iopath reads '%s' there",
			 type, s->offset, fs.t[fs.nt - 1].name, t->name);
		ret = -EINVAL;
		goto out;
	}
	/* what a section of this build's records may hold: as much as version 3 could */
	if ((uint64_t)count * t->size > REC_MAX_SECTION) {
		snprintf(err, errlen, "corrupt at byte %zu: section %u has %u records of %u bytes here, "
			 "more than a section holds", s->offset, type, count, t->size);
		ret = -EINVAL;
		goto out;
	}
	ret = bind(&b, t, &fs, fs.nt - 1, notes, err, errlen);
	if (ret)
		goto out;
	*out = calloc(count ? count : 1, t->size);
	if (!*out) {
		ret = -ENOMEM;
		goto out;
	}
	for (uint32_t i = 0; i < count; i++)
		decode(b, recs + (size_t)i * fs.t[fs.nt - 1].size, (uint8_t *)*out + (size_t)i * t->size);
	ret = count;
out:
	bind_free(b);
	fschema_free(&fs);
	return ret;
}
