/* Recordings across builds. From the committed recording of the current format
 * (tests/fixtures/recordings/v4-net-blk.rec) each test makes the file another build would have
 * written (tests/recedit.h) and checks what this build does with it:
 *   - a newer build's: a field this build does not know, first in a record type so that no
 *     field is where this build's struct has it; a section, META key and POINTS column of its
 *     own: all skipped and noted, and the report is the same, text and JSON;
 *   - an older build's: a field missing reads as 0 whatever bytes are where it was, and is
 *     known absent (rec_field_present, "not in this recording" in the report);
 *   - integers written narrower and arrays written shorter read widened / zero-filled;
 *   - a known field of another type is one error line with the byte offset of its schema line;
 *   - every byte of a schema damaged (checksums fixed) gives a load or a clean error. */
#include <string.h>
#include <unistd.h>

#include "record/recdata.h"
#include "record/schema.h"
#include "recedit.h"
#include "testutil.h"

#define V4 "tests/fixtures/recordings/v4-net-blk.rec"

static void load_v4(struct ed_rec *e)
{
	struct recording r;
	char err[300];

	ck_assert_msg(rec_load(V4, &r, err, sizeof(err)) == 0, "%s: %s", V4, err);
	ck_assert_uint_eq(r.version, 4);
	ed_from(e, &r);
	rec_free(&r);
}

/* rec_data_from of an edited file: 0 or the error in err. */
static int from_ed(const struct ed_rec *e, struct rec_data *d, char *err, size_t errlen, uint8_t **bytes,
		   size_t *len)
{
	struct recording r;
	int ret;

	*bytes = ed_bytes(e, len);
	memset(d, 0, sizeof(*d));
	ret = rec_parse(*bytes, *len, &r, err, errlen);
	if (ret)
		return ret;
	ret = rec_data_from(d, &r, err, errlen);
	rec_free(&r);
	return ret;
}

static char *text_of(const struct rec_data *d, bool json)
{
	return CAPTURE(f, if (json) rec_data_json(f, d); else rec_data_print(f, d));
}

START_TEST(newer_file_reads_the_same)
{
	struct ed_rec e;
	struct rec_data orig, d;
	char err[300], *a, *b;
	uint8_t *bytes;
	size_t len;
	static const char future[] = "what a later build keeps here";

	ck_assert_msg(rec_data_load(&orig, V4, err, sizeof(err)) == 0, "%s", err);
	load_v4(&e);
	ed_prepend_u64(ed_find(&e, RS_NET_DEV), "future_ns", 0x1122334455667788ull);
	ed_add(&e, 0x7f0001, future, sizeof(future));          /* a section of its own */
	ed_replace(ed_find(&e, RS_META), "kernel=", "future_key=7\nkernel=");
	{   /* a POINTS column of its own, in the middle */
		struct ed_sec *p = ed_find(&e, RS_POINTS);
		char *t = strndup((char *)p->data, p->len), *o = malloc(p->len * 2 + 64), *w = o;

		for (char *line = t, *nl; *line; line = nl + 1) {
			char *tab = strchr(line, '\t');

			nl = strchr(line, '\n');
			w += sprintf(w, "%.*s\t%s%.*s\n", (int)(tab - line), line, line == t ? "future_col" : "x y",
				     (int)(nl - tab), tab);
		}
		free(p->data);
		p->data = (uint8_t *)o;
		p->len = w - o;
		free(t);
	}
	ck_assert_msg(from_ed(&e, &d, err, sizeof(err), &bytes, &len) == 0, "%s", err);
	a = text_of(&orig, false);
	b = text_of(&d, false);
	ck_assert_msg(!strcmp(b, a), "prints differently from the original (%zu vs %zu bytes)", strlen(b), strlen(a));
	free(a);
	free(b);
	a = text_of(&orig, true);
	b = text_of(&d, true);
	ck_assert_msg(!strcmp(b, a), "prints differently from the original (%zu vs %zu bytes)", strlen(b), strlen(a));
	free(a);
	free(b);
	ck_assert_uint_eq(d.fields.nunknown, 3);
	ck_assert_str_eq(d.fields.unknown[0], "meta.future_key");
	ck_assert_str_eq(d.fields.unknown[1], "points.future_col");
	ck_assert_str_eq(d.fields.unknown[2], "net_report_dev.future_ns");
	ck_assert_uint_eq(d.fields.nabsent, orig.fields.nabsent);   /* META keys newer than the fixture */
	rec_data_free(&d);
	{   /* loaded from a file, as report does: one warning line says what was skipped */
		char path[] = "/tmp/iopath-newer-XXXXXX", log[] = "/tmp/iopath-newer-err-XXXXXX", got[400] = "";
		int fd = mkstemp(path), lf = mkstemp(log), saved = dup(2);
		FILE *f;

		ck_assert_int_eq(write(fd, bytes, len), (ssize_t)len);
		close(fd);
		dup2(lf, 2);
		ck_assert_msg(rec_data_load(&d, path, err, sizeof(err)) == 0, "%s", err);
		fflush(stderr);
		dup2(saved, 2);
		close(saved);
		f = fdopen(lf, "r");
		rewind(f);
		ck_assert_uint_eq(fread(got, 1, sizeof(got) - 1, f) > 0, 1);
		fclose(f);
		ck_assert_msg(strstr(got, ": 3 field(s) this iopath does not know were skipped (a newer iopath made "
				     "it): meta.future_key, ...\n") && strchr(got, '\n') == got + strlen(got) - 1,
			      "'%s'", got);
		rec_data_free(&d);
		unlink(path);
		unlink(log);
	}
	rec_data_free(&orig);
	free(bytes);
	ed_free(&e);
}
END_TEST

