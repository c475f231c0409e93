/* The KVM host accounting (bpf/host.h), driven in the real kernel with
 * BPF_PROG_TEST_RUN on the raw_tp handlers of the kvm tracepoints and, for
 * ioeventfd_write (a function this machine cannot probe), through the
 * test-only iop_test_func. Every event runs on the calling thread (no
 * ON_CPU flag), so exits and entries pair like on one vCPU thread. The fake
 * vcpu pointer lies in the unmapped guard hole: the CO-RE reads through it
 * fail, so the reason reads as "unknown" and the vCPU id as -1, which the
 * assertions expect. Needs root. */
#include <unistd.h>

#include "report/host_report.h"
#include "bpfrun.h"
#include "testutil.h"

#define KH "kvm-host"
static const struct want_point want[] = {
	{ KH, "kvm:kvm_exit", KIND_TP }, { KH, "kvm:kvm_entry", KIND_TP }, { KH, "kvm:kvm_pio", KIND_TP },
	{ KH, "kvm:kvm_mmio", KIND_TP }, { KH, "kvm:kvm_fast_mmio", KIND_TP }, { KH, "kvm:kvm_msr", KIND_TP },
	{ KH, "kvm:kvm_set_irq", KIND_TP }, { KH, "kvm:kvm_msi_set_irq", KIND_TP },
	{ KH, "kvm:kvm_inj_virq", KIND_TP }, { KH, "kvm:kvm_userspace_exit", KIND_TP },
	{ KH, "ioeventfd_write", KIND_FUNC }, { KH, "irqfd_wakeup", KIND_FUNC },
};
#define NPT (sizeof(want) / sizeof(want[0]))
#define P_IOEVENTFD 11
#define P_IRQFD 12
#define VCPU 0xffff800000001000ull   /* x86-64 guard hole: never mapped */

static struct engine e;
static struct resolved pts[NPT];
static struct kcaps caps;

static void load(bool host)
{
	bpf_load_points(&e, pts, want, NPT, &caps, &(struct engine_opts){ .host = host, .test_hooks = true });
}

static void tp(const char *name, __u64 a0, __u64 a1, __u64 a2, __u64 a3, __u64 a4)
{
	__u64 args[6] = { a0, a1, a2, a3, a4, 0 };

	bpf_run_rtp(e.skel->obj, name, args, 6, -1);   /* checks the caller's pid */
}

static void ioeventfd(void)
{
	__u64 args[6] = { P_IOEVENTFD, 0, 0, 0, 0, 0 };

	bpf_run_args(bpf_program__fd(e.skel->progs.iop_test_func), args, 6, -1, "iop_test_func");
}

/* irqfd_wakeup(wait, mode, sync, key): the wait entry is the fake vCPU page's neighbour */
static void irqfd(__u64 key)
{
	__u64 args[6] = { P_IRQFD, 0, VCPU + 0x1000, key, 0, 0 };

	bpf_run_args(bpf_program__fd(e.skel->progs.iop_test_func), args, 6, -1, "iop_test_func");
}

static const struct host_io_row *io_row(const struct host_report *r, unsigned kind, unsigned long long addr)
{
	for (int i = 0; i < r->nio; i++)
		if (r->io[i].k.kind == kind && r->io[i].k.addr == addr)
			return &r->io[i];
	return NULL;
}

static unsigned long long cnt(const struct host_report *r, unsigned kind, unsigned long long key)
{
	for (int i = 0; i < r->ncnt; i++)
		if (r->cnt[i].k.kind == kind && r->cnt[i].k.key == key)
			return r->cnt[i].count;
	return 0;
}

