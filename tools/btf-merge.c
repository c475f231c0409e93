/* btf-merge VMLINUX OUT [MODULE...]
 *
 * One flat BTF out of a kernel's vmlinux BTF and the split BTF of some of its modules, for
 * tools/min-btf.sh: `bpftool gen min_core_btf` reads one non-split BTF (bpftool 7.1 refuses a
 * split one, -B or not), and libbpf's CO-RE against a custom BTF reads that one file and no
 * module BTF (libbpf bpf_core_find_cands: "if vmlinux BTF was overridden, don't attempt to load
 * module BTFs"). So the module types iopath reads (bpf/paths/host.h: struct vcpu_vmx of
 * kvm_intel, vhost_virtqueue of vhost, ...) must be in the same file as vmlinux's.
 *
 * VMLINUX: raw BTF or an ELF with .BTF; MODULE: an ELF (.ko, already decompressed) whose .BTF is
 * split on VMLINUX. Each module's types are appended after vmlinux's with their own ids
 * renumbered (ids of vmlinux types stay), then the whole is deduplicated, so a struct that
 * several modules each carry (struct kvm_vcpu in kvm, kvm_intel and kvm_amd) is one type.
 * libbpf 1.1's btf__add_btf refuses split BTF (-ENOTSUP), hence the copy type by type.
 *
 * Exit 0 with OUT written; 1 with one line on stderr. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

static int die(const char *what, const char *path, int err)
{
	fprintf(stderr, "btf-merge: %s %s: %s\n", what, path, strerror(err < 0 ? -err : err));
	return 1;
}

/* A module's own type ids (above base_n) move by off; 0 (void) and vmlinux's ids stay. */
static void remap(__u32 *id, __u32 base_n, __u32 off)
{
	if (*id > base_n)
		*id += off;
}

/* Every type id a type refers to, per kind (include/uapi/linux/btf.h). */
static void remap_type(struct btf_type *t, __u32 base_n, __u32 off)
{
	unsigned short vlen = btf_vlen(t);

	switch (btf_kind(t)) {
	case BTF_KIND_PTR: case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE: case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT: case BTF_KIND_FUNC: case BTF_KIND_VAR: case BTF_KIND_TYPE_TAG:
	case BTF_KIND_DECL_TAG:
		remap(&t->type, base_n, off);
		break;
	case BTF_KIND_ARRAY: {
		struct btf_array *a = btf_array(t);

		remap(&a->type, base_n, off);
		remap(&a->index_type, base_n, off);
		break;
	}
	case BTF_KIND_STRUCT: case BTF_KIND_UNION: {
		struct btf_member *m = btf_members(t);

		for (unsigned short i = 0; i < vlen; i++)
			remap(&m[i].type, base_n, off);
		break;
	}
	case BTF_KIND_FUNC_PROTO: {
		struct btf_param *p = btf_params(t);

		remap(&t->type, base_n, off);
		for (unsigned short i = 0; i < vlen; i++)
			remap(&p[i].type, base_n, off);
		break;
	}
	case BTF_KIND_DATASEC: {
		struct btf_var_secinfo *v = btf_var_secinfos(t);

		for (unsigned short i = 0; i < vlen; i++)
			remap(&v[i].type, base_n, off);
		break;
	}
	default: /* INT, ENUM, ENUM64, FWD, FLOAT: no type id */
		break;
	}
}

int main(int argc, char **argv)
{
	struct btf *base, *out;
	__u32 base_n;
	int err;

	if (argc < 3) {
		fprintf(stderr, "usage: %s VMLINUX OUT [MODULE...]\n", argv[0]);
		return 2;
	}
	libbpf_set_print(NULL);
	base = btf__parse(argv[1], NULL);
	if (!base)
		return die("cannot read", argv[1], errno);
	base_n = btf__type_cnt(base) - 1;
	out = btf__new_empty();
	if (!out || (err = btf__add_btf(out, base)) < 0)
		return die("cannot copy", argv[1], out ? err : errno);
	for (int a = 3; a < argc; a++) {
		struct btf *mod = btf__parse_split(argv[a], base);
		__u32 off = btf__type_cnt(out) - 1 - base_n;

		if (!mod)
			return die("no BTF split on vmlinux's in", argv[a], errno);
		for (__u32 id = base_n + 1; id < btf__type_cnt(mod); id++) {
			int nid = btf__add_type(out, mod, btf__type_by_id(mod, id));

			if (nid < 0)
				return die("cannot copy a type of", argv[a], nid);
			/* btf__add_type copies the type with its strings, its type ids as they were */
			remap_type((struct btf_type *)btf__type_by_id(out, nid), base_n, off);
		}
		btf__free(mod);
	}
	__u32 merged = btf__type_cnt(out) - 1;

	if ((err = btf__dedup(out, NULL)) < 0)
		return die("cannot deduplicate", argv[2], err);

	__u32 size;
	const void *raw = btf__raw_data(out, &size);
	FILE *f = fopen(argv[2], "w");

	if (!raw || !f || fwrite(raw, 1, size, f) != size || fclose(f))
		return die("cannot write", argv[2], errno ? errno : EIO);
	printf("btf-merge: %s: %u types (vmlinux %u, with %d module(s) %u, deduplicated)\n",
	       argv[2], btf__type_cnt(out) - 1, base_n, argc - 3, merged);
	btf__free(out);
	btf__free(base);
	return 0;
}
