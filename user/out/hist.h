/* log2 histograms as the BPF side fills them: slot s counts values in
 * [2^s, 2^(s+1)) (slot 0: [0, 2)). */
#ifndef IOPATH_HIST_H
#define IOPATH_HIST_H

/* Value at quantile q (0..1), linearly interpolated inside the slot. 0 when
 * empty. */
double log2_quantile(const unsigned long long *slots, int n, double q);
/* Quantile of a linear histogram (slot i = value i; last slot = "i or more"). */
double lin_quantile(const unsigned long long *slots, int n, double q);
/* "812ns", "3.4us", "12ms" */
const char *fmt_ns(double ns, char *buf, int len);

#endif
