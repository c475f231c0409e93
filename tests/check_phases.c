/* Unit tests of record's phases and the fixed workload's pure parts: a bundle minus an earlier
 * snapshot (record/recsub.c) over every section, rows matched by key, non-additive fields kept,
 * rows left at zero dropped, the result a recording that saves and loads with its META phase;
 * the mark lines and phase file names (record/phase.c); the workload's PRNG and offsets, the
 * --blk-write refusal on a fixture tree, and the argument checks of workload suite and peer. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "util/util.h"
#include "record/phase.h"
#include "record/recsub.h"
#include "record/sections.h"
#include "workload/workload.h"
#include "testutil.h"

static const struct probe_point test_pt = { .profile = "test", .symbols = "test_sym" };

/* A bundle of every section with counts scaled by k (a snapshot at "time" k). */
struct snapshot {
	struct rec_data d;
	struct net_report net;
	struct net_report_dev dev[3];
	struct blk_report blk;
	struct blk_report_class cls[1];
	struct blk_report_disk disk[1];
	struct exits_report x;
	struct ex_irq_row irq[1];
	struct ex_arch_row arch[1];
	struct host_report host;
	struct host_exit_row hexit[1];
	struct host_io_row hio[1];
	struct resolved pts[1];
	char stacks[128];
};

static void snapshot_init(struct snapshot *s, unsigned k)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->d.version, sizeof(s->d.version), "test");
	s->pts[0] = (struct resolved){ .pt = &test_pt, .id = 1, .status = PST_ATTACHED, .hits = 100 * k,
				       .nq = 1, .q = { { 3, 10 * k } } };
	/* net: dev 0 counts grow; dev 1 is idle (the same in both: dropped); dev 2 only at k 2 */
	s->net.ndev = k >= 2 ? 3 : 2;
	s->net.dev = s->dev;
	for (int i = 0; i < 3; i++) {
		s->dev[i].netns = 1;
		s->dev[i].ifindex = 10 + i;
		snprintf(s->dev[i].name, sizeof(s->dev[i].name), "eth%d", i);
	}
	s->dev[0].a.started = s->dev[0].a.ended = 10 * k;
	s->dev[0].a.total_hist[4] = 3 * k;
	s->dev[0].pair[0][1].count = 7 * k;
	s->dev[0].nq = 2;
	/* the queues in another order at k 2: matched by queue, not by index */
	s->dev[0].q[k >= 2 ? 1 : 0].queue = 0;
	s->dev[0].q[k >= 2 ? 1 : 0].started = 6 * k;
	s->dev[0].q[k >= 2 ? 0 : 1].queue = 1;
	s->dev[0].q[k >= 2 ? 0 : 1].started = 4 * k;
	s->dev[0].ntop = k >= 2 ? 2 : 1;
	s->dev[0].nsigs = s->dev[0].ntop;
	s->dev[0].top[0] = (struct top_sig){ 5, { .count = 8 * k, .len = 3 } };
	s->dev[0].top[1] = (struct top_sig){ 7, { .count = 15, .len = 4 } };   /* new at k 2 */
	s->dev[0].sig_packets = 10 * k;
	s->dev[1].a.started = 42;
	s->dev[2].a.started = 9;
	s->net.ctr[NC_STARTED] = 10 * k;
	s->net.in_flight = 5 - k;   /* a gauge */
	s->net.seconds = 1.5 * k;
	s->net.nsamples = s->net.samples_seen = k + 1;
	for (unsigned i = 0; i <= k; i++)
		s->net.samples[i].len = 100 + i;
	/* blk */
	s->blk.ncls = s->blk.ndisk = 1;
	s->blk.cls = s->cls;
	s->blk.disk = s->disk;
	s->cls[0].k = (struct blk_key){ .dev = 7, .op = 0, .size_class = 12 };
	s->cls[0].a.requests = s->cls[0].a.bytes = 4096 * k;
	s->disk[0].dev = 7;
	s->disk[0].nq = 1;
	s->disk[0].q[0].requests = 5 * k;
	s->blk.in_flight = 9 * k;
	/* exits */
	s->x.hz = 100;
	s->x.ncpu = 2;
	s->x.soft_before[3] = 1000;
	s->x.soft_after[3] = 1000 + 50 * k;
	s->x.soft[3].count = 50 * k;
	s->x.nmsr = 2;
	s->x.msr[k >= 2 ? 1 : 0] = (typeof(s->x.msr[0])){ 0x6e0, 20 * k };
	s->x.msr[k >= 2 ? 0 : 1] = (typeof(s->x.msr[0])){ 0x830, 2 * k };
	s->x.nirq = s->x.narch = 1;
	s->x.irqs = s->irq;
	s->x.arch = s->arch;
	s->irq[0].irq = 24;
	s->irq[0].v.count = s->irq[0].proc_delta = 11 * k;
	snprintf(s->irq[0].chip, sizeof(s->irq[0].chip), "PCI-MSI");
	snprintf(s->arch[0].name, sizeof(s->arch[0].name), "LOC");
	s->arch[0].delta = 100 * k;
	/* host */
	s->host.nexit = s->host.nio = 1;
	s->host.exit = s->hexit;
	s->host.io = s->hio;
	s->host.guest_packets = 1000;
	s->host.ioeventfd_probe = 1;
	s->hexit[0].k = (struct host_exit_key){ .pid = 99, .vcpu = 0, .reason = 30 };
	s->hexit[0].v.count = 3 * k;
	s->hexit[0].v.max_ns = 500 * k;   /* a maximum */
	s->hio[0].k.addr = 0xcf8;
	s->hio[0].v.count = 2 * k;
	s->hio[0].v.values = k >= 2 ? 0x3 : 0x1;   /* a mask */
	snprintf(s->stacks, sizeof(s->stacks), k >= 2 ? "a;b %u\nc;d 3\ne 1\n" : "c;d 3\na;b %u\n", 4 * k);
	s->d = (struct rec_data){
		.has_net = true, .has_blk = true, .has_exits = true, .has_host = true,
		.pts = s->pts, .n = 1, .net = &s->net, .blk = &s->blk, .exits = &s->x, .host = &s->host,
		.stacks = s->stacks, .stacks_len = strlen(s->stacks), .nstacks = k >= 2 ? 3 : 2,
		.recursion_misses = k, .cmd_status = -1, .load_ms = 12.5,
	};
	snprintf(s->d.version, sizeof(s->d.version), "test");
	snprintf(s->d.environment, sizeof(s->d.environment), "Xen under QEMU TCG");
}

