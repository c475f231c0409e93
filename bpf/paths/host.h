/* KVM host side (record --host), like `perf kvm stat` and more: every
 * kvm_exit counted per (VMM process, vCPU, exit reason), the time in the exit
 * (kvm_exit -> the next kvm_entry on the same vCPU thread) as a log2
 * histogram, the exit's port I/O or MMIO access by address (with whether it
 * went to the VMM or was handled in the kernel, by an ioeventfd or not), MSR
 * exits by MSR, interrupt injection by GSI / MSI vector, returns to the VMM
 * by KVM_EXIT_* reason. Included by iopath.bpf.c.
 *
 * Tracepoint arguments read (constant offsets; only what every version has):
 *   kvm_exit     5.10: (u32 exit_reason, vcpu, isa)   5.11+: (vcpu, u32 isa)
 *                 told apart at run time: argument 0 is a kernel pointer or not
 *   kvm_entry    (vcpu[, ...])                        nothing read
 *   kvm_pio      (rw, port, size, count, data)
 *   kvm_mmio     (type, len, gpa, val)
 *   kvm_fast_mmio (gpa)
 *   kvm_msr      (write, ecx, data, exception)
 *   kvm_set_irq  (gsi, level, irq_source_id)
 *   kvm_msi_set_irq (address, data)
 *   kvm_inj_virq (vector[, soft, reinjected])
 *   kvm_userspace_exit (reason, errno)
 * On 5.11+ the exit reason lives in module-private structs: SVM
 * to_svm(vcpu)->vmcb->control.exit_code (kvm_amd BTF), VMX
 * to_vmx(vcpu)->exit_reason.full (kvm_intel BTF). */
#ifndef IOPATH_BPF_HOST_H
#define IOPATH_BPF_HOST_H
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "iopath.h"
#include "lib/maps.h"
#include "lib/hist.h"

const volatile bool host_on = false;

struct vmcb_control_area___iop {
	u32 exit_code;
} __attribute__((preserve_access_index));

struct vmcb___iop {
	struct vmcb_control_area___iop control;
} __attribute__((preserve_access_index));

struct vcpu_svm___iop {
	struct kvm_vcpu vcpu;
	struct vmcb___iop *vmcb;
} __attribute__((preserve_access_index));

union vmx_exit_reason___iop {
	u32 full;
} __attribute__((preserve_access_index));

struct vcpu_vmx___iop {
	struct kvm_vcpu vcpu;
	union vmx_exit_reason___iop exit_reason;
} __attribute__((preserve_access_index));

/* irqfd_wakeup's irqfd (kvm module BTF; the GSI's MSI route is a copy in it) */
struct kvm_kernel_irq_routing_entry___iop {
	u32 type;
	union {
		struct {
			u32 address_lo;
			u32 address_hi;
			u32 data;
		} msi;
	};
} __attribute__((preserve_access_index));

struct kvm_kernel_irqfd___iop {
	struct kvm *kvm;
	wait_queue_entry_t wait;
	struct kvm_kernel_irq_routing_entry___iop irq_entry;
	int gsi;
	struct eventfd_ctx *eventfd;
} __attribute__((preserve_access_index));

/* ioeventfd_write's device (kvm module BTF) */
struct kvm_io_device___iop {
	const void *ops;
} __attribute__((preserve_access_index));

struct _ioeventfd___iop {
	u64 addr;
	struct eventfd_ctx *eventfd;
	u64 datamatch;
	struct kvm_io_device___iop dev;
	u8 bus_idx;
	bool wildcard;
} __attribute__((preserve_access_index));

/* a vhost virtqueue's kick poll and call eventfd (vhost module BTF) */
struct vhost_poll___iop {
	wait_queue_entry_t wait;
} __attribute__((preserve_access_index));

struct vhost_vring_call___iop {
	struct eventfd_ctx *ctx;
} __attribute__((preserve_access_index));

