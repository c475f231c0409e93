/* The fixed workload (iopath workload suite) and its peer: the same phases with the same sizes on
 * every platform, each announced to iopath record by a phase mark (IOPATH_PHASE_FD) so that the
 * recording is cut at its boundaries, and each printing one line with what it did and what the
 * kernel's own counters (the interface's packets, the disk's completed requests) say about it. */
#include "workload/workload.h"

#include <errno.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/util.h"

/* the longest phase name the peer marks (the suite's are shorter) */
#define PEER_MARK_MAX 32

/* --- phase marks --- */

static int mark_fd = -2;   /* -2: IOPATH_PHASE_FD not looked at yet; -1: no marks */

/* How long a mark waits for record's answer: record answers after a snapshot of its maps, which
 * takes well under a second here and a few under TCG; a minute means record is gone or stuck. */
#define MARK_TIMEOUT_MS 60000

static void mark_off(const char *why)
{
	iop_warn("phase marks off: IOPATH_PHASE_FD: %s (the workload runs on without them)", why);
	if (mark_fd >= 0)
		close(mark_fd);
	mark_fd = -1;
}

void wl_phase_mark(const char *name)
{
	char line[128], c;
	struct pollfd p;
	int n;

	if (mark_fd == -2) {
		const char *e = getenv("IOPATH_PHASE_FD");
		char *end;
		long v = e ? strtol(e, &end, 10) : -1;

		mark_fd = -1;
		if (!e)
			return;
		if (!*e || *end || v < 0 || v > 65535)
			return mark_off("not a descriptor number");
		mark_fd = (int)v;
	}
	if (mark_fd < 0)
		return;
	n = snprintf(line, sizeof(line), "phase %s\n", name);
	if (write(mark_fd, line, n) != n)
		return mark_off(strerror(errno));
	/* the answer: one line ("go") */
	p = (struct pollfd){ .fd = mark_fd, .events = POLLIN };
	do {
		int r = poll(&p, 1, MARK_TIMEOUT_MS);

		if (r <= 0)
			return mark_off(r ? strerror(errno) : "no answer in 60 s");
		if (read(mark_fd, &c, 1) != 1)
			return mark_off("closed by the other end");
	} while (c != '\n');
}

/* --- phase marks across machines ---
 * The suite tells its peer each mark (a UDP datagram "phase NAME" to BASE+3, answered "ok NAME"),
 * and the peer marks it for a record of its own (iopath record -- iopath workload peer: in the Xen
 * lab, dom0's backend side of the same phases). The exchange happens between a "-" mark and the
 * phase's own mark, so on this side its two datagrams are in no phase; on the peer's side its
 * phase NAME holds the answer that opened it and the datagram that closed it (one packet each way,
 * 16 bytes or less). A peer that does not answer (an older iopath) is said once and not asked again. */
#define CTL_TRIES 3
#define CTL_WAIT_MS 1000

static int ctl_state;   /* 0: not asked yet; 1: the peer answers; -1: it does not (said once) */

/* 0 once the peer at dst:port answered "ok NAME"; -errno otherwise. */
static int ctl_ask(const char *dst, int port, const char *name)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	char msg[96], want[96], got[96];
	int fd, n, err = -ETIMEDOUT;

	if (inet_pton(AF_INET, dst, &sa.sin_addr) != 1)
		return -EINVAL;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		err = -errno;
		close(fd);
		return err;
	}
	n = snprintf(msg, sizeof(msg), "phase %s", name);
	snprintf(want, sizeof(want), "ok %s", name);
	for (int i = 0; i < CTL_TRIES && err; i++) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		unsigned long long t0 = now_ns();

		if (send(fd, msg, n, 0) != n) {
			err = -errno;
			break;
		}
		/* an answer to an earlier try (late) is not this one's: read on until ours or the time */
		while (err && (now_ns() - t0) / 1000000 < CTL_WAIT_MS &&
		       poll(&p, 1, CTL_WAIT_MS - (int)((now_ns() - t0) / 1000000)) > 0) {
			ssize_t r = recv(fd, got, sizeof(got) - 1, 0);

			if (r < 0) {   /* ECONNREFUSED: nothing on the port */
				err = -errno;
				break;
			}
			got[r] = 0;
			if (!strcmp(got, want))
				err = 0;
		}
		if (err == -ECONNREFUSED)
			break;
	}
	close(fd);
	return err;
}

