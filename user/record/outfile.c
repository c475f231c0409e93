#include "record/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/util.h"

#define MAX_LINKS 40   /* the kernel's own limit on a symlink chain (MAXSYMLINKS) */

/* err gets one line; returns -e */
static int __attribute__((format(printf, 4, 5))) fail(char *err, size_t len, int e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -e;
}

/* dir and base of p ("x" -> ".", "x"; "/x" -> "/", "x"). */
static void split(const char *p, char *dir, char *base)
{
	const char *slash = strrchr(p, '/');

	if (!slash) {
		strcpy(dir, ".");
		strcpy(base, p);
		return;
	}
	snprintf(dir, PATH_MAX, "%.*s", slash == p ? 1 : (int)(slash - p), p);
	strcpy(base, slash + 1);
}

/* The file a regular or not yet existing path writes: symlinks followed (a dangling one names the
 * file to create), its directory resolved. The directory must exist. */
static int resolve(const char *path, char *out, char *err, size_t len)
{
	char cur[PATH_MAX], dir[PATH_MAX], base[PATH_MAX], rdir[PATH_MAX];
	struct stat st;

	snprintf(cur, sizeof(cur), "%s", path);
	for (int hops = 0; hops <= MAX_LINKS; hops++) {
		if (!lstat(cur, &st) && S_ISLNK(st.st_mode)) {
			char link[PATH_MAX];
			ssize_t n = readlink(cur, link, sizeof(link) - 1);

			if (n < 0)
				return fail(err, len, errno, "cannot read the symlink: %s", strerror(errno));
			link[n] = 0;
			split(cur, dir, base);   /* a relative link is relative to the link's directory */
			if (snprintf(cur, sizeof(cur), "%s%s%s", link[0] == '/' ? "" : dir, link[0] == '/' ? "" : "/",
				     link) >= (int)sizeof(cur))
				return fail(err, len, ENAMETOOLONG, "%s", strerror(ENAMETOOLONG));
			continue;
		}
		split(cur, dir, base);
		if (!base[0] || !strcmp(base, ".") || !strcmp(base, ".."))
			return fail(err, len, EISDIR, "names a directory, not a file");
		if (!realpath(dir, rdir))
			return errno == ENOENT ? fail(err, len, ENOENT, "no directory %s", dir)
					       : fail(err, len, errno, "%s", strerror(errno));
		if (snprintf(out, PATH_MAX, "%s/%s", strcmp(rdir, "/") ? rdir : "", base) >= PATH_MAX)
			return fail(err, len, ENAMETOOLONG, "%s", strerror(ENAMETOOLONG));
		return 0;
	}
	return fail(err, len, ELOOP, "%s", strerror(ELOOP));
}

static int temp_name(const struct outfile *o, char *tmp)
{
	return snprintf(tmp, PATH_MAX, "%s.tmp.%d", o->target, (int)getpid()) >= PATH_MAX ? -ENAMETOOLONG : 0;
}

/* Creates and removes the temp file: the directory takes new files now (permissions, a read-only
 * file system, inodes), which rename at the end needs. */
static int probe_dir(const struct outfile *o, char *err, size_t len)
{
	char tmp[PATH_MAX];
	int fd;

	if (temp_name(o, tmp))
		return fail(err, len, ENAMETOOLONG, "%s", strerror(ENAMETOOLONG));
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		int e = errno;
		char dir[PATH_MAX], base[PATH_MAX];

		split(o->target, dir, base);
		snprintf(err, len, "cannot create files in %s: %s", dir, strerror(e));
		return -e;
	}
	close(fd);
	unlink(tmp);
	return 0;
}

/* A character device or a FIFO: opened for writing as it is, never created or truncated. A FIFO
 * without a reader: say so, then wait for one (the open blocks), as a shell's redirection does. */
static int open_stream(struct outfile *o, bool fifo, char *err, size_t len)
{
	int flags = O_WRONLY | O_CLOEXEC | O_NOCTTY;
	struct stat st;

	o->fd = open(o->path, flags | (fifo ? O_NONBLOCK : 0));
	if (o->fd < 0 && fifo && errno == ENXIO) {
		iop_warn("%s: waiting for a reader on this FIFO", o->path);
		o->fd = open(o->path, flags);
	}
	if (o->fd < 0)
		return fail(err, len, errno, "%s", strerror(errno));
	if (fifo)
		fcntl(o->fd, F_SETFL, fcntl(o->fd, F_GETFL) & ~O_NONBLOCK);
	/* the name may have been replaced between stat and open: only what was checked is written */
	if (fstat(o->fd, &st) || !(S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))) {
		close(o->fd);
		o->fd = -1;
		return fail(err, len, EAGAIN, "changed while being opened");
	}
	o->stream = true;
	return 0;
}

int outfile_open(struct outfile *o, const char *path, char *err, size_t len)
{
	struct stat st;
	int ret;

	memset(o, 0, sizeof(*o));
	o->fd = -1;
	if (snprintf(o->path, sizeof(o->path), "%s", path) >= (int)sizeof(o->path))
		return fail(err, len, ENAMETOOLONG, "%s", strerror(ENAMETOOLONG));
	if (!path[0])
		return fail(err, len, ENOENT, "empty file name");
	if (!stat(path, &st)) {
		if (S_ISDIR(st.st_mode))
			return fail(err, len, EISDIR, "is a directory");
		if (S_ISBLK(st.st_mode))
			return fail(err, len, EINVAL, "is a block device (a recording written there would overwrite the disk)");
		if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))
			return open_stream(o, S_ISFIFO(st.st_mode), err, len);
		if (!S_ISREG(st.st_mode))
			return fail(err, len, EINVAL, "is not a file, a character device or a pipe");
	} else if (errno != ENOENT) {
		return fail(err, len, errno, "%s", strerror(errno));
	}
	/* a regular file, or a name to create (maybe through a dangling symlink) */
	if ((ret = resolve(path, o->target, err, len)))
		return ret;
	if (!stat(o->target, &st) && !S_ISREG(st.st_mode))   /* a directory at the link's end */
		return fail(err, len, EISDIR, "points to something that is not a regular file");
	return probe_dir(o, err, len);
}

static int write_all(int fd, const void *buf, size_t len)
{
	size_t off = 0;

	while (off < len) {
		ssize_t n = write(fd, (const char *)buf + off, len - off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		off += n;
	}
	return 0;
}

/* The rename is on disk once the directory is: without this a crash could leave the old file. */
static void sync_dir(const char *target)
{
	char dir[PATH_MAX], base[PATH_MAX];
	int fd;

	split(target, dir, base);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);   /* best effort: some file systems refuse fsync on a directory */
		close(fd);
	}
}

static int write_atomic(struct outfile *o, const void *buf, size_t len)
{
	char tmp[PATH_MAX];
	int fd, err;

	if ((err = temp_name(o, tmp)))
		return err;
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	err = write_all(fd, buf, len);
	if (!err && fsync(fd))
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	if (!err && rename(tmp, o->target))
		err = -errno;
	if (err)
		unlink(tmp);
	else
		sync_dir(o->target);
	return err;
}

int outfile_write(struct outfile *o, const void *buf, size_t len)
{
	if (!o->stream)
		return write_atomic(o, buf, len);
	if (o->written)
		return -EALREADY;
	o->written = true;
	return write_all(o->fd, buf, len);
}

bool outfile_rewritable(const struct outfile *o)
{
	return !o->stream;
}

void outfile_close(struct outfile *o)
{
	if (o->stream && o->fd >= 0)
		close(o->fd);
	o->fd = -1;
}
