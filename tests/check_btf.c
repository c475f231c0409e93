/* The vmlinux BTF iopath reads (kernel/kbtf.h) and --btf FILE: which files are refused and in
 * what words (missing, not BTF, an archive not unpacked, truncated, damaged, a BPF object's or
 * a module's BTF), the choice on fixture roots with and without /sys/kernel/btf/vmlinux (and
 * IOPATH_MASK_CAPS=vmlinux_btf), the one line and exit codes of btf_settle, and what a given
 * file changes in the kernel's view: no module BTF, so a module function goes by kprobe. BTF
 * files are made here with libbpf's writer, so each case is the bytes it claims to be. */
#include <fcntl.h>
#include <getopt.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/btf.h>

#include "cli/cli.h"
#include "cli/opts.h"
#include "kernel/btfarch.h"
#include "kernel/kbtf.h"
#include "resolvecheck.h"
#include "testutil.h"
#include "util/util.h"

static char dir[64];
static struct kview kv;
static struct kcaps caps;
static struct resolve_opts ro;

static void mkdirs(const char *p)
{
	char b[512];

	snprintf(b, sizeof(b), "mkdir -p '%s'", p);
	ck_assert_int_eq(system(b), 0);
}

static const char *at(const char *name)
{
	static char p[8][512];
	static int i;

	i = (i + 1) % 8;
	snprintf(p[i], sizeof(p[i]), "%s/%s", dir, name);
	return p[i];
}

/* A vmlinux-like BTF: int, struct sk_buff { int len; }, struct task_struct { int pid; } (with
 * vmlinux_structs; else struct other only), FUNC vm_fn(struct sk_buff *), and with tps the
 * btf_trace_net_dev_queue typedef a kernel's BTF has for each tracepoint. */
static struct btf *vmlinux_like(bool vmlinux_structs, bool tps)
{
	struct btf *b = btf__new_empty();
	int i, skb, skbp, vp, proto;

	ck_assert_ptr_nonnull(b);
	i = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	skb = btf__add_struct(b, vmlinux_structs ? "sk_buff" : "other", 4);
	ck_assert_int_eq(btf__add_field(b, "len", i, 0, 0), 0);
	if (vmlinux_structs) {
		btf__add_struct(b, "task_struct", 4);
		ck_assert_int_eq(btf__add_field(b, "pid", i, 0, 0), 0);
	}
	skbp = btf__add_ptr(b, skb);
	vp = btf__add_ptr(b, 0);
	/* a FUNC_PROTO's parameters are added right after it */
	proto = btf__add_func_proto(b, i);
	ck_assert_int_eq(btf__add_func_param(b, "skb", skbp), 0);
	ck_assert_int_gt(btf__add_func(b, "vm_fn", BTF_FUNC_GLOBAL, proto), 0);
	if (tps) {
		int tp = btf__add_func_proto(b, 0);

		ck_assert_int_eq(btf__add_func_param(b, "__data", vp), 0);
		ck_assert_int_eq(btf__add_func_param(b, "skb", skbp), 0);
		ck_assert_int_gt(btf__add_typedef(b, "btf_trace_net_dev_queue", btf__add_ptr(b, tp)), 0);
	}
	return b;
}

/* Writes len bytes (-1: all) of data to path. */
static void write_bytes(const char *path, const void *data, long len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, len), len);
	close(fd);
}

static unsigned write_btf(const struct btf *b, const char *path, long cut)
{
	__u32 size;
	const void *raw = btf__raw_data(b, &size);

	ck_assert_ptr_nonnull(raw);
	write_bytes(path, raw, cut >= 0 ? cut : (long)size);
	return size;
}

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/iopath-check-btf.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	kview_init(&kv);
	resolve_defaults(&caps, &ro);
	unsetenv(CAPS_MASK_ENV);
	iop_setup_libbpf_log();   /* as btf_settle does: libbpf's own words only with -v */
}

static void teardown(void)
{
	char b[128];

	kview_free(&kv);
	snprintf(b, sizeof(b), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(b), 0);
}

