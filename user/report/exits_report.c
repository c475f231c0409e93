#include "report/exits_report.h"
#include "report/common.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "out/hist.h"
#include "engine/globals.h"
#include "engine/skel.h"
#include "out/json.h"
#include "kernel/profiles.h"
#include "report/exitmodel.h"
#include "report/taskrows.h"
#include "util/util.h"

const char *const softirq_names[EX_NR_SOFTIRQS] = {
	"HI", "TIMER", "NET_TX", "NET_RX", "BLOCK", "IRQ_POLL", "TASKLET", "SCHED", "HRTIMER", "RCU",
};

int softirqs_parse(const char *path, unsigned long long out[EX_NR_SOFTIRQS])
{
	FILE *f = fopen(path, "re");
	char line[4096];

	memset(out, 0, sizeof(out[0]) * EX_NR_SOFTIRQS);
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':'), *name = line, *p;

		if (!colon)
			continue;
		*colon = 0;
		while (*name == ' ')
			name++;
		for (int v = 0; v < EX_NR_SOFTIRQS; v++) {
			if (strcmp(name, softirq_names[v]))
				continue;
			p = colon + 1;
			for (;;) {
				char *end;
				unsigned long long c = strtoull(p, &end, 10);

				if (end == p)
					break;
				out[v] += c;
				p = end;
			}
		}
	}
	fclose(f);
	return 0;
}

int stat_steal(const char *path, unsigned long long *steal, int max)
{
	FILE *f = fopen(path, "re");
	char line[1024];
	int n = 0;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long v[8];
		int cpu;

		/* "cpuN user nice system idle iowait irq softirq steal ..." */
		if (strncmp(line, "cpu", 3) || line[3] < '0' || line[3] > '9')
			continue;
		if (sscanf(line, "cpu%d %llu %llu %llu %llu %llu %llu %llu %llu", &cpu, &v[0], &v[1], &v[2],
			   &v[3], &v[4], &v[5], &v[6], &v[7]) != 9 || cpu < 0 || cpu >= max)
			continue;
		steal[cpu] = v[7];
		if (cpu + 1 > n)
			n = cpu + 1;
	}
	fclose(f);
	return n;
}

/* The MSRs guests write and hosts see exits for, by name (guest and host reports alike). */
const char *msr_name(unsigned msr)
{
	switch (msr) {
	case 0x10: return "IA32_TSC";
	case 0x1b: return "IA32_APIC_BASE";
	case 0x3a: return "IA32_FEATURE_CONTROL";
	case 0x48: return "IA32_SPEC_CTRL";
	case 0x49: return "IA32_PRED_CMD";
	case 0x8b: return "IA32_BIOS_SIGN_ID (microcode)";
	case 0xe7: return "IA32_MPERF";
	case 0xe8: return "IA32_APERF";
	case 0x10a: return "IA32_ARCH_CAPABILITIES";
	case 0x10b: return "IA32_FLUSH_CMD";
	case 0x174: return "IA32_SYSENTER_CS";
	case 0x175: return "IA32_SYSENTER_ESP";
	case 0x176: return "IA32_SYSENTER_EIP";
	case 0x1a0: return "IA32_MISC_ENABLE";
	case 0x277: return "IA32_PAT";
	case 0x6e0: return "IA32_TSC_DEADLINE";
	case 0x802: return "x2APIC ID";
	case 0x808: return "x2APIC TPR";
	case 0x80b: return "x2APIC EOI";
	case 0x80f: return "x2APIC SVR";
	case 0x830: return "x2APIC ICR";
	case 0x832: return "x2APIC LVT timer";
	case 0x838: return "x2APIC TMICT";
	case 0x83e: return "x2APIC TDCR";
	case 0x83f: return "x2APIC SELF_IPI";
	case 0x4b564d00: return "KVM wall clock";
	case 0x4b564d01: return "KVM system time";
	case 0x4b564d02: return "KVM steal time";
	case 0x4b564d03: return "KVM async PF";
	case 0x4b564d04: return "KVM PV EOI";
	case 0x4b564d05: return "KVM poll control";
	case 0xc0000080: return "EFER";
	case 0xc0000081: return "STAR";
	case 0xc0000082: return "LSTAR";
	case 0xc0000084: return "SFMASK";
	case 0xc0000100: return "FS_BASE";
	case 0xc0000101: return "GS_BASE";
	case 0xc0000102: return "KERNEL_GS_BASE";
	case 0xc0000103: return "TSC_AUX";
	case 0xc0010015: return "AMD HWCR";
	case 0xc0010117: return "VM_HSAVE_PA";
	}
	return NULL;
}

