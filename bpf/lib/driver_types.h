/* Driver-private structs, as minimal local CO-RE flavours. They exist only in
 * module BTF (/sys/kernel/btf/<module>), never in vmlinux.h; libbpf matches
 * "name___iop" to the kernel's "name" at load time and relocates each field
 * access. Every use is guarded by bpf_core_type_exists() so a kernel without
 * the module loads the program with that branch dead. Field names checked
 * against the 6.1 sources (virtio_net.c, nvme/host/pci.c, xen-netfront.c). */
#ifndef IOPATH_DRIVER_TYPES_H
#define IOPATH_DRIVER_TYPES_H
#include "vmlinux.h"

struct send_queue___iop {
	struct virtqueue *vq;
} __attribute__((preserve_access_index));

struct receive_queue___iop {
	struct virtqueue *vq;
} __attribute__((preserve_access_index));

struct nvme_queue___iop {
	__u16 qid;
} __attribute__((preserve_access_index));

struct netfront_queue___iop {
	unsigned int id;
} __attribute__((preserve_access_index));

#endif
