/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "ff_evt.h"
#include "ff_seekidx.h"

void ff_seekidx_free(struct ff_seekidx *ix)
{
	free(ix->frames);
	ix->frames = NULL;
	ix->n = 0;
}

static void st32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}
static void st64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

int ff_seekidx_encode(const struct ff_seek_frame *f, size_t n, struct ff_buf *out,
                      struct ff_err *err)
{
	size_t content = n * FF_SEEKIDX_ENTRY_LEN + FF_SEEKIDX_FOOTER_LEN;
	uint8_t *p, *ent;
	int rc;

	if (n > UINT32_MAX / FF_SEEKIDX_ENTRY_LEN - 1)
		return ff_errf(err, -E2BIG, "seek table of %zu frames is too large", n);
	rc = ff_buf_reserve(out, 8 + content, err);
	if (rc)
		return rc;
	p = out->p + out->len;
	st32(p, FF_SEEKIDX_SKIPPABLE_MAGIC);
	st32(p + 4, (uint32_t)content);
	ent = p + 8;
	for (size_t i = 0; i < n; i++) {
		uint8_t *e = ent + i * FF_SEEKIDX_ENTRY_LEN;

		st64(e, f[i].raw_off);
		st64(e + 8, f[i].raw_size);
		st64(e + 16, f[i].dec_off);
		st64(e + 24, f[i].dec_size);
		st64(e + 32, f[i].first_ts);
		st64(e + 40, f[i].last_ts);
		st64(e + 48, f[i].nevents);
	}
	p = ent + n * FF_SEEKIDX_ENTRY_LEN;
	st32(p, (uint32_t)n);
	p[4] = FF_SEEKIDX_VERSION;
	p[5] = 0;
	p[6] = FF_SEEKIDX_ENTRY_LEN;
	p[7] = 0;
	st32(p + 8, (uint32_t)crc32(0, ent, (uInt)(n * FF_SEEKIDX_ENTRY_LEN)));
	st32(p + 12, FF_SEEKIDX_FOOTER_MAGIC);
	out->len += 8 + content;
	return 0;
}

static int read_exact(struct ff_istream *in, void *buf, size_t n, uint64_t off, struct ff_err *err)
{
	ssize_t got = ff_istream_pread_raw(in, buf, n, off, err);

	if (got < 0)
		return (int)got;
	if ((size_t)got != n)
		return ff_errf(err, -EBADMSG, "%s: seek table: short read at byte %llu",
		               ff_istream_name(in), (unsigned long long)off);
	return 0;
}

int ff_seekidx_load(struct ff_istream *in, struct ff_seekidx *out, struct ff_err *err)
{
	uint64_t size = ff_istream_raw_size(in), start, prev_end = 0, dec_end = 0;
	uint8_t foot[FF_SEEKIDX_FOOTER_LEN], hdr[8], *ents = NULL;
	uint32_t n, esz;
	size_t tab;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (ff_istream_codec(in) != FF_CODEC_ZSTD || size < 8 + FF_SEEKIDX_FOOTER_LEN)
		return ff_errf(err, -ENOENT, "%s: no seek table", ff_istream_name(in));
	rc = read_exact(in, foot, sizeof(foot), size - sizeof(foot), err);
	if (rc)
		return rc;
	if (ff_ld32(foot + 12) != FF_SEEKIDX_FOOTER_MAGIC)
		return ff_errf(err, -ENOENT, "%s: no seek table", ff_istream_name(in));
	n = ff_ld32(foot);
	esz = foot[6];
	if (foot[4] != FF_SEEKIDX_VERSION || esz < FF_SEEKIDX_ENTRY_LEN ||
	    (uint64_t)n * esz + 8 + FF_SEEKIDX_FOOTER_LEN > size)
		return ff_errf(
		    err, -EBADMSG,
		    "%s: seek table footer is inconsistent (version %u, %u entries of %u bytes)",
		    ff_istream_name(in), foot[4], n, esz);
	tab = (size_t)n * esz;
	start = size - FF_SEEKIDX_FOOTER_LEN - tab - 8;
	rc = read_exact(in, hdr, 8, start, err);
	if (rc)
		return rc;
	if (ff_ld32(hdr) != FF_SEEKIDX_SKIPPABLE_MAGIC ||
	    ff_ld32(hdr + 4) != tab + FF_SEEKIDX_FOOTER_LEN)
		return ff_errf(err, -EBADMSG, "%s: seek table at byte %llu: bad frame header",
		               ff_istream_name(in), (unsigned long long)start);
	ents = malloc(tab ? tab : 1);
	out->frames = calloc(n ? n : 1, sizeof(*out->frames));
	if (!ents || !out->frames) {
		rc = ff_errf(err, -ENOMEM, "out of memory");
		goto out;
	}
	rc = read_exact(in, ents, tab, start + 8, err);
	if (rc)
		goto out;
	if (crc32(0, ents, (uInt)tab) != ff_ld32(foot + 8)) {
		rc = ff_errf(err, -EBADMSG, "%s: seek table at byte %llu: checksum mismatch",
		             ff_istream_name(in), (unsigned long long)start);
		goto out;
	}
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *e = ents + (size_t)i * esz;
		struct ff_seek_frame *f = &out->frames[i];

		f->raw_off = ff_ld64(e);
		f->raw_size = ff_ld64(e + 8);
		f->dec_off = ff_ld64(e + 16);
		f->dec_size = ff_ld64(e + 24);
		f->first_ts = ff_ld64(e + 32);
		f->last_ts = ff_ld64(e + 40);
		f->nevents = ff_ld64(e + 48);
		/* frames must tile the file and the decoded stream in order */
		if (f->raw_off != prev_end || f->raw_size > start - f->raw_off ||
		    f->dec_off != dec_end) {
			rc = ff_errf(err, -EBADMSG,
			             "%s: seek table entry %u (frame at byte %llu) is inconsistent",
			             ff_istream_name(in), i, (unsigned long long)f->raw_off);
			goto out;
		}
		prev_end = f->raw_off + f->raw_size;
		dec_end = f->dec_off + f->dec_size;
	}
	out->n = n;
out:
	free(ents);
	if (rc)
		ff_seekidx_free(out);
	return rc;
}

size_t ff_seekidx_find_ts(const struct ff_seekidx *ix, uint64_t ts)
{
	for (size_t i = 0; i < ix->n; i++)
		if (ix->frames[i].nevents && ix->frames[i].last_ts >= ts)
			return i;
	return ix->n;
}

int ff_seekidx_seek(struct ff_reader *r, const struct ff_seekidx *ix, size_t k, struct ff_err *err)
{
	if (k >= ix->n)
		return ff_errf(err, -EINVAL, "%s: frame %zu out of range (%zu frames)",
		               ff_reader_name(r), k, ix->n);
	/* the reader checks the section header once; let it see it before a
	 * jump lands in the middle of the file */
	if (ff_reader_offset(r) == 0) {
		struct ff_block b;
		int rc = ff_reader_next(r, &b, err);

		if (rc < 0)
			return rc;
		if (rc == 0 || b.kind != FF_BLK_SECTION)
			return ff_errf(err, -EBADMSG, "%s: no section header", ff_reader_name(r));
	}
	return ff_reader_seek(r, ix->frames[k].raw_off, ix->frames[k].dec_off, err);
}