static int snapshot(struct exits_report *r, bool end)
{
	int err = procirq_parse("/proc/interrupts", end ? &r->after : &r->before);

	if (err)
		return err;
	softirqs_parse("/proc/softirqs", end ? r->soft_after : r->soft_before);
	r->ncpu = stat_steal("/proc/stat", end ? r->steal_after : r->steal_before, 512);
	return 0;
}

int exits_begin(struct engine *e, struct exits_report *r)
{
	int err;

	r->hz = sysconf(_SC_CLK_TCK);
	/* Every count of the recording covers the interval between the two
	 * snapshots of the kernel's counters, not the attach time before it:
	 * upcalls and timer interrupts keep coming while probes attach, and
	 * they are compared with the kernel's HYP and per-line counts. */
	if (engine_reset_hits(e))
		iop_warn("cannot reset probe hit counters: counts include the attach time");
	err = snapshot(r, false);
	/* counting starts right after the kernel's counters were read */
	if (engine_set_counting(e, true))
		iop_warn("cannot switch exit counting on: interrupts, exits and softirqs stay at zero");
	return err;
}

int exits_end(struct engine *e, struct exits_report *r)
{
	int err;

	if (engine_set_counting(e, false))
		iop_warn("cannot switch exit counting off: the counts run on past the recording's end");
	err = snapshot(r, true);
	engine_read_hits(e);   /* at once: hits and kernel counters end together */
	return err;
}

int exits_checkpoint(struct engine *e, const struct exits_report *r, struct exits_report *ck)
{
	int err;

	memset(ck, 0, sizeof(*ck));
	ck->hz = r->hz;
	ck->before = r->before;   /* shared: exits_checkpoint_free leaves it to r */
	memcpy(ck->soft_before, r->soft_before, sizeof(ck->soft_before));
	memcpy(ck->steal_before, r->steal_before, sizeof(ck->steal_before));
	err = snapshot(ck, true);
	engine_read_hits(e);   /* at once, as exits_end does */
	return err;
}

void exits_checkpoint_free(struct exits_report *ck)
{
	memset(&ck->before, 0, sizeof(ck->before));
	exits_report_free(ck);
}

static unsigned long long irq_total(const struct irq_table *t, int irq)
{
	const struct irq_line *l = irq_table_find(t, irq);

	return l ? l->total : 0;
}

