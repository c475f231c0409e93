/* Resolution: for each profile point, what is it on this kernel? Pure: it
 * reads only a kview (symbols/BTF), the capabilities and the platform kind,
 * so it is tested against Debian 5.10/6.1/6.12 fixture kernels. */
#ifndef IOPATH_RESOLVE_H
#define IOPATH_RESOLVE_H
#include <stdbool.h>
#include "kernel/caps.h"
#include "iopath.h"
#include "kernel/kview.h"
#include "kernel/profiles.h"

enum pt_status {
	PST_PLANNED,         /* resolvable; method chosen, not attached (yet) */
	PST_ATTACHED,
	PST_ABSENT,          /* no such symbol / tracepoint in this kernel */
	PST_INLINED,         /* no symbol, and known to be inlined */
	PST_NOT_APPLICABLE,  /* module not loaded or platform does not match */
	PST_UNAVAILABLE,     /* exists, but the kernel offers no way to hook it */
	PST_NOT_PROBEABLE,   /* noinstr / kprobe-blacklisted */
	PST_DENIED,          /* on iopath's deny-list */
	PST_FAILED,          /* attach tried and failed (err) */
	PST__COUNT
};

struct resolved {
	const struct probe_point *pt;
	unsigned id;               /* point id in BPF maps (1-based; 0 = none) */
	char module[64];           /* where the symbol is: "vmlinux" or a module */
	char symbol[128];          /* chosen alternate, incl. .isra/.part suffix */
	char tp_system[32];        /* tracepoints */
	unsigned long long addr;   /* kallsyms address, 0 if unknown */
	enum iop_method method;
	/* kprobe/fentry through a cookie-less clone of its own (user/engine/patch.h): the kernel
	 * lacks bpf_cookie (kprobes) or bpf_get_func_ip/arg (fentry), the 5.10 class */
	bool patched;
	/* a kprobe that attaches with the others like it through one kprobe.multi link
	 * (PF_BULK points; engine/kmulti.h), its id still the cookie */
	bool multi;
	/* a kprobe on a function the kernel lists no ftrace site for (notrace, noinstr, assembly):
	 * trace_kprobe refuses those with EINVAL unless CONFIG_KPROBE_EVENTS_ON_NOTRACE ("Could not
	 * probe notrace function", kernel/trace/trace_kprobe.c within_notrace_func); tried all the
	 * same (that option may be on), and a refusal says so */
	bool notrace;
	enum pt_status status;
	int err;                   /* -errno when FAILED */
	char reason[200];
	/* a tracepoint with an older argument layout: its documented arguments come arg_shift
	 * places later (block_rq_insert/issue took (q, rq) before 5.11 and stable 5.10.137); layout
	 * says which, and how it was found (BTF prototype, measured, release) */
	signed char arg_shift;
	char layout[128];
	unsigned long long hits;
	double attach_ms;
	/* hits per queue, when the point has a queue extractor */
	unsigned nq;
	struct { unsigned queue; unsigned long long hits; } q[16];
};

/* Platform classes, matching PLAT_* in profiles.h */
unsigned platform_mask_for(bool xen, bool xen_pv, bool kvm, bool host);

struct resolve_opts {
	unsigned platform;         /* PLAT_* bits of this machine */
	enum iop_method force;     /* METHOD_NONE: best; else only this family */
	bool all_platforms;        /* ignore platform applicability */
};

const char *status_name(enum pt_status s);
/* The status as a JSON key: status_name in snake_case ("not_applicable_here"). */
const char *status_key(enum pt_status s);
/* Is this function name on the deny-list (never traced, whatever asks)? */
bool resolve_denied(const char *sym);
/* Resolves one point. */
void resolve_point(const struct kview *kv, const struct kcaps *caps,
		   const struct resolve_opts *o, const struct probe_point *pt,
		   struct resolved *out);
/* Looks a point up by profile and symbol (first alternate); NULL if none. */
const struct probe_point *point_find(const char *profile, const char *symbol, unsigned kind);

#endif
