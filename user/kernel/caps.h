/* Kernel capabilities as data: which BPF features this kernel (or a fixture kernel) has,
 * each with the errno and a line saying what was measured. engine/calib.c measures them by
 * loading; kernel/resolve.c decides attach methods from them; this file only holds, names
 * and prints them, so the resolver stays pure and testable on fixtures. */
#ifndef IOPATH_CAPS_H
#define IOPATH_CAPS_H
#include <stdbool.h>
#include <stdio.h>

struct jw;

/* One row per capability: enum name, the name env and JSON print. */
#define IOP_CAPS(X)                              \
	X(CAP_BTF_VMLINUX, "vmlinux_btf")        \
	X(CAP_KPROBE, "kprobe")                  \
	X(CAP_KRETPROBE, "kretprobe")            \
	X(CAP_KPROBE_MULTI, "kprobe_multi")      \
	X(CAP_COOKIE, "bpf_cookie")              \
	X(CAP_FENTRY, "fentry")                  \
	X(CAP_FEXIT, "fexit")                    \
	X(CAP_FUNC_IP, "get_func_ip")            \
	X(CAP_FUNC_ARG, "get_func_arg")          \
	X(CAP_TP_BTF, "tp_btf")                  \
	X(CAP_RAW_TP, "raw_tp")                  \
	X(CAP_RINGBUF, "ringbuf")                \
	X(CAP_PERFBUF, "perfbuf")                \
	X(CAP_ARRAY_MMAP, "array_mmap")          \
	X(CAP_TEST_RUN_RAW_TP, "test_run_raw_tp") \
	X(CAP_BLK_RQ_Q, "blk_rq_q_arg")          \
	X(CAP_PMU, "hw_pmu")

enum cap_id {
#define X(id, name) id,
	IOP_CAPS(X)
#undef X
	CAP__COUNT
};

/* CAP_BLK_RQ_Q is a fact about the kernel, not a feature: yes when block_rq_insert still takes
 * (q, rq), no when it takes (rq) (engine/calib.c measures it by attaching; kernel/resolve.c uses
 * it where BTF has no prototype to read the layout from). */
struct cap {
	bool ok;
	bool unmeasured;      /* could not be measured here (detail says why): neither yes nor no */
	int err;              /* -errno of the failing step, 0 when ok */
	char detail[160];     /* what was measured, or why it failed */
};

struct kcaps {
	struct cap c[CAP__COUNT];
	bool measured;        /* false: a fixture/what-if set, not this kernel */
	char not_measured[96]; /* non-empty: why the unmeasured ones could not be (env unprivileged) */
	long long fentry_ip_off; /* bpf_get_func_ip(fentry) - kallsyms address */
	bool btf_given;       /* CO-RE against a --btf file (kernel/kbtf.h): no module BTF */
	bool kernel_btf;      /* the kernel has BTF of its own (fentry, fexit, tp_btf need it) */
	double ms;            /* time calibration took */
};

const char *cap_name(enum cap_id id);
/* Sets one capability: ok when err == 0; detail from fmt. */
void caps_set(struct kcaps *k, enum cap_id id, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* A capability set for resolution against a fixture kernel: kprobes, fentry
 * and friends assumed present (a Debian kernel has them). */
void calib_assume_debian(struct kcaps *k, bool module_btf);
/* None measured yet, because of why ("needs root or CAP_BPF and CAP_PERFMON"): every capability
 * prints as "not measured (why)" and is null in JSON, never "no", until caps_set measures it. */
void caps_not_measured(struct kcaps *k, const char *why);
/* Testing the fallback ladder on a kernel that has everything: list (names as cap_name, split
 * by spaces or commas; the env variable IOPATH_MASK_CAPS) marks those capabilities absent
 * after calibration, detail "masked by IOPATH_MASK_CAPS", so every choice that follows is the
 * one an older kernel gets. 0, or -EINVAL with the first unknown name in bad. vmlinux_btf is
 * not masked here: it means the kernel has no BTF of its own, which kbtf_choose (kernel/kbtf.h)
 * takes before anything reads BTF, and calibration then measures what that leaves. */
int caps_mask(struct kcaps *k, const char *list, char *bad, size_t badlen);
/* Does list (as caps_mask takes it; NULL: none) name capability id? */
bool caps_masked(const char *list, enum cap_id id);
#define CAPS_MASK_ENV "IOPATH_MASK_CAPS"
void calib_print(FILE *f, const struct kcaps *k);
/* The least iopath runs on: vmlinux BTF (CO-RE: the kernel's own, or a --btf file), a way to
 * send samples (the BPF ring buffer, 5.8, or the perf buffer: engine/samples.h) and a tracepoint
 * program type (raw_tp 4.17 or tp_btf 5.5), each measured by calibration; global data (5.2,
 * d8eca5bbb2be "bpf: implement lookup-free direct value access for maps"), which every program
 * of iopath uses, shows as all of them failing to load. BPF arrays userspace can mmap (5.5) are
 * not needed: without, the globals are read by lookup (engine/globals.h). Proven from 5.10 up,
 * the oldest kernel the lab can boot from Debian. NULL when these capabilities have it all, else
 * what is missing (in buf, one line). */
#define CAPS_FLOOR "Linux 5.2 with BTF (proven from 5.10): CONFIG_DEBUG_INFO_BTF or --btf FILE"
const char *caps_below_floor(const struct kcaps *k, char *buf, size_t len);
/* How function points attach with these capabilities (the fallback ladder's rung), in buf;
 * with a --btf file (btf_given) also that module functions go by kprobe. */
const char *caps_func_rung(const struct kcaps *k, char *buf, size_t len);
/* How sampled records reach userspace with these capabilities (engine/samples.h decides the
 * same way: the ring buffer where it works, else the perf buffer), in buf. */
const char *caps_samples_rung(const struct kcaps *k, char *buf, size_t len);
void calib_json(struct jw *w, const struct kcaps *k);

#endif
