/* The field table of every struct a recording stores: one row per member, in member order.
 * A new member of one of these structs is one row here (HACKING.md, "Recording format"); a
 * member without a row does not compile (the _Static_assert of its table: the rows' sizes must
 * add up to sizeof) and tests/check_schema.c names the bytes no row covers. Kinds and sizes come
 * from the member's C type (_Generic), so a row cannot say u32 of a u64 member; a member type
 * the format has no kind for (bool, float, a pointer) is a compile error: SKIP it or widen it.
 *
 * Rows: N(m) a number; N1(m) an array of numbers; STR(m) a char array holding a string;
 * REC(m, t), REC1(m, t), REC2(m, t) a nested record of type t, a 1-D or 2-D array of them;
 * SKIP(m) a member not recorded (pointers, what only the live run has); PAD(n) n bytes of
 * compiler padding before the next row (x86-64 layout). A type is named by its struct; names in
 * files never change: rename a member only together with a row that reads the old name. */
#include "record/schema.h"

#include <stddef.h>

#include "report/blk_report.h"
#include "report/exits_report.h"
#include "report/host_report.h"
#include "report/net_report.h"
#include "util/util.h"

#define M_(m) (((T *)0)->m)
#define KIND_OF(x) _Generic((x),                                                          \
	unsigned char: RK_UINT, unsigned short: RK_UINT, unsigned int: RK_UINT,           \
	unsigned long: RK_UINT, unsigned long long: RK_UINT,                              \
	signed char: RK_SINT, short: RK_SINT, int: RK_SINT, long: RK_SINT, long long: RK_SINT, \
	double: RK_FLOAT)

/* pass 1: the rows as struct rec_field */
#define F_N(m) { #m, KIND_OF(M_(m)), sizeof(M_(m)), offsetof(T, m), { 0, 0 }, NULL },
#define F_N1(m) { #m, KIND_OF(M_(m)[0]), sizeof(M_(m)[0]), offsetof(T, m), { NELEM(M_(m)), 0 }, NULL },
#define F_STR(m) { #m, _Generic(M_(m)[0], char: RK_STR), sizeof(M_(m)), offsetof(T, m), { 0, 0 }, NULL },
#define F_REC(m, t) { #m, RK_REC, sizeof(M_(m)), offsetof(T, m), { 0, 0 }, &rt_##t },
#define F_REC1(m, t) { #m, RK_REC, sizeof(M_(m)[0]), offsetof(T, m), { NELEM(M_(m)), 0 }, &rt_##t },
#define F_REC2(m, t) { #m, RK_REC, sizeof(M_(m)[0][0]), offsetof(T, m),                   \
			{ NELEM(M_(m)), NELEM(M_(m)[0]) }, &rt_##t },
#define F_SKIP(m) { #m, RK_SKIP, sizeof(M_(m)), offsetof(T, m), { 0, 0 }, NULL },
#define F_PAD(n) { "", RK_PAD, (n), 0, { 0, 0 }, NULL },
/* pass 2: the bytes the rows cover */
#define S_N(m) + sizeof(M_(m))
#define S_REC(m, t) + sizeof(M_(m))
#define S_PAD(n) + (n)

