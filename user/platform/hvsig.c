#include "platform/hvsig.h"

#include <cpuid.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>

#include "out/json.h"
#include "util/util.h"

/* CPUID signatures, ebx:ecx:edx as text (each hypervisor's own source names its string). */
static const struct { const char *sig, *vendor; } vendors[] = {
	{ "KVMKVMKVM", "KVM" },           /* arch/x86/include/uapi/asm/kvm_para.h KVM_SIGNATURE */
	{ "XenVMMXenVMM", "Xen" },        /* xen/include/public/arch-x86/cpuid.h */
	{ "Microsoft Hv", "Hyper-V" },    /* arch/x86/include/asm/hyperv-tlfs.h */
	{ "VMwareVMware", "VMware" },     /* arch/x86/kernel/cpu/vmware.c */
	{ "TCGTCGTCGTCG", "QEMU TCG" },   /* qemu target/i386/cpu.c */
	{ "bhyve bhyve ", "bhyve" },      /* arch/x86/kernel/cpu/bhyve.c */
	{ "ACRNACRNACRN", "ACRN" },       /* arch/x86/kernel/cpu/acrn.c */
	{ "VBoxVBoxVBox", "VirtualBox" },
	{ " lrpepyh  vr", "Parallels" },
};

const char *hvsig_vendor(const char *sig)
{
	for (size_t i = 0; i < NELEM(vendors); i++)
		if (!strcmp(sig, vendors[i].sig))
			return vendors[i].vendor;
	return NULL;
}

/* KVM_FEATURE_* bit numbers of CPUID 0x40000001 EAX (arch/x86/include/uapi/asm/kvm_para.h) and
 * XEN_HVM_CPUID_* bits of the Xen HVM leaf (xen/include/public/arch-x86/cpuid.h). */
static const struct { int bit; const char *name; } kvm_bits[] = {
	{ 3, "kvm-clock" }, { 5, "steal time" }, { 6, "PV EOI" }, { 7, "PV spinlocks (unhalt)" },
	{ 9, "PV TLB flush" }, { 11, "PV IPI" }, { 13, "PV sched yield" }, { 14, "async PF (interrupt)" },
	{ 15, "MSI ext dest id" }, { 24, "kvm-clock stable" },
}, xen_bits[] = {
	{ 0, "APIC access virtualized" }, { 1, "x2APIC virtualized" }, { 3, "vCPU id" },
	{ 4, "domain id" }, { 6, "per-vCPU upcall vector" },
};

typedef int (*leaf_fn)(void *ctx, unsigned leaf, unsigned r[4]);

static int leaf_live(void *ctx, unsigned leaf, unsigned r[4])
{
	__cpuid(leaf, r[0], r[1], r[2], r[3]);
	return 0;
}

/* A fixture's hv/cpuid lines, looked up by leaf. */
struct dump {
	int n;
	unsigned v[64][5];
};

static int leaf_dump(void *ctx, unsigned leaf, unsigned r[4])
{
	const struct dump *d = ctx;

	for (int i = 0; i < d->n; i++)
		if (d->v[i][0] == leaf) {
			memcpy(r, &d->v[i][1], 4 * sizeof(unsigned));
			return 0;
		}
	return -ENOENT;
}

static void read_leaves(struct hvsig *s, leaf_fn get, void *ctx)
{
	for (unsigned k = 0; k < HVSIG_MAX; k++) {
		unsigned base = 0x40000000 + 0x100 * k, r[4];
		char sig[13];

		if (get(ctx, base, r))
			continue;
		memcpy(sig, &r[1], 4);
		memcpy(sig + 4, &r[2], 4);
		memcpy(sig + 8, &r[3], 4);
		sig[12] = 0;
		/* no range here: a zero max leaf, or the highest basic leaf echoed (Intel) */
		if (r[0] < base || r[0] > base + 0xff || !sig[0])
			continue;
		s->sig[s->nsig].base = base;
		s->sig[s->nsig].max = r[0];
		snprintf(s->sig[s->nsig].sig, sizeof(s->sig[0].sig), "%s", sig);
		if (!strcmp(sig, "KVMKVMKVM") && s->kvm < 0 && !get(ctx, base + 1, r)) {
			s->kvm = s->nsig;
			s->kvm_features = r[0];
		}
		if (!strcmp(sig, "XenVMMXenVMM") && s->xen < 0) {
			s->xen = s->nsig;
			if (!get(ctx, base + 1, r))
				s->xen_version = r[0];
			if (s->sig[s->nsig].max >= base + 4 && !get(ctx, base + 4, r))
				s->xen_hvm_features = r[0];
		}
		s->nsig++;
	}
}

/* "... Hypervisor detected: PVM" -> "PVM" (the last such line). */
static void scan_log(struct hvsig *s, const char *text)
{
	const char *p = text, *q;

	while ((q = strstr(p, "Hypervisor detected: "))) {
		size_t n;

		q += strlen("Hypervisor detected: ");
		n = strcspn(q, "\r\n");
		snprintf(s->kernel, sizeof(s->kernel), "%.*s", (int)n, q);
		p = q + n;
	}
}

