/* What happened between two snapshots of one recording: the closing bundle minus the opening one,
 * over every section (iopath record's phases: one recording per phase mark). Counters, histogram
 * slots, sums and per-key rows are subtracted (rows matched by their key; a row only the closing
 * snapshot has happened in between and is kept whole); what is not additive (configuration,
 * identities, gauges, maxima, bit masks) keeps the closing snapshot's value, each such field named
 * with why in rec_sub_keep[] (record/recsub.c). The result is a complete, normal recording. */
#ifndef IOPATH_RECORD_RECSUB_H
#define IOPATH_RECORD_RECSUB_H
#include "record/recdata.h"

/* out = close - open, a bundle of its own (free it with rec_data_free). Both must be snapshots of
 * the same run (the same points in the same order): -EINVAL otherwise, -ENOMEM. out's META is
 * close's (start, end, phase: the caller's to set); cmd_status -1. */
int rec_data_sub(struct rec_data *out, const struct rec_data *close, const struct rec_data *open);

/* A recorded field that is not subtracted: type and field as schema.c names them ("*": every
 * field of the type), and why. */
struct rec_keep {
	const char *type, *field, *why;
};
extern const struct rec_keep rec_sub_keep[];
extern const unsigned rec_sub_nkeep;

#endif
