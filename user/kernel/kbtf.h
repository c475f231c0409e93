/* Which vmlinux BTF iopath reads, and whether the kernel has BTF of its own. A kernel built
 * without CONFIG_DEBUG_INFO_BTF has no /sys/kernel/btf/vmlinux; its BTF can come from outside:
 * --btf FILE, the kernel's file from BTFHub or one tools/min-btf.sh made, or the built-in
 * archive's entry for that kernel build (kernel/btfarch.h) when no file is given. One choice per
 * process: the command line makes it (kbtf_check_file, kbtf_choose, kbtf_use) before anything
 * reads BTF, and every place that does reads it through here: kview (the functions and
 * tracepoints BTF lists), calibration and the engine (libbpf's btf_custom_path, for CO-RE).
 *
 * What a given file changes: libbpf's CO-RE goes against that file alone and never looks at
 * module BTF (libbpf bpf_core_find_cands: "if vmlinux BTF was overridden, don't attempt to load
 * module BTFs"), so module functions attach by kprobe and driver-private structs in modules read
 * as absent. What no file changes: fentry/fexit and tp_btf programs name a type id of the
 * kernel's own BTF (kernel/bpf/syscall.c bpf_prog_load: an attach_btf_id without
 * attach_btf_obj_fd needs the kernel's vmlinux BTF, -EINVAL without it), so on a kernel without
 * BTF of its own they are unavailable whatever file is given.
 *
 * Test hook: IOPATH_MASK_CAPS=vmlinux_btf (kernel/caps.h) makes kbtf_choose take the kernel
 * to have no BTF of its own, as if /sys/kernel/btf/vmlinux were absent, so a kernel that has
 * it runs the path a kernel without it takes (refused without --btf; with it, no fentry,
 * fexit, tp_btf or module BTF). */
#ifndef IOPATH_KBTF_H
#define IOPATH_KBTF_H
#include <stdbool.h>
#include <stddef.h>

#define KBTF_KERNEL "/sys/kernel/btf/vmlinux"
#define KBTF_HUB "https://github.com/aquasecurity/btfhub-archive"

struct kbtf {
	char path[4096];          /* the vmlinux BTF read: --btf's file or the kernel's; "" none */
	bool given;               /* path is --btf's file or a built-in entry: CO-RE reads it alone */
	char builtin[160];        /* given by the built-in archive: which entry ("" --btf's file) */
	bool kernel_btf;          /* the kernel has BTF of its own (fentry, fexit, tp_btf and
				   * module BTF need it) */
	char no_kernel_btf[96];   /* !kernel_btf: why ("/sys/kernel/btf/vmlinux is absent") */
};

/* A --btf FILE as libbpf will read it: a regular file holding raw BTF (what
 * /sys/kernel/btf/vmlinux and BTFHub's .btf files are) or an ELF file with a .BTF section that
 * is not a BPF object (whose BTF is the program's own types), complete (not shorter than its
 * header says), parsed by libbpf, and a vmlinux BTF (it defines struct sk_buff and struct
 * task_struct, which iopath's CO-RE reads; a module's split BTF does not). 0, or -errno with why
 * (one line's worth, without the path): "No such file or directory", "truncated: 2000 bytes,
 * its BTF header says 5515852", an xz archive not unpacked, ... */
int kbtf_check_file(const char *path, char *why, size_t len);
/* The choice for the kernel under root ("" the live one): given (NULL: none; else a file
 * kbtf_check_file accepted) is read if there is one, else root's /sys/kernel/btf/vmlinux, else
 * the built-in archive's entry for the build root/proc/sys/kernel/{osrelease,version} names.
 * mask: IOPATH_MASK_CAPS's value (NULL: none); naming vmlinux_btf, the kernel is taken to
 * have no BTF of its own. Fills *b in every case; 0, or -ENOENT when there is no BTF at all,
 * with why the one line that says so, naming --btf FILE and BTFHub (and, when the archive has
 * this release from another build, that build). */
int kbtf_choose(const char *root, const char *given, const char *mask, struct kbtf *b,
		char *why, size_t len);
/* Makes b the process's choice. */
void kbtf_use(const struct kbtf *b);
/* The process's choice; until kbtf_use, the live kernel's own BTF (kbtf_choose("", NULL,
 * $IOPATH_MASK_CAPS)). */
const struct kbtf *kbtf_current(void);
/* The chosen vmlinux BTF, parsed (btf__free it), or NULL with errno set (ENOENT: none). */
struct btf *kbtf_load(void);
/* What the given file is, for messages: "--btf PATH" or "the built-in BTF of RELEASE (BUILD),
 * N bytes"; NULL when CO-RE reads the kernel's own. */
const char *kbtf_given_what(void);
/* For bpf_object_open_opts.btf_custom_path: the given file, NULL when it is the kernel's. */
const char *kbtf_custom_path(void);

#endif
