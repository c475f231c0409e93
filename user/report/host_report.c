#include "report/host_report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "platform/devices.h"
#include "report/host_names.h"
#include "report/exits_report.h"
#include "report/exitmodel.h"
#include "out/hist.h"
#include "engine/globals.h"
#include "engine/skel.h"
#include "platform/taps.h"
#include "out/json.h"
#include "kernel/profiles.h"
#include "util/util.h"

/* --- collect --- */

int host_collect(struct engine *e, struct host_report *r, const struct resolved *pts, unsigned n)
{
	struct bpf_map *m;
	int cap;

	memcpy(r->ctr, engine_bss(e)->host_ctr, sizeof(r->ctr));
	r->ioeventfd_probe = 0;
	r->irqfd_probe = 0;
	for (unsigned i = 0; i < n; i++) {
		if (pts[i].pt->role == ROLE_HOST_IOEVENTFD && pts[i].status == PST_ATTACHED)
			r->ioeventfd_probe = 1;
		if (pts[i].pt->role == ROLE_HOST_IRQFD && pts[i].status == PST_ATTACHED)
			r->irqfd_probe = 1;
	}
	{
		__u32 k, next, *prev = NULL;
		struct host_thr t;

		while (!bpf_map__get_next_key(e->skel->maps.host_thr, prev, &next, sizeof(next))) {
			k = next;
			prev = &k;
			if (!bpf_map__lookup_elem(e->skel->maps.host_thr, &k, sizeof(k), &t, sizeof(t), 0) && t.open)
				r->ctr[HC_OPEN_AT_END]++;
		}
	}
#define DRAIN(MAP, KT, ARR, NUM, VF)                                                          \
	m = e->skel->maps.MAP;                                                               \
	cap = bpf_map__max_entries(m);                                                        \
	r->ARR = calloc(cap, sizeof(*r->ARR));                                                \
	if (!r->ARR)                                                                          \
		return -ENOMEM;                                                               \
	{                                                                                     \
		KT k, next, *prev = NULL;                                                     \
		while (r->NUM < cap && !bpf_map__get_next_key(m, prev, &next, sizeof(next))) { \
			k = next;                                                             \
			prev = &k;                                                            \
			if (bpf_map__lookup_elem(m, &k, sizeof(k), &r->ARR[r->NUM].VF,        \
						 sizeof(r->ARR[r->NUM].VF), 0))               \
				continue;                                                     \
			r->ARR[r->NUM].k = k;                                                 \
			r->NUM++;                                                             \
		}                                                                             \
	}
	DRAIN(host_exits, struct host_exit_key, exit, nexit, v);
	DRAIN(host_io, struct host_io_key, io, nio, v);
	DRAIN(host_cnt, struct host_cnt_key, cnt, ncnt, count);
	DRAIN(host_inj, struct host_inj_key, inj, ninj, v);
#undef DRAIN
	{
		struct irq_table t = {};
		bool have_irqs = !procirq_parse("/proc/interrupts", &t);

		for (int i = 0; i < r->ninj; i++) {
			struct host_inj_row *x = &r->inj[i];
			__u64 kvm = x->k.kvm;
			__u32 pid;

			if (!bpf_map__lookup_elem(e->skel->maps.host_vm, &kvm, sizeof(kvm), &pid, sizeof(pid), 0))
				x->pid = pid;
			if (x->k.src_kind == HSRC_HARDIRQ && have_irqs) {
				const struct irq_line *l = irq_table_find(&t, (int)x->k.src_id);
				size_t o;

				if (!l)
					continue;
				o = snprintf(x->src, sizeof(x->src), "%s", l->chip);
				for (int a = 0; a < l->nactions && o < sizeof(x->src); a++)
					o += snprintf(x->src + o, sizeof(x->src) - o, "%s%s", a ? "," : " ", l->action[a]);
			}
		}
		if (have_irqs)
			irq_table_free(&t);
	}
	m = e->skel->maps.host_procs;
	cap = bpf_map__max_entries(m);
	r->proc = calloc(cap, sizeof(*r->proc));
	if (!r->proc)
		return -ENOMEM;
	{
		__u32 k, next, *prev = NULL;
		struct host_comm c;

		while (r->nproc < cap && !bpf_map__get_next_key(m, prev, &next, sizeof(next))) {
			k = next;
			prev = &k;
			if (bpf_map__lookup_elem(m, &k, sizeof(k), &c, sizeof(c), 0))
				continue;
			r->proc[r->nproc].pid = k;
			memcpy(r->proc[r->nproc].comm, c.comm, sizeof(c.comm));
			r->proc[r->nproc].comm[sizeof(c.comm) - 1] = 0;
			r->nproc++;
		}
	}
	return 0;
}

