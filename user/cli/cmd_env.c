/* iopath env: what this machine is — hypervisor and guest type (with the
 * evidence), every NIC and disk with its driver, queues and IRQ lines, and
 * the kernel capabilities measured by calibration. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "engine/calib.h"
#include "cli/cli.h"
#include "cli/env_exits.h"
#include "cli/opts.h"
#include "kernel/kbtf.h"
#include "platform/devices.h"
#include "out/json.h"
#include "platform/platform.h"
#include "kernel/profiles.h"
#include "util/util.h"

static void help(void)
{
	printf("usage: iopath env [--json] [--root DIR] [--exits [--model]] [--cpuid] [--btf FILE] [-v]\n"
	       "Print the hypervisor and guest type (and how that was decided), every NIC and\n"
	       "block device with driver, queues and IRQ lines, the BTF iopath reads and the BTF\n"
	       "available per driver module, and the kernel capabilities measured by loading tiny\n"
	       "BPF programs.\n\n"
	       "  -j, --json       JSON output\n"
	       "  -r, --root DIR   read sysfs/proc from a snapshot tree (no calibration)\n"
	       "      --exits      the exit model for this platform: what leaves the guest here\n"
	       "                   and why, and what iopath can measure of it on this kernel\n"
	       "      --model      with --exits: the whole model, every platform, with sources\n"
	       "      --cpuid      print this machine's CPUID hypervisor leaves (the hv/cpuid\n"
	       "                   format of a snapshot tree) and exit\n"
	       "      --btf FILE   the kernel's BTF from a file (a kernel without\n"
	       "                   /sys/kernel/btf/vmlinux: BTFHub, tools/min-btf.sh), as record\n"
	       "                   would read it: capabilities are measured with it (without\n"
	       "                   it, the lab's Debian kernels use the BTF built in)\n"
	       "  -v, --verbose    -vv adds libbpf's log\n"
	       "  -h, --help\n");
}

/* Driver modules iopath has profiles for: loaded? BTF to resolve CO-RE
 * relocations and fentry targets against? */
/* The vmlinux BTF iopath reads (kernel/kbtf.h) and what that choice means for probing. */
static void btf_report(struct jw *w, FILE *f)
{
	const struct kbtf *b = kbtf_current();

	if (w) {
		jw_obj_begin(w, "btf");
		jw_str(w, "path", b->path[0] ? b->path : NULL);
		jw_bool(w, "given", b->given);
		jw_str(w, "builtin", b->builtin[0] ? b->builtin : NULL);
		jw_bool(w, "kernel_btf", b->kernel_btf);
		jw_bool(w, "module_btf_used", !b->given && b->kernel_btf);
		jw_str(w, "no_kernel_btf", b->kernel_btf ? NULL : b->no_kernel_btf);
		jw_obj_end(w);
		return;
	}
	if (!b->path[0])
		fprintf(f, "BTF: none (%s): iopath cannot trace here without one; give it with --btf FILE (BTFHub: %s, or "
			"tools/min-btf.sh)\n", b->no_kernel_btf, KBTF_HUB);
	else if (!b->given)
		fprintf(f, "BTF: %s (the kernel's own; with module BTF under /sys/kernel/btf)\n", b->path);
	else if (b->builtin[0])
		fprintf(f, "BTF: %s: CO-RE reads it alone (with the module structs iopath reads, "
			"bpf/btf/README.md), so module functions go by kprobe; the kernel's own BTF: %s%s\n",
			b->builtin, b->kernel_btf ? "present" : b->no_kernel_btf,
			b->kernel_btf ? "" : ", so no fentry, fexit or tp_btf (they need it)");
	else
		fprintf(f, "BTF: %s (given by --btf): CO-RE reads it alone, no module BTF, so module "
			"functions go by kprobe and driver structs in modules are not read; the kernel's own "
			"BTF: %s%s\n", b->path, b->kernel_btf ? "present" : b->no_kernel_btf,
			b->kernel_btf ? "" : ", so no fentry, fexit or tp_btf (they need it)");
}

