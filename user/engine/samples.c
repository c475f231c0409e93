#include "engine/samples.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include <bpf/libbpf.h>

/* The ring buffer's 256 KiB (bpf/paths/net.h net_paths) split over the CPUs, a power of two
 * pages each (perf_buffer__new's rule), at least 8 (32 KiB, over a hundred records): memory as
 * bounded as the ring buffer's on a machine of up to 8 CPUs, 32 KiB a CPU beyond. At a drain
 * on every wakeup (libbpf sets wakeup_events 1) and at least every 100 ms, a CPU's ring holds a
 * burst of 100-900 records (struct net_path_rec is under 300 bytes); more is counted as lost. */
#define SAMPLE_BYTES_TOTAL (256 * 1024)
#define PERF_PAGES_MIN 8

static size_t perf_pages_per_cpu(void)
{
	long page = sysconf(_SC_PAGESIZE);
	int cpus = libbpf_num_possible_cpus();
	size_t want = SAMPLE_BYTES_TOTAL / (size_t)(page > 0 ? page : 4096) / (size_t)(cpus > 0 ? cpus : 1);
	size_t n = 1;

	while (n * 2 <= want)
		n *= 2;
	return n < PERF_PAGES_MIN ? PERF_PAGES_MIN : n;
}

struct samples {
	bool perfbuf;
	struct ring_buffer *rb;
	struct perf_buffer *pb;
	samples_fn cb;
	void *ctx;
	unsigned long long lost;
};

bool samples_use_perfbuf(const struct kcaps *k)
{
	return !k->c[CAP_RINGBUF].ok;
}

int samples_prepare(struct bpf_map *map, bool perfbuf)
{
	int err;

	if (!perfbuf)
		return 0;
	/* max_entries 0: libbpf makes one slot per possible CPU for a perf event array */
	err = bpf_map__set_type(map, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	if (!err)
		err = bpf_map__set_key_size(map, sizeof(int));
	if (!err)
		err = bpf_map__set_value_size(map, sizeof(int));
	if (!err)
		err = bpf_map__set_max_entries(map, 0);
	return err;
}

static int rb_sample(void *ctx, void *data, size_t len)
{
	struct samples *s = ctx;

	s->cb(s->ctx, data, len);
	return 0;
}

static void pb_sample(void *ctx, int cpu, void *data, __u32 len)
{
	struct samples *s = ctx;

	s->cb(s->ctx, data, len);
}

static void pb_lost(void *ctx, int cpu, __u64 n)
{
	((struct samples *)ctx)->lost += n;
}

struct samples *samples_open(int map_fd, bool perfbuf, samples_fn cb, void *ctx)
{
	struct samples *s = calloc(1, sizeof(*s));
	int err;

	if (!s)
		return NULL;
	s->perfbuf = perfbuf;
	s->cb = cb;
	s->ctx = ctx;
	if (perfbuf)
		s->pb = perf_buffer__new(map_fd, perf_pages_per_cpu(), pb_sample, pb_lost, s, NULL);
	else
		s->rb = ring_buffer__new(map_fd, rb_sample, s, NULL);
	if (!s->pb && !s->rb) {
		err = errno;
		free(s);
		errno = err;
		return NULL;
	}
	return s;
}

int samples_epoll_fd(const struct samples *s)
{
	return !s ? -1 : s->perfbuf ? perf_buffer__epoll_fd(s->pb) : ring_buffer__epoll_fd(s->rb);
}

void samples_consume(struct samples *s)
{
	if (!s)
		return;
	if (s->perfbuf)
		perf_buffer__consume(s->pb);
	else
		ring_buffer__consume(s->rb);
}

unsigned long long samples_lost(const struct samples *s)
{
	return s ? s->lost : 0;
}

const char *samples_kind(bool perfbuf)
{
	return perfbuf ? "perf buffer" : "BPF ring buffer";
}

void samples_free(struct samples *s)
{
	if (!s)
		return;
	perf_buffer__free(s->pb);
	ring_buffer__free(s->rb);
	free(s);
}