int host_vm_pids(struct engine *e, unsigned int *pids, int max)
{
	__u32 k, next, *prev = NULL;
	int n = 0;

	while (n < max && !bpf_map__get_next_key(e->skel->maps.host_procs, prev, &next, sizeof(next))) {
		k = next;
		prev = &k;
		pids[n++] = k;
	}
	return n;
}

void host_report_free(struct host_report *r)
{
	free(r->exit);
	free(r->io);
	free(r->cnt);
	free(r->proc);
	free(r->inj);
	host_report_detach(r);
}

void host_report_detach(struct host_report *r)
{
	r->exit = NULL;
	r->io = NULL;
	r->cnt = NULL;
	r->proc = NULL;
	r->inj = NULL;
	r->nexit = r->nio = r->ncnt = r->nproc = r->ninj = 0;
}

static const char *const io_kind_names[HIO__COUNT] = { "-", "pio", "mmio", "fast_mmio" };
static const char *const io_kind_text[HIO__COUNT] = { "bus?", "port", "MMIO", "fast MMIO" };

/* The exit kind of an ioeventfd's bus (kick_bus: enum kvm_bus + 1); HIO_NONE for another bus. */
static unsigned kick_io_kind(unsigned bus)
{
	return bus == 1 ? HIO_MMIO : bus == 2 ? HIO_PIO : bus == 4 ? HIO_FAST_MMIO : HIO_NONE;
}

const char *host_inj_source(const struct host_inj_row *r, char *buf, size_t len)
{
	char comm[17];

	if (r->k.src_kind == HSRC_HARDIRQ) {
		/* a passthrough device's handler (vfio) signals the irqfd itself */
		snprintf(buf, len, "%s IRQ %u%s%s", strstr(r->src, "vfio") ? "passthrough device, host" : "host",
			 r->k.src_id, r->src[0] ? ": " : "", r->src);
		return buf;
	}
	memcpy(comm, r->v.comm, 16);
	comm[16] = 0;
	if (!strncmp(comm, "vhost-", 6) && r->v.kick_bus) {
		/* the queue it completes is the one the guest kicks there: the device's notify address */
		char q[32] = "";

		if (!r->v.kick_wildcard)
			snprintf(q, sizeof(q), " queue %llu", r->v.kick_data);
		snprintf(buf, len, "vhost worker %s (tid %u) for the virtqueue kicked at %s 0x%llx%s", comm,
			 r->k.src_id, io_kind_text[kick_io_kind(r->v.kick_bus)], r->v.kick_addr, q);
	} else if (!strncmp(comm, "vhost-", 6))
		snprintf(buf, len, "vhost worker %s (tid %u)", comm, r->k.src_id);
	else if (r->pid && r->v.tgid == r->pid)
		snprintf(buf, len, "VMM thread %s (tid %u): a device the VMM emulates", comm, r->k.src_id);
	else
		snprintf(buf, len, "thread %s (pid %u tid %u)", comm[0] ? comm : "?", r->v.tgid, r->k.src_id);
	return buf;
}

/* --- output --- */

static const struct host_proc *proc_of(const struct host_report *r, unsigned pid)
{
	for (int i = 0; i < r->nproc; i++)
		if (r->proc[i].pid == pid)
			return &r->proc[i];
	return NULL;
}

static const char *comm_of(const struct host_report *r, unsigned pid)
{
	const struct host_proc *p = proc_of(r, pid);

	return p ? p->comm : "?";
}

void host_add_taps(struct host_report *r, const struct tap_snap *before, const struct tap_snap *after)
{
	for (int i = 0; i < r->nproc; i++) {
		struct host_proc *p = &r->proc[i];

		p->ntaps = tap_guest_packets(before, after, p->pid, &p->guest_tx, &p->guest_rx, p->taps,
					     sizeof(p->taps));
	}
}

/* The guest's packets over the run: --guest-packets when given, else its taps' (0: unknown). */
static unsigned long long guest_packets(const struct host_report *r, const struct host_proc *p)
{
	if (r->guest_packets)
		return r->guest_packets;
	return p && p->ntaps ? p->guest_tx + p->guest_rx : 0;
}

/* Per VM: one row per (isa, reason), summed over vCPUs. */
struct reason_sum {
	unsigned isa, reason;
	struct host_exit_val v;
};

