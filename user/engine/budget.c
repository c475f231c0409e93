/* record --budget: probes on the kernel in time windows, within a CPU budget (budget.h). */
#include "engine/budget.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>

#include "util/util.h"

unsigned long long budget_off_ns(double cost_ns, unsigned long long span_ns, double pct, unsigned ncpus)
{
	double want = pct / 100 * (ncpus ? ncpus : 1), off;

	if (want <= 0)
		return 0;
	off = cost_ns / want - span_ns;   /* the cycle's length at budget, less what it had */
	if (off <= 0)
		return 0;
	return off >= BUDGET_MAX_OFF_NS ? BUDGET_MAX_OFF_NS : (unsigned long long)off;
}

/* iopath's own CPU time (user + system) in this thread, ns: the one that reads the maps and
 * attaches; the built-in workload's threads are the traffic, not the tracer's cost */
static unsigned long long self_cpu_ns(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_THREAD, &ru))
		return 0;
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000ull +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000ull;
}

static unsigned long long hits_now(struct budget *b)
{
	unsigned long long h = 0;

	engine_total_hits(b->e, &h);   /* on failure: 0 more hits, the window costs its CPU time */
	return h < b->hits_on ? b->hits_on : h;
}

int budget_start(struct budget *b, struct engine *e, double pct, const struct selfcost *sc)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	memset(b, 0, sizeof(*b));
	if (sc->why[0]) {
		iop_err("--budget: cannot measure iopath's own cost: %s", sc->why);
		return -1;
	}
	b->e = e;
	b->sc = sc;
	b->st.pct = pct;
	b->ncpus = n > 0 ? n : 1;
	b->t_start = b->t_on = now_ns();
	b->hits_on = hits_now(b);
	b->t_cycle = b->t_start;
	b->cpu_ns = b->cpu_cycle = self_cpu_ns();
	return 0;
}

void budget_tick(struct budget *b)
{
	unsigned long long now = now_ns(), cpu = self_cpu_ns();

	b->cost_ns += cpu > b->cpu_ns ? cpu - b->cpu_ns : 0;
	b->cpu_ns = cpu;
	if (b->off_until) {
		unsigned long long h;

		if (now < b->off_until)
			return;
		/* hits after the window's last read: the programs' last runs as they came off */
		h = hits_now(b);
		b->st.paused_hits += h - b->hits_on;
		if (iop_verbose && h > b->hits_on)
			fprintf(stderr, "budget: %llu hits after the window's end (counted: the detach is time on)\n",
				h - b->hits_on);
		b->st.lost_points += engine_resume(b->e);
		b->off_until = 0;
		b->t_on = now_ns();
		b->hits_on = hits_now(b);
		return;
	}
	/* the first window, with the kernel's accounting on (selfcost.h), costs the most: as short
	 * as that measurement */
	if (now - b->t_on < (b->st.windows ? BUDGET_WINDOW_NS : SELFCOST_WINDOW_NS))
		return;
	{
		unsigned long long dt = now - b->t_on, hits = hits_now(b) - b->hits_on, off;
		double bpf_ns, cost;

		b->st.ns_per_hit = b->sc->ns_per_hit;   /* 0 until measured: no pause before */
		bpf_ns = hits * b->st.ns_per_hit;
		b->cost_ns += bpf_ns;
		b->st.on_s += dt / 1e9;
		b->st.windows++;
		/* what the cycle that ends here cost (the last pause: its detach, the resume; this
		 * window), expected of the next: the pause about to begin and a window like this one */
		cost = bpf_ns + (cpu - b->cpu_cycle);
		off = b->st.ns_per_hit > 0 ? budget_off_ns(cost, dt, b->st.pct, b->ncpus) : 0;
		if (iop_verbose)
			fprintf(stderr, "budget: window %u: %.0f ms on, %llu hits, BPF %.1f ms; cycle %.0f ms, "
				"iopath CPU %.1f ms: %.2f%% of the CPUs; off %.0f ms\n", b->st.windows, dt / 1e6,
				hits, bpf_ns / 1e6, (now - b->t_cycle) / 1e6, (cpu - b->cpu_cycle) / 1e6,
				100 * cost / ((double)(now - b->t_cycle) * b->ncpus), off / 1e6);
		b->t_cycle = now;
		b->cpu_cycle = cpu;
		b->hits_on += hits;
		if (off) {
			unsigned long long t = now_ns();

			engine_pause(b->e);
			/* the probes fire until each is off: the detach is time on */
			b->st.on_s += (now_ns() - t) / 1e9;
			b->off_until = now + off;
		} else {
			b->t_on = now;
		}
	}
}

void budget_end(struct budget *b)
{
	unsigned long long now = now_ns();

	if (!b->off_until && now > b->t_on) {
		/* the last window, cut short by the end of the run */
		unsigned long long hits = hits_now(b) - b->hits_on;

		b->st.ns_per_hit = b->sc->ns_per_hit;
		b->cost_ns += hits * b->st.ns_per_hit;
		b->st.on_s += (now - b->t_on) / 1e9;
		b->st.windows++;
	}
	b->t_end = now;
}

void budget_stats(const struct budget *b, struct budget_stats *out)
{
	unsigned long long end = b->t_end ? b->t_end : now_ns();

	*out = b->st;
	out->run_s = (end - b->t_start) / 1e9;
	out->cost_pct = out->run_s > 0 ? 100.0 * b->cost_ns / (out->run_s * 1e9 * b->ncpus) : 0;
}