static struct snapshot A, B;

START_TEST(sub_every_section)
{
	struct rec_data p;
	const struct net_report_dev *d;

	snapshot_init(&A, 1);
	snapshot_init(&B, 2);
	ck_assert_int_eq(rec_data_sub(&p, &B.d, &A.d), 0);
	/* META of the run: a phase file says where it was recorded as the whole run does */
	ck_assert_str_eq(p.environment, "Xen under QEMU TCG");
	ck_assert_str_eq(p.version, "test");
	/* points: hits and per-queue hits */
	ck_assert_uint_eq(p.n, 1);
	ck_assert_uint_eq(p.pts[0].hits, 100);
	ck_assert_uint_eq(p.pts[0].q[0].hits, 10);
	ck_assert_str_eq(p.pts[0].pt->symbols, "test_sym");
	/* net: the idle device dropped, the new one whole */
	ck_assert_int_eq(p.net->ndev, 2);
	d = &p.net->dev[0];
	ck_assert_str_eq(d->name, "eth0");
	ck_assert_uint_eq(d->a.started, 10);
	ck_assert_uint_eq(d->a.total_hist[4], 3);
	ck_assert_uint_eq(d->pair[0][1].count, 7);
	ck_assert_uint_eq(d->sig_packets, 10);
	ck_assert_uint_eq(d->q[1].queue, 0);   /* B's order, each minus its own queue in A */
	ck_assert_uint_eq(d->q[1].started, 6);
	ck_assert_uint_eq(d->q[0].started, 4);
	/* signatures: 7 (15, new) now before 5 (16 - 8 = 8); lists complete: 2 distinct */
	ck_assert_int_eq(d->ntop, 2);
	ck_assert_uint_eq(d->top[0].sig, 7);
	ck_assert_uint_eq(d->top[0].v.count, 15);
	ck_assert_uint_eq(d->top[1].v.count, 8);
	ck_assert_uint_eq(d->top[1].v.len, 3);   /* not a count */
	ck_assert_uint_eq(d->nsigs, 2);
	ck_assert_str_eq(p.net->dev[1].name, "eth2");
	ck_assert_uint_eq(p.net->dev[1].a.started, 9);
	ck_assert_uint_eq(p.net->ctr[NC_STARTED], 10);
	ck_assert_uint_eq(p.net->in_flight, 3);   /* B's gauge */
	ck_assert(p.net->seconds > 1.49 && p.net->seconds < 1.51);
	/* samples: the one received after A's two */
	ck_assert_int_eq(p.net->nsamples, 1);
	ck_assert_uint_eq(p.net->samples[0].len, 102);
	ck_assert_uint_eq(p.net->samples_seen, 1);
	/* blk */
	ck_assert_int_eq(p.blk->ncls, 1);
	ck_assert_uint_eq(p.blk->cls[0].a.requests, 4096);
	ck_assert_uint_eq(p.blk->cls[0].k.size_class, 12);
	ck_assert_uint_eq(p.blk->disk[0].q[0].requests, 5);
	ck_assert_uint_eq(p.blk->in_flight, 18);
	/* exits: the phase's kernel counters start at A's reading; MSRs matched by number */
	ck_assert_uint_eq(p.exits->soft_before[3], 1050);
	ck_assert_uint_eq(p.exits->soft_after[3], 1100);
	ck_assert_uint_eq(p.exits->soft[3].count, 50);
	ck_assert_int_eq(p.exits->hz, 100);
	ck_assert_uint_eq(p.exits->msr[1].msr, 0x6e0);
	ck_assert_uint_eq(p.exits->msr[1].count, 20);
	ck_assert_uint_eq(p.exits->msr[0].count, 2);
	ck_assert_uint_eq(p.exits->irqs[0].proc_delta, 11);
	ck_assert_str_eq(p.exits->irqs[0].chip, "PCI-MSI");
	ck_assert_uint_eq(p.exits->arch[0].delta, 100);
	/* host: the maximum and the mask are B's; --guest-packets means nothing for a phase */
	ck_assert_uint_eq(p.host->exit[0].v.count, 3);
	ck_assert_uint_eq(p.host->exit[0].v.max_ns, 1000);
	ck_assert_uint_eq(p.host->io[0].v.count, 2);
	ck_assert_uint_eq(p.host->io[0].v.values, 0x3);
	ck_assert_uint_eq(p.host->guest_packets, 0);
	ck_assert_int_eq(p.host->ioeventfd_probe, 1);
	/* stacks: per line; "c;d" unchanged: gone */
	ck_assert_str_eq(p.stacks, "a;b 4\ne 1\n");
	ck_assert_uint_eq(p.nstacks, 2);
	ck_assert_uint_eq(p.recursion_misses, 1);
	ck_assert(p.load_ms == 12.5);
	ck_assert_int_eq(p.cmd_status, -1);
	rec_data_free(&p);
}
END_TEST

