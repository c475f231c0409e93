/* Kernel symbolization: /proc/kallsyms text symbols (vmlinux and modules)
 * sorted by address, for naming stack frames. */
#ifndef IOPATH_KSYMS_H
#define IOPATH_KSYMS_H
#include <stddef.h>

struct ksym {
	unsigned long long addr;
	char *name;
	char *mod;      /* NULL for vmlinux */
};

struct ksyms {
	struct ksym *s;
	size_t n;
};

int ksyms_load(struct ksyms *k, const char *path);
/* The symbol containing addr (greatest start <= addr), or NULL. */
const struct ksym *ksyms_find(const struct ksyms *k, unsigned long long addr);
/* "name_[k]", "name_[mod]" (flamegraph.pl's kernel annotation) or "0x..." */
void ksyms_frame(const struct ksyms *k, unsigned long long addr, char *buf, size_t len);
void ksyms_free(struct ksyms *k);

#endif
