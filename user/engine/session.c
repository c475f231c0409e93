/* Live tracing session shared by record, top and serve (see session.h):
 * which profiles each path needs, the interrupt map, and the set-up top and
 * serve use. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <bpf/libbpf.h>

#include <unistd.h>
#include "platform/platform.h"
#include "platform/devices.h"
#include "engine/globals.h"
#include "engine/skel.h"
#include "engine/deep.h"
#include "kernel/kbtf.h"
#include "kernel/profiles.h"
#include "engine/session.h"
#include "util/util.h"

bool session_profile_wanted(const char *profile, bool net, bool blk)
{
	return profile_wanted(profile, net, blk);
}

static unsigned root_netns(void)
{
	struct stat st;

	return stat("/proc/self/ns/net", &st) ? 0 : (unsigned)st.st_ino;
}

/* Disk interrupt lines -> (disk, hardware queue) for the block path. */
static unsigned blk_fill_irq_map(struct engine *e, const struct devices *d)
{
	unsigned mapped = 0;

	for (int i = 0; i < d->irqs.n; i++) {
		const struct irq_line *l = &d->irqs.lines[i];
		struct blk_irq_val v = { .queue = -1 };
		__u32 irq = l->irq;

		if (l->irq < 0 || !l->device[0] || !devices_find_blk(d, l->device))
			continue;
		/* request queues only: not config, admin (nvme q0) or unknown lines */
		if (l->kind != IRQ_KIND_RX && l->kind != IRQ_KIND_TX && l->kind != IRQ_KIND_RXTX)
			continue;
		v.dev = blk_dev_parse(l->device);
		v.queue = l->queue;
		if (v.dev && !bpf_map__update_elem(e->skel->maps.blk_irq_map, &irq, sizeof(irq), &v,
						   sizeof(v), 0))
			mapped++;
	}
	return mapped;
}

/* NIC interrupt lines -> device queue, so the BPF side can tell which
 * interrupt brought a packet; disk lines likewise for the block path. */
/* ifname (-i; "" for every interface): the NIC lines of other interfaces stay out of the map, so their
 * interrupts count as not of a traced NIC queue (irqs_not_nic) instead of making a device row of
 * their own, with no packets and no name, in a recording of one interface. */
void session_fill_irq_map(struct engine *e, bool net, bool blk, const char *ifname, unsigned *mapped,
			  unsigned *blk_mapped)
{
	struct devices d = {};
	unsigned ns = root_netns();
	int err = devices_scan("", &d);

	*mapped = *blk_mapped = 0;
	if (err)
		iop_warn("device scan incomplete (%s): interrupts may be unattributed", strerror(-err));
	if (blk)
		*blk_mapped = blk_fill_irq_map(e, &d);
	for (int i = 0; net && i < d.irqs.n; i++) {
		const struct irq_line *l = &d.irqs.lines[i];
		const struct nic *nic;
		struct irq_map_val v = {};
		__u32 irq = l->irq;

		if (l->irq < 0 || !l->device[0] || !(nic = devices_find_nic(&d, l->device)))
			continue;
		if (ifname[0] && strcmp(nic->name, ifname))
			continue;
		if (l->kind != IRQ_KIND_RX && l->kind != IRQ_KIND_TX && l->kind != IRQ_KIND_RXTX)
			continue;
		v.k.netns = ns;
		v.k.ifindex = nic->ifindex;
		v.k.queue = l->queue >= 0 ? l->queue : 0;
		v.k.dir = l->kind == IRQ_KIND_TX ? DIR_TX : DIR_RX;
		if (!bpf_map__update_elem(e->skel->maps.irq_map, &irq, sizeof(irq), &v, sizeof(v), 0))
			(*mapped)++;
	}
	devices_free(&d);
}

