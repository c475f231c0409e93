/* iopath env --exits: the exit model for this machine (what leaves the guest here and why), and
 * for each crossing kind what iopath can measure on this kernel: the probe points that count it
 * with the method they would attach by, or "not measured" with the reason. --model: the whole
 * table, every platform, with the sources. */
#include "cli/env_exits.h"
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/calib.h"
#include "engine/session.h"
#include "kernel/kview.h"
#include "kernel/resolve.h"
#include "out/json.h"
#include "report/exitmodel.h"
#include "util/util.h"

/* Syscalls and exceptions are derived per the model, not counted by a probe of their own. */
static const char *unprobed_why(enum xm_kind k)
{
	switch (k) {
	case XM_SYSCALL: case XM_EXCEPTION: case XM_CTXSW: case XM_TLB_FLUSH:
		return "no tracepoint of the traced tasks here";
	case XM_EMULATED_IO:
		return "guest-side access is a plain MMIO/PIO instruction: count it on the host (record --host)";
	default:
		return "no probe point of this kind in iopath's profiles";
	}
}

/* What counts kind k here: "tp_btf msr:write_msr (rows by MSR)", or NULL and *why. */
static void measured_by(enum xm_kind k, const struct resolved *pts, unsigned n, char *buf, size_t len,
			const char **why)
{
	size_t off = 0;
	bool applicable_only = true;

	buf[0] = 0;
	*why = NULL;
	for (unsigned i = 0; i < n; i++) {
		int pk = exit_model_point_kind(pts[i].pt);
		bool mine = pk == (int)k || (pk == XM_BY_MSR && (k == XM_TIMER || k == XM_IPI ||
					     (k >= XM_MSR_PASSTHROUGH && k <= XM_MSR_OTHER)));

		if (!mine)
			continue;
		if (pts[i].status == PST_PLANNED || pts[i].status == PST_ATTACHED) {
			off += snprintf(buf + off, off < len ? len - off : 0, "%s%s %s%s%s%s", off ? ", " : "",
					method_name(pts[i].method), pts[i].tp_system, pts[i].tp_system[0] ? ":" : "",
					pts[i].symbol, pk == XM_BY_MSR ? " (one row per MSR)" : "");
		} else if (!*why || (pts[i].status != PST_NOT_APPLICABLE && applicable_only)) {
			/* the reason of a point meant for this platform beats "profile X is for Y" */
			*why = pts[i].reason[0] ? pts[i].reason : status_name(pts[i].status);
			applicable_only = pts[i].status == PST_NOT_APPLICABLE;
		}
	}
	if (!buf[0] && !*why)
		*why = unprobed_why(k);
}

static void print_model(FILE *f)
{
	fprintf(f, "exit model: per crossing kind and platform, exits / may exit / stays / n/a, and why\n");
	for (int k = 0; k < XM__COUNT; k++) {
		const struct xm_row *r = exit_model_row(k);

		fprintf(f, "\n%s: %s%s\n  source: %s\n", r->name, r->what, r->total ? " (a total)" : "", r->source);
		for (int p = 0; p < XP__COUNT; p++)
			fprintf(f, "  %-11s %-9s %s\n", exit_model_platform_name(p), exit_verdict_name(r->cell[p].v),
				r->cell[p].why);
	}
}

