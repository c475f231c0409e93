/* iopath record --net / --blk: follow every packet through the stack and
 * the driver, every block request from insert to completion, for a while (or
 * while a command or the built-in workload runs), then report per device and
 * direction (per disk, op and size class): stages and their latencies, path
 * length, top paths, exits/irqs/polls per packet or request, evictions. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "engine/globals.h"
#include "engine/attach.h"
#include "report/blk_report.h"
#include "engine/calib.h"
#include "cli/cli.h"
#include "cli/opts.h"
#include "cli/record_phases.h"
#include "cli/record_run.h"
#include "engine/deep.h"
#include "platform/devices.h"
#include "report/exits_report.h"
#include "report/host_report.h"
#include "platform/platform.h"
#include "record/outfile.h"
#include "record/phase.h"
#include "record/recdata.h"
#include "record/recsub.h"
#include "engine/session.h"
#include "engine/stacks.h"
#include "platform/taps.h"
#include "engine/skel.h"
#include "out/json.h"
#include "kernel/kview.h"
#include "report/net_report.h"
#include "kernel/profiles.h"
#include "kernel/resolve.h"
#include "util/util.h"
#include "workload/workload.h"

static volatile sig_atomic_t stop;
static void on_signal(int sig) { stop = 1; }

static void help(void)
{
	printf("usage: iopath record [--net] [--blk] [options] [-- COMMAND [ARGS...]]\n"
	       "Follow every packet through the network stack and the driver, then print per\n"
	       "device and direction: stage latencies (p50/p99), path length, top paths, exits,\n"
	       "interrupts and polls per packet, drops and evictions. With --blk, every block\n"
	       "request from insert to completion, per disk, op and size class.\n\n"
	       "  --net                   trace the network path (the default without --blk)\n"
	       "  --blk                   trace the block path (with --net: both, one report)\n"
	       "      --disk DEV          block path: only this disk (loop0, /dev/vda, 7:0)\n"
	       "      --host              KVM host: exits by reason per VM and vCPU with time in the\n"
	       "                          exit (like perf kvm stat), PIO/MMIO exits by address and guest\n"
	       "                          device, MSR exits, interrupt injection, returns to the VMM\n"
	       "      --guest-packets N   --host: the guest's packet count over the run (exits per packet)\n"
	       "  -i, --iface NAME        only this interface\n"
	       "  -q, --queue N           only this queue\n"
	       "      --dir tx|rx         only this direction\n"
	       "      --proto udp|tcp     only this transport\n"
	       "      --port N            only packets with this source or destination port\n"
	       "  -p, --pid N             only packets sent by this process (TX only); with --exits also\n"
	       "                          the traced tasks (below)\n"
	       "      --exits             interrupts and hypervisor crossings (in every recording) without\n"
	       "                          the network path; with a COMMAND or --pid also the crossings\n"
	       "                          around the I/O path of those tasks and their children: syscalls,\n"
	       "                          page faults, context switches, remote TLB flushes, Xen PV\n"
	       "                          multicalls and page-table updates (their tracepoints fire on\n"
	       "                          every syscall of the machine: attached only then)\n"
	       "      --netns NAME|INODE  only devices in this network namespace (a name under\n"
	       "                          /run/netns, an inode, net:[INODE]); -i names an interface\n"
	       "                          that exists now, in any namespace (or in this one)\n"
	       "  -d, --duration SECS     how long to record (default 5; not with a command: the\n"
	       "                          recording lasts as long as the command)\n"
	       "  -w, --workload builtin  generate traffic over a veth pair in two network\n"
	       "                          namespaces iopath creates and removes\n"
	       "      --packets N         with -w builtin: UDP datagrams to send (default 100000)\n"
	       "      --tcp-bytes N       with -w builtin: then a TCP transfer of N bytes\n"
	       "      --sample N          keep 1 in N full paths with timestamps (default 1000, 0: none)\n"
	       "      --deep              also probe every function taking a struct sk_buff * (BTF,\n"
	       "                          pwru-style), so path length counts kernel functions\n"
	       "      --deep-max N        at most N such functions (default 2000)\n"
	       "      --counter EV        per-CPU counter read at stage boundaries: instructions\n"
	       "                          (default; needs a hardware PMU), cpu-clock or none\n"
	       "  -o, --output FILE       also write a recording (read it with iopath report FILE); checked\n"
	       "                          before anything is traced. A file is replaced atomically (a symlink:\n"
	       "                          its target), a device or pipe (/dev/null, >(gzip >x.gz)) written to\n"
	       "      --checkpoint SECS   rewrite the -o FILE every SECS seconds during the run from the live\n"
	       "                          maps (default 60, 0: off): a killed run loses at most SECS. Not for\n"
	       "                          a device or pipe (written once, at the end)\n"
	       "      --json-file FILE    also write the JSON report to FILE (checked and written like -o)\n"
	       "      --stacks            take the kernel stack at every probe hit (iopath flame --stacks)\n"
	       "      --budget PCT        keep iopath's cost within PCT %% of all CPUs' time (0.1-50, e.g. 5%%):\n"
	       "                          the probes are on in 1 s windows, off as long as the budget\n"
	       "                          needs; counts cover the windows, the report says which fraction\n"
	       "                          of the run that was and estimates whole-run totals from it\n"
	       "      --environment TEXT  where this runs, in words the platform cannot detect itself (\"Xen\n"
	       "                          under QEMU TCG\"), kept in the recording; compare marks absolute\n"
	       "                          times as not real-world when it names TCG, emulation or nesting\n"
	       "  -j, --json              JSON output on stdout; a COMMAND's stdout then goes to stderr\n"
	       BTF_HELP
	       "  -v, --verbose\n"
	       "  -h, --help\n"
	       "Phases: a COMMAND gets a socket as env IOPATH_PHASE_FD; writing 'phase NAME' (a line)\n"
	       "there before a phase and reading one line ('go') back, 'phase -' after the last,\n"
	       "cuts the recording: with -o OUT.rec each phase is also OUT.NAME.rec, a complete\n"
	       "recording of what happened between its mark and the next (iopath workload suite\n"
	       "marks its phases). Names: A-Z a-z 0-9 _ . + -, at most 48 bytes, each once, at most\n"
	       "32; a bad mark gets one warning and is answered all the same.\n"
	       "SIGINT, SIGTERM and SIGHUP end the recording: the report is printed and the file written.\n"
	       "Exit: 0 done; 1 runtime error (also: a file not written at the end; the report is still\n"
	       "printed); 2 bad usage or an output that cannot be written, refused before tracing; 3 the\n"
	       "trace is complete but COMMAND (or the built-in workload) failed, its status on stderr.\n");
}

/* Opens the per-CPU counter that the BPF side reads at stage boundaries.
 * Returns how many CPUs have one; on failure says why in note. */