int exits_collect(struct engine *e, struct exits_report *r)
{
	__u32 k, *prev = NULL, next;
	const struct iopath_bpf__bss *g;
	struct ex_irq v;
	struct devices d = {};

	devices_scan("", &d);   /* for device/queue names of IRQ lines */
	while (!bpf_map__get_next_key(e->skel->maps.ex_irqs, prev, &next, sizeof(next))) {
		struct ex_irq_row *row, *rows;
		const struct irq_line *l;

		k = next;
		prev = &k;
		if (bpf_map__lookup_elem(e->skel->maps.ex_irqs, &k, sizeof(k), &v, sizeof(v), 0))
			continue;
		rows = realloc(r->irqs, (r->nirq + 1) * sizeof(*rows));
		if (!rows)
			break;
		r->irqs = rows;
		row = &r->irqs[r->nirq++];
		memset(row, 0, sizeof(*row));
		row->irq = k;
		row->v = v;
		row->proc_delta = irq_total(&r->after, k) - irq_total(&r->before, k);
		row->queue = -1;
		l = irq_table_find(&d.irqs, k);
		if (l) {
			snprintf(row->chip, sizeof(row->chip), "%s", l->chip);
			snprintf(row->device, sizeof(row->device), "%s", l->device);
			row->queue = l->queue;
			snprintf(row->kind, sizeof(row->kind), "%s", irq_kind_name(l->kind));
		}
	}
	devices_free(&d);
	free(r->arch);
	r->narch = 0;
	r->arch = calloc(EX_MAX_ARCH, sizeof(*r->arch));
	for (int i = 0; r->arch && i < r->after.n && r->narch < EX_MAX_ARCH; i++) {
		const struct irq_line *a = &r->after.lines[i], *b;

		if (a->irq >= 0)
			continue;
		b = irq_table_find_name(&r->before, a->name);
		snprintf(r->arch[r->narch].name, sizeof(r->arch[0].name), "%s", a->name);
		r->arch[r->narch++].delta = a->total - (b ? b->total : 0);
	}
	g = engine_bss(e);   /* one lookup where .bss is not mapped */
	memcpy(r->soft, g->ex_soft, sizeof(r->soft));
	memcpy(r->ctr, g->ex_ctr, sizeof(r->ctr));
	memcpy(r->task_ctr, g->ex_task_ctr, sizeof(r->task_ctr));
	prev = NULL;
	while (r->nmsr < 64 && !bpf_map__get_next_key(e->skel->maps.ex_msr, prev, &next, sizeof(next))) {
		__u64 c;

		k = next;
		prev = &k;
		if (bpf_map__lookup_elem(e->skel->maps.ex_msr, &k, sizeof(k), &c, sizeof(c), 0))
			continue;
		r->msr[r->nmsr].msr = k;
		r->msr[r->nmsr].count = c;
		r->nmsr++;
	}
	return 0;
}

void exits_report_free(struct exits_report *r)
{
	irq_table_free(&r->before);
	irq_table_free(&r->after);
	free(r->irqs);
	free(r->arch);
	memset(r, 0, sizeof(*r));
}

static int row_cmp(const void *a, const void *b)
{
	const struct ex_irq_row *x = a, *y = b;

	return x->v.count < y->v.count ? 1 : x->v.count > y->v.count ? -1 : (int)x->irq - (int)y->irq;
}

/* A point whose call leaves the guest (or may): the exit kinds of the report. */
static bool exit_point(const struct resolved *r)
{
	return r->status == PST_ATTACHED && r->pt->kind != KIND_FUNC_RET &&
	       (r->pt->flags & (PF_EXIT | PF_MAYBE_EXIT) || r->pt->role == ROLE_UPCALL);
}

/* The kernel's count of a named /proc/interrupts row over the interval;
 * -1 when this kernel has no such row. */
static long long arch_delta(const struct exits_report *r, const char *name)
{
	for (int i = 0; i < r->narch; i++)
		if (!strcmp(r->arch[i].name, name))
			return r->arch[i].delta;
	return -1;
}

/* Upcalls: on PV both __xen_pv_evtchn_do_upcall and xen_evtchn_do_upcall
 * run for one upcall, so the count is the largest of the upcall points,
 * not their sum. -1 when no upcall point is attached. */
static long long upcalls(const struct resolved *pts, unsigned n)
{
	long long u = -1;

	for (unsigned i = 0; i < n; i++)
		if (exit_point(&pts[i]) && pts[i].pt->role == ROLE_UPCALL && (long long)pts[i].hits > u)
			u = pts[i].hits;
	return u;
}

/* Device interrupts iopath counted (irq_handler_entry), for upcalls per interrupt. */
static unsigned long long device_irqs(const struct exits_report *r)
{
	unsigned long long s = 0;

	for (int i = 0; i < r->nirq; i++)
		s += r->irqs[i].v.count;
	return s;
}

static double steal_ms(const struct exits_report *r, int cpu)
{
	return r->hz > 0 ? (r->steal_after[cpu] - r->steal_before[cpu]) * 1000.0 / r->hz : 0;
}

/* One counted crossing, placed by the exit model. */
struct crossing {
	enum xm_kind kind;
	const char *detail;     /* the probe point, or the MSR */
	char buf[48];
	unsigned long long count;
	const char *note;       /* "(of N xen_mc_flush)" and the like */
	char nbuf[48];
};

