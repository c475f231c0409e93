#include "kernel/kview.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <zlib.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "kernel/kbtf.h"
#include "util/util.h"

void kview_init(struct kview *kv)
{
	memset(kv, 0, sizeof(*kv));
	strset_init(&kv->ksyms);
	strset_init(&kv->names);
	strset_init(&kv->btf_funcs);
	strset_init(&kv->btf_mods);
	strset_init(&kv->blacklist);
	strset_init(&kv->modules);
	strset_init(&kv->tps);
	strset_init(&kv->ftrace);
	strset_init(&kv->skb_funcs);
	strset_add(&kv->modules, "vmlinux", 1);
}

void kview_free(struct kview *kv)
{
	strset_free(&kv->ksyms);
	strset_free(&kv->names);
	strset_free(&kv->btf_funcs);
	strset_free(&kv->btf_mods);
	strset_free(&kv->blacklist);
	strset_free(&kv->modules);
	strset_free(&kv->tps);
	strset_free(&kv->ftrace);
	strset_free(&kv->skb_funcs);
}

static int key2(char *out, size_t len, const char *mod, const char *name)
{
	int n = snprintf(out, len, "%s:%s", mod, name);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

bool kview_has_addresses(const struct kview *kv)
{
	uint64_t a = 0;

	/* _stext opens the kernel text on every architecture iopath builds for */
	return strset_get(&kv->ksyms, "vmlinux:_stext", &a) && a;
}

/* Both live /proc files and gzip fixtures go through gzopen: zlib reads
 * uncompressed files transparently. */
typedef int (*line_fn)(struct kview *kv, char *line, void *arg);

static int for_each_line(struct kview *kv, const char *path, line_fn fn, void *arg)
{
	char line[1024];
	gzFile f = gzopen(path, "r");
	int err = 0;

	if (!f)
		return errno ? -errno : -ENOENT;
	while (gzgets(f, line, sizeof(line))) {
		size_t n = strlen(line);

		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = 0;
		if (!n)
			continue;
		err = fn(kv, line, arg);
		if (err)
			break;
	}
	if (!err) {
		int zerr;
		const char *msg = gzerror(f, &zerr);

		if (zerr < 0 && zerr != Z_BUF_ERROR) {
			iop_err("%s: %s", path, msg);
			err = -EIO;
		}
	}
	gzclose(f);
	return err;
}

static const char *const noinstr_bounds[3][2] = {
	{ "__noinstr_text_start", "__noinstr_text_end" },
	{ "__entry_text_start", "__entry_text_end" },
	{ "__kprobes_text_start", "__kprobes_text_end" },
};

/* "ffffffff81000000 T name" or "ffffffffc0000000 t name\t[mod]" */
static int kallsyms_line(struct kview *kv, char *line, void *arg)
{
	char *addr_s = strtok(line, " \t"), *type = strtok(NULL, " \t");
	char *name = strtok(NULL, " \t"), *mod = strtok(NULL, " \t");
	char key[512];
	unsigned long long addr;
	uint64_t cnt = 0;

	if (!addr_s || !type || !name)
		return 0;
	addr = strtoull(addr_s, NULL, 16);
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 2; j++)
			if (!strcmp(name, noinstr_bounds[i][j]))
				kv->noinstr[i][j] = addr;
	if (!strchr("tTwW", type[0]))
		return 0;
	if (mod) {
		size_t n = strlen(mod);

		if (mod[0] != '[' || mod[n - 1] != ']')
			return 0;
		mod[n - 1] = 0;
		mod++;
		if (strset_add(&kv->modules, mod, 1) < 0)
			return -ENOMEM;
	} else {
		mod = "vmlinux";
	}
	if (key2(key, sizeof(key), mod, name))
		return 0;
	if (strset_add(&kv->ksyms, key, addr) < 0)
		return -ENOMEM;
	strset_get(&kv->names, name, &cnt);
	if (cnt)
		strset_set(&kv->names, name, cnt + 1);
	else if (strset_add(&kv->names, name, 1) < 0)
		return -ENOMEM;
	return 0;
}

