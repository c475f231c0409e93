#include "workload/workload.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/util.h"

#define WL_NET "10.253.71"   /* a /24 that only exists inside our namespaces */

static int addr_of(const char *dst, int port, struct sockaddr_in *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons(port);
	return inet_pton(AF_INET, dst, &sa->sin_addr) == 1 ? 0 : -EINVAL;
}

static double elapsed(unsigned long long t0)
{
	return (now_ns() - t0) / 1e9;
}

int wl_udp_send(const char *dst, int port, unsigned long long packets, int size, double max_s,
		unsigned long long *sent)
{
	enum { BATCH = 64 };
	struct mmsghdr msgs[BATCH];
	struct iovec iov;
	struct sockaddr_in sa;
	static char buf[65536];
	unsigned long long t0 = now_ns();
	int fd, err = 0;

	*sent = 0;
	if (size < 1 || size > (int)sizeof(buf) || addr_of(dst, port, &sa))
		return -EINVAL;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		err = -errno;
		goto out;
	}
	iov.iov_base = buf;
	iov.iov_len = size;
	memset(msgs, 0, sizeof(msgs));
	for (int i = 0; i < BATCH; i++) {
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	while (!packets || *sent < packets) {
		unsigned long long left = packets ? packets - *sent : BATCH;
		int n = sendmmsg(fd, msgs, left < BATCH ? left : BATCH, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS || errno == EAGAIN) /* qdisc full: retry */
				continue;
			err = -errno;
			break;
		}
		*sent += n;
		if (max_s > 0 && (*sent & 1023) < (unsigned)n && elapsed(t0) > max_s)
			break;
	}
out:
	close(fd);
	return err;
}

static volatile sig_atomic_t sink_stop;
static void on_term(int s) { sink_stop = 1; }

/* A UDP socket bound to port on every address, recv timing out every 200 ms (so a sink sees its
 * stop flag and its time limit): the fd, or -errno. */
int wl_udp_bound(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct timeval tv = { 0, 200000 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), err;

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

int wl_udp_sink(int port, double max_s, unsigned long long *got)
{
	unsigned long long t0 = now_ns();
	char buf[65536];
	int fd, rcv = 4 << 20;

	*got = 0;
	if ((fd = wl_udp_bound(port)) < 0)
		return fd;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	signal(SIGTERM, on_term);
	while (!sink_stop && (max_s <= 0 || elapsed(t0) < max_s))
		if (recv(fd, buf, sizeof(buf), 0) > 0)
			(*got)++;
	close(fd);
	return 0;
}

int wl_tcp_send(const char *dst, int port, unsigned long long bytes, unsigned long long *sent)
{
	struct sockaddr_in sa;
	static char buf[1 << 16];
	int fd, err = 0;

	*sent = 0;
	if (addr_of(dst, port, &sa))
		return -EINVAL;
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* the sink may still be starting: retry connecting for 2 s */
	for (int i = 0; connect(fd, (struct sockaddr *)&sa, sizeof(sa)); i++) {
		if (i == 40 || (errno != ECONNREFUSED && errno != EINTR)) {
			err = -errno;
			goto out;
		}
		usleep(50000);
	}
	while (*sent < bytes) {
		size_t n = bytes - *sent < sizeof(buf) ? bytes - *sent : sizeof(buf);
		ssize_t w = send(fd, buf, n, MSG_NOSIGNAL);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		*sent += w;
	}
	shutdown(fd, SHUT_WR);
	/* wait for the peer's close so every segment was acknowledged */
	while (read(fd, buf, sizeof(buf)) > 0)
		;
out:
	close(fd);
	return err;
}

int wl_tcp_sink(int port, double max_s, unsigned long long *got)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct timeval tv = { 0, 200000 };
	unsigned long long t0 = now_ns();
	static char buf[1 << 16];
	int one = 1, lfd, fd = -1;

	*got = 0;
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0)
		return -errno;
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(lfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(lfd, 4)) {
		close(lfd);
		return -errno;
	}
	signal(SIGTERM, on_term);
	while (!sink_stop && (max_s <= 0 || elapsed(t0) < max_s)) {
		ssize_t n;

		if (fd < 0) {
			fd = accept(lfd, NULL, NULL);
			if (fd >= 0)
				setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
			continue;
		}
		n = read(fd, buf, sizeof(buf));
		if (n > 0) {
			*got += n;
		} else if (n == 0) {
			close(fd);
			fd = -1;
		}
	}
	if (fd >= 0)
		close(fd);
	close(lfd);
	return 0;
}

