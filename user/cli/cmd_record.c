/* iopath record --net / --blk: follow every packet through the stack and
 * the driver, every block request from insert to completion, for a while (or
 * while a command or the built-in workload runs), then report per device and
 * direction (per disk, op and size class): stages and their latencies, path
 * length, top paths, exits/irqs/polls per packet or request, evictions. */
#include <errno.h>
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

#include "engine/attach.h"
#include "report/blk_report.h"
#include "engine/calib.h"
#include "cli/cli.h"
#include "cli/opts.h"
#include "engine/deep.h"
#include "platform/devices.h"
#include "report/exits_report.h"
#include "report/host_report.h"
#include "platform/platform.h"
#include "record/recdata.h"
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
	       "      --pid N             only packets sent by this process (TX only)\n"
	       "  -d, --duration SECS     how long to record (default 5; with a command: until it ends)\n"
	       "  -w, --workload builtin  generate traffic over a veth pair in two network\n"
	       "                          namespaces iopath creates and removes\n"
	       "      --packets N         built-in workload: UDP datagrams to send (default 100000)\n"
	       "      --tcp-bytes N       built-in workload: then a TCP transfer of N bytes\n"
	       "      --sample N          keep 1 in N full paths with timestamps (default 1000, 0: none)\n"
	       "      --deep              also probe every function taking a struct sk_buff * (BTF,\n"
	       "                          pwru-style), so path length counts kernel functions\n"
	       "      --deep-max N        at most N such functions (default 2000)\n"
	       "      --counter EV        per-CPU counter read at stage boundaries: instructions\n"
	       "                          (default; needs a hardware PMU), cpu-clock or none\n"
	       "  -o, --output FILE       also write a recording (read it with iopath report FILE)\n"
	       "      --stacks            take the kernel stack at every probe hit (iopath flame --stacks)\n"
	       "  -j, --json              JSON output\n"
	       "  -v, --verbose\n"
	       "  -h, --help\n");
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

static int on_sample(void *ctx, void *data, size_t len)
{
	if (len >= sizeof(struct net_path_rec))
		net_report_add_sample(ctx, data);
	return 0;
}

