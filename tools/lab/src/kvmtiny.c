/* kvmtiny P M: a minimal /dev/kvm guest (16-bit real mode, one page) that does exactly
 * P port-I/O writes (out to port 0x3f8) and then M MMIO writes (to the unbacked GPA 0x8000),
 * then HLT. Each write leaves the guest once, so the host sees P pio exits + M mmio exits
 * (+ the final HLT). Prints "KVMTINY pio=<n> mmio=<n> hlt=<n> other=<n>" counted in user space. */
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define CODE_GPA 0x1000
#define MMIO_GPA 0x8000
#define PIO_PORT 0x3f8

static int xioctl(int fd, unsigned long req, void *arg, const char *what)
{
	int r = ioctl(fd, req, arg);
	if (r < 0) { perror(what); exit(1); }
	return r;
}

int main(int argc, char **argv)
{
	unsigned p = argc > 1 ? (unsigned)atoi(argv[1]) : 200, m = argc > 2 ? (unsigned)atoi(argv[2]) : 200;
	if (p < 1 || p > 65535 || m < 1 || m > 65535) { fprintf(stderr, "usage: kvmtiny P M (1..65535)\n"); return 2; }
	unsigned char code[] = {
		0xba, PIO_PORT & 0xff, PIO_PORT >> 8,       /* mov dx, 0x3f8 */
		0xb0, 'k',                                   /* mov al, 'k' */
		0xb9, p & 0xff, p >> 8,                      /* mov cx, P */
		0xee,                                        /* 1: out dx, al */
		0xe2, 0xfd,                                  /* loop 1b */
		0xb9, m & 0xff, m >> 8,                      /* mov cx, M */
		0xa2, MMIO_GPA & 0xff, MMIO_GPA >> 8,        /* 2: mov [0x8000], al */
		0xe2, 0xfb,                                  /* loop 2b */
		0xf4,                                        /* hlt */
	};
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0) { perror("/dev/kvm"); return 1; }
	int vm = xioctl(kvm, KVM_CREATE_VM, 0, "KVM_CREATE_VM");
	unsigned char *mem = mmap(NULL, 0x1000, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) { perror("mmap"); return 1; }
	memcpy(mem, code, sizeof(code));
	struct kvm_userspace_memory_region reg = { .slot = 0, .guest_phys_addr = CODE_GPA, .memory_size = 0x1000,
						   .userspace_addr = (unsigned long)mem };
	xioctl(vm, KVM_SET_USER_MEMORY_REGION, &reg, "KVM_SET_USER_MEMORY_REGION");
	int vcpu = xioctl(vm, KVM_CREATE_VCPU, 0, "KVM_CREATE_VCPU");
	int sz = xioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0, "KVM_GET_VCPU_MMAP_SIZE");
	struct kvm_run *run = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED) { perror("mmap vcpu"); return 1; }
	struct kvm_sregs sregs;
	xioctl(vcpu, KVM_GET_SREGS, &sregs, "KVM_GET_SREGS");
	sregs.cs.base = 0; sregs.cs.selector = 0; sregs.ds.base = 0; sregs.ds.selector = 0;
	xioctl(vcpu, KVM_SET_SREGS, &sregs, "KVM_SET_SREGS");
	struct kvm_regs regs = { .rip = CODE_GPA, .rflags = 2 };
	xioctl(vcpu, KVM_SET_REGS, &regs, "KVM_SET_REGS");
	unsigned long pio = 0, mmio = 0, hlt = 0, other = 0;
	while (!hlt) {
		xioctl(vcpu, KVM_RUN, 0, "KVM_RUN");
		switch (run->exit_reason) {
		case KVM_EXIT_IO:
			if (run->io.direction == KVM_EXIT_IO_OUT && run->io.port == PIO_PORT) pio++; else other++;
			break;
		case KVM_EXIT_MMIO:
			if (run->mmio.is_write && run->mmio.phys_addr == MMIO_GPA) mmio++; else other++;
			break;
		case KVM_EXIT_HLT: hlt++; break;
		default:
			fprintf(stderr, "kvmtiny: unexpected exit_reason %u\n", run->exit_reason);
			if (++other > 10) return 1;
		}
	}
	printf("KVMTINY pio=%lu mmio=%lu hlt=%lu other=%lu\n", pio, mmio, hlt, other);
	return (pio == p && mmio == m && !other) ? 0 : 1;
}
