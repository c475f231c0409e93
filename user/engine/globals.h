/* The BPF side's global variables (.bss counters, .rodata switches, .data.ctl run-time switch)
 * as userspace reads and writes them after load. Where the kernel can mmap a BPF array (5.5,
 * fc9702273e2e "bpf: Add mmap() support for BPF_MAP_TYPE_ARRAY") libbpf's skeleton maps each
 * section and these are plain memory accesses. Before, libbpf creates the sections' maps without
 * BPF_F_MMAPABLE and leaves the skeleton's pointers NULL: a read is then one map lookup of the
 * whole section into a copy, a write one update of a whole section, which is why the only
 * variable userspace writes after load has a section of its own (bpf/paths/exits.h).
 * IOPATH_MASK_CAPS=array_mmap takes the second way on a kernel that has the first: the maps are
 * then made without BPF_F_MMAPABLE, so the kernel really refuses to map them. */
#ifndef IOPATH_GLOBALS_H
#define IOPATH_GLOBALS_H
#include <stdbool.h>
#include <stddef.h>

struct bpf_object;
struct bpf_map;
struct kcaps;
struct engine;
struct iopath_bpf__bss;

/* Before load: without CAP_ARRAY_MMAP (measured, or masked) every internal map of obj is made
 * without BPF_F_MMAPABLE, as libbpf does itself on a kernel that lacks it. 0 or -errno. */
int globals_prepare(struct bpf_object *obj, bool can_mmap);
/* A section's contents as of now: mmaped when libbpf mapped it, else read into buf (the map's
 * value size) by one lookup. NULL with errno set when the lookup fails. */
const void *globals_view(const struct bpf_map *m, const void *mmaped, void *buf);
/* Write a whole section (value: the map's value size): into mmaped when mapped, else one update.
 * 0 or -errno. */
int globals_write(const struct bpf_map *m, void *mmaped, const void *value);

/* After the engine's load: the copy engine_bss reads into, where .bss is not mapped. 0 or
 * -ENOMEM. */
int engine_globals_loaded(struct engine *e);
/* The engine's counters (.bss) as of now, never NULL: on a failed lookup the last copy read (zero
 * at first), with one warning per engine saying the counters are stale. */
const struct iopath_bpf__bss *engine_bss(struct engine *e);
/* The BPF side's exits_counting switch (interrupts, exits and softirqs are counted while on).
 * 0 or -errno. */
int engine_set_counting(struct engine *e, bool on);

#endif