#define REC_DEF(storage, tname)                                                                  \
	static const struct rec_field tname##_fields[] = {                                       \
		ROWS(F_N, F_N1, F_STR, F_REC, F_REC1, F_REC2, F_SKIP, F_PAD)                     \
	};                                                                                       \
	_Static_assert(0 ROWS(S_N, S_N, S_N, S_REC, S_REC, S_REC, S_N, S_PAD) == sizeof(T),      \
		       #tname ": a member has no row in record/schema.c, or a PAD is wrong");   \
	storage const struct rec_type rt_##tname = { #tname, sizeof(T), tname##_fields,          \
						     NELEM(tname##_fields) }
/* a type only nested in others */
#define REC_NESTED(tname) REC_DEF(static, tname)
/* the record type of a section */
#define REC_TYPE(tname) REC_DEF(, tname)

/* ---- network (include/iopath_net.h, report/net_report.h, report/common.h) ---- */

#define T struct net_key
#define ROWS(N, N1, STR, REC, REC1, REC2, SKIP, PAD) N(netns) N(ifindex) N(queue) N(dir) SKIP(pad)
REC_NESTED(net_key);
#undef ROWS
#undef T

#define T struct net_agg
#define ROWS(N, N1, STR, REC, REC1, REC2, SKIP, PAD)                                          \
	STR(name) N(started) N(ended) N1(stage) N1(len_hist) N(len_sum) N1(total_hist)          \
	N(total_sum_ns) N1(exits) N(irqs) N(polls) N(poll_work) N(drops) N(bytes) N1(ctr_sum)    \
	N1(ctr_n)
REC_NESTED(net_agg);
#undef ROWS
#undef T

#define T struct net_hist
#define ROWS(N, N1, STR, REC, REC1, REC2, SKIP, PAD) N(count) N(sum_ns) N1(slots)
REC_NESTED(net_hist);
#undef ROWS
#undef T

#define T struct net_sig_val
#define ROWS(N, N1, STR, REC, REC1, REC2, SKIP, PAD) N(count) N(lat_sum_ns) N(len) N1(ids) PAD(4)
REC_NESTED(net_sig_val);
#undef ROWS
#undef T

#define T struct top_sig
#define ROWS(N, N1, STR, REC, REC1, REC2, SKIP, PAD) N(sig) PAD(4) REC(v, net_sig_val)
REC_NESTED(top_sig);
#undef ROWS
#undef T

#define T struct net_path_rec
#define ROWS(N, N1, STR, REC, REC1, REC2, SKIP, PAD) REC(k, net_key) STR(name) N(len) N1(ids) N1(dt_ns)
REC_NESTED(net_path_rec);
#undef ROWS
#undef T

#define T typeof(((struct net_report_dev *)0)->q[0])
#define ROWS(N, N1, STR, REC, REC1, REC2, SKIP, PAD) N(queue) PAD(4) N(started) N(ended) N(irqs)
REC_NESTED(net_report_dev_q);
#undef ROWS
#undef T

#define T struct net_report_dev
#define ROWS(N, N1, STR, REC, REC1, REC2, SKIP, PAD)                                          \
	N(netns) N(ifindex) N(dir) STR(name) PAD(7) REC(a, net_agg) N(nq) PAD(4)                 \
	REC1(q, net_report_dev_q) REC2(pair, net_hist) N(ntop) PAD(4) REC1(top, top_sig)        \
	N(sig_packets) N(nsigs) PAD(4)
REC_TYPE(net_report_dev);
#undef ROWS
#undef T

#define T struct net_report
#define ROWS(N, N1, STR, REC, REC1, REC2, SKIP, PAD)                                          \
	N(ndev) PAD(4) SKIP(dev) N1(ctr) N1(bg_exits) N(in_flight) N(evicted) N(samples_seen)    \
	N(nsamples) REC1(samples, net_path_rec) PAD(4) N(seconds) SKIP(counter) STR(counter_name) \
	STR(counter_note) STR(samples_via)
REC_TYPE(net_report);
#undef ROWS
#undef T

/* ---- block (include/iopath_blk.h, report/blk_report.h) ---- */

#define T struct blk_key
#define ROWS(N, N1, STR, REC, REC1, REC2, SKIP, PAD) N(dev) N(op) N(size_class) SKIP(pad)
REC_NESTED(blk_key);
#undef ROWS
#undef T

#define T struct blk_agg
#define ROWS(N, N1, STR, REC, REC1, REC2, SKIP, PAD)                                          \
	N(requests) N1(stage) N1(len_hist) N(len_sum) N1(total_hist) N(total_sum_ns) N1(exits)   \
	N(grants) N(bounces) N(bytes) N(errors) N(partial)
REC_NESTED(blk_agg);
#undef ROWS
#undef T

#define T struct blk_report_class
#define ROWS(N, N1, STR, REC, REC1, REC2, SKIP, PAD)                                          \
	REC(k, blk_key) STR(disk) REC(a, blk_agg) REC2(pair, net_hist) N(ntop) PAD(4)           \
	REC1(top, top_sig) N(sig_requests) N(nsigs) PAD(4)
REC_TYPE(blk_report_class);
#undef ROWS
#undef T

#define T typeof(((struct blk_report_disk *)0)->q[0])
#define ROWS(N, N1, STR, REC, REC1, REC2, SKIP, PAD) N(queue) PAD(4) N(requests) N(irqs)
REC_NESTED(blk_report_disk_q);
#undef ROWS
#undef T

#define T struct blk_report_disk
#define ROWS(N, N1, STR, REC, REC1, REC2, SKIP, PAD)                                          \
	N(dev) STR(name) PAD(4) N(irqs) N(nq) PAD(4) REC1(q, blk_report_disk_q)
REC_TYPE(blk_report_disk);
#undef ROWS
#undef T

#define T struct blk_report
#define ROWS(N, N1, STR, REC, REC1, REC2, SKIP, PAD)                                          \
	N(ncls) N(ndisk) SKIP(cls) SKIP(disk) N1(ctr) N1(bg_exits) N(in_flight) N(evicted)       \
	N(lost_nested) N(seconds)
REC_TYPE(blk_report);
#undef ROWS
#undef T

/* ---- interrupts and exits (include/iopath_exits.h, report/exits_report.h) ---- */

#define T struct ex_irq
#define ROWS(N, N1, STR, REC, REC1, REC2, SKIP, PAD) N(count) N(sum_ns) N1(slots) STR(name)
REC_NESTED(ex_irq);
#undef ROWS
#undef T

#define T struct ex_irq_row
#define ROWS(N, N1, STR, REC, REC1, REC2, SKIP, PAD)                                          \
	N(irq) PAD(4) REC(v, ex_irq) N(proc_delta) STR(chip) STR(device) N(queue) STR(kind)
REC_TYPE(ex_irq_row);
#undef ROWS
#undef T

#define T struct ex_arch_row
#define ROWS(N, N1, STR, REC, REC1, REC2, SKIP, PAD) STR(name) N(delta)
REC_TYPE(ex_arch_row);
#undef ROWS
#undef T

#define T struct ex_softirq
#define ROWS(N, N1, STR, REC, REC1, REC2, SKIP, PAD) N(raised) N(count) N(sum_ns) N1(slots)
REC_NESTED(ex_softirq);
#undef ROWS
#undef T

#define T typeof(((struct exits_report *)0)->msr[0])
#define ROWS(N, N1, STR, REC, REC1, REC2, SKIP, PAD) N(msr) PAD(4) N(count)
REC_NESTED(exits_report_msr);
#undef ROWS
#undef T

/* before/after: the live /proc/interrupts snapshots, which the rows hold as deltas */
#define T struct exits_report
#define ROWS(N, N1, STR, REC, REC1, REC2, SKIP, PAD)                                          \
	N(seconds) SKIP(before) SKIP(after) N1(soft_before) N1(soft_after) N(ncpu) PAD(4)       \
	N1(steal_before) N1(steal_after) N(hz) N(nirq) PAD(4) SKIP(irqs) REC1(soft, ex_softirq)   \
	N1(ctr) N(nmsr) PAD(4) REC1(msr, exits_report_msr) N(charged_net) N(charged_blk)        \
	N(background) N(narch) PAD(4) SKIP(arch) N(task_scope) N(task_pid) N1(task_ctr)
REC_TYPE(exits_report);
#undef ROWS
#undef T

/* ---- KVM host (include/iopath_host.h, report/host_report.h) ---- */

#define T struct host_exit_key
#define ROWS(N, N1, STR, REC, REC1, REC2, SKIP, PAD) N(pid) N(vcpu) N(reason) N(isa)
REC_NESTED(host_exit_key);
#undef ROWS
#undef T

#define T struct host_exit_val
#define ROWS(N, N1, STR, REC, REC1, REC2, SKIP, PAD) N(count) N(timed) N(sum_ns) N(max_ns) N1(slots)
REC_NESTED(host_exit_val);
#undef ROWS
#undef T

#define T struct host_exit_row
#define ROWS(N, N1, STR, REC, REC1, REC2, SKIP, PAD) REC(k, host_exit_key) REC(v, host_exit_val)
REC_TYPE(host_exit_row);
#undef ROWS
#undef T

#define T struct host_io_key
#define ROWS(N, N1, STR, REC, REC1, REC2, SKIP, PAD) N(addr) N(pid) N(kind) N(write) N(len)
REC_NESTED(host_io_key);
#undef ROWS
#undef T

#define T struct host_io_val
#define ROWS(N, N1, STR, REC, REC1, REC2, SKIP, PAD)                                          \
	N(count) N(to_user) N(ioeventfd) N(timed) N(sum_ns) N(values) N(other_values) N1(slots)
REC_NESTED(host_io_val);
#undef ROWS
#undef T

#define T struct host_io_row
#define ROWS(N, N1, STR, REC, REC1, REC2, SKIP, PAD) REC(k, host_io_key) REC(v, host_io_val)
REC_TYPE(host_io_row);
#undef ROWS
#undef T

#define T struct host_cnt_key
#define ROWS(N, N1, STR, REC, REC1, REC2, SKIP, PAD) N(key) N(pid) N(kind)
REC_NESTED(host_cnt_key);
#undef ROWS
#undef T

#define T struct host_cnt_row
#define ROWS(N, N1, STR, REC, REC1, REC2, SKIP, PAD) REC(k, host_cnt_key) N(count)
REC_TYPE(host_cnt_row);
#undef ROWS
#undef T

#define T struct host_proc
#define ROWS(N, N1, STR, REC, REC1, REC2, SKIP, PAD)                                          \
	N(pid) STR(comm) N(ntaps) N(guest_tx) N(guest_rx) STR(taps)
REC_TYPE(host_proc);
#undef ROWS
#undef T

#define T struct host_inj_key
#define ROWS(N, N1, STR, REC, REC1, REC2, SKIP, PAD) N(kvm) N(gsi) N(src_kind) N(src_id) SKIP(pad)
REC_NESTED(host_inj_key);
#undef ROWS
#undef T

#define T struct host_inj_val
#define ROWS(N, N1, STR, REC, REC1, REC2, SKIP, PAD)                                          \
	N(count) N(route) N(msi_data) N(msi_addr) N(tgid) STR(comm) N(kick_addr) N(kick_data)    \
	N(kick_bus) N(kick_wildcard) SKIP(pad2)
REC_NESTED(host_inj_val);
#undef ROWS
#undef T

#define T struct host_inj_row
#define ROWS(N, N1, STR, REC, REC1, REC2, SKIP, PAD)                                          \
	REC(k, host_inj_key) REC(v, host_inj_val) N(pid) STR(src) PAD(4)
REC_TYPE(host_inj_row);
#undef ROWS
#undef T

/* the row arrays are sections of their own; their counts come back from those */
#define T struct host_report
#define ROWS(N, N1, STR, REC, REC1, REC2, SKIP, PAD)                                          \
	N(seconds) N1(ctr) N(ioeventfd_probe) PAD(4) N(guest_packets) N(nexit) N(nio) N(ncnt)    \
	N(nproc) N(ninj) N(irqfd_probe) SKIP(exit) SKIP(io) SKIP(cnt) SKIP(proc) SKIP(inj)
REC_TYPE(host_report);
#undef ROWS
#undef T

const struct rec_type *const rec_all_types[] = {
	&rt_net_key, &rt_net_agg, &rt_net_hist, &rt_net_sig_val, &rt_top_sig, &rt_net_path_rec,
	&rt_net_report_dev_q, &rt_net_report_dev, &rt_net_report,
	&rt_blk_key, &rt_blk_agg, &rt_blk_report_class, &rt_blk_report_disk_q, &rt_blk_report_disk,
	&rt_blk_report,
	&rt_ex_irq, &rt_ex_irq_row, &rt_ex_arch_row, &rt_ex_softirq, &rt_exits_report_msr, &rt_exits_report,
	&rt_host_exit_key, &rt_host_exit_val, &rt_host_exit_row, &rt_host_io_key, &rt_host_io_val,
	&rt_host_io_row, &rt_host_cnt_key, &rt_host_cnt_row, &rt_host_proc, &rt_host_inj_key,
	&rt_host_inj_val, &rt_host_inj_row, &rt_host_report,
};
const unsigned rec_nall_types = NELEM(rec_all_types);
