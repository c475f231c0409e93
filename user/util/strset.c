#include "util/strset.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

void strset_init(struct strset *s)
{
	memset(s, 0, sizeof(*s));
}

void strset_free(struct strset *s)
{
	for (size_t i = 0; i < s->cap; i++)
		free(s->keys[i]);
	free(s->keys);
	free(s->vals);
	memset(s, 0, sizeof(*s));
}

static size_t slot(const struct strset *s, const char *key)
{
	size_t i = hash(key) & (s->cap - 1);

	while (s->keys[i] && strcmp(s->keys[i], key))
		i = (i + 1) & (s->cap - 1);
	return i;
}

static int grow(struct strset *s)
{
	struct strset n = { .cap = s->cap ? s->cap * 2 : 1024 };

	n.keys = calloc(n.cap, sizeof(*n.keys));
	n.vals = calloc(n.cap, sizeof(*n.vals));
	if (!n.keys || !n.vals) {
		free(n.keys);
		free(n.vals);
		return -ENOMEM;
	}
	for (size_t i = 0; i < s->cap; i++) {
		if (!s->keys[i])
			continue;
		size_t j = slot(&n, s->keys[i]);

		n.keys[j] = s->keys[i];
		n.vals[j] = s->vals[i];
	}
	n.len = s->len;
	free(s->keys);
	free(s->vals);
	*s = n;
	return 0;
}

int strset_add(struct strset *s, const char *key, uint64_t val)
{
	size_t i;

	if ((s->len + 1) * 2 > s->cap && grow(s))
		return -ENOMEM;
	i = slot(s, key);
	if (s->keys[i])
		return 0;
	s->keys[i] = strdup(key);
	if (!s->keys[i])
		return -ENOMEM;
	s->vals[i] = val;
	s->len++;
	return 1;
}

int strset_get(const struct strset *s, const char *key, uint64_t *val)
{
	size_t i;

	if (!s->cap)
		return 0;
	i = slot(s, key);
	if (!s->keys[i])
		return 0;
	if (val)
		*val = s->vals[i];
	return 1;
}

int strset_set(struct strset *s, const char *key, uint64_t val)
{
	size_t i;

	if (!s->cap)
		return -ENOENT;
	i = slot(s, key);
	if (!s->keys[i])
		return -ENOENT;
	s->vals[i] = val;
	return 0;
}
