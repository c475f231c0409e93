/* Golden outputs of the report printers: each committed recording tests/golden/NAME.rec and
 * tests/fixtures/recordings/NAME.rec, loaded and printed in text and JSON, must equal NAME.txt
 * and NAME.json byte for byte. A change of wording or layout is deliberate: tools/regen-golden.sh
 * rewrites the outputs, and the diff goes into the same commit. The recordings are real (lab and
 * live runs) and seed the fuzzer too. tests/fixtures/recordings/ holds one recording of each
 * format version as the build of that version made it (v3-*.rec by iopath 0.6.0, a
 * version 3 build; v4-*.rec by the first version 4 build): every later build must read them,
 * so they are never re-made, only their outputs regenerated. */
#include <glob.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "out/json.h"
#include "record/recdata.h"
#include "record/recdiff.h"
#include "testutil.h"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *b = NULL;
	size_t cap = 0, n;

	*len = 0;
	if (!f)
		return NULL;
	for (;;) {
		if (*len + 4096 > cap && !(b = realloc(b, cap = cap * 2 + 8192)))
			break;
		n = fread(b + *len, 1, 4096, f);
		*len += n;
		if (n < 4096)
			break;
	}
	fclose(f);
	return b;
}

/* The first line where two outputs differ, for the failure message. */
static void first_diff(const char *a, size_t alen, const char *b, size_t blen, char *out, size_t n)
{
	size_t i = 0, line = 1, ls = 0;

	while (i < alen && i < blen && a[i] == b[i]) {
		if (a[i] == '\n') {
			line++;
			ls = i + 1;
		}
		i++;
	}
	snprintf(out, n, "line %zu: printed '%.80s' ...", line, a + ls);
	for (char *p = out; *p; p++)
		if (*p == '\n')
			*p = ' ';
	(void)blen;
}

static void compare(const char *rec, int json)
{
	char want_path[512], err[300], diff[200];
	char *got, *want;
	size_t got_len, want_len;
	struct rec_data d;

	snprintf(want_path, sizeof(want_path), "%.*s.%s", (int)(strlen(rec) - 4), rec, json ? "json" : "txt");
	want = slurp(want_path, &want_len);
	ck_assert_msg(want, "%s missing: run tools/regen-golden.sh", want_path);
	ck_assert_msg(rec_data_load(&d, rec, err, sizeof(err)) == 0, "%s: %s", rec, err);
	got = CAPTURE_LEN(m, got_len, if (json) rec_data_json(m, &d); else rec_data_print(m, &d));
	rec_data_free(&d);
	if (got_len != want_len || memcmp(got, want, got_len)) {
		first_diff(got, got_len, want, want_len, diff, sizeof(diff));
		ck_abort_msg("%s differs from the printer's output (%zu vs %zu bytes), %s; a deliberate "
			     "change: tools/regen-golden.sh", want_path, got_len, want_len, diff);
	}
	if (json) {   /* the document says which JSON schema it follows, first */
		char head[64];

		snprintf(head, sizeof(head), "{\n  \"schema_version\": %d,\n", IOP_JSON_SCHEMA_VERSION);
		ck_assert_msg(!strncmp(got, head, strlen(head)), "%s does not start with schema_version", want_path);
	}
	free(got);
	free(want);
}

static void same_as(const char *want_path, char *got, size_t got_len)
{
	char diff[200];
	char *want;
	size_t want_len;

	want = slurp(want_path, &want_len);
	ck_assert_msg(want, "%s missing: run tools/regen-golden.sh", want_path);
	if (got_len != want_len || memcmp(got, want, got_len)) {
		first_diff(got, got_len, want, want_len, diff, sizeof(diff));
		ck_abort_msg("%s differs from the printer's output (%zu vs %zu bytes), %s; a deliberate "
			     "change: tools/regen-golden.sh", want_path, got_len, want_len, diff);
	}
	free(got);
	free(want);
}

