/* platform_detect() against fixture trees copied from real machines by
 * tools/snapshot-fixture.sh (tests/fixtures/platform/README.md says where
 * each one came from).  Fallback paths (older kernels without
 * /sys/hypervisor/guest_type, no xen sysfs at all) are exercised by copying
 * a real tree and deleting the files those kernels lack. */
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "out/json.h"
#include "testutil.h"
#include "platform/platform.h"

static char fixture[PATH_MAX];

static const char *fx(const char *name)
{
	snprintf(fixture, sizeof(fixture), "%s/platform/%s", fixtures_dir(),
		 name);
	return fixture;
}

static bool have(const char *name)
{
	return access(fx(name), F_OK) == 0;
}

/* Copy of a fixture in a temp dir, minus the given relative files. */
static char *copy_without(const char *name, const char *const *drop)
{
	char tmpl[] = "/tmp/iopath-platform-XXXXXX", cmd[3 * PATH_MAX];
	char *dir = mkdtemp(tmpl);

	ck_assert_ptr_nonnull(dir);
	snprintf(cmd, sizeof(cmd), "cp -a '%s/.' '%s/'", fx(name), dir);
	ck_assert_int_eq(system(cmd), 0);
	for (; drop && *drop; drop++) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s/%s'", dir, *drop);
		ck_assert_int_eq(system(cmd), 0);
	}
	return strdup(dir);
}

static void remove_tree(char *dir)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
	free(dir);
}

START_TEST(test_thisvm_kvm)
{
	struct platform p;

	ck_assert_int_eq(platform_detect(fx("thisvm-kvm-6.18"), &p), 0);
	ck_assert_int_eq(p.kind, PLATFORM_KVM);
	ck_assert_str_eq(platform_name(&p), "KVM");
	/* No DMI, clocksource tsc: only kvm-clock in the available list and
	 * the cpuid hypervisor bit give KVM away. */
	ck_assert_str_eq(p.evidence,
			 "cpuinfo flag hypervisor + available clocksource kvm-clock");
	ck_assert(p.hypervisor_flag);
	ck_assert(!p.nitro);
	ck_assert_str_eq(p.clocksource, "tsc");
	ck_assert_str_eq(p.sys_vendor, "");
	ck_assert_str_eq(p.cloud, "");
	ck_assert(!platform_is_xen(&p));
}
END_TEST

START_TEST(test_thisvm_virtual_same_platform)
{
	struct platform p;

	ck_assert_int_eq(platform_detect(fx("thisvm-kvm-6.18-virtual"), &p), 0);
	ck_assert_int_eq(p.kind, PLATFORM_KVM);
}
END_TEST

/* This machine (a PVM guest) snapshotted with the hypervisor's own word (hv/kernel-log and
 * hv/cpuid, tools/snapshot-fixture.sh): the files look like KVM (kvm-clock), the kernel logged
 * "Hypervisor detected: PVM", and user-space CPUID answers with a bhyve signature. The kernel's
 * word decides; the files' answer is kept as the second opinion. */
START_TEST(test_thisvm_pvm_signature)
{
	struct platform p;

	ck_assert_int_eq(platform_detect(fx("thisvm-pvm-6.18"), &p), 0);
	ck_assert_int_eq(p.kind, PLATFORM_PVM);
	ck_assert_str_eq(platform_name(&p), "PVM (paravirtual, on KVM)");
	ck_assert_str_eq(p.evidence, "kernel: Hypervisor detected: PVM");
	ck_assert(p.disagree);
	ck_assert_int_eq(p.heuristic_kind, PLATFORM_KVM);
	ck_assert_msg(strstr(p.heuristic_evidence, "clocksource kvm-clock"), "%s", p.heuristic_evidence);
	ck_assert(p.sig.have_log && p.sig.have_cpuid);
	ck_assert_int_eq(p.sig.nsig, 1);
	ck_assert_uint_eq(p.sig.sig[0].base, 0x40000000);
	ck_assert_str_eq(p.sig.sig[0].sig, "bhyve bhyve ");
	ck_assert_str_eq(hvsig_vendor(p.sig.sig[0].sig), "bhyve");
	ck_assert_int_eq(p.sig.kvm, -1);
	/* the same machine without hv/: the files alone, no second opinion */
	ck_assert_int_eq(platform_detect(fx("thisvm-kvm-6.18"), &p), 0);
	ck_assert_int_eq(p.kind, PLATFORM_KVM);
	ck_assert(!p.disagree && !p.sig.have_log && !p.sig.have_cpuid);
}
END_TEST

