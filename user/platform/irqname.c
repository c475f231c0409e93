/* IRQ action names -> owner, queue, kind (irqname.h): one table of rules,
 * one row per driver naming, with where the driver writes the name (checked
 * in kernel source; file names relative to drivers/). */
#include "platform/irqname.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_(x) (sizeof(x) / sizeof((x)[0]))

static const struct irq_name_rule rules[] = {
	/* blkfront block/xen-blkfront.c setup_blkring: "blkif" for every
	 * ring; which vbd and ring it is comes from the order of the lines. */
	{ "xen-blkfront", IRQ_FORM_FIXED, "blkif", IRQ_KIND_RXTX, IRQ_Q_NONE, 0,
	  "blkif" },

	/* virtio virtio/virtio_pci_common.c vp_request_msix_vectors /
	 * vp_find_vqs_msix: "<virtioN>-config", "<virtioN>-virtqueues" (one
	 * shared vector), "<virtioN>-<vq name>".  INTx and virtio-mmio
	 * request the irq as plain dev_name(): "virtioN". */
	{ "virtio", IRQ_FORM_VIRTIO, "", IRQ_KIND_RXTX, IRQ_Q_NONE, 0,
	  "virtio0" },
	{ "virtio", IRQ_FORM_VIRTIO, "virtqueues", IRQ_KIND_RXTX, IRQ_Q_NONE, 0,
	  "virtio1-virtqueues" },
	{ "virtio", IRQ_FORM_VIRTIO, "config", IRQ_KIND_CONFIG, IRQ_Q_NONE, 0,
	  "virtio2-config" },
	/* vq names of net/virtio_net.c: "input.N", "output.N", "control" */
	{ "virtio_net", IRQ_FORM_VIRTIO, "control", IRQ_KIND_ADMIN, IRQ_Q_NONE, 0,
	  "virtio2-control" },
	{ "virtio_net", IRQ_FORM_VIRTIO, "input.%u", IRQ_KIND_RX, IRQ_Q_N, 0,
	  "virtio2-input.0" },
	{ "virtio_net", IRQ_FORM_VIRTIO, "output.%u", IRQ_KIND_TX, IRQ_Q_N, 0,
	  "virtio2-output.1" },
	/* vq names of block/virtio_blk.c: "req.N"; "requests" before
	 * multiqueue */
	{ "virtio_blk", IRQ_FORM_VIRTIO, "req.%u", IRQ_KIND_RXTX, IRQ_Q_N, 0,
	  "virtio1-req.0" },
	{ "virtio_blk", IRQ_FORM_VIRTIO, "requests", IRQ_KIND_RXTX, IRQ_Q_ZERO, 0,
	  "virtio1-requests" },
	/* any other virtqueue (balloon, vsock, rng, input...): the device's,
	 * role unknown */
	{ "virtio", IRQ_FORM_VIRTIO, "*", IRQ_KIND_OTHER, IRQ_Q_NONE, 0,
	  "virtio0-inflate" },

	/* nvme nvme/host/pci.c queue_request_irq: "nvme%dq%d", q0 = admin.
	 * With a single vector q0 and q1 share it: "nvme0q0, nvme0q1". */
	{ "nvme", IRQ_FORM_NVME, "q%u", IRQ_KIND_ADMIN, IRQ_Q_N_IS_ZERO, 0,
	  "nvme0q0" },
	{ "nvme", IRQ_FORM_NVME, "q%u", IRQ_KIND_RXTX, IRQ_Q_N_MINUS_1, 0,
	  "nvme0q2" },

	/* gve net/ethernet/google/gve/gve_main.c gve_alloc_notify_blocks:
	 * "gve-ntfy-blk%d@pci:<bdf>"; gve.h gve_tx_idx_to_ntfy = queue,
	 * gve_rx_idx_to_ntfy = num_ntfy_blks/2 + queue. */
	{ "gve", IRQ_FORM_AT_PCI, "gve-ntfy-blk%d", IRQ_KIND_NONE,
	  IRQ_Q_NTFY_BLOCK, 0, "gve-ntfy-blk3@pci:0000:00:04.0" },
	/* mlx5 net/ethernet/mellanox/mlx5/core/pci_irq.c irq_set_name +
	 * "%s@pci:%s": "mlx5_comp%d@pci:<bdf>", "mlx5_async%d@pci:<bdf>",
	 * "mlx5_combined%d" when the device has a single vector. */
	{ "mlx5_core", IRQ_FORM_AT_PCI, "mlx5_comp%d", IRQ_KIND_RXTX, IRQ_Q_N, 0,
	  "mlx5_comp3@pci:0000:08:00.0" },
	{ "mlx5_core", IRQ_FORM_AT_PCI, "mlx5_combined%d", IRQ_KIND_RXTX,
	  IRQ_Q_N, 0, "mlx5_combined0@pci:0000:08:00.0" },
	{ "mlx5_core", IRQ_FORM_AT_PCI, "*async*", IRQ_KIND_ADMIN, IRQ_Q_NONE, 0,
	  "mlx5_async0@pci:0000:08:00.0" },
	/* ena net/ethernet/amazon/ena/ena_netdev.c ena_setup_mgmnt_intr:
	 * "ena-mgmnt@pci:<bdf>"; gve: "gve-mgmnt@pci:<bdf>". */
	{ "ena, gve", IRQ_FORM_AT_PCI, "*mgmnt*", IRQ_KIND_ADMIN, IRQ_Q_NONE, 0,
	  "ena-mgmnt@pci:0000:00:05.0" },
	/* a control vector of any driver naming its function */
	{ "(any)", IRQ_FORM_AT_PCI, "*ctrl*", IRQ_KIND_ADMIN, IRQ_Q_NONE, 0,
	  "drv-ctrl@pci:0000:00:06.0" },
	{ "(any)", IRQ_FORM_AT_PCI, "*", IRQ_KIND_OTHER, IRQ_Q_NONE, 0,
	  "drv-misc@pci:0000:00:07.0" },

	/* iavf net/ethernet/intel/iavf/iavf_main.c: misc vector
	 * "iavf-<bdf>:mbx" (queue vectors: the netdev rules below). */
	{ "iavf", IRQ_FORM_PCI_IN, "iavf-%s:mbx", IRQ_KIND_ADMIN, IRQ_Q_NONE, 0,
	  "iavf-0000:00:05.0:mbx" },
	/* "ahci[0000:00:1f.2]": a driver naming its function */
	{ "ahci and others", IRQ_FORM_PCI_BRACKET, "*", IRQ_KIND_OTHER,
	  IRQ_Q_NONE, 0, "ahci[0000:00:1f.2]" },

	/* "<netdev><tail>", the TxRx forms first: "-Tx-Rx-0" also ends like
	 * "-rx-N".
	 * ixgbevf net/ethernet/intel/ixgbevf/ixgbevf_main.c
	 *   ixgbevf_request_msix_irqs: "<netdev>-TxRx-%u", "-rx-%u", "-tx-%u"
	 *   (mailbox vector: the bare netdev, last row).
	 * iavf iavf_request_traffic_irqs: "iavf-<netdev>-TxRx-%u" (-rx-/-tx-):
	 *   the owner keeps the "iavf-" for the caller to strip.
	 * igb(vf) the same "-TxRx-%u". */
	{ "ixgbevf, iavf, igb(vf)", IRQ_FORM_NETDEV_TAIL, "-TxRx-%u",
	  IRQ_KIND_RXTX, IRQ_Q_N, IRQ_RULE_NOCASE, "eth0-TxRx-0" },
	/* ena ena_setup_io_intr: "<netdev>-Tx-Rx-%d" */
	{ "ena", IRQ_FORM_NETDEV_TAIL, "-Tx-Rx-%u", IRQ_KIND_RXTX, IRQ_Q_N,
	  IRQ_RULE_NOCASE, "eth0-Tx-Rx-3" },
	/* e1000e net/ethernet/intel/e1000e/netdev.c e1000_request_msix:
	 * "<netdev>-rx-0", "<netdev>-tx-0", other vector "<netdev>" (MSI and
	 * INTx: "<netdev>"); ixgbevf and iavf split vectors alike. */
	{ "ixgbevf, iavf, e1000e", IRQ_FORM_NETDEV_TAIL, "-rx-%u", IRQ_KIND_RX,
	  IRQ_Q_N, IRQ_RULE_NOCASE, "eth0-rx-0" },
	{ "ixgbevf, iavf, e1000e", IRQ_FORM_NETDEV_TAIL, "-tx-%u", IRQ_KIND_TX,
	  IRQ_Q_N, IRQ_RULE_NOCASE, "eth0-tx-0" },
	/* gve before v1.4.0: "<name>-ntfy-block.%d" */
	{ "gve < 1.4.0", IRQ_FORM_NETDEV_TAIL, "-ntfy-block.%u", IRQ_KIND_NONE,
	  IRQ_Q_NTFY_BLOCK, IRQ_RULE_NOCASE, "eth0-ntfy-block.1" },
	/* netfront net/xen-netfront.c setup_netfront_split: "<queue>-tx",
	 * "<queue>-rx"; the queue name is "vif<devid>-q%u" with devid the
	 * xenstore node's last part (xennet_init_queue, so "vif0-q1-rx" for
	 * xenbus device vif-0, whatever the netdev is called); 3.16-3.18
	 * trees used "<netdev>-q%u".  One event channel per queue: the
	 * queue name alone. */
	{ "xen-netfront", IRQ_FORM_NETDEV_TAIL, "-q%u-tx", IRQ_KIND_TX, IRQ_Q_N,
	  IRQ_RULE_NETFRONT, "vif0-q1-tx" },
	{ "xen-netfront", IRQ_FORM_NETDEV_TAIL, "-q%u-rx", IRQ_KIND_RX, IRQ_Q_N,
	  IRQ_RULE_NETFRONT, "vif0-q1-rx" },
	{ "xen-netfront", IRQ_FORM_NETDEV_TAIL, "-q%u", IRQ_KIND_RXTX, IRQ_Q_N,
	  IRQ_RULE_NETFRONT, "vif0-q0" },
	/* A bare interface-like word: netfront setup_netfront_single
	 * "<netdev>" (the name when the backend connected, i.e. possibly
	 * before udev renamed eth0 -> enX0), the e1000e/ixgbevf link or
	 * mailbox vector, or no netdev at all ("acpi", "i8042"): the caller
	 * checks. */
	{ "netfront, e1000e, ixgbevf", IRQ_FORM_NETDEV, "*", IRQ_KIND_NONE,
	  IRQ_Q_NONE, 0, "eth0" },
};

