#include "engine/attach.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "engine/globals.h"
#include "engine/kmulti.h"
#include "engine/maps.h"
#include "engine/patch.h"
#include "engine/samples.h"
#include "engine/skel.h"
#include "kernel/kbtf.h"
#include "util/util.h"

struct modbtf {
	char name[64];
	int fd;            /* kernel BTF object fd, for attach_btf_obj_fd */
	struct btf *btf;   /* split on vmlinux */
};

static const char *const tp_names[TP__COUNT] = {
#define IOP_TP_NAME(sys, name) [TP_##name] = #name,
	IOP_TRACEPOINTS(IOP_TP_NAME)
#undef IOP_TP_NAME
};

int tp_index(const char *name)
{
	for (int i = 0; i < TP__COUNT; i++)
		if (!strcmp(tp_names[i], name))
			return i;
	return -1;
}

static struct bpf_program *tp_prog(struct engine *e, const struct resolved *r)
{
	char pname[160];

	snprintf(pname, sizeof(pname), "%s_%s", r->method == METHOD_TP_BTF ? "tpb" : "rtp",
		 r->symbol);
	return bpf_object__find_program_by_name(e->skel->obj, pname);
}

static void fail(struct resolved *r, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void fail(struct resolved *r, int err, const char *fmt, ...)
{
	va_list ap;

	r->status = PST_FAILED;
	r->err = err;
	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
}

/* Sets autoload for exactly the programs the planned points need. */
static void select_programs(struct engine *e)
{
	struct bpf_program *p;
	bool need[METHOD__COUNT] = {}, need_k[METHOD__COUNT] = {}, multi = false;

	bpf_object__for_each_program(p, e->skel->obj)
		bpf_program__set_autoload(p, false);
	for (unsigned i = 0; i < e->n; i++) {
		struct resolved *r = &e->pts[i];

		if (r->status != PST_PLANNED)
			continue;
		if (r->patched)
			need_k[r->method] = true;
		else
			need[r->method] = true;   /* multi points too: a refused batch goes by iop_kprobe */
		if (r->multi)
			multi = true;
		if (r->pt->kind == KIND_TP) {
			p = tp_prog(e, r);
			if (!p)
				fail(r, -ENOENT, "iopath has no handler for tracepoint %s", r->symbol);
			else
				bpf_program__set_autoload(p, true);
		}
	}
	bpf_program__set_autoload(e->skel->progs.iop_kprobe, need[METHOD_KPROBE]);
	bpf_program__set_autoload(e->skel->progs.iop_kretprobe, need[METHOD_KRETPROBE]);
	bpf_program__set_autoload(e->skel->progs.iop_kprobe_multi, multi);
	bpf_program__set_autoload(e->skel->progs.iop_fentry, need[METHOD_FENTRY]);
	bpf_program__set_autoload(e->skel->progs.iop_fexit, need[METHOD_FEXIT]);
	/* the templates of cookie-less clones (attach_tracing, attach_kprobe) */
	bpf_program__set_autoload(e->skel->progs.iop_kprobe_k, need_k[METHOD_KPROBE]);
	bpf_program__set_autoload(e->skel->progs.iop_kretprobe_k, need_k[METHOD_KRETPROBE]);
	bpf_program__set_autoload(e->skel->progs.iop_fentry_k, need_k[METHOD_FENTRY]);
	bpf_program__set_autoload(e->skel->progs.iop_fexit_k, need_k[METHOD_FEXIT]);
}

/* A load failure takes the whole object down; fall back per family
 * (tp_btf -> raw_tp, fentry/fexit -> kprobes) and say why on each point. */
static bool downgrade(struct engine *e, int err)
{
	bool changed = false;

	for (unsigned i = 0; i < e->n; i++) {
		struct resolved *r = &e->pts[i];

		if (r->status != PST_PLANNED)
			continue;
		if (r->multi) {
			/* the kprobe.multi program did not load, or took the object down with it */
			r->multi = false;
			snprintf(r->reason, sizeof(r->reason), "kprobe (the load with kprobe.multi failed: %s)",
				 strerror(-err));
			changed = true;
		} else if (r->method == METHOD_TP_BTF && e->caps->c[CAP_RAW_TP].ok) {
			r->method = METHOD_RAW_TP;
			snprintf(r->reason, sizeof(r->reason), "raw_tp (tp_btf load failed: %s)",
				 strerror(-err));
			changed = true;
		} else if ((r->method == METHOD_FENTRY || r->method == METHOD_FEXIT) &&
			   e->caps->c[CAP_KPROBE].ok) {
			r->method = r->method == METHOD_FENTRY ? METHOD_KPROBE : METHOD_KRETPROBE;
			r->patched = !e->caps->c[CAP_COOKIE].ok;
			snprintf(r->reason, sizeof(r->reason), "%s (fentry template load failed: %s)",
				 method_name(r->method), strerror(-err));
			changed = true;
		}
	}
	return changed;
}

/* Module BTF is listed with BPF_BTF_GET_NEXT_ID, which needs CAP_SYS_ADMIN (CAP_BPF is not
 * enough); libbpf's CO-RE looks there for the driver-private structs (bpf/lib/driver_types.h,
 * paths/host.h) and fails the whole load on EPERM. Without it the object is opened with vmlinux
 * BTF as the only CO-RE target: those structs then read as absent (every use is guarded by
 * bpf_core_type_exists), and what that costs is said once (no_module_btf). */
static bool module_btf_listable(void)
{
	__u32 id = 0;

	return !bpf_btf_get_next_id(0, &id) || errno != EPERM;
}

/* The module structs BPF reads through CO-RE (bpf/lib/points.h read_queue, bpf/paths/host.h):
 * without module BTF they are read only if the one file CO-RE goes against has them (the
 * built-in BTF does where the kernel's modules carry BTF: tools/embed-btf.sh). */
static const struct { unsigned char qx; const char *st; } queue_structs[] = {
	{ QX_VIRTNET_SQ, "send_queue" }, { QX_VIRTNET_RQ, "receive_queue" },
	{ QX_NVME_QUEUE, "nvme_queue" }, { QX_NETFRONT_QUEUE, "netfront_queue" },
};
static const char *const host_structs[] = { "vcpu_vmx", "vcpu_svm", "kvm_kernel_irqfd", "vhost_virtqueue" };

static bool btf_lacks(const struct btf *btf, const char *st)
{
	return !btf || btf__find_by_name_kind(btf, st, BTF_KIND_STRUCT) < 0;
}

/* Says what goes unmeasured for want of module structs in the BTF CO-RE reads. */
static void no_module_btf(struct engine *e, bool host, const char *why)
{
	struct btf *btf = kbtf_load();
	char miss[256] = "";
	size_t at = 0;
	bool hostmiss = false;

	for (size_t q = 0; q < NELEM(queue_structs); q++) {
		bool used = false;

		for (unsigned i = 0; i < e->n && !used; i++)
			used = e->pts[i].status == PST_PLANNED && e->pts[i].pt->qx == queue_structs[q].qx;
		if (used && btf_lacks(btf, queue_structs[q].st) && at < sizeof(miss))
			at += snprintf(miss + at, sizeof(miss) - at, " %s", queue_structs[q].st);
	}
	for (size_t h = 0; host && h < NELEM(host_structs); h++)
		hostmiss |= btf_lacks(btf, host_structs[h]);
	if (at || hostmiss) {
		snprintf(e->btf_unmeasured, sizeof(e->btf_unmeasured), "%s%s%s%s%s (%s, and it has not "
			 "every module struct iopath reads)",
			 at ? "queue numbers at driver points (no struct" : "", miss, at ? ")" : "",
			 at && hostmiss ? "; " : "",
			 hostmiss ? "KVM exit reason names, irqfd and vhost attribution" : "", why);
		iop_warn("not measured: %s", e->btf_unmeasured);
	}
	btf__free(btf);
}

int engine_load(struct engine *e, struct resolved *pts, unsigned n, const struct kcaps *caps,
		const struct engine_opts *o)
{
	/* CO-RE against a --btf file (kernel/kbtf.h), else the kernel's own BTF: with its module
	 * BTF when that can be listed, else vmlinux alone (a custom path makes libbpf skip module
	 * BTF, see module_btf_listable) */
	const char *given = kbtf_custom_path();
	LIBBPF_OPTS(bpf_object_open_opts, oo);
	const struct net_opts *net = o ? o->net : NULL;
	const struct blk_opts *blk = o ? o->blk : NULL;
	unsigned long long t0 = now_ns();
	bool modbtf;
	int err;

	memset(e, 0, sizeof(*e));
	e->pts = pts;
	e->n = n;
	e->caps = caps;
	if (n >= IOP_MAX_POINTS) {
		iop_err("%u probe points exceed the limit of %d", n, IOP_MAX_POINTS - 1);
		return -E2BIG;
	}
	e->att = calloc(n ? n : 1, sizeof(*e->att));
	if (!e->att)
		return -ENOMEM;
	for (unsigned i = 0; i < n; i++) {
		pts[i].id = i + 1;
		e->att[i].prog_fd = e->att[i].link_fd = -1;
	}
	modbtf = !given && module_btf_listable();
	oo.btf_custom_path = given ? given : modbtf ? NULL : KBTF_KERNEL;
	for (int attempt = 0;; attempt++) {
		e->skel = iopath_bpf__open_opts(&oo);
		if (!e->skel) {
			err = -errno;
			iop_err("cannot open BPF object: %s", strerror(-err));
			return err;
		}
		select_programs(e);
		if (net) {
			e->skel->rodata->net_on = true;
			memcpy((void *)&e->skel->rodata->net_opts, net, sizeof(*net));
		}
		if (blk) {
			e->skel->rodata->blk_on = true;
			memcpy((void *)&e->skel->rodata->blk_opts, blk, sizeof(*blk));
		}
		/* block_rq_insert/issue's request argument: resolve found the prototype in BTF */
		for (unsigned i = 0; i < n; i++)
			if (pts[i].arg_shift && pts[i].pt->kind == KIND_TP && !strncmp(pts[i].symbol, "block_rq_", 9))
				e->skel->rodata->blk_rq_after_q = true;
		if (o && o->exits)
			e->skel->rodata->exits_on = true;
		e->tasks_on = o && o->tasks;
		if (e->tasks_on)
			e->skel->rodata->tasks_on = true;
		else   /* preallocated; without traced tasks nothing reads it */
			bpf_map__set_max_entries(e->skel->maps.ex_tasks, 1);
		if (o && o->stacks)
			e->skel->rodata->stacks_on = true;
		else   /* its entries are preallocated, about 1 KB each */
			bpf_map__set_max_entries(e->skel->maps.point_stacks, 1);
		if (o && o->host)
			e->skel->rodata->host_on = true;
		if (o && o->test_hooks)
			bpf_program__set_autoload(e->skel->progs.iop_test_func, true);
		/* on every load, with the net path or not: a kernel without the ring buffer
		 * cannot create the declared one */
		e->perfbuf = samples_use_perfbuf(caps);
		e->skel->rodata->samples_perfbuf = e->perfbuf;
		err = samples_prepare(e->skel->maps.net_paths, e->perfbuf);
		if (!err)
			err = globals_prepare(e->skel->obj, caps->c[CAP_ARRAY_MMAP].ok);
		if (!err)
			err = iopath_bpf__load(e->skel);
		if (!err)
			err = engine_globals_loaded(e);
		if (!err)
			break;
		iopath_bpf__destroy(e->skel);
		e->skel = NULL;
		if (attempt >= 2 || !downgrade(e, err)) {
			/* a minimal BTF made from another build's objects lacks types this one reads */
			iop_err("cannot load BPF programs: %s (run with -v for the verifier log)%s%s%s",
				strerror(-err), given ? "; " : "", given ? kbtf_given_what() : "",
				given ? ": is it this kernel's, and if minimal, made from this build's BPF "
				"objects (tools/min-btf.sh, tools/embed-btf.sh)?" : "");
			for (unsigned i = 0; i < n; i++)
				if (pts[i].status == PST_PLANNED)
					fail(&pts[i], err, "BPF load failed: %s", strerror(-err));
			return err;
		}
		iop_warn("BPF load failed (%s); retrying with fallback methods", strerror(-err));
	}
	if (!modbtf)
		no_module_btf(e, o && o->host, given ? "a given BTF (--btf, or the built-in one): CO-RE "
			      "goes against that file alone, without module BTF" :
			      "module BTF cannot be listed without CAP_SYS_ADMIN");
	/* Per point configuration for the BPF side. */
	for (unsigned i = 0; i < n; i++) {
		struct resolved *r = &pts[i];
		struct iop_point_cfg cfg = {
			.role = r->pt->role, .path = r->pt->path, .ident = r->pt->ident,
			.id_arg = r->pt->id_arg >= 0 ? r->pt->id_arg + r->arg_shift : -1, .kind = r->pt->kind,
			.q_arg = r->pt->q_arg >= 0 ? r->pt->q_arg + r->arg_shift : -1, .qx = r->pt->qx,
			.exk = r->pt->path != PATH_EXIT && point_charged_kind(r->pt) >= 0 ?
			       1 + point_charged_kind(r->pt) : 0,
		};
		__u32 id = r->id;

		if (r->status != PST_PLANNED)
			continue;
		bpf_map__update_elem(e->skel->maps.point_cfg, &id, sizeof(id), &cfg, sizeof(cfg), 0);
		if (r->pt->kind == KIND_TP) {
			int tp = tp_index(r->symbol);
			__u32 key = tp;

			if (tp >= 0)
				bpf_map__update_elem(e->skel->maps.tp_point, &key, sizeof(key),
						     &id, sizeof(id), 0);
		}
	}
	e->load_ms = (now_ns() - t0) / 1e6;
	return 0;
}

/* Kernel BTF object of a module: fd for attach_btf_obj_fd and its split BTF
 * to find the function's type id. */
static struct modbtf *module_btf(struct engine *e, const char *mod)
{
	__u32 id = 0;

	for (unsigned i = 0; i < e->nmods; i++)
		if (!strcmp(e->mods[i].name, mod))
			return e->mods[i].fd >= 0 ? &e->mods[i] : NULL;
	while (!bpf_btf_get_next_id(id, &id)) {
		char name[64] = "";
		struct bpf_btf_info info = {};
		__u32 len = sizeof(info);
		int fd = bpf_btf_get_fd_by_id(id);

		if (fd < 0)
			continue;
		info.name = (unsigned long)name;
		info.name_len = sizeof(name);
		if (bpf_obj_get_info_by_fd(fd, &info, &len) || !info.kernel_btf || strcmp(name, mod)) {
			close(fd);
			continue;
		}
		struct modbtf *m = realloc(e->mods, (e->nmods + 1) * sizeof(*m));

		if (!m) {
			close(fd);
			return NULL;
		}
		e->mods = m;
		m = &e->mods[e->nmods++];
		snprintf(m->name, sizeof(m->name), "%s", mod);
		m->fd = fd;
		m->btf = btf__load_from_kernel_by_id_split(id, e->vmlinux_btf);
		if (!m->btf) {
			close(fd);
			m->fd = -1;
			return NULL;
		}
		return m;
	}
	return NULL;
}

/* fentry/fexit: clone the loaded template's final instructions into a new
 * program whose attach target is this point's function. */
/* A cookie-less clone's instructions: the template's, with this point's values (patch.h). */
static int patched_insns(const struct resolved *r, const struct bpf_program *tmpl,
			 struct bpf_insn **out, char *why, size_t whylen)
{
	const struct probe_point *pt = r->pt;
	struct patch_vals v = {
		.id = r->id,
		.id_arg = pt->id_arg >= 0 ? (unsigned)(pt->id_arg + r->arg_shift) : IOP_PATCH_NONE,
		.q_arg = pt->qx && pt->q_arg >= 0 ? (unsigned)(pt->q_arg + r->arg_shift) : IOP_PATCH_NONE,
		/* irqfd_wakeup(wait, mode, sync, key): the key, see host_func */
		.host_arg = pt->role == ROLE_HOST_IRQFD ? 3 : IOP_PATCH_NONE,
	};

	return insns_clone_patched(bpf_program__insns(tmpl), bpf_program__insn_cnt(tmpl), &v, out,
				   why, whylen);
}

static int attach_tracing(struct engine *e, struct resolved *r, struct attached *a)
{
	struct bpf_program *tmpl = r->method == METHOD_FENTRY ?
		(r->patched ? e->skel->progs.iop_fentry_k : e->skel->progs.iop_fentry) :
		(r->patched ? e->skel->progs.iop_fexit_k : e->skel->progs.iop_fexit);
	struct bpf_insn *insns = NULL;
	LIBBPF_OPTS(bpf_prog_load_opts, po,
		    .expected_attach_type = r->method == METHOD_FENTRY ? BPF_TRACE_FENTRY :
								   BPF_TRACE_FEXIT);
	const struct btf *btf = e->vmlinux_btf;
	/* same key as func_hit(): fexit one byte past the function's address */
	__u64 ip = r->addr + e->caps->fentry_ip_off + (r->method == METHOD_FEXIT ? 1 : 0);
	__u32 id = r->id;
	char log[4096];
	int tid, err;

	/* the kernel's own BTF, never a --btf file: attach_btf_id is an id of the kernel's BTF
	 * (a minimal BTF numbers its few types anew); without it calibration finds no fentry */
	if (!e->vmlinux_btf) {
		e->vmlinux_btf = btf__load_vmlinux_btf();
		if (!e->vmlinux_btf)
			return -errno;
		btf = e->vmlinux_btf;
	}
	if (strcmp(r->module, "vmlinux")) {
		struct modbtf *m = module_btf(e, r->module);

		if (!m)   /* not there, or not listable (EPERM: no CAP_SYS_ADMIN) */
			return module_btf_listable() ? -ENOENT : -EPERM;
		btf = m->btf;
		po.attach_btf_obj_fd = m->fd;
	}
	tid = btf__find_by_name_kind(btf, r->symbol, BTF_KIND_FUNC);
	if (tid < 0)
		return -ENOENT;
	if (!r->addr && !r->patched)
		return -EADDRNOTAVAIL; /* kallsyms hid addresses: no way to key hits */
	po.attach_btf_id = tid;
	if (iop_verbose) {
		po.log_buf = log;
		po.log_size = sizeof(log);
		po.log_level = 1;
	}
	if (r->patched) {
		char why[120];

		err = patched_insns(r, tmpl, &insns, why, sizeof(why));
		if (err) {
			iop_warn("%s: %s", r->symbol, why);
			return err;
		}
	}
	a->prog_fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, bpf_program__name(tmpl), "GPL",
				   insns ? insns : bpf_program__insns(tmpl),
				   bpf_program__insn_cnt(tmpl), &po);
	err = a->prog_fd < 0 ? -errno : 0;
	free(insns);
	if (err) {
		if (iop_verbose)
			fprintf(stderr, "%s\n", log);
		return err;
	}
	/* a clone of its own knows its point; the shared template looks it up by address */
	if (!r->patched &&
	    bpf_map__update_elem(e->skel->maps.ip_point, &ip, sizeof(ip), &id, sizeof(id), 0))
		return -errno;
	a->link_fd = bpf_raw_tracepoint_open(NULL, a->prog_fd);
	if (a->link_fd < 0)
		return -errno;
	return 0;
}

