/* Driver knowledge as data: which kernel functions and tracepoints iopath
 * probes, what role each plays on the I/O path, which argument identifies
 * the packet/request/queue. Facts from shared/reference/driver-probes.md,
 * checked against Debian 5.10/6.1/6.12 symbol and BTF lists in
 * tests/fixtures/kernels. One attach engine serves every row. */
#ifndef IOPATH_PROFILES_H
#define IOPATH_PROFILES_H
#include <stdbool.h>
#include <stdint.h>
#include "iopath.h"

/* Platforms a profile applies to beyond its module being present. */
#define PLAT_XEN     (1u << 0)  /* any Xen guest: PV, PVH, HVM */
#define PLAT_XEN_PV  (1u << 1)
#define PLAT_KVM     (1u << 2)  /* KVM guest (incl. Nitro) */
#define PLAT_HOST    (1u << 3)  /* runs VMs (kvm module loaded) */
#define PLAT_OTHER   (1u << 4)  /* bare metal, Hyper-V, other */
#define PLAT_ANY     0xffu

/* Point flags */
#define PF_MAY_INLINE (1u << 0) /* known to be inlined on some kernels: "inlined", not "absent" */
#define PF_EXIT       (1u << 1) /* a call here leaves the guest (hypercall / trapping MMIO / PIO) */
#define PF_MAYBE_EXIT (1u << 2) /* may exit depending on shared-memory state (upper bound) */
#define PF_CLONE_OK   (1u << 3) /* a GCC .isra/.part clone is acceptable (kprobe only) */
/* The function writes a register of a device that hypervisors emulate (e1000's TX tail): that
 * access exits to the device model where the device is emulated, and stays on real hardware. The
 * exit model's emulated-io row says which; counted with PF_MAYBE_EXIT as an upper bound. */
#define PF_EMUL_IO    (1u << 4)
/* One of many like points (--deep's functions, engine/deep.c): where the kernel has kprobe.multi
 * (CONFIG_FPROBE, 5.18) they attach together through one link (engine/kmulti.h) rather than a
 * trampoline or kprobe each. */
#define PF_BULK       (1u << 5)

/* Which recordings attach a profile (struct profile.paths) */
#define PP_NET   (1u << 0)  /* record --net (the network path) */
#define PP_BLK   (1u << 1)  /* record --blk (the block path) */
#define PP_EXITS (1u << 2)  /* every record, top and serve: interrupts and hypervisor crossings */
#define PP_TASKS (1u << 3)  /* record --exits with traced tasks (-- CMD, --pid) only: their tracepoints
			     * fire on every syscall of the machine */

struct profile {
	const char *name;
	const char *module;     /* module holding its functions; "vmlinux" for core code */
	unsigned platforms;
	unsigned paths;         /* PP_*: which recordings attach it; 0: only probes/--host */
	const char *what;
};

struct probe_point {
	const char *profile;
	/* Functions: alternates across kernel versions, first present wins;
	 * "mod:sym" overrides the profile's module for one alternate
	 * ("xen_hvm_evtchn_do_upcall|xen_evtchn_do_upcall": 5.10 | 6.1+).
	 * Tracepoints: "system:name". */
	const char *symbols;
	uint8_t kind;           /* enum iop_kind */
	uint8_t role;           /* enum iop_role */
	uint8_t path;           /* enum iop_path */
	uint8_t ident;          /* enum iop_ident */
	int8_t id_arg;          /* which argument identifies it; -1 none */
	unsigned flags;
	const char *note;
	int8_t q_arg;           /* argument holding the queue (with qx) */
	uint8_t qx;             /* enum iop_qx: how to read the queue; 0 none */
};

extern const struct profile iop_profiles[];
extern const unsigned iop_profile_count;
extern const struct probe_point iop_points[];
extern const unsigned iop_point_count;

const struct profile *profile_find(const char *name);
/* The profile is attached by a recording of the network (net) and/or block (blk) path. */
bool profile_wanted(const char *name, bool net, bool blk);
/* The profile counts the traced tasks (PP_TASKS): attached only when a recording has them. */
bool profile_for_tasks(const char *name);
const char *role_name(unsigned role);
const char *path_name(unsigned path);
const char *kind_name(unsigned kind);
const char *method_name(unsigned method);
/* The exit kind (EXK_*, include/iopath_net.h) a point charges where it fires, -1 for none: a
 * PATH_EXIT point by its role; a driver function entry whose register write exits to the
 * device model when the device is emulated (PF_EMUL_IO: e1000_xmit_frame's TDT write) as a
 * notify. One rule for the BPF side's configuration (engine/attach.c) and the reports (which
 * kinds a recording measured, and by what mechanism). */
int point_charged_kind(const struct probe_point *pt);
/* Module a tracepoint system lives in ("vmlinux" unless a module defines it). */
const char *tp_system_module(const char *system);

#endif