static int sum_cmp(const void *a, const void *b)
{
	const struct reason_sum *x = a, *y = b;

	return x->v.count < y->v.count ? 1 : x->v.count > y->v.count ? -1 : (x->reason > y->reason) - (x->reason < y->reason);
}

static int inj_cmp(const void *a, const void *b)
{
	const struct host_inj_row *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->v.count != y->v.count)
		return x->v.count > y->v.count ? -1 : 1;
	return x->k.gsi < y->k.gsi ? -1 : x->k.gsi > y->k.gsi;
}

/* KVM_IRQ_ROUTING_*: 1 irqchip pin, 2 MSI */
static const char *route_name(unsigned t)
{
	return t == 1 ? "irqchip" : t == 2 ? "MSI" : t == 3 ? "s390" : t == 4 ? "hv-sint" : t == 5 ? "xen-evtchn" : "?";
}

/* The irqfd injections of VM pid (0: VMs whose kvm_exit was not seen). */
static void print_inj(FILE *f, const struct host_report *r, unsigned pid)
{
	unsigned long long tot = 0;
	char src[160];

	for (int i = 0; i < r->ninj; i++)
		if (r->inj[i].pid == pid)
			tot += r->inj[i].v.count;
	if (!tot)
		return;
	fprintf(f, "  interrupt injection through irqfds: %llu signals, by GSI and who signalled\n", tot);
	fprintf(f, "    %5s %-8s %6s %4s %9s  %s\n", "gsi", "route", "vector", "dest", "signals", "source");
	for (int i = 0; i < r->ninj; i++) {
		const struct host_inj_row *x = &r->inj[i];

		if (x->pid != pid)
			continue;
		if (x->v.route == 2)
			fprintf(f, "    %5u %-8s %#6x %4u %9llu  %s\n", x->k.gsi, "MSI", x->v.msi_data & 0xff,
				(x->v.msi_addr >> 12) & 0xff, x->v.count, host_inj_source(x, src, sizeof(src)));
		else
			fprintf(f, "    %5u %-8s %6s %4s %9llu  %s\n", x->k.gsi, route_name(x->v.route), "-", "-",
				x->v.count, host_inj_source(x, src, sizeof(src)));
	}
}

static void vm_pids(const struct host_report *r, unsigned *pids, int *np)
{
	*np = 0;
	for (int i = 0; i < r->nexit; i++) {
		int j;

		for (j = 0; j < *np && pids[j] != r->exit[i].k.pid; j++)
			;
		if (j == *np && *np < HOST_MAX_PROCS)
			pids[(*np)++] = r->exit[i].k.pid;
	}
}

static int vm_sums(const struct host_report *r, unsigned pid, struct reason_sum *s, unsigned long long *tot,
		   unsigned long long *tot_ns)
{
	int n = 0;

	*tot = *tot_ns = 0;
	for (int i = 0; i < r->nexit; i++) {
		const struct host_exit_row *x = &r->exit[i];
		int j;

		if (x->k.pid != pid)
			continue;
		for (j = 0; j < n && (s[j].isa != x->k.isa || s[j].reason != x->k.reason); j++)
			;
		if (j == n) {
			memset(&s[n], 0, sizeof(s[n]));
			s[n].isa = x->k.isa;
			s[n].reason = x->k.reason;
			n++;
		}
		s[j].v.count += x->v.count;
		s[j].v.timed += x->v.timed;
		s[j].v.sum_ns += x->v.sum_ns;
		if (x->v.max_ns > s[j].v.max_ns)
			s[j].v.max_ns = x->v.max_ns;
		for (int k = 0; k < HOST_HIST_SLOTS; k++)
			s[j].v.slots[k] += x->v.slots[k];
		*tot += x->v.count;
		*tot_ns += x->v.sum_ns;
	}
	qsort(s, n, sizeof(*s), sum_cmp);
	return n;
}

/* log2 quantile, never above the largest value seen */
static double qmax(const unsigned long long *slots, double q, unsigned long long max)
{
	double v = log2_quantile(slots, HOST_HIST_SLOTS, q);

	return max && v > max ? max : v;
}

static const char *reason_label(unsigned isa, unsigned reason, char *b, size_t len)
{
	const char *n = host_reason_name(isa, reason);

	if (n)
		return n;
	snprintf(b, len, "%s 0x%x", isa == HOST_ISA_SVM ? "svm" : isa == HOST_ISA_VMX ? "vmx" : "reason", reason);
	return b;
}

