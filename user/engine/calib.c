#include "engine/calib.h"
#include "engine/globals.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <linux/perf_event.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "calib.skel.h"
#include "out/json.h"
#include "kernel/kbtf.h"
#include "kernel/kview.h"
#include "util/util.h"

/* Slots of calib.bpf.c's fired[] */
enum { C_KPROBE, C_KRETPROBE, C_FENTRY, C_FEXIT, C_KMULTI, C_TPBTF, C_RAWTP,
       C_COOKIE, C_FUNC_IP, C_FUNC_ARG };

/* Opens the calibration skeleton with only `prog` autoloaded and loads it; CO-RE against the
 * BTF the main object gets (kernel/kbtf.h), so what is measured is what it will have. A sample
 * transport's map is created only for the program that uses it: a kernel without one (ring
 * buffer before v5.8) fails only that calibration. Before v5.5 (fc9702273e2e "bpf: Add mmap()
 * support for BPF_MAP_TYPE_ARRAY") libbpf cannot map global data and leaves s->bss NULL; the
 * globals are then read by lookup (calib_globals), as the engine's are (engine/globals.h), and
 * IOPATH_MASK_CAPS=array_mmap makes calibration take that way too. */
static struct calib_bpf *load_one(struct bpf_program *(*pick)(struct calib_bpf *), int *err)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo, .btf_custom_path = kbtf_custom_path());
	struct calib_bpf *s = calib_bpf__open_opts(&oo);
	struct bpf_program *p, *want;

	if (!s) {
		*err = -errno;
		return NULL;
	}
	want = pick(s);
	bpf_object__for_each_program(p, s->obj)
		bpf_program__set_autoload(p, p == want);
	bpf_map__set_autocreate(s->maps.calib_rb, want == s->progs.c_ringbuf);
	bpf_map__set_autocreate(s->maps.calib_pb, want == s->progs.c_perfbuf);
	*err = globals_prepare(s->obj, !caps_masked(getenv(CAPS_MASK_ENV), CAP_ARRAY_MMAP));
	if (!*err)
		*err = calib_bpf__load(s);
	if (*err) {
		calib_bpf__destroy(s);
		return NULL;
	}
	return s;
}

/* calib.bpf.c's globals as of now (into *buf where they are not mapped); NULL when unreadable. */
static const struct calib_bpf__bss *calib_globals(const struct calib_bpf *s, struct calib_bpf__bss *buf)
{
	return globals_view(s->maps.bss, s->bss, buf);
}

#define PICK(name) static struct bpf_program *pick_##name(struct calib_bpf *s) { return s->progs.name; }
PICK(c_kprobe) PICK(c_kretprobe) PICK(c_cookie) PICK(c_kmulti) PICK(c_fentry)
PICK(c_fexit) PICK(c_func_ip) PICK(c_func_arg) PICK(c_tpbtf) PICK(c_rawtp)
PICK(c_ringbuf) PICK(c_perfbuf) PICK(c_arg2)

/* BPF_PROG_TEST_RUN of a fentry/fexit program calls bpf_fentry_test1..8 in
 * the kernel (net/bpf/test_run.c): a way to make the traced function run. */
static int trigger_fentry_test1(int prog_fd)
{
	LIBBPF_OPTS(bpf_test_run_opts, o);

	return bpf_prog_test_run_opts(prog_fd, &o) ? -errno : 0;
}

/* What /sys says about kprobe support, to turn an errno into a reason. */
static const char *kprobe_absence_reason(void)
{
	struct stat st;

	if (stat("/sys/bus/event_source/devices/kprobe", &st) &&
	    stat("/sys/kernel/tracing/kprobe_events", &st) &&
	    stat("/sys/kernel/debug/tracing/kprobe_events", &st))
		return "kernel has no kprobes (no kprobe PMU or kprobe_events: CONFIG_KPROBES off)";
	return NULL;
}

