#include "kernel/ksyms.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

int ksyms_load(struct ksyms *k, const char *path)
{
	FILE *f = fopen(path, "re");
	char line[512];
	size_t cap = 0;

	k->s = NULL;
	k->n = 0;
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *addr = strtok(line, " \t\n"), *type = strtok(NULL, " \t\n");
		char *name = strtok(NULL, " \t\n"), *mod = strtok(NULL, " \t\n");
		struct ksym *s;

		if (!addr || !type || !name || !strchr("tTwW", type[0]))
			continue;
		if (k->n == cap) {
			cap = cap ? cap * 2 : 65536;
			s = realloc(k->s, cap * sizeof(*s));
			if (!s) {
				fclose(f);
				ksyms_free(k);
				return -ENOMEM;
			}
			k->s = s;
		}
		s = &k->s[k->n];
		s->addr = strtoull(addr, NULL, 16);
		s->name = strdup(name);
		s->mod = NULL;
		if (mod && mod[0] == '[') {
			mod[strcspn(mod, "]")] = 0;
			s->mod = strdup(mod + 1);
		}
		if (!s->addr || !s->name) {   /* addresses hidden (no CAP_SYSLOG): useless */
			free(s->name);
			free(s->mod);
			continue;
		}
		k->n++;
	}
	fclose(f);
	qsort(k->s, k->n, sizeof(*k->s), cmp);
	return k->n ? 0 : -ENOENT;
}

const struct ksym *ksyms_find(const struct ksyms *k, unsigned long long addr)
{
	size_t lo = 0, hi = k->n;

	if (!k->n || addr < k->s[0].addr)
		return NULL;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (k->s[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	return &k->s[lo];
}

void ksyms_frame(const struct ksyms *k, unsigned long long addr, char *buf, size_t len)
{
	const struct ksym *s = ksyms_find(k, addr);

	if (!s)
		snprintf(buf, len, "0x%llx", addr);
	else
		snprintf(buf, len, "%s_[%s]", s->name, s->mod ? s->mod : "k");
}

void ksyms_free(struct ksyms *k)
{
	for (size_t i = 0; i < k->n; i++) {
		free(k->s[i].name);
		free(k->s[i].mod);
	}
	free(k->s);
	k->s = NULL;
	k->n = 0;
}
