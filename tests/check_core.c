/* Unit tests of the pieces every command stands on: the string set, the JSON
 * writer, the kallsyms/BTF/blacklist parsers, the profile table's invariants
 * and every branch of the resolver on a small synthetic kernel view. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <bpf/btf.h>

#include "engine/attach.h"
#include "engine/calib.h"
#include "out/json.h"
#include "util/strset.h"
#include "engine/deep.h"
#include "resolvecheck.h"
#include "testutil.h"

START_TEST(strset_many)
{
	struct strset s;
	char k[32];
	uint64_t v;

	strset_init(&s);
	for (int i = 0; i < 20000; i++) {
		snprintf(k, sizeof(k), "sym_%d", i);
		ck_assert_int_eq(strset_add(&s, k, i), 1);
	}
	ck_assert_int_eq(strset_add(&s, "sym_7", 99), 0); /* present: not replaced */
	ck_assert_uint_eq(s.len, 20000);
	for (int i = 0; i < 20000; i += 997) {
		snprintf(k, sizeof(k), "sym_%d", i);
		ck_assert(strset_get(&s, k, &v));
		ck_assert_uint_eq(v, (uint64_t)i);
	}
	ck_assert(!strset_get(&s, "sym_20000", NULL));
	ck_assert_int_eq(strset_set(&s, "sym_3", 42), 0);
	ck_assert(strset_get(&s, "sym_3", &v) && v == 42);
	ck_assert_int_eq(strset_set(&s, "nope", 1), -ENOENT);
	/* keys live in 64 KiB chunks: one longer than a chunk gets its own, the ones after it
	 * still land whole, and every key reads back after the table grew around them */
	char *big = malloc(70000);

	ck_assert_ptr_nonnull(big);
	memset(big, 'k', 69999);
	big[69999] = 0;
	ck_assert_int_eq(strset_add(&s, big, 7), 1);
	ck_assert_int_eq(strset_add(&s, "after_big", 8), 1);
	for (int i = 20000; i < 60000; i++) {
		snprintf(k, sizeof(k), "sym_%d", i);
		ck_assert_int_eq(strset_add(&s, k, i), 1);
	}
	ck_assert(strset_get(&s, big, &v) && v == 7);
	ck_assert(strset_get(&s, "after_big", &v) && v == 8);
	for (int i = 0; i < 60000; i++) {
		snprintf(k, sizeof(k), "sym_%d", i);
		ck_assert(strset_get(&s, k, &v));
		ck_assert_uint_eq(v, i == 3 ? 42 : (uint64_t)i);
	}
	big[100] = 0;   /* a prefix of a key is another key */
	ck_assert(!strset_get(&s, big, NULL));
	free(big);
	strset_free(&s);
	ck_assert(!strset_get(&s, "sym_3", NULL));
}
END_TEST

START_TEST(json_writer)
{
	struct jw w;
	char *buf = CAPTURE(f,
		jw_init(&w, f, false);
		jw_obj_begin(&w, NULL);
		jw_str(&w, "s", "a\"b\\c\n\x01");
		jw_int(&w, "i", -3);
		jw_uint(&w, "u", 18446744073709551615ull);
		jw_double(&w, "d", 0.5);
		jw_double(&w, "nan", 0.0 / 0.0);
		jw_bool(&w, "b", true);
		jw_null(&w, "n");
		jw_str(&w, "ns", NULL);
		jw_arr_begin(&w, "a");
		jw_int(&w, NULL, 1);
		jw_obj_begin(&w, NULL);
		jw_obj_end(&w);
		jw_arr_begin(&w, NULL);
		jw_arr_end(&w);
		jw_arr_end(&w);
		jw_obj_end(&w));

	ck_assert_str_eq(buf, "{\"s\":\"a\\\"b\\\\c\\n\\u0001\",\"i\":-3,\"u\":18446744073709551615,"
			      "\"d\":0.5,\"nan\":null,\"b\":true,\"n\":null,\"ns\":null,"
			      "\"a\":[1,{},[]]}");
	free(buf);
}
END_TEST

static void write_file(const char *path, const char *text, bool gz)
{
	if (gz) {
		gzFile g = gzopen(path, "wb");

		ck_assert_ptr_nonnull(g);
		gzputs(g, text);
		gzclose(g);
	} else {
		FILE *f = fopen(path, "w");

		ck_assert_ptr_nonnull(f);
		fputs(text, f);
		fclose(f);
	}
}