/* A mark here and, while it answers, at the peer. */
static void suite_mark(const struct wl_suite_opts *o, const char *name)
{
	if (o->peer && o->peer_marks && ctl_state >= 0) {
		int err;

		wl_phase_mark("-");   /* the exchange below is in no phase here */
		err = ctl_ask(o->peer, o->port + 3, name);
		if (err && ctl_state >= 0)
			iop_warn("the peer %s:%d %s phase %s: its side of the suite is not cut into phases from here on",
				 o->peer, o->port + 3, err == -ETIMEDOUT ? "did not answer the mark of" : "refused the mark of",
				 name);
		ctl_state = err ? -1 : 1;
	}
	wl_phase_mark(name);
}

/* --- the kernel's counters around a phase --- */

/* The interface whose address this host uses to reach dst ("" when none is found). */
static void iface_to(const char *dst, int port, char *ifname, size_t len)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) }, me;
	socklen_t ml = sizeof(me);
	struct ifaddrs *ifa = NULL;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	ifname[0] = 0;
	if (fd < 0)
		return;
	if (inet_pton(AF_INET, dst, &sa.sin_addr) == 1 && !connect(fd, (struct sockaddr *)&sa, sizeof(sa)) &&
	    !getsockname(fd, (struct sockaddr *)&me, &ml) && !getifaddrs(&ifa))
		for (struct ifaddrs *i = ifa; i; i = i->ifa_next)
			if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET &&
			    ((struct sockaddr_in *)i->ifa_addr)->sin_addr.s_addr == me.sin_addr.s_addr) {
				snprintf(ifname, len, "%s", i->ifa_name);
				break;
			}
	freeifaddrs(ifa);
	close(fd);
}

/* Packets of ifname from /proc/net/dev (this network namespace's): 0 or -1. */
static int iface_packets(const char *ifname, unsigned long long *rx, unsigned long long *tx)
{
	char line[512], name[64];
	FILE *f = fopen("/proc/net/dev", "r");
	int ret = -1;

	while (f && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');
		unsigned long long v[10];

		if (!colon)
			continue;
		*colon = 0;
		if (sscanf(line, " %63s", name) != 1 || strcmp(name, ifname))
			continue;
		if (sscanf(colon + 1, "%llu %llu %*u %*u %*u %*u %*u %*u %llu %llu", &v[0], rx, &v[1], tx) == 4)
			ret = 0;
		break;
	}
	if (f)
		fclose(f);
	return ret;
}

/* Completed reads and writes and their sectors (/sys/class/block/NAME/stat): 0 or -1. */
static int disk_stat(const char *name, unsigned long long v[4])
{
	char p[128];
	FILE *f;
	int n;

	snprintf(p, sizeof(p), "/sys/class/block/%s/stat", name);
	f = fopen(p, "r");
	if (!f)
		return -1;
	n = fscanf(f, "%llu %*u %llu %*u %llu %*u %llu", &v[0], &v[1], &v[2], &v[3]);
	fclose(f);
	return n == 4 ? 0 : -1;
}

/* --- the phases --- */

struct kctr {
	const char *iface, *disk;
	unsigned long long a[4], b[4];
	bool ok;
};

static void kctr_begin(struct kctr *k)
{
	k->ok = k->iface ? !iface_packets(k->iface, &k->a[0], &k->a[1]) : k->disk ? !disk_stat(k->disk, k->a) : false;
}

/* "; iface veth0: tx 200 rx 200 packets" / "; disk loop0: 256 reads 2048 sectors, 0 writes 0 sectors" */
static void kctr_end(struct kctr *k, char *out, size_t len)
{
	out[0] = 0;
	if (!k->ok)
		return;
	if (k->iface && !iface_packets(k->iface, &k->b[0], &k->b[1]))
		snprintf(out, len, "; iface %s: tx %llu rx %llu packets", k->iface, k->b[1] - k->a[1],
			 k->b[0] - k->a[0]);
	else if (k->disk && !disk_stat(k->disk, k->b))
		snprintf(out, len, "; disk %s: %llu reads %llu sectors, %llu writes %llu sectors", k->disk,
			 k->b[0] - k->a[0], k->b[1] - k->a[1], k->b[2] - k->a[2], k->b[3] - k->a[3]);
}

/* Sizes of the phases: fixed, so every platform does the same (spec-14 section 1). */
enum {
	RR_COUNT = 200, RR_SIZE = 64, RR_TIMEOUT_MS = 1000,
	STREAM_COUNT = 2000, STREAM_SIZE = 1400,
	QD1_COUNT = 256, QD16_COUNT = 1024, QD16_DEPTH = 16,
	SEQ_COUNT = 16, SEQ_SIZE = 1 << 20,
};
#define TCP_BYTES (4ull << 20)
/* The seeds of the random phases: different, so the queue-depth-16 phase does not re-read what
 * queue depth 1 just read (a cache between here and the disk would serve it). */