static int open_counters(struct engine *e, const char *name, int **fds, char *note, size_t len)
{
	struct perf_event_attr a = { .size = sizeof(a), .disabled = 0 };
	int ncpu = libbpf_num_possible_cpus(), ok = 0;

	if (!strcmp(name, "instructions")) {
		a.type = PERF_TYPE_HARDWARE;
		a.config = PERF_COUNT_HW_INSTRUCTIONS;
	} else {
		a.type = PERF_TYPE_SOFTWARE;
		a.config = PERF_COUNT_SW_CPU_CLOCK;
	}
	*fds = calloc(ncpu > 0 ? ncpu : 1, sizeof(**fds));
	if (!*fds)
		return 0;
	for (int cpu = 0; cpu < ncpu; cpu++) {
		__u32 key = cpu;
		int fd = syscall(SYS_perf_event_open, &a, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);

		(*fds)[cpu] = fd;
		if (fd < 0) {
			if (!ok && errno != ENODEV) /* ENODEV: CPU offline */
				snprintf(note, len, "no %s counter: perf_event_open on CPU %d: %s%s", name,
					 cpu, strerror(errno),
					 errno == ENOENT || errno == EOPNOTSUPP ?
					 " (no hardware PMU exposed to this machine); path length is in probe hits only" : "");
			continue;
		}
		if (!bpf_map__update_elem(e->skel->maps.pmu_ctr, &key, sizeof(key), &fd, sizeof(fd), 0))
			ok++;
	}
	return ok;
}