static int io_cmp(const void *a, const void *b)
{
	const struct host_io_row *x = a, *y = b;

	if (x->k.kind != y->k.kind)
		return x->k.kind - y->k.kind;
	return x->v.count < y->v.count ? 1 : x->v.count > y->v.count ? -1 : (x->k.addr > y->k.addr) - (x->k.addr < y->k.addr);
}

static int cnt_cmp(const void *a, const void *b)
{
	const struct host_cnt_row *x = a, *y = b;

	if (x->k.kind != y->k.kind)
		return (int)x->k.kind - (int)y->k.kind;
	return x->count < y->count ? 1 : x->count > y->count ? -1 : (x->k.key > y->k.key) - (x->k.key < y->k.key);
}

/* Totals per I/O kind: exits, to the VMM, ioeventfd. */
static void io_totals(const struct host_report *r, unsigned kind, unsigned long long t[3])
{
	t[0] = t[1] = t[2] = 0;
	for (int i = 0; i < r->nio; i++)
		if (r->io[i].k.kind == kind) {
			t[0] += r->io[i].v.count;
			t[1] += r->io[i].v.to_user;
			t[2] += r->io[i].v.ioeventfd;
		}
}

static const char *const cnt_kind_names[HCK__COUNT] = {
	"-", "msr_read", "msr_write", "gsi", "msi", "inj_virq", "user_exit",
};

