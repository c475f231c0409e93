/* Recording file format: round trip, and every way a file can be damaged
 * (cut at any byte, any byte flipped, wrong version, trailing bytes, a
 * record layout from another build) gives one error with a byte offset and
 * never a crash. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "record/recdata.h"
#include "record/recfile.h"
#include "testutil.h"

struct rec3 { uint64_t a, b, c; };

static void build(struct rec_writer *w)
{
	const char meta[] = "iopath_version=test\nkernel=6.1.0-56-amd64\nplatform=Xen HVM\n";
	struct rec3 r[3] = { { 1, 2, 3 }, { 4, 5, 6 }, { 7, 8, 9 } };

	recw_init(w);
	recw_section(w, RS_META, meta, strlen(meta));
	recw_records(w, RS_NET_DEV, r, sizeof(r[0]), 3);
	recw_section(w, RS_POINTS, "1\tnet-stack\tnet_dev_queue\n", 26);
}

START_TEST(round_trip)
{
	char path[] = "/tmp/iopath-rec-XXXXXX", err[256], v[64];
	struct rec_writer w;
	struct recording r;
	const struct rec3 *recs;
	struct stat st;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	close(fd);
	unlink(path);
	build(&w);
	ck_assert_int_eq(recw_commit(&w, path), 0);
	recw_free(&w);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(rec_load(path, &r, err, sizeof(err)), 0);
	ck_assert_int_eq(r.nsec, 4);
	ck_assert_int_eq(rec_meta(&r, "kernel", v, sizeof(v)), 0);
	ck_assert_str_eq(v, "6.1.0-56-amd64");
	ck_assert_int_eq(rec_meta(&r, "platform", v, sizeof(v)), 0);
	ck_assert_str_eq(v, "Xen HVM");
	ck_assert_int_ne(rec_meta(&r, "kern", v, sizeof(v)), 0);
	ck_assert_int_eq(rec_records(rec_find(&r, RS_NET_DEV), sizeof(struct rec3), (const void **)&recs,
				     err, sizeof(err)), 3);
	ck_assert_uint_eq(recs[2].c, 9);
	/* a build whose record is bigger refuses, naming the sizes */
	ck_assert_int_eq(rec_records(rec_find(&r, RS_NET_DEV), 32, (const void **)&recs, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "24-byte records"), "%s", err);
	rec_free(&r);
	/* no temp file left behind */
	{
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "ls %s.tmp.* 2>/dev/null | grep -q .", path);
		ck_assert_int_ne(system(cmd), 0);
	}
	unlink(path);
}
END_TEST

