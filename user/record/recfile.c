#include "record/recfile.h"
#include "record/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

static void put(struct rec_writer *w, const void *p, size_t n)
{
	if (w->err)
		return;
	if (w->len + n > w->cap) {
		size_t cap = w->cap ? w->cap : 4096;
		uint8_t *b;

		while (cap < w->len + n)
			cap *= 2;
		b = realloc(w->buf, cap);
		if (!b) {
			w->err = -ENOMEM;
			return;
		}
		w->buf = b;
		w->cap = cap;
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

static void put32(struct rec_writer *w, uint32_t v)
{
	put(w, &v, 4);  /* x86: little endian, as the format says */
}

void recw_init(struct rec_writer *w)
{
	uint32_t flags = 0;

	memset(w, 0, sizeof(*w));
	put(w, REC_MAGIC, 8);
	put32(w, REC_VERSION);
	put32(w, flags);
}

static uint32_t sec_crc(uint32_t type, uint32_t len, const void *data)
{
	uLong c = crc32(0L, Z_NULL, 0);

	c = crc32(c, (const Bytef *)&type, 4);
	c = crc32(c, (const Bytef *)&len, 4);
	if (len)
		c = crc32(c, data, len);
	return (uint32_t)c;
}

void recw_section(struct rec_writer *w, uint32_t type, const void *data, size_t len)
{
	if (len > REC_MAX_SECTION) {
		w->err = -E2BIG;
		return;
	}
	put32(w, type);
	put32(w, (uint32_t)len);
	if (len)
		put(w, data, len);
	put32(w, sec_crc(type, (uint32_t)len, data));
}

void recw_records(struct rec_writer *w, uint32_t type, const void *recs, size_t recsize, size_t n)
{
	size_t len = 4 + recsize * n;
	uint8_t *tmp = malloc(len);
	uint32_t rs = (uint32_t)recsize;

	if (!tmp) {
		w->err = -ENOMEM;
		return;
	}
	memcpy(tmp, &rs, 4);
	if (n)
		memcpy(tmp + 4, recs, recsize * n);
	recw_section(w, type, tmp, len);
	free(tmp);
}

int recw_commit_to(struct rec_writer *w, struct outfile *out)
{
	recw_section(w, RS_END, NULL, 0);
	if (w->err)
		return w->err;
	return outfile_write(out, w->buf, w->len);
}

int recw_commit(struct rec_writer *w, const char *path)
{
	struct outfile out;
	char why[256];
	int err = outfile_open(&out, path, why, sizeof(why));

	if (!err)
		err = recw_commit_to(w, &out);
	outfile_close(&out);
	return err;
}

void recw_free(struct rec_writer *w)
{
	free(w->buf);
	memset(w, 0, sizeof(*w));
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

int rec_parse(const uint8_t *data, size_t size, struct recording *r, char *err, size_t errlen)
{
	size_t off = 16;
	bool ended = false;

	memset(r, 0, sizeof(*r));
	if (size < 16 || memcmp(data, REC_MAGIC, 8)) {
		snprintf(err, errlen, "not an iopath recording (bad magic at byte 0)");
		return -EINVAL;
	}
	r->version = get32(data + 8);
	if (r->version < REC_VERSION_MIN || r->version > REC_VERSION) {
		snprintf(err, errlen, "recording format version %u at byte 8; this iopath reads versions %u to %u",
			 r->version, REC_VERSION_MIN, REC_VERSION);
		return -EINVAL;
	}
	if (get32(data + 12)) {
		snprintf(err, errlen, "corrupt at byte 12: flags 0x%x, version %u defines none",
			 get32(data + 12), r->version);
		return -EINVAL;
	}
	r->buf = malloc(size);
	if (!r->buf)
		return -ENOMEM;
	memcpy(r->buf, data, size);
	r->size = size;
	while (!ended) {
		uint32_t type, len;
		struct rec_section_view *s;

		if (off == size) {
			snprintf(err, errlen, "truncated at byte %zu: no END section (recording cut short)", off);
			goto bad;
		}
		if (size - off < 8) {
			snprintf(err, errlen, "truncated at byte %zu: section header needs 8 bytes, %zu left",
				 off, size - off);
			goto bad;
		}
		type = get32(r->buf + off);
		len = get32(r->buf + off + 4);
		if (len > REC_MAX_SECTION) {
			snprintf(err, errlen, "corrupt at byte %zu: section length %u is implausible", off + 4, len);
			goto bad;
		}
		if (size - off - 8 < (size_t)len + 4) {
			snprintf(err, errlen, "truncated at byte %zu: section %u needs %u bytes, %zu left",
				 off, type, len + 4, size - off - 8);
			goto bad;
		}
		/* Fuzzing builds skip the checksum so mutations reach the decoders. */
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
		if (get32(r->buf + off + 8 + len) != sec_crc(type, len, r->buf + off + 8)) {
			snprintf(err, errlen, "corrupt at byte %zu: checksum mismatch in section %u", off, type);
			goto bad;
		}
#endif
		s = realloc(r->sec, (r->nsec + 1) * sizeof(*s));
		if (!s) {
			rec_free(r);
			return -ENOMEM;
		}
		r->sec = s;
		s = &r->sec[r->nsec++];
		s->type = type;
		s->len = len;
		s->data = r->buf + off + 8;
		s->offset = off;
		off += 8 + (size_t)len + 4;
		if (type == RS_END)
			ended = true;
	}
	if (off != size) {
		snprintf(err, errlen, "corrupt at byte %zu: %zu bytes after the END section", off, size - off);
		goto bad;
	}
	return 0;
bad:
	rec_free(r);
	return -EINVAL;
}

int rec_load(const char *path, struct recording *r, char *err, size_t errlen)
{
	struct stat st;
	uint8_t *buf;
	size_t off = 0;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open: %s", strerror(errno));
		return -errno;
	}
	if (fstat(fd, &st)) {
		ret = -errno;
		snprintf(err, errlen, "cannot stat: %s", strerror(errno));
		close(fd);
		return ret;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "not a regular file");
		close(fd);
		return -EINVAL;
	}
	buf = malloc(st.st_size ? st.st_size : 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	while (off < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + off, st.st_size - off);

		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			break;
		}
		off += n;
	}
	close(fd);
	ret = rec_parse(buf, off, r, err, errlen);
	free(buf);
	return ret;
}

