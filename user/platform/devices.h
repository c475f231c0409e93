/* NICs, block devices, their drivers, queues and IRQ lines.
 *
 * The tracer charges interrupts to a device queue; this module says which
 * /proc/interrupts line belongs to which device and queue.  Sources (all
 * under a root prefix so fixture trees from tools/snapshot-fixture.sh replay
 * them): /sys/class/net, /sys/block, the sysfs device chain up to the PCI
 * function (driver, msi_irqs), /sys/bus/virtio/devices and /proc/interrupts.
 *
 * Device ownership of an IRQ comes from the PCI function's msi_irqs/ (or the
 * per-device MSI chip name "PCI-MSIX-<bdf>" of newer kernels) when present;
 * queue number and direction come from the driver's action-name convention.
 * Xen event-channel IRQs have neither, so netfront/blkfront lines are mapped
 * by name and, where names do not say, by order (flagged as guessed).
 */
#ifndef IOPATH_DEVICES_H
#define IOPATH_DEVICES_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct jw;

#define DEV_NAME_MAX 48		/* block names, "virtio12", "nvme-subsys0" */
#define DEV_DRIVER_MAX 48
#define DEV_PCI_MAX 24		/* "0000:00:03.0" */
#define IRQ_MAX_ACTIONS 8
#define IRQ_ACTION_MAX 64
#define DEV_MAX_NOTES 16
#define DEV_NOTE_MAX 200

/* ---- /proc/interrupts ---- */

enum irq_kind {
	IRQ_KIND_NONE = 0,	/* role unknown (lines of no device) */
	IRQ_KIND_RX,
	IRQ_KIND_TX,
	IRQ_KIND_RXTX,		/* queue-pair vector, or a block request queue */
	IRQ_KIND_CONFIG,	/* virtio config change */
	IRQ_KIND_ADMIN,		/* nvme q0, mgmt/mailbox/async/link vectors */
	IRQ_KIND_OTHER,		/* the device's, but role unknown */
};

struct irq_line {
	char name[16];		/* "36", or symbolic "LOC", "HYP", "IPI0" */
	int irq;		/* numeric irq, -1 for symbolic lines */
	int ncounts;		/* entries in counts[] (<= ncpu; ERR has 1) */
	unsigned long long *counts;	/* per CPU, header order */
	unsigned long long total;
	/* "IO-APIC", "PCI-MSIX-0000:00:03.0", "PCI-MSI"; Xen chips carry their
	 * flow name the way old kernels printed them: "xen-dyn-event",
	 * "xen-pirq-msi-x", "xen-percpu-virq", "xen-pirq-ioapic-edge". */
	char chip[64];
	long long hwirq;	/* -1 when the kernel printed none */
	char flow[24];		/* "edge", "fasteoi", "event", "msi-x"... or "" */
	char trigger[8];	/* "Edge"/"Level" (GENERIC_IRQ_SHOW_LEVEL) or "" */
	int nactions;
	char action[IRQ_MAX_ACTIONS][IRQ_ACTION_MAX];
	char desc[64];		/* text of symbolic lines ("Local timer interrupts") */

	/* Filled by devices_scan(): */
	char device[DEV_NAME_MAX];	/* "" when unmapped */
	int queue;			/* -1 when none / unknown */
	enum irq_kind kind;
	bool guessed;		/* device or queue inferred from order */
};

struct irq_table {
	int ncpu;		/* CPU columns in the header */
	int *cpu_ids;		/* header CPU numbers ("CPU0 CPU2" when 1 offline) */
	int n, cap;
	struct irq_line *lines;
};

/* Parses a /proc/interrupts file.  Handles the pre-3.x "IO-APIC-edge" chip
 * column, the newer "chip hwirq-flow" columns, GENERIC_IRQ_SHOW_LEVEL
 * ("Edge"/"Level"), blank hwirq (Xen: "xen-dyn    -event"), multiple
 * comma-separated actions and action names with spaces.
 * 0 or -errno; t must be released with irq_table_free(). */
int procirq_parse(const char *path, struct irq_table *t);
void irq_table_free(struct irq_table *t);
/* Line for a numeric irq, or NULL */
struct irq_line *irq_table_find(const struct irq_table *t, int irq);
/* Line by symbolic name ("HYP"), or NULL */
struct irq_line *irq_table_find_name(const struct irq_table *t,
				     const char *name);
