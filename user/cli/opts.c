#include "cli/opts.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "cli/cli.h"
#include "kernel/caps.h"
#include "kernel/kbtf.h"
#include "platform/devices.h"
#include "platform/netns.h"
#include "util/util.h"

void trace_opts_init(struct trace_opts *t, double duration, double max_duration)
{
	memset(t, 0, sizeof(*t));
	t->no.queue = -1;
	t->no.dir = -1;
	t->duration = duration;
	t->max_duration = max_duration;
}

void trace_opts_default_path(struct trace_opts *t)
{
	if (!t->net && !t->blk)
		t->net = true;
}

int parse_uint(const char *s, unsigned long long max, unsigned long long *v)
{
	unsigned long long x = 0;

	if (!s || !*s)
		return -EINVAL;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		if (x > (~0ull - (*p - '0')) / 10)
			return -ERANGE;
		x = x * 10 + (*p - '0');
	}
	if (x > max)
		return -ERANGE;
	*v = x;
	return 0;
}

int trace_opt(const char *cmd, int c, char **argv, struct trace_opts *t)
{
	const char *arg = optarg;
	unsigned long long v;
	char *end;

	switch (c) {
	case 'v': iop_verbose++; return 0;
	case TO_NET: t->net = true; return 0;
	case TO_BLK: t->blk = true; return 0;
	case TO_DISK:
		t->bo.dev = blk_dev_parse(arg);
		if (!t->bo.dev)
			return usage_error(cmd, "no disk '%s' (a whole disk: /sys/block/NAME)", arg);
		t->blk = true;
		return 0;
	case TO_IFACE:
		if (!*arg || strlen(arg) >= sizeof(t->no.ifname))
			return usage_error(cmd, "bad interface name '%s' (1..%zu characters)", arg,
					   sizeof(t->no.ifname) - 1);
		strcpy(t->no.ifname, arg);
		return 0;
	case TO_QUEUE:
		if (parse_uint(arg, 65535, &v))
			return usage_error(cmd, "bad queue '%s' (0..65535)", arg);
		t->no.queue = (int)v;
		return 0;
	case TO_DIR:
		if (!strcmp(arg, "tx")) t->no.dir = DIR_TX;
		else if (!strcmp(arg, "rx")) t->no.dir = DIR_RX;
		else return usage_error(cmd, "--dir takes tx or rx, not '%s'", arg);
		return 0;
	case TO_PROTO:
		if (!strcmp(arg, "udp")) t->no.proto = 17;
		else if (!strcmp(arg, "tcp")) t->no.proto = 6;
		else return usage_error(cmd, "--proto takes udp or tcp, not '%s'", arg);
		return 0;
	case TO_PORT:
		if (parse_uint(arg, 65535, &v) || !v)
			return usage_error(cmd, "bad port '%s' (1..65535)", arg);
		t->no.port = (int)v;
		return 0;
	case TO_PID:
		if (parse_uint(arg, 0xffffffffull, &v) || !v)
			return usage_error(cmd, "bad pid '%s'", arg);
		t->no.pid = (unsigned)v;
		return 0;
	case TO_NETNS:
		t->netns_arg = arg;
		return 0;
	case TO_BTF:
		t->btf = arg;
		return 0;
	case TO_DURATION:
		t->duration = strtod(arg, &end);
		if (*end || t->duration <= 0 || t->duration > t->max_duration)
			return usage_error(cmd, "bad duration '%s' (seconds, >0)", arg);
		t->have_duration = true;
		return 0;
	}
	return bad_option(cmd, c, optopt, argv, optind);
}

const char *trace_opts_net_filter(const struct trace_opts *t)
{
	return t->no.ifname[0] ? "-i" : t->no.queue >= 0 ? "-q" : t->no.dir >= 0 ? "--dir" :
	       t->no.proto ? "--proto" : t->no.port ? "--port" : t->no.pid && !t->pid_scopes_tasks ? "--pid" :
	       t->netns_arg ? "--netns" : NULL;
}

/* --pid names a process (the BPF side compares the sender's thread-group id): it must exist
 * now (a pid cannot be known before its process starts) and not be a thread of another one. */
static int check_pid(const char *cmd, unsigned pid)
{
	char path[64], buf[4096], *tg;
	int n;

	snprintf(path, sizeof(path), "/proc/%u/status", pid);
	if ((n = read_small_file("", path, buf, sizeof(buf))) < 0)
		return usage_error(cmd, "no process %u (--pid)", pid);
	tg = strstr(buf, "\nTgid:");
	if (tg && (unsigned)strtoul(tg + 6, NULL, 10) != pid)
		return usage_error(cmd, "%u is a thread of process %lu: --pid takes the process", pid,
				   strtoul(tg + 6, NULL, 10));
	return 0;
}

