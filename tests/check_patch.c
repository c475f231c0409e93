/* Cookie-less clones (the 5.10 class, user/engine/patch.h): the marker rewrite on
 * hand-made instructions, each template of the built object holding each marker exactly
 * once, and, as root, patched kprobe clones of real points passing this kernel's verifier
 * (this machine cannot attach kprobes or load fentry: the lab fires them, on 5.10). */
#include "engine/patch.h"
#include "bpfrun.h"
#include "testutil.h"
#include "iopath.h"
#include "kernel/caps.h"

#define LD64(dst, v) \
	{ .code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = (dst), .imm = (int)(unsigned)(v) }, \
	{ .imm = (int)(unsigned)((unsigned long long)(v) >> 32) }

static unsigned long long ld64(const struct bpf_insn *i)
{
	return (unsigned)i[0].imm | (unsigned long long)(unsigned)i[1].imm << 32;
}

START_TEST(rewrites_markers_only)
{
	struct bpf_insn p[] = {
		LD64(1, IOP_PATCH_ID),
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 2, .imm = (int)(unsigned)IOP_PATCH_ID },
		LD64(3, IOP_PATCH_Q_ARG),
		/* a map reference (src_reg 1) that happens to hold the marker's bits: not ours */
		{ .code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = 4, .src_reg = 1,
		  .imm = (int)(unsigned)IOP_PATCH_ID }, { .imm = IOP_PATCH_MAGIC_HI },
		LD64(5, IOP_PATCH_ID),
	};
	size_t n = sizeof(p) / sizeof(p[0]);

	ck_assert_int_eq(insns_patch(p, n, IOP_PATCH_ID, 42), 2);
	ck_assert_uint_eq(ld64(&p[0]), 42);
	ck_assert_uint_eq(ld64(&p[7]), 42);
	ck_assert_int_eq(p[2].imm, (int)(unsigned)IOP_PATCH_ID);     /* a 32-bit mov: untouched */
	ck_assert_uint_eq(ld64(&p[3]), IOP_PATCH_Q_ARG);
	ck_assert_uint_eq(ld64(&p[5]), IOP_PATCH_ID);                /* the map reference */
	/* the high half of a wide instruction is never read as an instruction of its own */
	ck_assert_int_eq(insns_patch(p, n, IOP_PATCH_MAGIC_HI, 1), 0);
	/* a marker cut off by the end of the program is not one */
	ck_assert_int_eq(insns_patch(p, 1, IOP_PATCH_ID, 7), 0);
}
END_TEST

START_TEST(clone_needs_each_marker_once)
{
	struct bpf_insn p[] = { LD64(1, IOP_PATCH_ID), LD64(2, IOP_PATCH_ID_ARG),
				LD64(3, IOP_PATCH_Q_ARG), LD64(4, IOP_PATCH_HOST_ARG),
				LD64(5, IOP_PATCH_Q_ARG) }, *c;
	struct patch_vals v = { .id = 9, .id_arg = 0, .q_arg = 1, .host_arg = IOP_PATCH_NONE };
	char why[120] = "";

	ck_assert_int_eq(insns_clone_patched(p, 8, &v, &c, why, sizeof(why)), 0);
	ck_assert_uint_eq(ld64(&c[0]), 9);
	ck_assert_uint_eq(ld64(&c[2]), 0);
	ck_assert_uint_eq(ld64(&c[4]), 1);
	ck_assert_uint_eq(ld64(&c[6]), IOP_PATCH_NONE);
	ck_assert_uint_eq(ld64(&p[0]), IOP_PATCH_ID);   /* the template is left as it was */
	free(c);
	/* the queue marker twice: refused, and said */
	ck_assert_int_eq(insns_clone_patched(p, 10, &v, &c, why, sizeof(why)), -EINVAL);
	ck_assert_ptr_null(c);
	ck_assert_str_eq(why, "template has the queue argument marker 2 times (want 1)");
}
END_TEST

