/* Sampled records from the BPF side (bpf/lib/sample.h), through one interface over the two
 * transports a kernel may have: the BPF ring buffer (5.8+) and, where calibration found none
 * (CAP_RINGBUF; IOPATH_MASK_CAPS=ringbuf forces it), the perf buffer (one ring per CPU).
 *
 * Lifecycle: samples_use_perfbuf() decides from the measured capabilities;
 * samples_prepare() turns the object's declared ring buffer into a perf event array before
 * load (the BPF side reads the same decision from its read-only data); samples_open() reads
 * the loaded map; samples_consume() hands every waiting record to the callback;
 * samples_free(). Records the kernel could not place are counted on the BPF side by the
 * path's own counter; samples_lost() adds what the perf buffer itself reported lost. */
#ifndef IOPATH_ENGINE_SAMPLES_H
#define IOPATH_ENGINE_SAMPLES_H
#include <stdbool.h>
#include <stddef.h>

#include "kernel/caps.h"

struct bpf_map;
struct samples;

/* one record, len bytes (a perf buffer pads it to 8 bytes: len may exceed the record's size) */
typedef void (*samples_fn)(void *ctx, const void *data, size_t len);

bool samples_use_perfbuf(const struct kcaps *k);
/* before load: 0 or -errno */
int samples_prepare(struct bpf_map *map, bool perfbuf);
/* NULL with errno set when the kernel refused */
struct samples *samples_open(int map_fd, bool perfbuf, samples_fn cb, void *ctx);
/* what poll() waits on */
int samples_epoll_fd(const struct samples *s);
/* every record waiting now; s may be NULL */
void samples_consume(struct samples *s);
/* records the perf buffer reported lost (0 for the ring buffer: the BPF side counts those) */
unsigned long long samples_lost(const struct samples *s);
/* "BPF ring buffer" or "perf buffer" */
const char *samples_kind(bool perfbuf);
void samples_free(struct samples *s);

#endif
