/* iopath serve: the live aggregates of the network and block paths as an
 * OpenMetrics (Prometheus) exposition over HTTP. A tiny single-threaded
 * HTTP/1.0 server on poll(2): GET /metrics, 404 for any other path, one
 * request per connection. Every scrape reads the BPF maps afresh. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <fcntl.h>

#include "report/blk_report.h"
#include "cli/cli.h"
#include "cli/opts.h"
#include "platform/devices.h"
#include "report/exits_report.h"
#include "report/net_report.h"
#include "report/openmetrics.h"
#include "engine/session.h"
#include "util/util.h"

#define SERVE_DEFAULT_PORT 9477
#define SERVE_MAX_CLIENTS 32
#define SERVE_REQ_MAX 8192
#define SERVE_TIMEOUT_NS (10ull * 1000000000ull)

static volatile sig_atomic_t stop;
static void on_signal(int sig) { stop = 1; }

static void help(void)
{
	printf("usage: iopath serve [--listen [ADDR:]PORT] [--net] [--blk] [filters] [--disk DEV]\n"
	       "Serve the live aggregates of the network path (and with --blk the block path),\n"
	       "interrupts per IRQ line and probe status as OpenMetrics text (Prometheus) at\n"
	       "http://ADDR:PORT/metrics; every scrape reads the in-kernel maps afresh.\n\n"
	       "  -l, --listen [ADDR:]PORT  where to listen (default 127.0.0.1:%d). Without ADDR,\n"
	       "                          or with PORT only, the loopback address; a\n"
	       "                          non-loopback ADDR (0.0.0.0, a NIC's address, [::]) only\n"
	       "                          when given here explicitly: there is no authentication.\n"
	       "                          PORT 0 picks a free port (printed on stderr)\n"
	       "  --net                   the network path (the default without --blk)\n"
	       "  --blk                   the block path (with --net: both)\n"
	       "  -i, --iface NAME        network path: only this interface\n"
	       "  -q, --queue N           only this queue\n"
	       "      --dir tx|rx         only this direction\n"
	       "      --proto udp|tcp     only this transport\n"
	       "      --port N            only packets with this source or destination port\n"
	       "  -p, --pid N             only packets sent by this process (TX only)\n"
	       "      --netns NAME|INODE  only devices in this network namespace\n"
	       "      --disk DEV          block path: only this disk\n"
	       "  -d, --duration SECS     stop after SECS (default: until SIGINT/SIGTERM)\n"
	       BTF_HELP
	       "  -v, --verbose\n"
	       "  -h, --help\n", SERVE_DEFAULT_PORT);
}

/* "PORT", ":PORT", "ADDR:PORT", "[V6]:PORT" -> sockaddr. Only an address
 * spelled out is used as is; otherwise loopback. */
static int parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len, bool *loopback)
{
	char host[128] = "", *end;
	const char *port = s, *colon;
	long p;

	if (s[0] == '[') {
		const char *rb = strchr(s, ']');

		if (!rb || rb[1] != ':' || rb - s - 1 >= (long)sizeof(host))
			return -1;
		memcpy(host, s + 1, rb - s - 1);
		host[rb - s - 1] = 0;
		port = rb + 2;
	} else if ((colon = strrchr(s, ':'))) {
		if (colon - s >= (long)sizeof(host))
			return -1;
		memcpy(host, s, colon - s);
		host[colon - s] = 0;
		port = colon + 1;
	}
	p = strtol(port, &end, 10);
	if (!*port || *end || p < 0 || p > 65535)
		return -1;
	memset(ss, 0, sizeof(*ss));
	if (!host[0] || !strcmp(host, "localhost"))
		snprintf(host, sizeof(host), "127.0.0.1");
	if (strchr(host, ':')) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons(p);
		if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1)
			return -1;
		*len = sizeof(*a);
		*loopback = IN6_IS_ADDR_LOOPBACK(&a->sin6_addr);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		a->sin_family = AF_INET;
		a->sin_port = htons(p);
		if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
			return -1;
		*len = sizeof(*a);
		*loopback = (ntohl(a->sin_addr.s_addr) >> 24) == 127;
	}
	return 0;
}

struct client {
	int fd;
	char in[SERVE_REQ_MAX];
	size_t inlen;
	char *out;
	size_t outlen, outoff;
	unsigned long long deadline;
};

static void client_close(struct client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	free(c->out);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

static void respond(struct client *c, int code, const char *reason, const char *ctype, const char *body,
		    size_t blen, bool head)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return;
	fprintf(f, "HTTP/1.0 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
		   "Connection: close\r\nServer: iopath/%s\r\n%s\r\n",
		code, reason, ctype, blen, IOPATH_VERSION, code == 405 ? "Allow: GET, HEAD\r\n" : "");
	if (!head && blen)
		fwrite(body, 1, blen, f);
	fclose(f);
	c->out = buf;
	c->outlen = len;
	c->outoff = 0;
}