/* A request's first 4 bytes are its sequence number; the reply echoes them. */
static ssize_t rr_wait(int fd, char *buf, size_t len, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n;

	do
		n = poll(&p, 1, timeout_ms);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return n < 0 ? -errno : -ETIMEDOUT;
	n = recv(fd, buf, len, 0);
	return n < 0 ? -errno : n;
}

int wl_udp_rr(const char *dst, int port, unsigned count, int size, int timeout_ms, struct wl_rr *res)
{
	struct sockaddr_in sa;
	char req[2048] = {}, rep[2048];
	int fd;

	memset(res, 0, sizeof(*res));
	if (size < 4 || size > (int)sizeof(req) || addr_of(dst, port, &sa))
		return -EINVAL;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		int err = -errno;

		close(fd);
		return err;
	}
	for (unsigned seq = 1; seq <= count; seq++) {
		unsigned long long t_end = now_ns() + timeout_ms * 1000000ull;
		bool got = false;

		memcpy(req, &seq, sizeof(seq));
		/* a refused send (ICMP port unreachable from an earlier one) loses this exchange only */
		if (send(fd, req, size, 0) != size) {
			res->lost++;
			continue;
		}
		res->sent++;
		while (!got) {
			long long left = (long long)(t_end - now_ns());
			ssize_t n = left > 0 ? rr_wait(fd, rep, sizeof(rep), (int)(left / 1000000) + 1) : -ETIMEDOUT;
			unsigned s;

			/* refused: an ICMP port unreachable said nobody listens there, no reply will come */
			if (n == -ETIMEDOUT || n == -ECONNREFUSED)
				break;
			if (n < 4)
				continue;   /* a runt: wait on until the timeout */
			memcpy(&s, rep, sizeof(s));
			if (s == seq)
				got = true;
			else
				res->late++;   /* the reply of an exchange already counted lost */
		}
		if (got)
			res->replies++;
		else
			res->lost++;
	}
	close(fd);
	return 0;
}

int wl_udp_echo(int port, double max_s, unsigned long long *got)
{
	struct sockaddr_in from;
	unsigned long long t0 = now_ns();
	char buf[65536];
	int fd;

	*got = 0;
	if ((fd = wl_udp_bound(port)) < 0)
		return fd;
	signal(SIGTERM, on_term);
	while (!sink_stop && (max_s <= 0 || elapsed(t0) < max_s)) {
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);

		if (n <= 0)
			continue;
		(*got)++;
		sendto(fd, buf, n, 0, (struct sockaddr *)&from, fl);
	}
	close(fd);
	return 0;
}

/* --- the built-in two-namespace workload --- */

static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int run(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	iop_dbg("workload: %s", cmd);
	rc = system(cmd);
	if (rc) {
		iop_err("workload set-up failed: %s (exit %d)", cmd, WIFEXITED(rc) ? WEXITSTATUS(rc) : rc);
		return -EIO;
	}
	return 0;
}

static int enter_ns(const char *ns)
{
	char p[128];
	int fd, err = 0;

	snprintf(p, sizeof(p), "/run/netns/%s", ns);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (setns(fd, CLONE_NEWNET))
		err = -errno;
	close(fd);
	return err;
}

