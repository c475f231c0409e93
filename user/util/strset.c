#include "util/strset.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	/* the slot is the low bits, and a product's low bits depend only on its operands' low
	 * bits: fold the high half in (murmur3's finalizer), else keys that differ late cluster */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return h;
}

void strset_init(struct strset *s)
{
	memset(s, 0, sizeof(*s));
}

struct strset_chunk {
	struct strset_chunk *next;
	size_t size;
	char bytes[];
};
#define CHUNK_BYTES (64 * 1024)

/* A copy of key in the current chunk (a new one when it does not fit; a key longer than a
 * chunk gets a chunk of its own). */
static char *key_copy(struct strset *s, const char *key)
{
	size_t n = strlen(key) + 1;
	char *p;

	if (n > s->chunk_left) {
		size_t size = n > CHUNK_BYTES ? n : CHUNK_BYTES;
		struct strset_chunk *c = malloc(sizeof(*c) + size);

		if (!c)
			return NULL;
		c->next = s->chunks;
		c->size = size;
		s->chunks = c;
		s->chunk_left = size;
	}
	p = s->chunks->bytes + (s->chunks->size - s->chunk_left);
	memcpy(p, key, n);
	s->chunk_left -= n;
	return p;
}

void strset_free(struct strset *s)
{
	while (s->chunks) {
		struct strset_chunk *c = s->chunks;

		s->chunks = c->next;
		free(c);
	}
	free(s->keys);
	free(s->vals);
	free(s->hashes);
	memset(s, 0, sizeof(*s));
}

/* The slot of key (hash h): its own, or the empty one where it would go. */
static size_t slot(const struct strset *s, const char *key, uint64_t h)
{
	size_t i = h & (s->cap - 1);

	while (s->keys[i] && (s->hashes[i] != h || strcmp(s->keys[i], key)))
		i = (i + 1) & (s->cap - 1);
	return i;
}

static int grow(struct strset *s)
{
	struct strset n = { .cap = s->cap ? s->cap * 2 : 1024 };

	n.keys = calloc(n.cap, sizeof(*n.keys));
	n.vals = calloc(n.cap, sizeof(*n.vals));
	n.hashes = calloc(n.cap, sizeof(*n.hashes));
	if (!n.keys || !n.vals || !n.hashes) {
		free(n.keys);
		free(n.vals);
		free(n.hashes);
		return -ENOMEM;
	}
	for (size_t i = 0; i < s->cap; i++) {
		if (!s->keys[i])
			continue;
		/* keys are distinct: the first empty slot, no string compared */
		size_t j = s->hashes[i] & (n.cap - 1);

		while (n.keys[j])
			j = (j + 1) & (n.cap - 1);
		n.keys[j] = s->keys[i];
		n.vals[j] = s->vals[i];
		n.hashes[j] = s->hashes[i];
	}
	n.len = s->len;
	free(s->keys);
	free(s->vals);
	free(s->hashes);
	*s = n;
	return 0;
}

int strset_add(struct strset *s, const char *key, uint64_t val)
{
	size_t i;

	uint64_t h = hash(key);

	if ((s->len + 1) * 2 > s->cap && grow(s))
		return -ENOMEM;
	i = slot(s, key, h);
	if (s->keys[i])
		return 0;
	s->keys[i] = key_copy(s, key);
	if (!s->keys[i])
		return -ENOMEM;
	s->vals[i] = val;
	s->hashes[i] = h;
	s->len++;
	return 1;
}

int strset_get(const struct strset *s, const char *key, uint64_t *val)
{
	size_t i;

	if (!s->cap)
		return 0;
	i = slot(s, key, hash(key));
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
	i = slot(s, key, hash(key));
	if (!s->keys[i])
		return -ENOENT;
	s->vals[i] = val;
	return 0;
}
