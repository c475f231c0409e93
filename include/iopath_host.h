/* KVM host side (record --host): exits by reason per VM process and vCPU
 * with the time spent in the exit, port I/O / MMIO exits by address, MSR
 * exits, interrupt injection, returns to userspace. Shared between
 * bpf/paths/host.h and user/report/host_report.c. */
#ifndef IOPATH_HOST_H
#define IOPATH_HOST_H

#define HOST_HIST_SLOTS 32
#define HOST_MAX_EXIT_KEYS 4096
#define HOST_MAX_IO_KEYS 4096
#define HOST_MAX_CNT_KEYS 4096
#define HOST_MAX_THREADS 4096
#define HOST_MAX_PROCS 1024     /* VMM processes (host_procs) */

/* kvm_exit's isa argument (arch/x86/kvm/trace.h: KVM_ISA_VMX 1, KVM_ISA_SVM 2) */
enum host_isa { HOST_ISA_UNKNOWN = 0, HOST_ISA_VMX = 1, HOST_ISA_SVM = 2 };
/* The exit reason could not be read (no kvm_amd/kvm_intel BTF, or a failed read). */
#define HOST_REASON_UNKNOWN 0xfffffffeu

struct host_exit_key {
	unsigned int pid;      /* VMM process (tgid of the vCPU thread) */
	unsigned int vcpu;     /* kvm_vcpu->vcpu_id */
	unsigned int reason;   /* SVM exit code / VMX basic exit reason */
	unsigned int isa;      /* enum host_isa */
};

/* count at kvm_exit; time (kvm_exit -> next kvm_entry on the same thread) at entry */
struct host_exit_val {
	unsigned long long count, timed, sum_ns, max_ns;
	unsigned long long slots[HOST_HIST_SLOTS];
};

enum host_io_kind { HIO_NONE = 0, HIO_PIO, HIO_MMIO, HIO_FAST_MMIO, HIO__COUNT };

struct host_io_key {
	unsigned long long addr;   /* port or guest physical address */
	unsigned int pid;
	unsigned char kind;        /* enum host_io_kind */
	unsigned char write;
	unsigned short len;        /* access size in bytes (PIO: size; count in reps) */
};

/* One exit per row count: the first I/O event of an exit. */
struct host_io_val {
	unsigned long long count;
	unsigned long long to_user;     /* the exit returned to the VMM (kvm_userspace_exit) */
	unsigned long long ioeventfd;   /* an ioeventfd matched (ioeventfd_write ran) */
	unsigned long long timed, sum_ns;
	unsigned long long values;      /* written values < 64 seen (bit mask): virtio queue index */
	unsigned long long other_values;
	unsigned long long slots[HOST_HIST_SLOTS];
};

/* The open exit of each vCPU thread (BPF side only; here for the skeleton). */
struct host_thr {
	unsigned long long ts;
	struct host_exit_key k;
	struct host_io_key io;
	unsigned char open, has_io, user, ioeventfd;
	unsigned long long ioev;   /* the open exit's matched struct _ioeventfd (0: none) */
};

/* Plain counters by (kind, pid, key). */
enum host_cnt_kind {
	HCK_NONE = 0,
	HCK_MSR_READ,      /* kvm_msr, key: MSR index */
	HCK_MSR_WRITE,
	HCK_SET_IRQ,       /* kvm_set_irq, key: GSI (level 1 assertions only) */
	HCK_MSI,           /* kvm_msi_set_irq, key: vector | dest APIC id << 8 */
	HCK_INJ_VIRQ,      /* kvm_inj_virq, key: vector */
	HCK_UEXIT,         /* kvm_userspace_exit, key: run->exit_reason (KVM_EXIT_*) */
	HCK__COUNT
};

struct host_cnt_key {
	unsigned long long key;
	unsigned int pid;
	unsigned int kind;         /* enum host_cnt_kind */
};

/* Interrupt injection through irqfds (irqfd_wakeup): which GSI of which VM
 * was signalled, by whom. The VM is its struct kvm (its process comes from
 * kvm_exit, which knows both); the source is the thread that signalled the
 * eventfd (a VMM thread for a device it emulates, a vhost worker) or the
 * host interrupt whose handler did (a passthrough device's vfio-msix line). */
#define HOST_MAX_INJ_KEYS 1024
enum host_src { HSRC_NONE = 0, HSRC_TASK, HSRC_HARDIRQ };

struct host_inj_key {
	unsigned long long kvm;    /* struct kvm * */
	unsigned int gsi;
	unsigned int src_kind;     /* enum host_src */
	unsigned int src_id;       /* HSRC_TASK: thread id; HSRC_HARDIRQ: host IRQ number */
	unsigned int pad;
};

struct host_inj_val {
	unsigned long long count;  /* signals (EPOLLIN wakeups) */
	unsigned int route;        /* the GSI's routing entry type (KVM_IRQ_ROUTING_*; 2: MSI) */
	unsigned int msi_data;     /* MSI data (vector: low byte) of the route when signalled */
	unsigned int msi_addr;     /* MSI address_lo (destination APIC id: bits 12-19) */
	unsigned int tgid;         /* HSRC_TASK: the signalling thread's process */
	char comm[16];             /* the signalling thread (HSRC_TASK) */
	/* vhost: where the guest kicks the virtqueue this irqfd completes (its
	 * ioeventfd), learnt when a kick woke the vhost queue; kick_bus 0: unknown */
	unsigned long long kick_addr;
	unsigned long long kick_data;   /* the ioeventfd's datamatch (virtio: queue index) */
	unsigned char kick_bus;         /* enum kvm_bus + 1: 1 MMIO, 2 PIO, 4 fast MMIO */
	unsigned char kick_wildcard;    /* any value written matches */
	unsigned char pad2[6];
};

/* A vhost virtqueue's call eventfd -> its kick ioeventfd (BPF side). */
struct host_kick {
	unsigned long long addr, data;
	unsigned char bus, wildcard, pad[6];
};

/* VMM process name (group leader's comm), per pid. */
struct host_comm {
	char comm[16];
};

/* Global counters (array in .bss). */
enum host_ctr {
	HC_EXITS = 0,
	HC_ENTRIES,
	HC_TIMED,           /* exits closed by an entry on the same thread */
	HC_NO_ENTRY,        /* an exit followed by another exit (or the end) without an entry */
	HC_ENTRY_ALONE,     /* entries with no open exit: first KVM_RUN of a vCPU thread */
	HC_REASON_UNREAD,   /* exit reason unreadable */
	HC_IO_REPEAT,       /* 2nd+ I/O event in one exit (MMIO read completion, string I/O) */
	HC_IO_OUTSIDE,      /* I/O event with no open exit on the thread */
	HC_IOEVENTFD,       /* ioeventfd_write calls */
	HC_EXIT_MAP_FULL,
	HC_IO_MAP_FULL,
	HC_CNT_MAP_FULL,
	HC_THREAD_MAP_FULL,
	HC_PROC_MAP_FULL,
	HC_OPEN_AT_END,     /* userspace: exits still open when the run ended (the final HLT) */
	HC_IRQFD,           /* irqfd signals (irqfd_wakeup with EPOLLIN) */
	HC_IRQFD_UNREAD,    /* ... whose irqfd could not be read (no kvm module BTF) */
	HC_INJ_MAP_FULL,
	HC_VM_MAP_FULL,
	HC_KICK_MAP_FULL,   /* vhost queues whose kick address found no room */
	HC__COUNT
};

#endif
