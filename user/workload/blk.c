/* The block half of the fixed workload: O_DIRECT reads and writes of a device at queue depth 1
 * (pread) and deeper (Linux AIO through the raw syscalls, so no library), random offsets from a
 * fixed-seed PRNG so that every machine reads the same blocks, and the check that keeps
 * --blk-write off a device something uses. */
#include "workload/workload.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/aio_abi.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "util/util.h"

#define WL_BLOCK 4096u

/* splitmix64 (Steele, Lea, Flood 2014): small, fast, and the same numbers on every platform. */
unsigned long long wl_prng_next(unsigned long long *state)
{
	unsigned long long z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void wl_rand_offsets(unsigned long long seed, unsigned n, unsigned long long span, unsigned block,
		     unsigned long long *off)
{
	unsigned long long st = seed, blocks = span / block;

	for (unsigned i = 0; i < n; i++)
		off[i] = blocks ? wl_prng_next(&st) % blocks * block : 0;
}

/* The kernel name of a block device node ("loop3" for /dev/loop3), from sysfs. */
static int dev_name(dev_t rdev, char *name, size_t len)
{
	char p[64], link[PATH_MAX];
	ssize_t n;

	snprintf(p, sizeof(p), "/sys/dev/block/%u:%u", major(rdev), minor(rdev));
	n = readlink(p, link, sizeof(link) - 1);
	if (n < 0)
		return -errno;
	link[n] = 0;
	snprintf(name, len, "%.*s", (int)len - 1, strrchr(link, '/') ? strrchr(link, '/') + 1 : link);
	return 0;
}

int wl_blk_open(struct wl_blk *b, const char *path, bool write, char *why, size_t len)
{
	struct stat st;
	int err;

	memset(b, 0, sizeof(*b));
	b->fd = -1;
	if (stat(path, &st)) {
		err = -errno;
		snprintf(why, len, "%s: %s", path, strerror(errno));
		return err;
	}
	if (!S_ISBLK(st.st_mode) && !S_ISREG(st.st_mode)) {
		snprintf(why, len, "%s is not a block device (nor a regular file)", path);
		return -ENOTBLK;
	}
	/* a device to be overwritten is checked before it is even opened for writing */
	if (write && S_ISBLK(st.st_mode)) {
		char name[64];
		int r;

		if (dev_name(st.st_rdev, name, sizeof(name))) {
			snprintf(why, len, "%s: no sysfs entry for block device %u:%u", path, major(st.st_rdev),
				 minor(st.st_rdev));
			return -ENODEV;
		}
		if ((r = wl_blk_in_use("", name, why, len))) {
			if (r < 0)
				snprintf(why, len, "cannot tell whether %s is in use: %s", path, strerror(-r));
			return r < 0 ? r : -EBUSY;
		}
	}
	b->fd = open(path, (write ? O_RDWR : O_RDONLY) | O_DIRECT | O_CLOEXEC);
	if (b->fd < 0) {
		err = -errno;
		snprintf(why, len, "cannot open %s with O_DIRECT: %s", path, strerror(errno));
		return err;
	}
	if (fstat(b->fd, &st))
		goto errno_out;
	if (S_ISBLK(st.st_mode)) {
		b->is_dev = true;
		if (ioctl(b->fd, BLKGETSIZE64, &b->size))
			goto errno_out;
		if ((err = dev_name(st.st_rdev, b->name, sizeof(b->name)))) {
			snprintf(why, len, "%s: no sysfs entry for block device %u:%u", path,
				 major(st.st_rdev), minor(st.st_rdev));
			wl_blk_close(b);
			return err;
		}
	} else {
		b->size = st.st_size;
	}
	return 0;
errno_out:
	err = -errno;
	snprintf(why, len, "%s: %s", path, strerror(errno));
	wl_blk_close(b);
	return err;
}

void wl_blk_close(struct wl_blk *b)
{
	if (b->fd >= 0)
		close(b->fd);
	b->fd = -1;
}

/* Whether disk (or its partition part) has a non-empty root/sys/block/DISK[/PART]/holders: a
 * device-mapper, md or bcache device built on it. */
static bool held(const char *root, const char *disk, const char *part, char *why, size_t len)
{
	char p[PATH_MAX];
	struct dirent *e;
	DIR *d;
	bool any = false;

	snprintf(p, sizeof(p), "%s/sys/block/%s%s%s/holders", root, disk, part ? "/" : "", part ? part : "");
	d = opendir(p);
	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.') {
			snprintf(why, len, "%s is held by %s", part ? part : disk, e->d_name);
			any = true;
			break;
		}
	if (d)
		closedir(d);
	return any;
}

