#include "engine/deep.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/resolve.h"

static const char *const excluded[] = {
	"trace_event_raw_event_*", "perf_trace_*", "__bpf_trace_*", "trace_*", "__traceiter_*",
	"bpf_*", "__bpf_*",
};

bool deep_excluded(const char *name)
{
	for (size_t i = 0; i < sizeof(excluded) / sizeof(excluded[0]); i++)
		if (!fnmatch(excluded[i], name, 0))
			return true;
	return resolve_denied(name);
}

static bool in_profiles(const char *mod, const char *name)
{
	for (unsigned i = 0; i < iop_point_count; i++) {
		const struct probe_point *p = &iop_points[i];
		const char *s = p->symbols;
		size_t n = strlen(name);

		if (p->kind == KIND_TP)
			continue;
		/* any alternate, with or without "mod:" */
		while (s && *s) {
			const char *c = strchr(s, ':'), *bar = strchr(s, '|');
			const char *a = c && (!bar || c < bar) ? c + 1 : s;
			size_t len = bar ? (size_t)(bar - a) : strlen(a);

			if (len == n && !strncmp(a, name, n))
				return true;
			s = bar ? bar + 1 : NULL;
		}
	}
	(void)mod;
	return false;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int deep_points(const struct kview *kv, unsigned max, struct probe_point **out, unsigned *n,
		unsigned *found)
{
	const struct strset *s = &kv->skb_funcs;
	char **keys = calloc(s->len ? s->len : 1, sizeof(*keys));
	struct probe_point *pts;
	unsigned nk = 0, np = 0;

	*out = NULL;
	*n = *found = 0;
	if (!keys)
		return -ENOMEM;
	for (size_t i = 0; i < s->cap; i++) {
		const char *k = s->keys[i], *name;

		if (!k)
			continue;
		name = strchr(k, ':') + 1;
		if (deep_excluded(name))
			continue;
		keys[nk++] = s->keys[i];
	}
	qsort(keys, nk, sizeof(*keys), cmp);
	*found = nk;
	pts = calloc(nk ? nk : 1, sizeof(*pts));
	if (!pts) {
		free(keys);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < nk && np < max; i++) {
		char mod[64];
		const char *colon = strchr(keys[i], ':');
		uint64_t pos = 0;

		snprintf(mod, sizeof(mod), "%.*s", (int)(colon - keys[i]), keys[i]);
		if (in_profiles(mod, colon + 1))
			continue;
		strset_get(s, keys[i], &pos);
		pts[np].profile = "deep";
		pts[np].symbols = strdup(keys[i]);
		if (!pts[np].symbols) {
			deep_free(pts, np);
			free(keys);
			return -ENOMEM;
		}
		pts[np].kind = KIND_FUNC;
		pts[np].flags = PF_BULK;
		pts[np].role = ROLE_STACK;
		pts[np].path = PATH_NONE;
		pts[np].ident = IDENT_SKB;
		pts[np].id_arg = (int8_t)pos;
		np++;
	}
	free(keys);
	*out = pts;
	*n = np;
	return 0;
}

void deep_free(struct probe_point *p, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		free((char *)p[i].symbols);
	free(p);
}
