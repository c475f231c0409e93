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

/* iopath workload ...: the senders and sinks as a command (tests, lab). */
int cmd_workload(int argc, char **argv);

#endif
