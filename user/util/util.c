#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdarg.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>

int iop_verbose;

static void vmsg(const char *kind, const char *fmt, va_list ap)
{
	fprintf(stderr, "iopath: %s", kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void iop_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
}

void iop_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("warning: ", fmt, ap);
	va_end(ap);
}

void iop_dbg(const char *fmt, ...)
{
	va_list ap;

	if (!iop_verbose)
		return;
	va_start(ap, fmt);
	vmsg("debug: ", fmt, ap);
	va_end(ap);
}

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

int iop_check_privileges(char *msg, size_t len)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2] = {};
	bool sys_admin, bpf, perfmon;

	if (syscall(SYS_capget, &hdr, data) < 0) {
		snprintf(msg, len, "cannot read capabilities: %s", strerror(errno));
		return -errno;
	}
#define HAS(c) (data[(c) / 32].effective & (1u << ((c) % 32)))
	sys_admin = HAS(CAP_SYS_ADMIN);
	bpf = HAS(CAP_BPF);
	perfmon = HAS(CAP_PERFMON);
#undef HAS
	if (sys_admin || (bpf && perfmon))
		return 0;
	snprintf(msg, len, "needs root (or CAP_BPF and CAP_PERFMON) to load BPF programs; "
		 "running as uid %d without them", (int)geteuid());
	return -EPERM;
}

char *root_path(char *out, size_t len, const char *root, const char *path)
{
	if (!root || !*root || (root[0] == '/' && !root[1]))
		snprintf(out, len, "%s", path);
	else
		snprintf(out, len, "%s%s%s", root, path[0] == '/' ? "" : "/", path);
	return out;
}

int read_small_file(const char *root, const char *path, char *buf, size_t len)
{
	char p[4096];
	ssize_t n;
	int fd;

	if (!len)
		return -EINVAL;
	fd = open(root_path(p, sizeof(p), root, path), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	close(fd);
	buf[n] = 0;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = 0;
	return (int)n;
}

unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG && iop_verbose < 2)
		return 0;
	if (!iop_verbose)
		return 0;
	/* libbpf's own messages start with "libbpf: " already; only the rest get it */
	if (strncmp(fmt, "libbpf: ", 8))
		fputs("libbpf: ", stderr);
	return vfprintf(stderr, fmt, ap);
}

void iop_setup_libbpf_log(void)
{
	libbpf_set_print(libbpf_print);
}
