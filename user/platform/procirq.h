/* /proc/interrupts as a table of lines.
 *
 * procirq_parse() promises a table of every counter line it could read
 * (numeric IRQs and symbolic ones such as "LOC"), in file order, or an
 * error and no table: 0 or -errno from open, -EINVAL when no "CPU" header
 * line was found, -ENOMEM.  Lines that are not counter lines are skipped,
 * never fatal.  The lookups return NULL when there is no such line.  The
 * device/queue/kind/guessed members of a line are left unmapped (""/-1/
 * IRQ_KIND_NONE/false) for devices_scan() to fill in.
 */
#ifndef IOPATH_PROCIRQ_H
#define IOPATH_PROCIRQ_H
#include <stdbool.h>

#define IRQ_MAX_ACTIONS 8
#define IRQ_ACTION_MAX 64
#define IRQ_DEVICE_MAX 48	/* a device name (devices.h DEV_NAME_MAX) */

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
	char device[IRQ_DEVICE_MAX];	/* "" when unmapped */
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
/* "rx", "tx", "rxtx", "config", "admin", "other"; "none" for the rest. */
const char *irq_kind_name(enum irq_kind k);

#endif
