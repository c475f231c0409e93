/* The KVM host report's tables and output, without BPF: exit reason names
 * for SVM and VMX (checked against the kernel's uapi numbers), KVM_EXIT_*
 * names, MSR names, the guest device of an I/O address, and a recording
 * with a host section that reports exactly what was printed live. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/host_report.h"
#include "record/recdata.h"
#include "platform/taps.h"
#include "testutil.h"

/* Exit reason names: want[i].name for code want[i].code of isa. */
struct reason {
	unsigned code;
	const char *name;
};

static void reasons_are(unsigned isa, const struct reason *want, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *got = host_reason_name(isa, want[i].code);

		ck_assert_msg(got && !strcmp(got, want[i].name), "isa %u exit %#x: '%s', want '%s'", isa,
			      want[i].code, got ? got : "(null)", want[i].name);
	}
}

START_TEST(svm_reasons)
{
	/* arch/x86/include/uapi/asm/svm.h */
	static const struct reason svm[] = {
		{ 0x000, "read_cr0" }, { 0x013, "write_cr3" }, { 0x027, "read_dr7" },
		{ 0x04e, "PF excp" }, { 0x060, "interrupt" }, { 0x064, "vintr" },
		{ 0x072, "cpuid" }, { 0x077, "pause" }, { 0x078, "hlt" }, { 0x07b, "io" },
		{ 0x07c, "msr" }, { 0x07f, "shutdown" }, { 0x081, "hypercall" },
		{ 0x08d, "xsetbv" }, { 0x08f, "write_efer_trap" }, { 0x090, "write_cr0_trap" },
		{ 0x400, "npf" }, { 0x402, "avic_unaccelerated_access" },
		{ 0xffffffff, "invalid_guest_state" },
	};

	reasons_are(HOST_ISA_SVM, svm, sizeof(svm) / sizeof(svm[0]));
	ck_assert_ptr_null(host_reason_name(HOST_ISA_SVM, 0x300));
	ck_assert_ptr_null(host_reason_name(HOST_ISA_SVM, 0x04f));    /* no exception 15 */
}
END_TEST

START_TEST(vmx_reasons)
{
	/* arch/x86/include/uapi/asm/vmx.h */
	static const struct reason vmx[] = {
		{ 0, "EXCEPTION_NMI" }, { 1, "EXTERNAL_INTERRUPT" }, { 10, "CPUID" }, { 12, "HLT" },
		{ 18, "VMCALL" }, { 28, "CR_ACCESS" }, { 30, "IO_INSTRUCTION" }, { 31, "MSR_READ" },
		{ 32, "MSR_WRITE" }, { 40, "PAUSE_INSTRUCTION" }, { 44, "APIC_ACCESS" },
		{ 48, "EPT_VIOLATION" }, { 49, "EPT_MISCONFIG" }, { 52, "PREEMPTION_TIMER" },
		{ 56, "APIC_WRITE" }, { 74, "BUS_LOCK" },
	};

	reasons_are(HOST_ISA_VMX, vmx, sizeof(vmx) / sizeof(vmx[0]));
	ck_assert_ptr_null(host_reason_name(HOST_ISA_VMX, 35));
	ck_assert_ptr_null(host_reason_name(HOST_ISA_VMX, 1000));
	ck_assert_ptr_nonnull(host_reason_name(HOST_ISA_VMX, HOST_REASON_UNKNOWN));
	ck_assert_ptr_null(host_reason_name(HOST_ISA_UNKNOWN, 12));
}
END_TEST

START_TEST(other_names)
{
	ck_assert_str_eq(host_uexit_name(2), "IO");
	ck_assert_str_eq(host_uexit_name(5), "HLT");
	ck_assert_str_eq(host_uexit_name(6), "MMIO");
	ck_assert_str_eq(host_uexit_name(10), "INTR");
	ck_assert_str_eq(host_uexit_name(24), "SYSTEM_EVENT");
	ck_assert_ptr_null(host_uexit_name(4000));
	ck_assert_str_eq(host_msr_name(0x6e0), "IA32_TSC_DEADLINE");
	ck_assert_str_eq(host_msr_name(0xc0000080), "EFER");
	ck_assert_ptr_null(host_msr_name(0x12345));
}
END_TEST

static struct host_io_row io(unsigned kind, unsigned long long addr, int write, unsigned long long count,
			     unsigned long long to_user, unsigned long long ioeventfd, unsigned long long values)
{
	struct host_io_row r = { .k = { .addr = addr, .kind = kind, .write = write, .len = 2 },
				 .v = { .count = count, .to_user = to_user, .ioeventfd = ioeventfd, .values = values } };

	return r;
}