struct vhost_virtqueue___iop {
	struct file *kick;
	struct vhost_vring_call___iop call_ctx;
	struct vhost_poll___iop poll;
} __attribute__((preserve_access_index));

/* vhost call eventfd -> the kick ioeventfd of the same virtqueue (a full map
 * is counted: the queues beyond it keep no kick address) */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, u64);
	__type(value, struct host_kick);
} host_kicks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, HOST_MAX_INJ_KEYS);
	__type(key, struct host_inj_key);
	__type(value, struct host_inj_val);
} host_inj SEC(".maps");

/* struct kvm * -> its VMM process, learnt at kvm_exit (vcpu->kvm) */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, u64);
	__type(value, u32);
} host_vm SEC(".maps");

/* The host IRQ whose handler runs on this CPU (0: none), from irq_handler_entry/exit. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u32);
} host_hardirq SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, HOST_MAX_EXIT_KEYS);
	__type(key, struct host_exit_key);
	__type(value, struct host_exit_val);
} host_exits SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, HOST_MAX_IO_KEYS);
	__type(key, struct host_io_key);
	__type(value, struct host_io_val);
} host_io SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, HOST_MAX_CNT_KEYS);
	__type(key, struct host_cnt_key);
	__type(value, u64);
} host_cnt SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, HOST_MAX_THREADS);
	__type(key, u32);
	__type(value, struct host_thr);
} host_thr SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, HOST_MAX_PROCS);
	__type(key, u32);
	__type(value, struct host_comm);
} host_procs SEC(".maps");

__u64 host_ctr[HC__COUNT] = {};
const struct host_exit_val zero_host_exit = {};
const struct host_io_val zero_host_io = {};
const struct host_thr zero_host_thr = {};
const struct host_inj_val zero_host_inj = {};

static __always_inline void host_count(u32 c)
{
	if (c < HC__COUNT)
		__sync_fetch_and_add(&host_ctr[c], 1);
}

static __always_inline void host_hist(u64 *slots, u64 ns)
{
	__sync_fetch_and_add(&slots[log2_slot(ns) & (HOST_HIST_SLOTS - 1)], 1);
}

static __always_inline struct host_thr *host_this_thr(bool create)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();

	if (!create)
		return bpf_map_lookup_elem(&host_thr, &tid);
	return map_lookup_or_insert(&host_thr, &tid, &zero_host_thr, &host_ctr[HC_THREAD_MAP_FULL]);
}

static __always_inline u32 host_svm_reason(u64 vcpu)
{
	struct vcpu_svm___iop *svm;
	struct vmcb___iop *vmcb = NULL;
	u32 code;

	if (!bpf_core_type_exists(struct vcpu_svm___iop))
		return HOST_REASON_UNKNOWN;
	svm = (void *)(vcpu - bpf_core_field_offset(struct vcpu_svm___iop, vcpu));
	if (bpf_core_read(&vmcb, sizeof(vmcb), &svm->vmcb) || !vmcb ||
	    bpf_core_read(&code, sizeof(code), &vmcb->control.exit_code))
		return HOST_REASON_UNKNOWN;
	return code;
}

static __always_inline u32 host_vmx_reason(u64 vcpu)
{
	struct vcpu_vmx___iop *vmx;
	u32 full;

	if (!bpf_core_type_exists(struct vcpu_vmx___iop))
		return HOST_REASON_UNKNOWN;
	vmx = (void *)(vcpu - bpf_core_field_offset(struct vcpu_vmx___iop, vcpu));
	if (bpf_core_read(&full, sizeof(full), &vmx->exit_reason.full))
		return HOST_REASON_UNKNOWN;
	return full & 0xffff;   /* basic exit reason; flags (failed VM entry) dropped */
}