/* The queues a filter on dir can see of interface f: -1 when not known. */
static int queues_of(const struct netns_iface *f, int dir)
{
	if (dir == DIR_TX)
		return f->ntx;
	if (dir == DIR_RX)
		return f->nrx;
	return f->ntx < 0 || f->nrx < 0 ? -1 : f->ntx > f->nrx ? f->ntx : f->nrx;
}

/* -q N: some interface the filters keep has a queue N (unknown counts never reject). */
static int check_queue(const char *cmd, const struct trace_opts *t, const struct netns_set *s)
{
	int most = -1, seen = 0;

	for (int i = 0; i < s->nif; i++) {
		const struct netns_iface *f = &s->ifs[i];
		int q;

		if ((t->no.ifname[0] && strcmp(f->name, t->no.ifname)) ||
		    (t->no.netns && f->netns != t->no.netns))
			continue;
		if ((q = queues_of(f, t->no.dir)) < 0)
			return 0;
		seen++;
		if (q > most)
			most = q;
	}
	if (!seen || t->no.queue < most)
		return 0;
	if (t->no.ifname[0])
		return usage_error(cmd, "-q %d: %s has %d %squeue%s (0..%d)", t->no.queue, t->no.ifname,
				   most, t->no.dir == DIR_TX ? "TX " : t->no.dir == DIR_RX ? "RX " : "",
				   most == 1 ? "" : "s", most - 1);
	return usage_error(cmd, "-q %d: no interface has that many queues (at most %d)", t->no.queue, most);
}

/* -i NAME: an interface of that name in some namespace (in --netns's, when given). */
static int check_iface(const char *cmd, const struct trace_opts *t, const struct netns_set *s)
{
	char nsl[64];

	for (int i = 0; i < s->nif; i++)
		if (!strcmp(s->ifs[i].name, t->no.ifname) && (!t->no.netns || s->ifs[i].netns == t->no.netns))
			return 0;
	if (t->no.netns && netns_find(s, t->no.netns)->listed)
		return usage_error(cmd, "no interface '%s' in network namespace %s", t->no.ifname,
				   netns_label(s, t->no.netns, nsl, sizeof(nsl)));
	if (!t->no.netns && !s->unlisted)
		return usage_error(cmd, "no interface '%s' in any network namespace (%d looked at)",
				   t->no.ifname, s->n);
	/* it may be where we could not look: say so, trace anyway */
	iop_warn("no interface '%s' in the %d network namespace(s) read; %d could not be read "
		 "(entering one needs CAP_SYS_ADMIN)", t->no.ifname, s->n - s->unlisted,
		 t->no.netns ? 1 : s->unlisted);
	return 0;
}

static int check_names(const char *cmd, struct trace_opts *t)
{
	struct netns_set s;
	int ret = 0;

	if (netns_scan("", &s, NETNS_IFACES)) {
		iop_err("out of memory");
		return 1;
	}
	if (t->netns_arg && !(t->no.netns = netns_lookup(&s, t->netns_arg)))
		ret = usage_error(cmd, "no network namespace '%s' (a name under /run/netns, an inode, "
				  "or net:[INODE])", t->netns_arg);
	if (!ret && t->no.ifname[0])
		ret = check_iface(cmd, t, &s);
	if (!ret && t->no.queue >= 0)
		ret = check_queue(cmd, t, &s);
	netns_free(&s);
	return ret;
}

int trace_opts_check(const char *cmd, struct trace_opts *t)
{
	const char *f = trace_opts_net_filter(t);
	int ret;

	if (f && !t->net)
		return usage_error(cmd, "%s filters the network path, which is not traced: add --net", f);
	if (t->no.pid && t->no.dir == DIR_RX)
		return usage_error(cmd, "--pid keeps what a process sends (TX): it cannot go with --dir rx");
	if (t->no.pid && check_pid(cmd, t->no.pid))
		return EXIT_USAGE;
	if ((t->netns_arg || t->no.ifname[0] || t->no.queue >= 0) && (ret = check_names(cmd, t)))
		return ret;
	return btf_settle(cmd, t->btf, true);
}

int btf_settle(const char *cmd, const char *path, bool need)
{
	struct kbtf b;
	struct utsname u;
	char why[512];

	/* libbpf's own words on a bad file only with -v: the one line is ours */
	iop_setup_libbpf_log();
	if (path && kbtf_check_file(path, why, sizeof(why)))
		return usage_error(cmd, "--btf %s: %s", path, why);
	if (kbtf_choose("", path, getenv(CAPS_MASK_ENV), &b, why, sizeof(why)) && need) {
		uname(&u);
		iop_err("kernel %s: %s", u.release, why);
		return EXIT_RUNTIME;
	}
	kbtf_use(&b);
	return 0;
}
