#include "cli/cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "platform/platform.h"
#include "kernel/profiles.h"
#include "kernel/resolve.h"
#include "util/util.h"

int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "iopath %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see 'iopath %s --help')\n", cmd);
	return EXIT_USAGE;
}

int bad_option(const char *cmd, int opt, int optopt, char **argv, int optind)
{
	const char *arg = argv[optind - 1];

	if (opt == ':')
		return usage_error(cmd, "option '%s' needs a value", arg);
	if (optopt && optopt != '?' && arg && arg[0] == '-' && arg[1] != '-')
		return usage_error(cmd, "unknown option '-%c'", optopt);
	return usage_error(cmd, "unknown option '%s'", arg);
}

int require_privileges(void)
{
	char msg[256];

	if (!iop_check_privileges(msg, sizeof(msg)))
		return 0;
	iop_err("%s", msg);
	return 1;
}