/* The partitions of disk (root/sys/block/DISK/NAME/partition exists) into parts, at most max. */
static int partitions(const char *root, const char *disk, char (*parts)[64], int max)
{
	char p[PATH_MAX];
	struct dirent *e;
	int n = 0;
	DIR *d;

	snprintf(p, sizeof(p), "%s/sys/block/%s", root, disk);
	d = opendir(p);
	if (!d)
		return -errno;
	while ((e = readdir(d)) && n < max) {
		struct stat st;

		snprintf(p, sizeof(p), "%s/sys/block/%s/%s/partition", root, disk, e->d_name);
		if (e->d_name[0] != '.' && !stat(p, &st))
			snprintf(parts[n++], sizeof(parts[0]), "%.63s", e->d_name);
	}
	closedir(d);
	return n;
}

/* The kernel name of a mount source ("/dev/mapper/x" -> "dm-0", "/dev/vda1" -> "vda1"): the
 * basename of where the node's path leads. */
static void source_name(const char *root, const char *src, char *name, size_t len)
{
	char p[PATH_MAX], real[PATH_MAX];
	const char *b;

	snprintf(p, sizeof(p), "%s%s", root, src);
	b = realpath(p, real) ? real : src;
	snprintf(name, len, "%.*s", (int)len - 1, strrchr(b, '/') ? strrchr(b, '/') + 1 : b);
}

int wl_blk_in_use(const char *root, const char *name, char *why, size_t len)
{
	char parts[128][64], p[PATH_MAX], src[PATH_MAX], dir[PATH_MAX], sname[64];
	int np = partitions(root, name, parts, 128);
	FILE *f;

	if (np < 0)
		return np;
	if (held(root, name, NULL, why, len))
		return 1;
	for (int i = 0; i < np; i++)
		if (held(root, name, parts[i], why, len))
			return 1;
	snprintf(p, sizeof(p), "%s/proc/self/mounts", root);
	f = fopen(p, "r");
	if (!f)
		return -errno;
	while (fscanf(f, "%4095s %4095s %*[^\n]", src, dir) == 2) {
		if (strncmp(src, "/dev/", 5))
			continue;
		source_name(root, src, sname, sizeof(sname));
		for (int i = -1; i < np; i++)
			if (!strcmp(sname, i < 0 ? name : parts[i])) {
				snprintf(why, len, "%s is mounted on %s", sname, dir);
				fclose(f);
				return 1;
			}
	}
	fclose(f);
	return 0;
}

static void *aligned(size_t size)
{
	void *p = NULL;

	return posix_memalign(&p, WL_BLOCK, size) ? NULL : p;
}

static bool fits(const struct wl_blk *b, unsigned long long span)
{
	return b->size >= span;
}

int wl_blk_rand_qd1(struct wl_blk *b, unsigned long long seed, unsigned n, unsigned long long span,
		    struct wl_io *io)
{
	unsigned long long *off = calloc(n ? n : 1, sizeof(*off)), t0 = now_ns();
	void *buf = aligned(WL_BLOCK);

	memset(io, 0, sizeof(*io));
	if (!off || !buf) {
		free(off);
		free(buf);
		return -ENOMEM;
	}
	wl_rand_offsets(seed, n, fits(b, span) ? span : b->size, WL_BLOCK, off);
	for (unsigned i = 0; i < n; i++) {
		ssize_t r = pread(b->fd, buf, WL_BLOCK, off[i]);

		io->ios++;
		if (r == WL_BLOCK)
			io->bytes += r;
		else
			io->errors++;
	}
	io->seconds = (now_ns() - t0) / 1e9;
	free(off);
	free(buf);
	return 0;
}