START_TEST(kallsyms_parse)
{
	char dir[] = "/tmp/iopath-kv-XXXXXX", p[256];
	struct kview kv;
	unsigned long long a;
	uint64_t n;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/kallsyms.gz", dir);
	write_file(p,
		   "ffffffff81000000 T _stext\n"
		   "ffffffff81a00000 T __noinstr_text_start\n"
		   "ffffffff81a00100 T xen_hypercall_pv\n"
		   "ffffffff81a10000 T __noinstr_text_end\n"
		   "ffffffff81b00000 D some_data\n"
		   "ffffffff81c00000 t start_xmit\n"
		   "ffffffffc0001000 t start_xmit\t[virtio_net]\n"
		   "ffffffffc0002000 t start_xmit\t[dl2k]\n"
		   "ffffffffc0003000 t virtblk_prep_rq.isra.0\t[virtio_blk]\n"
		   "ffffffffc0004000 d data_in_mod\t[virtio_blk]\n"
		   "garbage\n", _i % 2);
	kview_init(&kv);
	ck_assert_int_eq(kview_read_kallsyms(&kv, p), 0);
	ck_assert(kview_has_sym(&kv, "vmlinux", "start_xmit", &a) && a == 0xffffffff81c00000ull);
	ck_assert(kview_has_sym(&kv, "virtio_net", "start_xmit", &a) && a == 0xffffffffc0001000ull);
	ck_assert(kview_has_sym(&kv, "dl2k", "start_xmit", NULL));
	ck_assert(strset_get(&kv.names, "start_xmit", &n) && n == 3);
	ck_assert(!kview_has_sym(&kv, "vmlinux", "some_data", NULL));   /* data, not text */
	ck_assert(!kview_has_sym(&kv, "virtio_blk", "data_in_mod", NULL));
	ck_assert(kview_module_loaded(&kv, "virtio_blk"));
	ck_assert(kview_module_loaded(&kv, "vmlinux"));
	ck_assert(!kview_module_loaded(&kv, "nvme"));
	ck_assert(kview_addr_in_noinstr(&kv, 0xffffffff81a00100ull));
	ck_assert(!kview_addr_in_noinstr(&kv, 0xffffffff81c00000ull));

	snprintf(p, sizeof(p), "%s/btf", dir);
	write_file(p, "vmlinux notify_remote_via_irq\nvirtio_net start_xmit\nbad\n", false);
	ck_assert_int_eq(kview_read_btf_funcs(&kv, p), 0);
	ck_assert(kview_has_btf(&kv, "virtio_net", "start_xmit"));
	ck_assert(!kview_has_btf(&kv, "dl2k", "start_xmit"));
	ck_assert(strset_get(&kv.btf_mods, "virtio_net", NULL));

	snprintf(p, sizeof(p), "%s/bl", dir);
	write_file(p, "0xffffffff81a00100-0xffffffff81a00120\txen_hypercall_pv\n", true);
	ck_assert_int_eq(kview_read_blacklist(&kv, p), 0);
	ck_assert(strset_get(&kv.blacklist, "xen_hypercall_pv", NULL));

	snprintf(p, sizeof(p), "%s/missing", dir);
	ck_assert_int_lt(kview_read_kallsyms(&kv, p), 0);
	kview_free(&kv);
	snprintf(p, sizeof(p), "rm -rf %s", dir);
	ck_assert_int_eq(system(p), 0);
}
END_TEST

/* --- profile table invariants --- */