void host_print(FILE *f, const struct host_report *r)
{
	unsigned pids[HOST_MAX_PROCS];
	int np;
	char b1[16], b2[16], b3[16], b4[16], lb[48], dev[128];

	qsort(r->io, r->nio, sizeof(*r->io), io_cmp);
	qsort(r->cnt, r->ncnt, sizeof(*r->cnt), cnt_cmp);
	qsort(r->inj, r->ninj, sizeof(*r->inj), inj_cmp);
	vm_pids(r, pids, &np);
	fprintf(f, "\nKVM host, %.1f s: %llu exits, %llu entries (time in exit: kvm_exit to the next kvm_entry on the vCPU thread)\n",
		r->seconds, r->ctr[HC_EXITS], r->ctr[HC_ENTRIES]);
	if (!np)
		fprintf(f, "  no VM exits\n");
	for (int p = 0; p < np; p++) {
		struct reason_sum *s = calloc(r->nexit, sizeof(*s));
		unsigned long long tot, tot_ns;
		unsigned vcpus[256];
		int nv = 0, n;

		if (!s)
			return;
		n = vm_sums(r, pids[p], s, &tot, &tot_ns);
		for (int i = 0; i < r->nexit; i++) {
			int j;

			if (r->exit[i].k.pid != pids[p])
				continue;
			for (j = 0; j < nv && vcpus[j] != r->exit[i].k.vcpu; j++)
				;
			if (j == nv && nv < 256)
				vcpus[nv++] = r->exit[i].k.vcpu;
		}
		fprintf(f, "VM pid %u (%s): %llu exits (%.1f/s), %d vCPU%s\n", pids[p], comm_of(r, pids[p]), tot,
			r->seconds > 0 ? tot / r->seconds : 0, nv, nv == 1 ? "" : "s");
		fprintf(f, "  %-28s %9s %8s %8s %9s %9s %9s %9s\n", "exit reason", "samples", "samples%", "time%",
			"mean", "p50", "p99", "max");
		for (int i = 0; i < n; i++) {
			const struct host_exit_val *v = &s[i].v;

			if (!v->timed) {   /* never re-entered (the final HLT): no time */
				fprintf(f, "  %-28s %9llu %7.2f%% %7.2f%% %9s %9s %9s %9s\n",
					reason_label(s[i].isa, s[i].reason, lb, sizeof(lb)), v->count,
					tot ? 100.0 * v->count / tot : 0, 0.0, "-", "-", "-", "-");
				continue;
			}
			fprintf(f, "  %-28s %9llu %7.2f%% %7.2f%% %9s %9s %9s %9s\n",
				reason_label(s[i].isa, s[i].reason, lb, sizeof(lb)), v->count,
				tot ? 100.0 * v->count / tot : 0, tot_ns ? 100.0 * v->sum_ns / tot_ns : 0,
				fmt_ns((double)v->sum_ns / v->timed, b1, sizeof(b1)),
				fmt_ns(qmax(v->slots, 0.5, v->max_ns), b2, sizeof(b2)),
				fmt_ns(qmax(v->slots, 0.99, v->max_ns), b3, sizeof(b3)),
				fmt_ns(v->max_ns, b4, sizeof(b4)));
		}
		for (int v = 0; v < nv; v++) {
			unsigned long long c = 0;

			for (int i = 0; i < r->nexit; i++)
				if (r->exit[i].k.pid == pids[p] && r->exit[i].k.vcpu == vcpus[v])
					c += r->exit[i].v.count;
			fprintf(f, "  vCPU %d: %llu exits\n", (int)vcpus[v], c);
		}
		{
			const struct host_proc *pr = proc_of(r, pids[p]);
			unsigned long long gp = guest_packets(r, pr);

			if (pr && pr->ntaps)
				fprintf(f, "  guest NIC%s on host tap%s %s: %llu packets sent, %llu received\n",
					pr->ntaps == 1 ? "" : "s", pr->ntaps == 1 ? "" : "s", pr->taps, pr->guest_tx,
					pr->guest_rx);
			if (gp)
				fprintf(f, "  %.2f exits per guest packet (%llu packets%s)\n", (double)tot / gp, gp,
					r->guest_packets ? ", --guest-packets" : "");
			else
				fprintf(f, "  exits per guest packet: no tap interface of this process seen "
					"(--guest-packets N gives the count)\n");
		}
		print_inj(f, r, pids[p]);
		free(s);
	}
	for (unsigned kind = HIO_PIO; kind < HIO__COUNT; kind++) {
		unsigned long long t[3];

		io_totals(r, kind, t);
		if (!t[0])
			continue;
		fprintf(f, "%s exits by %s: %llu (%llu to the VMM, %llu in the kernel%s%llu%s)\n",
			kind == HIO_PIO ? "port I/O" : kind == HIO_MMIO ? "MMIO" : "fast MMIO",
			kind == HIO_PIO ? "port" : "guest physical address", t[0], t[1], t[0] - t[1],
			r->ioeventfd_probe ? ", ioeventfd " : "", r->ioeventfd_probe ? t[2] : 0,
			r->ioeventfd_probe ? "" : "; ioeventfd_write not probed");
		fprintf(f, "  %7s %-18s %-3s %4s %9s %8s %9s %9s %9s %-14s %s\n", "pid", "address", "dir", "len",
			"exits", "to VMM", "ioeventfd", "mean", "p99", "values", "device");
		for (int i = 0; i < r->nio; i++) {
			const struct host_io_row *x = &r->io[i];
			char q[256];

			if (x->k.kind != kind)
				continue;
			host_io_values(&x->v, q, sizeof(q));
			fprintf(f, "  %7u 0x%-16llx %-3s %4u %9llu %8llu %9llu %9s %9s %-14s %s\n", x->k.pid,
				x->k.addr, x->k.write ? "w" : "r", x->k.len, x->v.count, x->v.to_user, x->v.ioeventfd,
				fmt_ns(x->v.timed ? (double)x->v.sum_ns / x->v.timed : 0, b1, sizeof(b1)),
				fmt_ns(log2_quantile(x->v.slots, HOST_HIST_SLOTS, 0.99), b2, sizeof(b2)),
				q[0] ? q : "-", host_io_device(x, dev, sizeof(dev)));
		}
	}
	for (unsigned kind = HCK_MSR_READ; kind < HCK__COUNT; kind++) {
		bool head = false;

		for (int i = 0; i < r->ncnt; i++) {
			const struct host_cnt_row *x = &r->cnt[i];
			const char *nm = NULL;

			if (x->k.kind != kind)
				continue;
			if (!head) {
				static const char *const title[HCK__COUNT] = {
					[HCK_MSR_READ] = "MSR reads (kvm_msr)", [HCK_MSR_WRITE] = "MSR writes (kvm_msr)",
					[HCK_SET_IRQ] = "interrupt lines asserted (kvm_set_irq, by GSI)",
					[HCK_MSI] = "MSI deliveries (kvm_msi_set_irq, by vector and destination)",
					[HCK_INJ_VIRQ] = "interrupts injected at entry (kvm_inj_virq, by vector)",
					[HCK_UEXIT] = "returns to the VMM (KVM_RUN, by kvm_run exit reason)",
				};
				fprintf(f, "%s:\n", title[kind]);
				head = true;
			}
			switch (kind) {
			case HCK_MSR_READ:
			case HCK_MSR_WRITE:
				nm = host_msr_name(x->k.key);
				fprintf(f, "  %7u 0x%-10llx %-32s %9llu\n", x->k.pid, x->k.key, nm ? nm : "", x->count);
				break;
			case HCK_SET_IRQ:
				fprintf(f, "  %7u %-16s gsi %-6llu %9llu\n", x->k.pid, comm_of(r, x->k.pid), x->k.key, x->count);
				break;
			case HCK_MSI:
				fprintf(f, "  %7u %-16s vector 0x%02llx dest %-4llu %9llu\n", x->k.pid, comm_of(r, x->k.pid),
					x->k.key & 0xff, x->k.key >> 8, x->count);
				break;
			case HCK_INJ_VIRQ:
				fprintf(f, "  %7u vector 0x%02llx %9llu\n", x->k.pid, x->k.key, x->count);
				break;
			case HCK_UEXIT:
				nm = host_uexit_name(x->k.key);
				fprintf(f, "  %7u %-18s %9llu\n", x->k.pid, nm ? nm : "?", x->count);
				break;
			}
		}
	}
	fprintf(f, "exits not timed: %llu still open at the end (a vCPU that stopped, e.g. the final HLT), %llu followed by another exit; %llu entries without an exit before them (first KVM_RUN)\n",
		r->ctr[HC_OPEN_AT_END], r->ctr[HC_NO_ENTRY], r->ctr[HC_ENTRY_ALONE]);
	if (r->ctr[HC_REASON_UNREAD])
		fprintf(f, "exit reason unreadable for %llu exits (no kvm_amd/kvm_intel BTF)\n", r->ctr[HC_REASON_UNREAD]);
	/* MSI and GSI rows above are keyed by the process current when KVM
	 * delivered them: a vhost worker's or a hardirq's land elsewhere; the
	 * irqfd tables are keyed by the VM itself */
	if (!r->irqfd_probe)
		fprintf(f, "irqfd_wakeup not probed: interrupt injection has no source (VMM thread, vhost worker, passthrough device)\n");
	else
		fprintf(f, "irqfd signals: %llu (%llu unreadable: no kvm module BTF)\n", r->ctr[HC_IRQFD],
			r->ctr[HC_IRQFD_UNREAD]);
	print_inj(f, r, 0);
	if (r->ctr[HC_EXIT_MAP_FULL] || r->ctr[HC_IO_MAP_FULL] || r->ctr[HC_CNT_MAP_FULL] ||
	    r->ctr[HC_THREAD_MAP_FULL] || r->ctr[HC_PROC_MAP_FULL] || r->ctr[HC_INJ_MAP_FULL] ||
	    r->ctr[HC_VM_MAP_FULL] || r->ctr[HC_KICK_MAP_FULL])
		fprintf(f, "NOT RECORDED: exit map full %llu, I/O map full %llu, counter map full %llu, thread map full %llu, process map full %llu, irqfd map full %llu, VM map full %llu, vhost kick map full %llu times\n",
			r->ctr[HC_EXIT_MAP_FULL], r->ctr[HC_IO_MAP_FULL], r->ctr[HC_CNT_MAP_FULL],
			r->ctr[HC_THREAD_MAP_FULL], r->ctr[HC_PROC_MAP_FULL], r->ctr[HC_INJ_MAP_FULL],
			r->ctr[HC_VM_MAP_FULL], r->ctr[HC_KICK_MAP_FULL]);
}