/* The kprobe PMU's type and the bit of its retprobe flag (format/retprobe: "config:0"). */
static int kprobe_pmu(int *type, int *retbit)
{
	char buf[64];
	FILE *f = fopen("/sys/bus/event_source/devices/kprobe/type", "r");
	int ok = f && fscanf(f, "%d", type) == 1;

	if (f)
		fclose(f);
	if (!ok)
		return -ENOENT;
	f = fopen("/sys/bus/event_source/devices/kprobe/format/retprobe", "r");
	ok = f && fgets(buf, sizeof(buf), f) && sscanf(buf, "config:%d", retbit) == 1;
	if (f)
		fclose(f);
	return ok ? 0 : -ENOENT;
}

/* A cookie-less kprobe clone: the patched copy of the template, put on a kprobe perf event
 * of the kprobe PMU (4.17+) by name, or by address when the name is ambiguous. The perf
 * event fd is the attachment: closing it detaches (a->link_fd). */
static int attach_kprobe_patched(struct engine *e, struct resolved *r, struct attached *a,
				 const char *name)
{
	struct bpf_program *tmpl = r->method == METHOD_KPROBE ? e->skel->progs.iop_kprobe_k :
				 e->skel->progs.iop_kretprobe_k;
	LIBBPF_OPTS(bpf_prog_load_opts, po);
	struct perf_event_attr pa = { .size = sizeof(pa) };
	struct bpf_insn *insns;
	char why[120];
	int type, retbit, err;

	err = kprobe_pmu(&type, &retbit);
	if (err)
		return err;
	err = patched_insns(r, tmpl, &insns, why, sizeof(why));
	if (err) {
		iop_warn("%s: %s", r->symbol, why);
		return err;
	}
	a->prog_fd = bpf_prog_load(BPF_PROG_TYPE_KPROBE, bpf_program__name(tmpl), "GPL", insns,
				   bpf_program__insn_cnt(tmpl), &po);
	err = a->prog_fd < 0 ? -errno : 0;
	free(insns);
	if (err)
		return err;
	pa.type = type;
	pa.config = r->method == METHOD_KRETPROBE ? 1ull << retbit : 0;
	for (int by_addr = 0; by_addr < 2; by_addr++) {
		if (by_addr && !r->addr)
			break;
		pa.config1 = by_addr ? 0 : (unsigned long long)(unsigned long)name;   /* kprobe_func */
		pa.config2 = by_addr ? r->addr : 0;                                   /* kprobe_addr / offset */
		a->link_fd = syscall(__NR_perf_event_open, &pa, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
		if (a->link_fd >= 0)
			break;
		err = -errno;
		/* several symbols with this name (as in attach_kprobe): by address instead */
		if (err != -EADDRNOTAVAIL && err != -EINVAL && err != -ENOENT)
			return err;
	}
	if (a->link_fd < 0)
		return err;
	if (ioctl(a->link_fd, PERF_EVENT_IOC_SET_BPF, a->prog_fd) ||
	    ioctl(a->link_fd, PERF_EVENT_IOC_ENABLE, 0))
		return -errno;
	return 0;
}

static int attach_kprobe(struct engine *e, struct resolved *r, struct attached *a)
{
	struct bpf_program *p = r->method == METHOD_KPROBE ? e->skel->progs.iop_kprobe :
			      e->skel->progs.iop_kretprobe;
	LIBBPF_OPTS(bpf_kprobe_opts, ko, .bpf_cookie = r->id,
		    .retprobe = r->method == METHOD_KRETPROBE);
	char name[200];

	/* Module functions are named "mod:sym" so a name shared with another
	 * module (virtio_net's and dl2k's start_xmit) picks the right one. */
	if (strcmp(r->module, "vmlinux"))
		snprintf(name, sizeof(name), "%s:%s", r->module, r->symbol);
	else
		snprintf(name, sizeof(name), "%s", r->symbol);
	if (r->patched)
		return attach_kprobe_patched(e, r, a, name);
	a->link = bpf_program__attach_kprobe_opts(p, name, &ko);
	if (a->link)
		return 0;
	/* Several vmlinux symbols with this name: the kernel refuses a name
	 * (EADDRNOTAVAIL); attach by the address we resolved instead. */
	if ((errno == EADDRNOTAVAIL || errno == EINVAL) && r->addr) {
		ko.offset = r->addr;
		a->link = bpf_program__attach_kprobe_opts(p, NULL, &ko);
		if (a->link)
			return 0;
	}
	return -errno;
}

int engine_attach(struct engine *e)
{
	unsigned long long t0 = now_ns();

	kmulti_attach(e);   /* the multi points together first; a refused batch goes point by point */

	for (unsigned i = 0; i < e->n; i++) {
		struct resolved *r = &e->pts[i];
		struct attached *a = &e->att[i];
		unsigned long long t1 = now_ns();
		int err = 0;

		if (r->status != PST_PLANNED)
			continue;
		switch (r->method) {
		case METHOD_KPROBE:
		case METHOD_KRETPROBE:
			err = attach_kprobe(e, r, a);
			break;
		case METHOD_FENTRY:
		case METHOD_FEXIT:
			err = attach_tracing(e, r, a);
			break;
		case METHOD_TP_BTF:
		case METHOD_RAW_TP: {
			struct bpf_program *p = tp_prog(e, r);

			a->link = p ? bpf_program__attach(p) : NULL;
			err = a->link ? 0 : (p ? -errno : -ENOENT);
			break;
		}
		default:
			err = -EINVAL;
		}
		r->attach_ms = (now_ns() - t1) / 1e6;
		if (err) {
			const char *en = strerrorname_np(-err);

			fail(r, err, "%s attach failed: %s%s%s%s%s", method_name(r->method),
			     err == -524 ? "not supported by the kernel for this function" : strerror(-err),
			     en ? " (" : "", en ? en : "", en ? ")" : "",
			     r->notrace && err == -EINVAL ? "; no ftrace site (notrace): trace_kprobe "
			     "refuses it without CONFIG_KPROBE_EVENTS_ON_NOTRACE" : "");
			e->failed++;
		} else {
			r->status = PST_ATTACHED;
			e->attached++;
		}
	}
	e->attach_ms = (now_ns() - t0) / 1e6;
	return 0;
}

void engine_pause(struct engine *e)
{
	if (e->paused)
		return;
	kmulti_detach(e);
	for (unsigned i = 0; i < e->n; i++) {
		struct attached *a = &e->att[i];

		if (e->pts[i].status != PST_ATTACHED)
			continue;
		if (a->link) {
			bpf_link__destroy(a->link);
			a->link = NULL;
		} else if (e->pts[i].patched && a->link_fd >= 0) {
			ioctl(a->link_fd, PERF_EVENT_IOC_DISABLE, 0);   /* a kprobe's perf event */
		} else if (a->link_fd >= 0) {
			close(a->link_fd);                              /* an fentry/fexit clone's link */
			a->link_fd = -1;
		}
	}
	e->paused = true;
}

/* The maps that hold what is in flight between two events (paths/net.h pkts and net_cpu,
 * paths/blk.h rqs and blk_cpu, paths/exits.h ex_cpu, the clones' nesting guard); aggregates,
 * configuration and the traced tasks stay. */
static void clear_inflight(struct engine *e)
{
	const struct bpf_map *m[] = { e->skel->maps.pkts, e->skel->maps.net_cpu, e->skel->maps.rqs,
				      e->skel->maps.blk_cpu, e->skel->maps.ex_cpu, e->skel->maps.k_nest };

	for (unsigned i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		int err = engine_map_clear(m[i]);

		if (err)
			iop_warn("budget window: cannot clear %s: %s (its stale entries may join two lives "
				 "of one address)", bpf_map__name(m[i]), strerror(-err));
	}
}

unsigned engine_resume(struct engine *e)
{
	unsigned lost = 0;
	int multi_err;

	if (!e->paused)
		return 0;
	clear_inflight(e);
	multi_err = kmulti_reattach(e);
	for (unsigned i = 0; i < e->n; i++) {
		struct resolved *r = &e->pts[i];
		struct attached *a = &e->att[i];
		int err = 0;

		if (r->status != PST_ATTACHED)
			continue;
		if (r->multi)
			err = multi_err;
		else switch (r->method) {
		case METHOD_KPROBE:
		case METHOD_KRETPROBE:
			if (r->patched)
				err = ioctl(a->link_fd, PERF_EVENT_IOC_ENABLE, 0) ? -errno : 0;
			else
				err = attach_kprobe(e, r, a);
			break;
		case METHOD_FENTRY:
		case METHOD_FEXIT:
			a->link_fd = bpf_raw_tracepoint_open(NULL, a->prog_fd);
			err = a->link_fd < 0 ? -errno : 0;
			break;
		default: {
			struct bpf_program *p = tp_prog(e, r);

			a->link = p ? bpf_program__attach(p) : NULL;
			err = a->link ? 0 : (p ? -errno : -ENOENT);
		}
		}
		if (err) {
			fail(r, err, "attached, then lost at the end of a --budget pause: %s", strerror(-err));
			e->attached--;
			e->failed++;
			lost++;
		}
	}
	e->paused = false;
	return lost;
}

int engine_task_add(struct engine *e, unsigned tgid)
{
	__u32 k = tgid;
	__u8 one = 1;

	if (!e->skel || !e->tasks_on)
		return -EINVAL;
	return bpf_map__update_elem(e->skel->maps.ex_tasks, &k, sizeof(k), &one, sizeof(one), BPF_ANY);
}

void engine_close(struct engine *e)
{
	kmulti_close(e);
	for (unsigned i = 0; e->att && i < e->n; i++) {
		bpf_link__destroy(e->att[i].link);
		if (e->att[i].link_fd >= 0)
			close(e->att[i].link_fd);
		if (e->att[i].prog_fd >= 0)
			close(e->att[i].prog_fd);
	}
	for (unsigned i = 0; i < e->nmods; i++) {
		btf__free(e->mods[i].btf);
		if (e->mods[i].fd >= 0)
			close(e->mods[i].fd);
	}
	free(e->mods);
	btf__free(e->vmlinux_btf);
	free(e->att);
	free(e->bss_copy);
	if (e->skel)
		iopath_bpf__destroy(e->skel);
	memset(e, 0, sizeof(*e));
}
