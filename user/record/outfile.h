/* The files iopath record writes (-o FILE, --json-file FILE), checked and opened when the command
 * starts, before anything is loaded or traced (as perf does), so a bad place costs a second, not a
 * recording; written at the end, and a recording also at each checkpoint.
 *
 * What the path names decides how it is written:
 *   - a regular file, or a new name in a directory that exists: atomically. The content goes to a
 *     temp file TARGET.tmp.PID (mode 0600) in the target's own directory, is fsynced, renamed over the
 *     target, and the directory fsynced: a reader (or a crash) sees the old file or the new one, never
 *     half of one. A symlink (chain) is followed: TARGET is the file it points to, which is replaced;
 *     the link stays a link.
 *   - a character device, a FIFO or a pipe (/dev/null, /dev/fd/N, bash's >(gzip > x.gz)): opened
 *     here, kept open, written straight through, once; no temp file, no rename. Nothing is created,
 *     truncated, chmod'ed or replaced: a device node stays the node it was.
 *   - anything else is refused here: a directory, a name in a directory that does not exist, a block
 *     device (a recording written there would overwrite a disk), a socket, a directory iopath cannot
 *     create files in (tested by creating and removing the temp file: a read-only file system, no
 *     space for an inode, permissions).
 * A FIFO nobody reads yet makes outfile_open wait for a reader, as a shell's `> fifo` does (it says so
 * on stderr first). Writers must ignore SIGPIPE: a reader gone is -EPIPE from outfile_write. */
#ifndef IOPATH_RECORD_OUTFILE_H
#define IOPATH_RECORD_OUTFILE_H
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

struct outfile {
	char path[PATH_MAX];     /* as given, for messages */
	char target[PATH_MAX];   /* atomic: the file that is replaced (symlinks resolved) */
	int fd;                  /* a stream: open since outfile_open; -1 otherwise */
	bool stream;             /* character device, FIFO or pipe */
	bool written;            /* a stream has had its one write */
};

/* 0, or -errno with one line saying why (without the path) in err: "is a directory",
 * "no directory /nonexistent", ... Nothing is left behind either way. */
int outfile_open(struct outfile *o, const char *path, char *err, size_t errlen);
/* Writes buf as the file's whole content: 0 or -errno. Atomic targets may be written again (a
 * checkpoint, then another, then the end: each replaces the last); a stream only once (-EALREADY). */
int outfile_write(struct outfile *o, const void *buf, size_t len);
/* Whether the content can be replaced later (checkpoints): atomic targets only. */
bool outfile_rewritable(const struct outfile *o);
/* Closes a stream; safe on a zeroed or closed outfile. */
void outfile_close(struct outfile *o);

#endif