static void hist_fields(struct jw *w, const unsigned long long *slots, unsigned long long timed,
			unsigned long long sum, unsigned long long max)
{
	jw_uint(w, "timed", timed);
	jw_double(w, "mean_ns", timed ? (double)sum / timed : 0);
	jw_double(w, "p50_ns", qmax(slots, 0.5, max));
	jw_double(w, "p99_ns", qmax(slots, 0.99, max));
}

/* flat objects, one per (GSI, source) (the lab's awk reads them line by line) */
static void json_inj(struct jw *w, const struct host_report *r, unsigned pid, const char *key)
{
	char src[160];

	jw_arr_begin(w, key);
	for (int i = 0; i < r->ninj; i++) {
		const struct host_inj_row *x = &r->inj[i];

		if (x->pid != pid)
			continue;
		jw_obj_begin(w, NULL);
		jw_uint(w, "gsi", x->k.gsi);
		jw_str(w, "route", route_name(x->v.route));
		if (x->v.route == 2) {
			jw_uint(w, "msi_vector", x->v.msi_data & 0xff);
			jw_uint(w, "msi_dest", (x->v.msi_addr >> 12) & 0xff);
		}
		jw_uint(w, "signals", x->v.count);
		if (x->v.kick_bus) {
			unsigned kind = kick_io_kind(x->v.kick_bus);

			jw_str(w, "kick_bus", kind ? io_kind_names[kind] : "other");
			jw_uint(w, "kick_addr", x->v.kick_addr);
			if (!x->v.kick_wildcard)
				jw_uint(w, "kick_queue", x->v.kick_data);
		}
		jw_str(w, "source_kind", x->k.src_kind == HSRC_HARDIRQ ? "hardirq" :
			 !strncmp(x->v.comm, "vhost-", 6) ? "vhost" :
			 x->pid && x->v.tgid == x->pid ? "vmm" : "thread");
		jw_str(w, "source", host_inj_source(x, src, sizeof(src)));
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

void host_json(struct jw *w, const struct host_report *r)
{
	static const char *const ctr_names[HC__COUNT] = {
		"exits", "entries", "timed", "exit_without_entry", "entry_without_exit", "reason_unreadable",
		"io_repeat_in_exit", "io_outside_exit", "ioeventfd_calls", "exit_map_full", "io_map_full",
		"counter_map_full", "thread_map_full", "process_map_full", "open_at_end",
		"irqfd_signals", "irqfd_unreadable", "irqfd_map_full", "vm_map_full", "kick_map_full",
	};
	unsigned pids[HOST_MAX_PROCS];
	int np;
	char lb[48], dev[128], q[256];

	qsort(r->io, r->nio, sizeof(*r->io), io_cmp);
	qsort(r->cnt, r->ncnt, sizeof(*r->cnt), cnt_cmp);
	qsort(r->inj, r->ninj, sizeof(*r->inj), inj_cmp);
	vm_pids(r, pids, &np);
	jw_obj_begin(w, "host");
	jw_double(w, "seconds", r->seconds);
	jw_bool(w, "ioeventfd_probed", r->ioeventfd_probe);
	jw_bool(w, "irqfd_probed", r->irqfd_probe);
	jw_obj_begin(w, "counters");
	for (int c = 0; c < HC__COUNT; c++)
		jw_uint(w, ctr_names[c], r->ctr[c]);
	jw_obj_end(w);
	jw_obj_begin(w, "totals");
	for (unsigned kind = HIO_PIO; kind < HIO__COUNT; kind++) {
		unsigned long long t[3];
		char k[32];

		io_totals(r, kind, t);
		snprintf(k, sizeof(k), "%s_exits", io_kind_names[kind]);
		jw_uint(w, k, t[0]);
		snprintf(k, sizeof(k), "%s_to_vmm", io_kind_names[kind]);
		jw_uint(w, k, t[1]);
		snprintf(k, sizeof(k), "%s_ioeventfd", io_kind_names[kind]);
		jw_uint(w, k, t[2]);
	}
	jw_obj_end(w);
	jw_arr_begin(w, "vms");
	for (int p = 0; p < np; p++) {
		struct reason_sum *s = calloc(r->nexit, sizeof(*s));
		unsigned long long tot, tot_ns;
		int n;

		if (!s)
			break;
		n = vm_sums(r, pids[p], s, &tot, &tot_ns);
		jw_obj_begin(w, NULL);
		jw_uint(w, "pid", pids[p]);
		jw_str(w, "comm", comm_of(r, pids[p]));
		jw_uint(w, "exits", tot);
		{
			const struct host_proc *pr = proc_of(r, pids[p]);
			unsigned long long gp = guest_packets(r, pr);

			if (pr && pr->ntaps) {
				jw_str(w, "taps", pr->taps);
				jw_uint(w, "guest_tx_packets", pr->guest_tx);
				jw_uint(w, "guest_rx_packets", pr->guest_rx);
			}
			if (gp) {
				jw_uint(w, "guest_packets", gp);
				jw_str(w, "guest_packets_from", r->guest_packets ? "--guest-packets" : "taps");
				jw_double(w, "exits_per_guest_packet", (double)tot / gp);
			}
		}
		jw_arr_begin(w, "reasons");
		for (int i = 0; i < n; i++) {
			jw_obj_begin(w, NULL);
			jw_str(w, "isa", s[i].isa == HOST_ISA_SVM ? "svm" : s[i].isa == HOST_ISA_VMX ? "vmx" : "unknown");
			jw_uint(w, "reason", s[i].reason);
			jw_str(w, "name", reason_label(s[i].isa, s[i].reason, lb, sizeof(lb)));
			jw_uint(w, "count", s[i].v.count);
			jw_double(w, "pct", tot ? 100.0 * s[i].v.count / tot : 0);
			jw_double(w, "time_pct", tot_ns ? 100.0 * s[i].v.sum_ns / tot_ns : 0);
			hist_fields(w, s[i].v.slots, s[i].v.timed, s[i].v.sum_ns, s[i].v.max_ns);
			jw_uint(w, "max_ns", s[i].v.max_ns);
			jw_obj_end(w);
		}
		jw_arr_end(w);
		jw_arr_begin(w, "per_vcpu");
		for (int i = 0; i < r->nexit; i++) {
			const struct host_exit_row *x = &r->exit[i];

			if (x->k.pid != pids[p])
				continue;
			jw_obj_begin(w, NULL);
			jw_int(w, "vcpu", (int)x->k.vcpu);
			jw_str(w, "name", reason_label(x->k.isa, x->k.reason, lb, sizeof(lb)));
			jw_uint(w, "reason", x->k.reason);
			jw_uint(w, "count", x->v.count);
			hist_fields(w, x->v.slots, x->v.timed, x->v.sum_ns, x->v.max_ns);
			jw_uint(w, "max_ns", x->v.max_ns);
			jw_obj_end(w);
		}
		jw_arr_end(w);
		json_inj(w, r, pids[p], "irqfd");
		jw_obj_end(w);
		free(s);
	}
	jw_arr_end(w);
	json_inj(w, r, 0, "irqfd_vm_unknown");
	/* flat objects, one per address (the lab's awk reads them line by line) */
	jw_arr_begin(w, "io");
	for (int i = 0; i < r->nio; i++) {
		const struct host_io_row *x = &r->io[i];

		host_io_values(&x->v, q, sizeof(q));
		jw_obj_begin(w, NULL);
		jw_str(w, "kind", x->k.kind < HIO__COUNT ? io_kind_names[x->k.kind] : "?");
		jw_uint(w, "pid", x->k.pid);
		jw_uint(w, "addr", x->k.addr);
		jw_bool(w, "write", x->k.write);
		jw_uint(w, "len", x->k.len);
		jw_uint(w, "exits", x->v.count);
		jw_uint(w, "to_vmm", x->v.to_user);
		jw_uint(w, "in_kernel", x->v.count - x->v.to_user);
		jw_uint(w, "ioeventfd", x->v.ioeventfd);
		jw_str(w, "values", q);
		jw_uint(w, "timed", x->v.timed);
		jw_double(w, "mean_ns", x->v.timed ? (double)x->v.sum_ns / x->v.timed : 0);
		jw_double(w, "p99_ns", log2_quantile(x->v.slots, HOST_HIST_SLOTS, 0.99));
		jw_str(w, "device", host_io_device(x, dev, sizeof(dev)));
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_arr_begin(w, "counts");
	for (int i = 0; i < r->ncnt; i++) {
		const struct host_cnt_row *x = &r->cnt[i];
		const char *nm = NULL;

		jw_obj_begin(w, NULL);
		jw_str(w, "kind", x->k.kind < HCK__COUNT ? cnt_kind_names[x->k.kind] : "?");
		jw_uint(w, "pid", x->k.pid);
		jw_str(w, "comm", comm_of(r, x->k.pid));
		switch (x->k.kind) {
		case HCK_MSR_READ:
		case HCK_MSR_WRITE:
			jw_uint(w, "msr", x->k.key);
			nm = host_msr_name(x->k.key);
			if (x->k.kind == HCK_MSR_WRITE) {
				/* what the exit model says of this guest wrmsr on KVM: a write it calls
				 * "stays" that shows up here as an exit is the model contradicted */
				const struct xm_row *m = exit_model_row(exit_model_msr_kind(x->k.key));

				jw_str(w, "model_kind", m->name);
				jw_str(w, "model_kvm", exit_verdict_name(m->cell[XP_KVM].v));
			}
			break;
		case HCK_SET_IRQ:
			jw_uint(w, "gsi", x->k.key);
			break;
		case HCK_MSI:
			jw_uint(w, "vector", x->k.key & 0xff);
			jw_uint(w, "dest", x->k.key >> 8);
			break;
		case HCK_INJ_VIRQ:
			jw_uint(w, "vector", x->k.key);
			break;
		case HCK_UEXIT:
			jw_uint(w, "reason", x->k.key);
			nm = host_uexit_name(x->k.key);
			break;
		}
		jw_str(w, "name", nm);
		jw_uint(w, "count", x->count);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
}