/* A signature not in the opening list when that list was not complete: its count is an upper
 * bound, and distinct signatures stay the closing snapshot's. */
START_TEST(sub_sigs_incomplete)
{
	struct rec_data p;

	snapshot_init(&A, 1);
	snapshot_init(&B, 2);
	A.dev[0].nsigs = 40;   /* more than its top list held */
	B.dev[0].nsigs = 41;
	ck_assert_int_eq(rec_data_sub(&p, &B.d, &A.d), 0);
	ck_assert_uint_eq(p.net->dev[0].nsigs, 41);
	ck_assert_uint_eq(p.net->dev[0].top[0].v.count, 15);
	rec_data_free(&p);
}
END_TEST

START_TEST(sub_other_run)
{
	struct rec_data p;

	snapshot_init(&A, 1);
	snapshot_init(&B, 2);
	B.d.has_host = false;
	ck_assert_int_eq(rec_data_sub(&p, &B.d, &A.d), -EINVAL);
	B.d.has_host = true;
	B.d.n = 0;
	ck_assert_int_eq(rec_data_sub(&p, &B.d, &A.d), -EINVAL);
}
END_TEST

/* The whole run is the phases added up: (B - A) + (A - 0) = B for every count. */
START_TEST(sub_from_zero)
{
	struct snapshot *Z = calloc(1, sizeof(*Z));
	struct rec_data p;

	snapshot_init(&B, 2);
	snapshot_init(Z, 0);
	Z->d.stacks = NULL;
	Z->d.stacks_len = 0;
	ck_assert_int_eq(rec_data_sub(&p, &B.d, &Z->d), 0);
	ck_assert_uint_eq(p.net->dev[0].a.started, 20);
	ck_assert_uint_eq(p.blk->cls[0].a.requests, 8192);
	ck_assert_str_eq(p.stacks, B.stacks);
	rec_data_free(&p);
	free(Z);
}
END_TEST

