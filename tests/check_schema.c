/* The field tables of record/schema.c against the structs they describe: every byte of every
 * struct is a row (a field, a SKIP member or declared PAD), rows in member order with no gap and
 * no overlap; a nested record's row is exactly its type's size; the schema text each section
 * writes parses back; and the frozen version 3 layout still names each section's record type. */
#include <string.h>

#include "record/recfile.h"
#include "record/schema.h"
#include "testutil.h"

/* The bytes of t no row covers, or rows out of place: a message, or "" when the table is exact. */
static void walk(const struct rec_type *t, char *msg, size_t n)
{
	unsigned at = 0;

	msg[0] = 0;
	for (unsigned i = 0; i < t->nfields; i++) {
		const struct rec_field *f = &t->fields[i];
		unsigned span = f->size * (f->dims[0] ? f->dims[0] : 1) * (f->dims[1] ? f->dims[1] : 1);

		if (f->kind == RK_PAD) {
			at += f->size;
			continue;
		}
		if (f->off != at) {
			snprintf(msg, n, "%s: bytes %u..%u before '%s' have no row (or a PAD before it is "
				 "wrong: it starts at %u)", t->name, at, f->off, f->name, f->off);
			return;
		}
		if (f->kind == RK_REC && f->size != f->rec->size) {
			snprintf(msg, n, "%s.%s: %u bytes per element, its type %s has %u", t->name, f->name,
				 f->size, f->rec->name, f->rec->size);
			return;
		}
		at += span;
	}
	if (at != t->size)
		snprintf(msg, n, "%s: bytes %u..%u at the end have no row (a PAD?)", t->name, at, t->size);
}

START_TEST(every_byte_has_a_row)
{
	char msg[300];

	ck_assert_uint_ge(rec_nall_types, 34);
	for (unsigned i = 0; i < rec_nall_types; i++) {
		walk(rec_all_types[i], msg, sizeof(msg));
		ck_assert_msg(!msg[0], "record/schema.c: %s", msg);
	}
}
END_TEST

/* The check itself: a table that misses a member or misplaces a PAD is caught. */
START_TEST(walk_catches_a_missing_row)
{
	struct s { unsigned a; unsigned long long b; };
	static const struct rec_field rows[] = {
		{ "a", RK_UINT, 4, 0 }, { "", RK_PAD, 4 }, { "b", RK_UINT, 8, 8 },
	};
	static const struct rec_field short_rows[] = { { "a", RK_UINT, 4, 0 }, { "", RK_PAD, 4 } };
	const struct rec_type t = { "s", sizeof(struct s), rows, 3 }, u = { "s", sizeof(struct s), short_rows, 2 };
	char msg[300];

	walk(&t, msg, sizeof(msg));
	ck_assert_msg(!msg[0], "%s", msg);
	walk(&u, msg, sizeof(msg));
	ck_assert_msg(strstr(msg, "bytes 8..16 at the end"), "%s", msg);
	{
		static const struct rec_field gap[] = { { "a", RK_UINT, 4, 0 }, { "b", RK_UINT, 8, 8 } };
		const struct rec_type g = { "s", sizeof(struct s), gap, 2 };

		walk(&g, msg, sizeof(msg));
		ck_assert_msg(strstr(msg, "bytes 4..8 before 'b'"), "%s", msg);
	}
}
END_TEST

/* The record types of every section this build writes, and the version 3 section each was. */
static const struct { uint32_t section; const struct rec_type *t; } sections[] = {
	{ RS_NET_GLOBAL, &rt_net_report }, { RS_NET_DEV, &rt_net_report_dev },
	{ RS_BLK_GLOBAL, &rt_blk_report }, { RS_BLK_CLS, &rt_blk_report_class },
	{ RS_BLK_DISK, &rt_blk_report_disk }, { RS_EXITS_GLOBAL, &rt_exits_report },
	{ RS_EXITS_IRQ, &rt_ex_irq_row }, { RS_EXITS_ARCH, &rt_ex_arch_row },
	{ RS_HOST_GLOBAL, &rt_host_report }, { RS_HOST_EXIT, &rt_host_exit_row },
	{ RS_HOST_IO, &rt_host_io_row }, { RS_HOST_CNT, &rt_host_cnt_row },
	{ RS_HOST_PROC, &rt_host_proc }, { RS_HOST_INJ, &rt_host_inj_row },
};

