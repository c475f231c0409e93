#include "platform/netns.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "platform/sysfs.h"
#include "util/util.h"

static struct netns_ent *add_ns(struct netns_set *s, unsigned inode)
{
	struct netns_ent *e;

	for (int i = 0; i < s->n; i++)
		if (s->ns[i].inode == inode)
			return &s->ns[i];
	e = realloc(s->ns, (s->n + 1) * sizeof(*e));
	if (!e)
		return NULL;
	s->ns = e;
	e = &s->ns[s->n++];
	memset(e, 0, sizeof(*e));
	e->inode = inode;
	return e;
}

static int add_iface(struct netns_set *s, const struct netns_iface *f)
{
	struct netns_iface *n = realloc(s->ifs, (s->nif + 1) * sizeof(*n));

	if (!n)
		return -ENOMEM;
	s->ifs = n;
	s->ifs[s->nif++] = *f;
	return 0;
}

static unsigned inode_of(const char *root, const char *path)
{
	char p[4096];
	struct stat st;

	return stat(root_path(p, sizeof(p), root, path), &st) ? 0 : (unsigned)st.st_ino;
}

/* ip netns names: each file under /run/netns is a bind mount of the namespace (st_ino = inum) */
static int scan_named(const char *root, struct netns_set *s)
{
	char dir[4096], p[4400];
	DIR *d = opendir(root_path(dir, sizeof(dir), root, "/run/netns"));
	struct dirent *de;

	while (d && (de = readdir(d))) {
		struct netns_ent *e;
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		if (stat(p, &st))
			continue;
		if (!(e = add_ns(s, (unsigned)st.st_ino))) {
			closedir(d);
			return -ENOMEM;
		}
		if (!e->name[0])
			str_copy(e->name, sizeof(e->name), de->d_name);
	}
	if (d)
		closedir(d);
	return 0;
}

/* the namespace of every process we may look at (others' give EACCES without privileges) */
static int scan_procs(const char *root, struct netns_set *s)
{
	char dir[4096], p[300];
	DIR *d = opendir(root_path(dir, sizeof(dir), root, "/proc"));
	struct dirent *de;

	while (d && (de = readdir(d))) {
		struct netns_ent *e;
		unsigned ino;

		if (!str_all_digits(de->d_name))
			continue;
		snprintf(p, sizeof(p), "/proc/%s/ns/net", de->d_name);
		if (!(ino = inode_of(root, p)))
			continue;
		if (!(e = add_ns(s, ino))) {
			closedir(d);
			return -ENOMEM;
		}
		if (!e->pid)
			e->pid = atoi(de->d_name);
	}
	if (d)
		closedir(d);
	return 0;
}

/* A netlink socket inside the namespace behind nsfd: setns() in a thread of its own, so this
 * process never leaves its namespace (a socket keeps the namespace it was made in). */
struct nsock {
	int nsfd, sock, err;
};

static void *nsock_thread(void *arg)
{
	struct nsock *a = arg;

	if (setns(a->nsfd, CLONE_NEWNET)) {
		a->err = -errno;
		return NULL;
	}
	a->sock = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (a->sock < 0)
		a->err = -errno;
	return NULL;
}

static int netlink_in(const char *nspath)
{
	struct nsock a = { .sock = -1 };
	pthread_t t;

	if (!nspath)
		return socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	a.nsfd = open(nspath, O_RDONLY | O_CLOEXEC);
	if (a.nsfd < 0)
		return -errno;
	if ((a.err = -pthread_create(&t, NULL, nsock_thread, &a)) == 0)
		pthread_join(t, NULL);
	close(a.nsfd);
	return a.sock >= 0 ? a.sock : (a.err ? a.err : -EIO);
}

static void link_attrs(struct nlmsghdr *h, struct netns_iface *f)
{
	struct ifinfomsg *ifi = NLMSG_DATA(h);
	int len = IFLA_PAYLOAD(h);

	f->ifindex = ifi->ifi_index;
	for (struct rtattr *a = IFLA_RTA(ifi); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == IFLA_IFNAME)
			str_copy(f->name, sizeof(f->name), RTA_DATA(a));
		else if (a->rta_type == IFLA_NUM_TX_QUEUES && RTA_PAYLOAD(a) >= 4)
			f->ntx = *(unsigned *)RTA_DATA(a);
		else if (a->rta_type == IFLA_NUM_RX_QUEUES && RTA_PAYLOAD(a) >= 4)
			f->nrx = *(unsigned *)RTA_DATA(a);
	}
}

