/* NICs and disks from sysfs (devices_impl.h scan_sysfs): one directory walk
 * serves /sys/class/net and /sys/block, and one device-link reader finds
 * driver, bus, PCI function and msi_irqs for both. */
#include "platform/devices_impl.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "platform/sysfs.h"
#include "util/util.h"

struct scan_ctx {
	const char *root;	/* prefix for paths ("" = live) */
	char rootabs[PATH_MAX];	/* realpath(root) or "" */
	int nic_cap, blk_cap;	/* allocated d->nics, d->blks */
};

/* Is path (absolute, resolved) inside <root>/sys/devices? */
static bool under_devices(const struct scan_ctx *c, const char *path)
{
	char top[PATH_MAX + 16];
	size_t n;

	snprintf(top, sizeof(top), "%s/sys/devices", c->rootabs);
	n = strlen(top);
	return !strncmp(path, top, n) && (path[n] == '/' || !path[n]);
}

struct devinfo {
	char parent[DEV_NAME_MAX];
	char driver[DEV_DRIVER_MAX];
	char bus[16];
	char pci_addr[DEV_PCI_MAX];
	char pci_dir[PATH_MAX];
};

/* Walks from a device directory up the sysfs tree: the first "driver"
 * link names the driver (virtio_net on virtioN, nvme on the PCI function
 * above nvme0), the first ancestor on the pci bus is the function whose
 * msi_irqs/ lists the IRQs. */
static void device_chain(const struct scan_ctx *c, const char *devlink,
			 struct devinfo *di)
{
	char path[PATH_MAX], sub[32];

	memset(di, 0, sizeof(*di));
	sysfs_link_base("", devlink, di->parent, sizeof(di->parent));
	if (!realpath(devlink, path))
		return;
	sysfs_link_base(path, "subsystem", di->bus, sizeof(di->bus));
	for (int depth = 0; depth < 8 && under_devices(c, path); depth++) {
		char *slash;

		if (!di->driver[0])
			sysfs_link_base(path, "driver", di->driver,
					sizeof(di->driver));
		if (!sysfs_link_base(path, "subsystem", sub, sizeof(sub)) &&
		    !strcmp(sub, "pci")) {
			const char *b = strrchr(path, '/');

			str_copy(di->pci_addr, sizeof(di->pci_addr),
				 b ? b + 1 : path);
			str_copy(di->pci_dir, sizeof(di->pci_dir), path);
			if (!di->driver[0])
				sysfs_link_base(path, "driver", di->driver,
						sizeof(di->driver));
			break;
		}
		slash = strrchr(path, '/');
		if (!slash || slash == path)
			break;
		*slash = '\0';
	}
}

/* device_chain(), plus the msi_irqs/ of the PCI function.  0 or -ENOMEM. */
static int read_devlink(const struct scan_ctx *c, const char *devlink,
			struct devinfo *di, int **msi, int *nmsi)
{
	device_chain(c, devlink, di);
	if (di->pci_dir[0] &&
	    sysfs_list_numeric(di->pci_dir, "msi_irqs", msi, nmsi) == -ENOMEM)
		return -ENOMEM;
	return 0;
}

static void nic_virt_kind(const char *dir, const char *name, char *out,
			  size_t len)
{
	static const char *const prefixes[] = {
		"veth", "ifb", "dummy", "bond", "vxlan", "geneve", "gre",
		"gretap", "ip6tnl", "sit", "tunl", "wg", "docker", "virbr",
		"tap", "tun", "macvtap", "macvlan", "ipvlan", "vlan", "team",
	};
	char buf[512], *p;
	long long iflink, ifindex;

	out[0] = '\0';
	/* DEVTYPE= in uevent is the kernel's own word (bridge, vlan,
	 * wireguard, bond...); veth and ifb set none. */
	if (!sysfs_read_str(dir, "uevent", buf, sizeof(buf)) &&
	    (p = strstr(buf, "DEVTYPE="))) {
		size_t n = strcspn(p + 8, "\n");

		snprintf(out, len, "%.*s", (int)n, p + 8);
		return;
	}
	if (sysfs_is_dir(dir, "bridge")) {
		snprintf(out, len, "bridge");
		return;
	}
	if (sysfs_exists(dir, "tun_flags")) {
		snprintf(out, len, "tun");
		return;
	}
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		if (!strncmp(name, prefixes[i], strlen(prefixes[i]))) {
			snprintf(out, len, "%s", prefixes[i]);
			return;
		}
	}
	/* veth reports its peer as iflink and sets no DEVTYPE (vlan,
	 * macvlan, vxlan, which also have a lower device, all set one). */
	if (!sysfs_read_ll(dir, "iflink", &iflink) &&
	    !sysfs_read_ll(dir, "ifindex", &ifindex) && iflink > 0 &&
	    iflink != ifindex) {
		snprintf(out, len, "veth");
		return;
	}
	snprintf(out, len, "virtual");
}