/* A disk whose own counts did not move in the phase (a loop device: no interrupt, no per-queue
 * row) stays in it when its classes served requests then; one with no requests in it goes. The
 * run's --budget figures and its own cost per hit come with every phase. */
START_TEST(sub_keeps_busy_disk)
{
	struct rec_data p;

	snapshot_init(&A, 1);
	snapshot_init(&B, 2);
	A.disk[0].nq = B.disk[0].nq = 0;   /* no queue rows, no irqs: only the classes count */
	B.d.budget_pct = 5;
	B.d.budget_on_s = 2;
	B.d.budget_run_s = 8;
	B.d.self_ns_per_hit = 170;
	ck_assert_int_eq(rec_data_sub(&p, &B.d, &A.d), 0);
	ck_assert_int_eq(p.blk->ndisk, 1);
	ck_assert_uint_eq(p.blk->disk[0].dev, 7);
	ck_assert_double_eq(p.budget_pct, 5);
	ck_assert_double_eq(p.budget_on_s, 2);
	ck_assert_double_eq(p.self_ns_per_hit, 170);
	rec_data_free(&p);
	/* no request of the disk in the phase: the row goes */
	snapshot_init(&A, 2);
	snapshot_init(&B, 2);
	A.disk[0].nq = B.disk[0].nq = 0;
	ck_assert_int_eq(rec_data_sub(&p, &B.d, &A.d), 0);
	ck_assert_int_eq(p.blk->ndisk, 0);
	rec_data_free(&p);
}
END_TEST

/* A phase is a complete recording: it saves, loads back with its META phase, prints. */
START_TEST(phase_file_round_trip)
{
	char path[] = "/tmp/iopath-check-phase-XXXXXX", err[256], *out;
	struct rec_data p, q;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	close(fd);
	snapshot_init(&A, 1);
	snapshot_init(&B, 2);
	ck_assert_int_eq(rec_data_sub(&p, &B.d, &A.d), 0);
	snprintf(p.phase, sizeof(p.phase), "udp-rr");
	p.start_unix = 1000;
	p.phase_start = 1002.25;
	p.phase_end = 1004.75;
	ck_assert_int_eq(rec_data_save(&p, path), 0);
	ck_assert_int_eq(rec_data_load(&q, path, err, sizeof(err)), 0);
	ck_assert_str_eq(q.phase, "udp-rr");
	ck_assert(q.phase_end - q.phase_start == 2.5);
	ck_assert_uint_eq(q.fields.nabsent, 0);
	ck_assert_uint_eq(q.net->dev[0].a.started, 10);
	out = CAPTURE(f, rec_data_print(f, &q));
	ck_assert_msg(strstr(out, "phase udp-rr: 2.5 s of the run, from 2.2 s after its start"), "%s", out);
	free(out);
	out = CAPTURE(f, rec_data_json(f, &q));
	ck_assert_msg(strstr(out, "\"phase\": {\n    \"name\": \"udp-rr\""), "%s", out);
	free(out);
	rec_data_free(&q);
	/* a recording that is no phase has no phase key at all (files of before are unchanged) */
	p.phase[0] = 0;
	p.phase_start = p.phase_end = 0;
	ck_assert_int_eq(rec_data_save(&p, path), 0);
	ck_assert_int_eq(rec_data_load(&q, path, err, sizeof(err)), 0);
	ck_assert_str_eq(q.phase, "");
	ck_assert_uint_eq(q.fields.nabsent, 0);
	out = CAPTURE(f, rec_data_json(f, &q));
	ck_assert_msg(!strstr(out, "\"phase\""), "%s", out);
	free(out);
	rec_data_free(&q);
	rec_data_free(&p);
	unlink(path);
}
END_TEST

