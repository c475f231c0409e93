#include "engine/stacks.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "engine/skel.h"
#include "kernel/ksyms.h"
#include "util/util.h"

/* Frames of the tracing machinery itself (BPF programs, trampolines,
 * tracepoint and kprobe glue) sit innermost; they are not the kernel's path. */
static bool machinery(const struct ksyms *ks, unsigned long long ip)
{
	static const char *const pre[] = {
		"bpf_prog_", "bpf_trace_run", "__bpf_trace_", "perf_trace_", "trace_event_raw_event_",
		"bpf_trampoline_", "__bpf_prog_enter", "__bpf_prog_exit", "kprobe_ftrace_handler",
		"kprobe_perf_func", "trace_call_bpf", "kprobe_dispatcher", "arch_ftrace_ops_list_func",
		"ftrace_", "__traceiter_",
	};
	const struct ksym *s = ksyms_find(ks, ip);

	if (!s)
		return true;   /* BPF JIT images and trampolines have no kallsyms text entry here */
	if (s->mod && !strcmp(s->mod, "bpf"))
		return true;
	for (size_t i = 0; i < sizeof(pre) / sizeof(pre[0]); i++)
		if (!strncmp(s->name, pre[i], strlen(pre[i])))
			return true;
	return false;
}

int stacks_collect(struct engine *e, char **out, size_t *len, unsigned long long *nstacks)
{
	struct iop_stack_key k, *prev = NULL, next;
	struct iop_stack_val v;
	struct ksyms ks;
	FILE *f;
	int err;

	*out = NULL;
	*len = 0;
	*nstacks = 0;
	err = ksyms_load(&ks, "/proc/kallsyms");
	if (err) {
		iop_warn("cannot symbolize stacks: /proc/kallsyms: %s", strerror(-err));
		return err;
	}
	f = open_memstream(out, len);
	if (!f) {
		ksyms_free(&ks);
		return -ENOMEM;
	}
	while (!bpf_map__get_next_key(e->skel->maps.point_stacks, prev, &next, sizeof(next))) {
		int depth, inner = 0;

		k = next;
		prev = &k;
		if (bpf_map__lookup_elem(e->skel->maps.point_stacks, &k, sizeof(k), &v, sizeof(v), 0) ||
		    !k.id || k.id > e->n || !v.hits)
			continue;
		for (depth = 0; depth < IOP_STACK_DEPTH && v.ips[depth]; depth++)
			;
		while (inner < depth - 1 && machinery(&ks, v.ips[inner]))
			inner++;
		/* root: the probe point; then callers from the outermost in */
		fprintf(f, "%s", e->pts[k.id - 1].symbol);
		for (int i = depth - 1; i >= inner; i--) {
			char fr[256];

			ksyms_frame(&ks, v.ips[i], fr, sizeof(fr));
			for (char *p = fr; *p; p++)
				if (*p == ' ' || *p == ';')
					*p = '_';
			fprintf(f, ";%s", fr);
		}
		fprintf(f, " %llu\n", (unsigned long long)v.hits);
		(*nstacks)++;
	}
	fclose(f);
	ksyms_free(&ks);
	return 0;
}