int hvsig_read(const char *root, struct hvsig *s)
{
	bool live = !root || !*root || !strcmp(root, "/");

	if (!s)
		return -EINVAL;
	memset(s, 0, sizeof(*s));
	s->kvm = s->xen = -1;
	if (live) {
		/* x86 only: the leaves exist when CPUID.1:ECX.hypervisor (bit 31) is set */
		unsigned a, b, c, d;
		int n;
		char *buf;

		__cpuid(1, a, b, c, d);
		s->have_cpuid = true;
		if (c >> 31)
			read_leaves(s, leaf_live, NULL);
		n = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
		buf = n > 0 ? malloc(n + 1) : NULL;
		if (buf && (n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, n)) >= 0) {
			buf[n] = 0;
			s->have_log = true;
			scan_log(s, buf);
		} else {
			snprintf(s->why_no_log, sizeof(s->why_no_log), "kernel log not readable: %s",
				 strerror(errno));
		}
		free(buf);
		return 0;
	}
	{
		char path[4096], line[256], *text = malloc(65536);
		struct dump *dmp = calloc(1, sizeof(*dmp));
		FILE *f;

		if (dmp && (f = fopen(root_path(path, sizeof(path), root, "/hv/cpuid"), "re"))) {
			s->have_cpuid = true;
			while (dmp->n < 64 && fgets(line, sizeof(line), f))
				if (sscanf(line, "%x %x %x %x %x", &dmp->v[dmp->n][0], &dmp->v[dmp->n][1],
					   &dmp->v[dmp->n][2], &dmp->v[dmp->n][3], &dmp->v[dmp->n][4]) == 5)
					dmp->n++;
			fclose(f);
			read_leaves(s, leaf_dump, dmp);
		}
		if (text && read_small_file(root, "/hv/kernel-log", text, 65536) >= 0) {
			s->have_log = true;
			scan_log(s, text);
		} else {
			snprintf(s->why_no_log, sizeof(s->why_no_log), "no hv/kernel-log in the fixture");
		}
		free(text);
		free(dmp);
	}
	return 0;
}

static void add(char *buf, size_t len, size_t *o, const char *what)
{
	if (*o < len)
		*o += snprintf(buf + *o, len - *o, "%s%s", *o ? ", " : "", what);
}

void hvsig_features(const struct hvsig *s, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = 0;
	for (size_t i = 0; s->kvm >= 0 && i < NELEM(kvm_bits); i++)
		if (s->kvm_features >> kvm_bits[i].bit & 1)
			add(buf, len, &o, kvm_bits[i].name);
	for (size_t i = 0; s->xen >= 0 && i < NELEM(xen_bits); i++)
		if (s->xen_hvm_features >> xen_bits[i].bit & 1)
			add(buf, len, &o, xen_bits[i].name);
}

void hvsig_json(struct jw *w, const struct hvsig *s)
{
	char f[256];

	jw_obj_begin(w, "hypervisor_signature");
	if (s->have_log)
		jw_str(w, "kernel_detected", s->kernel[0] ? s->kernel : NULL);
	else
		jw_str(w, "kernel_log", s->why_no_log);
	jw_arr_begin(w, "cpuid_leaves");
	for (int i = 0; i < s->nsig; i++) {
		const char *v = hvsig_vendor(s->sig[i].sig);

		jw_obj_begin(w, NULL);
		jw_uint(w, "base", s->sig[i].base);
		jw_uint(w, "max_leaf", s->sig[i].max);
		jw_str(w, "signature", s->sig[i].sig);
		jw_str(w, "vendor", v);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	if (s->kvm >= 0)
		jw_uint(w, "kvm_features", s->kvm_features);
	if (s->xen >= 0) {
		jw_uint(w, "xen_version_major", s->xen_version >> 16);
		jw_uint(w, "xen_version_minor", s->xen_version & 0xffff);
		jw_uint(w, "xen_hvm_features", s->xen_hvm_features);
	}
	hvsig_features(s, f, sizeof(f));
	jw_str(w, "pv_features", f);
	jw_obj_end(w);
}

void hvsig_dump_live(FILE *f)
{
	unsigned a, b, c, d, r[4];

	__cpuid(1, a, b, c, d);
	if (!(c >> 31))
		return;   /* no hypervisor: the leaves are not defined */
	for (unsigned k = 0; k < HVSIG_MAX; k++) {
		unsigned base = 0x40000000 + 0x100 * k, max;

		__cpuid(base, r[0], r[1], r[2], r[3]);
		max = r[0] >= base && r[0] <= base + 0xff ? r[0] : base;
		for (unsigned l = base; l <= max && l <= base + 5; l++) {
			__cpuid(l, r[0], r[1], r[2], r[3]);
			fprintf(f, "0x%08x 0x%08x 0x%08x 0x%08x 0x%08x\n", l, r[0], r[1], r[2], r[3]);
		}
	}
}