/* The column a crossing goes in on this platform; rows that total others go apart. */
enum cross_col { CC_EXITS, CC_MAY, CC_STAYS, CC_NA, CC_TOTAL, CC__COUNT };

static enum cross_col crossing_col(enum xm_kind k, enum xm_platform p)
{
	const struct xm_row *row = exit_model_row(k);

	if (row && row->total)
		return CC_TOTAL;
	switch (exit_model_verdict(k, p)) {
	case XV_EXITS: return CC_EXITS;
	case XV_MAY: return CC_MAY;
	case XV_STAYS: return CC_STAYS;
	default: return CC_NA;
	}
}

/* Every counted crossing once: the exit points (but not the point that only totals per-MSR rows,
 * msr:write_msr, nor xen_mc_flush whose calls with an empty batch make no hypercall: its
 * hypercall count is the multicall row), the PV multicall hypercalls, and the writes per MSR. */
static int crossings_collect(const struct exits_report *r, const struct resolved *pts, unsigned n,
			     struct crossing *out, int max)
{
	int c = 0;

	for (unsigned i = 0; i < n && c < max; i++) {
		int k;

		if (!exit_point(&pts[i]))
			continue;
		k = exit_model_point_kind(pts[i].pt);
		if (k == XM_BY_MSR || k == XM_NONE || (k == XM_PT_UPDATE && r->ctr[EXC_MC_FLUSH]))
			continue;
		memset(&out[c], 0, sizeof(out[c]));
		out[c].kind = k;
		out[c].detail = pts[i].symbol;
		out[c].count = pts[i].hits;
		c++;
	}
	if (r->ctr[EXC_MC_FLUSH] && c < max) {
		memset(&out[c], 0, sizeof(out[c]));
		out[c].kind = XM_PT_UPDATE;
		out[c].detail = "PV multicall flush (mcidx>=1)";
		out[c].count = r->ctr[EXC_MC_HYPERCALL];
		snprintf(out[c].nbuf, sizeof(out[c].nbuf), "(of %llu xen_mc_flush)", r->ctr[EXC_MC_FLUSH]);
		out[c].note = out[c].nbuf;
		c++;
	}
	for (int i = 0; i < r->nmsr && c < max; i++) {
		const char *nm = msr_name(r->msr[i].msr);

		memset(&out[c], 0, sizeof(out[c]));
		out[c].kind = exit_model_msr_kind(r->msr[i].msr);
		snprintf(out[c].buf, sizeof(out[c].buf), "wrmsr 0x%x%s%s", r->msr[i].msr, nm ? " " : "", nm ? nm : "");
		out[c].detail = out[c].buf;
		out[c].count = r->msr[i].count;
		c++;
	}
	return c;
}

#define MAX_CROSSINGS 192

static void crossings_print(FILE *f, const struct exits_report *r, const struct resolved *pts, unsigned n,
			    const char *platform)
{
	static const char *const head[CC__COUNT] = {
		[CC_EXITS] = "leave the guest",
		[CC_MAY] = "may leave the guest (upper bounds: see the reason)",
		[CC_STAYS] = "stay in the guest here (counted, not crossings)",
		[CC_NA] = "not expected on this platform by the model",
		[CC_TOTAL] = "totals of rows above (not added to them)",
	};
	struct crossing c[MAX_CROSSINGS];
	enum xm_platform p = exit_model_platform_of_name(platform);
	int nc = crossings_collect(r, pts, n, c, MAX_CROSSINGS);

	fprintf(f, "hypervisor crossings on %s, by the exit model (iopath env --exits):\n",
		p == XP_UNKNOWN ? "an unmodelled platform (every kind: may exit)" : exit_model_platform_name(p));
	if (!nc)
		fprintf(f, "  none: no crossing point attached\n");
	for (int col = 0; col < CC__COUNT; col++) {
		bool shown = false;

		for (int i = 0; i < nc; i++) {
			const struct xm_row *row = exit_model_row(c[i].kind);

			if (crossing_col(c[i].kind, p) != (enum cross_col)col)
				continue;
			if (!shown)
				fprintf(f, "  %s:\n", head[col]);
			shown = true;
			fprintf(f, "    %-15s %-36s %10llu %9.1f/s", row->name, c[i].detail, c[i].count,
				r->seconds > 0 ? c[i].count / r->seconds : 0);
			if (c[i].note)
				fprintf(f, "  %s", c[i].note);
			if (p != XP_UNKNOWN && col != CC_EXITS)
				fprintf(f, "  (%s)", row->cell[p].why);
			fprintf(f, "\n");
		}
	}
}