/* host_io_device() names r's guest device want. */
static void device_is(struct host_io_row r, const char *want)
{
	char b[128];
	const char *got = host_io_device(&r, b, sizeof(b));

	ck_assert_msg(got && !strcmp(got, want), "%s %#llx: '%s', want '%s'",
		      r.k.kind == HIO_PIO ? "port" : "MMIO", (unsigned long long)r.k.addr,
		      got ? got : "(null)", want);
}

START_TEST(devices)
{
	device_is(io(HIO_PIO, 0x3f8, 1, 200, 200, 0, 0), "COM1 serial (16550)");
	device_is(io(HIO_PIO, 0xcfc, 0, 10, 10, 0, 0), "PCI config (0xcf8/0xcfc)");
	device_is(io(HIO_MMIO, 0xfee000b0, 1, 10, 0, 0, 0), "local APIC");
	/* modern virtio notify: queue 1 of the device whose notify page is 0xfebf3000 */
	device_is(io(HIO_MMIO, 0xfebf3004, 1, 30, 0, 30, 1ull << 1), "virtio notify (ioeventfd) page 0xfebf3000 queue 1");
	/* legacy virtio: notify register at BAR0 + 16, queue index written */
	device_is(io(HIO_PIO, 0xc010, 1, 5, 0, 5, 3), "virtio legacy notify (ioeventfd) BAR 0xc000 queue 0,1");
	device_is(io(HIO_MMIO, 0xfebf3008, 1, 5, 0, 0, 0), "handled in the kernel (ioeventfd or in-kernel device)");
	device_is(io(HIO_MMIO, 0x8000, 1, 200, 200, 0, 0), "PCI BAR or unbacked memory (VMM)");
}
END_TEST

