/* A live tracing session for the long-running commands (top, serve): the
 * same probe profiles and BPF engine as record, loaded and attached once,
 * then the maps are read as often as the caller wants. */
#ifndef IOPATH_SESSION_H
#define IOPATH_SESSION_H
#include <stdbool.h>
#include "engine/attach.h"
#include "engine/calib.h"
#include "iopath_blk.h"
#include "iopath_net.h"
#include "kernel/kview.h"
#include "kernel/resolve.h"

struct live_session {
	bool net, blk;
	struct net_opts no;
	struct blk_opts bo;
	struct kview kv;
	struct kcaps caps;
	struct resolved *pts;
	unsigned n;
	struct engine e;
	unsigned irqs_mapped, disk_irqs_mapped;
	bool kv_loaded;
};

/* Resolves the net (and/or blk) profiles plus the exit/interrupt ones like
 * record does, loads the engine (no path samples, no counter), maps device
 * interrupt lines, attaches and starts interrupt counting. no/bo may be
 * NULL for defaults. 0, or -1 after saying why on stderr. */
int session_open(struct live_session *s, bool net, bool blk, const struct net_opts *no,
		 const struct blk_opts *bo);
void session_close(struct live_session *s);
/* Profiles a recording of these paths resolves (interrupts and exits always). */
bool session_profile_wanted(const char *profile, bool net, bool blk);
void session_fill_irq_map(struct engine *e, bool net, bool blk, unsigned *mapped, unsigned *blk_mapped);
/* Platform bits for resolution (platform_mask_for) on the live machine: platform_detect
 * of / plus whether this machine is a KVM host. */
unsigned live_platform_mask(void);

#endif