int kview_read_kallsyms(struct kview *kv, const char *path)
{
	return for_each_line(kv, path, kallsyms_line, NULL);
}

/* "<module> <name>" */
static int btf_line(struct kview *kv, char *line, void *arg)
{
	char *mod = strtok(line, " \t"), *name = strtok(NULL, " \t");
	char key[512];

	if (!mod || !name || key2(key, sizeof(key), mod, name))
		return 0;
	if (strset_add(&kv->btf_mods, mod, 1) < 0 || strset_add(&kv->btf_funcs, key, 1) < 0)
		return -ENOMEM;
	return 0;
}

int kview_read_btf_funcs(struct kview *kv, const char *path)
{
	return for_each_line(kv, path, btf_line, NULL);
}

/* "0xffffffff81000000-0xffffffff81000010\tname" */
static int blacklist_line(struct kview *kv, char *line, void *arg)
{
	char *range = strtok(line, " \t"), *name = strtok(NULL, " \t");

	if (!range || !name)
		return 0;
	return strset_add(&kv->blacklist, name, 1) < 0 ? -ENOMEM : 0;
}

int kview_read_blacklist(struct kview *kv, const char *path)
{
	return for_each_line(kv, path, blacklist_line, NULL);
}

static int module_line(struct kview *kv, char *line, void *arg)
{
	char *name = strtok(line, " \t");

	return name && strset_add(&kv->modules, name, 1) < 0 ? -ENOMEM : 0;
}

/* available_filter_functions: "name" or "name [mod]" (6.x may append an
 * address column with a different file; this is the plain one). */
static int ftrace_line(struct kview *kv, char *line, void *arg)
{
	char *name = strtok(line, " \t"), *mod = strtok(NULL, " \t");
	char key[512];

	if (!name)
		return 0;
	if (mod && mod[0] == '[') {
		mod++;
		mod[strcspn(mod, "]")] = 0;
	} else {
		mod = "vmlinux";
	}
	if (key2(key, sizeof(key), mod, name))
		return 0;
	return strset_add(&kv->ftrace, key, 1) < 0 ? -ENOMEM : 0;
}

/* Position (0..4) of the first `struct sk_buff *` parameter of FUNC t, or -1:
 * the pwru way of finding every function a packet can pass. */
static int skb_param(const struct btf *btf, const struct btf_type *fn)
{
	const struct btf_type *proto = btf__type_by_id(btf, fn->type);
	const struct btf_param *p;

	if (!proto || !btf_is_func_proto(proto))
		return -1;
	p = btf_params(proto);
	for (int i = 0; i < btf_vlen(proto) && i < 5; i++) {
		const struct btf_type *t = btf__type_by_id(btf, p[i].type);
		const char *name;

		while (t && (btf_is_mod(t) || btf_is_typedef(t)))
			t = btf__type_by_id(btf, t->type);
		if (!t || !btf_is_ptr(t))
			continue;
		t = btf__type_by_id(btf, t->type);
		while (t && (btf_is_mod(t) || btf_is_typedef(t)))
			t = btf__type_by_id(btf, t->type);
		if (!t || !btf_is_struct(t))
			continue;
		name = btf__name_by_offset(btf, t->name_off);
		if (name && !strcmp(name, "sk_buff"))
			return i;
	}
	return -1;
}

/* A btf_trace_<tp> typedef is a pointer to void (*)(void *__data, <the tracepoint's arguments>):
 * the number of tracepoint arguments, or -1 when the shape is not that. */
static int add_btf(struct kview *kv, const struct btf *btf, const char *mod, __u32 start_id);

static int tp_proto_nargs(const struct btf *btf, const struct btf_type *td)
{
	const struct btf_type *t = btf__type_by_id(btf, td->type);

	if (!t || !btf_is_ptr(t))
		return -1;
	t = btf__type_by_id(btf, t->type);
	if (!t || !btf_is_func_proto(t) || btf_vlen(t) < 1)
		return -1;
	return btf_vlen(t) - 1;
}

int kview_add_btf(struct kview *kv, const struct btf *btf, const char *mod, __u32 start_id)
{
	return add_btf(kv, btf, mod, start_id);
}

