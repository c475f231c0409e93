/* record's phases: the traced command's marks on IOPATH_PHASE_FD (record/phase.h has the protocol)
 * turned into one recording per phase, each the whole recording at the phase's end minus the
 * snapshot at its start (record/recsub.h). Private to the record command.
 *
 * Lifecycle: zero the struct and set fd = -1; phases_open() makes the socket pair (the command's
 * end in *child and in IOPATH_PHASE_FD); phases_wait() in the main loop (also drains the ring
 * buffer); phases_read() once the command ended (marks it wrote before); phases_end() closes a
 * phase still open at the end bundle; phases_write() writes OUT.NAME.rec files; phases_free().
 * A mark is always answered, so the command never waits on record, also when phases are off
 * (on = false; off_why says why, once) or a snapshot fails (said once, those phases dropped). */
#ifndef IOPATH_CLI_RECORD_PHASES_H
#define IOPATH_CLI_RECORD_PHASES_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/samples.h"

#include "cli/record_run.h"
#include "record/phase.h"

struct snap;   /* the whole recording at a mark (record_phases.c) */

struct phases {
	int fd;                          /* record's end of the socket pair; -1: closed */
	bool on;                         /* -o FILE names a file: phases are recorded */
	char buf[PHASE_LINE_MAX];
	size_t len;
	bool overlong;                   /* the line in buf is longer than PHASE_LINE_MAX: dropped */
	struct phase_names names;
	struct snap *open;               /* the snapshot that opened the current phase, or NULL */
	char open_name[PHASE_NAME_MAX + 1];
	unsigned n;                      /* phases closed */
	struct rec_data done[PHASE_MAX]; /* each closed phase: its recording */
	bool snap_failed;                /* a snapshot failed: said once */
	const char *off_why;             /* why marks are answered but not recorded (said at the first) */
};

int phases_open(struct phases *ph, int *child);
void phases_wait(struct phases *ph, struct run *r, struct samples *rb, int ms);
void phases_read(struct phases *ph, struct run *r, struct samples *rb);
void phases_end(struct phases *ph, const struct rec_data *close, int cmd_status);
int phases_write(struct phases *ph, const char *outpath, const struct rec_data *whole);
void phases_free(struct phases *ph);

#endif
