/* NICs, block devices, drivers, queues and the IRQ lines that serve them.
 *
 * IRQ action-name conventions used below, as the drivers write them
 * (checked in kernel source; file names relative to drivers/):
 *   virtio   virtio/virtio_pci_common.c vp_request_msix_vectors /
 *            vp_find_vqs_msix: "<virtioN>-config", "<virtioN>-virtqueues"
 *            (one shared vector), "<virtioN>-<vq name>"; vq names are
 *            "input.N"/"output.N"/"control" (net/virtio_net.c) and "req.N"
 *            (block/virtio_blk.c).  INTx and virtio-mmio request the irq
 *            as plain dev_name(): "virtioN".
 *   nvme     nvme/host/pci.c queue_request_irq: "nvme%dq%d", q0 = admin.
 *            With a single vector q0 and q1 share it: "nvme0q0, nvme0q1".
 *   netfront net/xen-netfront.c setup_netfront_split: "<queue>-tx",
 *            "<queue>-rx"; the queue name is "vif<devid>-q%u" with devid
 *            the xenstore node's last part (xennet_init_queue, so
 *            "vif0-q1-rx" for xenbus device vif-0, whatever the netdev is
 *            called); 3.16-3.18 trees used "<netdev>-q%u".
 *            setup_netfront_single: "<netdev>", the name when the backend
 *            connected, i.e. possibly before udev renamed eth0 -> enX0.
 *   blkfront block/xen-blkfront.c setup_blkring: "blkif" for every ring.
 *   ena      net/ethernet/amazon/ena/ena_netdev.c ena_setup_io_intr:
 *            "<netdev>-Tx-Rx-%d"; ena_setup_mgmnt_intr: "ena-mgmnt@pci:<bdf>".
 *   ixgbevf  net/ethernet/intel/ixgbevf/ixgbevf_main.c
 *            ixgbevf_request_msix_irqs: "<netdev>-TxRx-%u", "-rx-%u",
 *            "-tx-%u", mailbox vector = "<netdev>".
 *   iavf     net/ethernet/intel/iavf/iavf_main.c iavf_request_traffic_irqs:
 *            "iavf-<netdev>-TxRx-%u" (-rx-/-tx-), misc "iavf-<bdf>:mbx".
 *   mlx5     net/ethernet/mellanox/mlx5/core/pci_irq.c irq_set_name +
 *            "%s@pci:%s": "mlx5_comp%d@pci:<bdf>", "mlx5_async%d@pci:<bdf>".
 *   gve      net/ethernet/google/gve/gve_main.c gve_alloc_notify_blocks:
 *            "gve-ntfy-blk%d@pci:<bdf>", "gve-mgmnt@pci:<bdf>"; gve.h
 *            gve_tx_idx_to_ntfy = queue, gve_rx_idx_to_ntfy =
 *            num_ntfy_blks/2 + queue.  Before v1.4.0: "<name>-ntfy-block.%d".
 *   e1000e   net/ethernet/intel/e1000e/netdev.c e1000_request_msix:
 *            "<netdev>-rx-0", "<netdev>-tx-0", other vector "<netdev>";
 *            MSI/INTx: "<netdev>".
 */
#include "platform/devices.h"
#include "out/json.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "iopath.h"
#include "util/util.h"

/* Names and paths are bounded copies on purpose: an over-long sysfs name is
 * shown truncated rather than failing the whole scan. */
#pragma GCC diagnostic ignored "-Wformat-truncation"

/* ------------------------------------------------------------------ */
/* small file helpers                                                  */

static const char *root_prefix(const char *root)
{
	if (!root || !root[0] || (root[0] == '/' && !root[1]))
		return "";
	return root;
}

static void trim(char *s)
{
	size_t n = strlen(s);

	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
}

static int read_file_str(const char *path, char *buf, size_t len)
{
	FILE *f;
	size_t n;

	buf[0] = '\0';
	f = fopen(path, "re");
	if (!f)
		return -errno;
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
	trim(buf);
	return 0;
}

static int read_file_ll(const char *path, long long *v)
{
	char buf[64], *end;

	if (read_file_str(path, buf, sizeof(buf)))
		return -ENOENT;
	*v = strtoll(buf, &end, 0);
	return end == buf ? -EINVAL : 0;
}

static bool path_is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

/* Basename of a symlink target.  Fixtures made without ln(1) may store the
 * target as the content of a small regular file instead; accept both. */
static int link_base(const char *path, char *out, size_t len)
{
	char tgt[PATH_MAX];
	ssize_t n;
	const char *b;

	out[0] = '\0';
	n = readlink(path, tgt, sizeof(tgt) - 1);
	if (n < 0) {
		if (errno != EINVAL)
			return -errno;
		if (read_file_str(path, tgt, sizeof(tgt)) || !tgt[0])
			return -EINVAL;
	} else {
		tgt[n] = '\0';
	}
	trim(tgt);
	n = strlen(tgt);
	while (n > 1 && tgt[n - 1] == '/')
		tgt[--n] = '\0';
	b = strrchr(tgt, '/');
	snprintf(out, len, "%s", b ? b + 1 : tgt);
	return 0;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* Entries of dir whose name starts with prefix (prefix "" = all). */
static int count_entries(const char *dir, const char *prefix)
{
	size_t pl = strlen(prefix);
	struct dirent *de;
	int n = 0;
	DIR *d;

	d = opendir(dir);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (!strncmp(de->d_name, prefix, pl))
			n++;
	}
	closedir(d);
	return n;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* Numeric entry names of dir (msi_irqs/) as a sorted malloc'd array. */
static int list_numeric(const char *dir, int **out, int *n)
{
	struct dirent *de;
	int *v = NULL, cap = 0;
	DIR *d;

	*out = NULL;
	*n = 0;
	d = opendir(dir);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (!all_digits(de->d_name))
			continue;
		if (*n == cap) {
			int *nv;

			cap = cap ? cap * 2 : 16;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				free(v);
				closedir(d);
				return -ENOMEM;
			}
			v = nv;
		}
		v[(*n)++] = atoi(de->d_name);
	}
	closedir(d);
	qsort(v, *n, sizeof(*v), cmp_int);
	*out = v;
	return 0;
}

/* ------------------------------------------------------------------ */
/* /proc/interrupts                                                    */

const char *irq_kind_name(enum irq_kind k)
{
	switch (k) {
	case IRQ_KIND_RX: return "rx";
	case IRQ_KIND_TX: return "tx";
	case IRQ_KIND_RXTX: return "rxtx";
	case IRQ_KIND_CONFIG: return "config";
	case IRQ_KIND_ADMIN: return "admin";
	case IRQ_KIND_OTHER: return "other";
	case IRQ_KIND_NONE: break;
	}
	return "none";
}

void irq_table_free(struct irq_table *t)
{
	if (!t)
		return;
	for (int i = 0; i < t->n; i++)
		free(t->lines[i].counts);
	free(t->lines);
	free(t->cpu_ids);
	memset(t, 0, sizeof(*t));
}

struct irq_line *irq_table_find(const struct irq_table *t, int irq)
{
	for (int i = 0; i < t->n; i++)
		if (t->lines[i].irq == irq)
			return &t->lines[i];
	return NULL;
}

struct irq_line *irq_table_find_name(const struct irq_table *t,
				     const char *name)
{
	for (int i = 0; i < t->n; i++)
		if (!strcmp(t->lines[i].name, name))
			return &t->lines[i];
	return NULL;
}

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* Copies the next whitespace-delimited token; returns the position after. */
static const char *next_token(const char *p, char *tok, size_t len)
{
	size_t n = 0;

	p = skip_ws(p);
	while (*p && !isspace((unsigned char)*p)) {
		if (n + 1 < len)
			tok[n++] = *p;
		p++;
	}
	tok[n] = '\0';
	return p;
}