void rec_free(struct recording *r)
{
	free(r->buf);
	free(r->sec);
	memset(r, 0, sizeof(*r));
}

const struct rec_section_view *rec_find(const struct recording *r, uint32_t type)
{
	for (int i = 0; i < r->nsec; i++)
		if (r->sec[i].type == type)
			return &r->sec[i];
	return NULL;
}

long rec_records(const struct rec_section_view *s, size_t recsize, const void **first,
		 char *err, size_t errlen)
{
	uint32_t rs;

	if (s->len < 4) {
		snprintf(err, errlen, "corrupt at byte %zu: section %u has no record size", s->offset, s->type);
		return -1;
	}
	rs = get32(s->data);
	if (rs != recsize || (s->len - 4) % rs) {
		snprintf(err, errlen, "section %u at byte %zu holds %u-byte records; this iopath reads %zu-byte ones",
			 s->type, s->offset, rs, recsize);
		return -1;
	}
	*first = s->data + 4;
	return (s->len - 4) / rs;
}

int rec_meta(const struct recording *r, const char *key, char *out, size_t len)
{
	const struct rec_section_view *s = rec_find(r, RS_META);
	size_t kl = strlen(key);
	const char *p, *end;

	if (!s)
		return -ENOENT;
	p = (const char *)s->data;
	end = p + s->len;
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (ll > kl && !memcmp(p, key, kl) && p[kl] == '=') {
			size_t vl = ll - kl - 1;

			if (vl >= len)
				vl = len - 1;
			memcpy(out, p + kl + 1, vl);
			out[vl] = 0;
			return 0;
		}
		p += ll + 1;
	}
	return -ENOENT;
}