/* " 1.234/packet 0.500/request" for what the recording divides by. */
static void per_io_print(FILE *f, unsigned long long count, const struct ex_io *io)
{
	if (io && io->net && io->packets)
		fprintf(f, " %9.3f/packet", (double)count / io->packets);
	else if (io && io->net)
		fprintf(f, " %9s/packet", "-");
	if (io && io->blk && io->requests)
		fprintf(f, " %9.3f/request", (double)count / io->requests);
	else if (io && io->blk)
		fprintf(f, " %9s/request", "-");
}

/* The crossings around the I/O path: what the traced tasks did (measured, or not measured and
 * why), then what the exit model derives from it for the platform (never shown as measured). */
static void tasks_print(FILE *f, const struct exits_report *r, const struct resolved *pts, unsigned n,
			enum xm_platform p, const struct ex_io *io)
{
	struct task_row_val rows[TR__COUNT];
	struct task_derived d;
	char b[160];

	if (r->task_scope < EXT_COMMAND) {
		/* one line: every row would say the same */
		fprintf(f, "  around the I/O path, by the traced tasks: not measured (%s)\n", task_scope_text(r->task_scope));
		return;
	}
	task_rows(r, pts, n, rows);
	task_derive(rows, p, &d);
	fprintf(f, "  around the I/O path, by the traced tasks (%s):\n", task_scope_line(r, b, sizeof(b)));
	for (int i = 0; i < TR__COUNT; i++) {
		const struct task_row_val *v = &rows[i];

		if (v->how != TH_MEASURED) {
			fprintf(f, "    %-21s not measured (%s)\n", v->name, v->why);
			continue;
		}
		fprintf(f, "    %-21s %10llu %9.1f/s", v->name, v->count, r->seconds > 0 ? v->count / r->seconds : 0);
		per_io_print(f, v->count, io);
		fprintf(f, "  measured (%s)", v->point);
		if (p != XP_UNKNOWN)
			fprintf(f, "; model on %s: %s", exit_model_platform_name(p),
				exit_verdict_name(exit_model_verdict(v->kind, p)));
		fprintf(f, "\n");
	}
	if (d.how != TH_DERIVED) {
		fprintf(f, "    crossings derived from the model: not derived (%s)\n", d.why);
		return;
	}
	fprintf(f, "    crossings derived from the model: %llu DERIVED, not measured", d.crossings);
	if (d.crossings) {
		fprintf(f, " %9.1f/s", r->seconds > 0 ? d.crossings / r->seconds : 0);
		per_io_print(f, d.crossings, io);
	}
	fprintf(f, " (%s)\n", d.model);
}

static void tasks_json(struct jw *w, const struct exits_report *r, const struct resolved *pts, unsigned n,
		       enum xm_platform p, const struct ex_io *io)
{
	struct task_row_val rows[TR__COUNT];
	struct task_derived d;
	char b[160];