/* RTM_GETLINK dump: every interface of the socket's namespace. */
static int link_dump(int fd, struct netns_set *s, unsigned inode)
{
	struct {
		struct nlmsghdr h;
		struct ifinfomsg i;
	} req = {
		.h = { .nlmsg_len = sizeof(req), .nlmsg_type = RTM_GETLINK,
		       .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = 1 },
		.i = { .ifi_family = AF_UNSPEC },
	};
	size_t cap = 1 << 16;
	char *buf = malloc(cap);
	int err = 0;

	if (!buf)
		return -ENOMEM;
	if (send(fd, &req, sizeof(req), 0) < 0)
		err = -errno;
	while (!err) {
		ssize_t n = recv(fd, buf, cap, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? -errno : -EIO;
			break;
		}
		for (struct nlmsghdr *h = (void *)buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			struct netns_iface f = { .netns = inode, .ntx = -1, .nrx = -1 };

			if (h->nlmsg_type == NLMSG_DONE)
				goto out;
			if (h->nlmsg_type == NLMSG_ERROR) {
				err = -EIO;
				break;
			}
			if (h->nlmsg_type != RTM_NEWLINK)
				continue;
			link_attrs(h, &f);
			if (f.name[0] && (err = add_iface(s, &f)))
				break;
		}
	}
out:
	free(buf);
	return err;
}

/* Names only, when the namespace cannot be entered: /proc/PID/net/dev of a process in it. */
static int proc_net_dev(const char *root, struct netns_set *s, const struct netns_ent *e)
{
	char p[4096], rel[64], line[512];
	FILE *f;

	snprintf(rel, sizeof(rel), "/proc/%d/net/dev", e->pid);
	if (!(f = fopen(root_path(p, sizeof(p), root, rel), "r")))
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		struct netns_iface i = { .netns = e->inode, .ntx = -1, .nrx = -1 };
		char *c = strchr(line, ':'), *b = line;

		if (!c)   /* the two header lines have none */
			continue;
		*c = 0;
		while (*b == ' ')
			b++;
		str_copy(i.name, sizeof(i.name), b);
		if (add_iface(s, &i)) {
			fclose(f);
			return -ENOMEM;
		}
	}
	fclose(f);
	return 0;
}

/* iopath's own namespace: the queues in use (sysfs queues/tx-N, rx-N), not the allocated
 * maximum netlink reports. */
static void own_queues(const char *root, struct netns_set *s, unsigned inode)
{
	for (int i = 0; i < s->nif; i++) {
		char rel[64], dir[4096];
		int tx, rx;

		if (s->ifs[i].netns != inode)
			continue;
		snprintf(rel, sizeof(rel), "/sys/class/net/%s/queues", s->ifs[i].name);
		root_path(dir, sizeof(dir), root, rel);
		tx = sysfs_count_entries(dir, "", "tx-");
		rx = sysfs_count_entries(dir, "", "rx-");
		if (tx > 0)
			s->ifs[i].ntx = tx;
		if (rx > 0)
			s->ifs[i].nrx = rx;
	}
}

static const char *ns_path(const struct netns_ent *e, char *buf, size_t len)
{
	if (e->name[0])
		snprintf(buf, len, "/run/netns/%s", e->name);
	else
		snprintf(buf, len, "/proc/%d/ns/net", e->pid);
	return buf;
}

/* In a child: each other namespace entered, a sysfs of its own mounted on /sys in a private
 * mount namespace (what ip netns exec does: sysfs shows the network namespace it was mounted
 * in), every interface's queues counted, one line "inode name tx rx" each into fd. */
static void child_queues(const struct netns_set *s, int fd)
{
	char path[128];

	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return;
	for (int i = 0; i < s->n; i++) {
		const struct netns_ent *e = &s->ns[i];
		int nsfd;

		if (e->own || !e->listed)
			continue;
		if ((nsfd = open(ns_path(e, path, sizeof(path)), O_RDONLY | O_CLOEXEC)) < 0)
			continue;
		if (setns(nsfd, CLONE_NEWNET) || mount("sysfs", "/sys", "sysfs", 0, NULL)) {
			close(nsfd);
			continue;
		}
		close(nsfd);
		for (int j = 0; j < s->nif; j++) {
			char dir[64];

			if (s->ifs[j].netns != e->inode)
				continue;
			snprintf(dir, sizeof(dir), "/sys/class/net/%s/queues", s->ifs[j].name);
			dprintf(fd, "%u %s %d %d\n", e->inode, s->ifs[j].name,
				sysfs_count_entries(dir, "", "tx-"), sysfs_count_entries(dir, "", "rx-"));
		}
		umount2("/sys", MNT_DETACH);
	}
}

/* The queues in use in the other namespaces (netlink gives only the allocated maximum: a veth
 * has one per CPU, uses one). Needs CAP_SYS_ADMIN; without it the maximum stands. */
