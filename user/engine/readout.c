/* Reading a loaded engine's counters while it runs and after (engine/attach.h declares them):
 * probe hits per point, queue hits, the kernel's run time of the programs, recursion misses, and
 * the data BPF could not record, by reason. Nothing here attaches or detaches. */
#include "engine/globals.h"
#include "engine/attach.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "engine/maps.h"
#include "engine/skel.h"
#include "util/util.h"

static int add_runtime(int fd, unsigned long long *ns, unsigned long long *runs)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	*ns += info.run_time_ns;
	*runs += info.run_cnt;
	return 0;
}

int engine_prog_runtime(const struct engine *e, unsigned long long *ns, unsigned long long *runs)
{
	struct bpf_program *p;
	int err;

	*ns = *runs = 0;
	/* the object's programs that were loaded, then the per-point clones (fentry, kprobe) */
	bpf_object__for_each_program(p, e->skel->obj)
		if (bpf_program__fd(p) >= 0 && (err = add_runtime(bpf_program__fd(p), ns, runs)))
			return err;
	for (unsigned i = 0; i < e->n; i++)
		if (e->att[i].prog_fd >= 0 && (err = add_runtime(e->att[i].prog_fd, ns, runs)))
			return err;
	return 0;
}

const char *drop_name(int d)
{
	switch (d) {
	case DROP_QUEUE_MAP_FULL: return "queue_map_full";
	case DROP_ARG_READ: return "arg_read_failed";
	case DROP_STACK: return "stack_unavailable";
	case DROP_STACK_KEYS: return "stack_map_full";
	}
	return "?";
}

unsigned long long engine_stacks_dropped(const struct engine *e)
{
	return e->dropped[DROP_STACK] + e->dropped[DROP_STACK_KEYS];
}

void engine_warn_dropped(const struct engine *e)
{
	for (int d = 0; d < DROP__COUNT; d++) {
		if (!e->dropped[d])
			continue;
		/* the hit itself was counted and traced; only its stack is missing */
		if (d == DROP_STACK)
			iop_warn("%llu probe hits without a kernel stack: the kernel gave no frames, or "
				 "handlers nested more than %d deep on one CPU (%s)", e->dropped[d],
				 IOP_STACK_NEST, drop_name(d));
		else if (d == DROP_STACK_KEYS)
			iop_warn("%llu probe hits without a kernel stack: no room in the stack table "
				 "(%d distinct point+stack pairs) (%s)", e->dropped[d], IOP_MAX_STACKS,
				 drop_name(d));
		else
			iop_warn("%llu events not recorded: %s", e->dropped[d], drop_name(d));
	}
}

static void read_queues(struct engine *e)
{
	struct iop_q_key k, next, *prev = NULL;
	__u64 v;

	while (!bpf_map__get_next_key(e->skel->maps.point_queue, prev, &next, sizeof(next))) {
		k = next;
		prev = &k;
		if (bpf_map__lookup_elem(e->skel->maps.point_queue, &k, sizeof(k), &v, sizeof(v), 0))
			continue;
		if (!k.id || k.id > e->n)
			continue;
		struct resolved *r = &e->pts[k.id - 1];
		unsigned i;

		for (i = 0; i < r->nq && r->q[i].queue != k.queue; i++)
			;
		if (i == r->nq) {
			if (r->nq == sizeof(r->q) / sizeof(r->q[0])) {
				e->queues_not_shown++;
				continue;
			}
			r->nq++;
			r->q[i].queue = k.queue;
			r->q[i].hits = 0;
		}
		r->q[i].hits = v;
	}
}

unsigned long long prog_recursion_misses(int prog_fd)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	if (prog_fd < 0 || bpf_obj_get_info_by_fd(prog_fd, &info, &len))
		return 0;
	return info.recursion_misses;
}

/* Every loaded program and fentry/fexit clone: events lost to nesting. */
static void read_recursion_misses(struct engine *e)
{
	struct bpf_program *p;

	e->recursion_misses = 0;
	bpf_object__for_each_program(p, e->skel->obj)
		e->recursion_misses += prog_recursion_misses(bpf_program__fd(p));
	for (unsigned i = 0; i < e->n; i++)
		e->recursion_misses += prog_recursion_misses(e->att[i].prog_fd);
	/* cookie-less fentry clones skip their own nesting where the kernel does not (< 5.11) */
	e->recursion_misses += engine_bss(e)->k_nest_skips;
}

/* A zeroed value buffer of the per-CPU point_stat map; NULL with *err set. */
static struct iop_point_stat *stat_buf(int *ncpu, int *err)
{
	struct iop_point_stat *v;

	*ncpu = libbpf_num_possible_cpus();
	if (*ncpu <= 0) {
		*err = *ncpu ? *ncpu : -EINVAL;
		return NULL;
	}
	v = calloc(*ncpu, sizeof(*v));
	*err = v ? 0 : -ENOMEM;
	return v;
}

/* Point i's hits over every CPU (v: a buffer of ncpu per-CPU values); 0 when unreadable. */
static unsigned long long point_hits(const struct engine *e, unsigned i, struct iop_point_stat *v, int ncpu)
{
	__u32 id = e->pts[i].id;
	unsigned long long h = 0;

	if (bpf_map__lookup_elem(e->skel->maps.point_stat, &id, sizeof(id), v, sizeof(*v) * ncpu, 0))
		return 0;
	for (int c = 0; c < ncpu; c++)
		h += v[c].hits;
	return h;
}

int engine_read_hits(struct engine *e)
{
	int ncpu, err;
	struct iop_point_stat *v = stat_buf(&ncpu, &err);

	if (!v)
		return err;
	for (unsigned i = 0; i < e->n; i++)
		e->pts[i].hits = point_hits(e, i, v, ncpu);
	free(v);
	read_queues(e);
	read_recursion_misses(e);
	memcpy(e->dropped, engine_bss(e)->dropped, sizeof(e->dropped));
	return 0;
}

int engine_total_hits(const struct engine *e, unsigned long long *hits)
{
	int ncpu, err;
	struct iop_point_stat *v = stat_buf(&ncpu, &err);

	if (!v)
		return err;
	*hits = 0;
	for (unsigned i = 0; i < e->n; i++)
		*hits += point_hits(e, i, v, ncpu);
	free(v);
	return 0;
}

int engine_reset_hits(struct engine *e)
{
	int ncpu, err;
	struct iop_q_key k, next;
	struct iop_point_stat *v = stat_buf(&ncpu, &err);

	if (!v)
		return err;
	for (unsigned i = 0; i < e->n; i++) {
		__u32 id = e->pts[i].id;

		if (bpf_map__update_elem(e->skel->maps.point_stat, &id, sizeof(id), v, sizeof(*v) * ncpu, 0))
			err = -errno;
		e->pts[i].hits = 0;
		e->pts[i].nq = 0;
	}
	free(v);
	/* deleting the key just read: restart from the first key each time */
	while (!bpf_map__get_next_key(e->skel->maps.point_queue, NULL, &next, sizeof(next))) {
		k = next;
		if (bpf_map__delete_elem(e->skel->maps.point_queue, &k, sizeof(k), 0))
			break;
	}
	return err;
}