START_TEST(recording_round_trip)
{
	struct host_exit_row ex[2] = {
		{ .k = { .pid = 42, .vcpu = 0, .reason = 0x7b, .isa = HOST_ISA_SVM },
		  .v = { .count = 200, .timed = 200, .sum_ns = 2000000, .max_ns = 40000, .slots = { [13] = 200 } } },
		{ .k = { .pid = 42, .vcpu = 0, .reason = 0x400, .isa = HOST_ISA_SVM },
		  .v = { .count = 201, .timed = 201, .sum_ns = 3000000, .max_ns = 50000, .slots = { [13] = 201 } } },
	};
	struct host_io_row ios[2] = { io(HIO_PIO, 0x3f8, 1, 200, 200, 0, 1ull << 43),
				      io(HIO_MMIO, 0x8000, 1, 200, 200, 0, 0) };
	struct host_cnt_row cn[2] = { { .k = { .key = 2, .pid = 42, .kind = HCK_UEXIT }, .count = 400 },
				      { .k = { .key = 0x6e0, .pid = 42, .kind = HCK_MSR_WRITE }, .count = 3 } };
	struct host_proc pr[1] = { { .pid = 42, .comm = "kvmtiny", .ntaps = 1, .guest_tx = 12, .guest_rx = 11,
				     .taps = "tap0" } };
	struct host_inj_row inj[3] = {
		{ .k = { .kvm = 0xffff888001000000ull, .gsi = 24, .src_kind = HSRC_TASK, .src_id = 801 },
		  .v = { .count = 620, .route = 2, .msi_data = 0x41, .msi_addr = 0xfee01000, .tgid = 800,
			 .comm = "vhost-42", .kick_addr = 0xfe003004, .kick_data = 1, .kick_bus = 1 }, .pid = 42 },
		{ .k = { .kvm = 0xffff888001000000ull, .gsi = 25, .src_kind = HSRC_TASK, .src_id = 43 },
		  .v = { .count = 64, .route = 2, .msi_data = 0x42, .msi_addr = 0xfee00000, .tgid = 42,
			 .comm = "kvmtiny" }, .pid = 42 },
		{ .k = { .kvm = 0xffff888001000000ull, .gsi = 26, .src_kind = HSRC_HARDIRQ, .src_id = 45 },
		  .v = { .count = 7, .route = 2, .msi_data = 0x43 }, .pid = 42,
		  .src = "PCI-MSIX-0000:3b:02.1 vfio-msix[0](0000:3b:02.1)" },
	};
	struct host_report h = { .seconds = 1.5, .ctr = { [HC_EXITS] = 401, [HC_ENTRIES] = 401, [HC_IRQFD] = 691 },
				 .nexit = 2, .nio = 2, .ncnt = 2, .nproc = 1, .ninj = 3, .irqfd_probe = 1,
				 .exit = ex, .io = ios, .cnt = cn, .proc = pr, .inj = inj };
	struct exits_report x = { .seconds = 1.5 };
	struct probe_point pp = { .profile = "kvm-host", .symbols = "kvm:kvm_exit", .kind = KIND_TP,
				  .role = ROLE_HOST_EXIT, .path = PATH_HOST, .id_arg = -1 };
	struct resolved rp = { .pt = &pp, .id = 1, .module = "kvm", .symbol = "kvm_exit", .tp_system = "kvm",
			       .method = METHOD_TP_BTF, .status = PST_ATTACHED, .hits = 401 };
	struct rec_data d = { .has_exits = true, .has_host = true, .pts = &rp, .n = 1, .cmd_status = 0,
			      .exits = &x, .host = &h, .version = "test", .kernel = "6.1.0-test" };
	struct rec_data l;
	char path[] = "/tmp/iopath-host-XXXXXX", err[256];
	char *live, *loaded, *lj, *ljl;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	close(fd);
	live = CAPTURE(f, rec_data_print(f, &d));
	lj = CAPTURE(f, rec_data_json(f, &d));
	ASSERT_HAS(live, "VM pid 42 (kvmtiny): 401 exits", "npf", "COM1 serial",
		   "guest NIC on host tap tap0: 12 packets sent, 11 received",
		   "17.43 exits per guest packet (23 packets)",   /* 401 / 23 */
		   "interrupt injection through irqfds: 691 signals",
		   "   24 MSI        0x41    1       620  vhost worker vhost-42 (tid 801) "
		   "for the virtqueue kicked at MMIO 0xfe003004 queue 1",
		   "VMM thread kvmtiny (tid 43): a device the VMM emulates",
		   "passthrough device, host IRQ 45: PCI-MSIX-0000:3b:02.1 vfio-msix[0](0000:3b:02.1)");
	ASSERT_HAS(lj, "\"guest_packets_from\": \"taps\"", "\"source_kind\": \"vhost\"",
		   "\"kick_bus\": \"mmio\"",   /* kick_bus 1 = KVM_MMIO_BUS + 1 */
		   "\"kick_queue\": 1", "\"host\"");
	ck_assert_int_eq(rec_data_save(&d, path), 0);
	ck_assert_msg(!rec_data_load(&l, path, err, sizeof(err)), "%s", err);
	ck_assert(l.has_host);
	ck_assert_int_eq(l.host->nexit, 2);
	ck_assert_int_eq(l.host->nio, 2);
	ck_assert_int_eq(l.host->ninj, 3);
	loaded = CAPTURE(f, rec_data_print(f, &l));
	ljl = CAPTURE(f, rec_data_json(f, &l));
	ck_assert_str_eq(loaded, live);
	ck_assert_str_eq(ljl, lj);
	rec_data_free(&l);
	unlink(path);
	free(live);
	free(loaded);
	free(lj);
	free(ljl);
}
END_TEST

