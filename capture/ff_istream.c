/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "ff_istream.h"

#define RAW_CHUNK (256u * 1024u)

struct ff_istream {
	char *name;         /* for messages */
	int fd;             /* -1 for memory input */
	const uint8_t *mem; /* memory input */
	uint64_t mem_len;
	uint64_t raw_pos; /* raw bytes consumed from the input */
	uint64_t raw_size;
	enum ff_codec codec;
	uint8_t *raw;   /* raw input buffer (file input) */
	size_t raw_len; /* valid bytes in raw */
	size_t raw_off; /* consumed bytes in raw */
	int raw_eof;
	z_stream zs;
	int zs_live; /* inflate initialised */
	int zs_end;  /* last member ended cleanly */
	ZSTD_DStream *zd;
	int zd_mid; /* inside a zstd frame */
};

const char *ff_codec_name(enum ff_codec c)
{
	switch (c) {
	case FF_CODEC_GZIP:
		return "gzip";
	case FF_CODEC_ZSTD:
		return "zstd";
	default:
		return "none";
	}
}

enum ff_codec ff_istream_codec(const struct ff_istream *s)
{
	return s->codec;
}
const char *ff_istream_name(const struct ff_istream *s)
{
	return s->name;
}
uint64_t ff_istream_raw_pos(const struct ff_istream *s)
{
	return s->raw_pos;
}
uint64_t ff_istream_raw_size(const struct ff_istream *s)
{
	return s->raw_size;
}

/* Make raw input available: returns pointer/len of unconsumed raw bytes. */
static int raw_fill(struct ff_istream *s, const uint8_t **p, size_t *len, struct ff_err *err)
{
	if (s->fd < 0) {
		*p = s->mem + s->raw_pos;
		*len = (size_t)(s->mem_len - s->raw_pos);
		return 0;
	}
	if (s->raw_off == s->raw_len && !s->raw_eof) {
		ssize_t n;

		do
			n = read(s->fd, s->raw, RAW_CHUNK);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return ff_errf(err, -errno, "%s: read error at byte %llu: %s", s->name,
			               (unsigned long long)s->raw_pos, strerror(errno));
		s->raw_len = (size_t)n;
		s->raw_off = 0;
		if (n == 0)
			s->raw_eof = 1;
	}
	*p = s->raw + s->raw_off;
	*len = s->raw_len - s->raw_off;
	return 0;
}

static void raw_consume(struct ff_istream *s, size_t n)
{
	s->raw_pos += n;
	if (s->fd >= 0)
		s->raw_off += n;
}

static ssize_t read_plain(struct ff_istream *s, uint8_t *buf, size_t n, struct ff_err *err)
{
	const uint8_t *p;
	size_t avail;
	int rc;

	if (s->fd >= 0 && s->raw_off == s->raw_len && n >= RAW_CHUNK) {
		/* big reads bypass the staging buffer */
		ssize_t r;

		do
			r = read(s->fd, buf, n);
		while (r < 0 && errno == EINTR);
		if (r < 0)
			return ff_errf(err, -errno, "%s: read error at byte %llu: %s", s->name,
			               (unsigned long long)s->raw_pos, strerror(errno));
		s->raw_pos += (uint64_t)r;
		return r;
	}
	rc = raw_fill(s, &p, &avail, err);
	if (rc < 0)
		return rc;
	if (avail > n)
		avail = n;
	memcpy(buf, p, avail);
	raw_consume(s, avail);
	return (ssize_t)avail;
}

