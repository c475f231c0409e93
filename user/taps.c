/* Tap interfaces, their owners and counters (taps.h). */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "taps.h"

static int read_ull(const char *path, unsigned long long *v)
{
	FILE *f = fopen(path, "r");
	int ok;

	if (!f)
		return -errno;
	ok = fscanf(f, "%llu", v) == 1;
	fclose(f);
	return ok ? 0 : -EINVAL;
}

int tap_counters(const char *root, struct tap_snap *s)
{
	char p[512];
	struct dirent *d;
	DIR *net;

	s->n = 0;
	snprintf(p, sizeof(p), "%s/sys/class/net", root);
	net = opendir(p);
	if (!net)
		return -errno;
	while ((d = readdir(net))) {
		struct tap_ent *t;

		if (d->d_name[0] == '.' || strlen(d->d_name) >= TAP_IFNAME)
			continue;
		snprintf(p, sizeof(p), "%s/sys/class/net/%s/tun_flags", root, d->d_name);
		if (access(p, F_OK))
			continue;
		if (s->n == TAP_MAX) {
			s->truncated = 1;
			break;
		}
		t = &s->e[s->n];
		snprintf(t->ifname, sizeof(t->ifname), "%s", d->d_name);
		snprintf(p, sizeof(p), "%s/sys/class/net/%s/statistics/rx_packets", root, d->d_name);
		if (read_ull(p, &t->rx_packets))
			continue;  /* removed while being read */
		snprintf(p, sizeof(p), "%s/sys/class/net/%s/statistics/tx_packets", root, d->d_name);
		if (read_ull(p, &t->tx_packets))
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

int tap_owners(const char *root, struct tap_snap *s)
{
	char p[1024];
	struct dirent *d;
	DIR *proc;

	snprintf(p, sizeof(p), "%s/proc", root);
	proc = opendir(p);
	if (!proc)
		return -errno;
	while ((d = readdir(proc))) {
		struct dirent *fd;
		DIR *fds;

		if (!isdigit((unsigned char)d->d_name[0]))
			continue;
		snprintf(p, sizeof(p), "%s/proc/%s/fdinfo", root, d->d_name);
		fds = opendir(p);
		if (!fds)
			continue;  /* exited meanwhile */
		while ((fd = readdir(fds))) {
			char ifname[TAP_IFNAME];

			if (!isdigit((unsigned char)fd->d_name[0]))
				continue;
			snprintf(p, sizeof(p), "%s/proc/%s/fdinfo/%s", root, d->d_name, fd->d_name);
			if (!fdinfo_iff(p, ifname, sizeof(ifname)))
				add_owner(s, strtoul(d->d_name, NULL, 10), ifname);
		}
		closedir(fds);
	}
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
