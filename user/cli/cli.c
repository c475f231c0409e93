#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "platform/platform.h"
#include "kernel/profiles.h"
#include "kernel/resolve.h"
#include "record/outfile.h"
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
	return EXIT_RUNTIME;
}

static bool runnable(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode) && !access(path, X_OK);
}

int check_command(const char *cmd, char *const argv[])
{
	const char *path = getenv("PATH"), *p;
	char buf[4096];

	if (strchr(argv[0], '/')) {
		if (runnable(argv[0]))
			return 0;
		fprintf(stderr, "iopath %s: cannot run %s: %s\n", cmd, argv[0],
			access(argv[0], F_OK) ? strerror(errno) : "not an executable file");
		return EXIT_USAGE;
	}
	/* execvp's search: PATH, or its default when PATH is unset; an empty entry is "." */
	for (p = path ? path : "/bin:/usr/bin"; ; p = strchr(p, ':') + 1) {
		size_t n = strchrnul(p, ':') - p;

		if (snprintf(buf, sizeof(buf), "%.*s/%s", n ? (int)n : 1, n ? p : ".", argv[0]) < (int)sizeof(buf) &&
		    runnable(buf))
			return 0;
		if (!p[n])
			break;
	}
	fprintf(stderr, "iopath %s: command '%s' not found in PATH\n", cmd, argv[0]);
	return EXIT_USAGE;
}

pid_t spawn_command_held(char *const argv[], bool stdout_to_stderr, int (*before_exec)(pid_t, void *),
			 void *arg)
{
	int go[2] = { -1, -1 }, err;
	pid_t pid;
	char c;

	if (before_exec && pipe2(go, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		err = -errno;
		if (before_exec) {
			close(go[0]);
			close(go[1]);
		}
		return err;
	}
	if (!pid) {
		signal(SIGPIPE, SIG_DFL);   /* an ignored signal stays ignored across exec */
		if (before_exec) {
			close(go[1]);
			/* the parent said why when it gives up (EOF without the byte) */
			if (read(go[0], &c, 1) != 1)
				_exit(127);
		}
		if (stdout_to_stderr && dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
			_exit(127);
		execvp(argv[0], argv);
		fprintf(stderr, "iopath: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (!before_exec)
		return pid;
	close(go[0]);
	if ((err = before_exec(pid, arg)) || write(go[1], "g", 1) != 1) {
		err = err ? err : -errno;
		close(go[1]);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return err < 0 ? err : -err;
	}
	close(go[1]);
	return pid;
}

pid_t spawn_command(char *const argv[], bool stdout_to_stderr)
{
	return spawn_command_held(argv, stdout_to_stderr, NULL, NULL);
}

int wait_code(int wstatus)
{
	return WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
}

int command_exit(const char *cmd, const char *what, int wstatus)
{
	if (wstatus == -1 || (WIFEXITED(wstatus) && !WEXITSTATUS(wstatus)))
		return EXIT_OK;
	if (WIFEXITED(wstatus))
		fprintf(stderr, "iopath %s: %s failed with exit status %d (the trace itself is complete)\n",
			cmd, what, WEXITSTATUS(wstatus));
	else
		fprintf(stderr, "iopath %s: %s was killed by signal %d, %s (the trace itself is complete)\n",
			cmd, what, WTERMSIG(wstatus), strsignal(WTERMSIG(wstatus)));
	return EXIT_COMMAND;
}

int open_output(const char *cmd, const char *opt, const char *path, struct outfile *o)
{
	char why[PATH_MAX + 64];

	if (!outfile_open(o, path, why, sizeof(why)))
		return 0;
	fprintf(stderr, "iopath %s: cannot write %s %s: %s\n", cmd, opt, path, why);
	return EXIT_USAGE;
}
