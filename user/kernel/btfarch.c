#include "kernel/btfarch.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);

	return n >= t && !strcmp(s + n - t, tail);
}

const struct btfarch_entry *btfarch_find(const char *release, const char *version,
					 const struct btfarch_entry **near)
{
	*near = NULL;
	for (size_t i = 0; i < btfarch_count; i++) {
		const struct btfarch_entry *e = &btfarch_entries[i];

		if (strcmp(e->release, release))
			continue;
		if (ends_with(version, e->build))
			return e;
		*near = e;
	}
	return NULL;
}

int btfarch_path(const struct btfarch_entry *e, char *path, size_t len)
{
	/* one memfd per entry for the process's life: every libbpf open reads the same file
	 * (fds[i] is the fd + 1: 0 is none yet) */
	static int fds[64];
	size_t i = (size_t)(e - btfarch_entries);
	int fd;

	if (i >= btfarch_count || i >= sizeof(fds) / sizeof(fds[0]))
		return -EINVAL;
	if (!fds[i]) {
		const unsigned char *p = e->data;
		size_t left = e->size;

		fd = memfd_create("iopath-builtin-btf", MFD_CLOEXEC | MFD_ALLOW_SEALING);
		if (fd < 0)
			return -errno;
		while (left) {
			ssize_t n = write(fd, p, left);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				int err = n < 0 ? -errno : -EIO;

				close(fd);
				return err;
			}
			p += n;
			left -= (size_t)n;
		}
		/* read-only from here: nothing the process does can change what CO-RE reads */
		fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL);
		fds[i] = fd + 1;
	}
	snprintf(path, len, "/proc/self/fd/%d", fds[i] - 1);
	return 0;
}
