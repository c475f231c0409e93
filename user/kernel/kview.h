/* What the running kernel (or a Debian kernel captured in a fixture) offers
 * to probe: text symbols per module, BTF functions per module, the kprobe
 * blacklist, tracepoints with BTF, loaded modules. The resolver only looks at
 * this, so the same logic is tested against Debian 5.10/6.1/6.12 lists. */
#ifndef IOPATH_KVIEW_H
#define IOPATH_KVIEW_H
#include <stdbool.h>
#include "util/strset.h"

/* btf_funcs values at or above this carry the function's argument count. */
#define KV_NARGS_BASE 100

struct kview {
	struct strset ksyms;     /* "mod:name" -> address; mod "vmlinux" for core */
	struct strset names;     /* "name" -> how many text symbols carry it */
	struct strset btf_funcs; /* "mod:name" */
	struct strset btf_mods;  /* modules (and "vmlinux") that have BTF */
	struct strset blacklist; /* kprobe-blacklisted names */
	struct strset modules;   /* loaded modules; "vmlinux" always */
	struct strset tps;       /* tracepoint name -> 1, from btf_trace_<name> */
	struct strset ftrace;    /* "mod:name" with an ftrace site, if known */
	struct strset skb_funcs; /* "mod:name" -> 0-based position of its struct sk_buff *
				  * parameter (first one, among the first 5), from BTF */
	bool have_tps;           /* tps is authoritative */
	bool have_ftrace;        /* ftrace set is authoritative */
	/* sections kprobes refuse (noinstr, entry, kprobes); 0 when unknown */
	unsigned long long noinstr[3][2];
	char release[128];       /* uname -r of the kernel described */
	char source[256];        /* "live" or the fixture dir */
};

void kview_init(struct kview *kv);
/* Does kallsyms give addresses (not zeros: kernel.kptr_restrict, or perf_event_paranoid > 1
 * without CAP_SYSLOG, hide them)? Stacks and fentry keys need them. */
bool kview_has_addresses(const struct kview *kv);
void kview_free(struct kview *kv);
/* Live system: /proc/kallsyms, the vmlinux BTF kernel/kbtf.h chose (with the kernel's own,
 * also module BTF under /sys/kernel/btf; with a --btf file none), kprobe blacklist,
 * available_filter_functions when tracefs is mounted. */
int kview_load_live(struct kview *kv);
/* The BTF part of it: the vmlinux BTF at vmlinux_path and, with modules, every other file in
 * btf_dir as a module's BTF split on it (named by the file). have_tps only when the vmlinux BTF
 * has btf_trace_ typedefs (a minimal BTF has none). 0 or -errno (vmlinux_path unreadable). */
int kview_load_btf(struct kview *kv, const char *vmlinux_path, const char *btf_dir, bool modules);
/* Fixture directory written by tools/extract-kernel-facts.sh:
 * kallsyms.gz, btf_funcs.gz, kprobe_blacklist.gz, modules.txt, kv. */
int kview_load_dir(struct kview *kv, const char *dir);
/* Parsers shared by both (exposed for tests). Each reads a possibly
 * gzip-compressed file. */
int kview_read_kallsyms(struct kview *kv, const char *path);
int kview_read_btf_funcs(struct kview *kv, const char *path);
int kview_read_blacklist(struct kview *kv, const char *path);

/* True when the vmlinux address lies in a section kprobes refuse. */
bool kview_addr_in_noinstr(const struct kview *kv, unsigned long long addr);
/* Lookups */
bool kview_has_sym(const struct kview *kv, const char *mod, const char *name,
		   unsigned long long *addr);
bool kview_has_btf(const struct kview *kv, const char *mod, const char *name);
/* Number of arguments from BTF, or -1 when unknown. */
int kview_nargs(const struct kview *kv, const char *mod, const char *name);
bool kview_module_loaded(const struct kview *kv, const char *mod);
/* Arguments of a tracepoint from its btf_trace_<tp> typedef (block_rq_insert: 2, (q, rq), before
 * 5.11 and stable 5.10.137; 1, (rq), from them), or -1 when unknown. */
int kview_tp_nargs(const struct kview *kv, const char *tp);
/* Adds one BTF object's functions and tracepoints under mod (what the loaders do; for tests). */
struct btf;
int kview_add_btf(struct kview *kv, const struct btf *btf, const char *mod, unsigned start_id);

#endif
