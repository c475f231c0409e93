/* The built-in BTF archive: minimal BTFs (tools/min-btf.sh) of the kernels the lab fetches,
 * compiled into the binary from bpf/btf/ (bpf/btf/README.md; tools/gen-btf-archive.sh makes the
 * table, tools/embed-btf.sh the files). On a kernel without BTF of its own (kernel/kbtf.h) that
 * is one of these builds, CO-RE goes against its entry with no --btf needed.
 *
 * An entry is one kernel build, not a release: a release string ("6.1.0-56-amd64") names an
 * ABI that Debian may rebuild, so an entry is used only when the kernel's
 * /proc/sys/kernel/version also ends with the build the entry was made from ("Debian
 * 6.1.192-2 (2026-11-16)", the end of that kernel's banner). Each entry holds the types of
 * vmlinux and of the modules whose structs iopath reads, cut down to what the BPF objects it
 * was made with relocate against; a change to those reads needs the entries remade (the lab's
 * guest/66 fails until they are). */
#ifndef IOPATH_BTFARCH_H
#define IOPATH_BTFARCH_H
#include <stddef.h>

struct btfarch_entry {
	const char *release;          /* uname -r of the kernel */
	const char *build;            /* what its /proc/sys/kernel/version ends with */
	const unsigned char *data;    /* raw BTF */
	size_t size;
};

/* generated into build/btf_archive.c from bpf/btf/index */
extern const struct btfarch_entry btfarch_entries[];
extern const size_t btfarch_count;

/* The entry of this kernel build, or NULL. release and version: its uname -r and
 * /proc/sys/kernel/version. NULL with *near set to the entry of the same release but another
 * build, when there is one (so the caller can say why it is not used), else *near NULL. */
const struct btfarch_entry *btfarch_find(const char *release, const char *version,
					 const struct btfarch_entry **near);
/* The entry as a file libbpf can open (btf_custom_path, btf__parse): "/proc/self/fd/N" of a
 * sealed memfd holding its bytes, made once per entry. 0, or -errno. */
int btfarch_path(const struct btfarch_entry *e, char *path, size_t len);

#endif
