#include "kernel/resolve.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *status_name(enum pt_status s)
{
	static const char *const n[PST__COUNT] = {
		[PST_PLANNED] = "planned", [PST_ATTACHED] = "attached", [PST_ABSENT] = "absent",
		[PST_INLINED] = "inlined", [PST_NOT_APPLICABLE] = "not-applicable-here",
		[PST_UNAVAILABLE] = "unavailable", [PST_NOT_PROBEABLE] = "not-probeable",
		[PST_DENIED] = "denied", [PST_FAILED] = "failed",
	};
	return s < PST__COUNT ? n[s] : "?";
}

const char *status_key(enum pt_status s)
{
	static const char *const n[PST__COUNT] = {
		[PST_PLANNED] = "planned", [PST_ATTACHED] = "attached", [PST_ABSENT] = "absent",
		[PST_INLINED] = "inlined", [PST_NOT_APPLICABLE] = "not_applicable_here",
		[PST_UNAVAILABLE] = "unavailable", [PST_NOT_PROBEABLE] = "not_probeable",
		[PST_DENIED] = "denied", [PST_FAILED] = "failed",
	};
	return s < PST__COUNT ? n[s] : "unknown";
}

unsigned platform_mask_for(bool xen, bool xen_pv, bool kvm, bool host)
{
	unsigned m = 0;

	if (xen)
		m |= PLAT_XEN;
	if (xen_pv)
		m |= PLAT_XEN_PV;
	if (kvm)
		m |= PLAT_KVM;
	if (host)
		m |= PLAT_HOST;
	if (!xen && !kvm)
		m |= PLAT_OTHER;
	return m;
}

/* Functions a tracer must never hook: tracing them recurses into BPF, runs
 * on odd stacks, or is the hypercall/entry machinery itself. Patterns are
 * fnmatch(3) globs. */
static const char *const deny[] = {
	"xen_iret", "xen_sysret*", "xen_*_direct", "asm_*", "entry_*",
	"__bpf_*", "bpf_trampoline_*", "bpf_prog_*", "bpf_dispatcher_*",
	"rcu_*", "__rcu_*", "preempt_count_*", "*_noinstr", "__sanitizer_*",
	"__fentry__", "ftrace_*", "kprobe_*", "__kprobes_*", "native_*",
	"trace_hardirqs_*", "lockdep_*", "debug_smp_processor_id",
	"__xen_hypercall_setfunc", "xen_hypercall_hvm",
};

bool resolve_denied(const char *sym)
{
	for (size_t i = 0; i < sizeof(deny) / sizeof(deny[0]); i++)
		if (!fnmatch(deny[i], sym, 0))
			return true;
	return false;
}

const struct probe_point *point_find(const char *profile, const char *symbol, unsigned kind)
{
	size_t n = strlen(symbol);

	for (unsigned i = 0; i < iop_point_count; i++) {
		const struct probe_point *p = &iop_points[i];

		if (strcmp(p->profile, profile) || p->kind != kind)
			continue;
		if (!strncmp(p->symbols, symbol, n) && (!p->symbols[n] || p->symbols[n] == '|'))
			return p;
	}
	return NULL;
}

/* GCC clone suffixes a kprobe can take (not fentry: no BTF). */
static const char *const clone_sfx[] = { ".isra.0", ".part.0", ".constprop.0", ".isra.0.cold" };

/* Finds name in mod, then vmlinux (built-in drivers); also clones when
 * allowed. Fills out->module/symbol/addr. */
static bool find_func(const struct kview *kv, const char *mod, const char *name,
		      bool clones, struct resolved *out, bool *clone)
{
	const char *where[2] = { mod, "vmlinux" };

	for (int w = 0; w < 2; w++) {
		if (w == 1 && !strcmp(mod, "vmlinux"))
			break;
		if (kview_has_sym(kv, where[w], name, &out->addr)) {
			snprintf(out->module, sizeof(out->module), "%s", where[w]);
			snprintf(out->symbol, sizeof(out->symbol), "%s", name);
			*clone = false;
			return true;
		}
		for (size_t i = 0; clones && i < 3; i++) {
			char c[sizeof(out->symbol)];

			if (snprintf(c, sizeof(c), "%s%s", name, clone_sfx[i]) >= (int)sizeof(c))
				continue;
			if (kview_has_sym(kv, where[w], c, &out->addr)) {
				snprintf(out->module, sizeof(out->module), "%s", where[w]);
				snprintf(out->symbol, sizeof(out->symbol), "%s", c);
				*clone = true;
				return true;
			}
		}
	}
	return false;
}