static __always_inline void host_exit(u64 a0, u64 a1)
{
	struct host_thr *t = host_this_thr(true);
	struct host_exit_key k = { .pid = bpf_get_current_pid_tgid() >> 32 };
	struct host_exit_val *v;
	u64 vcpu;
	int id = 0;

	host_count(HC_EXITS);
	if (a0 >> 47) {                 /* 5.11+: (vcpu, isa) */
		vcpu = a0;
		k.isa = (u32)a1;
		k.reason = k.isa == HOST_ISA_SVM ? host_svm_reason(vcpu) :
			   k.isa == HOST_ISA_VMX ? host_vmx_reason(vcpu) : HOST_REASON_UNKNOWN;
	} else {                        /* 5.10: (exit_reason, vcpu, isa) */
		vcpu = a1;
		k.isa = bpf_core_type_exists(struct vcpu_svm___iop) ? HOST_ISA_SVM :
			bpf_core_type_exists(struct vcpu_vmx___iop) ? HOST_ISA_VMX : HOST_ISA_UNKNOWN;
		k.reason = k.isa == HOST_ISA_VMX ? (u32)a0 & 0xffff : (u32)a0;
	}
	if (k.reason == HOST_REASON_UNKNOWN)
		host_count(HC_REASON_UNREAD);
	if (bpf_core_read(&id, sizeof(id), &((struct kvm_vcpu *)vcpu)->vcpu_id))
		id = -1;
	k.vcpu = id;
	{
		u64 kvm = 0;

		if (!bpf_core_read(&kvm, sizeof(kvm), &((struct kvm_vcpu *)vcpu)->kvm) && kvm)
			map_lookup_or_insert(&host_vm, &kvm, &k.pid, &host_ctr[HC_VM_MAP_FULL]);
	}
	if (!bpf_map_lookup_elem(&host_procs, &k.pid)) {
		struct task_struct *task = (struct task_struct *)bpf_get_current_task();
		struct host_comm c = {};

		BPF_CORE_READ_STR_INTO(&c.comm, task, group_leader, comm);
		map_lookup_or_insert(&host_procs, &k.pid, &c, &host_ctr[HC_PROC_MAP_FULL]);
	}
	v = map_lookup_or_insert(&host_exits, &k, &zero_host_exit, &host_ctr[HC_EXIT_MAP_FULL]);
	if (v)
		__sync_fetch_and_add(&v->count, 1);
	if (!t)
		return;
	if (t->open)
		host_count(HC_NO_ENTRY);
	t->ts = bpf_ktime_get_ns();
	t->k = k;
	t->open = 1;
	t->has_io = t->user = t->ioeventfd = 0;
	t->ioev = 0;
}

static __always_inline void host_entry(void)
{
	struct host_thr *t = host_this_thr(false);
	struct host_exit_val *v;
	struct host_io_val *io;
	u64 dt;

	host_count(HC_ENTRIES);
	if (!t || !t->open) {
		host_count(HC_ENTRY_ALONE);
		return;
	}
	t->open = 0;
	dt = bpf_ktime_get_ns() - t->ts;
	host_count(HC_TIMED);
	v = bpf_map_lookup_elem(&host_exits, &t->k);
	if (v) {
		__sync_fetch_and_add(&v->timed, 1);
		__sync_fetch_and_add(&v->sum_ns, dt);
		if (dt > v->max_ns)
			v->max_ns = dt;
		host_hist(v->slots, dt);
	}
	if (!t->has_io)
		return;
	io = bpf_map_lookup_elem(&host_io, &t->io);
	if (!io)
		return;
	__sync_fetch_and_add(&io->timed, 1);
	__sync_fetch_and_add(&io->sum_ns, dt);
	host_hist(io->slots, dt);
	/* to_user / ioeventfd are counted when they happen (an exit that never
	 * re-enters still went to the VMM) */
}

