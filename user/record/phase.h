/* Phase marks (iopath record -o FILE -- CMD): the command writes "phase NAME\n" before each phase
 * and "phase -\n" after the last, on the socket of env IOPATH_PHASE_FD, and reads one line ("go\n")
 * back before it goes on; record answers after the snapshot that closes the previous phase. Each
 * phase becomes a recording of its own, FILE.NAME.rec (record/recsub.h: the closing snapshot minus
 * the opening one). This is the protocol's pure half: lines, names, file names. */
#ifndef IOPATH_RECORD_PHASE_H
#define IOPATH_RECORD_PHASE_H
#include <stdbool.h>
#include <stddef.h>

#define PHASE_MAX 32          /* phases per run; a mark beyond them is refused */
#define PHASE_NAME_MAX 48     /* bytes of a name */
#define PHASE_LINE_MAX 128    /* bytes of a mark line, its newline included */

enum phase_mark { PM_BAD = -1, PM_START, PM_END };

/* The phases of a run so far: names accepted, in order. */
struct phase_names {
	char name[PHASE_MAX][PHASE_NAME_MAX + 1];
	unsigned n;
};

/* One mark line (without its newline): PM_START with the name in name, PM_END ("phase -"), or
 * PM_BAD with why (one line: "unknown mark 'x'", "phase name 'a b' has a space", ...). A name is
 * [A-Za-z0-9_.+-], 1..PHASE_NAME_MAX bytes, not "-", not starting with '.', and new in names;
 * at most PHASE_MAX of them. A PM_START is added to names. */
enum phase_mark phase_mark_parse(const char *line, struct phase_names *names, char *name, char *why,
				 size_t whylen);
/* The file of phase name for the recording out: "run.rec" -> "run.NAME.rec" (no .rec suffix:
 * "run" -> "run.NAME.rec"). 0, or -ENAMETOOLONG. */
int phase_path(const char *out, const char *name, char *buf, size_t len);

#endif