#define SEED_QD1 0x10a7a5eed0001ull
#define SEED_QD16 0x10a7a5eed0016ull

static int net_phases(const struct wl_suite_opts *o)
{
	char ifname[64], kc[160];
	struct kctr k = { 0 };
	struct wl_rr rr;
	unsigned long long n, t0;
	int err, ret = 0;

	iface_to(o->peer, o->port, ifname, sizeof(ifname));
	k.iface = ifname[0] ? ifname : NULL;

	suite_mark(o, "udp-rr");
	kctr_begin(&k);
	t0 = now_ns();
	err = wl_udp_rr(o->peer, o->port, RR_COUNT, RR_SIZE, RR_TIMEOUT_MS, &rr);
	kctr_end(&k, kc, sizeof(kc));
	printf("phase udp-rr: %llu requests of %d B to %s:%d, %llu replies, %llu lost, %llu late, %.3f s%s%s%s\n",
	       rr.sent, RR_SIZE, o->peer, o->port, rr.replies, rr.lost, rr.late, (now_ns() - t0) / 1e9, kc,
	       err ? "; error: " : "", err ? strerror(-err) : "");
	ret = ret ? ret : err;

	suite_mark(o, "udp-stream");
	kctr_begin(&k);
	t0 = now_ns();
	err = wl_udp_send(o->peer, o->port + 1, STREAM_COUNT, STREAM_SIZE, 0, &n);
	kctr_end(&k, kc, sizeof(kc));
	printf("phase udp-stream: %llu datagrams of %d B to %s:%d, %.3f s%s%s%s\n", n, STREAM_SIZE, o->peer,
	       o->port + 1, (now_ns() - t0) / 1e9, kc, err ? "; error: " : "", err ? strerror(-err) : "");
	ret = ret ? ret : err;

	suite_mark(o, "tcp-bulk");
	kctr_begin(&k);
	t0 = now_ns();
	err = wl_tcp_send(o->peer, o->port + 2, TCP_BYTES, &n);
	kctr_end(&k, kc, sizeof(kc));
	printf("phase tcp-bulk: %llu bytes over one TCP connection to %s:%d, %.3f s%s%s%s\n", n, o->peer,
	       o->port + 2, (now_ns() - t0) / 1e9, kc, err ? "; error: " : "", err ? strerror(-err) : "");
	fflush(stdout);
	return ret ? ret : err;
}

static int blk_phase(struct wl_blk *b, const char *name, int err, const struct wl_io *io, const char *what,
		     struct kctr *k)
{
	char kc[160];

	kctr_end(k, kc, sizeof(kc));
	printf("phase %s: %llu %s of %s, %llu bytes, %llu errors, %.3f s%s%s%s\n", name, io->ios, what,
	       b->is_dev ? b->name : "a file", io->bytes, io->errors, io->seconds, kc,
	       err ? "; error: " : "", err ? strerror(-err) : "");
	fflush(stdout);
	return err ? err : io->errors ? -EIO : 0;
}

static int blk_phases(const struct wl_suite_opts *o, struct wl_blk *b)
{
	struct kctr k = { .disk = b->is_dev ? b->name : NULL };
	struct wl_io io;
	int err, ret = 0;

	suite_mark(o, "blk-rand-qd1");
	kctr_begin(&k);
	err = wl_blk_rand_qd1(b, SEED_QD1, QD1_COUNT, WL_BLK_SPAN, &io);
	ret = blk_phase(b, "blk-rand-qd1", err, &io, "random 4 KiB O_DIRECT reads at queue depth 1", &k);

	suite_mark(o, "blk-rand-qd16");
	kctr_begin(&k);
	err = wl_blk_rand_aio(b, SEED_QD16, QD16_COUNT, QD16_DEPTH, WL_BLK_SPAN, &io);
	err = blk_phase(b, "blk-rand-qd16", err, &io, "random 4 KiB O_DIRECT reads at queue depth 16 (AIO)", &k);
	ret = ret ? ret : err;

	suite_mark(o, "blk-seq-read");
	kctr_begin(&k);
	err = wl_blk_seq(b, false, SEQ_COUNT, SEQ_SIZE, &io);
	err = blk_phase(b, "blk-seq-read", err, &io, "sequential 1 MiB O_DIRECT reads", &k);
	ret = ret ? ret : err;

	if (!o->blk_write)
		return ret;
	suite_mark(o, "blk-seq-write");
	kctr_begin(&k);
	err = wl_blk_seq(b, true, SEQ_COUNT, SEQ_SIZE, &io);
	err = blk_phase(b, "blk-seq-write", err, &io, "sequential 1 MiB O_DIRECT writes", &k);
	return ret ? ret : err;
}

