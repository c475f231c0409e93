/* KVM host report (record --host): exits by reason per VM process and vCPU
 * with time in the exit, like `perf kvm stat`; port I/O and MMIO exits by
 * address, attributed to the guest device (well-known PC ports and MMIO
 * ranges, virtio notify through ioeventfd); MSR exits by MSR; interrupt
 * injection by GSI / MSI vector; returns to the VMM by KVM_EXIT_* reason. */
#ifndef IOPATH_HOST_REPORT_H
#define IOPATH_HOST_REPORT_H
#include <stdio.h>
#include "engine/attach.h"
#include "iopath_host.h"
#include "report/host_names.h"

struct jw;

struct host_exit_row {
	struct host_exit_key k;
	struct host_exit_val v;
};

struct host_io_row {
	struct host_io_key k;
	struct host_io_val v;
};

struct host_cnt_row {
	struct host_cnt_key k;
	unsigned long long count;
};

struct host_proc {
	unsigned int pid;
	char comm[16];
	unsigned int ntaps;                    /* the VM's tap interfaces counted (0: none found) */
	unsigned long long guest_tx, guest_rx; /* packets over them, in the guest's direction */
	char taps[48];                         /* "tap0,tap1" */
};

/* One irqfd injection row: (VM, GSI, source) with its count and MSI route. */
struct host_inj_row {
	struct host_inj_key k;
	struct host_inj_val v;
	unsigned int pid;          /* the VM's process (0: its kvm_exit not seen) */
	char src[80];              /* HSRC_HARDIRQ: the host IRQ's /proc/interrupts chip and actions */
};

struct host_report {
	double seconds;
	unsigned long long ctr[HC__COUNT];
	int ioeventfd_probe;          /* 1: ioeventfd_write attached; 0: not (in-kernel exits unsplit) */
	unsigned long long guest_packets; /* --guest-packets N: exits per packet (0: unknown) */
	int nexit, nio, ncnt, nproc, ninj;
	int irqfd_probe;              /* 1: irqfd_wakeup attached */
	struct host_exit_row *exit;
	struct host_io_row *io;
	struct host_cnt_row *cnt;
	struct host_proc *proc;
	struct host_inj_row *inj;
};

/* Reads the BPF side (after the run); pts/n: to see whether ioeventfd_write attached. */
int host_collect(struct engine *e, struct host_report *r, const struct resolved *pts, unsigned n);
void host_report_free(struct host_report *r);
/* Forgets the row arrays without freeing them (a copy of the struct that must not own them). */
void host_report_detach(struct host_report *r);
/* The VMM processes seen so far (a kvm_exit of theirs); returns how many (<= max). */
int host_vm_pids(struct engine *e, unsigned int *pids, int max);
/* Each VM's guest packets from its tap interfaces (taps.h) over the recording. */
struct tap_snap;
void host_add_taps(struct host_report *r, const struct tap_snap *before, const struct tap_snap *after);
void host_print(FILE *f, const struct host_report *r);
void host_json(struct jw *w, const struct host_report *r);

/* Who signalled an irqfd, as far as the host can tell: "passthrough device
 * (vfio-msix[0](0000:3b:02.1), host IRQ 45)", "vhost worker vhost-758",
 * "VMM thread qemu-system-x86 (tid 760): a device it emulates". */
const char *host_inj_source(const struct host_inj_row *r, char *buf, size_t len);
/* The guest device an I/O row's address belongs to, as far as the host can tell. */
const char *host_io_device(const struct host_io_row *r, char *buf, size_t len);

#endif