/* The compiler may duplicate or merge an asm statement; the templates as built must still hold
 * every marker once, or no point could get a clone. */
START_TEST(templates_hold_each_marker_once)
{
	struct iopath_bpf *s = iopath_bpf__open();
	struct bpf_program *t[4];
	struct patch_vals v = { .id = 1, .id_arg = 0, .q_arg = 0, .host_arg = 3 };

	ck_assert_ptr_nonnull(s);
	t[0] = s->progs.iop_kprobe_k;
	t[1] = s->progs.iop_kretprobe_k;
	t[2] = s->progs.iop_fentry_k;
	t[3] = s->progs.iop_fexit_k;
	for (int i = 0; i < 4; i++) {
		struct bpf_insn *c;
		char why[120] = "";

		ck_assert_msg(!insns_clone_patched(bpf_program__insns(t[i]), bpf_program__insn_cnt(t[i]),
						   &v, &c, why, sizeof(why)),
			      "%s: %s", bpf_program__name(t[i]), why);
		free(c);
	}
	iopath_bpf__destroy(s);
}
END_TEST

/* Real points planned as cookie-less kprobes: the object loads with the _k templates, and a
 * clone per point, with its real id and argument indexes, passes the verifier. */
static const struct want_point want[] = {
	{ "xen-netfront", "xennet_start_xmit", KIND_FUNC, 0, true },        /* skb at arg 0, queue */
	{ "xen-netfront", "xennet_start_xmit", KIND_FUNC_RET, 0, true },
	{ "kvm-host", "irqfd_wakeup", KIND_FUNC, 0, true },                 /* irqfd key at arg 3 */
	{ "block-stack", "block:block_rq_issue", KIND_TP },
};
#define NPT (sizeof(want) / sizeof(want[0]))

START_TEST(patched_kprobe_clones_verify)
{
	static struct engine e;
	static struct resolved pts[NPT];
	static struct kcaps caps;

	bpf_load_points(&e, pts, want, NPT, &caps,
			&(struct engine_opts){ .net = &(struct net_opts){ .queue = -1, .dir = -1 },
					       .blk = &(struct blk_opts){} });
	ck_assert_int_ge(bpf_program__fd(e.skel->progs.iop_kprobe_k), 0);
	ck_assert_int_ge(bpf_program__fd(e.skel->progs.iop_kretprobe_k), 0);
	ck_assert_int_lt(bpf_program__fd(e.skel->progs.iop_kprobe), 0);   /* the cookie one: not loaded */
	for (unsigned i = 0; i < 3; i++) {
		const struct bpf_program *t = pts[i].method == METHOD_KPROBE ? e.skel->progs.iop_kprobe_k :
					      e.skel->progs.iop_kretprobe_k;
		struct patch_vals v = {
			.id = pts[i].id,
			.id_arg = pts[i].pt->id_arg >= 0 ? (unsigned)pts[i].pt->id_arg : IOP_PATCH_NONE,
			.q_arg = pts[i].pt->qx ? (unsigned)pts[i].pt->q_arg : IOP_PATCH_NONE,
			.host_arg = pts[i].pt->role == ROLE_HOST_IRQFD ? 3 : IOP_PATCH_NONE,
		};
		struct bpf_insn *c;
		static char log[1 << 20];
		char why[120] = "";
		LIBBPF_OPTS(bpf_prog_load_opts, po);
		int fd;

		ck_assert_msg(!insns_clone_patched(bpf_program__insns(t), bpf_program__insn_cnt(t), &v,
						   &c, why, sizeof(why)), "%s", why);
		fd = bpf_prog_load(BPF_PROG_TYPE_KPROBE, "clone", "GPL", c, bpf_program__insn_cnt(t), &po);
		if (fd < 0) {   /* again, for the verifier's log */
			po.log_buf = log;
			po.log_size = sizeof(log);
			po.log_level = 1;
			fd = bpf_prog_load(BPF_PROG_TYPE_KPROBE, "clone", "GPL", c,
					   bpf_program__insn_cnt(t), &po);
		}
		ck_assert_msg(fd >= 0, "clone of point %u refused: %s\n%s", pts[i].id, strerror(errno),
			      log);
		close(fd);
		free(c);
	}
	engine_close(&e);
}
END_TEST

