/* procirq_parse(), irq_name_parse() and devices_scan() against real data:
 * fixture trees made by tools/snapshot-fixture.sh on real systems, and
 * /proc/interrupts samples quoted in public sources
 * (tests/fixtures/platform/README.md lists where each came from). */
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "platform/devices.h"
#include "platform/platform.h"
#include "out/json.h"
#include "testutil.h"

static char fixture[PATH_MAX];

static const char *fx(const char *name)
{
	snprintf(fixture, sizeof(fixture), "%s/platform/%s", fixtures_dir(),
		 name);
	return fixture;
}

static bool have(const char *name)
{
	return access(fx(name), F_OK) == 0;
}

static const char *sample(const char *file)
{
	static char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s", fx("procirq-samples/"));
	strncat(p, file, sizeof(p) - strlen(p) - 1);
	return p;
}

static struct irq_line *line(struct irq_table *t, int irq)
{
	struct irq_line *l = irq_table_find(t, irq);

	ck_assert_msg(l != NULL, "irq %d missing", irq);
	return l;
}

/* Line irq of t, which has the chip and the first action given. */
static struct irq_line *line_is(struct irq_table *t, int irq, const char *chip, const char *action)
{
	struct irq_line *l = line(t, irq);

	ck_assert_msg(!strcmp(l->chip, chip), "irq %d: chip '%s', want '%s'", irq, l->chip, chip);
	ck_assert_msg(!strcmp(l->action[0], action), "irq %d: action '%s', want '%s'", irq,
		      l->action[0], action);
	return l;
}

static void assert_map(const struct devices *d, int irq, const char *dev,
		       enum irq_kind kind, int queue)
{
	const struct irq_line *l = irq_table_find(&d->irqs, irq);

	ck_assert_msg(l != NULL, "irq %d missing", irq);
	ck_assert_msg(!strcmp(l->device, dev), "irq %d: device '%s', want '%s'",
		      irq, l->device, dev);
	ck_assert_msg(l->kind == kind, "irq %d: kind %s, want %s", irq,
		      irq_kind_name(l->kind), irq_kind_name(kind));
	ck_assert_msg(l->queue == queue, "irq %d: queue %d, want %d", irq,
		      l->queue, queue);
}

/* The what (NIC, disk) called name was found, with driver got (NULL: not found), which must be want. */
static void driver_is(const char *what, const char *name, const char *got, const char *want)
{
	ck_assert_msg(got != NULL, "%s %s missing", what, name);
	ck_assert_msg(!strcmp(got, want), "%s: driver '%s', want '%s'", name, got, want);
}

/* d's NIC name, which must be there, run by that driver. */
static struct nic *nic_is(struct devices *d, const char *name, const char *driver)
{
	struct nic *n = devices_find_nic(d, name);

	driver_is("NIC", name, n ? n->driver : NULL, driver);
	return n;
}

/* d's disk name, which must be there, run by that driver. */
static struct blkdev *blk_is(struct devices *d, const char *name, const char *driver)
{
	struct blkdev *b = devices_find_blk(d, name);

	driver_is("disk", name, b ? b->driver : NULL, driver);
	return b;
}

static bool has_irq(const int *v, int n, int irq)
{
	for (int i = 0; i < n; i++)
		if (v[i] == irq)
			return true;
	return false;
}

/* ---- procirq_parse ---- */

START_TEST(test_parse_thisvm)
{
	struct irq_table t;
	struct irq_line *l;

	ck_assert_int_eq(procirq_parse(fx("thisvm-kvm-6.18/proc/interrupts"), &t), 0);
	ck_assert_int_eq(t.ncpu, 2);
	ck_assert_int_eq(t.cpu_ids[1], 1);
	/* 6.x per-device MSI domain: the chip carries the PCI address */
	l = line_is(&t, 36, "PCI-MSIX-0000:00:02.0", "virtio1-req.0");
	ck_assert_int_eq(l->hwirq, 1);
	ck_assert_str_eq(l->flow, "edge");
	ck_assert_int_eq(l->nactions, 1);
	ck_assert_int_eq(l->ncounts, 2);
	ck_assert_uint_eq(l->counts[0], 0);
	ck_assert_uint_eq(l->counts[1], 182353);
	ck_assert_uint_eq(l->total, 182353);
	ck_assert_int_eq(line_is(&t, 24, "IO-APIC", "ACPI:Ged")->hwirq, 5);
	l = irq_table_find_name(&t, "HYP");
	ck_assert_ptr_nonnull(l);
	ck_assert_int_eq(l->irq, -1);
	ck_assert_str_eq(l->desc, "Hypervisor callback interrupts");
	ck_assert_uint_eq(l->total, 38 + 110);
	/* ERR/MIS have a single count */
	l = irq_table_find_name(&t, "ERR");
	ck_assert_ptr_nonnull(l);
	ck_assert_int_eq(l->ncounts, 1);
	irq_table_free(&t);
}
END_TEST