/* kbtf_check_file on path: accepted (want NULL), or refused with one line containing want. */
#define CHECKS(path, want) do {                                                                 \
		const char *w_ = (want);                                                         \
		char why_[300] = "";                                                             \
		int r_ = kbtf_check_file((path), why_, sizeof(why_));                            \
		if (w_) {                                                                        \
			ck_assert_msg(r_ < 0, "%s accepted", (path));                            \
			ck_assert_msg(strstr(why_, w_), "%s: '%s', want '%s'", (path), why_, w_); \
			ck_assert_msg(!strchr(why_, '\n'), "%s: more than one line", (path));   \
		} else {                                                                         \
			ck_assert_msg(r_ == 0, "%s refused: %s", (path), why_);                  \
		}                                                                                \
	} while (0)

START_TEST(files_checked)
{
	struct btf *good = vmlinux_like(true, true), *other = vmlinux_like(false, false);
	unsigned size = write_btf(good, at("good.btf"), -1);
	char want[128];
	__u32 rawlen;
	unsigned char *raw;

	CHECKS(at("good.btf"), NULL);
	/* a file that is not there, or not a file */
	CHECKS(at("missing.btf"), "No such file or directory");
	CHECKS(dir, "not a regular file");
	CHECKS("/dev/null", "not a regular file");
	/* cut short: inside the header, and after it (the header says how much should follow) */
	write_btf(good, at("short.btf"), 10);
	CHECKS(at("short.btf"), "truncated: 10 bytes, shorter than a BTF header (24)");
	write_btf(good, at("cut.btf"), size / 2);
	snprintf(want, sizeof(want), "truncated: %u bytes, its BTF header says %u", size / 2, size);
	CHECKS(at("cut.btf"), want);
	/* not BTF at all, empty, an archive not unpacked */
	write_bytes(at("text.btf"), "vmlinux\n", 8);
	CHECKS(at("text.btf"), "not BTF (neither raw BTF, magic 0xeb9f, nor an ELF file with a .BTF section)");
	write_bytes(at("empty.btf"), "", 0);
	CHECKS(at("empty.btf"), "not BTF");
	write_bytes(at("k.btf.tar.xz"), "\xfd" "7zXZ\0\0\4", 8);
	CHECKS(at("k.btf.tar.xz"), "an xz archive, not BTF: unpack it first");
	write_bytes(at("k.btf.gz"), "\x1f\x8b\x08\0", 4);
	CHECKS(at("k.btf.gz"), "a gzip archive");
	/* another version of the format */
	raw = malloc(size);
	memcpy(raw, btf__raw_data(good, &rawlen), size);
	raw[2] = 2;
	write_bytes(at("v2.btf"), raw, size);
	CHECKS(at("v2.btf"), "BTF version 2, this iopath reads version 1");
	/* damaged inside: the first member's name points past the strings (libbpf 1.1 parses it) */
	memcpy(raw, btf__raw_data(good, &rawlen), size);
	{
		const struct btf_header *h = (const void *)raw;
		/* type 1 is the int (12 + 4 bytes), type 2 sk_buff (12 bytes), then its member */
		__u32 *member_name = (__u32 *)(raw + h->hdr_len + h->type_off + 16 + 12);

		*member_name = 0xffffff;
	}
	write_bytes(at("damaged.btf"), raw, size);
	CHECKS(at("damaged.btf"), "damaged BTF: type 2 of");
	free(raw);
	/* BTF, but not a kernel's */
	write_btf(other, at("other.btf"), -1);
	CHECKS(at("other.btf"), "not a vmlinux BTF: no struct sk_buff");
	CHECKS("build/bpf/calib.bpf.o", "a BPF object, not the kernel's BTF");
	CHECKS("/proc/self/exe", "an ELF file without a usable .BTF section");
	btf__free(good);
	btf__free(other);
}
END_TEST

/* A module's BTF alone (split: its types number on from the kernel's and its strings too) is
 * not a vmlinux BTF. */
START_TEST(split_file_refused)
{
	struct btf *base = vmlinux_like(true, false), *mod = btf__new_empty_split(base);
	int i;

	ck_assert_ptr_nonnull(mod);
	i = btf__add_int(mod, "modint", 4, 0);
	ck_assert_int_gt(btf__add_func(mod, "mod_fn", BTF_FUNC_GLOBAL, btf__add_func_proto(mod, i)), 0);
	write_btf(mod, at("mod.btf"), -1);
	CHECKS(at("mod.btf"), "damaged BTF, or a module's split BTF that needs its base");
	btf__free(mod);
	btf__free(base);
}
END_TEST

