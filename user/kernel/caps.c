#include "kernel/caps.h"

#include <stdarg.h>
#include <string.h>
#include <errno.h>

#include "out/json.h"

static const char *const names[CAP__COUNT] = {
#define X(id, name) [id] = name,
	IOP_CAPS(X)
#undef X
};

const char *cap_name(enum cap_id id)
{
	return id < CAP__COUNT ? names[id] : "?";
}

void caps_set(struct kcaps *k, enum cap_id id, int err, const char *fmt, ...)
{
	va_list ap;

	k->c[id].ok = !err;
	k->c[id].unmeasured = false;
	k->c[id].err = err;
	va_start(ap, fmt);
	vsnprintf(k->c[id].detail, sizeof(k->c[id].detail), fmt, ap);
	va_end(ap);
}

void calib_assume_debian(struct kcaps *k, bool module_btf)
{
	memset(k, 0, sizeof(*k));
	for (int i = 0; i < CAP__COUNT; i++)
		caps_set(k, i, 0, "assumed");
	caps_set(k, CAP_KPROBE_MULTI, -EOPNOTSUPP, "assumed absent (Debian: no CONFIG_FPROBE)");
	caps_set(k, CAP_PMU, -ENOENT, "assumed absent");
	/* a kernel fact, not a feature: assuming it would pick an argument layout blind */
	caps_set(k, CAP_BLK_RQ_Q, -ENOENT, "not known: measured only on a live kernel");
	k->c[CAP_BLK_RQ_Q].unmeasured = true;
	k->kernel_btf = true;
	(void)module_btf;
}

void caps_not_measured(struct kcaps *k, const char *why)
{
	memset(k, 0, sizeof(*k));
	snprintf(k->not_measured, sizeof(k->not_measured), "%s", why);
	for (int i = 0; i < CAP__COUNT; i++) {
		caps_set(k, i, -EPERM, "not measured (%s)", why);
		k->c[i].unmeasured = true;
	}
}

const char *caps_below_floor(const struct kcaps *k, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = 0;
	if (!k->c[CAP_BTF_VMLINUX].ok)
		o += snprintf(buf + o, len - o, "%sno vmlinux BTF (%s)", o ? "; " : "",
			      k->c[CAP_BTF_VMLINUX].detail);
	else if (!k->c[CAP_RINGBUF].ok && !k->c[CAP_PERFBUF].ok && o < len)
		o += snprintf(buf + o, len - o, "%sno BPF ring buffer (5.8+): %s; no perf buffer: %s",
			      o ? "; " : "", k->c[CAP_RINGBUF].detail, k->c[CAP_PERFBUF].detail);
	if (k->c[CAP_BTF_VMLINUX].ok && !k->c[CAP_TP_BTF].ok && !k->c[CAP_RAW_TP].ok && o < len)
		snprintf(buf + o, len - o, "%sno tracepoint programs (raw_tp 4.17+, tp_btf 5.5+)", o ? "; " : "");
	return buf[0] ? buf : NULL;
}

const char *caps_func_rung(const struct kcaps *k, char *buf, size_t len)
{
	bool kp = k->c[CAP_KPROBE].ok, fe = k->c[CAP_FENTRY].ok;
	bool cookie = k->c[CAP_COOKIE].ok, helpers = k->c[CAP_FUNC_IP].ok && k->c[CAP_FUNC_ARG].ok;

	if (!kp && !fe)
		snprintf(buf, len, "none: no kprobes, no fentry (tracepoints only)");
	else
		snprintf(buf, len, "%s%s%s%s%s", fe ? (helpers ? "fentry, one shared program" :
						   "fentry, a clone per point (no bpf_get_func_ip/arg)") : "",
			 fe && kp ? "; " : "",
			 kp ? (cookie ? "kprobes, the point in the bpf_cookie" :
			       "kprobes, a clone per point (no bpf_cookie)") : "",
			 (fe && !helpers) || (kp && !cookie) ? " [the 5.10 rung]" : "",
			 /* libbpf's CO-RE against a given file uses no module BTF (kernel/kbtf.h) */
			 k->btf_given && fe ? "; module functions by kprobe only (--btf: no module BTF)" : "");
	return buf;
}