const struct irq_name_rule *irq_name_rules(size_t *n)
{
	*n = N_(rules);
	return rules;
}

/* Does pattern p match all of s[0..n)?  The number of "%u"/"%d" goes to
 * *num.  s[n] is NUL or the '@' of "@pci:", where sscanf's number stops. */
static bool pat_match(const char *p, const char *s, size_t n, bool nocase,
		      long long *num)
{
	for (;;) {
		if (!*p)
			return !n;
		if (*p == '*') {
			for (size_t k = 0; k <= n; k++)
				if (pat_match(p + 1, s + k, n - k, nocase, num))
					return true;
			return false;
		}
		if (p[0] == '%' && p[1] == 'u') {
			size_t d = 0;

			while (d < n && isdigit((unsigned char)s[d]))
				d++;
			if (!d || d > 9)
				return false;
			*num = atoi(s);
			p += 2;
			s += d;
			n -= d;
			continue;
		}
		if (p[0] == '%' && p[1] == 'd') {
			int v, used = 0;

			if (sscanf(s, "%d%n", &v, &used) != 1 || (size_t)used > n)
				return false;
			*num = v;
			return true;
		}
		if (!n || (nocase ? tolower((unsigned char)*p) !=
				    tolower((unsigned char)*s) : *p != *s))
			return false;
		p++;
		s++;
		n--;
	}
}