START_TEST(test_parse_xen_old_columns)
{
	struct irq_table t;
	struct irq_line *l;

	ck_assert_int_eq(procirq_parse(sample("xen-hvm-3.x-old-columns.txt"), &t), 0);
	ck_assert_int_eq(t.ncpu, 8);
	l = line_is(&t, 113, "xen-dyn-event", "blkif");
	ck_assert_int_eq(l->hwirq, -1);
	ck_assert_uint_eq(l->counts[7], 516134858ULL);
	ck_assert_uint_eq(l->total, 8536ULL + 516134858ULL);
	line_is(&t, 64, "xen-percpu-virq", "timer0");
	ck_assert_str_eq(line(&t, 1)->chip, "xen-pirq-ioapic-edge");
	/* pre-3.11 "IO-APIC-edge" is split into chip and flow */
	l = line(&t, 0);
	ck_assert_str_eq(l->chip, "IO-APIC");
	ck_assert_str_eq(l->flow, "edge");
	ck_assert_str_eq(line(&t, 9)->flow, "fasteoi");
	/* " NMI:" is indented in this kernel's output */
	ck_assert_ptr_nonnull(irq_table_find_name(&t, "NMI"));
	ck_assert_uint_eq(irq_table_find_name(&t, "CAL")->total,
			  4286015824ULL + 4285752264ULL + 4287125822ULL +
			  4287268137ULL + 4286953722ULL + 4287128322ULL +
			  4287081469ULL + 4286621008ULL);
	irq_table_free(&t);
}
END_TEST

START_TEST(test_parse_xen_new_columns)
{
	struct irq_table t;
	struct irq_line *l;

	/* blank first line and "CPU0" header without indentation */
	ck_assert_int_eq(procirq_parse(sample("xen-hvm-aws-1cpu.txt"), &t), 0);
	ck_assert_int_eq(t.ncpu, 1);
	l = line_is(&t, 48, "xen-percpu-virq", "timer0");
	ck_assert_str_eq(l->flow, "virq");
	ck_assert_int_eq(l->hwirq, -1);
	ck_assert_uint_eq(line_is(&t, 55, "xen-dyn-event", "blkif")->total, 146580);
	/* pirq-routed legacy IRQ: hwirq and "ioapic-edge" flow */
	l = line(&t, 8);
	ck_assert_str_eq(l->chip, "xen-pirq-ioapic-edge");
	ck_assert_int_eq(l->hwirq, 8);
	ck_assert_str_eq(l->flow, "ioapic-edge");
	ck_assert_str_eq(line(&t, 14)->chip, "IO-APIC");
	ck_assert_uint_eq(irq_table_find_name(&t, "HYP")->total, 1384378);
	irq_table_free(&t);
}
END_TEST

START_TEST(test_parse_xen_pirq_msix)
{
	struct irq_table t;

	ck_assert_int_eq(procirq_parse(sample("xen-hvm-pirq-msix-2cpu.txt"), &t), 0);
	ck_assert_str_eq(line_is(&t, 39, "xen-pirq-msi-x", "ens4-rx-0")->flow, "msi-x");
	line_is(&t, 37, "xen-pirq-msi", "ahci[0000:00:03.0]");
	ck_assert_str_eq(line(&t, 36)->chip, "xen-dyn-event");
	irq_table_free(&t);
}
END_TEST

START_TEST(test_parse_netfront_grep_samples)
{
	struct irq_table t;
	int blkif = 0;

	ck_assert_int_eq(procirq_parse(sample("xen-netfront-mq-4.4-grep.txt"), &t), 0);
	ck_assert_int_eq(t.n, 20);
	for (int i = 0; i < t.n; i++)
		if (!strcmp(t.lines[i].action[0], "blkif"))
			blkif++;
	ck_assert_int_eq(blkif, 3);
	line_is(&t, 115, "xen-dyn-event", "vif0-q7-rx");
	irq_table_free(&t);

	ck_assert_int_eq(procirq_parse(sample("xen-netfront-mq-split-grep.txt"), &t), 0);
	ck_assert_int_eq(t.n, 8);
	ck_assert_int_eq(t.ncpu, 4);
	ck_assert_str_eq(line(&t, 72)->chip, "xen-dyn-event");
	ck_assert_str_eq(line(&t, 72)->flow, "event");
	ck_assert_uint_eq(line(&t, 72)->total, 586350);
	irq_table_free(&t);
}
END_TEST

START_TEST(test_parse_show_level)
{
	struct irq_table t;
	struct irq_line *l;

	ck_assert_int_eq(procirq_parse(sample("arm-xen-dom0-show-level.txt"), &t), 0);
	ck_assert_str_eq(line_is(&t, 21, "xen-dyn-event", "xenbus")->trigger, "Edge");
	l = line_is(&t, 18, "GIC-0", "arch_timer");
	ck_assert_int_eq(l->hwirq, 27);
	ck_assert_str_eq(l->trigger, "Level");
	/* two actions sharing a line */
	l = line(&t, 74);
	ck_assert_int_eq(l->nactions, 2);
	ck_assert_str_eq(l->action[0], "PCIe PME");
	ck_assert_str_eq(l->action[1], "aerdrv");
	ck_assert_int_eq(l->hwirq, 0);
	/* a line with no action left */
	ck_assert_int_eq(line(&t, 25)->nactions, 0);
	ck_assert_str_eq(line(&t, 115)->chip, "xen-dyn-virq");
	l = irq_table_find_name(&t, "IPI2");
	ck_assert_ptr_nonnull(l);
	ck_assert_str_eq(l->desc, "Rescheduling interrupts");
	ck_assert_ptr_nonnull(irq_table_find_name(&t, "Err"));
	irq_table_free(&t);
}
END_TEST