/* Adds every FUNC of btf (types from start_id on) under mod, and every
 * btf_trace_<tp> typedef as a tracepoint. */
static int add_btf(struct kview *kv, const struct btf *btf, const char *mod, __u32 start_id)
{
	__u32 n = btf__type_cnt(btf);
	char key[512];

	if (strset_add(&kv->btf_mods, mod, 1) < 0)
		return -ENOMEM;
	for (__u32 id = start_id; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *name = btf__name_by_offset(btf, t->name_off);

		if (!name || !*name)
			continue;
		if (btf_is_func(t)) {
			int pos;

			const struct btf_type *proto = btf__type_by_id(btf, t->type);

			if (key2(key, sizeof(key), mod, name))
				continue;
			/* value: KV_NARGS_BASE + number of arguments (fixtures: 1 = unknown) */
			if (strset_add(&kv->btf_funcs, key, KV_NARGS_BASE +
				       (proto && btf_is_func_proto(proto) ? btf_vlen(proto) : 0)) < 0)
				return -ENOMEM;
			pos = skb_param(btf, t);
			if (pos >= 0 && strset_add(&kv->skb_funcs, key, pos) < 0)
				return -ENOMEM;
		} else if (btf_is_typedef(t) && !strncmp(name, "btf_trace_", 10)) {
			int nargs = tp_proto_nargs(btf, t);

			/* value: KV_NARGS_BASE + the tracepoint's arguments; 1 = unknown */
			if (strset_add(&kv->tps, name + 10, nargs >= 0 ? KV_NARGS_BASE + nargs : 1) < 0)
				return -ENOMEM;
		}
	}
	return 0;
}

int kview_load_btf(struct kview *kv, const char *vmlinux_path, const char *btf_dir, bool modules)
{
	struct btf *vmlinux = btf__parse(vmlinux_path, NULL);
	struct dirent *de;
	DIR *d = NULL;
	int err;

	if (!vmlinux) {
		err = -errno;
		iop_dbg("no vmlinux BTF: %s: %s", vmlinux_path, strerror(-err));
		return err;
	}
	err = add_btf(kv, vmlinux, "vmlinux", 1);
	/* a minimal BTF (tools/min-btf.sh) keeps no btf_trace_ typedefs: then tps knows nothing */
	kv->have_tps = !err && kv->tps.len;
	if (modules)
		d = opendir(btf_dir);
	while (!err && d && (de = readdir(d))) {
		char p[4096];
		struct btf *mb;

		if (de->d_name[0] == '.' || !strcmp(de->d_name, "vmlinux"))
			continue;
		snprintf(p, sizeof(p), "%s/%s", btf_dir, de->d_name);
		mb = btf__parse_split(p, vmlinux);
		if (!mb) {
			iop_dbg("module BTF %s: %s", de->d_name, strerror(errno));
			continue;
		}
		err = add_btf(kv, mb, de->d_name, btf__type_cnt(vmlinux));
		btf__free(mb);
	}
	if (d)
		closedir(d);
	btf__free(vmlinux);
	return err;
}

/* The vmlinux BTF chosen (kernel/kbtf.h: the kernel's, or --btf's file), then each module's,
 * split on it. Not with a --btf file: libbpf's CO-RE then uses no module BTF, and a module's
 * split BTF is numbered after the kernel's own vmlinux BTF, not after the file's. */
static int load_live_btf(struct kview *kv)
{
	const struct kbtf *kb = kbtf_current();

	if (!kb->path[0]) {
		iop_dbg("no vmlinux BTF: %s", kb->no_kernel_btf);
		return -ENOENT;
	}
	return kview_load_btf(kv, kb->path, "/sys/kernel/btf", !kb->given && kb->kernel_btf);
}