START_TEST(older_file_missing_field_reads_as_zero_and_absent)
{
	struct ed_rec e;
	struct rec_data d;
	char err[300], *t;
	uint8_t *bytes;
	size_t len;
	struct ed_sec *s;
	uint32_t count, stride, off;
	const uint8_t *recs;
	char *schema;

	load_v4(&e);
	s = ed_find(&e, RS_BLK_GLOBAL);
	schema = ed_schema(s, &count, &recs, &stride);
	ck_assert_msg(sscanf(strstr(schema, "\tlost_nested u64 "), "\tlost_nested u64 %u", &off) == 1, "%s", schema);
	free(schema);
	ed_schema_replace(s, "\tlost_nested u64 ", "\tother_name u64 ");   /* an older build's name */
	{   /* and whatever bytes sit where this build keeps lost_nested: not read */
		uint32_t sl;

		memcpy(&sl, s->data, 4);
		memset(s->data + 8 + sl + off, 0xee, 8);
	}
	ck_assert_msg(from_ed(&e, &d, err, sizeof(err), &bytes, &len) == 0, "%s", err);
	ck_assert_uint_eq(d.blk->lost_nested, 0);
	ck_assert(!rec_field_present(&d.fields, "blk_report", "lost_nested"));
	ck_assert(rec_field_present(&d.fields, "blk_report", "in_flight"));
	ck_assert(rec_field_present(&d.fields, "net_agg", "bytes"));
	t = text_of(&d, false);
	{
		const char *l = strstr(t, "\nnot in this recording (an older iopath made it), shown as 0 or empty: ");

		ck_assert_msg(l, "no 'not in this recording' line: %.300s", t);
		ck_assert_msg(strstr(l, "blk_report.lost_nested") < strchr(l + 1, '\n') &&
			      strstr(l, "blk_report.lost_nested"), "%.300s", l);
	}
	free(t);
	t = text_of(&d, true);
	ck_assert_msg(strstr(t, "\"not_in_recording\": [\n") && strstr(t, "    \"blk_report.lost_nested\""),
		      "%.400s", t);
	free(t);
	rec_data_free(&d);
	free(bytes);
	ed_free(&e);
}
END_TEST

START_TEST(narrower_and_shorter_read_widened)
{
	struct ed_rec e;
	struct rec_data orig, d;
	char err[300], *a, *b;
	uint8_t *bytes;
	size_t len;
	struct ed_sec *s;
	uint32_t sl;

	ck_assert_msg(rec_data_load(&orig, V4, err, sizeof(err)) == 0, "%s", err);
	load_v4(&e);
	/* ifindex written as u16 (the values fit: the low bytes), ncls as s16 */
	ed_schema_replace(ed_find(&e, RS_NET_DEV), "\tifindex u32 4 4\n", "\tifindex u16 4 2\n");
	ed_schema_replace(ed_find(&e, RS_BLK_GLOBAL), "\tncls s32 0 4\n", "\tncls s16 0 2\n");
	/* an older build with one block counter fewer, whose last slot holds something else */
	s = ed_find(&e, RS_BLK_GLOBAL);
	ed_schema_replace(s, "\tctr u64 24 8 15\n", "\tctr u64 24 8 14\n");
	memcpy(&sl, s->data, 4);
	memset(s->data + 8 + sl + 24 + 14 * 8, 0xee, 8);
	ck_assert_msg(from_ed(&e, &d, err, sizeof(err), &bytes, &len) == 0, "%s", err);
	ck_assert_uint_eq(d.blk->ctr[BC__COUNT - 1], 0);
	for (int i = 0; i < BC__COUNT - 1; i++)
		ck_assert_uint_eq(d.blk->ctr[i], orig.blk->ctr[i]);
	ck_assert_uint_eq(d.net->dev[0].ifindex, orig.net->dev[0].ifindex);
	orig.blk->ctr[BC__COUNT - 1] = 0;   /* BC_TOMBSTONES: 0 in this recording anyway */
	a = text_of(&orig, false);
	b = text_of(&d, false);
	ck_assert_msg(!strcmp(b, a), "prints differently from the original (%zu vs %zu bytes)", strlen(b), strlen(a));
	free(a);
	free(b);
	rec_data_free(&d);
	rec_data_free(&orig);
	free(bytes);
	ed_free(&e);
}
END_TEST

