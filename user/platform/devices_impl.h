/* What devices.c, scan.c and irqmap.c share; not for other callers.
 *
 * devices_scan() (devices.c) is scan_sysfs(), then procirq_parse() of
 * <root>/proc/interrupts, then map_irqs().  Each step returns 0 or -errno
 * and leaves what it allocated in d for devices_free(); on -ENOMEM the
 * caller must free d.
 */
#ifndef IOPATH_DEVICES_IMPL_H
#define IOPATH_DEVICES_IMPL_H
#include "platform/devices.h"

/* scan.c: fills d->nics and d->blks (sorted by name) from <root>/sys/class/net
 * and <root>/sys/block, with each device's driver, bus, PCI function and
 * msi_irqs.  0 when at least one of the two could be read, else the
 * -errno of /sys/class/net; -errno of realpath(root) for a bad root;
 * -ENOMEM. */
int scan_sysfs(const char *root, struct devices *d);

/* irqmap.c: fills device/queue/kind/guessed of d->irqs' lines and the
 * devices' irqs[] lists.  0 or -ENOMEM. */
int map_irqs(struct devices *d);

/* devices.c: adds one of d->notes[] (dropped when they are full). */
void devices_note(struct devices *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