static void set_status(struct resolved *r, enum pt_status s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void set_status(struct resolved *r, enum pt_status s, const char *fmt, ...)
{
	va_list ap;

	r->status = s;
	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
}

static const char *platforms_text(unsigned m)
{
	if (m & PLAT_XEN)
		return "Xen guests";
	if (m & PLAT_XEN_PV)
		return "Xen PV guests";
	if (m & PLAT_KVM)
		return "KVM guests";
	if (m & PLAT_HOST)
		return "KVM hosts (kvm module loaded)";
	return "other platforms";
}

/* "EPERM" style short reason for a capability that failed. */
static const char *cap_short(const struct cap *c)
{
	const char *n = c->err ? strerrorname_np(-c->err) : NULL;

	return n ? n : "failed";
}

static bool method_allowed(const struct resolve_opts *o, enum iop_method m)
{
	if (o->force == METHOD_NONE)
		return true;
	/* Forcing "kprobe" also allows kretprobe for return points, and
	 * "fentry" allows fexit: the flag names the mechanism. */
	switch (o->force) {
	case METHOD_KPROBE: return m == METHOD_KPROBE || m == METHOD_KRETPROBE;
	case METHOD_FENTRY: return m == METHOD_FENTRY || m == METHOD_FEXIT;
	case METHOD_TP_BTF: return m == METHOD_TP_BTF;
	case METHOD_RAW_TP: return m == METHOD_RAW_TP;
	default: return m == o->force;
	}
}

static void resolve_func(const struct kview *kv, const struct kcaps *caps,
			 const struct resolve_opts *o, const struct probe_point *pt,
			 const struct profile *prof, struct resolved *r)
{
	bool ret = pt->kind == KIND_FUNC_RET, clone = false, found = false;
	bool any_loaded = false;
	enum iop_method tramp = ret ? METHOD_FEXIT : METHOD_FENTRY;
	enum iop_method kp = ret ? METHOD_KRETPROBE : METHOD_KPROBE;
	const struct cap *ct = &caps->c[ret ? CAP_FEXIT : CAP_FENTRY];
	const struct cap *ck = &caps->c[ret ? CAP_KRETPROBE : CAP_KPROBE];
	char alts[256], *save = NULL, first_mod[64] = "";

	snprintf(alts, sizeof(alts), "%s", pt->symbols);
	for (char *a = strtok_r(alts, "|", &save); a && !found; a = strtok_r(NULL, "|", &save)) {
		const char *mod = prof->module, *colon = strchr(a, ':');
		char modbuf[64];

		if (colon) {
			snprintf(modbuf, sizeof(modbuf), "%.*s", (int)(colon - a), a);
			mod = modbuf;
			a = (char *)colon + 1;
		}
		if (!first_mod[0])
			snprintf(first_mod, sizeof(first_mod), "%s", mod);
		if (kview_module_loaded(kv, mod))
			any_loaded = true;
		found = find_func(kv, mod, a, pt->flags & PF_CLONE_OK, r, &clone);
		if (!found && !r->symbol[0])
			snprintf(r->symbol, sizeof(r->symbol), "%s", a);
	}
	if (!found) {
		snprintf(r->module, sizeof(r->module), "%s", first_mod);
		if (!any_loaded)
			set_status(r, PST_NOT_APPLICABLE, "module %s not loaded", first_mod);
		else if (pt->flags & PF_MAY_INLINE)
			set_status(r, PST_INLINED, "no symbol in %s: inlined by the compiler",
				   first_mod);
		else
			set_status(r, PST_ABSENT, "no symbol %s in %s (kernel %s)", pt->symbols,
				   first_mod, kv->release);
		return;
	}
	if (resolve_denied(r->symbol)) {
		set_status(r, PST_DENIED, "on iopath's deny-list of functions never traced");
		return;
	}
	if (strset_get(&kv->blacklist, r->symbol, NULL) ||
	    (!strcmp(r->module, "vmlinux") && r->addr && kview_addr_in_noinstr(kv, r->addr))) {
		set_status(r, PST_NOT_PROBEABLE, "in noinstr/entry text: kprobes refuse it, no ftrace site");
		return;
	}
	/* Many like points (--deep): one kprobe.multi link for all of them, ids as cookies, where the
	 * kernel has it (5.18, commit 0dcac2725406 "bpf: Add multi kprobe link"; cookies in the same
	 * release) and the function an ftrace site (fprobe attaches through ftrace): attaching
	 * thousands takes one syscall instead of a trampoline each. */
	if ((pt->flags & PF_BULK) && !ret && !clone && method_allowed(o, kp) && ck->ok &&
	    caps->c[CAP_KPROBE_MULTI].ok && caps->c[CAP_COOKIE].ok) {
		char key[256];

		snprintf(key, sizeof(key), "%s:%s", r->module, r->symbol);
		if (kv->have_ftrace && strset_get(&kv->ftrace, key, NULL)) {
			r->method = kp;
			r->multi = true;
			set_status(r, PST_PLANNED, "kprobe.multi (one link for every --deep function)");
			return;
		}
	}
	/* fentry needs BTF for the function in its module's BTF, an ftrace
	 * site (when we can tell), and no GCC clone suffix. */
	/* The fentry template keys hits by bpf_get_func_ip (5.15+) and reads
	 * the queue argument with bpf_get_func_arg (5.17+); without them each
	 * point gets a clone with its id and argument indexes patched in. */
	/* x86 BPF trampolines of these kernels take at most 6 arguments
	 * (receive_buf has 7: attaching fails with ENOTSUPP). */
	if (!clone && method_allowed(o, tramp) && ct->ok && kview_has_btf(kv, r->module, r->symbol) &&
	    kview_nargs(kv, r->module, r->symbol) <= 6) {
		char key[256];
		bool helpers = caps->c[CAP_FUNC_IP].ok && caps->c[CAP_FUNC_ARG].ok;

		snprintf(key, sizeof(key), "%s:%s", r->module, r->symbol);
		if (!kv->have_ftrace || strset_get(&kv->ftrace, key, NULL)) {
			r->method = tramp;
			r->patched = !helpers;
			set_status(r, PST_PLANNED, "%s%s%s", method_name(tramp),
				   strcmp(r->module, "vmlinux") ? " (module BTF)" : "",
				   helpers ? "" : " (a clone of its own: no bpf_get_func_ip/arg)");
			return;
		}
	}
	/* kprobes carry the point id in the bpf_cookie (5.15+), else in a clone of their own */
	if (method_allowed(o, kp) && ck->ok) {
		char key[256];

		snprintf(key, sizeof(key), "%s:%s", r->module, r->symbol);
		r->method = kp;
		r->patched = !caps->c[CAP_COOKIE].ok;
		r->notrace = kv->have_ftrace && !strset_get(&kv->ftrace, key, NULL);
		set_status(r, PST_PLANNED, "%s%s%s", method_name(kp),
			   clone ? " (GCC clone: arguments unreliable)" : "",
			   r->patched ? " (a clone of its own: no bpf_cookie)" : "");
		return;
	}
	/* Say the real reason, measured. */
	if (o->force != METHOD_NONE && !method_allowed(o, kp) && !method_allowed(o, tramp))
		set_status(r, PST_UNAVAILABLE, "--method %s does not apply to functions",
			   method_name(o->force));
	else if (!ck->ok && !ct->ok)
		set_status(r, PST_UNAVAILABLE, "unavailable: kernel has no kprobes/fentry "
			   "(kprobe %s, fentry %s; see iopath env)", cap_short(ck), cap_short(ct));
	else if (!ck->ok && clone)
		set_status(r, PST_UNAVAILABLE, "only a GCC clone exists (%s): needs kprobes, "
			   "which this kernel lacks (%s)", r->symbol, ck->detail);
	else if (!ck->ok && method_allowed(o, kp) && o->force != METHOD_NONE)
		set_status(r, PST_UNAVAILABLE, "kprobes unavailable: %s", ck->detail);
	else if (!kview_has_btf(kv, r->module, r->symbol) && ck->ok)
		/* kprobes exist: only a --method that excludes them gets here */
		set_status(r, PST_UNAVAILABLE, "no BTF for %s in %s for fentry%s (--method %s excludes kprobes)",
			   r->symbol, r->module, strcmp(r->module, "vmlinux") ? " (kernel without module BTF)" : "",
			   method_name(o->force));
	else if (!kview_has_btf(kv, r->module, r->symbol))
		set_status(r, PST_UNAVAILABLE, "no BTF for %s in %s for fentry, and no kprobes (%s)",
			   r->symbol, r->module, ck->detail);
	else if (kv->have_ftrace && method_allowed(o, tramp))
		set_status(r, PST_UNAVAILABLE, "no ftrace site for fentry (notrace: kernel 'inline' "
			   "functions are notrace)%s", method_allowed(o, kp) ? "" : "; try --method kprobe");
	else
		set_status(r, PST_UNAVAILABLE, "fentry: %s; kprobe: %s", ct->detail, ck->detail);
}

/* Tracepoints whose arguments changed: on kernels where the prototype (from BTF) still has the
 * older arity, the documented arguments come arg_shift places later. Where BTF has no prototype
 * (a minimal BTF given with --btf, tools/min-btf.sh, keeps no btf_trace_ typedefs; a fixture's
 * lists), calibration's measurement (cap) decides; without one, the release, except in the
 * stable line that took the change too (stable_major.stable_minor), where it cannot tell. */
static const struct {
	const char *tp;
	int old_nargs, shift;
	int major, minor;       /* the release that changed it */
	int stable_major, stable_minor;
	enum cap_id cap;        /* yes: the older layout, measured by attaching (engine/calib.c) */
	const char *until;
} tp_layouts[] = {
	/* (q, rq) -> (rq): v5.11, commit a54895fa057c "block: remove the request_queue to argument
	 * request based tracepoints", and stable v5.10.137 (Debian 11's 5.10.0-46 has (rq)) */
	{ "block_rq_insert", 2, 1, 5, 11, 5, 10, CAP_BLK_RQ_Q, "(q, rq): before 5.11 and 5.10.137" },
	{ "block_rq_issue", 2, 1, 5, 11, 5, 10, CAP_BLK_RQ_Q, "(q, rq): before 5.11 and 5.10.137" },
};

/* Is release ("5.10.0-46-amd64") older than major.minor? false when it does not say. */
static bool release_before(const char *release, int major, int minor)
{
	int ma, mi;

	if (sscanf(release, "%d.%d", &ma, &mi) != 2)
		return false;
	return ma < major || (ma == major && mi < minor);
}

static bool release_is(const char *release, int major, int minor)
{
	int ma, mi;

	return sscanf(release, "%d.%d", &ma, &mi) == 2 && ma == major && mi == minor;
}

/* The layout from the prototype in BTF, else as measured, else by the release. false: it
 * cannot be known here (the point is then unavailable, saying why). */
static bool tp_layout(const struct kview *kv, const struct kcaps *caps, struct resolved *r)
{
	for (unsigned i = 0; i < sizeof(tp_layouts) / sizeof(tp_layouts[0]); i++) {
		const struct cap *c = &caps->c[tp_layouts[i].cap];
		bool old;
		int n;

		if (strcmp(r->symbol, tp_layouts[i].tp))
			continue;
		n = kview_tp_nargs(kv, r->symbol);
		if (n >= 0) {
			old = n == tp_layouts[i].old_nargs;
			if (old)
				snprintf(r->layout, sizeof(r->layout), "%s", tp_layouts[i].until);
		} else if (caps->measured && !c->unmeasured) {
			old = c->ok;
			snprintf(r->layout, sizeof(r->layout), "%s (measured: no prototype in BTF)",
				 old ? tp_layouts[i].until : "(rq)");
		} else if (release_is(kv->release, tp_layouts[i].stable_major, tp_layouts[i].stable_minor)) {
			snprintf(r->layout, sizeof(r->layout), "not known: no prototype in BTF, not "
				 "measured, and %d.%d may have either", tp_layouts[i].stable_major,
				 tp_layouts[i].stable_minor);
			return false;
		} else {
			old = release_before(kv->release, tp_layouts[i].major, tp_layouts[i].minor);
			if (old)
				snprintf(r->layout, sizeof(r->layout), "%s (by the release %.40s: no "
					 "prototype in BTF)", tp_layouts[i].until, kv->release);
		}
		if (old)
			r->arg_shift = tp_layouts[i].shift;
	}
	return true;
}

static void resolve_tp(const struct kview *kv, const struct kcaps *caps,
		       const struct resolve_opts *o, const struct probe_point *pt,
		       struct resolved *r)
{
	const char *colon = strchr(pt->symbols, ':');
	const char *mod;

	snprintf(r->tp_system, sizeof(r->tp_system), "%.*s", (int)(colon - pt->symbols), pt->symbols);
	snprintf(r->symbol, sizeof(r->symbol), "%s", colon + 1);
	mod = tp_system_module(r->tp_system);
	snprintf(r->module, sizeof(r->module), "%s", mod);
	if (kv->have_tps && !strset_get(&kv->tps, r->symbol, NULL)) {
		if (strcmp(mod, "vmlinux") && !kview_module_loaded(kv, mod))
			set_status(r, PST_NOT_APPLICABLE, "module %s not loaded", mod);
		else
			set_status(r, PST_ABSENT, "no tracepoint %s:%s in this kernel",
				   r->tp_system, r->symbol);
		return;
	}
	if (!tp_layout(kv, caps, r)) {
		set_status(r, PST_UNAVAILABLE, "arguments %s", r->layout);
		return;
	}
	if (method_allowed(o, METHOD_TP_BTF) && caps->c[CAP_TP_BTF].ok && kv->have_tps) {
		r->method = METHOD_TP_BTF;
		set_status(r, PST_PLANNED, "tp_btf%s%s", r->layout[0] ? "; arguments " : "", r->layout);
	} else if (method_allowed(o, METHOD_RAW_TP) && caps->c[CAP_RAW_TP].ok) {
		r->method = METHOD_RAW_TP;
		set_status(r, PST_PLANNED, "raw_tp%s%s", r->layout[0] ? "; arguments " : "", r->layout);
	} else if (o->force == METHOD_KPROBE || o->force == METHOD_FENTRY) {
		/* forcing a function method leaves tracepoints out on purpose */
		set_status(r, PST_NOT_APPLICABLE, "--method %s: tracepoints left out",
			   method_name(o->force));
	} else {
		set_status(r, PST_UNAVAILABLE, "no tp_btf (%s) and no raw_tp (%s)",
			   caps->c[CAP_TP_BTF].detail, caps->c[CAP_RAW_TP].detail);
	}
}

void resolve_point(const struct kview *kv, const struct kcaps *caps,
		   const struct resolve_opts *o, const struct probe_point *pt,
		   struct resolved *r)
{
	const struct profile *prof = profile_find(pt->profile);

	memset(r, 0, sizeof(*r));
	r->pt = pt;
	if (!prof) {
		set_status(r, PST_FAILED, "profile %s missing from the table", pt->profile);
		r->err = -EINVAL;
		return;
	}
	if (!o->all_platforms && !(prof->platforms & o->platform)) {
		const char *colon = pt->kind == KIND_TP ? strchr(pt->symbols, ':') : NULL;

		if (colon) {
			snprintf(r->tp_system, sizeof(r->tp_system), "%.*s",
				 (int)(colon - pt->symbols), pt->symbols);
			snprintf(r->symbol, sizeof(r->symbol), "%s", colon + 1);
		} else {
			snprintf(r->symbol, sizeof(r->symbol), "%s", pt->symbols);
		}
		snprintf(r->module, sizeof(r->module), "%s", prof->module);
		set_status(r, PST_NOT_APPLICABLE, "profile %s is for %s", prof->name,
			   platforms_text(prof->platforms));
		return;
	}
	if (pt->kind == KIND_TP)
		resolve_tp(kv, caps, o, pt, r);
	else
		resolve_func(kv, caps, o, pt, prof, r);
}