START_TEST(test_deb61_qemu_tcg)
{
	struct platform p;

	ck_assert_int_eq(platform_detect(fx("deb61-qemu-tcg"), &p), 0);
	/* QEMU TCG: DMI says QEMU, cpuid has the hypervisor bit, but no
	 * kvm-clock: must not be called KVM. */
	ck_assert_int_eq(p.kind, PLATFORM_OTHER_HV);
	ck_assert_str_eq(platform_name(&p), "other hypervisor");
	ck_assert_str_eq(p.hv_name, "QEMU (no kvm-clock: TCG?)");
	ck_assert_str_eq(p.evidence,
			 "cpuinfo flag hypervisor + DMI QEMU, no kvm-clock");
	ck_assert_str_eq(p.sys_vendor, "QEMU");
	ck_assert_str_eq(p.bios_vendor, "SeaBIOS");
	ck_assert_str_eq(p.clocksource, "hpet");
	/* a live guest reads QEMU's own CPUID signature 'TCGTCGTCGTCG' (hvsig.c): the name says the
	 * CPU is emulated (the lab's VF guest; compare then marks its times as not real) */
	snprintf(p.hv_name, sizeof(p.hv_name), "QEMU TCG");
	ck_assert_str_eq(platform_name(&p), "QEMU TCG (emulated CPU)");
}
END_TEST

/* A lab guest under QEMU TCG (Debian 6.1), its hypervisor leaves dumped by the lab's
 * snapshot-fixture.sh (`iopath env --cpuid`): QEMU answers leaf 0x40000000 with 'TCGTCGTCGTCG'
 * and max leaf 0x40000001, the other ranges are empty; the kernel logged no "Hypervisor
 * detected" line (it knows no TCG). The signature decides the name. */
START_TEST(test_lab_tcg_cpuid)
{
	struct platform p;

	ck_assert_int_eq(platform_detect(fx("debian61-kvm-tcg"), &p), 0);
	ck_assert(p.sig.have_cpuid && p.sig.have_log);
	ck_assert_int_eq(p.sig.nsig, 1);
	ck_assert_uint_eq(p.sig.sig[0].base, 0x40000000);
	ck_assert_uint_eq(p.sig.sig[0].max, 0x40000001);
	ck_assert_str_eq(p.sig.sig[0].sig, "TCGTCGTCGTCG");
	ck_assert_str_eq(p.sig.kernel, "");
	ck_assert_int_eq(p.kind, PLATFORM_OTHER_HV);
	ck_assert_str_eq(p.hv_name, "QEMU TCG");
	ck_assert_str_eq(platform_name(&p), "QEMU TCG (emulated CPU)");
	ck_assert_msg(strstr(p.evidence, "CPUID 0x40000000 signature 'TCGTCGTCGTCG'"), "%s", p.evidence);
}
END_TEST

/* The same tree without the cpuid hypervisor bit looks like bare metal. */
START_TEST(test_no_flag_no_dmi_is_bare_metal)
{
	static const char *const drop[] = {
		"sys/class", "sys/devices/virtual/dmi", "proc/cpuinfo", NULL,
	};
	char *dir = copy_without("deb61-qemu-tcg", drop);
	char path[PATH_MAX + 32];
	struct platform p;
	FILE *f;

	snprintf(path, sizeof(path), "%s/proc/cpuinfo", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("processor\t: 0\nflags\t\t: fpu vme de pse tsc msr\n", f);
	fclose(f);
	ck_assert_int_eq(platform_detect(dir, &p), 0);
	ck_assert_int_eq(p.kind, PLATFORM_BARE_METAL);
	ck_assert_str_eq(p.evidence,
			 "no cpuinfo flag hypervisor, no hypervisor sysfs");
	remove_tree(dir);
}
END_TEST

/* A Xen PV domU of the lab (Debian 6.1 on Xen 4.17 under QEMU TCG): its hypervisor leaves and
 * kernel log (hv-samples/xen-pv-domu, dumped by snapshot-fixture.sh in the domU) put on the
 * xen-pv-deb61 tree. A PV guest's user-space CPUID is not trapped, so the leaves are the CPU's
 * own, QEMU's 'TCGTCGTCGTCG', while the kernel, which asked Xen, logged "Xen PV": the kernel's
 * word and the files agree, the user-space leaves do not decide. */
START_TEST(test_lab_xen_pv_cpuid)
{
	char *dir = copy_without("xen-pv-deb61", NULL), cmd[3 * PATH_MAX];
	struct platform p;

	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/hv' && cp '%s/../hv-samples/xen-pv-domu/'* '%s/hv/'", dir,
		 fx("xen-pv-deb61"), dir);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_int_eq(platform_detect(dir, &p), 0);
	ck_assert_int_eq(p.kind, PLATFORM_XEN_PV);
	ck_assert_str_eq(platform_name(&p), "Xen PV");
	ck_assert(p.sig.have_log && p.sig.have_cpuid);
	ck_assert_str_eq(p.sig.kernel, "Xen PV");
	ck_assert_int_eq(p.sig.nsig, 1);
	ck_assert_str_eq(p.sig.sig[0].sig, "TCGTCGTCGTCG");
	ck_assert_int_eq(p.sig.xen, -1);
	ck_assert(!p.disagree);
	ck_assert_msg(strstr(p.evidence, "kernel: Hypervisor detected: Xen PV"), "%s", p.evidence);
	remove_tree(dir);
}
END_TEST