static void json_model(struct jw *w)
{
	jw_arr_begin(w, "exit_model");
	for (int k = 0; k < XM__COUNT; k++) {
		const struct xm_row *r = exit_model_row(k);

		jw_obj_begin(w, NULL);
		jw_str(w, "kind", r->name);
		jw_str(w, "what", r->what);
		jw_str(w, "source", r->source);
		jw_bool(w, "total", r->total);
		jw_obj_begin(w, "platforms");
		for (int p = 0; p < XP__COUNT; p++) {
			jw_obj_begin(w, exit_model_platform_name(p));
			jw_str(w, "verdict", exit_verdict_name(r->cell[p].v));
			jw_str(w, "why", r->cell[p].why);
			jw_obj_end(w);
		}
		jw_obj_end(w);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

int env_exits(const char *root, bool json, bool model)
{
	struct platform plat;
	struct kview kv;
	struct kcaps caps = {};
	struct resolve_opts ro = {};
	struct resolved *pts = NULL;
	unsigned n = 0;
	bool resolved = false;
	const char *not_resolved = NULL;
	enum xm_platform xp;
	char why[256];

	platform_detect(root, &plat);
	xp = exit_model_platform(plat.kind);
	kview_init(&kv);
	if (*root)
		not_resolved = "a snapshot tree: what this kernel can probe is not known";
	else if (iop_check_privileges(why, sizeof(why)))
		not_resolved = "no BPF privileges (root, or CAP_BPF and CAP_PERFMON): the capabilities are "
			       "measured by loading BPF programs";
	else if (kview_load_live(&kv))
		not_resolved = "cannot read this kernel's symbols and BTF";
	if (!not_resolved) {
		calib_run(&caps);
		ro.platform = live_platform_mask();
		pts = calloc(iop_point_count, sizeof(*pts));
		if (!pts) {
			kview_free(&kv);
			iop_err("out of memory");
			return EXIT_RUNTIME;
		}
		/* the traced tasks' points too (record --exits -- CMD or --pid attaches them) */
		for (unsigned i = 0; i < iop_point_count; i++)
			if (exit_model_point_kind(&iop_points[i]) != XM_NONE)
				resolve_point(&kv, &caps, &ro, &iop_points[i], &pts[n++]);
		resolved = true;
	}

	if (json) {
		struct jw w;

		jw_init(&w, stdout, true);
		jw_obj_begin(&w, NULL);
		jw_schema_version(&w);
		jw_str(&w, "iopath_version", IOPATH_VERSION);
		jw_str(&w, "platform", platform_name(&plat));
		jw_str(&w, "model_platform", xp == XP_UNKNOWN ? NULL : exit_model_platform_name(xp));
		if (!resolved)
			jw_str(&w, "measurable_not_determined", not_resolved);
		jw_arr_begin(&w, "kinds");
		for (int k = 0; k < XM__COUNT; k++) {
			const struct xm_row *r = exit_model_row(k);
			char by[512];
			const char *whynot = NULL;

			jw_obj_begin(&w, NULL);
			jw_str(&w, "kind", r->name);
			jw_str(&w, "verdict", xp == XP_UNKNOWN ? "may exit" : exit_verdict_name(r->cell[xp].v));
			jw_str(&w, "why", xp == XP_UNKNOWN ? "platform not in the model" : r->cell[xp].why);
			jw_str(&w, "source", r->source);
			if (resolved) {
				measured_by(k, pts, n, by, sizeof(by), &whynot);
				jw_str(&w, "measurable_by", by[0] ? by : NULL);
				jw_str(&w, "not_measured", by[0] ? NULL : whynot);
			}
			jw_obj_end(&w);
		}
		jw_arr_end(&w);
		if (model)
			json_model(&w);
		jw_obj_end(&w);
		jw_finish(&w);
	} else {
		if (xp == XP_UNKNOWN)
			printf("exit model for %s: not in the model, so every kind may exit\n", platform_name(&plat));
		else
			printf("exit model for %s: its column %s (every platform and the sources: --model)\n",
			       platform_name(&plat), exit_model_platform_name(xp));
		if (!resolved)
			printf("what iopath can measure here: not determined (%s)\n", not_resolved);
		for (int k = 0; k < XM__COUNT; k++) {
			const struct xm_row *r = exit_model_row(k);
			enum xm_verdict v = xp == XP_UNKNOWN ? XV_MAY : r->cell[xp].v;
			char by[512];
			const char *whynot = NULL;

			printf("  %-16s %-9s %s%s\n", r->name, exit_verdict_name(v),
			       xp == XP_UNKNOWN ? "platform not in the model" : r->cell[xp].why,
			       r->total ? " (a total of other rows)" : "");
			if (!resolved || v == XV_NA)
				continue;
			measured_by(k, pts, n, by, sizeof(by), &whynot);
			if (by[0] && (k == XM_SYSCALL || k == XM_EXCEPTION))
				printf("  %-16s %-9s iopath here: measurable by %s for the traced tasks (record --exits "
				       "-- CMD or --pid; resolved, not attached)%s\n", "", "", by,
				       v == XV_EXITS ? "; their crossings derived from the model, 2 per event" : "");
			else if (by[0])
				printf("  %-16s %-9s iopath here: measurable by %s (resolved, not attached)\n", "", "", by);
			else
				printf("  %-16s %-9s iopath here: not measured (%s)\n", "", "", whynot);
		}
		if (model)
			print_model(stdout);
	}
	free(pts);
	kview_free(&kv);
	return EXIT_OK;
}