/* The Linux AIO syscalls (glibc has no wrappers; libaio would be a new dependency). */
static long io_setup_(unsigned nr, aio_context_t *ctx) { return syscall(SYS_io_setup, nr, ctx); }
static long io_destroy_(aio_context_t ctx) { return syscall(SYS_io_destroy, ctx); }
static long io_submit_(aio_context_t ctx, long n, struct iocb **cbs) { return syscall(SYS_io_submit, ctx, n, cbs); }
static long io_getevents_(aio_context_t ctx, long min, long max, struct io_event *ev)
{
	return syscall(SYS_io_getevents, ctx, min, max, ev, NULL);
}

int wl_blk_rand_aio(struct wl_blk *b, unsigned long long seed, unsigned n, unsigned qd,
		    unsigned long long span, struct wl_io *io)
{
	unsigned long long *off = calloc(n ? n : 1, sizeof(*off)), t0 = now_ns();
	struct iocb *cb = calloc(qd, sizeof(*cb)), *one;
	struct io_event *ev = calloc(qd, sizeof(*ev));
	char *buf = aligned((size_t)qd * WL_BLOCK);
	aio_context_t ctx = 0;
	unsigned next = 0, done = 0, busy = 0;
	int err = 0;

	memset(io, 0, sizeof(*io));
	if (!off || !cb || !ev || !buf) {
		err = -ENOMEM;
		goto out;
	}
	wl_rand_offsets(seed, n, fits(b, span) ? span : b->size, WL_BLOCK, off);
	if (io_setup_(qd, &ctx)) {
		err = -errno;
		goto out;
	}
	/* keep qd requests in flight: each slot, when its request completes, takes the next offset */
	while (done < n) {
		for (unsigned s = 0; s < qd && next < n && busy < qd; s++) {
			if (cb[s].aio_data)
				continue;   /* slot in flight */
			memset(&cb[s], 0, sizeof(cb[s]));
			cb[s].aio_fildes = b->fd;
			cb[s].aio_lio_opcode = IOCB_CMD_PREAD;
			cb[s].aio_buf = (unsigned long long)(unsigned long)(buf + (size_t)s * WL_BLOCK);
			cb[s].aio_nbytes = WL_BLOCK;
			cb[s].aio_offset = off[next++];
			cb[s].aio_data = s + 1;
			one = &cb[s];
			if (io_submit_(ctx, 1, &one) != 1) {
				err = -errno;
				goto out;
			}
			busy++;
			io->ios++;
		}
		long got = io_getevents_(ctx, 1, qd, ev);

		if (got < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			goto out;
		}
		for (long i = 0; i < got; i++) {
			unsigned s = ev[i].data - 1;

			if (ev[i].res == WL_BLOCK)
				io->bytes += WL_BLOCK;
			else
				io->errors++;
			cb[s].aio_data = 0;
			busy--;
			done++;
		}
	}
out:
	io->seconds = (now_ns() - t0) / 1e9;
	/* io_destroy waits for what is still in flight (an error path), so buf outlives it */
	if (ctx)
		io_destroy_(ctx);
	free(off);
	free(cb);
	free(ev);
	free(buf);
	return err;
}

int wl_blk_seq(struct wl_blk *b, bool write, unsigned n, unsigned size, struct wl_io *io)
{
	char *buf = aligned(size);
	unsigned long long t0 = now_ns();

	memset(io, 0, sizeof(*io));
	if (!buf)
		return -ENOMEM;
	/* what the writes leave on the device: a pattern, not old memory. No fdatasync after them: its
	 * flush would be one more request in the phase than the 16 writes it is meant to measure */
	memset(buf, 0x5a, size);
	for (unsigned i = 0; i < n; i++) {
		ssize_t r = write ? pwrite(b->fd, buf, size, (off_t)i * size) : pread(b->fd, buf, size, (off_t)i * size);

		io->ios++;
		if (r == (ssize_t)size)
			io->bytes += r;
		else
			io->errors++;
	}
	io->seconds = (now_ns() - t0) / 1e9;
	free(buf);
	return 0;
}