int session_prepare(struct live_session *s, const struct session_opts *o)
{
	struct resolve_opts ro = { .force = METHOD_NONE };

	memset(s, 0, sizeof(*s));
	s->o = *o;
	s->net = o->net;
	s->blk = o->blk;
	s->no = o->no ? *o->no : (struct net_opts){ .queue = -1, .dir = -1 };
	if (!o->samples) {
		s->no.sample_every = 0;   /* no ring buffer: aggregates only */
		s->no.counter = 0;
	}
	if (o->bo)
		s->bo = *o->bo;
	s->o.no = &s->no;
	s->o.bo = &s->bo;
	iop_setup_libbpf_log();
	kview_init(&s->kv);
	s->kv_loaded = true;
	if (kview_load_live(&s->kv))
		return -1;
	calib_run(&s->caps);
	{
		char why[512];

		if (caps_below_floor(&s->caps, why, sizeof(why))) {
			/* with a file, calibration's loads fail as well when its types are not this
			 * kernel's or not what this build reads */
			iop_err("kernel %s is below what iopath runs on (%s): %s%s", s->kv.release, CAPS_FLOOR,
				why, !s->caps.btf_given ? "" : kbtf_current()->builtin[0] ?
				"; or the built-in BTF was made from other BPF objects (tools/embed-btf.sh)" :
				"; or the --btf file is not this kernel's, or a minimal one made from other BPF "
				"objects (tools/min-btf.sh)");
			return -1;
		}
	}
	ro.platform = live_platform_mask();
	if (o->deep_max && deep_points(&s->kv, o->deep_max, &s->deep, &s->ndeep, &s->deep_found))
		return -1;
	s->pts = calloc(iop_point_count + s->ndeep + 1, sizeof(*s->pts));
	if (!s->pts)
		return -1;
	for (unsigned i = 0; i < iop_point_count; i++)
		if (profile_wanted(iop_points[i].profile, o->net, o->blk) ||
		    (o->host && !strcmp(iop_points[i].profile, "kvm-host")) ||
		    (o->tasks && profile_for_tasks(iop_points[i].profile)))
			resolve_point(&s->kv, &s->caps, &ro, &iop_points[i], &s->pts[s->n++]);
	for (unsigned i = 0; i < s->ndeep; i++)
		resolve_point(&s->kv, &s->caps, &ro, &s->deep[i], &s->pts[s->n++]);
	return 0;
}

int session_load(struct live_session *s)
{
	if (engine_load(&s->e, s->pts, s->n, &s->caps,
			&(struct engine_opts){ .net = s->net ? &s->no : NULL, .blk = s->blk ? &s->bo : NULL,
					       .exits = true, .tasks = s->o.tasks, .stacks = s->o.stacks,
					       .host = s->o.host }))
		return -1;
	session_fill_irq_map(&s->e, s->net, s->blk, s->no.ifname, &s->irqs_mapped, &s->disk_irqs_mapped);
	return 0;
}

void session_attach(struct live_session *s)
{
	engine_attach(&s->e);
}

int session_open(struct live_session *s, bool net, bool blk, const struct net_opts *no,
		 const struct blk_opts *bo)
{
	if (session_prepare(s, &(struct session_opts){ .net = net, .blk = blk, .no = no, .bo = bo }) ||
	    session_load(s))
		return -1;
	session_attach(s);
	/* interrupt and exit counting runs for the whole session */
	if (engine_set_counting(&s->e, true))
		iop_warn("cannot switch exit counting on: interrupts, exits and softirqs stay at zero");
	return 0;
}

void session_close(struct live_session *s)
{
	if (s->e.skel)
		engine_set_counting(&s->e, false);
	engine_close(&s->e);
	free(s->pts);
	s->pts = NULL;
	deep_free(s->deep, s->ndeep);
	s->deep = NULL;
	s->ndeep = 0;
	if (s->kv_loaded)
		kview_free(&s->kv);
	s->kv_loaded = false;
}

unsigned live_platform_mask(void)
{
	struct platform p;
	bool host = !access("/dev/kvm", F_OK) || !access("/sys/module/kvm", F_OK);

	platform_detect("", &p);
	return platform_mask_for(platform_is_xen(&p), p.kind == PLATFORM_XEN_PV,
				 p.kind == PLATFORM_KVM || p.kind == PLATFORM_PVM, host);
}
