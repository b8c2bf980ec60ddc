/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Iterator over the blocks of a .scap capture (plain, gzip or zstd).  Event
 * blocks come back as validated zero-copy views (struct ff_evt); the other
 * blocks as raw bodies for ff_meta to decode.  Pointers stay valid until the
 * next call.  A damaged file yields every whole block before the damage, then
 * an error naming the file and the byte offset.
 */
#ifndef FF_READER_H
#define FF_READER_H

#include <stddef.h>
#include <stdint.h>

#include "ff_err.h"
#include "ff_evt.h"
#include "ff_istream.h"

enum ff_blk_kind {
	FF_BLK_SECTION = 1, /* section header: starts a (possibly concatenated) section */
	FF_BLK_MACHINE,
	FF_BLK_IFLIST,
	FF_BLK_USERLIST,
	FF_BLK_PROCLIST,
	FF_BLK_FDLIST,
	FF_BLK_EVENT,
	FF_BLK_UNKNOWN /* unknown id, skipped by length */
};

struct ff_block {
	enum ff_blk_kind kind;
	uint32_t type;       /* raw block id */
	uint32_t version;    /* PL 1..9; IL, UL, FDL, EV 1..2; SHB minor */
	const uint8_t *body; /* after the 8-byte block header */
	uint32_t body_len;   /* block total - 12 (may include up to 3 pad bytes) */
	uint64_t offset;     /* block start in the decoded stream */
	struct ff_evt ev;    /* FF_BLK_EVENT only */
};

struct ff_reader;

int ff_reader_open(struct ff_reader **out, const char *path, struct ff_err *err);
/* Read a capture held in memory (fuzzing, tests); `data` must outlive the reader. */
int ff_reader_open_mem(struct ff_reader **out, const void *data, size_t len, const char *name,
                       struct ff_err *err);
void ff_reader_close(struct ff_reader *r);

/* Next block: 1 with *blk filled, 0 at a clean end of file, or a negative errno
 * with err naming file and offset.  A framing error is final (later calls
 * return it again); -EBADMSG for one malformed event inside intact framing is
 * not, and reading may go on with the next block. */
int ff_reader_next(struct ff_reader *r, struct ff_block *blk, struct ff_err *err);

/* Skip to the next event: like ff_reader_next but returns only FF_BLK_EVENT. */
int ff_reader_next_event(struct ff_reader *r, struct ff_block *blk, struct ff_err *err);

const char *ff_reader_name(const struct ff_reader *r);
enum ff_codec ff_reader_codec(const struct ff_reader *r);
uint64_t ff_reader_offset(const struct ff_reader *r); /* decoded bytes consumed */
struct ff_istream *ff_reader_stream(struct ff_reader *r);
/* Restart at a block boundary: decoded offset `off`, found at raw `raw_off`. */
int ff_reader_seek(struct ff_reader *r, uint64_t raw_off, uint64_t off, struct ff_err *err);

#endif