/* Room for one more element of size sz in arr (n used, *cap allocated);
 * the array to use, or NULL (arr still valid) on ENOMEM. */
static void *grow(void *arr, int n, int *cap, size_t sz)
{
	void *nv;
	int ncap;

	if (n < *cap)
		return arr;
	ncap = *cap ? *cap * 2 : 8;
	nv = realloc(arr, ncap * sz);
	if (nv)
		*cap = ncap;
	return nv;
}

/* One /sys/class/net entry; base is its directory.  0 or -ENOMEM. */
static int scan_nic(struct scan_ctx *c, struct devices *d, const char *base,
		    const char *name)
{
	struct nic n = { 0 }, *nn;
	long long v;

	if (!strcmp(name, "lo"))
		return 0;
	/* room first: nothing to undo when there is none */
	if (!(nn = grow(d->nics, d->nnics, &c->nic_cap, sizeof(*nn))))
		return -ENOMEM;
	d->nics = nn;
	str_copy(n.name, sizeof(n.name), name);
	n.ifindex = sysfs_read_ll(base, "ifindex", &v) ? -1 : (int)v;
	n.mtu = sysfs_read_ll(base, "mtu", &v) ? -1 : (int)v;
	sysfs_read_str(base, "operstate", n.operstate, sizeof(n.operstate));
	n.rx_queues = sysfs_count_entries(base, "queues", "rx-");
	n.tx_queues = sysfs_count_entries(base, "queues", "tx-");

	if (!sysfs_exists(base, "device")) {
		n.is_virtual = true;
		nic_virt_kind(base, n.name, n.virt_kind, sizeof(n.virt_kind));
	} else {
		char link[PATH_MAX];
		struct devinfo di;

		root_path(link, sizeof(link), base, "device");
		if (read_devlink(c, link, &di, &n.msi_irqs, &n.nmsi))
			return -ENOMEM;
		str_copy(n.parent, sizeof(n.parent), di.parent);
		str_copy(n.driver, sizeof(n.driver), di.driver);
		str_copy(n.bus, sizeof(n.bus), di.bus);
		str_copy(n.pci_addr, sizeof(n.pci_addr), di.pci_addr);
	}
	d->nics[d->nnics++] = n;
	return 0;
}

static bool blk_is_virtual_name(const char *name, char *drv, size_t len)
{
	static const struct {
		const char *prefix, *driver;
	} v[] = {
		{ "loop", "loop" }, { "zram", "zram" }, { "ram", "brd" },
		{ "dm-", "device-mapper" }, { "md", "md" }, { "nbd", "nbd" },
		{ "rbd", "rbd" }, { "zd", "zfs" }, { "drbd", "drbd" },
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		if (!strncmp(name, v[i].prefix, strlen(v[i].prefix))) {
			snprintf(drv, len, "%s", v[i].driver);
			return true;
		}
	}
	return false;
}

/* nvme0n1's device link points at the controller "nvme0", or with native
 * multipath at "nvme-subsys0", which holds links to its controllers. */
static void nvme_ctrl_of(const char *devlink, const char *parent, char *ctrl,
			 size_t len, char *ctrl_link, size_t llen)
{
	struct dirent *de;
	DIR *dh;

	ctrl[0] = '\0';
	str_copy(ctrl_link, llen, devlink);
	if (!strncmp(parent, "nvme", 4) && str_all_digits(parent + 4)) {
		str_copy(ctrl, len, parent);
		return;
	}
	if (strncmp(parent, "nvme-subsys", 11))
		return;
	dh = opendir(devlink);
	if (!dh)
		return;
	while ((de = readdir(dh))) {
		if (!strncmp(de->d_name, "nvme", 4) &&
		    str_all_digits(de->d_name + 4)) {
			if (!ctrl[0] || strcmp(de->d_name, ctrl) < 0) {
				str_copy(ctrl, len, de->d_name);
				root_path(ctrl_link, llen, devlink, de->d_name);
			}
		}
	}
	closedir(dh);
}

