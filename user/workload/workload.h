/* Traffic iopath can generate itself: UDP/TCP senders and sinks, and the
 * built-in workload (two network namespaces joined by a veth pair, made and
 * removed by iopath) used by `iopath record --workload builtin`. */
#ifndef IOPATH_WORKLOAD_H
#define IOPATH_WORKLOAD_H
#include <stdbool.h>
#include <sys/types.h>

/* Sends `packets` UDP datagrams of `size` bytes to dst:port (sendmmsg
 * batches), or until max_s seconds pass. *sent: datagrams the kernel took. */
int wl_udp_send(const char *dst, int port, unsigned long long packets, int size, double max_s,
		unsigned long long *sent);
/* Receives and discards UDP on port until *stop or max_s. */
int wl_udp_sink(int port, double max_s, unsigned long long *got);
/* Connects and sends `bytes` (TCP); the peer runs wl_tcp_sink. */
int wl_tcp_send(const char *dst, int port, unsigned long long bytes, unsigned long long *sent);
int wl_tcp_sink(int port, double max_s, unsigned long long *got);

struct builtin_wl {
	char ns[2][32];          /* sender, receiver namespaces */
	char veth[2][16];        /* their ends of the pair */
	pid_t sink, sender;
	bool up;
	unsigned long long packets;  /* how many UDP datagrams to send (0: run until stopped) */
	unsigned long long tcp_bytes;/* then a TCP transfer of this many bytes (0: none) */
};

/* Creates the namespaces and the veth pair (IPv6 off, static neighbours, so
 * nothing but the workload crosses it). */
int builtin_setup(struct builtin_wl *w);
/* Starts the sink and the sender in the background. */
int builtin_start(struct builtin_wl *w, double seconds);
/* True once the sender has finished; *status: its waitpid status. */
bool builtin_done(struct builtin_wl *w, int *status);
void builtin_teardown(struct builtin_wl *w);

/* --- the fixed workload (iopath workload suite / peer): the same sizes everywhere --- */

/* UDP request/response: `count` exchanges of `size` bytes to dst:port, one at a time, each
 * waiting at most timeout_ms for its reply (a reply carries the request's sequence number, so
 * a late one is told from the current one). A reply that does not come is counted, never waited
 * for again. 0 or -errno (the socket could not be made; losses are not errors). */
struct wl_rr {
	unsigned long long sent, replies, lost, late;
};
int wl_udp_rr(const char *dst, int port, unsigned count, int size, int timeout_ms, struct wl_rr *res);
/* Echoes each UDP datagram on port back to its sender until SIGTERM or max_s. */
int wl_udp_echo(int port, double max_s, unsigned long long *got);

/* The block generator's PRNG (splitmix64): the same seed gives the same offsets on every
 * machine. wl_rand_offsets fills off[0..n) with block-aligned offsets below span. */
unsigned long long wl_prng_next(unsigned long long *state);
void wl_rand_offsets(unsigned long long seed, unsigned n, unsigned long long span, unsigned block,
		     unsigned long long *off);

/* The device the block phases use, opened O_DIRECT. A block device, or a regular file (tests). */
struct wl_blk {
	int fd;
	unsigned long long size;      /* bytes */
	bool is_dev;
	char name[64];                /* kernel name of a block device ("loop3"), "" for a file */
};
/* Opens path O_DIRECT (write: read-write). 0, or -errno with one line in why; -EBUSY: write
 * and a block device that wl_blk_in_use says is in use (checked before it is opened). */
int wl_blk_open(struct wl_blk *b, const char *path, bool write, char *why, size_t len);
void wl_blk_close(struct wl_blk *b);
/* Whether the block device `name` (kernel name, e.g. "vda") or one of its partitions is mounted
 * (root/proc/self/mounts) or held by another device (root/sys/block/NAME/holders, and each
 * partition's): 1 with why set, 0 not in use, -errno when root/sys/block/NAME cannot be read.
 * root: "" on a live machine, a fixture tree in tests. */
int wl_blk_in_use(const char *root, const char *name, char *why, size_t len);

/* The counters of one block phase. */
struct wl_io {
	unsigned long long ios, bytes, errors;
	double seconds;
};
/* n random 4 KiB reads (offsets of seed below span), one at a time (pread). */
int wl_blk_rand_qd1(struct wl_blk *b, unsigned long long seed, unsigned n, unsigned long long span,
		    struct wl_io *io);
/* n random 4 KiB reads at queue depth qd through Linux AIO (io_setup/io_submit/io_getevents). */
int wl_blk_rand_aio(struct wl_blk *b, unsigned long long seed, unsigned n, unsigned qd,
		    unsigned long long span, struct wl_io *io);
/* n sequential reads (or writes) of `size` bytes from offset 0. */
int wl_blk_seq(struct wl_blk *b, bool write, unsigned n, unsigned size, struct wl_io *io);

/* Phase marks (iopath record, env IOPATH_PHASE_FD): "phase NAME\n" is written and one line read
 * back before the phase starts; NAME "-" ends a phase without starting one. Without the variable
 * (or with a descriptor that does not work: said once) nothing is written. */
void wl_phase_mark(const char *name);

/* iopath workload suite: the phases of the fixed workload (README, "The fixed workload") in their
 * order, each after its phase mark and printing one line. peer: NULL for no network phases; b
 * (opened by wl_blk_open, writable for blk_write): NULL for no block phases. 0 or the first
 * phase's -errno (a failed phase does not stop the others). */
struct wl_suite_opts {
	const char *peer;
	int port;                 /* BASE: echo, BASE+1 stream, BASE+2 TCP, BASE+3 phase marks */
	bool blk_write;
	bool peer_marks;          /* tell the peer each phase mark (BASE+3) */
};
#define WL_PORT_BASE 7100
#define WL_BLK_SPAN (64ull << 20)  /* the block phases stay in the first 64 MiB of the device */
int wl_suite(const struct wl_suite_opts *o, struct wl_blk *b);
/* iopath workload peer: echo on BASE, UDP sink on BASE+1, TCP sink on BASE+2, the suite's phase
 * marks on BASE+3 (marked for an iopath record the peer runs under) for seconds. */
int wl_peer(int port, double seconds);

/* A UDP socket bound to port (every address), recv timing out every 200 ms: fd, or -errno. */
int wl_udp_bound(int port);

/* iopath workload ...: the senders and sinks as a command (tests, lab). */
int cmd_workload(int argc, char **argv);

#endif
