/* Kernel capability calibration: each feature is measured by loading (and
 * where possible attaching and firing) a tiny program, once, before any real
 * probe is attached. The result decides attach methods and is shown by
 * `iopath env`. */
#ifndef IOPATH_CALIB_H
#define IOPATH_CALIB_H
#include <stdbool.h>
#include <stdio.h>

struct json;
struct jw;

enum cap_id {
	CAP_BTF_VMLINUX,
	CAP_KPROBE,
	CAP_KRETPROBE,
	CAP_KPROBE_MULTI,
	CAP_COOKIE,
	CAP_FENTRY,
	CAP_FEXIT,
	CAP_FUNC_IP,
	CAP_FUNC_ARG,
	CAP_TP_BTF,
	CAP_RAW_TP,
	CAP_RINGBUF,
	CAP_TEST_RUN_RAW_TP,
	CAP_PMU,
	CAP__COUNT
};

struct cap {
	bool ok;
	int err;              /* -errno of the failing step, 0 when ok */
	char detail[160];     /* what was measured, or why it failed */
};

struct kcaps {
	struct cap c[CAP__COUNT];
	bool measured;        /* false: a fixture/what-if set, not this kernel */
	long long fentry_ip_off; /* bpf_get_func_ip(fentry) - kallsyms address */
	double ms;            /* time calibration took */
};

const char *cap_name(enum cap_id id);
/* Measures this kernel. Needs BPF privileges. */
int calib_run(struct kcaps *k);
/* A capability set for resolution against a fixture kernel: kprobes, fentry
 * and friends assumed present (a Debian kernel has them). */
void calib_assume_debian(struct kcaps *k, bool module_btf);
void calib_print(FILE *f, const struct kcaps *k);
void calib_json(struct jw *w, const struct kcaps *k);

#endif
