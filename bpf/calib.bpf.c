// SPDX-License-Identifier: GPL-2.0
/* Kernel capability calibration (as retsnoop does): tiny programs, each
 * loaded on its own, so what iopath says the kernel can do is measured on
 * this kernel rather than guessed from its version. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

/* Each program bumps its own slot so userspace can tell that it fired. The raw_tp programs read
 * their arguments as a plain u64 array, not through vmlinux.h's struct bpf_raw_tracepoint_args:
 * that struct carries preserve_access_index, so each read would be a CO-RE relocation, and an
 * object with any makes libbpf parse the kernel's whole BTF at every load (about 10 loads per
 * start-up, 3-9 ms each); without, only the fentry/fexit/tp_btf calibrations need it. */
enum { C_KPROBE, C_KRETPROBE, C_FENTRY, C_FEXIT, C_KMULTI, C_TPBTF, C_RAWTP,
       C_COOKIE, C_FUNC_IP, C_FUNC_ARG, C__N };

__u64 fired[C__N] = {};
__u64 last_cookie = 0;
__u64 last_ip = 0;
__u64 last_arg = 0;

/* Each transport for samples in a map of its own, created only when its program is
 * calibrated (engine/calib.c load_one): a kernel without the ring buffer (before v5.8) cannot
 * create calib_rb, and would otherwise fail every other calibration with it. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} calib_rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(u32));
	__uint(value_size, sizeof(u32));
} calib_pb SEC(".maps");

SEC("kprobe/bpf_fentry_test1")
int c_kprobe(struct pt_regs *ctx)
{
	__sync_fetch_and_add(&fired[C_KPROBE], 1);
	return 0;
}

SEC("kretprobe/bpf_fentry_test1")
int c_kretprobe(struct pt_regs *ctx)
{
	__sync_fetch_and_add(&fired[C_KRETPROBE], 1);
	return 0;
}

SEC("kprobe/bpf_fentry_test1")
int c_cookie(struct pt_regs *ctx)
{
	last_cookie = bpf_get_attach_cookie(ctx);
	__sync_fetch_and_add(&fired[C_COOKIE], 1);
	return 0;
}

SEC("kprobe.multi/bpf_fentry_test1")
int c_kmulti(struct pt_regs *ctx)
{
	__sync_fetch_and_add(&fired[C_KMULTI], 1);
	return 0;
}

SEC("fentry/bpf_fentry_test1")
int c_fentry(u64 *ctx)
{
	__sync_fetch_and_add(&fired[C_FENTRY], 1);
	return 0;
}

SEC("fexit/bpf_fentry_test1")
int c_fexit(u64 *ctx)
{
	__sync_fetch_and_add(&fired[C_FEXIT], 1);
	return 0;
}

SEC("fentry/bpf_fentry_test1")
int c_func_ip(u64 *ctx)
{
	last_ip = bpf_get_func_ip(ctx);
	__sync_fetch_and_add(&fired[C_FUNC_IP], 1);
	return 0;
}

SEC("fentry/bpf_fentry_test1")
int c_func_arg(u64 *ctx)
{
	u64 v = 0;

	bpf_get_func_arg(ctx, 0, &v);
	last_arg = v;
	__sync_fetch_and_add(&fired[C_FUNC_ARG], 1);
	return 0;
}

SEC("tp_btf/irq_handler_entry")
int c_tpbtf(u64 *ctx)
{
	__sync_fetch_and_add(&fired[C_TPBTF], 1);
	return 0;
}

/* Also the BPF_PROG_TEST_RUN probe: run with args[0] = 42 (proves raw_tp and test_run). */
SEC("raw_tp/irq_handler_entry")
int c_rawtp(u64 *args)
{
	__sync_fetch_and_add(&fired[C_RAWTP], 1);
	return 0;
}

/* Reads the second argument of block_rq_insert. The kernel refuses (EINVAL) to attach a raw_tp
 * program that reads past a tracepoint's arguments (kernel/trace/bpf_trace.c
 * __bpf_probe_register: max_ctx_offset > num_args * 8), so attaching this one measures whether
 * block_rq_insert still takes (q, rq) where no BTF prototype says (engine/calib.c). */
__u64 tp_arg2 = 0;

SEC("raw_tp/block_rq_insert")
int c_arg2(u64 *args)
{
	tp_arg2 = args[1];
	return 0;
}

/* Test-run with args[0] = 42: one record through the ring buffer. */
SEC("raw_tp/irq_handler_entry")
int c_ringbuf(u64 *args)
{
	u64 *rec;

	if (args[0] != 42)
		return 0;
	rec = bpf_ringbuf_reserve(&calib_rb, sizeof(*rec), 0);
	if (rec) {
		*rec = 42;
		bpf_ringbuf_submit(rec, 0);
	}
	return 0;
}

/* Test-run with args[0] = 42: one record through the perf buffer. */
SEC("raw_tp/irq_handler_entry")
int c_perfbuf(u64 *args)
{
	u64 rec = 42;

	if (args[0] != 42)
		return 0;
	bpf_perf_event_output(args, &calib_pb, BPF_F_CURRENT_CPU, &rec, sizeof(rec));
	return 0;
}