int kview_load_live(struct kview *kv)
{
	struct utsname u;
	int err;

	uname(&u);
	snprintf(kv->release, sizeof(kv->release), "%s", u.release);
	snprintf(kv->source, sizeof(kv->source), "live");
	err = kview_read_kallsyms(kv, "/proc/kallsyms");
	if (err) {
		iop_err("cannot read /proc/kallsyms: %s", strerror(-err));
		return err;
	}
	if (!kv->ksyms.len) {
		iop_err("/proc/kallsyms lists no text symbols");
		return -ENOENT;
	}
	/* Built-in drivers have no [mod] tag in kallsyms but do appear in
	 * /sys/module (virtio_net is built into some cloud kernels). */
	{
		DIR *d = opendir("/sys/module");
		struct dirent *de;

		while (d && (de = readdir(d)))
			if (de->d_name[0] != '.' && strset_add(&kv->modules, de->d_name, 1) < 0) {
				closedir(d);
				return -ENOMEM;
			}
		if (d)
			closedir(d);
	}
	/* Addresses read as zero without CAP_SYSLOG; then nothing address-based. */
	err = load_live_btf(kv);
	if (err && err != -ENOENT && err != -ESRCH)
		return err;
	/* Optional sources: absent when debugfs/tracefs are not mounted. */
	if (!kview_read_blacklist(kv, "/sys/kernel/debug/kprobes/blacklist"))
		iop_dbg("kprobe blacklist: %zu entries", kv->blacklist.len);
	if (!for_each_line(kv, "/sys/kernel/tracing/available_filter_functions", ftrace_line, NULL) ||
	    !for_each_line(kv, "/sys/kernel/debug/tracing/available_filter_functions", ftrace_line, NULL))
		kv->have_ftrace = kv->ftrace.len > 0;
	return 0;
}

int kview_load_dir(struct kview *kv, const char *dir)
{
	char p[4096];
	int err;

	snprintf(kv->source, sizeof(kv->source), "%s", dir);
	if (read_small_file(dir, "kv", kv->release, sizeof(kv->release)) < 0)
		snprintf(kv->release, sizeof(kv->release), "unknown");
	snprintf(p, sizeof(p), "%s/kallsyms.gz", dir);
	err = kview_read_kallsyms(kv, p);
	if (err) {
		iop_err("%s: %s", p, strerror(-err));
		return err;
	}
	snprintf(p, sizeof(p), "%s/btf_funcs.gz", dir);
	err = kview_read_btf_funcs(kv, p);
	if (err && err != -ENOENT)
		return err;
	snprintf(p, sizeof(p), "%s/kprobe_blacklist.gz", dir);
	err = kview_read_blacklist(kv, p);
	if (err && err != -ENOENT)
		return err;
	snprintf(p, sizeof(p), "%s/modules.txt", dir);
	err = for_each_line(kv, p, module_line, NULL);
	if (err && err != -ENOENT)
		return err;
	return 0;
}

bool kview_addr_in_noinstr(const struct kview *kv, unsigned long long addr)
{
	for (int i = 0; i < 3; i++)
		if (kv->noinstr[i][0] && kv->noinstr[i][1] &&
		    addr >= kv->noinstr[i][0] && addr < kv->noinstr[i][1])
			return true;
	return false;
}

bool kview_has_sym(const struct kview *kv, const char *mod, const char *name,
		   unsigned long long *addr)
{
	char key[512];
	uint64_t v;

	if (key2(key, sizeof(key), mod, name) || !strset_get(&kv->ksyms, key, &v))
		return false;
	if (addr)
		*addr = v;
	return true;
}

bool kview_has_btf(const struct kview *kv, const char *mod, const char *name)
{
	char key[512];

	return !key2(key, sizeof(key), mod, name) && strset_get(&kv->btf_funcs, key, NULL);
}

int kview_nargs(const struct kview *kv, const char *mod, const char *name)
{
	char key[512];
	uint64_t v = 0;

	if (key2(key, sizeof(key), mod, name) || !strset_get(&kv->btf_funcs, key, &v) || v < KV_NARGS_BASE)
		return -1;
	return (int)(v - KV_NARGS_BASE);
}

bool kview_module_loaded(const struct kview *kv, const char *mod)
{
	return strset_get(&kv->modules, mod, NULL);
}

int kview_tp_nargs(const struct kview *kv, const char *tp)
{
	uint64_t v;

	if (!strset_get(&kv->tps, tp, &v) || v < KV_NARGS_BASE)
		return -1;
	return (int)(v - KV_NARGS_BASE);
}
