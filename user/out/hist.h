/* log2 histograms as the BPF side fills them: slot s counts values in
 * [2^s, 2^(s+1)) (slot 0: [0, 2)). */
#ifndef IOPATH_HIST_H
#define IOPATH_HIST_H
#include <stdbool.h>

/* Value at quantile q (0..1), linearly interpolated inside the slot. 0 when
 * empty. */
double log2_quantile(const unsigned long long *slots, int n, double q);
/* The slot quantile q falls in (what log2_quantile interpolates inside), -1
 * when empty. Two quantiles in one slot lie within 2x of each other and may
 * be the same value: their difference is below the histogram's resolution. */
int log2_quantile_slot(const unsigned long long *slots, int n, double q);
/* Quantile of a linear histogram (slot i = value i; last slot = "i or more"). */
double lin_quantile(const unsigned long long *slots, int n, double q);
/* "812ns", "3.4us", "12ms" */
const char *fmt_ns(double ns, char *buf, int len);
/* v to 3 significant digits without an exponent where it reads well:
 * "0", "0.951", "1.00", "12.3", "554", "5462" (from 100 on, the whole
 * integer), "1.23e-05" below 0.001. plus: a sign also on positive values. */
const char *fmt_sig3(double v, bool plus, char *buf, int len);

#endif
