/* A live tracing session, the one way record, top and serve bring up the engine: read the
 * kernel's view, calibrate, resolve the profiles the recorded paths need (profile_wanted),
 * load the engine, map device interrupt lines, attach. Lifecycle (retsnoop's mass_attacher):
 *   session_prepare -> [caller reads s->caps, adjusts s->no] -> session_load -> [caller sets
 *   up what needs the loaded maps] -> session_attach ... session_close (always, also after a
 *   failed step). session_open does all of it for top and serve. */
#ifndef IOPATH_SESSION_H
#define IOPATH_SESSION_H
#include <stdbool.h>
#include "engine/attach.h"
#include "engine/calib.h"
#include "iopath_blk.h"
#include "iopath_net.h"
#include "kernel/kview.h"
#include "kernel/resolve.h"

struct session_opts {
	bool net, blk;          /* the paths recorded (interrupts and exits always) */
	bool host;              /* also the kvm-host profile (record --host) */
	bool tasks;             /* also the PP_TASKS profiles: record --exits with traced tasks */
	bool stacks;            /* kernel stacks at every probe hit */
	unsigned deep_max;      /* > 0: --deep, at most this many sk_buff functions */
	bool samples;           /* keep no->sample_every and no->counter; else aggregates only */
	const struct net_opts *no;   /* NULL: defaults (all queues, both directions) */
	const struct blk_opts *bo;   /* NULL: every disk */
};

struct live_session {
	struct session_opts o;  /* as given, no and bo pointing at the copies below */
	bool net, blk;
	struct net_opts no;
	struct blk_opts bo;
	struct kview kv;
	struct kcaps caps;
	struct resolved *pts;
	unsigned n;
	struct probe_point *deep;      /* --deep points, the last ndeep of pts */
	unsigned ndeep, deep_found;
	struct engine e;
	unsigned irqs_mapped, disk_irqs_mapped;
	bool kv_loaded;
};

/* Each step: 0, or -1 after saying why on stderr. */
int session_prepare(struct live_session *s, const struct session_opts *o);
int session_load(struct live_session *s);
void session_attach(struct live_session *s);
/* prepare + load + attach with aggregates only (no path samples, no counter), then starts
 * interrupt counting: top and serve. no/bo may be NULL for defaults. */
int session_open(struct live_session *s, bool net, bool blk, const struct net_opts *no,
		 const struct blk_opts *bo);
void session_close(struct live_session *s);
/* Profiles a recording of these paths resolves (interrupts and exits always). */
bool session_profile_wanted(const char *profile, bool net, bool blk);
void session_fill_irq_map(struct engine *e, bool net, bool blk, const char *ifname, unsigned *mapped,
			  unsigned *blk_mapped);
/* Platform bits for resolution (platform_mask_for) on the live machine: platform_detect
 * of / plus whether this machine is a KVM host. */
unsigned live_platform_mask(void);

#endif
