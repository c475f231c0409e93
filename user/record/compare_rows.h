/* The pieces compare.c builds its sections from, shared by the files that build them
 * (compare.c: network and block; compare_other.c: host, traced tasks, the recordings) and
 * private to them: cells (measured, not measured, absent), rows added to a section under
 * construction, sections added to a group. */
#ifndef IOPATH_COMPARE_ROWS_H
#define IOPATH_COMPARE_ROWS_H
#include "record/compare.h"
#include "record/rolematch.h"

/* A section under construction. */
struct cmp_sb {
	struct cmp_section *s;
	int ncol, cap;
	bool err;
};

/* A cell not measured, and why. */
void cmp_nm(struct cmp_cell *c, const char *why);
/* Not there at all: the recording has no such device, disk or path. */
void cmp_absent(struct cmp_cell *c, const char *why);
/* A measured value. */
void cmp_val(struct cmp_cell *c, double v);
/* v / n, 0 when n is 0. */
double cmp_per(unsigned long long v, unsigned long long n);
/* A new row in b's section (NULL and b->err on no memory, or after an earlier failure). */
struct cmp_row *cmp_add_row(struct cmp_sb *b, const char *name, enum cmp_fmt fmt, enum cmp_rule rule);
/* Drops the last row when every cell is a measured 0. */
void cmp_drop_if_empty(struct cmp_sb *b);
/* A new section of g (counted at once, so compare_free frees it); NULL on no memory. */
struct cmp_section *cmp_new_section(struct cmp_group *g, int *cap);
int cmp_set_unit_name(struct cmp_section *s, int j, const char *name);
/* How the section's units were paired across the columns: idx[j] is column j's unit (-1:
 * none), how the role_match_how code that paired them. */
void cmp_paired_by(struct cmp_section *s, const int *idx, int how, int ncol, const char *unit);

/* The sections of compare_other.c. 0 or -ENOMEM. */
int cmp_host_section(struct cmp_group *g, const struct cmp_input *in, int *cap);
int cmp_tasks_sections(struct cmp_group *g, const struct cmp_input *in, int *cap);
int cmp_recording_section(struct cmp_group *g, const struct cmp_input *in, int *cap);

#endif
