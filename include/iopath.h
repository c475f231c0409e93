/* Shared between the BPF programs (bpf/) and userspace (user/): the numbers
 * and structs both sides must agree on. Keep it free of libc and vmlinux.h
 * dependencies: it is included from both worlds. */
#ifndef IOPATH_H
#define IOPATH_H

/* Upper bound of probe points one run can attach (profiles + --deep).
 * Bounds every per-point map. */
#define IOP_MAX_POINTS 4096

/* What a probe point does on an I/O path. The attach engine is generic; the
 * role tells the BPF side what to do with a hit. */
enum iop_role {
	ROLE_NONE = 0,
	ROLE_XMIT,          /* driver ndo_start_xmit: TX packet enters the driver */
	ROLE_NOTIFY,        /* doorbell / event-channel send / virtio kick */
	ROLE_TX_COMPLETE,   /* TX reclaim / buffer gc */
	ROLE_IRQ,           /* device interrupt handler */
	ROLE_POLL,          /* NAPI poll */
	ROLE_RX,            /* per-packet RX in the driver */
	ROLE_REFILL,        /* RX buffer refill (may notify) */
	ROLE_QUEUE_RQ,      /* blk-mq ->queue_rq / ->queue_rqs / ->commit_rqs */
	ROLE_COMPLETE,      /* block request completion */
	ROLE_UPCALL,        /* Xen event upcall / callback vector */
	ROLE_UNMASK,        /* event-channel unmask / EOI that may exit */
	ROLE_GRANT,         /* grant-table operation (CPU cost, no exit) */
	ROLE_HYPERCALL,     /* a function whose body issues a hypercall */
	ROLE_BOUNCE,        /* bounce copy */
	ROLE_TIMER,         /* timer programming (exit on Xen/KVM) */
	ROLE_HALT,          /* idle halt (exit) */
	ROLE_IPI,           /* IPI send (exit) */
	ROLE_STACK,         /* generic stack stage (tracepoints) */
	ROLE_FREE,          /* skb free / end of a packet's life */
	ROLE_SOFTIRQ,
	ROLE_HOST_EXIT,     /* KVM host side exit/entry */
	ROLE_HOST_IOEVENTFD, /* KVM host: an MMIO/PIO exit matched an ioeventfd */
	ROLE_HOST_IRQFD,    /* KVM host: an irqfd was signalled (interrupt injection) */
	ROLE_HOST_VHOST_KICK, /* KVM host: a guest kick woke a vhost virtqueue */
	ROLE_TASK,          /* what the traced tasks do around their I/O: syscalls, faults, switches */
	ROLE__COUNT
};

/* How a point is hooked. */
enum iop_kind {
	KIND_FUNC = 0,      /* function entry: fentry, else kprobe */
	KIND_FUNC_RET,      /* function return: fexit, else kretprobe */
	KIND_TP,            /* tracepoint: tp_btf, else raw_tp */
};

/* Attach methods, in the engine's order of preference per kind. */
enum iop_method {
	METHOD_NONE = 0,
	METHOD_FENTRY,
	METHOD_FEXIT,
	METHOD_KPROBE,
	METHOD_KRETPROBE,
	METHOD_TP_BTF,
	METHOD_RAW_TP,
	METHOD__COUNT
};

/* Which I/O path a point belongs to. */
enum iop_path {
	PATH_NONE = 0,
	PATH_NET_TX,
	PATH_NET_RX,
	PATH_BLK,
	PATH_EXIT,          /* hypervisor crossings not tied to one path */
	PATH_IRQ,
	PATH_HOST,
	PATH__COUNT
};

/* What the identity argument points to. */
enum iop_ident {
	IDENT_NONE = 0,
	IDENT_SKB,
	IDENT_REQUEST,
	IDENT_QUEUE,        /* driver queue / ring / napi */
	IDENT_IRQ,          /* irq number */
	IDENT_BLK_MQ_DATA,  /* const struct blk_mq_queue_data * (->rq) */
};

/* How to get a queue number out of an argument. Driver-private structs
 * (send_queue, nvme_queue, netfront_queue...) live only in module BTF and
 * are read through local preserve_access_index flavours (bpf/lib/driver_types.h). */
