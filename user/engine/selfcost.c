/* iopath's own BPF time per probe hit, measured by the kernel over the run's first stretch (selfcost.h). */
#include "engine/selfcost.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "util/util.h"

int selfcost_start(struct selfcost *sc, const struct engine *e)
{
	unsigned long long runs;
	int err;

	memset(sc, 0, sizeof(*sc));
	sc->e = e;
	sc->stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	if (sc->stats_fd < 0) {
		snprintf(sc->why, sizeof(sc->why), "the kernel refused its run-time accounting "
			 "(BPF_ENABLE_STATS: %s)", strerror(errno));
		return -1;
	}
	if ((err = engine_prog_runtime(e, &sc->ns0, &runs)) || (err = engine_total_hits(e, &sc->hits0))) {
		snprintf(sc->why, sizeof(sc->why), "cannot read its programs' run time or hits: %s",
			 strerror(-err));
		selfcost_stop(sc);
		return -1;
	}
	sc->t0 = now_ns();
	return 0;
}

bool selfcost_tick(struct selfcost *sc)
{
	unsigned long long ns, runs, hits;
	int err;

	if (sc->stats_fd < 0)
		return true;
	if (now_ns() - sc->t0 < SELFCOST_WINDOW_NS)
		return false;
	if ((err = engine_prog_runtime(sc->e, &ns, &runs)) || (err = engine_total_hits(sc->e, &hits))) {
		snprintf(sc->why, sizeof(sc->why), "cannot read its programs' run time or hits: %s",
			 strerror(-err));
		selfcost_stop(sc);
		return true;
	}
	if (hits <= sc->hits0)
		return false;   /* no probe fired yet: the stretch goes on */
	sc->ns_per_hit = (double)(ns - sc->ns0) / (hits - sc->hits0);
	selfcost_stop(sc);
	return true;
}

void selfcost_stop(struct selfcost *sc)
{
	if (sc->stats_fd >= 0)
		close(sc->stats_fd);
	sc->stats_fd = -1;
	if (!sc->ns_per_hit && !sc->why[0])
		snprintf(sc->why, sizeof(sc->why), "no probe fired while it was measured");
}