START_TEST(every_truncation_and_corruption)
{
	struct rec_writer w;
	struct recording r;
	char err[256];

	build(&w);
	recw_section(&w, RS_END, NULL, 0);
	ck_assert_int_eq(rec_parse(w.buf, w.len, &r, err, sizeof(err)), 0);
	rec_free(&r);
	for (size_t n = 0; n < w.len; n++) {
		err[0] = 0;
		ck_assert_msg(rec_parse(w.buf, n, &r, err, sizeof(err)) == -EINVAL, "cut at %zu parsed", n);
		ck_assert_msg(strstr(err, "byte "), "cut at %zu: no offset in '%s'", n, err);
		ck_assert_msg(!strchr(err, '\n'), "multi-line error");
	}
	for (size_t i = 0; i < w.len; i++) {
		uint8_t save = w.buf[i];

		w.buf[i] ^= 0x5a;
		err[0] = 0;
		ck_assert_msg(rec_parse(w.buf, w.len, &r, err, sizeof(err)) == -EINVAL,
			      "flipped byte %zu still parsed", i);
		ck_assert_msg(strstr(err, "byte "), "flip at %zu: '%s'", i, err);
		w.buf[i] = save;
	}
	/* trailing garbage */
	{
		uint8_t *b = malloc(w.len + 3);

		memcpy(b, w.buf, w.len);
		memcpy(b + w.len, "xyz", 3);
		ck_assert_int_eq(rec_parse(b, w.len + 3, &r, err, sizeof(err)), -EINVAL);
		ck_assert_msg(strstr(err, "after the END"), "%s", err);
		free(b);
	}
	/* a version from the future, and one from before the oldest this build reads */
	w.buf[8] = 99;
	ck_assert_int_eq(rec_parse(w.buf, w.len, &r, err, sizeof(err)), -EINVAL);
	ck_assert_msg(strstr(err, "version 99 at byte 8; this iopath reads versions 3 to 4"), "%s", err);
	w.buf[8] = 2;
	ck_assert_int_eq(rec_parse(w.buf, w.len, &r, err, sizeof(err)), -EINVAL);
	ck_assert_msg(strstr(err, "version 2 at byte 8"), "%s", err);
	/* version 3 (no schemas): still read */
	w.buf[8] = 3;
	ck_assert_msg(rec_parse(w.buf, w.len, &r, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(r.version, 3);
	rec_free(&r);
	recw_free(&w);
}
END_TEST

START_TEST(not_a_recording)
{
	char err[256];
	struct recording r;

	ck_assert_int_lt(rec_load("/nonexistent/x.rec", &r, err, sizeof(err)), 0);
	ck_assert(strstr(err, "cannot open"));
	ck_assert_int_lt(rec_load("/etc", &r, err, sizeof(err)), 0);
	ck_assert_int_eq(rec_parse((const uint8_t *)"hello", 5, &r, err, sizeof(err)), -EINVAL);
	ck_assert(strstr(err, "bad magic"));
}
END_TEST

/* Every META field survives save + load (one table writes and reads them), and what record
 * printed live from them, such as the recursion-guard line, report prints from the file. */
START_TEST(meta_round_trip)
{
	char path[] = "/tmp/iopath-meta-XXXXXX", err[256], *out;
	static struct exits_report ex;   /* an empty exits section: has_exits needs one */
	struct rec_data d = {
		.exits = &ex,
		.version = "v1-test", .kernel = "6.1.0-56-amd64", .platform = "Xen HVM",
		.options = "--exits\t-d 1\n", .start_unix = 1764620000, .end_unix = 1764620009,
		.has_exits = true, .load_ms = 12.5, .attach_ms = 0.25, .irqs_mapped = 3,
		.disk_irqs_mapped = 2, .cmd_status = 5, .nstacks = 11, .recursion_misses = 7,
		.stacks_dropped = 13,
		.btf_unmeasured = "queue numbers at driver points (no struct nvme_queue) (--btf x.btf)",
	}, l;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(rec_data_save(&d, path), 0);
	ck_assert_msg(rec_data_load(&l, path, err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(l.version, "v1-test");
	ck_assert_str_eq(l.kernel, "6.1.0-56-amd64");
	ck_assert_str_eq(l.platform, "Xen HVM");
	ck_assert_str_eq(l.options, "--exits -d 1 ");   /* tabs and newlines cannot break META */
	ck_assert_int_eq(l.start_unix, 1764620000);
	ck_assert_int_eq(l.end_unix, 1764620009);
	ck_assert(l.has_exits && !l.has_net && !l.has_blk && !l.has_deep && !l.has_host);
	ck_assert(l.load_ms == 12.5 && l.attach_ms == 0.25);
	ck_assert_uint_eq(l.irqs_mapped, 3);
	ck_assert_uint_eq(l.disk_irqs_mapped, 2);
	ck_assert_int_eq(l.cmd_status, 5);
	ck_assert_uint_eq(l.nstacks, 11);
	ck_assert_uint_eq(l.recursion_misses, 7);
	ck_assert_uint_eq(l.stacks_dropped, 13);
	ck_assert_str_eq(l.btf_unmeasured, d.btf_unmeasured);
	out = CAPTURE(f, rec_data_print(f, &l));
	ck_assert_msg(strstr(out, "not measured: queue numbers at driver points (no struct nvme_queue) "
			      "(--btf x.btf)\n"), "%s", out);
	ck_assert_msg(strstr(out, "NOT RECORDED: 7 handler runs skipped by the kernel's recursion guard"), "%s", out);
	ck_assert_msg(strstr(out, "NOT RECORDED: 13 probe hits without a kernel stack: " STACKS_DROPPED_WHY "\n"),
		      "%s", out);
	free(out);
	out = CAPTURE(f, rec_data_json(f, &l));
	ck_assert_msg(strstr(out, "\"btf_not_measured\": \"queue numbers at driver points"), "%s", out);
	ck_assert_msg(strstr(out, "\"stacks\": {\n    \"pairs\": 11,\n    \"hits_without_stack\": 13\n  }"), "%s", out);
	free(out);
	rec_data_free(&l);
	unlink(path);
}
END_TEST

int main(void)
{
	return RUN_TESTS("recfile", "format", round_trip, every_truncation_and_corruption,
		not_a_recording, meta_round_trip);
}