static int parse_header(const char *line, struct irq_table *t)
{
	const char *p = line;
	char tok[32];
	int cap = 0;

	for (;;) {
		p = next_token(p, tok, sizeof(tok));
		if (!tok[0])
			break;
		if (strncmp(tok, "CPU", 3) || !all_digits(tok + 3))
			continue;
		if (t->ncpu == cap) {
			int *nv;

			cap = cap ? cap * 2 : 64;
			nv = realloc(t->cpu_ids, cap * sizeof(*nv));
			if (!nv)
				return -ENOMEM;
			t->cpu_ids = nv;
		}
		t->cpu_ids[t->ncpu++] = atoi(tok + 3);
	}
	return t->ncpu ? 0 : -EINVAL;
}

/* "5-edge" -> hwirq 5, flow "edge"; "81920-edge"; "27" -> hwirq only. */
static bool parse_hwirq_token(const char *tok, long long *hwirq, char *flow,
			      size_t flen)
{
	const char *p = tok;

	if (!isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p && *p != '-')
		return false;
	*hwirq = strtoll(tok, NULL, 10);
	if (*p == '-')
		snprintf(flow, flen, "%s", p + 1);
	return true;
}

static void split_actions(const char *rest, struct irq_line *l)
{
	const char *p = skip_ws(rest);

	/* show_interrupts() prints "  %s" then ", %s" per extra action. */
	while (*p && l->nactions < IRQ_MAX_ACTIONS) {
		const char *end = strstr(p, ", ");
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char *a = l->action[l->nactions];

		if (n >= IRQ_ACTION_MAX)
			n = IRQ_ACTION_MAX - 1;
		memcpy(a, p, n);
		a[n] = '\0';
		trim(a);
		if (a[0])
			l->nactions++;
		if (!end)
			break;
		p = skip_ws(end + 2);
	}
}

static bool ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);

	return a >= b && !strcmp(s + a - b, suf);
}

/* Everything after the per-CPU counts of a numeric line. */
static void parse_irq_tail(const char *p, struct irq_line *l)
{
	char tok[96];
	const char *q;
	bool xen;

	p = next_token(p, tok, sizeof(tok));
	if (!tok[0])
		return;
	snprintf(l->chip, sizeof(l->chip), "%s", tok);

	/* Optional hwirq ("5-edge", "81920-edge", "27"), optional
	 * "Edge"/"Level", optional "-flow" when the hwirq is blank. */
	q = next_token(p, tok, sizeof(tok));
	if (parse_hwirq_token(tok, &l->hwirq, l->flow, sizeof(l->flow))) {
		p = q;
		q = next_token(p, tok, sizeof(tok));
	}
	if (!strcmp(tok, "Edge") || !strcmp(tok, "Level")) {
		snprintf(l->trigger, sizeof(l->trigger), "%s", tok);
		p = q;
		q = next_token(p, tok, sizeof(tok));
	}
	if (!l->flow[0] && tok[0] == '-' && tok[1]) {
		snprintf(l->flow, sizeof(l->flow), "%s", tok + 1);
		p = q;
	}

	xen = !strncmp(l->chip, "xen-", 4);
	if (xen && l->flow[0]) {
		/* New kernels print "xen-dyn" "-event" (or "xen-dyn-lateeoi"
		 * "-event") as two columns; keep the one-word form old kernels
		 * printed and people grep for. */
		size_t n = strlen(l->chip);

		snprintf(l->chip + n, sizeof(l->chip) - n, "-%s", l->flow);
	} else if (!xen && !l->flow[0] && l->hwirq < 0) {
		/* Pre-3.x "IO-APIC-edge", "PCI-MSI-edge": split the flow. */
		static const char *const flows[] = { "-edge", "-level",
						     "-fasteoi" };

		for (size_t i = 0; i < sizeof(flows) / sizeof(flows[0]); i++) {
			if (ends_with(l->chip, flows[i]) &&
			    strlen(l->chip) > strlen(flows[i])) {
				snprintf(l->flow, sizeof(l->flow), "%s",
					 flows[i] + 1);
				l->chip[strlen(l->chip) - strlen(flows[i])] = '\0';
				break;
			}
		}
	}
	split_actions(p, l);
}

static int parse_line(const char *line, struct irq_table *t,
		      struct irq_line *l)
{
	const char *p = skip_ws(line), *colon;
	size_t n;

	colon = strchr(p, ':');
	if (!colon || colon == p)
		return -EINVAL;
	n = colon - p;
	if (n >= sizeof(l->name))
		return -EINVAL;
	/* A label has no spaces ("LOC", "IPI0", "524544"). */
	for (const char *c = p; c < colon; c++)
		if (isspace((unsigned char)*c))
			return -EINVAL;
	memset(l, 0, sizeof(*l));
	memcpy(l->name, p, n);
	l->name[n] = '\0';
	l->irq = all_digits(l->name) ? atoi(l->name) : -1;
	l->hwirq = -1;
	l->queue = -1;
	l->counts = calloc(t->ncpu ? t->ncpu : 1, sizeof(*l->counts));
	if (!l->counts)
		return -ENOMEM;

	p = colon + 1;
	for (int i = 0; i < (t->ncpu ? t->ncpu : 1); i++) {
		char tok[32];
		const char *q = next_token(p, tok, sizeof(tok));

		if (!all_digits(tok))
			break;
		l->counts[l->ncounts++] = strtoull(tok, NULL, 10);
		l->total += strtoull(tok, NULL, 10);
		p = q;
	}
	if (l->irq >= 0) {
		parse_irq_tail(p, l);
	} else {
		snprintf(l->desc, sizeof(l->desc), "%s", skip_ws(p));
		trim(l->desc);
	}
	return 0;
}

int procirq_parse(const char *path, struct irq_table *t)
{
	char *line = NULL;
	size_t cap = 0;
	bool header = false;
	int err = 0;
	FILE *f;

	memset(t, 0, sizeof(*t));
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (getline(&line, &cap, f) > 0) {
		struct irq_line l;

		/* Never in /proc; lets saved samples carry their source. */
		if (line[0] == '#')
			continue;
		if (!header) {
			/* Some copies (and the tests') start with a blank
			 * line; the header is the first line with "CPU". */
			if (!strstr(line, "CPU"))
				continue;
			err = parse_header(line, t);
			if (err)
				goto out;
			header = true;
			continue;
		}
		err = parse_line(line, t, &l);
		if (err == -ENOMEM)
			goto out;
		if (err) {
			err = 0;	/* not a counter line: skip */
			continue;
		}
		if (t->n == t->cap) {
			struct irq_line *nl;
			int ncap = t->cap ? t->cap * 2 : 64;

			nl = realloc(t->lines, ncap * sizeof(*nl));
			if (!nl) {
				free(l.counts);
				err = -ENOMEM;
				goto out;
			}
			t->lines = nl;
			t->cap = ncap;
		}
		t->lines[t->n++] = l;
	}
	if (!header)
		err = -EINVAL;
out:
	free(line);
	fclose(f);
	if (err)
		irq_table_free(t);
	return err;
}

/* ------------------------------------------------------------------ */
/* device scanning                                                     */

struct scan_ctx {
	const char *root;	/* prefix for paths ("" = live) */
	char rootabs[PATH_MAX];	/* realpath(root) or "" */
};