START_TEST(exits_io_and_injection)
{
	struct host_report r = {};
	const struct host_io_row *io;
	unsigned long long exits = 0, timed = 0;

	load(true);
	tp("kvm_entry", VCPU, 0, 0, 0, 0);                       /* first KVM_RUN: no exit before */
	/* a port write that goes to the VMM (KVM_EXIT_IO = 2) */
	tp("kvm_exit", VCPU, HOST_ISA_SVM, 0, 0, 0);
	tp("kvm_pio", 1, 0x3f8, 1, 1, 0);
	tp("kvm_userspace_exit", 2, 0, 0, 0, 0);
	tp("kvm_entry", VCPU, 0, 0, 0, 0);
	/* an MMIO write to the VMM (KVM_EXIT_MMIO = 6), twice */
	for (int i = 0; i < 2; i++) {
		tp("kvm_exit", VCPU, HOST_ISA_SVM, 0, 0, 0);
		tp("kvm_mmio", 2, 4, 0x8000, 0, 0);
		tp("kvm_userspace_exit", 6, 0, 0, 0, 0);
		tp("kvm_entry", VCPU, 0, 0, 0, 0);
	}
	/* a virtio notify: handled in the kernel by an ioeventfd */
	tp("kvm_exit", VCPU, HOST_ISA_SVM, 0, 0, 0);
	tp("kvm_mmio", 2, 2, 0xfe003004, 0, 0);
	ioeventfd();
	tp("kvm_entry", VCPU, 0, 0, 0, 0);
	/* an MMIO read the VMM completes: two kvm_mmio events, one exit */
	tp("kvm_exit", VCPU, HOST_ISA_SVM, 0, 0, 0);
	tp("kvm_mmio", 0, 4, 0xfed00000, 0, 0);
	tp("kvm_userspace_exit", 6, 0, 0, 0, 0);
	tp("kvm_mmio", 1, 4, 0xfed00000, 0, 0);
	tp("kvm_entry", VCPU, 0, 0, 0, 0);
	/* an exit whose vCPU never re-enters, then the final one (HLT, KVM_EXIT_HLT = 5) */
	tp("kvm_exit", VCPU, HOST_ISA_SVM, 0, 0, 0);
	tp("kvm_exit", VCPU, HOST_ISA_SVM, 0, 0, 0);
	tp("kvm_userspace_exit", 5, 0, 0, 0, 0);
	/* the HLT exit re-entered; then an I/O event outside any open exit is not an exit */
	tp("kvm_entry", VCPU, 0, 0, 0, 0);
	tp("kvm_pio", 1, 0x3f8, 1, 1, 0);
	/* MSR, interrupt lines, MSI, injection */
	tp("kvm_msr", 1, 0x6e0, 12345, 0, 0);
	tp("kvm_msr", 0, 0x1b, 0, 0, 0);
	tp("kvm_set_irq", 5, 1, 0, 0, 0);
	tp("kvm_set_irq", 5, 0, 0, 0, 0);                       /* de-assert: not counted */
	tp("kvm_msi_set_irq", 0xfee01000, 0x4041, 0, 0, 0);
	tp("kvm_inj_virq", 0x30, 0, 0, 0, 0);
	/* irqfd signals (EPOLLIN) counted; EPOLLHUP (the irqfd closing) not. The irqfd behind
	 * the fake wait entry cannot be read (no kvm module BTF here, or the read faults), so
	 * each signal is counted as unreadable and makes no row */
	irqfd(0x1);
	irqfd(0x41);
	irqfd(0x10);

	ck_assert_int_eq(host_collect(&e, &r, pts, NPT), 0);
	for (int i = 0; i < r.nexit; i++) {
		ck_assert_uint_eq(r.exit[i].k.pid, (unsigned)getpid());
		ck_assert_uint_eq(r.exit[i].k.isa, HOST_ISA_SVM);
		ck_assert_uint_eq(r.exit[i].k.reason, HOST_REASON_UNKNOWN);   /* no vcpu_svm behind it */
		ck_assert_uint_eq(r.exit[i].k.vcpu, 0xffffffffu);              /* vcpu_id unreadable */
		exits += r.exit[i].v.count;
		timed += r.exit[i].v.timed;
	}
	ck_assert_int_eq(r.nexit, 1);
	ck_assert_uint_eq(exits, 7);
	ck_assert_uint_eq(timed, 6);                 /* all but the one never re-entered */
	ck_assert_uint_eq(r.ctr[HC_EXITS], 7);
	ck_assert_uint_eq(r.ctr[HC_ENTRIES], 7);
	ck_assert_uint_eq(r.ctr[HC_TIMED], 6);
	ck_assert_uint_eq(r.ctr[HC_NO_ENTRY], 1);
	ck_assert_uint_eq(r.ctr[HC_ENTRY_ALONE], 1);
	ck_assert_uint_eq(r.ctr[HC_REASON_UNREAD], 7);
	ck_assert_uint_eq(r.ctr[HC_IO_REPEAT], 1);
	ck_assert_uint_eq(r.ctr[HC_IO_OUTSIDE], 1);
	ck_assert_uint_eq(r.ctr[HC_IOEVENTFD], 1);

	io = io_row(&r, HIO_PIO, 0x3f8);
	ck_assert_ptr_nonnull(io);
	ck_assert_uint_eq(io->v.count, 1);
	ck_assert_uint_eq(io->v.to_user, 1);
	ck_assert_uint_eq(io->v.timed, 1);
	ck_assert(io->k.write);
	io = io_row(&r, HIO_MMIO, 0x8000);
	ck_assert_ptr_nonnull(io);
	ck_assert_uint_eq(io->v.count, 2);
	ck_assert_uint_eq(io->v.to_user, 2);
	ck_assert_uint_eq(io->k.len, 4);
	io = io_row(&r, HIO_MMIO, 0xfe003004);
	ck_assert_ptr_nonnull(io);
	ck_assert_uint_eq(io->v.count, 1);
	ck_assert_uint_eq(io->v.to_user, 0);
	ck_assert_uint_eq(io->v.ioeventfd, 1);
	io = io_row(&r, HIO_MMIO, 0xfed00000);
	ck_assert_ptr_nonnull(io);
	ck_assert_uint_eq(io->v.count, 1);           /* the completion is not a second exit */
	ck_assert(!io->k.write);
	ck_assert_uint_eq(io->v.to_user, 1);

	ck_assert_uint_eq(cnt(&r, HCK_UEXIT, 2), 1);
	ck_assert_uint_eq(cnt(&r, HCK_UEXIT, 6), 3);
	ck_assert_uint_eq(cnt(&r, HCK_UEXIT, 5), 1);
	ck_assert_uint_eq(cnt(&r, HCK_MSR_WRITE, 0x6e0), 1);
	ck_assert_uint_eq(cnt(&r, HCK_MSR_READ, 0x1b), 1);
	ck_assert_uint_eq(cnt(&r, HCK_SET_IRQ, 5), 1);
	ck_assert_uint_eq(cnt(&r, HCK_MSI, 0x41 | 1 << 8), 1);
	ck_assert_uint_eq(cnt(&r, HCK_INJ_VIRQ, 0x30), 1);
	ck_assert_uint_eq(r.ctr[HC_IRQFD], 2);
	ck_assert_uint_eq(r.ctr[HC_IRQFD_UNREAD], 2);
	ck_assert_int_eq(r.ninj, 0);
	ck_assert_int_eq(r.nproc, 1);
	ck_assert_uint_eq(r.proc[0].pid, (unsigned)getpid());
	ck_assert(r.proc[0].comm[0]);
	host_report_free(&r);
	engine_close(&e);
}
END_TEST

START_TEST(off_without_host)
{
	/* host_on false: the handlers count hits, no host accounting */
	load(false);
	tp("kvm_exit", VCPU, HOST_ISA_VMX, 0, 0, 0);
	tp("kvm_pio", 1, 0x3f8, 1, 1, 0);
	ck_assert_uint_eq(e.skel->bss->host_ctr[HC_EXITS], 0);
	ck_assert_uint_eq(e.skel->bss->host_ctr[HC_IO_OUTSIDE], 0);
	engine_close(&e);
}
END_TEST

int main(void)
{
	return RUN_TESTS_TIMEOUT("host_bpf", "kvm", 60, exits_io_and_injection, off_without_host);
}
