/* Rows matched by role, for diff and compare: recordings from different guests have different
 * drivers and interface names, so a unit (a network device in one direction, a disk's requests
 * of one op) pairs with the other recording's by name (and network namespace) where both have
 * it, else by rank (the busiest with the busiest); the rest stand alone. Block units sum a
 * disk's size classes of one op. Pure: no I/O. */
#ifndef IOPATH_ROLEMATCH_H
#define IOPATH_ROLEMATCH_H
#include <stdbool.h>
#include "report/blk_report.h"

struct mkey {
	const char *name;
	unsigned ns;
	unsigned long long n;    /* packets or requests: the rank */
	bool used;
};

/* How a pair was made. */
enum { BY_NAME, BY_RANK, BY_OPTION, ONLY };

struct mpair {
	int a, b;   /* index, -1: not in that recording */
	int how;
};

/* Same name and namespace, then same name, then the busiest left with the busiest left; the
 * rest stand alone. In A's order, then B's leftovers. chosen: the keys were picked by the user
 * (diff -a/-b): every pair is BY_OPTION. out: room for na + nb pairs. Returns the pairs. */
int role_match(struct mkey *ka, int na, struct mkey *kb, int nb, bool chosen, struct mpair *out);
/* "same name", "names differ: paired by UNIT rank", "chosen with -a/-b"; NULL for ONLY.
 * The rank phrase is in a static buffer (valid until the next call). */
const char *role_match_how(int how, const char *unit);

/* One disk's requests of one op, its size classes summed. */
struct blk_unit {
	unsigned dev;
	const char *disk;
	struct blk_agg a;
	struct net_hist pair[BS__COUNT][BS__COUNT];
	unsigned long long disk_irqs, disk_requests;   /* the whole disk, every op */
};
/* The disks with requests of op, into u (room for r->ncls); returns how many. */
int blk_units(const struct blk_report *r, int op, struct blk_unit *u);

#endif
