/* Block path: per-request state and in-kernel aggregates shared by the BPF
 * side (bpf/paths/blk.h) and userspace (user/report/blk_report.c). The block
 * twin of iopath_net.h; histogram and signature values reuse its structs. */
#ifndef IOPATH_BLK_H
#define IOPATH_BLK_H

/* Stages a request passes, in the order they usually happen. The driver's
 * ->queue_rq is entered before the request is issued: the driver itself
 * calls blk_mq_start_request(), which fires block_rq_issue. On the batched
 * ->queue_rqs path (6.1+) queue_rq is bypassed; drv_submit is then the
 * entry of the *_queue_rqs function that issued the request. */
enum iop_blk_stage {
	BS_INSERT = 0,     /* block:block_rq_insert (scheduler / dispatch list) */
	BS_DRV_SUBMIT,     /* driver ->queue_rq (bd->rq) or the ->queue_rqs batch */
	BS_ISSUE,          /* block:block_rq_issue (blk_mq_start_request) */
	BS_NOTIFY,         /* first notify/doorbell exit inside the submit scope,
	                    * or a driver commit_rqs doorbell for this request */
	BS_IRQ,            /* the disk's last device interrupt before completion */
	BS_DRV_COMPLETE,   /* driver ->complete (blkif_complete_rq...), batch completion */
	BS_COMPLETE,       /* block:block_rq_complete: the request's last stage */
	BS__COUNT
};

/* Operation classes (REQ_OP_* & REQ_OP_MASK). */
enum iop_blk_op {
	BOP_READ = 0,
	BOP_WRITE,
	BOP_FLUSH,
	BOP_DISCARD,
	BOP_OTHER,         /* write zeroes, secure erase, zone ops, driver private */
	BOP__COUNT
};

/* Aggregation key: whole disk (kernel dev_t: major << 20 | minor), op class,
 * size class = log2 of the request's bytes (0 for no data). */
struct blk_key {
	unsigned int dev;
	unsigned char op;
	unsigned char size_class;
	unsigned char pad[2];
};

#define BLK_DEV_MAJOR(d) ((d) >> 20)
#define BLK_DEV_MINOR(d) ((d) & 0xfffff)

struct blk_agg {
	unsigned long long requests;           /* ended (completed) requests */
	unsigned long long stage[BS__COUNT];   /* ended requests that passed each stage */
	unsigned long long len_hist[NET_LEN_SLOTS];
	unsigned long long len_sum;
	unsigned long long total_hist[NET_HIST_SLOTS]; /* first -> last stage, ns */
	unsigned long long total_sum_ns;
	unsigned long long exits[EXK__COUNT];  /* charged to these requests */
	unsigned long long grants;             /* grant operations in their submit scope */
	unsigned long long bounces;            /* bounce copies charged to them */
	unsigned long long bytes;
	unsigned long long errors;             /* completed with error != 0 */
	unsigned long long partial;            /* partial completions before the last one */
};

/* Stage-pair latency histogram (value: struct net_hist). */
struct blk_pair_key {
	struct blk_key k;
	unsigned char from, to;
	unsigned char pad[2];
};

/* A path signature (value: struct net_sig_val). */
struct blk_sig_key {
	struct blk_key k;
	unsigned int sig;
};

/* Per disk: device interrupts (from blk_irq_map) and the time of the last
 * one, which the irq stage of a completing request is taken from. */
struct blk_dev_val {
	unsigned long long irqs;
	unsigned long long last_irq_ns;
};

/* Per (disk, hardware queue = rq->mq_hctx->queue_num). */
struct blk_q_key {
	unsigned int dev;
	unsigned int queue;
};

struct blk_q_val {
	unsigned long long requests;           /* requests issued on the queue */
	unsigned long long irqs;               /* interrupts of the queue's line */
};

/* Disk interrupt line -> disk and queue (written by userspace from
 * /proc/interrupts + sysfs, like irq_map for NICs). */
struct blk_irq_val {
	unsigned int dev;
	int queue;                 /* -1: unknown */
};

/* The state of one request (LRU hash value, key: struct request address),
 * from its first event to block_rq_complete. Stage times and the order
 * stages were first reached are kept so the aggregates are written once, at
 * completion, under the final key (a request can grow by merges after
 * insert; its size is final at issue). Userspace reads `done` to tell
 * requests in flight from tombstones. */
struct blk_rq {
	unsigned int dev;
	unsigned char op;
	unsigned char size_class;
	unsigned short queue;
	unsigned int bytes;
	unsigned int sig;
	unsigned long long t_first, t_prev;
	unsigned long long t_stage[8];   /* index: enum iop_blk_stage */
	unsigned char order[8];          /* stages in the order first reached */
	unsigned char norder;
	unsigned char stage_mask;
	unsigned char issued;
	unsigned char partial;
	unsigned char done;              /* ended; its delete found the map busy: a tombstone */
	unsigned short hits;
	unsigned short grants, bounces;
	unsigned short error;
	unsigned short exits[EXK__COUNT];
	unsigned short ids[NET_SIG_IDS];
	unsigned int dt[NET_SIG_IDS];
};

/* Global counters (array in .bss). */
enum iop_blk_ctr {
	BC_STARTED = 0,
	BC_ENDED,
	BC_AGG_FULL,
	BC_HIST_FULL,
	BC_SIG_FULL,
	BC_STATE_FULL,         /* update of the per-request LRU failed */
	BC_DEV_FULL,           /* per-disk or per-queue map full */
	BC_FILTERED,           /* completed requests of other disks (--disk) */
	BC_RESTARTED,          /* state found at insert: requeued, or a completion missed */
	BC_COMPLETE_UNSEEN,    /* completions of requests never seen (issued before start) */
	BC_GRANTS_UNATTRIBUTED,/* grant operations outside any block submit scope */
	BC_BOUNCES_UNATTRIBUTED,
	BC_IRQ_UNMAPPED,       /* interrupts of no known disk */
	BC_REISSUED,           /* issue of a request already issued: requeue, or a missed completion */
	BC_TOMBSTONES,         /* ended requests whose delete found the map busy (kept, marked done) */
	BC__COUNT
};

/* Userspace-written options (rodata). */
struct blk_opts {
	unsigned int dev;          /* 0 = every disk; else kernel dev_t of the disk */
};

#endif
