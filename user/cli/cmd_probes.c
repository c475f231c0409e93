/* iopath probes: resolve the driver profiles on this kernel, attach every
 * point with the best method, and say for each what happened. With a
 * duration or a command it also counts hits, which is how the lab checks
 * that a probe really fires. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine/attach.h"
#include "engine/calib.h"
#include "cli/cli.h"
#include "cli/opts.h"
#include "engine/session.h"
#include "out/json.h"
#include "kernel/kview.h"
#include "platform/platform.h"
#include "kernel/profiles.h"
#include "kernel/resolve.h"
#include "util/util.h"

#define MAX_SEL 32

static volatile sig_atomic_t stop;
static void on_signal(int sig) { stop = 1; }

static void help(void)
{
	printf("usage: iopath probes [options] [-- COMMAND [ARGS...]]\n"
	       "Resolve every driver/tracepoint probe point on this kernel, attach it with the\n"
	       "best method (fentry/fexit > kprobe/kretprobe; tp_btf > raw_tp) and report each.\n\n"
	       "  -P, --profile NAME      only this profile (repeatable); 'list' lists them\n"
	       "  -m, --method M          auto (default), fentry, kprobe, tp_btf or raw_tp\n"
	       "  -n, --dry-run           resolve only, attach nothing\n"
	       "  -d, --duration SECS     stay attached SECS seconds and count hits\n"
	       "  -a, --all-platforms     include profiles for other platforms (Xen on KVM...)\n"
	       "  -K, --kernel-facts DIR  resolve against a captured kernel (tests/fixtures/kernels/6.1)\n"
	       "                          instead of this one; implies --dry-run\n"
	       "      --platform NAME     with -K: xen-pv, xen-pvh, xen-hvm, kvm, host or bare\n"
	       "  -s, --status NAME       show only points with this status\n"
	       "  -j, --json              JSON output\n"
	       BTF_HELP
	       "  -v, --verbose           debug output; -vv adds libbpf's log\n"
	       "  -h, --help\n"
	       "With -- COMMAND, probes stay attached while COMMAND runs and hits are counted; with --json\n"
	       "COMMAND's stdout goes to stderr. Exit 3: COMMAND failed (its status on stderr).\n");
}

static int list_profiles(bool json)
{
	struct jw w;

	if (json) {
		jw_init(&w, stdout, true);
		jw_obj_begin(&w, NULL);
		jw_schema_version(&w);
		jw_str(&w, "iopath_version", IOPATH_VERSION);
		jw_arr_begin(&w, "profiles");
	}
	for (unsigned i = 0; i < iop_profile_count; i++) {
		const struct profile *p = &iop_profiles[i];
		unsigned n = 0;

		for (unsigned j = 0; j < iop_point_count; j++)
			n += !strcmp(iop_points[j].profile, p->name);
		if (json) {
			jw_obj_begin(&w, NULL);
			jw_str(&w, "name", p->name);
			jw_str(&w, "module", p->module);
			jw_uint(&w, "points", n);
			jw_str(&w, "what", p->what);
			jw_obj_end(&w);
		} else {
			printf("%-14s %-14s %3u points  %s\n", p->name, p->module, n, p->what);
		}
	}
	if (json) {
		jw_arr_end(&w);
		jw_obj_end(&w);
		jw_finish(&w);
	}
	return EXIT_OK;   /* the exit status */
}