static void note(struct devices *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void note(struct devices *d, const char *fmt, ...)
{
	va_list ap;

	if (d->nnotes >= DEV_MAX_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(d->notes[d->nnotes++], DEV_NOTE_MAX, fmt, ap);
	va_end(ap);
}

/* Is path (absolute, resolved) inside <root>/sys/devices? */
static bool under_devices(const struct scan_ctx *c, const char *path)
{
	char top[PATH_MAX];
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
	char path[PATH_MAX], tmp[PATH_MAX + 16], sub[32];

	memset(di, 0, sizeof(*di));
	link_base(devlink, di->parent, sizeof(di->parent));
	if (!realpath(devlink, path))
		return;
	snprintf(tmp, sizeof(tmp), "%s/subsystem", path);
	link_base(tmp, di->bus, sizeof(di->bus));
	for (int depth = 0; depth < 8 && under_devices(c, path); depth++) {
		char *slash;

		if (!di->driver[0]) {
			snprintf(tmp, sizeof(tmp), "%s/driver", path);
			link_base(tmp, di->driver, sizeof(di->driver));
		}
		snprintf(tmp, sizeof(tmp), "%s/subsystem", path);
		if (!link_base(tmp, sub, sizeof(sub)) && !strcmp(sub, "pci")) {
			const char *b = strrchr(path, '/');

			snprintf(di->pci_addr, sizeof(di->pci_addr), "%s",
				 b ? b + 1 : path);
			snprintf(di->pci_dir, sizeof(di->pci_dir), "%s", path);
			if (!di->driver[0]) {
				snprintf(tmp, sizeof(tmp), "%s/driver", path);
				link_base(tmp, di->driver, sizeof(di->driver));
			}
			break;
		}
		slash = strrchr(path, '/');
		if (!slash || slash == path)
			break;
		*slash = '\0';
	}
}

static void nic_virt_kind(const char *dir, const char *name, char *out,
			  size_t len)
{
	static const char *const prefixes[] = {
		"veth", "ifb", "dummy", "bond", "vxlan", "geneve", "gre",
		"gretap", "ip6tnl", "sit", "tunl", "wg", "docker", "virbr",
		"tap", "tun", "macvtap", "macvlan", "ipvlan", "vlan", "team",
	};
	char path[PATH_MAX], buf[512], *p;
	long long iflink, ifindex;

	out[0] = '\0';
	/* DEVTYPE= in uevent is the kernel's own word (bridge, vlan,
	 * wireguard, bond...); veth and ifb set none. */
	snprintf(path, sizeof(path), "%s/uevent", dir);
	if (!read_file_str(path, buf, sizeof(buf)) &&
	    (p = strstr(buf, "DEVTYPE="))) {
		size_t n = strcspn(p + 8, "\n");

		snprintf(out, len, "%.*s", (int)n, p + 8);
		return;
	}
	snprintf(path, sizeof(path), "%s/bridge", dir);
	if (path_is_dir(path)) {
		snprintf(out, len, "bridge");
		return;
	}
	snprintf(path, sizeof(path), "%s/tun_flags", dir);
	if (!access(path, F_OK)) {
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
	snprintf(path, sizeof(path), "%s/iflink", dir);
	if (!read_file_ll(path, &iflink)) {
		snprintf(path, sizeof(path), "%s/ifindex", dir);
		if (!read_file_ll(path, &ifindex) && iflink > 0 &&
		    iflink != ifindex) {
			snprintf(out, len, "veth");
			return;
		}
	}
	snprintf(out, len, "virtual");
}

static int scan_nics(const struct scan_ctx *c, struct devices *d)
{
	char dir[PATH_MAX];
	struct dirent *de;
	int cap = 0;
	DIR *dh;

	snprintf(dir, sizeof(dir), "%s/sys/class/net", c->root);
	dh = opendir(dir);
	if (!dh)
		return -errno;
	while ((de = readdir(dh))) {
		char base[PATH_MAX + 256], path[PATH_MAX + 300];
		struct nic *n;
		long long v;

		if (de->d_name[0] == '.' || !strcmp(de->d_name, "lo"))
			continue;
		if (d->nnics == cap) {
			struct nic *nn;

			cap = cap ? cap * 2 : 8;
			nn = realloc(d->nics, cap * sizeof(*nn));
			if (!nn) {
				closedir(dh);
				return -ENOMEM;
			}
			d->nics = nn;
		}
		n = &d->nics[d->nnics++];
		memset(n, 0, sizeof(*n));
		snprintf(n->name, sizeof(n->name), "%s", de->d_name);
		snprintf(base, sizeof(base), "%s/%s", dir, de->d_name);

		snprintf(path, sizeof(path), "%s/ifindex", base);
		n->ifindex = read_file_ll(path, &v) ? -1 : (int)v;
		snprintf(path, sizeof(path), "%s/mtu", base);
		n->mtu = read_file_ll(path, &v) ? -1 : (int)v;
		snprintf(path, sizeof(path), "%s/operstate", base);
		read_file_str(path, n->operstate, sizeof(n->operstate));
		snprintf(path, sizeof(path), "%s/queues", base);
		n->rx_queues = count_entries(path, "rx-");
		n->tx_queues = count_entries(path, "tx-");

		snprintf(path, sizeof(path), "%s/device", base);
		if (access(path, F_OK)) {
			n->is_virtual = true;
			nic_virt_kind(base, n->name, n->virt_kind,
				      sizeof(n->virt_kind));
		} else {
			struct devinfo di;

			device_chain(c, path, &di);
			snprintf(n->parent, sizeof(n->parent), "%s", di.parent);
			snprintf(n->driver, sizeof(n->driver), "%s", di.driver);
			snprintf(n->bus, sizeof(n->bus), "%s", di.bus);
			snprintf(n->pci_addr, sizeof(n->pci_addr), "%s",
				 di.pci_addr);
			if (di.pci_dir[0]) {
				snprintf(path, sizeof(path), "%s/msi_irqs",
					 di.pci_dir);
				if (list_numeric(path, &n->msi_irqs, &n->nmsi) ==
				    -ENOMEM) {
					closedir(dh);
					return -ENOMEM;
				}
			}
		}
	}
	closedir(dh);
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
	snprintf(ctrl_link, llen, "%s", devlink);
	if (!strncmp(parent, "nvme", 4) && all_digits(parent + 4)) {
		snprintf(ctrl, len, "%s", parent);
		return;
	}
	if (strncmp(parent, "nvme-subsys", 11))
		return;
	dh = opendir(devlink);
	if (!dh)
		return;
	while ((de = readdir(dh))) {
		if (!strncmp(de->d_name, "nvme", 4) &&
		    all_digits(de->d_name + 4)) {
			if (!ctrl[0] || strcmp(de->d_name, ctrl) < 0) {
				snprintf(ctrl, len, "%s", de->d_name);
				snprintf(ctrl_link, llen, "%s/%s", devlink,
					 de->d_name);
			}
		}
	}
	closedir(dh);
}

static int scan_blks(const struct scan_ctx *c, struct devices *d)
{
	char dir[PATH_MAX];
	struct dirent *de;
	int cap = 0;
	DIR *dh;

	snprintf(dir, sizeof(dir), "%s/sys/block", c->root);
	dh = opendir(dir);
	if (!dh)
		return -errno;
	while ((de = readdir(dh))) {
		char base[PATH_MAX + 256], path[PATH_MAX + 300];
		char vdrv[DEV_DRIVER_MAX];
		struct blkdev b;
		long long v;

		if (de->d_name[0] == '.')
			continue;
		memset(&b, 0, sizeof(b));
		snprintf(b.name, sizeof(b.name), "%s", de->d_name);
		snprintf(base, sizeof(base), "%s/%s", dir, de->d_name);
		snprintf(path, sizeof(path), "%s/size", base);
		if (!read_file_ll(path, &v))
			b.size_sectors = v;
		snprintf(path, sizeof(path), "%s/mq", base);
		b.hw_queues = count_entries(path, "");

		snprintf(path, sizeof(path), "%s/device", base);
		if (access(path, F_OK)) {
			b.is_virtual = true;
			if (!blk_is_virtual_name(b.name, vdrv, sizeof(vdrv)))
				snprintf(vdrv, sizeof(vdrv), "virtual");
			snprintf(b.driver, sizeof(b.driver), "%s", vdrv);
			/* An unbound loop/nbd or unconfigured zram device is
			 * noise, not a disk. */
			if (!b.size_sectors)
				continue;
		} else {
			char link[PATH_MAX + 320];
			struct devinfo di;

			link_base(path, b.parent, sizeof(b.parent));
			nvme_ctrl_of(path, b.parent, b.nvme_ctrl,
				     sizeof(b.nvme_ctrl), link, sizeof(link));
			device_chain(c, link, &di);
			snprintf(b.driver, sizeof(b.driver), "%s", di.driver);
			snprintf(b.bus, sizeof(b.bus), "%s", di.bus);
			snprintf(b.pci_addr, sizeof(b.pci_addr), "%s",
				 di.pci_addr);
			if (b.nvme_ctrl[0] && b.pci_addr[0])
				snprintf(b.bus, sizeof(b.bus), "pci");
			if (di.pci_dir[0]) {
				snprintf(path, sizeof(path), "%s/msi_irqs",
					 di.pci_dir);
				if (list_numeric(path, &b.msi_irqs, &b.nmsi) ==
				    -ENOMEM) {
					closedir(dh);
					return -ENOMEM;
				}
			}
		}
		if (d->nblks == cap) {
			struct blkdev *nb;

			cap = cap ? cap * 2 : 8;
			nb = realloc(d->blks, cap * sizeof(*nb));
			if (!nb) {
				free(b.msi_irqs);
				closedir(dh);
				return -ENOMEM;
			}
			d->blks = nb;
		}
		d->blks[d->nblks++] = b;
	}
	closedir(dh);
	return 0;
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

struct nic *devices_find_nic(const struct devices *d, const char *name)
{
	for (int i = 0; i < d->nnics; i++)
		if (!strcmp(d->nics[i].name, name))
			return &d->nics[i];
	return NULL;
}

struct blkdev *devices_find_blk(const struct devices *d, const char *name)
{
	for (int i = 0; i < d->nblks; i++)
		if (!strcmp(d->blks[i].name, name))
			return &d->blks[i];
	return NULL;
}

/* ------------------------------------------------------------------ */
/* IRQ -> device mapping                                               */

enum dref_type { DREF_NONE, DREF_NIC, DREF_BLK, DREF_NAME };

struct dref {
	enum dref_type type;
	int idx;
	char name[DEV_NAME_MAX];	/* DREF_NAME: "virtio0", "nvme0" */
};

enum hint_by {
	HB_NONE,
	HB_DEV,		/* resolved to a device */
	HB_BARE,	/* action == netdev name: role depends on the driver */
	HB_BLKIF,	/* xen-blkfront, resolved by order */
	HB_NETFRONT,	/* "<old name>-qN-tx": netfront under a stale name */
	HB_GVE,		/* gve notify block N, direction by count */
};

struct hint {
	enum hint_by by;
	struct dref dev;
	int queue;
	enum irq_kind kind;
	char key[IRQ_ACTION_MAX];	/* HB_NETFRONT prefix, HB_GVE bdf */
	int num;			/* HB_GVE block number */
};

/* Per-line msi ownership found from sysfs */
struct owner {
	int irq;
	struct dref dev;
};

static void dref_nic(struct dref *r, int i)
{
	r->type = DREF_NIC;
	r->idx = i;
}

static void dref_blk(struct dref *r, int i)
{
	r->type = DREF_BLK;
	r->idx = i;
}

static bool dref_eq(const struct dref *a, const struct dref *b)
{
	if (a->type != b->type)
		return false;
	if (a->type == DREF_NAME)
		return !strcmp(a->name, b->name);
	return a->type == DREF_NONE || a->idx == b->idx;
}

static const char *dref_name(const struct devices *d, const struct dref *r)
{
	switch (r->type) {
	case DREF_NIC: return d->nics[r->idx].name;
	case DREF_BLK: return d->blks[r->idx].name;
	case DREF_NAME: return r->name;
	case DREF_NONE: break;
	}
	return "";
}

/* Parses a whole decimal number; false if s is not exactly one. */
static bool parse_num(const char *s, int *v)
{
	if (!all_digits(s) || strlen(s) > 9)
		return false;
	*v = atoi(s);
	return true;
}

/* "<prefix><sep><N>" at the end of s, sep compared case-insensitively and
 * prefix non-empty: returns where sep starts, else NULL. */
static const char *tail_num(const char *s, const char *sep, int *q)
{
	size_t ls = strlen(s), lp = strlen(sep);

	for (size_t i = ls > lp ? ls - lp : 0; i > 0; i--)
		if (!strncasecmp(s + i, sep, lp) && parse_num(s + i + lp, q))
			return s + i;
	return NULL;
}

static bool plausible_ifname(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > 15)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._-", *s))
			return false;
	return true;
}

static void set_owner(struct irq_name_info *o, enum irq_owner type,
		      const char *s, size_t n)
{
	o->type = type;
	if (n >= sizeof(o->owner))
		n = sizeof(o->owner) - 1;
	memcpy(o->owner, s, n);
	o->owner[n] = '\0';
}

int irq_name_parse(const char *a, struct irq_name_info *o)
{
	static const struct {
		const char *sep;
		enum irq_kind kind;
	} netdev_tails[] = {
		/* TxRx forms first: "-Tx-Rx-0" also ends like "-rx-N" */
		{ "-TxRx-", IRQ_KIND_RXTX },	/* ixgbevf, iavf, igb(vf) */
		{ "-Tx-Rx-", IRQ_KIND_RXTX },	/* ena */
		{ "-rx-", IRQ_KIND_RX },	/* ixgbevf, iavf, e1000e */
		{ "-tx-", IRQ_KIND_TX },
	};
	const char *at, *r;
	int n;

	memset(o, 0, sizeof(*o));
	o->queue = -1;
	o->ntfy_block = -1;
	if (!a || !*a)
		return -ENOENT;

	if (!strcmp(a, "blkif")) {
		o->type = IRQ_OWNER_BLKIF;
		o->kind = IRQ_KIND_RXTX;
		return 0;
	}

	/* virtioN[-<vq>] */
	if (!strncmp(a, "virtio", 6) && isdigit((unsigned char)a[6])) {
		size_t l = 6 + strspn(a + 6, "0123456789");

		if (!a[l] || a[l] == '-') {
			set_owner(o, IRQ_OWNER_VIRTIO, a, l);
			r = a[l] ? a + l + 1 : "";
			if (!*r || !strcmp(r, "virtqueues")) {
				o->kind = IRQ_KIND_RXTX;	/* shared / INTx */
			} else if (!strcmp(r, "config")) {
				o->kind = IRQ_KIND_CONFIG;
			} else if (!strcmp(r, "control")) {
				o->kind = IRQ_KIND_ADMIN;
			} else if (!strncmp(r, "input.", 6) && parse_num(r + 6, &n)) {
				o->kind = IRQ_KIND_RX;
				o->queue = n;
			} else if (!strncmp(r, "output.", 7) && parse_num(r + 7, &n)) {
				o->kind = IRQ_KIND_TX;
				o->queue = n;
			} else if (!strncmp(r, "req.", 4) && parse_num(r + 4, &n)) {
				o->kind = IRQ_KIND_RXTX;
				o->queue = n;
			} else if (!strcmp(r, "requests")) {
				/* virtio_blk before multiqueue */
				o->kind = IRQ_KIND_RXTX;
				o->queue = 0;
			} else {
				o->kind = IRQ_KIND_OTHER;
			}
			return 0;
		}
	}

	/* nvmeNqM */
	if (!strncmp(a, "nvme", 4) && isdigit((unsigned char)a[4])) {
		size_t l = 4 + strspn(a + 4, "0123456789");

		if (a[l] == 'q' && parse_num(a + l + 1, &n)) {
			set_owner(o, IRQ_OWNER_NVME, a, l);
			o->kind = n ? IRQ_KIND_RXTX : IRQ_KIND_ADMIN;
			o->queue = n ? n - 1 : -1;
			return 0;
		}
	}

	/* "<what>@pci:<bdf>": mlx5, gve, ena management */
	at = strstr(a, "@pci:");
	if (at) {
		size_t hl = at - a;

		set_owner(o, IRQ_OWNER_PCI, at + 5, strlen(at + 5));
		if (hl > 12 && !strncmp(a, "gve-ntfy-blk", 12) &&
		    sscanf(a + 12, "%d@", &n) == 1) {
			o->ntfy_block = n;		/* direction needs the count */
		} else if (!strncmp(a, "mlx5_comp", 9) &&
			   sscanf(a + 9, "%d@", &n) == 1) {
			o->kind = IRQ_KIND_RXTX;
			o->queue = n;
		} else if (!strncmp(a, "mlx5_combined", 13) &&
			   sscanf(a + 13, "%d@", &n) == 1) {
			o->kind = IRQ_KIND_RXTX;
			o->queue = n;
		} else if (memmem(a, hl, "async", 5) || memmem(a, hl, "mgmnt", 5) ||
			   memmem(a, hl, "ctrl", 4)) {
			o->kind = IRQ_KIND_ADMIN;
		} else {
			o->kind = IRQ_KIND_OTHER;
		}
		return 0;
	}

	/* iavf mailbox "iavf-0000:00:05.0:mbx" */
	if (!strncmp(a, "iavf-", 5) && ends_with(a, ":mbx") && strlen(a) > 9) {
		set_owner(o, IRQ_OWNER_PCI, a + 5, strlen(a) - 9);
		o->kind = IRQ_KIND_ADMIN;
		return 0;
	}

	/* "ahci[0000:00:1f.2]": a driver naming its function */
	if ((r = strchr(a, '[')) && r != a && ends_with(a, "]")) {
		set_owner(o, IRQ_OWNER_PCI, r + 1, strlen(r + 1) - 1);
		o->kind = IRQ_KIND_OTHER;
		return 0;
	}

	/* "<netdev><tail>" */
	for (size_t i = 0; i < sizeof(netdev_tails) / sizeof(netdev_tails[0]); i++) {
		if ((r = tail_num(a, netdev_tails[i].sep, &n))) {
			set_owner(o, IRQ_OWNER_NETDEV, a, r - a);
			o->kind = netdev_tails[i].kind;
			o->queue = n;
			return 0;
		}
	}
	if ((r = tail_num(a, "-ntfy-block.", &n))) {
		/* gve before v1.4.0 */
		set_owner(o, IRQ_OWNER_NETDEV, a, r - a);
		o->ntfy_block = n;
		return 0;
	}
	/* xen-netfront "<netdev>-qN", "-qN-tx", "-qN-rx" */
	for (const char *p = a; (p = strstr(p, "-q")); p++) {
		size_t dl = strspn(p + 2, "0123456789");
		const char *t = p + 2 + dl;

		if (p == a || !dl || dl > 9)
			continue;
		if (*t && strcmp(t, "-tx") && strcmp(t, "-rx"))
			continue;
		set_owner(o, IRQ_OWNER_NETDEV, a, p - a);
		o->queue = atoi(p + 2);
		o->kind = !*t ? IRQ_KIND_RXTX :
			  !strcmp(t, "-tx") ? IRQ_KIND_TX : IRQ_KIND_RX;
		o->netfront = true;
		return 0;
	}
	if (plausible_ifname(a)) {
		/* "eth0": netfront single channel, e1000e/ixgbevf link or
		 * mailbox vector, or no netdev at all ("acpi", "i8042"). */
		set_owner(o, IRQ_OWNER_NETDEV, a, strlen(a));
		o->bare = true;
		return 0;
	}
	return -ENOENT;
}

/* Physical NIC called name, or -1 */
static int nic_index(const struct devices *d, const char *name)
{
	for (int i = 0; i < d->nnics; i++)
		if (!d->nics[i].is_virtual && !strcmp(d->nics[i].name, name))
			return i;
	return -1;
}

static void resolve_virtio(const struct devices *d, const char *vid,
			   struct dref *r)
{
	for (int i = 0; i < d->nnics; i++)
		if (!strcmp(d->nics[i].parent, vid)) {
			dref_nic(r, i);
			return;
		}
	for (int i = 0; i < d->nblks; i++)
		if (!strcmp(d->blks[i].parent, vid)) {
			dref_blk(r, i);
			return;
		}
	/* balloon, vsock, rng...: still say whose it is */
	r->type = DREF_NAME;
	snprintf(r->name, sizeof(r->name), "%s", vid);
}

static void resolve_nvme(const struct devices *d, const char *ctrl,
			 struct dref *r)
{
	int found = -1, count = 0;

	for (int i = 0; i < d->nblks; i++)
		if (!strcmp(d->blks[i].nvme_ctrl, ctrl)) {
			if (found < 0)
				found = i;
			count++;
		}
	if (count == 1) {
		dref_blk(r, found);
		return;
	}
	/* Namespaces share the controller's queues: name the controller. */
	r->type = DREF_NAME;
	snprintf(r->name, sizeof(r->name), "%s", ctrl);
}

static bool resolve_pci(const struct devices *d, const char *bdf,
			struct dref *r)
{
	for (int i = 0; i < d->nnics; i++)
		if (!strcmp(d->nics[i].pci_addr, bdf)) {
			dref_nic(r, i);
			return true;
		}
	for (int i = 0; i < d->nblks; i++)
		if (!strcmp(d->blks[i].pci_addr, bdf)) {
			dref_blk(r, i);
			return true;
		}
	return false;
}

/* NIC whose device link is <prefix><id> ("vif-" "0"), or -1 */
static int nic_by_parent(const struct devices *d, const char *prefix,
			 const char *id)
{
	size_t pl = strlen(prefix);

	for (int i = 0; i < d->nnics; i++)
		if (!strncmp(d->nics[i].parent, prefix, pl) &&
		    !strcmp(d->nics[i].parent + pl, id))
			return i;
	return -1;
}

/* Action name -> hint, using this system's devices.  xen_chip: the line is
 * an event channel (only then may a bare "eth0" be a renamed netfront). */
static bool classify_action(const struct devices *d, const char *a,
			    bool xen_chip, struct hint *h)
{
	struct irq_name_info o;
	int idx;

	memset(h, 0, sizeof(*h));
	h->queue = -1;
	if (irq_name_parse(a, &o))
		return false;
	h->queue = o.queue;
	h->kind = o.kind;
	switch (o.type) {
	case IRQ_OWNER_BLKIF:
		h->by = HB_BLKIF;
		return true;
	case IRQ_OWNER_VIRTIO:
		h->by = HB_DEV;
		resolve_virtio(d, o.owner, &h->dev);
		return true;
	case IRQ_OWNER_NVME:
		h->by = HB_DEV;
		resolve_nvme(d, o.owner, &h->dev);
		return true;
	case IRQ_OWNER_PCI:
		if (o.ntfy_block >= 0) {
			h->by = HB_GVE;
			h->num = o.ntfy_block;
			snprintf(h->key, sizeof(h->key), "%s", o.owner);
			return true;
		}
		if (!resolve_pci(d, o.owner, &h->dev)) {
			if (h->kind == IRQ_KIND_OTHER)
				return false;	/* "ahci[...]" of no disk here */
			h->dev.type = DREF_NAME;
			snprintf(h->dev.name, sizeof(h->dev.name), "%s", o.owner);
		}
		h->by = HB_DEV;
		return true;
	case IRQ_OWNER_NETDEV:
		idx = nic_index(d, o.owner);
		/* netfront "vif<devid>-qN": the xenbus device vif-<devid> */
		if (idx < 0 && o.netfront && !strncmp(o.owner, "vif", 3) &&
		    all_digits(o.owner + 3))
			idx = nic_by_parent(d, "vif-", o.owner + 3);
		/* "iavf-<netdev>-TxRx-N": the driver prefixes its name */
		if (idx < 0 && !o.bare && strchr(o.owner, '-'))
			idx = nic_index(d, strchr(o.owner, '-') + 1);
		if (idx < 0) {
			/* netfront single channel, named eth<N> before udev
			 * renamed it: left for the by-order pass */
			if (o.bare && xen_chip && !strncmp(o.owner, "eth", 3) &&
			    all_digits(o.owner + 3)) {
				h->by = HB_NETFRONT;
				h->kind = IRQ_KIND_RXTX;
				h->queue = 0;
				snprintf(h->key, sizeof(h->key), "%s", o.owner);
				return true;
			}
			if (!o.netfront)
				return false;
			h->by = HB_NETFRONT;
			snprintf(h->key, sizeof(h->key), "%s", o.owner);
			return true;
		}
		dref_nic(&h->dev, idx);
		if (o.ntfy_block >= 0) {
			h->by = HB_GVE;
			h->num = o.ntfy_block;
			snprintf(h->key, sizeof(h->key), "%s",
				 d->nics[idx].pci_addr);
		} else {
			h->by = o.bare ? HB_BARE : HB_DEV;
		}
		return true;
	case IRQ_OWNER_NONE:
		break;
	}
	return false;
}

/* Queue vectors beat admin/other ones when several actions share a line
 * ("nvme0q0, nvme0q1" with one MSI vector). */
static int hint_rank(const struct hint *h)
{
	switch (h->kind) {
	case IRQ_KIND_RX:
	case IRQ_KIND_TX:
	case IRQ_KIND_RXTX:
		return 3;
	case IRQ_KIND_CONFIG:
	case IRQ_KIND_ADMIN:
		return 2;
	default:
		return h->by == HB_NONE ? 0 : 1;
	}
}

/* Bus address in a per-device MSI chip name: "PCI-MSIX-0000:00:03.0",
 * "IR-PCI-MSI-0000:00:19.0" (6.x per-device MSI domains). */
static const char *chip_bdf(const char *chip)
{
	const char *p = strstr(chip, "PCI-MSI");

	if (!p)
		return NULL;
	p += 7;
	if (*p == 'X')
		p++;
	if (*p != '-' || !isxdigit((unsigned char)p[1]))
		return NULL;
	return p + 1;
}

static int add_irq(int **v, int *n, int irq)
{
	int *nv;

	for (int i = 0; i < *n; i++)
		if ((*v)[i] == irq)
			return 0;
	nv = realloc(*v, (*n + 1) * sizeof(int));
	if (!nv)
		return -ENOMEM;
	nv[(*n)++] = irq;
	*v = nv;
	qsort(*v, *n, sizeof(int), cmp_int);
	return 0;
}

static void set_line(const struct devices *d, struct irq_line *l,
		     const struct dref *r, int queue, enum irq_kind kind,
		     bool guessed)
{
	snprintf(l->device, sizeof(l->device), "%s", dref_name(d, r));
	l->queue = queue;
	l->kind = kind;
	l->guessed = guessed;
}

/* Owner of an irq according to msi_irqs/ of the devices' PCI functions */
static struct dref *msi_owner(struct owner *o, int no, int irq)
{
	for (int i = 0; i < no; i++)
		if (o[i].irq == irq)
			return &o[i].dev;
	return NULL;
}

static int collect_msi(struct devices *d, struct owner **out, int *nout)
{
	struct owner *o = NULL;
	int no = 0;

	for (int k = 0; k < d->nnics + d->nblks; k++) {
		struct dref r = { 0 };
		const int *irqs;
		int n;

		if (k < d->nnics) {
			irqs = d->nics[k].msi_irqs;
			n = d->nics[k].nmsi;
			dref_nic(&r, k);
		} else {
			irqs = d->blks[k - d->nnics].msi_irqs;
			n = d->blks[k - d->nnics].nmsi;
			dref_blk(&r, k - d->nnics);
			if (d->blks[r.idx].nvme_ctrl[0])
				resolve_nvme(d, d->blks[r.idx].nvme_ctrl, &r);
		}
		for (int i = 0; i < n; i++) {
			struct owner *no_;

			/* First claimant wins: namespaces of one controller
			 * (and disks behind one HBA) share a function. */
			if (msi_owner(o, no, irqs[i]))
				continue;
			no_ = realloc(o, (no + 1) * sizeof(*o));
			if (!no_) {
				free(o);
				return -ENOMEM;
			}
			o = no_;
			o[no].irq = irqs[i];
			o[no].dev = r;
			no++;
		}
	}
	*out = o;
	*nout = no;
	return 0;
}

static int map_irqs(struct devices *d)
{
	struct irq_table *t = &d->irqs;
	struct hint *hints;
	struct owner *own = NULL;
	int nown = 0, err;

	if (!t->n)
		return 0;
	err = collect_msi(d, &own, &nown);
	if (err)
		return err;
	hints = calloc(t->n, sizeof(*hints));
	if (!hints) {
		free(own);
		return -ENOMEM;
	}

	/* Pass 1: names, msi_irqs and per-device MSI chip names. */
	for (int i = 0; i < t->n; i++) {
		struct irq_line *l = &t->lines[i];
		struct hint *best = &hints[i], h;
		struct dref chip_owner = { 0 }, *owner;
		const char *bdf;

		if (l->irq < 0)
			continue;
		for (int a = 0; a < l->nactions; a++)
			if (classify_action(d, l->action[a],
					    !strncmp(l->chip, "xen-dyn", 7), &h) &&
			    hint_rank(&h) > hint_rank(best))
				*best = h;

		owner = msi_owner(own, nown, l->irq);
		if (!owner && (bdf = chip_bdf(l->chip)) &&
		    resolve_pci(d, bdf, &chip_owner)) {
			if (chip_owner.type == DREF_BLK &&
			    d->blks[chip_owner.idx].nvme_ctrl[0])
				resolve_nvme(d, d->blks[chip_owner.idx].nvme_ctrl,
					     &chip_owner);
			owner = &chip_owner;
		}

		if (best->by == HB_DEV && best->dev.type != DREF_NONE) {
			if (owner && !dref_eq(owner, &best->dev) &&
			    best->dev.type != DREF_NAME) {
				/* msi_irqs is the kernel's own record; the
				 * name may be stale after a rename. */
				note(d, "irq %d: name '%s' suggests %s but msi_irqs says %s",
				     l->irq, l->action[0],
				     dref_name(d, &best->dev), dref_name(d, owner));
				set_line(d, l, owner, -1, IRQ_KIND_OTHER, false);
			} else {
				set_line(d, l, owner && best->dev.type == DREF_NAME ?
					 owner : &best->dev, best->queue,
					 best->kind, false);
			}
			best->by = HB_NONE;
		} else if (best->by == HB_BARE) {
			set_line(d, l, &best->dev, -1, IRQ_KIND_RXTX, false);
		} else if (best->by == HB_NONE && owner) {
			set_line(d, l, owner, -1, IRQ_KIND_OTHER, false);
		}
	}

	/* Pass 2: a bare "<netdev>" line is netfront's single event channel
	 * (queue 0), e1000e/ixgbevf's link/mailbox vector when the device
	 * also has queue vectors, else the device's only vector. */
	for (int i = 0; i < t->n; i++) {
		struct irq_line *l = &t->lines[i];
		const struct nic *n;
		bool has_queues = false;

		if (hints[i].by != HB_BARE)
			continue;
		n = &d->nics[hints[i].dev.idx];
		if (!strcmp(n->driver, "vif")) {
			l->kind = IRQ_KIND_RXTX;
			l->queue = 0;
			continue;
		}
		for (int j = 0; j < t->n; j++)
			if (j != i && !strcmp(t->lines[j].device, n->name) &&
			    (t->lines[j].kind == IRQ_KIND_RX ||
			     t->lines[j].kind == IRQ_KIND_TX ||
			     t->lines[j].kind == IRQ_KIND_RXTX) &&
			    t->lines[j].queue >= 0)
				has_queues = true;
		l->kind = has_queues ? IRQ_KIND_ADMIN : IRQ_KIND_RXTX;
	}

	/* Pass 3: gve notify blocks: the first half are TX, the rest RX. */
	for (int i = 0; i < t->n; i++) {
		struct irq_line *l = &t->lines[i];
		struct dref r = { 0 };
		int total = 0;

		if (hints[i].by != HB_GVE)
			continue;
		for (int j = 0; j < t->n; j++)
			if (hints[j].by == HB_GVE &&
			    !strcmp(hints[j].key, hints[i].key))
				total++;
		if (!resolve_pci(d, hints[i].key, &r) && hints[i].dev.type)
			r = hints[i].dev;
		if (r.type == DREF_NONE) {
			r.type = DREF_NAME;
			snprintf(r.name, sizeof(r.name), "%s", hints[i].key);
		}
		if (hints[i].num < total / 2)
			set_line(d, l, &r, hints[i].num, IRQ_KIND_TX, false);
		else
			set_line(d, l, &r, hints[i].num - total / 2,
				 IRQ_KIND_RX, false);
	}

	/* Pass 4: netfront irqs named after the netdev as it was when the
	 * backend connected (single channel "eth0", or "eth0-q0-tx" on
	 * 3.16-3.18) that udev renamed since: assign distinct stale names, in
	 * irq order, to vif NICs without IRQs, in vif-<id> order. */
	{
		char prefixes[16][IRQ_ACTION_MAX];
		int np = 0, vifs[16], nv = 0;

		for (int i = 0; i < t->n && np < 16; i++) {
			bool seen = false;

			if (hints[i].by != HB_NETFRONT)
				continue;
			for (int k = 0; k < np; k++)
				if (!strcmp(prefixes[k], hints[i].key))
					seen = true;
			if (!seen)
				snprintf(prefixes[np++], IRQ_ACTION_MAX, "%s",
					 hints[i].key);
		}
		for (int k = 0; k < d->nnics && nv < 16 && np; k++) {
			bool has = false;

			if (strcmp(d->nics[k].driver, "vif"))
				continue;
			for (int j = 0; j < t->n; j++)
				if (!strcmp(t->lines[j].device, d->nics[k].name))
					has = true;
			if (!has)
				vifs[nv++] = k;
		}
		/* vif-<N> numeric order = probe order = eth<N> order */
		for (int a = 0; a < nv; a++)
			for (int b = a + 1; b < nv; b++) {
				const char *pa = d->nics[vifs[a]].parent;
				const char *pb = d->nics[vifs[b]].parent;
				int na = atoi(pa + strcspn(pa, "0123456789"));
				int nb = atoi(pb + strcspn(pb, "0123456789"));

				if (nb < na) {
					int tmp = vifs[a];

					vifs[a] = vifs[b];
					vifs[b] = tmp;
				}
			}
		for (int k = 0; k < np; k++) {
			struct dref r = { 0 };

			if (k >= nv) {
				note(d, "netfront irqs named '%s...' match no netdev",
				     prefixes[k]);
				continue;
			}
			dref_nic(&r, vifs[k]);
			note(d, "netfront irqs named '%s...' mapped to %s by order (renamed after connect)",
			     prefixes[k], d->nics[vifs[k]].name);
			for (int i = 0; i < t->n; i++)
				if (hints[i].by == HB_NETFRONT &&
				    !strcmp(hints[i].key, prefixes[k]))
					set_line(d, &t->lines[i], &r,
						 hints[i].queue, hints[i].kind,
						 true);
		}
	}

	/* Pass 5: blkfront names every ring "blkif".  One vbd: all its
	 * rings, in irq order (rings are bound in order).  Several vbds:
	 * only by order when the counts add up, and say so. */
	{
		int nblkif = 0, vbd[64], nvbd = 0, sumq = 0;

		for (int i = 0; i < t->n; i++)
			if (hints[i].by == HB_BLKIF)
				nblkif++;
		for (int k = 0; k < d->nblks && nvbd < 64; k++)
			if (!strcmp(d->blks[k].driver, "vbd")) {
				vbd[nvbd++] = k;
				sumq += d->blks[k].hw_queues > 0 ?
					d->blks[k].hw_queues : 1;
			}
		for (int a = 0; a < nvbd; a++)
			for (int b = a + 1; b < nvbd; b++) {
				const char *pa = d->blks[vbd[a]].parent;
				const char *pb = d->blks[vbd[b]].parent;
				long na = atol(pa + strcspn(pa, "0123456789"));
				long nb = atol(pb + strcspn(pb, "0123456789"));

				if (nb < na) {
					int tmp = vbd[a];

					vbd[a] = vbd[b];
					vbd[b] = tmp;
				}
			}
		if (nblkif && nvbd == 1) {
			struct dref r = { 0 };
			int q = 0;

			dref_blk(&r, vbd[0]);
			for (int i = 0; i < t->n; i++)
				if (hints[i].by == HB_BLKIF)
					set_line(d, &t->lines[i], &r, q++,
						 IRQ_KIND_RXTX, nblkif > 1);
			if (nblkif > 1)
				note(d, "blkif: %d rings of %s numbered in irq order",
				     nblkif, d->blks[vbd[0]].name);
		} else if (nblkif && nvbd > 1 && sumq == nblkif) {
			int k = 0, q = 0;

			for (int i = 0; i < t->n; i++) {
				struct dref r = { 0 };
				int nq;

				if (hints[i].by != HB_BLKIF)
					continue;
				nq = d->blks[vbd[k]].hw_queues > 0 ?
				     d->blks[vbd[k]].hw_queues : 1;
				dref_blk(&r, vbd[k]);
				set_line(d, &t->lines[i], &r, q, IRQ_KIND_RXTX,
					 true);
				if (++q == nq) {
					q = 0;
					k++;
				}
			}
			note(d, "blkif: %d lines for %d vbds assigned by order (vbd id, then ring): a guess",
			     nblkif, nvbd);
		} else if (nblkif) {
			note(d, "blkif: %d lines, %d vbds with %d queues: not mapped (ambiguous)",
			     nblkif, nvbd, sumq);
			for (int i = 0; i < t->n; i++)
				if (hints[i].by == HB_BLKIF)
					t->lines[i].kind = IRQ_KIND_RXTX;
		}
	}

	/* Per-device irq lists */
	for (int i = 0; i < t->n && !err; i++) {
		const struct irq_line *l = &t->lines[i];
		struct nic *n;
		struct blkdev *b;

		if (!l->device[0])
			continue;
		if ((n = devices_find_nic(d, l->device))) {
			err = add_irq(&n->irqs, &n->nirqs, l->irq);
			continue;
		}
		if ((b = devices_find_blk(d, l->device))) {
			err = add_irq(&b->irqs, &b->nirqs, l->irq);
			continue;
		}
		/* nvme controller with several namespaces: all of them */
		for (int k = 0; k < d->nblks && !err; k++)
			if (!strcmp(d->blks[k].nvme_ctrl, l->device))
				err = add_irq(&d->blks[k].irqs,
					      &d->blks[k].nirqs, l->irq);
	}
	free(hints);
	free(own);
	return err;
}

void devices_free(struct devices *d)
{
	if (!d)
		return;
	for (int i = 0; i < d->nnics; i++) {
		free(d->nics[i].irqs);
		free(d->nics[i].msi_irqs);
	}
	for (int i = 0; i < d->nblks; i++) {
		free(d->blks[i].irqs);
		free(d->blks[i].msi_irqs);
	}
	free(d->nics);
	free(d->blks);
	irq_table_free(&d->irqs);
	memset(d, 0, sizeof(*d));
}

int devices_scan(const char *root_arg, struct devices *d)
{
	struct scan_ctx c;
	char path[PATH_MAX + 32];
	int err, enic, eblk;

	if (!d)
		return -EINVAL;
	memset(d, 0, sizeof(*d));
	c.root = root_prefix(root_arg);
	c.rootabs[0] = '\0';
	if (c.root[0] && !realpath(c.root, c.rootabs))
		return -errno;

	enic = scan_nics(&c, d);
	if (enic == -ENOMEM) {
		err = enic;
		goto fail;
	}
	eblk = scan_blks(&c, d);
	if (eblk == -ENOMEM) {
		err = eblk;
		goto fail;
	}
	if (enic && eblk) {
		err = enic;
		goto fail;
	}
	qsort(d->nics, d->nnics, sizeof(*d->nics), cmp_nic);
	qsort(d->blks, d->nblks, sizeof(*d->blks), cmp_blk);

	snprintf(path, sizeof(path), "%s/proc/interrupts", c.root);
	err = procirq_parse(path, &d->irqs);
	if (err == -ENOMEM)
		goto fail;
	if (err)
		note(d, "/proc/interrupts not readable (%s): no IRQ mapping",
		     strerror(-err));
	err = map_irqs(d);
	if (err)
		goto fail;
	return 0;
fail:
	devices_free(d);
	return err;
}

/* ------------------------------------------------------------------ */
/* printers                                                            */

static const char *dash(const char *s)
{
	return s && s[0] ? s : "-";
}

static void print_irq_list(FILE *f, const int *irqs, int n)
{
	if (!n) {
		fputs("-", f);
		return;
	}
	for (int i = 0; i < n; i++)
		fprintf(f, "%s%d", i ? "," : "", irqs[i]);
}

void devices_print(FILE *f, const struct devices *d)
{
	fprintf(f, "network devices:\n");
	fprintf(f, "  %-12s %-4s %-14s %-8s %-13s %-6s %5s %3s %3s  %s\n",
		"name", "idx", "driver", "bus", "pci", "state", "mtu", "rxq",
		"txq", "irqs");
	for (int i = 0; i < d->nnics; i++) {
		const struct nic *n = &d->nics[i];
		char drv[DEV_DRIVER_MAX + 20];

		if (n->is_virtual)
			snprintf(drv, sizeof(drv), "(%s)", dash(n->virt_kind));
		else
			snprintf(drv, sizeof(drv), "%s", dash(n->driver));
		fprintf(f, "  %-12s %-4d %-14s %-8s %-13s %-6s %5d %3d %3d  ",
			n->name, n->ifindex, drv, dash(n->bus),
			dash(n->pci_addr), dash(n->operstate), n->mtu,
			n->rx_queues, n->tx_queues);
		print_irq_list(f, n->irqs, n->nirqs);
		fputc('\n', f);
	}
	fprintf(f, "block devices:\n");
	fprintf(f, "  %-12s %-14s %-8s %-13s %-10s %4s %10s  %s\n", "name",
		"driver", "bus", "pci", "parent", "hwq", "MiB", "irqs");
	for (int i = 0; i < d->nblks; i++) {
		const struct blkdev *b = &d->blks[i];
		char drv[DEV_DRIVER_MAX + 20];

		snprintf(drv, sizeof(drv), b->is_virtual ? "(%s)" : "%s",
			 dash(b->driver));
		fprintf(f, "  %-12s %-14s %-8s %-13s %-10s %4d %10llu  ",
			b->name, drv, dash(b->bus), dash(b->pci_addr),
			dash(b->nvme_ctrl[0] ? b->nvme_ctrl : b->parent),
			b->hw_queues, b->size_sectors / 2048);
		print_irq_list(f, b->irqs, b->nirqs);
		fputc('\n', f);
	}
	fprintf(f, "device interrupts:\n");
	fprintf(f, "  %5s %-24s %-12s %-6s %5s %12s  %s\n", "irq", "chip",
		"device", "kind", "queue", "total", "action");
	for (int i = 0; i < d->irqs.n; i++) {
		const struct irq_line *l = &d->irqs.lines[i];
		char q[16];

		if (!l->device[0])
			continue;
		if (l->queue >= 0)
			snprintf(q, sizeof(q), "%d", l->queue);
		else
			snprintf(q, sizeof(q), "-");
		if (l->guessed)
			strcat(q, "?");
		fprintf(f, "  %5d %-24s %-12s %-6s %5s %12llu  %s%s\n", l->irq,
			l->chip, l->device, irq_kind_name(l->kind), q, l->total,
			l->nactions ? l->action[0] : "-",
			l->nactions > 1 ? ",..." : "");
	}
	for (int i = 0; i < d->nnotes; i++)
		fprintf(f, "  note: %s\n", d->notes[i]);
}

static void json_opt(struct jw *w, const char *key, const char *v)
{
	jw_str(w, key, v && v[0] ? v : NULL);
}

static void json_irq_array(struct jw *w, const int *irqs, int n)
{
	jw_arr_begin(w, "irqs");
	for (int i = 0; i < n; i++)
		jw_int(w, NULL, irqs[i]);
	jw_arr_end(w);
}

void devices_json(struct jw *w, const struct devices *d)
{
	jw_obj_begin(w, "devices");
	jw_arr_begin(w, "nics");
	for (int i = 0; i < d->nnics; i++) {
		const struct nic *n = &d->nics[i];

		jw_obj_begin(w, NULL);
		jw_str(w, "name", n->name);
		jw_int(w, "ifindex", n->ifindex);
		json_opt(w, "driver", n->driver);
		json_opt(w, "bus", n->bus);
		json_opt(w, "parent", n->parent);
		json_opt(w, "pci", n->pci_addr);
		jw_bool(w, "virtual", n->is_virtual);
		json_opt(w, "virtual_kind", n->virt_kind);
		json_opt(w, "operstate", n->operstate);
		jw_int(w, "mtu", n->mtu);
		jw_int(w, "rx_queues", n->rx_queues);
		jw_int(w, "tx_queues", n->tx_queues);
		json_irq_array(w, n->irqs, n->nirqs);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_arr_begin(w, "block");
	for (int i = 0; i < d->nblks; i++) {
		const struct blkdev *b = &d->blks[i];

		jw_obj_begin(w, NULL);
		jw_str(w, "name", b->name);
		json_opt(w, "driver", b->driver);
		json_opt(w, "bus", b->bus);
		json_opt(w, "parent", b->parent);
		json_opt(w, "nvme_ctrl", b->nvme_ctrl);
		json_opt(w, "pci", b->pci_addr);
		jw_bool(w, "virtual", b->is_virtual);
		jw_int(w, "hw_queues", b->hw_queues);
		jw_uint(w, "size_sectors", b->size_sectors);
		json_irq_array(w, b->irqs, b->nirqs);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_arr_begin(w, "irqs");
	for (int i = 0; i < d->irqs.n; i++) {
		const struct irq_line *l = &d->irqs.lines[i];

		jw_obj_begin(w, NULL);
		jw_str(w, "name", l->name);
		if (l->irq >= 0)
			jw_int(w, "irq", l->irq);
		else
			jw_null(w, "irq");
		json_opt(w, "chip", l->chip);
		if (l->hwirq >= 0)
			jw_int(w, "hwirq", l->hwirq);
		else
			jw_null(w, "hwirq");
		json_opt(w, "flow", l->flow);
		json_opt(w, "trigger", l->trigger);
		jw_arr_begin(w, "actions");
		for (int a = 0; a < l->nactions; a++)
			jw_str(w, NULL, l->action[a]);
		jw_arr_end(w);
		json_opt(w, "desc", l->desc);
		jw_uint(w, "total", l->total);
		jw_arr_begin(w, "per_cpu");
		for (int k = 0; k < l->ncounts; k++)
			jw_uint(w, NULL, l->counts[k]);
		jw_arr_end(w);
		json_opt(w, "device", l->device);
		if (l->queue >= 0)
			jw_int(w, "queue", l->queue);
		else
			jw_null(w, "queue");
		jw_str(w, "kind", irq_kind_name(l->kind));
		jw_bool(w, "guessed", l->guessed);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_arr_begin(w, "notes");
	for (int i = 0; i < d->nnotes; i++)
		jw_str(w, NULL, d->notes[i]);
	jw_arr_end(w);
	jw_obj_end(w);
}

void blk_dev_name(unsigned dev, char *buf, size_t len)
{
	char p[64], link[PATH_MAX];
	ssize_t n;

	snprintf(p, sizeof(p), "/sys/dev/block/%u:%u", BLK_DEV_MAJOR(dev), BLK_DEV_MINOR(dev));
	n = readlink(p, link, sizeof(link) - 1);
	if (n > 0) {
		link[n] = 0;
		snprintf(buf, len, "%s", strrchr(link, '/') ? strrchr(link, '/') + 1 : link);
	} else {
		snprintf(buf, len, "%u:%u", BLK_DEV_MAJOR(dev), BLK_DEV_MINOR(dev));
	}
}

unsigned blk_dev_parse(const char *s)
{
	char p[PATH_MAX], buf[32];
	unsigned maj, min;

	if (!strncmp(s, "/dev/", 5))
		s += 5;
	if (!*s || strchr(s, '/'))
		return 0;
	if (sscanf(s, "%u:%u", &maj, &min) != 2) {
		/* whole disks only: per-request keys are disks (rq->q->disk) */
		snprintf(p, sizeof(p), "/sys/block/%s/dev", s);
		if (read_small_file("", p, buf, sizeof(buf)) < 0 || sscanf(buf, "%u:%u", &maj, &min) != 2)
			return 0;
	} else {
		snprintf(p, sizeof(p), "/sys/dev/block/%u:%u", maj, min);
		if (access(p, F_OK))
			return 0;
	}
	return maj << 20 | min;
}
