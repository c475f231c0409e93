#include "out/hist.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

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

int log2_quantile_slot(const unsigned long long *slots, int n, double q)
{
	double t = total(slots, n), want = q * t, seen = 0;

	if (t == 0)
		return -1;
	for (int i = 0; i < n; i++) {
		if (slots[i] && seen + slots[i] >= want)
			return i;
		seen += slots[i];
	}
	return n - 1;
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

const char *fmt_sig3(double v, bool plus, char *buf, int len)
{
	const char *sign = plus ? "+" : "";
	double r;
	int dec;

	if (v == 0 || isnan(v)) {
		snprintf(buf, len, "%s", v == 0 ? (plus ? "+0" : "0") : "-");
		return buf;
	}
	if (fabs(v) >= 100) {
		snprintf(buf, len, plus ? "%+.0f" : "%.0f", v);
		return buf;
	}
	/* decimals from the value rounded to 3 digits, so 9.996 reads 10.0, not 10.00 */
	snprintf(buf, len, "%.3g", fabs(v));
	r = strtod(buf, NULL);
	if (r < 0.001) {
		snprintf(buf, len, "%s%.3g", v < 0 ? "-" : sign, fabs(v));
		return buf;
	}
	dec = 2 - (int)floor(log10(r));
	snprintf(buf, len, "%s%.*f", v < 0 ? "-" : sign, dec < 0 ? 0 : dec, fabs(v));
	return buf;
}
