/* Recording files: `iopath record -o FILE` writes one, `iopath report FILE`
 * and `iopath diff A B` read them.
 *
 * Layout (little endian):
 *   magic "IOPATHRC" | u32 format version | u32 flags
 *   sections: u32 type | u32 length | payload | u32 crc32(type, length, payload)
 *   last section: END (length 0) — a file without it was cut short.
 * Section payloads are key=value text (META), tab-separated text lines
 * (POINTS), or arrays of fixed-size records whose size is written first
 * (NET_DEV, NET_SAMPLE...), so a reader can refuse a layout it does not know
 * instead of misreading it. Every error names the byte offset. */
#ifndef IOPATH_RECFILE_H
#define IOPATH_RECFILE_H
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define REC_MAGIC "IOPATHRC"
#define REC_VERSION 3   /* 2: named /proc/interrupts rows (RS_EXITS_ARCH); 3: VMs' tap packets (host_proc), irqfd injection (RS_HOST_INJ) */
#define REC_MAX_SECTION (64u << 20)   /* refuse absurd lengths before allocating */

enum rec_section {
	RS_META = 1,       /* key=value lines: iopath version, kernel, platform, times, options */
	RS_POINTS = 2,     /* one line per probe point: id profile module symbol kind role method status hits reason */
	RS_NET_DEV = 3,    /* u32 record size + struct net_report_dev records */
	RS_NET_SAMPLE = 4, /* u32 record size + struct net_path_rec records */
	RS_NET_GLOBAL = 5, /* u32 record size + one struct net_report (pointers zeroed) */
	RS_BLK_CLS = 6,    /* u32 record size + struct blk_report_class records */
	RS_BLK_DISK = 7,   /* u32 record size + struct blk_report_disk records */
	RS_BLK_GLOBAL = 8, /* u32 record size + one struct blk_report (pointers zeroed) */
	RS_EXITS_GLOBAL = 9, /* u32 record size + one struct exits_report (pointers zeroed) */
	RS_EXITS_IRQ = 10, /* u32 record size + struct ex_irq_row records */
	RS_STACKS = 11,    /* folded kernel stacks at probe points (text) */
	RS_HOST_GLOBAL = 12, /* u32 record size + one struct host_report (pointers zeroed) */
	RS_HOST_EXIT = 13, /* u32 record size + struct host_exit_row records */
	RS_HOST_IO = 14,   /* u32 record size + struct host_io_row records */
	RS_HOST_CNT = 15,  /* u32 record size + struct host_cnt_row records */
	RS_HOST_PROC = 16, /* u32 record size + struct host_proc records */
	RS_EXITS_ARCH = 17, /* u32 record size + struct ex_arch_row records (optional) */
	RS_HOST_INJ = 18,  /* u32 record size + struct host_inj_row records */
	RS_END = 0x454e44, /* "END" */
};

struct rec_section_view {
	uint32_t type, len;
	const uint8_t *data;
	size_t offset;      /* of the section header in the file */
};

/* A whole recording in memory, validated. */
struct recording {
	uint8_t *buf;
	size_t size;
	uint32_t version;
	int nsec;
	struct rec_section_view *sec;
};

/* Writer: builds the file in memory, then writes it whole through record/outfile.h: a file
 * atomically (temp file in the same directory, fsync, rename), mode 0600; a device or pipe
 * straight through. */
struct rec_writer {
	uint8_t *buf;
	size_t len, cap;
	int err;
};

void recw_init(struct rec_writer *w);
void recw_section(struct rec_writer *w, uint32_t type, const void *data, size_t len);
/* A section of fixed-size records: writes the record size, then the records. */
void recw_records(struct rec_writer *w, uint32_t type, const void *recs, size_t recsize, size_t n);
/* Appends END and writes the file to out (outfile_write: atomic for a file). Returns 0 or -errno. */
struct outfile;
int recw_commit_to(struct rec_writer *w, struct outfile *out);
/* The same to a path, opened and checked here (outfile_open). Returns 0 or -errno. */
int recw_commit(struct rec_writer *w, const char *path);
void recw_free(struct rec_writer *w);

/* Parses a recording from memory (copied). On error returns -EINVAL (or
 * -ENOMEM) and writes a one-line reason with the byte offset into err. */
int rec_parse(const uint8_t *data, size_t size, struct recording *r, char *err, size_t errlen);
/* Reads and parses a file. */
int rec_load(const char *path, struct recording *r, char *err, size_t errlen);
void rec_free(struct recording *r);
/* The first section of this type, or NULL. */
const struct rec_section_view *rec_find(const struct recording *r, uint32_t type);
/* Records of a RS_* record section: checks the record size. Returns the
 * count, or -1 with err set when the layout differs. */
long rec_records(const struct rec_section_view *s, size_t recsize, const void **first,
		 char *err, size_t errlen);
/* META lookup: value of key (NUL-terminated copy into out), 0 if found. */
int rec_meta(const struct recording *r, const char *key, char *out, size_t len);

#endif
