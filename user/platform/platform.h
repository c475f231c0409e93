/* Hypervisor / guest-type detection.
 *
 * Which exits an I/O costs depends on what the guest runs on (Xen PV pays a
 * hypercall per interrupt return, HVM does not; KVM notifies exit, Nitro
 * doorbells do not), so every report starts by saying what this machine is
 * and on what evidence.  Everything is read from files under a root prefix so
 * that the same code runs against fixture trees copied from other machines
 * by tools/snapshot-fixture.sh.
 */
#ifndef IOPATH_PLATFORM_H
#define IOPATH_PLATFORM_H
#include <stdbool.h>
#include <stdio.h>
#include "platform/hvsig.h"

struct jw;

enum platform_kind {
	PLATFORM_UNKNOWN = 0,
	PLATFORM_BARE_METAL,
	PLATFORM_XEN_PV,
	PLATFORM_XEN_PVH,
	PLATFORM_XEN_HVM,
	PLATFORM_XEN_OTHER,	/* Xen for sure, guest type not decidable */
	PLATFORM_KVM,		/* includes KVM-based Nitro (see ->nitro) */
	PLATFORM_HYPERV,
	PLATFORM_VMWARE,
	PLATFORM_OTHER_HV,	/* hypervisor present, not one of the above */
	PLATFORM_PVM,		/* PVM: a paravirtual hypervisor built on KVM (guest in ring 3 of the host) */
};

#define PLATFORM_STR 64
#define PLATFORM_EVIDENCE 320

struct platform {
	enum platform_kind kind;
	bool hypervisor_flag;	/* /proc/cpuinfo flags has "hypervisor" */
	bool xen_dom0;		/* XENFEAT_dom0 or /proc/xen/capabilities */
	bool nitro;		/* DMI says "Amazon EC2" (KVM guest or .metal) */
	bool has_xen_features;
	unsigned int xen_features;	/* /sys/hypervisor/properties/features */
	char hv_name[PLATFORM_STR];	/* free text for OTHER_HV ("QEMU") */
	char cloud[16];			/* "aws", "gcp", "azure" or "" */
	char guest_type[16];		/* /sys/hypervisor/guest_type verbatim */
	char xen_version[80];		/* "4.17.5" from /sys/hypervisor/version */
	char clocksource[PLATFORM_STR];	/* current */
	char clocksources[128];		/* available */
	char sys_vendor[PLATFORM_STR];
	char product_name[PLATFORM_STR];
	char bios_vendor[PLATFORM_STR];
	char bios_version[PLATFORM_STR];
	char board_vendor[PLATFORM_STR];
	/* How the decision was made, e.g. "sys/hypervisor/guest_type=PVH" or
	 * "cpuinfo flag hypervisor + available clocksource kvm-clock". */
	char evidence[PLATFORM_EVIDENCE];
	/* The hypervisor's own word (hvsig.h): when it names another hypervisor than the file
	 * heuristics did, it decides, and the heuristics' answer is kept as the second opinion. */
	struct hvsig sig;
	bool disagree;                          /* the two named different hypervisors */
	enum platform_kind heuristic_kind;      /* what the files alone said */
	char heuristic_evidence[PLATFORM_EVIDENCE];
};

/* root: "" or "/" for the live system, else a fixture tree (hv/cpuid and hv/kernel-log there,
 * when the snapshot has them, stand for the CPUID leaves and the kernel log).
 * Returns 0 (out is always filled, kind may be PLATFORM_UNKNOWN) or -errno
 * for bad arguments. */
int platform_detect(const char *root, struct platform *out);

/* "Xen PV", "Xen PVH", "Xen HVM", "KVM", "KVM (AWS Nitro)", "bare metal"... */
const char *platform_name(const struct platform *p);
bool platform_is_xen(const struct platform *p);

void platform_print(FILE *f, const struct platform *p);
/* Writes an object member "platform" into the object being written. */
void platform_json(struct jw *w, const struct platform *p);

#endif
