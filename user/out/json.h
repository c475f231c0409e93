/* Streaming JSON writer: every command's --json output goes through it, so
 * escaping and comma placement live in one place. */
#ifndef IOPATH_JSON_H
#define IOPATH_JSON_H
#include <stdbool.h>
#include <stdio.h>

#define JW_MAX_DEPTH 32

/* The version of the JSON documents iopath writes (record, report, diff, env, probes --json, and
 * each line of top --json), their first key, beside iopath_version. Bump it when a key is removed
 * or renamed, or changes meaning, type or unit; a new key does not bump it (readers skip keys they
 * do not know). 1: the first versioned documents (snake_case keys throughout). */
#define IOP_JSON_SCHEMA_VERSION 1

struct jw {
	FILE *f;
	bool pretty;
	int depth;
	bool first[JW_MAX_DEPTH]; /* no member written yet at this depth */
};

void jw_init(struct jw *w, FILE *f, bool pretty);
/* key is NULL for array members and for the top-level value */
void jw_obj_begin(struct jw *w, const char *key);
void jw_obj_end(struct jw *w);
void jw_arr_begin(struct jw *w, const char *key);
void jw_arr_end(struct jw *w);
void jw_str(struct jw *w, const char *key, const char *val); /* val NULL -> null */
void jw_int(struct jw *w, const char *key, long long v);
void jw_uint(struct jw *w, const char *key, unsigned long long v);
void jw_double(struct jw *w, const char *key, double v); /* NaN/inf -> null */
void jw_bool(struct jw *w, const char *key, bool v);
void jw_null(struct jw *w, const char *key);
/* "schema_version": IOP_JSON_SCHEMA_VERSION, first in every top-level document. */
void jw_schema_version(struct jw *w);
/* Ends the document with a newline; call after the top-level value closes. */
void jw_finish(struct jw *w);
/* Writes s as a JSON string literal (with quotes) to f. */
void jw_escape(FILE *f, const char *s);

#endif
