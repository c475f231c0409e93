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
/* The /proc/interrupts table (procirq_parse, irq_table_find...) and the
 * action-name conventions (irq_name_parse) the mapping is built on. */
#include "platform/procirq.h"
#include "platform/irqname.h"

struct jw;

#define DEV_NAME_MAX IRQ_DEVICE_MAX	/* block names, "virtio12", "nvme-subsys0" */
#define DEV_DRIVER_MAX 48
#define DEV_PCI_MAX 24		/* "0000:00:03.0" */
#define DEV_MAX_NOTES 16
#define DEV_NOTE_MAX 200

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