/* The written value (len <= 8) behind a kernel pointer; -1 when not read. */
static __always_inline s64 host_value(u64 p, u32 len)
{
	u64 v = 0;

	if (!p)
		return -1;
	switch (len) {
	case 1: if (bpf_probe_read_kernel(&v, 1, (void *)p)) return -1; break;
	case 2: if (bpf_probe_read_kernel(&v, 2, (void *)p)) return -1; break;
	case 4: if (bpf_probe_read_kernel(&v, 4, (void *)p)) return -1; break;
	case 8: if (bpf_probe_read_kernel(&v, 8, (void *)p)) return -1; break;
	default: return -1;
	}
	return v & 0x7fffffffffffffffull;
}

static __always_inline void host_io_ev(u8 kind, u64 addr, u32 len, bool write, u64 valp)
{
	struct host_thr *t = host_this_thr(false);
	struct host_io_key k = { .addr = addr, .pid = bpf_get_current_pid_tgid() >> 32,
				 .kind = kind, .write = write, .len = len };
	struct host_io_val *v;
	s64 val;

	if (!t || !t->open) {
		host_count(HC_IO_OUTSIDE);
		return;
	}
	if (t->has_io) {
		host_count(HC_IO_REPEAT);
		return;
	}
	v = map_lookup_or_insert(&host_io, &k, &zero_host_io, &host_ctr[HC_IO_MAP_FULL]);
	if (!v)
		return;
	t->has_io = 1;
	t->io = k;
	__sync_fetch_and_add(&v->count, 1);
	/* a port read the VMM serves is traced when it completes, after the
	 * return to the VMM; an ioeventfd may match before the event too */
	if (t->user)
		__sync_fetch_and_add(&v->to_user, 1);
	if (t->ioeventfd)
		__sync_fetch_and_add(&v->ioeventfd, 1);
	if (write) {
		val = host_value(valp, len);
		if (val >= 0 && val < 64)
			v->values |= 1ull << val;   /* no atomic or before -mcpu=v3 */
		else
			__sync_fetch_and_add(&v->other_values, 1);
	}
}

static __always_inline void host_cnt_add(u32 kind, u64 key)
{
	struct host_cnt_key k = { .key = key, .pid = bpf_get_current_pid_tgid() >> 32, .kind = kind };

	map_count(&host_cnt, &k, &host_ctr[HC_CNT_MAP_FULL]);
}

static __always_inline void host_user_exit(u32 reason)
{
	struct host_thr *t = host_this_thr(false);
	struct host_io_val *io;

	host_cnt_add(HCK_UEXIT, reason);
	if (!t || !t->open || t->user)
		return;
	t->user = 1;
	if (t->has_io && (io = bpf_map_lookup_elem(&host_io, &t->io)))
		__sync_fetch_and_add(&io->to_user, 1);
}

/* irqfd_wakeup(wait, mode, sync, key): an eventfd KVM listens on was
 * signalled; with EPOLLIN in key, the GSI is injected. Who signalled: the
 * hardirq running on this CPU, else the current thread. */
