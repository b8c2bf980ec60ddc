/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ff_reader.h"
#include "ff_scap.h"

#define WIN_INIT (4u << 20)    /* decoded window; grows for big blocks */
#define WIN_MIN (64u << 10)    /* first window for small in-memory inputs */
#define BLOCK_MAX (512u << 20) /* refuse blocks claiming more than this */

struct ff_reader {
	struct ff_istream *in;
	uint8_t *win; /* decoded bytes [lo, hi) not yet consumed from lo */
	size_t cap, lo, hi;
	int in_eof;
	uint64_t off; /* decoded offset of win[lo] */
	int fatal;    /* sticky framing error */
	struct ff_err fatal_err;
	int seen_shb;
	uint8_t *v1buf; /* scratch for upgraded v1 events */
	size_t v1cap;
};

const char *ff_reader_name(const struct ff_reader *r)
{
	return ff_istream_name(r->in);
}
enum ff_codec ff_reader_codec(const struct ff_reader *r)
{
	return ff_istream_codec(r->in);
}
uint64_t ff_reader_offset(const struct ff_reader *r)
{
	return r->off;
}
struct ff_istream *ff_reader_stream(struct ff_reader *r)
{
	return r->in;
}

static int reader_init(struct ff_reader **out, struct ff_istream *in, size_t cap,
                       struct ff_err *err)
{
	struct ff_reader *r = calloc(1, sizeof(*r));

	if (!r) {
		ff_istream_close(in);
		return ff_errf(err, -ENOMEM, "out of memory");
	}
	r->in = in;
	r->cap = cap;
	r->win = malloc(r->cap);
	if (!r->win) {
		ff_reader_close(r);
		return ff_errf(err, -ENOMEM, "out of memory");
	}
	*out = r;
	return 0;
}

int ff_reader_open(struct ff_reader **out, const char *path, struct ff_err *err)
{
	struct ff_istream *in;
	int rc;

	*out = NULL;
	rc = ff_istream_open(&in, path, err);
	if (rc < 0)
		return rc;
	return reader_init(out, in, WIN_INIT, err);
}

int ff_reader_open_mem(struct ff_reader **out, const void *data, size_t len, const char *name,
                       struct ff_err *err)
{
	struct ff_istream *in;
	int rc;

	*out = NULL;
	rc = ff_istream_open_mem(&in, data, len, name, err);
	if (rc < 0)
		return rc;
	/* small inputs (fuzzing, tests) get a small window; it grows on demand */
	return reader_init(out, in, len < WIN_INIT / 2 ? WIN_MIN : WIN_INIT, err);
}

void ff_reader_close(struct ff_reader *r)
{
	if (!r)
		return;
	ff_istream_close(r->in);
	free(r->win);
	free(r->v1buf);
	free(r);
}

/* Ensure n decoded bytes at win[lo]; returns bytes available (< n only at the
 * end of input) or a negative errno. */
static ssize_t want(struct ff_reader *r, size_t n, struct ff_err *err)
{
	while (r->hi - r->lo < n && !r->in_eof) {
		ssize_t got;

		if (r->cap - r->lo < n) {
			if (r->lo > 0) {
				memmove(r->win, r->win + r->lo, r->hi - r->lo);
				r->hi -= r->lo;
				r->lo = 0;
			}
			/* Grow only as data arrives: a bogus block length must not
			 * cost memory the input cannot fill. */
			if (r->hi == r->cap) {
				size_t ncap = r->cap * 2;
				uint8_t *nw;

				nw = realloc(r->win, ncap);
				if (!nw)
					return ff_errf(err, -ENOMEM,
					               "out of memory for a %zu-byte block", n);
				r->win = nw;
				r->cap = ncap;
			}
		}
		got = ff_istream_read(r->in, r->win + r->hi, r->cap - r->hi, err);
		if (got < 0)
			return got;
		if (got == 0)
			r->in_eof = 1;
		r->hi += (size_t)got;
	}
	return (ssize_t)(r->hi - r->lo < n ? r->hi - r->lo : n);
}

static int fail(struct ff_reader *r, struct ff_err *err, int code)
{
	r->fatal = code;
	if (err)
		r->fatal_err = *err;
	return code;
}