START_TEST(known_field_of_another_type_is_one_error)
{
	struct ed_rec e;
	struct rec_data d;
	char err[300], want[200];
	uint8_t *bytes;
	size_t len, at;

	load_v4(&e);
	ed_schema_replace(ed_find(&e, RS_BLK_GLOBAL), "\tseconds f64 ", "\tseconds u64 ");
	ck_assert_int_eq(from_ed(&e, &d, err, sizeof(err), &bytes, &len), -EINVAL);
	rec_data_free(&d);
	ck_assert_msg(sscanf(err, "incompatible at byte %zu:", &at) == 1, "%s", err);
	ck_assert_msg(at < len && !memcmp(bytes + at, "\tseconds u64 ", 13), "byte %zu is not the field's line", at);
	snprintf(want, sizeof(want), "incompatible at byte %zu: field blk_report.seconds is u64 in the recording, "
		 "f64 in this iopath", at);
	ck_assert_str_eq(err, want);
	free(bytes);
	ed_free(&e);
	/* a scalar that became an array is another type too */
	load_v4(&e);
	ed_schema_replace(ed_find(&e, RS_BLK_GLOBAL), "\tin_flight u64 200 8\n", "\tin_flight u64 200 8 2\n");
	ck_assert_int_eq(from_ed(&e, &d, err, sizeof(err), &bytes, &len), -EINVAL);
	rec_data_free(&d);
	ck_assert_msg(strstr(err, "field blk_report.in_flight is u64[2] in the recording, u64 in this iopath"), "%s", err);
	free(bytes);
	ed_free(&e);
}
END_TEST

/* Every byte of one section's schema text changed (three ways), the checksums made right: the
 * file loads, or fails with one line naming a byte; never a crash or an out-of-range read. */
START_TEST(damaged_schema_is_a_clean_error)
{
	static const uint8_t subst[] = { 0, ' ', '9' };
	struct ed_rec e;
	struct ed_sec *s;
	uint32_t sl;
	unsigned loaded = 0, refused = 0;

	load_v4(&e);
	s = ed_find(&e, RS_BLK_GLOBAL);
	memcpy(&sl, s->data, 4);
	for (uint32_t i = 0; i < 4 + sl + 4; i++)
		for (size_t k = 0; k < sizeof(subst); k++) {
			uint8_t save = s->data[i], *bytes;
			struct rec_data d;
			char err[300] = "";
			size_t len;
			int ret;

			s->data[i] = i < 4 || i >= 4 + sl ? save ^ (k + 1) : subst[k];
			ret = from_ed(&e, &d, err, sizeof(err), &bytes, &len);
			rec_data_free(&d);
			free(bytes);
			s->data[i] = save;
			if (!ret) {
				loaded++;
				continue;
			}
			refused++;
			ck_assert_msg(ret == -EINVAL, "byte %u: %d (%s)", i, ret, err);
			ck_assert_msg(strstr(err, "byte ") && !strchr(err, '\n'), "byte %u: '%s'", i, err);
		}
	ck_assert_uint_gt(refused, sl);   /* most damage is caught, not read as something */
	ck_assert_uint_gt(loaded, 0);     /* a damaged field name is an unknown field: skipped */
	ed_free(&e);
}
END_TEST

int main(void)
{
	return RUN_TESTS_TIMEOUT("compat", "recordings across builds", 60, newer_file_reads_the_same,
				 older_file_missing_field_reads_as_zero_and_absent, narrower_and_shorter_read_widened,
				 known_field_of_another_type_is_one_error, damaged_schema_is_a_clean_error);
}