static ssize_t read_gzip(struct ff_istream *s, uint8_t *buf, size_t n, struct ff_err *err)
{
	size_t done = 0;

	while (done < n) {
		const uint8_t *p;
		size_t avail;
		int rc = raw_fill(s, &p, &avail, err), zr;

		if (rc < 0)
			return done ? (ssize_t)done : rc;
		if (avail == 0) {
			if (!s->zs_end && s->zs_live)
				return done ? (ssize_t)done
				            : ff_errf(err, -EPIPE,
				                      "%s: gzip stream truncated at compressed "
				                      "byte %llu",
				                      s->name, (unsigned long long)s->raw_pos);
			break;
		}
		if (s->zs_end) {
			/* another member follows (multi-member gzip) */
			if (inflateReset2(&s->zs, 15 + 16) != Z_OK)
				return ff_errf(err, -EIO, "%s: inflateReset failed", s->name);
			s->zs_end = 0;
		}
		s->zs.next_in = (Bytef *)(uintptr_t)p;
		s->zs.avail_in = (uInt)(avail > 0x40000000u ? 0x40000000u : avail);
		s->zs.next_out = buf + done;
		s->zs.avail_out = (uInt)((n - done) > 0x40000000u ? 0x40000000u : (n - done));
		{
			uInt in0 = s->zs.avail_in, out0 = s->zs.avail_out;

			zr = inflate(&s->zs, Z_NO_FLUSH);
			raw_consume(s, in0 - s->zs.avail_in);
			done += out0 - s->zs.avail_out;
		}
		if (zr == Z_STREAM_END) {
			s->zs_end = 1;
			continue;
		}
		if (zr != Z_OK && zr != Z_BUF_ERROR)
			return done
			           ? (ssize_t)done
			           : ff_errf(err, -EBADMSG,
			                     "%s: gzip data corrupt near compressed byte %llu (%s)",
			                     s->name, (unsigned long long)s->raw_pos,
			                     s->zs.msg ? s->zs.msg : "inflate error");
	}
	return (ssize_t)done;
}

static ssize_t read_zstd(struct ff_istream *s, uint8_t *buf, size_t n, struct ff_err *err)
{
	ZSTD_outBuffer out = { buf, n, 0 };

	while (out.pos < out.size) {
		const uint8_t *p;
		size_t avail, zr;
		int rc = raw_fill(s, &p, &avail, err);
		ZSTD_inBuffer in;

		if (rc < 0)
			return out.pos ? (ssize_t)out.pos : rc;
		if (avail == 0) {
			if (s->zd_mid)
				return out.pos
				           ? (ssize_t)out.pos
				           : ff_errf(
				                 err, -EPIPE,
				                 "%s: zstd frame truncated at compressed byte %llu",
				                 s->name, (unsigned long long)s->raw_pos);
			break;
		}
		in.src = p;
		in.size = avail;
		in.pos = 0;
		zr = ZSTD_decompressStream(s->zd, &out, &in);
		raw_consume(s, in.pos);
		if (ZSTD_isError(zr))
			return out.pos
			           ? (ssize_t)out.pos
			           : ff_errf(err, -EBADMSG,
			                     "%s: zstd data corrupt near compressed byte %llu (%s)",
			                     s->name, (unsigned long long)s->raw_pos,
			                     ZSTD_getErrorName(zr));
		s->zd_mid = (zr != 0);
	}
	return (ssize_t)out.pos;
}

ssize_t ff_istream_read(struct ff_istream *s, void *buf, size_t n, struct ff_err *err)
{
	switch (s->codec) {
	case FF_CODEC_GZIP:
		return read_gzip(s, buf, n, err);
	case FF_CODEC_ZSTD:
		return read_zstd(s, buf, n, err);
	default:
		return read_plain(s, buf, n, err);
	}
}

static int detect_and_init(struct ff_istream *s, struct ff_err *err)
{
	const uint8_t *p;
	size_t avail;
	int rc = raw_fill(s, &p, &avail, err);

	if (rc < 0)
		return rc;
	if (avail >= 2 && p[0] == 0x1f && p[1] == 0x8b) {
		s->codec = FF_CODEC_GZIP;
		if (inflateInit2(&s->zs, 15 + 16) != Z_OK)
			return ff_errf(err, -ENOMEM, "%s: cannot initialise zlib", s->name);
		s->zs_live = 1;
	} else if (avail >= 4 && p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f && p[3] == 0xfd) {
		s->codec = FF_CODEC_ZSTD;
		s->zd = ZSTD_createDStream();
		if (!s->zd)
			return ff_errf(err, -ENOMEM, "%s: cannot initialise zstd", s->name);
		ZSTD_initDStream(s->zd);
	} else {
		s->codec = FF_CODEC_NONE;
	}
	return 0;
}

