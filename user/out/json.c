#include "out/json.h"

#include <math.h>

void jw_init(struct jw *w, FILE *f, bool pretty)
{
	w->f = f;
	w->pretty = pretty;
	w->depth = 0;
	w->first[0] = true;
}

void jw_escape(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

static void indent(struct jw *w)
{
	if (!w->pretty)
		return;
	fputc('\n', w->f);
	for (int i = 0; i < w->depth; i++)
		fputs("  ", w->f);
}

/* Comma, newline/indent and "key": before a value. */
static void member(struct jw *w, const char *key)
{
	if (w->depth > 0) {
		if (!w->first[w->depth])
			fputc(',', w->f);
		indent(w);
	}
	w->first[w->depth] = false;
	if (key) {
		jw_escape(w->f, key);
		fputs(w->pretty ? ": " : ":", w->f);
	}
}

static void open(struct jw *w, const char *key, char c)
{
	member(w, key);
	fputc(c, w->f);
	if (w->depth < JW_MAX_DEPTH - 1)
		w->depth++;
	w->first[w->depth] = true;
}

static void close_(struct jw *w, char c)
{
	bool empty = w->first[w->depth];
	if (w->depth > 0)
		w->depth--;
	if (!empty)
		indent(w);
	fputc(c, w->f);
}

void jw_obj_begin(struct jw *w, const char *key) { open(w, key, '{'); }
void jw_obj_end(struct jw *w) { close_(w, '}'); }
void jw_arr_begin(struct jw *w, const char *key) { open(w, key, '['); }
void jw_arr_end(struct jw *w) { close_(w, ']'); }

void jw_str(struct jw *w, const char *key, const char *val)
{
	member(w, key);
	if (val)
		jw_escape(w->f, val);
	else
		fputs("null", w->f);
}

void jw_int(struct jw *w, const char *key, long long v)
{
	member(w, key);
	fprintf(w->f, "%lld", v);
}

void jw_uint(struct jw *w, const char *key, unsigned long long v)
{
	member(w, key);
	fprintf(w->f, "%llu", v);
}

void jw_double(struct jw *w, const char *key, double v)
{
	member(w, key);
	if (isnan(v) || isinf(v))
		fputs("null", w->f);
	else
		fprintf(w->f, "%.6g", v);
}

void jw_bool(struct jw *w, const char *key, bool v)
{
	member(w, key);
	fputs(v ? "true" : "false", w->f);
}

void jw_null(struct jw *w, const char *key)
{
	member(w, key);
	fputs("null", w->f);
}

void jw_finish(struct jw *w)
{
	fputc('\n', w->f);
	fflush(w->f);
}

void jw_schema_version(struct jw *w)
{
	jw_int(w, "schema_version", IOP_JSON_SCHEMA_VERSION);
}