START_TEST(profiles_consistent)
{
	bool tp_used[TP__COUNT] = {};

	for (unsigned i = 0; i < iop_point_count; i++) {
		const struct probe_point *p = &iop_points[i];

		ck_assert_msg(profile_find(p->profile), "point %s: no profile %s", p->symbols, p->profile);
		ck_assert_uint_lt(p->role, ROLE__COUNT);
		ck_assert_uint_lt(p->path, PATH__COUNT);
		ck_assert_msg(p->id_arg >= -1 && p->id_arg <= 5, "%s id_arg", p->symbols);
		ck_assert_msg(p->qx < QX__COUNT && p->q_arg >= 0 && p->q_arg <= 4, "%s queue", p->symbols);
		ck_assert_msg(p->symbols[0] && !strstr(p->symbols, "||") &&
			      p->symbols[strlen(p->symbols) - 1] != '|', "%s: bad alternates", p->symbols);
		if (p->kind == KIND_TP) {
			const char *c = strchr(p->symbols, ':');
			int t;

			ck_assert_msg(c && c != p->symbols, "%s: tracepoint needs system:name", p->symbols);
			ck_assert_msg(!p->qx || p->q_arg == 0,
				      "%s: tracepoint queues come from argument 0 only", p->symbols);
			t = tp_index(c + 1);
			ck_assert_msg(t >= 0, "%s: no BPF handler for this tracepoint", p->symbols);
			tp_used[t] = true;
		} else {
			ck_assert_msg(p->kind == KIND_FUNC || p->kind == KIND_FUNC_RET, "%s kind", p->symbols);
		}
		if (p->kind == KIND_FUNC_RET)
			ck_assert_msg(point_find(p->profile, p->symbols, KIND_FUNC),
				      "%s: return point without entry point", p->symbols);
		for (unsigned j = i + 1; j < iop_point_count; j++)
			ck_assert_msg(strcmp(p->profile, iop_points[j].profile) ||
				      strcmp(p->symbols, iop_points[j].symbols) ||
				      p->kind != iop_points[j].kind, "duplicate point %s", p->symbols);
	}
	for (int t = 0; t < TP__COUNT; t++)
		ck_assert_msg(tp_used[t], "tracepoint handler %d is in no profile", t);
	for (unsigned i = 0; i < iop_profile_count; i++) {
		unsigned n = 0;

		for (unsigned j = 0; j < iop_point_count; j++)
			n += !strcmp(iop_points[j].profile, iop_profiles[i].name);
		ck_assert_msg(n > 0, "profile %s has no points", iop_profiles[i].name);
	}
	/* a profile with points on a path is attached when that path is recorded (its paths bits) */
	for (unsigned j = 0; j < iop_point_count; j++) {
		const struct probe_point *p = &iop_points[j];
		const struct profile *pr = profile_find(p->profile);

		ck_assert_msg(pr, "point %s: no profile %s", p->symbols, p->profile);
		if (p->path == PATH_NET_TX || p->path == PATH_NET_RX)
			ck_assert_msg(profile_wanted(p->profile, true, false), "%s has net points, not in --net", p->profile);
		if (p->path == PATH_BLK)
			ck_assert_msg(profile_wanted(p->profile, false, true), "%s has block points, not in --blk", p->profile);
		/* every profile is attached by some recording, but the host's (record --host) */
		ck_assert_msg(pr->paths || p->path == PATH_HOST, "%s is attached by no recording", p->profile);
	}
	ck_assert(!profile_wanted("block-stack", true, false) && !profile_wanted("net-stack", false, true));
	ck_assert(!profile_wanted("kvm-host", true, true) && !profile_wanted("nosuch", true, true));
	for (int m = 0; m < METHOD__COUNT; m++)
		ck_assert_str_ne(method_name(m), "?");
	for (int s = 0; s < PST__COUNT; s++)
		ck_assert_str_ne(status_name(s), "?");
	for (int r = 0; r < ROLE__COUNT; r++)
		ck_assert_str_ne(role_name(r), "?");
}
END_TEST

START_TEST(deny_list)
{
	ck_assert(resolve_denied("xen_iret"));
	ck_assert(resolve_denied("rcu_read_lock_held"));
	ck_assert(resolve_denied("bpf_prog_run"));
	ck_assert(resolve_denied("native_write_msr"));
	ck_assert(!resolve_denied("xennet_start_xmit"));
	ck_assert(!resolve_denied("notify_remote_via_irq"));
	/* No profile row may be on the deny-list. */
	for (unsigned i = 0; i < iop_point_count; i++)
		ck_assert_msg(!resolve_denied(iop_points[i].symbols), "%s denied", iop_points[i].symbols);
}
END_TEST

/* --- resolver on a synthetic kernel --- */

static struct kview kv;
static struct kcaps caps;
static struct resolve_opts ro;

static void sym(const char *mod, const char *name, unsigned long long addr, bool btf)
{
	char k[256];

	snprintf(k, sizeof(k), "%s:%s", mod, name);
	strset_add(&kv.ksyms, k, addr);
	strset_add(&kv.modules, mod, 1);
	if (btf) {
		strset_add(&kv.btf_funcs, k, 1);
		strset_add(&kv.btf_mods, mod, 1);
	}
}

