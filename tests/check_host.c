/* The KVM host report's tables and output, without BPF: exit reason names
 * for SVM and VMX (checked against the kernel's uapi numbers), KVM_EXIT_*
 * names, MSR names, the guest device of an I/O address, and a recording
 * with a host section that reports exactly what was printed live. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host_report.h"
#include "recdata.h"
#include "testutil.h"

START_TEST(svm_reasons)
{
	/* arch/x86/include/uapi/asm/svm.h */
	ck_assert_str_eq(host_reason_name(HOST_ISA_SVM, 0x000), "read_cr0");
	ck_assert_str_eq(host_reason_name(HOST_ISA_SVM, 0x013), "write_cr3");
	ck_assert_str_eq(host_reason_name(HOST_ISA_SVM, 0x027), "read_dr7");
	ck_assert_str_eq(host_reason_name(HOST_ISA_SVM, 0x04e), "PF excp");
	ck_assert_str_eq(host_reason_name(HOST_ISA_SVM, 0x060), "interrupt");
	ck_assert_str_eq(host_reason_name(HOST_ISA_SVM, 0x064), "vintr");
	ck_assert_str_eq(host_reason_name(HOST_ISA_SVM, 0x072), "cpuid");
	ck_assert_str_eq(host_reason_name(HOST_ISA_SVM, 0x077), "pause");
	ck_assert_str_eq(host_reason_name(HOST_ISA_SVM, 0x078), "hlt");
	ck_assert_str_eq(host_reason_name(HOST_ISA_SVM, 0x07b), "io");
	ck_assert_str_eq(host_reason_name(HOST_ISA_SVM, 0x07c), "msr");
	ck_assert_str_eq(host_reason_name(HOST_ISA_SVM, 0x07f), "shutdown");
	ck_assert_str_eq(host_reason_name(HOST_ISA_SVM, 0x081), "hypercall");
	ck_assert_str_eq(host_reason_name(HOST_ISA_SVM, 0x08d), "xsetbv");
	ck_assert_str_eq(host_reason_name(HOST_ISA_SVM, 0x08f), "write_efer_trap");
	ck_assert_str_eq(host_reason_name(HOST_ISA_SVM, 0x090), "write_cr0_trap");
	ck_assert_str_eq(host_reason_name(HOST_ISA_SVM, 0x400), "npf");
	ck_assert_str_eq(host_reason_name(HOST_ISA_SVM, 0x402), "avic_unaccelerated_access");
	ck_assert_str_eq(host_reason_name(HOST_ISA_SVM, 0xffffffff), "invalid_guest_state");
	ck_assert_ptr_null(host_reason_name(HOST_ISA_SVM, 0x300));
	ck_assert_ptr_null(host_reason_name(HOST_ISA_SVM, 0x04f));    /* no exception 15 */
}
END_TEST

