#include "kernel/kbtf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <elf.h>
#include <linux/btf.h>
#include <bpf/btf.h>

#include "kernel/btfarch.h"
#include "kernel/caps.h"
#include "util/util.h"

/* Structs every vmlinux BTF defines and iopath's CO-RE reads (bpf/paths/net.h, exits.h): a
 * file without them is some other BTF (a module's, a BPF object's). */
static const char *const vmlinux_structs[] = { "sk_buff", "task_struct" };

static int whyf(char *why, size_t len, int err, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int whyf(char *why, size_t len, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return err;
}

/* What the first bytes say the file is: raw BTF (with its complete size), ELF, an archive not
 * unpacked, or nothing libbpf reads. 0 or -errno with why. */
static int check_head(int fd, off_t size, bool *elf, char *why, size_t len)
{
	unsigned char h[sizeof(struct btf_header)] = { 0 };
	struct btf_header bh;
	ssize_t n = pread(fd, h, sizeof(h), 0);
	unsigned long long need;

	if (n < 0)
		return whyf(why, len, -errno, "%s", strerror(errno));
	*elf = n >= 4 && !memcmp(h, "\177ELF", 4);
	/* e_machine (offset 18, little-endian here): a BPF object's .BTF is the program's own
	 * types (it has a struct sk_buff too), not the kernel's */
	if (*elf && n >= 20 && (h[18] | h[19] << 8) == EM_BPF)
		return whyf(why, len, -EINVAL, "a BPF object, not the kernel's BTF (its .BTF holds the "
			    "program's own types)");
	if (*elf)
		return 0;
	if (n >= 6 && !memcmp(h, "\xfd" "7zXZ\0", 6))
		return whyf(why, len, -EINVAL, "an xz archive, not BTF: unpack it first (BTFHub's "
			    "KERNEL.btf.tar.xz: tar xJf FILE)");
	if (n >= 2 && h[0] == 0x1f && h[1] == 0x8b)
		return whyf(why, len, -EINVAL, "a gzip archive, not BTF: unpack it first");
	if (n < 2 || ((uint16_t)(h[0] | h[1] << 8)) != BTF_MAGIC)
		return whyf(why, len, -EINVAL, "not BTF (neither raw BTF, magic 0x%x, nor an ELF file "
			    "with a .BTF section)", BTF_MAGIC);
	if ((size_t)n < sizeof(bh))
		return whyf(why, len, -EINVAL, "truncated: %zd bytes, shorter than a BTF header (%zu)",
			    n, sizeof(bh));
	memcpy(&bh, h, sizeof(bh));
	if (bh.version != BTF_VERSION)
		return whyf(why, len, -EINVAL, "BTF version %u, this iopath reads version %u",
			    bh.version, BTF_VERSION);
	need = (unsigned long long)bh.hdr_len +
	       (bh.type_off + (unsigned long long)bh.type_len > bh.str_off + (unsigned long long)bh.str_len ?
		bh.type_off + (unsigned long long)bh.type_len : bh.str_off + (unsigned long long)bh.str_len);
	if ((unsigned long long)size < need)
		return whyf(why, len, -EINVAL, "truncated: %lld bytes, its BTF header says %llu",
			    (long long)size, need);
	return 0;
}

static bool bad_name(const struct btf *btf, __u32 off)
{
	return !btf__str_by_offset(btf, off);
}

/* Every name and every type a type refers to exist: libbpf 1.1 checks only the types' sizes
 * when it parses, and CO-RE would follow a damaged file's ids into nothing. The id of the first
 * type that is wrong, or 0. */
static __u32 bad_type(const struct btf *btf)
{
	__u32 n = btf__type_cnt(btf);

	for (__u32 id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		unsigned vlen = btf_vlen(t);

		if (bad_name(btf, t->name_off))
			return id;
		switch (btf_kind(t)) {
		case BTF_KIND_PTR: case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE: case BTF_KIND_CONST:
		case BTF_KIND_RESTRICT: case BTF_KIND_FUNC: case BTF_KIND_FUNC_PROTO: case BTF_KIND_VAR:
		case BTF_KIND_TYPE_TAG: case BTF_KIND_DECL_TAG:
			if (t->type >= n)
				return id;
			break;
		case BTF_KIND_ARRAY:
			if (btf_array(t)->type >= n || btf_array(t)->index_type >= n)
				return id;
			break;
		}
		if (btf_is_composite(t))
			for (unsigned i = 0; i < vlen; i++)
				if (btf_members(t)[i].type >= n || bad_name(btf, btf_members(t)[i].name_off))
					return id;
		if (btf_is_func_proto(t))
			for (unsigned i = 0; i < vlen; i++)
				if (btf_params(t)[i].type >= n || bad_name(btf, btf_params(t)[i].name_off))
					return id;
		if (btf_is_datasec(t))
			for (unsigned i = 0; i < vlen; i++)
				if (btf_var_secinfos(t)[i].type >= n)
					return id;
		if (btf_is_enum(t))
			for (unsigned i = 0; i < vlen; i++)
				if (bad_name(btf, btf_enum(t)[i].name_off))
					return id;
	}
	return 0;
}

int kbtf_check_file(const char *path, char *why, size_t len)
{
	struct stat st;
	struct btf *btf;
	bool elf = false;
	__u32 bad;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return whyf(why, len, -errno, "%s", strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return whyf(why, len, -EINVAL, "not a regular file");
	}
	err = check_head(fd, st.st_size, &elf, why, len);
	close(fd);
	if (err)
		return err;
	btf = btf__parse(path, NULL);
	if (!btf) {
		err = -errno;
		if (elf)
			return whyf(why, len, err, "an ELF file without a usable .BTF section (%s)",
				    strerror(-err));
		return whyf(why, len, err, "damaged BTF, or a module's split BTF that needs its base "
			    "(libbpf: %s)", strerror(-err));
	}
	if ((bad = bad_type(btf))) {
		err = whyf(why, len, -EINVAL, "damaged BTF: type %u of %u names a string or a type "
			   "that is not there", bad, btf__type_cnt(btf) - 1);
		btf__free(btf);
		return err;
	}
	for (size_t i = 0; i < NELEM(vmlinux_structs); i++)
		if (btf__find_by_name_kind(btf, vmlinux_structs[i], BTF_KIND_STRUCT) < 0) {
			err = whyf(why, len, -EINVAL, "not a vmlinux BTF: no struct %s (%u types; a "
				   "module's or a BPF object's BTF?)", vmlinux_structs[i],
				   btf__type_cnt(btf) - 1);
			break;
		}
	btf__free(btf);
	return err;
}

static int builtin(const char *root, struct kbtf *b, char *why, size_t len);

int kbtf_choose(const char *root, const char *given, const char *mask, struct kbtf *b,
		char *why, size_t len)
{
	char kpath[sizeof(b->path)];

	memset(b, 0, sizeof(*b));
	root_path(kpath, sizeof(kpath), root, KBTF_KERNEL);
	if (caps_masked(mask, CAP_BTF_VMLINUX))
		snprintf(b->no_kernel_btf, sizeof(b->no_kernel_btf), "%s masked by %s=%s", KBTF_KERNEL,
			 CAPS_MASK_ENV, cap_name(CAP_BTF_VMLINUX));
	else if (access(kpath, R_OK))
		snprintf(b->no_kernel_btf, sizeof(b->no_kernel_btf), "%s: %s", KBTF_KERNEL,
			 strerror(errno));
	else
		b->kernel_btf = true;
	if (given) {
		snprintf(b->path, sizeof(b->path), "%s", given);
		b->given = true;
		return 0;
	}
	if (b->kernel_btf) {
		snprintf(b->path, sizeof(b->path), "%s", kpath);
		return 0;
	}
	return builtin(root, b, why, len);
}

/* No file given, no BTF of the kernel's own: the built-in archive's entry of this build. */
static int builtin(const char *root, struct kbtf *b, char *why, size_t len)
{
	char rel[128] = "", ver[256] = "", other[200] = "";
	const struct btfarch_entry *e = NULL, *near = NULL;
	int err;

	if (read_small_file(root, "/proc/sys/kernel/osrelease", rel, sizeof(rel)) >= 0 &&
	    read_small_file(root, "/proc/sys/kernel/version", ver, sizeof(ver)) >= 0)
		e = btfarch_find(rel, ver, &near);
	if (e) {
		if ((err = btfarch_path(e, b->path, sizeof(b->path))))
			return whyf(why, len, err, "cannot read the built-in BTF of %s: %s", e->release,
				    strerror(-err));
		b->given = true;
		snprintf(b->builtin, sizeof(b->builtin), "the built-in BTF of %s (%s), %zu bytes",
			 e->release, e->build, e->size);
		return 0;
	}
	if (near)
		snprintf(other, sizeof(other), "; the built-in BTF of %s is of the build '%s', this "
			 "kernel is '%s'", near->release, near->build, ver);
	return whyf(why, len, -ENOENT, "this kernel has no BTF (%s; a kernel built without "
		    "CONFIG_DEBUG_INFO_BTF)%s: give its BTF with --btf FILE, the kernel's file from "
		    "BTFHub (%s) or one made by tools/min-btf.sh", b->no_kernel_btf, other, KBTF_HUB);
}

static struct kbtf current;
static bool current_set;

void kbtf_use(const struct kbtf *b)
{
	current = *b;
	current_set = true;
}

const struct kbtf *kbtf_current(void)
{
	if (!current_set) {
		char why[8];

		kbtf_choose("", NULL, getenv(CAPS_MASK_ENV), &current, why, sizeof(why));
		current_set = true;
	}
	return &current;
}

struct btf *kbtf_load(void)
{
	const struct kbtf *b = kbtf_current();

	if (!b->path[0]) {
		errno = ENOENT;
		return NULL;
	}
	return btf__parse(b->path, NULL);
}

const char *kbtf_given_what(void)
{
	static char what[sizeof(current.path) + 16];
	const struct kbtf *b = kbtf_current();

	if (!b->given)
		return NULL;
	if (b->builtin[0])
		return b->builtin;
	snprintf(what, sizeof(what), "--btf %.4095s", b->path);
	return what;
}

const char *kbtf_custom_path(void)
{
	const struct kbtf *b = kbtf_current();

	return b->given ? b->path : NULL;
}
