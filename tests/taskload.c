/* tests/live/74-tasks.sh's traced command: a known number of syscalls, fresh pages and sleeps.
 * taskload SYSCALLS PAGES SLEEPS: SYSCALLS getppid() calls (raw syscall(2): glibc caches
 * nothing for getppid, but raw makes it certain), PAGES 4 KiB pages of a fresh anonymous
 * mapping written once each (each a user page fault), SLEEPS 1 ms sleeps (each a voluntary
 * context switch); then prints "ctxsw N": its own voluntary + nonvoluntary context switches from
 * /proc/self/status, read just before it exits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long calls, pages, sleeps, sw = 0;
	char line[256];
	volatile char *m;
	FILE *f;

	if (argc != 4)
		return 2;
	calls = atol(argv[1]);
	pages = atol(argv[2]);
	sleeps = atol(argv[3]);
	for (long i = 0; i < calls; i++)
		syscall(SYS_getppid);
	if (pages) {
		m = mmap(NULL, pages * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m == MAP_FAILED)
			return 1;
		for (long i = 0; i < pages; i++)
			m[i * 4096] = 1;
	}
	for (long i = 0; i < sleeps; i++)
		nanosleep(&(struct timespec){ .tv_nsec = 1000000 }, NULL);
	f = fopen("/proc/self/status", "r");
	if (!f)
		return 1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "voluntary_ctxt_switches:", 24) || !strncmp(line, "nonvoluntary_ctxt_switches:", 27))
			sw += atol(strchr(line, ':') + 1);
	fclose(f);
	printf("ctxsw %ld\n", sw);
	return 0;
}
