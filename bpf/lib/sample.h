/* Sampled records to userspace, the one way iopath's BPF side sends them: the BPF ring buffer
 * (v5.8, commit 457f44363a88 "bpf: Implement BPF ring buffer and verifier support for it"), or
 * where calibration found none (or IOPATH_MASK_CAPS took it away) the perf buffer, as bcc
 * libbpf-tools' compat.bpf.h does. The map is declared as a ring buffer; user/engine/attach.c
 * turns it into a BPF_MAP_TYPE_PERF_EVENT_ARRAY before load and sets samples_perfbuf. That flag
 * is read-only data, which the verifier tracks as a constant only from v5.5 (a23740ec43ba "bpf:
 * Track contents of read-only maps as scalars"); before, it would walk the ring buffer branch and
 * refuse its helpers. So the branch is also guarded by whether the kernel's BTF knows the ring
 * buffer's helpers (ringbuf_helpers, a CO-RE enum check libbpf turns into an immediate before
 * the verifier runs, on any kernel): where they do not exist, their calls are dead code.
 *
 * A record is built in place (sample_reserve) and sent (sample_submit). For the perf buffer it
 * is built in a per-CPU scratch value and copied out by bpf_perf_event_output(), which needs
 * the program's context. A record that does not fit is counted by the caller (sample_submit
 * and sample_reserve say which); userspace counts what the perf buffer says it lost besides.
 * Scratch values are per CPU, one per nesting level: a program that interrupts another on the
 * same CPU (a packet's handler in an interrupt, inside a task's) builds its record in the next
 * one, so no record is written over; nesting deeper than SAMPLE_NEST is refused (counted by
 * the caller as any record without room). Interrupts nest strictly, so a depth counter per CPU,
 * up at reserve and down at submit, names the level. */
#ifndef IOPATH_BPF_LIB_SAMPLE_H
#define IOPATH_BPF_LIB_SAMPLE_H
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

const volatile bool samples_perfbuf = false;

/* The ring buffer's helpers exist (v5.8, all added by 457f44363a88): a load-time constant */
#define ringbuf_helpers() bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_ringbuf_reserve)
/* samples go by the ring buffer */
#define samples_ringbuf() (ringbuf_helpers() && !samples_perfbuf)

/* room for the largest record: struct net_path_rec (include/iopath_net.h) */
#define SAMPLE_SCRATCH_BYTES 512
/* task, softirq, hardirq, NMI */
#define SAMPLE_NEST 4

struct sample_scratch {
	__u8 b[SAMPLE_SCRATCH_BYTES];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SAMPLE_NEST);
	__type(key, __u32);
	__type(value, struct sample_scratch);
} sample_scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} sample_depth SEC(".maps");

/* Room for a record of size bytes in map, or NULL (no room: the ring buffer is full, or the
 * perf buffer's scratch is nested too deep). A record given must go to sample_submit. */
static __always_inline void *sample_reserve(void *map, __u64 size)
{
	__u32 zero = 0, level;
	__u32 *depth;
	void *rec;

	if (samples_ringbuf())
		return bpf_ringbuf_reserve(map, size, 0);
	depth = bpf_map_lookup_elem(&sample_depth, &zero);
	if (!depth || size > SAMPLE_SCRATCH_BYTES)
		return NULL;
	level = *depth;
	if (level >= SAMPLE_NEST)
		return NULL;
	rec = bpf_map_lookup_elem(&sample_scratch, &level);
	if (rec)
		*depth = level + 1;
	return rec;
}

/* Sends what sample_reserve gave: 0, or <0 when the perf buffer had no room for it (the ring
 * buffer's room was taken at reserve). */
static __always_inline long sample_submit(void *ctx, void *map, void *rec, __u64 size)
{
	__u32 zero = 0;
	__u32 *depth;
	long err;

	if (samples_ringbuf()) {
		bpf_ringbuf_submit(rec, 0);
		return 0;
	}
	err = bpf_perf_event_output(ctx, map, BPF_F_CURRENT_CPU, rec, size);
	depth = bpf_map_lookup_elem(&sample_depth, &zero);
	if (depth && *depth)
		*depth -= 1;
	return err;
}

#endif