static __always_inline void host_irqfd(u64 wait, u64 key)
{
	struct host_inj_key k = { .src_kind = HSRC_TASK };
	struct kvm_kernel_irqfd___iop *irqfd;
	struct host_inj_val *v;
	struct host_kick *kick = NULL;
	u32 z = 0, *hi, type = 0, data = 0, addr = 0;
	int gsi = 0;

	if (!(key & 0x1))       /* EPOLLIN; EPOLLHUP is the irqfd going away */
		return;
	host_count(HC_IRQFD);
	if (!bpf_core_type_exists(struct kvm_kernel_irqfd___iop)) {
		host_count(HC_IRQFD_UNREAD);
		return;
	}
	irqfd = (void *)(wait - bpf_core_field_offset(struct kvm_kernel_irqfd___iop, wait));
	if (bpf_core_read(&k.kvm, sizeof(k.kvm), &irqfd->kvm) ||
	    bpf_core_read(&gsi, sizeof(gsi), &irqfd->gsi)) {
		host_count(HC_IRQFD_UNREAD);
		return;
	}
	{
		u64 efd = 0;

		bpf_core_read(&efd, sizeof(efd), &irqfd->eventfd);
		kick = efd ? bpf_map_lookup_elem(&host_kicks, &efd) : NULL;
	}
	bpf_core_read(&type, sizeof(type), &irqfd->irq_entry.type);
	bpf_core_read(&data, sizeof(data), &irqfd->irq_entry.msi.data);
	bpf_core_read(&addr, sizeof(addr), &irqfd->irq_entry.msi.address_lo);
	k.gsi = gsi;
	hi = bpf_map_lookup_elem(&host_hardirq, &z);
	if (hi && *hi) {
		k.src_kind = HSRC_HARDIRQ;
		k.src_id = *hi;
	} else {
		k.src_id = (u32)bpf_get_current_pid_tgid();
	}
	v = map_lookup_or_insert(&host_inj, &k, &zero_host_inj, &host_ctr[HC_INJ_MAP_FULL]);
	if (!v)
		return;
	__sync_fetch_and_add(&v->count, 1);
	v->route = type;
	v->msi_data = data;
	v->msi_addr = addr;
	if (kick) {
		v->kick_addr = kick->addr;
		v->kick_data = kick->data;
		v->kick_bus = kick->bus;
		v->kick_wildcard = kick->wildcard;
	}
	if (k.src_kind == HSRC_TASK && !v->comm[0]) {
		v->tgid = bpf_get_current_pid_tgid() >> 32;
		bpf_get_current_comm(v->comm, sizeof(v->comm));
	}
}

/* vhost_poll_wakeup(wait, ...) inside the vCPU thread's ioeventfd_write: the
 * guest's kick woke a vhost virtqueue's poll (the only vhost poll an ioeventfd
 * signals; socket polls wake from elsewhere). Remember that queue's call
 * eventfd -> the kick's address, for the irqfd it will signal. */
static __always_inline void host_vhost_kick(u64 wait)
{
	struct host_thr *t = host_this_thr(false);
	struct _ioeventfd___iop *p;
	struct vhost_virtqueue___iop *vq;
	struct host_kick k = {};
	u64 call = 0;

	if (!t || !t->open || !t->ioev || !bpf_core_type_exists(struct vhost_virtqueue___iop) ||
	    !bpf_core_type_exists(struct _ioeventfd___iop))
		return;
	vq = (void *)(wait - bpf_core_field_offset(struct vhost_poll___iop, wait) -
		      bpf_core_field_offset(struct vhost_virtqueue___iop, poll));
	p = (void *)t->ioev;
	/* the same eventfd on both sides, or this was not the kick's wakeup (a
	 * socket poll woken by a softirq on this thread is no virtqueue's) */
	{
		struct file *kick = NULL;
		u64 kick_ctx = 0, ioev_ctx = 0;

		if (bpf_core_read(&kick, sizeof(kick), &vq->kick) || !kick ||
		    bpf_core_read(&kick_ctx, sizeof(kick_ctx), &kick->private_data) ||
		    bpf_core_read(&ioev_ctx, sizeof(ioev_ctx), &p->eventfd) || !ioev_ctx || kick_ctx != ioev_ctx)
			return;
	}
	if (bpf_core_read(&call, sizeof(call), &vq->call_ctx.ctx) || !call ||
	    bpf_core_read(&k.addr, sizeof(k.addr), &p->addr))
		return;
	bpf_core_read(&k.data, sizeof(k.data), &p->datamatch);
	bpf_core_read(&k.bus, sizeof(k.bus), &p->bus_idx);
	bpf_core_read(&k.wildcard, sizeof(k.wildcard), &p->wildcard);
	k.bus++;
	/* an update, not an insert: the queue's kick address may change; any
	 * failure (full, or one of lib/maps.h's others) loses it, counted */
	if (bpf_map_update_elem(&host_kicks, &call, &k, BPF_ANY))
		host_count(HC_KICK_MAP_FULL);
}