/* Every row of the keep table names a field that exists (a typo would subtract a gauge). */
START_TEST(keep_table_names_fields)
{
	for (unsigned i = 0; i < rec_sub_nkeep; i++) {
		const struct rec_keep *k = &rec_sub_keep[i];
		bool found = false;

		ck_assert_msg(k->why && *k->why, "%s.%s: no reason", k->type, k->field);
		for (unsigned t = 0; t < rec_nall_types && !found; t++) {
			const struct rec_type *rt = rec_all_types[t];

			if (strcmp(rt->name, k->type))
				continue;
			found = !strcmp(k->field, "*");
			for (unsigned f = 0; f < rt->nfields && !found; f++)
				found = !strcmp(rt->fields[f].name, k->field);
		}
		ck_assert_msg(found, "rec_sub_keep: %s.%s is no recorded field", k->type, k->field);
	}
}
END_TEST

START_TEST(mark_lines)
{
	static struct phase_names names;
	char name[PHASE_NAME_MAX + 1], why[160], big[80];
	static const char *const bad[] = {
		"hello", "phase", "phase ", "phase a/b", "phase a b", "phase a\tb", "phase .hidden", "phase a;b",
		"Phase x", " phase x",
	};

	memset(&names, 0, sizeof(names));
	ck_assert_int_eq(phase_mark_parse("phase udp-rr", &names, name, why, sizeof(why)), PM_START);
	ck_assert_str_eq(name, "udp-rr");
	ck_assert_int_eq(phase_mark_parse("phase -", &names, name, why, sizeof(why)), PM_END);
	for (size_t i = 0; i < NELEM(bad); i++)
		ck_assert_msg(phase_mark_parse(bad[i], &names, name, why, sizeof(why)) == PM_BAD && *why,
			      "'%s' accepted", bad[i]);
	ck_assert_int_eq(phase_mark_parse("phase udp-rr", &names, name, why, sizeof(why)), PM_BAD);
	ck_assert_msg(strstr(why, "already recorded"), "%s", why);
	snprintf(big, sizeof(big), "phase %048d", 0);   /* 48 bytes: the longest */
	ck_assert_int_eq(phase_mark_parse(big, &names, name, why, sizeof(why)), PM_START);
	snprintf(big, sizeof(big), "phase %049d", 0);
	ck_assert_int_eq(phase_mark_parse(big, &names, name, why, sizeof(why)), PM_BAD);
	for (unsigned i = names.n; i < PHASE_MAX; i++) {
		snprintf(big, sizeof(big), "phase p%u", i);
		ck_assert_int_eq(phase_mark_parse(big, &names, name, why, sizeof(why)), PM_START);
	}
	ck_assert_int_eq(phase_mark_parse("phase one-more", &names, name, why, sizeof(why)), PM_BAD);
	ck_assert_msg(strstr(why, "32 phases"), "%s", why);
	ck_assert_uint_eq(names.n, PHASE_MAX);
	ck_assert_int_eq(phase_mark_parse("phase -", &names, name, why, sizeof(why)), PM_END);
}
END_TEST

START_TEST(phase_paths)
{
	char b[64];

	ck_assert_int_eq(phase_path("run.rec", "udp-rr", b, sizeof(b)), 0);
	ck_assert_str_eq(b, "run.udp-rr.rec");
	ck_assert_int_eq(phase_path("/x/run", "tcp-bulk", b, sizeof(b)), 0);
	ck_assert_str_eq(b, "/x/run.tcp-bulk.rec");
	ck_assert_int_eq(phase_path(".rec", "a", b, sizeof(b)), 0);
	ck_assert_str_eq(b, ".a.rec");
	ck_assert_int_eq(phase_path("a-very-long-recording-name-indeed.rec", "blk-rand-qd16", b, 40),
			 -ENAMETOOLONG);
}
END_TEST

