/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test-only helpers shared by the robustness tests, the fuzzer seed builder
 * and the benchmarks: a growable byte buffer, builders that frame .scap blocks
 * and events by hand (independently of the library's writer), gzip/zstd
 * compressors and independent decoders that say how many bytes a (possibly
 * truncated) compressed stream yields.  Everything aborts on allocation
 * failure: these are test programs.
 */
#ifndef RB_BUILD_H
#define RB_BUILD_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#define RB_MAX_BLOCKS 4096

struct rb_buf {
	uint8_t *p;
	size_t len, cap;
	/* block starts, in order, recorded by rb_blk_open (the independent truth
	 * of where each block lies) */
	size_t blk[RB_MAX_BLOCKS];
	size_t nblk;
};

struct rb_prm {
	const void *v;
	uint32_t len;
};

static inline void rb_reserve(struct rb_buf *b, size_t n)
{
	if (b->len + n > b->cap) {
		size_t nc = b->cap ? b->cap : 256;

		while (nc < b->len + n)
			nc *= 2;
		b->p = realloc(b->p, nc);
		if (!b->p)
			abort();
		b->cap = nc;
	}
}

static inline void rb_put(struct rb_buf *b, const void *d, size_t n)
{
	rb_reserve(b, n);
	if (n)
		memcpy(b->p + b->len, d, n);
	b->len += n;
}

static inline void rb_zero(struct rb_buf *b, size_t n)
{
	rb_reserve(b, n);
	memset(b->p + b->len, 0, n);
	b->len += n;
}

static inline void rb_u8(struct rb_buf *b, uint8_t v)
{
	rb_put(b, &v, 1);
}
static inline void rb_u16(struct rb_buf *b, uint16_t v)
{
	rb_put(b, &v, 2);
}
static inline void rb_u32(struct rb_buf *b, uint32_t v)
{
	rb_put(b, &v, 4);
}
static inline void rb_u64(struct rb_buf *b, uint64_t v)
{
	rb_put(b, &v, 8);
}

static inline void rb_free(struct rb_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

/* Start a block: type and a length patched by rb_blk_close.  Returns its start. */
static inline size_t rb_blk_open(struct rb_buf *b, uint32_t type)
{
	size_t at = b->len;

	if (b->nblk < RB_MAX_BLOCKS)
		b->blk[b->nblk++] = at;
	rb_u32(b, type);
	rb_u32(b, 0);
	return at;
}

/* Pad the body to 4 bytes, patch the length and append `trailer` (0: the
 * correct length). */
static inline uint32_t rb_blk_close_t(struct rb_buf *b, size_t at, uint32_t trailer)
{
	uint32_t total;

	while ((b->len - at) % 4)
		rb_u8(b, 0);
	total = (uint32_t)(b->len - at + 4);
	memcpy(b->p + at + 4, &total, 4);
	rb_u32(b, trailer ? trailer : total);
	return total;
}
static inline uint32_t rb_blk_close(struct rb_buf *b, size_t at)
{
	return rb_blk_close_t(b, at, 0);
}

/* Section header; `opts` adds pcapng-style options (a comment) after the body. */
static inline void rb_shb(struct rb_buf *b, int opts)
{
	size_t at = rb_blk_open(b, 0x0A0D0D0Au);

	rb_u32(b, 0x1A2B3C4Du);
	rb_u16(b, 1);
	rb_u16(b, 2);
	rb_u64(b, UINT64_MAX);
	if (opts) {
		rb_u16(b, 1); /* opt_comment */
		rb_u16(b, 5);
		rb_put(b, "hello\0\0\0", 8);
		rb_u16(b, 0); /* opt_endofopt */
		rb_u16(b, 0);
	}
	rb_blk_close(b, at);
}

static inline void rb_mi(struct rb_buf *b, const char *host)
{
	size_t at = rb_blk_open(b, 0x201u);
	char name[128] = { 0 };

	memcpy(name, host, strlen(host) < sizeof(name) ? strlen(host) : sizeof(name) - 1);
	rb_u32(b, 2); /* cpus */
	rb_u64(b, 1ull << 30);
	rb_u64(b, 0);
	rb_put(b, name, sizeof(name));
	rb_zero(b, 32);
	rb_blk_close(b, at);
}

/* A block of arbitrary type with `n` body bytes of `fill`. */
static inline void rb_raw_block(struct rb_buf *b, uint32_t type, size_t n, uint8_t fill)
{
	size_t at = rb_blk_open(b, type);

	rb_reserve(b, n);
	memset(b->p + b->len, fill, n);
	b->len += n;
	rb_blk_close(b, at);
}

/* Encode an event record: v1 (22-byte header, no nparams) or v2, with length
 * entries `w` bytes wide.  `len_adj` is added to the recorded length (the
 * over-count of old notification/infra writers).  Returns the recorded len. */
static inline uint32_t rb_evt(struct rb_buf *b, int v1, uint64_t ts, uint64_t tid, uint16_t type,
                              unsigned w, unsigned np, const struct rb_prm *pv, int len_adj)
{
	uint32_t len = (v1 ? 22u : 26u) + np * w, i;

	for (i = 0; i < np; i++)
		len += pv[i].len;
	len = (uint32_t)((int64_t)len + len_adj);
	rb_u64(b, ts);
	rb_u64(b, tid);
	rb_u32(b, len);
	rb_u16(b, type);
	if (!v1)
		rb_u32(b, np);
	for (i = 0; i < np; i++) {
		if (w == 4)
			rb_u32(b, pv[i].len);
		else
			rb_u16(b, (uint16_t)pv[i].len);
	}
	for (i = 0; i < np; i++)
		rb_put(b, pv[i].v, pv[i].len);
	return len;
}

/* Whole event block: `btype` picks the layout (EVF ids carry `flags`, 0x204,
 * 0x208 and 0x8010ABCD the v1 header), `extra` zero bytes after the event. */
static inline size_t rb_ev_block(struct rb_buf *b, uint32_t btype, uint16_t cpu, uint32_t flags,
                                 uint64_t ts, uint64_t tid, uint16_t type, unsigned w, unsigned np,
                                 const struct rb_prm *pv, size_t extra)
{
	size_t at = rb_blk_open(b, btype);
	int v1 = btype == 0x204u || btype == 0x208u || btype == 0x8010ABCDu;
	int evf = btype == 0x208u || btype == 0x217u || btype == 0x222u;

	rb_u16(b, cpu);
	if (evf)
		rb_u32(b, flags);
	rb_evt(b, v1, ts, tid, type, w, np, pv, 0);
	rb_zero(b, extra);
	rb_blk_close(b, at);
	return at;
}

/* ---- compression (whole buffer, or in pieces split at given offsets) ---- */

static inline void rb_gzip_member(struct rb_buf *out, const uint8_t *d, size_t n, int level)
{
	z_stream zs;
	uint8_t tmp[16384];
	int zr;

	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	zs.next_in = (Bytef *)(uintptr_t)d;
	zs.avail_in = (uInt)n;
	do {
		zs.next_out = tmp;
		zs.avail_out = sizeof(tmp);
		zr = deflate(&zs, Z_FINISH);
		if (zr == Z_STREAM_ERROR)
			abort();
		rb_put(out, tmp, sizeof(tmp) - zs.avail_out);
	} while (zr != Z_STREAM_END);
	deflateEnd(&zs);
}

static inline void rb_zstd_frame(struct rb_buf *out, const uint8_t *d, size_t n, int level)
{
	size_t bound = ZSTD_compressBound(n), r;

	rb_reserve(out, bound);
	r = ZSTD_compress(out->p + out->len, bound, d, n, level);
	if (ZSTD_isError(r))
		abort();
	out->len += r;
}

static inline void rb_zstd_skippable(struct rb_buf *out, uint32_t nbytes, uint8_t fill)
{
	rb_u32(out, 0x184D2A5Au);
	rb_u32(out, nbytes);
	rb_reserve(out, nbytes);
	memset(out->p + out->len, fill, nbytes);
	out->len += nbytes;
}

/* Independent decoders: bytes of decoded output obtainable from `n` input
 * bytes, and whether the input ended cleanly (every member/frame complete). */
static inline size_t rb_gunzip(const uint8_t *d, size_t n, struct rb_buf *out, int *clean)
{
	z_stream zs;
	uint8_t tmp[65536];
	int zr = Z_OK, ended = 0;
	size_t total = 0;

	*clean = 0;
	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 15 + 16) != Z_OK)
		abort();
	zs.next_in = (Bytef *)(uintptr_t)d;
	zs.avail_in = (uInt)n;
	for (;;) {
		zs.next_out = tmp;
		zs.avail_out = sizeof(tmp);
		zr = inflate(&zs, Z_NO_FLUSH);
		total += sizeof(tmp) - zs.avail_out;
		if (out)
			rb_put(out, tmp, sizeof(tmp) - zs.avail_out);
		if (zr == Z_STREAM_END) {
			ended = 1;
			if (zs.avail_in == 0)
				break;
			inflateReset(&zs);
			ended = 0;
			continue;
		}
		if (zr != Z_OK)
			break;
		if (zs.avail_in == 0 && zs.avail_out != 0)
			break;
	}
	*clean = ended && zs.avail_in == 0;
	inflateEnd(&zs);
	return total;
}

