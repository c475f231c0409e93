/* The tap interfaces of each process (a VMM's guest NICs) and their packet
 * counters, so a KVM host report can give exits per guest packet without
 * being told the guest's packet count.
 *
 * Tap and tun interfaces are the ones with /sys/class/net/IF/tun_flags. A
 * process holds one through a /dev/net/tun file descriptor whose
 * /proc/PID/fdinfo/FD names it ("iff:\ttap0"); with vhost-net the VMM still
 * holds that descriptor. The counters are the guest's seen from the other
 * side: what the guest sends, the tap receives (rx_packets), and what the tap
 * transmits reaches the guest (tx_packets). Owners are collected more than
 * once over a recording (a VM started by the recorded command, on a tap made
 * beforehand, holds it only while it runs; the tap outlives it).
 * Sources under a root prefix ("" for the live system) so fixture trees
 * replay them. */
#ifndef IOPATH_TAPS_H
#define IOPATH_TAPS_H
#include <stddef.h>

#define TAP_MAX 256
#define TAP_IFNAME 16

struct tap_ent {
	char ifname[TAP_IFNAME];
	unsigned long long rx_packets, tx_packets;   /* the interface's counters */
};

struct tap_own {
	unsigned int pid;
	char ifname[TAP_IFNAME];
};

struct tap_snap {
	int n, nown;
	int truncated;       /* more than TAP_MAX interfaces or owners: the rest not read */
	struct tap_ent e[TAP_MAX];
	struct tap_own own[TAP_MAX];
};

/* Counters of every tun/tap interface under root, read now (replaces
 * s's interfaces). Returns how many, or -errno when there is no
 * /sys/class/net. */
int tap_counters(const char *root, struct tap_snap *s);

/* Adds to s every (process, interface) pair of a tun descriptor under root
 * not yet in it; one pair however many queues are open. Only the npids
 * processes in pids when npids >= 0 (a recording's VMs: a scan every second
 * must not read every descriptor of a big host), every process otherwise.
 * Returns the number of pairs, or -errno when there is no /proc. */
int tap_owners(const char *root, struct tap_snap *s, const unsigned int *pids, int npids);

/* Packets pid's taps moved between two counter reads, in the guest's
 * direction: guest_tx = tap rx delta, guest_rx = tap tx delta. Owners are
 * those of either snapshot; only interfaces in both reads count (a smaller
 * counter is an interface re-created under the same name: left out).
 * names: "tap0,tap1". Returns the number of taps counted. */
int tap_guest_packets(const struct tap_snap *before, const struct tap_snap *after, unsigned int pid,
		      unsigned long long *guest_tx, unsigned long long *guest_rx, char *names, size_t len);

#endif
