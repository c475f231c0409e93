/* A string -> value hash table (open addressing). Holds the kernel's symbol
 * and BTF function sets: ~150k names, looked up thousands of times. */
#ifndef IOPATH_STRSET_H
#define IOPATH_STRSET_H
#include <stddef.h>
#include <stdint.h>

struct strset {
	char **keys;
	uint64_t *vals;
	uint64_t *hashes;   /* each key's hash: compared before the string, reused on growth */
	size_t cap, len;
	/* the keys' bytes, in chunks freed together: ~150k small strings, not one malloc each */
	struct strset_chunk *chunks;
	size_t chunk_left;
};

void strset_init(struct strset *s);
void strset_free(struct strset *s);
/* Inserts key (copied) if absent. Returns 1 inserted, 0 present, -ENOMEM. */
int strset_add(struct strset *s, const char *key, uint64_t val);
/* Returns 1 and *val when present, 0 when not. val may be NULL. */
int strset_get(const struct strset *s, const char *key, uint64_t *val);
/* Sets the value of an existing key; returns 0 or -ENOENT. */
int strset_set(struct strset *s, const char *key, uint64_t val);

#endif