static void cal_kprobes(struct kcaps *k)
{
	struct calib_bpf *s;
	struct bpf_link *l;
	const char *why = kprobe_absence_reason();
	int err;

	s = load_one(pick_c_kprobe, &err);
	if (!s) {
		caps_set(k, CAP_KPROBE, err, "kprobe program load failed: %s", strerror(-err));
		caps_set(k, CAP_KRETPROBE, err, "kprobe program load failed");
		caps_set(k, CAP_COOKIE, err, "kprobe program load failed");
		return;
	}
	l = bpf_program__attach(s->progs.c_kprobe);
	err = l ? 0 : -errno;
	if (err)
		caps_set(k, CAP_KPROBE, err, "%s", why ? why : strerror(-err));
	else
		caps_set(k, CAP_KPROBE, 0, "attached to bpf_fentry_test1");
	bpf_link__destroy(l);
	calib_bpf__destroy(s);

	s = load_one(pick_c_kretprobe, &err);
	l = s ? bpf_program__attach(s->progs.c_kretprobe) : NULL;
	if (s && !l)
		err = -errno;
	caps_set(k, CAP_KRETPROBE, l ? 0 : err, "%s", l ? "attached to bpf_fentry_test1" :
	    (why ? why : strerror(-err)));
	bpf_link__destroy(l);
	calib_bpf__destroy(s);

	s = load_one(pick_c_cookie, &err);
	if (!s) {
		caps_set(k, CAP_COOKIE, err, "bpf_get_attach_cookie not accepted: %s", strerror(-err));
	} else {
		LIBBPF_OPTS(bpf_kprobe_opts, ko, .bpf_cookie = 0x10ba);
		l = bpf_program__attach_kprobe_opts(s->progs.c_cookie, "bpf_fentry_test1", &ko);
		err = l ? 0 : -errno;
		caps_set(k, CAP_COOKIE, err, "%s", l ? "kprobe attach with cookie" :
		    (why ? why : strerror(-err)));
		bpf_link__destroy(l);
		calib_bpf__destroy(s);
	}

	s = load_one(pick_c_kmulti, &err);
	l = s ? bpf_program__attach(s->progs.c_kmulti) : NULL;
	if (s && !l)
		err = -errno;
	caps_set(k, CAP_KPROBE_MULTI, l ? 0 : err, "%s%s", l ? "attached" : strerror(-err),
	    !l && err == -EOPNOTSUPP ? " (kernel built without CONFIG_FPROBE)" : "");
	bpf_link__destroy(l);
	calib_bpf__destroy(s);
}

/* fentry/fexit: load, attach, and make bpf_fentry_test1 run to see it fire. */
static void cal_tracing(struct kcaps *k, enum cap_id id,
			struct bpf_program *(*pick)(struct calib_bpf *), int slot)
{
	struct calib_bpf *s;
	struct calib_bpf__bss buf;
	const struct calib_bpf__bss *g;
	struct bpf_link *l = NULL;
	int err;

	s = load_one(pick, &err);
	if (!s) {
		caps_set(k, id, err, "load failed: %s", strerror(-err));
		return;
	}
	l = bpf_program__attach(pick(s));
	if (!l) {
		err = -errno;
		caps_set(k, id, err, "attach failed: %s", strerror(-err));
		goto out;
	}
	err = trigger_fentry_test1(bpf_program__fd(pick(s)));
	if (err) {
		caps_set(k, id, err, "attached, but BPF_PROG_TEST_RUN to trigger it failed: %s",
		    strerror(-err));
		goto out;
	}
	g = calib_globals(s, &buf);
	if (!g) {
		err = -errno;
		caps_set(k, id, err, "fired or not: its counter cannot be read: %s", strerror(-err));
		goto out;
	}
	if (!g->fired[slot]) {
		caps_set(k, id, -ENODATA, "attached but did not fire");
		goto out;
	}
	if (id == CAP_FUNC_IP) {
		struct kview kv;
		unsigned long long addr = 0;

		/* The offset between what get_func_ip returns and the
		 * kallsyms address (IBT kernels may differ): the engine keys
		 * fentry hits by it. */
		kview_init(&kv);
		if (!kview_read_kallsyms(&kv, "/proc/kallsyms") &&
		    kview_has_sym(&kv, "vmlinux", "bpf_fentry_test1", &addr) && addr)
			k->fentry_ip_off = (long long)(g->last_ip - addr);
		kview_free(&kv);
		caps_set(k, id, 0, "fired; ip offset %lld", k->fentry_ip_off);
	} else if (id == CAP_FUNC_ARG) {
		caps_set(k, id, g->last_arg == 1 ? 0 : -EINVAL, "fired; arg0=%llu (expect 1)",
		    (unsigned long long)g->last_arg);
	} else {
		caps_set(k, id, 0, "fired %llu time(s) on bpf_fentry_test1",
		    (unsigned long long)g->fired[slot]);
	}
out:
	bpf_link__destroy(l);
	calib_bpf__destroy(s);
}

