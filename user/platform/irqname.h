/* What a driver's naming convention says about one IRQ action name, without
 * looking at sysfs (so it also works on names seen by BPF programs).
 *
 * irq_name_parse() promises the owner as the name gives it (no check that
 * such a device exists: the caller resolves it), the queue and the kind;
 * -ENOENT when no rule matches (out is then cleared: no owner, queue -1).
 * The rules are one table (irqname.c), tried in order, first match wins;
 * adding a driver's naming is one row there.
 *
 * "eth0-Tx-Rx-3" -> netdev "eth0" rxtx 3; "virtio2-input.0" -> virtio2 rx 0;
 * "nvme0q2" -> nvme0 rxtx 1 (hw queue = qid - 1); "mlx5_comp3@pci:<bdf>" ->
 * pci <bdf> rxtx 3; "vif0-q1-rx" -> netdev "vif0" rx 1 (xen-netfront
 * names queues "vif<xenbus devid>-qN", not after the netdev);
 * "blkif" -> blkif.  A lone interface-like word ("eth0", but also "acpi")
 * comes back as a bare netdev for the caller to check.
 */
#ifndef IOPATH_IRQNAME_H
#define IOPATH_IRQNAME_H
#include <stdbool.h>
#include <stddef.h>
#include "platform/procirq.h"

enum irq_owner {
	IRQ_OWNER_NONE = 0,
	IRQ_OWNER_NETDEV,	/* owner = interface name when the irq was requested */
	IRQ_OWNER_VIRTIO,	/* owner = "virtioN" */
	IRQ_OWNER_NVME,		/* owner = controller "nvmeN" */
	IRQ_OWNER_PCI,		/* owner = PCI address */
	IRQ_OWNER_BLKIF,	/* xen-blkfront: the name carries no owner */
};

struct irq_name_info {
	enum irq_owner type;
	char owner[IRQ_ACTION_MAX];
	int queue;		/* -1: none or unknown */
	enum irq_kind kind;	/* IRQ_KIND_NONE: the name alone cannot tell */
	int ntfy_block;		/* gve notify block (direction needs the count), else -1 */
	bool bare;		/* the whole name is an interface name */
	bool netfront;		/* "<netdev>-qN[-tx|-rx]" (xen-netfront) */
};

/* 0, or -ENOENT when no convention matches. */
int irq_name_parse(const char *action, struct irq_name_info *out);

/* ---- the rule table ---- */

/* Where a rule finds the owner; the rule's pattern is matched against the
 * rest of the name. */
enum irq_form {
	IRQ_FORM_FIXED,		/* the whole name is the pattern; no owner */
	IRQ_FORM_VIRTIO,	/* "virtio<N>" or "virtio<N>-<pattern>" */
	IRQ_FORM_NVME,		/* "nvme<N><pattern>" */
	IRQ_FORM_AT_PCI,	/* "<pattern>@pci:<bdf>" (the first "@pci:") */
	IRQ_FORM_PCI_IN,	/* pattern with "%s" where the bdf stands */
	IRQ_FORM_PCI_BRACKET,	/* "<driver>[<bdf>]", <driver> without '[' */
	IRQ_FORM_NETDEV_TAIL,	/* "<netdev><pattern>", <netdev> non-empty */
	IRQ_FORM_NETDEV,	/* the whole name, if interface-like */
};

/* How the queue comes out of the pattern's number N ("%u"/"%d"). */
enum irq_queue_rule {
	IRQ_Q_NONE,		/* no queue */
	IRQ_Q_N,		/* queue N */
	IRQ_Q_ZERO,		/* queue 0: the name of a single-queue device */
	IRQ_Q_N_MINUS_1,	/* N >= 1, queue N - 1 (nvme qid 0 is admin) */
	IRQ_Q_N_IS_ZERO,	/* only N == 0; no queue (nvme admin "q0") */
	IRQ_Q_NTFY_BLOCK,	/* N is a gve notify block: direction needs the count */
};

#define IRQ_RULE_NOCASE 1u	/* pattern letters compared case-insensitively */
#define IRQ_RULE_NETFRONT 2u	/* sets irq_name_info.netfront */

/* Patterns: letters match themselves; "%u" 1-9 decimal digits (the whole
 * run); "%d" a number the way sscanf's %d reads it, the rest of the name
 * not looked at; "*" any run; "%s" the bdf (IRQ_FORM_PCI_IN only). */
struct irq_name_rule {
	const char *driver;	/* whose convention */
	enum irq_form form;
	const char *pattern;
	enum irq_kind kind;
	enum irq_queue_rule queue;
	unsigned flags;		/* IRQ_RULE_* */
	const char *example;	/* a name this row (and no earlier row) matches */
};

/* The table, in the order irq_name_parse() tries it. */
const struct irq_name_rule *irq_name_rules(size_t *n);
/* irq_name_parse() that also says which row matched: its index, or
 * -ENOENT. */
int irq_name_parse_rule(const char *action, struct irq_name_info *out);

#endif
