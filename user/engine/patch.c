#include "engine/patch.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iopath.h"

int insns_patch(struct bpf_insn *insns, size_t n, unsigned long long marker,
		unsigned long long value)
{
	int hits = 0;

	for (size_t i = 0; i + 1 < n; i++) {
		struct bpf_insn *a = &insns[i], *b = &insns[i + 1];

		if (a->code != (BPF_LD | BPF_DW | BPF_IMM))
			continue;
		/* src_reg 0: a plain 64-bit constant (not a map or BTF reference) */
		if (!a->src_reg && (unsigned)a->imm == (unsigned)marker &&
		    (unsigned)b->imm == (unsigned)(marker >> 32)) {
			a->imm = (int)(unsigned)value;
			b->imm = (int)(unsigned)(value >> 32);
			hits++;
		}
		i++;   /* the second half of the wide instruction */
	}
	return hits;
}

int insns_clone_patched(const struct bpf_insn *insns, size_t n, const struct patch_vals *v,
			struct bpf_insn **out, char *why, size_t whylen)
{
	const struct { unsigned long long marker; unsigned value; const char *name; } m[] = {
		{ IOP_PATCH_ID, v->id, "point id" },
		{ IOP_PATCH_ID_ARG, v->id_arg, "identity argument" },
		{ IOP_PATCH_Q_ARG, v->q_arg, "queue argument" },
		{ IOP_PATCH_HOST_ARG, v->host_arg, "irqfd key argument" },
	};
	struct bpf_insn *c = malloc(n * sizeof(*c));

	*out = NULL;
	if (!c)
		return -ENOMEM;
	memcpy(c, insns, n * sizeof(*c));
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		int k = insns_patch(c, n, m[i].marker, m[i].value);

		if (k != 1) {
			snprintf(why, whylen, "template has the %s marker %d times (want 1)",
				 m[i].name, k);
			free(c);
			return -EINVAL;
		}
	}
	*out = c;
	return 0;
}
