/* The errno values BPF helpers return (negated), by name. vmlinux.h has
 * types only, no macros, and the BPF target has no libc: the numbers are the
 * kernel's, include/uapi/asm-generic/errno-base.h and errno.h, which x86
 * uses as they are (bcc libbpf-tools' maps.bpf.h pulls in the same file). */
#ifndef IOPATH_BPF_LIB_ERRNO_H
#define IOPATH_BPF_LIB_ERRNO_H

#ifndef ENOENT
#define ENOENT 2        /* no such key (delete, BPF_EXIST update) */
#endif
#ifndef E2BIG
#define E2BIG 7         /* hash map full: a new key past max_entries */
#endif
#ifndef ENOMEM
#define ENOMEM 12       /* element allocation failed (non-preallocated maps) */
#endif
#ifndef EBUSY
#define EBUSY 16        /* bucket lock held by a handler this one interrupted */
#endif
#ifndef EEXIST
#define EEXIST 17       /* BPF_NOEXIST on a key that is there */
#endif
#ifndef EINVAL
#define EINVAL 22
#endif
#ifndef EDEADLK
#define EDEADLK 35      /* rqspinlock (6.15+): the bucket lock would deadlock */
#endif
#ifndef ETIMEDOUT
#define ETIMEDOUT 110   /* rqspinlock (6.15+): the bucket lock timed out */
#endif

#endif