static enum ff_blk_kind classify(uint32_t t, uint32_t *ver)
{
	*ver = 1;
	switch (t) {
	case FF_BT_SHB:
		return FF_BLK_SECTION;
	case FF_BT_MI:
	case FF_BT_MI_INT:
		return FF_BLK_MACHINE;
	case FF_BT_IL:
	case FF_BT_IL_INT:
		return FF_BLK_IFLIST;
	case FF_BT_IL_V2:
		*ver = 2;
		return FF_BLK_IFLIST;
	case FF_BT_UL:
	case FF_BT_UL_INT:
		return FF_BLK_USERLIST;
	case FF_BT_UL_V2:
		*ver = 2;
		return FF_BLK_USERLIST;
	case FF_BT_PL_V1:
	case FF_BT_PL_V1_INT:
		return FF_BLK_PROCLIST;
	case FF_BT_PL_V2:
	case FF_BT_PL_V2_INT:
		*ver = 2;
		return FF_BLK_PROCLIST;
	case FF_BT_PL_V3:
	case FF_BT_PL_V3_INT:
		*ver = 3;
		return FF_BLK_PROCLIST;
	case FF_BT_PL_V4:
	case FF_BT_PL_V5:
	case FF_BT_PL_V6:
	case FF_BT_PL_V7:
	case FF_BT_PL_V8:
	case FF_BT_PL_V9:
		*ver = t - FF_BT_PL_V4 + 4;
		return FF_BLK_PROCLIST;
	case FF_BT_FDL:
	case FF_BT_FDL_INT:
		return FF_BLK_FDLIST;
	case FF_BT_FDL_V2:
		*ver = 2;
		return FF_BLK_FDLIST;
	case FF_BT_EV:
	case FF_BT_EV_INT:
	case FF_BT_EVF:
		return FF_BLK_EVENT;
	case FF_BT_EV_V2:
	case FF_BT_EVF_V2:
	case FF_BT_EV_V2_LARGE:
	case FF_BT_EVF_V2_LARGE:
		*ver = 2;
		return FF_BLK_EVENT;
	default:
		return FF_BLK_UNKNOWN;
	}
}

static int is_evf(uint32_t t)
{
	return t == FF_BT_EVF || t == FF_BT_EVF_V2 || t == FF_BT_EVF_V2_LARGE;
}

static int is_large(uint32_t t)
{
	return t == FF_BT_EV_V2_LARGE || t == FF_BT_EVF_V2_LARGE;
}

static int decode_event(struct ff_reader *r, struct ff_block *b, struct ff_err *err)
{
	uint32_t hdr = is_evf(b->type) ? 6 : 2;
	const uint8_t *p = b->body + hdr;
	size_t avail;
	int rc;

	if (b->body_len < hdr)
		return ff_errf(err, -EBADMSG, "%s: event block at byte %llu too short (%u bytes)",
		               ff_reader_name(r), (unsigned long long)b->offset, b->body_len);
	avail = b->body_len - hdr;
	b->ev.cpu = ff_ld16(b->body);
	b->ev.dump_flags = hdr == 6 ? ff_ld32(b->body + 2) : 0;
	if (b->version == 1) {
		if (r->v1cap < avail + 8) {
			uint8_t *nb = realloc(r->v1buf, avail + 8);

			if (!nb)
				return ff_errf(err, -ENOMEM, "out of memory");
			r->v1buf = nb;
			r->v1cap = avail + 8;
		}
		rc = ff_evt_upgrade_v1(p, avail, r->v1buf, r->v1cap, err);
		if (rc < 0)
			goto bad;
		p = r->v1buf;
		avail = (size_t)rc;
	}
	rc = ff_evt_init(&b->ev, p, avail, err);
	if (rc < 0)
		goto bad;
	return 0;
bad:
	ff_err_prefix(err, "%s: event block at byte %llu: ", ff_reader_name(r),
	              (unsigned long long)b->offset);
	return -EBADMSG;
}