/* Options record alone takes that mean nothing without another: one line each. */
static int check_combinations(const struct trace_opts *t, bool builtin, bool have_packets, bool host,
			      unsigned long long guest_packets, const char *net_flag, bool command)
{
	if (have_packets && !builtin)
		return usage_error("record", "--packets and --tcp-bytes size the built-in workload: "
				   "add --workload builtin");
	if (guest_packets && !host)
		return usage_error("record", "--guest-packets goes with --host");
	if (net_flag && !t->net)
		return usage_error("record", "%s measures the network path, which is not traced: add --net",
				   net_flag);
	if (t->have_duration && command)
		return usage_error("record", "-d and a command exclude each other (the recording lasts "
				   "as long as the command)");
	return 0;
}

/* --deep that can probe nothing would record the run without it and look complete: refused
 * with one line before anything is recorded, once after resolution (nothing attachable here)
 * and once after attaching (every attach failed). */
static int deep_none(const struct live_session *s, bool attached)
{
	const struct resolved *why = NULL;
	unsigned ok = 0;

	for (unsigned i = s->n - s->ndeep; i < s->n; i++) {
		const struct resolved *r = &s->pts[i];

		if (r->status == (attached ? PST_ATTACHED : PST_PLANNED))
			ok++;
		else if (!why)
			why = r;
	}
	if (ok)
		return 0;
	if (!why)
		iop_err("--deep: this kernel's BTF has no function taking a struct sk_buff * to probe");
	else
		iop_err("--deep: none of the %u functions taking a struct sk_buff * %s (%s: %s)", s->ndeep,
			attached ? "attached" : "can be probed here", why->symbol, why->reason);
	return 1;
}

static void on_sample(void *ctx, const void *data, size_t len)
{
	if (len >= sizeof(struct net_path_rec))
		net_report_add_sample(ctx, data);
}

/* spawn_command_held's hook: the command is a traced task before it execs. */
static int scope_command(pid_t pid, void *arg)
{
	struct run *r = arg;
	int err = engine_task_add(&r->s.e, (unsigned)pid);

	if (err)
		iop_err("cannot put the command (pid %d) in the traced tasks: %s", (int)pid, strerror(-err));
	r->task_pid = (unsigned)pid;
	return err;
}

/* The JSON report into a file of its own (--json-file): 0 or -errno. */
static int write_json_file(const struct rec_data *d, struct outfile *out)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	int err;

	if (!m)
		return -ENOMEM;
	rec_data_json(m, d);
	if (fclose(m)) {
		free(buf);
		return -ENOMEM;
	}
	err = outfile_write(out, buf, len);
	free(buf);
	return err;
}

/* The end of a recording: the file first (a stdout that is gone must not cost it), the JSON file,
 * then the report on stdout, always, also when a file could not be written; then one line for each
 * file that was not written. EXIT_OK or EXIT_RUNTIME. */