int builtin_setup(struct builtin_wl *w)
{
	int pid = getpid();

	snprintf(w->ns[0], sizeof(w->ns[0]), "iopath-wl%d-a", pid);
	snprintf(w->ns[1], sizeof(w->ns[1]), "iopath-wl%d-b", pid);
	snprintf(w->veth[0], sizeof(w->veth[0]), "iopwl%da", pid % 100000);
	snprintf(w->veth[1], sizeof(w->veth[1]), "iopwl%db", pid % 100000);
	w->sink = w->sender = 0;
	w->up = true;
	for (int i = 0; i < 2; i++)
		if (run("ip netns add %s", w->ns[i]) ||
		    run("ip netns exec %s sysctl -qw net.ipv6.conf.all.disable_ipv6=1 "
			"net.ipv6.conf.default.disable_ipv6=1", w->ns[i]))
			goto fail;
	if (run("ip -n %s link add %s type veth peer name %s netns %s", w->ns[0], w->veth[0],
		w->veth[1], w->ns[1]))
		goto fail;
	for (int i = 0; i < 2; i++) {
		char mac_peer[32];

		snprintf(mac_peer, sizeof(mac_peer), "02:10:00:00:00:%02x", 2 - i);
		if (run("ip -n %s link set %s address 02:10:00:00:00:%02x", w->ns[i], w->veth[i], i + 1) ||
		    run("ip -n %s addr add " WL_NET ".%d/24 dev %s", w->ns[i], i + 1, w->veth[i]) ||
		    run("ip -n %s link set %s up", w->ns[i], w->veth[i]) ||
		    run("ip -n %s link set lo up", w->ns[i]) ||
		    run("ip -n %s neigh add " WL_NET ".%d lladdr %s dev %s", w->ns[i], 2 - i, mac_peer,
			w->veth[i]))
			goto fail;
	}
	return 0;
fail:
	builtin_teardown(w);
	return -EIO;
}

static pid_t spawn_in(const char *ns, int (*fn)(struct builtin_wl *, double), struct builtin_wl *w,
		      double s)
{
	pid_t pid = fork();

	if (pid)
		return pid;
	/* Nothing of the tracer's: a BPF link held open here would keep its probe on the kernel
	 * after the tracer let it go (record --budget's pauses), and the recording's file or a
	 * pipe's end would outlive the tracer. The workload opens what it uses after this. */
	close_range(3, ~0u, 0);
	if (enter_ns(ns)) {
		fprintf(stderr, "iopath: workload: cannot enter netns %s\n", ns);
		_exit(1);
	}
	_exit(fn(w, s) ? 1 : 0);
}

static int sink_main(struct builtin_wl *w, double s)
{
	unsigned long long got;

	if (w->tcp_bytes && fork() == 0)
		_exit(wl_tcp_sink(5202, s + 10, &got) ? 1 : 0);
	return wl_udp_sink(5201, s + 10, &got);
}

static int sender_main(struct builtin_wl *w, double s)
{
	unsigned long long sent;
	int err;

	usleep(100000); /* let the sink bind */
	err = wl_udp_send(WL_NET ".2", 5201, w->packets, 512, w->packets ? 0 : s, &sent);
	if (!err && w->tcp_bytes)
		err = wl_tcp_send(WL_NET ".2", 5202, w->tcp_bytes, &sent);
	return err;
}

int builtin_start(struct builtin_wl *w, double seconds)
{
	w->sink = spawn_in(w->ns[1], sink_main, w, seconds);
	if (w->sink < 0)
		return -errno;
	w->sender = spawn_in(w->ns[0], sender_main, w, seconds);
	return w->sender < 0 ? -errno : 0;
}

bool builtin_done(struct builtin_wl *w, int *status)
{
	int st;

	if (!w->sender)
		return true;
	if (waitpid(w->sender, &st, WNOHANG) != w->sender)
		return false;
	*status = st;
	w->sender = 0;
	return true;
}

void builtin_teardown(struct builtin_wl *w)
{
	char cmd[256];

	if (w->sender > 0) {
		kill(w->sender, SIGKILL);
		waitpid(w->sender, NULL, 0);
	}
	if (w->sink > 0) {
		kill(w->sink, SIGTERM);
		waitpid(w->sink, NULL, 0);
	}
	w->sender = w->sink = 0;
	if (!w->up)
		return;
	for (int i = 0; i < 2; i++) {
		/* deleting a namespace removes its end of the veth pair */
		snprintf(cmd, sizeof(cmd), "ip netns del %s 2>/dev/null", w->ns[i]);
		if (system(cmd))
			iop_dbg("workload: %s failed", cmd);
	}
	w->up = false;
}