static struct ff_istream *alloc_stream(const char *name)
{
	struct ff_istream *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->name = strdup(name ? name : "<memory>");
	if (!s->name) {
		free(s);
		return NULL;
	}
	s->fd = -1;
	return s;
}

int ff_istream_open(struct ff_istream **out, const char *path, struct ff_err *err)
{
	struct ff_istream *s;
	struct stat st;
	int rc;

	*out = NULL;
	s = alloc_stream(path);
	if (!s)
		return ff_errf(err, -ENOMEM, "out of memory");
	if (strcmp(path, "-") == 0) {
		s->fd = dup(STDIN_FILENO);
	} else {
		s->fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (s->fd < 0) {
		rc = ff_errf(err, -errno, "%s: cannot open: %s", path, strerror(errno));
		ff_istream_close(s);
		return rc;
	}
	if (fstat(s->fd, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			ff_istream_close(s);
			return ff_errf(err, -EISDIR, "%s: is a directory", path);
		}
		if (S_ISREG(st.st_mode))
			s->raw_size = (uint64_t)st.st_size;
	}
	s->raw = malloc(RAW_CHUNK);
	if (!s->raw) {
		ff_istream_close(s);
		return ff_errf(err, -ENOMEM, "out of memory");
	}
	rc = detect_and_init(s, err);
	if (rc < 0) {
		ff_istream_close(s);
		return rc;
	}
	*out = s;
	return 0;
}

int ff_istream_open_mem(struct ff_istream **out, const void *data, size_t len, const char *name,
                        struct ff_err *err)
{
	struct ff_istream *s = alloc_stream(name);
	int rc;

	*out = NULL;
	if (!s)
		return ff_errf(err, -ENOMEM, "out of memory");
	s->mem = data;
	s->mem_len = len;
	s->raw_size = len;
	rc = detect_and_init(s, err);
	if (rc < 0) {
		ff_istream_close(s);
		return rc;
	}
	*out = s;
	return 0;
}

void ff_istream_close(struct ff_istream *s)
{
	if (!s)
		return;
	if (s->zs_live)
		inflateEnd(&s->zs);
	if (s->zd)
		ZSTD_freeDStream(s->zd);
	if (s->fd >= 0)
		close(s->fd);
	free(s->raw);
	free(s->name);
	free(s);
}

int ff_istream_seek_raw(struct ff_istream *s, uint64_t raw_off, struct ff_err *err)
{
	if (raw_off > s->raw_size)
		return ff_errf(err, -EINVAL, "%s: seek to %llu beyond the end (%llu)", s->name,
		               (unsigned long long)raw_off, (unsigned long long)s->raw_size);
	if (s->fd >= 0) {
		if (lseek(s->fd, (off_t)raw_off, SEEK_SET) < 0)
			return ff_errf(err, -errno, "%s: cannot seek: %s", s->name,
			               strerror(errno));
		s->raw_len = s->raw_off = 0;
		s->raw_eof = 0;
	}
	s->raw_pos = raw_off;
	if (s->codec == FF_CODEC_GZIP) {
		inflateReset2(&s->zs, 15 + 16);
		s->zs_end = 0;
	} else if (s->codec == FF_CODEC_ZSTD) {
		ZSTD_DCtx_reset(s->zd, ZSTD_reset_session_only);
		s->zd_mid = 0;
	}
	return 0;
}

ssize_t ff_istream_pread_raw(struct ff_istream *s, void *buf, size_t n, uint64_t off,
                             struct ff_err *err)
{
	ssize_t r;

	if (s->fd < 0) {
		if (off >= s->mem_len)
			return 0;
		if (n > s->mem_len - off)
			n = (size_t)(s->mem_len - off);
		memcpy(buf, s->mem + off, n);
		return (ssize_t)n;
	}
	do
		r = pread(s->fd, buf, n, (off_t)off);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return ff_errf(err, -errno, "%s: read error at byte %llu: %s", s->name,
		               (unsigned long long)off, strerror(errno));
	return r;
}