static int rb_cb(void *ctx, void *data, size_t len)
{
	if (len == sizeof(__u64) && *(__u64 *)data == 42)
		(*(int *)ctx)++;
	return 0;
}

static void pb_cb(void *ctx, int cpu, void *data, __u32 len)
{
	(void)cpu;
	/* a perf buffer pads a record to 8 bytes: a u64 comes as it is */
	if (len >= sizeof(__u64) && *(__u64 *)data == 42)
		(*(int *)ctx)++;
}

/* BPF_PROG_TEST_RUN of a raw_tp program with args[0] = 42: 0 or -errno */
static int test_run_42(struct bpf_program *p)
{
	__u64 args[2] = { 42, 0 };
	LIBBPF_OPTS(bpf_test_run_opts, o, .ctx_in = args, .ctx_size_in = sizeof(args));

	return bpf_prog_test_run_opts(bpf_program__fd(p), &o) ? -errno : 0;
}

/* The outcome of one record sent by a test run: received, or (test run unavailable) only the
 * map and its reader created, which is what recording needs. */
static void sample_verdict(struct kcaps *k, enum cap_id id, int run_err, int got)
{
	caps_set(k, id, got == 1 || run_err ? 0 : -ENODATA, "%s",
	    run_err ? "map created (test run unavailable to send a record)" :
	    got == 1 ? "record sent and received" : "record not received");
}

/* The two transports for samples (engine/samples.h), each in a load of its own. */
static void cal_samples(struct kcaps *k)
{
	struct calib_bpf *s;
	int err, got = 0;

	s = load_one(pick_c_ringbuf, &err);
	if (!s) {
		caps_set(k, CAP_RINGBUF, err, "ring buffer map or program: %s", strerror(-err));
	} else {
		struct ring_buffer *rb = ring_buffer__new(bpf_map__fd(s->maps.calib_rb), rb_cb, &got, NULL);

		if (!rb) {
			caps_set(k, CAP_RINGBUF, -errno, "ring buffer reader: %s", strerror(errno));
		} else {
			err = test_run_42(s->progs.c_ringbuf);
			ring_buffer__consume(rb);
			sample_verdict(k, CAP_RINGBUF, err, got);
			ring_buffer__free(rb);
		}
		calib_bpf__destroy(s);
	}

	got = 0;
	s = load_one(pick_c_perfbuf, &err);
	if (!s) {
		caps_set(k, CAP_PERFBUF, err, "perf event array or program: %s", strerror(-err));
	} else {
		/* the reader first: a record sent before its CPU's ring is in the array is lost */
		struct perf_buffer *pb = perf_buffer__new(bpf_map__fd(s->maps.calib_pb), 1, pb_cb,
							  NULL, &got, NULL);

		if (!pb) {
			caps_set(k, CAP_PERFBUF, -errno, "perf buffer reader: %s", strerror(errno));
		} else {
			err = test_run_42(s->progs.c_perfbuf);
			perf_buffer__consume(pb);
			sample_verdict(k, CAP_PERFBUF, err, got);
			perf_buffer__free(pb);
		}
		calib_bpf__destroy(s);
	}
}

