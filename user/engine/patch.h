/* Cookie-less clones (the 5.10 class): a probe template's instructions with the IOP_PATCH_*
 * markers (include/iopath.h) overwritten by one point's values.
 *
 * Contract: insns_patch() rewrites every BPF_LD_IMM64 of `marker` in the n instructions with
 * `value` and returns how many it rewrote. A template loads each marker exactly once, so a
 * caller treats any other count as a template the compiler changed (the point then fails
 * with that reason; nothing is loaded half-patched). Pure: no kernel, no libbpf state. */
#ifndef IOPATH_ENGINE_PATCH_H
#define IOPATH_ENGINE_PATCH_H
#include <stddef.h>
#include <linux/bpf.h>

int insns_patch(struct bpf_insn *insns, size_t n, unsigned long long marker,
		unsigned long long value);

/* The values of one point's clone. An argument index is IOP_PATCH_NONE when there is none. */
struct patch_vals {
	unsigned id;
	unsigned id_arg, q_arg, host_arg;
};

/* A malloc'ed copy of insns with every marker replaced (*out, n instructions), 0; or -EINVAL
 * with the first marker that was not found exactly once named in why. */
int insns_clone_patched(const struct bpf_insn *insns, size_t n, const struct patch_vals *v,
			struct bpf_insn **out, char *why, size_t whylen);

#endif
