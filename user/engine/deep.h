/* --deep: every attachable function that takes a struct sk_buff * (found in
 * vmlinux and module BTF, as pwru does) becomes a probe point, so a packet's
 * path length counts real kernel functions, not only iopath's stages. */
#ifndef IOPATH_DEEP_H
#define IOPATH_DEEP_H
#include "kernel/kview.h"
#include "kernel/profiles.h"

/* Builds points for up to max such functions that no profile already
 * probes (sorted by module and name, so the subset is stable). *found is
 * how many exist in all. Returns 0 or -errno; free with deep_free(). */
int deep_points(const struct kview *kv, unsigned max, struct probe_point **out, unsigned *n,
		unsigned *found);
void deep_free(struct probe_point *p, unsigned n);
/* Functions --deep never takes: tracepoint glue (would double every event). */
bool deep_excluded(const char *name);

#endif