int wl_suite(const struct wl_suite_opts *o, struct wl_blk *b)
{
	int err = 0, e;

	if (o->peer)
		err = net_phases(o);
	if (b && (e = blk_phases(o, b)) && !err)
		err = e;
	suite_mark(o, "-");   /* the end of the last phase: what follows (the exit) is in no phase */
	return err;
}

/* --- the peer --- */

static pid_t peer_kids[4];
static void peer_term(int s)
{
	for (int i = 0; i < 4; i++)
		if (peer_kids[i] > 0)
			kill(peer_kids[i], SIGTERM);
}

static volatile sig_atomic_t marks_stop;
static void marks_term(int s) { marks_stop = 1; }

/* The suite's marks (suite_mark) on port, for seconds: each new name marked here (IOPATH_PHASE_FD,
 * when this peer runs under iopath record), then answered; a repeat of the last name (the suite
 * tried again: our answer was lost) is only answered. */
static int peer_marks(int port, double seconds, unsigned long long *got)
{
	struct sockaddr_in from;
	unsigned long long t0 = now_ns();
	char last[PEER_MARK_MAX + 1] = "", buf[128], ans[PEER_MARK_MAX + 8];
	int fd;

	*got = 0;
	if ((fd = wl_udp_bound(port)) < 0)
		return fd;
	signal(SIGTERM, marks_term);
	while (!marks_stop && (now_ns() - t0) / 1e9 < seconds) {
		socklen_t fl = sizeof(from);
		ssize_t r = recvfrom(fd, buf, sizeof(buf) - 1, 0, (struct sockaddr *)&from, &fl);
		const char *name = buf + 6;
		int n;

		if (r <= 6)
			continue;
		buf[r] = 0;
		if (strncmp(buf, "phase ", 6) || strlen(name) > PEER_MARK_MAX || strspn(name,
		    "abcdefghijklmnopqrstuvwxyz0123456789-_.") != strlen(name))
			continue;   /* not the suite's */
		if (strcmp(name, last)) {
			wl_phase_mark(name);
			snprintf(last, sizeof(last), "%s", name);
			(*got)++;
		}
		n = snprintf(ans, sizeof(ans), "ok %s", name);
		sendto(fd, ans, n, 0, (struct sockaddr *)&from, fl);
	}
	close(fd);
	return 0;
}

static pid_t peer_child(int which, int port, double seconds)
{
	unsigned long long got = 0;
	pid_t pid = fork();
	int err;

	if (pid)
		return pid;
	signal(SIGTERM, SIG_DFL);
	switch (which) {
	case 0:
		err = wl_udp_echo(port, seconds, &got);
		printf("peer udp-echo on %d: %llu datagrams echoed\n", port, got);
		break;
	case 1:
		err = wl_udp_sink(port + 1, seconds, &got);
		printf("peer udp-sink on %d: %llu datagrams received\n", port + 1, got);
		break;
	case 2:
		err = wl_tcp_sink(port + 2, seconds, &got);
		printf("peer tcp-sink on %d: %llu bytes received\n", port + 2, got);
		break;
	default:
		err = peer_marks(port + 3, seconds, &got);
		printf("peer phase marks on %d: %llu marks\n", port + 3, got);
		break;
	}
	if (err)
		fprintf(stderr, "iopath: workload peer: port %d: %s\n", port + which, strerror(-err));
	fflush(stdout);
	_exit(err ? 1 : 0);
}

int wl_peer(int port, double seconds)
{
	int st, failed = 0;

	signal(SIGTERM, peer_term);
	signal(SIGINT, peer_term);
	for (int i = 0; i < 4; i++)
		if ((peer_kids[i] = peer_child(i, port, seconds)) < 0) {
			peer_term(0);
			return -errno;
		}
	for (int i = 0; i < 4; i++) {
		while (waitpid(peer_kids[i], &st, 0) < 0 && errno == EINTR)
			;
		failed |= !WIFEXITED(st) || WEXITSTATUS(st);
		peer_kids[i] = 0;
	}
	return failed ? -EIO : 0;
}
