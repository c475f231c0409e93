/* Names for the KVM host report: exit reasons (SVM, VMX), KVM_EXIT_* of kvm_run, MSRs, and the
 * guest device a port or MMIO address belongs to. Tables only; no state. */
#include "report/host_names.h"
#include "report/host_report.h"

#include <stdio.h>
#include <string.h>

#include "report/exits_report.h"
#include "util/util.h"


/* SVM exit codes: arch/x86/include/uapi/asm/svm.h (SVM_EXIT_*), named as
 * the kernel's kvm_exit tracepoint and perf kvm stat print them. */
static const char *svm_name(unsigned r)
{
	static const char *const excp[32] = {
		[0] = "DE excp", [1] = "DB excp", [2] = "NMI excp", [3] = "BP excp", [4] = "OF excp",
		[5] = "BR excp", [6] = "UD excp", [7] = "NM excp", [8] = "DF excp", [10] = "TS excp",
		[11] = "NP excp", [12] = "SS excp", [13] = "GP excp", [14] = "PF excp", [16] = "MF excp",
		[17] = "AC excp", [18] = "MC excp", [19] = "XF excp", [21] = "CP excp", [29] = "VC excp",
	};
	static const char *const misc[] = {
		"interrupt", "nmi", "smi", "init", "vintr", "cr0_sel_write", "read_idtr", "read_gdtr",
		"read_ldtr", "read_rt", "write_idtr", "write_gdtr", "write_ldtr", "write_rt", "rdtsc",
		"rdpmc", "pushf", "popf", "cpuid", "rsm", "iret", "swint", "invd", "pause", "hlt",
		"invlpg", "invlpga", "io", "msr", "task_switch", "ferr_freeze", "shutdown", "vmrun",
		"hypercall", "vmload", "vmsave", "stgi", "clgi", "skinit", "rdtscp", "icebp", "wbinvd",
		"monitor", "mwait", "mwait_cond", "xsetbv", "rdpru", "write_efer_trap",
	};
	static const char *const cr[] = { "read_cr", "write_cr", "read_dr", "write_dr" };
	static char buf[4][24];
	static int bi;

	if (r < 0x40) {
		char *b = buf[bi++ & 3];

		snprintf(b, sizeof(buf[0]), "%s%u", cr[r >> 4], r & 0xf);
		return b;
	}
	if (r < 0x60)
		return excp[r - 0x40];
	if (r < 0x60 + sizeof(misc) / sizeof(misc[0]))
		return misc[r - 0x60];
	if (r >= 0x90 && r <= 0x9f) {
		char *b = buf[bi++ & 3];

		snprintf(b, sizeof(buf[0]), "write_cr%u_trap", r - 0x90);
		return b;
	}
	switch (r) {
	case 0xa0: return "invlpgb";
	case 0xa1: return "invlpgb_illegal";
	case 0xa2: return "invpcid";
	case 0xa3: return "mcommit";
	case 0xa4: return "tlbsync";
	case 0xa5: return "buslock";
	case 0xa6: return "idle-halt";
	case 0x400: return "npf";
	case 0x401: return "avic_incomplete_ipi";
	case 0x402: return "avic_unaccelerated_access";
	case 0x403: return "vmgexit";
	case 0xffffffff: return "invalid_guest_state";
	}
	return NULL;
}