const char *irq_kind_name(enum irq_kind k);

/* What a driver's naming convention says about one action name, without
 * looking at sysfs (so it also works on names seen by BPF programs).
 * "eth0-Tx-Rx-3" -> netdev "eth0" rxtx 3; "virtio2-input.0" -> virtio2 rx 0;
 * "nvme0q2" -> nvme0 rxtx 1 (hw queue = qid - 1); "mlx5_comp3@pci:<bdf>" ->
 * pci <bdf> rxtx 3; "vif0-q1-rx" -> netdev "vif0" rx 1 (xen-netfront
 * names queues "vif<xenbus devid>-qN", not after the netdev);
 * "blkif" -> blkif.  A lone interface-like word ("eth0", but also "acpi")
 * comes back as a bare netdev for the caller to check. */
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

/* ---- devices ---- */

struct nic {
	char name[DEV_NAME_MAX];
	int ifindex;
	int mtu;
	char operstate[16];
	char driver[DEV_DRIVER_MAX];	/* "virtio_net", "vif", "ena"; "" if virtual */
	char bus[16];			/* "pci", "virtio", "xen", "" */
	char parent[DEV_NAME_MAX];	/* device link target: "virtio2", "vif-0", "0000:00:05.0" */
	char pci_addr[DEV_PCI_MAX];	/* PCI function up the chain, or "" */
	bool is_virtual;		/* no device link (veth, bridge, ifb...) */
	char virt_kind[16];		/* "veth", "bridge", "ifb", "tun"... */
	int rx_queues, tx_queues;	/* queues/rx-N, queues/tx-N */
	int nmsi;
	int *msi_irqs;			/* PCI function's msi_irqs/, ascending */
	int nirqs;
	int *irqs;			/* mapped irq numbers, ascending */
};

struct blkdev {
	char name[DEV_NAME_MAX];
	char driver[DEV_DRIVER_MAX];	/* "virtio_blk", "vbd", "nvme", "loop" */
	char bus[16];
	char parent[DEV_NAME_MAX];	/* "virtio1", "vbd-51712", "nvme0" */
	char nvme_ctrl[16];		/* "nvme0" for NVMe namespaces */
	char pci_addr[DEV_PCI_MAX];
	bool is_virtual;		/* loop, zram, ram, dm, md, nbd... */
	int hw_queues;			/* entries of /sys/block/X/mq */
	unsigned long long size_sectors;
	int nmsi;
	int *msi_irqs;			/* shared by namespaces / HBA disks */
	int nirqs;
	int *irqs;
};

struct devices {
	int nnics, nblks;
	struct nic *nics;
	struct blkdev *blks;
	struct irq_table irqs;		/* every line, with mapping filled in */
	int nnotes;			/* what was ambiguous or guessed */
	char notes[DEV_MAX_NOTES][DEV_NOTE_MAX];
};

/* root: "" or "/" for the live system.  Virtual block devices of size 0
 * (unbound loop, unconfigured zram) are skipped, "lo" is skipped.  Returns 0 or -errno (-ENOENT when neither
 * /sys/class/net nor /sys/block exists); a missing /proc/interrupts only
 * leaves the IRQ table empty.  Release with devices_free(). */
int devices_scan(const char *root, struct devices *out);
void devices_free(struct devices *d);

struct nic *devices_find_nic(const struct devices *d, const char *name);
struct blkdev *devices_find_blk(const struct devices *d, const char *name);

void devices_print(FILE *f, const struct devices *d);
/* Writes an object member "devices" ({nics, block, irqs, notes}). */
void devices_json(struct jw *w, const struct devices *d);

/* Kernel dev_t (major << 20 | minor) -> "loop3" via /sys/dev/block/M:m;
 * "M:m" when sysfs has no such device. */
void blk_dev_name(unsigned dev, char *buf, size_t len);
/* "loop3", "/dev/loop3" or "7:3" -> kernel dev_t of that whole disk;
 * 0 when there is no such block device. */
unsigned blk_dev_parse(const char *s);

#endif
