/* The hypervisor's own word on what it is, beside platform.c's file heuristics:
 *  - the CPUID hypervisor leaves (0x40000000 + 0x100*k, k < 4): the signature and largest leaf of
 *    each, and the feature leaves of KVM (base+1, arch/x86/include/uapi/asm/kvm_para.h) and Xen
 *    (base+4, HVM features, xen/include/public/arch-x86/cpuid.h);
 *  - the line the guest kernel logged when it detected its hypervisor
 *    (arch/x86/kernel/cpu/hypervisor.c, init_hypervisor_platform(): "Hypervisor detected: %s").
 * The kernel's line is the strongest evidence: it ran CPUID in kernel mode, where a paravirtual
 * hypervisor (PVM) or CPUID faulting (Xen PV) can answer differently from user space.
 * Live (root "" or "/"): the cpuid instruction and the kernel log (klogctl; needs CAP_SYSLOG or
 * dmesg_restrict=0, else "not readable"). A fixture root: ROOT/hv/cpuid (one leaf a line:
 * "LEAF EAX EBX ECX EDX" in hex) and ROOT/hv/kernel-log, written by tools/snapshot-fixture.sh. */
#ifndef IOPATH_HVSIG_H
#define IOPATH_HVSIG_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct jw;

#define HVSIG_MAX 4

struct hvsig {
	bool have_cpuid;            /* the leaves were read (live, or the fixture has hv/cpuid) */
	int nsig;                   /* hypervisor leaf ranges found (0: none answers) */
	struct { unsigned base, max; char sig[13]; } sig[HVSIG_MAX];
	int kvm, xen;               /* index into sig[] of the KVM / Xen range, -1 none */
	unsigned kvm_features;      /* KVM base+1 EAX */
	unsigned xen_version;       /* Xen base+1 EAX: major << 16 | minor */
	unsigned xen_hvm_features;  /* Xen base+4 EAX (HVM/PVH guests; 0 on PV) */
	bool have_log;              /* the kernel log was read */
	char kernel[48];            /* what it said it detected, "" when it logged no such line */
	char why_no_log[64];        /* why the log could not be read */
};

/* 0, or -errno for bad arguments; out is always filled. */
int hvsig_read(const char *root, struct hvsig *out);
/* The vendor a signature names: "KVM", "Xen", "Hyper-V", "VMware", "QEMU TCG", "bhyve", ...,
 * or NULL for one this table does not know. */
const char *hvsig_vendor(const char *sig);
/* The paravirtual features the leaves advertise, ", " separated ("PV EOI, PV TLB flush, ...";
 * "" none). */
void hvsig_features(const struct hvsig *s, char *buf, size_t len);
void hvsig_json(struct jw *w, const struct hvsig *s);
/* This machine's hypervisor leaves in the fixture format of ROOT/hv/cpuid (iopath env --cpuid,
 * used by tools/snapshot-fixture.sh): each range's base and up to 5 leaves after it. */
void hvsig_dump_live(FILE *f);

#endif