/* 5.10's verifier knows one atomic: the plain add (BPF_XADD, imm 0). The fetching and the
 * and/or/xor/xchg/cmpxchg forms came in v5.12 (commit 5ca419f2864a and the series around it),
 * and one of them anywhere reachable refuses the whole program there. */
START_TEST(atomics_are_plain_adds)
{
	struct iopath_bpf *s = iopath_bpf__open();
	struct bpf_program *p;
	int atomics = 0;

	ck_assert_ptr_nonnull(s);
	bpf_object__for_each_program(p, s->obj) {
		const struct bpf_insn *in = bpf_program__insns(p);

		for (size_t i = 0; i < bpf_program__insn_cnt(p); i++) {
			if (BPF_CLASS(in[i].code) != BPF_STX || BPF_MODE(in[i].code) != BPF_ATOMIC)
				continue;
			atomics++;
			ck_assert_msg(in[i].imm == BPF_ADD, "%s insn %zu: atomic op 0x%x (5.12+)",
				      bpf_program__name(p), i, in[i].imm);
		}
	}
	ck_assert_int_gt(atomics, 100);   /* the counters are there: the scan saw them */
	iopath_bpf__destroy(s);
}
END_TEST

/* env's "function probes:" line names the rung the capabilities give, and the mask that tests
 * use to reach the lower rungs on a new kernel refuses names it does not know. */