START_TEST(test_parse_old_rhel_and_ir)
{
	struct irq_table t;
	struct irq_line *l;

	ck_assert_int_eq(procirq_parse(sample("rhel5-old-columns.txt"), &t), 0);
	/* action names may contain spaces */
	l = line_is(&t, 16, "IO-APIC", "Intel EtherExpress Pro 10/100 Ethernet");
	ck_assert_str_eq(l->flow, "level");
	ck_assert_str_eq(line(&t, 12)->action[0], "PS/2 Mouse");
	ck_assert_str_eq(line(&t, 0)->chip, "XT-PIC");
	ck_assert_str_eq(line(&t, 0)->flow, "");
	irq_table_free(&t);

	ck_assert_int_eq(procirq_parse(sample("kvm-ir-msi-9cpu-excerpt.txt"), &t), 0);
	ck_assert_int_eq(t.ncpu, 9);
	l = line(&t, 25);
	ck_assert_str_eq(l->chip, "IR-PCI-MSI");
	ck_assert_int_eq(l->hwirq, 81920);
	ck_assert_int_eq(l->nactions, 3);
	ck_assert_str_eq(l->action[2], "pciehp");
	ck_assert_str_eq(line(&t, 20)->action[0], "virtio2");
	irq_table_free(&t);
}
END_TEST

START_TEST(test_parse_errors)
{
	struct irq_table t;
	char path[] = "/tmp/iopath-procirq-XXXXXX";
	int fd = mkstemp(path);

	ck_assert_int_eq(procirq_parse("/nonexistent/interrupts", &t), -ENOENT);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "no header here\n", 15), 15);
	close(fd);
	ck_assert_int_eq(procirq_parse(path, &t), -EINVAL);
	unlink(path);
}
END_TEST

/* ---- irq_name_parse: naming conventions of the drivers in scope ---- */

static void assert_name(const char *a, enum irq_owner type, const char *owner,
			enum irq_kind kind, int queue)
{
	struct irq_name_info o;

	ck_assert_msg(irq_name_parse(a, &o) == 0, "%s: not parsed", a);
	ck_assert_msg(o.type == type, "%s: type %d want %d", a, o.type, type);
	ck_assert_msg(!strcmp(o.owner, owner), "%s: owner '%s' want '%s'", a,
		      o.owner, owner);
	ck_assert_msg(o.kind == kind, "%s: kind %s want %s", a,
		      irq_kind_name(o.kind), irq_kind_name(kind));
	ck_assert_msg(o.queue == queue, "%s: queue %d want %d", a, o.queue,
		      queue);
}

START_TEST(test_name_conventions)
{
	struct irq_name_info o;

	/* virtio (thisvm, deb61 fixtures) */
	assert_name("virtio2-input.0", IRQ_OWNER_VIRTIO, "virtio2", IRQ_KIND_RX, 0);
	assert_name("virtio2-output.0", IRQ_OWNER_VIRTIO, "virtio2", IRQ_KIND_TX, 0);
	assert_name("virtio1-req.1", IRQ_OWNER_VIRTIO, "virtio1", IRQ_KIND_RXTX, 1);
	assert_name("virtio1-config", IRQ_OWNER_VIRTIO, "virtio1", IRQ_KIND_CONFIG, -1);
	assert_name("virtio0-virtqueues", IRQ_OWNER_VIRTIO, "virtio0", IRQ_KIND_RXTX, -1);
	assert_name("virtio2", IRQ_OWNER_VIRTIO, "virtio2", IRQ_KIND_RXTX, -1);
	assert_name("virtio3-event", IRQ_OWNER_VIRTIO, "virtio3", IRQ_KIND_OTHER, -1);
	/* nvme: qid 0 is the admin queue, hw queue = qid - 1 */
	assert_name("nvme0q0", IRQ_OWNER_NVME, "nvme0", IRQ_KIND_ADMIN, -1);
	assert_name("nvme0q2", IRQ_OWNER_NVME, "nvme0", IRQ_KIND_RXTX, 1);
	assert_name("nvme12q31", IRQ_OWNER_NVME, "nvme12", IRQ_KIND_RXTX, 30);
	/* xen-netfront split and single event channels */
	assert_name("vif0-q3-rx", IRQ_OWNER_NETDEV, "vif0", IRQ_KIND_RX, 3);
	assert_name("eth0-q0-tx", IRQ_OWNER_NETDEV, "eth0", IRQ_KIND_TX, 0);
	assert_name("eth0-q1", IRQ_OWNER_NETDEV, "eth0", IRQ_KIND_RXTX, 1);
	ck_assert_int_eq(irq_name_parse("eth0-q1", &o), 0);
	ck_assert(o.netfront);
	assert_name("blkif", IRQ_OWNER_BLKIF, "", IRQ_KIND_RXTX, -1);
	/* ena (ena-aws-excerpt.txt) */
	assert_name("eth0-Tx-Rx-1", IRQ_OWNER_NETDEV, "eth0", IRQ_KIND_RXTX, 1);
	assert_name("ena-mgmnt@pci:0000:00:05.0", IRQ_OWNER_PCI, "0000:00:05.0",
		    IRQ_KIND_ADMIN, -1);
	/* ixgbevf / igbvf / e1000e / iavf */
	assert_name("ens5-TxRx-0", IRQ_OWNER_NETDEV, "ens5", IRQ_KIND_RXTX, 0);
	assert_name("ens4-rx-1", IRQ_OWNER_NETDEV, "ens4", IRQ_KIND_RX, 1);
	assert_name("eth1-tx-0", IRQ_OWNER_NETDEV, "eth1", IRQ_KIND_TX, 0);
	assert_name("iavf-ens6-TxRx-3", IRQ_OWNER_NETDEV, "iavf-ens6", IRQ_KIND_RXTX, 3);
	assert_name("iavf-0000:00:06.0:mbx", IRQ_OWNER_PCI, "0000:00:06.0",
		    IRQ_KIND_ADMIN, -1);
	/* mlx5 */
	assert_name("mlx5_comp7@pci:0000:00:08.0", IRQ_OWNER_PCI, "0000:00:08.0",
		    IRQ_KIND_RXTX, 7);
	assert_name("mlx5_async0@pci:0000:00:08.0", IRQ_OWNER_PCI, "0000:00:08.0",
		    IRQ_KIND_ADMIN, -1);
	/* gve (gve-gcp-excerpt.txt): direction needs the block count */
	ck_assert_int_eq(irq_name_parse("gve-ntfy-blk1@pci:0000:00:04.0", &o), 0);
	ck_assert_int_eq(o.type, IRQ_OWNER_PCI);
	ck_assert_str_eq(o.owner, "0000:00:04.0");
	ck_assert_int_eq(o.ntfy_block, 1);
	assert_name("gve-mgmnt@pci:0000:00:04.0", IRQ_OWNER_PCI, "0000:00:04.0",
		    IRQ_KIND_ADMIN, -1);
	/* "drv[bdf]" */
	assert_name("ahci[0000:00:03.0]", IRQ_OWNER_PCI, "0000:00:03.0",
		    IRQ_KIND_OTHER, -1);
	/* a bare word: maybe a netdev (netfront single channel, e1000e's
	 * other vector), maybe not ("acpi") */
	ck_assert_int_eq(irq_name_parse("eth1", &o), 0);
	ck_assert(o.bare);
	ck_assert_int_eq(o.type, IRQ_OWNER_NETDEV);
	ck_assert_int_eq(irq_name_parse("PCIe PME", &o), -ENOENT);
	ck_assert_int_eq(irq_name_parse("", &o), -ENOENT);
}
END_TEST

