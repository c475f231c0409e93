/* Reading a BPF map from user space, the one way every report section does it (bcc's
 * map_helpers dump_hash): every key with its value, an entry deleted between the key walk and
 * its lookup skipped. */
#ifndef IOPATH_ENGINE_MAPS_H
#define IOPATH_ENGINE_MAPS_H
#include <stddef.h>

struct bpf_map;

/* Called per entry; a non-zero return stops the walk and becomes its result. */
typedef int (*map_walk_fn)(const void *key, const void *val, void *ctx);

/* cb(key, value, ctx) for every entry of m; val_sz 0: keys only (val is NULL). Keys and values
 * of at most MAP_WALK_MAX bytes. Returns 0, the callback's non-zero return, or -E2BIG. */
#define MAP_WALK_MAX 4096
int engine_map_walk(const struct bpf_map *m, size_t key_sz, size_t val_sz, map_walk_fn cb, void *ctx);

/* Empties m: a hash map loses every key, an array's (also per-CPU) entries become zeroes.
 * 0 or -errno of the first failure. */
int engine_map_clear(const struct bpf_map *m);

#endif