/* A Xen PV domU on Debian 11's 5.10 (the lab's XEN_DOMU_KSERIES=5.10; its snapshot carries hv/
 * itself): 5.10 logs "Hypervisor detected: Xen PV" as 6.1 does, user-space CPUID is QEMU's own
 * 'TCGTCGTCGTCG' there too, and sysfs says PV on Xen 4.17.5: the same verdict on the same evidence. */
START_TEST(test_lab_xen_pv_510)
{
	struct platform p;

	ck_assert_msg(have("xen-pv-deb11"), "fixture xen-pv-deb11 missing");
	ck_assert_int_eq(platform_detect(fx("xen-pv-deb11"), &p), 0);
	ck_assert_int_eq(p.kind, PLATFORM_XEN_PV);
	ck_assert_str_eq(p.guest_type, "PV");
	ck_assert(!p.xen_dom0);
	ck_assert_str_eq(p.xen_version, "4.17.5");
	ck_assert(p.sig.have_log && p.sig.have_cpuid);
	ck_assert_str_eq(p.sig.kernel, "Xen PV");
	ck_assert_int_eq(p.sig.nsig, 1);
	ck_assert_str_eq(p.sig.sig[0].sig, "TCGTCGTCGTCG");
	ck_assert(!p.disagree);
	ck_assert_msg(strstr(p.evidence, "kernel: Hypervisor detected: Xen PV"), "%s", p.evidence);
}
END_TEST

/* The lab's Xen PVH and HVM domUs (hv-samples/xen-{pvh,hvm}-domu on the xen-{pvh,hvm}-deb61 trees):
 * there CPUID is trapped, so user space reads Xen's own leaves ('XenVMMXenVMM', max 0x40000005), and
 * the kernel logged "Xen HVM" for both (PVH boots as an HVM guest without a device model): the
 * signature and the sysfs guest type agree. */
static void check_lab_xen_hvm_cpuid(const char *tree, const char *sample, enum platform_kind kind)
{
	char *dir = copy_without(tree, NULL), cmd[3 * PATH_MAX];
	struct platform p;

	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/hv' && cp '%s/../hv-samples/%s/'* '%s/hv/'", dir,
		 fx(tree), sample, dir);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_int_eq(platform_detect(dir, &p), 0);
	ck_assert_int_eq(p.kind, kind);
	ck_assert(p.sig.have_log && p.sig.have_cpuid);
	ck_assert_str_eq(p.sig.kernel, "Xen HVM");
	ck_assert_int_ge(p.sig.nsig, 1);
	ck_assert_str_eq(p.sig.sig[0].sig, "XenVMMXenVMM");
	ck_assert_uint_eq(p.sig.sig[0].base, 0x40000000);
	ck_assert_uint_eq(p.sig.sig[0].max, 0x40000005);
	ck_assert_msg(!p.disagree, "%s", p.evidence);
	remove_tree(dir);
}

START_TEST(test_lab_xen_pvh_hvm_cpuid)
{
	check_lab_xen_hvm_cpuid("xen-pvh-deb61", "xen-pvh-domu", PLATFORM_XEN_PVH);
	check_lab_xen_hvm_cpuid("xen-hvm-deb61", "xen-hvm-domu", PLATFORM_XEN_HVM);
}
END_TEST