	task_rows(r, pts, n, rows);
	task_derive(rows, p, &d);
	jw_obj_begin(w, "tasks");
	jw_str(w, "scope", task_scope_line(r, b, sizeof(b)));
	if (r->task_scope >= EXT_COMMAND) {
		jw_uint(w, "pid", r->task_pid);
		jw_uint(w, "joined", r->task_ctr[TC_JOINED]);
		jw_uint(w, "ended", r->task_ctr[TC_LEFT]);
		jw_uint(w, "not_traced_map_full", r->task_ctr[TC_FULL]);
	}
	for (int i = 0; i < TR__COUNT; i++) {
		const struct task_row_val *v = &rows[i];
		bool m = v->how == TH_MEASURED;

		jw_obj_begin(w, v->name);
		jw_str(w, "how", m ? "measured" : "not_measured");
		jw_str(w, "point", v->point);
		if (m) {
			jw_uint(w, "count", v->count);
			jw_double(w, "per_s", r->seconds > 0 ? v->count / r->seconds : 0);
		} else {
			jw_null(w, "count");
			jw_null(w, "per_s");
			jw_str(w, "reason", v->why);
		}
		if (io && io->net) {
			if (m && io->packets)
				jw_double(w, "per_packet", (double)v->count / io->packets);
			else
				jw_null(w, "per_packet");
		}
		if (io && io->blk) {
			if (m && io->requests)
				jw_double(w, "per_request", (double)v->count / io->requests);
			else
				jw_null(w, "per_request");
		}
		jw_str(w, "model_verdict", p == XP_UNKNOWN ? NULL : exit_verdict_name(exit_model_verdict(v->kind, p)));
		jw_obj_end(w);
	}
	jw_obj_begin(w, "crossings_derived");
	jw_str(w, "how", d.how == TH_DERIVED ? "derived" : "not_derived");
	if (d.how == TH_DERIVED) {
		jw_uint(w, "count", d.crossings);
		jw_double(w, "per_s", r->seconds > 0 ? d.crossings / r->seconds : 0);
		if (io && io->net) {
			if (io->packets)
				jw_double(w, "per_packet", (double)d.crossings / io->packets);
			else
				jw_null(w, "per_packet");
		}
		if (io && io->blk) {
			if (io->requests)
				jw_double(w, "per_request", (double)d.crossings / io->requests);
			else
				jw_null(w, "per_request");
		}
		jw_str(w, "model", d.model);
	} else {
		jw_null(w, "count");
		jw_str(w, "reason", d.why);
	}
	jw_obj_end(w);
	jw_obj_end(w);
}