enum iop_qx {
	QX_NONE = 0,
	QX_SKB,            /* struct sk_buff *: ->queue_mapping */
	QX_VIRTQUEUE,      /* struct virtqueue *: ->index */
	QX_HCTX,           /* struct blk_mq_hw_ctx *: ->queue_num */
	QX_VIRTNET_SQ,     /* virtio_net struct send_queue *: ->vq->index */
	QX_VIRTNET_RQ,     /* virtio_net struct receive_queue *: ->vq->index */
	QX_NVME_QUEUE,     /* nvme struct nvme_queue *: ->qid */
	QX_NETFRONT_QUEUE, /* xen-netfront struct netfront_queue *: ->id */
	QX_RQ_HCTX,        /* struct request *: ->mq_hctx->queue_num */
	QX__COUNT
};

/* Per point configuration written by userspace before attach; indexed by
 * point id (array map). */
struct iop_point_cfg {
	unsigned short role;
	unsigned char path;
	unsigned char ident;
	signed char id_arg;  /* 0-based argument index, -1: none */
	unsigned char kind;
	signed char q_arg;   /* argument the queue comes from */
	unsigned char qx;    /* enum iop_qx */
	/* 1 + the exit kind a point off PATH_EXIT also charges where it fires: a driver's xmit
	 * whose doorbell (a register write) exits to the device model when the device is
	 * emulated (the profile's PF_EMUL_IO: e1000's TDT write, counted as a notify); 0: none */
	unsigned char exk;
	unsigned char pad;
};

/* Hits per (point, queue): bounded hash; a full map is counted, not silent. */
#define IOP_MAX_POINT_QUEUES 4096
struct iop_q_key {
	unsigned int id;
	unsigned int queue;
};

/* Kernel stacks at probe points: (point, hash of the frames) -> the frames
 * and their hits, in a bounded hash map (bpf/lib/points.h stack_hit says why
 * this and not a stack-trace map). IOP_MAX_STACKS distinct (point, stack)
 * pairs; a hit whose pair finds no room is counted in DROP_STACK_KEYS. */
/* Distinct pairs grow with the run, not with the hit rate: stacks at
 * interrupt tracepoints carry whatever was interrupted. Measured on a 2-CPU VM:
 * 3 600 pairs in 20 s idle with --net --blk (exits on), 3 300 in a busy 5 s
 * (90 000 hits). 16384 leaves room for long runs at about 17 MB, preallocated
 * only when --stacks is on. */
#define IOP_MAX_STACKS 16384
#define IOP_STACK_DEPTH 127
/* Scratch frames per CPU, one per context that can interrupt another
 * (task, softirq, hardirq, NMI): a handler running inside another's window
 * gets its own buffer. */
#define IOP_STACK_NEST 4
struct iop_stack_key {
	unsigned int id;
	unsigned int pad;
	unsigned long long hash;
};
struct iop_stack_val {
	unsigned long long hits;
	unsigned long long ips[IOP_STACK_DEPTH];   /* innermost first; 0 past the last frame */
};

/* Counters of data iopath could not record (global array in .bss). */
enum iop_drop {
	DROP_QUEUE_MAP_FULL,
	DROP_ARG_READ,
	DROP_STACK,          /* bpf_get_stack gave no frames, or handlers nested deeper than IOP_STACK_NEST */
	DROP_STACK_KEYS,     /* no room in the (point, stack) map: full, bucket busy, or a 64-bit hash clash */
	DROP__COUNT
};

/* Cookie-less clones (kernels without bpf_get_attach_cookie, bpf_get_func_ip and
 * bpf_get_func_arg: the 5.10 class). The templates iop_*_k in bpf/iopath.bpf.c load
 * each of these 64-bit markers once, with BPF_LD_IMM64; the engine copies a template's
 * instructions per probe point and writes the point's value over the marker
 * (user/engine/patch.c) before loading the copy. High half 0x10ba5eed: no real value
 * (point ids < IOP_MAX_POINTS, argument indexes < 6) looks like one. */
