/* Small sysfs/procfs file helpers of the platform scanners (devices,
 * platform, taps), and the string checks their parsers share.
 *
 * Every reader takes (dir, name) the way util.h's read_small_file() takes
 * (root, path): dir "" or "/" (or NULL) means name is the whole path, else
 * the two are joined with one '/', so "/sys/class/net/eth0" + "mtu" and a
 * fixture root + "/sys/hypervisor/type" both work.  The readers never
 * fail loudly: a negative errno says the file was not there or not
 * readable, -EINVAL that it held no number; the output is then empty
 * (strings) or untouched (numbers).
 */
#ifndef IOPATH_SYSFS_H
#define IOPATH_SYSFS_H
#include <stdbool.h>
#include <stddef.h>

/* The file's content up to len - 1 bytes, trailing whitespace removed.
 * 0, or -errno with buf "". */
int sysfs_read_str(const char *dir, const char *name, char *buf, size_t len);
/* A number as strtoll(base 0) / strtoull(base 10) reads it: 0, -errno
 * (no file), or -EINVAL (no number). */
int sysfs_read_ll(const char *dir, const char *name, long long *v);
int sysfs_read_ull(const char *dir, const char *name, unsigned long long *v);

bool sysfs_exists(const char *dir, const char *name);
bool sysfs_is_dir(const char *dir, const char *name);

/* Basename of a symlink's target ("../../devices/.../virtio2" ->
 * "virtio2").  Fixtures made without ln(1) may store the target as the
 * content of a small regular file instead; both are accepted.  0, or
 * -errno / -EINVAL (neither a link nor such a file) with out "". */
int sysfs_link_base(const char *dir, const char *name, char *out, size_t len);

/* Entries of a directory whose name starts with prefix ("" = all, dot
 * entries never); 0 when the directory is missing. */
int sysfs_count_entries(const char *dir, const char *name, const char *prefix);

/* The numeric entry names of a directory (msi_irqs/) as a sorted malloc'd
 * array.  0, -errno (no directory: *out NULL, *n 0) or -ENOMEM. */
int sysfs_list_numeric(const char *dir, const char *name, int **out, int *n);

/* Strips trailing whitespace in place. */
void str_rtrim(char *s);
/* Non-empty and only decimal digits. */
bool str_all_digits(const char *s);
/* Bounded copy: an over-long name is kept cut to len - 1 bytes (shown
 * truncated rather than failing a whole scan). */
void str_copy(char *dst, size_t len, const char *src);

#endif