static void other_queues(struct netns_set *s)
{
	char line[128], name[32];
	unsigned ino;
	int p[2], tx, rx;
	pid_t pid;
	FILE *f;

	if (pipe2(p, O_CLOEXEC))
		return;
	if (!(pid = fork())) {
		close(p[0]);
		child_queues(s, p[1]);
		_exit(0);
	}
	close(p[1]);
	if (pid < 0 || !(f = fdopen(p[0], "r"))) {
		close(p[0]);
		if (pid > 0)
			waitpid(pid, NULL, 0);
		return;
	}
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%u %31s %d %d", &ino, name, &tx, &rx) == 4)
			for (int i = 0; i < s->nif; i++)
				if (s->ifs[i].netns == ino && !strcmp(s->ifs[i].name, name)) {
					if (tx > 0)
						s->ifs[i].ntx = tx;
					if (rx > 0)
						s->ifs[i].nrx = rx;
				}
	fclose(f);
	waitpid(pid, NULL, 0);
}

static int scan_ifaces(const char *root, struct netns_set *s, struct netns_ent *e)
{
	char path[128];
	int fd, err;

	if (*root && strcmp(root, "/"))
		fd = -ENOENT;   /* a fixture tree has no namespaces to enter */
	else
		fd = netlink_in(e->own ? NULL : ns_path(e, path, sizeof(path)));
	if (fd >= 0) {
		err = link_dump(fd, s, e->inode);
		close(fd);
		if (!err) {
			if (e->own)
				own_queues(root, s, e->inode);
			e->listed = true;
			return 0;
		}
		if (err == -ENOMEM)
			return err;
	}
	if (e->pid && !(err = proc_net_dev(root, s, e))) {
		e->listed = true;
		return 0;
	}
	if (err == -ENOMEM)
		return err;
	s->unlisted++;
	return 0;
}

int netns_scan(const char *root, struct netns_set *s, enum netns_depth depth)
{
	unsigned own, init;
	int err;

	memset(s, 0, sizeof(*s));
	if (!root)
		root = "";
	own = inode_of(root, "/proc/self/ns/net");
	init = inode_of(root, "/proc/1/ns/net");
	if ((err = scan_named(root, s)) || (depth >= NETNS_PROCS && (err = scan_procs(root, s))))
		return err;
	if (own && !add_ns(s, own))
		return -ENOMEM;
	if (init) {
		struct netns_ent *e = add_ns(s, init);

		if (!e)
			return -ENOMEM;
		if (!e->pid)
			e->pid = 1;
	}
	for (int i = 0; i < s->n; i++) {
		s->ns[i].own = own && s->ns[i].inode == own;
		s->ns[i].init = init && s->ns[i].inode == init;
	}
	if (depth < NETNS_IFACES)
		return 0;
	for (int i = 0; i < s->n; i++)
		if ((err = scan_ifaces(root, s, &s->ns[i])))
			return err;
	if ((!*root || !strcmp(root, "/")) && s->n > 1)
		other_queues(s);
	return 0;
}

void netns_free(struct netns_set *s)
{
	free(s->ns);
	free(s->ifs);
	memset(s, 0, sizeof(*s));
}

const struct netns_ent *netns_find(const struct netns_set *s, unsigned inode)
{
	for (int i = 0; i < s->n; i++)
		if (s->ns[i].inode == inode)
			return &s->ns[i];
	return NULL;
}

unsigned netns_lookup(const struct netns_set *s, const char *arg)
{
	char num[16];
	size_t len = strlen(arg);

	for (int i = 0; i < s->n; i++)
		if (s->ns[i].name[0] && !strcmp(s->ns[i].name, arg))
			return s->ns[i].inode;
	/* "net:[4026531840]" as readlink /proc/PID/ns/net prints it */
	if (!strncmp(arg, "net:[", 5) && len > 6 && arg[len - 1] == ']' && len - 6 < sizeof(num)) {
		memcpy(num, arg + 5, len - 6);
		num[len - 6] = 0;
		arg = num;
	}
	if (str_all_digits(arg) && strlen(arg) <= 10) {
		unsigned long long v = strtoull(arg, NULL, 10);

		if (v <= 0xffffffffull && netns_find(s, (unsigned)v))
			return (unsigned)v;
	}
	return 0;
}

const char *netns_label(const struct netns_set *s, unsigned inode, char *buf, size_t len)
{
	const struct netns_ent *e = s ? netns_find(s, inode) : NULL;

	if (e && e->name[0])
		snprintf(buf, len, "%s", e->name);
	else if (e && e->init)
		snprintf(buf, len, "init");
	else
		snprintf(buf, len, "%u", inode);
	return buf;
}
