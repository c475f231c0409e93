/* The one way iopath's BPF side inserts into a bounded hash map: every
 * aggregate, signature, per-point and per-key counter map goes through it, so
 * every failed insert is counted (the project's rule: nothing is dropped
 * silently). Modelled on bcc libbpf-tools' bpf_map_lookup_or_try_init(), which
 * only returns NULL; here the caller names the counter a failure bumps. */
#ifndef IOPATH_BPF_LIB_MAPS_H
#define IOPATH_BPF_LIB_MAPS_H
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "lib/errno.h"

/* The value for key, inserted from *init when missing (NULL when it could not
 * be). BPF_NOEXIST so a concurrent insert of the same key is never
 * overwritten: that -EEXIST is a success, the value is looked up again. Any
 * other failure bumps *full. In kernel/bpf/hashtab.c htab_map_update_elem()
 * those are: -E2BIG (alloc_htab_elem(), the map is at max_entries), -ENOMEM
 * (the element allocation failed), and the bucket lock not taken
 * (htab_lock_bucket(): -EBUSY from 5.11 to 6.14 when a handler this one interrupted
 * on this CPU holds it; an rqspinlock error, -EDEADLK or -ETIMEDOUT, since
 * 6.15). The LRU maps evict instead of filling and are not inserted here. */
static __always_inline void *map_lookup_or_insert(void *map, const void *key, const void *init,
						  __u64 *full)
{
	void *v = bpf_map_lookup_elem(map, key);
	long err;

	if (v)
		return v;
	err = bpf_map_update_elem(map, key, init, BPF_NOEXIST);
	if (err && err != -EEXIST)
		__sync_fetch_and_add(full, 1);
	return bpf_map_lookup_elem(map, key);
}

/* One more hit of key in a map of u64 counters; a failed insert bumps *full. */
static __always_inline void map_count(void *map, const void *key, __u64 *full)
{
	__u64 zero = 0, *v = map_lookup_or_insert(map, key, &zero, full);

	if (v)
		__sync_fetch_and_add(v, 1);
}

#endif