static void setup(void)
{
	kview_init(&kv);
	snprintf(kv.release, sizeof(kv.release), "synthetic");
	resolve_defaults(&caps, &ro);
	sym("vmlinux", "notify_remote_via_irq", 0xffffffff81100000ull, true);
	sym("vmlinux", "xen_evtchn_do_upcall", 0xffffffff81100100ull, true);
	sym("vmlinux", "xen_hypercall_pv", 0xffffffff81a00100ull, true);
	kv.noinstr[0][0] = 0xffffffff81a00000ull;
	kv.noinstr[0][1] = 0xffffffff81a10000ull;
	sym("xen_blkfront", "blkif_queue_rq", 0xffffffffc0001000ull, true);
	sym("virtio_blk", "virtblk_prep_rq.isra.0", 0xffffffffc0002000ull, false);
	sym("virtio_blk", "virtio_queue_rq", 0xffffffffc0002100ull, false);
	sym("vmlinux", "vp_notify", 0xffffffff81200000ull, true); /* built-in virtio_pci */
	sym("vmlinux", "xen_safe_halt", 0xffffffff81100200ull, true);
	strset_add(&kv.blacklist, "xen_safe_halt", 1);
	strset_add(&kv.tps, "net_dev_queue", 1);
	strset_add(&kv.tps, "nvme_setup_cmd", 1);
	kv.have_tps = true;
}

static void teardown(void)
{
	kview_free(&kv);
}

START_TEST(resolve_fentry_and_kprobe)
{
	struct resolved r = R_STATUS("xen-events", "notify_remote_via_irq", KIND_FUNC, PST_PLANNED);

	ck_assert_int_eq(r.method, METHOD_FENTRY);
	ck_assert_str_eq(r.module, "vmlinux");
	r = R_METHOD("xen-blkfront", "blkif_queue_rq", KIND_FUNC_RET, METHOD_FEXIT);
	ck_assert_str_eq(r.module, "xen_blkfront");
	/* no BTF for it: kprobe */
	R_METHOD("virtio-blk", "virtio_queue_rq", KIND_FUNC, METHOD_KPROBE);
	/* a GCC clone: kprobe only, under its suffixed name */
	R_PLANNED("virtio-blk", "virtblk_prep_rq", KIND_FUNC, METHOD_KPROBE, "virtblk_prep_rq.isra.0");
	/* forced kprobe even with BTF */
	ro.force = METHOD_KPROBE;
	R_METHOD("xen-events", "notify_remote_via_irq", KIND_FUNC, METHOD_KPROBE);
	R_METHOD("xen-blkfront", "blkif_queue_rq", KIND_FUNC_RET, METHOD_KRETPROBE);
	/* forced fentry on a clone: impossible, said so */
	ro.force = METHOD_FENTRY;
	R_STATUS("virtio-blk", "virtblk_prep_rq", KIND_FUNC, PST_UNAVAILABLE);
	/* forced fentry on a module function without BTF (Debian 11's modules): the reason is the
	 * missing BTF and the forced method, not "no kprobes" (they are there) */
	r = R_STATUS("virtio-blk", "virtio_queue_rq", KIND_FUNC, PST_UNAVAILABLE);
	ck_assert_msg(strstr(r.reason, "no BTF for virtio_queue_rq in virtio_blk for fentry (kernel without "
				    "module BTF) (--method fentry excludes kprobes)"), "%s", r.reason);
}
END_TEST

START_TEST(resolve_alternates_and_modules)
{
	/* 6.1 naming: the 5.10 alternate is absent, the second one wins */
	struct resolved r = R_STATUS("xen-events", "xen_hvm_evtchn_do_upcall", KIND_FUNC, PST_PLANNED);

	ck_assert_str_eq(r.symbol, "xen_evtchn_do_upcall");
	/* 5.10 naming: the first alternate wins even though the second exists */
	sym("vmlinux", "xen_hvm_evtchn_do_upcall", 0xffffffff81100300ull, true);
	r = R("xen-events", "xen_hvm_evtchn_do_upcall", KIND_FUNC);
	ck_assert_str_eq(r.symbol, "xen_hvm_evtchn_do_upcall");
	/* module-qualified row found in vmlinux when the driver is built in */
	r = R_STATUS("virtio-core", "virtio_pci:vp_notify", KIND_FUNC, PST_PLANNED);
	ck_assert_str_eq(r.module, "vmlinux");
	/* module not loaded at all */
	r = R_STATUS("nvme", "nvme_queue_rq", KIND_FUNC, PST_NOT_APPLICABLE);
	ck_assert(strstr(r.reason, "nvme not loaded"));
	/* loaded module, no symbol, known inlined */
	R_STATUS("xen-blkfront", "blkif_queue_request", KIND_FUNC, PST_INLINED);
	/* loaded module, no symbol, not known inlined */
	R_STATUS("xen-blkfront", "blkif_interrupt", KIND_FUNC, PST_ABSENT);
}
END_TEST

START_TEST(resolve_unprobeable)
{
	R_STATUS("xen-events", "xen_hypercall_pv", KIND_FUNC, PST_NOT_PROBEABLE); /* address inside noinstr */
	R_STATUS("xen-events", "xen_safe_halt", KIND_FUNC, PST_NOT_PROBEABLE);    /* kprobe blacklist */
}
END_TEST

