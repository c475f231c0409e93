#include "engine/kmulti.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "engine/attach.h"
#include "engine/skel.h"
#include "util/util.h"

/* The link from the multi points' addresses and ids; NULL with errno set. */
static struct bpf_link *make_link(struct engine *e, unsigned *count)
{
	unsigned long *addrs = calloc(e->n ? e->n : 1, sizeof(*addrs));
	__u64 *cookies = calloc(e->n ? e->n : 1, sizeof(*cookies));
	struct bpf_link *l = NULL;
	unsigned c = 0;
	int err = 0;

	for (unsigned i = 0; i < e->n; i++)
		if (e->pts[i].multi && (e->pts[i].status == PST_PLANNED || e->pts[i].status == PST_ATTACHED))
			c++;
	*count = c;   /* even when the link cannot be made: the caller falls back for all c */
	if (!addrs || !cookies) {
		err = -ENOMEM;
		goto out;
	}
	c = 0;
	for (unsigned i = 0; i < e->n; i++) {
		const struct resolved *r = &e->pts[i];

		if (!r->multi || (r->status != PST_PLANNED && r->status != PST_ATTACHED))
			continue;
		if (!r->addr) {   /* by address only: a name may be ambiguous (several modules) */
			err = -EADDRNOTAVAIL;
			goto out;
		}
		addrs[c] = (unsigned long)r->addr;
		cookies[c++] = r->id;
	}
	if (c) {
		LIBBPF_OPTS(bpf_kprobe_multi_opts, mo, .addrs = addrs, .cookies = cookies, .cnt = c);

		l = bpf_program__attach_kprobe_multi_opts(e->skel->progs.iop_kprobe_multi, NULL, &mo);
		if (!l)
			err = -errno;
	}
out:
	free(addrs);
	free(cookies);
	if (err)
		errno = -err;
	return l;
}

unsigned kmulti_attach(struct engine *e)
{
	unsigned long long t0 = now_ns();
	unsigned c = 0;
	struct bpf_link *l = make_link(e, &c);
	int err = l ? 0 : -errno;
	double ms = (now_ns() - t0) / 1e6;

	if (!c)
		return 0;
	for (unsigned i = 0; i < e->n; i++) {
		struct resolved *r = &e->pts[i];

		if (!r->multi || r->status != PST_PLANNED)
			continue;
		if (l) {
			r->status = PST_ATTACHED;
			r->attach_ms = ms / c;
			e->attached++;
			continue;
		}
		/* the batch refused: each goes on its own (engine_attach's loop), saying why */
		r->multi = false;
		snprintf(r->reason, sizeof(r->reason), "kprobe (kprobe.multi refused the %u functions "
			 "together: %s; attached one by one)", c, strerror(-err));
	}
	e->kmulti = l;
	return l ? c : 0;
}

void kmulti_detach(struct engine *e)
{
	bpf_link__destroy(e->kmulti);
	e->kmulti = NULL;
}

int kmulti_reattach(struct engine *e)
{
	unsigned c = 0;

	if (e->kmulti)
		return 0;
	e->kmulti = make_link(e, &c);
	return e->kmulti || !c ? 0 : -errno;
}

void kmulti_close(struct engine *e)
{
	kmulti_detach(e);
}