#define IOP_PATCH_MAGIC_HI 0x10ba5eedu
#define IOP_PATCH_ID       ((unsigned long long)IOP_PATCH_MAGIC_HI << 32 | 1)  /* point id */
#define IOP_PATCH_ID_ARG   ((unsigned long long)IOP_PATCH_MAGIC_HI << 32 | 2)  /* identity argument */
#define IOP_PATCH_Q_ARG    ((unsigned long long)IOP_PATCH_MAGIC_HI << 32 | 3)  /* queue argument */
#define IOP_PATCH_HOST_ARG ((unsigned long long)IOP_PATCH_MAGIC_HI << 32 | 4)  /* irqfd key argument */
#define IOP_PATCH_NONE     0xff   /* the value for "no such argument" */

/* Per point, per CPU counters (percpu array map). Hits only: a clock read
 * here cost ~25 ns on every hit of every program (kvm-clock, measured with
 * bpftrace's nsecs in a loop on the PVM guest), for a value nothing read. */
struct iop_point_stat {
	unsigned long long hits;
};

/* Tracepoints iopath has handlers for. The BPF object has a tp_btf and a
 * raw_tp program per entry (named tpb_<name> / rtp_<name>); userspace maps a
 * profile's tracepoint point to these by name. */
#define IOP_TRACEPOINTS(X)                          \
	X(net, net_dev_queue)                       \
	X(net, net_dev_start_xmit)                  \
	X(net, net_dev_xmit)                        \
	X(net, netif_receive_skb)                   \
	X(net, napi_gro_receive_entry)              \
	X(net, netif_rx)                            \
	X(napi, napi_poll)                          \
	X(skb, kfree_skb)                           \
	X(skb, consume_skb)                         \
	X(irq, irq_handler_entry)                   \
	X(irq, irq_handler_exit)                    \
	X(irq, softirq_entry)                       \
	X(irq, softirq_exit)                        \
	X(irq, softirq_raise)                       \
	X(irq_vectors, local_timer_entry)           \
	X(irq_vectors, reschedule_entry)            \
	X(irq_vectors, call_function_entry)         \
	X(irq_vectors, call_function_single_entry)  \
	X(block, block_rq_insert)                   \
	X(block, block_rq_issue)                    \
	X(block, block_rq_complete)                 \
	X(block, block_bio_queue)                   \
	X(nvme, nvme_setup_cmd)                     \
	X(nvme, nvme_complete_rq)                   \
	X(xen, xen_mc_flush)                        \
	X(xen, xen_mc_batch)                        \
	X(msr, write_msr)                           \
	X(swiotlb, swiotlb_bounced)                 \
	X(kvm, kvm_exit)                            \
	X(kvm, kvm_entry)                           \
	X(kvm, kvm_pio)                             \
	X(kvm, kvm_mmio)                            \
	X(kvm, kvm_fast_mmio)                       \
	X(kvm, kvm_msr)                             \
	X(kvm, kvm_set_irq)                         \
	X(kvm, kvm_msi_set_irq)                     \
	X(kvm, kvm_inj_virq)                        \
	X(kvm, kvm_userspace_exit)                  \
	X(raw_syscalls, sys_enter)                  \
	X(exceptions, page_fault_user)              \
	X(exceptions, page_fault_kernel)            \
	X(sched, sched_switch)                      \
	X(sched, sched_process_fork)                \
	X(sched, sched_process_exit)                \
	X(tlb, tlb_flush)                           \
	X(xen, xen_mmu_set_pte)                     \
	X(xen, xen_mmu_set_pmd)                     \
	X(xen, xen_mmu_set_pud)                     \
	X(xen, xen_mmu_set_p4d)                     \
	X(xen, xen_mmu_ptep_modify_prot_commit)

enum iop_tp {
#define IOP_TP_ENUM(sys, name) TP_##name,
	IOP_TRACEPOINTS(IOP_TP_ENUM)
#undef IOP_TP_ENUM
	TP__COUNT
};

/* The skeleton's .rodata/.bss mirror these structs: everything that
 * includes iopath.h gets them. */
#include "iopath_net.h"
#include "iopath_exits.h"
#include "iopath_blk.h"
#include "iopath_host.h"

#endif