START_TEST(vmx_reasons)
{
	/* arch/x86/include/uapi/asm/vmx.h */
	ck_assert_str_eq(host_reason_name(HOST_ISA_VMX, 0), "EXCEPTION_NMI");
	ck_assert_str_eq(host_reason_name(HOST_ISA_VMX, 1), "EXTERNAL_INTERRUPT");
	ck_assert_str_eq(host_reason_name(HOST_ISA_VMX, 10), "CPUID");
	ck_assert_str_eq(host_reason_name(HOST_ISA_VMX, 12), "HLT");
	ck_assert_str_eq(host_reason_name(HOST_ISA_VMX, 18), "VMCALL");
	ck_assert_str_eq(host_reason_name(HOST_ISA_VMX, 28), "CR_ACCESS");
	ck_assert_str_eq(host_reason_name(HOST_ISA_VMX, 30), "IO_INSTRUCTION");
	ck_assert_str_eq(host_reason_name(HOST_ISA_VMX, 31), "MSR_READ");
	ck_assert_str_eq(host_reason_name(HOST_ISA_VMX, 32), "MSR_WRITE");
	ck_assert_str_eq(host_reason_name(HOST_ISA_VMX, 40), "PAUSE_INSTRUCTION");
	ck_assert_str_eq(host_reason_name(HOST_ISA_VMX, 44), "APIC_ACCESS");
	ck_assert_str_eq(host_reason_name(HOST_ISA_VMX, 48), "EPT_VIOLATION");
	ck_assert_str_eq(host_reason_name(HOST_ISA_VMX, 49), "EPT_MISCONFIG");
	ck_assert_str_eq(host_reason_name(HOST_ISA_VMX, 52), "PREEMPTION_TIMER");
	ck_assert_str_eq(host_reason_name(HOST_ISA_VMX, 56), "APIC_WRITE");
	ck_assert_str_eq(host_reason_name(HOST_ISA_VMX, 74), "BUS_LOCK");
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
	ck_assert_str_eq(host_msr_name(0x6e0), "IA32_TSC_DEADLINE (timer)");
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

START_TEST(devices)
{
	char b[128];
	struct host_io_row r;

	r = io(HIO_PIO, 0x3f8, 1, 200, 200, 0, 0);
	ck_assert_str_eq(host_io_device(&r, b, sizeof(b)), "COM1 serial (16550)");
	r = io(HIO_PIO, 0xcfc, 0, 10, 10, 0, 0);
	ck_assert_str_eq(host_io_device(&r, b, sizeof(b)), "PCI config (0xcf8/0xcfc)");
	r = io(HIO_MMIO, 0xfee000b0, 1, 10, 0, 0, 0);
	ck_assert_str_eq(host_io_device(&r, b, sizeof(b)), "local APIC");
	/* modern virtio notify: queue 1 of the device whose notify page is 0xfebf3000 */
	r = io(HIO_MMIO, 0xfebf3004, 1, 30, 0, 30, 1ull << 1);
	ck_assert_str_eq(host_io_device(&r, b, sizeof(b)), "virtio notify (ioeventfd) page 0xfebf3000 queue 1");
	/* legacy virtio: notify register at BAR0 + 16, queue index written */
	r = io(HIO_PIO, 0xc010, 1, 5, 0, 5, 3);
	ck_assert_str_eq(host_io_device(&r, b, sizeof(b)), "virtio legacy notify (ioeventfd) BAR 0xc000 queue 0,1");
	r = io(HIO_MMIO, 0xfebf3008, 1, 5, 0, 0, 0);
	ck_assert_str_eq(host_io_device(&r, b, sizeof(b)), "handled in the kernel (ioeventfd or in-kernel device)");
	r = io(HIO_MMIO, 0x8000, 1, 200, 200, 0, 0);
	ck_assert_str_eq(host_io_device(&r, b, sizeof(b)), "PCI BAR or unbacked memory (VMM)");
}
END_TEST

static char *print(const struct rec_data *d, bool json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (json)
		rec_data_json(f, d);
	else
		rec_data_print(f, d);
	fclose(f);
	return buf;
}

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
	struct host_proc pr[1] = { { .pid = 42, .comm = "kvmtiny" } };
	struct host_report h = { .seconds = 1.5, .ctr = { [HC_EXITS] = 401, [HC_ENTRIES] = 401 },
				 .nexit = 2, .nio = 2, .ncnt = 2, .nproc = 1,
				 .exit = ex, .io = ios, .cnt = cn, .proc = pr };
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
	live = print(&d, false);
	lj = print(&d, true);
	ck_assert_ptr_nonnull(strstr(live, "VM pid 42 (kvmtiny): 401 exits"));
	ck_assert_ptr_nonnull(strstr(live, "npf"));
	ck_assert_ptr_nonnull(strstr(live, "COM1 serial"));
	ck_assert_ptr_nonnull(strstr(lj, "\"host\""));
	ck_assert_int_eq(rec_data_save(&d, path), 0);
	ck_assert_msg(!rec_data_load(&l, path, err, sizeof(err)), "%s", err);
	ck_assert(l.has_host);
	ck_assert_int_eq(l.host->nexit, 2);
	ck_assert_int_eq(l.host->nio, 2);
	loaded = print(&l, false);
	ljl = print(&l, true);
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

int main(void)
{
	Suite *s = suite_create("host");
	TCase *t = tcase_create("tables");

	tcase_add_test(t, svm_reasons);
	tcase_add_test(t, vmx_reasons);
	tcase_add_test(t, other_names);
	tcase_add_test(t, devices);
	tcase_add_test(t, recording_round_trip);
	suite_add_tcase(s, t);
	return run_suite(s);
}