static void cal_tracepoints(struct kcaps *k)
{
	struct calib_bpf *s;
	struct bpf_link *l;
	int err;

	if (k->kernel_btf) {   /* else no_kernel_btf said why not */
		s = load_one(pick_c_tpbtf, &err);
		l = s ? bpf_program__attach(s->progs.c_tpbtf) : NULL;
		if (s && !l)
			err = -errno;
		caps_set(k, CAP_TP_BTF, l ? 0 : err, "%s", l ? "attached to irq_handler_entry" :
		    (s ? strerror(-err) : "load failed"));
		bpf_link__destroy(l);
		calib_bpf__destroy(s);
	}

	s = load_one(pick_c_rawtp, &err);
	/* the first load that needs nothing but a raw_tp: whether libbpf could map its global data */
	if (s)
		caps_set(k, CAP_ARRAY_MMAP, s->bss ? 0 : -EOPNOTSUPP, "%s", s->bss ? "global data mapped" :
			 "loaded; libbpf could not map its global data: read and written by lookup");
	else {
		caps_set(k, CAP_ARRAY_MMAP, err, "not measured: the raw_tp program did not load");
		k->c[CAP_ARRAY_MMAP].unmeasured = true;
	}
	if (!s) {
		caps_set(k, CAP_RAW_TP, err, "load failed: %s", strerror(-err));
		caps_set(k, CAP_TEST_RUN_RAW_TP, err, "raw_tp load failed");
		return;
	}
	l = bpf_program__attach(s->progs.c_rawtp);
	err = l ? 0 : -errno;
	caps_set(k, CAP_RAW_TP, err, "%s", l ? "attached to irq_handler_entry" : strerror(-err));
	bpf_link__destroy(l);
	err = test_run_42(s->progs.c_rawtp);
	caps_set(k, CAP_TEST_RUN_RAW_TP, err, "%s", err ? strerror(-err) : "ran");
	calib_bpf__destroy(s);
}

/* block_rq_insert/issue's arguments, measured: a raw_tp program reading the second argument
 * attaches to block_rq_insert only where it has two. They went from (q, rq) to (rq) in v5.11
 * (commit a54895fa057c "block: remove the request_queue to argument request based
 * tracepoints"), and stable 5.10 took the same change in v5.10.137, so a 5.10 release string
 * ("5.10.0-46-amd64") cannot tell: Debian 11's 5.10.0-46 (5.10.262) takes (rq). */
static void cal_blk_rq_args(struct kcaps *k)
{
	struct calib_bpf *s;
	struct bpf_link *l;
	int err;

	if (!k->c[CAP_RAW_TP].ok) {
		caps_set(k, CAP_BLK_RQ_Q, k->c[CAP_RAW_TP].err, "not measured: no raw_tp");
		k->c[CAP_BLK_RQ_Q].unmeasured = true;
		return;
	}
	s = load_one(pick_c_arg2, &err);
	l = s ? bpf_program__attach(s->progs.c_arg2) : NULL;
	if (s && !l)
		err = -errno;
	if (l)
		caps_set(k, CAP_BLK_RQ_Q, 0, "block_rq_insert takes (q, rq): a program reading its "
			 "second argument attached");
	else if (s && err == -EINVAL)
		caps_set(k, CAP_BLK_RQ_Q, err, "block_rq_insert takes (rq): a program reading a "
			 "second argument was refused (EINVAL)");
	else {
		caps_set(k, CAP_BLK_RQ_Q, err, "not measured: %s %s", s ? "attach to block_rq_insert:" :
			 "load failed:", strerror(-err));
		k->c[CAP_BLK_RQ_Q].unmeasured = true;
	}
	bpf_link__destroy(l);
	calib_bpf__destroy(s);
}

/* user_only: unprivileged, where perf_event_paranoid allows counting this process's own user
 * space only; the PMU is there or not all the same. A refusal is not an answer: not measured. */
static void cal_pmu(struct kcaps *k, bool user_only)
{
	struct perf_event_attr a = {
		.type = PERF_TYPE_HARDWARE,
		.size = sizeof(a),
		.config = PERF_COUNT_HW_INSTRUCTIONS,
		.disabled = 1,
		.exclude_hv = 1,
		.exclude_kernel = user_only,
	};
	int fd = syscall(SYS_perf_event_open, &a, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);

	if (fd < 0) {
		int err = -errno;

		caps_set(k, CAP_PMU, err, "perf_event_open(instructions): %s%s", strerror(-err),
		    err == -ENOENT || err == -EOPNOTSUPP ? " (no hardware PMU exposed to this machine)" : "");
		if (user_only && (err == -EACCES || err == -EPERM))
			k->c[CAP_PMU].unmeasured = true;
		return;
	}
	close(fd);
	caps_set(k, CAP_PMU, 0, "instructions counter opened");
}