START_TEST(resolve_no_kprobes_no_fentry)
{
	struct resolved r;

	caps.c[CAP_KPROBE].ok = caps.c[CAP_KRETPROBE].ok = false;
	caps.c[CAP_KPROBE].err = caps.c[CAP_KRETPROBE].err = -ENOENT;
	caps.c[CAP_FENTRY].ok = caps.c[CAP_FEXIT].ok = false;
	caps.c[CAP_FENTRY].err = caps.c[CAP_FEXIT].err = -EPERM;
	r = R_STATUS("xen-events", "notify_remote_via_irq", KIND_FUNC, PST_UNAVAILABLE);
	ck_assert_msg(strstr(r.reason, "no kprobes/fentry") && strstr(r.reason, "ENOENT") &&
		      strstr(r.reason, "EPERM"), "%s", r.reason);
	/* kprobes present but no bpf_cookie (pre-5.15 kernel): a cookie-less clone per point */
	caps.c[CAP_KPROBE].ok = true;
	caps.c[CAP_KPROBE].err = 0;
	caps.c[CAP_COOKIE].ok = false;
	r = R_METHOD("virtio-blk", "virtio_queue_rq", KIND_FUNC, METHOD_KPROBE);
	ck_assert(r.patched);
	ck_assert_msg(strstr(r.reason, "no bpf_cookie"), "%s", r.reason);
	caps.c[CAP_COOKIE].ok = true;
	r = R_METHOD("virtio-blk", "virtio_queue_rq", KIND_FUNC, METHOD_KPROBE);
	ck_assert(!r.patched);
	/* tracepoints are unaffected */
	R_METHOD("net-stack", "net:net_dev_queue", KIND_TP, METHOD_TP_BTF);
}
END_TEST

START_TEST(resolve_ftrace_sites)
{
	/* when available_filter_functions is known, fentry needs a site */
	kv.have_ftrace = true;
	strset_add(&kv.ftrace, "vmlinux:xen_evtchn_do_upcall", 1);
	/* a kprobe on a function without a site is tried, marked notrace: trace_kprobe refuses
	 * those unless CONFIG_KPROBE_EVENTS_ON_NOTRACE, and the refusal will say why */
	ck_assert(R_METHOD("xen-events", "notify_remote_via_irq", KIND_FUNC, METHOD_KPROBE).notrace);
	R_METHOD("xen-events", "xen_hvm_evtchn_do_upcall", KIND_FUNC, METHOD_FENTRY);
	strset_add(&kv.ftrace, "vmlinux:notify_remote_via_irq", 1);
	ro.force = METHOD_KPROBE;   /* with a site it would go fentry */
	ck_assert(!R_METHOD("xen-events", "notify_remote_via_irq", KIND_FUNC, METHOD_KPROBE).notrace);
	kv.have_ftrace = false;     /* sites unknown: nothing said */
	ck_assert(!R_METHOD("xen-events", "xen_hvm_evtchn_do_upcall", KIND_FUNC, METHOD_KPROBE).notrace);
	kv.have_ftrace = true;
	ro.force = METHOD_NONE;
	/* more than 6 arguments: no trampoline, kprobe */
	strset_set(&kv.btf_funcs, "vmlinux:xen_evtchn_do_upcall", KV_NARGS_BASE + 7);
	R_METHOD("xen-events", "xen_hvm_evtchn_do_upcall", KIND_FUNC, METHOD_KPROBE);
	strset_set(&kv.btf_funcs, "vmlinux:xen_evtchn_do_upcall", KV_NARGS_BASE + 6);
	R_METHOD("xen-events", "xen_hvm_evtchn_do_upcall", KIND_FUNC, METHOD_FENTRY);
	ck_assert(!R_METHOD("xen-events", "xen_hvm_evtchn_do_upcall", KIND_FUNC, METHOD_FENTRY).patched);
	/* 5.15/5.16: fentry and get_func_ip, but no get_func_arg (and 5.10: neither): fentry
	 * still, through a clone of its own with the point and argument indexes patched in */
	caps.c[CAP_FUNC_ARG].ok = false;
	ck_assert(R_METHOD("xen-events", "xen_hvm_evtchn_do_upcall", KIND_FUNC, METHOD_FENTRY).patched);
	caps.c[CAP_FUNC_IP].ok = false;
	ck_assert(R_METHOD("xen-events", "xen_hvm_evtchn_do_upcall", KIND_FUNC, METHOD_FENTRY).patched);
}
END_TEST

