/* The BPF globals after load: mapped where the kernel can, else one lookup or update of the
 * whole section (engine/globals.h). */
#include "engine/globals.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "engine/attach.h"
#include "engine/skel.h"
#include "util/util.h"

int globals_prepare(struct bpf_object *obj, bool can_mmap)
{
	struct bpf_map *m;

	if (can_mmap)
		return 0;
	bpf_object__for_each_map(m, obj) {
		if (!bpf_map__is_internal(m))
			continue;
		int err = bpf_map__set_map_flags(m, bpf_map__map_flags(m) & ~BPF_F_MMAPABLE);
		if (err)
			return err;
	}
	return 0;
}

const void *globals_view(const struct bpf_map *m, const void *mmaped, void *buf)
{
	__u32 zero = 0;

	if (mmaped)
		return mmaped;
	if (bpf_map__lookup_elem(m, &zero, sizeof(zero), buf, bpf_map__value_size(m), 0))
		return NULL;
	return buf;
}

int globals_write(const struct bpf_map *m, void *mmaped, const void *value)
{
	__u32 zero = 0;

	if (mmaped) {
		memcpy(mmaped, value, bpf_map__value_size(m));
		return 0;
	}
	return bpf_map__update_elem(m, &zero, sizeof(zero), value, bpf_map__value_size(m), 0) ? -errno : 0;
}

const struct iopath_bpf__bss *engine_bss(struct engine *e)
{
	const struct iopath_bpf__bss *b;

	if (e->skel->bss)
		return e->skel->bss;
	b = globals_view(e->skel->maps.bss, NULL, e->bss_copy);
	if (!b && !e->bss_stale) {
		e->bss_stale = true;
		iop_warn("cannot read the BPF counters (.bss lookup: %s): the counters shown are the last ones read",
			 strerror(errno));
	}
	return e->bss_copy;
}

int engine_globals_loaded(struct engine *e)
{
	if (e->skel->bss)
		return 0;
	e->bss_copy = calloc(1, bpf_map__value_size(e->skel->maps.bss));
	return e->bss_copy ? 0 : -ENOMEM;
}

int engine_set_counting(struct engine *e, bool on)
{
	struct iopath_bpf__data_ctl v = { .exits_counting = on };

	return globals_write(e->skel->maps.data_ctl, e->skel->data_ctl, &v);
}
