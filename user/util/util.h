/* Small helpers every command uses: diagnostics, privilege check, files. */
#ifndef IOPATH_UTIL_H
#define IOPATH_UTIL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Elements of an array (not a pointer). */
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

extern int iop_verbose; /* -v count */

/* One-line diagnostics on stderr, prefixed "iopath: ". */
void iop_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void iop_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void iop_dbg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* 0 when the process may load BPF and open perf events (root, or both
 * CAP_BPF and CAP_PERFMON), else -EPERM with why in msg. */
int iop_check_privileges(char *msg, size_t len);

/* Reads a whole small file under root ("" or "/" = live system) into buf,
 * NUL-terminated, trailing newline stripped. Returns length or -errno. */
int read_small_file(const char *root, const char *path, char *buf, size_t len);

/* Joins root and path into out; returns out. */
char *root_path(char *out, size_t len, const char *root, const char *path);

/* Monotonic clock in nanoseconds. */
unsigned long long now_ns(void);

/* Routes libbpf's own log to stderr when -v is given (libbpf-tools convention). */
void iop_setup_libbpf_log(void);

#endif