static void crossings_json(struct jw *w, const struct exits_report *r, const struct resolved *pts, unsigned n,
			   const char *platform)
{
	static const char *const col_name[CC__COUNT] = {
		[CC_EXITS] = "exits", [CC_MAY] = "may_exit", [CC_STAYS] = "stays", [CC_NA] = "not_in_model",
		[CC_TOTAL] = "total",
	};
	struct crossing c[MAX_CROSSINGS];
	enum xm_platform p = exit_model_platform_of_name(platform);
	int nc = crossings_collect(r, pts, n, c, MAX_CROSSINGS);

	jw_str(w, "model_platform", p == XP_UNKNOWN ? NULL : exit_model_platform_name(p));
	jw_arr_begin(w, "crossings_by_model");
	for (int i = 0; i < nc; i++) {
		const struct xm_row *row = exit_model_row(c[i].kind);
		enum cross_col col = crossing_col(c[i].kind, p);

		jw_obj_begin(w, NULL);
		jw_str(w, "kind", row->name);
		jw_str(w, "detail", c[i].detail);
		jw_str(w, "column", col_name[col]);
		jw_str(w, "reason", p == XP_UNKNOWN ? "platform not in the model" : row->cell[p].why);
		jw_uint(w, "count", c[i].count);
		jw_double(w, "per_s", r->seconds > 0 ? c[i].count / r->seconds : 0);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

void exits_print(FILE *f, const struct exits_report *r, const struct resolved *pts, unsigned n,
		 const char *platform, const struct ex_io *io)
{
	char b1[16], b2[16];

	qsort(r->irqs, r->nirq, sizeof(r->irqs[0]), row_cmp);
	fprintf(f, "\ninterrupts, %.1f s (kernel's /proc/interrupts delta beside iopath's count):\n", r->seconds);
	fprintf(f, "  %5s %-16s %-26s %-10s %-6s %10s %10s %9s %9s %9s\n", "irq", "name", "chip", "device",
		"kind", "count", "/proc", "per s", "p50", "p99");
	for (int i = 0; i < r->nirq; i++) {
		const struct ex_irq_row *w = &r->irqs[i];

		fprintf(f, "  %5u %-16s %-26s %-10s %-6s %10llu %10llu %9.1f %9s %9s\n", w->irq, w->v.name,
			w->chip, w->device[0] ? w->device : "-", w->kind[0] ? w->kind : "-", w->v.count,
			w->proc_delta, r->seconds > 0 ? w->v.count / r->seconds : 0,
			fmt_ns(log2_quantile(w->v.slots, EX_HIST_SLOTS, 0.5), b1, sizeof(b1)),
			fmt_ns(log2_quantile(w->v.slots, EX_HIST_SLOTS, 0.99), b2, sizeof(b2)));
	}
	fprintf(f, "softirqs:\n  %-9s %10s %10s %10s %9s %9s\n", "vector", "raised", "runs", "/proc", "p50", "p99");
	for (int v = 0; v < EX_NR_SOFTIRQS; v++)
		if (r->soft[v].count || r->soft[v].raised)
			fprintf(f, "  %-9s %10llu %10llu %10llu %9s %9s\n", softirq_names[v], r->soft[v].raised,
				r->soft[v].count, r->soft_after[v] - r->soft_before[v],
				fmt_ns(log2_quantile(r->soft[v].slots, EX_HIST_SLOTS, 0.5), b1, sizeof(b1)),
				fmt_ns(log2_quantile(r->soft[v].slots, EX_HIST_SLOTS, 0.99), b2, sizeof(b2)));
	crossings_print(f, r, pts, n, platform);
	tasks_print(f, r, pts, n, exit_model_platform_of_name(platform), io);
	long long up = upcalls(pts, n), hyp = arch_delta(r, "HYP");
	unsigned long long dev = device_irqs(r);

	if (up >= 0) {
		fprintf(f, "  upcalls: %lld", up);
		if (hyp >= 0)
			fprintf(f, " (kernel's HYP count %lld)", hyp);
		if (dev)
			fprintf(f, ", %.2f per device interrupt (%llu)", (double)up / dev, dev);
		fprintf(f, "\n");
	}
	if (r->narch) {
		int shown = 0;

		fprintf(f, "  kernel's named interrupt rows:");
		for (int i = 0; i < r->narch; i++)
			if (r->arch[i].delta) {
				fprintf(f, " %s %llu", r->arch[i].name, r->arch[i].delta);
				shown++;
			}
		fprintf(f, "%s\n", shown ? "" : " all 0");
	}
	if (r->charged_net || r->charged_blk || r->background)
		fprintf(f, "  charged: %llu to packets, %llu to block requests, %llu background\n",
			r->charged_net, r->charged_blk, r->background);
	fprintf(f, "steal time (ms over the interval):");
	for (int c = 0; c < r->ncpu; c++)
		fprintf(f, " cpu%d %.0f", c, steal_ms(r, c));
	fprintf(f, "\n");
	if (r->ctr[EXC_IRQ_MAP_FULL] || r->ctr[EXC_MSR_MAP_FULL])
		fprintf(f, "NOT RECORDED: irq map full %llu times, msr map full %llu times\n",
			r->ctr[EXC_IRQ_MAP_FULL], r->ctr[EXC_MSR_MAP_FULL]);
	if (r->task_ctr[TC_FULL])
		fprintf(f, "NOT RECORDED: %llu children of traced tasks not traced (the task map of %d was full)\n",
			r->task_ctr[TC_FULL], EX_MAX_TASKS);
}

/* The exits section's histograms in JSON: no slot array (EX_HIST_SLOTS, its own schema). */
static void hist_obj(struct jw *w, const char *key, const unsigned long long *slots, unsigned long long count,
		     unsigned long long sum)
{
	hist_json_n(w, key, slots, EX_HIST_SLOTS, count, sum, false);
}

void exits_json(struct jw *w, const struct exits_report *r, const struct resolved *pts, unsigned n,
		const char *platform, const struct ex_io *io)
{
	jw_obj_begin(w, "exits");
	jw_double(w, "seconds", r->seconds);
	jw_arr_begin(w, "irqs");
	for (int i = 0; i < r->nirq; i++) {
		const struct ex_irq_row *x = &r->irqs[i];

		jw_obj_begin(w, NULL);
		jw_uint(w, "irq", x->irq);
		jw_str(w, "name", x->v.name);
		jw_str(w, "chip", x->chip);
		jw_str(w, "device", x->device[0] ? x->device : NULL);
		if (x->queue >= 0)
			jw_int(w, "queue", x->queue);
		jw_str(w, "kind", x->kind[0] ? x->kind : NULL);
		jw_uint(w, "count", x->v.count);
		jw_uint(w, "proc_interrupts_delta", x->proc_delta);
		hist_obj(w, "handler_time", x->v.slots, x->v.count, x->v.sum_ns);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_begin(w, "softirqs");
	for (int v = 0; v < EX_NR_SOFTIRQS; v++) {
		jw_obj_begin(w, softirq_names[v]);
		jw_uint(w, "raised", r->soft[v].raised);
		jw_uint(w, "runs", r->soft[v].count);
		jw_uint(w, "proc_softirqs_delta", r->soft_after[v] - r->soft_before[v]);
		hist_obj(w, "time", r->soft[v].slots, r->soft[v].count, r->soft[v].sum_ns);
		jw_obj_end(w);
	}
	jw_obj_end(w);
	jw_arr_begin(w, "crossings");
	for (unsigned i = 0; i < n; i++) {
		const struct resolved *p = &pts[i];

		if (!exit_point(p))
			continue;
		jw_obj_begin(w, NULL);
		jw_str(w, "kind", role_name(p->pt->role));
		jw_str(w, "point", p->symbol);
		jw_bool(w, "upper_bound", p->pt->flags & PF_MAYBE_EXIT);
		jw_uint(w, "count", p->hits);
		jw_double(w, "per_s", r->seconds > 0 ? p->hits / r->seconds : 0);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	crossings_json(w, r, pts, n, platform);
	tasks_json(w, r, pts, n, exit_model_platform_of_name(platform), io);
	{
		long long up = upcalls(pts, n), hyp = arch_delta(r, "HYP");
		unsigned long long dev = device_irqs(r);

		jw_obj_begin(w, "upcalls");
		if (up >= 0)
			jw_uint(w, "count", up);
		else
			jw_null(w, "count");
		if (hyp >= 0)
			jw_uint(w, "proc_hyp_delta", hyp);
		else
			jw_null(w, "proc_hyp_delta");
		jw_uint(w, "device_irqs", dev);
		jw_double(w, "per_device_irq", up > 0 && dev ? (double)up / dev : 0);
		jw_obj_end(w);
	}
	jw_obj_begin(w, "proc_interrupts_named");
	for (int i = 0; i < r->narch; i++)
		jw_uint(w, r->arch[i].name, r->arch[i].delta);
	jw_obj_end(w);
	jw_uint(w, "xen_mc_flush", r->ctr[EXC_MC_FLUSH]);
	jw_uint(w, "pv_multicall_hypercalls", r->ctr[EXC_MC_HYPERCALL]);
	jw_uint(w, "msr_writes", r->ctr[EXC_MSR_WRITES]);
	jw_arr_begin(w, "msr");
	for (int i = 0; i < r->nmsr; i++) {
		jw_obj_begin(w, NULL);
		jw_uint(w, "msr", r->msr[i].msr);
		jw_str(w, "name", msr_name(r->msr[i].msr));
		jw_uint(w, "writes", r->msr[i].count);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_begin(w, "charged");
	jw_uint(w, "net", r->charged_net);
	jw_uint(w, "block", r->charged_blk);
	jw_uint(w, "background", r->background);
	jw_obj_end(w);
	jw_arr_begin(w, "steal_ms");
	for (int c = 0; c < r->ncpu; c++)
		jw_double(w, NULL, steal_ms(r, c));
	jw_arr_end(w);
	jw_obj_begin(w, "not_recorded");
	jw_uint(w, "irq_map_full", r->ctr[EXC_IRQ_MAP_FULL]);
	jw_uint(w, "msr_map_full", r->ctr[EXC_MSR_MAP_FULL]);
	jw_uint(w, "irq_nested", r->ctr[EXC_IRQ_NESTED]);
	jw_uint(w, "tasks_map_full", r->task_ctr[TC_FULL]);
	jw_obj_end(w);
	jw_obj_end(w);
}