/* The choice on fixture roots: the kernel's own when ROOT/sys/kernel/btf/vmlinux is there, a
 * given file first, and the one refusal line without either. */
START_TEST(choice_on_roots)
{
	struct btf *good = vmlinux_like(true, true);
	struct kbtf b;
	char why[512] = "", root[300], want[400];

	snprintf(root, sizeof(root), "%s/with", dir);
	mkdirs(at("with/sys/kernel/btf"));
	mkdirs(at("without/sys/kernel"));
	write_btf(good, at("with/sys/kernel/btf/vmlinux"), -1);
	write_btf(good, at("given.btf"), -1);

	ck_assert_int_eq(kbtf_choose(root, NULL, NULL, &b, why, sizeof(why)), 0);
	snprintf(want, sizeof(want), "%s/sys/kernel/btf/vmlinux", root);
	ck_assert_str_eq(b.path, want);
	ck_assert(b.kernel_btf && !b.given);
	ck_assert_int_eq(kbtf_choose(root, at("given.btf"), NULL, &b, why, sizeof(why)), 0);
	ck_assert_str_eq(b.path, at("given.btf"));
	ck_assert(b.kernel_btf && b.given);

	snprintf(root, sizeof(root), "%s/without", dir);
	ck_assert_int_eq(kbtf_choose(root, NULL, NULL, &b, why, sizeof(why)), -ENOENT);
	ck_assert_str_eq(b.path, "");
	ck_assert(!b.kernel_btf && !b.given);
	ck_assert_str_eq(why, "this kernel has no BTF (/sys/kernel/btf/vmlinux: No such file or directory; "
			 "a kernel built without CONFIG_DEBUG_INFO_BTF): give its BTF with --btf FILE, the "
			 "kernel's file from BTFHub (https://github.com/aquasecurity/btfhub-archive) or one "
			 "made by tools/min-btf.sh");
	ck_assert_int_eq(kbtf_choose(root, at("given.btf"), NULL, &b, why, sizeof(why)), 0);
	ck_assert(!b.kernel_btf && b.given);
	ck_assert_str_eq(b.no_kernel_btf, "/sys/kernel/btf/vmlinux: No such file or directory");

	/* IOPATH_MASK_CAPS=vmlinux_btf: a kernel that has it taken to have none */
	snprintf(root, sizeof(root), "%s/with", dir);
	ck_assert_int_eq(kbtf_choose(root, NULL, "bpf_cookie,vmlinux_btf", &b, why, sizeof(why)), -ENOENT);
	ck_assert(!b.kernel_btf);
	ck_assert_str_eq(b.no_kernel_btf, "/sys/kernel/btf/vmlinux masked by IOPATH_MASK_CAPS=vmlinux_btf");
	ck_assert(strstr(why, "--btf FILE") && strstr(why, "btfhub"));
	ck_assert_int_eq(kbtf_choose(root, NULL, "bpf_cookie", &b, why, sizeof(why)), 0);
	ck_assert(b.kernel_btf);
	btf__free(good);
}
END_TEST

/* btf_settle as a command calls it, stderr counted: its exit code, how many lines, the first. */
static int settle(const char *path, bool need, int *lines, char *first, size_t len)
{
	int saved = dup(2), fd = open(at("stderr"), O_RDWR | O_CREAT | O_TRUNC, 0644), rc;
	char buf[2048] = "";
	ssize_t n;

	ck_assert_int_ge(fd, 0);
	fflush(stderr);
	dup2(fd, 2);
	rc = btf_settle("record", path, need);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	close(fd);
	*lines = 0;
	for (ssize_t i = 0; i < n; i++)
		*lines += buf[i] == '\n';
	snprintf(first, len, "%.*s", (int)strcspn(buf, "\n"), buf);
	return rc;
}