/* kvm-host function points: ioeventfd_write (a = its kvm_io_device: the open
 * exit's access matched an ioeventfd), irqfd_wakeup (a = its wait entry, b =
 * its key), vhost_poll_wakeup (a = its wait entry). */
static __always_inline void host_func(const struct iop_point_cfg *c, bool ret, u64 a, u64 b)
{
	struct host_thr *t;
	struct host_io_val *io;

	if (!host_on || !c || ret)
		return;
	if (c->role == ROLE_HOST_IRQFD) {
		host_irqfd(a, b);
		return;
	}
	if (c->role == ROLE_HOST_VHOST_KICK) {
		host_vhost_kick(a);
		return;
	}
	if (c->role != ROLE_HOST_IOEVENTFD)
		return;
	host_count(HC_IOEVENTFD);
	t = host_this_thr(false);
	if (!t || !t->open)
		return;
	/* KVM tries each ioeventfd at the address until one matches the value
	 * (legacy virtio: one per queue); the last tried before a vhost wakeup
	 * is the one that signalled */
	if (a && bpf_core_type_exists(struct _ioeventfd___iop))
		t->ioev = a - bpf_core_field_offset(struct _ioeventfd___iop, dev);
	if (t->ioeventfd)
		return;
	t->ioeventfd = 1;
	if (t->has_io && (io = bpf_map_lookup_elem(&host_io, &t->io)))
		__sync_fetch_and_add(&io->ioeventfd, 1);
}

/* The tracepoints this part reads; tp is a constant per program, and each
 * case reads only its own tracepoint's arguments (tp_btf checks them). */
static __always_inline void host_tp(const u32 tp, u64 *ctx)
{
	switch (tp) {
	case TP_kvm_exit: {
		/* argument 0 (5.11+) or 1 (5.10) is a trusted pointer under tp_btf:
		 * read both as plain numbers so both layouts verify */
		u64 a0 = 0, a1 = 0;

		bpf_probe_read_kernel(&a0, sizeof(a0), &ctx[0]);
		bpf_probe_read_kernel(&a1, sizeof(a1), &ctx[1]);
		host_exit(a0, a1);
		break;
	}
	case TP_kvm_entry:
		host_entry();
		break;
	case TP_kvm_pio:
		host_io_ev(HIO_PIO, (u32)ctx[1], (u32)ctx[2], (u32)ctx[0] != 0, ctx[4]);
		break;
	case TP_kvm_mmio:
		/* type: 0 read unsatisfied (goes to the VMM), 1 read, 2 write */
		host_io_ev(HIO_MMIO, ctx[2], (u32)ctx[1], (u32)ctx[0] == 2, ctx[3]);
		break;
	case TP_kvm_fast_mmio:
		host_io_ev(HIO_FAST_MMIO, ctx[0], 0, true, 0);
		break;
	case TP_kvm_msr:
		host_cnt_add((u32)ctx[0] ? HCK_MSR_WRITE : HCK_MSR_READ, (u32)ctx[1]);
		break;
	case TP_kvm_set_irq:
		if ((int)ctx[1])       /* level 1: an assertion; 0 is the de-assert */
			host_cnt_add(HCK_SET_IRQ, (u32)ctx[0]);
		break;
	case TP_kvm_msi_set_irq:
		host_cnt_add(HCK_MSI, (ctx[1] & 0xff) | (((ctx[0] >> 12) & 0xff) << 8));
		break;
	case TP_kvm_inj_virq:
		host_cnt_add(HCK_INJ_VIRQ, (u32)ctx[0]);
		break;
	case TP_kvm_userspace_exit:
		host_user_exit((u32)ctx[0]);
		break;
	case TP_irq_handler_entry:
	case TP_irq_handler_exit: {
		u32 z = 0, *hi = bpf_map_lookup_elem(&host_hardirq, &z);

		if (hi)
			*hi = tp == TP_irq_handler_entry ? (u32)ctx[0] : 0;
		break;
	}
	}
}

#endif