static int finish(struct run *r, struct bundle *b, struct outfile *out, struct outfile *jout, bool json)
{
	int err_out = 0, err_json = 0, ret = EXIT_OK;

	if (out) {
		err_out = rec_data_save_to(&b->d, out);
		if (!err_out)
			fprintf(stderr, "iopath: recording written to %s\n", out->path);
	}
	if (jout) {
		err_json = write_json_file(&b->d, jout);
		if (!err_json)
			fprintf(stderr, "iopath: JSON report written to %s\n", jout->path);
	}
	if (json)
		rec_data_json(stdout, &b->d);
	else
		rec_data_print(stdout, &b->d);
	{
		int e = fflush(stdout) ? errno : 0;   /* a tty hung up: EIO; a reader gone: EPIPE */

		if (e || ferror(stdout)) {
			iop_err("report not printed: stdout: %s%s", e ? strerror(e) : "a write failed",
				out && !err_out ? " (the recording was written)" : "");
			ret = EXIT_RUNTIME;
		}
	}
	engine_warn_dropped(&r->s.e);
	if (b->net.evicted)
		iop_warn("%llu packets evicted from the in-flight table before their last stage", b->net.evicted);
	if (b->blk.evicted)
		iop_warn("%llu block requests evicted from the in-flight table before completion", b->blk.evicted);
	if (err_out) {
		iop_err("recording NOT written to %s: %s", out->path, strerror(-err_out));
		ret = EXIT_RUNTIME;
	}
	if (err_json) {
		iop_err("JSON report NOT written to %s: %s", jout->path, strerror(-err_json));
		ret = EXIT_RUNTIME;
	}
	return ret;
}

static double parse_secs(const char *s, bool *ok)
{
	char *end;
	double v = strtod(s, &end);

	*ok = !*end && end != s && v >= 0 && v <= 86400;
	return v;
}

