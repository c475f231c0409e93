/* fpcheck: sentinel for lost/mixed-up user FPU state (the Xen-under-TCG failure mode).
 * Fills xmm0-15 (or ymm0-15 with "avx") with a fresh pattern, blocks in nanosleep so the kernel
 * (and the hypervisor) switch away, then stores the registers back and compares. Runs SECONDS
 * (or until SIGTERM) and prints one line: "FPCHECK <tag> <mode> iters=N bad=N => ok|CORRUPT".
 * usage: fpcheck sse|avx SECONDS SLEEP_US TAG */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t done;
static void stop(int s) { (void)s; done = 1; }

#define R16(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)
#define LOADX(i) "movdqu " #i "*16(%[in]), %%xmm" #i "\n\t"
#define SAVEX(i) "movdqu %%xmm" #i ", " #i "*16(%[out])\n\t"
#define LOADY(i) "vmovdqu " #i "*32(%[in]), %%ymm" #i "\n\t"
#define SAVEY(i) "vmovdqu %%ymm" #i ", " #i "*32(%[out])\n\t"
/* nanosleep(ts, NULL) as a raw syscall so no libc code touches the vector registers */
#define NAP "mov $35, %%eax\n\tmov %[ts], %%rdi\n\txor %%esi, %%esi\n\tsyscall\n\t"
#define CLOBBERS "rax", "rcx", "rdi", "rsi", "r11", "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", \
	"xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15"

int main(int argc, char **argv)
{
	int avx = argc > 1 && strcmp(argv[1], "avx") == 0;
	long secs = argc > 2 ? atol(argv[2]) : 60, us = argc > 3 ? atol(argv[3]) : 1000;
	const char *tag = argc > 4 ? argv[4] : "-";

	setvbuf(stdout, NULL, _IOLBF, 0);   /* a mismatch is in the log at once, even if we are killed */
	size_t n = avx ? 512 : 256;
	static unsigned char in[512] __attribute__((aligned(32))), out[512] __attribute__((aligned(32)));
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };
	unsigned long long x = 0x243f6a8885a308d3ull ^ (unsigned long long)getpid();
	long iters = 0, bad = 0;
	time_t end = time(NULL) + secs;
	signal(SIGTERM, stop); signal(SIGINT, stop);
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (!done && time(NULL) < end) {
		for (size_t i = 0; i < n; i++) { x ^= x << 13; x ^= x >> 7; x ^= x << 17; in[i] = (unsigned char)(x | 1); }
		memset(out, 0, sizeof(out));
		if (avx)
			__asm__ volatile(R16(LOADY) NAP R16(SAVEY) "vzeroupper" :: [in] "r"(in), [out] "r"(out), [ts] "r"(&ts) : CLOBBERS);
		else
			__asm__ volatile(R16(LOADX) NAP R16(SAVEX) :: [in] "r"(in), [out] "r"(out), [ts] "r"(&ts) : CLOBBERS);
		iters++;
		if (memcmp(in, out, n)) {
			int reg = 0;
			while (reg < 16 && !memcmp(in + reg * (n / 16), out + reg * (n / 16), n / 16)) reg++;
			if (++bad <= 3)
				printf("FPCHECK %s %s MISMATCH iter=%ld first-bad-reg=%d\n", tag, avx ? "avx" : "sse", iters, reg);
		}
	}
	printf("FPCHECK %s %s iters=%ld bad=%ld => %s\n", tag, avx ? "avx" : "sse", iters, bad, bad ? "CORRUPT" : "ok");
	return bad != 0;
}