static inline size_t rb_unzstd(const uint8_t *d, size_t n, struct rb_buf *out, int *clean)
{
	ZSTD_DStream *z = ZSTD_createDStream();
	ZSTD_inBuffer in = { d, n, 0 };
	uint8_t tmp[65536];
	size_t total = 0, r = 1;

	ZSTD_initDStream(z);
	for (;;) {
		ZSTD_outBuffer o = { tmp, sizeof(tmp), 0 };

		r = ZSTD_decompressStream(z, &o, &in);
		if (ZSTD_isError(r))
			break;
		total += o.pos;
		if (out)
			rb_put(out, tmp, o.pos);
		if (in.pos == in.size && o.pos < o.size)
			break;
	}
	*clean = !ZSTD_isError(r) && r == 0 && n > 0;
	ZSTD_freeDStream(z);
	return total;
}

/* Does `msg` contain "byte N" (N not followed by another digit)? */
static inline int rb_msg_has_offset(const char *msg, unsigned long long off)
{
	char pat[48];
	const char *p = msg;
	size_t pl;

	snprintf(pat, sizeof(pat), "byte %llu", off);
	pl = strlen(pat);
	while ((p = strstr(p, pat)) != NULL) {
		if (p[pl] < '0' || p[pl] > '9')
			return 1;
		p += pl;
	}
	return 0;
}

#endif