static void modules_report(struct jw *w, FILE *f, const char *root)
{
	bool given = !*root && kbtf_current()->given;
	char p[512], full[1024], seen[64][64];
	unsigned nseen = 0;

	if (w)
		jw_arr_begin(w, "modules");
	else
		fprintf(f, "driver modules (loaded / BTF):\n");
	for (unsigned i = 0; i < iop_profile_count; i++) {
		const char *m = iop_profiles[i].module;
		bool dup = false, loaded, builtin = false, btf;

		for (unsigned j = 0; j < nseen; j++)
			dup |= !strcmp(seen[j], m);
		if (dup || nseen == 64)
			continue;
		snprintf(seen[nseen++], 64, "%s", m);
		snprintf(p, sizeof(p), "/sys/module/%s", m);
		/* A loaded module has initstate; a built-in one only the directory
		 * (its functions are then in vmlinux and its BTF). */
		builtin = !strcmp(m, "vmlinux") || !access(root_path(full, sizeof(full), root, p), F_OK);
		snprintf(p, sizeof(p), "/sys/module/%s/initstate", m);
		loaded = !access(root_path(full, sizeof(full), root, p), F_OK);
		if (loaded)
			builtin = false;
		snprintf(p, sizeof(p), "/sys/kernel/btf/%s", m);
		/* with --btf no module BTF is read; a built-in driver's types are in the file given */
		btf = !given && !access(root_path(full, sizeof(full), root, p), R_OK);
		if (builtin)
			btf = given || !access(root_path(full, sizeof(full), root, KBTF_KERNEL), R_OK);
		if (w) {
			jw_obj_begin(w, NULL);
			jw_str(w, "module", m);
			jw_bool(w, "loaded", loaded);
			jw_bool(w, "builtin", builtin);
			jw_bool(w, "btf", btf);
			jw_obj_end(w);
		} else {
			fprintf(f, "  %-14s %-9s %s\n", m, loaded ? "loaded" : builtin ? "built-in" : "-",
				btf ? (builtin ? (given ? "BTF (--btf)" : "BTF (vmlinux)") : "BTF") :
				(loaded ? (given ? "module BTF not used (--btf): kprobes only" :
					   "no BTF: kprobes only") : ""));
		}
	}
	if (w)
		jw_arr_end(w);
}

int cmd_env(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, 0, 'j' }, { "root", required_argument, 0, 'r' },
		{ "cpuid", no_argument, 0, 'C' }, { "exits", no_argument, 0, 'E' }, { "model", no_argument, 0, 'M' },
		{ "verbose", no_argument, 0, 'v' }, BTF_OPTION, { "help", no_argument, 0, 'h' }, {},
	};
	const char *root = "", *btf = NULL;
	bool json = false, exits = false, model = false;
	struct platform plat;
	struct devices devs = {};
	struct kcaps caps = {};
	struct utsname u;
	int c, err;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:jr:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 'r': root = optarg; break;
		case 'C': hvsig_dump_live(stdout); return EXIT_OK;
		case 'E': exits = true; break;
		case 'M': model = true; break;
		case 'v': iop_verbose++; break;
		case TO_BTF: btf = optarg; break;
		case 'h': help(); return EXIT_OK;
		default: return bad_option("env", c, optopt, argv, optind);
		}
	}
	if (optind < argc)
		return usage_error("env", "unexpected argument '%s'", argv[optind]);
	if (model && !exits)
		return usage_error("env", "--model goes with --exits");
	if (*root && btf)
		return usage_error("env", "--btf is this kernel's BTF; a --root snapshot is not calibrated");
	/* env reports a kernel without BTF rather than refusing it */
	if (!*root && (err = btf_settle("env", btf, false)))
		return err;
	iop_setup_libbpf_log();
	if (exits)
		return env_exits(root, json, model);
	/* Everything but calibration reads files anyone may read: without BPF privileges env says
	 * what it could not measure and prints the rest. */
	if (!*root) {
		char why[256];

		if (iop_check_privileges(why, sizeof(why)))
			calib_run_unprivileged(&caps, "needs root or CAP_BPF and CAP_PERFMON");
		else
			calib_run(&caps);
	}
	platform_detect(root, &plat);
	err = devices_scan(root, &devs);
	if (err)
		iop_warn("device scan incomplete: %s", strerror(-err));
	uname(&u);

	if (json) {
		struct jw w;

		jw_init(&w, stdout, true);
		jw_obj_begin(&w, NULL);
		jw_schema_version(&w);
		jw_str(&w, "iopath_version", IOPATH_VERSION);
		jw_str(&w, "kernel", *root ? NULL : u.release);
		platform_json(&w, &plat);
		devices_json(&w, &devs);
		modules_report(&w, NULL, root);
		if (!*root) {
			btf_report(&w, NULL);
			calib_json(&w, &caps);
		}
		jw_obj_end(&w);
		jw_finish(&w);
	} else {
		if (!*root)
			printf("kernel %s %s\n", u.release, u.machine);
		platform_print(stdout, &plat);
		devices_print(stdout, &devs);
		modules_report(NULL, stdout, root);
		if (!*root) {
			btf_report(NULL, stdout);
			calib_print(stdout, &caps);
		}
	}
	devices_free(&devs);
	return EXIT_OK;
}
