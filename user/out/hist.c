#include "out/hist.h"

#include <stdio.h>

static double total(const unsigned long long *slots, int n)
{
	double t = 0;

	for (int i = 0; i < n; i++)
		t += slots[i];
	return t;
}

double log2_quantile(const unsigned long long *slots, int n, double q)
{
	double t = total(slots, n), want, seen = 0;

	if (t == 0)
		return 0;
	want = q * t;
	for (int i = 0; i < n; i++) {
		if (!slots[i])
			continue;
		if (seen + slots[i] >= want) {
			double lo = i ? (double)(1ull << i) : 0, hi = (double)(1ull << (i + 1));
			double frac = (want - seen) / slots[i];

			return lo + (hi - lo) * frac;
		}
		seen += slots[i];
	}
	return (double)(1ull << n);
}

double lin_quantile(const unsigned long long *slots, int n, double q)
{
	double t = total(slots, n), want, seen = 0;

	if (t == 0)
		return 0;
	want = q * t;
	for (int i = 0; i < n; i++) {
		seen += slots[i];
		if (seen >= want && slots[i])
			return i;
	}
	return n - 1;
}

const char *fmt_ns(double ns, char *buf, int len)
{
	if (ns < 1000)
		snprintf(buf, len, "%.0fns", ns);
	else if (ns < 1e6)
		snprintf(buf, len, "%.1fus", ns / 1e3);
	else if (ns < 1e9)
		snprintf(buf, len, "%.1fms", ns / 1e6);
	else
		snprintf(buf, len, "%.2fs", ns / 1e9);
	return buf;
}