int ff_reader_next(struct ff_reader *r, struct ff_block *b, struct ff_err *err)
{
	ssize_t got;
	uint32_t type, total, trailer;

	if (r->fatal) {
		if (err)
			*err = r->fatal_err;
		return r->fatal;
	}
	got = want(r, 8, err);
	if (got < 0)
		return fail(r, err, (int)got);
	if (got == 0) {
		if (!r->seen_shb)
			return fail(r, err,
			            ff_errf(err, -EBADMSG, "%s: empty file, not a capture",
			                    ff_reader_name(r)));
		return 0;
	}
	if (got < 8)
		return fail(r, err,
		            ff_errf(err, -EPIPE,
		                    "%s: truncated at byte %llu: expected an 8-byte block header, "
		                    "got %zd bytes",
		                    ff_reader_name(r), (unsigned long long)r->off, got));
	type = ff_ld32(r->win + r->lo);
	total = ff_ld32(r->win + r->lo + 4);
	if (!r->seen_shb && type != FF_BT_SHB)
		return fail(r, err,
		            ff_errf(err, -EBADMSG,
		                    "%s: not a scap capture (first block type 0x%08x, expected a "
		                    "section header)",
		                    ff_reader_name(r), type));
	if (type == FF_BT_SHB && want(r, 12, err) >= 12 &&
	    ff_ld32(r->win + r->lo + 8) == FF_SHB_MAGIC_SWAPPED)
		/* before the length check: a big-endian length is garbage here */
		return fail(r, err,
		            ff_errf(err, -ENOTSUP,
		                    "%s: capture written on a big-endian host (section header at "
		                    "byte %llu); byte swapping is not supported",
		                    ff_reader_name(r), (unsigned long long)r->off));
	if (total < 12 || total > BLOCK_MAX)
		return fail(r, err,
		            ff_errf(err, -EBADMSG,
		                    "%s: block at byte %llu (type 0x%x) has invalid length %u",
		                    ff_reader_name(r), (unsigned long long)r->off, type, total));
	got = want(r, total, err);
	if (got < 0)
		return fail(r, err, (int)got);
	if ((uint32_t)got < total)
		return fail(r, err,
		            ff_errf(err, -EPIPE,
		                    "%s: truncated at byte %llu: block of type 0x%x needs %u "
		                    "bytes, only %zd left. Is the file truncated?",
		                    ff_reader_name(r), (unsigned long long)r->off, type, total,
		                    got));
	memset(b, 0, offsetof(struct ff_block, ev));
	b->type = type;
	b->kind = classify(type, &b->version);
	b->body = r->win + r->lo + 8;
	b->body_len = total - 12;
	b->offset = r->off;
	trailer = ff_ld32(r->win + r->lo + total - 4);
	r->lo += total;
	r->off += total;

	if (b->kind == FF_BLK_SECTION) {
		uint32_t magic;

		if (total < 28)
			return fail(
			    r, err,
			    ff_errf(err, -EBADMSG, "%s: section header at byte %llu too short (%u)",
			            ff_reader_name(r), (unsigned long long)b->offset, total));
		magic = ff_ld32(b->body);
		if (magic == FF_SHB_MAGIC_SWAPPED)
			return fail(r, err,
			            ff_errf(err, -ENOTSUP,
			                    "%s: capture written on a big-endian host; byte "
			                    "swapping is not supported",
			                    ff_reader_name(r)));
		if (magic != FF_SHB_MAGIC)
			return fail(r, err,
			            ff_errf(err, -EBADMSG,
			                    "%s: bad section header magic 0x%08x at byte %llu",
			                    ff_reader_name(r), magic,
			                    (unsigned long long)b->offset));
		if (ff_ld16(b->body + 4) > FF_SHB_MAJOR)
			return fail(
			    r, err,
			    ff_errf(err, -ENOTSUP,
			            "%s: capture format version %u.%u is newer than this reader",
			            ff_reader_name(r), ff_ld16(b->body + 4), ff_ld16(b->body + 6)));
		b->version = ff_ld16(b->body + 6);
		r->seen_shb = 1;
	}
	if (b->kind != FF_BLK_EVENT) {
		/* Metadata trailers are checked; event trailers are not (libscap does
		 * not, and edited captures carry pcapng options before them). */
		if (trailer != total)
			return fail(r, err,
			            ff_errf(err, -EBADMSG,
			                    "%s: block at byte %llu (type 0x%x): trailer %u does "
			                    "not match length %u",
			                    ff_reader_name(r), (unsigned long long)b->offset, type,
			                    trailer, total));
		return 1;
	}
	if (!is_large(type) && total - 8 > FF_EV_BLOCK_MAX_PAYLOAD)
		return fail(r, err,
		            ff_errf(err, -EBADMSG,
		                    "%s: event block at byte %llu too large (%u bytes)",
		                    ff_reader_name(r), (unsigned long long)b->offset, total));
	/* Event blocks may carry bytes after the event (pcapng comment options):
	 * the event's own length decides, the rest is ignored. */
	b->body_len = total - 12;
	{
		int rc = decode_event(r, b, err);

		if (rc < 0)
			return rc;
	}
	return 1;
}

int ff_reader_next_event(struct ff_reader *r, struct ff_block *b, struct ff_err *err)
{
	int rc;

	while ((rc = ff_reader_next(r, b, err)) == 1)
		if (b->kind == FF_BLK_EVENT)
			return 1;
	return rc;
}

int ff_reader_seek(struct ff_reader *r, uint64_t raw_off, uint64_t off, struct ff_err *err)
{
	int rc = ff_istream_seek_raw(r->in, raw_off, err);

	if (rc < 0)
		return rc;
	r->lo = r->hi = 0;
	r->in_eof = 0;
	r->off = off;
	r->fatal = 0;
	return 0;
}