/* The Xen guest fixtures and what each one is. */
enum { XEN_PV, XEN_PVH, XEN_HVM, XEN_GUESTS };
static const struct {
	const char *name;
	enum platform_kind kind;
	const char *guest_type;
} xen_guest[XEN_GUESTS] = {
	[XEN_PV] = { "xen-pv-deb61", PLATFORM_XEN_PV, "PV" },
	[XEN_PVH] = { "xen-pvh-deb61", PLATFORM_XEN_PVH, "PVH" },
	[XEN_HVM] = { "xen-hvm-deb61", PLATFORM_XEN_HVM, "HVM" },
};

static void check_xen(const char *name, enum platform_kind kind,
		      const char *guest_type)
{
	struct platform p;
	char ev[64];

	ck_assert_msg(have(name), "fixture %s missing", name);
	ck_assert_int_eq(platform_detect(fx(name), &p), 0);
	ck_assert_int_eq(p.kind, kind);
	ck_assert(platform_is_xen(&p));
	ck_assert(!p.xen_dom0);
	ck_assert_str_eq(p.guest_type, guest_type);
	snprintf(ev, sizeof(ev), "sys/hypervisor/guest_type=%s", guest_type);
	ck_assert_str_eq(p.evidence, ev);
	ck_assert(p.has_xen_features);
	ck_assert_str_eq(p.xen_version, "4.17.5");
}

START_TEST(test_xen_guest_types)
{
	for (int i = 0; i < XEN_GUESTS; i++)
		check_xen(xen_guest[i].name, xen_guest[i].kind, xen_guest[i].guest_type);
}
END_TEST

/* Each Xen guest fixture copied without the files drop names, detected
 * again: the same kind, on the evidence given for it (NULL: not tried). */
static void check_xen_without(const char *const *drop,
			      const char *const evidence[XEN_GUESTS])
{
	for (int i = 0; i < XEN_GUESTS; i++) {
		const char *name = xen_guest[i].name;
		struct platform p;
		char *dir;

		if (!evidence[i])
			continue;
		ck_assert_msg(have(name), "fixture %s missing", name);
		dir = copy_without(name, drop);
		ck_assert_int_eq(platform_detect(dir, &p), 0);
		ck_assert_msg(p.kind == xen_guest[i].kind, "%s: got %s (%s)",
			      name, platform_name(&p), p.evidence);
		ck_assert_str_eq(p.evidence, evidence[i]);
		remove_tree(dir);
	}
}

/* Kernels without guest_type (added in 4.15; some distro configs lack it):
 * the XENFEAT bits decide PV, then HVM-only traits split HVM from PVH. */
START_TEST(test_xen_without_guest_type)
{
	static const char *const drop[] = { "sys/hypervisor/guest_type", NULL };
	static const char *const evidence[XEN_GUESTS] = {
		[XEN_PV] = "sys/hypervisor/type=xen + sys/hypervisor/properties/features=000220f0 (no auto_translated_physmap)",
		[XEN_PVH] = "sys/hypervisor/type=xen + sys/hypervisor/properties/features=00012305 (auto_translated_physmap) + no DMI, no IO-APIC",
		[XEN_HVM] = "sys/hypervisor/type=xen + sys/hypervisor/properties/features=00012705 (auto_translated_physmap) + IO-APIC in /proc/interrupts",
	};

	check_xen_without(drop, evidence);
}
END_TEST

/* No /sys/hypervisor at all (CONFIG_XEN_SYS_HYPERVISOR=n): clocksource,
 * irq chips, ACPI and DMI decide. */
START_TEST(test_xen_without_sys_hypervisor)
{
	static const char *const drop[] = { "sys/hypervisor", NULL };
	static const char *const evidence[XEN_GUESTS] = {
		[XEN_PV] = "/proc/xen exists + clocksource xen + xen irq chips in /proc/interrupts + no ACPI, no DMI",
		[XEN_PVH] = "/proc/xen exists + clocksource xen + xen irq chips in /proc/interrupts + ACPI but no DMI, no IO-APIC",
		[XEN_HVM] = "/proc/xen exists + clocksource xen + xen irq chips in /proc/interrupts + IO-APIC in /proc/interrupts",
	};

	check_xen_without(drop, evidence);
}
END_TEST

/* Neither /sys/hypervisor nor /proc/xen, clocksource not xen: the event
 * channel irq chips alone still say Xen. */
