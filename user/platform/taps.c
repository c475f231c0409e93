/* Tap interfaces, their owners and counters (taps.h). */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "platform/taps.h"
#include "platform/sysfs.h"
#include "util/util.h"

int tap_counters(const char *root, struct tap_snap *s)
{
	char p[512];
	struct dirent *d;
	DIR *net;

	s->n = 0;
	net = opendir(root_path(p, sizeof(p), root, "/sys/class/net"));
	if (!net)
		return -errno;
	while ((d = readdir(net))) {
		struct tap_ent *t;

		if (d->d_name[0] == '.' || strlen(d->d_name) >= TAP_IFNAME)
			continue;
		snprintf(p, sizeof(p), "/sys/class/net/%s/tun_flags", d->d_name);
		if (!sysfs_exists(root, p))
			continue;
		if (s->n == TAP_MAX) {
			s->truncated = 1;
			break;
		}
		t = &s->e[s->n];
		snprintf(t->ifname, sizeof(t->ifname), "%s", d->d_name);
		snprintf(p, sizeof(p), "/sys/class/net/%s/statistics/rx_packets", d->d_name);
		if (sysfs_read_ull(root, p, &t->rx_packets))
			continue;  /* removed while being read */
		snprintf(p, sizeof(p), "/sys/class/net/%s/statistics/tx_packets", d->d_name);
		if (sysfs_read_ull(root, p, &t->tx_packets))
			continue;
		s->n++;
	}
	closedir(net);
	return s->n;
}

/* "iff:\t<name>" of a tun descriptor's fdinfo; 0 when found */
static int fdinfo_iff(const char *path, char *name, size_t len)
{
	FILE *f = fopen(path, "r");
	char line[256];
	int ret = -ENOENT;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *v = line + 4;

		if (strncmp(line, "iff:", 4))
			continue;
		v += strspn(v, " \t");
		v[strcspn(v, "\n")] = 0;
		if (*v && strlen(v) < len) {
			snprintf(name, len, "%s", v);
			ret = 0;
		}
		break;
	}
	fclose(f);
	return ret;
}

static void add_owner(struct tap_snap *s, unsigned pid, const char *ifname)
{
	for (int i = 0; i < s->nown; i++)
		if (s->own[i].pid == pid && !strcmp(s->own[i].ifname, ifname))
			return;       /* another queue, or seen by an earlier scan */
	if (s->nown == TAP_MAX) {
		s->truncated = 1;
		return;
	}
	s->own[s->nown].pid = pid;
	snprintf(s->own[s->nown].ifname, TAP_IFNAME, "%s", ifname);
	s->nown++;
}

/* The tun descriptors of one process (pid as text). */
static void owners_of(const char *root, struct tap_snap *s, const char *pid)
{
	char p[1024], link[64];
	struct dirent *fd;
	DIR *fds;

	snprintf(p, sizeof(p), "%s/proc/%s/fd", root, pid);
	fds = opendir(p);
	if (!fds)
		return;  /* exited meanwhile */
	while ((fd = readdir(fds))) {
		char ifname[TAP_IFNAME];
		ssize_t n;

		if (!isdigit((unsigned char)fd->d_name[0]))
			continue;
		/* only /dev/net/tun descriptors have an "iff:" line worth reading */
		snprintf(p, sizeof(p), "%s/proc/%s/fd/%s", root, pid, fd->d_name);
		n = readlink(p, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = 0;
		if (strcmp(link, "/dev/net/tun"))
			continue;
		snprintf(p, sizeof(p), "%s/proc/%s/fdinfo/%s", root, pid, fd->d_name);
		if (!fdinfo_iff(p, ifname, sizeof(ifname)))
			add_owner(s, strtoul(pid, NULL, 10), ifname);
	}
	closedir(fds);
}

int tap_owners(const char *root, struct tap_snap *s, const unsigned int *pids, int npids)
{
	char p[512];
	struct dirent *d;
	DIR *proc;

	snprintf(p, sizeof(p), "%s/proc", root);
	proc = opendir(p);
	if (!proc)
		return -errno;
	if (npids >= 0) {
		closedir(proc);
		for (int i = 0; i < npids; i++) {
			char pid[16];

			snprintf(pid, sizeof(pid), "%u", pids[i]);
			owners_of(root, s, pid);
		}
		return s->nown;
	}
	while ((d = readdir(proc)))
		if (isdigit((unsigned char)d->d_name[0]))
			owners_of(root, s, d->d_name);
	closedir(proc);
	return s->nown;
}

static bool owns(const struct tap_snap *s, unsigned pid, const char *ifname)
{
	for (int i = 0; i < s->nown; i++)
		if (s->own[i].pid == pid && !strcmp(s->own[i].ifname, ifname))
			return true;
	return false;
}

int tap_guest_packets(const struct tap_snap *before, const struct tap_snap *after, unsigned int pid,
		      unsigned long long *guest_tx, unsigned long long *guest_rx, char *names, size_t len)
{
	size_t o = 0;
	int n = 0;

	*guest_tx = *guest_rx = 0;
	if (len)
		names[0] = 0;
	for (int i = 0; i < after->n; i++) {
		const struct tap_ent *a = &after->e[i];

		if (!owns(before, pid, a->ifname) && !owns(after, pid, a->ifname))
			continue;
		for (int j = 0; j < before->n; j++) {
			const struct tap_ent *b = &before->e[j];

			if (strcmp(b->ifname, a->ifname))
				continue;
			if (a->rx_packets >= b->rx_packets && a->tx_packets >= b->tx_packets) {
				*guest_tx += a->rx_packets - b->rx_packets;
				*guest_rx += a->tx_packets - b->tx_packets;
				if (o < len)
					o += snprintf(names + o, len - o, "%s%s", n ? "," : "", a->ifname);
				n++;
			}
			break;
		}
	}
	return n;
}