int cmd_record(int argc, char **argv)
{
	enum { O_PACKETS = 256, O_TCP, O_SAMPLE, O_DEEP, O_DEEP_MAX, O_COUNTER, O_EXITS, O_OUT,
	       O_STACKS, O_HOST, O_GPKT };
	static const struct option opts[] = {
		TRACE_OPTIONS_COMMON, TRACE_OPTIONS_FILTERS,
		{ "exits", no_argument, 0, O_EXITS }, { "output", required_argument, 0, 'o' },
		{ "stacks", no_argument, 0, O_STACKS },
		{ "host", no_argument, 0, O_HOST }, { "guest-packets", required_argument, 0, O_GPKT },
		{ "workload", required_argument, 0, 'w' }, { "packets", required_argument, 0, O_PACKETS },
		{ "tcp-bytes", required_argument, 0, O_TCP }, { "sample", required_argument, 0, O_SAMPLE },
		{ "deep", no_argument, 0, O_DEEP }, { "deep-max", required_argument, 0, O_DEEP_MAX },
		{ "counter", required_argument, 0, O_COUNTER },
		{ "json", no_argument, 0, 'j' }, { "verbose", no_argument, 0, 'v' },
		{ "help", no_argument, 0, 'h' }, {},
	};
	struct trace_opts t;
	struct builtin_wl wl = { .packets = 100000 };
	bool json = false, builtin = false;
	int c, ret = 1, cmd_status = -1;
	struct live_session s = {};
	struct ring_buffer *rb = NULL;
	struct net_report rep = {};
	struct blk_report brep = {};
	bool want_exits = false, want_host = false;
	struct host_report hrep = {};
	unsigned long long guest_packets = 0;
	struct exits_report xrep = {};
	const char *outfile = NULL;
	bool want_stacks = false;
	long long start_unix = time(NULL);
	bool progress = isatty(2);
	double last_progress = 0, last_tap_scan = 0;
	struct tap_snap *taps[2] = { NULL, NULL };
	unsigned deep_max = 2000;
	bool want_deep = false;
	const char *counter = "instructions";
	int *ctr_fds = NULL, nctr = 0;
	unsigned long long t0;
	pid_t child = 0;
	char *end;

	trace_opts_init(&t, 5, 86400);
	t.no.sample_every = 1000;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:i:q:d:w:o:jvh", opts, NULL)) != -1) {
		switch (c) {
		case O_EXITS: want_exits = true; break;
		case O_HOST: want_host = true; break;
		case O_GPKT:
			guest_packets = strtoull(optarg, &end, 10);
			if (*end || !guest_packets)
				return usage_error("record", "bad --guest-packets '%s'", optarg);
			break;
		case 'o': outfile = optarg; break;
		case O_STACKS: want_stacks = true; break;
		case 'w':
			if (strcmp(optarg, "builtin"))
				return usage_error("record", "unknown workload '%s' (only 'builtin')", optarg);
			builtin = true;
			break;
		case O_PACKETS:
			wl.packets = strtoull(optarg, &end, 10);
			if (*end)
				return usage_error("record", "bad --packets '%s'", optarg);
			break;
		case O_TCP:
			wl.tcp_bytes = strtoull(optarg, &end, 10);
			if (*end)
				return usage_error("record", "bad --tcp-bytes '%s'", optarg);
			break;
		case O_SAMPLE:
			t.no.sample_every = strtoul(optarg, &end, 10);
			if (*end)
				return usage_error("record", "bad --sample '%s'", optarg);
			break;
		case O_DEEP: want_deep = true; break;
		case O_COUNTER:
			if (strcmp(optarg, "instructions") && strcmp(optarg, "cpu-clock") &&
			    strcmp(optarg, "none"))
				return usage_error("record", "--counter takes instructions, cpu-clock or none");
			counter = optarg;
			break;
		case O_DEEP_MAX:
			deep_max = strtoul(optarg, &end, 10);
			if (*end || !deep_max || deep_max > IOP_MAX_POINTS - 512)
				return usage_error("record", "bad --deep-max '%s' (1..%d)", optarg,
						   IOP_MAX_POINTS - 512);
			want_deep = true;
			break;
		case 'j': json = true; break;
		case 'h': help(); return 0;
		default:
			if ((c = trace_opt("record", c, argv, &t)))
				return c;   /* the exit status */
		}
	}
	if (builtin && optind < argc)
		return usage_error("record", "--workload and a command exclude each other");
	if (!want_exits && !want_host)
		trace_opts_default_path(&t);
	if (require_privileges())
		return 1;
	if (session_prepare(&s, &(struct session_opts){ .net = t.net, .blk = t.blk, .host = want_host,
							 .stacks = want_stacks, .deep_max = want_deep ? deep_max : 0,
							 .samples = true, .no = &t.no, .bo = &t.bo }))
		goto out;
	/* Instructions need a hardware PMU; calibration already knows. */
	if (!strcmp(counter, "none")) {
		snprintf(rep.counter_note, sizeof(rep.counter_note), "counter: none requested");
		counter = NULL;
	} else if (!strcmp(counter, "instructions") && !s.caps.c[CAP_PMU].ok) {
		snprintf(rep.counter_note, sizeof(rep.counter_note),
			 "no instruction counts: %s; path length is in probe hits only",
			 s.caps.c[CAP_PMU].detail);
		counter = NULL;
	}
	s.no.counter = counter != NULL;
	if (session_load(&s))
		goto out;
	if (counter) {
		nctr = libbpf_num_possible_cpus();
		if (!open_counters(&s.e, counter, &ctr_fds, rep.counter_note, sizeof(rep.counter_note)))
			counter = NULL;
		if (counter) {
			snprintf(rep.counter_name, sizeof(rep.counter_name), "%s", counter);
			rep.counter = rep.counter_name;
		}
	}
	if (builtin && builtin_setup(&wl))
		goto out;
	session_attach(&s);
	if (t.net && s.no.sample_every) {
		rb = ring_buffer__new(bpf_map__fd(s.e.skel->maps.net_paths), on_sample, &rep, NULL);
		if (!rb)
			iop_warn("no ring buffer for sampled paths: %s", strerror(errno));
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (exits_begin(&s.e, &xrep))
		iop_warn("cannot read /proc/interrupts: interrupt counts have no kernel reference");
	if (want_host) {
		/* the VMs' tap interfaces: counters now and at the end, owners now,
		 * every second and at the end (a VM the command starts holds its tap
		 * only while it runs) */
		taps[0] = calloc(1, sizeof(*taps[0]));
		taps[1] = calloc(1, sizeof(*taps[1]));
		if (!taps[0] || !taps[1])
			goto out;
		if (tap_counters("", taps[0]) < 0 || tap_owners("", taps[0], NULL, -1) < 0)
			iop_warn("cannot read /sys/class/net or /proc: no guest packet counts from tap interfaces");
	}
	t0 = now_ns();
	if (builtin && builtin_start(&wl, t.duration)) {
		iop_err("cannot start the built-in workload");
		goto out;
	}
	if (optind < argc) {
		child = fork();
		if (child < 0)
			goto out;
		if (!child) {
			execvp(argv[optind], argv + optind);
			fprintf(stderr, "iopath: cannot run %s: %s\n", argv[optind], strerror(errno));
			_exit(127);
		}
	}
	for (;;) {
		int st;

		if (rb)
			ring_buffer__poll(rb, 100);
		else
			usleep(100000);
		if (progress && (now_ns() - t0) / 1e9 - last_progress >= 1) {
			double el = (now_ns() - t0) / 1e9;
			unsigned long long ev = s.e.skel->bss->net_ctr[NC_STARTED];

			fprintf(stderr, "\r[%5.1fs] %llu packets traced (%.0f/s), %llu lost samples   ",
				el, ev, el > 0 ? ev / el : 0, (unsigned long long)s.e.skel->bss->net_ctr[NC_RB_DROP]);
			last_progress = el;
		}
		if (want_host && (now_ns() - t0) / 1e9 - last_tap_scan >= 1) {
			unsigned vms[HOST_MAX_PROCS];

			tap_owners("", taps[1], vms, host_vm_pids(&s.e, vms, HOST_MAX_PROCS));
			last_tap_scan = (now_ns() - t0) / 1e9;
		}
		if (stop)
			break;
		if (child && waitpid(child, &st, WNOHANG) == child) {
			cmd_status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
			child = 0;
			break;
		}
		if (builtin && (wl.packets || wl.tcp_bytes) && builtin_done(&wl, &cmd_status))
			break;
		if (!child && (!builtin || !(wl.packets || wl.tcp_bytes) || t.have_duration) &&
		    (now_ns() - t0) / 1e9 >= t.duration)
			break;
	}
	exits_end(&s.e, &xrep);
	if (want_host) {
		unsigned vms[HOST_MAX_PROCS];

		tap_owners("", taps[1], vms, host_vm_pids(&s.e, vms, HOST_MAX_PROCS));
		tap_counters("", taps[1]);
		if (taps[0]->truncated || taps[1]->truncated)
			iop_warn("more than %d tap interfaces or owners: the rest not counted", TAP_MAX);
	}
	if (progress && last_progress > 0)
		fprintf(stderr, "\n");
	if (rb)
		ring_buffer__consume(rb);
	rep.seconds = brep.seconds = xrep.seconds = (now_ns() - t0) / 1e9;
	{
		/* every section the recording has reads its maps (exits: hits were read by exits_end) */
		struct rec_data c = { .has_net = t.net, .has_blk = t.blk, .has_exits = true, .has_host = want_host,
				      .pts = s.pts, .n = s.n, .net = &rep, .blk = &brep, .exits = &xrep, .host = &hrep };

		if (rec_data_collect(&s.e, &c))
			goto out;
	}
	if (want_host) {
		hrep.seconds = xrep.seconds;
		hrep.guest_packets = guest_packets;
		host_add_taps(&hrep, taps[0], taps[1]);
	}
	for (int k = 0; k < EXK__COUNT; k++) {
		for (int i = 0; t.net && i < rep.ndev; i++)
			xrep.charged_net += rep.dev[i].a.exits[k];
		for (int i = 0; t.blk && i < brep.ncls; i++)
			xrep.charged_blk += brep.cls[i].a.exits[k];
		xrep.background += t.net ? rep.bg_exits[k] : brep.bg_exits[k];
	}
	{
		struct rec_data d = {
			.has_net = t.net, .has_blk = t.blk, .has_exits = true, .has_deep = want_deep,
			.pts = s.pts, .n = s.n, .load_ms = s.e.load_ms, .attach_ms = s.e.attach_ms,
			.irqs_mapped = s.irqs_mapped, .disk_irqs_mapped = s.disk_irqs_mapped,
			.deep_found = s.deep_found, .ndeep = s.ndeep, .cmd_status = cmd_status,
			.recursion_misses = s.e.recursion_misses, .stacks_dropped = engine_stacks_dropped(&s.e),
			.net = &rep, .blk = &brep, .exits = &xrep, .has_host = want_host, .host = &hrep,
			.start_unix = start_unix, .end_unix = time(NULL),
		};
		struct platform plat;

		if (want_stacks && stacks_collect(&s.e, &d.stacks, &d.stacks_len, &d.nstacks))
			iop_warn("kernel stacks not recorded");
		snprintf(d.version, sizeof(d.version), "%s", IOPATH_VERSION);
		snprintf(d.kernel, sizeof(d.kernel), "%s", s.kv.release);
		platform_detect("", &plat);
		snprintf(d.platform, sizeof(d.platform), "%s", platform_name(&plat));
		for (int i = 1, off = 0; i < argc && off < (int)sizeof(d.options) - 1; i++)
			off += snprintf(d.options + off, sizeof(d.options) - off, "%s%s", i > 1 ? " " : "",
					argv[i]);
		if (outfile) {
			int err = rec_data_save(&d, outfile);

			if (err) {
				iop_err("cannot write recording %s: %s", outfile, strerror(-err));
				goto out;
			}
			fprintf(stderr, "iopath: recording written to %s\n", outfile);
		}
		if (json)
			rec_data_json(stdout, &d);
		else
			rec_data_print(stdout, &d);
		free(d.stacks);
	}
	engine_warn_dropped(&s.e);
	if (rep.evicted)
		iop_warn("%llu packets evicted from the in-flight table before their last stage", rep.evicted);
	if (brep.evicted)
		iop_warn("%llu block requests evicted from the in-flight table before completion", brep.evicted);
	ret = cmd_status > 0 ? cmd_status : 0;
out:
	if (child > 0) {
		kill(child, SIGTERM);
		waitpid(child, NULL, 0);
	}
	if (builtin)
		builtin_teardown(&wl);
	ring_buffer__free(rb);
	for (int i = 0; ctr_fds && i < nctr; i++)
		if (ctr_fds[i] >= 0)
			close(ctr_fds[i]);
	free(ctr_fds);
	free(taps[0]);
	free(taps[1]);
	net_report_free(&rep);
	blk_report_free(&brep);
	exits_report_free(&xrep);
	host_report_free(&hrep);
	session_close(&s);
	return ret;
}