/* VMX basic exit reasons: arch/x86/include/uapi/asm/vmx.h (EXIT_REASON_*). */
static const char *vmx_name(unsigned r)
{
	static const char *const n[] = {
		[0] = "EXCEPTION_NMI", [1] = "EXTERNAL_INTERRUPT", [2] = "TRIPLE_FAULT",
		[3] = "INIT_SIGNAL", [4] = "SIPI_SIGNAL", [5] = "IO_SMI", [6] = "OTHER_SMI",
		[7] = "INTERRUPT_WINDOW", [8] = "NMI_WINDOW", [9] = "TASK_SWITCH", [10] = "CPUID",
		[11] = "GETSEC", [12] = "HLT", [13] = "INVD", [14] = "INVLPG", [15] = "RDPMC",
		[16] = "RDTSC", [17] = "RSM", [18] = "VMCALL", [19] = "VMCLEAR", [20] = "VMLAUNCH",
		[21] = "VMPTRLD", [22] = "VMPTRST", [23] = "VMREAD", [24] = "VMRESUME", [25] = "VMWRITE",
		[26] = "VMOFF", [27] = "VMON", [28] = "CR_ACCESS", [29] = "DR_ACCESS",
		[30] = "IO_INSTRUCTION", [31] = "MSR_READ", [32] = "MSR_WRITE", [33] = "INVALID_STATE",
		[34] = "MSR_LOAD_FAIL", [36] = "MWAIT_INSTRUCTION", [37] = "MONITOR_TRAP_FLAG",
		[39] = "MONITOR_INSTRUCTION", [40] = "PAUSE_INSTRUCTION", [41] = "MCE_DURING_VMENTRY",
		[43] = "TPR_BELOW_THRESHOLD", [44] = "APIC_ACCESS", [45] = "EOI_INDUCED",
		[46] = "GDTR_IDTR", [47] = "LDTR_TR", [48] = "EPT_VIOLATION", [49] = "EPT_MISCONFIG",
		[50] = "INVEPT", [51] = "RDTSCP", [52] = "PREEMPTION_TIMER", [53] = "INVVPID",
		[54] = "WBINVD", [55] = "XSETBV", [56] = "APIC_WRITE", [57] = "RDRAND", [58] = "INVPCID",
		[59] = "VMFUNC", [60] = "ENCLS", [61] = "RDSEED", [62] = "PML_FULL", [63] = "XSAVES",
		[64] = "XRSTORS", [67] = "UMWAIT", [68] = "TPAUSE", [74] = "BUS_LOCK", [75] = "NOTIFY",
		[77] = "TDCALL", [84] = "MSR_READ_IMM", [85] = "MSR_WRITE_IMM",
	};
	return r < sizeof(n) / sizeof(n[0]) ? n[r] : NULL;
}

const char *host_reason_name(unsigned isa, unsigned reason)
{
	if (reason == HOST_REASON_UNKNOWN)
		return "unknown (reason not readable)";
	if (isa == HOST_ISA_SVM)
		return svm_name(reason);
	if (isa == HOST_ISA_VMX)
		return vmx_name(reason);
	return NULL;
}

/* KVM_EXIT_* of struct kvm_run (include/uapi/linux/kvm.h). */
const char *host_uexit_name(unsigned r)
{
	static const char *const n[] = {
		"UNKNOWN", "EXCEPTION", "IO", "HYPERCALL", "DEBUG", "HLT", "MMIO", "IRQ_WINDOW_OPEN",
		"SHUTDOWN", "FAIL_ENTRY", "INTR", "SET_TPR", "TPR_ACCESS", "S390_SIEIC", "S390_RESET",
		"DCR", "NMI", "INTERNAL_ERROR", "OSI", "PAPR_HCALL", "S390_UCONTROL", "WATCHDOG",
		"S390_TSCH", "EPR", "SYSTEM_EVENT", "S390_STSI", "IOAPIC_EOI", "HYPERV", "ARM_NISV",
		"X86_RDMSR", "X86_WRMSR", "DIRTY_RING_FULL", "AP_RESET_HOLD", "X86_BUS_LOCK", "XEN",
		"RISCV_SBI", "RISCV_CSR", "NOTIFY", "LOONGARCH_IOCSR", "MEMORY_FAULT",
	};
	return r < sizeof(n) / sizeof(n[0]) ? n[r] : NULL;
}

/* One MSR name table for the guest and host reports: exits_report.c msr_name. */
const char *host_msr_name(unsigned msr)
{
	return msr_name(msr);
}

struct range {
	unsigned long long lo, hi;
	const char *name;
};

