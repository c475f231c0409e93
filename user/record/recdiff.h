/* Two recordings side by side (iopath diff): the "PV vs HVM" view, as text
 * or JSON. Recordings from different guests have different drivers and
 * interface names, so rows match by role (direction, stage, exit kind), never
 * by function: each network device and direction is its own section, A's and
 * B's devices paired by name (and network namespace) where both have it,
 * else by rank of packets in that direction (the busiest with the busiest);
 * block requests the same per disk and op. Then the hypervisor crossings per
 * second by role and the traced tasks' rows around the I/O path
 * (record/rectasks.h), the crossings the exit model derives from them marked
 * derived. A kind that a recording could not measure reads "n/m", never 0
 * (with why where it is the traced tasks'); rows absent or zero in both are
 * left out. */
#ifndef IOPATH_RECDIFF_H
#define IOPATH_RECDIFF_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "record/recdata.h"

struct rec_diff_opts {
	const char *a_file, *b_file;  /* named in the heading */
	const char *ia, *ib;          /* -a/-b: only this interface of A / of B; NULL: all */
};

/* 0 when the options fit the recordings, else -ENOENT with one line in err
 * (an -a/-b interface the recording does not have, and the ones it has). */
int rec_diff_check(const struct rec_data *A, const struct rec_data *B, const struct rec_diff_opts *o,
		   char *err, size_t errlen);
/* 0, or -ENOMEM. json: one JSON document instead of the text. */
int rec_diff_print(FILE *f, const struct rec_data *A, const struct rec_data *B, const struct rec_diff_opts *o,
		   bool json);

#endif
