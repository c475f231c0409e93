#include "engine/maps.h"

#include <errno.h>
#include <stdlib.h>
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

int engine_map_clear(const struct bpf_map *m)
{
	_Alignas(16) char key[MAP_WALK_MAX];
	enum bpf_map_type t = bpf_map__type(m);
	size_t ksz = bpf_map__key_size(m);

	if (ksz > MAP_WALK_MAX)
		return -E2BIG;
	if (t == BPF_MAP_TYPE_ARRAY || t == BPF_MAP_TYPE_PERCPU_ARRAY) {
		/* a per-CPU value is one 8-byte aligned slot per possible CPU */
		size_t vsz = bpf_map__value_size(m), n = bpf_map__max_entries(m);
		int err = 0;
		void *zero;

		if (t == BPF_MAP_TYPE_PERCPU_ARRAY)
			vsz = ((vsz + 7) & ~(size_t)7) * libbpf_num_possible_cpus();
		if (!(zero = calloc(1, vsz)))
			return -ENOMEM;
		for (__u32 i = 0; i < n && !err; i++)
			if (bpf_map__update_elem(m, &i, sizeof(i), zero, vsz, BPF_ANY))
				err = -errno;
		free(zero);
		return err;
	}
	/* the first key each time: each delete moves the walk's start */
	while (!bpf_map__get_next_key(m, NULL, key, ksz))
		if (bpf_map__delete_elem(m, key, ksz, 0) && errno != ENOENT)
			return -errno;
	return 0;
}
