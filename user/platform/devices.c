/* NICs, block devices, drivers, queues and the IRQ lines that serve them
 * (devices.h): the scan's orchestration and the text/JSON printers.
 *
 * The work is done by sysfs.c (file helpers), scan.c (NICs and disks from
 * sysfs), procirq.c (/proc/interrupts), irqname.c (the drivers' IRQ naming
 * rules, one table) and irqmap.c (lines -> device and queue, in passes).
 */
#include "platform/devices.h"
#include "platform/devices_impl.h"
#include "out/json.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "iopath.h"
#include "util/util.h"

void devices_note(struct devices *d, const char *fmt, ...)
{
	va_list ap;

	if (d->nnotes >= DEV_MAX_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(d->notes[d->nnotes++], DEV_NOTE_MAX, fmt, ap);
	va_end(ap);
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

int devices_scan(const char *root, struct devices *d)
{
	char path[PATH_MAX];
	int err;

	if (!d)
		return -EINVAL;
	memset(d, 0, sizeof(*d));
	err = scan_sysfs(root, d);
	if (err)
		goto fail;
	err = procirq_parse(root_path(path, sizeof(path), root, "/proc/interrupts"),
			    &d->irqs);
	if (err == -ENOMEM)
		goto fail;
	if (err)
		devices_note(d, "/proc/interrupts not readable (%s): no IRQ mapping",
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

/* -1 (none) as null */
static void json_int_or_null(struct jw *w, const char *key, long long v)
{
	if (v >= 0)
		jw_int(w, key, v);
	else
		jw_null(w, key);
}

static void json_irq_line(struct jw *w, const struct irq_line *l)
{
	jw_obj_begin(w, NULL);
	jw_str(w, "name", l->name);
	json_int_or_null(w, "irq", l->irq);
	json_opt(w, "chip", l->chip);
	json_int_or_null(w, "hwirq", l->hwirq);
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
	json_int_or_null(w, "queue", l->queue);
	jw_str(w, "kind", irq_kind_name(l->kind));
	jw_bool(w, "guessed", l->guessed);
	jw_obj_end(w);
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
	for (int i = 0; i < d->irqs.n; i++)
		json_irq_line(w, &d->irqs.lines[i]);
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