/* The numbers of a and b (records of t), nested ones too, are the same: NULL, or the first that
 * differs. Only the first upto bytes of a top-level record: fields appended since version 3 (the
 * traced tasks' of exits_report) lie past them, were not in the file and read as 0. */
static const char *same_numbers_upto(const struct rec_type *t, const uint8_t *a, const uint8_t *b, unsigned upto)
{
	for (unsigned i = 0; i < t->nfields; i++) {
		const struct rec_field *f = &t->fields[i];
		unsigned n = (f->dims[0] ? f->dims[0] : 1) * (f->dims[1] ? f->dims[1] : 1);
		const char *bad;

		if (f->kind != RK_PAD && f->off >= upto) {
			for (unsigned c = 0; c < (size_t)n * f->size; c++)
				if (a[f->off + c])
					return f->name;   /* appended: nothing in the file, so 0 */
			continue;
		}
		if (f->kind == RK_REC) {
			for (unsigned e = 0; e < n; e++)
				if ((bad = same_numbers_upto(f->rec, a + f->off + e * f->size, b + f->off + e * f->size, f->rec->size)))
					return bad;
		} else if (f->kind == RK_UINT || f->kind == RK_SINT || f->kind == RK_FLOAT) {
			if (memcmp(a + f->off, b + f->off, (size_t)n * f->size))
				return f->name;
		}
	}
	return NULL;
}

/* The frozen version 3 layout reads into this build's type of the same section, and its last
 * type is that type: a v3 section of this build's struct reads back byte for byte (the data
 * fields; today's structs are the v3 layout). */
START_TEST(v3_layout_reads_into_todays_structs)
{
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		const struct rec_type *t = sections[i].t;
		const char *v3 = rec_v3_schema_of(sections[i].section);
		struct rec_writer w;
		struct recording r;
		char err[300], last[80];
		unsigned v3size;
		uint8_t *rec = malloc(t->size);
		void *out;
		const char *p;

		ck_assert_msg(v3, "section %u has no version 3 layout", sections[i].section);
		p = strstr(v3, "type ");
		for (const char *q = p; (q = strstr(q + 1, "\ntype ")); )
			p = q + 1;
		snprintf(last, sizeof(last), "type %s ", t->name);
		ck_assert_msg(!strncmp(p, last, strlen(last)), "section %u: v3 layout ends with '%.40s'",
			      sections[i].section, p);
		/* a v3 file: the struct as it was (its size in the layout: today's may have fields appended
		 * at the end, never inserted), record size first */
		v3size = (unsigned)strtoul(p + strlen(last), NULL, 10);
		ck_assert_msg(v3size && v3size <= t->size, "section %u: v3 size %u, today %u", sections[i].section,
			      v3size, t->size);
		for (unsigned b = 0; b < t->size; b++)
			rec[b] = (uint8_t)(b * 7 + 1);
		recw_init(&w);
		w.buf[8] = 3;
		recw_records(&w, sections[i].section, rec, v3size, 1);
		recw_section(&w, RS_END, NULL, 0);
		ck_assert_msg(rec_parse(w.buf, w.len, &r, err, sizeof(err)) == 0, "%s", err);
		ck_assert_msg(rec_read_typed(&r, sections[i].section, t, true, &out, NULL, err, sizeof(err)) == 1,
			      "section %u: %s", sections[i].section, err);
		p = same_numbers_upto(t, out, rec, v3size);
		ck_assert_msg(!p, "%s: '%s' differs after a version 3 read", t->name, p);
		free(out);
		rec_free(&r);
		recw_free(&w);
		free(rec);
	}
}
END_TEST

int main(void)
{
	return RUN_TESTS("schema", "field tables", every_byte_has_a_row, walk_catches_a_missing_row,
			 v3_layout_reads_into_todays_structs);
}