/* The PRNG is splitmix64: its published first outputs for seed 0 (so the offsets cannot change
 * between builds, which would make platforms read different blocks). */
START_TEST(prng_and_offsets)
{
	unsigned long long st = 0, off[256], again[256];

	ck_assert_uint_eq(wl_prng_next(&st), 0xe220a8397b1dcdafull);
	ck_assert_uint_eq(wl_prng_next(&st), 0x6e789e6aa1b965f4ull);
	ck_assert_uint_eq(wl_prng_next(&st), 0x06c45d188009454full);
	wl_rand_offsets(42, 256, 64ull << 20, 4096, off);
	wl_rand_offsets(42, 256, 64ull << 20, 4096, again);
	ck_assert_mem_eq(off, again, sizeof(off));
	for (int i = 0; i < 256; i++) {
		ck_assert_uint_eq(off[i] % 4096, 0);
		ck_assert_uint_lt(off[i], 64ull << 20);
	}
	wl_rand_offsets(43, 256, 64ull << 20, 4096, again);
	ck_assert(memcmp(off, again, sizeof(off)));
	wl_rand_offsets(42, 4, 4096, 4096, off);   /* one block: always offset 0 */
	ck_assert_uint_eq(off[0] | off[1] | off[2] | off[3], 0);
}
END_TEST

static void put(const char *root, const char *rel, const char *text)
{
	char p[512], *s;
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	for (s = p + strlen(root) + 1; (s = strchr(s, '/')); s++) {
		*s = 0;
		mkdir(p, 0755);
		*s = '/';
	}
	if (text) {
		f = fopen(p, "w");
		ck_assert_ptr_nonnull(f);
		fputs(text, f);
		fclose(f);
	} else {
		mkdir(p, 0755);
	}
}