static int parse_method(const char *s, enum iop_method *m)
{
	static const struct { const char *n; enum iop_method m; } t[] = {
		{ "auto", METHOD_NONE }, { "fentry", METHOD_FENTRY }, { "kprobe", METHOD_KPROBE },
		{ "tp_btf", METHOD_TP_BTF }, { "raw_tp", METHOD_RAW_TP },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (!strcmp(s, t[i].n)) {
			*m = t[i].m;
			return 0;
		}
	return -EINVAL;
}

static int parse_platform(const char *s, unsigned *mask)
{
	if (!strcmp(s, "xen-pv"))
		*mask = platform_mask_for(true, true, false, false);
	else if (!strcmp(s, "xen-pvh") || !strcmp(s, "xen-hvm"))
		*mask = platform_mask_for(true, false, false, false);
	else if (!strcmp(s, "kvm"))
		*mask = platform_mask_for(false, false, true, false);
	else if (!strcmp(s, "host"))
		*mask = platform_mask_for(false, false, false, true);
	else if (!strcmp(s, "bare"))
		*mask = platform_mask_for(false, false, false, false);
	else
		return -EINVAL;
	return 0;
}

struct summary {
	unsigned n, by_status[PST__COUNT], by_method[METHOD__COUNT];
	unsigned long long hits;
};

static void summarize(const struct resolved *r, unsigned n, struct summary *s)
{
	memset(s, 0, sizeof(*s));
	s->n = n;
	for (unsigned i = 0; i < n; i++) {
		s->by_status[r[i].status]++;
		if (r[i].status == PST_ATTACHED || r[i].status == PST_PLANNED)
			s->by_method[r[i].method]++;
		s->hits += r[i].hits;
	}
}

static void print_summary(FILE *f, const struct summary *s, const struct engine *e, bool dry)
{
	bool first = true;

	fprintf(f, "%u points:", s->n);
	for (int st = 0; st < PST__COUNT; st++) {
		if (!s->by_status[st])
			continue;
		fprintf(f, "%s %u %s", first ? "" : ",", s->by_status[st], status_name(st));
		first = false;
		if (st == PST_ATTACHED || st == PST_PLANNED) {
			bool f2 = true;

			fprintf(f, " (");
			for (int m = 1; m < METHOD__COUNT; m++)
				if (s->by_method[m]) {
					fprintf(f, "%s%u %s", f2 ? "" : ", ", s->by_method[m], method_name(m));
					f2 = false;
				}
			fprintf(f, ")");
		}
	}
	if (!dry && e)
		fprintf(f, "; load %.0f ms, attach %.0f ms", e->load_ms, e->attach_ms);
	fprintf(f, "\n");
}

static bool shown(const struct resolved *r, int only)
{
	return only < 0 || (int)r->status == only;
}

static void point_name(const struct resolved *r, char *buf, size_t len)
{
	if (r->pt->kind == KIND_TP)
		snprintf(buf, len, "%s:%s", r->tp_system, r->symbol);
	else if (strcmp(r->module, "vmlinux"))
		snprintf(buf, len, "%s:%s", r->module, r->symbol);
	else
		snprintf(buf, len, "%s", r->symbol);
}

/* Column widths: each column as wide as its widest cell (header included), so long point
 * names (irq_vectors:call_function_single_entry) keep the columns after them aligned. */
struct widths {
	int profile, point, kind, role, method, status, hits;
};

static int wmax(int w, const char *s)
{
	int n = (int)strlen(s);

	return n > w ? n : w;
}

static void table_widths(const struct resolved *r, unsigned n, int only, struct widths *w)
{
	char point[300], hits[24];

	*w = (struct widths){ 7, 5, 4, 4, 6, 6, 4 };
	for (unsigned i = 0; i < n; i++) {
		if (!shown(&r[i], only))
			continue;
		point_name(&r[i], point, sizeof(point));
		snprintf(hits, sizeof(hits), "%llu", r[i].hits);
		w->profile = wmax(w->profile, r[i].pt->profile);
		w->point = wmax(w->point, point);
		w->kind = wmax(w->kind, kind_name(r[i].pt->kind));
		w->role = wmax(w->role, role_name(r[i].pt->role));
		w->method = wmax(w->method, method_name(r[i].method));
		w->status = wmax(w->status, status_name(r[i].status));
		w->hits = wmax(w->hits, hits);
	}
}

static void print_table(const struct resolved *r, unsigned n, bool counting, int only)
{
	struct widths w;

	table_widths(r, n, only, &w);
	printf("%-*s %-*s %-*s %-*s %-*s %-*s ", w.profile, "PROFILE", w.point, "POINT", w.kind, "KIND",
	       w.role, "ROLE", w.method, "METHOD", w.status, "STATUS");
	if (counting)
		printf("%-*s ", w.hits, "HITS");
	printf("DETAIL\n");
	for (unsigned i = 0; i < n; i++) {
		char point[300];

		if (!shown(&r[i], only))
			continue;
		point_name(&r[i], point, sizeof(point));
		printf("%-*s %-*s %-*s %-*s %-*s %-*s ", w.profile, r[i].pt->profile, w.point, point,
		       w.kind, kind_name(r[i].pt->kind), w.role, role_name(r[i].pt->role),
		       w.method, method_name(r[i].method), w.status, status_name(r[i].status));
		if (counting)
			printf("%-*llu ", w.hits, r[i].hits);
		for (unsigned q = 0; counting && q < r[i].nq; q++)
			printf("%sq%u:%llu%s", q ? " " : "[", r[i].q[q].queue, r[i].q[q].hits,
			       q + 1 == r[i].nq ? "] " : "");
		printf("%s\n", r[i].status == PST_ATTACHED ? (r[i].pt->note ? r[i].pt->note : "") :
		       r[i].reason);
	}
}

static void print_json(const struct resolved *r, unsigned n, const struct summary *s,
		       const struct engine *e, const struct kview *kv, bool counting,
		       bool dry, int only, int cmd_status)
{
	struct jw w;

	jw_init(&w, stdout, true);
	jw_obj_begin(&w, NULL);
	jw_schema_version(&w);
	jw_str(&w, "iopath_version", IOPATH_VERSION);
	jw_str(&w, "kernel", kv->release);
	jw_str(&w, "kernel_facts", kv->source);
	jw_bool(&w, "dry_run", dry);
	jw_bool(&w, "counting", counting);
	if (cmd_status >= 0)
		jw_int(&w, "command_exit", cmd_status);
	jw_arr_begin(&w, "points");
	for (unsigned i = 0; i < n; i++) {
		if (!shown(&r[i], only))
			continue;
		jw_obj_begin(&w, NULL);
		jw_str(&w, "profile", r[i].pt->profile);
		jw_str(&w, "name", r[i].pt->symbols);
		jw_str(&w, "module", r[i].module);
		jw_str(&w, "symbol", r[i].symbol);
		if (r[i].pt->kind == KIND_TP)
			jw_str(&w, "system", r[i].tp_system);
		jw_str(&w, "kind", kind_name(r[i].pt->kind));
		jw_str(&w, "role", role_name(r[i].pt->role));
		jw_str(&w, "path", path_name(r[i].pt->path));
		jw_int(&w, "id_arg", r[i].pt->id_arg);
		jw_bool(&w, "exit", r[i].pt->flags & PF_EXIT);
		jw_str(&w, "method", r[i].method ? method_name(r[i].method) : NULL);
		if (r[i].multi)   /* attached with the others like it through one link (engine/kmulti.h) */
			jw_str(&w, "link", "kprobe.multi");
		jw_str(&w, "status", status_name(r[i].status));
		if (r[i].err)
			jw_int(&w, "errno", -r[i].err);
		jw_str(&w, "detail", r[i].reason);
		if (counting)
			jw_uint(&w, "hits", r[i].hits);
		if (r[i].status == PST_ATTACHED || r[i].status == PST_FAILED)
			jw_double(&w, "attach_ms", r[i].attach_ms);
		if (counting && r[i].pt->qx) {
			jw_obj_begin(&w, "queues");
			for (unsigned q = 0; q < r[i].nq; q++) {
				char k[16];

				snprintf(k, sizeof(k), "%u", r[i].q[q].queue);
				jw_uint(&w, k, r[i].q[q].hits);
			}
			jw_obj_end(&w);
		}
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_obj_begin(&w, "summary");
	jw_uint(&w, "points", s->n);
	for (int st = 0; st < PST__COUNT; st++)
		jw_uint(&w, status_key(st), s->by_status[st]);
	jw_obj_begin(&w, "methods");
	for (int m = 1; m < METHOD__COUNT; m++)
		jw_uint(&w, method_name(m), s->by_method[m]);
	jw_obj_end(&w);
	if (e && !dry) {
		jw_double(&w, "load_ms", e->load_ms);
		jw_double(&w, "attach_ms", e->attach_ms);
	}
	jw_uint(&w, "hits", s->hits);
	if (e && !dry) {
		jw_obj_begin(&w, "dropped");
		for (int d = 0; d < DROP__COUNT; d++)
			jw_uint(&w, drop_name(d), e->dropped[d]);
		jw_uint(&w, "queues_not_shown", e->queues_not_shown);
		jw_uint(&w, "recursion_misses", e->recursion_misses);
		jw_obj_end(&w);
	}
	jw_obj_end(&w);
	jw_obj_end(&w);
	jw_finish(&w);
}

/* Runs argv with probes attached; returns its waitpid status, or -errno. With json on stdout the
 * command's stdout goes to stderr. */
static int run_command(char **argv, bool json)
{
	int status;
	pid_t pid = spawn_command(argv, json);

	if (pid < 0)
		return pid;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return status;
}

int cmd_probes(int argc, char **argv)
{
	enum { O_PLATFORM = 256 };
	static const struct option opts[] = {
		{ "profile", required_argument, 0, 'P' }, { "method", required_argument, 0, 'm' },
		{ "dry-run", no_argument, 0, 'n' }, { "duration", required_argument, 0, 'd' },
		{ "all-platforms", no_argument, 0, 'a' }, { "kernel-facts", required_argument, 0, 'K' },
		{ "platform", required_argument, 0, O_PLATFORM }, { "status", required_argument, 0, 's' },
		{ "json", no_argument, 0, 'j' }, { "verbose", no_argument, 0, 'v' },
		BTF_OPTION, { "help", no_argument, 0, 'h' }, {},
	};
	const char *sel[MAX_SEL], *kdir = NULL, *btf = NULL;
	unsigned nsel = 0, n = 0;
	struct resolve_opts ro = { .force = METHOD_NONE };
	bool json = false, dry = false, list = false, have_plat = false;
	double duration = 0;
	int only = -1, c, ret = EXIT_RUNTIME, cmd_status = -1, wstatus = -1;
	struct resolved *pts = NULL;
	struct engine e = {};
	struct kview kv;
	struct kcaps caps;
	struct summary s;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:P:m:nd:aK:s:jvh", opts, NULL)) != -1) {
		switch (c) {
		case 'P':
			if (!strcmp(optarg, "list")) {
				list = true;
				break;
			}
			if (!profile_find(optarg))
				return usage_error("probes", "no profile '%s' (try --profile list%s)", optarg,
						   parse_platform(optarg, &ro.platform) ? "" :
						   "; a platform goes with --platform");
			if (nsel == MAX_SEL)
				return usage_error("probes", "too many --profile options");
			sel[nsel++] = optarg;
			break;
		case 'm':
			if (parse_method(optarg, &ro.force))
				return usage_error("probes", "unknown method '%s'", optarg);
			break;
		case 'n': dry = true; break;
		case 'd': {
			char *end;

			duration = strtod(optarg, &end);
			if (*end || duration <= 0 || duration > 86400)
				return usage_error("probes", "bad duration '%s' (seconds, >0)", optarg);
			break;
		}
		case 'a': ro.all_platforms = true; break;
		case 'K': kdir = optarg; break;
		case O_PLATFORM:
			if (parse_platform(optarg, &ro.platform))
				return usage_error("probes", "unknown platform '%s'", optarg);
			have_plat = true;
			break;
		case 's':
			for (int st = 0; st < PST__COUNT; st++)
				if (!strcmp(optarg, status_name(st)))
					only = st;
			if (only < 0)
				return usage_error("probes", "unknown status '%s'", optarg);
			break;
		case 'j': json = true; break;
		case 'v': iop_verbose++; break;
		case TO_BTF: btf = optarg; break;
		case 'h': help(); return EXIT_OK;
		default:
			/* -p was --profile before -p meant --pid (record, top, serve: perf and bcc) */
			if (c == '?' && optopt == 'p')
				return usage_error("probes", "unknown option '-p' (a profile is -P or --profile)");
			return bad_option("probes", c, optopt, argv, optind);
		}
	}
	if (list)
		return list_profiles(json);
	if (have_plat && !kdir)
		return usage_error("probes", "--platform only goes with --kernel-facts");
	if (kdir && (duration > 0 || optind < argc))
		return usage_error("probes", "--kernel-facts resolves only; it cannot count hits");
	if (dry && (duration > 0 || optind < argc))
		return usage_error("probes", "--dry-run attaches nothing, so it cannot count hits");
	if (kdir && btf)
		return usage_error("probes", "--btf is this kernel's BTF; --kernel-facts reads none");
	if (optind < argc && check_command("probes", argv + optind))
		return EXIT_USAGE;
	if (!kdir && (ret = btf_settle("probes", btf, true)))
		return ret;
	ret = EXIT_RUNTIME;
	iop_setup_libbpf_log();

	kview_init(&kv);
	if (kdir) {
		dry = true;
		if (kview_load_dir(&kv, kdir))
			goto out;
		calib_assume_debian(&caps, true);
		if (!have_plat)
			ro.platform = PLAT_ANY;
	} else {
		if (require_privileges())
			goto out;
		if (kview_load_live(&kv))
			goto out;
		calib_run(&caps);
		if (!caps.c[CAP_BTF_VMLINUX].ok) {   /* btf_settle found one: it did not parse */
			iop_err("no vmlinux BTF (%s): CO-RE programs cannot load", caps.c[CAP_BTF_VMLINUX].detail);
			goto out;
		}
		ro.platform = live_platform_mask();
	}

	pts = calloc(iop_point_count, sizeof(*pts));
	if (!pts)
		goto out;
	for (unsigned i = 0; i < iop_point_count; i++) {
		bool want = !nsel;

		for (unsigned j = 0; j < nsel; j++)
			want |= !strcmp(sel[j], iop_points[i].profile);
		if (want)
			resolve_point(&kv, &caps, &ro, &iop_points[i], &pts[n++]);
	}

	if (!dry) {
		if (engine_load(&e, pts, n, &caps, NULL))
			goto out;
		engine_attach(&e);
		if (duration > 0 || optind < argc) {
			signal(SIGINT, on_signal);
			signal(SIGTERM, on_signal);
			if (optind < argc) {
				wstatus = run_command(argv + optind, json);
				if (wstatus < 0) {
					iop_err("cannot run %s: %s", argv[optind], strerror(-wstatus));
					goto out;
				}
				cmd_status = wait_code(wstatus);
			} else {
				struct timespec ts = { (time_t)duration,
						       (long)((duration - (time_t)duration) * 1e9) };

				while (!stop && nanosleep(&ts, &ts) && errno == EINTR)
					;
			}
			engine_read_hits(&e);
		}
	}
	summarize(pts, n, &s);
	if (json) {
		print_json(pts, n, &s, dry ? NULL : &e, &kv, duration > 0 || optind < argc, dry,
			   only, cmd_status);
	} else {
		printf("kernel %s (%s)\n", kv.release, kv.source);
		print_table(pts, n, duration > 0 || optind < argc, only);
		print_summary(stdout, &s, dry ? NULL : &e, dry);
	}
	/* Loud about anything the BPF side could not record. */
	if (!dry)
		engine_warn_dropped(&e);
	if (!dry && e.recursion_misses)
		iop_warn("%llu handler runs skipped by the kernel's recursion guard (events not counted)",
			 e.recursion_misses);
	if (!dry && e.queues_not_shown)
		iop_warn("%llu per-queue counts not shown (more than 16 queues on a point)",
			 e.queues_not_shown);
	ret = command_exit("probes", "the command", wstatus);
out:
	engine_close(&e);
	free(pts);
	kview_free(&kv);
	return ret;
}
