/* Kernel capability calibration: each feature (kernel/caps.h) is measured by loading (and
 * where possible attaching and firing) a tiny program, once, before any real
 * probe is attached. The result decides attach methods and is shown by
 * `iopath env`. */
#ifndef IOPATH_CALIB_H
#define IOPATH_CALIB_H
#include "kernel/caps.h"

/* Measures this kernel. Needs BPF privileges. */
int calib_run(struct kcaps *k);
/* Without them: what needs no privilege (vmlinux BTF, the hardware PMU on this process), the
 * rest marked not measured because of why. */
void calib_run_unprivileged(struct kcaps *k, const char *why);

#endif