START_TEST(resolve_tracepoints)
{
	struct resolved r = R_METHOD("net-stack", "net:net_dev_queue", KIND_TP, METHOD_TP_BTF);

	ck_assert_str_eq(r.tp_system, "net");
	ck_assert_str_eq(r.symbol, "net_dev_queue");
	R_STATUS("net-stack", "net:netif_rx", KIND_TP, PST_ABSENT);
	R_STATUS("block-stack", "nvme:nvme_complete_rq", KIND_TP, PST_NOT_APPLICABLE); /* nvme_core not loaded */
	caps.c[CAP_TP_BTF].ok = false;
	R_METHOD("net-stack", "net:net_dev_queue", KIND_TP, METHOD_RAW_TP);
	/* without BTF knowledge of tracepoints: raw_tp, not a guess of absence */
	kv.have_tps = false;
	caps.c[CAP_TP_BTF].ok = true;
	r = R_STATUS("net-stack", "net:netif_rx", KIND_TP, PST_PLANNED);
	ck_assert_int_eq(r.method, METHOD_RAW_TP);
	ro.force = METHOD_KPROBE;
	R_STATUS("net-stack", "net:net_dev_queue", KIND_TP, PST_NOT_APPLICABLE);
}
END_TEST

/* A btf_trace_<tp> typedef the way the kernel's BTF has it: a pointer to
 * void (void *__data, <args>), args being pointers to the named structs. */
static void add_tp_btf(struct kview *v, const char *tp, const char *const *arg_structs, int nargs)
{
	struct btf *b = btf__new_empty();
	int vp, proto, ptr, ids[4];
	char name[128];

	ck_assert_ptr_nonnull(b);
	ck_assert_int_le(nargs, 4);
	vp = btf__add_ptr(b, 0);
	for (int i = 0; i < nargs; i++)
		ids[i] = btf__add_ptr(b, btf__add_struct(b, arg_structs[i], 0));
	proto = btf__add_func_proto(b, 0);
	ck_assert_int_ge(btf__add_func_param(b, "__data", vp), 0);
	for (int i = 0; i < nargs; i++)
		ck_assert_int_ge(btf__add_func_param(b, arg_structs[i], ids[i]), 0);
	ptr = btf__add_ptr(b, proto);
	snprintf(name, sizeof(name), "btf_trace_%s", tp);
	ck_assert_int_ge(btf__add_typedef(b, name, ptr), 0);
	ck_assert_int_eq(kview_add_btf(v, b, "vmlinux", 1), 0);
	btf__free(b);
}

/* block_rq_insert/issue: (q, rq) before 5.11 (and 5.10.137), (rq) after; the layout comes from the prototype. */
START_TEST(resolve_tp_layouts)
{
	/* complete's int and unsigned int arguments stand as structs: only the count matters here */
	static const char *const old[] = { "request_queue", "request" }, *const now[] = { "request" },
			  *const complete[] = { "request", "error", "nr_bytes" };
	struct resolved r;

	add_tp_btf(&kv, "block_rq_insert", old, 2);
	add_tp_btf(&kv, "block_rq_issue", now, 1);
	add_tp_btf(&kv, "block_rq_complete", complete, 3);
	ck_assert_int_eq(kview_tp_nargs(&kv, "block_rq_insert"), 2);
	ck_assert_int_eq(kview_tp_nargs(&kv, "block_rq_issue"), 1);
	ck_assert_int_eq(kview_tp_nargs(&kv, "no_such_tp"), -1);
	r = R_STATUS("block-stack", "block:block_rq_insert", KIND_TP, PST_PLANNED);
	ck_assert_int_eq(r.arg_shift, 1);
	ck_assert_msg(strstr(r.reason, "(q, rq)"), "reason '%s' does not say the layout", r.reason);
	r = R_STATUS("block-stack", "block:block_rq_issue", KIND_TP, PST_PLANNED);
	ck_assert_int_eq(r.arg_shift, 0);
	/* complete kept (rq, error, nr_bytes): never shifted */
	r = R_STATUS("block-stack", "block:block_rq_complete", KIND_TP, PST_PLANNED);
	ck_assert_int_eq(r.arg_shift, 0);
}
END_TEST

/* No prototype in BTF (a minimal BTF given with --btf keeps no btf_trace_ typedefs; have_tps
 * false): the layout as calibration measured it; unmeasured (a fixture), by the release, except
 * 5.10, whose stable line took the change at 5.10.137 while its release string stays
 * "5.10.0-N": there the point is unavailable, saying why, rather than reading the wrong argument. */