/* A /proc + /sys tree: write TEXT to ROOT/REL (directories made). */
static void put_file(const char *root, const char *rel, const char *text)
{
	char p[512], cmd[600];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", p);
	ck_assert_int_eq(system(cmd), 0);
	f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* ROOT/proc/PID/fd/FD -> TARGET, and its fdinfo TEXT */
static void put_fd(const char *root, unsigned pid, int fd, const char *target, const char *fdinfo)
{
	char rel[128], p[512], cmd[1200];

	snprintf(rel, sizeof(rel), "proc/%u/fdinfo/%d", pid, fd);
	put_file(root, rel, fdinfo);
	snprintf(p, sizeof(p), "%s/proc/%u/fd", root, pid);
	snprintf(cmd, sizeof(cmd), "mkdir -p %s && ln -sf %s %s/%d", p, target, p, fd);
	ck_assert_int_eq(system(cmd), 0);
}

static void tap_stats(const char *root, const char *ifname, const char *rx, const char *tx)
{
	char rel[128];

	snprintf(rel, sizeof(rel), "sys/class/net/%s/statistics/rx_packets", ifname);
	put_file(root, rel, rx);
	snprintf(rel, sizeof(rel), "sys/class/net/%s/statistics/tx_packets", ifname);
	put_file(root, rel, tx);
}

/* Taps from fdinfo + sysfs: queues of one tap counted once, non-tun interfaces and
 * descriptors ignored, an owner seen in either scan, a re-created tap left out. */
START_TEST(taps)
{
	char root[] = "/tmp/iopath-taps-XXXXXX", cmd[64], names[64];
	struct tap_snap *b = calloc(1, sizeof(*b)), *a = calloc(1, sizeof(*a));
	unsigned long long tx, rx;
	struct host_proc pr[3] = { { .pid = 100, .comm = "qemu-a" }, { .pid = 200, .comm = "qemu-b" },
				   { .pid = 300, .comm = "qemu-c" } };
	struct host_report h = { .nproc = 3, .proc = pr };

	ck_assert_ptr_nonnull(mkdtemp(root));
	ck_assert_ptr_nonnull(b);
	ck_assert_ptr_nonnull(a);
	/* pid 100: tap0 with two queues and an ordinary file; pid 200: tap1; pid 300's tap2 is
	 * made before it starts (persistent): its owner shows up in the second scan only */
	put_fd(root, 100, 3, "/dev/net/tun", "pos:\t0\nflags:\t0100002\nmnt_id:\t25\nino:\t1043\niff:\ttap0\n");
	put_fd(root, 100, 4, "/dev/net/tun", "pos:\t0\nflags:\t0100002\niff:\ttap0\n");
	put_fd(root, 100, 5, "/var/log/x", "pos:\t0\nflags:\t02\n");
	put_fd(root, 100, 6, "/var/log/y", "iff:\ttap9\n");    /* not a tun descriptor: not read */
	put_fd(root, 200, 7, "/dev/net/tun", "iff:\ttap1\n");
	put_file(root, "proc/net/dev", "");
	for (int i = 0; i < 3; i++) {
		char rel[64];

		snprintf(rel, sizeof(rel), "sys/class/net/tap%d/tun_flags", i);
		put_file(root, rel, "0x1002\n");
	}
	tap_stats(root, "tap0", "10\n", "5\n");
	tap_stats(root, "tap1", "7\n", "7\n");
	tap_stats(root, "tap2", "0\n", "0\n");
	tap_stats(root, "eth0", "1000\n", "1000\n");   /* no tun_flags: not a tap */
	ck_assert_int_eq(tap_counters(root, b), 3);
	ck_assert_int_eq(tap_owners(root, b, NULL, -1), 2);
	/* later: traffic on tap0, tap1 deleted and made again (counters restart), pid 300 runs on tap2 */
	tap_stats(root, "tap0", "22\n", "16\n");
	tap_stats(root, "tap1", "1\n", "1\n");
	tap_stats(root, "tap2", "12\n", "11\n");
	put_fd(root, 300, 9, "/dev/net/tun", "iff:\ttap2\n");
	ck_assert_int_eq(tap_owners(root, a, (unsigned[]){ 300 }, 1), 1);   /* the VMs only */
	ck_assert_int_eq(tap_owners(root, a, NULL, -1), 3);
	snprintf(cmd, sizeof(cmd), "rm -r %s/proc/300", root);   /* ...and has exited at the end */
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_int_eq(tap_owners(root, a, NULL, -1), 3);
	ck_assert_int_eq(tap_counters(root, a), 3);
	ck_assert_int_eq(tap_guest_packets(b, a, 100, &tx, &rx, names, sizeof(names)), 1);
	ck_assert_str_eq(names, "tap0");
	ck_assert_uint_eq(tx, 12);   /* the tap received what the guest sent */
	ck_assert_uint_eq(rx, 11);
	ck_assert_int_eq(tap_guest_packets(b, a, 200, &tx, &rx, names, sizeof(names)), 0);
	ck_assert_int_eq(tap_guest_packets(b, a, 300, &tx, &rx, names, sizeof(names)), 1);
	ck_assert_uint_eq(tx + rx, 23);
	ck_assert_int_eq(tap_guest_packets(b, a, 999, &tx, &rx, names, sizeof(names)), 0);
	host_add_taps(&h, b, a);
	ck_assert_uint_eq(pr[0].ntaps, 1);
	ck_assert_uint_eq(pr[0].guest_tx, 12);
	ck_assert_uint_eq(pr[1].ntaps, 0);
	ck_assert_str_eq(pr[2].taps, "tap2");
	ck_assert_int_lt(tap_counters("/nonexistent", a), 0);
	ck_assert_int_lt(tap_owners("/nonexistent", a, NULL, -1), 0);
	snprintf(cmd, sizeof(cmd), "rm -r %s", root);
	ck_assert_int_eq(system(cmd), 0);
	free(a);
	free(b);
}
END_TEST

int main(void)
{
	return RUN_TESTS("host", "tables", svm_reasons, vmx_reasons, other_names, devices,
		recording_round_trip, taps);
}