START_TEST(test_xen_only_irq_chips)
{
	static const char *const drop[] = {
		"sys/hypervisor", "proc/xen",
		"sys/devices/system/clocksource", NULL,
	};
	static const char *const evidence[XEN_GUESTS] = {
		[XEN_PV] = "xen irq chips in /proc/interrupts + no ACPI, no DMI",
		[XEN_HVM] = "xen irq chips in /proc/interrupts + IO-APIC in /proc/interrupts",
	};

	check_xen_without(drop, evidence);
}
END_TEST

START_TEST(test_xen_hvm_dmi)
{
	struct platform p;

	ck_assert_int_eq(platform_detect(fx("xen-hvm-deb61"), &p), 0);
	ck_assert_str_eq(p.sys_vendor, "Xen");
	ck_assert_str_eq(p.product_name, "HVM domU");
	ck_assert_str_eq(p.clocksource, "xen");
	ck_assert_uint_eq(p.xen_features, 0x00012705);
	ck_assert_str_eq(platform_name(&p), "Xen HVM");
}
END_TEST

/* dom0 of the Xen lab: PV, XENFEAT_dom0, /proc/xen/capabilities=control_d;
 * the DMI of the (emulated) machine must not make it look like HVM. */
START_TEST(test_xen_dom0)
{
	static const char *const drop[] = { "sys/hypervisor/guest_type", NULL };
	struct platform p;
	char *dir;

	ck_assert_int_eq(platform_detect(fx("xen-pv-dom0-deb61"), &p), 0);
	ck_assert_int_eq(p.kind, PLATFORM_XEN_PV);
	ck_assert(p.xen_dom0);
	ck_assert_str_eq(platform_name(&p), "Xen PV dom0");
	ck_assert_str_eq(p.evidence, "sys/hypervisor/guest_type=PV");
	ck_assert_str_eq(p.sys_vendor, "QEMU");

	dir = copy_without("xen-pv-dom0-deb61", drop);
	ck_assert_int_eq(platform_detect(dir, &p), 0);
	ck_assert_int_eq(p.kind, PLATFORM_XEN_PV);
	ck_assert(p.xen_dom0);
	remove_tree(dir);
}
END_TEST

START_TEST(test_missing_root)
{
	struct platform p;

	ck_assert_int_eq(platform_detect("/nonexistent/iopath-root", &p), 0);
	ck_assert_int_eq(p.kind, PLATFORM_UNKNOWN);
	ck_assert_str_eq(p.evidence, "no /proc/cpuinfo");
	ck_assert_str_eq(platform_name(&p), "unknown");
	ck_assert_int_eq(platform_detect(fx("thisvm-kvm-6.18"), NULL), -EINVAL);
}
END_TEST

START_TEST(test_live)
{
	struct platform p;

	/* Whatever runs the tests has a /proc/cpuinfo. */
	ck_assert_int_eq(platform_detect("/", &p), 0);
	ck_assert_int_ne(p.kind, PLATFORM_UNKNOWN);
	ck_assert(p.evidence[0]);
	ck_assert_int_eq(platform_detect("", &p), 0);
	ck_assert_int_ne(p.kind, PLATFORM_UNKNOWN);
}
END_TEST

START_TEST(test_print_and_json)
{
	struct platform p;
	char *buf;

	ck_assert_int_eq(platform_detect(fx("deb61-qemu-tcg"), &p), 0);
	buf = CAPTURE(f, platform_print(f, &p));
	ASSERT_HAS(buf, "platform:    other hypervisor [QEMU", "evidence:  cpuinfo flag hypervisor");
	free(buf);

	buf = CAPTURE_JSON(w, false, platform_json(&w, &p));
	ASSERT_HAS(buf, "{\"platform\":{\"kind\":\"other-hypervisor\"", "\"sys_vendor\":\"QEMU\"",
		   "\"xen_features\":null", "\"cloud\":null");
	free(buf);
}
END_TEST

int main(void)
{
	return RUN_TESTS("platform", "detect", test_lab_tcg_cpuid, test_lab_xen_pv_cpuid, test_lab_xen_pv_510, test_lab_xen_pvh_hvm_cpuid, test_thisvm_kvm,
			 test_thisvm_virtual_same_platform, test_thisvm_pvm_signature, test_deb61_qemu_tcg,
			 test_no_flag_no_dmi_is_bare_metal, test_xen_guest_types,
			 test_xen_without_guest_type, test_xen_without_sys_hypervisor,
			 test_xen_only_irq_chips, test_xen_hvm_dmi, test_xen_dom0,
			 test_missing_root, test_live, test_print_and_json);
}