START_TEST(settle_exit_codes)
{
	struct btf *good = vmlinux_like(true, true);
	char first[600];
	int lines;

	write_btf(good, at("given.btf"), -1);
	write_btf(good, at("cut.btf"), 30);
	/* a bad file: usage (exit 2), one line naming the option and the file */
	ck_assert_int_eq(settle(at("cut.btf"), true, &lines, first, sizeof(first)), EXIT_USAGE);
	ck_assert_int_eq(lines, 1);
	ck_assert_msg(strstr(first, "iopath record: --btf ") && strstr(first, "cut.btf: truncated: 30 bytes"),
		      "'%s'", first);
	ck_assert_int_eq(settle(at("none.btf"), false, &lines, first, sizeof(first)), EXIT_USAGE);
	ck_assert_int_eq(lines, 1);
	/* a good one: the process reads it, libbpf gets it as btf_custom_path */
	ck_assert_int_eq(settle(at("given.btf"), true, &lines, first, sizeof(first)), 0);
	ck_assert_int_eq(lines, 0);
	ck_assert(kbtf_current()->given);
	ck_assert_str_eq(kbtf_custom_path(), at("given.btf"));
	{
		struct btf *b = kbtf_load();

		ck_assert_ptr_nonnull(b);
		ck_assert_uint_eq(btf__type_cnt(b), btf__type_cnt(good));
		btf__free(b);
	}
	/* the kernel's own (this machine has it): no custom path, so libbpf uses module BTF too */
	ck_assert_int_eq(settle(NULL, true, &lines, first, sizeof(first)), 0);
	ck_assert_ptr_null(kbtf_custom_path());
	ck_assert(kbtf_current()->kernel_btf);
	/* a kernel without: refused with one line where BTF is needed (exit 1, the kernel lacks
	 * it), reported where it is not (env) */
	setenv(CAPS_MASK_ENV, "vmlinux_btf", 1);
	ck_assert_int_eq(settle(NULL, true, &lines, first, sizeof(first)), EXIT_RUNTIME);
	ck_assert_int_eq(lines, 1);
	ck_assert_msg(strstr(first, "iopath: kernel ") && strstr(first, ": this kernel has no BTF (") &&
		      strstr(first, "--btf FILE") && strstr(first, KBTF_HUB), "'%s'", first);
	ck_assert_int_eq(settle(NULL, false, &lines, first, sizeof(first)), 0);
	ck_assert_int_eq(lines, 0);
	ck_assert_str_eq(kbtf_current()->path, "");
	ck_assert_ptr_null(kbtf_load());
	/* ... and with --btf it runs, without the kernel's own BTF */
	ck_assert_int_eq(settle(at("given.btf"), true, &lines, first, sizeof(first)), 0);
	ck_assert(kbtf_current()->given && !kbtf_current()->kernel_btf);
	unsetenv(CAPS_MASK_ENV);
	btf__free(good);
}
END_TEST

/* --btf is one of the shared tracing options, checked with the others. */
START_TEST(shared_option)
{
	struct btf *good = vmlinux_like(true, true);
	struct trace_opts t;
	char path[512];
	char *argv[] = { "record", "--btf", path, NULL };
	static const struct option rows[] = { TRACE_OPTIONS_COMMON, {} };
	bool listed = false;

	for (const struct option *o = rows; o->name; o++)
		listed |= !strcmp(o->name, "btf") && o->has_arg == required_argument && o->val == TO_BTF;
	ck_assert(listed);
	snprintf(path, sizeof(path), "%s", at("cut.btf"));
	write_btf(good, path, 100);
	trace_opts_init(&t, 5, 86400);
	t.net = true;
	optarg = argv[2];
	optind = 3;
	ck_assert_int_eq(trace_opt("record", TO_BTF, argv, &t), 0);
	ck_assert_str_eq(t.btf, path);
	ck_assert_int_eq(trace_opts_check("record", &t), EXIT_USAGE);
	write_btf(good, path, -1);
	ck_assert_int_eq(trace_opts_check("record", &t), 0);
	ck_assert_str_eq(kbtf_custom_path(), path);
	btf__free(good);
}
END_TEST

/* What a given file changes in the kernel's view: its functions and tracepoints, and no module
 * BTF, so a module function with module BTF on this kernel still goes by kprobe. */
