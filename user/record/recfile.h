/* Recording files: `iopath record -o FILE` writes one, `iopath report FILE`
 * and `iopath diff A B` read them.
 *
 * Layout (little endian):
 *   magic "IOPATHRC" | u32 format version | u32 flags
 *   sections: u32 type | u32 length | payload | u32 crc32(type, length, payload)
 *   last section: END (length 0) — a file without it was cut short.
 * Section payloads are key=value text (META), tab-separated text lines under a
 * header line of column names (POINTS), or typed records: each record section
 * carries the schema of its records (field names, kinds, offsets, sizes;
 * record/schema.h), so a build reads the files of builds whose structs differ,
 * older or newer, by field name. A reader skips sections, META keys, columns
 * and fields it does not know. Every error names the byte offset.
 *
 * The format version changes only when a reader of the previous one could not
 * skip what is new. Version 4 (typed record sections, the POINTS header) reads
 * version 3 files too: their record sections were the bare structs of the
 * version 3 builds, described by record/legacy_v3.c. */
#ifndef IOPATH_RECFILE_H
#define IOPATH_RECFILE_H
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define REC_MAGIC "IOPATHRC"
/* 2: named /proc/interrupts rows (RS_EXITS_ARCH); 3: VMs' tap packets (host_proc), irqfd injection
 * (RS_HOST_INJ); 4: self-describing record sections and POINTS columns (a new field or column no
 * longer changes the version) */
#define REC_VERSION 4
#define REC_VERSION_MIN 3   /* the oldest version this build reads */
#define REC_MAX_SECTION (64u << 20)   /* refuse absurd lengths before allocating */

enum rec_section {
	RS_META = 1,       /* key=value lines: iopath version, kernel, platform, times, options */
	RS_POINTS = 2,     /* "#" + column names, then one line per probe point (v3: no header, 21 columns) */
	/* typed records (v3: u32 record size + the structs), of the type in the comment */
	RS_NET_DEV = 3,    /* net_report_dev */
	RS_NET_SAMPLE = 4, /* never written (samples are in net_report) */
	RS_NET_GLOBAL = 5, /* one net_report */
	RS_BLK_CLS = 6,    /* blk_report_class */
	RS_BLK_DISK = 7,   /* blk_report_disk */
	RS_BLK_GLOBAL = 8, /* one blk_report */
	RS_EXITS_GLOBAL = 9, /* one exits_report */
	RS_EXITS_IRQ = 10, /* ex_irq_row */
	RS_STACKS = 11,    /* folded kernel stacks at probe points (text) */
	RS_HOST_GLOBAL = 12, /* one host_report */
	RS_HOST_EXIT = 13, /* host_exit_row */
	RS_HOST_IO = 14,   /* host_io_row */
	RS_HOST_CNT = 15,  /* host_cnt_row */
	RS_HOST_PROC = 16, /* host_proc */
	RS_EXITS_ARCH = 17, /* ex_arch_row (optional) */
	RS_HOST_INJ = 18,  /* host_inj_row */
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
/* A version 3 record section: the record size, then the records (typed sections: recw_typed in
 * record/schema.h). Kept for the tests that build version 3 files. */
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
/* Records of a version 3 record section: checks the record size. Returns the
 * count, or -1 with err set when the layout differs. */
long rec_records(const struct rec_section_view *s, size_t recsize, const void **first,
		 char *err, size_t errlen);
/* META lookup: value of key (NUL-terminated copy into out), 0 if found. */
int rec_meta(const struct recording *r, const char *key, char *out, size_t len);

#endif