const char *caps_samples_rung(const struct kcaps *k, char *buf, size_t len)
{
	if (k->c[CAP_RINGBUF].unmeasured)
		snprintf(buf, len, "%s", k->c[CAP_RINGBUF].detail);
	else if (k->c[CAP_RINGBUF].ok)
		snprintf(buf, len, "BPF ring buffer");
	else if (k->c[CAP_PERFBUF].ok)
		snprintf(buf, len, "perf buffer, a ring per CPU (no BPF ring buffer: %s)",
			 k->c[CAP_RINGBUF].detail);
	else
		snprintf(buf, len, "none: no BPF ring buffer, no perf buffer");
	return buf;
}

void calib_print(FILE *f, const struct kcaps *k)
{
	char rung[512];

	fprintf(f, "kernel capabilities (%s in %.0f ms%s%s):\n", k->measured ? "measured" : "assumed",
		k->ms, k->not_measured[0] ? "; the rest not measured: " : "", k->not_measured);
	for (int i = 0; i < CAP__COUNT; i++)
		if (k->c[i].unmeasured)
			fprintf(f, "  %-16s %s\n", names[i], k->c[i].detail);
		else
			fprintf(f, "  %-16s %-4s %s\n", names[i], k->c[i].ok ? "yes" : "no", k->c[i].detail);
	fprintf(f, "function probes: %s\n", caps_func_rung(k, rung, sizeof(rung)));
	fprintf(f, "samples: %s\n", caps_samples_rung(k, rung, sizeof(rung)));
	if (k->measured && !k->not_measured[0])
		fprintf(f, "minimum (%s): %s\n", CAPS_FLOOR,
			caps_below_floor(k, rung, sizeof(rung)) ? rung : "met");
}

void calib_json(struct jw *w, const struct kcaps *k)
{
	jw_obj_begin(w, "capabilities");
	jw_bool(w, "measured", k->measured);
	if (k->not_measured[0])
		jw_str(w, "not_measured", k->not_measured);
	jw_double(w, "calibration_ms", k->ms);
	{
		char rung[512];

		jw_str(w, "function_probes", caps_func_rung(k, rung, sizeof(rung)));
		jw_str(w, "samples", caps_samples_rung(k, rung, sizeof(rung)));
		if (k->measured && !k->not_measured[0])
			jw_str(w, "below_minimum", caps_below_floor(k, rung, sizeof(rung)));
	}
	for (int i = 0; i < CAP__COUNT; i++) {
		jw_obj_begin(w, names[i]);
		if (k->c[i].unmeasured)
			jw_null(w, "ok");
		else
			jw_bool(w, "ok", k->c[i].ok);
		if (k->c[i].err && !k->c[i].unmeasured)
			jw_int(w, "errno", -k->c[i].err);
		jw_str(w, "detail", k->c[i].detail);
		jw_obj_end(w);
	}
	jw_obj_end(w);
}

int caps_mask(struct kcaps *k, const char *list, char *bad, size_t badlen)
{
	char buf[512], *save = NULL;

	if (!list)
		return 0;
	snprintf(buf, sizeof(buf), "%s", list);
	for (char *t = strtok_r(buf, " ,", &save); t; t = strtok_r(NULL, " ,", &save)) {
		int i;

		for (i = 0; i < CAP__COUNT && strcmp(cap_name(i), t); i++)
			;
		if (i == CAP__COUNT) {
			snprintf(bad, badlen, "%s", t);
			return -EINVAL;
		}
		if (k && i != CAP_BTF_VMLINUX)   /* taken before calibration: kbtf_choose */
			caps_set(k, i, -EOPNOTSUPP, "masked by " CAPS_MASK_ENV);
	}
	return 0;
}

bool caps_masked(const char *list, enum cap_id id)
{
	char buf[512], *save = NULL;

	if (!list)
		return false;
	snprintf(buf, sizeof(buf), "%s", list);
	for (char *t = strtok_r(buf, " ,", &save); t; t = strtok_r(NULL, " ,", &save))
		if (!strcmp(t, cap_name(id)))
			return true;
	return false;
}
