/* Golden outputs of the report printers: each committed recording tests/golden/NAME.rec, loaded
 * and printed in text and JSON, must equal NAME.txt and NAME.json byte for byte. A change of
 * wording or layout is deliberate: tools/regen-golden.sh rewrites the files, and the diff goes
 * into the same commit. The recordings are real (lab and live runs) and seed the fuzzer too. */
#include <glob.h>
#include <stdio.h>
#include <string.h>

#include "record/recdata.h"
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
	free(got);
	free(want);
}

START_TEST(golden_outputs)
{
	glob_t g;

	ck_assert_int_eq(glob("tests/golden/*.rec", 0, NULL, &g), 0);
	ck_assert_uint_ge(g.gl_pathc, 3);   /* net+blk+exits, KVM host, and an older-layout regression */
	for (size_t i = 0; i < g.gl_pathc; i++) {
		compare(g.gl_pathv[i], 0);
		compare(g.gl_pathv[i], 1);
	}
	globfree(&g);
}
END_TEST

int main(void)
{
	return RUN_TESTS("golden", "report printers", golden_outputs);
}
