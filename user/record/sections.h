/* The report sections of a recording behind one interface (record/sections.c). Each row:
 * whether the bundle has it (a bool of struct rec_data), collect, print, JSON, save, load (every count
 * and string checked: a damaged file gives one error with its byte offset), free. */
#ifndef IOPATH_RECORD_SECTIONS_H
#define IOPATH_RECORD_SECTIONS_H
#include <stddef.h>
#include <stdio.h>
#include "record/recdata.h"
#include "record/recfile.h"

struct jw;

struct rec_section_ops {
	const char *name;
	size_t has;     /* offsetof the bool in struct rec_data that says the bundle has it */
	int (*collect)(struct engine *e, struct rec_data *d);   /* read the live maps after a run */
	void (*print)(FILE *f, const struct rec_data *d);
	void (*json)(struct jw *w, const struct rec_data *d);
	void (*save)(struct rec_writer *w, const struct rec_data *d);
	int (*load)(struct rec_data *d, const struct recording *r, char *err, size_t errlen);
	void (*free)(struct rec_data *d);   /* what load allocated (always safe) */
};

extern const struct rec_section_ops rec_sections[];
extern const unsigned rec_nsections;

/* The bundle holds section s. */
static inline bool rec_has(const struct rec_data *d, const struct rec_section_ops *s)
{
	return *(const bool *)((const char *)d + s->has);
}

/* "corrupt at byte N: what" into err; -EINVAL. s may be NULL. */
int rec_bad(char *err, size_t len, const struct rec_section_view *s, const char *what);

#endif