/* One line of diff/pairs: NAME A B [-a IFACE] [-b IFACE], both outputs. */
static void compare_diff(char *line)
{
	char *w[8], *save = NULL, pa[512], pb[512], path[512], err[300];
	struct rec_diff_opts o = {};
	struct rec_data A, B;
	int n = 0;

	for (char *t = strtok_r(line, " \t\n", &save); t && n < 8; t = strtok_r(NULL, " \t\n", &save))
		w[n++] = t;
	if (!n)
		return;
	ck_assert_msg(n >= 3 && n % 2 == 1, "diff/pairs: bad line for %s", w[0]);
	for (int i = 3; i + 1 < n; i += 2)
		if (!strcmp(w[i], "-a"))
			o.ia = w[i + 1];
		else if (!strcmp(w[i], "-b"))
			o.ib = w[i + 1];
		else
			ck_abort_msg("diff/pairs %s: unknown option %s", w[0], w[i]);
	snprintf(pa, sizeof(pa), "tests/golden/%s", w[1]);
	snprintf(pb, sizeof(pb), "tests/golden/%s", w[2]);
	o.a_file = pa;
	o.b_file = pb;
	ck_assert_msg(rec_data_load(&A, pa, err, sizeof(err)) == 0, "%s: %s", pa, err);
	ck_assert_msg(rec_data_load(&B, pb, err, sizeof(err)) == 0, "%s: %s", pb, err);
	ck_assert_msg(rec_diff_check(&A, &B, &o, err, sizeof(err)) == 0, "%s: %s", w[0], err);
	for (int json = 0; json < 2; json++) {
		size_t len;
		char *got = CAPTURE_LEN(m, len, ck_assert_int_eq(rec_diff_print(m, &A, &B, &o, json), 0));

		snprintf(path, sizeof(path), "tests/golden/diff/%s.%s", w[0], json ? "json" : "txt");
		same_as(path, got, len);
	}
	rec_data_free(&A);
	rec_data_free(&B);
}

START_TEST(golden_diffs)
{
	FILE *f = fopen("tests/golden/diff/pairs", "r");
	char line[512];
	int pairs = 0;

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f))
		if (line[0] != '#' && line[0] != '\n') {
			compare_diff(line);
			pairs++;
		}
	fclose(f);
	ck_assert_int_ge(pairs, 4);
}
END_TEST

/* The committed recordings (pattern), at least min of them. */
static void recordings(const char *pattern, size_t min, glob_t *g)
{
	ck_assert_int_eq(glob(pattern, 0, NULL, g), 0);
	ck_assert_uint_ge(g->gl_pathc, min);
}

START_TEST(golden_outputs)
{
	glob_t g;

	recordings("tests/golden/*.rec", 3, &g);   /* net+blk+exits, KVM host, and an older-layout regression */
	for (size_t i = 0; i < g.gl_pathc; i++) {
		compare(g.gl_pathv[i], 0);
		compare(g.gl_pathv[i], 1);
	}
	globfree(&g);
}
END_TEST

/* The recordings of each format version read by this build print as committed. */
START_TEST(every_format_version_reads)
{
	glob_t g;
	bool v3 = false, v4 = false;

	recordings("tests/fixtures/recordings/*.rec", 2, &g);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		struct recording r;
		char err[300];

		ck_assert_msg(rec_load(g.gl_pathv[i], &r, err, sizeof(err)) == 0, "%s: %s", g.gl_pathv[i], err);
		v3 |= r.version == 3;
		v4 |= r.version == 4;
		rec_free(&r);
		compare(g.gl_pathv[i], 0);
		compare(g.gl_pathv[i], 1);
	}
	ck_assert_msg(v3 && v4, "tests/fixtures/recordings/ lacks a recording of version %d", v3 ? 4 : 3);
	globfree(&g);
}
END_TEST

/* Every committed recording saved again by this build (typed sections) and read back prints
 * the same, text and JSON: every field of every section goes through the writer and reader.
 * What the old file lacked is written now (as the 0 it read as), so that note goes. */
static void resave(const char *rec)
{
	char path[] = "/tmp/iopath-resave-XXXXXX", err[300];
	struct rec_data a, b;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_msg(rec_data_load(&a, rec, err, sizeof(err)) == 0, "%s: %s", rec, err);
	ck_assert_int_eq(rec_data_save(&a, path), 0);
	ck_assert_msg(rec_data_load(&b, path, err, sizeof(err)) == 0, "%s saved again: %s", rec, err);
	ck_assert_uint_eq(b.fields.nabsent, 0);
	ck_assert_uint_eq(b.fields.nunknown, 0);
	rec_fieldnotes_free(&a.fields);
	for (int json = 0; json <= 1; json++) {
		char *x = CAPTURE(f, if (json) rec_data_json(f, &a); else rec_data_print(f, &a));
		char *y = CAPTURE(f, if (json) rec_data_json(f, &b); else rec_data_print(f, &b));

		ck_assert_msg(!strcmp(x, y), "%s saved again prints differently (%s)", rec, json ? "JSON" : "text");
		free(x);
		free(y);
	}
	rec_data_free(&a);
	rec_data_free(&b);
	unlink(path);
}

START_TEST(saved_again_reads_the_same)
{
	glob_t g;

	recordings("tests/golden/*.rec", 3, &g);
	for (size_t i = 0; i < g.gl_pathc; i++)
		resave(g.gl_pathv[i]);
	globfree(&g);
	recordings("tests/fixtures/recordings/*.rec", 2, &g);
	for (size_t i = 0; i < g.gl_pathc; i++)
		resave(g.gl_pathv[i]);
	globfree(&g);
}
END_TEST

int main(void)
{
	return RUN_TESTS_TIMEOUT("golden", "report printers", 30, golden_outputs, golden_diffs, every_format_version_reads,
				 saved_again_reads_the_same);
}