START_TEST(view_with_given_file)
{
	struct btf *base = vmlinux_like(true, true), *min = vmlinux_like(true, false);
	struct btf *mod = btf__new_empty_split(base);
	struct resolved r;
	int i;

	/* /sys/kernel/btf as a kernel with a virtio_net module has it */
	mkdirs(at("btf"));
	write_btf(base, at("btf/vmlinux"), -1);
	i = btf__add_int(mod, "u32", 4, 0);
	ck_assert_int_gt(btf__add_func(mod, "start_xmit", BTF_FUNC_GLOBAL, btf__add_func_proto(mod, i)), 0);
	write_btf(mod, at("btf/virtio_net"), -1);
	write_btf(min, at("min.btf"), -1);
	strset_add(&kv.ksyms, "virtio_net:start_xmit", 0xffffffffc0001000ull);
	strset_add(&kv.modules, "virtio_net", 1);

	/* the kernel's own: module BTF read, so fentry */
	ck_assert_int_eq(kview_load_btf(&kv, at("btf/vmlinux"), at("btf"), true), 0);
	ck_assert(kview_has_btf(&kv, "virtio_net", "start_xmit"));
	ck_assert(kview_has_btf(&kv, "vmlinux", "vm_fn"));
	ck_assert(kv.have_tps);
	r = R_METHOD("virtio-net", "start_xmit", KIND_FUNC, METHOD_FENTRY);
	ck_assert_str_eq(r.module, "virtio_net");
	kview_free(&kv);

	/* a given file (full): its functions, no module BTF: the module function by kprobe */
	kview_init(&kv);
	strset_add(&kv.ksyms, "virtio_net:start_xmit", 0xffffffffc0001000ull);
	strset_add(&kv.modules, "virtio_net", 1);
	ck_assert_int_eq(kview_load_btf(&kv, at("btf/vmlinux"), at("btf"), false), 0);
	ck_assert(!kview_has_btf(&kv, "virtio_net", "start_xmit"));
	ck_assert(kview_has_btf(&kv, "vmlinux", "vm_fn"));
	r = R_METHOD("virtio-net", "start_xmit", KIND_FUNC, METHOD_KPROBE);
	ck_assert_str_eq(r.module, "virtio_net");
	kview_free(&kv);

	/* a minimal one has no btf_trace_ typedefs: tracepoints are not known, so not "absent" */
	kview_init(&kv);
	ck_assert_int_eq(kview_load_btf(&kv, at("min.btf"), at("btf"), false), 0);
	ck_assert(!kv.have_tps);
	R_METHOD("net-stack", "net:net_dev_queue", KIND_TP, METHOD_RAW_TP);
	R_STATUS("net-stack", "net:netif_rx", KIND_TP, PST_PLANNED);
	btf__free(mod);
	btf__free(base);
	btf__free(min);
}
END_TEST

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

/* Every entry of the built-in archive (bpf/btf/index) is a vmlinux BTF libbpf parses, with the
 * structs CO-RE reads; where the kernel's modules carry BTF (all but Debian 11's 5.10), also the
 * module structs (tools/embed-btf.sh MODULES): the queue structs of virtio_net, nvme and
 * xen-netfront and the KVM host's. */
START_TEST(builtin_archive_entries)
{
	static const char *const mod_structs[] = { "send_queue", "receive_queue", "nvme_queue",
		"netfront_queue", "vcpu_vmx", "vcpu_svm", "kvm_kernel_irqfd", "vhost_virtqueue" };
	char path[64], why[512];

	ck_assert_uint_ge(btfarch_count, 4);   /* 5.10, 6.1, 6.12, trixie-backports */
	for (size_t i = 0; i < btfarch_count; i++) {
		const struct btfarch_entry *e = &btfarch_entries[i];
		struct btf *btf;

		ck_assert_int_eq(btfarch_path(e, path, sizeof(path)), 0);
		ck_assert_int_eq(kbtf_check_file(path, why, sizeof(why)), 0);
		btf = btf__parse(path, NULL);
		ck_assert_ptr_nonnull(btf);
		ck_assert_int_gt(btf__find_by_name_kind(btf, "request", BTF_KIND_STRUCT), 0);
		for (size_t m = 0; m < NELEM(mod_structs); m++)
			ck_assert_msg((btf__find_by_name_kind(btf, mod_structs[m], BTF_KIND_STRUCT) > 0) ==
				      !!strncmp(e->release, "5.10.", 5),
				      "%s: struct %s", e->release, mod_structs[m]);
		btf__free(btf);
	}
}
END_TEST

/* Without /sys/kernel/btf/vmlinux and without --btf: the built-in entry of exactly this build,
 * never one of the same release from another build, and the refusal line names that build. */