START_TEST(resolve_tp_layouts_without_prototype)
{
	struct resolved r;

	kv.have_tps = false;
	snprintf(kv.release, sizeof(kv.release), "5.10.0-46-amd64");
	ck_assert(caps.c[CAP_BLK_RQ_Q].unmeasured);   /* calib_assume_debian does not guess it */
	r = R_STATUS("block-stack", "block:block_rq_insert", KIND_TP, PST_UNAVAILABLE);
	ck_assert_msg(strstr(r.reason, "arguments not known: no prototype in BTF, not measured, and 5.10 may have either"),
		      "reason '%s'", r.reason);
	R_STATUS("block-stack", "block:block_rq_issue", KIND_TP, PST_UNAVAILABLE);
	r = R_STATUS("block-stack", "block:block_rq_complete", KIND_TP, PST_PLANNED);
	ck_assert_int_eq(r.arg_shift, 0);   /* a tracepoint whose layout never changed */

	/* measured on this kernel (engine/calib.c cal_blk_rq_args): yes is (q, rq), no is (rq) */
	caps.measured = true;
	caps_set(&caps, CAP_BLK_RQ_Q, 0, "block_rq_insert takes (q, rq)");
	r = R_STATUS("block-stack", "block:block_rq_insert", KIND_TP, PST_PLANNED);
	ck_assert_int_eq(r.method, METHOD_RAW_TP);
	ck_assert_int_eq(r.arg_shift, 1);
	ck_assert_msg(strstr(r.reason, "(q, rq): before 5.11 and 5.10.137 (measured: no prototype in BTF)"),
		      "reason '%s'", r.reason);
	ck_assert_int_eq(R("block-stack", "block:block_rq_issue", KIND_TP).arg_shift, 1);
	caps_set(&caps, CAP_BLK_RQ_Q, -EINVAL, "block_rq_insert takes (rq)");
	r = R_STATUS("block-stack", "block:block_rq_insert", KIND_TP, PST_PLANNED);
	ck_assert_int_eq(r.arg_shift, 0);
	ck_assert_msg(strstr(r.reason, "(rq) (measured"), "reason '%s'", r.reason);
	caps.measured = false;
	caps.c[CAP_BLK_RQ_Q].unmeasured = true;

	/* by the release where it can tell */
	snprintf(kv.release, sizeof(kv.release), "5.9.0-5-amd64");
	r = R_STATUS("block-stack", "block:block_rq_insert", KIND_TP, PST_PLANNED);
	ck_assert_int_eq(r.arg_shift, 1);
	ck_assert_msg(strstr(r.reason, "(by the release 5.9.0-5-amd64: no prototype in BTF)"), "reason '%s'", r.reason);
	snprintf(kv.release, sizeof(kv.release), "5.11.0-1-amd64");
	ck_assert_int_eq(R("block-stack", "block:block_rq_insert", KIND_TP).arg_shift, 0);
	snprintf(kv.release, sizeof(kv.release), "6.1.0-56-amd64");
	ck_assert_int_eq(R("block-stack", "block:block_rq_insert", KIND_TP).arg_shift, 0);
	/* a release that says nothing: the current layout, nothing claimed */
	snprintf(kv.release, sizeof(kv.release), "synthetic");
	r = R("block-stack", "block:block_rq_insert", KIND_TP);
	ck_assert_int_eq(r.arg_shift, 0);
	ck_assert_str_eq(r.layout, "");
}
END_TEST

/* --deep's points (PF_BULK): one kprobe.multi link for all of them where calibration measured
 * kprobe.multi and cookies and the function has an ftrace site (fprobe goes through ftrace);
 * otherwise each resolves as any function point. */
