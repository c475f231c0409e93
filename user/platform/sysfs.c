/* sysfs/procfs file helpers (sysfs.h), on top of util.h's read_small_file()
 * and root_path(). */
#include "platform/sysfs.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "util/util.h"

void str_rtrim(char *s)
{
	size_t n = strlen(s);

	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
}

bool str_all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

void str_copy(char *dst, size_t len, const char *src)
{
	size_t n = strlen(src);

	if (!len)
		return;
	if (n >= len)
		n = len - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

int sysfs_read_str(const char *dir, const char *name, char *buf, size_t len)
{
	int n = read_small_file(dir, name, buf, len);

	if (n < 0) {
		if (len)
			buf[0] = '\0';
		return n;
	}
	/* read_small_file strips newlines and blanks; sysfs and fixture
	 * files may also end in tabs or "\r\n". */
	str_rtrim(buf);
	return 0;
}

/* A number in a file: strtoll base 0 into *sv, or strtoull base 10 into
 * *uv. */
static int read_num(const char *dir, const char *name, long long *sv,
		    unsigned long long *uv)
{
	char buf[64], *end;
	long long s = 0;
	unsigned long long u = 0;
	int err = sysfs_read_str(dir, name, buf, sizeof(buf));

	if (err)
		return err;
	if (sv)
		s = strtoll(buf, &end, 0);
	else
		u = strtoull(buf, &end, 10);
	if (end == buf)
		return -EINVAL;
	if (sv)
		*sv = s;
	else
		*uv = u;
	return 0;
}

int sysfs_read_ll(const char *dir, const char *name, long long *v)
{
	return read_num(dir, name, v, NULL);
}

int sysfs_read_ull(const char *dir, const char *name, unsigned long long *v)
{
	return read_num(dir, name, NULL, v);
}

bool sysfs_exists(const char *dir, const char *name)
{
	char path[PATH_MAX];

	return !access(root_path(path, sizeof(path), dir, name), F_OK);
}

bool sysfs_is_dir(const char *dir, const char *name)
{
	char path[PATH_MAX];
	struct stat st;

	return !stat(root_path(path, sizeof(path), dir, name), &st) &&
	       S_ISDIR(st.st_mode);
}

int sysfs_link_base(const char *dir, const char *name, char *out, size_t len)
{
	char path[PATH_MAX], tgt[PATH_MAX];
	const char *b;
	ssize_t n;

	out[0] = '\0';
	root_path(path, sizeof(path), dir, name);
	n = readlink(path, tgt, sizeof(tgt) - 1);
	if (n < 0) {
		if (errno != EINVAL)
			return -errno;
		if (sysfs_read_str("", path, tgt, sizeof(tgt)) || !tgt[0])
			return -EINVAL;
	} else {
		tgt[n] = '\0';
	}
	str_rtrim(tgt);
	n = strlen(tgt);
	while (n > 1 && tgt[n - 1] == '/')
		tgt[--n] = '\0';
	b = strrchr(tgt, '/');
	str_copy(out, len, b ? b + 1 : tgt);
	return 0;
}

int sysfs_count_entries(const char *dir, const char *name, const char *prefix)
{
	char path[PATH_MAX];
	size_t pl = strlen(prefix);
	struct dirent *de;
	int n = 0;
	DIR *d;

	d = opendir(root_path(path, sizeof(path), dir, name));
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (!strncmp(de->d_name, prefix, pl))
			n++;
	}
	closedir(d);
	return n;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

int sysfs_list_numeric(const char *dir, const char *name, int **out, int *n)
{
	char path[PATH_MAX];
	struct dirent *de;
	int *v = NULL, cap = 0;
	DIR *d;

	*out = NULL;
	*n = 0;
	d = opendir(root_path(path, sizeof(path), dir, name));
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (!str_all_digits(de->d_name))
			continue;
		if (*n == cap) {
			int *nv;

			cap = cap ? cap * 2 : 16;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				free(v);
				*n = 0;
				closedir(d);
				return -ENOMEM;
			}
			v = nv;
		}
		v[(*n)++] = atoi(de->d_name);
	}
	closedir(d);
	qsort(v, *n, sizeof(*v), cmp_int);
	*out = v;
	return 0;
}