/* The vmlinux BTF CO-RE goes against (kernel/kbtf.h): the kernel's own or --btf's file. */
static void cal_btf(struct kcaps *k)
{
	const struct kbtf *b = kbtf_current();
	struct btf *btf;

	k->btf_given = b->given;
	k->kernel_btf = b->kernel_btf;
	if (!b->path[0]) {
		caps_set(k, CAP_BTF_VMLINUX, -ENOENT, "%s; --btf FILE gives one", b->no_kernel_btf);
		return;
	}
	btf = kbtf_load();
	if (!btf) {
		caps_set(k, CAP_BTF_VMLINUX, -errno, "%s: %s", b->path, strerror(errno));
		return;
	}
	if (b->builtin[0])
		caps_set(k, CAP_BTF_VMLINUX, 0, "%s, %u types", b->builtin, btf__type_cnt(btf) - 1);
	else
		caps_set(k, CAP_BTF_VMLINUX, 0, "%s%s, %u types", b->given ? "given by --btf: " : "",
			 b->path, btf__type_cnt(btf) - 1);
	btf__free(btf);
}

/* fentry/fexit and tp_btf name a type id of the kernel's own BTF (kbtf.h): without it they
 * cannot load, whatever file CO-RE reads. Said, not tried: libbpf would fail the load for want
 * of the kernel's BTF before the kernel is asked. */
static void no_kernel_btf(struct kcaps *k)
{
	const char *why = kbtf_current()->no_kernel_btf;

	caps_set(k, CAP_FENTRY, -ENOENT, "the kernel has no BTF of its own (%s)", why);
	caps_set(k, CAP_FEXIT, -ENOENT, "the kernel has no BTF of its own (%s)", why);
	caps_set(k, CAP_TP_BTF, -ENOENT, "the kernel has no BTF of its own (%s)", why);
}

void calib_run_unprivileged(struct kcaps *k, const char *why)
{
	unsigned long long t0 = now_ns();

	caps_not_measured(k, why);
	k->measured = true;
	cal_btf(k);
	cal_pmu(k, true);
	k->ms = (now_ns() - t0) / 1e6;
}

int calib_run(struct kcaps *k)
{
	unsigned long long t0 = now_ns();

	memset(k, 0, sizeof(*k));
	k->measured = true;
	cal_btf(k);
	if (!k->c[CAP_BTF_VMLINUX].ok) {
		/* CO-RE programs cannot load: say so, measure nothing else. */
		for (int i = 1; i < CAP__COUNT; i++)
			caps_set(k, i, -ENOENT, "not measured: no vmlinux BTF");
		cal_pmu(k, false);
		k->ms = (now_ns() - t0) / 1e6;
		return -ENOENT;
	}

	cal_kprobes(k);
	if (k->kernel_btf) {
		cal_tracing(k, CAP_FENTRY, pick_c_fentry, C_FENTRY);
		cal_tracing(k, CAP_FEXIT, pick_c_fexit, C_FEXIT);
	} else {
		no_kernel_btf(k);
	}
	if (k->c[CAP_FENTRY].ok) {
		cal_tracing(k, CAP_FUNC_IP, pick_c_func_ip, C_FUNC_IP);
		cal_tracing(k, CAP_FUNC_ARG, pick_c_func_arg, C_FUNC_ARG);
	} else {
		caps_set(k, CAP_FUNC_IP, k->c[CAP_FENTRY].err, "not measured: fentry unavailable");
		caps_set(k, CAP_FUNC_ARG, k->c[CAP_FENTRY].err, "not measured: fentry unavailable");
	}
	cal_tracepoints(k);
	cal_blk_rq_args(k);
	cal_samples(k);
	cal_pmu(k, false);
	/* names were checked at start (main.c): nothing to report here */
	caps_mask(k, getenv(CAPS_MASK_ENV), (char[64]){0}, 64);
	k->ms = (now_ns() - t0) / 1e6;
	return 0;
}
