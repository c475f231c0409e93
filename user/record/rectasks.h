/* The traced tasks' crossings around the I/O path of one recording (record --exits with -- CMD
 * or --pid), as diff and compare lay them beside another recording's: the rows of
 * report/taskrows.h (each measured, or not measured with why), the exit model's derived crossings
 * for the recording's own platform, and what they are divided by, the way the report divides
 * them (report/exits_report.h, "What the traced tasks' crossings are divided by"): every packet
 * the recording's network path ended (TX and RX, every device), every block request it ended,
 * and the seconds of the exits interval.
 *
 * A recording without traced tasks (an older iopath, record without --exits, --exits without a
 * command or --pid) has every row not measured with the reason, never a 0. Pure. */
#ifndef IOPATH_RECTASKS_H
#define IOPATH_RECTASKS_H
#include <stdbool.h>

#include "record/recdata.h"
#include "report/exitmodel.h"
#include "report/taskrows.h"

enum rt_unit { RT_PACKET = 0, RT_REQUEST, RT_SECOND, RT__COUNT };

struct rec_tasks {
	bool scoped;                  /* tasks were traced (a row may still be not measured: its point) */
	char scope[160];              /* task_scope_line; without an exits section, why */
	enum xm_platform platform;    /* the exit model's column for the recording's platform */
	struct task_row_val row[TR__COUNT];
	struct task_derived derived;
	double units[RT__COUNT];      /* packets, requests, seconds; 0: none, none[] says why */
	char none[RT__COUNT][64];
};

/* "packet", "request", "s": the row names' unit ("syscalls/packet"). */
const char *rec_tasks_unit(enum rt_unit u);
/* What a recording's traced tasks are divided by, as its report divides them. */
struct ex_io rec_data_io(const struct rec_data *d);
void rec_tasks_of(const struct rec_data *d, struct rec_tasks *t);
/* count per unit u into *v: 0, or -1 when there is nothing to divide by (t->none[u] says why). */
int rec_tasks_per(const struct rec_tasks *t, unsigned long long count, enum rt_unit u, double *v);
/* The derived crossings per unit in words, under 200 characters (a compare cell's reason):
 * "DERIVED from the exit model, not measured: 2 x 1.17 syscalls + 2 x 0.425 page faults per
 * packet, ...", the model's word where it makes them 0, or "not derived: why". Returns buf. */
const char *rec_tasks_derived_why(const struct rec_tasks *t, enum rt_unit u, char *buf, size_t len);

#endif
