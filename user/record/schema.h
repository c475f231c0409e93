/* What the records of a recording are, by name and type: the field tables of every struct a
 * recording stores (record/schema.c, one row per member, checked against sizeof at compile time
 * and by tests/check_schema.c), and the codec (record/codec.c) that writes a record section with
 * its schema and reads one back by field NAME onto this build's structs. So a build reads files
 * of builds with other struct layouts, older and newer (HACKING.md, "Recording format"):
 *   - a field this build does not know is skipped (counted in rec_fieldnotes.unknown);
 *   - a field this build knows and the file lacks reads as 0 and is noted absent
 *     (rec_field_present() says so, and report prints it);
 *   - an array of another length gives its common part (per dimension);
 *   - an integer written narrower than this build holds it is widened (same signedness);
 *   - a string is cut to this build's array, always NUL-terminated;
 *   - any other difference for a known name (u64 written as f64, a scalar become an array, a
 *     record become a number) is an error: one line with the byte offset of its schema line.
 *
 * A typed section's payload (format version 4):
 *   u32 schema length | schema text | u32 record count | records (count * the record type's size)
 * The schema text is lines, words separated by one space:
 *   type NAME SIZE
 *   \tFIELD KIND OFFSET SIZE [DIM [DIM ...]]
 * KIND is u8 u16 u32 u64 s8 s16 s32 s64 f64 str or rec:TYPE (TYPE given earlier in the text);
 * SIZE of a field is one element's (str: the char array's). A type's fields follow its line; the
 * records are of the last type. Records are this build's C layout with only the listed fields
 * written (pointers, padding and members left out are zeros). Version 3 files, which stored
 * the structs with no schema, are read through the frozen version 3 layout (record/legacy_v3.c). */
#ifndef IOPATH_RECORD_SCHEMA_H
#define IOPATH_RECORD_SCHEMA_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "record/recfile.h"

enum rec_kind {
	RK_UINT, RK_SINT, RK_FLOAT, RK_STR, RK_REC,
	RK_SKIP,    /* a member not recorded (pointers, state only the live run has) */
	RK_PAD,     /* compiler padding before the next row (size: bytes) */
};

struct rec_type;

struct rec_field {
	const char *name;
	enum rec_kind kind;
	unsigned size;              /* one element (RK_STR: the whole char array) */
	unsigned off;               /* offsetof (RK_PAD: none) */
	unsigned dims[2];           /* array dimensions; 0: none (scalar, or 1-D with dims[1] 0) */
	const struct rec_type *rec; /* RK_REC: the nested record's type */
};

struct rec_type {
	const char *name;           /* the type's name in files: never renamed */
	unsigned size;              /* sizeof the struct */
	const struct rec_field *fields;
	unsigned nfields;
};

/* The records a recording holds (record/schema.c). */
extern const struct rec_type rt_net_report, rt_net_report_dev, rt_blk_report, rt_blk_report_class,
	rt_blk_report_disk, rt_exits_report, rt_ex_irq_row, rt_ex_arch_row, rt_host_report,
	rt_host_exit_row, rt_host_io_row, rt_host_cnt_row, rt_host_proc, rt_host_inj_row;
/* Every type of schema.c, nested ones included, each after the types it nests (for the tests). */
extern const struct rec_type *const rec_all_types[];
extern const unsigned rec_nall_types;

/* What a loaded recording lacked or had beyond this build, as "type.field" names, each once. */
struct rec_fieldnotes {
	char **absent;      /* known here, not in the file: read as 0 */
	unsigned nabsent;
	char **unknown;     /* in the file, not known here: skipped */
	unsigned nunknown;
};
void rec_fieldnotes_free(struct rec_fieldnotes *n);
/* Notes "type.field" as absent (or unknown), once. 0 or -ENOMEM. */
int rec_fieldnote(struct rec_fieldnotes *n, bool absent, const char *type, const char *field);
/* Whether field of type (rec_type names, e.g. "blk_report", "lost_nested") was in the recording
 * notes were made for; true for everything a live run has (notes NULL or empty). */
bool rec_field_present(const struct rec_fieldnotes *n, const char *type, const char *field);

/* The schema text of t (and of the types it nests, first) into f. */
void rec_schema_write(FILE *f, const struct rec_type *t);
/* A typed section of n records of type t (recs: n structs of t->size bytes). */
void recw_typed(struct rec_writer *w, uint32_t type, const struct rec_type *t, const void *recs, size_t n);
/* The records of section `type` as a fresh array *out of this build's t (zeroed where the file
 * has nothing; at least one element, so an empty section is not NULL): their count, or 0 for an
 * absent section that is not needed; -EINVAL with a one-line reason (byte offset) in err when the
 * section is missing (need), damaged or incompatible; -ENOMEM. notes may be NULL. */
long rec_read_typed(const struct recording *r, uint32_t type, const struct rec_type *t, bool need,
		    void **out, struct rec_fieldnotes *notes, char *err, size_t errlen);

/* Version 3 (record/legacy_v3.c): the schema text of what a version 3 record section held (the
 * structs as the last version 3 build laid them out), or NULL for a section that was none. */
const char *rec_v3_schema_of(uint32_t section);

#endif
