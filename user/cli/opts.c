#include "cli/opts.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "platform/devices.h"
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

int trace_opt(const char *cmd, int c, char **argv, struct trace_opts *t)
{
	const char *arg = optarg;
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
		if (strlen(arg) >= sizeof(t->no.ifname))
			return usage_error(cmd, "interface name '%s' too long", arg);
		strcpy(t->no.ifname, arg);
		return 0;
	case 'q':
		t->no.queue = strtol(arg, &end, 10);
		if (*end || t->no.queue < 0 || t->no.queue > 65535)
			return usage_error(cmd, "bad queue '%s'", arg);
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
		t->no.port = strtol(arg, &end, 10);
		if (*end || t->no.port < 1 || t->no.port > 65535)
			return usage_error(cmd, "bad port '%s'", arg);
		return 0;
	case TO_PID:
		t->no.pid = strtoul(arg, &end, 10);
		if (*end || !t->no.pid)
			return usage_error(cmd, "bad pid '%s'", arg);
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
