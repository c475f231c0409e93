#include "record/rectasks.h"

#include <stdio.h>
#include <string.h>

#include "out/hist.h"

const char *rec_tasks_unit(enum rt_unit u)
{
	return u == RT_PACKET ? "packet" : u == RT_REQUEST ? "request" : "s";
}

struct ex_io rec_data_io(const struct rec_data *d)
{
	struct ex_io io = { .net = d->has_net && d->net, .blk = d->has_blk && d->blk };

	if (io.net)
		io.packets = d->net->ctr[NC_ENDED];
	if (io.blk)
		io.requests = d->blk->ctr[BC_ENDED];
	return io;
}

void rec_tasks_of(const struct rec_data *d, struct rec_tasks *t)
{
	struct ex_io io = rec_data_io(d);

	memset(t, 0, sizeof(*t));
	t->platform = exit_model_platform_of_name(d->platform);
	if (d->has_exits && d->exits) {
		task_rows(d->exits, d->pts, d->n, t->row);
		task_derive(t->row, t->platform, &t->derived);
		t->scoped = d->exits->task_scope >= EXT_COMMAND;
		task_scope_line(d->exits, t->scope, sizeof(t->scope));
	} else {
		/* no exits section at all: nothing of the tasks, whatever the scope would have been */
		struct exits_report none = { .task_scope = EXT_NOT_ASKED };

		task_rows(&none, d->pts, d->n, t->row);
		snprintf(t->scope, sizeof(t->scope), "no interrupts and exits section in this recording");
		for (int i = 0; i < TR__COUNT; i++)
			snprintf(t->row[i].why, sizeof(t->row[i].why), "%s", t->scope);
		t->derived.how = TH_NOT_MEASURED;
		snprintf(t->derived.why, sizeof(t->derived.why), "%s", t->scope);
	}
	if (!io.net)
		snprintf(t->none[RT_PACKET], sizeof(t->none[0]), "recorded without --net");
	else if (!io.packets)
		snprintf(t->none[RT_PACKET], sizeof(t->none[0]), "no packets ended in this recording");
	else
		t->units[RT_PACKET] = io.packets;
	if (!io.blk)
		snprintf(t->none[RT_REQUEST], sizeof(t->none[0]), "recorded without --blk");
	else if (!io.requests)
		snprintf(t->none[RT_REQUEST], sizeof(t->none[0]), "no block requests ended in this recording");
	else
		t->units[RT_REQUEST] = io.requests;
	if (d->has_exits && d->exits && d->exits->seconds > 0)
		t->units[RT_SECOND] = d->exits->seconds;
	else
		snprintf(t->none[RT_SECOND], sizeof(t->none[0]), "no duration of the exits interval");
}

int rec_tasks_per(const struct rec_tasks *t, unsigned long long count, enum rt_unit u, double *v)
{
	if (u < 0 || u >= RT__COUNT || t->units[u] <= 0)
		return -1;
	*v = count / t->units[u];
	return 0;
}

const char *rec_tasks_derived_why(const struct rec_tasks *t, enum rt_unit u, char *buf, size_t len)
{
	const struct task_row_val *r = t->row;
	int ps = exit_model_crossings(XM_SYSCALL, t->platform), pe = exit_model_crossings(XM_EXCEPTION, t->platform);
	double sc, pf;
	char a[32], b[32];

	if (t->derived.how != TH_DERIVED) {
		snprintf(buf, len, "not derived: %s", t->derived.why);
		return buf;
	}
	if (!t->derived.crossings || ps <= 0 || pe <= 0 ||
	    rec_tasks_per(t, r[TR_SYSCALLS].count, u, &sc) ||
	    rec_tasks_per(t, r[TR_PF_USER].count + r[TR_PF_KERNEL].count, u, &pf)) {
		snprintf(buf, len, "DERIVED from the exit model, not measured: %s", t->derived.model);
		return buf;
	}
	/* under 200 characters: a compare cell's reason */
	snprintf(buf, len, "DERIVED from the exit model, not measured: %d x %s syscalls + %d x %s page faults per %s, "
		 "each into Xen and back by iret (a lower bound: other exceptions not counted)",
		 ps, fmt_sig3(sc, false, a, sizeof(a)), pe, fmt_sig3(pf, false, b, sizeof(b)),
		 u == RT_SECOND ? "second" : rec_tasks_unit(u));
	return buf;
}