START_TEST(builtin_choice_on_roots)
{
	struct kbtf b;
	char why[600] = "", root[300];
	struct btf *btf;

	snprintf(root, sizeof(root), "%s/deb12", dir);
	mkdirs(at("deb12/proc/sys/kernel"));
	put(at("deb12/proc/sys/kernel/osrelease"), "6.1.0-56-amd64\n");
	put(at("deb12/proc/sys/kernel/version"), "#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2 (2026-11-16)\n");
	ck_assert_int_eq(kbtf_choose(root, NULL, NULL, &b, why, sizeof(why)), 0);
	ck_assert(!b.kernel_btf && b.given);
	/* its size changes whenever tools/embed-btf.sh remakes it */
	ck_assert_msg(!strncmp(b.builtin, "the built-in BTF of 6.1.0-56-amd64 (Debian 6.1.192-2 "
			       "(2026-11-16)), ", 68) && strstr(b.builtin, " bytes"), "%s", b.builtin);
	ck_assert(!strncmp(b.path, "/proc/self/fd/", 14));
	btf = btf__parse(b.path, NULL);
	ck_assert_ptr_nonnull(btf);
	ck_assert_int_gt(btf__find_by_name_kind(btf, "nvme_queue", BTF_KIND_STRUCT), 0);
	btf__free(btf);
	/* a given file still comes first */
	btf = vmlinux_like(true, false);
	write_btf(btf, at("given.btf"), -1);
	btf__free(btf);
	ck_assert_int_eq(kbtf_choose(root, at("given.btf"), NULL, &b, why, sizeof(why)), 0);
	ck_assert_str_eq(b.path, at("given.btf"));
	ck_assert_str_eq(b.builtin, "");

	/* the same ABI, rebuilt: its layouts may differ, so not used */
	put(at("deb12/proc/sys/kernel/version"), "#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-3 (2026-12-01)\n");
	ck_assert_int_eq(kbtf_choose(root, NULL, NULL, &b, why, sizeof(why)), -ENOENT);
	ck_assert_str_eq(b.path, "");
	ck_assert_str_eq(why, "this kernel has no BTF (/sys/kernel/btf/vmlinux: No such file or directory; "
			 "a kernel built without CONFIG_DEBUG_INFO_BTF); the built-in BTF of 6.1.0-56-amd64 "
			 "is of the build 'Debian 6.1.192-2 (2026-11-16)', this kernel is '#1 SMP "
			 "PREEMPT_DYNAMIC Debian 6.1.192-3 (2026-12-01)': give its BTF with --btf FILE, the "
			 "kernel's file from BTFHub (https://github.com/aquasecurity/btfhub-archive) or one "
			 "made by tools/min-btf.sh");
	/* a release the archive does not hold */
	put(at("deb12/proc/sys/kernel/osrelease"), "5.15.0-1-aws\n");
	ck_assert_int_eq(kbtf_choose(root, NULL, NULL, &b, why, sizeof(why)), -ENOENT);
	ck_assert(!strstr(why, "built-in"));
}
END_TEST

/* The live loader reads the file the process chose, not the kernel's. */
START_TEST(live_view_reads_choice)
{
	struct btf *min = vmlinux_like(true, false);
	struct kbtf b;
	char why[512];

	write_btf(min, at("min.btf"), -1);
	ck_assert_int_eq(kbtf_choose("", at("min.btf"), NULL, &b, why, sizeof(why)), 0);
	kbtf_use(&b);
	ck_assert_int_eq(kview_load_live(&kv), 0);
	ck_assert(kview_has_btf(&kv, "vmlinux", "vm_fn"));
	ck_assert(!kview_has_btf(&kv, "vmlinux", "ip_rcv"));   /* the kernel's BTF has it */
	ck_assert_uint_eq(kv.btf_mods.len, 1);                 /* vmlinux only */
	ck_assert(!kv.have_tps);
	btf__free(min);
}
END_TEST

int main(void)
{
	TCase *t = TCASE("btf", 30, files_checked, split_file_refused, choice_on_roots, settle_exit_codes,
			 shared_option, view_with_given_file, live_view_reads_choice,
			 builtin_archive_entries, builtin_choice_on_roots);

	tcase_add_checked_fixture(t, setup, teardown);
	return run_suite(suite_of("btf", t, (TCase *)NULL));
}