/* One /sys/block entry; base is its directory.  0 or -ENOMEM. */
static int scan_blk(struct scan_ctx *c, struct devices *d, const char *base,
		    const char *name)
{
	struct blkdev b = { 0 }, *nb;
	long long v;

	if (!(nb = grow(d->blks, d->nblks, &c->blk_cap, sizeof(*nb))))
		return -ENOMEM;
	d->blks = nb;
	str_copy(b.name, sizeof(b.name), name);
	if (!sysfs_read_ll(base, "size", &v))
		b.size_sectors = v;
	b.hw_queues = sysfs_count_entries(base, "mq", "");

	if (!sysfs_exists(base, "device")) {
		b.is_virtual = true;
		if (!blk_is_virtual_name(b.name, b.driver, sizeof(b.driver)))
			snprintf(b.driver, sizeof(b.driver), "virtual");
		/* An unbound loop/nbd or unconfigured zram device is noise,
		 * not a disk. */
		if (!b.size_sectors)
			return 0;
	} else {
		char devlink[PATH_MAX], link[PATH_MAX];
		struct devinfo di;

		root_path(devlink, sizeof(devlink), base, "device");
		sysfs_link_base("", devlink, b.parent, sizeof(b.parent));
		nvme_ctrl_of(devlink, b.parent, b.nvme_ctrl, sizeof(b.nvme_ctrl),
			     link, sizeof(link));
		if (read_devlink(c, link, &di, &b.msi_irqs, &b.nmsi))
			return -ENOMEM;
		str_copy(b.driver, sizeof(b.driver), di.driver);
		str_copy(b.bus, sizeof(b.bus), di.bus);
		str_copy(b.pci_addr, sizeof(b.pci_addr), di.pci_addr);
		if (b.nvme_ctrl[0] && b.pci_addr[0])
			snprintf(b.bus, sizeof(b.bus), "pci");
	}
	d->blks[d->nblks++] = b;
	return 0;
}

typedef int (*scan_entry_fn)(struct scan_ctx *c, struct devices *d,
			     const char *base, const char *name);

/* Calls fn for every entry of <root><rel>.  0, -errno of opendir, or fn's
 * first error. */
static int scan_dir(struct scan_ctx *c, struct devices *d, const char *rel,
		    scan_entry_fn fn)
{
	char dir[PATH_MAX], base[PATH_MAX];
	struct dirent *de;
	int err = 0;
	DIR *dh;

	dh = opendir(root_path(dir, sizeof(dir), c->root, rel));
	if (!dh)
		return -errno;
	while (!err && (de = readdir(dh))) {
		if (de->d_name[0] == '.')
			continue;
		err = fn(c, d, root_path(base, sizeof(base), dir, de->d_name),
			 de->d_name);
	}
	closedir(dh);
	return err;
}

static int cmp_nic(const void *a, const void *b)
{
	return strcmp(((const struct nic *)a)->name,
		      ((const struct nic *)b)->name);
}

static int cmp_blk(const void *a, const void *b)
{
	return strcmp(((const struct blkdev *)a)->name,
		      ((const struct blkdev *)b)->name);
}

int scan_sysfs(const char *root, struct devices *d)
{
	struct scan_ctx c = { 0 };
	int enic, eblk;

	/* "/" and "" both mean the live system: no realpath, no "//sys" */
	c.root = !root || (root[0] == '/' && !root[1]) ? "" : root;
	if (c.root[0] && !realpath(c.root, c.rootabs))
		return -errno;

	enic = scan_dir(&c, d, "/sys/class/net", scan_nic);
	if (enic == -ENOMEM)
		return enic;
	eblk = scan_dir(&c, d, "/sys/block", scan_blk);
	if (eblk == -ENOMEM)
		return eblk;
	if (enic && eblk)
		return enic;
	qsort(d->nics, d->nnics, sizeof(*d->nics), cmp_nic);
	qsort(d->blks, d->nblks, sizeof(*d->blks), cmp_blk);
	return 0;
}
