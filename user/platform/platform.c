/* Hypervisor / guest-type detection: first from /sys, /proc and DMI (files, so that a fixture
 * tree made by tools/snapshot-fixture.sh replays the decision exactly), then checked against
 * the hypervisor's own word (hvsig.c: the kernel's "Hypervisor detected" line and the CPUID
 * leaves), which decides when the two disagree: a PVM guest has kvm-clock and looks like KVM
 * to the files.
 */
#include "platform/platform.h"
#include "out/json.h"
#include "platform/sysfs.h"
#include "util/util.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* XENFEAT_* bit numbers, xen/include/public/features.h */
#define XENFEAT_auto_translated_physmap 2
#define XENFEAT_dom0 11

/* Whole word in a space-separated list ("tsc kvm-clock" has "kvm-clock"). */
static bool has_word(const char *list, const char *word)
{
	size_t wl = strlen(word);
	const char *p = list;

	while ((p = strstr(p, word))) {
		bool start = p == list || isspace((unsigned char)p[-1]);
		bool end = !p[wl] || isspace((unsigned char)p[wl]);

		if (start && end)
			return true;
		p += wl;
	}
	return false;
}

static bool contains_ci(const char *hay, const char *needle)
{
	return hay[0] && strcasestr(hay, needle) != NULL;
}

struct cpuinfo_facts {
	bool read;
	bool hypervisor;
};

static void scan_cpuinfo(const char *root, struct cpuinfo_facts *c)
{
	char path[4096], *line = NULL;
	size_t cap = 0;
	FILE *f;

	memset(c, 0, sizeof(*c));
	f = fopen(root_path(path, sizeof(path), root, "/proc/cpuinfo"), "re");
	if (!f)
		return;
	c->read = true;
	/* The first "flags" line is enough: all vCPUs get the same cpuid. */
	while (getline(&line, &cap, f) > 0) {
		char *colon;

		if (strncmp(line, "flags", 5))
			continue;
		colon = strchr(line, ':');
		if (colon) {
			str_rtrim(colon);
			c->hypervisor = has_word(colon + 1, "hypervisor");
		}
		break;
	}
	free(line);
	fclose(f);
}

struct irq_facts {
	bool read;
	bool hyp_line;		/* HYPERVISOR_CALLBACK_VECTOR allocated */
	unsigned long long hyp_total;
	bool xen_chip;		/* xen-dyn / xen-percpu / xen-pirq */
	bool hyperv_lines;	/* HVS (stimer) / HRE (reenlightenment) */
	bool ioapic;		/* emulated IO-APIC (or pirq-routed one) */
};

static void scan_interrupts(const char *root, struct irq_facts *q)
{
	char path[4096], *line = NULL;
	size_t cap = 0;
	FILE *f;

	memset(q, 0, sizeof(*q));
	f = fopen(root_path(path, sizeof(path), root, "/proc/interrupts"), "re");
	if (!f)
		return;
	q->read = true;
	while (getline(&line, &cap, f) > 0) {
		char *p = line;

		while (*p == ' ')
			p++;
		if (!strncmp(p, "HYP:", 4)) {
			char *end;

			q->hyp_line = true;
			p += 4;
			for (;;) {
				unsigned long long v = strtoull(p, &end, 10);

				if (end == p)
					break;
				q->hyp_total += v;
				p = end;
			}
		} else if (!strncmp(p, "HVS:", 4) || !strncmp(p, "HRE:", 4)) {
			q->hyperv_lines = true;
		}
		/* Chip names: "xen-dyn-event" (old kernels), "xen-dyn" followed
		 * by "-event" (new), "xen-percpu", "xen-pirq". */
		if (strstr(line, " xen-dyn") || strstr(line, " xen-percpu") ||
		    strstr(line, " xen-pirq"))
			q->xen_chip = true;
		if (strstr(line, "IO-APIC") || strstr(line, "ioapic"))
			q->ioapic = true;
	}
	free(line);
	fclose(f);
}