START_TEST(blk_in_use)
{
	char root[] = "/tmp/iopath-check-wl-XXXXXX", why[256], cmd[64];

	ck_assert_ptr_nonnull(mkdtemp(root));
	put(root, "sys/block/vdb/vdb1/partition", "1\n");
	put(root, "sys/block/vdb/vdb1/holders", NULL);
	put(root, "sys/block/vdb/holders", NULL);
	put(root, "sys/block/vdc/holders", NULL);
	put(root, "sys/block/vdd/holders/dm-0", "");
	put(root, "proc/self/mounts", "/dev/vda / ext4 rw 0 0\nproc /proc proc rw 0 0\n"
				      "/dev/vdb1 /mnt ext4 rw 0 0\n");
	ck_assert_int_eq(wl_blk_in_use(root, "vdb", why, sizeof(why)), 1);
	ck_assert_str_eq(why, "vdb1 is mounted on /mnt");
	ck_assert_int_eq(wl_blk_in_use(root, "vdc", why, sizeof(why)), 0);
	ck_assert_int_eq(wl_blk_in_use(root, "vdd", why, sizeof(why)), 1);
	ck_assert_str_eq(why, "vdd is held by dm-0");
	ck_assert_int_lt(wl_blk_in_use(root, "vde", why, sizeof(why)), 0);   /* no such disk */
	/* a partition's holder counts too */
	put(root, "sys/block/vdc/vdc2/partition", "2\n");
	put(root, "sys/block/vdc/vdc2/holders/md0", "");
	ck_assert_int_eq(wl_blk_in_use(root, "vdc", why, sizeof(why)), 1);
	ck_assert_str_eq(why, "vdc2 is held by md0");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* A UDP socket on loopback that never answers: every exchange times out and is counted lost. */
static int silent_port(int *fd)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t l = sizeof(sa);

	*fd = socket(AF_INET, SOCK_DGRAM, 0);
	ck_assert_int_ge(*fd, 0);
	ck_assert_int_eq(bind(*fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(getsockname(*fd, (struct sockaddr *)&sa, &l), 0);
	return ntohs(sa.sin_port);
}

START_TEST(udp_rr_lost_and_answered)
{
	struct wl_rr rr;
	unsigned long long t0 = now_ns(), got;
	int fd, port = silent_port(&fd);
	pid_t echo;

	ck_assert_int_eq(wl_udp_rr("127.0.0.1", port, 3, 64, 50, &rr), 0);
	ck_assert_uint_eq(rr.sent, 3);
	ck_assert_uint_eq(rr.lost, 3);
	ck_assert_uint_eq(rr.replies, 0);
	ck_assert_msg(now_ns() - t0 < 2000000000ull, "3 timeouts of 50 ms took %.1f s", (now_ns() - t0) / 1e9);
	close(fd);
	/* nobody on the port any more: refused at once, lost, no wait */
	ck_assert_int_eq(wl_udp_rr("127.0.0.1", port, 2, 64, 10000, &rr), 0);
	ck_assert_uint_eq(rr.lost, 2);
	ck_assert_uint_eq(rr.replies, 0);
	/* an echo: every exchange answered */
	echo = fork();
	if (!echo)
		_exit(wl_udp_echo(port, 5, &got) ? 1 : 0);
	usleep(200000);
	ck_assert_int_eq(wl_udp_rr("127.0.0.1", port, 20, 64, 2000, &rr), 0);
	kill(echo, SIGTERM);
	waitpid(echo, NULL, 0);
	ck_assert_uint_eq(rr.replies, 20);
	ck_assert_uint_eq(rr.lost, 0);
	ck_assert_uint_eq(rr.late, 0);
	ck_assert_int_eq(wl_udp_rr("127.0.0.1", port, 1, 3, 10, &rr), -EINVAL);   /* no room for the number */
}
END_TEST

static int workload(int argc, char **argv)
{
	return cmd_workload(argc, argv);
}
#define WL(...) workload(NELEM(((char *[]){ __VA_ARGS__, NULL })) - 1, (char *[]){ __VA_ARGS__, NULL })

START_TEST(workload_args)
{
	char img[] = "/tmp/iopath-check-wl-img-XXXXXX";
	int fd = mkstemp(img);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, 1 << 20), 0);   /* 1 MiB: smaller than the 64 the phases use */
	close(fd);
	ck_assert_int_eq(WL("workload", "suite"), EXIT_USAGE);
	ck_assert_int_eq(WL("workload", "suite", "--blk-write"), EXIT_USAGE);
	ck_assert_int_eq(WL("workload", "suite", "--peer", "10.0.0"), EXIT_USAGE);
	ck_assert_int_eq(WL("workload", "suite", "--peer", "10.0.0.1", "--port", "0"), EXIT_USAGE);
	ck_assert_int_eq(WL("workload", "suite", "--peer", "10.0.0.1", "--port", "65534"), EXIT_USAGE);
	ck_assert_int_eq(WL("workload", "suite", "--peer", "10.0.0.1", "extra"), EXIT_USAGE);
	ck_assert_int_eq(WL("workload", "suite", "--bogus"), EXIT_USAGE);
	ck_assert_int_eq(WL("workload", "suite", "--blk", "/dev/null"), EXIT_USAGE);
	ck_assert_int_eq(WL("workload", "suite", "--blk", "/nonexistent"), EXIT_USAGE);
	ck_assert_int_eq(WL("workload", "suite", "--blk", img), EXIT_USAGE);
	ck_assert_int_eq(WL("workload", "peer"), EXIT_USAGE);
	ck_assert_int_eq(WL("workload", "peer", "0"), EXIT_USAGE);
	ck_assert_int_eq(WL("workload", "peer", "5s"), EXIT_USAGE);
	ck_assert_int_eq(WL("workload", "peer", "--port", "70000", "5"), EXIT_USAGE);
	ck_assert_int_eq(WL("workload", "nosuch"), EXIT_USAGE);
	unlink(img);
}
END_TEST

int main(void)
{
	return RUN_TESTS("phases", "phases", sub_every_section, sub_sigs_incomplete, sub_other_run, sub_from_zero,
			 sub_keeps_busy_disk,
			 phase_file_round_trip, keep_table_names_fields, mark_lines, phase_paths, prng_and_offsets,
			 blk_in_use, udp_rr_lost_and_answered, workload_args);
}