START_TEST(rung_and_mask)
{
	struct kcaps k;
	char b[400], bad[64] = "";

	calib_assume_debian(&k, true);
	ck_assert_str_eq(caps_func_rung(&k, b, sizeof(b)),
			 "fentry, one shared program; kprobes, the point in the bpf_cookie");
	ck_assert_int_eq(caps_mask(&k, "bpf_cookie, get_func_arg", bad, sizeof(bad)), 0);
	ck_assert(!k.c[CAP_COOKIE].ok && !k.c[CAP_FUNC_ARG].ok && k.c[CAP_FUNC_IP].ok);
	ck_assert_str_eq(k.c[CAP_COOKIE].detail, "masked by IOPATH_MASK_CAPS");
	ck_assert_str_eq(caps_func_rung(&k, b, sizeof(b)),
			 "fentry, a clone per point (no bpf_get_func_ip/arg); kprobes, a clone per point "
			 "(no bpf_cookie) [the 5.10 rung]");
	ck_assert_ptr_null(caps_below_floor(&k, b, sizeof(b)));
	ck_assert_int_eq(caps_mask(&k, "kprobe fentry", bad, sizeof(bad)), 0);
	ck_assert_str_eq(caps_func_rung(&k, b, sizeof(b)), "none: no kprobes, no fentry (tracepoints only)");
	ck_assert_int_eq(caps_mask(NULL, "bpf_cookie,cookie", bad, sizeof(bad)), -EINVAL);
	ck_assert_str_eq(bad, "cookie");
	ck_assert_int_eq(caps_mask(NULL, NULL, bad, sizeof(bad)), 0);
	/* below the floor: what is missing, in one line */
	ck_assert_ptr_null(caps_below_floor(&k, b, sizeof(b)));   /* no function probes is no floor */
	/* no ring buffer is a rung (the perf buffer), not the floor; neither transport is */
	ck_assert_str_eq(caps_samples_rung(&k, b, sizeof(b)), "BPF ring buffer");
	ck_assert_int_eq(caps_mask(&k, "ringbuf", bad, sizeof(bad)), 0);
	ck_assert_ptr_null(caps_below_floor(&k, b, sizeof(b)));
	ck_assert_str_eq(caps_samples_rung(&k, b, sizeof(b)),
			 "perf buffer, a ring per CPU (no BPF ring buffer: masked by IOPATH_MASK_CAPS)");
	ck_assert_int_eq(caps_mask(&k, "perfbuf", bad, sizeof(bad)), 0);
	ck_assert_str_eq(caps_samples_rung(&k, b, sizeof(b)), "none: no BPF ring buffer, no perf buffer");
	ck_assert_str_eq(caps_below_floor(&k, b, sizeof(b)), "no BPF ring buffer (5.8+): masked by IOPATH_MASK_CAPS; "
			 "no perf buffer: masked by IOPATH_MASK_CAPS");
	ck_assert_int_eq(caps_mask(&k, "tp_btf raw_tp", bad, sizeof(bad)), 0);
	ck_assert_str_eq(caps_below_floor(&k, b, sizeof(b)), "no BPF ring buffer (5.8+): masked by IOPATH_MASK_CAPS; "
			 "no perf buffer: masked by IOPATH_MASK_CAPS; no tracepoint programs (raw_tp 4.17+, tp_btf 5.5+)");
	/* global data userspace cannot map (before 5.5) is no longer below the floor: the globals go
	 * by lookup (engine/globals.h) */
	caps_set(&k, CAP_ARRAY_MMAP, -EOPNOTSUPP, "loaded; libbpf could not map its global data");
	ck_assert_ptr_null(strstr(caps_below_floor(&k, b, sizeof(b)), "mmap"));
	/* what calibration says without a BTF (engine/calib.c cal_btf) is what the floor names */
	caps_set(&k, CAP_BTF_VMLINUX, -ENOENT, "/sys/kernel/btf/vmlinux: No such file or directory; "
		 "--btf FILE gives one");
	ck_assert_str_eq(caps_below_floor(&k, b, sizeof(b)),
			 "no vmlinux BTF (/sys/kernel/btf/vmlinux: No such file or directory; --btf FILE gives one)");
}
END_TEST

/* A --btf file: CO-RE without module BTF, so the rung says module functions go by kprobe
 * (only where fentry is there at all: else every function does). vmlinux_btf in the mask is
 * the kernel's own BTF taken away (kernel/kbtf.c), never the capability a file gives. */
START_TEST(rung_with_btf_file)
{
	struct kcaps k;
	char b[240], bad[64] = "";

	calib_assume_debian(&k, true);
	k.btf_given = true;
	ck_assert_str_eq(caps_func_rung(&k, b, sizeof(b)),
			 "fentry, one shared program; kprobes, the point in the bpf_cookie; module functions "
			 "by kprobe only (--btf: no module BTF)");
	ck_assert_int_eq(caps_mask(&k, "vmlinux_btf,fentry", bad, sizeof(bad)), 0);
	ck_assert(k.c[CAP_BTF_VMLINUX].ok);
	ck_assert(!k.c[CAP_FENTRY].ok);
	ck_assert_str_eq(caps_func_rung(&k, b, sizeof(b)), "kprobes, the point in the bpf_cookie");
	ck_assert(caps_masked("bpf_cookie, vmlinux_btf", CAP_BTF_VMLINUX));
	ck_assert(!caps_masked("bpf_cookie,vmlinux_btfx", CAP_BTF_VMLINUX));
	ck_assert(!caps_masked(NULL, CAP_BTF_VMLINUX));
}
END_TEST

int main(void)
{
	return RUN_TESTS_TIMEOUT("patch", "clones", 60, rewrites_markers_only,
				 clone_needs_each_marker_once, templates_hold_each_marker_once,
				 patched_kprobe_clones_verify, atomics_are_plain_adds, rung_and_mask,
				 rung_with_btf_file);
}