/* Every action in every real sample gets through the parser, and the
 * Xen samples' device lines are all recognised. */
START_TEST(test_names_in_samples)
{
	static const struct {
		const char *file;
		int irq;
		enum irq_owner type;
		const char *owner;
		enum irq_kind kind;
		int queue;
	} cases[] = {
		{ "xen-netfront-mq-4.4-grep.txt", 107, IRQ_OWNER_NETDEV, "vif0", IRQ_KIND_RX, 3 },
		{ "xen-netfront-mq-4.4-grep.txt", 97, IRQ_OWNER_BLKIF, "", IRQ_KIND_RXTX, -1 },
		{ "xen-netfront-mq-split-grep.txt", 76, IRQ_OWNER_NETDEV, "vif0", IRQ_KIND_TX, 3 },
		{ "xen-hvm-pirq-msix-2cpu.txt", 42, IRQ_OWNER_NETDEV, "ens4", IRQ_KIND_TX, 1 },
		{ "ena-aws-excerpt.txt", 28, IRQ_OWNER_PCI, "0000:00:05.0", IRQ_KIND_ADMIN, -1 },
		{ "ena-aws-excerpt.txt", 30, IRQ_OWNER_NETDEV, "eth0", IRQ_KIND_RXTX, 1 },
		{ "gve-gcp-excerpt.txt", 26, IRQ_OWNER_PCI, "0000:00:04.0", IRQ_KIND_ADMIN, -1 },
		{ "kvm-ir-msi-9cpu-excerpt.txt", 20, IRQ_OWNER_VIRTIO, "virtio2", IRQ_KIND_RXTX, -1 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct irq_table t;
		struct irq_line *l;

		ck_assert_int_eq(procirq_parse(sample(cases[i].file), &t), 0);
		l = line(&t, cases[i].irq);
		assert_name(l->action[0], cases[i].type, cases[i].owner,
			    cases[i].kind, cases[i].queue);
		irq_table_free(&t);
	}
}
END_TEST

/* ---- the rule table behind irq_name_parse (platform/irqname.h) ---- */

/* Every row is complete. */
START_TEST(test_rows_complete)
{
	size_t n;
	const struct irq_name_rule *r = irq_name_rules(&n);

	ck_assert_uint_gt(n, 0);
	for (size_t i = 0; i < n; i++) {
		ck_assert_msg(r[i].driver && r[i].driver[0], "row %zu: no driver", i);
		ck_assert_msg(r[i].pattern, "row %zu: no pattern", i);
		ck_assert_msg(r[i].example && r[i].example[0],
			      "row %zu: no example", i);
		if (r[i].form == IRQ_FORM_PCI_IN)
			ck_assert_msg(strstr(r[i].pattern, "%s"),
				      "row %zu: no %%s for the bdf", i);
	}
}
END_TEST

/* Each row's example is matched by that very row (not shadowed by an
 * earlier one), with the row's kind and an owner where the form has one. */
START_TEST(test_examples_hit_their_row)
{
	size_t n;
	const struct irq_name_rule *r = irq_name_rules(&n);

	for (size_t i = 0; i < n; i++) {
		struct irq_name_info o;
		int row = irq_name_parse_rule(r[i].example, &o);

		ck_assert_msg(row == (int)i, "'%s' matched row %d, not its row %zu",
			      r[i].example, row, i);
		ck_assert_int_eq(irq_name_parse(r[i].example, &o), 0);
		ck_assert_msg(o.kind == r[i].kind, "'%s': kind %s, row says %s",
			      r[i].example, irq_kind_name(o.kind),
			      irq_kind_name(r[i].kind));
		ck_assert_msg(r[i].form == IRQ_FORM_FIXED || o.owner[0],
			      "'%s': no owner", r[i].example);
		ck_assert_int_eq(o.netfront, !!(r[i].flags & IRQ_RULE_NETFRONT));
		ck_assert_int_eq(o.bare, r[i].form == IRQ_FORM_NETDEV);
		if (r[i].queue == IRQ_Q_NONE || r[i].queue == IRQ_Q_N_IS_ZERO ||
		    r[i].queue == IRQ_Q_NTFY_BLOCK)
			ck_assert_int_eq(o.queue, -1);
		else
			ck_assert_int_ge(o.queue, 0);
		ck_assert_int_eq(o.ntfy_block >= 0, r[i].queue == IRQ_Q_NTFY_BLOCK);
	}
}
END_TEST

START_TEST(test_pattern_forms)
{
	struct irq_name_info o;

	/* %u: 1 to 9 digits, the whole run */
	assert_name("virtio4-input.123456789", IRQ_OWNER_VIRTIO, "virtio4",
		    IRQ_KIND_RX, 123456789);
	assert_name("virtio4-input.1234567890", IRQ_OWNER_VIRTIO, "virtio4",
		    IRQ_KIND_OTHER, -1);
	assert_name("virtio4-input.", IRQ_OWNER_VIRTIO, "virtio4",
		    IRQ_KIND_OTHER, -1);
	/* the number decides between the two nvme rows */
	assert_name("nvme1q00", IRQ_OWNER_NVME, "nvme1", IRQ_KIND_ADMIN, -1);
	assert_name("nvme1q010", IRQ_OWNER_NVME, "nvme1", IRQ_KIND_RXTX, 9);
	/* NOCASE rows; netfront's are case-sensitive */
	assert_name("eth0-txrx-2", IRQ_OWNER_NETDEV, "eth0", IRQ_KIND_RXTX, 2);
	assert_name("eth0-TX-RX-2", IRQ_OWNER_NETDEV, "eth0", IRQ_KIND_RXTX, 2);
	ck_assert_int_eq(irq_name_parse("eth0-Q1-TX", &o), 0);
	ck_assert(!o.netfront);
	ck_assert(o.bare);
	/* %d: as sscanf reads it, what follows not looked at */
	assert_name("mlx5_comp12x@pci:0000:08:00.1", IRQ_OWNER_PCI,
		    "0000:08:00.1", IRQ_KIND_RXTX, 12);
	/* *word*: only before the first "@pci:" */
	assert_name("mlx5_pages@pci:async", IRQ_OWNER_PCI, "async",
		    IRQ_KIND_OTHER, -1);
	/* a tail rule needs a non-empty netdev: only the bare rule is left */
	ck_assert_int_eq(irq_name_parse("-rx-1", &o), 0);
	ck_assert(o.bare);
	ck_assert_int_eq(o.kind, IRQ_KIND_NONE);
	/* PCI_IN needs a non-empty bdf, BRACKET a driver before '[' */
	ck_assert_int_eq(irq_name_parse("iavf-:mbx", &o), -ENOENT);
	ck_assert_int_eq(irq_name_parse("[0000:00:1f.2]", &o), -ENOENT);
	ck_assert_int_eq(irq_name_parse(NULL, &o), -ENOENT);
	ck_assert_int_eq(o.queue, -1);
}
END_TEST

/* ---- devices_scan ---- */

START_TEST(test_scan_thisvm)
{
	struct devices d;
	struct nic *n;
	struct blkdev *b;

	ck_assert_int_eq(devices_scan(fx("thisvm-kvm-6.18"), &d), 0);
	ck_assert_ptr_null(devices_find_nic(&d, "lo"));
	n = nic_is(&d, "eth0", "virtio_net");
	ck_assert_str_eq(n->bus, "virtio");
	ck_assert_str_eq(n->parent, "virtio2");
	ck_assert_str_eq(n->pci_addr, "0000:00:03.0");
	ck_assert(!n->is_virtual);
	ck_assert_int_eq(n->ifindex, 4);
	ck_assert_int_eq(n->mtu, 1400);
	ck_assert_str_eq(n->operstate, "up");
	ck_assert_int_eq(n->rx_queues, 1);
	ck_assert_int_eq(n->tx_queues, 1);
	/* msi_irqs of 0000:00:03.0 */
	ck_assert_int_eq(n->nmsi, 3);
	ck_assert_int_eq(n->nirqs, 3);
	ck_assert(has_irq(n->irqs, n->nirqs, 38));
	assert_map(&d, 37, "eth0", IRQ_KIND_CONFIG, -1);
	assert_map(&d, 38, "eth0", IRQ_KIND_RX, 0);
	assert_map(&d, 39, "eth0", IRQ_KIND_TX, 0);

	n = devices_find_nic(&d, "ifb0");
	ck_assert_ptr_nonnull(n);
	ck_assert(n->is_virtual);
	ck_assert_str_eq(n->virt_kind, "ifb");
	ck_assert_str_eq(n->driver, "");
	ck_assert_int_eq(n->nirqs, 0);

	b = blk_is(&d, "vda", "virtio_blk");
	ck_assert_str_eq(b->parent, "virtio1");
	ck_assert_str_eq(b->pci_addr, "0000:00:02.0");
	ck_assert_int_eq(b->hw_queues, 1);
	ck_assert(!b->is_virtual);
	assert_map(&d, 36, "vda", IRQ_KIND_RXTX, 0);
	assert_map(&d, 35, "vda", IRQ_KIND_CONFIG, -1);
	ck_assert_int_eq(b->nirqs, 2);
	/* unbound loop devices and unconfigured zram are not disks */
	ck_assert_ptr_null(devices_find_blk(&d, "loop0"));
	ck_assert_ptr_null(devices_find_blk(&d, "zram0"));
	ck_assert_int_eq(d.nblks, 1);

	/* virtio devices that are neither NIC nor disk keep their name */
	assert_map(&d, 29, "virtio0", IRQ_KIND_OTHER, -1);
	assert_map(&d, 40, "virtio3", IRQ_KIND_CONFIG, -1);
	/* legacy lines stay unmapped */
	assert_map(&d, 26, "", IRQ_KIND_NONE, -1);
	ck_assert_int_eq(d.nnotes, 0);
	devices_free(&d);
}
END_TEST

START_TEST(test_scan_virtual)
{
	struct devices d;
	struct nic *n;
	struct blkdev *b;

	ck_assert_int_eq(devices_scan(fx("thisvm-kvm-6.18-virtual"), &d), 0);
	n = devices_find_nic(&d, "iopveth0");
	ck_assert_ptr_nonnull(n);
	ck_assert(n->is_virtual);
	ck_assert_str_eq(n->virt_kind, "veth");
	ck_assert_str_eq(n->operstate, "up");
	n = devices_find_nic(&d, "iopveth1");
	ck_assert_ptr_nonnull(n);
	ck_assert_str_eq(n->virt_kind, "veth");
	n = devices_find_nic(&d, "iopbr0");
	ck_assert_ptr_nonnull(n);
	ck_assert_str_eq(n->virt_kind, "bridge");
	ck_assert_int_eq(d.nnics, 6);

	b = devices_find_blk(&d, "loop0");
	ck_assert_ptr_nonnull(b);
	ck_assert(b->is_virtual);
	ck_assert_str_eq(b->driver, "loop");
	ck_assert_uint_eq(b->size_sectors, 32768);	/* 16 MiB */
	ck_assert_int_eq(b->hw_queues, 1);
	ck_assert_int_eq(b->nirqs, 0);
	ck_assert_ptr_null(devices_find_blk(&d, "loop1"));
	/* the physical devices are unaffected */
	assert_map(&d, 38, "eth0", IRQ_KIND_RX, 0);
	devices_free(&d);
}
END_TEST

START_TEST(test_scan_deb61)
{
	struct devices d;
	struct nic *n;
	struct blkdev *b;

	ck_assert_int_eq(devices_scan(fx("deb61-qemu-tcg"), &d), 0);
	/* 6.1 prints a plain "PCI-MSI" chip: msi_irqs is what ties irqs to
	 * functions here. */
	ck_assert_str_eq(irq_table_find(&d.irqs, 25)->chip, "PCI-MSI");
	ck_assert_int_eq(irq_table_find(&d.irqs, 25)->hwirq, 49153);

	n = nic_is(&d, "eth0", "virtio_net");
	ck_assert_str_eq(n->parent, "virtio0");
	assert_map(&d, 24, "eth0", IRQ_KIND_CONFIG, -1);
	assert_map(&d, 25, "eth0", IRQ_KIND_RX, 0);
	assert_map(&d, 26, "eth0", IRQ_KIND_TX, 0);

	n = nic_is(&d, "eth1", "e1000e");
	ck_assert_str_eq(n->bus, "pci");
	ck_assert_str_eq(n->pci_addr, "0000:00:04.0");
	ck_assert_int_eq(n->nmsi, 3);
	assert_map(&d, 33, "eth1", IRQ_KIND_RX, 0);
	assert_map(&d, 34, "eth1", IRQ_KIND_TX, 0);
	/* e1000e's "other" (link) vector is named after the netdev */
	assert_map(&d, 35, "eth1", IRQ_KIND_ADMIN, -1);

	b = blk_is(&d, "vda", "virtio_blk");
	ck_assert_int_eq(b->hw_queues, 2);
	assert_map(&d, 28, "vda", IRQ_KIND_RXTX, 0);
	assert_map(&d, 29, "vda", IRQ_KIND_RXTX, 1);

	b = blk_is(&d, "nvme0n1", "nvme");
	ck_assert_str_eq(b->nvme_ctrl, "nvme0");
	ck_assert_str_eq(b->pci_addr, "0000:00:06.0");
	ck_assert_str_eq(b->bus, "pci");
	ck_assert_int_eq(b->hw_queues, 2);
	assert_map(&d, 30, "nvme0n1", IRQ_KIND_ADMIN, -1);
	assert_map(&d, 31, "nvme0n1", IRQ_KIND_RXTX, 0);
	assert_map(&d, 32, "nvme0n1", IRQ_KIND_RXTX, 1);
	ck_assert_int_eq(b->nirqs, 3);
	assert_map(&d, 4, "", IRQ_KIND_NONE, -1);
	devices_free(&d);
}
END_TEST

START_TEST(test_scan_xen)
{
	static const char *const names[] = {
		"xen-pv-deb61", "xen-pvh-deb61", "xen-hvm-deb61", "xen-pv-deb11",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct devices d;
		struct nic *n;
		struct blkdev *b;
		int tx = 0, rx = 0, blkif = 0;

		ck_assert_msg(have(names[i]), "fixture %s missing", names[i]);
		ck_assert_int_eq(devices_scan(fx(names[i]), &d), 0);
		n = nic_is(&d, "eth0", "vif");
		ck_assert_str_eq(n->bus, "xen");
		ck_assert_str_eq(n->parent, "vif-0");
		b = blk_is(&d, "xvda", "vbd");
		ck_assert_str_eq(b->bus, "xen");
		for (int k = 0; k < d.irqs.n; k++) {
			const struct irq_line *l = &d.irqs.lines[k];

			if (!strcmp(l->device, "eth0") && l->kind == IRQ_KIND_TX)
				tx++;
			if (!strcmp(l->device, "eth0") && l->kind == IRQ_KIND_RX)
				rx++;
			if (!strcmp(l->device, "xvda")) {
				ck_assert_int_eq(l->queue, blkif);
				blkif++;
			}
		}
		/* split event channels: one tx and one rx irq per queue */
		ck_assert_msg(tx == n->tx_queues && rx == n->rx_queues,
			      "%s: %d tx / %d rx irqs for %d/%d queues",
			      names[i], tx, rx, n->tx_queues, n->rx_queues);
		/* one "blkif" per ring = per hw queue */
		ck_assert_int_eq(blkif, b->hw_queues);
		devices_free(&d);
	}
}
END_TEST

/* Debian 11's 5.10 in a PV domU (the lab's XEN_DOMU_KSERIES=5.10): one vCPU, so one netfront queue
 * with split event channels under the same names as 6.1's, and blkfront rings named "blkif" */
START_TEST(test_scan_xen_pv_510)
{
	struct devices d;

	ck_assert_int_eq(devices_scan(fx("xen-pv-deb11"), &d), 0);
	ck_assert_int_eq(nic_is(&d, "eth0", "vif")->tx_queues, 1);
	assert_map(&d, 7, "eth0", IRQ_KIND_TX, 0);
	assert_map(&d, 8, "eth0", IRQ_KIND_RX, 0);
	ck_assert_str_eq(irq_table_find(&d.irqs, 7)->chip, "xen-dyn-lateeoi-event");
	assert_map(&d, 5, "", IRQ_KIND_NONE, -1);   /* xenbus */
	devices_free(&d);
}
END_TEST

START_TEST(test_scan_xen_pv_exact)
{
	struct devices d;
	const struct irq_line *l;

	ck_assert_int_eq(devices_scan(fx("xen-pv-deb61"), &d), 0);
	/* netfront names queues after the xenbus device (vif-0), so no
	 * guessing is needed even though it does not say "eth0" */
	assert_map(&d, 14, "eth0", IRQ_KIND_TX, 0);
	assert_map(&d, 15, "eth0", IRQ_KIND_RX, 0);
	assert_map(&d, 16, "eth0", IRQ_KIND_TX, 1);
	assert_map(&d, 17, "eth0", IRQ_KIND_RX, 1);
	ck_assert(!irq_table_find(&d.irqs, 14)->guessed);
	/* blkfront rings are all "blkif": ring number by irq order */
	assert_map(&d, 18, "xvda", IRQ_KIND_RXTX, 0);
	assert_map(&d, 19, "xvda", IRQ_KIND_RXTX, 1);
	ck_assert(irq_table_find(&d.irqs, 19)->guessed);
	ck_assert_int_eq(d.nnotes, 1);
	ck_assert_str_eq(d.notes[0], "blkif: 2 rings of xvda numbered in irq order");
	l = irq_table_find(&d.irqs, 14);
	ck_assert_str_eq(l->chip, "xen-dyn-lateeoi-event");
	ck_assert_str_eq(l->flow, "event");
	/* xenbus, console and per-cpu virqs/ipis belong to no device */
	assert_map(&d, 12, "", IRQ_KIND_NONE, -1);
	assert_map(&d, 13, "", IRQ_KIND_NONE, -1);
	assert_map(&d, 0, "", IRQ_KIND_NONE, -1);
	ck_assert_str_eq(irq_table_find(&d.irqs, 0)->chip, "xen-percpu-virq");
	devices_free(&d);

	ck_assert_int_eq(devices_scan(fx("xen-hvm-deb61"), &d), 0);
	assert_map(&d, 64, "eth0", IRQ_KIND_RX, 1);
	assert_map(&d, 66, "xvda", IRQ_KIND_RXTX, 1);
	assert_map(&d, 60, "", IRQ_KIND_NONE, -1);	/* vkbd */
	ck_assert_str_eq(irq_table_find(&d.irqs, 1)->chip, "xen-pirq-ioapic-edge");
	devices_free(&d);
}
END_TEST

/* PV dom0: a PCI device's MSI-X vectors are Xen pirqs; netback's vif1.0 */
START_TEST(test_scan_xen_dom0)
{
	struct devices d;
	struct nic *n;
	struct blkdev *b;

	ck_assert_int_eq(devices_scan(fx("xen-pv-dom0-deb61"), &d), 0);
	ck_assert_str_eq(irq_table_find(&d.irqs, 41)->chip, "xen-pirq-msi-x");
	ck_assert_str_eq(irq_table_find(&d.irqs, 1)->chip, "xen-pirq-ioapic-edge");
	b = blk_is(&d, "vda", "virtio_blk");
	ck_assert_str_eq(b->pci_addr, "0000:00:03.0");
	assert_map(&d, 40, "vda", IRQ_KIND_CONFIG, -1);
	assert_map(&d, 41, "vda", IRQ_KIND_RXTX, 0);
	assert_map(&d, 42, "vda", IRQ_KIND_RXTX, 1);
	n = nic_is(&d, "vif1.0", "vif");
	ck_assert_str_eq(n->bus, "xen-backend");
	ck_assert_str_eq(devices_find_nic(&d, "xenbr0")->virt_kind, "bridge");
	ck_assert(devices_find_blk(&d, "loop1")->is_virtual);
	/* xenstored/xenconsoled event channels belong to no device */
	assert_map(&d, 44, "", IRQ_KIND_NONE, -1);
	devices_free(&d);
}
END_TEST

/* udev renames eth0 to enX0 on Debian 12 Xen guests; the netfront IRQ
 * names do not change.  Same PV tree with the class entry renamed. */
START_TEST(test_scan_xen_renamed)
{
	char tmpl[] = "/tmp/iopath-devices-XXXXXX", cmd[3 * PATH_MAX];
	char *dir = mkdtemp(tmpl);
	struct devices d;

	ck_assert_ptr_nonnull(dir);
	snprintf(cmd, sizeof(cmd),
		 "cp -a '%s/.' '%s/' && mv '%s/sys/class/net/eth0' '%s/sys/class/net/enX0'",
		 fx("xen-pv-deb61"), dir, dir, dir);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_int_eq(devices_scan(dir, &d), 0);
	ck_assert_ptr_null(devices_find_nic(&d, "eth0"));
	ck_assert_ptr_nonnull(devices_find_nic(&d, "enX0"));
	assert_map(&d, 17, "enX0", IRQ_KIND_RX, 1);
	ck_assert(!irq_table_find(&d.irqs, 17)->guessed);
	devices_free(&d);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* JSON of platform + devices for a root, as one string */
static char *describe(const char *root)
{
	struct platform p;
	struct devices d;
	char *buf;

	ck_assert_int_eq(platform_detect(root, &p), 0);
	ck_assert_int_eq(devices_scan(root, &d), 0);
	buf = CAPTURE_JSON(w, true, platform_json(&w, &p); devices_json(&w, &d));
	devices_free(&d);
	return buf;
}

/* tools/snapshot-fixture.sh run on a fixture (its SRCROOT argument) must
 * copy everything detection reads: same result from the copy.  Also under
 * busybox ash when available, since the lab guests run it there. */
START_TEST(test_snapshot_roundtrip)
{
	static const char *const names[] = {
		"thisvm-kvm-6.18", "thisvm-kvm-6.18-virtual", "deb61-qemu-tcg",
		"xen-pv-deb61", "xen-pvh-deb61", "xen-hvm-deb61",
		"xen-pv-dom0-deb61",
	};
	static const char *const shells[] = { "sh", "busybox sh" };

	for (size_t k = 0; k < sizeof(shells) / sizeof(shells[0]); k++) {
		if (k && system("command -v busybox >/dev/null 2>&1"))
			break;
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			char tmpl[] = "/tmp/iopath-snap-XXXXXX", cmd[3 * PATH_MAX];
			char *dir = mkdtemp(tmpl), *a, *b;

			ck_assert_ptr_nonnull(dir);
			snprintf(cmd, sizeof(cmd),
				 "%s tools/snapshot-fixture.sh '%s/copy' '%s'",
				 shells[k], dir, fx(names[i]));
			ck_assert_int_eq(system(cmd), 0);
			snprintf(cmd, sizeof(cmd), "%s/copy", dir);
			a = describe(fx(names[i]));
			b = describe(cmd);
			ck_assert_msg(!strcmp(a, b), "%s: copy by '%s' differs",
				      names[i], shells[k]);
			free(a);
			free(b);
			snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
			ck_assert_int_eq(system(cmd), 0);
		}
	}
}
END_TEST

START_TEST(test_scan_errors)
{
	struct devices d;

	ck_assert_int_eq(devices_scan("/nonexistent/iopath-root", &d), -ENOENT);
	ck_assert_int_eq(devices_scan(fx("thisvm-kvm-6.18"), NULL), -EINVAL);
	devices_free(NULL);
}
END_TEST

START_TEST(test_live_scan)
{
	struct devices d;

	/* Must not fail on the machine running the tests. */
	ck_assert_int_eq(devices_scan("/", &d), 0);
	devices_free(&d);
}
END_TEST

START_TEST(test_print_and_json)
{
	struct devices d;
	char *buf;

	ck_assert_int_eq(devices_scan(fx("deb61-qemu-tcg"), &d), 0);
	buf = CAPTURE(f, devices_print(f, &d));
	ASSERT_HAS(buf, "e1000e", "nvme0q2");
	free(buf);

	buf = CAPTURE_JSON(w, false, devices_json(&w, &d));
	ASSERT_HAS(buf, "{\"devices\":{\"nics\":[",
		   "\"name\":\"eth1\",\"ifindex\":3,\"driver\":\"e1000e\"",
		   "\"actions\":[\"nvme0q1\"]",
		   "\"device\":\"nvme0n1\",\"queue\":0,\"kind\":\"rxtx\"");
	free(buf);
	devices_free(&d);
}
END_TEST

static Suite *devices_suite(void)
{
	return suite_of("devices",
		TCASE("procirq", 0, test_parse_thisvm, test_parse_xen_old_columns,
		      test_parse_xen_new_columns, test_parse_xen_pirq_msix,
		      test_parse_netfront_grep_samples, test_parse_show_level,
		      test_parse_old_rhel_and_ir, test_parse_errors),
		TCASE("names", 0, test_name_conventions, test_names_in_samples, test_rows_complete,
		      test_examples_hit_their_row, test_pattern_forms),
		TCASE("scan", 0, test_scan_thisvm, test_scan_virtual, test_scan_deb61,
		      test_scan_xen, test_scan_xen_pv_510, test_scan_xen_pv_exact, test_scan_xen_renamed,
		      test_scan_xen_dom0, test_scan_errors, test_live_scan,
		      test_print_and_json),
		/* a dozen shell runs of the snapshot script */
		TCASE("snapshot", 120, test_snapshot_roundtrip),
		(TCase *)NULL);
}

int main(void)
{
	return run_suite(devices_suite());
}