int cmd_record(int argc, char **argv)
{
	enum { O_PACKETS = 256, O_TCP, O_SAMPLE, O_DEEP, O_DEEP_MAX, O_COUNTER, O_EXITS, O_OUT,
	       O_STACKS, O_HOST, O_GPKT, O_CKPT, O_JSON_FILE, O_ENV, O_BUDGET };
	static const struct option opts[] = {
		TRACE_OPTIONS_COMMON, TRACE_OPTIONS_FILTERS,
		{ "exits", no_argument, 0, O_EXITS }, { "output", required_argument, 0, 'o' },
		{ "checkpoint", required_argument, 0, O_CKPT }, { "json-file", required_argument, 0, O_JSON_FILE },
		{ "stacks", no_argument, 0, O_STACKS }, { "environment", required_argument, 0, O_ENV },
		{ "host", no_argument, 0, O_HOST }, { "guest-packets", required_argument, 0, O_GPKT },
		{ "workload", required_argument, 0, 'w' }, { "packets", required_argument, 0, O_PACKETS },
		{ "tcp-bytes", required_argument, 0, O_TCP }, { "sample", required_argument, 0, O_SAMPLE },
		{ "deep", no_argument, 0, O_DEEP }, { "deep-max", required_argument, 0, O_DEEP_MAX },
		{ "counter", required_argument, 0, O_COUNTER }, { "budget", required_argument, 0, O_BUDGET },
		{ "json", no_argument, 0, 'j' }, { "verbose", no_argument, 0, 'v' },
		{ "help", no_argument, 0, 'h' }, {},
	};
	static struct run run;   /* big (the reports' fixed arrays); one recording per process, as stop is */
	struct run *r = &run;
	struct bundle *b = NULL;
	struct builtin_wl wl = { .packets = 100000 };
	bool json = false, builtin = false, have_ckpt = false, want_exits = false, ok;
	int c, ret = EXIT_RUNTIME, wstatus = -1, ckpt_failing = 0;
	struct samples *rb = NULL;
	const char *outfile = NULL, *jsonfile = NULL;
	struct outfile out = { .fd = -1 }, jout = { .fd = -1 };
	double ckpt_every = 60, last_ckpt = 0;
	bool progress = isatty(2);
	double last_progress = 0, last_tap_scan = 0;
	unsigned deep_max = 2000;
	bool have_sample = false, have_counter = false, have_packets = false;
	const char *counter = "instructions";
	int *ctr_fds = NULL, nctr = 0;
	unsigned long long v;
	pid_t child = 0;
	static struct phases ph;   /* big (a recording per phase); one per process, as run */
	int child_fd = -1;

	memset(r, 0, sizeof(*r));
	memset(&ph, 0, sizeof(ph));
	ph.fd = -1;
	r->start_unix = time(NULL);
	r->argc = argc;
	r->argv = argv;
	trace_opts_init(&r->t, 5, 86400);
	r->t.no.sample_every = 1000;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:" TRACE_SHORT "w:o:jvh", opts, NULL)) != -1) {
		switch (c) {
		case O_EXITS: want_exits = true; break;
		case O_HOST: r->want_host = true; break;
		case O_GPKT:
			if (parse_uint(optarg, ~0ull, &r->guest_packets) || !r->guest_packets)
				return usage_error("record", "bad --guest-packets '%s' (a count, >0)", optarg);
			break;
		case 'o': outfile = optarg; break;
		case O_JSON_FILE: jsonfile = optarg; break;
		case O_CKPT:
			ckpt_every = parse_secs(optarg, &ok);
			if (!ok)
				return usage_error("record", "bad --checkpoint '%s' (seconds, 0: off)", optarg);
			have_ckpt = true;
			break;
		case O_STACKS: r->want_stacks = true; break;
		case O_BUDGET: {
			char *end;

			r->budget_pct = strtod(optarg, &end);
			if (*end == '%')
				end++;
			if (end == optarg || *end || !(r->budget_pct >= 0.1 && r->budget_pct <= 50))
				return usage_error("record", "bad --budget '%s' (a percentage of all CPUs' time, 0.1-50)",
						   optarg);
			break;
		}
		case O_ENV:
			/* one META line: no newline; the field's size */
			if (!*optarg || strchr(optarg, '\n') || strlen(optarg) >= sizeof(((struct rec_data *)0)->environment))
				return usage_error("record", "bad --environment (1-%zu characters, one line)",
						   sizeof(((struct rec_data *)0)->environment) - 1);
			r->environment = optarg;
			break;
		case 'w':
			if (strcmp(optarg, "builtin"))
				return usage_error("record", "unknown workload '%s' (only 'builtin')", optarg);
			builtin = true;
			break;
		case O_PACKETS:
			if (parse_uint(optarg, ~0ull, &wl.packets))
				return usage_error("record", "bad --packets '%s' (a count)", optarg);
			have_packets = true;
			break;
		case O_TCP:
			if (parse_uint(optarg, ~0ull, &wl.tcp_bytes))
				return usage_error("record", "bad --tcp-bytes '%s' (a byte count)", optarg);
			have_packets = true;
			break;
		case O_SAMPLE:
			if (parse_uint(optarg, 0xffffffffull, &v))
				return usage_error("record", "bad --sample '%s' (1 in N: 0..4294967295)", optarg);
			r->t.no.sample_every = (unsigned)v;
			have_sample = v > 0;   /* 0 (none) means nothing without --net either */
			break;
		case O_DEEP: r->want_deep = true; break;
		case O_COUNTER:
			if (strcmp(optarg, "instructions") && strcmp(optarg, "cpu-clock") &&
			    strcmp(optarg, "none"))
				return usage_error("record", "--counter takes instructions, cpu-clock or none");
			counter = optarg;
			have_counter = strcmp(optarg, "none");
			break;
		case O_DEEP_MAX:
			if (parse_uint(optarg, IOP_MAX_POINTS - 512, &v) || !v)
				return usage_error("record", "bad --deep-max '%s' (1..%d)", optarg,
						   IOP_MAX_POINTS - 512);
			deep_max = (unsigned)v;
			r->want_deep = true;
			break;
		case 'j': json = true; break;
		case 'h': help(); return EXIT_OK;
		default:
			if ((c = trace_opt("record", c, argv, &r->t)))
				return c;   /* the exit status */
		}
	}
	if (builtin && optind < argc)
		return usage_error("record", "--workload and a command exclude each other");
	if (have_ckpt && ckpt_every > 0 && !outfile)
		return usage_error("record", "--checkpoint rewrites the -o FILE; there is none");
	if (optind < argc && check_command("record", argv + optind))
		return EXIT_USAGE;
	if (!want_exits && !r->want_host)
		trace_opts_default_path(&r->t);
	/* --exits: the command or --pid are the traced tasks of the crossings around the I/O path */
	r->t.pid_scopes_tasks = want_exits;
	r->task_scope = !want_exits ? EXT_NOT_ASKED : optind < argc && r->t.no.pid ? EXT_COMMAND_AND_PID :
			optind < argc ? EXT_COMMAND : r->t.no.pid ? EXT_PID : EXT_NO_TASKS;
	if ((c = check_combinations(&r->t, builtin, have_packets, r->want_host, r->guest_packets,
				    r->want_deep ? "--deep" : have_sample ? "--sample" :
				    have_counter ? "--counter" : NULL, optind < argc)) ||
	    (c = trace_opts_check("record", &r->t)))
		return c;
	if (require_privileges())
		return EXIT_RUNTIME;
	/* The outputs before anything is loaded: a place that cannot be written costs nothing yet. */
	if ((outfile && (ret = open_output("record", "-o", outfile, &out))) ||
	    (jsonfile && (ret = open_output("record", "--json-file", jsonfile, &jout))))
		goto out;
	ret = EXIT_RUNTIME;
	if (outfile && jsonfile && !out.stream && !jout.stream && !strcmp(out.target, jout.target)) {
		ret = usage_error("record", "-o and --json-file name the same file");
		goto out;
	}
	if (outfile && !outfile_rewritable(&out)) {
		if (have_ckpt && ckpt_every > 0)
			iop_warn("--checkpoint: %s is not a regular file, so it cannot be rewritten during the run; "
				 "it is written once, at the end", outfile);
		ckpt_every = 0;
	}
	if (!outfile)
		ckpt_every = 0;
	/* a reader gone (a pipe for -o, stdout) is an error to report, not a reason to die unsaved */
	signal(SIGPIPE, SIG_IGN);
	/* From here a stop signal never kills iopath half-way (the built-in workload's namespaces, a
	 * recording unsaved): during the set-up it ends the run before tracing, after it the recording
	 * ends and is written. A dropped SSH session (SIGHUP) counts as Ctrl-C. */
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	/* phase marks: answered always, recorded with -o naming a file (OUT.NAME.rec beside it). The
	 * socket is made before the BPF objects' descriptors, so the command's end has a low number
	 * (a POSIX shell redirects only descriptors 0-9). */
	if (optind < argc) {
		ph.on = outfile && !out.stream;
		if (outfile && out.stream)
			ph.off_why = "-o names a device or pipe, so there is no OUT.NAME.rec beside it: phases not recorded";
		if ((c = phases_open(&ph, &child_fd)))
			iop_warn("no phase marks (IOPATH_PHASE_FD): socketpair: %s", strerror(-c));
	}
	if (session_prepare(&r->s, &(struct session_opts){ .net = r->t.net, .blk = r->t.blk, .host = r->want_host,
							    .tasks = r->task_scope >= EXT_COMMAND,
							    .stacks = r->want_stacks,
							    .deep_max = r->want_deep ? deep_max : 0,
							    .samples = true, .no = &r->t.no, .bo = &r->t.bo }) ||
	    (r->want_deep && deep_none(&r->s, false)))
		goto out;
	if (r->want_stacks && !kview_has_addresses(&r->s.kv)) {
		iop_err("--stacks: /proc/kallsyms hides kernel addresses here, so no stack could be "
			"symbolized (needs CAP_SYSLOG, or root)");
		goto out;
	}
	/* Instructions need a hardware PMU; calibration already knows. */
	if (!strcmp(counter, "none")) {
		snprintf(r->rep.counter_note, sizeof(r->rep.counter_note), "counter: none requested");
		counter = NULL;
	} else if (!strcmp(counter, "instructions") && !r->s.caps.c[CAP_PMU].ok) {
		snprintf(r->rep.counter_note, sizeof(r->rep.counter_note),
			 "no instruction counts: %.190s; path length is in probe hits only",
			 r->s.caps.c[CAP_PMU].detail);
		counter = NULL;
	}
	r->s.no.counter = counter != NULL;
	if (session_load(&r->s))
		goto out;
	if (counter) {
		nctr = libbpf_num_possible_cpus();
		if (!open_counters(&r->s.e, counter, &ctr_fds, r->rep.counter_note, sizeof(r->rep.counter_note)))
			counter = NULL;
		if (counter) {
			snprintf(r->rep.counter_name, sizeof(r->rep.counter_name), "%s", counter);
			r->rep.counter = r->rep.counter_name;
		}
	}
	if (builtin && builtin_setup(&wl))
		goto out;
	if (stop) {
		iop_err("stopped before tracing began: nothing recorded, no file written");
		goto out;
	}
	if (r->task_scope == EXT_PID || r->task_scope == EXT_COMMAND_AND_PID) {
		/* the process is there (trace_opts_check); from now on what it forks joins too */
		if ((c = engine_task_add(&r->s.e, r->t.no.pid))) {
			iop_err("cannot put --pid %u in the traced tasks: %s", r->t.no.pid, strerror(-c));
			goto out;
		}
		r->task_pid = r->t.no.pid;
	}
	session_attach(&r->s);
	if (r->want_deep && deep_none(&r->s, true))
		goto out;
	selfcost_start(&r->self, &r->s.e);   /* not measured: r->self.why says so in the report */
	if (r->budget_pct > 0 && budget_start(&r->budget, &r->s.e, r->budget_pct, &r->self))
		goto out;
	if (r->t.net && r->s.no.sample_every) {
		rb = samples_open(bpf_map__fd(r->s.e.skel->maps.net_paths), r->s.e.perfbuf, on_sample, &r->rep);
		if (!rb)
			iop_warn("no %s for sampled paths: %s", samples_kind(r->s.e.perfbuf), strerror(errno));
	}
	if (exits_begin(&r->s.e, &r->xrep))
		iop_warn("cannot read /proc/interrupts: interrupt counts have no kernel reference");
	if (r->want_host) {
		/* the VMs' tap interfaces: counters now and at the end, owners now,
		 * every second and at the end (a VM the command starts holds its tap
		 * only while it runs) */
		r->taps[0] = calloc(1, sizeof(*r->taps[0]));
		r->taps[1] = calloc(1, sizeof(*r->taps[1]));
		if (!r->taps[0] || !r->taps[1])
			goto out;
		if (tap_counters("", r->taps[0]) < 0 || tap_owners("", r->taps[0], NULL, -1) < 0)
			iop_warn("cannot read /sys/class/net or /proc: no guest packet counts from tap interfaces");
	}
	r->t0 = now_ns();
	if (builtin && builtin_start(&wl, r->t.duration)) {
		iop_err("cannot start the built-in workload");
		goto out;
	}
	if (optind < argc) {
		/* with --json on stdout, the command's output must not land in the middle of it */
		child = r->task_scope == EXT_COMMAND || r->task_scope == EXT_COMMAND_AND_PID ? spawn_command_held(argv + optind, json, scope_command, r) :
			spawn_command(argv + optind, json);
		unsetenv("IOPATH_PHASE_FD");
		if (child_fd >= 0)
			close(child_fd);
		child_fd = -1;
		if (child < 0) {
			iop_err("cannot run %s: %s", argv[optind], strerror(-child));
			child = 0;
			goto out;
		}
	}
	for (;;) {
		double el;

		phases_wait(&ph, r, rb, 100);
		selfcost_tick(&r->self);
		if (r->budget_pct > 0)
			budget_tick(&r->budget);
		el = (now_ns() - r->t0) / 1e9;
		if (progress && el - last_progress >= 1) {
			const struct iopath_bpf__bss *g = engine_bss(&r->s.e);
			unsigned long long ev = g->net_ctr[NC_STARTED];

			fprintf(stderr, "\r[%5.1fs] %llu packets traced (%.0f/s), %llu lost samples   ",
				el, ev, el > 0 ? ev / el : 0, (unsigned long long)g->net_ctr[NC_RB_DROP]);
			last_progress = el;
		}
		if (r->want_host && el - last_tap_scan >= 1) {
			unsigned vms[HOST_MAX_PROCS];

			tap_owners("", r->taps[1], vms, host_vm_pids(&r->s.e, vms, HOST_MAX_PROCS));
			last_tap_scan = el;
		}
		if (stop)
			break;
		if (child && waitpid(child, &wstatus, WNOHANG) == child) {
			child = 0;
			phases_read(&ph, r, rb);   /* marks it wrote before it ended */
			break;
		}
		if (builtin && (wl.packets || wl.tcp_bytes) && builtin_done(&wl, &wstatus))
			break;
		if (!child && (!builtin || !(wl.packets || wl.tcp_bytes) || r->t.have_duration) &&
		    el >= r->t.duration)
			break;
		if (ckpt_every > 0 && el - last_ckpt >= ckpt_every) {
			checkpoint(r, &out, &ckpt_failing);
			last_ckpt = el;
		}
	}
	selfcost_tick(&r->self);
	selfcost_stop(&r->self);
	if (r->budget_pct > 0)
		budget_end(&r->budget);
	exits_end(&r->s.e, &r->xrep);
	if (r->want_host) {
		unsigned vms[HOST_MAX_PROCS];

		tap_owners("", r->taps[1], vms, host_vm_pids(&r->s.e, vms, HOST_MAX_PROCS));
		tap_counters("", r->taps[1]);
		if (r->taps[0]->truncated || r->taps[1]->truncated)
			iop_warn("more than %d tap interfaces or owners: the rest not counted", TAP_MAX);
	}
	if (progress && last_progress > 0)
		fprintf(stderr, "\n");
	samples_consume(rb);
	/* bpf_perf_event_output()'s failures are counted on the BPF side (ringbuf_drops); a
	 * kernel that lost more than it refused has its own count said here */
	if (samples_lost(rb) > engine_bss(&r->s.e)->net_ctr[NC_RB_DROP])
		iop_warn("the perf buffer lost %llu sampled paths, the BPF side counted %llu of them",
			 samples_lost(rb), (unsigned long long)engine_bss(&r->s.e)->net_ctr[NC_RB_DROP]);
	b = bundle_build(r, true, wstatus == -1 ? -1 : wait_code(wstatus));
	if (!b)
		goto out;
	/* a phase still open (the command ended, or died, inside it) ends with the run */
	phases_end(&ph, &b->d, b->d.cmd_status);
	ret = finish(r, b, outfile ? &out : NULL, jsonfile ? &jout : NULL, json);
	if (ph.on && phases_write(&ph, outfile, &b->d) != EXIT_OK)
		ret = EXIT_RUNTIME;
	/* its line in any case; a file not written (1) outranks the command's failure (3) */
	c = command_exit("record", builtin ? "the built-in workload" : "the command", wstatus);
	if (ret == EXIT_OK)
		ret = c;
out:
	if (child > 0) {
		kill(child, SIGTERM);
		waitpid(child, NULL, 0);
	}
	if (builtin)
		builtin_teardown(&wl);
	selfcost_stop(&r->self);
	samples_free(rb);
	for (int i = 0; ctr_fds && i < nctr; i++)
		if (ctr_fds[i] >= 0)
			close(ctr_fds[i]);
	free(ctr_fds);
	free(r->taps[0]);
	free(r->taps[1]);
	phases_free(&ph);
	if (child_fd >= 0)
		close(child_fd);
	unsetenv("IOPATH_PHASE_FD");
	bundle_free(b);
	net_report_free(&r->rep);
	exits_report_free(&r->xrep);
	session_close(&r->s);
	outfile_close(&out);
	outfile_close(&jout);
	return ret;
}