START_TEST(resolve_bulk_kprobe_multi)
{
	struct probe_point *pts;
	unsigned n, found;
	struct resolved r;

	sym("vmlinux", "skb_bulk_fn", 0xffffffff81300000ull, true);
	sym("vmlinux", "skb_bulk_nosite", 0xffffffff81300100ull, true);
	strset_add(&kv.skb_funcs, "vmlinux:skb_bulk_fn", 0);
	strset_add(&kv.skb_funcs, "vmlinux:skb_bulk_nosite", 0);
	kv.have_ftrace = true;
	strset_add(&kv.ftrace, "vmlinux:skb_bulk_fn", 1);
	ck_assert_int_eq(deep_points(&kv, 10, &pts, &n, &found), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert(pts[0].flags & PF_BULK);
	ck_assert_str_eq(pts[1].symbols, "vmlinux:skb_bulk_nosite");
	/* Debian 6.1's capabilities (no CONFIG_FPROBE): a trampoline each, as before */
	resolve_point(&kv, &caps, &ro, &pts[0], &r);
	ck_assert_int_eq(r.method, METHOD_FENTRY);
	ck_assert(!r.multi);
	caps_set(&caps, CAP_KPROBE_MULTI, 0, "attached");
	resolve_point(&kv, &caps, &ro, &pts[0], &r);
	ck_assert_int_eq(r.status, PST_PLANNED);
	ck_assert_int_eq(r.method, METHOD_KPROBE);
	ck_assert(r.multi && !r.patched);
	ck_assert_msg(strstr(r.reason, "kprobe.multi"), "reason '%s'", r.reason);
	/* no ftrace site: fprobe cannot take it, and one refusal would fail the whole link */
	resolve_point(&kv, &caps, &ro, &pts[1], &r);
	ck_assert(!r.multi);
	ck_assert_int_eq(r.method, METHOD_KPROBE);
	/* without cookies one link cannot tell its functions apart (5.10: the clones instead) */
	caps_set(&caps, CAP_COOKIE, -EINVAL, "no bpf_cookie");
	resolve_point(&kv, &caps, &ro, &pts[0], &r);
	ck_assert(!r.multi);
	caps_set(&caps, CAP_COOKIE, 0, "assumed");
	/* a forced method is kept */
	ro.force = METHOD_FENTRY;
	resolve_point(&kv, &caps, &ro, &pts[0], &r);
	ck_assert(!r.multi);
	ck_assert_int_eq(r.method, METHOD_FENTRY);
	/* a profile's own points never go by the batch: only PF_BULK ones */
	ro.force = METHOD_NONE;
	strset_add(&kv.ftrace, "vmlinux:notify_remote_via_irq", 1);
	ck_assert(!R("xen-events", "notify_remote_via_irq", KIND_FUNC).multi);
	deep_free(pts, n);
}
END_TEST

START_TEST(resolve_platforms)
{
	struct resolved r;

	ro.platform = platform_mask_for(false, false, true, false); /* KVM guest */
	r = R_STATUS("xen-events", "notify_remote_via_irq", KIND_FUNC, PST_NOT_APPLICABLE);
	ck_assert(strstr(r.reason, "Xen"));
	R_STATUS("kvm-guest", "default_idle", KIND_FUNC, PST_ABSENT); /* applies, but not in this kernel */
	ro.platform = platform_mask_for(true, false, false, false); /* Xen HVM */
	r = R_STATUS("xen-pv-mmu", "xen:xen_mc_flush", KIND_TP, PST_NOT_APPLICABLE);
	ck_assert_str_eq(r.symbol, "xen_mc_flush");
	ck_assert_str_eq(r.tp_system, "xen");
	R_STATUS("xen-events", "notify_remote_via_irq", KIND_FUNC, PST_PLANNED);
	ro.all_platforms = true;
	ro.platform = platform_mask_for(false, false, true, false);
	R_STATUS("xen-events", "notify_remote_via_irq", KIND_FUNC, PST_PLANNED);
}
END_TEST

/* JSON keys are snake_case (out/json.h): each status's key is its name with '_' for '-', one
 * for each status, none of them the placeholder. */
START_TEST(status_keys_are_snake_case)
{
	for (int s = 0; s < PST__COUNT; s++) {
		char want[64];

		snprintf(want, sizeof(want), "%s", status_name(s));
		for (char *p = want; *p; p++)
			if (*p == '-')
				*p = '_';
		ck_assert_str_eq(status_key(s), want);
		ck_assert(!strchr(status_key(s), '-'));
	}
	ck_assert_str_eq(status_key(PST_NOT_APPLICABLE), "not_applicable_here");
}
END_TEST

int main(void)
{
	TCase *t = TCASE("units", 0, strset_many, json_writer, profiles_consistent, deny_list,
			 status_keys_are_snake_case);
	TCase *r = TCASE("resolve", 0, resolve_fentry_and_kprobe, resolve_alternates_and_modules,
			 resolve_unprobeable, resolve_no_kprobes_no_fentry, resolve_ftrace_sites,
			 resolve_tracepoints, resolve_tp_layouts, resolve_tp_layouts_without_prototype, resolve_bulk_kprobe_multi,
			 resolve_platforms);

	tcase_add_loop_test(t, kallsyms_parse, 0, 2); /* plain and gzip */
	tcase_add_checked_fixture(r, setup, teardown);
	return run_suite(suite_of("core", t, r, (TCase *)NULL));
}
