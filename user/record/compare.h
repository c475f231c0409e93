/* N recordings compared (iopath compare): the answer to "where does each platform's I/O
 * overhead come from", as a model the printers (text, JSON, HTML) only lay out.
 *
 * Recordings group by their phase (META phase, `record -- iopath workload suite`; none: the
 * group "whole run"); one table per group, one column per recording of that group. Sections are
 * units matched by role as diff matches them (record/rolematch.h): each network direction's
 * devices and each block op's disks, the first recording of the group the anchor every other is
 * matched to. Rows are per packet or per request: probe hits, crossings by kind split by the exit
 * model of each column's own platform (report/exitmodel.h: exits / may exit / stays in the guest),
 * interrupts, polls, grants, bounce copies, stage p50/p99; with record --host, host exits per
 * guest packet by reason. With traced tasks (record --exits -- CMD or --pid), the crossings around
 * the I/O path in sections of their own, divided as the report divides them (record/rectasks.h:
 * every packet and every block request of the recording, the seconds), each row's cell with its
 * platform's verdict, and the crossings the exit model derives from them marked derived.
 * A value a recording cannot have is not 0: the cell is "not measured"
 * and carries why. The explanation is generated from the rows a rule table allows, largest
 * difference first. Pure: no I/O but the printers' FILE. */
#ifndef IOPATH_COMPARE_H
#define IOPATH_COMPARE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "record/recdata.h"

/* One recording given to compare. */
struct cmp_input {
	const struct rec_data *d;
	const char *file;
	const char *phase;        /* META phase; NULL or "": the whole run */
	const char *label;        /* --label; NULL: from the recording */
};

enum cmp_fmt { CF_COUNT, CF_RATIO, CF_NS };

/* What a row is, for the explanation's rule table (compare_explain.c, explain_rules[]). */
enum cmp_rule {
	CR_NONE = 0, CR_CROSSING, CR_EXITS_TOTAL, CR_IRQS, CR_POLLS, CR_HITS, CR_GRANTS, CR_BOUNCES,
	CR_HOST_EXIT, CR_HOST_TOTAL,
	CR_TASK,                  /* a traced task's event per unit: syscalls, page faults, ... */
	CR_TASK_DERIVED,          /* the crossings the exit model derives from them */
};

struct cmp_cell {
	bool ok;                  /* measured: v holds it; else why says why not */
	bool lower_bound;         /* a sum with kinds this recording could not measure */
	bool absent;              /* !ok because the recording has no such unit or path (not a probe) */
	bool derived;             /* ok, but the exit model's arithmetic, not a count: why says how */
	double v;
	int verdict;              /* crossing rows: enum xm_verdict of the column's platform; else -1 */
	char mech[48];            /* crossing rows: the exit model's kind ("virtio-kick"); derived: how in short */
	char why[200];            /* !ok: why it is not measured; crossing rows: the model's reason */
};

struct cmp_row {
	char name[64];            /* "crossings notify", "total p99" */
	enum cmp_fmt fmt;
	enum cmp_rule rule;
	bool time;                /* an absolute time: secondary (TCG, nested) */
	struct cmp_cell *c;       /* one per column */
};

struct cmp_section {
	char title[64];           /* "network TX", "block read", "host exits" */
	char unit[24];            /* "TX packet", "read request", "guest packet" */
	char **unit_name;         /* per column: the device or disk ("eth0"), NULL: none matched */
	char paired_by[64];       /* how the units were matched */
	struct net_hist *total;   /* per column: first -> last stage latencies (count 0: none) */
	int nrow;
	struct cmp_row *row;
};

struct cmp_column {
	int in;                   /* index of its cmp_input */
	char label[96];           /* "Xen HVM (netfront)" or --label */
	bool times_unreal;        /* emulated (TCG) or nested: absolute times are not real */
};

struct cmp_group {
	char phase[64];           /* "udp-rr", or "whole run" */
	int ncol;
	struct cmp_column *col;
	int nsec;
	struct cmp_section *sec;
	int nexpl;
	char **expl;              /* the generated explanation, one sentence each */
};

struct compare {
	const struct cmp_input *in;
	int nin;
	int ngroup;
	struct cmp_group *g;
};

/* The column label a recording gives itself: its platform and the NIC/disk drivers whose
 * probes fired ("KVM (virtio_net, virtio_blk)", "Xen HVM (netfront)"), else its busiest
 * network device and disk ("bare metal (veth0, loop0)"). */
void compare_label_of(const struct rec_data *d, char *buf, size_t len);
/* The recording's platform is emulated (TCG) or nested, as far as it says. */
bool compare_times_unreal(const struct rec_data *d);
/* --label in argument order onto in[].label: one per recording, or one per column when every
 * phase has that many recordings (the same platforms recorded phase by phase). 0, or -EINVAL
 * with one line in err. */
int compare_labels(struct cmp_input *in, int n, const char *const *labels, int nl, char *err, size_t errlen);
/* Groups, sections, rows and the explanation of in[0..n). 0 or -ENOMEM. */
int compare_build(struct compare *c, const struct cmp_input *in, int n);
/* The explanation of one built group into g->expl (compare_explain.c). 0 or -ENOMEM. */
int compare_explain(struct cmp_group *g);
void compare_free(struct compare *c);

/* The printers (compare_text.c, compare_json.c, compare_html.c). */
void compare_text(FILE *f, const struct compare *c);
void compare_json(FILE *f, const struct compare *c);
/* 0, or -ENOMEM (the flame graphs). */
int compare_html(FILE *f, const struct compare *c);

/* Shared by the printers: a cell's value as text ("1.00", "12.3us", "n/m"). */
const char *compare_fmt_cell(const struct cmp_cell *x, enum cmp_fmt k, char *b, int n);

#endif
