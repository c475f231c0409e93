#include "engine/maps.h"

#include <errno.h>
#include <string.h>

#include <bpf/libbpf.h>

int engine_map_walk(const struct bpf_map *m, size_t key_sz, size_t val_sz, map_walk_fn cb, void *ctx)
{
	/* aligned for any key or value struct the BPF side shares (include/iopath_*.h) */
	_Alignas(16) char key[MAP_WALK_MAX], next[MAP_WALK_MAX], val[MAP_WALK_MAX];
	const void *prev = NULL;
	int ret;

	if (key_sz > MAP_WALK_MAX || val_sz > MAP_WALK_MAX)
		return -E2BIG;
	while (!bpf_map__get_next_key(m, prev, next, key_sz)) {
		memcpy(key, next, key_sz);
		prev = key;
		if (val_sz && bpf_map__lookup_elem(m, key, key_sz, val, val_sz, 0))
			continue;
		if ((ret = cb(key, val_sz ? val : NULL, ctx)))
			return ret;
	}
	return 0;
}