static void ev_add(struct platform *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Append one piece of evidence, " + " separated. */
static void ev_add(struct platform *p, const char *fmt, ...)
{
	size_t n = strlen(p->evidence);
	va_list ap;

	if (n && n + 3 < sizeof(p->evidence)) {
		strcpy(p->evidence + n, " + ");
		n += 3;
	}
	if (n >= sizeof(p->evidence) - 1)
		return;
	va_start(ap, fmt);
	vsnprintf(p->evidence + n, sizeof(p->evidence) - n, fmt, ap);
	va_end(ap);
}

static bool dmi_any(const struct platform *p, const char *needle)
{
	return contains_ci(p->sys_vendor, needle) ||
	       contains_ci(p->product_name, needle) ||
	       contains_ci(p->bios_vendor, needle) ||
	       contains_ci(p->board_vendor, needle);
}

static bool dmi_present(const struct platform *p)
{
	return p->sys_vendor[0] || p->product_name[0] || p->bios_vendor[0];
}

static void read_dmi(const char *root, struct platform *p)
{
	sysfs_read_str(root, "/sys/class/dmi/id/sys_vendor", p->sys_vendor,
		 sizeof(p->sys_vendor));
	sysfs_read_str(root, "/sys/class/dmi/id/product_name", p->product_name,
		 sizeof(p->product_name));
	sysfs_read_str(root, "/sys/class/dmi/id/bios_vendor", p->bios_vendor,
		 sizeof(p->bios_vendor));
	sysfs_read_str(root, "/sys/class/dmi/id/bios_version", p->bios_version,
		 sizeof(p->bios_version));
	sysfs_read_str(root, "/sys/class/dmi/id/board_vendor", p->board_vendor,
		 sizeof(p->board_vendor));
}

static void guess_cloud(struct platform *p)
{
	/* AWS Xen instances say "Xen"/"HVM domU" with bios_version
	 * "4.11.amazon"; Nitro says "Amazon EC2". */
	if (dmi_any(p, "Amazon EC2") || contains_ci(p->bios_version, "amazon"))
		strcpy(p->cloud, "aws");
	else if (dmi_any(p, "Google"))
		strcpy(p->cloud, "gcp");
	else if (contains_ci(p->sys_vendor, "Microsoft Corporation") &&
		 contains_ci(p->product_name, "Virtual Machine"))
		strcpy(p->cloud, "azure");
}

/* Xen: decide PV / PVH / HVM.  guest_type exists since Linux 4.15-ish but is
 * absent when CONFIG_XEN_SYS_HYPERVISOR is off or on old kernels, so fall
 * back to XENFEAT bits, then to what only HVM has (DMI from hvmloader,
 * emulated IO-APIC), then to ACPI (PV domUs have none). */
static void decide_xen(const char *root, struct platform *p,
		       const struct irq_facts *q)
{
	bool hvm_signs = dmi_any(p, "Xen") || dmi_any(p, "HVM domU") ||
			 q->ioapic;

	if (!strcmp(p->guest_type, "PV")) {
		p->kind = PLATFORM_XEN_PV;
	} else if (!strcmp(p->guest_type, "PVH")) {
		p->kind = PLATFORM_XEN_PVH;
	} else if (!strcmp(p->guest_type, "HVM")) {
		p->kind = PLATFORM_XEN_HVM;
	} else if (p->has_xen_features) {
		if (!(p->xen_features & (1u << XENFEAT_auto_translated_physmap))) {
			/* Only PV guests manage the p2m themselves. */
			p->kind = PLATFORM_XEN_PV;
			ev_add(p, "sys/hypervisor/properties/features=%08x (no auto_translated_physmap)",
			       p->xen_features);
		} else if (hvm_signs) {
			p->kind = PLATFORM_XEN_HVM;
			ev_add(p, "sys/hypervisor/properties/features=%08x (auto_translated_physmap)",
			       p->xen_features);
			ev_add(p, "%s", q->ioapic ? "IO-APIC in /proc/interrupts" :
			       "Xen DMI (hvmloader)");
		} else {
			p->kind = PLATFORM_XEN_PVH;
			ev_add(p, "sys/hypervisor/properties/features=%08x (auto_translated_physmap)",
			       p->xen_features);
			ev_add(p, "no DMI, no IO-APIC");
		}
	} else if (hvm_signs) {
		p->kind = PLATFORM_XEN_HVM;
		ev_add(p, "%s", q->ioapic ? "IO-APIC in /proc/interrupts" :
		       "Xen DMI (hvmloader)");
	} else if (!sysfs_is_dir(root, "/sys/firmware/acpi")) {
		p->kind = PLATFORM_XEN_PV;
		ev_add(p, "no ACPI, no DMI");
	} else if (!dmi_present(p)) {
		p->kind = PLATFORM_XEN_PVH;
		ev_add(p, "ACPI but no DMI, no IO-APIC");
	} else {
		p->kind = PLATFORM_XEN_OTHER;
		ev_add(p, "guest type undecided");
	}
}

static int detect_files(const char *root, struct platform *p)
{
	struct cpuinfo_facts c;
	struct irq_facts q;
	char hyp_type[32], buf[64], major[16], minor[16], extra[32];
	bool proc_xen, is_xen = false;

	if (!p)
		return -EINVAL;
	memset(p, 0, sizeof(*p));

	scan_cpuinfo(root, &c);
	scan_interrupts(root, &q);
	read_dmi(root, p);
	p->hypervisor_flag = c.hypervisor;
	sysfs_read_str(root, "/sys/devices/system/clocksource/clocksource0/current_clocksource",
		 p->clocksource, sizeof(p->clocksource));
	sysfs_read_str(root, "/sys/devices/system/clocksource/clocksource0/available_clocksource",
		 p->clocksources, sizeof(p->clocksources));
	sysfs_read_str(root, "/sys/hypervisor/type", hyp_type, sizeof(hyp_type));
	sysfs_read_str(root, "/sys/hypervisor/guest_type", p->guest_type,
		 sizeof(p->guest_type));
	if (!sysfs_read_str(root, "/sys/hypervisor/properties/features", buf,
		      sizeof(buf)) && buf[0]) {
		char *end;

		p->xen_features = strtoul(buf, &end, 16);
		p->has_xen_features = end != buf;
	}
	if (!sysfs_read_str(root, "/sys/hypervisor/version/major", major, sizeof(major)) &&
	    !sysfs_read_str(root, "/sys/hypervisor/version/minor", minor, sizeof(minor))) {
		sysfs_read_str(root, "/sys/hypervisor/version/extra", extra, sizeof(extra));
		snprintf(p->xen_version, sizeof(p->xen_version), "%s.%s%s",
			 major, minor, extra);
	}
	proc_xen = sysfs_is_dir(root, "/proc/xen");
	guess_cloud(p);

	/* Xen first: an AWS Xen HVM guest also carries the "hypervisor" flag
	 * and DMI that mentions Amazon. */
	if (!strcmp(hyp_type, "xen")) {
		is_xen = true;
		if (p->guest_type[0])
			ev_add(p, "sys/hypervisor/guest_type=%s", p->guest_type);
		else
			ev_add(p, "sys/hypervisor/type=xen");
	} else if (proc_xen || !strcmp(p->clocksource, "xen") || q.xen_chip) {
		/* No xen sysfs driver (CONFIG_XEN_SYS_HYPERVISOR=n): the
		 * xenfs mount point, the PV clock or event-channel irq chips
		 * still give Xen away. */
		is_xen = true;
		if (proc_xen)
			ev_add(p, "/proc/xen exists");
		if (!strcmp(p->clocksource, "xen"))
			ev_add(p, "clocksource xen");
		if (q.xen_chip)
			ev_add(p, "xen irq chips in /proc/interrupts");
	}
	if (is_xen) {
		decide_xen(root, p, &q);
		if (p->has_xen_features &&
		    (p->xen_features & (1u << XENFEAT_dom0)))
			p->xen_dom0 = true;
		if (!sysfs_read_str(root, "/proc/xen/capabilities", buf, sizeof(buf)) &&
		    strstr(buf, "control_d"))
			p->xen_dom0 = true;
		return 0;
	}

	if (has_word(p->clocksources, "hyperv_clocksource_tsc_page") ||
	    has_word(p->clocksources, "hyperv_clocksource_msr") ||
	    q.hyperv_lines ||
	    (contains_ci(p->sys_vendor, "Microsoft Corporation") &&
	     contains_ci(p->product_name, "Virtual Machine"))) {
		p->kind = PLATFORM_HYPERV;
		if (contains_ci(p->clocksources, "hyperv"))
			ev_add(p, "%s clocksource %s",
			       contains_ci(p->clocksource, "hyperv") ? "current" : "available",
			       contains_ci(p->clocksource, "hyperv") ? p->clocksource :
			       "hyperv_clocksource_*");
		if (q.hyperv_lines)
			ev_add(p, "HVS/HRE lines in /proc/interrupts");
		if (contains_ci(p->sys_vendor, "Microsoft"))
			ev_add(p, "DMI sys_vendor=%s", p->sys_vendor);
		return 0;
	}

	if (dmi_any(p, "Amazon EC2")) {
		/* Nitro: KVM-based hypervisor, or none at all on .metal. */
		p->nitro = true;
		p->kind = c.hypervisor ? PLATFORM_KVM : PLATFORM_BARE_METAL;
		ev_add(p, "DMI %s=Amazon EC2", contains_ci(p->sys_vendor, "Amazon EC2") ?
		       "sys_vendor" : contains_ci(p->bios_vendor, "Amazon EC2") ?
		       "bios_vendor" : "product_name/board_vendor");
		ev_add(p, c.hypervisor ? "cpuinfo flag hypervisor" :
		       "no cpuinfo flag hypervisor (.metal)");
		return 0;
	}

	if (has_word(p->clocksources, "kvm-clock")) {
		p->kind = PLATFORM_KVM;
		if (c.hypervisor)
			ev_add(p, "cpuinfo flag hypervisor");
		ev_add(p, "%s clocksource kvm-clock",
		       !strcmp(p->clocksource, "kvm-clock") ? "current" : "available");
		return 0;
	}
	if (dmi_any(p, "KVM") || (dmi_any(p, "Google") && c.hypervisor)) {
		/* GCE and "Red Hat KVM" machine types, kvm-clock disabled */
		p->kind = PLATFORM_KVM;
		ev_add(p, "DMI %s/%s", p->sys_vendor, p->product_name);
		if (c.hypervisor)
			ev_add(p, "cpuinfo flag hypervisor");
		return 0;
	}
	if (dmi_any(p, "VMware")) {
		p->kind = PLATFORM_VMWARE;
		ev_add(p, "DMI %s", p->sys_vendor);
		return 0;
	}
	if (c.hypervisor) {
		p->kind = PLATFORM_OTHER_HV;
		ev_add(p, "cpuinfo flag hypervisor");
		if (dmi_any(p, "QEMU")) {
			/* QEMU without kvm-clock is most likely TCG. */
			snprintf(p->hv_name, sizeof(p->hv_name),
				 "QEMU (no kvm-clock: TCG?)");
			ev_add(p, "DMI %s, no kvm-clock", p->sys_vendor);
		} else if (dmi_present(p)) {
			snprintf(p->hv_name, sizeof(p->hv_name), "%s",
				 p->sys_vendor);
			ev_add(p, "DMI sys_vendor=%s", p->sys_vendor);
		}
		return 0;
	}
	if (q.hyp_line && q.hyp_total) {
		/* A hypervisor callback vector is in use but cpuid hides
		 * the hypervisor bit. */
		p->kind = PLATFORM_OTHER_HV;
		ev_add(p, "HYP interrupts without cpuinfo flag hypervisor");
		return 0;
	}
	if (!c.read) {
		p->kind = PLATFORM_UNKNOWN;
		ev_add(p, "no /proc/cpuinfo");
		return 0;
	}
	p->kind = PLATFORM_BARE_METAL;
	ev_add(p, "no cpuinfo flag hypervisor, no hypervisor sysfs");
	return 0;
}

bool platform_is_xen(const struct platform *p)
{
	return p->kind == PLATFORM_XEN_PV || p->kind == PLATFORM_XEN_PVH ||
	       p->kind == PLATFORM_XEN_HVM || p->kind == PLATFORM_XEN_OTHER;
}

/* The hypervisor vendor a kind stands for, to compare two opinions ("" none). */
static const char *kind_vendor(const struct platform *p, enum platform_kind k)
{
	switch (k) {
	case PLATFORM_XEN_PV: case PLATFORM_XEN_PVH: case PLATFORM_XEN_HVM: case PLATFORM_XEN_OTHER:
		return "Xen";
	case PLATFORM_KVM: return "KVM";
	case PLATFORM_PVM: return "PVM";
	case PLATFORM_HYPERV: return "Hyper-V";
	case PLATFORM_VMWARE: return "VMware";
	case PLATFORM_OTHER_HV: return p->hv_name[0] ? p->hv_name : "other";
	default: return "";
	}
}

/* What the hypervisor itself says, as a kind: the kernel's line first, else the first CPUID
 * signature this table knows. UNKNOWN when neither says anything. */
static enum platform_kind sig_kind(const struct platform *p, char *name, size_t len, char *why, size_t wlen)
{
	const struct hvsig *s = &p->sig;
	const char *k = s->kernel;

	name[0] = 0;
	if (k[0]) {
		snprintf(why, wlen, "kernel: Hypervisor detected: %s", k);
		if (!strcmp(k, "PVM"))
			return PLATFORM_PVM;
		if (!strcmp(k, "KVM"))
			return PLATFORM_KVM;
		if (!strcmp(k, "Xen PV"))
			return PLATFORM_XEN_PV;
		if (!strncmp(k, "Xen", 3))   /* "Xen HVM" for HVM and PVH guests alike */
			return p->kind == PLATFORM_XEN_PVH ? PLATFORM_XEN_PVH : PLATFORM_XEN_HVM;
		if (strstr(k, "Hyper-V"))
			return PLATFORM_HYPERV;
		if (!strcmp(k, "VMware"))
			return PLATFORM_VMWARE;
		snprintf(name, len, "%s", k);
		return PLATFORM_OTHER_HV;
	}
	for (int i = 0; i < s->nsig; i++) {
		const char *v = hvsig_vendor(s->sig[i].sig);

		if (!v)
			continue;
		snprintf(why, wlen, "CPUID 0x%x signature '%s'", s->sig[i].base, s->sig[i].sig);
		if (!strcmp(v, "KVM"))
			return PLATFORM_KVM;
		if (!strcmp(v, "Xen"))
			return p->kind >= PLATFORM_XEN_PV && p->kind <= PLATFORM_XEN_OTHER ? p->kind : PLATFORM_XEN_OTHER;
		if (!strcmp(v, "Hyper-V"))
			return PLATFORM_HYPERV;
		if (!strcmp(v, "VMware"))
			return PLATFORM_VMWARE;
		snprintf(name, len, "%s", v);
		return PLATFORM_OTHER_HV;
	}
	return PLATFORM_UNKNOWN;
}

int platform_detect(const char *root, struct platform *p)
{
	char name[PLATFORM_STR], why[96];
	enum platform_kind k;
	int err = detect_files(root, p);

	if (err)
		return err;
	p->heuristic_kind = p->kind;
	hvsig_read(root, &p->sig);
	k = sig_kind(p, name, sizeof(name), why, sizeof(why));
	if (k == PLATFORM_UNKNOWN)
		return 0;
	{
		struct platform q = *p;

		q.kind = k;
		if (name[0])
			snprintf(q.hv_name, sizeof(q.hv_name), "%s", name);
		if (!strcmp(kind_vendor(p, p->kind), kind_vendor(&q, k)) ||
		    (p->kind == PLATFORM_OTHER_HV && k == PLATFORM_OTHER_HV)) {
			/* the same hypervisor: the hypervisor's word confirms (and may name it) */
			if (name[0] && k == PLATFORM_OTHER_HV)
				snprintf(p->hv_name, sizeof(p->hv_name), "%s", name);
			ev_add(p, "%s", why);
			return 0;
		}
	}
	/* they disagree: the hypervisor's own word decides, the files' answer is kept */
	p->disagree = true;
	snprintf(p->heuristic_evidence, sizeof(p->heuristic_evidence), "%s", p->evidence);
	p->kind = k;
	p->hv_name[0] = 0;
	if (name[0])
		snprintf(p->hv_name, sizeof(p->hv_name), "%s", name);
	p->evidence[0] = 0;
	ev_add(p, "%s", why);
	return 0;
}

const char *platform_name(const struct platform *p)
{
	switch (p->kind) {
	case PLATFORM_BARE_METAL:
		return p->nitro ? "bare metal (AWS Nitro .metal)" : "bare metal";
	case PLATFORM_XEN_PV:
		return p->xen_dom0 ? "Xen PV dom0" : "Xen PV";
	case PLATFORM_XEN_PVH:
		return p->xen_dom0 ? "Xen PVH dom0" : "Xen PVH";
	case PLATFORM_XEN_HVM:
		return "Xen HVM";
	case PLATFORM_XEN_OTHER:
		return "Xen (guest type unknown)";
	case PLATFORM_KVM:
		return p->nitro ? "KVM (AWS Nitro)" : "KVM";
	case PLATFORM_HYPERV:
		return "Hyper-V";
	case PLATFORM_VMWARE:
		return "VMware";
	case PLATFORM_OTHER_HV:
		/* QEMU's TCG says so in its CPUID leaf (hvsig.c): an emulated CPU, no virtualization
		 * hardware, which a reader must know before reading any time */
		if (!strcmp(p->hv_name, "QEMU TCG"))
			return "QEMU TCG (emulated CPU)";
		return "other hypervisor";
	case PLATFORM_PVM:
		return "PVM (paravirtual, on KVM)";
	case PLATFORM_UNKNOWN:
		break;
	}
	return "unknown";
}

static const char *kind_key(enum platform_kind k)
{
	switch (k) {
	case PLATFORM_BARE_METAL: return "bare-metal";
	case PLATFORM_XEN_PV: return "xen-pv";
	case PLATFORM_XEN_PVH: return "xen-pvh";
	case PLATFORM_XEN_HVM: return "xen-hvm";
	case PLATFORM_XEN_OTHER: return "xen";
	case PLATFORM_KVM: return "kvm";
	case PLATFORM_HYPERV: return "hyperv";
	case PLATFORM_VMWARE: return "vmware";
	case PLATFORM_OTHER_HV: return "other-hypervisor";
	case PLATFORM_PVM: return "pvm";
	case PLATFORM_UNKNOWN: break;
	}
	return "unknown";
}

static const char *or_dash(const char *s)
{
	return s && s[0] ? s : "-";
}

void platform_print(FILE *f, const struct platform *p)
{
	fprintf(f, "platform:    %s", platform_name(p));
	if (p->hv_name[0])
		fprintf(f, " [%s]", p->hv_name);
	if (p->cloud[0])
		fprintf(f, " (cloud: %s)", p->cloud);
	fputc('\n', f);
	fprintf(f, "  evidence:  %s\n", or_dash(p->evidence));
	if (p->disagree) {
		struct platform h = *p;

		h.kind = p->heuristic_kind;
		fprintf(f, "  files say: %s (%s): the hypervisor's own word above decides\n",
			platform_name(&h), or_dash(p->heuristic_evidence));
	}
	{
		char feat[256];

		hvsig_features(&p->sig, feat, sizeof(feat));
		for (int i = 0; i < p->sig.nsig; i++)
			fprintf(f, "  cpuid:     0x%x '%s' (max leaf 0x%x)%s%s\n", p->sig.sig[i].base,
				p->sig.sig[i].sig, p->sig.sig[i].max, i == 0 && feat[0] ? ": " : "",
				i == 0 ? feat : "");
		if (!p->sig.have_log && p->sig.why_no_log[0])
			fprintf(f, "  kernel:    %s\n", p->sig.why_no_log);
	}
	fprintf(f, "  clock:     %s (available: %s)\n", or_dash(p->clocksource),
		or_dash(p->clocksources));
	if (p->xen_version[0] || p->has_xen_features)
		fprintf(f, "  xen:       version %s, features %08x%s\n",
			or_dash(p->xen_version), p->xen_features,
			p->xen_dom0 ? ", dom0" : "");
	if (p->sys_vendor[0] || p->product_name[0] || p->bios_vendor[0])
		fprintf(f, "  dmi:       %s / %s (bios %s %s)\n",
			or_dash(p->sys_vendor), or_dash(p->product_name),
			or_dash(p->bios_vendor), or_dash(p->bios_version));
}

static void json_str_or_null(struct jw *w, const char *key, const char *v)
{
	jw_str(w, key, v && v[0] ? v : NULL);
}

void platform_json(struct jw *w, const struct platform *p)
{
	jw_obj_begin(w, "platform");
	jw_str(w, "kind", kind_key(p->kind));
	jw_str(w, "name", platform_name(p));
	jw_str(w, "evidence", p->evidence);
	jw_bool(w, "disagree", p->disagree);
	if (p->disagree) {
		jw_str(w, "files_kind", kind_key(p->heuristic_kind));
		jw_str(w, "files_evidence", p->heuristic_evidence);
	}
	hvsig_json(w, &p->sig);
	jw_bool(w, "hypervisor_flag", p->hypervisor_flag);
	jw_bool(w, "nitro", p->nitro);
	jw_bool(w, "xen_dom0", p->xen_dom0);
	json_str_or_null(w, "hv_name", p->hv_name);
	json_str_or_null(w, "cloud", p->cloud);
	json_str_or_null(w, "xen_guest_type", p->guest_type);
	json_str_or_null(w, "xen_version", p->xen_version);
	if (p->has_xen_features)
		jw_uint(w, "xen_features", p->xen_features);
	else
		jw_null(w, "xen_features");
	json_str_or_null(w, "clocksource", p->clocksource);
	json_str_or_null(w, "clocksources_available", p->clocksources);
	jw_obj_begin(w, "dmi");
	json_str_or_null(w, "sys_vendor", p->sys_vendor);
	json_str_or_null(w, "product_name", p->product_name);
	json_str_or_null(w, "bios_vendor", p->bios_vendor);
	json_str_or_null(w, "bios_version", p->bios_version);
	json_str_or_null(w, "board_vendor", p->board_vendor);
	jw_obj_end(w);
	jw_obj_end(w);
}