/* Well-known x86 PC (QEMU i440fx/q35) port ranges. */
static const struct range pio_ranges[] = {
	{ 0x20, 0x21, "PIC master (8259)" }, { 0xa0, 0xa1, "PIC slave (8259)" },
	{ 0x40, 0x43, "PIT (8254)" }, { 0x60, 0x60, "i8042 keyboard" }, { 0x64, 0x64, "i8042 keyboard" },
	{ 0x61, 0x61, "port 0x61 (speaker, NMI status)" }, { 0x70, 0x71, "RTC/CMOS" },
	{ 0x80, 0x80, "port 0x80 (POST, I/O delay)" }, { 0x92, 0x92, "port A (A20)" },
	{ 0x170, 0x177, "IDE secondary" }, { 0x1ce, 0x1d0, "Bochs VBE" }, { 0x1f0, 0x1f7, "IDE primary" },
	{ 0x2e8, 0x2ef, "COM4 serial" }, { 0x2f8, 0x2ff, "COM2 serial" }, { 0x376, 0x376, "IDE secondary" },
	{ 0x378, 0x37a, "LPT1" }, { 0x3b0, 0x3df, "VGA" }, { 0x3e8, 0x3ef, "COM3 serial" },
	{ 0x3f0, 0x3f5, "floppy" }, { 0x3f6, 0x3f6, "IDE primary" }, { 0x3f8, 0x3ff, "COM1 serial (16550)" },
	{ 0x402, 0x402, "QEMU debugcon" }, { 0x4d0, 0x4d1, "ELCR (PIC edge/level)" },
	{ 0x510, 0x51b, "QEMU fw_cfg" }, { 0x600, 0x67f, "ACPI PM (QEMU)" },
	{ 0xae00, 0xae17, "ACPI PCI hotplug (QEMU)" }, { 0xaf00, 0xaf1f, "ACPI CPU hotplug (QEMU)" },
	{ 0xafe0, 0xafe3, "ACPI GPE (QEMU)" }, { 0xb000, 0xb07f, "ACPI PM (QEMU)" },
	{ 0xcf8, 0xcff, "PCI config (0xcf8/0xcfc)" }, { 0x5658, 0x5658, "VMware backdoor" },
};

static const struct range mmio_ranges[] = {
	{ 0xa0000, 0xbffff, "VGA window" },
	{ 0xb0000000, 0xbfffffff, "PCIe MMCONFIG (QEMU q35)" },
	{ 0xfec00000, 0xfec003ff, "IOAPIC" },
	{ 0xfed00000, 0xfed003ff, "HPET" },
	{ 0xfed1c000, 0xfed1ffff, "ICH9 RCRB (q35)" },
	{ 0xfee00000, 0xfeefffff, "local APIC" },
	{ 0xfffc0000, 0xffffffff, "BIOS ROM" },
};

static const char *in_ranges(const struct range *r, size_t n, unsigned long long a)
{
	for (size_t i = 0; i < n; i++)
		if (a >= r[i].lo && a <= r[i].hi)
			return r[i].name;
	return NULL;
}

/* "0,1,2" (+N other) from the mask of written values */
void host_io_values(const struct host_io_val *v, char *b, size_t len)
{
	size_t o = 0;

	b[0] = 0;
	for (int i = 0; i < 64 && o + 4 < len; i++)
		if (v->values >> i & 1)
			o += snprintf(b + o, len - o, "%s%d", o ? "," : "", i);
	if (v->other_values && o + 24 < len)
		snprintf(b + o, len - o, "%s%llu other", o ? " +" : "", v->other_values);
}

const char *host_io_device(const struct host_io_row *r, char *buf, size_t len)
{
	const char *n = r->k.kind == HIO_PIO ?
			in_ranges(pio_ranges, sizeof(pio_ranges) / sizeof(pio_ranges[0]), r->k.addr) :
			in_ranges(mmio_ranges, sizeof(mmio_ranges) / sizeof(mmio_ranges[0]), r->k.addr);
	unsigned long long in_kernel = r->v.count - r->v.to_user;
	char q[256];

	if (n) {
		snprintf(buf, len, "%s", n);
		return buf;
	}
	host_io_values(&r->v, q, sizeof(q));
	if (r->v.ioeventfd || r->k.kind == HIO_FAST_MMIO) {
		/* QEMU's virtio notify: the value written is the queue index */
		if (r->k.kind == HIO_PIO)
			snprintf(buf, len, "virtio legacy notify (ioeventfd) BAR 0x%llx queue %s",
				 r->k.addr - 16, q[0] ? q : "?");
		else
			snprintf(buf, len, "virtio notify (ioeventfd) page 0x%llx queue %s",
				 r->k.addr & ~0xfffull, q[0] ? q : "?");
	} else if (in_kernel && r->k.write)
		snprintf(buf, len, "handled in the kernel (ioeventfd or in-kernel device)");
	else if (r->k.kind == HIO_PIO)
		snprintf(buf, len, "%s", r->k.addr >= 0x1000 ? "PCI I/O BAR (VMM)" : "unknown port (VMM)");
	else
		snprintf(buf, len, "PCI BAR or unbacked memory (VMM)");
	return buf;
}