/* The exposition, read from the maps now. */
static char *scrape(struct live_session *s, size_t *len)
{
	struct net_report rep = {};
	struct blk_report brep = {};
	struct exits_report xrep = {};
	char *buf = NULL;
	FILE *f;
	bool ok = true;

	if (s->net && net_report_collect(&s->e, &rep))
		ok = false;
	if (ok && s->blk && blk_report_collect(&s->e, &brep))
		ok = false;
	if (ok)
		exits_collect(&s->e, &xrep);
	if (ok && (f = open_memstream(&buf, len))) {
		om_write(f, &(struct om_input){ .net = s->net ? &rep : NULL, .blk = s->blk ? &brep : NULL,
						.exits = &xrep, .pts = s->pts, .npts = s->n });
		fclose(f);
	}
	net_report_free(&rep);
	blk_report_free(&brep);
	exits_report_free(&xrep);
	return buf;
}

/* A whole request head is in: answer it. */
static void handle(struct live_session *s, struct client *c)
{
	char method[16], target[256];
	bool head;

	c->in[c->inlen] = 0;
	if (sscanf(c->in, "%15s %255s", method, target) != 2 || strncmp(target, "/", 1)) {
		static const char m[] = "bad request\n";

		respond(c, 400, "Bad Request", "text/plain; charset=utf-8", m, sizeof(m) - 1, false);
		return;
	}
	head = !strcmp(method, "HEAD");
	if (strcmp(method, "GET") && !head) {
		static const char m[] = "only GET\n";

		respond(c, 405, "Method Not Allowed", "text/plain; charset=utf-8", m, sizeof(m) - 1, false);
		return;
	}
	target[strcspn(target, "?#")] = 0;
	if (strcmp(target, "/metrics")) {
		static const char m[] = "not found: the metrics are at /metrics\n";

		respond(c, 404, "Not Found", "text/plain; charset=utf-8", m, sizeof(m) - 1, head);
		return;
	}
	{
		size_t len = 0;
		char *body = scrape(s, &len);

		if (!body) {
			static const char m[] = "cannot read the BPF maps\n";

			respond(c, 500, "Internal Server Error", "text/plain; charset=utf-8", m, sizeof(m) - 1,
				head);
			return;
		}
		respond(c, 200, "OK", OM_CONTENT_TYPE, body, len, head);
		free(body);
	}
}

static bool head_complete(const struct client *c)
{
	return memmem(c->in, c->inlen, "\r\n\r\n", 4) || memmem(c->in, c->inlen, "\n\n", 2);
}

int cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, 0, 'l' }, TRACE_OPTIONS_COMMON, TRACE_OPTIONS_FILTERS,
		{ "verbose", no_argument, 0, 'v' }, { "help", no_argument, 0, 'h' }, {},
	};
	bool loopback = true;
	const char *listen_arg = NULL;
	struct sockaddr_storage ss;
	socklen_t sslen;
	struct live_session s;
	static struct client cl[SERVE_MAX_CLIENTS];
	struct trace_opts t;
	unsigned long long t0;
	int c, lfd = -1, ret = EXIT_RUNTIME, one = 1;
	char defl[32];
	struct sigaction sa = { .sa_handler = on_signal };

	trace_opts_init(&t, 0, 31536000);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":l:" TRACE_SHORT "vh", opts, NULL)) != -1) {
		switch (c) {
		case 'l': listen_arg = optarg; break;
		case 'h': help(); return EXIT_OK;
		default:
			if ((c = trace_opt("serve", c, argv, &t)))
				return c;   /* the exit status */
		}
	}
	if (optind < argc)
		return usage_error("serve", "unexpected argument '%s'", argv[optind]);
	if (!listen_arg) {
		snprintf(defl, sizeof(defl), "127.0.0.1:%d", SERVE_DEFAULT_PORT);
		listen_arg = defl;
	}
	if (parse_listen(listen_arg, &ss, &sslen, &loopback))
		return usage_error("serve", "bad --listen '%s' (PORT, ADDR:PORT or [V6ADDR]:PORT)", listen_arg);
	trace_opts_default_path(&t);
	if ((c = trace_opts_check("serve", &t)))
		return c;
	if (require_privileges())
		return EXIT_RUNTIME;

	for (int i = 0; i < SERVE_MAX_CLIENTS; i++) {
		memset(&cl[i], 0, sizeof(cl[i]));
		cl[i].fd = -1;
	}
	/* the socket first: a port in use fails before BPF is loaded */
	lfd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(lfd, (struct sockaddr *)&ss, sslen) || listen(lfd, 16)) {
		iop_err("cannot listen on %s: %s", listen_arg, strerror(errno));
		if (lfd >= 0)
			close(lfd);
		return EXIT_RUNTIME;
	}
	if (session_open(&s, t.net, t.blk, &t.no, &t.bo)) {
		session_close(&s);
		close(lfd);
		return EXIT_RUNTIME;
	}
	{
		char addr[INET6_ADDRSTRLEN] = "?";
		struct sockaddr_storage got;
		socklen_t gl = sizeof(got);
		int port = 0;

		getsockname(lfd, (struct sockaddr *)&got, &gl);
		if (got.ss_family == AF_INET6) {
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&got)->sin6_addr, addr, sizeof(addr));
			port = ntohs(((struct sockaddr_in6 *)&got)->sin6_port);
		} else {
			inet_ntop(AF_INET, &((struct sockaddr_in *)&got)->sin_addr, addr, sizeof(addr));
			port = ntohs(((struct sockaddr_in *)&got)->sin_port);
		}
		if (!loopback)
			iop_warn("listening on a non-loopback address (%s): anyone who can reach it reads the metrics", addr);
		fprintf(stderr, "iopath: serving http://%s%s%s:%d/metrics (%u probe points attached)\n",
			got.ss_family == AF_INET6 ? "[" : "", addr, got.ss_family == AF_INET6 ? "]" : "", port,
			s.e.attached);
	}
	sigaction(SIGINT, &sa, NULL);   /* no SA_RESTART: poll returns EINTR */
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	t0 = now_ns();
	while (!stop) {
		struct pollfd pfd[SERVE_MAX_CLIENTS + 1];
		int idx[SERVE_MAX_CLIENTS + 1], np = 0, nfree = 0;
		unsigned long long now = now_ns();

		if (t.duration > 0 && (now - t0) / 1e9 >= t.duration)
			break;
		for (int i = 0; i < SERVE_MAX_CLIENTS; i++) {
			if (cl[i].fd < 0) {
				nfree++;
				continue;
			}
			if (now > cl[i].deadline) {
				client_close(&cl[i]);
				nfree++;
				continue;
			}
			pfd[np].fd = cl[i].fd;
			pfd[np].events = cl[i].out ? POLLOUT : POLLIN;
			idx[np++] = i;
		}
		if (nfree) {   /* a full table leaves new connections in the backlog */
			pfd[np].fd = lfd;
			pfd[np].events = POLLIN;
			idx[np++] = -1;
		}
		if (poll(pfd, np, 250) < 0) {
			if (errno == EINTR)
				continue;
			iop_err("poll: %s", strerror(errno));
			goto out;
		}
		for (int k = 0; k < np; k++) {
			struct client *cc;

			if (!pfd[k].revents)
				continue;
			if (idx[k] < 0) {
				int fd;

				while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
					int i;

					for (i = 0; i < SERVE_MAX_CLIENTS && cl[i].fd >= 0; i++)
						;
					if (i == SERVE_MAX_CLIENTS) {
						close(fd);
						break;
					}
					cl[i].fd = fd;
					cl[i].deadline = now_ns() + SERVE_TIMEOUT_NS;
				}
				continue;
			}
			cc = &cl[idx[k]];
			if (cc->out) {
				ssize_t w = send(cc->fd, cc->out + cc->outoff, cc->outlen - cc->outoff, MSG_NOSIGNAL);

				if (w < 0 && errno != EAGAIN && errno != EINTR) {
					client_close(cc);
					continue;
				}
				if (w > 0)
					cc->outoff += w;
				if (cc->outoff >= cc->outlen) {
					shutdown(cc->fd, SHUT_WR);
					client_close(cc);
				}
				continue;
			}
			{
				ssize_t r = recv(cc->fd, cc->in + cc->inlen, sizeof(cc->in) - 1 - cc->inlen, 0);

				if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
					client_close(cc);
					continue;
				}
				if (r > 0)
					cc->inlen += r;
				if (head_complete(cc)) {
					handle(&s, cc);
					if (!cc->out)
						client_close(cc);
				} else if (cc->inlen >= sizeof(cc->in) - 1) {
					static const char m[] = "request head too large\n";

					respond(cc, 431, "Request Header Fields Too Large", "text/plain; charset=utf-8",
						m, sizeof(m) - 1, false);
				}
			}
		}
	}
	ret = EXIT_OK;
out:
	for (int i = 0; i < SERVE_MAX_CLIENTS; i++)
		if (cl[i].fd >= 0)
			client_close(&cl[i]);
	close(lfd);
	session_close(&s);
	return ret;
}