/* Length of "<word><digits>" at the start of s, or 0. */
static size_t numbered_word(const char *s, const char *word)
{
	size_t wl = strlen(word);

	if (strncmp(s, word, wl) || !isdigit((unsigned char)s[wl]))
		return 0;
	return wl + strspn(s + wl, "0123456789");
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

/* Where a rule's owner and rest are in a name. */
struct split {
	const char *owner, *rest;
	size_t owner_len, rest_len;
	bool matched;		/* the form has matched the pattern already */
};

/* "<netdev><pattern>": the last split with a non-empty netdev. */
static bool split_tail(const struct irq_name_rule *r, const char *a,
		       size_t len, struct split *sp, long long *num)
{
	for (size_t i = len; i-- > 1;)
		if (pat_match(r->pattern, a + i, len - i,
			      r->flags & IRQ_RULE_NOCASE, num)) {
			sp->owner = a;
			sp->owner_len = i;
			sp->matched = true;
			return true;
		}
	return false;
}

/* "iavf-%s:mbx": the bdf between the pattern's two halves. */
static bool split_pci_in(const struct irq_name_rule *r, const char *a,
			 size_t len, struct split *sp)
{
	const char *pct = strstr(r->pattern, "%s");
	size_t pl, sl;

	if (!pct)
		return false;
	pl = pct - r->pattern;
	sl = strlen(pct + 2);
	if (len <= pl + sl || strncmp(a, r->pattern, pl) ||
	    strcmp(a + len - sl, pct + 2))
		return false;
	sp->owner = a + pl;
	sp->owner_len = len - pl - sl;
	sp->matched = true;
	return true;
}

/* Finds owner and rest by the rule's form; false when the form does not
 * fit.  Returns the owner type in *type. */
static bool split_name(const struct irq_name_rule *r, const char *a,
		       struct split *sp, enum irq_owner *type, long long *num)
{
	size_t len = strlen(a), l;
	const char *p;

	memset(sp, 0, sizeof(*sp));
	sp->rest = a;
	sp->rest_len = len;
	switch (r->form) {
	case IRQ_FORM_FIXED:
		*type = IRQ_OWNER_BLKIF;
		return true;
	case IRQ_FORM_VIRTIO:
		l = numbered_word(a, "virtio");
		if (!l || (a[l] && a[l] != '-'))
			return false;
		*type = IRQ_OWNER_VIRTIO;
		sp->owner = a;
		sp->owner_len = l;
		sp->rest = a[l] ? a + l + 1 : a + l;
		sp->rest_len = len - (sp->rest - a);
		return true;
	case IRQ_FORM_NVME:
		l = numbered_word(a, "nvme");
		if (!l)
			return false;
		*type = IRQ_OWNER_NVME;
		sp->owner = a;
		sp->owner_len = l;
		sp->rest = a + l;
		sp->rest_len = len - l;
		return true;
	case IRQ_FORM_AT_PCI:
		if (!(p = strstr(a, "@pci:")))
			return false;
		*type = IRQ_OWNER_PCI;
		sp->owner = p + 5;
		sp->owner_len = strlen(p + 5);
		sp->rest_len = p - a;
		return true;
	case IRQ_FORM_PCI_IN:
		*type = IRQ_OWNER_PCI;
		return split_pci_in(r, a, len, sp);
	case IRQ_FORM_PCI_BRACKET:
		p = strchr(a, '[');
		if (!p || p == a || a[len - 1] != ']')
			return false;
		*type = IRQ_OWNER_PCI;
		sp->owner = p + 1;
		sp->owner_len = len - (p + 1 - a) - 1;
		sp->rest_len = p - a;
		return true;
	case IRQ_FORM_NETDEV_TAIL:
		*type = IRQ_OWNER_NETDEV;
		return split_tail(r, a, len, sp, num);
	case IRQ_FORM_NETDEV:
		*type = IRQ_OWNER_NETDEV;
		sp->owner = a;
		sp->owner_len = len;
		return plausible_ifname(a);
	}
	return false;
}

/* Queue (or gve notify block) from the pattern's number; false when the
 * rule does not take this number. */
static bool rule_queue(const struct irq_name_rule *r, long long num,
		       struct irq_name_info *o)
{
	switch (r->queue) {
	case IRQ_Q_NONE:
		return true;
	case IRQ_Q_N:
		o->queue = num;
		return true;
	case IRQ_Q_ZERO:
		o->queue = 0;
		return true;
	case IRQ_Q_N_MINUS_1:
		if (num < 1)
			return false;
		o->queue = num - 1;
		return true;
	case IRQ_Q_N_IS_ZERO:
		return num == 0;
	case IRQ_Q_NTFY_BLOCK:
		o->ntfy_block = num;
		return true;
	}
	return false;
}

static bool rule_apply(const struct irq_name_rule *r, const char *a,
		       struct irq_name_info *o)
{
	struct irq_name_info t = { .queue = -1, .ntfy_block = -1 };
	struct split sp;
	long long num = -1;
	size_t n;

	if (!split_name(r, a, &sp, &t.type, &num))
		return false;
	if (!sp.matched && !pat_match(r->pattern, sp.rest, sp.rest_len,
				      r->flags & IRQ_RULE_NOCASE, &num))
		return false;
	if (!rule_queue(r, num, &t))
		return false;
	n = sp.owner_len < sizeof(t.owner) ? sp.owner_len : sizeof(t.owner) - 1;
	if (n)
		memcpy(t.owner, sp.owner, n);
	t.owner[n] = '\0';
	t.kind = r->kind;
	t.bare = r->form == IRQ_FORM_NETDEV;
	t.netfront = r->flags & IRQ_RULE_NETFRONT;
	*o = t;
	return true;
}

int irq_name_parse_rule(const char *a, struct irq_name_info *o)
{
	memset(o, 0, sizeof(*o));
	o->queue = -1;
	o->ntfy_block = -1;
	if (!a || !*a)
		return -ENOENT;
	for (size_t i = 0; i < N_(rules); i++)
		if (rule_apply(&rules[i], a, o))
			return (int)i;
	return -ENOENT;
}

int irq_name_parse(const char *a, struct irq_name_info *o)
{
	int r = irq_name_parse_rule(a, o);

	return r < 0 ? r : 0;
}
